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
