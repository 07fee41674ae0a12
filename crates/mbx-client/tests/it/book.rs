//! The local order book against the sandbox: after 10,000 random orders and cancels from four
//! accounts at once, it equals `GET /api/v3/depth`; it never shows a book that is not live.

use mbx_client::{BookState, BookUpdate, Client, Environment};
use mbx_core::endpoint::Method;
use mbx_core::model::{OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_sandbox::{RateLimits, Sandbox};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use serde_json::json;

const COMMANDS: usize = 10_000;
const CLIENTS: usize = 4;

fn client_for(sb: &TestSandbox, api_key: &str, secret: &str) -> Client {
    Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(api_key)
        .hmac_secret(secret.to_owned())
        .preflight(false)
        .build()
        .unwrap()
}

/// A new account with plenty of both assets, and a client with its HMAC key.
async fn trader(sb: &TestSandbox, admin: &Client, n: usize) -> Client {
    let a = admin
        .sandbox_admin(
            Method::Post,
            "/sandbox/v1/accounts",
            &json!({"name": format!("book-{n}"), "balances": {"USDT": "100000000", "BTC": "100000"}}),
        )
        .await
        .unwrap();
    let key = admin
        .sandbox_admin(Method::Post, "/sandbox/v1/keys", &json!({"kind": "hmac", "account": a["accountId"]}))
        .await
        .unwrap();
    let c = client_for(sb, key["apiKey"].as_str().unwrap(), key["secretKey"].as_str().unwrap());
    // The client learns the sandbox's raised limits from exchangeInfo; without it, it keeps to
    // Binance's default 6,000 weight a minute, which the four traders (one address) reach within
    // the minute on a fast build and then wait out the rest of it.
    c.exchange_info(Some("BTCUSDT")).await.unwrap();
    c
}

/// `commands` random LIMIT and MARKET orders around 30,000 and cancels of its own orders.
async fn trade(c: Client, seed: u64, commands: usize) {
    let mut x = seed;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut open = Vec::new();
    for _ in 0..commands {
        let side = if next(2) == 0 { Side::Buy } else { Side::Sell };
        let price = Decimal::from(29_900 + next(21) * 10);
        let qty = Decimal::new(i64::try_from(next(9) + 1).unwrap(), 2);
        match next(20) {
            0..=11 => {
                let o = c
                    .new_order("BTCUSDT", side, OrderType::Limit)
                    .time_in_force(TimeInForce::Gtc)
                    .price(price)
                    .quantity(qty)
                    .self_trade_prevention(SelfTradePreventionMode::None)
                    .send()
                    .await
                    .unwrap();
                open.push(o.order_id);
            }
            12..=14 => {
                c.new_order("BTCUSDT", side, OrderType::Market)
                    .quantity(qty)
                    .self_trade_prevention(SelfTradePreventionMode::None)
                    .send()
                    .await
                    .unwrap();
            }
            _ if !open.is_empty() => {
                let id = open.swap_remove(usize::try_from(next(open.len() as u64)).unwrap());
                // Filled meanwhile: -2011, as it should be.
                let _ = c.cancel_order("BTCUSDT", id).await;
            }
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_book_equals_depth_after_ten_thousand_orders() {
    let limits = RateLimits {
        request_weight_per_minute: 1_000_000,
        orders_per_10s: 1_000_000,
        orders_per_day: 10_000_000,
        raw_requests_per_5m: 10_000_000,
    };
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).rate_limits(limits)).await;
    let admin = Client::builder().environment(Environment::custom(sb.rest_url())).build().unwrap();
    let mut book = admin.local_book("BTCUSDT").open().await.unwrap();
    assert_eq!(book.state(), BookState::Syncing);
    assert!(book.top(5).is_none(), "nothing shown before the book is built");

    let mut tasks = Vec::new();
    for n in 0..CLIENTS {
        let c = trader(&sb, &admin, n).await;
        tasks.push(tokio::spawn(trade(c, 0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1), COMMANDS / CLIENTS)));
    }
    // The book is built while the others trade, and follows them.
    let mut live_updates = 0u64;
    let mut resyncs = Vec::new();
    let trading = std::time::Instant::now();
    while tasks.iter().any(|t| !t.is_finished()) {
        match tokio::time::timeout(std::time::Duration::from_millis(500), book.next()).await {
            Ok(Some(Ok(BookUpdate::Live { .. }))) => {
                live_updates += 1;
                let top = book.top(20).expect("live");
                if let (Some(b), Some(a)) = (top.bids.first(), top.asks.first()) {
                    assert!(b.price < a.price, "never crossed while live");
                }
            }
            Ok(Some(Ok(BookUpdate::Resyncing { reason }))) => resyncs.push(reason),
            Ok(Some(Err(e))) => panic!("{e}"),
            Ok(None) => panic!("the stream ended"),
            Err(_) => {}
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    // depth@100ms: an update each 100 ms the book changed; at least one each 500 ms of trading
    // (a loaded machine delays the ticks).
    let expected = u64::try_from(trading.elapsed().as_millis() / 500).unwrap_or(u64::MAX).max(1);
    let depth = admin.depth("BTCUSDT", Some(5000)).await.unwrap();
    while book.top(1).map(|t| t.last_update_id) != Some(depth.last_update_id) {
        match tokio::time::timeout(std::time::Duration::from_secs(30), book.next()).await {
            Ok(Some(Ok(_))) => {}
            other => panic!("the book did not reach depth's update id {}: {other:?}", depth.last_update_id),
        }
    }
    let top = book.top(5000).unwrap();
    assert_eq!(top.bids, depth.bids, "bids");
    assert_eq!(top.asks, depth.asks, "asks");
    assert!(
        live_updates >= expected,
        "the book followed the trading: {live_updates} updates, {expected} expected at least"
    );
    assert!(resyncs.is_empty(), "no diff was missed: {resyncs:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_gap_drops_the_book_until_it_is_built_again() {
    let rules = mbx_sandbox::ws::hub::StreamRules {
        lifetime: std::time::Duration::from_millis(500),
        ..mbx_sandbox::ws::hub::StreamRules::default()
    };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let c = client_for(&sb, mbx_testkit::keys::DEMO_API_KEY, mbx_testkit::keys::DEMO_SECRET_KEY);
    let mut book = c.local_book("BTCUSDT").snapshot_limit(100).open().await.unwrap();
    assert!(matches!(book.next().await, Some(Ok(BookUpdate::Live { .. }))));
    assert!(book.top(5).is_some_and(|t| !t.bids.is_empty() && !t.asks.is_empty()), "the market maker's book");
    // The server cuts the stream at its lifetime: the book is dropped, then built again.
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(10), book.next()).await.unwrap() {
            Some(Ok(BookUpdate::Resyncing { reason })) => {
                assert!(reason.contains("gap"), "{reason}");
                assert_eq!(book.state(), BookState::Resyncing);
                assert!(book.top(5).is_none(), "a resyncing book is not shown");
                break;
            }
            Some(Ok(BookUpdate::Live { .. })) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(book.next().await, Some(Ok(BookUpdate::Live { .. }))));
    assert_eq!(book.state(), BookState::Live);
    sb.shutdown().await;
}
