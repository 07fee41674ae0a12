//! [`AccountViews`]: every account's committed balances, readable by request handlers without a
//! trip to the engine thread.
//!
//! The engine publishes an account's new snapshot after the commit that changed it and before it
//! answers the command, so a client that reads its account after an acknowledged order sees that
//! order's effect, and nothing uncommitted is ever shown.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use crate::store::AccountSnapshot;
use crate::write::json::{Object, array};

/// One account as last committed. Its `balances` arrays are rendered as JSON by the first request
/// that needs them and then shared: the engine thread, which publishes a view after every commit
/// that changes the account, renders nothing (an order's commit does not wait on JSON that perhaps
/// no one reads), and a run of `account` requests between two changes renders once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    /// The balances.
    pub snapshot: AccountSnapshot,
    /// `balances` with every asset.
    all_json: OnceLock<String>,
    /// `balances` without the assets whose free and locked are both zero (`omitZeroBalances`).
    nonzero_json: OnceLock<String>,
}

impl AccountView {
    /// A view of `snapshot` (nothing rendered yet).
    pub fn new(snapshot: AccountSnapshot) -> AccountView {
        AccountView { snapshot, all_json: OnceLock::new(), nonzero_json: OnceLock::new() }
    }

    /// The `balances` array as JSON text, with or without the all-zero balances, in the
    /// snapshot's asset order.
    ///
    /// ```
    /// use mbx_sandbox::engine::AccountView;
    /// use mbx_sandbox::store::{AccountSnapshot, Balance};
    /// use rust_decimal::Decimal;
    /// let balance = |asset: &str, free| Balance { asset: asset.into(), free, locked: Decimal::ZERO };
    /// let view = AccountView::new(AccountSnapshot {
    ///     account_id: 1,
    ///     balances: vec![balance("BTC", Decimal::ONE), balance("ETH", Decimal::ZERO)],
    ///     update_ms: 0,
    /// });
    /// assert_eq!(view.balances_json(true), r#"[{"asset":"BTC","free":"1.00000000","locked":"0.00000000"}]"#);
    /// assert!(view.balances_json(false).contains(r#""asset":"ETH""#));
    /// ```
    pub fn balances_json(&self, omit_zero: bool) -> &str {
        let cell = if omit_zero { &self.nonzero_json } else { &self.all_json };
        cell.get_or_init(|| render_balances(&self.snapshot, omit_zero))
    }
}

/// `balances` as rest-api.md shows it: `asset`, `free`, `locked`.
fn render_balances(snapshot: &AccountSnapshot, omit_zero: bool) -> String {
    array(snapshot.balances.iter().filter(|b| !(omit_zero && b.free.is_zero() && b.locked.is_zero())).map(
        |b| {
            let mut o = Object::new().field("asset", &b.asset);
            o.amount("free", b.free);
            o.amount("locked", b.locked);
            o.finish()
        },
    ))
}

/// The latest committed view of each account; cheap to clone (shared).
///
/// Each `replace_all` starts a new generation: snapshots taken before it (and
/// published after it, by the durable engine's syncer) are older than what it installed and are
/// dropped.
#[derive(Debug, Clone, Default)]
pub struct AccountViews(Arc<RwLock<Views>>);

/// The views and their generation.
#[derive(Debug, Default)]
struct Views {
    generation: u64,
    map: HashMap<i64, Arc<AccountView>>,
}

impl AccountViews {
    /// An account's balances as last committed, or `None` for an unknown account.
    ///
    /// ```
    /// use mbx_sandbox::engine::AccountViews;
    /// assert!(AccountViews::default().get(1).is_none());
    /// ```
    pub fn get(&self, account_id: i64) -> Option<Arc<AccountView>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).map.get(&account_id).cloned()
    }

    /// Publishes new snapshots (after their commit).
    pub(super) fn publish(&self, snapshots: impl IntoIterator<Item = AccountSnapshot>) {
        let mut views = self.0.write().unwrap_or_else(|e| e.into_inner());
        for s in snapshots {
            views.map.insert(s.account_id, Arc::new(AccountView::new(s)));
        }
    }

    /// Publishes snapshots taken in generation `generation`, unless a [`AccountViews::replace_all`]
    /// came since (what it installed is newer).
    pub(super) fn publish_of(&self, generation: u64, snapshots: Vec<AccountSnapshot>) {
        let mut views = self.0.write().unwrap_or_else(|e| e.into_inner());
        if views.generation == generation {
            for s in snapshots {
                views.map.insert(s.account_id, Arc::new(AccountView::new(s)));
            }
        }
    }

    /// The current generation (see the type's docs).
    pub(super) fn generation(&self) -> u64 {
        self.0.read().unwrap_or_else(|e| e.into_inner()).generation
    }

    /// Replaces every snapshot (at start, and after memory is reloaded from the store), starting a
    /// new generation.
    pub(super) fn replace_all(&self, snapshots: impl IntoIterator<Item = AccountSnapshot>) {
        let fresh: HashMap<_, _> =
            snapshots.into_iter().map(|s| (s.account_id, Arc::new(AccountView::new(s)))).collect();
        let mut views = self.0.write().unwrap_or_else(|e| e.into_inner());
        views.map = fresh;
        views.generation += 1;
    }
}
