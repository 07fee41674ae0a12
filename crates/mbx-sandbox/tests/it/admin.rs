//! The admin API: keys of every kind registered and then used, clock, health, loopback only.

use axum::body::Body;
use axum::http::Request;
use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::KeyKind;
use mbx_sandbox::{Sandbox, router};
use mbx_testkit::TestSandbox;
use mbx_testkit::keys::{public_pem, signer};
use reqwest::Method;
use serde_json::json;
use tower::ServiceExt;

use crate::support::{admin, get, now_ms, send, sign};

async fn account_with(sb: &TestSandbox, kind: KeyKind) {
    let k = admin(
        sb,
        "/sandbox/v1/keys",
        json!({"kind": kind.as_str(), "publicKey": public_pem(kind), "permissions": ["USER_DATA"]}),
    )
    .await;
    k.assert_ok();
    assert!(k.json.get("secretKey").is_none(), "no secret for {kind}: {}", k.json);
    let api_key = k.json["apiKey"].as_str().unwrap();
    assert_eq!(api_key.len(), 64);

    let p = Params::new().bool("omitZeroBalances", true).int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &signer(kind));
    assert!(
        s.query().contains("signature=") && s.query().contains("%"),
        "base64 is percent-encoded: {}",
        s.query()
    );
    let a = send(sb, Method::GET, "/api/v3/account", s.query(), "", Some(api_key)).await;
    a.assert_ok();
    assert_eq!(a.weight, Some(20));
    assert_eq!(a.json["balances"][0]["asset"], "456");

    // The same signature over a changed payload fails, and the hint names the key kind.
    let tampered = s.query().replace("omitZeroBalances=true", "omitZeroBalances=false");
    let bad = send(sb, Method::GET, "/api/v3/account", &tampered, "", Some(api_key)).await;
    bad.assert_rejected(400, -1022, "Signature for this request is not valid.");
    assert!(bad.hint().contains(kind.as_str()), "{}", bad.hint());
}

#[tokio::test]
async fn ed25519_key_registered_via_admin_signs_account() {
    let sb = TestSandbox::start().await;
    account_with(&sb, KeyKind::Ed25519).await;
}

#[tokio::test]
async fn rsa_key_registered_via_admin_signs_account() {
    let sb = TestSandbox::start().await;
    account_with(&sb, KeyKind::Rsa).await;
}

#[tokio::test]
async fn base64_signature_with_raw_plus_is_1022() {
    let sb = TestSandbox::start().await;
    let k =
        admin(&sb, "/sandbox/v1/keys", json!({"kind": "ed25519", "publicKey": public_pem(KeyKind::Ed25519)}))
            .await;
    let api_key = k.json["apiKey"].as_str().unwrap().to_owned();
    let ed = signer(KeyKind::Ed25519);
    // Find a timestamp whose signature holds a '+', then send it unencoded.
    let (payload, sig) = (0..200u64)
        .map(|i| {
            let payload = format!("timestamp={}", now_ms() + i % 500);
            let sig = ed.sign(payload.as_bytes());
            (payload, sig)
        })
        .find(|(_, s)| s.as_str().contains('+'))
        .expect("a signature with '+' among 200");
    let raw = format!("{payload}&signature={}", sig.as_str());
    let a = send(&sb, Method::GET, "/api/v3/account", &raw, "", Some(&api_key)).await;
    a.assert_rejected(400, -1022, "Signature for this request is not valid.");
    assert!(a.hint().contains("%2B"), "{}", a.hint());
    let encoded = format!("{payload}&signature={}", sig.url_encoded());
    send(&sb, Method::GET, "/api/v3/account", &encoded, "", Some(&api_key)).await.assert_ok();
}

/// Two keys of one account mixed up (the second key's API key, signed with the first key's
/// secret): the rejection's diagnosis names the key whose secret signed it, and no diagnosis
/// shows that secret.
#[tokio::test]
async fn a_request_signed_with_another_key_of_the_account_names_it() {
    let sb = TestSandbox::start().await;
    let k = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac"})).await;
    k.assert_ok();
    let demo = mbx_core::Signer::Hmac(mbx_core::sign::HmacSigner::new(
        mbx_testkit::keys::DEMO_SECRET_KEY.as_bytes(),
    ));
    let s = sign(&Params::new().text("timestamp", now_ms().to_string()), Placement::Query, &demo);
    let a = send(&sb, Method::GET, "/api/v3/account", s.query(), "", k.json["apiKey"].as_str()).await;
    assert_eq!(a.code(), -1022, "{a:?}");
    let log = get(&sb, "/sandbox/v1/rejections?limit=1").await;
    let finding = &log.json["rejections"][0]["diagnosis"]["findings"][0];
    assert_eq!(finding["cause"], "secret-other-environment", "{}", log.json);
    let short = format!("{}...", &crate::support::DEMO_API_KEY[..4]);
    assert!(finding["evidence"].as_str().is_some_and(|e| e.contains(&short)), "{finding}");
    assert!(!log.json.to_string().contains(mbx_testkit::keys::DEMO_SECRET_KEY), "{}", log.json);
}

#[tokio::test]
async fn hmac_key_registered_via_admin_gets_a_secret_that_signs() {
    let sb = TestSandbox::start().await;
    let k =
        admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac", "permissions": ["TRADE", "USER_DATA"]})).await;
    k.assert_ok();
    let secret = k.json["secretKey"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert_eq!(k.json["permissions"], json!(["TRADE", "USER_DATA"]));
    let hmac = mbx_core::Signer::Hmac(mbx_core::sign::HmacSigner::new(secret.as_bytes()));
    let s = sign(&crate::support::docs_order(), Placement::Body, &hmac);
    send(&sb, Method::POST, "/api/v3/order/test", s.query(), s.body(), k.json["apiKey"].as_str())
        .await
        .assert_ok();
}

#[tokio::test]
async fn admin_rejects_bad_key_requests_with_field_and_hint() {
    let sb = TestSandbox::start().await;
    let private = mbx_testkit::keys::read_vector_file("ed25519-private.pem");
    let cases = [
        (json!({"kind": "dsa"}), "kind"),
        (json!({"kind": "ed25519"}), "publicKey"),
        (json!({"kind": "ed25519", "publicKey": private}), "publicKey"),
        (json!({"kind": "rsa", "publicKey": public_pem(KeyKind::Ed25519)}), "kind"),
        (json!({"kind": "ed25519", "publicKey": "not a pem"}), "publicKey"),
        (json!({"kind": "hmac", "permissions": ["SPOT"]}), "permissions"),
        (json!({"kind": "hmac", "extra": 1}), "body"),
    ];
    for (body, field) in cases {
        let a = admin(&sb, "/sandbox/v1/keys", body.clone()).await;
        a.assert_rejected(400, -1130, &format!("Data sent for parameter '{field}' is not valid."));
        assert!(a.hint().starts_with("Admin request rejected"), "{body}: {}", a.hint());
    }
}

#[tokio::test]
async fn health_answers_ok() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/sandbox/v1/health").await;
    a.assert_ok();
    assert_eq!(a.json["status"], "ok");
    assert_eq!(a.json["symbols"], 6);
}

#[tokio::test]
async fn admin_refuses_clients_without_loopback_connection_info() {
    // Driven in-process, without a socket: no connection info, so not known to be loopback.
    let state = Sandbox::builder().memory().state().unwrap();
    let app = router(state.clone());
    let req = Request::post("/sandbox/v1/clock").body(Body::from(r#"{"offsetMs":5}"#)).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.headers().contains_key("x-sandbox-hint"));
    assert_eq!(state.clock().offset_ms(), 0);
    // Public routes answer in-process too.
    let resp = app.oneshot(Request::get("/api/v3/ping").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-mbx-used-weight-1m"], "1");
    // And the legacy header with the same number, which Binance still sends.
    assert_eq!(resp.headers()["x-mbx-used-weight"], "1");
}

/// The admin API's access rules over a real socket: a token when one is required, no cross-site
/// page, no form bodies; the console's files load without the token.
#[tokio::test]
async fn admin_api_requires_its_token_and_refuses_cross_site_requests() {
    let sb = mbx_testkit::TestSandbox::start_with(
        mbx_sandbox::Sandbox::builder().memory().market_maker(false).admin_token("T0kenForTests"),
    )
    .await;
    let http = reqwest::Client::new();
    let health = sb.url("/sandbox/v1/health");
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(http.get(&health).send().await.unwrap()), 401, "no token");
    assert_eq!(status(http.get(&health).header("X-Sandbox-Token", "wrong").send().await.unwrap()), 401);
    assert_eq!(
        status(http.get(&health).header("X-Sandbox-Token", "T0kenForTests").send().await.unwrap()),
        200
    );
    assert_eq!(status(http.get(&health).bearer_auth("T0kenForTests").send().await.unwrap()), 200);
    // A page of another site, even with the token (a browser would not have it, but still).
    let cross = http
        .post(sb.url("/sandbox/v1/deposit"))
        .header("X-Sandbox-Token", "T0kenForTests")
        .header("Origin", "http://evil.example")
        .json(&serde_json::json!({"asset": "USDT", "amount": "1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(status(cross), 403);
    // A form body: 415, with the fix in the message.
    let form = http
        .post(sb.url("/sandbox/v1/deposit"))
        .header("X-Sandbox-Token", "T0kenForTests")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("asset=USDT&amount=1")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 415);
    let hint = form.headers().get("x-sandbox-hint").and_then(|h| h.to_str().ok()).unwrap_or_default();
    assert!(hint.contains("Content-Type: application/json"), "{hint}");
    // The console's page itself loads without the token (it holds no data).
    let page = http.get(sb.url("/")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    // Binance's endpoints never need it.
    assert_eq!(status(http.get(sb.url("/api/v3/ping")).send().await.unwrap()), 200);
    sb.shutdown().await;
}
