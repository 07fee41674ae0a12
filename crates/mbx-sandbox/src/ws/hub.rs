//! The market data hub: one task that turns the engine's trades (and, every second, its statistics)
//! into stream events, each written once as JSON and shared by every connection that listens to its
//! stream (`Arc<Frame>` on a broadcast channel).
//!
//! What it computes depends on what is listened to: connections say which streams they want
//! ([`Hub::want`], [`Hub::unwant`]), and a stream nobody listens to costs nothing.
//!
//! | stream | when | from |
//! |---|---|---|
//! | `<symbol>@trade` | each trade, as committed | the engine's trade feed |
//! | `<symbol>@aggTrade` | each run of trades of one taker order at one price | the trade feed (aggregated as `aggTrades` does) |
//! | `<symbol>@kline_<i>[@+08:00]` | every second (`1s`) or two | `klines` of the engine, the current candle; a closed candle once more with `x: true` |
//! | `<symbol>@miniTicker`, `@ticker`, `!miniTicker@arr` | every second | the 24-hour window statistics (an array: the symbols whose statistics changed since its last push) |
//! | `<symbol>@ticker_<w>`, `!ticker_<w>@arr` | every second | the window statistics from the minute at or before `now - w` (an array: those that changed) |
//! | `<symbol>@avgPrice` | every second | the engine's average price (5 minutes) |
//! | `<symbol>@depth@100ms`, `@depth` (or `@depth@1000ms`) | every 100 ms / every second, when the book changed | the engine's book feed (diffs whose `U`/`u` chain per symbol; a 1000 ms one merges ten) |
//! | `<symbol>@depth<5,10,20>[@100ms\|@1000ms]` | every 100 ms / every second | the book feed's top 20 levels |
//! | `<symbol>@bookTicker` | each change of the best bid or ask | the book feed |
//! | `<symbol>@referencePrice` | every second | none is ever set: `"r": null`, as the docs show for a symbol without one |
//! | `<symbol>@blockTrade` | never: the sandbox has no block trades, as a venue without them | |

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use mbx_core::stream::{Kind, Stream, Window};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::broadcast::{self, error::RecvError};

use super::liveness::Attempts;
use crate::engine::book_feed::{BookEvent, Level};
use crate::engine::market_data::{KlineQuery, WindowStats};
use crate::engine::trade::Trade;
use crate::state::AppState;
use crate::timeframe::{DAY_MS, Interval, TimeZone, WindowSize};
use crate::write::decimal::amount;

/// Frames kept for slow connections before they skip (as a slow reader does on Binance).
const CAPACITY: usize = 16 * 1024;

/// How long a run of trades may wait for its next trade before its `aggTrade` is sent (the trades of
/// one order are committed together, microseconds apart).
const AGG_WAIT: Duration = Duration::from_millis(20);

/// One event of one stream, as written.
#[derive(Debug)]
pub struct Frame {
    /// The stream's name as subscribed.
    pub stream: String,
    /// The event's JSON, as a raw stream sends it (shared: each connection's copy is a reference).
    pub raw: Utf8Bytes,
    /// `{"stream","data"}`, as a combined stream sends it.
    pub combined: Utf8Bytes,
}

/// The rules of stream and WebSocket API connections (web-socket-streams.md, web-socket-api.md),
/// shorter in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamRules {
    /// How often the server pings (20 s).
    pub ping_every: Duration,
    /// How long a ping may go without a pong before the connection is closed (one minute).
    pub pong_timeout: Duration,
    /// How long a connection lives (24 hours).
    pub lifetime: Duration,
    /// Incoming messages (pings, pongs, control messages) allowed per second (5); more closes the
    /// connection.
    pub messages_per_second: u32,
    /// New connections allowed per IP address every 5 minutes (300); more are refused (HTTP 429).
    pub connections_per_5m: u32,
    /// Streams one market stream connection may listen to (1024); more are refused.
    pub max_streams: usize,
}

impl Default for StreamRules {
    fn default() -> Self {
        StreamRules {
            ping_every: Duration::from_secs(20),
            pong_timeout: Duration::from_secs(60),
            lifetime: Duration::from_secs(24 * 3600),
            messages_per_second: 5,
            connections_per_5m: mbx_core::stream::CONNECTIONS_PER_WINDOW,
            max_streams: super::streams::MAX_STREAMS,
        }
    }
}

/// The hub's shared side: what is listened to, and the frames.
#[derive(Debug)]
pub struct Hub {
    frames: broadcast::Sender<Arc<Frame>>,
    interest: Mutex<HashMap<String, usize>>,
    started: AtomicBool,
    /// Wakes the hub when the streams listened to change (to start or stop reading the book feed).
    changed: tokio::sync::Notify,
    rules: Mutex<StreamRules>,
    /// Recent stream connections per address.
    attempts: Attempts,
    /// Recent WebSocket API connections per address.
    api_attempts: Attempts,
    /// How many times every WebSocket connection was cut ([`Hub::cut_connections`]).
    cuts: tokio::sync::watch::Sender<u64>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            frames: broadcast::channel(CAPACITY).0,
            interest: Mutex::new(HashMap::new()),
            started: AtomicBool::new(false),
            changed: tokio::sync::Notify::new(),
            rules: Mutex::new(StreamRules::default()),
            attempts: Attempts::default(),
            api_attempts: Attempts::default(),
            cuts: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl Hub {
    /// The rules stream connections follow.
    pub fn rules(&self) -> StreamRules {
        *self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the rules of connections opened from now on.
    pub fn set_rules(&self, rules: StreamRules) {
        *self.rules.lock().unwrap_or_else(|e| e.into_inner()) = rules;
    }

    /// Counts a new stream connection from `ip`; `false` when it is over the limit of
    /// [`StreamRules::connections_per_5m`].
    pub fn admit(&self, ip: Option<std::net::IpAddr>) -> bool {
        self.attempts.admit(ip, self.rules().connections_per_5m)
    }

    /// Stream connections opened per address, for the limit.
    pub fn stream_attempts(&self) -> &Attempts {
        &self.attempts
    }

    /// WebSocket API connections opened per address (a limit of their own, as on Binance's
    /// separate servers).
    pub fn api_attempts(&self) -> &Attempts {
        &self.api_attempts
    }

    /// A test hook: drops every open WebSocket connection (market streams, WebSocket API, listenKey
    /// streams) at once, with no close frame, as a failing server or network does.
    pub fn cut_connections(&self) {
        self.cuts.send_modify(|n| *n += 1);
    }

    /// What a connection watches to learn of [`Hub::cut_connections`] (taken when it opens).
    pub fn cuts(&self) -> tokio::sync::watch::Receiver<u64> {
        self.cuts.subscribe()
    }

    /// Every frame from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Frame>> {
        self.frames.subscribe()
    }

    /// A connection listens to `stream`.
    pub fn want(&self, stream: &str) {
        *self.lock().entry(stream.to_owned()).or_insert(0) += 1;
        self.changed.notify_one();
    }

    /// A connection stops listening to `stream`.
    pub fn unwant(&self, stream: &str) {
        let mut interest = self.lock();
        if let Some(n) = interest.get_mut(stream) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                interest.remove(stream);
            }
        }
        drop(interest);
        self.changed.notify_one();
    }

    /// Whether a stream read from the book feed is listened to.
    fn wants_book(&self) -> bool {
        self.lock().keys().any(|name| {
            Stream::parse(name).is_ok_and(|s| {
                matches!(s.kind, Kind::DiffDepth { .. } | Kind::PartialDepth { .. } | Kind::BookTicker)
            })
        })
    }

    fn wanted(&self, stream: &str) -> bool {
        self.lock().contains_key(stream)
    }

    fn wanted_streams(&self) -> Vec<Stream> {
        self.lock().keys().filter_map(|name| Stream::parse(name).ok()).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.interest.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes `data` on `stream` as if the sandbox had made the event: benchmarks use it to
    /// drive the stream path (hub, connections, sockets, clients) at rates the matching engine
    /// cannot make on a small machine. Not part of the sandbox's interface.
    #[doc(hidden)]
    pub fn publish(&self, stream: &str, data: &Value) {
        self.send(stream.to_owned(), data);
    }

    fn send(&self, stream: String, data: &Value) {
        // No receiver is not an error: nobody listens right now.
        let raw = data.to_string();
        let combined = format!(r#"{{"stream":{},"data":{raw}}}"#, Value::String(stream.clone()));
        let _ = self.frames.send(Arc::new(Frame { stream, raw: raw.into(), combined: combined.into() }));
    }

    /// Starts the hub's task, once per sandbox (the first stream connection does).
    pub fn start(state: &AppState) {
        if state.hub().started.swap(true, Ordering::AcqRel) {
            return;
        }
        let trades = state.engine().subscribe_trades();
        tokio::spawn(run(state.clone(), trades));
    }
}

/// A run of trades of one taker order at one price, not sent yet.
struct PendingAgg {
    first: Trade,
    last_id: u64,
    qty: Decimal,
}

impl PendingAgg {
    /// Whether `t` is of this aggregate trade (the engine numbered its run when it matched).
    fn joins(&self, t: &Trade) -> bool {
        t.symbol == self.first.symbol && t.agg_id == self.first.agg_id
    }
}

async fn run(state: AppState, mut trades: broadcast::Receiver<Trade>) {
    let mut second = tokio::time::interval(Duration::from_secs(1));
    second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pending: Option<PendingAgg> = None;
    let mut ticks: u64 = 0;
    let mut memory = Memory::default();
    // The book feed is read (and so built by the engine) only while a depth or bookTicker stream is
    // listened to.
    let mut book: Option<broadcast::Receiver<Arc<BookEvent>>> = None;
    let mut depth = DepthMemory::default();
    loop {
        let wait = if pending.is_some() { AGG_WAIT } else { Duration::from_secs(3600) };
        tokio::select! {
            () = state.hub().changed.notified() => {
                match (state.hub().wants_book(), book.is_some()) {
                    (true, false) => book = Some(state.engine().subscribe_book()),
                    (false, true) => {
                        book = None;
                        depth = DepthMemory::default();
                    }
                    _ => {}
                }
            }
            event = async { match book.as_mut() { Some(rx) => rx.recv().await, None => std::future::pending().await } } => match event {
                Ok(event) => on_book(&state, &event, &mut depth),
                // Missed events: the 1000 ms diffs start over (their chain would have a gap).
                Err(RecvError::Lagged(_)) => depth = DepthMemory::default(),
                Err(RecvError::Closed) => book = None,
            },
            trade = trades.recv() => match trade {
                Ok(trade) => on_trade(&state, trade, &mut pending),
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            },
            () = tokio::time::sleep(wait), if pending.is_some() => {
                if let Some(agg) = pending.take() {
                    send_agg(&state, agg);
                }
            }
            _ = second.tick() => {
                ticks += 1;
                depth.every_second(&state);
                every_second(&state, ticks, &mut memory).await;
            }
            () = state.stopping() => break,
        }
    }
}

fn on_trade(state: &AppState, trade: Trade, pending: &mut Option<PendingAgg>) {
    let hub = state.hub();
    let symbol = trade.symbol.to_ascii_lowercase();
    let now = state.clock().now_ms();
    let name = format!("{symbol}@trade");
    if hub.wanted(&name) {
        hub.send(
            name,
            &json!({
                "e": "trade", "E": now, "s": trade.symbol, "t": trade.trade_id,
                "p": amount(trade.price), "q": amount(trade.qty), "T": trade.time_ms,
                "m": trade.is_buyer_maker, "M": true,
            }),
        );
    }
    match pending {
        Some(agg) if agg.joins(&trade) => {
            agg.qty += trade.qty;
            agg.last_id = trade.trade_id;
        }
        _ => {
            if let Some(done) = pending.take() {
                send_agg(state, done);
            }
            if hub.wanted(&format!("{symbol}@aggTrade")) {
                *pending = Some(PendingAgg { last_id: trade.trade_id, qty: trade.qty, first: trade });
            }
        }
    }
}

/// `aggTrade`: its id is the one `GET /api/v3/aggTrades` shows (the symbol's own sequence).
fn send_agg(state: &AppState, agg: PendingAgg) {
    let t = &agg.first;
    state.hub().send(
        format!("{}@aggTrade", t.symbol.to_ascii_lowercase()),
        &json!({
            "e": "aggTrade", "E": state.clock().now_ms(), "s": t.symbol, "a": t.agg_id,
            "p": amount(t.price), "q": amount(agg.qty), "f": t.trade_id, "l": agg.last_id,
            "T": t.time_ms, "m": t.is_buyer_maker, "M": true,
        }),
    );
}

/// Depth kept between the 100 ms book events and the streams pushed every second.
#[derive(Default)]
struct DepthMemory {
    /// Per symbol (lower case): the 1000 ms diff being gathered: first and final update ids, and
    /// the levels touched (price -> quantity now), bids then asks.
    diffs: HashMap<String, GatheredDiff>,
    /// Per symbol (lower case): the latest top 20 levels.
    tops: HashMap<String, (u64, Vec<Level>, Vec<Level>)>,
}

/// A 1000 ms diff being gathered from ten 100 ms ones.
struct GatheredDiff {
    first: u64,
    last: u64,
    bids: BTreeMap<Decimal, Decimal>,
    asks: BTreeMap<Decimal, Decimal>,
}

fn levels<'a>(list: impl IntoIterator<Item = &'a Level>) -> Value {
    Value::Array(list.into_iter().map(|(p, q)| json!([amount(*p), amount(*q)])).collect())
}

fn partial(last_update_id: u64, bids: &[Level], asks: &[Level], n: usize) -> Value {
    json!({
        "lastUpdateId": last_update_id,
        "bids": levels(bids.iter().take(n)),
        "asks": levels(asks.iter().take(n)),
    })
}

impl DepthMemory {
    /// `@depth` and `@depth<N>` (every second): what was gathered, under each name a client may
    /// give the 1000 ms streams (`@depth`, `@depth@1000ms`; Binance's connectors write the speed).
    fn every_second(&mut self, state: &AppState) {
        let hub = state.hub();
        let now = state.clock().now_ms();
        for (symbol, d) in self.diffs.drain() {
            let names = slow_names(&format!("{symbol}@depth"), hub);
            if names.is_empty() {
                continue;
            }
            let bids: Vec<Level> = d.bids.into_iter().rev().collect();
            let asks: Vec<Level> = d.asks.into_iter().collect();
            let event = json!({
                "e": "depthUpdate", "E": now, "s": symbol.to_ascii_uppercase(), "U": d.first, "u": d.last,
                "b": levels(&bids), "a": levels(&asks),
            });
            for name in names {
                hub.send(name, &event);
            }
        }
        for (symbol, (id, bids, asks)) in &self.tops {
            for n in [5, 10, 20] {
                for name in slow_names(&format!("{symbol}@depth{n}"), hub) {
                    hub.send(name, &partial(*id, bids, asks, n));
                }
            }
        }
    }
}

/// The names of a 1000 ms depth stream (`base`, and `base` with `@1000ms`) that are listened to.
fn slow_names(base: &str, hub: &Hub) -> Vec<String> {
    let with_speed = format!("{base}@1000ms");
    let mut names = Vec::new();
    if hub.wanted(base) {
        names.push(base.to_owned());
    }
    if hub.wanted(&with_speed) {
        names.push(with_speed);
    }
    names
}

fn on_book(state: &AppState, event: &BookEvent, depth: &mut DepthMemory) {
    let hub = state.hub();
    match event {
        BookEvent::Diff { symbol, first_update_id, final_update_id, bids, asks, time_ms } => {
            let lower = symbol.to_ascii_lowercase();
            let fast = format!("{lower}@depth@100ms");
            if hub.wanted(&fast) {
                hub.send(
                    fast,
                    &json!({
                        "e": "depthUpdate", "E": time_ms, "s": symbol, "U": first_update_id, "u": final_update_id,
                        "b": levels(bids), "a": levels(asks),
                    }),
                );
            }
            if !slow_names(&format!("{lower}@depth"), hub).is_empty() {
                let d = depth.diffs.entry(lower).or_insert_with(|| GatheredDiff {
                    first: *first_update_id,
                    last: *final_update_id,
                    bids: BTreeMap::new(),
                    asks: BTreeMap::new(),
                });
                d.last = *final_update_id;
                d.bids.extend(bids.iter().copied());
                d.asks.extend(asks.iter().copied());
            }
        }
        BookEvent::Top20 { symbol, last_update_id, bids, asks, .. } => {
            let lower = symbol.to_ascii_lowercase();
            for n in [5, 10, 20] {
                let name = format!("{lower}@depth{n}@100ms");
                if hub.wanted(&name) {
                    hub.send(name, &partial(*last_update_id, bids, asks, n));
                }
            }
            depth.tops.insert(lower, (*last_update_id, bids.clone(), asks.clone()));
        }
        BookEvent::BestChanged { symbol, update_id, bid, ask, .. } => {
            let name = format!("{}@bookTicker", symbol.to_ascii_lowercase());
            if hub.wanted(&name) {
                let (b, bq) = bid.unwrap_or_default();
                let (a, aq) = ask.unwrap_or_default();
                hub.send(
                    name,
                    &json!({ "u": update_id, "s": symbol, "b": amount(b), "B": amount(bq), "a": amount(a), "A": amount(aq) }),
                );
            }
        }
    }
}

/// What the pushes every second remember between seconds: the open time of the last candle sent
/// per kline stream (to send it closed once it is over), and the statistics each array ticker
/// stream last sent of each symbol, times left out (web-socket-streams.md: "only tickers that have
/// changed will be present in the array").
#[derive(Default)]
struct Memory {
    klines: HashMap<String, i64>,
    tickers: HashMap<(String, usize), WindowStats>,
}

impl Memory {
    /// Whether `s` differs from what `stream` last sent of its symbol (and remembers it).
    fn ticker_changed(&mut self, stream: &str, s: &WindowStats) -> bool {
        let mut plain = s.clone();
        (plain.open_time, plain.close_time) = (0, 0);
        let key = (stream.to_owned(), s.symbol);
        if self.tickers.get(&key) == Some(&plain) {
            return false;
        }
        self.tickers.insert(key, plain);
        true
    }
}

async fn every_second(state: &AppState, ticks: u64, memory: &mut Memory) {
    let wanted = state.hub().wanted_streams();
    // A stream nobody follows forgets its last candle: a later subscriber is not sent the close of
    // a candle that ended while nobody listened (it gets the current one, as on Binance).
    memory.klines.retain(|name, _| wanted.iter().any(|s| s.name() == name));
    memory.tickers.retain(|(name, _), _| wanted.iter().any(|s| s.name() == name));
    if wanted.is_empty() {
        return;
    }
    let now = state.clock().now_ms();
    let specs = state.market().symbols();
    let index = |symbol: &str| specs.iter().position(|s| s.symbol.eq_ignore_ascii_case(symbol));
    let all: Vec<usize> = (0..specs.len()).collect();

    // The 24-hour statistics, for the tickers and mini tickers.
    let day_kinds = |k: &Kind| matches!(k, Kind::MiniTicker | Kind::Ticker | Kind::AllMiniTickers);
    if wanted.iter().any(|s| day_kinds(&s.kind)) {
        let day = u64::try_from(DAY_MS).unwrap_or(u64::MAX);
        if let Ok(stats) = state.engine().window_stats(all.clone(), now.saturating_sub(day), now).await {
            let name =
                |s: &WindowStats| specs.get(s.symbol).map(|spec| spec.symbol.clone()).unwrap_or_default();
            for stream in wanted.iter().filter(|s| day_kinds(&s.kind)) {
                match stream.kind {
                    Kind::AllMiniTickers => {
                        let list: Vec<Value> = stats
                            .iter()
                            .filter(|s| s.count > 0 && memory.ticker_changed(stream.name(), s))
                            .map(|s| mini_ticker(&name(s), s, now))
                            .collect();
                        if !list.is_empty() {
                            state.hub().send(stream.name().to_owned(), &Value::Array(list));
                        }
                    }
                    Kind::MiniTicker | Kind::Ticker => {
                        let Some(s) = stream
                            .symbol()
                            .and_then(index)
                            .and_then(|i| stats.iter().find(|s| s.symbol == i))
                        else {
                            continue;
                        };
                        let data = if stream.kind == Kind::Ticker {
                            ticker(&name(s), s, now)
                        } else {
                            mini_ticker(&name(s), s, now)
                        };
                        state.hub().send(stream.name().to_owned(), &data);
                    }
                    _ => {}
                }
            }
        }
    }

    // The rolling windows.
    for window in [Window::H1, Window::H4, Window::D1] {
        let mine = |k: &Kind| matches!(k, Kind::TickerWindow(w) | Kind::AllTickerWindows(w) if *w == window);
        if !wanted.iter().any(|s| mine(&s.kind)) {
            continue;
        }
        let size = WindowSize::parse(window.as_str()).unwrap_or(WindowSize::DAY);
        let open = u64::try_from(size.open_before(i64::try_from(now).unwrap_or(i64::MAX))).unwrap_or(0);
        let Ok(stats) = state.engine().window_stats(all.clone(), open, now).await else { continue };
        let name = |s: &WindowStats| specs.get(s.symbol).map(|spec| spec.symbol.clone()).unwrap_or_default();
        for stream in wanted.iter().filter(|s| mine(&s.kind)) {
            if let Kind::AllTickerWindows(_) = stream.kind {
                let list: Vec<Value> = stats
                    .iter()
                    .filter(|s| s.count > 0 && memory.ticker_changed(stream.name(), s))
                    .map(|s| window_ticker(&name(s), s, window, now))
                    .collect();
                if !list.is_empty() {
                    state.hub().send(stream.name().to_owned(), &Value::Array(list));
                }
            } else if let Some(s) =
                stream.symbol().and_then(index).and_then(|i| stats.iter().find(|s| s.symbol == i))
            {
                state.hub().send(stream.name().to_owned(), &window_ticker(&name(s), s, window, now));
            }
        }
    }

    for stream in &wanted {
        let Some(sym) = stream.symbol().and_then(index) else { continue };
        let symbol = &specs[sym].symbol;
        match stream.kind {
            Kind::AvgPrice => {
                if let Ok(avg) = state.engine().avg_price(sym, 5, now).await {
                    state.hub().send(
                        stream.name().to_owned(),
                        &json!({ "e": "avgPrice", "E": now, "s": symbol, "i": "5m", "w": amount(avg.price), "T": avg.close_time }),
                    );
                }
            }
            // No reference price is ever set in the sandbox (REST answers -2043): the stream
            // still pushes every second, with a null price (web-socket-streams.md).
            Kind::ReferencePrice => {
                state.hub().send(
                    stream.name().to_owned(),
                    &json!({ "e": "referencePrice", "s": symbol, "r": null, "t": now }),
                );
            }
            Kind::Kline { interval, utc8 } => {
                // Every second for 1s candles, every two seconds for the others.
                let every_secs: u64 = if interval == "1s" { 1 } else { 2 };
                if !ticks.is_multiple_of(every_secs) {
                    continue;
                }
                let Some(iv) = Interval::parse(interval) else { continue };
                let zone =
                    if utc8 { TimeZone::parse("+08:00").unwrap_or(TimeZone::UTC) } else { TimeZone::UTC };
                let q = KlineQuery {
                    interval: iv,
                    time_zone: zone,
                    start_ms: None,
                    end_ms: None,
                    limit: 2,
                    ui: false,
                };
                let Ok(candles) = state.engine().klines(sym, q, now).await else { continue };
                let Some(current) = candles.last() else { continue };
                let last_sent = memory.klines.insert(stream.name().to_owned(), current.open_time);
                // The candle before the current one is sent once more, closed, when the last push
                // showed it; on a stream's first push, when it closed since the push before could
                // have shown it (a trade in its last seconds, right after the subscription, would
                // otherwise never be shown).
                // Either way only a candle that closed since the push before (a second late at
                // most): never an old one, to a subscriber who came after it ended.
                if let [previous, _] = candles.as_slice() {
                    let closed_ms = u64::try_from(previous.close_time).unwrap_or(0);
                    let recent = |slack: u64| now.saturating_sub(every_secs * 1_000 + slack) <= closed_ms;
                    let send = match last_sent {
                        Some(sent) => sent == previous.open_time && recent(1_000),
                        None => recent(0),
                    };
                    if send {
                        state
                            .hub()
                            .send(stream.name().to_owned(), &kline(symbol, interval, previous, true, now));
                    }
                }
                state.hub().send(stream.name().to_owned(), &kline(symbol, interval, current, false, now));
            }
            _ => {}
        }
    }
}

fn kline(
    symbol: &str,
    interval: &str,
    k: &crate::engine::market_data::Kline,
    closed: bool,
    now: u64,
) -> Value {
    let id = |id: Option<u64>| id.and_then(|i| i64::try_from(i).ok()).unwrap_or(-1);
    json!({
        "e": "kline", "E": now, "s": symbol,
        "k": {
            "t": k.open_time, "T": k.close_time, "s": symbol, "i": interval,
            "f": id(k.first_id), "L": id(k.last_id),
            "o": amount(k.open), "c": amount(k.close), "h": amount(k.high), "l": amount(k.low),
            "v": amount(k.volume), "n": k.trades, "x": closed, "q": amount(k.quote_volume),
            "V": amount(k.taker_buy_base), "Q": amount(k.taker_buy_quote), "B": "0",
        }
    })
}

fn ids(s: &WindowStats) -> (i64, i64) {
    let id = |id: Option<u64>| id.and_then(|i| i64::try_from(i).ok()).unwrap_or(-1);
    (id(s.first_id), id(s.last_id))
}

fn mini_ticker(symbol: &str, s: &WindowStats, now: u64) -> Value {
    json!({
        "e": "24hrMiniTicker", "E": now, "s": symbol, "c": amount(s.last), "o": amount(s.open),
        "h": amount(s.high), "l": amount(s.low), "v": amount(s.volume), "q": amount(s.quote_volume),
    })
}

fn ticker(symbol: &str, s: &WindowStats, now: u64) -> Value {
    let (bid, bid_qty) = s.book.bid.unwrap_or_default();
    let (ask, ask_qty) = s.book.ask.unwrap_or_default();
    let (first, last) = ids(s);
    json!({
        "e": "24hrTicker", "E": now, "s": symbol,
        "p": amount(s.price_change()), "P": format!("{:.3}", s.price_change_percent()),
        "w": amount(s.weighted_avg_price()), "x": amount(s.prev_close), "c": amount(s.last),
        "Q": amount(s.last_qty), "b": amount(bid), "B": amount(bid_qty), "a": amount(ask), "A": amount(ask_qty),
        "o": amount(s.open), "h": amount(s.high), "l": amount(s.low), "v": amount(s.volume),
        "q": amount(s.quote_volume), "O": s.open_time, "C": s.close_time, "F": first, "L": last, "n": s.count,
    })
}

fn window_ticker(symbol: &str, s: &WindowStats, window: Window, now: u64) -> Value {
    let (first, last) = ids(s);
    json!({
        "e": format!("{}Ticker", window.as_str()), "E": now, "s": symbol,
        "p": amount(s.price_change()), "P": format!("{:.3}", s.price_change_percent()),
        "o": amount(s.open), "h": amount(s.high), "l": amount(s.low), "c": amount(s.last),
        "w": amount(s.weighted_avg_price()), "v": amount(s.volume), "q": amount(s.quote_volume),
        "O": s.open_time, "C": s.close_time, "F": first, "L": last, "n": s.count,
    })
}
