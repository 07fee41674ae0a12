//! Reading the public trade record for market data: `historicalTrades`, `aggTrades`, klines and the
//! window tickers. Nothing here writes.
//!
//! Scans stream rows from SQLite and stop as soon as the caller has enough ([`Store::scan_trades`]),
//! so an aggregate made of many trades, or a long quiet range, costs only the rows actually read.
//! Time ranges use the `trades_by_symbol_time` index (migration 0003).

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, params, params_from_iter};

use super::trading::{TRADE_COLUMNS, corrupt, id_from_sql, id_to_sql, trade_from_row};
use super::{Store, ms_to_sql};
use crate::engine::trade::Trade;
use crate::error::StoreError;

/// Which trades of a symbol a scan reads, and in which direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TradeScan {
    /// Trades with ids at or above this.
    pub from_id: Option<u64>,
    /// Trades at or after this time (ms).
    pub start_ms: Option<u64>,
    /// Trades at or before this time (ms).
    pub end_ms: Option<u64>,
    /// Newest first (by trade id) instead of oldest first.
    pub newest_first: bool,
}

impl Store {
    /// Trades of `symbol` with ids at or above `from_id`, oldest first, at most `limit`.
    pub(crate) fn trades_from(
        &self,
        symbol: &str,
        from_id: u64,
        limit: u32,
    ) -> Result<Vec<Trade>, StoreError> {
        let mut stmt = self.read()?.prepare_cached(&format!(
            "SELECT {TRADE_COLUMNS} FROM trades WHERE symbol = ?1 AND trade_id >= ?2 ORDER BY trade_id LIMIT ?3"
        ))?;
        stmt.query_map(params![symbol, id_to_sql(from_id), limit], trade_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt("trades"))
    }

    /// The id of the first trade of the first aggregate trade of `symbol` at or above `agg_id`.
    pub(crate) fn first_trade_of_aggregate(
        &self,
        symbol: &str,
        agg_id: u64,
    ) -> Result<Option<u64>, StoreError> {
        let mut stmt = self.read()?.prepare_cached(
            "SELECT trade_id FROM trades WHERE symbol = ?1 AND agg_id >= ?2 ORDER BY agg_id, trade_id LIMIT 1",
        )?;
        let id: Option<i64> = stmt
            .query_row(params![symbol, id_to_sql(agg_id)], |r| r.get(0))
            .optional()
            .map_err(corrupt("trades"))?;
        Ok(id.map(id_from_sql))
    }

    /// The latest trade of `symbol` at or before `at_ms` (by time, then id).
    pub(crate) fn last_trade_until(&self, symbol: &str, at_ms: u64) -> Result<Option<Trade>, StoreError> {
        let mut stmt = self.read()?.prepare_cached(&format!(
            "SELECT {TRADE_COLUMNS} FROM trades WHERE symbol = ?1 AND time_ms <= ?2 \
             ORDER BY time_ms DESC, trade_id DESC LIMIT 1"
        ))?;
        stmt.query_row(params![symbol, ms_to_sql(at_ms)], trade_from_row)
            .optional()
            .map_err(corrupt("trades"))
    }

    /// The time of the earliest trade of `symbol`, `None` before its first trade.
    pub(crate) fn first_trade_time(&self, symbol: &str) -> Result<Option<u64>, StoreError> {
        let min: Option<i64> =
            self.read()?
                .query_row("SELECT min(time_ms) FROM trades WHERE symbol = ?1", [symbol], |r| r.get(0))?;
        Ok(min.map(|t| u64::try_from(t).unwrap_or(0)))
    }

    /// The trades of `symbol` from `start_ms` to `end_ms` inclusive, oldest first.
    pub(crate) fn trades_between(
        &self,
        symbol: &str,
        start_ms: u64,
        end_ms: u64,
    ) -> Result<Vec<Trade>, StoreError> {
        let mut out = Vec::new();
        let scan = TradeScan { start_ms: Some(start_ms), end_ms: Some(end_ms), ..TradeScan::default() };
        self.scan_trades(symbol, &scan, |t| {
            out.push(t);
            true
        })?;
        Ok(out)
    }

    /// Hands the trades of `symbol` that `scan` selects to `visit`, one at a time in trade-id order,
    /// until `visit` returns `false` or none is left. Rows are read from SQLite only as they are
    /// visited.
    pub(crate) fn scan_trades(
        &self,
        symbol: &str,
        scan: &TradeScan,
        mut visit: impl FnMut(Trade) -> bool,
    ) -> Result<(), StoreError> {
        let mut sql = format!("SELECT {TRADE_COLUMNS} FROM trades WHERE symbol = ?1");
        let mut values = vec![SqlValue::Text(symbol.to_owned())];
        let mut bind = |sql: &mut String, clause: &str, value: i64| {
            values.push(SqlValue::Integer(value));
            sql.push_str(&format!(" AND {clause} ?{}", values.len()));
        };
        if let Some(from) = scan.from_id {
            bind(&mut sql, "trade_id >=", id_to_sql(from));
        }
        if let Some(start) = scan.start_ms {
            bind(&mut sql, "time_ms >=", ms_to_sql(start));
        }
        if let Some(end) = scan.end_ms {
            bind(&mut sql, "time_ms <=", ms_to_sql(end));
        }
        sql.push_str(if scan.newest_first { " ORDER BY trade_id DESC" } else { " ORDER BY trade_id" });
        let mut stmt = self.read()?.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values.iter()))?;
        let read = corrupt("trades");
        while let Some(row) = rows.next()? {
            if !visit(trade_from_row(row).map_err(&read)?) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::store::Batch;

    fn trade(id: u64, time_ms: u64) -> Trade {
        Trade {
            trade_id: id,
            symbol: "BTCUSDT".into(),
            price: Decimal::ONE,
            qty: Decimal::ONE,
            quote_qty: Decimal::ONE,
            time_ms,
            buyer_order_id: 1,
            seller_order_id: 2,
            is_buyer_maker: false,
            agg_id: id,
        }
    }

    /// A store holding trades 1..=5 at times 10, 20, 20, 30, 40 (orders 1 and 2 exist for the keys).
    fn store() -> Store {
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "demo", &[], 0).unwrap();
        s.conn
            .execute_batch(
                "INSERT INTO orders (order_id, account_id, symbol, client_order_id, side, type, time_in_force, price,
                   orig_qty, executed_qty, cumm_quote_qty, orig_quote_order_qty, status, stp_mode, locked, time_ms,
                   update_ms, working_time)
                 VALUES (1, 1, 'BTCUSDT', 'a', 'BUY', 'LIMIT', 'GTC', '1', '1', '1', '1', '0', 'FILLED', 'NONE', '0', 0, 0, 0),
                        (2, 1, 'BTCUSDT', 'b', 'SELL', 'LIMIT', 'GTC', '1', '1', '1', '1', '0', 'FILLED', 'NONE', '0', 0, 0, 0);",
            )
            .unwrap();
        let batch = Batch {
            trades: [(1, 10), (2, 20), (3, 20), (4, 30), (5, 40)].map(|(i, t)| trade(i, t)).to_vec(),
            ..Batch::default()
        };
        s.commit(batch).unwrap();
        s
    }

    fn ids(v: &[Trade]) -> Vec<u64> {
        v.iter().map(|t| t.trade_id).collect()
    }

    #[test]
    fn store_trade_reads_by_id_and_time() {
        let s = store();
        assert_eq!(ids(&s.trades_from("BTCUSDT", 3, 2).unwrap()), [3, 4]);
        // Each trade is its own aggregate here (agg_id = trade id).
        assert_eq!(s.first_trade_of_aggregate("BTCUSDT", 3).unwrap(), Some(3));
        assert_eq!(s.first_trade_of_aggregate("BTCUSDT", 6).unwrap(), None);
        assert_eq!(s.last_trade_until("BTCUSDT", 29).unwrap().map(|t| t.trade_id), Some(3));
        assert_eq!(s.last_trade_until("BTCUSDT", 9).unwrap(), None);
        assert_eq!(s.first_trade_time("BTCUSDT").unwrap(), Some(10));
        assert_eq!(s.first_trade_time("LTCBTC").unwrap(), None);
        assert_eq!(ids(&s.trades_between("BTCUSDT", 20, 30).unwrap()), [2, 3, 4]);
    }

    #[test]
    fn store_scan_stops_when_asked_and_runs_both_ways() {
        let s = store();
        let mut seen = Vec::new();
        let scan = TradeScan { from_id: Some(2), newest_first: true, ..TradeScan::default() };
        s.scan_trades("BTCUSDT", &scan, |t| {
            seen.push(t.trade_id);
            seen.len() < 3
        })
        .unwrap();
        assert_eq!(seen, [5, 4, 3]);
        let mut seen = Vec::new();
        let scan = TradeScan { end_ms: Some(20), ..TradeScan::default() };
        s.scan_trades("BTCUSDT", &scan, |t| {
            seen.push(t.trade_id);
            true
        })
        .unwrap();
        assert_eq!(seen, [1, 2, 3]);
    }
}
