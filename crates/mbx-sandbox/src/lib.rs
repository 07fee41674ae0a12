//! # mbx-sandbox
//!
//! An offline exchange that speaks Binance's spot REST API and authenticates exactly as Binance does,
//! byte for byte, with mbx-core doing the signing checks. Every rejection carries Binance's code and
//! message and an `X-Sandbox-Hint` header saying which check failed.
//!
//! ```text
//!  client ──HTTP──▶ frame (URL limit, panic guard, X-MBX-USED-WEIGHT-1M, log)
//!                     └─▶ handler ──▶ Signed extractor: key ─▶ params ─▶ timing ─▶ signature (mbx-core)
//!                                  └─▶ EngineHandle ──command──▶ engine thread ──commit──▶ SQLite (WAL)
//!                                                  ◀──reply after commit──┘
//! ```
//!
//! The public interface is:
//! * [`Sandbox::builder`] → [`SandboxBuilder`] (`bind`, `data_dir` / `memory`, `clock`,
//!   `market_maker`, `seed`, `rate_limits`, `flavor`) → [`SandboxHandle`] (`local_addr`, `rest_url`, `shutdown`); or
//!   [`SandboxBuilder::state`] and [`router`] to drive the routes in-process.
//! * [`console`]: the web console at `/` (loopback only): the request log of every REST request,
//!   WebSocket API request and stream message ([`AppState::requests`]) with the doctor's diagnosis
//!   of each rejection, accounts, orders, market, keys, clock and faults, live.
//! * [`engine`]: the matching engine (per-symbol books with price-time priority, exact balances,
//!   self-trade prevention, stop orders, OCO order lists, cancel-replace, the deterministic market
//!   maker), one thread owning SQLite.
//! * [`faults`]: the next order placements committed but answered with nothing, a 5xx or `-1007`
//!   ([`AppState::faults`], `POST /sandbox/v1/faults`), for unknown-outcome tests; and the chaos mode
//!   ([`AppState::chaos`], `POST /sandbox/v1/chaos`, [`SandboxBuilder::chaos`], `[chaos]` in the
//!   config file): dropped, delayed and failed orders, rate-limit storms, WebSocket and user data
//!   stream cuts, clock jumps, drawn from a seed.
//! * [`Flavor`]: Binance spot (default) or Binance.US, where they differ (`/api/v3/userDataStream`).
//! * [`limits`]: `REQUEST_WEIGHT`, `RAW_REQUESTS` and `ORDERS` as `exchangeInfo` publishes them
//!   ([`RateLimits`]): 429 with `Retry-After`, then growing 418 bans; the unfilled order count, which
//!   each order's first fill lowers.
//! * [`order`]: a new order's parameters and filters (`PERCENT_PRICE_BY_SIDE` and `NOTIONAL` against
//!   the average price included).
//! * [`SandboxClock`]: the server time, real or skewed through the admin API.
//! * [`timeframe`]: mbx-core's kline intervals, `timeZone` and `windowSize` (market data:
//!   `engine::market_data`, `api::klines`, `api::tickers`, the kline streams).
//! * [`SandboxError`]: the crate's one error; its `IntoResponse` is the only way rejections are sent.
//! * [`seed`]: the demo account (Binance's documentation key) and the default symbols.
//! * [`ws`]: the WebSocket API (`/ws-api/v3`) and market streams (`/ws/<stream>`, `/stream`) on the
//!   same port; `<symbol>@trade` events come from the engine's trade feed right after each commit.
//!
//! ```no_run
//! # async fn run() -> mbx_sandbox::Result<()> {
//! let sandbox = mbx_sandbox::Sandbox::builder().bind("127.0.0.1:0".parse().unwrap()).memory().start().await?;
//! println!("REST at {}", sandbox.rest_url());
//! sandbox.shutdown().await
//! # }
//! ```

pub mod api;
mod clock;
pub mod config;
pub mod console;
mod endpoint;
pub mod engine;
mod error;
pub mod extract;
pub mod faults;
#[doc(hidden)]
pub mod fuzzing;
mod hash;
pub mod journal;
pub mod keys;
pub mod limits;
pub mod market;
pub mod order;
mod router;
pub mod seed;
pub mod serve;
mod state;
pub mod store;
pub use mbx_core::timeframe;
mod write;
pub mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::SandboxClock;
pub use error::{AdminError, HINT_HEADER, RejectedWith, Rejection, Result, SandboxError, StoreError};
pub use router::{RequestLine, RequestLines, router};
pub use state::AppState;

use crate::engine::{EngineHandle, EngineThread, Exchange};
use crate::keys::{KeyEntry, KeyRing};
use crate::market::Market;
pub use crate::market::RateLimits;
use crate::store::Store;

/// How long [`SandboxHandle::shutdown`] lets requests in flight finish before closing their
/// connections.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The address the sandbox binds by default.
pub const DEFAULT_ADDR: &str = "127.0.0.1:9900";

/// The market maker's seed when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// Entry point: `Sandbox::builder()`.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults: [`DEFAULT_ADDR`], in-memory storage, the system clock.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::new()
    }
}

/// Where the sandbox keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// An in-memory database; nothing survives the process.
    Memory,
    /// `sandbox.db` and `backlog.db` (SQLite, WAL) in this directory, created if needed.
    Dir(PathBuf),
}

/// Which exchange the sandbox answers as, where they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flavor {
    /// Binance spot (api.binance.com), as today: `/api/v3/userDataStream` is retired (404 with a hint).
    #[default]
    Binance,
    /// Binance.US: the listenKey endpoints `/api/v3/userDataStream` still work (60-minute keys).
    Us,
}

/// Configures and starts a sandbox.
#[derive(Debug)]
#[must_use]
pub struct SandboxBuilder {
    addr: SocketAddr,
    storage: Storage,
    clock: SandboxClock,
    shutdown_grace: Duration,
    market_maker: bool,
    seed: u64,
    activity: Option<Duration>,
    rate_limits: RateLimits,
    flavor: Flavor,
    rules: Option<config::Resolved>,
    stream_rules: Option<crate::ws::hub::StreamRules>,
    serve_limits: serve::ServeLimits,
    admin_token: Option<keys::AdminToken>,
    listen_key_ttl: Option<Duration>,
    chaos: Option<faults::ChaosConfig>,
    request_lines: Option<router::LineSink>,
}

impl SandboxBuilder {
    /// The defaults, all in one place: [`DEFAULT_ADDR`], [`Storage::Memory`], [`SandboxClock::system`],
    /// [`SHUTDOWN_GRACE`], the market maker on with [`DEFAULT_SEED`].
    pub fn new() -> SandboxBuilder {
        SandboxBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 9900)),
            storage: Storage::Memory,
            clock: SandboxClock::system(),
            shutdown_grace: SHUTDOWN_GRACE,
            market_maker: true,
            seed: DEFAULT_SEED,
            activity: None,
            rate_limits: RateLimits::default(),
            flavor: Flavor::Binance,
            rules: None,
            stream_rules: None,
            serve_limits: serve::ServeLimits::default(),
            admin_token: None,
            listen_key_ttl: None,
            chaos: None,
            request_lines: None,
        }
    }

    /// Where each answered request's log line goes ([`RequestLine`]): `sink` is called
    /// once per request, in place of tracing's `mbx_sandbox::request` event (which costs more: the
    /// dispatch through every layer, a visitor per field). `mbx sandbox` passes one that writes the
    /// same line its tracing layer writes. Without one, the event is emitted.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use mbx_sandbox::RequestLine;
    ///
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let into = seen.clone();
    /// let builder = mbx_sandbox::Sandbox::builder().memory().request_lines(Arc::new(move |line: &RequestLine<'_>| {
    ///     into.lock().unwrap().push(format!("{} {} {}", line.method, line.path, line.status));
    /// }));
    /// # let _ = builder;
    /// ```
    pub fn request_lines(mut self, sink: RequestLines) -> SandboxBuilder {
        self.request_lines = Some(router::LineSink(sink));
        self
    }

    /// Symbols, filters, the demo account's opening balances, the commission and the rate limits
    /// from a configuration ([`config::SandboxConfig::resolve`]); a later
    /// [`SandboxBuilder::rate_limits`] still overrides its limits.
    pub fn config(mut self, rules: config::Resolved) -> SandboxBuilder {
        self.rate_limits = rules.rate_limits;
        if rules.chaos.is_some() {
            self.chaos.clone_from(&rules.chaos);
        }
        self.rules = Some(rules);
        self
    }

    /// Whether the built-in market maker quotes every book (default: on). Off, its open orders are
    /// cancelled at start, so every book holds only what clients place.
    pub fn market_maker(mut self, on: bool) -> SandboxBuilder {
        self.market_maker = on;
        self
    }

    /// The market maker's seed: the same seed and the same requests give the same quotes (default
    /// [`DEFAULT_SEED`]).
    pub fn seed(mut self, seed: u64) -> SandboxBuilder {
        self.seed = seed;
        self
    }

    /// A market that moves by itself (default: off, every trade is a client's): every `every`, the
    /// market maker takes 10% to 60% of its own best quote on one of its symbols and side (drawn
    /// from the seed), with self-trade prevention `NONE`, and requotes as after any trade. The
    /// trade, kline and ticker streams then flow and the price walks without a client trading. A
    /// client's order is never met: a best level holding any order but the market maker's is left
    /// alone that step. Needs the market maker on.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = mbx_sandbox::Sandbox::builder().memory().activity(Some(Duration::from_secs(1)));
    /// # let _ = builder;
    /// ```
    pub fn activity(mut self, every: Option<Duration>) -> SandboxBuilder {
        self.activity = every;
        self
    }

    /// The rate limits published in `exchangeInfo` and enforced (default: Binance's, see
    /// [`RateLimits::default`]); tests set low ones to reach 429, 418 and `-1015` quickly.
    pub fn rate_limits(mut self, limits: RateLimits) -> SandboxBuilder {
        self.rate_limits = limits;
        self
    }

    /// Which exchange to answer as where they differ (default [`Flavor::Binance`]).
    pub fn flavor(mut self, flavor: Flavor) -> SandboxBuilder {
        self.flavor = flavor;
        self
    }

    /// The address to listen on; port 0 picks a free port ([`SandboxHandle::local_addr`] tells which).
    pub fn bind(mut self, addr: SocketAddr) -> SandboxBuilder {
        self.addr = addr;
        self
    }

    /// Keep everything in memory.
    pub fn memory(mut self) -> SandboxBuilder {
        self.storage = Storage::Memory;
        self
    }

    /// Keep state in `dir` (created if needed); a restart on the same directory finds it again.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> SandboxBuilder {
        self.storage = Storage::Dir(dir.into());
        self
    }

    /// The clock to judge timestamps by (default: the system clock).
    pub fn clock(mut self, clock: SandboxClock) -> SandboxBuilder {
        self.clock = clock;
        self
    }

    /// How long [`SandboxHandle::shutdown`] lets requests in flight finish (default [`SHUTDOWN_GRACE`]).
    pub fn shutdown_grace(mut self, grace: Duration) -> SandboxBuilder {
        self.shutdown_grace = grace;
        self
    }

    /// The token the admin API and the console require on every request (`X-Sandbox-Token`). Without
    /// one, a sandbox bound to a loopback address answers them to loopback clients only, and one
    /// bound beyond loopback makes up a random token ([`SandboxHandle::admin_token`] tells it).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), mbx_sandbox::SandboxError> {
    /// let handle = mbx_sandbox::Sandbox::builder()
    ///     .memory()
    ///     .bind(([0, 0, 0, 0], 9900).into())
    ///     .admin_token("a-long-random-token")
    ///     .start()
    ///     .await?;
    /// assert_eq!(handle.admin_token(), Some("a-long-random-token"));
    /// # Ok(()) }
    /// ```
    pub fn admin_token(mut self, token: impl Into<String>) -> SandboxBuilder {
        self.admin_token = Some(keys::AdminToken::new(token.into()));
        self
    }

    /// How long a listenKey (`--flavor us`) lives without a keepalive: 60 minutes, as on Binance.US,
    /// unless set shorter (tests of `listenKeyExpired` in seconds).
    pub fn listen_key_ttl(mut self, ttl: Duration) -> SandboxBuilder {
        self.listen_key_ttl = Some(ttl);
        self
    }

    /// Limits on the HTTP connections kept: open at once per client address, and the time a client
    /// has to send a request head ([`serve::ServeLimits`]; generous defaults).
    pub fn serve_limits(mut self, limits: serve::ServeLimits) -> SandboxBuilder {
        self.serve_limits = limits;
        self
    }

    /// The rules of market stream connections (ping interval, pong timeout, lifetime, messages per
    /// second); Binance's by default, shorter in tests.
    pub fn stream_rules(mut self, rules: crate::ws::hub::StreamRules) -> SandboxBuilder {
        self.stream_rules = Some(rules);
        self
    }

    /// Starts with the chaos mode on ([`faults::chaos`]; the admin API's `POST /sandbox/v1/chaos`
    /// does the same at run time). A configuration that [`faults::ChaosConfig::check`] refuses fails
    /// the start.
    pub fn chaos(mut self, config: faults::ChaosConfig) -> SandboxBuilder {
        self.chaos = Some(config);
        self
    }

    /// Opens the store, seeds the demo account and starts the engine, without serving: for driving
    /// [`router`] in-process. The engine ends when the last clone of the state is dropped.
    pub fn state(self) -> Result<AppState> {
        let market_maker = self.market_maker.then_some(self.seed);
        let rules = self.rules.unwrap_or_else(default_rules);
        let stream_rules = self.stream_rules.unwrap_or_default();
        let chaos = self.chaos;
        let activity = self.activity;
        let state = open(self.storage, self.clock, market_maker, self.rate_limits, self.flavor, rules).map(
            |(state, _)| {
                state.hub().set_rules(stream_rules);
                state
            },
        )?;
        if let Some(config) = chaos {
            start_chaos(&state, config)?;
        }
        start_activity(&state, activity, market_maker)?;
        Ok(state)
    }

    /// Opens the store, binds and serves in a background task of the current Tokio runtime.
    pub async fn start(self) -> Result<SandboxHandle> {
        let SandboxBuilder {
            addr,
            storage,
            clock,
            shutdown_grace,
            market_maker,
            seed,
            activity,
            rate_limits,
            flavor,
            rules,
            stream_rules,
            serve_limits,
            admin_token,
            listen_key_ttl,
            chaos,
            request_lines,
        } = self;
        let market_maker = market_maker.then_some(seed);
        let rules = rules.unwrap_or_else(default_rules);
        let (state, engine_thread) = tokio::task::spawn_blocking(move || {
            open(storage, clock, market_maker, rate_limits, flavor, rules)
        })
        .await
        .map_err(|e| SandboxError::Panicked(format!("opening the store: {e}")))??;
        state.hub().set_rules(stream_rules.unwrap_or_default());
        if let Some(ttl) = listen_key_ttl {
            state.listen_keys().set_ttl(ttl);
        }
        if let Some(config) = chaos {
            start_chaos(&state, config)?;
        }
        start_activity(&state, activity, market_maker)?;
        if let Some(sink) = request_lines {
            state.send_request_lines(sink);
        }
        // Beyond loopback, the admin API and the console need a token (extract::Loopback).
        match admin_token {
            Some(token) => state.require_admin_token(token),
            None if !addr.ip().to_canonical().is_loopback() => {
                state.require_admin_token(keys::AdminToken::new(keys::random_alnum(32)))
            }
            None => {}
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Io { context: format!("binding {addr}"), source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| SandboxError::Io { context: "reading the bound address".into(), source })?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let app = router(state.clone());
        let for_server = state.clone();
        let server = tokio::spawn(async move {
            serve::serve(listener, app, for_server, serve_limits, stop_rx).await;
            Ok(())
        });
        tracing::info!(target: "mbx_sandbox", %local_addr, "sandbox serving");
        Ok(SandboxHandle {
            local_addr,
            stop: Some(stop_tx),
            server: Some(server),
            state,
            engine_thread: Some(engine_thread),
            shutdown_grace,
        })
    }
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder::new()
    }
}

/// Turns the chaos mode on at start, once the configuration is checked.
fn start_chaos(state: &AppState, config: faults::ChaosConfig) -> Result<()> {
    config
        .check()
        .map_err(|(field, detail)| SandboxError::from(error::AdminError::Invalid { field, detail }))?;
    tracing::info!(target: "mbx_sandbox::chaos", seed = config.seed, "chaos mode on");
    state.chaos().enable(config);
    Ok(())
}

/// Starts the background market when asked for (`every`) and the market maker runs (`Some(seed)`).
fn start_activity(state: &AppState, every: Option<Duration>, market_maker: Option<u64>) -> Result<()> {
    match (every, market_maker) {
        (Some(every), Some(seed)) if !every.is_zero() => {
            tracing::info!(target: "mbx_sandbox", every_ms = every.as_millis() as u64, "background market on");
            state.engine().start_activity(every, seed, state.clock().clone())
        }
        _ => Ok(()),
    }
}

/// The rules without a configuration: the default symbols, balances and commission.
fn default_rules() -> config::Resolved {
    // The empty configuration always resolves.
    config::SandboxConfig::default().resolve().unwrap_or_else(|e| unreachable!("default rules: {e}"))
}

/// Opens the store, seeds it, loads the keys and the books, starts the market maker (`Some(seed)`)
/// and the engine.
fn open(
    storage: Storage,
    clock: SandboxClock,
    market_maker: Option<u64>,
    rate_limits: RateLimits,
    flavor: Flavor,
    rules: config::Resolved,
) -> Result<(AppState, EngineThread)> {
    let now = clock.now_ms();
    let mut store = match &storage {
        Storage::Memory => Store::open_memory()?,
        Storage::Dir(dir) => Store::open_dir(dir)?,
    };
    let demo: Vec<(&str, rust_decimal::Decimal)> =
        rules.demo_balances.iter().map(|(a, v)| (a.as_str(), *v)).collect();
    store.ensure_account(seed::DEMO_ACCOUNT_ID, seed::DEMO_ACCOUNT_NAME, &demo, now)?;
    store.insert_key(&seed::demo_key(), now)?;
    if market_maker.is_some() {
        let balances = seed::market_maker_balances();
        store.ensure_account(
            engine::market_maker::ACCOUNT_ID,
            engine::market_maker::ACCOUNT_NAME,
            &balances,
            now,
        )?;
        // Assets a configured symbol brings in, so the market maker can quote both sides.
        let extra = seed::market_maker_extra_balances(&rules.symbols);
        store.add_missing_balances(engine::market_maker::ACCOUNT_ID, &extra)?;
    }
    let ring = KeyRing::default();
    for key in store.keys()?.iter().filter(|k| !k.revoked) {
        ring.insert(KeyEntry::from_stored(key)?);
    }
    let symbols = rules.symbols;
    let mut exchange = Exchange::load(store, symbols.clone(), rules.commission, market_maker)?;
    for (symbol, reference, size) in &rules.quotes {
        exchange.set_market_maker_quote(symbol, *reference, *size);
    }
    let order_counts = std::sync::Arc::new(limits::OrderCounter::default());
    exchange.count_first_fills_in(order_counts.clone());
    exchange.transact(now, |ex| {
        ex.start_market_maker(now);
        Ok(())
    })?;
    let (engine, thread) = EngineHandle::start(exchange, clock.clone())?;
    let market = Market::new(symbols, rate_limits).with_commission(rules.commission);
    Ok((AppState::new(clock, ring, market, engine, order_counts, flavor), thread))
}

/// A running sandbox. Dropping it asks the server to stop; [`SandboxHandle::shutdown`] also waits.
#[derive(Debug)]
pub struct SandboxHandle {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    state: AppState,
    engine_thread: Option<EngineThread>,
    shutdown_grace: Duration,
}

impl SandboxHandle {
    /// The address the sandbox listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The base URL of the REST API, e.g. `http://127.0.0.1:9900` (no trailing slash).
    pub fn rest_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// The token the admin API and the console require, if the sandbox requires one
    /// ([`SandboxBuilder::admin_token`]).
    pub fn admin_token(&self) -> Option<&str> {
        self.state.admin_token()
    }

    /// The shared state (clock, keys, market).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Stops accepting connections, lets requests in flight finish (at most the shutdown grace), closes
    /// the database and waits for all of it. A panic of the server task is re-raised.
    pub async fn shutdown(mut self) -> Result<()> {
        // WebSocket connections (which the HTTP server no longer tracks once upgraded) send
        // `serverShutdown` and close.
        self.state.announce_stop();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut server) = self.server.take() {
            let finished = match tokio::time::timeout(self.shutdown_grace, &mut server).await {
                Ok(finished) => finished,
                Err(_) => {
                    // A client holds a request open: stop waiting for it.
                    server.abort();
                    tracing::warn!(target: "mbx_sandbox", grace = ?self.shutdown_grace, "connections still open; closed");
                    Ok(Ok(()))
                }
            };
            match finished {
                Ok(Ok(())) => {}
                Ok(Err(source)) => return Err(SandboxError::Io { context: "serving".into(), source }),
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => {}
            }
        }
        self.state.engine().stop().await;
        if let Some(thread) = self.engine_thread.take() {
            // The engine answered Stop just before its thread ends; wait for the end without blocking
            // the runtime.
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
        Ok(())
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
