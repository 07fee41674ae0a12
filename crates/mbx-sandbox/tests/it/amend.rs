//! Order amend keep priority (`PUT /api/v3/order/amend/keepPriority`, `order.amend.keepPriority`)
//! and the amendments (`GET /api/v3/order/amendments`, `order.amendments`): the answer, the place in
//! the book kept, the funds freed, the rejections, OCO legs, the user data events and a restart.

use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Answer, balance, call, d, dec, empty_books, place};
use crate::ws::{answer_to, connect, signed, until};

/// A LIMIT BUY GTC on BTCUSDT by the demo account, trading with itself (`NONE`) when asked.
async fn buy(sb: &TestSandbox, qty: &str, price: &str, cid: &str) -> Answer {
    let a = place(
        sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", qty),
            ("price", price),
            ("newClientOrderId", cid),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    a.assert_ok();
    a
}

async fn amend(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::PUT, "/api/v3/order/amend/keepPriority", pairs).await
}

async fn amendments(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::GET, "/api/v3/order/amendments", pairs).await
}

async fn status(sb: &TestSandbox, symbol: &str, id: &Value) -> Value {
    let q = call(sb, Method::GET, "/api/v3/order", &[("symbol", symbol), ("orderId", &id.to_string())]).await;
    q.assert_ok();
    q.json
}

#[tokio::test]
async fn amend_lowers_quantity_keeps_priority_and_frees_funds() {
    let sb = empty_books().await;
    let first = buy(&sb, "0.03", "50000", "amend-first").await;
    let second = buy(&sb, "0.01", "50000", "amend-second").await;
    let first_id = first.json["orderId"].clone();
    assert_eq!(balance(&sb, "USDT").await, (d("8000"), d("2000")));

    let a = amend(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("orderId", &first_id.to_string()),
            ("newQty", "0.02"),
            ("newClientOrderId", "amend-first-2"),
        ],
    )
    .await;
    a.assert_ok();
    assert_eq!(a.order_counts, None, "an amendment counts no order");
    let j = &a.json;
    assert!(j["transactTime"].is_u64() && j["executionId"].is_u64(), "{j}");
    assert!(j.get("listStatus").is_none(), "{j}");
    let o = &j["amendedOrder"];
    assert_eq!(
        o,
        &json!({
            "symbol": "BTCUSDT", "orderId": first_id, "orderListId": -1,
            "origClientOrderId": "amend-first", "clientOrderId": "amend-first-2",
            "price": "50000.00000000", "qty": "0.02000000", "executedQty": "0.00000000",
            "preventedQty": "0.00000000", "quoteOrderQty": "0.00000000", "cumulativeQuoteQty": "0.00000000",
            "status": "NEW", "timeInForce": "GTC", "type": "LIMIT", "side": "BUY",
            "workingTime": first.json["workingTime"], "selfTradePreventionMode": "NONE",
        })
    );
    // 0.01 * 50000 freed; the book shows the lower quantity.
    assert_eq!(balance(&sb, "USDT").await, (d("8500"), d("1500")));
    let depth = crate::support::get(&sb, "/api/v3/depth?symbol=BTCUSDT").await;
    assert_eq!(depth.json["bids"], json!([["50000.00000000", "0.03000000"]]));
    let q = call(
        &sb,
        Method::GET,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("origClientOrderId", "amend-first-2")],
    )
    .await;
    assert_eq!((&q.json["orderId"], &q.json["origQty"]), (&first_id, &json!("0.02000000")), "{}", q.json);

    // The amended order kept its place: a sell of 0.02 fills it, not the later order.
    let sell = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "MARKET"),
            ("quantity", "0.02"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    sell.assert_ok();
    assert_eq!(status(&sb, "BTCUSDT", &first_id).await["status"], "FILLED");
    assert_eq!(status(&sb, "BTCUSDT", &second.json["orderId"]).await["status"], "NEW");

    let rows = amendments(&sb, &[("symbol", "BTCUSDT"), ("orderId", &first_id.to_string())]).await;
    rows.assert_ok();
    assert_eq!(
        rows.json,
        json!([{
            "symbol": "BTCUSDT", "orderId": first_id, "executionId": j["executionId"],
            "origClientOrderId": "amend-first", "newClientOrderId": "amend-first-2",
            "origQty": "0.03000000", "newQty": "0.02000000", "time": j["transactTime"],
        }])
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn amend_rejections_and_the_amend_limit() {
    let sb = empty_books().await;
    let o = buy(&sb, "0.05", "40000", "amend-limit").await;
    buy(&sb, "0.01", "40000", "amend-other").await;
    let id = o.json["orderId"].to_string();
    let base = [("symbol", "BTCUSDT"), ("orderId", id.as_str())];
    let with = |qty: &'static str| {
        let mut p = base.to_vec();
        p.push(("newQty", qty));
        p
    };
    amend(&sb, &with("0.06")).await.assert_rejected(
        400,
        -2038,
        "Order amend (quantity increase) is not supported.",
    );
    amend(&sb, &with("0.05")).await.assert_rejected(
        400,
        -2038,
        "The requested action would change no state; rejecting",
    );
    amend(&sb, &with("0.000001")).await.assert_rejected(400, -1013, "Filter failure: LOT_SIZE");
    // 0.0001 * 40000 = 4 USDT, under the minimum notional of 5.
    amend(&sb, &with("0.0001")).await.assert_rejected(400, -1013, "Filter failure: NOTIONAL");
    amend(&sb, &[("symbol", "BTCUSDT"), ("orderId", "987654"), ("newQty", "0.01")]).await.assert_rejected(
        400,
        -2038,
        "Unknown order sent.",
    );
    amend(&sb, &[("symbol", "BTCUSDT"), ("newQty", "0.01")]).await.assert_rejected(
        400,
        -1102,
        "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
    );
    amend(&sb, &base).await.assert_rejected(
        400,
        -1102,
        "Mandatory parameter 'newQty' was not sent, was empty/null, or malformed.",
    );
    let mut dup = with("0.04");
    dup.push(("newClientOrderId", "amend-other"));
    amend(&sb, &dup).await.assert_rejected(400, -2038, "Duplicate order sent.");
    // Nothing of the refused requests happened.
    assert_eq!(status(&sb, "BTCUSDT", &o.json["orderId"]).await["origQty"], "0.05000000");

    // Ten amendments, then MAX_NUM_ORDER_AMENDS (filters.md: -2038).
    for n in 0..10 {
        let qty = format!("0.0{}", 49 - n);
        amend(&sb, &[("symbol", "BTCUSDT"), ("orderId", &id), ("newQty", &qty)]).await.assert_ok();
    }
    amend(&sb, &with("0.03")).await.assert_rejected(400, -2038, "Filter failure: MAX_NUM_ORDER_AMENDS");
    let all = amendments(&sb, &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    let rows = all.json.as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!((&rows[0]["origQty"], &rows[9]["newQty"]), (&json!("0.05000000"), &json!("0.04000000")));
    // fromExecutionId and limit page through them.
    let third = rows[2]["executionId"].to_string();
    let page = amendments(
        &sb,
        &[("symbol", "BTCUSDT"), ("orderId", &id), ("fromExecutionId", &third), ("limit", "2")],
    )
    .await;
    assert_eq!(page.json, json!([rows[2], rows[3]]));
    // An order that is no longer open cannot be amended.
    call(&sb, Method::DELETE, "/api/v3/order", &base).await.assert_ok();
    amend(&sb, &with("0.01")).await.assert_rejected(400, -2038, "Unknown order sent.");
    sb.shutdown().await;
}

#[tokio::test]
async fn amending_an_oco_leg_amends_both_legs() {
    let sb = empty_books().await;
    let list = call(
        &sb,
        Method::POST,
        "/api/v3/orderList/oco",
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("quantity", "10"),
            ("aboveType", "LIMIT_MAKER"),
            ("abovePrice", "0.003"),
            ("belowType", "STOP_LOSS_LIMIT"),
            ("belowStopPrice", "0.0015"),
            ("belowPrice", "0.0014"),
            ("belowTimeInForce", "GTC"),
        ],
    )
    .await;
    list.assert_ok();
    let (_, locked) = balance(&sb, "LTC").await;
    assert_eq!(locked, d("10"));
    let reports = list.json["orderReports"].as_array().unwrap().clone();
    let maker = &reports[1];
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = answer_to(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    let a = amend(&sb, &[("symbol", "LTCBTC"), ("orderId", &maker["orderId"].to_string()), ("newQty", "4")])
        .await;
    a.assert_ok();
    let s = &a.json["listStatus"];
    assert_eq!(
        (&s["orderListId"], &s["contingencyType"], &s["listOrderStatus"], &s["symbol"]),
        (&list.json["orderListId"], &json!("OCO"), &json!("EXECUTING"), &json!("LTCBTC")),
        "{}",
        a.json
    );
    let clients: Vec<&Value> = s["orders"].as_array().unwrap().iter().map(|o| &o["clientOrderId"]).collect();
    assert_eq!(clients, [&reports[0]["clientOrderId"], &a.json["amendedOrder"]["clientOrderId"]]);
    for leg in &reports {
        assert_eq!(status(&sb, "LTCBTC", &leg["orderId"]).await["origQty"], "4.00000000", "both legs");
    }
    assert_eq!(balance(&sb, "LTC").await.1, d("4"), "the list holds the new quantity once");
    // Both legs report REPLACED; the list, whose order got a new client order id, is UPDATED.
    let mut replaced = Vec::new();
    while replaced.len() < 2 {
        let f = until(&mut ws, |f| f["event"]["x"] == "REPLACED").await;
        assert_eq!(f["event"]["q"], "4.00000000", "{f}");
        replaced.push(f["event"]["i"].clone());
    }
    replaced.sort_by_key(|v| v.as_u64());
    assert_eq!(replaced, [reports[0]["orderId"].clone(), maker["orderId"].clone()]);
    let status = until(&mut ws, |f| f["event"]["e"] == "listStatus").await;
    let e = &status["event"];
    assert_eq!(
        (&e["l"], &e["L"], &e["g"]),
        (&json!("UPDATED"), &json!("EXECUTING"), &list.json["orderListId"])
    );
    let named: Vec<&Value> = e["O"].as_array().unwrap().iter().map(|o| &o["c"]).collect();
    assert_eq!(named, clients, "{e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_amend_and_amendments_with_the_replaced_report() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = answer_to(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    // Requests go over another connection, so that events and answers never race on one.
    let mut api = connect(&sb, "/ws-api/v3").await;
    let o = buy(&sb, "0.03", "50000", "ws-amend").await;
    let id = o.json["orderId"].clone();
    let new = until(&mut ws, |f| f["event"]["x"] == "NEW").await;
    let a = answer_to(
        &mut api,
        json!({"id": "a", "method": "order.amend.keepPriority",
               "params": signed(json!({"symbol": "BTCUSDT", "origClientOrderId": "ws-amend", "newQty": "0.01"}))}),
    )
    .await;
    assert_eq!(a["status"], 200, "{a}");
    let r = &a["result"];
    assert_eq!((&r["amendedOrder"]["orderId"], &r["amendedOrder"]["qty"]), (&id, &json!("0.01000000")));
    let new_cid = r["amendedOrder"]["clientOrderId"].clone();
    assert_eq!(new_cid.as_str().map(str::len), Some(22), "a generated client order id: {r}");

    let replaced = until(&mut ws, |f| f["event"]["x"] == "REPLACED").await;
    let e = &replaced["event"];
    assert!(e["I"].as_u64() > new["event"]["I"].as_u64(), "execution ids grow: {e} after {new}");
    assert_eq!(
        (&e["i"], &e["X"], &e["q"], &e["c"], &e["C"], &e["I"]),
        (&id, &json!("NEW"), &json!("0.01000000"), &new_cid, &json!("ws-amend"), &r["executionId"]),
        "{e}"
    );
    let pos = until(&mut ws, |f| f["event"]["e"] == "outboundAccountPosition").await;
    let usdt = pos["event"]["B"].as_array().unwrap().iter().find(|b| b["a"] == "USDT").cloned().unwrap();
    assert_eq!((dec(&usdt["f"]), dec(&usdt["l"])), (d("9500"), d("500")), "{pos}");

    let rows = answer_to(
        &mut api,
        json!({"id": "b", "method": "order.amendments",
               "params": signed(json!({"symbol": "BTCUSDT", "orderId": id}))}),
    )
    .await;
    assert_eq!(rows["status"], 200, "{rows}");
    assert_eq!(rows["result"][0]["newClientOrderId"], new_cid);
    assert_eq!(rows["result"][0]["executionId"], r["executionId"]);
    let bad = answer_to(
        &mut api,
        json!({"id": "c", "method": "order.amend.keepPriority",
               "params": signed(json!({"symbol": "BTCUSDT", "orderId": id, "newQty": "0.02"}))}),
    )
    .await;
    assert_eq!(
        (&bad["status"], &bad["error"]["code"], &bad["error"]["msg"]),
        (&json!(400), &json!(-2038), &json!("Order amend (quantity increase) is not supported.")),
        "{bad}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn amendments_and_the_amended_order_survive_a_restart() {
    let dir = TempDir::new("mbx-sandbox-amend");
    let sb =
        TestSandbox::start_with(mbx_sandbox::Sandbox::builder().data_dir(dir.path()).market_maker(false))
            .await;
    let o = buy(&sb, "0.03", "50000", "persist-amend").await;
    let id = o.json["orderId"].to_string();
    let first = amend(
        &sb,
        &[("symbol", "BTCUSDT"), ("orderId", &id), ("newQty", "0.02"), ("newClientOrderId", "p2")],
    )
    .await;
    first.assert_ok();
    let before = amendments(&sb, &[("symbol", "BTCUSDT"), ("orderId", &id)]).await.json;
    sb.shutdown().await;

    let sb =
        TestSandbox::start_with(mbx_sandbox::Sandbox::builder().data_dir(dir.path()).market_maker(false))
            .await;
    assert_eq!(amendments(&sb, &[("symbol", "BTCUSDT"), ("orderId", &id)]).await.json, before);
    let q =
        call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("origClientOrderId", "p2")]).await;
    assert_eq!((q.json["origQty"].as_str(), q.json["status"].as_str()), (Some("0.02000000"), Some("NEW")));
    assert_eq!(balance(&sb, "USDT").await.1, d("1000"));
    let again = amend(&sb, &[("symbol", "BTCUSDT"), ("origClientOrderId", "p2"), ("newQty", "0.01")]).await;
    again.assert_ok();
    assert!(
        again.json["executionId"].as_u64() > first.json["executionId"].as_u64(),
        "execution ids go on: {} after {}",
        again.json,
        first.json
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn amending_a_leg_that_works_on_after_its_list_is_done() {
    let sb = empty_books().await;
    let list = call(
        &sb,
        Method::POST,
        "/api/v3/orderList/oco",
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("quantity", "10"),
            ("aboveType", "LIMIT_MAKER"),
            ("abovePrice", "0.003"),
            ("belowType", "STOP_LOSS_LIMIT"),
            ("belowStopPrice", "0.0015"),
            ("belowPrice", "0.0014"),
            ("belowTimeInForce", "GTC"),
        ],
    )
    .await;
    list.assert_ok();
    let maker = list.json["orderReports"][1].clone();
    // The LIMIT_MAKER leg trades 4: the list is done, the stop leg expired, the leg works on.
    let take = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "4"),
            ("price", "0.003"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    assert_eq!(take.json["status"], "FILLED", "{}", take.json);
    let a = amend(&sb, &[("symbol", "LTCBTC"), ("orderId", &maker["orderId"].to_string()), ("newQty", "8")])
        .await;
    a.assert_ok();
    let o = &a.json["amendedOrder"];
    assert_eq!(
        (&o["status"], &o["qty"], &o["executedQty"]),
        (&json!("PARTIALLY_FILLED"), &json!("8.00000000"), &json!("4.00000000"))
    );
    let s = &a.json["listStatus"];
    assert_eq!(
        (&s["listOrderStatus"], &s["orders"].as_array().map(Vec::len)),
        (&json!("ALL_DONE"), &Some(2)),
        "{s}"
    );
    // 4 still to sell at most.
    assert_eq!(balance(&sb, "LTC").await.1, d("4"));
    // Amended down to what it executed, it has nothing left: it leaves the book, expired.
    let before = crate::support::get(&sb, "/api/v3/depth?symbol=LTCBTC").await;
    let done =
        amend(&sb, &[("symbol", "LTCBTC"), ("orderId", &maker["orderId"].to_string()), ("newQty", "4")])
            .await;
    done.assert_ok();
    // An amendment that expires the order weighs nothing (CHANGELOG 2026-04-02).
    let (was, now) = (before.weight.unwrap(), done.weight.unwrap());
    assert!(now == was || now == 0, "{now} after {was}");
    assert_eq!(done.json["amendedOrder"]["status"], "EXPIRED", "{}", done.json);
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));
    let depth = crate::support::get(&sb, "/api/v3/depth?symbol=LTCBTC").await;
    assert_eq!(depth.json["asks"], json!([]));
    sb.shutdown().await;
}
