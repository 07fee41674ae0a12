//! HAR files (HTTP Archive 1.2, as a browser's network tab or Postman exports them): the requests to
//! Binance in one, REST requests and WebSocket API frames sent, ready for the doctor.

use serde_json::Value;

use super::{Context, Diagnosis, ParseError, RequestRecord, diagnose};
use crate::endpoint::{self, Method};
use crate::venue::Venue;

/// One request found in a HAR file.
// A file's entries are read once, a few at a time: the REST variant's size costs nothing worth a
// box (and a box would change what callers match on).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HarRequest {
    /// A REST request.
    Rest(RequestRecord),
    /// A WebSocket API request frame sent on the connection to `url`.
    WsApi {
        /// The WebSocket URL.
        url: String,
        /// Its host.
        host: Option<String>,
        /// The frame as sent.
        frame: String,
        /// Whether a `session.logon` frame was sent before it on the same connection.
        logged_on: bool,
        /// Whether a `session.logout` ended that session before it.
        logged_out: bool,
        /// Whether it went in a binary frame (the HAR's `opcode` 2; `frame` is then its bytes
        /// decoded from the file's base64, as text where they are UTF-8).
        binary: bool,
    },
}

/// A request of a HAR file with its place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarEntry {
    /// The entry's index in `log.entries` (0-based).
    pub entry: usize,
    /// The request.
    pub request: HarRequest,
    /// When it was sent, as the file records it (the entry's `startedDateTime`, a WebSocket
    /// message's `time`), in Unix milliseconds: a HAR file is diagnosed after the fact, and its
    /// requests are judged as of then.
    pub sent_ms: Option<u64>,
}

impl HarEntry {
    /// Whether the file holds Binance's answer to it, and the answer shows Binance took its
    /// timestamp (a success, or an error other than `-1021`): judged as of its sending then, even
    /// when a time for "now" is given.
    pub fn answered_in_time(&self) -> bool {
        match &self.request {
            HarRequest::Rest(r) => r.answered.as_ref().is_some_and(super::Answered::took_timestamp),
            HarRequest::WsApi { .. } => false,
        }
    }

    /// One line naming it: `POST https://api.binance.com/api/v3/order?...` or `WebSocket API
    /// order.place on wss://...`.
    pub fn describe(&self) -> String {
        match &self.request {
            HarRequest::Rest(r) => format!(
                "{} {}{}{}",
                r.method,
                r.host.as_deref().map(|h| format!("https://{h}")).unwrap_or_default(),
                r.path,
                if r.query.is_empty() { String::new() } else { format!("?{}", r.query) }
            ),
            HarRequest::WsApi { url, frame, .. } => {
                let method =
                    crate::accept::read_ws_frame(frame).map(|f| f.method).unwrap_or_else(|_| "?".into());
                format!("WebSocket API {method} on {url}")
            }
        }
    }

    /// Diagnoses it.
    pub fn diagnose(&self, ctx: &Context) -> Diagnosis {
        match &self.request {
            HarRequest::Rest(r) => diagnose(r, ctx),
            HarRequest::WsApi { binary: true, frame, .. } => super::ws::diagnose_ws_binary(frame.len()),
            HarRequest::WsApi { host, frame, logged_on, logged_out, .. } => {
                let mut d = super::ws::diagnose_ws_in_session(frame, host.as_deref(), ctx, *logged_on);
                if *logged_out {
                    super::ws::note_logout(&mut d);
                }
                d
            }
        }
    }
}

/// The Binance requests of a HAR document, in order: REST requests to a Binance host or to a path of
/// the endpoint table that carry a key, a timestamp or a signature (or whose endpoint needs a key),
/// and the frames sent on WebSocket connections that name a `method`. Other entries (pages, images,
/// other APIs) are left out.
///
/// ```
/// use mbx_core::diagnose::{HarRequest, read_har};
/// let har = r#"{"log":{"entries":[
///   {"request":{"method":"GET","url":"https://example.com/favicon.ico","headers":[]}},
///   {"request":{"method":"GET","url":"https://api.binance.com/api/v3/account?timestamp=1&signature=ab",
///               "headers":[{"name":"X-MBX-APIKEY","value":"k"}]}}]}}"#;
/// let found = read_har(har).unwrap();
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].entry, 1);
/// assert!(matches!(&found[0].request, HarRequest::Rest(r) if r.path == "/api/v3/account"));
/// ```
pub fn read_har(text: &str) -> Result<Vec<HarEntry>, ParseError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ParseError::Har(format!("not JSON: {e}")))?;
    let entries = doc["log"]["entries"]
        .as_array()
        .ok_or_else(|| ParseError::Har("no log.entries array (is this a HAR file?)".into()))?;
    let mut out = Vec::new();
    // Requests to Binance's public endpoints, judged when the file holds no keyed one.
    let mut public = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let request = &entry["request"];
        let (Some(method), Some(url)) = (request["method"].as_str(), request["url"].as_str()) else {
            continue;
        };
        // A browser's CORS preflight (OPTIONS, answered by the server before the request itself):
        // not a request to the API.
        if method.eq_ignore_ascii_case("OPTIONS") {
            continue;
        }
        let headers: Vec<(String, String)> = request["headers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| Some((h["name"].as_str()?.to_owned(), h["value"].as_str()?.to_owned())))
            // HTTP/2 pseudo-headers (`:authority`, `:path`) are not headers Binance reads.
            .filter(|(k, _)| !k.starts_with(':'))
            .collect();
        if url.starts_with("ws://") || url.starts_with("wss://") || entry["_webSocketMessages"].is_array() {
            let host = url.split("://").nth(1).and_then(|r| r.split('/').next()).map(str::to_owned);
            // A market stream connection (`/ws`, `/ws/<stream>`, `/stream?streams=`): its frames
            // (SUBSCRIBE, LIST_SUBSCRIPTIONS...) are not WebSocket API requests.
            if crate::stream::is_stream_url(url) {
                continue;
            }
            let (mut logged_on, mut logged_out) = (false, false);
            // The id of the last session.logon sent: its answer, when the file holds it, tells
            // whether the connection is logged on after it.
            let mut logon_id: Option<serde_json::Value> = None;
            for message in entry["_webSocketMessages"].as_array().into_iter().flatten() {
                let sent = message["type"].as_str() == Some("send");
                if !sent {
                    let answer = message["data"]
                        .as_str()
                        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
                    if let (Some(answer), Some(id)) = (answer, &logon_id)
                        && answer["id"] == *id
                    {
                        logged_on = answer["status"].as_u64() == Some(200);
                        logon_id = None;
                    }
                    continue;
                }
                let Some(data) = message["data"].as_str() else { continue };
                // A binary message (opcode 2): the browser keeps its bytes in base64.
                let binary = message["opcode"].as_u64() == Some(2);
                let decoded = binary
                    .then(|| crate::sign::decode_base64(data).ok())
                    .flatten()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                let frame = decoded.as_deref().unwrap_or(data);
                // WebSocket API requests name a method; market stream subscriptions (SUBSCRIBE,
                // UNSUBSCRIBE, ...) are not for the WebSocket API: left out. A frame that cannot be
                // read but mentions a method is kept (the doctor says why it cannot be read).
                let stream_control = |m: &str| m.chars().all(|c| c.is_ascii_uppercase() || c == '_');
                let request = binary
                    || match crate::accept::read_ws_frame(frame) {
                        Ok(f) => !stream_control(&f.method),
                        // Not a request Binance reads (params an array: a stream's SUBSCRIBE)...
                        Err(_) => match serde_json::from_str::<Value>(frame) {
                            Ok(v) => v["method"].as_str().is_some_and(|m| !stream_control(m)),
                            // ...or not JSON at all, but naming a method: judged, for Binance refuses it.
                            Err(_) => frame.contains("method"),
                        },
                    };
                let logon = crate::accept::read_ws_frame(frame).is_ok_and(|f| f.method == "session.logon");
                if request {
                    // Chrome writes a message's time in seconds since 1970, with a fraction.
                    let sent_ms = message["time"].as_f64().filter(|t| *t > 1e9).map(|t| (t * 1000.0) as u64);
                    out.push(HarEntry {
                        entry: i,
                        request: HarRequest::WsApi {
                            url: url.to_owned(),
                            host: host.clone(),
                            frame: frame.to_owned(),
                            logged_on,
                            logged_out,
                            binary,
                        },
                        sent_ms,
                    });
                }
                // A logon counts from the next frame on, until its answer says it failed (a
                // logout ends the session).
                if logon {
                    (logged_on, logged_out) = (true, false);
                    logon_id = serde_json::from_str::<serde_json::Value>(frame).ok().map(|f| f["id"].clone());
                } else if crate::accept::read_ws_frame(frame).is_ok_and(|f| f.method == "session.logout") {
                    (logged_on, logged_out) = (false, logged_out || logged_on);
                }
            }
            continue;
        }
        let mut body = request["postData"]["text"].as_str().unwrap_or_default().to_owned();
        let mut headers = headers;
        // A multipart body may be exported as its fields only (`params`, no `text`).
        let mime = request["postData"]["mimeType"].as_str().unwrap_or_default();
        if body.is_empty()
            && mime.to_ascii_lowercase().starts_with("multipart/form-data")
            && let Some(params) = request["postData"]["params"].as_array()
        {
            let fields: Vec<(&str, &str)> = params
                .iter()
                .map(|p| (p["name"].as_str().unwrap_or_default(), p["value"].as_str().unwrap_or_default()))
                .collect();
            body = super::multipart::encode(fields);
            headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            headers.push(("Content-Type".to_owned(), super::multipart::content_type()));
        }
        // A form body exported as its fields only (HAR 1.2 makes `text` and `params` exclusive):
        // the form as sent, values encoded unless they already are.
        if body.is_empty()
            && !mime.to_ascii_lowercase().starts_with("multipart/form-data")
            && let Some(params) = request["postData"]["params"].as_array()
        {
            let encoded =
                |v: &str| if v.contains('%') { v.to_owned() } else { crate::encode::percent_encode(v) };
            body = params
                .iter()
                .map(|p| {
                    let (k, v) =
                        (p["name"].as_str().unwrap_or_default(), p["value"].as_str().unwrap_or_default());
                    format!("{}={}", encoded(k), encoded(v))
                })
                .collect::<Vec<_>>()
                .join("&");
        }
        // A body's type is in postData when the exporter left the header out.
        if let Some(mime) = request["postData"]["mimeType"].as_str()
            && !body.is_empty()
            && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".to_owned(), mime.to_owned()));
        }
        let Ok(mut record) = RequestRecord::new(method, url, headers, &body) else { continue };
        let status = entry["response"]["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or(0);
        if status != 0 {
            let text = entry["response"]["content"]["text"].as_str().unwrap_or_default();
            record.answered = Some(super::Answered::read(status, text));
        }
        let sent_ms = entry["startedDateTime"].as_str().and_then(|t| crate::time::parse_time(t, false).ok());
        match is_binance(&record) {
            Some(true) => out.push(HarEntry { entry: i, request: HarRequest::Rest(record), sent_ms }),
            Some(false) => public.push(HarEntry { entry: i, request: HarRequest::Rest(record), sent_ms }),
            None => {}
        }
    }
    // Only public requests (market data, no key): those are judged.
    if out.is_empty() {
        return Ok(public);
    }
    Ok(out)
}

/// Whether a request is one the doctor has something to say about: to Binance (by host or by a
/// path of the endpoint table) and keyed (by its endpoint, or by what it carries): `Some(true)`;
/// to a public endpoint of Binance's table, on a Binance host: `Some(false)`; else `None`.
fn is_binance(r: &RequestRecord) -> Option<bool> {
    let known = Method::parse(&r.method).and_then(|m| endpoint::find(m, &r.path));
    let binance_host = r.host.as_deref().and_then(Venue::of_host).is_some();
    if !binance_host && known.is_none() {
        return None;
    }
    let sent = format!("{}&{}", r.query, r.body);
    let keyed = known.is_some_and(|e| e.security.needs_api_key())
        || r.headers
            .iter()
            .any(|(k, _)| crate::accept::looks_like_key_header(k) || k.eq_ignore_ascii_case("x-mbx-apikey"))
        || ["signature=", "timestamp="].iter().any(|p| sent.contains(p));
    match (keyed, known.is_some() && binance_host) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        (false, false) => None,
    }
}
