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
//!
//! Trades settle at the maker's price: the buyer pays `price * qty` quote and receives `qty` base,
//! the seller the reverse; each pays commission ([`crate::seed::default_commission`], 0.1%) on what it
//! receives, in that asset, rounded up to the asset's precision. A triggered stop order whose account
//! can no longer pay expires.
//!
//! Before anything else a new order passes the filters that need the symbol's average price
//! ([`crate::order::check_at_average`], against [`Exchange::average_prices`]), then
//! `MAX_NUM_ORDERS`, then the duplicate `clientOrderId` check. OCO order lists and cancel-replace
//! are in `exchange/lists.rs` ([`OcoRequest`], [`CancelReplaceRequest`]): a list's legs are ordinary
//! orders that name their list, and when one leg trades, triggers or ends, `Exchange::finish` and
//! the matching steps end the list and expire (or, for the owner's cancel, cancel) the other leg.

mod lists;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use mbx_core::model::{OrderStatus, OrderType, Side, TimeInForce};
use mbx_core::{ApiError, ErrorCode};
use rust_decimal::{Decimal, RoundingStrategy};

use super::average::TradeWindow;
use super::book::{Book, Maker, Plan, Step, Taker, TakerQty};
use super::ids::Ids;
use super::ledger::Ledger;
use super::market_maker::{self, MarketMaker};
use super::order::{Order, OrderTerms};
use super::order_list::OrderList;
use super::trade::{Fill, Trade};
use super::view::AccountViews;
use crate::error::{Result, SandboxError, StoreError};
use crate::keys::random_client_id;
use crate::limits::OrderCounter;
use crate::market::{DEFAULT_STP_MODE, SymbolSpec};
use crate::order::{AveragePrices, check_at_average};
use crate::store::{Batch, History, Store};

/// Length of a generated `clientOrderId`, as Binance generates them.
const CLIENT_ID_LEN: usize = 22;
/// Most stop orders one trade may trigger in a chain before the engine stops looking (a guard, not a
/// rule of Binance's).
const MAX_TRIGGER_ROUNDS: usize = 1000;

/// A new order, read and checked by the handler (see [`crate::order::NewOrder`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRequest {
    /// The placing account.
    pub account_id: i64,
    /// Symbol index in the market.
    pub symbol: usize,
    /// What the order asks for.
    pub terms: OrderTerms,
    /// When it arrived (ms).
    pub now_ms: u64,
}

/// An accepted order and the taker side of the trades it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The order as it stands after matching.
    pub order: Order,
    /// Its fills, in matching order.
    pub fills: Vec<Fill>,
}

/// `cancelRestrictions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelRestriction {
    /// `ONLY_NEW`.
    OnlyNew,
    /// `ONLY_PARTIALLY_FILLED`.
    OnlyPartiallyFilled,
}

#[cfg(test)]
mod tests;

pub use lists::{CancelReplaceRequest, CancelReplaced, ListRef, ListWithOrders, OcoRequest};

/// What `DELETE /api/v3/openOrders` cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cancelled {
    /// Orders on their own, by id.
    pub orders: Vec<Order>,
    /// Order lists, each with its legs as they ended.
    pub lists: Vec<ListWithOrders>,
}

/// Which order a query or cancel names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRef {
    /// Wire: orderId.
    pub order_id: Option<u64>,
    /// Wire: origClientOrderId.
    pub client_order_id: Option<String>,
}

/// An order book snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Depth {
    /// Wire: lastUpdateId.
    pub last_update_id: u64,
    /// (price, quantity), best first.
    pub bids: Vec<(Decimal, Decimal)>,
    /// (price, quantity), best first.
    pub asks: Vec<(Decimal, Decimal)>,
}

/// A symbol's summary for the tickers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticker {
    /// Symbol index.
    pub symbol: usize,
    /// Last trade price, else the book's mid price, else zero.
    pub price: Decimal,
    /// Best bid (price, quantity).
    pub bid: Option<(Decimal, Decimal)>,
    /// Best ask (price, quantity).
    pub ask: Option<(Decimal, Decimal)>,
}

/// `avgPrice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvgPrice {
    /// Wire: mins.
    pub mins: u32,
    /// Wire: price.
    pub price: Decimal,
    /// Wire: closeTime.
    pub close_time: u64,
}

/// The in-memory state, rebuilt from the store at start and after a failed commit.
#[derive(Debug, Clone)]
struct Memory {
    books: Vec<Book>,
    /// Open orders (`NEW`, `PARTIALLY_FILLED`, untriggered stops) by id.
    open: HashMap<u64, Order>,
    /// Open orders by (account, symbol, clientOrderId).
    client_ids: HashMap<(i64, String, String), u64>,
    ledger: Ledger,
    ids: Ids,
    /// Per symbol: last trade (price, time).
    last_trade: Vec<Option<(Decimal, u64)>>,
    /// Per symbol: the trades of its longest `avgPriceMins`, for average prices.
    windows: Vec<TradeWindow>,
    /// Open (`EXECUTING`) order lists by id.
    lists: HashMap<u64, OrderList>,
    /// Open order lists by (account, symbol, listClientOrderId).
    list_client_ids: HashMap<(i64, String, String), u64>,
}

impl Memory {
    fn load(store: &Store, symbols: &[SymbolSpec]) -> Result<Memory> {
        let ids = Ids::load(store)?;
        let mut ledger = Ledger::default();
        for (account, update_ms) in store.all_accounts()? {
            ledger.load_account(account, update_ms);
        }
        for (account, b) in store.all_balances()? {
            ledger.load(account, b.asset, b.free, b.locked);
        }
        let mut books = vec![Book::default(); symbols.len()];
        let mut open = HashMap::new();
        let mut client_ids = HashMap::new();
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
        let mut lists = HashMap::new();
        let mut list_client_ids = HashMap::new();
        for list in store.open_order_lists()? {
            list_client_ids.insert(
                (list.account_id, list.symbol.clone(), list.list_client_order_id.clone()),
                list.order_list_id,
            );
            lists.insert(list.order_list_id, list);
        }
        Ok(Memory { books, open, client_ids, ledger, ids, last_trade, windows, lists, list_client_ids })
    }
}

/// How many committed trades a slow market-stream subscriber may fall behind before it skips some.
pub const TRADE_FEED_CAPACITY: usize = 4096;

/// The engine's state and operations. Owned by the engine thread.
#[derive(Debug)]
pub struct Exchange {
    store: Store,
    symbols: Vec<SymbolSpec>,
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
    /// Committed balances, published for handlers to read without the engine.
    views: AccountViews,
    /// Changes of whole commands not yet committed (group commit).
    group: Batch,
    /// Whether `transact` leaves its changes in `group` for `finish_group`.
    grouping: bool,
    /// Why a commit made earlier in the current group failed.
    group_failure: Option<String>,
    /// The accounts' unfilled order counts, which an order's first fill decrements.
    order_counter: Option<Arc<OrderCounter>>,
    /// Accounts whose orders traded for the first time in this command (one entry per order).
    first_fills: Vec<i64>,
}

/// `-2010` with one of the catalog's engine messages.
fn new_order_rejected(msg: &str, hint: impl Into<String>) -> SandboxError {
    SandboxError::rejected(engine_error(ErrorCode::NEW_ORDER_REJECTED, msg), hint)
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

/// Commission on `amount` at `rate`, rounded up to `dp` decimals.
fn commission(amount: Decimal, rate: Decimal, dp: u32) -> Decimal {
    amount
        .checked_mul(rate)
        .unwrap_or(Decimal::ZERO)
        .round_dp_with_strategy(dp, RoundingStrategy::AwayFromZero)
}

/// Whether a stop order's condition holds at `last`.
fn triggers(order_type: &OrderType, side: &Side, stop: Decimal, last: Decimal) -> bool {
    let stop_loss = matches!(order_type, OrderType::StopLoss | OrderType::StopLossLimit);
    match (stop_loss, side) {
        (true, Side::Sell) | (false, Side::Buy) => last <= stop,
        _ => last >= stop,
    }
}

/// What an untriggered stop order holds: the base asset it sells, or the quote asset its `price`
/// (a limit) or `stopPrice` (a market stop) times its quantity would buy.
fn stop_need<'s>(order: &Order, spec: &'s SymbolSpec) -> (&'s str, Decimal) {
    match order.side {
        Side::Sell => (&spec.base_asset, order.orig_qty),
        _ => {
            let at = if has_limit(&order.order_type) {
                order.price
            } else {
                order.stop_price.unwrap_or(Decimal::ZERO)
            };
            (&spec.quote_asset, at.checked_mul(order.orig_qty).unwrap_or(Decimal::MAX))
        }
    }
}

fn is_stop(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::StopLoss | OrderType::StopLossLimit | OrderType::TakeProfit | OrderType::TakeProfitLimit
    )
}

/// Whether an order of this type (once working) trades at a limit price.
fn has_limit(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::Limit | OrderType::LimitMaker | OrderType::StopLossLimit | OrderType::TakeProfitLimit
    )
}

/// A new order of `account` as `terms` describe it, not yet accepted (its id is 0).
fn order_from_terms(account: i64, spec: &SymbolSpec, terms: &OrderTerms, now: u64) -> Order {
    Order {
        order_id: 0,
        account_id: account,
        symbol: spec.symbol.clone(),
        client_order_id: terms.client_order_id.clone().unwrap_or_default(),
        side: terms.side.clone(),
        order_type: terms.order_type.clone(),
        time_in_force: terms.time_in_force.clone().unwrap_or(TimeInForce::Gtc),
        price: terms.price.unwrap_or(Decimal::ZERO),
        orig_qty: terms.quantity.unwrap_or(Decimal::ZERO),
        executed_qty: Decimal::ZERO,
        cumm_quote_qty: Decimal::ZERO,
        orig_quote_order_qty: terms.quote_order_qty.unwrap_or(Decimal::ZERO),
        stop_price: terms.stop_price,
        status: OrderStatus::New,
        stp_mode: terms.stp_mode.clone().unwrap_or(DEFAULT_STP_MODE),
        locked: Decimal::ZERO,
        time_ms: now,
        update_ms: now,
        working_time: i64::try_from(now).unwrap_or(i64::MAX),
        book_seq: None,
        prevented_match_id: None,
        prevented_qty: None,
        order_list_id: None,
    }
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
        let views = AccountViews::default();
        views.replace_all(mem.ledger.account_ids().filter_map(|id| mem.ledger.snapshot(id)));
        Ok(Exchange {
            store,
            symbols,
            mem,
            mm,
            fee,
            batch: Batch::default(),
            requote: BTreeSet::new(),
            traded: BTreeSet::new(),
            trade_feed: tokio::sync::broadcast::channel(TRADE_FEED_CAPACITY).0,
            views,
            group: Batch::default(),
            grouping: false,
            group_failure: None,
            order_counter: None,
            first_fills: Vec::new(),
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
    }

    /// Runs `op` as one transaction: on `Ok` its changes are committed (or, while grouping, staged
    /// to commit with the rest of the group in [`Exchange::finish_group`]); on an error (a refusal
    /// or a failed commit) nothing of it remains, in memory or on disk.
    pub fn transact<T>(&mut self, now_ms: u64, op: impl FnOnce(&mut Exchange) -> Result<T>) -> Result<T> {
        self.batch = Batch::default();
        self.requote.clear();
        self.traded.clear();
        let result = op(self);
        if result.is_ok() {
            self.after(now_ms);
        }
        let mut batch = std::mem::take(&mut self.batch);
        batch.balances = self.mem.ledger.take_changed(now_ms);
        batch.accounts = batch.balances.keys().map(|(account, _)| (*account, now_ms)).collect();
        match result {
            Ok(value) => {
                if batch.is_empty() {
                    return Ok(value);
                }
                self.mem.ids.persist(&mut batch);
                self.group.absorb(batch);
                if !self.grouping {
                    self.commit_group()?;
                }
                Ok(value)
            }
            Err(e) => {
                if !batch.is_empty() {
                    // A refusal after a change is a bug. The group's earlier commands are whole:
                    // they are committed, then memory goes back to what is stored.
                    tracing::error!(target: "mbx_sandbox::engine", error = %e, "operation failed after changing state; reloading");
                    self.salvage_group();
                }
                Err(e)
            }
        }
    }

    /// Whether [`Exchange::transact`] stages changes for [`Exchange::finish_group`] (the engine
    /// thread, which answers a group's commands after one commit) rather than committing each.
    pub fn set_grouping(&mut self, grouping: bool) {
        self.grouping = grouping;
    }

    /// Commits every change staged since the last commit in one SQLite transaction, then publishes
    /// the new balances and trades. On failure memory is reloaded from the store.
    fn commit_group(&mut self) -> Result<()> {
        if self.group.is_empty() {
            return Ok(());
        }
        let group = std::mem::take(&mut self.group);
        match self.store.commit(&group) {
            Ok(()) => {
                let ledger = &self.mem.ledger;
                self.views.publish(group.accounts.keys().filter_map(|a| ledger.snapshot(*a)));
                for trade in &group.trades {
                    // No subscriber is not an error.
                    let _ = self.trade_feed.send(trade.clone());
                }
                Ok(())
            }
            Err(e) => {
                self.restore()?;
                Err(e.into())
            }
        }
    }

    /// Ends a group: commits what it staged. `Err` (with why) when that commit, or one made earlier
    /// in the group, failed: none of the group's changes may then be acknowledged.
    pub fn finish_group(&mut self) -> std::result::Result<(), String> {
        let committed = self.commit_group().map_err(|e| e.to_string());
        match self.group_failure.take() {
            Some(earlier) => Err(earlier),
            None => committed,
        }
    }

    /// After a command failed midway: commits the group's earlier (whole) commands, then reloads
    /// memory from the store, which drops the failed command's partial changes.
    fn salvage_group(&mut self) {
        self.batch = Batch::default();
        self.requote.clear();
        self.traded.clear();
        if let Err(e) = self.commit_group() {
            self.group_failure.get_or_insert(e.to_string());
        }
        self.group = Batch::default();
        if let Err(e) = self.restore() {
            tracing::error!(target: "mbx_sandbox::engine", error = %e, "reloading the state failed");
        }
    }

    /// After an operation panicked: drops its uncommitted changes and reloads memory from the store
    /// (the group's earlier commands are committed first).
    pub fn recover(&mut self) {
        self.salvage_group();
    }

    /// Reloads the in-memory state from the store.
    fn restore(&mut self) -> Result<()> {
        self.first_fills.clear();
        self.mem = Memory::load(&self.store, &self.symbols)?;
        let ledger = &self.mem.ledger;
        self.views.replace_all(ledger.account_ids().filter_map(|id| ledger.snapshot(id)));
        Ok(())
    }

    /// Records an order's current state for the commit.
    fn save(&mut self, order: &Order) {
        self.batch.orders.insert(order.order_id, order.clone());
    }

    /// Work that follows any command: stop orders triggered by its trades, then the market maker's
    /// new quotes where its orders traded.
    fn after(&mut self, now_ms: u64) {
        for _ in 0..MAX_TRIGGER_ROUNDS {
            let Some(sym) = self.traded.pop_first() else { break };
            self.trigger_stops(sym, now_ms);
        }
        let symbols: Vec<usize> = std::mem::take(&mut self.requote).into_iter().collect();
        for sym in symbols {
            self.requote(sym, now_ms);
        }
        // In memory only, like the counts themselves; a failed commit after this leaves the account
        // a count lower than it would be.
        let accounts = std::mem::take(&mut self.first_fills);
        if let Some(counter) = &self.order_counter {
            for account in accounts {
                counter.filled(account, now_ms);
            }
        }
    }

    // ---- placing ----

    /// Places a new order (`POST /api/v3/order`).
    pub fn place(&mut self, req: PlaceRequest) -> Result<Placed> {
        let sym = req.symbol;
        let spec = self.spec(sym)?;
        let now = req.now_ms;
        let account = req.account_id;
        check_at_average(&req.terms, &spec, self.average_prices(sym, now))?;
        self.check_room(account, &spec, 1)?;
        self.check_client_id(account, &spec, req.terms.client_order_id.as_deref())?;
        let mut order = order_from_terms(account, &spec, &req.terms, now);
        if is_stop(&order.order_type) {
            return self.place_stop(order, &spec, sym).map(|order| Placed { order, fills: Vec::new() });
        }
        let quote = req.terms.quote_order_qty;
        let (plan, fok_fails) = self.prepare(&order, quote, &spec, sym)?;
        self.accept(&mut order);
        let fills = self.apply(&mut order, &plan, fok_fails, quote.is_some(), &spec, sym, now);
        Ok(Placed { order, fills })
    }

    /// The rules of symbol `sym`.
    fn spec(&self, sym: usize) -> Result<SymbolSpec> {
        self.symbols.get(sym).cloned().ok_or_else(|| {
            SandboxError::Store(StoreError::Corrupt { what: "symbol index", detail: sym.to_string() })
        })
    }

    /// `MAX_NUM_ORDERS`: room for `adding` more open orders of `account` on the symbol.
    fn check_room(&self, account: i64, spec: &SymbolSpec, adding: usize) -> Result<()> {
        let open_here =
            self.mem.open.values().filter(|o| o.account_id == account && o.symbol == spec.symbol).count();
        if open_here + adding > spec.max_num_orders as usize {
            return Err(crate::order::filter_failure(
                "MAX_NUM_ORDERS",
                format!(
                    "The account has {open_here} open orders on {}; {adding} more would pass the MAX_NUM_ORDERS limit of {}. Cancel some first.",
                    spec.symbol, spec.max_num_orders
                ),
            ));
        }
        Ok(())
    }

    /// `-2010 Duplicate order sent.` when an open order of `account` on the symbol has `cid`.
    fn check_client_id(&self, account: i64, spec: &SymbolSpec, cid: Option<&str>) -> Result<()> {
        match cid {
            Some(cid)
                if self.mem.client_ids.contains_key(&(account, spec.symbol.clone(), cid.to_owned())) =>
            {
                Err(new_order_rejected(
                    "Duplicate order sent.",
                    format!(
                        "An open order on {} already has clientOrderId {cid:?}; use a new id.",
                        spec.symbol
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Gives an accepted order its id (and a client order id if it has none).
    fn accept(&mut self, order: &mut Order) {
        order.order_id = self.mem.ids.order();
        if order.client_order_id.is_empty() {
            order.client_order_id = random_client_id(CLIENT_ID_LEN);
        }
    }

    /// The checks that can refuse a working order, and its matching plan; changes nothing.
    fn prepare(
        &self,
        order: &Order,
        quote_order_qty: Option<Decimal>,
        spec: &SymbolSpec,
        sym: usize,
    ) -> Result<(Plan, bool)> {
        let book = &self.mem.books[sym];
        let account = order.account_id;
        let pay_asset = match order.side {
            Side::Sell => spec.base_asset.as_str(),
            _ => spec.quote_asset.as_str(),
        };
        let free = self.mem.ledger.free(account, pay_asset);
        let limit = has_limit(&order.order_type).then_some(order.price);
        if order.order_type == OrderType::LimitMaker && book.would_take(&order.side, order.price) {
            return Err(new_order_rejected(
                "Order would immediately match and take.",
                format!(
                    "A LIMIT_MAKER {} at {} would trade at once against the best {} of {}; use a price that rests.",
                    order.side,
                    order.price.normalize(),
                    if order.side == Side::Sell { "bid" } else { "ask" },
                    spec.symbol
                ),
            ));
        }
        // What must be free before matching.
        let upfront = match (limit, &order.side, quote_order_qty) {
            (Some(_), Side::Sell, _) => order.orig_qty,
            (Some(price), _, _) => price.checked_mul(order.orig_qty).unwrap_or(Decimal::MAX),
            (None, Side::Sell, None) => order.orig_qty,
            (None, Side::Buy, Some(quote)) => quote,
            _ => Decimal::ZERO,
        };
        if free < upfront {
            return Err(insufficient(pay_asset, upfront, free));
        }
        let taker = Taker {
            account_id: account,
            side: order.side.clone(),
            limit,
            qty: match quote_order_qty {
                Some(q) => TakerQty::Quote(q),
                None => TakerQty::Base(order.orig_qty),
            },
            stp: order.stp_mode.clone(),
            step: spec.lot_size.step_size,
        };
        let plan = if order.order_type == OrderType::LimitMaker {
            Plan { rest: order.orig_qty, ..Plan::default() }
        } else {
            let open = &self.mem.open;
            book.plan(&taker, |id| {
                open.get(&id).map(|o| Maker { account_id: o.account_id, remaining: o.remaining() })
            })
        };
        // Market orders whose cost is known only from the plan.
        let need = match (limit, &order.side, quote_order_qty) {
            (None, Side::Buy, None) => plan.quote,
            (None, Side::Sell, Some(_)) => plan.filled,
            _ => Decimal::ZERO,
        };
        if free < need {
            return Err(insufficient(pay_asset, need, free));
        }
        let fok_fails = order.time_in_force == TimeInForce::Fok
            && limit.is_some()
            && (!plan.rest.is_zero() || plan.taker_expires);
        Ok((plan, fok_fails))
    }

    /// Carries out `plan` for `order` (already accepted) and settles its final status: resting,
    /// filled or expired. Returns the order's fills.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        order: &mut Order,
        plan: &Plan,
        fok_fails: bool,
        by_quote: bool,
        spec: &SymbolSpec,
        sym: usize,
        now: u64,
    ) -> Vec<Fill> {
        let mut fills = Vec::new();
        if !fok_fails {
            for step in &plan.steps {
                match step {
                    Step::Fill { maker, price, qty } => {
                        if let Some(fill) = self.execute(order, *maker, *price, *qty, spec, sym, now) {
                            fills.push(fill);
                        }
                    }
                    Step::Prevented { maker, maker_qty, taker_qty, maker_expires, taker_expires, .. } => {
                        self.prevent(
                            order,
                            *maker,
                            *maker_qty,
                            *taker_qty,
                            *maker_expires,
                            *taker_expires,
                            sym,
                            now,
                        );
                    }
                }
            }
        }
        let rests = matches!(order.order_type, OrderType::LimitMaker)
            || (has_limit(&order.order_type) && order.time_in_force == TimeInForce::Gtc);
        if fok_fails {
            order.close(OrderStatus::Expired, now);
        } else if plan.taker_expires {
            order.close(OrderStatus::ExpiredInMatch, now);
        } else if by_quote {
            order.orig_qty = order.executed_qty;
            let done = plan.stopped_short && !order.executed_qty.is_zero();
            order.close(if done { OrderStatus::Filled } else { OrderStatus::Expired }, now);
        } else if order.remaining().is_zero() {
            order.close(OrderStatus::Filled, now);
        } else if rests {
            self.rest(order, spec, sym);
        } else {
            order.close(OrderStatus::Expired, now);
        }
        if order.is_open() {
            self.mem.client_ids.insert(
                (order.account_id, order.symbol.clone(), order.client_order_id.clone()),
                order.order_id,
            );
            self.mem.open.insert(order.order_id, order.clone());
        }
        self.save(order);
        fills
    }

    /// Puts an open order's rest into the book, locking what it may spend.
    fn rest(&mut self, order: &mut Order, spec: &SymbolSpec, sym: usize) {
        let (asset, amount) = match order.side {
            Side::Sell => (&spec.base_asset, order.remaining()),
            _ => (&spec.quote_asset, order.price * order.remaining()),
        };
        if !self.mem.ledger.lock(order.account_id, asset, amount) {
            // prepare() checked the balance; this is a guard, not a path.
            order.close(OrderStatus::Expired, order.update_ms);
            return;
        }
        order.locked = amount;
        let seq = self.mem.ids.update();
        order.book_seq = Some(seq);
        self.mem.books[sym].insert(&order.side, order.price, order.order_id, seq);
    }

    /// Takes an open order out of the book and the open set, releases what it still locks, and
    /// closes it with `status`.
    fn finish(&mut self, mut order: Order, status: OrderStatus, now: u64) -> Order {
        let sym = self.symbols.iter().position(|s| s.symbol == order.symbol);
        if let (Some(sym), Some(_)) = (sym, order.book_seq) {
            let update = self.mem.ids.update();
            self.mem.books[sym].remove(&order.side, order.price, order.order_id, update);
        }
        if let Some(spec) = sym.and_then(|i| self.symbols.get(i)) {
            let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
            self.mem.ledger.unlock(order.account_id, asset, order.locked);
        }
        order.locked = Decimal::ZERO;
        self.mem.open.remove(&order.order_id);
        self.mem.client_ids.remove(&(order.account_id, order.symbol.clone(), order.client_order_id.clone()));
        order.close(status.clone(), now);
        self.save(&order);
        // A leg that ends ends its list: the owner's cancel cancels the other leg, anything else
        // expires it.
        if let Some(list) = order.order_list_id {
            let other = if status == OrderStatus::Canceled { status } else { OrderStatus::Expired };
            self.end_list(list, Some(order.order_id), other, now);
        }
        order
    }

    /// One trade between `taker` and the resting order `maker_id`, at the maker's price. Returns the
    /// taker's side of it.
    #[allow(clippy::too_many_arguments)]
    fn execute(
        &mut self,
        taker: &mut Order,
        maker_id: u64,
        price: Decimal,
        qty: Decimal,
        spec: &SymbolSpec,
        sym: usize,
        now: u64,
    ) -> Option<Fill> {
        let mut maker = self.mem.open.remove(&maker_id)?;
        let quote = price * qty;
        let trade_id = self.mem.ids.trade();
        let base_fee = commission(qty, self.fee, spec.base_precision);
        let quote_fee = commission(quote, self.fee, spec.quote_precision);
        let (base, quote_asset) = (spec.base_asset.as_str(), spec.quote_asset.as_str());
        let ledger = &mut self.mem.ledger;
        // The maker pays out of what it locked, the taker out of free funds; each receives the other
        // asset less commission.
        if maker.side == Side::Sell {
            ledger.spend_locked(maker.account_id, base, qty);
            maker.locked = (maker.locked - qty).max(Decimal::ZERO);
            ledger.credit(maker.account_id, quote_asset, quote - quote_fee);
            ledger.spend_free(taker.account_id, quote_asset, quote);
            ledger.credit(taker.account_id, base, qty - base_fee);
        } else {
            ledger.spend_locked(maker.account_id, quote_asset, quote);
            maker.locked = (maker.locked - quote).max(Decimal::ZERO);
            ledger.credit(maker.account_id, base, qty - base_fee);
            ledger.spend_free(taker.account_id, base, qty);
            ledger.credit(taker.account_id, quote_asset, quote - quote_fee);
        }
        for o in [&maker, &*taker] {
            if o.executed_qty.is_zero() {
                self.first_fills.push(o.account_id);
            }
        }
        let maker_first = maker.executed_qty.is_zero();
        maker.fill(qty, quote, now);
        taker.fill(qty, quote, now);
        self.mem.windows[sym].push(now, qty, quote);
        let maker_buys = maker.side == Side::Buy;
        let (buyer_order_id, seller_order_id) =
            if maker_buys { (maker.order_id, taker.order_id) } else { (taker.order_id, maker.order_id) };
        self.batch.trades.push(Trade {
            trade_id,
            symbol: spec.symbol.clone(),
            price,
            qty,
            quote_qty: quote,
            time_ms: now,
            buyer_order_id,
            seller_order_id,
            is_buyer_maker: maker_buys,
        });
        let side_of = |o: &Order, is_maker: bool| {
            let buys = o.side != Side::Sell;
            Fill {
                trade_id,
                is_buyer: buys,
                account_id: o.account_id,
                order_id: o.order_id,
                symbol: spec.symbol.clone(),
                price,
                qty,
                quote_qty: quote,
                commission: if buys { base_fee } else { quote_fee },
                commission_asset: if buys { base.to_owned() } else { quote_asset.to_owned() },
                is_maker,
                time_ms: now,
                order_list_id: o.order_list_id,
            }
        };
        let maker_fill = side_of(&maker, true);
        let taker_fill = side_of(taker, false);
        self.batch.fills.push(maker_fill);
        self.batch.fills.push(taker_fill.clone());
        self.mem.last_trade[sym] = Some((price, now));
        self.traded.insert(sym);
        if maker.account_id == market_maker::ACCOUNT_ID {
            self.requote.insert(sym);
        }
        let update = self.mem.ids.update();
        self.mem.books[sym].touch(update);
        // A leg that trades ends its list: the other leg expires.
        if let (true, Some(list)) = (maker_first, maker.order_list_id) {
            self.end_list(list, Some(maker.order_id), OrderStatus::Expired, now);
        }
        if maker.remaining().is_zero() {
            // Put it back so finish() takes it out of every index.
            self.mem.open.insert(maker.order_id, maker.clone());
            self.finish(maker, OrderStatus::Filled, now);
        } else {
            self.save(&maker);
            self.mem.open.insert(maker.order_id, maker);
        }
        Some(taker_fill)
    }

    /// A prevented self-trade: takes `maker_qty` off the maker and `taker_qty` off the taker, expiring
    /// either as the plan says.
    #[allow(clippy::too_many_arguments)]
    fn prevent(
        &mut self,
        taker: &mut Order,
        maker_id: u64,
        maker_qty: Decimal,
        taker_qty: Decimal,
        maker_expires: bool,
        taker_expires: bool,
        sym: usize,
        now: u64,
    ) {
        let match_id = self.mem.ids.prevented_match();
        if let Some(mut maker) = self.mem.open.remove(&maker_id) {
            if maker_expires || !maker_qty.is_zero() {
                maker.prevent(maker_qty, match_id, now);
            }
            if maker.account_id == market_maker::ACCOUNT_ID {
                self.requote.insert(sym);
            }
            if maker_expires {
                self.mem.open.insert(maker.order_id, maker.clone());
                self.finish(maker, OrderStatus::ExpiredInMatch, now);
            } else {
                let release = if maker.side == Side::Sell { maker_qty } else { maker.price * maker_qty };
                let release = release.min(maker.locked);
                if let Some(spec) = self.symbols.get(sym) {
                    let asset = if maker.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
                    self.mem.ledger.unlock(maker.account_id, asset, release);
                }
                maker.locked -= release;
                self.save(&maker);
                self.mem.open.insert(maker.order_id, maker);
            }
            let update = self.mem.ids.update();
            self.mem.books[sym].touch(update);
        }
        if taker_expires || !taker_qty.is_zero() {
            taker.prevent(taker_qty, match_id, now);
        }
    }

    /// A stop or take-profit order: checked, its funds locked, kept aside until the last trade price
    /// reaches `stopPrice`.
    fn place_stop(&mut self, mut order: Order, spec: &SymbolSpec, sym: usize) -> Result<Order> {
        self.check_not_triggered(&order, spec, sym)?;
        let (asset, amount) = stop_need(&order, spec);
        let free = self.mem.ledger.free(order.account_id, asset);
        if free < amount {
            return Err(insufficient(asset, amount, free));
        }
        self.accept(&mut order);
        self.hold_stop(&mut order, spec, amount);
        Ok(order)
    }

    /// `-2010 Order would trigger immediately.` when the last price already meets a stop order's
    /// condition.
    fn check_not_triggered(&self, order: &Order, spec: &SymbolSpec, sym: usize) -> Result<()> {
        let stop = order.stop_price.unwrap_or(Decimal::ZERO);
        if let Some((last, _)) = self.mem.last_trade[sym]
            && triggers(&order.order_type, &order.side, stop, last)
        {
            return Err(new_order_rejected(
                "Order would trigger immediately.",
                format!(
                    "The last price of {} is {}, already past stopPrice {}; a {} {} order must wait for the price to move.",
                    spec.symbol,
                    last.normalize(),
                    stop.normalize(),
                    order.order_type,
                    order.side
                ),
            ));
        }
        Ok(())
    }

    /// Keeps an accepted stop order aside, untriggered, holding `amount` of what it pays with (the
    /// caller checked it is free).
    fn hold_stop(&mut self, order: &mut Order, spec: &SymbolSpec, amount: Decimal) {
        let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
        self.mem.ledger.lock(order.account_id, asset, amount);
        order.locked = amount;
        order.working_time = -1;
        self.mem
            .client_ids
            .insert((order.account_id, order.symbol.clone(), order.client_order_id.clone()), order.order_id);
        self.mem.open.insert(order.order_id, order.clone());
        self.save(order);
    }

    /// Turns the stop orders of `sym` whose condition holds into working orders, oldest first.
    fn trigger_stops(&mut self, sym: usize, now: u64) {
        let Some((last, _)) = self.mem.last_trade[sym] else { return };
        let Some(spec) = self.symbols.get(sym).cloned() else { return };
        let mut due: Vec<u64> = self
            .mem
            .open
            .values()
            .filter(|o| {
                o.symbol == spec.symbol
                    && !o.is_working()
                    && o.stop_price.is_some_and(|s| triggers(&o.order_type, &o.side, s, last))
            })
            .map(|o| o.order_id)
            .collect();
        due.sort_unstable();
        for id in due {
            let Some(mut order) = self.mem.open.remove(&id) else { continue };
            // A triggered leg ends its list: the other leg expires first, releasing what it holds.
            if let Some(list) = order.order_list_id {
                self.end_list(list, Some(order.order_id), OrderStatus::Expired, now);
            }
            // Release the stop's lock; the working order pays as any taker does.
            let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
            self.mem.ledger.unlock(order.account_id, asset, order.locked);
            order.locked = Decimal::ZERO;
            order.working_time = i64::try_from(now).unwrap_or(i64::MAX);
            order.update_ms = now;
            self.mem.client_ids.remove(&(
                order.account_id,
                order.symbol.clone(),
                order.client_order_id.clone(),
            ));
            match self.prepare(&order, None, &spec, sym) {
                Ok((plan, fok_fails)) => {
                    self.apply(&mut order, &plan, fok_fails, false, &spec, sym, now);
                }
                Err(_) => {
                    order.close(OrderStatus::Expired, now);
                    self.save(&order);
                }
            }
        }
    }

    // ---- cancelling ----

    /// Cancels one open order of `account` (`DELETE /api/v3/order`).
    pub fn cancel(
        &mut self,
        account: i64,
        sym: usize,
        which: &OrderRef,
        restriction: Option<CancelRestriction>,
        now: u64,
    ) -> Result<Order> {
        let symbol = self.symbols.get(sym).map(|s| s.symbol.clone()).unwrap_or_default();
        let unknown = || {
            cancel_rejected(
                "Unknown order sent.",
                format!(
                    "No open order of this account on {symbol} matches {}; it may be filled, cancelled or expired already (GET /api/v3/order tells).",
                    describe(which)
                ),
            )
        };
        let id = match (which.order_id, &which.client_order_id) {
            (Some(id), cid) => {
                let o = self.mem.open.get(&id).filter(|o| o.account_id == account && o.symbol == symbol);
                match (o, cid) {
                    (Some(o), Some(cid)) if o.client_order_id != *cid => return Err(unknown()),
                    (Some(_), _) => id,
                    (None, _) => return Err(unknown()),
                }
            }
            (None, Some(cid)) => {
                *self.mem.client_ids.get(&(account, symbol.clone(), cid.clone())).ok_or_else(unknown)?
            }
            (None, None) => return Err(unknown()),
        };
        let order = self.mem.open.get(&id).cloned().ok_or_else(unknown)?;
        let allowed = match restriction {
            None => true,
            Some(CancelRestriction::OnlyNew) => order.status == OrderStatus::New,
            Some(CancelRestriction::OnlyPartiallyFilled) => order.status == OrderStatus::PartiallyFilled,
        };
        if !allowed {
            return Err(cancel_rejected(
                "Order was not canceled due to cancel restrictions.",
                format!("The order is {}, which cancelRestrictions excludes.", order.status),
            ));
        }
        Ok(self.finish(order, OrderStatus::Canceled, now))
    }

    /// Cancels every open order of `account` on `sym` (`DELETE /api/v3/openOrders`), oldest first;
    /// an order list's legs are cancelled with their list.
    pub fn cancel_all(&mut self, account: i64, sym: usize, now: u64) -> Result<Cancelled> {
        let symbol = self.symbols.get(sym).map(|s| s.symbol.clone()).unwrap_or_default();
        let mut ids: Vec<u64> = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == account && o.symbol == symbol)
            .map(|o| o.order_id)
            .collect();
        if ids.is_empty() {
            return Err(cancel_rejected(
                "Unknown order sent.",
                format!("The account has no open orders on {symbol} to cancel."),
            ));
        }
        ids.sort_unstable();
        let mut out = Cancelled::default();
        let mut list_ids = Vec::new();
        for id in ids {
            if let Some(order) = self.mem.open.get(&id).cloned() {
                let order = self.finish(order, OrderStatus::Canceled, now);
                match order.order_list_id {
                    Some(list) if !list_ids.contains(&list) => list_ids.push(list),
                    Some(_) => {}
                    None => out.orders.push(order),
                }
            }
        }
        for id in list_ids {
            if let Some(list) = self.batch.order_lists.get(&id).cloned() {
                let orders =
                    list.order_ids.iter().filter_map(|o| self.batch.orders.get(o).cloned()).collect();
                out.lists.push(ListWithOrders { list, orders });
            }
        }
        Ok(out)
    }

    // ---- the market maker ----

    /// Has the market maker (when on) quote `symbol` around `reference`, `size` a level; call before
    /// [`Exchange::start_market_maker`].
    pub fn set_market_maker_quote(&mut self, symbol: &str, reference: Decimal, size: Decimal) {
        let index = self.symbols.iter().position(|s| s.symbol == symbol);
        if let (Some(mm), Some(index)) = (self.mm.as_mut(), index) {
            mm.set_quote(index, reference, size);
        }
    }

    /// Puts the market maker's quotes on every book where it has none (or, when it is off, takes
    /// them away). Runs once, at start.
    pub fn start_market_maker(&mut self, now: u64) {
        for sym in 0..self.symbols.len() {
            let mine = self.market_maker_orders(sym);
            match self.mm.as_ref().map(|mm| mm.quotes(sym)) {
                None => {
                    for order in mine {
                        self.finish(order, OrderStatus::Canceled, now);
                    }
                }
                Some(false) => {}
                Some(true) if mine.is_empty() => self.place_ladder(sym, now),
                Some(true) => {
                    let bid = mine.iter().filter(|o| o.side == Side::Buy).map(|o| o.price).max();
                    let ask = mine.iter().filter(|o| o.side == Side::Sell).map(|o| o.price).min();
                    if let (Some(bid), Some(ask), Some(mm)) = (bid, ask, self.mm.as_mut()) {
                        mm.resume_at(sym, (bid + ask) / Decimal::TWO);
                    }
                }
            }
        }
    }

    /// The market maker's open orders on `sym`, oldest first.
    fn market_maker_orders(&self, sym: usize) -> Vec<Order> {
        let symbol = self.symbol_name(sym);
        let mut v: Vec<Order> = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == market_maker::ACCOUNT_ID && o.symbol == symbol)
            .cloned()
            .collect();
        v.sort_by_key(|o| o.order_id);
        v
    }

    /// Cancels the market maker's orders on `sym`, moves its reference price a step and quotes again.
    fn requote(&mut self, sym: usize, now: u64) {
        for order in self.market_maker_orders(sym) {
            self.finish(order, OrderStatus::Canceled, now);
        }
        if let Some(mm) = &mut self.mm {
            mm.step(sym);
        }
        self.place_ladder(sym, now);
    }

    /// Places the market maker's ladder on `sym`, leaving out levels that would trade or that its
    /// balance cannot cover.
    fn place_ladder(&mut self, sym: usize, now: u64) {
        let Some(spec) = self.symbols.get(sym).cloned() else { return };
        // Quotes stay inside PERCENT_PRICE_BY_SIDE: a reference outside the band of both sides goes
        // back to the average, and a level outside its side's band is left out.
        let band = &spec.percent_price_by_side;
        let avg = self.average_prices(sym, now).percent_price;
        if let (Some(a), Some(mm)) = (avg, self.mm.as_mut()) {
            let (bid_low, bid_high) = band.bounds(&Side::Buy, a);
            let (ask_low, ask_high) = band.bounds(&Side::Sell, a);
            mm.recenter(sym, a, bid_low.max(ask_low), bid_high.min(ask_high));
        }
        let Some(quotes) = self.mm.as_ref().map(|mm| mm.ladder(sym, &spec)) else { return };
        for q in quotes {
            if self.mem.books[sym].would_take(&q.side, q.price) {
                continue;
            }
            if let Some(a) = avg {
                let (low, high) = band.bounds(&q.side, a);
                if q.price < low || q.price > high {
                    continue;
                }
            }
            let (asset, amount) = match q.side {
                Side::Sell => (&spec.base_asset, q.qty),
                _ => (&spec.quote_asset, q.price * q.qty),
            };
            if self.mem.ledger.free(market_maker::ACCOUNT_ID, asset) < amount {
                continue;
            }
            let order_id = self.mem.ids.order();
            let terms = OrderTerms {
                side: q.side.clone(),
                order_type: OrderType::Limit,
                time_in_force: Some(TimeInForce::Gtc),
                quantity: Some(q.qty),
                quote_order_qty: None,
                price: Some(q.price),
                stop_price: None,
                client_order_id: Some(format!("mbx-mm-{order_id}")),
                stp_mode: None,
            };
            let mut order =
                Order { order_id, ..order_from_terms(market_maker::ACCOUNT_ID, &spec, &terms, now) };
            self.rest(&mut order, &spec, sym);
            if order.is_open() {
                self.mem.client_ids.insert(
                    (order.account_id, order.symbol.clone(), order.client_order_id.clone()),
                    order.order_id,
                );
                self.mem.open.insert(order.order_id, order.clone());
            }
            self.save(&order);
        }
    }

    // ---- reading ----

    /// An order of `account` on `sym` by id or client order id (the latest with that id).
    pub fn order(&self, account: i64, sym: usize, which: &OrderRef) -> Result<Option<Order>> {
        let symbol = self.symbol_name(sym);
        let found =
            self.store.find_order(account, symbol, which.order_id, which.client_order_id.as_deref())?;
        Ok(found.filter(|o| match (&which.order_id, &which.client_order_id) {
            (Some(_), Some(cid)) => o.client_order_id == *cid,
            _ => true,
        }))
    }

    /// Open orders of `account`, on one symbol or all, by id.
    pub fn open_orders(&self, account: i64, sym: Option<usize>) -> Vec<Order> {
        let symbol = sym.map(|i| self.symbol_name(i));
        let mut v: Vec<Order> = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == account && symbol.is_none_or(|s| o.symbol == s))
            .cloned()
            .collect();
        v.sort_by_key(|o| o.order_id);
        v
    }

    /// `allOrders`.
    pub fn all_orders(&self, account: i64, sym: usize, h: &History) -> Result<Vec<Order>> {
        Ok(self.store.orders(account, self.symbol_name(sym), h)?)
    }

    /// `myTrades`.
    pub fn my_trades(&self, account: i64, sym: usize, h: &History) -> Result<Vec<Fill>> {
        Ok(self.store.fills(account, self.symbol_name(sym), h)?)
    }

    /// `trades`: the most recent `limit` trades.
    pub fn recent_trades(&self, sym: usize, limit: u32) -> Result<Vec<Trade>> {
        Ok(self.store.recent_trades(self.symbol_name(sym), limit)?)
    }

    /// `depth`: at most `limit` levels a side.
    pub fn depth(&self, sym: usize, limit: usize) -> Depth {
        let Some(book) = self.mem.books.get(sym) else {
            return Depth { last_update_id: 0, bids: Vec::new(), asks: Vec::new() };
        };
        let side = |side: Side| -> Vec<(Decimal, Decimal)> {
            book.levels(&side).take(limit).map(|(p, ids)| (p, self.level_qty(ids))).collect()
        };
        Depth { last_update_id: book.last_update_id(), bids: side(Side::Buy), asks: side(Side::Sell) }
    }

    fn level_qty<'a>(&self, ids: impl IntoIterator<Item = &'a u64>) -> Decimal {
        ids.into_iter().filter_map(|id| self.mem.open.get(id)).map(Order::remaining).sum()
    }

    /// Last price and best bid and ask of `sym`.
    pub fn ticker(&self, sym: usize) -> Ticker {
        let top = |side: Side| {
            let book = self.mem.books.get(sym)?;
            let (price, ids) = book.levels(&side).next()?;
            Some((price, self.level_qty(ids)))
        };
        let (bid, ask) = (top(Side::Buy), top(Side::Sell));
        let price = match (self.mem.last_trade.get(sym).copied().flatten(), bid, ask) {
            (Some((last, _)), _, _) => last,
            (None, Some((b, _)), Some((a, _))) => (b + a) / Decimal::TWO,
            _ => Decimal::ZERO,
        };
        Ticker { symbol: sym, price, bid, ask }
    }

    /// `avgPrice`: the volume-weighted price of the last `mins` minutes of trades; else the last
    /// price (or the mid price before any trade).
    pub fn avg_price(&self, sym: usize, mins: u32, now: u64) -> Result<AvgPrice> {
        let last = self.mem.last_trade.get(sym).copied().flatten();
        let price = match self.reference_price(sym, mins, now)? {
            Some(p) => p,
            None => self.ticker(sym).price,
        };
        Ok(AvgPrice { mins, price, close_time: last.map_or(now, |(_, t)| t) })
    }

    /// The average price the filters judge by: the volume-weighted price of the trades of the last
    /// `mins` minutes (rounded to 8 decimals), else the last trade price (also for `mins` 0);
    /// `None` before the symbol's first trade.
    pub fn reference_price(&self, sym: usize, mins: u32, now: u64) -> Result<Option<Decimal>> {
        let Some((last, _)) = self.mem.last_trade.get(sym).copied().flatten() else { return Ok(None) };
        if mins == 0 {
            return Ok(Some(last));
        }
        let since = now.saturating_sub(u64::from(mins) * 60_000);
        let vwap = match self.mem.windows.get(sym) {
            Some(w) if w.covers(mins) => w.vwap(since),
            _ => {
                let trades = self.store.trades_since(self.symbol_name(sym), since)?;
                let qty: Decimal = trades.iter().map(|t| t.qty).sum();
                let quote: Decimal = trades.iter().map(|t| t.quote_qty).sum();
                quote.checked_div(qty).filter(|_| !qty.is_zero()).map(|p| p.round_dp(8))
            }
        };
        Ok(Some(vwap.unwrap_or(last)))
    }

    /// The average prices `sym`'s filters judge an order by at `now`.
    pub fn average_prices(&self, sym: usize, now: u64) -> AveragePrices {
        let Some(spec) = self.symbols.get(sym) else { return AveragePrices::default() };
        // The window covers both filters' minutes; the store is read only for an odd configuration.
        let at = |mins: u32| self.reference_price(sym, mins, now).ok().flatten();
        AveragePrices {
            percent_price: at(spec.percent_price_by_side.avg_price_mins),
            notional: at(spec.notional.avg_price_mins),
        }
    }

    pub(super) fn symbol_name(&self, sym: usize) -> &str {
        self.symbols.get(sym).map_or("", |s| s.symbol.as_str())
    }
}

/// How a cancel named its order, for hints.
fn describe(which: &OrderRef) -> String {
    match (&which.order_id, &which.client_order_id) {
        (Some(id), Some(cid)) => format!("orderId {id} with origClientOrderId {cid:?}"),
        (Some(id), None) => format!("orderId {id}"),
        (None, Some(cid)) => format!("origClientOrderId {cid:?}"),
        (None, None) => "nothing".into(),
    }
}
