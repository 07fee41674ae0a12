//! Market streams through the client against the sandbox: typed events, live subscription
//! changes, and a connection the server cuts, reported as a gap and replaced.

use std::time::Duration;

use mbx_client::types::stream::MarketEvent;
use mbx_client::{Client, StreamItem};
use mbx_core::model::{OrderType, Side};
use mbx_sandbox::Sandbox;
use mbx_sandbox::ws::hub::StreamRules;
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;

use crate::demo_client as client;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The next item, within a few seconds.
async fn next(stream: &mut mbx_client::MarketStream) -> StreamItem {
    tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("an item in time")
        .expect("open")
}

/// The next trade event (other items skipped).
async fn next_trade(
    stream: &mut mbx_client::MarketStream,
) -> (String, mbx_client::types::stream::TradeEvent) {
    loop {
        if let StreamItem::Event(e) = next(stream).await
            && let MarketEvent::Trade(t) = e.event
        {
            return (e.stream, t);
        }
    }
}

/// A market buy of `qty` that trades against the market maker.
async fn buy(c: &Client, symbol: &str, qty: &str) -> mbx_client::types::Order {
    c.new_order(symbol, Side::Buy, OrderType::Market).quantity(d(qty)).send().await.unwrap()
}

#[tokio::test]
async fn trades_arrive_typed_and_subscriptions_change_live() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let mut stream = c.market_streams(["btcusdt@trade", "btcusdt@bookTicker"]).open().await.unwrap();
    let order = buy(&c, "BTCUSDT", "0.01").await;
    let (name, trade) = next_trade(&mut stream).await;
    assert_eq!((name.as_str(), trade.symbol.as_str()), ("btcusdt@trade", "BTCUSDT"));
    let fill = &order.fills[0];
    assert_eq!((trade.trade_id, trade.price, trade.quantity), (fill.trade_id, fill.price, fill.qty));

    stream.subscribe(["ethusdt@trade"]).unwrap();
    stream.unsubscribe(["btcusdt@trade"]).unwrap();
    // The changes go out as the stream is next read, and are in effect once the server has
    // answered them: trades made before that may never come (ETH's) or be dropped (BTC's), so each
    // round makes a trade on each symbol and reads what comes, until ETH's shows.
    let mut seen = None;
    for _ in 0..50 {
        buy(&c, "BTCUSDT", "0.001").await;
        buy(&c, "ETHUSDT", "0.01").await;
        match tokio::time::timeout(Duration::from_millis(500), next_trade(&mut stream)).await {
            Ok((name, t)) if name == "ethusdt@trade" => {
                seen = Some(t);
                break;
            }
            Ok(_) | Err(_) => {}
        }
    }
    let eth = seen.expect("an ETH trade after subscribing");
    assert_eq!(eth.symbol, "ETHUSDT");
    buy(&c, "BTCUSDT", "0.001").await;
    buy(&c, "ETHUSDT", "0.01").await;
    let (name, _) = next_trade(&mut stream).await;
    assert_eq!(name, "ethusdt@trade", "BTC's trades stopped");
    assert!(c.market_streams(["btcusdt@nonsense"]).open().await.is_err(), "names are checked");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_cut_connection_is_a_gap_and_is_replaced() {
    let rules = StreamRules { lifetime: Duration::from_millis(700), ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let c = client(&sb);
    let mut stream = c.market_streams(["btcusdt@trade"]).open().await.unwrap();
    buy(&c, "BTCUSDT", "0.001").await;
    next_trade(&mut stream).await;
    // The server cuts the connection at its (short) lifetime: a gap, then events again.
    loop {
        match next(&mut stream).await {
            StreamItem::Gap(gap) => {
                assert!(gap.reason.contains("lifetime"), "{gap:?}");
                assert!(gap.after_ms.is_some(), "{gap:?}");
                break;
            }
            StreamItem::Event(_) => {}
            other => panic!("{other:?}"),
        }
    }
    // Trades keep arriving on the new connection (it too is cut soon: keep trading until one comes).
    let mut got = false;
    for _ in 0..20 {
        buy(&c, "BTCUSDT", "0.001").await;
        if let Ok(item) = tokio::time::timeout(Duration::from_millis(500), stream.next()).await
            && matches!(item, Some(StreamItem::Event(_)))
        {
            got = true;
            break;
        }
    }
    assert!(got, "events after the reconnection");
    sb.shutdown().await;
}

#[tokio::test]
async fn renewal_before_the_cut_misses_nothing() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    // Renewed every 300 ms: each time a new connection is opened before the old one closes.
    let mut stream =
        c.market_streams(["btcusdt@trade"]).renew_after(Duration::from_millis(300)).open().await.unwrap();
    let mut ids = Vec::new();
    let mut expected = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(1500);
    // Buys and sells in turn, so the demo account's balances last.
    let mut buy_next = true;
    while tokio::time::Instant::now() < deadline {
        let side = if buy_next { Side::Buy } else { Side::Sell };
        let o = c.new_order("BTCUSDT", side, OrderType::Market).quantity(d("0.001")).send().await.unwrap();
        expected.extend(o.fills.iter().map(|f| f.trade_id));
        buy_next = !buy_next;
    }
    while ids.last() != expected.last() {
        match next(&mut stream).await {
            StreamItem::Event(e) => {
                if let MarketEvent::Trade(t) = e.event {
                    ids.push(t.trade_id);
                }
            }
            StreamItem::Gap(g) => panic!("no gap on renewal: {g:?}"),
            StreamItem::Refused(r) => panic!("{r}"),
        }
    }
    ids.dedup();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique, expected, "every trade, none missed (the overlap may repeat some)");
    sb.shutdown().await;
}

#[tokio::test]
async fn many_subscription_changes_are_paced_under_the_server_s_limit() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let mut stream = c.market_streams(["btcusdt@trade"]).open().await.unwrap();
    // Eight changes at once: sent all together, the server would close the connection (more than
    // 5 messages a second).
    for name in [
        "btcusdt@aggTrade",
        "btcusdt@bookTicker",
        "btcusdt@avgPrice",
        "btcusdt@miniTicker",
        "btcusdt@ticker",
        "btcusdt@depth5",
        "btcusdt@kline_1m",
        "ethusdt@trade",
    ] {
        stream.subscribe([name]).unwrap();
    }
    let eth = loop {
        buy(&c, "ETHUSDT", "0.01").await;
        match tokio::time::timeout(Duration::from_millis(500), stream.next()).await {
            Ok(Some(StreamItem::Event(e))) if e.stream == "ethusdt@trade" => break e,
            Ok(Some(StreamItem::Event(_))) | Err(_) => {}
            Ok(Some(other)) => panic!("no gap, no refusal: {other:?}"),
            Ok(None) => panic!("ended"),
        }
    };
    assert!(matches!(eth.event, MarketEvent::Trade(_)));
    sb.shutdown().await;
}

#[tokio::test]
async fn streams_beyond_the_per_connection_limit_open_more_connections() {
    // A server that takes 2 streams a connection (Binance: 1024), and a client that knows it.
    let rules = StreamRules { max_streams: 2, ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let c = client(&sb);
    let mut stream = c
        .market_streams(["btcusdt@trade", "btcusdt@aggTrade", "ethusdt@trade"])
        .max_per_connection(2)
        .open()
        .await
        .unwrap();
    assert_eq!(stream.connections(), 2);
    stream.subscribe(["ethusdt@aggTrade", "ltcbtc@trade"]).unwrap();
    assert_eq!(stream.connections(), 3, "one more for the stream the others have no room for");
    // Every stream's events arrive, none refused.
    let mut want: std::collections::BTreeSet<&str> =
        ["btcusdt@trade", "btcusdt@aggTrade", "ethusdt@trade", "ethusdt@aggTrade", "ltcbtc@trade"].into();
    let mut rounds = 0;
    while !want.is_empty() {
        rounds += 1;
        assert!(rounds < 50, "still waiting for {want:?}");
        buy(&c, "BTCUSDT", "0.001").await;
        buy(&c, "ETHUSDT", "0.01").await;
        buy(&c, "LTCBTC", "0.1").await;
        loop {
            match tokio::time::timeout(Duration::from_millis(300), stream.next()).await {
                Ok(Some(StreamItem::Event(e))) => {
                    want.remove(e.stream.as_str());
                }
                Ok(Some(other)) => panic!("no gap, no refusal: {other:?}"),
                Ok(None) => panic!("ended"),
                Err(_) => break,
            }
        }
    }
    // Removed from the connection that carries it: its events stop, the others go on.
    stream.unsubscribe(["btcusdt@trade"]).unwrap();
    stream.subscribe(["btcusdt@bookTicker"]).unwrap();
    assert_eq!(stream.connections(), 3, "the room freed is used");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_stream_that_cannot_reconnect_gives_up_with_a_last_gap_and_ends() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let mut stream = c.market_streams(["btcusdt@trade"]).max_reconnects(2).open().await.unwrap();
    buy(&c, "BTCUSDT", "0.001").await;
    let (_, first) = next_trade(&mut stream).await;
    // The server goes away for good (announcing it with `serverShutdown`): the lost connection and
    // the failed replacement are gaps, then the last gap, then the end.
    sb.shutdown().await;
    let mut gaps = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.next()).await.expect("in time") {
            Some(StreamItem::Gap(g)) => gaps.push(g),
            Some(StreamItem::Event(_)) => {}
            Some(StreamItem::Refused(r)) => panic!("{r}"),
            None => break,
        }
    }
    assert!(gaps.len() >= 2, "{gaps:?}");
    assert!(gaps.last().unwrap().reason.starts_with("gave up after 2 attempts"), "{gaps:?}");
    // Both gaps are after the last event: its local time, not later than now.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
    for g in &gaps {
        let after = u128::from(g.after_ms.expect("an event came before"));
        assert!(after <= now && after + 10_000 >= now, "{g:?}");
        assert!(after + 5_000 >= u128::from(first.trade_time), "{g:?}");
    }
    assert!(stream.next().await.is_none(), "ended for good");
    assert!(stream.subscribe(["ethusdt@trade"]).is_err(), "nothing left to carry a new stream");
}

/// A server that closes gets the closing handshake's answer, a Close frame (RFC 6455, 5.5.1),
/// before the client drops the connection and reports the gap.
#[tokio::test]
async fn a_server_close_is_answered_with_a_close_frame() {
    let (addr, server) = crate::closing_server(0).await;
    let c = Client::builder()
        .environment(mbx_client::Environment::custom(format!("http://{addr}")))
        .stream_url(format!("ws://{addr}"))
        .build()
        .unwrap();
    let mut stream = c.market_streams(["btcusdt@trade"]).max_reconnects(0).open().await.unwrap();
    // The stream reads as it is polled: the server's side and the next item together.
    let (answered, item) = tokio::join!(server, next(&mut stream));
    assert_eq!(answered.unwrap(), Ok(Some(1001)), "the client's answer echoes the server's code");
    match item {
        StreamItem::Gap(g) => assert!(g.reason.contains("going away"), "{g:?}"),
        other => panic!("{other:?}"),
    }
}
