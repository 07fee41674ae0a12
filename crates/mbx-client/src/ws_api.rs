//! The WebSocket API (`/ws-api/v3`): [`WsApi`], requests and answers matched by `id`, many in flight
//! on one connection.
//!
//! * Every method of mbx-core's table, by name ([`WsApi::request`]): a signed method gets the
//!   client's `apiKey`, a `timestamp` (corrected by the measured clock offset), its `recvWindow` and
//!   a `signature` over the parameters sorted by name (`mbx_core::payload::ws_api_payload`); after
//!   [`WsApi::logon`] (Ed25519 keys) the session is authenticated and requests carry no key or
//!   signature. A `-1021` answer (never executed) re-measures the clock over REST and sends the
//!   request once more with a fresh timestamp, as REST requests do.
//! * Orders keep REST's rule: [`WsApi::place_order`] gives each order a client order id, and an
//!   answer that never comes (timeout, lost connection) is settled by looking the order up by that
//!   id; it is sent again only once the lost request can provably never be placed (see
//!   [`NewOrder::send`](crate::NewOrder::send)).
//! * A lost connection fails the requests in flight (orders: as above) and is opened again by the
//!   next request; a logged-on session logs on again. A request not answered within the timeout
//!   closes the connection too: the server answers a connection's requests in order, so the
//!   requests behind it would wait as long (and, after a 429 meanwhile, arrive too late).
//! * The `rateLimits` of the last answer are kept ([`WsApi::rate_limits`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use mbx_core::endpoint::{self, Security};
use mbx_core::payload::ws_api_payload;
use mbx_core::{ApiError, ErrorCode, Params};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

use crate::Client;
use crate::error::{Error, Result};
use crate::types::{Account, Order};
use crate::user_view::UserView;
use rust_decimal::Decimal;

/// The weight of opening a WebSocket API connection (web-socket-api.md, IP limits).
const CONNECT_WEIGHT: u32 = 2;

/// Answers waiting, by request id.
type Waiting = Arc<Mutex<HashMap<String, oneshot::Sender<Result<Value>>>>>;

/// A WebSocket API connection of a [`Client`] (cheap to clone; clones share the connection).
#[derive(Clone, Debug)]
pub struct WsApi {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: Client,
    conn: tokio::sync::Mutex<Option<Conn>>,
    /// Whether `session.logon` was done (to do it again on a new connection).
    logged_on: AtomicBool,
    next_id: AtomicU64,
    rate_limits: Mutex<Value>,
    /// How long an answer may take.
    timeout: Duration,
    /// Where user data events go (a [`UserStream`]'s channel), each with the connection it came
    /// on: `Some(event)` for each `{"subscriptionId","event"}` frame, `None` when the connection
    /// was lost.
    events: Mutex<Option<mpsc::Sender<Forwarded>>>,
    /// What could not be queued because the reader was behind, as the number of the newest
    /// connection it concerns plus one (0: nothing). `ended_on`: the end of the connection or of
    /// its subscription (`eventStreamTerminated`); `dropped_on`: an event. The reader, once it has
    /// read what is queued, reports the gap; then it subscribes again (ended) or reconciles
    /// (dropped), so that nothing is passed over in silence.
    ended_on: AtomicU64,
    dropped_on: AtomicU64,
    /// The number of the next connection.
    next_conn: AtomicU64,
}

/// A user data frame, or the end of its connection (`None`), with the connection's number.
#[derive(Debug)]
struct Forwarded {
    conn: u64,
    frame: Option<Value>,
}

/// One open connection: where requests go and who waits for answers.
#[derive(Debug)]
struct Conn {
    out: mpsc::UnboundedSender<String>,
    waiting: Waiting,
    alive: Arc<AtomicBool>,
    /// This connection's number (in order of opening), which tags its user data frames.
    number: u64,
}

impl Client {
    /// The WebSocket API at this client's `ws_api_url`; the connection opens on the first request.
    ///
    /// ```no_run
    /// # async fn run() -> mbx_client::Result<()> {
    /// use mbx_client::{Client, Environment};
    /// use mbx_core::model::{OrderType, Side};
    /// let client = Client::builder()
    ///     .environment(Environment::Sandbox)
    ///     .api_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
    ///     .hmac_secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
    ///     .build()?;
    /// let ws = client.ws_api();
    /// let order = ws.place_order(client.new_order("BTCUSDT", Side::Buy, OrderType::Market).quantity("0.001".parse().unwrap())).await?;
    /// println!("{:?}", order.status);
    /// # Ok(()) }
    /// ```
    pub fn ws_api(&self) -> WsApi {
        WsApi {
            inner: Arc::new(Inner {
                client: self.clone(),
                conn: tokio::sync::Mutex::new(None),
                logged_on: AtomicBool::new(false),
                next_id: AtomicU64::new(1),
                rate_limits: Mutex::new(Value::Null),
                timeout: Duration::from_secs(10),
                events: Mutex::new(None),
                ended_on: AtomicU64::new(0),
                dropped_on: AtomicU64::new(0),
                next_conn: AtomicU64::new(0),
            }),
        }
    }
}

impl WsApi {
    /// A new connection handle (none open yet) whose answers may take `timeout` (default 10 s)
    /// before a request is given up (an order is then looked up).
    #[must_use]
    pub fn with_timeout(self, timeout: Duration) -> WsApi {
        let api = self.inner.client.ws_api();
        let mut inner =
            Arc::try_unwrap(api.inner).unwrap_or_else(|_| unreachable!("a fresh handle is not shared"));
        inner.timeout = timeout;
        WsApi { inner: Arc::new(inner) }
    }

    /// Calls `method` (`order.place`, `account.status`, `depth`, ...) with `params`, signed as its
    /// security type needs, and returns the answer's `result`. A rejection is [`Error::Api`] with
    /// Binance's code.
    pub async fn request(&self, method: &str, params: Params) -> Result<Value> {
        self.request_on(method, params).await.map(|(answer, _)| answer)
    }

    /// [`WsApi::request`], also giving the number of the connection that answered.
    async fn request_on(&self, method: &str, params: Params) -> Result<(Value, u64)> {
        let security = match (endpoint::ws_method(method), endpoint::ws_session(method)) {
            (Some(e), _) => e.security,
            (None, Some(s)) => s.security,
            (None, None) => return Err(Error::Config(format!("'{method}' is not a WebSocket API method"))),
        };
        // A timestamp the caller set is kept as it is; one this handle adds is taken afresh on a
        // retry.
        // (Kept for that retry only: an order placed with its own timestamp is not copied.)
        let stamped_here = security.needs_signature() && params.get("timestamp").is_none();
        let unstamped = stamped_here.then(|| params.clone());
        let answer = self.send_on(method, self.authenticate(params, security)?).await;
        match (answer, unstamped) {
            // A -1021 rejection means the request was not executed: re-measure the clock and send
            // once more, with a fresh timestamp and signature (as REST requests do).
            (Err(Error::Api(e)), Some(params)) if e.code == ErrorCode::INVALID_TIMESTAMP => {
                tracing::debug!(method, "-1021: re-syncing the clock and retrying once");
                self.inner.client.sync_time_with(3).await?;
                self.send_on(method, self.authenticate(params, security)?).await
            }
            (other, _) => other,
        }
    }

    /// [`WsApi::request`], its result decoded as `T`.
    pub async fn call<T: DeserializeOwned>(&self, method: &str, params: Params) -> Result<T> {
        let v = self.request(method, params).await?;
        serde_json::from_value(v)
            .map_err(|e| Error::Decode { path: method.to_owned(), detail: e.to_string() })
    }

    /// Logs the connection on with the client's Ed25519 key (`session.logon`): later requests need
    /// no key or signature, and a new connection logs on again by itself.
    pub async fn logon(&self) -> Result<Value> {
        let params = self.signed(Params::new())?;
        let v = self.send("session.logon", params).await?;
        self.inner.logged_on.store(true, Ordering::Release);
        Ok(v)
    }

    /// Places an order built with [`Client::new_order`] (`order.place`), exactly once: checked
    /// against the symbol's filters first when the client's pre-flight is on; an unknown outcome (a
    /// lost connection, no answer in time, `-1006`, `-1007`, a 5xx) is settled by the rule of
    /// [`NewOrder::send`](crate::NewOrder::send): looked up by its client order id (over REST), and
    /// sent again on this connection only once the server's clock is past the lost request's
    /// `timestamp + recvWindow` and a last lookup still finds nothing.
    pub async fn place_order(&self, order: crate::NewOrder) -> Result<Order> {
        let (client, params, id) = order.prepare();
        crate::NewOrder::preflight(&client, &params).await?;
        crate::settle::place(&client, crate::settle::Via::Ws(self), params, &id).await
    }

    /// Validates an order built with [`Client::new_order`] (`order.test`): nothing is placed.
    pub async fn test_order(&self, order: crate::NewOrder) -> Result<()> {
        let (client, params, _) = order.prepare();
        crate::NewOrder::preflight(&client, &params).await?;
        self.request("order.test", params).await.map(|_| ())
    }

    /// Cancels an order by id (`order.cancel`). An order of an order list cancels the whole list,
    /// and Binance then answers with the list's cancel: this order's report is taken from it.
    pub async fn cancel_order(&self, symbol: &str, order_id: u64) -> Result<Order> {
        let answer: serde_json::Value =
            self.call("order.cancel", Params::new().text("symbol", symbol).int("orderId", order_id)).await?;
        let report = match answer.get("orderReports").and_then(serde_json::Value::as_array) {
            Some(reports) => reports.iter().find(|r| r["orderId"] == order_id).cloned().unwrap_or(answer),
            None => answer,
        };
        serde_json::from_value(report)
            .map_err(|e| crate::Error::Decode { path: "order.cancel".into(), detail: e.to_string() })
    }

    /// The account (`account.status`).
    pub async fn account(&self) -> Result<Account> {
        self.call("account.status", Params::new()).await
    }

    /// The account's user data stream on this connection: `userDataStream.subscribe` on a logged-on
    /// session, else `userDataStream.subscribe.signature` (any key type). See [`UserStream`].
    pub async fn user_stream(&self) -> Result<UserStream> {
        let (tx, rx) = mpsc::channel(4096);
        *self.inner.events.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
        self.inner.ended_on.store(0, Ordering::Release);
        self.inner.dropped_on.store(0, Ordering::Release);
        let (subscription, conn) = self.subscribe().await?;
        // The view starts from a snapshot taken once the events flow: nothing falls between.
        let (account, open_orders) = crate::user_view::snapshot(&self.inner.client).await?;
        let view = UserView::from_snapshot(&account, &open_orders);
        Ok(UserStream {
            ws: self.clone(),
            rx,
            subscription,
            conn,
            pending: std::collections::VecDeque::new(),
            view,
            due: Due::Nothing,
        })
    }

    /// Subscribes the account's user data; returns the subscription id and the number of the
    /// connection that carries it.
    async fn subscribe(&self) -> Result<(Value, u64)> {
        let method = if self.inner.logged_on.load(Ordering::Acquire) {
            "userDataStream.subscribe"
        } else {
            "userDataStream.subscribe.signature"
        };
        let (answer, conn) = self.request_on(method, Params::new()).await?;
        Ok((answer.get("subscriptionId").cloned().unwrap_or(Value::Null), conn))
    }

    /// The `rateLimits` of the last answer that carried them.
    pub fn rate_limits(&self) -> Value {
        self.inner.rate_limits.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// `params` with what `security` needs: nothing, the key, or the key, timestamp and signature
    /// (only the timestamp once the session is logged on).
    fn authenticate(&self, mut params: Params, security: Security) -> Result<Params> {
        if security.needs_signature() {
            if self.inner.logged_on.load(Ordering::Acquire) {
                self.stamp(&mut params);
                return Ok(params);
            }
            return self.signed(params);
        }
        if security.needs_api_key() && !self.inner.logged_on.load(Ordering::Acquire) {
            params.set_if_absent("apiKey", self.api_key()?);
        }
        Ok(params)
    }

    fn api_key(&self) -> Result<String> {
        let key = self.inner.client.inner.api_key.as_ref();
        key.map(|k| k.expose().to_owned()).ok_or_else(|| Error::Config("this method needs an API key".into()))
    }

    fn stamp(&self, params: &mut Params) {
        let c = &self.inner.client;
        if let Some(w) = c.inner.recv_window {
            params.set_if_absent("recvWindow", w.to_string());
        }
        params.set_if_absent("timestamp", c.server_now().to_string());
    }

    /// `params` with `apiKey`, `timestamp` and the `signature` over all of them sorted by name.
    fn signed(&self, mut params: Params) -> Result<Params> {
        let signer = self.inner.client.inner.signer.as_ref().ok_or_else(|| {
            Error::Config(
                "signed WebSocket API methods need a key (HMAC secret or Ed25519/RSA private key)".into(),
            )
        })?;
        params.set_if_absent("apiKey", self.api_key()?);
        self.stamp(&mut params);
        let signature = signer.sign(ws_api_payload(&params).as_bytes());
        params.set("signature", signature.as_str().to_owned());
        Ok(params)
    }

    /// Sends one request and waits for its answer. The request goes through the client's rate
    /// limits first (Binance counts WebSocket API weight with REST's, per address): it waits out a
    /// `Retry-After` backoff and counts as in flight until answered. A `429` / `418` answer starts
    /// the client's backoff until its `retryAfter`, and is [`Error::RateLimited`].
    async fn send(&self, method: &str, params: Params) -> Result<Value> {
        self.send_on(method, params).await.map(|(answer, _)| answer)
    }

    /// [`WsApi::send`], also giving the number of the connection that answered.
    async fn send_on(&self, method: &str, params: Params) -> Result<(Value, u64)> {
        let limits = &self.inner.client.inner.limits;
        let (weight, orders) = match (endpoint::ws_method(method), endpoint::ws_session(method)) {
            (Some(e), _) => (e.weight_for(&params), u32::from(e.orders)),
            (None, Some(s)) => (s.weight, 0),
            (None, None) => (1, 0),
        };
        // (A 429 / 418 answer started the backoff as the connection's task read it.)
        loop {
            let _in_flight = limits.before_request(weight, orders).await?;
            if let Some(answer) = self.send_frame(method, &params).await {
                return answer;
            }
            // Not sent: a backoff started while the connection was being opened; wait it out.
        }
    }

    /// Writes one request frame (opening the connection if needed) and waits for its answer,
    /// given with the number of its connection; `None` if it was not sent because a
    /// `Retry-After` backoff started meanwhile.
    async fn send_frame(&self, method: &str, params: &Params) -> Option<Result<(Value, u64)>> {
        let (id, frame) = self.frame(method, params);
        let (tx, rx) = oneshot::channel();
        let sent_on = {
            let mut conn = self.inner.conn.lock().await;
            if conn.as_ref().is_none_or(|c| !c.alive.load(Ordering::Acquire)) {
                match self.connect().await {
                    Ok(c) => *conn = Some(c),
                    Err(e) => return Some(Err(e)),
                }
                if self.inner.logged_on.load(Ordering::Acquire) {
                    // A new connection: the session logs on again before anything else goes out.
                    let c = conn.as_ref()?;
                    if let Err(e) = self.logon_on(c).await {
                        return Some(Err(e));
                    }
                }
            }
            let c = conn.as_ref()?;
            // Opening the connection (or waiting for it) may have outlasted a 429 of another task.
            if self.inner.client.inner.limits.backoff_remaining().is_some() {
                return None;
            }
            c.waiting.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone(), tx);
            if c.out.send(frame).is_err() {
                c.waiting.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
                return Some(Err(Error::Transport("the WebSocket API connection closed".into())));
            }
            (c.alive.clone(), c.number)
        };
        let (sent_on, number) = sent_on;
        Some(match tokio::time::timeout(self.inner.timeout, rx).await {
            Ok(Ok(answer)) => answer.map(|a| (a, number)),
            Ok(Err(_)) => {
                Err(Error::Transport("the WebSocket API connection closed before the answer".into()))
            }
            Err(_) => {
                // An overdue answer: the server may still be working on this request, and would
                // answer the requests written after it only then (it answers a connection's
                // requests in order). The connection is closed; the next request opens a new one.
                let mut conn = self.inner.conn.lock().await;
                if let Some(c) = conn.as_ref() {
                    c.waiting.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
                    if Arc::ptr_eq(&c.alive, &sent_on) {
                        *conn = None;
                    }
                }
                Err(Error::Transport(format!(
                    "no answer to {method} within {} ms",
                    self.inner.timeout.as_millis()
                )))
            }
        })
    }

    /// A request frame `{"id","method","params"}` with a fresh id; the parameters as strings, in
    /// the order given.
    fn frame(&self, method: &str, params: &Params) -> (String, String) {
        let id = format!("mbx-{}", self.inner.next_id.fetch_add(1, Ordering::Relaxed));
        let obj: Map<String, Value> =
            params.iter().map(|(k, v)| (k.to_owned(), Value::String(v.to_owned()))).collect();
        let frame = json!({ "id": id, "method": method, "params": obj }).to_string();
        (id, frame)
    }

    /// `session.logon` on a connection being opened (the lock on it is held).
    async fn logon_on(&self, c: &Conn) -> Result<()> {
        let (id, frame) = self.frame("session.logon", &self.signed(Params::new())?);
        let (tx, rx) = oneshot::channel();
        c.waiting.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone(), tx);
        c.out.send(frame).map_err(|_| Error::Transport("the WebSocket API connection closed".into()))?;
        match tokio::time::timeout(self.inner.timeout, rx).await {
            Ok(Ok(answer)) => answer.map(|_| ()),
            _ => Err(Error::Transport("no answer to session.logon".into())),
        }
    }

    /// Opens the connection and starts its task. Opening it costs weight (web-socket-api.md, IP
    /// limits: 2), shared with the address's requests: it waits for room as a request does, and is
    /// counted as used once the connection is open.
    async fn connect(&self) -> Result<Conn> {
        let settings = &self.inner.client.inner.websocket;
        let limits = &self.inner.client.inner.limits;
        // The client's own count of its handshakes: a full window is waited out as a refusal is.
        if let Some(wait) = settings.attempts.wait(&settings.ws_api_url) {
            limits.refuse_connections(wait);
        }
        limits.wait_for_connections().await?;
        let room = limits.before_request(CONNECT_WEIGHT, 0).await?;
        let ws = match settings.open(&settings.ws_api_url).await {
            Ok(ws) => ws,
            // Refused: a 429 counts against the address's connection attempts (300 in 5 minutes),
            // which requests on open connections and REST do not share; a 418 is a ban of the
            // address, which they do.
            Err(e @ Error::RateLimited { status, retry_after, .. }) => {
                if status == 418 {
                    limits.back_off(retry_after);
                }
                limits.refuse_connections(retry_after);
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        limits.add_used(CONNECT_WEIGHT);
        drop(room);
        let (out, mut outgoing) = mpsc::unbounded_channel::<String>();
        let waiting: Waiting = Arc::default();
        let alive = Arc::new(AtomicBool::new(true));
        let number = self.inner.next_conn.fetch_add(1, Ordering::Relaxed);
        let (task_waiting, task_alive) = (waiting.clone(), alive.clone());
        let inner = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let (mut sink, mut stream) = ws.split();
            loop {
                tokio::select! {
                    frame = outgoing.recv() => match frame {
                        Some(text) => {
                            if sink.send(Message::Text(text.into())).await.is_err() {
                                break;
                            }
                        }
                        None => break,
                    },
                    message = stream.next() => match message {
                        Some(Ok(Message::Text(text))) => {
                            let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else { continue };
                            if let Some(limits) = v.get("rateLimits")
                                && let Some(inner) = inner.upgrade()
                            {
                                if let Some(used) = used_weight(limits) {
                                    inner.client.inner.limits.set_used_weight(used);
                                }
                                *inner.rate_limits.lock().unwrap_or_else(|e| e.into_inner()) = limits.clone();
                            }
                            if v.get("event").is_some() && v.get("id").is_none() {
                                forward(&inner, number, Some(v));
                                continue;
                            }
                            let Some(id) = v.get("id").and_then(|i| i.as_str()) else { continue };
                            let waiter = task_waiting.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
                            let answer = answer(v);
                            // A 429 / 418 holds every request of the client back, even when its
                            // request was given up (timed out) meanwhile.
                            if let Err(Error::RateLimited { retry_after, .. }) = &answer
                                && let Some(inner) = inner.upgrade()
                            {
                                inner.client.inner.limits.back_off(*retry_after);
                            }
                            if let Some(w) = waiter {
                                let _ = w.send(answer);
                            }
                        }
                        Some(Ok(Message::Close(_))) => {
                            crate::streams::answer_close(&mut sink).await;
                            break;
                        }
                        Some(Err(_)) | None => break,
                        Some(Ok(_)) => {}
                    },
                }
            }
            task_alive.store(false, Ordering::Release);
            // A user data stream on this connection has ended: its reader reports the gap.
            forward(&inner, number, None);
            // Whoever still waits learns the connection is gone (orders: the outcome is unknown).
            let waiters: Vec<_> = task_waiting.lock().unwrap_or_else(|e| e.into_inner()).drain().collect();
            for (_, w) in waiters {
                let _ = w.send(Err(Error::Transport(
                    "the WebSocket API connection was lost before the answer".into(),
                )));
            }
        });
        Ok(Conn { out, waiting, alive, number })
    }
}

/// Hands a user data frame (or the end of the connection, `None`) of connection `conn` to the user
/// stream, if any. What the reader's full queue cannot take is kept as a flag for it.
fn forward(inner: &std::sync::Weak<Inner>, conn: u64, frame: Option<Value>) {
    let Some(inner) = inner.upgrade() else { return };
    let events = inner.events.lock().unwrap_or_else(|e| e.into_inner());
    let Some(tx) = events.as_ref() else { return };
    let ended = frame.as_ref().is_none_or(|f| event_kind(f) == Some(TERMINATED));
    if let Err(mpsc::error::TrySendError::Full(_)) = tx.try_send(Forwarded { conn, frame }) {
        // The end of a connection or subscription must not be lost with it (the reader would
        // wait for ever on a subscription that is gone), nor an event (the view would be wrong).
        let flag = if ended { &inner.ended_on } else { &inner.dropped_on };
        flag.fetch_max(conn + 1, Ordering::AcqRel);
        tracing::warn!(target: "mbx_client::ws_api", "user data event dropped: the reader is behind (a gap and a reconciliation follow)");
    }
}

/// The event type `e` of a `{"subscriptionId","event"}` frame.
fn event_kind(frame: &Value) -> Option<&str> {
    frame.get("event")?.get("e")?.as_str()
}

/// The event that ends a subscription.
const TERMINATED: &str = "eventStreamTerminated";

/// The `REQUEST_WEIGHT` per minute count of an answer's `rateLimits`.
fn used_weight(rate_limits: &Value) -> Option<u32> {
    rate_limits.as_array()?.iter().find_map(|l| {
        let minute = l.get("rateLimitType")? == "REQUEST_WEIGHT"
            && l.get("interval")? == "MINUTE"
            && l.get("intervalNum")?.as_u64()? == 1;
        if minute { u32::try_from(l.get("count")?.as_u64()?).ok() } else { None }
    })
}

/// An answer frame's `result`, or its `error` as Binance's error; a `429` / `418` is
/// [`Error::RateLimited`], to wait until the error data's `retryAfter` (a time in ms, read against
/// the data's `serverTime`; 1 s when either is missing).
fn answer(v: Value) -> Result<Value> {
    let status = v.get("status").and_then(Value::as_u64).unwrap_or(0);
    if status == 200 {
        return Ok(v.get("result").cloned().unwrap_or(Value::Null));
    }
    let error = v.get("error").cloned().unwrap_or(Value::Null);
    let body = error.to_string();
    let status = u16::try_from(status).unwrap_or(400);
    match ApiError::from_response(status, body.as_bytes()) {
        Ok(e) if status == 429 || status == 418 => {
            let data = error.get("data");
            let at = |name: &str| data.and_then(|d| d.get(name)).and_then(Value::as_u64);
            let retry_after = match (at("retryAfter"), at("serverTime")) {
                (Some(until), Some(now)) => Duration::from_millis(until.saturating_sub(now)),
                _ => Duration::from_secs(1),
            };
            Err(Error::RateLimited { status, retry_after, api: Some(e) })
        }
        Ok(e) => Err(Error::Api(e)),
        Err(_) => Err(Error::Transport(format!("HTTP-like status {status} without an error: {body}"))),
    }
}

/// What a [`UserStream`] (or a [`crate::ListenKeyStream`]) yields.
#[derive(Debug, Clone, PartialEq)]
pub enum UserItem {
    /// A user data event as Binance sent it (`executionReport`, `outboundAccountPosition`,
    /// `balanceUpdate`, `listStatus`, `externalLockUpdate`, ...): its type (`e`) and the event.
    Event {
        /// The event type, `e`.
        kind: String,
        /// The event.
        event: Value,
    },
    /// Events may have been missed (the connection was lost, the server ended the subscription,
    /// the listenKey expired). Once the stream is back, the reconciliation items follow
    /// ([`UserItem::OrderChanged`], [`UserItem::OrderGone`], [`UserItem::BalanceChanged`]), then
    /// [`UserItem::Resynced`].
    Gap {
        /// Why.
        reason: String,
    },
    /// After a gap: an open order that is new to the stream's view or has another status or
    /// executed quantity than it showed (as `openOrders` gives it now).
    OrderChanged {
        /// The order as it is.
        order: Box<Order>,
    },
    /// After a gap: an order the view showed open that no longer is (filled, cancelled, expired
    /// during the gap).
    OrderGone {
        /// Its symbol.
        symbol: String,
        /// Its id.
        order_id: u64,
        /// Its final state, looked up by id (`None` if the lookup failed).
        order: Option<Box<Order>>,
    },
    /// After a gap: a balance that differs from the view (zero when the account no longer lists
    /// the asset).
    BalanceChanged {
        /// The asset.
        asset: String,
        /// Available now.
        free: Decimal,
        /// Locked now.
        locked: Decimal,
    },
    /// The end of a reconciliation: the snapshot it compared against (the account and its open
    /// orders), for callers that rather replace their view whole. The items before it already
    /// carry every difference.
    Resynced {
        /// The account (`GET /api/v3/account`).
        account: Box<Account>,
        /// Every open order (`GET /api/v3/openOrders`).
        open_orders: Vec<Order>,
    },
}

impl UserItem {
    /// The event, typed ([`crate::types::user::UserEvent`]); `None` for the other items.
    pub fn user_event(&self) -> Option<serde_json::Result<crate::types::user::UserEvent>> {
        match self {
            UserItem::Event { event, .. } => Some(crate::types::user::UserEvent::parse(event)),
            _ => None,
        }
    }
}

/// The account's user data stream over the WebSocket API ([`WsApi::user_stream`]): events as they
/// come; after a lost connection or an ended subscription a [`UserItem::Gap`], then a new
/// subscription (on a new connection, logged on again if the session was) and the reconciliation
/// of [`crate::user_view`], so that nothing is passed over in silence and the stream's view
/// ([`UserStream::view`]) equals the exchange's.
#[derive(Debug)]
pub struct UserStream {
    ws: WsApi,
    rx: mpsc::Receiver<Forwarded>,
    subscription: Value,
    /// The number of the connection that carries the subscription. What other connections
    /// forward is stale (their events came before the reconciliation that followed them).
    conn: u64,
    pending: std::collections::VecDeque<UserItem>,
    view: UserView,
    /// What the next call does first, after a gap it reported.
    due: Due,
}

/// What a [`UserStream`] does after a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    Nothing,
    /// Events were dropped (the reader was behind): reconcile.
    Reconcile,
    /// The subscription is gone: subscribe again, then reconcile.
    Resubscribe,
}

impl UserStream {
    /// The subscription id the server gave.
    pub fn subscription_id(&self) -> &Value {
        &self.subscription
    }

    /// The account's open orders and balances as the items read so far show them (before the
    /// first item: the snapshot taken when the stream opened).
    pub fn view(&self) -> &UserView {
        &self.view
    }

    /// The next item; `None` only if the stream's connection handle is gone.
    pub async fn next(&mut self) -> Option<UserItem> {
        let item = self.next_item().await?;
        self.view.apply(&item);
        Some(item)
    }

    async fn next_item(&mut self) -> Option<UserItem> {
        // A failed step is reported, and tried again at the next call from where it failed: once
        // subscribed again, a failed reconciliation (a 429 during a storm) must not subscribe
        // once more, on a connection that has the subscription (the server would refuse it).
        if self.due == Due::Resubscribe {
            if let Err(e) = self.resubscribe().await {
                return Some(UserItem::Gap { reason: format!("resubscribing failed: {e}") });
            }
            self.due = Due::Reconcile;
        }
        if self.due == Due::Reconcile {
            match crate::user_view::reconcile(&self.view, &self.ws.inner.client).await {
                Ok(items) => {
                    self.due = Due::Nothing;
                    self.pending.extend(items);
                }
                Err(e) => return Some(UserItem::Gap { reason: format!("reconciling failed: {e}") }),
            }
        }
        if let Some(item) = self.pending.pop_front() {
            return Some(item);
        }
        let inner = &self.ws.inner;
        let frame = loop {
            let forwarded = match self.rx.try_recv() {
                Ok(forwarded) => forwarded,
                Err(mpsc::error::TryRecvError::Disconnected) => return None,
                // Nothing queued: what a full queue could not take was left as flags.
                Err(mpsc::error::TryRecvError::Empty) => {
                    let ended = inner.ended_on.swap(0, Ordering::AcqRel) == self.conn + 1;
                    let dropped = inner.dropped_on.swap(0, Ordering::AcqRel) == self.conn + 1;
                    if ended {
                        Forwarded { conn: self.conn, frame: None }
                    } else if dropped {
                        self.due = Due::Reconcile;
                        return Some(UserItem::Gap {
                            reason: "user data events were dropped: the reader was behind".to_owned(),
                        });
                    } else {
                        self.rx.recv().await?
                    }
                }
            };
            // Another connection's frames are stale: a reconciliation since covers them, and its
            // end no longer concerns the subscription.
            if forwarded.conn == self.conn {
                break forwarded.frame;
            }
            tracing::debug!(target: "mbx_client::ws_api", conn = forwarded.conn, "a stale user data frame skipped");
        };
        let reason = match frame {
            Some(frame) => {
                if event_kind(&frame) != Some(TERMINATED) {
                    let event = frame.get("event").cloned().unwrap_or(Value::Null);
                    let kind = event_kind(&frame).unwrap_or_default().to_owned();
                    return Some(UserItem::Event { kind, event });
                }
                "the server ended the subscription".to_owned()
            }
            None => "the WebSocket API connection was lost".to_owned(),
        };
        // Report the gap at once; the next call subscribes again and reconciles.
        self.due = Due::Resubscribe;
        Some(UserItem::Gap { reason })
    }

    /// Subscribes again (a request opens a new connection if needed), up to 8 failures with
    /// backoff.
    async fn resubscribe(&mut self) -> Result<()> {
        let mut failures = 0u32;
        let mut backoff = crate::streams::Backoff::new();
        loop {
            match self.ws.subscribe().await {
                Ok((id, conn)) => {
                    self.subscription = id;
                    self.conn = conn;
                    return Ok(());
                }
                Err(e) if failures < 8 => {
                    failures += 1;
                    tracing::warn!(target: "mbx_client::ws_api", error = %e, "resubscribing the user data stream");
                    backoff.wait_after(failures, &e).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_answer_is_rate_limited_until_its_retry_after() {
        let frame = json!({
            "id": "mbx-1",
            "status": 429,
            "error": {"code": -1003, "msg": "Too many requests.", "data": {"serverTime": 1_000_000, "retryAfter": 1_002_000}},
        });
        match answer(frame) {
            Err(Error::RateLimited { status: 429, retry_after, api: Some(e) }) => {
                assert_eq!(retry_after, Duration::from_secs(2));
                assert_eq!(e.code, mbx_core::ErrorCode::TOO_MANY_REQUESTS);
            }
            other => panic!("{other:?}"),
        }
        // A ban without data: a second, at least.
        let frame = json!({"id": "mbx-2", "status": 418, "error": {"code": -1003, "msg": "banned"}});
        assert!(matches!(
            answer(frame),
            Err(Error::RateLimited { status: 418, retry_after, .. }) if retry_after == Duration::from_secs(1)
        ));
        // Other refusals stay API errors.
        let frame = json!({"id": "mbx-3", "status": 400, "error": {"code": -1102, "msg": "x"}});
        assert!(matches!(answer(frame), Err(Error::Api(_))));
    }

    /// A user stream reading `rx` whose subscription is on connection `conn`.
    fn stream_on(ws: &WsApi, rx: mpsc::Receiver<Forwarded>, conn: u64) -> UserStream {
        UserStream {
            ws: ws.clone(),
            rx,
            subscription: json!(0),
            conn,
            pending: std::collections::VecDeque::new(),
            view: UserView::default(),
            due: Due::Nothing,
        }
    }

    fn queue(ws: &WsApi, capacity: usize) -> mpsc::Receiver<Forwarded> {
        let (tx, rx) = mpsc::channel(capacity);
        *ws.inner.events.lock().unwrap() = Some(tx);
        rx
    }

    fn offline() -> WsApi {
        let client = crate::Client::builder()
            .environment(crate::Environment::custom("http://127.0.0.1:9"))
            .build()
            .unwrap();
        client.ws_api()
    }

    fn event(kind: &str) -> Option<Value> {
        Some(json!({"subscriptionId": 0, "event": {"e": kind}}))
    }

    /// A connection that ends while the user stream's queue is full cannot queue its end: the
    /// reader still reports the gap once it has read what is queued, instead of waiting for ever.
    #[tokio::test]
    async fn a_lost_connection_is_reported_even_when_the_queue_was_full() {
        let ws = offline();
        let mut stream = stream_on(&ws, queue(&ws, 1), 3);
        let weak = Arc::downgrade(&ws.inner);
        forward(&weak, 3, event("balanceUpdate"));
        // The queue is full: the end of the connection is kept as a flag.
        forward(&weak, 3, None);
        assert!(
            matches!(stream.next_item().await, Some(UserItem::Event { kind, .. }) if kind == "balanceUpdate")
        );
        match stream.next_item().await {
            Some(UserItem::Gap { reason }) => assert!(reason.contains("lost"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(stream.due, Due::Resubscribe, "it subscribes again at the next call");
        assert_eq!(ws.inner.ended_on.load(Ordering::Acquire), 0, "the flag is taken once");
    }

    /// An event the full queue cannot take is a gap too (then a reconciliation, on the same
    /// subscription); so is a dropped `eventStreamTerminated` (then a new subscription).
    #[tokio::test]
    async fn a_dropped_event_is_a_gap() {
        let ws = offline();
        let mut stream = stream_on(&ws, queue(&ws, 1), 0);
        let weak = Arc::downgrade(&ws.inner);
        forward(&weak, 0, event("balanceUpdate"));
        forward(&weak, 0, event("executionReport"));
        assert!(matches!(stream.next_item().await, Some(UserItem::Event { .. })));
        match stream.next_item().await {
            Some(UserItem::Gap { reason }) => assert!(reason.contains("dropped"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(stream.due, Due::Reconcile, "the subscription stands: only a reconciliation");

        let mut stream = stream_on(&ws, queue(&ws, 1), 0);
        forward(&weak, 0, event("balanceUpdate"));
        forward(&weak, 0, event(TERMINATED));
        assert!(matches!(stream.next_item().await, Some(UserItem::Event { .. })));
        assert!(matches!(stream.next_item().await, Some(UserItem::Gap { .. })));
        assert_eq!(stream.due, Due::Resubscribe);
    }

    /// A reconciliation that fails after the stream subscribed again is tried again from there:
    /// the new subscription stands, so the retry must not subscribe once more (the server refuses
    /// a second subscription of the account on one connection). Here the WebSocket API is a
    /// sandbox's and nothing listens at the REST address, so every snapshot fails.
    #[tokio::test]
    async fn a_failed_reconciliation_is_retried_without_subscribing_again() {
        let sb = mbx_testkit::TestSandbox::start().await;
        let client = crate::Client::builder()
            .environment(crate::Environment::custom("http://127.0.0.1:9"))
            .ws_api_url(format!("ws://{}/ws-api/v3", sb.addr()))
            .api_key(mbx_testkit::keys::DEMO_API_KEY)
            .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
            .build()
            .unwrap();
        let ws = client.ws_api();
        let mut stream = stream_on(&ws, queue(&ws, 8), 0);
        stream.due = Due::Resubscribe;
        for _ in 0..2 {
            match stream.next_item().await {
                Some(UserItem::Gap { reason }) => {
                    assert!(reason.starts_with("reconciling failed"), "{reason}");
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(stream.due, Due::Reconcile, "subscribed: only the reconciliation is left");
        }
        let subscriptions = ws.request("session.subscriptions", Params::new()).await.unwrap();
        assert_eq!(subscriptions.as_array().map(Vec::len), Some(1), "{subscriptions}");
        sb.shutdown().await;
    }

    /// What an earlier connection forwards after the stream moved to a new one is stale: its end
    /// must not start another subscription (the new connection has one: the server would refuse
    /// a second), and its events came before the reconciliation (applied after it, an order
    /// filled meanwhile would show open again).
    #[tokio::test]
    async fn an_earlier_connection_is_stale() {
        let ws = offline();
        let mut stream = stream_on(&ws, queue(&ws, 8), 5);
        let weak = Arc::downgrade(&ws.inner);
        forward(&weak, 4, event("executionReport"));
        forward(&weak, 4, None);
        forward(&weak, 5, event("balanceUpdate"));
        assert!(
            matches!(stream.next_item().await, Some(UserItem::Event { kind, .. }) if kind == "balanceUpdate")
        );
        assert_eq!(stream.due, Due::Nothing);
        // A full queue's flag about the earlier connection is stale too.
        ws.inner.ended_on.store(5, Ordering::Release);
        ws.inner.dropped_on.store(5, Ordering::Release);
        forward(&weak, 5, event("outboundAccountPosition"));
        assert!(matches!(stream.next_item().await, Some(UserItem::Event { .. })));
        let waited = tokio::time::timeout(Duration::from_millis(50), stream.next_item()).await;
        assert!(waited.is_err(), "nothing to report: {waited:?}");
    }

    #[test]
    fn the_used_weight_is_read_from_rate_limits() {
        let limits = json!([
            {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 100, "count": 3},
            {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000, "count": 70},
        ]);
        assert_eq!(used_weight(&limits), Some(70));
        assert_eq!(used_weight(&json!([])), None);
    }
}
