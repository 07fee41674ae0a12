//! Id sequences: order ids, trade ids (one sequence per symbol, as on Binance), prevented-match
//! ids, book update ids, order list ids, allocation ids and amendment execution ids.
//!
//! Each is a counter persisted in the `sequences` table in the same transaction as the change that
//! used it. At start each resumes at the larger of the stored value and one past the largest id in
//! the tables, so an id is never issued twice, even if the sequences table were behind. A symbol's
//! trade ids are used only by its trade rows, written in the same transaction, so they resume after
//! the largest stored one.

use crate::hash::FastMap;

use rust_decimal::Decimal;

use crate::error::StoreError;
use crate::store::{Batch, IdColumn, Store};

/// The engine's counters: each holds the next id to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    order: u64,
    prevented_match: u64,
    update: u64,
    order_list: u64,
    allocation: u64,
    amendment: u64,
}

const ORDER: &str = "order_id";
const PREVENTED_MATCH: &str = "prevented_match_id";
const UPDATE: &str = "update_id";
const ORDER_LIST: &str = "order_list_id";
const ALLOCATION: &str = "allocation_id";
const AMENDMENT: &str = "amendment_execution_id";

/// Every sequence a [`crate::store::Batch`] may advance (the store's backlog reads their names back).
pub(crate) const SEQUENCE_NAMES: &[&str] =
    &[ORDER, PREVENTED_MATCH, UPDATE, ORDER_LIST, ALLOCATION, AMENDMENT];

impl Ids {
    /// Resumes the sequences of `store`.
    pub fn load(store: &Store) -> Result<Ids, StoreError> {
        let next = |name: &str, column: IdColumn| -> Result<u64, StoreError> {
            let stored = store.sequence(name)?.unwrap_or(1);
            let used = store.max_id(column)?.saturating_add(1);
            Ok(stored.max(used).max(1))
        };
        Ok(Ids {
            order: next(ORDER, IdColumn::Order)?,
            prevented_match: next(PREVENTED_MATCH, IdColumn::PreventedMatch)?,
            update: next(UPDATE, IdColumn::BookSeq)?,
            order_list: next(ORDER_LIST, IdColumn::OrderList)?,
            allocation: next(ALLOCATION, IdColumn::Allocation)?,
            amendment: next(AMENDMENT, IdColumn::Amendment)?,
        })
    }

    fn take(counter: &mut u64) -> u64 {
        let id = *counter;
        *counter = counter.saturating_add(1);
        id
    }

    /// The order id the next [`Ids::order`] will issue.
    pub fn peek_order(&self) -> u64 {
        self.order
    }

    /// The next order id.
    pub fn order(&mut self) -> u64 {
        Ids::take(&mut self.order)
    }

    /// The next prevented-match id.
    pub fn prevented_match(&mut self) -> u64 {
        Ids::take(&mut self.prevented_match)
    }

    /// The next book update id (also an order's place in its book's time priority).
    pub fn update(&mut self) -> u64 {
        Ids::take(&mut self.update)
    }

    /// The next order list id.
    pub fn order_list(&mut self) -> u64 {
        Ids::take(&mut self.order_list)
    }

    /// The next allocation id (an SOR order's execution).
    pub fn allocation(&mut self) -> u64 {
        Ids::take(&mut self.allocation)
    }

    /// The next amendment's `executionId`, above `floor` (the last execution id the user data
    /// feed issued, so that `I` keeps growing in the events).
    pub fn amendment_after(&mut self, floor: u64) -> u64 {
        self.amendment = self.amendment.max(floor.saturating_add(1));
        Ids::take(&mut self.amendment)
    }

    /// The last update id issued (0 before any).
    pub fn last_update(&self) -> u64 {
        self.update.saturating_sub(1)
    }

    /// Adds the counters to `batch`, to be stored with the changes that used them.
    pub fn persist(&self, batch: &mut Batch) {
        batch.sequences.insert(ORDER, self.order);
        batch.sequences.insert(PREVENTED_MATCH, self.prevented_match);
        batch.sequences.insert(UPDATE, self.update);
        batch.sequences.insert(ORDER_LIST, self.order_list);
        batch.sequences.insert(ALLOCATION, self.allocation);
        batch.sequences.insert(AMENDMENT, self.amendment);
    }
}

/// Trade ids and aggregate trade ids: a sequence of each per symbol, as on Binance. They are not in
/// the `sequences` table: a symbol's ids are used only by its trade rows, written in the same
/// transaction, so each resumes after the largest stored one.
#[derive(Debug, Clone, Default)]
pub struct TradeIds {
    /// Per symbol: the last ids issued.
    last: FastMap<String, LastTrade>,
}

/// A symbol's last trade id and aggregate trade id issued, and the run that aggregate names.
#[derive(Debug, Clone, Copy, Default)]
struct LastTrade {
    trade: u64,
    agg: u64,
    /// The aggregate's taker order, price and time (none since a start).
    run: Option<(u64, Decimal, u64)>,
}

impl TradeIds {
    /// Resumes each symbol's sequences after its stored trades.
    pub fn load(store: &Store) -> Result<TradeIds, StoreError> {
        let last = store
            .max_trade_ids()?
            .into_iter()
            .map(|(symbol, (trade, agg))| (symbol, LastTrade { trade, agg, run: None }))
            .collect();
        Ok(TradeIds { last })
    }

    /// The trade id the next [`TradeIds::trade`] of `symbol` will issue.
    pub fn peek(&self, symbol: &str) -> u64 {
        self.last.get(symbol).map_or(0, |l| l.trade).saturating_add(1)
    }

    /// The next trade id of `symbol`, by `taker` at `price` and `time_ms`, and its aggregate trade id:
    /// the last one's if the trade continues its run (the same taker order, price and time), else
    /// the next.
    pub fn trade(&mut self, symbol: &str, taker: u64, price: Decimal, time_ms: u64) -> (u64, u64) {
        let last = match self.last.get_mut(symbol) {
            Some(last) => last,
            None => self.last.entry(symbol.to_owned()).or_default(),
        };
        last.trade = last.trade.saturating_add(1);
        let run = Some((taker, price, time_ms));
        if last.run != run {
            last.agg = last.agg.saturating_add(1);
            last.run = run;
        }
        (last.trade, last.agg)
    }
}

#[cfg(test)]
mod trade_id_tests {
    use super::*;

    #[test]
    fn trades_count_per_symbol_and_a_run_shares_its_aggregate() {
        let mut ids = TradeIds::default();
        let p = Decimal::from(100);
        assert_eq!(ids.peek("BTCUSDT"), 1);
        assert_eq!(ids.trade("BTCUSDT", 7, p, 1), (1, 1));
        assert_eq!(ids.trade("ETHUSDT", 8, p, 1), (1, 1));
        // The same taker, price and time: the same aggregate.
        assert_eq!(ids.trade("BTCUSDT", 7, p, 1), (2, 1));
        // Another price, then another taker: new aggregates.
        assert_eq!(ids.trade("BTCUSDT", 7, Decimal::from(101), 1), (3, 2));
        assert_eq!(ids.trade("BTCUSDT", 9, Decimal::from(101), 1), (4, 3));
        assert_eq!((ids.peek("BTCUSDT"), ids.peek("ETHUSDT")), (5, 2));
    }
}
