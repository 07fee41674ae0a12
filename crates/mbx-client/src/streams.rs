//! Market streams that look after themselves ([`MarketStreams`], [`MarketStream`]).
//!
//! One connection carries up to [`MarketStreams::max_per_connection`] streams (Binance's limit,
//! 1024; the combined form, `/stream?streams=a/b`, each event as `{"stream","data"}`); more streams
//! are spread over more connections, opened as needed, whose events come through the same
//! [`MarketStream`]. [`MarketStream::subscribe`] and [`MarketStream::unsubscribe`] change the list
//! while it runs (a new stream goes to the first connection with room; the change is sent as the
//! stream is next read).
//!
//! The connections are driven by reading the stream, in the reader's own task: there is no
//! background task, so an event goes from the socket to the caller without a hand-over between
//! tasks (a hand-over cost more than decoding a trade). A connection hands over each event as soon
//! as it has read it, before it reads the next frame: under a burst, the first event of the burst
//! does not wait for the others to be decoded. Like any WebSocket, the stream must be read
//! to stay alive: what arrives while it is not read waits in the socket's buffer, and a stream left
//! unread for a minute misses the server's pings and is cut (then reported as a gap and replaced
//! when read again). Each connection, as it is read:
//!
//! * pings are answered (by the WebSocket layer, as the reader polls);
//! * a connection silent for longer than [`MarketStreams::silence`] (the server pings every 20 s) is
//!   taken as lost;
//! * a lost connection is reported as a [`StreamItem::Gap`] (events may have been missed between
//!   the last event and the next) and replaced, with backoff and jitter, for ever unless
//!   [`MarketStreams::max_reconnects`] says otherwise; the streams are subscribed again;
//! * before the connection's 24-hour cut ([`MarketStreams::renew_after`]) and on the server's
//!   `serverShutdown`, a new connection is opened and subscribed while the old one is still read,
//!   then the old one is closed: nothing is missed (events of the overlap may come twice), and no
//!   gap is reported.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::task::AtomicWaker;
use futures_util::{SinkExt, StreamExt};
use mbx_core::stream::Stream;
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use crate::error::{Error, Result};
use crate::http::{Connector, Io, Origin};
use crate::types::stream::MarketEvent;

/// Where and how the client opens WebSocket connections.
#[derive(Clone)]
pub(crate) struct WsSettings {
    pub(crate) stream_url: String,
    pub(crate) ws_api_url: String,
    pub(crate) tls: Arc<rustls::ClientConfig>,
    pub(crate) proxy: crate::proxy::ProxySetting,
    pub(crate) connect_timeout: Duration,
    /// The handshakes started in the last 5 minutes (shared with clients sharing address limits).
    pub(crate) attempts: Arc<crate::rate_limit::ConnectionAttempts>,
}

impl std::fmt::Debug for WsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsSettings")
            .field("stream_url", &self.stream_url)
            .field("ws_api_url", &self.ws_api_url)
            .finish_non_exhaustive()
    }
}

type Ws = WebSocketStream<Io>;

/// The server closed: sends the Close frame that answers it (queued by the WebSocket layer when it
/// read the server's, RFC 6455 5.5.1), within a second, before the connection is dropped.
pub(crate) async fn answer_close<S: futures_util::Sink<Message> + Unpin>(ws: &mut S) {
    let _ = tokio::time::timeout(Duration::from_secs(1), ws.flush()).await;
}

impl WsSettings {
    /// Opens a WebSocket connection to `url` (`ws://` or `wss://`, with its path and query), through
    /// the client's proxy setting and TLS configuration.
    pub(crate) async fn open(&self, url: &str) -> Result<Ws> {
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("wss://") {
            ("https://", rest)
        } else if let Some(rest) = url.strip_prefix("ws://") {
            ("http://", rest)
        } else {
            return Err(Error::Config(format!("'{url}' is not a ws:// or wss:// URL")));
        };
        let authority = rest.split(['/', '?']).next().unwrap_or(rest);
        let origin = Origin::parse(&format!("{scheme}{authority}")).map_err(Error::Config)?;
        // One handshake too many in Binance's 5 minutes is not started: the server would refuse
        // it, and count it.
        if let Some(retry_after) = self.attempts.admit(url) {
            return Err(Error::RateLimited { status: 429, retry_after, api: None });
        }
        let proxy = crate::proxy::choose(&self.proxy, &origin.host, origin.tls, |n| std::env::var(n).ok())
            .map_err(Error::Config)?;
        let connector =
            Connector::new(&origin, self.tls.clone(), proxy, self.connect_timeout).map_err(Error::Config)?;
        let io = connector.connect(&origin).await.map_err(|e| Error::Transport(e.detail))?;
        let handshake = tokio_tungstenite::client_async(url, io);
        match tokio::time::timeout(self.connect_timeout, handshake).await {
            Ok(Ok((ws, _))) => Ok(ws),
            // Refused for the address's rate limit: how long to wait, from `Retry-After` (seconds).
            Ok(Err(tokio_tungstenite::tungstenite::Error::Http(resp)))
                if matches!(resp.status().as_u16(), 429 | 418) =>
            {
                let secs = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(1);
                Err(Error::RateLimited {
                    status: resp.status().as_u16(),
                    retry_after: Duration::from_secs(secs),
                    api: None,
                })
            }
            Ok(Err(e)) => Err(Error::Transport(format!("WebSocket handshake with {authority}: {e}"))),
            Err(_) => Err(Error::Transport(format!("WebSocket handshake with {authority}: timed out"))),
        }
    }
}

/// What a [`MarketStream`] yields.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    /// An event of one of the streams (boxed: an event is large next to a gap).
    Event(Box<StreamEvent>),
    /// The connection was lost: events between `after_ms` and the next event may be missing. A
    /// local order book must resynchronize; other state should be checked against a snapshot.
    Gap(Gap),
    /// The server refused a subscription change (`SUBSCRIBE` / `UNSUBSCRIBE`): its error message.
    Refused(String),
}

/// A market stream event, typed, with the stream it came on and its JSON as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEvent {
    /// The stream's name, as subscribed (`btcusdt@trade`).
    pub stream: String,
    /// The event, typed.
    pub event: MarketEvent,
    /// The event's JSON exactly as Binance sent it (the combined form's `data`).
    pub raw: String,
}

/// An interval in which events may have been missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The local time (ms since the epoch) of the last event received before it, if any.
    pub after_ms: Option<u64>,
    /// Why: the connection closed, went silent, could not be reopened.
    pub reason: String,
}

/// Opens market streams: [`crate::Client::market_streams`].
#[derive(Debug)]
#[must_use]
pub struct MarketStreams {
    settings: WsSettings,
    names: Vec<String>,
    max_reconnects: Option<u32>,
    silence: Duration,
    renew_after: Duration,
    max_per_connection: usize,
}

/// Streams one connection may carry on Binance (web-socket-streams.md).
pub const MAX_STREAMS_PER_CONNECTION: usize = mbx_core::stream::MAX_STREAMS_PER_CONNECTION;

impl crate::Client {
    /// Market streams (`btcusdt@trade`, `btcusdt@depth@100ms`, ...) on one connection that looks
    /// after itself (see [`MarketStream`]). Call [`MarketStreams::open`] to connect.
    ///
    /// ```no_run
    /// # async fn run() -> mbx_client::Result<()> {
    /// use mbx_client::{Client, Environment, StreamItem};
    /// use mbx_client::types::stream::MarketEvent;
    /// let client = Client::builder().environment(Environment::Sandbox).build()?;
    /// let mut trades = client.market_streams(["btcusdt@trade"]).open().await?;
    /// while let Some(item) = trades.next().await {
    ///     match item {
    ///         StreamItem::Event(e) => {
    ///             if let MarketEvent::Trade(t) = e.event {
    ///                 println!("{} {} at {}", t.symbol, t.quantity, t.price);
    ///             }
    ///         }
    ///         StreamItem::Gap(gap) => println!("events may be missing: {}", gap.reason),
    ///         StreamItem::Refused(why) => println!("{why}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn market_streams<I, S>(&self, names: I) -> MarketStreams
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        MarketStreams {
            settings: self.inner.websocket.clone(),
            names: names.into_iter().map(|n| n.as_ref().to_owned()).collect(),
            max_reconnects: None,
            silence: Duration::from_secs(60),
            renew_after: Duration::from_secs(23 * 3600 + 50 * 60),
            max_per_connection: MAX_STREAMS_PER_CONNECTION,
        }
    }
}

impl MarketStreams {
    /// Gives up after `n` failed reconnection attempts in a row (default: never); the stream then
    /// ends after a last [`StreamItem::Gap`].
    pub fn max_reconnects(mut self, n: u32) -> Self {
        self.max_reconnects = Some(n);
        self
    }

    /// How long a connection may stay silent (no event, no ping) before it is replaced (default 60
    /// s; the server pings every 20 s).
    pub fn silence(mut self, after: Duration) -> Self {
        self.silence = after;
        self
    }

    /// When a connection is replaced, before the server's 24-hour cut (default 23 h 50 min).
    pub fn renew_after(mut self, after: Duration) -> Self {
        self.renew_after = after;
        self
    }

    /// How many streams one connection carries at most (default
    /// [`MAX_STREAMS_PER_CONNECTION`], Binance's limit); more open more connections.
    pub fn max_per_connection(mut self, n: usize) -> Self {
        self.max_per_connection = n.max(1);
        self
    }

    /// Checks the names and connects. Fails on a name that is not a stream, or when a first
    /// connection cannot be opened (later ones are retried).
    pub async fn open(self) -> Result<MarketStream> {
        let mut names = Vec::new();
        for n in &self.names {
            let s = Stream::parse(n).map_err(|e| Error::Config(e.0))?;
            if !names.iter().any(|k: &Stream| k.name() == s.name()) {
                names.push(s);
            }
        }
        let queue = Queue::default();
        let starting = Arc::new(Starting::default());
        let mut conns =
            Conns { config: self, queue: queue.clone(), conns: Vec::new(), starting: starting.clone() };
        let mut chunks: Vec<Vec<Stream>> =
            names.chunks(conns.config.max_per_connection).map(<[Stream]>::to_vec).collect();
        if chunks.is_empty() {
            chunks.push(Vec::new());
        }
        for chunk in chunks {
            let ws = conns.config.settings.open(&url(&conns.config.settings.stream_url, &chunk)).await?;
            conns.start(chunk, Some(ws));
        }
        Ok(MarketStream { queue, conns: std::sync::Mutex::new(conns), starting, driver: Vec::new() })
    }
}

/// A connection's work, driven by the reader.
type Driven = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Connections started (by [`MarketStream::subscribe`]) since the reader last polled; it takes them
/// into its driver at its next poll, and is woken for that.
#[derive(Default)]
struct Starting {
    any: AtomicBool,
    /// Every connection has given up: the stream has ended.
    ended: AtomicBool,
    list: std::sync::Mutex<Vec<Driven>>,
    reader: AtomicWaker,
}

impl std::fmt::Debug for Starting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Starting").field("any", &self.any).finish_non_exhaustive()
    }
}

impl Starting {
    fn push(&self, work: Driven) {
        self.list.lock().unwrap_or_else(|e| e.into_inner()).push(work);
        self.any.store(true, Ordering::Release);
        self.reader.wake();
    }

    fn take(&self) -> Vec<Driven> {
        if !self.any.swap(false, Ordering::AcqRel) {
            return Vec::new();
        }
        std::mem::take(&mut *self.list.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The connections of a [`MarketStream`] and the streams each carries.
#[derive(Debug)]
struct Conns {
    config: MarketStreams,
    queue: Queue,
    conns: Vec<Conn>,
    starting: Arc<Starting>,
}

/// One connection.
#[derive(Debug)]
struct Conn {
    control: mpsc::UnboundedSender<Control>,
    /// The streams it carries.
    names: Vec<String>,
}

impl Conns {
    /// Starts a connection for `names`: on `ws` if open, else it connects first (as the reader polls).
    fn start(&mut self, names: Vec<Stream>, ws: Option<Ws>) {
        let (control, commands) = mpsc::unbounded_channel();
        let runner = Runner {
            settings: self.config.settings.clone(),
            names: names.clone(),
            max_reconnects: self.config.max_reconnects,
            silence: self.config.silence,
            renew_after: self.config.renew_after,
            out: self.queue.clone(),
            commands,
            last_event: None,
            next_id: 1,
            sent: std::collections::VecDeque::new(),
        };
        self.starting.push(Box::pin(runner.start(ws)));
        let names = names.iter().map(|s| s.name().to_owned()).collect();
        self.conns.push(Conn { control, names });
    }

    /// Adds `streams` (those not carried yet) to connections with room, opening more as needed.
    fn subscribe(&mut self, streams: Vec<Stream>) -> Result<()> {
        let max = self.config.max_per_connection;
        let mut fresh: Vec<Stream> = Vec::new();
        for s in streams {
            let carried = self.conns.iter().any(|c| c.names.iter().any(|n| n == s.name()));
            if !carried && !fresh.iter().any(|f| f.name() == s.name()) {
                fresh.push(s);
            }
        }
        let stopped = || Error::Transport("the market stream has stopped".into());
        for conn in &mut self.conns {
            let room = max.saturating_sub(conn.names.len()).min(fresh.len());
            if room == 0 {
                continue;
            }
            let batch: Vec<Stream> = fresh.drain(..room).collect();
            conn.names.extend(batch.iter().map(|s| s.name().to_owned()));
            conn.control.send(Control { streams: batch, add: true }).map_err(|_| stopped())?;
        }
        if !fresh.is_empty() {
            if self.starting.ended.load(Ordering::Acquire) {
                return Err(stopped());
            }
            while !fresh.is_empty() {
                let batch: Vec<Stream> = fresh.drain(..max.min(fresh.len())).collect();
                self.start(batch, None);
            }
        }
        Ok(())
    }

    /// Removes `streams` from the connections that carry them.
    fn unsubscribe(&mut self, streams: &[Stream]) -> Result<()> {
        for conn in &mut self.conns {
            let mine: Vec<Stream> =
                streams.iter().filter(|s| conn.names.iter().any(|n| n == s.name())).cloned().collect();
            if mine.is_empty() {
                continue;
            }
            conn.names.retain(|n| !mine.iter().any(|s| s.name() == n));
            conn.control
                .send(Control { streams: mine, add: false })
                .map_err(|_| Error::Transport("the market stream has stopped".into()))?;
        }
        Ok(())
    }
}

/// A running set of market streams: [`MarketStream::next`] (or the `futures` `Stream` impl) yields
/// [`StreamItem`]s until dropped; reading it drives its connections. See the module docs for how
/// the connections are looked after.
pub struct MarketStream {
    /// Items the connections have made, not yet taken.
    queue: Queue,
    conns: std::sync::Mutex<Conns>,
    starting: Arc<Starting>,
    /// Every connection's work, polled by the reader with its own context (so a connection wakes
    /// the reader directly); dropped (closing them) with the stream.
    driver: Vec<Driven>,
}

impl std::fmt::Debug for MarketStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarketStream").field("conns", &self.conns).finish_non_exhaustive()
    }
}

impl MarketStream {
    /// The next item; `None` once the stream has given up reconnecting.
    pub async fn next(&mut self) -> Option<StreamItem> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// An item ready, else drives the connections (each hands over at most one item, then lets
    /// the reader have it) and tries again.
    ///
    /// Every connection is polled on each call that finds the queue empty: one that has just handed
    /// over an item waits without being woken ([`HandOver`]), and the call that takes that item is
    /// followed by the reader's next one, which resumes it. A connection is one per 1024 streams,
    /// so the list is short.
    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<StreamItem>> {
        if let Some(item) = self.queue.pop() {
            return Poll::Ready(Some(item));
        }
        self.starting.reader.register(cx.waker());
        loop {
            self.driver.extend(self.starting.take());
            // A connection that ends has given up (its last items, a final gap among them, are
            // queued).
            self.driver.retain_mut(|work| work.as_mut().poll(cx).is_pending());
            if let Some(item) = self.queue.pop() {
                return Poll::Ready(Some(item));
            }
            if !self.driver.is_empty() {
                return Poll::Pending;
            }
            if !self.starting.any.load(Ordering::Acquire) {
                // Every connection has given up: the stream has ended.
                self.starting.ended.store(true, Ordering::Release);
                return Poll::Ready(None);
            }
        }
    }

    /// Adds streams on the running connection (and every later one). The change is sent when the
    /// stream is next read, and events of the new streams come once the server has taken it.
    pub fn subscribe<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, names: I) -> Result<()> {
        self.change(names, true)
    }

    /// Removes streams. The change goes to the server when the stream is next read; from then on
    /// their events are dropped (only those already queued still come).
    pub fn unsubscribe<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, names: I) -> Result<()> {
        self.change(names, false)
    }

    /// How many connections carry the streams now.
    pub fn connections(&self) -> usize {
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).conns.len()
    }

    fn change<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, names: I, add: bool) -> Result<()> {
        let mut streams = Vec::new();
        for n in names {
            streams.push(Stream::parse(n.as_ref()).map_err(|e| Error::Config(e.0))?);
        }
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        if add { conns.subscribe(streams) } else { conns.unsubscribe(&streams) }
    }
}

impl futures_util::Stream for MarketStream {
    type Item = StreamItem;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<StreamItem>> {
        self.poll_item(cx)
    }
}

/// A subscription change.
#[derive(Debug)]
struct Control {
    streams: Vec<Stream>,
    add: bool,
}

/// The combined-stream URL for `names`.
fn url(base: &str, names: &[Stream]) -> String {
    if names.is_empty() {
        return format!("{base}/stream");
    }
    let list: Vec<&str> = names.iter().map(Stream::name).collect();
    format!("{base}/stream?streams={}", list.join("/"))
}

/// How one connection's life ended.
enum End {
    /// Nobody reads any more.
    Dropped,
    /// Lost, for this reason.
    Lost(String),
    /// To be replaced first (24-hour cut ahead, or the server shutting down).
    Renew,
}

/// One connection's work: reads it, keeps it alive, replaces it.
struct Runner {
    settings: WsSettings,
    names: Vec<Stream>,
    max_reconnects: Option<u32>,
    silence: Duration,
    renew_after: Duration,
    /// Where its items go: the reader takes them as it polls.
    out: Queue,
    commands: mpsc::UnboundedReceiver<Control>,
    /// When the last event was received.
    last_event: Option<tokio::time::Instant>,
    next_id: u64,
    /// When the last subscription changes were sent (to stay under the server's 5 messages a second).
    sent: std::collections::VecDeque<tokio::time::Instant>,
}

/// Subscription changes sent per second at most: the server closes a connection over 5 incoming
/// messages a second, and the client's pongs count too.
const CHANGES_PER_SECOND: usize = 3;

impl Runner {
    /// Runs on `ws`, or connects first (a connection added by a subscription).
    async fn start(mut self, ws: Option<Ws>) {
        let ws = match ws {
            Some(ws) => ws,
            None => match self.settings.open(&url(&self.settings.stream_url, &self.names)).await {
                Ok(ws) => ws,
                Err(e) => match self.reconnect(format!("opening a connection: {e}")).await {
                    Some(ws) => ws,
                    None => return,
                },
            },
        };
        self.run(ws).await;
    }

    async fn run(mut self, mut ws: Ws) {
        loop {
            match self.serve(&mut ws).await {
                End::Dropped => return,
                End::Renew => match self.renew(&mut ws).await {
                    Ok(()) => {}
                    Err(End::Dropped) => return,
                    Err(End::Lost(reason)) => match self.reconnect(reason).await {
                        Some(new) => ws = new,
                        None => return,
                    },
                    Err(End::Renew) => {}
                },
                End::Lost(reason) => match self.reconnect(reason).await {
                    Some(new) => ws = new,
                    None => return,
                },
            }
        }
    }

    /// Reads one connection until it ends.
    ///
    /// The renewal and silence timers are armed once, not per frame (a timer per frame costs more
    /// than decoding a trade): each frame only notes its time, and the silence timer, when it
    /// fires, moves itself to a silence after the last frame if one came since. The socket is
    /// polled first: while frames keep coming, the timers and the commands are not polled, and
    /// each frame checks the renewal time and for a waiting command itself.
    async fn serve(&mut self, ws: &mut Ws) -> End {
        let renew_at = tokio::time::Instant::now() + self.renew_after;
        let renew = tokio::time::sleep_until(renew_at);
        tokio::pin!(renew);
        let silence = tokio::time::sleep(self.silence);
        tokio::pin!(silence);
        let mut last_frame = tokio::time::Instant::now();
        loop {
            tokio::select! {
                biased;
                frame = ws.next() => {
                    last_frame = tokio::time::Instant::now();
                    let frame = match frame {
                        None => return End::Lost("the server closed the connection".into()),
                        Some(Err(e)) => return End::Lost(format!("the connection failed: {e}")),
                        Some(Ok(frame)) => frame,
                    };
                    match frame {
                        Message::Text(text) => {
                            if let Delivered::Shutdown = self.deliver(text.as_str(), last_frame).await {
                                return End::Renew;
                            }
                        }
                        Message::Close(frame) => {
                            answer_close(ws).await;
                            let why = frame.map(|f| f.reason.to_string()).filter(|r| !r.is_empty());
                            return End::Lost(why.map_or_else(|| "the server closed the connection".into(), |r| format!("the server closed the connection: {r}")));
                        }
                        _ => {}
                    }
                    if last_frame >= renew_at {
                        return End::Renew;
                    }
                    if !self.commands.is_empty()
                        && let Some(c) = self.commands.recv().await
                        && let Err(reason) = self.apply(ws, c).await
                    {
                        return End::Lost(reason);
                    }
                }
                () = &mut renew => return End::Renew,
                () = &mut silence => {
                    let quiet_until = last_frame + self.silence;
                    if quiet_until <= tokio::time::Instant::now() {
                        return End::Lost(format!("no frame for {} s", self.silence.as_secs()));
                    }
                    silence.as_mut().reset(quiet_until);
                }
                command = self.commands.recv() => match command {
                    None => return End::Dropped,
                    Some(c) => {
                        if let Err(reason) = self.apply(ws, c).await {
                            return End::Lost(reason);
                        }
                    }
                },
            }
        }
    }

    /// Sends a subscription change on `ws` and records it for later connections.
    async fn apply(&mut self, ws: &mut Ws, c: Control) -> std::result::Result<(), String> {
        let names: Vec<String> = c.streams.iter().map(|s| s.name().to_owned()).collect();
        if c.add {
            for s in c.streams {
                if !self.names.iter().any(|k| k.name() == s.name()) {
                    self.names.push(s);
                }
            }
        } else {
            self.names.retain(|k| !names.iter().any(|n| n == k.name()));
        }
        // Paced: the oldest of the last few changes must be a second old.
        if self.sent.len() >= CHANGES_PER_SECOND
            && let Some(oldest) = self.sent.pop_front()
        {
            tokio::time::sleep_until(oldest + Duration::from_secs(1)).await;
        }
        self.sent.push_back(tokio::time::Instant::now());
        let id = self.next_id;
        self.next_id += 1;
        let method = if c.add { "SUBSCRIBE" } else { "UNSUBSCRIBE" };
        let frame = serde_json::json!({ "method": method, "params": names, "id": id });
        ws.send(Message::Text(frame.to_string().into())).await.map_err(|e| format!("sending {method}: {e}"))
    }

    /// Hands what a text frame, received `at`, says to the reader.
    async fn deliver(&mut self, text: &str, at: tokio::time::Instant) -> Delivered {
        match read_frame(&self.names, text) {
            Frame::Item(item) => {
                if let StreamItem::Event(_) = item {
                    self.last_event = Some(at);
                }
                self.hand(item).await;
                Delivered::Ok
            }
            Frame::Shutdown => Delivered::Shutdown,
            Frame::Nothing => Delivered::Ok,
        }
    }

    /// Queues an item for the reader and lets it take the item before this connection reads on.
    async fn hand(&mut self, item: StreamItem) {
        self.out.push(item);
        HandOver(false).await;
    }

    /// A gap after the last event, for `reason`.
    fn gap(&self, reason: String) -> StreamItem {
        // The local time of the last event, from the monotonic time it was received at (read once
        // per frame for the silence check, so an event costs no second clock read).
        let after_ms = self.last_event.map(|at| {
            let ago = u64::try_from(at.elapsed().as_millis()).unwrap_or(u64::MAX);
            crate::client::local_now_ms().saturating_sub(ago)
        });
        StreamItem::Gap(Gap { after_ms, reason })
    }

    /// Opens the next connection while the current one is still read, then switches.
    async fn renew(&mut self, ws: &mut Ws) -> std::result::Result<(), End> {
        let target = url(&self.settings.stream_url, &self.names);
        let settings = self.settings.clone();
        let opening = async move { settings.open(&target).await };
        tokio::pin!(opening);
        let mut old_open = true;
        loop {
            tokio::select! {
                new = &mut opening => {
                    let new = new.map_err(|e| End::Lost(format!("renewing the connection: {e}")))?;
                    let _ = ws.close(None).await;
                    *ws = new;
                    return Ok(());
                }
                frame = ws.next(), if old_open => match frame {
                    Some(Ok(Message::Text(text))) => {
                        // A `serverShutdown` of the old connection: it is being replaced already.
                        let _ = self.deliver(text.as_str(), tokio::time::Instant::now()).await;
                    }
                    Some(Ok(_)) => {}
                    // The old one ended first: what it would have sent meanwhile is missed.
                    _ => {
                        old_open = false;
                        let gap = self.gap("the connection closed while its replacement was opening".into());
                        self.hand(gap).await;
                    }
                },
            }
        }
    }

    /// Reports the gap and opens a new connection, with backoff and jitter; `None` once it gives
    /// up.
    async fn reconnect(&mut self, reason: String) -> Option<Ws> {
        let gap = self.gap(reason);
        self.hand(gap).await;
        let mut backoff = Backoff::new();
        let mut failures = 0u32;
        let mut last: Option<Error> = None;
        loop {
            match &last {
                Some(e) => backoff.wait_after(failures, e).await,
                None => backoff.wait(failures).await,
            }
            match self.settings.open(&url(&self.settings.stream_url, &self.names)).await {
                Ok(ws) => return Some(ws),
                Err(e) => {
                    failures += 1;
                    tracing::warn!(target: "mbx_client::streams", error = %e, failures, "reconnecting");
                    if self.max_reconnects.is_some_and(|max| failures >= max) {
                        // The last item: the reader takes it once this connection has ended.
                        self.out.push(self.gap(format!("gave up after {failures} attempts: {e}")));
                        return None;
                    }
                    last = Some(e);
                }
            }
        }
    }
}

/// What a text frame of a market stream connection says.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    /// An item for the reader: an event of one of `names`, or a refused subscription change.
    Item(StreamItem),
    /// The server is shutting down: the connection is to be replaced.
    Shutdown,
    /// Nothing for the reader: a change went through, or an event of a stream just unsubscribed.
    Nothing,
}

/// Reads a text frame of a connection carrying `names`. The usual frame, an event of a stream that
/// has a hand-written reader in the combined form exactly as Binance writes it, is read without
/// serde; anything else as [`read_frame_serde`] does, with the same result.
pub(crate) fn read_frame(names: &[Stream], text: &str) -> Frame {
    if let Some((stream, data)) = split_combined(text)
        && let Some(kind) = kind_of(names, stream)
        && let Some(event) = MarketEvent::parse_fast(kind, data)
    {
        return Frame::Item(event_item(stream, event, data));
    }
    read_frame_serde(names, text)
}

/// [`read_frame`] through serde alone.
pub(crate) fn read_frame_serde(names: &[Stream], text: &str) -> Frame {
    #[derive(serde::Deserialize)]
    struct Combined<'a> {
        #[serde(borrow)]
        stream: std::borrow::Cow<'a, str>,
        #[serde(borrow)]
        data: &'a serde_json::value::RawValue,
    }
    match serde_json::from_str::<Combined<'_>>(text) {
        Ok(c) => {
            let raw = c.data.get();
            if c.stream.starts_with("!serverShutdown") || is_shutdown(raw) {
                return Frame::Shutdown;
            }
            // `None`: a stream unsubscribed a moment ago.
            let Some(kind) = kind_of(names, &c.stream) else { return Frame::Nothing };
            let event = MarketEvent::parse(kind, raw).unwrap_or_else(|_| {
                MarketEvent::Other(serde_json::from_str(raw).unwrap_or(serde_json::Value::Null))
            });
            Frame::Item(event_item(&c.stream, event, raw))
        }
        Err(_) => {
            let v: serde_json::Value = serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
            if v.get("e").and_then(|e| e.as_str()) == Some("serverShutdown") {
                return Frame::Shutdown;
            }
            match v.get("error") {
                // `{"result":null,"id":..}`: a change went through.
                None => Frame::Nothing,
                Some(e) => Frame::Item(StreamItem::Refused(
                    e.get("msg").and_then(|m| m.as_str()).map_or_else(|| e.to_string(), str::to_owned),
                )),
            }
        }
    }
}

/// Whether `event` is a `serverShutdown` event (its `e`).
fn is_shutdown(event: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Type<'a> {
        #[serde(borrow)]
        e: Option<std::borrow::Cow<'a, str>>,
    }
    event.contains("serverShutdown")
        && serde_json::from_str::<Type<'_>>(event).is_ok_and(|t| t.e.as_deref() == Some("serverShutdown"))
}

/// The kind of `stream`, if it is one of `names`.
fn kind_of(names: &[Stream], stream: &str) -> Option<mbx_core::stream::Kind> {
    names.iter().find(|s| s.name() == stream).map(|s| s.kind)
}

fn event_item(stream: &str, event: MarketEvent, raw: &str) -> StreamItem {
    StreamItem::Event(Box::new(StreamEvent { stream: stream.to_owned(), event, raw: raw.to_owned() }))
}

/// A combined-stream frame's stream name and event, when the frame is exactly
/// `{"stream":"<name>","data":<event>}` (Binance's shape) and the name has no escape. The event is
/// everything up to the last `}` (whitespace around it cut, as serde's `RawValue` does), so it is
/// only taken from a reader that checks that it is one whole object; anything else is read with
/// serde.
fn split_combined(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("{\"stream\":\"")?;
    let (stream, rest) = rest.split_once('"')?;
    if stream.contains('\\') {
        return None;
    }
    let data = rest.strip_prefix(",\"data\":")?.strip_suffix('}')?;
    Some((stream, data.trim_matches([' ', '\n', '\r', '\t'])))
}

/// Pending once: lets the reader take the item just queued before the connection reads on. It
/// wakes nobody: the reader finds the item in the queue in the same call, and its next call polls
/// the connection again ([`MarketStream::poll_item`]).
struct HandOver(bool);

impl Future for HandOver {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        Poll::Pending
    }
}

/// What became of a text frame.
enum Delivered {
    Ok,
    Shutdown,
}

/// Items from a [`MarketStream`]'s connections to its reader. The reader polls the connections
/// itself and each hands over one item before it reads on, so a plain queue does: nobody waits on
/// it, and it holds about one item a connection.
#[derive(Clone, Default)]
struct Queue(Arc<std::sync::Mutex<std::collections::VecDeque<StreamItem>>>);

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

impl Queue {
    fn push(&self, item: StreamItem) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push_back(item);
    }

    fn pop(&self) -> Option<StreamItem> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
    }
}

/// The waits between reconnection attempts of every stream the client keeps (market streams, user
/// data streams): 250 ms doubling per failure up to 30 s, plus up to half again of jitter (a small
/// xorshift generator), which spreads clients that lost the same server.
pub(crate) struct Backoff(u64);

impl Backoff {
    pub(crate) fn new() -> Backoff {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.subsec_nanos().into())
            | 1;
        Backoff(seed)
    }

    /// Waits before the attempt that follows `failures` failed ones.
    pub(crate) async fn wait(&mut self, failures: u32) {
        tokio::time::sleep(self.next(failures)).await;
    }

    /// [`Backoff::wait`] after a failure with `error`, and at least as long as a refusal's
    /// `Retry-After` asks ([`Error::RateLimited`]: a handshake refused for the address's
    /// connections of the last 5 minutes, a ban).
    pub(crate) async fn wait_after(&mut self, failures: u32, error: &Error) {
        let asked = match error {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => Duration::ZERO,
        };
        tokio::time::sleep(self.next(failures).max(asked)).await;
    }

    /// The wait after `failures` failed attempts: the base and its jitter.
    fn next(&mut self, failures: u32) -> Duration {
        let base =
            Duration::from_millis(250).saturating_mul(1 << failures.min(7)).min(Duration::from_secs(30));
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let max_ms = u64::try_from((base / 2).as_millis()).unwrap_or(u64::MAX).max(1);
        base + Duration::from_millis(self.0 % max_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<Stream> {
        ["btcusdt@trade", "btcusdt@aggTrade", "btcusdt@depth", "btcusdt@depth5", "btcusdt@kline_1m"]
            .iter()
            .map(|n| Stream::parse(n).unwrap())
            .collect()
    }

    /// A refusal's `Retry-After` lengthens the reconnection wait; other failures keep the backoff.
    #[tokio::test(start_paused = true)]
    async fn reconnection_waits_at_least_what_a_refusal_asks() {
        let mut backoff = Backoff::new();
        let refused = Error::RateLimited { status: 429, retry_after: Duration::from_secs(120), api: None };
        let start = tokio::time::Instant::now();
        backoff.wait_after(1, &refused).await;
        assert_eq!(start.elapsed(), Duration::from_secs(120));
        let start = tokio::time::Instant::now();
        backoff.wait_after(1, &Error::Transport("reset".into())).await;
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(500) && waited < Duration::from_millis(750), "{waited:?}");
    }

    const TRADE: &str =
        r#"{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"30000.10","q":"0.001","T":1,"m":true,"M":true}"#;

    /// Every frame reads the same through the fast envelope as through serde alone; the usual ones
    /// take the fast path.
    #[test]
    fn frames_read_the_same_either_way() {
        let names = names();
        let frames = [
            format!(r#"{{"stream":"btcusdt@trade","data":{TRADE}}}"#),
            format!("{{\"stream\":\"btcusdt@trade\",\"data\":{TRADE}  \n}}"),
            format!(r#"{{"stream":"btcusdt@trade","data":{TRADE},"x":1}}"#),
            format!(r#"{{"stream":"btcusdt@trade","data":{TRADE},"stream":"x"}}"#),
            format!(r#"{{"stream":"btcusdt@trade","data": {TRADE}}}"#),
            format!(r#"{{"data":{TRADE},"stream":"btcusdt@trade"}}"#),
            format!(r#"{{"stream":"btcusdt\u0040trade","data":{TRADE}}}"#),
            format!(r#"{{"stream":"ethusdt@trade","data":{TRADE}}}"#),
            format!(r#"{{"stream":"btcusdt@aggTrade","data":{TRADE}}}"#),
            r#"{"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"serverShutdown","t":7,"p":"1","q":"1","T":1,"m":true,"M":true}}"#.into(),
            r#"{"stream":"btcusdt@trade","data":{"e":"serverShutdown","E":1}}"#.into(),
            r#"{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}"#.into(),
            r#"{"e":"serverShutdown","E":1}"#.into(),
            r#"{"result":null,"id":1}"#.into(),
            r#"{"error":{"code":2,"msg":"Invalid request"},"id":1}"#.into(),
            r#"{"stream":"btcusdt@kline_1m","data":{"e":"kline"}}"#.into(),
            r#"{"stream":"btcusdt@depth5","data":{"lastUpdateId":1,"bids":[["1.0","2"]],"asks":[]}}"#.into(),
            "{\"stream\":\"btcusdt@trade\",\"data\":{}}".into(),
            "not json".into(),
        ];
        for frame in &frames {
            assert_eq!(read_frame(&names, frame), read_frame_serde(&names, frame), "{frame}");
        }
        assert!(split_combined(&frames[0]).is_some());
        match read_frame(&names, &frames[1]) {
            Frame::Item(StreamItem::Event(e)) => {
                assert_eq!(e.raw, TRADE);
                assert_eq!(e.stream, "btcusdt@trade");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(read_frame(&names, &frames[9]), Frame::Item(StreamItem::Event(_))));
        assert_eq!(read_frame(&names, &frames[10]), Frame::Shutdown);
        assert_eq!(read_frame(&names, &frames[13]), Frame::Nothing);
        assert!(
            matches!(read_frame(&names, &frames[14]), Frame::Item(StreamItem::Refused(m)) if m == "Invalid request")
        );
    }
}
