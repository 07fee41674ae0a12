//! The unfilled order count: each placed order adds one, each order's first fill takes one off, as
//! rest-api.md's "Unfilled Order Count" and Binance's unfilled order count rules say; read back by
//! `GET /api/v3/rateLimit/order`.
//!
//! Windows of 10 seconds may roll over between two requests of a test, so exact counts are asserted
//! on the day window, and the 10-second count only as bounded by it.

use reqwest::Method;
use serde_json::json;

use crate::support::{Answer, call, empty_books, place};

/// (10-second, day) counts from `GET /api/v3/rateLimit/order`.
async fn unfilled(sb: &mbx_testkit::TestSandbox) -> (u64, u64) {
    let a = call(sb, Method::GET, "/api/v3/rateLimit/order", &[]).await;
    a.assert_ok();
    let rows = a.json.as_array().expect("array");
    assert_eq!(rows.len(), 2, "{}", a.json);
    assert_eq!(
        (&rows[0]["rateLimitType"], &rows[0]["interval"], &rows[0]["intervalNum"], &rows[0]["limit"]),
        (&json!("ORDERS"), &json!("SECOND"), &json!(10), &json!(100))
    );
    assert_eq!(
        (&rows[1]["interval"], &rows[1]["intervalNum"], &rows[1]["limit"]),
        (&json!("DAY"), &json!(1), &json!(200_000))
    );
    let (ten_s, day) = (rows[0]["count"].as_u64().unwrap(), rows[1]["count"].as_u64().unwrap());
    assert!(ten_s <= day, "{}", a.json);
    (ten_s, day)
}

/// A LIMIT GTC order on BTCUSDT with self-trade prevention off.
async fn limit(sb: &mbx_testkit::TestSandbox, side: &str, qty: &str, price: &str) -> Answer {
    let a = place(
        sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", side),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", qty),
            ("price", price),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    a.assert_ok();
    a
}

fn day(a: &Answer) -> u32 {
    a.order_counts.expect("order count headers").1
}

#[tokio::test]
async fn an_orders_first_fill_takes_it_off_the_unfilled_count() {
    let sb = empty_books().await;
    assert_eq!(unfilled(&sb).await, (0, 0));
    // Never fills: stays counted.
    assert_eq!(day(&limit(&sb, "BUY", "0.001", "20000").await), 1);
    // Rests, then is the maker of two trades.
    assert_eq!(day(&limit(&sb, "SELL", "0.01", "50000").await), 2);
    assert_eq!(unfilled(&sb).await.1, 2);
    // Trades at once with the SELL: answered with the count as placed (3); then both orders have
    // had their first fill, so the count is 1.
    let taker = limit(&sb, "BUY", "0.005", "50000").await;
    assert_eq!(taker.json["status"], "FILLED");
    assert_eq!(day(&taker), 3);
    assert_eq!(unfilled(&sb).await.1, 1);
    // The SELL's second fill takes nothing more off; only the new taker's first fill does.
    let taker = limit(&sb, "BUY", "0.005", "50000").await;
    assert_eq!(day(&taker), 2);
    assert_eq!(unfilled(&sb).await.1, 1, "one unfilled order: the BUY at 20000");
    // A MARKET order that finds nothing to trade stays counted.
    let m = place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        .await;
    m.assert_ok();
    assert_eq!((m.json["status"].as_str(), day(&m)), (Some("EXPIRED"), 2));
    assert_eq!(unfilled(&sb).await.1, 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn filled_orders_let_an_account_keep_placing_past_the_limit() {
    let limits = mbx_sandbox::RateLimits { orders_per_day: 2, ..mbx_sandbox::RateLimits::default() };
    let sb =
        mbx_testkit::TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().rate_limits(limits))
            .await;
    // Each MARKET order fills against the market maker: five orders under a limit of two.
    for _ in 0..5 {
        let a =
            place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
                .await;
        a.assert_ok();
        assert_eq!(day(&a), 1, "counted as placed, then taken off by its fill");
    }
    // Two resting orders fill the count; the third is refused.
    let rest = [
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.001"),
        ("price", "20000"),
    ];
    place(&sb, &rest).await.assert_ok();
    place(&sb, &rest).await.assert_ok();
    place(&sb, &rest).await.assert_rejected(
        429,
        -1015,
        "Too many new orders; current limit is 2 orders per 1 DAY.",
    );
    sb.shutdown().await;
}
