//! ping, time, exchangeInfo, and what every response carries.

use mbx_testkit::TestSandbox;
use serde_json::json;

use crate::support::{admin, get, now_ms};

#[tokio::test]
async fn ping_answers_empty_object_with_weight_header() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/api/v3/ping").await;
    a.assert_ok();
    assert_eq!(a.json, json!({}));
    assert_eq!(a.weight, Some(1));
    let b = get(&sb, "/api/v3/ping").await;
    assert_eq!(b.weight, Some(2), "weight accumulates per client within the minute");
}

#[tokio::test]
async fn time_answers_sandbox_clock_and_follows_offset() {
    let sb = TestSandbox::start().await;
    let before = now_ms();
    let a = get(&sb, "/api/v3/time").await;
    a.assert_ok();
    let server = a.json["serverTime"].as_u64().unwrap();
    assert!(server >= before && server <= now_ms(), "{server} not within [{before}, now]");

    let set = admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": -3_600_000})).await;
    set.assert_ok();
    assert_eq!(set.json["offsetMs"], -3_600_000);
    let skewed = get(&sb, "/api/v3/time").await.json["serverTime"].as_u64().unwrap();
    assert!(skewed + 3_500_000 < now_ms(), "server time {skewed} should be an hour behind");
}

#[tokio::test]
async fn exchange_info_lists_default_symbols_with_filters_and_rate_limits() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/api/v3/exchangeInfo").await;
    a.assert_ok();
    assert_eq!(a.weight, Some(20));
    assert_eq!(a.json["timezone"], "UTC");
    let names: Vec<&str> =
        a.json["symbols"].as_array().unwrap().iter().map(|s| s["symbol"].as_str().unwrap()).collect();
    assert_eq!(names, ["BTCUSDT", "ETHUSDT", "BNBUSDT", "LTCBTC", "ETHBTC", "这是测试币456"]);
    let btc = &a.json["symbols"][0];
    let filters: Vec<&str> =
        btc["filters"].as_array().unwrap().iter().map(|f| f["filterType"].as_str().unwrap()).collect();
    assert_eq!(
        filters,
        [
            "PRICE_FILTER",
            "LOT_SIZE",
            "ICEBERG_PARTS",
            "MARKET_LOT_SIZE",
            "TRAILING_DELTA",
            "PERCENT_PRICE_BY_SIDE",
            "NOTIONAL",
            "MAX_NUM_ORDERS",
            "MAX_NUM_ICEBERG_ORDERS",
            "MAX_NUM_ORDER_AMENDS"
        ]
    );
    assert_eq!(btc["filters"][0]["tickSize"], "0.01000000");
    assert_eq!(btc["permissionSets"], json!([["SPOT"]]));
    let limits: Vec<(&str, &str)> = a.json["rateLimits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rateLimitType"].as_str().unwrap(), r["interval"].as_str().unwrap()))
        .collect();
    assert_eq!(
        limits,
        [("REQUEST_WEIGHT", "MINUTE"), ("ORDERS", "SECOND"), ("ORDERS", "DAY"), ("RAW_REQUESTS", "MINUTE")]
    );
    assert_eq!(a.json["rateLimits"][0]["limit"], 6000);
    // Raised from 61,000 on 2026-04-02 (CHANGELOG.md, 2026-03-27).
    assert_eq!(
        (a.json["rateLimits"][3]["intervalNum"].as_u64(), a.json["rateLimits"][3]["limit"].as_u64()),
        (Some(5), Some(300_000))
    );
    let unicode = &a.json["symbols"][5];
    assert_eq!(
        (unicode["baseAsset"].as_str(), unicode["quoteAsset"].as_str()),
        (Some("这是测试币"), Some("456"))
    );
}

#[tokio::test]
async fn exchange_info_symbol_and_symbols_select_in_order() {
    let sb = TestSandbox::start().await;
    let one = get(&sb, "/api/v3/exchangeInfo?symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456").await;
    one.assert_ok();
    assert_eq!(one.json["symbols"].as_array().unwrap().len(), 1);
    assert_eq!(one.json["symbols"][0]["symbol"], "这是测试币456");

    let two = get(&sb, "/api/v3/exchangeInfo?symbols=%5B%22ETHBTC%22,%22BTCUSDT%22%5D").await;
    two.assert_ok();
    let names: Vec<&str> =
        two.json["symbols"].as_array().unwrap().iter().map(|s| s["symbol"].as_str().unwrap()).collect();
    assert_eq!(names, ["ETHBTC", "BTCUSDT"]);

    let halted = get(&sb, "/api/v3/exchangeInfo?symbolStatus=HALT").await;
    assert_eq!(halted.json["symbols"], json!([]));
    let spot = get(&sb, "/api/v3/exchangeInfo?permissions=%5B%22SPOT%22%5D&showPermissionSets=false").await;
    assert_eq!(spot.json["symbols"].as_array().unwrap().len(), 6);
    assert_eq!(spot.json["symbols"][0]["permissionSets"], json!([]));
}

#[tokio::test]
async fn exchange_info_rejections() {
    let sb = TestSandbox::start().await;
    get(&sb, "/api/v3/exchangeInfo?symbol=btcusdt").await.assert_rejected(400, -1121, "Invalid symbol.");
    get(&sb, "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22,%22NOPE%22%5D").await.assert_rejected(
        400,
        -1121,
        "Invalid symbol.",
    );
    // The CHANGELOG (2023-07-11): a symbol listed twice is -1151 here too.
    get(&sb, "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22,%22BTCUSDT%22%5D").await.assert_rejected(
        400,
        -1151,
        "Symbol is present multiple times in the list.",
    );
    get(&sb, "/api/v3/exchangeInfo?symbol=BTCUSDT&symbols=%5B%22BTCUSDT%22%5D").await.assert_rejected(
        400,
        -1128,
        "Combination of optional parameters invalid.",
    );
    get(&sb, "/api/v3/exchangeInfo?symbols=BTCUSDT").await.assert_rejected(
        400,
        -1100,
        "Illegal characters found in a parameter.",
    );
    get(&sb, "/api/v3/exchangeInfo?symbol=").await.assert_rejected(
        400,
        -1105,
        "Parameter 'symbol' was empty.",
    );
}

/// A public endpoint reads no signature: one sent is counted as a parameter it does not read, as
/// the doctor counts it, and the refusal is journaled with the doctor's diagnosis.
#[tokio::test]
async fn a_signed_public_request_is_unread_and_journaled() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/api/v3/ticker/price?symbol=BTCUSDT&timestamp=1&signature=deadbeef").await;
    a.assert_rejected(
        400,
        -1104,
        "Not all sent parameters were read; read '1' parameter(s) but was sent '3'.",
    );
    assert!(a.hint().contains("is a NONE endpoint"), "{a:?}");
    let log = get(&sb, "/sandbox/v1/rejections?limit=1").await;
    let entry = &log.json["rejections"][0];
    assert_eq!(entry["code"], -1104, "{entry}");
    let findings = entry["diagnosis"]["findings"].to_string();
    assert!(findings.contains("param-not-read") && findings.contains("'signature'"), "{entry}");
    // A secret sent by mistake to a public endpoint (no key names it) is not kept in the journal.
    let secret = mbx_testkit::keys::DEMO_SECRET_KEY;
    let a = get(&sb, &format!("/api/v3/ticker/price?symbol=BTCUSDT&secretKey={secret}")).await;
    assert_eq!(a.code(), -1104, "{a:?}");
    let log = get(&sb, "/sandbox/v1/rejections?limit=1").await;
    assert!(
        log.json["rejections"][0]["request"].as_str().is_some_and(|r| r.contains("secretKey=")),
        "{}",
        log.json
    );
    assert!(!log.json.to_string().contains(secret), "{}", log.json);
    // A query the endpoint cannot read at all (axios' `symbols[]` twice) is journaled too.
    let a = get(&sb, "/api/v3/ticker/price?symbols%5B%5D=BTCUSDT&symbols%5B%5D=ETHUSDT").await;
    assert_eq!(a.code(), -1101, "{a:?}");
    let log = get(&sb, "/sandbox/v1/rejections?limit=1").await;
    let entry = &log.json["rejections"][0];
    assert_eq!(entry["code"], -1101, "{entry}");
    assert_eq!(entry["diagnosis"]["findings"][0]["cause"], "param-duplicated", "{entry}");
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_path_and_wrong_method_are_clean_4xx_with_hint_and_weight() {
    let sb = TestSandbox::start().await;
    let a = get(&sb, "/api/v3/nope").await;
    assert_eq!(a.status, 404);
    assert!(a.hint().contains("/api/v3/nope"), "{a:?}");
    assert!(a.weight.is_some());
    // The base path dropped by a client that joins a base URL and a path starting with '/'.
    let dropped = get(&sb, "/account").await;
    assert_eq!(dropped.status, 404);
    assert!(dropped.hint().contains("the endpoint is /api/v3/account"), "{dropped:?}");
    let b = admin(&sb, "/api/v3/ping", json!({})).await;
    assert_eq!(b.status, 405);
    assert!(b.weight.is_some());
    // Each is journaled for `mbx doctor sandbox-log`, with the doctor's finding; a browser's
    // /robots.txt is not.
    let _ = get(&sb, "/robots.txt").await;
    let log = get(&sb, "/sandbox/v1/rejections?limit=3").await;
    let entries = log.json["rejections"].as_array().cloned().unwrap_or_default();
    let codes: Vec<i64> = entries.iter().filter_map(|e| e["code"].as_i64()).collect();
    assert_eq!(codes, [-405, -404, -404], "{}", log.json);
    assert_eq!(entries[0]["diagnosis"]["findings"][0]["cause"], "path-unknown", "{}", log.json);
    assert!(entries[1]["request"].as_str().is_some_and(|r| r.contains("/account")), "{}", log.json);
    // A retired endpoint and another product's path are journaled too, each with what to do.
    let _ = crate::support::send(&sb, reqwest::Method::POST, "/api/v3/userDataStream", "", "", None).await;
    let _ =
        crate::support::send(&sb, reqwest::Method::POST, "/fapi/v1/order", "symbol=BTCUSDT", "", None).await;
    let log = get(&sb, "/sandbox/v1/rejections?limit=2").await;
    let titles = log.json["rejections"].to_string();
    assert!(titles.contains("fapi.binance.com") && titles.contains("was retired"), "{}", log.json);
}
