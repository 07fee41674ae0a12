//! State in a data directory survives a restart.

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::KeyKind;
use mbx_testkit::keys::{public_pem, signer};
use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::json;

use crate::support::{admin, now_ms, send, sign};

#[tokio::test]
async fn registered_keys_survive_restart_with_data_dir() {
    let dir = TempDir::new("mbx-sandbox-persist");
    let sb = TestSandbox::start_in(dir.path()).await;
    let ed =
        admin(&sb, "/sandbox/v1/keys", json!({"kind": "ed25519", "publicKey": public_pem(KeyKind::Ed25519)}))
            .await;
    ed.assert_ok();
    let hmac = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac", "permissions": ["USER_DATA"]})).await;
    hmac.assert_ok();
    sb.shutdown().await;
    assert!(dir.path().join("sandbox.db").is_file());

    let sb = TestSandbox::start_in(dir.path()).await;
    let p = Params::new().int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &signer(KeyKind::Ed25519));
    let a = send(&sb, Method::GET, "/api/v3/account", s.query(), "", ed.json["apiKey"].as_str()).await;
    a.assert_ok();
    assert_eq!(a.json["balances"].as_array().unwrap().len(), 7, "demo balances seeded once, not twice");

    let secret = hmac.json["secretKey"].as_str().unwrap();
    let hs = mbx_core::Signer::Hmac(mbx_core::sign::HmacSigner::new(secret.as_bytes()));
    let s = sign(&Params::new().int("timestamp", now_ms()), Placement::Query, &hs);
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", hmac.json["apiKey"].as_str()).await.assert_ok();
    sb.shutdown().await;
}

#[tokio::test]
async fn memory_sandbox_starts_fresh() {
    let sb = TestSandbox::start().await;
    let k = admin(&sb, "/sandbox/v1/keys", json!({"kind": "hmac"})).await;
    k.assert_ok();
    sb.shutdown().await;
    let sb = TestSandbox::start().await;
    let p = Params::new().int("timestamp", now_ms());
    let s = sign(&p, Placement::Query, &crate::support::demo_signer());
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", k.json["apiKey"].as_str())
        .await
        .assert_rejected(401, -2015, "Invalid API-key, IP, or permissions for action.");
}

#[tokio::test]
async fn shutdown_does_not_hang_on_a_half_sent_request() {
    use tokio::io::AsyncWriteExt;
    let grace = std::time::Duration::from_millis(200);
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().shutdown_grace(grace)).await;
    let mut half = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    half.write_all(b"GET /api/v3/ping HTTP/1.1\r\nHost: s\r\n").await.unwrap();
    // A complete exchange after it proves the half-sent one was accepted first.
    let ok = mbx_testkit::send_raw(
        sb.addr(),
        b"GET /api/v3/ping HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(ok.unwrap().status, 200);
    tokio::time::timeout(std::time::Duration::from_secs(5), sb.shutdown())
        .await
        .expect("shutdown within the grace");
}

/// What the demo account sees, to compare across a restart.
#[derive(Debug, PartialEq)]
struct Seen {
    balances: serde_json::Value,
    open_orders: serde_json::Value,
    all_orders: serde_json::Value,
    my_trades: serde_json::Value,
    bids: serde_json::Value,
    asks: serde_json::Value,
}

async fn seen(sb: &TestSandbox) -> Seen {
    use crate::support::{call, get};
    let account = call(sb, Method::GET, "/api/v3/account", &[]).await;
    account.assert_ok();
    let depth = get(sb, "/api/v3/depth?symbol=LTCBTC").await;
    Seen {
        balances: account.json["balances"].clone(),
        open_orders: call(sb, Method::GET, "/api/v3/openOrders", &[]).await.json,
        all_orders: call(sb, Method::GET, "/api/v3/allOrders", &[("symbol", "LTCBTC")]).await.json,
        my_trades: call(sb, Method::GET, "/api/v3/myTrades", &[("symbol", "LTCBTC")]).await.json,
        bids: depth.json["bids"].clone(),
        asks: depth.json["asks"].clone(),
    }
}

fn max_of(list: &serde_json::Value, field: &str) -> u64 {
    list.as_array().unwrap().iter().filter_map(|v| v[field].as_u64()).max().unwrap_or(0)
}

/// Trades, rests and cancels with a data directory, stops the sandbox (cleanly, or by dropping it),
/// starts it again on the same directory and checks that everything acknowledged is there and that
/// new ids continue above the old ones.
async fn trading_state_survives_restart(stop: Stop) {
    use crate::support::{d, place};
    let dir = TempDir::new("mbx-sandbox-trading");
    let sb = TestSandbox::start_in(dir.path()).await;
    let buy =
        place(&sb, &[("symbol", "LTCBTC"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "30")]).await;
    buy.assert_ok();
    assert_eq!(buy.json["status"], "FILLED");
    let resting = [
        ("symbol", "LTCBTC"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "5"),
        ("price", "0.001"),
    ];
    let rest = place(&sb, &resting).await;
    rest.assert_ok();
    let cancelled = place(&sb, &resting).await;
    cancelled.assert_ok();
    crate::support::call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "LTCBTC"), ("orderId", &cancelled.json["orderId"].to_string())],
    )
    .await
    .assert_ok();
    let before = seen(&sb).await;
    assert_eq!(before.open_orders.as_array().unwrap().len(), 1);
    assert_eq!(before.my_trades.as_array().unwrap().len(), 2);
    match stop {
        Stop::Shutdown => sb.shutdown().await,
        Stop::Drop => drop(sb),
        // Nothing runs at all: the engine thread and its database connection stay as they were,
        // mid-flight, like a process killed with -9 (they are leaked until the test process ends).
        Stop::Leak => std::mem::forget(sb),
    }

    let sb = TestSandbox::start_in(dir.path()).await;
    let after = seen(&sb).await;
    assert_eq!(after, before, "the same books, orders, trades and balances after the restart");
    assert_eq!(
        crate::support::balance(&sb, "BTC").await.1,
        d("0.005"),
        "the resting buy still holds 5 * 0.001"
    );

    let old_order = max_of(&before.all_orders, "orderId");
    let old_trade = max_of(&before.my_trades, "id");
    let next =
        place(&sb, &[("symbol", "LTCBTC"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "1")]).await;
    next.assert_ok();
    assert!(next.json["orderId"].as_u64().unwrap() > old_order, "{} after {old_order}", next.json["orderId"]);
    let trade_id = next.json["fills"][0]["tradeId"].as_u64().unwrap();
    assert!(trade_id > old_trade, "{trade_id} after {old_trade}");
    // The resting order is live again: it can be cancelled and its funds come back.
    crate::support::call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "LTCBTC"), ("orderId", &rest.json["orderId"].to_string())],
    )
    .await
    .assert_ok();
    assert_eq!(crate::support::balance(&sb, "BTC").await.1, d("0"));
    sb.shutdown().await;
}

/// How the first sandbox ends.
enum Stop {
    /// `shutdown().await`: connections drained, database closed.
    Shutdown,
    /// Dropped without shutdown.
    Drop,
    /// Never stopped or closed (`mem::forget`).
    Leak,
}

#[tokio::test]
async fn trading_state_survives_shutdown_and_restart() {
    trading_state_survives_restart(Stop::Shutdown).await;
}

#[tokio::test]
async fn trading_state_survives_an_abrupt_drop_and_restart() {
    trading_state_survives_restart(Stop::Drop).await;
}

#[tokio::test]
async fn trading_state_survives_a_sandbox_that_never_stopped() {
    trading_state_survives_restart(Stop::Leak).await;
}
