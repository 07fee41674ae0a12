//! Order list endpoints: `orderList/oco`, `oto`, `otoco`, `opo`, `opoco` (place), `orderList`
//! (cancel, query), `openOrderList`, `allOrderList`.
//!
//! A new list's terms and rules are mbx-core's ([`mbx_core::order_list`]: each leg read with its
//! prefix, checked as an order of its type, where each type may be by side, the OPO sides), which
//! the doctor applies too; the handlers add `symbol` first and the symbol's precisions and filters
//! (`PRICE_FILTER`, `LOT_SIZE`) after, and each leg's strategy labels. The engine does the rest
//! ([`crate::engine::exchange`]'s order lists: average-price filters, `MAX_NUM_ORDERS` for two or
//! three orders, price relationship, balance).
//!
//! An OCO counts two unfilled orders; its `orderReports` take `newOrderRespType` (default `FULL`).
//! Unknown lists: `GET orderList` answers `-2013 Order does not exist.`, `DELETE orderList`
//! `-2011 Unknown order sent.` (errors.md has no message of its own for lists).

use mbx_core::model::OrderResponseType;
use mbx_core::order_list::{self, ListKind, OcoTerms, OtoTerms};
use mbx_core::{ApiError, ErrorCode, Params};

use super::Reply;
use super::account::history;
use super::trading::counted;
use super::{json, reports};
use crate::engine::order::{OrderTerms, Strategy};
use crate::engine::{ListRef, ListWithOrders, OcoRequest, OtoRequest, PendingLegs};
use crate::error::{Result, SandboxError};
use crate::extract::{Signed, optional, optional_long, required};
use crate::market::{Market, SymbolSpec};
use crate::order::{check_filters, strategy_params};
use crate::state::AppState;
use crate::write::json::array;
use mbx_core::endpoint::spot;

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
    /// Reads and checks the parameters of `POST /api/v3/orderList/oco`: `symbol`, then mbx-core's
    /// [`order_list::read_oco`], then each leg's precisions and filters.
    pub fn parse(params: &Params, market: &'m Market) -> Result<NewOco<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
        NewOco::checked(params, symbol, order_list::read_oco(params)?)
    }

    /// Reads and checks the deprecated `POST /api/v3/order/oco` (mbx-core's
    /// [`order_list::read_legacy_oco`]: its errors name the parameters sent).
    pub fn parse_legacy(params: &Params, market: &'m Market) -> Result<NewOco<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
        let (terms, new) = order_list::read_legacy_oco(params)?;
        NewOco::checked(&new, symbol, terms)
    }

    /// Each leg's precisions and filters, and the legs' strategy labels (of `params`, in
    /// `orderList/oco`'s names).
    fn checked(params: &Params, symbol: &'m SymbolSpec, terms: OcoTerms) -> Result<NewOco<'m>> {
        let OcoTerms { list_client_order_id, resp_type, above, below } = terms;
        for leg in [&above, &below] {
            check_filters(leg, symbol)?;
        }
        let strategies = [strategy_params(params, "above")?, strategy_params(params, "below")?];
        Ok(NewOco { symbol, list_client_order_id, above, below, strategies, resp_type })
    }
}

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
    /// Reads and checks the parameters of `POST /api/v3/orderList/oto` (or `otoco`, `opo`,
    /// `opoco`): `symbol`, then mbx-core's [`order_list::read_oto`], then each order's precisions
    /// and filters (an OPO's pending orders with the working quantity in place of theirs).
    pub fn parse(params: &Params, market: &'m Market, kind: ListKind) -> Result<NewOto<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
        let OtoTerms { list_client_order_id, resp_type, working, pending } =
            order_list::read_oto(params, kind)?;
        check_filters(&working, symbol)?;
        for (_, leg) in pending.legs() {
            let leg = OrderTerms { quantity: leg.quantity.or(working.quantity), ..leg.clone() };
            check_filters(&leg, symbol)?;
        }
        let mut strategies = vec![strategy_params(params, "working")?];
        for (prefix, _) in pending.legs() {
            strategies.push(strategy_params(params, prefix)?);
        }
        Ok(NewOto { symbol, list_client_order_id, working, pending, strategies, resp_type })
    }
}

/// `POST /api/v3/orderList/oco` (TRADE): places an OCO; counts two unfilled orders.
pub async fn new_oco(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let placing = place_oco(&state, &signed.params, false, account, now);
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
/// `stopLimitPrice`) or `STOP_LOSS` on the other side. Errors name the parameters sent.
pub async fn new_oco_deprecated(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let placing = place_oco(&state, &signed.params, true, account, now);
    let (result, counts) = counted(&state, account, now, spot::NEW_OCO_DEPRECATED.orders, placing).await;
    match counts {
        Some(counts) => Reply::from(result).counting(counts),
        None => Reply::from(result),
    }
}

/// Places an OCO of `orderList/oco`, or of the deprecated `order/oco` (`legacy`).
async fn place_oco(
    state: &AppState,
    params: &Params,
    legacy: bool,
    account_id: i64,
    now_ms: u64,
) -> Result<Reply> {
    let oco = if legacy {
        NewOco::parse_legacy(params, state.market())?
    } else {
        NewOco::parse(params, state.market())?
    };
    let symbol = state.market().require_index(&oco.symbol.symbol)?;
    let resp = oco.resp_type.clone().unwrap_or(reports::LIST_DEFAULT_RESPONSE);
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
pub async fn new_oto(state: AppState, signed: Signed, kind: ListKind) -> Reply {
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
    kind: ListKind,
) -> Result<Reply> {
    let oto = NewOto::parse(params, state.market(), kind)?;
    let symbol = state.market().require_index(&oto.symbol.symbol)?;
    let resp = oto.resp_type.clone().unwrap_or(reports::LIST_DEFAULT_RESPONSE);
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
    let cancel_id = super::trading::cancel_client_id(params, "newClientOrderId")?;
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
    use mbx_core::model::OrderType;

    fn parse(q: &str) -> std::result::Result<NewOco<'static>, ApiError> {
        let m: &'static Market =
            Box::leak(Box::new(Market::new(seed::default_symbols(), RateLimits::default())));
        let p = Params::parse_query(q).unwrap();
        NewOco::parse(&p, m).map_err(|e| e.api_error().unwrap())
    }

    fn parse_oto(q: &str, kind: ListKind) -> std::result::Result<NewOto<'static>, ApiError> {
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
            ListKind::Oto,
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
            ListKind::Opo,
        )
        .unwrap();
        assert_eq!(opo.pending.legs()[0].1.quantity, None);
        // An OTOCO's pair: above, then below, with their strategy labels.
        let otoco = parse_oto(
            &format!(
                "{WORKING}&pendingSide=SELL&pendingQuantity=2&pendingAboveType=LIMIT_MAKER&pendingAbovePrice=0.003\
                 &pendingBelowType=STOP_LOSS&pendingBelowStopPrice=0.001&pendingBelowStrategyId=5"
            ),
            ListKind::Otoco,
        )
        .unwrap();
        let types: Vec<OrderType> = otoco.pending.legs().iter().map(|(_, t)| t.order_type.clone()).collect();
        assert_eq!(types, [OrderType::LimitMaker, OrderType::StopLoss]);
        assert_eq!(otoco.strategies[2].id, Some(5));
        assert_eq!(otoco.strategies[0], Strategy::default());
        let e = parse_oto(
            &format!("{WORKING}&pendingSide=SELL&pendingQuantity=2&pendingAboveType=STOP_LOSS&pendingAboveStopPrice=0.003"),
            ListKind::Otoco,
        )
        .unwrap_err();
        assert_eq!(
            e.msg,
            "Mandatory parameter 'pendingBelowType' was not sent, was empty/null, or malformed."
        );
        let e =
            parse_oto(&format!("{WORKING}&pendingType=MARKET&pendingSide=SELL"), ListKind::Oto).unwrap_err();
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
