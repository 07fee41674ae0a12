//! Market data: `exchange-info`, `depth`, `ticker`.

use mbx_client::types::SymbolInfo;
use rust_decimal::Decimal;
use serde_json::json;

use crate::context::Context;
use crate::output::{Grid, Report};

/// A decimal as Binance's filters mean it, without trailing zeros; `-` when absent.
fn shown(d: Option<Decimal>) -> String {
    d.map_or_else(|| "-".to_owned(), |d| d.normalize().to_string())
}

/// `mbx exchange-info [SYMBOL]`: the trading rules of every symbol, or of one.
pub async fn exchange_info(ctx: &Context, symbol: Option<&str>) -> anyhow::Result<Report> {
    let symbol = symbol.map(str::to_ascii_uppercase);
    let info = ctx.client(false)?.exchange_info(symbol.as_deref()).await?;
    let list: Vec<_> = info.symbols.iter().map(symbol_json).collect();
    let mut grid =
        Grid::new(&["symbol", "status", "base", "quote", "tick size", "step size", "min notional"]);
    for s in &info.symbols {
        grid.row([
            s.symbol.clone(),
            s.status.clone(),
            s.base_asset.clone(),
            s.quote_asset.clone(),
            shown(s.tick_size()),
            shown(s.step_size()),
            shown(s.min_notional()),
        ]);
    }
    let n = info.symbols.len();
    let grid = grid.after(format!("{n} symbol{}\n", if n == 1 { "" } else { "s" }));
    Ok(Report::grid(grid, json!({ "symbols": list })))
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
pub async fn depth(ctx: &Context, symbol: &str, limit: u32) -> anyhow::Result<Report> {
    let book = ctx.client(false)?.depth(&symbol.to_ascii_uppercase(), Some(limit)).await?;
    let json = json!({
        "lastUpdateId": book.last_update_id,
        "bids": levels_json(&book.bids),
        "asks": levels_json(&book.asks),
    });
    let mut grid = Grid::new(&["bid qty", "bid", "ask", "ask qty"]);
    let cell = |l: Option<&mbx_client::types::Level>, price: bool| {
        l.map_or_else(String::new, |l| if price { l.price } else { l.qty }.normalize().to_string())
    };
    for i in 0..book.bids.len().max(book.asks.len()) {
        let (b, a) = (book.bids.get(i), book.asks.get(i));
        grid.row([cell(b, false), cell(b, true), cell(a, true), cell(a, false)]);
    }
    if let (Some(b), Some(a)) = (book.best_bid(), book.best_ask()) {
        let spread = (a.price - b.price).normalize();
        grid = grid.after(format!("spread {spread} (last update id {})\n", book.last_update_id));
    }
    Ok(Report::grid(grid, json))
}

/// `mbx ticker SYMBOL [--24h]`: last price, best bid and ask, and optionally the 24-hour statistics.
pub async fn ticker(ctx: &Context, symbol: &str, day: bool) -> anyhow::Result<Report> {
    let c = ctx.client(false)?;
    let symbol = symbol.to_ascii_uppercase();
    let price = c.ticker_price(&symbol).await?;
    let top = c.book_ticker(&symbol).await?;
    let stats = if day { Some(c.ticker_24h(&symbol).await?) } else { None };
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
    Ok(Report::rows(rows, v))
}
