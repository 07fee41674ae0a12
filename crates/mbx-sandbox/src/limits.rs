//! Request weight: a per-IP counter for the current minute, reported on every response as
//! `X-MBX-USED-WEIGHT-1M`; order counts: per account, for the current 10 seconds and UTC day,
//! reported on order responses as `X-MBX-ORDER-COUNT-10S` and `X-MBX-ORDER-COUNT-1D`.
//!
//! This milestone counts and reports; it does not yet refuse (429/418 come with the limits work), and
//! it counts every accepted order (Binance's decrement for orders that fill is not modelled).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// The header carrying the weight used in the current minute.
pub const USED_WEIGHT_1M: &str = "x-mbx-used-weight-1m";

/// A response extension by which a handler reports a weight that depends on its parameters
/// (e.g. `order/test` with `computeCommissionRates`), overriding the endpoint table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestWeight(pub u32);

/// Weight used per client address in the current minute.
#[derive(Debug, Default)]
pub struct WeightLedger {
    /// Address (`None`: unknown, e.g. a router driven without a socket) -> (minute, weight used).
    used: Mutex<HashMap<Option<IpAddr>, (u64, u32)>>,
}

impl WeightLedger {
    /// Adds `weight` for `ip` in the minute holding `now_ms`; returns the minute's total.
    pub fn add(&self, ip: Option<IpAddr>, now_ms: u64, weight: u32) -> u32 {
        let minute = now_ms / 60_000;
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.len() > 4096 {
            used.retain(|_, (m, _)| *m == minute);
        }
        let slot = used.entry(ip).or_insert((minute, 0));
        if slot.0 != minute {
            *slot = (minute, 0);
        }
        slot.1 = slot.1.saturating_add(weight);
        slot.1
    }
}

/// The header carrying the account's order count in the current 10 seconds.
pub const ORDER_COUNT_10S: &str = "x-mbx-order-count-10s";
/// The header carrying the account's order count in the current UTC day.
pub const ORDER_COUNT_1D: &str = "x-mbx-order-count-1d";

/// A window's number (time / window length) and the count in it.
type Window = (u64, u32);

/// Orders placed per account in the current 10-second window and UTC day.
#[derive(Debug, Default)]
pub struct OrderCounter {
    /// Account -> (10 s window, day).
    counts: Mutex<HashMap<i64, (Window, Window)>>,
}

impl OrderCounter {
    fn update(&self, account_id: i64, now_ms: u64, add: u32) -> (u32, u32) {
        let (window, day) = (now_ms / 10_000, now_ms / 86_400_000);
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let slot = counts.entry(account_id).or_insert(((window, 0), (day, 0)));
        if slot.0.0 != window {
            slot.0 = (window, 0);
        }
        if slot.1.0 != day {
            slot.1 = (day, 0);
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_resets_each_minute_and_separates_addresses() {
        let l = WeightLedger::default();
        let a = Some(IpAddr::from([127, 0, 0, 1]));
        let b = Some(IpAddr::from([127, 0, 0, 2]));
        assert_eq!(l.add(a, 60_000, 20), 20);
        assert_eq!(l.add(a, 119_999, 1), 21);
        assert_eq!(l.add(b, 119_999, 1), 1);
        assert_eq!(l.add(a, 120_000, 1), 1);
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
