//! [`AccountViews`]: every account's committed balances, readable by request handlers without a
//! trip to the engine thread.
//!
//! The engine publishes an account's new snapshot after the commit that changed it and before it
//! answers the command, so a client that reads its account after an acknowledged order sees that
//! order's effect, and nothing uncommitted is ever shown.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::market::amount;
use crate::store::AccountSnapshot;

/// One account as last committed, with its `balances` array already rendered as JSON (rendered
/// once per change on the engine thread, not once per `account` request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    /// The balances.
    pub snapshot: AccountSnapshot,
    /// `balances` with every asset.
    all_json: String,
    /// `balances` without the assets whose free and locked are both zero (`omitZeroBalances`).
    nonzero_json: String,
}

impl AccountView {
    /// Renders `snapshot`'s balances.
    pub fn new(snapshot: AccountSnapshot) -> AccountView {
        let render = |omit_zero: bool| {
            let rows: Vec<_> = snapshot
                .balances
                .iter()
                .filter(|b| !(omit_zero && b.free.is_zero() && b.locked.is_zero()))
                .map(|b| {
                    serde_json::json!({ "asset": b.asset, "free": amount(b.free), "locked": amount(b.locked) })
                })
                .collect();
            // A list of objects of strings always serializes; the asset order is the snapshot's.
            serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned())
        };
        AccountView { all_json: render(false), nonzero_json: render(true), snapshot }
    }

    /// The `balances` array as JSON text, with or without the all-zero balances.
    pub fn balances_json(&self, omit_zero: bool) -> &str {
        if omit_zero { &self.nonzero_json } else { &self.all_json }
    }
}

/// The latest committed view of each account; cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct AccountViews(Arc<RwLock<HashMap<i64, Arc<AccountView>>>>);

impl AccountViews {
    /// An account's balances as last committed, or `None` for an unknown account.
    ///
    /// ```
    /// use mbx_sandbox::engine::AccountViews;
    /// assert!(AccountViews::default().get(1).is_none());
    /// ```
    pub fn get(&self, account_id: i64) -> Option<Arc<AccountView>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).get(&account_id).cloned()
    }

    /// Publishes new snapshots (after their commit).
    pub(super) fn publish(&self, snapshots: impl IntoIterator<Item = AccountSnapshot>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        for s in snapshots {
            map.insert(s.account_id, Arc::new(AccountView::new(s)));
        }
    }

    /// Replaces every snapshot (at start, and after memory is reloaded from the store).
    pub(super) fn replace_all(&self, snapshots: impl IntoIterator<Item = AccountSnapshot>) {
        let fresh: HashMap<_, _> =
            snapshots.into_iter().map(|s| (s.account_id, Arc::new(AccountView::new(s)))).collect();
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = fresh;
    }
}
