//! Conformance: two Rust clients of Binance driven at the mbx sandbox: Binance's own connector,
//! binance_spot_connector_rust (its blocking ureq client and its tungstenite streams), here, and
//! binance-rs (`binance`, typed models) in `binance_rs.rs`.
//!
//! Usage: `mbx-conformance-rust PATH/TO/mbx` (the sandbox is started on a free loopback port, in
//! memory, and stopped).
//!
//! REST: server time, exchange info, depth, account; a LIMIT order placed, queried and cancelled, a
//! second cancel's -2011 with HTTP 400; a MARKET order's fills and my trades; an OCO placed and
//! cancelled; a wrong secret's -1022; an order with an Ed25519 key (made by `openssl genpkey`,
//! registered through the sandbox's admin API).
//! Streams (combined `/stream`, integer ids from 0): trade and diff depth subscribed, a REST trade
//! seen on the trade stream, a diff depth event, LIST_SUBSCRIPTIONS, and `close()` answered with a
//! Close frame.
//!
//! binance-rs: see its module.
//!
//! Prints one line per check and a closing `N passed, N failed` line; exits 1 if any check failed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use binance_spot_connector_rust::http::Credentials;
use binance_spot_connector_rust::http::error::ClientError;
use binance_spot_connector_rust::market::{self, depth::Depth, exchange_info::ExchangeInfo};
use binance_spot_connector_rust::market_stream::{diff_depth::DiffDepthStream, trade::TradeStream};
use binance_spot_connector_rust::trade::{
    self, order::NewOrderResponseType, order::Side, order::TimeInForce,
};
use binance_spot_connector_rust::tungstenite::BinanceWebSocketClient;
use binance_spot_connector_rust::ureq::{BinanceHttpClient, Error};
use rust_decimal::Decimal;
use serde_json::Value;

mod binance_rs;

type Check = Result<String, String>;

pub(crate) struct Sandbox {
    child: Child,
    pub(crate) rest: String,
    pub(crate) ws: String,
    pub(crate) key: String,
    pub(crate) secret: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(mbx: &str) -> Sandbox {
    let mut child = Command::new(mbx)
        .args(["--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--memory"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the sandbox");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("its start line");
    let info: Value = serde_json::from_str(&line).expect("its start line is JSON");
    let field = |name: &str| info[name].as_str().expect(name).to_owned();
    Sandbox { rest: field("rest"), ws: field("ws"), key: field("apiKey"), secret: field("secretKey"), child }
}

pub(crate) fn expect(condition: bool, message: impl Into<String>) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message.into()) }
}

fn json(answer: Result<binance_spot_connector_rust::ureq::Response, Box<Error>>) -> Result<Value, String> {
    let body = answer.map_err(|e| format!("{e:?}"))?.into_body_str().map_err(|e| format!("{e:?}"))?;
    serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
}

/// The Binance error of an answer that must fail: (HTTP status, code, message).
fn refusal(
    answer: Result<binance_spot_connector_rust::ureq::Response, Box<Error>>,
) -> Result<(u16, i16, String), String> {
    let body = answer.map_err(|e| format!("{e:?}"))?.into_body_str();
    match body {
        Err(e) => match *e {
            Error::Client(ClientError::Structured(e)) => Ok((e.status_code, e.data.code, e.data.message)),
            other => Err(format!("not a Binance error: {other:?}")),
        },
        Ok(body) => Err(format!("the call succeeded: {body}")),
    }
}

/// A LIMIT GTC buy of 0.001 BTCUSDT at `price`: its answer.
fn limit_buy(client: &BinanceHttpClient, price: Decimal) -> Result<Value, String> {
    json(
        client.send(
            trade::new_order("BTCUSDT", Side::Buy, "LIMIT")
                .time_in_force(TimeInForce::Gtc)
                .quantity(dec("0.001"))
                .price(price),
        ),
    )
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a decimal")
}

fn rest(sb: &Sandbox, checks: &mut Vec<(&'static str, Check)>) -> Decimal {
    let client =
        BinanceHttpClient::with_url(&sb.rest).credentials(Credentials::from_hmac(&sb.key, &sb.secret));
    checks.push((
        "connector-rust REST: time",
        (|| {
            let t = json(client.send(market::time()))?["serverTime"].as_u64().unwrap_or(0);
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
                as u64;
            expect(t.abs_diff(now) < 60_000, format!("serverTime {t} is not in milliseconds of now"))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust REST: exchange info for one symbol",
        (|| {
            let info = json(client.send(ExchangeInfo::new().symbol("BTCUSDT")))?;
            expect(
                info["symbols"][0]["symbol"] == "BTCUSDT"
                    && info["symbols"].as_array().map(Vec::len) == Some(1),
                format!("{info}"),
            )?;
            Ok(String::new())
        })(),
    ));
    let book = json(client.send(Depth::new("BTCUSDT").limit(5))).unwrap_or_default();
    let bid = book["bids"][0][0].as_str().map(dec).unwrap_or_default();
    checks.push((
        "connector-rust REST: depth",
        expect(bid > Decimal::ZERO && book["asks"][0][0].is_string(), format!("{book}"))
            .map(|()| String::new()),
    ));
    let below = (bid * dec("0.9")).round_dp(2);
    checks.push((
        "connector-rust REST: account",
        (|| {
            let account = json(client.send(trade::account()))?;
            expect(
                account["canTrade"] == true && account["balances"].as_array().is_some_and(|b| !b.is_empty()),
                format!("{account}"),
            )?;
            Ok(String::new())
        })(),
    ));
    let mut order_id = 0;
    checks.push((
        "connector-rust REST: LIMIT order placed, queried, cancelled",
        (|| {
            let placed = limit_buy(&client, below)?;
            expect(placed["status"] == "NEW", format!("{placed}"))?;
            order_id = placed["orderId"].as_u64().ok_or("no orderId")?;
            let queried = json(client.send(trade::get_order("BTCUSDT").order_id(order_id)))?;
            expect(
                queried["status"] == "NEW" && queried["clientOrderId"] == placed["clientOrderId"],
                format!("{queried}"),
            )?;
            let cancelled = json(client.send(trade::cancel_order("BTCUSDT").order_id(order_id)))?;
            expect(cancelled["status"] == "CANCELED", format!("{cancelled}"))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust REST: a second cancel is -2011",
        (|| {
            let (status, code, msg) =
                refusal(client.send(trade::cancel_order("BTCUSDT").order_id(order_id)))?;
            expect(
                (status, code, msg.as_str()) == (400, -2011, "Unknown order sent."),
                format!("{status} {code} {msg}"),
            )?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust REST: MARKET order's fills and my trades",
        (|| {
            let filled = json(
                client.send(
                    trade::new_order("BTCUSDT", Side::Buy, "MARKET")
                        .quantity(dec("0.001"))
                        .new_order_resp_type(NewOrderResponseType::Full),
                ),
            )?;
            expect(
                filled["status"] == "FILLED" && filled["fills"].as_array().is_some_and(|f| !f.is_empty()),
                format!("{filled}"),
            )?;
            let id = filled["orderId"].as_u64().ok_or("no orderId")?;
            let trades = json(client.send(trade::my_trades("BTCUSDT").order_id(id)))?;
            expect(
                trades.as_array().is_some_and(|t| !t.is_empty() && t.iter().all(|t| t["orderId"] == id)),
                format!("{trades}"),
            )?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust REST: OCO placed and cancelled",
        (|| {
            let ask = (bid * dec("1.1")).round_dp(2);
            let list = json(
                client.send(
                    trade::new_oco_order(
                        "BTCUSDT",
                        Side::Sell,
                        dec("0.001"),
                        "LIMIT_MAKER",
                        "STOP_LOSS_LIMIT",
                    )
                    .above_price(ask)
                    .below_price((bid * dec("0.8")).round_dp(2))
                    .below_stop_price((bid * dec("0.81")).round_dp(2))
                    .below_time_in_force(TimeInForce::Gtc),
                ),
            )?;
            expect(
                list["contingencyType"] == "OCO" && list["orders"].as_array().map(Vec::len) == Some(2),
                format!("{list}"),
            )?;
            let id = list["orderListId"].as_u64().ok_or("no orderListId")?;
            let cancelled = json(client.send(trade::cancel_oco_order("BTCUSDT").order_list_id(id)))?;
            expect(cancelled["listOrderStatus"] == "ALL_DONE", format!("{cancelled}"))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust REST: a wrong secret is -1022",
        (|| {
            let wrong = format!("{}x", &sb.secret[..sb.secret.len() - 1]);
            let bad =
                BinanceHttpClient::with_url(&sb.rest).credentials(Credentials::from_hmac(&sb.key, wrong));
            let (status, code, _) = refusal(bad.send(trade::account()))?;
            expect((status, code) == (400, -1022), format!("{status} {code}"))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust REST: an order with an Ed25519 key",
        (|| {
            let (api_key, pem) = ed25519_key(&sb.rest)?;
            let client =
                BinanceHttpClient::with_url(&sb.rest).credentials(Credentials::from_ed25519(api_key, pem));
            let placed = limit_buy(&client, below)?;
            let id = placed["orderId"].as_u64().ok_or(format!("{placed}"))?;
            let cancelled = json(client.send(trade::cancel_order("BTCUSDT").order_id(id)))?;
            expect(cancelled["status"] == "CANCELED", format!("{cancelled}"))?;
            Ok(String::new())
        })(),
    ));
    bid
}

/// An Ed25519 key pair made by `openssl genpkey`, its public key registered on the demo account
/// through the sandbox's admin API: (apiKey, private key PEM).
fn ed25519_key(rest: &str) -> Result<(String, String), String> {
    let run = |args: &[&str], input: Option<&str>| -> Result<String, String> {
        let mut child = Command::new("openssl")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("openssl: {e}"))?;
        if let Some(input) = input {
            use std::io::Write;
            child.stdin.take().ok_or("stdin")?.write_all(input.as_bytes()).map_err(|e| e.to_string())?;
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        String::from_utf8(out.stdout).map_err(|e| e.to_string())
    };
    let private = run(&["genpkey", "-algorithm", "ed25519"], None)?;
    let public = run(&["pkey", "-pubout"], Some(&private))?;
    let answer = ureq::post(&format!("{rest}/sandbox/v1/keys"))
        .set("Content-Type", "application/json")
        .send_string(&serde_json::json!({"kind": "ed25519", "publicKey": public}).to_string())
        .map_err(|e| e.to_string())?;
    let body: Value =
        serde_json::from_str(&answer.into_string().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    Ok((body["apiKey"].as_str().ok_or(format!("{body}"))?.to_owned(), private))
}

/// Credits `amount` of `asset` to the account of `key` through the sandbox's admin API.
pub(crate) fn deposit(rest: &str, key: &str, asset: &str, amount: &str) -> Result<(), String> {
    ureq::post(&format!("{rest}/sandbox/v1/deposit"))
        .set("Content-Type", "application/json")
        .send_string(&serde_json::json!({"apiKey": key, "asset": asset, "amount": amount}).to_string())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn streams(sb: &Sandbox, checks: &mut Vec<(&'static str, Check)>) {
    let mut conn = match BinanceWebSocketClient::connect_with_url(&format!("{}/stream", sb.ws)) {
        Ok(conn) => conn,
        Err(e) => {
            checks.push(("connector-rust streams: connect to /stream", Err(e.to_string())));
            return;
        }
    };
    if let tungstenite::stream::MaybeTlsStream::Plain(tcp) = conn.as_mut().get_mut() {
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(20)));
    }
    // The next text frame for which `want` holds, within 20 s.
    let next = |conn: &mut binance_spot_connector_rust::tungstenite::WebSocketState<_>,
                want: &dyn Fn(&Value) -> bool|
     -> Result<Value, String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let message = conn.as_mut().read().map_err(|e| e.to_string())?;
            if let Ok(text) = message.to_text()
                && let Ok(v) = serde_json::from_str::<Value>(text)
                && want(&v)
            {
                return Ok(v);
            }
        }
        Err("no such frame within 20 s".into())
    };
    checks.push((
        "connector-rust streams: subscribe trade and diff depth (ids from 0)",
        (|| {
            conn.subscribe(vec![
                &TradeStream::new("BTCUSDT").into(),
                &DiffDepthStream::from_100ms("BTCUSDT").into(),
            ]);
            let ack = next(&mut conn, &|v| v.get("id").is_some())?;
            expect(ack["id"] == 0 && ack["result"].is_null(), format!("{ack}"))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust streams: a REST trade on the trade stream",
        (|| {
            let client = BinanceHttpClient::with_url(&sb.rest)
                .credentials(Credentials::from_hmac(&sb.key, &sb.secret));
            let filled = json(
                client.send(
                    trade::new_order("BTCUSDT", Side::Buy, "MARKET")
                        .quantity(dec("0.002"))
                        .new_order_resp_type(NewOrderResponseType::Full),
                ),
            )?;
            // The trade is found by its id (a price can repeat); a MARKET order that found no
            // liquidity has no fill to look for, and says so.
            let trade_id = filled["fills"][0]["tradeId"].clone();
            expect(trade_id.is_u64(), format!("the MARKET order has no fill: {filled}"))?;
            // The trade's depth diff may come before or after the trade event (the diff goes out at
            // its 100 ms tick, the trade when its commit is published): either order is kept.
            let early = std::cell::RefCell::new(None::<Value>);
            let event = next(&mut conn, &|v| {
                if v["data"]["e"] == "depthUpdate" {
                    early.borrow_mut().get_or_insert_with(|| v.clone());
                }
                v["data"]["e"] == "trade" && v["data"]["t"] == trade_id
            })
            .map_err(|e| format!("{e}: trade {trade_id} of {filled}"))?;
            expect(event["stream"] == "btcusdt@trade", format!("{event}"))?;
            let depth = match early.into_inner() {
                Some(depth) => depth,
                None => next(&mut conn, &|v| v["data"]["e"] == "depthUpdate")?,
            };
            expect(
                depth["stream"] == "btcusdt@depth@100ms"
                    && depth["data"]["U"].as_u64() <= depth["data"]["u"].as_u64(),
                format!("{depth}"),
            )?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust streams: LIST_SUBSCRIPTIONS",
        (|| {
            conn.subscriptions();
            let list = next(&mut conn, &|v| v["id"] == 1)?;
            let mut names: Vec<_> = list["result"]
                .as_array()
                .ok_or(format!("{list}"))?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            names.sort_unstable();
            expect(names == ["btcusdt@depth@100ms", "btcusdt@trade"], format!("{list}"))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "connector-rust streams: close() is answered with a Close frame",
        (|| {
            let mut socket: tungstenite::WebSocket<_> = conn.into();
            socket.close(None).map_err(|e| e.to_string())?;
            // tungstenite reads on until the server's Close (then ConnectionClosed); a server that
            // drops the connection instead gives a reset without closing handshake.
            loop {
                match socket.read() {
                    Ok(_) => {}
                    Err(tungstenite::Error::ConnectionClosed) => return Ok(String::new()),
                    Err(e) => return Err(e.to_string()),
                }
            }
        })(),
    ));
}

fn main() {
    let mbx = std::env::args().nth(1).expect("usage: mbx-conformance-rust PATH/TO/mbx");
    let sb = start(&mbx);
    let mut checks = Vec::new();
    rest(&sb, &mut checks);
    streams(&sb, &mut checks);
    binance_rs::run(&sb, &mut checks);
    drop(sb);
    let mut failed = 0;
    for (name, result) in &checks {
        match result {
            Ok(_) => println!("ok   {name}"),
            Err(why) => {
                failed += 1;
                println!("FAIL {name}\n  {why}");
            }
        }
    }
    println!("{} passed, {failed} failed", checks.len() - failed);
    std::process::exit(i32::from(failed > 0));
}
