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
async fn final_report(ws: &mut Socket, order_id: &Value) -> Value {
    loop {
        let f = next_json(ws).await;
        let e = &f["event"];
        if e["e"] == "executionReport" && e["i"] == *order_id && e["x"] != "NEW" && e["x"] != "TRADE" {
            return e.clone();
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
