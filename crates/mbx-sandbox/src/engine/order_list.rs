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
}
