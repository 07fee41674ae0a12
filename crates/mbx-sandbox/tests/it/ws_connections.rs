//! The WebSocket API's connection rules, shared with the market streams: the server's pings, the
//! 24-hour lifetime (shortened here) and the connections allowed per address every 5 minutes.

use std::time::Duration;

use futures_util::StreamExt;
use mbx_sandbox::Sandbox;
use mbx_sandbox::ws::hub::StreamRules;
use mbx_testkit::TestSandbox;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::ws::{call, connect};

#[tokio::test]
async fn ws_api_pings_and_ends_connections_at_their_lifetime() {
    let rules = StreamRules {
        ping_every: Duration::from_millis(50),
        lifetime: Duration::from_millis(400),
        ..StreamRules::default()
    };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let pong = call(&mut ws, json!({"id": 1, "method": "ping"})).await;
    assert_eq!(pong["status"], 200, "{pong}");
    // The client library answers the pings by itself; the connection lives until its lifetime.
    let (mut pings, mut closed) = (0, None);
    while let Ok(Some(frame)) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        match frame {
            Ok(Message::Ping(_)) => pings += 1,
            Ok(Message::Close(Some(c))) => {
                closed = Some((u16::from(c.code), c.reason.to_string()));
                break;
            }
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert!(pings >= 2, "pings: {pings}");
    let (code, reason) = closed.expect("a close frame");
    assert_eq!(code, 1000);
    assert!(reason.contains("lifetime"), "{reason}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_connections_over_the_per_address_limit_are_refused() {
    let rules = StreamRules { connections_per_5m: 2, ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let _a = connect(&sb, "/ws-api/v3").await;
    let _b = connect(&sb, "/ws-api/v3").await;
    // The streams count apart.
    let _s = connect(&sb, "/ws/btcusdt@trade").await;
    match tokio_tungstenite::connect_async(format!("ws://{}/ws-api/v3", sb.addr())).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429);
            let hint =
                response.headers().get("x-sandbox-hint").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(hint.contains("WebSocket API") && hint.contains("5 minutes"), "{hint}");
            // When to come back: once the first connection of the window is 5 minutes old.
            let retry_after: u64 = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .expect("Retry-After in seconds");
            assert!((299..=300).contains(&retry_after), "{retry_after}");
        }
        other => panic!("the third connection should be refused: {other:?}"),
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn the_streams_a_connection_carries_are_limited_by_the_rules() {
    let rules = StreamRules { max_streams: 2, ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let mut ws = connect(&sb, "/stream?streams=btcusdt@trade/ethusdt@trade/ltcbtc@trade").await;
    let mut ask = async |request: serde_json::Value| {
        futures_util::SinkExt::send(&mut ws, Message::Text(request.to_string().into())).await.unwrap();
        crate::ws::next_json(&mut ws).await
    };
    // The third stream of the URL is not taken; a SUBSCRIBE past the limit is refused.
    let list = ask(json!({"method": "LIST_SUBSCRIPTIONS", "id": 1})).await;
    assert_eq!(list["result"], json!(["btcusdt@trade", "ethusdt@trade"]), "{list}");
    let refused = ask(json!({"method": "SUBSCRIBE", "params": ["ltcbtc@trade"], "id": 2})).await;
    assert_eq!(refused["code"], 2, "{refused}");
    assert!(refused["msg"].as_str().unwrap().contains("at most 2 streams"), "{refused}");
    sb.shutdown().await;
}

#[tokio::test]
async fn cutting_connections_drops_every_websocket_without_a_close_frame() {
    let sb = TestSandbox::start().await;
    let mut stream = connect(&sb, "/ws/btcusdt@trade").await;
    let mut api = connect(&sb, "/ws-api/v3").await;
    let pong = call(&mut api, json!({"id": 1, "method": "ping"})).await;
    assert_eq!(pong["status"], 200, "{pong}");
    sb.state().hub().cut_connections();
    for ws in [&mut stream, &mut api] {
        let end = loop {
            match tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("ended in time") {
                Some(Ok(Message::Ping(_) | Message::Text(_))) => {}
                other => break other,
            }
        };
        assert!(!matches!(end, Some(Ok(Message::Close(_)))), "no close frame: {end:?}");
    }
    // New connections are served as before.
    let mut again = connect(&sb, "/ws-api/v3").await;
    assert_eq!(call(&mut again, json!({"id": 2, "method": "ping"})).await["status"], 200);
    sb.shutdown().await;
}

/// A client that closes gets the closing handshake's answer, a Close frame, on every WebSocket
/// route (RFC 6455, 5.5.1), not a reset connection: Binance's `binance-connector` (through
/// websocket-client) raises from its reading thread when `stop()` ends in a reset.
#[tokio::test]
async fn a_client_close_is_answered_with_a_close_frame() {
    let sb = TestSandbox::start().await;
    for path in ["/ws-api/v3", "/ws/btcusdt@trade", "/stream?streams=btcusdt@trade/btcusdt@depth"] {
        let mut ws = connect(&sb, path).await;
        let frame = tokio_tungstenite::tungstenite::protocol::CloseFrame {
            code: tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode::Normal,
            reason: "bye".into(),
        };
        futures_util::SinkExt::send(&mut ws, Message::Close(Some(frame))).await.unwrap();
        let answer = loop {
            match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
                Ok(Some(Ok(Message::Close(c)))) => break Ok(c),
                // Events or pings sent before the server read the Close.
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(e))) => break Err(e.to_string()),
                Ok(None) => break Err("the connection ended without a Close frame".into()),
                Err(_) => break Err("no answer within 5 s".into()),
            }
        };
        let close = answer.unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            close.map(|c| u16::from(c.code)),
            Some(1000),
            "{path}: the Close echoes the client's code"
        );
    }
    sb.shutdown().await;
}
