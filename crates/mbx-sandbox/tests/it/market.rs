//! Market data from the sandbox's own books and trades: depth, trades, historicalTrades, aggTrades,
//! klines, uiKlines, ticker/price, ticker/bookTicker, ticker/24hr, ticker/tradingDay, ticker (rolling
//! window), avgPrice; and the market maker's quotes behind them.

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::time::Timestamp;
use mbx_sandbox::{Sandbox, SandboxClock};
use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::support::{Answer, best, call, client, d, dec, empty_books, get, place, send_signed};

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
        let full = mbx_sandbox::engine::market_maker::LEVELS as usize;
        assert_eq!((bids.len(), asks.len()), (full, full), "{symbol}: {}", a.json);
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

// ---- historicalTrades, aggTrades, klines, uiKlines and the window tickers ----
//
// These run on a fixed clock with the market maker off, so every trade is the test's own and every
// time is known: the sandbox starts at T0 and the test moves it with the clock offset.

/// 2024-02-29 00:00:00.000 UTC (a Thursday, in a leap year).
const T0: u64 = 1_709_164_800_000;
const MINUTE: u64 = 60_000;

/// A sandbox with empty books on a clock stopped at [`T0`].
async fn quiet_market() -> TestSandbox {
    let clock = SandboxClock::fixed(Timestamp::Millis(T0));
    TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).clock(clock)).await
}

/// Moves the sandbox clock to `T0 + ms`.
fn at(sb: &TestSandbox, ms: u64) {
    sb.state().clock().set_offset_ms(i64::try_from(ms).unwrap());
}

/// An order of the demo account on BTCUSDT, allowed to trade with the account's own orders, and
/// timestamped by the sandbox clock.
async fn order(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    let mut p = Params::new().text("symbol", "BTCUSDT");
    for (k, v) in pairs {
        p = p.text(k.to_string(), *v);
    }
    let p = p.text("selfTradePreventionMode", "NONE").int("timestamp", sb.state().clock().now_ms());
    let a = send_signed(sb, Method::POST, "/api/v3/order", &p, Placement::Body).await;
    a.assert_ok();
    a
}

/// Rests a LIMIT order of `qty` at `price` on `side`.
async fn rest(sb: &TestSandbox, side: &str, price: &str, qty: &str) {
    order(
        sb,
        &[("side", side), ("type", "LIMIT"), ("timeInForce", "GTC"), ("price", price), ("quantity", qty)],
    )
    .await;
}

/// A MARKET taker of `qty` on `side`; returns its trade ids.
async fn take(sb: &TestSandbox, side: &str, qty: &str) -> Vec<u64> {
    let a = order(sb, &[("side", side), ("type", "MARKET"), ("quantity", qty)]).await;
    a.json["fills"].as_array().unwrap().iter().map(|f| f["tradeId"].as_u64().unwrap()).collect()
}

/// One trade of `qty` at `price` whose taker is on `side`; returns its id.
async fn cross(sb: &TestSandbox, side: &str, price: &str, qty: &str) -> u64 {
    rest(sb, if side == "BUY" { "SELL" } else { "BUY" }, price, qty).await;
    let ids = take(sb, side, qty).await;
    assert_eq!(ids.len(), 1);
    ids[0]
}

/// The body of `GET path` as sent, to check the order of fields.
async fn get_text(sb: &TestSandbox, path: &str) -> String {
    client().get(sb.url(path)).send().await.unwrap().text().await.unwrap()
}

/// The keys of the first JSON object of a flat answer, in the order sent (values hold no `,` or `:`).
fn keys_in_order(text: &str) -> Vec<String> {
    let body = &text[text.find('{').unwrap() + 1..];
    let body = &body[..body.find('}').unwrap()];
    body.split(',').map(|kv| kv.split(':').next().unwrap().trim_matches('"').to_owned()).collect()
}

fn ids(rows: &Value, key: &str) -> Vec<u64> {
    rows.as_array().unwrap().iter().map(|r| r[key].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn historical_trades_page_by_id() {
    let sb = quiet_market().await;
    let mut made = Vec::new();
    for (i, price) in ["100", "101", "102"].iter().enumerate() {
        at(&sb, 1000 * i as u64);
        made.push(cross(&sb, "BUY", price, "0.1").await);
    }
    let all = get(&sb, "/api/v3/historicalTrades?symbol=BTCUSDT").await;
    all.assert_ok();
    let again = get(&sb, "/api/v3/historicalTrades?symbol=BTCUSDT").await;
    assert_eq!(again.weight.unwrap() - all.weight.unwrap(), 25);
    assert_eq!(ids(&all.json, "id"), made);
    assert_eq!(all.json[2]["price"], "102.00000000");
    assert_eq!(all.json[2]["time"].as_u64(), Some(T0 + 2000));
    let page = get(&sb, &format!("/api/v3/historicalTrades?symbol=BTCUSDT&fromId={}&limit=1", made[1])).await;
    assert_eq!(ids(&page.json, "id"), [made[1]]);
    let recent = get(&sb, "/api/v3/historicalTrades?symbol=BTCUSDT&limit=2").await;
    assert_eq!(ids(&recent.json, "id"), made[1..], "without fromId: the most recent, oldest first");
    let past = get(&sb, &format!("/api/v3/historicalTrades?symbol=BTCUSDT&fromId={}", made[2] + 1)).await;
    assert_eq!(past.json, Value::Array(vec![]));
    assert_eq!(
        keys_in_order(&get_text(&sb, "/api/v3/historicalTrades?symbol=BTCUSDT").await),
        ["id", "price", "qty", "quoteQty", "time", "isBuyerMaker", "isBestMatch"]
    );
    get(&sb, "/api/v3/historicalTrades?symbol=BTCUSDT&fromId=-1").await.assert_rejected(
        400,
        -1100,
        "Illegal characters found in parameter 'fromId'; legal range is '^[0-9]{1,20}$'.",
    );
    get(&sb, "/api/v3/historicalTrades?symbol=BTCUSDT&startTime=1").await.assert_rejected(
        400,
        -1104,
        "Not all sent parameters were read; read '1' parameter(s) but was sent '2'.",
    );
    sb.shutdown().await;
}

/// Trades: one taker sweeping two makers at 100 and one at 101 (T0), then a seller taking a bid of
/// 0.06 at 99 (T0 + 1 s). Returns the trade ids.
async fn sweep_then_sell(sb: &TestSandbox) -> Vec<u64> {
    rest(sb, "SELL", "100", "0.1").await;
    rest(sb, "SELL", "100", "0.2").await;
    rest(sb, "SELL", "101", "0.1").await;
    let mut made = take(sb, "BUY", "0.4").await;
    assert_eq!(made.len(), 3);
    at(sb, 1000);
    made.push(cross(sb, "SELL", "99", "0.06").await);
    made
}

#[tokio::test]
async fn agg_trades_join_one_takers_fills_at_one_price() {
    let sb = quiet_market().await;
    let t = sweep_then_sell(&sb).await;
    let all = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await;
    all.assert_ok();
    let again = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await;
    assert_eq!(again.weight.unwrap() - all.weight.unwrap(), 4);
    let rows = all.json.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{}", all.json);
    let row = |r: &Value| {
        (
            r["a"].as_u64().unwrap(),
            dec(&r["p"]),
            dec(&r["q"]),
            r["f"].as_u64().unwrap(),
            r["l"].as_u64().unwrap(),
            r["T"].as_u64().unwrap(),
            r["m"].as_bool().unwrap(),
            r["M"].as_bool().unwrap(),
        )
    };
    // Aggregate ids are their own sequence (1, 2, 3 on a fresh symbol), not their first trade's.
    assert_eq!(row(&rows[0]), (1, d("100"), d("0.3"), t[0], t[1], T0, false, true));
    assert_eq!(row(&rows[1]), (2, d("101"), d("0.1"), t[2], t[2], T0, false, true));
    assert_eq!(row(&rows[2]), (3, d("99"), d("0.06"), t[3], t[3], T0 + 1000, true, true));
    assert_eq!(
        keys_in_order(&get_text(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await),
        ["a", "p", "q", "f", "l", "T", "m", "M"]
    );

    let q = |query: String| {
        let sb = &sb;
        async move {
            let a = get(sb, &format!("/api/v3/aggTrades?symbol=BTCUSDT&{query}")).await;
            a.assert_ok();
            ids(&a.json, "a")
        }
    };
    assert_eq!(q("fromId=1".into()).await, [1, 2, 3]);
    assert_eq!(q("fromId=2".into()).await, [2, 3]);
    assert_eq!(q("fromId=4".into()).await, Vec::<u64>::new(), "past the last aggregate");
    assert_eq!(q("fromId=2&limit=1".into()).await, [2]);
    assert_eq!(q("limit=2".into()).await, [2, 3], "the most recent, oldest first");
    assert_eq!(q(format!("startTime={}", T0 + 1)).await, [3]);
    assert_eq!(q(format!("startTime={T0}&limit=1")).await, [1], "from startTime: the oldest");
    assert_eq!(q(format!("endTime={T0}")).await, [1, 2]);
    assert_eq!(q(format!("endTime={}&limit=1", T0 + 5000)).await, [3], "up to endTime: the newest");
    assert_eq!(q(format!("startTime={}&endTime={}", T0 * 1000, T0 * 1000)).await, [1, 2], "microseconds");
    assert_eq!(q(format!("startTime={}&endTime={T0}", T0 + 1)).await, Vec::<u64>::new());
    get(&sb, &format!("/api/v3/aggTrades?symbol=BTCUSDT&fromId=1&startTime={T0}")).await.assert_rejected(
        400,
        -1128,
        "Combination of optional parameters invalid.",
    );
    get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT&limit=x").await.assert_rejected(
        400,
        -1100,
        "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn agg_trade_ids_survive_a_restart() {
    let dir = TempDir::new("mbx-sandbox-aggtrades");
    let start = || {
        let clock = SandboxClock::fixed(Timestamp::Millis(T0));
        TestSandbox::start_with(Sandbox::builder().data_dir(dir.path()).market_maker(false).clock(clock))
    };
    let sb = start().await;
    sweep_then_sell(&sb).await;
    let before = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await.json;
    sb.shutdown().await;
    let sb = start().await;
    let after = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await.json;
    assert_eq!(after, before);
    assert_eq!(after.as_array().unwrap().len(), 3);
    sb.shutdown().await;
}

/// Trades at T0 + 10 s (BUY taker, 0.1 at 100), T0 + 20 s (BUY taker, 0.1 at 102) and
/// T0 + 2 min 5 s (SELL taker, 0.2 at 98); the clock is left at T0 + 4 min 30 s.
async fn three_trades(sb: &TestSandbox) {
    at(sb, 10_000);
    cross(sb, "BUY", "100", "0.1").await;
    at(sb, 20_000);
    cross(sb, "BUY", "102", "0.1").await;
    at(sb, 2 * MINUTE + 5000);
    cross(sb, "SELL", "98", "0.2").await;
    at(sb, 4 * MINUTE + 30_000);
}

/// (open time, OHLC, volume, trade count) of each kline row.
fn candles(rows: &Value) -> Vec<(u64, [Decimal; 4], Decimal, u64)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k[0].as_u64().unwrap(),
                [dec(&k[1]), dec(&k[2]), dec(&k[3]), dec(&k[4])],
                dec(&k[5]),
                k[8].as_u64().unwrap(),
            )
        })
        .collect()
}

fn flat(p: &str) -> [Decimal; 4] {
    [d(p); 4]
}

#[tokio::test]
async fn klines_cover_every_interval_since_the_first_trade() {
    let sb = quiet_market().await;
    get(&sb, "/api/v3/klines?symbol=BTCUSDT&interval=1m").await.assert_ok();
    assert_eq!(get(&sb, "/api/v3/klines?symbol=BTCUSDT&interval=1m").await.json, json!([]), "no trade yet");
    three_trades(&sb).await;

    let k = get(&sb, "/api/v3/klines?symbol=BTCUSDT&interval=1m").await;
    k.assert_ok();
    let minute = |n: u64| T0 + n * MINUTE;
    assert_eq!(
        candles(&k.json),
        [
            (minute(0), [d("100"), d("102"), d("100"), d("102")], d("0.2"), 2),
            (minute(1), flat("102"), d("0"), 0),
            (minute(2), flat("98"), d("0.2"), 1),
            (minute(3), flat("98"), d("0"), 0),
            (minute(4), flat("98"), d("0"), 0),
        ],
        "a quiet minute repeats the last close with no volume; the current minute is included"
    );
    let first = &k.json[0];
    assert_eq!(first.as_array().unwrap().len(), 12);
    assert_eq!(first[6].as_u64(), Some(T0 + MINUTE - 1), "close time");
    assert_eq!(
        (dec(&first[7]), dec(&first[9]), dec(&first[10]), &first[11]),
        (d("20.2"), d("0.2"), d("20.2"), &json!("0")),
        "quote volume, taker buy base and quote, unused"
    );
    assert!(first[1].is_string() && first[0].is_u64() && first[8].is_u64());
    assert_eq!((dec(&k.json[2][9]), dec(&k.json[2][7])), (d("0"), d("19.6")), "a selling taker");

    let opens = |query: &str| {
        let sb = &sb;
        let path = format!("/api/v3/klines?symbol=BTCUSDT&{query}");
        async move {
            let a = get(sb, &path).await;
            a.assert_ok();
            a.json.as_array().unwrap().iter().map(|k| k[0].as_u64().unwrap()).collect::<Vec<_>>()
        }
    };
    assert_eq!(opens(&format!("interval=1m&startTime={}", T0 + 1)).await, [1, 2, 3, 4].map(minute));
    assert_eq!(opens(&format!("interval=1m&endTime={}", minute(1))).await, [0, 1].map(minute));
    assert_eq!(opens("interval=1m&limit=2").await, [3, 4].map(minute), "the most recent");
    assert_eq!(opens(&format!("interval=1m&startTime={T0}&limit=2")).await, [0, 1].map(minute));
    assert_eq!(
        opens(&format!("interval=1m&startTime={}&endTime={}", minute(3), minute(1))).await,
        Vec::<u64>::new()
    );
    assert_eq!(opens(&format!("interval=1m&startTime={}", T0 - 3_600_000)).await.len(), 5);
    assert_eq!(opens("interval=1s&limit=3").await, [269_000, 270_000, 271_000].map(|s| T0 + s - 1000));
    assert_eq!(opens("interval=3m").await, [0, 3].map(minute));
    assert_eq!(opens("interval=1h").await, [T0]);
    assert_eq!(opens("interval=1w").await, [T0 - 3 * 86_400_000], "Monday 2024-02-26");
    assert_eq!(opens("interval=1M").await, [1_706_745_600_000], "2024-02-01");
    assert_eq!(opens("interval=1M&timeZone=8").await, [1_706_745_600_000 - 8 * 3_600_000]);
    // 23:00 on the 28th at UTC-1, where the trades' day began at 01:00 UTC.
    assert_eq!(opens("interval=1d&timeZone=-1:00").await, [T0 - 23 * 3_600_000]);
    let month = get(&sb, "/api/v3/klines?symbol=BTCUSDT&interval=1M").await;
    assert_eq!(month.json[0][6].as_u64(), Some(1_709_251_200_000 - 1), "February ends on the 29th");
    assert_eq!((dec(&month.json[0][5]), month.json[0][8].as_u64()), (d("0.4"), Some(3)));

    let weight = get(&sb, "/api/v3/klines?symbol=BTCUSDT&interval=1d").await.weight.unwrap();
    let next = get(&sb, "/api/v3/uiKlines?symbol=BTCUSDT&interval=1d").await.weight.unwrap();
    assert_eq!(next - weight, 2, "klines and uiKlines weigh 2");

    at(&sb, 2 * 3_600_000);
    assert_eq!(opens("interval=1s&limit=5000").await.len(), 1000, "a limit over 1000 is served as 1000");
    assert_eq!(opens("interval=1m").await.len(), 121);
    sb.shutdown().await;
}

#[tokio::test]
async fn ui_klines_open_at_the_previous_close() {
    let sb = quiet_market().await;
    three_trades(&sb).await;
    let ui = get(&sb, "/api/v3/uiKlines?symbol=BTCUSDT&interval=1m&limit=4").await;
    ui.assert_ok();
    let minute = |n: u64| T0 + n * MINUTE;
    assert_eq!(
        candles(&ui.json),
        [
            (minute(1), flat("102"), d("0"), 0),
            (minute(2), [d("102"), d("102"), d("98"), d("98")], d("0.2"), 1),
            (minute(3), flat("98"), d("0"), 0),
            (minute(4), flat("98"), d("0"), 0),
        ]
    );
    let first = get(&sb, &format!("/api/v3/uiKlines?symbol=BTCUSDT&interval=1m&endTime={T0}")).await;
    assert_eq!(candles(&first.json)[0].1, [d("100"), d("102"), d("100"), d("102")], "nothing before it");
    sb.shutdown().await;
}

#[tokio::test]
async fn klines_bad_parameters_get_binance_codes() {
    let sb = quiet_market().await;
    for path in ["/api/v3/klines", "/api/v3/uiKlines"] {
        for bad in ["1H", "2m", "1mo", "1y", "1S"] {
            get(&sb, &format!("{path}?symbol=BTCUSDT&interval={bad}")).await.assert_rejected(
                400,
                -1120,
                "Invalid interval.",
            );
        }
        get(&sb, &format!("{path}?symbol=BTCUSDT")).await.assert_rejected(
            400,
            -1102,
            "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.",
        );
        get(&sb, &format!("{path}?symbol=NOPE&interval=1m")).await.assert_rejected(
            400,
            -1121,
            "Invalid symbol.",
        );
        for tz in ["15", "-13", "5:7", "UTC", "14:30"] {
            get(&sb, &format!("{path}?symbol=BTCUSDT&interval=1m&timeZone={tz}")).await.assert_rejected(
                400,
                -1130,
                "Data sent for parameter 'timeZone' is not valid.",
            );
        }
        get(&sb, &format!("{path}?symbol=BTCUSDT&interval=1m&startTime=-5")).await.assert_rejected(
            400,
            -1100,
            "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'.",
        );
        get(&sb, &format!("{path}?symbol=BTCUSDT&interval=1m&timeZone=")).await.assert_rejected(
            400,
            -1105,
            "Parameter 'timeZone' was empty.",
        );
    }
    for interval in
        ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"]
    {
        get(&sb, &format!("/api/v3/klines?symbol=BTCUSDT&interval={interval}")).await.assert_ok();
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn ticker_24hr_full_and_mini_from_the_trades() {
    let sb = quiet_market().await;
    three_trades(&sb).await;
    rest(&sb, "BUY", "90", "0.1").await;
    let now = T0 + 4 * MINUTE + 30_000;
    let t = get(&sb, "/api/v3/ticker/24hr?symbol=BTCUSDT").await;
    t.assert_ok();
    let all = get(&sb, "/api/v3/ticker/24hr").await;
    assert_eq!(all.json.as_array().unwrap().len(), 6);
    assert_eq!(all.weight.unwrap() - t.weight.unwrap(), 80, "every symbol weighs 80");
    let j = &t.json;
    assert_eq!(j["symbol"], "BTCUSDT");
    for (field, want) in [
        ("priceChange", "-2"),
        ("weightedAvgPrice", "99.5"),
        ("prevClosePrice", "0"),
        ("lastPrice", "98"),
        ("lastQty", "0.2"),
        ("bidPrice", "90"),
        ("bidQty", "0.1"),
        ("askPrice", "0"),
        ("askQty", "0"),
        ("openPrice", "100"),
        ("highPrice", "102"),
        ("lowPrice", "98"),
        ("volume", "0.4"),
        ("quoteVolume", "39.8"),
    ] {
        assert_eq!(dec(&j[field]), d(want), "{field}: {j}");
    }
    assert_eq!(j["priceChangePercent"], "-2.000");
    assert_eq!(j["lastPrice"], "98.00000000");
    assert_eq!((j["openTime"].as_u64(), j["closeTime"].as_u64()), (Some(now - 86_400_000), Some(now)));
    assert_eq!(
        (j["count"].as_u64(), j["lastId"].as_u64().unwrap() - j["firstId"].as_u64().unwrap()),
        (Some(3), 2)
    );
    assert_eq!(
        keys_in_order(&get_text(&sb, "/api/v3/ticker/24hr?symbol=BTCUSDT").await),
        [
            "symbol",
            "priceChange",
            "priceChangePercent",
            "weightedAvgPrice",
            "prevClosePrice",
            "lastPrice",
            "lastQty",
            "bidPrice",
            "bidQty",
            "askPrice",
            "askQty",
            "openPrice",
            "highPrice",
            "lowPrice",
            "volume",
            "quoteVolume",
            "openTime",
            "closeTime",
            "firstId",
            "lastId",
            "count"
        ]
    );
    assert_eq!(
        keys_in_order(&get_text(&sb, "/api/v3/ticker/24hr?symbol=BTCUSDT&type=MINI").await),
        MINI_KEYS
    );

    let two = get(&sb, "/api/v3/ticker/24hr?symbols=%5B%22LTCBTC%22,%22BTCUSDT%22%5D&type=MINI").await;
    two.assert_ok();
    let rows = two.json.as_array().unwrap();
    assert_eq!((rows[0]["symbol"].as_str(), rows[1]["symbol"].as_str()), (Some("LTCBTC"), Some("BTCUSDT")));
    assert_eq!(
        (&rows[0]["firstId"], &rows[0]["lastId"], &rows[0]["count"], &rows[0]["lastPrice"]),
        (&json!(-1), &json!(-1), &json!(0), &json!("0.00000000")),
        "a symbol without trades"
    );
    assert!(rows[1].get("priceChange").is_none() && rows[1].get("bidPrice").is_none(), "MINI");

    at(&sb, 86_400_000 + 25_000);
    let later = get(&sb, "/api/v3/ticker/24hr?symbol=BTCUSDT").await;
    assert_eq!(
        (dec(&later.json["lastPrice"]), dec(&later.json["prevClosePrice"]), &later.json["count"]),
        (d("98"), d("102"), &json!(1)),
        "the first two trades fell out of the window"
    );
    at(&sb, 3 * 86_400_000);
    let quiet = get(&sb, "/api/v3/ticker/24hr?symbol=BTCUSDT").await;
    assert_eq!(
        (
            &quiet.json["count"],
            &quiet.json["firstId"],
            dec(&quiet.json["lastPrice"]),
            dec(&quiet.json["openPrice"])
        ),
        (&json!(0), &json!(-1), d("98"), d("0")),
        "a quiet day keeps the last price"
    );
    assert_eq!(quiet.json["priceChangePercent"], "0.000");
    sb.shutdown().await;
}

const MINI_KEYS: [&str; 12] = [
    "symbol",
    "openPrice",
    "highPrice",
    "lowPrice",
    "lastPrice",
    "volume",
    "quoteVolume",
    "openTime",
    "closeTime",
    "firstId",
    "lastId",
    "count",
];

const WINDOW_FULL_KEYS: [&str; 15] = [
    "symbol",
    "priceChange",
    "priceChangePercent",
    "weightedAvgPrice",
    "openPrice",
    "highPrice",
    "lowPrice",
    "lastPrice",
    "volume",
    "quoteVolume",
    "openTime",
    "closeTime",
    "firstId",
    "lastId",
    "count",
];

#[tokio::test]
async fn ticker_trading_day_follows_the_time_zone() {
    let sb = quiet_market().await;
    three_trades(&sb).await;
    let t = get(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT").await;
    t.assert_ok();
    assert_eq!(
        (t.json["openTime"].as_u64(), t.json["closeTime"].as_u64()),
        (Some(T0), Some(T0 + 86_400_000 - 1))
    );
    assert_eq!(
        (&t.json["count"], dec(&t.json["openPrice"]), dec(&t.json["lastPrice"])),
        (&json!(3), d("100"), d("98"))
    );
    assert_eq!(
        keys_in_order(&get_text(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT").await),
        WINDOW_FULL_KEYS
    );
    assert_eq!(
        keys_in_order(&get_text(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT&type=MINI").await),
        MINI_KEYS
    );
    // At UTC-1 it is still the 28th, whose day opened at 01:00 UTC on the 28th.
    let west = get(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT&timeZone=-1:00").await;
    assert_eq!(west.json["openTime"].as_u64(), Some(T0 - 23 * 3_600_000));
    assert_eq!(west.json["count"], 3);
    // At UTC+14 it is 14:04 on the 29th, a day that opened at 10:00 UTC on the 28th.
    let east = get(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT&timeZone=14").await;
    assert_eq!((east.json["openTime"].as_u64(), &east.json["count"]), (Some(T0 - 14 * 3_600_000), &json!(3)));
    at(&sb, 86_400_000);
    let next_day = get(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT").await;
    assert_eq!((&next_day.json["count"], &next_day.json["lastId"]), (&json!(0), &json!(-1)));

    let list = get(&sb, "/api/v3/ticker/tradingDay?symbols=%5B%22BTCUSDT%22,%22ETHUSDT%22%5D").await;
    list.assert_ok();
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    assert_eq!(list.weight.unwrap() - next_day.weight.unwrap(), 8, "4 per symbol");
    sb.shutdown().await;
}

#[tokio::test]
async fn ticker_rolling_window_opens_on_a_minute() {
    let sb = quiet_market().await;
    three_trades(&sb).await;
    let now = T0 + 4 * MINUTE + 30_000;
    let day = get(&sb, "/api/v3/ticker?symbol=BTCUSDT").await;
    day.assert_ok();
    assert_eq!(
        (day.json["openTime"].as_u64(), day.json["closeTime"].as_u64(), &day.json["count"]),
        (Some(now - 86_400_000 - 30_000), Some(now), &json!(3)),
        "1d by default, opening on the minute"
    );
    assert_eq!(keys_in_order(&get_text(&sb, "/api/v3/ticker?symbol=BTCUSDT").await), WINDOW_FULL_KEYS);
    assert_eq!(keys_in_order(&get_text(&sb, "/api/v3/ticker?symbol=BTCUSDT&type=MINI").await), MINI_KEYS);
    let three = get(&sb, "/api/v3/ticker?symbol=BTCUSDT&windowSize=3m").await;
    assert_eq!(three.json["openTime"].as_u64(), Some(T0 + MINUTE));
    assert_eq!((&three.json["count"], dec(&three.json["openPrice"])), (&json!(1), d("98")));
    let one = get(&sb, "/api/v3/ticker?symbol=BTCUSDT&windowSize=1m").await;
    assert_eq!(
        (&one.json["count"], &one.json["firstId"], dec(&one.json["lastPrice"]), dec(&one.json["volume"])),
        (&json!(0), &json!(-1), d("98"), d("0")),
        "an empty window"
    );
    for ok in ["59m", "1h", "23h", "7d"] {
        get(&sb, &format!("/api/v3/ticker?symbol=BTCUSDT&windowSize={ok}")).await.assert_ok();
    }
    for bad in ["60m", "24h", "8d", "0m", "1d2h", "1w", "1M", "m"] {
        get(&sb, &format!("/api/v3/ticker?symbol=BTCUSDT&windowSize={bad}")).await.assert_rejected(
            400,
            -1130,
            "Data sent for parameter 'windowSize' is not valid.",
        );
    }
    let list =
        get(&sb, "/api/v3/ticker?symbols=%5B%22BTCUSDT%22,%22BNBUSDT%22,%22LTCBTC%22%5D&type=MINI").await;
    list.assert_ok();
    assert_eq!(list.json.as_array().unwrap().len(), 3);
    sb.shutdown().await;
}

#[tokio::test]
async fn window_tickers_refuse_bad_selections_with_binance_codes() {
    let sb = quiet_market().await;
    for path in ["/api/v3/ticker/tradingDay", "/api/v3/ticker"] {
        get(&sb, path).await.assert_rejected(
            400,
            -1102,
            "Param 'symbol' or 'symbols' must be sent, but both were empty/null!",
        );
        let many = format!("[{}]", vec!["\"BTCUSDT\""; 101].join(","));
        get(&sb, &format!("{path}?symbols={}", urlencode(&many))).await.assert_rejected(
            400,
            -1101,
            "Too many values sent for parameter 'symbols', maximum allowed up to 100.",
        );
    }
    for path in ["/api/v3/ticker/24hr", "/api/v3/ticker/tradingDay", "/api/v3/ticker"] {
        get(&sb, &format!("{path}?symbol=BTCUSDT&type=full")).await.assert_rejected(
            400,
            -1139,
            "Invalid ticker type.",
        );
        get(&sb, &format!("{path}?symbol=BTCUSDT&symbols=%5B%22BTCUSDT%22%5D")).await.assert_rejected(
            400,
            -1128,
            "Combination of optional parameters invalid.",
        );
        get(&sb, &format!("{path}?symbols=%5B%22BTCUSDT%22,%22BTCUSDT%22%5D")).await.assert_rejected(
            400,
            -1151,
            "Symbol is present multiple times in the list.",
        );
        get(&sb, &format!("{path}?symbol=BTCUSD")).await.assert_rejected(400, -1121, "Invalid symbol.");
        get(&sb, &format!("{path}?symbol=BTCUSDT&symbolStatus=HALT")).await.assert_rejected(
            400,
            -1220,
            "The symbol's status does not match the requested symbolStatus.",
        );
        get(&sb, &format!("{path}?symbol=BTCUSDT&symbolStatus=OPEN")).await.assert_rejected(
            400,
            -1122,
            "Invalid symbolStatus.",
        );
        let none = get(&sb, &format!("{path}?symbols=%5B%22BTCUSDT%22%5D&symbolStatus=BREAK")).await;
        none.assert_ok();
        assert_eq!(none.json, json!([]), "{path}: a list keeps only matching symbols");
        // enums.md's newer statuses filter too (no symbol of the sandbox has them).
        let newer = get(&sb, &format!("{path}?symbols=%5B%22BTCUSDT%22%5D&symbolStatus=CANCEL_ONLY")).await;
        assert_eq!(newer.json, json!([]), "{path}");
        let trading = get(&sb, &format!("{path}?symbol=BTCUSDT&symbolStatus=TRADING")).await;
        trading.assert_ok();
        assert_eq!(trading.json["symbol"], "BTCUSDT");
    }
    for path in ["/api/v3/ticker/price", "/api/v3/ticker/bookTicker"] {
        get(&sb, &format!("{path}?symbol=BTCUSDT&symbolStatus=BREAK")).await.assert_rejected(
            400,
            -1220,
            "The symbol's status does not match the requested symbolStatus.",
        );
        assert_eq!(get(&sb, &format!("{path}?symbolStatus=HALT")).await.json, json!([]));
        assert_eq!(get(&sb, &format!("{path}?symbolStatus=TRADING")).await.json.as_array().unwrap().len(), 6);
    }
    get(&sb, "/api/v3/ticker/tradingDay?symbol=BTCUSDT&timeZone=+15").await.assert_rejected(
        400,
        -1130,
        "Data sent for parameter 'timeZone' is not valid.",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn depth_reads_symbol_status_as_the_tickers_do() {
    let sb = empty_books().await;
    get(&sb, "/api/v3/depth?symbol=BTCUSDT&symbolStatus=TRADING").await.assert_ok();
    assert_eq!(get(&sb, "/api/v3/depth?symbol=BTCUSDT&symbolStatus=HALT").await.code(), -1220);
    let other = get(&sb, "/api/v3/depth?symbol=BTCUSDT&symbolStatus=CLOSED").await.code();
    assert_eq!(other, get(&sb, "/api/v3/ticker/price?symbol=BTCUSDT&symbolStatus=CLOSED").await.code());
    assert_eq!(get(&sb, "/api/v3/depth?symbol=BTCUSDT&symbolStatus=").await.code(), -1105);
}

/// Trade ids and aggregate trade ids count per symbol, as on Binance: each symbol's trades are
/// 1, 2, 3, ... whatever other symbols trade in between (a 24-hour ticker's `count` is
/// `lastId - firstId + 1`), its aggregates too, and both continue where they were after a restart.
#[tokio::test]
async fn trade_and_aggregate_ids_count_per_symbol_without_gaps() {
    let dir = TempDir::new("trade-ids");
    let sb = TestSandbox::start_with(Sandbox::builder().data_dir(dir.path())).await;
    let buy = |symbol: &'static str, qty: &'static str| {
        [("symbol", symbol), ("side", "BUY"), ("type", "MARKET"), ("quantity", qty)]
    };
    for _ in 0..3 {
        place(&sb, &buy("BTCUSDT", "0.01")).await.assert_ok();
        place(&sb, &buy("ETHUSDT", "0.1")).await.assert_ok();
    }
    let ids = |trades: &Value| -> Vec<u64> {
        trades.as_array().unwrap().iter().map(|t| t["id"].as_u64().unwrap()).collect()
    };
    for symbol in ["BTCUSDT", "ETHUSDT"] {
        let trades = get(&sb, &format!("/api/v3/trades?symbol={symbol}")).await;
        let ids = ids(&trades.json);
        assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>(), "{symbol}: {}", trades.json);
        let t = get(&sb, &format!("/api/v3/ticker/24hr?symbol={symbol}")).await.json;
        assert_eq!(
            (&t["firstId"], &t["lastId"], &t["count"]),
            (&json!(1), &json!(ids.len()), &json!(ids.len())),
            "{t}"
        );
        // Aggregate trades have their own sequence, 1, 2, 3, ..., and cover the trades in order.
        let aggs = get(&sb, &format!("/api/v3/aggTrades?symbol={symbol}")).await.json;
        let aggs = aggs.as_array().unwrap();
        let mut next_trade = 1;
        for (i, a) in aggs.iter().enumerate() {
            assert_eq!((&a["a"], &a["f"]), (&json!(i + 1), &json!(next_trade)), "{symbol}: {aggs:?}");
            next_trade = a["l"].as_u64().unwrap() + 1;
        }
        assert_eq!(next_trade, ids.len() as u64 + 1, "{symbol}: {aggs:?}");
        let from = get(&sb, &format!("/api/v3/aggTrades?symbol={symbol}&fromId=2")).await.json;
        assert_eq!(from[0], aggs[1], "{from}");
    }
    let before = ids(&get(&sb, "/api/v3/trades?symbol=BTCUSDT").await.json).len() as u64;
    sb.shutdown().await;

    let sb = TestSandbox::start_with(Sandbox::builder().data_dir(dir.path())).await;
    let aggs_before = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await.json.as_array().unwrap().len();
    let fill = place(&sb, &buy("BTCUSDT", "0.01")).await;
    fill.assert_ok();
    assert_eq!(fill.json["fills"][0]["tradeId"], json!(before + 1), "{}", fill.json);
    let aggs = get(&sb, "/api/v3/aggTrades?symbol=BTCUSDT").await.json;
    let aggs = aggs.as_array().unwrap();
    assert_eq!(aggs[aggs_before]["a"], json!(aggs_before + 1), "{aggs:?}");
    sb.shutdown().await;
}

/// The background market (`SandboxBuilder::activity`): trades come without any client trading, the
/// market maker's quotes move, and a client's order at the best bid is never met by it.
#[tokio::test]
async fn the_background_market_trades_by_itself_and_never_meets_a_client() {
    let builder = Sandbox::builder().memory().activity(Some(std::time::Duration::from_millis(10)));
    let sb = TestSandbox::start_with(builder).await;
    let mut trades = sb.state().engine().subscribe_trades();
    // Inside the spread, the client's bid is the best one: the market maker's SELL steps on
    // BTCUSDT leave it alone.
    let (bid, ask) = best(&sb, "BTCUSDT").await;
    let price = (bid + ask) / Decimal::TWO;
    let price = (price * Decimal::from(100)).floor() / Decimal::from(100);
    let mine = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", &price.to_string()),
        ],
    )
    .await;
    mine.assert_ok();
    let order_id = mine.json["orderId"].as_u64().unwrap();
    // Trades on several symbols and both sides (the walk's draws), each with a fresh id.
    let mut seen = std::collections::HashSet::new();
    let mut symbols = std::collections::HashSet::new();
    while seen.len() < 40 {
        let t = tokio::time::timeout(std::time::Duration::from_secs(30), trades.recv())
            .await
            .expect("a background trade within 30 s")
            .unwrap();
        assert!(seen.insert((t.symbol.clone(), t.trade_id)), "trade {} {} twice", t.symbol, t.trade_id);
        symbols.insert(t.symbol.clone());
    }
    assert!(symbols.len() > 1, "{symbols:?}");
    let mine =
        call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &order_id.to_string())])
            .await;
    mine.assert_ok();
    assert_eq!(
        (mine.json["status"].as_str(), mine.json["executedQty"].as_str()),
        (Some("NEW"), Some("0.00000000"))
    );
    let (best_bid, _) = best(&sb, "BTCUSDT").await;
    assert!(best_bid >= price, "the client's bid is still in the book at {price}: best {best_bid}");
    sb.shutdown().await;
}
