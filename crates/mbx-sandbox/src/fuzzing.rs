//! Entry points for the fuzz targets in `fuzz/` (outside the workspace): a sandbox in memory that
//! answers requests in-process, through the same code as over sockets. Not part of the API; hidden
//! from the docs.
//!
//! * [`Fuzzed::rest`]: one REST request as hyper hands it to the sandbox (method, target, headers,
//!   body), through the whole router: the frame (weights, `X-MBX-TIME-UNIT`, URL limit), the
//!   extractors (query and form body, `mbx_core::accept::check_rest` with the sandbox's keys and
//!   clock, the doctor's diagnosis of a rejection) and the route.
//! * [`http1_head`]: the bytes at a connection's start as the server's own HTTP/1.1 path reads them
//!   (which requests it takes, and the request it builds from them; everything else is hyper's).
//! * [`Fuzzed::ws_api`]: one WebSocket API text frame, through `ws::api::answer` (frame reading,
//!   method lookup, `check_ws`, the handler).
//!
//! Requests come from a documentation address (192.0.2.1), so the admin API and the console refuse
//! them (they answer loopback clients only) and the fuzzer cannot change the sandbox's clock, keys or
//! faults; the rate limits are raised so that it is never banned.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use tower::ServiceExt as _;

use crate::state::AppState;

/// A sandbox in memory, with a runtime to answer on.
pub struct Fuzzed {
    state: AppState,
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
    session: std::sync::Mutex<crate::ws::api::Session>,
}

/// Where fuzzed requests come from.
const CLIENT: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)), 40000);

impl Fuzzed {
    /// A sandbox in memory, without its market maker, with rate limits too high to reach.
    ///
    /// # Panics
    ///
    /// If the sandbox cannot be opened (a bug: nothing here comes from the input).
    pub fn new() -> Fuzzed {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let mut limits = crate::config::SandboxConfig::default();
        limits.limits.request_weight_per_minute = Some(u32::MAX / 4);
        limits.limits.raw_requests_per_5m = Some(u32::MAX / 4);
        limits.limits.orders_per_10s = Some(u32::MAX / 4);
        limits.limits.orders_per_day = Some(u32::MAX / 4);
        let rules = limits.resolve().expect("valid limits");
        let state = runtime.block_on(async {
            crate::Sandbox::builder().memory().market_maker(false).config(rules).state().expect("a sandbox")
        });
        let router = crate::router(state.clone());
        let session = std::sync::Mutex::new(crate::ws::api::Session::new(state.clock().now_ms()));
        Fuzzed { state, router, runtime, session }
    }

    /// Answers one REST request: `None` when hyper would not have passed it on (a method, target or
    /// header it does not accept), otherwise the HTTP status.
    ///
    /// # Panics
    ///
    /// When the sandbox panicked while answering (the router's frame turns a panic into `500 -1000`
    /// and records it: this makes it the fuzzer's crash), or answered an error without Binance's
    /// `{"code","msg"}` body.
    pub fn rest(&self, method: &str, target: &str, headers: &[(&str, &[u8])], body: &[u8]) -> Option<u16> {
        let mut request = Request::builder().method(method).uri(target);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request.body(Body::from(body.to_vec())).ok()?;
        request.extensions_mut().insert(ConnectInfo(CLIENT));
        let (status, body) = self.runtime.block_on(async {
            let response = self.router.clone().oneshot(request).await.unwrap_or_else(|never| match never {});
            let status = response.status().as_u16();
            (status, axum::body::to_bytes(response.into_body(), usize::MAX).await)
        });
        let panics = self.state.panics();
        assert!(panics.is_empty(), "the sandbox panicked answering {method} {target}: {panics:?}");
        let body = body.expect("a body");
        if status >= 400 && !body.is_empty() && status != 404 && status != 405 {
            let json: serde_json::Value = serde_json::from_slice(&body).expect("an error answer is JSON");
            assert!(json["code"].as_i64().is_some() && json["msg"].is_string(), "{status} {json}");
        }
        Some(status)
    }

    /// Answers one WebSocket API text frame on a connection that lives across calls (so a
    /// `session.logon` or a subscription carries over, as on a real connection): the answer's
    /// `status`.
    ///
    /// # Panics
    ///
    /// When answering panics, or the answer is not a JSON object with a `status`.
    pub fn ws_api(&self, text: &str) -> Option<u16> {
        let mut session = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let answer = self.runtime.block_on(crate::ws::api::answer(
            &self.state,
            Some(CLIENT.ip()),
            &mut session,
            text,
            std::time::Instant::now(),
        ));
        let answer = answer?;
        let json: serde_json::Value = serde_json::from_str(&answer).expect("the answer is JSON");
        let status = json["status"].as_u64().expect("the answer has a status");
        if status >= 400 {
            assert!(json["error"]["code"].as_i64().is_some_and(|c| c < 0), "{json}");
        }
        u16::try_from(status).ok()
    }
}

impl Default for Fuzzed {
    fn default() -> Fuzzed {
        Fuzzed::new()
    }
}

/// Reads `data` as a request written out: a first line `METHOD TARGET`, then `name: value` header
/// lines, an empty line and the body (a missing part is empty), and answers it ([`Fuzzed::rest`]).
pub fn rest_request(sandbox: &Fuzzed, data: &[u8]) -> Option<u16> {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &[][..]),
    };
    let mut lines = head.split(|b| *b == b'\n');
    let first = std::str::from_utf8(lines.next()?).ok()?;
    let (method, target) = first.split_once(' ').unwrap_or(("GET", first));
    let mut headers = Vec::new();
    for line in lines {
        let Some(colon) = line.iter().position(|b| *b == b':') else { continue };
        let Ok(name) = std::str::from_utf8(&line[..colon]) else { continue };
        let value = line[colon + 1..].strip_prefix(b" ").unwrap_or(&line[colon + 1..]);
        headers.push((name, value));
    }
    sandbox.rest(method, target, &headers, body)
}

/// Reads `data` as the first bytes of a connection, as the server's own HTTP/1.1 path does: the
/// head's length when that path takes the request (`None`: incomplete, or hyper's to answer).
///
/// # Panics
///
/// When a head it takes breaks what its loop relies on (parts out of bounds, a body over the
/// limit, a request built at another route than the head names).
pub fn http1_head(data: &[u8]) -> Option<usize> {
    crate::serve::fuzz_http1(data)
}
