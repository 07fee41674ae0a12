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

use std::collections::BTreeMap;
use std::time::Duration;

use rust_decimal::Decimal;

use crate::error::Result;
use crate::streams::{MarketStream, StreamItem};
use crate::types::Level;
use crate::types::stream::{DepthUpdateEvent, MarketEvent};

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
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            last_update_id: 0,
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
    bids: BTreeMap<Decimal, Decimal>,
    asks: BTreeMap<Decimal, Decimal>,
    last_update_id: u64,
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
        let level = |(price, qty): (&Decimal, &Decimal)| Level { price: *price, qty: *qty };
        Some(BookTop {
            last_update_id: self.last_update_id,
            bids: self.bids.iter().rev().take(n).map(level).collect(),
            asks: self.asks.iter().take(n).map(level).collect(),
        })
    }

    /// Waits for the next change: the book built (or built again), a diff applied, or the book
    /// dropped to be built again. `None` once the stream has ended; a snapshot that cannot be
    /// fetched is an error (the book can be driven on after it).
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
        let book = self.client.depth(&self.symbol, Some(self.snapshot_limit)).await?;
        self.bids = book.bids.iter().map(|l| (l.price, l.qty)).collect();
        self.asks = book.asks.iter().map(|l| (l.price, l.qty)).collect();
        self.last_update_id = book.last_update_id;
        self.state = BookState::Live;
        Ok(BookUpdate::Live { last_update_id: self.last_update_id })
    }

    /// The update procedure; `None` for a diff the book already has.
    fn apply(&mut self, d: &DepthUpdateEvent) -> Option<BookUpdate> {
        if d.final_update_id <= self.last_update_id {
            return None;
        }
        if d.first_update_id > self.last_update_id + 1 {
            self.failures += 1;
            return Some(self.drop_book(format!(
                "diffs {}..{} follow the book's update id {}: diffs were missed",
                d.first_update_id, d.final_update_id, self.last_update_id
            )));
        }
        for (side, levels) in [(&mut self.bids, &d.bids), (&mut self.asks, &d.asks)] {
            for l in levels {
                if l.qty.is_zero() {
                    side.remove(&l.price);
                } else {
                    side.insert(l.price, l.qty);
                }
            }
        }
        self.last_update_id = d.final_update_id;
        if let (Some((bid, _)), Some((ask, _))) = (self.bids.last_key_value(), self.asks.first_key_value())
            && bid >= ask
        {
            self.failures += 1;
            return Some(
                self.drop_book(format!("the book crossed (bid {bid} >= ask {ask}): a diff was missed")),
            );
        }
        self.failures = 0;
        Some(BookUpdate::Live { last_update_id: self.last_update_id })
    }

    fn drop_book(&mut self, reason: String) -> BookUpdate {
        self.state = BookState::Resyncing;
        self.bids.clear();
        self.asks.clear();
        BookUpdate::Resyncing { reason }
    }
}
