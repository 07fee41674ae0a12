//! [`TradeWindow`]: one symbol's recent trades in memory, for its volume-weighted average price
//! (`GET /api/v3/avgPrice` and the filters that judge orders by it) without reading the store.
//!
//! The window keeps the trades of the last `span` ms before its newest trade, with running sums of
//! their quantity and quote quantity; a read for a shorter or later window subtracts the few trades at
//! the front that fall outside it. Sums are exact decimals: no drift, however long it runs.

use std::collections::VecDeque;

use rust_decimal::Decimal;

/// One trade as the average needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    time_ms: u64,
    qty: Decimal,
    quote: Decimal,
}

/// A symbol's trades over the last `span` ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeWindow {
    span_ms: u64,
    trades: VecDeque<Entry>,
    qty: Decimal,
    quote: Decimal,
}

impl TradeWindow {
    /// An empty window keeping `span_ms` of trades.
    pub fn new(span_ms: u64) -> TradeWindow {
        TradeWindow { span_ms, trades: VecDeque::new(), qty: Decimal::ZERO, quote: Decimal::ZERO }
    }

    /// How many ms of trades it keeps.
    pub fn span_ms(&self) -> u64 {
        self.span_ms
    }

    /// Adds a trade (trades arrive in time order) and forgets those now older than the span.
    pub fn push(&mut self, time_ms: u64, qty: Decimal, quote: Decimal) {
        self.trades.push_back(Entry { time_ms, qty, quote });
        self.qty += qty;
        self.quote += quote;
        let oldest = time_ms.saturating_sub(self.span_ms);
        while let Some(front) = self.trades.front().copied() {
            if front.time_ms >= oldest {
                break;
            }
            self.trades.pop_front();
            self.qty -= front.qty;
            self.quote -= front.quote;
        }
    }

    /// The volume-weighted price of the trades at or after `since_ms`, to 8 decimals; `None` when
    /// there are none (or `since_ms` lies before what the window keeps, see [`TradeWindow::covers`]).
    pub fn vwap(&self, since_ms: u64) -> Option<Decimal> {
        let (mut qty, mut quote) = (self.qty, self.quote);
        for e in self.trades.iter().take_while(|e| e.time_ms < since_ms) {
            qty -= e.qty;
            quote -= e.quote;
        }
        if qty <= Decimal::ZERO {
            return None;
        }
        quote.checked_div(qty).map(|p| p.round_dp(8))
    }

    /// Whether a window of `mins` minutes fits in what this keeps.
    pub fn covers(&self, mins: u32) -> bool {
        u64::from(mins) * 60_000 <= self.span_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn trade_window_weights_by_volume_and_forgets_old_trades() {
        let mut w = TradeWindow::new(60_000);
        assert_eq!(w.vwap(0), None);
        w.push(1_000, d("1"), d("100"));
        w.push(2_000, d("3"), d("600"));
        // (100 + 600) / 4
        assert_eq!(w.vwap(0), Some(d("175")));
        assert_eq!(w.vwap(1_500), Some(d("200")), "only the trade at 2000");
        assert_eq!(w.vwap(2_001), None);
        // 62_000 - 60_000 = 2_000: the trade at 1_000 leaves the window, the one at 2_000 stays.
        w.push(62_000, d("1"), d("300"));
        assert_eq!(w.trades.len(), 2);
        assert_eq!(w.vwap(0), Some(d("225")));
        assert!(w.covers(1) && !w.covers(2));
    }

    #[test]
    fn trade_window_rounds_to_eight_decimals() {
        let mut w = TradeWindow::new(60_000);
        w.push(1, d("3"), d("1"));
        assert_eq!(w.vwap(0), Some(d("0.33333333")));
    }
}
