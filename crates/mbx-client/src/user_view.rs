//! The account as a user data stream has shown it ([`UserView`]), and the reconciliation after a
//! gap that both user data streams share ([`crate::UserStream`] over the WebSocket API,
//! [`crate::ListenKeyStream`] by listenKey).
//!
//! A stream keeps a view of the account's open orders (by id: status, executed quantity) and
//! balances (free, locked), seeded from a snapshot when the stream opens and updated by every item
//! it yields. After a gap (a lost connection, an ended subscription, an expired listenKey) the
//! stream subscribes again, then takes a new snapshot (open orders and account) and yields what
//! differs from the view, one item each:
//!
//! * [`UserItem::OrderChanged`]: an open order the view lacks or shows with another status or
//!   executed quantity (placed, or traded, during the gap);
//! * [`UserItem::OrderGone`]: an order the view shows open that no longer is, looked up by id for
//!   its final state (filled, cancelled, expired during the gap);
//! * [`UserItem::BalanceChanged`]: an asset whose free or locked amount differs.
//!
//! A caller that applies every item it reads (events and these) holds, after them, what the
//! exchange holds: [`UserView::apply`] does exactly that, and each stream exposes its own view.
//! Subscribing before the snapshot means no change falls between the two: a change after the
//! snapshot comes as an event, after the reconciliation's items (and moves the view on again).

use std::collections::BTreeMap;

use mbx_core::model::OrderStatus;
use rust_decimal::Decimal;

use crate::Client;
use crate::error::Result;
use crate::types::user::{ExecutionReport, UserEvent};
use crate::types::{Account, Order};
use crate::ws_api::UserItem;

/// One open order as the view holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderView {
    /// The symbol.
    pub symbol: String,
    /// The order's client order id.
    pub client_order_id: String,
    /// Its status (an open one: `NEW`, `PARTIALLY_FILLED`, `PENDING_NEW`).
    pub status: OrderStatus,
    /// How much of it has traded.
    pub executed_qty: Decimal,
    /// The quote amount traded.
    pub cumulative_quote_qty: Decimal,
}

/// One balance as the view holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BalanceView {
    /// Available.
    pub free: Decimal,
    /// Locked in open orders.
    pub locked: Decimal,
}

/// The account's open orders and balances as the items read so far show them (see the module
/// docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserView {
    orders: BTreeMap<u64, OrderView>,
    balances: BTreeMap<String, BalanceView>,
}

impl UserView {
    /// The view of a snapshot: `open_orders` and the account's balances.
    pub fn from_snapshot(account: &Account, open_orders: &[Order]) -> UserView {
        let mut view = UserView::default();
        for o in open_orders {
            view.set_order(o);
        }
        for b in &account.balances {
            view.set_balance(&b.asset, BalanceView { free: b.free, locked: b.locked });
        }
        view
    }

    /// The open orders, by id.
    pub fn open_orders(&self) -> &BTreeMap<u64, OrderView> {
        &self.orders
    }

    /// The balances by asset (an asset with nothing free or locked is absent).
    pub fn balances(&self) -> &BTreeMap<String, BalanceView> {
        &self.balances
    }

    /// The balance of `asset` (zero when absent).
    pub fn balance(&self, asset: &str) -> BalanceView {
        self.balances.get(asset).copied().unwrap_or_default()
    }

    /// Moves the view on by one item of a user data stream: an `executionReport` sets its order
    /// (a final status removes it), `outboundAccountPosition` sets balances, `balanceUpdate` moves
    /// a free amount (its `outboundAccountPosition` follows and sets it exactly), and the
    /// reconciliation items set what they carry. Gaps and unknown events change nothing.
    pub fn apply(&mut self, item: &UserItem) {
        match item {
            UserItem::Event { event, .. } => match UserEvent::parse(event) {
                Ok(UserEvent::ExecutionReport(r)) => self.report(&r),
                Ok(UserEvent::AccountPosition(p)) => {
                    for b in &p.balances {
                        self.set_balance(&b.asset, BalanceView { free: b.free, locked: b.locked });
                    }
                }
                Ok(UserEvent::BalanceUpdate(d)) => {
                    let mut b = self.balance(&d.asset);
                    b.free += d.delta;
                    self.set_balance(&d.asset, b);
                }
                _ => {}
            },
            UserItem::OrderChanged { order } => self.set_order(order),
            UserItem::OrderGone { order_id, .. } => {
                self.orders.remove(order_id);
            }
            UserItem::BalanceChanged { asset, free, locked } => {
                self.set_balance(asset, BalanceView { free: *free, locked: *locked });
            }
            UserItem::Resynced { account, open_orders } => {
                *self = UserView::from_snapshot(account, open_orders)
            }
            UserItem::Gap { .. } => {}
        }
    }

    fn report(&mut self, r: &ExecutionReport) {
        if r.status.is_final() {
            self.orders.remove(&r.order_id);
            return;
        }
        // A cancel's report names the cancel request in `c` and the order in `C`; no other report
        // of an open order carries `C`.
        let client_order_id =
            if r.orig_client_order_id.is_empty() { &r.client_order_id } else { &r.orig_client_order_id };
        self.orders.insert(
            r.order_id,
            OrderView {
                symbol: r.symbol.clone(),
                client_order_id: client_order_id.clone(),
                status: r.status.clone(),
                executed_qty: r.cumulative_quantity,
                cumulative_quote_qty: r.cumulative_quote_quantity,
            },
        );
    }

    fn set_order(&mut self, o: &Order) {
        let status = o.status.clone().unwrap_or(OrderStatus::New);
        if status.is_final() {
            self.orders.remove(&o.order_id);
            return;
        }
        self.orders.insert(
            o.order_id,
            OrderView {
                symbol: o.symbol.clone(),
                client_order_id: o.client_order_id.clone(),
                status,
                executed_qty: o.executed_qty,
                cumulative_quote_qty: o.cummulative_quote_qty,
            },
        );
    }

    fn set_balance(&mut self, asset: &str, b: BalanceView) {
        if b.free.is_zero() && b.locked.is_zero() {
            self.balances.remove(asset);
        } else {
            self.balances.insert(asset.to_owned(), b);
        }
    }

    /// What turns this view into the snapshot (`account`, `open_orders`): the reconciliation items,
    /// orders first (by id), then balances (by asset). An order no longer open is looked up with
    /// `client` for its final state.
    pub async fn diff(&self, client: &Client, account: &Account, open_orders: &[Order]) -> Vec<UserItem> {
        let now = UserView::from_snapshot(account, open_orders);
        let mut items = Vec::new();
        for (id, was) in &self.orders {
            if now.orders.contains_key(id) {
                continue;
            }
            let order = match client.order(&was.symbol, *id).await {
                Ok(o) => Some(Box::new(o)),
                Err(e) => {
                    tracing::warn!(target: "mbx_client::user_view", order_id = id, error = %e, "looking up a closed order");
                    None
                }
            };
            items.push(UserItem::OrderGone { symbol: was.symbol.clone(), order_id: *id, order });
        }
        for o in open_orders {
            let same = match (self.orders.get(&o.order_id), now.orders.get(&o.order_id)) {
                (Some(was), Some(is)) => was.status == is.status && was.executed_qty == is.executed_qty,
                _ => false,
            };
            if !same {
                items.push(UserItem::OrderChanged { order: Box::new(o.clone()) });
            }
        }
        let assets: std::collections::BTreeSet<&String> =
            self.balances.keys().chain(now.balances.keys()).collect();
        for asset in assets {
            let (was, is) = (self.balance(asset), now.balance(asset));
            if was != is {
                items.push(UserItem::BalanceChanged {
                    asset: asset.clone(),
                    free: is.free,
                    locked: is.locked,
                });
            }
        }
        items
    }
}

/// The account and its open orders as they are now.
pub(crate) async fn snapshot(client: &Client) -> Result<(Account, Vec<Order>)> {
    let account = client.account().await?;
    let open_orders = client.open_orders(None).await?;
    Ok((account, open_orders))
}

/// After a gap (the stream subscribed again): the reconciliation items between `view` and a new
/// snapshot, then [`UserItem::Resynced`] with the snapshot itself.
pub(crate) async fn reconcile(view: &UserView, client: &Client) -> Result<Vec<UserItem>> {
    let (account, open_orders) = snapshot(client).await?;
    let mut items = view.diff(client, &account, &open_orders).await;
    items.push(UserItem::Resynced { account: Box::new(account), open_orders });
    Ok(items)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn report(order_id: u64, x: &str, status: &str, l: &str, z: &str, c: &str, orig: &str) -> UserItem {
        let event = json!({
            "e": "executionReport", "E": 1, "s": "BTCUSDT", "c": c, "S": "BUY", "o": "LIMIT", "f": "GTC",
            "q": "2.00000000", "p": "100.00000000", "P": "0.00000000", "F": "0.00000000", "g": -1,
            "C": orig, "x": x, "X": status, "r": "NONE", "i": order_id, "l": l, "z": z,
            "L": "100.00000000", "n": "0", "N": null, "T": 1, "t": -1, "I": 1, "w": true, "m": false,
            "M": false, "O": 1, "Z": "0", "Y": "0", "Q": "0", "W": 1, "V": "NONE"
        });
        UserItem::Event { kind: "executionReport".into(), event }
    }

    fn position(balances: Value) -> UserItem {
        let event = json!({ "e": "outboundAccountPosition", "E": 1, "u": 1, "B": balances });
        UserItem::Event { kind: "outboundAccountPosition".into(), event }
    }

    #[test]
    fn events_move_the_view_on() {
        let mut view = UserView::default();
        view.apply(&report(7, "NEW", "NEW", "0", "0", "mine", ""));
        assert_eq!(view.open_orders()[&7].client_order_id, "mine");
        view.apply(&report(7, "TRADE", "PARTIALLY_FILLED", "0.5", "0.5", "mine", ""));
        let o = &view.open_orders()[&7];
        assert_eq!((o.status.clone(), o.executed_qty), (OrderStatus::PartiallyFilled, Decimal::new(5, 1)));
        // A cancel names the cancel request in `c`, the order in `C`; a final status removes it.
        view.apply(&report(8, "NEW", "NEW", "0", "0", "other", ""));
        view.apply(&report(8, "CANCELED", "CANCELED", "0", "0", "cancel-req", "other"));
        view.apply(&report(7, "TRADE", "FILLED", "1.5", "2", "mine", ""));
        assert!(view.open_orders().is_empty(), "{view:?}");

        view.apply(&position(
            json!([{"a": "USDT", "f": "10.5", "l": "1"}, {"a": "BTC", "f": "0", "l": "0"}]),
        ));
        assert_eq!(view.balance("USDT"), BalanceView { free: Decimal::new(105, 1), locked: Decimal::ONE });
        assert!(!view.balances().contains_key("BTC"), "nothing free or locked: absent");
        let deposit = json!({"e": "balanceUpdate", "E": 1, "a": "USDT", "d": "2", "T": 1});
        view.apply(&UserItem::Event { kind: "balanceUpdate".into(), event: deposit });
        assert_eq!(view.balance("USDT").free, Decimal::new(125, 1));

        // Reconciliation items set what they carry.
        view.apply(&UserItem::BalanceChanged {
            asset: "USDT".into(),
            free: Decimal::ZERO,
            locked: Decimal::ZERO,
        });
        assert!(view.balances().is_empty());
        view.apply(&UserItem::Gap { reason: "test".into() });
        view.apply(&UserItem::OrderGone { symbol: "BTCUSDT".into(), order_id: 7, order: None });
        assert_eq!(view, UserView::default());
    }
}
