//! The sandbox admin calls of the client: list and revoke keys, health.

use mbx_client::{Client, Error};
use mbx_testkit::TestSandbox;

/// Registers an HMAC key through the admin API (with a body, which the client does not send).
async fn add_hmac_key(sb: &TestSandbox) -> String {
    mbx_testkit::install_tls_provider();
    let resp = reqwest::Client::new()
        .post(sb.url("/sandbox/v1/keys"))
        .header("Content-Type", "application/json")
        .body(r#"{"kind":"hmac"}"#)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let v: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    v["apiKey"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn sandbox_admin_lists_revokes_keys_and_reports_health() {
    let sb = TestSandbox::start().await;
    let client = Client::builder().base_url(sb.rest_url()).build().unwrap();
    let health = client.sandbox_health().await.unwrap();
    assert_eq!(health.status, "ok");
    let before = client.sandbox_keys().await.unwrap();
    assert_eq!(health.keys, before.len() as u64);
    assert!(before.iter().any(|k| k.api_key == mbx_testkit::keys::DEMO_API_KEY && !k.revoked));

    let added = add_hmac_key(&sb).await;
    let keys = client.sandbox_keys().await.unwrap();
    let key = keys.iter().find(|k| k.api_key == added).unwrap();
    assert_eq!((key.kind.as_str(), key.revoked), ("hmac", false));
    assert!(key.permissions.iter().any(|p| p == "TRADE"), "{key:?}");

    let revoked = client.sandbox_revoke_key(&added).await.unwrap();
    assert_eq!((revoked.api_key.as_str(), revoked.revoked), (added.as_str(), true));
    let keys = client.sandbox_keys().await.unwrap();
    assert!(keys.iter().any(|k| k.api_key == added && k.revoked));
    // A second revocation is refused with the sandbox's error, typed, and its reason.
    match client.sandbox_revoke_key(&added).await {
        Err(e @ Error::Admin { .. }) => {
            assert_eq!(e.code(), Some(mbx_core::ErrorCode::INVALID_PARAMETER), "{e}");
            let Error::Admin { error, hint } = &e else { unreachable!() };
            assert!(error.msg.contains("'apiKey'"), "{e}");
            assert!(hint.as_deref().is_some_and(|h| h.contains("apiKey")), "{e}");
            assert!(!e.to_string().contains(&added), "the key is shortened: {e}");
        }
        other => panic!("expected the sandbox's refusal, got {other:?}"),
    }
}
