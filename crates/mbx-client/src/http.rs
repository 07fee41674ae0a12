//! The client's HTTP/1.1 transport: keep-alive connections to one host, in a pool.
//!
//! Binance's REST API needs very little of HTTP: a request line, three headers and no body (mbx-client
//! puts every parameter in the query string), and answers with a status, a few headers and a JSON body.
//! A general client (reqwest over hyper) parses the URL again on every request, runs it through
//! redirect, proxy and retry layers and hands it to a separate connection task; here a request is one
//! buffer written on a pooled connection by the task that sends it, and the answer is read by that task
//! with a plain header parse. That is most of what made mbx-client's requests cost more CPU than its
//! peers' (BENCHMARKS.md, "Where mbx-client's instructions go").
//!
//! What it does:
//! - `http://` and `https://` (rustls with the webpki roots; certificates are always verified), any
//!   port, IPv6 literals, a path prefix in the base URL.
//! - Answers framed by `Content-Length`, `Transfer-Encoding: chunked` or the end of the connection;
//!   informational (1xx) answers skipped; `Connection: close` and HTTP/1.0 honoured.
//! - Idle connections are checked before reuse (a connection the server closed, or that has
//!   anything unread on it, is dropped) and dropped after [`IDLE_TIMEOUT`]. A safe request that finds
//!   its reused connection closed before any answer arrives is sent once more on a new connection;
//!   for other requests the caller decides (an order's outcome is then unknown).
//! - A request whose future is dropped (timeout, caller gone) takes its connection with it, so a
//!   connection in an unknown state is never reused.
//!
//! - HTTP proxies (`crate::proxy`): a `CONNECT` tunnel for `https://` hosts, absolute-form requests
//!   for `http://` hosts.
//!
//! What it does not do: redirects (Binance's API does not redirect), compression (not requested),
//! HTTP/2, SOCKS proxies.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Context;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::proxy::Proxy;

/// Idle connections older than this are closed rather than reused (servers and load balancers close
/// idle connections after about a minute; reusing one just as it closes loses the request).
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// At most this many idle connections are kept.
const MAX_IDLE: usize = 256;

/// The largest answer read (Binance's full exchangeInfo is a few MiB).
const MAX_BODY: usize = 64 << 20;

/// At most this many header lines in an answer.
const MAX_HEADERS: usize = 64;

/// A parsed base URL: where to connect and what to put in the `Host` header and before each path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    /// `true` for `https://`.
    pub(crate) tls: bool,
    /// Host name or IP address, without brackets.
    pub(crate) host: String,
    /// TCP port (default 80 or 443).
    pub(crate) port: u16,
    /// The `Host` header: host (bracketed if IPv6) and the port unless it is the default.
    pub(crate) authority: String,
    /// Path prefix without a trailing slash (usually empty).
    pub(crate) prefix: String,
}

impl Origin {
    /// Parses `http[s]://host[:port][/prefix]`; anything else (user info, a query, a fragment, a bad
    /// port) is refused with a sentence saying what is wrong.
    pub(crate) fn parse(base: &str) -> Result<Origin, String> {
        let (tls, rest) = if let Some(r) = base.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = base.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(format!("base URL '{base}' must start with http:// or https://"));
        };
        let (authority, prefix) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let prefix = prefix.trim_end_matches('/');
        if authority.is_empty() {
            return Err(format!("base URL '{base}' has no host"));
        }
        if authority.contains('@') || base.contains(['?', '#']) {
            return Err(format!("base URL '{base}' may hold only scheme, host, port and path"));
        }
        if !prefix.bytes().all(|b| b.is_ascii_graphic()) || !authority.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("base URL '{base}' holds spaces or characters outside ASCII"));
        }
        let default_port = if tls { 443 } else { 80 };
        let (host, port_text) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) =
                v6.split_once(']').ok_or_else(|| format!("base URL '{base}': unclosed '[' in the host"))?;
            match after {
                "" => (host, None),
                _ => (host, Some(after.strip_prefix(':').unwrap_or("x"))),
            }
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port_text {
            None => default_port,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("base URL '{base}': the port must be a number from 1 to 65535"))?,
        };
        if host.is_empty() {
            return Err(format!("base URL '{base}' has no host"));
        }
        let bracketed = if host.contains(':') { format!("[{host}]") } else { host.to_owned() };
        let authority = if port == default_port { bracketed } else { format!("{bracketed}:{port}") };
        Ok(Origin { tls, host: host.to_ascii_lowercase(), port, authority, prefix: prefix.to_owned() })
    }
}

/// One answer.
#[derive(Debug)]
pub(crate) struct Response {
    /// HTTP status.
    pub(crate) status: u16,
    /// `X-MBX-USED-WEIGHT-1M`, if present and a number.
    pub(crate) used_weight_1m: Option<u32>,
    /// `Retry-After` in seconds, if present and a number.
    pub(crate) retry_after: Option<u64>,
    /// `X-MBX-ORDER-COUNT-<n><unit>` headers as (window length in ms, count).
    pub(crate) order_counts: Vec<(u64, u32)>,
    /// The body, as received.
    pub(crate) body: Vec<u8>,
}

/// Why a request got no answer.
#[derive(Debug)]
pub(crate) struct HttpError {
    /// `true` if the request may have reached the server (it was written, at least in part).
    pub(crate) sent: bool,
    /// What happened, without the URL (it holds the signature).
    pub(crate) detail: String,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

/// The pool and how to open new connections. Shared by every clone of a `Client`.
pub(crate) struct Http {
    origin: Origin,
    tls: Option<(TlsConnector, ServerName<'static>)>,
    proxy: Option<Proxy>,
    /// What goes before the path in the request line: the origin's prefix, or for an `http://` host
    /// behind a proxy, the absolute form `http://authority/prefix`.
    target_prefix: String,
    /// For an `http://` host behind a proxy with credentials: the `Proxy-Authorization` header line.
    proxy_header: Option<String>,
    idle: Mutex<Vec<Conn>>,
    timeout: Duration,
    connect_timeout: Duration,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// The request line's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Delete,
}

impl Verb {
    fn as_bytes(self) -> &'static [u8] {
        match self {
            Verb::Get => b"GET ",
            Verb::Post => b"POST ",
            Verb::Put => b"PUT ",
            Verb::Delete => b"DELETE ",
        }
    }
}

/// A request to send: the path (the origin's prefix is added), the query string without `?`, and
/// the API key for `X-MBX-APIKEY`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    pub(crate) verb: Verb,
    pub(crate) path: &'a str,
    pub(crate) query: &'a str,
    pub(crate) api_key: Option<&'a str>,
    /// Whether the request may be sent again when a reused connection turns out to be closed before
    /// any answer (reads; never orders).
    pub(crate) resend_if_stale: bool,
}

const USER_AGENT: &str = concat!("mbx/", env!("CARGO_PKG_VERSION"));

impl Http {
    /// A pool for `origin`; `tls` is used for `https://` origins.
    pub(crate) fn new(
        origin: Origin,
        tls: Arc<rustls::ClientConfig>,
        proxy: Option<Proxy>,
        timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Http, String> {
        let tls = if origin.tls {
            let name = ServerName::try_from(origin.host.clone())
                .map_err(|e| format!("'{}' is not a valid TLS server name: {e}", origin.host))?;
            Some((TlsConnector::from(tls), name))
        } else {
            None
        };
        let (target_prefix, proxy_header) = match &proxy {
            Some(p) if !origin.tls => (
                format!("http://{}{}", origin.authority, origin.prefix),
                p.authorization.as_ref().map(|a| format!("\r\nProxy-Authorization: {a}")),
            ),
            _ => (origin.prefix.clone(), None),
        };
        Ok(Http {
            origin,
            tls,
            proxy,
            target_prefix,
            proxy_header,
            idle: Mutex::new(Vec::new()),
            timeout,
            connect_timeout,
        })
    }

    /// Sends `req` and reads its answer, within the request timeout.
    pub(crate) async fn send(&self, req: Request<'_>) -> Result<Response, HttpError> {
        if !valid_target(req.path, req.query) {
            return Err(HttpError {
                sent: false,
                detail:
                    "the path or query holds characters that cannot be sent (spaces, controls or non-ASCII)"
                        .into(),
            });
        }
        let head = self.head(&req);
        match tokio::time::timeout(self.timeout, self.exchange(&head, req.resend_if_stale)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError {
                sent: true,
                detail: format!("no complete answer within {} ms", self.timeout.as_millis()),
            }),
        }
    }

    fn head(&self, req: &Request<'_>) -> Vec<u8> {
        let mut head = Vec::with_capacity(160 + self.target_prefix.len() + req.path.len() + req.query.len());
        head.extend_from_slice(req.verb.as_bytes());
        head.extend_from_slice(self.target_prefix.as_bytes());
        head.extend_from_slice(req.path.as_bytes());
        if !req.query.is_empty() {
            head.push(b'?');
            head.extend_from_slice(req.query.as_bytes());
        }
        head.extend_from_slice(b" HTTP/1.1\r\nHost: ");
        head.extend_from_slice(self.origin.authority.as_bytes());
        head.extend_from_slice(b"\r\nUser-Agent: ");
        head.extend_from_slice(USER_AGENT.as_bytes());
        if let Some(key) = req.api_key {
            head.extend_from_slice(b"\r\nX-MBX-APIKEY: ");
            head.extend_from_slice(key.as_bytes());
        }
        if req.verb != Verb::Get {
            head.extend_from_slice(b"\r\nContent-Length: 0");
        }
        if let Some(line) = &self.proxy_header {
            head.extend_from_slice(line.as_bytes());
        }
        head.extend_from_slice(b"\r\n\r\n");
        head
    }

    async fn exchange(&self, head: &[u8], resend_if_stale: bool) -> Result<Response, HttpError> {
        let (mut conn, reused) = match self.checkout() {
            Some(conn) => (conn, true),
            None => (self.connect().await?, false),
        };
        match conn.round_trip(head).await {
            Ok((resp, keep)) => {
                if keep {
                    self.checkin(conn);
                }
                Ok(resp)
            }
            // The server closed a kept-alive connection before answering: usually it had closed it
            // before the request arrived. Reads are sent again, once, on a new connection.
            Err(RoundTripError::ClosedBeforeAnswer(_)) if reused && resend_if_stale => {
                let mut conn = self.connect().await?;
                match conn.round_trip(head).await {
                    Ok((resp, keep)) => {
                        if keep {
                            self.checkin(conn);
                        }
                        Ok(resp)
                    }
                    Err(e) => Err(e.into_http()),
                }
            }
            Err(e) => Err(e.into_http()),
        }
    }

    /// The most recently used idle connection that is still open, if any.
    fn checkout(&self) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(mut conn) = idle.pop() {
            if conn.idle_since.elapsed() < IDLE_TIMEOUT && conn.io.is_open_and_quiet() {
                return Some(conn);
            }
        }
        None
    }

    fn checkin(&self, mut conn: Conn) {
        conn.idle_since = Instant::now();
        // A large answer (the full exchangeInfo) leaves a large buffer: idle connections keep a small one.
        if conn.buf.capacity() > 64 * 1024 {
            conn.buf = Vec::with_capacity(8192);
        }
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }

    async fn connect(&self) -> Result<Conn, HttpError> {
        let (host, port) = match &self.proxy {
            Some(p) => (p.host.as_str(), p.port),
            None => (self.origin.host.as_str(), self.origin.port),
        };
        let via = if self.proxy.is_some() { "proxy " } else { "" };
        let fail = |what: &str, e: &dyn std::fmt::Display| HttpError {
            sent: false,
            detail: format!("{what} {via}{host}:{port}: {e}"),
        };
        let connect = async {
            let mut tcp =
                TcpStream::connect((host, port)).await.map_err(|e| fail("cannot connect to", &e))?;
            tcp.set_nodelay(true).map_err(|e| fail("cannot set up the connection to", &e))?;
            let io = match &self.tls {
                None => Io::Plain(tcp),
                Some((connector, name)) => {
                    if let Some(proxy) = &self.proxy {
                        self.tunnel(&mut tcp, proxy).await.map_err(|e| fail("the tunnel through", &e))?;
                    }
                    Io::Tls(Box::new(
                        connector
                            .connect(name.clone(), tcp)
                            .await
                            .map_err(|e| fail("TLS handshake with", &e))?,
                    ))
                }
            };
            Ok(Conn { io, buf: Vec::with_capacity(8192), idle_since: Instant::now() })
        };
        match tokio::time::timeout(self.connect_timeout, connect).await {
            Ok(r) => r,
            Err(_) => Err(fail(
                "timed out connecting to",
                &format!("after {} ms", self.connect_timeout.as_millis()),
            )),
        }
    }

    /// Asks the proxy on `tcp` for a tunnel to the origin (`CONNECT host:port`) and reads its answer.
    async fn tunnel(&self, tcp: &mut TcpStream, proxy: &Proxy) -> Result<(), String> {
        let target = match self.origin.host.contains(':') {
            true => format!("[{}]:{}", self.origin.host, self.origin.port),
            false => format!("{}:{}", self.origin.host, self.origin.port),
        };
        let mut head = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nUser-Agent: {USER_AGENT}\r\n");
        if let Some(auth) = &proxy.authorization {
            head.push_str("Proxy-Authorization: ");
            head.push_str(auth);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        tcp.write_all(head.as_bytes()).await.map_err(|e| format!("sending CONNECT: {e}"))?;
        let mut buf = Vec::with_capacity(1024);
        loop {
            if tcp.read_buf(&mut buf).await.map_err(|e| format!("reading the answer to CONNECT: {e}"))? == 0 {
                return Err("the proxy closed the connection instead of answering CONNECT".into());
            }
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut resp = httparse::Response::new(&mut headers);
            match resp.parse(&buf) {
                Ok(httparse::Status::Complete(n)) => {
                    let code = resp.code.unwrap_or(0);
                    if !(200..300).contains(&code) {
                        let hint = if code == 407 {
                            " (the proxy wants credentials: http://user:password@host:port)"
                        } else {
                            ""
                        };
                        return Err(format!(
                            "the proxy answered CONNECT with {code} {}{hint}",
                            resp.reason.unwrap_or("")
                        ));
                    }
                    if n != buf.len() {
                        return Err("the proxy sent data before the tunnel was set up".into());
                    }
                    return Ok(());
                }
                Ok(httparse::Status::Partial) if buf.len() < 64 * 1024 => {}
                Ok(httparse::Status::Partial) => {
                    return Err("the proxy's answer to CONNECT is too long".into());
                }
                Err(e) => return Err(format!("the proxy's answer to CONNECT is not HTTP: {e}")),
            }
        }
    }
}

/// Only visible ASCII may go into the request line. (A fold without early exit: the compiler turns
/// it into a few vector instructions per 16 bytes, which matters for a long signed query.)
fn valid_target(path: &str, query: &str) -> bool {
    let graphic = |s: &str| s.bytes().fold(true, |ok, b| ok & (b > b' ') & (b < 0x7f));
    path.starts_with('/') && graphic(path) && graphic(query)
}

enum Io {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Io {
    async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Io::Plain(s) => s.write_all(bytes).await,
            Io::Tls(s) => {
                s.write_all(bytes).await?;
                s.flush().await
            }
        }
    }

    async fn read_more(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        if buf.capacity() - buf.len() < 4096 {
            buf.reserve(buf.capacity().max(8192));
        }
        match self {
            Io::Plain(s) => s.read_buf(buf).await,
            Io::Tls(s) => s.read_buf(buf).await,
        }
    }

    /// `true` if nothing can be read right now: not the end of the stream, no data (an idle
    /// connection has nothing to read unless the server closed it or broke the protocol). Does not
    /// wait; TLS records that carry no data (session tickets, key updates) are consumed by rustls.
    fn is_open_and_quiet(&mut self) -> bool {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        let poll = match self {
            Io::Plain(s) => Pin::new(s).poll_read(&mut cx, &mut buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_read(&mut cx, &mut buf),
        };
        poll.is_pending()
    }
}

struct Conn {
    io: Io,
    /// Read buffer, kept between requests.
    buf: Vec<u8>,
    idle_since: Instant,
}

enum RoundTripError {
    /// The connection ended (or reset) before any byte of an answer: with a reused connection, the
    /// server most likely closed it before the request arrived.
    ClosedBeforeAnswer(String),
    /// Anything else after the request was (perhaps partly) written.
    Failed(String),
}

impl RoundTripError {
    fn into_http(self) -> HttpError {
        match self {
            RoundTripError::ClosedBeforeAnswer(d) | RoundTripError::Failed(d) => {
                HttpError { sent: true, detail: d }
            }
        }
    }
}

/// Where the body is and whether the connection can carry another request.
struct Framing {
    head_len: usize,
    status: u16,
    used_weight_1m: Option<u32>,
    retry_after: Option<u64>,
    order_counts: Vec<(u64, u32)>,
    body: BodyKind,
    keep_alive: bool,
}

enum BodyKind {
    Length(usize),
    Chunked,
    UntilClose,
}

impl Conn {
    /// Writes `head` and reads one answer. Returns it and whether the connection may be reused.
    async fn round_trip(&mut self, head: &[u8]) -> Result<(Response, bool), RoundTripError> {
        self.buf.clear();
        if let Err(e) = self.io.write_all(head).await {
            return Err(match e.kind() {
                io::ErrorKind::BrokenPipe
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted => {
                    RoundTripError::ClosedBeforeAnswer(format!("connection closed while sending: {e}"))
                }
                _ => RoundTripError::Failed(format!("sending the request: {e}")),
            });
        }
        let framing = loop {
            match self.io.read_more(&mut self.buf).await {
                Ok(0) if self.buf.is_empty() => {
                    return Err(RoundTripError::ClosedBeforeAnswer(
                        "connection closed without an answer".into(),
                    ));
                }
                Ok(0) => {
                    return Err(RoundTripError::Failed(
                        "connection closed in the middle of an answer".into(),
                    ));
                }
                Ok(_) => {}
                Err(e) if self.buf.is_empty() && e.kind() == io::ErrorKind::ConnectionReset => {
                    return Err(RoundTripError::ClosedBeforeAnswer(format!(
                        "connection reset without an answer: {e}"
                    )));
                }
                Err(e) => return Err(RoundTripError::Failed(format!("reading the answer: {e}"))),
            }
            if let Some(framing) = parse_head(&mut self.buf).map_err(RoundTripError::Failed)? {
                break framing;
            }
            if self.buf.len() > 1 << 20 {
                return Err(RoundTripError::Failed("the answer's header is larger than 1 MiB".into()));
            }
        };
        let start = framing.head_len;
        let (body, keep) = match framing.body {
            BodyKind::Length(n) => {
                if n > MAX_BODY {
                    return Err(RoundTripError::Failed(format!(
                        "the answer's body is larger than {MAX_BODY} bytes"
                    )));
                }
                while self.buf.len() - start < n {
                    self.read_body_part().await?;
                }
                // Anything after the body is a protocol error: the connection is not reused.
                let keep = framing.keep_alive && self.buf.len() - start == n;
                (self.buf[start..start + n].to_vec(), keep)
            }
            BodyKind::Chunked => loop {
                match decode_chunked(&self.buf[start..]).map_err(RoundTripError::Failed)? {
                    Some((body, used)) => break (body, framing.keep_alive && start + used == self.buf.len()),
                    None => self.read_body_part().await?,
                }
            },
            BodyKind::UntilClose => loop {
                match self.io.read_more(&mut self.buf).await {
                    Ok(0) => break (self.buf[start..].to_vec(), false),
                    Ok(_) if self.buf.len() - start > MAX_BODY => {
                        return Err(RoundTripError::Failed(format!(
                            "the answer's body is larger than {MAX_BODY} bytes"
                        )));
                    }
                    Ok(_) => {}
                    Err(e) => return Err(RoundTripError::Failed(format!("reading the answer: {e}"))),
                }
            },
        };
        let resp = Response {
            status: framing.status,
            used_weight_1m: framing.used_weight_1m,
            retry_after: framing.retry_after,
            order_counts: framing.order_counts,
            body,
        };
        Ok((resp, keep))
    }

    async fn read_body_part(&mut self) -> Result<(), RoundTripError> {
        match self.io.read_more(&mut self.buf).await {
            Ok(0) => Err(RoundTripError::Failed("connection closed in the middle of an answer".into())),
            Ok(_) if self.buf.len() > MAX_BODY + (1 << 20) => {
                Err(RoundTripError::Failed(format!("the answer is larger than {MAX_BODY} bytes")))
            }
            Ok(_) => Ok(()),
            Err(e) => Err(RoundTripError::Failed(format!("reading the answer: {e}"))),
        }
    }
}

/// Parses the answer's head at the start of `buf`, skipping (and removing) any informational (1xx)
/// heads first. `Ok(None)`: incomplete, read more.
fn parse_head(buf: &mut Vec<u8>) -> Result<Option<Framing>, String> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut resp = httparse::Response::new(&mut headers);
        let head_len = match resp.parse(buf) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(e) => return Err(format!("the answer is not HTTP/1.1: {e}")),
        };
        let status = resp.code.unwrap_or(0);
        if (100..200).contains(&status) {
            if status == 101 {
                return Err("the server switched protocols".into());
            }
            buf.drain(..head_len);
            continue;
        }
        let mut framing = Framing {
            head_len,
            status,
            used_weight_1m: None,
            retry_after: None,
            order_counts: Vec::new(),
            body: BodyKind::UntilClose,
            keep_alive: resp.version == Some(1),
        };
        let mut length: Option<usize> = None;
        for h in resp.headers.iter() {
            let name = h.name;
            let value = std::str::from_utf8(h.value).unwrap_or("").trim();
            if name.eq_ignore_ascii_case("content-length") {
                let n = value.parse::<usize>().map_err(|_| format!("bad Content-Length '{value}'"))?;
                if length.is_some_and(|l| l != n) {
                    return Err("conflicting Content-Length headers".into());
                }
                length = Some(n);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                if value.rsplit(',').next().is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked")) {
                    framing.body = BodyKind::Chunked;
                } else {
                    return Err(format!("unsupported Transfer-Encoding '{value}'"));
                }
            } else if name.eq_ignore_ascii_case("connection") {
                for token in value.split(',').map(str::trim) {
                    if token.eq_ignore_ascii_case("close") {
                        framing.keep_alive = false;
                    } else if token.eq_ignore_ascii_case("keep-alive") && resp.version == Some(0) {
                        framing.keep_alive = true;
                    }
                }
            } else if name.eq_ignore_ascii_case("x-mbx-used-weight-1m") {
                framing.used_weight_1m = value.parse().ok();
            } else if name.eq_ignore_ascii_case("retry-after") {
                framing.retry_after = value.parse().ok();
            } else if let Some(window) = order_count_window(name)
                && let Ok(count) = value.parse()
            {
                framing.order_counts.push((window, count));
            }
        }
        // Chunked wins over a length (RFC 9112 6.3); answers that never have a body.
        if let (Some(n), false) = (length, matches!(framing.body, BodyKind::Chunked)) {
            framing.body = BodyKind::Length(n);
        }
        if status == 204 || status == 304 {
            framing.body = BodyKind::Length(0);
        }
        if matches!(framing.body, BodyKind::UntilClose) {
            framing.keep_alive = false;
        }
        return Ok(Some(framing));
    }
}

/// The window of an `X-MBX-ORDER-COUNT-<n><unit>` header in ms (`10S`, `1M`, `1H`, `1D`), or `None`
/// for any other header.
fn order_count_window(name: &str) -> Option<u64> {
    const PREFIX: &str = "x-mbx-order-count-";
    if name.len() <= PREFIX.len() || !name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let suffix = &name[PREFIX.len()..];
    let (num, unit) = suffix.split_at(suffix.len() - 1);
    let unit_ms = match unit.to_ascii_lowercase().as_str() {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    num.parse::<u64>().ok().filter(|n| *n > 0).map(|n| n * unit_ms)
}

/// Decodes a chunked body at the start of `data`. `Ok(None)`: incomplete. `Ok(Some((body, used)))`:
/// the body and how many bytes of `data` it took, trailers included.
fn decode_chunked(data: &[u8]) -> Result<Option<(Vec<u8>, usize)>, String> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let Some(eol) = find_crlf(&data[at..]) else { return Ok(None) };
        let line = &data[at..at + eol];
        let size_text = line.split(|b| *b == b';').next().unwrap_or(b"");
        let size_text = std::str::from_utf8(size_text).map_err(|_| "bad chunk size".to_owned())?.trim();
        let size =
            usize::from_str_radix(size_text, 16).map_err(|_| format!("bad chunk size '{size_text}'"))?;
        at += eol + 2;
        if size == 0 {
            // Trailers, if any, end with an empty line.
            loop {
                let Some(eol) = find_crlf(&data[at..]) else { return Ok(None) };
                at += eol + 2;
                if eol == 0 {
                    return Ok(Some((body, at)));
                }
            }
        }
        if size > MAX_BODY || body.len() + size > MAX_BODY {
            return Err(format!("the answer's body is larger than {MAX_BODY} bytes"));
        }
        if data.len() < at + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&data[at..at + size]);
        if &data[at + size..at + size + 2] != b"\r\n" {
            return Err("a chunk does not end with CRLF".into());
        }
        at += size + 2;
    }
}

fn find_crlf(data: &[u8]) -> Option<usize> {
    data.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_parse_hosts_ports_and_prefixes() {
        let o = Origin::parse("https://api.binance.com").unwrap();
        assert_eq!(
            (o.tls, o.host.as_str(), o.port, o.authority.as_str(), o.prefix.as_str()),
            (true, "api.binance.com", 443, "api.binance.com", "")
        );
        let o = Origin::parse("http://127.0.0.1:9900/").unwrap();
        assert_eq!(
            (o.tls, o.port, o.authority.as_str(), o.prefix.as_str()),
            (false, 9900, "127.0.0.1:9900", "")
        );
        let o = Origin::parse("http://[::1]:8080/base/").unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.authority.as_str(), o.prefix.as_str()),
            ("::1", 8080, "[::1]:8080", "/base")
        );
        let o = Origin::parse("https://Example.com:443").unwrap();
        assert_eq!((o.host.as_str(), o.authority.as_str()), ("example.com", "Example.com"));
        for bad in [
            "ftp://x",
            "http://",
            "http://:80",
            "http://host:0",
            "http://host:99999",
            "http://host:x",
            "http://u:p@host",
            "http://host/?a=1",
            "http://ho st",
            "http://[::1",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    fn framing(raw: &str) -> Result<Option<Framing>, String> {
        parse_head(&mut raw.as_bytes().to_vec())
    }

    #[test]
    fn heads_give_framing_limits_and_reuse() {
        let f = framing("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-MBX-USED-WEIGHT-1M: 21\r\n\r\n{}")
            .unwrap()
            .unwrap();
        assert!(matches!(f.body, BodyKind::Length(2)));
        assert_eq!((f.status, f.used_weight_1m, f.keep_alive), (200, Some(21), true));
        assert_eq!(
            f.head_len,
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-MBX-USED-WEIGHT-1M: 21\r\n\r\n".len()
        );
        let f = framing(
            "HTTP/1.1 429 Too Many\r\nretry-after: 7\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!((f.status, f.retry_after, f.keep_alive), (429, Some(7), false));
        let f = framing("HTTP/1.1 200 OK\r\nX-MBX-ORDER-COUNT-10S: 3\r\nx-mbx-order-count-1d: 42\r\nX-MBX-ORDER-COUNT-XS: 1\r\nContent-Length: 0\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(f.order_counts, vec![(10_000, 3), (86_400_000, 42)]);
        let f = framing("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").unwrap().unwrap();
        assert!(!f.keep_alive, "HTTP/1.0 closes unless asked to keep alive");
        let f = framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(matches!(f.body, BodyKind::Chunked));
        let f = framing("HTTP/1.1 200 OK\r\n\r\n").unwrap().unwrap();
        assert!(matches!(f.body, BodyKind::UntilClose) && !f.keep_alive);
        assert!(framing("HTTP/1.1 200 OK\r\nContent-Le").unwrap().is_none(), "incomplete");
        assert!(framing("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").is_err());
        assert!(framing("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").is_err());
        assert!(framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").is_err());
        assert!(framing("SSH-2.0-OpenSSH\r\n\r\n").is_err());
        // An informational answer is skipped.
        let last = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
        let mut buf = format!("HTTP/1.1 100 Continue\r\n\r\n{last}").into_bytes();
        let f = parse_head(&mut buf).unwrap().unwrap();
        assert_eq!((f.status, f.head_len, buf.len()), (201, last.len(), last.len()));
    }

    #[test]
    fn chunked_bodies_decode_across_reads() {
        let raw = b"4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\nX-Trailer: y\r\n\r\n";
        let (body, used) = decode_chunked(raw).unwrap().unwrap();
        assert_eq!((body.as_slice(), used), (&b"{\"a\":1}"[..], raw.len()));
        for cut in 0..raw.len() {
            assert!(decode_chunked(&raw[..cut]).unwrap().is_none(), "cut at {cut}");
        }
        assert!(decode_chunked(b"zz\r\n").is_err());
        assert!(decode_chunked(b"2\r\nabXY").is_err());
    }

    #[test]
    fn request_targets_must_be_visible_ascii() {
        assert!(valid_target("/api/v3/order", "symbol=BTCUSDT&price=1.5"));
        assert!(!valid_target("/api/v3/order", "a=b c"));
        assert!(!valid_target("/api/v3/order\r\nX: y", ""));
        assert!(!valid_target("api/v3/order", ""));
        assert!(!valid_target("/api/v3/订单", ""));
    }
}
