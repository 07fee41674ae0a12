//! Client order ids of every order, for `GET /api/v3/order` by `origClientOrderId` once the order is
//! no longer open (open orders are found in the engine's memory).
//!
//! An index on `orders` keyed by client order id puts each new order on a random leaf page, so
//! every group commit rewrites about one page of it per order. Instead the ids of committed orders
//! go to the `client_order_ids` table in large sorted batches ([`ClientIds::flush`]), which touch
//! each leaf page once for many orders. The table is derived from `orders`: a batch is copied from
//! the orders committed since the last one, inside SQLite (one statement, no row through Rust), and
//! after a crash the orders above its highest id are added back at open ([`ClientIds::load`]), so
//! nothing acknowledged depends on a batch being written.
//!
//! Until its batch is written, an order is found through a map in memory ([`ClientIds::note`]):
//! a 64-bit hash of (account, symbol, client order id) to the latest order id with that hash, so
//! noting an order copies no text. A hash shared by two keys is told apart by the order's row.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use rusqlite::{Connection, OptionalExtension, params};

use super::trading::{id_from_sql, id_to_sql};
use crate::engine::order::Order;
use crate::error::StoreError;

/// How many orders wait for their batch before it is written.
pub(super) const FLUSH_AT: usize = 16_384;

/// Orders committed and not yet in `client_order_ids`, and the highest order id that is.
#[derive(Debug)]
pub(super) struct ClientIds {
    /// Hash of (account, symbol, client order id) -> the latest order id with that hash, for
    /// orders above `written_through`.
    pending: HashMap<u64, u64>,
    /// The hash of `pending`'s keys (seeded per process: the map is never stored).
    hasher: RandomState,
    /// Orders noted since the last batch.
    noted: usize,
    /// The lowest and the highest order id noted since the last batch (the batch copies the
    /// orders between them).
    noted_from: u64,
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
            pending: HashMap::new(),
            hasher: RandomState::new(),
            noted: 0,
            noted_from: u64::MAX,
            noted_through: written_through,
            written_through,
            flush_at: FLUSH_AT,
        }
    }

    /// Brings the table up to date with `orders` (the rows a crash left unwritten) and starts with
    /// nothing pending.
    pub(super) fn load(conn: &mut Connection) -> Result<ClientIds, StoreError> {
        let tx = conn.transaction()?;
        let written: Option<i64> =
            tx.query_row("SELECT max(order_id) FROM client_order_ids", [], |r| r.get(0))?;
        tx.execute(
            "INSERT OR IGNORE INTO client_order_ids (account_id, symbol, client_order_id, order_id) \
             SELECT account_id, symbol, client_order_id, order_id FROM orders WHERE order_id > ?1",
            [written.unwrap_or(0)],
        )?;
        let through: Option<i64> =
            tx.query_row("SELECT max(order_id) FROM client_order_ids", [], |r| r.get(0))?;
        tx.commit()?;
        Ok(ClientIds::through(through.map_or(0, id_from_sql)))
    }

    fn key(&self, account: i64, symbol: &str, cid: &str) -> u64 {
        self.hasher.hash_one((account, symbol, cid))
    }

    /// Records orders just inserted (committed): found from now on by their client order id (an
    /// order's later changes keep its id, so only its first commit brings one).
    pub(super) fn note<'a>(&mut self, orders: impl Iterator<Item = &'a Order>) {
        for o in orders {
            let key = self.key(o.account_id, &o.symbol, &o.client_order_id);
            let latest = self.pending.entry(key).or_insert(o.order_id);
            *latest = (*latest).max(o.order_id);
            self.noted_from = self.noted_from.min(o.order_id);
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
    pub(super) fn flush(&mut self, conn: &mut Connection) -> Result<(), StoreError> {
        if self.noted == 0 {
            return Ok(());
        }
        let tx = conn.transaction()?;
        // In key order, so that consecutive rows land on the same pages.
        tx.prepare_cached(
            "INSERT OR IGNORE INTO client_order_ids (account_id, symbol, client_order_id, order_id) \
             SELECT account_id, symbol, client_order_id, order_id FROM orders \
             WHERE order_id >= ?1 AND order_id <= ?2 ORDER BY account_id, symbol, client_order_id, order_id",
        )?
        .execute(params![id_to_sql(self.noted_from), id_to_sql(self.noted_through)])?;
        tx.commit()?;
        self.pending.clear();
        self.noted = 0;
        self.noted_from = u64::MAX;
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
        // Everything waiting is newer than everything written.
        if let Some(&id) = self.pending.get(&self.key(account, symbol, cid)) {
            let same: Option<bool> = conn
                .query_row(
                    "SELECT account_id = ?2 AND symbol = ?3 AND client_order_id = ?4 FROM orders WHERE order_id = ?1",
                    params![id_to_sql(id), account, symbol, cid],
                    |r| r.get(0),
                )
                .optional()?;
            if same == Some(true) {
                return Ok(Some(id));
            }
            // Another key with the same hash: look among the waiting orders' rows.
            let id: Option<i64> = conn.query_row(
                "SELECT max(order_id) FROM orders WHERE order_id >= ?1 AND order_id <= ?2 \
                 AND account_id = ?3 AND symbol = ?4 AND client_order_id = ?5",
                params![id_to_sql(self.noted_from), id_to_sql(self.noted_through), account, symbol, cid],
                |r| r.get(0),
            )?;
            if let Some(id) = id {
                return Ok(Some(id_from_sql(id)));
            }
        }
        let id: Option<Option<i64>> = conn
            .query_row(
                "SELECT max(order_id) FROM client_order_ids \
                 WHERE account_id = ?1 AND symbol = ?2 AND client_order_id = ?3",
                params![account, symbol, cid],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.flatten().map(id_from_sql))
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

#[cfg(test)]
mod tests {
    use mbx_core::model::OrderStatus;

    use super::*;
    use crate::store::{Batch, Store};

    fn order(id: u64, cid: &str, status: OrderStatus) -> Order {
        Order::sample(id, cid, status)
    }

    fn commit(s: &mut Store, orders: &[Order]) {
        let batch =
            Batch { orders: orders.iter().map(|o| (o.order_id, o.clone())).collect(), ..Batch::default() };
        s.commit(&batch).unwrap();
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
        s.client_ids.set_flush_at(3);
        commit(&mut s, &[order(1, "a", OrderStatus::New), order(2, "b", OrderStatus::New)]);
        assert_eq!(s.client_ids.pending(), 2);
        assert_eq!(found(&s, "a"), Some((1, OrderStatus::New)));
        // The cancel of order 1 changes its row, not its client id.
        commit(&mut s, &[order(1, "a", OrderStatus::Canceled)]);
        assert_eq!(s.client_ids.pending(), 2);
        assert_eq!(found(&s, "a"), Some((1, OrderStatus::Canceled)));
        commit(&mut s, &[order(3, "c", OrderStatus::New)]);
        assert_eq!(s.client_ids.pending(), 0, "three waiting ids were written");
        assert_eq!(found(&s, "b"), Some((2, OrderStatus::New)));
        // A new order reusing "a" (allowed once the first is closed) is the one found, from memory...
        commit(&mut s, &[order(4, "a", OrderStatus::New)]);
        assert_eq!(found(&s, "a"), Some((4, OrderStatus::New)));
        // ...and from the table.
        s.client_ids.flush(&mut s.conn).unwrap();
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
        let b = s.client_ids.key(1, "BTCUSDT", "b");
        s.client_ids.pending.insert(b, 1);
        assert_eq!(found(&s, "b"), Some((2, OrderStatus::New)));
        assert_eq!(found(&s, "a"), Some((1, OrderStatus::New)));
        // A key with no order at all, sharing a hash with "a", finds nothing.
        let c = s.client_ids.key(1, "BTCUSDT", "c");
        s.client_ids.pending.insert(c, 1);
        assert_eq!(found(&s, "c"), None);
    }

    /// Ids still in memory when the process ends are rebuilt from the orders at the next open.
    #[test]
    fn client_ids_not_written_are_rebuilt_at_open() {
        let dir = std::env::temp_dir().join(format!("mbx-sandbox-client-ids-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let mut s = Store::open_dir(&dir).unwrap();
            s.ensure_account(1, "one", &[], 0).unwrap();
            s.client_ids.set_flush_at(2);
            commit(&mut s, &[order(1, "a", OrderStatus::New), order(2, "b", OrderStatus::New)]);
            commit(&mut s, &[order(3, "c", OrderStatus::New)]);
            assert_eq!(s.client_ids.pending(), 1);
            // Dropped without writing "c" (as after kill -9).
        }
        let s = Store::open_dir(&dir).unwrap();
        assert_eq!(s.client_ids.pending(), 0);
        for (cid, id) in [("a", 1), ("b", 2), ("c", 3)] {
            assert_eq!(found(&s, cid), Some((id, OrderStatus::New)), "{cid}");
        }
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
