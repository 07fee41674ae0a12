//! Market data from the sandbox's own books and trades: depth, trades, ticker/price,
//! ticker/bookTicker, avgPrice; and the market maker's quotes behind them.

use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{best, d, dec, empty_books, get, place};

/// (price, qty) rows of a depth side.
fn levels(side: &Value) -> Vec<(Decimal, Decimal)> {
    side.as_array().unwrap().iter().map(|l| (dec(&l[0]), dec(&l[1]))).collect()
}

#[tokio::test]
async fn market_maker_quotes_every_book_within_the_filters() {
    let sb = TestSandbox::start().await;
    let info = get(&sb, "/api/v3/exchangeInfo").await;
    for s in info.json["symbols"].as_array().unwrap() {
        let symbol = s["symbol"].as_str().unwrap();
        let a = get(&sb, &format!("/api/v3/depth?symbol={}", urlencode(symbol))).await;
        a.assert_ok();
        let (bids, asks) = (levels(&a.json["bids"]), levels(&a.json["asks"]));
        assert_eq!((bids.len(), asks.len()), (5, 5), "{symbol}: {}", a.json);
        assert!(bids.windows(2).all(|w| w[0].0 > w[1].0), "bids best first");
        assert!(asks.windows(2).all(|w| w[0].0 < w[1].0), "asks best first");
        assert!(bids[0].0 < asks[0].0, "{symbol} does not cross");
        let filter = |name: &str| {
            s["filters"].as_array().unwrap().iter().find(|f| f["filterType"] == name).unwrap().clone()
        };
        let (tick, step) = (dec(&filter("PRICE_FILTER")["tickSize"]), dec(&filter("LOT_SIZE")["stepSize"]));
        let min_notional = dec(&filter("NOTIONAL")["minNotional"]);
        for (p, q) in bids.iter().chain(&asks) {
            assert!((p % tick).is_zero() && (q % step).is_zero(), "{symbol} {p} {q}");
            assert!(p * q >= min_notional);
        }
        assert!(a.json["lastUpdateId"].as_u64().unwrap() > 0);
    }
    let two = get(&sb, "/api/v3/depth?symbol=BTCUSDT&limit=2").await;
    assert_eq!(
        (two.json["bids"].as_array().unwrap().len(), two.json["asks"].as_array().unwrap().len()),
        (2, 2)
    );
    sb.shutdown().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn market_maker_is_deterministic_for_a_seed() {
    let book = |seed: u64| async move {
        let sb = TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().seed(seed)).await;
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
            .await
            .assert_ok();
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
            .await
            .assert_ok();
        let a = get(&sb, "/api/v3/depth?symbol=BTCUSDT").await;
        sb.shutdown().await;
        (a.json["bids"].clone(), a.json["asks"].clone())
    };
    assert_eq!(book(7).await, book(7).await);
}

#[tokio::test]
async fn empty_books_answer_empty_shapes() {
    let sb = empty_books().await;
    let a = get(&sb, "/api/v3/depth?symbol=LTCBTC").await;
    a.assert_ok();
    assert_eq!(a.weight, Some(5), "limit 100 weighs 5");
    assert_eq!(
        (a.json["bids"].clone(), a.json["asks"].clone()),
        (Value::Array(vec![]), Value::Array(vec![]))
    );
    let t = get(&sb, "/api/v3/ticker/bookTicker?symbol=LTCBTC").await;
    assert_eq!(t.json["bidPrice"], "0.00000000");
    assert_eq!(t.json["askQty"], "0.00000000");
    let p = get(&sb, "/api/v3/ticker/price?symbol=LTCBTC").await;
    assert_eq!(p.json["price"], "0.00000000");
    let tr = get(&sb, "/api/v3/trades?symbol=LTCBTC").await;
    assert_eq!(tr.json, Value::Array(vec![]));
    get(&sb, "/api/v3/depth?symbol=NOPE").await.assert_rejected(400, -1121, "Invalid symbol.");
    get(&sb, "/api/v3/depth").await.assert_rejected(
        400,
        -1102,
        "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn trades_tickers_and_avg_price_follow_the_fills() {
    let sb = TestSandbox::start().await;
    let (bid, ask) = best(&sb, "BTCUSDT").await;
    let mid = (bid + ask) / d("2");
    let p = get(&sb, "/api/v3/ticker/price?symbol=BTCUSDT").await;
    assert_eq!(dec(&p.json["price"]), mid, "before any trade: the mid price");
    let avg = get(&sb, "/api/v3/avgPrice?symbol=BTCUSDT").await;
    avg.assert_ok();
    assert_eq!((avg.json["mins"].as_u64(), dec(&avg.json["price"])), (Some(5), mid));

    let bt = get(&sb, "/api/v3/ticker/bookTicker?symbol=BTCUSDT").await;
    bt.assert_ok();
    assert_eq!((dec(&bt.json["bidPrice"]), dec(&bt.json["askPrice"])), (bid, ask));
    assert_eq!(dec(&bt.json["askQty"]), d("0.25"));

    let buy =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")]).await;
    buy.assert_ok();
    let fill = &buy.json["fills"][0];
    let t = get(&sb, "/api/v3/trades?symbol=BTCUSDT").await;
    t.assert_ok();
    let rows = t.json.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], fill["tradeId"]);
    assert_eq!((dec(&rows[0]["price"]), dec(&rows[0]["qty"])), (ask, d("0.01")));
    assert_eq!(dec(&rows[0]["quoteQty"]), ask * d("0.01"));
    assert_eq!(
        (rows[0]["isBuyerMaker"].as_bool(), rows[0]["isBestMatch"].as_bool()),
        (Some(false), Some(true))
    );
    assert!(rows[0]["time"].as_u64().unwrap() > 0);

    let p = get(&sb, "/api/v3/ticker/price?symbol=BTCUSDT").await;
    assert_eq!(dec(&p.json["price"]), ask, "the last trade price");
    let avg = get(&sb, "/api/v3/avgPrice?symbol=BTCUSDT").await;
    assert_eq!(dec(&avg.json["price"]), ask);
    assert_eq!(avg.json["closeTime"], rows[0]["time"]);

    let all = get(&sb, "/api/v3/ticker/price").await;
    assert_eq!(all.json.as_array().unwrap().len(), 6);
    let some = get(&sb, "/api/v3/ticker/bookTicker?symbols=%5B%22BTCUSDT%22,%22LTCBTC%22%5D").await;
    some.assert_ok();
    let names: Vec<&str> =
        some.json.as_array().unwrap().iter().map(|t| t["symbol"].as_str().unwrap()).collect();
    assert_eq!(names, ["BTCUSDT", "LTCBTC"]);
    get(&sb, "/api/v3/ticker/price?symbol=BTCUSDT&symbols=%5B%22BTCUSDT%22%5D").await.assert_rejected(
        400,
        -1128,
        "Combination of optional parameters invalid.",
    );
    sb.shutdown().await;
}
