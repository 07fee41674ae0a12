//! `time`, `ping`, `account`, `call`, `doctor live` against a sandbox on a free loopback port.

use mbx_testkit::TestSandbox;

use crate::support::*;

fn with_sandbox(sb: &TestSandbox) -> assert_cmd::Command {
    let mut cmd = mbx_hmac();
    cmd.env("BINANCE_API_KEY", DOCS_API_KEY).arg("--base-url").arg(sb.rest_url());
    cmd
}

/// Runs a blocking command while the test's runtime keeps serving the sandbox.
async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_time_ping_and_account_against_sandbox() {
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.args(["--output", "json", "time"]);
    let out = run(c).await;
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["offsetMs"].as_i64().unwrap().abs() < 1000);

    let mut c = with_sandbox(&sb);
    c.arg("ping");
    assert!(run(c).await.status.success());

    let mut c = with_sandbox(&sb);
    c.arg("account");
    let out = run(c).await;
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("USDT") && text.contains("10000"), "{text}");
    assert!(!text.contains(DOCS_SECRET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_wrong_secret_reads_like_help_and_exits_1() {
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.env("BINANCE_API_SECRET", "wrong-secret").arg("account");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("-1022 Signature for this request is not valid."), "{err}");
    assert!(err.contains("INVALID_SIGNATURE (-1022): Sign exactly the bytes you send"), "{err}");
    assert!(!err.contains("wrong-secret"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_call_dry_run_prints_request_without_secrets() {
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.args(["--output", "json", "call", "GET", "/api/v3/account", "omitZeroBalances=true", "--dry-run"]);
    let out = run(c).await;
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["security"], "USER_DATA");
    assert!(v["url"].as_str().unwrap().contains("omitZeroBalances=true&timestamp="));
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(!all.contains(DOCS_SECRET) && !all.contains(DOCS_API_KEY), "{all}");
    // And without --dry-run it is sent.
    let mut c = with_sandbox(&sb);
    c.args(["call", "GET", "/api/v3/account", "omitZeroBalances=true"]);
    let out = run(c).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"balances\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_doctor_live_checks_a_working_setup() {
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.args(["--output", "json", "doctor", "live"]);
    let out = run(c).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true, "{v}");
    let names: Vec<&str> =
        v["checks"].as_array().unwrap().iter().map(|c| c["check"].as_str().unwrap()).collect();
    assert_eq!(names, ["reachability", "clock", "key", "recvWindow"]);
    assert_eq!(out.status.code(), Some(0));

    // A skewed server clock is reported and the key check still passes (the client corrects for it).
    sb.state().clock().set_offset_ms(-3_000);
    let mut c = with_sandbox(&sb);
    c.args(["--output", "json", "doctor", "live"]);
    let v: serde_json::Value = serde_json::from_slice(&run(c).await.stdout).unwrap();
    let clock = &v["checks"][1];
    assert_eq!(clock["ok"], false, "{v}");
    assert_eq!(v["checks"][2]["ok"], true, "{v}");
}

#[test]
fn cli_unreachable_host_exits_3() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = mbx().args(["--base-url", &format!("http://127.0.0.1:{port}"), "ping"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_verbose_prints_the_signed_request_without_the_secret() {
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.args(["-v", "account"]);
    let out = run(c).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8(out.stderr).unwrap();
    let line = err
        .lines()
        .find(|l| l.starts_with("> GET ") && l.contains("/api/v3/account?"))
        .unwrap_or_else(|| panic!("no account request shown: {err}"));
    let url = line.strip_prefix("> GET ").unwrap();
    assert!(url.starts_with(&format!("{}/api/v3/account?omitZeroBalances=true&timestamp=", sb.rest_url())));
    // The shown URL is the signed one: its signature is the HMAC of everything before it.
    let query = url.split_once('?').unwrap().1;
    let (payload, signature) = query.split_once("&signature=").unwrap();
    let ts = payload.split("timestamp=").nth(1).unwrap();
    assert_eq!(ts.len(), 13, "{payload}");
    mbx_core::sign::HmacSigner::new(DOCS_SECRET.as_bytes())
        .verify(payload.as_bytes(), signature)
        .expect("the printed signature signs the printed query");
    assert!(err.contains(&format!("> X-MBX-APIKEY: {}…(64 chars)", &DOCS_API_KEY[..4])), "{err}");
    assert!(err.contains("> body: (empty)"), "{err}");
    assert!(!err.contains(DOCS_SECRET), "secret shown: {err}");
    assert!(!err.contains(DOCS_API_KEY), "whole API key shown: {err}");
    // Unsigned calls are shown too, without a key header.
    let mut c = with_sandbox(&sb);
    c.args(["--verbose", "ping"]);
    let err = String::from_utf8(run(c).await.stderr).unwrap();
    assert!(err.contains(&format!("> GET {}/api/v3/ping\n", sb.rest_url())), "{err}");
    assert!(!err.contains("X-MBX-APIKEY"), "{err}");
    // Without -v nothing is shown.
    let mut c = with_sandbox(&sb);
    c.arg("ping");
    assert!(!String::from_utf8(run(c).await.stderr).unwrap().contains("> GET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_sandbox_log_shows_the_last_rejections_diagnosed() {
    let sb = TestSandbox::start().await;
    // A request signed as JSON, rejected -1022 by the sandbox.
    let ts = mbx_testkit::now_ms();
    let json = format!(r#"{{"timestamp":{ts}}}"#);
    let sig = mbx_testkit::keys::demo_signer().sign(json.as_bytes());
    let raw = format!(
        "GET /api/v3/account?timestamp={ts}&signature={} HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {}\r\nConnection: close\r\n\r\n",
        sig.as_str(),
        mbx_testkit::keys::DEMO_API_KEY
    );
    let resp = mbx_testkit::send_raw(sb.addr(), raw.as_bytes()).await.unwrap();
    assert_eq!(resp.status, 400);

    let mut c = mbx();
    c.args(["--base-url", &sb.rest_url(), "--output", "json", "doctor", "sandbox-log", "--limit", "5"]);
    let out = run(c).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v["rejections"][0];
    assert_eq!(first["code"], -1022);
    assert_eq!(first["transport"], "rest");
    assert_eq!(first["diagnosis"]["findings"][0]["cause"], "signed-json");
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(!all.contains(mbx_testkit::keys::DEMO_API_KEY), "the key is shortened: {all}");

    let mut c = mbx();
    c.args(["--base-url", &sb.rest_url(), "doctor", "sandbox-log"]);
    let text = String::from_utf8(run(c).await.stdout).unwrap();
    assert!(text.contains("answered 400 -1022") && text.contains("[signed-json]"), "{text}");

    // A request the acceptance check lets through and the handler refuses is listed too.
    let query = format!(
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01&price=1000&timestamp={}",
        mbx_testkit::now_ms()
    );
    let sig = mbx_testkit::keys::demo_signer().sign(query.as_bytes());
    let raw = format!(
        "POST /api/v3/order?{query}&signature={} HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {}\r\nConnection: close\r\n\r\n",
        sig.as_str(),
        mbx_testkit::keys::DEMO_API_KEY
    );
    let resp = mbx_testkit::send_raw(sb.addr(), raw.as_bytes()).await.unwrap();
    assert_eq!(resp.status, 400);
    let mut c = mbx();
    c.args(["--base-url", &sb.rest_url(), "--output", "json", "doctor", "sandbox-log", "--limit", "1"]);
    let v: serde_json::Value = serde_json::from_slice(&run(c).await.stdout).unwrap();
    let first = &v["rejections"][0];
    assert_eq!(first["code"], -1102, "{v}");
    assert_eq!(first["diagnosis"]["findings"][0]["cause"], "order-terms", "{v}");
    sb.shutdown().await;
}

/// A path the server does not serve, or does not serve for that method, is said so with the
/// nearest endpoint (not "check the network"); a path without its '/' is a usage error; `book` on a
/// symbol Binance does not have stops at once (it retried, spending 250 weight a snapshot).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_wrong_paths_and_symbols_say_what_is_wrong() {
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.args(["call", "GET", "/api/v3/opneOrders"]);
    let out = run(c).await;
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("HTTP 404") && err.contains("/api/v3/openOrders") && !err.contains("network"),
        "{err}"
    );
    let mut c = with_sandbox(&sb);
    c.args(["call", "POST", "/api/v3/depth", "symbol=BTCUSDT"]);
    let out = run(c).await;
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("does not take POST: it takes GET"), "{err}");
    let mut c = with_sandbox(&sb);
    c.args(["call", "GET", "api/v3/depth", "symbol=BTCUSDT"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let mut c = with_sandbox(&sb);
    c.args(["book", "FOOBAR"]).timeout(std::time::Duration::from_secs(20));
    let out = run(c).await;
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("-1121") && !err.contains("trying again"), "{err}");
    // An order Binance refuses whatever the market is not sent, and the fix names the flag.
    let mut c = with_sandbox(&sb);
    c.args(["order", "new", "BTCUSDT", "BUY", "LIMIT", "--price", "40000"]);
    let out = run(c).await;
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not sent") && err.contains("-1102") && err.contains("--qty"), "{err}");
    let mut c = with_sandbox(&sb);
    c.args(["order", "new", "BTCUSDT", "BUY", "LIMIT", "--price", "40000", "--qty=-1"]);
    assert_eq!(run(c).await.status.code(), Some(2));
}

/// A host that does not answer: `doctor live` gives no recvWindow advice and exits 3 (transport),
/// as `sandbox key list` does; `config path` and `order test` print JSON when asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_unreachable_hosts_exit_3_and_json_is_json() {
    let mut c = mbx();
    c.args(["--output", "json", "--base-url", "http://127.0.0.1:1", "doctor", "live"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["ok"].as_bool(), v["recvWindow"].is_null()), (Some(false), true), "{v}");
    let mut c = mbx();
    c.args(["--base-url", "http://127.0.0.1:1", "sandbox", "key", "list"]);
    assert_eq!(run(c).await.status.code(), Some(3));
    let mut c = mbx();
    c.args(["--output", "json", "config", "path"]);
    let out = run(c).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["path"].as_str().is_some_and(|p| p.ends_with(".toml")), "{v}");
    let sb = TestSandbox::start().await;
    let mut c = with_sandbox(&sb);
    c.args([
        "--output", "json", "order", "test", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price", "30000",
        "--tif", "GTC",
    ]);
    let out = run(c).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    // A cancel's answer keeps the order's own client id beside the cancel request's.
    let mut c = with_sandbox(&sb);
    c.args([
        "--output", "json", "order", "new", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price", "30000",
        "--tif", "GTC",
    ]);
    let out = run(c).await;
    let placed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = placed[0]["orderId"].as_u64().unwrap().to_string();
    let mut c = with_sandbox(&sb);
    c.args(["--output", "json", "order", "cancel", "BTCUSDT", &id]);
    let out = run(c).await;
    let cancelled: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cancelled[0]["origClientOrderId"], placed[0]["clientOrderId"], "{cancelled}");
}
