//! `mbx stream STREAM...`: market streams until interrupted (Ctrl-C) or `--count` events. With
//! `--output json` each event is printed on its own line exactly as Binance sent it (so `jq` reads
//! it); otherwise as a table, one row per event under a header, in aligned columns (time, stream,
//! event, price, quantity, detail). Gaps (a lost connection, replaced) and, for `mbx stream user`,
//! what the reconciliation after a gap found go to stderr either way.

use std::io::{IsTerminal, Write};

use mbx_client::StreamItem;
use mbx_client::types::stream::MarketEvent;

use crate::cli::{BookArgs, OutputFormat, StreamArgs};
use crate::context::Context;
use crate::exit::usage;
use crate::output::Report;

/// Runs the streams, printing as events come.
pub async fn run(ctx: &Context, args: StreamArgs) -> anyhow::Result<Report> {
    if args.streams.iter().any(|s| s == "user") {
        if args.streams.len() > 1 {
            return Err(usage(
                "`mbx stream user` takes no other stream: run market streams in another mbx stream",
            ));
        }
        return user(ctx, args.count).await;
    }
    let mut symbols = Vec::new();
    for name in &args.streams {
        match mbx_core::stream::Stream::parse(name) {
            Err(e) => return Err(usage(format!("{name}: {}", e.0))),
            Ok(s) => symbols.extend(s.symbol().map(str::to_ascii_uppercase)),
        }
    }
    let client = ctx.client(false)?;
    // Binance takes a stream of a symbol it does not have and sends nothing on it: asked first.
    symbols.dedup();
    for symbol in &symbols {
        if let Err(mbx_client::Error::Api(e)) = client.exchange_info(Some(symbol)).await
            && e.code == mbx_core::ErrorCode::BAD_SYMBOL
        {
            return Err(usage(format!(
                "{symbol} is not a symbol of this exchange (exchangeInfo answers {} {}): its streams would stay silent; list the symbols with mbx call GET /api/v3/exchangeInfo",
                e.code.get(),
                e.msg
            )));
        }
    }
    let mut stream = client.market_streams(&args.streams).open().await?;
    let json = ctx.output == OutputFormat::Json;
    let mut live = Live::new(args.count);
    if !json {
        live.header(&Row::header());
    }
    while let Some(item) = live.next(stream.next()).await {
        match item {
            StreamItem::Event(e) => {
                let line = if json { e.raw.clone() } else { market_row(&e.stream, &e.event).text() };
                if !live.print(&line) {
                    break;
                }
            }
            StreamItem::Gap(gap) => eprintln!("gap: events may be missing ({}); reconnecting", gap.reason),
            StreamItem::Refused(why) => eprintln!("refused: {why}"),
        }
    }
    Ok(Report::plain(String::new()))
}

/// `mbx stream user`: the current key's user data stream: by listenKey on Binance.US, else over the
/// WebSocket API (an Ed25519 key logs the session on; other keys subscribe with a signature).
async fn user(ctx: &Context, count: Option<u64>) -> anyhow::Result<Report> {
    let client = ctx.signed_client().await?;
    // Binance.US still serves the listenKey stream (and not the WebSocket API's subscription).
    let mut stream = if ctx.env().venue() == Some(mbx_core::venue::Venue::BinanceUs) {
        UserSource::ListenKey(client.listen_key_stream().await?)
    } else {
        let ws = client.ws_api();
        let ed25519 = ctx
            .key_optional(false)?
            .is_some_and(|k| k.signer().is_ok_and(|s| s.kind() == mbx_core::sign::KeyKind::Ed25519));
        if ed25519 {
            ws.logon().await?;
        }
        UserSource::WsApi(ws.user_stream().await?)
    };
    let json = ctx.output == OutputFormat::Json;
    let mut live = Live::new(count);
    if !json {
        live.header(&Row::header());
    }
    while let Some(item) = live.next(stream.next()).await {
        match item {
            mbx_client::UserItem::Event { kind, event } => {
                let line = if json { event.to_string() } else { user_row(&kind, &event).text() };
                if !live.print(&line) {
                    break;
                }
            }
            mbx_client::UserItem::Gap { reason } => {
                eprintln!("gap: events may be missing ({reason}); resubscribing")
            }
            mbx_client::UserItem::OrderChanged { order } => eprintln!(
                "reconciled: order {} {} {:?} executed {}",
                order.order_id, order.symbol, order.status, order.executed_qty
            ),
            mbx_client::UserItem::OrderGone { symbol, order_id, order } => eprintln!(
                "reconciled: order {order_id} {symbol} closed during the gap: {}",
                order.map_or_else(
                    || "final state unknown".into(),
                    |o| format!("{:?} executed {}", o.status, o.executed_qty)
                )
            ),
            mbx_client::UserItem::BalanceChanged { asset, free, locked } => {
                eprintln!("reconciled: {asset} free {free} locked {locked}")
            }
            mbx_client::UserItem::Resynced { account, open_orders } => eprintln!(
                "resynced: {} balances, {} open orders (the view now equals the exchange's)",
                account.balances.len(),
                open_orders.len()
            ),
        }
    }
    Ok(Report::plain(String::new()))
}

/// Where `mbx stream user` reads from.
enum UserSource {
    WsApi(mbx_client::UserStream),
    ListenKey(mbx_client::ListenKeyStream),
}

impl UserSource {
    async fn next(&mut self) -> Option<mbx_client::UserItem> {
        match self {
            UserSource::WsApi(s) => s.next().await,
            UserSource::ListenKey(s) => s.next().await,
        }
    }
}

/// `mbx book SYMBOL`: the local book's top levels after every change.
pub async fn book(ctx: &Context, args: BookArgs) -> anyhow::Result<Report> {
    if args.depth == 0 || args.depth > 5000 {
        return Err(usage(format!("--depth {}: show 1 to 5000 levels a side", args.depth)));
    }
    let client = ctx.client(false)?;
    // The docs advise a 5000-level snapshot (weight 250); a view of the top hundred levels is kept
    // right by 1000 (weight 50).
    let snapshot = if args.depth <= 100 { 1000 } else { 5000 };
    let mut book = client.local_book(&args.symbol).snapshot_limit(snapshot).open().await?;
    let json = ctx.output == OutputFormat::Json;
    let redraw = !json && std::io::stdout().is_terminal();
    let mut live = Live::new(args.count);
    while let Some(update) = live.next(book.next()).await {
        match update {
            // A symbol Binance does not have, a request it refuses: trying again cannot help.
            Err(e) if !e.is_retryable() => return Err(e.into()),
            Err(e) => eprintln!("snapshot failed ({e}); trying again"),
            Ok(mbx_client::BookUpdate::Resyncing { reason }) => eprintln!("resyncing: {reason}"),
            Ok(mbx_client::BookUpdate::Live { .. }) => {
                let Some(top) = book.top(args.depth) else { continue };
                let text = if json {
                    let side = |levels: &[mbx_client::types::Level]| -> Vec<[String; 2]> {
                        levels.iter().map(|l| [l.price.to_string(), l.qty.to_string()]).collect()
                    };
                    serde_json::json!({
                        "lastUpdateId": top.last_update_id,
                        "bids": side(&top.bids),
                        "asks": side(&top.asks),
                    })
                    .to_string()
                } else {
                    book_table(book.symbol(), &top)
                };
                let clear = if redraw { "\x1b[H\x1b[2J" } else { "" };
                if !live.print(&format!("{clear}{text}")) {
                    break;
                }
            }
        }
    }
    Ok(Report::plain(String::new()))
}

/// The top of the book as text: asks above (best last), bids below (best first).
fn book_table(symbol: &str, top: &mbx_client::BookTop) -> String {
    let mut s = format!("{symbol}  update {}\n{:>20} {:>20}\n", top.last_update_id, "price", "quantity");
    for l in top.asks.iter().rev() {
        s.push_str(&format!("{:>20} {:>20}  ask\n", l.price, l.qty));
    }
    s.push_str(&format!("{:-^42}\n", ""));
    for l in &top.bids {
        s.push_str(&format!("{:>20} {:>20}  bid\n", l.price, l.qty));
    }
    s
}

/// What the live commands share: they run until Ctrl-C or `--count` lines, printing a line at a
/// time (flushed, so a pipe sees each at once; a closed pipe ends the command quietly).
struct Live {
    count: Option<u64>,
    printed: u64,
    stop: std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<()>> + Send>>,
}

impl Live {
    fn new(count: Option<u64>) -> Live {
        Live { count, printed: 0, stop: Box::pin(tokio::signal::ctrl_c()) }
    }

    /// `next`'s item, or `None` once the command should end (interrupted, or `--count` reached).
    async fn next<T>(&mut self, next: impl std::future::Future<Output = Option<T>>) -> Option<T> {
        if self.count.is_some_and(|n| self.printed >= n) {
            return None;
        }
        tokio::select! {
            _ = &mut self.stop => None,
            item = next => item,
        }
    }

    /// Prints a header line (not counted).
    fn header(&mut self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }

    /// Prints one line; `false` once stdout is closed.
    fn print(&mut self, line: &str) -> bool {
        self.printed += 1;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
    }
}

/// One row of the table form: the same columns for every event, each filled as the event has it.
#[derive(Default)]
struct Row {
    /// The event time (UTC, `HH:MM:SS.mmm`), or blank.
    time: String,
    stream: String,
    event: String,
    price: String,
    quantity: String,
    detail: String,
}

impl Row {
    fn header() -> String {
        Row {
            time: "TIME (UTC)".into(),
            stream: "STREAM".into(),
            event: "EVENT".into(),
            price: "PRICE".into(),
            quantity: "QUANTITY".into(),
            detail: "DETAIL".into(),
        }
        .text()
    }

    fn text(&self) -> String {
        let line = format!(
            "{:<12}  {:<22}  {:<16}  {:>18}  {:>18}  {}",
            self.time, self.stream, self.event, self.price, self.quantity, self.detail
        );
        line.trim_end().to_owned()
    }
}

/// `ms` since the epoch as `HH:MM:SS.mmm` (UTC).
fn clock(ms: u64) -> String {
    let day_ms = ms % 86_400_000;
    let (h, m, s, milli) = (day_ms / 3_600_000, day_ms / 60_000 % 60, day_ms / 1000 % 60, day_ms % 1000);
    format!("{h:02}:{m:02}:{s:02}.{milli:03}")
}

fn side(buyer_is_maker: bool) -> &'static str {
    // The taker's side: a buyer who is the maker means the taker sold.
    if buyer_is_maker { "sell" } else { "buy" }
}

fn best(levels: &[mbx_client::types::Level]) -> String {
    levels.first().map_or_else(|| "-".to_owned(), |l| format!("{} x {}", l.price, l.qty))
}

/// The row of a market stream event.
fn market_row(stream: &str, event: &MarketEvent) -> Row {
    let mut r = Row { stream: stream.to_owned(), ..Row::default() };
    match event {
        MarketEvent::Trade(t) => {
            r.time = clock(t.event_time);
            r.event = "trade".into();
            (r.price, r.quantity) = (t.price.to_string(), t.quantity.to_string());
            r.detail = format!("#{} {}", t.trade_id, side(t.buyer_is_maker));
        }
        MarketEvent::AggTrade(a) => {
            r.time = clock(a.event_time);
            r.event = "aggTrade".into();
            (r.price, r.quantity) = (a.price.to_string(), a.quantity.to_string());
            r.detail = format!(
                "#{} trades {}-{} {}",
                a.agg_id,
                a.first_trade_id,
                a.last_trade_id,
                side(a.buyer_is_maker)
            );
        }
        MarketEvent::Kline(k) => {
            let c = &k.kline;
            r.time = clock(k.event_time);
            r.event = format!("kline {}", c.interval);
            (r.price, r.quantity) = (c.close.to_string(), c.volume.to_string());
            r.detail = format!(
                "o {} h {} l {} c {}{}",
                c.open,
                c.high,
                c.low,
                c.close,
                if c.closed { " closed" } else { "" }
            );
        }
        MarketEvent::MiniTicker(m) => {
            r.time = clock(m.event_time);
            r.event = "miniTicker".into();
            (r.price, r.quantity) = (m.close.to_string(), m.volume.to_string());
            r.detail = format!("o {} h {} l {}", m.open, m.high, m.low);
        }
        MarketEvent::Ticker(t) => {
            r.time = clock(t.event_time);
            r.event = t.event_type.clone();
            (r.price, r.quantity) = (t.last_price.to_string(), t.volume.to_string());
            r.detail =
                format!("change {} ({}%) h {} l {}", t.price_change, t.price_change_percent, t.high, t.low);
        }
        MarketEvent::MiniTickers(list) => {
            r.event = "miniTickers".into();
            r.detail = format!("{} symbol{}", list.len(), if list.len() == 1 { "" } else { "s" });
        }
        MarketEvent::Tickers(list) => {
            r.event = "tickers".into();
            r.detail = format!("{} symbol{}", list.len(), if list.len() == 1 { "" } else { "s" });
        }
        MarketEvent::BookTicker(b) => {
            r.event = "bookTicker".into();
            r.detail = format!(
                "bid {} x {}  ask {} x {}  #{}",
                b.bid_price, b.bid_quantity, b.ask_price, b.ask_quantity, b.update_id
            );
        }
        MarketEvent::AvgPrice(a) => {
            r.time = clock(a.event_time);
            r.event = "avgPrice".into();
            r.price = a.price.to_string();
            r.detail = format!("over {}", a.interval);
        }
        MarketEvent::DepthUpdate(d) => {
            r.time = clock(d.event_time);
            r.event = "depthUpdate".into();
            r.detail = format!(
                "#{}..{}  {} bids, {} asks  bid {}  ask {}",
                d.first_update_id,
                d.final_update_id,
                d.bids.len(),
                d.asks.len(),
                best(&d.bids),
                best(&d.asks)
            );
        }
        MarketEvent::PartialDepth(p) => {
            r.event = format!("depth{}", p.bids.len().max(p.asks.len()));
            r.detail = format!("bid {}  ask {}  #{}", best(&p.bids), best(&p.asks), p.last_update_id);
        }
        MarketEvent::Other(v) => {
            r.event = v.get("e").and_then(|e| e.as_str()).unwrap_or("?").to_owned();
            r.detail = v.to_string();
        }
    }
    r
}

/// The row of a user data event.
fn user_row(kind: &str, event: &serde_json::Value) -> Row {
    use mbx_client::types::user::UserEvent;
    use mbx_core::WireValue;
    let mut r = Row { stream: "user".into(), event: kind.to_owned(), ..Row::default() };
    if let Some(ms) = event.get("E").and_then(serde_json::Value::as_u64) {
        r.time = clock(ms);
    }
    match UserEvent::parse(event) {
        Ok(UserEvent::ExecutionReport(x)) => {
            r.event = format!("order {}", x.execution_type);
            let traded = x.execution_type == "TRADE";
            r.price = if traded { x.last_price } else { x.price }.to_string();
            r.quantity = if traded { x.last_quantity } else { x.quantity }.to_string();
            r.detail = format!(
                "{} #{} {} {} {}  executed {} of {}",
                x.symbol,
                x.order_id,
                x.side.wire(),
                x.order_type.wire(),
                x.status.wire(),
                x.cumulative_quantity,
                x.quantity
            );
        }
        Ok(UserEvent::AccountPosition(p)) => {
            r.event = "balances".into();
            let list: Vec<String> = p
                .balances
                .iter()
                .map(|b| format!("{} free {} locked {}", b.asset, b.free, b.locked))
                .collect();
            r.detail = list.join("; ");
        }
        Ok(UserEvent::BalanceUpdate(d) | UserEvent::ExternalLockUpdate(d)) => {
            r.quantity = d.delta.to_string();
            r.detail = d.asset;
        }
        Ok(UserEvent::ListStatus(l)) => {
            r.event = "orderList".into();
            let ids: Vec<String> = l.orders.iter().map(|o| format!("#{}", o.order_id)).collect();
            r.detail = format!(
                "{} list #{} {} {} {}  orders {}",
                l.symbol,
                l.order_list_id,
                l.contingency_type,
                l.list_status_type,
                l.list_order_status,
                ids.join(" ")
            );
        }
        _ => r.detail = event.to_string(),
    }
    r
}
