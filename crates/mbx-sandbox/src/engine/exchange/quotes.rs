//! The built-in market maker's quotes on the books: its ladders placed at start (or its orders
//! cancelled when it is off), a symbol requoted after its orders there traded or expired, and the
//! background market's steps (its own quotes taken, [`Exchange::market_activity`]).

use mbx_core::model::{OrderStatus, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use rust_decimal::Decimal;

use super::placing::order_from_terms;
use super::{Exchange, PlaceRequest, Placed};
use crate::engine::book::floor_to_step;
use crate::engine::market_maker;
use crate::engine::order::{Order, OrderTerms};
use crate::error::SandboxError;

impl Exchange {
    /// Has the market maker (when on) quote `symbol` around `reference`, `size` a level; call before
    /// [`Exchange::start_market_maker`].
    pub fn set_market_maker_quote(&mut self, symbol: &str, reference: Decimal, size: Decimal) {
        let index = self.symbols.iter().position(|s| s.symbol == symbol);
        if let (Some(mm), Some(index)) = (self.mm.as_mut(), index) {
            mm.set_quote(index, reference, size);
        }
    }

    /// Puts the market maker's quotes on every book where it has none (or, when it is off, takes
    /// them away). Runs once, at start.
    pub fn start_market_maker(&mut self, now: u64) {
        for sym in 0..self.symbols.len() {
            let mine = self.market_maker_orders(sym);
            match self.mm.as_ref().map(|mm| mm.quotes(sym)) {
                None => {
                    for order in mine {
                        self.finish(order, OrderStatus::Canceled, now);
                    }
                }
                Some(false) => {}
                Some(true) if mine.is_empty() => self.place_ladder(sym, now),
                Some(true) => {
                    let bid = mine.iter().filter(|o| o.side == Side::Buy).map(|o| o.price).max();
                    let ask = mine.iter().filter(|o| o.side == Side::Sell).map(|o| o.price).min();
                    if let (Some(bid), Some(ask), Some(mm)) = (bid, ask, self.mm.as_mut()) {
                        mm.resume_at(sym, (bid + ask) / Decimal::TWO);
                    }
                }
            }
        }
    }

    /// The market maker's state on `sym` (for the console); `None` when it is off.
    pub fn market_maker_state(&self, sym: usize) -> Option<crate::engine::MarketMakerState> {
        let track = self.mm.as_ref()?.track(sym);
        Some(crate::engine::MarketMakerState {
            quoting: track.is_some(),
            reference: track.map(|t| t.0),
            size: track.map(|t| t.1),
            requotes: track.map_or(0, |t| t.2),
            open_orders: self.market_maker_orders(sym).len(),
        })
    }

    /// One step of the background market (`SandboxBuilder::activity`): on one of the symbols the
    /// market maker quotes (picked by `draw`), it takes 10% to 60% of its own best quote on one side
    /// (also picked by `draw`) with an `IOC` order of its own and self-trade prevention `NONE`: a
    /// trade that the trade streams, klines and tickers show, then a requote, as after any trade
    /// with its quotes. Only a best level holding nothing but its own orders is taken, so a
    /// client's order is never met; `Ok(None)` when there is nothing to take this step.
    pub fn market_activity(&mut self, draw: u64, now: u64) -> Result<Option<Placed>, SandboxError> {
        let Some(mm) = self.mm.as_ref() else { return Ok(None) };
        let quoted: Vec<usize> = (0..self.symbols.len()).filter(|&s| mm.quotes(s)).collect();
        let Some(&sym) = quoted.get((draw % quoted.len().max(1) as u64) as usize) else { return Ok(None) };
        // A BUY takes the best ask, a SELL the best bid.
        let (taker, maker) =
            if (draw >> 32) & 1 == 0 { (Side::Buy, Side::Sell) } else { (Side::Sell, Side::Buy) };
        let Some(book) = self.mem.books.get(sym) else { return Ok(None) };
        let Some(price) = book.best(&maker) else { return Ok(None) };
        let mut resting = Decimal::ZERO;
        for id in book.level(&maker, price).into_iter().flatten() {
            match self.mem.open.get(id) {
                Some(o) if o.account_id == market_maker::ACCOUNT_ID => resting += o.orig_qty - o.executed_qty,
                _ => return Ok(None),
            }
        }
        let spec = self.spec(sym)?;
        let share = Decimal::from(10 + (draw >> 40) % 51) / Decimal::ONE_HUNDRED;
        let qty = floor_to_step(resting * share, spec.lot_size.step_size).max(spec.lot_size.min_qty);
        if qty > resting || !spec.lot_size.passes(qty) || !spec.notional.passes(price * qty) {
            return Ok(None);
        }
        let terms = OrderTerms {
            side: taker,
            order_type: OrderType::Limit,
            time_in_force: Some(TimeInForce::Ioc),
            quantity: Some(qty),
            quote_order_qty: None,
            price: Some(price),
            stop_price: None,
            client_order_id: None,
            stp_mode: Some(SelfTradePreventionMode::None),
            features: Default::default(),
        };
        let req = PlaceRequest {
            account_id: market_maker::ACCOUNT_ID,
            symbol: sym,
            terms,
            now_ms: now,
            strategy: Default::default(),
        };
        self.place(req).map(Some)
    }

    /// The market maker's open orders on `sym`, oldest first.
    fn market_maker_orders(&self, sym: usize) -> Vec<Order> {
        let symbol = self.symbol_name(sym);
        let mut v: Vec<Order> = self
            .mem
            .open
            .values()
            .filter(|o| o.account_id == market_maker::ACCOUNT_ID && o.symbol == symbol)
            .cloned()
            .collect();
        v.sort_by_key(|o| o.order_id);
        v
    }

    /// Cancels the market maker's orders on `sym`, moves its reference price a step and quotes again.
    pub(super) fn requote(&mut self, sym: usize, now: u64) {
        for order in self.market_maker_orders(sym) {
            self.finish(order, OrderStatus::Canceled, now);
        }
        if let Some(mm) = &mut self.mm {
            mm.step(sym);
        }
        self.place_ladder(sym, now);
    }

    /// Places the market maker's ladder on `sym`, leaving out levels that would trade or that its
    /// balance cannot cover.
    fn place_ladder(&mut self, sym: usize, now: u64) {
        let Ok(spec) = self.spec(sym) else { return };
        // Quotes stay inside PERCENT_PRICE_BY_SIDE: a reference outside the band of both sides goes
        // back to the average, and a level outside its side's band is left out.
        let band = &spec.percent_price_by_side;
        let avg = self.average_prices(sym, now).percent_price;
        if let (Some(a), Some(mm)) = (avg, self.mm.as_mut()) {
            let (bid_low, bid_high) = band.bounds(&Side::Buy, a);
            let (ask_low, ask_high) = band.bounds(&Side::Sell, a);
            mm.recenter(sym, a, bid_low.max(ask_low), bid_high.min(ask_high));
        }
        let Some(quotes) = self.mm.as_ref().map(|mm| mm.ladder(sym, &spec)) else { return };
        for q in quotes {
            if self.mem.books[sym].would_take(&q.side, q.price) {
                continue;
            }
            if let Some(a) = avg {
                let (low, high) = band.bounds(&q.side, a);
                if q.price < low || q.price > high {
                    continue;
                }
            }
            let (asset, amount) = match q.side {
                Side::Sell => (&spec.base_asset, q.qty),
                _ => (&spec.quote_asset, q.price * q.qty),
            };
            if self.mem.ledger.free(market_maker::ACCOUNT_ID, asset) < amount {
                continue;
            }
            let order_id = self.mem.ids.order();
            let terms = OrderTerms {
                side: q.side.clone(),
                order_type: OrderType::Limit,
                time_in_force: Some(TimeInForce::Gtc),
                quantity: Some(q.qty),
                quote_order_qty: None,
                price: Some(q.price),
                stop_price: None,
                client_order_id: Some(format!("mbx-mm-{order_id}")),
                stp_mode: None,
                features: Default::default(),
            };
            let mut order =
                Order { order_id, ..order_from_terms(market_maker::ACCOUNT_ID, &spec, &terms, now) };
            self.rest(&mut order, &spec, sym);
            if order.is_open() {
                self.mem.client_ids.insert(
                    (order.account_id, order.symbol.clone(), order.client_order_id.clone()),
                    order.order_id,
                );
                self.mem.open.insert(order.order_id, order.clone());
            }
            self.save(&order);
        }
    }
}
