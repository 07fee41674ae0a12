//! The admin API's accounts, deposits and key management: create an account with balances, give it a
//! key, deposit by account or key, list keys (never a secret), revoke a key (then `-2015`).

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::{HmacSigner, Signer};
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Answer, DEMO_API_KEY, admin, client, empty_books, now_ms, send, sign};

/// `GET /api/v3/account` signed with an HMAC key.
async fn account(sb: &TestSandbox, api_key: &str, secret: &str) -> Answer {
    let p = Params::new().int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &Signer::Hmac(HmacSigner::new(secret.as_bytes())));
    send(sb, Method::GET, "/api/v3/account", s.query(), "", Some(api_key)).await
}

fn free(a: &Answer, asset: &str) -> Option<String> {
    a.json["balances"]
        .as_array()?
        .iter()
        .find(|b| b["asset"] == asset)
        .map(|b| b["free"].as_str().unwrap_or("").to_owned())
}

async fn admin_call(sb: &TestSandbox, method: Method, path: &str) -> Answer {
    Answer::read(client().request(method, sb.url(path)).send().await.expect("request sent")).await
}

#[tokio::test]
async fn created_account_gets_a_key_and_deposits() {
    let sb = empty_books().await;
    let created =
        admin(&sb, "/sandbox/v1/accounts", json!({"name": "alice", "balances": {"USDT": "250.5", "BTC": 0}}))
            .await;
    created.assert_ok();
    let id = created.json["accountId"].as_i64().expect("accountId");
    assert!(id >= 100, "{created:?}");
    assert_eq!(created.json["name"], "alice");

    let key = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac", "account": id})).await;
    key.assert_ok();
    assert_eq!(key.json["accountId"], id);
    let (api_key, secret) = (key.json["apiKey"].as_str().unwrap(), key.json["secretKey"].as_str().unwrap());
    let a = account(&sb, api_key, secret).await;
    a.assert_ok();
    assert_eq!(free(&a, "USDT").as_deref(), Some("250.50000000"), "{}", a.json);

    let by_key =
        admin(&sb, "/sandbox/v1/deposit", json!({"apiKey": api_key, "asset": "USDT", "amount": "0.25"}))
            .await;
    by_key.assert_ok();
    assert_eq!(
        (by_key.json["accountId"].as_i64(), by_key.json["free"].as_str()),
        (Some(id), Some("250.75000000"))
    );
    let by_id = admin(&sb, "/sandbox/v1/deposit", json!({"account": id, "asset": "ETH", "amount": 2})).await;
    by_id.assert_ok();
    let a = account(&sb, api_key, secret).await;
    assert_eq!(
        (free(&a, "USDT").as_deref(), free(&a, "ETH").as_deref()),
        (Some("250.75000000"), Some("2.00000000")),
        "{}",
        a.json
    );

    let taken = admin(&sb, "/sandbox/v1/accounts", json!({"name": "alice"})).await;
    assert_eq!((taken.status, taken.code()), (400, -1130), "{taken:?}");
}

#[tokio::test]
async fn admin_account_and_deposit_requests_are_checked() {
    let sb = empty_books().await;
    for (path, body) in [
        ("/sandbox/v1/keys", json!({"kind": "hmac", "account": 9999})),
        ("/sandbox/v1/deposit", json!({"account": 9999, "asset": "USDT", "amount": "1"})),
        (
            "/sandbox/v1/deposit",
            json!({"account": 1, "apiKey": DEMO_API_KEY, "asset": "USDT", "amount": "1"}),
        ),
        ("/sandbox/v1/deposit", json!({"account": 1, "asset": "USDT", "amount": "-1"})),
        ("/sandbox/v1/deposit", json!({"account": 1, "asset": "US DT", "amount": "1"})),
        ("/sandbox/v1/accounts", json!({"balances": {"USDT": "lots"}})),
    ] {
        let a = admin(&sb, path, body.clone()).await;
        assert_eq!((a.status, a.code()), (400, -1130), "{path} {body}: {a:?}");
        assert!(!a.hint().is_empty());
    }
}

#[tokio::test]
async fn keys_are_listed_without_secrets_and_revoked_keys_get_2015() {
    let sb = empty_books().await;
    let key = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac"})).await;
    let (api_key, secret) =
        (key.json["apiKey"].as_str().unwrap().to_owned(), key.json["secretKey"].as_str().unwrap().to_owned());
    account(&sb, &api_key, &secret).await.assert_ok();

    let list = admin_call(&sb, Method::GET, "/sandbox/v1/keys").await;
    list.assert_ok();
    let keys = list.json["keys"].as_array().expect("keys");
    assert!(keys.iter().any(|k| k["apiKey"] == DEMO_API_KEY && k["kind"] == "hmac" && k["accountId"] == 1));
    assert!(keys.iter().any(|k| k["apiKey"] == api_key.as_str() && k["revoked"] == false));
    let text = list.json.to_string();
    assert!(!text.contains(&secret) && !text.contains("secretKey"), "{text}");

    let revoked = admin_call(&sb, Method::DELETE, &format!("/sandbox/v1/keys?apiKey={api_key}")).await;
    revoked.assert_ok();
    assert_eq!(revoked.json, json!({"apiKey": api_key, "revoked": true}));
    let refused = account(&sb, &api_key, &secret).await;
    refused.assert_rejected(401, -2015, "Invalid API-key, IP, or permissions for action.");
    let list = admin_call(&sb, Method::GET, "/sandbox/v1/keys").await;
    let row: Vec<&Value> =
        list.json["keys"].as_array().unwrap().iter().filter(|k| k["apiKey"] == api_key.as_str()).collect();
    assert_eq!(row[0]["revoked"], true);

    let again = admin_call(&sb, Method::DELETE, &format!("/sandbox/v1/keys?apiKey={api_key}")).await;
    assert_eq!((again.status, again.code()), (400, -1130), "{again:?}");
    let missing = admin_call(&sb, Method::DELETE, "/sandbox/v1/keys").await;
    assert_eq!(missing.status, 400, "{missing:?}");
}

#[tokio::test]
async fn revoked_key_stays_revoked_after_restart() {
    let dir = mbx_testkit::TempDir::new("revoke");
    let sb = TestSandbox::start_in(dir.path()).await;
    let key = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac"})).await;
    let (api_key, secret) =
        (key.json["apiKey"].as_str().unwrap().to_owned(), key.json["secretKey"].as_str().unwrap().to_owned());
    admin_call(&sb, Method::DELETE, &format!("/sandbox/v1/keys?apiKey={api_key}")).await.assert_ok();
    sb.shutdown().await;
    let sb = TestSandbox::start_in(dir.path()).await;
    let refused = account(&sb, &api_key, &secret).await;
    assert_eq!((refused.status, refused.code()), (401, -2015), "{refused:?}");
}
