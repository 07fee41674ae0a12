//! [`AccountViews`]: every account's committed balances, readable by request handlers without a
//! trip to the engine thread.
//!
//! The engine publishes an account's new snapshot after the commit that changed it and before it
//! answers the command, so a client that reads its account after an acknowledged order sees that
//! order's effect, and nothing uncommitted is ever shown.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::store::AccountSnapshot;

/// The latest committed snapshot of each account; cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct AccountViews(Arc<RwLock<HashMap<i64, Arc<AccountSnapshot>>>>);

impl AccountViews {
    /// An account's balances as last committed, or `None` for an unknown account.
    ///
    /// ```
    /// use mbx_sandbox::engine::AccountViews;
    /// assert!(AccountViews::default().get(1).is_none());
    /// ```
    pub fn get(&self, account_id: i64) -> Option<Arc<AccountSnapshot>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).get(&account_id).cloned()
    }

    /// Publishes new snapshots (after their commit).
    pub(super) fn publish(&self, snapshots: impl IntoIterator<Item = AccountSnapshot>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        for s in snapshots {
            map.insert(s.account_id, Arc::new(s));
        }
    }

    /// Replaces every snapshot (at start, and after memory is reloaded from the store).
    pub(super) fn replace_all(&self, snapshots: impl IntoIterator<Item = AccountSnapshot>) {
        let fresh: HashMap<_, _> = snapshots.into_iter().map(|s| (s.account_id, Arc::new(s))).collect();
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = fresh;
    }
}
