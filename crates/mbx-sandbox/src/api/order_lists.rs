//! Order list endpoints: `orderList/oco`, `oto`, `otoco`, `opo`, `opoco` (place), `orderList`
//! (cancel, query), `openOrderList`, `allOrderList`. Every list's legs are read by one function
//! (`read_leg`, the parameters spelled with the leg's prefix: `above`, `working`, `pendingAbove`,
//! ...); an OTOCO's pending pair follows the OCO rules below. The OTO family's checks are
//! [`NewOto::parse`]'s.
//!
//! # Reading a new OCO
//!
//! Checks, first failure wins: `symbol`, `side`, `quantity` as for an order; `aboveType` and
//! `belowType` (`-1102` missing, `-1116` not an order type, `-1158 Order type not supported in OCO.`
//! for `LIMIT` and `MARKET`); each leg's parameters (`abovePrice`, `aboveStopPrice`,
//! `aboveTimeInForce`, `aboveClientOrderId`, `aboveIcebergQty`, `aboveTrailingDelta`, the peg
//! instructions `abovePegPriceType`, `abovePegOffsetType`, `abovePegOffsetValue`, and the same for
//! `below`, with the rules of a single order's, except `-1160` for a leg's iceberg that is not
//! `GTC`); then the combination:
//!
//! | rule | failure |
//! |---|---|
//! | not both legs `LIMIT_MAKER` | `-1168 At least one OCO order must be contingent.` |
//! | BUY: a `LIMIT_MAKER` leg is below | `-1165 A limit order in a buy OCO must be below.` |
//! | BUY: a take-profit leg is below | `-1198 A take profit order in a buy OCO must be below.` |
//! | BUY: a stop-loss leg is above | `-1196 A stop loss order in a buy OCO must be above.` |
//! | SELL: a `LIMIT_MAKER` leg is above | `-1166 A limit order in a sell OCO must be above.` |
//! | SELL: a take-profit leg is above | `-1199 A take profit order in a sell OCO must be above.` |
//! | SELL: a stop-loss leg is below | `-1197 A stop loss order in a sell OCO must be below.` |
//!
//! then each leg as an order of its type (mandatory and unexpected parameters, `-1102` / `-1106`
//! naming the leg's parameter, e.g. `abovePrice`; `PRICE_FILTER`, `LOT_SIZE`); the engine does the
//! rest ([`crate::engine::exchange`]'s order lists: average-price filters, `MAX_NUM_ORDERS` for two
//! orders, price relationship, balance). The docs list `LIMIT_MAKER` among `aboveType`'s values only,
//! yet their own WebSocket example places a BUY OCO with `belowType=LIMIT_MAKER`; the sandbox takes
//! it on either leg, where the side puts it.
//!
//! An OCO counts two unfilled orders; its `orderReports` take `newOrderRespType` (default `FULL`).
//! Unknown lists: `GET orderList` answers `-2013 Order does not exist.`, `DELETE orderList`
//! `-2011 Unknown order sent.` (errors.md has no message of its own for lists).

use mbx_core::model::{OrderResponseType, OrderType, Side};
use mbx_core::{ApiError, ErrorCode, Params, WireValue};

use super::Reply;
use super::account::history;
use super::trading::counted;
use super::{json, reports};
use crate::engine::order::{OrderTerms, Strategy};
use crate::engine::{ListRef, ListWithOrders, OcoRequest, OtoRequest, PendingLegs};
use crate::error::{Result, SandboxError};
use crate::extract::{Signed, invalid_value, optional, optional_long, required};
use crate::keys::random_client_id;
use crate::market::{Market, SymbolSpec};
use crate::order::{
    check_composition, check_filters, client_id_param, decimal_param, enum_param, leg_param, resp_type_param,
    stp_mode_param, strategy_params, time_in_force_param,
};
use crate::state::AppState;
use crate::write::json::array;
use mbx_core::endpoint::spot;

/// Length of a generated cancel `clientOrderId`.
const CLIENT_ID_LEN: usize = 22;

/// A new OCO, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOco<'m> {
    /// The symbol's rules.
    pub symbol: &'m SymbolSpec,
    /// Wire: listClientOrderId.
    pub list_client_order_id: Option<String>,
    /// The above leg.
    pub above: OrderTerms,
    /// The below leg.
    pub below: OrderTerms,
    /// The legs' strategy labels: above, below.
    pub strategies: [Strategy; 2],
    /// Wire: newOrderRespType (`None`: `FULL`).
    pub resp_type: Option<OrderResponseType>,
}

impl<'m> NewOco<'m> {
    /// Reads and checks the parameters of `POST /api/v3/orderList/oco` (see the module table).
    pub fn parse(params: &Params, market: &'m Market) -> Result<NewOco<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
        let side = enum_param(params, "side", Side::parse_known, ErrorCode::INVALID_SIDE, "BUY or SELL")?;
        let quantity = decimal_param(params, "quantity")?;
        if quantity.is_none() {
            required(params, "quantity")?;
        }
        let list_client_order_id = client_id_param(params, "listClientOrderId")?;
        let resp_type = resp_type_param(params)?;
        let stp_mode = stp_mode_param(params)?;
        let leg = |prefix: &str| -> Result<OrderTerms> {
            let order_type = leg_type(params, prefix)?;
            read_leg(params, prefix, side.clone(), order_type, quantity, stp_mode.clone())
        };
        let above = leg("above")?;
        let below = leg("below")?;
        check_placement("", &side, &above.order_type, &below.order_type)?;
        for (leg, prefix) in [(&above, "above"), (&below, "below")] {
            check_composition(leg, prefix)?;
        }
        for leg in [&above, &below] {
            check_filters(leg, symbol)?;
        }
        let strategies = [strategy_params(params, "above")?, strategy_params(params, "below")?];
        Ok(NewOco { symbol, list_client_order_id, above, below, strategies, resp_type })
    }
}

/// Which list of the OTO family an endpoint places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtoKind {
    /// `orderList/oto`: a working order and one pending order.
    Oto,
    /// `orderList/otoco`: a working order and a pending OCO pair.
    Otoco,
    /// `orderList/opo`: an OTO whose pending order sells what the working order buys.
    Opo,
    /// `orderList/opoco`: an OTOCO whose pending pair sells what the working order buys.
    Opoco,
}

impl OtoKind {
    /// Whether the pending quantity is what the working order buys.
    pub fn opo(self) -> bool {
        matches!(self, OtoKind::Opo | OtoKind::Opoco)
    }

    /// Whether the pending orders are an above / below pair.
    pub fn pair(self) -> bool {
        matches!(self, OtoKind::Otoco | OtoKind::Opoco)
    }
}

/// The order types a working order may have.
const WORKING_TYPES: &str = "LIMIT or LIMIT_MAKER";
/// Every order type (a single pending order may have any).
const ALL_TYPES: &str =
    "LIMIT, LIMIT_MAKER, MARKET, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT or TAKE_PROFIT_LIMIT";

/// A new OTO, OTOCO, OPO or OPOCO, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOto<'m> {
    /// The symbol's rules.
    pub symbol: &'m SymbolSpec,
    /// Wire: listClientOrderId.
    pub list_client_order_id: Option<String>,
    /// The working order.
    pub working: OrderTerms,
    /// The pending order(s); an OPO's have no quantity.
    pub pending: PendingLegs,
    /// The strategy labels of the working order, then of each pending order (above, below).
    pub strategies: Vec<Strategy>,
    /// Wire: newOrderRespType (`None`: `FULL`).
    pub resp_type: Option<OrderResponseType>,
}

impl<'m> NewOto<'m> {
    /// Reads and checks the parameters of `POST /api/v3/orderList/oto` (or `otoco`, `opo`, `opoco`).
    ///
    /// Checks, first failure wins: `symbol`, `listClientOrderId`, `newOrderRespType`,
    /// `selfTradePreventionMode`; `workingType` (`-1116`; a type other than `LIMIT` and
    /// `LIMIT_MAKER` is `-1130`, the docs naming no code of their own), `workingSide`, the working
    /// leg's parameters; `pendingSide`; for OPO, `-1222` unless the working order buys and `-1223`
    /// unless the pending order(s) sell; `pendingQuantity` (not OPO, whose rows do not take it:
    /// `-1104`); the pending type(s) (a pair as an OCO's legs: `-1158`, and `-1165`, `-1166`,
    /// `-1168`, `-1196`..`-1199` by side) and their parameters; then each order's composition
    /// (`-1102` / `-1106` naming the leg's parameter) and `PRICE_FILTER`, `LOT_SIZE`.
    pub fn parse(params: &Params, market: &'m Market, kind: OtoKind) -> Result<NewOto<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
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
            return Err(invalid_value("workingType", working_type.wire(), WORKING_TYPES));
        }
        let side =
            |name: &str| enum_param(params, name, Side::parse_known, ErrorCode::INVALID_SIDE, "BUY or SELL");
        let working_side = side("workingSide")?;
        let working_qty = decimal_param(params, "workingQuantity")?;
        let working =
            read_leg(params, "working", working_side.clone(), working_type, working_qty, stp_mode.clone())?;
        let pending_side = side("pendingSide")?;
        if kind.opo() && working_side != Side::Buy {
            return Err(SandboxError::rejected(
                ApiError::new(ErrorCode::OPO_WORKING_MUST_BE_BUY),
                "An OPO's working order buys what its pending order(s) sell: send workingSide=BUY.",
            ));
        }
        if kind.opo() && pending_side != Side::Sell {
            return Err(SandboxError::rejected(
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
            let above_type = leg_type(params, "pendingAbove")?;
            let below_type = leg_type(params, "pendingBelow")?;
            check_placement("pending", &pending_side, &above_type, &below_type)?;
            let leg = |prefix: &str, t: OrderType| {
                read_leg(params, prefix, pending_side.clone(), t, pending_qty, stp_mode.clone())
            };
            PendingLegs::Pair {
                above: leg("pendingAbove", above_type)?,
                below: leg("pendingBelow", below_type)?,
            }
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
        check_composition(&working, "working")?;
        for (prefix, leg) in pending.legs() {
            check_composition(leg, prefix)?;
        }
        check_filters(&working, symbol)?;
        for (_, leg) in pending.legs() {
            check_filters(leg, symbol)?;
        }
        let mut strategies = vec![strategy_params(params, "working")?];
        for (prefix, _) in pending.legs() {
            strategies.push(strategy_params(params, prefix)?);
        }
        let pending = match pending {
            PendingLegs::Pair { above, below } if kind.opo() => PendingLegs::Pair {
                above: OrderTerms { quantity: None, ..above },
                below: OrderTerms { quantity: None, ..below },
            },
            PendingLegs::One(t) if kind.opo() => PendingLegs::One(OrderTerms { quantity: None, ..t }),
            other => other,
        };
        Ok(NewOto { symbol, list_client_order_id, working, pending, strategies, resp_type })
    }
}

/// The terms of the leg whose parameters start with `prefix` (`above`, `working`, `pendingAbove`,
/// ...): its `price`, `stopPrice`, `timeInForce`, `clientOrderId`, `icebergQty`, `trailingDelta` and
/// peg instructions. Its side, type and quantity are read by the caller, as each list
/// names them differently.
fn read_leg(
    params: &Params,
    prefix: &str,
    side: Side,
    order_type: OrderType,
    quantity: Option<rust_decimal::Decimal>,
    stp_mode: Option<mbx_core::model::SelfTradePreventionMode>,
) -> Result<OrderTerms> {
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
        features: mbx_core::order::OrderFeatures::parse(params, prefix)?,
    })
}

/// `aboveType` / `belowType`.
fn leg_type(params: &Params, prefix: &str) -> Result<OrderType> {
    Ok(mbx_core::order::oco_leg_type(params, &leg_param(prefix, "type"))?)
}

/// Which leg each type may be, by side (see the module table); `prefix` is `pending` for an OTOCO's
/// pending pair (`pendingAboveType`).
fn check_placement(prefix: &str, side: &Side, above: &OrderType, below: &OrderType) -> Result<()> {
    let reject = |code: ErrorCode, hint: String| Err(SandboxError::rejected(ApiError::new(code), hint));
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

/// `POST /api/v3/orderList/oco` (TRADE): places an OCO; counts two unfilled orders.
pub async fn new_oco(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let placing = place_oco(&state, &signed.params, account, now);
    let (result, counts) = counted(&state, account, now, spot::NEW_OCO.orders, placing).await;
    match counts {
        Some(counts) => Reply::from(result).counting(counts),
        None => Reply::from(result),
    }
}

/// `POST /api/v3/order/oco` (TRADE, deprecated in the docs but still listed, and what older client
/// libraries and many bots call): the same OCO, its legs named the old way. The limit leg
/// (`price`, `limitClientOrderId`, `limitIcebergQty`) is a `LIMIT_MAKER` above a SELL's price and
/// below a BUY's; the stop leg (`stopPrice`, `stopLimitPrice`, `stopLimitTimeInForce`,
/// `stopClientOrderId`, `stopIcebergQty`, `trailingDelta`) a `STOP_LOSS_LIMIT` (with
/// `stopLimitPrice`) or `STOP_LOSS` on the other side. Errors name the new form's parameters.
pub async fn new_oco_deprecated(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let params = legacy_oco_params(&signed.params);
    let placing = place_oco(&state, &params, account, now);
    let (result, counts) = counted(&state, account, now, spot::NEW_OCO_DEPRECATED.orders, placing).await;
    match counts {
        Some(counts) => Reply::from(result).counting(counts),
        None => Reply::from(result),
    }
}

/// The parameters of `order/oco` in `orderList/oco`'s names.
fn legacy_oco_params(old: &Params) -> Params {
    let sell = old.get("side") == Some("SELL");
    let (limit, stop) = if sell { ("above", "below") } else { ("below", "above") };
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
    for (from, leg, to) in [
        ("price", limit, "price"),
        ("limitClientOrderId", limit, "clientOrderId"),
        ("limitIcebergQty", limit, "icebergQty"),
        ("limitStrategyId", limit, "strategyId"),
        ("limitStrategyType", limit, "strategyType"),
        ("stopPrice", stop, "stopPrice"),
        ("stopLimitPrice", stop, "price"),
        ("stopLimitTimeInForce", stop, "timeInForce"),
        ("stopClientOrderId", stop, "clientOrderId"),
        ("stopIcebergQty", stop, "icebergQty"),
        ("trailingDelta", stop, "trailingDelta"),
        ("stopStrategyId", stop, "strategyId"),
        ("stopStrategyType", stop, "strategyType"),
    ] {
        if let Some(v) = old.get(from) {
            new.push(leg_param(leg, to), v);
        }
    }
    new
}

async fn place_oco(state: &AppState, params: &Params, account_id: i64, now_ms: u64) -> Result<Reply> {
    let oco = NewOco::parse(params, state.market())?;
    let symbol = state.market().require_index(&oco.symbol.symbol)?;
    let resp = oco.resp_type.clone().unwrap_or(OrderResponseType::Full);
    let req = OcoRequest {
        account_id,
        symbol,
        list_client_order_id: oco.list_client_order_id,
        above: oco.above,
        below: oco.below,
        strategies: oco.strategies,
        now_ms,
    };
    let placed = state.engine().place_oco(req).await?;
    Ok(json(reports::list_placed(&placed.list, &placed.orders, &[], &resp, now_ms)))
}

/// `POST /api/v3/orderList/oto`, `otoco`, `opo`, `opoco` (TRADE): places the list; counts its
/// orders (the row's `orders`: 2 or 3) as unfilled.
pub async fn new_oto(state: AppState, signed: Signed, kind: OtoKind) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let placing = place_oto(&state, &signed.params, account, now, kind);
    let (result, counts) = counted(&state, account, now, signed.endpoint.orders, placing).await;
    match counts {
        Some(counts) => Reply::from(result).counting(counts),
        None => Reply::from(result),
    }
}

async fn place_oto(
    state: &AppState,
    params: &Params,
    account_id: i64,
    now_ms: u64,
    kind: OtoKind,
) -> Result<Reply> {
    let oto = NewOto::parse(params, state.market(), kind)?;
    let symbol = state.market().require_index(&oto.symbol.symbol)?;
    let resp = oto.resp_type.clone().unwrap_or(OrderResponseType::Full);
    let req = OtoRequest {
        account_id,
        symbol,
        list_client_order_id: oto.list_client_order_id,
        opo: kind.opo(),
        working: oto.working,
        pending: oto.pending,
        strategies: oto.strategies,
        now_ms,
    };
    let (placed, fills) = state.engine().place_oto(req).await?;
    Ok(json(reports::list_placed(&placed.list, &placed.orders, &fills, &resp, now_ms)))
}

/// `orderListId` and/or the list's client id, as `endpoint` names it (`listClientOrderId` to cancel,
/// `origClientOrderId` to query); `-1102` naming both when neither is sent (mbx-core's
/// [`mbx_core::order::either`]).
fn list_ref(endpoint: &mbx_core::endpoint::Endpoint, params: &Params) -> Result<ListRef> {
    let client_name = endpoint.either_of().map_or("listClientOrderId", |[client, _]| client);
    let order_list_id = optional_long(params, "orderListId")?;
    let list_client_order_id = optional(params, client_name)?.map(str::to_owned);
    mbx_core::order::either(endpoint, params)?;
    Ok(ListRef { order_list_id, list_client_order_id })
}

/// `DELETE /api/v3/orderList` (TRADE): cancels an open order list, every leg.
pub async fn cancel_order_list(state: AppState, signed: Signed) -> Result<Reply> {
    let params = &signed.params;
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    let which = list_ref(&mbx_core::endpoint::spot::CANCEL_ORDER_LIST, params)?;
    let cancel_id =
        optional(params, "newClientOrderId")?.map_or_else(|| random_client_id(CLIENT_ID_LEN), str::to_owned);
    let now = state.clock().now_ms();
    let done =
        state.engine().cancel_list(signed.key.account_id, symbol, which, cancel_id.clone(), now).await?;
    Ok(json(reports::list_cancel(&done.list, &done.orders, &cancel_id, now)))
}

/// `GET /api/v3/orderList` (USER_DATA): one order list by `orderListId` or `origClientOrderId` (its
/// `listClientOrderId`).
pub async fn query_order_list(state: AppState, signed: Signed) -> Result<Reply> {
    let mut which = list_ref(&mbx_core::endpoint::spot::QUERY_ORDER_LIST, &signed.params)?;
    // Both sent: "only origClientOrderId is used and orderListId is ignored" (rest-api.md, Query
    // Order list).
    if which.list_client_order_id.is_some() {
        which.order_list_id = None;
    }
    let hint = format!("No order list of this account has {}; check the id.", which.describe());
    let found = state.engine().order_list(signed.key.account_id, which).await?;
    let l = found.ok_or_else(|| SandboxError::rejected(ApiError::new(ErrorCode::NO_SUCH_ORDER), hint))?;
    Ok(json(reports::list_status(&l.list, &l.orders)))
}

/// `GET /api/v3/openOrderList` (USER_DATA): the account's open order lists.
pub async fn open_order_lists(state: AppState, signed: Signed) -> Result<Reply> {
    let lists = state.engine().open_order_lists(signed.key.account_id).await?;
    Ok(statuses(&lists))
}

/// `GET /api/v3/allOrderList` (USER_DATA): the account's order lists from `fromId` upwards, or last
/// changed within `startTime`..`endTime`, or the most recent; newest first, as the docs' example.
/// `fromId` with `startTime` or `endTime` is `-1128`.
pub async fn all_order_lists(state: AppState, signed: Signed) -> Result<Reply> {
    let h = history(&mbx_core::endpoint::spot::ALL_ORDER_LISTS, &signed.params, "fromId")?;
    mbx_core::order::combinations(&mbx_core::endpoint::spot::ALL_ORDER_LISTS, &signed.params)?;
    let lists = state.engine().all_order_lists(signed.key.account_id, h).await?;
    Ok(statuses(&lists))
}

fn statuses(lists: &[ListWithOrders]) -> Reply {
    json(array(lists.iter().map(|l| reports::list_status(&l.list, &l.orders))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::RateLimits;
    use crate::seed;

    fn parse(q: &str) -> std::result::Result<NewOco<'static>, ApiError> {
        let m: &'static Market =
            Box::leak(Box::new(Market::new(seed::default_symbols(), RateLimits::default())));
        let p = Params::parse_query(q).unwrap();
        NewOco::parse(&p, m).map_err(|e| e.api_error().unwrap())
    }

    fn parse_oto(q: &str, kind: OtoKind) -> std::result::Result<NewOto<'static>, ApiError> {
        let m: &'static Market =
            Box::leak(Box::new(Market::new(seed::default_symbols(), RateLimits::default())));
        let p = Params::parse_query(q).unwrap();
        NewOto::parse(&p, m, kind).map_err(|e| e.api_error().unwrap())
    }

    const WORKING: &str = "symbol=LTCBTC&workingType=LIMIT&workingSide=BUY&workingPrice=0.002\
                           &workingQuantity=2&workingTimeInForce=GTC";

    #[test]
    fn oto_family_reads_the_working_and_pending_legs() {
        let oto = parse_oto(
            &format!(
                "{WORKING}&pendingType=STOP_LOSS&pendingSide=SELL&pendingStopPrice=0.001&pendingQuantity=2"
            ),
            OtoKind::Oto,
        )
        .unwrap();
        assert_eq!(oto.working.order_type, OrderType::Limit);
        let legs = oto.pending.legs();
        assert_eq!(legs.len(), 1);
        assert_eq!((legs[0].0, legs[0].1.stop_price), ("pending", Some("0.001".parse().unwrap())));
        // An OPO's pending order has no quantity of its own.
        let opo = parse_oto(
            &format!(
                "{WORKING}&pendingType=LIMIT&pendingSide=SELL&pendingPrice=0.003&pendingTimeInForce=GTC"
            ),
            OtoKind::Opo,
        )
        .unwrap();
        assert_eq!(opo.pending.legs()[0].1.quantity, None);
        // An OTOCO's pair: above, then below, with their strategy labels.
        let otoco = parse_oto(
            &format!(
                "{WORKING}&pendingSide=SELL&pendingQuantity=2&pendingAboveType=LIMIT_MAKER&pendingAbovePrice=0.003\
                 &pendingBelowType=STOP_LOSS&pendingBelowStopPrice=0.001&pendingBelowStrategyId=5"
            ),
            OtoKind::Otoco,
        )
        .unwrap();
        let types: Vec<OrderType> = otoco.pending.legs().iter().map(|(_, t)| t.order_type.clone()).collect();
        assert_eq!(types, [OrderType::LimitMaker, OrderType::StopLoss]);
        assert_eq!(otoco.strategies[2].id, Some(5));
        assert_eq!(otoco.strategies[0], Strategy::default());
        let e = parse_oto(
            &format!("{WORKING}&pendingSide=SELL&pendingQuantity=2&pendingAboveType=STOP_LOSS&pendingAboveStopPrice=0.003"),
            OtoKind::Otoco,
        )
        .unwrap_err();
        assert_eq!(
            e.msg,
            "Mandatory parameter 'pendingBelowType' was not sent, was empty/null, or malformed."
        );
        let e =
            parse_oto(&format!("{WORKING}&pendingType=MARKET&pendingSide=SELL"), OtoKind::Oto).unwrap_err();
        assert_eq!(
            e.msg,
            "Mandatory parameter 'pendingQuantity' was not sent, was empty/null, or malformed."
        );
    }

    const SELL: &str = "symbol=LTCBTC&side=SELL&quantity=1&aboveType=LIMIT_MAKER&abovePrice=0.002\
                        &belowType=STOP_LOSS_LIMIT&belowPrice=0.0009&belowStopPrice=0.001&belowTimeInForce=GTC";

    #[test]
    fn oco_reads_both_legs() {
        let o = parse(SELL).unwrap();
        assert_eq!(
            (o.above.order_type.clone(), o.below.order_type.clone()),
            (OrderType::LimitMaker, OrderType::StopLossLimit)
        );
        assert_eq!(o.below.stop_price, Some("0.001".parse().unwrap()));
        assert_eq!(o.above.quantity, o.below.quantity);
    }

    #[test]
    fn oco_combinations_get_their_codes() {
        let swap = |q: &str, from: &str, to: &str| q.replace(from, to);
        let code = |q: &str| parse(q).unwrap_err().code;
        assert_eq!(code(&swap(SELL, "side=SELL", "side=BUY")), ErrorCode::BUY_OCO_LIMIT_MUST_BE_BELOW);
        assert_eq!(
            code(&swap(SELL, "aboveType=LIMIT_MAKER", "aboveType=LIMIT")),
            ErrorCode::OCO_ORDER_TYPE_REJECTED
        );
        assert_eq!(
            code(&swap(SELL, "belowType=STOP_LOSS_LIMIT", "belowType=LIMIT_MAKER")),
            ErrorCode::BOTH_OCO_ORDERS_CANNOT_BE_LIMIT
        );
        assert_eq!(
            code(&swap(SELL, "belowType=STOP_LOSS_LIMIT", "belowType=TAKE_PROFIT_LIMIT")),
            ErrorCode::SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE
        );
        let e = parse(&swap(SELL, "&belowTimeInForce=GTC", "")).unwrap_err();
        assert_eq!(
            e.msg,
            "Mandatory parameter 'belowTimeInForce' was not sent, was empty/null, or malformed."
        );
        let e = parse(&format!("{SELL}&aboveStopPrice=0.003")).unwrap_err();
        assert_eq!(e.msg, "Parameter 'aboveStopPrice' sent when not required.");
        let e = parse(&swap(SELL, "abovePrice=0.002", "abovePrice=0.0020001")).unwrap_err();
        assert_eq!(e.msg, "Filter failure: PRICE_FILTER");
    }
}
