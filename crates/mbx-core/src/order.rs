//! [`OrderTerms`]: what a new order asks for, in one type. It is parsed from parameters (with
//! Binance's errors for each malformed one), checked for the parameters its type needs and refuses
//! ([`OrderTerms::check_composition`]), rendered back to parameters ([`OrderTerms::to_params`]), and
//! checked against a symbol's filters by [`crate::filters::SymbolFilters`]. The sandbox's order
//! handling and the client's pre-flight both use it, so they refuse the same orders with the same
//! messages.
//!
//! ```
//! use mbx_core::Params;
//! use mbx_core::order::OrderTerms;
//! let p = Params::new().text("symbol", "BTCUSDT").text("side", "BUY").text("type", "LIMIT")
//!     .text("timeInForce", "GTC").text("quantity", "0.01").text("price", "30000");
//! let terms = OrderTerms::parse(&p).unwrap();
//! terms.check_composition("").unwrap();
//! assert_eq!(terms.to_params().get("price"), Some("30000"));
//! let market_with_price = Params::new().text("side", "SELL").text("type", "MARKET").text("quantity", "1").text("price", "1");
//! let e = OrderTerms::parse(&market_with_price).unwrap().check_composition("").unwrap_err();
//! assert_eq!(e.error.code.get(), -1106);
//! ```

use std::fmt;

use rust_decimal::Decimal;

use crate::accept::clip;
use crate::error::{ApiError, ErrorCode};
use crate::model::{OrderType, SelfTradePreventionMode, Side, TimeInForce};
use crate::params::{Params, WireValue};

/// A refused order or parameter: Binance's error and a sentence on what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What Binance answers.
    pub error: ApiError,
    /// What to change.
    pub advice: String,
}

impl Refusal {
    /// A refusal.
    pub fn new(error: ApiError, advice: impl Into<String>) -> Refusal {
        Refusal { error, advice: advice.into() }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.error, self.advice)
    }
}

impl std::error::Error for Refusal {}

/// Binance's pattern for decimal parameters.
pub const DECIMAL_PATTERN: &str = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";
/// Binance's pattern for client order ids.
pub const CLIENT_ID_PATTERN: &str = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";

/// The terms of a new order, as sent (each field declared once, for every check and the engine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTerms {
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
    /// Wire: newClientOrderId (generated when `None`).
    pub client_order_id: Option<String>,
    /// Wire: selfTradePreventionMode (the symbol's default when `None`).
    pub stp_mode: Option<SelfTradePreventionMode>,
}

/// Whether an order type takes `price`.
pub fn takes_price(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::Limit | OrderType::LimitMaker | OrderType::StopLossLimit | OrderType::TakeProfitLimit
    )
}

/// Whether an order type takes `timeInForce` (and needs it).
pub fn takes_time_in_force(t: &OrderType) -> bool {
    matches!(t, OrderType::Limit | OrderType::StopLossLimit | OrderType::TakeProfitLimit)
}

/// Whether an order type takes `stopPrice` (and needs it).
pub fn takes_stop_price(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::StopLoss | OrderType::StopLossLimit | OrderType::TakeProfit | OrderType::TakeProfitLimit
    )
}

impl OrderTerms {
    /// Reads the terms of a single order (`side`, `type`, `timeInForce`, `quantity`, `quoteOrderQty`,
    /// `price`, `stopPrice`, `newClientOrderId`, `selfTradePreventionMode`), refusing a malformed one
    /// with Binance's error. Whether the type's parameters are all there is
    /// [`OrderTerms::check_composition`].
    pub fn parse(params: &Params) -> Result<OrderTerms, Refusal> {
        let side = enum_param(params, "side", Side::parse_known, ErrorCode::INVALID_SIDE, "BUY or SELL")?;
        let order_type = enum_param(
            params,
            "type",
            OrderType::parse_known,
            ErrorCode::INVALID_ORDER_TYPE,
            "LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT or TAKE_PROFIT_LIMIT",
        )?;
        Ok(OrderTerms {
            side,
            order_type,
            time_in_force: time_in_force_param(params, "timeInForce")?,
            quantity: decimal_param(params, "quantity")?,
            quote_order_qty: decimal_param(params, "quoteOrderQty")?,
            price: decimal_param(params, "price")?,
            stop_price: decimal_param(params, "stopPrice")?,
            client_order_id: client_id_param(params, "newClientOrderId")?,
            stp_mode: match optional(params, "selfTradePreventionMode")? {
                None => None,
                Some(v) => Some(SelfTradePreventionMode::parse_known(v).ok_or_else(|| {
                    Refusal::new(
                        ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &["selfTradePreventionMode"]),
                        format!("selfTradePreventionMode={} is not a known mode.", clip(v, 30)),
                    )
                })?),
            },
        })
    }

    /// The terms as parameters, in rest-api.md's order (without `symbol`).
    pub fn to_params(&self) -> Params {
        let mut p =
            Params::new().text("side", self.side.to_string()).text("type", self.order_type.to_string());
        if let Some(t) = &self.time_in_force {
            p = p.text("timeInForce", t.to_string());
        }
        for (name, value) in
            [("quantity", self.quantity), ("quoteOrderQty", self.quote_order_qty), ("price", self.price)]
        {
            if let Some(v) = value {
                p = p.decimal(name, v);
            }
        }
        if let Some(id) = &self.client_order_id {
            p = p.text("newClientOrderId", id.clone());
        }
        if let Some(v) = self.stop_price {
            p = p.decimal("stopPrice", v);
        }
        if let Some(m) = &self.stp_mode {
            p = p.text("selfTradePreventionMode", m.to_string());
        }
        p
    }

    /// The type's mandatory parameters are there and nothing it does not take is (rest-api.md's table
    /// of parameters by order type): `-1102` naming the missing one, `-1106` naming the one not
    /// taken. `prefix` names the leg of an order list (`above`, `below`), whose parameters are spelled
    /// `abovePrice` and so on.
    pub fn check_composition(&self, prefix: &str) -> Result<(), Refusal> {
        let t = &self.order_type;
        let missing = |name: &str| {
            let name = leg_param(prefix, name);
            Refusal::new(
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[&name]),
                format!("A {} order needs '{name}'; send it.", t.wire()),
            )
        };
        let not_taken = |name: &str| {
            let name = leg_param(prefix, name);
            Refusal::new(
                ApiError::with_args(ErrorCode::PARAM_NOT_REQUIRED, 1, &[&name]),
                format!("A {} order does not take '{name}'; leave it out.", t.wire()),
            )
        };
        if takes_time_in_force(t) && self.time_in_force.is_none() {
            return Err(missing("timeInForce"));
        }
        if *t == OrderType::Market {
            if self.quantity.is_none() && self.quote_order_qty.is_none() {
                return Err(Refusal::new(
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
}

/// `name` as an order-list leg spells it: `abovePrice` for `price` with prefix `above`.
pub fn leg_param(prefix: &str, name: &str) -> String {
    let mut chars = name.chars();
    match (prefix.is_empty(), chars.next()) {
        (false, Some(first)) => format!("{prefix}{}{}", first.to_ascii_uppercase(), chars.as_str()),
        _ => name.to_owned(),
    }
}

/// A mandatory parameter: `-1102` naming it when absent or empty.
pub fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, Refusal> {
    match params.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Refusal::new(
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[name]),
            format!("Mandatory parameter '{name}' is missing or empty; send it with a value."),
        )),
    }
}

/// An optional parameter: `None` when absent, `-1105` when sent empty.
pub fn optional<'a>(params: &'a Params, name: &str) -> Result<Option<&'a str>, Refusal> {
    match params.get(name) {
        None => Ok(None),
        Some("") => Err(Refusal::new(
            ApiError::with_args(ErrorCode::PARAM_EMPTY, 1, &[name]),
            format!("Parameter '{name}' is sent empty; give it a value or leave it out."),
        )),
        Some(v) => Ok(Some(v)),
    }
}

/// A mandatory `ENUM` parameter: `code` when it is not one of `expected` (case-sensitive).
pub fn enum_param<T>(
    params: &Params,
    name: &str,
    parse: fn(&str) -> Option<T>,
    code: ErrorCode,
    expected: &str,
) -> Result<T, Refusal> {
    let raw = required(params, name)?;
    parse(raw).ok_or_else(|| {
        Refusal::new(
            ApiError::new(code),
            format!("{name}={} is not one of {expected} (case-sensitive).", clip(raw, 30)),
        )
    })
}

/// `timeInForce` (or a leg's): `-1115` when not GTC, IOC or FOK.
pub fn time_in_force_param(params: &Params, name: &str) -> Result<Option<TimeInForce>, Refusal> {
    match optional(params, name)? {
        None => Ok(None),
        Some(v) => TimeInForce::parse_known(v).map(Some).ok_or_else(|| {
            Refusal::new(
                ApiError::new(ErrorCode::INVALID_TIF),
                format!("{name}={} is not GTC, IOC or FOK.", clip(v, 20)),
            )
        }),
    }
}

/// Whether `id` matches Binance's client order id pattern.
pub fn valid_client_id(id: &str) -> bool {
    (1..=36).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'/' | b'_' | b'-'))
}

/// A client order id parameter: `-1100` outside Binance's pattern.
pub fn client_id_param(params: &Params, name: &str) -> Result<Option<String>, Refusal> {
    match optional(params, name)? {
        None => Ok(None),
        Some(id) if valid_client_id(id) => Ok(Some(id.to_owned())),
        Some(id) => Err(Refusal::new(
            ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &[name, CLIENT_ID_PATTERN]),
            format!(
                "{name}={} has characters outside A-Z a-z 0-9 . : / _ - or is over 36 long.",
                clip(id, 40)
            ),
        )),
    }
}

/// A `DECIMAL` parameter: digits with an optional fraction, each part at most 20 digits.
pub fn decimal_param(params: &Params, name: &str) -> Result<Option<Decimal>, Refusal> {
    let Some(raw) = optional(params, name)? else { return Ok(None) };
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let digits =
        |s: &str, min: usize| s.len() >= min && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int, 1) || !(digits(frac, 1) || (frac.is_empty() && !raw.contains('.'))) {
        return Err(Refusal::new(
            ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &[name, DECIMAL_PATTERN]),
            format!(
                "{name}={} is not a plain decimal number (digits, one optional point, no sign or exponent).",
                clip(raw, 40)
            ),
        ));
    }
    Decimal::from_str_exact(raw).map(Some).map_err(|e| {
        if matches!(e, rust_decimal::Error::Underflow) {
            Refusal::new(
                ApiError::with_args(ErrorCode::BAD_PRECISION, 0, &[name]),
                format!(
                    "{name}={} has more decimals than can be represented; round it to the symbol's step.",
                    clip(raw, 48)
                ),
            )
        } else {
            Refusal::new(
                ApiError::with_args(ErrorCode::PARAM_OVERFLOW, 0, &[name]),
                format!("{name}={} is too large to represent.", clip(raw, 48)),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().fold(Params::new(), |p, (k, v)| p.text(k.to_string(), *v))
    }

    #[test]
    fn terms_roundtrip_through_params() {
        let params = p(&[
            ("side", "SELL"),
            ("type", "STOP_LOSS_LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.50"),
            ("price", "29000.10"),
            ("newClientOrderId", "my-1"),
            ("stopPrice", "29500"),
        ]);
        let terms = OrderTerms::parse(&params).unwrap();
        terms.check_composition("").unwrap();
        assert_eq!(OrderTerms::parse(&terms.to_params()).unwrap(), terms);
        assert_eq!(terms.to_params().get("quantity"), Some("0.50"));
    }

    #[test]
    fn each_type_names_what_it_misses_or_refuses() {
        let limit =
            OrderTerms::parse(&p(&[("side", "BUY"), ("type", "LIMIT"), ("quantity", "1"), ("price", "1")]))
                .unwrap();
        let e = limit.check_composition("").unwrap_err();
        assert_eq!(
            (e.error.code.get(), e.error.msg.as_str()),
            (-1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.")
        );
        let leg = OrderTerms { time_in_force: Some(TimeInForce::Gtc), ..limit };
        let stop = OrderTerms { order_type: OrderType::StopLoss, time_in_force: None, ..leg };
        assert_eq!(stop.check_composition("above").unwrap_err().error.code.get(), -1102);
        assert!(stop.check_composition("above").unwrap_err().advice.contains("'aboveStopPrice'"));
        assert_eq!(decimal_param(&p(&[("price", "1e5")]), "price").unwrap_err().error.code.get(), -1100);
        assert_eq!(optional(&p(&[("price", "")]), "price").unwrap_err().error.code.get(), -1105);
    }
}
