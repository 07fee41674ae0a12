//! Market data from the sandbox's own books and trades: `depth`, `trades`, `historicalTrades`,
//! `historicalBlockTrades`, `aggTrades`, `ticker/price`, `ticker/bookTicker`, `avgPrice`; and the `symbol` / `symbols` /
//! `symbolStatus` selection every ticker shares ([`selection`]). Klines are in [`super::klines`], the
//! window tickers in [`super::tickers`].

use super::Reply;
use mbx_core::{ApiError, ErrorCode, Params};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{json, json_value, reports};
use crate::engine::Ticker;
use crate::engine::market_data::AggQuery;
use crate::error::{Result, SandboxError};
use crate::extract::{limit, optional, optional_long, optional_time, required};
use crate::market::Market;
use crate::state::AppState;
use crate::write::decimal::amount;
use crate::write::json::{Object, array};

/// `GET /api/v3/depth`: up to `limit` (default 100, at most 5000) levels a side, best first.
pub async fn depth(state: AppState, params: Params) -> Result<Reply> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let limit = limit(&params, 100, 5000)?;
    symbol_status(&params, true)?;
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
pub async fn trades(state: AppState, params: Params) -> Result<Reply> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let limit = limit(&params, 500, 1000)?;
    let trades = state.engine().recent_trades(symbol, limit).await?;
    Ok(json(array(trades.iter().map(reports::trade))))
}

/// `GET /api/v3/historicalTrades`: trades from `fromId` upwards, or the most recent without it;
/// `limit` (default 500, at most 1000); oldest first. Security `NONE`, as since Binance dropped the
/// API key requirement (CHANGELOG 2023-07-11); a key sent anyway is ignored.
pub async fn historical_trades(state: AppState, params: Params) -> Result<Reply> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let limit = limit(&params, 500, 1000)?;
    let from_id = optional_long(&params, "fromId")?;
    let trades = state.engine().historical_trades(symbol, from_id, limit).await?;
    Ok(json(array(trades.iter().map(reports::trade))))
}

/// `GET /api/v3/historicalBlockTrades`: block trades from `fromId` (mandatory), `limit` (default
/// 500, at most 1000). The sandbox has no block trades, as a venue without them: the answer is an
/// empty list once the parameters pass.
pub async fn historical_block_trades(state: AppState, params: Params) -> Result<Reply> {
    state.market().require_index(required(&params, "symbol")?)?;
    // Mandatory (`-1102` without it), and a number (`-1100` otherwise).
    required(&params, "fromId")?;
    optional_long(&params, "fromId")?;
    limit(&params, 500, 1000)?;
    Ok(json("[]".to_owned()))
}

/// `GET /api/v3/aggTrades`: aggregate trades (see [`crate::engine::market_data`] for how they are
/// formed and numbered), oldest first: from `fromId`, from `startTime` (up to `endTime`), the most
/// recent up to `endTime`, or the most recent. `fromId` cannot be combined with a time (`-1128`); a
/// `startTime` after `endTime` selects nothing.
pub async fn agg_trades(state: AppState, params: Params) -> Result<Reply> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let q = AggQuery {
        from_id: optional_long(&params, "fromId")?,
        start_ms: optional_time(&params, "startTime")?,
        end_ms: optional_time(&params, "endTime")?,
        limit: limit(&params, 500, 1000)?,
    };
    mbx_core::order::combinations(&mbx_core::endpoint::spot::AGG_TRADES, &params)?;
    let aggs = match (q.start_ms, q.end_ms) {
        (Some(start), Some(end)) if start > end => Vec::new(),
        _ => state.engine().agg_trades(symbol, q).await?,
    };
    Ok(json(array(aggs.iter().map(|a| {
        Object::new()
            .field("a", a.agg_id)
            .field("p", amount(a.price))
            .field("q", amount(a.qty))
            .field("f", a.first_id)
            .field("l", a.last_id)
            .field("T", a.time_ms)
            .field("m", a.is_buyer_maker)
            .field("M", true)
            .finish()
    }))))
}

/// How a ticker endpoint takes `symbol` / `symbols`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SymbolRule {
    /// The endpoint, when one of the two must be sent (mbx-core's [`mbx_core::order::either`] and
    /// its table say which endpoints); otherwise neither means every symbol.
    pub either: Option<&'static mbx_core::endpoint::Endpoint>,
    /// Most names `symbols` may hold.
    pub max: Option<usize>,
}

impl SymbolRule {
    /// `symbol`, `symbols` or neither (every symbol), any number.
    pub const OPTIONAL: SymbolRule = SymbolRule { either: None, max: None };
    /// `symbol` or up to 100 `symbols` (`ticker/tradingDay`, `ticker`).
    pub const fn up_to_100(endpoint: &'static mbx_core::endpoint::Endpoint) -> SymbolRule {
        SymbolRule { either: Some(endpoint), max: Some(100) }
    }
}

/// The symbols a ticker asks for, as `(single, indexes)`: `single` when `symbol` was sent (the
/// answer is one object), else the `symbols` list in the order given or every symbol. `symbolStatus`
/// filters them: all sandbox symbols are `TRADING`, so another status refuses a single symbol
/// (`-1220`) and leaves a list empty, as the docs say.
pub(super) fn selection(params: &Params, market: &Market, rule: SymbolRule) -> Result<(bool, Vec<usize>)> {
    if let Some(e) = rule.either {
        mbx_core::order::either(e, params)?;
    }
    let symbol = optional(params, "symbol")?;
    let symbols = optional(params, "symbols")?;
    mbx_core::order::symbol_or_symbols(params)?;
    let (single, picked) = match (symbol, symbols) {
        (Some(s), _) => (true, vec![market.require_index(s)?]),
        (None, Some(list)) => (false, symbol_list(list, market, rule.max)?),
        (None, None) => (false, (0..market.symbols().len()).collect()),
    };
    let keep = symbol_status(params, single)?;
    Ok((single, if keep { picked } else { Vec::new() }))
}

/// `symbolStatus`, where an endpoint takes it: every sandbox symbol is `TRADING`, so `HALT` or
/// `BREAK` refuses a single symbol (`-1220`) and empties a list (`false`); another value is refused.
pub(super) fn symbol_status(params: &Params, single: bool) -> Result<bool> {
    match mbx_core::order::symbol_status_param(params)? {
        None | Some("TRADING") => Ok(true),
        Some(status) if single => Err(SandboxError::rejected(
            ApiError::new(ErrorCode::SYMBOL_DOES_NOT_MATCH_STATUS),
            format!("Every sandbox symbol is TRADING, so none matches symbolStatus={status}."),
        )),
        Some(_) => Ok(false),
    }
}

/// The `symbols` JSON array: names that exist, each once, at most `max`.
fn symbol_list(list: &str, market: &Market, max: Option<usize>) -> Result<Vec<usize>> {
    // How many first (`-1101`), then each name's form and repeats (mbx-core's rule).
    let names = mbx_core::order::string_array("symbols", list)?;
    if let Some(max) = max
        && names.len() > max
    {
        // The message Binance sends (CHANGELOG 2022-06-20); errors.md does not list it.
        return Err(SandboxError::rejected(
            ApiError::with_msg(
                ErrorCode::TOO_MANY_PARAMETERS,
                format!("Too many values sent for parameter 'symbols', maximum allowed up to {max}."),
            ),
            format!("symbols names {} symbols; ask for at most {max} per request.", names.len()),
        ));
    }
    mbx_core::order::check_symbol_names("symbols", &names)?;
    names.iter().map(|n| market.require_index(n)).collect()
}

/// Renders one ticker per symbol: a single object for `symbol`, an array otherwise.
async fn tickers(
    state: &AppState,
    params: &Params,
    render: impl Fn(&str, &Ticker) -> Value,
) -> Result<Reply> {
    let (single, symbols) = selection(params, state.market(), SymbolRule::OPTIONAL)?;
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
pub async fn ticker_price(state: AppState, params: Params) -> Result<Reply> {
    tickers(&state, &params, |symbol, t| json!({ "symbol": symbol, "price": amount(t.price) })).await
}

/// `GET /api/v3/ticker/bookTicker`: best bid and ask with their quantities (zeros for an empty side).
pub async fn book_ticker(state: AppState, params: Params) -> Result<Reply> {
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
pub async fn avg_price(state: AppState, params: Params) -> Result<Reply> {
    let symbol = state.market().require_index(required(&params, "symbol")?)?;
    let mins = state.market().symbols()[symbol].percent_price_by_side.avg_price_mins;
    let avg = state.engine().avg_price(symbol, mins, state.clock().now_ms()).await?;
    Ok(json_value(&json!({ "mins": avg.mins, "price": amount(avg.price), "closeTime": avg.close_time })))
}
