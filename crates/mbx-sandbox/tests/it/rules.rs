//! The read-only endpoints without data in the sandbox (execution rules, reference prices, block
//! trades), `myFilters`, and times in microseconds (`X-MBX-TIME-UNIT`, `timeUnit`), over REST and
//! the WebSocket API.

use reqwest::Method;
use serde_json::json;

use crate::support::{Answer, call, client, empty_books, get};
use crate::ws::{call as ws_call, connect, signed};

#[tokio::test]
async fn execution_rules_list_every_symbol_without_a_rule() {
    let sb = empty_books().await;
    let info = get(&sb, "/api/v3/exchangeInfo").await;
    let names: Vec<_> =
        info.json["symbols"].as_array().unwrap().iter().map(|s| s["symbol"].clone()).collect();
    let all = get(&sb, "/api/v3/executionRules").await;
    all.assert_ok();
    let listed: Vec<_> =
        all.json["symbolRules"].as_array().unwrap().iter().map(|r| r["symbol"].clone()).collect();
    assert_eq!(listed, names);
    assert!(all.json["symbolRules"].as_array().unwrap().iter().all(|r| r["rules"] == json!([])));
    let one = get(&sb, "/api/v3/executionRules?symbol=BTCUSDT").await;
    assert_eq!(one.json, json!({"symbolRules": [{"symbol": "BTCUSDT", "rules": []}]}));
    let two = get(&sb, "/api/v3/executionRules?symbols=%5B%22ETHUSDT%22,%22BTCUSDT%22%5D").await;
    assert_eq!(two.json["symbolRules"][0]["symbol"], "ETHUSDT");
    assert_eq!(two.json["symbolRules"].as_array().unwrap().len(), 2);
    let halted = get(&sb, "/api/v3/executionRules?symbolStatus=HALT").await;
    assert_eq!(halted.json, json!({"symbolRules": []}));
    get(&sb, "/api/v3/executionRules?symbol=BTCUSDT&symbolStatus=TRADING").await.assert_rejected(
        400,
        -1128,
        "Combination of optional parameters invalid.",
    );
    get(&sb, "/api/v3/executionRules?symbol=NOPE").await.assert_rejected(400, -1121, "Invalid symbol.");

    let mut ws = connect(&sb, "/ws-api/v3").await;
    let a =
        ws_call(&mut ws, json!({"id": 1, "method": "executionRules", "params": {"symbol": "BTCUSDT"}})).await;
    assert_eq!(a["result"], one.json, "{a}");
    sb.shutdown().await;
}

#[tokio::test]
async fn reference_prices_are_absent_and_block_trades_empty() {
    let sb = empty_books().await;
    for path in ["/api/v3/referencePrice?symbol=BTCUSDT", "/api/v3/referencePrice/calculation?symbol=BTCUSDT"]
    {
        get(&sb, path).await.assert_rejected(400, -2043, "This symbol doesn't have a reference price.");
    }
    get(&sb, "/api/v3/referencePrice?symbol=NOPE").await.assert_rejected(400, -1121, "Invalid symbol.");
    get(&sb, "/api/v3/referencePrice").await.assert_rejected(
        400,
        -1102,
        "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
    );
    get(&sb, "/api/v3/referencePrice/calculation?symbol=BTCUSDT&symbolStatus=HALT").await.assert_rejected(
        400,
        -1220,
        "The symbol's status does not match the requested symbolStatus.",
    );

    let none = get(&sb, "/api/v3/historicalBlockTrades?symbol=BTCUSDT&fromId=0&limit=10").await;
    none.assert_ok();
    assert_eq!(none.json, json!([]));
    get(&sb, "/api/v3/historicalBlockTrades?symbol=BTCUSDT").await.assert_rejected(
        400,
        -1102,
        "Mandatory parameter 'fromId' was not sent, was empty/null, or malformed.",
    );

    let mut ws = connect(&sb, "/ws-api/v3").await;
    let a = ws_call(&mut ws, json!({"id": "r", "method": "referencePrice", "params": {"symbol": "BTCUSDT"}}))
        .await;
    assert_eq!(
        (&a["status"], &a["error"]),
        (&json!(400), &json!({"code": -2043, "msg": "This symbol doesn't have a reference price."}))
    );
    let b = ws_call(
        &mut ws,
        json!({"id": "b", "method": "blockTrades.historical", "params": {"symbol": "BTCUSDT", "fromId": 1}}),
    )
    .await;
    assert_eq!((&b["status"], &b["result"]), (&json!(200), &json!([])), "{b}");
    sb.shutdown().await;
}

#[tokio::test]
async fn my_filters_show_the_per_account_filters() {
    let sb = empty_books().await;
    let a = call(&sb, Method::GET, "/api/v3/myFilters", &[("symbol", "BTCUSDT")]).await;
    a.assert_ok();
    assert_eq!((&a.json["exchangeFilters"], &a.json["assetFilters"]), (&json!([]), &json!([])));
    let filters = a.json["symbolFilters"].as_array().unwrap();
    assert!(
        filters.iter().any(|f| f["filterType"] == "MAX_NUM_ORDERS" && f["maxNumOrders"].as_u64().is_some())
    );
    assert!(filters.iter().all(|f| f["filterType"].as_str().unwrap().starts_with("MAX_NUM_")), "{filters:?}");
    assert_eq!(a.weight, Some(40));
    let unsigned = get(&sb, "/api/v3/myFilters?symbol=BTCUSDT").await;
    assert_eq!(unsigned.code(), -2014, "{unsigned:?}");

    let mut ws = connect(&sb, "/ws-api/v3").await;
    let w = ws_call(
        &mut ws,
        json!({"id": 2, "method": "myFilters", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    )
    .await;
    assert_eq!(w["result"], a.json, "{w}");
    sb.shutdown().await;
}

/// A time in microseconds: 16 digits, within a second of `ms` milliseconds.
fn is_micros_of(v: &serde_json::Value, ms: u64) -> bool {
    v.as_u64().is_some_and(|us| us >= 1_000_000_000_000_000 && us.abs_diff(ms * 1000) < 5_000_000)
}

#[tokio::test]
async fn times_in_microseconds_when_asked() {
    let sb = empty_books().await;
    let asked = |path: &str, unit: &str| {
        let req = client().get(sb.url(path)).header("X-MBX-TIME-UNIT", unit);
        async move { Answer::read(req.send().await.expect("request sent")).await }
    };
    let now = mbx_testkit::now_ms();
    let t = asked("/api/v3/time", "MICROSECOND").await;
    assert!(is_micros_of(&t.json["serverTime"], now), "{:?}", t.json);
    let lower = asked("/api/v3/time", "microsecond").await;
    assert!(is_micros_of(&lower.json["serverTime"], now), "{:?}", lower.json);
    let ms = asked("/api/v3/time", "MILLISECOND").await;
    assert!(ms.json["serverTime"].as_u64().unwrap() < 10_000_000_000_000);
    asked("/api/v3/time", "SECOND").await.assert_rejected(
        400,
        -1194,
        "Invalid value for time unit; expected either MICROSECOND or MILLISECOND.",
    );

    // A trade's time, and its kline's open and close times (positions 0 and 6); one account on
    // both sides, so no self-trade prevention.
    let placed = call(
        &sb,
        Method::POST,
        "/api/v3/order",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "60000"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    placed.assert_ok();
    let taker = crate::support::place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "MARKET"),
            ("quantity", "0.01"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    taker.assert_ok();
    let k = asked("/api/v3/klines?symbol=BTCUSDT&interval=1m", "MICROSECOND").await;
    let candle = &k.json[0];
    assert!(is_micros_of(&candle[0], now) || candle[0].as_u64().unwrap() % 60_000_000 == 0, "{candle}");
    assert_eq!(candle[6].as_u64().unwrap() - candle[0].as_u64().unwrap(), 59_999_999, "{candle}");
    assert_eq!(candle[8], json!(1), "the trade count is not a time: {candle}");
    let trades = asked("/api/v3/trades?symbol=BTCUSDT", "MICROSECOND").await;
    assert!(is_micros_of(&trades.json[0]["time"], now), "{:?}", trades.json);
    assert!(trades.json[0]["id"].as_u64().unwrap() < 1_000_000, "ids stay ids: {:?}", trades.json);

    // The WebSocket API: the unit is chosen in the URL.
    let mut ws = connect(&sb, "/ws-api/v3?timeUnit=MICROSECOND").await;
    let a = ws_call(&mut ws, json!({"id": 1, "method": "time"})).await;
    assert!(is_micros_of(&a["result"]["serverTime"], now), "{a}");
    let s = ws_call(&mut ws, json!({"id": 2, "method": "session.status"})).await;
    assert!(is_micros_of(&s["result"]["serverTime"], now), "{s}");
    match tokio_tungstenite::connect_async(format!("ws://{}/ws-api/v3?timeUnit=SECOND", sb.addr())).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 400);
            let body = String::from_utf8(response.body().clone().unwrap_or_default()).unwrap();
            assert!(body.contains("-1194"), "{body}");
        }
        other => panic!("the upgrade should be refused: {other:?}"),
    }
    sb.shutdown().await;
}
