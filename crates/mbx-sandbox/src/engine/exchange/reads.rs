//! Reading, without changing anything: orders (one, open, all), fills and trades, the book's depth,
//! tickers, and the average prices the filters judge by.

use mbx_core::model::{OrderStatus, Side};
use rust_decimal::Decimal;

use super::{Exchange, OrderRef};
use crate::engine::order::Order;
use crate::engine::order_list::leg_expiry_reason;
use crate::engine::trade::{Fill, Trade};
use crate::error::Result;
use crate::order::AveragePrices;
use crate::store::History;

/// An order book snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Depth {
    /// Wire: lastUpdateId.
    pub last_update_id: u64,
    /// (price, quantity), best first.
    pub bids: Vec<(Decimal, Decimal)>,
    /// (price, quantity), best first.
    pub asks: Vec<(Decimal, Decimal)>,
}

/// A symbol's summary for the tickers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticker {
    /// Symbol index.
    pub symbol: usize,
    /// Last trade price, else the book's mid price, else zero.
    pub price: Decimal,
    /// Best bid (price, quantity).
    pub bid: Option<(Decimal, Decimal)>,
    /// Best ask (price, quantity).
    pub ask: Option<(Decimal, Decimal)>,
}

/// `avgPrice`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvgPrice {
    /// Wire: mins.
    pub mins: u32,
    /// Wire: price.
    pub price: Decimal,
    /// Wire: closeTime.
    pub close_time: u64,
}

impl Exchange {
    /// An order of `account` on `sym` by id or client order id (the latest with that id).
    pub fn order(&self, account: i64, sym: usize, which: &OrderRef) -> Result<Option<Order>> {
        let symbol = self.symbol_name(sym);
        let found =
            self.store.find_order(account, symbol, which.order_id, which.client_order_id.as_deref())?;
        let mut found: Vec<Order> = found
            .filter(|o| match (&which.order_id, &which.client_order_id) {
                (Some(_), Some(cid)) => o.client_order_id == *cid,
                _ => true,
            })
            .into_iter()
            .collect();
        self.derive_list_expiry(account, &mut found)?;
        Ok(found.pop())
    }

    /// Open orders of `account`, on one symbol or all, by id.
    pub fn open_orders(&self, account: i64, sym: Option<usize>) -> Vec<Order> {
        let symbol = sym.map(|i| self.symbol_name(i));
        let mut v: Vec<Order> = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == account && symbol.is_none_or(|s| o.symbol == s))
            .cloned()
            .collect();
        v.sort_by_key(|o| o.order_id);
        v
    }

    /// `allOrders`.
    pub fn all_orders(&self, account: i64, sym: usize, h: &History) -> Result<Vec<Order>> {
        let mut orders = self.store.orders(account, self.symbol_name(sym), h)?;
        self.derive_list_expiry(account, &mut orders)?;
        Ok(orders)
    }

    /// Derives the expiry reason of each expired order list leg among `orders` (of `account`) from
    /// its stored list ([`leg_expiry_reason`]).
    fn derive_list_expiry(&self, account: i64, orders: &mut [Order]) -> Result<()> {
        let mut ids: Vec<u64> = orders
            .iter()
            .filter(|o| o.status == OrderStatus::Expired)
            .filter_map(|o| o.order_list_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let legs = self.store.orders_of_lists(&ids)?;
        for id in ids {
            let Some(list) = self.store.find_order_list(account, Some(id), None)? else { continue };
            for o in orders.iter_mut().filter(|o| o.order_list_id == Some(id)) {
                o.list_expiry_reason = leg_expiry_reason(&list, &legs, o);
            }
        }
        Ok(())
    }

    /// `myTrades`.
    pub fn my_trades(&self, account: i64, sym: usize, h: &History) -> Result<Vec<Fill>> {
        Ok(self.store.fills(account, self.symbol_name(sym), h)?)
    }

    /// `trades`: the most recent `limit` trades.
    pub fn recent_trades(&self, sym: usize, limit: u32) -> Result<Vec<Trade>> {
        Ok(self.store.recent_trades(self.symbol_name(sym), limit)?)
    }

    /// `depth`: at most `limit` levels a side.
    pub fn depth(&self, sym: usize, limit: usize) -> Depth {
        let Some(book) = self.mem.books.get(sym) else {
            return Depth { last_update_id: 0, bids: Vec::new(), asks: Vec::new() };
        };
        let side = |side: Side| -> Vec<(Decimal, Decimal)> {
            book.levels(&side).take(limit).map(|(p, ids)| (p, self.level_qty(ids))).collect()
        };
        Depth { last_update_id: book.last_update_id(), bids: side(Side::Buy), asks: side(Side::Sell) }
    }

    fn level_qty<'a>(&self, ids: impl IntoIterator<Item = &'a u64>) -> Decimal {
        super::feed::level_quantity(&self.mem.open, ids)
    }

    /// Last price and best bid and ask of `sym`.
    pub fn ticker(&self, sym: usize) -> Ticker {
        let top = |side: Side| {
            let book = self.mem.books.get(sym)?;
            let (price, ids) = book.levels(&side).next()?;
            Some((price, self.level_qty(ids)))
        };
        let (bid, ask) = (top(Side::Buy), top(Side::Sell));
        let price = match (self.mem.last_trade.get(sym).copied().flatten(), bid, ask) {
            (Some((last, _)), _, _) => last,
            (None, Some((b, _)), Some((a, _))) => (b + a) / Decimal::TWO,
            _ => Decimal::ZERO,
        };
        Ticker { symbol: sym, price, bid, ask }
    }

    /// `avgPrice`: the volume-weighted price of the last `mins` minutes of trades; else the last
    /// price (or the mid price before any trade).
    pub fn avg_price(&self, sym: usize, mins: u32, now: u64) -> Result<AvgPrice> {
        let last = self.mem.last_trade.get(sym).copied().flatten();
        let price = match self.reference_price(sym, mins, now)? {
            Some(p) => p,
            None => self.ticker(sym).price,
        };
        Ok(AvgPrice { mins, price, close_time: last.map_or(now, |(_, t)| t) })
    }

    /// The average price the filters judge by: the volume-weighted price of the trades of the last
    /// `mins` minutes (rounded to 8 decimals), else the last trade price (also for `mins` 0);
    /// `None` before the symbol's first trade.
    pub fn reference_price(&self, sym: usize, mins: u32, now: u64) -> Result<Option<Decimal>> {
        let Some((last, _)) = self.mem.last_trade.get(sym).copied().flatten() else { return Ok(None) };
        if mins == 0 {
            return Ok(Some(last));
        }
        let since = now.saturating_sub(u64::from(mins) * 60_000);
        let vwap = match self.mem.windows.get(sym) {
            Some(w) if w.covers(mins) => w.vwap(since),
            _ => {
                let trades = self.store.trades_since(self.symbol_name(sym), since)?;
                let qty: Decimal = trades.iter().map(|t| t.qty).sum();
                let quote: Decimal = trades.iter().map(|t| t.quote_qty).sum();
                quote.checked_div(qty).filter(|_| !qty.is_zero()).map(|p| p.round_dp(8))
            }
        };
        Ok(Some(vwap.unwrap_or(last)))
    }

    /// The average prices `sym`'s filters judge an order by at `now`.
    pub fn average_prices(&self, sym: usize, now: u64) -> AveragePrices {
        let Some(spec) = self.symbols.get(sym) else { return AveragePrices::default() };
        // The window covers both filters' minutes; the store is read only for an odd configuration.
        let at = |mins: u32| self.reference_price(sym, mins, now).ok().flatten();
        AveragePrices {
            percent_price: at(spec.percent_price_by_side.avg_price_mins),
            notional: at(spec.notional.avg_price_mins),
        }
    }

    pub(in crate::engine) fn symbol_name(&self, sym: usize) -> &str {
        self.symbols.get(sym).map_or("", |s| s.symbol.as_str())
    }
}
