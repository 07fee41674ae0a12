//! Records the engine keeps besides orders, lists and trades: prevented matches (self-trade
//! prevention, `myPreventedMatches`) and order amendments (`order/amendments`). Allocations (`SOR`,
//! `myAllocations`) are the taker's fills of an SOR order, told apart by their `alloc_id`
//! ([`super::trade::Fill`]).

use mbx_core::model::SelfTradePreventionMode;
use rust_decimal::Decimal;

/// The `tradeGroupId` of every sandbox account: none (`-1`), so self-trade prevention compares
/// accounts only (stp_faq.md, "What is a Trade Group Id?").
pub const NO_TRADE_GROUP: i64 = -1;

/// One prevented self-trade: what `myPreventedMatches` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreventedMatch {
    /// Wire: preventedMatchId.
    pub prevented_match_id: u64,
    /// Wire: symbol (the taker's).
    pub symbol: String,
    /// The taker's account.
    pub taker_account_id: i64,
    /// Wire: takerOrderId.
    pub taker_order_id: u64,
    /// Wire: makerSymbol.
    pub maker_symbol: String,
    /// The maker's account.
    pub maker_account_id: i64,
    /// Wire: makerOrderId.
    pub maker_order_id: u64,
    /// Wire: tradeGroupId ([`NO_TRADE_GROUP`]).
    pub trade_group_id: i64,
    /// Wire: selfTradePreventionMode: the mode that acted (the taker's, or `DECREMENT` for a
    /// `TRANSFER` taker whose maker is not `TRANSFER`).
    pub stp_mode: SelfTradePreventionMode,
    /// Wire: price (the maker's).
    pub price: Decimal,
    /// Wire: takerPreventedQuantity; `None` when the mode took nothing off the taker.
    pub taker_prevented_qty: Option<Decimal>,
    /// Wire: makerPreventedQuantity; `None` when the mode took nothing off the maker.
    pub maker_prevented_qty: Option<Decimal>,
    /// The quantity that would have traded (`pl` in execution reports).
    pub match_qty: Decimal,
    /// Wire: transactTime (ms).
    pub time_ms: u64,
    /// The trade id the engine would have issued next when it was prevented: it came after the
    /// trades below that id (orders the execution reports of one command). Not stored; 0 when read
    /// back.
    pub next_trade_id: u64,
}

impl PreventedMatch {
    /// Whether `order_id` is its taker or maker.
    pub fn involves(&self, order_id: u64) -> bool {
        self.taker_order_id == order_id || self.maker_order_id == order_id
    }

    /// Whether the mode acted on `order_id` (took quantity off it or expired it): a `TRADE_PREVENTION`
    /// report of that order.
    pub fn touches(&self, order_id: u64) -> bool {
        (self.taker_order_id == order_id && self.taker_prevented_qty.is_some())
            || (self.maker_order_id == order_id && self.maker_prevented_qty.is_some())
    }

    /// What it took off `order_id` (zero for an order it did not touch).
    pub fn prevented_of(&self, order_id: u64) -> Decimal {
        let taker = if self.taker_order_id == order_id { self.taker_prevented_qty } else { None };
        let maker = if self.maker_order_id == order_id { self.maker_prevented_qty } else { None };
        taker.unwrap_or_default() + maker.unwrap_or_default()
    }
}

/// One amendment of an order's quantity (`order/amend/keepPriority`): what `order/amendments` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    /// Wire: executionId.
    pub execution_id: u64,
    /// The order's account.
    pub account_id: i64,
    /// Wire: symbol.
    pub symbol: String,
    /// Wire: orderId.
    pub order_id: u64,
    /// Wire: origClientOrderId (before the amendment).
    pub orig_client_order_id: String,
    /// Wire: newClientOrderId (after it).
    pub new_client_order_id: String,
    /// Wire: origQty (before).
    pub orig_qty: Decimal,
    /// Wire: newQty (after).
    pub new_qty: Decimal,
    /// Wire: time (ms).
    pub time_ms: u64,
}
