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
    let price = |l: &serde_json::Value| l[0].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
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

/// 2024-02-29 00:00:00 UTC.
const T0: u64 = 1_709_164_800_000;
const MINUTE: u64 = 60_000;

/// A sandbox stopped at `T0 + 10 s` with one trade, its clock then moved `minutes` ahead: 1m candles
/// exist for every minute of `T0 ..= T0 + minutes`.
async fn market_with_history(minutes: u64) -> TestSandbox {
    use mbx_core::model::{OrderType, Side};
    let clock = mbx_sandbox::SandboxClock::fixed(mbx_core::time::Timestamp::Millis(T0 + 10_000));
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().clock(clock)).await;
    let client = mbx_client::Client::builder()
        .base_url(sb.rest_url())
        .api_key(DOCS_API_KEY)
        .hmac_secret(DOCS_SECRET)
        .build()
        .unwrap();
    client.sync_time().await.unwrap();
    let order = client
        .new_order("BTCUSDT", Side::Buy, OrderType::Market)
        .quantity(rust_decimal::Decimal::new(1, 3))
        .send()
        .await
        .unwrap();
    assert!(!order.fills.is_empty());
    sb.state().clock().set_offset_ms(i64::try_from(minutes * MINUTE).unwrap());
    sb
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn klines_download_writes_csv_with_every_candle_once() {
    let sb = market_with_history(2600).await;
    let dir = temp_dir();
    let csv = dir.join("btc.csv");
    let to = (T0 + 2500 * MINUTE).to_string();
    let out = run(
        &sb,
        &[
            "--output",
            "json",
            "klines",
            "BTCUSDT",
            "1m",
            "--from",
            "2024-02-29",
            "--to",
            &to,
            "--out",
            csv.to_str().unwrap(),
        ],
    )
    .await;
    let summary: serde_json::Value = serde_json::from_str(&stdout_ok(&out)).unwrap();
    assert_eq!(summary["candles"], 2501, "{summary}");
    assert_eq!(summary["firstOpenTime"], T0);
    assert!(
        out.stderr.is_empty(),
        "no progress bar when not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(mbx_client::types::Kline::CSV_HEADER));
    let opens: Vec<u64> = lines.map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
    assert_eq!(opens, (0..=2500).map(|n| T0 + n * MINUTE).collect::<Vec<_>>());
    assert!(text.ends_with('\n'));
    assert!(!dir.join("btc.csv.part").exists(), "renamed when complete");
    assert!(text.lines().nth(1).unwrap().split(',').all(|f| !f.is_empty()), "11 filled columns");

    // The file is never overwritten by accident.
    let again =
        run(&sb, &["klines", "BTCUSDT", "1m", "--from", "2024-02-29", "--out", csv.to_str().unwrap()]).await;
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    // An interrupted download (a .part with a torn last line) continues where it stopped, and the
    // result is the same file byte for byte.
    let resumed = dir.join("resumed.csv");
    let part = dir.join("resumed.csv.part");
    let cut = text.lines().take(1 + 1500).map(|l| format!("{l}\n")).collect::<String>();
    std::fs::write(&part, format!("{cut}1709254800000,61")).unwrap();
    let refused = run(
        &sb,
        &["klines", "BTCUSDT", "1m", "--from", "2024-02-29", "--to", &to, "--out", resumed.to_str().unwrap()],
    )
    .await;
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--resume"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let out = run(
        &sb,
        &[
            "--output",
            "json",
            "klines",
            "btcusdt",
            "1m",
            "--from",
            "2024-02-29",
            "--to",
            &to,
            "--out",
            resumed.to_str().unwrap(),
            "--resume",
        ],
    )
    .await;
    let summary: serde_json::Value = serde_json::from_str(&stdout_ok(&out)).unwrap();
    assert_eq!(summary["candles"], 1001, "only the missing candles are fetched: {summary}");
    assert_eq!(summary["resumed"], true);
    assert_eq!(std::fs::read_to_string(&resumed).unwrap(), text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn klines_without_out_prints_a_table_or_json_and_bad_input_reads_like_help() {
    let sb = market_with_history(90).await;
    let json: serde_json::Value = serde_json::from_str(&stdout_ok(
        &run(
            &sb,
            &[
                "--output",
                "json",
                "klines",
                "BTCUSDT",
                "15m",
                "--from",
                "2024-02-29T00:00:00Z",
                "--to",
                "2024-02-29T01:00:00+00:00",
            ],
        )
        .await,
    ))
    .unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 5, "00:00 to 01:00 inclusive: {json}");
    assert_eq!(list[0]["openTime"], T0);
    assert_eq!(list[0]["trades"], 1);
    let table = stdout_ok(&run(&sb, &["klines", "BTCUSDT", "1h", "--from", "2024-02-29"]).await);
    assert!(table.contains("2024-02-29 00:00:00 UTC") && table.contains("2 candles"), "{table}");

    let out = run(&sb, &["klines", "BTCUSDT", "1H", "--from", "2024-02-29"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1m is a minute, 1M a month"));
    let out = run(&sb, &["klines", "BTCUSDT", "1m", "--from", "1709164800"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("looks like seconds"));
    let out = run(&sb, &["klines", "BTCUSDT", "1m", "--from", "2024-03-02", "--to", "2024-03-01"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("swap them"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticker_24h_adds_the_day_statistics() {
    let sb = market_with_history(5).await;
    let v: serde_json::Value = serde_json::from_str(&stdout_ok(
        &run(&sb, &["--output", "json", "ticker", "BTCUSDT", "--24h"]).await,
    ))
    .unwrap();
    assert_eq!(v["24h"]["count"], 1, "{v}");
    assert_eq!(
        v["24h"]["volume"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(),
        rust_decimal::Decimal::new(1, 3)
    );
    let text = stdout_ok(&run(&sb, &["ticker", "BTCUSDT", "--24h"]).await);
    assert!(text.contains("24h volume") && text.contains("in 1 trade\n"), "{text}");
}

/// Issue 14: `klines SYMBOL INTERVAL` without `--from` was refused; it shows the latest candles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_klines_without_from_shows_the_latest_candles() {
    let sb = market_with_history(90).await;
    let list = |out: &std::process::Output| -> Vec<u64> {
        let v: serde_json::Value = serde_json::from_str(&stdout_ok(out)).unwrap();
        v.as_array().unwrap().iter().map(|k| k["openTime"].as_u64().unwrap()).collect()
    };
    let opens = list(&run(&sb, &["--output", "json", "klines", "BTCUSDT", "1m", "--limit", "5"]).await);
    assert_eq!(opens, (86..=90).map(|n| T0 + n * MINUTE).collect::<Vec<_>>(), "the 5 latest, oldest first");
    let opens = list(&run(&sb, &["--output", "json", "klines", "BTCUSDT", "1m"]).await);
    assert_eq!(opens.len(), 30, "30 by default");
    assert_eq!(opens.last(), Some(&(T0 + 90 * MINUTE)));
    let opens = list(
        &run(
            &sb,
            &[
                "--output",
                "json",
                "klines",
                "BTCUSDT",
                "1m",
                "--limit",
                "2",
                "--to",
                &(T0 + 10 * MINUTE).to_string(),
            ],
        )
        .await,
    );
    assert_eq!(opens, [T0 + 9 * MINUTE, T0 + 10 * MINUTE], "the latest up to --to");
    let table = stdout_ok(&run(&sb, &["klines", "BTCUSDT", "1h", "--limit", "3"]).await);
    assert!(table.contains("2024-02-29 01:00:00 UTC") && table.contains(" candles\n"), "{table}");

    let help = String::from_utf8(mbx().args(["klines", "--help"]).output().unwrap().stdout).unwrap();
    assert!(help.contains("[default: 30]"), "{help}");
    for bad in ["0", "1001"] {
        let out = run(&sb, &["klines", "BTCUSDT", "1m", "--limit", bad]).await;
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("1 to 1000"), "{bad}");
    }
    let out = run(&sb, &["klines", "BTCUSDT", "1m", "--out", "x.csv"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from"));
}
