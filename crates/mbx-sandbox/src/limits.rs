//! Request weight: a per-IP counter for the current minute, reported on every response as
//! `X-MBX-USED-WEIGHT-1M`.
//!
//! This milestone counts and reports; it does not yet refuse (429/418 come with the limits work).

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
}
