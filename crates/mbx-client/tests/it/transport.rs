//! The client's HTTP/1.1 transport against scripted servers on loopback: how answers are framed, when
//! connections are reused, and what the caller learns when a connection fails. (Everything else is
//! tested against the sandbox.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mbx_client::{Client, Error};
use mbx_core::Params;
use mbx_core::endpoint::{Method, Security};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the scripted server does with the n-th request it reads (counted over all connections).
#[derive(Clone, Copy)]
enum Step {
    /// Write these bytes and keep the connection.
    Answer(&'static str),
    /// Write these bytes, then close the connection.
    AnswerThenClose(&'static str),
    /// Close the connection without answering.
    Close,
    /// Never answer (the connection stays open).
    Hang,
}

struct Script {
    url: String,
    connections: Arc<AtomicUsize>,
    heads: Arc<Mutex<Vec<String>>>,
}

/// A server on a random loopback port that plays `steps` in order, one per request.
async fn serve(steps: Vec<Step>) -> Script {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let steps = Arc::new(Mutex::new(steps.into_iter()));
    let (c, h) = (connections.clone(), heads.clone());
    tokio::spawn(async move {
        loop {
            let (sock, _) = listener.accept().await.unwrap();
            c.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(connection(sock, steps.clone(), h.clone()));
        }
    });
    Script { url, connections, heads }
}

async fn connection(
    mut sock: impl AsyncRead + AsyncWrite + Unpin,
    steps: Arc<Mutex<std::vec::IntoIter<Step>>>,
    heads: Arc<Mutex<Vec<String>>>,
) {
    let mut buf = Vec::new();
    loop {
        // Read one request head.
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 1024];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        heads.lock().unwrap().push(String::from_utf8_lossy(&buf[..end]).into_owned());
        buf.drain(..end);
        let step = steps.lock().unwrap().next().unwrap_or(Step::Close);
        match step {
            Step::Answer(a) => sock.write_all(a.as_bytes()).await.unwrap(),
            Step::AnswerThenClose(a) => {
                sock.write_all(a.as_bytes()).await.unwrap();
                return;
            }
            Step::Close => return,
            Step::Hang => {
                // Keep the socket open until the client goes away.
                let _ = sock.read(&mut [0u8; 1]).await;
                return;
            }
        }
    }
}

/// The same over TLS, with the test certificate for `localhost` (tests/it/tls, made by a test CA with
/// OpenSSL; test keys only).
async fn serve_tls(steps: Vec<Step>) -> Script {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = vec![CertificateDer::from_pem_slice(include_bytes!("tls/server.pem")).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/server.key")).unwrap();
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://localhost:{}", listener.local_addr().unwrap().port());
    let connections = Arc::new(AtomicUsize::new(0));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let steps = Arc::new(Mutex::new(steps.into_iter()));
    let (c, h) = (connections.clone(), heads.clone());
    tokio::spawn(async move {
        loop {
            let (sock, _) = listener.accept().await.unwrap();
            let (acceptor, steps, h, c) = (acceptor.clone(), steps.clone(), h.clone(), c.clone());
            tokio::spawn(async move {
                // A failed handshake (the client refused the certificate) counts as no connection.
                if let Ok(tls) = acceptor.accept(sock).await {
                    c.fetch_add(1, Ordering::SeqCst);
                    connection(tls, steps, h).await;
                }
            });
        }
    });
    Script { url, connections, heads }
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .api_key("test-key")
        .hmac_secret("test-secret")
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

const TIME: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"serverTime\":123}";
const TIME_CHUNKED: &str = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-MBX-USED-WEIGHT-1M: 7\r\n\r\n\
    5\r\n{\"ser\r\nd;x=1\r\nverTime\":456}\r\n0\r\n\r\n";

#[tokio::test]
async fn transport_reuses_one_connection_and_reads_chunked_answers() {
    let s = serve(vec![Step::Answer(TIME), Step::Answer(TIME_CHUNKED), Step::Answer(TIME)]).await;
    let c = client(&s.url);
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(c.server_time().await.unwrap().server_time, 456);
    assert_eq!(c.used_weight(), 7, "the weight header of a chunked answer is read");
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(s.connections.load(Ordering::SeqCst), 1, "keep-alive: one connection for three requests");
    let heads = s.heads.lock().unwrap();
    let host = s.url.trim_start_matches("http://");
    assert!(heads[0].starts_with("GET /api/v3/time HTTP/1.1\r\n"), "{}", heads[0]);
    assert!(heads[0].contains(&format!("\r\nHost: {host}\r\n")), "{}", heads[0]);
    assert!(!heads[0].contains("X-MBX-APIKEY"), "an unsigned call sends no key: {}", heads[0]);
}

#[tokio::test]
async fn transport_sends_signed_requests_with_the_key_header_and_an_empty_body() {
    let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    let s = serve(vec![Step::Answer(ok)]).await;
    let c = client(&format!("{}/prefix/", s.url));
    let mut p = Params::new();
    p.set("symbol", "BTCUSDT");
    let _: serde_json::Value =
        c.request(Method::Delete, "/api/v3/openOrders", p, Security::Trade).await.unwrap();
    let head = s.heads.lock().unwrap()[0].clone();
    assert!(head.starts_with("DELETE /prefix/api/v3/openOrders?symbol=BTCUSDT&timestamp="), "{head}");
    assert!(head.contains("&signature="), "{head}");
    assert!(head.contains("\r\nX-MBX-APIKEY: test-key\r\n"), "{head}");
    assert!(head.contains("\r\nContent-Length: 0\r\n"), "{head}");
}

#[tokio::test]
async fn transport_opens_a_new_connection_after_connection_close() {
    let close = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 18\r\n\r\n{\"serverTime\":123}";
    let until_eof = "HTTP/1.1 200 OK\r\n\r\n{\"serverTime\":789}";
    let s = serve(vec![Step::Answer(close), Step::AnswerThenClose(until_eof), Step::Answer(TIME)]).await;
    let c = client(&s.url);
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(c.server_time().await.unwrap().server_time, 789, "a body read to the end of the connection");
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(s.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn transport_resends_a_read_when_the_server_closed_the_idle_connection() {
    // The server answers, then closes the connection without saying so; the next read finds it
    // closed (before or after writing) and goes out once more on a new connection.
    let s = serve(vec![Step::AnswerThenClose(TIME), Step::Answer(TIME)]).await;
    let c = client(&s.url);
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(s.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn transport_reports_an_order_without_answer_as_unknown_outcome() {
    let s = serve(vec![Step::Close]).await;
    let c = client(&s.url);
    let mut p = Params::new();
    p.set("symbol", "BTCUSDT");
    p.set("newClientOrderId", "mine-1");
    let err =
        c.request::<serde_json::Value>(Method::Post, "/api/v3/order", p, Security::Trade).await.unwrap_err();
    match err {
        Error::UnknownOutcome { client_order_id, cause } => {
            assert_eq!(client_order_id.as_deref(), Some("mine-1"));
            assert!(cause.contains("without an answer"), "{cause}");
            assert!(!cause.contains("signature"), "errors never carry the signed URL: {cause}");
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    assert_eq!(s.heads.lock().unwrap().len(), 1, "an order is never sent twice by the transport");
}

#[tokio::test]
async fn transport_times_out_and_never_reuses_the_hung_connection() {
    let s = serve(vec![Step::Hang, Step::Answer(TIME)]).await;
    let c = client(&s.url);
    match c.server_time().await.unwrap_err() {
        Error::Transport(msg) => assert!(msg.contains("no complete answer within 500 ms"), "{msg}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(s.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn transport_refuses_what_is_not_http_and_drops_the_connection() {
    let s = serve(vec![Step::Answer("SSH-2.0-OpenSSH_9.6\r\n\r\n"), Step::Answer(TIME)]).await;
    let c = client(&s.url);
    match c.server_time().await.unwrap_err() {
        Error::Transport(msg) => assert!(msg.contains("not HTTP/1.1"), "{msg}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(s.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn transport_reports_a_refused_connection_as_nothing_sent() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let c = client(&format!("http://127.0.0.1:{port}"));
    let err =
        c.request::<serde_json::Value>(Method::Post, "/api/v3/order", Params::new(), Security::Trade).await;
    match err.unwrap_err() {
        Error::Transport(msg) => assert!(msg.contains("cannot connect to 127.0.0.1"), "{msg}"),
        other => panic!("a connection that never opened sent nothing: {other:?}"),
    }
}

#[test]
fn builder_refuses_bad_base_urls_and_keys() {
    for (url, needle) in [
        ("ftp://x", "must start with http:// or https://"),
        ("http://host:0", "port"),
        ("https://user:pw@host", "scheme, host, port and path"),
    ] {
        match Client::builder().base_url(url).build().unwrap_err() {
            Error::Config(msg) => assert!(msg.contains(needle), "{url}: {msg}"),
            other => panic!("{url}: {other:?}"),
        }
    }
    match Client::builder().base_url("http://127.0.0.1:1").api_key("key\n").build().unwrap_err() {
        Error::Config(msg) => assert!(msg.contains("stray newline"), "{msg}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn transport_speaks_tls_and_keeps_the_connection() {
    let s = serve_tls(vec![Step::Answer(TIME), Step::Answer(TIME_CHUNKED)]).await;
    let c = Client::builder()
        .base_url(&s.url)
        .add_root_certificates_pem(include_bytes!("tls/ca.pem"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    // TLS 1.3 servers send session tickets after the handshake: they must not make the idle
    // connection look broken.
    assert_eq!(c.server_time().await.unwrap().server_time, 456);
    assert_eq!(s.connections.load(Ordering::SeqCst), 1);
    let port = s.url.rsplit(':').next().unwrap();
    assert!(s.heads.lock().unwrap()[0].contains(&format!("\r\nHost: localhost:{port}\r\n")));
}

#[tokio::test]
async fn transport_refuses_a_certificate_it_cannot_verify() {
    let s = serve_tls(vec![Step::Answer(TIME)]).await;
    // Only the webpki roots: the test CA is unknown.
    let c = Client::builder().base_url(&s.url).timeout(Duration::from_secs(5)).build().unwrap();
    match c.server_time().await.unwrap_err() {
        Error::Transport(msg) => {
            assert!(msg.contains("TLS handshake") && msg.contains("UnknownIssuer"), "{msg}")
        }
        other => panic!("expected a refused certificate, got {other:?}"),
    }
    assert_eq!(s.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn transport_refuses_a_trusted_certificate_for_another_name() {
    let s = serve_tls(vec![Step::Answer(TIME)]).await;
    // The test CA is trusted, but its certificate names `localhost` only, not the address asked.
    let port = s.url.rsplit(':').next().unwrap();
    let c = Client::builder()
        .base_url(format!("https://127.0.0.1:{port}"))
        .add_root_certificates_pem(include_bytes!("tls/ca.pem"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    match c.server_time().await.unwrap_err() {
        Error::Transport(msg) => {
            assert!(msg.contains("TLS handshake") && msg.contains("not valid for name"), "{msg}")
        }
        other => panic!("expected a refused certificate, got {other:?}"),
    }
    assert_eq!(s.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn websockets_refuse_a_certificate_they_cannot_verify() {
    let s = serve_tls(vec![Step::Answer(TIME)]).await;
    let wss = s.url.replacen("https://", "wss://", 1);
    // Only the webpki roots: the test CA is unknown, for streams and the WebSocket API alike.
    let c = Client::builder()
        .base_url(&s.url)
        .stream_url(wss.clone())
        .ws_api_url(format!("{wss}/ws-api/v3"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let stream = c.market_streams(["btcusdt@trade"]).open().await;
    let err = stream.expect_err("a stream over an unverified certificate").to_string();
    assert!(err.contains("UnknownIssuer"), "{err}");
    let ws = c.ws_api().request("ping", mbx_core::Params::new()).await;
    let err = ws.expect_err("a WebSocket API connection over an unverified certificate").to_string();
    assert!(err.contains("UnknownIssuer"), "{err}");
    assert_eq!(s.connections.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn transport_asks_an_http_proxy_in_absolute_form_with_its_credentials() {
    let p = serve(vec![Step::Answer(TIME), Step::Answer(TIME)]).await;
    let proxy = p.url.replace("http://", "http://alice:s%40cret@");
    let c = Client::builder().base_url("http://sandbox.invalid:9900/x").proxy(proxy).build().unwrap();
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(p.connections.load(Ordering::SeqCst), 1, "the connection to the proxy is kept");
    let head = p.heads.lock().unwrap()[0].clone();
    assert!(head.starts_with("GET http://sandbox.invalid:9900/x/api/v3/time HTTP/1.1\r\n"), "{head}");
    assert!(head.contains("\r\nHost: sandbox.invalid:9900\r\n"), "{head}");
    // "alice:s@cret" in base64.
    assert!(head.contains("\r\nProxy-Authorization: Basic YWxpY2U6c0BjcmV0\r\n"), "{head}");
}

/// A CONNECT proxy on loopback that tunnels to `upstream`; returns its URL and every CONNECT head.
async fn connect_proxy(
    upstream: std::net::SocketAddr,
    answer: &'static str,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let h = heads.clone();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let h = h.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    let mut chunk = [0u8; 512];
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                h.lock().unwrap().push(String::from_utf8_lossy(&buf).into_owned());
                sock.write_all(answer.as_bytes()).await.unwrap();
                if answer.starts_with("HTTP/1.1 200") {
                    let mut up = tokio::net::TcpStream::connect(upstream).await.unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut sock, &mut up).await;
                }
            });
        }
    });
    (url, heads)
}

#[tokio::test]
async fn transport_tunnels_tls_through_a_connect_proxy() {
    let s = serve_tls(vec![Step::Answer(TIME), Step::Answer(TIME_CHUNKED)]).await;
    let port: u16 = s.url.rsplit(':').next().unwrap().parse().unwrap();
    let (proxy, connects) =
        connect_proxy(([127, 0, 0, 1], port).into(), "HTTP/1.1 200 Connection established\r\n\r\n").await;
    let c = Client::builder()
        .base_url(&s.url)
        .proxy(proxy)
        .add_root_certificates_pem(include_bytes!("tls/ca.pem"))
        .api_key("test-key")
        .build()
        .unwrap();
    assert_eq!(c.server_time().await.unwrap().server_time, 123);
    assert_eq!(c.server_time().await.unwrap().server_time, 456);
    let connects = connects.lock().unwrap();
    assert_eq!(connects.len(), 1, "one tunnel, kept alive");
    assert!(connects[0].starts_with(&format!("CONNECT localhost:{port} HTTP/1.1\r\n")), "{}", connects[0]);
    assert!(!connects[0].contains("test-key"), "the proxy never sees the API key");
}

#[tokio::test]
async fn transport_explains_a_proxy_that_wants_credentials() {
    let (proxy, _) = connect_proxy(
        ([127, 0, 0, 1], 9).into(),
        "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    let c = Client::builder().base_url("https://localhost:1").proxy(proxy).build().unwrap();
    match c.server_time().await.unwrap_err() {
        Error::Transport(msg) => {
            assert!(msg.contains("407") && msg.contains("http://user:password@host:port"), "{msg}")
        }
        other => panic!("{other:?}"),
    }
}
