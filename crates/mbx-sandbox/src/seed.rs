//! What every sandbox starts with: the demo account and its key, and the default symbols.
//!
//! The demo key is the example key of Binance's documentation, so the docs' own `curl` examples work
//! against the sandbox with a fresh timestamp. Its balances lie well inside every symbol's maximum
//! quantity and notional, so an order larger than the balance fails on the balance, not a filter.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::keys::{KeyMaterial, Permissions, StoredKey};
use crate::market::{LotSize, NotionalFilter, PercentPriceBySide, PriceFilter, SymbolSpec};

/// The demo API key (Binance's documentation example).
pub const DEMO_API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
/// The demo key's HMAC secret (Binance's documentation example).
pub const DEMO_SECRET_KEY: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
/// The demo account's id (its `uid`).
pub const DEMO_ACCOUNT_ID: i64 = 1;
/// The demo account's name.
pub const DEMO_ACCOUNT_NAME: &str = "demo";

/// The demo account's opening balances.
pub const DEMO_BALANCES: &[(&str, &str)] = &[
    ("USDT", "10000"),
    ("BTC", "1"),
    ("ETH", "10"),
    ("LTC", "100"),
    ("BNB", "100"),
    ("这是测试币", "1000"),
    ("456", "1000"),
];

/// The demo key as stored: HMAC, with TRADE, USER_DATA and USER_STREAM.
pub fn demo_key() -> StoredKey {
    StoredKey {
        api_key: DEMO_API_KEY.to_owned(),
        account_id: DEMO_ACCOUNT_ID,
        material: KeyMaterial::Hmac { secret: DEMO_SECRET_KEY.to_owned() },
        permissions: Permissions::ALL,
        revoked: false,
    }
}

/// The demo balances as decimals.
pub fn demo_balances() -> Vec<(&'static str, Decimal)> {
    DEMO_BALANCES.iter().map(|(asset, amount)| (*asset, dec(amount))).collect()
}

/// The market maker's opening balances as decimals.
pub fn market_maker_balances() -> Vec<(&'static str, Decimal)> {
    crate::engine::market_maker::BALANCES.iter().map(|(asset, amount)| (*asset, dec(amount))).collect()
}

/// What the market maker gets of each asset of `symbols` it has no opening balance for.
pub fn market_maker_extra_balances(symbols: &[SymbolSpec]) -> Vec<(&str, Decimal)> {
    let known = crate::engine::market_maker::BALANCES;
    let mut out: Vec<(&str, Decimal)> = Vec::new();
    for asset in symbols.iter().flat_map(|s| [s.base_asset.as_str(), s.quote_asset.as_str()]) {
        if !known.iter().any(|(a, _)| *a == asset) && !out.iter().any(|(a, _)| *a == asset) {
            out.push((asset, Decimal::from(1_000_000_000)));
        }
    }
    out
}

/// A decimal literal of this file (checked by the tests below).
fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap_or_else(|e| panic!("seed decimal {s:?}: {e}"))
}

/// The rules of one default symbol, as text for readability.
struct Row {
    symbol: &'static str,
    base: &'static str,
    quote: &'static str,
    tick: &'static str,
    max_price: &'static str,
    step: &'static str,
    max_qty: &'static str,
    market_max_qty: &'static str,
    min_notional: &'static str,
}

/// The default symbols: ticks and steps close to Binance's, bounds wide enough for the demo balances.
const ROWS: &[Row] = &[
    Row {
        symbol: "BTCUSDT",
        base: "BTC",
        quote: "USDT",
        tick: "0.01",
        max_price: "1000000",
        step: "0.00001",
        max_qty: "9000",
        market_max_qty: "100",
        min_notional: "5",
    },
    Row {
        symbol: "ETHUSDT",
        base: "ETH",
        quote: "USDT",
        tick: "0.01",
        max_price: "1000000",
        step: "0.0001",
        max_qty: "9000",
        market_max_qty: "2000",
        min_notional: "5",
    },
    Row {
        symbol: "BNBUSDT",
        base: "BNB",
        quote: "USDT",
        tick: "0.01",
        max_price: "1000000",
        step: "0.001",
        max_qty: "9000",
        market_max_qty: "5000",
        min_notional: "5",
    },
    Row {
        symbol: "LTCBTC",
        base: "LTC",
        quote: "BTC",
        tick: "0.000001",
        max_price: "1000",
        step: "0.001",
        max_qty: "100000",
        market_max_qty: "10000",
        min_notional: "0.0001",
    },
    Row {
        symbol: "ETHBTC",
        base: "ETH",
        quote: "BTC",
        tick: "0.00001",
        max_price: "1000",
        step: "0.0001",
        max_qty: "100000",
        market_max_qty: "3000",
        min_notional: "0.0001",
    },
    Row {
        symbol: "这是测试币456",
        base: "这是测试币",
        quote: "456",
        tick: "0.0001",
        max_price: "1000000",
        step: "0.01",
        max_qty: "9000000",
        market_max_qty: "100000",
        min_notional: "1",
    },
];

/// The default symbols.
pub fn default_symbols() -> Vec<SymbolSpec> {
    ROWS.iter()
        .map(|r| SymbolSpec {
            symbol: r.symbol.to_owned(),
            base_asset: r.base.to_owned(),
            quote_asset: r.quote.to_owned(),
            base_precision: 8,
            quote_precision: 8,
            price_filter: PriceFilter {
                min_price: dec(r.tick),
                max_price: dec(r.max_price),
                tick_size: dec(r.tick),
            },
            lot_size: LotSize { min_qty: dec(r.step), max_qty: dec(r.max_qty), step_size: dec(r.step) },
            market_lot_size: LotSize {
                min_qty: Decimal::ZERO,
                max_qty: dec(r.market_max_qty),
                step_size: Decimal::ZERO,
            },
            percent_price_by_side: PercentPriceBySide {
                bid_multiplier_up: dec("5"),
                bid_multiplier_down: dec("0.2"),
                ask_multiplier_up: dec("5"),
                ask_multiplier_down: dec("0.2"),
                avg_price_mins: 5,
            },
            notional: NotionalFilter {
                min_notional: dec(r.min_notional),
                apply_min_to_market: true,
                max_notional: dec("9000000"),
                apply_max_to_market: false,
                avg_price_mins: 5,
            },
            max_num_orders: 200,
            iceberg_parts: crate::market::ICEBERG_PARTS,
            trailing_delta: crate::market::TRAILING_DELTA,
            max_num_iceberg_orders: crate::market::MAX_NUM_ICEBERG_ORDERS,
        })
        .collect()
}

/// The default commission rate for makers and takers (0.1%).
pub fn default_commission() -> Decimal {
    Decimal::from_str("0.001").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_decimals_parse_and_balances_fit_filters() {
        let symbols = default_symbols();
        assert_eq!(symbols.len(), 6);
        for (asset, amount) in demo_balances() {
            for s in symbols.iter().filter(|s| s.base_asset == asset) {
                assert!(s.lot_size.max_qty > amount, "{} max qty below the {asset} balance", s.symbol);
            }
        }
        assert_eq!(default_commission().to_string(), "0.001");
    }
}
