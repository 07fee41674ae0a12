//! Client order ids of every order, for `GET /api/v3/order` by `origClientOrderId` once the order is
//! no longer open (open orders are found in the engine's memory).
//!
//! An order is found by a 64-bit hash of (account, symbol, client order id), [`key_hash`], which
//! leads to the latest order ids with that hash; the order's row tells whether it is the one asked
//! for (another key may share the hash, or the order may have been renamed by an amendment).
//!
//! An index on `orders` keyed by client order id puts each new order on a random leaf page, so
//! every group commit rewrites about one page of it per order. Instead the hashes of committed
//! orders wait in memory ([`ClientIds::note`]: the hash to the latest order id, no text copied) and
//! go to the `client_order_hashes` table in large sorted batches ([`ClientIds::flush`]), which touch
//! each leaf page once for many orders. The table is derived from `orders`: after a crash, the
//! orders above its highest id are added back at open ([`ClientIds::load`]), so nothing
//! acknowledged depends on a batch being written.

use crate::hash::FastMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::trading::{id_from_sql, id_to_sql};
use crate::engine::order::Order;
use crate::error::StoreError;

/// How many orders wait for their batch before it is written.
pub(super) const FLUSH_AT: usize = 16_384;

/// The stored hash of (account, symbol, client order id): FNV-1a over the account's 8 bytes, the
/// symbol, a 0xFF byte (never in UTF-8 text, so no two keys give the same bytes) and the client
/// order id. Stored: never change it without a migration that empties the table.
pub(super) fn key_hash(account: i64, symbol: &str, cid: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = account.to_le_bytes().into_iter().chain(symbol.bytes()).chain([0xFF]).chain(cid.bytes());
    bytes.fold(OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Adds one (hash, order id) row; an existing one is kept.
const INSERT_HASH: &str = "INSERT OR IGNORE INTO client_order_hashes (key_hash, order_id) VALUES (?1, ?2)";

/// A hash as SQLite's signed integer (the same 64 bits).
fn hash_to_sql(h: u64) -> i64 {
    i64::from_ne_bytes(h.to_ne_bytes())
}

/// Orders committed and not yet in `client_order_hashes`, and the highest order id that is.
#[derive(Debug)]
pub(super) struct ClientIds {
    /// [`key_hash`] -> the latest order id with that hash, for orders above `written_through`.
    pending: FastMap<u64, u64>,
    /// Orders noted since the last batch.
    noted: usize,
    /// The highest order id noted.
    noted_through: u64,
    /// Every committed order with an id up to this one has its row in the table.
    written_through: u64,
    /// A batch is written once this many orders wait.
    flush_at: usize,
}

impl ClientIds {
    /// Nothing known yet: [`ClientIds::load`] replaces it once the schema is in place.
    pub(super) fn unloaded() -> ClientIds {
        ClientIds::through(0)
    }

    fn through(written_through: u64) -> ClientIds {
        ClientIds {
            pending: FastMap::default(),
            noted: 0,
            noted_through: written_through,
            written_through,
            flush_at: FLUSH_AT,
        }
    }

    /// Brings the table up to date with `orders` (the rows a crash left unwritten, or every order
    /// after the migration that made the table) and starts with nothing pending.
    pub(super) fn load(conn: &mut Connection) -> Result<ClientIds, StoreError> {
        let tx = conn.transaction()?;
        let written: Option<i64> =
            tx.query_row("SELECT max(order_id) FROM client_order_hashes", [], |r| r.get(0))?;
        let mut rows = Vec::new();
        {
            let mut stmt = tx.prepare(
                "SELECT account_id, symbol, client_order_id, order_id FROM orders WHERE order_id > ?1",
            )?;
            let mut found = stmt.query([written.unwrap_or(0)])?;
            while let Some(r) = found.next()? {
                let (account, symbol, cid): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                rows.push((key_hash(account, &symbol, &cid), id_from_sql(r.get(3)?)));
            }
        }
        let through = rows.iter().map(|(_, id)| *id).max().unwrap_or(written.map_or(0, id_from_sql));
        insert_sorted(&tx, rows)?;
        tx.commit()?;
        Ok(ClientIds::through(through))
    }

    /// Records orders just inserted (committed): found from now on by their client order id (an
    /// order's later changes keep its id, so only its first commit brings one).
    pub(super) fn note<'a>(&mut self, orders: impl Iterator<Item = &'a Order>) {
        for o in orders {
            let latest = self
                .pending
                .entry(key_hash(o.account_id, &o.symbol, &o.client_order_id))
                .or_insert(o.order_id);
            *latest = (*latest).max(o.order_id);
            self.noted_through = self.noted_through.max(o.order_id);
            self.noted += 1;
        }
    }

    /// Whether enough orders wait for their batch.
    pub(super) fn due(&self) -> bool {
        self.noted >= self.flush_at
    }

    /// Writes the batch of every order noted, in key order, in one transaction. On failure the
    /// orders keep waiting.
    pub(super) fn flush(&mut self, conn: &Connection) -> Result<(), StoreError> {
        if self.noted == 0 {
            return Ok(());
        }
        let tx = conn.unchecked_transaction()?;
        insert_sorted(&tx, self.pending.iter().map(|(h, id)| (*h, *id)).collect())?;
        tx.commit()?;
        self.pending.clear();
        self.noted = 0;
        self.written_through = self.written_through.max(self.noted_through);
        Ok(())
    }

    /// The latest order of `account` on `symbol` with this client order id, if any.
    pub(super) fn find(
        &self,
        conn: &Connection,
        account: i64,
        symbol: &str,
        cid: &str,
    ) -> Result<Option<u64>, StoreError> {
        let hash = key_hash(account, symbol, cid);
        // Newest first: everything waiting is newer than everything written.
        let mut candidates: Vec<u64> = self.pending.get(&hash).copied().into_iter().collect();
        let mut stmt = conn.prepare_cached(
            "SELECT order_id FROM client_order_hashes WHERE key_hash = ?1 ORDER BY order_id DESC",
        )?;
        let mut rows = stmt.query([hash_to_sql(hash)])?;
        while let Some(r) = rows.next()? {
            candidates.push(id_from_sql(r.get(0)?));
        }
        if candidates.is_empty() {
            return Ok(None);
        }
        let mut same = conn.prepare_cached(
            "SELECT account_id = ?2 AND symbol = ?3 AND client_order_id = ?4 FROM orders WHERE order_id = ?1",
        )?;
        for id in candidates {
            let is: Option<bool> =
                same.query_row(params![id_to_sql(id), account, symbol, cid], |r| r.get(0)).optional()?;
            if is == Some(true) {
                return Ok(Some(id));
            }
        }
        // Another key's orders (a shared hash, or an order renamed since): rarely here, so the
        // orders themselves are searched.
        let id: Option<i64> = conn.query_row(
            "SELECT max(order_id) FROM orders WHERE account_id = ?1 AND symbol = ?2 AND client_order_id = ?3",
            params![account, symbol, cid],
            |r| r.get(0),
        )?;
        Ok(id.map(id_from_sql))
    }

    /// How many orders wait for their batch.
    #[cfg(test)]
    pub(super) fn pending(&self) -> usize {
        self.noted
    }

    /// Writes a batch once this many orders wait (tests use small numbers).
    #[cfg(test)]
    pub(super) fn set_flush_at(&mut self, n: usize) {
        self.flush_at = n;
    }
}

/// Adds (hash, order id) rows in key order, so that consecutive rows land on the same pages.
fn insert_sorted(tx: &Transaction<'_>, mut rows: Vec<(u64, u64)>) -> Result<(), StoreError> {
    rows.sort_unstable_by_key(|&(h, id)| (hash_to_sql(h), id));
    let mut stmt = tx.prepare_cached(INSERT_HASH)?;
    for (h, id) in rows {
        stmt.execute(params![hash_to_sql(h), id_to_sql(id)])?;
    }
    Ok(())
}

/// The row an amendment adds for an order's new client order id (written with its commit).
pub(super) fn insert_renamed(
    tx: &Connection,
    account: i64,
    symbol: &str,
    cid: &str,
    order_id: u64,
) -> rusqlite::Result<()> {
    tx.prepare_cached(INSERT_HASH)?
        .execute(params![hash_to_sql(key_hash(account, symbol, cid)), id_to_sql(order_id)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use mbx_core::model::OrderStatus;

    use super::*;
    use crate::store::{Batch, Store};

    fn order(id: u64, cid: &str, status: OrderStatus) -> Order {
        Order::sample(id, cid, status)
    }

    fn commit(s: &mut Store, orders: &[Order]) {
        let batch = Batch {
            orders: orders.iter().map(|o| (o.order_id, Box::new(o.clone()))).collect(),
            ..Batch::default()
        };
        s.commit(batch).unwrap();
        // Client ids are noted as the tables get the orders.
        s.settle().unwrap();
    }

    fn found(s: &Store, cid: &str) -> Option<(u64, OrderStatus)> {
        s.find_order(1, "BTCUSDT", None, Some(cid)).unwrap().map(|o| (o.order_id, o.status))
    }

    /// An id is found while it waits in memory and after it is written; the latest order with a
    /// client id wins on either side of a flush; a later change of an order adds nothing.
    #[test]
    fn client_ids_are_found_before_and_after_they_are_written() {
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "one", &[], 0).unwrap();
        s.tables.borrow().written().client_ids.set_flush_at(3);
        commit(&mut s, &[order(1, "a", OrderStatus::New), order(2, "b", OrderStatus::New)]);
        assert_eq!(s.tables.borrow().written().client_ids.pending(), 2);
        assert_eq!(found(&s, "a"), Some((1, OrderStatus::New)));
        // The cancel of order 1 changes its row, not its client id.
        commit(&mut s, &[order(1, "a", OrderStatus::Canceled)]);
        assert_eq!(s.tables.borrow().written().client_ids.pending(), 2);
        assert_eq!(found(&s, "a"), Some((1, OrderStatus::Canceled)));
        commit(&mut s, &[order(3, "c", OrderStatus::New)]);
        assert_eq!(s.tables.borrow().written().client_ids.pending(), 0, "three waiting ids were written");
        assert_eq!(found(&s, "b"), Some((2, OrderStatus::New)));
        // A new order reusing "a" (allowed once the first is closed) is the one found, from memory...
        commit(&mut s, &[order(4, "a", OrderStatus::New)]);
        assert_eq!(found(&s, "a"), Some((4, OrderStatus::New)));
        // ...and from the table.
        s.tables.borrow().written().client_ids.flush(&s.conn).unwrap();
        assert_eq!(found(&s, "a"), Some((4, OrderStatus::New)));
        assert_eq!(found(&s, "zz"), None);
        assert_eq!(s.find_order(2, "BTCUSDT", None, Some("a")).unwrap(), None, "another account");
        assert_eq!(s.find_order(1, "ETHUSDT", None, Some("a")).unwrap(), None, "another symbol");
    }

    /// Two keys with one hash are told apart by the order's row: the one whose order is not the
    /// map's is found among the waiting orders' rows.
    #[test]
    fn a_shared_hash_finds_each_key_s_own_order() {
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "one", &[], 0).unwrap();
        commit(&mut s, &[order(1, "a", OrderStatus::New), order(2, "b", OrderStatus::New)]);
        // As if "b" hashed to what "a" hashes to: the map's entry for it names order 1.
        let b = key_hash(1, "BTCUSDT", "b");
        s.tables.borrow().written().client_ids.pending.insert(b, 1);
        assert_eq!(found(&s, "b"), Some((2, OrderStatus::New)));
        assert_eq!(found(&s, "a"), Some((1, OrderStatus::New)));
        // A key with no order at all, sharing a hash with "a", finds nothing.
        let c = key_hash(1, "BTCUSDT", "c");
        s.tables.borrow().written().client_ids.pending.insert(c, 1);
        assert_eq!(found(&s, "c"), None);
    }

    /// Ids still in memory when the process ends are rebuilt from the orders at the next open.
    #[test]
    fn client_ids_not_written_are_rebuilt_at_open() {
        let dir = crate::store::fresh_dir("mbx-sandbox-client-ids");
        {
            let mut s = Store::open_dir(&dir).unwrap();
            s.ensure_account(1, "one", &[], 0).unwrap();
            s.tables.borrow().written().client_ids.set_flush_at(2);
            commit(&mut s, &[order(1, "a", OrderStatus::New), order(2, "b", OrderStatus::New)]);
            commit(&mut s, &[order(3, "c", OrderStatus::New)]);
            assert_eq!(s.tables.borrow().written().client_ids.pending(), 1);
            // Dropped without writing "c" (as after kill -9).
        }
        let s = Store::open_dir(&dir).unwrap();
        assert_eq!(s.tables.borrow().written().client_ids.pending(), 0);
        for (cid, id) in [("a", 1), ("b", 2), ("c", 3)] {
            assert_eq!(found(&s, cid), Some((id, OrderStatus::New)), "{cid}");
        }
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
