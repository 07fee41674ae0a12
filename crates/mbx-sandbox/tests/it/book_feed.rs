//! The engine's book feed (`EngineHandle::subscribe_book`): a local book built from a snapshot and
//! the diffs by the documented procedure equals `depth`, and the best bid and ask are announced.
//! Every wait is on an event (a timeout only guards against a hang).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use mbx_core::model::{OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::order::OrderTerms;
use mbx_sandbox::engine::book_feed::BookEvent;
use mbx_sandbox::engine::{Depth, EngineHandle, OrderRef, PlaceRequest};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use tokio::sync::broadcast;

use crate::support::{d, empty_books, now_ms};

/// A small deterministic random sequence (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn limit(
    side: Side,
    price: Decimal,
    qty: Decimal,
    tif: TimeInForce,
    stp: SelfTradePreventionMode,
) -> OrderTerms {
    OrderTerms {
        side,
        order_type: OrderType::Limit,
        time_in_force: Some(tif),
        quantity: Some(qty),
        quote_order_qty: None,
        price: Some(price),
        stop_price: None,
        client_order_id: None,
        stp_mode: Some(stp),
        features: Default::default(),
    }
}

fn market(side: Side, qty: Decimal, stp: SelfTradePreventionMode) -> OrderTerms {
    OrderTerms {
        side,
        order_type: OrderType::Market,
        time_in_force: None,
        quantity: Some(qty),
        quote_order_qty: None,
        price: None,
        stop_price: None,
        client_order_id: None,
        stp_mode: Some(stp),
        features: Default::default(),
    }
}

async fn accounts(engine: &EngineHandle, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let balances = ["USDT", "BTC", "ETH"].iter().map(|a| (a.to_string(), d("1000000"))).collect();
        ids.push(engine.create_account(None, balances, now_ms()).await.unwrap().expect("a new account"));
    }
    ids
}

/// Receives events into `seen` until one satisfies `done`.
async fn wait_for(
    rx: &mut broadcast::Receiver<Arc<BookEvent>>,
    seen: &mut Vec<Arc<BookEvent>>,
    done: impl Fn(&BookEvent) -> bool,
) {
    if seen.iter().any(|e| done(e)) {
        return;
    }
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the awaited book event within 20 s")
            .expect("no lag, channel open");
        let hit = done(&event);
        seen.push(event);
        if hit {
            return;
        }
    }
}

/// Waits until the diffs of `symbol` reach `update_id`.
async fn diffs_reach(
    rx: &mut broadcast::Receiver<Arc<BookEvent>>,
    seen: &mut Vec<Arc<BookEvent>>,
    symbol: &str,
    update_id: u64,
) {
    wait_for(rx, seen, |e| {
        matches!(e, BookEvent::Diff { symbol: s, final_update_id, .. } if s == symbol && *final_update_id >= update_id)
    })
    .await;
}

/// Random orders and cancels by `accounts` on `symbols` (index, centre price).
async fn trade_randomly(
    engine: &EngineHandle,
    rng: &mut Rng,
    accounts: &[i64],
    symbols: &[(usize, Decimal)],
    placed: &mut Vec<(i64, usize, u64)>,
    count: usize,
) {
    let stps = [
        SelfTradePreventionMode::None,
        SelfTradePreventionMode::ExpireMaker,
        SelfTradePreventionMode::ExpireTaker,
        SelfTradePreventionMode::ExpireBoth,
        SelfTradePreventionMode::Decrement,
    ];
    for _ in 0..count {
        let account = accounts[rng.below(accounts.len() as u64) as usize];
        let (sym, centre) = symbols[rng.below(symbols.len() as u64) as usize];
        let side = if rng.below(2) == 0 { Side::Buy } else { Side::Sell };
        // 21 price levels around the centre, quantities of 0.1 to 1.0.
        let price = centre + Decimal::new(rng.below(21) as i64 - 10, 2);
        let qty = Decimal::new(rng.below(10) as i64 + 1, 1);
        let stp = stps[rng.below(stps.len() as u64) as usize].clone();
        let terms = match rng.below(20) {
            0..=11 => limit(side, price, qty, TimeInForce::Gtc, stp),
            12 => limit(side, price, qty, TimeInForce::Ioc, stp),
            13..=14 => market(side, qty, stp),
            _ => {
                if placed.is_empty() {
                    continue;
                }
                let (account, sym, id) = placed.swap_remove(rng.below(placed.len() as u64) as usize);
                let which = OrderRef { order_id: Some(id), client_order_id: None };
                // Already filled or expired: "Unknown order sent.", as it should.
                let _ = engine.cancel(account, sym, which, None, "cancel".into(), now_ms()).await;
                continue;
            }
        };
        let req = PlaceRequest {
            account_id: account,
            symbol: sym,
            terms,
            now_ms: now_ms(),
            strategy: Default::default(),
        };
        if let Ok(p) = engine.place(req).await
            && p.order.is_open()
        {
            placed.push((account, sym, p.order.order_id));
        }
    }
}

/// The documented procedure: from `snapshot`, apply the diffs of `symbol` that end after it, each
/// level an absolute quantity, checking the chain. Returns the book and the last diff's final id.
fn local_book(snapshot: &Depth, events: &[Arc<BookEvent>], symbol: &str) -> (Depth, u64) {
    let mut bids: BTreeMap<Decimal, Decimal> = snapshot.bids.iter().copied().collect();
    let mut asks: BTreeMap<Decimal, Decimal> = snapshot.asks.iter().copied().collect();
    let id = snapshot.last_update_id;
    let mut previous: Option<u64> = None;
    for event in events {
        let BookEvent::Diff { symbol: s, first_update_id, final_update_id, bids: b, asks: a, .. } = &**event
        else {
            continue;
        };
        if s != symbol || *final_update_id <= id {
            continue;
        }
        match previous {
            None => assert!(
                *first_update_id <= id + 1 && id < *final_update_id,
                "first applied diff {first_update_id}..={final_update_id} does not cover snapshot {id} + 1"
            ),
            Some(p) => assert_eq!(*first_update_id, p + 1, "diffs of {symbol} must chain"),
        }
        assert!(first_update_id <= final_update_id);
        for (levels, changes) in [(&mut bids, b), (&mut asks, a)] {
            for (price, qty) in changes {
                if qty.is_zero() {
                    levels.remove(price);
                } else {
                    levels.insert(*price, *qty);
                }
            }
        }
        assert!(b.windows(2).all(|w| w[0].0 > w[1].0), "bids best first: {b:?}");
        assert!(a.windows(2).all(|w| w[0].0 < w[1].0), "asks best first: {a:?}");
        previous = Some(*final_update_id);
    }
    let book = Depth {
        last_update_id: previous.unwrap_or(id),
        bids: bids.into_iter().rev().collect(),
        asks: asks.into_iter().collect(),
    };
    (book, previous.unwrap_or(id))
}

#[tokio::test]
async fn a_local_book_from_a_mid_way_snapshot_and_the_diffs_equals_depth() {
    let sb: TestSandbox = empty_books().await;
    let engine = sb.state().engine().clone();
    let market = sb.state().market();
    let symbols =
        [(market.index("BTCUSDT").unwrap(), d("100.00")), (market.index("ETHUSDT").unwrap(), d("50.00"))];
    let names = ["BTCUSDT", "ETHUSDT"];
    let accounts = accounts(&engine, 4).await;
    let mut rx = engine.subscribe_book();
    let mut seen = Vec::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut placed = Vec::new();

    // Several windows before the snapshot and after it: every 40 commands, wait for the diffs to
    // catch up with the books.
    let mut snapshots = Vec::new();
    for round in 0..10 {
        if round == 4 {
            for (sym, _) in symbols {
                snapshots.push(engine.depth(sym, 5000).await.unwrap());
            }
        }
        trade_randomly(&engine, &mut rng, &accounts, &symbols, &mut placed, 40).await;
        for ((sym, _), name) in symbols.iter().zip(names) {
            let id = engine.depth(*sym, 1).await.unwrap().last_update_id;
            diffs_reach(&mut rx, &mut seen, name, id).await;
        }
    }

    for (((sym, _), name), snapshot) in symbols.iter().zip(names).zip(&snapshots) {
        let depth = engine.depth(*sym, 5000).await.unwrap();
        assert!(depth.last_update_id > snapshot.last_update_id, "{name} changed after the snapshot");
        assert!(!depth.bids.is_empty() && !depth.asks.is_empty(), "{name}: {depth:?}");
        diffs_reach(&mut rx, &mut seen, name, depth.last_update_id).await;
        let (local, last) = local_book(snapshot, &seen, name);
        assert_eq!(last, depth.last_update_id, "{name}: the last diff ends at depth's lastUpdateId");
        assert_eq!(local, depth, "{name}: the local book equals depth");

        // The partial depth of the same flush: depth's best 20 levels.
        wait_for(&mut rx, &mut seen, |e| {
            matches!(e, BookEvent::Top20 { symbol, last_update_id, .. } if symbol == name && *last_update_id >= depth.last_update_id)
        })
        .await;
        let top = seen
            .iter()
            .find_map(|e| match &**e {
                BookEvent::Top20 { symbol, last_update_id, bids, asks, .. }
                    if symbol == name && *last_update_id == depth.last_update_id =>
                {
                    Some((bids.clone(), asks.clone()))
                }
                _ => None,
            })
            .expect("a Top20 at depth's lastUpdateId");
        let cut = |levels: &[(Decimal, Decimal)]| levels.iter().take(20).copied().collect::<Vec<_>>();
        assert_eq!(top, (cut(&depth.bids), cut(&depth.asks)), "{name}: Top20");
    }
    sb.shutdown().await;
}

/// The next BestChanged event.
async fn next_best(rx: &mut broadcast::Receiver<Arc<BookEvent>>) -> BookEvent {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("a book event within 20 s")
            .expect("no lag, channel open");
        if let BookEvent::BestChanged { .. } = &*event {
            return (*event).clone();
        }
    }
}

#[tokio::test]
async fn best_changed_follows_an_order_that_improves_the_best_bid() {
    let sb = empty_books().await;
    let engine = sb.state().engine().clone();
    let sym = sb.state().market().index("BTCUSDT").unwrap();
    let account = accounts(&engine, 1).await[0];
    let mut rx = engine.subscribe_book();
    let place = |side: Side, price: &str, qty: &str| {
        let terms = limit(side, d(price), d(qty), TimeInForce::Gtc, SelfTradePreventionMode::ExpireMaker);
        engine.place(PlaceRequest {
            account_id: account,
            symbol: sym,
            terms,
            now_ms: now_ms(),
            strategy: Default::default(),
        })
    };
    let best = |event: BookEvent| match event {
        BookEvent::BestChanged { symbol, update_id, bid, ask, .. } => (symbol, update_id, bid, ask),
        other => panic!("{other:?}"),
    };

    place(Side::Buy, "100", "1").await.unwrap();
    let id = engine.depth(sym, 1).await.unwrap().last_update_id;
    assert_eq!(best(next_best(&mut rx).await), ("BTCUSDT".into(), id, Some((d("100"), d("1"))), None));

    place(Side::Buy, "100.5", "0.25").await.unwrap();
    let id = engine.depth(sym, 1).await.unwrap().last_update_id;
    assert_eq!(best(next_best(&mut rx).await), ("BTCUSDT".into(), id, Some((d("100.5"), d("0.25"))), None));

    // Below the best bid: no event. The next one is the ask's.
    place(Side::Buy, "99", "3").await.unwrap();
    place(Side::Sell, "102", "2").await.unwrap();
    let id = engine.depth(sym, 1).await.unwrap().last_update_id;
    assert_eq!(
        best(next_best(&mut rx).await),
        ("BTCUSDT".into(), id, Some((d("100.5"), d("0.25"))), Some((d("102"), d("2"))))
    );

    // More quantity at the best bid changes it too.
    place(Side::Buy, "100.5", "0.5").await.unwrap();
    let (_, _, bid, _) = best(next_best(&mut rx).await);
    assert_eq!(bid, Some((d("100.5"), d("0.75"))));
    sb.shutdown().await;
}
