//! Exactly-once orders under chaos (issue 19): a soak of at least 10,000 intended orders through
//! mbx-client, half over REST and half over the WebSocket API, from many tasks at once, against a
//! sandbox in chaos mode (seeded: every order fault, rate-limit storms, WebSocket and user stream
//! cuts, small clock jumps). At the end, with chaos off:
//!
//! * every intended order exists exactly once in the sandbox (counted by client order id over
//!   `allOrders` of every account): none lost, none doubled;
//! * the state the client reports for each order (the last it knew from answers and the user data
//!   stream) equals the sandbox's (status and executed quantity);
//! * balances are conserved: per asset, the sum over the accounts equals what was deposited (the
//!   sandbox is configured with zero commission, so none is collected);
//! * each account's user data stream view ([`mbx_client::UserView`], over the WebSocket API)
//!   equals `openOrders` and `account`.
//!
//! The figures are printed at the end:
//! `MBX_SHARED_DIR=../shared cargo test -j2 -p mbx-client --test it soak -- --nocapture`.
//!
//! Timing: client timeout 1 s, `recvWindow` 1500 ms, settle margin 500 ms, faults delayed 1.5 s
//! (past the timeout); each WebSocket task has its own connection (the sandbox answers a
//! connection's requests in order, so a held request would hold the others').

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mbx_client::types::Order;
use mbx_client::types::user::UserEvent;
use mbx_client::{
    ChaosConfig, ClockChaos, ConnectionChaos, Error, OrderChaos, StormChaos, UserItem, UserStreamChaos, WsApi,
};
use mbx_client::{Client, Environment, UserView};
use mbx_core::endpoint::{Method, Security};
use mbx_core::model::{OrderStatus, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::time::RecvWindow;
use mbx_core::{ErrorCode, Params};
use mbx_sandbox::config::SandboxConfig;
use mbx_sandbox::ws::hub::StreamRules;
use mbx_sandbox::{RateLimits, Sandbox};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use serde_json::json;

/// Tasks placing orders at once (half over REST, half over the WebSocket API).
const TASKS: usize = 48;
/// Intended orders per task: 48 × 209 = 10,032.
const ORDERS_PER_TASK: usize = 209;
/// Funded accounts; task `t` trades for account `t % ACCOUNTS`.
const ACCOUNTS: usize = 4;
const SYMBOL: &str = "BTCUSDT";
const USDT_EACH: i64 = 100_000_000;
const BTC_EACH: i64 = 100_000;

/// The chaos of the soak: every order fault, storms, cuts and small clock jumps.
fn chaos() -> ChaosConfig {
    ChaosConfig {
        seed: 19,
        orders: OrderChaos {
            drop_before_commit: 0.01,
            drop_after_commit: 0.01,
            delay_after_commit: 0.01,
            error_after_commit: 0.01,
            delay_before_engine: 0.01,
            delay_ms: 1500,
        },
        storms: StormChaos { probability: 0.0002, duration_ms: 800 },
        connections: ConnectionChaos { cut_ws: 0.0005 },
        user_streams: UserStreamChaos { cut: 0.002 },
        clock: ClockChaos { jump: 0.0005, max_jump_ms: 150 },
    }
}

/// The client of one account: short timeout and recvWindow, so that lost answers settle quickly.
fn client_for(sb: &TestSandbox, api_key: &str, secret: &str, share: Option<&Client>) -> Client {
    let mut b = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(api_key)
        .hmac_secret(secret.to_owned())
        .preflight(false)
        .timeout(Duration::from_millis(1000))
        .recv_window(RecvWindow::from_millis(1500).unwrap())
        .settle_margin(Duration::from_millis(500))
        .settle_timeout(Duration::from_secs(60))
        // The sandbox's connection limit is lifted below (a run opens about 290 connections in
        // 20 s): so is the client's own count of them.
        .ws_connections_per_5m(u32::MAX);
    if let Some(first) = share {
        // One address: the weight and the Retry-After backoff are shared (Binance counts per IP).
        b = b.share_address_limits(first);
    }
    b.build().unwrap()
}

/// What the client reported about one order, merged from every source: final beats open, and
/// among equals the larger executed quantity (a later state) wins.
#[derive(Debug, Clone, PartialEq)]
struct Known {
    status: OrderStatus,
    executed: Decimal,
}

impl Known {
    fn merge(slot: &mut Option<Known>, status: OrderStatus, executed: Decimal) {
        let newer = match slot {
            None => true,
            Some(k) => {
                (!k.status.is_final() && status.is_final())
                    || (k.status.is_final() == status.is_final() && executed > k.executed)
            }
        };
        if newer {
            *slot = Some(Known { status, executed });
        }
    }
}

/// Everything the soak's clients reported, by order id.
#[derive(Default)]
struct Reports {
    /// Order id -> what the client knows.
    by_id: HashMap<u64, Option<Known>>,
}

impl Reports {
    fn take(&mut self, order_id: u64, status: OrderStatus, executed: Decimal) {
        Known::merge(self.by_id.entry(order_id).or_default(), status, executed);
    }

    fn order(&mut self, o: &Order) {
        if let Some(status) = o.status.clone() {
            self.take(o.order_id, status, o.executed_qty);
        }
    }
}

/// What happened to one intended order, as the placing task saw it.
#[derive(Debug)]
enum Outcome {
    /// Placed: the order the client returned.
    Placed(Box<Order>),
    /// A definite refusal (the order does not exist).
    Rejected(ErrorCode),
    /// The client could not settle it (a failure of the soak).
    Unsettled(String),
}

/// One task's results.
#[derive(Default)]
struct TaskLog {
    outcomes: Vec<(String, Outcome)>,
    /// Sends the task repeated after a definite "not processed" (-1021, 429, not connected).
    retried: u64,
    cancels: u64,
}

/// xorshift64: reproducible choices, one stream per task.
fn rng(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed | 1;
    move |n| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    }
}

/// Places `count` intended orders for one account, over REST or the WebSocket API, cancelling
/// some of those that rest.
async fn place_orders(
    task: usize,
    client: Client,
    ws: Option<WsApi>,
    reports: Arc<Mutex<Reports>>,
) -> TaskLog {
    let mut next = rng(0x9E37_79B9_7F4A_7C15 ^ (task as u64 + 1));
    let mut log = TaskLog::default();
    for n in 0..ORDERS_PER_TASK {
        let id = format!("soak-{task}-{n}");
        let side = if next(2) == 0 { Side::Buy } else { Side::Sell };
        let qty = Decimal::new(i64::try_from(next(9) + 1).unwrap(), 2);
        // Around 30,000: buys below and sells above rest; the others cross what rests.
        let (order_type, tif, price) = match next(10) {
            0..=3 => {
                let away = Decimal::from(100 + next(10) * 10);
                let p = if side == Side::Buy {
                    Decimal::from(30_000) - away
                } else {
                    Decimal::from(30_000) + away
                };
                (OrderType::Limit, Some(TimeInForce::Gtc), Some(p))
            }
            4..=5 => {
                let through = Decimal::from(50 + next(10) * 10);
                let p = if side == Side::Buy {
                    Decimal::from(30_000) + through
                } else {
                    Decimal::from(30_000) - through
                };
                (OrderType::Limit, Some(TimeInForce::Gtc), Some(p))
            }
            6..=7 => {
                let p = if side == Side::Buy { Decimal::from(30_200) } else { Decimal::from(29_800) };
                (OrderType::Limit, Some(TimeInForce::Ioc), Some(p))
            }
            _ => (OrderType::Market, None, None),
        };
        let outcome = loop {
            let mut order = client
                .new_order(SYMBOL, side.clone(), order_type.clone())
                .quantity(qty)
                .client_order_id(id.clone())
                .self_trade_prevention(SelfTradePreventionMode::None);
            if let Some(p) = price {
                order = order.price(p);
            }
            if let Some(t) = tif.clone() {
                order = order.time_in_force(t);
            }
            let answer = match &ws {
                Some(ws) => ws.place_order(order).await,
                None => order.send().await,
            };
            match answer {
                Ok(o) => break Outcome::Placed(Box::new(o)),
                // Not processed (a storm's 429, a timestamp out of the window after a clock jump
                // or a backoff, or a request that never left): the same order, the same id, again.
                // A refusal says how long to wait (the client waits out short ones itself).
                Err(Error::RateLimited { retry_after, .. }) => {
                    log.retried += 1;
                    tokio::time::sleep(retry_after).await;
                }
                Err(Error::Transport(_)) => log.retried += 1,
                Err(Error::Api(e)) if e.code == ErrorCode::INVALID_TIMESTAMP => log.retried += 1,
                Err(Error::Api(e)) => break Outcome::Rejected(e.code),
                Err(e) => break Outcome::Unsettled(e.to_string()),
            }
        };
        if let Outcome::Placed(o) = &outcome {
            reports.lock().unwrap().order(o);
            // Cancel one resting order in four.
            if o.status.as_ref().is_some_and(|s| !s.is_final()) && next(4) == 0 {
                log.cancels += 1;
                cancel(&client, ws.as_ref(), o.order_id, &reports).await;
            }
        }
        log.outcomes.push((id, outcome));
    }
    log
}

/// Cancels an order until the sandbox answers it: cancelled, or `-2011` (already final).
async fn cancel(client: &Client, ws: Option<&WsApi>, order_id: u64, reports: &Mutex<Reports>) {
    let mut last = String::new();
    for _ in 0..200 {
        let answer = match ws {
            Some(ws) => ws.cancel_order(SYMBOL, order_id).await,
            None => client.cancel_order(SYMBOL, order_id).await,
        };
        match answer {
            Ok(o) => {
                reports.lock().unwrap().order(&o);
                return;
            }
            Err(Error::Api(e)) if e.code == ErrorCode::CANCEL_REJECTED => return,
            // Binance's back-off (a storm's 429): again once it has passed, as it asks.
            Err(e @ Error::RateLimited { retry_after, .. }) => {
                last = e.to_string();
                tokio::time::sleep(retry_after).await;
            }
            // A cut connection, a clock jump: cancelling again is safe.
            Err(e) => {
                last = e.to_string();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    panic!("order {order_id} could not be cancelled in 200 tries; the last answer: {last}");
}

/// Follows one account's user data stream over the WebSocket API for the whole soak: every report
/// goes into `reports`, and the stream's view is published after each item.
///
/// After a gap the stream reconciles the orders its view showed open; an order the caller placed
/// that opened and closed within the gap never was in the view. So, as a caller keeping its own
/// orders must, at each `Resynced` the orders this account's reports still show open but the
/// snapshot does not are looked up by id for their final state.
async fn follow(client: Client, ws: WsApi, reports: Arc<Mutex<Reports>>, view: Arc<Mutex<(UserView, u64)>>) {
    let mut stream = loop {
        match ws.user_stream().await {
            Ok(s) => break s,
            // Chaos is already on: a storm or a cut may refuse the first subscription.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    *view.lock().unwrap() = (stream.view().clone(), 0);
    while let Some(item) = stream.next().await {
        {
            let mut r = reports.lock().unwrap();
            match &item {
                UserItem::Event { .. } => {
                    if let Some(Ok(UserEvent::ExecutionReport(e))) = item.user_event() {
                        r.take(e.order_id, e.status.clone(), e.cumulative_quantity);
                    }
                }
                UserItem::OrderChanged { order } => r.order(order),
                UserItem::OrderGone { order: Some(order), .. } => r.order(order),
                _ => {}
            }
        }
        if let UserItem::Resynced { open_orders, .. } = &item {
            let open: std::collections::HashSet<u64> = open_orders.iter().map(|o| o.order_id).collect();
            let closed_unseen: Vec<u64> = {
                let r = reports.lock().unwrap();
                r.by_id
                    .iter()
                    .filter(|(id, k)| !open.contains(id) && k.as_ref().is_some_and(|k| !k.status.is_final()))
                    .map(|(id, _)| *id)
                    .collect()
            };
            for id in closed_unseen {
                for _ in 0..100 {
                    match client.order(SYMBOL, id).await {
                        Ok(o) => {
                            reports.lock().unwrap().order(&o);
                            break;
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                    }
                }
            }
        }
        let mut v = view.lock().unwrap();
        v.0 = stream.view().clone();
        if matches!(item, UserItem::Gap { .. }) {
            v.1 += 1;
        }
    }
}

/// Every order of the account on `SYMBOL` (`allOrders`, 1000 a page, by order id).
async fn all_orders(client: &Client) -> Vec<Order> {
    let mut out: Vec<Order> = Vec::new();
    let mut from = 0u64;
    loop {
        let params = Params::new().text("symbol", SYMBOL).int("orderId", from).int("limit", 1000u64);
        let page: Vec<Order> =
            client.request(Method::Get, "/api/v3/allOrders", params, Security::UserData).await.unwrap();
        let Some(last) = page.last() else { break };
        from = last.order_id + 1;
        let full = page.len() == 1000;
        out.extend(page);
        if !full {
            break;
        }
    }
    out
}

/// A new funded account and its client.
async fn account(sb: &TestSandbox, admin: &Client, n: usize, first: Option<&Client>) -> Client {
    let a = admin
        .sandbox_admin(
            Method::Post,
            "/sandbox/v1/accounts",
            &json!({"name": format!("soak-{n}"), "balances": {"USDT": USDT_EACH.to_string(), "BTC": BTC_EACH.to_string()}}),
        )
        .await
        .unwrap();
    let key = admin
        .sandbox_admin(Method::Post, "/sandbox/v1/keys", &json!({"kind": "hmac", "account": a["accountId"]}))
        .await
        .unwrap();
    let c = client_for(sb, key["apiKey"].as_str().unwrap(), key["secretKey"].as_str().unwrap(), first);
    c.sync_time().await.unwrap();
    // The published limits (the weight limit is the address's, shared by the clients).
    c.exchange_info(Some(SYMBOL)).await.unwrap();
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_ten_thousand_orders_exactly_once_under_chaos() {
    let started = Instant::now();
    let limits = RateLimits {
        request_weight_per_minute: 10_000_000,
        orders_per_10s: 1_000_000,
        orders_per_day: 10_000_000,
        raw_requests_per_5m: 10_000_000,
    };
    // No commission: balances are conserved over the accounts alone.
    let rules =
        SandboxConfig { commission: Some(Decimal::ZERO), ..SandboxConfig::default() }.resolve().unwrap();
    // Each WebSocket API request not answered within the timeout (a delayed fault, or a busy
    // machine) closes its connection, and the next request opens another: a run opens about 290
    // in 20 s, against Binance's 300 per address in 5 minutes. On a loaded machine the limit was
    // crossed, and the WebSocket tasks then waited out the window (about 280 s). Like the weight
    // limits above, the connection limit is lifted: this test is about orders, not connections
    // (ws_api.rs tests the refusal).
    let connections = StreamRules { connections_per_5m: u32::MAX, ..StreamRules::default() };
    let sb = TestSandbox::start_with(
        Sandbox::builder()
            .memory()
            .market_maker(false)
            .config(rules)
            .rate_limits(limits)
            .stream_rules(connections),
    )
    .await;
    let admin = Client::builder().environment(Environment::custom(sb.rest_url())).build().unwrap();
    let mut clients: Vec<Client> = Vec::new();
    for n in 0..ACCOUNTS {
        let first = clients.first().cloned();
        clients.push(account(&sb, &admin, n, first.as_ref()).await);
    }

    let state = admin.sandbox_set_chaos(&chaos()).await.unwrap();
    assert!(state.enabled && state.config == chaos(), "{state:?}");

    let reports: Vec<Arc<Mutex<Reports>>> = (0..ACCOUNTS).map(|_| Arc::default()).collect();
    let views: Vec<Arc<Mutex<(UserView, u64)>>> =
        (0..ACCOUNTS).map(|_| Arc::new(Mutex::new((UserView::default(), 0)))).collect();
    let followers: Vec<_> = clients
        .iter()
        .zip(&views)
        .zip(&reports)
        .map(|((c, v), r)| {
            let ws = c.ws_api().with_timeout(Duration::from_secs(2));
            tokio::spawn(follow(c.clone(), ws, r.clone(), v.clone()))
        })
        .collect();
    // A WebSocket API connection per WebSocket task: the sandbox answers a connection's requests
    // in order, so a request held by a fault would hold the other tasks' requests too.
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let a = t % ACCOUNTS;
            let via = (t / ACCOUNTS % 2 == 1)
                .then(|| clients[a].ws_api().with_timeout(Duration::from_millis(1000)));
            tokio::spawn(place_orders(t, clients[a].clone(), via, reports[a].clone()))
        })
        .collect();
    let mut logs = Vec::new();
    for t in tasks {
        logs.push(t.await.expect("a placing task panicked"));
    }
    let trading = started.elapsed();

    // Chaos off: the end state is read as it is.
    let chaos_state = admin.sandbox_clear_chaos().await.unwrap();
    assert!(!chaos_state.enabled);
    let injected = chaos_state.injected;

    // Every order in the sandbox, by client order id.
    let mut in_sandbox: HashMap<String, Vec<Order>> = HashMap::new();
    let mut account_of: HashMap<u64, usize> = HashMap::new();
    for (a, c) in clients.iter().enumerate() {
        for o in all_orders(c).await {
            account_of.insert(o.order_id, a);
            in_sandbox.entry(o.client_order_id.clone()).or_default().push(o);
        }
    }
    let intended: usize = logs.iter().map(|l| l.outcomes.len()).sum();
    let mut placed = 0usize;
    let mut rejected: HashMap<i32, usize> = HashMap::new();
    let mut lost = Vec::new();
    let mut unsettled = Vec::new();
    let mut doubled = Vec::new();
    let mut phantom = Vec::new();
    for log in &logs {
        for (id, outcome) in &log.outcomes {
            let found = in_sandbox.get(id).map_or(&[][..], Vec::as_slice);
            if found.len() > 1 {
                doubled.push(id.clone());
            }
            match outcome {
                Outcome::Placed(o) => {
                    placed += 1;
                    if !found.iter().any(|s| s.order_id == o.order_id) {
                        lost.push(id.clone());
                    }
                }
                Outcome::Rejected(code) => {
                    *rejected.entry(code.get()).or_default() += 1;
                    if !found.is_empty() {
                        phantom.push(id.clone());
                    }
                }
                Outcome::Unsettled(why) => unsettled.push(format!("{id}: {why}")),
            }
        }
    }
    let resent: u64 = clients.iter().map(|c| c.settle_counts().resent).sum();
    let unknown: u64 = clients.iter().map(|c| c.settle_counts().unknown).sum();
    let found_by_lookup: u64 = clients.iter().map(|c| c.settle_counts().found).sum();
    let retried: u64 = logs.iter().map(|l| l.retried).sum();
    let cancels: u64 = logs.iter().map(|l| l.cancels).sum();
    let orders_in_sandbox: usize = in_sandbox.values().map(Vec::len).sum();

    // The user data streams catch up (chaos is off): each view equals openOrders and account.
    let mut gaps = 0;
    for (a, c) in clients.iter().enumerate() {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let open = c.open_orders(Some(SYMBOL)).await.unwrap();
            let acct = c.account().await.unwrap();
            let truth = UserView::from_snapshot(&acct, &open);
            let (view, g) = views[a].lock().unwrap().clone();
            if view == truth {
                gaps += g;
                break;
            }
            assert!(
                Instant::now() < deadline,
                "account {a}: the stream's view never matched:\n{view:?}\n{truth:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    for f in followers {
        f.abort();
    }

    // The client's last knowledge of each order equals the sandbox's.
    let mut mismatched = Vec::new();
    {
        for orders in in_sandbox.values() {
            for o in orders {
                let r = reports[account_of[&o.order_id]].lock().unwrap();
                let truth = Known { status: o.status.clone().unwrap(), executed: o.executed_qty };
                match r.by_id.get(&o.order_id).cloned().flatten() {
                    Some(k) if k == truth => {}
                    other => mismatched.push(format!(
                        "{} ({}): client {other:?}, sandbox {truth:?}",
                        o.order_id, o.client_order_id
                    )),
                }
            }
        }
    }

    // Balances: per asset, the accounts hold together what was deposited (no commission).
    let mut totals: HashMap<String, Decimal> = HashMap::new();
    for c in &clients {
        for b in c.account().await.unwrap().balances {
            *totals.entry(b.asset.clone()).or_default() += b.free + b.locked;
        }
    }
    let n = Decimal::from(ACCOUNTS as i64);
    let usdt = totals.get("USDT").copied().unwrap_or_default();
    let btc = totals.get("BTC").copied().unwrap_or_default();

    eprintln!(
        "soak: {intended} orders intended ({TASKS} tasks, {ACCOUNTS} accounts, half REST half WebSocket API), \
         {placed} placed, {} rejected with a definite answer {rejected:?}, {orders_in_sandbox} orders in the sandbox; \
         unknown outcomes {unknown} (settled by lookup {found_by_lookup}, re-sent after proof {resent}), \
         task retries after a definite not-processed {retried}, cancels {cancels}; \
         duplicates {}, losses {}, unsettled {}, state mismatches {}, user stream gaps {gaps}; \
         injected {injected:?}; trading {:.1?}, total {:.1?}; first mismatches {:?}",
        rejected.values().sum::<usize>(),
        doubled.len(),
        lost.len(),
        unsettled.len(),
        mismatched.len(),
        trading,
        started.elapsed(),
        &mismatched[..mismatched.len().min(5)],
    );
    assert!(intended >= 10_000, "{intended}");
    assert!(doubled.is_empty(), "placed twice: {doubled:?}");
    assert!(lost.is_empty(), "reported placed but absent: {lost:?}");
    assert!(phantom.is_empty(), "reported rejected but present: {phantom:?}");
    assert!(unsettled.is_empty(), "not settled: {unsettled:?}");
    assert_eq!(orders_in_sandbox, placed, "every order in the sandbox is an intended one, placed once");
    assert!(
        mismatched.is_empty(),
        "{} states differ, e.g. {:?}",
        mismatched.len(),
        &mismatched[..mismatched.len().min(5)]
    );
    assert_eq!(usdt, n * Decimal::from(USDT_EACH), "USDT conserved: {totals:?}");
    assert_eq!(btc, n * Decimal::from(BTC_EACH), "BTC conserved: {totals:?}");
    // The chaos did happen: each kind of order fault, storms and cuts.
    assert!(injected.drop_before_commit > 0 && injected.drop_after_commit > 0, "{injected:?}");
    assert!(injected.delay_after_commit > 0 && injected.error_after_commit > 0, "{injected:?}");
    assert!(injected.delay_before_engine > 0, "{injected:?}");
    assert!(found_by_lookup > 0 && resent > 0, "both ways of settling were used");
    assert_eq!(injected.status_418, 0, "never banned: {injected:?}");
    sb.shutdown().await;
}
