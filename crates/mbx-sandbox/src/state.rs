//! [`AppState`]: what every handler shares. Cheap to clone (`Arc` inside).

use std::sync::{Arc, Mutex};

use crate::clock::SandboxClock;
use crate::engine::EngineHandle;
use crate::keys::KeyRing;
use crate::limits::{OrderCounter, WeightLedger};
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
    weights: WeightLedger,
    orders: OrderCounter,
    panics: Mutex<Vec<String>>,
}

impl AppState {
    pub(crate) fn new(clock: SandboxClock, keys: KeyRing, market: Market, engine: EngineHandle) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                clock,
                keys,
                market,
                engine,
                weights: WeightLedger::default(),
                orders: OrderCounter::default(),
                panics: Mutex::new(Vec::new()),
            }),
        }
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

    /// Request weight per client.
    pub fn weights(&self) -> &WeightLedger {
        &self.inner.weights
    }

    /// Orders placed per account.
    pub fn order_counts(&self) -> &OrderCounter {
        &self.inner.orders
    }

    /// Messages of handler panics so far (each answered 500 `-1000`); tests assert this stays empty.
    pub fn panics(&self) -> Vec<String> {
        self.inner.panics.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn record_panic(&self, msg: String) {
        self.inner.panics.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
    }
}
