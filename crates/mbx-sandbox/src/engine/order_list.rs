//! An order list as the engine keeps it: an OCO's two orders, tied so that when one of them acts the
//! other goes; or an OTO's (OPO's) working order and the pending order(s) it places once it fills.
//!
//! ```text
//!  OCO:   (placed) ──▶ EXECUTING ──▶ ALL_DONE   a leg trades or is triggered: the other is EXPIRED;
//!                                               a leg ends otherwise (self-trade prevention): likewise;
//!                                               the owner cancels the list or either leg: both CANCELED
//!  OTO:   (placed) ──▶ EXECUTING                the working order works, the pending order(s) wait
//!                          │                    (PENDING_NEW, out of the book)
//!                          ├──▶ EXECUTING       the working order FILLED: the pending order(s) are placed
//!                          │        └──▶ ALL_DONE   a pending order acts or ends (as an OCO's leg)
//!                          └──▶ ALL_DONE        the working order ends unfilled: the pending order(s)
//!                                               EXPIRED (CANCELED when the owner cancelled)
//! ```
//!
//! On the wire the two states are `listStatusType` `EXEC_STARTED` / `ALL_DONE` and
//! `listOrderStatus` `EXECUTING` / `ALL_DONE`. A leg that still works after its list is done (the
//! limit leg, partially filled) goes on as an ordinary order that names its list. An OTO list's
//! first order is its working order; an OTOCO's pending pair follows, stop-loss leg first.
//!
//! An expired leg says why (`expiryReason`, `eR`): `OCO_TRIGGER` when the other leg acted,
//! `OTO_PHASE_ONE_EXPIRED` for pending orders whose working order ended unfilled, `REJECTED` for
//! pending orders that could not be placed, else the leg's own terms. It is derived from the list
//! and its orders ([`leg_expiry_reason`]) whenever a leg is read or reported, not stored.

use mbx_core::model::{ExpiryReason, OrderStatus, OrderType};
use rust_decimal::Decimal;

use super::order::Order;

/// The kinds of order list the sandbox takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContingencyType {
    /// One-cancels-the-other: `OCO`.
    Oco,
    /// One-triggers-the-other (OTO, or OTOCO with a pending pair): `OTO`.
    Oto,
    /// One-pays-the-other (OPO, OPOCO): an OTO whose pending order(s) sell what the working order
    /// bought. `OTO` on the wire, as the docs' examples show; stored as `OPO`.
    Opo,
}

impl ContingencyType {
    /// Wire: contingencyType.
    pub fn wire(self) -> &'static str {
        match self {
            ContingencyType::Oco => "OCO",
            ContingencyType::Oto | ContingencyType::Opo => "OTO",
        }
    }

    /// The stored spelling (`OPO` apart from `OTO`, which the wire does not tell).
    pub fn stored(self) -> &'static str {
        match self {
            ContingencyType::Opo => "OPO",
            other => other.wire(),
        }
    }

    /// The type stored as `s` ([`ContingencyType::stored`]).
    pub fn parse(s: &str) -> Option<ContingencyType> {
        match s {
            "OCO" => Some(ContingencyType::Oco),
            "OTO" => Some(ContingencyType::Oto),
            "OPO" => Some(ContingencyType::Opo),
            _ => None,
        }
    }

    /// Whether the list has a working order and pending order(s) (OTO, OPO).
    pub fn triggers(self) -> bool {
        self != ContingencyType::Oco
    }
}

/// Where a list is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStatus {
    /// Its orders work.
    Executing,
    /// Finished: no longer active.
    AllDone,
}

impl ListStatus {
    /// Wire: listStatusType.
    pub fn list_status_type(self) -> &'static str {
        match self {
            ListStatus::Executing => "EXEC_STARTED",
            ListStatus::AllDone => "ALL_DONE",
        }
    }

    /// Wire: listOrderStatus (also the stored spelling).
    pub fn list_order_status(self) -> &'static str {
        match self {
            ListStatus::Executing => "EXECUTING",
            ListStatus::AllDone => "ALL_DONE",
        }
    }

    /// The status stored as `s` ([`ListStatus::list_order_status`]).
    pub fn parse(s: &str) -> Option<ListStatus> {
        match s {
            "EXECUTING" => Some(ListStatus::Executing),
            "ALL_DONE" => Some(ListStatus::AllDone),
            _ => None,
        }
    }
}

/// One order list, open or done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderList {
    /// Wire: orderListId.
    pub order_list_id: u64,
    /// The account that placed it.
    pub account_id: i64,
    /// Wire: symbol.
    pub symbol: String,
    /// Wire: contingencyType.
    pub contingency_type: ContingencyType,
    /// Wire: listStatusType and listOrderStatus.
    pub status: ListStatus,
    /// Wire: listClientOrderId.
    pub list_client_order_id: String,
    /// Its orders' ids, in the list's order.
    pub order_ids: Vec<u64>,
    /// When it was placed (ms).
    pub time_ms: u64,
    /// Wire: transactionTime of a status report: its last status change (ms).
    pub update_ms: u64,
}

impl OrderList {
    /// Whether its orders still work as a list.
    pub fn is_open(&self) -> bool {
        self.status == ListStatus::Executing
    }

    /// Whether `order_id` is one of its pending orders (an OTO's or OPO's, after the working one).
    pub fn is_pending(&self, order_id: u64) -> bool {
        self.contingency_type.triggers()
            && self.order_ids.first() != Some(&order_id)
            && self.order_ids.contains(&order_id)
    }
}

/// Wire: expiryReason / `eR` of `leg`, an order of `list`, given the list's orders `legs` at hand
/// (any of them, `leg` among them or not; user-data-stream.md's "Order Expiry Reason" table and
/// enums.md). `None` unless `leg` is `EXPIRED`.
///
/// * An OTO's (OPO's) working order: its own terms ([`Order::terms_expiry_reason`]).
/// * A pending order whose working order ended unfilled: `OTO_PHASE_ONE_EXPIRED`. A working order
///   not among `legs` (the events of a later command) had filled: its pending orders outlived it.
/// * A pending order placed once its working order filled, alone: its own terms when it was placed
///   (`workingTime` set; a pending stop order once triggered), else `REJECTED` (it could not be
///   placed: filters, funds).
/// * An OCO's leg, or a placed pending pair's: its own terms if it acted itself (it traded, or it is
///   a stop leg that triggered); else `OCO_TRIGGER` when the other leg acted or ended otherwise
///   (filled, expired in match), or the whole OCO expired; a pending pair that could not be placed
///   (neither leg ever worked) is `REJECTED`.
pub fn leg_expiry_reason(list: &OrderList, legs: &[Order], leg: &Order) -> Option<ExpiryReason> {
    if leg.status != OrderStatus::Expired {
        return None;
    }
    let find = |id: &u64| legs.iter().find(|o| o.order_id == *id);
    let pair: &[u64] = if list.contingency_type.triggers() {
        if list.order_ids.first() == Some(&leg.order_id) {
            return Some(leg.terms_expiry_reason());
        }
        let working = list.order_ids.first().and_then(find);
        if working.is_some_and(|w| w.status != OrderStatus::Filled) {
            return Some(ExpiryReason::OtoPhaseOneExpired);
        }
        let pending = list.order_ids.get(1..).unwrap_or_default();
        if pending.len() < 2 {
            return Some(if leg.working_time >= 0 {
                leg.terms_expiry_reason()
            } else {
                ExpiryReason::Rejected
            });
        }
        pending
    } else {
        &list.order_ids
    };
    if acted(leg) {
        return Some(leg.terms_expiry_reason());
    }
    let other_acted = pair.iter().filter(|id| **id != leg.order_id).filter_map(find).any(|o| {
        acted(o) || (o.status.is_final() && !matches!(o.status, OrderStatus::Expired | OrderStatus::Canceled))
    });
    if !other_acted && list.contingency_type.triggers() && leg.working_time < 0 {
        return Some(ExpiryReason::Rejected);
    }
    Some(ExpiryReason::OcoTrigger)
}

/// Sets each expired order's [`Order::list_expiry_reason`] in `legs`, orders of `list`.
pub fn derive_expiry_reasons(list: &OrderList, legs: &mut [Order]) {
    let reasons: Vec<Option<ExpiryReason>> = legs.iter().map(|o| leg_expiry_reason(list, legs, o)).collect();
    for (leg, reason) in legs.iter_mut().zip(reasons) {
        leg.list_expiry_reason = reason;
    }
}

/// Whether a leg acted itself: it traded, or it is a stop order that triggered (working).
fn acted(o: &Order) -> bool {
    let stop = matches!(
        o.order_type,
        OrderType::StopLoss | OrderType::StopLossLimit | OrderType::TakeProfit | OrderType::TakeProfitLimit
    );
    o.executed_qty > Decimal::ZERO || (stop && o.working_time >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(kind: ContingencyType, ids: &[u64]) -> OrderList {
        OrderList {
            order_list_id: 1,
            account_id: 1,
            symbol: "BTCUSDT".into(),
            contingency_type: kind,
            status: ListStatus::AllDone,
            list_client_order_id: "l".into(),
            order_ids: ids.to_vec(),
            time_ms: 1,
            update_ms: 1,
        }
    }

    fn leg(id: u64, t: OrderType, status: OrderStatus, working_time: i64) -> Order {
        let mut o = Order::sample(id, "c", status);
        o.order_type = t;
        o.working_time = working_time;
        o.order_list_id = Some(1);
        o
    }

    #[test]
    fn an_oco_leg_expires_by_the_other_or_by_itself() {
        let l = list(ContingencyType::Oco, &[1, 2]);
        // The stop leg triggered (working): the LIMIT_MAKER leg expires by it.
        let stop = leg(1, OrderType::StopLoss, OrderStatus::Expired, 5);
        let maker = leg(2, OrderType::LimitMaker, OrderStatus::Expired, 1);
        let legs = [stop.clone(), maker.clone()];
        assert_eq!(leg_expiry_reason(&l, &legs, &maker), Some(ExpiryReason::OcoTrigger));
        // ... and the triggered STOP_LOSS, a market order, ran out of book.
        assert_eq!(leg_expiry_reason(&l, &legs, &stop), Some(ExpiryReason::InsufficientLiquidity));
        // The LIMIT_MAKER leg filled: the untriggered stop leg expires by it.
        let filled = leg(2, OrderType::LimitMaker, OrderStatus::Filled, 1);
        let waiting = leg(1, OrderType::StopLoss, OrderStatus::Expired, -1);
        assert_eq!(
            leg_expiry_reason(&l, &[waiting.clone(), filled], &waiting),
            Some(ExpiryReason::OcoTrigger)
        );
        // Only expired legs have one.
        let cancelled = leg(1, OrderType::StopLoss, OrderStatus::Canceled, -1);
        assert_eq!(leg_expiry_reason(&l, &[], &cancelled), None);
    }

    #[test]
    fn oto_pending_orders_expire_by_their_working_order_or_are_rejected() {
        let l = list(ContingencyType::Oto, &[1, 2, 3]);
        let expired = leg(1, OrderType::Limit, OrderStatus::Expired, 1);
        let pending = leg(2, OrderType::StopLoss, OrderStatus::Expired, -1);
        let legs = [expired.clone(), pending.clone()];
        assert_eq!(leg_expiry_reason(&l, &legs, &pending), Some(ExpiryReason::OtoPhaseOneExpired));
        // The working order's own terms (GTC LIMIT expired: not placed).
        assert_eq!(leg_expiry_reason(&l, &legs, &expired), Some(ExpiryReason::Rejected));
        // The working order filled, the pending pair could not be placed: neither ever worked.
        let filled = leg(1, OrderType::Limit, OrderStatus::Filled, 1);
        let above = leg(3, OrderType::LimitMaker, OrderStatus::Expired, -1);
        let legs = [filled.clone(), pending.clone(), above.clone()];
        assert_eq!(leg_expiry_reason(&l, &legs, &above), Some(ExpiryReason::Rejected));
        assert_eq!(leg_expiry_reason(&l, &legs, &pending), Some(ExpiryReason::Rejected));
        // A placed pair whose LIMIT_MAKER leg traded, reported in a later command (the working
        // order not at hand): OCO_TRIGGER.
        let mut traded = leg(3, OrderType::LimitMaker, OrderStatus::Filled, 2);
        traded.executed_qty = Decimal::ONE;
        assert_eq!(
            leg_expiry_reason(&l, &[pending.clone(), traded], &pending),
            Some(ExpiryReason::OcoTrigger)
        );
        // A single pending order: placed, it expires by its terms; never placed, REJECTED.
        let one = list(ContingencyType::Opo, &[1, 2]);
        let mut ioc = leg(2, OrderType::Limit, OrderStatus::Expired, 3);
        ioc.time_in_force = mbx_core::model::TimeInForce::Ioc;
        assert_eq!(
            leg_expiry_reason(&one, &[filled.clone(), ioc.clone()], &ioc),
            Some(ExpiryReason::UnfilledIocQuantityExpired)
        );
        let unplaced = leg(2, OrderType::Limit, OrderStatus::Expired, -1);
        assert_eq!(
            leg_expiry_reason(&one, &[filled, unplaced.clone()], &unplaced),
            Some(ExpiryReason::Rejected)
        );
    }
}
