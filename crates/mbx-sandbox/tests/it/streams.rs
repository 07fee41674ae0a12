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
    let sb = TestSandbox::start().await;
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
async fn an_api_key_as_stream_path_is_closed_with_the_reason() {
    let sb = TestSandbox::start().await;
    // Seed 001 connects to /ws/<API key>.
    let url = format!("ws://{}/ws/{}", sb.addr(), mbx_testkit::keys::DEMO_API_KEY);
    let (mut ws, response) = tokio_tungstenite::connect_async(url).await.expect("upgrade");
    let hint = response.headers().get("x-sandbox-hint").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(hint.contains("API key"), "{hint}");
    let frame =
        tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("a frame").expect("open");
    match frame {
        Ok(Message::Close(Some(close))) => {
            assert_eq!(u16::from(close.code), 1008);
            assert!(close.reason.contains("API key"), "{}", close.reason);
        }
        other => panic!("expected a close with the reason, got {other:?}"),
    }
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
        "!ticker_4h@arr",
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
    let arr4 = events["!ticker_4h@arr"].as_array().expect("an array");
    assert!(arr4.iter().all(|t| t["e"] == "4hTicker"), "{arr4:?}");
    sb.shutdown().await;
}
