//! `order`, `orders`, `trades`, `depth`, `ticker` against a sandbox.

use mbx_testkit::TestSandbox;

use crate::support::*;

async fn run(sb: &TestSandbox, args: &[&str]) -> std::process::Output {
    let mut cmd = mbx_hmac();
    cmd.env("BINANCE_API_KEY", DOCS_API_KEY).arg("--base-url").arg(sb.rest_url()).args(args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_order_lifecycle_against_sandbox() {
    let sb = TestSandbox::start().await;
    let placed = json_of(
        &run(
            &sb,
            &[
                "--output", "json", "order", "new", "BTCUSDT", "buy", "limit", "--qty", "0.001", "--price",
                "30000",
            ],
        )
        .await,
    );
    assert_eq!(placed[0]["status"], "NEW");
    let order_id = placed[0]["orderId"].as_u64().unwrap();
    let id = order_id.to_string();
    let open = json_of(&run(&sb, &["--output", "json", "orders", "open", "BTCUSDT"]).await);
    assert!(open.as_array().unwrap().iter().any(|o| o["orderId"].as_u64() == Some(order_id)));
    let got = json_of(&run(&sb, &["--output", "json", "orders", "get", "BTCUSDT", &id]).await);
    assert_eq!(got[0]["orderId"].as_u64(), Some(order_id));
    let cancelled = json_of(&run(&sb, &["--output", "json", "order", "cancel", "BTCUSDT", &id]).await);
    assert_eq!(cancelled[0]["status"], "CANCELED");

    let filled = json_of(
        &run(&sb, &["--output", "json", "order", "new", "BTCUSDT", "BUY", "MARKET", "--qty", "0.001"]).await,
    );
    assert_eq!(filled[0]["status"], "FILLED");
    let trades = json_of(&run(&sb, &["--output", "json", "trades", "BTCUSDT"]).await);
    assert!(!trades.as_array().unwrap().is_empty());
    let text = String::from_utf8(run(&sb, &["depth", "BTCUSDT", "--limit", "5"]).await.stdout).unwrap();
    assert!(text.contains("bid") && text.contains("ask"), "{text}");
    let ticker = json_of(&run(&sb, &["--output", "json", "ticker", "BTCUSDT"]).await);
    assert!(ticker["price"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_order_filter_failure_is_refused_locally_with_advice() {
    let sb = TestSandbox::start().await;
    let out =
        run(&sb, &["order", "new", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price", "30000.001"])
            .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Filter failure: PRICE_FILTER") && err.contains("tick size"), "{err}");
    let out = run(&sb, &["order", "new", "BTCUSDT", "SIDEWAYS", "LIMIT"]).await;
    assert_eq!(out.status.code(), Some(2));
}
