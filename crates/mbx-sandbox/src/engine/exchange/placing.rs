//! Placing a new order: the checks that can refuse it (average-price filters, `MAX_NUM_ORDERS`,
//! `MAX_NUM_ICEBERG_ORDERS`, duplicate `clientOrderId`, a pegged order's price from the book,
//! `LIMIT_MAKER` that would take, funds), its id, and the entry into matching (`matching.rs`) or,
//! for a stop order, into waiting (`stops.rs`).

use mbx_core::model::{OrderStatus, OrderType, Side, TimeInForce};
use rust_decimal::Decimal;

use super::stops::is_stop;
use super::{Exchange, has_limit, insufficient, new_order_rejected};
use crate::engine::book::{Maker, Plan, Taker, TakerQty};
use crate::engine::order::{Iceberg, Order, OrderTerms, Peg, Trailing};
use crate::engine::records::PreventedMatch;
use crate::engine::trade::Fill;
use crate::error::Result;
use crate::keys::random_client_id;
use crate::market::{DEFAULT_STP_MODE, SymbolSpec};
use crate::order::check_at_average;

/// Length of a generated `clientOrderId`, as Binance generates them.
const CLIENT_ID_LEN: usize = 22;

/// A new order, read and checked by the handler (see [`crate::order::NewOrder`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRequest {
    /// The placing account.
    pub account_id: i64,
    /// Symbol index in the market.
    pub symbol: usize,
    /// What the order asks for.
    pub terms: OrderTerms,
    /// When it arrived (ms).
    pub now_ms: u64,
    /// Its strategy labels (`strategyId`, `strategyType`), as sent.
    pub strategy: crate::engine::order::Strategy,
}

/// An accepted order and the taker side of the trades it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The order as it stands after matching.
    pub order: Order,
    /// Its fills, in matching order.
    pub fills: Vec<Fill>,
    /// The self-trades it was prevented from making, as taker (`preventedMatches`).
    pub prevented: Vec<PreventedMatch>,
}

/// A new order of `account` as `terms` describe it, not yet accepted (its id is 0).
pub(super) fn order_from_terms(account: i64, spec: &SymbolSpec, terms: &OrderTerms, now: u64) -> Order {
    Order {
        order_id: 0,
        account_id: account,
        symbol: spec.symbol.clone(),
        client_order_id: terms.client_order_id.clone().unwrap_or_default(),
        side: terms.side.clone(),
        order_type: terms.order_type.clone(),
        time_in_force: terms.time_in_force.clone().unwrap_or(TimeInForce::Gtc),
        price: terms.price.unwrap_or(Decimal::ZERO),
        orig_qty: terms.quantity.unwrap_or(Decimal::ZERO),
        executed_qty: Decimal::ZERO,
        cumm_quote_qty: Decimal::ZERO,
        orig_quote_order_qty: terms.quote_order_qty.unwrap_or(Decimal::ZERO),
        stop_price: terms.stop_price,
        status: OrderStatus::New,
        stp_mode: terms.stp_mode.clone().unwrap_or(DEFAULT_STP_MODE),
        locked: Decimal::ZERO,
        time_ms: now,
        update_ms: now,
        working_time: i64::try_from(now).unwrap_or(i64::MAX),
        book_seq: None,
        prevented_match_id: None,
        prevented_qty: None,
        order_list_id: None,
        strategy_id: None,
        strategy_type: None,
        used_sor: false,
        iceberg: terms.features.iceberg_qty.map(|qty| Iceberg { qty, shown: Decimal::ZERO }),
        // A trailing stop without stopPrice tracks from when it is held (`Exchange::hold_stop`: at
        // placement, or when a pending order is placed); with one, from when the stopPrice
        // condition is met (`features.rs`).
        trailing: terms.features.trailing_delta.map(|delta| Trailing { delta, time: -1, best: None }),
        peg: terms.features.peg_price_type.clone().map(|price_type| Peg {
            price_type,
            offset: terms.features.peg_offset_value,
            sent_price: terms.price.unwrap_or(Decimal::ZERO),
            pegged_price: None,
        }),
        list_expiry_reason: None,
    }
}

impl Exchange {
    /// Places a new order (`POST /api/v3/order`).
    pub fn place(&mut self, req: PlaceRequest) -> Result<Placed> {
        self.place_routed(req, false)
    }

    /// Places a new order, through SOR when `used_sor` (`POST /api/v3/sor/order`: its taker
    /// executions are allocations).
    pub(super) fn place_routed(&mut self, req: PlaceRequest, used_sor: bool) -> Result<Placed> {
        let sym = req.symbol;
        let spec = self.spec(sym)?;
        let now = req.now_ms;
        let account = req.account_id;
        check_at_average(&req.terms, &spec, self.average_prices(sym, now))?;
        self.check_room(account, &spec, 1)?;
        self.check_iceberg_room(account, &spec, [&req.terms])?;
        self.check_client_id(account, &spec, req.terms.client_order_id.as_deref())?;
        let mut order = order_from_terms(account, &spec, &req.terms, now);
        order.used_sor = used_sor;
        order.label(req.strategy);
        if order.peg.is_some() && !is_stop(&order.order_type) {
            self.peg_price(&mut order, &req.terms, &spec, sym, now)?;
        }
        if is_stop(&order.order_type) {
            return self.place_stop(order, &spec, sym).map(|order| Placed {
                order,
                fills: Vec::new(),
                prevented: Vec::new(),
            });
        }
        let quote = req.terms.quote_order_qty;
        let (plan, fok_fails) = self.prepare(&order, quote, &spec, sym)?;
        self.accept(&mut order);
        let fills = self.apply(&mut order, &plan, fok_fails, quote.is_some(), &spec, sym, now);
        let prevented = self
            .batch
            .prevented_matches
            .iter()
            .filter(|p| p.taker_order_id == order.order_id)
            .cloned()
            .collect();
        Ok(Placed { order, fills, prevented })
    }

    /// `MAX_NUM_ORDERS`: room for `adding` more open orders of `account` on the symbol.
    pub(super) fn check_room(&self, account: i64, spec: &SymbolSpec, adding: usize) -> Result<()> {
        let open_here = self.mem.open.count(account, &spec.symbol);
        if open_here + adding > spec.max_num_orders as usize {
            return Err(crate::order::filter_failure(
                "MAX_NUM_ORDERS",
                format!(
                    "The account has {open_here} open orders on {}; {adding} more would pass the MAX_NUM_ORDERS limit of {}. Cancel some first.",
                    spec.symbol, spec.max_num_orders
                ),
            ));
        }
        Ok(())
    }

    /// `-2010 Duplicate order sent.` when an open order of `account` on the symbol has `cid`.
    pub(super) fn check_client_id(&self, account: i64, spec: &SymbolSpec, cid: Option<&str>) -> Result<()> {
        match cid {
            Some(cid)
                if self.mem.client_ids.contains_key(&(account, spec.symbol.clone(), cid.to_owned())) =>
            {
                Err(new_order_rejected(
                    "Duplicate order sent.",
                    format!(
                        "An open order on {} already has clientOrderId {cid:?}; use a new id.",
                        spec.symbol
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Gives an accepted order its id (and a client order id if it has none).
    pub(super) fn accept(&mut self, order: &mut Order) {
        order.order_id = self.mem.ids.order();
        if order.client_order_id.is_empty() {
            order.client_order_id = random_client_id(CLIENT_ID_LEN);
        }
    }

    /// The checks that can refuse a working order, and its matching plan; changes nothing.
    pub(super) fn prepare(
        &self,
        order: &Order,
        quote_order_qty: Option<Decimal>,
        spec: &SymbolSpec,
        sym: usize,
    ) -> Result<(Plan, bool)> {
        let book = &self.mem.books[sym];
        let account = order.account_id;
        let pay_asset = match order.side {
            Side::Sell => spec.base_asset.as_str(),
            _ => spec.quote_asset.as_str(),
        };
        let free = self.mem.ledger.free(account, pay_asset);
        let limit = has_limit(&order.order_type).then_some(order.price);
        if order.order_type == OrderType::LimitMaker && book.would_take(&order.side, order.price) {
            return Err(new_order_rejected(
                "Order would immediately match and take.",
                format!(
                    "A LIMIT_MAKER {} at {} would trade at once against the best {} of {}; use a price that rests.",
                    order.side,
                    order.price.normalize(),
                    if order.side == Side::Sell { "bid" } else { "ask" },
                    spec.symbol
                ),
            ));
        }
        // A quote-quantity MARKET order needs liquidity on the book (errors.md, -2010's messages).
        if quote_order_qty.is_some() && limit.is_none() {
            let opposite = if order.side == Side::Sell { Side::Buy } else { Side::Sell };
            let open = &self.mem.open;
            let liquidity: Decimal = book
                .levels(&opposite)
                .flat_map(|(_, ids)| ids.iter())
                .filter_map(|id| open.get(id))
                .map(Order::remaining)
                .sum();
            let short = if liquidity.is_zero() {
                Some("Order book liquidity is less than symbol minimum quantity.")
            } else if liquidity < spec.market_lot_size.min_qty {
                Some("Order book liquidity is less than MARKET_LOT_SIZE filter minimum quantity.")
            } else if liquidity < spec.lot_size.min_qty {
                Some("Order book liquidity is less than LOT_SIZE filter minimum quantity.")
            } else {
                None
            };
            if let Some(msg) = short {
                return Err(new_order_rejected(
                    msg,
                    format!(
                        "A quoteOrderQty MARKET order needs orders on the other side of {}'s book, and it holds {} {}.",
                        spec.symbol,
                        liquidity.normalize(),
                        spec.base_asset
                    ),
                ));
            }
        }
        // What must be free before matching.
        let upfront = match (limit, &order.side, quote_order_qty) {
            (Some(_), Side::Sell, _) => order.orig_qty,
            (Some(price), _, _) => price.checked_mul(order.orig_qty).unwrap_or(Decimal::MAX),
            (None, Side::Sell, None) => order.orig_qty,
            (None, Side::Buy, Some(quote)) => quote,
            _ => Decimal::ZERO,
        };
        if free < upfront {
            return Err(insufficient(pay_asset, upfront, free));
        }
        let taker = Taker {
            account_id: account,
            side: order.side.clone(),
            limit,
            qty: match quote_order_qty {
                Some(q) => TakerQty::Quote(q),
                None => TakerQty::Base(order.orig_qty),
            },
            stp: order.stp_mode.clone(),
            step: spec.lot_size.step_size,
        };
        let plan = if order.order_type == OrderType::LimitMaker {
            Plan { rest: order.orig_qty, ..Plan::default() }
        } else {
            let open = &self.mem.open;
            book.plan(&taker, |id| {
                open.get(&id).map(|o| Maker {
                    account_id: o.account_id,
                    remaining: o.remaining(),
                    iceberg: o.iceberg.as_ref().filter(|i| i.qty > Decimal::ZERO).map(|i| (i.shown, i.qty)),
                })
            })
        };
        // Market orders whose cost is known only from the plan.
        let need = match (limit, &order.side, quote_order_qty) {
            (None, Side::Buy, None) => plan.quote,
            (None, Side::Sell, Some(_)) => plan.filled,
            _ => Decimal::ZERO,
        };
        if free < need {
            return Err(insufficient(pay_asset, need, free));
        }
        let fok_fails = order.time_in_force == TimeInForce::Fok
            && limit.is_some()
            && (!plan.rest.is_zero() || plan.taker_expires);
        Ok((plan, fok_fails))
    }
}
