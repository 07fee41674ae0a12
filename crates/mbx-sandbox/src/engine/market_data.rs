//! Market data computed from the sandbox's own trades: `historicalTrades`, `aggTrades`, klines
//! (`klines`, `uiKlines`) and window statistics (`ticker/24hr`, `ticker/tradingDay`, `ticker`).
//! Everything is read from the store on the engine thread, so an answer never shows a trade that is
//! not committed and never misses one that is.
//!
//! # Aggregate trades
//!
//! Consecutive trades (in trade-id order) of one symbol form one aggregate when they have the same
//! taker order, the same price and the same time: one taker sweeping several makers at one price
//! level. The aggregate's id (`a`) is the id of its first trade (`f`). That makes ids stable across
//! restarts and rebuildable from the trades table alone, with no second sequence to persist and keep
//! in step, at the cost of ids that skip numbers (Binance's are consecutive). `fromId` keeps the
//! docs' meaning, aggregates with an id at or above it, and paging with `fromId = last a + 1` visits
//! every aggregate exactly once. A taker's trades are consecutive ids because one command matches one
//! taker at a time, so an aggregate is never split by another taker's trade.
//!
//! # Klines
//!
//! Candles are built on request from the trades in their range. A symbol has candles from the one
//! holding its first trade to the one holding "now" (the current candle, still open, is included,
//! with its scheduled close time). The docs do not say what a quiet interval looks like; Binance
//! emits a candle for every interval of a trading symbol, and for one without trades it repeats the
//! previous close as open, high, low and close with zero volume and zero trades. The sandbox does the
//! same, so a chart of a quiet sandbox market has no holes. A candle is selected by its open time:
//! `startTime <= open <= endTime`.
//!
//! `uiKlines` are the same candles made to join up on a chart: each opens at the previous candle's
//! close (widening its high or low to include that open when needed). The docs only say the data is
//! "modified" for presentation; this is the sandbox's reading of it.
//!
//! # Window statistics
//!
//! Over the trades with `openTime <= time <= closeTime`: first and last price, extremes, volumes,
//! count and first and last trade id. A window without trades reports zero prices and volumes,
//! `firstId`/`lastId` of `-1`, `count` 0, and the last price the symbol ever traded (zero if none).
//! The docs are silent on this; it is how Binance's `ticker/24hr` answers for inactive symbols look.

use rust_decimal::{Decimal, RoundingStrategy};

use super::exchange::Exchange;
use super::trade::Trade;
use super::{EngineHandle, Ticker};
use crate::error::Result;
use crate::store::TradeScan;
use crate::timeframe::{Interval, TimeZone};

/// One aggregate trade (`aggTrades`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggTrade {
    /// Wire: a (its own sequence per symbol, stored with its trades).
    pub agg_id: u64,
    /// Wire: p.
    pub price: Decimal,
    /// Wire: q (the sum of its trades).
    pub qty: Decimal,
    /// Wire: f.
    pub first_id: u64,
    /// Wire: l.
    pub last_id: u64,
    /// Wire: T (ms).
    pub time_ms: u64,
    /// Wire: m.
    pub is_buyer_maker: bool,
}

impl AggTrade {
    fn start(t: &Trade) -> AggTrade {
        AggTrade {
            agg_id: t.agg_id,
            price: t.price,
            qty: t.qty,
            first_id: t.trade_id,
            last_id: t.trade_id,
            time_ms: t.time_ms,
            is_buyer_maker: t.is_buyer_maker,
        }
    }

    /// Whether `t` belongs to this aggregate (the engine numbered its run when it matched).
    fn joins(&self, t: &Trade) -> bool {
        t.agg_id == self.agg_id
    }

    fn absorb(&mut self, t: &Trade) {
        self.qty += t.qty;
        self.first_id = self.first_id.min(t.trade_id);
        self.last_id = self.last_id.max(t.trade_id);
    }
}

/// What an `aggTrades` call selects (the handler has checked the combination).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggQuery {
    /// Aggregates with ids at or above this, oldest first.
    pub from_id: Option<u64>,
    /// Aggregates at or after this time (ms), oldest first.
    pub start_ms: Option<u64>,
    /// Aggregates at or before this time (ms); alone, the most recent ones up to it.
    pub end_ms: Option<u64>,
    /// At most this many (at least 1).
    pub limit: u32,
}

/// One candle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kline {
    /// Open time (ms).
    pub open_time: i64,
    /// Open price.
    pub open: Decimal,
    /// High price.
    pub high: Decimal,
    /// Low price.
    pub low: Decimal,
    /// Close price.
    pub close: Decimal,
    /// Base asset volume.
    pub volume: Decimal,
    /// Close time (ms): the next candle's open time less one.
    pub close_time: i64,
    /// Quote asset volume.
    pub quote_volume: Decimal,
    /// Number of trades.
    pub trades: u64,
    /// Base volume of the trades whose taker bought.
    pub taker_buy_base: Decimal,
    /// Quote volume of the trades whose taker bought.
    pub taker_buy_quote: Decimal,
    /// The first trade's id (the kline stream's `f`).
    pub first_id: Option<u64>,
    /// The last trade's id (the kline stream's `L`).
    pub last_id: Option<u64>,
}

/// What a `klines` / `uiKlines` call selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KlineQuery {
    /// Wire: interval.
    pub interval: Interval,
    /// Wire: timeZone.
    pub time_zone: TimeZone,
    /// Candles opening at or after this (ms).
    pub start_ms: Option<u64>,
    /// Candles opening at or before this (ms).
    pub end_ms: Option<u64>,
    /// At most this many (at least 1).
    pub limit: u32,
    /// `uiKlines`: each candle opens at the previous close.
    pub ui: bool,
}

/// A symbol's statistics over a time window (the window tickers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowStats {
    /// Symbol index.
    pub symbol: usize,
    /// Wire: openTime.
    pub open_time: u64,
    /// Wire: closeTime.
    pub close_time: u64,
    /// Wire: prevClosePrice (the last price before the window, zero if none).
    pub prev_close: Decimal,
    /// Wire: openPrice.
    pub open: Decimal,
    /// Wire: highPrice.
    pub high: Decimal,
    /// Wire: lowPrice.
    pub low: Decimal,
    /// Wire: lastPrice.
    pub last: Decimal,
    /// Wire: lastQty.
    pub last_qty: Decimal,
    /// Wire: volume.
    pub volume: Decimal,
    /// Wire: quoteVolume.
    pub quote_volume: Decimal,
    /// Wire: firstId (`-1` when `None`).
    pub first_id: Option<u64>,
    /// Wire: lastId (`-1` when `None`).
    pub last_id: Option<u64>,
    /// Wire: count.
    pub count: u64,
    /// The book's best bid and ask now (price, quantity).
    pub book: Ticker,
}

impl WindowStats {
    /// Wire: priceChange.
    pub fn price_change(&self) -> Decimal {
        if self.count == 0 { Decimal::ZERO } else { self.last - self.open }
    }

    /// Wire: priceChangePercent (three decimals).
    pub fn price_change_percent(&self) -> Decimal {
        let pct = (self.price_change() * Decimal::ONE_HUNDRED).checked_div(self.open).unwrap_or_default();
        pct.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
    }

    /// Wire: weightedAvgPrice (`quoteVolume / volume`, eight decimals; zero without trades).
    pub fn weighted_avg_price(&self) -> Decimal {
        self.quote_volume
            .checked_div(self.volume)
            .unwrap_or_default()
            .round_dp_with_strategy(8, RoundingStrategy::MidpointAwayFromZero)
    }
}

fn to_ms(t: i64) -> u64 {
    u64::try_from(t).unwrap_or(0)
}

fn from_ms(t: u64) -> i64 {
    i64::try_from(t).unwrap_or(i64::MAX)
}

/// One candle being filled.
#[derive(Debug, Default, Clone)]
struct Bucket {
    open: Option<Decimal>,
    high: Decimal,
    low: Decimal,
    close: Decimal,
    volume: Decimal,
    quote_volume: Decimal,
    trades: u64,
    taker_buy_base: Decimal,
    taker_buy_quote: Decimal,
    first_id: Option<u64>,
    last_id: Option<u64>,
}

impl Bucket {
    fn add(&mut self, t: &Trade) {
        if self.open.is_none() {
            self.open = Some(t.price);
            (self.high, self.low) = (t.price, t.price);
        }
        self.first_id = Some(self.first_id.map_or(t.trade_id, |f| f.min(t.trade_id)));
        self.last_id = Some(self.last_id.map_or(t.trade_id, |l| l.max(t.trade_id)));
        self.high = self.high.max(t.price);
        self.low = self.low.min(t.price);
        self.close = t.price;
        self.volume += t.qty;
        self.quote_volume += t.quote_qty;
        self.trades += 1;
        if !t.is_buyer_maker {
            self.taker_buy_base += t.qty;
            self.taker_buy_quote += t.quote_qty;
        }
    }
}

/// Reading market data.
impl Exchange {
    /// `historicalTrades`: from `from_id` upwards, or the most recent; oldest first.
    pub fn historical_trades(&self, sym: usize, from_id: Option<u64>, limit: u32) -> Result<Vec<Trade>> {
        let name = self.symbol_name(sym);
        Ok(match from_id {
            Some(id) => self.store().trades_from(name, id, limit)?,
            None => self.store().recent_trades(name, limit)?,
        })
    }

    /// `aggTrades`, oldest first: from `fromId`, from `startTime`, or the most recent (up to
    /// `endTime`).
    pub fn agg_trades(&self, sym: usize, q: &AggQuery) -> Result<Vec<AggTrade>> {
        let name = self.symbol_name(sym);
        let newest_first = q.from_id.is_none() && q.start_ms.is_none();
        // From an aggregate id: from the first trade of the first aggregate at or above it.
        let from_trade = match q.from_id {
            Some(agg_id) => match self.store().first_trade_of_aggregate(name, agg_id)? {
                Some(trade_id) => Some(trade_id),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        let scan = TradeScan { from_id: from_trade, start_ms: q.start_ms, end_ms: q.end_ms, newest_first };
        let limit = usize::try_from(q.limit).unwrap_or(usize::MAX).max(1);
        let mut done: Vec<AggTrade> = Vec::new();
        let mut current: Option<AggTrade> = None;
        self.store().scan_trades(name, &scan, |t| {
            match &mut current {
                Some(agg) if agg.joins(&t) => agg.absorb(&t),
                _ => {
                    if let Some(agg) = current.take() {
                        done.push(agg);
                    }
                    if done.len() == limit {
                        return false;
                    }
                    current = Some(AggTrade::start(&t));
                }
            }
            true
        })?;
        if let Some(agg) = current
            && done.len() < limit
        {
            done.push(agg);
        }
        if newest_first {
            done.reverse();
        }
        Ok(done)
    }

    /// `klines` / `uiKlines` at time `now` (ms), oldest first.
    pub fn klines(&self, sym: usize, q: &KlineQuery, now: u64) -> Result<Vec<Kline>> {
        let name = self.symbol_name(sym);
        let Some(first) = self.store().first_trade_time(name)? else { return Ok(Vec::new()) };
        let (iv, tz) = (q.interval, q.time_zone);
        let first_open = iv.open_of(from_ms(first), tz);
        let latest = from_ms(now.max(first).min(q.end_ms.unwrap_or(u64::MAX)));
        let last_open = iv.open_of(latest, tz);
        let limit = usize::try_from(q.limit).unwrap_or(usize::MAX).max(1);
        let mut opens = Vec::new();
        if let Some(start) = q.start_ms {
            let mut open = iv.open_at_or_after(from_ms(start), tz).max(first_open);
            while open <= last_open && opens.len() < limit {
                opens.push(open);
                open = iv.next_open(open, tz);
            }
        } else {
            let mut open = last_open;
            while open >= first_open && opens.len() < limit {
                opens.push(open);
                open = iv.prev_open(open, tz);
            }
            opens.reverse();
        }
        let (Some(&range_open), Some(&range_last)) = (opens.first(), opens.last()) else {
            return Ok(Vec::new());
        };
        let range_close = iv.next_open(range_last, tz) - 1;

        let mut buckets = vec![Bucket::default(); opens.len()];
        for t in self.store().trades_between(name, to_ms(range_open), to_ms(range_close))? {
            let i = opens.partition_point(|&open| open <= from_ms(t.time_ms)).saturating_sub(1);
            buckets[i].add(&t);
        }
        let before = match range_open.checked_sub(1).filter(|t| *t >= 0) {
            Some(t) => self.store().last_trade_until(name, to_ms(t))?,
            None => None,
        };
        let mut prev_close = before.map(|t| t.price);
        let mut out = Vec::with_capacity(opens.len());
        for (open_time, b) in opens.iter().zip(buckets) {
            let carried = prev_close.unwrap_or(b.open.unwrap_or_default());
            let (mut open, mut high, mut low, close) = match b.open {
                Some(open) => (open, b.high, b.low, b.close),
                None => (carried, carried, carried, carried),
            };
            if q.ui {
                open = carried;
                high = high.max(open);
                low = low.min(open);
            }
            out.push(Kline {
                open_time: *open_time,
                open,
                high,
                low,
                close,
                volume: b.volume,
                close_time: iv.next_open(*open_time, tz) - 1,
                quote_volume: b.quote_volume,
                trades: b.trades,
                taker_buy_base: b.taker_buy_base,
                taker_buy_quote: b.taker_buy_quote,
                first_id: b.first_id,
                last_id: b.last_id,
            });
            prev_close = Some(close);
        }
        Ok(out)
    }

    /// Statistics of `sym`'s trades from `open_ms` to `close_ms` inclusive.
    pub fn window_stats(&self, sym: usize, open_ms: u64, close_ms: u64) -> Result<WindowStats> {
        let name = self.symbol_name(sym);
        let trades = self.store().trades_between(name, open_ms, close_ms)?;
        let before = match open_ms.checked_sub(1) {
            Some(t) => self.store().last_trade_until(name, t)?,
            None => None,
        };
        let prev_close = before.as_ref().map_or(Decimal::ZERO, |t| t.price);
        let mut stats = WindowStats {
            symbol: sym,
            open_time: open_ms,
            close_time: close_ms,
            prev_close,
            open: Decimal::ZERO,
            high: Decimal::ZERO,
            low: Decimal::ZERO,
            last: prev_close,
            last_qty: Decimal::ZERO,
            volume: Decimal::ZERO,
            quote_volume: Decimal::ZERO,
            first_id: None,
            last_id: None,
            count: 0,
            book: self.ticker(sym),
        };
        let (Some(first), Some(last)) = (trades.first(), trades.last()) else { return Ok(stats) };
        stats.open = first.price;
        stats.high = first.price;
        stats.low = first.price;
        stats.last = last.price;
        stats.last_qty = last.qty;
        stats.first_id = Some(first.trade_id);
        stats.last_id = Some(last.trade_id);
        stats.count = u64::try_from(trades.len()).unwrap_or(u64::MAX);
        for t in &trades {
            stats.high = stats.high.max(t.price);
            stats.low = stats.low.min(t.price);
            stats.volume += t.qty;
            stats.quote_volume += t.quote_qty;
        }
        Ok(stats)
    }
}

/// Market data requests, answered on the engine thread.
impl EngineHandle {
    /// `historicalTrades` of `symbol`.
    pub async fn historical_trades(
        &self,
        symbol: usize,
        from_id: Option<u64>,
        limit: u32,
    ) -> Result<Vec<Trade>> {
        self.exec(move |ex| ex.historical_trades(symbol, from_id, limit)).await
    }

    /// `aggTrades` of `symbol`.
    pub async fn agg_trades(&self, symbol: usize, q: AggQuery) -> Result<Vec<AggTrade>> {
        self.exec(move |ex| ex.agg_trades(symbol, &q)).await
    }

    /// `klines` / `uiKlines` of `symbol` at `now_ms`.
    pub async fn klines(&self, symbol: usize, q: KlineQuery, now_ms: u64) -> Result<Vec<Kline>> {
        self.exec(move |ex| ex.klines(symbol, &q, now_ms)).await
    }

    /// Statistics of each of `symbols` over the window from `open_ms` to `close_ms`.
    pub async fn window_stats(
        &self,
        symbols: Vec<usize>,
        open_ms: u64,
        close_ms: u64,
    ) -> Result<Vec<WindowStats>> {
        self.exec(move |ex| symbols.into_iter().map(|s| ex.window_stats(s, open_ms, close_ms)).collect())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trade(id: u64, agg_id: u64, price: i64, time_ms: u64) -> Trade {
        Trade {
            agg_id,
            trade_id: id,
            symbol: "BTCUSDT".into(),
            price: Decimal::from(price),
            qty: Decimal::ONE,
            quote_qty: Decimal::from(price),
            time_ms,
            buyer_order_id: 7,
            seller_order_id: 1000 + id,
            is_buyer_maker: false,
        }
    }

    #[test]
    fn an_aggregate_is_its_stored_id_s_trades() {
        let mut agg = AggTrade::start(&trade(5, 3, 100, 1));
        assert!(agg.joins(&trade(6, 3, 100, 1)));
        assert!(!agg.joins(&trade(7, 4, 100, 1)), "the next aggregate");
        agg.absorb(&trade(4, 3, 100, 1));
        agg.absorb(&trade(6, 3, 100, 1));
        assert_eq!((agg.agg_id, agg.first_id, agg.last_id, agg.qty), (3, 4, 6, Decimal::from(3)));
    }

    #[test]
    fn window_stats_percent_and_average_round_as_binance_shows_them() {
        let s = WindowStats {
            symbol: 0,
            open_time: 0,
            close_time: 0,
            prev_close: Decimal::ZERO,
            open: Decimal::from(3),
            high: Decimal::from(3),
            low: Decimal::ONE,
            last: Decimal::ONE,
            last_qty: Decimal::ONE,
            volume: Decimal::from(3),
            quote_volume: Decimal::from(5),
            first_id: Some(1),
            last_id: Some(3),
            count: 3,
            book: Ticker { symbol: 0, price: Decimal::ZERO, bid: None, ask: None },
        };
        assert_eq!(s.price_change(), Decimal::from(-2));
        assert_eq!(s.price_change_percent().to_string(), "-66.667");
        assert_eq!(s.weighted_avg_price().to_string(), "1.66666667");
        let quiet = WindowStats { count: 0, open: Decimal::ZERO, volume: Decimal::ZERO, ..s };
        assert_eq!((quiet.price_change(), quiet.price_change_percent()), (Decimal::ZERO, Decimal::ZERO));
        assert_eq!(quiet.weighted_avg_price(), Decimal::ZERO);
    }
}
