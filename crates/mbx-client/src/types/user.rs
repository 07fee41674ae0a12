//! User data events (user-data-stream.md), typed: [`UserEvent::parse`] reads the JSON a
//! [`crate::UserItem::Event`] carries. Amounts are `Decimal`; an event type this version does not
//! type stays [`UserEvent::Other`].

use mbx_core::model::{OrderStatus, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use super::dec;

/// `executionReport`: a change of one of the account's orders (the fields every report has; the
/// rest stay in the event's JSON).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ExecutionReport {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Wire: c, the client order id (for a cancel: the cancel request's).
    #[serde(rename = "c")]
    pub client_order_id: String,
    /// Wire: S.
    #[serde(rename = "S")]
    pub side: Side,
    /// Wire: o.
    #[serde(rename = "o")]
    pub order_type: OrderType,
    /// Wire: f.
    #[serde(rename = "f")]
    pub time_in_force: TimeInForce,
    /// Wire: q.
    #[serde(rename = "q", deserialize_with = "dec::decimal")]
    pub quantity: Decimal,
    /// Wire: p.
    #[serde(rename = "p", deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Wire: P.
    #[serde(rename = "P", deserialize_with = "dec::decimal")]
    pub stop_price: Decimal,
    /// Wire: g (-1 outside a list).
    #[serde(rename = "g")]
    pub order_list_id: i64,
    /// Wire: C, the client order id of the order a cancel ended (empty otherwise).
    #[serde(rename = "C")]
    pub orig_client_order_id: String,
    /// Wire: x, what happened (`NEW`, `TRADE`, `CANCELED`, `EXPIRED`, `REPLACED`, `TRADE_PREVENTION`, ...).
    #[serde(rename = "x")]
    pub execution_type: String,
    /// Wire: X.
    #[serde(rename = "X")]
    pub status: OrderStatus,
    /// Wire: r.
    #[serde(rename = "r")]
    pub reject_reason: String,
    /// Wire: i.
    #[serde(rename = "i")]
    pub order_id: u64,
    /// Wire: l, executed by this event.
    #[serde(rename = "l", deserialize_with = "dec::decimal")]
    pub last_quantity: Decimal,
    /// Wire: z, executed in all.
    #[serde(rename = "z", deserialize_with = "dec::decimal")]
    pub cumulative_quantity: Decimal,
    /// Wire: L.
    #[serde(rename = "L", deserialize_with = "dec::decimal")]
    pub last_price: Decimal,
    /// Wire: n.
    #[serde(rename = "n", deserialize_with = "dec::decimal")]
    pub commission: Decimal,
    /// Wire: N (none before a trade).
    #[serde(rename = "N")]
    pub commission_asset: Option<String>,
    /// Wire: T.
    #[serde(rename = "T")]
    pub transaction_time: u64,
    /// Wire: t (-1 without a trade).
    #[serde(rename = "t")]
    pub trade_id: i64,
    /// Wire: I.
    #[serde(rename = "I")]
    pub execution_id: u64,
    /// Wire: w, whether the order is on the book.
    #[serde(rename = "w")]
    pub on_book: bool,
    /// Wire: m, whether this trade was the maker side.
    #[serde(rename = "m")]
    pub is_maker: bool,
    /// Wire: O.
    #[serde(rename = "O")]
    pub creation_time: u64,
    /// Wire: Z.
    #[serde(rename = "Z", deserialize_with = "dec::decimal")]
    pub cumulative_quote_quantity: Decimal,
    /// Wire: V.
    #[serde(rename = "V")]
    pub self_trade_prevention_mode: SelfTradePreventionMode,
}

/// One balance of `outboundAccountPosition`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PositionBalance {
    /// Wire: a.
    #[serde(rename = "a")]
    pub asset: String,
    /// Wire: f.
    #[serde(rename = "f", deserialize_with = "dec::decimal")]
    pub free: Decimal,
    /// Wire: l.
    #[serde(rename = "l", deserialize_with = "dec::decimal")]
    pub locked: Decimal,
}

/// `outboundAccountPosition`: the balances that changed, as they are now.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountPosition {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: u, the account's last update time.
    #[serde(rename = "u")]
    pub last_update_time: u64,
    /// Wire: B.
    #[serde(rename = "B")]
    pub balances: Vec<PositionBalance>,
}

/// `balanceUpdate` (a deposit, withdrawal or transfer) and `externalLockUpdate` (funds locked or
/// unlocked by a system outside spot trading): an asset and a signed delta.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BalanceDelta {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: a.
    #[serde(rename = "a")]
    pub asset: String,
    /// Wire: d.
    #[serde(rename = "d", deserialize_with = "dec::decimal")]
    pub delta: Decimal,
    /// Wire: T.
    #[serde(rename = "T")]
    pub time: u64,
}

/// One order of a [`ListStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListOrder {
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Wire: i.
    #[serde(rename = "i")]
    pub order_id: u64,
    /// Wire: c.
    #[serde(rename = "c")]
    pub client_order_id: String,
}

/// `listStatus`: an order list (OCO, OTO, OTOCO, OPO, ...) was placed or changed; its orders'
/// own changes come as [`ExecutionReport`]s before it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListStatus {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Wire: g, the order list id.
    #[serde(rename = "g")]
    pub order_list_id: i64,
    /// Wire: c, the contingency type (`OCO`, `OTO`, ...).
    #[serde(rename = "c")]
    pub contingency_type: String,
    /// Wire: l, the list status type (`RESPONSE`, `EXEC_STARTED`, `UPDATED`, `ALL_DONE`).
    #[serde(rename = "l")]
    pub list_status_type: String,
    /// Wire: L, the list order status (`EXECUTING`, `ALL_DONE`, `REJECT`).
    #[serde(rename = "L")]
    pub list_order_status: String,
    /// Wire: r, the list reject reason (`NONE` unless rejected).
    #[serde(rename = "r")]
    pub list_reject_reason: String,
    /// Wire: C, the list's client order id.
    #[serde(rename = "C")]
    pub list_client_order_id: String,
    /// Wire: T.
    #[serde(rename = "T")]
    pub transaction_time: u64,
    /// Wire: O, the list's orders.
    #[serde(rename = "O")]
    pub orders: Vec<ListOrder>,
}

impl ListStatus {
    /// Whether the list is over (`L` is `ALL_DONE` or `REJECT`): none of its orders will change.
    pub fn is_done(&self) -> bool {
        matches!(self.list_order_status.as_str(), "ALL_DONE" | "REJECT")
    }
}

/// A user data event, typed by its `e`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserEvent {
    /// `executionReport`.
    ExecutionReport(Box<ExecutionReport>),
    /// `outboundAccountPosition`.
    AccountPosition(AccountPosition),
    /// `balanceUpdate`.
    BalanceUpdate(BalanceDelta),
    /// `externalLockUpdate`.
    ExternalLockUpdate(BalanceDelta),
    /// `listStatus`.
    ListStatus(ListStatus),
    /// Any other (`eventStreamTerminated`, `serverShutdown`, ...), as sent.
    Other(Value),
}

impl UserEvent {
    /// Reads `event` (the `event` of a `{"subscriptionId","event"}` frame, or a listenKey stream's
    /// frame).
    ///
    /// ```
    /// use mbx_client::types::user::UserEvent;
    /// let e = serde_json::json!({"e": "balanceUpdate", "E": 1, "a": "BTC", "d": "0.50000000", "T": 1});
    /// match UserEvent::parse(&e).unwrap() {
    ///     UserEvent::BalanceUpdate(b) => assert_eq!(b.delta.to_string(), "0.50000000"),
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn parse(event: &Value) -> serde_json::Result<UserEvent> {
        Ok(match event.get("e").and_then(Value::as_str) {
            Some("executionReport") => {
                UserEvent::ExecutionReport(Box::new(ExecutionReport::deserialize(event)?))
            }
            Some("outboundAccountPosition") => {
                UserEvent::AccountPosition(AccountPosition::deserialize(event)?)
            }
            Some("balanceUpdate") => UserEvent::BalanceUpdate(BalanceDelta::deserialize(event)?),
            Some("externalLockUpdate") => UserEvent::ExternalLockUpdate(BalanceDelta::deserialize(event)?),
            Some("listStatus") => UserEvent::ListStatus(ListStatus::deserialize(event)?),
            _ => UserEvent::Other(event.clone()),
        })
    }
}
