//! Prevented matches, amendments and SOR allocations: written with the rest of a command's
//! [`Batch`] ([`write_records`]) and read back by `myPreventedMatches`, `order/amendments` and
//! `myAllocations`.

use mbx_core::WireValue;
use mbx_core::model::SelfTradePreventionMode;
use rusqlite::{Connection, Row, params};
use rust_decimal::Decimal;

use super::trading::{Batch, corrupt, dec_col, enum_col, id_from_sql, id_to_sql};
use super::{Store, ms_to_sql};
use crate::engine::records::{Amendment, PreventedMatch};
use crate::engine::trade::Fill;
use crate::error::StoreError;
use crate::write::decimal::PlainText;

/// Which allocations `myAllocations` wants (its documented combinations; the handler refuses others):
/// the same fields as every history query (`orderId`, `fromAllocationId`, the times, `limit`).
pub type AllocationQuery = super::History;

/// Which prevented matches `myPreventedMatches` wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreventedQuery {
    /// This one only.
    pub prevented_match_id: Option<u64>,
    /// Those where this order is taker or maker.
    pub order_id: Option<u64>,
    /// From this id upwards.
    pub from_id: Option<u64>,
    /// At most this many.
    pub limit: u32,
}

/// Writes the batch's prevented matches, amendments and allocations (its fills with an
/// `alloc_id`), and the client order ids amendments gave, inside the commit's transaction.
pub(super) fn write_records(tx: &Connection, batch: &Batch) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO prevented_matches (prevented_match_id, symbol, taker_account_id, taker_order_id, \
         maker_symbol, maker_account_id, maker_order_id, trade_group_id, stp_mode, price, \
         taker_prevented_qty, maker_prevented_qty, match_qty, time_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for p in &batch.prevented_matches {
        stmt.execute(params![
            id_to_sql(p.prevented_match_id),
            p.symbol,
            p.taker_account_id,
            id_to_sql(p.taker_order_id),
            p.maker_symbol,
            p.maker_account_id,
            id_to_sql(p.maker_order_id),
            p.trade_group_id,
            p.stp_mode.wire(),
            PlainText::new(p.price),
            p.taker_prevented_qty.map(PlainText::new),
            p.maker_prevented_qty.map(PlainText::new),
            PlainText::new(p.match_qty),
            ms_to_sql(p.time_ms),
        ])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO amendments (execution_id, account_id, symbol, order_id, orig_client_order_id, \
         new_client_order_id, orig_qty, new_qty, time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut rename = tx.prepare_cached("UPDATE orders SET client_order_id = ?2 WHERE order_id = ?1")?;
    for a in &batch.amendments {
        stmt.execute(params![
            id_to_sql(a.execution_id),
            a.account_id,
            a.symbol,
            id_to_sql(a.order_id),
            a.orig_client_order_id,
            a.new_client_order_id,
            PlainText::new(a.orig_qty),
            PlainText::new(a.new_qty),
            ms_to_sql(a.time_ms),
        ])?;
        // The order's row keeps the columns a fill changes up to date; its client order id changes
        // only here.
        rename.execute(params![id_to_sql(a.order_id), a.new_client_order_id])?;
        super::client_ids::insert_renamed(tx, a.account_id, &a.symbol, &a.new_client_order_id, a.order_id)?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO allocations (allocation_id, trade_id, is_buyer, account_id, order_id, order_list_id, \
         symbol, price, qty, quote_qty, commission, commission_asset, is_maker, time_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for f in &batch.fills {
        let Some(alloc) = f.alloc_id else { continue };
        stmt.execute(params![
            id_to_sql(alloc),
            id_to_sql(f.trade_id),
            f.is_buyer,
            f.account_id,
            id_to_sql(f.order_id),
            f.order_list_id.map(id_to_sql),
            f.symbol,
            PlainText::new(f.price),
            PlainText::new(f.qty),
            PlainText::new(f.quote_qty),
            PlainText::new(f.commission),
            f.commission_asset,
            f.is_maker,
            ms_to_sql(f.time_ms),
        ])?;
    }
    Ok(())
}

const PREVENTED_COLUMNS: &str = "prevented_match_id, symbol, taker_account_id, taker_order_id, maker_symbol, \
     maker_account_id, maker_order_id, trade_group_id, stp_mode, price, taker_prevented_qty, \
     maker_prevented_qty, match_qty, time_ms";

fn optional_dec(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Decimal>> {
    match row.get::<_, Option<String>>(index)? {
        None => Ok(None),
        Some(_) => dec_col(row, index).map(Some),
    }
}

fn prevented_from_row(row: &Row<'_>) -> rusqlite::Result<PreventedMatch> {
    Ok(PreventedMatch {
        prevented_match_id: id_from_sql(row.get(0)?),
        symbol: row.get(1)?,
        taker_account_id: row.get(2)?,
        taker_order_id: id_from_sql(row.get(3)?),
        maker_symbol: row.get(4)?,
        maker_account_id: row.get(5)?,
        maker_order_id: id_from_sql(row.get(6)?),
        trade_group_id: row.get(7)?,
        stp_mode: enum_col(row, 8, SelfTradePreventionMode::parse_known)?,
        price: dec_col(row, 9)?,
        taker_prevented_qty: optional_dec(row, 10)?,
        maker_prevented_qty: optional_dec(row, 11)?,
        match_qty: dec_col(row, 12)?,
        time_ms: id_from_sql(row.get(13)?),
        next_trade_id: 0,
    })
}

const AMENDMENT_COLUMNS: &str = "execution_id, account_id, symbol, order_id, orig_client_order_id, \
     new_client_order_id, orig_qty, new_qty, time_ms";

fn amendment_from_row(row: &Row<'_>) -> rusqlite::Result<Amendment> {
    Ok(Amendment {
        execution_id: id_from_sql(row.get(0)?),
        account_id: row.get(1)?,
        symbol: row.get(2)?,
        order_id: id_from_sql(row.get(3)?),
        orig_client_order_id: row.get(4)?,
        new_client_order_id: row.get(5)?,
        orig_qty: dec_col(row, 6)?,
        new_qty: dec_col(row, 7)?,
        time_ms: id_from_sql(row.get(8)?),
    })
}

const ALLOCATION_COLUMNS: &str = "allocation_id, trade_id, is_buyer, account_id, order_id, order_list_id, \
     symbol, price, qty, quote_qty, commission, commission_asset, is_maker, time_ms";

fn allocation_from_row(row: &Row<'_>) -> rusqlite::Result<Fill> {
    Ok(Fill {
        alloc_id: Some(id_from_sql(row.get(0)?)),
        trade_id: id_from_sql(row.get(1)?),
        is_buyer: row.get(2)?,
        account_id: row.get(3)?,
        order_id: id_from_sql(row.get(4)?),
        order_list_id: row.get::<_, Option<i64>>(5)?.map(id_from_sql),
        symbol: row.get(6)?,
        price: dec_col(row, 7)?,
        qty: dec_col(row, 8)?,
        quote_qty: dec_col(row, 9)?,
        commission: dec_col(row, 10)?,
        commission_asset: row.get(11)?,
        is_maker: row.get(12)?,
        time_ms: id_from_sql(row.get(13)?),
    })
}

impl Store {
    /// `myPreventedMatches`: the prevented matches on `symbol` that involve an order of `account_id`,
    /// by id, as `q` narrows them.
    pub(crate) fn prevented_matches(
        &self,
        account_id: i64,
        symbol: &str,
        q: &PreventedQuery,
    ) -> Result<Vec<PreventedMatch>, StoreError> {
        let mut sql = format!(
            "SELECT {PREVENTED_COLUMNS} FROM prevented_matches WHERE symbol = ?1 \
             AND (taker_account_id = ?2 OR maker_account_id = ?2)"
        );
        if let Some(id) = q.prevented_match_id {
            sql.push_str(&format!(" AND prevented_match_id = {}", id_to_sql(id)));
        }
        if let Some(order) = q.order_id {
            let order = id_to_sql(order);
            sql.push_str(&format!(" AND (taker_order_id = {order} OR maker_order_id = {order})"));
        }
        if let Some(from) = q.from_id {
            sql.push_str(&format!(" AND prevented_match_id >= {}", id_to_sql(from)));
        }
        sql.push_str(&format!(" ORDER BY prevented_match_id LIMIT {}", q.limit));
        let mut stmt = self.read()?.prepare(&sql)?;
        let rows = stmt.query_map(params![symbol, account_id], prevented_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(corrupt("prevented_matches"))
    }

    /// `order/amendments`: the amendments of one order of `account_id`, oldest first, from
    /// `from_execution_id` upwards.
    pub(crate) fn amendments(
        &self,
        account_id: i64,
        symbol: &str,
        order_id: u64,
        from_execution_id: Option<u64>,
        limit: u32,
    ) -> Result<Vec<Amendment>, StoreError> {
        let mut stmt = self.read()?.prepare_cached(&format!(
            "SELECT {AMENDMENT_COLUMNS} FROM amendments WHERE order_id = ?1 AND account_id = ?2 \
             AND symbol = ?3 AND execution_id >= ?4 ORDER BY execution_id LIMIT ?5"
        ))?;
        let from = from_execution_id.map_or(0, id_to_sql);
        let rows = stmt
            .query_map(params![id_to_sql(order_id), account_id, symbol, from, limit], amendment_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(corrupt("amendments"))
    }

    /// How many times each open order has been amended (`MAX_NUM_ORDER_AMENDS`), by order id.
    pub(crate) fn open_order_amend_counts(&self) -> Result<Vec<(u64, u32)>, StoreError> {
        let mut stmt = self.read()?.prepare(
            "SELECT a.order_id, count(*) FROM amendments a JOIN orders o ON o.order_id = a.order_id \
             WHERE o.status IN ('NEW', 'PARTIALLY_FILLED') GROUP BY a.order_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((id_from_sql(r.get(0)?), r.get::<_, u32>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// `myAllocations`: the allocations of `account_id` on `symbol`, oldest first. The newest come
    /// first only when `endTime` alone bounds them ("newest allocations until endTime").
    pub(crate) fn allocations(
        &self,
        account_id: i64,
        symbol: &str,
        q: &AllocationQuery,
    ) -> Result<Vec<Fill>, StoreError> {
        let mut sql =
            format!("SELECT {ALLOCATION_COLUMNS} FROM allocations WHERE account_id = ?1 AND symbol = ?2");
        if let Some(order) = q.order_id {
            sql.push_str(&format!(" AND order_id = {}", id_to_sql(order)));
        }
        if let Some(from) = q.from_id {
            sql.push_str(&format!(" AND allocation_id >= {}", id_to_sql(from)));
        }
        if let Some(start) = q.start_ms {
            sql.push_str(&format!(" AND time_ms >= {}", ms_to_sql(start)));
        }
        if let Some(end) = q.end_ms {
            sql.push_str(&format!(" AND time_ms <= {}", ms_to_sql(end)));
        }
        let newest = q.end_ms.is_some() && q.start_ms.is_none() && q.from_id.is_none();
        sql.push_str(&format!(
            " ORDER BY allocation_id {} LIMIT {}",
            if newest { "DESC" } else { "ASC" },
            q.limit
        ));
        let mut stmt = self.read()?.prepare(&sql)?;
        let mut rows = stmt
            .query_map(params![account_id, symbol], allocation_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt("allocations"))?;
        if newest {
            rows.reverse();
        }
        Ok(rows)
    }
}
