//! Cancelling: one open order (`DELETE /api/v3/order`, with `cancelRestrictions`), all of an
//! account's open orders on a symbol (`DELETE /api/v3/openOrders`, order lists with their legs), and
//! cancel-replace (`POST /api/v3/order/cancelReplace`).

use mbx_core::model::OrderStatus;

use super::{Exchange, ListWithOrders, OrderRef, PlaceRequest, Placed, cancel_rejected};
use crate::engine::order::Order;
use crate::error::Result;

/// `cancelRestrictions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelRestriction {
    /// `ONLY_NEW`.
    OnlyNew,
    /// `ONLY_PARTIALLY_FILLED`.
    OnlyPartiallyFilled,
}

/// What `DELETE /api/v3/openOrders` cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cancelled {
    /// Orders on their own, by id.
    pub orders: Vec<Order>,
    /// Order lists, each with its legs as they ended.
    pub lists: Vec<ListWithOrders>,
}

/// A cancel-replace, read and checked by the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelReplaceRequest {
    /// The account.
    pub account_id: i64,
    /// Symbol index in the market.
    pub symbol: usize,
    /// The order to cancel (`cancelOrderId`, `cancelOrigClientOrderId`).
    pub cancel: OrderRef,
    /// Wire: cancelRestrictions.
    pub restriction: Option<CancelRestriction>,
    /// The new order; `None` when the unfilled order count refused it (`CANCEL_ONLY`).
    pub new_order: Option<PlaceRequest>,
    /// `cancelReplaceMode=ALLOW_FAILURE`: place even if the cancel failed.
    pub allow_failure: bool,
    /// When it arrived (ms).
    pub now_ms: u64,
    /// Wire: cancelNewClientOrderId (sent or generated), the cancel's `executionReport` `c`.
    pub cancel_client_id: String,
}

/// The outcome of a cancel-replace: the cancel's, and the new order's if it was attempted.
#[derive(Debug)]
pub struct CancelReplaced {
    /// The cancelled order, or why the cancel failed.
    pub cancel: Result<Order>,
    /// The new order, or why it failed; `None` when not attempted.
    pub placed: Option<Result<Placed>>,
}

impl Exchange {
    /// Cancels one open order of `account` (`DELETE /api/v3/order`).
    pub fn cancel(
        &mut self,
        account: i64,
        sym: usize,
        which: &OrderRef,
        restriction: Option<CancelRestriction>,
        now: u64,
    ) -> Result<Order> {
        // The list shared, not the symbol's name copied (every cancel reads it).
        let symbols = self.symbols.clone();
        let symbol = symbols.get(sym).map_or("", |s| s.symbol.as_str());
        let unknown = || {
            cancel_rejected(
                "Unknown order sent.",
                format!(
                    "No open order of this account on {symbol} matches {}; it may be filled, cancelled or expired already (GET /api/v3/order tells).",
                    describe(which)
                ),
            )
        };
        let id = match (which.order_id, &which.client_order_id) {
            (Some(id), cid) => {
                let o = self.mem.open.get(&id).filter(|o| o.account_id == account && o.symbol == symbol);
                match (o, cid) {
                    (Some(o), Some(cid)) if o.client_order_id != *cid => return Err(unknown()),
                    (Some(_), _) => id,
                    (None, _) => return Err(unknown()),
                }
            }
            (None, Some(cid)) => {
                *self.mem.client_ids.get(&(account, symbol.to_owned(), cid.clone())).ok_or_else(unknown)?
            }
            (None, None) => return Err(unknown()),
        };
        let order = self.mem.open.get(&id).cloned().ok_or_else(unknown)?;
        let allowed = match restriction {
            None => true,
            Some(CancelRestriction::OnlyNew) => order.status == OrderStatus::New,
            Some(CancelRestriction::OnlyPartiallyFilled) => order.status == OrderStatus::PartiallyFilled,
        };
        if !allowed {
            return Err(cancel_rejected(
                "Order was not canceled due to cancel restrictions.",
                format!("The order is {}, which cancelRestrictions excludes.", order.status),
            ));
        }
        Ok(self.finish(order, OrderStatus::Canceled, now))
    }

    /// Cancels every open order of `account` on `sym` (`DELETE /api/v3/openOrders`), oldest first;
    /// an order list's legs are cancelled with their list.
    pub fn cancel_all(&mut self, account: i64, sym: usize, now: u64) -> Result<Cancelled> {
        let symbol = self.symbols.get(sym).map(|s| s.symbol.clone()).unwrap_or_default();
        let mut ids: Vec<u64> = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == account && o.symbol == symbol)
            .map(|o| o.order_id)
            .collect();
        if ids.is_empty() {
            return Err(cancel_rejected(
                "Unknown order sent.",
                format!("The account has no open orders on {symbol} to cancel."),
            ));
        }
        ids.sort_unstable();
        let mut out = Cancelled::default();
        let mut list_ids = Vec::new();
        for id in ids {
            if let Some(order) = self.mem.open.get(&id).cloned() {
                let order = self.finish(order, OrderStatus::Canceled, now);
                match order.order_list_id {
                    Some(list) if !list_ids.contains(&list) => list_ids.push(list),
                    Some(_) => {}
                    None => out.orders.push(order),
                }
            }
        }
        for id in list_ids {
            if let Some(list) = self.batch.order_lists.get(&id).cloned() {
                let orders = list
                    .order_ids
                    .iter()
                    .filter_map(|o| self.batch.orders.get(o).map(|o| Order::clone(o)))
                    .collect();
                out.lists.push(ListWithOrders { list, orders });
            }
        }
        Ok(out)
    }

    /// Cancels one open order and places another (`POST /api/v3/order/cancelReplace`), in one
    /// transaction. The new order's filters are checked first: a failure there refuses the whole
    /// request. The new order is attempted when the cancel succeeded, or regardless with
    /// `allow_failure`, and only if there is one (the unfilled order count may refuse it). Neither
    /// failure of the two steps undoes the other's success.
    pub fn cancel_replace(&mut self, req: CancelReplaceRequest) -> Result<CancelReplaced> {
        // "Filters and Order Count are evaluated before the processing of the cancellation and
        // order placement occurs" (rest-api.md): a new order its filters refuse cancels nothing.
        if let Some(order) = &req.new_order {
            let spec = self.spec(order.symbol)?;
            crate::order::check_at_average(
                &order.terms,
                &spec,
                self.average_prices(order.symbol, order.now_ms),
            )?;
        }
        self.cancel_request(req.account_id, &req.cancel_client_id);
        let cancel = self.cancel(req.account_id, req.symbol, &req.cancel, req.restriction, req.now_ms);
        let attempt = cancel.is_ok() || req.allow_failure;
        let placed = match req.new_order {
            Some(order) if attempt => Some(self.place(order)),
            _ => None,
        };
        Ok(CancelReplaced { cancel, placed })
    }
}

/// How a cancel named its order, for hints.
fn describe(which: &OrderRef) -> String {
    match (&which.order_id, &which.client_order_id) {
        (Some(id), Some(cid)) => format!("orderId {id} with origClientOrderId {cid:?}"),
        (Some(id), None) => format!("orderId {id}"),
        (None, Some(cid)) => format!("origClientOrderId {cid:?}"),
        (None, None) => "nothing".into(),
    }
}
