//! [`RequestLog`]: every request the sandbox answered (REST, WebSocket API, stream connections and
//! their control messages), newest [`CAPACITY`] kept, for the console.
//!
//! Recording is one short mutex hold (a push into a ring) on the request's own task; readers (the
//! console's pages and its live feed) copy what they show under the same mutex and render it
//! outside. A rejection at the acceptance check keeps the journal's record of the request
//! ([`crate::journal::Rejected`]), from which the doctor's diagnosis is computed only when someone
//! opens it (for the newest [`DIAGNOSABLE`] rejections; older ones keep their code and hint).
//!
//! Nothing secret is kept: the API key is shortened (`abcd…wxyz`), the path is kept without its
//! query string (so no signature), and the diagnosis redacts the key's secret.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::{HeaderValue, Method, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::error::{HINT_HEADER, RejectedWith};
use crate::journal::Rejected;

/// How many entries are kept; older ones are dropped.
pub const CAPACITY: usize = 100_000;

/// How many of the kept entries keep their request for the diagnosis (the newest rejections);
/// older rejections keep their code and hint. A rejected request is kept whole (its headers and
/// body), so this bounds the memory a flood of rejections takes.
pub const DIAGNOSABLE: usize = 10_000;

/// How a request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// An HTTP request (the REST API, or the admin API).
    Rest,
    /// A request frame of the WebSocket API (or the upgrade that opened its connection).
    WsApi,
    /// A market stream connection's upgrade or control message.
    Stream,
}

impl Transport {
    /// `rest`, `ws-api` or `stream`.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Rest => "rest",
            Transport::WsApi => "ws-api",
            Transport::Stream => "stream",
        }
    }
}

/// One request as logged.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1, 2, 3, ... in the order recorded; never reused.
    pub id: u64,
    /// When it was answered (the sandbox clock, ms).
    pub at_ms: u64,
    /// How it arrived.
    pub transport: Transport,
    /// The HTTP method, the WebSocket API method (`order.place`) or the control method
    /// (`SUBSCRIBE`). Borrowed when it is a constant (an HTTP method's name): no copy per request.
    pub method: Cow<'static, str>,
    /// The path without its query string (a WebSocket API request: its endpoint's REST path; a
    /// control message: its streams). Borrowed from mbx-core's endpoint table for a Binance
    /// endpoint.
    pub path: Cow<'static, str>,
    /// The API key, shortened.
    pub api_key: Option<Box<str>>,
    /// The HTTP status (the WebSocket API's `status`).
    pub status: u16,
    /// Binance's error code of a rejection.
    pub code: Option<i32>,
    /// From arrival to answer, in microseconds.
    pub latency_us: u64,
    /// The sandbox's one-sentence hint of a rejection (`X-Sandbox-Hint`).
    pub hint: Option<Box<str>>,
    /// The request as journaled, for a rejection at the acceptance check: its diagnosis.
    pub rejected: Option<Arc<Rejected>>,
}

impl Entry {
    /// The entry as the console lists it (no diagnosis; `diagnosable` says whether one exists).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "time": self.at_ms,
            "transport": self.transport.as_str(),
            "method": &*self.method,
            "path": &*self.path,
            "apiKey": self.api_key.as_deref(),
            "status": self.status,
            "code": self.code,
            "latencyUs": self.latency_us,
            "hint": self.hint.as_deref(),
            "diagnosable": self.rejected.is_some(),
        })
    }

    /// [`Entry::to_json`] as text, written directly (the live feed writes thousands at a time),
    /// without the hint (the detail has it).
    pub fn to_json_text(&self) -> String {
        crate::write::json::Object::new()
            .field("id", self.id)
            .field("time", self.at_ms)
            .field("transport", self.transport.as_str())
            .field("method", &*self.method)
            .field("path", &*self.path)
            .field("apiKey", self.api_key.as_deref())
            .field("status", self.status)
            .field("code", self.code)
            .field("latencyUs", self.latency_us)
            .field("diagnosable", self.rejected.is_some())
            .finish()
    }

    /// The entry with the doctor's diagnosis (`rejection`: the request as received, redacted, and
    /// the diagnosis) when it has one.
    pub fn detail_json(&self) -> Value {
        let mut v = self.to_json();
        let mut rejection = self.rejected.as_ref().map_or(Value::Null, |r| r.to_json());
        if let Some(Value::String(request)) = rejection.get_mut("request") {
            *request = clip_signatures(request);
        }
        v["rejection"] = rejection;
        v
    }
}

/// What the console asks for: entries matching all the given conditions.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The shortened key contains this (case-insensitive), or equals the shortened form of a full
    /// key given.
    pub key: Option<String>,
    /// `ok` (below 400), `error` (400 and up), a class such as `4xx`, or one status such as `401`.
    pub status: Option<String>,
    /// The path or method contains this (case-insensitive).
    pub path: Option<String>,
    /// One transport only.
    pub transport: Option<Transport>,
}

impl Filter {
    /// Whether `e` matches.
    pub fn matches(&self, e: &Entry) -> bool {
        if let Some(t) = self.transport
            && e.transport != t
        {
            return false;
        }
        if let Some(key) = &self.key {
            let Some(have) = e.api_key.as_deref() else { return false };
            let short = crate::keys::shorten(key);
            if !(contains_ci(have, key) || have == short) {
                return false;
            }
        }
        if let Some(path) = &self.path
            && !(contains_ci(&e.path, path) || contains_ci(&e.method, path))
        {
            return false;
        }
        match self.status.as_deref() {
            None | Some("") | Some("all") => true,
            Some("ok") => e.status < 400,
            Some("error") => e.status >= 400,
            Some(s) if s.len() == 3 && s.ends_with("xx") => {
                s.as_bytes()[0].is_ascii_digit() && u16::from(s.as_bytes()[0] - b'0') == e.status / 100
            }
            Some(s) => s.parse::<u16>().is_ok_and(|want| want == e.status),
        }
    }
}

/// How many characters of a signature the console shows.
const SIGNATURE_SHOWN: usize = 8;

/// `text` with every signature value (`signature=..` in a query or form, `"signature":".."` in a
/// frame) cut to its first 8 characters.
///
/// ```
/// use mbx_sandbox::console::log::clip_signatures;
/// assert_eq!(clip_signatures("a=1&signature=0123456789abcdef&b=2"), "a=1&signature=01234567…&b=2");
/// assert_eq!(clip_signatures(r#"{"signature":"0123456789abcdef"}"#), r#"{"signature":"01234567…"}"#);
/// assert_eq!(clip_signatures("signature=abc"), "signature=abc");
/// ```
pub fn clip_signatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = [("signature=", '&'), ("\"signature\":\"", '"')]
            .into_iter()
            .filter_map(|(start, end)| rest.find(start).map(|at| (at, start.len(), end)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, len, end)) = next else { break };
        let value_at = at + len;
        out.push_str(&rest[..value_at]);
        let value_len = rest[value_at..]
            .find(|c: char| c == end || c.is_whitespace() || (end == '&' && c == '"'))
            .unwrap_or(rest.len() - value_at);
        let value = &rest[value_at..value_at + value_len];
        if value.chars().count() > SIGNATURE_SHOWN {
            out.extend(value.chars().take(SIGNATURE_SHOWN));
            out.push('…');
        } else {
            out.push_str(value);
        }
        rest = &rest[value_at + value_len..];
    }
    out.push_str(rest);
    out
}

/// `hint` with the API key `full` shortened as the log shows keys (the sandbox's hints quote the
/// payload verified, which holds it).
fn without_key(hint: &str, full: Option<&str>) -> String {
    match full {
        Some(k) if k.len() > 8 => hint.replace(k, &crate::keys::shorten(k)),
        _ => hint.to_owned(),
    }
}

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())
}

/// The ring and its counter.
#[derive(Debug, Default)]
struct Ring {
    /// The id the next entry gets, minus one: how many were ever recorded.
    recorded: u64,
    entries: VecDeque<Entry>,
    /// Ids of the entries that keep their request, oldest first (at most [`DIAGNOSABLE`]).
    diagnosable: VecDeque<u64>,
}

/// The request log (see the module docs).
#[derive(Debug, Default)]
pub struct RequestLog {
    ring: Mutex<Ring>,
}

/// An HTTP method's name: borrowed for the standard ones.
fn method_name(method: &Method) -> Cow<'static, str> {
    let name = method.as_str();
    ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"]
        .into_iter()
        .find(|m| *m == name)
        .map_or_else(|| Cow::Owned(name.to_owned()), Cow::Borrowed)
}

/// Whether `path` is the console's own (its page, assets, the icon a browser asks for beside it,
/// and its API), which the log leaves out: the console watching itself would only show itself.
pub fn is_console(path: &str) -> bool {
    path == "/"
        || path == "/favicon.ico"
        || path.starts_with("/console/")
        || path.starts_with("/sandbox/v1/console")
}

impl RequestLog {
    /// Appends an entry (its `id` is assigned here), dropping the oldest beyond [`CAPACITY`].
    pub fn push(&self, mut entry: Entry) {
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        ring.recorded += 1;
        entry.id = ring.recorded;
        if ring.entries.len() == CAPACITY {
            ring.entries.pop_front();
        }
        if entry.rejected.is_some() {
            ring.diagnosable.push_back(entry.id);
            if ring.diagnosable.len() > DIAGNOSABLE
                && let Some(old) = ring.diagnosable.pop_front()
                && let Some(first) = ring.entries.front().map(|e| e.id)
                && let Some(at) = old.checked_sub(first).and_then(|at| usize::try_from(at).ok())
                && let Some(e) = ring.entries.get_mut(at)
            {
                e.rejected = None;
            }
        }
        ring.entries.push_back(entry);
    }

    /// Records an HTTP request once answered (the router's frame calls this once per request).
    /// `endpoint_path` is the path of the Binance endpoint found for it (the same text as the
    /// request's path, kept without a copy); `api_key` is the `X-MBX-APIKEY` header as received;
    /// `latency_us` is the time from arrival to answer, measured once by the frame for this entry
    /// and its log line.
    #[allow(clippy::too_many_arguments)]
    pub fn record_http(
        &self,
        at_ms: u64,
        method: &Method,
        uri: &Uri,
        endpoint_path: Option<&'static str>,
        api_key: Option<&HeaderValue>,
        response: &Response,
        latency_us: u64,
    ) {
        let path = uri.path();
        if is_console(path) {
            return;
        }
        let transport = if path == "/ws-api/v3" {
            Transport::WsApi
        } else if path == "/stream" || path == "/ws" || path.starts_with("/ws/") {
            Transport::Stream
        } else {
            Transport::Rest
        };
        let code = response.extensions().get::<RejectedWith>().map(|c| c.0.get());
        let status = response.status().as_u16();
        let api_key = api_key.and_then(|v| v.to_str().ok());
        let hint = if status >= 400 || code.is_some() {
            response
                .headers()
                .get(HINT_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(|h| clip_signatures(&without_key(h, api_key)).into())
        } else {
            None
        };
        self.push(Entry {
            id: 0,
            at_ms,
            transport,
            method: method_name(method),
            path: endpoint_path
                .filter(|p| *p == path)
                .map_or_else(|| Cow::Owned(path.to_owned()), Cow::Borrowed),
            api_key: api_key.map(|k| crate::keys::shorten(k).into()),
            status,
            code,
            latency_us,
            hint,
            rejected: response.extensions().get::<Journaled>().map(|j| j.0.clone()),
        });
    }

    /// Records a WebSocket API request once answered: its `method`, the REST `path` of its endpoint
    /// (the method again when it has none), the `apiKey` parameter as sent, the answer's `status`,
    /// code and hint, and the journal's record when it was rejected at the acceptance check.
    #[allow(clippy::too_many_arguments)]
    pub fn record_ws_api(
        &self,
        at_ms: u64,
        method: &str,
        path: &str,
        api_key: Option<&str>,
        status: u16,
        code: Option<i32>,
        hint: Option<String>,
        started: Instant,
        rejected: Option<Arc<Rejected>>,
    ) {
        self.push(Entry {
            id: 0,
            at_ms,
            transport: Transport::WsApi,
            method: mbx_core::accept::clip(method, 60).into(),
            path: path.to_owned().into(),
            api_key: api_key.map(|k| crate::keys::shorten(k).into()),
            status,
            code,
            latency_us: micros(started),
            hint: hint.filter(|h| !h.is_empty()).map(|h| clip_signatures(&without_key(&h, api_key)).into()),
            rejected,
        });
    }

    /// Records a market stream connection's control message (`text` as received) and its
    /// `answer`: the method, the streams it names, 200 or 400 with Binance's stream error code.
    pub fn record_control(&self, at_ms: u64, text: &str, answer: &Value, started: Instant) {
        let request: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let method = request.get("method").and_then(Value::as_str).unwrap_or("?");
        let streams = match request.get("params") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join("/"),
            _ => String::new(),
        };
        let code = answer.get("code").and_then(Value::as_i64).and_then(|c| i32::try_from(c).ok());
        self.push(Entry {
            id: 0,
            at_ms,
            transport: Transport::Stream,
            method: mbx_core::accept::clip(method, 40).into(),
            path: mbx_core::accept::clip(&streams, 300).into(),
            api_key: None,
            status: if code.is_some() { 400 } else { 200 },
            code,
            latency_us: micros(started),
            hint: answer.get("msg").and_then(Value::as_str).map(Box::from),
            rejected: None,
        });
    }

    /// How many entries were ever recorded (the last entry's id).
    pub fn recorded(&self) -> u64 {
        self.ring.lock().unwrap_or_else(|e| e.into_inner()).recorded
    }

    /// Newest first: at most `limit` entries matching `filter` with ids below `before` (all when
    /// `None`), and how many of the kept entries match in all.
    pub fn page(&self, filter: &Filter, before: Option<u64>, limit: usize) -> (Vec<Entry>, usize) {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::with_capacity(limit.min(1000));
        let mut matching = 0;
        for e in ring.entries.iter().rev() {
            if !filter.matches(e) {
                continue;
            }
            matching += 1;
            if out.len() < limit && before.is_none_or(|b| e.id < b) {
                out.push(e.clone());
            }
        }
        (out, matching)
    }

    /// Oldest first: at most `limit` entries with ids above `after`.
    pub fn since(&self, after: u64, limit: usize) -> Vec<Entry> {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let first = ring.entries.front().map_or(0, |e| e.id);
        // Ids are consecutive in the ring: the position of `after + 1` is computed, not searched.
        let skip = usize::try_from((after + 1).saturating_sub(first)).unwrap_or(usize::MAX);
        ring.entries.iter().skip(skip).take(limit).cloned().collect()
    }

    /// One entry, if still kept.
    pub fn get(&self, id: u64) -> Option<Entry> {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let first = ring.entries.front()?.id;
        let at = usize::try_from(id.checked_sub(first)?).ok()?;
        ring.entries.get(at).filter(|e| e.id == id).cloned()
    }
}

/// Microseconds since `started`.
pub(crate) fn micros(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// A response extension: the journal's record of a request rejected at the acceptance check, for
/// the log to keep with the entry.
#[derive(Debug, Clone)]
pub struct Journaled(pub Arc<Rejected>);

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(status: u16, key: Option<&str>, path: &str) -> Entry {
        Entry {
            id: 0,
            at_ms: 1,
            transport: Transport::Rest,
            method: "GET".into(),
            path: path.to_owned().into(),
            api_key: key.map(Box::from),
            status,
            code: None,
            latency_us: 1,
            hint: None,
            rejected: None,
        }
    }

    #[test]
    fn ids_are_consecutive_and_the_oldest_go_first() {
        let log = RequestLog::default();
        for _ in 0..CAPACITY + 5 {
            log.push(entry(200, None, "/api/v3/ping"));
        }
        assert_eq!(log.recorded(), (CAPACITY + 5) as u64);
        assert!(log.get(5).is_none());
        assert_eq!(log.get(6).map(|e| e.id), Some(6));
        let tail = log.since(CAPACITY as u64 + 3, 10);
        assert_eq!(
            tail.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![CAPACITY as u64 + 4, CAPACITY as u64 + 5]
        );
        assert_eq!(log.since(0, 1)[0].id, 6);
    }

    #[test]
    fn only_the_newest_rejections_keep_their_request() {
        let log = RequestLog::default();
        let rejected = Arc::new(Rejected {
            at_ms: 1,
            request: crate::journal::Journaled::WsApi { frame: "{}".into(), logged_on: false, binary: false },
            code: -1022,
            msg: String::new(),
            status: 400,
            key: None,
            reason: String::new(),
        });
        for _ in 0..DIAGNOSABLE + 2 {
            log.push(Entry { rejected: Some(rejected.clone()), ..entry(400, None, "/api/v3/order") });
        }
        assert!(log.get(1).is_some_and(|e| e.rejected.is_none()));
        assert!(log.get(2).is_some_and(|e| e.rejected.is_none()));
        assert!(log.get(3).is_some_and(|e| e.rejected.is_some()));
        assert_eq!(Arc::strong_count(&rejected), DIAGNOSABLE + 1);
    }

    #[test]
    fn filters_by_status_key_and_path() {
        let log = RequestLog::default();
        log.push(entry(200, Some("abcd…wxyz"), "/api/v3/order"));
        log.push(entry(401, Some("abcd…wxyz"), "/api/v3/account"));
        log.push(entry(400, None, "/api/v3/order"));
        let count = |f: Filter| log.page(&f, None, 10).1;
        assert_eq!(count(Filter { status: Some("error".into()), ..Filter::default() }), 2);
        assert_eq!(count(Filter { status: Some("4xx".into()), ..Filter::default() }), 2);
        assert_eq!(count(Filter { status: Some("401".into()), ..Filter::default() }), 1);
        assert_eq!(count(Filter { key: Some("ABCD".into()), ..Filter::default() }), 2);
        assert_eq!(count(Filter { path: Some("order".into()), ..Filter::default() }), 2);
        let (page, _) = log.page(&Filter::default(), Some(3), 1);
        assert_eq!(page[0].id, 2);
    }
}
