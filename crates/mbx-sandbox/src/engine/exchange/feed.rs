//! The exchange's side of the book feed ([`crate::engine::book_feed`]): the books as the feed reads
//! them, the notes taken before each change to a level, and the flush.

use super::open::OpenOrders;
use std::sync::Arc;

use mbx_core::model::Side;
use rust_decimal::Decimal;
use tokio::sync::broadcast;

use super::{Exchange, Memory, Publication};
use crate::engine::book::Book;
use crate::engine::book_feed::{BookEvent, BookSide, BookView, Level};
use crate::engine::order::Order;
use crate::market::SymbolSpec;

/// The quantity the orders `ids` show (a level's quantity, as `depth` shows it): their whole rest,
/// or an iceberg's current slice.
pub(super) fn level_quantity<'a>(open: &OpenOrders, ids: impl IntoIterator<Item = &'a u64>) -> Decimal {
    ids.into_iter().filter_map(|id| open.get(id)).map(Order::displayed).sum()
}

/// The books and open orders, read by the feed.
pub(super) struct Books<'a> {
    books: &'a [Book],
    open: &'a OpenOrders,
    symbols: &'a [SymbolSpec],
}

impl<'a> Books<'a> {
    pub(super) fn of(mem: &'a Memory, symbols: &'a [SymbolSpec]) -> Books<'a> {
        Books { books: &mem.books, open: &mem.open, symbols }
    }
}

fn side(side: BookSide) -> Side {
    match side {
        BookSide::Bid => Side::Buy,
        BookSide::Ask => Side::Sell,
    }
}

impl BookView for Books<'_> {
    fn symbol_count(&self) -> usize {
        self.books.len().min(self.symbols.len())
    }

    fn symbol(&self, sym: usize) -> &str {
        self.symbols.get(sym).map_or("", |s| s.symbol.as_str())
    }

    fn last_update_id(&self, sym: usize) -> u64 {
        self.books.get(sym).map_or(0, Book::last_update_id)
    }

    fn quantity(&self, sym: usize, which: BookSide, price: Decimal) -> Decimal {
        let Some(book) = self.books.get(sym) else { return Decimal::ZERO };
        book.level(&side(which), price).map_or(Decimal::ZERO, |ids| level_quantity(self.open, ids))
    }

    fn top(&self, sym: usize, which: BookSide, n: usize) -> Vec<Level> {
        let Some(book) = self.books.get(sym) else { return Vec::new() };
        book.levels(&side(which)).take(n).map(|(p, ids)| (p, level_quantity(self.open, ids))).collect()
    }

    fn best(&self, sym: usize, which: BookSide) -> Option<Level> {
        let (price, ids) = self.books.get(sym)?.levels(&side(which)).next()?;
        Some((price, level_quantity(self.open, ids)))
    }
}

impl Exchange {
    /// The channel order-book events are published on (see [`BookEvent`]).
    pub fn book_feed(&self) -> broadcast::Sender<Arc<BookEvent>> {
        self.feed.sender()
    }

    /// Sends the periodic book events (diffs, partial depths) if anyone listens; call it between
    /// commands, when everything is committed. Returns how many events were sent (or, while
    /// publications are held, held: [`Exchange::set_hold`]).
    pub fn flush_book_feed(&mut self, now_ms: u64) -> usize {
        if !self.hold {
            return self.feed.flush(&Books::of(&self.mem, &self.symbols), now_ms);
        }
        let mut book = Vec::new();
        let n = self.feed.flush_into(&Books::of(&self.mem, &self.symbols), now_ms, &mut |e| {
            book.push(e);
            true
        });
        if !book.is_empty() {
            self.held.push(Publication {
                generation: self.views.generation(),
                book,
                ..Publication::default()
            });
        }
        n
    }

    /// Before a change to the level at `price` on `side` of `sym`: notes it for the book feed
    /// (nothing when nobody listens).
    pub(super) fn note_level(&mut self, sym: usize, side: &Side, price: Decimal) {
        if self.feed.is_active() {
            let before = self.mem.books.get(sym).map_or(0, Book::last_update_id);
            self.feed.note(sym, BookSide::of(side), price, before);
        }
    }

    /// Before a command: the book feed starts or stops noting changes.
    pub(super) fn begin_book_feed(&mut self) {
        self.feed.begin(&Books::of(&self.mem, &self.symbols));
    }

    /// After a command that succeeded: stages its best bid and ask changes.
    pub(super) fn stage_book_feed(&mut self, now_ms: u64) {
        if self.feed.is_active() {
            self.feed.stage(&Books::of(&self.mem, &self.symbols), now_ms);
        }
    }

    /// After memory was reloaded: drops the staged book events.
    pub(super) fn discard_book_feed(&mut self) {
        self.feed.discard_staged(&Books::of(&self.mem, &self.symbols));
    }
}
