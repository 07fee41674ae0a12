//! The chaos mode (`/sandbox/v1/chaos`) over real sockets: each fault kind happens, over REST and the
//! WebSocket API, and leaves what it should (an order or none); storms, cuts, clock jumps; the same
//! seed gives the same faults; the `[chaos]` table of the config file; the admin API's rules.
//!
//! The waits are on answers, frames and user data events; the only timed pauses are the behaviours
//! under test (a client sending again too soon after a 429, or waiting its `Retry-After`).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_sandbox::Sandbox;
use mbx_sandbox::faults::ChaosConfig;
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{DEMO_API_KEY, admin, call, client, demo_signer, empty_books, get, now_ms, sign};
use crate::ws::{Socket, connect, next_json, signed};

/// A resting LIMIT BUY on BTCUSDT (empty books: nothing fills it).
fn order(client_order_id: &str, recv_window: Option<&str>) -> Params {
    let mut p = Params::new()
        .text("symbol", "BTCUSDT")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "0.001")
        .text("price", "20000")
        .text("newClientOrderId", client_order_id);
    if let Some(w) = recv_window {
        p = p.text("recvWindow", w);
    }
    p.int("timestamp", now_ms())
}

/// The same order as WebSocket API `params`, signed.
fn ws_order(client_order_id: &str, recv_window: Option<&str>) -> Value {
    let mut p = json!({
        "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
        "quantity": "0.001", "price": "20000", "newClientOrderId": client_order_id,
    });
    if let Some(w) = recv_window {
        p["recvWindow"] = json!(w);
    }
    Value::Object(signed(p))
}

/// What one REST order placement got: `Err` when no complete answer came (or the client's
/// `timeout` passed), else the status, the headers' order counts and the body.
async fn try_place(
    sb: &TestSandbox,
    params: &Params,
    timeout: Option<Duration>,
) -> Result<(u16, Option<String>, String), String> {
    let s = sign(params, Placement::Body, &demo_signer());
    let mut req = client()
        .post(sb.url("/api/v3/order"))
        .header("X-MBX-APIKEY", DEMO_API_KEY)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(s.body().to_owned());
    if let Some(t) = timeout {
        req = req.timeout(t);
    }
    let resp = req.send().await.map_err(|e| format!("send: {e}"))?;
    let status = resp.status().as_u16();
    let counts = resp.headers().get("x-mbx-order-count-10s").map(|v| v.to_str().unwrap_or("").to_owned());
    let text = resp.text().await.map_err(|e| format!("body: {e}"))?;
    Ok((status, counts, text))
}

/// The order with `client_order_id` as `GET /api/v3/order` answers it (status, body).
async fn lookup(sb: &TestSandbox, client_order_id: &str) -> (u16, Value) {
    let a = call(
        sb,
        Method::GET,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("origClientOrderId", client_order_id)],
    )
    .await;
    (a.status, a.json)
}

#[track_caller]
fn assert_placed(found: &(u16, Value), client_order_id: &str) {
    assert_eq!(found.0, 200, "{found:?}");
    assert_eq!(
        (found.1["clientOrderId"].as_str(), found.1["status"].as_str()),
        (Some(client_order_id), Some("NEW"))
    );
}

#[track_caller]
fn assert_absent(found: &(u16, Value)) {
    assert_eq!((found.0, found.1["code"].as_i64()), (400, Some(-2013)), "{found:?}");
}

/// Turns chaos on with `config`; asserts the answer.
async fn chaos(sb: &TestSandbox, config: Value) -> Value {
    let a = admin(sb, "/sandbox/v1/chaos", config).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.json["enabled"], true, "{a:?}");
    a.json
}

/// `GET /sandbox/v1/chaos`'s counters.
async fn injected(sb: &TestSandbox) -> Value {
    let a = get(sb, "/sandbox/v1/chaos").await;
    assert_eq!(a.status, 200, "{a:?}");
    a.json["injected"].clone()
}

/// Reads `ws` until the server closes it: no text frame may come first.
async fn assert_closed(ws: &mut Socket) {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("closed within 5 s");
        match frame {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
            Some(Ok(other)) => panic!("a frame came instead of the cut: {other:?}"),
        }
    }
}

/// A WebSocket API connection subscribed to the demo account's user data stream.
async fn subscribed(sb: &TestSandbox) -> Socket {
    let mut ws = connect(sb, "/ws-api/v3").await;
    let sub = crate::ws::call(
        &mut ws,
        json!({"id": "sub", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    ws
}

/// Waits on `ws` (subscribed) for the `executionReport` NEW of `client_order_id`.
async fn new_report(ws: &mut Socket, client_order_id: &str) -> Value {
    loop {
        let f = next_json(ws).await;
        let e = &f["event"];
        if e["e"] == "executionReport" && e["c"] == client_order_id && e["x"] == "NEW" {
            return e.clone();
        }
    }
}

#[tokio::test]
async fn drop_before_commit_closes_the_connection_and_places_nothing() {
    let sb = empty_books().await;
    chaos(&sb, json!({"seed": 1, "orders": {"dropBeforeCommit": 1.0}})).await;
    let outcome = try_place(&sb, &order("dbc-rest", None), None).await;
    assert!(outcome.as_ref().is_err_and(|e| e.starts_with("send")), "an answer came: {outcome:?}");
    let mut ws = connect(&sb, "/ws-api/v3").await;
    ws.send(Message::Text(
        json!({"id": 1, "method": "order.place", "params": ws_order("dbc-ws", None)}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_closed(&mut ws).await;
    assert_absent(&lookup(&sb, "dbc-rest").await);
    assert_absent(&lookup(&sb, "dbc-ws").await);
    assert_eq!(injected(&sb).await["dropBeforeCommit"], 2);
}

#[tokio::test]
async fn drop_after_commit_closes_the_connection_and_the_order_is_committed() {
    let sb = empty_books().await;
    chaos(&sb, json!({"orders": {"dropAfterCommit": 1.0}})).await;
    let outcome = try_place(&sb, &order("dac-rest", None), None).await;
    assert!(outcome.is_err(), "an answer came: {outcome:?}");
    let mut ws = connect(&sb, "/ws-api/v3").await;
    ws.send(Message::Text(
        json!({"id": 1, "method": "order.place", "params": ws_order("dac-ws", None)}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_closed(&mut ws).await;
    assert_placed(&lookup(&sb, "dac-rest").await, "dac-rest");
    assert_placed(&lookup(&sb, "dac-ws").await, "dac-ws");
    assert_eq!(injected(&sb).await["dropAfterCommit"], 2);
    // A rejected order is answered as it is, and nothing is counted.
    let bad = call(
        &sb,
        Method::POST,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT")],
    )
    .await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert_eq!(injected(&sb).await["dropAfterCommit"], 2);
}

#[tokio::test]
async fn delay_after_commit_keeps_the_order_of_a_client_that_gave_up() {
    let sb = empty_books().await;
    chaos(&sb, json!({"orders": {"delayAfterCommit": 1.0, "delayMs": 1500}})).await;
    let started = std::time::Instant::now();
    let outcome = try_place(&sb, &order("late-rest", None), Some(Duration::from_millis(300))).await;
    assert!(outcome.is_err(), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_millis(1500), "the client's timeout, not the answer");
    // Committed before the answer was held: it is there at once.
    assert_placed(&lookup(&sb, "late-rest").await, "late-rest");
    // WebSocket API: no answer within the client's 300 ms; it hangs up; the order stays.
    let mut ws = connect(&sb, "/ws-api/v3").await;
    ws.send(Message::Text(
        json!({"id": 1, "method": "order.place", "params": ws_order("late-ws", None)}).to_string().into(),
    ))
    .await
    .unwrap();
    assert!(tokio::time::timeout(Duration::from_millis(300), ws.next()).await.is_err(), "answered early");
    drop(ws);
    assert_placed(&lookup(&sb, "late-ws").await, "late-ws");
    assert_eq!(injected(&sb).await["delayAfterCommit"], 2);
}

#[tokio::test]
async fn delayed_answer_still_comes_to_a_client_that_waits() {
    let sb = empty_books().await;
    chaos(&sb, json!({"orders": {"delayAfterCommit": 1.0, "delayMs": 400}})).await;
    let started = std::time::Instant::now();
    let (status, _, body) = try_place(&sb, &order("patient", None), None).await.expect("an answer");
    assert!(started.elapsed() >= Duration::from_millis(400), "{:?}", started.elapsed());
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"clientOrderId\":\"patient\""), "{body}");
}

#[tokio::test]
async fn error_after_commit_answers_5xx_or_1007_and_the_order_is_committed() {
    let sb = empty_books().await;
    chaos(&sb, json!({"seed": 5, "orders": {"errorAfterCommit": 1.0}})).await;
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..12 {
        let id = format!("err-{i}");
        let (status, counts, body) = try_place(&sb, &order(&id, None), None).await.expect("an answer");
        match status {
            500 | 502 => assert_eq!(body, "", "{status}"),
            503 if body.is_empty() => {}
            503 => assert_eq!(
                serde_json::from_str::<Value>(&body).unwrap(),
                json!({"code": -1007, "msg": "Timeout waiting for response from backend server. Send status unknown; execution status unknown."})
            ),
            other => panic!("{other} {body}"),
        }
        assert!(counts.is_some(), "the order counts are shown");
        seen.insert((status, body.is_empty()));
        assert_placed(&lookup(&sb, &id).await, &id);
    }
    assert!(seen.len() >= 3, "the RNG picks among the errors: {seen:?}");
    // WebSocket API: an error answer (no empty body there), the order committed.
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let a = crate::ws::call(
        &mut ws,
        json!({"id": 9, "method": "order.place", "params": ws_order("err-ws", None)}),
    )
    .await;
    assert!([500, 502, 503].contains(&a["status"].as_i64().unwrap_or(0)), "{a}");
    assert!(a["error"]["code"].as_i64().is_some(), "{a}");
    assert_placed(&lookup(&sb, "err-ws").await, "err-ws");
    assert_eq!(injected(&sb).await["errorAfterCommit"], 13);
}

#[tokio::test]
async fn delay_before_engine_past_recv_window_is_refused_1021_and_counted() {
    let sb = empty_books().await;
    chaos(&sb, json!({"orders": {"delayBeforeEngine": 1.0, "delayMs": 700}})).await;
    let (status, counts, body) =
        try_place(&sb, &order("old-rest", Some("500")), None).await.expect("an answer");
    assert_eq!(
        (status, serde_json::from_str::<Value>(&body).unwrap()),
        (400, json!({"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}))
    );
    // Unlike a rejection at receipt, it counts against the unfilled order count.
    assert_eq!(counts.as_deref(), Some("1"));
    assert_absent(&lookup(&sb, "old-rest").await);
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let a = crate::ws::call(
        &mut ws,
        json!({"id": 2, "method": "order.place", "params": ws_order("old-ws", Some("500"))}),
    )
    .await;
    assert_eq!((a["status"].as_i64(), a["error"]["code"].as_i64()), (Some(400), Some(-1021)), "{a}");
    assert_absent(&lookup(&sb, "old-ws").await);
    // Within its recvWindow (5000 by default), the held order is placed.
    let (status, _, body) = try_place(&sb, &order("young-rest", None), None).await.expect("an answer");
    assert_eq!(status, 200, "{body}");
    assert_placed(&lookup(&sb, "young-rest").await, "young-rest");
    assert_eq!(injected(&sb).await["delayBeforeEngine"], 3);
}

#[tokio::test]
async fn delay_before_engine_is_not_cancelled_by_a_client_hanging_up() {
    let sb = empty_books().await;
    let mut events = subscribed(&sb).await;
    chaos(&sb, json!({"orders": {"delayBeforeEngine": 1.0, "delayMs": 600}})).await;
    let outcome = try_place(&sb, &order("gave-up", None), Some(Duration::from_millis(150))).await;
    assert!(outcome.is_err(), "answered before the delay: {outcome:?}");
    // The exchange keeps what it received: the order is placed after the delay.
    let report = new_report(&mut events, "gave-up").await;
    assert_eq!(report["X"], "NEW", "{report}");
    assert_placed(&lookup(&sb, "gave-up").await, "gave-up");
}

#[tokio::test]
async fn chaos_reaches_the_other_order_placements() {
    let sb = empty_books().await;
    chaos(&sb, json!({"orders": {"dropBeforeCommit": 1.0}})).await;
    let s = sign(
        &Params::new()
            .text("symbol", "BTCUSDT")
            .text("side", "SELL")
            .text("quantity", "0.001")
            .text("aboveType", "LIMIT_MAKER")
            .text("abovePrice", "90000")
            .text("belowType", "STOP_LOSS")
            .text("belowStopPrice", "10000")
            .int("timestamp", now_ms()),
        Placement::Body,
        &demo_signer(),
    );
    let sent = client()
        .post(sb.url("/api/v3/orderList/oco"))
        .header("X-MBX-APIKEY", DEMO_API_KEY)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(s.body().to_owned())
        .send()
        .await;
    assert!(sent.is_err(), "answered: {sent:?}");
    admin_delete(&sb).await;
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    assert_eq!((open.status, open.json.clone()), (200, json!([])), "{open:?}");
}

/// `DELETE /sandbox/v1/chaos`.
async fn admin_delete(sb: &TestSandbox) -> Value {
    let resp = client().delete(sb.url("/sandbox/v1/chaos")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn a_storm_answers_429_then_418_to_a_client_that_does_not_wait() {
    let sb = empty_books().await;
    chaos(&sb, json!({"storms": {"probability": 1.0, "durationMs": 400}})).await;
    let first = get(&sb, "/api/v3/time").await;
    first.assert_rejected(
        429,
        -1003,
        "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
    );
    assert_eq!(first.retry_after, Some(1));
    // Sent again 600 ms later (past the grace for requests in flight), before Retry-After: banned.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let banned = get(&sb, "/api/v3/time").await;
    assert_eq!((banned.status, banned.code()), (418, -1003), "{banned:?}");
    assert!(banned.msg().starts_with("Way too much request weight used; IP banned until "), "{banned:?}");
    assert_eq!(banned.retry_after, Some(1));
    // The admin API is never stormed.
    let counts = injected(&sb).await;
    assert_eq!(
        (&counts["storms"], &counts["status429"], &counts["status418"]),
        (&json!(1), &json!(1), &json!(1))
    );
    // Off: storms and bans end.
    let off = admin_delete(&sb).await;
    assert_eq!(off["enabled"], false);
    assert_eq!(off["injected"]["status418"], 1, "counters kept");
    get(&sb, "/api/v3/time").await.assert_ok();
}

#[tokio::test]
async fn a_client_that_waits_retry_after_is_not_banned() {
    let sb = empty_books().await;
    chaos(&sb, json!({"storms": {"probability": 1.0, "durationMs": 400}})).await;
    let first = get(&sb, "/api/v3/time").await;
    assert_eq!(first.status, 429, "{first:?}");
    let wait = first.retry_after.expect("Retry-After");
    // No new storm after this one (the one under way runs to its end).
    chaos(&sb, json!({})).await;
    tokio::time::sleep(Duration::from_secs(wait)).await;
    get(&sb, "/api/v3/time").await.assert_ok();
    assert_eq!(injected(&sb).await["status418"], 0);
}

/// A WebSocket API request is judged by the storms at its arrival: one sent right behind an order
/// that a fault holds is answered 429, not 418, though its turn comes long after a 429 to the same
/// address (the client could not have seen that 429 before sending it).
#[tokio::test]
async fn a_websocket_api_request_queued_behind_a_held_order_is_judged_at_its_arrival() {
    let sb = empty_books().await;
    chaos(&sb, json!({"orders": {"delayBeforeEngine": 1.0, "delayMs": 700}})).await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let place = json!({"id": "held", "method": "order.place", "params": ws_order("held", None)});
    let behind = json!({"id": "behind", "method": "time"});
    ws.send(Message::Text(place.to_string().into())).await.unwrap();
    ws.send(Message::Text(behind.to_string().into())).await.unwrap();
    // The order is held: a storm starts, and a REST request from the same address draws its 429.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while injected(&sb).await["delayBeforeEngine"] == 0 {
        assert!(std::time::Instant::now() < deadline, "the order was never held");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    chaos(
        &sb,
        json!({"orders": {"delayBeforeEngine": 1.0, "delayMs": 700}, "storms": {"probability": 1.0, "durationMs": 5000}}),
    )
    .await;
    let warned = get(&sb, "/api/v3/time").await;
    assert_eq!(warned.status, 429, "{warned:?}");
    // The order's answer, then the queued request's: a storm's 429, not a ban.
    let held = next_json(&mut ws).await;
    assert_eq!((held["id"].as_str(), held["status"].as_i64()), (Some("held"), Some(200)), "{held}");
    let queued = next_json(&mut ws).await;
    assert_eq!(queued["id"], "behind", "{queued}");
    assert_eq!(
        (queued["status"].as_i64(), queued["error"]["code"].as_i64()),
        (Some(429), Some(-1003)),
        "{queued}"
    );
    assert_eq!(injected(&sb).await["status418"], 0);
}

#[tokio::test]
async fn a_storm_over_the_websocket_api_says_retry_after_in_data() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    chaos(&sb, json!({"storms": {"probability": 1.0, "durationMs": 2500}})).await;
    let a = crate::ws::call(&mut ws, json!({"id": "t", "method": "time"})).await;
    assert_eq!((a["status"].as_i64(), a["error"]["code"].as_i64()), (Some(429), Some(-1003)), "{a}");
    let (server, retry) =
        (a["error"]["data"]["serverTime"].as_u64(), a["error"]["data"]["retryAfter"].as_u64());
    let (server, retry) = (server.expect("serverTime"), retry.expect("retryAfter"));
    // Retry-After's 3 seconds from the refusal (the address is warned until then); serverTime is
    // read when the answer is written, a millisecond or so later.
    assert!((2950..=3000).contains(&(retry - server)), "{a}");
    assert!(a["rateLimits"].is_array(), "{a}");
}

#[tokio::test]
async fn cut_ws_closes_stream_and_websocket_api_connections() {
    let sb = empty_books().await;
    let mut api = connect(&sb, "/ws-api/v3").await;
    let mut stream = connect(&sb, "/ws").await;
    chaos(&sb, json!({"connections": {"cutWs": 1.0}})).await;
    api.send(Message::Text(json!({"id": 1, "method": "ping"}).to_string().into())).await.unwrap();
    assert_closed(&mut api).await;
    stream
        .send(Message::Text(
            json!({"method": "SUBSCRIBE", "params": ["btcusdt@trade"], "id": 1}).to_string().into(),
        ))
        .await
        .unwrap();
    assert_closed(&mut stream).await;
    assert_eq!(injected(&sb).await["wsCuts"], 2);
    // Off: connections are answered again.
    admin_delete(&sb).await;
    let mut api = connect(&sb, "/ws-api/v3").await;
    let pong = crate::ws::call(&mut api, json!({"id": 2, "method": "ping"})).await;
    assert_eq!(pong["status"], 200, "{pong}");
}

#[tokio::test]
async fn user_stream_cut_closes_the_subscription_connection() {
    let sb = empty_books().await;
    let mut events = subscribed(&sb).await;
    chaos(&sb, json!({"userStreams": {"cut": 1.0}})).await;
    let (status, _, body) = try_place(&sb, &order("cut-me", None), None).await.expect("an answer");
    assert_eq!(status, 200, "{body}");
    assert_closed(&mut events).await;
    assert!(injected(&sb).await["userStreamCuts"].as_u64() >= Some(1));
}

#[tokio::test]
async fn user_stream_cut_closes_a_listen_key_stream() {
    let sb = TestSandbox::start_with(
        Sandbox::builder().memory().market_maker(false).flavor(mbx_sandbox::Flavor::Us),
    )
    .await;
    let created =
        crate::support::send(&sb, Method::POST, "/api/v3/userDataStream", "", "", Some(DEMO_API_KEY)).await;
    let key = created.json["listenKey"].as_str().expect("listenKey").to_owned();
    let mut stream = connect(&sb, &format!("/ws/{key}")).await;
    chaos(&sb, json!({"userStreams": {"cut": 1.0}})).await;
    let (status, _, body) = try_place(&sb, &order("cut-lk", None), None).await.expect("an answer");
    assert_eq!(status, 200, "{body}");
    assert_closed(&mut stream).await;
    assert!(injected(&sb).await["userStreamCuts"].as_u64() >= Some(1));
}

#[tokio::test]
async fn clock_jumps_move_the_server_time() {
    let sb = empty_books().await;
    chaos(&sb, json!({"seed": 3, "clock": {"jump": 1.0, "maxJumpMs": 800}})).await;
    for _ in 0..5 {
        get(&sb, "/api/v3/ping").await.assert_ok();
    }
    let offset = get(&sb, "/sandbox/v1/health").await.json["offsetMs"].as_i64().expect("offsetMs");
    assert_ne!(offset, 0);
    assert!(offset.abs() <= 6 * 800, "{offset}");
    // `time` jumps once more, then answers the jumped clock.
    let before = now_ms();
    let time = get(&sb, "/api/v3/time").await;
    let server = time.json["serverTime"].as_i64().expect("serverTime");
    let after = get(&sb, "/sandbox/v1/health").await.json["offsetMs"].as_i64().expect("offsetMs");
    let expected = i64::try_from(before).unwrap() + after;
    assert!((server - expected).abs() < 500, "server {server}, local {before} + offset {after}");
    assert_eq!(injected(&sb).await["clockJumps"], 6);
    // A WebSocket API request jumps it too, and answers the jumped clock.
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let local = now_ms();
    let time = crate::ws::call(&mut ws, json!({"id": "t", "method": "time"})).await;
    let server = time["result"]["serverTime"].as_i64().expect("serverTime");
    let offset = get(&sb, "/sandbox/v1/health").await.json["offsetMs"].as_i64().expect("offsetMs");
    assert_ne!(offset, after, "jumped");
    assert!((server - (i64::try_from(local).unwrap() + offset)).abs() < 500, "{time}");
    assert_eq!(injected(&sb).await["clockJumps"], 7);
}

/// The outcome of each of `n` sequential placements under `seed`.
async fn sequence(seed: u64, n: usize) -> Vec<String> {
    let sb = empty_books().await;
    chaos(
        &sb,
        json!({"seed": seed, "orders": {"dropBeforeCommit": 0.15, "dropAfterCommit": 0.15, "errorAfterCommit": 0.25}}),
    )
    .await;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("seq-{i}");
        let answer = match try_place(&sb, &order(&id, None), None).await {
            Ok((200, _, _)) => "ok".to_owned(),
            Ok((status, _, body)) => format!("{status} {body}"),
            Err(_) => "dropped".to_owned(),
        };
        let placed = lookup(&sb, &id).await.0 == 200;
        out.push(format!("{answer} placed={placed}"));
    }
    out
}

#[tokio::test]
async fn the_same_seed_gives_the_same_faults() {
    let a = sequence(42, 24).await;
    let b = sequence(42, 24).await;
    assert_eq!(a, b);
    assert!(a.iter().any(|o| o.starts_with("ok")), "{a:?}");
    assert!(a.iter().any(|o| !o.starts_with("ok")), "{a:?}");
    assert!(a.iter().any(|o| o == "dropped placed=false"), "dropBeforeCommit: {a:?}");
    assert!(a.iter().any(|o| o == "dropped placed=true"), "dropAfterCommit: {a:?}");
    let c = sequence(7, 24).await;
    assert_ne!(a, c, "another seed, other faults");
}

#[tokio::test]
async fn config_file_chaos_table_starts_chaos() {
    let text = r#"
[chaos]
seed = 9
[chaos.orders]
drop_after_commit = 0.5
delay_ms = 1200
[chaos.storms]
probability = 0.001
duration_ms = 1500
[chaos.user_streams]
cut = 0.01
[chaos.clock]
jump = 0.25
max_jump_ms = 800
"#;
    let config: mbx_sandbox::config::SandboxConfig = toml::from_str(text).expect("TOML");
    let resolved = config.resolve().expect("resolves");
    let sb = TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).config(resolved)).await;
    let got = get(&sb, "/sandbox/v1/chaos").await;
    assert_eq!(got.json["enabled"], true);
    assert_eq!(
        got.json["config"],
        json!({
            "seed": 9,
            "orders": {"dropBeforeCommit": 0.0, "dropAfterCommit": 0.5, "delayAfterCommit": 0.0, "errorAfterCommit": 0.0, "delayBeforeEngine": 0.0, "delayMs": 1200},
            "storms": {"probability": 0.001, "durationMs": 1500},
            "connections": {"cutWs": 0.0},
            "userStreams": {"cut": 0.01},
            "clock": {"jump": 0.25, "maxJumpMs": 800},
        })
    );
    // Mistakes name the place.
    let bad: mbx_sandbox::config::SandboxConfig =
        toml::from_str("[chaos.orders]\ndrop_after_commit = 2.0\n").expect("TOML");
    let e = bad.resolve().unwrap_err();
    assert_eq!(e.place, "chaos.orders.drop_after_commit", "{e}");
    assert!(toml::from_str::<mbx_sandbox::config::SandboxConfig>("[chaos]\nsede = 1\n").is_err());
    // The builder checks what it is given too.
    let refused = Sandbox::builder()
        .memory()
        .bind(([127, 0, 0, 1], 0).into())
        .chaos(ChaosConfig {
            seed: 1,
            storms: mbx_sandbox::faults::chaos::StormChaos { probability: -1.0, duration_ms: 0 },
            ..ChaosConfig::default()
        })
        .start()
        .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn admin_api_answers_get_post_delete_with_the_documented_shape() {
    let sb = empty_books().await;
    let off = get(&sb, "/sandbox/v1/chaos").await;
    assert_eq!(off.json["enabled"], false);
    let names: Vec<&str> =
        off.json["injected"].as_object().expect("injected").keys().map(String::as_str).collect();
    // In the order the sandbox writes them (the path an order takes, then storms and cuts).
    let expected = vec![
        "dropBeforeCommit",
        "dropAfterCommit",
        "delayAfterCommit",
        "errorAfterCommit",
        "delayBeforeEngine",
        "storms",
        "status429",
        "status418",
        "wsCuts",
        "userStreamCuts",
        "clockJumps",
    ];
    assert_eq!(names, expected);
    let on = chaos(&sb, json!({"seed": 42, "orders": {"dropBeforeCommit": 0.02, "delayMs": 3000}})).await;
    assert_eq!(on["config"]["seed"], 42);
    assert_eq!(on["config"]["orders"]["delayMs"], 3000);
    assert_eq!(on["config"]["storms"], json!({"probability": 0.0, "durationMs": 0}));
    // Replaced, not merged.
    let replaced = chaos(&sb, json!({"clock": {"jump": 0.5, "maxJumpMs": 10}})).await;
    assert_eq!(
        (&replaced["config"]["seed"], &replaced["config"]["orders"]["delayMs"]),
        (&json!(0), &json!(0))
    );
    // Bad bodies: 400 -1130, the field named.
    for (body, field) in [
        (json!({"orders": {"dropBeforeCommit": 1.5}}), "orders.dropBeforeCommit"),
        (json!({"orders": {"dropBeforeCommit": 0.6, "dropAfterCommit": 0.6}}), "orders"),
        (json!({"storms": {"durationMs": 99_999_999}}), "storms.durationMs"),
        (json!({"orderz": {}}), "orderz"),
    ] {
        let a = admin(&sb, "/sandbox/v1/chaos", body).await;
        assert_eq!((a.status, a.code()), (400, -1130), "{a:?}");
        assert!(a.hint().contains(field), "{a:?}");
    }
    // POST needs a JSON content type, like the other admin routes.
    let form = client()
        .post(sb.url("/sandbox/v1/chaos"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("seed=1")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 415);
    assert_eq!(admin_delete(&sb).await["enabled"], false);
}

#[tokio::test]
async fn admin_api_needs_the_token_when_one_is_set() {
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).admin_token("T0kenForChaos"))
            .await;
    let http = client();
    let without = http.get(sb.url("/sandbox/v1/chaos")).send().await.unwrap();
    assert_eq!(without.status().as_u16(), 401);
    let with = http
        .post(sb.url("/sandbox/v1/chaos"))
        .header("X-Sandbox-Token", "T0kenForChaos")
        .json(&json!({"seed": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(with.status().as_u16(), 200);
    let cross = http
        .delete(sb.url("/sandbox/v1/chaos"))
        .header("X-Sandbox-Token", "T0kenForChaos")
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
}

#[tokio::test]
async fn cut_ws_closes_a_market_stream_instead_of_an_event() {
    let sb = TestSandbox::start().await;
    let mut stream = connect(&sb, "/ws/btcusdt@trade").await;
    chaos(&sb, json!({"connections": {"cutWs": 1.0}})).await;
    let a = crate::support::place(
        &sb,
        &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")],
    )
    .await;
    a.assert_ok();
    assert_closed(&mut stream).await;
    assert_eq!(sb.chaos().to_json()["injected"]["wsCuts"], 1);
}

#[tokio::test]
async fn what_the_exchange_holds_matches_the_faults_injected() {
    let limits = mbx_sandbox::market::RateLimits { orders_per_10s: 10_000, ..Default::default() };
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).rate_limits(limits)).await;
    let config = json!({"seed": 42, "orders": {
        "dropBeforeCommit": 0.02, "dropAfterCommit": 0.02, "delayAfterCommit": 0.02,
        "errorAfterCommit": 0.02, "delayBeforeEngine": 0.02, "delayMs": 50,
    }});
    chaos(&sb, config).await;
    // Fewer than the 200 open orders a symbol takes (MAX_NUM_ORDERS).
    let n = 180;
    let (mut answered, mut unanswered, mut errors) = (0, 0, 0);
    for i in 0..n {
        match try_place(&sb, &order(&format!("many-{i}"), None), None).await {
            Ok((200, _, _)) => answered += 1,
            Ok(_) => errors += 1,
            Err(_) => unanswered += 1,
        }
    }
    let counts = injected(&sb).await;
    let count = |name: &str| counts[name].as_u64().unwrap_or_else(|| panic!("{name} in {counts}"));
    println!(
        "seed 42, {n} placements: {counts}; answered {answered}, errors {errors}, unanswered {unanswered}"
    );
    // Each placement met at most one fault; every fault shows in what the client saw.
    assert_eq!(errors, count("errorAfterCommit"));
    assert_eq!(unanswered, count("dropBeforeCommit") + count("dropAfterCommit"));
    assert_eq!(answered, n - errors - unanswered);
    // Everything but the drops before commit is placed (the delays, 50 ms, stay within recvWindow).
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    let open = open.json.as_array().map_or(0, Vec::len) as u64;
    assert_eq!(open, n - count("dropBeforeCommit"));
    let total: u64 =
        ["dropBeforeCommit", "dropAfterCommit", "delayAfterCommit", "errorAfterCommit", "delayBeforeEngine"]
            .iter()
            .map(|k| count(k))
            .sum();
    // 10% expected: 18 of 180.
    assert!((5..=36).contains(&total), "{counts}");
}
