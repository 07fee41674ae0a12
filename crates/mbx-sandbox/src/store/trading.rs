//! Orders, trades, fills, balances and id sequences: the engine's record.
//!
//! The engine commits everything a group of commands changed as one [`Batch`], one backlog record
//! in one transaction ([`Store::commit`]); it answers the requests only after that commits. The
//! tables get the batches later ([`Store::settle`], before any read of them). At start it reads the open
//! orders, balances and sequences back ([`Store::open_orders`], [`Store::all_balances`],
//! [`Store::sequence`]).

use std::collections::BTreeMap;
use std::str::FromStr;

use mbx_core::WireValue;
use mbx_core::model::{OrderStatus, OrderType, PegPriceType, SelfTradePreventionMode, Side, TimeInForce};
use rusqlite::{Connection, OptionalExtension, Row, Statement, params};
use rust_decimal::Decimal;

use super::records::write_records;
use super::{Balance, Store, decimal, ms_to_sql};
use crate::engine::order::{Iceberg, Order, Peg, Trailing};
use crate::engine::order_list::{ContingencyType, ListStatus, OrderList};
use crate::engine::records::{Amendment, PreventedMatch};
use crate::engine::trade::{Fill, Trade};
use crate::error::StoreError;
use crate::write::decimal::PlainText;

/// The transaction of one group commit. `BEGIN` and `COMMIT` are cached statements, so they are
/// not parsed again for every group as `Connection::transaction` would (a tenth of the engine's
/// time under order load); dropped without [`Group::commit`], it rolls back.
struct Group<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> Group<'c> {
    fn begin(conn: &'c Connection) -> rusqlite::Result<Group<'c>> {
        conn.prepare_cached("BEGIN")?.execute([])?;
        Ok(Group { conn, open: true })
    }

    fn commit(mut self) -> rusqlite::Result<()> {
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        self.open = false;
        Ok(())
    }
}

impl std::ops::Deref for Group<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Group<'_> {
    fn drop(&mut self) {
        if self.open {
            // A failed COMMIT or an error part-way: nothing of the group stays.
            let _ = self.conn.prepare_cached("ROLLBACK").and_then(|mut s| s.execute([]));
        }
    }
}

/// Everything one engine command changed.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Orders created or changed, by id (the last state of each). Boxed: an order is several
    /// hundred bytes, and each goes through two maps (the group's, then the backlog's) on its way
    /// to the tables; a pointer moves instead.
    pub orders: BTreeMap<u64, Box<Order>>,
    /// New trades.
    pub trades: Vec<Trade>,
    /// Both sides of the new trades.
    pub fills: Vec<Fill>,
    /// Balances changed: (account, asset) -> (free, locked).
    pub balances: BTreeMap<(i64, String), (Decimal, Decimal)>,
    /// Sequences advanced: name -> next value.
    pub sequences: BTreeMap<&'static str, u64>,
    /// Order lists created or changed, by id (the last state of each).
    pub order_lists: BTreeMap<u64, OrderList>,
    /// Accounts whose balances changed -> when (their `updateTime`).
    pub accounts: BTreeMap<i64, u64>,
    /// New prevented matches (self-trade prevention).
    pub prevented_matches: Vec<PreventedMatch>,
    /// New order amendments.
    pub amendments: Vec<Amendment>,
}

impl Batch {
    /// True when nothing changed.
    pub(crate) fn is_empty(&self) -> bool {
        self.orders.is_empty()
            && self.trades.is_empty()
            && self.balances.is_empty()
            && self.order_lists.is_empty()
            && self.prevented_matches.is_empty()
            && self.amendments.is_empty()
    }

    /// Adds the changes of a `later` command, so that both commit in one transaction (group
    /// commit): the last state of each order, balance and sequence wins; trades and fills append.
    pub(crate) fn absorb(&mut self, later: Batch) {
        // Destructured so that a new field cannot be forgotten here.
        let Batch {
            orders,
            trades,
            fills,
            balances,
            sequences,
            order_lists,
            accounts,
            prevented_matches,
            amendments,
        } = later;
        self.orders.extend(orders);
        self.trades.extend(trades);
        self.fills.extend(fills);
        self.balances.extend(balances);
        self.sequences.extend(sequences);
        self.order_lists.extend(order_lists);
        self.accounts.extend(accounts);
        self.prevented_matches.extend(prevented_matches);
        self.amendments.extend(amendments);
    }
}

/// Which orders or fills a history query wants (`allOrders`, `myTrades`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Only rows of this order (`myTrades` with `orderId`).
    pub order_id: Option<u64>,
    /// Rows with ids at or above this, oldest first; otherwise the most recent.
    pub from_id: Option<u64>,
    /// Rows at or after this time (ms).
    pub start_ms: Option<u64>,
    /// Rows at or before this time (ms).
    pub end_ms: Option<u64>,
    /// At most this many rows.
    pub limit: u32,
}

/// The columns of `orders`, as a literal (the statements of the commit are `concat!`ed once, not
/// formatted per row).
macro_rules! order_columns {
    () => {
        "order_id, account_id, symbol, client_order_id, side, type, time_in_force, price, \
         orig_qty, executed_qty, cumm_quote_qty, orig_quote_order_qty, stop_price, status, stp_mode, locked, \
         time_ms, update_ms, working_time, book_seq, prevented_match_id, prevented_qty, order_list_id, \
         strategy_id, strategy_type, used_sor, iceberg_qty, iceberg_shown, trailing_delta, \
         trailing_time, trailing_best, peg_price_type, peg_offset_value, pegged_price"
    };
}

macro_rules! fill_columns {
    () => {
        "trade_id, is_buyer, account_id, order_id, symbol, price, qty, quote_qty, \
         commission, commission_asset, is_maker, time_ms, order_list_id"
    };
}

macro_rules! trade_columns {
    () => {
        "trade_id, symbol, price, qty, quote_qty, time_ms, buyer_order_id, seller_order_id, is_buyer_maker, agg_id"
    };
}

const ORDER_COLUMNS: &str = order_columns!();

const FILL_COLUMNS: &str = fill_columns!();

pub(super) const TRADE_COLUMNS: &str = trade_columns!();

pub(super) fn id_to_sql(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

pub(super) fn id_from_sql(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

/// A column that failed to read, as a rusqlite error (so row mappers can use `?`).
fn bad_column(index: usize, detail: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, detail.into())
}

pub(super) fn dec_col(row: &Row<'_>, index: usize) -> rusqlite::Result<Decimal> {
    let text: String = row.get(index)?;
    Decimal::from_str(&text).map_err(|e| bad_column(index, format!("{text:?}: {e}")))
}

pub(super) fn enum_col<T>(row: &Row<'_>, index: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| bad_column(index, format!("unknown value {text:?}")))
}

fn order_from_row(row: &Row<'_>) -> rusqlite::Result<Order> {
    let mut order = order_base_from_row(row)?;
    read_features(row, &mut order)?;
    Ok(order)
}

/// An order's columns before migration 0008.
fn order_base_from_row(row: &Row<'_>) -> rusqlite::Result<Order> {
    Ok(Order {
        order_id: id_from_sql(row.get(0)?),
        account_id: row.get(1)?,
        symbol: row.get(2)?,
        client_order_id: row.get(3)?,
        side: enum_col(row, 4, Side::parse_known)?,
        order_type: enum_col(row, 5, OrderType::parse_known)?,
        time_in_force: enum_col(row, 6, TimeInForce::parse_known)?,
        price: dec_col(row, 7)?,
        orig_qty: dec_col(row, 8)?,
        executed_qty: dec_col(row, 9)?,
        cumm_quote_qty: dec_col(row, 10)?,
        orig_quote_order_qty: dec_col(row, 11)?,
        stop_price: match row.get::<_, Option<String>>(12)? {
            None => None,
            Some(_) => Some(dec_col(row, 12)?),
        },
        status: enum_col(row, 13, OrderStatus::parse_known)?,
        stp_mode: enum_col(row, 14, SelfTradePreventionMode::parse_known)?,
        locked: dec_col(row, 15)?,
        time_ms: id_from_sql(row.get(16)?),
        update_ms: id_from_sql(row.get(17)?),
        working_time: row.get(18)?,
        book_seq: row.get::<_, Option<i64>>(19)?.map(id_from_sql),
        prevented_match_id: row.get::<_, Option<i64>>(20)?.map(id_from_sql),
        prevented_qty: match row.get::<_, Option<String>>(21)? {
            None => None,
            Some(_) => Some(dec_col(row, 21)?),
        },
        order_list_id: row.get::<_, Option<i64>>(22)?.map(id_from_sql),
        strategy_id: row.get::<_, Option<i64>>(23)?.map(id_from_sql),
        strategy_type: row.get(24)?,
        used_sor: row.get(25)?,
        iceberg: None,
        trailing: None,
        peg: None,
        list_expiry_reason: None,
    })
}

fn opt_dec_col(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Decimal>> {
    match row.get::<_, Option<String>>(index)? {
        None => Ok(None),
        Some(_) => dec_col(row, index).map(Some),
    }
}

/// An order's iceberg, trailing and peg state (columns 26 to 33, migration 0008); for a pegged
/// order the stored price is the one it was sent with, and it works at its pegged price.
fn read_features(row: &Row<'_>, order: &mut Order) -> rusqlite::Result<()> {
    let sent_price = order.price;
    let pegged_price = opt_dec_col(row, 33)?;
    let peg = match row.get::<_, Option<String>>(31)? {
        None => None,
        Some(_) => Some(Peg {
            price_type: enum_col(row, 31, PegPriceType::parse_known)?,
            offset: row.get::<_, Option<i64>>(32)?.and_then(|v| u32::try_from(v).ok()),
            sent_price,
            pegged_price,
        }),
    };
    if let Some(p) = pegged_price.filter(|_| peg.is_some()) {
        order.price = p;
    }
    order.peg = peg;
    order.iceberg = match opt_dec_col(row, 26)? {
        None => None,
        Some(qty) => Some(Iceberg { qty, shown: opt_dec_col(row, 27)?.unwrap_or(Decimal::ZERO) }),
    };
    order.trailing = match row.get::<_, Option<i64>>(28)? {
        None => None,
        Some(delta) => Some(Trailing {
            delta: u64::try_from(delta).unwrap_or(0),
            time: row.get::<_, Option<i64>>(29)?.unwrap_or(-1),
            best: opt_dec_col(row, 30)?,
        }),
    };
    Ok(())
}

fn fill_from_row(row: &Row<'_>) -> rusqlite::Result<Fill> {
    Ok(Fill {
        trade_id: id_from_sql(row.get(0)?),
        is_buyer: row.get(1)?,
        account_id: row.get(2)?,
        order_id: id_from_sql(row.get(3)?),
        symbol: row.get(4)?,
        price: dec_col(row, 5)?,
        qty: dec_col(row, 6)?,
        quote_qty: dec_col(row, 7)?,
        commission: dec_col(row, 8)?,
        commission_asset: row.get(9)?,
        is_maker: row.get(10)?,
        time_ms: id_from_sql(row.get(11)?),
        order_list_id: row.get::<_, Option<i64>>(12)?.map(id_from_sql),
        alloc_id: None,
    })
}

pub(super) fn trade_from_row(row: &Row<'_>) -> rusqlite::Result<Trade> {
    Ok(Trade {
        trade_id: id_from_sql(row.get(0)?),
        symbol: row.get(1)?,
        price: dec_col(row, 2)?,
        qty: dec_col(row, 3)?,
        quote_qty: dec_col(row, 4)?,
        time_ms: id_from_sql(row.get(5)?),
        buyer_order_id: id_from_sql(row.get(6)?),
        seller_order_id: id_from_sql(row.get(7)?),
        is_buyer_maker: row.get(8)?,
        agg_id: id_from_sql(row.get(9)?),
    })
}

/// A read failure of a stored row: the database holds something this sandbox cannot read.
pub(super) fn corrupt(what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, detail) => {
            StoreError::Corrupt { what, detail: detail.to_string() }
        }
        other => StoreError::Sqlite(other),
    }
}

/// The columns every order fills, in the order [`bind_plain`] binds them (`?1` to `?19`).
macro_rules! plain_order_columns {
    () => {
        "order_id, account_id, symbol, client_order_id, side, type, time_in_force, price, orig_qty, \
         executed_qty, cumm_quote_qty, orig_quote_order_qty, status, stp_mode, locked, time_ms, update_ms, \
         working_time, book_seq"
    };
}

/// What an upsert of an order overwrites of a row that exists, among the columns every order fills.
macro_rules! plain_order_upsert {
    () => {
        "ON CONFLICT(order_id) DO UPDATE SET \
         orig_qty = excluded.orig_qty, executed_qty = excluded.executed_qty, \
         cumm_quote_qty = excluded.cumm_quote_qty, status = excluded.status, locked = excluded.locked, \
         update_ms = excluded.update_ms, working_time = excluded.working_time, book_seq = excluded.book_seq"
    };
}

/// Inserts an order (or, should its id exist, overwrites what can change): the plain columns
/// (`?1` to `?19`, [`bind_plain`]), then the features' (`?20` to `?34`, [`write_order`]).
const INSERT_ORDER: &str = concat!(
    "INSERT INTO orders (",
    plain_order_columns!(),
    ", stop_price, prevented_match_id, prevented_qty, order_list_id, strategy_id, strategy_type, used_sor, \
     iceberg_qty, iceberg_shown, trailing_delta, trailing_time, trailing_best, peg_price_type, \
     peg_offset_value, pegged_price) VALUES \
     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, \
     ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34) ",
    plain_order_upsert!(),
    ", prevented_match_id = excluded.prevented_match_id, \
     prevented_qty = excluded.prevented_qty, iceberg_shown = excluded.iceberg_shown, \
     trailing_time = excluded.trailing_time, trailing_best = excluded.trailing_best, \
     pegged_price = excluded.pegged_price"
);

/// [`INSERT_ORDER`] for a plain order ([`is_plain`]): the columns it leaves out are NULL (`used_sor`
/// 0). Most orders are plain; 15 values fewer to bind and store.
const INSERT_PLAIN_ORDER: &str = concat!(
    "INSERT INTO orders (",
    plain_order_columns!(),
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ",
    plain_order_upsert!()
);

/// Whether `o` has none of the features whose columns [`INSERT_PLAIN_ORDER`] leaves out: no stop
/// price, list, strategy, SOR, iceberg, trailing stop, peg or prevented match.
fn is_plain(o: &Order) -> bool {
    o.stop_price.is_none()
        && o.order_list_id.is_none()
        && o.strategy_id.is_none()
        && o.strategy_type.is_none()
        && !o.used_sor
        && o.iceberg.is_none()
        && o.trailing.is_none()
        && o.peg.is_none()
        && o.prevented_match_id.is_none()
        && o.prevented_qty.is_none()
}

/// Binds `?1` to `?19` of [`INSERT_ORDER`] and [`INSERT_PLAIN_ORDER`] ([`plain_order_columns`]).
fn bind_plain(stmt: &mut Statement<'_>, o: &Order) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(1, id_to_sql(o.order_id))?;
    stmt.raw_bind_parameter(2, o.account_id)?;
    stmt.raw_bind_parameter(3, &o.symbol)?;
    stmt.raw_bind_parameter(4, &o.client_order_id)?;
    stmt.raw_bind_parameter(5, o.side.wire())?;
    stmt.raw_bind_parameter(6, o.order_type.wire())?;
    stmt.raw_bind_parameter(7, o.time_in_force.wire())?;
    stmt.raw_bind_parameter(8, PlainText::new(o.shown_price()))?;
    stmt.raw_bind_parameter(9, PlainText::new(o.orig_qty))?;
    stmt.raw_bind_parameter(10, PlainText::new(o.executed_qty))?;
    stmt.raw_bind_parameter(11, PlainText::new(o.cumm_quote_qty))?;
    stmt.raw_bind_parameter(12, PlainText::new(o.orig_quote_order_qty))?;
    stmt.raw_bind_parameter(13, o.status.wire())?;
    stmt.raw_bind_parameter(14, o.stp_mode.wire())?;
    stmt.raw_bind_parameter(15, PlainText::new(o.locked))?;
    stmt.raw_bind_parameter(16, ms_to_sql(o.time_ms))?;
    stmt.raw_bind_parameter(17, ms_to_sql(o.update_ms))?;
    stmt.raw_bind_parameter(18, o.working_time)?;
    stmt.raw_bind_parameter(19, o.book_seq.map(id_to_sql))
}

/// Writes an order with [`INSERT_ORDER`] prepared (once per commit, not once per order: a cached
/// statement is found by hashing its SQL text), or with [`INSERT_PLAIN_ORDER`] when `plain`.
fn write_order(stmt: &mut Statement<'_>, o: &Order, plain: bool) -> rusqlite::Result<()> {
    bind_plain(stmt, o)?;
    if !plain {
        stmt.raw_bind_parameter(20, o.stop_price.map(PlainText::new))?;
        stmt.raw_bind_parameter(21, o.prevented_match_id.map(id_to_sql))?;
        stmt.raw_bind_parameter(22, o.prevented_qty.map(PlainText::new))?;
        stmt.raw_bind_parameter(23, o.order_list_id.map(id_to_sql))?;
        stmt.raw_bind_parameter(24, o.strategy_id.map(id_to_sql))?;
        stmt.raw_bind_parameter(25, o.strategy_type)?;
        stmt.raw_bind_parameter(26, o.used_sor)?;
        stmt.raw_bind_parameter(27, o.iceberg.as_ref().map(|i| PlainText::new(i.qty)))?;
        stmt.raw_bind_parameter(28, o.iceberg.as_ref().map(|i| PlainText::new(i.shown)))?;
        stmt.raw_bind_parameter(29, o.trailing.as_ref().map(|t| i64::try_from(t.delta).unwrap_or(i64::MAX)))?;
        stmt.raw_bind_parameter(30, o.trailing.as_ref().map(|t| t.time))?;
        stmt.raw_bind_parameter(31, o.trailing.as_ref().and_then(|t| t.best).map(PlainText::new))?;
        stmt.raw_bind_parameter(32, o.peg.as_ref().map(|p| p.price_type.wire()))?;
        stmt.raw_bind_parameter(33, o.peg.as_ref().and_then(|p| p.offset).map(i64::from))?;
        stmt.raw_bind_parameter(34, o.peg.as_ref().and_then(|p| p.pegged_price).map(PlainText::new))?;
    }
    stmt.raw_execute()?;
    Ok(())
}

/// Updates what can change of an order already stored (a fill, a cancel, a trigger): what every
/// order has (`?2` to `?9`), then what its features change (`?10` to `?15`).
const UPDATE_ORDER: &str = "UPDATE orders SET orig_qty = ?2, executed_qty = ?3, cumm_quote_qty = ?4, status = ?5, \
     locked = ?6, update_ms = ?7, working_time = ?8, book_seq = ?9, prevented_match_id = ?10, prevented_qty = ?11, \
     iceberg_shown = ?12, trailing_time = ?13, trailing_best = ?14, pegged_price = ?15 \
     WHERE order_id = ?1";

/// [`UPDATE_ORDER`] for an order with none of the features whose columns it leaves out
/// ([`updates_plain`]): those columns are NULL in its row and stay so.
const UPDATE_PLAIN_ORDER: &str = "UPDATE orders SET orig_qty = ?2, executed_qty = ?3, cumm_quote_qty = ?4, \
     status = ?5, locked = ?6, update_ms = ?7, working_time = ?8, book_seq = ?9 WHERE order_id = ?1";

/// Whether `o`'s update leaves every column [`UPDATE_PLAIN_ORDER`] does not write NULL (none of
/// them goes back to NULL once set, so they are NULL in its row too).
fn updates_plain(o: &Order) -> bool {
    o.prevented_match_id.is_none()
        && o.prevented_qty.is_none()
        && o.iceberg.is_none()
        && o.trailing.is_none()
        && o.peg.is_none()
}

/// Updates an order with [`UPDATE_ORDER`] prepared, or [`UPDATE_PLAIN_ORDER`] when `plain`;
/// `false` when there is no such row.
fn update_order(stmt: &mut Statement<'_>, o: &Order, plain: bool) -> rusqlite::Result<bool> {
    stmt.raw_bind_parameter(1, id_to_sql(o.order_id))?;
    stmt.raw_bind_parameter(2, PlainText::new(o.orig_qty))?;
    stmt.raw_bind_parameter(3, PlainText::new(o.executed_qty))?;
    stmt.raw_bind_parameter(4, PlainText::new(o.cumm_quote_qty))?;
    stmt.raw_bind_parameter(5, o.status.wire())?;
    stmt.raw_bind_parameter(6, PlainText::new(o.locked))?;
    stmt.raw_bind_parameter(7, ms_to_sql(o.update_ms))?;
    stmt.raw_bind_parameter(8, o.working_time)?;
    stmt.raw_bind_parameter(9, o.book_seq.map(id_to_sql))?;
    if !plain {
        stmt.raw_bind_parameter(10, o.prevented_match_id.map(id_to_sql))?;
        stmt.raw_bind_parameter(11, o.prevented_qty.map(PlainText::new))?;
        stmt.raw_bind_parameter(12, o.iceberg.as_ref().map(|i| PlainText::new(i.shown)))?;
        stmt.raw_bind_parameter(13, o.trailing.as_ref().map(|t| t.time))?;
        stmt.raw_bind_parameter(14, o.trailing.as_ref().and_then(|t| t.best).map(PlainText::new))?;
        stmt.raw_bind_parameter(15, o.peg.as_ref().and_then(|p| p.pegged_price).map(PlainText::new))?;
    }
    Ok(stmt.raw_execute()? == 1)
}

const LIST_COLUMNS: &str = "order_list_id, account_id, symbol, contingency_type, status, list_client_order_id, \
     order_ids, time_ms, update_ms";

fn write_order_list(tx: &Connection, l: &OrderList) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(&format!(
        "INSERT INTO order_lists ({LIST_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT(order_list_id) DO UPDATE SET status = excluded.status, update_ms = excluded.update_ms"
    ))?;
    let ids: Vec<String> = l.order_ids.iter().map(u64::to_string).collect();
    stmt.execute(params![
        id_to_sql(l.order_list_id),
        l.account_id,
        l.symbol,
        l.contingency_type.stored(),
        l.status.list_order_status(),
        l.list_client_order_id,
        ids.join(","),
        ms_to_sql(l.time_ms),
        ms_to_sql(l.update_ms),
    ])?;
    Ok(())
}

fn list_from_row(row: &Row<'_>) -> rusqlite::Result<OrderList> {
    let ids: String = row.get(6)?;
    let order_ids = ids
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u64>().map_err(|e| bad_column(6, format!("{ids:?}: {e}"))))
        .collect::<rusqlite::Result<Vec<u64>>>()?;
    Ok(OrderList {
        order_list_id: id_from_sql(row.get(0)?),
        account_id: row.get(1)?,
        symbol: row.get(2)?,
        contingency_type: enum_col(row, 3, ContingencyType::parse)?,
        status: enum_col(row, 4, ListStatus::parse)?,
        list_client_order_id: row.get(5)?,
        order_ids,
        time_ms: id_from_sql(row.get(7)?),
        update_ms: id_from_sql(row.get(8)?),
    })
}

/// Order lists: read back at start, and the queries of `orderList`, `allOrderList`.
impl Store {
    /// Every open (`EXECUTING`) order list, by id.
    pub(crate) fn open_order_lists(&self) -> Result<Vec<OrderList>, StoreError> {
        let mut stmt = self.read()?.prepare(&format!(
            "SELECT {LIST_COLUMNS} FROM order_lists WHERE status = 'EXECUTING' ORDER BY order_list_id"
        ))?;
        let rows = stmt.query_map([], list_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(corrupt("order_lists"))
    }

    /// The order list of `account` with this id, or else the latest one with this `listClientOrderId`.
    pub(crate) fn find_order_list(
        &self,
        account_id: i64,
        order_list_id: Option<u64>,
        list_client_order_id: Option<&str>,
    ) -> Result<Option<OrderList>, StoreError> {
        let found = match (order_list_id, list_client_order_id) {
            (Some(id), _) => self
                .read()?
                .query_row(
                    &format!(
                        "SELECT {LIST_COLUMNS} FROM order_lists WHERE order_list_id = ?1 AND account_id = ?2"
                    ),
                    params![id_to_sql(id), account_id],
                    list_from_row,
                )
                .optional(),
            (None, Some(cid)) => self
                .read()?
                .query_row(
                    &format!(
                        "SELECT {LIST_COLUMNS} FROM order_lists WHERE account_id = ?1 \
                         AND list_client_order_id = ?2 ORDER BY order_list_id DESC LIMIT 1"
                    ),
                    params![account_id, cid],
                    list_from_row,
                )
                .optional(),
            (None, None) => Ok(None),
        };
        found.map_err(corrupt("order_lists"))
    }

    /// `allOrderList`: the account's order lists from `fromId` upwards, or changed last within
    /// `startTime`..`endTime`, or the most recent; newest first.
    pub(crate) fn order_lists(&self, account_id: i64, h: &History) -> Result<Vec<OrderList>, StoreError> {
        let mut sql = format!("SELECT {LIST_COLUMNS} FROM order_lists WHERE account_id = ?1");
        if let Some(from) = h.from_id {
            sql.push_str(&format!(" AND order_list_id >= {}", id_to_sql(from)));
        }
        if let Some(start) = h.start_ms {
            sql.push_str(&format!(" AND update_ms >= {}", ms_to_sql(start)));
        }
        if let Some(end) = h.end_ms {
            sql.push_str(&format!(" AND update_ms <= {}", ms_to_sql(end)));
        }
        let order = if h.from_id.is_some() { "ASC" } else { "DESC" };
        sql.push_str(&format!(" ORDER BY order_list_id {order} LIMIT {}", h.limit));
        let mut stmt = self.read()?.prepare(&sql)?;
        let mut rows = stmt
            .query_map(params![account_id], list_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt("order_lists"))?;
        if h.from_id.is_some() {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The orders of these lists, by order id.
    pub(crate) fn orders_of_lists(&self, order_list_ids: &[u64]) -> Result<Vec<Order>, StoreError> {
        if order_list_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = order_list_ids.iter().map(|id| id_to_sql(*id).to_string()).collect();
        let mut stmt = self.read()?.prepare(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE order_list_id IN ({}) ORDER BY order_id",
            ids.join(",")
        ))?;
        let rows = stmt.query_map([], order_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(corrupt("orders"))
    }
}

/// Writes `batch` into the tables inside `tx`; `orders_through` and `sequences_stored` are what the
/// tables hold already. Returns the orders that got a row of their own (their client order ids are
/// new too).
fn write_tables<'b>(
    tx: &Connection,
    batch: &'b Batch,
    orders_through: u64,
    sequences_stored: &BTreeMap<&'static str, u64>,
) -> rusqlite::Result<Vec<&'b Order>> {
    // Orders that get a row of their own here: their client order ids are new too.
    let mut inserted: Vec<&Order> = Vec::new();
    {
        let mut insert = tx.prepare_cached(INSERT_ORDER)?;
        let mut insert_plain = tx.prepare_cached(INSERT_PLAIN_ORDER)?;
        let mut update = tx.prepare_cached(UPDATE_ORDER)?;
        let mut update_plain = tx.prepare_cached(UPDATE_PLAIN_ORDER)?;
        for order in batch.orders.values() {
            // An order at or below the highest id committed is stored already: only its
            // changing columns are written.
            let updated = order.order_id <= orders_through
                && if updates_plain(order) {
                    update_order(&mut update_plain, order, true)?
                } else {
                    update_order(&mut update, order, false)?
                };
            if !updated {
                if is_plain(order) {
                    write_order(&mut insert_plain, order, true)?;
                } else {
                    write_order(&mut insert, order, false)?;
                }
                inserted.push(order);
            }
        }
    }
    for list in batch.order_lists.values() {
        write_order_list(tx, list)?;
    }
    {
        let mut stmt = tx.prepare_cached(concat!(
            "INSERT INTO trades (",
            trade_columns!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?;
        for t in &batch.trades {
            stmt.execute(params![
                id_to_sql(t.trade_id),
                t.symbol,
                PlainText::new(t.price),
                PlainText::new(t.qty),
                PlainText::new(t.quote_qty),
                ms_to_sql(t.time_ms),
                id_to_sql(t.buyer_order_id),
                id_to_sql(t.seller_order_id),
                t.is_buyer_maker,
                id_to_sql(t.agg_id),
            ])?;
        }
        let mut stmt = tx.prepare_cached(concat!(
            "INSERT INTO fills (",
            fill_columns!(),
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ))?;
        for f in batch.fills.iter().filter(|f| f.alloc_id.is_none()) {
            stmt.execute(params![
                id_to_sql(f.trade_id),
                f.is_buyer,
                f.account_id,
                id_to_sql(f.order_id),
                f.symbol,
                PlainText::new(f.price),
                PlainText::new(f.qty),
                PlainText::new(f.quote_qty),
                PlainText::new(f.commission),
                f.commission_asset,
                f.is_maker,
                ms_to_sql(f.time_ms),
                f.order_list_id.map(id_to_sql),
            ])?;
        }
        write_records(tx, batch)?;
        let mut stmt = tx.prepare_cached(
            "INSERT INTO balances (account_id, asset, free, locked) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT(account_id, asset) DO UPDATE SET free = excluded.free, locked = excluded.locked",
        )?;
        for ((account, asset), (free, locked)) in &batch.balances {
            stmt.execute(params![account, asset, PlainText::new(*free), PlainText::new(*locked)])?;
        }
        let mut stmt = tx.prepare_cached("UPDATE accounts SET update_ms = ?2 WHERE id = ?1")?;
        for (account, ms) in &batch.accounts {
            stmt.execute(params![account, ms_to_sql(*ms)])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO sequences (name, next) VALUES (?1, ?2) \
                 ON CONFLICT(name) DO UPDATE SET next = max(next, excluded.next)",
        )?;
        for (name, next) in &batch.sequences {
            // Unchanged since this connection committed it: the row holds it already.
            if sequences_stored.get(name) != Some(next) {
                stmt.execute(params![name, id_to_sql(*next)])?;
            }
        }
    }
    Ok(inserted)
}

/// Deletes the records of `conn`'s `backlog` table up to `through`.
fn delete_backlog(conn: &Connection, through: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM backlog WHERE seq <= ?1")?.execute([through])?;
    Ok(())
}

/// Takes the records of `conn`'s `backlog` table after record `after` into `pending`, in order.
fn read_backlog(
    conn: &Connection,
    after: i64,
    pending: &mut super::backlog::Pending,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("SELECT seq, body FROM backlog WHERE seq > ?1 ORDER BY seq")?;
    let mut rows = stmt.query([after])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let body = row
            .get_ref(1)?
            .as_blob()
            .map_err(|e| StoreError::Corrupt { what: "backlog", detail: format!("record {seq}: {e}") })?;
        pending.absorb(super::backlog::decode(body, crate::engine::ids::SEQUENCE_NAMES)?, seq);
    }
    Ok(())
}

/// Writes `batch` to the tables through `conn` in one transaction that `finish`es it (deleting the
/// backlog records it covers, or marking them settled), then brings `written` up to date. On
/// failure nothing of it is written and `written` is unchanged.
pub(super) fn apply(
    conn: &Connection,
    written: &mut super::Written,
    batch: &Batch,
    finish: super::Finish,
) -> Result<(), StoreError> {
    let tx = Group::begin(conn)?;
    let inserted = write_tables(&tx, batch, written.orders_through, &written.sequences_stored)?;
    match finish {
        super::Finish::Delete(through) => delete_backlog(&tx, through)?,
        super::Finish::Mark(through) => {
            tx.prepare_cached("UPDATE settled SET through = ?1 WHERE id = 0")?.execute([through])?;
        }
    }
    tx.commit()?;
    written.sequences_stored.extend(&batch.sequences);
    if let Some(last) = batch.orders.keys().next_back() {
        written.orders_through = written.orders_through.max(*last);
    }
    written.client_ids.note(inserted.into_iter());
    if written.client_ids.due() {
        // Not part of the commit: the rows are rebuilt from orders at open if this never lands.
        if let Err(e) = written.client_ids.flush(conn) {
            tracing::warn!(target: "mbx_sandbox::store", error = %e, "writing client order ids failed; they stay in memory");
        }
    }
    Ok(())
}

impl Store {
    /// Commits `batch`: its backlog record is written in one transaction, and nothing of it is
    /// durable unless this returns `Ok`. The tables get it at the next settle (on disk, on the
    /// settler's thread, `store/settler.rs`), and every read settles first, so a read sees every
    /// commit before it.
    pub(crate) fn commit(&mut self, batch: Batch) -> Result<(), StoreError> {
        self.record.clear();
        super::backlog::encode(&batch, &mut self.record);
        let conn = self.backlog.as_ref().unwrap_or(&self.conn);
        // What the settler settled since the last commit leaves the backlog with this one.
        if let Some(e) = self.collect(false) {
            tracing::warn!(target: "mbx_sandbox::store", error = %e, "writing the backlog to the tables failed; it stays in the backlog and is tried again");
        }
        let (settled, deleted) = {
            let t = self.tables.borrow();
            (t.settled_through, t.deleted_through)
        };
        let tx = Group::begin(conn)?;
        if self.backlog.is_some() && settled > deleted {
            delete_backlog(&tx, settled)?;
        }
        tx.prepare_cached("INSERT INTO backlog (body) VALUES (?1)")?.execute([&self.record[..]])?;
        let seq = tx.last_insert_rowid();
        tx.commit()?;
        let due = {
            let mut tables = self.tables.borrow_mut();
            tables.deleted_through = tables.deleted_through.max(settled);
            tables.pending.absorb(batch, seq);
            tables.pending.due()
        };
        if due {
            if self.tables.borrow().settler.is_some() {
                // Handed to the settler if it is free; else it takes more at the next commit.
                self.hand_off();
            } else if let Err(e) = self.settle() {
                // The commit stands (its record is in the backlog); the next read tries again.
                tracing::warn!(target: "mbx_sandbox::store", error = %e, "writing the backlog to the tables failed; it stays in the backlog");
            }
        }
        Ok(())
    }

    /// Reads the outcome of the settler's settle under way, waiting for it when `wait`: a settle
    /// that landed moves [`super::Tables::settled_through`]; one that failed gives its records
    /// back to what is pending (before the groups committed since), and its error.
    fn collect(&self, wait: bool) -> Option<StoreError> {
        let mut guard = self.tables.borrow_mut();
        let tables = &mut *guard;
        let settler = tables.settler.as_mut()?;
        let outcome = if wait { settler.wait() } else { settler.poll() }?;
        match outcome {
            Ok(through) => {
                tables.settled_through = tables.settled_through.max(through);
                None
            }
            Err((mut back, e)) => {
                back.absorb_pending(std::mem::take(&mut tables.pending));
                tables.pending = back;
                Some(e)
            }
        }
    }

    /// Hands what is pending to the settler, unless a settle is under way (whose outcome is
    /// collected if it is known).
    fn hand_off(&self) {
        if let Some(e) = self.collect(false) {
            tracing::warn!(target: "mbx_sandbox::store", error = %e, "writing the backlog to the tables failed; it stays in the backlog and is tried again");
        }
        let mut guard = self.tables.borrow_mut();
        let tables = &mut *guard;
        if tables.pending.is_empty() {
            return;
        }
        if let Some(settler) = tables.settler.as_mut().filter(|s| !s.busy())
            && let Err(back) = settler.hand(Box::new(std::mem::take(&mut tables.pending)))
        {
            // The thread is gone: the records wait for the next read, which writes them here.
            tables.pending = *back;
            tables.settler = None;
            tracing::error!(target: "mbx_sandbox::store", "the settler thread is gone; the engine writes the tables itself");
        }
    }

    /// Writes every group the backlog holds and the tables do not into the tables. In memory
    /// (and at open) here, in one transaction that deletes those backlog records; on disk by the
    /// settler, waited for. On failure nothing is lost: the records stay in the backlog and in
    /// memory, and the next call tries again.
    pub(crate) fn settle(&self) -> Result<(), StoreError> {
        if self.tables.borrow().settler.is_some() {
            // The settle under way, then the rest (written here, below, if the thread is gone).
            if let Some(e) = self.collect(true) {
                return Err(e);
            }
            self.hand_off();
            if self.tables.borrow().settler.is_some() {
                return self.collect(true).map_or(Ok(()), Err);
            }
        }
        let mut guard = self.tables.borrow_mut();
        let tables = &mut *guard;
        if tables.pending.is_empty() {
            return Ok(());
        }
        let before = self.conn.total_changes();
        let through = tables.pending.through_seq;
        // At open on disk (before the settler starts) the records are backlog.db's: marked.
        let finish = if self.backlog.is_some() {
            super::Finish::Mark(through)
        } else {
            super::Finish::Delete(through)
        };
        apply(&self.conn, &mut tables.written(), &tables.pending.batch, finish)?;
        tables.pending = super::backlog::Pending::default();
        if self.backlog.is_some() {
            tables.settled_through = tables.settled_through.max(through);
        }
        tables.settled_changes += self.conn.total_changes().saturating_sub(before);
        Ok(())
    }

    /// The connection, once the tables hold every commit ([`Store::settle`]).
    pub(super) fn read(&self) -> Result<&Connection, StoreError> {
        self.settle()?;
        Ok(&self.conn)
    }

    /// At open on disk: opens (creating) the backlog's database at `path`, applies the records
    /// after the last one the tables hold (left by a crash, or a stop that could not write them),
    /// and deletes the ones they hold.
    pub(super) fn open_backlog(&mut self, path: &std::path::Path) -> Result<(), StoreError> {
        let created = !path.exists();
        let conn = Connection::open(path)?;
        super::wal(&conn)?;
        // AUTOINCREMENT: a record's number is never used again, even once every record before it
        // is deleted (`settled` names them by number).
        conn.execute_batch(
            "PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS backlog (seq INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL);",
        )?;
        if created {
            // A new backlog (the first open, or its file removed): nothing in it is settled yet.
            self.conn.execute("UPDATE settled SET through = 0 WHERE id = 0", [])?;
        }
        let through: i64 =
            self.conn.query_row("SELECT through FROM settled WHERE id = 0", [], |r| r.get(0))?;
        {
            let mut tables = self.tables.borrow_mut();
            read_backlog(&conn, through, &mut tables.pending)?;
            tables.settled_through = through;
        }
        self.backlog = Some(conn);
        self.settle()?;
        self.delete_settled()
    }

    /// Deletes from `backlog.db` the records the tables hold (at open and close).
    pub(super) fn delete_settled(&self) -> Result<(), StoreError> {
        let Some(conn) = &self.backlog else { return Ok(()) };
        let mut tables = self.tables.borrow_mut();
        if tables.settled_through > tables.deleted_through {
            delete_backlog(conn, tables.settled_through)?;
            tables.deleted_through = tables.settled_through;
        }
        Ok(())
    }

    /// At open: takes the backlog's records (left by a crash, or by a stop that could not write
    /// them) back into memory, in order, and writes them to the tables.
    pub(super) fn replay(&mut self) -> Result<(), StoreError> {
        read_backlog(&self.conn, 0, &mut self.tables.borrow_mut().pending)?;
        self.settle()
    }

    /// Every account with its last change: (id, update_ms).
    pub(crate) fn all_accounts(&self) -> Result<Vec<(i64, u64)>, StoreError> {
        let mut stmt = self.read()?.prepare("SELECT id, update_ms FROM accounts ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, update) = row?;
            out.push((id, u64::try_from(update).unwrap_or(0)));
        }
        Ok(out)
    }

    /// Every balance of every account: (account, balance).
    pub(crate) fn all_balances(&self) -> Result<Vec<(i64, Balance)>, StoreError> {
        let mut stmt = self
            .read()?
            .prepare("SELECT account_id, asset, free, locked FROM balances ORDER BY account_id, asset")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (account, asset, free, locked) = row?;
            out.push((
                account,
                Balance {
                    free: decimal(&free, "balances.free")?,
                    locked: decimal(&locked, "balances.locked")?,
                    asset,
                },
            ));
        }
        Ok(out)
    }

    /// Every open order (`NEW`, `PARTIALLY_FILLED`, and an order list's `PENDING_NEW`), resting ones in book order, then by id.
    pub(crate) fn open_orders(&self) -> Result<Vec<Order>, StoreError> {
        let mut stmt = self.read()?.prepare(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE status IN ('NEW', 'PARTIALLY_FILLED', 'PENDING_NEW') \
             ORDER BY book_seq IS NULL, book_seq, order_id"
        ))?;
        let rows = stmt.query_map([], order_from_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(corrupt("orders"))
    }

    /// The stored next value of a sequence, if any.
    pub(crate) fn sequence(&self, name: &str) -> Result<Option<u64>, StoreError> {
        let next: Option<i64> = self
            .read()?
            .query_row("SELECT next FROM sequences WHERE name = ?1", [name], |r| r.get(0))
            .optional()?;
        Ok(next.map(id_from_sql))
    }

    /// The largest trade id and aggregate trade id of each symbol that has trades (both count per
    /// symbol).
    pub(crate) fn max_trade_ids(&self) -> Result<std::collections::HashMap<String, (u64, u64)>, StoreError> {
        let mut stmt =
            self.read()?.prepare("SELECT symbol, max(trade_id), max(agg_id) FROM trades GROUP BY symbol")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, (id_from_sql(r.get(1)?), id_from_sql(r.get(2)?))))
        })?;
        rows.collect::<rusqlite::Result<_>>().map_err(corrupt("trades"))
    }

    /// The largest id in use in `table.column` (0 when empty): a floor for the sequences, whatever
    /// the sequences table says.
    pub(crate) fn max_id(&self, what: IdColumn) -> Result<u64, StoreError> {
        let sql = match what {
            IdColumn::Order => "SELECT max(order_id) FROM orders",
            IdColumn::PreventedMatch => {
                "SELECT max(m) FROM (SELECT max(prevented_match_id) AS m FROM orders \
                 UNION ALL SELECT max(prevented_match_id) FROM prevented_matches)"
            }
            IdColumn::BookSeq => "SELECT max(book_seq) FROM orders",
            IdColumn::OrderList => "SELECT max(order_list_id) FROM order_lists",
            IdColumn::Allocation => "SELECT max(allocation_id) FROM allocations",
            IdColumn::Amendment => "SELECT max(execution_id) FROM amendments",
        };
        let max: Option<i64> = self.read()?.query_row(sql, [], |r| r.get(0))?;
        Ok(max.map_or(0, id_from_sql))
    }

    /// The order of `account` on `symbol` with this id, or else the latest one with this client order
    /// id.
    pub(crate) fn find_order(
        &self,
        account_id: i64,
        symbol: &str,
        order_id: Option<u64>,
        client_order_id: Option<&str>,
    ) -> Result<Option<Order>, StoreError> {
        let id = match (order_id, client_order_id) {
            (Some(id), _) => id,
            (None, Some(cid)) => match self.read().and_then(|conn| {
                self.tables.borrow().written().client_ids.find(conn, account_id, symbol, cid)
            })? {
                Some(id) => id,
                None => return Ok(None),
            },
            (None, None) => return Ok(None),
        };
        let found = self
            .read()?
            .query_row(
                &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE order_id = ?1 AND account_id = ?2 AND symbol = ?3"),
                params![id_to_sql(id), account_id, symbol],
                order_from_row,
            )
            .optional();
        found.map_err(corrupt("orders"))
    }

    /// `allOrders`: the account's orders on `symbol`, oldest first.
    pub(crate) fn orders(
        &self,
        account_id: i64,
        symbol: &str,
        h: &History,
    ) -> Result<Vec<Order>, StoreError> {
        self.settle()?;
        self.history(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE account_id = ?1 AND symbol = ?2"),
            "order_id",
            "time_ms",
            account_id,
            symbol,
            h,
            order_from_row,
        )
        .map_err(corrupt("orders"))
    }

    /// `myTrades`: the account's fills on `symbol`, oldest first.
    pub(crate) fn fills(&self, account_id: i64, symbol: &str, h: &History) -> Result<Vec<Fill>, StoreError> {
        let mut sql = format!("SELECT {FILL_COLUMNS} FROM fills WHERE account_id = ?1 AND symbol = ?2");
        if let Some(order) = h.order_id {
            sql.push_str(&format!(" AND order_id = {}", id_to_sql(order)));
        }
        self.settle()?;
        self.history(&sql, "trade_id", "time_ms", account_id, symbol, h, fill_from_row)
            .map_err(corrupt("fills"))
    }

    /// Rows of `base` (which binds `?1` account and `?2` symbol) filtered and limited as `h` says:
    /// from an id upwards, or the most recent; returned oldest first.
    #[allow(clippy::too_many_arguments)]
    fn history<T>(
        &self,
        base: &str,
        id_col: &str,
        time_col: &str,
        account_id: i64,
        symbol: &str,
        h: &History,
        map: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let mut sql = base.to_owned();
        if let Some(from) = h.from_id {
            sql.push_str(&format!(" AND {id_col} >= {}", id_to_sql(from)));
        }
        if let Some(start) = h.start_ms {
            sql.push_str(&format!(" AND {time_col} >= {}", ms_to_sql(start)));
        }
        if let Some(end) = h.end_ms {
            sql.push_str(&format!(" AND {time_col} <= {}", ms_to_sql(end)));
        }
        let oldest_first = h.from_id.is_some() || h.start_ms.is_some();
        let order = if oldest_first { "ASC" } else { "DESC" };
        sql.push_str(&format!(" ORDER BY {id_col} {order} LIMIT {}", h.limit));
        // Its callers settle first ([`Store::read`]).
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows =
            stmt.query_map(params![account_id, symbol], map)?.collect::<rusqlite::Result<Vec<_>>>()?;
        if !oldest_first {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The most recent `limit` trades of `symbol`, oldest first.
    pub(crate) fn recent_trades(&self, symbol: &str, limit: u32) -> Result<Vec<Trade>, StoreError> {
        let mut stmt = self.read()?.prepare_cached(&format!(
            "SELECT {TRADE_COLUMNS} FROM trades WHERE symbol = ?1 ORDER BY trade_id DESC LIMIT ?2"
        ))?;
        let mut rows = stmt
            .query_map(params![symbol, limit], trade_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt("trades"))?;
        rows.reverse();
        Ok(rows)
    }

    /// The trades of `symbol` at or after `since_ms`, oldest first.
    pub(crate) fn trades_since(&self, symbol: &str, since_ms: u64) -> Result<Vec<Trade>, StoreError> {
        let mut stmt = self.read()?.prepare_cached(&format!(
            "SELECT {TRADE_COLUMNS} FROM trades WHERE symbol = ?1 AND time_ms >= ?2 ORDER BY trade_id"
        ))?;
        stmt.query_map(params![symbol, ms_to_sql(since_ms)], trade_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(corrupt("trades"))
    }
}

/// The id columns whose maxima bound the sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdColumn {
    /// `orders.order_id`.
    Order,
    /// `orders.prevented_match_id` (and `prevented_matches`, whose ids come from the same sequence).
    PreventedMatch,
    /// `orders.book_seq`.
    BookSeq,
    /// `order_lists.order_list_id`.
    OrderList,
    /// `allocations.allocation_id`.
    Allocation,
    /// `amendments.execution_id`.
    Amendment,
}
