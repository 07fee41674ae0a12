//! HTTP/1.1 on the wire: writing a request's head and reading one answer (status line and headers
//! with httparse, then a body framed by `Content-Length`, `Transfer-Encoding: chunked` or the end of
//! the connection).

use std::io;

use super::connect::Io;
use super::{HttpError, Origin};
use crate::proxy::Proxy;

/// The largest answer read (Binance's full exchangeInfo is a few MiB).
const MAX_BODY: usize = 64 << 20;

/// At most this many header lines in an answer (or in a proxy's answer to `CONNECT`).
pub(super) const MAX_HEADERS: usize = 64;

/// The `User-Agent` of every request (and of a proxy `CONNECT`).
pub(super) const USER_AGENT: &str = concat!("mbx/", env!("CARGO_PKG_VERSION"));

/// The request line's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
}

impl Verb {
    /// The method and the space after it, as it starts the request line.
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
    /// The method.
    pub(crate) verb: Verb,
    /// The path, starting with `/`, without the origin's prefix.
    pub(crate) path: &'a str,
    /// The query string without `?` (empty for none).
    pub(crate) query: &'a str,
    /// The value of `X-MBX-APIKEY`, if the request carries one.
    pub(crate) api_key: Option<&'a str>,
    /// Whether the request may be sent again when a reused connection turns out to be closed before
    /// any answer (reads; never orders).
    pub(crate) resend_if_stale: bool,
    /// More headers, sent as given (names and values without CR or LF); empty for Binance calls.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    /// The body (with its `Content-Type` among `headers`); empty for Binance calls, whose
    /// parameters all travel in the query string.
    pub(crate) body: &'a [u8],
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
    /// `X-Sandbox-Hint`: an mbx sandbox's sentence on why it refused a request.
    pub(crate) sandbox_hint: Option<String>,
    /// The body, as received.
    pub(crate) body: Vec<u8>,
}

/// Only visible ASCII may go into the request line. (A fold without early exit: the compiler turns
/// it into a few vector instructions per 16 bytes, which matters for a long signed query.)
pub(super) fn valid_target(path: &str, query: &str) -> bool {
    let graphic = |s: &str| s.bytes().fold(true, |ok, b| ok & (b > b' ') & (b < 0x7f));
    path.starts_with('/') && graphic(path) && graphic(query)
}

/// What the head of every request to one origin shares, fixed when the client is built.
pub(super) struct Heads {
    /// What goes before the path in the request line: the origin's prefix, or for an `http://` host
    /// behind a proxy, the absolute form `http://authority/prefix`.
    target_prefix: String,
    /// The `Host` header (the origin's authority).
    authority: String,
    /// For an `http://` host behind a proxy with credentials: the `Proxy-Authorization` header line.
    proxy_header: Option<String>,
}

impl Heads {
    /// Heads for requests to `origin`, through `proxy` if there is one. (An `https://` origin behind a
    /// proxy is reached through a tunnel: its requests look as if there were no proxy.)
    pub(super) fn new(origin: &Origin, proxy: Option<&Proxy>) -> Heads {
        let (target_prefix, proxy_header) = match proxy {
            Some(p) if !origin.tls => (
                format!("http://{}{}", origin.authority, origin.prefix),
                p.authorization.as_ref().map(|a| format!("\r\nProxy-Authorization: {a}")),
            ),
            _ => (origin.prefix.clone(), None),
        };
        Heads { target_prefix, authority: origin.authority.clone(), proxy_header }
    }

    /// The bytes of `req`: request line, headers, the empty line, and the body if it has one.
    pub(super) fn write(&self, req: &Request<'_>) -> Vec<u8> {
        let mut head = Vec::with_capacity(
            160 + self.target_prefix.len() + req.path.len() + req.query.len() + req.body.len(),
        );
        head.extend_from_slice(req.verb.as_bytes());
        head.extend_from_slice(self.target_prefix.as_bytes());
        head.extend_from_slice(req.path.as_bytes());
        if !req.query.is_empty() {
            head.push(b'?');
            head.extend_from_slice(req.query.as_bytes());
        }
        head.extend_from_slice(b" HTTP/1.1\r\nHost: ");
        head.extend_from_slice(self.authority.as_bytes());
        head.extend_from_slice(b"\r\nUser-Agent: ");
        head.extend_from_slice(USER_AGENT.as_bytes());
        if let Some(key) = req.api_key {
            head.extend_from_slice(b"\r\nX-MBX-APIKEY: ");
            head.extend_from_slice(key.as_bytes());
        }
        for (name, value) in req.headers {
            head.extend_from_slice(b"\r\n");
            head.extend_from_slice(name.as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value.as_bytes());
        }
        if req.verb != Verb::Get || !req.body.is_empty() {
            head.extend_from_slice(b"\r\nContent-Length: ");
            head.extend_from_slice(req.body.len().to_string().as_bytes());
        }
        if let Some(line) = &self.proxy_header {
            head.extend_from_slice(line.as_bytes());
        }
        head.extend_from_slice(b"\r\n\r\n");
        head.extend_from_slice(req.body);
        head
    }
}

/// Why a round trip failed.
pub(super) enum RoundTripError {
    /// The connection ended (or reset) before any byte of an answer: with a reused connection, the
    /// server most likely closed it before the request arrived.
    ClosedBeforeAnswer(String),
    /// Anything else after the request was (perhaps partly) written.
    Failed(String),
}

impl RoundTripError {
    /// The caller's view: either way the request may have reached the server.
    pub(super) fn into_http(self) -> HttpError {
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
    sandbox_hint: Option<String>,
    body: BodyKind,
    keep_alive: bool,
}

/// How the answer's body is delimited.
enum BodyKind {
    Length(usize),
    Chunked,
    UntilClose,
}

/// Writes `head` on `io` and reads one answer, using `buf` (cleared first) as the read buffer. Returns
/// the answer and whether the connection may be reused.
pub(super) async fn round_trip(
    io: &mut Io,
    buf: &mut Vec<u8>,
    head: &[u8],
) -> Result<(Response, bool), RoundTripError> {
    buf.clear();
    if let Err(e) = io.write_all(head).await {
        return Err(match e.kind() {
            io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                RoundTripError::ClosedBeforeAnswer(format!("connection closed while sending: {e}"))
            }
            _ => RoundTripError::Failed(format!("sending the request: {e}")),
        });
    }
    let framing = loop {
        match io.read_more(buf).await {
            Ok(0) if buf.is_empty() => {
                return Err(RoundTripError::ClosedBeforeAnswer("connection closed without an answer".into()));
            }
            Ok(0) => {
                return Err(RoundTripError::Failed("connection closed in the middle of an answer".into()));
            }
            Ok(_) => {}
            Err(e) if buf.is_empty() && e.kind() == io::ErrorKind::ConnectionReset => {
                return Err(RoundTripError::ClosedBeforeAnswer(format!(
                    "connection reset without an answer: {e}"
                )));
            }
            Err(e) => return Err(RoundTripError::Failed(format!("reading the answer: {e}"))),
        }
        if let Some(framing) = parse_head(buf).map_err(RoundTripError::Failed)? {
            break framing;
        }
        if buf.len() > 1 << 20 {
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
            while buf.len() - start < n {
                read_body_part(io, buf).await?;
            }
            // Anything after the body is a protocol error: the connection is not reused.
            let keep = framing.keep_alive && buf.len() - start == n;
            (buf[start..start + n].to_vec(), keep)
        }
        BodyKind::Chunked => loop {
            match decode_chunked(&buf[start..]).map_err(RoundTripError::Failed)? {
                Some((body, used)) => break (body, framing.keep_alive && start + used == buf.len()),
                None => read_body_part(io, buf).await?,
            }
        },
        BodyKind::UntilClose => loop {
            match io.read_more(buf).await {
                Ok(0) => break (buf[start..].to_vec(), false),
                Ok(_) if buf.len() - start > MAX_BODY => {
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
        sandbox_hint: framing.sandbox_hint,
        body,
    };
    Ok((resp, keep))
}

/// Reads one whole answer already in `data`, as [`round_trip`] would once every byte has arrived:
/// the status and the body, or `Ok(None)` if the answer is incomplete (a body framed by the end of
/// the connection takes the rest of `data`). For the fuzz targets (`crate::fuzzing`); never panics.
pub(crate) fn read_answer(data: &[u8]) -> Result<Option<(u16, Vec<u8>)>, String> {
    let mut buf = data.to_vec();
    let Some(framing) = parse_head(&mut buf)? else { return Ok(None) };
    let start = framing.head_len;
    let body = match framing.body {
        BodyKind::Length(n) if n > MAX_BODY => {
            return Err(format!("the answer's body is larger than {MAX_BODY} bytes"));
        }
        BodyKind::Length(n) => match buf.get(start..).and_then(|rest| rest.get(..n)) {
            Some(body) => body.to_vec(),
            None => return Ok(None),
        },
        BodyKind::Chunked => match decode_chunked(&buf[start..])? {
            Some((body, _)) => body,
            None => return Ok(None),
        },
        BodyKind::UntilClose => buf[start..].to_vec(),
    };
    Ok(Some((framing.status, body)))
}

/// Reads more of a body that is not complete yet; the connection ending first is an error.
async fn read_body_part(io: &mut Io, buf: &mut Vec<u8>) -> Result<(), RoundTripError> {
    match io.read_more(buf).await {
        Ok(0) => Err(RoundTripError::Failed("connection closed in the middle of an answer".into())),
        Ok(_) if buf.len() > MAX_BODY + (1 << 20) => {
            Err(RoundTripError::Failed(format!("the answer is larger than {MAX_BODY} bytes")))
        }
        Ok(_) => Ok(()),
        Err(e) => Err(RoundTripError::Failed(format!("reading the answer: {e}"))),
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
            sandbox_hint: None,
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
            } else if name.eq_ignore_ascii_case("x-sandbox-hint") {
                framing.sandbox_hint = Some(value.to_owned());
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
    // A window too long for u64 milliseconds is no window (the fuzzer's find: it overflowed).
    num.parse::<u64>().ok().filter(|n| *n > 0).and_then(|n| n.checked_mul(unit_ms))
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

/// Where the first CRLF in `data` starts.
fn find_crlf(data: &[u8]) -> Option<usize> {
    data.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framing(raw: &str) -> Result<Option<Framing>, String> {
        parse_head(&mut raw.as_bytes().to_vec())
    }

    /// Found by `fuzz/` (http_answer): an order-count window of 8375319363688624583 days overflowed
    /// the multiplication to milliseconds (a panic in debug builds, a wrong window in release).
    #[test]
    fn a_huge_order_count_window_is_ignored() {
        let f = framing("HTTP/1.1 200 OK\r\nX-MBX-ORDER-COUNT-0000008375319363688624583D: 42\r\nX-MBX-ORDER-COUNT-1M: 5\r\nContent-Length: 0\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(f.order_counts, vec![(60_000, 5)]);
        assert_eq!(order_count_window("x-mbx-order-count-18446744073709551615s"), None);
        assert_eq!(
            order_count_window("x-mbx-order-count-18446744073709551s"),
            Some(18_446_744_073_709_551_000)
        );
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

    /// The exact bytes of request heads, direct and through a proxy (captured from the transport
    /// before it was split into modules).
    #[test]
    fn request_heads_are_byte_exact() {
        let head = |base: &str, proxy: Option<&str>, verb, query, api_key| {
            let origin = Origin::parse(base).unwrap();
            let proxy = proxy.map(|p| Proxy::parse(p).unwrap());
            let req = Request {
                verb,
                path: "/api/v3/order",
                query,
                api_key,
                resend_if_stale: false,
                headers: &[],
                body: b"",
            };
            String::from_utf8(Heads::new(&origin, proxy.as_ref()).write(&req)).unwrap()
        };
        let ua = USER_AGENT;
        assert_eq!(
            head("https://api.binance.com", None, Verb::Get, "", None),
            format!("GET /api/v3/order HTTP/1.1\r\nHost: api.binance.com\r\nUser-Agent: {ua}\r\n\r\n")
        );
        assert_eq!(
            head("http://127.0.0.1:9900/base/", None, Verb::Post, "a=1&b=2", Some("KEY")),
            format!(
                "POST /base/api/v3/order?a=1&b=2 HTTP/1.1\r\nHost: 127.0.0.1:9900\r\nUser-Agent: {ua}\r\n\
                 X-MBX-APIKEY: KEY\r\nContent-Length: 0\r\n\r\n"
            )
        );
        assert_eq!(
            head("http://[::1]:8080/x", Some("http://alice:pw@proxy:3128"), Verb::Delete, "", Some("K")),
            format!(
                "DELETE http://[::1]:8080/x/api/v3/order HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: {ua}\r\n\
                 X-MBX-APIKEY: K\r\nContent-Length: 0\r\nProxy-Authorization: Basic YWxpY2U6cHc=\r\n\r\n"
            )
        );
        assert_eq!(
            head("http://Host.example", Some("http://proxy:3128"), Verb::Put, "x=y", None),
            format!(
                "PUT http://Host.example/api/v3/order?x=y HTTP/1.1\r\nHost: Host.example\r\n\
                 User-Agent: {ua}\r\nContent-Length: 0\r\n\r\n"
            )
        );
        // An https:// origin behind a proxy is tunnelled: origin-form, no proxy credentials.
        assert_eq!(
            head("https://[2001:db8::1]:8443/p", Some("http://alice:pw@proxy:3128"), Verb::Get, "", None),
            format!("GET /p/api/v3/order HTTP/1.1\r\nHost: [2001:db8::1]:8443\r\nUser-Agent: {ua}\r\n\r\n")
        );
    }
}
