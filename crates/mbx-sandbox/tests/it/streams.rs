//! Market streams beyond `trade` (issue 15): names read by mbx-core, every control answer of the
//! docs' table, and the events the hub computes, over real loopback sockets.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mbx_testkit::TestSandbox;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{get, place};
use crate::ws::{Socket, connect, next_json};

async fn ask(ws: &mut Socket, request: Value) -> Value {
    ws.send(Message::Text(request.to_string().into())).await.expect("frame sent");
    next_json(ws).await
}

async fn ask_text(ws: &mut Socket, text: &str) -> Value {
    ws.send(Message::Text(text.to_owned().into())).await.expect("frame sent");
    next_json(ws).await
}

#[tokio::test]
async fn control_ids_and_errors_are_binance_s() {
    // More than Binance's 5 messages a second are sent here: the limit is raised for this test.
    let rules = mbx_sandbox::ws::hub::StreamRules { messages_per_second: 1000, ..Default::default() };
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().stream_rules(rules)).await;
    let mut ws = connect(&sb, "/ws").await;
    // Binance's Python SDK sends UUIDs: strings of up to 36 characters are ids (CHANGELOG).
    let uuid = "3ef8201c-41e4-458b-aedf-8c850df84226";
    assert_eq!(
        ask(&mut ws, json!({"method": "SUBSCRIBE", "params": ["btcusdt@aggTrade"], "id": uuid})).await,
        json!({"result": null, "id": uuid})
    );
    assert_eq!(
        ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": -7})).await,
        json!({"result": ["btcusdt@aggTrade"], "id": -7})
    );
    assert_eq!(ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": null})).await["id"], Value::Null);
    let a = ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": {"x": 1}})).await;
    assert_eq!(a, json!({"code": 2, "msg": "Invalid request: request ID must be an unsigned integer"}));
    let a = ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": "x".repeat(37)})).await;
    assert_eq!(a["code"], 2, "{a}");
    // The id must be sent ("had to be provided"), and a string id is alphanumeric.
    let a = ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS"})).await;
    assert_eq!(a, json!({"code": 2, "msg": "Invalid request: request ID must be an unsigned integer"}));
    let a = ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": "bad id!"})).await;
    assert_eq!(a["code"], 2, "{a}");
    let a = ask_text(&mut ws, r#"{"method":"SUBSCRIBES","id":1}"#).await;
    assert!(a["msg"].as_str().unwrap().starts_with("Invalid request: unknown variant `SUBSCRIBES`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column"), "{a}");
    let a = ask_text(&mut ws, r#"{"params":[],"id":1}"#).await;
    assert!(
        a["msg"].as_str().unwrap().starts_with("Invalid request: missing field `method` at line 1 column"),
        "{a}"
    );
    let a = ask_text(&mut ws, "{nope").await;
    assert_eq!(a["code"], 3, "{a}");
    assert!(a["msg"].as_str().unwrap().starts_with("Invalid JSON: "), "{a}");
    let a = ask(&mut ws, json!({"method": "SET_PROPERTY", "params": ["combined", "yes"], "id": 2})).await;
    assert_eq!(a, json!({"code": 1, "msg": "Invalid value type: expected Boolean", "id": 2}));
    let a = ask(&mut ws, json!({"method": "GET_PROPERTY", "params": ["colour"], "id": 3})).await;
    assert_eq!(a, json!({"code": 0, "msg": "Unknown property", "id": 3}));
    // An unknown stream is an error, never a silent success, and nothing is subscribed.
    let a = ask(&mut ws, json!({"method": "SUBSCRIBE", "params": ["btcusdt@depth7"], "id": 4})).await;
    assert_eq!((a["code"].as_i64(), &a["id"]), (Some(2), &json!(4)), "{a}");
    assert!(a["msg"].as_str().unwrap().contains("btcusdt@depth7"), "{a}");
    assert_eq!(
        ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": 5})).await["result"],
        json!(["btcusdt@aggTrade"])
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn an_api_key_as_stream_path_is_named_in_the_hint_and_the_connection_stays() {
    let sb = TestSandbox::start().await;
    // Seed 001 connects to /ws/<API key>: Binance keeps such a connection open (ccxt relies on it,
    // connecting to /ws/0 and subscribing), so the sandbox says why in the upgrade's hint.
    let url = format!("ws://{}/ws/{}", sb.addr(), mbx_testkit::keys::DEMO_API_KEY);
    let (mut ws, response) = tokio_tungstenite::connect_async(url).await.expect("upgrade");
    let hint = response.headers().get("x-sandbox-hint").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(hint.contains("API key"), "{hint}");
    assert_eq!(
        ask(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": 1})).await,
        json!({"result": [], "id": 1})
    );
    // A symbol the sandbox does not list: taken, as Binance takes it, and said in the hint.
    let url = format!("ws://{}/ws/nopeusdt@trade", sb.addr());
    let (_ws, response) = tokio_tungstenite::connect_async(url).await.expect("upgrade");
    let hint = response.headers().get("x-sandbox-hint").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(hint.contains("No symbol NOPEUSDT"), "{hint}");
    let url = format!("ws://{}/ws/btcusdt@trade", sb.addr());
    let (_ws, response) = tokio_tungstenite::connect_async(url).await.expect("upgrade");
    assert!(response.headers().get("x-sandbox-hint").is_none());
    // ccxt's way: a numbered path, then SUBSCRIBE.
    let mut ws = connect(&sb, "/ws/0").await;
    let a = ask(&mut ws, json!({"method": "SUBSCRIBE", "params": ["btcusdt@trade"], "id": 2})).await;
    assert_eq!(a, json!({"result": null, "id": 2}));
    sb.shutdown().await;
}

/// Events of `ws` (combined) until every one of `streams` has sent one that shows the trade made
/// (a guard of 15 s: the statistics streams push every one or two seconds, and the first may have
/// been computed before the trade).
async fn first_events(ws: &mut Socket, streams: &[&str]) -> HashMap<String, Value> {
    let shows_trade = |d: &Value| match d {
        Value::Array(list) => list.iter().any(|t| t["s"] == "BTCUSDT"),
        _ => d["n"].as_u64().or_else(|| d["k"]["n"].as_u64()).is_none_or(|n| n > 0) && d["v"] != "0.00000000",
    };
    let mut seen: HashMap<String, Value> = HashMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while streams.iter().any(|s| !seen.contains_key(*s)) {
        let frame = tokio::time::timeout_at(deadline, next_json(ws)).await.unwrap_or_else(|_| {
            panic!(
                "no event within 15 s on {:?}",
                streams.iter().filter(|s| !seen.contains_key(**s)).collect::<Vec<_>>()
            )
        });
        if let Some(name) = frame["stream"].as_str()
            && shows_trade(&frame["data"])
        {
            seen.entry(name.to_owned()).or_insert_with(|| frame["data"].clone());
        }
    }
    seen
}

#[tokio::test]
async fn agg_trades_match_the_rest_aggregates() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/stream?streams=btcusdt@aggTrade").await;
    let a =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.05")]).await;
    a.assert_ok();
    let rest = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT&limit=1000").await;
    let mut by_id: HashMap<u64, Value> = HashMap::new();
    for agg in rest.json.as_array().expect("aggTrades") {
        by_id.insert(agg["a"].as_u64().unwrap(), agg.clone());
    }
    let fills = a.json["fills"].as_array().unwrap().len();
    let mut covered = 0;
    while covered < fills {
        let e = next_json(&mut ws).await;
        let data = &e["data"];
        assert_eq!((&e["stream"], &data["e"]), (&json!("btcusdt@aggTrade"), &json!("aggTrade")), "{e}");
        let same = &by_id[&data["a"].as_u64().unwrap()];
        for (stream, rest) in [("p", "p"), ("q", "q"), ("f", "f"), ("l", "l"), ("T", "T"), ("m", "m")] {
            assert_eq!(data[stream], same[rest], "{stream}: {data} against {same}");
        }
        covered += usize::try_from(data["l"].as_u64().unwrap() - data["f"].as_u64().unwrap() + 1).unwrap();
    }
    assert_eq!(covered, fills);
    sb.shutdown().await;
}

#[tokio::test]
async fn statistics_streams_follow_the_trades() {
    let sb = TestSandbox::start().await;
    let streams = [
        "btcusdt@kline_1s",
        "btcusdt@kline_1m@+08:00",
        "btcusdt@miniTicker",
        "btcusdt@ticker",
        "btcusdt@ticker_1h",
        "btcusdt@avgPrice",
        "!miniTicker@arr",
        "!miniTicker@arr@1000ms",
        "!ticker_4h@arr",
        "btcusdt@referencePrice",
    ];
    let mut ws = connect(&sb, &format!("/stream?streams={}", streams.join("/"))).await;
    let a =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")]).await;
    a.assert_ok();
    let last_price = a.json["fills"].as_array().unwrap().last().unwrap()["price"].clone();
    let events = first_events(&mut ws, &streams).await;

    let k = &events["btcusdt@kline_1s"];
    assert_eq!((&k["e"], &k["s"], &k["k"]["i"]), (&json!("kline"), &json!("BTCUSDT"), &json!("1s")), "{k}");
    for field in ["o", "c", "h", "l", "v", "q", "V", "Q"] {
        assert!(k["k"][field].as_str().is_some_and(|s| s.contains('.')), "{field}: {k}");
    }
    let k8 = &events["btcusdt@kline_1m@+08:00"]["k"];
    assert_eq!(k8["i"], "1m");
    assert_eq!(k8["T"].as_i64().unwrap() - k8["t"].as_i64().unwrap(), 59_999, "{k8}");

    let t = &events["btcusdt@ticker"];
    assert_eq!((&t["e"], &t["c"]), (&json!("24hrTicker"), &last_price), "{t}");
    assert!(t["n"].as_u64().unwrap() >= 1 && t["L"].as_i64().unwrap() >= t["F"].as_i64().unwrap(), "{t}");
    let m = &events["btcusdt@miniTicker"];
    assert_eq!((&m["e"], &m["c"]), (&json!("24hrMiniTicker"), &last_price), "{m}");
    let w = &events["btcusdt@ticker_1h"];
    assert_eq!(w["e"], "1hTicker", "{w}");
    assert_eq!(w["O"].as_u64().unwrap() % 60_000, 0, "the window opens on a minute: {w}");
    let avg = &events["btcusdt@avgPrice"];
    assert_eq!((&avg["e"], &avg["i"]), (&json!("avgPrice"), &json!("5m")), "{avg}");
    let arr = events["!miniTicker@arr"].as_array().expect("an array");
    assert!(arr.iter().any(|t| t["s"] == "BTCUSDT"), "{arr:?}");
    assert!(
        events["!miniTicker@arr@1000ms"].as_array().is_some_and(|a| a.iter().any(|t| t["s"] == "BTCUSDT"))
    );
    // No reference price is ever set: pushed every second all the same, with a null price.
    let r = &events["btcusdt@referencePrice"];
    assert_eq!(
        (&r["e"], &r["s"], &r["r"]),
        (&json!("referencePrice"), &json!("BTCUSDT"), &Value::Null),
        "{r}"
    );
    let arr4 = events["!ticker_4h@arr"].as_array().expect("an array");
    assert!(arr4.iter().all(|t| t["e"] == "4hTicker"), "{arr4:?}");
    sb.shutdown().await;
}

/// Parses `[["price","qty"], ...]` into a map.
fn book_side(levels: &Value) -> std::collections::BTreeMap<rust_decimal::Decimal, rust_decimal::Decimal> {
    levels
        .as_array()
        .expect("levels")
        .iter()
        .map(|l| (l[0].as_str().unwrap().parse().unwrap(), l[1].as_str().unwrap().parse().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_local_book_from_depth_100ms_equals_rest_depth() {
    let sb = crate::support::empty_books().await;
    let mut ws = connect(&sb, "/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker").await;
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut open: Vec<String> = Vec::new();
    let mut snapshot: Option<Value> = None;
    for i in 0..150 {
        if i == 60 {
            snapshot = Some(get(&sb, "/api/v3/depth?symbol=BTCUSDT&limit=5000").await.json);
        }
        let side = if next(2) == 0 { "BUY" } else { "SELL" };
        let price = format!("{}", 30_000 + next(11) * 10 - 50);
        let qty = format!("0.0{}", next(9) + 1);
        match next(10) {
            0..=6 => {
                let a = place(
                    &sb,
                    &[
                        ("symbol", "BTCUSDT"),
                        ("side", side),
                        ("type", "LIMIT"),
                        ("timeInForce", "GTC"),
                        ("quantity", &qty),
                        ("price", &price),
                        ("selfTradePreventionMode", "NONE"),
                    ],
                )
                .await;
                if let Some(id) = a.json["orderId"].as_u64() {
                    open.push(id.to_string());
                }
            }
            7 => {
                place(
                    &sb,
                    &[
                        ("symbol", "BTCUSDT"),
                        ("side", side),
                        ("type", "MARKET"),
                        ("quantity", &qty),
                        ("selfTradePreventionMode", "NONE"),
                    ],
                )
                .await;
            }
            _ if !open.is_empty() => {
                let id = open.swap_remove(usize::try_from(next(open.len() as u64)).unwrap());
                crate::support::call(
                    &sb,
                    axum::http::Method::DELETE,
                    "/api/v3/order",
                    &[("symbol", "BTCUSDT"), ("orderId", &id)],
                )
                .await;
            }
            _ => {}
        }
    }
    let end = get(&sb, "/api/v3/depth?symbol=BTCUSDT&limit=5000").await.json;
    let end_id = end["lastUpdateId"].as_u64().unwrap();
    let snapshot = snapshot.unwrap();
    let id = snapshot["lastUpdateId"].as_u64().unwrap();
    let (mut bids, mut asks) = (book_side(&snapshot["bids"]), book_side(&snapshot["asks"]));
    let mut previous: Option<u64> = None;
    let mut best: Option<Value> = None;
    // The docs' procedure, until the diffs reach the final depth.
    while previous.is_none_or(|p| p < end_id) {
        let frame = next_json(&mut ws).await;
        let data = &frame["data"];
        if frame["stream"] == "btcusdt@bookTicker" {
            best = Some(data.clone());
            continue;
        }
        assert_eq!(data["e"], "depthUpdate", "{frame}");
        let (first, last) = (data["U"].as_u64().unwrap(), data["u"].as_u64().unwrap());
        if last <= id {
            continue;
        }
        match previous {
            None => assert!(first <= id + 1 && id < last, "first diff {first}..{last}, snapshot {id}"),
            Some(p) => assert_eq!(first, p + 1, "diffs chain"),
        }
        for (side, key) in [(&mut bids, "b"), (&mut asks, "a")] {
            for (price, qty) in book_side(&data[key]) {
                if qty.is_zero() {
                    side.remove(&price);
                } else {
                    side.insert(price, qty);
                }
            }
        }
        previous = Some(last);
    }
    assert_eq!(previous, Some(end_id));
    assert_eq!(bids, book_side(&end["bids"]), "bids");
    assert_eq!(asks, book_side(&end["asks"]), "asks");
    // bookTicker follows the best levels (the last one seen matches the book, when it changed at all).
    if let Some(b) = best {
        assert_eq!(b["s"], "BTCUSDT");
        for field in ["b", "B", "a", "A"] {
            assert!(b[field].as_str().is_some_and(|s| s.contains('.')), "{b}");
        }
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn partial_depth_streams_show_the_top_levels() {
    let sb = TestSandbox::start().await;
    // The 1000 ms streams answer to their name with the speed written out too (Binance's
    // connectors build `@depth@1000ms`), under that name.
    let mut ws = connect(
        &sb,
        "/stream?streams=btcusdt@depth5@100ms/btcusdt@depth10/btcusdt@depth20@1000ms/btcusdt@depth@1000ms",
    )
    .await;
    // A resting order changes the book, for the diff stream.
    let order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC")];
    place(&sb, &[&order[..], &[("quantity", "0.01"), ("price", "20000")]].concat()).await.assert_ok();
    let events = first_events(
        &mut ws,
        &["btcusdt@depth5@100ms", "btcusdt@depth10", "btcusdt@depth20@1000ms", "btcusdt@depth@1000ms"],
    )
    .await;
    let diff = &events["btcusdt@depth@1000ms"];
    assert_eq!(diff["e"], "depthUpdate", "{diff}");
    assert!(diff["U"].as_u64() <= diff["u"].as_u64(), "{diff}");
    for (name, n) in [("btcusdt@depth5@100ms", 5), ("btcusdt@depth10", 10), ("btcusdt@depth20@1000ms", 20)] {
        let e = &events[name];
        assert!(e["lastUpdateId"].as_u64().is_some(), "{e}");
        let (b, a) = (e["bids"].as_array().unwrap(), e["asks"].as_array().unwrap());
        assert!(!b.is_empty() && b.len() <= n && a.len() <= n, "{e}");
        let price = |l: &Value| l[0].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
        assert!(price(&b[0]) < price(&a[0]), "{e}");
    }
    sb.shutdown().await;
}

/// A symbol of non-ASCII letters (Binance lists such symbols) streams like any other, by its name
/// in the path (percent-encoded) or in a SUBSCRIBE; its events carry it in UTF-8.
#[tokio::test]
async fn a_non_ascii_symbol_streams_its_trades() {
    let sb = TestSandbox::start().await;
    let mut raw = connect(&sb, "/ws/%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456@trade").await;
    let mut subscribed = connect(&sb, "/ws").await;
    let ack =
        ask(&mut subscribed, json!({"method": "SUBSCRIBE", "params": ["这是测试币456@aggTrade"], "id": 1}))
            .await;
    assert_eq!(ack, json!({"result": null, "id": 1}));
    place(&sb, &[("symbol", "这是测试币456"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "10")])
        .await
        .assert_ok();
    for (ws, kind) in [(&mut raw, "trade"), (&mut subscribed, "aggTrade")] {
        let e = next_json(ws).await;
        assert_eq!((&e["e"], &e["s"]), (&json!(kind), &json!("这是测试币456")), "{e}");
    }
    sb.shutdown().await;
}

/// The next close frame's code and reason (other frames skipped; a guard of 10 s).
async fn close_of(ws: &mut Socket) -> (u16, String) {
    loop {
        let frame =
            tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("a frame").expect("open");
        match frame {
            Ok(Message::Close(Some(c))) => return (u16::from(c.code), c.reason.to_string()),
            Ok(Message::Close(None)) => return (1005, String::new()),
            Ok(_) => continue,
            Err(e) => panic!("read error before the close: {e}"),
        }
    }
}

#[tokio::test]
async fn connections_end_at_their_lifetime_and_over_5_messages_a_second() {
    let rules =
        mbx_sandbox::ws::hub::StreamRules { lifetime: Duration::from_millis(300), ..Default::default() };
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().stream_rules(rules)).await;
    let mut ws = connect(&sb, "/ws/btcusdt@trade").await;
    let (code, reason) = close_of(&mut ws).await;
    assert_eq!(code, 1000);
    assert!(reason.contains("lifetime"), "{reason}");
    sb.shutdown().await;

    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws").await;
    for id in 0..6 {
        ws.send(Message::Text(json!({"method": "LIST_SUBSCRIPTIONS", "id": id}).to_string().into()))
            .await
            .expect("sent");
    }
    for id in 0..5 {
        assert_eq!(next_json(&mut ws).await["id"], id);
    }
    let (code, reason) = close_of(&mut ws).await;
    assert_eq!(code, 1008);
    assert!(reason.starts_with("Too many requests"), "{reason}");
    sb.shutdown().await;
}

#[tokio::test]
async fn time_unit_microsecond_scales_the_times_only() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws/btcusdt@trade?timeUnit=MICROSECOND").await;
    let a =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")]).await;
    a.assert_ok();
    let e = next_json(&mut ws).await;
    let ms = a.json["transactTime"].as_u64().unwrap();
    let t = e["T"].as_u64().unwrap();
    assert_eq!(t, ms * 1000, "trade time in microseconds: {e}");
    assert!(e["E"].as_u64().unwrap() >= t, "{e}");
    assert_eq!(e["t"], a.json["fills"][0]["tradeId"], "the trade id is not a time: {e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn connections_over_the_per_address_limit_are_refused() {
    let rules = mbx_sandbox::ws::hub::StreamRules { connections_per_5m: 2, ..Default::default() };
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().stream_rules(rules)).await;
    let _a = connect(&sb, "/ws/btcusdt@trade").await;
    let _b = connect(&sb, "/stream?streams=btcusdt@trade").await;
    let refused = tokio_tungstenite::connect_async(format!("ws://{}/ws", sb.addr())).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429);
            let hint =
                response.headers().get("x-sandbox-hint").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(hint.contains("5 minutes"), "{hint}");
        }
        other => panic!("expected HTTP 429, got {other:?}"),
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_kline_subscriber_is_never_sent_the_close_of_a_candle_that_ended_before_it_came() {
    let sb = TestSandbox::start().await;
    place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
        .await
        .assert_ok();
    let mut ws = connect(&sb, "/ws/btcusdt@kline_1m").await;
    // The trade's candle, open; or, when the minute ended as the subscriber came (CI hit that
    // once), its close within a push of its end, then the next candle.
    let mut first = next_json(&mut ws).await;
    while first["k"]["x"] == true {
        let late = first["E"].as_i64().unwrap() - first["k"]["T"].as_i64().unwrap();
        assert!(late <= 3_000, "a close {late} ms late: {first}");
        first = next_json(&mut ws).await;
    }
    drop(ws);
    // A minute and a half later (the sandbox clock moved on), a new subscriber.
    crate::support::admin(&sb, "/sandbox/v1/clock", json!({"offsetMs": 90_000})).await.assert_ok();
    let mut ws = connect(&sb, "/ws/btcusdt@kline_1m").await;
    // A candle that closes right now may come closed first (within a push of its end); never the
    // one that ended while nobody listened.
    let mut e = next_json(&mut ws).await;
    while e["k"]["x"] == true {
        let late = e["E"].as_i64().unwrap() - e["k"]["T"].as_i64().unwrap();
        assert!(late <= 3_000, "a close {late} ms late: {e}");
        e = next_json(&mut ws).await;
    }
    assert!(e["k"]["t"].as_i64() > first["k"]["t"].as_i64(), "{e} after {first}");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_all_market_ticker_array_holds_only_the_tickers_that_changed() {
    let sb = TestSandbox::start().await;
    let trade = |symbol: &'static str| {
        let sb = &sb;
        async move {
            place(sb, &[("symbol", symbol), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
                .await
                .assert_ok();
        }
    };
    trade("BTCUSDT").await;
    let mut ws = connect(&sb, "/ws/!miniTicker@arr").await;
    let first = next_json(&mut ws).await;
    assert!(first.as_array().is_some_and(|a| a.iter().any(|t| t["s"] == "BTCUSDT")), "{first}");
    // ETHUSDT trades; BTCUSDT does not: the next arrays hold ETHUSDT alone.
    trade("ETHUSDT").await;
    let next = loop {
        let e = next_json(&mut ws).await;
        assert!(
            e.as_array().is_some_and(|a| a.iter().all(|t| t["s"] != "BTCUSDT")),
            "unchanged BTCUSDT sent again: {e}"
        );
        if e.as_array().is_some_and(|a| a.iter().any(|t| t["s"] == "ETHUSDT")) {
            break e;
        }
    };
    assert_eq!(next.as_array().map(Vec::len), Some(1), "{next}");
    sb.shutdown().await;
}
