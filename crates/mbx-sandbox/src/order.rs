//! New-order requests: reading the parameters of `POST /api/v3/order(/test)` into a [`NewOrder`] and
//! checking it against the symbol's filters, with Binance's codes and messages.
//!
//! Checks, first failure wins: `symbol` (`-1102`, `-1121`), `side` (`-1117`), `type` (`-1116`),
//! `timeInForce` (`-1115`), number formats (`-1100`, `-1111`, `-1108`), the mandatory parameters of
//! the order type (`-1102`), parameters the type does not take (`-1106`), then the filters in
//! `exchangeInfo` order (`-1013 Filter failure: ...`).
//!
//! The engine adds the checks that need its state: `MAX_NUM_ORDERS` (`-1013`), duplicate client
//! order ids and balances (`-2010`).
//!
//! Known limitations: `PERCENT_PRICE_BY_SIDE` and the `NOTIONAL` check of a MARKET order by
//! `quantity` need the average price and are not enforced (with them, the docs' own example order,
//! LTCBTC at 0.1, would fail against the market maker's prices around 0.0015); trailing stops and
//! icebergs are not enabled on sandbox symbols.

use mbx_core::model::{OrderResponseType, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::{ApiError, ErrorCode, Params, WireValue};
use rust_decimal::Decimal;

use crate::error::{Result, SandboxError};
use crate::extract::{clip, invalid_value, optional, required};
use crate::market::{Market, STP_MODES, SymbolSpec};

/// Whether the type takes `price`.
fn takes_price(t: &OrderType) -> bool {
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
    /// Wire: side.
    pub side: Side,
    /// Wire: type.
    pub order_type: OrderType,
    /// Wire: timeInForce.
    pub time_in_force: Option<TimeInForce>,
    /// Wire: quantity.
    pub quantity: Option<Decimal>,
    /// Wire: quoteOrderQty.
    pub quote_order_qty: Option<Decimal>,
    /// Wire: price.
    pub price: Option<Decimal>,
    /// Wire: stopPrice.
    pub stop_price: Option<Decimal>,
    /// Wire: newClientOrderId.
    pub new_client_order_id: Option<String>,
    /// Wire: newOrderRespType (`None`: the type's default).
    pub resp_type: Option<OrderResponseType>,
    /// Wire: selfTradePreventionMode.
    pub stp_mode: Option<SelfTradePreventionMode>,
}

/// Binance's pattern for decimal parameters.
const DECIMAL_PATTERN: &str = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";
/// Binance's pattern for client order ids.
const CLIENT_ID_PATTERN: &str = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";

impl<'m> NewOrder<'m> {
    /// Reads and checks the parameters of a new order.
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
        let time_in_force = match optional(params, "timeInForce")? {
            None => None,
            Some(v) => Some(TimeInForce::parse_known(v).ok_or_else(|| {
                SandboxError::rejected(
                    ApiError::new(ErrorCode::INVALID_TIF),
                    format!("timeInForce={} is not GTC, IOC or FOK.", clip(v, 20)),
                )
            })?),
        };
        let quantity = decimal_param(params, "quantity")?;
        let quote_order_qty = decimal_param(params, "quoteOrderQty")?;
        let price = decimal_param(params, "price")?;
        let stop_price = decimal_param(params, "stopPrice")?;
        let new_client_order_id = match optional(params, "newClientOrderId")? {
            None => None,
            Some(id) if valid_client_id(id) => Some(id.to_owned()),
            Some(id) => {
                return Err(SandboxError::rejected(
                    ApiError::with_args(
                        ErrorCode::ILLEGAL_CHARS,
                        1,
                        &["newClientOrderId", CLIENT_ID_PATTERN],
                    ),
                    format!(
                        "newClientOrderId={} has characters outside A-Z a-z 0-9 . : / _ - or is over 36 long.",
                        clip(id, 40)
                    ),
                ));
            }
        };
        let resp_type = match optional(params, "newOrderRespType")? {
            None => None,
            Some(v) => Some(
                OrderResponseType::parse_known(v)
                    .ok_or_else(|| invalid_value("newOrderRespType", v, "ACK, RESULT or FULL"))?,
            ),
        };
        let stp_mode = match optional(params, "selfTradePreventionMode")? {
            None => None,
            Some(v) => Some(
                SelfTradePreventionMode::parse_known(v)
                    .filter(|m| STP_MODES.contains(&m.wire()))
                    .ok_or_else(|| invalid_value("selfTradePreventionMode", v, &STP_MODES.join(", ")))?,
            ),
        };
        for (name, feature) in [("trailingDelta", "trailing stops"), ("icebergQty", "iceberg orders")] {
            if let Some(v) = optional(params, name)? {
                return Err(invalid_value(
                    name,
                    v,
                    &format!("nothing here: {feature} are not enabled on sandbox symbols"),
                ));
            }
        }
        let order = NewOrder {
            symbol,
            side,
            order_type,
            time_in_force,
            quantity,
            quote_order_qty,
            price,
            stop_price,
            new_client_order_id,
            resp_type,
            stp_mode,
        };
        order.check_composition()?;
        order.check_filters()?;
        Ok(order)
    }

    /// The type's mandatory parameters are there and nothing it does not take is.
    fn check_composition(&self) -> Result<()> {
        let t = &self.order_type;
        let missing = |name: &str| {
            SandboxError::rejected(
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[name]),
                format!("A {} order needs '{name}'; send it.", t.wire()),
            )
        };
        let not_taken = |name: &str| {
            SandboxError::rejected(
                ApiError::with_args(ErrorCode::PARAM_NOT_REQUIRED, 1, &[name]),
                format!("A {} order does not take '{name}'; leave it out.", t.wire()),
            )
        };
        if takes_time_in_force(t) && self.time_in_force.is_none() {
            return Err(missing("timeInForce"));
        }
        if *t == OrderType::Market {
            if self.quantity.is_none() && self.quote_order_qty.is_none() {
                return Err(SandboxError::rejected(
                    ApiError::with_args(
                        ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED,
                        2,
                        &["quantity", "quoteOrderQty"],
                    ),
                    "A MARKET order needs quantity (base asset) or quoteOrderQty (quote asset).",
                ));
            }
            if self.quantity.is_some() && self.quote_order_qty.is_some() {
                return Err(not_taken("quoteOrderQty"));
            }
        } else {
            if self.quantity.is_none() {
                return Err(missing("quantity"));
            }
            if self.quote_order_qty.is_some() {
                return Err(not_taken("quoteOrderQty"));
            }
        }
        if takes_price(t) && self.price.is_none() {
            return Err(missing("price"));
        }
        if takes_stop_price(t) && self.stop_price.is_none() {
            return Err(missing("stopPrice"));
        }
        if !takes_time_in_force(t) && self.time_in_force.is_some() {
            return Err(not_taken("timeInForce"));
        }
        if !takes_price(t) && self.price.is_some() {
            return Err(not_taken("price"));
        }
        if !takes_stop_price(t) && self.stop_price.is_some() {
            return Err(not_taken("stopPrice"));
        }
        Ok(())
    }

    /// The symbol's filters, in `exchangeInfo` order.
    fn check_filters(&self) -> Result<()> {
        let s = self.symbol;
        for (name, value) in [("price", self.price), ("stopPrice", self.stop_price)] {
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
        if let Some(q) = self.quantity {
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
            if self.order_type == OrderType::Market && !s.market_lot_size.passes(q) {
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
        let notional = match (self.price, self.quantity, self.quote_order_qty) {
            (Some(p), Some(q), _) => p.checked_mul(q),
            (None, None, Some(quote)) if s.notional.apply_min_to_market => Some(quote),
            _ => None,
        };
        if let Some(n) = notional
            && !s.notional.passes(n)
        {
            return Err(filter_failure(
                "NOTIONAL",
                format!(
                    "The order's notional {} is outside NOTIONAL of {} (min {}, max {}).",
                    n.normalize(),
                    s.symbol,
                    s.notional.min_notional.normalize(),
                    s.notional.max_notional.normalize()
                ),
            ));
        }
        Ok(())
    }
}

fn enum_param<T>(
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
fn decimal_param(params: &Params, name: &str) -> Result<Option<Decimal>> {
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
        let m = market();
        let p = Params::parse_query(q).unwrap();
        NewOrder::parse(&p, &m).map(|_| ()).map_err(|e| e.api_error().unwrap())
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
