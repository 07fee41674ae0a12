//! Trades (the public record of a match) and fills (each account's side of one).

use rust_decimal::Decimal;

/// One match between a taker and a maker: what `/api/v3/trades` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trade {
    /// Wire: id (and `tradeId` in fills).
    pub trade_id: u64,
    /// The symbol.
    pub symbol: String,
    /// Wire: price (the maker's price).
    pub price: Decimal,
    /// Wire: qty.
    pub qty: Decimal,
    /// Wire: quoteQty (`price * qty`).
    pub quote_qty: Decimal,
    /// Wire: time (ms).
    pub time_ms: u64,
    /// The buying order.
    pub buyer_order_id: u64,
    /// The selling order.
    pub seller_order_id: u64,
    /// Wire: isBuyerMaker.
    pub is_buyer_maker: bool,
    /// The id of its aggregate trade (`aggTrades`' `a`): a run of trades of one taker order at one
    /// price shares one; a sequence per symbol, as the trade ids.
    pub agg_id: u64,
}

/// One side of a trade, as its account sees it: what `/api/v3/myTrades` lists and an order's
/// `fills` show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// Wire: id / tradeId.
    pub trade_id: u64,
    /// Wire: isBuyer.
    pub is_buyer: bool,
    /// The account.
    pub account_id: i64,
    /// Wire: orderId.
    pub order_id: u64,
    /// Wire: symbol.
    pub symbol: String,
    /// Wire: price.
    pub price: Decimal,
    /// Wire: qty.
    pub qty: Decimal,
    /// Wire: quoteQty.
    pub quote_qty: Decimal,
    /// Wire: commission (in the asset received).
    pub commission: Decimal,
    /// Wire: commissionAsset.
    pub commission_asset: String,
    /// Wire: isMaker.
    pub is_maker: bool,
    /// Wire: time (ms).
    pub time_ms: u64,
    /// Wire: orderListId (`None`, shown as -1, when its order is on its own).
    pub order_list_id: Option<u64>,
    /// Wire: allocId / allocationId: set on the taker's side of an SOR order's execution, which is an
    /// allocation (`myAllocations`) rather than a trade of the account (`myTrades`).
    pub alloc_id: Option<u64>,
}
