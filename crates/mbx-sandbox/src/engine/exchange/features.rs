//! Icebergs, trailing stops and pegged orders: what the engine does for them beyond an ordinary
//! order.
//!
//! * **Icebergs** rest with their whole quantity but show one slice of `icebergQty` at a time
//!   ([`Order::displayed`]: `depth`, the depth streams and the book ticker see only the slice).
//!   When takers have taken the whole slice, the next one (up to `icebergQty` of the rest) is shown
//!   and the order moves to the back of its price level: a new slice loses time priority, as on
//!   Binance ([`Exchange::next_slice`]; the book plans the same, `book.rs` invariant 7).
//!   `MAX_NUM_ICEBERG_ORDERS` counts the account's open icebergs on the symbol.
//! * **Trailing stops** (the trailing stop FAQ) start tracking at placement when they have no
//!   `stopPrice`, else when the last price meets the `stopPrice` condition (`trailingTime` is then
//!   set), from the `stopPrice` (CHANGELOG 2022-12-02). While tracking they keep the best last price:
//!   the highest for a SELL, the lowest for a BUY. They trigger once the last price is `trailingDelta`
//!   BIPS (1 = 0.01%) worse than that best: a SELL at `best * (1 - delta / 10000)` or below, a BUY
//!   at `best * (1 + delta / 10000)` or above. Triggered, they work as any stop order does.
//! * **Pegged orders** (the pegged orders FAQ) take their price from the book when they enter it:
//!   `PRIMARY_PEG` the best price of their own side, `MARKET_PEG` of the opposite side,
//!   `pegOffsetValue` price levels deeper; `-2010 Order book liquidity is too low for this pegged
//!   order.` when that level does not exist. The average-price filters then judge the pegged price
//!   (and the sent `price`, if any). A pegged stop-limit takes its price when it triggers, and
//!   expires if the book has no such level or the price fails the filters then. Binance does not
//!   re-peg: the price is fixed once determined, so a resting pegged order stays where it entered.
//!
//! A trailing stop sees every trade of its symbol in turn (a sweep's trades one by one), so it may
//! start tracking, move its best price and trigger within one command.
//!
//! No executionReport is sent when a trailing stop starts tracking: its status does not change.

use mbx_core::model::{OrderStatus, PegPriceType, Side};
use rust_decimal::Decimal;

use super::stops::triggers;
use super::{Exchange, new_order_rejected};
use crate::engine::order::{Order, OrderTerms, Trailing};
use crate::error::Result;
use crate::market::SymbolSpec;
use crate::order::check_at_average;

/// BIPS in one: `trailingDelta` 10000 is 100%.
const BIPS: i64 = 10_000;

/// Whether a tracking trailing stop of `side` triggers at `last`, `delta` BIPS off its `best`.
pub(super) fn trailing_triggers(side: &Side, t: &Trailing, last: Decimal) -> bool {
    if t.time < 0 {
        return false;
    }
    let Some(best) = t.best else { return false };
    let delta = Decimal::from(t.delta) / Decimal::from(BIPS);
    match side {
        Side::Sell => last <= best * (Decimal::ONE - delta),
        _ => last >= best * (Decimal::ONE + delta),
    }
}

impl Exchange {
    /// `MAX_NUM_ICEBERG_ORDERS`: room for the icebergs among `terms` (an order, or an order list's
    /// legs) besides the open icebergs of `account` on the symbol.
    pub(super) fn check_iceberg_room<'t>(
        &self,
        account: i64,
        spec: &SymbolSpec,
        terms: impl IntoIterator<Item = &'t OrderTerms>,
    ) -> Result<()> {
        let adding = terms.into_iter().filter(|t| t.features.is_iceberg()).count();
        if adding == 0 {
            return Ok(());
        }
        let open = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == account && o.symbol == spec.symbol && o.is_iceberg())
            .count();
        if open + adding > spec.max_num_iceberg_orders as usize {
            return Err(crate::order::filter_failure(
                "MAX_NUM_ICEBERG_ORDERS",
                format!(
                    "The account has {open} open iceberg orders on {}; {adding} more would pass the MAX_NUM_ICEBERG_ORDERS limit of {}. Cancel one first or send the order without icebergQty.",
                    spec.symbol, spec.max_num_iceberg_orders
                ),
            ));
        }
        Ok(())
    }

    /// The price level a pegged order of `side` names in book `sym`, if it exists.
    fn peg_level(&self, sym: usize, side: &Side, price_type: &PegPriceType, offset: u32) -> Option<Decimal> {
        let book_side = match (price_type, side) {
            (PegPriceType::MarketPeg, Side::Buy) => Side::Sell,
            (PegPriceType::MarketPeg, _) => Side::Buy,
            (_, s) => s.clone(),
        };
        let deeper = usize::try_from(offset).unwrap_or(usize::MAX);
        self.mem.books.get(sym)?.levels(&book_side).nth(deeper).map(|(p, _)| p)
    }

    /// Prices a pegged order from the book (its `peggedPrice`) and runs the average-price filters at
    /// that price: `-2010 Order book liquidity is too low for this pegged order.` when the book has
    /// no such level.
    pub(super) fn peg_price(
        &self,
        order: &mut Order,
        terms: &OrderTerms,
        spec: &SymbolSpec,
        sym: usize,
        now: u64,
    ) -> Result<()> {
        let Some(peg) = order.peg.clone() else { return Ok(()) };
        let offset = peg.offset.unwrap_or(0);
        let Some(price) = self.peg_level(sym, &order.side, &peg.price_type, offset) else {
            return Err(new_order_rejected(
                "Order book liquidity is too low for this pegged order.",
                format!(
                    "{} {} has no {} level {} deep on {} to peg to; wait for liquidity or send a price.",
                    order.side,
                    peg.price_type,
                    match (&peg.price_type, &order.side) {
                        (PegPriceType::PrimaryPeg, Side::Buy) | (PegPriceType::MarketPeg, Side::Sell) =>
                            "bid",
                        _ => "ask",
                    },
                    offset,
                    spec.symbol
                ),
            ));
        };
        let at_peg = OrderTerms { price: Some(price), ..terms.clone() };
        check_at_average(&at_peg, spec, self.average_prices(sym, now))?;
        order.price = price;
        if let Some(p) = order.peg.as_mut() {
            p.pegged_price = Some(price);
        }
        Ok(())
    }

    /// A triggered pegged stop-limit takes its price from the book; `false` (the order is to expire)
    /// when the book has no such level or the price fails the average-price filters.
    pub(super) fn peg_at_trigger(&self, order: &mut Order, spec: &SymbolSpec, sym: usize, now: u64) -> bool {
        if order.peg.is_none() {
            return true;
        }
        let terms = OrderTerms {
            side: order.side.clone(),
            order_type: order.order_type.clone(),
            time_in_force: Some(order.time_in_force.clone()),
            quantity: Some(order.orig_qty),
            quote_order_qty: None,
            price: None,
            stop_price: order.stop_price,
            client_order_id: None,
            stp_mode: None,
            features: Default::default(),
        };
        self.peg_price(order, &terms, spec, sym, now).is_ok()
    }

    /// After `taken` of a resting iceberg's slice traded or was prevented: when the slice is gone
    /// and a rest is left, the next slice is shown and the order goes to the back of its level.
    pub(super) fn next_slice(&mut self, maker: &mut Order, taken: Decimal, sym: usize) {
        let remaining = maker.remaining();
        let Some(iceberg) = maker.iceberg.as_mut().filter(|i| i.qty > Decimal::ZERO) else { return };
        iceberg.shown = (iceberg.shown - taken).max(Decimal::ZERO);
        if !iceberg.shown.is_zero() || remaining.is_zero() {
            return;
        }
        iceberg.shown = iceberg.qty.min(remaining);
        if maker.book_seq.is_some() && maker.is_open() {
            let update = self.mem.ids.update();
            self.mem.books[sym].remove(&maker.side, maker.price, maker.order_id, update);
            let seq = self.mem.ids.update();
            maker.book_seq = Some(seq);
            self.mem.books[sym].insert(&maker.side, maker.price, maker.order_id, seq);
        }
    }

    /// Moves the untriggered trailing stops of `sym` along with the command's trades they have not
    /// seen yet, in trade order: a stop whose `stopPrice` condition holds starts tracking, each
    /// tracking stop keeps its best price, and those that trigger are returned.
    pub(super) fn trail(&mut self, sym: usize, symbol: &str, now: u64) -> Vec<u64> {
        let seen = self.trailed.get(&sym).copied().unwrap_or(0);
        let prices: Vec<Decimal> =
            self.batch.trades.iter().skip(seen).filter(|t| t.symbol == symbol).map(|t| t.price).collect();
        self.trailed.insert(sym, self.batch.trades.len());
        let ids: Vec<u64> = self
            .mem
            .open
            .values()
            .filter(|o| {
                o.symbol == symbol
                    && o.status != OrderStatus::PendingNew
                    && !o.is_working()
                    && o.trailing.is_some()
            })
            .map(|o| o.order_id)
            .collect();
        let mut due = Vec::new();
        for id in ids {
            let Some(order) = self.mem.open.get_mut(&id) else { continue };
            let Some(before) = order.trailing.clone() else { continue };
            let mut t = before.clone();
            for &price in &prices {
                if t.time < 0 {
                    match order.stop_price {
                        Some(stop) if triggers(&order.order_type, &order.side, stop, price) => {
                            t.time = i64::try_from(now).unwrap_or(i64::MAX);
                            t.best = Some(stop);
                        }
                        _ => continue,
                    }
                }
                t.best = Some(match (t.best, &order.side) {
                    (None, _) => price,
                    (Some(b), Side::Sell) => b.max(price),
                    (Some(b), _) => b.min(price),
                });
                if trailing_triggers(&order.side, &t, price) {
                    due.push(id);
                    break;
                }
            }
            if t != before {
                order.trailing = Some(t);
                let saved = order.clone();
                self.save(&saved);
            }
        }
        due
    }

    /// A trailing stop without `stopPrice`, held now (placed, or a pending order placed at
    /// `update_ms`), tracks from then, from the last price if there is one.
    pub(super) fn start_trailing(&self, order: &mut Order) {
        if order.stop_price.is_some() {
            return;
        }
        let sym = self.symbols.iter().position(|s| s.symbol == order.symbol);
        let last = sym.and_then(|i| self.mem.last_trade.get(i).copied().flatten()).map(|(p, _)| p);
        let since = i64::try_from(order.update_ms).unwrap_or(i64::MAX);
        if let Some(t) = order.trailing.as_mut() {
            t.time = since;
            t.best = last;
        }
    }
}

/// Whether `o` is an untriggered stop (not a trailing one: [`Exchange::trail`]) whose condition
/// holds at `last`.
pub(super) fn stop_due(o: &Order, last: Decimal) -> bool {
    o.trailing.is_none() && o.stop_price.is_some_and(|s| triggers(&o.order_type, &o.side, s, last))
}
