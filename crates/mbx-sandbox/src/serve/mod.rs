//! The sandbox's HTTP server. Requests for Binance's endpoints are read and answered by its own
//! HTTP/1.1 loop (`http1.rs`) until a connection sends one that loop does not take; from then on
//! the connection is hyper's HTTP/1.1 with axum's router. Both apply what `axum::serve` leaves out
//! and a server facing untrusted clients needs:
//!
//! * a header-read timeout ([`HEADER_READ_TIMEOUT`], 30 s): a connection that does not finish
//!   sending a request head in time (a slow drip, half a head and then silence, or nothing at all)
//!   is closed, instead of holding its socket and task forever;
//! * a body-read timeout ([`BODY_READ_TIMEOUT`], 30 s): a request whose head came but whose body
//!   trickles in (or stops) is answered `408` once the time is up, and its connection closed;
//! * a limit on the request head ([`MAX_HEAD`], 64 KiB; `431` over it) and hyper's 100 headers;
//! * a cap on the connections open at once from one client address ([`ServeLimits`]): the next one
//!   gets `429` with Binance's `-1003` and is closed, so that one client cannot exhaust the
//!   process's sockets and memory;
//! * `TCP_NODELAY` on every connection (a response or a WebSocket frame goes out at once, as
//!   Binance's servers answer);
//! * a graceful stop: no new connections, every open one finishes its request in progress.
//!
//! WebSocket connections leave hyper once upgraded: the stream hub and the WebSocket API apply
//! their own rules to them (pings, lifetime, message rates).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1::Builder;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tower::Service;

use crate::state::AppState;

mod http1;

/// The server's own HTTP/1.1 path's head reading, for the fuzz target (`fuzzing::http1_head`).
pub(crate) use http1::fuzz as fuzz_http1;

/// How long a client has to send a whole request head, from the moment the server starts reading
/// one: hyper's own default, with the timer that `axum::serve` does not give it. Hyper starts
/// reading the next head as soon as an answer is sent, so this is also how long a keep-alive
/// connection may stay idle (web servers commonly close idle ones after 60 to 75 s; clients open a
/// new one when they find a pooled connection closed).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a client has to send a request's body, from the moment its head has been read. The
/// docs are silent; web servers commonly answer `408` to a body that does not come in time (nginx's
/// `client_body_timeout`, 60 s), and so does the sandbox (`-1000`, with a hint).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request head read (request line and headers), in bytes; a larger one is answered
/// `431` and closed. The docs are silent; the load balancers in front of web APIs refuse heads
/// over 64 KiB too (AWS's, for one). It bounds a connection's read buffer while its head arrives
/// (hyper's default is about 400 KiB).
pub const MAX_HEAD: usize = 64 * 1024;

/// Connections open at once from one client address, by default: far above what a trading program
/// opens (Binance allows 300 new WebSocket connections per 5 minutes), and enough for the benchmarks'
/// thousand stream connections from loopback.
pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 4096;

/// Limits on the connections the server keeps.
///
/// ```
/// use std::time::Duration;
/// use mbx_sandbox::serve::ServeLimits;
///
/// // A sandbox for a test of slow clients: a short header-read timeout, few connections.
/// let limits = ServeLimits {
///     max_connections_per_address: 8,
///     header_read_timeout: Duration::from_secs(1),
///     ..ServeLimits::default()
/// };
/// let builder = mbx_sandbox::Sandbox::builder().memory().serve_limits(limits);
/// # let _ = builder;
/// assert_eq!(ServeLimits::default().header_read_timeout, mbx_sandbox::serve::HEADER_READ_TIMEOUT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Connections open at once from one client address (WebSocket ones included).
    pub max_connections_per_address: usize,
    /// How long a client has to send a request head.
    pub header_read_timeout: Duration,
    /// How long a client has to send a request's body once its head is in.
    pub body_read_timeout: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            max_connections_per_address: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
        }
    }
}

/// What a connection over the cap is told before it is closed: Binance's `-1003` (its code from
/// mbx-core's catalog) with the reason, rendered once.
static OVER_CAP: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    let body = serde_json::json!({
        "code": mbx_core::ErrorCode::TOO_MANY_REQUESTS.get(),
        "msg": "Too many connections from this address; close some before opening more.",
    })
    .to_string();
    format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json;charset=UTF-8\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
});

/// Open connections per client address.
#[derive(Debug, Default)]
struct OpenConnections(Mutex<HashMap<IpAddr, usize>>);

impl OpenConnections {
    /// Counts one more connection from `ip`, unless `max` are open already.
    fn admit(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<ConnectionSlot> {
        let mut open = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot { open: self.clone(), ip })
    }
}

/// An admitted connection's socket, holding its slot until it is dropped (by hyper, or after an
/// upgrade by the WebSocket that took it over), with the bytes the server's own HTTP/1.1 path read
/// but did not serve: they are read first.
struct Admitted {
    tcp: tokio::net::TcpStream,
    read: axum::body::Bytes,
    _slot: ConnectionSlot,
}

impl tokio::io::AsyncRead for Admitted {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let this = self.get_mut();
        if !this.read.is_empty() {
            let n = this.read.len().min(buf.remaining());
            buf.put_slice(&this.read.split_to(n));
            return std::task::Poll::Ready(Ok(()));
        }
        std::pin::Pin::new(&mut this.tcp).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Admitted {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.get_mut().tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.get_mut().tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}

/// One admitted connection: given back when the connection ends.
#[derive(Debug)]
struct ConnectionSlot {
    open: Arc<OpenConnections>,
    ip: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `stop` fires (or is dropped), then lets every open connection
/// finish its request in progress and returns once they have all closed. A request for one of
/// Binance's endpoints is answered without the router (`router::Direct`, with `state`, the
/// router's own); every other one goes through `app`.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    state: AppState,
    limits: ServeLimits,
    stop: oneshot::Receiver<()>,
) {
    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    let open = Arc::new(OpenConnections::default());
    // Closed (dropped) to ask every connection to finish; each connection holds a receiver of
    // `done`, so `done_tx.closed()` completes when the last one has gone.
    let (signal_tx, signal_rx) = watch::channel(());
    let (done_tx, done_rx) = watch::channel(());
    // hyper's HTTP/1.1 builder itself: hyper-util's `auto` one first waits for bytes to tell
    // HTTP/1 from HTTP/2, without a timeout, so a client that connects and sends nothing was never
    // closed.
    let mut builder = Builder::new();
    builder
        .header_read_timeout(limits.header_read_timeout)
        // A complete head over the limit is refused; an incomplete one stops growing the read
        // buffer (which hyper lets reach about twice its bound before it gives up).
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_HEAD);
    let builder = Arc::new(builder);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors or similar: the error is the OS's; wait a moment
                    // rather than spin (as axum::serve does).
                    tracing::warn!(target: "mbx_sandbox", error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Some(slot) = open.admit(remote.ip(), limits.max_connections_per_address) else {
            tracing::warn!(target: "mbx_sandbox", client = %remote.ip(), max = limits.max_connections_per_address, "connection refused: too many open from this address");
            // Told why, without waiting on a client that may not read: what fits in the socket
            // buffer now, then closed.
            let _ = tcp.try_write(&OVER_CAP);
            continue;
        };
        let _ = tcp.set_nodelay(true);
        // The router with this connection's address (ConnectInfo); always ready.
        let service = match Service::<SocketAddr>::call(&mut make, remote).await {
            Ok(s) => s,
            Err(never) => match never {},
        };
        let body_read_timeout = limits.body_read_timeout;
        let fast_state = state.clone();
        let state = state.clone();
        let ip = Some(remote.ip());
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            let req = req.map(|body| axum::body::Body::new(Deadline::new(body, body_read_timeout)));
            // A Binance endpoint's request skips axum's router (same answer, less work per request).
            let routed = match crate::router::Direct::find(&req) {
                Some(direct) => Ok(direct.serve(&state, ip, req, true)),
                None => Err((service.clone(), req)),
            };
            async move {
                match routed {
                    Ok(answer) => answer.await,
                    Err((mut service, req)) => {
                        std::future::poll_fn(|cx| Service::<Request>::poll_ready(&mut service, cx)).await?;
                        service.call(req).await
                    }
                }
            }
        });
        // Each connection re-arms one timer for its header-read timeouts.
        let mut builder = Builder::clone(&builder);
        builder.timer(ConnectionTimer::default());
        let mut signal = signal_rx.clone();
        let done = done_rx.clone();
        tokio::spawn(async move {
            let _done = done;
            let mut tcp = tcp;
            // Binance's endpoints on the server's own HTTP/1.1 path until a request is for hyper.
            let read = match http1::run(&mut tcp, &fast_state, ip, &limits, &signal).await {
                http1::Next::Closed => return,
                http1::Next::HandOver(read) => read,
            };
            drop(fast_state);
            // The slot travels with the socket: an upgraded (WebSocket) connection keeps it until
            // it closes.
            let io = TokioIo::new(Admitted { tcp, read: read.into(), _slot: slot });
            let conn = builder.serve_connection(io, service).with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(target: "mbx_sandbox", client = %remote, error = %e, "connection ended with an error");
                    }
                    return;
                }
                _ = signal.changed() => {}
            }
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        });
    }
    drop(listener);
    drop(signal_rx);
    drop(signal_tx);
    drop(done_rx);
    done_tx.closed().await;
}

/// hyper's timer for one connection. Hyper asks for a new timer for every request head it starts
/// reading (the header-read timeout) and drops it once the head is in; hyper-util's `TokioTimer`
/// makes, registers and deregisters a Tokio timer each time (about 1,000 instructions a request).
/// This one keeps the connection's Tokio timer between heads and moves its deadline: a later
/// deadline is one atomic update (Tokio re-files the timer when its old time comes).
#[derive(Clone, Default)]
struct ConnectionTimer(Arc<Mutex<Option<Pin<Box<tokio::time::Sleep>>>>>);

impl hyper::rt::Timer for ConnectionTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(self.now() + duration)
    }

    fn sleep_until(&self, deadline: std::time::Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        let deadline = tokio::time::Instant::from_std(deadline);
        let kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        let sleep = match kept {
            Some(mut sleep) => {
                sleep.as_mut().reset(deadline);
                sleep
            }
            // The first head, or a timer asked for while another is still held.
            None => Box::pin(tokio::time::sleep_until(deadline)),
        };
        Box::pin(KeptSleep { sleep: Some(sleep), home: self.0.clone() })
    }

    fn now(&self) -> std::time::Instant {
        // Tokio's clock (as `TokioTimer`), which tests may pause.
        tokio::time::Instant::now().into_std()
    }
}

/// A [`ConnectionTimer`]'s timer lent to hyper: given back to the connection when hyper drops it.
struct KeptSleep {
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    home: Arc<Mutex<Option<Pin<Box<tokio::time::Sleep>>>>>,
}

impl Future for KeptSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        match &mut self.get_mut().sleep {
            Some(sleep) => sleep.as_mut().poll(cx),
            None => std::task::Poll::Ready(()),
        }
    }
}

impl hyper::rt::Sleep for KeptSleep {}

impl Drop for KeptSleep {
    fn drop(&mut self) {
        if let Some(sleep) = self.sleep.take() {
            *self.home.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(sleep);
        }
    }
}

/// The error of a request body not received within [`ServeLimits::body_read_timeout`]; the readers
/// of bodies find it in the error's sources (`extract::read_limited`) and answer `408`.
#[derive(Debug, Clone, Copy)]
pub struct BodyReadTimedOut(pub Duration);

impl std::fmt::Display for BodyReadTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body did not arrive within {} ms", self.0.as_millis())
    }
}

impl std::error::Error for BodyReadTimedOut {}

/// A request body that fails with [`BodyReadTimedOut`] when it has not ended by its deadline. The
/// timer is armed only when a read has to wait, `limit` from then (a handler reads its body as
/// soon as the head is in, so that is the head's arrival to within the handler's first steps); a
/// body already received, or never read, costs no timer and no clock read.
struct Deadline {
    inner: Incoming,
    limit: Duration,
    timer: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl Deadline {
    fn new(inner: Incoming, limit: Duration) -> Deadline {
        Deadline { inner, limit, timer: None }
    }
}

impl hyper::body::Body for Deadline {
    type Data = hyper::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        use std::task::Poll;
        let this = self.get_mut();
        match std::pin::Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|f| f.map_err(Into::into))),
            Poll::Pending => {
                let limit = this.limit;
                let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyReadTimedOut(this.limit))))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_over_the_cap_is_well_formed() {
        let text = std::str::from_utf8(&OVER_CAP).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["code"], -1003);
    }

    #[test]
    fn slots_are_counted_per_address_and_given_back() {
        let open = Arc::new(OpenConnections::default());
        let ip: IpAddr = [127, 0, 0, 1].into();
        let a = open.admit(ip, 2).unwrap();
        let _b = open.admit(ip, 2).unwrap();
        assert!(open.admit(ip, 2).is_none(), "a third over a cap of two");
        assert!(open.admit([127, 0, 0, 2].into(), 2).is_some(), "another address has its own");
        drop(a);
        assert!(open.admit(ip, 2).is_some(), "a closed connection frees its slot");
    }
}
