//! Market data from the sandbox's own books and trades: `depth`, `trades`, `ticker/price`,
//! `ticker/bookTicker`, `avgPrice`.

use axum::extract::State;
use axum::response::Response;
use mbx_core::{ApiError, ErrorCode, Params};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{json_value, reports};
use crate::engine::Ticker;
use crate::error::{Result, SandboxError};
use crate::extract::{PublicQuery, clip, limit, optional, required};
use crate::market::{Market, amount};
use crate::state::AppState;

/// `GET /api/v3/depth`: up to `limit` (default 100, at most 5000) levels a side, best first.
pub async fn depth(State(state): State<AppState>, PublicQuery(params): PublicQuery) -> Result<Response> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let limit = limit(&params, 100, 5000)?;
    let d = state.engine().depth(symbol, usize::try_from(limit).unwrap_or(usize::MAX)).await?;
    let levels = |side: &[(Decimal, Decimal)]| -> Value {
        side.iter().map(|(p, q)| json!([amount(*p), amount(*q)])).collect()
    };
    Ok(json_value(&json!({
        "lastUpdateId": d.last_update_id,
        "bids": levels(&d.bids),
        "asks": levels(&d.asks),
    })))
}

/// `GET /api/v3/trades`: the most recent `limit` (default 500, at most 1000) trades, oldest first.
pub async fn trades(State(state): State<AppState>, PublicQuery(params): PublicQuery) -> Result<Response> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let limit = limit(&params, 500, 1000)?;
    let trades = state.engine().recent_trades(symbol, limit).await?;
    Ok(json_value(&json!(trades.iter().map(reports::trade).collect::<Vec<_>>())))
}

/// The symbols a ticker asks for: `Some(one)` for `symbol`, else the `symbols` list or every symbol.
fn selection(params: &Params, market: &Market) -> Result<(bool, Vec<usize>)> {
    let symbol = optional(params, "symbol")?;
    let symbols = optional(params, "symbols")?;
    match (symbol, symbols) {
        (Some(_), Some(_)) => Err(SandboxError::rejected(
            ApiError::new(ErrorCode::OPTIONAL_PARAMS_BAD_COMBO),
            "Send symbol or symbols, not both.",
        )),
        (Some(s), None) => Ok((true, vec![market.require_index(s)?])),
        (None, Some(list)) => {
            let names: Vec<String> = serde_json::from_str(list).map_err(|_| {
                SandboxError::rejected(
                    ApiError::new(ErrorCode::ILLEGAL_CHARS),
                    format!(
                        "symbols={} is not a JSON array of names, like [\"BTCUSDT\",\"BNBUSDT\"].",
                        clip(list, 60)
                    ),
                )
            })?;
            if names.is_empty() {
                return Err(SandboxError::rejected(
                    ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["symbols"]),
                    "symbols is an empty array; name at least one symbol.",
                ));
            }
            let mut picked = Vec::with_capacity(names.len());
            for n in &names {
                let i = market.require_index(n)?;
                if picked.contains(&i) {
                    return Err(SandboxError::rejected(
                        ApiError::new(ErrorCode::DUPLICATE_SYMBOLS),
                        format!("{n} appears more than once in symbols."),
                    ));
                }
                picked.push(i);
            }
            Ok((false, picked))
        }
        (None, None) => Ok((false, (0..market.symbols().len()).collect())),
    }
}

/// Renders one ticker per symbol: a single object for `symbol`, an array otherwise.
async fn tickers(
    state: &AppState,
    params: &Params,
    render: impl Fn(&str, &Ticker) -> Value,
) -> Result<Response> {
    let (single, symbols) = selection(params, state.market())?;
    let tickers = state.engine().tickers(symbols).await?;
    let names = state.market().symbols();
    let mut rows: Vec<Value> =
        tickers.iter().filter_map(|t| names.get(t.symbol).map(|s| render(&s.symbol, t))).collect();
    if single && let Some(one) = rows.pop() {
        return Ok(json_value(&one));
    }
    Ok(json_value(&Value::Array(rows)))
}

/// `GET /api/v3/ticker/price`: the last trade price (before any trade, the mid price of the book).
pub async fn ticker_price(
    State(state): State<AppState>,
    PublicQuery(params): PublicQuery,
) -> Result<Response> {
    tickers(&state, &params, |symbol, t| json!({ "symbol": symbol, "price": amount(t.price) })).await
}

/// `GET /api/v3/ticker/bookTicker`: best bid and ask with their quantities (zeros for an empty side).
pub async fn book_ticker(
    State(state): State<AppState>,
    PublicQuery(params): PublicQuery,
) -> Result<Response> {
    tickers(&state, &params, |symbol, t| {
        let (bid, bid_qty) = t.bid.unwrap_or_default();
        let (ask, ask_qty) = t.ask.unwrap_or_default();
        json!({
            "symbol": symbol,
            "bidPrice": amount(bid),
            "bidQty": amount(bid_qty),
            "askPrice": amount(ask),
            "askQty": amount(ask_qty),
        })
    })
    .await
}

/// `GET /api/v3/avgPrice`: the volume-weighted price of the symbol's trades in the last `mins`
/// minutes (the symbol's `avgPriceMins`).
pub async fn avg_price(State(state): State<AppState>, PublicQuery(params): PublicQuery) -> Result<Response> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let mins = state.market().symbols()[symbol].percent_price_by_side.avg_price_mins;
    let avg = state.engine().avg_price(symbol, mins, state.clock().now_ms()).await?;
    Ok(json_value(&json!({ "mins": avg.mins, "price": amount(avg.price), "closeTime": avg.close_time })))
}
