//! The doctor and the sandbox judge the same bytes alike, beyond the corpus: a few hundred requests
//! made by mutating correct ones (a parameter dropped, repeated, re-cased, emptied or given another
//! value; another method, path, content type, signature, timestamp or recvWindow), each sent to a
//! sandbox on a fixed clock and diagnosed by the doctor at that time, must get the same code from
//! both. Only the answers that depend on the exchange's state are left out: an order that does not
//! exist (`-2013`, `-2011`, a cancel-replace's `-2022`), the symbol's filters (`-1013`), a refused placement (`-2010`) and a
//! symbol the market does not list (`-1121`). Each request goes on a connection of its own.
//! A disagreement names the request, so it can become a corpus case.

use futures_util::SinkExt;
use mbx_core::SecretBytes;
use mbx_core::diagnose::{Context, RequestRecord, diagnose, diagnose_ws};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_core::time::Timestamp;
use mbx_sandbox::{Sandbox, SandboxClock};
use mbx_testkit::{TestSandbox, keys, send_raw};
use tokio_tungstenite::tungstenite::Message;

/// The sandbox's clock and the doctor's server time.
const NOW: u64 = 1_767_225_600_000;

/// Codes that depend on the exchange's state, not on the request's form: an order that does not
/// exist, the symbol's filters, a refused placement, and a well-formed symbol the market does not
/// list (the doctor knows the form of a symbol, not the list; the corpus covers lower case).
const STATEFUL: &[i32] = &[-2013, -2011, -2022, -1013, -2010, -1121];

/// A small deterministic generator (xorshift64*), so that every run tries the same requests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (method, path, parameters, signed)
type Base = (&'static str, &'static str, &'static [(&'static str, &'static str)], bool);

const BASES: &[Base] = &[
    (
        "POST",
        "/api/v3/order",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.001"),
            ("price", "30000"),
        ],
        true,
    ),
    (
        "POST",
        "/api/v3/order/test",
        &[("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.001")],
        true,
    ),
    ("GET", "/api/v3/openOrders", &[("symbol", "BTCUSDT")], true),
    ("GET", "/api/v3/account", &[("omitZeroBalances", "true")], true),
    ("GET", "/api/v3/myTrades", &[("symbol", "BTCUSDT"), ("limit", "5")], true),
    ("GET", "/api/v3/allOrders", &[("symbol", "BTCUSDT"), ("limit", "10")], true),
    ("GET", "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", "1")], true),
    ("GET", "/api/v3/rateLimit/order", &[], true),
    ("GET", "/api/v3/depth", &[("symbol", "BTCUSDT"), ("limit", "5")], false),
    ("GET", "/api/v3/klines", &[("symbol", "BTCUSDT"), ("interval", "1m"), ("limit", "3")], false),
    ("GET", "/api/v3/ticker/price", &[("symbol", "BTCUSDT")], false),
    ("GET", "/api/v3/avgPrice", &[("symbol", "BTCUSDT")], false),
    (
        "POST",
        "/api/v3/order/cancelReplace",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("cancelReplaceMode", "STOP_ON_FAILURE"),
            ("timeInForce", "GTC"),
            ("quantity", "0.001"),
            ("price", "30000"),
            ("cancelOrderId", "1"),
        ],
        true,
    ),
    ("GET", "/api/v3/orderList", &[("orderListId", "1")], true),
    ("GET", "/api/v3/ticker", &[("symbol", "BTCUSDT"), ("windowSize", "1h"), ("type", "MINI")], false),
    ("GET", "/api/v3/ticker/tradingDay", &[("symbol", "BTCUSDT"), ("timeZone", "+08:00")], false),
    ("GET", "/api/v3/uiKlines", &[("symbol", "BTCUSDT"), ("interval", "1h"), ("timeZone", "8")], false),
    ("GET", "/api/v3/myPreventedMatches", &[("symbol", "BTCUSDT"), ("orderId", "1")], true),
    ("GET", "/api/v3/aggTrades", &[("symbol", "BTCUSDT"), ("limit", "5")], false),
    ("GET", "/api/v3/allOrderList", &[("limit", "5")], true),
];

const VALUES: &[&str] =
    &["", "-1", "1e-3", "0", "abc", "1.0", "99999999999", " 1", "0,001", "null", "true", "btcusdt"];
const EXTRA: &[(&str, &str)] = &[
    ("foo", "bar"),
    ("recvWindow", "5000"),
    ("newOrderRespType", "FULL"),
    ("limit", "2000"),
    ("fromId", "1"),
    ("startTime", "1"),
];

fn enc(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!("{}={}", mbx_core::encode::percent_encode(k), mbx_core::encode::percent_encode(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn hmac(payload: &str) -> String {
    Signer::Hmac(HmacSigner::new(keys::DEMO_SECRET_KEY.as_bytes()))
        .sign(payload.as_bytes())
        .as_str()
        .to_owned()
}

/// One mutated REST request as raw HTTP, and what was changed.
fn rest_request(rng: &mut Rng) -> (String, &'static str) {
    let &(method, path, base, signed) = rng.pick(BASES);
    let (mut method, mut path) = (method.to_owned(), path.to_owned());
    let mut params: Vec<(String, String)> =
        base.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let mut headers: Vec<(String, String)> =
        if signed { vec![("X-MBX-APIKEY".into(), keys::DEMO_API_KEY.into())] } else { Vec::new() };
    let what = *rng.pick(&[
        "none", "drop", "dup", "case", "value", "extra", "recv", "ts", "sig", "method", "path", "ct",
    ]);
    let n = params.len();
    match what {
        "drop" if n > 0 => drop(params.remove(rng.below(n))),
        "dup" if n > 0 => params.push(params[rng.below(n)].clone()),
        "case" if n > 0 => {
            let i = rng.below(n);
            params[i].0 = params[i].0.to_lowercase();
        }
        "value" if n > 0 => {
            let i = rng.below(n);
            params[i].1 = (*rng.pick(VALUES)).to_owned();
        }
        "extra" => {
            let (k, v) = *rng.pick(EXTRA);
            params.push((k.into(), v.into()));
        }
        "recv" => params
            .push(("recvWindow".into(), (*rng.pick(&["0", "60000", "60001", "5000.5", "-1", "1e3"])).into())),
        "method" => method = (*rng.pick(&["GET", "POST", "PUT", "DELETE"])).to_owned(),
        "path" => {
            path = match rng.below(3) {
                0 => path.to_lowercase(),
                1 => path.replace("/v3/", "/v1/"),
                _ => format!("{path}/"),
            }
        }
        _ => {}
    }
    if signed {
        let ts =
            if what == "ts" { *rng.pick(&[NOW / 1000, NOW + 5_000, NOW - 70_000, NOW * 1000]) } else { NOW };
        params.push(("timestamp".into(), ts.to_string()));
    }
    let payload = enc(&params);
    let mut full = payload.clone();
    if signed {
        let sig = hmac(&payload);
        let sig = if what == "sig" {
            match rng.below(4) {
                0 => String::new(),
                1 => sig.to_uppercase(),
                2 => sig[1..].to_owned(),
                _ => hmac(&format!("{payload}&")),
            }
        } else {
            sig
        };
        full = if full.is_empty() { format!("signature={sig}") } else { format!("{full}&signature={sig}") };
    }
    let in_body = method != "GET" && rng.below(3) == 0;
    let (query, body) = if in_body { (String::new(), full) } else { (full, String::new()) };
    if in_body {
        let ct = if what == "ct" {
            *rng.pick(&["application/json", "text/plain"])
        } else {
            "application/x-www-form-urlencoded"
        };
        headers.push(("Content-Type".into(), ct.into()));
    }
    let mut raw = format!(
        "{method} {path}{}{query} HTTP/1.1\r\nHost: api.binance.com\r\nConnection: close\r\n",
        if query.is_empty() { "" } else { "?" }
    );
    for (k, v) in &headers {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    raw.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    (raw, what)
}

fn ctx() -> Context {
    Context::hmac(SecretBytes::from(keys::DEMO_SECRET_KEY)).at(Timestamp::Millis(NOW))
}

#[tokio::test]
async fn doctor_and_sandbox_agree_on_mutated_rest_requests() {
    let sb = TestSandbox::start_with(
        Sandbox::builder().memory().market_maker(false).clock(SandboxClock::fixed(Timestamp::Millis(NOW))),
    )
    .await;
    let mut rng = Rng(0x6d62_7864_6f63_746f);
    let mut disagreements = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let (raw, what) = rest_request(&mut rng);
        let resp = send_raw(sb.addr(), raw.as_bytes()).await.expect("an answer");
        let sandbox = resp.code();
        let record = RequestRecord::from_http(&raw).expect("the doctor reads it");
        let doctor = diagnose(&record, &ctx()).verdict.code;
        codes.insert(sandbox);
        if sandbox != doctor && !STATEFUL.contains(&sandbox) {
            disagreements.push(format!(
                "[{what}] sandbox {sandbox} ({}), doctor {doctor}: {}",
                resp.header("x-sandbox-hint").unwrap_or_default(),
                raw.lines().next().unwrap_or_default()
            ));
        }
    }
    sb.shutdown().await;
    assert!(disagreements.is_empty(), "\n{}", disagreements.join("\n"));
    // The mutations reach many of the checks, not a few.
    assert!(codes.len() >= 12, "only these answers: {codes:?}");
}

/// One mutated WebSocket API frame.
fn ws_frame(rng: &mut Rng, id: usize) -> (String, &'static str) {
    let &(http_method, path, base, signed) = rng.pick(BASES);
    let method = match (http_method, path) {
        ("POST", "/api/v3/order") => "order.place",
        ("GET", "/api/v3/order") => "order.status",
        (_, "/api/v3/order/test") => "order.test",
        (_, "/api/v3/openOrders") => "openOrders.status",
        (_, "/api/v3/account") => "account.status",
        (_, "/api/v3/myTrades") => "myTrades",
        (_, "/api/v3/allOrders") => "allOrders",
        (_, "/api/v3/rateLimit/order") => "account.rateLimits.orders",
        (_, "/api/v3/depth") => "depth",
        (_, "/api/v3/klines") => "klines",
        (_, "/api/v3/avgPrice") => "avgPrice",
        (_, "/api/v3/order/cancelReplace") => "order.cancelReplace",
        (_, "/api/v3/orderList") => "orderList.status",
        (_, "/api/v3/ticker") => "ticker",
        (_, "/api/v3/ticker/tradingDay") => "ticker.tradingDay",
        (_, "/api/v3/uiKlines") => "uiKlines",
        (_, "/api/v3/myPreventedMatches") => "myPreventedMatches",
        (_, "/api/v3/aggTrades") => "trades.aggregate",
        (_, "/api/v3/allOrderList") => "allOrderLists",
        _ => "ticker.price",
    };
    let mut params: Vec<(String, serde_json::Value)> =
        base.iter().map(|(k, v)| ((*k).to_owned(), serde_json::json!(v))).collect();
    let what = *rng.pick(&["none", "drop", "value", "case", "extra", "recv", "number", "ts", "sig"]);
    let n = params.len();
    match what {
        "drop" if n > 0 => drop(params.remove(rng.below(n))),
        "value" if n > 0 => {
            let i = rng.below(n);
            params[i].1 = match rng.below(4) {
                0 => serde_json::json!(rng.pick(VALUES)),
                1 => serde_json::json!(1.5),
                2 => serde_json::Value::Bool(true),
                _ => serde_json::Value::Null,
            };
        }
        "case" if n > 0 => {
            let i = rng.below(n);
            params[i].0 = params[i].0.to_lowercase();
        }
        "extra" => {
            let (k, v) = *rng.pick(EXTRA);
            params.push((k.into(), serde_json::json!(v)));
        }
        "recv" => params.push(("recvWindow".into(), serde_json::json!(rng.pick(&[0, 60_000, 60_001, -1])))),
        "number" if n > 0 => {
            let i = rng.below(n);
            if let Some(x) = params[i].1.as_str().and_then(|s| s.parse::<f64>().ok()) {
                params[i].1 = serde_json::json!(x);
            }
        }
        _ => {}
    }
    if signed {
        params.push(("apiKey".into(), serde_json::json!(keys::DEMO_API_KEY)));
        let ts = if what == "ts" { *rng.pick(&[NOW / 1000, NOW + 5_000, NOW - 70_000]) } else { NOW };
        params.push(("timestamp".into(), serde_json::json!(ts)));
        let mut sorted: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        sorted.sort();
        let payload = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let sig = if what == "sig" { hmac(&format!("{payload}&")) } else { hmac(&payload) };
        params.push(("signature".into(), serde_json::json!(sig)));
    }
    let params: serde_json::Map<String, serde_json::Value> = params.into_iter().collect();
    (serde_json::json!({ "id": id, "method": method, "params": params }).to_string(), what)
}

#[tokio::test]
async fn doctor_and_sandbox_agree_on_mutated_websocket_api_frames() {
    let sb = TestSandbox::start_with(
        Sandbox::builder().memory().market_maker(false).clock(SandboxClock::fixed(Timestamp::Millis(NOW))),
    )
    .await;
    let mut ws = crate::ws::connect(&sb, "/ws-api/v3").await;
    let mut rng = Rng(0x7773_6170_6964_6f63);
    let mut disagreements = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for id in 0..250 {
        let (frame, what) = ws_frame(&mut rng, id);
        ws.send(Message::Text(frame.clone().into())).await.expect("frame sent");
        let answer = crate::ws::next_json(&mut ws).await;
        let sandbox = answer["error"]["code"].as_i64().map_or(0, |c| c as i32);
        let doctor = diagnose_ws(&frame, None, &ctx()).verdict.code;
        codes.insert(sandbox);
        if sandbox != doctor && !STATEFUL.contains(&sandbox) {
            disagreements.push(format!(
                "[{what}] sandbox {sandbox} ({}), doctor {doctor}: {frame}",
                answer["error"]["msg"]
            ));
        }
    }
    sb.shutdown().await;
    assert!(disagreements.is_empty(), "\n{}", disagreements.join("\n"));
    assert!(codes.len() >= 8, "only these answers: {codes:?}");
}
