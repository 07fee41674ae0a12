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
use crate::endpoint::{Endpoint, Kind};
use crate::error::{ApiError, ErrorCode};
use crate::model::{OrderType, PegOffsetType, PegPriceType, SelfTradePreventionMode, Side, TimeInForce};
use crate::params::{Params, WireValue};
use crate::timeframe::{Interval, TimeZone, WindowSize};

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
/// Binance's pattern for `LONG` and `INT` parameters.
pub const INTEGER_PATTERN: &str = "^[0-9]{1,20}$";
/// The deepest price level a pegged order may name (`pegOffsetValue`, rest-api.md: max 100).
pub const MAX_PEG_OFFSET: u32 = 100;

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
    /// Iceberg, trailing stop and peg instructions (none for a plain order).
    pub features: OrderFeatures,
}

/// The optional instructions that make an order an iceberg, a trailing stop or a pegged order, as
/// sent. Which order types take which is [`OrderTerms::check_composition`]; their filters
/// (`ICEBERG_PARTS`, `TRAILING_DELTA`) are [`crate::filters::SymbolFilters::check`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFeatures {
    /// Wire: icebergQty, the quantity shown in the book at a time (`LIMIT`, `LIMIT_MAKER` and the
    /// stop-limit types, `GTC` only).
    pub iceberg_qty: Option<Decimal>,
    /// Wire: trailingDelta, in BIPS (1 = 0.01%): how far the price must move back from its best
    /// since the order started tracking before the order triggers (stop and take-profit types).
    pub trailing_delta: Option<u64>,
    /// Wire: pegPriceType: the price comes from the book instead of `price`.
    pub peg_price_type: Option<PegPriceType>,
    /// Wire: pegOffsetType (sent together with `pegOffsetValue`).
    pub peg_offset_type: Option<PegOffsetType>,
    /// Wire: pegOffsetValue: how many price levels deeper than the best (at most [`MAX_PEG_OFFSET`]).
    pub peg_offset_value: Option<u32>,
}

impl OrderFeatures {
    /// Reads `icebergQty`, `trailingDelta`, `pegPriceType`, `pegOffsetType` and `pegOffsetValue`,
    /// spelled with `prefix` for an order-list leg (`aboveIcebergQty`, `workingPegPriceType`, ...),
    /// refusing a malformed one with Binance's error: `-1100` for a number that is not one, `-1210`
    /// and `-1211` for an unknown peg type, `-1130` for an offset deeper than
    /// [`MAX_PEG_OFFSET`].
    pub fn parse(params: &Params, prefix: &str) -> Result<OrderFeatures, Refusal> {
        let name = |n: &'static str| leg_param(prefix, n);
        let peg_price_type = match optional(params, &name("pegPriceType"))? {
            None => None,
            Some(v) => Some(PegPriceType::parse_known(v).ok_or_else(|| {
                Refusal::new(
                    ApiError::new(ErrorCode::INVALID_PEG_PRICE_TYPE),
                    format!("{}={} is not PRIMARY_PEG or MARKET_PEG.", name("pegPriceType"), clip(v, 30)),
                )
            })?),
        };
        let peg_offset_type = match optional(params, &name("pegOffsetType"))? {
            None => None,
            Some(v) => Some(PegOffsetType::parse_known(v).ok_or_else(|| {
                Refusal::new(
                    ApiError::new(ErrorCode::INVALID_PEG_OFFSET_TYPE),
                    format!(
                        "{}={} is not PRICE_LEVEL (the only offset type).",
                        name("pegOffsetType"),
                        clip(v, 30)
                    ),
                )
            })?),
        };
        let offset_name = name("pegOffsetValue");
        let peg_offset_value = match integer_param(params, &offset_name)? {
            None => None,
            Some(v) => match u32::try_from(v).ok().filter(|v| *v <= MAX_PEG_OFFSET) {
                Some(v) => Some(v),
                None => {
                    return Err(Refusal::new(
                        ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &[&offset_name]),
                        format!(
                            "{offset_name}={v} is deeper than the {MAX_PEG_OFFSET} price levels a peg may name."
                        ),
                    ));
                }
            },
        };
        Ok(OrderFeatures {
            iceberg_qty: decimal_param(params, &name("icebergQty"))?,
            trailing_delta: integer_param(params, &name("trailingDelta"))?,
            peg_price_type,
            peg_offset_type,
            peg_offset_value,
        })
    }

    /// Whether nothing is set (a plain order).
    pub fn is_empty(&self) -> bool {
        *self == OrderFeatures::default()
    }

    /// Whether the order is an iceberg (`icebergQty` > 0, filters.md's `MAX_NUM_ICEBERG_ORDERS`).
    pub fn is_iceberg(&self) -> bool {
        self.iceberg_qty.is_some_and(|q| q > Decimal::ZERO)
    }
}

/// `-2010` with one of the catalog's matching-engine messages (errors.md, "Messages for -1010
/// ERROR_MSG_RECEIVED, -2010 NEW_ORDER_REJECTED ..."), verbatim.
pub fn new_order_rejected(msg: &str, advice: impl Into<String>) -> Refusal {
    let known = ErrorCode::NEW_ORDER_REJECTED
        .entry()
        .and_then(|e| e.messages.iter().find(|m| **m == msg))
        .map_or(msg, |m| *m);
    Refusal::new(ApiError::with_msg(ErrorCode::NEW_ORDER_REJECTED, known), advice)
}

/// The parameters an order of type `t` is sent with, by the rules [`OrderTerms::check_composition`]
/// applies (for hints: the doctor's fix for a type's missing or extra parameter).
///
/// ```
/// use mbx_core::model::OrderType;
/// use mbx_core::order::needed_parameters;
/// assert_eq!(needed_parameters(&OrderType::Limit), "A LIMIT order is sent with quantity, price and timeInForce");
/// ```
pub fn needed_parameters(t: &OrderType) -> String {
    let mut needs = vec![if *t == OrderType::Market { "quantity or quoteOrderQty" } else { "quantity" }];
    if takes_price(t) {
        needs.push("price");
    }
    if takes_time_in_force(t) {
        needs.push("timeInForce");
    }
    if takes_stop_price(t) {
        needs.push("stopPrice or trailingDelta");
    }
    let last = needs.pop().unwrap_or_default();
    let list = if needs.is_empty() { last.to_owned() } else { format!("{} and {last}", needs.join(", ")) };
    format!("A {} order is sent with {list}", t.wire())
}

/// Whether an order type takes `icebergQty` (rest-api.md: `LIMIT`, `LIMIT_MAKER`,
/// `STOP_LOSS_LIMIT`, `TAKE_PROFIT_LIMIT`).
pub fn takes_iceberg(t: &OrderType) -> bool {
    takes_price(t)
}

/// Whether an order type takes `trailingDelta` (the stop and take-profit types).
pub fn takes_trailing_delta(t: &OrderType) -> bool {
    takes_stop_price(t)
}

/// Whether an order type may be pegged (the pegged orders FAQ: every type with a limit price;
/// `STOP_LOSS` and `TAKE_PROFIT` become MARKET orders, and MARKET cannot be pegged).
pub fn takes_peg(t: &OrderType) -> bool {
    takes_price(t)
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
            features: OrderFeatures::parse(params, "")?,
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
        if let Some(v) = self.features.trailing_delta {
            p = p.text("trailingDelta", v.to_string());
        }
        if let Some(v) = self.features.iceberg_qty {
            p = p.decimal("icebergQty", v);
        }
        if let Some(m) = &self.stp_mode {
            p = p.text("selfTradePreventionMode", m.to_string());
        }
        if let Some(t) = &self.features.peg_price_type {
            p = p.text("pegPriceType", t.to_string());
        }
        if let Some(v) = self.features.peg_offset_value {
            p = p.text("pegOffsetValue", v.to_string());
        }
        if let Some(t) = &self.features.peg_offset_type {
            p = p.text("pegOffsetType", t.to_string());
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
                let name = leg_param(prefix, "quoteOrderQty");
                return Err(Refusal::new(
                    ApiError::with_args(ErrorCode::PARAM_NOT_REQUIRED, 1, &[&name]),
                    format!("A MARKET order takes quantity or '{name}', not both; send one of the two."),
                ));
            }
        } else {
            if self.quantity.is_none() {
                return Err(missing("quantity"));
            }
            if self.quote_order_qty.is_some() {
                return Err(not_taken("quoteOrderQty"));
            }
        }
        let f = &self.features;
        // A pegged order's price comes from the book: `price` becomes optional.
        if takes_price(t) && self.price.is_none() && !(takes_peg(t) && f.peg_price_type.is_some()) {
            return Err(missing("price"));
        }
        // A trailing stop needs `stopPrice`, `trailingDelta` or both.
        if takes_stop_price(t) && self.stop_price.is_none() && f.trailing_delta.is_none() {
            let (stop, delta) = (leg_param(prefix, "stopPrice"), leg_param(prefix, "trailingDelta"));
            return Err(Refusal::new(
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 2, &[&stop, &delta]),
                format!("A {} order needs '{stop}', '{delta}' or both.", t.wire()),
            ));
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
        self.check_features(prefix)
    }

    /// The rules of icebergs, trailing stops and pegs (rest-api.md, "New order"; the pegged orders
    /// FAQ): `-1106` for an instruction the type does not take, `-1102` for half of the peg offset,
    /// then the matching engine's `-2010` for combinations it refuses.
    fn check_features(&self, prefix: &str) -> Result<(), Refusal> {
        let t = &self.order_type;
        let f = &self.features;
        let not_taken = |name: &str| {
            let name = leg_param(prefix, name);
            Refusal::new(
                ApiError::with_args(ErrorCode::PARAM_NOT_REQUIRED, 1, &[&name]),
                format!("A {} order does not take '{name}'; leave it out.", t.wire()),
            )
        };
        if !takes_iceberg(t) && f.iceberg_qty.is_some() {
            return Err(not_taken("icebergQty"));
        }
        if !takes_trailing_delta(t) && f.trailing_delta.is_some() {
            return Err(not_taken("trailingDelta"));
        }
        if f.peg_price_type.is_none() {
            // An offset says how far from the peg; without a peg there is nothing to offset.
            if f.peg_offset_type.is_some() {
                return Err(not_taken("pegOffsetType"));
            }
            if f.peg_offset_value.is_some() {
                return Err(not_taken("pegOffsetValue"));
            }
        }
        match (&f.peg_offset_type, f.peg_offset_value) {
            (Some(_), None) | (None, Some(_)) => {
                let (have, lack) = if f.peg_offset_type.is_some() {
                    ("pegOffsetType", "pegOffsetValue")
                } else {
                    ("pegOffsetValue", "pegOffsetType")
                };
                let (have, lack) = (leg_param(prefix, have), leg_param(prefix, lack));
                // rest-api.md: "These parameters must be specified together"; errors.md's -1128
                // has the message for it.
                let fields =
                    format!("{},{}", leg_param(prefix, "pegOffsetValue"), leg_param(prefix, "pegOffsetType"));
                return Err(Refusal::new(
                    ApiError::with_args(ErrorCode::OPTIONAL_PARAMS_BAD_COMBO, 2, &[&fields]),
                    format!("'{have}' and '{lack}' go together; send both or neither."),
                ));
            }
            _ => {}
        }
        // A LIMIT_MAKER rests as GTC does; the others name their timeInForce.
        let gtc = *t == OrderType::LimitMaker || self.time_in_force == Some(TimeInForce::Gtc);
        if let Some(iceberg) = f.iceberg_qty {
            if !gtc && !prefix.is_empty() {
                // An order list's leg: errors.md's -1160 names the parameter.
                let name = leg_param(prefix, "icebergQty");
                return Err(Refusal::new(
                    ApiError::with_args(ErrorCode::OCO_ICEBERGQTY_TIMEINFORCE, 0, &[&name]),
                    format!("'{name}' needs {}=GTC.", leg_param(prefix, "timeInForce")),
                ));
            }
            if !gtc {
                return Err(new_order_rejected(
                    "Unsupported order combination",
                    "An iceberg order (icebergQty) must have timeInForce=GTC.",
                ));
            }
            if self.quantity.is_some_and(|q| iceberg >= q) {
                return Err(new_order_rejected(
                    "IcebergQty exceeds QTY.",
                    format!(
                        "icebergQty {} must be less than quantity {}.",
                        iceberg.normalize(),
                        self.quantity.unwrap_or_default().normalize()
                    ),
                ));
            }
        }
        if let Some(peg) = &f.peg_price_type {
            if !takes_peg(t) {
                return Err(new_order_rejected(
                    "This order type may not use pegged price.",
                    format!("A {} order has no limit price to peg; leave pegPriceType out.", t.wire()),
                ));
            }
            if *t == OrderType::LimitMaker && *peg == PegPriceType::MarketPeg {
                return Err(new_order_rejected(
                    "This price peg cannot be used with this order type.",
                    "A LIMIT_MAKER order may only use PRIMARY_PEG (MARKET_PEG would take).",
                ));
            }
            // The pegged orders FAQ says this of LIMIT; a PRIMARY_PEG stop-limit cannot take either
            // (it joins its own side), so it is held to the same rule.
            if *peg == PegPriceType::PrimaryPeg && !gtc {
                return Err(new_order_rejected(
                    "Unsupported order combination",
                    "A PRIMARY_PEG order must have timeInForce=GTC.",
                ));
            }
        }
        Ok(())
    }
}

/// `name` as an order-list leg spells it: `abovePrice` for `price` with prefix `above`.
/// Without a prefix (a single order) the name is borrowed as it is: no allocation on the order path.
pub fn leg_param<'n>(prefix: &str, name: &'n str) -> std::borrow::Cow<'n, str> {
    let mut chars = name.chars();
    match (prefix.is_empty(), chars.next()) {
        (false, Some(first)) => format!("{prefix}{}{}", first.to_ascii_uppercase(), chars.as_str()).into(),
        _ => name.into(),
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

/// An optional `BOOLEAN` parameter: `true` or `false` in any case; `-1130` for anything else.
///
/// ```
/// use mbx_core::{Params, order::bool_param};
/// assert_eq!(bool_param(&Params::new().text("omitZeroBalances", "TRUE"), "omitZeroBalances").unwrap(), Some(true));
/// let e = bool_param(&Params::new().text("omitZeroBalances", "1"), "omitZeroBalances").unwrap_err();
/// assert_eq!(e.error.code.get(), -1130);
/// ```
pub fn bool_param(params: &Params, name: &str) -> Result<Option<bool>, Refusal> {
    let read = |v: &str| match v {
        _ if v.eq_ignore_ascii_case("true") => Some(Some(true)),
        _ if v.eq_ignore_ascii_case("false") => Some(Some(false)),
        _ => None,
    };
    parsed(params, name, None, read, "true or false")
}

/// At least one of the two parameters `e` needs of a pair ([`Endpoint::either_of`]): `-1102`
/// naming both when neither is sent. Nothing to check for an endpoint without such a pair.
///
/// ```
/// use mbx_core::{Params, endpoint::{self, Method}, order::either};
/// let cancel = endpoint::find(Method::Delete, "/api/v3/orderList").unwrap();
/// assert!(either(cancel, &Params::new().text("orderListId", "5")).is_ok());
/// assert_eq!(either(cancel, &Params::new()).unwrap_err().error.code.get(), -1102);
/// ```
pub fn either(e: &Endpoint, params: &Params) -> Result<(), Refusal> {
    let Some([first, second]) = e.either_of() else { return Ok(()) };
    if params.get(first).is_none() && params.get(second).is_none() {
        return Err(Refusal::new(
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 2, &[first, second]),
            format!("Send {second} or {first}: one of them names what the request is about."),
        ));
    }
    Ok(())
}

/// `timeZone` (klines, `ticker/tradingDay`): UTC when absent; an offset from -12:00 to +14:00 as
/// hours or hours:minutes, else `-1130`.
///
/// ```
/// use mbx_core::{Params, order::time_zone_param};
/// assert!(time_zone_param(&Params::new().text("timeZone", "+08:00")).is_ok());
/// assert_eq!(time_zone_param(&Params::new().text("timeZone", "CET")).unwrap_err().error.code.get(), -1130);
/// ```
pub fn time_zone_param(params: &Params) -> Result<TimeZone, Refusal> {
    parsed(
        params,
        "timeZone",
        TimeZone::UTC,
        TimeZone::parse,
        "an offset from -12:00 to +14:00 as hours (8, -5) or hours:minutes (05:45, -1:00)",
    )
}

/// `windowSize` (the rolling-window ticker): `1d` when absent; one unit, `1m` to `59m`, `1h` to
/// `23h` or `1d` to `7d`, else `-1130`.
///
/// ```
/// use mbx_core::{Params, order::window_size_param};
/// assert_eq!(window_size_param(&Params::new().text("windowSize", "2h")).unwrap().ms(), 7_200_000);
/// assert_eq!(window_size_param(&Params::new().text("windowSize", "60m")).unwrap_err().error.code.get(), -1130);
/// ```
pub fn window_size_param(params: &Params) -> Result<WindowSize, Refusal> {
    parsed(
        params,
        "windowSize",
        WindowSize::DAY,
        WindowSize::parse,
        "one unit: 1m to 59m, 1h to 23h, or 1d to 7d",
    )
}

/// An optional parameter read by `parse`: `default` when absent, `-1130` naming what it `takes`
/// when `parse` refuses it.
fn parsed<T>(
    params: &Params,
    name: &str,
    default: T,
    parse: impl Fn(&str) -> Option<T>,
    takes: &str,
) -> Result<T, Refusal> {
    match optional(params, name)? {
        None => Ok(default),
        Some(raw) => parse(raw).ok_or_else(|| {
            Refusal::new(
                ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &[name]),
                format!("Parameter '{name}' is {:?}; it takes {takes}.", clip(raw, 40)),
            )
        }),
    }
}

/// A ticker's `type`: `FULL` (the default) or `MINI`, upper case; `-1139` otherwise. `true` for
/// `MINI`.
///
/// ```
/// use mbx_core::{Params, order::ticker_mini};
/// assert!(ticker_mini(&Params::new().text("type", "MINI")).unwrap());
/// assert_eq!(ticker_mini(&Params::new().text("type", "mini")).unwrap_err().error.code.get(), -1139);
/// ```
pub fn ticker_mini(params: &Params) -> Result<bool, Refusal> {
    match optional(params, "type")? {
        None | Some("FULL") => Ok(false),
        Some("MINI") => Ok(true),
        Some(other) => Err(Refusal::new(
            ApiError::new(ErrorCode::INVALID_TICKER_TYPE),
            format!("type={} is not a ticker type; send FULL or MINI (upper case).", clip(other, 40)),
        )),
    }
}

/// `cancelReplaceMode`'s values.
pub const CANCEL_REPLACE_MODES: &[&str] = &["STOP_ON_FAILURE", "ALLOW_FAILURE"];
/// `orderRateLimitExceededMode`'s values (`DO_NOTHING` by default).
pub const RATE_LIMIT_EXCEEDED_MODES: &[&str] = &["DO_NOTHING", "CANCEL_ONLY"];
/// `cancelRestrictions`' values.
pub const CANCEL_RESTRICTIONS: &[&str] = &["ONLY_NEW", "ONLY_PARTIALLY_FILLED"];

/// An optional `ENUM` parameter that must be one of `values` (case-sensitive): `None` when absent,
/// `-1130` naming the values otherwise (`cancelReplaceMode`, `orderRateLimitExceededMode`).
///
/// ```
/// use mbx_core::{Params, order::{value_of, CANCEL_REPLACE_MODES}};
/// let p = Params::new().text("cancelReplaceMode", "ALLOW_FAILURE");
/// assert_eq!(value_of(&p, "cancelReplaceMode", CANCEL_REPLACE_MODES).unwrap(), Some("ALLOW_FAILURE"));
/// let p = Params::new().text("cancelReplaceMode", "allow_failure");
/// assert_eq!(value_of(&p, "cancelReplaceMode", CANCEL_REPLACE_MODES).unwrap_err().error.code.get(), -1130);
/// ```
pub fn value_of(
    params: &Params,
    name: &str,
    values: &[&'static str],
) -> Result<Option<&'static str>, Refusal> {
    let read = |v: &str| values.iter().find(|x| **x == v).map(|x| Some(*x));
    parsed(params, name, None, read, &values.join(" or "))
}

/// `cancelRestrictions`: one of [`CANCEL_RESTRICTIONS`], else `-1145`.
///
/// ```
/// use mbx_core::{Params, order::cancel_restrictions};
/// assert_eq!(cancel_restrictions(&Params::new().text("cancelRestrictions", "ONLY_NEW")).unwrap(), Some("ONLY_NEW"));
/// assert_eq!(cancel_restrictions(&Params::new().text("cancelRestrictions", "NEW")).unwrap_err().error.code.get(), -1145);
/// ```
pub fn cancel_restrictions(params: &Params) -> Result<Option<&'static str>, Refusal> {
    match optional(params, "cancelRestrictions")? {
        None => Ok(None),
        Some(raw) => CANCEL_RESTRICTIONS.iter().find(|x| **x == raw).map(|x| Some(*x)).ok_or_else(|| {
            Refusal::new(
                ApiError::new(ErrorCode::INVALID_CANCEL_RESTRICTIONS),
                format!("cancelRestrictions={} is not ONLY_NEW or ONLY_PARTIALLY_FILLED.", clip(raw, 30)),
            )
        }),
    }
}

/// The longest span between `startTime` and `endTime` of the history endpoints (rest-api.md:
/// `allOrders`, `allOrderList`, `myTrades`, `myAllocations`): 24 hours.
pub const MAX_HISTORY_SPAN_MS: u64 = 24 * 60 * 60 * 1000;

/// The endpoints whose `startTime` and `endTime` may be at most [`MAX_HISTORY_SPAN_MS`] apart.
fn spans_a_day(e: &Endpoint) -> bool {
    use crate::endpoint::spot::{ALL_ORDER_LISTS, ALL_ORDERS, MY_ALLOCATIONS, MY_TRADES};
    [&ALL_ORDERS, &ALL_ORDER_LISTS, &MY_TRADES, &MY_ALLOCATIONS].iter().any(|h| is(e, h))
}

/// Whether `e` is the table's row `row` (the same method and path: a row found by
/// [`crate::endpoint::find`] or named directly).
pub(crate) fn is(e: &Endpoint, row: &Endpoint) -> bool {
    e.method == row.method && e.path == row.path
}

/// `-1127` when `startTime` and `endTime` are more than 24 hours apart (the history endpoints).
///
/// ```
/// use mbx_core::order::history_span;
/// assert!(history_span(Some(0), Some(86_400_000)).is_ok());
/// assert_eq!(history_span(Some(0), Some(86_400_001)).unwrap_err().error.code.get(), -1127);
/// assert!(history_span(Some(0), None).is_ok());
/// ```
pub fn history_span(start_ms: Option<u64>, end_ms: Option<u64>) -> Result<(), Refusal> {
    match (start_ms, end_ms) {
        (Some(start), Some(end)) if end.saturating_sub(start) > MAX_HISTORY_SPAN_MS => Err(Refusal::new(
            ApiError::with_args(ErrorCode::MORE_THAN_XX_HOURS, 1, &["24"]),
            "startTime and endTime are more than 24 hours apart; query a day at a time.",
        )),
        _ => Ok(()),
    }
}

/// A time parameter (`startTime`, `endTime`) in milliseconds: sent in milliseconds or
/// microseconds, told apart by magnitude as `timestamp` is (rest-api.md, General API
/// Information); `-1100` and the like for a value that is not a number.
///
/// ```
/// use mbx_core::{Params, order::time_param};
/// let p = Params::new().text("startTime", "1700000000000").text("endTime", "1700000000000123");
/// assert_eq!(time_param(&p, "startTime").unwrap(), Some(1_700_000_000_000));
/// assert_eq!(time_param(&p, "endTime").unwrap(), Some(1_700_000_000_000));
/// assert_eq!(time_param(&p, "fromId").unwrap(), None);
/// ```
pub fn time_param(params: &Params, name: &str) -> Result<Option<u64>, Refusal> {
    Ok(integer_param(params, name)?.map(|n| crate::time::Timestamp::from_number(n).as_millis()))
}

/// The `startTime`..`endTime` window of a request to endpoint `e`, in milliseconds, with the
/// 24-hour rule ([`history_span`]) applied where `e` carries it (`allOrders`, `allOrderList`,
/// `myTrades`, `myAllocations`). The sandbox's handlers read their window through this, and the
/// doctor's [`check_param_values`] too, so the list of those endpoints is written once.
///
/// ```
/// use mbx_core::{Params, endpoint::spot, order::history_window};
/// let p = Params::new().text("startTime", "0").text("endTime", "172800000");
/// assert_eq!(history_window(&spot::MY_TRADES, &p).unwrap_err().error.code.get(), -1127);
/// assert_eq!(history_window(&spot::KLINES, &p).unwrap(), (Some(0), Some(172_800_000)));
/// ```
pub fn history_window(e: &Endpoint, params: &Params) -> Result<(Option<u64>, Option<u64>), Refusal> {
    let window = (time_param(params, "startTime")?, time_param(params, "endTime")?);
    if spans_a_day(e) {
        history_span(window.0, window.1)?;
    }
    Ok(window)
}

/// The smallest `strategyType` (rest-api.md: "cannot be less than 1000000"; smaller ones are
/// Binance's own).
pub const MIN_STRATEGY_TYPE: u64 = 1_000_000;

/// A `strategyType` (or a leg's, `aboveStrategyType`, `workingStrategyType`, ...): `-1134` under
/// [`MIN_STRATEGY_TYPE`], `-1108` past an INT.
///
/// ```
/// use mbx_core::order::strategy_type_value;
/// assert_eq!(strategy_type_value("strategyType", 1_000_000).unwrap(), 1_000_000);
/// assert_eq!(strategy_type_value("strategyType", 999).unwrap_err().error.code.get(), -1134);
/// ```
pub fn strategy_type_value(name: &str, t: u64) -> Result<u32, Refusal> {
    if t < MIN_STRATEGY_TYPE {
        return Err(Refusal::new(
            ApiError::new(ErrorCode::BAD_STRATEGY_TYPE),
            format!("{name}={t} is reserved; use 1000000 or more."),
        ));
    }
    u32::try_from(t).ok().filter(|&t| i32::try_from(t).is_ok()).ok_or_else(|| {
        Refusal::new(
            ApiError::with_args(ErrorCode::PARAM_OVERFLOW, 0, &[name]),
            format!("{name}={t} is larger than an INT."),
        )
    })
}

/// `symbolStatus`: a symbol status of enums.md (`TRADING`, `END_OF_DAY`, `HALT`, `BREAK`,
/// `CANCEL_ONLY`), else `-1122`. The endpoints' parameter tables name only the first three;
/// enums.md and the CHANGELOG (2026-07-01: `CANCEL_ONLY` can appear in exchangeInfo) are newer, and
/// a status a symbol can have is one a client may filter by.
///
/// ```
/// use mbx_core::{Params, order::symbol_status_param};
/// assert_eq!(symbol_status_param(&Params::new().text("symbolStatus", "HALT")).unwrap(), Some("HALT"));
/// let cancel_only = Params::new().text("symbolStatus", "CANCEL_ONLY");
/// assert_eq!(symbol_status_param(&cancel_only).unwrap(), Some("CANCEL_ONLY"));
/// let e = symbol_status_param(&Params::new().text("symbolStatus", "CLOSED")).unwrap_err();
/// assert_eq!(e.error.code.get(), -1122);
/// ```
pub fn symbol_status_param(params: &Params) -> Result<Option<&str>, Refusal> {
    match optional(params, "symbolStatus")? {
        None => Ok(None),
        Some(s @ ("TRADING" | "END_OF_DAY" | "HALT" | "BREAK" | "CANCEL_ONLY")) => Ok(Some(s)),
        Some(other) => Err(Refusal::new(
            ApiError::new(ErrorCode::INVALID_SYMBOLSTATUS),
            format!(
                "symbolStatus={} is not one of TRADING, END_OF_DAY, HALT, BREAK or CANCEL_ONLY.",
                clip(other, 40)
            ),
        )),
    }
}

/// The names of a `symbols` JSON array, each a symbol's form ([`symbol_value`]) and present once
/// (`-1151`).
///
/// ```
/// use mbx_core::order::symbol_names;
/// assert_eq!(symbol_names("symbols", r#"["BTCUSDT","BNBUSDT"]"#).unwrap().len(), 2);
/// let e = symbol_names("symbols", r#"["BTCUSDT","BTCUSDT"]"#).unwrap_err();
/// assert_eq!(e.error.code.get(), -1151);
/// ```
pub fn symbol_names(name: &str, list: &str) -> Result<Vec<String>, Refusal> {
    let names = string_array(name, list)?;
    check_symbol_names(name, &names)?;
    Ok(names)
}

/// [`symbol_names`]' checks of names already read (the sandbox counts them first, `-1101`).
pub fn check_symbol_names(name: &str, names: &[String]) -> Result<(), Refusal> {
    for (i, n) in names.iter().enumerate() {
        symbol_value(name, n)?;
        if names[..i].contains(n) {
            return Err(Refusal::new(
                ApiError::new(ErrorCode::DUPLICATE_SYMBOLS),
                format!("{} appears more than once in {name}.", clip(n, 30)),
            ));
        }
    }
    Ok(())
}

/// The order types an OCO leg takes.
pub const OCO_LEG_TYPES: &str = "STOP_LOSS, STOP_LOSS_LIMIT, LIMIT_MAKER, TAKE_PROFIT or TAKE_PROFIT_LIMIT";

/// An OCO leg's type (`aboveType`, `belowType`): `-1116` for no order type, `-1158` for one an OCO
/// leg cannot be (LIMIT, MARKET).
///
/// ```
/// use mbx_core::{Params, order::oco_leg_type};
/// assert!(oco_leg_type(&Params::new().text("aboveType", "LIMIT_MAKER"), "aboveType").is_ok());
/// let e = oco_leg_type(&Params::new().text("belowType", "MARKET"), "belowType").unwrap_err();
/// assert_eq!(e.error.code.get(), -1158);
/// ```
pub fn oco_leg_type(params: &Params, name: &str) -> Result<OrderType, Refusal> {
    let t = enum_param(params, name, OrderType::parse_known, ErrorCode::INVALID_ORDER_TYPE, OCO_LEG_TYPES)?;
    if matches!(t, OrderType::Limit | OrderType::Market) {
        return Err(Refusal::new(
            ApiError::new(ErrorCode::OCO_ORDER_TYPE_REJECTED),
            format!("{name}={} cannot be an OCO leg; it takes {OCO_LEG_TYPES}.", t.wire()),
        ));
    }
    Ok(t)
}

/// `myPreventedMatches`' combinations (rest-api.md): `preventedMatchId` alone, or `orderId` with
/// `fromPreventedMatchId` and `limit` optional, `limit` only beside `fromPreventedMatchId`.
/// Neither id is `-1102` ([`either`]); any other mix is `-1128`.
///
/// ```
/// use mbx_core::{Params, order::prevented_matches_query};
/// assert!(prevented_matches_query(&Params::new().text("orderId", "1")).is_ok());
/// let e = prevented_matches_query(&Params::new().text("orderId", "1").text("limit", "5")).unwrap_err();
/// assert_eq!(e.error.code.get(), -1128);
/// ```
pub fn prevented_matches_query(params: &Params) -> Result<(), Refusal> {
    let combo = |hint: &str| Err(Refusal::new(ApiError::new(ErrorCode::OPTIONAL_PARAMS_BAD_COMBO), hint));
    either(&crate::endpoint::spot::MY_PREVENTED_MATCHES, params)?;
    let has = |name: &str| params.get(name).is_some();
    let paged = has("fromPreventedMatchId") || has("limit");
    match (has("preventedMatchId"), has("orderId")) {
        (true, true) => combo("preventedMatchId does not combine with orderId."),
        (true, false) if paged => {
            combo("fromPreventedMatchId and limit go with orderId, not preventedMatchId.")
        }
        (false, true) if !has("fromPreventedMatchId") && has("limit") => {
            combo("limit goes with orderId and fromPreventedMatchId.")
        }
        _ => Ok(()),
    }
}

/// The parameters sent together that `e`'s docs forbid together: `symbol` with `symbols` on any
/// endpoint, then [`Endpoint::exclusions`]; `-1128` with a hint naming them.
///
/// ```
/// use mbx_core::{Params, endpoint::{self, Method}, order::combinations};
/// let aggs = endpoint::find(Method::Get, "/api/v3/aggTrades").unwrap();
/// let p = Params::new().text("symbol", "BTCUSDT").text("fromId", "5").text("startTime", "1");
/// assert_eq!(combinations(aggs, &p).unwrap_err().error.code.get(), -1128);
/// assert!(combinations(aggs, &Params::new().text("symbol", "BTCUSDT").text("fromId", "5")).is_ok());
/// ```
pub fn combinations(e: &Endpoint, params: &Params) -> Result<(), Refusal> {
    symbol_or_symbols(params)?;
    let sent = |names: &[&str]| names.iter().any(|n| params.get(n).is_some());
    match e.exclusions().iter().find(|x| sent(x.these) && sent(x.with)) {
        Some(x) => Err(Refusal::new(ApiError::new(ErrorCode::OPTIONAL_PARAMS_BAD_COMBO), x.hint)),
        None => Ok(()),
    }
}

/// `symbol` and `symbols` sent together, which no endpoint takes: `-1128`.
///
/// ```
/// use mbx_core::{Params, order::symbol_or_symbols};
/// let both = Params::new().text("symbol", "BTCUSDT").text("symbols", r#"["ETHUSDT"]"#);
/// assert_eq!(symbol_or_symbols(&both).unwrap_err().error.code.get(), -1128);
/// assert!(symbol_or_symbols(&Params::new().text("symbol", "BTCUSDT")).is_ok());
/// ```
pub fn symbol_or_symbols(params: &Params) -> Result<(), Refusal> {
    if params.get("symbol").is_some() && params.get("symbols").is_some() {
        return Err(Refusal::new(
            ApiError::new(ErrorCode::OPTIONAL_PARAMS_BAD_COMBO),
            "Send symbol or symbols, not both.",
        ));
    }
    Ok(())
}

/// The order a query, cancel or amendment names: `orderId` and/or `origClientOrderId` (each read
/// as its type), and one of them sent ([`either`] with `e`'s pair).
///
/// ```
/// use mbx_core::{Params, endpoint::{self, Method}, order::order_ref};
/// let query = endpoint::find(Method::Get, "/api/v3/order").unwrap();
/// assert_eq!(order_ref(query, &Params::new().text("orderId", "5")).unwrap(), (Some(5), None));
/// assert_eq!(order_ref(query, &Params::new()).unwrap_err().error.code.get(), -1102);
/// ```
pub fn order_ref<'p>(e: &Endpoint, params: &'p Params) -> Result<(Option<u64>, Option<&'p str>), Refusal> {
    let order_id = integer_param(params, "orderId")?;
    let client_order_id = optional(params, "origClientOrderId")?;
    either(e, params)?;
    Ok((order_id, client_order_id))
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
        // Turkish and Azeri upper-case 'i' as 'İ' (and lower-case 'I' as 'ı'): an enum's name
        // upper-cased under that locale.
        let locale = if raw.contains(['İ', 'ı']) {
            " It holds a dotted capital I ('İ') or a dotless i ('ı'): upper-casing under a Turkish or Azeri locale made it; upper-case with the invariant culture (C#: ToUpperInvariant(); Java: toUpperCase(Locale.ROOT))."
        } else {
            ""
        };
        Refusal::new(
            ApiError::new(code),
            format!("{name}={} is not one of {expected} (case-sensitive).{locale}", clip(raw, 30)),
        )
    })
}

/// `newOrderRespType`: `-1130` when not ACK, RESULT or FULL (case-sensitive).
///
/// ```
/// use mbx_core::{Params, order::resp_type_param};
/// assert!(resp_type_param(&Params::new().text("newOrderRespType", "FULL")).unwrap().is_some());
/// let e = resp_type_param(&Params::new().text("newOrderRespType", "full")).unwrap_err();
/// assert_eq!(e.error.msg, "Data sent for parameter 'newOrderRespType' is not valid.");
/// ```
pub fn resp_type_param(params: &Params) -> Result<Option<crate::model::OrderResponseType>, Refusal> {
    match optional(params, "newOrderRespType")? {
        None => Ok(None),
        Some(v) => crate::model::OrderResponseType::parse_known(v).map(Some).ok_or_else(|| {
            Refusal::new(
                ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &["newOrderRespType"]),
                format!("Parameter 'newOrderRespType' is {:?}; it takes ACK, RESULT or FULL.", clip(v, 40)),
            )
        }),
    }
}

/// `selfTradePreventionMode`: one of Binance's modes (every symbol allows them all here), else
/// `-1130`.
///
/// ```
/// use mbx_core::{Params, order::stp_mode_param};
/// assert!(stp_mode_param(&Params::new().text("selfTradePreventionMode", "EXPIRE_MAKER")).unwrap().is_some());
/// assert_eq!(stp_mode_param(&Params::new().text("selfTradePreventionMode", "expire_maker")).unwrap_err().error.code.get(), -1130);
/// ```
pub fn stp_mode_param(params: &Params) -> Result<Option<crate::model::SelfTradePreventionMode>, Refusal> {
    use crate::model::SelfTradePreventionMode as Stp;
    const NAME: &str = "selfTradePreventionMode";
    // The list of modes is spelled out only for a refusal.
    let Some(raw) = optional(params, NAME)? else { return Ok(None) };
    if let Some(mode) = Stp::parse_known(raw) {
        return Ok(Some(mode));
    }
    let all = Stp::ALL.iter().map(|m| m.wire()).collect::<Vec<_>>().join(", ");
    parsed(params, NAME, None, |v| Stp::parse_known(v).map(Some), &all)
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

/// A kline interval as the docs spell it: `-1120` for any other text (the names are case-sensitive:
/// `1m` is a minute, `1M` a month).
pub fn interval_value(raw: &str) -> Result<Interval, Refusal> {
    Interval::parse(raw).ok_or_else(|| {
        Refusal::new(
            ApiError::new(ErrorCode::BAD_INTERVAL),
            format!(
                "interval={} is not a kline interval; use one of {} (case-sensitive: 1m is a minute, 1M a month).",
                clip(raw, 20),
                Interval::names().collect::<Vec<_>>().join(" ")
            ),
        )
    })
}

/// A parameter holding a JSON array of strings (`symbols=["BTCUSDT","BNBUSDT"]`): `-1100` when it is
/// not one, `-1102` when it is empty.
pub fn string_array(name: &str, raw: &str) -> Result<Vec<String>, Refusal> {
    let items: Vec<String> = serde_json::from_str(raw).map_err(|_| {
        Refusal::new(
            ApiError::new(ErrorCode::ILLEGAL_CHARS),
            format!("{name}={} is not a JSON array of names, like [\"BTCUSDT\",\"BNBUSDT\"].", clip(raw, 60)),
        )
    })?;
    if items.is_empty() {
        return Err(Refusal::new(
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[name]),
            format!("{name} is an empty array; name at least one."),
        ));
    }
    Ok(items)
}

/// A symbol name: Binance's have no lower-case letters (`-1121 Invalid symbol.` for `btcusdt`: stream
/// names are the lower-case ones), and no spaces or signs. Whether it exists is the market's to say.
///
/// ```
/// use mbx_core::order::symbol_value;
/// assert!(symbol_value("symbol", "BTCUSDT").is_ok());
/// assert!(symbol_value("symbol", "币安人生USDT").is_ok());
/// for bad in ["btcusdt", " 1", "-1", "1.5 ", "BTC USDT", "", "BTC-USDT", "BTC_USDT", "BTC.USDT"] {
///     assert_eq!(symbol_value("symbol", bad).unwrap_err().error.code.get(), -1121, "{bad:?}");
/// }
/// ```
pub fn symbol_value(name: &str, raw: &str) -> Result<(), Refusal> {
    // Not a symbol's text at all (a space, a sign, a decimal point alone): no such symbol,
    // `-1121`. Letters of any script count (Binance lists symbols such as 币安人生USDT, and its
    // docs sign １２３４５６).
    let symbol_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    if raw.is_empty()
        || raw.chars().count() > 20
        || !raw.chars().all(symbol_char)
        || raw.starts_with(['-', '.'])
    {
        // A '?' (or U+FFFD) where a letter was: the text went through a charset without it.
        // (Not a second '?' before another parameter, `BTCUSDT?limit=20`: that is the URL's.)
        let second_query = raw.split_once('?').is_some_and(|(_, after)| after.contains('='));
        let why = if raw.contains(['?', '\u{FFFD}']) && !second_query {
            "a '?' stands where a character was: the text was encoded in a charset that lacks it (US-ASCII, Latin-1); encode parameters as UTF-8"
        } else {
            "Binance's symbols are 1 to 20 letters (of any script, in upper case where the script has cases) and digits, as exchangeInfo lists them"
        };
        return Err(Refusal::new(
            ApiError::new(ErrorCode::BAD_SYMBOL),
            format!("{name}={:?} cannot be a symbol: {why}.", clip(raw, 30)),
        ));
    }
    // The characters Binance's legal range allows beside letters and digits, which no spot symbol
    // holds: another exchange's form of a pair (OKX's BTC-USDT, Gate's BTC_USDT).
    if raw.contains(['-', '_', '.']) {
        let joined: String = raw.chars().filter(|c| !matches!(c, '-' | '_' | '.')).collect();
        return Err(Refusal::new(
            ApiError::new(ErrorCode::BAD_SYMBOL),
            format!(
                "{name}={} is another exchange's form of a pair: Binance's spot symbols join base and quote with nothing between ({}).",
                clip(raw, 30),
                clip(&joined.to_uppercase(), 30)
            ),
        ));
    }
    if raw.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(Refusal::new(
            ApiError::new(ErrorCode::BAD_SYMBOL),
            format!(
                "{name} holds {} in lower case; Binance's symbols are upper case ({}).",
                clip(raw, 30),
                clip(&raw.to_ascii_uppercase(), 30)
            ),
        ));
    }
    Ok(())
}

/// A `LONG` or `INT` parameter: `-1100` unless 1 to 20 digits (a value past `u64` is `-1100` too).
pub fn integer_param(params: &Params, name: &str) -> Result<Option<u64>, Refusal> {
    let Some(raw) = optional(params, name)? else { return Ok(None) };
    match raw.parse::<u64>() {
        Ok(v) if raw.len() <= 20 && raw.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(v)),
        _ => Err(Refusal::new(
            ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &[name, INTEGER_PATTERN]),
            format!("{name}={} is not a whole number (digits only).", clip(raw, 40)),
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

/// A new order's terms read ([`OrderTerms::parse`]) and their composition checked
/// ([`OrderTerms::check_composition`]), and its `newOrderRespType`: everything about a single order
/// that needs no market. The sandbox's order handling starts with it (then the symbol's precisions,
/// [`OrderTerms::check_precision`], and filters) and the doctor applies it to the requests it reads
/// (then the precisions every spot asset keeps within, [`MAX_ASSET_PRECISION`]).
///
/// ```
/// use mbx_core::Params;
/// use mbx_core::order::read_new_order;
/// let limit = Params::new().text("side", "BUY").text("type", "LIMIT").text("quantity", "1").text("price", "2");
/// assert_eq!(read_new_order(&limit).unwrap_err().error.code.get(), -1102); // no timeInForce
/// ```
pub fn read_new_order(
    params: &Params,
) -> Result<(OrderTerms, Option<crate::model::OrderResponseType>), Refusal> {
    let terms = OrderTerms::parse(params)?;
    terms.check_composition("")?;
    Ok((terms, resp_type_param(params)?))
}

/// The most decimals a spot asset has (`baseAssetPrecision`, `quoteAssetPrecision`): what an order
/// is held to when its symbol's own precisions are not known (the doctor, offline).
pub const MAX_ASSET_PRECISION: u32 = 8;

impl OrderTerms {
    /// `-1111 Parameter '%s' has too much precision.` (CHANGELOG, 2023-12-04) for a quantity
    /// (`quantity`, `icebergQty`) with more decimals than the base asset's precision, or a price
    /// (`price`, `stopPrice`) or `quoteOrderQty` with more than the quote asset's. Trailing zeros
    /// do not count. Checked before the filters.
    ///
    /// ```
    /// use mbx_core::{Params, order::OrderTerms};
    /// let p = Params::new().text("side", "BUY").text("type", "LIMIT").text("timeInForce", "GTC")
    ///     .text("quantity", "0.1234567").text("price", "0.30000000000000004");
    /// let terms = OrderTerms::parse(&p).unwrap();
    /// assert_eq!(terms.check_precision(8, 8).unwrap_err().error.msg, "Parameter 'price' has too much precision.");
    /// assert_eq!(terms.check_precision(6, 17).unwrap_err().error.msg, "Parameter 'quantity' has too much precision.");
    /// assert!(terms.check_precision(7, 17).is_ok());
    /// ```
    pub fn check_precision(&self, base: u32, quote: u32) -> Result<(), Refusal> {
        let named = [
            ("quantity", self.quantity, base, "base"),
            ("icebergQty", self.features.iceberg_qty, base, "base"),
            ("quoteOrderQty", self.quote_order_qty, quote, "quote"),
            ("price", self.price, quote, "quote"),
            ("stopPrice", self.stop_price, quote, "quote"),
        ];
        for (name, value, precision, asset) in named {
            let Some(value) = value else { continue };
            // The text's own scale first: trailing zeros are counted only when it is over.
            if value.scale() <= precision {
                continue;
            }
            let decimals = value.normalize().scale();
            if decimals > precision {
                return Err(Refusal::new(
                    ApiError::with_args(ErrorCode::BAD_PRECISION, 0, &[name]),
                    format!(
                        "{name}={value} has {decimals} decimals; the symbol's {asset} asset has {precision}. Round it to the symbol's {} (a float printed in full, such as 0.1+0.2 = 0.30000000000000004, has more).",
                        if asset == "base" { "LOT_SIZE stepSize" } else { "PRICE_FILTER tickSize" }
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Each parameter of the endpoint table's row against its type: a `DECIMAL`, `INT` or `LONG` that
/// is not a number of that kind (`-1100`), a `BOOLEAN` other than true or false (`-1130`), any
/// parameter sent empty (`-1105`), neither `orderId` nor `origClientOrderId` where an order is
/// named (and the other pairs of [`either`], `-1102`), `symbol` and
/// `symbols` in lower case (`-1121`), `symbols` or another array that is not a JSON array of
/// strings (`-1100`), an `interval` Binance does not have (`-1120`).
///
/// For an endpoint that places an order ([`Endpoint::reads_new_order`]), [`read_new_order`] comes
/// next: the doctor runs both to tell what Binance answers past the acceptance check.
///
/// ```
/// use mbx_core::Params;
/// use mbx_core::endpoint::{self, Method};
/// use mbx_core::order::check_param_values;
/// let klines = endpoint::find(Method::Get, "/api/v3/klines").unwrap();
/// let p = Params::new().text("symbol", "BTCUSDT").text("interval", "1min");
/// assert_eq!(check_param_values(klines, &p).unwrap_err().error.code.get(), -1120);
/// let depth = endpoint::find(Method::Get, "/api/v3/depth").unwrap();
/// let e = check_param_values(depth, &Params::new().text("symbol", "BTCUSDT").text("limit", "1e3")).unwrap_err();
/// assert_eq!(e.error.code.get(), -1100);
/// ```
pub fn check_param_values(e: &Endpoint, params: &Params) -> Result<(), Refusal> {
    for p in e.params() {
        match (p.name, p.kind) {
            ("symbol", _) => {
                if let Some(symbol) = optional(params, p.name)? {
                    symbol_value(p.name, symbol)?;
                }
            }
            _ if p.is_json_array() => {
                if let Some(list) = optional(params, p.name)? {
                    if p.name == "symbols" {
                        symbol_names(p.name, list)?;
                    } else {
                        string_array(p.name, list)?;
                    }
                }
            }
            ("symbolStatus", _) => drop(symbol_status_param(params)?),
            // `strategyType`, and an order list leg's (`aboveStrategyType`, `workingStrategyType`...).
            (name, _) if name == "strategyType" || name.ends_with("StrategyType") => {
                if let Some(t) = integer_param(params, name)? {
                    strategy_type_value(name, t)?;
                }
            }
            ("interval", _) => drop(optional(params, p.name)?.map(interval_value).transpose()?),
            ("timeZone", _) => drop(time_zone_param(params)?),
            ("cancelReplaceMode", _) => drop(value_of(params, p.name, CANCEL_REPLACE_MODES)?),
            ("orderRateLimitExceededMode", _) => drop(value_of(params, p.name, RATE_LIMIT_EXCEEDED_MODES)?),
            ("cancelRestrictions", _) => drop(cancel_restrictions(params)?),
            ("windowSize", _) => drop(window_size_param(params)?),
            ("type", _) if e.path.starts_with("/api/v3/ticker") => drop(ticker_mini(params)?),
            (_, Kind::Decimal) => drop(decimal_param(params, p.name)?),
            (_, Kind::Int | Kind::Long) => drop(integer_param(params, p.name)?),
            (_, Kind::Bool) => drop(bool_param(params, p.name)?),
            // Any other parameter sent empty: `-1105` (the sandbox reads each one through
            // `optional`); a mandatory one sent empty is the acceptance check's `-1102`. (An array
            // is read above.)
            (_, Kind::Str | Kind::Enum | Kind::StrArray) => drop(optional(params, p.name)?),
        }
    }
    either(e, params)?;
    combinations(e, params)?;
    history_window(e, params)?;
    if is(e, &crate::endpoint::spot::MY_PREVENTED_MATCHES) {
        prevented_matches_query(params)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        pairs.iter().fold(Params::new(), |p, (k, v)| p.text(k.to_string(), *v))
    }

    /// The history window in microseconds is measured in milliseconds: 12 hours pass, 25 do not,
    /// on the endpoints that carry the rule only.
    #[test]
    fn history_windows_in_microseconds() {
        use crate::endpoint::spot::{KLINES, MY_TRADES};
        let hours = |h: u64| (1_700_000_000_000_000 + h * 3_600_000_000).to_string();
        let twelve = p(&[("symbol", "BTCUSDT"), ("startTime", &hours(0)), ("endTime", &hours(12))]);
        assert!(check_param_values(&MY_TRADES, &twelve).is_ok());
        let day_and_more = p(&[("symbol", "BTCUSDT"), ("startTime", &hours(0)), ("endTime", &hours(25))]);
        assert_eq!(check_param_values(&MY_TRADES, &day_and_more).unwrap_err().error.code.get(), -1127);
        assert_eq!(
            history_window(&KLINES, &day_and_more).unwrap().1,
            Some(1_700_000_000_000 + 25 * 3_600_000)
        );
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

    /// The verdict of parse + composition: `Ok` or (code, msg).
    fn verdict(pairs: &[(&str, &str)]) -> Result<OrderTerms, (i32, String)> {
        OrderTerms::parse(&p(pairs))
            .and_then(|t| t.check_composition("").map(|()| t))
            .map_err(|e| (e.error.code.get(), e.error.msg))
    }

    #[test]
    fn features_roundtrip_through_params() {
        let terms = verdict(&[
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "1"),
            ("icebergQty", "0.1"),
            ("pegPriceType", "PRIMARY_PEG"),
            ("pegOffsetType", "PRICE_LEVEL"),
            ("pegOffsetValue", "2"),
        ])
        .unwrap();
        assert_eq!(terms.price, None);
        assert!(terms.features.is_iceberg());
        assert_eq!(terms.features.peg_offset_value, Some(2));
        assert_eq!(OrderTerms::parse(&terms.to_params()).unwrap(), terms);
        let trailing =
            verdict(&[("side", "SELL"), ("type", "STOP_LOSS"), ("quantity", "1"), ("trailingDelta", "250")])
                .unwrap();
        assert_eq!(trailing.features.trailing_delta, Some(250));
        assert_eq!(trailing.to_params().get("trailingDelta"), Some("250"));
        assert_eq!(OrderTerms::parse(&trailing.to_params()).unwrap(), trailing);
    }

    #[test]
    fn feature_parameters_are_refused_with_binances_errors() {
        let limit =
            [("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "1")];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut all = limit.to_vec();
            for (k, v) in extra {
                match all.iter_mut().find(|(n, _)| n == k) {
                    Some(slot) => slot.1 = v,
                    None => all.push((k, v)),
                }
            }
            verdict(&all).map(|_| ())
        };
        let err = |code: i32, msg: &str| Err((code, msg.to_owned()));
        assert_eq!(with(&[("icebergQty", "0.5")]), Ok(()));
        assert_eq!(
            with(&[("icebergQty", "0.5"), ("timeInForce", "IOC")]),
            err(-2010, "Unsupported order combination")
        );
        assert_eq!(with(&[("icebergQty", "1")]), err(-2010, "IcebergQty exceeds QTY."));
        assert_eq!(
            with(&[("trailingDelta", "100")]),
            err(-1106, "Parameter 'trailingDelta' sent when not required.")
        );
        assert_eq!(
            with(&[("trailingDelta", "-1")]),
            err(
                -1100,
                "Illegal characters found in parameter 'trailingDelta'; legal range is '^[0-9]{1,20}$'."
            )
        );
        assert_eq!(with(&[("pegPriceType", "BEST")]), err(-1210, "Invalid pegPriceType."));
        assert_eq!(
            with(&[("pegPriceType", "MARKET_PEG"), ("pegOffsetType", "TICKS"), ("pegOffsetValue", "1")]),
            err(-1211, "Invalid pegOffsetType.")
        );
        assert_eq!(
            with(&[
                ("pegPriceType", "MARKET_PEG"),
                ("pegOffsetType", "PRICE_LEVEL"),
                ("pegOffsetValue", "101")
            ]),
            err(-1130, "Data sent for parameter 'pegOffsetValue' is not valid.")
        );
        assert_eq!(
            with(&[("pegPriceType", "MARKET_PEG"), ("pegOffsetType", "PRICE_LEVEL")]),
            err(-1128, "Fields [pegOffsetValue,pegOffsetType] must be sent together or omitted entirely.")
        );
        assert_eq!(
            with(&[("pegOffsetValue", "1"), ("pegOffsetType", "PRICE_LEVEL")]),
            err(-1106, "Parameter 'pegOffsetType' sent when not required.")
        );
        assert_eq!(
            with(&[("pegPriceType", "PRIMARY_PEG"), ("timeInForce", "IOC")]),
            err(-2010, "Unsupported order combination")
        );
        assert_eq!(with(&[("pegPriceType", "MARKET_PEG"), ("timeInForce", "IOC")]), Ok(()));
        let maker =
            [("side", "SELL"), ("type", "LIMIT_MAKER"), ("quantity", "1"), ("pegPriceType", "MARKET_PEG")];
        assert_eq!(
            verdict(&maker).map(|_| ()),
            err(-2010, "This price peg cannot be used with this order type.")
        );
        let market = [("side", "SELL"), ("type", "MARKET"), ("quantity", "1")];
        let mut pegged = market.to_vec();
        pegged.push(("pegPriceType", "PRIMARY_PEG"));
        assert_eq!(verdict(&pegged).map(|_| ()), err(-2010, "This order type may not use pegged price."));
        let mut iceberg = market.to_vec();
        iceberg.push(("icebergQty", "0.1"));
        assert_eq!(
            verdict(&iceberg).map(|_| ()),
            err(-1106, "Parameter 'icebergQty' sent when not required.")
        );
        // A stop needs stopPrice, trailingDelta or both.
        let stop = [("side", "SELL"), ("type", "TAKE_PROFIT"), ("quantity", "1")];
        assert_eq!(
            verdict(&stop).map(|_| ()),
            err(-1102, "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!")
        );
    }
}
