//! Symbol filters (filters.md) as pure checks, so a client can refuse locally what Binance would answer
//! with `-1013 Filter failure: ...`, and say what to change.
//!
//! Checked: PRICE_FILTER (price and stopPrice), LOT_SIZE, MARKET_LOT_SIZE (MARKET orders by quantity),
//! NOTIONAL and MIN_NOTIONAL (orders with a price). Filters that need market data (PERCENT_PRICE*,
//! MARKET notional) or account state (MAX_NUM_ORDERS, MAX_POSITION) are left to the exchange.
//!
//! ```
//! use mbx_core::filters::{OrderShape, SymbolFilters};
//! use mbx_core::model::{OrderType, Side};
//! use rust_decimal::Decimal;
//! let filters = SymbolFilters::from_json(&serde_json::json!([
//!     {"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000", "tickSize": "0.01"},
//!     {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"},
//!     {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": true, "maxNotional": "9000000", "applyMaxToMarket": false, "avgPriceMins": 5}
//! ]));
//! let order = OrderShape { side: Side::Buy, order_type: OrderType::Limit, price: Some(Decimal::new(60_000_001, 3)), quantity: Some(Decimal::new(1, 3)), quote_quantity: None, stop_price: None };
//! let e = filters.check(&order).unwrap_err();
//! assert_eq!(e.error.msg, "Filter failure: PRICE_FILTER");
//! assert!(e.advice.contains("multiple of the tick size 0.01"));
//! ```

use rust_decimal::Decimal;

use crate::error::{ApiError, ErrorCode};
use crate::model::{OrderType, Side};

/// The parts of an order the filters look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderShape {
    /// Side (for side-dependent filters; the ones checked here do not depend on it).
    pub side: Side,
    /// Type.
    pub order_type: OrderType,
    /// Limit price.
    pub price: Option<Decimal>,
    /// Quantity (base asset).
    pub quantity: Option<Decimal>,
    /// Quote quantity (MARKET by quoteOrderQty).
    pub quote_quantity: Option<Decimal>,
    /// Stop price.
    pub stop_price: Option<Decimal>,
}

/// A filter failure: Binance's error and a sentence on what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error} ({advice})")]
pub struct FilterFailure {
    /// `-1013 Filter failure: NAME`.
    pub error: ApiError,
    /// What to change.
    pub advice: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Range {
    min: Decimal,
    max: Decimal,
    step: Decimal,
}

/// The checkable filters of one symbol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SymbolFilters {
    price: Option<Range>,
    lot: Option<Range>,
    market_lot: Option<Range>,
    /// (min, max) notional; 0 disables a bound.
    notional: Option<(Decimal, Decimal)>,
}

fn dec(v: &serde_json::Value, key: &str) -> Decimal {
    v.get(key).and_then(|x| x.as_str()).and_then(|s| s.parse().ok()).unwrap_or_default()
}

impl SymbolFilters {
    /// Reads the `filters` array of a symbol in exchangeInfo (unknown filters are ignored).
    pub fn from_json(filters: &serde_json::Value) -> Self {
        let mut out = SymbolFilters::default();
        for f in filters.as_array().into_iter().flatten() {
            let range = |lo: &str, hi: &str, step: &str| Range {
                min: dec(f, lo),
                max: dec(f, hi),
                step: dec(f, step),
            };
            match f.get("filterType").and_then(|t| t.as_str()) {
                Some("PRICE_FILTER") => out.price = Some(range("minPrice", "maxPrice", "tickSize")),
                Some("LOT_SIZE") => out.lot = Some(range("minQty", "maxQty", "stepSize")),
                Some("MARKET_LOT_SIZE") => out.market_lot = Some(range("minQty", "maxQty", "stepSize")),
                Some("NOTIONAL") => out.notional = Some((dec(f, "minNotional"), dec(f, "maxNotional"))),
                Some("MIN_NOTIONAL") if out.notional.is_none() => {
                    out.notional = Some((dec(f, "minNotional"), Decimal::ZERO))
                }
                _ => {}
            }
        }
        out
    }

    /// Checks `order`; the first failing filter is returned, as Binance reports one.
    pub fn check(&self, order: &OrderShape) -> Result<(), FilterFailure> {
        let fail = |name: &str, advice: String| FilterFailure {
            error: ApiError::with_msg(ErrorCode::INVALID_MESSAGE, format!("Filter failure: {name}")),
            advice,
        };
        if let Some(r) = self.price {
            for (what, value) in [("price", order.price), ("stopPrice", order.stop_price)] {
                if let Some(advice) = value.and_then(|p| range_problem(r, p, what, "tick size")) {
                    return Err(fail("PRICE_FILTER", advice));
                }
            }
        }
        let market = order.order_type == OrderType::Market;
        if let Some(q) = order.quantity {
            if let Some(advice) = self.lot.and_then(|r| range_problem(r, q, "quantity", "step size")) {
                return Err(fail("LOT_SIZE", advice));
            }
            let market_lot = if market { self.market_lot } else { None };
            if let Some(advice) = market_lot.and_then(|r| range_problem(r, q, "quantity", "step size")) {
                return Err(fail("MARKET_LOT_SIZE", advice));
            }
        }
        if let (Some((min, max)), Some(p), Some(q)) = (self.notional, order.price, order.quantity) {
            let n = p * q;
            if !min.is_zero() && n < min {
                return Err(fail(
                    "NOTIONAL",
                    format!("price x quantity is {}; it must be at least {}", n.normalize(), min.normalize()),
                ));
            }
            if !max.is_zero() && n > max {
                return Err(fail(
                    "NOTIONAL",
                    format!("price x quantity is {}; it must be at most {}", n.normalize(), max.normalize()),
                ));
            }
        }
        if let (Some((min, _)), Some(qq)) = (self.notional, order.quote_quantity)
            && !min.is_zero()
            && qq < min
        {
            return Err(fail(
                "NOTIONAL",
                format!("quoteOrderQty {} is below the minimum notional {}", qq.normalize(), min.normalize()),
            ));
        }
        Ok(())
    }
}

fn range_problem(r: Range, v: Decimal, what: &str, step_name: &str) -> Option<String> {
    if !r.min.is_zero() && v < r.min {
        return Some(format!("{what} {} is below the minimum {}", v.normalize(), r.min.normalize()));
    }
    if !r.max.is_zero() && v > r.max {
        return Some(format!("{what} {} is above the maximum {}", v.normalize(), r.max.normalize()));
    }
    if !r.step.is_zero() && !((v - r.min) % r.step).is_zero() {
        let below = v - (v - r.min) % r.step;
        return Some(format!(
            "{what} {} is not a multiple of the {step_name} {}: use {} or {}",
            v.normalize(),
            r.step.normalize(),
            below.normalize(),
            (below + r.step).normalize()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters() -> SymbolFilters {
        SymbolFilters::from_json(&serde_json::json!([
            {"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000", "tickSize": "0.01"},
            {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"},
            {"filterType": "MARKET_LOT_SIZE", "minQty": "0", "maxQty": "100", "stepSize": "0"},
            {"filterType": "NOTIONAL", "minNotional": "5", "maxNotional": "9000000"}
        ]))
    }

    fn limit(price: &str, qty: &str) -> OrderShape {
        OrderShape {
            side: Side::Buy,
            order_type: OrderType::Limit,
            price: price.parse().ok(),
            quantity: qty.parse().ok(),
            quote_quantity: None,
            stop_price: None,
        }
    }

    #[test]
    fn filters_accept_a_valid_order_and_name_each_failure() {
        let f = filters();
        assert!(f.check(&limit("60000.01", "0.001")).is_ok());
        let cases = [
            (limit("60000.001", "0.001"), "PRICE_FILTER"),
            (limit("0.001", "0.001"), "PRICE_FILTER"),
            (limit("60000", "0.000001"), "LOT_SIZE"),
            (limit("60000", "0.0010001"), "LOT_SIZE"),
            (limit("1", "0.001"), "NOTIONAL"),
        ];
        for (order, name) in cases {
            let e = f.check(&order).unwrap_err();
            assert_eq!(e.error.msg, format!("Filter failure: {name}"), "{order:?}");
            assert_eq!(e.error.code, ErrorCode::INVALID_MESSAGE);
        }
        let market = OrderShape { order_type: OrderType::Market, price: None, ..limit("0", "101") };
        assert_eq!(f.check(&market).unwrap_err().error.msg, "Filter failure: MARKET_LOT_SIZE");
    }
}
