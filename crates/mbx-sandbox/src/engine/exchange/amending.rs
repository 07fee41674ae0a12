//! Order amend keep priority (`PUT /api/v3/order/amend/keepPriority`): an open order's quantity
//! lowered in place, keeping its place in the book, and the amendments read back.
//!
//! # Checks, first failure wins, nothing changed until all pass
//!
//! | check | answer |
//! |---|---|
//! | no open order of the account on the symbol matches `orderId` / `origClientOrderId` | `-2038 Unknown order sent.` |
//! | `newQty` above the order's quantity | `-2038 Order amend (quantity increase) is not supported.` |
//! | `newQty` equal to it | `-2038 The requested action would change no state; rejecting` |
//! | a pending order of an OPO list | `-2038 Order amend (pending OPO order) is not supported.` |
//! | `newQty` off `LOT_SIZE` (`MARKET_LOT_SIZE` for an order without a price) | `-1013 Filter failure: LOT_SIZE` |
//! | a priced order's `price * newQty` outside `NOTIONAL` | `-1013 Filter failure: NOTIONAL` |
//! | the order amended `MAX_NUM_ORDER_AMENDS` times already | `-2038 Filter failure: MAX_NUM_ORDER_AMENDS` (filters.md gives the code) |
//! | `newClientOrderId` held by another open order | `-2038 Duplicate order sent.` |
//!
//! # What changes
//!
//! The order's quantity becomes `newQty` and its client order id `newClientOrderId` (or a new random
//! one; sending the current one keeps it). Its place in the book (`book_seq`) stays. What it locks
//! shrinks in proportion to what it may still execute, and the difference is freed. Each change is
//! an [`Amendment`] with its own `executionId`. An OCO's legs have one quantity: amending either
//! amends both (the other keeps its client order id). The unfilled order count does not change
//! (rest-api.md: 0). An order left with nothing to execute (`newQty` at or below what it executed)
//! leaves the book `EXPIRED`: the docs say an amendment can expire an order (CHANGELOG 2026-04-02)
//! without saying when; the sandbox does it then.

use mbx_core::model::{OrderStatus, Side};
use rust_decimal::Decimal;

use super::lists::ListWithOrders;
use super::{Exchange, OrderRef, amend_rejected, has_limit};
use crate::engine::order::Order;
use crate::engine::order_list::ContingencyType;
use crate::engine::records::Amendment;
use crate::error::{Result, SandboxError};
use crate::keys::random_client_id;
use crate::market::MAX_NUM_ORDER_AMENDS;

/// Length of a generated `clientOrderId`.
const CLIENT_ID_LEN: usize = 22;

/// An amendment, read and checked by the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendRequest {
    /// The account.
    pub account_id: i64,
    /// Symbol index in the market.
    pub symbol: usize,
    /// The order (`orderId`, `origClientOrderId`).
    pub which: OrderRef,
    /// Wire: newClientOrderId.
    pub new_client_order_id: Option<String>,
    /// Wire: newQty.
    pub new_qty: Decimal,
    /// When it arrived (ms).
    pub now_ms: u64,
}

/// An amended order and its amendment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amended {
    /// The order after the amendment.
    pub order: Order,
    /// Its client order id before.
    pub orig_client_order_id: String,
    /// The amendment's `executionId`.
    pub execution_id: u64,
    /// Its order list, when it is in one, with the list's orders as they stand.
    pub list: Option<ListWithOrders>,
}

impl Exchange {
    /// The open order of `account` on `symbol` that `which` names.
    fn find_open(&self, account: i64, symbol: &str, which: &OrderRef) -> Option<u64> {
        let id = match (which.order_id, &which.client_order_id) {
            (Some(id), _) => id,
            (None, Some(cid)) => *self.mem.client_ids.get(&(account, symbol.to_owned(), cid.clone()))?,
            (None, None) => return None,
        };
        let o = self.mem.open.get(&id)?;
        let cid_matches = which.client_order_id.as_ref().is_none_or(|cid| o.client_order_id == *cid);
        (o.account_id == account && o.symbol == symbol && cid_matches).then_some(id)
    }

    /// Lowers an open order's quantity in place (see the module docs).
    pub fn amend(&mut self, req: AmendRequest) -> Result<Amended> {
        let spec = self.spec(req.symbol)?;
        let symbol = spec.symbol.clone();
        let account = req.account_id;
        let new_qty = req.new_qty;
        let unknown = || {
            amend_rejected(
                "Unknown order sent.",
                format!(
                    "No open order of this account on {symbol} matches {}; only open orders can be amended.",
                    describe(&req.which)
                ),
            )
        };
        let id = self.find_open(account, &symbol, &req.which).ok_or_else(unknown)?;
        let order = self.mem.open.get(&id).cloned().ok_or_else(unknown)?;
        // An OCO's legs share one quantity: both are amended.
        // Its list, open or (a leg that works on after its list is done) from the store.
        let list = match order.order_list_id {
            Some(l) => match self.mem.lists.get(&l) {
                Some(open) => Some(open.clone()),
                None => self.store.find_order_list(account, Some(l), None)?,
            },
            None => None,
        };
        // A pending order of an OPO list takes its quantity from what the working order buys.
        if order.status == OrderStatus::PendingNew
            && list.as_ref().is_some_and(|l| l.contingency_type == ContingencyType::Opo)
        {
            return Err(amend_rejected(
                "Order amend (pending OPO order) is not supported.",
                "An OPO's pending order sells what its working order buys; amend the working order, or cancel the list.",
            ));
        }
        let mut legs = vec![order.clone()];
        if let Some(list) = list.as_ref().filter(|l| l.contingency_type == ContingencyType::Oco) {
            legs.extend(
                list.order_ids.iter().filter(|o| **o != id).filter_map(|o| self.mem.open.get(o)).cloned(),
            );
        }
        for leg in &legs {
            if new_qty > leg.orig_qty {
                return Err(amend_rejected(
                    "Order amend (quantity increase) is not supported.",
                    format!(
                        "newQty {} is above the order's quantity {}; an amendment can only lower it (cancel-replace to raise it).",
                        new_qty.normalize(),
                        leg.orig_qty.normalize()
                    ),
                ));
            }
            if new_qty == leg.orig_qty {
                return Err(amend_rejected(
                    "The requested action would change no state; rejecting",
                    format!("newQty equals the order's quantity {}; send a lower one.", new_qty.normalize()),
                ));
            }
        }
        let lot = if has_limit(&order.order_type) { &spec.lot_size } else { &spec.market_lot_size };
        if !lot.passes(new_qty) {
            return Err(crate::order::filter_failure(
                if has_limit(&order.order_type) { "LOT_SIZE" } else { "MARKET_LOT_SIZE" },
                format!(
                    "newQty {} is not within [{}, {}] in steps of {}.",
                    new_qty.normalize(),
                    lot.min_qty.normalize(),
                    lot.max_qty.normalize(),
                    lot.step_size.normalize()
                ),
            ));
        }
        // A priced order's value at the new quantity (the FAQ: an amendment that fails the filters
        // is refused).
        let value = order.price.checked_mul(new_qty).unwrap_or(Decimal::MAX);
        if has_limit(&order.order_type) && !spec.notional.passes(value) {
            return Err(crate::order::filter_failure(
                "NOTIONAL",
                format!(
                    "price {} * newQty {} = {} is outside NOTIONAL [{}, {}].",
                    order.price.normalize(),
                    new_qty.normalize(),
                    value.normalize(),
                    spec.notional.min_notional.normalize(),
                    spec.notional.max_notional.normalize()
                ),
            ));
        }
        let amended = self.mem.amend_counts.get(&id).copied().unwrap_or(0);
        if amended >= MAX_NUM_ORDER_AMENDS {
            return Err(SandboxError::rejected(
                mbx_core::ApiError::with_msg(
                    mbx_core::ErrorCode::ORDER_AMEND_REJECTED,
                    "Filter failure: MAX_NUM_ORDER_AMENDS",
                ),
                format!(
                    "The order has been amended {amended} times, the MAX_NUM_ORDER_AMENDS limit; cancel-replace it instead."
                ),
            ));
        }
        let new_cid = req.new_client_order_id.clone().unwrap_or_else(|| random_client_id(CLIENT_ID_LEN));
        if new_cid != order.client_order_id
            && self.mem.client_ids.contains_key(&(account, symbol.clone(), new_cid.clone()))
        {
            return Err(amend_rejected(
                "Duplicate order sent.",
                format!("Another open order on {symbol} has clientOrderId {new_cid:?}; use a new id."),
            ));
        }
        // The list's orders as stored (for a leg that works on after its list is done), read before
        // anything changes: a failed read refuses the amendment whole.
        let stored = match &list {
            Some(l) => self.store.orders_of_lists(&[l.order_list_id])?,
            None => Vec::new(),
        };
        // Every check passed: change.
        let mut execution_id = 0;
        let mut amended_order = order.clone();
        let leg_ids: Vec<u64> = legs.iter().map(|l| l.order_id).collect();
        for (i, leg) in legs.into_iter().enumerate() {
            let cid = if i == 0 { new_cid.clone() } else { leg.client_order_id.clone() };
            let (leg, exec) = self.amend_one(leg, new_qty, cid, req.symbol, req.now_ms);
            if i == 0 {
                execution_id = exec;
                amended_order = leg;
            }
        }
        // A leg left with nothing to execute leaves the book.
        let done: Vec<Order> = leg_ids
            .iter()
            .filter_map(|l| self.mem.open.get(l))
            .filter(|o| o.remaining().is_zero())
            .cloned()
            .collect();
        for o in done {
            let finished = self.finish(o, OrderStatus::Expired, req.now_ms);
            if finished.order_id == id {
                amended_order = finished;
            }
        }
        let list = match list {
            Some(mut list) => {
                if let Some(current) = self.mem.lists.get(&list.order_list_id).cloned() {
                    list = current;
                }
                let renamed = amended_order.client_order_id != order.client_order_id;
                if renamed {
                    // Its listStatus goes out, `UPDATED` (the FAQ), naming every order.
                    self.batch.order_lists.entry(list.order_list_id).or_insert_with(|| list.clone());
                }
                let mut orders = Vec::new();
                for id in &list.order_ids {
                    let current = self.batch.orders.get(id).map(|o| &**o).or_else(|| self.mem.open.get(id));
                    let Some(o) = current.or_else(|| stored.iter().find(|o| o.order_id == *id)).cloned()
                    else {
                        continue;
                    };
                    // Open legs only: a closed one saved again would be reported again.
                    if renamed && o.is_open() {
                        self.save(&o);
                    }
                    orders.push(o);
                }
                Some(ListWithOrders { list, orders })
            }
            None => None,
        };
        Ok(Amended { order: amended_order, orig_client_order_id: order.client_order_id, execution_id, list })
    }

    /// Amends one open order to `new_qty` and `cid`; returns it and the amendment's execution id.
    fn amend_one(
        &mut self,
        mut order: Order,
        new_qty: Decimal,
        cid: String,
        sym: usize,
        now: u64,
    ) -> (Order, u64) {
        let execution_id = self.mem.ids.amendment_after(self.users.last_execution_id());
        let before = order.remaining();
        let amendment = Amendment {
            execution_id,
            account_id: order.account_id,
            symbol: order.symbol.clone(),
            order_id: order.order_id,
            orig_client_order_id: order.client_order_id.clone(),
            new_client_order_id: cid.clone(),
            orig_qty: order.orig_qty,
            new_qty,
            time_ms: now,
        };
        order.orig_qty = new_qty;
        let after = order.remaining();
        // The lock follows what the order may still execute.
        let keep = if before.is_zero() {
            Decimal::ZERO
        } else {
            order.locked.checked_mul(after).and_then(|v| v.checked_div(before)).unwrap_or(Decimal::ZERO)
        };
        let release = (order.locked - keep).max(Decimal::ZERO);
        if let Some(spec) = self.symbols.get(sym) {
            let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
            self.mem.ledger.unlock(order.account_id, asset, release);
        }
        order.locked -= release;
        if order.book_seq.is_some() {
            // Same place in the book; its level shrinks.
            self.note_level(sym, &order.side, order.price);
            let update = self.mem.ids.update();
            self.mem.books[sym].touch(update);
        }
        if cid != order.client_order_id {
            self.mem.client_ids.remove(&(
                order.account_id,
                order.symbol.clone(),
                order.client_order_id.clone(),
            ));
            self.mem.client_ids.insert((order.account_id, order.symbol.clone(), cid.clone()), order.order_id);
            order.client_order_id = cid;
        }
        order.update_ms = now;
        *self.mem.amend_counts.entry(order.order_id).or_insert(0) += 1;
        self.batch.amendments.push(amendment);
        self.mem.open.insert(order.order_id, order.clone());
        self.save(&order);
        (order, execution_id)
    }

    /// `order/amendments`: the amendments of one order of `account`, oldest first.
    pub fn amendments(
        &self,
        account: i64,
        sym: usize,
        order_id: u64,
        from_execution_id: Option<u64>,
        limit: u32,
    ) -> Result<Vec<Amendment>> {
        let symbol = self.symbol_name(sym);
        Ok(self.store.amendments(account, symbol, order_id, from_execution_id, limit)?)
    }
}

/// How a request named its order, for hints.
fn describe(which: &OrderRef) -> String {
    match (&which.order_id, &which.client_order_id) {
        (Some(id), Some(cid)) => format!("orderId {id} with origClientOrderId {cid:?}"),
        (Some(id), None) => format!("orderId {id}"),
        (None, Some(cid)) => format!("origClientOrderId {cid:?}"),
        (None, None) => "nothing".into(),
    }
}
