//! Matching and settling: an accepted order's plan carried out trade by trade at the makers' prices
//! (balances, commission, the trade and both fills), prevented self-trades (each recorded as a
//! [`PreventedMatch`]), the order's rest put in the book, and an open order taken out of every index
//! when it ends.

use mbx_core::model::{OrderStatus, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{Exchange, has_limit};
use crate::engine::book::{Plan, Step};
use crate::engine::market_maker;
use crate::engine::order::Order;
use crate::engine::records::{NO_TRADE_GROUP, PreventedMatch};
use crate::engine::trade::{Fill, Trade};
use crate::market::SymbolSpec;

/// Commission on `amount` at `rate`, rounded up to `dp` decimals.
fn commission(amount: Decimal, rate: Decimal, dp: u32) -> Decimal {
    amount
        .checked_mul(rate)
        .unwrap_or(Decimal::ZERO)
        .round_dp_with_strategy(dp, RoundingStrategy::AwayFromZero)
}

impl Exchange {
    /// Carries out `plan` for `order` (already accepted) and settles its final status: resting,
    /// filled or expired. Returns the order's fills.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply(
        &mut self,
        order: &mut Order,
        plan: &Plan,
        fok_fails: bool,
        by_quote: bool,
        spec: &SymbolSpec,
        sym: usize,
        now: u64,
    ) -> Vec<Fill> {
        let mut fills = Vec::new();
        if !fok_fails {
            for step in &plan.steps {
                match step {
                    Step::Fill { maker, price, qty } => {
                        if let Some(fill) = self.execute(order, *maker, *price, *qty, spec, sym, now) {
                            fills.push(fill);
                        }
                    }
                    Step::Prevented { maker, price, maker_qty, taker_qty, maker_expires, taker_expires } => {
                        let step = Prevention {
                            price: *price,
                            maker_qty: *maker_qty,
                            taker_qty: *taker_qty,
                            maker_expires: *maker_expires,
                            taker_expires: *taker_expires,
                        };
                        self.prevent(order, *maker, step, sym, now);
                    }
                }
            }
        }
        let rests = matches!(order.order_type, OrderType::LimitMaker)
            || (has_limit(&order.order_type) && order.time_in_force == TimeInForce::Gtc);
        if fok_fails {
            order.close(OrderStatus::Expired, now);
        } else if plan.taker_expires {
            order.close(OrderStatus::ExpiredInMatch, now);
        } else if by_quote {
            order.orig_qty = order.executed_qty;
            let done = plan.stopped_short && !order.executed_qty.is_zero();
            order.close(if done { OrderStatus::Filled } else { OrderStatus::Expired }, now);
        } else if order.remaining().is_zero() {
            order.close(OrderStatus::Filled, now);
        } else if rests {
            self.rest(order, spec, sym);
        } else {
            order.close(OrderStatus::Expired, now);
        }
        if order.is_open() {
            self.mem.client_ids.insert(
                (order.account_id, order.symbol.clone(), order.client_order_id.clone()),
                order.order_id,
            );
            self.mem.open.insert(order.order_id, order.clone());
        }
        self.save(order);
        fills
    }

    /// Puts an open order's rest into the book, locking what it may spend.
    pub(super) fn rest(&mut self, order: &mut Order, spec: &SymbolSpec, sym: usize) {
        let (asset, amount) = match order.side {
            Side::Sell => (&spec.base_asset, order.remaining()),
            _ => (&spec.quote_asset, order.price * order.remaining()),
        };
        if !self.mem.ledger.lock(order.account_id, asset, amount) {
            // prepare() checked the balance; this is a guard, not a path.
            order.close(OrderStatus::Expired, order.update_ms);
            return;
        }
        order.locked = amount;
        let rest = order.remaining();
        if let Some(iceberg) = order.iceberg.as_mut() {
            iceberg.shown = iceberg.qty.min(rest);
        }
        self.note_level(sym, &order.side, order.price);
        let seq = self.mem.ids.update();
        order.book_seq = Some(seq);
        self.mem.books[sym].insert(&order.side, order.price, order.order_id, seq);
    }

    /// Takes an open order out of the book and the open set, releases what it still locks, and
    /// closes it with `status`.
    pub(super) fn finish(&mut self, mut order: Order, status: OrderStatus, now: u64) -> Order {
        let sym = self.symbols.iter().position(|s| s.symbol == order.symbol);
        if let (Some(sym), Some(_)) = (sym, order.book_seq) {
            self.note_level(sym, &order.side, order.price);
            let update = self.mem.ids.update();
            self.mem.books[sym].remove(&order.side, order.price, order.order_id, update);
        }
        if let Some(spec) = sym.and_then(|i| self.symbols.get(i)) {
            let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
            self.mem.ledger.unlock(order.account_id, asset, order.locked);
        }
        order.locked = Decimal::ZERO;
        self.mem.open.remove(&order.order_id);
        self.mem.client_ids.remove(&(order.account_id, order.symbol.clone(), order.client_order_id.clone()));
        order.close(status.clone(), now);
        self.save(&order);
        // A leg that ends ends its list: the owner's cancel cancels the other leg(s), anything else
        // expires them; an OTO's working order that fills places the pending order(s) instead.
        if let Some(list) = order.order_list_id {
            self.leg_ended(list, order.order_id, &status, now);
        }
        order
    }

    /// One trade between `taker` and the resting order `maker_id`, at the maker's price. Returns the
    /// taker's side of it.
    #[allow(clippy::too_many_arguments)]
    fn execute(
        &mut self,
        taker: &mut Order,
        maker_id: u64,
        price: Decimal,
        qty: Decimal,
        spec: &SymbolSpec,
        sym: usize,
        now: u64,
    ) -> Option<Fill> {
        let mut maker = self.mem.open.remove(&maker_id)?;
        self.note_level(sym, &maker.side, maker.price);
        let quote = price * qty;
        let (trade_id, agg_id) = self.mem.trade_ids.trade(&spec.symbol, taker.order_id, price, now);
        let base_fee = commission(qty, self.fee, spec.base_precision);
        let quote_fee = commission(quote, self.fee, spec.quote_precision);
        let (base, quote_asset) = (spec.base_asset.as_str(), spec.quote_asset.as_str());
        let ledger = &mut self.mem.ledger;
        // The maker pays out of what it locked, the taker out of free funds; each receives the other
        // asset less commission.
        if maker.side == Side::Sell {
            ledger.spend_locked(maker.account_id, base, qty);
            maker.locked = (maker.locked - qty).max(Decimal::ZERO);
            ledger.credit(maker.account_id, quote_asset, quote - quote_fee);
            ledger.spend_free(taker.account_id, quote_asset, quote);
            ledger.credit(taker.account_id, base, qty - base_fee);
        } else {
            ledger.spend_locked(maker.account_id, quote_asset, quote);
            maker.locked = (maker.locked - quote).max(Decimal::ZERO);
            ledger.credit(maker.account_id, base, qty - base_fee);
            ledger.spend_free(taker.account_id, base, qty);
            ledger.credit(taker.account_id, quote_asset, quote - quote_fee);
        }
        for o in [&maker, &*taker] {
            if o.executed_qty.is_zero() {
                self.first_fills.push(o.account_id);
            }
        }
        let maker_first = maker.executed_qty.is_zero();
        maker.fill(qty, quote, now);
        taker.fill(qty, quote, now);
        self.mem.windows[sym].push(now, qty, quote);
        let maker_buys = maker.side == Side::Buy;
        let (buyer_order_id, seller_order_id) =
            if maker_buys { (maker.order_id, taker.order_id) } else { (taker.order_id, maker.order_id) };
        self.batch.trades.push(Trade {
            trade_id,
            symbol: spec.symbol.clone(),
            price,
            qty,
            quote_qty: quote,
            time_ms: now,
            buyer_order_id,
            seller_order_id,
            is_buyer_maker: maker_buys,
            agg_id,
        });
        let side_of = |o: &Order, is_maker: bool| {
            let buys = o.side != Side::Sell;
            Fill {
                trade_id,
                is_buyer: buys,
                account_id: o.account_id,
                order_id: o.order_id,
                symbol: spec.symbol.clone(),
                price,
                qty,
                quote_qty: quote,
                commission: if buys { base_fee } else { quote_fee },
                commission_asset: if buys { base.to_owned() } else { quote_asset.to_owned() },
                is_maker,
                time_ms: now,
                order_list_id: o.order_list_id,
                alloc_id: None,
            }
        };
        let maker_fill = side_of(&maker, true);
        let mut taker_fill = side_of(taker, false);
        // An SOR order's executions reach it as allocations.
        taker_fill.alloc_id = taker.used_sor.then(|| self.mem.ids.allocation());
        self.batch.fills.push(maker_fill);
        self.batch.fills.push(taker_fill.clone());
        self.mem.last_trade[sym] = Some((price, now));
        self.traded.insert(sym);
        if maker.account_id == market_maker::ACCOUNT_ID {
            self.requote.insert(sym);
        }
        let update = self.mem.ids.update();
        self.mem.books[sym].touch(update);
        // A leg that trades ends its list: the other leg expires (an OTO's working order goes on).
        if let (true, Some(list)) = (maker_first, maker.order_list_id) {
            self.leg_acted(list, maker.order_id, now);
        }
        // What an OPO's working order buys is held for its pending order(s).
        for o in [&maker, &*taker] {
            if o.side == Side::Buy {
                self.hold_for_pending(o, qty, base_fee, spec);
            }
        }
        if maker.remaining().is_zero() {
            // Put it back so finish() takes it out of every index.
            self.mem.open.insert(maker.order_id, maker.clone());
            self.finish(maker, OrderStatus::Filled, now);
        } else {
            self.next_slice(&mut maker, qty, sym);
            self.save(&maker);
            self.mem.open.insert(maker.order_id, maker);
        }
        Some(taker_fill)
    }

    /// A prevented self-trade: takes `maker_qty` off the maker and `taker_qty` off the taker, expiring
    /// either as the plan says, and records the prevented match.
    fn prevent(&mut self, taker: &mut Order, maker_id: u64, step: Prevention, sym: usize, now: u64) {
        let Prevention { maker_qty, taker_qty, maker_expires, taker_expires, .. } = step;
        let match_id = self.mem.ids.prevented_match();
        if let Some(maker) = self.mem.open.get(&maker_id).cloned() {
            self.record_prevented(taker, &maker, &step, match_id, now);
        }
        if let Some(mut maker) = self.mem.open.remove(&maker_id) {
            self.note_level(sym, &maker.side, maker.price);
            if maker_expires || !maker_qty.is_zero() {
                maker.prevent(maker_qty, match_id, now);
            }
            if maker.account_id == market_maker::ACCOUNT_ID {
                self.requote.insert(sym);
            }
            if maker_expires {
                self.mem.open.insert(maker.order_id, maker.clone());
                self.finish(maker, OrderStatus::ExpiredInMatch, now);
            } else {
                let release = if maker.side == Side::Sell { maker_qty } else { maker.price * maker_qty };
                let release = release.min(maker.locked);
                if let Some(spec) = self.symbols.get(sym) {
                    let asset = if maker.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
                    self.mem.ledger.unlock(maker.account_id, asset, release);
                }
                maker.locked -= release;
                self.next_slice(&mut maker, maker_qty, sym);
                self.save(&maker);
                self.mem.open.insert(maker.order_id, maker);
            }
            let update = self.mem.ids.update();
            self.mem.books[sym].touch(update);
        }
        if taker_expires || !taker_qty.is_zero() {
            taker.prevent(taker_qty, match_id, now);
        }
    }
}

/// One prevented match of a plan, as `apply` carries it out.
#[derive(Debug, Clone, Copy)]
struct Prevention {
    /// The maker's price.
    price: Decimal,
    /// What it takes off the maker.
    maker_qty: Decimal,
    /// What it takes off the taker.
    taker_qty: Decimal,
    /// Whether the maker expires.
    maker_expires: bool,
    /// Whether the taker expires.
    taker_expires: bool,
}

impl Exchange {
    /// Records a prevented match between `taker` and `maker` (before either changes) for
    /// `myPreventedMatches` and the execution reports.
    fn record_prevented(&mut self, taker: &Order, maker: &Order, step: &Prevention, match_id: u64, now: u64) {
        // The taker's mode decides; TRANSFER needs both sides in TRANSFER, else it is DECREMENT
        // (stp_faq.md's table).
        let mode = match (&taker.stp_mode, &maker.stp_mode) {
            (SelfTradePreventionMode::Transfer, SelfTradePreventionMode::Transfer) => {
                SelfTradePreventionMode::Transfer
            }
            (SelfTradePreventionMode::Transfer, _) => SelfTradePreventionMode::Decrement,
            (mode, _) => mode.clone(),
        };
        let (takes_taker, takes_maker) = match mode {
            SelfTradePreventionMode::ExpireTaker => (true, false),
            SelfTradePreventionMode::ExpireMaker => (false, true),
            _ => (true, true),
        };
        let taker_rest = if taker.orig_qty.is_zero() { maker.remaining() } else { taker.remaining() };
        let match_qty = match mode {
            SelfTradePreventionMode::Decrement | SelfTradePreventionMode::Transfer => step.maker_qty,
            _ => taker_rest.min(maker.remaining()),
        };
        self.batch.prevented_matches.push(PreventedMatch {
            prevented_match_id: match_id,
            symbol: taker.symbol.clone(),
            taker_account_id: taker.account_id,
            taker_order_id: taker.order_id,
            maker_symbol: maker.symbol.clone(),
            maker_account_id: maker.account_id,
            maker_order_id: maker.order_id,
            trade_group_id: NO_TRADE_GROUP,
            stp_mode: mode,
            price: step.price,
            taker_prevented_qty: takes_taker.then_some(step.taker_qty),
            maker_prevented_qty: takes_maker.then_some(step.maker_qty),
            match_qty,
            time_ms: now,
            next_trade_id: self.mem.trade_ids.peek(&taker.symbol),
        });
    }
}
