//! User data events (user-data-stream.md) of one command: what each account hears of its orders and
//! balances, built from the command's changes (its [`Batch`]) once they are committed.
//!
//! | change | events, in order |
//! |---|---|
//! | an order placed by the command | `executionReport` `x: NEW` (`X: PENDING_NEW` for an order list's pending order) |
//! | a pending order placed once its working order filled | `executionReport` `x: NEW`, `X: NEW` |
//! | each fill of an order (placed now or resting) | `executionReport` `x: TRADE`, `X` the status after that fill |
//! | an order amended (keep priority) | `executionReport` `x: REPLACED`, `I` the amendment's `executionId`, `C` the client order id before |
//! | each prevented match that took quantity off an order or expired it | `executionReport` `x: TRADE_PREVENTION` with `v`, `A`, `B`, `u`, `U`, `Cs`, `pl`, `pL`, `pY`, in trade order with its fills |
//! | an order canceled or expired | `executionReport` `x: CANCELED` or `EXPIRED` (`eR` why, for an order list's leg from its list: `order_list::leg_expiry_reason`) |
//! | an execution of an SOR order | its `TRADE` report has `t: -1`, `b` (match type) and `a` (allocation id); every report of an SOR order has `k: SOR` and `uS: true` |
//!
//! Across orders, a command's reports come in the order things happened ([`At`]): an order it
//! cancels, then the orders it places (NEW), then each trade (the resting order's report before the
//! incoming one's) and prevented match, then what ended through them; execution ids (`I`) are
//! given in that order. So an incoming order is NEW before the resting orders it meets trade, and a
//! stop its trades trigger fills after them.
//!
//! A `CANCELED` report names the cancel request as `c` (its `newClientOrderId`, the `clientOrderId`
//! the cancel answered) and the order as `C` (its own client order id), as Binance's do.
//! | balances changed | one `outboundAccountPosition` per account with the assets changed |
//! | an order list placed or changed | `listStatus`, after its orders' reports (`l: UPDATED` when an amendment renamed one of its orders) |
//! | a deposit (the admin API) | `balanceUpdate`, before its `outboundAccountPosition` |
//!
//! An iceberg's `icebergQty` is `F`; a trailing stop has `d` (trailingDelta) and, once tracking,
//! `D` (trailingTime); a pegged order has `gP`, `gOT` and `gOV` (when an offset was sent) and `gp`
//! (peggedPrice, once determined), and `p` is the price it was sent with.

use mbx_core::WireValue;
use mbx_core::model::OrderStatus;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::exchange::is_stop;
use super::order::Order;
use super::order_list::leg_expiry_reason;
use super::records::PreventedMatch;
use super::trade::Fill;
use crate::store::Batch;
use crate::write::decimal::amount;

/// One event for one account.
#[derive(Debug, Clone, PartialEq)]
pub struct UserEvent {
    /// The account it belongs to.
    pub account_id: i64,
    /// The event, as user-data-stream.md writes it.
    pub event: Value,
}

/// A deposit made by a command (the admin API), for `balanceUpdate`; or, `external`, funds locked
/// (or, negative, unlocked) by a system outside spot trading, for `externalLockUpdate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    /// The account.
    pub account_id: i64,
    /// The asset.
    pub asset: String,
    /// The amount (negative for a withdrawal, or an external unlock).
    pub delta: Decimal,
    /// An external lock rather than a deposit.
    pub external: bool,
}

/// The events of one committed command. `first_new_order` is the first order id the command could
/// issue (orders at or above it were placed by it); `left_pending` the pending orders that left
/// `PENDING_NEW` in it, each with whether it was placed on the book (else it expired at once);
/// `execution_id` numbers the reports (`I`); `cancel` is the account and `newClientOrderId` of the
/// cancel request the command is, if it is one (the orders of other accounts it touches, the
/// market maker's, are not cancelled by it).
pub fn of_command(
    batch: &Batch,
    first_new_order: u64,
    left_pending: &[(u64, bool)],
    deposits: &[Deposit],
    cancel: Option<(i64, &str)>,
    execution_id: &mut u64,
    now_ms: u64,
) -> Vec<UserEvent> {
    // Each order's execution reports with when they happened ([`At`]), numbered (`I`) once put in
    // that order across orders: the command's own order is NEW before the resting orders it
    // meets trade, and a stop triggered by its trades fills after them.
    let mut reports: Vec<(At, Option<u64>, UserEvent)> = Vec::new();
    // Each order's fills, in trade order (one pass: a sweep has as many fills as orders).
    let mut fills_of: std::collections::HashMap<u64, Vec<&Fill>> = std::collections::HashMap::new();
    for f in &batch.fills {
        fills_of.entry(f.order_id).or_default().push(f);
    }
    // After every trade and prevented match of the command.
    let end = batch
        .fills
        .iter()
        .map(|f| f.trade_id)
        .chain(batch.prevented_matches.iter().map(|p| p.next_trade_id))
        .max()
        .map_or(0, |t| t + 1);
    for order in batch.orders.values() {
        // An expired list leg's reason depends on its list and the list's other orders, all
        // changed by the same command when the leg expired.
        let derived;
        let order = match order.order_list_id.and_then(|id| batch.order_lists.get(&id)) {
            Some(list) if order.status == OrderStatus::Expired => {
                let legs: Vec<Order> = list
                    .order_ids
                    .iter()
                    .filter_map(|id| batch.orders.get(id).map(|o| Order::clone(o)))
                    .collect();
                derived = Order {
                    list_expiry_reason: leg_expiry_reason(list, &legs, order),
                    ..Order::clone(order)
                };
                &derived
            }
            _ => order,
        };
        let mut fills = fills_of.remove(&order.order_id).unwrap_or_default();
        fills.sort_by_key(|f| f.trade_id);
        let filled_now: Decimal = fills.iter().map(|f| f.qty).sum();
        let quote_now: Decimal = fills.iter().map(|f| f.quote_qty).sum();
        let preventions: Vec<&PreventedMatch> =
            batch.prevented_matches.iter().filter(|p| p.touches(order.order_id)).collect();
        let prevented_now: Decimal = preventions.iter().map(|p| p.prevented_of(order.order_id)).sum();
        let touched = !preventions.is_empty();
        // What was executed (and prevented) before this command's fills.
        let (mut z, mut zq) = (order.executed_qty - filled_now, order.cumm_quote_qty - quote_now);
        let mut prevented = order.prevented_qty.unwrap_or_default() - prevented_now;
        let placed_now = order.order_id >= first_new_order;
        let cancel_client_id = cancel.filter(|(account, _)| *account == order.account_id).map(|(_, id)| id);
        let push = |reports: &mut Vec<(At, Option<u64>, UserEvent)>,
                    at: At,
                    x: &str,
                    status: &OrderStatus,
                    fill: Option<&Fill>,
                    z: Decimal,
                    zq: Decimal| {
            let event = report(order, x, status, fill, z, zq, cancel_client_id, 0, now_ms);
            reports.push((at, None, UserEvent { account_id: order.account_id, event }));
        };
        let left = left_pending.iter().find(|(id, _)| *id == order.order_id).map(|(_, placed)| *placed);
        let activated_now = left == Some(true);
        if placed_now {
            // A pending order of an OTO or OPO list is PENDING_NEW when placed, whatever became of
            // it in the same request (its working IOC expired at once).
            let pending_leg = order
                .order_list_id
                .and_then(|id| batch.order_lists.get(&id))
                .is_some_and(|l| l.is_pending(order.order_id));
            let pending = left.is_some() || order.status == OrderStatus::PendingNew || pending_leg;
            let status = if pending { OrderStatus::PendingNew } else { OrderStatus::New };
            push(&mut reports, At::PLACED, "NEW", &status, None, Decimal::ZERO, Decimal::ZERO);
        }
        if activated_now {
            // Placed once its working order filled: before its own first trade, else after the
            // command's trades.
            let at = fills.first().map_or(end, |f| f.trade_id);
            push(&mut reports, At(at, 0), "NEW", &OrderStatus::New, None, Decimal::ZERO, Decimal::ZERO);
        }
        for a in batch.amendments.iter().filter(|a| a.order_id == order.order_id) {
            // The amendment's executionId (the one its answer and order/amendments show).
            let mut event =
                report(order, "REPLACED", &order.status, None, z, zq, None, a.execution_id, now_ms);
            if let Some(obj) = event.as_object_mut() {
                obj.insert("C".into(), json!(a.orig_client_order_id));
                obj.insert("c".into(), json!(a.new_client_order_id));
                obj.insert("q".into(), json!(amount(a.new_qty)));
            }
            reports.push((
                At::AMENDED,
                Some(a.execution_id),
                UserEvent { account_id: order.account_id, event },
            ));
        }
        // Fills and prevented matches in the order they happened.
        let mut preventions = preventions.into_iter().peekable();
        let events = fills.len() + preventions.len();
        let mut fills = fills.into_iter().peekable();
        for i in 0..events {
            let last = i + 1 == events;
            let prevention_first = match (fills.peek(), preventions.peek()) {
                (Some(f), Some(p)) => p.next_trade_id <= f.trade_id,
                (None, Some(_)) => true,
                _ => false,
            };
            if prevention_first {
                let Some(p) = preventions.next() else { break };
                let b = p.prevented_of(order.order_id);
                prevented += b;
                let status = if last && order.status == OrderStatus::ExpiredInMatch {
                    OrderStatus::ExpiredInMatch
                } else if z.is_zero() {
                    OrderStatus::New
                } else {
                    OrderStatus::PartiallyFilled
                };
                let mut event = report(order, "TRADE_PREVENTION", &status, None, z, zq, None, 0, now_ms);
                prevention_fields(&mut event, order.order_id, p, prevented, b);
                // The maker's before the taker's, as for a trade.
                let side = if p.maker_order_id == order.order_id { 1 } else { 2 };
                reports.push((
                    At(p.next_trade_id, side),
                    None,
                    UserEvent { account_id: order.account_id, event },
                ));
                continue;
            }
            let Some(fill) = fills.next() else { break };
            z += fill.qty;
            zq += fill.quote_qty;
            // A quote-quantity order's origQty is what it executed, whatever its end: its last
            // trade fills it only when it ended FILLED.
            let filled = (last && order.status == OrderStatus::Filled)
                || (order.orig_quote_order_qty.is_zero()
                    && z + prevented >= order.orig_qty
                    && order.orig_qty > Decimal::ZERO);
            let status = if filled { OrderStatus::Filled } else { OrderStatus::PartiallyFilled };
            // A trade: the resting order's report, then the incoming one's.
            let at = At(fill.trade_id, if fill.is_maker { 3 } else { 4 });
            push(&mut reports, at, "TRADE", &status, Some(fill), z, zq);
        }
        let ended = match order.status {
            OrderStatus::Canceled => Some("CANCELED"),
            OrderStatus::Expired => Some("EXPIRED"),
            // Reported above, with its prevented match.
            OrderStatus::ExpiredInMatch if touched => None,
            OrderStatus::ExpiredInMatch => Some("TRADE_PREVENTION"),
            _ => None,
        };
        if let Some(x) = ended {
            let by_cancel = order.status == OrderStatus::Canceled && !placed_now && filled_now.is_zero();
            // An OCO's leg ended because its stop (or take-profit) leg triggered and traded: it is
            // cancelled before that leg executes (the CHANGELOG's OCO "Execution Order").
            let triggered =
                order.order_list_id.and_then(|list| triggered_leg_trade(batch, list, order.order_id));
            let at = match triggered {
                _ if by_cancel => At::CANCELED,
                Some(trade) => At(trade, 0),
                None => At(end, 5),
            };
            push(&mut reports, at, x, &order.status, None, order.executed_qty, order.cumm_quote_qty);
        }
    }
    // In the order they happened (each order's own stay in theirs), numbered so.
    reports.sort_by_key(|(at, _, _)| *at);
    let mut out = Vec::with_capacity(reports.len() + batch.order_lists.len() + 2);
    for (_, fixed, mut e) in reports {
        match fixed {
            Some(id) => *execution_id = (*execution_id).max(id),
            None => {
                *execution_id += 1;
                if let Some(obj) = e.event.as_object_mut() {
                    obj.insert("I".into(), json!(*execution_id));
                }
            }
        }
        out.push(e);
    }
    // An order list whose order was amended to a new client order id is UPDATED (Order Amend Keep
    // Priority FAQ, "How do I know if my order has been amended?").
    let renamed = |list: &crate::engine::order_list::OrderList| {
        batch
            .amendments
            .iter()
            .any(|a| a.orig_client_order_id != a.new_client_order_id && list.order_ids.contains(&a.order_id))
    };
    for list in batch.order_lists.values() {
        let orders: Vec<Value> = list
            .order_ids
            .iter()
            .map(|id| {
                let client = batch.orders.get(id).map(|o| o.client_order_id.clone()).unwrap_or_default();
                json!({ "s": list.symbol, "i": id, "c": client })
            })
            .collect();
        out.push(UserEvent {
            account_id: list.account_id,
            event: json!({
                "e": "listStatus", "E": now_ms, "s": list.symbol,
                "g": list.order_list_id, "c": list.contingency_type.wire(),
                "l": if renamed(list) { "UPDATED" } else { list.status.list_status_type() },
                "L": list.status.list_order_status(),
                "r": "NONE", "C": list.list_client_order_id, "T": list.update_ms, "O": orders,
            }),
        });
    }
    for d in deposits {
        let kind = if d.external { "externalLockUpdate" } else { "balanceUpdate" };
        out.push(UserEvent {
            account_id: d.account_id,
            event: json!({ "e": kind, "E": now_ms, "a": d.asset, "d": amount(d.delta), "T": now_ms }),
        });
    }
    let mut accounts: Vec<i64> = batch.balances.keys().map(|(a, _)| *a).collect();
    accounts.dedup();
    for account in accounts {
        let balances: Vec<Value> = batch
            .balances
            .iter()
            .filter(|((a, _), _)| *a == account)
            .map(|((_, asset), (free, locked))| json!({ "a": asset, "f": amount(*free), "l": amount(*locked) }))
            .collect();
        let updated = batch.accounts.get(&account).copied().unwrap_or(now_ms);
        out.push(UserEvent {
            account_id: account,
            event: json!({ "e": "outboundAccountPosition", "E": now_ms, "u": updated, "B": balances }),
        });
    }
    out
}

/// When an execution report happened within its command: before the trade with id `.0` (or, `.0`
/// zero, before any), then by `.1`. At the start, an order the command cancels (0: a
/// cancel-replace cancels, then places), a placed order's NEW (1), an amendment (2); then each
/// prevented match (1 the maker's, 2 the taker's) and trade (3 the maker's report, 4 the taker's);
/// an order that ended through them (an IOC's rest, an OCO's other leg) after every trade (5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct At(u64, u8);

impl At {
    const CANCELED: At = At(0, 0);
    const PLACED: At = At(0, 1);
    const AMENDED: At = At(0, 2);
}

/// The first trade of a stop or take-profit order of list `list` other than `order_id`, when the
/// command made one: that leg triggered and executed.
fn triggered_leg_trade(batch: &Batch, list: u64, order_id: u64) -> Option<u64> {
    batch
        .orders
        .values()
        .filter(|o| o.order_list_id == Some(list) && o.order_id != order_id)
        .filter(|o| is_stop(&o.order_type))
        .filter_map(|o| batch.fills.iter().filter(|f| f.order_id == o.order_id).map(|f| f.trade_id).min())
        .min()
}

/// One `executionReport` with every field of the docs. A `CANCELED` one is `c` the cancel request's
/// client order id (`cancel_client_id`; the order's own when the command named none) and `C` the
/// order's.
#[allow(clippy::too_many_arguments)]
fn report(
    o: &Order,
    x: &str,
    status: &OrderStatus,
    fill: Option<&Fill>,
    z: Decimal,
    zq: Decimal,
    cancel_client_id: Option<&str>,
    execution_id: u64,
    now_ms: u64,
) -> Value {
    // `w`, "is the order on the book?", as the event finds it: a new order is working (the docs'
    // MARKET order shows `true` on its NEW), but for an untriggered stop; later, when it rests.
    let on_book = if x == "NEW" && *status == OrderStatus::New {
        o.book_seq.is_some() || !is_stop(&o.order_type)
    } else {
        matches!(status, OrderStatus::New | OrderStatus::PartiallyFilled) && o.book_seq.is_some()
    };
    let (l, lp, lq, n, na, t, m) = match fill {
        Some(f) => (
            f.qty,
            f.price,
            f.quote_qty,
            amount(f.commission),
            json!(f.commission_asset),
            json!(f.trade_id),
            f.is_maker,
        ),
        None => (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, "0".to_owned(), Value::Null, json!(-1), false),
    };
    let (c, orig) = match (x, cancel_client_id) {
        ("CANCELED", Some(cancel)) => (cancel, o.client_order_id.as_str()),
        ("CANCELED", None) => (o.client_order_id.as_str(), o.client_order_id.as_str()),
        _ => (o.client_order_id.as_str(), ""),
    };
    let mut e = json!({
        "e": "executionReport",
        "E": now_ms,
        "s": o.symbol,
        "c": c,
        "S": o.side.wire(),
        "o": o.order_type.wire(),
        "f": o.time_in_force.wire(),
        "q": amount(o.orig_qty),
        "p": amount(o.shown_price()),
        "P": amount(o.stop_price.unwrap_or_default()),
        "F": amount(o.iceberg.as_ref().map_or(Decimal::ZERO, |i| i.qty)),
        "g": o.order_list_id.and_then(|id| i64::try_from(id).ok()).unwrap_or(-1),
        "C": orig,
        "x": x,
        "X": status.wire(),
        "r": "NONE",
        "i": o.order_id,
        "l": amount(l),
        "z": amount(z),
        "L": amount(lp),
        "n": n,
        "N": na,
        "T": fill.map_or(o.update_ms, |f| f.time_ms),
        "t": t,
    });
    if let Some(obj) = e.as_object_mut() {
        // `v` "appears only for orders that expired due to STP" (user-data-stream.md): not on the
        // reports before (TRADE_PREVENTION's carry their own, `prevention_fields`).
        if *status == OrderStatus::ExpiredInMatch
            && let Some(v) = o.prevented_match_id
        {
            obj.insert("v".into(), json!(v));
        }
        if let Some(j) = o.strategy_id {
            obj.insert("j".into(), json!(j));
        }
        if let Some(t) = o.strategy_type {
            obj.insert("J".into(), json!(t));
        }
        obj.insert("I".into(), json!(execution_id));
        obj.insert("w".into(), json!(on_book));
        obj.insert("m".into(), json!(m));
        obj.insert("M".into(), json!(false));
        obj.insert("O".into(), json!(o.time_ms));
        obj.insert("Z".into(), json!(amount(zq)));
        obj.insert("Y".into(), json!(amount(lq)));
        obj.insert("Q".into(), json!(amount(o.orig_quote_order_qty)));
        if o.working_time >= 0 {
            obj.insert("W".into(), json!(o.working_time));
        }
        obj.insert("V".into(), json!(o.stp_mode.wire()));
        if let Some(alloc) = fill.and_then(|f| f.alloc_id) {
            // An SOR execution is an allocation, not a trade of the account.
            obj.insert("t".into(), json!(-1));
            obj.insert("b".into(), json!(ALLOCATION_MATCH_TYPE));
            obj.insert("a".into(), json!(alloc));
        }
        if o.used_sor {
            obj.insert("k".into(), json!(SOR_WORKING_FLOOR));
            obj.insert("uS".into(), json!(true));
        }
        if let Some(t) = &o.trailing {
            obj.insert("d".into(), json!(t.delta));
            if t.time >= 0 {
                obj.insert("D".into(), json!(t.time));
            }
        }
        if let Some(p) = &o.peg {
            obj.insert("gP".into(), json!(p.price_type.wire()));
            if let Some(offset) = p.offset {
                obj.insert("gOT".into(), json!("PRICE_LEVEL"));
                obj.insert("gOV".into(), json!(offset));
            }
            if let Some(pegged) = p.pegged_price {
                obj.insert("gp".into(), json!(amount(pegged)));
            }
        }
        // Only on the event that expires it (user-data-stream.md: "Appears when the order has
        // expired"): an IOC order's NEW event does not carry why it expires next.
        if matches!(status, OrderStatus::Expired | OrderStatus::ExpiredInMatch)
            && let Some(reason) = o.expiry_reason()
        {
            obj.insert("eR".into(), json!(reason.wire()));
        }
    }
    e
}

/// `matchType` (`b`) of an allocation.
pub const ALLOCATION_MATCH_TYPE: &str = "ONE_PARTY_TRADE_REPORT";

/// `workingFloor` (`k`) of an SOR order.
pub const SOR_WORKING_FLOOR: &str = "SOR";

/// The fields of a `TRADE_PREVENTION` report (user-data-stream.md, "Conditional Fields in Execution
/// Report"): `v` the prevented match, `A` the order's prevented quantity so far, `B` this match's,
/// `u` the trade group, `U` the other order, `Cs` its symbol, `pl`, `pL`, `pY` the execution that was
/// prevented (quantity, price, quote).
fn prevention_fields(event: &mut Value, order_id: u64, p: &PreventedMatch, a: Decimal, b: Decimal) {
    let (counter, counter_symbol) = if p.taker_order_id == order_id {
        (p.maker_order_id, &p.maker_symbol)
    } else {
        (p.taker_order_id, &p.symbol)
    };
    if let Some(obj) = event.as_object_mut() {
        obj.insert("v".into(), json!(p.prevented_match_id));
        obj.insert("A".into(), json!(amount(a)));
        obj.insert("B".into(), json!(amount(b)));
        obj.insert("u".into(), json!(p.trade_group_id));
        obj.insert("U".into(), json!(counter));
        obj.insert("Cs".into(), json!(counter_symbol));
        obj.insert("pl".into(), json!(amount(p.match_qty)));
        obj.insert("pL".into(), json!(amount(p.price)));
        obj.insert("pY".into(), json!(amount(p.match_qty * p.price)));
    }
}

/// The user data feed of the engine: events of each command, published once it is committed, to
/// the WebSocket API's subscriptions and Binance.US listenKey streams. Nothing is built while nobody
/// listens.
#[derive(Debug)]
pub struct UserFeed {
    sender: tokio::sync::broadcast::Sender<std::sync::Arc<Vec<UserEvent>>>,
    /// Built for commands not committed yet (group commit).
    pending: Vec<UserEvent>,
    /// Deposits of the current command.
    deposits: Vec<Deposit>,
    /// The first order id the current command may issue.
    first_new_order: u64,
    /// Pending orders that left `PENDING_NEW` in the current command: placed on the book (`true`) or
    /// expired at once.
    left_pending: Vec<(u64, bool)>,
    /// The last execution id issued (`I`).
    execution_id: u64,
    /// The account and `newClientOrderId` of the current command's cancel request, if it is one.
    cancel: Option<(i64, String)>,
}

/// Event batches kept for slow readers.
const CAPACITY: usize = 4096;

impl Default for UserFeed {
    fn default() -> Self {
        UserFeed {
            sender: tokio::sync::broadcast::channel(CAPACITY).0,
            pending: Vec::new(),
            deposits: Vec::new(),
            first_new_order: 0,
            left_pending: Vec::new(),
            execution_id: 0,
            cancel: None,
        }
    }
}

impl UserFeed {
    /// The last execution id (`I`) issued.
    pub fn last_execution_id(&self) -> u64 {
        self.execution_id
    }

    /// The channel of committed event batches.
    pub fn sender(&self) -> tokio::sync::broadcast::Sender<std::sync::Arc<Vec<UserEvent>>> {
        self.sender.clone()
    }

    fn listened(&self) -> bool {
        self.sender.receiver_count() > 0
    }

    /// A command starts; it may issue order ids from `next_order_id`.
    pub fn begin(&mut self, next_order_id: u64) {
        self.first_new_order = next_order_id;
        self.deposits.clear();
        self.left_pending.clear();
        self.cancel = None;
    }

    /// The current command took these orders out of `PENDING_NEW`: placed on the book (`placed`)
    /// or expired.
    pub fn left_pending(&mut self, order_ids: impl IntoIterator<Item = u64>, placed: bool) {
        if self.listened() {
            self.left_pending.extend(order_ids.into_iter().map(|id| (id, placed)));
        }
    }

    /// The current command is a cancel request of `account_id` identified by `client_order_id` (its
    /// `newClientOrderId`, or the one generated for it): the orders it cancels report it as `c`.
    pub fn cancel_request(&mut self, account_id: i64, client_order_id: &str) {
        if self.listened() {
            self.cancel = Some((account_id, client_order_id.to_owned()));
        }
    }

    /// The current command deposited `delta` of `asset` to `account_id`.
    pub fn deposit(&mut self, account_id: i64, asset: &str, delta: Decimal) {
        if self.listened() {
            self.deposits.push(Deposit { account_id, asset: asset.to_owned(), delta, external: false });
        }
    }

    /// The current command locked (`delta` above zero) or unlocked `delta` of `asset` of
    /// `account_id` for a system outside spot trading.
    pub fn external_lock(&mut self, account_id: i64, asset: &str, delta: Decimal) {
        if self.listened() {
            self.deposits.push(Deposit { account_id, asset: asset.to_owned(), delta, external: true });
        }
    }

    /// The current command succeeded with `batch`: its events wait for the commit.
    pub fn command_done(&mut self, batch: &Batch, now_ms: u64) {
        if self.listened() {
            let events = of_command(
                batch,
                self.first_new_order,
                &self.left_pending,
                &self.deposits,
                self.cancel.as_ref().map(|(account, id)| (*account, id.as_str())),
                &mut self.execution_id,
                now_ms,
            );
            self.pending.extend(events);
        }
        self.deposits.clear();
        self.left_pending.clear();
    }

    /// The pending events are committed, to be published later (once durable): takes them.
    pub fn take_pending(&mut self) -> Vec<UserEvent> {
        std::mem::take(&mut self.pending)
    }

    /// The pending events' commit failed: nothing of them happened.
    pub fn discard(&mut self) {
        self.pending.clear();
        self.deposits.clear();
    }
}
