//! Order lists (OCO): placing, the funds a list holds, one leg acting expiring the other, cancelling,
//! the queries, the rejections, and a list surviving a restart.

use mbx_sandbox::Sandbox;
use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Answer, balance, call, d, empty_books, place};

/// A LIMIT GTC order on LTCBTC with self-trade prevention off, so the demo account can trade with
/// its own legs.
async fn limit(sb: &TestSandbox, side: &str, qty: &str, price: &str) -> Answer {
    let a = place(
        sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", side),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", qty),
            ("price", price),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    a.assert_ok();
    a
}

/// Sets LTCBTC's last price to `price` with a trade of the demo account with itself.
async fn trade_at(sb: &TestSandbox, price: &str) {
    limit(sb, "SELL", "1", price).await;
    let buy = limit(sb, "BUY", "1", price).await;
    assert_eq!(buy.json["status"], "FILLED", "{}", buy.json);
}

/// The SELL OCO used below: 10 LTC, LIMIT_MAKER above at 0.003, STOP_LOSS_LIMIT below (stop 0.0015,
/// limit 0.0014).
const SELL_OCO: &[(&str, &str)] = &[
    ("symbol", "LTCBTC"),
    ("side", "SELL"),
    ("quantity", "10"),
    ("aboveType", "LIMIT_MAKER"),
    ("abovePrice", "0.003"),
    ("belowType", "STOP_LOSS_LIMIT"),
    ("belowStopPrice", "0.0015"),
    ("belowPrice", "0.0014"),
    ("belowTimeInForce", "GTC"),
];

async fn oco(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::POST, "/api/v3/orderList/oco", pairs).await
}

async fn order_status(sb: &TestSandbox, id: &Value) -> Value {
    let q =
        call(sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id.to_string())]).await;
    q.assert_ok();
    q.json
}

async fn list_status(sb: &TestSandbox, id: &Value) -> Value {
    let q = call(sb, Method::GET, "/api/v3/orderList", &[("orderListId", &id.to_string())]).await;
    q.assert_ok();
    q.json
}

#[tokio::test]
async fn oco_places_both_legs_holding_the_quantity_once() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let mut pairs = SELL_OCO.to_vec();
    pairs.push(("listClientOrderId", "my-list"));
    pairs.push(("aboveClientOrderId", "my-above"));
    let a = oco(&sb, &pairs).await;
    a.assert_ok();
    let j = &a.json;
    assert_eq!(
        (
            &j["contingencyType"],
            &j["listStatusType"],
            &j["listOrderStatus"],
            &j["listClientOrderId"],
            &j["symbol"]
        ),
        (&json!("OCO"), &json!("EXEC_STARTED"), &json!("EXECUTING"), &json!("my-list"), &json!("LTCBTC"))
    );
    let list_id = j["orderListId"].clone();
    // The stop-loss leg first, with the lower order id; both reports name the list.
    let reports = j["orderReports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    let (stop, maker) = (&reports[0], &reports[1]);
    assert_eq!((&stop["type"], &maker["type"]), (&json!("STOP_LOSS_LIMIT"), &json!("LIMIT_MAKER")));
    assert!(stop["orderId"].as_u64() < maker["orderId"].as_u64());
    assert_eq!((&stop["orderListId"], &maker["orderListId"]), (&list_id, &list_id));
    assert_eq!((&stop["workingTime"], &stop["stopPrice"]), (&json!(-1), &json!("0.00150000")));
    assert_eq!(maker["clientOrderId"], "my-above");
    assert!(
        maker.get("fills").is_none() && maker["status"] == "NEW",
        "RESULT by default, as the docs show: {maker}"
    );
    assert_eq!(
        j["orders"][1],
        json!({"symbol": "LTCBTC", "orderId": maker["orderId"], "clientOrderId": "my-above"})
    );
    assert_eq!(
        a.order_counts.map(|c| c.1),
        Some(2),
        "an OCO counts two orders (the trade's two were taken off)"
    );
    // 10 LTC held once, not twice.
    assert_eq!(balance(&sb, "LTC").await.1, d("10"));

    let q = list_status(&sb, &list_id).await;
    assert_eq!(q["orders"], j["orders"]);
    assert_eq!(q["listOrderStatus"], "EXECUTING");
    assert!(q.get("orderReports").is_none(), "{q}");
    let by_client = call(&sb, Method::GET, "/api/v3/orderList", &[("origClientOrderId", "my-list")]).await;
    assert_eq!(by_client.json["orderListId"], list_id);
    // Both: the client id is used and orderListId ignored (rest-api.md, Query Order list).
    let both = call(
        &sb,
        Method::GET,
        "/api/v3/orderList",
        &[("origClientOrderId", "my-list"), ("orderListId", "999999")],
    )
    .await;
    assert_eq!(both.json["orderListId"], list_id, "{both:?}");
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    open.assert_ok();
    assert_eq!(open.json, json!([q]));
    let orders = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "LTCBTC")]).await;
    let legs: Vec<&Value> =
        orders.json.as_array().unwrap().iter().filter(|o| o["orderListId"] == list_id).collect();
    assert_eq!(legs.len(), 2, "{}", orders.json);
    // A second list with the same listClientOrderId while the first is open.
    oco(&sb, &pairs).await.assert_rejected(400, -2010, "Duplicate order sent.");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_leg_that_trades_expires_the_other_leg() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let a = oco(&sb, SELL_OCO).await;
    a.assert_ok();
    let (stop_id, maker_id) =
        (a.json["orderReports"][0]["orderId"].clone(), a.json["orderReports"][1]["orderId"].clone());
    // Buy 4 of the LIMIT_MAKER leg's 10.
    let buy = limit(&sb, "BUY", "4", "0.003").await;
    assert_eq!(buy.json["executedQty"], "4.00000000");
    let maker = order_status(&sb, &maker_id).await;
    assert_eq!((&maker["status"], &maker["executedQty"]), (&json!("PARTIALLY_FILLED"), &json!("4.00000000")));
    let stop = order_status(&sb, &stop_id).await;
    assert_eq!((&stop["status"], &stop["orderListId"]), (&json!("EXPIRED"), &a.json["orderListId"]));
    let list = list_status(&sb, &a.json["orderListId"]).await;
    assert_eq!((&list["listStatusType"], &list["listOrderStatus"]), (&json!("ALL_DONE"), &json!("ALL_DONE")));
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    assert_eq!(open.json, json!([]));
    // The rest of the limit leg still works and holds its 6 LTC; the trade names the list.
    assert_eq!(balance(&sb, "LTC").await.1, d("6"));
    let trades = call(
        &sb,
        Method::GET,
        "/api/v3/myTrades",
        &[("symbol", "LTCBTC"), ("orderId", &maker_id.to_string())],
    )
    .await;
    assert_eq!(trades.json[0]["orderListId"], a.json["orderListId"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_triggered_stop_leg_expires_the_limit_leg() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let a = oco(&sb, SELL_OCO).await;
    a.assert_ok();
    let (stop_id, maker_id) =
        (a.json["orderReports"][0]["orderId"].clone(), a.json["orderReports"][1]["orderId"].clone());
    // A trade at 0.0015 reaches the stop.
    trade_at(&sb, "0.0015").await;
    assert_eq!(order_status(&sb, &maker_id).await["status"], "EXPIRED");
    let stop = order_status(&sb, &stop_id).await;
    // Triggered: a SELL 10 at 0.0014 that found no bid and rests.
    assert_eq!((&stop["status"], &stop["isWorking"]), (&json!("NEW"), &json!(true)));
    assert_eq!(list_status(&sb, &a.json["orderListId"]).await["listOrderStatus"], "ALL_DONE");
    assert_eq!(balance(&sb, "LTC").await.1, d("10"), "only the working leg holds");
    sb.shutdown().await;
}

#[tokio::test]
async fn buy_oco_holds_the_costlier_legs_quote_once() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let a = oco(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "BUY"),
            ("quantity", "10"),
            ("aboveType", "STOP_LOSS"),
            ("aboveStopPrice", "0.0025"),
            ("belowType", "LIMIT_MAKER"),
            ("belowPrice", "0.001"),
        ],
    )
    .await;
    a.assert_ok();
    // The limit leg needs 10 * 0.001, the stop leg 10 * 0.0025: 0.025 held in all.
    assert_eq!(balance(&sb, "BTC").await.1, d("0.025"));
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/orderList",
        &[("symbol", "LTCBTC"), ("orderListId", &a.json["orderListId"].to_string())],
    )
    .await;
    c.assert_ok();
    assert_eq!(balance(&sb, "BTC").await.1, d("0"));
    sb.shutdown().await;
}

#[tokio::test]
async fn cancelling_the_list_or_one_leg_cancels_both() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let a = oco(&sb, SELL_OCO).await;
    let list_id = a.json["orderListId"].to_string();
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/orderList",
        &[("symbol", "LTCBTC"), ("orderListId", &list_id), ("newClientOrderId", "my-cancel")],
    )
    .await;
    c.assert_ok();
    assert_eq!(
        (&c.json["listStatusType"], &c.json["listOrderStatus"]),
        (&json!("ALL_DONE"), &json!("ALL_DONE"))
    );
    let reports = c.json["orderReports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    for r in reports {
        assert_eq!((&r["status"], &r["clientOrderId"]), (&json!("CANCELED"), &json!("my-cancel")));
        assert!(r["origClientOrderId"].is_string());
    }
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));
    call(&sb, Method::DELETE, "/api/v3/orderList", &[("symbol", "LTCBTC"), ("orderListId", &list_id)])
        .await
        .assert_rejected(400, -2011, "Unknown order sent.");

    // Cancelling one leg by its own id cancels the other and ends the list.
    let b = oco(&sb, SELL_OCO).await;
    let (stop_id, maker_id) =
        (b.json["orderReports"][0]["orderId"].clone(), b.json["orderReports"][1]["orderId"].clone());
    call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &maker_id.to_string())])
        .await
        .assert_ok();
    assert_eq!(order_status(&sb, &stop_id).await["status"], "CANCELED");
    assert_eq!(list_status(&sb, &b.json["orderListId"]).await["listOrderStatus"], "ALL_DONE");

    // DELETE openOrders answers a list in its list shape.
    let c = oco(&sb, SELL_OCO).await;
    limit(&sb, "BUY", "1", "0.001").await;
    let all = call(&sb, Method::DELETE, "/api/v3/openOrders", &[("symbol", "LTCBTC")]).await;
    all.assert_ok();
    let items = all.json.as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", all.json);
    assert_eq!(items[0]["status"], "CANCELED");
    assert_eq!(
        (&items[1]["orderListId"], &items[1]["listOrderStatus"]),
        (&c.json["orderListId"], &json!("ALL_DONE"))
    );
    assert_eq!(items[1]["orderReports"].as_array().map(Vec::len), Some(2));
    sb.shutdown().await;
}

#[tokio::test]
async fn oco_rejections_carry_their_codes_and_messages() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut p: Vec<(&str, &str)> =
            SELL_OCO.iter().filter(|(k, _)| !changes.iter().any(|(c, _)| c == k)).copied().collect();
        p.extend(changes.iter().filter(|(_, v)| !v.is_empty()));
        p
    };
    for (changes, code, msg) in [
        (&[("side", "BUY")][..], -1165, "A limit order in a buy OCO must be below."),
        (
            &[("aboveType", "STOP_LOSS_LIMIT"), ("aboveStopPrice", "0.003"), ("aboveTimeInForce", "GTC")][..],
            -1197,
            "A stop loss order in a sell OCO must be below.",
        ),
        (
            &[("belowType", "TAKE_PROFIT"), ("belowPrice", ""), ("belowTimeInForce", "")][..],
            -1199,
            "A take profit order in a sell OCO must be above.",
        ),
        (
            &[("belowType", "LIMIT_MAKER"), ("belowStopPrice", ""), ("belowTimeInForce", "")][..],
            -1168,
            "At least one OCO order must be contingent.",
        ),
        (&[("aboveType", "LIMIT")][..], -1158, "Order type not supported in OCO."),
        (&[("aboveType", "NOPE")][..], -1116, "Invalid orderType."),
        (
            &[("belowTimeInForce", "")][..],
            -1102,
            "Mandatory parameter 'belowTimeInForce' was not sent, was empty/null, or malformed.",
        ),
        (&[("aboveStopPrice", "0.004")][..], -1106, "Parameter 'aboveStopPrice' sent when not required."),
        (
            &[("quantity", "")][..],
            -1102,
            "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.",
        ),
        (
            // A pegged leg is priced from the book: this one has no ask to peg to.
            &[("abovePegPriceType", "PRIMARY_PEG")][..],
            -2010,
            "Order book liquidity is too low for this pegged order.",
        ),
        (
            &[("belowIcebergQty", "1"), ("belowTimeInForce", "IOC")][..],
            -1160,
            "Parameter 'belowIcebergQty' is not supported if aboveTimeInForce/belowTimeInForce is not GTC.",
        ),
        (&[("aboveIcebergQty", "10")][..], -2010, "IcebergQty exceeds QTY."),
        (&[("belowTrailingDelta", "5")][..], -1013, "Filter failure: TRAILING_DELTA"),
        // The limit leg under the last price 0.002.
        (
            &[("abovePrice", "0.0019")][..],
            -2010,
            "The relationship of the prices for the orders is not correct.",
        ),
        // Far above the average 0.002: 5 times it is 0.01.
        (&[("abovePrice", "0.02")][..], -1013, "Filter failure: PERCENT_PRICE_BY_SIDE"),
        (&[("quantity", "1000")][..], -2010, "Account has insufficient balance for requested action."),
    ] {
        let a = oco(&sb, &with(changes)).await;
        a.assert_rejected(400, code, msg);
        assert_eq!(a.order_counts.map(|c| c.1), Some(0), "a refused list counts nothing: {changes:?}");
    }
    let buy_stop_below = [
        ("symbol", "LTCBTC"),
        ("side", "BUY"),
        ("quantity", "1"),
        ("aboveType", "TAKE_PROFIT"),
        ("aboveStopPrice", "0.003"),
        ("belowType", "STOP_LOSS"),
        ("belowStopPrice", "0.001"),
    ];
    oco(&sb, &buy_stop_below).await.assert_rejected(
        400,
        -1198,
        "A take profit order in a buy OCO must be below.",
    );
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "LTCBTC")]).await;
    assert_eq!(open.json, json!([]), "nothing placed");
    call(&sb, Method::GET, "/api/v3/orderList", &[("orderListId", "424242")]).await.assert_rejected(
        400,
        -2013,
        "Order does not exist.",
    );
    call(&sb, Method::GET, "/api/v3/orderList", &[]).await.assert_rejected(
        400,
        -1102,
        "Param 'origClientOrderId' or 'orderListId' must be sent, but both were empty/null!",
    );
    call(&sb, Method::DELETE, "/api/v3/orderList", &[("symbol", "LTCBTC")]).await.assert_rejected(
        400,
        -1102,
        "Param 'listClientOrderId' or 'orderListId' must be sent, but both were empty/null!",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn all_order_list_is_newest_first_and_pages_from_an_id() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let a = oco(&sb, SELL_OCO).await;
        a.assert_ok();
        ids.push(a.json["orderListId"].as_u64().unwrap());
        call(
            &sb,
            Method::DELETE,
            "/api/v3/orderList",
            &[("symbol", "LTCBTC"), ("orderListId", &ids.last().unwrap().to_string())],
        )
        .await
        .assert_ok();
    }
    let listed = |a: &Answer| {
        a.json.as_array().unwrap().iter().map(|l| l["orderListId"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    let all = call(&sb, Method::GET, "/api/v3/allOrderList", &[]).await;
    all.assert_ok();
    assert_eq!(listed(&all), [ids[2], ids[1], ids[0]]);
    assert_eq!(all.json[0]["listStatusType"], "ALL_DONE");
    let limited = call(&sb, Method::GET, "/api/v3/allOrderList", &[("limit", "1")]).await;
    assert_eq!(listed(&limited), [ids[2]]);
    let from =
        call(&sb, Method::GET, "/api/v3/allOrderList", &[("fromId", &ids[1].to_string()), ("limit", "1")])
            .await;
    assert_eq!(listed(&from), [ids[1]]);
    call(&sb, Method::GET, "/api/v3/allOrderList", &[("fromId", "1"), ("startTime", "1")])
        .await
        .assert_rejected(400, -1128, "Combination of optional parameters invalid.");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_order_list_survives_a_restart_and_still_ties_its_legs() {
    let dir = TempDir::new("mbx-sandbox-order-lists");
    let start = || TestSandbox::start_with(Sandbox::builder().data_dir(dir.path()).market_maker(false));
    let sb = start().await;
    trade_at(&sb, "0.0015").await;
    let oco_pairs = [
        ("symbol", "LTCBTC"),
        ("side", "SELL"),
        ("quantity", "10"),
        ("aboveType", "LIMIT_MAKER"),
        ("abovePrice", "0.002"),
        ("belowType", "STOP_LOSS"),
        ("belowStopPrice", "0.001"),
        ("listClientOrderId", "kept"),
    ];
    let a = oco(&sb, &oco_pairs).await;
    a.assert_ok();
    let list_id = a.json["orderListId"].clone();
    let before = list_status(&sb, &list_id).await;
    sb.shutdown().await;

    let sb = start().await;
    assert_eq!(list_status(&sb, &list_id).await, before);
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    assert_eq!(open.json, json!([before]));
    assert_eq!(balance(&sb, "LTC").await.1, d("10"));
    // The listClientOrderId is still taken by the open list.
    oco(&sb, &oco_pairs).await.assert_rejected(400, -2010, "Duplicate order sent.");
    // Trading with the limit leg after the restart still expires the stop leg.
    let (stop_id, maker_id) =
        (before["orders"][0]["orderId"].clone(), before["orders"][1]["orderId"].clone());
    limit(&sb, "BUY", "2", "0.002").await;
    assert_eq!(order_status(&sb, &maker_id).await["status"], "PARTIALLY_FILLED");
    assert_eq!(order_status(&sb, &stop_id).await["status"], "EXPIRED");
    assert_eq!(list_status(&sb, &list_id).await["listOrderStatus"], "ALL_DONE");
    // New lists number on from the old ones.
    let mut again = oco_pairs.to_vec();
    again[4] = ("abovePrice", "0.0021");
    again.pop();
    let b = oco(&sb, &again).await;
    b.assert_ok();
    assert!(b.json["orderListId"].as_u64() > list_id.as_u64());
    sb.shutdown().await;
}

#[tokio::test]
async fn deprecated_order_oco_places_the_same_list_with_the_old_names() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    // Older client libraries and bots still call POST /api/v3/order/oco.
    let pairs = [
        ("symbol", "LTCBTC"),
        ("side", "SELL"),
        ("quantity", "10"),
        ("price", "0.003"),
        ("limitClientOrderId", "old-limit"),
        ("stopPrice", "0.0015"),
        ("stopLimitPrice", "0.0014"),
        ("stopLimitTimeInForce", "GTC"),
    ];
    let a = call(&sb, Method::POST, "/api/v3/order/oco", &pairs).await;
    a.assert_ok();
    let j = &a.json;
    assert_eq!(j["contingencyType"], "OCO", "{j}");
    let reports = j["orderReports"].as_array().expect("orderReports");
    let types: Vec<&str> = reports.iter().filter_map(|r| r["type"].as_str()).collect();
    assert!(types.contains(&"LIMIT_MAKER") && types.contains(&"STOP_LOSS_LIMIT"), "{j}");
    let limit = reports.iter().find(|r| r["type"] == "LIMIT_MAKER").unwrap();
    assert_eq!(
        (&limit["clientOrderId"], &limit["price"]),
        (&json!("old-limit"), &json!("0.00300000")),
        "{limit}"
    );
    // A stop leg without a limit price is a STOP_LOSS; a parameter of neither form is -1104.
    let mut plain: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(k, _)| !k.starts_with("stopLimit") && *k != "limitClientOrderId")
        .collect();
    plain.push(("quantity", "1"));
    plain.retain(|(k, v)| *k != "quantity" || *v == "1");
    let b = call(&sb, Method::POST, "/api/v3/order/oco", &plain).await;
    b.assert_ok();
    assert!(
        b.json["orderReports"].as_array().unwrap().iter().any(|r| r["type"] == "STOP_LOSS"),
        "{}",
        b.json
    );
    let mut odd = pairs.to_vec();
    odd.push(("aboveType", "LIMIT_MAKER"));
    let c = call(&sb, Method::POST, "/api/v3/order/oco", &odd).await;
    assert_eq!(c.json["code"], -1104, "{}", c.json);

    // Refusals name the parameters sent, not orderList/oco's (found by a sweep of bad parameters).
    let without = |name: &str| pairs.iter().copied().filter(|(k, _)| *k != name).collect::<Vec<_>>();
    call(&sb, Method::POST, "/api/v3/order/oco", &without("stopLimitTimeInForce")).await.assert_rejected(
        400,
        -1128,
        "Combination of optional parameters invalid. Recommendation: 'stopLimitTimeInForce' should also be sent.",
    );
    let mut bad_id = pairs.to_vec();
    bad_id.push(("stopClientOrderId", "bad!"));
    let e = call(&sb, Method::POST, "/api/v3/order/oco", &bad_id).await;
    assert_eq!(e.json["code"], -1100, "{}", e.json);
    assert!(e.json["msg"].as_str().unwrap().contains("'stopClientOrderId'"), "{}", e.json);
    let mut ioc_iceberg = pairs.to_vec();
    ioc_iceberg.retain(|(k, _)| *k != "stopLimitTimeInForce");
    ioc_iceberg.extend([("stopLimitTimeInForce", "IOC"), ("stopIcebergQty", "1")]);
    let e = call(&sb, Method::POST, "/api/v3/order/oco", &ioc_iceberg).await;
    let msg = e.json["msg"].as_str().unwrap();
    assert!(msg.contains("stopIcebergQty") && !msg.contains("below"), "{}", e.json);
    sb.shutdown().await;
}

/// `order.cancel` of one leg cancels the list, and the WebSocket API answers with the list's cancel
/// (web-socket-api.md, "When an order list is canceled"); REST's `DELETE /api/v3/order` keeps the
/// order's own report (found by a sweep of every method's answer against the docs' examples).
#[tokio::test]
async fn a_websocket_api_cancel_of_one_leg_answers_with_the_list() {
    let sb = empty_books().await;
    let placed = oco(&sb, SELL_OCO).await;
    placed.assert_ok();
    let leg = placed.json["orders"][0]["orderId"].clone();
    let mut ws = crate::ws::connect(&sb, "/ws-api/v3").await;
    let params = crate::ws::signed(json!({"symbol": "LTCBTC", "orderId": leg, "newClientOrderId": "cxl-1"}));
    let a = crate::ws::call(&mut ws, json!({"id": 1, "method": "order.cancel", "params": params})).await;
    assert_eq!(a["status"], 200, "{a}");
    let r = &a["result"];
    assert_eq!(
        (&r["contingencyType"], &r["listStatusType"], &r["listOrderStatus"]),
        (&json!("OCO"), &json!("ALL_DONE"), &json!("ALL_DONE")),
        "{a}"
    );
    let reports = r["orderReports"].as_array().expect("orderReports");
    assert_eq!(reports.len(), 2, "{a}");
    assert!(reports.iter().all(|o| o["status"] == "CANCELED" && o["clientOrderId"] == "cxl-1"), "{a}");
    // REST: the order's own report.
    let again = oco(&sb, SELL_OCO).await;
    again.assert_ok();
    let leg = again.json["orders"][0]["orderId"].to_string();
    let c = call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &leg)]).await;
    c.assert_ok();
    assert_eq!((c.json["orderId"].to_string(), &c.json["status"]), (leg, &json!("CANCELED")), "{}", c.json);
    sb.shutdown().await;
}
