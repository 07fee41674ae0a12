//! Typed REST calls, each key type, clock skew recovery and typed errors.

use mbx_client::{Client, Environment, Error};
use mbx_core::endpoint::Method;
use mbx_core::model::{OrderType, Side};
use mbx_core::sign::KeyKind;
use mbx_core::{ErrorCode, Params};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;

const DEMO_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const DEMO_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

fn demo_client(sb: &TestSandbox) -> Client {
    Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(DEMO_KEY)
        .hmac_secret(DEMO_SECRET)
        .build()
        .unwrap()
}

/// Registers a public key on the demo account through the admin API; returns its API key.
async fn register(sb: &TestSandbox, kind: KeyKind) -> String {
    let pem = mbx_testkit::keys::public_pem(kind);
    let body = serde_json::json!({ "kind": kind.as_str(), "publicKey": pem });
    mbx_testkit::install_tls_provider();
    let resp = reqwest::Client::new()
        .post(sb.url("/sandbox/v1/keys"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    let v: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    v["apiKey"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn client_ping_time_and_clock_sync() {
    let sb = TestSandbox::start().await;
    let client = demo_client(&sb);
    client.ping().await.unwrap();
    let t = client.server_time().await.unwrap();
    assert!(t.server_time > 1_600_000_000_000);
    let sample = client.sync_time().await.unwrap();
    assert!(sample.offset_ms.abs() < 1000, "{sample:?}");
    assert!(client.clock_rtt().is_some());
}

#[tokio::test]
async fn client_exchange_info_and_account_balances_are_decimal() {
    let sb = TestSandbox::start().await;
    let client = demo_client(&sb);
    let info = client.exchange_info(None).await.unwrap();
    assert!(info.symbol("BTCUSDT").is_some_and(|s| s.filter("LOT_SIZE").is_some()));
    assert!(info.symbol("这是测试币456").is_some());
    let btc = client.exchange_info(Some("BTCUSDT")).await.unwrap();
    assert_eq!(btc.symbols.len(), 1);
    let s = &btc.symbols[0];
    assert_eq!(s.tick_size(), Some(Decimal::new(1, 2)));
    assert_eq!(s.step_size(), Some(Decimal::new(1, 5)));
    assert_eq!(s.min_notional(), Some(Decimal::new(5, 0)));
    let err = client.exchange_info(Some("NOPEUSDT")).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::BAD_SYMBOL), "{err}");
    let account = client.account().await.unwrap();
    assert_eq!(account.balance("USDT").unwrap().free, Decimal::new(10_000, 0));
    assert!(account.can_trade);
}

#[tokio::test]
async fn client_order_test_is_signed_and_accepted() {
    let sb = TestSandbox::start().await;
    let client = demo_client(&sb);
    client
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(20_000, 0))
        .test()
        .await
        .unwrap();
}

#[tokio::test]
async fn client_ed25519_and_rsa_keys_sign_accepted_requests() {
    let sb = TestSandbox::start().await;
    for kind in [KeyKind::Ed25519, KeyKind::Rsa] {
        let api_key = register(&sb, kind).await;
        let pem = mbx_testkit::keys::read_vector_file(&format!("{}-private.pem", kind.as_str()));
        let client = Client::builder()
            .base_url(sb.rest_url())
            .api_key(api_key)
            .private_key_pem(pem.as_bytes(), None)
            .build()
            .unwrap();
        let account = client.account().await.unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert!(account.balance("BTC").is_some(), "{kind}");
    }
}

#[tokio::test]
async fn client_recovers_from_clock_skew_by_resyncing_once() {
    let sb = TestSandbox::start().await;
    let client = demo_client(&sb);
    // The server's clock runs 20 s behind ours: our timestamps are "ahead" until we re-sync.
    sb.state().clock().set_offset_ms(-20_000);
    let account = client.account().await.unwrap();
    assert!(!account.balances.is_empty());
    assert!((client.clock_offset_ms() + 20_000).abs() < 1_000, "offset {}", client.clock_offset_ms());
}

#[tokio::test]
async fn client_errors_are_typed_with_binance_codes() {
    let sb = TestSandbox::start().await;
    let wrong = Client::builder()
        .base_url(sb.rest_url())
        .api_key(DEMO_KEY)
        .hmac_secret("not-the-secret")
        .build()
        .unwrap();
    let err = wrong.account().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INVALID_SIGNATURE), "{err}");
    let unknown = Client::builder()
        .base_url(sb.rest_url())
        .api_key("A".repeat(64))
        .hmac_secret(DEMO_SECRET)
        .build()
        .unwrap();
    assert_eq!(unknown.account().await.unwrap_err().code(), Some(ErrorCode::REJECTED_MBX_KEY));
    let keyless = Client::builder().base_url(sb.rest_url()).build().unwrap();
    assert!(matches!(keyless.account().await.unwrap_err(), Error::Config(_)));
    // Secrets never appear in errors.
    let text = format!("{err} {err:?}");
    assert!(!text.contains(DEMO_SECRET) && !text.contains("signature="), "{text}");
}

#[tokio::test]
async fn client_generic_call_uses_endpoint_security() {
    let sb = TestSandbox::start().await;
    let client = demo_client(&sb);
    let v = client.call(Method::Get, "/api/v3/account", Params::new()).await.unwrap();
    assert!(v["balances"].is_array());
    let v = client.call(Method::Get, "/api/v3/time", Params::new()).await.unwrap();
    assert!(v["serverTime"].is_u64());
}

#[tokio::test]
async fn client_transport_error_for_closed_port() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder().base_url(format!("http://127.0.0.1:{port}")).build().unwrap();
    let err = client.ping().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn client_depth_and_tickers_are_typed_decimals() {
    let sb = TestSandbox::start().await;
    let client = demo_client(&sb);
    let book = client.depth("BTCUSDT", Some(5)).await.unwrap();
    assert!(!book.bids.is_empty() && !book.asks.is_empty(), "{book:?}");
    assert!(book.bids.len() <= 5 && book.asks.len() <= 5);
    assert!(book.bids.windows(2).all(|w| w[0].price > w[1].price), "bids best first: {book:?}");
    assert!(book.asks.windows(2).all(|w| w[0].price < w[1].price), "asks best first: {book:?}");
    let (bid, ask) = (book.best_bid().unwrap(), book.best_ask().unwrap());
    assert!(bid.price < ask.price && bid.qty > Decimal::ZERO);

    let top = client.book_ticker("BTCUSDT").await.unwrap();
    assert_eq!(top.symbol, "BTCUSDT");
    assert_eq!((top.bid_price, top.ask_price), (bid.price, ask.price));
    let price = client.ticker_price("BTCUSDT").await.unwrap();
    assert!(price.price > Decimal::ZERO);
    let all = client.ticker_prices().await.unwrap();
    assert!(all.iter().any(|p| p.symbol == "这是测试币456"), "{all:?}");
    let err = client.depth("NOPEUSDT", None).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::BAD_SYMBOL));
}
