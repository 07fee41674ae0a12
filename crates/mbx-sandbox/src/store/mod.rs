//! The durable record: SQLite through rusqlite, owned by the engine thread (on disk, the tables are
//! written by a thread of their own: `store/settler.rs`).
//!
//! * WAL journal with `synchronous=FULL`: a change is on disk when its transaction commits. The
//!   engine relaxes this to `NORMAL` for its group commits and syncs their WAL itself before it
//!   answers ([`Store::defer_sync`]): either way a request is answered only once its change is on
//!   disk.
//! * On disk, two files: `sandbox.db` (the tables) and `backlog.db` ([`BACKLOG_FILE`], the group
//!   commits' records), each with its own WAL, so that the engine's commits never wait for a
//!   settle's lock.
//! * The schema comes from the SQL files in `store/migrations/`, embedded at build time and applied in
//!   order; `PRAGMA user_version` records how many have run.
//! * Money is decimal text, read back with `rust_decimal`; never a float.
//! * [`Store::open_memory`] keeps everything in an in-memory database (tests, `--memory`).
//! * The engine's record (orders, order lists, trades, fills, balances, id sequences) is committed one
//!   [`Batch`] per group of commands, as one encoded row of the `backlog` table (`store/backlog.rs`),
//!   and written into its tables later, many groups at once: on disk by the settler thread, in
//!   memory by [`Store::settle`], which every read calls first (on disk it waits for the settler).
//! * Market data (`historicalTrades`, `aggTrades`, klines, window tickers) read the trades by id or by
//!   time, streaming rows (`TradeScan`, `store/market_data.rs`).
//! * Prevented matches, amendments and SOR allocations are written with the same [`Batch`] and read by
//!   `myPreventedMatches`, `order/amendments` and `myAllocations` (`store/records.rs`).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use mbx_core::sign::KeyKind;
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;

use crate::error::StoreError;
use crate::keys::{KeyMaterial, Permissions, StoredKey};

mod backlog;
mod client_ids;
mod market_data;
mod records;
mod settler;
mod trading;

pub(crate) use market_data::TradeScan;
pub use records::{AllocationQuery, PreventedQuery};
pub(crate) use trading::IdColumn;
pub use trading::{Batch, History};

/// The migrations, in order. Never edit one that has shipped: add the next file.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init.sql", include_str!("migrations/0001_init.sql")),
    ("0002_trading.sql", include_str!("migrations/0002_trading.sql")),
    ("0003_market_data.sql", include_str!("migrations/0003_market_data.sql")),
    ("0004_order_lists.sql", include_str!("migrations/0004_order_lists.sql")),
    ("0005_client_order_ids.sql", include_str!("migrations/0005_client_order_ids.sql")),
    ("0006_order_strategy.sql", include_str!("migrations/0006_order_strategy.sql")),
    ("0007_amendments_allocations.sql", include_str!("migrations/0007_amendments_allocations.sql")),
    ("0008_order_features.sql", include_str!("migrations/0008_order_features.sql")),
    ("0009_drop_orders_open.sql", include_str!("migrations/0009_drop_orders_open.sql")),
    ("0010_client_order_hashes.sql", include_str!("migrations/0010_client_order_hashes.sql")),
    ("0011_trade_ids_per_symbol.sql", include_str!("migrations/0011_trade_ids_per_symbol.sql")),
    ("0012_aggregate_trade_ids.sql", include_str!("migrations/0012_aggregate_trade_ids.sql")),
    ("0013_backlog.sql", include_str!("migrations/0013_backlog.sql")),
    ("0014_settled.sql", include_str!("migrations/0014_settled.sql")),
];

/// The database file inside a data directory.
pub const DB_FILE: &str = "sandbox.db";

/// The backlog's database file inside a data directory (`store/settler.rs`).
pub const BACKLOG_FILE: &str = "backlog.db";

/// One asset's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// Asset name (Unicode allowed: `这是测试币`).
    pub asset: String,
    /// Available.
    pub free: Decimal,
    /// Held by open orders.
    pub locked: Decimal,
}

/// An account's balances and when they last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSnapshot {
    /// Account id (Binance's `uid`).
    pub account_id: i64,
    /// Balances by asset, in asset order.
    pub balances: Vec<Balance>,
    /// Last change, ms since the epoch.
    pub update_ms: u64,
}

/// The sandbox's SQLite database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// On disk: the backlog's own database ([`BACKLOG_FILE`]), which group commits write; in
    /// memory (`None`) they write the `backlog` table of `conn`.
    backlog: Option<Connection>,
    /// What the backlog holds and the tables do not yet, and what the tables hold: brought up to
    /// date by [`Store::settle`], which every read calls first (reads take `&self`).
    tables: RefCell<Tables>,
    /// The buffer a group's backlog record is encoded into.
    record: Vec<u8>,
}

/// The state of the tables behind the backlog (`store/backlog.rs`).
#[derive(Debug)]
struct Tables {
    /// Groups committed to the backlog and not yet written to the tables (nor handed to the
    /// settler).
    pending: backlog::Pending,
    /// What the tables hold, kept by whoever writes them (the settler thread on disk).
    written: Arc<Mutex<Written>>,
    /// Rows changed by settles on this connection (not by commits): left out of
    /// [`Store::total_changes`].
    settled_changes: u64,
    /// On disk: the thread that writes the tables (`store/settler.rs`).
    settler: Option<settler::Settler>,
    /// The last backlog record the tables hold (synced): it and those before it are deleted from
    /// the backlog with the next commit.
    settled_through: i64,
    /// The last backlog record deleted.
    deleted_through: i64,
}

/// What the tables hold, for the next settle.
#[derive(Debug)]
struct Written {
    /// Client order ids of orders in the tables, written to their own table in batches.
    client_ids: client_ids::ClientIds,
    /// The highest order id in the tables: orders up to it are updated in place, not inserted.
    orders_through: u64,
    /// The value of each sequence as the tables hold it: sequences that did not move since are not
    /// written again.
    sequences_stored: std::collections::BTreeMap<&'static str, u64>,
}

/// How a settle's transaction ends besides writing the tables.
#[derive(Debug, Clone, Copy)]
enum Finish {
    /// It deletes the records of the `backlog` table of the same database up to this one (in
    /// memory, and the records an older sandbox left in `sandbox.db`).
    Delete(i64),
    /// It records this last record of `backlog.db` as settled (`settled`).
    Mark(i64),
}

impl Tables {
    fn new() -> RefCell<Tables> {
        RefCell::new(Tables {
            pending: backlog::Pending::default(),
            written: Arc::new(Mutex::new(Written {
                client_ids: client_ids::ClientIds::unloaded(),
                orders_through: 0,
                sequences_stored: std::collections::BTreeMap::new(),
            })),
            settled_changes: 0,
            settler: None,
            settled_through: 0,
            deleted_through: 0,
        })
    }

    /// What the tables hold (no settle is under way whenever the engine looks).
    fn written(&self) -> std::sync::MutexGuard<'_, Written> {
        self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Store {
    /// Opens (creating if needed) `dir/sandbox.db`, creating `dir` too.
    pub fn open_dir(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Io { path: dir.to_path_buf(), detail: e.to_string() })?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path)?;
        let mut store = Store {
            conn,
            path: Some(path.clone()),
            backlog: None,
            tables: Tables::new(),
            record: Vec::new(),
        };
        store.configure(true)?;
        store.open_backlog(&dir.join(BACKLOG_FILE))?;
        // The settler's own connection: its settles are synced (FULL) before the engine deletes
        // the backlog records they cover.
        let settling = Connection::open(&path)?;
        settling.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        let mut tables = store.tables.borrow_mut();
        let written = tables.written.clone();
        tables.settler = Some(
            settler::Settler::start(settling, written)
                .map_err(|e| StoreError::Io { path: dir.to_path_buf(), detail: e.to_string() })?,
        );
        drop(tables);
        Ok(store)
    }

    /// An in-memory database: nothing survives the process.
    pub fn open_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: None, backlog: None, tables: Tables::new(), record: Vec::new() };
        store.configure(false)?;
        Ok(store)
    }

    /// The database file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What the durable syncer syncs: the backlog's write-ahead log (`backlog.db-wal`) and its
    /// database file (synced instead while the log does not exist yet); `None` in memory.
    pub fn sync_files(&self) -> Option<(PathBuf, PathBuf)> {
        let db = self.path.as_ref()?.with_file_name(BACKLOG_FILE);
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        Some((PathBuf::from(wal), db))
    }

    /// The write-ahead log beside the database file (`sandbox.db-wal`), or `None` in memory.
    pub fn wal_path(&self) -> Option<PathBuf> {
        self.path.as_ref().map(|p| {
            let mut name = p.as_os_str().to_owned();
            name.push("-wal");
            PathBuf::from(name)
        })
    }

    /// Rows changed by this connection's commits since it opened (a commit that wrote anything
    /// changes it; bringing the tables up to date from the backlog does not).
    pub fn total_changes(&self) -> u64 {
        let backlog = self.backlog.as_ref().map_or(0, Connection::total_changes);
        self.conn.total_changes().saturating_sub(self.tables.borrow().settled_changes) + backlog
    }

    /// Hands the syncing of each commit to the caller: `synchronous=NORMAL`, under which a commit
    /// is written to the WAL (safe from a crash of the process) but not synced. The durable engine
    /// then syncs the WAL itself, on another thread, before answering what was committed
    /// (`engine/durable.rs`): one sync covers every commit written before it, and the engine goes on
    /// with the next group meanwhile. Checkpoints still sync as under `FULL`. On disk the commits
    /// write the backlog's own file, whose log is the one synced; `sandbox.db` keeps syncing its
    /// own writes (accounts, keys), which are few.
    pub fn defer_sync(&mut self) -> Result<(), StoreError> {
        match &self.backlog {
            Some(b) => b.execute_batch("PRAGMA synchronous=NORMAL;")?,
            None => self.conn.execute_batch("PRAGMA synchronous=NORMAL;")?,
        }
        Ok(())
    }

    fn configure(&mut self, on_disk: bool) -> Result<(), StoreError> {
        if on_disk {
            wal(&self.conn)?;
        }
        self.conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        self.migrate()?;
        let client_ids = client_ids::ClientIds::load(&mut self.conn)?;
        let orders_through = self.max_id(IdColumn::Order)?;
        {
            let tables = self.tables.borrow_mut();
            let mut w = tables.written();
            w.client_ids = client_ids;
            w.orders_through = orders_through;
        }
        // What a crash left in the backlog goes to the tables before anything reads them.
        self.replay()?;
        Ok(())
    }

    /// Applies the migrations not yet applied, each in its own transaction.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let applied: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let applied = usize::try_from(applied).unwrap_or(0);
        if applied > MIGRATIONS.len() {
            return Err(StoreError::Corrupt {
                what: "schema version",
                detail: format!(
                    "the database is at version {applied}, newer than this sandbox ({})",
                    MIGRATIONS.len()
                ),
            });
        }
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql).map_err(|e| StoreError::Migration { name, detail: e.to_string() })?;
            tx.pragma_update(None, "user_version", i64::try_from(i + 1).unwrap_or(i64::MAX))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Creates the account with these opening balances unless it exists; returns whether it was
    /// created. An existing account keeps its balances.
    pub(crate) fn ensure_account(
        &mut self,
        id: i64,
        name: &str,
        balances: &[(&str, Decimal)],
        now_ms: u64,
    ) -> Result<bool, StoreError> {
        self.settle()?;
        let tx = self.conn.transaction()?;
        let now = ms_to_sql(now_ms);
        let created = tx.execute(
            "INSERT OR IGNORE INTO accounts (id, name, created_ms, update_ms) VALUES (?1, ?2, ?3, ?3)",
            params![id, name, now],
        )? == 1;
        if created {
            let mut stmt = tx
                .prepare("INSERT INTO balances (account_id, asset, free, locked) VALUES (?1, ?2, ?3, '0')")?;
            for (asset, free) in balances {
                stmt.execute(params![id, asset, free.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(created)
    }

    /// Gives `account_id` each of these balances it has no row for yet (an asset a new symbol brings
    /// in); existing balances are left alone.
    pub(crate) fn add_missing_balances(
        &mut self,
        account_id: i64,
        balances: &[(&str, Decimal)],
    ) -> Result<(), StoreError> {
        self.settle()?;
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT OR IGNORE INTO balances (account_id, asset, free, locked) VALUES (?1, ?2, ?3, '0')",
            )?;
            for (asset, free) in balances {
                stmt.execute(params![account_id, asset, free.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Stores a key unless one with the same text exists; returns whether it was inserted.
    pub(crate) fn insert_key(&mut self, key: &StoredKey, now_ms: u64) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO api_keys (api_key, account_id, kind, material, permissions, created_ms, revoked)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                key.api_key,
                key.account_id,
                key.material.kind().as_str(),
                key.material.stored_text(),
                key.permissions.to_string(),
                ms_to_sql(now_ms),
                key.revoked,
            ],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Every stored key, revoked ones included.
    pub(crate) fn keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        let mut stmt = self.read()?.prepare(
            "SELECT api_key, account_id, kind, material, permissions, revoked FROM api_keys ORDER BY created_ms, api_key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?;
        let mut keys = Vec::new();
        for row in rows {
            let (api_key, account_id, kind, material, permissions, revoked) = row?;
            let material = match kind.as_str() {
                "hmac" => KeyMaterial::Hmac { secret: material },
                "ed25519" => KeyMaterial::Public { kind: KeyKind::Ed25519, pem: material },
                "rsa" => KeyMaterial::Public { kind: KeyKind::Rsa, pem: material },
                other => {
                    return Err(StoreError::Corrupt { what: "api_keys.kind", detail: other.to_owned() });
                }
            };
            let permissions = Permissions::parse(permissions.split(','))
                .map_err(|p| StoreError::Corrupt { what: "api_keys.permissions", detail: p })?;
            keys.push(StoredKey { api_key, account_id, material, permissions, revoked });
        }
        Ok(keys)
    }

    /// An account's balances, or `None` for an unknown account.
    pub fn account(&self, account_id: i64) -> Result<Option<AccountSnapshot>, StoreError> {
        let update: Option<i64> = self
            .read()?
            .query_row("SELECT update_ms FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))
            .optional()?;
        let Some(update) = update else { return Ok(None) };
        let mut stmt = self.read()?.prepare_cached(
            "SELECT asset, free, locked FROM balances WHERE account_id = ?1 ORDER BY asset",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut balances = Vec::new();
        for row in rows {
            let (asset, free, locked) = row?;
            balances.push(Balance {
                free: decimal(&free, "balances.free")?,
                locked: decimal(&locked, "balances.locked")?,
                asset,
            });
        }
        Ok(Some(AccountSnapshot { account_id, balances, update_ms: u64::try_from(update).unwrap_or(0) }))
    }
}

#[cfg(test)]
impl Store {
    /// Makes every later commit fail (its backlog record cannot be written: to test a failed
    /// commit); reads still work.
    pub(crate) fn fail_commits(&self) {
        self.backlog
            .as_ref()
            .unwrap_or(&self.conn)
            .execute_batch(
                "CREATE TEMP TRIGGER fail_commits BEFORE INSERT ON backlog \
                 BEGIN SELECT RAISE(ABORT, 'commits fail in this test'); END;",
            )
            .unwrap();
    }
}

/// The first id of an account created through the admin API: ids below are the sandbox's own (the
/// demo account, the market maker), so turning the market maker on later never takes a client's
/// account.
pub const FIRST_CREATED_ACCOUNT_ID: i64 = 100;

/// Accounts and keys changed through the admin API.
impl Store {
    /// Creates an account with no balances, named `name` or `account-<id>`; returns its id, or
    /// `None` when the name is taken.
    pub(crate) fn create_account(
        &mut self,
        name: Option<&str>,
        now_ms: u64,
    ) -> Result<Option<i64>, StoreError> {
        let tx = self.conn.transaction()?;
        let id: i64 = tx.query_row(
            "SELECT MAX(COALESCE(MAX(id), 0) + 1, ?1) FROM accounts",
            [FIRST_CREATED_ACCOUNT_ID],
            |r| r.get(0),
        )?;
        let name = name.map_or_else(|| format!("account-{id}"), str::to_owned);
        let now = ms_to_sql(now_ms);
        let created = tx.execute(
            "INSERT OR IGNORE INTO accounts (id, name, created_ms, update_ms) VALUES (?1, ?2, ?3, ?3)",
            params![id, name, now],
        )? == 1;
        tx.commit()?;
        Ok(created.then_some(id))
    }

    /// Whether account `id` exists.
    pub(crate) fn account_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM accounts WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Changes the permissions of a usable key; `false` when there is none by that API key.
    pub(crate) fn set_key_permissions(
        &mut self,
        api_key: &str,
        permissions: crate::keys::Permissions,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE api_keys SET permissions = ?2 WHERE api_key = ?1 AND revoked = 0",
            params![api_key, permissions.to_string()],
        )?;
        Ok(n == 1)
    }

    /// Marks a key revoked; returns false when no key that is not yet revoked has this text.
    pub(crate) fn revoke_key(&mut self, api_key: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute("UPDATE api_keys SET revoked = 1 WHERE api_key = ?1 AND revoked = 0", [api_key])?;
        Ok(n == 1)
    }
}

impl Drop for Store {
    /// A store closed in order leaves its backlog empty (a crash leaves it to the next open).
    fn drop(&mut self) {
        if let Err(e) = self.settle() {
            tracing::warn!(target: "mbx_sandbox::store", error = %e, "writing the backlog to the tables at close failed; the next open does it");
        }
        // The settler's last settle is done: the thread ends, and the records it settled leave
        // the backlog.
        let settler = self.tables.borrow_mut().settler.take();
        drop(settler);
        if let Err(e) = self.delete_settled() {
            tracing::warn!(target: "mbx_sandbox::store", error = %e, "clearing the backlog at close failed; the next open does it");
        }
    }
}

/// Puts `conn`'s database in WAL mode, or says why it cannot be.
fn wal(conn: &Connection) -> Result<(), StoreError> {
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt { what: "journal_mode", detail: format!("got {mode}, need wal") });
    }
    Ok(())
}

fn decimal(text: &str, what: &'static str) -> Result<Decimal, StoreError> {
    Decimal::from_str(text).map_err(|e| StoreError::Corrupt { what, detail: format!("{text:?}: {e}") })
}

fn ms_to_sql(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// A data directory for one test, named `name` and the process's id, emptied of an earlier run's.
#[cfg(test)]
pub(crate) fn fresh_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Orders read back as written, whether written with the plain statements (most orders) or the
    /// full ones, and a plain order that later gains a feature (a prevented match) keeps it.
    #[test]
    fn orders_round_trip_through_the_plain_and_the_full_statements() {
        use crate::engine::order::{Iceberg, Order};
        use mbx_core::model::OrderStatus;
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "one", &[], 0).unwrap();
        let commit = |s: &mut Store, orders: &[&Order]| {
            let batch = Batch {
                orders: orders.iter().map(|o| (o.order_id, Box::new((*o).clone()))).collect(),
                ..Batch::default()
            };
            s.commit(batch).unwrap();
        };
        let read = |s: &Store, id: u64| s.find_order(1, "BTCUSDT", Some(id), None).unwrap().unwrap();
        let mut plain = Order::sample(1, "plain", OrderStatus::New);
        plain.book_seq = Some(7);
        let mut full = Order::sample(2, "full", OrderStatus::New);
        full.stop_price = Some(Decimal::TWO);
        full.strategy_id = Some(9);
        full.strategy_type = Some(1_000_000);
        full.iceberg = Some(Iceberg { qty: Decimal::new(5, 1), shown: Decimal::new(5, 1) });
        commit(&mut s, &[&plain, &full]);
        assert_eq!(read(&s, 1), plain);
        assert_eq!(read(&s, 2), full);
        // A cancel (plain update), an iceberg's slice (full update), a prevented match on a plain
        // order (full update: its columns were left NULL).
        plain.status = OrderStatus::Canceled;
        plain.locked = Decimal::ZERO;
        plain.book_seq = None;
        plain.update_ms = 5;
        if let Some(i) = full.iceberg.as_mut() {
            i.shown = Decimal::new(2, 1);
        }
        full.executed_qty = Decimal::new(3, 1);
        commit(&mut s, &[&plain, &full]);
        assert_eq!(read(&s, 1), plain);
        assert_eq!(read(&s, 2), full);
        let mut third = Order::sample(3, "third", OrderStatus::New);
        commit(&mut s, &[&third]);
        third.prevented_match_id = Some(4);
        third.prevented_qty = Some(Decimal::ONE);
        third.status = OrderStatus::Expired;
        commit(&mut s, &[&third]);
        assert_eq!(read(&s, 3), third);
    }

    /// The records in the backlog the commits write (`backlog.db` on disk).
    fn backlog_rows(s: &Store) -> i64 {
        s.backlog
            .as_ref()
            .unwrap_or(&s.conn)
            .query_row("SELECT count(*) FROM backlog", [], |r| r.get(0))
            .unwrap()
    }

    fn orders_batch(orders: &[crate::engine::order::Order]) -> Batch {
        Batch {
            orders: orders.iter().map(|o| (o.order_id, Box::new(o.clone()))).collect(),
            ..Batch::default()
        }
    }

    /// A commit is a backlog record until something reads the tables: the read finds it there, and
    /// an order placed and cancelled in between is written once, in its last state.
    #[test]
    fn reads_see_every_commit_still_in_the_backlog() {
        use crate::engine::order::Order;
        use mbx_core::model::OrderStatus;
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "one", &[("USDT", Decimal::TEN)], 0).unwrap();
        let placed = Order::sample(1, "a", OrderStatus::New);
        let mut cancelled = placed.clone();
        cancelled.status = OrderStatus::Canceled;
        s.commit(orders_batch(&[placed])).unwrap();
        let mut moved = orders_batch(&[cancelled.clone()]);
        moved.balances.insert((1, "USDT".into()), (Decimal::ONE, Decimal::ZERO));
        moved.accounts.insert(1, 9);
        s.commit(moved).unwrap();
        assert_eq!(backlog_rows(&s), 2, "both commits are backlog records");
        let before = s.total_changes();
        let found = s.find_order(1, "BTCUSDT", None, Some("a")).unwrap();
        assert_eq!(found, Some(cancelled));
        assert_eq!(backlog_rows(&s), 0, "the read wrote them to the tables");
        assert_eq!(s.total_changes(), before, "writing the tables is not a commit");
        let account = s.account(1).unwrap().unwrap();
        assert_eq!((account.balances[0].free, account.update_ms), (Decimal::ONE, 9));
    }

    /// What the backlog holds when the process dies (no close, as after kill -9) is in the tables
    /// at the next open.
    #[test]
    fn backlog_records_left_by_a_crash_are_replayed_at_open() {
        use crate::engine::order::Order;
        use mbx_core::model::OrderStatus;
        let dir = super::fresh_dir("mbx-sandbox-backlog");
        let mut s = Store::open_dir(&dir).unwrap();
        s.ensure_account(1, "one", &[], 0).unwrap();
        s.commit(orders_batch(&[Order::sample(1, "a", OrderStatus::New)])).unwrap();
        s.commit(orders_batch(&[Order::sample(2, "b", OrderStatus::New)])).unwrap();
        assert_eq!(backlog_rows(&s), 2);
        std::mem::forget(s);
        let mut s = Store::open_dir(&dir).unwrap();
        assert_eq!(backlog_rows(&s), 0, "replayed and written to the tables at open");
        let open: Vec<u64> = s.open_orders().unwrap().iter().map(|o| o.order_id).collect();
        assert_eq!(open, [1, 2]);
        // A record the settler wrote to the tables, and the process dies before the engine
        // deleted it from the backlog: at the next open it is not applied twice.
        s.commit(orders_batch(&[Order::sample(3, "c", OrderStatus::New)])).unwrap();
        s.settle().unwrap();
        assert_eq!(backlog_rows(&s), 1, "settled, not yet deleted");
        let mut cancelled = Order::sample(1, "a", OrderStatus::Canceled);
        cancelled.update_ms += 1;
        s.commit(orders_batch(&[cancelled])).unwrap();
        std::mem::forget(s);
        let s = Store::open_dir(&dir).unwrap();
        assert_eq!(backlog_rows(&s), 0);
        let open: Vec<u64> = s.open_orders().unwrap().iter().map(|o| o.order_id).collect();
        assert_eq!(open, [2, 3], "the later record applied after the settled one");
        drop(s);
        // A removed backlog file starts again from record 1, none of it taken as settled.
        std::fs::remove_file(dir.join(BACKLOG_FILE)).unwrap();
        let mut s = Store::open_dir(&dir).unwrap();
        s.commit(orders_batch(&[Order::sample(4, "d", OrderStatus::New)])).unwrap();
        std::mem::forget(s);
        let s = Store::open_dir(&dir).unwrap();
        let open: Vec<u64> = s.open_orders().unwrap().iter().map(|o| o.order_id).collect();
        assert_eq!(open, [2, 3, 4]);
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A backlog record this sandbox cannot read stops the open with the reason, rather than
    /// losing or guessing it.
    #[test]
    fn an_unreadable_backlog_record_is_refused_at_open() {
        let dir = super::fresh_dir("mbx-sandbox-backlog-bad");
        let s = Store::open_dir(&dir).unwrap();
        s.conn.execute("INSERT INTO backlog (body) VALUES (x'09')", []).unwrap();
        std::mem::forget(s);
        let err = Store::open_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("unreadable backlog: record format 9"), "{err}");
        // The same in backlog.db, which the group commits write.
        let _ = std::fs::remove_dir_all(&dir);
        let s = Store::open_dir(&dir).unwrap();
        s.backlog.as_ref().unwrap().execute("INSERT INTO backlog (body) VALUES (x'09')", []).unwrap();
        std::mem::forget(s);
        let err = Store::open_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("unreadable backlog: record format 9"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// On disk too, where the settler's thread writes the tables: a failed settle gives its
    /// records back, and a later read writes them with those committed since.
    #[test]
    fn a_failed_settle_on_the_settler_keeps_the_records() {
        use crate::engine::order::Order;
        use mbx_core::model::OrderStatus;
        let dir = super::fresh_dir("mbx-sandbox-settle-fails");
        let mut s = Store::open_dir(&dir).unwrap();
        s.ensure_account(1, "one", &[], 0).unwrap();
        // (A trigger of the file, not TEMP: the settler writes through a connection of its own.)
        s.conn
            .execute_batch(
                "CREATE TRIGGER no_orders BEFORE INSERT ON orders \
                 BEGIN SELECT RAISE(ABORT, 'orders cannot be written'); END;",
            )
            .unwrap();
        s.commit(orders_batch(&[Order::sample(1, "a", OrderStatus::New)])).unwrap();
        let err = s.open_orders().unwrap_err();
        assert!(err.to_string().contains("orders cannot be written"), "{err}");
        s.commit(orders_batch(&[Order::sample(2, "b", OrderStatus::New)])).unwrap();
        assert_eq!(backlog_rows(&s), 2);
        s.conn.execute_batch("DROP TRIGGER no_orders").unwrap();
        assert_eq!(s.open_orders().unwrap().len(), 2);
        // The next commit deletes what the settle covered.
        s.commit(orders_batch(&[Order::sample(3, "c", OrderStatus::New)])).unwrap();
        assert_eq!(backlog_rows(&s), 1);
        drop(s);
        let s = Store::open_dir(&dir).unwrap();
        assert_eq!(
            (backlog_rows(&s), s.open_orders().unwrap().len()),
            (0, 3),
            "closed in order: all settled"
        );
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// When writing the tables fails, the records stay in the backlog and in memory: the read says
    /// why, and a later one writes them.
    #[test]
    fn a_failed_settle_keeps_the_records_for_the_next_read() {
        use crate::engine::order::Order;
        use mbx_core::model::OrderStatus;
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "one", &[], 0).unwrap();
        s.conn
            .execute_batch(
                "CREATE TEMP TRIGGER no_orders BEFORE INSERT ON orders \
                 BEGIN SELECT RAISE(ABORT, 'orders cannot be written'); END;",
            )
            .unwrap();
        s.commit(orders_batch(&[Order::sample(1, "a", OrderStatus::New)])).unwrap();
        let err = s.open_orders().unwrap_err();
        assert!(err.to_string().contains("orders cannot be written"), "{err}");
        assert_eq!(backlog_rows(&s), 1);
        s.conn.execute_batch("DROP TRIGGER no_orders").unwrap();
        assert_eq!(s.open_orders().unwrap().len(), 1);
        assert_eq!(backlog_rows(&s), 0);
    }

    #[test]
    fn store_memory_account_seeded_once() {
        let mut s = Store::open_memory().unwrap();
        let bal = [("USDT", Decimal::new(10_000, 0)), ("这是测试币", Decimal::new(15, 1))];
        assert!(s.ensure_account(1, "demo", &bal, 5).unwrap());
        assert!(!s.ensure_account(1, "demo", &[("BTC", Decimal::ONE)], 6).unwrap());
        let snap = s.account(1).unwrap().unwrap();
        assert_eq!(snap.balances.len(), 2);
        assert_eq!(snap.balances[1].asset, "这是测试币");
        assert_eq!(snap.balances[1].free.to_string(), "1.5");
        assert!(s.account(2).unwrap().is_none());
    }

    #[test]
    fn store_on_disk_uses_wal_full_sync_and_all_migrations() {
        let dir = super::fresh_dir("mbx-sandbox-store");
        let s = Store::open_dir(&dir).unwrap();
        let mode: String = s.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let sync: i64 = s.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        let version: i64 = s.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), sync, version), ("wal", 2, MIGRATIONS.len() as i64), "2 is FULL");
        assert_eq!(s.path(), Some(dir.join(DB_FILE).as_path()));
        drop(s);
        // Reopening applies nothing twice.
        drop(Store::open_dir(&dir).unwrap());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn store_key_roundtrip() {
        let mut s = Store::open_memory().unwrap();
        s.ensure_account(1, "demo", &[], 0).unwrap();
        let key = StoredKey {
            api_key: "k".repeat(64),
            account_id: 1,
            material: KeyMaterial::Hmac { secret: "s".into() },
            permissions: Permissions { trade: true, ..Permissions::default() },
            revoked: false,
        };
        assert!(s.insert_key(&key, 1).unwrap());
        assert!(!s.insert_key(&key, 2).unwrap());
        assert_eq!(s.keys().unwrap(), vec![key]);
    }
}
