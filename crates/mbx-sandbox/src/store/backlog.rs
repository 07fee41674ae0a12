//! The backlog: what each group commit changed, as one compact record in the `backlog` table, and
//! the tables brought up to date from it later.
//!
//! A group commit writes one row: its [`Batch`], encoded here (about 200 bytes an order), in the
//! same write-ahead log and synced before any of it is answered, exactly as the rows were before.
//! The batch itself stays in memory ([`Pending`]), absorbing the groups that follow, and goes to
//! the orders, trades, balances and other tables in one transaction that also deletes the backlog
//! rows it covers ([`super::Store::settle`]): before anything reads those tables, once enough has
//! accumulated ([`SETTLE_AT`]), and when the store closes. An order placed and cancelled between
//! two settles is written once, in its last state, and the tables' pages are written once for
//! many groups. After a crash the backlog rows left are read back at open and settled then, so
//! nothing acknowledged depends on the tables having been written.
//!
//! The encoding is private to this module and versioned by its first byte ([`FORMAT`]): integers
//! as LEB128 varints (signed ones zigzagged), decimals as `rust_decimal`'s 16 exact bytes, text
//! as a length and UTF-8, enums by their wire spelling, optional values behind a 0/1 byte.

use mbx_core::WireValue;
use mbx_core::model::{OrderStatus, OrderType, PegPriceType, SelfTradePreventionMode, Side, TimeInForce};
use rust_decimal::Decimal;

use super::Batch;
use crate::engine::order::{Iceberg, Order, Peg, Trailing};
use crate::engine::order_list::{ContingencyType, ListStatus, OrderList};
use crate::engine::records::{Amendment, PreventedMatch};
use crate::engine::trade::{Fill, Trade};
use crate::error::StoreError;

/// The encoding's version: a backlog row starting with another byte is not read.
const FORMAT: u8 = 1;

/// Orders, trades and other records waiting in memory before the tables are brought up to date.
/// Bounds the memory they hold and the time one settle takes (a few milliseconds).
pub(super) const SETTLE_AT: usize = 2_048;

/// What the backlog holds and the tables do not yet.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Every group committed since the last settle, absorbed into one.
    pub batch: Batch,
    /// The highest backlog row it covers.
    pub through_seq: i64,
    /// Records held (orders, trades, fills and the rest): a settle is due at [`SETTLE_AT`].
    pub records: usize,
}

impl Pending {
    /// Adds a group committed as backlog row `seq`.
    pub fn absorb(&mut self, batch: Batch, seq: i64) {
        self.records += records(&batch);
        self.batch.absorb(batch);
        self.through_seq = self.through_seq.max(seq);
    }

    /// Adds what `later` holds (groups committed after these).
    pub fn absorb_pending(&mut self, later: Pending) {
        if later.is_empty() {
            return;
        }
        self.records += later.records;
        self.batch.absorb(later.batch);
        self.through_seq = self.through_seq.max(later.through_seq);
    }

    /// Whether nothing waits (no record absorbed since the last settle).
    pub fn is_empty(&self) -> bool {
        self.through_seq == 0
    }

    /// Whether a settle is due.
    pub fn due(&self) -> bool {
        self.records >= SETTLE_AT
    }
}

/// How many records a batch brings (what a settle writes).
fn records(b: &Batch) -> usize {
    // Destructured so that a new field cannot be forgotten here.
    let Batch {
        orders,
        trades,
        fills,
        balances,
        sequences: _,
        order_lists,
        accounts: _,
        prevented_matches,
        amendments,
    } = b;
    orders.len()
        + trades.len()
        + fills.len()
        + balances.len()
        + order_lists.len()
        + prevented_matches.len()
        + amendments.len()
}

/// Appends `batch`, encoded, to `out`.
pub(super) fn encode(batch: &Batch, out: &mut Vec<u8>) {
    let mut w = Out(out);
    w.0.push(FORMAT);
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
    } = batch;
    w.len(orders.len());
    for o in orders.values() {
        w.order(o);
    }
    w.len(trades.len());
    for t in trades {
        w.trade(t);
    }
    w.len(fills.len());
    for f in fills {
        w.fill(f);
    }
    w.len(balances.len());
    for ((account, asset), (free, locked)) in balances {
        w.i64(*account);
        w.str(asset);
        w.dec(*free);
        w.dec(*locked);
    }
    w.len(sequences.len());
    for (name, next) in sequences {
        w.str(name);
        w.u64(*next);
    }
    w.len(order_lists.len());
    for l in order_lists.values() {
        w.order_list(l);
    }
    w.len(accounts.len());
    for (account, ms) in accounts {
        w.i64(*account);
        w.u64(*ms);
    }
    w.len(prevented_matches.len());
    for p in prevented_matches {
        w.prevented(p);
    }
    w.len(amendments.len());
    for a in amendments {
        w.amendment(a);
    }
}

/// Reads a batch written by [`encode`]; `sequence_names` are the sequences a batch may advance.
pub(super) fn decode(bytes: &[u8], sequence_names: &[&'static str]) -> Result<Batch, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt { what: "backlog", detail };
    let (&format, rest) = bytes.split_first().ok_or_else(|| corrupt("an empty record".into()))?;
    if format != FORMAT {
        return Err(corrupt(format!("record format {format}, this sandbox reads {FORMAT}")));
    }
    let mut r = In { bytes: rest, at: 1 };
    let batch = r
        .batch(sequence_names)
        .ok_or_else(|| corrupt(format!("a record cut or garbled at byte {}", r.at)))?;
    if !r.bytes.is_empty() {
        return Err(corrupt(format!("{} bytes after the record", r.bytes.len())));
    }
    Ok(batch)
}

struct Out<'a>(&'a mut Vec<u8>);

impl Out<'_> {
    fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }

    fn bool(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn dec(&mut self, d: Decimal) {
        self.0.extend_from_slice(&d.serialize());
    }

    fn opt<T>(&mut self, v: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                write(self, v);
            }
        }
    }

    fn order(&mut self, o: &Order) {
        // Destructured so that a new field cannot be forgotten here.
        let Order {
            order_id,
            account_id,
            symbol,
            client_order_id,
            side,
            order_type,
            time_in_force,
            price,
            orig_qty,
            executed_qty,
            cumm_quote_qty,
            orig_quote_order_qty,
            stop_price,
            status,
            stp_mode,
            locked,
            time_ms,
            update_ms,
            working_time,
            book_seq,
            prevented_match_id,
            prevented_qty,
            order_list_id,
            strategy_id,
            strategy_type,
            used_sor,
            iceberg,
            trailing,
            peg,
            // Derived from its list when read, never stored.
            list_expiry_reason: _,
        } = o;
        self.u64(*order_id);
        self.i64(*account_id);
        self.str(symbol);
        self.str(client_order_id);
        self.str(side.wire());
        self.str(order_type.wire());
        self.str(time_in_force.wire());
        self.dec(*price);
        self.dec(*orig_qty);
        self.dec(*executed_qty);
        self.dec(*cumm_quote_qty);
        self.dec(*orig_quote_order_qty);
        self.opt(*stop_price, Self::dec);
        self.str(status.wire());
        self.str(stp_mode.wire());
        self.dec(*locked);
        self.u64(*time_ms);
        self.u64(*update_ms);
        self.i64(*working_time);
        self.opt(*book_seq, Self::u64);
        self.opt(*prevented_match_id, Self::u64);
        self.opt(*prevented_qty, Self::dec);
        self.opt(*order_list_id, Self::u64);
        self.opt(*strategy_id, Self::u64);
        self.opt(*strategy_type, |w, v| w.u64(u64::from(v)));
        self.bool(*used_sor);
        self.opt(iceberg.as_ref(), |w, i| {
            w.dec(i.qty);
            w.dec(i.shown);
        });
        self.opt(trailing.as_ref(), |w, t| {
            w.u64(t.delta);
            w.i64(t.time);
            w.opt(t.best, Self::dec);
        });
        self.opt(peg.as_ref(), |w, p| {
            w.str(p.price_type.wire());
            w.opt(p.offset, |w, v| w.u64(u64::from(v)));
            w.dec(p.sent_price);
            w.opt(p.pegged_price, Self::dec);
        });
    }

    fn trade(&mut self, t: &Trade) {
        let Trade {
            trade_id,
            symbol,
            price,
            qty,
            quote_qty,
            time_ms,
            buyer_order_id,
            seller_order_id,
            is_buyer_maker,
            agg_id,
        } = t;
        self.u64(*trade_id);
        self.str(symbol);
        self.dec(*price);
        self.dec(*qty);
        self.dec(*quote_qty);
        self.u64(*time_ms);
        self.u64(*buyer_order_id);
        self.u64(*seller_order_id);
        self.bool(*is_buyer_maker);
        self.u64(*agg_id);
    }

    fn fill(&mut self, f: &Fill) {
        let Fill {
            trade_id,
            is_buyer,
            account_id,
            order_id,
            symbol,
            price,
            qty,
            quote_qty,
            commission,
            commission_asset,
            is_maker,
            time_ms,
            order_list_id,
            alloc_id,
        } = f;
        self.u64(*trade_id);
        self.bool(*is_buyer);
        self.i64(*account_id);
        self.u64(*order_id);
        self.str(symbol);
        self.dec(*price);
        self.dec(*qty);
        self.dec(*quote_qty);
        self.dec(*commission);
        self.str(commission_asset);
        self.bool(*is_maker);
        self.u64(*time_ms);
        self.opt(*order_list_id, Self::u64);
        self.opt(*alloc_id, Self::u64);
    }

    fn order_list(&mut self, l: &OrderList) {
        let OrderList {
            order_list_id,
            account_id,
            symbol,
            contingency_type,
            status,
            list_client_order_id,
            order_ids,
            time_ms,
            update_ms,
        } = l;
        self.u64(*order_list_id);
        self.i64(*account_id);
        self.str(symbol);
        self.str(contingency_type.stored());
        self.str(status.list_order_status());
        self.str(list_client_order_id);
        self.len(order_ids.len());
        for id in order_ids {
            self.u64(*id);
        }
        self.u64(*time_ms);
        self.u64(*update_ms);
    }

    fn prevented(&mut self, p: &PreventedMatch) {
        let PreventedMatch {
            prevented_match_id,
            symbol,
            taker_account_id,
            taker_order_id,
            maker_symbol,
            maker_account_id,
            maker_order_id,
            trade_group_id,
            stp_mode,
            price,
            taker_prevented_qty,
            maker_prevented_qty,
            match_qty,
            time_ms,
            next_trade_id,
        } = p;
        self.u64(*prevented_match_id);
        self.str(symbol);
        self.i64(*taker_account_id);
        self.u64(*taker_order_id);
        self.str(maker_symbol);
        self.i64(*maker_account_id);
        self.u64(*maker_order_id);
        self.i64(*trade_group_id);
        self.str(stp_mode.wire());
        self.dec(*price);
        self.opt(*taker_prevented_qty, Self::dec);
        self.opt(*maker_prevented_qty, Self::dec);
        self.dec(*match_qty);
        self.u64(*time_ms);
        self.u64(*next_trade_id);
    }

    fn amendment(&mut self, a: &Amendment) {
        let Amendment {
            execution_id,
            account_id,
            symbol,
            order_id,
            orig_client_order_id,
            new_client_order_id,
            orig_qty,
            new_qty,
            time_ms,
        } = a;
        self.u64(*execution_id);
        self.i64(*account_id);
        self.str(symbol);
        self.u64(*order_id);
        self.str(orig_client_order_id);
        self.str(new_client_order_id);
        self.dec(*orig_qty);
        self.dec(*new_qty);
        self.u64(*time_ms);
    }
}

/// A reader over a record; every read is `None` past its end or on a value out of range.
struct In<'a> {
    bytes: &'a [u8],
    /// Bytes read so far (for the error).
    at: usize,
}

impl In<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        self.at += n;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn i64(&mut self) -> Option<i64> {
        let z = self.u64()?;
        Some(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        // A count can never exceed the bytes left (every item takes at least one).
        (n <= self.bytes.len()).then_some(n)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn dec(&mut self) -> Option<Decimal> {
        let bytes: [u8; 16] = self.take(16)?.try_into().ok()?;
        // The flags' unused bits and a scale above 28 never come from `serialize`.
        let flags = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        (flags & 0x7F00_FFFF == 0 && (flags >> 16) & 0xFF <= 28).then(|| Decimal::deserialize(bytes))
    }

    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn known<T>(&mut self, parse: fn(&str) -> Option<T>) -> Option<T> {
        parse(&self.str()?)
    }

    fn batch(&mut self, sequence_names: &[&'static str]) -> Option<Batch> {
        let mut b = Batch::default();
        for _ in 0..self.len()? {
            let o = self.order()?;
            b.orders.insert(o.order_id, Box::new(o));
        }
        for _ in 0..self.len()? {
            b.trades.push(self.trade()?);
        }
        for _ in 0..self.len()? {
            b.fills.push(self.fill()?);
        }
        for _ in 0..self.len()? {
            let key = (self.i64()?, self.str()?);
            b.balances.insert(key, (self.dec()?, self.dec()?));
        }
        for _ in 0..self.len()? {
            let name = self.str()?;
            let name = sequence_names.iter().find(|n| **n == name)?;
            b.sequences.insert(name, self.u64()?);
        }
        for _ in 0..self.len()? {
            let l = self.order_list()?;
            b.order_lists.insert(l.order_list_id, l);
        }
        for _ in 0..self.len()? {
            b.accounts.insert(self.i64()?, self.u64()?);
        }
        for _ in 0..self.len()? {
            b.prevented_matches.push(self.prevented()?);
        }
        for _ in 0..self.len()? {
            b.amendments.push(self.amendment()?);
        }
        Some(b)
    }

    fn order(&mut self) -> Option<Order> {
        Some(Order {
            order_id: self.u64()?,
            account_id: self.i64()?,
            symbol: self.str()?,
            client_order_id: self.str()?,
            side: self.known(Side::parse_known)?,
            order_type: self.known(OrderType::parse_known)?,
            time_in_force: self.known(TimeInForce::parse_known)?,
            price: self.dec()?,
            orig_qty: self.dec()?,
            executed_qty: self.dec()?,
            cumm_quote_qty: self.dec()?,
            orig_quote_order_qty: self.dec()?,
            stop_price: self.opt(Self::dec)?,
            status: self.known(OrderStatus::parse_known)?,
            stp_mode: self.known(SelfTradePreventionMode::parse_known)?,
            locked: self.dec()?,
            time_ms: self.u64()?,
            update_ms: self.u64()?,
            working_time: self.i64()?,
            book_seq: self.opt(Self::u64)?,
            prevented_match_id: self.opt(Self::u64)?,
            prevented_qty: self.opt(Self::dec)?,
            order_list_id: self.opt(Self::u64)?,
            strategy_id: self.opt(Self::u64)?,
            strategy_type: self.opt(Self::u32)?,
            used_sor: self.bool()?,
            iceberg: self.opt(|r| Some(Iceberg { qty: r.dec()?, shown: r.dec()? }))?,
            trailing: self
                .opt(|r| Some(Trailing { delta: r.u64()?, time: r.i64()?, best: r.opt(Self::dec)? }))?,
            peg: self.opt(|r| {
                Some(Peg {
                    price_type: r.known(PegPriceType::parse_known)?,
                    offset: r.opt(Self::u32)?,
                    sent_price: r.dec()?,
                    pegged_price: r.opt(Self::dec)?,
                })
            })?,
            list_expiry_reason: None,
        })
    }

    fn trade(&mut self) -> Option<Trade> {
        Some(Trade {
            trade_id: self.u64()?,
            symbol: self.str()?,
            price: self.dec()?,
            qty: self.dec()?,
            quote_qty: self.dec()?,
            time_ms: self.u64()?,
            buyer_order_id: self.u64()?,
            seller_order_id: self.u64()?,
            is_buyer_maker: self.bool()?,
            agg_id: self.u64()?,
        })
    }

    fn fill(&mut self) -> Option<Fill> {
        Some(Fill {
            trade_id: self.u64()?,
            is_buyer: self.bool()?,
            account_id: self.i64()?,
            order_id: self.u64()?,
            symbol: self.str()?,
            price: self.dec()?,
            qty: self.dec()?,
            quote_qty: self.dec()?,
            commission: self.dec()?,
            commission_asset: self.str()?,
            is_maker: self.bool()?,
            time_ms: self.u64()?,
            order_list_id: self.opt(Self::u64)?,
            alloc_id: self.opt(Self::u64)?,
        })
    }

    fn order_list(&mut self) -> Option<OrderList> {
        Some(OrderList {
            order_list_id: self.u64()?,
            account_id: self.i64()?,
            symbol: self.str()?,
            contingency_type: self.known(ContingencyType::parse)?,
            status: self.known(ListStatus::parse)?,
            list_client_order_id: self.str()?,
            order_ids: {
                let n = self.len()?;
                (0..n).map(|_| self.u64()).collect::<Option<Vec<_>>>()?
            },
            time_ms: self.u64()?,
            update_ms: self.u64()?,
        })
    }

    fn prevented(&mut self) -> Option<PreventedMatch> {
        Some(PreventedMatch {
            prevented_match_id: self.u64()?,
            symbol: self.str()?,
            taker_account_id: self.i64()?,
            taker_order_id: self.u64()?,
            maker_symbol: self.str()?,
            maker_account_id: self.i64()?,
            maker_order_id: self.u64()?,
            trade_group_id: self.i64()?,
            stp_mode: self.known(SelfTradePreventionMode::parse_known)?,
            price: self.dec()?,
            taker_prevented_qty: self.opt(Self::dec)?,
            maker_prevented_qty: self.opt(Self::dec)?,
            match_qty: self.dec()?,
            time_ms: self.u64()?,
            next_trade_id: self.u64()?,
        })
    }

    fn amendment(&mut self) -> Option<Amendment> {
        Some(Amendment {
            execution_id: self.u64()?,
            account_id: self.i64()?,
            symbol: self.str()?,
            order_id: self.u64()?,
            orig_client_order_id: self.str()?,
            new_client_order_id: self.str()?,
            orig_qty: self.dec()?,
            new_qty: self.dec()?,
            time_ms: self.u64()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NAMES: &[&str] = &["order_id", "update_id"];

    /// A batch with every kind of record and every optional part set, beside plain ones.
    fn full_batch() -> Batch {
        let mut b = Batch::default();
        let plain = Order::sample(7, "plain", OrderStatus::New);
        let mut rich = Order::sample(8, "这是测试", OrderStatus::PartiallyFilled);
        rich.stop_price = Some(Decimal::new(-12_345, 4));
        rich.book_seq = Some(u64::MAX);
        rich.prevented_match_id = Some(3);
        rich.prevented_qty = Some(Decimal::new(1, 28));
        rich.order_list_id = Some(9);
        rich.strategy_id = Some(1);
        rich.strategy_type = Some(1_000_000);
        rich.used_sor = true;
        rich.working_time = -1;
        rich.iceberg = Some(Iceberg { qty: Decimal::new(5, 1), shown: Decimal::ZERO });
        rich.trailing = Some(Trailing { delta: 100, time: -1, best: Some(Decimal::new(30_000, 0)) });
        rich.peg = Some(Peg {
            price_type: PegPriceType::parse_known("PRIMARY_PEG").unwrap(),
            offset: Some(2),
            sent_price: Decimal::ZERO,
            pegged_price: None,
        });
        b.orders.insert(7, Box::new(plain));
        b.orders.insert(8, Box::new(rich));
        b.trades.push(Trade {
            trade_id: 1,
            symbol: "BTCUSDT".into(),
            price: Decimal::new(3, 0),
            qty: Decimal::new(1, 8),
            quote_qty: Decimal::new(3, 8),
            time_ms: 1_700_000_000_000,
            buyer_order_id: 7,
            seller_order_id: 8,
            is_buyer_maker: true,
            agg_id: 4,
        });
        b.fills.push(Fill {
            trade_id: 1,
            is_buyer: false,
            account_id: -2,
            order_id: 8,
            symbol: "BTCUSDT".into(),
            price: Decimal::new(3, 0),
            qty: Decimal::new(1, 8),
            quote_qty: Decimal::new(3, 8),
            commission: Decimal::ZERO,
            commission_asset: "USDT".into(),
            is_maker: false,
            time_ms: 5,
            order_list_id: None,
            alloc_id: Some(11),
        });
        b.balances.insert((1, "USDT".into()), (Decimal::new(10_050, 2), Decimal::new(1, 3)));
        b.sequences.insert("order_id", 9);
        b.order_lists.insert(
            9,
            OrderList {
                order_list_id: 9,
                account_id: 1,
                symbol: "BTCUSDT".into(),
                contingency_type: ContingencyType::Opo,
                status: ListStatus::AllDone,
                list_client_order_id: "list".into(),
                order_ids: vec![7, 8],
                time_ms: 1,
                update_ms: 2,
            },
        );
        b.accounts.insert(1, 6);
        b.prevented_matches.push(PreventedMatch {
            prevented_match_id: 3,
            symbol: "BTCUSDT".into(),
            taker_account_id: 1,
            taker_order_id: 8,
            maker_symbol: "BTCUSDT".into(),
            maker_account_id: 1,
            maker_order_id: 7,
            trade_group_id: -1,
            stp_mode: SelfTradePreventionMode::parse_known("EXPIRE_MAKER").unwrap(),
            price: Decimal::ONE,
            taker_prevented_qty: None,
            maker_prevented_qty: Some(Decimal::ONE),
            match_qty: Decimal::ONE,
            time_ms: 3,
            next_trade_id: 2,
        });
        b.amendments.push(Amendment {
            execution_id: 12,
            account_id: 1,
            symbol: "BTCUSDT".into(),
            order_id: 8,
            orig_client_order_id: "a".into(),
            new_client_order_id: "b".into(),
            orig_qty: Decimal::TWO,
            new_qty: Decimal::ONE,
            time_ms: 4,
        });
        b
    }

    /// Batch has no PartialEq of its own; its parts do.
    fn same(a: &Batch, b: &Batch) -> bool {
        a.orders == b.orders
            && a.trades == b.trades
            && a.fills == b.fills
            && a.balances == b.balances
            && a.sequences == b.sequences
            && a.order_lists == b.order_lists
            && a.accounts == b.accounts
            && a.prevented_matches == b.prevented_matches
            && a.amendments == b.amendments
    }

    #[test]
    fn every_record_reads_back_as_written() {
        let batch = full_batch();
        let mut bytes = Vec::new();
        encode(&batch, &mut bytes);
        let back = decode(&bytes, NAMES).unwrap();
        assert!(same(&batch, &back), "{back:#?}");
        let empty = decode(
            &{
                let mut v = Vec::new();
                encode(&Batch::default(), &mut v);
                v
            },
            NAMES,
        )
        .unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn a_cut_or_unknown_record_is_an_error_not_a_guess() {
        let mut bytes = Vec::new();
        encode(&full_batch(), &mut bytes);
        for cut in 0..bytes.len() {
            let err = decode(&bytes[..cut], NAMES).unwrap_err();
            assert!(matches!(err, StoreError::Corrupt { what: "backlog", .. }), "{cut}: {err}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, NAMES).unwrap_err().to_string().contains("1 bytes after"));
        let mut newer = bytes.clone();
        newer[0] = FORMAT + 1;
        assert!(decode(&newer, NAMES).unwrap_err().to_string().contains("record format 2"));
        // A sequence this sandbox does not know.
        assert!(decode(&bytes, &["update_id"]).is_err());
    }

    #[test]
    fn pending_counts_records_and_remembers_the_last_row() {
        let mut p = Pending::default();
        assert!(p.is_empty());
        p.absorb(full_batch(), 4);
        p.absorb(full_batch(), 3);
        assert_eq!(p.through_seq, 4);
        // 2 orders, 1 trade, 1 fill, 1 balance, 1 list, 1 prevented match, 1 amendment, twice.
        assert_eq!(p.records, 16);
        assert_eq!(p.batch.orders.len(), 2, "the last state of each order");
        assert_eq!(p.batch.trades.len(), 2);
        assert!(!p.due());
    }

    proptest! {
        /// Any bytes read as a record give a batch or an error, never a panic.
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode(&bytes, NAMES);
        }

        /// Integers and decimals of any value survive the trip.
        #[test]
        fn numbers_read_back(a in any::<u64>(), b in any::<i64>(), m in any::<i64>(), scale in 0u32..=28) {
            let mut order = Order::sample(a, "x", OrderStatus::New);
            order.account_id = b;
            order.working_time = b;
            order.price = Decimal::new(m, scale);
            let mut batch = Batch::default();
            batch.orders.insert(a, Box::new(order));
            let mut bytes = Vec::new();
            encode(&batch, &mut bytes);
            let back = decode(&bytes, NAMES).unwrap();
            prop_assert!(same(&batch, &back));
        }
    }
}
