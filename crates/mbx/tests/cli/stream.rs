//! `mbx stream` against a sandbox: events as Binance sends them (one JSON object per line), or one
//! readable line each; `--count` ends it.

use std::io::Read;
use std::process::Stdio;

use mbx_client::{Client, Environment};
use mbx_core::model::{OrderType, Side};
use mbx_testkit::TestSandbox;

/// Runs `mbx stream ARGS` and trades (a market buy at a time) until it exits; its output.
async fn stream_while_trading(sb: &TestSandbox, args: &[&str]) -> (std::process::ExitStatus, String) {
    let bin = assert_cmd::cargo::cargo_bin("mbx");
    let mut child = std::process::Command::new(bin)
        .env_remove("BINANCE_API_KEY")
        .env_remove("BINANCE_API_SECRET")
        .arg("--base-url")
        .arg(sb.rest_url())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap();
    // Until the command has had its events (it connects first; trades before that are not seen).
    let mut status = None;
    for _ in 0..300 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        client
            .new_order("BTCUSDT", Side::Buy, OrderType::Market)
            .quantity("0.0001".parse().unwrap())
            .send()
            .await
            .unwrap();
        tokio::task::yield_now().await;
    }
    let status = match status {
        Some(s) => s,
        None => {
            let _ = child.kill();
            panic!("mbx stream did not end after its --count events");
        }
    };
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    (status, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_prints_events_as_sent_or_as_lines() {
    let sb = TestSandbox::start().await;
    let (status, out) =
        stream_while_trading(&sb, &["--output", "json", "stream", "btcusdt@trade", "--count", "2"]).await;
    assert!(status.success(), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!((&v["e"], &v["s"]), (&serde_json::json!("trade"), &serde_json::json!("BTCUSDT")), "{v}");
        assert!(v["p"].as_str().is_some_and(|p| p.contains('.')), "prices as Binance writes them: {v}");
    }
    // The table: a header, then one row per event, in the header's columns.
    let (status, out) =
        stream_while_trading(&sb, &["stream", "BTCUSDT@trade", "btcusdt@aggTrade", "--count", "4"]).await;
    assert!(status.success(), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "a header and 4 rows: {out}");
    let header = lines[0];
    assert!(header.starts_with("TIME (UTC)"), "{out}");
    let column = |name: &str| header.find(name).unwrap();
    for row in &lines[1..] {
        assert_eq!(row.find("btcusdt@"), Some(column("STREAM")), "aligned: {out}");
        let event = row[column("EVENT")..].split_whitespace().next().unwrap();
        assert!(["trade", "aggTrade"].contains(&event), "{out}");
        // Price and quantity end where their headers end (right-aligned numbers).
        let price_end = column("PRICE") + "PRICE".len();
        assert!(row[..price_end].ends_with(|c: char| c.is_ascii_digit()), "{out}");
        assert!(row.as_bytes()[2] == b':' && row.as_bytes()[8] == b'.', "a time first: {out}");
    }
    assert!(lines[1..].iter().any(|l| l.contains(" buy")), "the taker's side: {out}");

    let bad =
        assert_cmd::Command::cargo_bin("mbx").unwrap().args(["stream", "btcusdt@nonsense"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown stream"), "{bad:?}");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn book_prints_the_top_levels_of_a_live_book() {
    let sb = TestSandbox::start().await;
    let url = sb.rest_url();
    let out = tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("mbx")
            .unwrap()
            .args(["--base-url", &url, "--output", "json", "book", "btcusdt", "--depth", "3", "--count", "1"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(String::from_utf8(out.stdout).unwrap().trim()).unwrap();
    let (bids, asks) = (v["bids"].as_array().unwrap(), v["asks"].as_array().unwrap());
    assert_eq!((bids.len(), asks.len()), (3, 3), "{v}");
    let price = |l: &serde_json::Value| l[0].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    assert!(price(&bids[0]) < price(&asks[0]) && price(&bids[0]) > price(&bids[1]), "{v}");
    assert!(v["lastUpdateId"].as_u64().is_some());

    let url = sb.rest_url();
    let table = tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("mbx")
            .unwrap()
            .args(["--base-url", &url, "book", "BTCUSDT", "--count", "1"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("BTCUSDT") && text.contains("ask") && text.contains("bid"), "{text}");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_user_prints_the_account_s_events() {
    let sb = TestSandbox::start().await;
    let (status, out) = stream_while_trading(
        &sb,
        &["--env", "sandbox", "--output", "json", "stream", "user", "--count", "2"],
    )
    .await;
    assert!(status.success(), "{out}");
    let kinds: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["e"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds.len(), 2, "{out}");
    assert!(
        kinds.iter().all(|k| ["executionReport", "outboundAccountPosition"].contains(&k.as_str())),
        "{kinds:?}"
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_user_prints_a_table_without_json() {
    let sb = TestSandbox::start().await;
    let (status, out) =
        stream_while_trading(&sb, &["--env", "sandbox", "stream", "user", "--count", "3"]).await;
    assert!(status.success(), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "a header and 3 rows: {out}");
    let stream_at = lines[0].find("STREAM").unwrap();
    for row in &lines[1..] {
        assert_eq!(row.find("user"), Some(stream_at), "aligned: {out}");
    }
    assert!(
        lines.iter().any(|l| l.contains("order NEW") && l.contains("BTCUSDT") && l.contains("BUY MARKET")),
        "{out}"
    );
    assert!(lines.iter().any(|l| l.contains("balances") && l.contains("USDT free")), "{out}");
    sb.shutdown().await;
}

/// A stream of a symbol the exchange does not have would stay silent: refused first, by name; a
/// misspelled stream type names the one meant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_symbol_or_stream_is_refused_before_connecting() {
    let sb = TestSandbox::start().await;
    let url = sb.rest_url();
    let out = tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("mbx")
            .unwrap()
            .args(["--base-url", &url, "stream", "foousdt@trade"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("FOOUSDT is not a symbol") && err.contains("-1121"), "{err}");
    let out =
        assert_cmd::Command::cargo_bin("mbx").unwrap().args(["stream", "btcusdt@trades"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean btcusdt@trade?"));
}
