//! The listenKey user data stream (Binance.US; the sandbox with `--flavor us`): events, then an
//! expired key reported as a gap, replaced, and followed by a snapshot.

use std::time::Duration;

use mbx_client::{Client, Environment, UserItem};
use mbx_core::endpoint::Method;
use mbx_core::model::{OrderType, Side};
use mbx_sandbox::{Flavor, Sandbox};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use serde_json::json;

async fn next(stream: &mut mbx_client::ListenKeyStream) -> UserItem {
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("an item in time")
        .expect("open")
}

async fn next_report(stream: &mut mbx_client::ListenKeyStream) -> serde_json::Value {
    loop {
        match next(stream).await {
            UserItem::Event { kind, event } if kind == "executionReport" => return event,
            UserItem::Event { .. } => {}
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_listen_key_stream_survives_its_key_expiring() {
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).flavor(Flavor::Us)).await;
    let c = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap();
    let mut stream = c.listen_key_stream().await.unwrap();
    let buy = || {
        c.new_order("BTCUSDT", Side::Buy, OrderType::Limit)
            .quantity(Decimal::new(1, 3))
            .price(Decimal::new(30_000, 0))
    };
    let first = buy().send().await.unwrap();
    let report = next_report(&mut stream).await;
    assert_eq!((report["i"].as_u64(), &report["X"]), (Some(first.order_id), &json!("NEW")), "{report}");

    // An hour and more without a keepalive (the sandbox's clock moved on): the key expires.
    c.sandbox_admin(Method::Post, "/sandbox/v1/clock", &json!({"offsetMs": 61 * 60 * 1000})).await.unwrap();
    loop {
        match next(&mut stream).await {
            UserItem::Gap { reason } => {
                assert!(reason.contains("expired"), "{reason}");
                break;
            }
            // The first order's balance event, still on its way.
            UserItem::Event { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    loop {
        match next(&mut stream).await {
            UserItem::Resynced { open_orders, .. } => {
                assert!(open_orders.iter().any(|o| o.order_id == first.order_id), "{open_orders:?}");
                break;
            }
            // The first order's balance event may have been cut off by the expiry.
            UserItem::BalanceChanged { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(stream.view().open_orders().contains_key(&first.order_id));
    let second = buy().send().await.unwrap();
    let report = next_report(&mut stream).await;
    assert_eq!(report["i"].as_u64(), Some(second.order_id), "events on the new key: {report}");
    sb.shutdown().await;
}
