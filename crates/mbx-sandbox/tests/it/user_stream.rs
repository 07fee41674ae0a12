//! `/api/v3/userDataStream`: retired on Binance spot (404 with a hint to the WebSocket API); working
//! listenKeys under the Binance.US flavor (API key only, no signature, 60-minute expiry).

use mbx_sandbox::{Flavor, Sandbox};
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::json;

use crate::support::{DEMO_API_KEY, admin, send};

const PATH: &str = "/api/v3/userDataStream";

#[tokio::test]
async fn user_data_stream_is_retired_on_binance_spot() {
    let sb = TestSandbox::start_with(Sandbox::builder().memory().market_maker(false)).await;
    for method in [Method::POST, Method::PUT, Method::DELETE] {
        let a = send(&sb, method.clone(), PATH, "listenKey=abc", "", Some(DEMO_API_KEY)).await;
        assert_eq!((a.status, &a.json), (404, &serde_json::Value::Null), "{method}: {a:?}");
        let hint = a.hint();
        assert!(hint.contains("2026-02-20") && hint.contains("userDataStream.subscribe"), "{hint}");
    }
}

async fn us() -> TestSandbox {
    TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).flavor(Flavor::Us)).await
}

#[tokio::test]
async fn us_flavor_listen_key_create_keepalive_close() {
    let sb = us().await;
    let created = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await;
    created.assert_ok();
    let key = created.json["listenKey"].as_str().expect("listenKey").to_owned();
    assert_eq!(key.len(), 64);
    let again = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await;
    assert_eq!(again.json["listenKey"], key.as_str(), "the open key is answered again");

    let q = format!("listenKey={key}");
    let kept = send(&sb, Method::PUT, PATH, &q, "", Some(DEMO_API_KEY)).await;
    kept.assert_ok();
    assert_eq!(kept.json, json!({}));
    send(&sb, Method::DELETE, PATH, &q, "", Some(DEMO_API_KEY)).await.assert_ok();
    let gone = send(&sb, Method::PUT, PATH, &q, "", Some(DEMO_API_KEY)).await;
    gone.assert_rejected(400, -1125, "This listenKey does not exist.");
}

#[tokio::test]
async fn us_flavor_listen_key_expires_after_60_minutes_and_needs_the_key_header() {
    let sb = us().await;
    let key = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await.json["listenKey"]
        .as_str()
        .expect("listenKey")
        .to_owned();
    let q = format!("listenKey={key}");
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 59 * 60_000})).await.assert_ok();
    send(&sb, Method::PUT, PATH, &q, "", Some(DEMO_API_KEY)).await.assert_ok();
    // 60 minutes after the keepalive, the key is gone.
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 119 * 60_000 + 1})).await.assert_ok();
    let expired = send(&sb, Method::PUT, PATH, &q, "", Some(DEMO_API_KEY)).await;
    assert_eq!((expired.status, expired.code()), (400, -1125), "{expired:?}");

    let no_key = send(&sb, Method::POST, PATH, "", "", None).await;
    assert_eq!((no_key.status, no_key.code()), (401, -2014), "{no_key:?}");
    let missing = send(&sb, Method::PUT, PATH, "", "", Some(DEMO_API_KEY)).await;
    missing.assert_rejected(
        400,
        -1102,
        "Mandatory parameter 'listenKey' was not sent, was empty/null, or malformed.",
    );
}

/// A listenKey with a shortened TTL (`SandboxBuilder::listen_key_ttl`, `mbx sandbox
/// --listen-key-ttl`): its stream ends with `listenKeyExpired` once no keepalive came in time.
#[tokio::test]
async fn a_shortened_listen_key_ttl_ends_the_stream_with_listen_key_expired() {
    let sb = TestSandbox::start_with(
        Sandbox::builder()
            .memory()
            .market_maker(false)
            .flavor(Flavor::Us)
            .listen_key_ttl(std::time::Duration::from_millis(1500)),
    )
    .await;
    let key = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await.json["listenKey"]
        .as_str()
        .expect("listenKey")
        .to_owned();
    let mut ws = crate::ws::connect(&sb, &format!("/ws/{key}")).await;
    // No keepalive: the next frame is the expiry (the sandbox checks every second).
    let event = crate::ws::next_json(&mut ws).await;
    assert_eq!((&event["e"], &event["listenKey"]), (&json!("listenKeyExpired"), &json!(key)), "{event}");
    let q = format!("listenKey={key}");
    let gone = send(&sb, Method::PUT, PATH, &q, "", Some(DEMO_API_KEY)).await;
    assert_eq!((gone.status, gone.code()), (400, -1125), "{gone:?}");
    sb.shutdown().await;
}

/// A listenKey closed by `DELETE` ends its stream without `listenKeyExpired`: the legacy docs say
/// the event is not pushed when the stream is closed normally.
#[tokio::test]
async fn a_closed_listen_key_ends_its_stream_without_listen_key_expired() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let sb = us().await;
    let key = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await.json["listenKey"]
        .as_str()
        .expect("listenKey")
        .to_owned();
    let mut ws = crate::ws::connect(&sb, &format!("/ws/{key}")).await;
    send(&sb, Method::DELETE, PATH, &format!("listenKey={key}"), "", Some(DEMO_API_KEY)).await.assert_ok();
    let next =
        tokio::time::timeout(std::time::Duration::from_secs(10), ws.next()).await.expect("the stream ends");
    assert!(matches!(next, Some(Ok(Message::Close(_)))), "a close, no event: {next:?}");
    sb.shutdown().await;
}

/// A listenKey is a stream name on a market stream connection too (legacy docs: `/stream?streams=
/// <listenKey>`), combined with market streams, and by `SUBSCRIBE` (nautilus_trader subscribes it
/// so on an open connection): each of its events wrapped as `{"stream":"<listenKey>","data"}` on a
/// combined connection, raw on `/ws`; `LIST_SUBSCRIPTIONS` shows it and `UNSUBSCRIBE` ends it.
#[tokio::test]
async fn a_listen_key_is_a_stream_of_combined_and_subscribed_connections() {
    let sb = us().await;
    let key = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await.json["listenKey"]
        .as_str()
        .expect("listenKey")
        .to_owned();
    let mut combined = crate::ws::connect(&sb, &format!("/stream?streams={key}/btcusdt@trade")).await;
    let mut raw = crate::ws::connect(&sb, "/ws").await;
    let subscribed = ask(&mut raw, json!({"method": "SUBSCRIBE", "params": [key], "id": 1})).await;
    assert_eq!(subscribed, json!({"result": null, "id": 1}));
    let listed = ask(&mut raw, json!({"method": "LIST_SUBSCRIPTIONS", "id": 2})).await;
    assert_eq!(listed["result"], json!([key]));

    let deposit = json!({"apiKey": DEMO_API_KEY, "asset": "USDT", "amount": "0.25"});
    admin(&sb, "/sandbox/v1/deposit", deposit).await.assert_ok();
    let wrapped = crate::ws::until(&mut combined, |f| f["data"]["e"] == "balanceUpdate").await;
    assert_eq!((&wrapped["stream"], &wrapped["data"]["d"]), (&json!(key), &json!("0.25000000")), "{wrapped}");
    let event = crate::ws::until(&mut raw, |f| f["e"] == "balanceUpdate").await;
    assert_eq!(event["a"], "USDT", "{event}");

    let gone = ask(&mut raw, json!({"method": "UNSUBSCRIBE", "params": [key], "id": 3})).await;
    assert_eq!(gone, json!({"result": null, "id": 3}));
    let listed = ask(&mut raw, json!({"method": "LIST_SUBSCRIPTIONS", "id": 4})).await;
    assert_eq!(listed["result"], json!([]));
    sb.shutdown().await;
}

/// Sends a control message and reads frames until its answer (events may come first).
async fn ask(ws: &mut crate::ws::Socket, request: serde_json::Value) -> serde_json::Value {
    use futures_util::SinkExt;
    let id = request["id"].clone();
    ws.send(tokio_tungstenite::tungstenite::Message::Text(request.to_string().into()))
        .await
        .expect("frame sent");
    crate::ws::until(ws, |f| f["id"] == id).await
}

/// The WebSocket API's listenKey methods: served under the Binance.US flavor, as its REST routes
/// are (found with the UNICORN Binance WebSocket API against `--flavor us`); retired on Binance
/// spot, and said so.
#[tokio::test]
async fn websocket_api_listen_key_methods_follow_the_flavor() {
    let sb = us().await;
    let mut ws = crate::ws::connect(&sb, "/ws-api/v3").await;
    let started = crate::ws::call(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.start", "params": {"apiKey": DEMO_API_KEY}}),
    )
    .await;
    assert_eq!(started["status"], 200, "{started}");
    let key = started["result"]["listenKey"].as_str().expect("listenKey").to_owned();
    // The same key as REST answers: one open key per account.
    let rest = send(&sb, Method::POST, PATH, "", "", Some(DEMO_API_KEY)).await;
    assert_eq!(rest.json["listenKey"], key.as_str());
    for method in ["userDataStream.ping", "userDataStream.stop"] {
        let a = crate::ws::call(
            &mut ws,
            json!({"id": method, "method": method, "params": {"apiKey": DEMO_API_KEY, "listenKey": key}}),
        )
        .await;
        assert_eq!((&a["status"], &a["result"]), (&json!(200), &json!({})), "{method}: {a}");
    }
    let gone = crate::ws::call(
        &mut ws,
        json!({"id": "p", "method": "userDataStream.ping", "params": {"apiKey": DEMO_API_KEY, "listenKey": key}}),
    )
    .await;
    assert_eq!(gone["error"]["code"], -1125, "{gone}");
    sb.shutdown().await;

    let sb = TestSandbox::start_with(Sandbox::builder().memory().market_maker(false)).await;
    let mut ws = crate::ws::connect(&sb, "/ws-api/v3").await;
    let refused = crate::ws::call(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.start", "params": {"apiKey": DEMO_API_KEY}}),
    )
    .await;
    assert_eq!(refused["error"]["code"], -1020, "{refused}");
    sb.shutdown().await;
}
