//! Market stream fan-out: `CONNS` connections (default 1000) listen to `btcusdt@trade` and
//! `btcusdt@depth@100ms` on the sandbox while one market order takes `TRADES` resting orders (default
//! 2000), one trade each. Measured: trade events delivered per second (all connections together) and the delay from
//! the match (the event's `T`) to the frame read, p50 and p99.
//!
//! The floor, in the same run and the same process: a bare axum WebSocket server that forwards the
//! same number of pre-serialized frames of the same size from one broadcast channel to the same
//! number of connections. Rounds alternate (`ROUNDS`, default 3); the ratio is the median of each
//! round's sandbox rate over its floor rate.
//!
//! Run: `cargo bench -p mbx-sandbox --bench fanout` (`CONNS=200 TRADES=500` for a quick one).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::extract::ws::{Message as AxumMessage, WebSocketUpgrade};
use axum::routing::get;
use futures_util::StreamExt;
use mbx_core::model::{OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::order::OrderTerms;
use mbx_sandbox::Sandbox;
use mbx_sandbox::engine::PlaceRequest;
use rust_decimal::Decimal;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;

mod common;

use common::{env, now_ms};

/// What one round measured.
struct Round {
    rate: f64,
    delays: Vec<u64>,
    received: usize,
}

/// `conns` clients of `url`, each reading until it has `expected` trade events (or 30 s pass);
/// returns when all are connected, with a future for the end of their reading.
async fn clients(
    url: &str,
    conns: usize,
    expected: usize,
) -> Vec<tokio::task::JoinHandle<(usize, Vec<u64>, Instant)>> {
    let mut tasks = Vec::with_capacity(conns);
    for _ in 0..conns {
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
        tasks.push(tokio::spawn(async move {
            let (mut got, mut delays) = (0, Vec::new());
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            let mut last = Instant::now();
            while got < expected {
                let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, ws.next()).await else { break };
                let Message::Text(text) = frame else { continue };
                // Only trade events count (a depth diff carries no "t").
                if let Some(i) = text.find("\"T\":")
                    && text.contains("\"e\":\"trade\"")
                {
                    let t: u64 = text[i + 4..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                        .parse()
                        .unwrap_or(0);
                    delays.push(now_ms().saturating_sub(t));
                    got += 1;
                    last = Instant::now();
                }
            }
            (got, delays, last)
        }));
    }
    tasks
}

async fn finish(tasks: Vec<tokio::task::JoinHandle<(usize, Vec<u64>, Instant)>>, started: Instant) -> Round {
    let (mut received, mut delays, mut last) = (0, Vec::new(), started);
    for t in tasks {
        let (got, d, at) = t.await.expect("client task");
        received += got;
        delays.extend(d);
        last = last.max(at);
    }
    let secs = last.duration_since(started).as_secs_f64().max(1e-9);
    Round { rate: received as f64 / secs, delays, received }
}

async fn sandbox_round(conns: usize, trades: usize) -> Round {
    // Every connection comes from 127.0.0.1: the per-address limit is raised for the bench.
    let rules = mbx_sandbox::ws::hub::StreamRules { connections_per_5m: u32::MAX, ..Default::default() };
    let sb = Sandbox::builder()
        .stream_rules(rules)
        .memory()
        .market_maker(false)
        .bind("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .expect("sandbox");
    let url = format!("ws://{}/stream?streams=btcusdt@trade/btcusdt@depth@100ms", sb.local_addr());
    let tasks = clients(&url, conns, trades).await;
    let engine = sb.state().engine().clone();
    let sym = sb.state().market().require_index("BTCUSDT").expect("BTCUSDT");
    let order = |side: Side, order_type: OrderType, qty: &str, price: Option<&str>| OrderTerms {
        side,
        order_type,
        time_in_force: price.map(|_| TimeInForce::Gtc),
        quantity: Some(qty.parse().unwrap()),
        quote_order_qty: None,
        price: price.map(|p| p.parse::<Decimal>().unwrap()),
        stop_price: None,
        client_order_id: None,
        stp_mode: Some(SelfTradePreventionMode::None),
        features: Default::default(),
    };
    let account = |asset: &str| {
        let engine = engine.clone();
        let balances = vec![(asset.to_owned(), "100000000".parse::<Decimal>().unwrap())];
        async move { engine.create_account(None, balances, now_ms()).await.expect("account").expect("new") }
    };
    let place = |account_id, terms| PlaceRequest {
        account_id,
        symbol: sym,
        terms,
        now_ms: now_ms(),
        strategy: Default::default(),
    };
    // `trades` resting orders (150 an account: MAX_NUM_ORDERS), then one market order that takes them
    // all: the trades are matched and committed together, so what is measured is the fan-out, not
    // the order rate.
    let mut maker = account("BTC").await;
    for i in 0..trades {
        if i > 0 && i % 150 == 0 {
            maker = account("BTC").await;
        }
        engine
            .place(place(maker, order(Side::Sell, OrderType::Limit, "0.001", Some("30000"))))
            .await
            .expect("maker");
    }
    let taker = account("USDT").await;
    let total = format!("{}", Decimal::new(i64::try_from(trades).unwrap_or(1), 3));
    let started = Instant::now();
    engine.place(place(taker, order(Side::Buy, OrderType::Market, &total, None))).await.expect("taker");
    let round = finish(tasks, started).await;
    let _ = sb.shutdown().await;
    round
}

async fn floor_round(conns: usize, trades: usize, frame: Arc<str>) -> Round {
    let (tx, _) = broadcast::channel::<Arc<str>>(16 * 1024);
    let app = axum::Router::new()
        .route(
            "/stream",
            get(|ws: WebSocketUpgrade, State(tx): State<broadcast::Sender<Arc<str>>>| async move {
                let mut rx = tx.subscribe();
                ws.on_upgrade(move |mut socket| async move {
                    while let Ok(f) = rx.recv().await {
                        if socket.send(AxumMessage::Text(f.to_string().into())).await.is_err() {
                            break;
                        }
                    }
                })
            }),
        )
        .with_state(tx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let tasks = clients(&format!("ws://{addr}/stream"), conns, trades).await;
    // Every connection subscribed before the first frame.
    while tx.receiver_count() < conns {
        tokio::task::yield_now().await;
    }
    let started = Instant::now();
    for _ in 0..trades {
        let stamped: Arc<str> = frame.replace("\"T\":0", &format!("\"T\":{}", now_ms())).into();
        let _ = tx.send(stamped);
    }
    let round = finish(tasks, started).await;
    server.abort();
    round
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let conns = env("CONNS", 1000);
    let trades = env("TRADES", 2000);
    let rounds = env("ROUNDS", 3);
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    // A trade event as the sandbox writes it (same size), with "T" to stamp.
    let frame: Arc<str> = r#"{"stream":"btcusdt@trade","data":{"E":1796261532246,"M":true,"T":0,"e":"trade","m":false,"p":"30000.00000000","q":"0.00100000","s":"BTCUSDT","t":1234567}}"#.into();
    let mut ratios = Vec::new();
    let mut all_delays = Vec::new();
    for r in 0..rounds {
        let s = rt.block_on(sandbox_round(conns, trades));
        let f = rt.block_on(floor_round(conns, trades, frame.clone()));
        let ratio = s.rate / f.rate;
        println!(
            "round {}: sandbox {:.0} events/s ({} of {}), floor {:.0} events/s ({} of {}), ratio {ratio:.2}",
            r + 1,
            s.rate,
            s.received,
            conns * trades,
            f.rate,
            f.received,
            conns * trades
        );
        ratios.push(ratio);
        all_delays.extend(s.delays);
    }
    ratios.sort_by(f64::total_cmp);
    all_delays.sort_unstable();
    println!(
        "fan-out ({conns} connections, {trades} trades): median ratio {:.2} of the floor; match to frame read p50 {} ms, p99 {} ms",
        ratios[ratios.len() / 2],
        percentile(&all_delays, 0.5),
        percentile(&all_delays, 0.99)
    );
}
