//! [`Exchange`]: what the engine thread owns — the store, and in memory the books, the open orders,
//! the balances and the id sequences — and the operations on them.
//!
//! Every change runs inside [`Exchange::transact`]: the operation first checks everything that can
//! refuse it (reading only), then changes memory and records each change in a [`Batch`]; the batch
//! is committed in one SQLite transaction before the caller gets an answer. If the commit fails, the
//! in-memory state is reloaded from the store, so memory never runs ahead of what is durable.
//!
//! # Orders
//!
//! | type | matching | rest | funds checked (free) |
//! |---|---|---|---|
//! | `LIMIT` `GTC` | up to its price | rests, locking `price * rest` (BUY) or `rest` (SELL) | `price * quantity` / `quantity` |
//! | `LIMIT` `IOC` | up to its price | `EXPIRED` | as GTC |
//! | `LIMIT` `FOK` | all or nothing | `EXPIRED` with no trade if it cannot fill entirely | as GTC |
//! | `LIMIT_MAKER` | never; `-2010 Order would immediately match and take.` if it would | rests | as GTC |
//! | `MARKET` `quantity` | the whole book | `EXPIRED` when the book runs out | BUY: the cost of its fills; SELL: `quantity` |
//! | `MARKET` `quoteOrderQty` | whole `LOT_SIZE` steps | `FILLED` once the next step is unaffordable | BUY: `quoteOrderQty`; SELL: the base its fills sell |
//! | `STOP_LOSS(_LIMIT)`, `TAKE_PROFIT(_LIMIT)` | none until the last trade price reaches `stopPrice`; then as MARKET (or LIMIT with its `timeInForce`) | waits untriggered (`isWorking` false), locking `quantity` (SELL) or `price`/`stopPrice` `* quantity` (BUY) | as locked; `-2010 Order would trigger immediately.` if the last price is already past `stopPrice` |
//! | with `trailingDelta` (trailing stop) | none until the last price has moved `trailingDelta` BIPS back from its best since tracking began (at placement without `stopPrice`, else once `stopPrice` is met); then as above | as above; a BUY with neither `price` nor `stopPrice` locks the last price `* quantity` | as above (the immediate-trigger check only with `stopPrice`) |
//! | with `icebergQty` (`LIMIT`/`LIMIT_MAKER` `GTC`, stop-limits) | as the order without it (a taker uses its whole quantity) | rests whole, showing one slice of `icebergQty` in the book; each new slice goes to the back of its level | as the order without it; `MAX_NUM_ICEBERG_ORDERS` first |
//! | with `pegPriceType` (`LIMIT`, `LIMIT_MAKER`, stop-limits) | at the pegged price: the best (or `pegOffsetValue` levels deeper) of its own side (`PRIMARY_PEG`) or the opposite side (`MARKET_PEG`), fixed once determined | at the pegged price | at the pegged price; `-2010 Order book liquidity is too low for this pegged order.` without that level |
//!
//! An SOR order (`sor.rs`) is a `LIMIT` or `MARKET` order as above whose taker executions are
//! allocations. An open order's quantity can be lowered in place (`amending.rs`). Every prevented
//! self-trade is recorded (`matching.rs`).
//!
//! Trades settle at the maker's price: the buyer pays `price * qty` quote and receives `qty` base,
//! the seller the reverse; each pays commission ([`crate::seed::default_commission`], 0.1%) on what it
//! receives, in that asset, rounded up to the asset's precision. A triggered stop order whose account
//! can no longer pay expires.
//!
//! Before anything else a new order passes the filters that need the symbol's average price
//! ([`crate::order::check_at_average`], against [`Exchange::average_prices`]), then
//! `MAX_NUM_ORDERS`, then the duplicate `clientOrderId` check.
//!
//! # Order lists
//!
//! A list's legs are ordinary orders that name their list. What happens when a leg trades,
//! triggers or ends is decided in one place (`leg_acted`, `leg_ended` in `oto.rs`), called by
//! `Exchange::finish` and the matching steps:
//!
//! | list | endpoint | placed | a leg trades or triggers | a leg ends |
//! |---|---|---|---|---|
//! | OCO | `orderList/oco`, `order/oco` ([`OcoRequest`]) | both legs work (`LIMIT_MAKER` rests, the stop leg waits) | the other expires, list `ALL_DONE` | the other is cancelled (owner's cancel) or expires |
//! | OTO | `orderList/oto` ([`OtoRequest`]) | the working order works; the pending order is `PENDING_NEW`, out of the book | working: nothing; pending: list `ALL_DONE` | working `FILLED`: the pending order is placed; otherwise the others are cancelled or expire |
//! | OTOCO | `orderList/otoco` | as OTO, with a pending OCO pair | as OTO; the placed pair as an OCO | as OTO |
//! | OPO, OPOCO | `orderList/opo`, `opoco` (`contingencyType` `OTO`) | as OTO; the working order buys, the pending order(s) sell | as OTO; each fill's purchase is locked for the pending order(s) | as OTO; the pending quantity is what was bought |
//!
//! Pending orders are placed after the command's matching, before stop orders trigger
//! (`transact.rs`), so a placement answer shows them `PENDING_NEW` even when the working order
//! filled at once. Only the working order's funds are checked and locked at placement.
//!
//! # Files
//!
//! This file holds the state ([`Exchange`], its in-memory `Memory`) and what every operation shares;
//! the operations are split by concern:
//!
//! * `transact.rs`: the transaction around each command, the group commit, the reload on failure.
//! * `placing.rs`: a new order's checks and acceptance ([`PlaceRequest`], [`Placed`]).
//! * `matching.rs`: trades, prevented self-trades, resting, and an order's end.
//! * `stops.rs`: stop-loss and take-profit orders, held and triggered.
//! * `features.rs`: icebergs' slices, trailing stops' tracking, pegged orders' prices.
//! * `cancelling.rs`: cancel, cancel-all, cancel-replace ([`CancelReplaceRequest`]).
//! * `amending.rs`: order amend keep priority ([`AmendRequest`]), amendments read back.
//! * `lists.rs`: OCO order lists, what every list shares (ids, the OCO pair's locks), cancelling a
//!   list, reading lists.
//! * `oto.rs`: OTO, OTOCO, OPO and OPOCO lists: placing, the pending orders placed when the working
//!   order fills ([`OtoRequest`], [`PendingLegs`]), and what a leg's action does to its list.
//! * `quotes.rs`: the market maker's quotes.
//! * `reads.rs`: queries (orders, trades, depth, tickers, average prices).
//! * `sor.rs`: SOR orders (their taker executions are allocations), and the allocations and
//!   prevented matches read back.
//! * `feed.rs`: the book feed's view of the books and its hooks (see [`crate::engine::book_feed`]).

mod amending;
mod cancelling;
mod features;
mod feed;
mod lists;
mod matching;
mod open;
mod oto;
mod placing;
mod quotes;
mod reads;
mod sor;
mod stops;
pub(crate) use stops::is_stop;
#[cfg(test)]
mod tests;
mod transact;

use crate::hash::FastMap;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use mbx_core::model::OrderType;
use mbx_core::{ApiError, ErrorCode};
use rust_decimal::Decimal;

use super::average::TradeWindow;
use super::book::Book;
use super::book_feed::BookFeed;
use super::ids::{Ids, TradeIds};
use super::ledger::Ledger;
use super::market_maker::MarketMaker;
use super::order::Order;
use super::order_list::OrderList;
use super::trade::Trade;
use super::view::AccountViews;
use crate::error::{Result, SandboxError, StoreError};
use crate::limits::OrderCounter;
use crate::market::SymbolSpec;
use crate::store::{Batch, Store};

pub use amending::{AmendRequest, Amended};
pub use cancelling::{CancelReplaceRequest, CancelReplaced, CancelRestriction, Cancelled};
pub use lists::{ListRef, ListWithOrders, OcoRequest};
pub use oto::{OtoRequest, PendingLegs};
pub use placing::{PlaceRequest, Placed};
pub use reads::{AvgPrice, Depth, Ticker};
pub use transact::{Publication, Sinks};

/// Which order a query or cancel names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRef {
    /// Wire: orderId.
    pub order_id: Option<u64>,
    /// Wire: origClientOrderId.
    pub client_order_id: Option<String>,
}

/// The in-memory state, rebuilt from the store at start and after a failed commit.
#[derive(Debug, Clone)]
struct Memory {
    books: Vec<Book>,
    /// Open orders (`NEW`, `PARTIALLY_FILLED`, untriggered stops) by id.
    open: open::OpenOrders,
    /// Open orders by (account, symbol, clientOrderId).
    client_ids: FastMap<(i64, String, String), u64>,
    ledger: Ledger,
    ids: Ids,
    /// Trade and aggregate trade ids, per symbol.
    trade_ids: TradeIds,
    /// Per symbol: last trade (price, time).
    last_trade: Vec<Option<(Decimal, u64)>>,
    /// Per symbol: the trades of its longest `avgPriceMins`, for average prices.
    windows: Vec<TradeWindow>,
    /// Open (`EXECUTING`) order lists by id.
    lists: FastMap<u64, OrderList>,
    /// Open order lists by (account, symbol, listClientOrderId).
    list_client_ids: FastMap<(i64, String, String), u64>,
    /// How many times each open order has been amended (`MAX_NUM_ORDER_AMENDS`), when it has.
    amend_counts: FastMap<u64, u32>,
}

impl Memory {
    fn load(store: &Store, symbols: &[SymbolSpec]) -> Result<Memory> {
        let ids = Ids::load(store)?;
        let trade_ids = TradeIds::load(store)?;
        let mut ledger = Ledger::default();
        for (account, update_ms) in store.all_accounts()? {
            ledger.load_account(account, update_ms);
        }
        for (account, b) in store.all_balances()? {
            ledger.load(account, b.asset, b.free, b.locked);
        }
        let mut books = vec![Book::default(); symbols.len()];
        let mut open = open::OpenOrders::default();
        let mut client_ids = FastMap::default();
        for order in store.open_orders()? {
            let Some(i) = symbols.iter().position(|s| s.symbol == order.symbol) else {
                // A symbol no longer configured: its orders stay stored, out of any book.
                continue;
            };
            if let (true, Some(seq)) = (order.is_working(), order.book_seq) {
                books[i].insert(&order.side, order.price, order.order_id, seq);
            }
            client_ids.insert(
                (order.account_id, order.symbol.clone(), order.client_order_id.clone()),
                order.order_id,
            );
            open.insert(order.order_id, order);
        }
        let mut last_trade = Vec::with_capacity(symbols.len());
        let mut windows = Vec::with_capacity(symbols.len());
        for (i, s) in symbols.iter().enumerate() {
            books[i].touch(ids.last_update());
            let last = store.recent_trades(&s.symbol, 1)?.pop().map(|t| (t.price, t.time_ms));
            let mins = s.percent_price_by_side.avg_price_mins.max(s.notional.avg_price_mins);
            let mut window = TradeWindow::new(u64::from(mins) * 60_000);
            if let Some((_, time)) = last {
                for t in store.trades_since(&s.symbol, time.saturating_sub(window.span_ms()))? {
                    window.push(t.time_ms, t.qty, t.quote_qty);
                }
            }
            last_trade.push(last);
            windows.push(window);
        }
        let mut lists = FastMap::default();
        let mut list_client_ids = FastMap::default();
        for list in store.open_order_lists()? {
            list_client_ids.insert(
                (list.account_id, list.symbol.clone(), list.list_client_order_id.clone()),
                list.order_list_id,
            );
            lists.insert(list.order_list_id, list);
        }
        let amend_counts = store.open_order_amend_counts()?.into_iter().collect();
        Ok(Memory {
            books,
            open,
            client_ids,
            ledger,
            ids,
            trade_ids,
            last_trade,
            windows,
            lists,
            list_client_ids,
            amend_counts,
        })
    }
}

/// How many committed trades a slow market-stream subscriber may fall behind before it skips some.
pub const TRADE_FEED_CAPACITY: usize = 4096;

/// The engine's state and operations. Owned by the engine thread.
#[derive(Debug)]
pub struct Exchange {
    store: Store,
    /// Shared with [`Spec`]s, so a command holds its symbol's rules without copying them.
    symbols: std::sync::Arc<[SymbolSpec]>,
    mem: Memory,
    mm: Option<MarketMaker>,
    fee: Decimal,
    batch: Batch,
    /// Symbols where the market maker's orders traded or expired in this command.
    requote: BTreeSet<usize>,
    /// Symbols that traded in this command (stop orders may trigger).
    traded: BTreeSet<usize>,
    /// Every trade, published once its command is committed (the market streams read it).
    trade_feed: tokio::sync::broadcast::Sender<Trade>,
    /// Order-book events for the market streams, noted while someone listens.
    feed: BookFeed,
    /// Committed balances, published for handlers to read without the engine.
    views: AccountViews,
    /// Changes of whole commands not yet committed (group commit).
    group: Batch,
    /// The id sequences as the group's last staged command left them, stored with the group.
    group_ids: Option<Ids>,
    /// Whether `transact` leaves its changes in `group` for `finish_group`.
    grouping: bool,
    /// Why a commit made earlier in the current group failed.
    group_failure: Option<String>,
    /// The accounts' unfilled order counts, which an order's first fill decrements.
    order_counter: Option<Arc<OrderCounter>>,
    /// Accounts whose orders traded for the first time in this command (one entry per order).
    first_fills: Vec<i64>,
    /// User data events, published once their command is committed.
    users: crate::engine::user_events::UserFeed,
    /// Whether what commits make visible is held for [`Exchange::take_held`] (the durable engine
    /// publishes it once the commit is on disk) rather than published at once.
    hold: bool,
    /// What commits made visible, held.
    held: Vec<Publication>,
    /// OTO lists whose working order filled in this command: their pending orders are placed once
    /// the command's matching is done (`lists.rs`).
    to_activate: Vec<u64>,
    /// Per symbol: how many of the command's trades (`batch.trades`) trailing stops have seen.
    trailed: HashMap<usize, usize>,
}

/// `-2010` with one of the catalog's engine messages.
fn new_order_rejected(msg: &str, hint: impl Into<String>) -> SandboxError {
    SandboxError::rejected(engine_error(ErrorCode::NEW_ORDER_REJECTED, msg), hint)
}

/// `-2038` with one of the catalog's engine messages.
fn amend_rejected(msg: &str, hint: impl Into<String>) -> SandboxError {
    SandboxError::rejected(engine_error(ErrorCode::ORDER_AMEND_REJECTED, msg), hint)
}

/// `-2011` with one of the catalog's engine messages.
fn cancel_rejected(msg: &str, hint: impl Into<String>) -> SandboxError {
    SandboxError::rejected(engine_error(ErrorCode::CANCEL_REJECTED, msg), hint)
}

/// `code` with `msg`, taken from the catalog so the text is Binance's exactly.
fn engine_error(code: ErrorCode, msg: &str) -> ApiError {
    let known = code.entry().and_then(|e| e.messages.iter().find(|m| **m == msg)).copied();
    debug_assert!(known.is_some(), "{msg:?} is not a catalogued message of {code:?}");
    ApiError::with_msg(code, known.unwrap_or(msg))
}

/// `-2010 Account has insufficient balance for requested action.`
fn insufficient(asset: &str, need: Decimal, free: Decimal) -> SandboxError {
    new_order_rejected(
        "Account has insufficient balance for requested action.",
        format!(
            "The order needs {} {asset} but the account has {} {asset} free; lower the quantity or free funds by cancelling orders.",
            need.normalize(),
            free.normalize()
        ),
    )
}

/// Whether an order of this type (once working) trades at a limit price.
fn has_limit(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::Limit | OrderType::LimitMaker | OrderType::StopLossLimit | OrderType::TakeProfitLimit
    )
}

impl Exchange {
    /// Loads the state of `store` for `symbols`; `market_maker` is `Some(seed)` to run the market
    /// maker. Call [`Exchange::start_market_maker`] next.
    pub fn load(
        store: Store,
        symbols: Vec<SymbolSpec>,
        fee: Decimal,
        market_maker: Option<u64>,
    ) -> Result<Exchange> {
        let mem = Memory::load(&store, &symbols)?;
        let mm = market_maker.map(|seed| MarketMaker::new(seed, &symbols));
        let feed = BookFeed::new(symbols.len());
        let views = AccountViews::default();
        views.replace_all(mem.ledger.account_ids().filter_map(|id| mem.ledger.snapshot(id)));
        Ok(Exchange {
            store,
            symbols: symbols.into(),
            mem,
            mm,
            fee,
            batch: Batch::default(),
            requote: BTreeSet::new(),
            traded: BTreeSet::new(),
            trade_feed: tokio::sync::broadcast::channel(TRADE_FEED_CAPACITY).0,
            feed,
            views,
            group: Batch::default(),
            group_ids: None,
            grouping: false,
            group_failure: None,
            order_counter: None,
            first_fills: Vec::new(),
            users: crate::engine::user_events::UserFeed::default(),
            hold: false,
            held: Vec::new(),
            to_activate: Vec::new(),
            trailed: HashMap::new(),
        })
    }

    /// The unfilled order counts to decrement when an order trades for the first time (rest-api.md,
    /// "Unfilled Order Count"): by one, in the current 10-second and day windows of its account.
    pub fn count_first_fills_in(&mut self, counter: Arc<OrderCounter>) {
        self.order_counter = Some(counter);
    }

    /// The free balance in memory (uncommitted changes included).
    #[cfg(test)]
    pub(crate) fn mem_free(&self, account_id: i64, asset: &str) -> Decimal {
        self.mem.ledger.free(account_id, asset)
    }

    /// The committed balances of every account, kept current by this exchange.
    pub fn account_views(&self) -> AccountViews {
        self.views.clone()
    }

    /// Starts tracking an account the store has just created (no balances yet), and publishes it.
    pub fn open_account(&mut self, account_id: i64, now_ms: u64) {
        self.mem.ledger.load_account(account_id, now_ms);
        self.views.publish(self.mem.ledger.snapshot(account_id));
    }

    /// The channel each committed trade is published on, in commit order.
    pub fn trade_feed(&self) -> tokio::sync::broadcast::Sender<Trade> {
        self.trade_feed.clone()
    }

    /// The store, for the commands that go to it directly (keys, account snapshots).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, mutably.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Adds `amount` to the free balance of `asset` (a deposit through the admin API); committed by
    /// the surrounding [`Exchange::transact`].
    pub fn deposit(&mut self, account_id: i64, asset: &str, amount: Decimal) {
        self.mem.ledger.credit(account_id, asset, amount);
        self.users.deposit(account_id, asset, amount);
    }

    /// Locks (`delta` above zero) or unlocks (below zero) `delta` of `asset` of `account_id` for a
    /// system outside spot trading, as margin collateral would: moves it between free and locked
    /// and sends `externalLockUpdate`. `Err` with why when free funds are short, or when more is
    /// unlocked than was locked this way (what open orders lock, less what they lock, is the
    /// external part; nothing else is stored, so it survives a restart as the balances do).
    pub fn external_lock(
        &mut self,
        account_id: i64,
        asset: &str,
        delta: Decimal,
    ) -> std::result::Result<(), String> {
        if delta.is_sign_positive() {
            if !self.mem.ledger.lock(account_id, asset, delta) {
                let free = self.mem.ledger.free(account_id, asset);
                return Err(format!("only {} {asset} is free", free.normalize()));
            }
        } else {
            let by_orders: Decimal = self
                .mem
                .open
                .values()
                .filter(|o| o.account_id == account_id)
                .filter(|o| {
                    self.symbols.iter().find(|s| s.symbol == o.symbol).is_some_and(|s| {
                        let held =
                            if o.side == mbx_core::model::Side::Buy { &s.quote_asset } else { &s.base_asset };
                        held == asset
                    })
                })
                .map(|o| o.locked)
                .sum();
            let external = (self.mem.ledger.locked(account_id, asset) - by_orders).max(Decimal::ZERO);
            if -delta > external {
                return Err(format!("only {} {asset} is locked externally", external.normalize()));
            }
            self.mem.ledger.unlock(account_id, asset, -delta);
        }
        self.users.external_lock(account_id, asset, delta);
        Ok(())
    }

    /// The current command is a cancel request of `account_id` with `newClientOrderId`
    /// `client_order_id` (sent or generated): the `executionReport`s of the orders it cancels name it
    /// as `c`, the order as `C`.
    pub fn cancel_request(&mut self, account_id: i64, client_order_id: &str) {
        self.users.cancel_request(account_id, client_order_id);
    }

    /// The channel of committed user data events (batches, one per commit).
    pub fn user_feed(
        &self,
    ) -> tokio::sync::broadcast::Sender<Arc<Vec<crate::engine::user_events::UserEvent>>> {
        self.users.sender()
    }

    /// Records an order's current state for the commit.
    fn save(&mut self, order: &Order) {
        self.batch.orders.insert(order.order_id, Box::new(order.clone()));
    }

    /// The rules of symbol `sym`, held apart from the exchange (a command changes the exchange
    /// while it reads them) without copying them.
    fn spec(&self, sym: usize) -> Result<Spec> {
        if sym < self.symbols.len() {
            Ok(Spec { all: self.symbols.clone(), index: sym })
        } else {
            Err(SandboxError::Store(StoreError::Corrupt { what: "symbol index", detail: sym.to_string() }))
        }
    }
}

/// One symbol's rules ([`Exchange::spec`]): a shared handle on the exchange's list.
#[derive(Debug, Clone)]
struct Spec {
    all: std::sync::Arc<[SymbolSpec]>,
    index: usize,
}

impl std::ops::Deref for Spec {
    type Target = SymbolSpec;

    fn deref(&self) -> &SymbolSpec {
        &self.all[self.index]
    }
}
