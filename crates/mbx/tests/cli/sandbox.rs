//! `mbx sandbox`: serves in the foreground on a free port, answers signed requests, stops cleanly on
//! SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use crate::support::*;

/// A minimal HTTP/1.1 exchange over loopback (the test does not need a client library).
fn http(addr: &str, request: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn sandbox_serves_signed_request_and_stops_on_sigterm() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("mbx"))
        .args(["--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--memory"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first stdout line is printed once the sandbox is listening.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap();
    let rest = info["rest"].as_str().unwrap().to_owned();
    assert_eq!(info["apiKey"], DOCS_API_KEY);
    let addr = rest.trim_start_matches("http://").to_owned();

    // Sign with `mbx sign` (fresh timestamp) and send the exact query it prints.
    let out = json(mbx_hmac().args(["sign", "--path", "/api/v3/account"]).arg("omitZeroBalances=true"));
    let query = out["query"].as_str().unwrap();
    let answer = http(
        &addr,
        &format!(
            "GET /api/v3/account?{query} HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {DOCS_API_KEY}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"balances\""), "{answer}");

    // Admin wrappers against the running sandbox.
    let dep = json(mbx().args(["sandbox", "deposit", "USDT", "5.5", "--url", &rest]));
    assert!(dep.to_string().contains("10005.5"), "{dep}");
    let added = json(mbx().args(["sandbox", "key", "add", "--kind", "hmac", "--url", &rest]));
    let new_key = added["apiKey"].as_str().unwrap().to_owned();
    assert!(added["secretKey"].as_str().is_some_and(|s| s.len() == 64));
    let listed = json(mbx().args(["sandbox", "key", "list", "--url", &rest]));
    assert!(listed.to_string().contains(&new_key[..8]), "{listed}");
    assert!(!listed.to_string().contains(added["secretKey"].as_str().unwrap()), "secrets are never listed");
    json(mbx().args(["sandbox", "key", "revoke", &new_key, "--url", &rest]));

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status {status:?}");
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("stopping"), "{err}");
    // The request log (written by a background thread) is flushed before the process exits.
    let logged = err.lines().find(|l| l.contains("path=/api/v3/account")).unwrap_or_default();
    assert!(logged.contains("method=GET") && logged.contains("status=200"), "{err}");
}

/// Starts `mbx sandbox --memory` with `args`; returns the process and its host:port.
fn start_sandbox(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("mbx"))
        .args(["--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--memory"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let addr = info["rest"].as_str().unwrap().trim_start_matches("http://").to_owned();
    (child, addr)
}

/// The JSON body of a GET.
fn get_json(addr: &str, target: &str) -> serde_json::Value {
    let answer = http(addr, &format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

#[test]
fn sandbox_config_file_sets_symbols_balances_commission_and_limits() {
    let dir = temp_dir();
    let path = dir.join("sandbox.toml");
    std::fs::write(
        &path,
        r#"
commission = "0.00075"
[limits]
request_weight_per_minute = 1200
[balances]
USDT = "250000"
SOL = "40"
[[symbols]]
symbol = "SOLUSDT"
base = "SOL"
quote = "USDT"
tick_size = "0.01"
step_size = "0.001"
min_notional = "5"
reference_price = "150"
quote_size = "10"
"#,
    )
    .unwrap();
    let (mut child, addr) = start_sandbox(&["--config", path.to_str().unwrap()]);
    let info = get_json(&addr, "/api/v3/exchangeInfo?symbol=SOLUSDT");
    let sol = &info["symbols"][0];
    assert_eq!((sol["baseAsset"].as_str(), sol["quoteAsset"].as_str()), (Some("SOL"), Some("USDT")));
    assert!(sol["filters"].to_string().contains(r#""tickSize":"0.01000000""#), "{sol}");
    let weight =
        info["rateLimits"].as_array().unwrap().iter().find(|r| r["rateLimitType"] == "REQUEST_WEIGHT");
    assert_eq!(weight.unwrap()["limit"], 1200);
    // The market maker quotes the new symbol around its reference price.
    let depth = get_json(&addr, "/api/v3/depth?symbol=SOLUSDT&limit=1");
    let bid: rust_decimal::Decimal = depth["bids"][0][0].as_str().unwrap().parse().unwrap();
    assert!(bid >= rust_decimal::Decimal::from(140) && bid < rust_decimal::Decimal::from(150), "{depth}");

    let out = json(mbx_hmac().args(["sign", "--path", "/api/v3/account"]).arg("omitZeroBalances=true"));
    let query = out["query"].as_str().unwrap();
    let answer = http(
        &addr,
        &format!(
            "GET /api/v3/account?{query} HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {DOCS_API_KEY}\r\nConnection: close\r\n\r\n"
        ),
    );
    let account: serde_json::Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let assets: Vec<&str> =
        account["balances"].as_array().unwrap().iter().map(|b| b["asset"].as_str().unwrap()).collect();
    assert_eq!(assets, ["SOL", "USDT"], "{account}");
    assert_eq!(account["commissionRates"]["taker"], "0.00075000");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn sandbox_config_mistakes_are_named_with_their_fix() {
    let dir = temp_dir();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "[[symbols]]\nsymbol = \"NEWUSDT\"\nbase = \"NEW\"\nquote = \"USDT\"\nstep_size = \"0.1\"\n",
    )
    .unwrap();
    let out =
        mbx().args(["sandbox", "--memory", "--addr", "127.0.0.1:0", "--config"]).arg(&path).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("symbols[0] (NEWUSDT).tick_size: is required for a new symbol"), "{err}");
    std::fs::write(&path, "commission = 0.001\n").unwrap();
    let out =
        mbx().args(["sandbox", "--memory", "--addr", "127.0.0.1:0", "--config"]).arg(&path).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("as a string"), "{err}");
}
