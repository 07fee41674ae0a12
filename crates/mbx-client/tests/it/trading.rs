//! Orders through the client against the sandbox's matching engine.

use mbx_client::{Client, Environment, Error};
use mbx_core::ErrorCode;
use mbx_core::model::{OrderStatus, OrderType, Side};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;

fn client(sb: &TestSandbox) -> Client {
    client_with_preflight(sb, true)
}

fn client_with_preflight(sb: &TestSandbox, preflight: bool) -> Client {
    Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .preflight(preflight)
        .build()
        .unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[tokio::test]
async fn client_limit_order_is_listed_locks_quote_and_cancel_unlocks() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let order = c
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(d("0.001"))
        .price(d("30000"))
        .send()
        .await
        .unwrap();
    assert_eq!(order.status, Some(OrderStatus::New));
    assert!(order.client_order_id.starts_with("mbx-"), "{}", order.client_order_id);
    let open = c.open_orders(Some("BTCUSDT")).await.unwrap();
    assert!(open.iter().any(|o| o.order_id == order.order_id));
    let usdt = c.account().await.unwrap().balance("USDT").cloned().unwrap();
    assert_eq!(usdt.locked, d("30"));
    let by_id = c.order_by_client_id("BTCUSDT", &order.client_order_id).await.unwrap();
    assert_eq!(by_id.order_id, order.order_id);
    let cancelled = c.cancel_order("BTCUSDT", order.order_id).await.unwrap();
    assert_eq!(cancelled.status, Some(OrderStatus::Canceled));
    let usdt = c.account().await.unwrap().balance("USDT").cloned().unwrap();
    assert_eq!((usdt.free, usdt.locked), (d("10000"), Decimal::ZERO));
    // Cancelling again: Binance's -2011.
    assert_eq!(
        c.cancel_order("BTCUSDT", order.order_id).await.unwrap_err().code(),
        Some(ErrorCode::CANCEL_REJECTED)
    );
}

#[tokio::test]
async fn client_market_order_fills_and_trades_are_exact_decimals() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let filled =
        c.new_order("BTCUSDT", Side::Buy, OrderType::Market).quantity(d("0.002")).send().await.unwrap();
    assert_eq!(filled.status, Some(OrderStatus::Filled));
    assert!(!filled.fills.is_empty());
    let qty: Decimal = filled.fills.iter().map(|f| f.qty).sum();
    assert_eq!(qty, d("0.002"));
    assert_eq!(filled.executed_qty, d("0.002"));
    let trades = c.my_trades("BTCUSDT").await.unwrap();
    let ids: Vec<u64> = filled.fills.iter().map(|f| f.trade_id).collect();
    assert!(ids.iter().all(|id| trades.iter().any(|t| t.id == *id)));
    let btc = c.account().await.unwrap().balance("BTC").cloned().unwrap();
    // Bought 0.002 BTC, commission 0.1% of it in BTC.
    assert_eq!(btc.free, d("1") + d("0.002") - d("0.000002"));
}

#[tokio::test]
async fn client_preflight_refuses_a_filter_failure_without_sending() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let err = c
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(d("0.001"))
        .price(d("30000.001"))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Invalid { error, advice } => {
            assert_eq!(error.msg, "Filter failure: PRICE_FILTER");
            assert!(advice.contains("tick size"), "{advice}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), Some(ErrorCode::INVALID_MESSAGE));
    assert!(c.open_orders(Some("BTCUSDT")).await.unwrap().is_empty());
    // Without pre-flight the exchange itself answers the same code.
    let raw = client_with_preflight(&sb, false);
    let err = raw
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(d("0.001"))
        .price(d("30000.001"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INVALID_MESSAGE));
    assert!(matches!(err, Error::Api(_)));
}

#[tokio::test]
async fn client_insufficient_balance_is_2010() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let err = c
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(d("1"))
        .price(d("50000"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::NEW_ORDER_REJECTED), "{err}");
    assert!(err.to_string().contains("Account has insufficient balance for requested action."), "{err}");
}

#[tokio::test]
async fn client_iceberg_trailing_and_pegged_orders_round_trip() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    // Pre-flight reads ICEBERG_PARTS from exchangeInfo: 0.001 in parts of 0.00001 is 100 parts.
    let err = c
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(d("0.01"))
        .price(d("30000"))
        .iceberg_qty(d("0.00001"))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Invalid { error, .. } => assert_eq!(error.msg, "Filter failure: ICEBERG_PARTS"),
        other => panic!("{other:?}"),
    }
    let iceberg = c
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(d("0.01"))
        .price(d("30000"))
        .iceberg_qty(d("0.002"))
        .send()
        .await
        .unwrap();
    assert_eq!(iceberg.iceberg_qty, Some(d("0.002")));
    // The market maker's book gives the pegged order its price: the best bid.
    let pegged = c
        .new_order("BTCUSDT", Side::Buy, OrderType::LimitMaker)
        .quantity(d("0.001"))
        .peg(mbx_core::model::PegPriceType::PrimaryPeg, Some(0))
        .response_type(mbx_core::model::OrderResponseType::Result)
        .send()
        .await
        .unwrap();
    assert_eq!(pegged.peg_price_type, Some(mbx_core::model::PegPriceType::PrimaryPeg));
    assert_eq!((pegged.price, pegged.peg_offset_value), (Decimal::ZERO, Some(0)));
    let bid = pegged.pegged_price.expect("peggedPrice");
    assert!(bid > d("30000"), "the market maker's best bid, {bid}");
    let trailing = c
        .new_order("BTCUSDT", Side::Sell, OrderType::StopLoss)
        .quantity(d("0.001"))
        .trailing_delta(150)
        .send()
        .await
        .unwrap();
    let queried = c.order_by_client_id("BTCUSDT", &trailing.client_order_id).await.unwrap();
    assert_eq!(queried.trailing_delta, Some(150));
    assert!(queried.trailing_time.is_some_and(|t| t > 0), "{queried:?}");
}
