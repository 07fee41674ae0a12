//! Stop-loss and take-profit orders: checked and held aside, untriggered, with their funds locked,
//! then turned into working orders, oldest first, once the last trade price reaches `stopPrice` (a
//! trailing stop: once it has moved `trailingDelta` back from its best, `features.rs`).

use mbx_core::model::{OrderStatus, OrderType, Side};
use rust_decimal::Decimal;

use super::features::stop_due;
use super::{Exchange, has_limit, insufficient, new_order_rejected};
use crate::engine::order::Order;
use crate::error::Result;
use crate::market::SymbolSpec;

/// Whether a stop order's condition holds at `last`.
pub(super) fn triggers(order_type: &OrderType, side: &Side, stop: Decimal, last: Decimal) -> bool {
    let stop_loss = matches!(order_type, OrderType::StopLoss | OrderType::StopLossLimit);
    match (stop_loss, side) {
        (true, Side::Sell) | (false, Side::Buy) => last <= stop,
        _ => last >= stop,
    }
}

/// What an untriggered stop order holds: the base asset it sells, or the quote asset its `price`
/// (a limit) or `stopPrice` (a market stop) times its quantity would buy.
pub(super) fn stop_need<'s>(order: &Order, spec: &'s SymbolSpec) -> (&'s str, Decimal) {
    match order.side {
        Side::Sell => (&spec.base_asset, order.orig_qty),
        _ => {
            let at = if has_limit(&order.order_type) {
                order.price
            } else {
                order.stop_price.unwrap_or(Decimal::ZERO)
            };
            (&spec.quote_asset, at.checked_mul(order.orig_qty).unwrap_or(Decimal::MAX))
        }
    }
}

pub(crate) fn is_stop(t: &OrderType) -> bool {
    matches!(
        t,
        OrderType::StopLoss | OrderType::StopLossLimit | OrderType::TakeProfit | OrderType::TakeProfitLimit
    )
}

impl Exchange {
    /// A stop or take-profit order: checked, its funds locked, kept aside until the last trade price
    /// reaches `stopPrice`.
    pub(super) fn place_stop(&mut self, mut order: Order, spec: &SymbolSpec, sym: usize) -> Result<Order> {
        self.check_not_triggered(&order, spec, sym)?;
        let (asset, mut amount) = stop_need(&order, spec);
        if amount.is_zero() && order.side == Side::Buy {
            // A market trailing stop without stopPrice, or a pegged stop-limit without price: held
            // at the stopPrice, else the last price (the working order pays what it trades).
            let at = order.stop_price.or(self.mem.last_trade[sym].map(|(p, _)| p)).unwrap_or_default();
            amount = at.checked_mul(order.orig_qty).unwrap_or(Decimal::MAX);
        }
        let free = self.mem.ledger.free(order.account_id, asset);
        if free < amount {
            return Err(insufficient(asset, amount, free));
        }
        self.accept(&mut order);
        self.hold_stop(&mut order, spec, amount);
        Ok(order)
    }

    /// `-2010 Order would trigger immediately.` when the last price already meets a stop order's
    /// condition.
    pub(super) fn check_not_triggered(&self, order: &Order, spec: &SymbolSpec, sym: usize) -> Result<()> {
        // A trailing stop without stopPrice has no condition to meet yet.
        let Some(stop) = order.stop_price else { return Ok(()) };
        if let Some((last, _)) = self.mem.last_trade[sym]
            && triggers(&order.order_type, &order.side, stop, last)
        {
            return Err(new_order_rejected(
                "Order would trigger immediately.",
                format!(
                    "The last price of {} is {}, already past stopPrice {}; a {} {} order must wait for the price to move.",
                    spec.symbol,
                    last.normalize(),
                    stop.normalize(),
                    order.order_type,
                    order.side
                ),
            ));
        }
        Ok(())
    }

    /// Keeps an accepted stop order aside, untriggered, holding `amount` of what it pays with (the
    /// caller checked it is free).
    pub(super) fn hold_stop(&mut self, order: &mut Order, spec: &SymbolSpec, amount: Decimal) {
        let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
        self.mem.ledger.lock(order.account_id, asset, amount);
        order.locked = amount;
        order.working_time = -1;
        self.start_trailing(order);
        self.mem
            .client_ids
            .insert((order.account_id, order.symbol.clone(), order.client_order_id.clone()), order.order_id);
        self.mem.open.insert(order.order_id, order.clone());
        self.save(order);
    }

    /// Turns the stop orders of `sym` whose condition holds into working orders, oldest first.
    pub(super) fn trigger_stops(&mut self, sym: usize, now: u64) {
        let Some((last, _)) = self.mem.last_trade[sym] else { return };
        let Ok(spec) = self.spec(sym) else { return };
        let mut due = self.trail(sym, &spec.symbol, now);
        due.extend(
            self.mem
                .open
                .values()
                .filter(|o| {
                    o.symbol == spec.symbol
                        && o.status != OrderStatus::PendingNew
                        && !o.is_working()
                        && stop_due(o, last)
                })
                .map(|o| o.order_id),
        );
        due.sort_unstable();
        for id in due {
            let Some(mut order) = self.mem.open.remove(&id) else { continue };
            // A triggered leg ends its list: the other leg expires first, releasing what it holds.
            if let Some(list) = order.order_list_id {
                self.leg_acted(list, order.order_id, now);
            }
            // Release the stop's lock; the working order pays as any taker does.
            let asset = if order.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
            self.mem.ledger.unlock(order.account_id, asset, order.locked);
            order.locked = Decimal::ZERO;
            order.working_time = i64::try_from(now).unwrap_or(i64::MAX);
            order.update_ms = now;
            self.mem.client_ids.remove(&(
                order.account_id,
                order.symbol.clone(),
                order.client_order_id.clone(),
            ));
            if !self.peg_at_trigger(&mut order, &spec, sym, now) {
                order.close(OrderStatus::Expired, now);
                self.save(&order);
                continue;
            }
            match self.prepare(&order, None, &spec, sym) {
                Ok((plan, fok_fails)) => {
                    self.apply(&mut order, &plan, fok_fails, false, &spec, sym, now);
                }
                Err(_) => {
                    order.close(OrderStatus::Expired, now);
                    self.save(&order);
                }
            }
        }
    }
}
