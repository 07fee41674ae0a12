//! `mbx stream STREAM...`: market streams until interrupted (Ctrl-C) or `--count` events. With
//! `--output json` each event is printed on its own line exactly as Binance sent it (so `jq` reads
//! it); otherwise as one readable line. Gaps (a lost connection, replaced) go to stderr either way.

use std::io::Write;

use mbx_client::StreamItem;
use mbx_client::types::stream::MarketEvent;

use crate::cli::{OutputFormat, StreamArgs};
use crate::context::Context;
use crate::exit::usage;
use crate::output::Report;

/// Runs the streams, printing as events come.
pub async fn run(ctx: &Context, args: StreamArgs) -> anyhow::Result<Report> {
    for name in &args.streams {
        if let Err(e) = mbx_core::stream::Stream::parse(name) {
            return Err(usage(format!("{name}: {}", e.0)));
        }
    }
    let client = ctx.client(false)?;
    let mut stream = client.market_streams(&args.streams).open().await?;
    let json = ctx.output == OutputFormat::Json;
    let mut seen = 0u64;
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    let stdout = std::io::stdout();
    loop {
        if args.count.is_some_and(|n| seen >= n) {
            break;
        }
        let item = tokio::select! {
            _ = &mut stop => break,
            item = stream.next() => item,
        };
        let Some(item) = item else { break };
        match item {
            StreamItem::Event(e) => {
                seen += 1;
                let line =
                    if json { e.raw.clone() } else { format!("{:<24} {}", e.stream, describe(&e.event)) };
                let mut out = stdout.lock();
                // A closed pipe (`| head`) ends the command quietly.
                if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                    break;
                }
            }
            StreamItem::Gap(gap) => eprintln!("gap: events may be missing ({}); reconnecting", gap.reason),
            StreamItem::Refused(why) => eprintln!("refused: {why}"),
        }
    }
    Ok(Report::plain(String::new()))
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
