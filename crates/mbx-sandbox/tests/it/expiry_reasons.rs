//! `expiryReason` (order responses) and `eR` (`executionReport`) of an expired order, as
//! rest-api.md's "Conditional fields in Order Responses" and user-data-stream.md say since the
//! CHANGELOG's 2026-03-26 change: shown by placement (`RESULT`, `FULL`; not `ACK`), queries (`GET
//! /api/v3/order`, `allOrders`, `order.status`) and the user data stream, and only for `EXPIRED`
//! orders. Found missing while adding binance-sdk-spot (whose models carry the field) to
//! `tests/conformance`.

use axum::http::Method;
use mbx_testkit::TestSandbox;
use serde_json::{Value, json};

use crate::support::{Answer, call, empty_books, place};
use crate::ws::{Socket, connect, next_json, signed};

/// A WebSocket API socket with the demo account's user data stream subscribed.
async fn subscribed(sb: &TestSandbox) -> Socket {
    let mut ws = connect(sb, "/ws-api/v3").await;
    let sub = crate::ws::call(
        &mut ws,
        json!({"id": "sub", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    ws
}

/// The `executionReport` that ends order `order_id` (other frames skipped, each awaited with a
/// timeout).
/// The order's last `executionReport` (not NEW or TRADE); the ones before it carry no `eR`
/// (user-data-stream.md: it appears when the order has expired).
async fn final_report(ws: &mut Socket, order_id: &Value) -> Value {
    loop {
        let f = next_json(ws).await;
        let e = &f["event"];
        if e["e"] == "executionReport" && e["i"] == *order_id {
            if e["x"] != "NEW" && e["x"] != "TRADE" {
                return e.clone();
            }
            assert!(e.get("eR").is_none(), "eR before the order expired: {e}");
        }
    }
}

/// `GET /api/v3/order` of `order`.
async fn query(sb: &TestSandbox, order: &Answer) -> Answer {
    let id = order.json["orderId"].to_string();
    let q = call(sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    q.assert_ok();
    q
}

#[tokio::test]
async fn ioc_fok_and_market_orders_that_expire_say_why_everywhere() {
    // Empty books: nothing fills, so each of these expires as soon as it is placed.
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let limit = |tif: &'static str| {
        vec![
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", tif),
            ("quantity", "0.01"),
            ("price", "20000"),
        ]
    };
    let market = vec![("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")];
    for (pairs, reason) in [
        (limit("IOC"), "UNFILLED_IOC_QUANTITY_EXPIRED"),
        (limit("FOK"), "UNFILLED_FOK_ORDER_EXPIRED"),
        (market, "INSUFFICIENT_LIQUIDITY"),
    ] {
        let mut pairs = pairs;
        pairs.push(("newOrderRespType", "RESULT"));
        let a = place(&sb, &pairs).await;
        a.assert_ok();
        assert_eq!(
            (&a.json["status"], &a.json["expiryReason"]),
            (&json!("EXPIRED"), &json!(reason)),
            "{:?}",
            a.json
        );
        let q = query(&sb, &a).await;
        assert_eq!(q.json["expiryReason"], reason, "{:?}", q.json);
        let e = final_report(&mut ws, &a.json["orderId"]).await;
        assert_eq!(
            (&e["x"], &e["X"], &e["eR"]),
            (&json!("EXPIRED"), &json!("EXPIRED"), &json!(reason)),
            "{e}"
        );
    }

    // The WebSocket API's order.status and allOrders show it too.
    let all = crate::ws::call(
        &mut ws,
        json!({"id": "all", "method": "allOrders", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    )
    .await;
    let reasons: Vec<&Value> =
        all["result"].as_array().expect("orders").iter().map(|o| &o["expiryReason"]).collect();
    assert_eq!(
        reasons,
        [
            &json!("UNFILLED_IOC_QUANTITY_EXPIRED"),
            &json!("UNFILLED_FOK_ORDER_EXPIRED"),
            &json!("INSUFFICIENT_LIQUIDITY")
        ],
        "{all}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn only_expired_orders_have_an_expiry_reason_and_ack_shows_none() {
    let sb = empty_books().await;
    let resting = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "20000"),
        ],
    )
    .await;
    resting.assert_ok();
    assert!(resting.json.get("expiryReason").is_none(), "{:?}", resting.json);
    assert!(query(&sb, &resting).await.json.get("expiryReason").is_none());
    let id = resting.json["orderId"].to_string();
    let c = call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    c.assert_ok();
    assert!(c.json.get("expiryReason").is_none(), "a cancelled order did not expire: {:?}", c.json);

    let ack = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "MARKET"),
            ("quantity", "0.01"),
            ("newOrderRespType", "ACK"),
        ],
    )
    .await;
    ack.assert_ok();
    assert!(ack.json.get("expiryReason").is_none(), "ACK shows no expiry reason: {:?}", ack.json);
    assert_eq!(query(&sb, &ack).await.json["expiryReason"], "INSUFFICIENT_LIQUIDITY");
    sb.shutdown().await;
}

/// `GET /api/v3/order` of order `id` (a JSON number).
async fn query_id(sb: &TestSandbox, id: &Value) -> Value {
    let id = id.to_string();
    let q = call(sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    q.assert_ok();
    q.json
}

#[tokio::test]
async fn an_oto_whose_working_order_expires_expires_its_pending_order_with_oto_phase_one_expired() {
    // Empty books: the working IOC order finds nothing and expires at once; its pending order
    // expires because of it (user-data-stream.md, "Order Expiry Reason").
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let placed = call(
        &sb,
        Method::POST,
        "/api/v3/orderList/oto",
        &[
            ("symbol", "BTCUSDT"),
            ("workingType", "LIMIT"),
            ("workingSide", "BUY"),
            ("workingTimeInForce", "IOC"),
            ("workingPrice", "20000"),
            ("workingQuantity", "0.01"),
            ("pendingType", "LIMIT_MAKER"),
            ("pendingSide", "SELL"),
            ("pendingPrice", "90000"),
            ("pendingQuantity", "0.01"),
            ("newOrderRespType", "RESULT"),
        ],
    )
    .await;
    placed.assert_ok();
    let reports = placed.json["orderReports"].as_array().expect("orderReports");
    let seen: Vec<(&Value, &Value)> = reports.iter().map(|r| (&r["status"], &r["expiryReason"])).collect();
    assert_eq!(
        seen,
        [
            (&json!("EXPIRED"), &json!("UNFILLED_IOC_QUANTITY_EXPIRED")),
            (&json!("EXPIRED"), &json!("OTO_PHASE_ONE_EXPIRED"))
        ],
        "{:?}",
        placed.json
    );
    let pending = reports[1]["orderId"].clone();
    assert_eq!(query_id(&sb, &pending).await["expiryReason"], "OTO_PHASE_ONE_EXPIRED");
    // The working order's reports come first, then the pending order's.
    let e = final_report(&mut ws, &reports[0]["orderId"]).await;
    assert_eq!(e["eR"], "UNFILLED_IOC_QUANTITY_EXPIRED", "{e}");
    let e = final_report(&mut ws, &pending).await;
    assert_eq!((&e["x"], &e["eR"]), (&json!("EXPIRED"), &json!("OTO_PHASE_ONE_EXPIRED")), "{e}");

    // allOrders over the WebSocket API says so too (on a connection of its own: the list's events
    // still come on the other).
    let mut api = connect(&sb, "/ws-api/v3").await;
    let all = crate::ws::call(
        &mut api,
        json!({"id": "all", "method": "allOrders", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    )
    .await;
    let reasons: Vec<&Value> =
        all["result"].as_array().expect("orders").iter().map(|o| &o["expiryReason"]).collect();
    assert_eq!(reasons, [&json!("UNFILLED_IOC_QUANTITY_EXPIRED"), &json!("OTO_PHASE_ONE_EXPIRED")], "{all}");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_oco_leg_expired_because_the_other_filled_says_oco_trigger() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let oco = call(
        &sb,
        Method::POST,
        "/api/v3/orderList/oco",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("quantity", "0.01"),
            ("aboveType", "LIMIT_MAKER"),
            ("abovePrice", "70000"),
            ("belowType", "STOP_LOSS"),
            ("belowStopPrice", "50000"),
        ],
    )
    .await;
    oco.assert_ok();
    let legs = oco.json["orderReports"].as_array().expect("orderReports");
    let stop = legs.iter().find(|l| l["type"] == "STOP_LOSS").expect("stop leg")["orderId"].clone();
    let maker = legs.iter().find(|l| l["type"] == "LIMIT_MAKER").expect("maker leg")["orderId"].clone();
    // A BUY of the same account takes the LIMIT_MAKER leg (no self-trade prevention): the stop leg
    // expires because the other leg of its OCO traded.
    let taker = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "70000"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    taker.assert_ok();
    assert_eq!(taker.json["status"], "FILLED", "{:?}", taker.json);
    let q = query_id(&sb, &stop).await;
    assert_eq!((&q["status"], &q["expiryReason"]), (&json!("EXPIRED"), &json!("OCO_TRIGGER")), "{q}");
    let filled = query_id(&sb, &maker).await;
    assert!(filled.get("expiryReason").is_none(), "the leg that filled did not expire: {filled}");
    let e = final_report(&mut ws, &stop).await;
    assert_eq!((&e["x"], &e["eR"]), (&json!("EXPIRED"), &json!("OCO_TRIGGER")), "{e}");

    // allOrderList shows the list; the legs' reasons come with the orders.
    let id = oco.json["orderListId"].to_string();
    let list = call(&sb, Method::GET, "/api/v3/orderList", &[("orderListId", &id)]).await;
    list.assert_ok();
    assert_eq!(list.json["listOrderStatus"], "ALL_DONE", "{:?}", list.json);
    sb.shutdown().await;
}
