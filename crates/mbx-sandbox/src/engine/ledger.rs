//! Balances in memory: free and locked amounts per account and asset, exact decimals, with the set
//! of balances changed since the last commit.
//!
//! The ledger never lets an amount go below zero: callers check [`Ledger::free`] before spending,
//! and a spend beyond what is there is clamped (and caught by a debug assertion), so a bug shows up
//! in tests rather than as a negative balance on the wire.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

/// One balance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Amounts {
    free: Decimal,
    locked: Decimal,
}

/// Every account's balances.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    balances: HashMap<(i64, String), Amounts>,
    dirty: BTreeSet<(i64, String)>,
}

impl Ledger {
    /// Loads a balance as stored (not marked changed).
    pub fn load(&mut self, account_id: i64, asset: String, free: Decimal, locked: Decimal) {
        self.balances.insert((account_id, asset), Amounts { free, locked });
    }

    fn entry(&mut self, account_id: i64, asset: &str) -> &mut Amounts {
        let key = (account_id, asset.to_owned());
        self.dirty.insert(key.clone());
        self.balances.entry(key).or_default()
    }

    /// The free amount (zero for an asset never held).
    pub fn free(&self, account_id: i64, asset: &str) -> Decimal {
        self.balances.get(&(account_id, asset.to_owned())).map_or(Decimal::ZERO, |a| a.free)
    }

    /// The locked amount.
    pub fn locked(&self, account_id: i64, asset: &str) -> Decimal {
        self.balances.get(&(account_id, asset.to_owned())).map_or(Decimal::ZERO, |a| a.locked)
    }

    /// Moves `amount` from free to locked; false (and nothing changes) when free is short.
    pub fn lock(&mut self, account_id: i64, asset: &str, amount: Decimal) -> bool {
        if amount.is_zero() {
            return true;
        }
        if self.free(account_id, asset) < amount {
            return false;
        }
        let a = self.entry(account_id, asset);
        a.free -= amount;
        a.locked += amount;
        true
    }

    /// Moves `amount` from locked back to free.
    pub fn unlock(&mut self, account_id: i64, asset: &str, amount: Decimal) {
        if amount.is_zero() {
            return;
        }
        let a = self.entry(account_id, asset);
        debug_assert!(a.locked >= amount, "unlock {amount} of {asset} beyond locked {}", a.locked);
        let amount = amount.min(a.locked);
        a.locked -= amount;
        a.free += amount;
    }

    /// Pays `amount` out of locked funds (a resting order's fill).
    pub fn spend_locked(&mut self, account_id: i64, asset: &str, amount: Decimal) {
        let a = self.entry(account_id, asset);
        debug_assert!(a.locked >= amount, "spend {amount} of locked {asset} beyond {}", a.locked);
        a.locked = (a.locked - amount).max(Decimal::ZERO);
    }

    /// Pays `amount` out of free funds (an incoming order's fill).
    pub fn spend_free(&mut self, account_id: i64, asset: &str, amount: Decimal) {
        let a = self.entry(account_id, asset);
        debug_assert!(a.free >= amount, "spend {amount} of free {asset} beyond {}", a.free);
        a.free = (a.free - amount).max(Decimal::ZERO);
    }

    /// Adds `amount` to free funds.
    pub fn credit(&mut self, account_id: i64, asset: &str, amount: Decimal) {
        if amount.is_zero() {
            return;
        }
        self.entry(account_id, asset).free += amount;
    }

    /// The balances changed since the last call: (account, asset) -> (free, locked).
    pub fn take_changed(&mut self) -> BTreeMap<(i64, String), (Decimal, Decimal)> {
        let dirty = std::mem::take(&mut self.dirty);
        dirty
            .into_iter()
            .map(|key| {
                let a = self.balances.get(&key).copied().unwrap_or_default();
                (key, (a.free, a.locked))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_lock_unlock_spend_credit() {
        let mut l = Ledger::default();
        l.load(1, "USDT".into(), Decimal::from(100), Decimal::ZERO);
        assert!(!l.lock(1, "USDT", Decimal::from(101)));
        assert!(l.take_changed().is_empty(), "a refused lock changes nothing");
        assert!(l.lock(1, "USDT", Decimal::from(60)));
        l.spend_locked(1, "USDT", Decimal::from(10));
        l.unlock(1, "USDT", Decimal::from(50));
        l.credit(1, "BTC", Decimal::ONE);
        assert_eq!((l.free(1, "USDT"), l.locked(1, "USDT")), (Decimal::from(90), Decimal::ZERO));
        let changed = l.take_changed();
        assert_eq!(changed.len(), 2);
        assert_eq!(changed[&(1, "BTC".to_owned())], (Decimal::ONE, Decimal::ZERO));
        assert!(l.take_changed().is_empty());
    }
}
