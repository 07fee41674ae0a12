//! Rate limits: the used weight Binance reports, the limit it publishes, and `Retry-After` backoffs.
//!
//! Before each request the client waits rather than cross the 1-minute `REQUEST_WEIGHT` limit it knows
//! of; after a 429 or 418 it sends nothing to the host until `Retry-After` has passed.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The longest the client waits by itself before giving the caller a `RateLimited` error instead.
const MAX_WAIT: Duration = Duration::from_secs(70);

/// Binance's documented default `REQUEST_WEIGHT` limit per minute, used until exchangeInfo says otherwise.
pub const DEFAULT_WEIGHT_PER_MINUTE: u32 = 6000;

#[derive(Debug)]
pub(crate) struct Limits {
    /// Weight used in the current minute, as last reported.
    used: AtomicU32,
    /// The minute (Unix minutes) `used` belongs to.
    minute: AtomicU64,
    /// Weight allowed per minute.
    limit: AtomicU32,
    /// No request before this instant (after 429/418).
    backoff_until: Mutex<Option<Instant>>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            used: AtomicU32::new(0),
            minute: AtomicU64::new(0),
            limit: AtomicU32::new(DEFAULT_WEIGHT_PER_MINUTE),
            backoff_until: Mutex::new(None),
        }
    }
}

fn unix_minute() -> u64 {
    crate::client::local_now_us() / 60_000_000
}

impl Limits {
    /// Sets the per-minute weight limit (from exchangeInfo's `REQUEST_WEIGHT` entry).
    pub(crate) fn set_weight_limit(&self, limit: u32) {
        self.limit.store(limit.max(1), Ordering::Relaxed);
    }

    /// Time left on a 429/418 backoff.
    pub(crate) fn backoff_remaining(&self) -> Option<Duration> {
        let guard = self.backoff_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.and_then(|t| t.checked_duration_since(Instant::now()))
    }

    /// The weight used in the current minute, as last reported by the server.
    pub(crate) fn used_weight(&self) -> u32 {
        if self.minute.load(Ordering::Relaxed) == unix_minute() {
            self.used.load(Ordering::Relaxed)
        } else {
            0
        }
    }

    /// Waits as needed before a request of `weight`.
    pub(crate) async fn before_request(&self, weight: u32) -> Result<()> {
        if let Some(wait) = self.backoff_remaining() {
            if wait > MAX_WAIT {
                return Err(Error::RateLimited { status: 418, retry_after: wait, api: None });
            }
            tokio::time::sleep(wait).await;
        }
        let limit = self.limit.load(Ordering::Relaxed);
        if self.used_weight().saturating_add(weight) > limit {
            // Wait for the next minute window (Binance's windows are aligned to the minute).
            let now_us = crate::client::local_now_us();
            let wait = Duration::from_micros(60_000_000 - now_us % 60_000_000) + Duration::from_millis(50);
            tracing::debug!(?wait, limit, "request weight limit reached: waiting for the next minute");
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }

    /// Records what an answer says about limits: `X-MBX-USED-WEIGHT-1M` and, on 429 or 418,
    /// `Retry-After` in seconds (1 if absent).
    pub(crate) fn after_response(&self, used_weight_1m: Option<u32>, retry_after: Option<u64>, status: u16) {
        if let Some(used) = used_weight_1m {
            self.used.store(used, Ordering::Relaxed);
            self.minute.store(unix_minute(), Ordering::Relaxed);
        }
        if status == 429 || status == 418 {
            let until = Instant::now() + Duration::from_secs(retry_after.unwrap_or(1));
            let mut guard = self.backoff_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if guard.is_none_or(|t| t < until) {
                *guard = Some(until);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn limits_wait_for_the_next_minute_rather_than_cross_the_limit() {
        let l = Limits::default();
        l.set_weight_limit(30);
        l.after_response(Some(20), None, 200);
        assert_eq!(l.used_weight(), 20);
        let start = tokio::time::Instant::now();
        l.before_request(5).await.unwrap();
        assert_eq!(start.elapsed(), Duration::ZERO, "within the limit: no wait");
        l.before_request(20).await.unwrap();
        let waited = start.elapsed();
        assert!(waited > Duration::ZERO && waited <= Duration::from_millis(60_050), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn limits_after_429_wait_retry_after_and_refuse_long_bans() {
        let l = Limits::default();
        l.after_response(Some(1), Some(7), 429);
        let left = l.backoff_remaining().unwrap();
        assert!(left > Duration::from_secs(6) && left <= Duration::from_secs(7));
        let start = tokio::time::Instant::now();
        l.before_request(1).await.unwrap();
        assert!(start.elapsed() >= Duration::from_secs(6));
        // A ban longer than the client waits by itself is reported instead.
        l.after_response(Some(1), Some(600), 418);
        assert!(matches!(l.before_request(1).await, Err(Error::RateLimited { status: 418, .. })));
    }
}
