//! The built-in market maker: a separate account that quotes both sides of every book, so a demo
//! MARKET order fills.
//!
//! * **Deterministic.** Its quotes depend only on the seed, the symbol and how many times it has
//!   requoted that symbol: a pseudo-random walk (SplitMix64 of those three) moves each symbol's
//!   reference price by at most 0.02% a step.
//! * **When it quotes.** At start, on every symbol where it has no open order; then whenever one of
//!   its orders on a symbol trades or is expired, it cancels its remaining orders there and places a
//!   fresh ladder around the next reference price, in the same transaction as the order that
//!   traded with it.
//! * **Ladder.** [`LEVELS`] bids and asks, `gap` apart (0.05% of the reference, at least one tick),
//!   each for the symbol's quote size, rounded to `LOT_SIZE`; a level that would fail a filter, cross
//!   a resting order of another account, or exceed the maker's balance is left out (quotes never
//!   take).
//! * **Price band.** Before each ladder a reference that has walked outside `PERCENT_PRICE_BY_SIDE`'s
//!   band around the symbol's average price is put back on the average, and a level outside its
//!   side's band is left out, so the market maker never quotes what a client could not.

use mbx_core::model::Side;
use rust_decimal::Decimal;

use super::book::floor_to_step;
use crate::market::SymbolSpec;

/// The market maker's account id (its `uid`).
pub const ACCOUNT_ID: i64 = 2;
/// The market maker's account name.
pub const ACCOUNT_NAME: &str = "market-maker";
/// Bids (and asks) per symbol.
pub const LEVELS: u32 = 20;

/// The market maker's opening balances: ample for years of demo trading.
pub const BALANCES: &[(&str, &str)] = &[
    ("USDT", "1000000000"),
    ("BTC", "100000"),
    ("ETH", "1000000"),
    ("LTC", "10000000"),
    ("BNB", "1000000"),
    ("这是测试币", "1000000000"),
    ("456", "1000000000"),
];

/// Reference price and size per level of the default symbols.
const QUOTES: &[(&str, &str, &str)] = &[
    ("BTCUSDT", "60000", "0.25"),
    ("ETHUSDT", "3000", "2.5"),
    ("BNBUSDT", "600", "20"),
    ("LTCBTC", "0.0015", "25"),
    ("ETHBTC", "0.05", "2.5"),
    ("这是测试币456", "1", "250"),
];

/// Largest move of the reference price per requote, as a fraction.
const WALK_STEP: Decimal = Decimal::from_parts(2, 0, 0, false, 4);
/// Distance between levels, as a fraction of the reference price.
const GAP: Decimal = Decimal::from_parts(5, 0, 0, false, 4);

/// SplitMix64: a small, fixed, well-mixed function of its input.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The `n`th draw of the background market's steps for `seed` (which symbol, which side, how much).
pub fn draw(seed: u64, n: u64) -> u64 {
    splitmix64(seed ^ splitmix64(n ^ 0xAC71_0000_0000_0000))
}

/// One quote to place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// BUY (a bid) or SELL (an ask).
    pub side: Side,
    /// Its price.
    pub price: Decimal,
    /// Its quantity.
    pub qty: Decimal,
}

/// Per symbol: reference price, size per level, and how many requotes so far.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Track {
    reference: Decimal,
    size: Decimal,
    round: u64,
}

/// The market maker's state (in memory; its orders are ordinary orders in the store).
#[derive(Debug, Clone)]
pub struct MarketMaker {
    seed: u64,
    /// By symbol index; `None` for symbols it does not quote.
    tracks: Vec<Option<Track>>,
}

impl MarketMaker {
    /// What it does on symbol `index`: `(reference price, size a level, requotes so far)`, or
    /// `None` where it does not quote (for the console).
    pub fn track(&self, index: usize) -> Option<(Decimal, Decimal, u64)> {
        self.tracks.get(index)?.as_ref().map(|t| (t.reference, t.size, t.round))
    }

    /// A market maker for `symbols`, quoting those it has a reference price for.
    pub fn new(seed: u64, symbols: &[SymbolSpec]) -> MarketMaker {
        let tracks = symbols
            .iter()
            .map(|s| {
                QUOTES.iter().find(|(name, _, _)| *name == s.symbol).and_then(|(_, reference, size)| {
                    Some(Track { reference: reference.parse().ok()?, size: size.parse().ok()?, round: 0 })
                })
            })
            .collect();
        MarketMaker { seed, tracks }
    }

    /// Quotes symbol `index` around `reference`, `size` a level (a symbol set up by configuration).
    pub fn set_quote(&mut self, index: usize, reference: Decimal, size: Decimal) {
        if let Some(slot) = self.tracks.get_mut(index) {
            *slot = Some(Track { reference, size, round: 0 });
        }
    }

    /// Whether it quotes symbol `index`.
    pub fn quotes(&self, index: usize) -> bool {
        self.tracks.get(index).is_some_and(Option::is_some)
    }

    /// Continues from a mid price found in the book (after a restart).
    pub fn resume_at(&mut self, index: usize, mid: Decimal) {
        if let Some(Some(t)) = self.tracks.get_mut(index)
            && mid > Decimal::ZERO
        {
            t.reference = mid;
        }
    }

    /// Puts symbol `index`'s reference back on `avg` if the walk took it outside `low`..=`high` (the
    /// filters' price band around the average price `avg`), so the whole ladder fits the band again.
    pub fn recenter(&mut self, index: usize, avg: Decimal, low: Decimal, high: Decimal) {
        if let Some(Some(t)) = self.tracks.get_mut(index)
            && low <= high
            && (t.reference < low || t.reference > high)
        {
            t.reference = avg.clamp(low, high);
        }
    }

    /// Moves symbol `index`'s reference one step of the walk.
    pub fn step(&mut self, index: usize) {
        let seed = self.seed;
        let Some(Some(t)) = self.tracks.get_mut(index) else { return };
        t.round = t.round.wrapping_add(1);
        let draw = splitmix64(seed ^ splitmix64(((index as u64) << 32) ^ t.round)) % 3;
        let factor = match draw {
            0 => Decimal::ONE - WALK_STEP,
            1 => Decimal::ONE,
            _ => Decimal::ONE + WALK_STEP,
        };
        t.reference = t.reference.checked_mul(factor).unwrap_or(t.reference);
    }

    /// The ladder for symbol `index` around its current reference, best levels first.
    pub fn ladder(&self, index: usize, spec: &SymbolSpec) -> Vec<Quote> {
        let Some(Some(t)) = self.tracks.get(index) else { return Vec::new() };
        let tick = spec.price_filter.tick_size;
        let round_tick = |p: Decimal| floor_to_step(p, tick);
        let reference = round_tick(t.reference);
        let gap = round_tick(t.reference * GAP).max(tick);
        let qty = floor_to_step(t.size, spec.lot_size.step_size);
        let mut out = Vec::with_capacity(2 * LEVELS as usize);
        for k in 1..=LEVELS {
            let offset = gap * Decimal::from(k);
            for (side, price) in [(Side::Buy, reference - offset), (Side::Sell, reference + offset)] {
                let ok = price > Decimal::ZERO
                    && spec.price_filter.passes(price)
                    && spec.lot_size.passes(qty)
                    && spec.notional.passes(price * qty);
                if ok {
                    out.push(Quote { side, price, qty });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn market_maker_ladders_pass_filters_and_do_not_cross() {
        let symbols = seed::default_symbols();
        let mm = MarketMaker::new(7, &symbols);
        for (i, s) in symbols.iter().enumerate() {
            assert!(mm.quotes(i), "{}", s.symbol);
            let ladder = mm.ladder(i, s);
            assert_eq!(ladder.len(), 2 * LEVELS as usize, "{}", s.symbol);
            let best_bid = ladder.iter().filter(|q| q.side == Side::Buy).map(|q| q.price).max().unwrap();
            let best_ask = ladder.iter().filter(|q| q.side == Side::Sell).map(|q| q.price).min().unwrap();
            assert!(best_bid < best_ask, "{}", s.symbol);
        }
    }

    #[test]
    fn market_maker_walk_is_deterministic_per_seed() {
        let symbols = seed::default_symbols();
        let walk = |seed| {
            let mut mm = MarketMaker::new(seed, &symbols);
            (0..50).for_each(|_| mm.step(0));
            mm.ladder(0, &symbols[0])
        };
        assert_eq!(walk(1), walk(1));
        assert_ne!(walk(1), walk(2));
    }
}
