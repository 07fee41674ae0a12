//! State in a data directory survives a restart.

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::KeyKind;
use mbx_testkit::keys::{public_pem, signer};
use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::json;

use crate::support::{admin, now_ms, send, sign};

#[tokio::test]
async fn registered_keys_survive_restart_with_data_dir() {
    let dir = TempDir::new("mbx-sandbox-persist");
    let sb = TestSandbox::start_in(dir.path()).await;
    let ed =
        admin(&sb, "/sandbox/v1/keys", json!({"kind": "ed25519", "publicKey": public_pem(KeyKind::Ed25519)}))
            .await;
    ed.assert_ok();
    let hmac = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac", "permissions": ["USER_DATA"]})).await;
    hmac.assert_ok();
    sb.shutdown().await;
    assert!(dir.path().join("sandbox.db").is_file());

    let sb = TestSandbox::start_in(dir.path()).await;
    let p = Params::new().int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &signer(KeyKind::Ed25519));
    let a = send(&sb, Method::GET, "/api/v3/account", s.query(), "", ed.json["apiKey"].as_str()).await;
    a.assert_ok();
    assert_eq!(a.json["balances"].as_array().unwrap().len(), 7, "demo balances seeded once, not twice");

    let secret = hmac.json["secretKey"].as_str().unwrap();
    let hs = mbx_core::Signer::Hmac(mbx_core::sign::HmacSigner::new(secret.as_bytes()));
    let s = sign(&Params::new().int("timestamp", now_ms()), Placement::Query, &hs);
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", hmac.json["apiKey"].as_str()).await.assert_ok();
    sb.shutdown().await;
}

#[tokio::test]
async fn memory_sandbox_starts_fresh() {
    let sb = TestSandbox::start().await;
    let k = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac"})).await;
    k.assert_ok();
    sb.shutdown().await;
    let sb = TestSandbox::start().await;
    let p = Params::new().int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &crate::support::demo_signer());
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", k.json["apiKey"].as_str())
        .await
        .assert_rejected(401, -2015, "Invalid API-key, IP, or permissions for action.");
}

#[tokio::test]
async fn shutdown_does_not_hang_on_a_half_sent_request() {
    use tokio::io::AsyncWriteExt;
    let grace = std::time::Duration::from_millis(200);
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().shutdown_grace(grace)).await;
    let mut half = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    half.write_all(b"GET /api/v3/ping HTTP/1.1\r\nHost: s\r\n").await.unwrap();
    // A complete exchange after it proves the half-sent one was accepted first.
    let ok = mbx_testkit::send_raw(
        sb.addr(),
        b"GET /api/v3/ping HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(ok.unwrap().status, 200);
    tokio::time::timeout(std::time::Duration::from_secs(5), sb.shutdown())
        .await
        .expect("shutdown within the grace");
}
