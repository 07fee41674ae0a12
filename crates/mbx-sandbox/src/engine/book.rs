//! One symbol's order book and the matching core: which resting orders an incoming order meets, in
//! which order, and what self-trade prevention does with each.
//!
//! # Invariants
//!
//! 1. **Price-time priority.** Bids are matched highest price first, asks lowest first; within a price
//!    level, orders are matched in the order they entered the book (a FIFO queue of order ids). A
//!    partial fill or a `DECREMENT` keeps an order's place; nothing else moves it.
//! 2. **The book holds ids, the engine holds orders.** A level is a queue of order ids; the order
//!    itself (remaining quantity, account, lock) lives in the engine's table of open orders. Every id
//!    in a book names an open, working order of this symbol on that side and at that price, and every
//!    such order is in exactly one level. Empty levels are removed at once.
//! 3. **Matching is planned, then applied.** [`Book::plan`] only reads: it returns the [`Plan`] an
//!    incoming order would cause (fills at the maker's price, self-trade preventions) so the engine
//!    can refuse the order (balance, `FOK`, `LIMIT_MAKER`) before anything changes. Applying a plan
//!    to the same book and orders is deterministic.
//! 4. **Trades happen at the maker's price**, never through the taker's limit: a BUY meets asks up to
//!    its price, a SELL bids down to its price; a MARKET order has no limit.
//! 5. **Self-trade prevention** applies when the maker belongs to the taker's account and the taker's
//!    mode is not `NONE`; the taker's mode decides, as on Binance: `EXPIRE_TAKER` expires the taker's
//!    rest, `EXPIRE_MAKER` expires that maker and goes on matching, `EXPIRE_BOTH` expires both,
//!    `DECREMENT` (and `TRANSFER`, the same within one account) takes the smaller remaining quantity
//!    off both and expires whichever reaches zero.
//!    Each prevented match gets its own `preventedMatchId`.
//! 6. **`last_update_id` only grows**: every change to the book takes the next value of the
//!    engine's persisted update sequence, so it keeps growing across restarts.
//! 7. **An iceberg meets takers one slice at a time.** A resting iceberg offers only what its
//!    current slice shows ([`Maker::iceberg`]); once a taker has taken the whole slice, the next one
//!    (up to `icebergQty` of the rest) goes to the back of its level, behind the orders already
//!    there, and the taker meets it again only after them, as on Binance. The engine moves the
//!    order to the back of the level the same way when it applies the plan.
//!
//! # Known limitations
//!
//! * Trailing stops and pegged orders are engine matters: a triggered trailing stop and a pegged
//!   order (at its pegged price) reach the book as any order. An amendment (keep priority) changes
//!   the order in the engine's table, not its place here.
//! * A MARKET order by `quoteOrderQty` buys (or sells) whole `LOT_SIZE` steps at each level, so up to
//!   one step's worth of the quote amount may stay unused.
//! * Self-trade prevention looks at accounts only (no `tradeGroupId`).
//! * The book is in memory and rebuilt from the store at start, in `book_seq` order.

use std::collections::{BTreeMap, VecDeque};

use mbx_core::model::{SelfTradePreventionMode, Side};
use rust_decimal::Decimal;

/// Resting order ids at one price, oldest first.
type Level = VecDeque<u64>;

/// One symbol's book.
#[derive(Debug, Default, Clone)]
pub struct Book {
    bids: BTreeMap<Decimal, Level>,
    asks: BTreeMap<Decimal, Level>,
    last_update_id: u64,
}

/// What the matching core needs to know about a resting order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Maker {
    /// The owner.
    pub account_id: i64,
    /// Quantity still resting.
    pub remaining: Decimal,
    /// For an iceberg: (what its current slice still shows, `icebergQty`); `None` otherwise.
    pub iceberg: Option<(Decimal, Decimal)>,
}

impl Maker {
    /// What a taker can meet of it now: an iceberg's slice, or its whole rest.
    pub fn available(&self) -> Decimal {
        match self.iceberg {
            Some((shown, _)) => shown.min(self.remaining),
            None => self.remaining,
        }
    }

    /// After `taken` of what is available: the iceberg showing its next slice at the back of its
    /// level, when the slice is gone and a rest is left (invariant 7); `None` otherwise.
    fn next_slice(&self, taken: Decimal) -> Option<Maker> {
        let (_, slice) = self.iceberg?;
        let remaining = self.remaining - taken;
        (taken >= self.available() && remaining > Decimal::ZERO && slice > Decimal::ZERO).then_some(Maker {
            account_id: self.account_id,
            remaining,
            iceberg: Some((slice.min(remaining), slice)),
        })
    }
}

/// How much an incoming order wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakerQty {
    /// This much of the base asset (`quantity`).
    Base(Decimal),
    /// Base asset for this much of the quote asset (`quoteOrderQty`, MARKET only), in whole `step`s.
    Quote(Decimal),
}

/// An incoming order, as the matching core sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taker {
    /// The owner (self-trade prevention compares it with each maker's).
    pub account_id: i64,
    /// BUY meets asks, SELL meets bids.
    pub side: Side,
    /// The limit price; `None` for MARKET.
    pub limit: Option<Decimal>,
    /// How much.
    pub qty: TakerQty,
    /// The taker's self-trade prevention mode.
    pub stp: SelfTradePreventionMode,
    /// `LOT_SIZE` step, for [`TakerQty::Quote`].
    pub step: Decimal,
}

/// One thing a plan does to a maker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A trade of `qty` at the maker's `price`.
    Fill {
        /// The resting order.
        maker: u64,
        /// Its price.
        price: Decimal,
        /// Base quantity traded.
        qty: Decimal,
    },
    /// A prevented self-trade.
    Prevented {
        /// The resting order.
        maker: u64,
        /// Its price.
        price: Decimal,
        /// Quantity taken off the maker (all it has left when it expires).
        maker_qty: Decimal,
        /// Base quantity taken off the taker (its rest when it expires; zero for `EXPIRE_MAKER`).
        taker_qty: Decimal,
        /// Whether the maker expires.
        maker_expires: bool,
        /// Whether the taker expires.
        taker_expires: bool,
    },
}

/// What an incoming order would do to the book.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The steps, in matching order.
    pub steps: Vec<Step>,
    /// Base quantity the taker would trade.
    pub filled: Decimal,
    /// Quote quantity of those trades.
    pub quote: Decimal,
    /// What the taker has left afterwards: base for [`TakerQty::Base`], quote for [`TakerQty::Quote`].
    pub rest: Decimal,
    /// Base quantity self-trade prevention took off the taker.
    pub taker_prevented: Decimal,
    /// Self-trade prevention expires the taker.
    pub taker_expires: bool,
    /// Matching stopped with liquidity left in reach: the taker ran out (or could not afford a whole
    /// step), not the book.
    pub stopped_short: bool,
}

impl Plan {
    /// Whether any step trades.
    pub fn trades(&self) -> bool {
        !self.filled.is_zero()
    }
}

/// Whether a maker at `maker_price` is within a taker's `limit`.
fn within(side: &Side, maker_price: Decimal, limit: Option<Decimal>) -> bool {
    match (side, limit) {
        (_, None) => true,
        (Side::Sell, Some(l)) => maker_price >= l,
        (_, Some(l)) => maker_price <= l,
    }
}

/// `value` rounded down to a whole number of `step`s (unchanged when `step` is zero).
pub fn floor_to_step(value: Decimal, step: Decimal) -> Decimal {
    if step.is_zero() || value <= Decimal::ZERO {
        return value.max(Decimal::ZERO);
    }
    value.checked_div(step).map_or(Decimal::ZERO, |n| n.floor() * step)
}

impl Book {
    fn side_mut(&mut self, side: &Side) -> &mut BTreeMap<Decimal, Level> {
        if *side == Side::Sell { &mut self.asks } else { &mut self.bids }
    }

    /// The update id of the last change.
    pub fn last_update_id(&self) -> u64 {
        self.last_update_id
    }

    /// Records a change with the engine's next update id.
    pub fn touch(&mut self, update_id: u64) {
        self.last_update_id = self.last_update_id.max(update_id);
    }

    /// Appends an order at the back of its price level (invariant 1).
    pub fn insert(&mut self, side: &Side, price: Decimal, order_id: u64, update_id: u64) {
        self.side_mut(side).entry(price).or_default().push_back(order_id);
        self.touch(update_id);
    }

    /// Removes an order; false when it was not there.
    pub fn remove(&mut self, side: &Side, price: Decimal, order_id: u64, update_id: u64) -> bool {
        let levels = self.side_mut(side);
        let Some(level) = levels.get_mut(&price) else { return false };
        let Some(pos) = level.iter().position(|id| *id == order_id) else { return false };
        level.remove(pos);
        if level.is_empty() {
            levels.remove(&price);
        }
        self.touch(update_id);
        true
    }

    /// The ids resting at `price` on `side`, oldest first; `None` when no level is there.
    pub fn level(&self, side: &Side, price: Decimal) -> Option<&Level> {
        match side {
            Side::Sell => self.asks.get(&price),
            _ => self.bids.get(&price),
        }
    }

    /// The best price of `side` (highest bid, lowest ask).
    pub fn best(&self, side: &Side) -> Option<Decimal> {
        match side {
            Side::Sell => self.asks.keys().next().copied(),
            _ => self.bids.keys().next_back().copied(),
        }
    }

    /// The levels of `side`, best first, each with its ids oldest first.
    pub fn levels(&self, side: &Side) -> Box<dyn Iterator<Item = (Decimal, &Level)> + '_> {
        match side {
            Side::Sell => Box::new(self.asks.iter().map(|(p, l)| (*p, l))),
            _ => Box::new(self.bids.iter().rev().map(|(p, l)| (*p, l))),
        }
    }

    /// Whether an order of `side` at `price` would meet a resting order (a `LIMIT_MAKER` would take).
    pub fn would_take(&self, side: &Side, price: Decimal) -> bool {
        let opposite = if *side == Side::Sell { Side::Buy } else { Side::Sell };
        self.best(&opposite).is_some_and(|best| within(side, best, Some(price)))
    }

    /// Number of resting orders.
    pub fn len(&self) -> usize {
        self.bids.values().chain(self.asks.values()).map(VecDeque::len).sum()
    }

    /// True when nothing rests.
    pub fn is_empty(&self) -> bool {
        self.bids.is_empty() && self.asks.is_empty()
    }

    /// What `taker` would do to this book (invariant 3). `maker` looks up a resting order.
    pub fn plan(&self, taker: &Taker, maker: impl Fn(u64) -> Option<Maker>) -> Plan {
        let mut plan = Plan::default();
        let (mut rest, by_quote) = match taker.qty {
            TakerQty::Base(q) => (q, false),
            TakerQty::Quote(q) => (q, true),
        };
        let opposite = if taker.side == Side::Sell { Side::Buy } else { Side::Sell };
        'levels: for (price, ids) in self.levels(&opposite) {
            if rest <= Decimal::ZERO {
                plan.stopped_short = true;
                break;
            }
            if !within(&taker.side, price, taker.limit) {
                break;
            }
            // The level as the taker meets it: an iceberg whose slice is taken comes back at the end.
            let mut queue: VecDeque<(u64, Maker)> =
                ids.iter().filter_map(|id| maker(*id).map(|m| (*id, m))).collect();
            while let Some((id, m)) = queue.pop_front() {
                if rest <= Decimal::ZERO {
                    plan.stopped_short = true;
                    break 'levels;
                }
                let available = m.available();
                // Base quantity the taker can take here.
                let mut can = if by_quote {
                    let mut n = floor_to_step(rest.checked_div(price).unwrap_or(Decimal::ZERO), taker.step);
                    // Guard against rounding in the division: never spend more than is left.
                    while n > Decimal::ZERO && n * price > rest {
                        n = if taker.step.is_zero() { Decimal::ZERO } else { n - taker.step };
                    }
                    n.min(available)
                } else {
                    rest.min(available)
                };
                can = can.max(Decimal::ZERO);
                let taker_rest_base = if by_quote { Decimal::ZERO } else { rest };
                if m.account_id == taker.account_id {
                    match taker.stp {
                        SelfTradePreventionMode::ExpireTaker => {
                            plan.steps.push(Step::Prevented {
                                maker: id,
                                price,
                                maker_qty: Decimal::ZERO,
                                taker_qty: taker_rest_base,
                                maker_expires: false,
                                taker_expires: true,
                            });
                            plan.taker_prevented += taker_rest_base;
                            plan.taker_expires = true;
                            break 'levels;
                        }
                        SelfTradePreventionMode::ExpireMaker => {
                            plan.steps.push(Step::Prevented {
                                maker: id,
                                price,
                                maker_qty: m.remaining,
                                taker_qty: Decimal::ZERO,
                                maker_expires: true,
                                taker_expires: false,
                            });
                            continue;
                        }
                        SelfTradePreventionMode::ExpireBoth => {
                            plan.steps.push(Step::Prevented {
                                maker: id,
                                price,
                                maker_qty: m.remaining,
                                taker_qty: taker_rest_base,
                                maker_expires: true,
                                taker_expires: true,
                            });
                            plan.taker_prevented += taker_rest_base;
                            plan.taker_expires = true;
                            break 'levels;
                        }
                        // TRANSFER between orders of one account is DECREMENT (stp_faq.md); the sandbox
                        // has no trade groups, so nothing is ever transferred.
                        SelfTradePreventionMode::Decrement | SelfTradePreventionMode::Transfer => {
                            if can.is_zero() {
                                plan.stopped_short = true;
                                break 'levels;
                            }
                            let maker_expires = can == m.remaining;
                            let taker_expires = !by_quote && can == rest;
                            plan.steps.push(Step::Prevented {
                                maker: id,
                                price,
                                maker_qty: can,
                                taker_qty: if by_quote { Decimal::ZERO } else { can },
                                maker_expires,
                                taker_expires,
                            });
                            if by_quote {
                                rest -= can * price;
                            } else {
                                plan.taker_prevented += can;
                                rest -= can;
                                plan.taker_expires = taker_expires;
                            }
                            if !maker_expires && let Some(next) = m.next_slice(can) {
                                queue.push_back((id, next));
                            }
                            continue;
                        }
                        // NONE trades with itself.
                        _ => {}
                    }
                }
                if can.is_zero() {
                    plan.stopped_short = true;
                    break 'levels;
                }
                let quote = can * price;
                plan.steps.push(Step::Fill { maker: id, price, qty: can });
                plan.filled += can;
                plan.quote += quote;
                rest -= if by_quote { quote } else { can };
                // A quote amount spent down to less than a step at a price the book still offers:
                // the order is done (FILLED), with liquidity left in reach.
                if by_quote && can < available {
                    plan.stopped_short = true;
                    break 'levels;
                }
                if let Some(next) = m.next_slice(can) {
                    queue.push_back((id, next));
                }
            }
        }
        plan.rest = rest.max(Decimal::ZERO);
        plan
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A book of asks: (id, account, price, qty), inserted in this order.
    fn asks(rows: &[(u64, i64, &str, &str)]) -> (Book, HashMap<u64, Maker>) {
        let mut book = Book::default();
        let mut makers = HashMap::new();
        for (n, (id, account, price, qty)) in rows.iter().enumerate() {
            book.insert(&Side::Sell, d(price), *id, n as u64 + 1);
            makers.insert(*id, Maker { account_id: *account, remaining: d(qty), iceberg: None });
        }
        (book, makers)
    }

    fn buy(account: i64, limit: Option<&str>, qty: TakerQty, stp: SelfTradePreventionMode) -> Taker {
        Taker { account_id: account, side: Side::Buy, limit: limit.map(d), qty, stp, step: d("0.01") }
    }

    #[test]
    fn book_matches_best_price_then_oldest_first() {
        let (book, makers) = asks(&[(1, 9, "101", "1"), (2, 9, "100", "1"), (3, 9, "100", "1")]);
        let plan = book
            .plan(&buy(1, Some("101"), TakerQty::Base(d("2.5")), SelfTradePreventionMode::None), |id| {
                makers.get(&id).copied()
            });
        let order: Vec<(u64, Decimal)> = plan
            .steps
            .iter()
            .map(|s| match s {
                Step::Fill { maker, qty, .. } => (*maker, *qty),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(order, vec![(2, d("1")), (3, d("1")), (1, d("0.5"))]);
        assert_eq!((plan.filled, plan.quote, plan.rest), (d("2.5"), d("250.5"), d("0")));
        assert_eq!(book.best(&Side::Sell), Some(d("100")));
        assert_eq!(book.len(), 3);
    }

    #[test]
    fn book_limit_stops_matching_and_would_take() {
        let (book, makers) = asks(&[(1, 9, "100", "1"), (2, 9, "102", "1")]);
        let plan = book
            .plan(&buy(1, Some("101"), TakerQty::Base(d("3")), SelfTradePreventionMode::None), |id| {
                makers.get(&id).copied()
            });
        assert_eq!((plan.filled, plan.rest), (d("1"), d("2")));
        assert!(book.would_take(&Side::Buy, d("100")));
        assert!(!book.would_take(&Side::Buy, d("99.99")));
        assert!(!book.would_take(&Side::Sell, d("1")), "no bids");
    }

    #[test]
    fn book_quote_quantity_buys_whole_steps() {
        let (book, makers) = asks(&[(1, 9, "3", "1"), (2, 9, "7", "10")]);
        let plan = book.plan(&buy(1, None, TakerQty::Quote(d("10")), SelfTradePreventionMode::None), |id| {
            makers.get(&id).copied()
        });
        // 1 at 3, then 7 / 7 = 1 at 7: all 10 spent.
        assert_eq!((plan.filled, plan.quote, plan.rest), (d("2"), d("10"), d("0")));
        let plan = book.plan(&buy(1, None, TakerQty::Quote(d("5")), SelfTradePreventionMode::None), |id| {
            makers.get(&id).copied()
        });
        // 1 at 3, then 2 / 7 = 0.28 at 7.
        assert_eq!((plan.filled, plan.quote), (d("1.28"), d("4.96")));
    }

    #[test]
    fn book_self_trade_prevention_modes() {
        let (book, makers) = asks(&[(1, 1, "100", "1"), (2, 9, "100", "1")]);
        let run = |stp| {
            book.plan(&buy(1, Some("100"), TakerQty::Base(d("1.5")), stp), |id| makers.get(&id).copied())
        };
        let p = run(SelfTradePreventionMode::None);
        assert_eq!((p.filled, p.taker_expires), (d("1.5"), false));
        let p = run(SelfTradePreventionMode::ExpireTaker);
        assert_eq!((p.filled, p.taker_expires, p.taker_prevented), (d("0"), true, d("1.5")));
        let p = run(SelfTradePreventionMode::ExpireMaker);
        assert_eq!((p.filled, p.taker_expires, p.rest), (d("1"), false, d("0.5")));
        assert!(matches!(p.steps[0], Step::Prevented { maker: 1, maker_expires: true, .. }));
        let p = run(SelfTradePreventionMode::ExpireBoth);
        assert_eq!((p.filled, p.taker_expires, p.steps.len()), (d("0"), true, 1));
        let p = run(SelfTradePreventionMode::Decrement);
        // 1 prevented on both (maker expires), then 0.5 traded with account 9.
        assert_eq!((p.filled, p.taker_prevented, p.rest, p.taker_expires), (d("0.5"), d("1"), d("0"), false));
    }

    #[test]
    fn book_remove_drops_empty_levels_and_update_id_grows() {
        let (mut book, _) = asks(&[(1, 9, "100", "1"), (2, 9, "100", "1")]);
        assert!(book.remove(&Side::Sell, d("100"), 1, 10));
        assert!(!book.remove(&Side::Sell, d("100"), 1, 11));
        assert!(book.remove(&Side::Sell, d("100"), 2, 12));
        assert!(book.is_empty());
        assert_eq!(book.last_update_id(), 12);
        book.touch(5);
        assert_eq!(book.last_update_id(), 12);
    }

    #[test]
    fn book_iceberg_shows_one_slice_then_goes_to_the_back() {
        // Iceberg 1 (3 in slices of 1) ahead of a plain order 2 (1), then a worse level.
        let (book, mut makers) = asks(&[(1, 9, "100", "3"), (2, 8, "100", "1"), (3, 8, "101", "5")]);
        makers.insert(1, Maker { account_id: 9, remaining: d("3"), iceberg: Some((d("1"), d("1"))) });
        let plan = book
            .plan(&buy(1, Some("101"), TakerQty::Base(d("4.5")), SelfTradePreventionMode::None), |id| {
                makers.get(&id).copied()
            });
        let fills: Vec<(u64, Decimal, Decimal)> = plan
            .steps
            .iter()
            .map(|s| match s {
                Step::Fill { maker, price, qty } => (*maker, *price, *qty),
                other => panic!("{other:?}"),
            })
            .collect();
        // Slice 1 of the iceberg, then order 2 (now ahead), then the iceberg's next slices.
        assert_eq!(
            fills,
            vec![
                (1, d("100"), d("1")),
                (2, d("100"), d("1")),
                (1, d("100"), d("1")),
                (1, d("100"), d("1")),
                (3, d("101"), d("0.5")),
            ]
        );
        assert_eq!(plan.rest, d("0"));
    }

    #[test]
    fn floor_to_step_rounds_down() {
        assert_eq!(floor_to_step(d("1.239"), d("0.01")), d("1.23"));
        assert_eq!(floor_to_step(d("-1"), d("0.01")), d("0"));
        assert_eq!(floor_to_step(d("1.239"), d("0")), d("1.239"));
    }
}
