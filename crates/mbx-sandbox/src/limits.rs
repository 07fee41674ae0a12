//! Rate limits as rest-api.md "LIMITS" describes them, against the limits `exchangeInfo` publishes
//! ([`RateLimits`]):
//!
//! * Per client address ([`IpLimiter`]): `REQUEST_WEIGHT` per minute (reported on every response as
//!   `X-MBX-USED-WEIGHT-1M`) and `RAW_REQUESTS` per 5 minutes. Going over answers 429 `-1003` with
//!   `Retry-After` (seconds until the window frees). A client that sends again in the same window after a
//!   429 is banned: 418 with `"IP banned until <ms>"` and `Retry-After` until the ban ends. Bans grow with
//!   each offence: 2 minutes, doubling, at most 3 days. Every time is the sandbox clock's.
//! * Per account ([`OrderCounter`]): the unfilled order count, `ORDERS` per 10 seconds and per UTC day,
//!   reported on order responses as `X-MBX-ORDER-COUNT-10S` and `X-MBX-ORDER-COUNT-1D` and by
//!   `GET /api/v3/rateLimit/order`; an order over either limit is answered 429 `-1015` with
//!   `Retry-After`, and is not placed. Each accepted order adds one (an OCO two, a cancel-replace one
//!   even when its new order is not attempted); a refused one adds nothing. When an order trades for
//!   the first time, partially or fully, as maker or taker, its account's count drops by one in the
//!   current 10-second and day windows ([`OrderCounter::filled`]), so orders that trade do not count
//!   (Binance's "Spot Unfilled Order Count Rules"). An order that trades on arrival answers with the
//!   count as it was placed, the decrement following just after, as on Binance. Binance's extra
//!   decrements for orders that first trade as makers or in large size are not specified and not
//!   modelled.
//!
//! Windows are fixed (the minute, the 5 minutes, the 10 seconds, the UTC day holding the request), not
//! sliding.

use std::net::IpAddr;
use std::sync::Mutex;

use crate::hash::FastMap;

use axum::http::HeaderName;
use mbx_core::{ApiError, ErrorCode};

use crate::error::SandboxError;
pub use crate::market::RateLimits;

/// The header carrying the weight used in the current minute.
// Header names as constants: a `&str` name is parsed again on every insert.
pub const USED_WEIGHT_1M: HeaderName = HeaderName::from_static("x-mbx-used-weight-1m");
/// The legacy header carrying the same number (CHANGELOG.md: it "will still be returned", and
/// Binance still sends it; clients such as unicorn-binance-rest-api read only this one).
pub const USED_WEIGHT: HeaderName = HeaderName::from_static("x-mbx-used-weight");

/// The first ban's length: 2 minutes.
pub const FIRST_BAN_MS: u64 = 2 * 60_000;
/// The longest ban: 3 days.
pub const MAX_BAN_MS: u64 = 3 * 86_400_000;

const MINUTE_MS: u64 = 60_000;
const FIVE_MINUTES_MS: u64 = 5 * MINUTE_MS;

/// A response extension by which a handler reports a weight that depends on its parameters
/// (e.g. `order/test` with `computeCommissionRates`), overriding the endpoint table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestWeight(pub u32);

/// What one client address has used and whether it is banned.
#[derive(Debug, Default, Clone, Copy)]
struct IpRecord {
    /// (minute number, weight used in it).
    weight: Window,
    /// (5-minute window number, requests in it).
    raw: Window,
    /// After a 429, the end of the window it was sent for: another request over the limit before then
    /// earns a ban.
    warned_until_ms: u64,
    /// The current ban's end (0: none).
    banned_until_ms: u64,
    /// Bans so far: the next one lasts `FIRST_BAN_MS << bans`, capped at `MAX_BAN_MS`.
    bans: u32,
}

/// Whether a request may go on, and the weight used by its address in the current minute (the
/// `X-MBX-USED-WEIGHT-1M` value).
#[derive(Debug)]
pub struct Admission {
    /// Weight used in the current minute, this request included.
    pub used_weight: u32,
    /// `Some`: the request is refused with this (429 or 418) and never reaches its handler.
    pub refusal: Option<SandboxError>,
}

/// Request weight and raw request counts per client address, with the 429-then-418 escalation.
#[derive(Debug, Default)]
pub struct IpLimiter {
    /// Address (`None`: unknown, e.g. a router driven without a socket) -> record.
    records: Mutex<FastMap<Option<IpAddr>, IpRecord>>,
}

/// Seconds from `now_ms` to `until_ms`, rounded up (what `Retry-After` carries).
fn seconds_until(until_ms: u64, now_ms: u64) -> u64 {
    until_ms.saturating_sub(now_ms).div_ceil(1000)
}

/// Rolls `w` to the window of length `len_ms` holding `now_ms`; returns the window's end.
fn roll(w: &mut Window, now_ms: u64, len_ms: u64) -> u64 {
    let n = now_ms / len_ms;
    if w.0 != n {
        *w = (n, 0);
    }
    (n + 1).saturating_mul(len_ms)
}

impl IpLimiter {
    /// Counts a request of `weight` from `ip` at `now_ms` against `limits`, and says whether it may go
    /// on. A banned address is refused without counting.
    pub fn admit(&self, ip: Option<IpAddr>, now_ms: u64, weight: u32, limits: RateLimits) -> Admission {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() > 4096 {
            records
                .retain(|_, r| r.banned_until_ms > now_ms || r.bans > 0 || r.weight.0 == now_ms / MINUTE_MS);
        }
        let r = records.entry(ip).or_default();
        let minute_end = roll(&mut r.weight, now_ms, MINUTE_MS);
        let five_end = roll(&mut r.raw, now_ms, FIVE_MINUTES_MS);
        if r.banned_until_ms > now_ms {
            let refusal = banned(r.banned_until_ms, now_ms, "is still banned");
            return Admission { used_weight: r.weight.1, refusal: Some(refusal) };
        }
        r.weight.1 = r.weight.1.saturating_add(weight);
        r.raw.1 = r.raw.1.saturating_add(1);
        let over_weight = r.weight.1 > limits.request_weight_per_minute;
        let over_raw = r.raw.1 > limits.raw_requests_per_5m;
        let used_weight = r.weight.1;
        if !over_weight && !over_raw {
            return Admission { used_weight, refusal: None };
        }
        if now_ms < r.warned_until_ms {
            let ban =
                FIRST_BAN_MS.saturating_mul(1u64.checked_shl(r.bans).unwrap_or(u64::MAX)).min(MAX_BAN_MS);
            r.bans = r.bans.saturating_add(1);
            r.banned_until_ms = now_ms.saturating_add(ban);
            r.warned_until_ms = 0;
            let refusal = banned(r.banned_until_ms, now_ms, "kept sending after a 429 and is banned");
            return Admission { used_weight, refusal: Some(refusal) };
        }
        let (error, until, hint) = if over_weight {
            let limit = limits.request_weight_per_minute;
            (
                ApiError::with_args(ErrorCode::TOO_MANY_REQUESTS, 1, &[&limit.to_string(), "1 MINUTE"]),
                minute_end,
                format!(
                    "This address used {} request weight this minute, over the limit of {limit}; wait for Retry-After (the WebSocket API's error.data.retryAfter) before sending again, or the address is banned (418).",
                    r.weight.1
                ),
            )
        } else {
            let limit = limits.raw_requests_per_5m;
            // errors.md has no message for RAW_REQUESTS; its first `-1003` message is used.
            (
                ApiError::new(ErrorCode::TOO_MANY_REQUESTS),
                five_end,
                format!(
                    "This address sent {} requests in these 5 minutes, over the RAW_REQUESTS limit of {limit}; wait for Retry-After (the WebSocket API's error.data.retryAfter) before sending again, or the address is banned (418).",
                    r.raw.1
                ),
            )
        };
        r.warned_until_ms = until;
        let refusal = SandboxError::Limited {
            error,
            retry_after_secs: seconds_until(until, now_ms),
            retry_at_ms: until,
            hint,
        };
        Admission { used_weight, refusal: Some(refusal) }
    }

    /// Adds `extra` weight to `ip`'s current minute (a handler reported more than the table's weight);
    /// returns the minute's total.
    pub fn add(&self, ip: Option<IpAddr>, now_ms: u64, extra: u32) -> u32 {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let r = records.entry(ip).or_default();
        roll(&mut r.weight, now_ms, MINUTE_MS);
        r.weight.1 = r.weight.1.saturating_add(extra);
        r.weight.1
    }

    /// Takes `less` weight back from `ip`'s current minute (a handler found the request lighter than
    /// the table's weight, e.g. `myPreventedMatches` with an invalid symbol); returns the minute's
    /// total.
    pub fn refund(&self, ip: Option<IpAddr>, now_ms: u64, less: u32) -> u32 {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let r = records.entry(ip).or_default();
        roll(&mut r.weight, now_ms, MINUTE_MS);
        r.weight.1 = r.weight.1.saturating_sub(less);
        r.weight.1
    }
}

/// The 418 answer for an address banned until `until_ms`.
fn banned(until_ms: u64, now_ms: u64, what: &str) -> SandboxError {
    let mut error = ApiError::with_args(ErrorCode::TOO_MANY_REQUESTS, 2, &[&until_ms.to_string()]);
    error.http_status = 418;
    let secs = seconds_until(until_ms, now_ms);
    SandboxError::Limited {
        error,
        retry_after_secs: secs,
        retry_at_ms: until_ms,
        hint: format!(
            "This address {what} for {secs} more second(s) (bans grow from 2 minutes to 3 days); stop sending until Retry-After (the WebSocket API's error.data.retryAfter) has passed, and back off after any 429."
        ),
    }
}

/// The header carrying the account's order count in the current 10 seconds.
pub const ORDER_COUNT_10S: HeaderName = HeaderName::from_static("x-mbx-order-count-10s");
/// The header carrying the account's order count in the current UTC day.
pub const ORDER_COUNT_1D: HeaderName = HeaderName::from_static("x-mbx-order-count-1d");

/// A window's number (time / window length) and the count in it.
type Window = (u64, u32);

/// Orders placed per account in the current 10-second window and UTC day.
#[derive(Debug, Default)]
pub struct OrderCounter {
    /// Account -> (10 s window, day).
    counts: Mutex<FastMap<i64, (Window, Window)>>,
}

impl OrderCounter {
    fn update(&self, account_id: i64, now_ms: u64, add: u32) -> (u32, u32) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let slot = counts.entry(account_id).or_insert(((0, 0), (0, 0)));
        roll_counts(slot, now_ms);
        slot.0.1 = slot.0.1.saturating_add(add);
        slot.1.1 = slot.1.1.saturating_add(add);
        (slot.0.1, slot.1.1)
    }

    /// Counts one order of `account_id` at `now_ms`; returns the (10 s, day) counts.
    pub fn add(&self, account_id: i64, now_ms: u64) -> (u32, u32) {
        self.update(account_id, now_ms, 1)
    }

    /// The (10 s, day) counts of `account_id` at `now_ms`.
    pub fn get(&self, account_id: i64, now_ms: u64) -> (u32, u32) {
        self.update(account_id, now_ms, 0)
    }

    /// Whether `account_id` may place one more order at `now_ms` under `limits`: `-1015` (429, with
    /// `Retry-After` until the full window rolls over) when either `ORDERS` limit is reached.
    pub fn check(&self, account_id: i64, now_ms: u64, limits: RateLimits) -> Result<(), SandboxError> {
        let (ten_s, day) = self.get(account_id, now_ms);
        over_limit(ten_s, day, 1, now_ms, limits).map_or(Ok(()), Err)
    }

    /// Checks room for `orders` more orders of `account_id` ([`OrderCounter::check`]) and, if there
    /// is, counts them, in one step; returns the (10 s, day) counts with them.
    pub fn reserve(
        &self,
        account_id: i64,
        now_ms: u64,
        orders: u32,
        limits: RateLimits,
    ) -> Result<(u32, u32), SandboxError> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let slot = counts.entry(account_id).or_insert(((0, 0), (0, 0)));
        roll_counts(slot, now_ms);
        if let Some(refusal) = over_limit(slot.0.1, slot.1.1, orders, now_ms, limits) {
            return Err(refusal);
        }
        slot.0.1 = slot.0.1.saturating_add(orders);
        slot.1.1 = slot.1.1.saturating_add(orders);
        Ok((slot.0.1, slot.1.1))
    }

    /// Takes back `orders` counted by [`OrderCounter::reserve`] at `reserved_ms` (the engine refused
    /// them), from the windows that still hold that time.
    pub fn release(&self, account_id: i64, reserved_ms: u64, orders: u32) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = counts.get_mut(&account_id) {
            if slot.0.0 == reserved_ms / TEN_SECONDS_MS {
                slot.0.1 = slot.0.1.saturating_sub(orders);
            }
            if slot.1.0 == reserved_ms / DAY_MS {
                slot.1.1 = slot.1.1.saturating_sub(orders);
            }
        }
    }

    /// An order of `account_id` traded for the first time at `now_ms`: one fewer unfilled order in the
    /// current 10-second and day windows (never below zero). An account that never placed an order
    /// (the market maker's) is left alone.
    pub fn filled(&self, account_id: i64, now_ms: u64) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = counts.get_mut(&account_id) {
            roll_counts(slot, now_ms);
            slot.0.1 = slot.0.1.saturating_sub(1);
            slot.1.1 = slot.1.1.saturating_sub(1);
        }
    }
}

const TEN_SECONDS_MS: u64 = 10_000;
const DAY_MS: u64 = 86_400_000;

/// Moves an account's (10 s, day) windows to those holding `now_ms`, starting them at zero.
fn roll_counts(slot: &mut (Window, Window), now_ms: u64) {
    let (window, day) = (now_ms / TEN_SECONDS_MS, now_ms / DAY_MS);
    if slot.0.0 != window {
        slot.0 = (window, 0);
    }
    if slot.1.0 != day {
        slot.1 = (day, 0);
    }
}

/// The `-1015` refusal when `adding` orders to these counts passes a limit.
fn over_limit(ten_s: u32, day: u32, adding: u32, now_ms: u64, limits: RateLimits) -> Option<SandboxError> {
    let over = |count: u32, limit: u32| u64::from(count) + u64::from(adding) > u64::from(limit);
    let (limit, interval, len_ms, count) = if over(ten_s, limits.orders_per_10s) {
        (limits.orders_per_10s, "10 SECOND", TEN_SECONDS_MS, ten_s)
    } else if over(day, limits.orders_per_day) {
        (limits.orders_per_day, "1 DAY", DAY_MS, day)
    } else {
        return None;
    };
    let until = (now_ms / len_ms + 1).saturating_mul(len_ms);
    Some(SandboxError::Limited {
        error: ApiError::with_args(ErrorCode::TOO_MANY_ORDERS, 1, &[&limit.to_string(), interval]),
        retry_after_secs: seconds_until(until, now_ms),
        retry_at_ms: until,
        hint: format!(
            "This account has {count} unfilled orders counted in the current {interval} window; {adding} more would pass the ORDERS limit of {limit}, so nothing was placed. Wait for Retry-After (the WebSocket API's error.data.retryAfter), or let orders fill (each order's first fill takes it off the count)."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(l: &IpLimiter, ip: Option<IpAddr>, now: u64, w: u32) -> u32 {
        let a = l.admit(ip, now, w, RateLimits::default());
        assert!(a.refusal.is_none(), "{a:?}");
        a.used_weight
    }

    #[test]
    fn limiter_resets_each_minute_and_separates_addresses() {
        let l = IpLimiter::default();
        let a = Some(IpAddr::from([127, 0, 0, 1]));
        let b = Some(IpAddr::from([127, 0, 0, 2]));
        assert_eq!(used(&l, a, 60_000, 20), 20);
        assert_eq!(used(&l, a, 119_999, 1), 21);
        assert_eq!(used(&l, b, 119_999, 1), 1);
        assert_eq!(used(&l, a, 120_000, 1), 1);
        assert_eq!(l.add(a, 120_000, 4), 5);
    }

    #[test]
    fn limiter_429_then_418_with_growing_bans() {
        let limits = RateLimits { request_weight_per_minute: 2, ..RateLimits::default() };
        let l = IpLimiter::default();
        let ip = None;
        let status = |a: Admission| a.refusal.map(|e| (e.status().as_u16(), e.api_error().unwrap().code));
        assert_eq!(status(l.admit(ip, 0, 2, limits)), None);
        assert_eq!(status(l.admit(ip, 1_500, 1, limits)), Some((429, ErrorCode::TOO_MANY_REQUESTS)));
        let Some(SandboxError::Limited { retry_after_secs, error, .. }) =
            l.admit(ip, 2_000, 1, limits).refusal
        else {
            panic!("no ban")
        };
        assert_eq!((error.http_status, retry_after_secs), (418, 120));
        assert_eq!(
            error.msg,
            "Way too much request weight used; IP banned until 122000. Please use WebSocket Streams for live updates to avoid bans."
        );
        // Still banned a minute later; free after the ban; the second ban lasts twice as long.
        assert_eq!(status(l.admit(ip, 62_000, 1, limits)).map(|s| s.0), Some(418));
        assert_eq!(status(l.admit(ip, 122_000, 1, limits)), None);
        assert_eq!(status(l.admit(ip, 122_001, 5, limits)).map(|s| s.0), Some(429));
        let Some(SandboxError::Limited { retry_after_secs, .. }) = l.admit(ip, 122_002, 1, limits).refusal
        else {
            panic!("no second ban")
        };
        assert_eq!(retry_after_secs, 240);
    }

    #[test]
    fn ban_length_is_capped_at_three_days() {
        let l = IpLimiter::default();
        l.records
            .lock()
            .unwrap()
            .insert(None, IpRecord { bans: 40, warned_until_ms: u64::MAX, ..IpRecord::default() });
        let limits = RateLimits { request_weight_per_minute: 0, ..RateLimits::default() };
        let Some(SandboxError::Limited { retry_after_secs, .. }) = l.admit(None, 0, 1, limits).refusal else {
            panic!("no ban")
        };
        assert_eq!(retry_after_secs, MAX_BAN_MS / 1000);
    }

    #[test]
    fn order_counter_refuses_over_limit() {
        let limits = RateLimits { orders_per_10s: 2, ..RateLimits::default() };
        let c = OrderCounter::default();
        c.add(1, 1_000);
        assert!(c.check(1, 1_000, limits).is_ok());
        c.add(1, 1_000);
        let Err(SandboxError::Limited { error, retry_after_secs, retry_at_ms, .. }) =
            c.check(1, 1_500, limits)
        else {
            panic!("not limited")
        };
        assert_eq!((error.http_status, retry_after_secs), (429, 9));
        // The window's end itself: the 10-second windows reset at 00, 10, 20...
        assert_eq!(retry_at_ms, 10_000);
        assert_eq!(error.msg, "Too many new orders; current limit is 2 orders per 10 SECOND.");
        assert!(c.check(1, 10_000, limits).is_ok());
    }

    #[test]
    fn order_counter_reserve_release_and_first_fills() {
        let limits = RateLimits { orders_per_10s: 3, ..RateLimits::default() };
        let c = OrderCounter::default();
        assert_eq!(c.reserve(1, 1_000, 2, limits).unwrap(), (2, 2));
        assert!(c.reserve(1, 1_000, 2, limits).is_err(), "2 + 2 is over 3");
        assert_eq!(c.get(1, 1_000), (2, 2), "a refusal counts nothing");
        c.release(1, 1_000, 1);
        assert_eq!(c.get(1, 1_000), (1, 1));
        c.filled(1, 2_000);
        assert_eq!(c.get(1, 2_000), (0, 0));
        c.filled(1, 2_000);
        assert_eq!(c.get(1, 2_000), (0, 0), "never below zero");
        // A release for a window that has passed leaves the new window alone.
        c.add(1, 10_000);
        c.release(1, 2_000, 1);
        assert_eq!(c.get(1, 10_000), (1, 0));
        // An account with no orders is not created by a fill.
        c.filled(2, 10_000);
        assert!(!c.counts.lock().unwrap().contains_key(&2));
    }

    #[test]
    fn order_counter_windows() {
        let c = OrderCounter::default();
        assert_eq!(c.add(1, 86_400_000), (1, 1));
        assert_eq!(c.add(1, 86_409_999), (2, 2));
        assert_eq!(c.get(1, 86_410_000), (0, 2));
        assert_eq!(c.add(2, 86_410_000), (1, 1));
        assert_eq!(c.add(1, 2 * 86_400_000), (1, 1));
    }
}
