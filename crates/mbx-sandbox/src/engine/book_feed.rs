//! The book feed: order-book events for the market streams (diff depth, partial depth, best bid
//! and ask), published by the engine thread on a broadcast channel, only after the changes they show
//! are committed.
//!
//! * [`BookEvent::Diff`], every [`FLUSH_INTERVAL`], for each symbol whose book changed: the levels
//!   touched since its previous diff, each with its whole quantity now (zero: the level is gone).
//! * [`BookEvent::Top20`], every [`FLUSH_INTERVAL`], for every symbol: its best [`TOP_LEVELS`]
//!   levels a side.
//! * [`BookEvent::BestChanged`], after a command that changed a symbol's best bid or best ask
//!   (price or quantity).
//!
//! # The diff chain
//!
//! Book update ids come from one counter shared by every symbol, so a symbol's ids have gaps. Each
//! symbol's diffs are chained instead: a diff's `first_update_id` is the previous diff's
//! `final_update_id + 1` (for the first diff, the book's `last_update_id` before its first noted
//! change, plus one), and its `final_update_id` is the book's `last_update_id` at the flush. A
//! consumer that takes a `depth` snapshot after subscribing, drops the diffs that end at or before
//! the snapshot's `last_update_id`, and applies the rest in order (each level an absolute quantity)
//! ends with the engine's book: every change made after the subscription is noted, and a level is
//! noted when it changes (not found by comparing snapshots), so a level that changes and changes
//! back within one interval is still sent.
//!
//! # Cost
//!
//! The engine's `BookFeed` looks at the channel's receiver count once per command (`begin`) and at
//! each flush. With no receiver it notes nothing, allocates nothing and sends nothing, and its state
//! is dropped, so the next subscriber's chain starts afresh. The timer that asks for flushes (see
//! [`super::EngineHandle::start`]) does not wake the engine while nobody listens.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use mbx_core::model::Side;
use rust_decimal::Decimal;
use tokio::sync::broadcast;

/// How often diffs and partial depths are sent.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);

/// Levels a side in [`BookEvent::Top20`].
pub const TOP_LEVELS: usize = 20;

/// How many events a slow subscriber may fall behind before it skips some (it then gets
/// `RecvError::Lagged` and must start again from a new snapshot).
pub const BOOK_FEED_CAPACITY: usize = 4096;

/// A (price, quantity) level.
pub type Level = (Decimal, Decimal);

/// An order-book event, sent after the changes it shows are committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookEvent {
    /// Every [`FLUSH_INTERVAL`], for each symbol whose book changed since its previous `Diff`: the
    /// levels touched in between, with their whole quantity now (zero: the level was removed).
    Diff {
        /// The symbol's name.
        symbol: String,
        /// The previous `Diff`'s `final_update_id + 1` for this symbol (for its first `Diff`: the
        /// book's `last_update_id` before the first change, plus one).
        first_update_id: u64,
        /// The book's `last_update_id` at the flush.
        final_update_id: u64,
        /// Touched bid levels, best (highest) first.
        bids: Vec<Level>,
        /// Touched ask levels, best (lowest) first.
        asks: Vec<Level>,
        /// When (the sandbox clock, milliseconds).
        time_ms: u64,
    },
    /// Every [`FLUSH_INTERVAL`], for every symbol, changed or not: its best [`TOP_LEVELS`] levels a
    /// side (partial depth streams cut them to 5, 10 or 20).
    Top20 {
        /// The symbol's name.
        symbol: String,
        /// The book's `last_update_id`.
        last_update_id: u64,
        /// At most [`TOP_LEVELS`] bid levels, best first.
        bids: Vec<Level>,
        /// At most [`TOP_LEVELS`] ask levels, best first.
        asks: Vec<Level>,
        /// When (the sandbox clock, milliseconds).
        time_ms: u64,
    },
    /// Right after a command that changed a symbol's best bid or best ask (price or quantity).
    BestChanged {
        /// The symbol's name.
        symbol: String,
        /// The book's `last_update_id` after the command.
        update_id: u64,
        /// The best bid, `None` when there are no bids.
        bid: Option<Level>,
        /// The best ask, `None` when there are no asks.
        ask: Option<Level>,
        /// When (the command's time, milliseconds).
        time_ms: u64,
    },
}

/// A side of a book, as the feed keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BookSide {
    /// Buy orders.
    Bid,
    /// Sell orders.
    Ask,
}

impl BookSide {
    /// The book side an order of `side` rests on (as [`super::book::Book`] sorts them).
    pub(crate) fn of(side: &Side) -> BookSide {
        if *side == Side::Sell { BookSide::Ask } else { BookSide::Bid }
    }
}

/// What the feed reads from the books (the exchange's books and open orders; a fake in tests).
pub(crate) trait BookView {
    /// Number of symbols (indexes `0..n`).
    fn symbol_count(&self) -> usize;
    /// A symbol's name.
    fn symbol(&self, sym: usize) -> &str;
    /// A book's `last_update_id`.
    fn last_update_id(&self, sym: usize) -> u64;
    /// The whole quantity resting at `price` on `side` (zero when no level is there).
    fn quantity(&self, sym: usize, side: BookSide, price: Decimal) -> Decimal;
    /// The best `n` levels of `side`, best first.
    fn top(&self, sym: usize, side: BookSide, n: usize) -> Vec<Level>;
    /// The best level of `side`.
    fn best(&self, sym: usize, side: BookSide) -> Option<Level>;
}

/// What the feed keeps per symbol while someone listens.
#[derive(Debug, Default, Clone)]
struct SymbolState {
    /// The previous diff's `final_update_id`.
    chain: Option<u64>,
    /// The book's `last_update_id` before its first change noted since the previous flush.
    since: Option<u64>,
    /// Bid prices touched since the previous flush.
    bids: BTreeSet<Decimal>,
    /// Ask prices touched since the previous flush.
    asks: BTreeSet<Decimal>,
    /// The best bid and ask as of the end of the last command (or the start of listening).
    best: (Option<Level>, Option<Level>),
}

impl SymbolState {
    fn clear_window(&mut self) {
        self.since = None;
        self.bids.clear();
        self.asks.clear();
    }
}

/// The engine's side of the book feed: notes changes while someone listens, stages
/// [`BookEvent::BestChanged`] until its command is committed, builds the periodic events.
#[derive(Debug)]
pub(crate) struct BookFeed {
    sender: broadcast::Sender<Arc<BookEvent>>,
    /// Whether changes are noted (someone listened when the current command began).
    active: bool,
    symbols: Vec<SymbolState>,
    /// Symbols the current command changed.
    changed: Vec<usize>,
    /// Events of commands not yet committed.
    staged: Vec<BookEvent>,
}

impl BookFeed {
    /// A feed for `symbols` symbols, with nobody listening.
    pub(crate) fn new(symbols: usize) -> BookFeed {
        BookFeed {
            sender: broadcast::channel(BOOK_FEED_CAPACITY).0,
            active: false,
            symbols: vec![SymbolState::default(); symbols],
            changed: Vec::new(),
            staged: Vec::new(),
        }
    }

    /// The channel the events are sent on.
    pub(crate) fn sender(&self) -> broadcast::Sender<Arc<BookEvent>> {
        self.sender.clone()
    }

    /// Whether changes are being noted.
    pub(crate) fn is_active(&self) -> bool {
        self.active
    }

    /// Before a command: starts noting changes when someone listens (taking each symbol's best
    /// levels as they are), stops and forgets everything when nobody does.
    pub(crate) fn begin(&mut self, view: &impl BookView) {
        self.changed.clear();
        let listening = self.sender.receiver_count() > 0;
        if listening && !self.active {
            self.active = true;
            self.refresh_best(view);
        } else if !listening && self.active {
            self.reset();
        }
    }

    /// Before a change to the level at `price` on `side` of symbol `sym`, whose book's
    /// `last_update_id` is `before`.
    pub(crate) fn note(&mut self, sym: usize, side: BookSide, price: Decimal, before: u64) {
        if !self.active {
            return;
        }
        let Some(state) = self.symbols.get_mut(sym) else { return };
        state.since.get_or_insert(before);
        match side {
            BookSide::Bid => state.bids.insert(price),
            BookSide::Ask => state.asks.insert(price),
        };
        if !self.changed.contains(&sym) {
            self.changed.push(sym);
        }
    }

    /// After a command that succeeded: stages a [`BookEvent::BestChanged`] for each symbol whose
    /// best bid or ask it changed.
    pub(crate) fn stage(&mut self, view: &impl BookView, time_ms: u64) {
        for sym in self.changed.drain(..) {
            let Some(state) = self.symbols.get_mut(sym) else { continue };
            let best = (view.best(sym, BookSide::Bid), view.best(sym, BookSide::Ask));
            if best != state.best {
                state.best = best;
                self.staged.push(BookEvent::BestChanged {
                    symbol: view.symbol(sym).to_owned(),
                    update_id: view.last_update_id(sym),
                    bid: best.0,
                    ask: best.1,
                    time_ms,
                });
            }
        }
    }

    /// After a commit, for publishing later (once durable): takes the staged events.
    pub(crate) fn take_staged(&mut self) -> Vec<BookEvent> {
        std::mem::take(&mut self.staged)
    }

    /// After a commit: sends the staged events (the tests' shortcut for [`BookFeed::take_staged`]
    /// and a send).
    #[cfg(test)]
    pub(crate) fn publish_staged(&mut self) {
        for event in self.staged.drain(..) {
            // No subscriber is not an error.
            let _ = self.sender.send(Arc::new(event));
        }
    }

    /// After memory was reloaded from the store: drops the staged events and takes the best levels
    /// again. The noted levels stay (they are sent with their quantities as they now are).
    pub(crate) fn discard_staged(&mut self, view: &impl BookView) {
        self.staged.clear();
        self.changed.clear();
        if self.active {
            self.refresh_best(view);
        }
    }

    /// The periodic flush, between commands (everything is committed): a [`BookEvent::Diff`] for each
    /// symbol whose book changed since its previous one and a [`BookEvent::Top20`] for every symbol.
    /// Does nothing, and reads nothing, when nobody listens. Returns how many events were sent.
    pub(crate) fn flush(&mut self, view: &impl BookView, time_ms: u64) -> usize {
        let sender = self.sender.clone();
        self.flush_into(view, time_ms, &mut |event| sender.send(Arc::new(event)).is_ok())
    }

    /// [`BookFeed::flush`], each event handed to `emit` (which says whether it went out) rather
    /// than sent: the durable engine holds them until the commit they show is on disk.
    pub(crate) fn flush_into(
        &mut self,
        view: &impl BookView,
        time_ms: u64,
        emit: &mut dyn FnMut(BookEvent) -> bool,
    ) -> usize {
        if self.sender.receiver_count() == 0 {
            if self.active {
                self.reset();
            }
            return 0;
        }
        let mut sent = 0;
        for sym in 0..view.symbol_count().min(self.symbols.len()) {
            let symbol = view.symbol(sym);
            let last_update_id = view.last_update_id(sym);
            let state = &mut self.symbols[sym];
            if let Some(previous) = state.chain.or(state.since).filter(|p| last_update_id > *p) {
                let level = |side: BookSide, price: &Decimal| (*price, view.quantity(sym, side, *price));
                let diff = BookEvent::Diff {
                    symbol: symbol.to_owned(),
                    first_update_id: previous + 1,
                    final_update_id: last_update_id,
                    bids: state.bids.iter().rev().map(|p| level(BookSide::Bid, p)).collect(),
                    asks: state.asks.iter().map(|p| level(BookSide::Ask, p)).collect(),
                    time_ms,
                };
                state.chain = Some(last_update_id);
                sent += usize::from(emit(diff));
            }
            state.clear_window();
            let top = BookEvent::Top20 {
                symbol: symbol.to_owned(),
                last_update_id,
                bids: view.top(sym, BookSide::Bid, TOP_LEVELS),
                asks: view.top(sym, BookSide::Ask, TOP_LEVELS),
                time_ms,
            };
            sent += usize::from(emit(top));
        }
        sent
    }

    fn refresh_best(&mut self, view: &impl BookView) {
        for (sym, state) in self.symbols.iter_mut().enumerate() {
            state.best = (view.best(sym, BookSide::Bid), view.best(sym, BookSide::Ask));
        }
    }

    /// Forgets everything: nobody listens.
    fn reset(&mut self) {
        self.active = false;
        self.changed.clear();
        self.staged.clear();
        for state in &mut self.symbols {
            *state = SymbolState::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::BTreeMap;

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// One symbol's book as price -> quantity maps, counting how often the feed reads it.
    #[derive(Default)]
    struct Fake {
        bids: BTreeMap<Decimal, Decimal>,
        asks: BTreeMap<Decimal, Decimal>,
        last_update_id: u64,
        reads: Cell<usize>,
    }

    impl Fake {
        fn side(&self, side: BookSide) -> Box<dyn Iterator<Item = Level> + '_> {
            self.reads.set(self.reads.get() + 1);
            match side {
                BookSide::Bid => Box::new(self.bids.iter().rev().map(|(p, q)| (*p, *q))),
                BookSide::Ask => Box::new(self.asks.iter().map(|(p, q)| (*p, *q))),
            }
        }

        /// Sets a level (zero removes it) with the next update id, noting it first.
        fn set(&mut self, feed: &mut BookFeed, side: BookSide, price: &str, qty: &str) {
            feed.note(0, side, d(price), self.last_update_id);
            let levels = if side == BookSide::Bid { &mut self.bids } else { &mut self.asks };
            if d(qty).is_zero() {
                levels.remove(&d(price));
            } else {
                levels.insert(d(price), d(qty));
            }
            // Ids are shared with other symbols: this one sees gaps.
            self.last_update_id += 3;
        }
    }

    impl BookView for Fake {
        fn symbol_count(&self) -> usize {
            1
        }
        fn symbol(&self, _: usize) -> &str {
            "BTCUSDT"
        }
        fn last_update_id(&self, _: usize) -> u64 {
            self.reads.set(self.reads.get() + 1);
            self.last_update_id
        }
        fn quantity(&self, _: usize, side: BookSide, price: Decimal) -> Decimal {
            self.side(side).find(|(p, _)| *p == price).map_or(Decimal::ZERO, |(_, q)| q)
        }
        fn top(&self, _: usize, side: BookSide, n: usize) -> Vec<Level> {
            self.side(side).take(n).collect()
        }
        fn best(&self, _: usize, side: BookSide) -> Option<Level> {
            self.side(side).next()
        }
    }

    #[test]
    fn nothing_is_noted_read_or_sent_without_a_receiver() {
        let mut book = Fake { last_update_id: 10, ..Fake::default() };
        let mut feed = BookFeed::new(1);
        feed.begin(&book);
        book.set(&mut feed, BookSide::Bid, "100", "1");
        feed.stage(&book, 5);
        feed.publish_staged();
        assert_eq!(feed.flush(&book, 5), 0);
        assert!(!feed.is_active());
        assert_eq!(book.reads.get(), 0, "the books are not read while nobody listens");
        assert!(feed.symbols[0].bids.is_empty() && feed.symbols[0].since.is_none());
        assert!(feed.staged.is_empty());

        // A receiver that comes and goes: the next flush forgets what was noted meanwhile.
        let rx = feed.sender().subscribe();
        feed.begin(&book);
        book.set(&mut feed, BookSide::Ask, "101", "1");
        assert!(!feed.symbols[0].asks.is_empty());
        drop(rx);
        let reads = book.reads.get();
        assert_eq!(feed.flush(&book, 6), 0);
        assert_eq!(book.reads.get(), reads, "no read at a flush without a receiver");
        assert!(!feed.is_active() && feed.symbols[0].asks.is_empty() && feed.symbols[0].chain.is_none());
    }

    #[test]
    fn diffs_chain_per_symbol_and_keep_levels_that_changed_back() {
        let mut book = Fake { last_update_id: 10, ..Fake::default() };
        book.bids.insert(d("99"), d("2"));
        let mut feed = BookFeed::new(1);
        let mut rx = feed.sender().subscribe();
        feed.begin(&book);
        book.set(&mut feed, BookSide::Bid, "100", "1");
        book.set(&mut feed, BookSide::Bid, "99", "5");
        book.set(&mut feed, BookSide::Bid, "99", "2"); // back to what it was
        book.set(&mut feed, BookSide::Ask, "102", "3");
        feed.stage(&book, 7);
        assert!(rx.try_recv().is_err(), "nothing before the commit");
        feed.publish_staged();
        let best = rx.try_recv().unwrap();
        assert_eq!(
            *best,
            BookEvent::BestChanged {
                symbol: "BTCUSDT".into(),
                update_id: 22,
                bid: Some((d("100"), d("1"))),
                ask: Some((d("102"), d("3"))),
                time_ms: 7
            }
        );
        assert_eq!(feed.flush(&book, 100), 2);
        let diff = rx.try_recv().unwrap();
        assert_eq!(
            *diff,
            BookEvent::Diff {
                symbol: "BTCUSDT".into(),
                first_update_id: 11,
                final_update_id: 22,
                bids: vec![(d("100"), d("1")), (d("99"), d("2"))],
                asks: vec![(d("102"), d("3"))],
                time_ms: 100
            }
        );
        assert!(
            matches!(&*rx.try_recv().unwrap(), BookEvent::Top20 { last_update_id: 22, bids, .. } if bids.len() == 2)
        );

        // Unchanged: no diff, the partial depth still.
        assert_eq!(feed.flush(&book, 200), 1);
        assert!(matches!(&*rx.try_recv().unwrap(), BookEvent::Top20 { .. }));

        // The next diff starts right after the previous one, whatever ids other symbols took.
        book.last_update_id += 40;
        feed.begin(&book);
        book.set(&mut feed, BookSide::Ask, "102", "0");
        feed.stage(&book, 8);
        feed.publish_staged();
        assert!(matches!(&*rx.try_recv().unwrap(), BookEvent::BestChanged { ask: None, .. }));
        feed.flush(&book, 300);
        let diff = rx.try_recv().unwrap();
        assert!(
            matches!(&*diff, BookEvent::Diff { first_update_id: 23, final_update_id: 65, bids, asks, .. }
                if bids.is_empty() && *asks == vec![(d("102"), Decimal::ZERO)]),
            "{diff:?}"
        );
    }

    #[test]
    fn a_change_away_from_the_best_levels_stages_no_best_change() {
        let mut book = Fake { last_update_id: 1, ..Fake::default() };
        book.bids.insert(d("100"), d("1"));
        let mut feed = BookFeed::new(1);
        let mut rx = feed.sender().subscribe();
        feed.begin(&book);
        book.set(&mut feed, BookSide::Bid, "90", "1");
        feed.stage(&book, 1);
        feed.publish_staged();
        assert!(rx.try_recv().is_err());
        // A failed commit drops what was staged.
        feed.begin(&book);
        book.set(&mut feed, BookSide::Bid, "101", "1");
        feed.stage(&book, 2);
        book.bids.remove(&d("101"));
        feed.discard_staged(&book);
        feed.publish_staged();
        assert!(rx.try_recv().is_err());
    }
}
