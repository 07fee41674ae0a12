//! The server's own HTTP/1.1 path for Binance's endpoints (`serve/http1.rs`) and its hand-over to
//! hyper: requests on one connection are answered in order whichever serves them, both write the
//! same answer, and a body that arrives after its head is read whole. Raw loopback sockets; every
//! wait is a read with a deadline.

use std::time::Duration;

use mbx_sandbox::Sandbox;
use mbx_testkit::TestSandbox;

use crate::support::DEMO_API_KEY;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const PATIENCE: Duration = Duration::from_secs(15);

fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
}

/// `POST /api/v3/order/test` with the demo key and `body` as a form.
fn form_post(body: &str) -> String {
    format!(
        "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {DEMO_API_KEY}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

async fn sandbox() -> TestSandbox {
    TestSandbox::start_with(Sandbox::builder().memory().market_maker(false)).await
}

/// One answer off the wire: its status line, its header lines in order, its body.
#[derive(Debug)]
struct Answer {
    status_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The head without what changes from one answer to the next (the date, the weight used).
    fn steady_head(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|(n, _)| !matches!(n.as_str(), "date" | "x-mbx-used-weight-1m" | "x-mbx-used-weight"))
            .cloned()
            .collect()
    }
}

/// Reads `n` answers from `tcp` (each with `content-length`), in order.
async fn read_answers(tcp: &mut TcpStream, n: usize) -> Vec<Answer> {
    let mut buf = Vec::new();
    let mut answers = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    while answers.len() < n {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8(buf[..end].to_vec()).unwrap();
            let mut lines = head.split("\r\n");
            let status_line = lines.next().unwrap().to_owned();
            let headers: Vec<(String, String)> = lines
                .map(|l| {
                    let (k, v) = l.split_once(": ").unwrap_or_else(|| panic!("header line {l:?}"));
                    (k.to_owned(), v.to_owned())
                })
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .expect("content-length")
                .1
                .parse()
                .unwrap();
            if buf.len() >= end + 4 + len {
                let body = String::from_utf8(buf[end + 4..end + 4 + len].to_vec()).unwrap();
                buf.drain(..end + 4 + len);
                answers.push(Answer { status_line, headers, body });
                continue;
            }
        }
        let read =
            tokio::time::timeout(PATIENCE, tcp.read(&mut chunk)).await.expect("an answer in time").unwrap();
        assert!(read > 0, "closed after {} of {n} answers: {answers:?}", answers.len());
        buf.extend_from_slice(&chunk[..read]);
    }
    answers
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order_whichever_path_serves_them() {
    let sb = sandbox().await;
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    // Binance's endpoints (the own path), then an unknown path (hyper from there on), then Binance's
    // again, the last one asking to close: all in one write.
    let burst = "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n\
                 GET /api/v3/time HTTP/1.1\r\nHost: x\r\n\r\n\
                 GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n\
                 GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n\
                 GET /api/v3/depth?symbol=BTCUSDT&limit=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    tcp.write_all(burst.as_bytes()).await.unwrap();
    let answers = read_answers(&mut tcp, 5).await;
    let bodies: Vec<&str> = answers.iter().map(|a| a.body.as_str()).collect();
    assert_eq!(bodies[0], "{}");
    assert!(bodies[1].starts_with("{\"serverTime\":"), "{}", bodies[1]);
    assert!(answers[2].header("x-sandbox-hint").is_some_and(|h| h.contains("/nowhere")), "{answers:?}");
    assert_eq!(bodies[3], "{}");
    assert!(bodies[4].contains("\"lastUpdateId\""), "{}", bodies[4]);
    let statuses: Vec<&str> = answers.iter().map(|a| a.status_line.as_str()).collect();
    assert_eq!(statuses[2], "HTTP/1.1 404 Not Found");
    assert!(statuses.iter().enumerate().all(|(i, s)| i == 2 || *s == "HTTP/1.1 200 OK"), "{statuses:?}");
    assert_eq!(answers[4].header("connection"), Some("close"));
    // And closed after the last.
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(PATIENCE, tcp.read_to_end(&mut rest)).await.expect("closed in time");
    assert!(closed.is_err() || rest.is_empty(), "more after the last answer: {rest:?}");
    sb.shutdown().await;
}

/// The same request answered by the own path and then, on the same connection after a request only
/// hyper serves, by hyper: the same status line, the same headers in the same order (but for the date
/// and the weight used), the same body.
#[tokio::test]
async fn the_own_path_and_hyper_write_the_same_answer() {
    let sb = sandbox().await;
    let requests = [
        "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
        // Refused: no API key (`-2014`, with the sandbox's hint header).
        "POST /api/v3/order HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\nsymbol=BTCUSDT".to_owned(),
        // Refused: a bad signature (`-1022`), key in its header, parameters in the body.
        form_post(&format!("symbol=BTCUSDT&side=BUY&type=MARKET&timestamp={}&signature=00ff", now_ms())),
        // A market answer (with no clock time in it: the two answers come a moment apart).
        "GET /api/v3/depth?symbol=ETHBTC&limit=100 HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
        // Public routes read a key and a time unit from the headers, in any case, the first of a
        // name: `-1194` for the first unit here, though the second is valid.
        "GET /api/v3/depth?symbol=ETHBTC&limit=5 HTTP/1.1\r\nHost: x\r\nx-mbx-apikey: k\r\n\
         X-MBX-TIME-UNIT: SECOND\r\nX-MBX-TIME-UNIT: MICROSECOND\r\n\r\n"
            .to_owned(),
        "GET /api/v3/depth?symbol=ETHBTC&limit=5 HTTP/1.1\r\nHost: x\r\nx-mbx-time-unit: minute\r\n\r\n"
            .to_owned(),
        // A public route's parameter refused (`-1100`), the query percent-encoded.
        "GET /api/v3/depth?symbol=ETH%42TC&limit=abc HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
    ];
    let mut bodies = Vec::new();
    for request in &requests {
        let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
        let handover = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
        tcp.write_all(format!("{request}{handover}{request}").as_bytes()).await.unwrap();
        let answers = read_answers(&mut tcp, 3).await;
        let (own, hyper) = (&answers[0], &answers[2]);
        let first_line = request.lines().next().unwrap();
        assert_eq!(own.status_line, hyper.status_line, "{first_line}");
        assert_eq!(own.steady_head(), hyper.steady_head(), "{first_line}");
        assert_eq!(own.body, hyper.body, "{first_line}");
        let names: Vec<&str> = own.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.last(), Some(&"date"), "{first_line}: {names:?}");
        bodies.push(own.body.clone());
    }
    assert!(bodies[4].contains("-1194"), "{}", bodies[4]);
    assert!(bodies[5].contains("-1194"), "{}", bodies[5]);
    assert!(bodies[6].contains("-1100") && bodies[6].contains("'limit'"), "{}", bodies[6]);
    sb.shutdown().await;
}

/// A body sent after its head (a client that writes them separately) is read whole: the answer is
/// the one to the same request sent in one write.
#[tokio::test]
async fn a_body_sent_after_its_head_is_read_whole() {
    let sb = sandbox().await;
    let body =
        format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp={}&signature=00ff", now_ms());
    let request = form_post(&body);
    let head = &request[..request.len() - body.len()];
    let mut whole = TcpStream::connect(sb.addr()).await.unwrap();
    whole.write_all(request.as_bytes()).await.unwrap();
    let expected = read_answers(&mut whole, 1).await.remove(0);
    let mut split = TcpStream::connect(sb.addr()).await.unwrap();
    split.set_nodelay(true).unwrap();
    split.write_all(head.as_bytes()).await.unwrap();
    let (first, second) = body.split_at(20);
    split.write_all(first.as_bytes()).await.unwrap();
    split.write_all(second.as_bytes()).await.unwrap();
    let got = read_answers(&mut split, 1).await.remove(0);
    assert_eq!(got.status_line, expected.status_line);
    assert_eq!(got.body, expected.body);
    // A bad signature over the whole body (a body cut short would miss its signature: -1102).
    assert!(got.body.contains("-1022"), "{}", got.body);
    sb.shutdown().await;
}

/// A POST with a body to a path not served (unknown, retired, another API's), its body written
/// after its head as Python's http.client and aiohttp write it: the refusal reads the body first,
/// so the connection carries the client's next request (answered with the body unread, it was
/// closed under that request).
#[tokio::test]
async fn a_refused_post_keeps_its_connection_for_the_next_request() {
    let sb = sandbox().await;
    for path in ["/api/v3/cancelReplace", "/api/v3/userDataStream", "/sapi/v1/asset/dust"] {
        let body = "symbol=BTCUSDT&side=BUY";
        let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        // The body only once the refusal is under way (the journal holds it): an answer written
        // before the body is read would close the connection under the next request.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let log = crate::support::get(&sb, "/sandbox/v1/rejections?limit=1").await;
            if log.json["rejections"][0].to_string().contains(path) {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "{path} never journaled: {}", log.json);
        }
        tcp.write_all(body.as_bytes()).await.unwrap();
        tcp.write_all(b"GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let answers = read_answers(&mut tcp, 2).await;
        assert_eq!(answers[0].status_line, "HTTP/1.1 404 Not Found", "{path}");
        assert_eq!(
            (answers[1].status_line.as_str(), answers[1].body.as_str()),
            ("HTTP/1.1 200 OK", "{}"),
            "{path}"
        );
    }
    sb.shutdown().await;
}

/// A JSON array written raw in the query (`symbols=["BTCUSDT","ETHUSDT"]`, as rest-api.md's own
/// curl example sends it): the `http` types refuse `"`, Binance reads it. Public routes answer it,
/// and a signature over the query as sent (raw quotes and all) verifies.
#[tokio::test]
async fn raw_quotes_and_brackets_in_a_query_are_read_as_binance_reads_them() {
    let sb = sandbox().await;
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    let query = format!(r#"symbols=["BTCUSDT","ETHUSDT"]&timestamp={}"#, now_ms());
    let signature = crate::support::demo_signer().sign(query.as_bytes());
    let burst = format!(
        "GET /api/v3/exchangeInfo?symbols=[\"BTCUSDT\",\"ETHUSDT\"] HTTP/1.1\r\nHost: x\r\n\r\n\
         GET /api/v3/ticker/price?symbols=[\"BTCUSDT\",\"ETHUSDT\"] HTTP/1.1\r\nHost: x\r\n\r\n\
         GET /api/v3/account?{query}&signature={signature} HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {DEMO_API_KEY}\r\n\r\n"
    );
    tcp.write_all(burst.as_bytes()).await.unwrap();
    let answers = read_answers(&mut tcp, 3).await;
    let info: serde_json::Value = serde_json::from_str(&answers[0].body).unwrap();
    let symbols: Vec<&str> =
        info["symbols"].as_array().unwrap().iter().map(|s| s["symbol"].as_str().unwrap()).collect();
    assert_eq!(symbols, ["BTCUSDT", "ETHUSDT"], "{}", answers[0].body);
    assert!(answers[1].status_line.ends_with("200 OK"), "{:?}", answers[1]);
    // The own path writes the legacy weight header beside the 1-minute one, with its number.
    for a in &answers {
        assert!(a.header("x-mbx-used-weight").is_some(), "{a:?}");
        assert_eq!(a.header("x-mbx-used-weight"), a.header("x-mbx-used-weight-1m"), "{a:?}");
    }
    assert!(answers[1].body.contains("ETHUSDT"), "{:?}", answers[1]);
    // The account endpoint reads no symbols: past the signature, -1104 names the extra parameter.
    assert!(answers[2].body.contains("-1104"), "{:?}", answers[2]);
}
