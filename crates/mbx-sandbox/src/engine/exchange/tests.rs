//! The exchange without the HTTP layer, for what needs its inner state to set up.

use super::*;
use crate::engine::market_maker;
use crate::seed;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// An exchange with the market maker on, its quotes placed at time 1, on `symbols`.
fn exchange(symbols: Vec<SymbolSpec>) -> Exchange {
    let mut store = Store::open_memory().unwrap();
    let balances = seed::market_maker_balances();
    store.ensure_account(market_maker::ACCOUNT_ID, market_maker::ACCOUNT_NAME, &balances, 0).unwrap();
    let mut ex = Exchange::load(store, symbols, seed::default_commission(), Some(1)).unwrap();
    ex.transact(1, |ex| {
        ex.start_market_maker(1);
        Ok(())
    })
    .unwrap();
    ex
}

#[test]
fn market_maker_requotes_inside_a_narrow_percent_price_band() {
    let mut symbols = seed::default_symbols();
    let sym = symbols.iter().position(|s| s.symbol == "LTCBTC").unwrap();
    let band = &mut symbols[sym].percent_price_by_side;
    (band.bid_multiplier_down, band.bid_multiplier_up) = (d("0.99"), d("1.01"));
    (band.ask_multiplier_down, band.ask_multiplier_up) = (d("0.99"), d("1.01"));
    let mut ex = exchange(symbols);
    let full = market_maker::LEVELS as usize;
    let before = ex.depth(sym, 100);
    assert_eq!(
        (before.bids.len(), before.asks.len()),
        (full, full),
        "no average yet: the full ladder at 0.0015"
    );
    // The average moves to 0.0016, 6.7% above the reference: the band is 0.001584 to 0.001616.
    ex.mem.last_trade[sym] = Some((d("0.0016"), 1_000));
    ex.mem.windows[sym].push(1_000, d("1"), d("0.0016"));
    assert_eq!(ex.average_prices(sym, 2_000).percent_price, Some(d("0.0016")));
    ex.transact(2_000, |ex| {
        ex.requote(sym, 2_000);
        Ok(())
    })
    .unwrap();
    let after = ex.depth(sym, 100);
    // Recentred: a tick apart, the levels that fit in the band (16 of the 20 on each side).
    assert_eq!((after.bids.len(), after.asks.len()), (16, 16), "the ladder, recentred: {after:?}");
    for (price, _) in after.bids.iter().chain(&after.asks) {
        assert!((d("0.001584")..=d("0.001616")).contains(price), "{price} outside the band");
    }
}

#[test]
fn average_price_comes_from_the_window_and_falls_back_to_the_last_trade() {
    let mut ex = exchange(seed::default_symbols());
    assert_eq!(ex.reference_price(0, 5, 10).unwrap(), None, "never traded");
    ex.mem.last_trade[0] = Some((d("61000"), 1_000));
    ex.mem.windows[0].push(1_000, d("1"), d("60000"));
    ex.mem.windows[0].push(2_000, d("3"), d("183000"));
    // (60000 + 183000) / 4
    assert_eq!(ex.reference_price(0, 5, 3_000).unwrap(), Some(d("60750")));
    assert_eq!(ex.avg_price(0, 5, 3_000).unwrap().price, d("60750"));
    // Six minutes later nothing is in the window: the last trade price.
    assert_eq!(ex.reference_price(0, 5, 362_000).unwrap(), Some(d("61000")));
    assert_eq!(ex.reference_price(0, 0, 3_000).unwrap(), Some(d("61000")), "avgPriceMins 0: the last price");
}

#[test]
fn the_book_feed_notes_and_sends_nothing_without_a_receiver() {
    use crate::engine::book_feed::BookEvent;

    // The market maker's quotes went in with nobody listening: nothing noted or staged.
    let mut ex = exchange(seed::default_symbols());
    assert!(!ex.feed.is_active());
    assert_eq!(ex.flush_book_feed(2), 0);

    let mut rx = ex.book_feed().subscribe();
    let quote = ex.open_orders(market_maker::ACCOUNT_ID, Some(0)).remove(0);
    let which = OrderRef { order_id: Some(quote.order_id), client_order_id: None };
    ex.transact(3, |ex| ex.cancel(market_maker::ACCOUNT_ID, 0, &which, None, 3)).unwrap();
    assert!(ex.feed.is_active());
    let sent = ex.flush_book_feed(4);
    assert_eq!(sent, ex.symbols.len() + 1, "one diff, a partial depth per symbol");
    let mut diffs = 0;
    while let Ok(event) = rx.try_recv() {
        if let BookEvent::Diff { bids, asks, final_update_id, .. } = &*event {
            diffs += 1;
            let levels: Vec<_> = bids.iter().chain(asks).map(|(p, _)| *p).collect();
            assert_eq!(levels, vec![quote.price]);
            assert_eq!(*final_update_id, ex.depth(0, 1).last_update_id);
        }
    }
    assert_eq!(diffs, 1);

    // Gone again: the next command and flush do nothing.
    drop(rx);
    let quote = ex.open_orders(market_maker::ACCOUNT_ID, Some(0)).remove(0);
    let which = OrderRef { order_id: Some(quote.order_id), client_order_id: None };
    ex.transact(5, |ex| ex.cancel(market_maker::ACCOUNT_ID, 0, &which, None, 5)).unwrap();
    assert!(!ex.feed.is_active());
    assert_eq!(ex.flush_book_feed(6), 0);
}
