//! The window tickers, statistics of the sandbox's own trades over a time window:
//!
//! | endpoint | window | symbols | extra |
//! |---|---|---|---|
//! | `GET /api/v3/ticker/24hr` | `now - 24h` to `now` | `symbol`, `symbols`, or every symbol | `prevClosePrice`, `lastQty`, best bid and ask (`FULL`) |
//! | `GET /api/v3/ticker/tradingDay` | the day holding `now` in `timeZone`, midnight to 23:59:59.999 | `symbol` or up to 100 `symbols` | |
//! | `GET /api/v3/ticker` | from the minute at or before `now - windowSize` to `now` | `symbol` or up to 100 `symbols` | |
//!
//! `type=FULL` (default) or `MINI` (`-1139` otherwise); `symbolStatus` as for every ticker
//! ([`super::market::selection`]). A single `symbol` answers one object, otherwise an array in the
//! order asked. How a window without trades is reported is in [`crate::engine::market_data`].

use super::Reply;
use mbx_core::Params;
use mbx_core::endpoint::spot;

use super::json;
use super::klines::time_zone;
use super::market::{SymbolRule, selection};
use crate::engine::market_data::WindowStats;
use crate::error::Result;
use crate::state::AppState;
use crate::timeframe::DAY_MS;
use crate::write::decimal::amount;
use crate::write::json::{Object, array};

/// `GET /api/v3/ticker/24hr`.
pub async fn ticker_24hr(state: AppState, params: Params) -> Result<Reply> {
    let (single, symbols) = selection(&params, state.market(), SymbolRule::OPTIONAL)?;
    let mini = is_mini(&params)?;
    let now = state.clock().now_ms();
    let day = u64::try_from(DAY_MS).unwrap_or(u64::MAX);
    let stats = state.engine().window_stats(symbols, now.saturating_sub(day), now).await?;
    Ok(render(&state, single, &stats, |o, s| {
        if mini {
            return mini_fields(o, s);
        }
        let (bid, bid_qty) = s.book.bid.unwrap_or_default();
        let (ask, ask_qty) = s.book.ask.unwrap_or_default();
        let o = change_fields(o, s)
            .field("prevClosePrice", amount(s.prev_close))
            .field("lastPrice", amount(s.last))
            .field("lastQty", amount(s.last_qty))
            .field("bidPrice", amount(bid))
            .field("bidQty", amount(bid_qty))
            .field("askPrice", amount(ask))
            .field("askQty", amount(ask_qty))
            .field("openPrice", amount(s.open))
            .field("highPrice", amount(s.high))
            .field("lowPrice", amount(s.low));
        tail_fields(o, s)
    }))
}

/// `GET /api/v3/ticker/tradingDay`.
pub async fn ticker_trading_day(state: AppState, params: Params) -> Result<Reply> {
    let (single, symbols) =
        selection(&params, state.market(), SymbolRule::up_to_100(&spot::TICKER_TRADING_DAY))?;
    let zone = time_zone(&params)?;
    let mini = is_mini(&params)?;
    let now = i64::try_from(state.clock().now_ms()).unwrap_or(i64::MAX);
    let open = zone.day_open(now);
    let to_ms = |t: i64| u64::try_from(t).unwrap_or(0);
    let stats = state.engine().window_stats(symbols, to_ms(open), to_ms(open + DAY_MS - 1)).await?;
    Ok(render(&state, single, &stats, |o, s| if mini { mini_fields(o, s) } else { full_fields(o, s) }))
}

/// `GET /api/v3/ticker` (rolling window; `windowSize` defaults to `1d`).
pub async fn ticker_rolling(state: AppState, params: Params) -> Result<Reply> {
    let (single, symbols) = selection(&params, state.market(), SymbolRule::up_to_100(&spot::TICKER_ROLLING))?;
    let window = mbx_core::order::window_size_param(&params)?;
    let mini = is_mini(&params)?;
    let now = state.clock().now_ms();
    let open = u64::try_from(window.open_before(i64::try_from(now).unwrap_or(i64::MAX))).unwrap_or(0);
    let stats = state.engine().window_stats(symbols, open, now).await?;
    Ok(render(&state, single, &stats, |o, s| if mini { mini_fields(o, s) } else { full_fields(o, s) }))
}

/// `type`: `true` for `MINI`, `false` for `FULL` (the default).
fn is_mini(params: &Params) -> Result<bool> {
    Ok(mbx_core::order::ticker_mini(params)?)
}

/// One object per statistics row, each opened with `symbol`: the single object, or an array.
fn render(
    state: &AppState,
    single: bool,
    stats: &[WindowStats],
    fields: impl Fn(Object, &WindowStats) -> Object,
) -> Reply {
    let names = state.market().symbols();
    let rows: Vec<String> = stats
        .iter()
        .filter_map(|s| {
            names.get(s.symbol).map(|spec| fields(Object::new().field("symbol", &spec.symbol), s))
        })
        .map(Object::finish)
        .collect();
    match (single, rows.as_slice()) {
        (true, [one]) => json(one.clone()),
        _ => json(array(rows)),
    }
}

/// `priceChange`, `priceChangePercent`, `weightedAvgPrice`.
fn change_fields(o: Object, s: &WindowStats) -> Object {
    o.field("priceChange", amount(s.price_change()))
        .field("priceChangePercent", format!("{:.3}", s.price_change_percent()))
        .field("weightedAvgPrice", amount(s.weighted_avg_price()))
}

/// `volume` to `count`, the tail every shape ends with.
fn tail_fields(o: Object, s: &WindowStats) -> Object {
    let id = |id: Option<u64>| id.and_then(|i| i64::try_from(i).ok()).unwrap_or(-1);
    o.field("volume", amount(s.volume))
        .field("quoteVolume", amount(s.quote_volume))
        .field("openTime", s.open_time)
        .field("closeTime", s.close_time)
        .field("firstId", id(s.first_id))
        .field("lastId", id(s.last_id))
        .field("count", s.count)
}

/// The `FULL` shape of `ticker/tradingDay` and `ticker`.
fn full_fields(o: Object, s: &WindowStats) -> Object {
    mini_fields(change_fields(o, s), s)
}

/// The `MINI` shape (and the end of the `FULL` one of `ticker/tradingDay` and `ticker`).
fn mini_fields(o: Object, s: &WindowStats) -> Object {
    let o = o
        .field("openPrice", amount(s.open))
        .field("highPrice", amount(s.high))
        .field("lowPrice", amount(s.low))
        .field("lastPrice", amount(s.last));
    tail_fields(o, s)
}
