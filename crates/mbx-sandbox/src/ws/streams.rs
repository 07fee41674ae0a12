//! Market streams: raw at `/ws/<stream>` (or bare `/ws`), combined at `/stream?streams=a/b` (or bare
//! `/stream`), with live `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY` and
//! `GET_PROPERTY` on either.
//!
//! Served: `<symbol>@trade`, one event per trade of the sandbox's own matching engine, forwarded
//! from the engine's trade feed as soon as the trade is committed (its `t` is the `tradeId` the
//! order's `fills` show). Other well-formed stream names can be subscribed to but carry no events yet.
//!
//! The trade feed is subscribed to before the connection is upgraded, and a `SUBSCRIBE` is answered
//! only once the stream is in the connection's set, so a client that waits for the upgrade (or for
//! the answer) before trading misses none of its trades.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use mbx_core::Params;
use serde_json::{Value, json};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::engine::trade::Trade;
use crate::state::AppState;
use crate::write::decimal::amount;

/// Most streams one connection may listen to, as on Binance.
pub const MAX_STREAMS: usize = 1024;

/// How often the server pings each stream connection.
pub const PING_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

/// Longest stream name accepted, in bytes.
const MAX_NAME: usize = 200;

/// Largest control message read, in bytes; a larger one closes the connection.
pub const MAX_CONTROL: usize = 256 * 1024;

/// `GET /ws/{*streams}`: raw streams named in the path (`/`-separated).
pub async fn raw(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    Path(streams): Path<String>,
) -> Response {
    open(ws, state, names(&streams, '/'), false)
}

/// `GET /ws`: a raw connection with no stream yet; subscribe with `SUBSCRIBE`.
pub async fn raw_bare(ws: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    open(ws, state, Vec::new(), false)
}

/// `GET /stream?streams=a/b`: combined streams, each event wrapped as `{"stream","data"}`.
pub async fn combined(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse_query(query.as_deref().unwrap_or("")).unwrap_or_default();
    let streams = params.get("streams").map(|s| names(s, '/')).unwrap_or_default();
    open(ws, state, streams, true)
}

/// The well-formed stream names in `list`, lowercased, duplicates and the excess over
/// [`MAX_STREAMS`] dropped.
fn names(list: &str, sep: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in list.split(sep).filter_map(normalize) {
        if !out.contains(&name) && out.len() < MAX_STREAMS {
            out.push(name);
        }
    }
    out
}

/// A stream name as the sandbox keeps it (lowercase), or `None` when it is not `<target>@<kind>`.
fn normalize(name: &str) -> Option<String> {
    let (target, kind) = name.split_once('@')?;
    let ok = !target.is_empty()
        && !kind.is_empty()
        && name.len() <= MAX_NAME
        && !name.chars().any(char::is_control);
    ok.then(|| name.to_lowercase())
}

fn open(ws: WebSocketUpgrade, state: AppState, streams: Vec<String>, combined: bool) -> Response {
    // Subscribed before the upgrade answer leaves, so no trade after it is missed.
    let trades = state.engine().subscribe_trades();
    ws.max_message_size(MAX_CONTROL)
        .max_frame_size(MAX_CONTROL)
        .on_upgrade(move |socket| serve(socket, state, trades, Connection { streams, combined }))
}

/// One connection's subscriptions and properties.
#[derive(Debug)]
struct Connection {
    /// In subscription order.
    streams: Vec<String>,
    /// Whether events are wrapped as `{"stream","data"}`.
    combined: bool,
}

async fn serve(
    mut socket: WebSocket,
    state: AppState,
    mut trades: broadcast::Receiver<Trade>,
    mut conn: Connection,
) {
    // Binance pings every 20 s; clients answer with a pong (tungstenite does so by itself).
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let outgoing = tokio::select! {
            message = socket.recv() => match message {
                Some(Ok(Message::Text(text))) => Some(conn.control(text.as_str())),
                Some(Ok(Message::Binary(_))) => Some(json!({"code": 3, "msg": "Invalid JSON: binary frames are not read"})),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => None,
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
                None
            },
            () = state.stopping() => {
                let data = json!({ "e": "serverShutdown", "E": state.clock().now_ms() });
                let frame = if conn.combined { json!({ "stream": "!serverShutdown", "data": data }) } else { data };
                let _ = socket.send(Message::Text(frame.to_string().into())).await;
                let _ = socket.send(Message::Close(None)).await;
                break;
            },
            trade = trades.recv() => match trade {
                Ok(trade) => conn.event(&trade, state.clock().now_ms()),
                // A slow reader skips what it missed, as on Binance.
                Err(RecvError::Lagged(_)) => None,
                Err(RecvError::Closed) => break,
            },
        };
        if let Some(frame) = outgoing
            && socket.send(Message::Text(frame.to_string().into())).await.is_err()
        {
            break;
        }
    }
}

impl Connection {
    /// The frame for `trade`, if this connection listens to its symbol's trade stream.
    fn event(&self, trade: &Trade, now_ms: u64) -> Option<Value> {
        let name = format!("{}@trade", trade.symbol.to_lowercase());
        if !self.streams.contains(&name) {
            return None;
        }
        let data = json!({
            "e": "trade",
            "E": now_ms,
            "s": trade.symbol,
            "t": trade.trade_id,
            "p": amount(trade.price),
            "q": amount(trade.qty),
            "T": trade.time_ms,
            "m": trade.is_buyer_maker,
            "M": true,
        });
        Some(if self.combined { json!({ "stream": name, "data": data }) } else { data })
    }

    /// Carries out a control message and returns its answer.
    fn control(&mut self, text: &str) -> Value {
        let request: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return json!({"code": 3, "msg": format!("Invalid JSON: {e}")}),
        };
        let id = match request.get("id") {
            Some(id @ (Value::Null | Value::Number(_))) => id.clone(),
            Some(Value::String(s)) if s.len() <= 36 && s.chars().all(|c| c.is_ascii_alphanumeric()) => {
                Value::String(s.clone())
            }
            _ => {
                return invalid(
                    "request ID must be an integer, an alphanumeric string of at most 36, or null",
                    None,
                );
            }
        };
        let params = request.get("params");
        let method = match request.get("method").and_then(Value::as_str) {
            Some(m) => m,
            None => return invalid("the field `method` is missing", Some(id)),
        };
        match method {
            "SUBSCRIBE" | "UNSUBSCRIBE" => {
                let Some(list) = params.and_then(Value::as_array) else {
                    return invalid("params must be an array of stream names", Some(id));
                };
                let mut wanted = Vec::with_capacity(list.len());
                for item in list {
                    match item.as_str().and_then(normalize) {
                        Some(name) => wanted.push(name),
                        None => return invalid("params must be stream names like btcusdt@trade", Some(id)),
                    }
                }
                if method == "SUBSCRIBE" {
                    for name in wanted {
                        if !self.streams.contains(&name) {
                            if self.streams.len() >= MAX_STREAMS {
                                return invalid("a connection listens to at most 1024 streams", Some(id));
                            }
                            self.streams.push(name);
                        }
                    }
                } else {
                    self.streams.retain(|s| !wanted.contains(s));
                }
                json!({ "result": null, "id": id })
            }
            "LIST_SUBSCRIPTIONS" => json!({ "result": self.streams, "id": id }),
            "SET_PROPERTY" => match params.and_then(Value::as_array).map(Vec::as_slice) {
                Some([Value::String(p), Value::Bool(on)]) if p == "combined" => {
                    self.combined = *on;
                    json!({ "result": null, "id": id })
                }
                Some([Value::String(p), _]) if p == "combined" => {
                    json!({"code": 1, "msg": "Invalid value type: expected Boolean", "id": id})
                }
                Some([Value::String(_), _]) => json!({"code": 0, "msg": "Unknown property", "id": id}),
                _ => invalid("params must be [\"combined\", true|false]", Some(id)),
            },
            "GET_PROPERTY" => match params.and_then(Value::as_array).map(Vec::as_slice) {
                Some([Value::String(p)]) if p == "combined" => json!({ "result": self.combined, "id": id }),
                Some([Value::String(_)]) => json!({"code": 0, "msg": "Unknown property", "id": id}),
                _ => invalid("params must be [\"combined\"]", Some(id)),
            },
            _ => invalid(
                "method must be SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY or GET_PROPERTY",
                Some(id),
            ),
        }
    }
}

/// Binance's code 2 answer to a malformed control message.
fn invalid(why: &str, id: Option<Value>) -> Value {
    let mut v = json!({"code": 2, "msg": format!("Invalid request: {why}")});
    if let Some(id) = id {
        v["id"] = id;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_well_formed_lowercased_once() {
        assert_eq!(names("BTCUSDT@trade/btcusdt@trade/bad//x@", '/'), vec!["btcusdt@trade"]);
    }

    #[test]
    fn control_subscribe_list_unsubscribe() {
        let mut c = Connection { streams: Vec::new(), combined: false };
        assert_eq!(
            c.control(r#"{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}"#),
            json!({"result": null, "id": 1})
        );
        assert_eq!(
            c.control(r#"{"method":"LIST_SUBSCRIPTIONS","id":"a"}"#)["result"],
            json!(["btcusdt@trade"])
        );
        c.control(r#"{"method":"UNSUBSCRIBE","params":["btcusdt@trade"],"id":2}"#);
        assert!(c.streams.is_empty());
        assert_eq!(c.control("{nope")["code"], 3);
        assert_eq!(c.control(r#"{"method":"NOPE","id":3}"#)["code"], 2);
    }
}
