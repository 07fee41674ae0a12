//! The JSON shapes of orders, order lists, fills and trades, as rest-api.md shows them: the new-order
//! responses (`ACK`, `RESULT`, `FULL`), the query shape (`GET order`, `openOrders`, `allOrders`), the
//! cancel shape, the order list status report (with `orderReports` when placed or cancelled),
//! `myTrades` rows and public trades.
//!
//! Amounts are strings with at least eight decimals ([`amount`]); conditional fields (`stopPrice`,
//! `preventedMatchId`, `preventedQuantity`) appear only when they apply, as the docs' "Conditional
//! fields in Order Responses" say.

use mbx_core::model::{OrderResponseType, OrderType};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::engine::order::Order;
use crate::engine::order_list::OrderList;
use crate::engine::trade::{Fill, Trade};
use crate::market::amount;

/// `orderListId` of an order that is not part of a list.
const NO_LIST: i64 = -1;

/// Wire: orderListId of an order or fill: its list's id, or -1.
fn list_id(id: Option<u64>) -> Value {
    id.map_or(json!(NO_LIST), |id| json!(id))
}

/// The response type an order gets when it names none: `FULL` for MARKET and LIMIT, `ACK` for the
/// rest (rest-api.md, `newOrderRespType`).
pub fn default_response_type(t: &OrderType) -> OrderResponseType {
    match t {
        OrderType::Market | OrderType::Limit => OrderResponseType::Full,
        _ => OrderResponseType::Ack,
    }
}

/// Adds the conditional fields that apply to `o`.
fn conditional(v: &mut Value, o: &Order) {
    if let Some(stop) = o.stop_price {
        v["stopPrice"] = json!(amount(stop));
    }
    if let Some(id) = o.prevented_match_id {
        v["preventedMatchId"] = json!(id);
        v["preventedQuantity"] = json!(amount(o.prevented_qty.unwrap_or(Decimal::ZERO)));
    }
}

/// The fields every full order shape shares.
fn core(o: &Order) -> Value {
    json!({
        "symbol": o.symbol,
        "orderId": o.order_id,
        "orderListId": list_id(o.order_list_id),
        "clientOrderId": o.client_order_id,
        "price": amount(o.price),
        "origQty": amount(o.orig_qty),
        "executedQty": amount(o.executed_qty),
        "origQuoteOrderQty": amount(o.orig_quote_order_qty),
        "cummulativeQuoteQty": amount(o.cumm_quote_qty),
        "status": o.status.to_string(),
        "timeInForce": o.time_in_force.to_string(),
        "type": o.order_type.to_string(),
        "side": o.side.to_string(),
        "selfTradePreventionMode": o.stp_mode.to_string(),
    })
}

/// A fill as an order response lists it.
fn order_fill(f: &Fill) -> Value {
    json!({
        "price": amount(f.price),
        "qty": amount(f.qty),
        "commission": amount(f.commission),
        "commissionAsset": f.commission_asset,
        "tradeId": f.trade_id,
    })
}

/// `POST /api/v3/order`'s answer in the shape `resp` asks for.
pub fn new_order(o: &Order, fills: &[Fill], resp: &OrderResponseType, transact_time: u64) -> Value {
    if *resp == OrderResponseType::Ack {
        return json!({
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": list_id(o.order_list_id),
            "clientOrderId": o.client_order_id,
            "transactTime": transact_time,
        });
    }
    let mut v = core(o);
    v["transactTime"] = json!(transact_time);
    v["workingTime"] = json!(o.working_time);
    conditional(&mut v, o);
    if *resp == OrderResponseType::Full {
        v["fills"] = fills.iter().map(order_fill).collect();
    }
    v
}

/// The query shape (`GET order`, `openOrders`, `allOrders`).
pub fn query(o: &Order) -> Value {
    let mut v = core(o);
    v["stopPrice"] = json!(amount(o.stop_price.unwrap_or(Decimal::ZERO)));
    v["icebergQty"] = json!(amount(Decimal::ZERO));
    v["time"] = json!(o.time_ms);
    v["updateTime"] = json!(o.update_ms);
    v["isWorking"] = json!(o.is_working());
    v["workingTime"] = json!(o.working_time);
    conditional(&mut v, o);
    v
}

/// The cancel shape: the cancelled order, with `origClientOrderId` its own id and `clientOrderId`
/// the cancel request's.
pub fn cancel(o: &Order, cancel_client_id: &str, transact_time: u64) -> Value {
    let mut v = core(o);
    v["origClientOrderId"] = json!(o.client_order_id);
    v["clientOrderId"] = json!(cancel_client_id);
    v["transactTime"] = json!(transact_time);
    conditional(&mut v, o);
    v
}

/// An order list's status report (`GET orderList`, `openOrderList`, `allOrderList`), with
/// `transactionTime` its last status change.
pub fn list_status(list: &OrderList, orders: &[Order]) -> Value {
    list_report(list, orders, list.update_ms)
}

fn list_report(list: &OrderList, orders: &[Order], transaction_time: u64) -> Value {
    let orders: Vec<Value> = orders
        .iter()
        .map(|o| json!({ "symbol": o.symbol, "orderId": o.order_id, "clientOrderId": o.client_order_id }))
        .collect();
    json!({
        "orderListId": list.order_list_id,
        "contingencyType": list.contingency_type.wire(),
        "listStatusType": list.status.list_status_type(),
        "listOrderStatus": list.status.list_order_status(),
        "listClientOrderId": list.list_client_order_id,
        "transactionTime": transaction_time,
        "symbol": list.symbol,
        "orders": orders,
    })
}

/// A placed order list: its status report and `orderReports`, each in the shape `resp` asks for.
pub fn list_placed(
    list: &OrderList,
    orders: &[Order],
    resp: &OrderResponseType,
    transact_time: u64,
) -> Value {
    let mut v = list_report(list, orders, transact_time);
    v["orderReports"] = orders.iter().map(|o| new_order(o, &[], resp, transact_time)).collect();
    v
}

/// A cancelled order list: its status report and each order's cancel shape (`clientOrderId` the
/// cancel request's).
pub fn list_cancel(list: &OrderList, orders: &[Order], cancel_client_id: &str, transact_time: u64) -> Value {
    let mut v = list_report(list, orders, transact_time);
    v["orderReports"] = orders.iter().map(|o| cancel(o, cancel_client_id, transact_time)).collect();
    v
}

/// A `myTrades` row.
pub fn my_trade(f: &Fill) -> Value {
    json!({
        "symbol": f.symbol,
        "id": f.trade_id,
        "orderId": f.order_id,
        "orderListId": list_id(f.order_list_id),
        "price": amount(f.price),
        "qty": amount(f.qty),
        "quoteQty": amount(f.quote_qty),
        "commission": amount(f.commission),
        "commissionAsset": f.commission_asset,
        "time": f.time_ms,
        "isBuyer": f.is_buyer,
        "isMaker": f.is_maker,
        "isBestMatch": true,
    })
}

/// A public trade (`trades`, `historicalTrades`), its fields in the docs' order.
pub fn trade(t: &Trade) -> String {
    super::Object::new()
        .field("id", t.trade_id)
        .field("price", amount(t.price))
        .field("qty", amount(t.qty))
        .field("quoteQty", amount(t.quote_qty))
        .field("time", t.time_ms)
        .field("isBuyerMaker", t.is_buyer_maker)
        .field("isBestMatch", true)
        .finish()
}
