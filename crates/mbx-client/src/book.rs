//! A local order book kept by the docs' procedure ("How to manage a local order book correctly",
//! web-socket-streams.md): [`LocalBook`].
//!
//! 1. Listen to `<symbol>@depth@100ms` (the diffs wait in the stream's buffer meanwhile).
//! 2. Take a snapshot, `GET /api/v3/depth` (limit 5000 by default); the book's update id is its
//!    `lastUpdateId`.
//! 3. Apply the diffs: one whose `u` is below the book's id is skipped; one whose `U` is above the
//!    book's id + 1 means diffs were missed: the book is dropped and built again from step 2. Each
//!    level takes its new quantity; a zero quantity removes it.
//!
//! The book is also rebuilt after any gap in the stream (a lost connection), and when a diff would
//! leave it crossed (best bid at or above best ask), which only a missed diff explains. While it
//! is being built it is not shown: [`LocalBook::top`] is `None` unless the book is [`BookState::Live`].

use std::cmp::Ordering;
use std::time::Duration;

use rust_decimal::Decimal;

use crate::error::Result;
use crate::streams::{MarketStream, StreamItem};
use crate::types::stream::{DepthUpdateEvent, MarketEvent};
use crate::types::{Level, OrderBook};

/// Where a local book stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookState {
    /// Being built for the first time.
    Syncing,
    /// Up to date with every diff received.
    Live,
    /// Being built again after a gap.
    Resyncing,
}

/// What changed, as [`LocalBook::next`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookUpdate {
    /// The book is live at this update id (after a snapshot, or a diff).
    Live {
        /// The book's update id.
        last_update_id: u64,
    },
    /// The book was dropped and is being built again, for this reason.
    Resyncing {
        /// Why.
        reason: String,
    },
}

/// The top of a live book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookTop {
    /// The book's update id.
    pub last_update_id: u64,
    /// Best (highest) first.
    pub bids: Vec<Level>,
    /// Best (lowest) first.
    pub asks: Vec<Level>,
}

/// Opens a [`LocalBook`]: [`crate::Client::local_book`].
#[derive(Debug)]
#[must_use]
pub struct LocalBookBuilder {
    client: crate::Client,
    symbol: String,
    snapshot_limit: u32,
}

impl crate::Client {
    /// A local order book of `symbol`, kept from `<symbol>@depth@100ms` and REST snapshots.
    ///
    /// ```no_run
    /// # async fn run() -> mbx_client::Result<()> {
    /// use mbx_client::{Client, Environment};
    /// let client = Client::builder().environment(Environment::Sandbox).build()?;
    /// let mut book = client.local_book("BTCUSDT").open().await?;
    /// while book.next().await.is_some() {
    ///     if let Some(top) = book.top(5) {
    ///         println!("{} bids, best {:?}", top.bids.len(), top.bids.first());
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn local_book(&self, symbol: &str) -> LocalBookBuilder {
        LocalBookBuilder { client: self.clone(), symbol: symbol.to_ascii_uppercase(), snapshot_limit: 5000 }
    }
}

impl LocalBookBuilder {
    /// The snapshot's depth (`limit` of `GET /api/v3/depth`; default 5000, as the docs advise).
    pub fn snapshot_limit(mut self, limit: u32) -> Self {
        self.snapshot_limit = limit;
        self
    }

    /// Subscribes to the diffs. The book is built on the first [`LocalBook::next`].
    pub async fn open(self) -> Result<LocalBook> {
        let stream_name = format!("{}@depth@100ms", self.symbol.to_ascii_lowercase());
        let stream = self.client.market_streams([stream_name]).open().await?;
        Ok(LocalBook {
            client: self.client,
            symbol: self.symbol,
            snapshot_limit: self.snapshot_limit,
            stream,
            state: BookState::Syncing,
            levels: BookLevels::default(),
            failures: 0,
        })
    }
}

/// A local order book; see the module docs for how it is kept.
#[derive(Debug)]
pub struct LocalBook {
    client: crate::Client,
    symbol: String,
    snapshot_limit: u32,
    stream: MarketStream,
    state: BookState,
    levels: BookLevels,
    /// Snapshots in a row that did not lead to a live book (for backoff).
    failures: u32,
}

impl LocalBook {
    /// Where the book stands.
    pub fn state(&self) -> BookState {
        self.state
    }

    /// The symbol.
    pub fn symbol(&self) -> &str {
        &self.symbol
    }

    /// The best `n` levels a side, or `None` while the book is not live (never a stale or crossed
    /// book).
    pub fn top(&self, n: usize) -> Option<BookTop> {
        if self.state != BookState::Live {
            return None;
        }
        Some(self.levels.top(n))
    }

    /// Waits for the next change: the book built (or built again), a diff applied, or the book
    /// dropped to be built again. `None` once the stream has ended; a snapshot that cannot be
    /// fetched is an error: the book can be driven on after a retryable one
    /// ([`Error::is_retryable`](crate::Error::is_retryable)), each try waiting longer than the last.
    pub async fn next(&mut self) -> Option<Result<BookUpdate>> {
        if self.state != BookState::Live {
            return Some(self.snapshot().await);
        }
        loop {
            let item = self.stream.next().await?;
            let update = match item {
                StreamItem::Event(e) => match e.event {
                    MarketEvent::DepthUpdate(d) => self.apply(&d),
                    _ => continue,
                },
                StreamItem::Gap(gap) => Some(self.drop_book(format!("the stream had a gap: {}", gap.reason))),
                StreamItem::Refused(_) => continue,
            };
            if let Some(update) = update {
                return Some(Ok(update));
            }
        }
    }

    /// Sets the book to a new snapshot (the diffs received meanwhile wait in the stream).
    async fn snapshot(&mut self) -> Result<BookUpdate> {
        if self.failures > 0 {
            // The snapshot was behind the diffs: give the REST API's view a moment to catch up.
            let wait = Duration::from_millis(100).saturating_mul(1 << self.failures.min(6));
            tokio::time::sleep(wait).await;
        }
        let book = match self.client.depth(&self.symbol, Some(self.snapshot_limit)).await {
            Ok(book) => book,
            Err(e) => {
                // The next try waits longer (each snapshot weighs up to 250).
                self.failures += 1;
                return Err(e);
            }
        };
        self.levels = BookLevels::from_snapshot(&book);
        self.state = BookState::Live;
        Ok(BookUpdate::Live { last_update_id: self.levels.last_update_id })
    }

    /// The update procedure; `None` for a diff the book already has.
    fn apply(&mut self, d: &DepthUpdateEvent) -> Option<BookUpdate> {
        let before = self.levels.last_update_id;
        match self.levels.apply(d) {
            DiffOutcome::Stale => None,
            DiffOutcome::Missed => {
                self.failures += 1;
                Some(self.drop_book(format!(
                    "diffs {}..{} follow the book's update id {before}: diffs were missed",
                    d.first_update_id, d.final_update_id
                )))
            }
            DiffOutcome::Crossed { bid, ask } => {
                self.failures += 1;
                Some(self.drop_book(format!("the book crossed (bid {bid} >= ask {ask}): a diff was missed")))
            }
            DiffOutcome::Live => {
                self.failures = 0;
                Some(BookUpdate::Live { last_update_id: self.levels.last_update_id })
            }
        }
    }

    fn drop_book(&mut self, reason: String) -> BookUpdate {
        self.state = BookState::Resyncing;
        self.levels.clear();
        BookUpdate::Resyncing { reason }
    }
}

/// What [`BookLevels::apply`] did with a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffOutcome {
    /// The diff was older than the book (its `u` at or below the book's id): nothing changed.
    Stale,
    /// Diffs are missing between the book and this one (its `U` above the book's id + 1): nothing
    /// changed; the book must be built again.
    Missed,
    /// Applied; the book is up to date.
    Live,
    /// Applied, and the book crossed (best bid at or above best ask), which only a missed diff
    /// explains; the book must be built again.
    Crossed {
        /// The best bid.
        bid: Decimal,
        /// The best ask.
        ask: Decimal,
    },
}

/// The levels of an order book and its update id, kept from a snapshot and depth diffs by the
/// docs' procedure: what a [`LocalBook`] holds, usable on its own for a book fed some other way.
///
/// Each side is a vector sorted from the worst level to the best, so the levels that change most
/// (near the top) sit at its end: a level is found by a search that starts at the best end and
/// doubles its step (a change `k` levels from the top costs about `2 log2 k` comparisons), and
/// inserting or removing it moves only the `k` better levels.
///
/// ```
/// use mbx_client::{BookLevels, DiffOutcome};
/// use mbx_client::types::stream::DepthUpdateEvent;
/// use mbx_client::types::{Level, OrderBook};
/// let l = |p: &str, q: &str| Level { price: p.parse().unwrap(), qty: q.parse().unwrap() };
/// let snapshot = OrderBook { last_update_id: 10, bids: vec![l("99", "1")], asks: vec![l("101", "2")] };
/// let mut book = BookLevels::from_snapshot(&snapshot);
/// let diff: DepthUpdateEvent = serde_json::from_str(
///     r#"{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":11,"u":12,"b":[["100","3"],["99","0"]],"a":[]}"#,
/// ).unwrap();
/// assert_eq!(book.apply(&diff), DiffOutcome::Live);
/// let top = book.top(5);
/// assert_eq!((top.last_update_id, top.bids, top.asks), (12, vec![l("100", "3")], vec![l("101", "2")]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookLevels {
    /// Lowest price first: the best bid is last.
    bids: Side<true>,
    /// Highest price first: the best ask is last.
    asks: Side<false>,
    last_update_id: u64,
}

impl BookLevels {
    /// A book set to a snapshot (`GET /api/v3/depth`).
    pub fn from_snapshot(book: &OrderBook) -> BookLevels {
        BookLevels {
            bids: Side::from_best_first(&book.bids),
            asks: Side::from_best_first(&book.asks),
            last_update_id: book.last_update_id,
        }
    }

    /// The book's update id.
    pub fn last_update_id(&self) -> u64 {
        self.last_update_id
    }

    /// Applies a diff by the docs' procedure (see [`DiffOutcome`]): each level takes its new quantity,
    /// a zero quantity removes it.
    pub fn apply(&mut self, d: &DepthUpdateEvent) -> DiffOutcome {
        if d.final_update_id <= self.last_update_id {
            return DiffOutcome::Stale;
        }
        if d.first_update_id > self.last_update_id.saturating_add(1) {
            return DiffOutcome::Missed;
        }
        for l in &d.bids {
            self.bids.set(*l);
        }
        for l in &d.asks {
            self.asks.set(*l);
        }
        self.last_update_id = d.final_update_id;
        match (self.bids.best(), self.asks.best()) {
            (Some(bid), Some(ask)) if bid.price >= ask.price => {
                DiffOutcome::Crossed { bid: bid.price, ask: ask.price }
            }
            _ => DiffOutcome::Live,
        }
    }

    /// The best `n` levels a side.
    pub fn top(&self, n: usize) -> BookTop {
        BookTop {
            last_update_id: self.last_update_id,
            bids: self.bids.iter_worst_first().rev().take(n).copied().collect(),
            asks: self.asks.iter_worst_first().rev().take(n).copied().collect(),
        }
    }

    /// The number of bid and ask levels.
    pub fn len(&self) -> (usize, usize) {
        (self.bids.len(), self.asks.len())
    }

    /// Whether both sides are empty.
    pub fn is_empty(&self) -> bool {
        self.bids.blocks.is_empty() && self.asks.blocks.is_empty()
    }

    /// Empties both sides (the update id stays).
    pub fn clear(&mut self) {
        self.bids.blocks.clear();
        self.asks.blocks.clear();
    }
}

/// Levels a block holds at most before it is split in two.
const BLOCK_MAX: usize = 128;

/// One side of a book, sorted worst first in blocks of at most [`BLOCK_MAX`] levels (none empty);
/// `BID` ranks by price, asks by price reversed.
#[derive(Debug, Clone, Default)]
struct Side<const BID: bool> {
    blocks: Vec<Vec<Level>>,
}

impl<const BID: bool> PartialEq for Side<BID> {
    fn eq(&self, other: &Self) -> bool {
        self.iter_worst_first().eq(other.iter_worst_first())
    }
}

impl<const BID: bool> Eq for Side<BID> {}

/// `a` against `b` by value: two prices of the same scale (as a book's are) by their mantissas,
/// others as `Decimal` compares them.
#[inline]
fn cmp_price(a: &Decimal, b: &Decimal) -> Ordering {
    if a.scale() == b.scale() { a.mantissa().cmp(&b.mantissa()) } else { a.cmp(b) }
}

impl<const BID: bool> Side<BID> {
    /// How `a` ranks against `b`: `Greater` is better.
    #[inline]
    fn rank(a: &Decimal, b: &Decimal) -> Ordering {
        if BID { cmp_price(a, b) } else { cmp_price(b, a) }
    }

    /// From a snapshot's levels, best first (a price given twice keeps its last quantity).
    fn from_best_first(levels: &[Level]) -> Self {
        let mut v: Vec<Level> = levels.iter().rev().copied().collect();
        v.sort_by(|a, b| Self::rank(&a.price, &b.price)); // stable, and linear on a sorted snapshot
        v.dedup_by(|later, earlier| Self::rank(&later.price, &earlier.price).is_eq());
        Side { blocks: v.chunks(BLOCK_MAX / 2).map(<[Level]>::to_vec).collect() }
    }

    fn iter_worst_first(&self) -> impl DoubleEndedIterator<Item = &Level> {
        self.blocks.iter().flatten()
    }

    fn best(&self) -> Option<&Level> {
        self.blocks.last().and_then(|b| b.last())
    }

    fn len(&self) -> usize {
        self.blocks.iter().map(Vec::len).sum()
    }

    /// The index of the last item of `items` that ranks at or below `price` by `key`, `None` if
    /// every item ranks above it: a galloping search from the end (the best).
    #[inline]
    fn last_at_or_below<T>(items: &[T], price: &Decimal, key: impl Fn(&T) -> &Decimal) -> Option<usize> {
        // Every item at or after `hi` ranks above `price`.
        let mut hi = items.len();
        let mut step = 1;
        let mut lo = 0;
        while step <= hi {
            let i = hi - step;
            if Self::rank(key(&items[i]), price).is_gt() {
                hi = i;
                step *= 2;
            } else {
                lo = i;
                break;
            }
        }
        // items[lo] (if lo < hi) ranks at or below; find the last such in lo..hi.
        let n = items[lo..hi].partition_point(|t| Self::rank(key(t), price).is_le());
        (n > 0).then(|| lo + n - 1)
    }

    /// Sets a level's quantity; zero removes it.
    #[inline]
    fn set(&mut self, l: Level) {
        let b = Self::last_at_or_below(&self.blocks, &l.price, |b| &b[0].price).unwrap_or(0);
        let Some(block) = self.blocks.get_mut(b) else {
            if !l.qty.is_zero() {
                self.blocks.push(vec![l]);
            }
            return;
        };
        match Self::last_at_or_below(block, &l.price, |x| &x.price) {
            Some(i) if Self::rank(&block[i].price, &l.price).is_eq() => {
                if !l.qty.is_zero() {
                    block[i].qty = l.qty;
                } else if block.len() > 1 {
                    block.remove(i);
                } else {
                    self.blocks.remove(b);
                }
            }
            _ if l.qty.is_zero() => {}
            at => {
                block.insert(at.map_or(0, |i| i + 1), l);
                if block.len() > BLOCK_MAX {
                    let upper = block.split_off(BLOCK_MAX / 2);
                    self.blocks.insert(b + 1, upper);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn level(p: i64, q: i64) -> Level {
        Level { price: Decimal::new(p, 2), qty: Decimal::new(q, 3) }
    }

    /// A level whose price is written with 2 or 3 decimals (the same value either way).
    fn level_in(p: i64, q: i64, three: bool) -> Level {
        if three { Level { price: Decimal::new(p * 10, 3), qty: Decimal::new(q, 3) } } else { level(p, q) }
    }

    proptest! {
        /// The blocks hold what two `BTreeMap`s fed the same snapshot and diffs hold, through splits
        /// and emptied blocks, with prices of mixed scales.
        #[test]
        fn levels_match_a_btreemap(
            snap_bids in prop::collection::vec((0i64..1000, 1i64..50), 0..400),
            snap_asks in prop::collection::vec((900i64..2000, 1i64..50), 0..400),
            diffs in prop::collection::vec(prop::collection::vec((any::<bool>(), 0i64..2000, 0i64..4, any::<bool>()), 0..60), 0..60),
        ) {
            let mut bids: Vec<Level> = snap_bids.iter().map(|&(p, q)| level(p, q)).collect();
            bids.sort_by_key(|l| std::cmp::Reverse(l.price));
            let mut asks: Vec<Level> = snap_asks.iter().map(|&(p, q)| level(p, q)).collect();
            asks.sort_by_key(|l| l.price);
            let snapshot = OrderBook { last_update_id: 5, bids, asks };
            let mut book = BookLevels::from_snapshot(&snapshot);
            let mut mb: BTreeMap<Decimal, Decimal> = snapshot.bids.iter().map(|l| (l.price, l.qty)).collect();
            let mut ma: BTreeMap<Decimal, Decimal> = snapshot.asks.iter().map(|l| (l.price, l.qty)).collect();
            prop_assert_eq!(book.len(), (mb.len(), ma.len()));
            for (n, diff) in diffs.iter().enumerate() {
                let id = 6 + n as u64;
                let (b, a): (Vec<_>, Vec<_>) = diff.iter().partition(|(bid, _, _, _)| *bid);
                let d = DepthUpdateEvent {
                    event_time: 0,
                    symbol: "X".into(),
                    first_update_id: id,
                    final_update_id: id,
                    bids: b.iter().map(|&&(_, p, q, three)| level_in(p, q, three)).collect(),
                    asks: a.iter().map(|&&(_, p, q, three)| level_in(p, q, three)).collect(),
                };
                let applied = book.apply(&d);
                for (m, ls) in [(&mut mb, &d.bids), (&mut ma, &d.asks)] {
                    for l in ls {
                        if l.qty.is_zero() { m.remove(&l.price); } else { m.insert(l.price, l.qty); }
                    }
                }
                let crossed = matches!((mb.last_key_value(), ma.first_key_value()), (Some((b, _)), Some((a, _))) if b >= a);
                prop_assert_eq!(matches!(applied, DiffOutcome::Crossed { .. }), crossed);
                let top = book.top(usize::MAX);
                let want_b: Vec<Level> = mb.iter().rev().map(|(&price, &qty)| Level { price, qty }).collect();
                let want_a: Vec<Level> = ma.iter().map(|(&price, &qty)| Level { price, qty }).collect();
                prop_assert_eq!(&top.bids, &want_b);
                prop_assert_eq!(&top.asks, &want_a);
                prop_assert_eq!(top.last_update_id, id);
                prop_assert_eq!(book.len(), (mb.len(), ma.len()));
                for side in [&book.bids.blocks, &book.asks.blocks] {
                    prop_assert!(side.iter().all(|b| !b.is_empty() && b.len() <= BLOCK_MAX));
                }
            }
        }
    }

    /// Many levels on one side, added from the worst end and the best, then removed: the blocks split
    /// and empty as the side grows and shrinks.
    #[test]
    fn a_side_grows_past_many_blocks_and_empties() {
        let mut book = BookLevels::default();
        let mut id = 0;
        let mut diff = |bids: Vec<Level>| {
            id += 1;
            DepthUpdateEvent {
                event_time: 0,
                symbol: "X".into(),
                first_update_id: id,
                final_update_id: id,
                bids,
                asks: vec![],
            }
        };
        for p in (0..500).chain(1000..1500).rev().chain(500..1000) {
            assert_eq!(book.apply(&diff(vec![level(p, 1)])), DiffOutcome::Live);
        }
        assert!(book.bids.blocks.len() > 10);
        let top = book.top(3000);
        assert_eq!(top.bids.len(), 1500);
        assert!(top.bids.windows(2).all(|w| w[0].price > w[1].price));
        for p in (0..1500).step_by(2).chain((0..750).rev().map(|k| 2 * k + 1)) {
            book.apply(&diff(vec![level(p, 0)]));
        }
        assert!(book.is_empty());
    }

    #[test]
    fn stale_and_missed_diffs_change_nothing() {
        let snapshot = OrderBook { last_update_id: 10, bids: vec![level(100, 1)], asks: vec![level(200, 1)] };
        let mut book = BookLevels::from_snapshot(&snapshot);
        let diff = |first, last| DepthUpdateEvent {
            event_time: 0,
            symbol: "X".into(),
            first_update_id: first,
            final_update_id: last,
            bids: vec![level(150, 2)],
            asks: vec![],
        };
        assert_eq!(book.apply(&diff(5, 10)), DiffOutcome::Stale);
        assert_eq!(book.apply(&diff(12, 13)), DiffOutcome::Missed);
        assert_eq!(book, BookLevels::from_snapshot(&snapshot));
        assert_eq!(book.apply(&diff(8, 11)), DiffOutcome::Live);
        assert_eq!(book.top(1).bids, vec![level(150, 2)]);
        let cross = DepthUpdateEvent { bids: vec![level(250, 1)], ..diff(12, 12) };
        assert_eq!(
            book.apply(&cross),
            DiffOutcome::Crossed { bid: Decimal::new(250, 2), ask: Decimal::new(200, 2) }
        );
        // A snapshot giving a price twice keeps the last quantity, as a map would.
        let twice = OrderBook { last_update_id: 1, bids: vec![level(100, 1), level(100, 2)], asks: vec![] };
        assert_eq!(BookLevels::from_snapshot(&twice).top(5).bids, vec![level(100, 2)]);
    }
}
