//! The market streams' invariants under load, over real sockets: 10,000 random orders and cancels
//! from four accounts at once, while one connection listens to `depth@100ms`, `trade` and
//! `aggTrade`. Afterwards a local book built by the docs' procedure (buffer the diffs, take a
//! snapshot mid-way, drop what it covers, apply the rest in `U`/`u` order) equals
//! `GET /api/v3/depth`, and every trade appears once, in order, in `trade`, in `aggTrade`, in the
//! klines and in the 24-hour ticker.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use mbx_core::Params;
use mbx_core::payload::{Placement, RestPayload};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_testkit::TestSandbox;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use mbx_sandbox::Sandbox;

use crate::support::{Answer, admin, client, d, dec, get, now_ms};

/// Orders and cancels sent in all.
const COMMANDS: usize = 10_000;
/// Accounts sending them, each from its own task.
const CLIENTS: usize = 4;

/// A signed request with an account's HMAC key, on a shared connection pool.
struct Trader {
    http: reqwest::Client,
    base: String,
    api_key: String,
    signer: Signer,
}

impl Trader {
    async fn send(&self, method: Method, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let mut p = Params::new();
        for (k, v) in pairs {
            p = p.text(k.to_string(), *v);
        }
        let p = p.int("timestamp", now_ms());
        let placement = if method == Method::POST { Placement::Body } else { Placement::Query };
        let s = RestPayload::render(&p, placement).sign(&self.signer);
        let query = s.query();
        let url = if query.is_empty() {
            format!("{}{path}", self.base)
        } else {
            format!("{}{path}?{query}", self.base)
        };
        let mut req = self.http.request(method, url).header("X-MBX-APIKEY", &self.api_key);
        if !s.body().is_empty() {
            req = req.header("Content-Type", "application/x-www-form-urlencoded").body(s.body().to_owned());
        }
        Answer::read(req.send().await.expect("request sent")).await
    }
}

/// A new account with plenty of both assets and an HMAC key.
async fn trader(sb: &TestSandbox, n: usize) -> Trader {
    let created = admin(
        sb,
        "/sandbox/v1/accounts",
        json!({"name": format!("trader-{n}"), "balances": {"USDT": "100000000", "BTC": "100000"}}),
    )
    .await;
    created.assert_ok();
    let key =
        admin(sb, "/sandbox/v1/keys", json!({"kind": "hmac", "account": created.json["accountId"]})).await;
    key.assert_ok();
    Trader {
        http: client(),
        base: sb.url(""),
        api_key: key.json["apiKey"].as_str().unwrap().to_owned(),
        signer: Signer::Hmac(HmacSigner::new(key.json["secretKey"].as_str().unwrap().as_bytes())),
    }
}

/// xorshift64: reproducible choices, a stream per client.
fn rng(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x = seed;
    move |n| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    }
}

/// `commands` random LIMIT (GTC and IOC) and MARKET orders around 30,000 and cancels of its own
/// open orders.
async fn trade(trader: Trader, seed: u64, commands: usize) {
    let mut next = rng(seed);
    let mut open: Vec<String> = Vec::new();
    for _ in 0..commands {
        let side = if next(2) == 0 { "BUY" } else { "SELL" };
        let price = format!("{}", 29_900 + next(21) * 10);
        let qty = format!("0.0{}", next(9) + 1);
        match next(20) {
            0..=10 => {
                let a = trader
                    .send(
                        Method::POST,
                        "/api/v3/order",
                        &[
                            ("symbol", "BTCUSDT"),
                            ("side", side),
                            ("type", "LIMIT"),
                            ("timeInForce", if next(8) == 0 { "IOC" } else { "GTC" }),
                            ("quantity", &qty),
                            ("price", &price),
                            ("selfTradePreventionMode", "NONE"),
                            ("newOrderRespType", "ACK"),
                        ],
                    )
                    .await;
                assert_eq!(a.status, 200, "{:?}", a.json);
                open.push(a.json["orderId"].to_string());
            }
            11..=13 => {
                let a = trader
                    .send(
                        Method::POST,
                        "/api/v3/order",
                        &[
                            ("symbol", "BTCUSDT"),
                            ("side", side),
                            ("type", "MARKET"),
                            ("quantity", &qty),
                            ("selfTradePreventionMode", "NONE"),
                            ("newOrderRespType", "ACK"),
                        ],
                    )
                    .await;
                assert_eq!(a.status, 200, "{:?}", a.json);
            }
            _ if !open.is_empty() => {
                let id = open.swap_remove(usize::try_from(next(open.len() as u64)).unwrap());
                let a = trader
                    .send(Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)])
                    .await;
                // Already filled or expired: -2011 Unknown order sent.
                assert!(a.status == 200 || a.code() == -2011, "{:?}", a.json);
            }
            _ => {}
        }
    }
}

fn side(levels: &Value) -> BTreeMap<Decimal, Decimal> {
    levels.as_array().unwrap().iter().map(|l| (dec(&l[0]), dec(&l[1]))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_orders_keep_the_streams_exact() {
    // Binance's limits would stop one address sending this much (the limits have tests of their own).
    let limits = mbx_sandbox::RateLimits {
        request_weight_per_minute: 1_000_000,
        orders_per_10s: 1_000_000,
        orders_per_day: 10_000_000,
        raw_requests_per_5m: 10_000_000,
    };
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).rate_limits(limits)).await;
    let url = format!("ws://{}/stream?streams=btcusdt@depth@100ms/btcusdt@trade/btcusdt@aggTrade", sb.addr());
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("stream connection");
    // Every frame, as it comes, until told to stop.
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let reader = tokio::spawn(async move {
        let mut frames = Vec::new();
        loop {
            tokio::select! {
                frame = ws.next() => match frame {
                    Some(Ok(Message::Text(t))) => frames.push(serde_json::from_str::<Value>(&t).unwrap()),
                    Some(Ok(_)) => {}
                    _ => break,
                },
                _ = &mut stopped => break,
            }
        }
        frames
    });
    let mut traders = Vec::new();
    for n in 0..CLIENTS {
        traders.push(trader(&sb, n).await);
    }
    // A quarter of the way through, the snapshot the local book starts from; then other accounts.
    let per = COMMANDS / CLIENTS;
    let mut tasks = Vec::new();
    for (n, t) in traders.into_iter().enumerate() {
        tasks.push(tokio::spawn(trade(t, 0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1), per / 4)));
    }
    for t in tasks.drain(..) {
        t.await.unwrap();
    }
    let snapshot = get(&sb, "/api/v3/depth?symbol=BTCUSDT&limit=5000").await.json;
    // A second connection, open before the last changes (so it is sent the diff of the last one;
    // opened after them it could wait for a diff that was already sent).
    let mut probe = tokio_tungstenite::connect_async(format!("ws://{}/ws/btcusdt@depth@100ms", sb.addr()))
        .await
        .expect("probe connection")
        .0;
    let mut traders = Vec::new();
    for n in 0..CLIENTS {
        traders.push(trader(&sb, CLIENTS + n).await);
    }
    for (n, t) in traders.into_iter().enumerate() {
        tasks.push(tokio::spawn(trade(t, 0xD1B5_4A32_D192_ED03 ^ (n as u64 + 1), per - per / 4)));
    }
    for t in tasks {
        t.await.unwrap();
    }

    // Wait until the stream has shown the last change and the last trade.
    let end = get(&sb, "/api/v3/depth?symbol=BTCUSDT&limit=5000").await.json;
    let end_id = end["lastUpdateId"].as_u64().unwrap();
    let last_trade = get(&sb, "/api/v3/trades?symbol=BTCUSDT&limit=1").await.json[0]["id"].as_u64().unwrap();
    // A diff at or past end_id on a second connection means the first has been sent it too (one
    // hub, in order); a further second leaves the first time to read it.
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(Ok(m)) = probe.next().await {
            if let Message::Text(t) = m
                && serde_json::from_str::<Value>(&t).unwrap()["u"].as_u64() >= Some(end_id)
            {
                break;
            }
        }
    })
    .await
    .expect("diffs reach the final depth");
    let _ = probe.next().await;
    let _ = stop.send(());
    let frames = reader.await.unwrap();

    // The local book: the docs' procedure.
    let id = snapshot["lastUpdateId"].as_u64().unwrap();
    let (mut bids, mut asks) = (side(&snapshot["bids"]), side(&snapshot["asks"]));
    let mut previous: Option<u64> = None;
    let (mut trades, mut aggs) = (Vec::new(), Vec::new());
    for f in &frames {
        let data = &f["data"];
        match data["e"].as_str() {
            Some("trade") => trades.push(data.clone()),
            Some("aggTrade") => aggs.push(data.clone()),
            Some("depthUpdate") => {
                let (first, last) = (data["U"].as_u64().unwrap(), data["u"].as_u64().unwrap());
                if last <= id {
                    continue;
                }
                match previous {
                    None => {
                        assert!(first <= id + 1 && id < last, "first diff {first}..{last}, snapshot {id}")
                    }
                    Some(p) => assert_eq!(first, p + 1, "the diffs chain"),
                }
                for (book, key) in [(&mut bids, "b"), (&mut asks, "a")] {
                    for (price, qty) in side(&data[key]) {
                        if qty.is_zero() {
                            book.remove(&price);
                        } else {
                            book.insert(price, qty);
                        }
                    }
                }
                previous = Some(last);
            }
            other => panic!("unexpected event {other:?}: {f}"),
        }
    }
    assert!(previous >= Some(end_id), "the diffs reached {previous:?}, depth is at {end_id}");
    assert_eq!(previous, Some(end_id), "nothing changed after the final depth");
    assert_eq!(bids, side(&end["bids"]), "bids");
    assert_eq!(asks, side(&end["asks"]), "asks");
    assert!(bids.keys().next_back() < asks.keys().next(), "the book does not cross");

    // Every trade once, in order, in `trade`; `aggTrade` covers the same ids, once each, in order.
    let ids: Vec<u64> = trades.iter().map(|t| t["t"].as_u64().unwrap()).collect();
    assert!(ids.len() > 1000, "enough trades to mean something: {}", ids.len());
    assert_eq!(ids, (1..=last_trade).collect::<Vec<_>>(), "every trade once, in order");
    let mut covered = Vec::new();
    for a in &aggs {
        covered.extend(a["f"].as_u64().unwrap()..=a["l"].as_u64().unwrap());
    }
    assert_eq!(covered, ids, "aggTrade covers every trade once, in order");
    let volume: Decimal = trades.iter().map(|t| dec(&t["q"])).sum();
    let agg_volume: Decimal = aggs.iter().map(|a| dec(&a["q"])).sum();
    assert_eq!(volume, agg_volume);

    // The klines and the 24-hour ticker count the same trades and volume.
    let klines = get(&sb, "/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000").await.json;
    let candles = klines.as_array().unwrap();
    let counted: u64 = candles.iter().map(|k| k[8].as_u64().unwrap()).sum();
    let kline_volume: Decimal = candles.iter().map(|k| dec(&k[5])).sum();
    assert_eq!((counted, kline_volume), (last_trade, volume), "klines");
    let ticker = get(&sb, "/api/v3/ticker/24hr?symbol=BTCUSDT").await.json;
    assert_eq!(
        (ticker["count"].as_u64(), ticker["firstId"].as_u64(), ticker["lastId"].as_u64()),
        (Some(last_trade), Some(1), Some(last_trade)),
        "{ticker}"
    );
    assert_eq!(dec(&ticker["volume"]), volume);
    assert!(volume > d("1"), "{volume}");
    sb.shutdown().await;
}
