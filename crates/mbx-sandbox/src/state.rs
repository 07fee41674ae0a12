//! [`AppState`]: what every handler shares. Cheap to clone (`Arc` inside).

use std::sync::{Arc, Mutex};

use crate::Flavor;
use crate::api::user_stream::ListenKeys;
use crate::clock::SandboxClock;
use crate::engine::EngineHandle;
use crate::faults::Faults;
use crate::keys::KeyRing;
use crate::limits::{IpLimiter, OrderCounter};
use crate::market::Market;

/// The sandbox's shared state: clock, keys, market rules, engine, weight ledger, order counts.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    clock: SandboxClock,
    keys: KeyRing,
    market: Market,
    engine: EngineHandle,
    ip_limits: IpLimiter,
    orders: Arc<OrderCounter>,
    faults: Faults,
    chaos: crate::faults::Chaos,
    flavor: Flavor,
    listen_keys: ListenKeys,
    panics: Mutex<Vec<String>>,
    journal: crate::journal::Journal,
    hub: crate::ws::hub::Hub,
    /// Every request answered, for the console.
    requests: crate::console::RequestLog,
    /// The token the admin API and the console require, set at start when the sandbox listens
    /// beyond loopback (or when one is configured).
    admin_token: std::sync::OnceLock<crate::keys::AdminToken>,
    /// Where request log lines go instead of tracing (`SandboxBuilder::request_lines`).
    request_lines: std::sync::OnceLock<crate::router::LineSink>,
    /// Becomes true when the sandbox is about to stop (WebSocket connections send `serverShutdown`).
    stopping: tokio::sync::watch::Sender<bool>,
}

impl AppState {
    pub(crate) fn new(
        clock: SandboxClock,
        keys: KeyRing,
        market: Market,
        engine: EngineHandle,
        orders: Arc<OrderCounter>,
        flavor: Flavor,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                clock,
                keys,
                market,
                engine,
                ip_limits: IpLimiter::default(),
                orders,
                faults: Faults::default(),
                chaos: crate::faults::Chaos::default(),
                flavor,
                listen_keys: ListenKeys::default(),
                panics: Mutex::new(Vec::new()),
                journal: crate::journal::Journal::default(),
                hub: crate::ws::hub::Hub::default(),
                stopping: tokio::sync::watch::Sender::new(false),
                requests: crate::console::RequestLog::default(),
                admin_token: std::sync::OnceLock::new(),
                request_lines: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The market data hub (stream events).
    pub fn hub(&self) -> &crate::ws::hub::Hub {
        &self.inner.hub
    }

    /// The last rejected requests.
    pub fn journal(&self) -> &crate::journal::Journal {
        &self.inner.journal
    }

    /// The request log the console shows.
    pub fn requests(&self) -> &crate::console::RequestLog {
        &self.inner.requests
    }

    /// Resolves once the sandbox is about to stop (at once if it already is).
    pub async fn stopping(&self) {
        let mut rx = self.inner.stopping.subscribe();
        let _ = rx.wait_for(|stopping| *stopping).await;
    }

    /// Tells every WebSocket connection that the sandbox is about to stop.
    pub(crate) fn announce_stop(&self) {
        self.inner.stopping.send_replace(true);
    }

    /// The sandbox clock.
    pub fn clock(&self) -> &SandboxClock {
        &self.inner.clock
    }

    /// The usable API keys.
    pub fn keys(&self) -> &KeyRing {
        &self.inner.keys
    }

    /// Symbols and rules.
    pub fn market(&self) -> &Market {
        &self.inner.market
    }

    /// The engine.
    pub fn engine(&self) -> &EngineHandle {
        &self.inner.engine
    }

    /// Request weight, raw request counts and bans per client address.
    pub fn ip_limits(&self) -> &IpLimiter {
        &self.inner.ip_limits
    }

    /// Unfilled orders per account (shared with the engine, which decrements them on fills).
    pub fn order_counts(&self) -> &OrderCounter {
        &self.inner.orders
    }

    /// Faults planned for the next order placements (dropped or failed answers after commit).
    pub fn faults(&self) -> &Faults {
        &self.inner.faults
    }

    /// The chaos mode: faults drawn at random (`crate::faults::chaos`, `POST /sandbox/v1/chaos`).
    pub fn chaos(&self) -> &crate::faults::Chaos {
        &self.inner.chaos
    }

    /// The token the admin API and the console require, if any ([`crate::SandboxBuilder::admin_token`]).
    pub fn admin_token(&self) -> Option<&str> {
        self.inner.admin_token.get().map(crate::keys::AdminToken::expose)
    }

    /// Requires `token` on every admin and console request from now on (set once, at start).
    pub(crate) fn require_admin_token(&self, token: crate::keys::AdminToken) {
        let _ = self.inner.admin_token.set(token);
    }

    /// Sends each request's log line to `sink` (`SandboxBuilder::request_lines`).
    pub(crate) fn send_request_lines(&self, sink: crate::router::LineSink) {
        let _ = self.inner.request_lines.set(sink);
    }

    /// Where request log lines go, if not to tracing.
    pub(crate) fn request_lines(&self) -> Option<&crate::router::RequestLines> {
        self.inner.request_lines.get().map(|s| &s.0)
    }

    /// Which exchange the sandbox answers as.
    pub fn flavor(&self) -> Flavor {
        self.inner.flavor
    }

    /// The open listenKeys ([`Flavor::Us`] only).
    pub fn listen_keys(&self) -> &ListenKeys {
        &self.inner.listen_keys
    }

    /// Messages of handler panics so far (each answered 500 `-1000`); tests assert this stays empty.
    pub fn panics(&self) -> Vec<String> {
        self.inner.panics.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn record_panic(&self, msg: String) {
        self.inner.panics.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
    }
}
