//! binance (binance-rs, 0.21): its typed models read every answer and event, so a field the sandbox
//! left out or wrote with another type fails here.
//!
//! REST: ping, server time, exchange info and one symbol's filters, depth, prices, book tickers, 24 h
//! and rolling-window statistics, klines, account, a balance, commission and my filters, order rate
//! limits; a LIMIT order placed, queried, listed and cancelled, a second cancel's -2011; a MARKET
//! order's fills and the trade history.
//! User data stream over the WebSocket API (`userDataStream.subscribe.signature`, HMAC): a deposit's
//! `balanceUpdate`, `executionReport`s of the placement, cancel and fill, and `outboundAccountPosition`, all read by
//! its typed events.
//! Market streams (`/ws/<stream>`): a REST trade on `btcusdt@trade`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use binance::account::Account;
use binance::api::Binance;
use binance::config::Config;
use binance::errors::ErrorKind;
use binance::general::General;
use binance::market::Market;
use binance::websockets::{WebSockets, WebsocketEvent};

use crate::{Check, Sandbox, expect};

fn text<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

/// A read that waits 10 s fails instead of hanging the run.
fn time_out(ws: &mut WebSockets) -> Result<(), String> {
    match ws.socket.as_mut().map(|(socket, _)| socket.get_mut()) {
        Some(tungstenite_0_21::stream::MaybeTlsStream::Plain(tcp)) => {
            text(tcp.set_read_timeout(Some(Duration::from_secs(10))))
        }
        _ => Err("not a plain TCP WebSocket".into()),
    }
}

pub fn run(sb: &Sandbox, checks: &mut Vec<(&'static str, Check)>) {
    let config = Config::default()
        .set_rest_api_endpoint(sb.rest.clone())
        .set_ws_endpoint(format!("{}/ws", sb.ws))
        .set_ws_api_endpoint(format!("{}/ws-api/v3", sb.ws));
    let (key, secret) = (Some(sb.key.clone()), Some(sb.secret.clone()));
    let general: General = Binance::new_with_config(None, None, &config);
    let market: Market = Binance::new_with_config(None, None, &config);
    let account: Account = Binance::new_with_config(key.clone(), secret.clone(), &config);

    checks.push((
        "binance-rs REST: ping, time, exchange info, symbol filters",
        (|| {
            expect(text(general.ping())? == "pong", "ping")?;
            let t = text(general.get_server_time())?.server_time;
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
                as u64;
            expect(t.abs_diff(now) < 60_000, format!("serverTime {t}"))?;
            let info = text(general.exchange_info())?;
            expect(info.symbols.iter().any(|s| s.symbol == "BTCUSDT"), "BTCUSDT listed")?;
            expect(!text(general.get_symbol_info("BTCUSDT"))?.filters.is_empty(), "filters")?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "binance-rs REST: depth, prices, book tickers, statistics, klines",
        (|| {
            let book = text(market.get_depth("BTCUSDT"))?;
            expect(
                !book.bids.is_empty() && !book.asks.is_empty() && book.bids[0].price < book.asks[0].price,
                "book",
            )?;
            expect(text(market.get_price("BTCUSDT"))?.price > 0.0, "price")?;
            text(market.get_all_prices())?;
            text(market.get_average_price("BTCUSDT"))?;
            text(market.get_all_book_tickers())?;
            text(market.get_book_ticker("BTCUSDT"))?;
            text(market.get_24h_price_stats("BTCUSDT"))?;
            text(market.get_all_24h_price_stats())?;
            text(market.get_rolling_window_ticker("BTCUSDT", Some("1h".to_string()), false))?;
            text(market.get_trading_day_ticker("BTCUSDT", None::<String>, false))?;
            text(market.get_klines("BTCUSDT", "1m", 10, None, None))?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "binance-rs REST: account, balance, commission, filters, rate limits",
        (|| {
            expect(!text(account.get_account())?.balances.is_empty(), "balances")?;
            expect(text(account.get_balance("USDT"))?.free.parse::<f64>().unwrap_or(0.0) > 0.0, "USDT")?;
            text(account.get_account_commission("BTCUSDT"))?;
            text(account.get_my_filters("BTCUSDT"))?;
            expect(!text(account.get_order_rate_limits())?.is_empty(), "order rate limits")?;
            Ok(String::new())
        })(),
    ));

    // The user data stream, read on its own thread; its events come back by name.
    let (tx, events) = mpsc::channel::<String>();
    let running = std::sync::Arc::new(AtomicBool::new(true));
    let user = std::thread::spawn({
        let (config, key, secret, running) =
            (config.clone(), sb.key.clone(), sb.secret.clone(), running.clone());
        move || -> Result<(), String> {
            let mut ws = WebSockets::new(|e: WebsocketEvent| {
                let name = match e {
                    WebsocketEvent::OrderTrade(r) => {
                        format!("executionReport {} {}", r.execution_type, r.order_id)
                    }
                    WebsocketEvent::OutboundAccountPosition(_) => "outboundAccountPosition".into(),
                    WebsocketEvent::SpotBalanceUpdate(_) => "balanceUpdate".into(),
                    other => format!("{other:?}"),
                };
                let _ = tx.send(name);
                Ok(())
            });
            text(ws.connect_user_data_stream(&key, &secret, &config))?;
            time_out(&mut ws)?;
            text(ws.event_loop(&running))
        }
    });
    // The subscription's answer is swallowed by the library: deposits (through the sandbox's admin
    // API) until one's balanceUpdate arrives tell when the stream is live.
    checks.push((
        "binance-rs user data stream (WebSocket API): a deposit's typed balanceUpdate",
        (|| {
            for _ in 0..50 {
                crate::deposit(&sb.rest, &sb.key, "USDT", "1")?;
                if let Ok(name) = events.recv_timeout(Duration::from_millis(200)) {
                    expect(name == "balanceUpdate", format!("first event: {name}"))?;
                    return Ok(String::new());
                }
            }
            Err("no balanceUpdate after 50 deposits".into())
        })(),
    ));

    let mut placed = 0;
    checks.push((
        "binance-rs REST: LIMIT order placed, queried, listed, cancelled",
        (|| {
            let price = (text(market.get_depth("BTCUSDT"))?.bids[0].price * 0.9).round();
            let t = text(account.limit_buy("BTCUSDT", 0.001, price))?;
            placed = t.order_id;
            expect(t.status == "NEW", format!("{t:?}"))?;
            expect(text(account.order_status("BTCUSDT", placed))?.status == "NEW", "status")?;
            expect(
                text(account.get_open_orders("BTCUSDT"))?.iter().any(|o| o.order_id == placed),
                "open orders",
            )?;
            expect(
                text(account.get_all_orders("BTCUSDT", None, None, None, None))?
                    .iter()
                    .any(|o| o.order_id == placed),
                "all orders",
            )?;
            expect(text(account.cancel_order("BTCUSDT", placed))?.order_id == Some(placed), "cancel")?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "binance-rs REST: a second cancel is -2011",
        (|| match account.cancel_order("BTCUSDT", placed) {
            Err(e) => match e.kind() {
                ErrorKind::BinanceError(b) if b.code == -2011 => Ok(String::new()),
                other => Err(format!("{other:?}")),
            },
            Ok(o) => Err(format!("the cancel succeeded: {o:?}")),
        })(),
    ));
    let mut filled = 0;
    checks.push((
        "binance-rs REST: MARKET order's fills and trade history",
        (|| {
            let t = text(account.market_buy("BTCUSDT", 0.001))?;
            filled = t.order_id;
            expect(
                t.status == "FILLED" && t.fills.as_ref().is_some_and(|f| !f.is_empty()),
                format!("{t:?}"),
            )?;
            expect(
                text(account.trade_history("BTCUSDT"))?.iter().any(|tr| tr.order_id == Some(filled)),
                "trade history",
            )?;
            Ok(String::new())
        })(),
    ));
    checks.push((
        "binance-rs user data stream (WebSocket API): typed executionReports and account positions",
        (|| {
            let want = [
                format!("executionReport NEW {placed}"),
                format!("executionReport CANCELED {placed}"),
                format!("executionReport TRADE {filled}"),
                "outboundAccountPosition".to_string(),
            ];
            let mut seen = Vec::new();
            while !want.iter().all(|w| seen.contains(w)) {
                match events.recv_timeout(Duration::from_secs(5)) {
                    Ok(name) => seen.push(name),
                    Err(_) => return Err(format!("seen {seen:?}, wanted {want:?}")),
                }
            }
            Ok(String::new())
        })(),
    ));
    running.store(false, Ordering::Relaxed);
    // The loop ends at its next frame: a trade's events wake it.
    let _ = account.market_buy("BTCUSDT", 0.001);
    if let Ok(Err(e)) = user.join() {
        checks.push(("binance-rs user data stream: its loop ended in an error", Err(e)));
    }

    checks.push((
        "binance-rs streams: a REST trade on btcusdt@trade",
        (|| {
            // The trades our buys made (their ids, from the REST answers) and those the stream showed:
            // the check ends once one of ours was shown. Trades made before the connection (the wake-up
            // above) may still be on their way to it, so the first trade seen need not be ours, and a
            // trade's event may come before or after its REST answer.
            let bought = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u64>::new()));
            let mut shown = Vec::<u64>::new();
            let waiting = AtomicBool::new(true);
            let mut ws = WebSockets::new(|e: WebsocketEvent| {
                if let WebsocketEvent::Trade(t) = e {
                    shown.push(t.trade_id);
                    if shown.iter().any(|id| bought.lock().unwrap().contains(id)) {
                        waiting.store(false, Ordering::Relaxed);
                    }
                }
                Ok(())
            });
            text(ws.connect_with_config("btcusdt@trade", &config))?;
            time_out(&mut ws)?;
            // Market buys every 100 ms until the stream shows one (the subscription made by the path
            // may be registered just after the handshake): no wait on a guess.
            let buying = std::sync::Arc::new(AtomicBool::new(true));
            let buyer = std::thread::spawn({
                let (buying, bought, rest, key, secret) =
                    (buying.clone(), bought.clone(), sb.rest.clone(), key.clone(), secret.clone());
                move || {
                    let account: Account =
                        Binance::new_with_config(key, secret, &Config::default().set_rest_api_endpoint(rest));
                    for _ in 0..50 {
                        if !buying.load(Ordering::Relaxed) {
                            break;
                        }
                        if let Ok(t) = account.market_buy("BTCUSDT", 0.001) {
                            let ids = t.fills.unwrap_or_default().into_iter().filter_map(|f| f.trade_id);
                            bought.lock().unwrap().extend(ids);
                        }
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            });
            let ended = text(ws.event_loop(&waiting));
            buying.store(false, Ordering::Relaxed);
            buyer.join().map_err(|_| "the buyer panicked")?;
            ended?;
            text(ws.disconnect())?;
            drop(ws);
            let bought = bought.lock().unwrap();
            expect(
                shown.iter().any(|id| bought.contains(id)),
                format!("trades shown {shown:?}, bought {bought:?}"),
            )?;
            Ok(String::new())
        })(),
    ));
}
