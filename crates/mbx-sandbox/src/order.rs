//! New-order requests: reading the parameters of `POST /api/v3/order(/test)` (and of each order an
//! order list or a cancel-replace places) into [`OrderTerms`] and checking them against the symbol's
//! filters, with Binance's codes and messages.
//!
//! Checks, first failure wins: `symbol` (`-1102`, `-1121`), `side` (`-1117`), `type` (`-1116`),
//! `timeInForce` (`-1115`), number formats (`-1100`, `-1111`, `-1108`), the mandatory parameters of
//! the order type (`-1102`), parameters the type does not take (`-1106`), then the filters in
//! `exchangeInfo` order (`-1013 Filter failure: ...`): `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`
//! here ([`NewOrder::parse`]); `PERCENT_PRICE_BY_SIDE` and `NOTIONAL` in [`check_at_average`], which
//! needs the symbol's average price and so runs in the engine, at placement, against the average of
//! that moment (`order/test` asks the engine for the average first).
//!
//! The average is the volume-weighted price of the symbol's trades over the filter's `avgPriceMins`
//! (the last trade price when none traded in that window), as `GET /api/v3/avgPrice` shows it. A
//! symbol that has never traded has no average, and the two filters that need one pass: so a fresh
//! sandbox takes the documentation's example order (LTCBTC at 0.1, far above the market maker's
//! prices around 0.0015) until its first trade, after which that order fails
//! `PERCENT_PRICE_BY_SIDE` as it would on Binance.
//!
//! The engine adds the checks that need its state: `MAX_NUM_ORDERS` (`-1013`), duplicate client
//! order ids and balances (`-2010`).
//!
//! Known limitations: trailing stops, icebergs and pegged prices are not enabled on sandbox symbols
//! (their parameters are refused with `-1130`); the `NOTIONAL` of a `STOP_LOSS` / `TAKE_PROFIT`
//! (market) order is not checked.

use mbx_core::model::{OrderResponseType, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::{ApiError, ErrorCode, Params, WireValue};
use rust_decimal::Decimal;

use crate::engine::order::OrderTerms;
use crate::error::{Result, SandboxError};
use crate::extract::{clip, invalid_value, optional, required};
use crate::market::{Market, STP_MODES, SymbolSpec};

/// Whether the type takes `price`.
pub(crate) fn takes_price(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::Limit | OrderType::LimitMaker | OrderType::StopLossLimit | OrderType::TakeProfitLimit
    )
}

/// Whether the type takes `timeInForce`.
fn takes_time_in_force(t: &OrderType) -> bool {
    matches!(t, OrderType::Limit | OrderType::StopLossLimit | OrderType::TakeProfitLimit)
}

/// Whether the type takes `stopPrice`.
fn takes_stop_price(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::StopLoss | OrderType::StopLossLimit | OrderType::TakeProfit | OrderType::TakeProfitLimit
    )
}

/// A new order, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder<'m> {
    /// The symbol's rules.
    pub symbol: &'m SymbolSpec,
    /// What the order asks for.
    pub terms: OrderTerms,
    /// Wire: newOrderRespType (`None`: the type's default).
    pub resp_type: Option<OrderResponseType>,
}

/// Binance's pattern for decimal parameters.
const DECIMAL_PATTERN: &str = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";
/// Binance's pattern for client order ids.
const CLIENT_ID_PATTERN: &str = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";

impl<'m> NewOrder<'m> {
    /// Reads and checks the parameters of a new order: everything up to the filters that need the
    /// average price ([`check_at_average`], which the engine runs at placement).
    pub fn parse(params: &Params, market: &'m Market) -> Result<NewOrder<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
        let side = enum_param(params, "side", Side::parse_known, ErrorCode::INVALID_SIDE, "BUY or SELL")?;
        let order_type = enum_param(
            params,
            "type",
            OrderType::parse_known,
            ErrorCode::INVALID_ORDER_TYPE,
            "LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT or TAKE_PROFIT_LIMIT",
        )?;
        let time_in_force = time_in_force_param(params, "timeInForce")?;
        let quantity = decimal_param(params, "quantity")?;
        let quote_order_qty = decimal_param(params, "quoteOrderQty")?;
        let price = decimal_param(params, "price")?;
        let stop_price = decimal_param(params, "stopPrice")?;
        let client_order_id = client_id_param(params, "newClientOrderId")?;
        let resp_type = resp_type_param(params)?;
        let stp_mode = stp_mode_param(params)?;
        refuse_disabled(params, "")?;
        let terms = OrderTerms {
            side,
            order_type,
            time_in_force,
            quantity,
            quote_order_qty,
            price,
            stop_price,
            client_order_id,
            stp_mode,
        };
        check_composition(&terms, "")?;
        check_filters(&terms, symbol)?;
        Ok(NewOrder { symbol, terms, resp_type })
    }
}

/// `name` as an order-list leg spells it: `abovePrice` for `price` with prefix `above`.
pub(crate) fn leg_param(prefix: &str, name: &str) -> String {
    let mut chars = name.chars();
    match (prefix.is_empty(), chars.next()) {
        (false, Some(first)) => format!("{prefix}{}{}", first.to_ascii_uppercase(), chars.as_str()),
        _ => name.to_owned(),
    }
}

/// `timeInForce` (or a leg's): `-1115` when not GTC, IOC or FOK.
pub(crate) fn time_in_force_param(params: &Params, name: &str) -> Result<Option<TimeInForce>> {
    match optional(params, name)? {
        None => Ok(None),
        Some(v) => TimeInForce::parse_known(v).map(Some).ok_or_else(|| {
            SandboxError::rejected(
                ApiError::new(ErrorCode::INVALID_TIF),
                format!("{name}={} is not GTC, IOC or FOK.", clip(v, 20)),
            )
        }),
    }
}

/// A client order id parameter: `-1100` outside Binance's pattern.
pub(crate) fn client_id_param(params: &Params, name: &str) -> Result<Option<String>> {
    match optional(params, name)? {
        None => Ok(None),
        Some(id) if valid_client_id(id) => Ok(Some(id.to_owned())),
        Some(id) => Err(SandboxError::rejected(
            ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &[name, CLIENT_ID_PATTERN]),
            format!(
                "{name}={} has characters outside A-Z a-z 0-9 . : / _ - or is over 36 long.",
                clip(id, 40)
            ),
        )),
    }
}

/// `newOrderRespType`.
pub(crate) fn resp_type_param(params: &Params) -> Result<Option<OrderResponseType>> {
    match optional(params, "newOrderRespType")? {
        None => Ok(None),
        Some(v) => OrderResponseType::parse_known(v)
            .map(Some)
            .ok_or_else(|| invalid_value("newOrderRespType", v, "ACK, RESULT or FULL")),
    }
}

/// `selfTradePreventionMode`, one of the modes the symbols allow.
pub(crate) fn stp_mode_param(params: &Params) -> Result<Option<SelfTradePreventionMode>> {
    match optional(params, "selfTradePreventionMode")? {
        None => Ok(None),
        Some(v) => SelfTradePreventionMode::parse_known(v)
            .filter(|m| STP_MODES.contains(&m.wire()))
            .map(Some)
            .ok_or_else(|| invalid_value("selfTradePreventionMode", v, &STP_MODES.join(", "))),
    }
}

/// Refuses the parameters of features sandbox symbols do not enable (`-1130`): trailing stops,
/// icebergs and pegged prices, named with `prefix` for an order-list leg.
pub(crate) fn refuse_disabled(params: &Params, prefix: &str) -> Result<()> {
    for (name, feature) in [
        ("trailingDelta", "trailing stops"),
        ("icebergQty", "iceberg orders"),
        ("pegPriceType", "pegged orders"),
    ] {
        let name = leg_param(prefix, name);
        if let Some(v) = optional(params, &name)? {
            return Err(invalid_value(
                &name,
                v,
                &format!("nothing here: {feature} are not enabled on sandbox symbols"),
            ));
        }
    }
    Ok(())
}

/// The type's mandatory parameters are there and nothing it does not take is. `prefix` names the
/// leg of an order list (`above`, `below`), whose parameters are spelled `abovePrice` and so on.
pub(crate) fn check_composition(terms: &OrderTerms, prefix: &str) -> Result<()> {
    let t = &terms.order_type;
    let missing = |name: &str| {
        let name = leg_param(prefix, name);
        SandboxError::rejected(
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[&name]),
            format!("A {} order needs '{name}'; send it.", t.wire()),
        )
    };
    let not_taken = |name: &str| {
        let name = leg_param(prefix, name);
        SandboxError::rejected(
            ApiError::with_args(ErrorCode::PARAM_NOT_REQUIRED, 1, &[&name]),
            format!("A {} order does not take '{name}'; leave it out.", t.wire()),
        )
    };
    if takes_time_in_force(t) && terms.time_in_force.is_none() {
        return Err(missing("timeInForce"));
    }
    if *t == OrderType::Market {
        if terms.quantity.is_none() && terms.quote_order_qty.is_none() {
            return Err(SandboxError::rejected(
                ApiError::with_args(
                    ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED,
                    2,
                    &["quantity", "quoteOrderQty"],
                ),
                "A MARKET order needs quantity (base asset) or quoteOrderQty (quote asset).",
            ));
        }
        if terms.quantity.is_some() && terms.quote_order_qty.is_some() {
            return Err(not_taken("quoteOrderQty"));
        }
    } else {
        if terms.quantity.is_none() {
            return Err(missing("quantity"));
        }
        if terms.quote_order_qty.is_some() {
            return Err(not_taken("quoteOrderQty"));
        }
    }
    if takes_price(t) && terms.price.is_none() {
        return Err(missing("price"));
    }
    if takes_stop_price(t) && terms.stop_price.is_none() {
        return Err(missing("stopPrice"));
    }
    if !takes_time_in_force(t) && terms.time_in_force.is_some() {
        return Err(not_taken("timeInForce"));
    }
    if !takes_price(t) && terms.price.is_some() {
        return Err(not_taken("price"));
    }
    if !takes_stop_price(t) && terms.stop_price.is_some() {
        return Err(not_taken("stopPrice"));
    }
    Ok(())
}

/// The filters that need nothing but the order and the symbol, in `exchangeInfo` order:
/// `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`.
pub(crate) fn check_filters(terms: &OrderTerms, s: &SymbolSpec) -> Result<()> {
    for (name, value) in [("price", terms.price), ("stopPrice", terms.stop_price)] {
        if let Some(p) = value
            && !s.price_filter.passes(p)
        {
            let f = &s.price_filter;
            return Err(filter_failure(
                "PRICE_FILTER",
                format!(
                    "{name} {p} is outside PRICE_FILTER of {} (min {}, max {}, tick {}).",
                    s.symbol,
                    f.min_price.normalize(),
                    f.max_price.normalize(),
                    f.tick_size.normalize()
                ),
            ));
        }
    }
    if let Some(q) = terms.quantity {
        if !s.lot_size.passes(q) {
            let l = &s.lot_size;
            return Err(filter_failure(
                "LOT_SIZE",
                format!(
                    "quantity {q} is outside LOT_SIZE of {} (min {}, max {}, step {}).",
                    s.symbol,
                    l.min_qty.normalize(),
                    l.max_qty.normalize(),
                    l.step_size.normalize()
                ),
            ));
        }
        if terms.order_type == OrderType::Market && !s.market_lot_size.passes(q) {
            let l = &s.market_lot_size;
            return Err(filter_failure(
                "MARKET_LOT_SIZE",
                format!(
                    "quantity {q} is outside MARKET_LOT_SIZE of {} (min {}, max {}).",
                    s.symbol,
                    l.min_qty.normalize(),
                    l.max_qty.normalize()
                ),
            ));
        }
    }
    Ok(())
}

/// The average prices the filters judge an order by, one per filter (each has its own
/// `avgPriceMins`); `None` where the symbol has no average (it has never traded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AveragePrices {
    /// For `PERCENT_PRICE_BY_SIDE`.
    pub percent_price: Option<Decimal>,
    /// For `NOTIONAL` on MARKET orders.
    pub notional: Option<Decimal>,
}

/// The filters that need the average price, in `exchangeInfo` order: `PERCENT_PRICE_BY_SIDE` on
/// `price` (the band of the order's side around the average), then `NOTIONAL`: `price * quantity` for
/// a priced order; for a MARKET order, `quoteOrderQty`, or the average price times `quantity`, with
/// `minNotional` only if `applyMinToMarket` and `maxNotional` only if `applyMaxToMarket`. A filter
/// whose average is unknown passes.
pub fn check_at_average(terms: &OrderTerms, s: &SymbolSpec, avg: AveragePrices) -> Result<()> {
    if let (Some(p), Some(a)) = (terms.price, avg.percent_price.filter(|a| *a > Decimal::ZERO)) {
        let f = &s.percent_price_by_side;
        let (low, high) = f.bounds(&terms.side, a);
        if p < low || p > high {
            let names = match terms.side {
                Side::Sell => "askMultiplierDown and askMultiplierUp",
                _ => "bidMultiplierDown and bidMultiplierUp",
            };
            return Err(filter_failure(
                "PERCENT_PRICE_BY_SIDE",
                format!(
                    "A {} price of {} on {} must lie between {} and {} ({names} times the {}-minute average price {}).",
                    terms.side,
                    p.normalize(),
                    s.symbol,
                    low.normalize(),
                    high.normalize(),
                    f.avg_price_mins,
                    a.normalize()
                ),
            ));
        }
    }
    let n = &s.notional;
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
    let check_max = !market || n.apply_max_to_market;
    if (check_min && notional < n.min_notional) || (check_max && notional > n.max_notional) {
        let bounds = match (check_min, check_max) {
            (true, true) => {
                format!("min {}, max {}", n.min_notional.normalize(), n.max_notional.normalize())
            }
            (true, false) => format!("min {}; the max does not apply to MARKET", n.min_notional.normalize()),
            _ => format!("max {}; the min does not apply to MARKET", n.max_notional.normalize()),
        };
        return Err(filter_failure(
            "NOTIONAL",
            format!(
                "The order's notional {} ({how}) is outside NOTIONAL of {} ({bounds}).",
                notional.normalize(),
                s.symbol
            ),
        ));
    }
    Ok(())
}

pub(crate) fn enum_param<T>(
    params: &Params,
    name: &str,
    parse: fn(&str) -> Option<T>,
    code: ErrorCode,
    expected: &str,
) -> Result<T> {
    let raw = required(params, name)?;
    parse(raw).ok_or_else(|| {
        SandboxError::rejected(
            ApiError::new(code),
            format!("{name}={} is not one of {expected} (case-sensitive).", clip(raw, 30)),
        )
    })
}

/// A `DECIMAL` parameter: digits with an optional fraction, each part at most 20 digits.
pub(crate) fn decimal_param(params: &Params, name: &str) -> Result<Option<Decimal>> {
    let Some(raw) = optional(params, name)? else { return Ok(None) };
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let digits =
        |s: &str, min: usize| s.len() >= min && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int, 1) || !(digits(frac, 1) || (frac.is_empty() && !raw.contains('.'))) {
        return Err(SandboxError::rejected(
            ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &[name, DECIMAL_PATTERN]),
            format!(
                "{name}={} is not a plain decimal number (digits, one optional point, no sign or exponent).",
                clip(raw, 40)
            ),
        ));
    }
    Decimal::from_str_exact(raw).map(Some).map_err(|e| {
        if matches!(e, rust_decimal::Error::Underflow) {
            SandboxError::rejected(
                ApiError::with_args(ErrorCode::BAD_PRECISION, 0, &[name]),
                format!(
                    "{name}={} has more decimals than can be represented; round it to the symbol's step.",
                    clip(raw, 48)
                ),
            )
        } else {
            SandboxError::rejected(
                ApiError::with_args(ErrorCode::PARAM_OVERFLOW, 0, &[name]),
                format!("{name}={} is too large to represent.", clip(raw, 48)),
            )
        }
    })
}

fn valid_client_id(id: &str) -> bool {
    (1..=36).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'/' | b'_' | b'-'))
}

/// `-1013` with the catalog's exact `Filter failure: NAME` message.
pub(crate) fn filter_failure(filter: &str, hint: String) -> SandboxError {
    let wanted = format!("Filter failure: {filter}");
    let msg = ErrorCode::INVALID_MESSAGE
        .entry()
        .and_then(|e| e.messages.iter().find(|m| **m == wanted))
        .map_or(wanted.clone(), |m| (*m).to_owned());
    SandboxError::rejected(ApiError::with_msg(ErrorCode::INVALID_MESSAGE, msg), hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::RateLimits;
    use crate::seed;

    fn market() -> Market {
        Market::new(seed::default_symbols(), RateLimits::default())
    }

    fn parse(q: &str) -> std::result::Result<(), ApiError> {
        parse_at(q, AveragePrices::default())
    }

    /// Parses and runs the average-price filters with `avg`.
    fn parse_at(q: &str, avg: AveragePrices) -> std::result::Result<(), ApiError> {
        let m = market();
        let p = Params::parse_query(q).unwrap();
        NewOrder::parse(&p, &m)
            .and_then(|o| check_at_average(&o.terms, o.symbol, avg))
            .map_err(|e| e.api_error().unwrap())
    }

    #[test]
    fn docs_example_passes() {
        parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1").unwrap();
        parse("symbol=这是测试币456&side=SELL&type=MARKET&quantity=2.5").unwrap();
    }

    #[test]
    fn errors_carry_binance_codes_and_messages() {
        let e = parse("side=BUY&type=LIMIT").unwrap_err();
        assert_eq!(e.msg, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        assert_eq!(parse("symbol=NOPE&side=BUY&type=LIMIT").unwrap_err().code, ErrorCode::BAD_SYMBOL);
        assert_eq!(parse("symbol=LTCBTC&side=buy&type=LIMIT").unwrap_err().code, ErrorCode::INVALID_SIDE);
        let e =
            parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1e3&price=0.1").unwrap_err();
        assert_eq!(
            e.msg,
            "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."
        );
        let e = parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1000001")
            .unwrap_err();
        assert_eq!(e.msg, "Filter failure: PRICE_FILTER");
        let e =
            parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0001&price=0.1").unwrap_err();
        assert_eq!(e.msg, "Filter failure: LOT_SIZE");
        let e =
            parse("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0001&price=1").unwrap_err();
        assert_eq!(e.msg, "Filter failure: NOTIONAL");
        let e = parse("symbol=BTCUSDT&side=BUY&type=MARKET").unwrap_err();
        assert_eq!(e.msg, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
        let e = parse("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timeInForce=GTC").unwrap_err();
        assert_eq!(e.msg, "Parameter 'timeInForce' sent when not required.");
    }

    #[test]
    fn percent_price_by_side_bands_each_side_around_the_average() {
        let at = |price: &str, side: &str| {
            let avg = AveragePrices { percent_price: Some(Decimal::from(100)), notional: None };
            parse_at(
                &format!("symbol=BTCUSDT&side={side}&type=LIMIT&timeInForce=GTC&quantity=1&price={price}"),
                avg,
            )
            .map_err(|e| e.msg)
        };
        // 0.2 to 5 times the average, on either side.
        assert_eq!(at("20", "BUY"), Ok(()));
        assert_eq!(at("500", "SELL"), Ok(()));
        assert_eq!(at("19.99", "BUY"), Err("Filter failure: PERCENT_PRICE_BY_SIDE".into()));
        assert_eq!(at("500.01", "SELL"), Err("Filter failure: PERCENT_PRICE_BY_SIDE".into()));
        // No average (never traded): nothing to judge by.
        assert_eq!(
            parse("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=999999"),
            Ok(())
        );
    }

    #[test]
    fn market_notional_by_quantity_uses_the_average_and_apply_flags() {
        let avg = AveragePrices { percent_price: None, notional: Some(Decimal::from(60_000)) };
        // 0.00008 * 60000 = 4.8 < minNotional 5, and applyMinToMarket is true.
        let e = parse_at("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00008", avg).unwrap_err();
        assert_eq!(e.msg, "Filter failure: NOTIONAL");
        parse_at("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.0001", avg).unwrap();
        // applyMaxToMarket is false: 100 * 60000 is over maxNotional 9000000 but passes.
        parse_at("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=100", avg).unwrap();
        let e = parse_at("symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=4.99", avg).unwrap_err();
        assert_eq!(e.msg, "Filter failure: NOTIONAL");
        // Without an average, a MARKET order by quantity is not judged.
        parse("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00008").unwrap();
    }

    #[test]
    fn absurd_numbers_are_rejected_not_panicking() {
        let huge = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity={}", "9".repeat(20));
        assert!(parse(&huge).is_err());
        let precise = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1.{}", "1".repeat(20));
        assert!(parse(&precise).is_err());
        let both = format!(
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity={0}.{0}&price={0}",
            "9".repeat(20)
        );
        assert!(parse(&both).is_err());
    }
}
