//! Symbol filters (filters.md) as pure checks of [`OrderTerms`]: one function the client's pre-flight
//! and the sandbox's order handling both call, so they refuse the same orders with the same
//! `-1013 Filter failure: ...` and the same advice.
//!
//! [`SymbolFilters::check`] runs the filters that need only the order, in `exchangeInfo` order:
//! `PRICE_FILTER` (price and stopPrice), `LOT_SIZE` (quantity and icebergQty), `ICEBERG_PARTS`,
//! `MARKET_LOT_SIZE`, `TRAILING_DELTA`. [`SymbolFilters::check_at_average`]
//! runs the two that need the average price: `PERCENT_PRICE_BY_SIDE` and `NOTIONAL` (a priced order's
//! `price x quantity` needs no average; a MARKET order by `quantity` does). A filter whose average is
//! unknown passes. Account state (`MAX_NUM_ORDERS`, `MAX_NUM_ICEBERG_ORDERS`) is left to the exchange,
//! which reads the limits here ([`SymbolFilters::max_num_iceberg_orders`]).
//!
//! ```
//! use mbx_core::filters::SymbolFilters;
//! use mbx_core::order::OrderTerms;
//! use mbx_core::Params;
//! let filters = SymbolFilters::from_json(&serde_json::json!([
//!     {"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000", "tickSize": "0.01"},
//!     {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"},
//!     {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": true, "maxNotional": "9000000", "applyMaxToMarket": false, "avgPriceMins": 5}
//! ]));
//! let p = Params::new().text("side", "BUY").text("type", "LIMIT").text("timeInForce", "GTC")
//!     .text("price", "60000.001").text("quantity", "0.001");
//! let e = filters.check(&OrderTerms::parse(&p).unwrap()).unwrap_err();
//! assert_eq!(e.error.msg, "Filter failure: PRICE_FILTER");
//! assert!(e.advice.contains("multiple of the tick size 0.01"));
//! ```

use rust_decimal::Decimal;

use crate::error::{ApiError, ErrorCode};
use crate::model::{OrderType, Side};
use crate::order::{OrderTerms, Refusal};

/// A filter failure: `-1013 Filter failure: NAME` and a sentence on what to change.
pub type FilterFailure = Refusal;

/// `PRICE_FILTER`: bounds and tick of `price` / `stopPrice`. A zero disables its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceFilter {
    /// Wire: minPrice.
    pub min_price: Decimal,
    /// Wire: maxPrice.
    pub max_price: Decimal,
    /// Wire: tickSize.
    pub tick_size: Decimal,
}

impl PriceFilter {
    /// Whether `price` passes every enabled rule (filters.md: `price % tickSize == 0`).
    pub fn passes(&self, price: Decimal) -> bool {
        self.problem(price, "price").is_none()
    }

    fn problem(&self, v: Decimal, what: &str) -> Option<String> {
        let grid =
            Grid { min: self.min_price, max: self.max_price, base: Decimal::ZERO, step: self.tick_size };
        grid.problem(v, what, "tick size")
    }
}

/// `LOT_SIZE` and `MARKET_LOT_SIZE`: bounds and step of `quantity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotSize {
    /// Wire: minQty.
    pub min_qty: Decimal,
    /// Wire: maxQty.
    pub max_qty: Decimal,
    /// Wire: stepSize (zero disables the step rule).
    pub step_size: Decimal,
}

impl LotSize {
    /// Whether `qty` passes (filters.md: `(quantity - minQty) % stepSize == 0`).
    pub fn passes(&self, qty: Decimal) -> bool {
        self.problem(qty).is_none()
    }

    fn problem(&self, v: Decimal) -> Option<String> {
        let grid = Grid { min: self.min_qty, max: self.max_qty, base: self.min_qty, step: self.step_size };
        grid.problem(v, "quantity", "step size")
    }
}

/// Bounds and a step grid `base + k * step`; a zero `min`, `max` or `step` disables that rule.
struct Grid {
    min: Decimal,
    max: Decimal,
    base: Decimal,
    step: Decimal,
}

impl Grid {
    /// What is wrong with `v` (named `what`), if anything.
    fn problem(&self, v: Decimal, what: &str, step_name: &str) -> Option<String> {
        if !self.min.is_zero() && v < self.min {
            return Some(format!("{what} {} is below the minimum {}", v.normalize(), self.min.normalize()));
        }
        if !self.max.is_zero() && v > self.max {
            return Some(format!("{what} {} is above the maximum {}", v.normalize(), self.max.normalize()));
        }
        off_step(v, self.base, self.step).map(|(below, above)| {
            format!(
                "{what} {} is not a multiple of the {step_name} {}: use {} or {}",
                v.normalize(),
                self.step.normalize(),
                below.normalize(),
                above.normalize()
            )
        })
    }
}

/// The neighbours on the grid `base + k * step` of a `v` that is off it; `None` when on it (or no
/// step is set).
fn off_step(v: Decimal, base: Decimal, step: Decimal) -> Option<(Decimal, Decimal)> {
    if step.is_zero() {
        return None;
    }
    let rest = (v - base).checked_rem(step)?;
    if rest.is_zero() {
        return None;
    }
    let below = v - rest;
    Some((below, below + step))
}

/// `NOTIONAL`: bounds of an order's value, `price * quantity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotionalFilter {
    /// Wire: minNotional.
    pub min_notional: Decimal,
    /// Wire: applyMinToMarket.
    pub apply_min_to_market: bool,
    /// Wire: maxNotional (zero: no maximum).
    pub max_notional: Decimal,
    /// Wire: applyMaxToMarket.
    pub apply_max_to_market: bool,
    /// Wire: avgPriceMins.
    pub avg_price_mins: u32,
}

impl NotionalFilter {
    /// Whether a priced order's notional passes.
    pub fn passes(&self, notional: Decimal) -> bool {
        notional >= self.min_notional && (self.max_notional.is_zero() || notional <= self.max_notional)
    }
}

/// `PERCENT_PRICE_BY_SIDE`: price bands around the average price, per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentPriceBySide {
    /// Wire: bidMultiplierUp.
    pub bid_multiplier_up: Decimal,
    /// Wire: bidMultiplierDown.
    pub bid_multiplier_down: Decimal,
    /// Wire: askMultiplierUp.
    pub ask_multiplier_up: Decimal,
    /// Wire: askMultiplierDown.
    pub ask_multiplier_down: Decimal,
    /// Wire: avgPriceMins.
    pub avg_price_mins: u32,
}

impl PercentPriceBySide {
    /// The prices an order of `side` may have with average price `avg`: (lowest, highest). A
    /// product too large to represent leaves that bound open.
    pub fn bounds(&self, side: &Side, avg: Decimal) -> (Decimal, Decimal) {
        let (down, up) = match side {
            Side::Sell => (self.ask_multiplier_down, self.ask_multiplier_up),
            _ => (self.bid_multiplier_down, self.bid_multiplier_up),
        };
        (avg.checked_mul(down).unwrap_or(Decimal::ZERO), avg.checked_mul(up).unwrap_or(Decimal::MAX))
    }
}

/// `TRAILING_DELTA`: bounds of `trailingDelta` (BIPS), one pair for orders that trigger on a rise
/// ("above": `STOP_LOSS` BUY, `TAKE_PROFIT` SELL and their limits) and one for orders that trigger
/// on a fall ("below": `STOP_LOSS` SELL, `TAKE_PROFIT` BUY and their limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrailingDeltaFilter {
    /// Wire: minTrailingAboveDelta.
    pub min_above: u64,
    /// Wire: maxTrailingAboveDelta.
    pub max_above: u64,
    /// Wire: minTrailingBelowDelta.
    pub min_below: u64,
    /// Wire: maxTrailingBelowDelta.
    pub max_below: u64,
}

/// Whether a stop order of this type and side uses the "above" bounds of `TRAILING_DELTA` (it
/// triggers on a price rise: a `STOP_LOSS` BUY or a `TAKE_PROFIT` SELL, or their limits).
pub fn trails_above(order_type: &OrderType, side: &Side) -> bool {
    let stop_loss = matches!(order_type, OrderType::StopLoss | OrderType::StopLossLimit);
    stop_loss == (*side == Side::Buy)
}

impl TrailingDeltaFilter {
    /// The (min, max) for an order of this type and side.
    pub fn bounds(&self, order_type: &OrderType, side: &Side) -> (u64, u64) {
        if trails_above(order_type, side) {
            (self.min_above, self.max_above)
        } else {
            (self.min_below, self.max_below)
        }
    }
}

/// The number of parts of an iceberg, `CEIL(quantity / icebergQty)` (filters.md `ICEBERG_PARTS`);
/// `None` when `iceberg_qty` is not positive.
pub fn iceberg_parts(quantity: Decimal, iceberg_qty: Decimal) -> Option<Decimal> {
    if iceberg_qty <= Decimal::ZERO {
        return None;
    }
    quantity.checked_div(iceberg_qty).map(|n| n.ceil())
}

/// The average prices the filters judge an order by, one per filter (each has its own
/// `avgPriceMins`); `None` where the average is not known (a symbol that never traded, or a client
/// that did not ask).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AveragePrices {
    /// For `PERCENT_PRICE_BY_SIDE`.
    pub percent_price: Option<Decimal>,
    /// For `NOTIONAL` on MARKET orders.
    pub notional: Option<Decimal>,
}

/// The checkable filters of one symbol; a filter the symbol does not have is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SymbolFilters {
    /// `PRICE_FILTER`.
    pub price: Option<PriceFilter>,
    /// `LOT_SIZE`.
    pub lot: Option<LotSize>,
    /// `MARKET_LOT_SIZE`.
    pub market_lot: Option<LotSize>,
    /// `PERCENT_PRICE_BY_SIDE`.
    pub percent_price_by_side: Option<PercentPriceBySide>,
    /// `NOTIONAL` (or the older `MIN_NOTIONAL`, read as a minimum that applies to MARKET orders as
    /// its `applyToMarket` says).
    pub notional: Option<NotionalFilter>,
    /// `ICEBERG_PARTS`: `limit`, the most parts an iceberg may have.
    pub iceberg_parts: Option<u64>,
    /// `TRAILING_DELTA`.
    pub trailing_delta: Option<TrailingDeltaFilter>,
    /// `MAX_NUM_ICEBERG_ORDERS`: `maxNumIcebergOrders`, open icebergs per account on the symbol
    /// (checked by whoever knows the open orders: the exchange).
    pub max_num_iceberg_orders: Option<u64>,
}

fn dec(v: &serde_json::Value, key: &str) -> Decimal {
    v.get(key).and_then(|x| x.as_str()).and_then(|s| s.parse().ok()).unwrap_or_default()
}

fn flag(v: &serde_json::Value, key: &str) -> bool {
    v.get(key).and_then(serde_json::Value::as_bool).unwrap_or(false)
}

fn count(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0)
}

fn mins(v: &serde_json::Value) -> u32 {
    v.get("avgPriceMins").and_then(serde_json::Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

/// `-1013` with the catalog's exact `Filter failure: NAME` message.
pub fn filter_failure(filter: &str, advice: impl Into<String>) -> FilterFailure {
    let wanted = format!("Filter failure: {filter}");
    let msg = ErrorCode::INVALID_MESSAGE
        .entry()
        .and_then(|e| e.messages.iter().find(|m| **m == wanted))
        .map_or(wanted.clone(), |m| (*m).to_owned());
    Refusal::new(ApiError::with_msg(ErrorCode::INVALID_MESSAGE, msg), advice)
}

impl SymbolFilters {
    /// Reads the `filters` array of a symbol in exchangeInfo (unknown filters are ignored).
    pub fn from_json(filters: &serde_json::Value) -> Self {
        let mut out = SymbolFilters::default();
        for f in filters.as_array().into_iter().flatten() {
            let lot = || LotSize {
                min_qty: dec(f, "minQty"),
                max_qty: dec(f, "maxQty"),
                step_size: dec(f, "stepSize"),
            };
            match f.get("filterType").and_then(|t| t.as_str()) {
                Some("PRICE_FILTER") => {
                    out.price = Some(PriceFilter {
                        min_price: dec(f, "minPrice"),
                        max_price: dec(f, "maxPrice"),
                        tick_size: dec(f, "tickSize"),
                    })
                }
                Some("LOT_SIZE") => out.lot = Some(lot()),
                Some("MARKET_LOT_SIZE") => out.market_lot = Some(lot()),
                Some("PERCENT_PRICE_BY_SIDE") => {
                    out.percent_price_by_side = Some(PercentPriceBySide {
                        bid_multiplier_up: dec(f, "bidMultiplierUp"),
                        bid_multiplier_down: dec(f, "bidMultiplierDown"),
                        ask_multiplier_up: dec(f, "askMultiplierUp"),
                        ask_multiplier_down: dec(f, "askMultiplierDown"),
                        avg_price_mins: mins(f),
                    })
                }
                Some("NOTIONAL") => {
                    out.notional = Some(NotionalFilter {
                        min_notional: dec(f, "minNotional"),
                        apply_min_to_market: flag(f, "applyMinToMarket"),
                        max_notional: dec(f, "maxNotional"),
                        apply_max_to_market: flag(f, "applyMaxToMarket"),
                        avg_price_mins: mins(f),
                    })
                }
                Some("ICEBERG_PARTS") => out.iceberg_parts = Some(count(f, "limit")),
                Some("TRAILING_DELTA") => {
                    out.trailing_delta = Some(TrailingDeltaFilter {
                        min_above: count(f, "minTrailingAboveDelta"),
                        max_above: count(f, "maxTrailingAboveDelta"),
                        min_below: count(f, "minTrailingBelowDelta"),
                        max_below: count(f, "maxTrailingBelowDelta"),
                    })
                }
                Some("MAX_NUM_ICEBERG_ORDERS") => {
                    out.max_num_iceberg_orders = Some(count(f, "maxNumIcebergOrders"))
                }
                Some("MIN_NOTIONAL") if out.notional.is_none() => {
                    out.notional = Some(NotionalFilter {
                        min_notional: dec(f, "minNotional"),
                        apply_min_to_market: flag(f, "applyToMarket"),
                        max_notional: Decimal::ZERO,
                        apply_max_to_market: false,
                        avg_price_mins: mins(f),
                    })
                }
                _ => {}
            }
        }
        out
    }

    /// The filters that need only the order, in `exchangeInfo` order: `PRICE_FILTER` (price, then
    /// stopPrice), `LOT_SIZE` (quantity, then icebergQty), `ICEBERG_PARTS`, `MARKET_LOT_SIZE`,
    /// `TRAILING_DELTA`. The first failure is returned, as Binance reports one. An `icebergQty` of
    /// zero makes no iceberg (filters.md: an iceberg is an order with `icebergQty` > 0) and is not
    /// judged.
    pub fn check(&self, terms: &OrderTerms) -> Result<(), FilterFailure> {
        if let Some(f) = &self.price {
            for (what, value) in [("price", terms.price), ("stopPrice", terms.stop_price)] {
                if let Some(advice) = value.and_then(|p| f.problem(p, what)) {
                    return Err(filter_failure("PRICE_FILTER", advice));
                }
            }
        }
        if let Some(q) = terms.quantity {
            if let Some(advice) = self.lot.and_then(|l| l.problem(q)) {
                return Err(filter_failure("LOT_SIZE", advice));
            }
            if let Some(iceberg) = terms.features.iceberg_qty.filter(|i| *i > Decimal::ZERO) {
                if let Some(advice) = self.lot.and_then(|l| l.problem(iceberg)) {
                    return Err(filter_failure("LOT_SIZE", format!("icebergQty: {advice}")));
                }
                if let (Some(limit), Some(parts)) = (self.iceberg_parts, iceberg_parts(q, iceberg))
                    && parts > Decimal::from(limit)
                {
                    return Err(filter_failure(
                        "ICEBERG_PARTS",
                        format!(
                            "quantity {} in parts of icebergQty {} makes {parts} parts; the symbol allows {limit}. Raise icebergQty to at least quantity / {limit}.",
                            q.normalize(),
                            iceberg.normalize()
                        ),
                    ));
                }
            }
            let market_lot = if terms.order_type == OrderType::Market { self.market_lot } else { None };
            if let Some(advice) = market_lot.and_then(|l| l.problem(q)) {
                return Err(filter_failure("MARKET_LOT_SIZE", advice));
            }
        }
        if let (Some(f), Some(delta)) = (&self.trailing_delta, terms.features.trailing_delta) {
            let (min, max) = f.bounds(&terms.order_type, &terms.side);
            if delta < min || delta > max {
                let which = if trails_above(&terms.order_type, &terms.side) { "Above" } else { "Below" };
                return Err(filter_failure(
                    "TRAILING_DELTA",
                    format!(
                        "trailingDelta {delta} of a {} {} must lie between minTrailing{which}Delta {min} and maxTrailing{which}Delta {max} (BIPS: 100 = 1%).",
                        terms.order_type, terms.side
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The filters that need the average price, in `exchangeInfo` order: `PERCENT_PRICE_BY_SIDE` on
    /// `price` (the band of the order's side around the average), then `NOTIONAL`: `price *
    /// quantity` for a priced order; for a MARKET order, `quoteOrderQty`, or the average price times
    /// `quantity`, with `minNotional` only if `applyMinToMarket` and `maxNotional` only if
    /// `applyMaxToMarket`. A filter whose average is unknown passes.
    pub fn check_at_average(&self, terms: &OrderTerms, avg: AveragePrices) -> Result<(), FilterFailure> {
        if let (Some(f), Some(p), Some(a)) =
            (&self.percent_price_by_side, terms.price, avg.percent_price.filter(|a| *a > Decimal::ZERO))
        {
            let (low, high) = f.bounds(&terms.side, a);
            if p < low || p > high {
                let names = match terms.side {
                    Side::Sell => "askMultiplierDown and askMultiplierUp",
                    _ => "bidMultiplierDown and bidMultiplierUp",
                };
                return Err(filter_failure(
                    "PERCENT_PRICE_BY_SIDE",
                    format!(
                        "A {} price of {} must lie between {} and {} ({names} times the {}-minute average price {}).",
                        terms.side,
                        p.normalize(),
                        low.normalize(),
                        high.normalize(),
                        f.avg_price_mins,
                        a.normalize()
                    ),
                ));
            }
        }
        let Some(n) = &self.notional else { return Ok(()) };
        let market = terms.order_type == OrderType::Market;
        let (notional, how) = match (terms.price, terms.quantity, terms.quote_order_qty) {
            (Some(p), Some(q), _) => (p.checked_mul(q), "price x quantity".to_owned()),
            (None, None, Some(quote)) if market => (Some(quote), "quoteOrderQty".to_owned()),
            (None, Some(q), None) if market => match avg.notional {
                Some(a) => (
                    a.checked_mul(q),
                    format!("quantity x the {}-minute average price {}", n.avg_price_mins, a.normalize()),
                ),
                None => (None, String::new()),
            },
            _ => (None, String::new()),
        };
        let Some(notional) = notional else { return Ok(()) };
        let check_min = !market || n.apply_min_to_market;
        let check_max = (!market || n.apply_max_to_market) && !n.max_notional.is_zero();
        if (check_min && notional < n.min_notional) || (check_max && notional > n.max_notional) {
            let bounds = match (check_min, check_max) {
                (true, true) => {
                    format!("min {}, max {}", n.min_notional.normalize(), n.max_notional.normalize())
                }
                (true, false) if market => {
                    format!("min {}; the max does not apply to MARKET", n.min_notional.normalize())
                }
                (true, false) => format!("min {}", n.min_notional.normalize()),
                _ => format!("max {}; the min does not apply to MARKET", n.max_notional.normalize()),
            };
            return Err(filter_failure(
                "NOTIONAL",
                format!(
                    "The order's notional {} ({how}) is outside NOTIONAL ({bounds}).",
                    notional.normalize()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimeInForce;

    fn filters() -> SymbolFilters {
        SymbolFilters::from_json(&serde_json::json!([
            {"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000", "tickSize": "0.01"},
            {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"},
            {"filterType": "MARKET_LOT_SIZE", "minQty": "0", "maxQty": "100", "stepSize": "0"},
            {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": true, "maxNotional": "9000000", "applyMaxToMarket": false, "avgPriceMins": 5}
        ]))
    }

    fn limit(price: &str, qty: &str) -> OrderTerms {
        OrderTerms {
            side: Side::Buy,
            order_type: OrderType::Limit,
            time_in_force: Some(TimeInForce::Gtc),
            price: price.parse().ok(),
            quantity: qty.parse().ok(),
            quote_order_qty: None,
            stop_price: None,
            client_order_id: None,
            stp_mode: None,
            features: Default::default(),
        }
    }

    fn all(f: &SymbolFilters, t: &OrderTerms) -> Result<(), FilterFailure> {
        f.check(t)?;
        f.check_at_average(t, AveragePrices::default())
    }

    #[test]
    fn filters_accept_a_valid_order_and_name_each_failure() {
        let f = filters();
        assert!(all(&f, &limit("60000.01", "0.001")).is_ok());
        let cases = [
            (limit("60000.001", "0.001"), "PRICE_FILTER"),
            (limit("0.001", "0.001"), "PRICE_FILTER"),
            (limit("60000", "0.000001"), "LOT_SIZE"),
            (limit("60000", "0.0010001"), "LOT_SIZE"),
            (limit("1", "0.001"), "NOTIONAL"),
        ];
        for (order, name) in cases {
            let e = all(&f, &order).unwrap_err();
            assert_eq!(e.error.msg, format!("Filter failure: {name}"), "{order:?}");
            assert_eq!(e.error.code, ErrorCode::INVALID_MESSAGE);
        }
        let market = OrderTerms {
            order_type: OrderType::Market,
            price: None,
            time_in_force: None,
            ..limit("0", "101")
        };
        assert_eq!(all(&f, &market).unwrap_err().error.msg, "Filter failure: MARKET_LOT_SIZE");
    }

    #[test]
    fn iceberg_and_trailing_filters_name_their_failure() {
        let f = SymbolFilters::from_json(&serde_json::json!([
            {"filterType": "LOT_SIZE", "minQty": "0.001", "maxQty": "9000", "stepSize": "0.001"},
            {"filterType": "ICEBERG_PARTS", "limit": 10},
            {"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": 10, "maxTrailingAboveDelta": 2000,
             "minTrailingBelowDelta": 20, "maxTrailingBelowDelta": 1000},
            {"filterType": "MAX_NUM_ICEBERG_ORDERS", "maxNumIcebergOrders": 5}
        ]));
        assert_eq!(f.max_num_iceberg_orders, Some(5));
        let iceberg = |qty: &str, part: &str| OrderTerms {
            features: crate::order::OrderFeatures { iceberg_qty: part.parse().ok(), ..Default::default() },
            ..limit("1", qty)
        };
        assert!(f.check(&iceberg("1", "0.1")).is_ok(), "10 parts");
        let e = f.check(&iceberg("1", "0.099")).unwrap_err();
        assert_eq!(e.error.msg, "Filter failure: ICEBERG_PARTS");
        assert!(e.advice.contains("11 parts"), "{}", e.advice);
        assert_eq!(f.check(&iceberg("1", "0.1005")).unwrap_err().error.msg, "Filter failure: LOT_SIZE");
        assert!(f.check(&iceberg("1", "0")).is_ok(), "icebergQty 0 is no iceberg");
        let trailing = |t: OrderType, side: Side, delta: u64| OrderTerms {
            side,
            order_type: t,
            time_in_force: None,
            price: None,
            stop_price: None,
            features: crate::order::OrderFeatures { trailing_delta: Some(delta), ..Default::default() },
            ..limit("1", "1")
        };
        // Above: STOP_LOSS BUY, TAKE_PROFIT SELL; below: STOP_LOSS SELL, TAKE_PROFIT BUY.
        assert!(f.check(&trailing(OrderType::StopLoss, Side::Buy, 10)).is_ok());
        assert!(f.check(&trailing(OrderType::TakeProfit, Side::Sell, 2000)).is_ok());
        assert!(f.check(&trailing(OrderType::StopLoss, Side::Sell, 10)).is_err());
        assert!(f.check(&trailing(OrderType::TakeProfitLimit, Side::Buy, 1001)).is_err());
        let e = f.check(&trailing(OrderType::StopLossLimit, Side::Buy, 2001)).unwrap_err();
        assert_eq!(
            (e.error.code, e.error.msg.as_str()),
            (ErrorCode::INVALID_MESSAGE, "Filter failure: TRAILING_DELTA")
        );
        assert!(e.advice.contains("maxTrailingAboveDelta 2000"), "{}", e.advice);
    }

    #[test]
    fn price_ticks_from_zero_and_quantity_steps_from_min() {
        // filters.md: price % tickSize == 0; (quantity - minQty) % stepSize == 0.
        let f = SymbolFilters {
            price: Some(PriceFilter {
                min_price: Decimal::new(5, 3),
                max_price: Decimal::ZERO,
                tick_size: Decimal::new(1, 2),
            }),
            lot: Some(LotSize {
                min_qty: Decimal::new(5, 3),
                max_qty: Decimal::ZERO,
                step_size: Decimal::new(1, 2),
            }),
            ..SymbolFilters::default()
        };
        assert!(f.check(&limit("0.02", "0.015")).is_ok());
        assert!(f.check(&limit("0.015", "0.015")).unwrap_err().advice.contains("use 0.01 or 0.02"));
        assert!(f.check(&limit("0.02", "0.02")).unwrap_err().advice.contains("use 0.015 or 0.025"));
    }
}
