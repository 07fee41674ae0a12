//! The WebSocket API client against the sandbox: signed requests (HMAC per request, Ed25519
//! session), many in flight at once, Binance's errors, a lost answer settled by lookup, and a
//! session that logs on again on a new connection.

use std::time::Duration;

use mbx_client::{Client, Environment, Error};
use mbx_core::model::{OrderStatus, OrderType, Side};
use mbx_core::sign::KeyKind;
use mbx_core::{ErrorCode, Params};
use mbx_sandbox::Sandbox;
use mbx_sandbox::ws::hub::StreamRules;
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use serde_json::json;

fn hmac_client(sb: &TestSandbox) -> Client {
    Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap()
}

fn limit_buy(c: &Client) -> mbx_client::NewOrder {
    c.new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(30_000, 0))
}

#[tokio::test]
async fn hmac_signed_orders_many_requests_in_flight_and_errors() {
    let sb = TestSandbox::start().await;
    let c = hmac_client(&sb);
    let ws = c.ws_api();
    let order = ws.place_order(limit_buy(&c)).await.unwrap();
    assert_eq!(order.status, Some(OrderStatus::New));
    assert!(order.client_order_id.starts_with("mbx-"), "{order:?}");
    let account = ws.account().await.unwrap();
    assert_eq!(account.balance("USDT").unwrap().locked, Decimal::new(30, 0));
    assert!(ws.rate_limits().as_array().is_some_and(|l| !l.is_empty()), "rateLimits are kept");
    let cancelled = ws.cancel_order("BTCUSDT", order.order_id).await.unwrap();
    assert_eq!(cancelled.status, Some(OrderStatus::Canceled));
    let again = ws.cancel_order("BTCUSDT", order.order_id).await.unwrap_err();
    assert_eq!(again.code(), Some(ErrorCode::CANCEL_REJECTED), "{again}");

    // Fifty requests in flight on one connection, each answered to its caller.
    let mut tasks = Vec::new();
    for limit in 1..=50u32 {
        let ws = ws.clone();
        tasks.push(tokio::spawn(async move {
            let d = ws
                .request("depth", Params::new().text("symbol", "BTCUSDT").int("limit", u64::from(limit)))
                .await;
            (limit, d.unwrap())
        }));
    }
    for t in tasks {
        let (limit, depth) = t.await.unwrap();
        let bids = depth["bids"].as_array().unwrap().len();
        assert!(bids <= limit as usize && bids >= 1, "limit {limit}: {bids} bids");
    }
    assert!(matches!(ws.request("no.such.method", Params::new()).await, Err(Error::Config(_))));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_clock_jump_is_answered_by_a_resync_and_one_more_try() {
    let sb = TestSandbox::start().await;
    let c = hmac_client(&sb);
    let ws = c.ws_api();
    let order = ws.place_order(limit_buy(&c)).await.unwrap();
    // The server's clock jumps 20 s back: our timestamps are "ahead" until we re-sync. A cancel
    // (no client-side settling of its own) re-syncs and goes once more.
    sb.state().clock().set_offset_ms(-20_000);
    let cancelled = ws.cancel_order("BTCUSDT", order.order_id).await.unwrap();
    assert_eq!(cancelled.status, Some(OrderStatus::Canceled), "{cancelled:?}");
    assert!((c.clock_offset_ms() + 20_000).abs() < 1_000, "offset {}", c.clock_offset_ms());
    // A timestamp the caller set is the caller's: it is not replaced, the -1021 comes back.
    let stale = Params::new().int("timestamp", 1_000_000_000_000u64);
    let err = ws.request("account.status", stale).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INVALID_TIMESTAMP), "{err}");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_order_whose_answer_is_lost_is_looked_up_not_resent() {
    let sb = TestSandbox::start().await;
    let c = hmac_client(&sb);
    let ws = c.ws_api().with_timeout(Duration::from_millis(500));
    // Committed, then no answer at all.
    sb.faults().drop_response_after_commit(1);
    let order = ws.place_order(limit_buy(&c)).await.unwrap();
    assert_eq!(order.status, Some(OrderStatus::New), "{order:?}");
    let open = c.open_orders(Some("BTCUSDT")).await.unwrap();
    assert_eq!(open.len(), 1, "placed once: {open:?}");
    assert_eq!(open[0].client_order_id, order.client_order_id);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_ed25519_session_logs_on_and_again_after_a_reconnection() {
    let rules = StreamRules { lifetime: Duration::from_millis(600), ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let admin = Client::builder().environment(Environment::custom(sb.rest_url())).build().unwrap();
    let key = admin
        .sandbox_add_key(
            &json!({"kind": "ed25519", "publicKey": mbx_testkit::keys::public_pem(KeyKind::Ed25519)}),
        )
        .await
        .unwrap();
    let c = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(key["apiKey"].as_str().unwrap())
        .signer(mbx_testkit::keys::signer(KeyKind::Ed25519))
        .build()
        .unwrap();
    let ws = c.ws_api();
    let logon = ws.logon().await.unwrap();
    assert!(logon["apiKey"].is_string(), "{logon}");
    let status = ws.request("session.status", Params::new()).await.unwrap();
    assert_eq!(status["apiKey"], key["apiKey"], "{status}");
    ws.account().await.unwrap();
    // The server ends the connection at its (short) lifetime; the next request opens a new one
    // (a new `connectedSince`), logged on again before it is sent.
    let first = status["connectedSince"].as_u64().unwrap();
    let mut reconnected = false;
    for _ in 0..100 {
        match ws.request("session.status", Params::new()).await {
            Ok(s) => {
                assert_eq!(s["apiKey"], key["apiKey"], "always logged on: {s}");
                if s["connectedSince"].as_u64() != Some(first) {
                    reconnected = true;
                    break;
                }
            }
            // A request that met the cut itself: the next one reconnects.
            Err(Error::Transport(_)) => {}
            Err(e) => panic!("{e}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(reconnected, "a new connection after the server's cut");
    ws.account().await.unwrap();
    sb.shutdown().await;
}

/// The next user stream item, in time; every event must read as its typed form.
async fn next_item(stream: &mut mbx_client::UserStream) -> mbx_client::UserItem {
    let item = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("an item in time")
        .expect("open");
    if let Some(typed) = item.user_event() {
        let typed = typed.unwrap_or_else(|e| panic!("{item:?}: {e}"));
        assert!(!matches!(typed, mbx_client::types::user::UserEvent::Other(_)), "{item:?}");
    }
    item
}

#[tokio::test]
async fn the_user_stream_reports_orders_and_after_a_gap_a_snapshot() {
    let rules = StreamRules { lifetime: Duration::from_millis(800), ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let c = hmac_client(&sb);
    let ws = c.ws_api();
    let mut stream = ws.user_stream().await.unwrap();
    assert!(stream.subscription_id().is_u64(), "{:?}", stream.subscription_id());
    let order = limit_buy(&c).send().await.unwrap();
    let report = loop {
        if let mbx_client::UserItem::Event { kind, event } = next_item(&mut stream).await
            && kind == "executionReport"
        {
            break event;
        }
    };
    assert_eq!((report["i"].as_u64(), &report["x"]), (Some(order.order_id), &json!("NEW")), "{report}");
    match mbx_client::types::user::UserEvent::parse(&report).unwrap() {
        mbx_client::types::user::UserEvent::ExecutionReport(r) => {
            assert_eq!(
                (r.order_id, r.status, r.quantity),
                (order.order_id, OrderStatus::New, Decimal::new(1, 3))
            );
            assert_eq!((r.side, r.price), (Side::Buy, Decimal::new(30_000, 0)));
        }
        other => panic!("{other:?}"),
    }
    // The server cuts the connection at its (short) lifetime: a gap, then the account as it is.
    let reason = loop {
        match next_item(&mut stream).await {
            mbx_client::UserItem::Gap { reason } => break reason,
            mbx_client::UserItem::Event { .. } => {}
            other => panic!("{other:?}"),
        }
    };
    assert!(reason.contains("lost") || reason.contains("ended"), "{reason}");
    // The order did not change during the gap: the reconciliation has nothing to say of it.
    loop {
        match next_item(&mut stream).await {
            mbx_client::UserItem::Resynced { account, open_orders } => {
                assert!(open_orders.iter().any(|o| o.order_id == order.order_id), "{open_orders:?}");
                assert_eq!(account.balance("USDT").unwrap().locked, Decimal::new(30, 0));
                break;
            }
            mbx_client::UserItem::BalanceChanged { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(stream.view().open_orders().contains_key(&order.order_id), "{:?}", stream.view());
    assert_eq!(stream.view().balance("USDT").locked, Decimal::new(30, 0));
    // Subscribed again: the next order's events arrive.
    let cancel = c.cancel_order("BTCUSDT", order.order_id).await.unwrap();
    let report = loop {
        match next_item(&mut stream).await {
            mbx_client::UserItem::Event { kind, event } if kind == "executionReport" => break event,
            mbx_client::UserItem::Event { .. } => {}
            // The new connection may be cut too before the cancel's events come: then a snapshot shows it.
            mbx_client::UserItem::Gap { .. } => {}
            mbx_client::UserItem::Resynced { open_orders, .. } => {
                assert!(open_orders.iter().all(|o| o.order_id != order.order_id));
                assert!(!stream.view().open_orders().contains_key(&order.order_id));
                sb.shutdown().await;
                return;
            }
            other => assert!(
                matches!(&other, mbx_client::UserItem::OrderGone { order_id, .. } if *order_id == order.order_id)
                    || matches!(other, mbx_client::UserItem::BalanceChanged { .. }),
                "{other:?}"
            ),
        }
    };
    assert_eq!((report["i"].as_u64(), &report["x"]), (Some(cancel.order_id), &json!("CANCELED")), "{report}");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_order_list_s_status_arrives_typed() {
    use mbx_client::types::user::UserEvent;
    let sb = TestSandbox::start_with(Sandbox::builder().memory().market_maker(false)).await;
    let c = hmac_client(&sb);
    let ws = c.ws_api();
    let mut stream = ws.user_stream().await.unwrap();
    let params = Params::new()
        .text("symbol", "BTCUSDT")
        .text("side", "BUY")
        .text("quantity", "0.001")
        .text("aboveType", "STOP_LOSS")
        .text("aboveStopPrice", "90000")
        .text("belowType", "LIMIT_MAKER")
        .text("belowPrice", "30000");
    let placed = ws.request("orderList.place.oco", params).await.unwrap();
    let list_id = placed["orderListId"].as_i64().unwrap();
    let next_list = async |stream: &mut mbx_client::UserStream| loop {
        if let Some(Ok(UserEvent::ListStatus(l))) = next_item(stream).await.user_event() {
            break l;
        }
    };
    let list = next_list(&mut stream).await;
    assert_eq!((list.order_list_id, list.symbol.as_str()), (list_id, "BTCUSDT"));
    assert_eq!(
        (list.contingency_type.as_str(), list.list_status_type.as_str(), list.list_order_status.as_str()),
        ("OCO", "EXEC_STARTED", "EXECUTING")
    );
    assert_eq!(list.list_client_order_id, placed["listClientOrderId"].as_str().unwrap());
    let ids: Vec<u64> =
        placed["orders"].as_array().unwrap().iter().map(|o| o["orderId"].as_u64().unwrap()).collect();
    assert_eq!(list.orders.iter().map(|o| o.order_id).collect::<Vec<_>>(), ids);
    assert!(list.orders.iter().all(|o| o.symbol == "BTCUSDT" && !o.client_order_id.is_empty()));
    assert!(!list.is_done());
    // Cancelled: the list is done, and both orders have left the stream's view.
    ws.request(
        "orderList.cancel",
        Params::new().text("symbol", "BTCUSDT").int("orderListId", list_id as u64),
    )
    .await
    .unwrap();
    let done = next_list(&mut stream).await;
    assert_eq!((done.list_status_type.as_str(), done.list_order_status.as_str()), ("ALL_DONE", "ALL_DONE"));
    assert!(done.is_done());
    assert!(ids.iter().all(|id| !stream.view().open_orders().contains_key(id)), "{:?}", stream.view());
    sb.shutdown().await;
}

/// A WebSocket API server that closes gets the closing handshake's answer, a Close frame (RFC 6455,
/// 5.5.1), and the request it left unanswered fails as a lost connection.
#[tokio::test]
async fn a_server_close_is_answered_with_a_close_frame() {
    // The client's request comes first; the server closes instead of answering it.
    let (addr, server) = crate::closing_server(1).await;
    let c = Client::builder()
        .environment(Environment::custom(format!("http://{addr}")))
        .ws_api_url(format!("ws://{addr}/ws-api/v3"))
        .build()
        .unwrap();
    let answer = c.ws_api().request("time", Params::new()).await;
    assert!(matches!(answer, Err(Error::Transport(_))), "{answer:?}");
    assert_eq!(server.await.unwrap(), Ok(Some(1001)), "the client's answer echoes the server's code");
}

/// The client counts its own WebSocket API handshakes: one more than it allows in 5 minutes is not
/// started (the sandbox never sees it), and is reported at once as `RateLimited` with the time
/// until the window makes room; REST, the open connection and the market streams (counted apart)
/// go on.
#[tokio::test]
async fn the_client_starts_no_connection_past_its_own_count() {
    let sb = TestSandbox::start().await;
    let c = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .ws_connections_per_5m(2)
        .build()
        .unwrap();
    let loopback: std::net::IpAddr = [127, 0, 0, 1].into();
    let (first, second) = (c.ws_api(), c.ws_api());
    first.request("ping", Params::new()).await.unwrap();
    second.request("ping", Params::new()).await.unwrap();
    assert_eq!(sb.state().hub().api_attempts().recent(loopback), 2);

    let started = std::time::Instant::now();
    let third = c.ws_api().request("ping", Params::new()).await.unwrap_err();
    let Error::RateLimited { status: 429, retry_after, api: None } = third else { panic!("{third:?}") };
    assert!(
        retry_after > Duration::from_secs(280) && retry_after <= Duration::from_secs(300),
        "{retry_after:?}"
    );
    assert_eq!(sb.state().hub().api_attempts().recent(loopback), 2, "no third handshake reached the sandbox");
    assert!(started.elapsed() < Duration::from_secs(5), "a wait past 70 s is reported at once");

    // What is open goes on, and so does everything the count does not cover.
    first.request("ping", Params::new()).await.unwrap();
    c.server_time().await.unwrap();
    let trades = c.market_streams(["btcusdt@trade"]).open().await.unwrap();
    assert_eq!(trades.connections(), 1);
    drop(trades);
    sb.shutdown().await;
}

/// Binance allows an address 300 WebSocket connections in 5 minutes. A handshake refused for that
/// (429 with `Retry-After`) holds back new WebSocket API connections until then, reported at once
/// as `RateLimited`, while REST and requests on connections already open go on.
#[tokio::test]
async fn a_refused_connection_holds_back_connections_only() {
    let rules = StreamRules { connections_per_5m: 1, ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let c = hmac_client(&sb);
    let first = c.ws_api();
    first.request("ping", Params::new()).await.unwrap();

    // A second connection is refused: the window ends 5 minutes after the first.
    let second = c.ws_api();
    let refused = second.request("ping", Params::new()).await.unwrap_err();
    let Error::RateLimited { status: 429, retry_after, api: None } = refused else { panic!("{refused:?}") };
    assert!(
        retry_after > Duration::from_secs(290) && retry_after <= Duration::from_secs(300),
        "{retry_after:?}"
    );

    // REST is not held back, nor is the connection already open.
    let started = std::time::Instant::now();
    c.server_time().await.unwrap();
    first.request("ping", Params::new()).await.unwrap();
    assert!(c.ws_api().request("time", Params::new()).await.is_err(), "a third connection waits too");
    assert!(started.elapsed() < Duration::from_secs(5), "nothing waited for the refusal");

    // The sandbox would now take the connection, but the client keeps to the Retry-After it was
    // given: no handshake before then (each refused one counts against Binance's limit too).
    sb.state().hub().set_rules(StreamRules::default());
    let again = second.request("ping", Params::new()).await;
    assert!(
        matches!(again, Err(Error::RateLimited { status: 429, retry_after, .. }) if retry_after > Duration::from_secs(280)),
        "{again:?}"
    );
    sb.shutdown().await;
}
