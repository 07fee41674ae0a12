//! Market data commands against a sandbox: `exchange-info`, `depth`, `ticker`, `klines`.

use mbx_testkit::TestSandbox;

use crate::support::*;

async fn run(sb: &TestSandbox, args: &[&str]) -> std::process::Output {
    let mut cmd = mbx();
    cmd.arg("--base-url").arg(sb.rest_url()).args(args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
}

fn stdout_ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exchange_info_table_json_and_one_symbol() {
    let sb = TestSandbox::start().await;
    let table = stdout_ok(&run(&sb, &["exchange-info"]).await);
    for needle in ["tick size", "step size", "min notional", "BTCUSDT", "LTCBTC", "这是测试币456", "0.00001"]
    {
        assert!(table.contains(needle), "{needle} missing: {table}");
    }
    let v: serde_json::Value =
        serde_json::from_str(&stdout_ok(&run(&sb, &["--output", "json", "exchange-info", "btcusdt"]).await))
            .unwrap();
    let list = v["symbols"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["symbol"], "BTCUSDT");
    assert_eq!(list[0]["status"], "TRADING");
    assert_eq!(list[0]["baseAsset"], "BTC");
    assert_eq!(list[0]["tickSize"], "0.01");
    assert_eq!(list[0]["stepSize"], "0.00001");
    assert_eq!(list[0]["minNotional"], "5");
    assert!(list[0]["filters"].as_array().unwrap().len() >= 3);

    let out = run(&sb, &["exchange-info", "NOPEUSDT"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("-1121") && err.contains("Invalid symbol."), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn depth_and_ticker_tables_and_json() {
    let sb = TestSandbox::start().await;
    let book: serde_json::Value = serde_json::from_str(&stdout_ok(
        &run(&sb, &["--output", "json", "depth", "btcusdt", "--limit", "5"]).await,
    ))
    .unwrap();
    let (bids, asks) = (book["bids"].as_array().unwrap(), book["asks"].as_array().unwrap());
    assert!(!bids.is_empty() && bids.len() <= 5 && !asks.is_empty(), "{book}");
    let price = |l: &serde_json::Value| l[0].as_str().unwrap().parse::<f64>().unwrap();
    assert!(price(&bids[0]) < price(&asks[0]), "{book}");
    assert!(book["lastUpdateId"].as_u64().is_some());
    let table = stdout_ok(&run(&sb, &["depth", "BTCUSDT", "--limit", "5"]).await);
    assert!(table.contains("bid qty") && table.contains("spread"), "{table}");

    let t: serde_json::Value =
        serde_json::from_str(&stdout_ok(&run(&sb, &["--output", "json", "ticker", "BTCUSDT"]).await))
            .unwrap();
    assert_eq!(t["symbol"], "BTCUSDT");
    assert_eq!(t["bidPrice"], bids[0][0], "book ticker and depth agree: {t}");
    assert_eq!(t["askPrice"], asks[0][0], "{t}");
    assert!(t["price"].as_str().is_some());
    let text = stdout_ok(&run(&sb, &["ticker", "BTCUSDT"]).await);
    assert!(text.lines().any(|l| l.starts_with("bid ") && l.contains(" x ")), "{text}");
}
