//! `mbx stream STREAM...`: market streams until interrupted (Ctrl-C) or `--count` events. With
//! `--output json` each event is printed on its own line exactly as Binance sent it (so `jq` reads
//! it); otherwise as one readable line. Gaps (a lost connection, replaced) go to stderr either way.

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
    for name in &args.streams {
        if let Err(e) = mbx_core::stream::Stream::parse(name) {
            return Err(usage(format!("{name}: {}", e.0)));
        }
    }
    let client = ctx.client(false)?;
    let mut stream = client.market_streams(&args.streams).open().await?;
    let json = ctx.output == OutputFormat::Json;
    let mut live = Live::new(args.count);
    while let Some(item) = live.next(stream.next()).await {
        match item {
            StreamItem::Event(e) => {
                let line =
                    if json { e.raw.clone() } else { format!("{:<24} {}", e.stream, describe(&e.event)) };
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
    while let Some(item) = live.next(stream.next()).await {
        match item {
            mbx_client::UserItem::Event { kind, event } => {
                let line = if json { event.to_string() } else { format!("{kind:<24} {event}") };
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
    let mut book = client.local_book(&args.symbol).open().await?;
    let json = ctx.output == OutputFormat::Json;
    let redraw = !json && std::io::stdout().is_terminal();
    let mut live = Live::new(args.count);
    while let Some(update) = live.next(book.next()).await {
        match update {
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

    /// Prints one line; `false` once stdout is closed.
    fn print(&mut self, line: &str) -> bool {
        self.printed += 1;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
    }
}

/// One readable line for an event.
fn describe(event: &MarketEvent) -> String {
    match event {
        MarketEvent::Trade(t) => format!(
            "trade {} {} @ {} ({})",
            t.trade_id,
            t.quantity,
            t.price,
            if t.buyer_is_maker { "sell" } else { "buy" }
        ),
        MarketEvent::AggTrade(a) => {
            format!(
                "aggTrade {} {} @ {} (trades {}-{})",
                a.agg_id, a.quantity, a.price, a.first_trade_id, a.last_trade_id
            )
        }
        MarketEvent::Kline(k) => {
            let c = &k.kline;
            format!(
                "kline {} o {} h {} l {} c {} v {}{}",
                c.interval,
                c.open,
                c.high,
                c.low,
                c.close,
                c.volume,
                if c.closed { " (closed)" } else { "" }
            )
        }
        MarketEvent::MiniTicker(m) => {
            format!("{} last {} open {} vol {}", m.symbol, m.close, m.open, m.volume)
        }
        MarketEvent::MiniTickers(list) => format!("{} symbols", list.len()),
        MarketEvent::Ticker(t) => {
            format!(
                "{} last {} change {} ({}%) vol {}",
                t.symbol, t.last_price, t.price_change, t.price_change_percent, t.volume
            )
        }
        MarketEvent::Tickers(list) => format!("{} symbols", list.len()),
        MarketEvent::BookTicker(b) => {
            format!("bid {} x {}  ask {} x {}", b.bid_price, b.bid_quantity, b.ask_price, b.ask_quantity)
        }
        MarketEvent::AvgPrice(a) => format!("avg {} over {}", a.price, a.interval),
        MarketEvent::DepthUpdate(d) => {
            format!(
                "update {}..{}: {} bids, {} asks",
                d.first_update_id,
                d.final_update_id,
                d.bids.len(),
                d.asks.len()
            )
        }
        MarketEvent::PartialDepth(p) => {
            let best = |side: &[mbx_client::types::Level]| {
                side.first().map_or_else(|| "-".to_owned(), |l| format!("{} x {}", l.price, l.qty))
            };
            format!("top {}: bid {}  ask {}", p.bids.len().max(p.asks.len()), best(&p.bids), best(&p.asks))
        }
        MarketEvent::Other(v) => v.to_string(),
    }
}
