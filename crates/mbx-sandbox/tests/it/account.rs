//! account, account/commission, order/test with computeCommissionRates.

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::json;

use crate::support::{docs_order, now_ms, send_signed};

#[tokio::test]
async fn account_lists_demo_balances_with_decimals() {
    let sb = TestSandbox::start().await;
    let a = send_signed(
        &sb,
        Method::GET,
        "/api/v3/account",
        &Params::new().int("timestamp", now_ms()),
        Placement::Query,
    )
    .await;
    a.assert_ok();
    assert_eq!(a.weight, Some(20));
    let balances: Vec<(&str, &str, &str)> = a.json["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["asset"].as_str().unwrap(), b["free"].as_str().unwrap(), b["locked"].as_str().unwrap()))
        .collect();
    for expected in [
        ("USDT", "10000.00000000", "0.00000000"),
        ("BTC", "1.00000000", "0.00000000"),
        ("ETH", "10.00000000", "0.00000000"),
        ("LTC", "100.00000000", "0.00000000"),
        ("BNB", "100.00000000", "0.00000000"),
        ("这是测试币", "1000.00000000", "0.00000000"),
        ("456", "1000.00000000", "0.00000000"),
    ] {
        assert!(balances.contains(&expected), "{expected:?} not in {balances:?}");
    }
    assert_eq!(a.json["accountType"], "SPOT");
    assert_eq!(a.json["makerCommission"], 10);
    assert_eq!(a.json["commissionRates"]["taker"], "0.00100000");
    assert_eq!(a.json["canTrade"], true);
    assert_eq!(a.json["permissions"], json!(["SPOT"]));
    assert_eq!(a.json["uid"], 1);

    let omit = Params::new().text("omitZeroBalances", "true").int("timestamp", now_ms());
    let b = send_signed(&sb, Method::GET, "/api/v3/account", &omit, Placement::Query).await;
    b.assert_ok();
    assert_eq!(b.json["balances"].as_array().unwrap().len(), 7);
    let bad = Params::new().text("omitZeroBalances", "yes").int("timestamp", now_ms());
    send_signed(&sb, Method::GET, "/api/v3/account", &bad, Placement::Query).await.assert_rejected(
        400,
        -1130,
        "Data sent for parameter 'omitZeroBalances' is not valid.",
    );
}

#[tokio::test]
async fn commission_rates_for_symbol() {
    let sb = TestSandbox::start().await;
    let p = Params::new().text("symbol", "BTCUSDT").int("timestamp", now_ms());
    let a = send_signed(&sb, Method::GET, "/api/v3/account/commission", &p, Placement::Query).await;
    a.assert_ok();
    assert_eq!(a.weight, Some(20));
    assert_eq!(a.json["symbol"], "BTCUSDT");
    assert_eq!(a.json["standardCommission"]["maker"], "0.00100000");
    assert_eq!(a.json["standardCommission"]["buyer"], "0.00000000");
    assert_eq!(a.json["discount"]["discountAsset"], "BNB");

    let none = Params::new().int("timestamp", now_ms());
    send_signed(&sb, Method::GET, "/api/v3/account/commission", &none, Placement::Query)
        .await
        .assert_rejected(
            400,
            -1102,
            "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
        );
}

#[tokio::test]
async fn order_test_with_compute_commission_rates_weighs_20() {
    let sb = TestSandbox::start().await;
    let p = docs_order().bool("computeCommissionRates", true);
    let a = send_signed(&sb, Method::POST, "/api/v3/order/test", &p, Placement::Body).await;
    a.assert_ok();
    assert_eq!(a.weight, Some(20));
    assert_eq!(a.json["standardCommissionForOrder"], json!({"maker": "0.00100000", "taker": "0.00100000"}));
    assert_eq!(a.json["discount"]["discount"], "0.25000000");
}

/// A balance that trades down to zero free and zero locked is listed as zero, and left out with
/// `omitZeroBalances=true`; the answer follows the order just committed.
#[tokio::test]
async fn omit_zero_balances_after_selling_everything() {
    use crate::support::{call, place};
    let sb = TestSandbox::start().await;
    let sold =
        place(&sb, &[("symbol", "LTCBTC"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "100")]).await;
    sold.assert_ok();
    assert_eq!(sold.json["status"], "FILLED", "{}", sold.json);
    let assets = |a: &serde_json::Value| -> Vec<String> {
        a["balances"].as_array().unwrap().iter().map(|b| b["asset"].as_str().unwrap().to_owned()).collect()
    };
    let all = call(&sb, Method::GET, "/api/v3/account", &[]).await;
    let ltc = all.json["balances"].as_array().unwrap().iter().find(|b| b["asset"] == "LTC").cloned();
    assert_eq!(ltc, Some(json!({"asset": "LTC", "free": "0.00000000", "locked": "0.00000000"})));
    let omitted = call(&sb, Method::GET, "/api/v3/account", &[("omitZeroBalances", "true")]).await;
    assert!(!assets(&omitted.json).contains(&"LTC".to_owned()), "{}", omitted.json);
    assert_eq!(assets(&omitted.json).len(), assets(&all.json).len() - 1);
    sb.shutdown().await;
}
