//! Rate limits: the used weight and order counts Binance reports, the limits it publishes, and
//! `Retry-After` backoffs.
//!
//! Before each request the client waits rather than cross the 1-minute `REQUEST_WEIGHT` limit it knows
//! of; before each order it does the same for every `ORDERS` window it knows (10 seconds, a day): a
//! short window is waited out, a long one (the day) is reported at once as
//! [`Error::RateLimited`] with nothing sent. Counts come from `X-MBX-USED-WEIGHT-1M` and
//! `X-MBX-ORDER-COUNT-*` on each answer, plus the weight and orders of the requests in flight: tasks
//! sharing one client cannot together send more than the limit before the first answers come back.
//! After a 429 or 418 the client sends nothing to the host until `Retry-After` has passed.
//! A WebSocket handshake refused with 429 (the address opened its 300 connections of 5 minutes)
//! holds back new WebSocket API connections until its `Retry-After`, and nothing else: requests on
//! open connections and REST go on (a 418, a ban of the address, holds back everything). The
//! client also counts its own connection attempts ([`ConnectionAttempts`]) so as not to be refused
//! in the first place.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use mbx_core::stream::CONNECTIONS_WINDOW;
use tokio::time::Instant;

use crate::error::{Error, Result};

/// The longest the client waits by itself before giving the caller a `RateLimited` error instead.
const MAX_WAIT: Duration = Duration::from_secs(70);

/// Binance's documented default `REQUEST_WEIGHT` limit per minute, used until exchangeInfo says otherwise.
pub const DEFAULT_WEIGHT_PER_MINUTE: u32 = 6000;

/// The limits of one client: those of its address, which Binance counts per IP (possibly shared
/// with other clients, [`crate::ClientBuilder::share_address_limits`]), and those of its account.
#[derive(Debug, Default)]
pub(crate) struct Limits {
    /// Weight and backoff, per address.
    address: std::sync::Arc<AddressLimits>,
    /// `ORDERS` windows, from exchangeInfo (limits) and answers (counts): per account.
    orders: Mutex<Vec<OrderWindow>>,
}

/// What Binance counts per IP address: request weight, and the `Retry-After` backoff after a 429 /
/// 418 (a ban is of the address, whichever key sent the request).
#[derive(Debug)]
struct AddressLimits {
    /// Weight used in the current minute, as last reported.
    used: AtomicU32,
    /// The minute (Unix minutes) `used` belongs to.
    minute: AtomicU64,
    /// Weight of the requests sent and not yet answered (not in `used` yet).
    in_flight: AtomicU32,
    /// Weight the server counts with no answer to report it (a WebSocket API connection opened),
    /// in the minute `unreported_minute`: counted on top of `used` until the minute ends, since an
    /// answer's count may have been taken before it (a lower `used` would then hide it).
    unreported: AtomicU32,
    /// The minute (Unix minutes) `unreported` belongs to.
    unreported_minute: AtomicU64,
    /// Woken when a request in flight is answered (its weight released).
    released: tokio::sync::Notify,
    /// Weight allowed per minute.
    limit: AtomicU32,
    /// No request before this instant (after 429/418).
    backoff_until: Mutex<Option<Instant>>,
    /// No new WebSocket API connection before this instant (after a handshake refused with 429).
    connect_until: Mutex<Option<Instant>>,
}

/// The orders counted in one `ORDERS` window, from [`Client::order_counts`](crate::Client::order_counts).
///
/// ```
/// # use std::time::Duration;
/// let c = mbx_client::OrderCount { window: Duration::from_secs(10), count: 3, limit: Some(100) };
/// assert_eq!(c.remaining(), Some(97));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderCount {
    /// The window's length (10 seconds, a day).
    pub window: Duration,
    /// Orders counted in the current window.
    pub count: u32,
    /// The window's limit, once exchangeInfo was read.
    pub limit: Option<u32>,
}

impl OrderCount {
    /// Orders left in the current window, if the limit is known.
    pub fn remaining(&self) -> Option<u32> {
        self.limit.map(|l| l.saturating_sub(self.count))
    }
}

/// One `ORDERS` window (windows are aligned to multiples of their length since the epoch; a day is
/// a UTC day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OrderWindow {
    /// Window length.
    window_ms: u64,
    /// The published limit, if known.
    limit: Option<u32>,
    /// Orders counted in window `index`.
    count: u32,
    /// Which window `count` belongs to (`now_ms / window_ms`).
    index: u64,
}

impl Default for AddressLimits {
    fn default() -> Self {
        Self {
            used: AtomicU32::new(0),
            minute: AtomicU64::new(0),
            in_flight: AtomicU32::new(0),
            unreported: AtomicU32::new(0),
            unreported_minute: AtomicU64::new(0),
            released: tokio::sync::Notify::new(),
            limit: AtomicU32::new(DEFAULT_WEIGHT_PER_MINUTE),
            backoff_until: Mutex::new(None),
            connect_until: Mutex::new(None),
        }
    }
}

fn unix_minute() -> u64 {
    crate::client::local_now_us() / 60_000_000
}

fn now_ms() -> u64 {
    crate::client::local_now_us() / 1000
}

impl Limits {
    /// New limits for another account's client on the same address: the weight and backoff of
    /// `other` are shared, the `ORDERS` windows are its own.
    pub(crate) fn sharing_address_of(other: &Limits) -> Limits {
        Limits { address: other.address.clone(), orders: Mutex::new(Vec::new()) }
    }

    /// Sets the per-minute weight limit (from exchangeInfo's `REQUEST_WEIGHT` entry).
    pub(crate) fn set_weight_limit(&self, limit: u32) {
        self.address.limit.store(limit.max(1), Ordering::Relaxed);
    }

    /// Sets the `ORDERS` limit of a window (from exchangeInfo: 10 seconds, a day).
    pub(crate) fn set_order_limit(&self, window_ms: u64, limit: u32) {
        if window_ms == 0 {
            return;
        }
        let mut windows = self.orders.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match windows.iter_mut().find(|w| w.window_ms == window_ms) {
            Some(w) => w.limit = Some(limit),
            None => windows.push(OrderWindow { window_ms, limit: Some(limit), count: 0, index: 0 }),
        }
    }

    /// Orders counted in each known window right now.
    pub(crate) fn order_counts(&self) -> Vec<OrderCount> {
        let now = now_ms();
        let windows = self.orders.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        windows
            .iter()
            .map(|w| OrderCount {
                window: Duration::from_millis(w.window_ms),
                count: if w.index == now / w.window_ms { w.count } else { 0 },
                limit: w.limit,
            })
            .collect()
    }

    /// Time left on a 429/418 backoff.
    pub(crate) fn backoff_remaining(&self) -> Option<Duration> {
        remaining(&self.address.backoff_until)
    }

    /// The weight used in the current minute, as last reported by the server.
    pub(crate) fn used_weight(&self) -> u32 {
        if self.address.minute.load(Ordering::Relaxed) == unix_minute() {
            self.address.used.load(Ordering::Relaxed)
        } else {
            0
        }
    }

    /// Weight of the requests in flight.
    #[cfg(test)]
    pub(crate) fn in_flight_weight(&self) -> u32 {
        self.address.in_flight.load(Ordering::Relaxed)
    }

    /// Waits as needed before a request of `weight` that places `orders` orders (0 for everything
    /// but order placement), and counts its weight and orders as in flight. Keep the guard until the
    /// answer has been recorded ([`Limits::after_response`]): dropping it releases the weight.
    ///
    /// A `Retry-After` backoff is checked again once the weight is reserved (and after waiting for
    /// an `ORDERS` window): a 429 that another task received while this one waited holds this
    /// request back too, so no request of the client leaves inside a ban window.
    pub(crate) async fn before_request(&self, weight: u32, orders: u32) -> Result<InFlight<'_>> {
        let guard = loop {
            self.wait_out_backoff().await?;
            let guard = self.reserve_weight(weight).await;
            if self.backoff_remaining().is_none() {
                break guard;
            }
            // A 429 came in while this request waited for room: release and wait it out.
            drop(guard);
        };
        if orders == 0 {
            return Ok(guard);
        }
        // Other tasks may fill the next window first; after a third wait the orders go regardless
        // (the server's answer is then the last word).
        for attempt in 0..3 {
            let Some(wait) = self.reserve_orders(orders, now_ms(), attempt == 2) else { break };
            if wait > MAX_WAIT {
                // Nothing is sent: the caller learns how long the window (a day) still runs.
                return Err(Error::RateLimited { status: 429, retry_after: wait, api: None });
            }
            tracing::debug!(?wait, "ORDERS limit reached: waiting for the next window");
            tokio::time::sleep(wait).await;
        }
        // Waiting for a window may have outlasted a 429 of another task: wait out its backoff
        // (the weight stays reserved meanwhile).
        self.wait_out_backoff().await?;
        Ok(guard)
    }

    /// Sleeps until no `Retry-After` backoff is running (again if a longer one starts meanwhile);
    /// a backoff longer than the client waits by itself is reported as [`Error::RateLimited`].
    pub(crate) async fn wait_out_backoff(&self) -> Result<()> {
        wait_out(&self.address.backoff_until, 418).await
    }

    /// Opens no new WebSocket API connection for `wait` from now (a refused handshake's
    /// `Retry-After`); a running longer wait is kept.
    pub(crate) fn refuse_connections(&self, wait: Duration) {
        later(&self.address.connect_until, Instant::now() + wait);
    }

    /// Sleeps until a refused handshake's `Retry-After` has passed; one longer than the client waits
    /// by itself is reported as [`Error::RateLimited`] (429) with nothing sent.
    pub(crate) async fn wait_for_connections(&self) -> Result<()> {
        wait_out(&self.address.connect_until, 429).await
    }

    /// Sends nothing for `wait` from now (a WebSocket API `retryAfter`, which is a time rather than
    /// a number of seconds); a running longer backoff is kept.
    pub(crate) fn back_off(&self, wait: Duration) {
        later(&self.address.backoff_until, Instant::now() + wait);
    }

    /// Records the weight used this minute as an answer reports it (`X-MBX-USED-WEIGHT-1M`, or a
    /// WebSocket API answer's `rateLimits`). Within a minute the count only grows: answers of
    /// concurrent requests arrive in any order, and an older, lower count must not undo a newer
    /// one (the requests behind the difference are no longer counted in flight).
    pub(crate) fn set_used_weight(&self, used: u32) {
        let minute = unix_minute();
        let a = &self.address;
        // One lock-free pass: a new minute replaces the count, the same minute keeps the larger.
        if a.minute.swap(minute, Ordering::AcqRel) == minute {
            a.used.fetch_max(used, Ordering::AcqRel);
        } else {
            a.used.store(used, Ordering::Release);
        }
    }

    /// Counts `weight` the server adds with no answer to report it (opening a WebSocket API
    /// connection costs 2): on top of the reported count for the rest of the minute. (Merged into
    /// the reported count, it was lost when an answer whose count was taken just before the
    /// connection came back after it: the client then sent 2 more than the limit.)
    pub(crate) fn add_used(&self, weight: u32) {
        let minute = unix_minute();
        let a = &self.address;
        if a.unreported_minute.swap(minute, Ordering::AcqRel) == minute {
            a.unreported.fetch_add(weight, Ordering::AcqRel);
        } else {
            a.unreported.store(weight, Ordering::Release);
        }
    }

    /// The weight counted against this minute's limit: the reported count and the unreported.
    fn counted_weight(&self) -> u32 {
        let a = &self.address;
        let unreported = if a.unreported_minute.load(Ordering::Acquire) == unix_minute() {
            a.unreported.load(Ordering::Acquire)
        } else {
            0
        };
        self.used_weight().saturating_add(unreported)
    }

    /// Counts `weight` as in flight once the weight the server last reported plus the weight in
    /// flight leaves room for it: until then it waits for the next minute (when the server's count
    /// is what fills the minute) or for answers to come back (when requests in flight do).
    async fn reserve_weight(&self, weight: u32) -> InFlight<'_> {
        // After waiting out a minute, the server's count of the last one no longer applies (even if
        // this machine's clock has not moved on by then).
        let mut new_minute = false;
        loop {
            let limit = self.address.limit.load(Ordering::Relaxed);
            let used = if new_minute { 0 } else { self.counted_weight() };
            // Register for a release before looking, so that none is missed in between.
            let released = self.address.released.notified();
            let reserved =
                self.address.in_flight.fetch_update(Ordering::AcqRel, Ordering::Acquire, |pending| {
                    // A request heavier than the whole limit alone goes when nothing else is in flight.
                    let fits = used.saturating_add(pending).saturating_add(weight) <= limit
                        || pending == 0 && used == 0;
                    fits.then(|| pending.saturating_add(weight))
                });
            let pending = match reserved {
                Ok(_) => return InFlight { limits: self, weight },
                Err(pending) => pending,
            };
            // Binance's windows are aligned to the minute.
            let now_us = crate::client::local_now_us();
            let next_minute =
                Duration::from_micros(60_000_000 - now_us % 60_000_000) + Duration::from_millis(50);
            if used.saturating_add(weight) > limit || pending == 0 {
                tracing::debug!(wait = ?next_minute, limit, "request weight limit reached: waiting for the next minute");
                tokio::time::sleep(next_minute).await;
                new_minute = true;
            } else {
                tracing::debug!(
                    in_flight = pending,
                    limit,
                    "request weight limit reached with requests in flight: waiting for answers"
                );
                // An answer releases weight; the minute's end resets the server's count.
                new_minute = tokio::time::timeout(next_minute, released).await.is_err();
            }
        }
    }

    /// Counts `orders` more in every window if no known limit would be crossed (`None`), or says how
    /// long to wait for the window that would be crossed to end. `force`: count them anyway, unless
    /// the wait would be longer than the client waits by itself.
    fn reserve_orders(&self, orders: u32, now: u64, force: bool) -> Option<Duration> {
        let mut windows = self.orders.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut wait_ms = None;
        for w in windows.iter() {
            let index = now / w.window_ms;
            let count = if w.index == index { w.count } else { 0 };
            if w.limit.is_some_and(|limit| count.saturating_add(orders) > limit) {
                let left = (index + 1) * w.window_ms - now;
                wait_ms = Some(wait_ms.map_or(left, |m: u64| m.max(left)));
            }
        }
        if let Some(ms) = wait_ms {
            let wait = Duration::from_millis(ms + 50);
            if !force || wait > MAX_WAIT {
                return Some(wait);
            }
        }
        for w in windows.iter_mut() {
            let index = now / w.window_ms;
            if w.index != index {
                (w.index, w.count) = (index, 0);
            }
            w.count = w.count.saturating_add(orders);
        }
        None
    }

    /// Records what an answer says about limits: `X-MBX-USED-WEIGHT-1M`, the `X-MBX-ORDER-COUNT-*`
    /// counts as (window length in ms, count) and, on 429 or 418, `Retry-After` in seconds (1 if
    /// absent).
    pub(crate) fn after_response(
        &self,
        used_weight_1m: Option<u32>,
        order_counts: &[(u64, u32)],
        retry_after: Option<u64>,
        status: u16,
    ) {
        if let Some(used) = used_weight_1m {
            self.set_used_weight(used);
        }
        if !order_counts.is_empty() {
            let now = now_ms();
            let mut windows = self.orders.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for &(window_ms, count) in order_counts.iter().filter(|(ms, _)| *ms > 0) {
                let index = now / window_ms;
                match windows.iter_mut().find(|w| w.window_ms == window_ms) {
                    // The server's count is the truth (fills take orders off it).
                    Some(w) => (w.index, w.count) = (index, count),
                    None => windows.push(OrderWindow { window_ms, limit: None, count, index }),
                }
            }
        }
        if status == 429 || status == 418 {
            later(
                &self.address.backoff_until,
                Instant::now() + Duration::from_secs(retry_after.unwrap_or(1)),
            );
        }
    }
}

/// Time left until the instant in `slot`, if it is ahead.
fn remaining(slot: &Mutex<Option<Instant>>) -> Option<Duration> {
    let until = *slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    until.and_then(|t| t.checked_duration_since(Instant::now())).filter(|left| !left.is_zero())
}

/// Sleeps until the instant in `slot` has passed (again if it moves later meanwhile); a wait
/// longer than the client waits by itself is reported as [`Error::RateLimited`] with `status`.
async fn wait_out(slot: &Mutex<Option<Instant>>, status: u16) -> Result<()> {
    while let Some(wait) = remaining(slot) {
        if wait > MAX_WAIT {
            return Err(Error::RateLimited { status, retry_after: wait, api: None });
        }
        tokio::time::sleep(wait).await;
    }
    Ok(())
}

/// Moves the instant in `slot` to `until`, unless it is later already.
fn later(slot: &Mutex<Option<Instant>>, until: Instant) {
    let mut guard = slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if guard.is_none_or(|t| t < until) {
        *guard = Some(until);
    }
}

/// The weight of one request in flight, released when dropped (after its answer is recorded, or
/// when it failed).
#[derive(Debug)]
#[must_use = "the weight is released when the guard is dropped"]
pub(crate) struct InFlight<'a> {
    limits: &'a Limits,
    weight: u32,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let weight = self.weight;
        let _ = self
            .limits
            .address
            .in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |p| Some(p.saturating_sub(weight)));
        self.limits.address.released.notify_waiters();
    }
}

/// The WebSocket handshakes this client (and those sharing its address limits) started in the last
/// 5 minutes, per host and kind (market streams, WebSocket API): a handshake that would be one too
/// many is not started, and the caller learns how long until the oldest leaves the window.
#[derive(Debug)]
pub(crate) struct ConnectionAttempts {
    limit: u32,
    started: Mutex<std::collections::HashMap<(String, bool), std::collections::VecDeque<Instant>>>,
}

impl ConnectionAttempts {
    pub(crate) fn new(limit: u32) -> ConnectionAttempts {
        ConnectionAttempts { limit, started: Mutex::default() }
    }

    /// How long until a handshake to `url` (`ws://` or `wss://`) fits in the window; `None` when it
    /// fits now.
    pub(crate) fn wait(&self, url: &str) -> Option<Duration> {
        self.take(url, false)
    }

    /// Counts a handshake to `url` about to start, if it fits; else how long until it would (and
    /// nothing is counted).
    pub(crate) fn admit(&self, url: &str) -> Option<Duration> {
        self.take(url, true)
    }

    fn take(&self, url: &str, count: bool) -> Option<Duration> {
        // Per host, and the WebSocket API (`/ws-api/...`) apart from the market streams.
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let key = (authority.to_ascii_lowercase(), path.starts_with("ws-api"));
        let now = Instant::now();
        let mut started = self.started.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(seen) = started.get_mut(&key) else {
            if count {
                started.insert(key, [now].into());
            }
            return None;
        };
        while seen.front().is_some_and(|t| now.duration_since(*t) >= CONNECTIONS_WINDOW) {
            seen.pop_front();
        }
        if seen.len() < self.limit as usize {
            if count {
                seen.push_back(now);
            }
            return None;
        }
        // Full: the oldest leaves the window first (a limit of 0 never admits: the whole window).
        let oldest = seen.front().copied().unwrap_or(now);
        Some((oldest + CONNECTIONS_WINDOW).saturating_duration_since(now).max(Duration::from_millis(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn limits_wait_for_the_next_minute_rather_than_cross_the_limit() {
        let l = Limits::default();
        l.set_weight_limit(30);
        l.after_response(Some(20), &[], None, 200);
        assert_eq!(l.used_weight(), 20);
        let start = tokio::time::Instant::now();
        drop(l.before_request(5, 0).await.unwrap());
        assert_eq!(start.elapsed(), Duration::ZERO, "within the limit: no wait");
        drop(l.before_request(20, 0).await.unwrap());
        let waited = start.elapsed();
        assert!(waited > Duration::ZERO && waited <= Duration::from_millis(60_050), "{waited:?}");
    }

    /// Tasks sharing one client: the weight of requests not yet answered counts, so together they
    /// never send more than the limit; an answer frees its weight for a waiting request.
    #[tokio::test(start_paused = true)]
    async fn requests_in_flight_count_against_the_weight_limit() {
        let l = std::sync::Arc::new(Limits::default());
        l.set_weight_limit(50);
        l.after_response(Some(10), &[], None, 200);
        let a = l.before_request(20, 0).await.unwrap();
        let b = l.before_request(20, 0).await.unwrap();
        assert_eq!(l.in_flight_weight(), 40);
        // 10 used + 40 in flight: a third request of 20 waits, although the server reported 10.
        let waiting = tokio::spawn({
            let l = l.clone();
            async move {
                let g = l.before_request(20, 0).await.unwrap();
                let _ = &g;
                l.in_flight_weight()
            }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "over the limit with requests in flight: it waits");
        // The first request fails before reaching the server (nothing counted there): its weight
        // leaves the flight, and the third fits (10 used + 20 of b + 20).
        drop(a);
        let in_flight = waiting.await.unwrap();
        assert_eq!(in_flight, 40, "b and the third request");
        drop(b);
        assert_eq!(l.in_flight_weight(), 0, "every guard released");
    }

    #[test]
    fn an_older_lower_used_weight_does_not_undo_a_newer_one() {
        let l = Limits::default();
        l.after_response(Some(44), &[], None, 200);
        // The answer of a request sent earlier, counted earlier, arrives last.
        l.after_response(Some(32), &[], None, 200);
        assert_eq!(l.used_weight(), 44);
        l.set_used_weight(50);
        assert_eq!(l.used_weight(), 50);
    }

    /// A WebSocket API connection's weight (no answer reports it) stays counted when an answer
    /// whose count was taken before the connection comes back after it.
    #[test]
    fn weight_added_without_an_answer_survives_an_older_count() {
        let l = Limits::default();
        l.after_response(Some(20), &[], None, 200);
        l.add_used(2);
        assert_eq!(l.counted_weight(), 22);
        // The server counted 26 for a request (20 + 6), then 2 for the connection: 28 in all.
        l.after_response(Some(26), &[], None, 200);
        assert_eq!(l.counted_weight(), 28);
    }

    #[tokio::test(start_paused = true)]
    async fn limits_after_429_wait_retry_after_and_refuse_long_bans() {
        let l = Limits::default();
        l.after_response(Some(1), &[], Some(7), 429);
        let left = l.backoff_remaining().unwrap();
        assert!(left > Duration::from_secs(6) && left <= Duration::from_secs(7));
        let start = tokio::time::Instant::now();
        drop(l.before_request(1, 0).await.unwrap());
        assert!(start.elapsed() >= Duration::from_secs(6));
        // A ban longer than the client waits by itself is reported instead.
        l.after_response(Some(1), &[], Some(600), 418);
        assert!(matches!(l.before_request(1, 0).await, Err(Error::RateLimited { status: 418, .. })));
    }

    #[test]
    fn orders_are_reserved_per_window_and_refused_past_a_known_limit() {
        let l = Limits::default();
        l.set_order_limit(10_000, 3);
        // The start of the current 10 s window (answers are counted on the real clock).
        let t = now_ms() / 10_000 * 10_000;
        assert_eq!(l.reserve_orders(2, t + 1_000, false), None);
        assert_eq!(l.reserve_orders(1, t + 2_000, false), None);
        // A fourth order in the same 10 s window waits for its end (8 s left, plus a margin).
        assert_eq!(l.reserve_orders(1, t + 2_000, false), Some(Duration::from_millis(8_050)));
        // The server reports fewer (an order filled): the count follows it.
        l.after_response(None, &[(10_000, 1), (86_400_000, 5)], None, 200);
        let counts = l.order_counts();
        assert!(
            counts.iter().any(|c| c.window == Duration::from_secs(86_400) && c.limit.is_none()),
            "{counts:?}"
        );
        // A new window starts from zero.
        assert_eq!(l.reserve_orders(3, t + 10_000, false), None);
        l.set_order_limit(86_400_000, 4);
        let w = l.reserve_orders(1, t + 10_000, false).unwrap();
        // Until the end of the UTC day (whatever the time of day the test runs at), plus the margin.
        let day_left = 86_400_000 - (t + 10_000) % 86_400_000;
        let expected = Duration::from_millis(day_left + 50);
        assert!(
            w.abs_diff(expected) <= Duration::from_millis(100),
            "the day window: {w:?}, expected {expected:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn orders_wait_out_a_short_window_and_report_a_long_one() {
        let l = Limits::default();
        l.set_order_limit(10_000, 1);
        l.set_order_limit(86_400_000, 2);
        drop(l.before_request(1, 1).await.unwrap());
        let start = tokio::time::Instant::now();
        drop(l.before_request(1, 1).await.unwrap());
        assert!(start.elapsed() > Duration::ZERO, "waited for the next 10 s window");
        match l.before_request(1, 1).await {
            Err(Error::RateLimited { status: 429, retry_after, api: None }) => {
                assert!(retry_after > MAX_WAIT, "{retry_after:?}")
            }
            other => panic!("{other:?}"),
        }
        // Reads are not orders.
        drop(l.before_request(1, 0).await.unwrap());
    }

    #[tokio::test(start_paused = true)]
    async fn connection_attempts_are_counted_per_host_and_kind_over_five_minutes() {
        let a = ConnectionAttempts::new(2);
        let api = "ws://127.0.0.1:9000/ws-api/v3";
        assert_eq!(a.admit(api), None);
        tokio::time::advance(Duration::from_secs(100)).await;
        assert_eq!(a.wait(api), None, "a look counts nothing");
        assert_eq!(a.admit(api), None);
        // Full: until the first is 5 minutes old; a refused attempt is not counted.
        assert_eq!(a.wait(api), Some(Duration::from_secs(200)));
        assert_eq!(a.admit(api), Some(Duration::from_secs(200)));
        // The market streams and another host have windows of their own.
        assert_eq!(a.admit("ws://127.0.0.1:9000/stream?streams=bnbusdt@trade"), None);
        assert_eq!(a.admit("ws://127.0.0.1:9000/ws/bnbusdt@trade"), None);
        assert_eq!(a.admit("ws://127.0.0.1:9001/ws-api/v3"), None);
        tokio::time::advance(Duration::from_secs(200)).await;
        assert_eq!(a.admit(api), None);
        assert_eq!(a.admit(api), Some(Duration::from_secs(100)));
    }
}
