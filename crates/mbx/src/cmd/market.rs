//! Market data: `exchange-info`, `depth`, `ticker`.

use std::process::ExitCode;

use comfy_table::Table;
use mbx_client::Environment;
use mbx_client::types::SymbolInfo;
use rust_decimal::Decimal;
use serde_json::json;

use crate::cli::{KeyArgs, OutputFormat};
use crate::context::client;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Into::into)
}

/// A decimal as Binance's filters mean it, without trailing zeros; `-` when absent.
fn shown(d: Option<Decimal>) -> String {
    d.map_or_else(|| "-".to_owned(), |d| d.normalize().to_string())
}

/// `mbx exchange-info [SYMBOL]`: the trading rules of every symbol, or of one.
pub fn exchange_info(
    symbol: Option<&str>,
    env: &Environment,
    keys: &KeyArgs,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let c = client(env, keys, false)?;
    let symbol = symbol.map(str::to_ascii_uppercase);
    let info = runtime()?.block_on(c.exchange_info(symbol.as_deref()))?;
    match format {
        OutputFormat::Json => {
            let list: Vec<_> = info.symbols.iter().map(symbol_json).collect();
            println!("{}", serde_json::to_string_pretty(&json!({ "symbols": list }))?);
        }
        OutputFormat::Table => {
            let mut t = Table::new();
            t.set_header(["symbol", "status", "base", "quote", "tick size", "step size", "min notional"]);
            for s in &info.symbols {
                t.add_row([
                    s.symbol.clone(),
                    s.status.clone(),
                    s.base_asset.clone(),
                    s.quote_asset.clone(),
                    shown(s.tick_size()),
                    shown(s.step_size()),
                    shown(s.min_notional()),
                ]);
            }
            println!("{t}");
            println!("{} symbol{}", info.symbols.len(), if info.symbols.len() == 1 { "" } else { "s" });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn symbol_json(s: &SymbolInfo) -> serde_json::Value {
    let text = |d: Option<Decimal>| d.map(|d| d.normalize().to_string());
    json!({
        "symbol": s.symbol,
        "status": s.status,
        "baseAsset": s.base_asset,
        "quoteAsset": s.quote_asset,
        "tickSize": text(s.tick_size()),
        "stepSize": text(s.step_size()),
        "minNotional": text(s.min_notional()),
        "filters": s.filters,
    })
}

fn levels_json(levels: &[mbx_client::types::Level]) -> Vec<[String; 2]> {
    levels.iter().map(|l| [l.price.to_string(), l.qty.to_string()]).collect()
}

/// `mbx depth SYMBOL [--limit N]`: bids and asks side by side, best first.
pub fn depth(
    symbol: &str,
    limit: u32,
    env: &Environment,
    keys: &KeyArgs,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let c = client(env, keys, false)?;
    let book = runtime()?.block_on(c.depth(&symbol.to_ascii_uppercase(), Some(limit)))?;
    match format {
        OutputFormat::Json => {
            let v = json!({
                "lastUpdateId": book.last_update_id,
                "bids": levels_json(&book.bids),
                "asks": levels_json(&book.asks),
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        OutputFormat::Table => {
            let mut t = Table::new();
            t.set_header(["bid qty", "bid", "ask", "ask qty"]);
            let cell = |l: Option<&mbx_client::types::Level>, price: bool| {
                l.map_or_else(String::new, |l| if price { l.price } else { l.qty }.normalize().to_string())
            };
            for i in 0..book.bids.len().max(book.asks.len()) {
                let (b, a) = (book.bids.get(i), book.asks.get(i));
                t.add_row([cell(b, false), cell(b, true), cell(a, true), cell(a, false)]);
            }
            println!("{t}");
            if let (Some(b), Some(a)) = (book.best_bid(), book.best_ask()) {
                println!(
                    "spread {} (last update id {})",
                    (a.price - b.price).normalize(),
                    book.last_update_id
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `mbx ticker SYMBOL [--24h]`: last price, best bid and ask, and optionally the 24-hour statistics.
pub fn ticker(
    symbol: &str,
    day: bool,
    env: &Environment,
    keys: &KeyArgs,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let c = client(env, keys, false)?;
    let symbol = symbol.to_ascii_uppercase();
    let rt = runtime()?;
    let price = rt.block_on(c.ticker_price(&symbol))?;
    let top = rt.block_on(c.book_ticker(&symbol))?;
    let stats = if day { Some(rt.block_on(c.ticker_24h(&symbol))?) } else { None };
    let mut v = json!({
        "symbol": price.symbol,
        "price": price.price.to_string(),
        "bidPrice": top.bid_price.to_string(),
        "bidQty": top.bid_qty.to_string(),
        "askPrice": top.ask_price.to_string(),
        "askQty": top.ask_qty.to_string(),
    });
    let n = |d: Decimal| d.normalize().to_string();
    let mut rows = vec![
        ("symbol", price.symbol.clone()),
        ("price", n(price.price)),
        ("bid", format!("{} x {}", n(top.bid_price), n(top.bid_qty))),
        ("ask", format!("{} x {}", n(top.ask_price), n(top.ask_qty))),
    ];
    if let Some(s) = &stats {
        v["24h"] = json!({
            "openPrice": s.open_price.to_string(),
            "highPrice": s.high_price.to_string(),
            "lowPrice": s.low_price.to_string(),
            "lastPrice": s.last_price.to_string(),
            "priceChange": s.price_change.map(|d| d.to_string()),
            "priceChangePercent": s.price_change_percent.map(|d| d.to_string()),
            "volume": s.volume.to_string(),
            "quoteVolume": s.quote_volume.to_string(),
            "count": s.count,
            "openTime": s.open_time,
            "closeTime": s.close_time,
        });
        let change = match (s.price_change, s.price_change_percent) {
            (Some(c), Some(p)) => format!("{} ({}%)", n(c), n(p)),
            _ => n(s.last_price - s.open_price),
        };
        rows.extend([
            ("24h open", n(s.open_price)),
            ("24h high", n(s.high_price)),
            ("24h low", n(s.low_price)),
            ("24h change", change),
            (
                "24h volume",
                format!(
                    "{} (quote {}) in {} trade{}",
                    n(s.volume),
                    n(s.quote_volume),
                    s.count,
                    if s.count == 1 { "" } else { "s" }
                ),
            ),
        ]);
    }
    crate::output::emit(format, &rows, &v)?;
    Ok(ExitCode::SUCCESS)
}
