//! User data streams under faults, against the sandbox: a connection the server drops mid-stream,
//! the connection's lifetime cut (shortened from 24 hours), a `serverShutdown` with the sandbox
//! restarted on its data directory, and an expired listenKey (`--flavor us`). Orders are placed,
//! filled and cancelled by another client before, during and after each fault. Each test ends with
//! the stream's view of open orders and balances equal to the sandbox's, and checks per order that
//! the execution reports read plus the reconciliation items give the order's final state, with no
//! report read twice and no trade missing outside a reported gap.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::time::Duration;

use mbx_client::types::user::UserEvent;
use mbx_client::{ChaosConfig, Client, ConnectionChaos, Environment, UserItem, UserView};
use mbx_core::endpoint::Method;
use mbx_core::model::{OrderStatus, OrderType, Side};
use mbx_sandbox::ws::hub::StreamRules;
use mbx_sandbox::{Flavor, Sandbox};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use serde_json::json;

fn client(rest_url: &str) -> Client {
    Client::builder()
        .environment(Environment::custom(rest_url))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap()
}

/// Either user data stream.
enum Source {
    Ws(mbx_client::UserStream),
    ListenKey(mbx_client::ListenKeyStream),
}

impl Source {
    async fn next(&mut self) -> UserItem {
        let next = async {
            match self {
                Source::Ws(s) => s.next().await,
                Source::ListenKey(s) => s.next().await,
            }
        };
        let item = tokio::time::timeout(Duration::from_secs(20), next)
            .await
            .expect("an item in time")
            .expect("open");
        if std::env::var_os("CHAOS_DEBUG").is_some() {
            eprintln!("{item:?}");
        }
        item
    }

    fn view(&self) -> &UserView {
        match self {
            Source::Ws(s) => s.view(),
            Source::ListenKey(s) => s.view(),
        }
    }
}

/// What the stream told the test, order by order.
#[derive(Default)]
struct Seen {
    /// Last known status and executed quantity of each order.
    orders: HashMap<u64, (OrderStatus, Decimal)>,
    /// (order id, execution id) of every report read.
    executions: HashSet<(u64, u64)>,
    gaps: usize,
    reconciled: usize,
    resynced: usize,
}

impl Seen {
    fn take(&mut self, item: &UserItem) {
        match item {
            UserItem::Event { .. } => {
                let Some(Ok(UserEvent::ExecutionReport(r))) = item.user_event() else { return };
                assert!(self.executions.insert((r.order_id, r.execution_id)), "a report read twice: {r:?}");
                let known = self.orders.get(&r.order_id).cloned();
                let known_qty = known.as_ref().map_or(Decimal::ZERO, |k| k.1);
                if r.execution_type == "TRADE" && known_qty < r.cumulative_quantity {
                    assert_eq!(
                        known_qty + r.last_quantity,
                        r.cumulative_quantity,
                        "a trade of order {} missing with no gap reported: {r:?}",
                        r.order_id
                    );
                }
                // A final status never changes; a report that the reconciliation already covered
                // (sent after the new subscription, before the snapshot) changes nothing.
                if known.as_ref().is_none_or(|k| !k.0.is_final() && k.1 <= r.cumulative_quantity) {
                    self.orders.insert(r.order_id, (r.status.clone(), r.cumulative_quantity));
                }
            }
            UserItem::OrderChanged { order } => {
                self.reconciled += 1;
                let status = order.status.clone().expect("a status");
                self.orders.insert(order.order_id, (status, order.executed_qty));
            }
            UserItem::OrderGone { order_id, order, .. } => {
                self.reconciled += 1;
                let order = order.as_ref().expect("the closed order looked up");
                assert_eq!(order.order_id, *order_id);
                let status = order.status.clone().expect("a status");
                assert!(status.is_final(), "{order:?}");
                self.orders.insert(*order_id, (status, order.executed_qty));
            }
            UserItem::BalanceChanged { .. } => self.reconciled += 1,
            UserItem::Resynced { .. } => self.resynced += 1,
            UserItem::Gap { .. } => self.gaps += 1,
        }
    }
}

/// Another client of the same account: places, fills and cancels BTCUSDT orders.
struct Trader {
    client: Client,
    resting: Vec<u64>,
    placed: Vec<u64>,
    n: u32,
}

impl Trader {
    fn new(client: Client) -> Trader {
        Trader { client, resting: Vec::new(), placed: Vec::new(), n: 0 }
    }

    /// `count` operations in turn: a resting limit buy, a market buy (filled), a cancel of the
    /// oldest resting order, a market sell (filled).
    async fn trade(&mut self, count: u32) {
        let c = &self.client;
        for _ in 0..count {
            self.n += 1;
            let qty = Decimal::new(1, 3);
            match self.n % 4 {
                0 => {
                    let o = c
                        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
                        .quantity(qty)
                        .price(Decimal::new(30_000, 0))
                        .send()
                        .await
                        .unwrap();
                    self.placed.push(o.order_id);
                    self.resting.push(o.order_id);
                }
                1 | 3 => {
                    let side = if self.n % 4 == 1 { Side::Buy } else { Side::Sell };
                    let o =
                        c.new_order("BTCUSDT", side, OrderType::Market).quantity(qty).send().await.unwrap();
                    assert_eq!(o.status, Some(OrderStatus::Filled), "{o:?}");
                    self.placed.push(o.order_id);
                }
                _ => {
                    if !self.resting.is_empty() {
                        let id = self.resting.remove(0);
                        c.cancel_order("BTCUSDT", id).await.unwrap();
                    }
                }
            }
        }
    }

    /// A last order, placed and cancelled: once the stream shows it closed, every change before
    /// it has been read or reconciled.
    async fn marker(&mut self) -> u64 {
        let c = &self.client;
        let o = c
            .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
            .quantity(Decimal::new(1, 3))
            .price(Decimal::new(30_000, 0))
            .send()
            .await
            .unwrap();
        c.cancel_order("BTCUSDT", o.order_id).await.unwrap();
        self.placed.push(o.order_id);
        o.order_id
    }
}

/// Reads until the stream reports a gap.
async fn until_gap(stream: &mut Source, seen: &mut Seen) {
    loop {
        let item = stream.next().await;
        seen.take(&item);
        if matches!(item, UserItem::Gap { .. }) {
            return;
        }
    }
}

/// Reads until the reconciliation after a gap has ended.
async fn until_resynced(stream: &mut Source, seen: &mut Seen) {
    loop {
        let item = stream.next().await;
        seen.take(&item);
        if matches!(item, UserItem::Resynced { .. }) {
            return;
        }
    }
}

/// Reads until `marker` is known closed, then compares everything with the sandbox.
async fn settle(stream: &mut Source, seen: &mut Seen, trader: &Trader, marker: u64) {
    while !seen.orders.get(&marker).is_some_and(|(s, _)| s.is_final()) {
        let item = stream.next().await;
        seen.take(&item);
        if seen.orders.get(&marker).is_some_and(|(s, _)| s.is_final())
            && matches!(&item, UserItem::Event { kind, .. } if kind == "executionReport")
        {
            // The cancel's balances come next (or a reconciliation has them).
            loop {
                let item = stream.next().await;
                seen.take(&item);
                match item {
                    UserItem::Event { kind, .. } if kind == "outboundAccountPosition" => break,
                    UserItem::Resynced { .. } => break,
                    _ => {}
                }
            }
        }
    }
    let c = &trader.client;
    // The view equals the exchange: open orders (status, executed quantity) and balances.
    let open = c.open_orders(None).await.unwrap();
    let view = stream.view();
    let mut want: Vec<(u64, OrderStatus, Decimal)> =
        open.iter().map(|o| (o.order_id, o.status.clone().unwrap(), o.executed_qty)).collect();
    want.sort_by_key(|o| o.0);
    let have: Vec<(u64, OrderStatus, Decimal)> =
        view.open_orders().iter().map(|(id, o)| (*id, o.status.clone(), o.executed_qty)).collect();
    assert_eq!(have, want, "open orders");
    let account = c.account().await.unwrap();
    let want: HashMap<String, (Decimal, Decimal)> = account
        .balances
        .iter()
        .filter(|b| !(b.free.is_zero() && b.locked.is_zero()))
        .map(|b| (b.asset.clone(), (b.free, b.locked)))
        .collect();
    let have: HashMap<String, (Decimal, Decimal)> =
        view.balances().iter().map(|(a, b)| (a.clone(), (b.free, b.locked))).collect();
    assert_eq!(have, want, "balances");
    // Every order the stream told of ends as the exchange has it; one it never told of lived and
    // ended inside a gap.
    for id in &trader.placed {
        let order = c.order("BTCUSDT", *id).await.unwrap();
        let exchange = (order.status.clone().unwrap(), order.executed_qty);
        match seen.orders.get(id) {
            Some(s) => assert_eq!(s, &exchange, "order {id}"),
            None => {
                assert!(seen.gaps > 0 && exchange.0.is_final(), "order {id} never reported: {exchange:?}")
            }
        }
    }
    assert!(seen.gaps >= 1 && seen.resynced >= 1, "the fault was seen and reconciled");
}

/// A WebSocket API user stream of the demo account on the sandbox at `rest_url`, a trader of the
/// same account, and 12 operations read before any fault.
async fn started(rest_url: &str) -> (Client, Source, Trader, Seen) {
    let c = client(rest_url);
    let stream = Source::Ws(c.ws_api().user_stream().await.unwrap());
    let mut trader = Trader::new(client(rest_url));
    let seen = Seen::default();
    trader.trade(12).await;
    (c, stream, trader, seen)
}

/// After the fault: 8 more operations and a marker, then [`settle`].
async fn finish(stream: &mut Source, seen: &mut Seen, trader: &mut Trader) {
    trader.trade(8).await;
    let marker = trader.marker().await;
    settle(stream, seen, trader, marker).await;
}

#[tokio::test]
async fn a_dropped_connection_ends_with_the_exchange_s_orders_and_balances() {
    let sb = TestSandbox::start().await;
    let (_, mut stream, mut trader, mut seen) = started(&sb.rest_url()).await;
    // The server drops every connection, with no close frame.
    sb.state().hub().cut_connections();
    until_gap(&mut stream, &mut seen).await;
    // No subscription until the stream is read again: these changes fall in the gap.
    trader.trade(12).await;
    until_resynced(&mut stream, &mut seen).await;
    finish(&mut stream, &mut seen, &mut trader).await;
    assert!(seen.reconciled >= 2, "the gap's orders and balances came as reconciliation items");
    sb.shutdown().await;
}

/// The connection of the new subscription after a gap is lost too, before its answer (the sandbox
/// subscribes and then cuts instead of answering). The stream subscribes again on a third
/// connection; the lost connection's end, read after that, is stale and must not start another
/// subscription (the server refuses a second one on the same connection: one per account per
/// connection), which used to leave the stream retrying while its events waited (the soak's
/// stuck view). One gap, one reconciliation, and the view equals the exchange.
#[tokio::test]
async fn a_resubscription_lost_before_its_answer_ends_with_the_exchange_s_orders_and_balances() {
    let sb = TestSandbox::start().await;
    let (c, mut stream, mut trader, mut seen) = started(&sb.rest_url()).await;
    // Every WebSocket answer is cut from here on, until one has been.
    let chaos =
        ChaosConfig { seed: 7, connections: ConnectionChaos { cut_ws: 1.0 }, ..ChaosConfig::default() };
    let cuts_before = c.sandbox_set_chaos(&chaos).await.unwrap().injected.ws_cuts;
    sb.state().hub().cut_connections();
    until_gap(&mut stream, &mut seen).await;
    trader.trade(12).await;
    // The stream's next call subscribes again: the first try's answer is cut, then chaos ends
    // (the client waits at least 500 ms before its next try).
    let chaos_off = async {
        while c.sandbox_chaos().await.unwrap().injected.ws_cuts == cuts_before {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        c.sandbox_clear_chaos().await.unwrap();
    };
    let ((), first) = tokio::join!(chaos_off, stream.next());
    seen.take(&first);
    if !matches!(first, UserItem::Resynced { .. }) {
        until_resynced(&mut stream, &mut seen).await;
    }
    finish(&mut stream, &mut seen, &mut trader).await;
    assert_eq!((seen.gaps, seen.resynced), (1, 1), "one gap, one reconciliation");
    assert_eq!(c.sandbox_chaos().await.unwrap().injected.ws_cuts, cuts_before + 1, "one answer cut");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_lifetime_cut_ends_with_the_exchange_s_orders_and_balances() {
    let rules = StreamRules { lifetime: Duration::from_millis(1500), ..StreamRules::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().stream_rules(rules)).await;
    let (_, mut stream, mut trader, mut seen) = started(&sb.rest_url()).await;
    // The server ends the connection at its (short) lifetime.
    until_gap(&mut stream, &mut seen).await;
    trader.trade(12).await;
    until_resynced(&mut stream, &mut seen).await;
    finish(&mut stream, &mut seen, &mut trader).await;
    assert!(seen.reconciled >= 2, "the gap's changes came as reconciliation items");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_server_shutdown_and_restart_ends_with_the_exchange_s_orders_and_balances() {
    let dir = mbx_testkit::TempDir::new("mbx-chaos");
    let start = |addr: SocketAddr| Sandbox::builder().data_dir(dir.path()).bind(addr).start();
    let sb = start(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let addr = sb.local_addr();
    let (_, mut stream, trader, mut seen) = started(&sb.rest_url()).await;
    // A graceful stop: `serverShutdown`, then the connection closes.
    sb.shutdown().await.unwrap();
    let mut shutdown_event = false;
    loop {
        let item = stream.next().await;
        seen.take(&item);
        match item {
            UserItem::Event { kind, .. } if kind == "serverShutdown" => shutdown_event = true,
            UserItem::Gap { .. } => break,
            _ => {}
        }
    }
    assert!(shutdown_event, "the server said it was shutting down");
    // The same data, the same address; orders change before the stream is read again.
    let sb = start(addr).await.unwrap();
    let mut trader = Trader { client: client(&sb.rest_url()), ..trader };
    trader.trade(12).await;
    until_resynced(&mut stream, &mut seen).await;
    finish(&mut stream, &mut seen, &mut trader).await;
    assert!(seen.reconciled >= 2, "the gap's changes came as reconciliation items");
    sb.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_expired_listen_key_ends_with_the_exchange_s_orders_and_balances() {
    let sb = TestSandbox::start_with(Sandbox::builder().memory().flavor(Flavor::Us)).await;
    let c = client(&sb.rest_url());
    let mut stream = Source::ListenKey(c.listen_key_stream().await.unwrap());
    let mut trader = Trader::new(client(&sb.rest_url()));
    let mut seen = Seen::default();
    trader.trade(12).await;
    // An hour and more without a keepalive (the sandbox's clock moved on): the key expires, and
    // orders keep changing meanwhile.
    c.sandbox_admin(Method::Post, "/sandbox/v1/clock", &json!({"offsetMs": 61 * 60 * 1000})).await.unwrap();
    trader.trade(12).await;
    until_gap(&mut stream, &mut seen).await;
    trader.trade(12).await;
    until_resynced(&mut stream, &mut seen).await;
    finish(&mut stream, &mut seen, &mut trader).await;
    sb.shutdown().await;
}
