//! `GET /api/v3/klines` and `GET /api/v3/uiKlines`: candles built from the sandbox's own trades.
//! How quiet intervals look and what `uiKlines` changes is written in [`crate::engine::market_data`];
//! how intervals and time zones divide time, in [`crate::timeframe`].
//!
//! | parameter | rule | refusal |
//! |---|---|---|
//! | `symbol` | mandatory, a sandbox symbol | `-1102`, `-1121` |
//! | `interval` | mandatory, one of `1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M` (case-sensitive) | `-1102`, `-1120` |
//! | `startTime`, `endTime` | ms or µs; select candles by open time; start after end selects none | `-1100` |
//! | `timeZone` | `-12:00` to `+14:00`, hours or hours:minutes; default `0` | `-1130` |
//! | `limit` | default 500; larger than 1000 is served as 1000 | `-1100` |

use super::Reply;
use mbx_core::Params;
use serde_json::json;

use super::json;
use crate::engine::market_data::{Kline, KlineQuery};
use crate::error::Result;
use crate::extract::{limit, optional_time, required};
use crate::state::AppState;
use crate::timeframe::TimeZone;
use crate::write::decimal::amount;
use crate::write::json::array;

/// `GET /api/v3/klines`.
pub async fn klines(state: AppState, params: Params) -> Result<Reply> {
    serve(&state, &params, false).await
}

/// `GET /api/v3/uiKlines`: the same candles, each opening at the previous close.
pub async fn ui_klines(state: AppState, params: Params) -> Result<Reply> {
    serve(&state, &params, true).await
}

async fn serve(state: &AppState, params: &Params, ui: bool) -> Result<Reply> {
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    let interval = mbx_core::order::interval_value(required(params, "interval")?)?;
    let q = KlineQuery {
        interval,
        time_zone: time_zone(params)?,
        start_ms: optional_time(params, "startTime")?,
        end_ms: optional_time(params, "endTime")?,
        limit: limit(params, 500, 1000)?,
        ui,
    };
    let rows = match (q.start_ms, q.end_ms) {
        (Some(start), Some(end)) if start > end => Vec::new(),
        _ => state.engine().klines(symbol, q, state.clock().now_ms()).await?,
    };
    Ok(json(array(rows.iter().map(row))))
}

/// One candle as the docs' 12-element array: times and the trade count as numbers, prices and
/// volumes as strings, and the unused last field `"0"`.
fn row(k: &Kline) -> String {
    json!([
        k.open_time,
        amount(k.open),
        amount(k.high),
        amount(k.low),
        amount(k.close),
        amount(k.volume),
        k.close_time,
        amount(k.quote_volume),
        k.trades,
        amount(k.taker_buy_base),
        amount(k.taker_buy_quote),
        "0",
    ])
    .to_string()
}

/// The `timeZone` parameter (klines, `ticker/tradingDay`): UTC when absent (mbx-core's
/// [`mbx_core::order::time_zone_param`]).
pub fn time_zone(params: &Params) -> Result<TimeZone> {
    Ok(mbx_core::order::time_zone_param(params)?)
}
