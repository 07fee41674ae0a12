//! Smart order routing (`POST /api/v3/sor/order`, `sor.order.place`, `sor/order/test`,
//! `sor.order.test`) over the symbol's one book, and the allocations it makes (`GET
//! /api/v3/myAllocations`, `myAllocations`): exchangeInfo's `sors`, the answer with its allocations,
//! the rejections, the user data events and a restart.

use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::support::{Answer, balance, best, call, d, dec, get};
use crate::ws::{answer_to, connect, signed, until};

async fn sor(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::POST, "/api/v3/sor/order", pairs).await
}

async fn allocations(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::GET, "/api/v3/myAllocations", pairs).await
}

const MARKET_BUY: &[(&str, &str)] =
    &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")];

#[tokio::test]
async fn exchange_info_lists_sors_for_usd_quoted_symbols() {
    let sb = TestSandbox::start().await;
    let all = get(&sb, "/api/v3/exchangeInfo").await;
    all.assert_ok();
    assert_eq!(
        all.json["sors"],
        json!([
            {"baseAsset": "BTC", "symbols": ["BTCUSDT"]},
            {"baseAsset": "ETH", "symbols": ["ETHUSDT"]},
            {"baseAsset": "BNB", "symbols": ["BNBUSDT"]},
        ])
    );
    let none = get(&sb, "/api/v3/exchangeInfo?symbol=LTCBTC").await;
    assert!(none.json.get("sors").is_none(), "{}", none.json);
    let btc = &all.json["symbols"][0];
    assert_eq!(btc["amendAllowed"], true);
    sb.shutdown().await;
}

#[tokio::test]
async fn sor_market_order_fills_as_allocations() {
    let sb = TestSandbox::start().await;
    let (_, ask) = best(&sb, "BTCUSDT").await;
    let before = call(&sb, Method::GET, "/api/v3/account", &[]).await;
    let usdt = crate::support::dec(
        &before.json["balances"].as_array().unwrap().iter().find(|b| b["asset"] == "USDT").unwrap()["free"],
    );
    let a = sor(&sb, MARKET_BUY).await;
    a.assert_ok();
    // A successful SOR order weighs nothing (CHANGELOG 2026-03-27); a failed one weighs 1.
    let (was, now) = (before.weight.unwrap(), a.weight.unwrap());
    assert!(now == was || now == 0, "{now} after {was}");
    let failed =
        sor(&sb, &[("symbol", "LTCBTC"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")]).await;
    assert!(failed.weight == Some(now + 1) || failed.weight == Some(1), "{failed:?} after {now}");
    assert_eq!(a.order_counts, Some((1, 1)), "an SOR order counts one order");
    let o = &a.json;
    assert_eq!(
        (&o["status"], &o["workingFloor"], &o["usedSor"], &o["orderListId"], &o["executedQty"]),
        (&json!("FILLED"), &json!("SOR"), &json!(true), &json!(-1), &json!("0.01000000")),
        "{o}"
    );
    let fills = o["fills"].as_array().unwrap();
    assert!(!fills.is_empty(), "{o}");
    assert_eq!(dec(&fills[0]["price"]), ask);
    for f in fills {
        assert_eq!((&f["matchType"], &f["tradeId"]), (&json!("ONE_PARTY_TRADE_REPORT"), &json!(-1)), "{f}");
        assert!(f["allocId"].is_u64(), "{f}");
        assert_eq!(f["commissionAsset"], "BTC");
    }
    let quote = dec(&o["cummulativeQuoteQty"]);
    assert_eq!(balance(&sb, "USDT").await.0, usdt - quote);
    let order_id = o["orderId"].to_string();

    let rows = allocations(&sb, &[("symbol", "BTCUSDT")]).await;
    rows.assert_ok();
    let rows = rows.json.as_array().unwrap().clone();
    assert_eq!(rows.len(), fills.len());
    let r = &rows[0];
    assert_eq!(
        (&r["symbol"], &r["allocationId"], &r["allocationType"], &r["orderId"], &r["orderListId"]),
        (&json!("BTCUSDT"), &fills[0]["allocId"], &json!("SOR"), &o["orderId"], &json!(-1))
    );
    assert_eq!(
        (&r["price"], &r["qty"], &r["commission"], &r["isBuyer"], &r["isMaker"], &r["isAllocator"]),
        (
            &fills[0]["price"],
            &fills[0]["qty"],
            &fills[0]["commission"],
            &json!(true),
            &json!(false),
            &json!(false)
        )
    );
    assert_eq!(dec(&r["quoteQty"]), dec(&r["price"]) * dec(&r["qty"]));
    assert!(r["time"].is_u64());
    // Allocations, not trades of the account.
    let trades =
        call(&sb, Method::GET, "/api/v3/myTrades", &[("symbol", "BTCUSDT"), ("orderId", &order_id)]).await;
    assert_eq!(trades.json, json!([]));
    // The combinations.
    let by_order = allocations(&sb, &[("symbol", "BTCUSDT"), ("orderId", &order_id)]).await;
    assert_eq!(by_order.json.as_array().map(Vec::len), Some(rows.len()));
    let last = rows.last().unwrap()["allocationId"].to_string();
    let from = allocations(&sb, &[("symbol", "BTCUSDT"), ("fromAllocationId", &last)]).await;
    assert_eq!(from.json, json!([rows.last().unwrap()]));
    let none = allocations(&sb, &[("symbol", "ETHUSDT")]).await;
    assert_eq!(none.json, json!([]));
    let time = r["time"].as_u64().unwrap().to_string();
    let since = allocations(&sb, &[("symbol", "BTCUSDT"), ("startTime", &time), ("limit", "1")]).await;
    assert_eq!(since.json, json!([r]));
    allocations(&sb, &[("symbol", "BTCUSDT"), ("startTime", "1"), ("endTime", "90000000")])
        .await
        .assert_rejected(400, -1127, "More than 24 hours between startTime and endTime.");
    allocations(&sb, &[("symbol", "BTCUSDT"), ("orderId", &order_id), ("startTime", &time)])
        .await
        .assert_rejected(400, -1128, "Combination of optional parameters invalid.");
    sb.shutdown().await;
}

#[tokio::test]
async fn sor_limit_rests_and_rejections() {
    let sb = TestSandbox::start().await;
    let (bid, _) = best(&sb, "BTCUSDT").await;
    let price = (bid - d("100")).to_string();
    let a = sor(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", &price),
            ("newOrderRespType", "RESULT"),
        ],
    )
    .await;
    a.assert_ok();
    assert_eq!((&a.json["status"], &a.json["usedSor"]), (&json!("NEW"), &json!(true)));
    assert!(a.json.get("fills").is_none(), "RESULT has no fills: {}", a.json);
    let (_, locked) = balance(&sb, "USDT").await;
    assert_eq!(locked, (bid - d("100")) * d("0.01"));

    sor(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT_MAKER"),
            ("quantity", "0.01"),
            ("price", &price),
        ],
    )
    .await
    .assert_rejected(400, -1116, "Invalid orderType.");
    // A stop type is refused as a type, not asked for a stopPrice SOR does not take.
    sor(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "STOP_LOSS"), ("quantity", "0.01")])
        .await
        .assert_rejected(400, -1116, "Invalid orderType.");
    sor(&sb, &[("symbol", "LTCBTC"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")])
        .await
        .assert_rejected(400, -1013, "This symbol has no SOR.");
    let q = sor(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "10")])
        .await;
    assert_eq!((q.status, q.code()), (400, -1104), "{q:?}");

    let test = call(&sb, Method::POST, "/api/v3/sor/order/test", MARKET_BUY).await;
    test.assert_ok();
    assert_eq!(test.json, json!({}));
    let mut pairs = MARKET_BUY.to_vec();
    pairs.push(("computeCommissionRates", "true"));
    let rates = call(&sb, Method::POST, "/api/v3/sor/order/test", &pairs).await;
    rates.assert_ok();
    let keys: Vec<&String> = rates.json.as_object().unwrap().keys().collect();
    // Binance's order (the docs' example).
    assert_eq!(keys, ["standardCommissionForOrder", "taxCommissionForOrder", "discount"]);
    assert_eq!(rates.json["standardCommissionForOrder"]["taker"], "0.00100000");
    // Weight 20 (or the minute rolled over in between and this is its first request).
    let (before, now) = (test.weight.unwrap(), rates.weight.unwrap());
    assert!(now == before + 20 || now == 20, "{now} after {before}");
    call(
        &sb,
        Method::POST,
        "/api/v3/sor/order/test",
        &[("symbol", "LTCBTC"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")],
    )
    .await
    .assert_rejected(400, -1013, "This symbol has no SOR.");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_sor_place_test_allocations_and_reports() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = answer_to(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    // Requests go over another connection, so that events and answers never race on one.
    let mut api = connect(&sb, "/ws-api/v3").await;
    let params = json!({"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.01"});
    let test =
        answer_to(&mut api, json!({"id": "t", "method": "sor.order.test", "params": signed(params.clone())}))
            .await;
    assert_eq!((&test["status"], &test["result"]), (&json!(200), &json!({})), "{test}");
    let placed =
        answer_to(&mut api, json!({"id": "p", "method": "sor.order.place", "params": signed(params)})).await;
    assert_eq!(placed["status"], 200, "{placed}");
    // Unlike `POST /api/v3/sor/order`, `sor.order.place` answers its order inside an array
    // (web-socket-api.md); the sandbox answered the bare object until binance-sdk-spot, whose model
    // reads a list, failed on it in tests/conformance.
    assert_eq!(placed["result"].as_array().map(Vec::len), Some(1), "{placed}");
    let r = &placed["result"][0];
    assert_eq!(
        (&r["workingFloor"], &r["usedSor"], &r["status"]),
        (&json!("SOR"), &json!(true), &json!("FILLED"))
    );
    let order_id = r["orderId"].clone();
    let orders: Vec<Value> = placed["rateLimits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["rateLimitType"] == "ORDERS")
        .map(|l| l["count"].clone())
        .collect();
    assert_eq!(orders, [json!(1), json!(1)], "{placed}");

    let new = until(&mut ws, |f| f["event"]["x"] == "NEW").await;
    assert_eq!((&new["event"]["k"], &new["event"]["uS"]), (&json!("SOR"), &json!(true)), "{new}");
    let trade = until(&mut ws, |f| f["event"]["x"] == "TRADE").await;
    let e = &trade["event"];
    assert_eq!(
        (&e["i"], &e["t"], &e["b"], &e["a"], &e["k"], &e["uS"]),
        (
            &order_id,
            &json!(-1),
            &json!("ONE_PARTY_TRADE_REPORT"),
            &r["fills"][0]["allocId"],
            &json!("SOR"),
            &json!(true)
        ),
        "{e}"
    );

    let rows = answer_to(
        &mut api,
        json!({"id": "m", "method": "myAllocations", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}),
    )
    .await;
    assert_eq!(rows["status"], 200, "{rows}");
    let qty: Decimal = rows["result"].as_array().unwrap().iter().map(|a| dec(&a["qty"])).sum();
    assert_eq!(qty, d("0.01"));
    let bad = answer_to(
        &mut api,
        json!({"id": "b", "method": "sor.order.place",
               "params": signed(json!({"symbol": "ETHBTC", "side": "BUY", "type": "MARKET", "quantity": "1"}))}),
    )
    .await;
    assert_eq!((&bad["status"], &bad["error"]["code"]), (&json!(400), &json!(-1013)), "{bad}");
    sb.shutdown().await;
}

#[tokio::test]
async fn allocations_survive_a_restart() {
    let dir = TempDir::new("mbx-sandbox-sor");
    let sb = TestSandbox::start_in(dir.path()).await;
    sor(&sb, MARKET_BUY).await.assert_ok();
    let before = allocations(&sb, &[("symbol", "BTCUSDT")]).await.json;
    assert!(!before.as_array().unwrap().is_empty());
    sb.shutdown().await;

    let sb = TestSandbox::start_in(dir.path()).await;
    assert_eq!(allocations(&sb, &[("symbol", "BTCUSDT")]).await.json, before);
    let again = sor(&sb, MARKET_BUY).await;
    again.assert_ok();
    let last = before.as_array().unwrap().last().unwrap()["allocationId"].as_u64().unwrap();
    assert!(
        again.json["fills"][0]["allocId"].as_u64().unwrap() > last,
        "allocation ids go on: {}",
        again.json
    );
    sb.shutdown().await;
}
