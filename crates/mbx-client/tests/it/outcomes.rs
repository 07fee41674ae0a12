//! Unknown outcomes are settled by lookup, never by sending the order again; 429 is honoured.

use std::time::{Duration, Instant};

use mbx_client::{Client, Environment, Error};
use mbx_core::ErrorCode;
use mbx_core::model::{OrderStatus, OrderType, Side};
use mbx_sandbox::Sandbox;
use mbx_sandbox::market::RateLimits;
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;

use crate::demo_client as client;

async fn place(c: &Client) -> mbx_client::Result<mbx_client::types::Order> {
    c.new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(30_000, 0))
        .send()
        .await
}

#[tokio::test]
async fn client_unknown_outcome_is_resolved_by_lookup_not_resent() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    // Committed, then: connection dropped without an answer; a 503; a -1007 timeout.
    sb.faults().drop_response_after_commit(1);
    let first = place(&c).await.unwrap();
    sb.faults().next_status(503);
    let second = place(&c).await.unwrap();
    sb.faults().next_code(ErrorCode::TIMEOUT);
    let third = place(&c).await.unwrap();
    for o in [&first, &second, &third] {
        assert_eq!(o.status, Some(OrderStatus::New), "{o:?}");
    }
    // Exactly three orders exist: none was placed twice.
    let open = c.open_orders(Some("BTCUSDT")).await.unwrap();
    let mine: Vec<u64> = open.iter().map(|o| o.order_id).collect();
    assert_eq!(mine.len(), 3, "{mine:?}");
    for o in [&first, &second, &third] {
        assert!(mine.contains(&o.order_id));
    }
    assert!(sb.faults().pending().is_empty());
}

#[tokio::test]
async fn client_gets_rate_limited_with_retry_after_and_backs_off() {
    let limits = RateLimits { request_weight_per_minute: 30, ..RateLimits::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().rate_limits(limits)).await;
    let c = client(&sb);
    c.account().await.unwrap(); // weight 20
    let err = c.account().await.unwrap_err(); // 40 > 30
    match &err {
        Error::RateLimited { status, retry_after, api } => {
            assert_eq!(*status, 429);
            assert!(retry_after.as_secs() <= 60, "{retry_after:?}");
            assert_eq!(api.as_ref().map(|e| e.code), Some(ErrorCode::TOO_MANY_REQUESTS));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    // Until Retry-After has passed, this client will send nothing to the host.
    assert!(c.backoff_remaining().is_some());
}

#[tokio::test]
async fn client_keeps_orders_within_the_published_orders_limit() {
    let limits = RateLimits { orders_per_day: 3, ..RateLimits::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().rate_limits(limits)).await;
    let c = client(&sb);
    c.exchange_info(None).await.unwrap();
    for _ in 0..3 {
        place(&c).await.unwrap();
    }
    let day = c.order_counts().into_iter().find(|w| w.window == Duration::from_secs(86_400)).unwrap();
    assert_eq!((day.count, day.limit, day.remaining()), (3, Some(3), Some(0)), "from X-MBX-ORDER-COUNT-1D");
    // The fourth order would cross the day's limit: the client says so and sends nothing.
    match place(&c).await.unwrap_err() {
        Error::RateLimited { status: 429, retry_after, api: None } => {
            assert!(retry_after > Duration::from_secs(70) && retry_after <= Duration::from_secs(86_401))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.open_orders(Some("BTCUSDT")).await.unwrap().len(), 3, "nothing more reached the sandbox");
    assert!(c.backoff_remaining().is_none(), "reads go on");
}

/// A placement dropped before the commit: the lookups find nothing; once the sandbox's clock is
/// past the request's `timestamp + recvWindow` (and a margin), a last lookup still finds nothing
/// and the order is sent again, with the same client order id: it exists once. REST and the
/// WebSocket API.
#[tokio::test]
async fn client_unknown_outcome_not_placed_is_sent_again_after_its_window_closed() {
    let sb = TestSandbox::start().await;
    let c = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .recv_window(mbx_core::time::RecvWindow::from_millis(1000).unwrap())
        .settle_margin(Duration::from_millis(200))
        .build()
        .unwrap();
    c.sync_time().await.unwrap();
    let ws = c.ws_api();
    for (n, over_ws) in [(1, false), (2, true)] {
        let id = format!("settle-{n}");
        let chaos = mbx_client::ChaosConfig {
            seed: 1,
            orders: mbx_client::OrderChaos { drop_before_commit: 1.0, ..Default::default() },
            ..Default::default()
        };
        let dropped_before = c.sandbox_set_chaos(&chaos).await.unwrap().injected.drop_before_commit;
        let order = c
            .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
            .quantity(Decimal::new(1, 3))
            .price(Decimal::new(30_000, 0))
            .client_order_id(id.clone());
        let sent = Instant::now();
        let placing = {
            let ws = ws.clone();
            tokio::spawn(
                async move { if over_ws { ws.place_order(order).await } else { order.send().await } },
            )
        };
        // The first placement is dropped; then chaos is turned off, long before the window closes.
        while c.sandbox_chaos().await.unwrap().injected.drop_before_commit == dropped_before {
            tokio::task::yield_now().await;
        }
        c.sandbox_clear_chaos().await.unwrap();
        let placed = placing.await.unwrap().unwrap();
        assert_eq!(placed.client_order_id, id);
        assert_eq!(placed.status, Some(OrderStatus::New));
        assert!(sent.elapsed() >= Duration::from_millis(1000), "not sent again before the window closed");
        let counts = c.settle_counts();
        assert_eq!((counts.unknown, counts.resent, counts.found), (n, n, 0), "{counts:?}");
        let all = c.all_orders("BTCUSDT").await.unwrap();
        assert_eq!(all.iter().filter(|o| o.client_order_id == id).count(), 1, "placed once");
    }
}
