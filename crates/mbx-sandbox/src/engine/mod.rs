//! The engine: one thread that owns the [`Exchange`] (order books, open orders, balances, id
//! sequences, and the [`Store`](crate::store::Store) they are recorded in) and carries out commands in arrival order.
//!
//! Handlers talk to it through an [`EngineHandle`] and get their answer on a oneshot channel, sent
//! only after the change is committed, so nothing is acknowledged that a crash could lose. The books
//! and the store change together, in one place, one command at a time.
//!
//! ```text
//!  handler ──Command{.., reply}──▶ engine thread: Exchange::transact ──commit──▶ SQLite (WAL)
//!     ▲                                  │ (a group of commands, one transaction)
//!     │                                  ▼
//!     └──── reply (after the sync) ── syncer thread: fdatasync of the WAL, then answers, publishes
//! ```
//!
//! On disk the engine does not wait for the disk: it hands each committed group to the syncer
//! (`engine/durable.rs`) and goes on with the next, and the syncer answers a group once the log is synced.
//! In memory the engine answers each group itself after its commit. Either way a group's answers
//! reach the handlers' runtime together, in one wake-up (`engine/answers.rs`).
//!
//! * [`book`]: one symbol's book and the matching core (price-time priority, self-trade prevention).
//! * [`exchange`]: placing, matching, cancelling, reading; the transaction around each command.
//! * [`order`], [`order_list`], [`trade`]: the records; [`records`]: prevented matches and
//!   amendments (allocations are SOR fills). [`ledger`]: free and locked balances.
//!   [`ids`]: sequences. [`average`]: recent trades for average prices.
//! * [`market_maker`]: the built-in, deterministic market maker.
//! * [`market_data`]: `historicalTrades`, `aggTrades`, klines and window tickers, read from the trades.
//! * [`book_feed`]: order-book events for the market streams ([`EngineHandle::subscribe_book`]).
//! * admin commands ([`EngineHandle::create_account`], `deposit`, `keys`, `revoke_key`).

mod admin;
mod answers;
mod console;
pub use console::MarketMakerState;
pub mod average;
pub mod book;
pub mod book_feed;
mod durable;
pub mod exchange;
pub mod ids;
pub mod ledger;
pub mod market_data;
pub mod market_maker;
pub mod order;
pub mod order_list;
pub mod records;
pub mod trade;
pub mod user_events;
pub mod view;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Instant;

use tokio::sync::{broadcast, mpsc, oneshot};

pub use exchange::{
    AmendRequest, Amended, AvgPrice, CancelReplaceRequest, CancelReplaced, CancelRestriction, Cancelled,
    Depth, Exchange, ListRef, ListWithOrders, OcoRequest, OrderRef, OtoRequest, PendingLegs, PlaceRequest,
    Placed, Ticker,
};
pub use view::{AccountView, AccountViews};

use crate::clock::SandboxClock;
use crate::error::{SandboxError, StoreError};
use crate::keys::StoredKey;
use crate::order::AveragePrices;
use crate::store::History;
use book_feed::{BookEvent, FLUSH_INTERVAL};
use order::Order;
use trade::{Fill, Trade};

/// How many commands may wait for the engine before senders wait too.
const QUEUE: usize = 1024;

/// An operation on the exchange; it returns how to answer once its group is committed.
type Job = Box<dyn FnOnce(&mut Exchange) -> Reply + Send>;

/// Sends an operation's answer: its result, or, when the group's commit failed (the argument says
/// why), an error in place of any success.
type Reply = Box<dyn FnOnce(Option<&str>) + Send>;

/// Most commands answered after one commit (group commit).
const MAX_GROUP: usize = 256;

/// How often the engine yields, finding nothing to do, before it sleeps until a command comes.
const IDLE_YIELDS: usize = 2;

/// What the engine can be asked to do.
enum Command {
    /// Store a new API key.
    RegisterKey { key: StoredKey, now_ms: u64, reply: oneshot::Sender<Result<bool, StoreError>> },
    /// Run an operation on the exchange (trading, market data).
    Run(Job),
    /// Send the book feed's periodic events (after the current group's commit), stamped `now_ms`.
    Flush { now_ms: u64 },
    /// Nothing to carry out: the syncer has answered every group handed to it, so a group the
    /// engine holds can be committed now (`durable.rs`).
    Wake,
    /// Close the store and end the thread.
    Stop { reply: oneshot::Sender<()> },
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Command::RegisterKey { .. } => "RegisterKey",
            Command::Run(_) => "Run",
            Command::Flush { .. } => "Flush",
            Command::Wake => "Wake",
            Command::Stop { .. } => "Stop",
        })
    }
}

/// A cheap, cloneable way to send commands to the engine.
#[derive(Debug, Clone)]
pub struct EngineHandle {
    tx: mpsc::Sender<Command>,
    trades: broadcast::Sender<Trade>,
    users: broadcast::Sender<Arc<Vec<user_events::UserEvent>>>,
    book: broadcast::Sender<Arc<BookEvent>>,
    views: AccountViews,
}

/// The engine thread, to wait for at shutdown.
#[derive(Debug)]
pub struct EngineThread(JoinHandle<()>);

impl EngineThread {
    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.0.is_finished()
    }

    /// Waits for the thread to end (after [`EngineHandle::stop`], or once every handle is dropped).
    pub fn join(self) {
        let _ = self.0.join();
    }
}

impl EngineHandle {
    /// Starts the engine thread, which takes ownership of `exchange` and its store, and the book
    /// feed's timer thread, which reads the time of each flush from `clock`.
    ///
    /// The timer wakes every [`FLUSH_INTERVAL`] and, only while someone listens to the book feed
    /// and no flush is already waiting, queues a flush command; the engine carries it out after the
    /// group of commands it arrived in is committed. The timer ends once the engine's queue is
    /// closed or every handle is dropped (it holds the queue weakly).
    pub fn start(
        exchange: Exchange,
        clock: SandboxClock,
    ) -> Result<(EngineHandle, EngineThread), SandboxError> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let trades = exchange.trade_feed();
        let users = exchange.user_feed();
        let book = exchange.book_feed();
        let views = exchange.account_views();
        let queued = Arc::new(AtomicBool::new(false));
        let flushed = queued.clone();
        let own = tx.downgrade();
        // Made here, where the caller's runtime is: the answers are sent on it.
        let answerer = answers::Answerer::start();
        let thread = std::thread::Builder::new()
            .name("mbx-sandbox-engine".into())
            .spawn(move || run(exchange, rx, own, &flushed, &answerer))
            .map_err(|source| SandboxError::Io { context: "starting the engine thread".into(), source })?;
        let (weak, listeners) = (tx.downgrade(), book.clone());
        std::thread::Builder::new()
            .name("mbx-sandbox-book-timer".into())
            .spawn(move || tick(&weak, &listeners, &queued, &clock))
            .map_err(|source| SandboxError::Io { context: "starting the book feed timer".into(), source })?;
        Ok((EngineHandle { tx, trades, users, book, views }, EngineThread(thread)))
    }

    /// Starts the background market (`SandboxBuilder::activity`): a timer thread that, every
    /// `every`, has the engine carry out one step of [`Exchange::market_activity`], drawn from
    /// `seed` and the step's number, stamped with `clock`'s time. It ends with the engine (it holds
    /// the queue weakly); a step that finds the queue full is skipped.
    pub fn start_activity(
        &self,
        every: std::time::Duration,
        seed: u64,
        clock: SandboxClock,
    ) -> Result<(), SandboxError> {
        let engine = self.tx.downgrade();
        std::thread::Builder::new()
            .name("mbx-sandbox-activity".into())
            .spawn(move || {
                let mut next = Instant::now() + every;
                for n in 1u64.. {
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    next = (next + every).max(Instant::now());
                    let Some(tx) = engine.upgrade().filter(|tx| !tx.is_closed()) else { return };
                    let (draw, now) = (market_maker::draw(seed, n), clock.now_ms());
                    let job: Job = Box::new(move |ex: &mut Exchange| -> Reply {
                        if let Err(e) = ex.transact(now, |ex| ex.market_activity(draw, now)) {
                            tracing::debug!(target: "mbx_sandbox", error = %e, "background market step not taken");
                        }
                        Box::new(|_| {})
                    });
                    if let Err(mpsc::error::TrySendError::Closed(_)) = tx.try_send(Command::Run(job)) {
                        return;
                    }
                }
            })
            .map(drop)
            .map_err(|source| SandboxError::Io { context: "starting the background market".into(), source })
    }

    async fn call<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Command) -> Result<T, SandboxError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(make(reply)).await.map_err(|_| SandboxError::EngineStopped)?;
        rx.await.map_err(|_| SandboxError::EngineStopped)
    }

    /// Every account's user data events from now on, a batch per commit (user data streams).
    pub fn subscribe_user(&self) -> broadcast::Receiver<Arc<Vec<user_events::UserEvent>>> {
        self.users.subscribe()
    }

    /// Every trade from now on, each sent right after its command is committed (market streams).
    pub fn subscribe_trades(&self) -> broadcast::Receiver<Trade> {
        self.trades.subscribe()
    }

    /// Order-book events from now on (diff depth, partial depth, best bid and ask; see
    /// [`BookEvent`]), each sent after the changes it shows are committed. Nothing is computed for
    /// the feed while nobody subscribes. A subscriber that falls [`book_feed::BOOK_FEED_CAPACITY`]
    /// events behind gets `Lagged` and should rebuild its book from a new snapshot.
    pub fn subscribe_book(&self) -> broadcast::Receiver<Arc<BookEvent>> {
        self.book.subscribe()
    }

    /// Stores a key; `Ok(false)` when the key text is already taken. Returns after the commit.
    pub async fn register_key(&self, key: StoredKey, now_ms: u64) -> Result<bool, SandboxError> {
        Ok(self.call(|reply| Command::RegisterKey { key, now_ms, reply }).await??)
    }

    /// An account's committed balances, read without waiting for the engine (see [`AccountViews`]).
    pub fn account(&self, account_id: i64) -> Option<Arc<AccountView>> {
        self.views.get(account_id)
    }

    /// Runs `op` on the engine thread and returns its result.
    async fn exec<T: Send + 'static>(
        &self,
        op: impl FnOnce(&mut Exchange) -> Result<T, SandboxError> + Send + 'static,
    ) -> Result<T, SandboxError> {
        self.call(|reply| {
            Command::Run(Box::new(move |ex: &mut Exchange| -> Reply {
                let result = op(ex);
                Box::new(move |failure: Option<&str>| {
                    let answer = match (result, failure) {
                        (Ok(_), Some(why)) => Err(SandboxError::Store(StoreError::Commit(why.to_owned()))),
                        (result, _) => result,
                    };
                    let _ = reply.send(answer);
                })
            }))
        })
        .await?
    }

    /// Places an order; returns after the order, its trades and the balances are committed.
    pub async fn place(&self, req: PlaceRequest) -> Result<Placed, SandboxError> {
        let now = req.now_ms;
        self.exec(move |ex| ex.transact(now, |ex| ex.place(req))).await
    }

    /// Cancels one open order of `account_id` by a cancel request identified by `cancel_client_id`
    /// (its `newClientOrderId`, sent or generated); returns the order as cancelled, after the commit.
    pub async fn cancel(
        &self,
        account_id: i64,
        symbol: usize,
        which: OrderRef,
        restriction: Option<CancelRestriction>,
        cancel_client_id: String,
        now_ms: u64,
    ) -> Result<Order, SandboxError> {
        self.exec(move |ex| {
            ex.transact(now_ms, |ex| {
                ex.cancel_request(account_id, &cancel_client_id);
                ex.cancel(account_id, symbol, &which, restriction, now_ms)
            })
        })
        .await
    }

    /// Cancels every open order of `account_id` on `symbol`, order lists with their legs, by one
    /// cancel request identified by `cancel_client_id`.
    pub async fn cancel_all(
        &self,
        account_id: i64,
        symbol: usize,
        cancel_client_id: String,
        now_ms: u64,
    ) -> Result<Cancelled, SandboxError> {
        self.exec(move |ex| {
            ex.transact(now_ms, |ex| {
                ex.cancel_request(account_id, &cancel_client_id);
                ex.cancel_all(account_id, symbol, now_ms)
            })
        })
        .await
    }

    /// One order of `account_id`, open or not.
    pub async fn order(
        &self,
        account_id: i64,
        symbol: usize,
        which: OrderRef,
    ) -> Result<Option<Order>, SandboxError> {
        self.exec(move |ex| ex.order(account_id, symbol, &which)).await
    }

    /// Open orders of `account_id` on one symbol or all.
    pub async fn open_orders(
        &self,
        account_id: i64,
        symbol: Option<usize>,
    ) -> Result<Vec<Order>, SandboxError> {
        self.exec(move |ex| Ok(ex.open_orders(account_id, symbol))).await
    }

    /// `allOrders`.
    pub async fn all_orders(
        &self,
        account_id: i64,
        symbol: usize,
        h: History,
    ) -> Result<Vec<Order>, SandboxError> {
        self.exec(move |ex| ex.all_orders(account_id, symbol, &h)).await
    }

    /// `myTrades`.
    pub async fn my_trades(
        &self,
        account_id: i64,
        symbol: usize,
        h: History,
    ) -> Result<Vec<Fill>, SandboxError> {
        self.exec(move |ex| ex.my_trades(account_id, symbol, &h)).await
    }

    /// The book of `symbol`, at most `limit` levels a side.
    pub async fn depth(&self, symbol: usize, limit: usize) -> Result<Depth, SandboxError> {
        self.exec(move |ex| Ok(ex.depth(symbol, limit))).await
    }

    /// The most recent trades of `symbol`.
    pub async fn recent_trades(&self, symbol: usize, limit: u32) -> Result<Vec<Trade>, SandboxError> {
        self.exec(move |ex| ex.recent_trades(symbol, limit)).await
    }

    /// Last price and best bid and ask of each symbol.
    pub async fn tickers(&self, symbols: Vec<usize>) -> Result<Vec<Ticker>, SandboxError> {
        self.exec(move |ex| Ok(symbols.into_iter().map(|s| ex.ticker(s)).collect())).await
    }

    /// `avgPrice` of `symbol` over `mins` minutes.
    pub async fn avg_price(&self, symbol: usize, mins: u32, now_ms: u64) -> Result<AvgPrice, SandboxError> {
        self.exec(move |ex| ex.avg_price(symbol, mins, now_ms)).await
    }

    /// Places an OCO; returns after both legs and the list are committed.
    pub async fn place_oco(&self, req: OcoRequest) -> Result<ListWithOrders, SandboxError> {
        let now = req.now_ms;
        self.exec(move |ex| ex.transact(now, |ex| ex.place_oco(req))).await
    }

    /// Places an OTO, OTOCO, OPO or OPOCO list; returns after its orders and the list are committed.
    pub async fn place_oto(&self, req: OtoRequest) -> Result<(ListWithOrders, Vec<Fill>), SandboxError> {
        let now = req.now_ms;
        self.exec(move |ex| ex.transact(now, |ex| ex.place_oto(req))).await
    }

    /// Cancels an open order list of `account_id`: every leg, after the commit, by a cancel request
    /// identified by `cancel_client_id`.
    pub async fn cancel_list(
        &self,
        account_id: i64,
        symbol: usize,
        which: ListRef,
        cancel_client_id: String,
        now_ms: u64,
    ) -> Result<ListWithOrders, SandboxError> {
        self.exec(move |ex| {
            ex.transact(now_ms, |ex| {
                ex.cancel_request(account_id, &cancel_client_id);
                ex.cancel_list(account_id, symbol, &which, now_ms)
            })
        })
        .await
    }

    /// Cancels an order and places another in one transaction (`order/cancelReplace`); returns
    /// after the commit.
    pub async fn cancel_replace(&self, req: CancelReplaceRequest) -> Result<CancelReplaced, SandboxError> {
        let now = req.now_ms;
        self.exec(move |ex| ex.transact(now, |ex| ex.cancel_replace(req))).await
    }

    /// One order list of `account_id`, open or not.
    pub async fn order_list(
        &self,
        account_id: i64,
        which: ListRef,
    ) -> Result<Option<ListWithOrders>, SandboxError> {
        self.exec(move |ex| ex.order_list(account_id, &which)).await
    }

    /// The open order lists of `account_id`.
    pub async fn open_order_lists(&self, account_id: i64) -> Result<Vec<ListWithOrders>, SandboxError> {
        self.exec(move |ex| Ok(ex.open_order_lists(account_id))).await
    }

    /// `allOrderList`.
    pub async fn all_order_lists(
        &self,
        account_id: i64,
        h: History,
    ) -> Result<Vec<ListWithOrders>, SandboxError> {
        self.exec(move |ex| ex.all_order_lists(account_id, &h)).await
    }

    /// Lowers an open order's quantity in place (`order/amend/keepPriority`); returns after the
    /// commit.
    pub async fn amend(&self, req: AmendRequest) -> Result<Amended, SandboxError> {
        let now = req.now_ms;
        self.exec(move |ex| ex.transact(now, |ex| ex.amend(req))).await
    }

    /// `order/amendments`.
    pub async fn amendments(
        &self,
        account_id: i64,
        symbol: usize,
        order_id: u64,
        from_execution_id: Option<u64>,
        limit: u32,
    ) -> Result<Vec<records::Amendment>, SandboxError> {
        self.exec(move |ex| ex.amendments(account_id, symbol, order_id, from_execution_id, limit)).await
    }

    /// Places an order through SOR; returns after the order, its trades, allocations and the
    /// balances are committed.
    pub async fn place_sor(&self, req: PlaceRequest) -> Result<Placed, SandboxError> {
        let now = req.now_ms;
        self.exec(move |ex| ex.transact(now, |ex| ex.place_sor(req))).await
    }

    /// `myAllocations`.
    pub async fn allocations(
        &self,
        account_id: i64,
        symbol: usize,
        q: crate::store::AllocationQuery,
    ) -> Result<Vec<Fill>, SandboxError> {
        self.exec(move |ex| ex.allocations(account_id, symbol, &q)).await
    }

    /// `myPreventedMatches`.
    pub async fn prevented_matches(
        &self,
        account_id: i64,
        symbol: usize,
        q: crate::store::PreventedQuery,
    ) -> Result<Vec<records::PreventedMatch>, SandboxError> {
        self.exec(move |ex| ex.prevented_matches(account_id, symbol, &q)).await
    }

    /// The average prices the filters of `symbol` judge an order by at `now_ms` (`order/test`).
    pub async fn average_prices(&self, symbol: usize, now_ms: u64) -> Result<AveragePrices, SandboxError> {
        self.exec(move |ex| Ok(ex.average_prices(symbol, now_ms))).await
    }

    /// Closes the store and ends the thread; returns once the database is closed. Later calls answer
    /// [`SandboxError::EngineStopped`].
    pub async fn stop(&self) {
        let _ = self.call(|reply| Command::Stop { reply }).await;
    }
}

/// The book feed's timer: every [`FLUSH_INTERVAL`], while the book feed has a receiver and no flush
/// is waiting (`queued`), asks the engine for one. Ends when the engine's queue is gone.
fn tick(
    engine: &mpsc::WeakSender<Command>,
    book: &broadcast::Sender<Arc<BookEvent>>,
    queued: &AtomicBool,
    clock: &SandboxClock,
) {
    let mut next = Instant::now() + FLUSH_INTERVAL;
    loop {
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
        let now = Instant::now();
        next += FLUSH_INTERVAL;
        if next <= now {
            // Late (a suspended machine): no burst of catch-up flushes.
            next = now + FLUSH_INTERVAL;
        }
        let Some(tx) = engine.upgrade().filter(|tx| !tx.is_closed()) else { return };
        if book.receiver_count() == 0 || queued.swap(true, Ordering::AcqRel) {
            continue;
        }
        match tx.try_send(Command::Flush { now_ms: clock.now_ms() }) {
            Ok(()) => {}
            // The queue is full: the next tick tries again.
            Err(mpsc::error::TrySendError::Full(_)) => queued.store(false, Ordering::Release),
            Err(mpsc::error::TrySendError::Closed(_)) => return,
        }
    }
}

/// The engine thread: takes every command waiting (up to [`MAX_GROUP`]), carries them out in
/// order, commits their changes in one transaction, and only then answers them. Under load many
/// orders share one fsync; a lone command is committed and answered at once. On disk, while the
/// syncer is still syncing earlier groups, the group stays open (uncommitted, unanswered) and
/// takes the commands that come meanwhile, up to [`MAX_GROUP`]: it is committed once the syncer
/// is idle, which wakes the engine should it sleep (`durable.rs`).
///
/// A [`Command::Flush`] (from the book feed's timer, which sets `flush_queued`) is carried out after
/// its group is committed, so the book events show only committed changes.
fn run(
    mut exchange: Exchange,
    mut rx: mpsc::Receiver<Command>,
    own: mpsc::WeakSender<Command>,
    flush_queued: &AtomicBool,
    answerer: &answers::Answerer,
) {
    exchange.set_grouping(true);
    let mut syncer = start_syncer(&mut exchange, own, answerer.clone());
    let sinks = exchange.sinks();
    let mut changes = exchange.store().total_changes();
    let mut replies: Vec<Reply> = Vec::new();
    // Whether the open group holds commands carried out and not yet committed.
    let mut holding = false;
    let mut flush = None;
    loop {
        // Before sleeping, give the CPU away twice: HTTP workers on this core then hand over what
        // they are parsing without having to wake the engine, whose wake-up would preempt them
        // (one core, 64 connections: 44k -> 17k context switches/s, orders +2-8%).
        let mut got = rx.try_recv().ok();
        for _ in 0..IDLE_YIELDS {
            if got.is_some() {
                break;
            }
            std::thread::yield_now();
            got = rx.try_recv().ok();
        }
        let got = match got {
            Some(cmd) => Some(cmd),
            // Holding a group with the syncer idle: commit it rather than sleep.
            None if holding && !syncer.as_ref().is_some_and(durable::Syncer::sleeps) => None,
            None => match rx.blocking_recv() {
                Some(cmd) => Some(cmd),
                None if holding => None,
                None => break,
            },
        };
        let mut next = got;
        let mut stop = None;
        while let Some(cmd) = next {
            match cmd {
                Command::RegisterKey { key, now_ms, reply } => {
                    // Its own transaction, committed here, answered with the group (once on disk).
                    let stored = exchange.store_mut().insert_key(&key, now_ms);
                    replies.push(Box::new(move |failure: Option<&str>| {
                        let _ = reply.send(match (stored, failure) {
                            (Ok(_), Some(why)) => Err(StoreError::Commit(why.to_owned())),
                            (stored, _) => stored,
                        });
                    }));
                }
                Command::Run(job) => {
                    // A bug in an operation must not take the engine down with it: the caller gets
                    // EngineStopped (its reply is dropped), memory is reloaded from the store.
                    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut exchange)));
                    match ran {
                        Ok(reply) => replies.push(reply),
                        Err(panic) => {
                            let msg = panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                                .unwrap_or_default();
                            tracing::error!(target: "mbx_sandbox::engine", panic = %msg, "engine operation panicked; state reloaded from the store");
                            exchange.recover();
                        }
                    }
                }
                Command::Flush { now_ms } => {
                    flush_queued.store(false, Ordering::Release);
                    flush = Some(now_ms);
                }
                Command::Wake => {}
                Command::Stop { reply } => {
                    stop = Some(reply);
                    break;
                }
            }
            if replies.len() >= MAX_GROUP {
                break;
            }
            // When the queue is empty, give the CPU away once before closing the group: where the
            // engine shares a core with the HTTP workers (one core, or a busy machine) they then
            // hand over every request they have ready, and the group grows instead of closing
            // after one or two commands. With a core to spare the yield returns at once. Measured
            // under 64 connections on one core: 18k -> 30k orders/s, 12.4k -> 4.2k context
            // switches/s.
            next = rx.try_recv().ok().or_else(|| {
                std::thread::yield_now();
                rx.try_recv().ok()
            });
        }
        // While earlier groups are being synced, keep this one open for the commands to come: it
        // could not be answered before the next sync anyway.
        holding = stop.is_none()
            && replies.len() < MAX_GROUP
            && !rx.is_closed()
            && syncer.as_ref().is_some_and(|s| !s.idle());
        if holding {
            continue;
        }
        let failure = exchange.finish_group().err();
        if let Some(why) = &failure {
            tracing::error!(target: "mbx_sandbox::engine", error = %why, "group commit failed; its commands are answered with an error");
        }
        if let Some(now_ms) = flush.take() {
            exchange.flush_book_feed(now_ms);
        }
        match &syncer {
            None => answerer.answer(std::mem::take(&mut replies), failure),
            Some(s) => {
                let now = exchange.store().total_changes();
                let wrote = now != changes;
                changes = now;
                let publications = exchange.take_held();
                if !wrote && s.idle() {
                    // Everything shown is on disk already: answer here, without the trip.
                    publications.into_iter().for_each(|p| sinks.publish(p));
                    answerer.answer(std::mem::take(&mut replies), failure);
                } else {
                    let replies = std::mem::take(&mut replies);
                    s.send(durable::Ticket { publications, replies, failure, wrote });
                }
            }
        }
        if let Some(reply) = stop {
            rx.close();
            // Every group handed to the syncer is answered before the engine says it stopped.
            if let Some(s) = syncer.take() {
                s.finish();
            }
            drop(exchange);
            // After every answer handed over before it.
            answerer.answer(
                vec![Box::new(move |_| {
                    let _ = reply.send(());
                })],
                None,
            );
            return;
        }
    }
    if let Some(s) = syncer {
        s.finish();
    }
}

/// For a store on disk: relaxes its commits to write without syncing and starts the syncer that
/// syncs before answering ([`durable`]); what commits make visible is then held for it. `None` in
/// memory, or when the store cannot be relaxed (then every commit syncs itself, as before). The
/// syncer wakes the engine through its own queue (`engine`, held weakly).
fn start_syncer(
    exchange: &mut Exchange,
    engine: mpsc::WeakSender<Command>,
    answerer: answers::Answerer,
) -> Option<durable::Syncer> {
    let (wal, db) = exchange.store().sync_files()?;
    let wake = move || {
        // A full queue wakes the engine as well; a closed one has no engine to wake.
        if let Some(tx) = engine.upgrade() {
            let _ = tx.try_send(Command::Wake);
        }
    };
    let syncer = match durable::Syncer::start(wal, db, exchange.sinks(), answerer, wake) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(target: "mbx_sandbox::engine", error = %e, "no syncer thread; every commit syncs itself");
            return None;
        }
    };
    if let Err(e) = exchange.store_mut().defer_sync() {
        tracing::warn!(target: "mbx_sandbox::engine", error = %e, "synchronous=NORMAL refused; every commit syncs itself");
        syncer.finish();
        return None;
    }
    exchange.set_hold(true);
    Some(syncer)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::seed;
    use crate::store::{AccountSnapshot, Store};

    fn exchange() -> Exchange {
        let mut store = Store::open_memory().unwrap();
        store.ensure_account(1, "one", &[("USDT", Decimal::TEN)], 1).unwrap();
        Exchange::load(store, seed::default_symbols(), seed::default_commission(), None).unwrap()
    }

    fn deposit(ex: &mut Exchange, now_ms: u64) -> Result<(), SandboxError> {
        ex.transact(now_ms, |ex| {
            ex.deposit(1, "BTC", Decimal::ONE);
            Ok(())
        })
    }

    fn btc(snapshot: &AccountSnapshot) -> Option<Decimal> {
        snapshot.balances.iter().find(|b| b.asset == "BTC").map(|b| b.free)
    }

    /// Commands of a group change memory at once but are stored and shown to readers only when the
    /// group commits, in one transaction.
    #[test]
    fn a_group_is_stored_and_shown_only_after_its_commit() {
        let mut ex = exchange();
        ex.set_grouping(true);
        deposit(&mut ex, 5).unwrap();
        deposit(&mut ex, 6).unwrap();
        let views = ex.account_views();
        assert_eq!(btc(&views.get(1).unwrap().snapshot), None, "readers see only committed balances");
        assert_eq!(btc(&ex.store().account(1).unwrap().unwrap()), None, "nothing stored yet");
        ex.finish_group().unwrap();
        let shown = &views.get(1).unwrap().snapshot;
        assert_eq!(btc(shown), Some(Decimal::TWO));
        assert_eq!(shown.update_ms, 6);
        let stored = ex.store().account(1).unwrap().unwrap();
        assert_eq!((btc(&stored), stored.update_ms), (Some(Decimal::TWO), 6));
    }

    /// When the group's commit fails, finish_group says so (every command of the group is then
    /// answered with an error), and memory goes back to what is stored.
    #[test]
    fn a_failed_group_commit_leaves_nothing_behind() {
        let mut ex = exchange();
        ex.set_grouping(true);
        deposit(&mut ex, 5).unwrap();
        ex.store().fail_commits();
        let why = ex.finish_group().unwrap_err();
        assert!(why.contains("commits fail"), "{why}");
        assert_eq!(btc(&ex.account_views().get(1).unwrap().snapshot), None);
        assert_eq!(btc(&ex.store().account(1).unwrap().unwrap()), None);
        // Memory was reloaded: a new group starts from the stored balances.
        ex.transact(7, |ex| {
            assert_eq!(ex.mem_free(1, "BTC"), Decimal::ZERO);
            Ok(())
        })
        .unwrap();
    }

    /// Without grouping (direct use of an Exchange), each transaction commits before it returns.
    #[test]
    fn without_grouping_each_command_commits() {
        let mut ex = exchange();
        deposit(&mut ex, 5).unwrap();
        assert_eq!(btc(&ex.store().account(1).unwrap().unwrap()), Some(Decimal::ONE));
        assert_eq!(btc(&ex.account_views().get(1).unwrap().snapshot), Some(Decimal::ONE));
    }
}
