//! Self-trade prevention in every STP mode and its record (`GET /api/v3/myPreventedMatches`,
//! `myPreventedMatches`): the orders' states, the prevented match's fields, the query combinations
//! with their weights and errors, the `TRADE_PREVENTION` reports and a restart.

use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Answer, balance, call, d, empty_books, get, place};
use crate::ws::{answer_to, connect, signed, until};

/// A LIMIT GTC order on LTCBTC at 0.002 by the demo account with self-trade prevention `mode`.
async fn limit(sb: &TestSandbox, side: &str, qty: &str, mode: &str) -> Answer {
    let a = place(
        sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", side),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", qty),
            ("price", "0.002"),
            ("selfTradePreventionMode", mode),
        ],
    )
    .await;
    a.assert_ok();
    a
}

async fn prevented(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::GET, "/api/v3/myPreventedMatches", pairs).await
}

async fn order(sb: &TestSandbox, id: &Value) -> Value {
    let q =
        call(sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id.to_string())]).await;
    q.assert_ok();
    q.json
}

/// One case: the maker's mode, the taker's, what each ends as, the mode recorded, and the
/// quantities the record shows (taker, maker).
struct Case {
    maker: &'static str,
    taker: &'static str,
    maker_status: &'static str,
    taker_status: &'static str,
    recorded: &'static str,
    taker_qty: Option<&'static str>,
    maker_qty: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        maker: "NONE",
        taker: "EXPIRE_TAKER",
        maker_status: "NEW",
        taker_status: "EXPIRED_IN_MATCH",
        recorded: "EXPIRE_TAKER",
        taker_qty: Some("2.00000000"),
        maker_qty: None,
    },
    Case {
        maker: "NONE",
        taker: "EXPIRE_MAKER",
        maker_status: "EXPIRED_IN_MATCH",
        taker_status: "NEW",
        recorded: "EXPIRE_MAKER",
        taker_qty: None,
        maker_qty: Some("6.00000000"),
    },
    Case {
        maker: "EXPIRE_MAKER",
        taker: "EXPIRE_BOTH",
        maker_status: "EXPIRED_IN_MATCH",
        taker_status: "EXPIRED_IN_MATCH",
        recorded: "EXPIRE_BOTH",
        taker_qty: Some("2.00000000"),
        maker_qty: Some("6.00000000"),
    },
    Case {
        maker: "NONE",
        taker: "DECREMENT",
        maker_status: "NEW",
        taker_status: "EXPIRED_IN_MATCH",
        recorded: "DECREMENT",
        taker_qty: Some("2.00000000"),
        maker_qty: Some("2.00000000"),
    },
    Case {
        maker: "TRANSFER",
        taker: "TRANSFER",
        maker_status: "NEW",
        taker_status: "EXPIRED_IN_MATCH",
        recorded: "TRANSFER",
        taker_qty: Some("2.00000000"),
        maker_qty: Some("2.00000000"),
    },
    Case {
        maker: "EXPIRE_TAKER",
        taker: "TRANSFER",
        maker_status: "NEW",
        taker_status: "EXPIRED_IN_MATCH",
        recorded: "DECREMENT",
        taker_qty: Some("2.00000000"),
        maker_qty: Some("2.00000000"),
    },
];

#[tokio::test]
async fn every_stp_mode_prevents_and_records_the_match() {
    let info = {
        let sb = empty_books().await;
        let info = get(&sb, "/api/v3/exchangeInfo?symbol=LTCBTC").await.json;
        sb.shutdown().await;
        info
    };
    assert_eq!(
        info["symbols"][0]["allowedSelfTradePreventionModes"],
        json!(["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT", "TRANSFER"])
    );
    for case in CASES {
        let sb = empty_books().await;
        let maker = limit(&sb, "BUY", "6", case.maker).await;
        let taker = limit(&sb, "SELL", "2", case.taker).await;
        let (m, t) = (&maker.json["orderId"], &taker.json["orderId"]);
        let what = format!("{} maker, {} taker", case.maker, case.taker);
        assert_eq!(taker.json["status"], case.taker_status, "{what}: {}", taker.json);
        assert_eq!(taker.json["fills"], json!([]), "{what}: nothing traded");
        let (mo, to) = (order(&sb, m).await, order(&sb, t).await);
        assert_eq!(mo["status"], case.maker_status, "{what}: {mo}");
        let id =
            to["preventedMatchId"].as_u64().or(mo["preventedMatchId"].as_u64()).expect("preventedMatchId");
        let by_id = prevented(&sb, &[("symbol", "LTCBTC"), ("preventedMatchId", &id.to_string())]).await;
        by_id.assert_ok();
        let mut want = json!({
            "symbol": "LTCBTC", "preventedMatchId": id, "takerOrderId": t, "makerSymbol": "LTCBTC",
            "makerOrderId": m, "tradeGroupId": -1, "selfTradePreventionMode": case.recorded,
            "price": "0.00200000",
        });
        if let Some(q) = case.taker_qty {
            want["takerPreventedQuantity"] = json!(q);
        }
        if let Some(q) = case.maker_qty {
            want["makerPreventedQuantity"] = json!(q);
        }
        want["transactTime"] = by_id.json[0]["transactTime"].clone();
        assert!(want["transactTime"].is_u64(), "{what}: {}", by_id.json);
        assert_eq!(by_id.json, json!([want]), "{what}");
        // The taker's FULL answer lists it too (stp_faq.md's examples).
        let mut listed = json!({"preventedMatchId": id, "makerOrderId": m, "price": "0.00200000"});
        for key in ["takerPreventedQuantity", "makerPreventedQuantity"] {
            if let Some(q) = want.get(key) {
                listed[key] = q.clone();
            }
        }
        assert_eq!(taker.json["preventedMatches"], json!([listed]), "{what}: {}", taker.json);
        // Both orders find it by their id.
        for o in [m, t] {
            let rows = prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &o.to_string())]).await;
            assert_eq!(rows.json, json!([want]), "{what}, by orderId {o}");
        }
        // What the prevention left locked: the maker's rest (BTC), the taker's if it rests (LTC).
        let maker_rest =
            if case.maker_status == "NEW" { 6 - 2 * i64::from(case.maker_qty.is_some()) } else { 0 };
        assert_eq!(
            balance(&sb, "BTC").await.1,
            d("0.002") * rust_decimal::Decimal::from(maker_rest),
            "{what}"
        );
        let taker_locked = if case.taker_status == "NEW" { d("2") } else { d("0") };
        assert_eq!(balance(&sb, "LTC").await.1, taker_locked, "{what}");
        sb.shutdown().await;
    }
}

/// `now` is `before` plus `weight`, or `weight` alone if the minute rolled over in between.
#[track_caller]
fn spent(before: &Answer, now: &Answer, weight: u32) {
    let (b, n) = (before.weight.unwrap(), now.weight.unwrap());
    assert!(n == b + weight || n == weight, "{n} after {b}: expected {weight} more");
}

#[tokio::test]
async fn prevented_matches_query_combinations_weights_and_errors() {
    let sb = empty_books().await;
    let maker = limit(&sb, "BUY", "6", "NONE").await;
    let id = maker.json["orderId"].to_string();
    limit(&sb, "SELL", "1", "DECREMENT").await;
    limit(&sb, "SELL", "1", "DECREMENT").await;
    limit(&sb, "SELL", "1", "DECREMENT").await;
    let all = prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id)]).await;
    all.assert_ok();
    let rows = all.json.as_array().unwrap().clone();
    assert_eq!(rows.len(), 3, "{}", all.json);
    assert_eq!(order(&sb, &maker.json["orderId"]).await["preventedQuantity"], "3.00000000");
    let second = rows[1]["preventedMatchId"].to_string();
    let page = prevented(
        &sb,
        &[("symbol", "LTCBTC"), ("orderId", &id), ("fromPreventedMatchId", &second), ("limit", "1")],
    )
    .await;
    assert_eq!(page.json, json!([rows[1]]));
    let from =
        prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id), ("fromPreventedMatchId", &second)]).await;
    assert_eq!(from.json, json!([rows[1], rows[2]]));

    // Weights: 2 by preventedMatchId, 20 by orderId, 2 for an invalid symbol.
    let one = prevented(&sb, &[("symbol", "LTCBTC"), ("preventedMatchId", &second)]).await;
    assert_eq!(one.json, json!([rows[1]]));
    let by_order = prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id)]).await;
    spent(&one, &by_order, 20);
    let by_match = prevented(&sb, &[("symbol", "LTCBTC"), ("preventedMatchId", &second)]).await;
    spent(&by_order, &by_match, 2);
    let invalid = prevented(&sb, &[("symbol", "NOPE"), ("orderId", &id)]).await;
    invalid.assert_rejected(400, -1121, "Invalid symbol.");
    spent(&by_match, &invalid, 2);
    // Another symbol, or another order, has none.
    assert_eq!(prevented(&sb, &[("symbol", "BTCUSDT"), ("orderId", &id)]).await.json, json!([]));
    assert_eq!(prevented(&sb, &[("symbol", "LTCBTC"), ("preventedMatchId", "999")]).await.json, json!([]));

    prevented(&sb, &[("symbol", "LTCBTC")]).await.assert_rejected(
        400,
        -1102,
        "Param 'preventedMatchId' or 'orderId' must be sent, but both were empty/null!",
    );
    prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id), ("preventedMatchId", &second)])
        .await
        .assert_rejected(400, -1128, "Combination of optional parameters invalid.");
    prevented(&sb, &[("symbol", "LTCBTC"), ("preventedMatchId", &second), ("fromPreventedMatchId", "1")])
        .await
        .assert_rejected(400, -1128, "Combination of optional parameters invalid.");
    prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id), ("limit", "1")]).await.assert_rejected(
        400,
        -1128,
        "Combination of optional parameters invalid.",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_trade_prevention_reports_and_my_prevented_matches() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = answer_to(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    let maker = limit(&sb, "BUY", "6", "NONE").await;
    let m = maker.json["orderId"].clone();
    let taker = limit(&sb, "SELL", "2", "DECREMENT").await;
    let t = taker.json["orderId"].clone();
    let match_id = taker.json["preventedMatchId"].clone();
    assert!(match_id.is_u64(), "{}", taker.json);

    let mut reports = Vec::new();
    while reports.len() < 2 {
        let f = until(&mut ws, |f| f["event"]["x"] == "TRADE_PREVENTION").await;
        reports.push(f["event"].clone());
    }
    let of = |id: &Value| reports.iter().find(|e| e["i"] == *id).cloned().expect("a report");
    let (te, me) = (of(&t), of(&m));
    assert_eq!(
        (&te["X"], &te["v"], &te["A"], &te["B"], &te["u"], &te["U"], &te["Cs"]),
        (
            &json!("EXPIRED_IN_MATCH"),
            &match_id,
            &json!("2.00000000"),
            &json!("2.00000000"),
            &json!(-1),
            &m,
            &json!("LTCBTC")
        ),
        "{te}"
    );
    assert_eq!(
        (&te["pl"], &te["pL"], &te["pY"]),
        (&json!("2.00000000"), &json!("0.00200000"), &json!("0.00400000"))
    );
    assert_eq!(
        (&me["X"], &me["v"], &me["A"], &me["B"], &me["U"], &me["V"]),
        (&json!("NEW"), &match_id, &json!("2.00000000"), &json!("2.00000000"), &t, &json!("NONE")),
        "{me}"
    );

    let rows = answer_to(
        &mut ws,
        json!({"id": "q", "method": "myPreventedMatches",
               "params": signed(json!({"symbol": "LTCBTC", "preventedMatchId": match_id}))}),
    )
    .await;
    assert_eq!(rows["status"], 200, "{rows}");
    assert_eq!((&rows["result"][0]["takerOrderId"], &rows["result"][0]["makerOrderId"]), (&t, &m));
    let weight = rows["rateLimits"][0]["count"].as_u64().unwrap();
    let heavy = answer_to(
        &mut ws,
        json!({"id": "r", "method": "myPreventedMatches", "params": signed(json!({"symbol": "LTCBTC", "orderId": m}))}),
    )
    .await;
    let now = heavy["rateLimits"][0]["count"].as_u64().unwrap();
    assert!(now == weight + 20 || now == 20, "{now} after {weight}");
    assert_eq!(heavy["result"], rows["result"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn prevented_matches_survive_a_restart() {
    let dir = TempDir::new("mbx-sandbox-stp");
    let builder = || mbx_sandbox::Sandbox::builder().data_dir(dir.path()).market_maker(false);
    let sb = TestSandbox::start_with(builder()).await;
    let maker = limit(&sb, "BUY", "6", "NONE").await;
    let first = limit(&sb, "SELL", "2", "EXPIRE_MAKER").await;
    let id = maker.json["orderId"].to_string();
    let before = prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id)]).await.json;
    assert_eq!(before.as_array().map(Vec::len), Some(1));
    sb.shutdown().await;

    let sb = TestSandbox::start_with(builder()).await;
    assert_eq!(prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &id)]).await.json, before);
    // The resting taker is now the maker of the next prevention; its id comes after the first.
    let again = limit(&sb, "BUY", "1", "EXPIRE_TAKER").await;
    let next = again.json["preventedMatchId"].as_u64().expect("prevented");
    assert!(next > before[0]["preventedMatchId"].as_u64().unwrap(), "ids go on after a restart");
    let rows = prevented(&sb, &[("symbol", "LTCBTC"), ("orderId", &first.json["orderId"].to_string())]).await;
    assert_eq!(rows.json.as_array().map(Vec::len), Some(2), "{}", rows.json);
    sb.shutdown().await;
}

#[tokio::test]
async fn decrement_then_trades_are_reported_in_the_order_they_happened() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = answer_to(
        &mut ws,
        json!({"id": "s", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    // The demo account's own bid above the market maker's: the first a sell meets.
    let (bid, _) = crate::support::best(&sb, "BTCUSDT").await;
    let own_price = (bid + d("0.01")).to_string();
    let own = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.001"),
            ("price", &own_price),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    own.assert_ok();
    let sell = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "MARKET"),
            ("quantity", "0.003"),
            ("selfTradePreventionMode", "DECREMENT"),
        ],
    )
    .await;
    sell.assert_ok();
    assert_eq!(
        (&sell.json["status"], &sell.json["executedQty"], &sell.json["preventedQuantity"]),
        (&json!("FILLED"), &json!("0.00200000"), &json!("0.00100000")),
        "0.001 prevented against its own bid, 0.002 traded with the market maker: {}",
        sell.json
    );
    let taker = sell.json["orderId"].clone();
    let mut seen = Vec::new();
    loop {
        let f = until(&mut ws, |f| f["event"]["e"] == "executionReport" && f["event"]["i"] == taker).await;
        let e = f["event"].clone();
        let done = e["X"] == "FILLED";
        seen.push(e);
        if done {
            break;
        }
    }
    let kinds: Vec<&str> = seen.iter().map(|e| e["x"].as_str().unwrap()).collect();
    assert_eq!(kinds[..2], ["NEW", "TRADE_PREVENTION"], "{kinds:?}");
    assert!(kinds[2..].iter().all(|k| *k == "TRADE"), "{kinds:?}");
    let p = &seen[1];
    assert_eq!(
        (&p["X"], &p["A"], &p["B"], &p["U"], &p["z"]),
        (
            &json!("NEW"),
            &json!("0.00100000"),
            &json!("0.00100000"),
            &own.json["orderId"],
            &json!("0.00000000")
        ),
        "{p}"
    );
    assert_eq!(seen.last().unwrap()["z"], "0.00200000");
    let rows = prevented(&sb, &[("symbol", "BTCUSDT"), ("orderId", &taker.to_string())]).await;
    assert_eq!(rows.json[0]["selfTradePreventionMode"], "DECREMENT", "{}", rows.json);
    assert_eq!(order_status(&sb, &own.json["orderId"]).await, "EXPIRED_IN_MATCH");
    sb.shutdown().await;
}

async fn order_status(sb: &TestSandbox, id: &Value) -> Value {
    let q =
        call(sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id.to_string())]).await;
    q.json["status"].clone()
}
