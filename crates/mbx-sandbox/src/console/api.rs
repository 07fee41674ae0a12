//! The console's JSON under `/sandbox/v1/console/...` (loopback clients only) and its live feed.
//!
//! | route | answers |
//! |---|---|
//! | `GET log?key=&status=&path=&transport=&before=&limit=` | `{"recorded","matching","entries"}`, newest first (`limit` default 100, at most 1000) |
//! | `GET log/{id}` | one entry with `rejection` (the request, redacted, and the doctor's diagnosis) |
//! | `GET accounts` | `{"accounts":[{"accountId","name","updateTime","balances","keys"}]}` |
//! | `GET orders?account=&symbol=` | `{"open","history","trades"}` of one account (history and trades: the last 100 a symbol) |
//! | `POST cancel` `{"account","symbol","orderId"}` | the order as cancelled (`DELETE /api/v3/order`'s answer) |
//! | `GET market?symbol=` | `{"symbols","symbol","book","trades","marketMaker"}` |
//! | `GET keys` | the admin API's key list |
//! | `POST /sandbox/v1/keys/permissions` `{"apiKey","permissions"}` | the key with its new permissions (an admin route the admin API lacked; logged like the admin API) |
//! | `GET settings` | `{"serverTime","offsetMs","faults"}` |
//! | `GET live?after=<id>` | a WebSocket: `{"type":"log","recorded","entries"}` (every entry after `after`, in order, batched every 100 ms) and `{"type":"accounts","ids"}` (accounts changed by a commit) |

use std::collections::BTreeSet;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use super::log::{Filter, Transport};
use crate::api::{Reply, json, json_value, reports};
use crate::engine::OrderRef;
use crate::error::{AdminError, Result, SandboxError};
use crate::extract::{Loopback, MAX_BODY, decode_pairs};
use crate::keys::random_client_id;
use crate::state::AppState;
use crate::store::History;
use crate::write::decimal::amount;
use crate::write::json::array;
use crate::ws::liveness::send_within;

/// Most entries one page of the log holds.
const MAX_PAGE: usize = 1000;

/// Most entries one live message holds; more go out in the next message at once.
const LIVE_BATCH: usize = 5000;

/// How often the live feed looks for new entries.
const LIVE_TICK: Duration = Duration::from_millis(100);

/// Rows of history and trades a symbol in `orders`.
const HISTORY_ROWS: u32 = 100;

/// An [`AdminError::Invalid`] for `field`.
fn invalid(field: &'static str, detail: String) -> SandboxError {
    AdminError::Invalid { field, detail }.into()
}

/// The query string's pairs.
fn query(uri: &Uri) -> Result<Vec<(String, String)>> {
    decode_pairs(uri.query().unwrap_or(""), "query string")
}

/// The value of `name` in `pairs`, if sent and not empty.
fn get<'p>(pairs: &'p [(String, String)], name: &str) -> Option<&'p str> {
    pairs.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str())
}

/// `name` as a number, if sent.
fn number<T: std::str::FromStr>(pairs: &[(String, String)], name: &'static str) -> Result<Option<T>> {
    get(pairs, name)
        .map(|v| v.parse::<T>().map_err(|_| invalid(name, format!("{v:?} is not a number"))))
        .transpose()
}

/// `GET /sandbox/v1/console/log`: a page of the request log, newest first.
pub async fn log_page(State(state): State<AppState>, _: Loopback, uri: Uri) -> Result<Reply> {
    let pairs = query(&uri)?;
    let transport = match get(&pairs, "transport") {
        None => None,
        Some("rest") => Some(Transport::Rest),
        Some("ws-api") => Some(Transport::WsApi),
        Some("stream") => Some(Transport::Stream),
        Some(other) => return Err(invalid("transport", format!("{other:?} is not rest, ws-api or stream"))),
    };
    let filter = Filter {
        key: get(&pairs, "key").map(str::to_owned),
        status: get(&pairs, "status").map(str::to_owned),
        path: get(&pairs, "path").map(str::to_owned),
        transport,
    };
    let limit = number::<usize>(&pairs, "limit")?.unwrap_or(100).min(MAX_PAGE);
    let before = number::<u64>(&pairs, "before")?;
    let recorded = state.requests().recorded();
    let (entries, matching) = state.requests().page(&filter, before, limit);
    let entries = array(entries.iter().map(super::Entry::to_json_text));
    Ok(json(format!(r#"{{"recorded":{recorded},"matching":{matching},"entries":{entries}}}"#)))
}

/// `GET /sandbox/v1/console/log/{id}`: one entry with the doctor's diagnosis of a rejection.
pub async fn log_entry(State(state): State<AppState>, _: Loopback, Path(id): Path<String>) -> Result<Reply> {
    let id: u64 = id.parse().map_err(|_| invalid("id", format!("{id:?} is not an entry id")))?;
    match state.requests().get(id) {
        Some(e) => {
            let mut detail = e.detail_json();
            // A secret sent by mistake is shown by its key's name, whichever key it belongs to.
            state.keys().redact_json(&mut detail);
            Ok(json_value(&detail))
        }
        None => {
            Err(invalid("id", format!("no entry {id} (the log keeps the last {})", super::log::CAPACITY)))
        }
    }
}

/// `GET /sandbox/v1/console/accounts`: every account with its balances and how many usable keys
/// it has.
pub async fn accounts(State(state): State<AppState>, _: Loopback) -> Result<Reply> {
    let ids = state.engine().account_ids().await?;
    let keys = state.engine().keys().await?;
    let list: Vec<Value> = ids
        .iter()
        .map(|&id| {
            let view = state.engine().account(id);
            let name = match id {
                crate::seed::DEMO_ACCOUNT_ID => crate::seed::DEMO_ACCOUNT_NAME.to_owned(),
                crate::engine::market_maker::ACCOUNT_ID => {
                    crate::engine::market_maker::ACCOUNT_NAME.to_owned()
                }
                _ => format!("account-{id}"),
            };
            let balances: Vec<Value> = view
                .as_deref()
                .map_or(&[][..], |v| &v.snapshot.balances)
                .iter()
                .map(|b| json!({ "asset": b.asset, "free": amount(b.free), "locked": amount(b.locked) }))
                .collect();
            json!({
                "accountId": id,
                "name": name,
                "updateTime": view.as_deref().map_or(0, |v| v.snapshot.update_ms),
                "balances": balances,
                "keys": keys.iter().filter(|k| k.account_id == id && !k.revoked).count(),
            })
        })
        .collect();
    Ok(json_value(&json!({ "accounts": list })))
}

/// The `account` query parameter (default: the demo account).
fn account(pairs: &[(String, String)]) -> Result<i64> {
    Ok(number::<i64>(pairs, "account")?.unwrap_or(crate::seed::DEMO_ACCOUNT_ID))
}

/// `GET /sandbox/v1/console/orders?account=&symbol=`: one account's open orders, and its last
/// orders and trades on `symbol` (every symbol when not sent), each as the Binance endpoint shows
/// it (`openOrders`, `allOrders`, `myTrades`).
pub async fn orders(State(state): State<AppState>, _: Loopback, uri: Uri) -> Result<Reply> {
    let pairs = query(&uri)?;
    let account_id = account(&pairs)?;
    let symbols: Vec<usize> = match get(&pairs, "symbol") {
        Some(s) => {
            vec![state.market().index(s).ok_or_else(|| invalid("symbol", format!("no symbol {s:?}")))?]
        }
        None => (0..state.market().symbols().len()).collect(),
    };
    let history =
        || History { order_id: None, from_id: None, start_ms: None, end_ms: None, limit: HISTORY_ROWS };
    let open = state
        .engine()
        .open_orders(account_id, symbols.first().copied().filter(|_| symbols.len() == 1))
        .await?;
    let (mut orders, mut trades) = (Vec::new(), Vec::new());
    for &sym in &symbols {
        orders.extend(state.engine().all_orders(account_id, sym, history()).await?);
        trades.extend(state.engine().my_trades(account_id, sym, history()).await?);
    }
    orders.sort_by_key(|o| std::cmp::Reverse(o.update_ms));
    trades.sort_by_key(|t| std::cmp::Reverse(t.time_ms));
    let list = |items: Vec<String>| format!("[{}]", items.join(","));
    let body = format!(
        r#"{{"accountId":{account_id},"open":{},"history":{},"trades":{}}}"#,
        list(open.iter().map(reports::query).collect()),
        list(orders.iter().map(reports::query).collect()),
        list(trades.iter().map(reports::my_trade).collect()),
    );
    Ok(json(body))
}

/// Body of `POST /sandbox/v1/keys/permissions`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PermissionsBody {
    /// Wire: apiKey.
    api_key: String,
    /// Wire: permissions (`TRADE`, `USER_DATA`, `USER_STREAM`; none at all is allowed).
    permissions: Vec<String>,
}

/// `POST /sandbox/v1/keys/permissions` `{"apiKey","permissions"}`: changes what a usable key may
/// do (committed before the answer; the next request is judged by them); answers the key as
/// `GET /sandbox/v1/keys` lists it.
pub async fn set_permissions(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let bytes = crate::extract::read_limited(body, MAX_BODY).await?;
    let req: PermissionsBody = serde_json::from_slice(&bytes).map_err(|e| AdminError::Body(e.to_string()))?;
    let permissions = crate::keys::Permissions::parse(req.permissions.iter().map(String::as_str))
        .map_err(AdminError::Permission)?;
    let Some(key) = state.engine().set_key_permissions(req.api_key.clone(), permissions).await? else {
        return Err(invalid("apiKey", format!("no usable key {}", crate::keys::shorten(&req.api_key))));
    };
    if !key.revoked {
        state.keys().insert(crate::keys::KeyEntry::from_stored(&key)?);
    }
    Ok(json_value(&json!({
        "apiKey": key.api_key,
        "kind": key.material.kind().as_str(),
        "accountId": key.account_id,
        "permissions": key.permissions.names(),
        "revoked": key.revoked,
    })))
}

/// Body of `POST /sandbox/v1/console/cancel`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CancelBody {
    /// Wire: account.
    account: i64,
    /// Wire: symbol.
    symbol: String,
    /// Wire: orderId.
    order_id: u64,
}

/// `POST /sandbox/v1/console/cancel`: cancels one open order of an account, as `DELETE
/// /api/v3/order` would (same events, same answer; `-2011` when it is not open), committed before
/// the answer.
pub async fn cancel(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let bytes = crate::extract::read_limited(body, MAX_BODY).await?;
    let req: CancelBody = serde_json::from_slice(&bytes).map_err(|e| AdminError::Body(e.to_string()))?;
    let symbol = state.market().require_index(&req.symbol)?;
    let cancel_id = random_client_id(22);
    let now = state.clock().now_ms();
    let which = OrderRef { order_id: Some(req.order_id), client_order_id: None };
    let order = state.engine().cancel(req.account, symbol, which, None, cancel_id.clone(), now).await?;
    Ok(json(reports::cancel(&order, &cancel_id, now)))
}

/// `GET /sandbox/v1/console/market?symbol=`: the symbols, and of one (default: the first) its book
/// (20 levels a side), its last 50 trades and the market maker's state there.
pub async fn market(State(state): State<AppState>, _: Loopback, uri: Uri) -> Result<Reply> {
    let pairs = query(&uri)?;
    let specs = state.market().symbols();
    let sym = match get(&pairs, "symbol") {
        Some(s) => state.market().index(s).ok_or_else(|| invalid("symbol", format!("no symbol {s:?}")))?,
        None => 0,
    };
    let Some(spec) = specs.get(sym) else {
        return Ok(json_value(&json!({ "symbols": [], "symbol": null })));
    };
    let depth = state.engine().depth(sym, 20).await?;
    let trades = state.engine().recent_trades(sym, 50).await?;
    let mm = state.engine().market_maker_state(sym).await?;
    let levels = |side: &[(rust_decimal::Decimal, rust_decimal::Decimal)]| -> Value {
        side.iter().map(|(p, q)| json!([amount(*p), amount(*q)])).collect()
    };
    let trades: Vec<Value> = trades
        .iter()
        .rev()
        .map(|t| {
            json!({ "id": t.trade_id, "price": amount(t.price), "qty": amount(t.qty), "time": t.time_ms,
                    "isBuyerMaker": t.buyer_order_id < t.seller_order_id })
        })
        .collect();
    let market_maker = match mm {
        None => json!({ "on": false }),
        Some(m) => json!({
            "on": true,
            "quoting": m.quoting,
            "reference": m.reference.map(amount),
            "size": m.size.map(amount),
            "requotes": m.requotes,
            "openOrders": m.open_orders,
        }),
    };
    Ok(json_value(&json!({
        "symbols": specs.iter().map(|s| s.symbol.as_str()).collect::<Vec<_>>(),
        "symbol": spec.symbol,
        "book": { "lastUpdateId": depth.last_update_id, "bids": levels(&depth.bids), "asks": levels(&depth.asks) },
        "trades": trades,
        "marketMaker": market_maker,
    })))
}

/// `GET /sandbox/v1/console/settings`: the clock and the planned faults.
pub async fn settings(State(state): State<AppState>, _: Loopback) -> Result<Reply> {
    Ok(json_value(&json!({
        "serverTime": state.clock().now_ms(),
        "offsetMs": state.clock().offset_ms(),
        "faults": crate::api::admin::pending_faults(&state),
    })))
}

/// One message of the live feed.
fn log_message(kind: &str, state: &AppState, entries: &[super::Entry]) -> String {
    let first = entries.first().map_or(0, |e| e.id);
    let recorded = state.requests().recorded();
    let entries = array(entries.iter().map(super::Entry::to_json_text));
    format!(r#"{{"type":"{kind}","recorded":{recorded},"first":{first},"entries":{entries}}}"#)
}

/// Sends the newest [`LIVE_BATCH`] entries (`log`), then the older ones, a batch at a time going back
/// (`history`, each batch oldest first); returns the newest id sent (`None`: the page went away).
async fn history(socket: &mut WebSocket, state: &AppState, limit: std::time::Duration) -> Option<u64> {
    let newest = state.requests().recorded();
    let mut from = newest.saturating_sub(LIVE_BATCH as u64);
    let batch = state.requests().since(from, LIVE_BATCH);
    send_within(socket, Message::Text(log_message("log", state, &batch).into()), limit).await.then_some(())?;
    let mut oldest = batch.first().map_or(0, |e| e.id);
    while oldest > 1 {
        from = oldest.saturating_sub(1 + LIVE_BATCH as u64);
        let mut batch =
            state.requests().since(from, usize::try_from(oldest - 1 - from).unwrap_or(LIVE_BATCH));
        // Entries dropped from the ring meanwhile move its start past `from`.
        batch.retain(|e| e.id < oldest);
        let Some(first) = batch.first() else { break };
        oldest = first.id;
        send_within(socket, Message::Text(log_message("history", state, &batch).into()), limit)
            .await
            .then_some(())?;
    }
    Some(batch.last().map_or(newest, |e| e.id))
}

/// `GET /sandbox/v1/console/live?after=<id>`: the live feed (see the module table).
pub async fn live(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    _: Loopback,
    uri: Uri,
) -> Result<Response> {
    let pairs = query(&uri)?;
    let after = number::<u64>(&pairs, "after")?.unwrap_or(0);
    // The page sends nothing but pongs and a close: a small frame limit (tungstenite's default
    // would buffer 64 MiB).
    let ws = ws.max_message_size(MAX_BODY).max_frame_size(MAX_BODY);
    Ok(ws.on_upgrade(move |socket| feed(socket, state, after)).into_response())
}

/// Sends the log after `after` and the accounts changed, until the page goes away or the sandbox
/// stops. A new page (`after` 0) gets the newest entries first, then the older ones, newest batch
/// first (`"type":"history"`), so that what it shows first is painted first.
async fn feed(mut socket: WebSocket, state: AppState, mut after: u64) {
    let mut users = state.engine().subscribe_user();
    // A page that stops reading is dropped after this, as stream clients are (ws/liveness.rs).
    let limit = state.hub().rules().pong_timeout;
    // A page that knew a log further along knew another sandbox (restarted): it starts over.
    if after == 0 || after > state.requests().recorded() {
        let Some(sent) = history(&mut socket, &state, limit).await else { return };
        after = sent;
    }
    let mut changed: BTreeSet<i64> = BTreeSet::new();
    let mut tick = tokio::time::interval(LIVE_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            batch = users.recv() => {
                match batch {
                    Ok(batch) => changed.extend(batch.iter().map(|e| e.account_id)),
                    // Missed some: every account may have changed.
                    Err(RecvError::Lagged(_)) => {
                        changed.insert(0);
                    }
                    Err(RecvError::Closed) => break,
                }
                continue;
            }
            message = socket.recv() => match message {
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
            () = state.stopping() => {
                let _ = send_within(&mut socket, Message::Close(None), limit).await;
                break;
            }
        }
        loop {
            let entries = state.requests().since(after, LIVE_BATCH);
            let Some(last) = entries.last() else { break };
            after = last.id;
            let full = entries.len() == LIVE_BATCH;
            if !send_within(&mut socket, Message::Text(log_message("log", &state, &entries).into()), limit)
                .await
            {
                return;
            }
            if !full {
                break;
            }
        }
        if !changed.is_empty() {
            let ids: Vec<i64> = std::mem::take(&mut changed).into_iter().collect();
            let text = json!({ "type": "accounts", "ids": ids }).to_string();
            if !send_within(&mut socket, Message::Text(text.into()), limit).await {
                return;
            }
        }
    }
}
