//! [`router`]: every route, and the frame around each request (IP rate limits and bans, URL limit, panic
//! guard, request weight header, request log). The server loop answers the requests for Binance's
//! endpoints through [`Direct`] instead of the router: the same frame, extractor and handler
//! without the router's work per request.

use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, any, get, on, post};
use futures_util::FutureExt;
use mbx_core::Params;
use mbx_core::endpoint::{self, Endpoint, Weight, spot};

use crate::Flavor;
use crate::api::routes::{self, Handler};
use crate::api::{admin, user_stream};
use crate::error::{RejectedWith, SandboxError};
use crate::extract::{MAX_URI, PublicQuery, Signed};
use crate::limits::{Admission, RequestWeight, USED_WEIGHT, USED_WEIGHT_1M};
use crate::state::AppState;
use crate::write::micros::{TimeUnit, Times, rescale};

/// The sandbox's routes, with `state`. Serve it with connection info
/// (`into_make_service_with_connect_info::<SocketAddr>()`) so that weights are counted per client and
/// the admin API can tell loopback clients; [`crate::Sandbox`] does this.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    // Every Binance endpoint the sandbox serves, at its row's method and path.
    for (endpoint, handler) in routes::SERVED {
        router = router.route(endpoint.path, rest(endpoint, *handler));
    }
    router
        .route(
            spot::USER_STREAM_START.path,
            match state.flavor() {
                Flavor::Binance => any(user_stream::retired),
                Flavor::Us => {
                    let [(e1, h1), (e2, h2), (e3, h3)] = routes::LISTEN_KEY;
                    rest(e1, h1).merge(rest(e2, h2)).merge(rest(e3, h3))
                }
            },
        )
        .route("/sandbox/v1/keys", post(admin::add_key).get(admin::list_keys).delete(admin::revoke_key))
        .route("/sandbox/v1/accounts", post(admin::create_account))
        .route("/sandbox/v1/deposit", post(admin::deposit))
        .route("/sandbox/v1/externalLock", post(admin::external_lock))
        .route("/sandbox/v1/clock", post(admin::set_clock))
        .route("/sandbox/v1/faults", post(admin::plan_faults))
        .route("/sandbox/v1/health", get(admin::health))
        .route("/sandbox/v1/rejections", get(admin::rejections))
        .route("/sandbox/v1/chaos", post(admin::set_chaos).get(admin::chaos).delete(admin::stop_chaos))
        .merge(crate::ws::routes())
        .merge(crate::console::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(FrameLayer(state.clone()))
        .with_state(state)
}

/// The REST form of an endpoint: its method, then [`answer`], as the direct path runs it (so both
/// paths read the parameters, authenticate and journal a handler's refusal alike).
fn rest(endpoint: &'static Endpoint, handler: Handler) -> MethodRouter<AppState> {
    let filter = match endpoint.method {
        endpoint::Method::Get => MethodFilter::GET,
        endpoint::Method::Post => MethodFilter::POST,
        endpoint::Method::Put => MethodFilter::PUT,
        endpoint::Method::Delete => MethodFilter::DELETE,
    };
    on(filter, move |State(state): State<AppState>, req: Request| async move {
        let Ok(response) = answer(state, endpoint, handler, req).await;
        response
    })
}

async fn not_found(State(state): State<AppState>, req: Request) -> SandboxError {
    let e = SandboxError::NotFound { method: req.method().to_string(), path: req.uri().path().to_owned() };
    crate::journal::record_unrouted(&state, &req, 404, &e.hint());
    drain(req).await;
    e
}

async fn method_not_allowed(State(state): State<AppState>, req: Request) -> SandboxError {
    let e = SandboxError::MethodNotAllowed {
        method: req.method().to_string(),
        path: req.uri().path().to_owned(),
    };
    crate::journal::record_unrouted(&state, &req, 405, &e.hint());
    drain(req).await;
    e
}

/// Reads a refused request's body (up to the bodies the sandbox takes) before the answer goes out:
/// answered with its body unread, the connection could not carry the client's next request, and
/// a client that sends the body after the head (Python's http.client, aiohttp) would lose that
/// request to a connection closed under it. A larger body, or one that never comes, leaves the
/// connection to be closed as before.
pub(crate) async fn drain(req: Request) {
    let _ = axum::body::to_bytes(req.into_body(), crate::extract::MAX_BODY).await;
}

/// One answered request, as its log line gives it (`mbx sandbox` writes
/// `2026-11-23T23:55:01.123Z  INFO method=GET path=/api/v3/ping status=200 latency_us=41`, with
/// `code=-1022` before the latency when the answer is a Binance error).
///
/// ```
/// let line = mbx_sandbox::RequestLine {
///     method: "GET",
///     path: "/api/v3/ping",
///     status: 200,
///     code: None,
///     latency_us: 41,
///     at_ms: 1_764_000_000_000,
/// };
/// assert_eq!(line.status, 200);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The HTTP status answered.
    pub status: u16,
    /// Binance's error code, when the answer is one.
    pub code: Option<i32>,
    /// From arrival to answer.
    pub latency_us: u64,
    /// When it was answered: the system clock's milliseconds since the Unix epoch (the sandbox
    /// clock's offset left out), read once for the request at its arrival, plus the latency.
    pub at_ms: u64,
}

/// Where request log lines go ([`crate::SandboxBuilder::request_lines`]).
pub type RequestLines = std::sync::Arc<dyn Fn(&RequestLine<'_>) + Send + Sync>;

/// A [`RequestLines`] sink, shown by `Debug` as its presence only.
#[derive(Clone)]
pub(crate) struct LineSink(pub(crate) RequestLines);

impl std::fmt::Debug for LineSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LineSink")
    }
}

/// `X-MBX-APIKEY` as a header name: a name given as text is parsed again on every lookup.
pub(crate) const API_KEY: HeaderName = HeaderName::from_static(crate::extract::API_KEY_HEADER);
/// `X-MBX-TIME-UNIT`, likewise.
pub(crate) const TIME_UNIT: HeaderName = HeaderName::from_static("x-mbx-time-unit");

/// Puts [`Frame`] around every route.
#[derive(Clone)]
struct FrameLayer(AppState);

impl<S> tower::Layer<S> for FrameLayer {
    type Service = Frame<S>;

    fn layer(&self, inner: S) -> Frame<S> {
        Frame { inner, state: self.0.clone() }
    }
}

/// Wraps every request: refuses it over the IP rate limits (429) or while banned (418), refuses
/// over-long URLs, catches a handler panic so that it becomes a clean `500 -1000` (and is
/// recorded for tests), adds `X-MBX-USED-WEIGHT-1M`, and logs the request. The admin API is never
/// limited.
///
/// A service of its own rather than `middleware::from_fn`, which clones and boxes the inner
/// service for every request.
#[derive(Clone)]
struct Frame<S> {
    inner: S,
    state: AppState,
}

impl<S> tower::Service<Request> for Frame<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Framed;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let found = crate::endpoint::lookup(req.method().as_str(), req.uri().path());
        if let Some(e) = found.filter(|e| e.security.needs_api_key()) {
            // The Signed extractor reads it from here rather than searching the table again (public
            // routes do not use it: an insert costs a map entry per request).
            req.extensions_mut().insert(crate::endpoint::Found(e));
        }
        let inner = &mut self.inner;
        frame(self.state.clone(), ip, Seen::of(&req), found, (false, true), move || inner.call(req))
    }
}

/// The frame's future: the answer, limited, logged and with its weight header.
pub(crate) type Framed = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// A request the server loop can answer without axum's router: one for a Binance endpoint that
/// the sandbox answers ([`routes::SERVED`]), at the route's method exactly, with its handler.
#[derive(Clone, Copy)]
pub(crate) struct Direct {
    endpoint: &'static Endpoint,
    handler: Handler,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Direct({} {})", self.endpoint.method.as_str(), self.endpoint.path)
    }
}

impl Direct {
    /// Whether `req` can be answered directly (see [`Direct::serve`]).
    pub(crate) fn find(req: &Request) -> Option<Direct> {
        Direct::at(req.method().as_str(), req.uri().path())
    }

    /// [`Direct::find`] for a request's method and path as received (the server's own HTTP/1.1
    /// path reads them before it builds a request).
    pub(crate) fn at(method: &str, path: &str) -> Option<Direct> {
        crate::endpoint::lookup(method, path)
            // The route's method exactly (the table's lookup ignores case; axum's method filter
            // does not).
            .filter(|e| e.method.as_str() == method)
            .and_then(|endpoint| routes::handler(endpoint).map(|handler| Direct { endpoint, handler }))
    }

    /// The route's method.
    pub(crate) fn method(self) -> Method {
        match self.endpoint.method {
            endpoint::Method::Get => Method::GET,
            endpoint::Method::Post => Method::POST,
            endpoint::Method::Put => Method::PUT,
            endpoint::Method::Delete => Method::DELETE,
        }
    }

    /// Answers `req` without going through axum's router: the server loop (`serve/mod.rs`) asks
    /// [`Direct::find`] for every request and gives the router the others. The answer is the
    /// router's, byte for byte: the same frame ([`Frame`]), the same extractor and handler, the
    /// same `Content-Length` that axum's route sets (the test `the_direct_path_answers_as_the_router`
    /// compares them). What is saved is the router's work around them: the path lookup, the
    /// request's extension map (the client's address, the path parameters), a boxed service and
    /// future per layer.
    ///
    /// `length`: whether the answer gets its `Content-Length` header here. The server's own HTTP/1.1
    /// path (`serve/http1.rs`) passes `false`: it writes the header from the body it sends, at the
    /// same place in the head.
    pub(crate) fn serve(self, state: &AppState, ip: Option<IpAddr>, req: Request, length: bool) -> Framed {
        let for_handler = state.clone();
        let Direct { endpoint, handler } = self;
        // Without the length, the own HTTP/1.1 path writes the head, the legacy weight header too.
        frame(state.clone(), ip, Seen::of(&req), Some(endpoint), (length, length), move || {
            answer(for_handler, endpoint, handler, req)
        })
    }

    /// The route, when it is public ([`Public::serve`] answers it without a `Request`).
    pub(crate) fn public(self) -> Option<Public> {
        match self.handler {
            Handler::Public(handler) => Some(Public { endpoint: self.endpoint, handler }),
            Handler::Signed(_) => None,
        }
    }
}

/// A [`Direct`] route that is public.
#[derive(Clone, Copy)]
pub(crate) struct Public {
    endpoint: &'static Endpoint,
    handler: fn(AppState, Params) -> routes::Answering,
}

impl Public {
    /// [`Direct::serve`] for a public route, from what the frame reads of the request ([`Seen`]),
    /// without a `Request` and its header map built first: a public route reads nothing else (its
    /// parameters come from the query). The server's own HTTP/1.1 path uses it.
    pub(crate) fn serve(self, state: &AppState, ip: Option<IpAddr>, seen: Seen) -> Framed {
        let for_handler = state.clone();
        let Public { endpoint, handler } = self;
        let uri = seen.uri.clone();
        frame(state.clone(), ip, seen, Some(endpoint), (false, false), move || async move {
            Ok(public(for_handler, endpoint, handler, &uri).await)
        })
    }
}

/// What the frame reads of a request: its method, target and the two headers it looks at.
#[derive(Clone)]
pub(crate) struct Seen {
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    /// `X-MBX-APIKEY` (the console's entry shows it shortened).
    pub(crate) api_key: Option<HeaderValue>,
    /// `X-MBX-TIME-UNIT`.
    pub(crate) time_unit: Option<HeaderValue>,
}

impl std::fmt::Debug for Seen {
    /// The key's presence only, never its text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seen")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("time_unit", &self.time_unit)
            .finish()
    }
}

impl Seen {
    /// What the frame reads of `req` (a clone of its URI shares its bytes).
    fn of(req: &Request) -> Seen {
        Seen {
            method: req.method().clone(),
            uri: req.uri().clone(),
            api_key: req.headers().get(API_KEY).cloned(),
            time_unit: req.headers().get(TIME_UNIT).cloned(),
        }
    }
}

/// A public route's answer to a request for `uri`: its parameters from the query (the extractor
/// [`PublicQuery`]'s rejection answered as is), then the handler.
async fn public(
    state: AppState,
    endpoint: &'static Endpoint,
    handler: fn(AppState, Params) -> routes::Answering,
    uri: &Uri,
) -> Response {
    match PublicQuery::for_endpoint(Some(endpoint), uri.query().unwrap_or("")) {
        Ok(PublicQuery(params)) => {
            let reply = routes::run_public(state.clone(), endpoint, handler, params).await;
            // A refusal is journaled as a signed request's is (`mbx doctor sandbox-log`): a public
            // request signed, or with a parameter the endpoint does not read.
            if let Err(e) = &reply.body
                && let Some(error) = e.api_error()
            {
                crate::journal::record_public(&state, endpoint, uri, &error, &e.hint());
            }
            reply.into_response()
        }
        // A query the endpoint cannot read (a duplicated name, a malformed encoding): journaled too.
        Err(rejection) => {
            if let Some(error) = rejection.api_error() {
                crate::journal::record_public(&state, endpoint, uri, &error, &rejection.hint());
            }
            rejection.into_response()
        }
    }
}

/// What the route `rest(endpoint, handler)` answers to `req`, as axum runs it: the extractor (its
/// rejection answered as is), then the handler. (Axum's route sets `Content-Length` around the
/// frame, after the weight header: [`frame`] does it last when it is outermost.)
async fn answer(
    state: AppState,
    endpoint: &'static Endpoint,
    handler: Handler,
    req: Request,
) -> Result<Response, Infallible> {
    let response = match handler {
        Handler::Public(f) => public(state, endpoint, f, req.uri()).await,
        Handler::Signed(f) => match Signed::from_request_at(endpoint, req, &state).await {
            Ok((signed, kept)) => {
                let reply = routes::run_signed(state.clone(), f, signed).await;
                // A refusal by the handler is journaled too (`mbx doctor sandbox-log`).
                if let Err(e) = &reply.body
                    && let Some(error) = e.api_error()
                {
                    kept.journal(&state, &error, e.hint());
                }
                reply.into_response()
            }
            Err(rejection) => rejection.into_response(),
        },
    };
    Ok(response)
}

/// `Content-Length` from the body's exact size when the answer has none: what axum's route does to
/// every answer (`axum::routing::route::set_content_length`), with the same text.
fn set_content_length(response: &mut Response) {
    use axum::http::header::CONTENT_LENGTH;
    if response.headers().contains_key(CONTENT_LENGTH) {
        return;
    }
    if let Some(size) = axum::body::HttpBody::size_hint(response.body()).exact() {
        let value = if size == 0 { HeaderValue::from_static("0") } else { HeaderValue::from(size) };
        response.headers_mut().insert(CONTENT_LENGTH, value);
    }
}

/// The frame around one request (see [`Frame`]): `found` is its Binance endpoint, `call` runs the
/// route (unless the request is refused first). `outermost`: no axum route runs around the frame
/// (the direct path), so the frame sets `Content-Length` itself, last, where axum's route around
/// the layer puts it (after the weight header). `legacy`: the frame adds the legacy
/// `X-MBX-USED-WEIGHT` header; the server's own HTTP/1.1 path writes it as it writes the head
/// (`serve::http1::encode_head`, from the `-1M` one: no second value built and inserted).
fn frame<F>(
    state: AppState,
    ip: Option<IpAddr>,
    seen: Seen,
    found: Option<&'static Endpoint>,
    (outermost, legacy): (bool, bool),
    call: impl FnOnce() -> F,
) -> Framed
where
    F: Future<Output = Result<Response, Infallible>> + Send + 'static,
{
    let started = Instant::now();
    // The system clock at arrival, read once: the sandbox clock's time from it, for the limits and
    // (plus the latency) the console entry's time, and the log line's time.
    let wall = SystemTime::now();
    let arrived_ms = state.clock().at(wall).as_millis();
    let Seen { method, uri, api_key, time_unit } = seen;
    let path = uri.path();
    let uri_len = uri.path_and_query().map_or(0, |p| p.as_str().len());
    let weight = found.map_or(0, |e| match e.weight {
        Weight::Fixed(w) => w,
        _ => e.weight_for(&Params::parse_query(uri.query().unwrap_or("")).unwrap_or_default()),
    });
    // The admin API is not Binance's: it is never limited, so tests can reach it while banned.
    let admission = if path.starts_with("/sandbox/") {
        Admission { used_weight: 0, refusal: None }
    } else if let Some(refusal) = found.and_then(|_| crate::faults::request_chaos(&state, ip, started)) {
        // Chaos: a rate-limit storm or its ban answers a Binance endpoint before it is counted.
        Admission { used_weight: state.ip_limits().add(ip, arrived_ms, 0), refusal: Some(refusal) }
    } else {
        state.ip_limits().admit(ip, arrived_ms, weight, state.market().rate_limits())
    };
    // `X-MBX-TIME-UNIT`: the times of a Binance endpoint's answer in microseconds (`-1194` for
    // another unit).
    let unit = mbx_core::accept::read_time_unit(
        time_unit.as_ref().map(|v| v.to_str().unwrap_or("(not text)")),
        "X-MBX-TIME-UNIT",
    );
    let inner = if let Some(refusal) = admission.refusal {
        Err(refusal.into_response())
    } else if let (Err(refused), Some(_)) = (&unit, found) {
        // Journaled (`mbx doctor sandbox-log`) with the header at fault, which the doctor names (the
        // key header is left out: it may hold a secret sent by mistake, and is not at fault here).
        let headers = time_unit
            .as_ref()
            .map(|v| ("X-MBX-TIME-UNIT".to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .into_iter()
            .collect();
        let target = uri.path_and_query().map_or(path, |p| p.as_str());
        if let Ok(record) = mbx_core::diagnose::RequestRecord::new(method.as_str(), target, headers, "") {
            let rest = crate::journal::Journaled::Rest(Box::new(record));
            crate::journal::record(&state, arrived_ms, rest, &refused.error, None, &refused.hint);
        }
        Err(SandboxError::from(refused.clone()).into_response())
    } else if uri_len > MAX_URI {
        Err(SandboxError::UriTooLong { len: uri_len, limit: MAX_URI }.into_response())
    } else {
        Ok(call())
    };
    Box::pin(async move {
        let mut response = match inner {
            Err(refused) => refused,
            // Caught in place rather than in a spawned task: a task per request costs an
            // allocation and a trip through the scheduler.
            Ok(call) => match std::panic::AssertUnwindSafe(call).catch_unwind().await {
                Ok(Ok(response)) => response,
                Ok(Err(never)) => match never {},
                Err(panic) => {
                    let msg = panic_message(panic);
                    state.record_panic(msg.clone());
                    SandboxError::Panicked(msg).into_response()
                }
            },
        };
        if let (Ok(TimeUnit::Microsecond), Some(e)) = (unit, found)
            && response.status().is_success()
        {
            response = in_microseconds(response, e).await;
        }
        // A handler may report a heavier weight than the table's (e.g. `computeCommissionRates`), or a
        // lighter one (`myPreventedMatches` with an invalid symbol).
        let used = match response.extensions().get::<RequestWeight>() {
            Some(w) if w.0 > weight => state.ip_limits().add(ip, state.clock().now_ms(), w.0 - weight),
            Some(w) if w.0 < weight => state.ip_limits().refund(ip, state.clock().now_ms(), weight - w.0),
            _ => admission.used_weight,
        };
        let used = HeaderValue::from(used);
        if legacy {
            response.headers_mut().insert(USED_WEIGHT_1M, used.clone());
            response.headers_mut().insert(USED_WEIGHT, used);
        } else {
            response.headers_mut().insert(USED_WEIGHT_1M, used);
        }
        let code = response.extensions().get::<RejectedWith>().map(|c| c.0.get());
        // Measured once, for the log line and the console's entry alike.
        let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let line = RequestLine {
            method: method.as_str(),
            path: uri.path(),
            status: response.status().as_u16(),
            code,
            latency_us,
            at_ms: wall
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
                .saturating_add(latency_us / 1000),
        };
        match state.request_lines() {
            Some(sink) => sink(&line),
            None => tracing::info!(
                target: "mbx_sandbox::request",
                method = line.method,
                path = line.path,
                status = line.status,
                code = line.code,
                latency_us = line.latency_us,
            ),
        }
        state.requests().record_http(
            arrived_ms + latency_us / 1000,
            &method,
            &uri,
            found.map(|e| e.path),
            api_key.as_ref(),
            &response,
            latency_us,
        );
        if outermost {
            set_content_length(&mut response);
        }
        Ok(response)
    })
}

/// `response` (a 200 of endpoint `e`) with its times in microseconds.
async fn in_microseconds(response: Response, e: &Endpoint) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let times = if std::ptr::eq(e, &spot::KLINES) || std::ptr::eq(e, &spot::UI_KLINES) {
        Times::Klines
    } else {
        Times::Response
    };
    let body = match std::str::from_utf8(&bytes) {
        Ok(text) => axum::body::Body::from(rescale(text, times)),
        Err(_) => axum::body::Body::from(bytes),
    };
    let mut response = Response::from_parts(parts, body);
    response.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    response
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => payload.downcast_ref::<&str>().map_or("non-string panic".into(), |s| (*s).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    /// What the frame reads shows an API key's presence in `Debug`, never its text.
    #[test]
    fn seen_never_shows_the_key() {
        let req = Request::builder()
            .uri("/api/v3/ping")
            .header(API_KEY, "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
            .body(Body::empty())
            .unwrap();
        let shown = format!("{:?}", Seen::of(&req));
        assert!(!shown.contains("vmPUZE6"), "{shown}");
        assert!(shown.contains("<set>") && shown.contains("/api/v3/ping"), "{shown}");
    }

    /// Every endpoint in `routes::SERVED` is mounted with its method: none answers 404 or 405.
    #[tokio::test]
    async fn router_mounts_every_served_route() {
        let state = crate::Sandbox::builder().memory().market_maker(false).state().unwrap();
        for (e, _) in routes::SERVED {
            let (method, path) = (e.method, e.path);
            let req = Request::builder().method(method.as_str()).uri(path).body(Body::empty()).unwrap();
            let status = router(state.clone()).oneshot(req).await.unwrap().status();
            assert!(![404, 405].contains(&status.as_u16()), "{method} {path}: {status}");
        }
    }

    /// The server loop's direct path answers every served endpoint as the router does: the same
    /// status, the same headers in the same order, the same body (for answers that hold no clock
    /// time), whatever the parameters, the key or the time unit; and it leaves everything else to
    /// the router.
    #[tokio::test]
    async fn the_direct_path_answers_as_the_router() {
        // Unlimited: the test sends every request twice, many times over (the refusals over the
        // limits are the frame's, shared by both paths).
        let unlimited = crate::market::RateLimits {
            request_weight_per_minute: u32::MAX,
            orders_per_10s: u32::MAX,
            orders_per_day: u32::MAX,
            raw_requests_per_5m: u32::MAX,
        };
        let state =
            crate::Sandbox::builder().memory().market_maker(false).rate_limits(unlimited).state().unwrap();
        let key = crate::seed::demo_key().api_key;
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("", &[]),
            ("?symbol=BTCUSDT", &[]),
            ("?symbol=BTCUSDT&limit=5", &[("x-mbx-time-unit", "MICROSECOND")]),
            ("?bogus=1", &[]),
            ("?a=%ZZ", &[]),
            ("", &[("x-mbx-time-unit", "SECOND")]),
            ("?timestamp=1&signature=00", &[("x-mbx-apikey", key.as_str())]),
        ];
        let request = |method: &str, uri: &str, headers: &[(&str, &str)]| {
            let mut req = Request::builder().method(method).uri(uri);
            for (name, value) in headers {
                req = req.header(*name, *value);
            }
            req.body(Body::empty()).unwrap()
        };
        let parts = |r: Response| async move {
            let (parts, body) = r.into_parts();
            let names: Vec<String> = parts.headers.keys().map(|k| k.to_string()).collect();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            (parts.status, names, parts.headers.get("content-length").cloned(), body)
        };
        for (e, _) in routes::SERVED {
            for (query, headers) in cases {
                let uri = format!("{}{query}", e.path);
                let method = e.method.as_str();
                let via_router = router(state.clone()).oneshot(request(method, &uri, headers)).await.unwrap();
                let req = request(method, &uri, headers);
                let direct =
                    Direct::find(&req).unwrap_or_else(|| panic!("{method} {uri}: not taken directly"));
                let direct = direct.serve(&state, None, req, true).await.unwrap();
                let (a, b) = (parts(via_router).await, parts(direct).await);
                assert_eq!((a.0, &a.1), (b.0, &b.1), "{method} {uri} {headers:?}");
                let clocked =
                    a.3.windows(4).any(|w| w == b"Time" || w == b"time") || e.path.contains("ticker");
                if !clocked && a.0 != 200 {
                    assert_eq!(a.3, b.3, "{method} {uri} {headers:?}");
                }
                assert_eq!(a.2.is_some(), b.2.is_some(), "{method} {uri}: content-length");
            }
        }
        for (method, uri) in [
            ("get", "/api/v3/ping"),
            ("HEAD", "/api/v3/ping"),
            ("GET", "/sandbox/v1/health"),
            ("GET", "/nowhere"),
        ] {
            assert!(Direct::find(&request(method, uri, &[])).is_none(), "{method} {uri} goes to the router");
        }
    }
}
