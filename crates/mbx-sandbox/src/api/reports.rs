//! The JSON shapes of orders, order lists, fills and trades, as rest-api.md shows them: the new-order
//! responses (`ACK`, `RESULT`, `FULL`), the query shape (`GET order`, `openOrders`, `allOrders`), the
//! cancel shape, the order list status report (with `orderReports` when placed or cancelled),
//! `myTrades` rows and public trades.
//!
//! Amounts are strings with at least eight decimals (`write::decimal::amount`); conditional fields
//! (`stopPrice`, `trailingDelta`, `trailingTime`, `icebergQty`, `preventedMatchId`,
//! `preventedQuantity`, `strategyId`, `strategyType`, `expiryReason`, and after `price` a pegged
//! order's `pegPriceType`, `pegOffsetType`, `pegOffsetValue`, `peggedPrice`) appear only when they
//! apply, as the docs' "Conditional fields in Order Responses" say. A pegged order's `price` is the
//! one it was sent with (zero if none), as the pegged orders FAQ's example shows; `peggedPrice` is the
//! price it works at, once determined.

use mbx_core::model::{OrderResponseType, OrderStatus, OrderType};
use rust_decimal::Decimal;

use crate::engine::order::Order;
use crate::engine::order_list::OrderList;
use crate::engine::records::PreventedMatch;
use crate::engine::trade::{Fill, Trade};
use crate::write::decimal::amount;
use crate::write::json::{Object, array};

/// `orderListId` of an order that is not part of a list.
const NO_LIST: i64 = -1;

/// Wire: orderListId of an order or fill: its list's id, or -1.
pub(super) fn list_id(id: Option<u64>) -> i64 {
    id.map_or(NO_LIST, |id| i64::try_from(id).unwrap_or(i64::MAX))
}

/// The response type an order gets when it names none: `FULL` for MARKET and LIMIT, `ACK` for the
/// rest (rest-api.md, `newOrderRespType`).
pub fn default_response_type(t: &OrderType) -> OrderResponseType {
    match t {
        OrderType::Market | OrderType::Limit => OrderResponseType::Full,
        _ => OrderResponseType::Ack,
    }
}

/// The response type an order list's orders get when the request names none. rest-api.md gives
/// no default for lists (only for single orders) and shows every list's `orderReports` in the
/// `RESULT` form, without `fills`; the sandbox answers that way.
pub const LIST_DEFAULT_RESPONSE: OrderResponseType = OrderResponseType::Result;

/// Adds the conditional fields that apply to `o` (`stopPrice` only when `stop` says so: the query
/// shape always has it).
fn conditional(v: &mut Object, o: &Order, stop: bool) {
    if let Some(price) = o.stop_price.filter(|_| stop) {
        v.amount("stopPrice", price);
    }
    if let Some(t) = &o.trailing {
        v.push("trailingDelta", t.delta);
        v.push("trailingTime", t.time);
    }
    if let Some(i) = o.iceberg.as_ref().filter(|_| stop) {
        v.amount("icebergQty", i.qty);
    }
    if let Some(id) = o.prevented_match_id {
        v.push("preventedMatchId", id);
        v.amount("preventedQuantity", o.prevented_qty.unwrap_or(Decimal::ZERO));
    }
    if let Some(id) = o.strategy_id {
        v.push("strategyId", id);
    }
    if let Some(t) = o.strategy_type {
        v.push("strategyType", t);
    }
    // The docs do not say where among the conditional fields; last of them.
    if let Some(reason) = o.expiry_reason() {
        v.push("expiryReason", &reason);
    }
}

/// `price`, then a pegged order's peg fields (the pegged orders FAQ's example puts them there).
fn price(v: &mut Object, o: &Order) {
    v.amount("price", o.shown_price());
    if let Some(p) = &o.peg {
        v.push("pegPriceType", &p.price_type);
        if let Some(offset) = p.offset {
            v.push("pegOffsetType", "PRICE_LEVEL");
            v.push("pegOffsetValue", offset);
        }
        if let Some(pegged) = p.pegged_price {
            v.amount("peggedPrice", pegged);
        }
    }
}

/// `symbol`, `orderId`, `orderListId`, `clientOrderId` (the ACK shape's first four).
fn head(o: &Order) -> Object {
    let mut v = Object::new();
    v.push("symbol", &o.symbol);
    v.push("orderId", o.order_id);
    v.push("orderListId", list_id(o.order_list_id));
    v.push("clientOrderId", &o.client_order_id);
    v
}

/// `price` .. `side` as the placement and cancel shapes order them.
fn terms(v: &mut Object, o: &Order) {
    price(v, o);
    // An OPO's pending order has no quantity until its working order fills: the docs' examples
    // show it without `origQty`.
    if !(o.status == OrderStatus::PendingNew && o.orig_qty.is_zero()) {
        v.amount("origQty", o.orig_qty);
    }
    v.amount("executedQty", o.executed_qty);
    v.amount("origQuoteOrderQty", o.orig_quote_order_qty);
    v.amount("cummulativeQuoteQty", o.cumm_quote_qty);
    states(v, o);
}

/// `status`, `timeInForce`, `type`, `side`.
fn states(v: &mut Object, o: &Order) {
    v.push("status", &o.status);
    v.push("timeInForce", &o.time_in_force);
    v.push("type", &o.order_type);
    v.push("side", &o.side);
}

/// A fill as an order response lists it.
fn order_fill(f: &Fill) -> String {
    let mut v = Object::new();
    v.amount("price", f.price);
    v.amount("qty", f.qty);
    v.amount("commission", f.commission);
    v.push("commissionAsset", &f.commission_asset);
    v.push("tradeId", f.trade_id);
    v.finish()
}

/// `POST /api/v3/order`'s answer in the shape `resp` asks for, its fields in the docs' order.
pub fn new_order(o: &Order, fills: &[Fill], resp: &OrderResponseType, transact_time: u64) -> String {
    new_order_prevented(o, fills, &[], resp, transact_time)
}

/// [`new_order`] with the self-trades the order was prevented from making as taker: `FULL` lists
/// them after the fills (`preventedMatches`, stp_faq.md's examples), each with the quantities the
/// mode took off either side.
pub fn new_order_prevented(
    o: &Order,
    fills: &[Fill],
    prevented: &[PreventedMatch],
    resp: &OrderResponseType,
    transact_time: u64,
) -> String {
    let mut v = head(o);
    v.push("transactTime", transact_time);
    if *resp == OrderResponseType::Ack {
        return v.finish();
    }
    terms(&mut v, o);
    v.push("workingTime", o.working_time);
    v.push("selfTradePreventionMode", &o.stp_mode);
    conditional(&mut v, o, true);
    if *resp == OrderResponseType::Full {
        v.raw("fills", &array(fills.iter().map(order_fill)));
        if !prevented.is_empty() {
            v.raw("preventedMatches", &array(prevented.iter().map(prevented_match)));
        }
    }
    v.finish()
}

/// One of `preventedMatches`.
pub fn prevented_match(p: &PreventedMatch) -> String {
    let mut v = Object::new();
    v.push("preventedMatchId", p.prevented_match_id);
    v.push("makerOrderId", p.maker_order_id);
    v.amount("price", p.price);
    if let Some(q) = p.taker_prevented_qty {
        v.amount("takerPreventedQuantity", q);
    }
    if let Some(q) = p.maker_prevented_qty {
        v.amount("makerPreventedQuantity", q);
    }
    v.finish()
}

/// The query shape (`GET order`, `openOrders`, `allOrders`), its fields in the docs' order.
pub fn query(o: &Order) -> String {
    let mut v = head(o);
    price(&mut v, o);
    v.amount("origQty", o.orig_qty);
    v.amount("executedQty", o.executed_qty);
    v.amount("cummulativeQuoteQty", o.cumm_quote_qty);
    states(&mut v, o);
    v.amount("stopPrice", o.stop_price.unwrap_or(Decimal::ZERO));
    v.amount("icebergQty", o.iceberg.as_ref().map_or(Decimal::ZERO, |i| i.qty));
    v.push("time", o.time_ms);
    v.push("updateTime", o.update_ms);
    v.push("isWorking", o.is_working());
    v.push("workingTime", o.working_time);
    v.amount("origQuoteOrderQty", o.orig_quote_order_qty);
    v.push("selfTradePreventionMode", &o.stp_mode);
    conditional(&mut v, o, false);
    v.finish()
}

/// The cancel shape: the cancelled order, with `origClientOrderId` its own id and `clientOrderId`
/// the cancel request's; its fields in the docs' order.
pub fn cancel(o: &Order, cancel_client_id: &str, transact_time: u64) -> String {
    let mut v = Object::new();
    v.push("symbol", &o.symbol);
    v.push("origClientOrderId", &o.client_order_id);
    v.push("orderId", o.order_id);
    v.push("orderListId", list_id(o.order_list_id));
    v.push("clientOrderId", cancel_client_id);
    v.push("transactTime", transact_time);
    terms(&mut v, o);
    v.push("selfTradePreventionMode", &o.stp_mode);
    conditional(&mut v, o, true);
    v.finish()
}

/// An order list's status report (`GET orderList`, `openOrderList`, `allOrderList`), with
/// `transactionTime` its last status change.
pub fn list_status(list: &OrderList, orders: &[Order]) -> String {
    list_report(list, orders, list.update_ms).finish()
}

fn list_report(list: &OrderList, orders: &[Order], transaction_time: u64) -> Object {
    let orders = array(orders.iter().map(|o| {
        Object::new()
            .field("symbol", &o.symbol)
            .field("orderId", o.order_id)
            .field("clientOrderId", &o.client_order_id)
            .finish()
    }));
    let mut v = Object::new();
    v.push("orderListId", list.order_list_id);
    v.push("contingencyType", list.contingency_type.wire());
    v.push("listStatusType", list.status.list_status_type());
    v.push("listOrderStatus", list.status.list_order_status());
    v.push("listClientOrderId", &list.list_client_order_id);
    v.push("transactionTime", transaction_time);
    v.push("symbol", &list.symbol);
    v.raw("orders", &orders);
    v
}

/// A placed order list: its status report and `orderReports`, each in the shape `resp` asks for
/// (with its own of `fills`, the taker fills of the placement).
pub fn list_placed(
    list: &OrderList,
    orders: &[Order],
    fills: &[Fill],
    resp: &OrderResponseType,
    transact_time: u64,
) -> String {
    let mut v = list_report(list, orders, transact_time);
    let report = |o: &Order| {
        let own: Vec<Fill> = fills.iter().filter(|f| f.order_id == o.order_id).cloned().collect();
        new_order(o, &own, resp, transact_time)
    };
    v.raw("orderReports", &array(orders.iter().map(report)));
    v.finish()
}

/// A cancelled order list: its status report and each order's cancel shape (`clientOrderId` the
/// cancel request's).
pub fn list_cancel(list: &OrderList, orders: &[Order], cancel_client_id: &str, transact_time: u64) -> String {
    let mut v = list_report(list, orders, transact_time);
    v.raw("orderReports", &array(orders.iter().map(|o| cancel(o, cancel_client_id, transact_time))));
    v.finish()
}

/// A `myTrades` row, its fields in the docs' order.
pub fn my_trade(f: &Fill) -> String {
    let mut v = Object::new();
    v.push("symbol", &f.symbol);
    v.push("id", f.trade_id);
    v.push("orderId", f.order_id);
    v.push("orderListId", list_id(f.order_list_id));
    v.amount("price", f.price);
    v.amount("qty", f.qty);
    v.amount("quoteQty", f.quote_qty);
    v.amount("commission", f.commission);
    v.push("commissionAsset", &f.commission_asset);
    v.push("time", f.time_ms);
    v.push("isBuyer", f.is_buyer);
    v.push("isMaker", f.is_maker);
    v.push("isBestMatch", true);
    v.finish()
}

/// A public trade (`trades`, `historicalTrades`), its fields in the docs' order.
pub fn trade(t: &Trade) -> String {
    Object::new()
        .field("id", t.trade_id)
        .field("price", amount(t.price))
        .field("qty", amount(t.qty))
        .field("quoteQty", amount(t.quote_qty))
        .field("time", t.time_ms)
        .field("isBuyerMaker", t.is_buyer_maker)
        .field("isBestMatch", true)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shapes keep rest-api.md's field order (`serde_json::Value` would sort the keys).
    #[test]
    fn reports_keep_the_docs_field_order() {
        let mut o = Order::sample(28, "my1", OrderStatus::New);
        assert_eq!(
            new_order(&o, &[], &OrderResponseType::Ack, 5),
            r#"{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"my1","transactTime":5}"#
        );
        assert_eq!(
            new_order(&o, &[], &OrderResponseType::Full, 5),
            concat!(
                r#"{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"my1","transactTime":5,"#,
                r#""price":"1.00000000","origQty":"1.00000000","executedQty":"0.00000000","#,
                r#""origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"NEW","#,
                r#""timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":28,"#,
                r#""selfTradePreventionMode":"NONE","fills":[]}"#
            )
        );
        o.status = OrderStatus::Canceled;
        assert_eq!(
            cancel(&o, "c\"1", 6),
            concat!(
                r#"{"symbol":"BTCUSDT","origClientOrderId":"my1","orderId":28,"orderListId":-1,"#,
                r#""clientOrderId":"c\"1","transactTime":6,"price":"1.00000000","origQty":"1.00000000","#,
                r#""executedQty":"0.00000000","origQuoteOrderQty":"0.00000000","#,
                r#""cummulativeQuoteQty":"0.00000000","status":"CANCELED","timeInForce":"GTC","#,
                r#""type":"LIMIT","side":"BUY","selfTradePreventionMode":"NONE"}"#
            )
        );
        o.stop_price = Some(Decimal::TWO);
        assert_eq!(
            query(&o),
            concat!(
                r#"{"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"my1","#,
                r#""price":"1.00000000","origQty":"1.00000000","executedQty":"0.00000000","#,
                r#""cummulativeQuoteQty":"0.00000000","status":"CANCELED","timeInForce":"GTC","#,
                r#""type":"LIMIT","side":"BUY","stopPrice":"2.00000000","icebergQty":"0.00000000","#,
                r#""time":28,"updateTime":28,"isWorking":true,"workingTime":28,"#,
                r#""origQuoteOrderQty":"0.00000000","selfTradePreventionMode":"NONE"}"#
            )
        );
    }
}
