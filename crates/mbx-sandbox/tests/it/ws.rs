//! The WebSocket API (`/ws-api/v3`) and market streams (`/ws/..`, `/stream`) over real loopback
//! sockets. Every wait is on a frame, bounded by a timeout.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mbx_core::Params;
use mbx_core::payload::ws_api_payload;
use mbx_testkit::TestSandbox;
use serde_json::{Map, Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::support::{DEMO_API_KEY, demo_signer, empty_books, now_ms, place};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Longest wait for one frame.
const FRAME_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) async fn connect(sb: &TestSandbox, path: &str) -> Socket {
    let url = format!("ws://{}{path}", sb.addr());
    let (socket, response) = tokio_tungstenite::connect_async(url).await.expect("WebSocket upgrade");
    assert_eq!(response.status().as_u16(), 101);
    socket
}

/// The next text frame as JSON (control frames skipped).
pub(crate) async fn next_json(ws: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(FRAME_TIMEOUT, ws.next())
            .await
            .expect("a frame within the timeout")
            .expect("connection open")
            .expect("frame read");
        match frame {
            Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON frame"),
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// Sends `request` and reads the answer.
pub(crate) async fn call(ws: &mut Socket, request: Value) -> Value {
    ws.send(Message::Text(request.to_string().into())).await.expect("frame sent");
    next_json(ws).await
}

/// `params` plus the demo `apiKey`, a fresh `timestamp` and the HMAC `signature` over the sorted,
/// unencoded payload.
pub(crate) fn signed(params: Value) -> Map<String, Value> {
    match signed_with(params, DEMO_API_KEY, &demo_signer()) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[tokio::test]
async fn ws_api_ping_time_and_exchange_info_answer_by_id() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let pong = call(&mut ws, json!({"id": "p-1", "method": "ping"})).await;
    assert_eq!((&pong["id"], &pong["status"], &pong["result"]), (&json!("p-1"), &json!(200), &json!({})));
    let weight = &pong["rateLimits"][0];
    assert_eq!((&weight["rateLimitType"], &weight["interval"]), (&json!("REQUEST_WEIGHT"), &json!("MINUTE")));
    let used = weight["count"].as_u64().expect("count");
    // Connecting cost 2 (web-socket-api.md, IP limits), the ping 1.
    assert_eq!(used, 3, "{pong}");

    let before = now_ms();
    let time = call(&mut ws, json!({"id": 7, "method": "time", "params": {}})).await;
    assert_eq!((&time["id"], &time["status"]), (&json!(7), &json!(200)));
    assert_eq!(time["rateLimits"][0]["count"].as_u64(), Some(used + 1), "each request adds its weight");
    let server = time["result"]["serverTime"].as_u64().expect("serverTime");
    assert!(server + 1000 >= before && server <= now_ms() + 1000, "{server} vs {before}");

    let info =
        call(&mut ws, json!({"id": null, "method": "exchangeInfo", "params": {"symbol": "BTCUSDT"}})).await;
    assert_eq!(info["status"], 200, "{info}");
    assert_eq!(info["result"]["symbols"][0]["symbol"], "BTCUSDT");

    let unknown = call(&mut ws, json!({"id": 8, "method": "nope.nothing"})).await;
    assert_eq!((&unknown["status"], &unknown["error"]["code"]), (&json!(400), &json!(-1020)), "{unknown}");
    // Nothing counted for it, but the count is the usage so far, not 0.
    assert!(unknown["rateLimits"][0]["count"].as_u64().is_some_and(|c| c > used), "{unknown}");
    // An id that is not an integer, a string or null: -1135, answered with a null id.
    ws.send(Message::Text(json!({"id": {"req": 1}, "method": "ping"}).to_string().into()))
        .await
        .expect("sent");
    let object_id = next_json(&mut ws).await;
    assert_eq!((&object_id["id"], &object_id["error"]["code"]), (&Value::Null, &json!(-1135)), "{object_id}");
    // A string id of up to 36 characters (a UUID) is echoed; a longer one is refused the same way.
    let uuid = "7f2b8e70-1f4c-4c8e-9b43-4f0e9a1c2d3b";
    assert_eq!(call(&mut ws, json!({"id": uuid, "method": "ping"})).await["id"], uuid);
    ws.send(Message::Text(json!({"id": format!("bot-{uuid}"), "method": "ping"}).to_string().into()))
        .await
        .expect("sent");
    let long_id = next_json(&mut ws).await;
    assert_eq!((&long_id["id"], &long_id["error"]["code"]), (&Value::Null, &json!(-1135)), "{long_id}");
    let garbage = call(&mut ws, json!("not a request")).await;
    assert_eq!(garbage["status"], 400, "{garbage}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_signed_order_place_status_cancel() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let order = json!({
        "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
        "quantity": "0.01", "price": "50000.5", "newClientOrderId": "ws-order-1", "recvWindow": 5000,
    });
    let placed = call(&mut ws, json!({"id": "a1", "method": "order.place", "params": signed(order)})).await;
    assert_eq!((&placed["id"], &placed["status"]), (&json!("a1"), &json!(200)), "{placed}");
    let r = &placed["result"];
    assert_eq!((&r["status"], &r["clientOrderId"]), (&json!("NEW"), &json!("ws-order-1")));
    let order_id = r["orderId"].as_u64().expect("orderId");
    let orders: Vec<_> = placed["rateLimits"]
        .as_array()
        .expect("rateLimits")
        .iter()
        .filter(|l| l["rateLimitType"] == "ORDERS")
        .map(|l| (l["interval"].as_str(), l["count"].as_u64()))
        .collect();
    assert_eq!(orders, [(Some("SECOND"), Some(1)), (Some("DAY"), Some(1))], "{placed}");

    let status = call(
        &mut ws,
        json!({"id": "a2", "method": "order.status", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}),
    )
    .await;
    assert_eq!(status["status"], 200, "{status}");
    assert_eq!(
        (&status["result"]["orderId"], &status["result"]["status"]),
        (&json!(order_id), &json!("NEW"))
    );

    let open = call(
        &mut ws,
        json!({"id": "a3", "method": "openOrders.status", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    )
    .await;
    assert_eq!(open["result"].as_array().map(Vec::len), Some(1), "{open}");

    let cancelled = call(
        &mut ws,
        json!({"id": "a4", "method": "v3/order.cancel", "params": signed(json!({"symbol": "BTCUSDT", "origClientOrderId": "ws-order-1"}))}),
    )
    .await;
    assert_eq!(cancelled["status"], 200, "{cancelled}");
    assert_eq!(
        (&cancelled["result"]["orderId"], &cancelled["result"]["status"]),
        (&json!(order_id), &json!("CANCELED"))
    );

    let again = call(
        &mut ws,
        json!({"id": "a5", "method": "order.cancel", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}),
    )
    .await;
    assert_eq!((&again["status"], &again["error"]["code"]), (&json!(400), &json!(-2011)), "{again}");

    let account =
        call(&mut ws, json!({"id": "a6", "method": "account.status", "params": signed(json!({}))})).await;
    assert_eq!(account["status"], 200, "{account}");
    assert!(account["result"]["balances"].is_array(), "{account}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_tampered_payload_gets_1022_and_auth_rules_match_rest() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let mut params = signed(json!({"symbol": "BTCUSDT"}));
    params.insert("symbol".into(), json!("ETHUSDT"));
    let a = call(&mut ws, json!({"id": 1, "method": "openOrders.status", "params": params})).await;
    assert_eq!(
        (&a["id"], &a["status"], &a["error"]),
        (&json!(1), &json!(400), &json!({"code": -1022, "msg": "Signature for this request is not valid."}))
    );

    let mut no_key = signed(json!({}));
    no_key.remove("apiKey");
    let a = call(&mut ws, json!({"id": 2, "method": "account.status", "params": no_key})).await;
    assert_eq!(a["error"]["code"], -1102, "{a}");

    let mut bad_key = signed(json!({}));
    bad_key.insert("apiKey".into(), json!("not-a-key"));
    let a = call(&mut ws, json!({"id": 3, "method": "account.status", "params": bad_key})).await;
    assert_eq!((&a["status"], &a["error"]["code"]), (&json!(401), &json!(-2014)), "{a}");

    let mut unknown_key = signed(json!({}));
    unknown_key.insert("apiKey".into(), json!("A".repeat(64)));
    let a = call(&mut ws, json!({"id": 4, "method": "account.status", "params": unknown_key})).await;
    assert_eq!((&a["status"], &a["error"]["code"]), (&json!(401), &json!(-2015)), "{a}");

    let mut stale =
        json!({"apiKey": DEMO_API_KEY, "timestamp": now_ms() - 60_000}).as_object().cloned().unwrap();
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let p: Params = stale.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    stale.insert("signature".into(), json!(demo_signer().sign(ws_api_payload(&p).as_bytes()).as_str()));
    let a = call(&mut ws, json!({"id": 5, "method": "account.status", "params": stale})).await;
    assert_eq!(a["error"]["code"], -1021, "{a}");
    sb.shutdown().await;
}

/// Places a MARKET buy of 0.01 BTCUSDT over REST; returns the fills' trade ids.
async fn market_buy(sb: &TestSandbox) -> Vec<u64> {
    let a =
        place(sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")]).await;
    a.assert_ok();
    let ids: Vec<u64> = a.json["fills"]
        .as_array()
        .expect("fills")
        .iter()
        .map(|f| f["tradeId"].as_u64().expect("tradeId"))
        .collect();
    assert!(!ids.is_empty(), "the market maker's quotes fill a MARKET order: {}", a.json);
    ids
}

#[tokio::test]
async fn trade_stream_event_t_is_the_fills_trade_id() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws/btcusdt@trade").await;
    let ids = market_buy(&sb).await;
    for id in ids {
        let e = next_json(&mut ws).await;
        assert_eq!((&e["e"], &e["s"], &e["t"]), (&json!("trade"), &json!("BTCUSDT"), &json!(id)), "{e}");
        assert_eq!(e["m"], false, "the MARKET buyer is the taker: {e}");
        for field in ["p", "q"] {
            assert!(e[field].as_str().is_some_and(|s| s.parse::<rust_decimal::Decimal>().is_ok()), "{e}");
        }
        let (sent, traded) = (e["E"].as_u64().expect("E"), e["T"].as_u64().expect("T"));
        assert!(sent >= traded && sent - traded < 1000, "forwarded right after the match: {e}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn combined_stream_wraps_each_event_with_its_stream_name() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/stream?streams=ethusdt@trade/btcusdt@trade").await;
    let ids = market_buy(&sb).await;
    let e = next_json(&mut ws).await;
    assert_eq!(e["stream"], "btcusdt@trade", "{e}");
    assert_eq!((&e["data"]["e"], &e["data"]["t"]), (&json!("trade"), &json!(ids[0])), "{e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn bare_stream_subscribe_list_unsubscribe() {
    // Seven control messages within a second: over Binance's 5, so the limit is raised here.
    let rules = mbx_sandbox::ws::hub::StreamRules { messages_per_second: 100, ..Default::default() };
    let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().stream_rules(rules)).await;
    let mut ws = connect(&sb, "/stream").await;
    let a =
        call(&mut ws, json!({"method": "SUBSCRIBE", "params": ["btcusdt@trade", "ethusdt@depth"], "id": 1}))
            .await;
    assert_eq!(a, json!({"result": null, "id": 1}));
    let a = call(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": 2})).await;
    assert_eq!(a, json!({"result": ["btcusdt@trade", "ethusdt@depth"], "id": 2}));

    let ids = market_buy(&sb).await;
    let e = next_json(&mut ws).await;
    assert_eq!((&e["stream"], &e["data"]["t"]), (&json!("btcusdt@trade"), &json!(ids[0])), "{e}");
    for _ in 1..ids.len() {
        next_json(&mut ws).await;
    }

    let a = call(&mut ws, json!({"method": "UNSUBSCRIBE", "params": ["btcusdt@trade"], "id": "u3"})).await;
    assert_eq!(a, json!({"result": null, "id": "u3"}));
    let a = call(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": 4})).await;
    assert_eq!(a, json!({"result": ["ethusdt@depth"], "id": 4}));
    let a = call(&mut ws, json!({"method": "GET_PROPERTY", "params": ["combined"], "id": 5})).await;
    assert_eq!(a, json!({"result": true, "id": 5}));
    let a = call(&mut ws, json!({"method": "FLY", "id": 6})).await;
    assert_eq!(a["code"], 2, "{a}");

    // After UNSUBSCRIBE no trade event comes: the next frame is the answer to the next request.
    market_buy(&sb).await;
    let a = call(&mut ws, json!({"method": "LIST_SUBSCRIPTIONS", "id": 7})).await;
    assert_eq!(a["id"], 7, "{a}");
    sb.shutdown().await;
}

#[tokio::test]
async fn raw_bare_ws_subscribes_and_sends_unwrapped_events() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws").await;
    let a = call(&mut ws, json!({"method": "SUBSCRIBE", "params": ["BTCUSDT@trade"], "id": 1})).await;
    assert_eq!(a, json!({"result": null, "id": 1}));
    let ids = market_buy(&sb).await;
    let e = next_json(&mut ws).await;
    assert_eq!((&e["e"], &e["t"]), (&json!("trade"), &json!(ids[0])), "{e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_ed25519_and_rsa_signatures_over_sorted_unencoded_params_verify() {
    use mbx_core::sign::KeyKind;
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    for kind in [KeyKind::Ed25519, KeyKind::Rsa] {
        let api_key = crate::support::register_key(&sb, kind).await;
        let mut params =
            json!({"apiKey": api_key, "timestamp": now_ms(), "omitZeroBalances": true, "recvWindow": "5000"})
                .as_object()
                .cloned()
                .unwrap();
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        let p: Params = params.iter().map(|(k, v)| (k.clone(), text(v))).collect();
        let payload = ws_api_payload(&p);
        assert!(
            payload.starts_with("apiKey=") && payload.contains("&omitZeroBalances=true&recvWindow=5000&")
        );
        let signature = mbx_testkit::keys::signer(kind).sign(payload.as_bytes());
        params.insert("signature".into(), json!(signature.as_str()));
        let a = call(&mut ws, json!({"id": 1, "method": "account.status", "params": params.clone()})).await;
        assert_eq!(a["status"], 200, "{kind:?}: {a}");

        params.insert("omitZeroBalances".into(), json!(false));
        let a = call(&mut ws, json!({"id": 2, "method": "account.status", "params": params})).await;
        assert_eq!(a["error"]["code"], -1022, "{kind:?}: {a}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_bad_frames_are_answered_and_never_panic() {
    let sb = empty_books().await;
    let mut api = connect(&sb, "/ws-api/v3").await;
    for bad in [
        "",
        "{",
        "[]",
        "null",
        r#"{"id":1}"#,
        r#"{"id":1,"method":5}"#,
        r#"{"id":1,"method":"time","params":[1]}"#,
    ] {
        api.send(Message::Text(bad.into())).await.expect("sent");
        let a = next_json(&mut api).await;
        assert_eq!(a["status"], 400, "{bad}: {a}");
    }
    let mut streams = connect(&sb, "/stream").await;
    for bad in [
        "",
        "{",
        r#"{"method":"SUBSCRIBE","params":"x","id":1}"#,
        r#"{"method":"SUBSCRIBE","params":[1],"id":1}"#,
        r#"{"method":"SET_PROPERTY","params":["combined",1],"id":1}"#,
    ] {
        streams.send(Message::Text(bad.into())).await.expect("sent");
        let a = next_json(&mut streams).await;
        assert!(a["code"].is_i64(), "{bad}: {a}");
    }
    assert!(sb.state().panics().is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_signs_non_ascii_values_raw_not_percent_encoded() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    // Signed over the raw UTF-8: the signature verifies, and the unknown symbol is what fails.
    let raw = signed(json!({"symbol": "币安人生USDT", "orderId": 1}));
    let a = call(&mut ws, json!({"id": 1, "method": "order.status", "params": raw})).await;
    assert_eq!(a["error"]["code"], -1121, "{a}");

    // Signed over the percent-encoded value (the REST habit): -1022.
    let mut encoded = json!({"apiKey": DEMO_API_KEY, "orderId": 1, "symbol": "%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT", "timestamp": now_ms()})
        .as_object()
        .cloned()
        .unwrap();
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let p: Params = encoded.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    encoded.insert("signature".into(), json!(demo_signer().sign(ws_api_payload(&p).as_bytes()).as_str()));
    encoded.insert("symbol".into(), json!("币安人生USDT"));
    let a = call(&mut ws, json!({"id": 2, "method": "order.status", "params": encoded})).await;
    assert_eq!(a["error"]["code"], -1022, "{a}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_numbers_are_signed_as_written() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    // `"recvWindow": 5000.0` is signed as `recvWindow=5000.0`, the text sent, not as a re-rendered number.
    let ts = now_ms();
    let payload = format!("apiKey={DEMO_API_KEY}&recvWindow=5000.0&timestamp={ts}");
    let signature = demo_signer().sign(payload.as_bytes());
    let request = format!(
        r#"{{"id":1,"method":"account.status","params":{{"apiKey":"{DEMO_API_KEY}","recvWindow":5000.0,"timestamp":{ts},"signature":"{}"}}}}"#,
        signature.as_str()
    );
    ws.send(Message::Text(request.into())).await.expect("sent");
    let a = next_json(&mut ws).await;
    assert_eq!(a["status"], 200, "{a}");
    sb.shutdown().await;
}

/// Sends a request of `method` with `params` and reads the answer.
async fn ask(ws: &mut Socket, id: &str, method: &str, params: Value) -> Value {
    call(ws, json!({"id": id, "method": method, "params": params})).await
}

#[tokio::test]
async fn ws_api_market_data_methods_share_the_rest_handlers() {
    let sb = empty_books().await;
    let stp = ("selfTradePreventionMode", "NONE");
    let maker = [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC")];
    place(&sb, &[&maker[..], &[("price", "100"), ("quantity", "0.1"), stp]].concat()).await.assert_ok();
    let taker = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.1"), stp];
    let fill = place(&sb, &taker).await;
    fill.assert_ok();
    let trade_id = fill.json["fills"][0]["tradeId"].as_u64().expect("tradeId");

    let mut ws = connect(&sb, "/ws-api/v3").await;
    let historical =
        ask(&mut ws, "h", "trades.historical", json!({"symbol": "BTCUSDT", "fromId": trade_id})).await;
    assert_eq!(
        (&historical["status"], &historical["result"][0]["id"]),
        (&json!(200), &json!(trade_id)),
        "{historical}"
    );
    let agg = ask(&mut ws, "a", "trades.aggregate", json!({"symbol": "BTCUSDT", "limit": 5})).await;
    let row = &agg["result"][0];
    assert_eq!(
        (&row["a"], &row["f"], &row["l"], &row["q"]),
        (&json!(trade_id), &json!(trade_id), &json!(trade_id), &json!("0.10000000")),
        "{agg}"
    );
    let klines = ask(&mut ws, "k", "klines", json!({"symbol": "BTCUSDT", "interval": "1m"})).await;
    let first = &klines["result"][0];
    assert_eq!(
        (first.as_array().map(Vec::len), &first[5], &first[8]),
        (Some(12), &json!("0.10000000"), &json!(1)),
        "{klines}"
    );
    let ui =
        ask(&mut ws, "u", "uiKlines", json!({"symbol": "BTCUSDT", "interval": "1d", "timeZone": "8"})).await;
    assert_eq!(ui["result"][0][1], "100.00000000", "{ui}");
    let weight = |frame: &Value| frame["rateLimits"][0]["count"].as_u64().expect("weight count");
    assert_eq!(weight(&ui) - weight(&klines), 2, "uiKlines weighs 2");

    let day = ask(&mut ws, "d", "ticker.24hr", json!({"symbol": "BTCUSDT"})).await;
    assert_eq!(
        (&day["result"]["count"], &day["result"]["lastPrice"]),
        (&json!(1), &json!("100.00000000")),
        "{day}"
    );
    let trading =
        ask(&mut ws, "t", "ticker.tradingDay", json!({"symbols": ["BTCUSDT", "ETHUSDT"], "type": "MINI"}))
            .await;
    assert_eq!(trading["result"].as_array().map(Vec::len), Some(2), "{trading}");
    assert_eq!(weight(&trading) - weight(&day), 8, "4 per symbol");
    let rolling = ask(&mut ws, "r", "ticker", json!({"symbol": "BTCUSDT", "windowSize": "1h"})).await;
    assert_eq!(
        (&rolling["result"]["count"], &rolling["result"]["symbol"]),
        (&json!(1), &json!("BTCUSDT")),
        "{rolling}"
    );

    let bad = ask(&mut ws, "b1", "klines", json!({"symbol": "BTCUSDT", "interval": "1H"})).await;
    assert_eq!(
        (&bad["status"], &bad["error"]),
        (&json!(400), &json!({"code": -1120, "msg": "Invalid interval."}))
    );
    let none = ask(&mut ws, "b2", "ticker", json!({})).await;
    assert_eq!(
        &none["error"],
        &json!({"code": -1102, "msg": "Param 'symbol' or 'symbols' must be sent, but both were empty/null!"})
    );
    // A parameter the method does not read is -1104, as on REST (a misspelt `timezone` is not
    // silently ignored).
    let unread =
        ask(&mut ws, "b3", "klines", json!({"symbol": "BTCUSDT", "interval": "1m", "timezone": "8"})).await;
    assert_eq!(
        &unread["error"],
        &json!({"code": -1104, "msg": "Not all sent parameters were read; read '2' parameter(s) but was sent '3'."}),
        "{unread}"
    );
    // What any request may carry is no such parameter (the docs' own example), nor is the apiKey
    // trades.historical ignores since it needs none (ccxt and binance-connector send them).
    let time = ask(&mut ws, "b4", "time", json!({"returnRateLimits": false})).await;
    assert_eq!((&time["status"], time.get("rateLimits")), (&json!(200), None), "{time}");
    let keyed =
        ask(&mut ws, "b5", "trades.historical", json!({"symbol": "BTCUSDT", "apiKey": "x", "limit": 1}))
            .await;
    assert_eq!(keyed["status"], 200, "{keyed}");
    sb.shutdown().await;
}

/// The next frame, which must be a Close.
async fn expect_close(ws: &mut Socket) {
    loop {
        let frame = tokio::time::timeout(FRAME_TIMEOUT, ws.next()).await.expect("a frame within the timeout");
        match frame {
            Some(Ok(Message::Close(_))) | None => return,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("expected a close, got {other:?}"),
        }
    }
}

/// On shutdown every WebSocket connection gets the `serverShutdown` event in its own shape (the
/// WebSocket API's `{"event":..}`, a raw stream's bare event, a combined stream's `!serverShutdown`
/// wrapper), then a close.
#[tokio::test]
async fn connections_get_server_shutdown_then_close() {
    let sb = TestSandbox::start().await;
    let mut api = connect(&sb, "/ws-api/v3").await;
    let pong = call(&mut api, json!({"id": 1, "method": "ping"})).await;
    assert_eq!(pong["status"], 200);
    let mut raw = connect(&sb, "/ws/btcusdt@trade").await;
    let mut combined = connect(&sb, "/stream").await;
    let listed = call(&mut combined, json!({"method": "LIST_SUBSCRIPTIONS", "id": 7})).await;
    assert_eq!(listed["id"], 7);
    let before = now_ms();
    let stopped = tokio::spawn(sb.shutdown());

    let event = next_json(&mut api).await;
    assert_eq!(event["event"]["e"], "serverShutdown", "{event}");
    assert!(event["event"]["E"].as_u64().unwrap() >= before);
    expect_close(&mut api).await;

    let event = next_json(&mut raw).await;
    assert_eq!(
        (event["e"].as_str(), event["E"].as_u64().is_some()),
        (Some("serverShutdown"), true),
        "{event}"
    );
    expect_close(&mut raw).await;

    let event = next_json(&mut combined).await;
    assert_eq!(event["stream"], "!serverShutdown", "{event}");
    assert_eq!(event["data"]["e"], "serverShutdown");
    expect_close(&mut combined).await;
    stopped.await.unwrap();
}

#[tokio::test]
async fn ws_api_order_lists_cancel_replace_and_order_counts() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let mut n = 0;
    let mut request = |method: &str, params: Value| {
        n += 1;
        json!({"id": format!("r{n}"), "method": method, "params": signed(params)})
    };
    let oco = json!({
        "symbol": "LTCBTC", "side": "SELL", "quantity": "10",
        "aboveType": "LIMIT_MAKER", "abovePrice": "0.003",
        "belowType": "STOP_LOSS", "belowStopPrice": "0.001",
        "listClientOrderId": "ws-list", "newOrderRespType": "RESULT",
    });
    let placed = call(&mut ws, request("orderList.place.oco", oco)).await;
    assert_eq!(placed["status"], 200, "{placed}");
    let list_id = placed["result"]["orderListId"].clone();
    assert_eq!(placed["result"]["orderReports"].as_array().map(Vec::len), Some(2));
    let orders: Vec<_> = placed["rateLimits"]
        .as_array()
        .expect("rateLimits")
        .iter()
        .filter(|l| l["rateLimitType"] == "ORDERS" && l["interval"] == "DAY")
        .map(|l| l["count"].as_u64())
        .collect();
    assert_eq!(orders, [Some(2)], "an OCO counts two: {placed}");

    let status = call(&mut ws, request("orderList.status", json!({"origClientOrderId": "ws-list"}))).await;
    assert_eq!((&status["status"], &status["result"]["orderListId"]), (&json!(200), &list_id), "{status}");
    let open = call(&mut ws, request("openOrderLists.status", json!({}))).await;
    assert_eq!(open["result"], json!([status["result"]]), "{open}");
    let counts = call(&mut ws, request("account.rateLimits.orders", json!({}))).await;
    assert_eq!(counts["result"][1]["count"], 2, "{counts}");

    // A cancel-replace of an unknown order: the error frame carries the data object.
    let replace = json!({
        "symbol": "LTCBTC", "cancelReplaceMode": "STOP_ON_FAILURE", "cancelOrderId": 999_999,
        "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "1", "price": "0.0009",
    });
    let failed = call(&mut ws, request("order.cancelReplace", replace)).await;
    assert_eq!((&failed["status"], &failed["error"]["code"]), (&json!(400), &json!(-2022)), "{failed}");
    assert_eq!(failed["error"]["data"]["newOrderResult"], "NOT_ATTEMPTED");
    assert_eq!(failed["error"]["data"]["cancelResponse"]["code"], -2011);

    let cancelled =
        call(&mut ws, request("orderList.cancel", json!({"symbol": "LTCBTC", "orderListId": list_id}))).await;
    assert_eq!(cancelled["status"], 200, "{cancelled}");
    assert_eq!(cancelled["result"]["listOrderStatus"], "ALL_DONE");
    let all = call(&mut ws, request("allOrderLists", json!({"limit": 5}))).await;
    assert_eq!(all["result"][0]["listStatusType"], "ALL_DONE", "{all}");
    sb.shutdown().await;
}

/// `params` with `apiKey`, a fresh `timestamp` and the signature of `signer` over the sorted,
/// unencoded payload.
pub(crate) fn signed_with(params: Value, api_key: &str, signer: &mbx_core::Signer) -> Value {
    let mut map = params.as_object().cloned().unwrap_or_default();
    map.insert("apiKey".into(), json!(api_key));
    map.insert("timestamp".into(), json!(now_ms()));
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let for_signing: Params = map.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    map.insert("signature".into(), json!(signer.sign(ws_api_payload(&for_signing).as_bytes()).as_str()));
    Value::Object(map)
}

#[tokio::test]
async fn ws_api_session_logon_then_requests_without_api_key() {
    let sb = empty_books().await;
    let ed_key = crate::support::register_key(&sb, mbx_core::sign::KeyKind::Ed25519).await;
    let ed = mbx_testkit::keys::signer(mbx_core::sign::KeyKind::Ed25519);
    let mut ws = connect(&sb, "/ws-api/v3").await;

    let status = call(&mut ws, json!({"id": "s0", "method": "session.status"})).await;
    assert_eq!(
        (status["status"].as_u64(), &status["result"]["apiKey"]),
        (Some(200), &Value::Null),
        "{status}"
    );
    // Before logon a keyed request needs its apiKey.
    let a = call(&mut ws, json!({"id": "a0", "method": "account.status", "params": {"timestamp": now_ms()}}))
        .await;
    assert_eq!(a["error"]["code"], -1102, "{a}");

    let logon = call(
        &mut ws,
        json!({"id": "l1", "method": "session.logon", "params": signed_with(json!({}), &ed_key, &ed)}),
    )
    .await;
    assert_eq!(logon["status"], 200, "{logon}");
    assert_eq!(logon["result"]["apiKey"], json!(ed_key));
    assert!(logon["result"]["authorizedSince"].as_u64().is_some(), "{logon}");

    // Logged on: only the timestamp, no apiKey, no signature.
    let a = call(&mut ws, json!({"id": "a1", "method": "account.status", "params": {"timestamp": now_ms()}}))
        .await;
    assert_eq!(a["status"], 200, "{a}");
    assert!(a["result"]["balances"].is_array(), "{a}");
    // A SIGNED method still needs its timestamp.
    let a = call(&mut ws, json!({"id": "a2", "method": "account.status", "params": {}})).await;
    assert_eq!(a["error"]["code"], -1102, "{a}");

    let out = call(&mut ws, json!({"id": "o1", "method": "session.logout"})).await;
    assert_eq!((out["status"].as_u64(), &out["result"]["apiKey"]), (Some(200), &Value::Null), "{out}");
    let a = call(&mut ws, json!({"id": "a3", "method": "account.status", "params": {"timestamp": now_ms()}}))
        .await;
    assert_eq!(a["error"]["code"], -1102, "{a}");

    // HMAC keys cannot log on (Ed25519 only): Binance reads the signature as Ed25519's, -1022.
    let hmac =
        call(&mut ws, json!({"id": "l2", "method": "session.logon", "params": signed(json!({}))})).await;
    assert_eq!((hmac["status"].as_u64(), &hmac["error"]["code"]), (Some(400), &json!(-1022)), "{hmac}");
    sb.shutdown().await;
}

/// A session whose key is revoked: its next request is answered -2015 with "id": null and the
/// session is logged out (web-socket-api.md, "Regarding API key revocation"); the rejection's
/// journal entry says why, and the doctor reads the request as the session's (no missing apiKey).
#[tokio::test]
async fn ws_api_revoked_key_logs_the_session_out_with_id_null() {
    let sb = empty_books().await;
    let ed_key = crate::support::register_key(&sb, mbx_core::sign::KeyKind::Ed25519).await;
    let ed = mbx_testkit::keys::signer(mbx_core::sign::KeyKind::Ed25519);
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let logon = call(
        &mut ws,
        json!({"id": "l", "method": "session.logon", "params": signed_with(json!({}), &ed_key, &ed)}),
    )
    .await;
    assert_eq!(logon["status"], 200, "{logon}");
    let revoked = crate::support::client()
        .delete(sb.url(&format!("/sandbox/v1/keys?apiKey={ed_key}")))
        .send()
        .await
        .expect("revoke sent");
    assert_eq!(revoked.status(), 200);

    let request = json!({"id": "after", "method": "account.status", "params": {"timestamp": now_ms()}});
    ws.send(Message::Text(request.to_string().into())).await.expect("frame sent");
    let answer = next_json(&mut ws).await;
    assert_eq!(
        (&answer["id"], &answer["status"], &answer["error"]["code"]),
        (&Value::Null, &json!(401), &json!(-2015)),
        "{answer}"
    );
    let status = call(&mut ws, json!({"id": "s", "method": "session.status"})).await;
    assert_eq!(status["result"]["apiKey"], Value::Null, "{status}");

    let log = crate::support::get(&sb, "/sandbox/v1/rejections?limit=1").await;
    let entry = &log.json["rejections"][0];
    assert!(entry["reason"].as_str().is_some_and(|r| r.contains("no longer valid")), "{entry}");
    let causes = entry["diagnosis"]["findings"].to_string();
    assert!(!causes.contains("api-key-param-missing"), "{entry}");
    sb.shutdown().await;
}

/// Sends `request` and reads frames (events included) until its answer.
pub(crate) async fn answer_to(ws: &mut Socket, request: Value) -> Value {
    let id = request["id"].clone();
    ws.send(Message::Text(request.to_string().into())).await.expect("frame sent");
    until(ws, |f| f["id"] == id && f.get("status").is_some()).await
}

/// Frames of `ws` until one satisfies `pick` (a guard of 5 s per frame).
pub(crate) async fn until(ws: &mut Socket, pick: impl Fn(&Value) -> bool) -> Value {
    loop {
        let f = next_json(ws).await;
        if pick(&f) {
            return f;
        }
    }
}

#[tokio::test]
async fn ws_api_user_data_stream_reports_orders_balances_and_deposits() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = call(
        &mut ws,
        json!({"id": "u1", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(sub["status"], 200, "{sub}");
    let id = sub["result"]["subscriptionId"].clone();
    assert!(id.is_u64(), "{sub}");
    // One subscription per account per connection: a second is -2035, which clients such as
    // Binance.Net read as "already subscribed".
    let again = call(
        &mut ws,
        json!({"id": "u1b", "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}),
    )
    .await;
    assert_eq!(
        (&again["status"], &again["error"]["code"], &again["error"]["msg"]),
        (&json!(400), &json!(-2035), &json!("User Data Stream subscription already active.")),
        "{again}"
    );
    let list = call(&mut ws, json!({"id": "u2", "method": "session.subscriptions"})).await;
    assert_eq!(list["result"], json!([{"subscriptionId": id}]), "{list}");

    // A MARKET buy against the market maker: NEW, then TRADE until FILLED, then the balances.
    let a =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")]).await;
    a.assert_ok();
    let order_id = a.json["orderId"].clone();
    let new = until(&mut ws, |f| f["event"]["e"] == "executionReport").await;
    assert_eq!(new["subscriptionId"], id);
    let e = &new["event"];
    assert_eq!(
        (&e["x"], &e["X"], &e["i"], &e["s"]),
        (&json!("NEW"), &json!("NEW"), &order_id, &json!("BTCUSDT")),
        "{e}"
    );
    let mut last = Value::Null;
    while last["X"] != "FILLED" {
        let f = until(&mut ws, |f| f["event"]["e"] == "executionReport").await;
        last = f["event"].clone();
        assert_eq!((&last["x"], &last["i"]), (&json!("TRADE"), &order_id), "{last}");
        assert!(last["t"].as_u64().is_some() && last["N"].is_string(), "{last}");
    }
    assert_eq!(last["z"], json!(a.json["executedQty"]), "{last}");
    let pos = until(&mut ws, |f| f["event"]["e"] == "outboundAccountPosition").await;
    let assets: Vec<&str> =
        pos["event"]["B"].as_array().unwrap().iter().filter_map(|b| b["a"].as_str()).collect();
    assert!(assets.contains(&"BTC") && assets.contains(&"USDT"), "{pos}");

    // A deposit by the admin API: balanceUpdate.
    let d = crate::support::admin(
        &sb,
        "/sandbox/v1/deposit",
        json!({"apiKey": DEMO_API_KEY, "asset": "ETH", "amount": "2.5"}),
    )
    .await;
    assert_eq!(d.status, 200, "{d:?}");
    let b = until(&mut ws, |f| f["event"]["e"] == "balanceUpdate").await;
    assert_eq!((&b["event"]["a"], &b["event"]["d"]), (&json!("ETH"), &json!("2.50000000")), "{b}");

    // Funds locked by a system outside spot trading (the admin API): externalLockUpdate, the
    // balance moving from free to locked, and back; no more is unlocked than was locked so.
    let lock = |delta: &'static str| {
        crate::support::admin(
            &sb,
            "/sandbox/v1/externalLock",
            json!({"apiKey": DEMO_API_KEY, "asset": "ETH", "delta": delta}),
        )
    };
    let l = lock("1.5").await;
    assert_eq!((l.status, &l.json["locked"]), (200, &json!("1.50000000")), "{l:?}");
    let x = until(&mut ws, |f| f["event"]["e"] == "externalLockUpdate").await;
    assert_eq!((&x["event"]["a"], &x["event"]["d"]), (&json!("ETH"), &json!("1.50000000")), "{x}");
    assert!(x["event"]["T"].as_u64().is_some(), "{x}");
    let pos = until(&mut ws, |f| f["event"]["e"] == "outboundAccountPosition").await;
    let eth = pos["event"]["B"].as_array().unwrap().iter().find(|b| b["a"] == "ETH").cloned().unwrap();
    assert_eq!(eth["l"], json!("1.50000000"), "{pos}");
    let free_before = crate::support::dec(&d.json["free"]);
    assert_eq!(crate::support::dec(&eth["f"]) + crate::support::d("1.5"), free_before, "{pos}");
    let refused = lock("-2").await;
    assert_eq!(refused.status, 400, "{refused:?}");
    assert!(refused.hint().contains("only 1.5 ETH is locked externally"), "{refused:?}");
    let back = lock("-1.5").await;
    assert_eq!((back.status, &back.json["locked"]), (200, &json!("0.00000000")), "{back:?}");
    let x = until(&mut ws, |f| f["event"]["e"] == "externalLockUpdate").await;
    assert_eq!(x["event"]["d"], json!("-1.50000000"), "{x}");
    assert_eq!(lock("100").await.status, 400, "more than is free");

    // Unsubscribed: the next frame is the answer to the next request, not an event.
    ws.send(Message::Text(json!({"id": "u3", "method": "userDataStream.unsubscribe"}).to_string().into()))
        .await
        .expect("sent");
    let ended = until(&mut ws, |f| f["event"]["e"] == "eventStreamTerminated").await;
    assert_eq!(ended["subscriptionId"], id, "{ended}");
    let u = until(&mut ws, |f| f["id"] == "u3").await;
    assert_eq!((u["status"].as_u64(), &u["result"]), (Some(200), &json!({})), "{u}");
    place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
        .await
        .assert_ok();
    let s = call(&mut ws, json!({"id": "u4", "method": "session.status"})).await;
    assert_eq!((&s["id"], &s["result"]["userDataStream"]), (&json!("u4"), &json!(false)), "{s}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_user_data_stream_after_logon_and_canceled_orders() {
    let sb = empty_books().await;
    let ed_key = crate::support::register_key(&sb, mbx_core::sign::KeyKind::Ed25519).await;
    let ed = mbx_testkit::keys::signer(mbx_core::sign::KeyKind::Ed25519);
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let plain = call(&mut ws, json!({"id": "p", "method": "userDataStream.subscribe"})).await;
    assert_eq!(plain["error"]["code"], -1002, "needs a logged-on session: {plain}");
    // With an apiKey (as an SDK sends it unlogged): its parameters are read first (-1104).
    let keyed = call(
        &mut ws,
        json!({"id": "k", "method": "userDataStream.subscribe", "params": {"apiKey": mbx_testkit::keys::DEMO_API_KEY}}),
    )
    .await;
    assert_eq!(
        keyed["error"]["msg"], "Not all sent parameters were read; read '0' parameter(s) but was sent '1'.",
        "{keyed}"
    );
    let logon = call(
        &mut ws,
        json!({"id": "l", "method": "session.logon", "params": signed_with(json!({}), &ed_key, &ed)}),
    )
    .await;
    assert_eq!(logon["status"], 200, "{logon}");
    let sub = call(&mut ws, json!({"id": "s", "method": "userDataStream.subscribe"})).await;
    assert_eq!(sub["status"], 200, "{sub}");
    let again = call(&mut ws, json!({"id": "s2", "method": "userDataStream.subscribe"})).await;
    assert!(again["error"]["code"].is_i64(), "one subscription per account: {again}");

    let a = place(
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
    a.assert_ok();
    let new = until(&mut ws, |f| f["event"]["e"] == "executionReport").await;
    assert_eq!((&new["event"]["x"], &new["event"]["w"]), (&json!("NEW"), &json!(true)), "{new}");
    let c = crate::support::call(
        &sb,
        axum::http::Method::DELETE,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("orderId", &a.json["orderId"].to_string())],
    )
    .await;
    c.assert_ok();
    let canceled = until(&mut ws, |f| f["event"]["e"] == "executionReport").await;
    assert_eq!(
        (&canceled["event"]["x"], &canceled["event"]["X"]),
        (&json!("CANCELED"), &json!("CANCELED")),
        "{canceled}"
    );
    // An OCO: its legs' reports, then listStatus.
    let oco = crate::support::call(
        &sb,
        axum::http::Method::POST,
        "/api/v3/orderList/oco",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("quantity", "0.01"),
            ("aboveType", "STOP_LOSS_LIMIT"),
            ("abovePrice", "40010"),
            ("aboveStopPrice", "40000"),
            ("aboveTimeInForce", "GTC"),
            ("belowType", "LIMIT_MAKER"),
            ("belowPrice", "20000"),
        ],
    )
    .await;
    oco.assert_ok();
    let list = until(&mut ws, |f| f["event"]["e"] == "listStatus").await;
    let e = &list["event"];
    assert_eq!(
        (&e["g"], &e["c"], &e["l"]),
        (&oco.json["orderListId"], &json!("OCO"), &json!("EXEC_STARTED")),
        "{list}"
    );
    assert_eq!(e["O"].as_array().map(Vec::len), Some(2), "{list}");
    // Logging out ends the logon subscription.
    let out = answer_to(&mut ws, json!({"id": "o", "method": "session.logout"})).await;
    assert_eq!(out["result"]["userDataStream"], false, "{out}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_return_rate_limits_by_connection_and_by_request() {
    let sb = TestSandbox::start().await;
    let mut ws = connect(&sb, "/ws-api/v3?returnRateLimits=false").await;
    let a = call(&mut ws, json!({"id": 1, "method": "time"})).await;
    assert_eq!(a["status"], 200, "{a}");
    assert!(a.get("rateLimits").is_none(), "left out on this connection: {a}");
    let b = call(&mut ws, json!({"id": 2, "method": "time", "params": {"returnRateLimits": true}})).await;
    assert!(b["rateLimits"].is_array(), "asked for by the request: {b}");
    let s = call(&mut ws, json!({"id": 3, "method": "session.status"})).await;
    assert_eq!(s["result"]["returnRateLimits"], false, "{s}");
    // Signed with the rest, and not a parameter the endpoint refuses.
    let c = call(
        &mut ws,
        json!({"id": 4, "method": "account.status", "params": signed(json!({"returnRateLimits": false}))}),
    )
    .await;
    assert_eq!(c["status"], 200, "{c}");
    assert!(c.get("rateLimits").is_none(), "{c}");
    sb.shutdown().await;
}

/// Frames refused before any method runs (not JSON, a binary frame, a market stream's SUBSCRIBE)
/// are journaled for `mbx doctor sandbox-log` with the doctor's finding, and no journaled
/// diagnosis says "will accept" beside the error answered (here -2015: a key the sandbox does not
/// know, whose frame is otherwise well formed).
#[tokio::test]
async fn ws_api_refusals_before_a_method_are_journaled_and_never_accepted() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    ws.send(Message::Text("{'id': 1, 'method': 'ping'}".into())).await.expect("sent");
    assert_eq!(next_json(&mut ws).await["error"]["code"], -1135);
    ws.send(Message::Binary(br#"{"id":2,"method":"ping"}"#.to_vec().into())).await.expect("sent");
    assert_eq!(next_json(&mut ws).await["error"]["code"], -1135);
    let subscribe = json!({"id": 3, "method": "SUBSCRIBE", "params": ["btcusdt@trade"]});
    ws.send(Message::Text(subscribe.to_string().into())).await.expect("sent");
    assert_eq!(next_json(&mut ws).await["error"]["code"], -1135);
    let unknown = "A".repeat(64);
    let status = json!({"id": 4, "method": "account.status", "params": {"apiKey": unknown, "timestamp": now_ms(), "signature": "0".repeat(64)}});
    let answer = call(&mut ws, status).await;
    assert_eq!(answer["error"]["code"], -2015, "{answer}");

    let log = crate::support::get(&sb, "/sandbox/v1/rejections?limit=4").await;
    let entries = log.json["rejections"].as_array().expect("rejections");
    let first_cause =
        |i: usize| entries[i]["diagnosis"]["findings"][0]["cause"].as_str().unwrap_or_default().to_owned();
    // Newest first.
    assert_eq!(entries[0]["code"], -2015, "{}", log.json);
    assert_eq!(entries[0]["diagnosis"]["verdict"]["code"], -2015, "{}", entries[0]);
    assert_eq!(first_cause(1), "ws-method-unknown", "{}", entries[1]);
    assert_eq!(first_cause(2), "frame-binary", "{}", entries[2]);
    assert_eq!(first_cause(3), "frame-not-json", "{}", entries[3]);
    for e in entries {
        assert_ne!(e["diagnosis"]["verdict"]["code"], 0, "{e}");
    }
    sb.shutdown().await;
}
