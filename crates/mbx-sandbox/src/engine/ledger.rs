//! Balances in memory: free and locked amounts per account and asset, exact decimals, each account's
//! last change time, and the balances touched since the last commit (with their amounts before).
//!
//! The ledger never lets an amount go below zero: callers check [`Ledger::free`] before spending,
//! and a spend beyond what is there is clamped (and caught by a debug assertion), so a bug shows up
//! in tests rather than as a negative balance on the wire.

use crate::hash::FastMap;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::store::{AccountSnapshot, Balance};

/// One balance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Amounts {
    free: Decimal,
    locked: Decimal,
}

/// One account: its balances in asset order (as the store lists them) and its last change.
#[derive(Debug, Default, Clone)]
struct Account {
    balances: BTreeMap<String, Amounts>,
    update_ms: u64,
    /// The balances touched since the last commit, with their amounts before the first touch (a
    /// command touches one to a few of an account's; the vector keeps its room).
    touched: Vec<(String, Amounts)>,
}

/// Every account's balances.
#[derive(Debug, Default, Clone)]
pub struct Ledger {
    accounts: FastMap<i64, Account>,
    /// The accounts with balances touched since the last commit ([`Account::touched`]), each once.
    dirty: Vec<i64>,
}

impl Ledger {
    /// Loads an account as stored (its balances follow with [`Ledger::load`]).
    pub fn load_account(&mut self, account_id: i64, update_ms: u64) {
        self.accounts.entry(account_id).or_default().update_ms = update_ms;
    }

    /// Loads a balance as stored (not marked changed).
    pub fn load(&mut self, account_id: i64, asset: String, free: Decimal, locked: Decimal) {
        self.accounts.entry(account_id).or_default().balances.insert(asset, Amounts { free, locked });
    }

    fn entry(&mut self, account_id: i64, asset: &str) -> &mut Amounts {
        // The asset's name is copied only for a balance, or a first touch, not seen before (every
        // order locks, spends or unlocks a balance here).
        let account = self.accounts.entry(account_id).or_default();
        if !account.balances.contains_key(asset) {
            account.balances.insert(asset.to_owned(), Amounts::default());
        }
        let amounts =
            account.balances.get_mut(asset).expect("the balance is there: inserted above when missing");
        if !account.touched.iter().any(|(touched, _)| touched == asset) {
            if account.touched.is_empty() {
                self.dirty.push(account_id);
            }
            account.touched.push((asset.to_owned(), *amounts));
        }
        amounts
    }

    fn amounts(&self, account_id: i64, asset: &str) -> Amounts {
        self.accounts.get(&account_id).and_then(|a| a.balances.get(asset)).copied().unwrap_or_default()
    }

    /// The free amount (zero for an asset never held).
    pub fn free(&self, account_id: i64, asset: &str) -> Decimal {
        self.amounts(account_id, asset).free
    }

    /// The locked amount.
    pub fn locked(&self, account_id: i64, asset: &str) -> Decimal {
        self.amounts(account_id, asset).locked
    }

    /// An account's balances in asset order, or `None` for an account never loaded or touched.
    pub fn snapshot(&self, account_id: i64) -> Option<AccountSnapshot> {
        let a = self.accounts.get(&account_id)?;
        let balances = a
            .balances
            .iter()
            .map(|(asset, x)| Balance { asset: asset.clone(), free: x.free, locked: x.locked })
            .collect();
        Some(AccountSnapshot { account_id, balances, update_ms: a.update_ms })
    }

    /// Every account id.
    pub fn account_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.accounts.keys().copied()
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

    /// The balances touched since the last call, of the accounts where one of them changed:
    /// (account, asset) -> (free, locked). An account whose touched balances all came back to what
    /// they were (a stop that triggers unlocks and locks the same amount) is left out, as Binance
    /// sends `outboundAccountPosition` only when a balance changed; an account that changed keeps
    /// all its touched assets (the event lists the assets the change possibly touched). Each
    /// account listed is marked as changed at `now_ms`.
    pub fn take_changed(&mut self, now_ms: u64) -> BTreeMap<(i64, String), (Decimal, Decimal)> {
        let mut out = BTreeMap::new();
        for account_id in self.dirty.drain(..) {
            let Some(account) = self.accounts.get_mut(&account_id) else { continue };
            let Account { balances, update_ms, touched } = account;
            let now = |asset: &str| balances.get(asset).copied().unwrap_or_default();
            if touched.iter().any(|(asset, before)| now(asset) != *before) {
                *update_ms = now_ms;
                out.extend(touched.drain(..).map(|(asset, _)| {
                    let a = now(&asset);
                    ((account_id, asset), (a.free, a.locked))
                }));
            } else {
                touched.clear();
            }
        }
        out
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
        assert!(l.take_changed(7).is_empty(), "a refused lock changes nothing");
        assert!(l.lock(1, "USDT", Decimal::from(60)));
        l.spend_locked(1, "USDT", Decimal::from(10));
        l.unlock(1, "USDT", Decimal::from(50));
        l.credit(1, "BTC", Decimal::ONE);
        assert_eq!((l.free(1, "USDT"), l.locked(1, "USDT")), (Decimal::from(90), Decimal::ZERO));
        let changed = l.take_changed(7);
        assert_eq!(changed.len(), 2);
        assert_eq!(changed[&(1, "BTC".to_owned())], (Decimal::ONE, Decimal::ZERO));
        assert!(l.take_changed(7).is_empty());
        let snap = l.snapshot(1).unwrap();
        assert_eq!(snap.update_ms, 7);
        let assets: Vec<_> = snap.balances.iter().map(|b| b.asset.as_str()).collect();
        assert_eq!(assets, ["BTC", "USDT"], "asset order, as the store lists them");
        assert!(l.snapshot(2).is_none());
    }

    #[test]
    fn ledger_leaves_out_an_account_whose_balances_came_back() {
        let mut l = Ledger::default();
        l.load_account(1, 3);
        l.load(1, "USDT".into(), Decimal::from(100), Decimal::from(40));
        l.load(1, "BTC".into(), Decimal::ONE, Decimal::ZERO);
        // A triggered stop: its locked amount released and locked again.
        l.unlock(1, "USDT", Decimal::from(40));
        assert!(l.lock(1, "USDT", Decimal::from(40)));
        assert!(l.take_changed(9).is_empty(), "nothing changed: no outboundAccountPosition");
        assert_eq!(l.snapshot(1).unwrap().update_ms, 3, "updateTime stays");
        // One asset back where it was, another changed: both are listed.
        l.unlock(1, "USDT", Decimal::from(40));
        assert!(l.lock(1, "USDT", Decimal::from(40)));
        l.credit(1, "BTC", Decimal::ONE);
        let changed = l.take_changed(9);
        assert_eq!(changed.len(), 2);
        assert_eq!(changed[&(1, "USDT".to_owned())], (Decimal::from(100), Decimal::from(40)));
    }
}
