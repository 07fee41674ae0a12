//! No secret in any output of the sandbox (issue 19): the admin token and the HMAC secrets the admin
//! API creates never appear in the sandbox's logs (every `tracing` event and span at TRACE, and the
//! `log` records of tungstenite), in the request log and the console's JSON, in the rejection journal,
//! in any later answer or `X-Sandbox-Hint`, nor in the `Debug` of the builder, the state, the key
//! ring and the stored keys. A created secret is answered once, by the request that creates it.

use futures_util::SinkExt as _;
use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::{HmacSigner, Signer};
use mbx_testkit::TestSandbox;
use mbx_testkit::secrets::{LogCapture, Secret, assert_hidden};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{client, now_ms, sign};

/// The admin token these tests configure.
const TOKEN: &str = "adminTokenOfTheSecretsTest0123456789";

/// Everything the sandbox answered: status line, headers and body of each answer.
#[derive(Default)]
struct Seen(Vec<(String, String)>);

impl Seen {
    /// Sends `req` and keeps its whole answer under `what`; returns the body as JSON.
    async fn send(&mut self, what: &str, req: reqwest::RequestBuilder) -> Value {
        let resp = req.send().await.expect("request sent");
        let mut text = format!("{}\n", resp.status());
        for (name, value) in resp.headers() {
            text.push_str(&format!("{name}: {}\n", String::from_utf8_lossy(value.as_bytes())));
        }
        let body = resp.text().await.expect("body");
        text.push_str(&body);
        self.0.push((what.to_owned(), text));
        serde_json::from_str(&body).unwrap_or(Value::Null)
    }

    /// Sends a WebSocket API frame and keeps the answer.
    async fn frame(&mut self, what: &str, ws: &mut crate::ws::Socket, frame: Value) -> Value {
        ws.send(Message::Text(frame.to_string().into())).await.expect("frame sent");
        let answer = crate::ws::next_json(ws).await;
        self.0.push((what.to_owned(), answer.to_string()));
        answer
    }

    #[track_caller]
    fn assert_hidden(&self, secrets: &[Secret]) {
        for (what, text) in &self.0 {
            assert_hidden(text, secrets, what);
        }
    }
}

fn admin(sb: &TestSandbox, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    client().request(method, sb.url(path)).header("X-Sandbox-Token", TOKEN)
}

/// A signed REST request of `api_key` / `signer` (query string), sent as is.
fn signed_rest(
    sb: &TestSandbox,
    path: &str,
    params: Params,
    api_key: &str,
    signer: &Signer,
) -> reqwest::RequestBuilder {
    let s = sign(&params.int("timestamp", now_ms()), Placement::Query, signer);
    client().get(sb.url(&format!("{path}?{}", s.query()))).header("X-MBX-APIKEY", api_key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_secrets_and_the_admin_token_stay_out_of_logs_console_and_answers() {
    let capture = LogCapture::start();
    let builder = mbx_sandbox::Sandbox::builder().memory().market_maker(false).admin_token(TOKEN);
    let builder_debug = format!("{builder:?} {builder:#?}");
    let sb = TestSandbox::start_with(builder).await;
    let mut seen = Seen::default();

    // Two HMAC keys: the token in X-Sandbox-Token, then as a bearer token.
    let created = seen
        .send(
            "key creation",
            admin(&sb, reqwest::Method::POST, "/sandbox/v1/keys").json(&json!({"kind": "hmac"})),
        )
        .await;
    let (key1, secret1) =
        (created["apiKey"].as_str().unwrap().to_owned(), created["secretKey"].as_str().unwrap().to_owned());
    let created = client()
        .post(sb.url("/sandbox/v1/keys"))
        .bearer_auth(TOKEN)
        .json(&json!({"kind": "hmac", "permissions": ["USER_DATA"]}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let (key2, secret2) =
        (created["apiKey"].as_str().unwrap().to_owned(), created["secretKey"].as_str().unwrap().to_owned());
    // Only the creating answers hold the secrets: every answer from here on is checked.
    seen.0.clear();
    let signer1 = Signer::Hmac(HmacSigner::new(secret1.as_bytes()));
    let signer2 = Signer::Hmac(HmacSigner::new(secret2.as_bytes()));

    // REST: accepted, a wrong signature, the secret sent as the API key, the secret sent as a
    // parameter, a key without the permission, the token in the console's query parameter.
    let ok = seen
        .send("signed account", signed_rest(&sb, "/api/v3/account", Params::new(), &key1, &signer1))
        .await;
    assert!(ok["balances"].is_array(), "{ok}");
    let order = Params::new()
        .text("symbol", "BTCUSDT")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "0.01")
        .text("price", "10000")
        .int("timestamp", now_ms());
    let s = sign(&order, Placement::Body, &signer1);
    let placed = seen
        .send(
            "signed order",
            client()
                .post(sb.url("/api/v3/order"))
                .header("X-MBX-APIKEY", &key1)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(s.body().to_owned()),
        )
        .await;
    assert!(placed["orderId"].is_u64(), "{placed}");
    let wrong = seen
        .send("wrong signature", signed_rest(&sb, "/api/v3/account", Params::new(), &key1, &signer2))
        .await;
    assert_eq!(wrong["code"], -1022, "{wrong}");
    let as_key = seen
        .send("secret as the API key", signed_rest(&sb, "/api/v3/account", Params::new(), &secret1, &signer1))
        .await;
    assert!(as_key["code"].is_i64(), "{as_key}");
    let as_param = seen
        .send(
            "secret as a parameter",
            signed_rest(&sb, "/api/v3/account", Params::new().text("secret", &secret1), &key1, &signer2),
        )
        .await;
    assert!(as_param["code"].is_i64(), "{as_param}");
    let other_key = seen
        .send(
            "another key's secret as a parameter",
            signed_rest(&sb, "/api/v3/account", Params::new().text("apiSecret", &secret2), &key1, &signer2),
        )
        .await;
    assert!(other_key["code"].is_i64(), "{other_key}");
    let denied = seen
        .send(
            "order without TRADE",
            client()
                .post(sb.url("/api/v3/order"))
                .header("X-MBX-APIKEY", &key2)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(sign(&order, Placement::Body, &signer2).body().to_owned()),
        )
        .await;
    assert!(denied["code"].is_i64(), "{denied}");
    let wrong_token = seen
        .send(
            "wrong admin token",
            client().get(sb.url("/sandbox/v1/keys")).header("X-Sandbox-Token", "not-the-token"),
        )
        .await;
    assert!(wrong_token.is_object(), "{wrong_token}");

    // The WebSocket API: accepted, a wrong signature, the secret as apiKey.
    let mut ws = crate::ws::connect(&sb, "/ws-api/v3").await;
    let answer = seen
        .frame("ws account.status", &mut ws, json!({"id": 1, "method": "account.status", "params": crate::ws::signed_with(json!({}), &key1, &signer1)}))
        .await;
    assert_eq!(answer["status"], 200, "{answer}");
    let answer = seen
        .frame("ws wrong signature", &mut ws, json!({"id": 2, "method": "account.status", "params": crate::ws::signed_with(json!({}), &key1, &signer2)}))
        .await;
    assert_eq!(answer["status"], 400, "{answer}");
    let answer = seen
        .frame("ws secret as apiKey", &mut ws, json!({"id": 3, "method": "account.status", "params": crate::ws::signed_with(json!({}), &secret1, &signer1)}))
        .await;
    assert!(answer["status"].as_u64().is_some_and(|s| s >= 400), "{answer}");
    let answer = seen
        .frame("ws secret as a parameter", &mut ws, json!({"id": 4, "method": "account.status", "params": crate::ws::signed_with(json!({"secretKey": secret1}), &key1, &signer2)}))
        .await;
    assert_eq!(answer["status"], 400, "{answer}");
    drop(ws);

    // What the admin API and the console show afterwards.
    let log = seen
        .send("console log", admin(&sb, reqwest::Method::GET, "/sandbox/v1/console/log?limit=1000"))
        .await;
    let entries = log["entries"].as_array().cloned().unwrap_or_default();
    assert!(entries.len() >= 10, "{log}");
    for e in &entries {
        let id = e["id"].as_u64().unwrap();
        seen.send(
            &format!("console log entry {id}"),
            admin(&sb, reqwest::Method::GET, &format!("/sandbox/v1/console/log/{id}")),
        )
        .await;
    }
    let rejections =
        seen.send("rejections", admin(&sb, reqwest::Method::GET, "/sandbox/v1/rejections")).await;
    assert!(rejections.to_string().contains("-1022"), "{rejections}");
    for path in [
        "/sandbox/v1/keys",
        "/sandbox/v1/health",
        "/sandbox/v1/console/keys",
        "/sandbox/v1/console/accounts",
        "/sandbox/v1/console/settings",
        "/sandbox/v1/console/orders?account=1",
    ] {
        seen.send(path, admin(&sb, reqwest::Method::GET, path)).await;
    }
    let by_query = seen
        .send("token in the query", client().get(sb.url(&format!("/sandbox/v1/keys?sandboxToken={TOKEN}"))))
        .await;
    assert!(by_query.is_array() || by_query.is_object(), "{by_query}");

    // The console's live feed (its token in the query, as the page opens it): the first batch.
    let mut live =
        crate::ws::connect(&sb, &format!("/sandbox/v1/console/live?after=0&sandboxToken={TOKEN}")).await;
    let first = crate::ws::next_json(&mut live).await;
    assert_eq!(first["type"], "log", "{first}");
    assert!(first["entries"].as_array().is_some_and(|e| e.len() >= 10), "{first}");
    seen.0.push(("the console's live feed".into(), first.to_string()));
    drop(live);

    let secrets = [
        Secret::bytes("admin token", TOKEN.as_bytes()),
        Secret::bytes("first created HMAC secret", secret1.as_bytes()),
        Secret::bytes("second created HMAC secret", secret2.as_bytes()),
    ];
    seen.assert_hidden(&secrets);
    // Debug of what holds them.
    assert_hidden(&builder_debug, &secrets, "SandboxBuilder Debug");
    assert_hidden(&format!("{sb:?} {sb:#?}"), &secrets, "TestSandbox Debug");
    assert_hidden(&format!("{:?} {:#?}", sb.state(), sb.state()), &secrets, "AppState Debug");
    assert_hidden(&format!("{:?}", sb.state().keys()), &secrets, "KeyRing Debug");
    for key in [&key1, &key2] {
        let entry = sb.state().keys().get(key).expect("usable key");
        assert_hidden(&format!("{entry:?} {entry:#?}"), &secrets, "KeyEntry Debug");
    }
    let stored = sb.state().engine().keys().await.expect("stored keys");
    assert!(stored.len() >= 3);
    assert_hidden(&format!("{stored:?} {stored:#?}"), &secrets, "StoredKey Debug");
    sb.shutdown().await;
    // The logs of all of it, at every level.
    let logs = capture.text();
    assert!(logs.contains("mbx_sandbox::request"), "the capture saw the request log");
    let (wire, ours): (Vec<&str>, Vec<&str>) = logs.lines().partition(|l| l.starts_with("LOG "));
    assert!(!wire.is_empty(), "the capture saw tungstenite's log records");
    assert_hidden(&ours.join("\n"), &secrets, "the sandbox's logs (tracing, every level)");
    // tungstenite logs every frame at TRACE as it is on the wire, and its client the request line of
    // each handshake: the frame this test sent with the first secret as its apiKey is there, and the
    // live feed's URL with the token (as the test's own client wrote them: a third-party dump of raw
    // traffic, not the sandbox's words). Nothing else is.
    let wire: Vec<&str> =
        wire.into_iter().filter(|l| !l.starts_with("LOG TRACE tungstenite::handshake::client")).collect();
    assert_hidden(&wire.join("\n"), &[secrets[0].clone(), secrets[2].clone()], "tungstenite's log records");
}
