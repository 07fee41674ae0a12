//! Market streams: raw at `/ws/<stream>` (or bare `/ws`), combined at `/stream?streams=a/b` (or bare
//! `/stream`), with live `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY` and
//! `GET_PROPERTY` on either.
//!
//! Stream names are mbx-core's ([`mbx_core::stream::Stream`]): an unknown one is an error, never a
//! silent success. Events come from the market data hub ([`super::hub`]): each is written once and
//! forwarded to every connection that listens to its stream.
//!
//! A connection is counted in the hub's interest before its upgrade is answered, and a `SUBSCRIBE` is
//! answered only once the stream is in the connection's set, so a client that waits for the upgrade
//! (or for the answer) before trading misses none of its trades.
//!
//! Control messages are read as Binance reads them, with its answers: `id` sent, and a 64-bit signed
//! integer, a string of at most 36 characters without spaces, or `null`
//! ([`mbx_core::accept::check_id`], the WebSocket API's rule, which the CHANGELOG extends to
//! streams); the docs' error table for the rest.

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, RawQuery, State};
use axum::http::{Extensions, HeaderValue};
use axum::response::Response;
use futures_util::SinkExt;
use mbx_core::Params;
use mbx_core::stream::Stream;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::broadcast::{self, error::RecvError};

use super::hub::{Frame, Hub};
use super::liveness::{Due, Liveness, answer_close, send_within};
use crate::state::AppState;
use crate::write::micros::{TimeUnit, Times, rescale};

/// Most streams one connection may listen to, as on Binance.
pub const MAX_STREAMS: usize = mbx_core::stream::MAX_STREAMS_PER_CONNECTION;

/// Most frames written together (waiting frames go out in one write).
const BATCH: usize = 64;

/// Largest control message read, in bytes; a larger one closes the connection.
pub const MAX_CONTROL: usize = 256 * 1024;

/// `GET /ws/{*streams}`: raw streams named in the path (`/`-separated); under the Binance.US flavor,
/// `/ws/<listenKey>` is the user data stream of the listenKey's account (see [`open`]).
pub async fn raw(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    Path(streams): Path<String>,
    RawQuery(query): RawQuery,
    extensions: Extensions,
) -> Response {
    open(ws, state, &streams, false, query.as_deref(), &extensions)
}

/// Whether the URL asks for times in microseconds (`timeUnit=MICROSECOND`, any case).
pub(crate) fn micro(query: Option<&str>) -> bool {
    Params::parse_query(query.unwrap_or(""))
        .is_ok_and(|p| p.get("timeUnit").and_then(TimeUnit::parse) == Some(TimeUnit::Microsecond))
}

/// `GET /ws`: a raw connection with no stream yet; subscribe with `SUBSCRIBE`.
pub async fn raw_bare(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    extensions: Extensions,
) -> Response {
    open(ws, state, "", false, query.as_deref(), &extensions)
}

/// HTTP 429 with a hint when the client's address opened more connections than
/// [`super::hub::StreamRules::connections_per_5m`] in 5 minutes.
fn over_limit(state: &AppState, extensions: &Extensions) -> Option<Response> {
    let limit = state.hub().rules().connections_per_5m;
    state.hub().stream_attempts().refuse(extensions, limit, "stream", "reuse connections (SUBSCRIBE on one)")
}

/// `GET /stream?streams=a/b`: combined streams, each event wrapped as `{"stream","data"}`.
pub async fn combined(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    extensions: Extensions,
) -> Response {
    let params = Params::parse_query(query.as_deref().unwrap_or("")).unwrap_or_default();
    let streams = params.get("streams").unwrap_or_default();
    open(ws, state, streams, true, query.as_deref(), &extensions)
}

/// The streams named in `list` (in order, once each, at most `max`: [`MAX_STREAMS`] unless the
/// rules say otherwise), and why the others are not streams.
fn names(list: &str, max: usize) -> (Vec<Stream>, Vec<String>) {
    let (mut out, mut refused): (Vec<Stream>, Vec<String>) = (Vec::new(), Vec::new());
    for name in list.split('/').filter(|s| !s.is_empty()) {
        match Stream::parse(name) {
            Ok(stream) if out.contains(&stream) => {}
            Ok(_) if out.len() == max => {
                refused.push(format!("a connection listens to at most {max} streams"));
            }
            Ok(stream) => out.push(stream),
            Err(e) => refused.push(e.0),
        }
    }
    (out, refused)
}

/// Opens a connection on the streams of `list`. A name that is not a stream is not an error that
/// closes the connection (Binance keeps it open, and clients such as ccxt connect to `/ws/0` and then
/// `SUBSCRIBE`), but it is not taken in silence either: the upgrade's `X-Sandbox-Hint` and the log
/// say why.
/// (`query` is the URL's, for `timeUnit`; `extensions` give the client's address, for the limit of
/// connections per address.)
fn open(
    ws: WebSocketUpgrade,
    state: AppState,
    list: &str,
    combined: bool,
    query: Option<&str>,
    extensions: &Extensions,
) -> Response {
    if let Some(refused) = over_limit(&state, extensions) {
        return refused;
    }
    let micro = micro(query);
    Hub::start(&state);
    // Subscribed before the upgrade answer leaves, so no event after it is missed.
    let frames = state.hub().subscribe();
    let ws = ws.max_message_size(MAX_CONTROL).max_frame_size(MAX_CONTROL);
    // Binance.US: a listenKey in the list is its account's user data stream (legacy docs: at
    // /ws/<listenKey> or /stream?streams=<listenKey>), beside any market streams.
    let (keys, markets): (Vec<&str>, Vec<&str>) = list
        .split('/')
        .filter(|s| !s.is_empty())
        .partition(|name| listen_key_account(&state, name).is_some());
    let (streams, refused) = names(&markets.join("/"), state.hub().rules().max_streams);
    // Binance takes a stream of a symbol it does not list and sends nothing: said in the hint.
    let unlisted = streams
        .iter()
        .filter_map(|s| s.symbol().map(str::to_uppercase))
        .find(|symbol| state.market().index(symbol).is_none());
    let mut conn = Connection {
        streams: Vec::new(),
        listen_keys: Vec::new(),
        keys_only: !keys.is_empty() && streams.is_empty(),
        combined,
        micro,
        state: state.clone(),
    };
    conn.add(streams);
    for key in keys {
        conn.listen(key);
    }
    // As the hub's frames: subscribed before the upgrade answer leaves, so no user event is missed.
    let user_events = (!conn.listen_keys.is_empty()).then(|| state.engine().subscribe_user());
    let mut response = ws.on_upgrade(move |socket| serve(socket, state, frames, user_events, conn));
    let hint = match (refused.first(), unlisted) {
        (Some(why), _) => Some(format!("Not a market stream, nothing is sent for it: {why}.")),
        (None, Some(symbol)) => Some(format!(
            "No symbol {symbol} trades in this sandbox: its streams stay silent (GET /api/v3/exchangeInfo lists the symbols)."
        )),
        (None, None) => None,
    };
    if let Some(hint) = hint {
        tracing::info!(target: "mbx_sandbox::streams", %hint);
        if let Ok(v) = HeaderValue::from_str(&crate::error::header_safe(&hint)) {
            response.headers_mut().insert(crate::error::HINT_HEADER, v);
        }
    }
    response
}

/// The account of `name` when it is a live listenKey of the Binance.US flavor.
fn listen_key_account(state: &AppState, name: &str) -> Option<i64> {
    (state.flavor() == crate::Flavor::Us)
        .then(|| state.listen_keys().lookup(name, state.clock().now_ms()))
        .flatten()
        .map(|(account, _)| account)
}

/// One connection's subscriptions and properties.
struct Connection {
    /// In subscription order.
    streams: Vec<Stream>,
    /// Binance.US: the listenKeys subscribed, each with its account.
    listen_keys: Vec<(String, i64)>,
    /// Opened for listenKeys alone (`/ws/<listenKey>`): it ends with its last key (expired, with
    /// `listenKeyExpired`, or closed by `DELETE`, without: the legacy docs push no event then),
    /// unless market streams were subscribed on it since.
    keys_only: bool,
    /// Whether events are wrapped as `{"stream","data"}`.
    combined: bool,
    /// Whether times are in microseconds (`timeUnit=MICROSECOND`).
    micro: bool,
    state: AppState,
}

impl Drop for Connection {
    fn drop(&mut self) {
        for s in &self.streams {
            self.state.hub().unwant(s.name());
        }
    }
}

async fn serve(
    mut socket: WebSocket,
    state: AppState,
    mut frames: broadcast::Receiver<Arc<Frame>>,
    mut user_events: Option<UserEvents>,
    mut conn: Connection,
) {
    let rules = state.hub().rules();
    let limit = rules.pong_timeout;
    let opened = tokio::time::Instant::now();
    let mut live = Liveness::new(rules);
    // Incoming messages in the current second.
    let (mut second, mut messages) = (opened, 0u32);
    let stop = state.stopping();
    tokio::pin!(stop);
    let mut cuts = state.hub().cuts();
    // User data (listenKeys subscribed, Binance.US): the engine's events, and a check each second
    // for keys that expired; neither exists until a key is subscribed.
    let each_second = || tokio::time::interval(std::time::Duration::from_secs(1));
    let mut key_check: Option<tokio::time::Interval> = user_events.as_ref().map(|_| each_second());
    loop {
        let outgoing = tokio::select! {
            _ = cuts.changed() => break,
            batch = next_user(&mut user_events) => match batch {
                Ok(batch) => {
                    let mut texts = Vec::new();
                    for e in batch.iter() {
                        for (key, _) in conn.listen_keys.iter().filter(|(_, account)| *account == e.account_id) {
                            texts.push(conn.user_text(key, &e.event));
                        }
                    }
                    let mut sent = true;
                    for text in texts {
                        if state.chaos().cut_user_stream() || !send_within(&mut socket, Message::Text(text), limit).await {
                            sent = false;
                            break;
                        }
                    }
                    if !sent {
                        break;
                    }
                    None
                }
                // Fell behind: as on a listenKey's own connection, it closes rather than skip a user
                // data event in silence.
                Err(RecvError::Lagged(_)) => {
                    let _ = send_within(&mut socket, Message::Close(None), limit).await;
                    break;
                }
                Err(RecvError::Closed) => break,
            },
            () = next_tick(&mut key_check) => {
                let now = state.clock().now_ms();
                let (live, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut conn.listen_keys)
                    .into_iter()
                    .partition(|(key, _)| state.listen_keys().lookup(key, now).is_some());
                conn.listen_keys = live;
                let mut sent = true;
                for (key, _) in gone.iter().filter(|(key, _)| !state.listen_keys().was_closed(key)) {
                    let event = json!({ "e": "listenKeyExpired", "E": now, "listenKey": key });
                    if !send_within(&mut socket, Message::Text(conn.user_text(key, &event)), limit).await {
                        sent = false;
                        break;
                    }
                }
                if !sent {
                    break;
                }
                if conn.listen_keys.is_empty() {
                    if conn.keys_only && conn.streams.is_empty() && !gone.is_empty() {
                        let _ = send_within(&mut socket, Message::Close(None), limit).await;
                        break;
                    }
                    (user_events, key_check) = (None, None);
                }
                None
            },
            message = socket.recv() => {
                let now = tokio::time::Instant::now();
                if now.duration_since(second) >= std::time::Duration::from_secs(1) {
                    (second, messages) = (now, 0);
                }
                messages += 1;
                if messages > rules.messages_per_second {
                    // Binance closes with 1008 "Too many requests" (binance-connector-js#530); the rest says why.
                    let reason = format!(
                        "Too many requests: at most {} messages a second (pings, pongs and control messages)",
                        rules.messages_per_second
                    );
                    close(&mut socket, 1008, &reason, limit).await;
                    break;
                }
                match message {
                    Some(Ok(Message::Text(text))) => {
                        let answer = conn.control(text.as_str());
                        // A listenKey subscribed: its events are received before the answer leaves.
                        if user_events.is_none() && !conn.listen_keys.is_empty() {
                            user_events = Some(state.engine().subscribe_user());
                            key_check = Some(each_second());
                        }
                        state.requests().record_control(state.clock().now_ms(), text.as_str(), &answer, now.into_std());
                        Some(Utf8Bytes::from(answer.to_string()))
                    }
                    Some(Ok(Message::Binary(_))) => Some(Utf8Bytes::from(json!({"code": 3, "msg": "Invalid JSON: binary frames are not read"}).to_string())),
                    Some(Ok(Message::Pong(payload))) => {
                        live.pong(&payload);
                        None
                    }
                    Some(Ok(Message::Ping(_))) => None,
                    Some(Ok(Message::Close(_))) => {
                        answer_close(&mut socket, limit).await;
                        break;
                    }
                    Some(Err(_)) | None => break,
                }
            },
            due = live.due() => match due {
                Due::Close(code, reason) => {
                    close(&mut socket, code, reason, limit).await;
                    break;
                }
                Due::Ping => {
                    if !send_within(&mut socket, Message::Ping(super::liveness::PING_PAYLOAD.into()), limit).await {
                        break;
                    }
                    None
                }
            },
            () = &mut stop => {
                let data = json!({ "e": "serverShutdown", "E": state.clock().now_ms() });
                let frame = if conn.combined { json!({ "stream": "!serverShutdown", "data": data }) } else { data };
                let _ = send_within(&mut socket, Message::Text(frame.to_string().into()), limit).await;
                let _ = send_within(&mut socket, Message::Close(None), limit).await;
                break;
            },
            frame = frames.recv() => match frame {
                Ok(frame) => {
                    // The frames already waiting go out with this one, in one write; a client
                    // that does not take them within the pong timeout is dropped (liveness.rs).
                    let chaos = state.chaos();
                    let write = async {
                        let mut batch = 0;
                        let mut next = Some(frame);
                        while let Some(frame) = next.take() {
                            if let Some(text) = conn.event(&frame) {
                                batch += 1;
                                // Chaos: the connection is cut instead of sending the event.
                                if chaos.cut_ws() {
                                    return Err(axum::Error::new("chaos: connection cut"));
                                }
                                socket.feed(Message::Text(text)).await?;
                            }
                            if batch < BATCH {
                                next = frames.try_recv().ok();
                            }
                        }
                        if batch > 0 {
                            socket.flush().await?;
                        }
                        Ok::<(), axum::Error>(())
                    };
                    if !matches!(tokio::time::timeout(limit, write).await, Ok(Ok(()))) {
                        break;
                    }
                    None
                }
                // A slow reader skips what it missed, as on Binance.
                Err(RecvError::Lagged(_)) => None,
                Err(RecvError::Closed) => break,
            },
        };
        if let Some(text) = outgoing
            && (state.chaos().cut_ws() || !send_within(&mut socket, Message::Text(text), limit).await)
        {
            break;
        }
    }
}

/// A receiver of the engine's user data events.
type UserEvents = broadcast::Receiver<Arc<Vec<crate::engine::user_events::UserEvent>>>;

/// The next batch of user data events, when the connection has listenKeys (never, otherwise).
async fn next_user(
    events: &mut Option<UserEvents>,
) -> Result<Arc<Vec<crate::engine::user_events::UserEvent>>, RecvError> {
    match events {
        Some(events) => events.recv().await,
        None => std::future::pending().await,
    }
}

/// The next second's check of the connection's listenKeys (never, without any).
async fn next_tick(tick: &mut Option<tokio::time::Interval>) {
    match tick {
        Some(tick) => {
            tick.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Sends a close frame with `reason` (given up after `limit` on a client that does not read), and
/// says so in the log: many client libraries report a closed connection without its reason.
pub(super) async fn close(socket: &mut WebSocket, code: u16, reason: &str, limit: std::time::Duration) {
    tracing::info!(target: "mbx_sandbox::ws", code, reason, "the sandbox closed a WebSocket connection");
    let frame = CloseFrame { code, reason: reason.chars().take(120).collect::<String>().into() };
    let _ = send_within(socket, Message::Close(Some(frame)), limit).await;
}

/// A control message as Binance reads it (its error texts are serde's).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Control {
    method: ControlMethod,
    #[serde(default)]
    params: Option<Value>,
    /// Absent is not null: `Some(Value::Null)` for `"id": null`.
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
}

/// A field that is present, whatever its value (null included).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// mbx-core's [`mbx_core::stream::CONTROL_METHODS`], as serde reads them (its error text for
/// another name is Binance's; a test keeps the two lists the same).
#[derive(Deserialize, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
enum ControlMethod {
    SUBSCRIBE,
    UNSUBSCRIBE,
    LIST_SUBSCRIPTIONS,
    SET_PROPERTY,
    GET_PROPERTY,
}

impl Connection {
    /// Subscribes the listenKey `key` (live, of the Binance.US flavor: see [`listen_key_account`]).
    fn listen(&mut self, key: &str) {
        if let Some(account) = listen_key_account(&self.state, key)
            && !self.listen_keys.iter().any(|(k, _)| k == key)
        {
            self.listen_keys.push((key.to_owned(), account));
        }
    }

    /// A user data event as this connection sends it: raw, or as `{"stream":"<listenKey>","data"}`.
    fn user_text(&self, key: &str, event: &Value) -> Utf8Bytes {
        let text = if self.combined {
            json!({ "stream": key, "data": event }).to_string()
        } else {
            event.to_string()
        };
        Utf8Bytes::from(if self.micro { rescale(&text, Times::Event) } else { text })
    }

    fn add(&mut self, streams: Vec<Stream>) {
        for s in streams {
            if !self.streams.contains(&s) {
                self.state.hub().want(s.name());
                self.streams.push(s);
            }
        }
    }

    /// The text to send for `frame`, if this connection listens to its stream.
    fn event(&self, frame: &Frame) -> Option<Utf8Bytes> {
        if !self.streams.iter().any(|s| s.name() == frame.stream) {
            return None;
        }
        let text = if self.combined { &frame.combined } else { &frame.raw };
        if self.micro {
            return Some(Utf8Bytes::from(rescale(text.as_str(), Times::Event)));
        }
        Some(text.clone())
    }

    /// Carries out a control message and returns its answer.
    fn control(&mut self, text: &str) -> Value {
        let request: Control = match serde_json::from_str::<Value>(text) {
            Err(e) => return json!({"code": 3, "msg": format!("Invalid JSON: {e}")}),
            Ok(_) => match serde_json::from_str(text) {
                Ok(r) => r,
                Err(e) => return invalid(&e.to_string(), None),
            },
        };
        // The id must be sent (the docs' error table: "had to be provided"), null included.
        let id = match request.id {
            Some(id) if mbx_core::accept::check_id(&id).is_ok() => id,
            _ => return invalid("request ID must be an unsigned integer", None),
        };
        let params = request.params.as_ref();
        match request.method {
            ControlMethod::SUBSCRIBE | ControlMethod::UNSUBSCRIBE => {
                let Some(list) = params.and_then(Value::as_array) else {
                    return invalid("params must be an array of stream names", Some(id));
                };
                let mut wanted = Vec::with_capacity(list.len());
                let mut keys = Vec::new();
                for item in list {
                    match item.as_str().map(|name| (name, Stream::parse(name))) {
                        Some((_, Ok(stream))) => wanted.push(stream),
                        // Binance.US: a listenKey subscribes its user data stream; one that was
                        // subscribed can be unsubscribed after it expired.
                        Some((name, Err(_)))
                            if listen_key_account(&self.state, name).is_some()
                                || self.listen_keys.iter().any(|(k, _)| k == name) =>
                        {
                            keys.push(name.to_owned());
                        }
                        Some((_, Err(e))) => return invalid(&e.0, Some(id)),
                        None => return invalid("params must be stream names like btcusdt@trade", Some(id)),
                    }
                }
                if request.method == ControlMethod::SUBSCRIBE {
                    keys.iter().for_each(|k| self.listen(k));
                } else {
                    self.listen_keys.retain(|(k, _)| !keys.contains(k));
                }
                if request.method == ControlMethod::SUBSCRIBE {
                    let new = wanted.iter().filter(|s| !self.streams.contains(s)).count();
                    let max = self.state.hub().rules().max_streams;
                    if self.streams.len() + new > max {
                        return invalid(&format!("a connection listens to at most {max} streams"), Some(id));
                    }
                    self.add(wanted);
                } else {
                    for s in &wanted {
                        if let Some(i) = self.streams.iter().position(|have| have == s) {
                            self.state.hub().unwant(s.name());
                            self.streams.remove(i);
                        }
                    }
                }
                json!({ "result": null, "id": id })
            }
            ControlMethod::LIST_SUBSCRIPTIONS => {
                let names = self
                    .streams
                    .iter()
                    .map(Stream::name)
                    .chain(self.listen_keys.iter().map(|(k, _)| k.as_str()));
                json!({ "result": names.collect::<Vec<_>>(), "id": id })
            }
            ControlMethod::SET_PROPERTY => match params.and_then(Value::as_array).map(Vec::as_slice) {
                Some([Value::String(p), Value::Bool(on)]) if p == "combined" => {
                    self.combined = *on;
                    json!({ "result": null, "id": id })
                }
                Some([Value::String(p), _]) if p == "combined" => {
                    json!({"code": 1, "msg": "Invalid value type: expected Boolean", "id": id})
                }
                Some([Value::String(_), _]) => json!({"code": 0, "msg": "Unknown property", "id": id}),
                Some([_, _]) | Some([_]) | Some([]) | None => {
                    invalid("property name must be a string", Some(id))
                }
                Some(_) => invalid("too many parameters", Some(id)),
            },
            ControlMethod::GET_PROPERTY => match params.and_then(Value::as_array).map(Vec::as_slice) {
                Some([Value::String(p)]) if p == "combined" => json!({ "result": self.combined, "id": id }),
                Some([Value::String(_)]) => json!({"code": 0, "msg": "Unknown property", "id": id}),
                Some([_]) | Some([]) | None => invalid("property name must be a string", Some(id)),
                Some(_) => invalid("too many parameters", Some(id)),
            },
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

    /// The enum reads exactly mbx-core's list of control methods.
    #[test]
    fn control_methods_are_mbx_core_s() {
        for name in mbx_core::stream::CONTROL_METHODS {
            assert!(serde_json::from_value::<ControlMethod>(json!(name)).is_ok(), "{name}");
        }
        let e = serde_json::from_value::<ControlMethod>(json!("NOPE")).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                format!(
                    "unknown variant `NOPE`, expected one of `{}`",
                    mbx_core::stream::CONTROL_METHODS.join("`, `")
                )
                .as_str()
            )
        );
    }

    #[test]
    fn names_are_read_once_each_and_unknown_ones_refused() {
        let (read, refused) = names("BTCUSDT@trade/btcusdt@trade//ethusdt@kline_1M", MAX_STREAMS);
        assert_eq!(read.iter().map(Stream::name).collect::<Vec<_>>(), ["btcusdt@trade", "ethusdt@kline_1M"]);
        assert!(refused.is_empty());
        let (read, refused) = names("btcusdt@trade/btcusdt@nothing", MAX_STREAMS);
        assert_eq!((read.len(), refused.len()), (1, 1));
        assert!(names(&"k".repeat(64), MAX_STREAMS).1[0].contains("API key"));
    }
}
