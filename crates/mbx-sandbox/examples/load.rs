//! A small HTTP/1.1 load generator for `scripts/bench-sandbox`, for what `wrk` cannot do: signed
//! order placement, where each connection places a LIMIT order away from the market and then
//! cancels it, with fresh timestamps and signatures. It measures the floor the same way (`get`), so
//! the ratio compares like with like.
//!
//! ```text
//! load get URL [CONNECTIONS] [SECONDS]
//! load orders URL API_KEY [CONNECTIONS] [SECONDS]      (secret in BINANCE_API_SECRET)
//! ```
//!
//! Prints one line: `requests/s p50_us p99_us errors`. Run it pinned to its own core.
//!
//! With `LOAD_ROUNDS=N` in the environment each connection stops after N rounds (one request, or
//! one placement and its cancel), so that a profile (callgrind) sees a fixed number of requests.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mbx_core::Params;
use mbx_core::payload::{Placement, RestPayload};
use mbx_core::sign::{HmacSigner, Signer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One keep-alive connection: sends a request, reads the whole response; returns the status.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(host: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(host).await?;
        stream.set_nodelay(true)?;
        Ok(Conn { stream, buf: Vec::with_capacity(16 * 1024) })
    }

    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<u16> {
        self.stream.write_all(request).await?;
        self.buf.clear();
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = std::str::from_utf8(&self.buf[..end]).unwrap_or("");
                let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
                let len = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                while self.buf.len() < end + 4 + len {
                    self.read_more().await?;
                }
                return Ok(status);
            }
            self.read_more().await?;
        }
    }

    async fn read_more(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// What each connection sends.
#[derive(Clone)]
enum Work {
    Get { path: String },
    Orders { key: String, signer: Signer },
}

fn signed(method: &str, path: &str, params: Params, key: &str, signer: &Signer, host: &str) -> Vec<u8> {
    let params = params.int("timestamp", now_ms());
    let signed = RestPayload::render(&params, Placement::Query).sign(signer);
    format!(
        "{method} {} HTTP/1.1\r\nHost: {host}\r\nX-MBX-APIKEY: {key}\r\n\r\n",
        signed.path_and_query(path)
    )
    .into_bytes()
}

/// Runs one connection until `deadline`; returns latencies (µs) and the error count.
async fn run(host: String, work: Work, id: usize, deadline: Instant, rounds: u64) -> (Vec<u32>, u64) {
    let mut lat = Vec::new();
    let mut errors = 0;
    let Ok(mut conn) = Conn::open(&host).await else { return (lat, 1) };
    let mut n = 0u64;
    while Instant::now() < deadline && n < rounds {
        let requests: Vec<Vec<u8>> = match &work {
            Work::Get { path } => vec![format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").into_bytes()],
            Work::Orders { key, signer } => {
                let cid = format!("load-{id}-{n}");
                let place = Params::new()
                    .text("symbol", "LTCBTC")
                    .text("side", "BUY")
                    .text("type", "LIMIT")
                    .text("timeInForce", "GTC")
                    .text("quantity", "1")
                    .text("price", "0.001")
                    .text("newClientOrderId", cid.clone())
                    .text("newOrderRespType", "ACK");
                let cancel = Params::new().text("symbol", "LTCBTC").text("origClientOrderId", cid);
                vec![
                    signed("POST", "/api/v3/order", place, key, signer, &host),
                    signed("DELETE", "/api/v3/order", cancel, key, signer, &host),
                ]
            }
        };
        n += 1;
        for req in requests {
            let started = Instant::now();
            match conn.exchange(&req).await {
                Ok(200) => lat.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX)),
                Ok(_) => errors += 1,
                Err(_) => return (lat, errors + 1),
            }
        }
    }
    (lat, errors)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: load get URL [CONNECTIONS] [SECONDS] | load orders URL API_KEY [CONNECTIONS] [SECONDS]";
    let (work, url, rest) = match args.first().map(String::as_str) {
        Some("get") if args.len() >= 2 => {
            let (host, path) = split_url(&args[1]);
            (Work::Get { path }, host, &args[2..])
        }
        Some("orders") if args.len() >= 3 => {
            let secret = std::env::var("BINANCE_API_SECRET").expect("BINANCE_API_SECRET");
            let signer = Signer::Hmac(HmacSigner::new(secret.as_bytes()));
            (Work::Orders { key: args[2].clone(), signer }, split_url(&args[1]).0, &args[3..])
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let connections: usize = rest.first().and_then(|s| s.parse().ok()).unwrap_or(64);
    let seconds: u64 = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(8);
    let rounds: u64 = std::env::var("LOAD_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let (mut lat, errors) = rt.block_on(async {
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..connections)
            .map(|i| tokio::spawn(run(url.clone(), work.clone(), i, deadline, rounds)))
            .collect();
        let mut all = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.expect("connection task");
            all.extend(l);
            errors += e;
        }
        (all, errors)
    });
    lat.sort_unstable();
    let pct = |p: f64| lat.get(((lat.len() as f64) * p) as usize).copied().unwrap_or(0);
    println!("{:.0} {} {} {errors}", lat.len() as f64 / seconds as f64, pct(0.5), pct(0.99));
}

/// `http://host:port/path` -> (`host:port`, `/path`).
fn split_url(url: &str) -> (String, String) {
    let rest = url.trim_start_matches("http://");
    match rest.find('/') {
        Some(i) => (rest[..i].to_owned(), rest[i..].to_owned()),
        None => (rest.to_owned(), "/".to_owned()),
    }
}
