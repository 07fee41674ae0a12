//! Client order ids of every order, for `GET /api/v3/order` by `origClientOrderId` once the order is
//! no longer open (open orders are found in the engine's memory).
//!
//! An index on `orders` keyed by client order id puts each new order on a random leaf page, so
//! every group commit rewrites about one page of it per order. Instead the ids of committed orders
//! wait in memory ([`ClientIds::note`]) and go to the `client_order_ids` table in large sorted
//! batches ([`ClientIds::flush`]), which touch each leaf page once for many orders. The table is
//! derived from `orders`: after a crash, the orders above its highest id are added back at open
//! ([`ClientIds::load`]), so nothing acknowledged depends on a batch being written.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::trading::id_to_sql;
use crate::engine::order::Order;
use crate::error::StoreError;

/// How many ids wait in memory before they are written (about 1.6 MiB of them).
pub(super) const FLUSH_AT: usize = 16_384;

/// (account, symbol, client order id).
type Key = (i64, String, String);

/// Ids of committed orders not yet in `client_order_ids`, and the highest order id that is.
#[derive(Debug)]
pub(super) struct ClientIds {
    /// Key -> the latest order id with it, for orders above `written_through`.
    pending: HashMap<Key, u64>,
    /// Every committed order with an id up to this one has its row in the table.
    written_through: u64,
    /// `pending` is written once it holds this many keys.
    flush_at: usize,
}

impl ClientIds {
    /// Nothing known yet: [`ClientIds::load`] replaces it once the schema is in place.
    pub(super) fn unloaded() -> ClientIds {
        ClientIds { pending: HashMap::new(), written_through: 0, flush_at: FLUSH_AT }
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
        Ok(ClientIds {
            pending: HashMap::new(),
            written_through: through.map_or(0, |id| u64::try_from(id).unwrap_or(0)),
            flush_at: FLUSH_AT,
        })
    }

    /// Records the client order ids of orders just inserted (an order's later changes keep its id,
    /// so only its first commit brings one).
    pub(super) fn note<'a>(&mut self, orders: impl Iterator<Item = &'a Order>) {
        for o in orders {
            let latest = self
                .pending
                .entry((o.account_id, o.symbol.clone(), o.client_order_id.clone()))
                .or_insert(o.order_id);
            *latest = (*latest).max(o.order_id);
        }
    }

    /// Whether enough ids wait to be written.
    pub(super) fn due(&self) -> bool {
        self.pending.len() >= self.flush_at
    }

    /// Writes every waiting id in one transaction, in key order. On failure they keep waiting.
    pub(super) fn flush(&mut self, conn: &mut Connection) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let tx = conn.transaction()?;
        let mut through = self.written_through;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO client_order_ids (account_id, symbol, client_order_id, order_id) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            // In key order, so that consecutive rows land on the same pages.
            let mut rows: Vec<(&Key, &u64)> = self.pending.iter().collect();
            rows.sort_unstable();
            for ((account, symbol, cid), id) in rows {
                stmt.execute(params![account, symbol, cid, id_to_sql(*id)])?;
                through = through.max(*id);
            }
        }
        tx.commit()?;
        self.pending.clear();
        self.written_through = through;
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
        if let Some(id) = self.pending.get(&(account, symbol.to_owned(), cid.to_owned())) {
            return Ok(Some(*id));
        }
        let id: Option<Option<i64>> = conn
            .query_row(
                "SELECT max(order_id) FROM client_order_ids \
                 WHERE account_id = ?1 AND symbol = ?2 AND client_order_id = ?3",
                params![account, symbol, cid],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.flatten().map(|id| u64::try_from(id).unwrap_or(0)))
    }

    /// How many ids wait in memory.
    #[cfg(test)]
    pub(super) fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Writes ids once this many wait (tests use small numbers).
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
