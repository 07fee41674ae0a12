//! Smart order routing: `POST /api/v3/sor/order` (`sor.order.place`), `POST /api/v3/sor/order/test`
//! (`sor.order.test`) and the allocations they make, `GET /api/v3/myAllocations` (`myAllocations`).
//!
//! An SOR order is read as a new order is ([`NewOrder::parse`]: the parameters SOR takes are a
//! subset, and `quoteOrderQty` is refused by the table's `-1104`), then: a type other than `LIMIT`
//! or `MARKET` is `-1116 Invalid orderType.` (the docs allow those two and name no error for the
//! others), and a symbol outside `exchangeInfo`'s `sors` is `-1013 This symbol has no SOR.` (what
//! Binance answers). The engine matches it against the symbol's one book
//! (`engine/exchange/sor.rs`); each of its taker executions is an allocation.

use mbx_core::endpoint::spot;
use mbx_core::model::{OrderResponseType, OrderType};
use mbx_core::{ApiError, ErrorCode, Params};

use super::trading::counted;
use super::{Reply, json, reports};
use crate::engine::trade::Fill;
use crate::engine::user_events::{ALLOCATION_MATCH_TYPE, SOR_WORKING_FLOOR};
use crate::engine::{PlaceRequest, Placed};
use crate::error::{Result, SandboxError};
use crate::extract::{Signed, limit, optional_long, required};
use crate::market::Market;
use crate::order::NewOrder;
use crate::state::AppState;
use crate::store::AllocationQuery;
use crate::write::json::{Object, array};

/// Reads an SOR order: a new order of type `LIMIT` or `MARKET` on a symbol with SOR.
fn sor_order_terms<'m>(params: &Params, market: &'m Market) -> Result<NewOrder<'m>> {
    // The type first: a STOP_LOSS read as a new order would ask for a stopPrice SOR does not take.
    if let Some(t) = params.get("type").and_then(OrderType::parse_known)
        && !matches!(t, OrderType::Limit | OrderType::Market)
    {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::INVALID_ORDER_TYPE),
            format!("SOR orders are LIMIT or MARKET, not {t}."),
        ));
    }
    let order = NewOrder::parse(params, market)?;
    if !order.symbol.has_sor() {
        return Err(SandboxError::rejected(
            ApiError::with_msg(ErrorCode::INVALID_MESSAGE, "This symbol has no SOR."),
            format!(
                "{} is not in exchangeInfo's sors; SOR takes the symbols listed there.",
                order.symbol.symbol
            ),
        ));
    }
    Ok(order)
}

/// `POST /api/v3/sor/order` (TRADE): places an order through SOR; answers in the shape
/// `newOrderRespType` asks for (`FULL` by default) once it is committed. Counts one order; weighs
/// nothing when it succeeds.
pub async fn sor_order(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let placing = place_sor(&state, &signed.params, account, now);
    let (result, counts) = counted(&state, account, now, spot::SOR_ORDER.orders, placing).await;
    // Weighs nothing when it succeeds: `routes::run_signed` applies mbx-core's list.
    let reply = result.unwrap_or_else(Reply::from);
    match counts {
        Some(counts) => reply.counting(counts),
        None => reply,
    }
}

async fn place_sor(state: &AppState, params: &Params, account_id: i64, now_ms: u64) -> Result<Reply> {
    let order = sor_order_terms(params, state.market())?;
    let symbol = state.market().require_index(&order.symbol.symbol)?;
    let resp = order.resp_type.clone().unwrap_or(OrderResponseType::Full);
    let req = PlaceRequest { account_id, symbol, terms: order.terms, now_ms, strategy: order.strategy };
    let placed = state.engine().place_sor(req).await?;
    Ok(json(sor_answer(&placed, &resp, now_ms)))
}

/// The SOR order's answer, its fields in the docs' order.
fn sor_answer(placed: &Placed, resp: &OrderResponseType, transact_time: u64) -> String {
    let (o, fills) = (&placed.order, &placed.fills);
    let mut v = Object::new();
    v.push("symbol", &o.symbol);
    v.push("orderId", o.order_id);
    v.push("orderListId", -1);
    v.push("clientOrderId", &o.client_order_id);
    v.push("transactTime", transact_time);
    if *resp == OrderResponseType::Ack {
        return v.finish();
    }
    v.amount("price", o.price);
    v.amount("origQty", o.orig_qty);
    v.amount("executedQty", o.executed_qty);
    v.amount("origQuoteOrderQty", o.orig_quote_order_qty);
    v.amount("cummulativeQuoteQty", o.cumm_quote_qty);
    v.push("status", &o.status);
    v.push("timeInForce", &o.time_in_force);
    v.push("type", &o.order_type);
    v.push("side", &o.side);
    v.push("workingTime", o.working_time);
    if *resp == OrderResponseType::Full {
        v.raw("fills", &array(fills.iter().map(allocation_fill)));
        if !placed.prevented.is_empty() {
            v.raw("preventedMatches", &array(placed.prevented.iter().map(reports::prevented_match)));
        }
    }
    v.push("workingFloor", SOR_WORKING_FLOOR);
    v.push("selfTradePreventionMode", &o.stp_mode);
    v.push("usedSor", true);
    if let Some(id) = o.prevented_match_id {
        v.push("preventedMatchId", id);
        v.amount("preventedQuantity", o.prevented_qty.unwrap_or_default());
    }
    v.finish()
}

/// A fill of an SOR order's answer: an allocation (`tradeId` -1, `allocId`).
fn allocation_fill(f: &Fill) -> String {
    let mut v = Object::new();
    v.push("matchType", ALLOCATION_MATCH_TYPE);
    v.amount("price", f.price);
    v.amount("qty", f.qty);
    v.amount("commission", f.commission);
    v.push("commissionAsset", &f.commission_asset);
    v.push("tradeId", f.alloc_id.map_or(f.trade_id as i64, |_| -1));
    if let Some(alloc) = f.alloc_id {
        v.push("allocId", alloc);
    }
    v.finish()
}

/// `POST /api/v3/sor/order/test` (TRADE): checks an SOR order as `sor/order` would; answers `{}`,
/// or with `computeCommissionRates=true` the rates (weight 20).
pub async fn sor_order_test(state: AppState, signed: Signed) -> Result<Reply> {
    let order = sor_order_terms(&signed.params, state.market())?;
    super::trading::test_answer(&state, &signed, &order, false).await
}

/// `GET /api/v3/myAllocations` (USER_DATA): the account's allocations on `symbol`, oldest first, in
/// the documented combinations (`-1128` for others): none, `startTime` and/or `endTime` (at most 24
/// hours apart, `-1127`), `fromAllocationId`, `orderId` with or without `fromAllocationId`.
pub async fn my_allocations(state: AppState, signed: Signed) -> Result<Reply> {
    let params = &signed.params;
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    let (start_ms, end_ms) = mbx_core::order::history_window(&spot::MY_ALLOCATIONS, params)?;
    let q = AllocationQuery {
        order_id: optional_long(params, "orderId")?,
        from_id: optional_long(params, "fromAllocationId")?,
        start_ms,
        end_ms,
        limit: limit(params, 500, 1000)?,
    };
    mbx_core::order::combinations(&spot::MY_ALLOCATIONS, params)?;
    let rows = state.engine().allocations(signed.key.account_id, symbol, q).await?;
    Ok(json(array(rows.iter().map(allocation))))
}

/// A `myAllocations` row, its fields in the docs' order.
fn allocation(f: &Fill) -> String {
    let mut v = Object::new();
    v.push("symbol", &f.symbol);
    v.push("allocationId", f.alloc_id.unwrap_or_default());
    v.push("allocationType", SOR_WORKING_FLOOR);
    v.push("orderId", f.order_id);
    v.push("orderListId", reports::list_id(f.order_list_id));
    v.amount("price", f.price);
    v.amount("qty", f.qty);
    v.amount("quoteQty", f.quote_qty);
    v.amount("commission", f.commission);
    v.push("commissionAsset", &f.commission_asset);
    v.push("time", f.time_ms);
    v.push("isBuyer", f.is_buyer);
    v.push("isMaker", f.is_maker);
    // The account receives the allocation; the allocator is the exchange's side.
    v.push("isAllocator", false);
    v.finish()
}

#[cfg(test)]
mod tests {
    use mbx_core::model::OrderStatus;
    use rust_decimal::Decimal;

    use super::*;
    use crate::engine::order::Order;

    fn fill() -> Fill {
        Fill {
            trade_id: 4,
            is_buyer: true,
            account_id: 1,
            order_id: 2,
            symbol: "BTCUSDT".into(),
            price: Decimal::from(28000),
            qty: Decimal::new(5, 1),
            quote_qty: Decimal::from(14000),
            commission: Decimal::ZERO,
            commission_asset: "BTC".into(),
            is_maker: false,
            time_ms: 8,
            order_list_id: None,
            alloc_id: Some(3),
        }
    }

    /// The SOR answer and the allocation rows keep rest-api.md's field order.
    #[test]
    fn sor_shapes_keep_the_docs_field_order() {
        let mut order = Order::sample(2, "sor-1", OrderStatus::Filled);
        order.used_sor = true;
        let placed = Placed { order, fills: vec![fill()], prevented: Vec::new() };
        assert_eq!(
            sor_answer(&placed, &OrderResponseType::Full, 9),
            concat!(
                r#"{"symbol":"BTCUSDT","orderId":2,"orderListId":-1,"clientOrderId":"sor-1","transactTime":9,"#,
                r#""price":"1.00000000","origQty":"1.00000000","executedQty":"0.00000000","#,
                r#""origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"FILLED","#,
                r#""timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":2,"#,
                r#""fills":[{"matchType":"ONE_PARTY_TRADE_REPORT","price":"28000.00000000","#,
                r#""qty":"0.50000000","commission":"0.00000000","commissionAsset":"BTC","tradeId":-1,"#,
                r#""allocId":3}],"workingFloor":"SOR","selfTradePreventionMode":"NONE","usedSor":true}"#
            )
        );
        assert_eq!(
            allocation(&fill()),
            concat!(
                r#"{"symbol":"BTCUSDT","allocationId":3,"allocationType":"SOR","orderId":2,"orderListId":-1,"#,
                r#""price":"28000.00000000","qty":"0.50000000","quoteQty":"14000.00000000","#,
                r#""commission":"0.00000000","commissionAsset":"BTC","time":8,"isBuyer":true,"#,
                r#""isMaker":false,"isAllocator":false}"#
            )
        );
    }
}
