//! The `executionReport` of a cancelled order names the cancel request as `c` (the cancel's
//! `newClientOrderId`, sent or generated: the `clientOrderId` the cancel answered) and the order as
//! `C` (its own client order id), for every way to cancel: `DELETE /api/v3/order` and the WebSocket
//! API's `order.cancel`, `DELETE /api/v3/openOrders`, `order/cancelReplace`, `DELETE
//! /api/v3/orderList`. Found by Binance's own SDK (`binance-sdk-spot`) in `tests/conformance`. Also
//! the order of one request's reports across orders, and what a quote-quantity MARKET order and a
//! cancel-replace refused by its filters report.

use axum::http::Method;
use futures_util::SinkExt;
use mbx_testkit::TestSandbox;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{Answer, call, empty_books, place};
use crate::ws::{Socket, connect, next_json, signed};

/// A socket on the WebSocket API with the demo account's user data stream subscribed.
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

/// The next `executionReport` of order `order_id` with execution type `x` (other frames skipped, each
/// awaited with a timeout).
async fn report(ws: &mut Socket, order_id: &Value, x: &str) -> Value {
    loop {
        let f = next_json(ws).await;
        let e = &f["event"];
        if e["e"] == "executionReport" && e["i"] == *order_id && e["x"] == x {
            return e.clone();
        }
    }
}

/// A resting LIMIT BUY on BTCUSDT (empty books: nothing fills it), with `clientOrderId` `client`.
async fn resting(sb: &TestSandbox, client: &str) -> Answer {
    let a = place(
        sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "20000"),
            ("newClientOrderId", client),
        ],
    )
    .await;
    a.assert_ok();
    a
}

#[tokio::test]
async fn rest_cancel_report_names_the_cancel_as_c_and_the_order_as_c_upper() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;

    // With newClientOrderId: that id. The NEW report has C empty and c the order's.
    let a = resting(&sb, "order-one").await;
    let new = report(&mut ws, &a.json["orderId"], "NEW").await;
    assert_eq!((&new["c"], &new["C"]), (&json!("order-one"), &json!("")), "{new}");
    let id = a.json["orderId"].to_string();
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("orderId", &id), ("newClientOrderId", "cancel-one")],
    )
    .await;
    c.assert_ok();
    assert_eq!(
        (&c.json["clientOrderId"], &c.json["origClientOrderId"]),
        (&json!("cancel-one"), &json!("order-one")),
        "{:?}",
        c.json
    );
    let e = report(&mut ws, &a.json["orderId"], "CANCELED").await;
    assert_eq!(
        (&e["X"], &e["c"], &e["C"]),
        (&json!("CANCELED"), &json!("cancel-one"), &json!("order-one")),
        "{e}"
    );

    // Without: the generated one the cancel answered.
    let b = resting(&sb, "order-two").await;
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("origClientOrderId", "order-two")],
    )
    .await;
    c.assert_ok();
    let generated = c.json["clientOrderId"].clone();
    assert!(generated.is_string() && generated != "order-two", "{:?}", c.json);
    let e = report(&mut ws, &b.json["orderId"], "CANCELED").await;
    assert_eq!((&e["c"], &e["C"]), (&generated, &json!("order-two")), "{e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_order_cancel_report_names_the_cancel() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let a = resting(&sb, "order-ws").await;
    let request = json!({"id": "c", "method": "order.cancel", "params": signed(json!({"symbol": "BTCUSDT", "orderId": a.json["orderId"]}))});
    ws.send(Message::Text(request.to_string().into())).await.expect("frame sent");
    // The answer and the events share the socket; the answer names the cancel's generated id.
    let (mut answer, mut event) = (Value::Null, Value::Null);
    while answer.is_null() || event.is_null() {
        let f = next_json(&mut ws).await;
        if f["id"] == "c" {
            answer = f;
        } else if f["event"]["e"] == "executionReport" && f["event"]["x"] == "CANCELED" {
            event = f["event"].clone();
        }
    }
    assert_eq!(answer["status"], 200, "{answer}");
    let generated = &answer["result"]["clientOrderId"];
    assert!(generated.is_string() && *generated != "order-ws", "{answer}");
    assert_eq!((&event["c"], &event["C"]), (generated, &json!("order-ws")), "{event}");
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_all_reports_name_the_one_cancel_id_it_answered() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let a = resting(&sb, "all-one").await;
    let b = resting(&sb, "all-two").await;
    let c = call(&sb, Method::DELETE, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    c.assert_ok();
    let answered = c.json.as_array().expect("an array");
    let cancel_id = &answered[0]["clientOrderId"];
    assert!(
        answered.iter().all(|o| o["clientOrderId"] == *cancel_id),
        "one id for the request: {:?}",
        c.json
    );
    for (order, client) in [(&a, "all-one"), (&b, "all-two")] {
        let e = report(&mut ws, &order.json["orderId"], "CANCELED").await;
        assert_eq!((&e["c"], &e["C"]), (cancel_id, &json!(client)), "{e}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_replace_reports_the_cancel_by_cancel_new_client_order_id() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let a = resting(&sb, "to-replace").await;
    let id = a.json["orderId"].to_string();
    let r = call(
        &sb,
        Method::POST,
        "/api/v3/order/cancelReplace",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "20001"),
            ("cancelReplaceMode", "STOP_ON_FAILURE"),
            ("cancelOrderId", &id),
            ("cancelNewClientOrderId", "the-cancel"),
            ("newClientOrderId", "the-new-one"),
        ],
    )
    .await;
    r.assert_ok();
    let e = report(&mut ws, &a.json["orderId"], "CANCELED").await;
    assert_eq!((&e["c"], &e["C"]), (&json!("the-cancel"), &json!("to-replace")), "{e}");
    let new = report(&mut ws, &r.json["newOrderResponse"]["orderId"], "NEW").await;
    assert_eq!((&new["c"], &new["C"]), (&json!("the-new-one"), &json!("")), "{new}");
    sb.shutdown().await;
}

#[tokio::test]
async fn order_list_cancel_reports_name_the_cancel_for_every_leg() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let oco = call(
        &sb,
        Method::POST,
        "/api/v3/orderList/oco",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("quantity", "0.01"),
            ("aboveType", "STOP_LOSS_LIMIT"),
            ("abovePrice", "40010"),
            ("aboveStopPrice", "40000"),
            ("aboveTimeInForce", "GTC"),
            ("aboveClientOrderId", "leg-above"),
            ("belowType", "LIMIT_MAKER"),
            ("belowPrice", "20000"),
            ("belowClientOrderId", "leg-below"),
        ],
    )
    .await;
    oco.assert_ok();
    let list = oco.json["orderListId"].to_string();
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/orderList",
        &[("symbol", "BTCUSDT"), ("orderListId", &list), ("newClientOrderId", "list-cancel")],
    )
    .await;
    c.assert_ok();
    for leg in oco.json["orders"].as_array().expect("orders") {
        let e = report(&mut ws, &leg["orderId"], "CANCELED").await;
        assert_eq!((&e["c"], &e["C"]), (&json!("list-cancel"), &leg["clientOrderId"]), "{e}");
    }
    sb.shutdown().await;
}

/// The execution reports of one request, in the order they come, until `last` (order id and
/// execution type) arrives: `(orderId, x, I)` of each.
async fn reports_until(ws: &mut Socket, last: (&Value, &str)) -> Vec<(Value, String, u64)> {
    let mut seen = Vec::new();
    loop {
        let f = next_json(ws).await;
        let e = &f["event"];
        if e["e"] != "executionReport" {
            continue;
        }
        seen.push((e["i"].clone(), e["x"].as_str().unwrap_or_default().to_owned(), e["I"].as_u64().unwrap()));
        if e["i"] == *last.0 && e["x"] == last.1 {
            return seen;
        }
    }
}

/// Found by a client test (the npm `binance` package): a request's reports come in the order things
/// happened, across orders. An incoming order is NEW before the resting orders it meets trade, and
/// a stop its trades trigger fills after them; execution ids (`I`) grow in that order.
#[tokio::test]
async fn reports_of_one_request_come_in_the_order_things_happened() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let none = ("selfTradePreventionMode", "NONE");
    let bid = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.02"),
            ("price", "20000"),
        ],
    )
    .await;
    bid.assert_ok();
    let stop = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "STOP_LOSS"),
            ("quantity", "0.005"),
            ("stopPrice", "20000"),
            none,
        ],
    )
    .await;
    stop.assert_ok();
    report(&mut ws, &stop.json["orderId"], "NEW").await;
    // Sells into the account's own bid: a trade at 20000, which triggers the stop.
    let market = place(
        &sb,
        &[("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.01"), none],
    )
    .await;
    market.assert_ok();
    let (m, s, b) = (&market.json["orderId"], &stop.json["orderId"], &bid.json["orderId"]);
    let seen = reports_until(&mut ws, (s, "TRADE")).await;
    let kinds: Vec<(&Value, &str)> = seen.iter().map(|(i, x, _)| (i, x.as_str())).collect();
    assert_eq!(kinds, [(m, "NEW"), (b, "TRADE"), (m, "TRADE"), (b, "TRADE"), (s, "TRADE")], "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].2 < w[1].2), "execution ids grow in order: {seen:?}");
    sb.shutdown().await;
}

/// Found in an audit of the engine against the docs: a MARKET order by `quoteOrderQty` that spends
/// its amount down to less than a step at a price the book still offers is FILLED (its last report
/// says so, no EXPIRED follows; it was EXPIRED for "insufficient liquidity" with liquidity left);
/// one sent to an empty book is refused with -2010 (errors.md); its NEW report has `w: true`.
#[tokio::test]
async fn a_quote_quantity_market_order_fills_what_it_can_afford_and_needs_a_book() {
    let sb = empty_books().await;
    let mut ws = subscribed(&sb).await;
    let none = ("selfTradePreventionMode", "NONE");
    let empty =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "50")])
            .await;
    empty.assert_rejected(400, -2010, "Order book liquidity is less than symbol minimum quantity.");
    let ask = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "1"),
            ("price", "20000"),
        ],
    )
    .await;
    ask.assert_ok();
    // 50.5 / 20000 = 0.002525: 0.00252 at a step of 0.00001, 0.1 USDT left over.
    let buy = place(
        &sb,
        &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "50.5"), none],
    )
    .await;
    buy.assert_ok();
    assert_eq!(
        (&buy.json["status"], &buy.json["executedQty"]),
        (&json!("FILLED"), &json!("0.00252000")),
        "{}",
        buy.json
    );
    let id = &buy.json["orderId"];
    let new = report(&mut ws, id, "NEW").await;
    assert_eq!(new["w"], true, "a new MARKET order is working: {new}");
    let trade = report(&mut ws, id, "TRADE").await;
    assert_eq!(trade["X"], "FILLED", "{trade}");
    // Nothing more of the order: the next report is another order's.
    let next = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.001"),
            ("price", "19000"),
        ],
    )
    .await;
    next.assert_ok();
    let f = next_json(&mut ws).await;
    assert_ne!(f["event"]["i"], *id, "no report after FILLED: {f}");
    sb.shutdown().await;
}

/// "Filters and Order Count are evaluated before the processing of the cancellation and order
/// placement occurs" (rest-api.md, cancel-replace): a new order its filters refuse cancels nothing.
#[tokio::test]
async fn a_cancel_replace_whose_new_order_fails_a_filter_cancels_nothing() {
    let sb = empty_books().await;
    let old = resting(&sb, "keep-me").await;
    let id = old.json["orderId"].to_string();
    let r = call(
        &sb,
        Method::POST,
        "/api/v3/order/cancelReplace",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.0001"),
            ("price", "20001"),
            ("cancelReplaceMode", "STOP_ON_FAILURE"),
            ("cancelOrderId", &id),
        ],
    )
    .await;
    r.assert_rejected(400, -1013, "Filter failure: NOTIONAL");
    let still = call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    assert_eq!(still.json["status"], "NEW", "{}", still.json);
    sb.shutdown().await;
}
