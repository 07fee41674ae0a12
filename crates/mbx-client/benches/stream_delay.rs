//! Delay from the sandbox's match to the client's stream item (issue 16), against a bare
//! tokio-tungstenite reader of the same frames, at a given rate of trades.
//!
//! One process: an in-memory sandbox (no market maker), an mbx-client `MarketStream` on
//! `btcusdt@trade` and a bare tokio-tungstenite connection to the same combined stream
//! (`/stream?streams=btcusdt@trade`), all on one two-worker tokio runtime (the sandbox's engine has
//! its own thread). Resting sell orders are placed first, straight through the engine; then a driver
//! sends market buys, one every millisecond, each taking as many resting orders as keep the trades
//! at the rate asked (50 trades an order at 50,000 a second), so each trade is one event.
//!
//! The reference time of each event is when the sandbox's stream hub published its frame: a
//! receiver of the hub's broadcast channel in the same process (the channel every stream connection
//! reads its frames from before writing them to its socket) takes `Instant::now()` on receiving it.
//! That is after the match and its commit (the engine publishes committed trades) and before any
//! socket write. Each client takes `Instant::now()` when it has the event: the bare reader when
//! `next()` gives the text frame (it then finds the trade id in it), mbx-client when
//! `MarketStream::next()` gives the typed `StreamItem`. Delays are per event, in microseconds; the
//! ratio is mbx-client's percentile over the bare reader's.
//!
//! `FEED=hub` replaces the matching engine by trade events published straight into the hub, at the
//! rate asked (the same path from the hub on: connections, sockets, clients); the engine cannot make
//! 50,000 trades a second on a two-core machine shared with both clients.
//!
//! `RATES` (default `1000,50000`), `SECS` (seconds of trades per round, default 2), `ROUNDS`
//! (default 3), `WORKERS` (the runtime's worker threads, default 2; 1 runs everything but the
//! engine on one thread) and `FEED` (`engine`, the default, or `hub`) come from the environment. Run: `cargo bench -p mbx-client --bench stream_delay`.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use mbx_client::types::stream::MarketEvent;
use mbx_client::{Client, Environment, StreamItem};
use mbx_core::model::{OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::order::OrderTerms;
use mbx_sandbox::Sandbox;
use mbx_sandbox::engine::PlaceRequest;
use rust_decimal::Decimal;
use tokio_tungstenite::tungstenite::Message;

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0))
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The trade id (`"t":`) in a trade event's JSON.
fn trade_id(text: &str) -> Option<u64> {
    let at = text.find("\"t\":")? + 4;
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    text[at..at + digits].parse().ok()
}

/// What one round measured.
struct Round {
    /// Trades the driver made per second, from the first hub frame to the last.
    rate: f64,
    events: usize,
    /// Delays (µs) from the hub's frame to the item, sorted.
    mbx: Vec<f64>,
    bare: Vec<f64>,
    /// Events a client did not get (or got without a reference time).
    missed: (usize, usize),
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn round(rate: u64, secs: f64, hub_feed: bool) -> Round {
    let rules = mbx_sandbox::ws::hub::StreamRules { connections_per_5m: u32::MAX, ..Default::default() };
    let sb = Sandbox::builder()
        .stream_rules(rules)
        .memory()
        .market_maker(false)
        .bind("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .expect("sandbox");
    let engine = sb.state().engine().clone();
    let sym = sb.state().market().require_index("BTCUSDT").expect("BTCUSDT");
    let terms = |side: Side, order_type: OrderType, lots: u64| OrderTerms {
        side,
        time_in_force: (order_type == OrderType::Limit).then_some(TimeInForce::Gtc),
        price: (order_type == OrderType::Limit).then(|| Decimal::new(30_000, 0)),
        order_type,
        quantity: Some(Decimal::new(i64::try_from(lots).unwrap_or(1), 3)),
        quote_order_qty: None,
        stop_price: None,
        client_order_id: None,
        stp_mode: Some(SelfTradePreventionMode::None),
        features: Default::default(),
    };
    let balances = |asset: &str| vec![(asset.to_owned(), Decimal::new(100_000_000, 0))];

    // Resting sells of 0.001 each, 150 an account (under the open-order limit), placed 64 at a time
    // (none when the hub is fed directly).
    let total = (rate as f64 * secs) as u64;
    let warmup = 1u64;
    let makers = if hub_feed { 0 } else { (total + warmup).div_ceil(150) };
    let mut accounts = Vec::new();
    for _ in 0..makers {
        accounts.push(
            engine.create_account(None, balances("BTC"), now_ms()).await.expect("account").expect("new"),
        );
    }
    let placing = Instant::now();
    futures_util::stream::iter(0..if hub_feed { 0 } else { total + warmup })
        .map(|i| {
            let engine = engine.clone();
            let req = PlaceRequest {
                account_id: accounts[usize::try_from(i / 150).unwrap_or(0)],
                symbol: sym,
                terms: terms(Side::Sell, OrderType::Limit, 1),
                now_ms: now_ms(),
                strategy: Default::default(),
            };
            async move { engine.place(req).await.expect("maker") }
        })
        .buffer_unordered(64)
        .for_each(|_| async {})
        .await;
    eprintln!("  {} resting orders placed in {:.2} s", total + warmup, placing.elapsed().as_secs_f64());
    let taker = engine.create_account(None, balances("USDT"), now_ms()).await.expect("account").expect("new");

    // The clients.
    let client = Client::builder().environment(Environment::custom(sb.rest_url())).build().expect("client");
    let mut mbx = client.market_streams(["btcusdt@trade"]).open().await.expect("mbx stream");
    let (mut bare, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/stream?streams=btcusdt@trade", sb.local_addr()))
            .await
            .expect("bare stream");
    let mut hub = sb.state().hub().subscribe();

    // Trade events published straight into the hub, ids from 1.
    let state = sb.state().clone();
    let publish = move |id: u64| {
        let t = now_ms();
        let data = serde_json::json!({"e":"trade","E":t,"s":"BTCUSDT","t":id,"p":"30000.00","q":"0.001","T":t,"m":false,"M":true});
        state.hub().publish("btcusdt@trade", &data);
    };
    // `lots` trades: market buys of the engine, or events published into the hub (ids from
    // `first_id`).
    let trades = |first_id: u64, lots: u64| {
        let engine = engine.clone();
        let publish = &publish;
        async move {
            if hub_feed {
                (first_id..first_id + lots).for_each(publish);
            } else {
                let req = PlaceRequest {
                    account_id: taker,
                    symbol: sym,
                    terms: terms(Side::Buy, OrderType::Market, lots),
                    now_ms: now_ms(),
                    strategy: Default::default(),
                };
                engine.place(req).await.expect("taker");
            }
        }
    };

    // One trade, until both clients have it: both are subscribed.
    trades(1, 1).await;
    loop {
        if let Some(StreamItem::Event(e)) = mbx.next().await
            && matches!(e.event, MarketEvent::Trade(_))
        {
            break;
        }
    }
    while let Some(Ok(m)) = bare.next().await {
        if matches!(m, Message::Text(_)) {
            break;
        }
    }
    while hub.try_recv().is_ok() {}

    let expected = usize::try_from(total).unwrap_or(usize::MAX);
    let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(secs * 4.0 + 20.0);
    let reference = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(expected);
        while seen.len() < expected {
            match tokio::time::timeout_at(deadline, hub.recv()).await {
                Ok(Ok(frame)) if frame.stream == "btcusdt@trade" => {
                    let at = Instant::now();
                    if let Some(id) = trade_id(&frame.raw) {
                        seen.push((id, at));
                    }
                }
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(n))) => {
                    eprintln!("  the reference fell {n} frames behind the hub");
                }
                Ok(Ok(_)) => {}
                _ => break,
            }
        }
        seen
    });
    let bare_task = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(expected);
        while seen.len() < expected {
            match tokio::time::timeout_at(deadline, bare.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => {
                    let at = Instant::now();
                    if let Some(id) = trade_id(&text) {
                        seen.push((id, at));
                    }
                }
                Ok(Some(Ok(_))) => {}
                _ => break,
            }
        }
        seen
    });
    let mbx_task = tokio::spawn(async move {
        let mut seen = Vec::with_capacity(expected);
        while seen.len() < expected {
            match tokio::time::timeout_at(deadline, mbx.next()).await {
                Ok(Some(StreamItem::Event(e))) => {
                    let at = Instant::now();
                    if let MarketEvent::Trade(t) = &e.event {
                        seen.push((t.trade_id, at));
                    }
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        seen
    });

    // The driver: every millisecond, a market buy taking the trades due by then.
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(1));
    let mut made = 0u64;
    while made < total {
        ticks.tick().await;
        let due = ((started.elapsed().as_secs_f64() * rate as f64) as u64).clamp(made + 1, total);
        trades(made + 2, due - made).await;
        made = due;
    }

    let driven = started.elapsed().as_secs_f64();
    eprintln!("  driver: {total} trades in {driven:.2} s ({:.0}/s)", total as f64 / driven);
    let reference = reference.await.expect("reference");
    let bare_seen = bare_task.await.expect("bare");
    let mbx_seen = mbx_task.await.expect("mbx");
    let rate_made = match (reference.first(), reference.last()) {
        (Some(a), Some(b)) if b.1 > a.1 => reference.len() as f64 / b.1.duration_since(a.1).as_secs_f64(),
        _ => f64::NAN,
    };
    let at: HashMap<u64, Instant> = reference.iter().copied().collect();
    let delays = |seen: &[(u64, Instant)]| {
        let mut d: Vec<f64> = seen
            .iter()
            .filter_map(|(id, t)| at.get(id).map(|r| t.saturating_duration_since(*r).as_secs_f64() * 1e6))
            .collect();
        d.sort_by(f64::total_cmp);
        d
    };
    let (mbx_d, bare_d) = (delays(&mbx_seen), delays(&bare_seen));
    let _ = sb.shutdown().await;
    Round {
        rate: rate_made,
        events: reference.len(),
        missed: (expected - mbx_d.len().min(expected), expected - bare_d.len().min(expected)),
        mbx: mbx_d,
        bare: bare_d,
    }
}

/// One round's figures: ratio p50, ratio p99, mbx p50, mbx p99, bare p50, bare p99, rate.
type Line = (f64, f64, f64, f64, f64, f64, f64);

fn main() {
    let rates: Vec<u64> = std::env::var("RATES")
        .unwrap_or_else(|_| "1000,50000".into())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let secs: f64 = env("SECS", 2.0);
    let rounds: usize = env("ROUNDS", 3);
    let workers: usize = env("WORKERS", 2);
    let hub_feed = std::env::var("FEED").is_ok_and(|f| f == "hub");
    let rt = if workers <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build()
    }
    .expect("runtime");
    for rate in rates {
        let mut lines = Vec::new();
        for r in 0..rounds {
            let round = rt.block_on(round(rate, secs, hub_feed));
            let (m50, m99) = (percentile(&round.mbx, 0.5), percentile(&round.mbx, 0.99));
            let (b50, b99) = (percentile(&round.bare, 0.5), percentile(&round.bare, 0.99));
            println!(
                "stream_delay/{rate}: round {}: {} events at {:.0}/s; hub frame -> item, µs: mbx p50 {m50:.0} p99 {m99:.0}, bare p50 {b50:.0} p99 {b99:.0}; ratio p50 {:.2}x p99 {:.2}x; missed mbx {} bare {}",
                r + 1,
                round.events,
                round.rate,
                m50 / b50,
                m99 / b99,
                round.missed.0,
                round.missed.1
            );
            lines.push((m50 / b50, m99 / b99, m50, m99, b50, b99, round.rate));
        }
        let median = |f: fn(&Line) -> f64| {
            let mut v: Vec<f64> = lines.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "stream_delay/{rate}: median of {rounds} rounds: rate {:.0}/s; mbx p50 {:.0} µs p99 {:.0} µs; bare p50 {:.0} µs p99 {:.0} µs; ratio p50 {:.2}x p99 {:.2}x",
            median(|l| l.6),
            median(|l| l.2),
            median(|l| l.3),
            median(|l| l.4),
            median(|l| l.5),
            median(|l| l.0),
            median(|l| l.1)
        );
    }
}
