//! Order lists' terms: OCO (`orderList/oco`), OTO, OTOCO, OPO and OPOCO (`orderList/oto`, ...), and
//! the rules a list must follow before any market is looked at. Each leg is read by one function
//! ([`read_leg`]: the parameters spelled with the leg's prefix, `abovePrice`, `workingTimeInForce`,
//! `pendingBelowStopPrice`, ...) and checked as an order of its type
//! ([`OrderTerms::check_composition`], naming the leg's parameter); then the list's own rules:
//!
//! | rule | failure |
//! |---|---|
//! | an OCO leg (or an OTOCO's pending pair) is not `LIMIT` or `MARKET` | `-1158 Order type not supported in OCO.` |
//! | not both legs `LIMIT_MAKER` | `-1168 At least one OCO order must be contingent.` |
//! | BUY: a `LIMIT_MAKER` leg is below | `-1165 A limit order in a buy OCO must be below.` |
//! | BUY: a take-profit leg is below | `-1198 A take profit order in a buy OCO must be below.` |
//! | BUY: a stop-loss leg is above | `-1196 A stop loss order in a buy OCO must be above.` |
//! | SELL: a `LIMIT_MAKER` leg is above | `-1166 A limit order in a sell OCO must be above.` |
//! | SELL: a take-profit leg is above | `-1199 A take profit order in a sell OCO must be above.` |
//! | SELL: a stop-loss leg is below | `-1197 A stop loss order in a sell OCO must be below.` |
//! | a working order other than `LIMIT` or `LIMIT_MAKER` | `-1130` (the docs name no code of their own) |
//! | OPO, OPOCO: the working order sells | `-1222 Working order in an OPO list must be a bid.` |
//! | OPO, OPOCO: the pending order(s) buy | `-1223 Pending orders in an OPO list must be asks.` |
//!
//! The sandbox's handlers read every list through [`read_oco`] and [`read_oto`] (then the symbol's
//! precisions and filters, and the engine the rest: average-price filters, `MAX_NUM_ORDERS`, price
//! relationships, balances); the doctor runs the same functions on the requests it reads
//! ([`check_list`]). The docs list `LIMIT_MAKER` among `aboveType`'s values only, yet their own
//! WebSocket example places a BUY OCO with `belowType=LIMIT_MAKER`; it is taken on either leg, where
//! the side puts it.

use rust_decimal::Decimal;

use crate::endpoint::{Endpoint, spot};
use crate::model::{OrderResponseType, OrderType, SelfTradePreventionMode, Side};
use crate::order::{
    OrderFeatures, OrderTerms, Refusal, client_id_param, decimal_param, enum_param, is, leg_param,
    oco_leg_type, required, resp_type_param, stp_mode_param, time_in_force_param,
};
use crate::{ApiError, ErrorCode, Params, WireValue};

/// Which list an endpoint places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `orderList/oco`: an above and a below order.
    Oco,
    /// `orderList/oto`: a working order and one pending order.
    Oto,
    /// `orderList/otoco`: a working order and a pending OCO pair.
    Otoco,
    /// `orderList/opo`: an OTO whose pending order sells what the working order buys.
    Opo,
    /// `orderList/opoco`: an OTOCO whose pending pair sells what the working order buys.
    Opoco,
}

impl ListKind {
    /// The list endpoint `e` places (REST row or the WebSocket API method of the same row), if any.
    ///
    /// ```
    /// use mbx_core::endpoint;
    /// use mbx_core::order_list::ListKind;
    /// assert_eq!(ListKind::of(endpoint::ws_method("orderList.place.opo").unwrap()), Some(ListKind::Opo));
    /// assert_eq!(ListKind::of(endpoint::ws_method("order.place").unwrap()), None);
    /// ```
    pub fn of(e: &Endpoint) -> Option<ListKind> {
        [
            (&spot::NEW_OCO, ListKind::Oco),
            (&spot::NEW_OTO, ListKind::Oto),
            (&spot::NEW_OTOCO, ListKind::Otoco),
            (&spot::NEW_OPO, ListKind::Opo),
            (&spot::NEW_OPOCO, ListKind::Opoco),
        ]
        .into_iter()
        .find(|(row, _)| is(e, row))
        .map(|(_, kind)| kind)
    }

    /// Whether the pending quantity is what the working order buys.
    pub fn opo(self) -> bool {
        matches!(self, ListKind::Opo | ListKind::Opoco)
    }

    /// Whether the pending orders are an above / below pair.
    pub fn pair(self) -> bool {
        matches!(self, ListKind::Otoco | ListKind::Opoco)
    }
}

/// An OTO list's pending order(s).
// One per request, moved once: the pair's size is of no account.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingLegs {
    /// OTO, OPO: one pending order (`pendingType`, `pendingPrice`, ...).
    One(OrderTerms),
    /// OTOCO, OPOCO: an OCO pair (`pendingAboveType`, ..., `pendingBelowType`, ...).
    Pair {
        /// The above leg.
        above: OrderTerms,
        /// The below leg.
        below: OrderTerms,
    },
}

impl PendingLegs {
    /// The legs with their parameter prefixes, above before below.
    pub fn legs(&self) -> Vec<(&'static str, &OrderTerms)> {
        match self {
            PendingLegs::One(t) => vec![("pending", t)],
            PendingLegs::Pair { above, below } => vec![("pendingAbove", above), ("pendingBelow", below)],
        }
    }
}

/// A new OCO's terms, read and checked ([`read_oco`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcoTerms {
    /// Wire: listClientOrderId.
    pub list_client_order_id: Option<String>,
    /// Wire: newOrderRespType (`None`: `FULL`).
    pub resp_type: Option<OrderResponseType>,
    /// The above leg.
    pub above: OrderTerms,
    /// The below leg.
    pub below: OrderTerms,
}

/// A new OTO, OTOCO, OPO or OPOCO's terms, read and checked ([`read_oto`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtoTerms {
    /// Wire: listClientOrderId.
    pub list_client_order_id: Option<String>,
    /// Wire: newOrderRespType (`None`: `FULL`).
    pub resp_type: Option<OrderResponseType>,
    /// The working order.
    pub working: OrderTerms,
    /// The pending order(s); an OPO's have no quantity (what the working order buys).
    pub pending: PendingLegs,
}

/// The order types a working order may have.
const WORKING_TYPES: &str = "LIMIT or LIMIT_MAKER";
/// Every order type (a single pending order may have any).
const ALL_TYPES: &str =
    "LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT or TAKE_PROFIT_LIMIT";

/// Reads and checks the parameters of `POST /api/v3/orderList/oco` but `symbol` (first failure
/// wins): `side`, `quantity`, `listClientOrderId`, `newOrderRespType`, `selfTradePreventionMode`,
/// `aboveType` and `belowType` ([`oco_leg_type`]), each leg's parameters ([`read_leg`]), where each
/// type may be by side ([`check_placement`]), then each leg as an order of its type.
///
/// ```
/// use mbx_core::Params;
/// use mbx_core::order_list::read_oco;
/// let p = Params::new().text("side", "SELL").text("quantity", "1")
///     .text("aboveType", "LIMIT_MAKER").text("abovePrice", "3")
///     .text("belowType", "STOP_LOSS_LIMIT").text("belowPrice", "1").text("belowStopPrice", "1.1");
/// // A STOP_LOSS_LIMIT leg needs its time in force.
/// assert_eq!(read_oco(&p).unwrap_err().error.msg, "Mandatory parameter 'belowTimeInForce' was not sent, was empty/null, or malformed.");
/// assert!(read_oco(&p.text("belowTimeInForce", "GTC")).is_ok());
/// ```
pub fn read_oco(params: &Params) -> Result<OcoTerms, Refusal> {
    let side = enum_param(params, "side", Side::parse_known, ErrorCode::INVALID_SIDE, "BUY or SELL")?;
    let quantity = decimal_param(params, "quantity")?;
    if quantity.is_none() {
        required(params, "quantity")?;
    }
    let list_client_order_id = client_id_param(params, "listClientOrderId")?;
    let resp_type = resp_type_param(params)?;
    let stp_mode = stp_mode_param(params)?;
    let leg = |prefix: &str| -> Result<OrderTerms, Refusal> {
        let order_type = oco_leg_type(params, &leg_param(prefix, "type"))?;
        read_leg(params, prefix, side.clone(), order_type, quantity, stp_mode.clone())
    };
    let above = leg("above")?;
    let below = leg("below")?;
    check_placement("", &side, &above.order_type, &below.order_type)?;
    above.check_composition("above")?;
    below.check_composition("below")?;
    Ok(OcoTerms { list_client_order_id, resp_type, above, below })
}

/// Reads and checks the parameters of `POST /api/v3/orderList/oto` (or `otoco`, `opo`, `opoco`, as
/// `kind` says) but `symbol` (first failure wins): `listClientOrderId`, `newOrderRespType`,
/// `selfTradePreventionMode`; `workingType` (`-1116`; a type other than `LIMIT` and `LIMIT_MAKER`
/// is `-1130`), `workingSide`, the working leg's parameters; `pendingSide`; for OPO, `-1222` unless
/// the working order buys and `-1223` unless the pending order(s) sell; `pendingQuantity` (not OPO,
/// whose pending quantity is what the working order buys); the pending type(s) (a pair as an OCO's
/// legs) and their parameters; then each order's composition.
///
/// ```
/// use mbx_core::Params;
/// use mbx_core::order_list::{ListKind, read_oto};
/// let p = Params::new().text("workingType", "LIMIT").text("workingSide", "SELL").text("workingPrice", "2")
///     .text("workingQuantity", "1").text("workingTimeInForce", "GTC")
///     .text("pendingType", "MARKET").text("pendingSide", "BUY");
/// assert_eq!(read_oto(&p, ListKind::Opo).unwrap_err().error.code.get(), -1222);
/// ```
pub fn read_oto(params: &Params, kind: ListKind) -> Result<OtoTerms, Refusal> {
    let list_client_order_id = client_id_param(params, "listClientOrderId")?;
    let resp_type = resp_type_param(params)?;
    let stp_mode = stp_mode_param(params)?;
    let working_type = enum_param(
        params,
        "workingType",
        OrderType::parse_known,
        ErrorCode::INVALID_ORDER_TYPE,
        WORKING_TYPES,
    )?;
    if !matches!(working_type, OrderType::Limit | OrderType::LimitMaker) {
        return Err(Refusal::new(
            ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &["workingType"]),
            format!("Parameter 'workingType' is {:?}; it takes {WORKING_TYPES}.", working_type.wire()),
        ));
    }
    let side =
        |name: &str| enum_param(params, name, Side::parse_known, ErrorCode::INVALID_SIDE, "BUY or SELL");
    let working_side = side("workingSide")?;
    let working_qty = decimal_param(params, "workingQuantity")?;
    let working =
        read_leg(params, "working", working_side.clone(), working_type, working_qty, stp_mode.clone())?;
    let pending_side = side("pendingSide")?;
    if kind.opo() && working_side != Side::Buy {
        return Err(Refusal::new(
            ApiError::new(ErrorCode::OPO_WORKING_MUST_BE_BUY),
            "An OPO's working order buys what its pending order(s) sell: send workingSide=BUY.",
        ));
    }
    if kind.opo() && pending_side != Side::Sell {
        return Err(Refusal::new(
            ApiError::new(ErrorCode::OPO_PENDING_MUST_BE_SELL),
            "An OPO's pending order(s) sell what its working order buys: send pendingSide=SELL.",
        ));
    }
    // An OPO's pending quantity is what the working order buys: its terms are checked with the
    // working quantity in its place, and the real one judged once known.
    let pending_qty = if kind.opo() {
        working_qty
    } else {
        let q = decimal_param(params, "pendingQuantity")?;
        if q.is_none() {
            required(params, "pendingQuantity")?;
        }
        q
    };
    let pending = if kind.pair() {
        let above_type = oco_leg_type(params, "pendingAboveType")?;
        let below_type = oco_leg_type(params, "pendingBelowType")?;
        check_placement("pending", &pending_side, &above_type, &below_type)?;
        let leg = |prefix: &str, t: OrderType| {
            read_leg(params, prefix, pending_side.clone(), t, pending_qty, stp_mode.clone())
        };
        PendingLegs::Pair { above: leg("pendingAbove", above_type)?, below: leg("pendingBelow", below_type)? }
    } else {
        let t = enum_param(
            params,
            "pendingType",
            OrderType::parse_known,
            ErrorCode::INVALID_ORDER_TYPE,
            ALL_TYPES,
        )?;
        PendingLegs::One(read_leg(params, "pending", pending_side, t, pending_qty, stp_mode)?)
    };
    working.check_composition("working")?;
    for (prefix, leg) in pending.legs() {
        leg.check_composition(prefix)?;
    }
    let pending = match pending {
        PendingLegs::Pair { above, below } if kind.opo() => PendingLegs::Pair {
            above: OrderTerms { quantity: None, ..above },
            below: OrderTerms { quantity: None, ..below },
        },
        PendingLegs::One(t) if kind.opo() => PendingLegs::One(OrderTerms { quantity: None, ..t }),
        other => other,
    };
    Ok(OtoTerms { list_client_order_id, resp_type, working, pending })
}

/// The list rules of the list endpoint `e` (if it is one) on `params`: [`read_oco`] (of
/// [`read_legacy_oco`] for the deprecated `order/oco`) or [`read_oto`], the terms dropped. The doctor's check of a list request past the acceptance check.
pub fn check_list(e: &Endpoint, params: &Params) -> Result<(), Refusal> {
    if is(e, &spot::NEW_OCO_DEPRECATED) {
        return read_legacy_oco(params).map(drop);
    }
    match ListKind::of(e) {
        Some(ListKind::Oco) => read_oco(params).map(drop),
        Some(kind) => read_oto(params, kind).map(drop),
        None => Ok(()),
    }
}

/// The deprecated `order/oco`'s leg parameters: (its name, on the limit leg (else the stop leg),
/// the name within `orderList/oco`'s leg).
const LEGACY_LEG_PARAMS: [(&str, bool, &str); 13] = [
    ("price", true, "price"),
    ("limitClientOrderId", true, "clientOrderId"),
    ("limitIcebergQty", true, "icebergQty"),
    ("limitStrategyId", true, "strategyId"),
    ("limitStrategyType", true, "strategyType"),
    ("stopPrice", false, "stopPrice"),
    ("stopLimitPrice", false, "price"),
    ("stopLimitTimeInForce", false, "timeInForce"),
    ("stopClientOrderId", false, "clientOrderId"),
    ("stopIcebergQty", false, "icebergQty"),
    ("trailingDelta", false, "trailingDelta"),
    ("stopStrategyId", false, "strategyId"),
    ("stopStrategyType", false, "strategyType"),
];

/// The deprecated `order/oco`'s legs: (limit leg, stop leg) as `orderList/oco` names them. The
/// limit leg is a `LIMIT_MAKER` above a SELL's price and below a BUY's; the stop leg is the other.
fn legacy_legs(old: &Params) -> (&'static str, &'static str) {
    if old.get("side") == Some("SELL") { ("above", "below") } else { ("below", "above") }
}

/// The parameters of the deprecated `POST /api/v3/order/oco` in `orderList/oco`'s names (what older
/// client libraries and many bots still send): the limit leg (`price`, `limitClientOrderId`,
/// `limitIcebergQty`) is a `LIMIT_MAKER` above a SELL's price and below a BUY's; the stop leg
/// (`stopPrice`, `stopLimitPrice`, `stopLimitTimeInForce`, `stopClientOrderId`, `stopIcebergQty`,
/// `trailingDelta`) a `STOP_LOSS_LIMIT` (with `stopLimitPrice`) or `STOP_LOSS` on the other side.
/// [`read_legacy_oco`] reads a request through it, its errors in the old names.
///
/// ```
/// use mbx_core::Params;
/// use mbx_core::order_list::from_legacy_oco;
/// let old = Params::new().text("side", "SELL").text("price", "3").text("stopPrice", "1");
/// let new = from_legacy_oco(&old);
/// assert_eq!((new.get("aboveType"), new.get("abovePrice")), (Some("LIMIT_MAKER"), Some("3")));
/// assert_eq!((new.get("belowType"), new.get("belowStopPrice")), (Some("STOP_LOSS"), Some("1")));
/// ```
pub fn from_legacy_oco(old: &Params) -> Params {
    let (limit, stop) = legacy_legs(old);
    let mut new = Params::new();
    for name in
        ["symbol", "side", "quantity", "listClientOrderId", "newOrderRespType", "selfTradePreventionMode"]
    {
        if let Some(v) = old.get(name) {
            new.push(name, v);
        }
    }
    new.push(leg_param(limit, "type"), "LIMIT_MAKER");
    let stop_type = if old.get("stopLimitPrice").is_some() { "STOP_LOSS_LIMIT" } else { "STOP_LOSS" };
    new.push(leg_param(stop, "type"), stop_type);
    for (from, on_limit, to) in LEGACY_LEG_PARAMS {
        if let Some(v) = old.get(from) {
            new.push(leg_param(if on_limit { limit } else { stop }, to), v);
        }
    }
    new
}

/// Reads the deprecated `POST /api/v3/order/oco` (and the WebSocket API's `orderList.place`) as
/// [`read_oco`] reads `orderList/oco` ([`from_legacy_oco`]), its errors naming the parameters the
/// request sent (`stopLimitTimeInForce`, not `belowTimeInForce`). A `stopLimitPrice` without
/// `stopLimitTimeInForce` is `-1128` with the message the docs' CHANGELOG gives for it. Also
/// returns the request in `orderList/oco`'s names.
///
/// ```
/// use mbx_core::Params;
/// use mbx_core::order_list::read_legacy_oco;
/// let p = Params::new().text("side", "SELL").text("quantity", "1").text("price", "3").text("stopPrice", "1.1");
/// assert!(read_legacy_oco(&p).is_ok());
/// let e = read_legacy_oco(&p.clone().text("stopLimitPrice", "1")).unwrap_err().error;
/// assert_eq!((e.code.get(), e.msg.as_str()), (-1128, "Combination of optional parameters invalid. Recommendation: 'stopLimitTimeInForce' should also be sent."));
/// let e = read_legacy_oco(&p.text("stopClientOrderId", "bad!")).unwrap_err().error;
/// assert!(e.msg.contains("'stopClientOrderId'"), "{}", e.msg);
/// ```
pub fn read_legacy_oco(old: &Params) -> Result<(OcoTerms, Params), Refusal> {
    if old.get("stopLimitPrice").is_some() && old.get("stopLimitTimeInForce").is_none() {
        return Err(Refusal::new(
            ApiError::with_msg(
                ErrorCode::OPTIONAL_PARAMS_BAD_COMBO,
                "Combination of optional parameters invalid. Recommendation: 'stopLimitTimeInForce' should also be sent.",
            ),
            "A stop-limit leg (stopLimitPrice) needs its time in force: send stopLimitTimeInForce (GTC, IOC or FOK).",
        ));
    }
    let new = from_legacy_oco(old);
    let terms = read_oco(&new).map_err(|r| in_legacy_names(r, legacy_legs(old)))?;
    Ok((terms, new))
}

/// `refusal` of a request translated by [`from_legacy_oco`], its parameter names put back.
fn in_legacy_names(mut refusal: Refusal, (limit, stop): (&str, &str)) -> Refusal {
    let mut names: Vec<(String, &str)> = LEGACY_LEG_PARAMS
        .iter()
        .map(|(old, on_limit, to)| (leg_param(if *on_limit { limit } else { stop }, to).into_owned(), *old))
        .collect();
    // Longer names first, so that none is replaced inside another.
    names.sort_by_key(|(new, _)| std::cmp::Reverse(new.len()));
    for (new, old) in &names {
        refusal.error.msg = replace_word(&refusal.error.msg, new, old);
        refusal.advice = replace_word(&refusal.advice, new, old);
    }
    refusal
}

/// `text` with every whole-word `from` (not inside a longer name) replaced by `to`.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        out.push_str(if word(before) || word(after) { from } else { to });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// The terms of the leg whose parameters start with `prefix` (`above`, `working`, `pendingAbove`,
/// ...): its `price`, `stopPrice`, `timeInForce`, `clientOrderId`, `icebergQty`, `trailingDelta` and
/// peg instructions. Its side, type and quantity are read by the caller, as each list names them
/// differently.
pub fn read_leg(
    params: &Params,
    prefix: &str,
    side: Side,
    order_type: OrderType,
    quantity: Option<Decimal>,
    stp_mode: Option<SelfTradePreventionMode>,
) -> Result<OrderTerms, Refusal> {
    Ok(OrderTerms {
        side,
        order_type,
        time_in_force: time_in_force_param(params, &leg_param(prefix, "timeInForce"))?,
        quantity,
        quote_order_qty: None,
        price: decimal_param(params, &leg_param(prefix, "price"))?,
        stop_price: decimal_param(params, &leg_param(prefix, "stopPrice"))?,
        client_order_id: client_id_param(params, &leg_param(prefix, "clientOrderId"))?,
        stp_mode,
        // Icebergs, trailing stops and pegs.
        features: OrderFeatures::parse(params, prefix)?,
    })
}

/// Which leg each type may be, by side (see the module table); `prefix` is `pending` for an
/// OTOCO's pending pair (`pendingAboveType`).
pub fn check_placement(
    prefix: &str,
    side: &Side,
    above: &OrderType,
    below: &OrderType,
) -> Result<(), Refusal> {
    let reject = |code: ErrorCode, hint: String| Err(Refusal::new(ApiError::new(code), hint));
    if *above == OrderType::LimitMaker && *below == OrderType::LimitMaker {
        return reject(
            ErrorCode::BOTH_OCO_ORDERS_CANNOT_BE_LIMIT,
            "Both legs are LIMIT_MAKER; make one a STOP_LOSS or STOP_LOSS_LIMIT leg.".into(),
        );
    }
    let stop_loss = |t: &OrderType| matches!(t, OrderType::StopLoss | OrderType::StopLossLimit);
    let take_profit = |t: &OrderType| matches!(t, OrderType::TakeProfit | OrderType::TakeProfitLimit);
    let hint = |t: &OrderType, leg: &str, should: &str| {
        let (should, leg) = (leg_param(prefix, should), leg_param(prefix, leg));
        format!("In a {side} OCO the {t} leg goes {should}: send it as {should}Type, not {leg}Type.")
    };
    let buy = *side != Side::Sell;
    for (t, leg) in [(above, "above"), (below, "below")] {
        let at_above = leg == "above";
        match (buy, at_above) {
            (true, true) if *t == OrderType::LimitMaker => {
                return reject(ErrorCode::BUY_OCO_LIMIT_MUST_BE_BELOW, hint(t, leg, "below"));
            }
            (true, true) if take_profit(t) => {
                return reject(ErrorCode::BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW, hint(t, leg, "below"));
            }
            (true, false) if stop_loss(t) => {
                return reject(ErrorCode::BUY_OCO_STOP_LOSS_MUST_BE_ABOVE, hint(t, leg, "above"));
            }
            (false, false) if *t == OrderType::LimitMaker => {
                return reject(ErrorCode::SELL_OCO_LIMIT_MUST_BE_ABOVE, hint(t, leg, "above"));
            }
            (false, false) if take_profit(t) => {
                return reject(ErrorCode::SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE, hint(t, leg, "above"));
            }
            (false, true) if stop_loss(t) => {
                return reject(ErrorCode::SELL_OCO_STOP_LOSS_MUST_BE_BELOW, hint(t, leg, "below"));
            }
            _ => {}
        }
    }
    Ok(())
}
