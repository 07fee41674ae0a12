//! OTO, OTOCO, OPO and OPOCO order lists over REST and the WebSocket API: placing, the pending
//! orders held (`PENDING_NEW`, out of the book) until the working order fills against another
//! account's order, an OPO's purchase held for its pending order(s), cancelling, the queries, the
//! rejections, the user data events, and a list surviving a restart.

use futures_util::SinkExt;
use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::{HmacSigner, Signer};
use mbx_sandbox::Sandbox;
use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{Answer, admin, balance, call, d, empty_books, get, now_ms, send, sign};
use crate::ws::{Socket, connect, next_json};

/// Another account, trading against the demo account's lists.
struct Trader {
    api_key: String,
    signer: Signer,
}

/// Creates an account named `name` with 1 BTC and 100 LTC, and an HMAC key for it.
async fn trader(sb: &TestSandbox, name: &str) -> Trader {
    trader_with(sb, name, json!({"BTC": "1", "LTC": "100"})).await
}

/// Creates an account named `name` with `balances`, and an HMAC key for it.
async fn trader_with(sb: &TestSandbox, name: &str, balances: Value) -> Trader {
    let created = admin(sb, "/sandbox/v1/accounts", json!({"name": name, "balances": balances})).await;
    created.assert_ok();
    let key =
        admin(sb, "/sandbox/v1/keys", json!({"kind": "hmac", "account": created.json["accountId"]})).await;
    key.assert_ok();
    let secret = key.json["secretKey"].as_str().expect("secretKey");
    Trader {
        api_key: key.json["apiKey"].as_str().expect("apiKey").to_owned(),
        signer: Signer::Hmac(HmacSigner::new(secret.as_bytes())),
    }
}

impl Trader {
    /// `pairs` plus a fresh `timestamp`, signed with this trader's key: in the body for POST.
    async fn call(&self, sb: &TestSandbox, method: Method, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let mut p = Params::new();
        for (k, v) in pairs {
            p = p.text(k.to_string(), *v);
        }
        let p = p.int("timestamp", now_ms());
        let placement = if method == Method::POST { Placement::Body } else { Placement::Query };
        let s = sign(&p, placement, &self.signer);
        send(sb, method, path, s.query(), s.body(), Some(&self.api_key)).await
    }

    /// A LIMIT GTC order on LTCBTC.
    async fn limit(&self, sb: &TestSandbox, side: &str, qty: &str, price: &str) -> Answer {
        let pairs = [
            ("symbol", "LTCBTC"),
            ("side", side),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", qty),
            ("price", price),
        ];
        let a = self.call(sb, Method::POST, "/api/v3/order", &pairs).await;
        a.assert_ok();
        a
    }
}

/// A BUY OTO: LIMIT 2 LTC at 0.002, then a SELL LIMIT of 2 at 0.003.
const OTO: &[(&str, &str)] = &[
    ("symbol", "LTCBTC"),
    ("workingType", "LIMIT"),
    ("workingSide", "BUY"),
    ("workingPrice", "0.002"),
    ("workingQuantity", "2"),
    ("workingTimeInForce", "GTC"),
    ("pendingType", "LIMIT"),
    ("pendingSide", "SELL"),
    ("pendingPrice", "0.003"),
    ("pendingQuantity", "2"),
    ("pendingTimeInForce", "GTC"),
];

/// A BUY OTOCO: LIMIT 1 LTC at 0.002, then a SELL pair: LIMIT_MAKER at 0.003 above, STOP_LOSS_LIMIT
/// (stop 0.0015, limit 0.0014) below.
const OTOCO: &[(&str, &str)] = &[
    ("symbol", "LTCBTC"),
    ("listClientOrderId", "bracket"),
    ("workingType", "LIMIT"),
    ("workingSide", "BUY"),
    ("workingClientOrderId", "entry"),
    ("workingStrategyId", "7"),
    ("workingPrice", "0.002"),
    ("workingQuantity", "1"),
    ("workingTimeInForce", "GTC"),
    ("pendingSide", "SELL"),
    ("pendingQuantity", "1"),
    ("pendingAboveType", "LIMIT_MAKER"),
    ("pendingAboveClientOrderId", "tp"),
    ("pendingAbovePrice", "0.003"),
    ("pendingAboveStrategyType", "1000001"),
    ("pendingBelowType", "STOP_LOSS_LIMIT"),
    ("pendingBelowClientOrderId", "sl"),
    ("pendingBelowStopPrice", "0.0015"),
    ("pendingBelowPrice", "0.0014"),
    ("pendingBelowTimeInForce", "GTC"),
];

/// An OPO: BUY LIMIT 2 LTC at 0.002, then SELL what it bought with a LIMIT at 0.003.
const OPO: &[(&str, &str)] = &[
    ("symbol", "LTCBTC"),
    ("workingType", "LIMIT"),
    ("workingSide", "BUY"),
    ("workingPrice", "0.002"),
    ("workingQuantity", "2"),
    ("workingTimeInForce", "GTC"),
    ("pendingType", "LIMIT"),
    ("pendingSide", "SELL"),
    ("pendingPrice", "0.003"),
    ("pendingTimeInForce", "GTC"),
];

/// An OPOCO: BUY LIMIT 2 LTC at 0.002, then SELL what it bought: LIMIT_MAKER at 0.003 above,
/// STOP_LOSS at 0.0015 below.
const OPOCO: &[(&str, &str)] = &[
    ("symbol", "LTCBTC"),
    ("workingType", "LIMIT"),
    ("workingSide", "BUY"),
    ("workingPrice", "0.002"),
    ("workingQuantity", "2"),
    ("workingTimeInForce", "GTC"),
    ("pendingSide", "SELL"),
    ("pendingAboveType", "LIMIT_MAKER"),
    ("pendingAbovePrice", "0.003"),
    ("pendingBelowType", "STOP_LOSS"),
    ("pendingBelowStopPrice", "0.0015"),
];

/// A request's parameters.
type Pairs = Vec<(&'static str, &'static str)>;

async fn post(sb: &TestSandbox, kind: &str, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::POST, &format!("/api/v3/orderList/{kind}"), pairs).await
}

/// `pairs` with `name` set to `value` (added if absent); `value` empty removes it.
fn with(
    pairs: &[(&'static str, &'static str)],
    name: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = pairs.iter().filter(|(k, _)| *k != name).copied().collect();
    if !value.is_empty() {
        v.push((name, value));
    }
    v
}

async fn order(sb: &TestSandbox, id: &Value) -> Value {
    let q =
        call(sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id.to_string())]).await;
    q.assert_ok();
    q.json
}

async fn order_by_client_id(sb: &TestSandbox, cid: &str) -> Value {
    let q = call(sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("origClientOrderId", cid)]).await;
    q.assert_ok();
    q.json
}

async fn list(sb: &TestSandbox, id: &Value) -> Value {
    let q = call(sb, Method::GET, "/api/v3/orderList", &[("orderListId", &id.to_string())]).await;
    q.assert_ok();
    q.json
}

/// The prices of LTCBTC's asks in the book.
async fn asks(sb: &TestSandbox) -> Vec<String> {
    let a = get(sb, "/api/v3/depth?symbol=LTCBTC").await;
    a.assert_ok();
    a.json["asks"].as_array().expect("asks").iter().map(|l| l[0].as_str().unwrap_or("").to_owned()).collect()
}

#[tokio::test]
async fn oto_holds_the_pending_order_until_the_working_order_fills() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    let a = post(&sb, "oto", OTO).await;
    a.assert_ok();
    let j = &a.json;
    assert_eq!(
        (&j["contingencyType"], &j["listStatusType"], &j["listOrderStatus"], &j["symbol"]),
        (&json!("OTO"), &json!("EXEC_STARTED"), &json!("EXECUTING"), &json!("LTCBTC")),
        "{j}"
    );
    assert!(j["transactionTime"].as_u64().is_some() && j["listClientOrderId"].is_string(), "{j}");
    assert_eq!(a.order_counts.map(|c| c.1), Some(2), "an OTO counts two orders");
    let (working, pending) = (&j["orderReports"][0], &j["orderReports"][1]);
    assert_eq!(
        (&working["status"], &working["type"], &working["side"]),
        (&json!("NEW"), &json!("LIMIT"), &json!("BUY"))
    );
    assert!(working["workingTime"].as_i64() > Some(0), "{working}");
    assert_eq!(
        (
            &pending["status"],
            &pending["type"],
            &pending["side"],
            &pending["workingTime"],
            &pending["origQty"]
        ),
        (&json!("PENDING_NEW"), &json!("LIMIT"), &json!("SELL"), &json!(-1), &json!("2.00000000")),
        "{pending}"
    );
    assert_eq!(j["orders"][1]["orderId"], pending["orderId"]);
    assert_eq!(pending["orderListId"], j["orderListId"]);
    let (working_id, pending_id, list_id) =
        (working["orderId"].clone(), pending["orderId"].clone(), j["orderListId"].clone());

    // The pending order waits: queryable, open, out of the book, holding nothing.
    let p = order(&sb, &pending_id).await;
    assert_eq!(
        (&p["status"], &p["isWorking"], &p["workingTime"]),
        (&json!("PENDING_NEW"), &json!(false), &json!(-1)),
        "{p}"
    );
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "LTCBTC")]).await;
    assert_eq!(open.json.as_array().map(Vec::len), Some(2), "{}", open.json);
    assert!(asks(&sb).await.is_empty());
    assert_eq!(balance(&sb, "BTC").await.1, d("0.004"));
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));

    // Bob sells into the working order: it fills, and the pending order is placed.
    bob.limit(&sb, "SELL", "2", "0.002").await;
    assert_eq!(order(&sb, &working_id).await["status"], "FILLED");
    let p = order(&sb, &pending_id).await;
    assert_eq!((&p["status"], &p["isWorking"]), (&json!("NEW"), &json!(true)), "{p}");
    assert!(p["workingTime"].as_i64() > Some(0), "{p}");
    assert_eq!(asks(&sb).await, ["0.00300000"]);
    assert_eq!(balance(&sb, "LTC").await.1, d("2"));
    assert_eq!(balance(&sb, "BTC").await.1, d("0"));
    assert_eq!(list(&sb, &list_id).await["listOrderStatus"], "EXECUTING");

    // Bob buys the pending order: the list is done.
    bob.limit(&sb, "BUY", "2", "0.003").await;
    assert_eq!(order(&sb, &pending_id).await["status"], "FILLED");
    let l = list(&sb, &list_id).await;
    assert_eq!(
        (&l["listStatusType"], &l["listOrderStatus"]),
        (&json!("ALL_DONE"), &json!("ALL_DONE")),
        "{l}"
    );
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    assert_eq!(open.json, json!([]));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_working_order_filled_at_placement_shows_its_pending_order_pending_new() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    bob.limit(&sb, "SELL", "2", "0.002").await;
    let a = post(&sb, "oto", OTO).await;
    a.assert_ok();
    let (working, pending) = (&a.json["orderReports"][0], &a.json["orderReports"][1]);
    assert_eq!(
        (&working["status"], &pending["status"]),
        (&json!("FILLED"), &json!("PENDING_NEW")),
        "{}",
        a.json
    );
    assert_eq!(
        (&working["executedQty"], working.get("fills")),
        (&json!("2.00000000"), None),
        "RESULT: {working}"
    );
    // Queried again, the pending order is placed.
    assert_eq!(order(&sb, &pending["orderId"]).await["status"], "NEW");
    assert_eq!(asks(&sb).await, ["0.00300000"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_pending_order_that_cannot_be_placed_expires_and_ends_its_list() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    // The pending order sells more LTC than the account will have.
    let pairs = with(&with(OTO, "workingQuantity", "1"), "pendingQuantity", "500");
    let a = post(&sb, "oto", &pairs).await;
    a.assert_ok();
    let pending_id = a.json["orders"][1]["orderId"].clone();
    bob.limit(&sb, "SELL", "1", "0.002").await;
    let pending = order(&sb, &pending_id).await;
    // Rejected when placed, it never worked (user-data-stream.md, "Order Expiry Reason").
    assert_eq!(
        (&pending["status"], &pending["expiryReason"], &pending["workingTime"]),
        (&json!("EXPIRED"), &json!("REJECTED"), &json!(-1)),
        "{pending}"
    );
    let l = list(&sb, &a.json["orderListId"]).await;
    assert_eq!(l["listOrderStatus"], "ALL_DONE", "{l}");
    assert!(asks(&sb).await.is_empty());
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));
    sb.shutdown().await;
}

#[tokio::test]
async fn otoco_places_its_pending_pair_as_an_oco() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    let a = post(&sb, "otoco", OTOCO).await;
    a.assert_ok();
    let j = &a.json;
    assert_eq!((&j["contingencyType"], &j["listClientOrderId"]), (&json!("OTO"), &json!("bracket")), "{j}");
    let cids: Vec<&str> =
        j["orders"].as_array().unwrap().iter().filter_map(|o| o["clientOrderId"].as_str()).collect();
    assert_eq!(cids, ["entry", "sl", "tp"], "working first, then the stop-loss leg: {j}");
    assert_eq!(a.order_counts.map(|c| c.1), Some(3), "an OTOCO counts three orders");
    let sl = &j["orderReports"][1];
    assert_eq!(
        (&sl["status"], &sl["type"], &sl["stopPrice"], &sl["workingTime"]),
        (&json!("PENDING_NEW"), &json!("STOP_LOSS_LIMIT"), &json!("0.00150000"), &json!(-1)),
        "{sl}"
    );
    assert_eq!(j["orderReports"][2]["status"], "PENDING_NEW");
    // Strategy labels are shown where sent, only there.
    assert_eq!(j["orderReports"][0]["strategyId"], 7, "{j}");
    assert_eq!(j["orderReports"][2]["strategyType"], 1_000_001, "{j}");
    assert!(sl.get("strategyId").is_none() && sl.get("strategyType").is_none(), "{sl}");

    bob.limit(&sb, "SELL", "1", "0.002").await;
    assert_eq!(order_by_client_id(&sb, "entry").await["status"], "FILLED");
    let tp = order_by_client_id(&sb, "tp").await;
    assert_eq!((&tp["status"], &tp["isWorking"]), (&json!("NEW"), &json!(true)), "{tp}");
    let sl = order_by_client_id(&sb, "sl").await;
    assert_eq!((&sl["status"], &sl["isWorking"]), (&json!("NEW"), &json!(false)), "{sl}");
    // The pair holds the quantity once.
    assert_eq!(balance(&sb, "LTC").await.1, d("1"));

    // The take-profit trades: the stop-loss expires and the list is done.
    bob.limit(&sb, "BUY", "1", "0.003").await;
    assert_eq!(order_by_client_id(&sb, "tp").await["status"], "FILLED");
    let sl = order_by_client_id(&sb, "sl").await;
    assert_eq!((&sl["status"], &sl["expiryReason"]), (&json!("EXPIRED"), &json!("OCO_TRIGGER")), "{sl}");
    assert_eq!(list(&sb, &j["orderListId"]).await["listOrderStatus"], "ALL_DONE");
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));
    sb.shutdown().await;
}

#[tokio::test]
async fn opo_sells_what_its_working_order_bought() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    let a = post(&sb, "opo", OPO).await;
    a.assert_ok();
    let j = &a.json;
    assert_eq!(j["contingencyType"], "OTO", "{j}");
    let pending = &j["orderReports"][1];
    assert_eq!(pending["status"], "PENDING_NEW");
    assert!(pending.get("origQty").is_none(), "no quantity yet: {pending}");
    let (working_id, pending_id) = (j["orderReports"][0]["orderId"].clone(), pending["orderId"].clone());
    let (ltc_free, _) = balance(&sb, "LTC").await;

    // A partial fill: what it bought is held (the account's other LTC pays the 0.1% commission);
    // the pending order still waits.
    bob.limit(&sb, "SELL", "1", "0.002").await;
    assert_eq!(order(&sb, &working_id).await["status"], "PARTIALLY_FILLED");
    assert_eq!(order(&sb, &pending_id).await["status"], "PENDING_NEW");
    assert_eq!(balance(&sb, "LTC").await, (ltc_free - d("0.001"), d("1")));

    // Filled: the pending order sells all it bought.
    bob.limit(&sb, "SELL", "1", "0.002").await;
    let p = order(&sb, &pending_id).await;
    assert_eq!(
        (&p["status"], &p["origQty"], &p["price"]),
        (&json!("NEW"), &json!("2.00000000"), &json!("0.00300000")),
        "{p}"
    );
    assert_eq!(balance(&sb, "LTC").await, (ltc_free - d("0.002"), d("2")));
    assert_eq!(asks(&sb).await, ["0.00300000"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn opo_without_other_funds_sells_what_it_bought_less_commission() {
    let sb = empty_books().await;
    let carol = trader_with(&sb, "carol", json!({"BTC": "1"})).await;
    let a = carol.call(&sb, Method::POST, "/api/v3/orderList/opo", OPO).await;
    a.assert_ok();
    let pending_id = a.json["orders"][1]["orderId"].clone();
    // The demo account sells into carol's working order.
    crate::support::place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "2"),
            ("price", "0.002"),
        ],
    )
    .await
    .assert_ok();
    let q = carol
        .call(
            &sb,
            Method::GET,
            "/api/v3/order",
            &[("symbol", "LTCBTC"), ("orderId", &pending_id.to_string())],
        )
        .await;
    assert_eq!((&q.json["status"], &q.json["origQty"]), (&json!("NEW"), &json!("1.99800000")), "{}", q.json);
    let account = carol.call(&sb, Method::GET, "/api/v3/account", &[]).await;
    let ltc = account.json["balances"].as_array().unwrap().iter().find(|b| b["asset"] == "LTC").cloned();
    assert_eq!(
        ltc.map(|b| (b["free"].clone(), b["locked"].clone())),
        Some((json!("0.00000000"), json!("1.99800000"))),
        "{}",
        account.json
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn cancelling_an_opoco_releases_what_it_holds() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    let a = post(&sb, "opoco", OPOCO).await;
    a.assert_ok();
    assert_eq!(a.order_counts.map(|c| c.1), Some(3));
    let list_id = a.json["orderListId"].clone();
    bob.limit(&sb, "SELL", "1", "0.002").await;
    assert_eq!(balance(&sb, "LTC").await.1, d("1"));
    assert_eq!(balance(&sb, "BTC").await.1, d("0.002"));

    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/orderList",
        &[("symbol", "LTCBTC"), ("orderListId", &list_id.to_string())],
    )
    .await;
    c.assert_ok();
    assert_eq!(c.json["listOrderStatus"], "ALL_DONE", "{}", c.json);
    let statuses: Vec<&str> =
        c.json["orderReports"].as_array().unwrap().iter().filter_map(|o| o["status"].as_str()).collect();
    assert_eq!(statuses, ["CANCELED", "CANCELED", "CANCELED"], "{}", c.json);
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));
    assert_eq!(balance(&sb, "BTC").await.1, d("0"));
    sb.shutdown().await;
}

#[tokio::test]
async fn an_opo_pending_order_cannot_be_amended() {
    let sb = empty_books().await;
    let a = post(&sb, "opo", OPO).await;
    a.assert_ok();
    let pending = a.json["orders"][1]["orderId"].to_string();
    let amend = call(
        &sb,
        Method::PUT,
        "/api/v3/order/amend/keepPriority",
        &[("symbol", "LTCBTC"), ("orderId", &pending), ("newQty", "0.5")],
    )
    .await;
    amend.assert_rejected(400, -2038, "Order amend (pending OPO order) is not supported.");
    assert_eq!(order(&sb, &a.json["orders"][1]["orderId"]).await["status"], "PENDING_NEW");
    sb.shutdown().await;
}

#[tokio::test]
async fn cancelling_either_order_of_an_oto_cancels_the_other() {
    let sb = empty_books().await;
    // The pending order cancelled by id: the working order goes too.
    let a = post(&sb, "oto", OTO).await;
    a.assert_ok();
    let (working_id, pending_id) =
        (a.json["orders"][0]["orderId"].clone(), a.json["orders"][1]["orderId"].clone());
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "LTCBTC"), ("orderId", &pending_id.to_string())],
    )
    .await;
    c.assert_ok();
    assert_eq!(c.json["status"], "CANCELED");
    assert_eq!(order(&sb, &working_id).await["status"], "CANCELED");
    assert_eq!(list(&sb, &a.json["orderListId"]).await["listOrderStatus"], "ALL_DONE");
    assert_eq!(balance(&sb, "BTC").await.1, d("0"));

    // The working order cancelled: the pending order goes too.
    let b = post(&sb, "oto", OTO).await;
    b.assert_ok();
    let (working_id, pending_id) =
        (b.json["orders"][0]["orderId"].clone(), b.json["orders"][1]["orderId"].clone());
    call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &working_id.to_string())])
        .await
        .assert_ok();
    assert_eq!(order(&sb, &pending_id).await["status"], "CANCELED");
    assert_eq!(list(&sb, &b.json["orderListId"]).await["listStatusType"], "ALL_DONE");
    sb.shutdown().await;
}

#[tokio::test]
async fn oto_lists_are_queried_as_every_order_list() {
    let sb = empty_books().await;
    let a = post(&sb, "oto", &with(OTO, "listClientOrderId", "first")).await;
    a.assert_ok();
    let b = post(&sb, "otoco", OTOCO).await;
    b.assert_ok();
    let by_cid = call(&sb, Method::GET, "/api/v3/orderList", &[("origClientOrderId", "first")]).await;
    by_cid.assert_ok();
    assert_eq!(
        (&by_cid.json["orderListId"], &by_cid.json["contingencyType"]),
        (&a.json["orderListId"], &json!("OTO"))
    );
    assert_eq!(by_cid.json["orders"].as_array().map(Vec::len), Some(2));
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    let ids: Vec<&Value> = open.json.as_array().unwrap().iter().map(|l| &l["orderListId"]).collect();
    assert_eq!(ids, [&a.json["orderListId"], &b.json["orderListId"]], "{}", open.json);
    let all = call(&sb, Method::GET, "/api/v3/allOrderList", &[]).await;
    assert_eq!(all.json[0]["orderListId"], b.json["orderListId"], "newest first: {}", all.json);
    assert_eq!(all.json[0]["orders"].as_array().map(Vec::len), Some(3));
    // A second open list with the same listClientOrderId.
    post(&sb, "oto", &with(OTO, "listClientOrderId", "first")).await.assert_rejected(
        400,
        -2010,
        "Duplicate order sent.",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn oto_rejections_carry_their_codes_and_messages() {
    let sb = empty_books().await;
    let cases: Vec<(&str, Pairs, i64, &str)> = vec![
        (
            "oto",
            with(OTO, "workingType", "MARKET"),
            -1130,
            "Data sent for parameter 'workingType' is not valid.",
        ),
        ("oto", with(OTO, "workingType", "LIMITED"), -1116, "Invalid orderType."),
        (
            "oto",
            with(OTO, "pendingQuantity", ""),
            -1102,
            "Mandatory parameter 'pendingQuantity' was not sent, was empty/null, or malformed.",
        ),
        (
            "oto",
            with(OTO, "pendingTimeInForce", ""),
            -1102,
            "Mandatory parameter 'pendingTimeInForce' was not sent, was empty/null, or malformed.",
        ),
        (
            "oto",
            with(OTO, "pendingStopPrice", "0.001"),
            -1106,
            "Parameter 'pendingStopPrice' sent when not required.",
        ),
        ("oto", with(OTO, "pendingPrice", "0.0030001"), -1013, "Filter failure: PRICE_FILTER"),
        ("oto", with(OTO, "workingQuantity", "0.0001"), -1013, "Filter failure: LOT_SIZE"),
        ("oto", with(OTO, "pendingSide", "SIDEWAYS"), -1117, "Invalid side."),
        (
            "oto",
            with(OTO, "pendingTrailingDelta", "100"),
            -1106,
            "Parameter 'pendingTrailingDelta' sent when not required.",
        ),
        ("oto", with(OTO, "workingIcebergQty", "2"), -2010, "IcebergQty exceeds QTY."),
        (
            "oto",
            // Priced from the book, which has no bid to peg to.
            with(OTO, "workingPegPriceType", "PRIMARY_PEG"),
            -2010,
            "Order book liquidity is too low for this pegged order.",
        ),
        ("oto", with(OTO, "pendingStrategyType", "999999"), -1134, "strategyType was less than 1000000."),
        ("otoco", with(OTOCO, "pendingAboveType", "LIMIT"), -1158, "Order type not supported in OCO."),
        ("otoco", with(OTOCO, "pendingSide", "BUY"), -1165, "A limit order in a buy OCO must be below."),
        (
            "otoco",
            with(OTOCO, "pendingBelowType", "LIMIT_MAKER"),
            -1168,
            "At least one OCO order must be contingent.",
        ),
        ("opo", with(OPO, "workingSide", "SELL"), -1222, "Working order in an OPO list must be a bid."),
        ("opo", with(OPO, "pendingSide", "BUY"), -1223, "Pending orders in an OPO list must be asks."),
        ("opoco", with(OPOCO, "pendingSide", "BUY"), -1223, "Pending orders in an OPO list must be asks."),
        (
            "otoco",
            with(OTOCO, "pendingAbovePrice", "0.001"),
            -2010,
            "The relationship of the prices for the orders is not correct.",
        ),
        (
            "oto",
            with(OTO, "workingQuantity", "1000"),
            -2010,
            "Account has insufficient balance for requested action.",
        ),
    ];
    for (kind, pairs, code, msg) in cases {
        let a = post(&sb, kind, &pairs).await;
        assert_eq!((a.status, a.code(), a.msg()), (400, code, msg), "{kind} {pairs:?}: {a:?}");
        assert!(a.hint.is_some(), "no hint: {a:?}");
    }
    // An OPO's pending quantity is not a parameter of its own.
    let a = post(&sb, "opo", &with(OPO, "pendingQuantity", "1")).await;
    assert_eq!(a.code(), -1104, "{a:?}");
    // Nothing was placed by any of them.
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "LTCBTC")]).await;
    assert_eq!(open.json, json!([]));
    sb.shutdown().await;
}

#[tokio::test]
async fn an_oto_list_survives_a_restart_pending() {
    let dir = TempDir::new("mbx-sandbox-oto-lists");
    let start = || TestSandbox::start_with(Sandbox::builder().data_dir(dir.path()).market_maker(false));
    let sb = start().await;
    let bob = trader(&sb, "bob").await;
    let o = post(&sb, "opo", OPO).await;
    o.assert_ok();
    let a = post(&sb, "otoco", OTOCO).await;
    a.assert_ok();
    // The OPO buys half before the restart: what it bought stays held.
    bob.limit(&sb, "SELL", "1", "0.002").await;
    let list_id = a.json["orderListId"].clone();
    let before = list(&sb, &list_id).await;
    let opo_pending = o.json["orders"][1]["orderId"].clone();
    sb.shutdown().await;

    let sb = start().await;
    assert_eq!(list(&sb, &list_id).await, before);
    let tp = order_by_client_id(&sb, "tp").await;
    assert_eq!((&tp["status"], &tp["strategyType"]), (&json!("PENDING_NEW"), &json!(1_000_001)), "{tp}");
    assert_eq!(order(&sb, &opo_pending).await["status"], "PENDING_NEW");
    assert_eq!(balance(&sb, "LTC").await.1, d("1"));
    // Bob fills the rest of the OPO's working order, then the OTOCO's (same price, older first).
    bob.limit(&sb, "SELL", "2", "0.002").await;
    let tp = order_by_client_id(&sb, "tp").await;
    assert_eq!((&tp["status"], &tp["isWorking"]), (&json!("NEW"), &json!(true)), "{tp}");
    let p = order(&sb, &opo_pending).await;
    assert_eq!((&p["status"], &p["origQty"]), (&json!("NEW"), &json!("2.00000000")), "{p}");
    // Held now: the OTOCO's pair (1) and the OPO's pending sell (2).
    assert_eq!(balance(&sb, "LTC").await.1, d("3"));
    sb.shutdown().await;
}

// ---- the WebSocket API ----

/// `params` plus the demo `apiKey`, a fresh `timestamp` and the HMAC `signature`.
fn ws_signed(params: Value) -> Value {
    Value::Object(crate::ws::signed(params))
}

fn as_object(pairs: &[(&str, &str)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect())
}

/// Sends a request and reads frames until its answer; returns the answer and the events before it.
async fn ask(ws: &mut Socket, id: &str, method: &str, params: Value) -> (Value, Vec<Value>) {
    let request = json!({"id": id, "method": method, "params": ws_signed(params)});
    ws.send(Message::Text(request.to_string().into())).await.expect("frame sent");
    let mut events = Vec::new();
    loop {
        let f = next_json(ws).await;
        if f["id"] == id {
            return (f, events);
        }
        events.push(f["event"].clone());
    }
}

/// Events of `ws` until one satisfies `pick`, all of them.
async fn events_until(ws: &mut Socket, pick: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let e = next_json(ws).await["event"].clone();
        let done = pick(&e);
        events.push(e);
        if done {
            return events;
        }
    }
}

#[tokio::test]
async fn ws_api_places_each_list_and_reports_every_state_of_every_order() {
    let sb = empty_books().await;
    let bob = trader(&sb, "bob").await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let (sub, _) = ask(&mut ws, "sub", "userDataStream.subscribe.signature", json!({})).await;
    assert_eq!(sub["status"], 200, "{sub}");

    let (placed, mut events) =
        ask(&mut ws, "oto", "orderList.place.oto", as_object(&with(OTO, "workingStrategyId", "42"))).await;
    assert_eq!(placed["status"], 200, "{placed}");
    let r = &placed["result"];
    assert_eq!(
        (&r["contingencyType"], &r["orderReports"][1]["status"]),
        (&json!("OTO"), &json!("PENDING_NEW"))
    );
    let orders: Vec<_> = placed["rateLimits"]
        .as_array()
        .expect("rateLimits")
        .iter()
        .filter(|l| l["rateLimitType"] == "ORDERS" && l["interval"] == "DAY")
        .map(|l| l["count"].as_u64())
        .collect();
    assert_eq!(orders, [Some(2)], "{placed}");
    let (working_id, pending_id) = (r["orders"][0]["orderId"].clone(), r["orders"][1]["orderId"].clone());
    // The events of the placement (they may come before or after the answer).
    if !events.iter().any(|e| e["e"] == "listStatus") {
        events.extend(events_until(&mut ws, |e| e["e"] == "listStatus").await);
    }
    let reports: Vec<(&Value, &Value, &Value)> =
        events.iter().filter(|e| e["e"] == "executionReport").map(|e| (&e["i"], &e["x"], &e["X"])).collect();
    assert_eq!(
        reports,
        [(&working_id, &json!("NEW"), &json!("NEW")), (&pending_id, &json!("NEW"), &json!("PENDING_NEW"))],
        "{events:?}"
    );
    let working_report = events.iter().find(|e| e["i"] == working_id).unwrap();
    assert_eq!(working_report["j"], 42, "{working_report}");
    let pending_report = events.iter().find(|e| e["i"] == pending_id).unwrap();
    assert!(pending_report.get("j").is_none(), "{pending_report}");
    assert_eq!(
        (&pending_report["g"], &pending_report["w"]),
        (&r["orderListId"], &json!(false)),
        "{pending_report}"
    );
    let ls = events.iter().find(|e| e["e"] == "listStatus").unwrap();
    assert_eq!(
        (&ls["c"], &ls["l"], &ls["L"], &ls["g"], &ls["O"].as_array().map(Vec::len)),
        (&json!("OTO"), &json!("EXEC_STARTED"), &json!("EXECUTING"), &r["orderListId"], &Some(2)),
        "{ls}"
    );

    // Bob fills the working order: its TRADE, then the pending order's NEW.
    bob.limit(&sb, "SELL", "2", "0.002").await;
    let events = events_until(&mut ws, |e| e["e"] == "executionReport" && e["i"] == pending_id).await;
    let trade = events
        .iter()
        .find(|e| e["e"] == "executionReport" && e["i"] == working_id)
        .expect("working's report");
    assert_eq!(
        (&trade["x"], &trade["X"], &trade["z"]),
        (&json!("TRADE"), &json!("FILLED"), &json!("2.00000000")),
        "{trade}"
    );
    let placed_now = events.last().unwrap();
    assert_eq!(
        (&placed_now["x"], &placed_now["X"], &placed_now["w"]),
        (&json!("NEW"), &json!("NEW"), &json!(true)),
        "{placed_now}"
    );

    // The other lists, by the WebSocket API.
    for (id, method, pairs, n) in [
        ("otoco", "orderList.place.otoco", with(OTOCO, "listClientOrderId", "ws-bracket"), 3),
        ("opo", "orderList.place.opo", OPO.to_vec(), 2),
        ("opoco", "orderList.place.opoco", OPOCO.to_vec(), 3),
    ] {
        let (a, _) = ask(&mut ws, id, method, as_object(&pairs)).await;
        assert_eq!(a["status"], 200, "{a}");
        assert_eq!(a["result"]["orderReports"].as_array().map(Vec::len), Some(n), "{a}");
        assert!(
            a["result"]["orderReports"].as_array().unwrap()[1..].iter().all(|o| o["status"] == "PENDING_NEW"),
            "{a}"
        );
    }
    // A rejection has its code in the error frame.
    let (bad, _) =
        ask(&mut ws, "bad", "orderList.place.opo", as_object(&with(OPO, "workingSide", "SELL"))).await;
    assert_eq!((&bad["status"], &bad["error"]["code"]), (&json!(400), &json!(-1222)), "{bad}");
    // Cancel by the WebSocket API: every order of the list.
    let (c, _) = ask(
        &mut ws,
        "cancel",
        "orderList.cancel",
        json!({"symbol": "LTCBTC", "listClientOrderId": "ws-bracket"}),
    )
    .await;
    assert_eq!(c["result"]["listOrderStatus"], "ALL_DONE", "{c}");
    assert_eq!(c["result"]["orderReports"].as_array().map(Vec::len), Some(3), "{c}");
    let open = call(&sb, Method::GET, "/api/v3/openOrderList", &[]).await;
    assert_eq!(open.json.as_array().map(Vec::len), Some(3), "the OTO, OPO and OPOCO: {}", open.json);
    sb.shutdown().await;
}
