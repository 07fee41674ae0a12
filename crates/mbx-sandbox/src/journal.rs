//! The rejection journal: the last requests the sandbox refused at its acceptance check (REST and
//! WebSocket API), kept in memory so that `GET /sandbox/v1/rejections` (and `mbx doctor sandbox-log`)
//! can show each with the doctor's diagnosis. Bounded: the oldest entries are dropped.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use mbx_core::diagnose::{Answered, Context, Diagnosis, RequestRecord, diagnose, diagnose_ws_in_session};
use mbx_core::time::Timestamp;
use serde_json::json;

use crate::extract::clip;

/// How many rejections are kept.
pub const CAPACITY: usize = 100;

/// A rejected request as received. `Debug` shows the method and path only: the rest is what the
/// client sent, which may hold a secret sent by mistake.
#[derive(Clone)]
pub enum Journaled {
    /// A REST request.
    Rest(Box<RequestRecord>),
    /// A WebSocket API request frame, and whether its connection was logged on (`session.logon`)
    /// when it came.
    WsApi {
        /// The frame's text (a binary frame's bytes as text).
        frame: String,
        /// Whether the connection had a session.
        logged_on: bool,
        /// Whether it came as a binary frame, which the WebSocket API does not read.
        binary: bool,
    },
}

impl Journaled {
    /// The request with every secret of `keys` in it redacted: what is kept of a request whose key
    /// the journal does not know (the doctor's view of a known key redacts that key's secret when
    /// the entry is shown, and needs it in the request to name it).
    fn redacted(self, keys: &crate::keys::KeyRing) -> Journaled {
        let hide = |text: &str| keys.redact(text).into_owned();
        match self {
            Journaled::Rest(mut r) => {
                r.query = hide(&r.query);
                r.body = hide(&r.body);
                for (_, v) in &mut r.headers {
                    *v = hide(v);
                }
                Journaled::Rest(r)
            }
            Journaled::WsApi { frame, logged_on, binary } => {
                Journaled::WsApi { frame: hide(&frame), logged_on, binary }
            }
        }
    }
}

impl std::fmt::Debug for Journaled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Journaled::Rest(r) => write!(f, "Rest({} {}, query and body not shown)", r.method, r.path),
            Journaled::WsApi { frame, .. } => write!(f, "WsApi(<frame of {} bytes, not shown>)", frame.len()),
        }
    }
}

/// One rejection.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// When (the sandbox clock, in milliseconds).
    pub at_ms: u64,
    /// The request.
    pub request: Journaled,
    /// The code answered.
    pub code: i32,
    /// The message answered.
    pub msg: String,
    /// The HTTP status (the WebSocket API's `status`).
    pub status: u16,
    /// The doctor's view of the key, when the API key was one of the sandbox's (for the signature
    /// hypotheses).
    pub key: Option<Context>,
    /// The sandbox's own reason, as its acceptance check or handler gave it (secrets redacted):
    /// what the doctor cannot see in the request (a key's permissions, a revoked key).
    pub reason: String,
}

/// Journals the refusal `error` of `request` at `at_ms`: its code, message and status, the doctor's
/// view of the key (`key`), and the sandbox's `reason` with every secret of the ring redacted (it
/// quotes what was sent, which may hold one sent by mistake); so is the request when its key is
/// not known.
pub fn record(
    state: &crate::state::AppState,
    at_ms: u64,
    request: Journaled,
    error: &mbx_core::ApiError,
    key: Option<Context>,
    reason: &str,
) -> Arc<Rejected> {
    let request = if key.is_none() { request.redacted(state.keys()) } else { request };
    state.journal().record(Rejected {
        at_ms,
        request,
        code: error.code.get(),
        msg: error.msg.clone(),
        status: error.http_status,
        key,
        reason: state.keys().redact(reason).into_owned(),
    })
}

/// Journals a public route's refusal `error` of a request for `uri` (the direct path keeps no
/// headers of a public request: none is needed to judge one).
pub fn record_public(
    state: &crate::state::AppState,
    endpoint: &mbx_core::endpoint::Endpoint,
    uri: &axum::http::Uri,
    error: &mbx_core::ApiError,
    hint: &str,
) {
    let target = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let Ok(req) = RequestRecord::new(endpoint.method.as_str(), target, Vec::new(), "") else { return };
    record(state, state.clock().now().as_millis(), Journaled::Rest(Box::new(req)), error, None, hint);
}

/// Journals a request answered 404 or 405 (`status`): a Binance path the sandbox does not serve,
/// or not with this method, or retired (a path under `/api/`, `/sapi/`, another product's such as
/// `/fapi/`, a version without its base, or a spot path with its base dropped; a browser's
/// `/robots.txt` is left out). Binance answers these with
/// no JSON code: the journal writes them -404 and -405, as the doctor's verdict does. The body is
/// not read.
pub fn record_unrouted(
    state: &crate::state::AppState,
    req: &axum::extract::Request,
    status: u16,
    reason: &str,
) {
    let path = req.uri().path();
    let lower = path.to_ascii_lowercase();
    let binance = ["/api", "/sapi", "/wapi", "/fapi", "/dapi", "/eapi", "/papi", "/v1/", "/v3/"]
        .iter()
        .any(|p| lower.starts_with(p))
        || mbx_core::endpoint::unrouted(req.method().as_str(), path)
            .is_some_and(|u| u.title.contains("the endpoint is"));
    if !binance {
        return;
    }
    let target = req.uri().path_and_query().map_or(path, |p| p.as_str());
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let Ok(record) = RequestRecord::new(req.method().as_str(), target, headers, "") else { return };
    state.journal().record(Rejected {
        at_ms: state.clock().now().as_millis(),
        request: Journaled::Rest(Box::new(record)).redacted(state.keys()),
        code: -i32::from(status),
        msg: if status == 405 { "Method Not Allowed" } else { "Not Found" }.to_owned(),
        status,
        key: None,
        reason: state.keys().redact(reason).into_owned(),
    });
}

/// The hint a rejection answers with, from the doctor's `diagnosis` of it: its first finding's
/// title, fix and evidence, when the doctor predicts the `code` answered and explains it (an
/// unexplained signature mismatch says less than the acceptance check's own hint, which names the
/// key kind and the exact payload).
pub fn diagnosed_hint(diagnosis: &Diagnosis, code: i32) -> Option<String> {
    if diagnosis.verdict.code != code {
        return None;
    }
    let f = diagnosis.findings.first().filter(|f| f.cause != mbx_core::diagnose::Cause::SignatureMismatch)?;
    let mut title = f.title.chars();
    let title: String = title.next().map(|c| c.to_uppercase().chain(title).collect()).unwrap_or_default();
    Some(format!("{title}. {} Evidence: {}.", f.fix, clip(&f.evidence, 1500)))
}

impl Rejected {
    /// The answer as the doctor reads a capture's.
    fn answered(&self) -> Answered {
        Answered { status: self.status, code: Some(i64::from(self.code)), msg: Some(self.msg.clone()) }
    }

    /// The doctor's diagnosis, judged at the time of the request with the key. Where the request's
    /// form does not explain the answer (a filter, the balance, an unknown order), the sandbox's own
    /// reason, which knows, is the finding's title.
    pub fn diagnose(&self) -> Diagnosis {
        let mut d = self.diagnose_request();
        if let Some(first) = d.findings.first_mut()
            && first.cause == mbx_core::diagnose::Cause::AnswerUnexplained
            && !self.reason.is_empty()
        {
            first.title = self.reason.clone();
        }
        d
    }

    fn diagnose_request(&self) -> Diagnosis {
        let ctx = self.key.clone().unwrap_or_default().at(Timestamp::Millis(self.at_ms));
        match &self.request {
            // The answer is part of the record, as a capture's is: -2015 to a request that checks
            // out is the key's permissions (or a revoked key), which no request shows.
            Journaled::Rest(r) => {
                let mut r = r.clone();
                r.answered = Some(self.answered());
                diagnose(&r, &ctx)
            }
            Journaled::WsApi { frame, binary: true, .. } => {
                mbx_core::diagnose::diagnose_ws_binary(frame.len())
            }
            Journaled::WsApi { frame, logged_on, .. } => {
                diagnose_ws_in_session(frame, None, &ctx, *logged_on).with_answer(&self.answered())
            }
        }
    }
}

impl Rejected {
    /// `{"time","transport","request","apiKey","code","msg","status","diagnosis"}`: the request line
    /// (or the WebSocket API frame) with its API key shortened and the key's secret redacted, and
    /// the doctor's diagnosis. What `GET /sandbox/v1/rejections` and the console show.
    pub fn to_json(&self) -> serde_json::Value {
        let (transport, request) = match &self.request {
            Journaled::Rest(req) => (
                "rest",
                format!(
                    "{} {}{}{}{}{}",
                    req.method,
                    req.path,
                    if req.query.is_empty() { "" } else { "?" },
                    req.query,
                    // A form body is shown after the request line, as the doctor reads it.
                    if req.body.is_empty() { "" } else { " body: " },
                    clip(&req.body, 2000)
                ),
            ),
            Journaled::WsApi { frame, .. } => ("ws-api", clip(frame, 2000)),
        };
        let full_key = match &self.request {
            Journaled::Rest(req) => req.header("x-mbx-apikey").map(str::to_owned),
            Journaled::WsApi { frame, .. } => mbx_core::accept::read_ws_frame(frame)
                .ok()
                .and_then(|f| f.params.get("apiKey").map(str::to_owned)),
        };
        // A secret the client sent by mistake is not shown, not even shortened (its key header
        // may hold it: the secret sent in the API key's place).
        let redact = |text: &str| match &self.key {
            Some(ctx) => ctx.redact(text),
            None => text.to_owned(),
        };
        let api_key = full_key.as_deref().map(|k| match redact(k) {
            redacted if redacted != k => redacted,
            _ => crate::keys::shorten(k),
        });
        // The request line (and the sandbox's reason, which quotes the payload) may hold the key
        // too: shortened as the header is.
        let shown = |text: &str| {
            let text = redact(text);
            match (&full_key, &api_key) {
                (Some(full), Some(short)) if full.len() > 8 => text.replace(full.as_str(), short),
                _ => text,
            }
        };
        let (request, reason) = (shown(&request), shown(&self.reason));
        let diagnosis = self.diagnose();
        json!({
            "time": self.at_ms,
            "transport": transport,
            "request": request,
            "apiKey": api_key,
            "code": self.code,
            "msg": self.msg,
            "status": self.status,
            "reason": reason,
            "diagnosis": diagnosis.to_json(),
        })
    }
}

/// The journal.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<VecDeque<Arc<Rejected>>>,
}

impl Journal {
    /// Adds a rejection (dropping the oldest beyond [`CAPACITY`]); returns it shared, for the
    /// console's request log (`crate::console`), which keeps it longer.
    pub fn record(&self, rejected: Rejected) -> Arc<Rejected> {
        let rejected = Arc::new(rejected);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(rejected.clone());
        rejected
    }

    /// The last `n` rejections, newest first.
    pub fn last(&self, n: usize) -> Vec<Arc<Rejected>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().rev().take(n).cloned().collect()
    }
}
