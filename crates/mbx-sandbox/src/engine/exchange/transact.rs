//! The transaction around each command ([`Exchange::transact`]): its changes staged in a batch,
//! the follow-up work (stop orders its trades trigger, the market maker's requotes, first-fill
//! counts), the group commit, and memory reloaded from the store when a commit or a command fails.

use std::sync::Arc;

use tokio::sync::broadcast;

use super::{Exchange, Memory};
use crate::engine::book_feed::BookEvent;
use crate::engine::trade::Trade;
use crate::engine::user_events::UserEvent;
use crate::engine::view::AccountViews;
use crate::error::Result;
use crate::store::{AccountSnapshot, Batch};

/// What a commit makes visible to others: account balances (for handlers reading without the
/// engine), trades (market streams), user data events and book events. Published at once, or,
/// by the durable engine, once the commit is on disk ([`Exchange::set_hold`]).
#[derive(Debug, Default)]
pub struct Publication {
    /// The account views' generation when the snapshots were taken.
    pub(crate) generation: u64,
    pub(crate) views: Vec<AccountSnapshot>,
    pub(crate) trades: Vec<Trade>,
    pub(crate) users: Vec<UserEvent>,
    pub(crate) book: Vec<BookEvent>,
}

/// Where publications go; cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct Sinks {
    views: AccountViews,
    trades: broadcast::Sender<Trade>,
    users: broadcast::Sender<Arc<Vec<UserEvent>>>,
    book: broadcast::Sender<Arc<BookEvent>>,
}

impl Sinks {
    /// Publishes `p`: nobody listening is not an error.
    pub fn publish(&self, p: Publication) {
        if !p.views.is_empty() {
            self.views.publish_of(p.generation, p.views);
        }
        for trade in p.trades {
            let _ = self.trades.send(trade);
        }
        if !p.users.is_empty() {
            let _ = self.users.send(Arc::new(p.users));
        }
        for event in p.book {
            let _ = self.book.send(Arc::new(event));
        }
    }
}

/// Most stop orders one trade may trigger in a chain before the engine stops looking (a guard, not a
/// rule of Binance's).
const MAX_TRIGGER_ROUNDS: usize = 1000;

impl Exchange {
    /// Runs `op` as one transaction: on `Ok` its changes are committed (or, while grouping, staged
    /// to commit with the rest of the group in [`Exchange::finish_group`]); on an error (a refusal
    /// or a failed commit) nothing of it remains, in memory or on disk.
    pub fn transact<T>(&mut self, now_ms: u64, op: impl FnOnce(&mut Exchange) -> Result<T>) -> Result<T> {
        self.batch = Batch::default();
        self.requote.clear();
        self.traded.clear();
        self.to_activate.clear();
        self.trailed.clear();
        self.users.begin(self.mem.ids.peek_order());
        self.begin_book_feed();
        let result = op(self);
        if result.is_ok() {
            self.after(now_ms);
            self.stage_book_feed(now_ms);
        }
        let mut batch = std::mem::take(&mut self.batch);
        batch.balances = self.mem.ledger.take_changed(now_ms);
        batch.accounts = batch.balances.keys().map(|(account, _)| (*account, now_ms)).collect();
        match result {
            Ok(value) => {
                if batch.is_empty() {
                    return Ok(value);
                }
                self.users.command_done(&batch, now_ms);
                self.group.absorb(batch);
                // The sequences are written once a group, as its last command left them.
                self.group_ids = Some(self.mem.ids.clone());
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

    /// Whether what commits make visible is held for [`Exchange::take_held`] rather than published
    /// at once: the durable engine publishes it once the commit is on disk.
    pub fn set_hold(&mut self, hold: bool) {
        self.hold = hold;
    }

    /// The publications held since the last call, in commit order.
    pub fn take_held(&mut self) -> Vec<Publication> {
        std::mem::take(&mut self.held)
    }

    /// Where this exchange publishes, for publishing held publications from another thread.
    pub fn sinks(&self) -> Sinks {
        Sinks {
            views: self.views.clone(),
            trades: self.trade_feed.clone(),
            users: self.users.sender(),
            book: self.feed.sender(),
        }
    }

    /// Publishes `p` now, or holds it.
    fn release(&mut self, p: Publication) {
        if self.hold {
            self.held.push(p);
        } else {
            self.sinks().publish(p);
        }
    }

    /// Commits every change staged since the last commit in one SQLite transaction, then publishes
    /// the new balances, trades and book events. On failure memory is reloaded from the store.
    fn commit_group(&mut self) -> Result<()> {
        let generation = self.views.generation();
        if self.group.is_empty() {
            // Nothing waits for a commit: book events staged by commands that stored nothing.
            let book = self.feed.take_staged();
            if !book.is_empty() {
                self.release(Publication { generation, book, ..Publication::default() });
            }
            return Ok(());
        }
        let mut group = std::mem::take(&mut self.group);
        if let Some(ids) = self.group_ids.take() {
            ids.persist(&mut group);
        }
        // The store keeps the group (until its tables are written): what the publication needs is
        // taken first.
        let accounts: Vec<i64> = group.accounts.keys().copied().collect();
        let trades = group.trades.clone();
        match self.store.commit(group) {
            Ok(()) => {
                let ledger = &self.mem.ledger;
                let views = accounts.iter().filter_map(|a| ledger.snapshot(*a)).collect();
                let publication = Publication {
                    generation,
                    views,
                    trades,
                    users: self.users.take_pending(),
                    book: self.feed.take_staged(),
                };
                self.release(publication);
                Ok(())
            }
            Err(e) => {
                self.users.discard();
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
        self.to_activate.clear();
        let loaded = Memory::load(&self.store, &self.symbols).map(|mem| self.mem = mem);
        // Book events staged for changes that are not stored are dropped, reloaded or not.
        self.discard_book_feed();
        loaded?;
        let ledger = &self.mem.ledger;
        self.views.replace_all(ledger.account_ids().filter_map(|id| ledger.snapshot(id)));
        Ok(())
    }

    /// Work that follows any command: the pending orders of OTO lists whose working order filled,
    /// stop orders triggered by its trades, then the market maker's new quotes where its orders
    /// traded.
    fn after(&mut self, now_ms: u64) {
        for _ in 0..MAX_TRIGGER_ROUNDS {
            // Pending orders first: they may trade, and their trades may trigger stops.
            if !self.to_activate.is_empty() {
                self.activate_pending(now_ms);
                continue;
            }
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
}
