//! Typed responses. Money is `rust_decimal::Decimal`, never floating point; Rust fields are snake_case
//! with the wire name noted where it differs.

use mbx_core::model::{OrderStatus, OrderType, PegPriceType, SelfTradePreventionMode, Side, TimeInForce};
use rust_decimal::Decimal;
use serde::Deserialize;

/// `GET /api/v3/time`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerTime {
    /// Wire: serverTime (milliseconds).
    pub server_time: u64,
}

/// One balance of `GET /api/v3/account`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Balance {
    /// Asset name.
    pub asset: String,
    /// Available.
    #[serde(deserialize_with = "dec::decimal")]
    pub free: Decimal,
    /// Locked in open orders.
    #[serde(deserialize_with = "dec::decimal")]
    pub locked: Decimal,
}

/// `GET /api/v3/account` (the fields mbx uses; others are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Wire: canTrade.
    pub can_trade: bool,
    /// Wire: accountType.
    #[serde(default)]
    pub account_type: String,
    /// Wire: updateTime.
    #[serde(default)]
    pub update_time: u64,
    /// Balances.
    pub balances: Vec<Balance>,
    /// Wire: permissions.
    #[serde(default)]
    pub permissions: Vec<String>,
}

impl Account {
    /// The balance of `asset`, if listed.
    pub fn balance(&self, asset: &str) -> Option<&Balance> {
        self.balances.iter().find(|b| b.asset == asset)
    }
}

/// One fill of a FULL order response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fill {
    /// Price.
    #[serde(deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Quantity.
    #[serde(deserialize_with = "dec::decimal")]
    pub qty: Decimal,
    /// Commission.
    #[serde(deserialize_with = "dec::decimal")]
    pub commission: Decimal,
    /// Wire: commissionAsset.
    pub commission_asset: String,
    /// Wire: tradeId.
    pub trade_id: u64,
}

/// An order as Binance reports it: `POST /api/v3/order` (ACK, RESULT or FULL), `GET /api/v3/order`,
/// `DELETE /api/v3/order`, open and all orders. Fields absent from a shorter response are defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Symbol.
    pub symbol: String,
    /// Wire: orderId.
    pub order_id: u64,
    /// Wire: orderListId (-1 unless part of a list).
    #[serde(default = "minus_one")]
    pub order_list_id: i64,
    /// Wire: clientOrderId (for cancels, the cancelled order's id is `orig_client_order_id`).
    #[serde(default)]
    pub client_order_id: String,
    /// Wire: origClientOrderId (cancel responses).
    #[serde(default)]
    pub orig_client_order_id: Option<String>,
    /// Wire: transactTime (placement and cancel).
    #[serde(default)]
    pub transact_time: Option<u64>,
    /// Wire: time (queries).
    #[serde(default)]
    pub time: Option<u64>,
    /// Price.
    #[serde(default)]
    #[serde(deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Wire: origQty.
    #[serde(default)]
    #[serde(deserialize_with = "dec::decimal")]
    pub orig_qty: Decimal,
    /// Wire: executedQty.
    #[serde(default)]
    #[serde(deserialize_with = "dec::decimal")]
    pub executed_qty: Decimal,
    /// Wire: cummulativeQuoteQty (sic).
    #[serde(default)]
    #[serde(deserialize_with = "dec::decimal")]
    pub cummulative_quote_qty: Decimal,
    /// Status (absent in ACK responses).
    #[serde(default)]
    pub status: Option<OrderStatus>,
    /// Wire: timeInForce.
    #[serde(default)]
    pub time_in_force: Option<TimeInForce>,
    /// Wire: type.
    #[serde(default, rename = "type")]
    pub order_type: Option<OrderType>,
    /// Side.
    #[serde(default)]
    pub side: Option<Side>,
    /// Wire: stopPrice.
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub stop_price: Option<Decimal>,
    /// Wire: selfTradePreventionMode.
    #[serde(default)]
    pub self_trade_prevention_mode: Option<SelfTradePreventionMode>,
    /// Fills (FULL responses).
    #[serde(default)]
    pub fills: Vec<Fill>,
    /// Wire: icebergQty (icebergs; the query shape always has it, zero for other orders).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub iceberg_qty: Option<Decimal>,
    /// Wire: trailingDelta (trailing stops, BIPS).
    #[serde(default)]
    pub trailing_delta: Option<u64>,
    /// Wire: trailingTime (trailing stops): when it started tracking, -1 before.
    #[serde(default)]
    pub trailing_time: Option<i64>,
    /// Wire: pegPriceType (pegged orders).
    #[serde(default)]
    pub peg_price_type: Option<PegPriceType>,
    /// Wire: pegOffsetValue (pegged orders with an offset; pegOffsetType is `PRICE_LEVEL`).
    #[serde(default)]
    pub peg_offset_value: Option<u32>,
    /// Wire: peggedPrice (pegged orders, once determined): the price it works at.
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub pegged_price: Option<Decimal>,
}

fn minus_one() -> i64 {
    -1
}

/// One trade of `GET /api/v3/myTrades`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trade {
    /// Symbol.
    pub symbol: String,
    /// Trade id.
    pub id: u64,
    /// Wire: orderId.
    pub order_id: u64,
    /// Price.
    #[serde(deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Quantity.
    #[serde(deserialize_with = "dec::decimal")]
    pub qty: Decimal,
    /// Wire: quoteQty.
    #[serde(deserialize_with = "dec::decimal")]
    pub quote_qty: Decimal,
    /// Commission.
    #[serde(deserialize_with = "dec::decimal")]
    pub commission: Decimal,
    /// Wire: commissionAsset.
    pub commission_asset: String,
    /// Time.
    pub time: u64,
    /// Wire: isBuyer.
    pub is_buyer: bool,
    /// Wire: isMaker.
    pub is_maker: bool,
}

/// A symbol of `GET /api/v3/exchangeInfo` (the fields mbx uses; filters kept as JSON objects).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SymbolInfo {
    /// Symbol.
    pub symbol: String,
    /// Status, e.g. TRADING.
    pub status: String,
    /// Wire: baseAsset.
    pub base_asset: String,
    /// Wire: quoteAsset.
    pub quote_asset: String,
    /// Filters as Binance sends them.
    #[serde(default)]
    pub filters: Vec<serde_json::Value>,
}

impl SymbolInfo {
    /// The filter of type `filter_type` (`PRICE_FILTER`, `LOT_SIZE`, ...).
    pub fn filter(&self, filter_type: &str) -> Option<&serde_json::Value> {
        self.filters.iter().find(|f| f.get("filterType").and_then(|t| t.as_str()) == Some(filter_type))
    }

    /// A decimal field of a filter (`("LOT_SIZE", "stepSize")`), when present and a decimal string.
    pub fn filter_decimal(&self, filter_type: &str, field: &str) -> Option<Decimal> {
        self.filter(filter_type)?.get(field)?.as_str()?.parse().ok()
    }

    /// The price step: `PRICE_FILTER.tickSize` (`0` means no constraint).
    pub fn tick_size(&self) -> Option<Decimal> {
        self.filter_decimal("PRICE_FILTER", "tickSize")
    }

    /// The quantity step: `LOT_SIZE.stepSize` (`0` means no constraint).
    pub fn step_size(&self) -> Option<Decimal> {
        self.filter_decimal("LOT_SIZE", "stepSize")
    }

    /// The smallest order value in the quote asset: `NOTIONAL.minNotional`, or the older
    /// `MIN_NOTIONAL.minNotional`.
    pub fn min_notional(&self) -> Option<Decimal> {
        self.filter_decimal("NOTIONAL", "minNotional")
            .or_else(|| self.filter_decimal("MIN_NOTIONAL", "minNotional"))
    }
}

/// One rate limit of `GET /api/v3/exchangeInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Wire: rateLimitType (REQUEST_WEIGHT, ORDERS, RAW_REQUESTS).
    pub rate_limit_type: String,
    /// Interval (SECOND, MINUTE, DAY).
    pub interval: String,
    /// Wire: intervalNum.
    pub interval_num: u32,
    /// Limit.
    pub limit: u32,
}

/// `GET /api/v3/exchangeInfo`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeInfo {
    /// Wire: serverTime.
    pub server_time: u64,
    /// Wire: rateLimits.
    #[serde(default)]
    pub rate_limits: Vec<RateLimit>,
    /// Symbols.
    pub symbols: Vec<SymbolInfo>,
}

impl ExchangeInfo {
    /// The symbol named `symbol`.
    pub fn symbol(&self, symbol: &str) -> Option<&SymbolInfo> {
        self.symbols.iter().find(|s| s.symbol == symbol)
    }
}

pub(crate) mod dec;
pub(crate) mod fast;
mod market;
mod replace;
pub mod stream;
pub mod user;

pub use replace::{CancelReplace, CancelReplaceFailure, ReplaceLeg};

pub use market::{BookTicker, Interval, Kline, Level, OrderBook, ParseIntervalError, Ticker24h, TickerPrice};
