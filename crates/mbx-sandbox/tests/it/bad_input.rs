//! Nothing panics on input: malformed encoding, invalid UTF-8, oversized URLs and bodies get Binance's
//! error or a clean 4xx, over raw TCP so the bytes are exactly as written.

use mbx_testkit::{RawResponse, TestSandbox, send_raw};

use crate::support::{DEMO_API_KEY, now_ms};

async fn raw(sb: &TestSandbox, request: Vec<u8>) -> RawResponse {
    let r = send_raw(sb.addr(), &request).await.expect("a complete answer, not a hung or reset connection");
    assert!((400..500).contains(&r.status), "expected a 4xx, got {} {}", r.status, r.text());
    r
}

fn post(path_and_query: &str, body: &[u8], extra_headers: &str) -> Vec<u8> {
    let mut req = format!(
        "POST {path_and_query} HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\nX-MBX-APIKEY: {DEMO_API_KEY}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{extra_headers}\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    req
}

#[track_caller]
fn assert_binance(r: &RawResponse, status: u16, code: i64) {
    assert_eq!(r.status, status, "{}", r.text());
    let json: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON body");
    assert_eq!(json["code"], code, "{json}");
    assert!(r.header("x-sandbox-hint").is_some_and(|h| !h.is_empty()));
    assert!(r.header("x-mbx-used-weight-1m").is_some());
}

#[tokio::test]
async fn malformed_percent_encoding_is_1100() {
    let sb = TestSandbox::start().await;
    let r = raw(
        &sb,
        post(&format!("/api/v3/order/test?symbol=%ZZ&timestamp={}&signature=00", now_ms()), b"", ""),
    )
    .await;
    assert_binance(&r, 400, -1100);
    let r = raw(&sb, post("/api/v3/order/test", b"symbol=%E8%B&timestamp=1&signature=00", "")).await;
    assert_binance(&r, 400, -1100);
    let r = raw(
        &sb,
        b"GET /api/v3/exchangeInfo?symbol=%%% HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n".to_vec(),
    )
    .await;
    assert_binance(&r, 400, -1100);
}

#[tokio::test]
async fn percent_encoded_invalid_utf8_is_1100() {
    let sb = TestSandbox::start().await;
    let r = raw(
        &sb,
        post(&format!("/api/v3/order/test?symbol=%FF%FE&timestamp={}&signature=00", now_ms()), b"", ""),
    )
    .await;
    assert_binance(&r, 400, -1100);
}

#[tokio::test]
async fn raw_invalid_utf8_in_body_is_1100() {
    let sb = TestSandbox::start().await;
    let mut body = b"symbol=".to_vec();
    body.extend_from_slice(&[0xFF, 0xFE, 0x80]);
    body.extend_from_slice(format!("&timestamp={}&signature=00", now_ms()).as_bytes());
    let r = raw(&sb, post("/api/v3/order/test", &body, "")).await;
    assert_binance(&r, 400, -1100);
}

#[tokio::test]
async fn raw_non_ascii_bytes_in_url_are_a_clean_4xx() {
    let sb = TestSandbox::start().await;
    let mut req = b"GET /api/v3/exchangeInfo?symbol=".to_vec();
    req.extend_from_slice(&[0xE8, 0xBF, 0x99, 0xFF]);
    req.extend_from_slice(b" HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n");
    raw(&sb, req).await;
    // The server is still answering.
    let ok = send_raw(sb.addr(), b"GET /api/v3/ping HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn oversized_url_is_414() {
    let sb = TestSandbox::start().await;
    let path =
        format!("/api/v3/order/test?newClientOrderId={}&timestamp=1&signature=00", "a".repeat(9 * 1024));
    let r = raw(&sb, post(&path, b"", "")).await;
    assert_eq!(r.status, 414, "{}", r.text());
    assert!(r.header("x-sandbox-hint").is_some_and(|h| h.contains("limit")));
    assert!(r.header("x-mbx-used-weight-1m").is_some());
}

#[tokio::test]
async fn oversized_body_is_413_declared_or_streamed() {
    let sb = TestSandbox::start().await;
    let body = format!("newClientOrderId={}", "a".repeat(65 * 1024));
    let r = raw(&sb, post("/api/v3/order/test", body.as_bytes(), "")).await;
    assert_eq!(r.status, 413, "{}", r.text());

    // Chunked, no Content-Length: cut off while reading.
    let chunk = "b".repeat(16 * 1024);
    let mut req = format!(
        "POST /api/v3/order/test HTTP/1.1\r\nHost: s\r\nConnection: close\r\nX-MBX-APIKEY: {DEMO_API_KEY}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    for _ in 0..5 {
        req.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    req.push_str("0\r\n\r\n");
    let r = raw(&sb, req.into_bytes()).await;
    assert_eq!(r.status, 413, "{}", r.text());
}

#[tokio::test]
async fn absurd_numbers_and_garbage_keys_are_binance_errors() {
    let sb = TestSandbox::start().await;
    let r = raw(&sb, post(&format!("/api/v3/order/test?timestamp={}&signature=00", "9".repeat(40)), b"", ""))
        .await;
    assert_binance(&r, 400, -1100);
    let r = raw(
        &sb,
        post(&format!("/api/v3/order/test?timestamp={}&recvWindow=1e99999&signature=00", now_ms()), b"", ""),
    )
    .await;
    assert_binance(&r, 400, -1100);
    let req = format!(
        "GET /api/v3/account?timestamp=1&signature=00 HTTP/1.1\r\nHost: s\r\nConnection: close\r\nX-MBX-APIKEY: {}\r\n\r\n",
        "k".repeat(5000)
    );
    assert_binance(&raw(&sb, req.into_bytes()).await, 401, -2014);
}

/// A balance of 1e25 (an admin deposit) is answered in full: rust_decimal's own `{:.8}` gives up past
/// 32 characters, and the account call used to answer 500 with it.
#[tokio::test]
async fn a_huge_balance_is_rendered_not_a_server_error() {
    let sb = TestSandbox::start().await;
    let deposit = crate::support::admin(
        &sb,
        "/sandbox/v1/deposit",
        serde_json::json!({"apiKey": DEMO_API_KEY, "asset": "USDT", "amount": "10000000000000000000000000"}),
    )
    .await;
    deposit.assert_ok();
    let account = crate::support::call(&sb, reqwest::Method::GET, "/api/v3/account", &[]).await;
    account.assert_ok();
    let usdt = account.json["balances"].as_array().unwrap().iter().find(|b| b["asset"] == "USDT").unwrap();
    assert_eq!(usdt["free"], "10000000000000000000010000.00000000");
}

/// A configured filter value too long for rust_decimal's own `{:.8}` (it used to stop the sandbox
/// from starting with a panic) is published in full.
#[tokio::test]
async fn a_huge_configured_filter_value_is_published() {
    let config: mbx_sandbox::config::SandboxConfig = serde_json::from_value(serde_json::json!({
        "symbols": [{"symbol": "BTCUSDT", "max_notional": "100000000000000000000000000"}]
    }))
    .unwrap();
    let rules = config.resolve().unwrap();
    let sb =
        TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().market_maker(false).config(rules))
            .await;
    let info = crate::support::get(&sb, "/api/v3/exchangeInfo?symbol=BTCUSDT").await;
    info.assert_ok();
    let notional = info.json["symbols"][0]["filters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["filterType"] == "NOTIONAL")
        .unwrap()
        .clone();
    assert_eq!(notional["maxNotional"], "100000000000000000000000000.00000000");
}

/// A sandbox whose HTTP server keeps connections under `limits`.
async fn with_limits(limits: mbx_sandbox::serve::ServeLimits) -> TestSandbox {
    TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().market_maker(false).serve_limits(limits))
        .await
}

/// Reads until the server closes the connection (or `within` passes); the bytes it sent.
async fn until_closed(tcp: &mut tokio::net::TcpStream, within: std::time::Duration) -> Option<Vec<u8>> {
    use tokio::io::AsyncReadExt as _;
    let mut got = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 4096];
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read_all).await.ok().map(|()| got)
}

#[tokio::test]
async fn half_a_request_head_is_closed_after_the_header_read_timeout() {
    use tokio::io::AsyncWriteExt as _;
    let limits = mbx_sandbox::serve::ServeLimits {
        header_read_timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let sb = with_limits(limits).await;
    // Fifty connections each send half a head and go quiet; a slow drip sends a byte at a time.
    let mut quiet = Vec::new();
    for _ in 0..50 {
        let mut tcp = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
        tcp.write_all(b"GET /api/v3/ping HTTP/1.1\r\nHost: sandbox\r\nX-Half: ").await.unwrap();
        quiet.push(tcp);
    }
    for tcp in &mut quiet {
        // Closed by the server well before the test's own limit (no answer owed).
        let sent = until_closed(tcp, std::time::Duration::from_secs(20)).await;
        assert!(sent.is_some(), "a connection with half a head was still open");
    }
    let mut drip = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let dripping = async {
        for b in b"GET /api/v3/ping HTTP/1.1\r\nHost: sandbox\r\nX-Slow: 11111111111111111111111111111111" {
            if drip.write_all(&[*b]).await.is_err() {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        false
    };
    // The drip's pace is the client's, not a synchronization: the server cuts it part-way.
    assert!(
        tokio::time::timeout(std::time::Duration::from_secs(20), dripping).await.unwrap_or(false) || {
            until_closed(&mut drip, std::time::Duration::from_secs(20)).await.is_some()
        }
    );
    // A whole request is still answered.
    let r = send_raw(sb.addr(), b"GET /api/v3/ping HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn connections_over_the_per_address_cap_are_refused_with_1003() {
    use tokio::io::AsyncWriteExt as _;
    let limits = mbx_sandbox::serve::ServeLimits { max_connections_per_address: 3, ..Default::default() };
    let sb = with_limits(limits).await;
    // Three keep-alive connections, each answered once (so each is surely admitted).
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut tcp = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
        tcp.write_all(b"GET /api/v3/ping HTTP/1.1\r\nHost: sandbox\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 512];
        let n = tokio::io::AsyncReadExt::read(&mut tcp, &mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf[..n]));
        open.push(tcp);
    }
    // The fourth is told why and closed.
    let mut fourth = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let told = until_closed(&mut fourth, std::time::Duration::from_secs(20)).await.expect("closed");
    let text = String::from_utf8_lossy(&told);
    assert!(text.starts_with("HTTP/1.1 429"), "{text}");
    assert!(text.contains("\"code\":-1003"), "{text}");
    // One closes: a new connection is admitted again (once the server has seen the close).
    drop(open.pop());
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r =
            send_raw(sb.addr(), b"GET /api/v3/ping HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n")
                .await;
        if r.as_ref().is_ok_and(|r| r.status == 200) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the freed slot was never given back: {r:?}");
        tokio::task::yield_now().await;
    }
    sb.shutdown().await;
}
