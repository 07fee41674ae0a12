//! OTO order lists (OTO, OTOCO, OPO, OPOCO): a working order, and pending order(s) placed once it
//! fills.
//!
//! # Placing
//!
//! Checks, first failure wins, nothing changed until all pass: the working order's average-price
//! filters (`-1013`), and an OTO's pending orders' (an OPO's pending orders have no quantity yet:
//! they are judged when placed); `MAX_NUM_ORDERS` counting every order of the list (`-1013`);
//! duplicate `listClientOrderId` or leg client order ids (`-2010 Duplicate order sent.`); for a
//! pending pair, the above leg's level over the below leg's (`-2010 The relationship of the prices
//! for the orders is not correct.`); then the working order as any new order (`LIMIT_MAKER` that
//! would take, balance: `-2010`). Only the working order's balance is checked and locked: the docs
//! say so for OPO, and are silent for OTO, whose pending order typically sells what the working
//! order buys (Binance's own apps place such OTOs), so the sandbox does the same for both.
//!
//! The pending orders are stored `PENDING_NEW`, out of the book (`isWorking` false, `workingTime`
//! -1), counted among the open orders (`openOrders`, `MAX_NUM_ORDERS`; Binance's `openOrders` lists
//! them too, which client libraries handle) and cancellable by id, as the docs' "either order
//! cancelled individually" says.
//!
//! # The working order fills
//!
//! When the working order is `FILLED` (at placement or later, as maker or taker), its pending
//! order(s) are placed once the command's matching is done, before stop orders are triggered: so the
//! placement answer shows them `PENDING_NEW`, as the docs say. A pending order is then placed as a
//! new order would be: `LIMIT` / `MARKET` match at once, `LIMIT_MAKER` rests, a stop order waits for
//! its trigger (and triggers at once if the price is already past it); a pending pair works as an
//! OCO. A pending order that cannot be placed (funds, a `LIMIT_MAKER` that would take, an OPO
//! quantity that fails the filters) is `EXPIRED` and the list `ALL_DONE`.
//!
//! # OPO
//!
//! The working order must buy and the pending order(s) sell. What each fill of the working order
//! receives is locked at once, held by the first pending order, and becomes the pending orders'
//! quantity (rounded down to `LOT_SIZE`'s step) once the working order fills: the docs' OPO FAQ
//! places them on the full fill only, not on a partial one. What it receives is the fill's quantity
//! when the account's other free funds of the asset pay the commission, else the quantity less
//! commission (the FAQ's rule). Cancelling the list before then unlocks it.
//!
//! # Ending
//!
//! The working order ending unfilled (cancelled, expired, expired in match) ends the list: the
//! pending orders are `CANCELED` (the owner's cancel) or `EXPIRED`. Once placed, the pending orders
//! follow the OCO rules: one that trades or triggers ends the list, expiring the other.

use mbx_core::model::{OrderStatus, OrderType, Side};
use mbx_core::order::{takes_price, takes_time_in_force};
use rust_decimal::Decimal;

use super::lists::{ListWithOrders, leg_need, stop_loss_first};
use super::placing::order_from_terms;
use super::stops::{is_stop, stop_need};
use super::{Exchange, new_order_rejected};
use crate::engine::order::{Order, OrderTerms, Strategy};
use crate::engine::order_list::{ContingencyType, derive_expiry_reasons};
use crate::engine::trade::Fill;
use crate::error::Result;
use crate::market::SymbolSpec;
use crate::order::{check_at_average, check_filters};

/// The pending order(s) of a new OTO list (mbx-core's, as the handler reads them).
pub use mbx_core::order_list::PendingLegs;

/// A new OTO list, read and checked by the handler (see `crate::api::order_lists`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtoRequest {
    /// The placing account.
    pub account_id: i64,
    /// Symbol index in the market.
    pub symbol: usize,
    /// Wire: listClientOrderId (generated when `None`).
    pub list_client_order_id: Option<String>,
    /// OPO (`orderList/opo`, `opoco`): the pending quantity is what the working order buys.
    pub opo: bool,
    /// The working order (`workingType`, ...).
    pub working: OrderTerms,
    /// The pending order(s).
    pub pending: PendingLegs,
    /// The strategy labels of the working order, then of each pending order (above, below).
    pub strategies: Vec<Strategy>,
    /// When it arrived (ms).
    pub now_ms: u64,
}

/// The terms an order was placed with (to judge a pending order by the filters once its quantity is
/// known).
fn terms_of(o: &Order) -> OrderTerms {
    OrderTerms {
        side: o.side.clone(),
        order_type: o.order_type.clone(),
        time_in_force: takes_time_in_force(&o.order_type).then(|| o.time_in_force.clone()),
        quantity: Some(o.orig_qty),
        quote_order_qty: None,
        price: takes_price(&o.order_type).then_some(o.price),
        stop_price: o.stop_price,
        client_order_id: None,
        stp_mode: Some(o.stp_mode.clone()),
        features: mbx_core::order::OrderFeatures {
            iceberg_qty: o.iceberg.as_ref().map(|i| i.qty),
            trailing_delta: o.trailing.as_ref().map(|t| t.delta),
            peg_price_type: o.peg.as_ref().map(|p| p.price_type.clone()),
            peg_offset_type: o
                .peg
                .as_ref()
                .and_then(|p| p.offset)
                .map(|_| mbx_core::model::PegOffsetType::PriceLevel),
            peg_offset_value: o.peg.as_ref().and_then(|p| p.offset),
        },
    }
}

/// The level a pair's leg is judged by: its `price` for `LIMIT_MAKER` and `TAKE_PROFIT_LIMIT`, its
/// `stopPrice` otherwise; `None` while that price is a peg's, not known before the book prices it.
fn level(o: &Order) -> Option<Decimal> {
    match o.order_type {
        OrderType::LimitMaker | OrderType::TakeProfitLimit
            if o.peg.as_ref().is_some_and(|p| p.pegged_price.is_none()) =>
        {
            None
        }
        OrderType::LimitMaker | OrderType::TakeProfitLimit => Some(o.price),
        _ => Some(o.stop_price.unwrap_or(Decimal::ZERO)),
    }
}

/// `-2010` when a pending pair's above leg is not over its below leg (legs whose level is a peg's
/// are judged once the book has priced them).
fn check_pair_levels(above: &Order, below: &Order) -> Result<()> {
    match (level(above), level(below)) {
        (Some(a), Some(b)) if a <= b => Err(new_order_rejected(
            "The relationship of the prices for the orders is not correct.",
            format!(
                "The pending above leg ({} at {}) must be over the pending below leg ({} at {}).",
                above.order_type,
                a.normalize(),
                below.order_type,
                b.normalize()
            ),
        )),
        _ => Ok(()),
    }
}

impl Exchange {
    /// Places an OTO, OTOCO, OPO or OPOCO list (`POST /api/v3/orderList/oto`, ...): the working
    /// order works, the pending order(s) wait; or nothing. Returns the list and the working order's
    /// taker fills.
    pub fn place_oto(&mut self, req: OtoRequest) -> Result<(ListWithOrders, Vec<Fill>)> {
        let sym = req.symbol;
        let spec = self.spec(sym)?;
        let (now, account) = (req.now_ms, req.account_id);
        let averages = self.average_prices(sym, now);
        check_at_average(&req.working, &spec, averages)?;
        if !req.opo {
            for (_, t) in req.pending.legs() {
                check_at_average(t, &spec, averages)?;
            }
        }
        let legs = req.pending.legs();
        self.check_room(account, &spec, 1 + legs.len())?;
        self.check_iceberg_room(account, &spec, legs.iter().map(|(_, t)| *t).chain([&req.working]))?;
        let mut cids = vec![("working", req.working.client_order_id.as_deref())];
        cids.extend(legs.iter().map(|(prefix, t)| (*prefix, t.client_order_id.as_deref())));
        self.check_list_ids(account, &spec, req.list_client_order_id.as_deref(), &cids)?;
        let strategy = |i: usize| req.strategies.get(i).copied().unwrap_or_default();
        let pending_order = |t: &OrderTerms, i: usize| {
            let mut o = order_from_terms(account, &spec, t, now);
            o.label(strategy(i));
            o.status = OrderStatus::PendingNew;
            o.working_time = -1;
            if req.opo {
                // Known once the working order has filled.
                o.orig_qty = Decimal::ZERO;
            }
            o
        };
        let mut pending: Vec<Order> = match &req.pending {
            PendingLegs::One(t) => vec![pending_order(t, 1)],
            PendingLegs::Pair { above, below } => {
                let (above, below) = (pending_order(above, 1), pending_order(below, 2));
                check_pair_levels(&above, &below)?;
                stop_loss_first(above, below).to_vec()
            }
        };
        let mut working = order_from_terms(account, &spec, &req.working, now);
        working.label(strategy(0));
        if working.peg.is_some() && !is_stop(&working.order_type) {
            self.peg_price(&mut working, &req.working, &spec, sym, now)?;
        }
        let (plan, fok_fails) = self.prepare(&working, None, &spec, sym)?;

        // Everything passed: the working order takes the first id, the pending ones the next.
        let list_id = self.mem.ids.order_list();
        self.accept(&mut working);
        working.order_list_id = Some(list_id);
        for p in &mut pending {
            self.accept(p);
            p.order_list_id = Some(list_id);
            self.mem.client_ids.insert((account, p.symbol.clone(), p.client_order_id.clone()), p.order_id);
            self.mem.open.insert(p.order_id, p.clone());
            self.save(p);
        }
        let mut legs = vec![working.clone()];
        legs.extend(pending.iter().cloned());
        let kind = if req.opo { ContingencyType::Opo } else { ContingencyType::Oto };
        let mut list = self.open_list(list_id, account, &spec, kind, req.list_client_order_id, &legs, now);
        let fills = self.apply(&mut working, &plan, fok_fails, false, &spec, sym, now);
        match &working.status {
            OrderStatus::Filled => self.to_activate.push(list_id),
            s if s.is_final() => self.end_list(list_id, Some(working.order_id), OrderStatus::Expired, now),
            _ => {}
        }
        if let Some(l) = self.batch.order_lists.get(&list_id) {
            list = l.clone();
        }
        let mut orders = vec![working];
        orders.extend(
            pending
                .iter()
                .map(|p| self.batch.orders.get(&p.order_id).map_or_else(|| p.clone(), |o| Order::clone(o))),
        );
        derive_expiry_reasons(&list, &mut orders);
        Ok((ListWithOrders { list, orders }, fills))
    }

    /// A leg of open list `list_id` traded or triggered: an OCO's (or a placed pending pair's) other
    /// leg expires and the list is done; an OTO's working order goes on.
    pub(super) fn leg_acted(&mut self, list_id: u64, order_id: u64, now: u64) {
        let Some(list) = self.mem.lists.get(&list_id) else { return };
        if list.contingency_type.triggers() && list.order_ids.first() == Some(&order_id) {
            return;
        }
        self.end_list(list_id, Some(order_id), OrderStatus::Expired, now);
    }

    /// A leg of list `list_id` ended with `status`: an OTO's working order that filled has its
    /// pending order(s) placed; any other end ends the list, its other open orders `CANCELED` by the
    /// owner's cancel and `EXPIRED` otherwise.
    pub(super) fn leg_ended(&mut self, list_id: u64, order_id: u64, status: &OrderStatus, now: u64) {
        let Some(list) = self.mem.lists.get(&list_id) else { return };
        if list.contingency_type.triggers()
            && list.order_ids.first() == Some(&order_id)
            && *status == OrderStatus::Filled
        {
            self.to_activate.push(list_id);
            return;
        }
        let others =
            if *status == OrderStatus::Canceled { OrderStatus::Canceled } else { OrderStatus::Expired };
        self.end_list(list_id, Some(order_id), others, now);
    }

    /// `o` just bought `qty`, paying `fee` of it as commission: if it is an open OPO's working order,
    /// what it received is locked for the pending order(s), held by the first. As the OPO FAQ says,
    /// the commission comes out of the account's other free funds of the asset when they cover it
    /// (the whole `qty` is held), else out of what was bought (`qty - fee` is held).
    pub(super) fn hold_for_pending(&mut self, o: &Order, qty: Decimal, fee: Decimal, spec: &SymbolSpec) {
        let Some(list) = o.order_list_id.and_then(|id| self.mem.lists.get(&id)) else { return };
        if list.contingency_type != ContingencyType::Opo || list.order_ids.first() != Some(&o.order_id) {
            return;
        }
        let Some(first) = list.order_ids.get(1).copied() else { return };
        if !self.mem.open.contains_key(&first) {
            return;
        }
        // The fill's net is already credited: `qty` is free only if other funds cover the fee.
        let asset = &spec.base_asset;
        let held = if self.mem.ledger.free(o.account_id, asset) >= qty { qty } else { qty - fee };
        if held <= Decimal::ZERO || !self.mem.ledger.lock(o.account_id, asset, held) {
            return;
        }
        if let Some(p) = self.mem.open.get_mut(&first) {
            p.locked += held;
            let p = p.clone();
            self.save(&p);
        }
    }

    /// Places the pending orders of the lists whose working order filled (see the module doc).
    pub(super) fn activate_pending(&mut self, now: u64) {
        for list_id in std::mem::take(&mut self.to_activate) {
            let Some(list) = self.mem.lists.get(&list_id).cloned() else { continue };
            let Some(sym) = self.symbols.iter().position(|s| s.symbol == list.symbol) else { continue };
            let Ok(spec) = self.spec(sym) else { continue };
            let mut legs: Vec<Order> = list
                .order_ids
                .iter()
                .skip(1)
                .filter_map(|id| self.mem.open.get(id))
                .filter(|o| o.status == OrderStatus::PendingNew)
                .cloned()
                .collect();
            if legs.is_empty() {
                continue;
            }
            // Out of the open set, releasing what they hold (an OPO's purchase); placed anew below.
            let mut received = Decimal::ZERO;
            for leg in &mut legs {
                self.mem.open.remove(&leg.order_id);
                self.mem.client_ids.remove(&(
                    leg.account_id,
                    leg.symbol.clone(),
                    leg.client_order_id.clone(),
                ));
                let asset = if leg.side == Side::Sell { &spec.base_asset } else { &spec.quote_asset };
                self.mem.ledger.unlock(leg.account_id, asset, leg.locked);
                received += leg.locked;
                leg.locked = Decimal::ZERO;
                leg.status = OrderStatus::New;
                leg.update_ms = now;
                leg.working_time = i64::try_from(now).unwrap_or(i64::MAX);
            }
            // Pegged pending orders take their price from the book now that they are placed (a
            // pegged stop-limit when it triggers); a book without the level expires them, as it
            // refuses a pegged order placed alone (-2010).
            let mut priced = true;
            for leg in legs.iter_mut().filter(|l| l.peg.is_some() && !is_stop(&l.order_type)) {
                let terms = terms_of(leg);
                priced &= self.peg_price(leg, &terms, &spec, sym, now).is_ok();
            }
            if !priced {
                self.expire_pending(legs, list_id, now);
                continue;
            }
            if list.contingency_type == ContingencyType::Opo {
                let step = spec.lot_size.step_size;
                let qty = if step > Decimal::ZERO { (received / step).floor() * step } else { received };
                let averages = self.average_prices(sym, now);
                let fits = qty > Decimal::ZERO
                    && legs.iter().all(|leg| {
                        let mut t = terms_of(leg);
                        t.quantity = Some(qty);
                        check_filters(&t, &spec).is_ok() && check_at_average(&t, &spec, averages).is_ok()
                    });
                if !fits {
                    self.expire_pending(legs, list_id, now);
                    continue;
                }
                for leg in &mut legs {
                    leg.orig_qty = qty;
                }
            }
            if legs.len() == 2 {
                self.activate_pair(legs, list_id, &spec, sym, now);
            } else if let Some(leg) = legs.pop() {
                self.activate_one(leg, list_id, &spec, sym, now);
            }
        }
    }

    /// Pending orders that cannot be placed: `EXPIRED`, and their list done.
    fn expire_pending(&mut self, legs: Vec<Order>, list_id: u64, now: u64) {
        self.users.left_pending(legs.iter().map(|l| l.order_id), false);
        for mut leg in legs {
            // It never worked (its expiry reason, REJECTED, tells so: see `leg_expiry_reason`).
            leg.working_time = -1;
            leg.close(OrderStatus::Expired, now);
            self.save(&leg);
        }
        self.end_list(list_id, None, OrderStatus::Expired, now);
    }

    /// An OTO's single pending order, placed as a new order.
    fn activate_one(&mut self, mut leg: Order, list_id: u64, spec: &SymbolSpec, sym: usize, now: u64) {
        if is_stop(&leg.order_type) {
            let (asset, need) = stop_need(&leg, spec);
            if self.mem.ledger.free(leg.account_id, asset) < need {
                return self.expire_pending(vec![leg], list_id, now);
            }
            self.users.left_pending([leg.order_id], true);
            self.hold_stop(&mut leg, spec, need);
            return;
        }
        match self.prepare(&leg, None, spec, sym) {
            Ok((plan, fok_fails)) => {
                self.users.left_pending([leg.order_id], true);
                self.apply(&mut leg, &plan, fok_fails, false, spec, sym, now);
                // One that traded or ended at once ends its list, as a leg that acts does.
                if !leg.is_open() || leg.executed_qty > Decimal::ZERO {
                    self.end_list(list_id, Some(leg.order_id), OrderStatus::Expired, now);
                }
            }
            Err(_) => self.expire_pending(vec![leg], list_id, now),
        }
    }

    /// An OTOCO's pending pair, placed as an OCO (`LIMIT_MAKER` that would take, or funds short:
    /// both expire).
    fn activate_pair(&mut self, legs: Vec<Order>, list_id: u64, spec: &SymbolSpec, sym: usize, now: u64) {
        let Ok(mut pair) = <[Order; 2]>::try_from(legs) else { return };
        // A pegged LIMIT_MAKER leg is priced only now: judge the pair's levels again (a SELL pair's
        // LIMIT_MAKER leg is its above leg, a BUY pair's its below leg).
        let misplaced =
            match pair.iter().position(|l| l.order_type == OrderType::LimitMaker && l.peg.is_some()) {
                Some(i) => {
                    let (maker, other) = (&pair[i], &pair[1 - i]);
                    let (above, below) =
                        if maker.side == Side::Sell { (maker, other) } else { (other, maker) };
                    check_pair_levels(above, below).is_err()
                }
                None => false,
            };
        let takes = misplaced
            || pair.iter().any(|l| {
                l.order_type == OrderType::LimitMaker && self.mem.books[sym].would_take(&l.side, l.price)
            });
        let (asset, need_0) = leg_need(&pair[0], spec);
        let need = need_0.max(leg_need(&pair[1], spec).1);
        if takes || self.mem.ledger.free(pair[0].account_id, asset) < need {
            return self.expire_pending(pair.to_vec(), list_id, now);
        }
        self.users.left_pending(pair.iter().map(|l| l.order_id), true);
        self.place_pair(&mut pair, spec, sym);
    }
}
