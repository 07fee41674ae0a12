//! An order as the engine keeps it, and its lifecycle.
//!
//! ```text
//!                 ┌──────────── fill ───────────┐
//!  (placed) ──▶ NEW ──fill──▶ PARTIALLY_FILLED ──fill──▶ FILLED
//!                │                 │
//!                ├─────────────────┴──▶ CANCELED          (the owner cancels)
//!                ├─────────────────┴──▶ EXPIRED           (IOC/FOK/MARKET rest, book ran out)
//!                └─────────────────┴──▶ EXPIRED_IN_MATCH  (self-trade prevention)
//! ```
//!
//! Only `NEW` and `PARTIALLY_FILLED` orders are open; every other status is final
//! ([`OrderStatus::is_final`]). An untriggered stop order is `NEW` with `working_time == -1`.
//! An order list's pending order is `PENDING_NEW` (`working_time == -1`, out of the book) until its
//! working order fills; it is kept among the open orders (`exchange/oto.rs`) though not
//! [`Order::is_open`].
//!
//! Three optional states ride along: an [`Iceberg`] shows only a slice of its rest in the book, a
//! [`Trailing`] stop tracks the best price since it started tracking, and a [`Peg`] order takes its
//! `price` from the book (the price it was sent with, if any, is kept for the answers).
//!
//! [`OrderTerms`] is what a new order asks for: read and checked by [`crate::order`], then carried to
//! the engine unchanged inside a [`PlaceRequest`](super::PlaceRequest).

use mbx_core::model::{
    ExpiryReason, OrderStatus, OrderType, PegPriceType, SelfTradePreventionMode, Side, TimeInForce,
};
use rust_decimal::Decimal;

/// The terms of a new order: mbx-core's one type, parsed and checked by [`crate::order`].
pub use mbx_core::order::OrderTerms;

/// One order, open or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Wire: orderId.
    pub order_id: u64,
    /// The account that placed it.
    pub account_id: i64,
    /// Wire: symbol.
    pub symbol: String,
    /// Wire: clientOrderId.
    pub client_order_id: String,
    /// Wire: side.
    pub side: Side,
    /// Wire: type.
    pub order_type: OrderType,
    /// Wire: timeInForce (`GTC` for types that take none, as Binance shows them).
    pub time_in_force: TimeInForce,
    /// Wire: price (zero for MARKET and STOP_LOSS / TAKE_PROFIT).
    pub price: Decimal,
    /// Wire: origQty (for a MARKET order by `quoteOrderQty`, the quantity it executed).
    pub orig_qty: Decimal,
    /// Wire: executedQty.
    pub executed_qty: Decimal,
    /// Wire: cummulativeQuoteQty.
    pub cumm_quote_qty: Decimal,
    /// Wire: origQuoteOrderQty.
    pub orig_quote_order_qty: Decimal,
    /// Wire: stopPrice (stop and take-profit orders only).
    pub stop_price: Option<Decimal>,
    /// Wire: status.
    pub status: OrderStatus,
    /// Wire: selfTradePreventionMode.
    pub stp_mode: SelfTradePreventionMode,
    /// What the order holds of its account's balance: quote asset for a BUY, base asset for a SELL.
    pub locked: Decimal,
    /// Wire: time (placement, ms).
    pub time_ms: u64,
    /// Wire: updateTime (ms).
    pub update_ms: u64,
    /// Wire: workingTime (ms), -1 while not working.
    pub working_time: i64,
    /// Position in its book's time priority, while resting.
    pub book_seq: Option<u64>,
    /// Wire: preventedMatchId (set when self-trade prevention expired or decremented it).
    pub prevented_match_id: Option<u64>,
    /// Wire: preventedQuantity.
    pub prevented_qty: Option<Decimal>,
    /// Wire: orderListId (`None`, shown as -1, for an order on its own).
    pub order_list_id: Option<u64>,
    /// Wire: strategyId (shown only when sent).
    pub strategy_id: Option<u64>,
    /// Wire: strategyType (shown only when sent; 1000000 or more).
    pub strategy_type: Option<u32>,
    /// Wire: usedSor: placed through `POST /api/v3/sor/order` (its taker executions are allocations).
    pub used_sor: bool,
    /// An iceberg's slices (`icebergQty` sent).
    pub iceberg: Option<Iceberg>,
    /// A trailing stop's tracking (`trailingDelta` sent).
    pub trailing: Option<Trailing>,
    /// A pegged order's instructions (`pegPriceType` sent).
    pub peg: Option<Peg>,
    /// Wire: expiryReason of an expired order list leg, which depends on its list: derived from the
    /// list ([`leg_expiry_reason`](super::order_list::leg_expiry_reason)) when the order is read or
    /// reported, never stored (`None` as loaded).
    pub list_expiry_reason: Option<ExpiryReason>,
}

/// An order's strategy labels, as sent (`strategyId`, `strategyType`; an order list's legs spell
/// them with the leg's prefix, e.g. `workingStrategyId`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Strategy {
    /// Wire: strategyId.
    pub id: Option<u64>,
    /// Wire: strategyType.
    pub kind: Option<u32>,
}

/// What an iceberg shows: slices of `qty` of its rest, one at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iceberg {
    /// Wire: icebergQty.
    pub qty: Decimal,
    /// What is left of the slice in the book now (zero until the order rests).
    pub shown: Decimal,
}

/// A trailing stop's state (the trailing stop FAQ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailing {
    /// Wire: trailingDelta (BIPS).
    pub delta: u64,
    /// Wire: trailingTime: when it started tracking; -1 until then.
    pub time: i64,
    /// The best last trade price since it started tracking: the highest for a SELL, the lowest for
    /// a BUY; `None` until a price is known.
    pub best: Option<Decimal>,
}

/// A pegged order's instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peg {
    /// Wire: pegPriceType.
    pub price_type: PegPriceType,
    /// Wire: pegOffsetValue (with pegOffsetType `PRICE_LEVEL`), when sent.
    pub offset: Option<u32>,
    /// Wire: price: what the order was sent with (zero when not sent); the order's own `price` is
    /// the pegged price it works at.
    pub sent_price: Decimal,
    /// Wire: peggedPrice, once determined (at placement, or at the trigger of a stop-limit).
    pub pegged_price: Option<Decimal>,
}

impl Order {
    /// Labels the order with `strategy`.
    pub fn label(&mut self, strategy: Strategy) {
        self.strategy_id = strategy.id;
        self.strategy_type = strategy.kind;
    }

    /// A LIMIT BUY of 1 at 1 on BTCUSDT by account 1, placed at `id` ms (tests).
    #[cfg(test)]
    pub(crate) fn sample(id: u64, client_order_id: &str, status: OrderStatus) -> Order {
        Order {
            order_id: id,
            account_id: 1,
            symbol: "BTCUSDT".into(),
            client_order_id: client_order_id.into(),
            side: Side::Buy,
            order_type: OrderType::Limit,
            time_in_force: TimeInForce::Gtc,
            price: Decimal::ONE,
            orig_qty: Decimal::ONE,
            executed_qty: Decimal::ZERO,
            cumm_quote_qty: Decimal::ZERO,
            orig_quote_order_qty: Decimal::ZERO,
            stop_price: None,
            status,
            stp_mode: SelfTradePreventionMode::None,
            locked: Decimal::ONE,
            time_ms: id,
            update_ms: id,
            working_time: i64::try_from(id).unwrap_or(0),
            book_seq: None,
            prevented_match_id: None,
            prevented_qty: None,
            order_list_id: None,
            strategy_id: None,
            strategy_type: None,
            used_sor: false,
            iceberg: None,
            trailing: None,
            peg: None,
            list_expiry_reason: None,
        }
    }

    /// Wire: price as the answers show it: a pegged order's `price` is the one it was sent with.
    pub fn shown_price(&self) -> Decimal {
        self.peg.as_ref().map_or(self.price, |p| p.sent_price)
    }

    /// Quantity the book shows of this order: an iceberg's current slice, else its whole rest.
    pub fn displayed(&self) -> Decimal {
        match &self.iceberg {
            Some(i) if i.qty > Decimal::ZERO => i.shown.min(self.remaining()),
            _ => self.remaining(),
        }
    }

    /// Whether this is an iceberg (`icebergQty` > 0; filters.md `MAX_NUM_ICEBERG_ORDERS`).
    pub fn is_iceberg(&self) -> bool {
        self.iceberg.as_ref().is_some_and(|i| i.qty > Decimal::ZERO)
    }

    /// Quantity still to execute.
    pub fn remaining(&self) -> Decimal {
        (self.orig_qty - self.executed_qty - self.prevented_qty.unwrap_or(Decimal::ZERO)).max(Decimal::ZERO)
    }

    /// `NEW` or `PARTIALLY_FILLED`.
    pub fn is_open(&self) -> bool {
        matches!(self.status, OrderStatus::New | OrderStatus::PartiallyFilled)
    }

    /// Wire: isWorking. False for an untriggered stop order.
    pub fn is_working(&self) -> bool {
        self.working_time >= 0
    }

    /// Whether the order rests in its book (open and working).
    pub fn is_resting(&self) -> bool {
        self.is_open() && self.is_working() && self.book_seq.is_some()
    }

    /// Records an execution of `qty` for `quote`; the status follows.
    pub fn fill(&mut self, qty: Decimal, quote: Decimal, now_ms: u64) {
        self.executed_qty += qty;
        self.cumm_quote_qty += quote;
        self.update_ms = now_ms;
        self.status = if self.remaining().is_zero() && !self.orig_qty.is_zero() {
            OrderStatus::Filled
        } else {
            OrderStatus::PartiallyFilled
        };
    }

    /// Records quantity that self-trade prevention took away (`DECREMENT`, or the rest when expired).
    pub fn prevent(&mut self, qty: Decimal, match_id: u64, now_ms: u64) {
        self.prevented_qty = Some(self.prevented_qty.unwrap_or(Decimal::ZERO) + qty);
        self.prevented_match_id = Some(match_id);
        self.update_ms = now_ms;
    }

    /// Closes the order with a final status; it leaves its book.
    pub fn close(&mut self, status: OrderStatus, now_ms: u64) {
        debug_assert!(status.is_final());
        self.status = status;
        self.book_seq = None;
        self.update_ms = now_ms;
    }

    /// Wire: expiryReason (`eR` in `executionReport`), for an `EXPIRED` order: for an order on its
    /// own, [`Order::terms_expiry_reason`]; for an order list's leg, whose reason (`OCO_TRIGGER`,
    /// `OTO_PHASE_ONE_EXPIRED`, ...) depends on its list, [`Order::list_expiry_reason`] as derived
    /// from the list. `None` for other statuses.
    pub fn expiry_reason(&self) -> Option<ExpiryReason> {
        if self.status != OrderStatus::Expired {
            return None;
        }
        if self.order_list_id.is_some() {
            return self.list_expiry_reason.clone();
        }
        Some(self.terms_expiry_reason())
    }

    /// Why the order expired by its own terms, read from the order rather than stored: a FOK order
    /// expires unfilled, an IOC order's rest expires, a MARKET (or triggered STOP_LOSS /
    /// TAKE_PROFIT) order runs out of book; a GTC order expires only when it could not be placed (a
    /// triggered stop-limit, or a list's pending order): `REJECTED`.
    pub fn terms_expiry_reason(&self) -> ExpiryReason {
        match (&self.time_in_force, &self.order_type) {
            (TimeInForce::Fok, _) => ExpiryReason::UnfilledFokOrderExpired,
            (TimeInForce::Ioc, _) => ExpiryReason::UnfilledIocQuantityExpired,
            (_, OrderType::Market | OrderType::StopLoss | OrderType::TakeProfit) => {
                ExpiryReason::InsufficientLiquidity
            }
            _ => ExpiryReason::Rejected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(qty: i64) -> Order {
        Order {
            order_id: 1,
            account_id: 1,
            symbol: "BTCUSDT".into(),
            client_order_id: "c".into(),
            side: Side::Buy,
            order_type: OrderType::Limit,
            time_in_force: TimeInForce::Gtc,
            price: Decimal::ONE,
            orig_qty: Decimal::from(qty),
            executed_qty: Decimal::ZERO,
            cumm_quote_qty: Decimal::ZERO,
            orig_quote_order_qty: Decimal::ZERO,
            stop_price: None,
            status: OrderStatus::New,
            stp_mode: SelfTradePreventionMode::None,
            locked: Decimal::ZERO,
            time_ms: 0,
            update_ms: 0,
            working_time: 0,
            book_seq: Some(1),
            prevented_match_id: None,
            prevented_qty: None,
            order_list_id: None,
            strategy_id: None,
            strategy_type: None,
            used_sor: false,
            iceberg: None,
            trailing: None,
            peg: None,
            list_expiry_reason: None,
        }
    }

    #[test]
    fn order_fill_moves_status_forward() {
        let mut o = order(3);
        o.fill(Decimal::ONE, Decimal::ONE, 5);
        assert_eq!((o.status.clone(), o.remaining()), (OrderStatus::PartiallyFilled, Decimal::TWO));
        o.prevent(Decimal::ONE, 7, 6);
        assert_eq!(o.remaining(), Decimal::ONE);
        o.fill(Decimal::ONE, Decimal::ONE, 8);
        assert_eq!(o.status, OrderStatus::Filled);
        assert!(!o.is_open());
        o.close(OrderStatus::Filled, 9);
        assert!(!o.is_resting());
    }
}
