//! The server's own HTTP/1.1 path for the requests trading programs send most: a request for one of
//! Binance's endpoints ([`Direct`]), in HTTP/1.1, with its body (if any) given by `Content-Length`.
//! The connection's loop reads it, has [`Direct`] answer it (the frame, extractor and handler the
//! router would run) and writes the answer in one write, without hyper's machinery around each
//! request. Measured (BENCHMARKS.md, "The sandbox's own HTTP/1.1 loop"): `ping` 6.3 -> 5.4 µs of
//! CPU a request, `exchangeInfo` 7.7 -> 7.0, a durable order 20.4 -> 18.9.
//!
//! Everything else is hyper's, as before: the first request this path does not take (a WebSocket
//! upgrade, the console, the admin API, an unknown path, `Transfer-Encoding`, `Expect`, HTTP/1.0,
//! a head hyper would refuse, a body over [`MAX_BODY`]) hands the connection to hyper with the
//! bytes read so far, and hyper serves it from there until it closes. So every refusal of a
//! malformed request stays hyper's, and this path only ever sees requests hyper would have parsed
//! the same way.
//!
//! The rules hyper applied to these requests, this path applies too: the header-read timeout
//! (counted from the first wait for a head, so also an idle keep-alive connection's limit), the
//! body-read timeout (answered as the extractor answers it, `408`, then closed), the head limit
//! ([`MAX_HEAD`]: a longer head goes to hyper, which answers `431`), `Connection: close`
//! (answered with `connection: close`, then closed), pipelined requests (answered in order), a
//! graceful stop (the request in progress is answered, then the connection closed), and the same
//! answer on the wire: the status line, the answer's headers in order, `date` last.

use std::io::IoSlice;
use std::net::IpAddr;
use std::ops::Range;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Uri, Version};
use axum::response::Response;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{Instant, Sleep};

use super::{BodyReadTimedOut, MAX_HEAD, ServeLimits};
use crate::extract::MAX_BODY;
use crate::router::{API_KEY, Direct, Seen, TIME_UNIT};
use crate::state::AppState;

/// Headers a request head may carry (hyper's limit; a head with more goes to hyper, which refuses it).
const MAX_HEADERS: usize = 100;

/// Answers larger than this are written from their own buffer (one `writev`) rather than copied
/// behind the head.
const COPY_BODY_UNDER: usize = 4 * 1024;

/// How the connection's own loop ended.
pub(super) enum Next {
    /// The connection is done (closed by the client, timed out, stopped, or `Connection: close`).
    Closed,
    /// A request this path does not take: hyper serves the connection from here, starting with
    /// these bytes already read.
    HandOver(Vec<u8>),
}

/// What a buffer holds at its start.
#[derive(Debug)]
pub(crate) enum Inspected {
    /// Not a whole head yet.
    Partial,
    /// A request for hyper (see the module's doc).
    Other,
    /// A request this path takes.
    Fast(Head),
}

/// A request head this path takes: where its parts are in the buffer.
#[derive(Debug)]
pub(crate) struct Head {
    direct: Direct,
    /// The head's length, up to and including its blank line.
    len: usize,
    /// The body's length (`Content-Length`, else 0).
    body: usize,
    /// The request target (path and query).
    target: Range<usize>,
    /// Each header's name and value.
    headers: Vec<(Range<usize>, Range<usize>)>,
    /// `Connection: close`: answer, then close.
    close: bool,
}

/// Reads the request head at the start of `buf` (see [`Inspected`]).
pub(crate) fn inspect(buf: &[u8]) -> Inspected {
    let mut slots = [const { std::mem::MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut []);
    let len = match req.parse_with_uninit_headers(buf, &mut slots) {
        Ok(httparse::Status::Partial) => return Inspected::Partial,
        Ok(httparse::Status::Complete(len)) => len,
        Err(_) => return Inspected::Other,
    };
    let (Some(method), Some(target), Some(1)) = (req.method, req.path, req.version) else {
        return Inspected::Other;
    };
    // Origin form only (`/path?query`); hyper takes the rest.
    if !target.starts_with('/') {
        return Inspected::Other;
    }
    let path = target.split_once('?').map_or(target, |(path, _)| path);
    let Some(direct) = Direct::at(method, path) else {
        return Inspected::Other;
    };
    let at = |s: &[u8]| {
        let start = s.as_ptr() as usize - buf.as_ptr() as usize;
        start..start + s.len()
    };
    let mut body = None;
    let mut close = false;
    let mut headers = Vec::with_capacity(req.headers.len());
    for h in req.headers.iter() {
        let name = h.name.as_bytes();
        if name.eq_ignore_ascii_case(b"content-length") {
            match (body, content_length(h.value)) {
                (None, Some(n)) => body = Some(n),
                // Twice, or not a number: hyper decides.
                _ => return Inspected::Other,
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding")
            || name.eq_ignore_ascii_case(b"expect")
            || name.eq_ignore_ascii_case(b"upgrade")
        {
            return Inspected::Other;
        } else if name.eq_ignore_ascii_case(b"connection") {
            for token in h.value.split(|&b| b == b',') {
                let token = token.trim_ascii();
                if token.eq_ignore_ascii_case(b"close") {
                    close = true;
                } else if token.eq_ignore_ascii_case(b"upgrade") {
                    return Inspected::Other;
                }
            }
        }
        headers.push((at(name), at(h.value)));
    }
    let body = body.unwrap_or(0);
    if body > MAX_BODY {
        // The extractor's refusal (413), through hyper, without buffering the body here.
        return Inspected::Other;
    }
    Inspected::Fast(Head { direct, len, body, target: at(target.as_bytes()), headers, close })
}

/// A target whose query holds bytes the `http` types refuse but Binance reads: `"`, `[`, `{`, `|`,
/// ... sent as they are (rest-api.md's own example: `exchangeInfo?symbols=["BTCUSDT","BNBBTC"]`,
/// and clients that build such URLs by hand). The URI with those bytes percent-encoded, and the
/// query as it was sent, which a signature covers (`crate::extract::SentQuery`). `None` for a
/// target that is refused for another reason, or whose path holds them.
fn lenient_uri(target: &[u8]) -> Option<(Uri, crate::extract::SentQuery)> {
    let at = target.iter().position(|&b| b == b'?')?;
    let (path, query) = target.split_at(at + 1);
    let mut encoded = path.to_vec();
    for &b in query {
        if b.is_ascii_graphic() && !b"\"<>[\\]^`{|}".contains(&b) {
            encoded.push(b);
        } else {
            encoded.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    let uri = Uri::try_from(encoded).ok()?;
    let sent = String::from_utf8(query.to_vec()).ok()?;
    Some((uri, crate::extract::SentQuery(sent)))
}

/// A `Content-Length` value: decimal digits only.
fn content_length(value: &[u8]) -> Option<usize> {
    if value.is_empty() || value.len() > 18 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

impl Head {
    /// The request, from `bytes` (its head, then `body` as the body). `None` where the `http`
    /// types refuse a part that httparse let through: hyper then answers it.
    fn request(&self, bytes: &Bytes, body: Body) -> Option<Request> {
        let (uri, sent) = match Uri::from_maybe_shared(bytes.slice(self.target.clone())) {
            Ok(uri) => (uri, None),
            Err(_) => {
                let (uri, query) = lenient_uri(&bytes[self.target.clone()])?;
                (uri, Some(query))
            }
        };
        let mut headers = HeaderMap::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(&bytes[name.clone()]).ok()?;
            let value = HeaderValue::from_maybe_shared(bytes.slice(value.clone())).ok()?;
            headers.append(name, value);
        }
        let mut req = Request::new(body);
        *req.method_mut() = self.direct.method();
        *req.uri_mut() = uri;
        *req.version_mut() = Version::HTTP_11;
        *req.headers_mut() = headers;
        if let Some(query) = sent {
            req.extensions_mut().insert(query);
        }
        Some(req)
    }

    /// What the frame reads of the request (`buf` holds its head): `None` where [`Head::request`]
    /// is (the `http` types refuse the target; the headers httparse let through they all take,
    /// names and values alike, which the fuzz target checks).
    fn seen(&self, buf: &[u8]) -> Option<Seen> {
        let target = &buf[self.target.clone()];
        let uri = Uri::try_from(target).ok().or_else(|| lenient_uri(target).map(|(uri, _)| uri))?;
        // The first of a name, as `HeaderMap::get` gives it.
        let header = |name: &HeaderName| match self
            .headers
            .iter()
            .find(|(n, _)| buf[n.clone()].eq_ignore_ascii_case(name.as_str().as_bytes()))
        {
            None => Some(None),
            Some((_, value)) => HeaderValue::from_bytes(&buf[value.clone()]).ok().map(Some),
        };
        Some(Seen {
            method: self.direct.method(),
            uri,
            api_key: header(&API_KEY)?,
            time_unit: header(&TIME_UNIT)?,
        })
    }
}

/// For the fuzz target (`mbx_sandbox::fuzzing::http1_head`): inspects `data` as the start of a
/// connection's bytes and, when this path takes it, builds the request; the head's length then.
///
/// # Panics
///
/// When a head taken breaks what the loop relies on (its parts inside `data`, a body within
/// [`MAX_BODY`], a built request at the route's method and path).
pub(crate) fn fuzz(data: &[u8]) -> Option<usize> {
    let Inspected::Fast(head) = inspect(data) else { return None };
    assert!(head.len <= data.len() && head.target.end <= head.len, "{head:?}");
    assert!(head.headers.iter().all(|(n, v)| n.end <= head.len && v.end <= head.len), "{head:?}");
    assert!(head.body <= MAX_BODY);
    let total = (head.len + head.body).min(data.len());
    let bytes = Bytes::copy_from_slice(&data[..total]);
    let built = head.request(&bytes, Body::from(bytes.slice(head.len..)));
    if head.direct.public().is_some() {
        // The public path refuses exactly what the request's path refuses, and reads the same.
        let seen = head.seen(data);
        assert_eq!(seen.is_some(), built.is_some(), "{head:?}");
        if let (Some(seen), Some(req)) = (&seen, &built) {
            assert_eq!(seen.uri, *req.uri());
            assert_eq!(seen.api_key.as_ref(), req.headers().get(API_KEY));
            assert_eq!(seen.time_unit.as_ref(), req.headers().get(TIME_UNIT));
        }
    }
    let req = built?;
    assert_eq!(req.method(), head.direct.method());
    assert!(Direct::find(&req).is_some(), "{head:?}");
    Some(head.len)
}

/// Serves the connection's requests on this path until one is for hyper or the connection ends.
pub(super) async fn run(
    tcp: &mut TcpStream,
    state: &AppState,
    ip: Option<IpAddr>,
    limits: &ServeLimits,
    stop: &watch::Receiver<()>,
) -> Next {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut out: Vec<u8> = Vec::with_capacity(1024);
    // One timer for the connection, re-armed for each wait (hyper's header-read and body-read
    // timeouts).
    let mut timer = std::pin::pin!(tokio::time::sleep(limits.header_read_timeout));
    // The wait for a graceful stop, kept for the connection's life (made anew for each read, it
    // would join and leave the signal's waiters every time); `stop` tells whether it has begun.
    let mut watch = stop.clone();
    let mut stopped = std::pin::pin!(watch.changed());
    loop {
        let mut armed = false;
        let head = loop {
            match inspect(&buf) {
                Inspected::Fast(head) => break head,
                Inspected::Other => return Next::HandOver(buf),
                Inspected::Partial if buf.len() >= MAX_HEAD => return Next::HandOver(buf),
                Inspected::Partial => {}
            }
            if !armed {
                timer.as_mut().reset(Instant::now() + limits.header_read_timeout);
                armed = true;
            }
            // Timed out, or a graceful stop between requests: closed.
            if !matches!(more(tcp, &mut buf, timer.as_mut(), stopped.as_mut()).await, More::Read) {
                return Next::Closed;
            }
        };
        let total = head.len + head.body;
        let mut timed_out = None;
        if buf.len() < total {
            timer.as_mut().reset(Instant::now() + limits.body_read_timeout);
            // A stop waits for the request in progress.
            let mut never = std::pin::pin!(std::future::pending::<()>());
            while buf.len() < total {
                match more(tcp, &mut buf, timer.as_mut(), never.as_mut()).await {
                    More::Read => {}
                    More::TimedOut => {
                        timed_out = Some(limits.body_read_timeout);
                        break;
                    }
                    More::Closed | More::Stopped => return Next::Closed,
                }
            }
        }
        let taken = total.min(buf.len());
        let answer = match head.direct.public() {
            // A public route reads the target and two headers only: no request is built for it
            // (its body, if any, is read and left, as the route leaves it).
            Some(public) => {
                let Some(seen) = head.seen(&buf) else { return Next::HandOver(buf) };
                public.serve(state, ip, seen)
            }
            None => {
                let bytes = Bytes::copy_from_slice(&buf[..taken]);
                let body = match timed_out {
                    Some(limit) => Body::new(TimedOut { partial: Some(bytes.slice(head.len..)), limit }),
                    None if head.body == 0 => Body::empty(),
                    None => Body::from(bytes.slice(head.len..)),
                };
                let Some(req) = head.request(&bytes, body) else { return Next::HandOver(buf) };
                head.direct.serve(state, ip, req, false)
            }
        };
        buf.drain(..taken);
        let response = match answer.await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let close = head.close || timed_out.is_some() || stopping(stop);
        // Let the other connections' requests ready now be answered first, then write: answers
        // leave in bursts, and a client waiting on many connections is woken once a burst rather
        // than once an answer (measured: exchangeInfo -4.6% CPU a request, orders -4%, ping even).
        tokio::task::yield_now().await;
        if write(tcp, &mut out, response, close).await.is_err() || close {
            let _ = tcp.shutdown().await;
            return Next::Closed;
        }
    }
}

/// What waiting for more of a request gave.
enum More {
    /// Bytes, appended to the buffer.
    Read,
    /// The client closed the connection (or it failed).
    Closed,
    /// The timer went off first.
    TimedOut,
    /// `stop` completed first.
    Stopped,
}

/// Reads more of a request into `buf`, unless `timer` or `stop` comes first.
async fn more<F: Future>(
    tcp: &mut TcpStream,
    buf: &mut Vec<u8>,
    timer: Pin<&mut Sleep>,
    stop: Pin<&mut F>,
) -> More {
    if buf.capacity() - buf.len() < 1024 {
        buf.reserve(4096);
    }
    tokio::select! {
        biased;
        read = tcp.read_buf(buf) => match read {
            Ok(0) | Err(_) => More::Closed,
            Ok(_) => More::Read,
        },
        () = timer => More::TimedOut,
        _ = stop => More::Stopped,
    }
}

/// Whether a graceful stop has begun (the sender is dropped to ask for it).
fn stopping(stop: &watch::Receiver<()>) -> bool {
    !matches!(stop.has_changed(), Ok(false))
}

/// Writes `response` as hyper writes it: status line, the answer's headers in order (with
/// `content-length` if it has none), `connection: close` if closing, `date` last.
async fn write(
    tcp: &mut TcpStream,
    out: &mut Vec<u8>,
    response: Response,
    close: bool,
) -> std::io::Result<()> {
    let (parts, body) = response.into_parts();
    let body = whole(body).await.map_err(std::io::Error::other)?;
    out.clear();
    encode_head(out, &parts.status, &parts.headers, body.len(), close, &date::now());
    if body.len() < COPY_BODY_UNDER {
        out.extend_from_slice(&body);
        return tcp.write_all(out).await;
    }
    let mut written = 0;
    while written < out.len() {
        let slices = [IoSlice::new(&out[written..]), IoSlice::new(&body)];
        match tcp.write_vectored(&slices).await? {
            0 => return Err(std::io::ErrorKind::WriteZero.into()),
            n => written += n,
        }
    }
    tcp.write_all(&body[written - out.len()..]).await
}

/// A body's bytes. An answer's body is one chunk (the `Bytes` its handler made), taken as it is;
/// axum's `to_bytes` gathers even one chunk through a list, an allocation a request.
async fn whole(mut body: Body) -> Result<Bytes, axum::Error> {
    use axum::body::HttpBody as _;
    let mut first: Option<Bytes> = None;
    let mut joined: Option<Vec<u8>> = None;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        // Trailers have no place in an HTTP/1.1 answer with a length: left out, as hyper does.
        let Ok(data) = frame?.into_data() else { continue };
        match (&first, &mut joined) {
            (None, _) => first = Some(data),
            (Some(f), None) => joined = Some([f.as_ref(), data.as_ref()].concat()),
            (Some(_), Some(all)) => all.extend_from_slice(&data),
        }
    }
    Ok(match joined {
        Some(all) => Bytes::from(all),
        None => first.unwrap_or_default(),
    })
}

/// The head of an answer (see [`write`]).
pub(crate) fn encode_head(
    out: &mut Vec<u8>,
    status: &axum::http::StatusCode,
    headers: &HeaderMap,
    body: usize,
    close: bool,
    date: &[u8],
) {
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(status.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(status.canonical_reason().unwrap_or("").as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
        // The legacy header with the same number, which Binance still sends (the frame leaves it
        // to this path: `router::frame`'s `legacy`).
        if *name == crate::limits::USED_WEIGHT_1M {
            out.extend_from_slice(b"x-mbx-used-weight: ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    if !headers.contains_key(CONTENT_LENGTH) {
        out.extend_from_slice(b"content-length: ");
        out.extend_from_slice(mbx_core::params::unsigned_digits(body as u128, &mut [0; 39]).as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if close {
        out.extend_from_slice(b"connection: close\r\n");
    }
    out.extend_from_slice(b"date: ");
    out.extend_from_slice(date);
    out.extend_from_slice(b"\r\n\r\n");
}

/// A body whose rest did not come in time: what came, then [`BodyReadTimedOut`] (the extractor
/// answers it `408`, as it does hyper's body that times out).
struct TimedOut {
    partial: Option<Bytes>,
    limit: Duration,
}

impl hyper::body::Body for TimedOut {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(match self.partial.take() {
            Some(bytes) => Ok(hyper::body::Frame::data(bytes)),
            None => Err(Box::new(BodyReadTimedOut(self.limit))),
        }))
    }
}

/// The `date` header's value (IMF-fixdate, as hyper writes it), made once a second per thread.
pub(crate) mod date {
    use std::cell::RefCell;
    use std::time::{SystemTime, UNIX_EPOCH};

    thread_local! {
        static CACHED: RefCell<(u64, [u8; 29])> = const { RefCell::new((u64::MAX, [0; 29])) };
    }

    /// Now's date.
    pub(crate) fn now() -> [u8; 29] {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        CACHED.with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != secs {
                *c = (secs, format(secs));
            }
            c.1
        })
    }

    /// `secs` (since the Unix epoch) as `Sun, 06 Nov 1994 08:49:37 GMT`.
    pub(crate) fn format(secs: u64) -> [u8; 29] {
        const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
        const MONTHS: [&[u8; 3]; 12] =
            [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
        let days = secs / 86_400;
        let in_day = secs % 86_400;
        let (year, month, day) = mbx_core::time::civil_from_days(i64::try_from(days).unwrap_or(0));
        let year = year.clamp(0, 9999) as u64;
        let mut out = *b"Thu, 01 Jan 1970 00:00:00 GMT";
        out[..3].copy_from_slice(DAYS[(days % 7) as usize]);
        let two = |n: u64| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        out[5..7].copy_from_slice(&two(day.clamp(1, 31) as u64));
        out[8..11].copy_from_slice(MONTHS[month.clamp(1, 12) as usize - 1]);
        out[12..14].copy_from_slice(&two(year / 100));
        out[14..16].copy_from_slice(&two(year % 100));
        out[17..19].copy_from_slice(&two(in_day / 3600));
        out[20..22].copy_from_slice(&two(in_day / 60 % 60));
        out[23..25].copy_from_slice(&two(in_day % 60));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(buf: &[u8]) -> Head {
        match inspect(buf) {
            Inspected::Fast(head) => head,
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(buf)),
        }
    }

    /// One chunk is taken as it is (the same bytes, not a copy); several are joined in order.
    #[tokio::test]
    async fn a_body_is_taken_whole() {
        let doc = Bytes::from(vec![b'x'; 11_000]);
        let one = whole(Body::from(doc.clone())).await.unwrap();
        assert_eq!(one.as_ptr(), doc.as_ptr(), "not copied");
        assert_eq!(whole(Body::empty()).await.unwrap(), Bytes::new());
        let chunks = ["ab", "", "cd", "e"].map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c.as_bytes())));
        let joined = whole(Body::from_stream(futures_util::stream::iter(chunks))).await.unwrap();
        assert_eq!(joined, Bytes::from_static(b"abcde"));
        let failing = [Ok(Bytes::from_static(b"ab")), Err(std::io::Error::other("cut"))];
        assert!(whole(Body::from_stream(futures_util::stream::iter(failing))).await.is_err());
    }

    #[test]
    fn takes_binance_endpoints_in_http_1_1() {
        let req = b"POST /api/v3/order?symbol=BTCUSDT HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: k\r\nContent-Length: 5\r\n\r\na=1&bGET";
        let head = fast(req);
        assert_eq!(head.len, req.len() - 8);
        assert_eq!(head.body, 5);
        assert_eq!(&req[head.target.clone()], b"/api/v3/order?symbol=BTCUSDT");
        assert_eq!(head.headers.len(), 3);
        assert!(!head.close);
        let bytes = Bytes::copy_from_slice(&req[..head.len + head.body]);
        let built = head.request(&bytes, Body::empty()).unwrap();
        assert_eq!(built.method(), "POST");
        assert_eq!(built.uri().query(), Some("symbol=BTCUSDT"));
        assert_eq!(built.headers()["x-mbx-apikey"], "k");
        assert!(fast(b"GET /api/v3/ping HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").close);
    }

    #[test]
    fn leaves_the_rest_to_hyper() {
        for req in [
            &b"GET /api/v3/ping HTTP/1.0\r\n\r\n"[..],
            b"HEAD /api/v3/ping HTTP/1.1\r\n\r\n",
            b"get /api/v3/ping HTTP/1.1\r\n\r\n",
            b"GET /sandbox/v1/health HTTP/1.1\r\n\r\n",
            b"GET /ws/btcusdt@trade HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            b"GET /api/v3/ping HTTP/1.1\r\nConnection: upgrade\r\n\r\n",
            b"GET http://x/api/v3/ping HTTP/1.1\r\n\r\n",
            b"POST /api/v3/order HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            b"POST /api/v3/order HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
            b"POST /api/v3/order HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
            b"POST /api/v3/order HTTP/1.1\r\nContent-Length: +3\r\n\r\n",
            b"POST /api/v3/order HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
            b"GET /api/v3/ping HTTP/1.1\r\nBad Header: x\r\n\r\n",
            b"\x00\x01\x02\r\n\r\n",
        ] {
            assert!(matches!(inspect(req), Inspected::Other), "{:?}", String::from_utf8_lossy(req));
        }
        let many = format!("GET /api/v3/ping HTTP/1.1\r\n{}\r\n", "a: b\r\n".repeat(MAX_HEADERS + 1));
        assert!(matches!(inspect(many.as_bytes()), Inspected::Other));
        for partial in [&b""[..], b"GET /api/v3/pi", b"GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n"] {
            assert!(matches!(inspect(partial), Inspected::Partial));
        }
    }

    #[test]
    fn heads_are_written_as_hyper_writes_them() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.append("x-a", HeaderValue::from_static("1"));
        headers.append("x-a", HeaderValue::from_static("2"));
        let mut out = Vec::new();
        encode_head(&mut out, &axum::http::StatusCode::BAD_REQUEST, &headers, 12, true, b"D");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-a: 1\r\nx-a: 2\r\n\
             content-length: 12\r\nconnection: close\r\ndate: D\r\n\r\n"
        );
    }

    #[test]
    fn dates_are_imf_fixdates() {
        assert_eq!(&date::format(0), b"Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(&date::format(784_111_777), b"Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(&date::format(951_782_400), b"Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(&date::format(1_796_409_572), b"Fri, 04 Dec 2026 18:39:32 GMT");
        assert_eq!(&date::format(4_102_444_799), b"Thu, 31 Dec 2099 23:59:59 GMT");
    }
}
