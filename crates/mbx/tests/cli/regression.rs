//! Regressions, named after the issue they come from.

use crate::support::*;

/// Issue 14: `--output json` was described as "One JSON object" while list commands print arrays.
#[test]
fn issue_14_output_json_help_describes_objects_and_arrays() {
    let out = mbx().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(!help.contains("One JSON object"), "{help}");
    let line =
        help.lines().find(|l| l.trim_start().starts_with("- json:")).unwrap_or_else(|| panic!("{help}"));
    assert!(line.contains("One JSON document") && line.contains("an array for list commands"), "{line}");
}

/// Runs `mbx` with the docs' key against `sb` while the test's runtime keeps serving the sandbox.
async fn run_against(sb: &mbx_testkit::TestSandbox, args: &[&str]) -> std::process::Output {
    let mut cmd = mbx_hmac();
    cmd.env("BINANCE_API_KEY", DOCS_API_KEY).arg("--base-url").arg(sb.rest_url()).args(args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
}

fn stdout_of(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Issue 14: the `order cancel` table showed the cancel request's generated `clientOrderId` instead of
/// the cancelled order's own client id (`origClientOrderId`); the JSON stays as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_order_cancel_table_shows_the_cancelled_orders_client_id() {
    let sb = mbx_testkit::TestSandbox::start().await;
    let place = |cid: &'static str| {
        [
            "--output",
            "json",
            "order",
            "new",
            "BTCUSDT",
            "BUY",
            "LIMIT",
            "--qty",
            "0.001",
            "--price",
            "30000",
            "--client-id",
            cid,
        ]
    };
    let placed: serde_json::Value =
        serde_json::from_str(&stdout_of(&run_against(&sb, &place("issue14-own-id")).await)).unwrap();
    let id = placed[0]["orderId"].as_u64().unwrap().to_string();
    let table = stdout_of(&run_against(&sb, &["order", "cancel", "BTCUSDT", &id]).await);
    let row = table.lines().find(|l| l.contains(&format!(" {id} "))).unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("issue14-own-id") && row.contains("CANCELED"), "{table}");

    let placed: serde_json::Value =
        serde_json::from_str(&stdout_of(&run_against(&sb, &place("issue14-json-id")).await)).unwrap();
    let id = placed[0]["orderId"].as_u64().unwrap().to_string();
    let cancelled: serde_json::Value = serde_json::from_str(&stdout_of(
        &run_against(&sb, &["--output", "json", "order", "cancel", "BTCUSDT", &id]).await,
    ))
    .unwrap();
    let cid = cancelled[0]["clientOrderId"].as_str().unwrap();
    assert_ne!(cid, "issue14-json-id", "the JSON keeps the cancel answer's own clientOrderId: {cancelled}");
}

/// Issue 14: the curl commands of `mbx sign` and `mbx call --dry-run` read the key from `$apiKey`,
/// which nobody sets; mbx reads BINANCE_API_KEY, and so does the printed command now. Neither the key
/// nor the secret is printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_curl_reads_the_key_from_binance_api_key() {
    for key_set in [false, true] {
        let mut cmd = mbx_hmac();
        if key_set {
            cmd.env("BINANCE_API_KEY", DOCS_API_KEY);
        }
        let out = cmd.args(["sign", "symbol=BTCUSDT", "--timestamp", "1499827319559"]).output().unwrap();
        let text = stdout_of(&out);
        let curl = text.lines().last().unwrap();
        assert!(curl.starts_with("curl -s -v -H \"X-MBX-APIKEY: $BINANCE_API_KEY\" -X "), "{text}");
        let hint = text.lines().rev().nth(1).unwrap();
        let expected = if key_set {
            "# the API key comes from $BINANCE_API_KEY, which is set"
        } else {
            "# set the API key first: export BINANCE_API_KEY='<your API key>'"
        };
        assert_eq!(hint, expected);
        assert!(!text.contains(DOCS_API_KEY) && !text.contains(DOCS_SECRET), "{text}");
    }
    // Another variable can still be named.
    let v = json(mbx_hmac().args(["sign", "symbol=BTCUSDT", "--api-key-var", "MY_KEY"]));
    assert!(v["curl"].as_str().unwrap().contains("X-MBX-APIKEY: $MY_KEY\""), "{v}");

    let sb = mbx_testkit::TestSandbox::start().await;
    let out = run_against(&sb, &["call", "GET", "/api/v3/account", "--dry-run"]).await;
    let text = stdout_of(&out);
    let curl = text.lines().last().unwrap();
    assert!(curl.starts_with("curl -H \"X-MBX-APIKEY: $BINANCE_API_KEY\" -X GET \""), "{text}");
    assert!(!text.contains(DOCS_API_KEY) && !text.contains(DOCS_SECRET), "{text}");
    let text = stdout_of(&run_against(&sb, &["call", "GET", "/api/v3/ping", "--dry-run"]).await);
    assert!(!text.contains("X-MBX-APIKEY"), "a public endpoint needs no key: {text}");
}

/// Runs `mbx` (no key material inherited) with `args` while the test's runtime keeps serving.
async fn run_plain(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || mbx().args(&args).output().unwrap()).await.unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// Issue 14: `--env sandbox --base-url URL` lost the sandbox's demo key default, so `doctor live`
/// failed its key check; the env decides, whatever the base URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_env_sandbox_with_base_url_keeps_the_demo_key() {
    let sb = mbx_testkit::TestSandbox::start().await;
    let url = sb.rest_url();
    let out =
        run_plain(strings(&["--env", "sandbox", "--base-url", &url, "--output", "json", "doctor", "live"]))
            .await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["checks"][2]["check"], "key", "{v}");
    assert_eq!(v["checks"][2]["ok"], true, "{v}");
    assert_eq!(out.status.code(), Some(0), "{v}");
    // The same base URL without --env sandbox is not assumed to be a sandbox: no key, a plain sentence.
    let out = run_plain(strings(&["--base-url", &url, "account"])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs an API key"));
    // A sandbox profile with a base URL keeps the demo key too.
    let dir = temp_dir();
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("[profiles.sb]\nenv = \"sandbox\"\nbase_url = \"{url}\"\n")).unwrap();
    let args = strings(&["--profile", "sb", "--output", "json", "account"]);
    let out =
        tokio::task::spawn_blocking(move || mbx().env("MBX_CONFIG", &config).args(&args).output().unwrap())
            .await
            .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a profile names its own key: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 14: `mbx sandbox key|deposit` took their own `--url` and ignored the global `--base-url`;
/// the global option (and --env / --profile) now names the sandbox, and `--url` is a hidden,
/// deprecated alias that still works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_sandbox_admin_uses_the_global_base_url() {
    let sb = mbx_testkit::TestSandbox::start().await;
    let url = sb.rest_url();
    let dep =
        run_plain(strings(&["--base-url", &url, "--output", "json", "sandbox", "deposit", "USDT", "5.5"]))
            .await;
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&dep)).unwrap();
    assert_eq!(
        v["free"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(),
        rust_decimal::Decimal::new(100055, 1)
    );
    let added = run_plain(strings(&["--base-url", &url, "--output", "json", "sandbox", "key", "add"])).await;
    let added: serde_json::Value = serde_json::from_str(&stdout_of(&added)).unwrap();
    let new_key = added["apiKey"].as_str().unwrap().to_owned();
    let listed = stdout_of(&run_plain(strings(&["--base-url", &url, "sandbox", "key", "list"])).await);
    assert!(listed.contains(&new_key), "{listed}");

    // The old per-command --url still works, with a warning naming the replacement.
    let out = run_plain(strings(&["sandbox", "key", "revoke", &new_key, "--url", &url])).await;
    stdout_of(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--url is deprecated") && err.contains("--base-url"), "{err}");
    // Revoked twice: the sandbox's refusal, said with its code, exit 2.
    let out = run_plain(strings(&["--base-url", &url, "sandbox", "key", "revoke", &new_key])).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the sandbox refused (HTTP 400)") && err.contains("-1130"), "{err}");
    // With the sandbox's reason (its X-Sandbox-Hint), which the bare -1130 does not give.
    assert!(err.contains("\n  apiKey: "), "{err}");
    let help =
        String::from_utf8(mbx().args(["sandbox", "deposit", "--help"]).output().unwrap().stdout).unwrap();
    assert!(!help.contains("--url"), "{help}");

    // Binance itself is refused with the fix, before anything is sent.
    let out = run_plain(strings(&["--env", "binance", "sandbox", "key", "list"])).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an mbx sandbox") && err.contains("--base-url"), "{err}");
    // Without any option, the sandbox's default address is used (nothing listens there in tests
    // on another port, so only the address in the error is checked).
    let out = run_plain(strings(&["sandbox", "key", "list"])).await;
    if !out.status.success() {
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("127.0.0.1:9900"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
