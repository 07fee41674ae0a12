//! WebSocket API `order.place` against REST `POST /api/v3/order` on the same sandbox: round trips of
//! one client, one request at a time, over one kept-alive connection each (`ORDERS`, default 2000,
//! per round; `ROUNDS`, default 3, alternating). Orders are LIMIT IOC far below the market, so each
//! goes through the engine and its commit and expires without resting.
//!
//! Three clients: REST signed with HMAC, the WebSocket API signed with HMAC on every request, and the
//! WebSocket API on a session logged on with Ed25519 (no signature per request).
//!
//! Run: `cargo bench -p mbx-sandbox --bench ws_api`.

use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use mbx_core::payload::{Placement, RestPayload, ws_api_payload};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_core::{KeyKind, Params};
use mbx_sandbox::Sandbox;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

mod common;

use common::{env, now_ms};

fn order_params() -> Params {
    Params::new()
        .text("symbol", "BTCUSDT")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "IOC")
        .text("quantity", "0.001")
        .text("price", "20000")
        .int("timestamp", now_ms())
}

/// One HTTP/1.1 request on a kept-alive connection; returns the status.
async fn http(stream: &mut TcpStream, request: &[u8], buf: &mut Vec<u8>) -> u16 {
    stream.write_all(request).await.expect("write");
    buf.clear();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).await.expect("read body");
                assert!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        }
    }
}

/// A REST client on one kept-alive connection.
struct Rest {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Rest {
    async fn open(addr: std::net::SocketAddr) -> Rest {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Rest { stream, buf: Vec::new() }
    }

    async fn order(&mut self, signer: &Signer, key: &str) {
        let signed = RestPayload::render(&order_params(), Placement::Body).sign(signer);
        let body = signed.body();
        let request = format!(
            "POST /api/v3/order HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: {key}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let status = http(&mut self.stream, request.as_bytes(), &mut self.buf).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&self.buf));
    }
}

type Socket = tokio_tungstenite::WebSocketStream<TcpStream>;

/// A WebSocket API connection, logged on with `signer` when `session`.
async fn ws_open(addr: std::net::SocketAddr, signer: &Signer, key: &str, session: bool) -> Socket {
    // Both ends without Nagle's delay, as the REST client's socket.
    let tcp = TcpStream::connect(addr).await.expect("connect");
    tcp.set_nodelay(true).expect("nodelay");
    let (mut socket, _) =
        tokio_tungstenite::client_async(format!("ws://{addr}/ws-api/v3"), tcp).await.expect("upgrade");
    if session {
        let logon = json!({"id": "logon", "method": "session.logon", "params": ws_signed(Params::new().int("timestamp", now_ms()), signer, key)});
        socket.send(Message::Text(logon.to_string().into())).await.expect("send");
        let answer = socket.next().await.expect("answer").expect("frame");
        assert!(answer.to_text().unwrap_or_default().contains("\"status\":200"), "{answer:?}");
    }
    socket
}

fn ws_signed(mut params: Params, signer: &Signer, key: &str) -> Value {
    params.push("apiKey", key);
    let signature = signer.sign(ws_api_payload(&params).as_bytes());
    params.push("signature", signature.as_str());
    Value::Object(params.iter().map(|(k, v)| (k.to_owned(), Value::String(v.to_owned()))).collect())
}

async fn ws_order(socket: &mut Socket, id: usize, params: Value) {
    let request = json!({"id": id, "method": "order.place", "params": params});
    socket.send(Message::Text(request.to_string().into())).await.expect("send");
    loop {
        let frame = socket.next().await.expect("answer").expect("frame");
        if let Message::Text(text) = frame {
            assert!(text.contains("\"status\":200"), "{text}");
            return;
        }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let orders = env("ORDERS", 2000);
    let rounds = env("ROUNDS", 3);
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        // Limits far above what the bench sends: it measures round trips, not the limits.
        let limits = mbx_sandbox::market::RateLimits {
            request_weight_per_minute: u32::MAX / 2,
            orders_per_10s: u32::MAX / 2,
            orders_per_day: u32::MAX / 2,
            raw_requests_per_5m: u32::MAX / 2,
        };
        let sb = Sandbox::builder()
            .memory()
            .market_maker(false)
            .rate_limits(limits)
            .bind("127.0.0.1:0".parse().unwrap())
            .start()
            .await
            .expect("sandbox");
        let addr = sb.local_addr();
        let hmac = Signer::Hmac(HmacSigner::new(mbx_sandbox::seed::DEMO_SECRET_KEY.as_bytes()));
        let shared = std::env::var_os("MBX_SHARED_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
        let pem = std::fs::read(shared.join("vectors/ed25519-private.pem")).expect("vectors");
        let Ok(mbx_core::keys::LoadedKey::Private(ed)) = mbx_core::keys::load_pem(&pem, None) else { panic!("key") };
        let public = std::fs::read_to_string(shared.join("vectors/ed25519-public.pem")).expect("vectors");
        let body = json!({"kind": KeyKind::Ed25519.as_str(), "publicKey": public}).to_string();
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let mut buf = Vec::new();
        // The admin API takes requests for a loopback host only (cross-site protection).
        let request = format!("POST /sandbox/v1/keys HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        assert_eq!(http(&mut stream, request.as_bytes(), &mut buf).await, 200);
        let answer: Value = serde_json::from_slice(&buf[buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..]).expect("json");
        let ed_key = answer["apiKey"].as_str().expect("apiKey").to_owned();

        // Interleaved: one order of each client in turn, so that load that comes and goes on a shared
        // machine hits all three alike; medians of the round trips.
        let mut rest = Rest::open(addr).await;
        let mut ws = ws_open(addr, &hmac, mbx_sandbox::seed::DEMO_API_KEY, false).await;
        let mut session = ws_open(addr, &ed, &ed_key, true).await;
        let (mut r, mut w, mut s) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..orders * rounds {
            let t = Instant::now();
            rest.order(&hmac, mbx_sandbox::seed::DEMO_API_KEY).await;
            r.push(t.elapsed().as_secs_f64() * 1e6);
            let params = ws_signed(order_params(), &hmac, mbx_sandbox::seed::DEMO_API_KEY);
            let t = Instant::now();
            ws_order(&mut ws, i, params).await;
            w.push(t.elapsed().as_secs_f64() * 1e6);
            let p = order_params();
            let params = Value::Object(p.iter().map(|(k, v)| (k.to_owned(), Value::String(v.to_owned()))).collect());
            let t = Instant::now();
            ws_order(&mut session, i, params).await;
            s.push(t.elapsed().as_secs_f64() * 1e6);
        }
        let (r, w, s) = (median(&mut r), median(&mut w), median(&mut s));
        println!(
            "order round trip, one client, median of {} each: REST {r:.1} µs; WebSocket API {w:.1} µs ({:.2}x of REST) signed with HMAC on every request, {s:.1} µs ({:.2}x) on an Ed25519 session",
            orders * rounds,
            w / r,
            s / r
        );
        let _ = sb.shutdown().await;
    });
}
