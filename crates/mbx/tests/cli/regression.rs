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
