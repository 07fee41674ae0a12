//! The matching engine through the API, on empty books: price-time priority and self-trade
//! prevention between two orders of the demo account.

use reqwest::Method;
use serde_json::Value;

use crate::support::{Answer, balance, call, d, dec, empty_books, place};

/// A LIMIT GTC order on LTCBTC, with `selfTradePreventionMode` when given.
async fn limit(
    sb: &mbx_testkit::TestSandbox,
    side: &str,
    qty: &str,
    price: &str,
    stp: Option<&str>,
) -> Answer {
    let mut p = vec![
        ("symbol", "LTCBTC"),
        ("side", side),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", qty),
        ("price", price),
    ];
    if let Some(mode) = stp {
        p.push(("selfTradePreventionMode", mode));
    }
    let a = place(sb, &p).await;
    a.assert_ok();
    a
}

async fn status(sb: &mbx_testkit::TestSandbox, order: &Answer) -> Value {
    let id = order.json["orderId"].to_string();
    let q = call(sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id)]).await;
    q.assert_ok();
    q.json
}

#[tokio::test]
async fn matching_follows_price_then_time_priority() {
    let sb = empty_books().await;
    let a = limit(&sb, "SELL", "1", "0.0021", None).await;
    let b = limit(&sb, "SELL", "1", "0.002", None).await;
    let c = limit(&sb, "SELL", "1", "0.002", None).await;
    let t = limit(&sb, "BUY", "2.5", "0.0021", Some("NONE")).await;
    let fills: Vec<(String, String, u64)> = t.json["fills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["price"].as_str().unwrap().into(),
                f["qty"].as_str().unwrap().into(),
                f["tradeId"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(fills.len(), 3, "{}", t.json);
    assert_eq!(
        (fills[0].0.as_str(), fills[1].0.as_str(), fills[2].0.as_str()),
        ("0.00200000", "0.00200000", "0.00210000")
    );
    assert_eq!(fills[2].1, "0.50000000");
    assert!(fills[0].2 < fills[1].2 && fills[1].2 < fills[2].2);
    assert_eq!(t.json["status"], "FILLED");
    assert_eq!(status(&sb, &b).await["status"], "FILLED");
    assert_eq!(status(&sb, &c).await["status"], "FILLED");
    let rest = status(&sb, &a).await;
    assert_eq!(
        (rest["status"].as_str(), rest["executedQty"].as_str()),
        (Some("PARTIALLY_FILLED"), Some("0.50000000"))
    );
    // Trades at the makers' prices: the taker's limit was 0.0021 but paid 0.002 for two of them.
    assert_eq!(dec(&t.json["cummulativeQuoteQty"]), d("0.00505"));
    sb.shutdown().await;
}

/// The demo account sells 1 LTC at 0.002, then buys 1.5 at 0.002 with `mode`.
async fn cross(mode: Option<&str>) -> (mbx_testkit::TestSandbox, Answer, Answer) {
    let sb = empty_books().await;
    let maker = limit(&sb, "SELL", "1", "0.002", None).await;
    let taker = limit(&sb, "BUY", "1.5", "0.002", mode).await;
    (sb, maker, taker)
}

#[tokio::test]
async fn stp_none_trades_with_itself() {
    let (sb, maker, taker) = cross(Some("NONE")).await;
    assert_eq!(
        (taker.json["status"].as_str(), taker.json["executedQty"].as_str()),
        (Some("PARTIALLY_FILLED"), Some("1.00000000"))
    );
    assert_eq!(taker.json["selfTradePreventionMode"], "NONE");
    assert_eq!(status(&sb, &maker).await["status"], "FILLED");
    // Sold 1 LTC and bought 1 less 0.001 commission; paid 0.002 BTC and received 0.002 less 0.000002,
    // and 0.5 * 0.002 stays locked for the rest of the buy.
    assert_eq!(balance(&sb, "LTC").await, (d("99.999"), d("0")));
    assert_eq!(balance(&sb, "BTC").await, (d("0.998998"), d("0.001")));
    let trades = call(&sb, Method::GET, "/api/v3/myTrades", &[("symbol", "LTCBTC")]).await;
    let rows = trades.json.as_array().unwrap();
    assert_eq!(rows.len(), 2, "one row per side of the self-trade: {}", trades.json);
    assert_eq!(rows[0]["id"], rows[1]["id"]);
    assert_ne!(rows[0]["isBuyer"], rows[1]["isBuyer"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn stp_expire_taker_expires_the_incoming_order() {
    let (sb, maker, taker) = cross(Some("EXPIRE_TAKER")).await;
    let t = &taker.json;
    assert_eq!(
        (t["status"].as_str(), t["executedQty"].as_str()),
        (Some("EXPIRED_IN_MATCH"), Some("0.00000000"))
    );
    assert_eq!(t["preventedQuantity"], "1.50000000");
    assert!(t["preventedMatchId"].is_u64(), "{t}");
    assert_eq!(status(&sb, &maker).await["status"], "NEW");
    assert_eq!(balance(&sb, "LTC").await, (d("99"), d("1")));
    assert_eq!(balance(&sb, "BTC").await, (d("1"), d("0")));
    sb.shutdown().await;
}

#[tokio::test]
async fn stp_expire_maker_expires_the_resting_order() {
    let (sb, maker, taker) = cross(Some("EXPIRE_MAKER")).await;
    assert_eq!(
        (taker.json["status"].as_str(), taker.json["executedQty"].as_str()),
        (Some("NEW"), Some("0.00000000"))
    );
    let m = status(&sb, &maker).await;
    assert_eq!(
        (m["status"].as_str(), m["preventedQuantity"].as_str()),
        (Some("EXPIRED_IN_MATCH"), Some("1.00000000"))
    );
    assert!(m["preventedMatchId"].is_u64());
    assert!(taker.json.get("preventedMatchId").is_none(), "the taker was not prevented");
    assert_eq!(balance(&sb, "LTC").await, (d("100"), d("0")));
    assert_eq!(balance(&sb, "BTC").await, (d("0.997"), d("0.003")));
    sb.shutdown().await;
}

#[tokio::test]
async fn stp_default_is_the_symbols_expire_maker() {
    let (sb, maker, taker) = cross(None).await;
    assert_eq!(taker.json["selfTradePreventionMode"], "EXPIRE_MAKER");
    assert_eq!(status(&sb, &maker).await["status"], "EXPIRED_IN_MATCH");
    sb.shutdown().await;
}

#[tokio::test]
async fn stp_expire_both_expires_both_orders() {
    let (sb, maker, taker) = cross(Some("EXPIRE_BOTH")).await;
    assert_eq!(taker.json["status"], "EXPIRED_IN_MATCH");
    let m = status(&sb, &maker).await;
    assert_eq!(m["status"], "EXPIRED_IN_MATCH");
    assert_eq!(m["preventedMatchId"], taker.json["preventedMatchId"], "one prevented match");
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[]).await;
    assert_eq!(open.json, Value::Array(vec![]));
    assert_eq!(balance(&sb, "LTC").await, (d("100"), d("0")));
    assert_eq!(balance(&sb, "BTC").await, (d("1"), d("0")));
    sb.shutdown().await;
}

#[tokio::test]
async fn stp_decrement_takes_the_smaller_quantity_off_both() {
    let (sb, maker, taker) = cross(Some("DECREMENT")).await;
    let t = &taker.json;
    assert_eq!((t["status"].as_str(), t["executedQty"].as_str()), (Some("NEW"), Some("0.00000000")));
    assert_eq!(t["preventedQuantity"], "1.00000000");
    let m = status(&sb, &maker).await;
    assert_eq!(
        (m["status"].as_str(), m["preventedQuantity"].as_str()),
        (Some("EXPIRED_IN_MATCH"), Some("1.00000000"))
    );
    // The buy rests for its remaining 0.5: 0.001 BTC locked.
    assert_eq!(balance(&sb, "BTC").await, (d("0.999"), d("0.001")));
    assert_eq!(balance(&sb, "LTC").await, (d("100"), d("0")));
    let depth = crate::support::get(&sb, "/api/v3/depth?symbol=LTCBTC").await;
    assert_eq!(depth.json["bids"], serde_json::json!([["0.00200000", "0.50000000"]]));
    sb.shutdown().await;
}
