//! Market data: `exchange-info`.

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
