//! [`Http`]: sending a request on an idle connection from the pool or a new one, putting connections
//! that can carry another request back, and sending a safe request once more when a reused
//! connection turns out to be closed.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::connect::{Connector, Io};
use super::framing::{self, Heads, RoundTripError};
use super::{HttpError, IDLE_TIMEOUT, Origin, Request, Response};
use crate::proxy::Proxy;

/// At most this many idle connections are kept.
const MAX_IDLE: usize = 256;

/// The pool and how to open new connections. Shared by every clone of a `Client`.
pub(crate) struct Http {
    origin: Origin,
    connector: Connector,
    heads: Heads,
    idle: Mutex<Vec<Conn>>,
    timeout: Duration,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// An open connection and its read buffer.
struct Conn {
    io: Io,
    /// Read buffer, kept between requests.
    buf: Vec<u8>,
    idle_since: Instant,
}

impl Http {
    /// A pool for `origin`; `tls` is used for `https://` origins.
    pub(crate) fn new(
        origin: Origin,
        tls: Arc<rustls::ClientConfig>,
        proxy: Option<Proxy>,
        timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Http, String> {
        let heads = Heads::new(&origin, proxy.as_ref());
        let connector = Connector::new(&origin, tls, proxy, connect_timeout)?;
        Ok(Http { origin, connector, heads, idle: Mutex::new(Vec::new()), timeout })
    }

    /// Sends `req` and reads its answer, within the request timeout.
    pub(crate) async fn send(&self, req: Request<'_>) -> Result<Response, HttpError> {
        if !framing::valid_target(req.path, req.query) {
            return Err(HttpError {
                sent: false,
                detail:
                    "the path or query holds characters that cannot be sent (spaces, controls or non-ASCII)"
                        .into(),
            });
        }
        if req.headers.iter().any(|(k, v)| k.contains(['\r', '\n', ':']) || v.contains(['\r', '\n'])) {
            return Err(HttpError {
                sent: false,
                detail: "a header name or value holds a line break".into(),
            });
        }
        let head = self.heads.write(&req);
        match tokio::time::timeout(self.timeout, self.exchange(&head, req.resend_if_stale)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError {
                sent: true,
                detail: format!("no complete answer within {} ms", self.timeout.as_millis()),
            }),
        }
    }

    /// Sends `head` on an idle connection, or a new one, and reads the answer.
    async fn exchange(&self, head: &[u8], resend_if_stale: bool) -> Result<Response, HttpError> {
        let (mut conn, reused) = match self.checkout() {
            Some(conn) => (conn, true),
            None => (self.connect().await?, false),
        };
        match framing::round_trip(&mut conn.io, &mut conn.buf, head).await {
            // The server closed a kept-alive connection before answering: usually it had closed it
            // before the request arrived. Reads are sent again, once, on a new connection.
            Err(RoundTripError::ClosedBeforeAnswer(_)) if reused && resend_if_stale => {
                let mut conn = self.connect().await?;
                let result = framing::round_trip(&mut conn.io, &mut conn.buf, head).await;
                self.finish(conn, result)
            }
            result => self.finish(conn, result),
        }
    }

    /// The answer of a round trip on `conn`; the connection goes back to the pool if it can carry
    /// another request, and is closed otherwise.
    fn finish(
        &self,
        conn: Conn,
        result: Result<(Response, bool), RoundTripError>,
    ) -> Result<Response, HttpError> {
        match result {
            Ok((resp, keep)) => {
                if keep {
                    self.checkin(conn);
                }
                Ok(resp)
            }
            Err(e) => Err(e.into_http()),
        }
    }

    /// A new connection, with an empty read buffer.
    async fn connect(&self) -> Result<Conn, HttpError> {
        let io = self.connector.connect(&self.origin).await?;
        Ok(Conn { io, buf: Vec::with_capacity(8192), idle_since: Instant::now() })
    }

    /// The idle connections (a panic while the lock was held leaves nothing inconsistent in a list).
    fn idle(&self) -> MutexGuard<'_, Vec<Conn>> {
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The most recently used idle connection that is still open, if any.
    fn checkout(&self) -> Option<Conn> {
        let mut idle = self.idle();
        while let Some(mut conn) = idle.pop() {
            if conn.idle_since.elapsed() < IDLE_TIMEOUT && conn.io.is_open_and_quiet() {
                return Some(conn);
            }
        }
        None
    }

    /// Puts `conn` back in the pool, unless the pool is full.
    fn checkin(&self, mut conn: Conn) {
        conn.idle_since = Instant::now();
        // A large answer (the full exchangeInfo) leaves a large buffer: idle connections keep a small one.
        if conn.buf.capacity() > 64 * 1024 {
            conn.buf = Vec::with_capacity(8192);
        }
        let mut idle = self.idle();
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }
}
