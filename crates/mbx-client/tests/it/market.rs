//! Candles and window tickers against a sandbox whose clock is stopped at a known instant, so the
//! number of candles in a range is known.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mbx_client::types::Interval;
use mbx_client::{Client, Environment};
use mbx_core::model::{OrderType, Side};
use mbx_core::time::Timestamp;
use mbx_sandbox::{Sandbox, SandboxClock};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;

/// 2024-02-29 00:00:00 UTC.
const T0: u64 = 1_709_164_800_000;
const MINUTE: u64 = 60_000;

/// A sandbox stopped at `T0 + 10 s` with one MARKET buy filled (against the market maker) then, with
/// its clock moved `minutes` ahead; 1m candles exist for `T0 ..= T0 + minutes`.
async fn market_with_history(minutes: u64) -> TestSandbox {
    let clock = SandboxClock::fixed(Timestamp::Millis(T0 + 10_000));
    let sb = TestSandbox::start_with(Sandbox::builder().memory().clock(clock)).await;
    let client = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_sandbox::seed::DEMO_API_KEY)
        .hmac_secret(mbx_sandbox::seed::DEMO_SECRET_KEY)
        .build()
        .unwrap();
    client.sync_time().await.unwrap();
    let order = client
        .new_order("BTCUSDT", Side::Buy, OrderType::Market)
        .quantity(Decimal::new(1, 3))
        .send()
        .await
        .unwrap();
    assert!(!order.fills.is_empty(), "{order:?}");
    sb.state().clock().set_offset_ms(i64::try_from(minutes * MINUTE).unwrap());
    sb
}

#[tokio::test]
async fn client_klines_one_page_with_start_end_and_limit() {
    let sb = market_with_history(30).await;
    let client = Client::builder().base_url(sb.rest_url()).build().unwrap();
    let page = client
        .klines("BTCUSDT", Interval::Minute1)
        .start_time(T0 + MINUTE)
        .end_time(T0 + 10 * MINUTE)
        .limit(5)
        .send()
        .await
        .unwrap();
    let opens: Vec<u64> = page.iter().map(|k| k.open_time).collect();
    assert_eq!(opens, (1..=5).map(|n| T0 + n * MINUTE).collect::<Vec<_>>());
    assert!(page.iter().all(|k| k.close_time == k.open_time + MINUTE - 1));
    let first = client.klines("BTCUSDT", Interval::Hour1).send().await.unwrap();
    assert_eq!(first.len(), 1, "the current hour only: {first:?}");
    assert_eq!(first[0].trades, 1);
    assert_eq!(first[0].volume, Decimal::new(1, 3));
    assert!(first[0].open > Decimal::ZERO && first[0].open == first[0].close);
    let err = client.klines("NOPEUSDT", Interval::Minute1).send().await.unwrap_err();
    assert_eq!(err.code(), Some(mbx_core::ErrorCode::BAD_SYMBOL));
}

#[tokio::test]
async fn client_kline_pages_download_a_range_in_pages_of_1000() {
    let sb = market_with_history(2600).await;
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    let client = Client::builder()
        .base_url(sb.rest_url())
        .on_request(move |r| {
            if r.url.contains("/api/v3/klines?") {
                seen.fetch_add(1, Ordering::Relaxed);
            }
        })
        .build()
        .unwrap();
    // 2501 candles: 1000 + 1000 + 501, the short last page ends the download.
    let (from, to) = (T0, T0 + 2500 * MINUTE);
    let mut pages = client.kline_pages("BTCUSDT", Interval::Minute1, from, to);
    let mut all = Vec::new();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await.unwrap() {
        sizes.push(page.len());
        all.extend(page);
    }
    assert_eq!(sizes, [1000, 1000, 501]);
    assert_eq!(requests.load(Ordering::Relaxed), 3);
    assert_eq!(all.first().unwrap().open_time, from);
    assert_eq!(all.last().unwrap().open_time, to);
    assert!(all.windows(2).all(|w| w[1].open_time == w[0].open_time + MINUTE), "no gap, no repeat");
    assert_eq!(all.iter().map(|k| k.trades).sum::<u64>(), 1);
    assert!(pages.next_page().await.unwrap().is_none(), "stays finished");

    // A range beyond the last candle ends on the first (empty) page.
    let mut later = client.kline_pages("BTCUSDT", Interval::Minute1, T0 + 5000 * MINUTE, T0 + 6000 * MINUTE);
    assert!(later.next_page().await.unwrap().is_none());
    assert_eq!(requests.load(Ordering::Relaxed), 4);
}

#[tokio::test]
async fn client_ticker_24h_reports_the_window_trades() {
    let sb = market_with_history(60).await;
    let client = Client::builder().base_url(sb.rest_url()).build().unwrap();
    let t = client.ticker_24h("BTCUSDT").await.unwrap();
    assert_eq!(t.symbol, "BTCUSDT");
    assert_eq!(t.count, 1);
    assert_eq!(t.volume, Decimal::new(1, 3));
    assert_eq!(t.first_id, t.last_id);
    assert!(t.last_price > Decimal::ZERO);
    assert!(t.price_change.is_some(), "FULL answer");
}
