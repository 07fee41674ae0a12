//! The SAPI endpoints client libraries read at start (ccxt's `load_markets` with a key): system
//! status, the wallet's coin list, the margin pairs, the trade fees.

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::json;

use crate::support::{get, now_ms, send_signed};

#[tokio::test]
async fn system_status_is_public_and_normal() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/sapi/v1/system/status").await;
    a.assert_ok();
    assert_eq!(a.json, json!({"status": 0, "msg": "normal"}));
}

#[tokio::test]
async fn coin_list_shows_every_balance_and_no_network() {
    let sb = TestSandbox::start().await;
    let signed = Params::new().int("timestamp", now_ms());
    let a = send_signed(&sb, Method::GET, "/sapi/v1/capital/config/getall", &signed, Placement::Query).await;
    a.assert_ok();
    let coins = a.json.as_array().unwrap();
    let usdt = coins.iter().find(|c| c["coin"] == "USDT").expect("USDT listed");
    assert_eq!(usdt["free"], "10000.00000000");
    assert_eq!(usdt["locked"], "0.00000000");
    assert_eq!(usdt["networkList"], json!([]));
    assert_eq!(usdt["depositAllEnable"], false);
    assert!(coins.iter().any(|c| c["coin"] == "这是测试币"));
    // Signed as every USER_DATA endpoint: no signature, no answer.
    let bare = get(&sb, &format!("/sapi/v1/capital/config/getall?timestamp={}", now_ms())).await;
    assert_eq!(bare.status, 401, "{bare:?}");
}

#[tokio::test]
async fn margin_pairs_are_empty_and_take_what_clients_send() {
    let sb = TestSandbox::start().await;
    for path in ["/sapi/v1/margin/allPairs", "/sapi/v1/margin/isolated/allPairs"] {
        // ccxt sends recvWindow; SAPI reads no unknown parameter as an error (no -1104).
        let p = Params::new().int("recvWindow", 10_000).int("timestamp", now_ms());
        let a = send_signed(&sb, Method::GET, path, &p, Placement::Query).await;
        a.assert_ok();
        assert_eq!(a.json, json!([]), "{path}");
        let p = Params::new().text("symbol", "BTCUSDT").text("bogus", "1").int("timestamp", now_ms());
        send_signed(&sb, Method::GET, path, &p, Placement::Query).await.assert_ok();
    }
}

#[tokio::test]
async fn trade_fees_for_every_symbol_or_one() {
    let sb = TestSandbox::start().await;
    let all = Params::new().int("timestamp", now_ms());
    let a = send_signed(&sb, Method::GET, "/sapi/v1/asset/tradeFee", &all, Placement::Query).await;
    a.assert_ok();
    let fees = a.json.as_array().unwrap();
    assert!(fees.len() >= 5, "{fees:?}");
    assert!(
        fees.contains(&json!({"symbol": "BTCUSDT", "makerCommission": "0.001", "takerCommission": "0.001"}))
    );
    let one = Params::new().text("symbol", "ETHUSDT").int("timestamp", now_ms());
    let b = send_signed(&sb, Method::GET, "/sapi/v1/asset/tradeFee", &one, Placement::Query).await;
    assert_eq!(b.json.as_array().map(Vec::len), Some(1));
    assert_eq!(b.json[0]["symbol"], "ETHUSDT");
    let unknown = Params::new().text("symbol", "NOPEUSDT").int("timestamp", now_ms());
    send_signed(&sb, Method::GET, "/sapi/v1/asset/tradeFee", &unknown, Placement::Query)
        .await
        .assert_rejected(400, -1121, "Invalid symbol.");
}

#[tokio::test]
async fn other_sapi_paths_say_which_are_served() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/sapi/v1/capital/deposit/address?coin=USDT").await;
    assert_eq!(a.status, 404);
    let hint = a.hint.unwrap_or_default();
    assert!(hint.contains("/sapi/v1/capital/config/getall") && hint.contains("spot"), "{hint}");
}
