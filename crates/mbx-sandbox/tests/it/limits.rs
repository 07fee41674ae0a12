//! Rate limits: 429 `-1003` with `Retry-After` over the request weight, 418 bans for clients that keep
//! sending, `-1015` over the order count; low limits set through the builder.

use mbx_core::time::Timestamp;
use mbx_sandbox::{RateLimits, Sandbox, SandboxClock};
use mbx_testkit::TestSandbox;
use serde_json::json;

use crate::support::{admin, get, place};

/// 20 s into a minute, so a test has 40 s before its window rolls over.
const T0: u64 = 1_700_000_060_000;

async fn low_weight(limit: u32) -> TestSandbox {
    let limits = RateLimits { request_weight_per_minute: limit, ..RateLimits::default() };
    let clock = SandboxClock::fixed(Timestamp::Millis(T0));
    TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).clock(clock).rate_limits(limits))
        .await
}

#[tokio::test]
async fn weight_over_limit_gets_429_with_retry_after_and_1003() {
    let sb = low_weight(3).await;
    let info = get(&sb, "/api/v3/exchangeInfo?symbol=BTCUSDT").await;
    assert_eq!(info.status, 429, "exchangeInfo weighs 20: {info:?}");
    info.assert_rejected(
        429,
        -1003,
        "Too much request weight used; current limit is 3 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
    );
    assert_eq!(info.retry_after, Some(40), "seconds until the minute ends: {info:?}");
    assert_eq!(info.weight, Some(20));
}

#[tokio::test]
async fn weight_within_limit_is_served_and_reported() {
    let sb = low_weight(3).await;
    for used in 1..=3 {
        let a = get(&sb, "/api/v3/ping").await;
        a.assert_ok();
        assert_eq!((a.weight, a.retry_after), (Some(used), None));
    }
    let a = get(&sb, "/api/v3/ping").await;
    assert_eq!((a.status, a.code(), a.weight), (429, -1003, Some(4)), "{a:?}");
}

#[tokio::test]
async fn sending_after_429_gets_418_ban_that_ends_on_the_sandbox_clock() {
    let sb = low_weight(1).await;
    get(&sb, "/api/v3/ping").await.assert_ok();
    assert_eq!(get(&sb, "/api/v3/ping").await.status, 429);
    let banned = get(&sb, "/api/v3/ping").await;
    let until = T0 + 120_000;
    banned.assert_rejected(
        418,
        -1003,
        &format!(
            "Way too much request weight used; IP banned until {until}. Please use WebSocket Streams for live updates to avoid bans."
        ),
    );
    assert_eq!(banned.retry_after, Some(120));

    // A minute later the weight window is fresh, but the ban still holds.
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 60_000})).await.assert_ok();
    let still = get(&sb, "/api/v3/ping").await;
    assert_eq!((still.status, still.retry_after), (418, Some(60)), "{still:?}");

    // After the ban, requests are served again; the next ban lasts twice as long.
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 120_000})).await.assert_ok();
    get(&sb, "/api/v3/ping").await.assert_ok();
    assert_eq!(get(&sb, "/api/v3/ping").await.status, 429);
    let again = get(&sb, "/api/v3/ping").await;
    assert_eq!((again.status, again.retry_after), (418, Some(240)), "{again:?}");
}

#[tokio::test]
async fn orders_over_the_daily_count_get_1015_and_are_not_placed() {
    let limits = RateLimits { orders_per_day: 2, ..RateLimits::default() };
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).rate_limits(limits)).await;
    let order = [
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.001"),
        ("price", "20000"),
    ];
    for n in 1..=2 {
        let a = place(&sb, &order).await;
        a.assert_ok();
        assert_eq!(a.order_counts.map(|c| c.1), Some(n));
    }
    let refused = place(&sb, &order).await;
    refused.assert_rejected(429, -1015, "Too many new orders; current limit is 2 orders per 1 DAY.");
    assert!(refused.retry_after.is_some_and(|s| (1..=86_400).contains(&s)), "{refused:?}");
    assert_eq!(refused.order_counts.map(|c| c.1), Some(2));
    let open =
        crate::support::call(&sb, reqwest::Method::GET, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    assert_eq!(open.json.as_array().map(Vec::len), Some(2), "{}", open.json);
}

#[tokio::test]
async fn exchange_info_publishes_the_configured_limits() {
    let limits = RateLimits { orders_per_10s: 7, ..RateLimits::default() };
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).rate_limits(limits)).await;
    let a = get(&sb, "/api/v3/exchangeInfo?symbol=BTCUSDT").await;
    a.assert_ok();
    assert_eq!(
        a.json["rateLimits"][1],
        json!({"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 7})
    );
}

#[tokio::test]
async fn raw_requests_over_limit_get_429() {
    let limits = RateLimits { raw_requests_per_5m: 2, ..RateLimits::default() };
    let clock = SandboxClock::fixed(Timestamp::Millis(T0));
    let sb = TestSandbox::start_with(
        Sandbox::builder().memory().market_maker(false).clock(clock).rate_limits(limits),
    )
    .await;
    get(&sb, "/api/v3/ping").await.assert_ok();
    get(&sb, "/api/v3/time").await.assert_ok();
    let a = get(&sb, "/api/v3/ping").await;
    // errors.md has no RAW_REQUESTS message: the first -1003 message is sent.
    a.assert_rejected(429, -1003, "Too many requests queued.");
    // The 5-minute window holding T0 ends at 1_700_000_100_000.
    assert_eq!(a.retry_after, Some(40), "{a:?}");
    // The admin API is never limited.
    admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 0})).await.assert_ok();
}
