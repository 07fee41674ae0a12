//! The filters judged against the average price: `PERCENT_PRICE_BY_SIDE` on a priced order and
//! `NOTIONAL` on a MARKET order by quantity.

use mbx_core::payload::Placement;
use mbx_testkit::TestSandbox;
use reqwest::Method;

use crate::support::{d, dec, docs_order, empty_books, get, place, send_signed};

/// A LIMIT GTC order on LTCBTC with self-trade prevention off, so the demo account can trade with
/// itself.
fn limit<'a>(side: &'a str, qty: &'a str, price: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("symbol", "LTCBTC"),
        ("side", side),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", qty),
        ("price", price),
        ("selfTradePreventionMode", "NONE"),
    ]
}

#[tokio::test]
async fn percent_price_by_side_bands_each_side_around_the_average_once_traded() {
    let sb = empty_books().await;
    // Never traded: no average, and the docs' example order (LTCBTC at 0.1) passes.
    send_signed(&sb, Method::POST, "/api/v3/order/test", &docs_order(), Placement::Body).await.assert_ok();

    // A trade at 0.002 makes the average 0.002: BUY and SELL may be priced 0.0004 to 0.01.
    place(&sb, &limit("SELL", "1", "0.002")).await.assert_ok();
    place(&sb, &limit("BUY", "1", "0.002")).await.assert_ok();
    let avg = get(&sb, "/api/v3/avgPrice?symbol=LTCBTC").await;
    assert_eq!(dec(&avg.json["price"]), d("0.002"));

    for (side, price) in
        [("BUY", "0.010001"), ("BUY", "0.000399"), ("SELL", "0.010001"), ("SELL", "0.000399")]
    {
        let a = place(&sb, &limit(side, "1", price)).await;
        a.assert_rejected(400, -1013, "Filter failure: PERCENT_PRICE_BY_SIDE");
        assert!(a.hint().contains("0.0004") && a.hint().contains("0.01"), "{}", a.hint());
        // The two orders of the trade were taken off by their fills; a refused order adds nothing.
        assert_eq!(a.order_counts.map(|c| c.1), Some(0));
    }
    // The bounds themselves pass (BUY at the top, SELL at the bottom of the band, neither trades).
    place(&sb, &limit("BUY", "1", "0.0004")).await.assert_ok();
    place(&sb, &limit("SELL", "1", "0.01")).await.assert_ok();
    // order/test judges by the same average: the docs' order is now far above it.
    send_signed(&sb, Method::POST, "/api/v3/order/test", &docs_order(), Placement::Body)
        .await
        .assert_rejected(400, -1013, "Filter failure: PERCENT_PRICE_BY_SIDE");
    sb.shutdown().await;
}

#[tokio::test]
async fn market_notional_by_quantity_is_judged_at_the_average_price() {
    let sb = TestSandbox::start().await;
    let tiny = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.00008")];
    // Before any trade there is no average: 0.00008 BTC is not judged, and fills (about 4.8 USDT).
    let first = place(&sb, &tiny).await;
    first.assert_ok();
    assert_eq!(first.json["status"], "FILLED");
    // Now the average is about 60000: 0.00008 * 60000 = 4.8 is under minNotional 5.
    let a = place(&sb, &tiny).await;
    a.assert_rejected(400, -1013, "Filter failure: NOTIONAL");
    assert!(a.hint().contains("average price"), "{}", a.hint());
    let sell = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.00008")];
    place(&sb, &sell).await.assert_rejected(400, -1013, "Filter failure: NOTIONAL");
    // 0.0001 * 60000 = 6 passes; a quote amount under 5 does not.
    place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.0001")])
        .await
        .assert_ok();
    place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "4.99")])
        .await
        .assert_rejected(400, -1013, "Filter failure: NOTIONAL");
    sb.shutdown().await;
}

#[tokio::test]
async fn market_maker_quotes_lie_inside_the_band_after_trading() {
    let sb = TestSandbox::start().await;
    for _ in 0..3 {
        place(&sb, &[("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")])
            .await
            .assert_ok();
    }
    let avg = dec(&get(&sb, "/api/v3/avgPrice?symbol=ETHUSDT").await.json["price"]);
    let depth = get(&sb, "/api/v3/depth?symbol=ETHUSDT").await;
    let levels: Vec<_> =
        ["bids", "asks"].iter().flat_map(|side| depth.json[side].as_array().unwrap().clone()).collect();
    assert!(levels.len() >= 8, "{}", depth.json);
    for level in levels {
        let p = dec(&level[0]);
        assert!(p >= avg * d("0.2") && p <= avg * d("5"), "{p} outside the band around {avg}");
    }
    sb.shutdown().await;
}
