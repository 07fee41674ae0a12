//! Bounded under hostile input (issue 19): slow drips, idle crowds, oversized heads and bodies,
//! deep JSON and malformed WebSocket frames are answered or closed within bounded time and memory,
//! and the sandbox keeps answering everyone else.
//!
//! Everything goes over raw loopback sockets, with short limits ([`ServeLimits`], [`StreamRules`])
//! so that each case takes well under a second. No sleep synchronizes anything: every wait is a read
//! with a deadline. (The drips' pauses are the hostile client's pace, not a synchronization.)

use std::time::{Duration, Instant};

use mbx_sandbox::Sandbox;
use mbx_sandbox::serve::ServeLimits;
use mbx_sandbox::ws::hub::StreamRules;
use mbx_testkit::{RawResponse, TestSandbox, send_raw};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// A test's limits: a fifth of a second to send a head or a body.
const SHORT: Duration = Duration::from_millis(200);

/// What no bounded close may exceed in these tests (the limits are a fifth of a second).
const PATIENCE: Duration = Duration::from_secs(15);

const PING: &[u8] = b"GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

fn short_limits() -> ServeLimits {
    ServeLimits { header_read_timeout: SHORT, body_read_timeout: SHORT, ..ServeLimits::default() }
}

/// Stream rules that close a silent client quickly: pings every 100 ms, 300 ms for a pong.
fn short_rules() -> StreamRules {
    StreamRules {
        ping_every: Duration::from_millis(100),
        pong_timeout: Duration::from_millis(300),
        ..StreamRules::default()
    }
}

async fn sandbox(limits: ServeLimits) -> TestSandbox {
    TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).serve_limits(limits)).await
}

/// The server still answers a new client.
async fn still_answers(sb: &TestSandbox) {
    let r = send_raw(sb.addr(), PING).await.expect("an answer to a ping");
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Reads until the server closes the connection (end of stream or reset) within `within`: the bytes
/// it sent, or `None` if it was still open.
async fn until_closed(tcp: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 8192];
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read_all).await.ok().map(|()| got)
}

/// The status of the first answer in `bytes`.
fn status_of(bytes: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(bytes.get(..12)?).ok()?;
    text.strip_prefix("HTTP/1.1 ")?.parse().ok()
}

/// The JSON body of the one answer in `bytes` (`Content-Length` framed).
fn body_of(bytes: &[u8]) -> serde_json::Value {
    let text = String::from_utf8_lossy(bytes);
    let (_, body) = text.split_once("\r\n\r\n").expect("a whole head");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// This process's resident set size (the sandbox runs in it), in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Writes `bytes` a byte at a time every `pace` until the server closes the connection; returns how
/// long that took, or panics after [`PATIENCE`].
async fn drip_until_closed(tcp: &mut TcpStream, bytes: impl Iterator<Item = u8>, pace: Duration) -> Duration {
    let started = Instant::now();
    let (mut rd, mut wr) = tcp.split();
    let drip = async {
        for b in bytes {
            if wr.write_all(&[b]).await.is_err() {
                break;
            }
            tokio::time::sleep(pace).await;
        }
        // Out of bytes (never, for an endless drip): wait for the close on the read side.
        std::future::pending::<()>().await;
    };
    let closed = async {
        let mut buf = [0u8; 4096];
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        () = drip => unreachable!(),
        r = tokio::time::timeout(PATIENCE, closed) => r.expect("the server never closed the dripping connection"),
    }
    started.elapsed()
}

#[tokio::test]
async fn a_head_dripped_a_byte_at_a_time_is_closed_after_the_header_read_timeout() {
    let sb = sandbox(short_limits()).await;
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    // A head that never ends: one header whose value grows forever, a byte every 10 ms.
    let head = b"GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: "
        .iter()
        .copied()
        .chain(std::iter::repeat(b'a'));
    let took = drip_until_closed(&mut tcp, head, Duration::from_millis(10)).await;
    println!(
        "slow-drip head closed after {} ms (header-read timeout {} ms)",
        took.as_millis(),
        SHORT.as_millis()
    );
    assert!(took >= SHORT, "closed before the timeout: {took:?}");
    still_answers(&sb).await;
    sb.shutdown().await;
}

/// The header-read timeout counts from the start of each head on a keep-alive connection (the
/// server keeps one timer per connection and moves it): requests spaced under the timeout but
/// spanning several timeouts are all answered, and the connection is closed once idle for one.
#[tokio::test]
async fn a_keep_alive_connection_gets_a_full_header_read_timeout_for_each_head() {
    let sb = sandbox(short_limits()).await;
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    let keep_alive = b"GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let mut last_answer = Instant::now();
    for i in 0..6 {
        tcp.write_all(keep_alive).await.unwrap();
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while !answer.ends_with(b"{}") {
            let n = tokio::time::timeout(PATIENCE, tcp.read(&mut buf)).await.expect("an answer").unwrap();
            assert!(
                n > 0,
                "request {i}: closed {} ms after the last answer",
                last_answer.elapsed().as_millis()
            );
            answer.extend_from_slice(&buf[..n]);
        }
        assert_eq!(status_of(&answer), Some(200), "{}", String::from_utf8_lossy(&answer));
        last_answer = Instant::now();
        // Well within the timeout from this answer; six of them are well past it from the first.
        tokio::time::sleep(SHORT / 2).await;
    }
    assert!(until_closed(&mut tcp, PATIENCE).await.is_some(), "an idle keep-alive connection stays open");
    let idle = last_answer.elapsed();
    assert!(idle >= SHORT, "closed {} ms after the last answer", idle.as_millis());
    still_answers(&sb).await;
    sb.shutdown().await;
}

#[tokio::test]
async fn a_body_dripped_a_byte_at_a_time_is_answered_408_and_closed() {
    let sb = sandbox(short_limits()).await;
    // A signed endpoint (its body is read for the acceptance check), then an admin route.
    for (path, content_type) in [
        ("/api/v3/order/test", "application/x-www-form-urlencoded"),
        ("/sandbox/v1/deposit", "application/json"),
    ] {
        let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MBX-APIKEY: {}\r\nContent-Type: {content_type}\r\n\
             Content-Length: 1000\r\n\r\n",
            crate::support::DEMO_API_KEY
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        let (mut rd, mut wr) = tcp.split();
        let drip = async {
            loop {
                if wr.write_all(b"a").await.is_err() {
                    std::future::pending::<()>().await;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        let answer = async {
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                match rd.read(&mut buf).await {
                    Ok(0) | Err(_) => return got,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
        };
        let got = tokio::select! {
            () = drip => unreachable!(),
            got = tokio::time::timeout(PATIENCE, answer) => got.expect("the dripping body was never cut off"),
        };
        let took = started.elapsed();
        println!("slow-drip body on {path}: answered and closed after {} ms", took.as_millis());
        assert_eq!(status_of(&got), Some(408), "{}", String::from_utf8_lossy(&got));
        assert_eq!(body_of(&got)["code"], -1000);
        assert!(took >= SHORT, "cut before the timeout: {took:?}");
    }
    still_answers(&sb).await;
    sb.shutdown().await;
}

#[tokio::test]
async fn thousands_of_idle_connections_are_closed_and_memory_stays_bounded() {
    const IDLE: usize = 2000;
    let limits = ServeLimits { header_read_timeout: Duration::from_millis(500), ..ServeLimits::default() };
    let sb = sandbox(limits).await;
    still_answers(&sb).await;
    let before = rss_kib();
    let started = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        let mut tcp = TcpStream::connect(sb.addr()).await.expect("connect");
        // Half send nothing, half send half a head.
        if i % 2 == 1 {
            tcp.write_all(b"GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ").await.unwrap();
        }
        idle.push(tcp);
    }
    // Answered while they are all open.
    still_answers(&sb).await;
    let during = rss_kib();
    // Each is closed by the server well within the patience (in sequence, but the first one's wait
    // covers the others: they all time out together).
    let mut closed = 0;
    for tcp in &mut idle {
        if until_closed(tcp, PATIENCE).await.is_some() {
            closed += 1;
        } else {
            break;
        }
    }
    let all_closed = started.elapsed();
    still_answers(&sb).await;
    drop(idle);
    let after = rss_kib();
    println!(
        "{IDLE} idle connections: all closed {} ms after the first opened; RSS {before} KiB before, \
         {during} KiB with them open, {after} KiB after",
        all_closed.as_millis()
    );
    assert_eq!(closed, IDLE, "connections still open after the header-read timeout");
    // Generous: the test binary runs other tests in parallel. 2000 connections cost a few MiB.
    assert!(during.saturating_sub(before) < 128 * 1024, "RSS grew by {} KiB", during - before);
    assert!(after.saturating_sub(before) < 128 * 1024, "RSS grew by {} KiB", after - before);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_per_address_cap_counts_websocket_connections_and_answers_1003() {
    let limits = ServeLimits { max_connections_per_address: 2, ..ServeLimits::default() };
    let sb = sandbox(limits).await;
    let _api = ws_handshake(&sb, "/ws-api/v3").await;
    let _stream = ws_handshake(&sb, "/ws").await;
    let mut third = TcpStream::connect(sb.addr()).await.unwrap();
    // Told why even before it says anything, then closed.
    let told = until_closed(&mut third, PATIENCE).await.expect("closed");
    assert_eq!(status_of(&told), Some(429), "{}", String::from_utf8_lossy(&told));
    assert_eq!(body_of(&told)["code"], -1003);
    sb.shutdown().await;
}

#[tokio::test]
async fn oversized_heads_many_headers_and_garbage_are_refused_and_closed() {
    let sb = sandbox(short_limits()).await;
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        (
            "one 100 KiB header",
            format!("GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n", "a".repeat(100 * 1024))
                .into_bytes(),
            431,
        ),
        (
            "5000 tiny headers",
            format!(
                "GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
                (0..5000).map(|i| format!("X-{i}: a\r\n")).collect::<String>()
            )
            .into_bytes(),
            431,
        ),
        (
            "a 1 MiB head that never ends",
            format!("GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}", "a".repeat(1024 * 1024)).into_bytes(),
            431,
        ),
        (
            "a 100 KiB URL (over the head's limit)",
            format!("GET /api/v3/ping?x={} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "a".repeat(100 * 1024)).into_bytes(),
            431,
        ),
        (
            "a 20 KiB URL (over the sandbox's URL limit)",
            format!("GET /api/v3/ping?x={} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "a".repeat(20 * 1024)).into_bytes(),
            414,
        ),
        ("binary garbage", (0u8..=255).cycle().take(4096).collect(), 400),
        ("a line of text", b"HELLO THERE\r\n\r\n".to_vec(), 400),
        ("a bad header line", b"GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n".to_vec(), 400),
        ("a bad Content-Length", b"POST /api/v3/order HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n".to_vec(), 400),
        (
            "a 1 MiB declared body",
            format!(
                "POST /sandbox/v1/deposit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{}",
                1024 * 1024,
                "[".repeat(1024 * 1024)
            )
            .into_bytes(),
            413,
        ),
        (
            "a 1 MiB console body",
            format!(
                "POST /sandbox/v1/console/cancel HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{}",
                1024 * 1024,
                " ".repeat(1024 * 1024)
            )
            .into_bytes(),
            413,
        ),
    ];
    for (what, bytes, status) in cases {
        let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
        // The server may answer and close before it has read everything: a write error is fine.
        let (mut rd, mut wr) = tcp.split();
        let write = async {
            let _ = wr.write_all(&bytes).await;
            std::future::pending::<()>().await;
        };
        let read = async {
            let mut got = Vec::new();
            let mut buf = [0u8; 8192];
            loop {
                match rd.read(&mut buf).await {
                    Ok(0) | Err(_) => return got,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
        };
        let got = tokio::select! {
            () = write => unreachable!(),
            got = tokio::time::timeout(PATIENCE, read) => got.unwrap_or_else(|_| panic!("{what}: never closed")),
        };
        // 414 is the sandbox's (its URL limit is below hyper's); a reset before any answer is
        // acceptable only where hyper had nothing to say.
        assert_eq!(status_of(&got), Some(status), "{what}: {}", String::from_utf8_lossy(&got));
    }
    still_answers(&sb).await;
    sb.shutdown().await;
}

#[tokio::test]
async fn deep_json_in_admin_bodies_is_a_clean_400() {
    let sb = sandbox(ServeLimits::default()).await;
    for body in ["[".repeat(60_000), format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000))] {
        let req = format!(
            "POST /sandbox/v1/deposit HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let r: RawResponse = send_raw(sb.addr(), req.as_bytes()).await.expect("an answer");
        assert_eq!(r.status, 400, "{}", r.text());
    }
    still_answers(&sb).await;
    sb.shutdown().await;
}

// ---- WebSocket ----

/// Opens a WebSocket connection by hand (so that frames can be written byte for byte).
async fn ws_handshake(sb: &TestSandbox, path: &str) -> TcpStream {
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    // The head, a byte at a time: the frames after it stay in the socket.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(PATIENCE, tcp.read(&mut byte)).await.expect("upgrade answer").unwrap();
        assert_eq!(n, 1, "closed during the upgrade: {}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&head));
    tcp
}

/// A WebSocket frame as a client writes it (masked unless `mask` is false).
fn frame(fin: bool, opcode: u8, mask: bool, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![if fin { 0x80 } else { 0 } | opcode];
    let m = if mask { 0x80 } else { 0 };
    match payload.len() {
        n if n < 126 => out.push(m | n as u8),
        n if n <= 0xFFFF => {
            out.push(m | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(m | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    if mask {
        let key = [0x37, 0xfa, 0x21, 0x3d];
        out.extend_from_slice(&key);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
    } else {
        out.extend_from_slice(payload);
    }
    out
}

/// The next text frame the server sends (pings skipped), as JSON.
async fn next_text(tcp: &mut TcpStream) -> serde_json::Value {
    let read = async {
        loop {
            let mut head = [0u8; 2];
            tcp.read_exact(&mut head).await.expect("a frame");
            let len = match head[1] & 0x7f {
                126 => {
                    let mut n = [0u8; 2];
                    tcp.read_exact(&mut n).await.unwrap();
                    u64::from(u16::from_be_bytes(n))
                }
                127 => {
                    let mut n = [0u8; 8];
                    tcp.read_exact(&mut n).await.unwrap();
                    u64::from_be_bytes(n)
                }
                n => u64::from(n),
            };
            let mut payload = vec![0u8; usize::try_from(len).unwrap()];
            tcp.read_exact(&mut payload).await.unwrap();
            match head[0] & 0x0f {
                1 => return serde_json::from_slice(&payload).expect("JSON text"),
                9 | 10 => continue,
                op => panic!("unexpected frame {op}: {}", String::from_utf8_lossy(&payload)),
            }
        }
    };
    tokio::time::timeout(PATIENCE, read).await.expect("an answer frame")
}

/// A request each WebSocket endpoint answers: the WebSocket API's `ping`, a stream's
/// `LIST_SUBSCRIPTIONS`.
fn probe(path: &str) -> Vec<u8> {
    let text = if path.starts_with("/ws-api") {
        r#"{"id":"probe","method":"ping"}"#
    } else {
        r#"{"method":"LIST_SUBSCRIPTIONS","id":"probe"}"#
    };
    frame(true, 1, true, text.as_bytes())
}

/// Writes `bytes` (ignoring a write refused because the server already closed) and asserts that the
/// server closes the connection.
async fn assert_closed_after(tcp: &mut TcpStream, bytes: &[u8], what: &str) {
    let (mut rd, mut wr) = tcp.split();
    let write = async {
        let _ = wr.write_all(bytes).await;
        std::future::pending::<()>().await;
    };
    let read = async {
        let mut buf = [0u8; 8192];
        loop {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        () = write => unreachable!(),
        r = tokio::time::timeout(PATIENCE, read) => r.unwrap_or_else(|_| panic!("{what}: the connection stayed open")),
    }
}

const WS_PATHS: [&str; 3] = ["/ws-api/v3", "/ws", "/stream"];

#[tokio::test]
async fn malformed_websocket_frames_close_the_connection_and_others_are_served() {
    let sb = sandbox(ServeLimits::default()).await;
    for path in WS_PATHS {
        // The size limit of each endpoint's messages: 1 MiB for the WebSocket API, 256 KiB for
        // stream control messages.
        let limit = if path.starts_with("/ws-api") { 1024 * 1024 } else { 256 * 1024 };
        let mut fragments = frame(false, 1, true, &vec![b' '; 64 * 1024]);
        for _ in 0..(limit / (64 * 1024) + 1) {
            fragments.extend(frame(false, 0, true, &vec![b' '; 64 * 1024]));
        }
        let mut huge_header = frame(true, 1, true, b"");
        // A frame that announces twice the limit (only its first bytes are sent).
        huge_header.truncate(1);
        huge_header.push(0x80 | 127);
        huge_header.extend_from_slice(&((2 * limit) as u64).to_be_bytes());
        huge_header.extend_from_slice(&[0, 0, 0, 0]);
        huge_header.extend_from_slice(&[b' '; 1024]);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("a reserved opcode", frame(true, 0x3, true, b"{}")),
            ("a reserved control opcode", frame(true, 0xB, true, b"")),
            ("an unmasked client frame", frame(true, 1, false, br#"{"id":1,"method":"ping"}"#)),
            ("invalid UTF-8 in a text frame", frame(true, 1, true, &[b'{', 0xff, 0xfe, b'}'])),
            ("reserved bits set", {
                let mut f = frame(true, 1, true, b"{}");
                f[0] |= 0x70;
                f
            }),
            ("a continuation without a start", frame(true, 0, true, b"{}")),
            ("a fragmented ping", frame(false, 9, true, b"")),
            ("a ping over 125 bytes", frame(true, 9, true, &[b'p'; 200])),
            ("fragments past the message limit", fragments),
            ("a frame past the size limit", huge_header),
        ];
        for (what, bytes) in cases {
            let mut tcp = ws_handshake(&sb, path).await;
            // Answered before: the connection is live.
            tcp.write_all(&probe(path)).await.unwrap();
            let answer = next_text(&mut tcp).await;
            assert_eq!(answer["id"], "probe", "{path}: {answer}");
            let started = Instant::now();
            assert_closed_after(&mut tcp, &bytes, &format!("{path}: {what}")).await;
            println!("{path}: {what}: closed in {} ms", started.elapsed().as_millis());
        }
        still_answers(&sb).await;
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn binary_frames_deep_json_and_fragment_floods_are_answered_with_errors() {
    let sb = sandbox(ServeLimits::default()).await;
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for path in WS_PATHS {
        let api = path.starts_with("/ws-api");
        let mut tcp = ws_handshake(&sb, path).await;
        // A binary frame: Binance's error, the connection stays.
        tcp.write_all(&frame(true, 2, true, br#"{"id":1,"method":"ping"}"#)).await.unwrap();
        let answer = next_text(&mut tcp).await;
        if api {
            assert_eq!(answer["error"]["code"], -1135, "{answer}");
        } else {
            assert_eq!(answer["code"], 3, "{answer}");
        }
        // JSON nested 100,000 deep: answered, no stack overflow. Where the frame's JSON is parsed
        // into values, the parser's depth limit makes it an error; a parameter's value is only
        // skipped over (without recursion), and `time` reads no parameter.
        let text = if api {
            format!(r#"{{"id":2,"method":"time","params":{{"a":{}}}}}"#, deep(100_000))
        } else {
            format!(r#"{{"method":"SUBSCRIBE","params":{},"id":2}}"#, deep(100_000))
        };
        tcp.write_all(&frame(true, 1, true, text.as_bytes())).await.unwrap();
        let answer = next_text(&mut tcp).await;
        if api {
            assert_eq!(answer["id"], 2, "{answer}");
            // An `id` nested too deep to read is no `id`.
            let nested = format!(r#"{{"id":{},"method":"time"}}"#, deep(100_000));
            tcp.write_all(&frame(true, 1, true, nested.as_bytes())).await.unwrap();
            let answer = next_text(&mut tcp).await;
            assert_eq!(
                (answer["id"].clone(), answer["status"].clone()),
                (json!(null), json!(200)),
                "{answer}"
            );
            // A frame that is all nesting is not a request.
            tcp.write_all(&frame(true, 1, true, deep(100_000).as_bytes())).await.unwrap();
            let answer = next_text(&mut tcp).await;
            assert_eq!(answer["status"], 400, "{answer}");
            assert!(answer["error"]["code"].as_i64().is_some_and(|c| c < 0), "{answer}");
        } else {
            assert_eq!(answer["code"], 3, "{answer}");
        }
        // A request cut into 20,000 fragments of a byte (under the message limit): read whole.
        let request = if api {
            format!(r#"{{"id":"frag","method":"ping"{}}}"#, " ".repeat(20_000))
        } else {
            format!(r#"{{"method":"LIST_SUBSCRIPTIONS","id":"frag"{}}}"#, " ".repeat(20_000))
        };
        let bytes = request.as_bytes();
        let mut flood = Vec::new();
        for (i, b) in bytes.iter().enumerate() {
            let opcode = if i == 0 { 1 } else { 0 };
            flood.extend(frame(i == bytes.len() - 1, opcode, true, &[*b]));
        }
        // Streams take at most 5 messages a second: pings and pongs count, fragments do not.
        tcp.write_all(&flood).await.unwrap();
        let answer = next_text(&mut tcp).await;
        assert_eq!(answer["id"], "frag", "{path}: {answer}");
        // Still served.
        tcp.write_all(&probe(path)).await.unwrap();
        assert_eq!(next_text(&mut tcp).await["id"], "probe");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn an_upgrade_that_never_finishes_is_closed_after_the_header_read_timeout() {
    let sb = sandbox(short_limits()).await;
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    let head = b"GET /ws-api/v3 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Drip: "
        .iter()
        .copied()
        .chain(std::iter::repeat(b'a'));
    let took = drip_until_closed(&mut tcp, head, Duration::from_millis(10)).await;
    println!("slow-drip upgrade closed after {} ms", took.as_millis());
    still_answers(&sb).await;
    sb.shutdown().await;
}

#[tokio::test]
async fn a_websocket_frame_dripped_a_byte_at_a_time_is_closed_by_the_pong_deadline() {
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).stream_rules(short_rules()))
            .await;
    for path in WS_PATHS {
        let mut tcp = ws_handshake(&sb, path).await;
        // A text frame announcing 60 KiB, sent a byte every 10 ms: mid-frame, no pong can come.
        let mut bytes = frame(true, 1, true, &vec![b' '; 60 * 1024]);
        bytes.truncate(8);
        let drip = bytes.into_iter().chain(std::iter::repeat(b' '));
        let took = drip_until_closed(&mut tcp, drip, Duration::from_millis(10)).await;
        println!(
            "{path}: slow-drip frame closed after {} ms (ping every 100 ms, pong within 300 ms)",
            took.as_millis()
        );
    }
    still_answers(&sb).await;
    sb.shutdown().await;
}

#[tokio::test]
async fn a_websocket_api_client_that_never_reads_is_dropped() {
    // Limits high enough that the flood is never refused (a ban would end the connection for
    // another reason); the connection is dropped for not reading within the pong timeout.
    let config: mbx_sandbox::config::SandboxConfig = serde_json::from_value(serde_json::json!({
        "limits": {"request_weight_per_minute": 100_000_000, "raw_requests_per_5m": 100_000_000}
    }))
    .unwrap();
    let sb =
        TestSandbox::start_with(
            Sandbox::builder().memory().market_maker(false).config(config.resolve().unwrap()).stream_rules(
                StreamRules { pong_timeout: Duration::from_millis(500), ..StreamRules::default() },
            ),
        )
        .await;
    // A small receive window, so that the server's buffers fill sooner.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut tcp = socket.connect(sb.addr()).await.unwrap();
    let request = "GET /ws-api/v3 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                   Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    tcp.write_all(request.as_bytes()).await.unwrap();
    let before = rss_kib();
    let started = Instant::now();
    // exchangeInfo answers are large; the client writes requests and never reads. When the server
    // drops the connection (unread requests in its buffer), the next write fails.
    let one = frame(true, 1, true, br#"{"id":1,"method":"exchangeInfo"}"#);
    let mut sent = 0u64;
    let flood = async {
        loop {
            if tcp.write_all(&one).await.is_err() {
                return;
            }
            sent += 1;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), flood)
        .await
        .expect("the server kept a client that never reads");
    let after = rss_kib();
    println!(
        "WebSocket API client that never reads: dropped after {} ms and {sent} requests; RSS {before} KiB before, {after} KiB after",
        started.elapsed().as_millis()
    );
    assert!(after.saturating_sub(before) < 128 * 1024, "RSS grew by {} KiB", after - before);
    still_answers(&sb).await;
    sb.shutdown().await;
}
