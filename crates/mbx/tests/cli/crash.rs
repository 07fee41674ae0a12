//! `kill -9` under trading load, many times in one run (issue 19's crash-safety promise).
//!
//! A `mbx sandbox --data DIR` process serves two accounts, funded through the admin API (opening
//! balances, then a deposit each cycle), whose tasks (half over REST, half over the WebSocket API)
//! place crossing LIMIT orders, MARKET orders and cancels, with `FULL` answers; in every third cycle
//! the sandbox's market maker quotes too (its requotes commit with the trades that cause them), and
//! its account is checked like the others. At a point a seeded RNG picks (the k-th acknowledgement
//! of the cycle) the process is killed with SIGKILL and started again on the same directory,
//! [`CYCLES`] times. After each restart the sandbox is checked against what it acknowledged (the
//! [`Model`]) and against itself:
//!
//! * every acknowledged order is there, no earlier in its life than acknowledged (a NEW order may
//!   have filled since, never the other way); every acknowledged fill is in `myTrades`; an
//!   acknowledged cancel left the order CANCELED; a refused order is absent; every
//!   `executionReport` the accounts' user data streams (WebSocket API) showed holds likewise;
//! * nothing seen after an earlier restart is lost or goes back;
//! * no half-applied commit: each order's `executedQty` and `cummulativeQuoteQty` are the sums of its
//!   trades; each trade has both its sides, in two accounts, and is in `historicalTrades` with the
//!   same terms; each balance is the deposits ± its trades − its commissions, and its `locked` is
//!   what its open orders hold; each asset's total over the accounts is the deposits less every
//!   commission (the sandbox keeps commissions nowhere: they leave circulation);
//! * a prevented self-trade's record (`myPreventedMatches`, sampled) is there with its expired maker;
//! * memory reloaded at open agrees with the record: `openOrders` are the open orders of
//!   `allOrders`, and `depth` holds exactly their rest;
//! * order and trade ids continue above every id issued before the kill;
//! * an order whose answer the kill cut off may or may not be there; if it is, it is whole (the
//!   checks above cover every order and trade there is);
//! * orders are found by client order id (an index rebuilt at open after a crash), and an open
//!   order's client order id is still refused as a duplicate.
//!
//! `MBX_CRASH_SEED` replays a run's choices (the seed is printed: each task's orders and each kill's
//! acknowledgement count; the interleaving of the tasks is the scheduler's), `MBX_CRASH_CYCLES`
//! changes the count.
//! Run: `cargo test -p mbx --test cli crash -- --nocapture` for the figures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mbx_client::{Client, Environment, Error, UserItem, UserStream, WsApi};
use mbx_core::Params;
use mbx_core::endpoint::{Method, Security};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::support::{DOCS_API_KEY, DOCS_SECRET, temp_dir};

/// Kill and restart cycles (about 2 s each in a debug build on busy cores).
const CYCLES: usize = 30;
/// The seed when `MBX_CRASH_SEED` is not set.
const DEFAULT_SEED: u64 = 0x0019_c4a5_4e11;
const SYMBOL: &str = "LTCBTC";
const BASE: &str = "LTC";
const QUOTE: &str = "BTC";
/// Funded accounts.
const ACCOUNTS: usize = 2;
/// The market maker's place among the accounts checked (after the funded ones): it quotes in the
/// cycles that start with it and trades with the tasks; its trades, orders and balances are
/// checked like theirs, its orders placed by itself are neither acknowledged nor in flight.
const MARKET_MAKER: usize = ACCOUNTS;
/// Tasks per account over REST, then over the WebSocket API.
const REST_TASKS: usize = 3;
const WS_TASKS: usize = 3;
/// Open orders a task keeps before it cancels one (6 tasks × 25 stay under MAX_NUM_ORDERS, 200).
const MAX_OPEN: usize = 25;
/// Acknowledgements of a cycle before its kill: from `MIN_ACKS`, up to `MIN_ACKS + ACK_SPREAD`.
const MIN_ACKS: u64 = 30;
const ACK_SPREAD: u64 = 200;
/// EXPIRED_IN_MATCH orders of each account checked in `myPreventedMatches` after each restart.
const PREVENTED_SAMPLE: usize = 4;
/// Orders looked up by client order id after each restart, besides those the kill cut off.
const LOOKUPS: usize = 10;

/// A `mbx sandbox` process, killed (SIGKILL) when dropped: a failed check leaves none behind.
struct Sandbox {
    child: Child,
    url: String,
}

impl Sandbox {
    /// Starts `mbx sandbox` on a free port with `dir` as its data directory (its stderr kept there,
    /// one file a start, for a failure's post-mortem), with or without its market maker.
    fn start(dir: &Path, n: usize, market_maker: bool) -> Sandbox {
        let stderr = std::fs::File::create(dir.join(format!("stderr-{n}.log"))).unwrap();
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("mbx"));
        command.args(["--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--no-limits"]);
        if !market_maker {
            command.arg("--no-market-maker");
        }
        let mut child = command
            .arg("--data")
            .arg(dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        // The first stdout line is printed once the sandbox is listening.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        let url = info["rest"].as_str().unwrap().to_owned();
        Sandbox { child, url }
    }

    /// SIGKILL: no shutdown, no flush, requests in flight.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// splitmix64: small, seeded, the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How long an answer may take: far beyond any wait on a busy machine, so that a request without
/// an answer means the kill, not a slow moment.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

fn client(url: &str, key: &str, secret: &str) -> Client {
    Client::builder()
        .environment(Environment::custom(url.to_owned()))
        .timeout(ANSWER_TIMEOUT)
        .api_key(key)
        .hmac_secret(secret)
        .build()
        .unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().and_then(|s| Decimal::from_str(s).ok()).unwrap_or_else(|| panic!("not a decimal: {v}"))
}

fn id(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not an id: {v}"))
}

/// How far an order is in its life: NEW, then PARTIALLY_FILLED, then an end.
fn rank(status: &str) -> u8 {
    match status {
        "NEW" => 0,
        "PARTIALLY_FILLED" => 1,
        _ => 2,
    }
}

/// One fill of a `FULL` answer.
#[derive(Debug, Clone)]
struct Fill {
    trade_id: u64,
    price: Decimal,
    qty: Decimal,
    commission: Decimal,
    commission_asset: String,
}

/// An order as acknowledged.
#[derive(Debug, Clone)]
struct Acked {
    account: usize,
    order_id: u64,
    client_id: String,
    status: String,
    executed: Decimal,
    fills: Vec<Fill>,
}

impl Acked {
    fn from_answer(account: usize, v: &Value) -> Acked {
        let fills = v["fills"]
            .as_array()
            .unwrap_or_else(|| panic!("a FULL answer has fills: {v}"))
            .iter()
            .map(|f| Fill {
                trade_id: id(&f["tradeId"]),
                price: dec(&f["price"]),
                qty: dec(&f["qty"]),
                commission: dec(&f["commission"]),
                commission_asset: f["commissionAsset"].as_str().unwrap().to_owned(),
            })
            .collect();
        Acked {
            account,
            order_id: id(&v["orderId"]),
            client_id: v["clientOrderId"].as_str().unwrap().to_owned(),
            status: v["status"].as_str().unwrap().to_owned(),
            executed: dec(&v["executedQty"]),
            fills,
        }
    }
}

/// What the tasks of one cycle sent and learned.
#[derive(Debug, Default)]
struct CycleLog {
    /// Orders sent.
    sent: usize,
    acked: Vec<Acked>,
    /// Of `acked`, those answered over the WebSocket API.
    acked_ws: usize,
    /// Acknowledged cancels: account, order id, `executedQty` answered.
    cancels: Vec<(usize, u64, Decimal)>,
    /// Orders refused with a definite error (account, client order id): never placed.
    refused: Vec<(usize, String)>,
    /// Orders whose answer never came (account, client order id): placed or not.
    unknown: Vec<(usize, String)>,
    /// The `executionReport`s the accounts' user data streams showed.
    reports: Vec<Report>,
}

/// What an `executionReport` showed of an order: as binding as an answer.
#[derive(Debug, Clone)]
struct Report {
    account: usize,
    order_id: u64,
    client_id: String,
    status: String,
    /// `z`: executed so far.
    executed: Decimal,
    /// `t` with `L`, `l`, `n`, `N`, for a trade.
    fill: Option<(u64, FillTerms)>,
}

impl Report {
    fn from_event(account: usize, e: &Value) -> Report {
        // A cancel's report carries the cancel's client order id in `c`, the order's in `C`.
        let client_id = match e["C"].as_str() {
            Some(orig) if !orig.is_empty() => orig,
            _ => e["c"].as_str().unwrap(),
        };
        let fill = e["t"].as_u64().map(|t| {
            let asset = e["N"].as_str().unwrap_or_else(|| panic!("a trade's report names N: {e}"));
            (t, (dec(&e["L"]), dec(&e["l"]), dec(&e["n"]), asset.to_owned()))
        });
        Report {
            account,
            order_id: id(&e["i"]),
            client_id: client_id.to_owned(),
            status: e["X"].as_str().unwrap().to_owned(),
            executed: dec(&e["z"]),
            fill,
        }
    }
}

/// Records an account's `executionReport`s until its stream breaks (the kill).
async fn record_reports(mut stream: UserStream, account: usize, log: Arc<Mutex<CycleLog>>) {
    while let Some(item) = stream.next().await {
        match item {
            UserItem::Event { kind, event } if kind == "executionReport" => {
                log.lock().unwrap().reports.push(Report::from_event(account, &event));
            }
            UserItem::Event { .. } => {}
            _ => break,
        }
    }
}

/// How a request ended.
enum Outcome {
    Answer(Value),
    /// A definite refusal: nothing was done.
    Refused,
    /// No answer, or one that leaves the outcome open (`-1006`, `-1007`, 5xx).
    Unknown,
}

/// One task sending orders and cancels for an account, over REST or the WebSocket API.
struct Task {
    account: usize,
    name: String,
    rest: Client,
    ws: Option<WsApi>,
    rng: Rng,
    /// Its orders last known open.
    open: Vec<u64>,
}

impl Task {
    async fn send(&self, method: Method, path: &str, ws_method: &str, params: Params) -> Outcome {
        let answer = match &self.ws {
            Some(ws) => ws.request(ws_method, params).await,
            None => self.rest.request::<Value>(method, path, params, Security::Trade).await,
        };
        match answer {
            Ok(v) => Outcome::Answer(v),
            Err(Error::Api(e)) if !e.code.is_unknown_outcome() && e.http_status < 500 => Outcome::Refused,
            Err(_) => Outcome::Unknown,
        }
    }

    /// Sends until a request gets no answer (the process is gone).
    async fn run(mut self, log: Arc<Mutex<CycleLog>>, acks: Arc<watch::Sender<usize>>) {
        for n in 0.. {
            let cancel = !self.open.is_empty() && (self.open.len() >= MAX_OPEN || self.rng.below(100) < 30);
            if cancel {
                let at = self.rng.below(self.open.len() as u64) as usize;
                let order_id = self.open.swap_remove(at);
                let params = Params::new().text("symbol", SYMBOL).int("orderId", order_id);
                match self.send(Method::Delete, "/api/v3/order", "order.cancel", params).await {
                    Outcome::Answer(v) => {
                        assert_eq!(v["status"], "CANCELED", "{v}");
                        log.lock().unwrap().cancels.push((self.account, order_id, dec(&v["executedQty"])));
                    }
                    // Filled or expired meanwhile (-2011).
                    Outcome::Refused => {}
                    Outcome::Unknown => break,
                }
                continue;
            }
            let client_id = format!("{}-{n}", self.name);
            let side = if self.rng.below(2) == 0 { "BUY" } else { "SELL" };
            // Two decimals of quantity and six of price: quote amounts fit BTC's eight.
            let qty = Decimal::new(10 + self.rng.below(190) as i64, 2);
            let mut params = Params::new()
                .text("symbol", SYMBOL)
                .text("side", side)
                .text("quantity", qty.to_string())
                .text("newClientOrderId", client_id.clone())
                .text("newOrderRespType", "FULL");
            if self.rng.below(100) < 20 {
                params = params.text("type", "MARKET");
            } else {
                // Both sides in one band of 40 ticks: about half the orders cross.
                let price = Decimal::new(1_480 + self.rng.below(40) as i64, 6);
                params =
                    params.text("type", "LIMIT").text("timeInForce", "GTC").text("price", price.to_string());
            }
            log.lock().unwrap().sent += 1;
            match self.send(Method::Post, "/api/v3/order", "order.place", params).await {
                Outcome::Answer(v) => {
                    let acked = Acked::from_answer(self.account, &v);
                    if rank(&acked.status) < 2 {
                        self.open.push(acked.order_id);
                    }
                    let count = {
                        let mut log = log.lock().unwrap();
                        log.acked.push(acked);
                        log.acked_ws += usize::from(self.ws.is_some());
                        log.acked.len()
                    };
                    acks.send_replace(count);
                }
                Outcome::Refused => log.lock().unwrap().refused.push((self.account, client_id)),
                Outcome::Unknown => {
                    log.lock().unwrap().unknown.push((self.account, client_id));
                    break;
                }
            }
        }
    }
}

/// An order as last known: acknowledged or seen after a restart.
#[derive(Debug, Clone)]
struct Known {
    account: usize,
    client_id: String,
    status: String,
    executed: Decimal,
}

/// Everything acknowledged or seen so far, which every later restart must keep.
#[derive(Debug, Default)]
struct Model {
    /// Per account: its keys and what was deposited.
    keys: Vec<(String, String)>,
    deposits: Vec<BTreeMap<String, Decimal>>,
    orders: HashMap<u64, Known>,
    /// Fills: (account, trade id, order id) -> price, qty, commission and its asset.
    fills: HashMap<(usize, u64, u64), FillTerms>,
    /// Acknowledged cancels: order id -> `executedQty` answered.
    canceled: HashMap<u64, Decimal>,
    refused: Vec<(usize, String)>,
    /// The highest ids seen at the last restart.
    max_order_id: u64,
    max_trade_id: u64,
    /// Open orders seen at the last restart, per account (the next tasks cancel them too).
    open: Vec<Vec<u64>>,
}

/// The figures of a run.
#[derive(Debug, Default)]
struct Figures {
    sent: usize,
    acked: usize,
    acked_ws: usize,
    acked_fills: usize,
    fills_checked: usize,
    cancels: usize,
    refused: usize,
    in_flight_committed: usize,
    in_flight_lost: usize,
    /// Prevented self-trades checked against their orders.
    prevented_checked: usize,
    /// Book levels checked against the open orders.
    book_levels_checked: usize,
    /// The market maker's trades and orders on the symbol at the end.
    market_maker_trades: usize,
    market_maker_orders: usize,
    /// Rows of `historicalTrades` checked against `myTrades`.
    public_trades_checked: usize,
    /// `executionReport`s received, and those of a trade.
    reports: usize,
    report_fills: usize,
    /// Orders looked up by client order id after a restart.
    lookups: usize,
    /// Open orders' client order ids sent again after a restart (and refused).
    duplicates_refused: usize,
    /// The slowest restart (start to listening), and all of them.
    slowest_start: Duration,
    starts: Duration,
}

impl Model {
    /// Takes in what a cycle acknowledged: its ids must continue above every id seen before it.
    fn absorb(&mut self, log: &CycleLog, figures: &mut Figures) {
        for a in &log.acked {
            assert!(
                a.order_id > self.max_order_id,
                "order id {} reused (had {})",
                a.order_id,
                self.max_order_id
            );
            let old = self.orders.insert(
                a.order_id,
                Known {
                    account: a.account,
                    client_id: a.client_id.clone(),
                    status: a.status.clone(),
                    executed: a.executed,
                },
            );
            assert!(old.is_none(), "order id {} acknowledged twice", a.order_id);
            let filled: Decimal = a.fills.iter().map(|f| f.qty).sum();
            assert_eq!(filled, a.executed, "the answer's fills make its executedQty: {a:?}");
            for f in &a.fills {
                assert!(
                    f.trade_id > self.max_trade_id,
                    "trade id {} reused (had {})",
                    f.trade_id,
                    self.max_trade_id
                );
                let fill = (f.price, f.qty, f.commission, f.commission_asset.clone());
                self.fills.insert((a.account, f.trade_id, a.order_id), fill);
            }
            figures.acked_fills += a.fills.len();
        }
        // What a user data stream showed must stay too.
        for r in &log.reports {
            if let Some((trade_id, terms)) = &r.fill {
                self.fills.insert((r.account, *trade_id, r.order_id), terms.clone());
            }
            let known = self.orders.entry(r.order_id).or_insert_with(|| Known {
                account: r.account,
                client_id: r.client_id.clone(),
                status: r.status.clone(),
                executed: r.executed,
            });
            assert_eq!((known.account, known.client_id.as_str()), (r.account, r.client_id.as_str()), "{r:?}");
            if (rank(&r.status), r.executed) > (rank(&known.status), known.executed) {
                known.status = r.status.clone();
                known.executed = r.executed;
            }
        }
        figures.reports += log.reports.len();
        figures.report_fills += log.reports.iter().filter(|r| r.fill.is_some()).count();
        for (_, order_id, executed) in &log.cancels {
            self.canceled.insert(*order_id, *executed);
        }
        self.refused.extend(log.refused.iter().cloned());
        figures.sent += log.sent;
        figures.acked += log.acked.len();
        figures.acked_ws += log.acked_ws;
        figures.cancels += log.cancels.len();
        figures.refused += log.refused.len();
    }
}

/// A fill's price, qty, commission and commission asset.
type FillTerms = (Decimal, Decimal, Decimal, String);

/// A `myTrades` row's price, qty, commission and commission asset.
fn fill_of(t: &Value) -> FillTerms {
    let asset = t["commissionAsset"].as_str().unwrap().to_owned();
    (dec(&t["price"]), dec(&t["qty"]), dec(&t["commission"]), asset)
}

/// One account as the sandbox shows it after a restart.
struct AccountState {
    orders: Vec<Value>,
    trades: Vec<Value>,
    /// asset -> (free, locked).
    balances: BTreeMap<String, (Decimal, Decimal)>,
    /// `openOrders` (read from the engine's memory, reloaded at open).
    open_orders: Vec<Value>,
}

/// Every page of `path` (`allOrders` by `orderId`, `myTrades` by `fromId`).
async fn all_pages(c: &Client, path: &str, cursor: &str, id_field: &str, security: Security) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut from = 0u64;
    loop {
        let params = Params::new().text("symbol", SYMBOL).int(cursor.to_owned(), from).int("limit", 1000u32);
        let page: Vec<Value> = c.request(Method::Get, path, params, security).await.unwrap();
        let Some(last) = page.last() else { break };
        from = id(&last[id_field]) + 1;
        let full = page.len() == 1000;
        out.extend(page);
        if !full {
            break;
        }
    }
    out
}

async fn read_account(c: &Client) -> AccountState {
    let orders = all_pages(c, "/api/v3/allOrders", "orderId", "orderId", Security::UserData).await;
    // Every symbol's: the market maker quotes them all.
    let trades = all_pages(c, "/api/v3/myTrades", "fromId", "id", Security::UserData).await;
    let account: Value =
        c.request(Method::Get, "/api/v3/account", Params::new(), Security::UserData).await.unwrap();
    let balances = account["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["asset"].as_str().unwrap().to_owned(), (dec(&b["free"]), dec(&b["locked"]))))
        .collect();
    let open_orders: Vec<Value> =
        c.request(Method::Get, "/api/v3/openOrders", Params::new(), Security::UserData).await.unwrap();
    AccountState { orders, trades, balances, open_orders }
}

/// Checks the restarted sandbox at `url` against `model` and against itself, then takes what it
/// shows into the model. `unknown` are the orders the kill cut off.
async fn verify(
    url: &str,
    model: &mut Model,
    unknown: &[(usize, String)],
    rng: &mut Rng,
    figures: &mut Figures,
) {
    let clients: Vec<Client> = model.keys.iter().map(|(key, secret)| client(url, key, secret)).collect();
    let mut states = Vec::new();
    for c in &clients {
        states.push(read_account(c).await);
    }
    // Orders by id, and by (account, client order id).
    let mut orders: HashMap<u64, (usize, &Value)> = HashMap::new();
    let mut by_client: HashMap<(usize, &str), u64> = HashMap::new();
    for (account, s) in states.iter().enumerate() {
        for o in &s.orders {
            let order_id = id(&o["orderId"]);
            assert!(orders.insert(order_id, (account, o)).is_none(), "order id {order_id} twice: {o}");
            by_client.insert((account, o["clientOrderId"].as_str().unwrap()), order_id);
            if account != MARKET_MAKER && !model.orders.contains_key(&order_id) {
                // Committed but never answered: one of the orders the kill cut off, numbered above
                // every order seen before.
                let cid = o["clientOrderId"].as_str().unwrap();
                assert!(
                    unknown.iter().any(|(a, c)| *a == account && c == cid) && order_id > model.max_order_id,
                    "order {order_id} ({cid}) is there but was neither acknowledged nor in flight"
                );
            }
        }
    }
    // Trades by (account, trade id, order id), and every side of each trade id.
    let mut trades: HashMap<(usize, u64, u64), &Value> = HashMap::new();
    let mut sides: BTreeMap<u64, Vec<(usize, &Value)>> = BTreeMap::new();
    for (account, s) in states.iter().enumerate() {
        for t in &s.trades {
            let key = (account, id(&t["id"]), id(&t["orderId"]));
            assert!(trades.insert(key, t).is_none(), "trade twice: {t}");
            sides.entry(key.1).or_default().push((account, t));
        }
    }

    // Every order known is there, no earlier in its life; an acknowledged cancel left it CANCELED.
    for (order_id, k) in &model.orders {
        let Some((account, o)) = orders.get(order_id) else {
            panic!("order {order_id} ({}, {}) is missing after kill -9", k.client_id, k.status)
        };
        assert_eq!(
            (*account, o["clientOrderId"].as_str().unwrap()),
            (k.account, k.client_id.as_str()),
            "{o}"
        );
        let (status, executed) = (o["status"].as_str().unwrap(), dec(&o["executedQty"]));
        assert!(
            rank(status) >= rank(&k.status),
            "order {order_id} went back from {} to {status}: {o}",
            k.status
        );
        if rank(&k.status) == 2 {
            assert_eq!(status, k.status, "order {order_id} ended {} and is now {o}", k.status);
        }
        assert!(executed >= k.executed, "order {order_id} executed {} and now {o}", k.executed);
        if let Some(at_cancel) = model.canceled.get(order_id) {
            assert_eq!(
                (status, executed),
                ("CANCELED", *at_cancel),
                "acknowledged cancel of {order_id}: {o}"
            );
        }
    }
    for ((account, trade_id, order_id), fill) in &model.fills {
        let Some(t) = trades.get(&(*account, *trade_id, *order_id)) else {
            panic!("fill {trade_id} of order {order_id} (account {account}) is missing after kill -9")
        };
        assert_eq!(&fill_of(t), fill, "{t}");
    }
    figures.fills_checked += model.fills.len();
    for (account, cid) in &model.refused {
        assert!(!by_client.contains_key(&(*account, cid.as_str())), "refused order {cid} exists");
    }
    for (account, cid) in unknown {
        if by_client.contains_key(&(*account, cid.as_str())) {
            figures.in_flight_committed += 1;
        } else {
            figures.in_flight_lost += 1;
        }
    }

    // Each order's executedQty and cummulativeQuoteQty are the sums of its trades.
    let mut per_order: HashMap<(usize, u64), (Decimal, Decimal)> = HashMap::new();
    for ((account, _, order_id), t) in &trades {
        let (price, qty, quote) = (dec(&t["price"]), dec(&t["qty"]), dec(&t["quoteQty"]));
        assert_eq!(price * qty, quote, "{t}");
        assert!(
            orders.get(order_id).is_some_and(|(a, _)| a == account),
            "trade of no order of its account: {t}"
        );
        let sum = per_order.entry((*account, *order_id)).or_default();
        sum.0 += qty;
        sum.1 += quote;
    }
    for (order_id, (account, o)) in &orders {
        let (qty, quote) = per_order.get(&(*account, *order_id)).copied().unwrap_or_default();
        assert_eq!(
            (dec(&o["executedQty"]), dec(&o["cummulativeQuoteQty"])),
            (qty, quote),
            "half-applied: {o}"
        );
    }
    // Each trade has its two sides, in two accounts (self-trades are prevented), at one price.
    for (trade_id, rows) in &sides {
        assert_eq!(rows.len(), 2, "trade {trade_id} has {} side(s): {rows:?}", rows.len());
        let (a, b) = (rows[0].1, rows[1].1);
        assert_ne!(rows[0].0, rows[1].0, "{a} {b}");
        assert_ne!(a["isBuyer"], b["isBuyer"], "{a} {b}");
        assert_ne!(a["isMaker"], b["isMaker"], "{a} {b}");
        assert_eq!((dec(&a["price"]), dec(&a["qty"])), (dec(&b["price"]), dec(&b["qty"])), "{a} {b}");
        for (account, t) in rows {
            let side = orders[&id(&t["orderId"])].1["side"].as_str().unwrap();
            assert_eq!(t["isBuyer"] == true, side == "BUY", "account {account}: {t}");
        }
    }
    // What memory reloaded at open shows agrees with the record: each account's `openOrders` are
    // its open orders in `allOrders`, and the book (`depth`) holds their rest, level by level.
    let mut book: BTreeMap<(String, Decimal), Decimal> = BTreeMap::new();
    for (account, s) in states.iter().enumerate() {
        let open = |o: &&Value| rank(o["status"].as_str().unwrap()) < 2;
        let terms = |o: &Value| (id(&o["orderId"]), o["status"].clone(), dec(&o["executedQty"]));
        let mut stored: Vec<_> = s.orders.iter().filter(open).map(terms).collect();
        let mut in_memory: Vec<_> =
            s.open_orders.iter().filter(|o| o["symbol"] == SYMBOL).map(terms).collect();
        stored.sort_by_key(|t| t.0);
        in_memory.sort_by_key(|t| t.0);
        assert_eq!(in_memory, stored, "account {account}: openOrders and the open orders of allOrders");
        for o in s.orders.iter().filter(open) {
            let side = o["side"].as_str().unwrap().to_owned();
            *book.entry((side, dec(&o["price"]))).or_default() += dec(&o["origQty"]) - dec(&o["executedQty"]);
        }
    }
    let params = Params::new().text("symbol", SYMBOL).int("limit", 5000u32);
    let depth: Value =
        clients[0].request(Method::Get, "/api/v3/depth", params, Security::None).await.unwrap();
    let mut shown: BTreeMap<(String, Decimal), Decimal> = BTreeMap::new();
    for (side, levels) in [("BUY", &depth["bids"]), ("SELL", &depth["asks"])] {
        for level in levels.as_array().unwrap() {
            shown.insert((side.to_owned(), dec(&level[0])), dec(&level[1]));
        }
    }
    assert_eq!(shown, book, "the book after the restart holds the open orders' rest");
    figures.book_levels_checked += book.len();
    // A prevented self-trade expired its maker (the symbol's default mode, EXPIRE_MAKER) in the
    // commit that recorded it: a sample of the EXPIRED_IN_MATCH orders each have their record in
    // `myPreventedMatches` (queried by order: the endpoint takes no range), with what they had left,
    // against a taker of the same account.
    for (account, s) in states.iter().enumerate() {
        let expired: Vec<&Value> = s.orders.iter().filter(|o| o["status"] == "EXPIRED_IN_MATCH").collect();
        for _ in 0..PREVENTED_SAMPLE.min(expired.len()) {
            let o = expired[rng.below(expired.len() as u64) as usize];
            let order_id = id(&o["orderId"]);
            let params = Params::new().text("symbol", SYMBOL).int("orderId", order_id);
            let matches: Vec<Value> = clients[account]
                .request(Method::Get, "/api/v3/myPreventedMatches", params, Security::UserData)
                .await
                .unwrap();
            let Some(p) = matches.iter().find(|p| id(&p["makerOrderId"]) == order_id) else {
                panic!("no prevented match expired {o}: {matches:?}")
            };
            assert_eq!(
                dec(&p["makerPreventedQuantity"]),
                dec(&o["origQty"]) - dec(&o["executedQty"]),
                "{p} {o}"
            );
            let taker = id(&p["takerOrderId"]);
            assert!(orders.get(&taker).is_some_and(|(a, _)| *a == account), "taker of {p}");
            figures.prevented_checked += 1;
        }
    }
    // The public trade record (`historicalTrades`) is the accounts' trades, each once.
    let public = all_pages(&clients[0], "/api/v3/historicalTrades", "fromId", "id", Security::None).await;
    assert_eq!(
        public.iter().map(|t| id(&t["id"])).collect::<Vec<_>>(),
        sides.keys().copied().collect::<Vec<_>>(),
        "historicalTrades and myTrades list the same trades"
    );
    for t in &public {
        let rows = &sides[&id(&t["id"])];
        let buyer = rows.iter().find(|(_, r)| r["isBuyer"] == true).unwrap().1;
        let (price, qty, quote) = (dec(&t["price"]), dec(&t["qty"]), dec(&t["quoteQty"]));
        assert_eq!(
            (price, qty, quote),
            (dec(&buyer["price"]), dec(&buyer["qty"]), dec(&buyer["quoteQty"])),
            "{t}"
        );
        assert_eq!(t["isBuyerMaker"], buyer["isMaker"], "{t} {buyer}");
    }
    figures.public_trades_checked += public.len();
    figures.market_maker_trades = states[MARKET_MAKER].trades.len();
    figures.market_maker_orders = states[MARKET_MAKER].orders.len();
    let info: Value =
        clients[0].request(Method::Get, "/api/v3/exchangeInfo", Params::new(), Security::None).await.unwrap();
    let assets: HashMap<&str, (String, String)> = info["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let asset = |f: &str| s[f].as_str().unwrap().to_owned();
            (s["symbol"].as_str().unwrap(), (asset("baseAsset"), asset("quoteAsset")))
        })
        .collect();
    // Balances: deposits ± trades − commissions; locked = what open orders hold; totals conserved.
    let mut totals: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut expected_totals: BTreeMap<String, Decimal> = BTreeMap::new();
    for (account, s) in states.iter().enumerate() {
        let mut expected = model.deposits[account].clone();
        for t in &s.trades {
            let (qty, quote) = (dec(&t["qty"]), dec(&t["quoteQty"]));
            let sign = if t["isBuyer"] == true { Decimal::ONE } else { Decimal::NEGATIVE_ONE };
            *expected.entry(BASE.to_owned()).or_default() += sign * qty;
            *expected.entry(QUOTE.to_owned()).or_default() -= sign * quote;
            *expected.entry(t["commissionAsset"].as_str().unwrap().to_owned()).or_default() -=
                dec(&t["commission"]);
        }
        let mut locked: BTreeMap<String, Decimal> = BTreeMap::new();
        for o in &s.open_orders {
            let rest = dec(&o["origQty"]) - dec(&o["executedQty"]);
            let (base, quote) = &assets[o["symbol"].as_str().unwrap()];
            match o["side"].as_str().unwrap() {
                "SELL" => *locked.entry(base.clone()).or_default() += rest,
                _ => *locked.entry(quote.clone()).or_default() += dec(&o["price"]) * rest,
            }
        }
        for (asset, want) in &expected {
            let (free, held) = s.balances.get(asset).copied().unwrap_or_default();
            assert_eq!(free + held, *want, "account {account} {asset}: free {free} + locked {held}");
            assert_eq!(
                held,
                locked.get(asset).copied().unwrap_or_default(),
                "account {account} {asset} locked"
            );
            assert!(!free.is_sign_negative(), "account {account} {asset}: free {free}");
            *totals.entry(asset.clone()).or_default() += free + held;
        }
        for (asset, (free, held)) in &s.balances {
            assert!(
                expected.contains_key(asset) || (free.is_zero() && held.is_zero()),
                "account {account}: {asset} {free} {held} from nowhere"
            );
        }
        for (asset, amount) in &model.deposits[account] {
            *expected_totals.entry(asset.clone()).or_default() += amount;
        }
    }
    for rows in sides.values() {
        for (_, t) in rows {
            *expected_totals.entry(t["commissionAsset"].as_str().unwrap().to_owned()).or_default() -=
                dec(&t["commission"]);
        }
    }
    assert_eq!(totals, expected_totals, "each asset's total is the deposits less the commissions");
    // Every trade not seen before has an id above every one issued before the kill.
    let seen: HashSet<u64> = model.fills.keys().map(|(_, t, _)| *t).collect();
    for trade_id in sides.keys() {
        assert!(seen.contains(trade_id) || *trade_id > model.max_trade_id, "trade id {trade_id} reused");
    }

    check_client_ids(&clients, &states, &by_client, unknown, rng, figures).await;

    // What this restart shows is kept: later restarts must show it too.
    model.max_order_id = orders.keys().copied().max().unwrap_or(0).max(model.max_order_id);
    model.max_trade_id = sides.keys().copied().max().unwrap_or(0).max(model.max_trade_id);
    for (order_id, (account, o)) in &orders {
        model.orders.insert(
            *order_id,
            Known {
                account: *account,
                client_id: o["clientOrderId"].as_str().unwrap().to_owned(),
                status: o["status"].as_str().unwrap().to_owned(),
                executed: dec(&o["executedQty"]),
            },
        );
    }
    for (key, t) in &trades {
        model.fills.insert(*key, fill_of(t));
    }
    model.open = states
        .iter()
        .map(|s| {
            s.orders
                .iter()
                .filter(|o| rank(o["status"].as_str().unwrap()) < 2)
                .map(|o| id(&o["orderId"]))
                .collect()
        })
        .collect();
}

/// Orders are found by client order id after the kill (its index is rebuilt at open from the
/// orders): each order the kill cut off that was committed, and a sample of the others. An open
/// order's client order id is still taken: `-2010 Duplicate order sent.`
async fn check_client_ids(
    clients: &[Client],
    states: &[AccountState],
    by_client: &HashMap<(usize, &str), u64>,
    unknown: &[(usize, String)],
    rng: &mut Rng,
    figures: &mut Figures,
) {
    let committed: Vec<(usize, &str, u64)> = unknown
        .iter()
        .filter_map(|(a, cid)| by_client.get(&(*a, cid.as_str())).map(|id| (*a, cid.as_str(), *id)))
        .collect();
    let mut all: Vec<(usize, &str, u64)> = by_client.iter().map(|((a, cid), id)| (*a, *cid, *id)).collect();
    all.sort_by_key(|(_, _, id)| *id);
    let sample = (0..LOOKUPS).filter(|_| !all.is_empty()).map(|_| all[rng.below(all.len() as u64) as usize]);
    let lookups: Vec<(usize, &str, u64)> = committed.iter().copied().chain(sample).collect();
    for (account, cid, order_id) in lookups {
        let params = Params::new().text("symbol", SYMBOL).text("origClientOrderId", cid);
        let o: Value =
            clients[account].request(Method::Get, "/api/v3/order", params, Security::UserData).await.unwrap();
        assert_eq!(id(&o["orderId"]), order_id, "by client order id {cid}: {o}");
        figures.lookups += 1;
    }
    for (account, s) in states.iter().enumerate() {
        let open: Vec<&Value> = s.orders.iter().filter(|o| rank(o["status"].as_str().unwrap()) < 2).collect();
        // An order the kill cut off, when one is open; else any.
        let cut_off: Vec<&Value> = open
            .iter()
            .copied()
            .filter(|o| committed.iter().any(|(a, cid, _)| *a == account && o["clientOrderId"] == *cid))
            .collect();
        let pool = if cut_off.is_empty() { open } else { cut_off };
        if pool.is_empty() {
            continue;
        }
        let cid = pool[rng.below(pool.len() as u64) as usize]["clientOrderId"].as_str().unwrap();
        let params = Params::new()
            .text("symbol", SYMBOL)
            .text("side", "BUY")
            .text("type", "LIMIT")
            .text("timeInForce", "GTC")
            .text("quantity", "0.10")
            .text("price", "0.001400")
            .text("newClientOrderId", cid);
        match clients[account].request::<Value>(Method::Post, "/api/v3/order", params, Security::Trade).await
        {
            Err(Error::Api(e)) => {
                assert_eq!((e.code.get(), e.msg.as_str()), (-2010, "Duplicate order sent."), "{cid}")
            }
            other => panic!("the open order {cid}'s client order id was taken again: {other:?}"),
        }
        figures.duplicates_refused += 1;
    }
}

/// Creates the funded accounts and their keys through the admin API.
async fn open_accounts(url: &str, model: &mut Model) {
    let admin = client(url, DOCS_API_KEY, DOCS_SECRET);
    for n in 0..ACCOUNTS {
        let balances = BTreeMap::from([
            (BASE.to_owned(), Decimal::from(1_000_000)),
            (QUOTE.to_owned(), Decimal::from(100_000)),
        ]);
        let body = json!({ "name": format!("crash-{n}"), "balances": balances.iter().map(|(a, v)| (a.clone(), v.to_string())).collect::<BTreeMap<_, _>>() });
        let account = admin.sandbox_admin(Method::Post, "/sandbox/v1/accounts", &body).await.unwrap();
        let key =
            admin.sandbox_add_key(&json!({ "kind": "hmac", "account": account["accountId"] })).await.unwrap();
        model.keys.push((
            key["apiKey"].as_str().unwrap().to_owned(),
            key["secretKey"].as_str().unwrap().to_owned(),
        ));
        model.deposits.push(balances);
    }
    // The market maker's account, funded at the first start: nothing has traded yet, so what it
    // holds is its deposit.
    let key = json!({ "kind": "hmac", "account": mbx_sandbox::engine::market_maker::ACCOUNT_ID });
    let key = admin.sandbox_add_key(&key).await.unwrap();
    let (key, secret) =
        (key["apiKey"].as_str().unwrap().to_owned(), key["secretKey"].as_str().unwrap().to_owned());
    let account: Value = client(url, &key, &secret)
        .request(Method::Get, "/api/v3/account", Params::new(), Security::UserData)
        .await
        .unwrap();
    let held = account["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["asset"].as_str().unwrap().to_owned(), dec(&b["free"]) + dec(&b["locked"])))
        .collect();
    model.keys.push((key, secret));
    model.deposits.push(held);
}

/// A deposit of `QUOTE` to each account through the admin API, acknowledged before the load (a
/// balance the next restart must show too).
async fn deposit(url: &str, model: &mut Model, rng: &mut Rng) {
    let admin = client(url, DOCS_API_KEY, DOCS_SECRET);
    for (account, (key, _)) in model.keys.iter().enumerate().take(ACCOUNTS) {
        let amount = Decimal::new(1 + rng.below(1_000_000) as i64, 6);
        let body = json!({ "apiKey": key, "asset": QUOTE, "amount": amount.to_string() });
        admin.sandbox_deposit(&body).await.unwrap();
        *model.deposits[account].entry(QUOTE.to_owned()).or_default() += amount;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_killed_under_trading_load_keeps_every_acknowledged_order_fill_and_balance() {
    let seed = std::env::var("MBX_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED);
    let cycles = std::env::var("MBX_CRASH_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(CYCLES);
    let started = Instant::now();
    let mut rng = Rng(seed);
    let dir = temp_dir();
    eprintln!("crash: seed {seed}, data and the sandbox's stderr in {}", dir.display());
    let mut model = Model::default();
    let mut figures = Figures::default();
    let mut unknown: Vec<(usize, String)> = Vec::new();
    for cycle in 0..=cycles {
        let start = Instant::now();
        // The market maker quotes in every third cycle (its orders rest in the others).
        let sandbox = Sandbox::start(&dir, cycle, cycle % 3 == 0);
        let took = start.elapsed();
        figures.slowest_start = figures.slowest_start.max(took);
        figures.starts += took;
        if cycle == 0 {
            open_accounts(&sandbox.url, &mut model).await;
            model.open = vec![Vec::new(); ACCOUNTS];
        } else {
            verify(&sandbox.url, &mut model, &unknown, &mut rng, &mut figures).await;
        }
        if cycle == cycles {
            break;
        }
        deposit(&sandbox.url, &mut model, &mut rng).await;
        // The load: every task sends until the kill.
        let kill_after = (MIN_ACKS + rng.below(ACK_SPREAD)) as usize;
        let log: Arc<Mutex<CycleLog>> = Arc::default();
        let (acks, mut acked) = watch::channel(0usize);
        let acks = Arc::new(acks);
        let running = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        let mut recorders = Vec::new();
        for account in 0..ACCOUNTS {
            let (key, secret) = &model.keys[account];
            let stream = client(&sandbox.url, key, secret).ws_api().user_stream().await.unwrap();
            recorders.push(tokio::spawn(record_reports(stream, account, log.clone())));
            // The open orders of the last restart, shared out among the account's tasks.
            let mut inherited = model.open[account].clone();
            for t in 0..REST_TASKS + WS_TASKS {
                let rest = client(&sandbox.url, key, secret);
                let ws = (t >= REST_TASKS).then(|| rest.ws_api().with_timeout(ANSWER_TIMEOUT));
                let share = inherited.len() / (REST_TASKS + WS_TASKS - t);
                let task = Task {
                    account,
                    name: format!("k{cycle}-a{account}-t{t}"),
                    rest,
                    ws,
                    rng: Rng(rng.next()),
                    open: inherited.split_off(inherited.len() - share),
                };
                let (log, acks, running) = (log.clone(), acks.clone(), running.clone());
                running.fetch_add(1, Ordering::AcqRel);
                tasks.push(tokio::spawn(async move {
                    task.run(log, acks).await;
                    running.fetch_sub(1, Ordering::AcqRel);
                }));
            }
        }
        drop(acks);
        acked.wait_for(|n| *n >= kill_after).await.expect("the tasks stopped before the kill");
        // A task stops only on a request left without an answer: none may stop before the kill.
        assert_eq!(running.load(Ordering::Acquire), tasks.len(), "a request failed before the kill");
        sandbox.kill();
        for t in tasks.into_iter().chain(recorders) {
            t.await.unwrap();
        }
        let log = std::mem::take(&mut *log.lock().unwrap());
        model.absorb(&log, &mut figures);
        unknown = log.unknown;
    }
    let trades = model.fills.len() / 2;
    let f = &figures;
    eprintln!(
        "crash: seed {seed}: {cycles} kill -9 cycles in {:.1} s (restarts {:.0} ms on average, {:.0} ms at most)\n\
         crash: {} orders sent, {} acknowledged ({} over the WebSocket API), {} refused; {} cancels acknowledged\n\
         crash: {} fills acknowledged; {} fill checks after restarts; {} trades and {} orders at the end; {} historicalTrades rows, {} book levels, {} prevented matches checked\n\
         crash: the market maker (quoting in every third cycle): {} trades, {} orders\n\
         crash: {} executionReports received ({} of a trade), each checked after the restart\n\
         crash: in flight at a kill: {} committed, {} not; {} lookups by client order id, {} duplicates refused",
        started.elapsed().as_secs_f64(),
        f.starts.as_secs_f64() * 1000.0 / (cycles + 1) as f64,
        f.slowest_start.as_secs_f64() * 1000.0,
        f.sent,
        f.acked,
        f.acked_ws,
        f.refused,
        f.cancels,
        f.acked_fills,
        f.fills_checked,
        trades,
        model.orders.len(),
        f.public_trades_checked,
        f.book_levels_checked,
        f.prevented_checked,
        f.market_maker_trades,
        f.market_maker_orders,
        f.reports,
        f.report_fills,
        f.in_flight_committed,
        f.in_flight_lost,
        f.lookups,
        f.duplicates_refused,
    );
    assert!(f.acked_fills > 0 && f.cancels > 0 && f.acked_ws > 0, "the load traded and cancelled: {f:?}");
    assert!(f.in_flight_committed + f.in_flight_lost > 0 && f.duplicates_refused > 0, "{f:?}");
    // Kept when a check fails, with the sandbox's stderr of each start, for the post-mortem.
    let _ = std::fs::remove_dir_all(&dir);
}
