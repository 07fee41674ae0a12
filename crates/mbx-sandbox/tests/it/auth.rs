//! Authentication exactly as Binance: key header, parameters, timing, signature, each rejection with
//! Binance's code, message and HTTP status, and a hint.

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::json;

use crate::support::{
    Answer, DEMO_API_KEY, admin, client, demo_signer, docs_order, now_ms, send, send_signed, sign,
};

const ORDER_TEST: &str = "/api/v3/order/test";
const MISSING_SIGNATURE: &str = "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.";
const MISSING_TIMESTAMP: &str = "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.";

#[tokio::test]
async fn docs_hmac_example_with_fresh_timestamp_is_accepted() {
    let sb = TestSandbox::start().await;
    let a = send_signed(&sb, Method::POST, ORDER_TEST, &docs_order(), Placement::Query).await;
    a.assert_ok();
    assert_eq!(a.json, json!({}));
    assert_eq!(a.weight, Some(1));
}

#[tokio::test]
async fn query_body_split_and_body_only_are_accepted() {
    let sb = TestSandbox::start().await;
    for placement in [Placement::Split(4), Placement::Body, Placement::Split(0)] {
        send_signed(&sb, Method::POST, ORDER_TEST, &docs_order(), placement).await.assert_ok();
    }
}

#[tokio::test]
async fn unicode_symbol_percent_encoded_is_accepted() {
    let sb = TestSandbox::start().await;
    let p = docs_order().text("symbol", "这是测试币456").text("price", "1").text("quantity", "2");
    let s = sign(&p, Placement::Query, &demo_signer());
    assert!(s.query().starts_with("symbol=%E8%BF%99"), "{}", s.query());
    send(&sb, Method::POST, ORDER_TEST, s.query(), s.body(), Some(DEMO_API_KEY)).await.assert_ok();
}

#[tokio::test]
async fn hmac_signature_upper_cased_is_accepted() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let upper = format!("{}&signature={}", s.payload(), s.signature().as_str().to_uppercase());
    send(&sb, Method::POST, ORDER_TEST, &upper, "", Some(DEMO_API_KEY)).await.assert_ok();
}

#[tokio::test]
async fn query_wins_over_body_for_the_same_parameter() {
    let sb = TestSandbox::start().await;
    // The body's symbol would be -1121; the query's is used. Both are signed as sent.
    let query = format!("symbol=LTCBTC&timestamp={}", now_ms());
    let body = "symbol=NOPE&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1";
    let sig = demo_signer().sign(format!("{query}{body}").as_bytes());
    let body = format!("{body}&signature={sig}");
    send(&sb, Method::POST, ORDER_TEST, &query, &body, Some(DEMO_API_KEY)).await.assert_ok();
}

#[tokio::test]
async fn missing_api_key_header_is_2014() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let a = send(&sb, Method::POST, ORDER_TEST, s.query(), "", None).await;
    a.assert_rejected(401, -2014, "API-key format invalid.");
    assert!(a.hint().contains("no X-MBX-APIKEY header"), "{}", a.hint());
}

#[tokio::test]
async fn api_key_as_query_parameter_is_2014() {
    let sb = TestSandbox::start().await;
    let p = docs_order().text("apiKey", DEMO_API_KEY);
    let s = sign(&p, Placement::Query, &demo_signer());
    let a = send(&sb, Method::POST, ORDER_TEST, s.query(), "", None).await;
    a.assert_rejected(401, -2014, "API-key format invalid.");
    // The doctor's finding: the key travels as a parameter.
    assert!(a.hint().contains("parameter 'apiKey'") && a.hint().contains("X-MBX-APIKEY"), "{}", a.hint());
}

#[tokio::test]
async fn api_key_in_authorization_header_is_2014() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let resp = client()
        .post(sb.url(&s.path_and_query(ORDER_TEST)))
        .header("Authorization", format!("X-MBX-APIKEY: {DEMO_API_KEY}"))
        .send()
        .await
        .unwrap();
    let a = Answer::read(resp).await;
    a.assert_rejected(401, -2014, "API-key format invalid.");
    assert!(a.hint().contains("Authorization"), "{}", a.hint());
}

#[tokio::test]
async fn malformed_api_key_header_is_2014() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let quoted = format!("\"{DEMO_API_KEY}\"");
    let a = send(&sb, Method::POST, ORDER_TEST, s.query(), "", Some(&quoted)).await;
    a.assert_rejected(401, -2014, "API-key format invalid.");
}

#[tokio::test]
async fn unknown_api_key_is_2015() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let unknown = "A".repeat(64);
    let a = send(&sb, Method::POST, ORDER_TEST, s.query(), "", Some(&unknown)).await;
    a.assert_rejected(401, -2015, "Invalid API-key, IP, or permissions for action.");
    assert!(a.hint().contains("No API key AAAA"), "{}", a.hint());
}

#[tokio::test]
async fn key_without_trade_permission_is_2015() {
    let sb = TestSandbox::start().await;
    let k = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac", "permissions": ["USER_DATA"]})).await;
    k.assert_ok();
    let (api_key, secret) = (k.json["apiKey"].as_str().unwrap(), k.json["secretKey"].as_str().unwrap());
    let signer = mbx_core::Signer::Hmac(mbx_core::sign::HmacSigner::new(secret.as_bytes()));
    let s = sign(&docs_order(), Placement::Query, &signer);
    let a = send(&sb, Method::POST, ORDER_TEST, s.query(), "", Some(api_key)).await;
    a.assert_rejected(401, -2015, "Invalid API-key, IP, or permissions for action.");
    assert!(a.hint().contains("lacks the TRADE permission"), "{}", a.hint());
    // The same key may read the account.
    let p = Params::new().int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &signer);
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", Some(api_key)).await.assert_ok();
}

#[tokio::test]
async fn tampered_payload_is_1022_and_hint_shows_the_verified_payload() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let tampered = s.query().replace("quantity=1", "quantity=2");
    let a = send(&sb, Method::POST, ORDER_TEST, &tampered, "", Some(DEMO_API_KEY)).await;
    a.assert_rejected(400, -1022, "Signature for this request is not valid.");
    let verified = s.payload().replace("quantity=1", "quantity=2");
    assert!(a.hint().contains(&format!("`{verified}`")), "{}", a.hint());
}

/// Binance takes the signature from the end of the query string (or body): a right signature
/// followed by other parameters (a sorting URL builder: Go's `url.Values.Encode`) is `-1022`. A
/// signature last in the query with the other parameters in the body is fine.
#[tokio::test]
async fn a_signature_that_is_not_the_last_parameter_is_1022() {
    let sb = TestSandbox::start().await;
    let payload = format!("symbol=LTCBTC&timestamp={}", now_ms());
    let sig = demo_signer().sign(payload.as_bytes());
    let (symbol, timestamp) = payload.split_once('&').unwrap();
    let sorted = format!("signature={sig}&{symbol}&{timestamp}");
    let a = send(&sb, Method::GET, "/api/v3/openOrders", &sorted, "", Some(DEMO_API_KEY)).await;
    a.assert_rejected(400, -1022, "Signature for this request is not valid.");
    assert!(a.hint().contains("not the last parameter"), "{}", a.hint());
    let last = format!("{payload}&signature={sig}");
    send(&sb, Method::GET, "/api/v3/openOrders", &last, "", Some(DEMO_API_KEY)).await.assert_ok();
    // timestamp and signature in the query, the rest in the body (signed as query then body).
    let query = format!("timestamp={}", now_ms());
    let body = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1";
    let sig = demo_signer().sign(format!("{query}{body}").as_bytes());
    send(&sb, Method::POST, ORDER_TEST, &format!("{query}&signature={sig}"), body, Some(DEMO_API_KEY))
        .await
        .assert_ok();
}

#[tokio::test]
async fn signing_json_instead_of_query_is_1022() {
    let sb = TestSandbox::start().await;
    let ts = now_ms();
    let json_text = format!(
        r#"{{"symbol":"LTCBTC","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1","price":"0.1","timestamp":{ts}}}"#
    );
    let sig = demo_signer().sign(json_text.as_bytes());
    let query = format!(
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&timestamp={ts}&signature={sig}"
    );
    let a = send(&sb, Method::POST, ORDER_TEST, &query, "", Some(DEMO_API_KEY)).await;
    a.assert_rejected(400, -1022, "Signature for this request is not valid.");
}

#[tokio::test]
async fn json_body_is_not_read() {
    let sb = TestSandbox::start().await;
    let body = json!({"symbol": "LTCBTC", "timestamp": now_ms(), "signature": "00"});
    let resp = client()
        .post(sb.url(ORDER_TEST))
        .header("X-MBX-APIKEY", DEMO_API_KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    Answer::read(resp).await.assert_rejected(400, -1102, MISSING_TIMESTAMP);
}

#[tokio::test]
async fn missing_signature_is_1102() {
    let sb = TestSandbox::start().await;
    let s = sign(&docs_order(), Placement::Query, &demo_signer());
    let a = send(&sb, Method::POST, ORDER_TEST, s.payload(), "", Some(DEMO_API_KEY)).await;
    a.assert_rejected(400, -1102, MISSING_SIGNATURE);
    let empty = format!("{}&signature=", s.payload());
    send(&sb, Method::POST, ORDER_TEST, &empty, "", Some(DEMO_API_KEY)).await.assert_rejected(
        400,
        -1102,
        MISSING_SIGNATURE,
    );
}

#[tokio::test]
async fn missing_timestamp_is_1102() {
    let sb = TestSandbox::start().await;
    let mut p = docs_order();
    p.remove("timestamp");
    let a = send_signed(&sb, Method::POST, ORDER_TEST, &p, Placement::Query).await;
    a.assert_rejected(400, -1102, MISSING_TIMESTAMP);
}

#[tokio::test]
async fn recv_window_above_60000_is_1102() {
    let sb = TestSandbox::start().await;
    let p = docs_order().text("recvWindow", "70000");
    let a = send_signed(&sb, Method::POST, ORDER_TEST, &p, Placement::Query).await;
    a.assert_rejected(400, -1102, "'recvWindow' contains unexpected value. Cannot be greater than 60000.");
}

#[tokio::test]
async fn timestamp_ahead_of_server_is_1021() {
    let sb = TestSandbox::start().await;
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": -60_000})).await.assert_ok();
    let a = send_signed(&sb, Method::POST, ORDER_TEST, &docs_order(), Placement::Query).await;
    a.assert_rejected(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
    assert!(a.hint().contains("ahead of the server"), "{}", a.hint());
}

#[tokio::test]
async fn timestamp_outside_recv_window_is_1021() {
    let sb = TestSandbox::start().await;
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 60_000})).await.assert_ok();
    let a = send_signed(&sb, Method::POST, ORDER_TEST, &docs_order(), Placement::Query).await;
    a.assert_rejected(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    // A wide enough window accepts it again.
    let p = docs_order().text("recvWindow", "60000");
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 30_000})).await.assert_ok();
    send_signed(&sb, Method::POST, ORDER_TEST, &p, Placement::Query).await.assert_ok();
}

#[tokio::test]
async fn seconds_timestamp_is_1021_and_micros_timestamp_is_accepted() {
    let sb = TestSandbox::start().await;
    let secs = docs_order().int("timestamp", now_ms() / 1000);
    send_signed(&sb, Method::POST, ORDER_TEST, &secs, Placement::Query).await.assert_rejected(
        400,
        -1021,
        "Timestamp for this request is outside of the recvWindow.",
    );
    let micros = docs_order().int("timestamp", now_ms() * 1000);
    send_signed(&sb, Method::POST, ORDER_TEST, &micros, Placement::Query).await.assert_ok();
}

#[tokio::test]
async fn order_checks_follow_authentication() {
    let sb = TestSandbox::start().await;
    let p = docs_order().text("price", "0.1000001");
    send_signed(&sb, Method::POST, ORDER_TEST, &p, Placement::Query).await.assert_rejected(
        400,
        -1013,
        "Filter failure: PRICE_FILTER",
    );
    let p = docs_order().text("symbol", "NOPE");
    send_signed(&sb, Method::POST, ORDER_TEST, &p, Placement::Query).await.assert_rejected(
        400,
        -1121,
        "Invalid symbol.",
    );
}

#[tokio::test]
async fn an_hmac_never_reset_is_named_from_the_keys_earlier_requests() {
    let sb = TestSandbox::start().await;
    // One HMAC written to for every request and never reset (Go's h.Write without h.Reset()): the
    // first signature is right, the second covers both payloads.
    let secret = mbx_testkit::keys::DEMO_SECRET_KEY.as_bytes();
    let first = format!("symbol=BTCUSDT&timestamp={}", now_ms());
    let sig = mbx_core::sign::HmacSigner::new(secret).sign(first.as_bytes());
    let q = format!("{first}&signature={}", sig.as_str());
    send(&sb, Method::GET, "/api/v3/openOrders", &q, "", Some(DEMO_API_KEY)).await.assert_ok();
    let second = format!("symbol=ETHUSDT&timestamp={}", now_ms());
    let sig = mbx_core::sign::HmacSigner::new(secret).sign(format!("{first}{second}").as_bytes());
    let q = format!("{second}&signature={}", sig.as_str());
    let a = send(&sb, Method::GET, "/api/v3/openOrders", &q, "", Some(DEMO_API_KEY)).await;
    assert_eq!(a.code(), -1022, "{a:?}");
    assert!(a.hint().contains("never reset"), "{a:?}");
    let log = crate::support::get(&sb, "/sandbox/v1/rejections?limit=1").await;
    let first_cause = &log.json["rejections"][0]["diagnosis"]["findings"][0]["cause"];
    assert_eq!(first_cause, "hmac-not-reset", "{}", log.json);
    sb.shutdown().await;
}
