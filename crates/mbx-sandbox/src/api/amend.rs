//! Order amend keep priority: `PUT /api/v3/order/amend/keepPriority` (`order.amend.keepPriority`)
//! and `GET /api/v3/order/amendments` (`order.amendments`). The engine's checks and changes are in
//! `engine/exchange/amending.rs`.

use mbx_core::model::OrderStatus;

use super::trading::order_ref;
use super::{Reply, json, reports};
use crate::engine::order::Order;
use crate::engine::records::Amendment;
use crate::engine::{AmendRequest, Amended};
use crate::error::Result;
use crate::extract::{Signed, limit, optional_long, required};
use crate::order::{client_id_param, decimal_param};
use crate::state::AppState;
use crate::write::json::{Object, array};

/// `PUT /api/v3/order/amend/keepPriority` (TRADE): lowers an open order's quantity, keeping its
/// place in the book; answers `transactTime`, `executionId`, `amendedOrder` and, for an order in a
/// list, `listStatus`. Weighs nothing when the amendment expires the order.
pub async fn amend_keep_priority(state: AppState, signed: Signed) -> Result<Reply> {
    let params = &signed.params;
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    let which = order_ref(&mbx_core::endpoint::spot::AMEND_KEEP_PRIORITY, params)?;
    let new_client_order_id = client_id_param(params, "newClientOrderId")?;
    required(params, "newQty")?;
    let new_qty = decimal_param(params, "newQty")?.unwrap_or_default();
    let now_ms = state.clock().now_ms();
    let req = AmendRequest {
        account_id: signed.key.account_id,
        symbol,
        which,
        new_client_order_id,
        new_qty,
        now_ms,
    };
    let amended = state.engine().amend(req).await?;
    let reply = json(amend_answer(&amended, now_ms));
    // An amendment that expires the order costs no request weight (CHANGELOG, 2026-04-02); any
    // other costs the table's.
    Ok(if amended.order.status == OrderStatus::Expired { reply.weighing(0) } else { reply })
}

/// The answer's JSON, its fields in the docs' order.
fn amend_answer(a: &Amended, transact_time: u64) -> String {
    let mut v = Object::new();
    v.push("transactTime", transact_time);
    v.push("executionId", a.execution_id);
    v.raw("amendedOrder", &amended_order(&a.order, &a.orig_client_order_id));
    if let Some(l) = &a.list {
        let orders = array(l.orders.iter().map(|o| {
            Object::new()
                .field("symbol", &o.symbol)
                .field("orderId", o.order_id)
                .field("clientOrderId", &o.client_order_id)
                .finish()
        }));
        let mut s = Object::new();
        s.push("orderListId", l.list.order_list_id);
        s.push("contingencyType", l.list.contingency_type.wire());
        s.push("listOrderStatus", l.list.status.list_order_status());
        s.push("listClientOrderId", &l.list.list_client_order_id);
        s.push("symbol", &l.list.symbol);
        s.raw("orders", &orders);
        v.raw("listStatus", &s.finish());
    }
    v.finish()
}

/// `amendedOrder`: the order after the amendment (`workingTime` only once it works).
fn amended_order(o: &Order, orig_client_order_id: &str) -> String {
    let mut v = Object::new();
    v.push("symbol", &o.symbol);
    v.push("orderId", o.order_id);
    v.push("orderListId", reports::list_id(o.order_list_id));
    v.push("origClientOrderId", orig_client_order_id);
    v.push("clientOrderId", &o.client_order_id);
    v.amount("price", o.price);
    v.amount("qty", o.orig_qty);
    v.amount("executedQty", o.executed_qty);
    v.amount("preventedQty", o.prevented_qty.unwrap_or_default());
    v.amount("quoteOrderQty", o.orig_quote_order_qty);
    v.amount("cumulativeQuoteQty", o.cumm_quote_qty);
    v.push("status", &o.status);
    v.push("timeInForce", &o.time_in_force);
    v.push("type", &o.order_type);
    v.push("side", &o.side);
    if o.is_working() {
        v.push("workingTime", o.working_time);
    }
    v.push("selfTradePreventionMode", &o.stp_mode);
    v.finish()
}

/// `GET /api/v3/order/amendments` (USER_DATA): the amendments of one order of the account, oldest
/// first, from `fromExecutionId` upwards; `limit` 500 by default, at most 1000.
pub async fn amendments(state: AppState, signed: Signed) -> Result<Reply> {
    let params = &signed.params;
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    required(params, "orderId")?;
    let order_id = optional_long(params, "orderId")?.unwrap_or_default();
    let from = optional_long(params, "fromExecutionId")?;
    let limit = limit(params, 500, 1000)?;
    let rows = state.engine().amendments(signed.key.account_id, symbol, order_id, from, limit).await?;
    Ok(json(array(rows.iter().map(amendment))))
}

/// An `order/amendments` row, its fields in the docs' order.
fn amendment(a: &Amendment) -> String {
    let mut v = Object::new();
    v.push("symbol", &a.symbol);
    v.push("orderId", a.order_id);
    v.push("executionId", a.execution_id);
    v.push("origClientOrderId", &a.orig_client_order_id);
    v.push("newClientOrderId", &a.new_client_order_id);
    v.amount("origQty", a.orig_qty);
    v.amount("newQty", a.new_qty);
    v.push("time", a.time_ms);
    v.finish()
}

#[cfg(test)]
mod tests {
    use mbx_core::model::OrderStatus;

    use super::*;

    /// The answer and the rows keep rest-api.md's field order.
    #[test]
    fn amend_shapes_keep_the_docs_field_order() {
        let order = Order::sample(33, "new-id", OrderStatus::New);
        let amended = Amended { order, orig_client_order_id: "old-id".into(), execution_id: 75, list: None };
        assert_eq!(
            amend_answer(&amended, 9),
            concat!(
                r#"{"transactTime":9,"executionId":75,"amendedOrder":{"symbol":"BTCUSDT","orderId":33,"#,
                r#""orderListId":-1,"origClientOrderId":"old-id","clientOrderId":"new-id","#,
                r#""price":"1.00000000","qty":"1.00000000","executedQty":"0.00000000","#,
                r#""preventedQty":"0.00000000","quoteOrderQty":"0.00000000","#,
                r#""cumulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","#,
                r#""side":"BUY","workingTime":33,"selfTradePreventionMode":"NONE"}}"#
            )
        );
        let row = Amendment {
            execution_id: 22,
            account_id: 1,
            symbol: "BTCUSDT".into(),
            order_id: 9,
            orig_client_order_id: "a".into(),
            new_client_order_id: "b".into(),
            orig_qty: rust_decimal::Decimal::from(5),
            new_qty: rust_decimal::Decimal::from(4),
            time_ms: 7,
        };
        assert_eq!(
            amendment(&row),
            concat!(
                r#"{"symbol":"BTCUSDT","orderId":9,"executionId":22,"origClientOrderId":"a","#,
                r#""newClientOrderId":"b","origQty":"5.00000000","newQty":"4.00000000","time":7}"#
            )
        );
    }
}
