//! Symbols, their filters and the `exchangeInfo` document.
//!
//! Each symbol's JSON is rendered once when the sandbox starts; `exchangeInfo` only stitches the
//! selected symbols together with the server time.

use std::fmt::Write as _;

use mbx_core::model::SelfTradePreventionMode;
use mbx_core::{ApiError, ErrorCode, WireValue};
use rust_decimal::Decimal;

use crate::write::decimal::{fixed8, plain};
use crate::write::json::{Object, array};

pub use mbx_core::filters::{LotSize, NotionalFilter, PercentPriceBySide, PriceFilter, TrailingDeltaFilter};

/// One trading pair and its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolSpec {
    /// Wire: symbol (Unicode allowed).
    pub symbol: String,
    /// Wire: baseAsset.
    pub base_asset: String,
    /// Wire: quoteAsset.
    pub quote_asset: String,
    /// Wire: baseAssetPrecision (and baseCommissionPrecision).
    pub base_precision: u32,
    /// Wire: quoteAssetPrecision (and quotePrecision, quoteCommissionPrecision).
    pub quote_precision: u32,
    /// `PRICE_FILTER`.
    pub price_filter: PriceFilter,
    /// `LOT_SIZE`.
    pub lot_size: LotSize,
    /// `MARKET_LOT_SIZE`.
    pub market_lot_size: LotSize,
    /// `PERCENT_PRICE_BY_SIDE`.
    pub percent_price_by_side: PercentPriceBySide,
    /// `NOTIONAL`.
    pub notional: NotionalFilter,
    /// `MAX_NUM_ORDERS`: open orders per account on this symbol.
    pub max_num_orders: u32,
    /// `ICEBERG_PARTS`: the most parts an iceberg may have.
    pub iceberg_parts: u64,
    /// `TRAILING_DELTA`.
    pub trailing_delta: TrailingDeltaFilter,
    /// `MAX_NUM_ICEBERG_ORDERS`: open icebergs per account on this symbol.
    pub max_num_iceberg_orders: u32,
}

/// `ICEBERG_PARTS` of sandbox symbols: 100, Binance's limit on every symbol since 2026-03-12
/// (CHANGELOG 2026-02-24).
pub const ICEBERG_PARTS: u64 = 100;

/// `TRAILING_DELTA` of sandbox symbols: 10 to 2000 BIPS either way (filters.md's example, which is
/// what Binance's spot symbols list).
pub const TRAILING_DELTA: TrailingDeltaFilter =
    TrailingDeltaFilter { min_above: 10, max_above: 2000, min_below: 10, max_below: 2000 };

/// `MAX_NUM_ICEBERG_ORDERS` of sandbox symbols (filters.md's example value).
pub const MAX_NUM_ICEBERG_ORDERS: u32 = 5;

/// The order types every sandbox symbol lists, in the docs' order.
pub const ORDER_TYPES: &[&str] =
    &["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"];

/// The self-trade prevention mode of an order that names none (Binance's default on most symbols).
pub const DEFAULT_STP_MODE: SelfTradePreventionMode = SelfTradePreventionMode::ExpireMaker;

/// Self-trade prevention modes the symbols allow: every mode of enums.md. `TRANSFER` is allowed on
/// all Binance symbols since 2026-04-02 (CHANGELOG); with no trade groups in the sandbox it acts as
/// `DECREMENT`.
pub const STP_MODES: &[&str] =
    &["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT", "TRANSFER"];

/// `MAX_NUM_ORDER_AMENDS`: amendments per order (filters.md's example and the CHANGELOG's value).
pub const MAX_NUM_ORDER_AMENDS: u32 = 10;

/// The quote assets SOR routes between: Binance's SOR groups a base asset's symbols quoted in
/// interchangeable (USD stable) coins, listed in `exchangeInfo`'s `sors`. The sandbox keeps one book
/// per symbol, so an SOR order there routes over that one book; symbols quoted in anything else
/// have no SOR (`-1013 This symbol has no SOR.`).
pub const SOR_QUOTE_ASSETS: &[&str] = &["USDT", "USDC", "FDUSD", "TUSD"];

impl SymbolSpec {
    /// Whether SOR orders are taken on this symbol (its quote asset is in [`SOR_QUOTE_ASSETS`]).
    pub fn has_sor(&self) -> bool {
        SOR_QUOTE_ASSETS.contains(&self.quote_asset.as_str())
    }

    /// The filters mbx-core checks orders against ([`mbx_core::filters::SymbolFilters`]).
    pub fn filters(&self) -> mbx_core::filters::SymbolFilters {
        mbx_core::filters::SymbolFilters {
            price: Some(self.price_filter),
            lot: Some(self.lot_size),
            market_lot: Some(self.market_lot_size),
            percent_price_by_side: Some(self.percent_price_by_side),
            notional: Some(self.notional),
            iceberg_parts: Some(self.iceberg_parts),
            trailing_delta: Some(self.trailing_delta),
            max_num_iceberg_orders: Some(u64::from(self.max_num_iceberg_orders)),
        }
    }

    /// This symbol's `exchangeInfo` entry, its fields in the order Binance sends them (rest-api.md's
    /// example), with or without `permissionSets`.
    fn to_wire(&self, show_permission_sets: bool) -> String {
        let p = &self.percent_price_by_side;
        let n = &self.notional;
        let lot = |kind: &str, l: &LotSize| {
            Object::new()
                .field("filterType", kind)
                .field("minQty", fixed8(l.min_qty))
                .field("maxQty", fixed8(l.max_qty))
                .field("stepSize", fixed8(l.step_size))
                .finish()
        };
        let filters = array([
            Object::new()
                .field("filterType", "PRICE_FILTER")
                .field("minPrice", fixed8(self.price_filter.min_price))
                .field("maxPrice", fixed8(self.price_filter.max_price))
                .field("tickSize", fixed8(self.price_filter.tick_size))
                .finish(),
            lot("LOT_SIZE", &self.lot_size),
            Object::new().field("filterType", "ICEBERG_PARTS").field("limit", self.iceberg_parts).finish(),
            lot("MARKET_LOT_SIZE", &self.market_lot_size),
            Object::new()
                .field("filterType", "TRAILING_DELTA")
                .field("minTrailingAboveDelta", self.trailing_delta.min_above)
                .field("maxTrailingAboveDelta", self.trailing_delta.max_above)
                .field("minTrailingBelowDelta", self.trailing_delta.min_below)
                .field("maxTrailingBelowDelta", self.trailing_delta.max_below)
                .finish(),
            Object::new()
                .field("filterType", "PERCENT_PRICE_BY_SIDE")
                .field("bidMultiplierUp", plain(p.bid_multiplier_up.normalize()))
                .field("bidMultiplierDown", plain(p.bid_multiplier_down.normalize()))
                .field("askMultiplierUp", plain(p.ask_multiplier_up.normalize()))
                .field("askMultiplierDown", plain(p.ask_multiplier_down.normalize()))
                .field("avgPriceMins", p.avg_price_mins)
                .finish(),
            Object::new()
                .field("filterType", "NOTIONAL")
                .field("minNotional", fixed8(n.min_notional))
                .field("applyMinToMarket", n.apply_min_to_market)
                .field("maxNotional", fixed8(n.max_notional))
                .field("applyMaxToMarket", n.apply_max_to_market)
                .field("avgPriceMins", n.avg_price_mins)
                .finish(),
            Object::new()
                .field("filterType", "MAX_NUM_ORDERS")
                .field("maxNumOrders", self.max_num_orders)
                .finish(),
            Object::new()
                .field("filterType", "MAX_NUM_ICEBERG_ORDERS")
                .field("maxNumIcebergOrders", self.max_num_iceberg_orders)
                .finish(),
            Object::new()
                .field("filterType", "MAX_NUM_ORDER_AMENDS")
                .field("maxNumOrderAmends", MAX_NUM_ORDER_AMENDS)
                .finish(),
        ]);
        let permission_sets: &[&[&str]] = if show_permission_sets { &[&["SPOT"]] } else { &[] };
        let mut o = Object::new()
            .field("symbol", &self.symbol)
            .field("status", "TRADING")
            .field("baseAsset", &self.base_asset)
            .field("baseAssetPrecision", self.base_precision)
            .field("quoteAsset", &self.quote_asset)
            .field("quotePrecision", self.quote_precision)
            .field("quoteAssetPrecision", self.quote_precision)
            .field("baseCommissionPrecision", self.base_precision)
            .field("quoteCommissionPrecision", self.quote_precision)
            .field("orderTypes", ORDER_TYPES)
            .field("icebergAllowed", true)
            .field("ocoAllowed", true)
            .field("otoAllowed", true)
            .field("opoAllowed", true)
            .field("quoteOrderQtyMarketAllowed", true)
            .field("allowTrailingStop", true)
            .field("cancelReplaceAllowed", true)
            .field("amendAllowed", true)
            .field("pegInstructionsAllowed", true)
            .field("isSpotTradingAllowed", true)
            .field("isMarginTradingAllowed", false);
        o.raw("filters", &filters);
        o.raw("permissions", "[]");
        o.field("permissionSets", permission_sets)
            .field("defaultSelfTradePreventionMode", DEFAULT_STP_MODE.wire())
            .field("allowedSelfTradePreventionModes", STP_MODES)
            .finish()
    }
}

/// The `rateLimits` the sandbox announces (the docs' defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// `REQUEST_WEIGHT` per minute.
    pub request_weight_per_minute: u32,
    /// `ORDERS` per 10 seconds.
    pub orders_per_10s: u32,
    /// `ORDERS` per day.
    pub orders_per_day: u32,
    /// `RAW_REQUESTS` per 5 minutes.
    pub raw_requests_per_5m: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            request_weight_per_minute: 6000,
            orders_per_10s: 100,
            orders_per_day: 200_000,
            // 300,000 since 2026-04-02 (CHANGELOG.md, 2026-03-27; enums.md's example still shows
            // the 61,000 of before: the CHANGELOG is newer).
            raw_requests_per_5m: 300_000,
        }
    }
}

impl RateLimits {
    /// The `rateLimits` array, each limit's fields in the docs' order.
    fn to_wire(self) -> String {
        let row = |kind: &str, interval: &str, num: u32, limit: u32| {
            Object::new()
                .field("rateLimitType", kind)
                .field("interval", interval)
                .field("intervalNum", num)
                .field("limit", limit)
                .finish()
        };
        array([
            row("REQUEST_WEIGHT", "MINUTE", 1, self.request_weight_per_minute),
            row("ORDERS", "SECOND", 10, self.orders_per_10s),
            row("ORDERS", "DAY", 1, self.orders_per_day),
            row("RAW_REQUESTS", "MINUTE", 5, self.raw_requests_per_5m),
        ])
    }
}

/// Which symbols an `exchangeInfo` call asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every symbol.
    All,
    /// These, by index, in the order asked.
    Some(Vec<usize>),
}

/// The symbols the sandbox trades, with their rendered `exchangeInfo` entries.
#[derive(Debug)]
pub struct Market {
    symbols: Vec<SymbolSpec>,
    /// Per symbol: JSON with and without `permissionSets`.
    rendered: Vec<(String, String)>,
    rate_limits: RateLimits,
    rate_limits_json: String,
    commission: Decimal,
    /// `account`'s `commissionRates` for `commission`, rendered once.
    commission_rates_json: String,
    /// The last full `exchangeInfo` document: (server time ms, with permission sets, text). Every
    /// request in the same millisecond shares it.
    full_info: std::sync::Mutex<Option<(u64, bool, axum::body::Bytes)>>,
}

impl Market {
    /// A market of these symbols.
    pub fn new(symbols: Vec<SymbolSpec>, rate_limits: RateLimits) -> Market {
        let rendered = symbols.iter().map(|s| (s.to_wire(true), s.to_wire(false))).collect();
        Market {
            symbols,
            rendered,
            rate_limits,
            rate_limits_json: rate_limits.to_wire(),
            commission: Decimal::ZERO,
            commission_rates_json: String::new(),
            full_info: std::sync::Mutex::new(None),
        }
        .with_commission(crate::seed::default_commission())
    }

    /// The same market with maker and taker commission `rate` (default 0.1%).
    pub fn with_commission(mut self, rate: Decimal) -> Market {
        self.commission = rate;
        self.commission_rates_json = format!(
            r#"{{"maker":"{}","taker":"{}","buyer":"{}","seller":"{}"}}"#,
            fixed8(rate),
            fixed8(rate),
            fixed8(Decimal::ZERO),
            fixed8(Decimal::ZERO)
        );
        self
    }

    /// `account`'s `commissionRates` object, as JSON text.
    pub fn commission_rates_json(&self) -> &str {
        &self.commission_rates_json
    }

    /// The maker and taker commission rate.
    pub fn commission(&self) -> Decimal {
        self.commission
    }

    /// The symbols, in listing order.
    pub fn symbols(&self) -> &[SymbolSpec] {
        &self.symbols
    }

    /// The announced rate limits.
    pub fn rate_limits(&self) -> RateLimits {
        self.rate_limits
    }

    /// Index of a symbol by name (exact, case-sensitive, as Binance matches).
    pub fn index(&self, symbol: &str) -> Option<usize> {
        self.symbols.iter().position(|s| s.symbol == symbol)
    }

    /// A symbol by name.
    pub fn get(&self, symbol: &str) -> Option<&SymbolSpec> {
        self.index(symbol).map(|i| &self.symbols[i])
    }

    /// A symbol by name, or Binance's `-1121 Invalid symbol.`
    pub fn require(&self, symbol: &str) -> Result<&SymbolSpec, crate::SandboxError> {
        self.require_index(symbol).map(|i| &self.symbols[i])
    }

    /// A symbol's index by name, or Binance's `-1121 Invalid symbol.`
    pub fn require_index(&self, symbol: &str) -> Result<usize, crate::SandboxError> {
        self.index(symbol).ok_or_else(|| match mbx_core::order::symbol_value("symbol", symbol) {
            // A name in lower case: the rule the doctor names too.
            Err(refusal) => refusal.into(),
            Ok(()) => crate::SandboxError::rejected(
                ApiError::new(ErrorCode::BAD_SYMBOL),
                format!("No symbol {symbol:?} trades in this sandbox; GET /api/v3/exchangeInfo lists them (names are case-sensitive)."),
            ),
        })
    }

    /// The `filters` of symbol `index` as its `exchangeInfo` entry lists them (read back from the
    /// rendered entry, so nothing lists them a second time).
    pub fn symbol_filters(&self, index: usize) -> Vec<serde_json::Value> {
        self.rendered
            .get(index)
            .and_then(|(with_sets, _)| serde_json::from_str::<serde_json::Value>(with_sets).ok())
            .and_then(|mut v| match v.get_mut("filters").map(serde_json::Value::take) {
                Some(serde_json::Value::Array(list)) => Some(list),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The `exchangeInfo` document of every symbol at `server_time_ms`: rendered at most once per
    /// millisecond, then shared (the body is reference-counted, not copied).
    pub fn exchange_info_all(&self, show_permission_sets: bool, server_time_ms: u64) -> axum::body::Bytes {
        let mut cache = self.full_info.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((ms, sets, doc)) = cache.as_ref()
            && *ms == server_time_ms
            && *sets == show_permission_sets
        {
            return doc.clone();
        }
        let doc = axum::body::Bytes::from(self.exchange_info(
            &Selection::All,
            show_permission_sets,
            server_time_ms,
        ));
        *cache = Some((server_time_ms, show_permission_sets, doc.clone()));
        doc
    }

    /// The `exchangeInfo` document for `selection`.
    pub fn exchange_info(
        &self,
        selection: &Selection,
        show_permission_sets: bool,
        server_time_ms: u64,
    ) -> String {
        let mut out = String::with_capacity(1024 + 2048 * self.symbols.len());
        let _ = write!(
            out,
            r#"{{"timezone":"UTC","serverTime":{server_time_ms},"rateLimits":{},"exchangeFilters":[],"symbols":["#,
            self.rate_limits_json
        );
        let mut push = |i: usize, first: bool| {
            if !first {
                out.push(',');
            }
            let (with, without) = &self.rendered[i];
            out.push_str(if show_permission_sets { with } else { without });
        };
        let chosen: Vec<usize> = match selection {
            Selection::All => (0..self.symbols.len()).collect(),
            Selection::Some(list) => list.clone(),
        };
        chosen.iter().enumerate().for_each(|(n, i)| push(*i, n == 0));
        out.push(']');
        // `sors` is there only when SOR is (rest-api.md): one group per base asset, of the chosen
        // symbols that take SOR orders.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for s in chosen.iter().filter_map(|i| self.symbols.get(*i)).filter(|s| s.has_sor()) {
            match groups.iter_mut().find(|(base, _)| *base == s.base_asset) {
                Some((_, symbols)) => symbols.push(&s.symbol),
                None => groups.push((&s.base_asset, vec![&s.symbol])),
            }
        }
        if !groups.is_empty() {
            let sors = array(groups.iter().map(|(base, symbols)| {
                Object::new().field("baseAsset", base).field("symbols", symbols).finish()
            }));
            out.push_str(",\"sors\":");
            out.push_str(&sors);
        }
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document keeps rest-api.md's field order (people comparing it with Binance's, and tools
    /// that read it as text, see Binance's order rather than keys sorted by name) and is valid JSON.
    #[test]
    fn exchange_info_keeps_binance_field_order() {
        let market = Market::new(crate::seed::default_symbols(), RateLimits::default());
        let doc = market.exchange_info(&Selection::All, true, 7);
        assert!(
            doc.starts_with(concat!(
                r#"{"timezone":"UTC","serverTime":7,"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","#,
                r#""interval":"MINUTE","intervalNum":1,"limit":6000},"#
            )),
            "{doc}"
        );
        let btc = &doc[doc.find(r#"{"symbol":"BTCUSDT""#).unwrap()..];
        let keys = [
            "symbol",
            "status",
            "baseAsset",
            "baseAssetPrecision",
            "quoteAsset",
            "quotePrecision",
            "quoteAssetPrecision",
            "baseCommissionPrecision",
            "quoteCommissionPrecision",
            "orderTypes",
            "icebergAllowed",
            "ocoAllowed",
            "otoAllowed",
            "opoAllowed",
            "quoteOrderQtyMarketAllowed",
            "allowTrailingStop",
            "cancelReplaceAllowed",
            "amendAllowed",
            "pegInstructionsAllowed",
            "isSpotTradingAllowed",
            "isMarginTradingAllowed",
            "filters",
            "permissions",
            "permissionSets",
            "defaultSelfTradePreventionMode",
            "allowedSelfTradePreventionModes",
        ];
        let at: Vec<usize> = keys.iter().map(|k| btc.find(&format!("\"{k}\":")).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{btc}");
        assert!(btc.contains(concat!(
            r#"{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","#,
            r#""tickSize":"0.01000000"}"#
        )));
        assert!(btc.contains(r#""permissions":[],"permissionSets":[["SPOT"]],"#));
        let parsed: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(parsed["symbols"].as_array().map(Vec::len), Some(6));
        let without = market.exchange_info(&Selection::Some(vec![0]), false, 7);
        assert!(without.contains(r#""permissions":[],"permissionSets":[],"#), "{without}");
    }

    #[test]
    fn filters_follow_the_docs_rules() {
        let f = PriceFilter {
            min_price: Decimal::new(1, 2),
            max_price: Decimal::ZERO,
            tick_size: Decimal::new(1, 2),
        };
        assert!(f.passes(Decimal::new(12_345, 2)));
        assert!(!f.passes(Decimal::new(12_345, 3)));
        assert!(!f.passes(Decimal::new(1, 3)));
        let l = LotSize {
            min_qty: Decimal::new(1, 3),
            max_qty: Decimal::new(100, 0),
            step_size: Decimal::new(1, 3),
        };
        assert!(l.passes(Decimal::ONE));
        assert!(!l.passes(Decimal::new(101, 0)));
        assert!(!l.passes(Decimal::new(15, 4)));
    }
}
