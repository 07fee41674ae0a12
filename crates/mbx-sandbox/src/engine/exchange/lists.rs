//! Order lists on the exchange: placing an OCO, ending a list, cancelling a list, and reading lists
//! back.
//!
//! # Placing an OCO
//!
//! Checks, first failure wins, nothing changed until all pass: each leg's average-price filters
//! (`PERCENT_PRICE_BY_SIDE`, `NOTIONAL`; `-1013`), `MAX_NUM_ORDERS` counting both legs (`-1013`),
//! duplicate `listClientOrderId` among the account's open lists or leg client order ids among its
//! open orders (`-2010 Duplicate order sent.`), the price relationship (`-2010 The relationship of
//! the prices for the orders is not correct.`: the above leg's level over the last trade price over
//! the below leg's; with no trade yet, the above leg's level over the below leg's), a `LIMIT_MAKER`
//! leg that would take (`-2010 Order would immediately match and take.`), a stop leg already past its
//! trigger (`-2010 Order would trigger immediately.`), and the balance (`-2010 Account has
//! insufficient balance for requested action.`). A leg's level is its `price` for `LIMIT_MAKER` and
//! `TAKE_PROFIT_LIMIT`, its `stopPrice` otherwise.
//!
//! # What the legs hold
//!
//! Only one leg can ever execute, so the list holds what the costlier leg needs, once: the
//! `LIMIT_MAKER` leg (if any) rests and locks its own need as any resting order does; a stop leg locks
//! only what the other leg's lock does not already cover. When one leg acts the other is expired
//! first, so its lock is free for the leg that trades.
//!
//! OTO, OTOCO, OPO and OPOCO lists are in `oto.rs`, which shares this file's checks and the OCO
//! pair's placement (an OTOCO's pending pair is placed as an OCO).
//!
//! Iceberg, trailing and pegged legs work as the single orders do (`features.rs`): a pegged leg is
//! priced from the book when it starts to work (at placement; an OTO's pending leg when it is
//! placed, expiring if the book has no level for it; a pegged stop-limit leg when it triggers).
//!
//! # Known limitations
//!
//! A trailing stop leg without `stopPrice` is judged at level zero in the price relationship, and a
//! pending pair's pegged `LIMIT_MAKER` leg only once it is priced (Binance documents neither).

use mbx_core::model::{OrderStatus, OrderType, Side};
use rust_decimal::Decimal;

use super::placing::order_from_terms;
use super::stops::{is_stop, stop_need};
use super::{Exchange, cancel_rejected, insufficient, new_order_rejected};
use crate::engine::order::{Order, OrderTerms, Strategy};
use crate::engine::order_list::{ContingencyType, ListStatus, OrderList, derive_expiry_reasons};
use crate::error::Result;
use crate::keys::random_client_id;
use crate::market::SymbolSpec;
use crate::order::check_at_average;
use crate::store::History;

/// Length of a generated `listClientOrderId`.
const LIST_CLIENT_ID_LEN: usize = 22;

/// A new OCO, read and checked by the handler (see `crate::api::order_lists`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcoRequest {
    /// The placing account.
    pub account_id: i64,
    /// Symbol index in the market.
    pub symbol: usize,
    /// Wire: listClientOrderId (generated when `None`).
    pub list_client_order_id: Option<String>,
    /// The above leg (`aboveType`, `abovePrice`, ...).
    pub above: OrderTerms,
    /// The below leg (`belowType`, `belowPrice`, ...).
    pub below: OrderTerms,
    /// The legs' strategy labels (`aboveStrategyId`, ...): above, below.
    pub strategies: [Strategy; 2],
    /// When it arrived (ms).
    pub now_ms: u64,
}

/// An order list and its orders, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListWithOrders {
    /// The list.
    pub list: OrderList,
    /// Its orders as they stand.
    pub orders: Vec<Order>,
}

/// Which order list a query or cancel names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRef {
    /// Wire: orderListId.
    pub order_list_id: Option<u64>,
    /// Wire: listClientOrderId (`origClientOrderId` in `GET orderList`).
    pub list_client_order_id: Option<String>,
}

impl ListRef {
    /// How the request named the list, for hints.
    pub fn describe(&self) -> String {
        match (&self.order_list_id, &self.list_client_order_id) {
            (Some(id), Some(cid)) => format!("orderListId {id} with listClientOrderId {cid:?}"),
            (Some(id), None) => format!("orderListId {id}"),
            (None, Some(cid)) => format!("listClientOrderId {cid:?}"),
            (None, None) => "nothing".into(),
        }
    }
}

/// The price a leg is judged by in the price relationship.
fn level(o: &Order) -> Decimal {
    match o.order_type {
        OrderType::LimitMaker | OrderType::TakeProfitLimit => o.price,
        _ => o.stop_price.unwrap_or(Decimal::ZERO),
    }
}

fn is_stop_loss(t: &OrderType) -> bool {
    matches!(t, OrderType::StopLoss | OrderType::StopLossLimit)
}

/// An OCO pair in id order: the stop-loss leg takes the lower order id, as on Binance.
pub(super) fn stop_loss_first(above: Order, below: Order) -> [Order; 2] {
    if is_stop_loss(&above.order_type) { [above, below] } else { [below, above] }
}

impl Exchange {
    /// Places an OCO (`POST /api/v3/orderList/oco`): both legs, or nothing.
    pub fn place_oco(&mut self, req: OcoRequest) -> Result<ListWithOrders> {
        let sym = req.symbol;
        let spec = self.spec(sym)?;
        let (now, account) = (req.now_ms, req.account_id);
        let averages = self.average_prices(sym, now);
        check_at_average(&req.above, &spec, averages)?;
        check_at_average(&req.below, &spec, averages)?;
        self.check_room(account, &spec, 2)?;
        self.check_iceberg_room(account, &spec, [&req.above, &req.below])?;
        let cids = [
            ("above", req.above.client_order_id.as_deref()),
            ("below", req.below.client_order_id.as_deref()),
        ];
        self.check_list_ids(account, &spec, req.list_client_order_id.as_deref(), &cids)?;
        let mut above = order_from_terms(account, &spec, &req.above, now);
        let mut below = order_from_terms(account, &spec, &req.below, now);
        above.label(req.strategies[0]);
        below.label(req.strategies[1]);
        // A pegged LIMIT_MAKER leg takes its price from the book now; a pegged stop-limit leg when
        // it triggers, as a single order does.
        for (leg, terms) in [(&mut above, &req.above), (&mut below, &req.below)] {
            if leg.peg.is_some() && !is_stop(&leg.order_type) {
                self.peg_price(leg, terms, &spec, sym, now)?;
            }
        }
        self.check_oco_prices(&above, &below, &spec, sym)?;
        for leg in [&above, &below] {
            if leg.order_type == OrderType::LimitMaker {
                if self.mem.books[sym].would_take(&leg.side, leg.price) {
                    return Err(new_order_rejected(
                        "Order would immediately match and take.",
                        format!(
                            "The LIMIT_MAKER leg at {} would trade at once against the best {} of {}; price it where it rests.",
                            leg.price.normalize(),
                            if leg.side == Side::Sell { "bid" } else { "ask" },
                            spec.symbol
                        ),
                    ));
                }
            } else {
                self.check_not_triggered(leg, &spec, sym)?;
            }
        }
        let (asset, need_above) = leg_need(&above, &spec);
        let (_, need_below) = leg_need(&below, &spec);
        let need = need_above.max(need_below);
        let free = self.mem.ledger.free(account, asset);
        if free < need {
            return Err(insufficient(asset, need, free));
        }

        // Everything passed: the stop-loss leg takes the lower order id, as on Binance.
        let list_id = self.mem.ids.order_list();
        let mut legs = stop_loss_first(above, below);
        for leg in &mut legs {
            self.accept(leg);
            leg.order_list_id = Some(list_id);
        }
        self.place_pair(&mut legs, &spec, sym);
        let list = self.open_list(
            list_id,
            account,
            &spec,
            ContingencyType::Oco,
            req.list_client_order_id,
            &legs,
            now,
        );
        Ok(ListWithOrders { list, orders: legs.to_vec() })
    }

    /// `-2010 Duplicate order sent.` when `list_cid` names an open order list of `account` on the
    /// symbol, a leg's client order id an open order, or two legs share one. `legs` pairs each
    /// leg's parameter prefix with its id.
    pub(super) fn check_list_ids(
        &self,
        account: i64,
        spec: &SymbolSpec,
        list_cid: Option<&str>,
        legs: &[(&str, Option<&str>)],
    ) -> Result<()> {
        if let Some(cid) = list_cid
            && self.mem.list_client_ids.contains_key(&(account, spec.symbol.clone(), cid.to_owned()))
        {
            return Err(new_order_rejected(
                "Duplicate order sent.",
                format!(
                    "An open order list on {} already has listClientOrderId {cid:?}; use a new id.",
                    spec.symbol
                ),
            ));
        }
        for (i, (prefix, cid)) in legs.iter().enumerate() {
            self.check_client_id(account, spec, *cid)?;
            if let Some((other, _)) = legs[..i].iter().find(|(_, c)| c.is_some() && c == cid) {
                return Err(new_order_rejected(
                    "Duplicate order sent.",
                    format!(
                        "{other}ClientOrderId and {prefix}ClientOrderId are both {:?}; give each leg its own id.",
                        cid.unwrap_or_default()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Puts an accepted OCO pair to work: the `LIMIT_MAKER` leg (if any) rests and locks first;
    /// the other, a stop leg, holds only what the first does not already cover. A `LIMIT_MAKER`
    /// leg must not take (the caller checked, or expires it).
    pub(super) fn place_pair(&mut self, legs: &mut [Order; 2], spec: &SymbolSpec, sym: usize) {
        let mut held = Decimal::ZERO;
        let order = if legs[1].order_type == OrderType::LimitMaker { [1, 0] } else { [0, 1] };
        for i in order {
            let leg = &mut legs[i];
            if leg.order_type == OrderType::LimitMaker {
                self.rest(leg, spec, sym);
                held += leg.locked;
                self.mem
                    .client_ids
                    .insert((leg.account_id, leg.symbol.clone(), leg.client_order_id.clone()), leg.order_id);
                self.mem.open.insert(leg.order_id, leg.clone());
                self.save(leg);
            } else {
                let amount = (leg_need(leg, spec).1 - held).max(Decimal::ZERO);
                held += amount;
                self.hold_stop(leg, spec, amount);
            }
        }
    }

    /// Registers a new open order list of `legs` (accepted, in the list's order) and returns it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn open_list(
        &mut self,
        list_id: u64,
        account: i64,
        spec: &SymbolSpec,
        contingency_type: ContingencyType,
        list_client_order_id: Option<String>,
        legs: &[Order],
        now: u64,
    ) -> OrderList {
        let list = OrderList {
            order_list_id: list_id,
            account_id: account,
            symbol: spec.symbol.clone(),
            contingency_type,
            status: ListStatus::Executing,
            list_client_order_id: list_client_order_id
                .unwrap_or_else(|| random_client_id(LIST_CLIENT_ID_LEN)),
            order_ids: legs.iter().map(|o| o.order_id).collect(),
            time_ms: now,
            update_ms: now,
        };
        self.mem
            .list_client_ids
            .insert((account, list.symbol.clone(), list.list_client_order_id.clone()), list_id);
        self.mem.lists.insert(list_id, list.clone());
        self.batch.order_lists.insert(list_id, list.clone());
        list
    }

    /// The above leg's level over the last trade price over the below leg's (with no trade yet, the
    /// above leg's over the below leg's).
    fn check_oco_prices(&self, above: &Order, below: &Order, spec: &SymbolSpec, sym: usize) -> Result<()> {
        let (high, low) = (level(above), level(below));
        let last = self.mem.last_trade[sym].map(|(p, _)| p);
        let ok = match last {
            Some(last) => high > last && last > low,
            None => high > low,
        };
        if ok {
            return Ok(());
        }
        let last = last.map_or("no trade yet".to_owned(), |l| format!("the last price {}", l.normalize()));
        Err(new_order_rejected(
            "The relationship of the prices for the orders is not correct.",
            format!(
                "An OCO on {} needs the above leg ({} at {}) over {last} over the below leg ({} at {}).",
                spec.symbol,
                above.order_type,
                high.normalize(),
                below.order_type,
                low.normalize()
            ),
        ))
    }

    /// Ends open list `list_id`: it is `ALL_DONE`, and its orders other than `except` (the leg that
    /// acted) that are still open close with `status` (`CANCELED` when the owner cancelled,
    /// `EXPIRED` otherwise).
    pub(super) fn end_list(&mut self, list_id: u64, except: Option<u64>, status: OrderStatus, now: u64) {
        let Some(mut list) = self.mem.lists.remove(&list_id) else { return };
        self.mem.list_client_ids.remove(&(
            list.account_id,
            list.symbol.clone(),
            list.list_client_order_id.clone(),
        ));
        list.status = ListStatus::AllDone;
        list.update_ms = now;
        self.batch.order_lists.insert(list_id, list.clone());
        for id in list.order_ids.iter().filter(|id| Some(**id) != except) {
            if let Some(order) = self.mem.open.get(id).cloned() {
                self.finish(order, status.clone(), now);
            }
        }
    }

    /// Cancels an open order list of `account` on `sym` (`DELETE /api/v3/orderList`): every leg
    /// `CANCELED`, the list `ALL_DONE`.
    pub fn cancel_list(
        &mut self,
        account: i64,
        sym: usize,
        which: &ListRef,
        now: u64,
    ) -> Result<ListWithOrders> {
        let symbol = self.symbol_name(sym).to_owned();
        let unknown = || {
            cancel_rejected(
                "Unknown order sent.",
                format!(
                    "No open order list of this account on {symbol} matches {}; it may be done already (GET /api/v3/orderList tells).",
                    which.describe()
                ),
            )
        };
        let id = match (which.order_list_id, &which.list_client_order_id) {
            (Some(id), cid) => {
                let list = self.mem.lists.get(&id).filter(|l| l.account_id == account && l.symbol == symbol);
                match (list, cid) {
                    (Some(l), Some(cid)) if l.list_client_order_id != *cid => return Err(unknown()),
                    (Some(_), _) => id,
                    (None, _) => return Err(unknown()),
                }
            }
            (None, Some(cid)) => {
                *self.mem.list_client_ids.get(&(account, symbol.clone(), cid.clone())).ok_or_else(unknown)?
            }
            (None, None) => return Err(unknown()),
        };
        let order_ids = self.mem.lists.get(&id).map(|l| l.order_ids.clone()).unwrap_or_default();
        for leg in &order_ids {
            if let Some(order) = self.mem.open.get(leg).cloned() {
                self.finish(order, OrderStatus::Canceled, now);
            }
        }
        // Cancelling the first leg ended the list; a list with no open leg left (not reachable today)
        // is ended here.
        self.end_list(id, None, OrderStatus::Canceled, now);
        let list = self.batch.order_lists.get(&id).cloned().ok_or_else(unknown)?;
        let orders =
            order_ids.iter().filter_map(|o| self.batch.orders.get(o).map(|o| Order::clone(o))).collect();
        Ok(ListWithOrders { list, orders })
    }

    // ---- reading ----

    /// An order list of `account` by id, or the latest with that `listClientOrderId`.
    pub fn order_list(&self, account: i64, which: &ListRef) -> Result<Option<ListWithOrders>> {
        let found = self.store.find_order_list(
            account,
            which.order_list_id,
            which.list_client_order_id.as_deref(),
        )?;
        let found = found.filter(|l| match (&which.order_list_id, &which.list_client_order_id) {
            (Some(_), Some(cid)) => l.list_client_order_id == *cid,
            _ => true,
        });
        Ok(self.with_orders(found.into_iter().collect())?.pop())
    }

    /// The open order lists of `account`, by id.
    pub fn open_order_lists(&self, account: i64) -> Vec<ListWithOrders> {
        let mut lists: Vec<ListWithOrders> = self
            .mem
            .lists
            .values()
            .filter(|l| l.account_id == account)
            .map(|l| ListWithOrders {
                list: l.clone(),
                orders: l.order_ids.iter().filter_map(|id| self.mem.open.get(id).cloned()).collect(),
            })
            .collect();
        lists.sort_by_key(|l| l.list.order_list_id);
        lists
    }

    /// `allOrderList`.
    pub fn all_order_lists(&self, account: i64, h: &History) -> Result<Vec<ListWithOrders>> {
        self.with_orders(self.store.order_lists(account, h)?)
    }

    /// Each list with its stored orders.
    fn with_orders(&self, lists: Vec<OrderList>) -> Result<Vec<ListWithOrders>> {
        let ids: Vec<u64> = lists.iter().map(|l| l.order_list_id).collect();
        let orders = self.store.orders_of_lists(&ids)?;
        Ok(lists
            .into_iter()
            .map(|list| {
                let mut orders: Vec<Order> = list
                    .order_ids
                    .iter()
                    .filter_map(|id| orders.iter().find(|o| o.order_id == *id).cloned())
                    .collect();
                derive_expiry_reasons(&list, &mut orders);
                ListWithOrders { list, orders }
            })
            .collect())
    }
}

/// What a leg needs of its account to work: the base asset it sells, or the quote asset it could
/// spend (a `LIMIT_MAKER` at its price; a stop leg as [`stop_need`] says).
pub(super) fn leg_need<'s>(o: &Order, spec: &'s SymbolSpec) -> (&'s str, Decimal) {
    match (&o.order_type, &o.side) {
        (OrderType::LimitMaker, Side::Sell) => (&spec.base_asset, o.orig_qty),
        (OrderType::LimitMaker, _) => {
            (&spec.quote_asset, o.price.checked_mul(o.orig_qty).unwrap_or(Decimal::MAX))
        }
        _ => stop_need(o, spec),
    }
}
