//! The WebSocket API at `/ws-api/v3`: one JSON request per text frame, answered by `id`.
//!
//! Each method is the endpoint of mbx-core's table that names it (`Endpoint::ws`), answered by the
//! same handler as over REST (`crate::api::routes`): the request's `params` become the endpoint's
//! parameters and the handler's [`Reply`] is written as `{"id","status","result","rateLimits"}` or
//! `{"id","status","error":{"code","msg"},"rateLimits"}`. Only the authentication differs, as on
//! Binance:
//!
//! | # | check | failure |
//! |---|---|---|
//! | 1 | `apiKey` present | `-1102` |
//! | 2 | `apiKey` holds 64 letters and digits | `-2014` |
//! | 3 | the key is registered, not revoked, and has the method's permission | `-2015` |
//! | 4 | `timestamp` present (digits), `signature` present | `-1102`, `-1100` |
//! | 5 | `recvWindow` well formed, at most 60000 | `-1100`, `-1111`, `-1102` |
//! | 6 | `mbx_core::time::check_timing` against the sandbox clock | `-1021` |
//! | 7 | signature over every parameter but `signature`, sorted by name, `name=value` joined by `&`, raw UTF-8 (`mbx_core::payload::ws_api_payload`) | `-1022` |

use std::net::{IpAddr, SocketAddr};

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::Extensions;
use axum::response::{IntoResponse, Response};
use mbx_core::accept::{self, Target};
use mbx_core::endpoint::{self, Endpoint, spot};
use mbx_core::{ApiError, ErrorCode, Params};
use serde_json::{Value, json};

use crate::api::routes::{self, Handler};
use tokio::sync::broadcast;

use super::liveness::{Due, Liveness, answer_close, send_within};
use crate::Flavor;
use crate::api::{Answer, Reply};
use crate::engine::user_events::UserEvent;
use crate::error::{Result, SandboxError};
use crate::extract::{Signed, clip};
use crate::state::AppState;
use crate::write::json::Object;
use crate::write::micros::{TimeUnit, Times, rescale};

/// Largest request frame read, in bytes; a larger one closes the connection.
pub const MAX_REQUEST: usize = 1024 * 1024;

/// The weight of opening a WebSocket API connection (web-socket-api.md, IP limits).
pub const CONNECT_WEIGHT: u32 = 2;

/// `GET /ws-api/v3`: upgrades to the WebSocket API.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    extensions: Extensions,
    RawQuery(query): RawQuery,
) -> Response {
    // Weights are counted per client address, as for REST.
    let ip = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    // `?returnRateLimits=false`: answers leave `rateLimits` out unless a request asks for them.
    let url = Params::parse_query(query.as_deref().unwrap_or("")).unwrap_or_default();
    let rate_limits = url.get("returnRateLimits") != Some("false");
    // `?timeUnit=MICROSECOND`: every time in answers and events in microseconds.
    let micro = match mbx_core::accept::read_time_unit(url.get("timeUnit"), "timeUnit") {
        Ok(unit) => unit == TimeUnit::Microsecond,
        Err(refused) => return SandboxError::from(refused).into_response(),
    };
    let limit = state.hub().rules().connections_per_5m;
    if let Some(refused) = state.hub().api_attempts().refuse(
        &extensions,
        limit,
        "WebSocket API",
        "send many requests on one connection",
    ) {
        return refused;
    }
    // web-socket-api.md, IP limits: connecting costs 2 weight, shared with the address's requests.
    state.ip_limits().add(ip, state.clock().now_ms(), CONNECT_WEIGHT);
    ws.max_message_size(MAX_REQUEST)
        .max_frame_size(MAX_REQUEST)
        .on_upgrade(move |socket| serve(socket, state, ip, rate_limits, micro))
}

/// Frames read ahead of the request being answered, at most (then reading waits, and TCP holds the
/// client back).
const READ_AHEAD: usize = 64;

/// Bytes of frames read ahead, at most: reading stops once they reach this (so a connection holds
/// at most this plus one [`MAX_REQUEST`] frame, however large the frames).
const READ_AHEAD_BYTES: usize = MAX_REQUEST;

/// The bytes a frame read ahead holds.
fn frame_bytes(m: &Option<Message>) -> usize {
    match m {
        Some(Message::Text(t)) => t.len(),
        Some(Message::Binary(b)) => b.len(),
        _ => 0,
    }
}

/// Answers the requests of one connection, in order, until the client closes it or the sandbox
/// stops (then it sends the `serverShutdown` event and closes).
///
/// Frames are read while a request is being answered (up to [`READ_AHEAD`] frames and
/// [`READ_AHEAD_BYTES`]), each noted with the
/// time it arrived: a request is judged by the rate limits' storms at its arrival, not when its turn
/// comes. (A client pipelining requests behind an order held by a fault would otherwise be banned
/// for requests it sent before it saw a 429.)
async fn serve(mut socket: WebSocket, state: AppState, ip: Option<IpAddr>, rate_limits: bool, micro: bool) {
    let mut idle = Session::new(state.clock().now_ms());
    idle.rate_limits = rate_limits;
    idle.micro = micro;
    // The session, unless a request being answered holds it.
    let mut session = Some(idle);
    // A request being answered: it holds the session, and gives it back with the answer. Kept in
    // place (not boxed): one allocation less a request.
    let answering_one = |mut s: Session, text: String, arrived: std::time::Instant| {
        let state = state.clone();
        async move {
            let reply = guarded(&state, ip, &mut s, text, arrived).await;
            (s, reply)
        }
    };
    let mut in_flight = std::pin::pin!(None);
    // Read and not yet answered, in order, with their arrival; `None`: the connection ended there.
    let mut ahead: std::collections::VecDeque<(Option<Message>, std::time::Instant)> =
        std::collections::VecDeque::new();
    let mut ahead_bytes = 0;
    let mut reading = true;
    // The engine's user data events, read once the session has a subscription.
    let mut users: Option<broadcast::Receiver<Arc<Vec<UserEvent>>>> = None;
    let mut live = Liveness::new(state.hub().rules());
    // A client that does not read its answers is dropped after this (liveness.rs).
    let limit = state.hub().rules().pong_timeout;
    let mut cuts = state.hub().cuts();
    loop {
        // The next request, when none is being answered (a frame answered without the handlers:
        // `immediate`).
        let mut immediate = None;
        if in_flight.is_none()
            && let Some(s) = session.take()
        {
            let next = ahead.pop_front();
            if let Some((m, _)) = &next {
                ahead_bytes -= frame_bytes(m);
            }
            match next {
                Some((Some(Message::Text(text)), arrived)) => {
                    in_flight.set(Some(answering_one(s, text.as_str().to_owned(), arrived)));
                    continue;
                }
                Some((Some(Message::Binary(bytes)), _)) => {
                    let error = ApiError::with_msg(ErrorCode::INVALID_JSON, "Invalid JSON Request");
                    let frame = crate::journal::Journaled::WsApi {
                        frame: String::from_utf8_lossy(&bytes).into_owned(),
                        logged_on: s.logged.is_some(),
                        binary: true,
                    };
                    let why = "The request came in a binary frame: the WebSocket API reads text frames only.";
                    crate::journal::record(&state, state.clock().now_ms(), frame, &error, None, why);
                    immediate = Some(error_frame(&Value::Null, &error));
                }
                // Pongs were counted when read; pings are answered by the WebSocket layer.
                Some((Some(Message::Pong(_) | Message::Ping(_)), _)) => {}
                Some((Some(Message::Close(_)), _)) => {
                    answer_close(&mut socket, limit).await;
                    break;
                }
                Some((None, _)) => break,
                None => {}
            }
            session = Some(s);
        }
        let answering = in_flight.is_some();
        let message = if let Some(reply) = immediate {
            reply
        } else {
            tokio::select! {
                _ = cuts.changed(), if !answering => break,
                due = live.due() => match due {
                    Due::Close(code, reason) => {
                        super::streams::close(&mut socket, code, reason, limit).await;
                        break;
                    }
                    Due::Ping => {
                        if !send_within(&mut socket, Message::Ping(super::liveness::PING_PAYLOAD.into()), limit).await {
                            break;
                        }
                        continue;
                    }
                },
                read = socket.recv(), if reading && ahead.len() < READ_AHEAD && ahead_bytes < READ_AHEAD_BYTES => {
                    let read = read.and_then(std::result::Result::ok);
                    if let Some(Message::Pong(payload)) = &read {
                        live.pong(payload);
                    }
                    reading = matches!(read, Some(ref m) if !matches!(m, Message::Close(_)));
                    ahead_bytes += frame_bytes(&read);
                    ahead.push_back((read, std::time::Instant::now()));
                    continue;
                },
                done = async { match in_flight.as_mut().as_pin_mut() { Some(f) => f.await, None => std::future::pending().await } } => {
                    in_flight.set(None);
                    let (s, reply) = done;
                    session = Some(s);
                    match reply {
                        Some(reply) => reply,
                        // The answer is dropped (an injected fault): the connection is closed unanswered.
                        None => break,
                    }
                },
                batch = async { match users.as_mut() { Some(rx) => rx.recv().await, None => std::future::pending().await } }, if !answering => {
                    let Some(session) = session.as_mut() else { continue };
                    let batch = match batch {
                        Ok(batch) => batch,
                        Err(broadcast::error::RecvError::Lagged(missed)) => {
                            // This connection fell behind the engine and its subscriptions missed
                            // events. The docs are silent; Binance never skips a user data event in
                            // silence, so the subscriptions end here, each with its
                            // `eventStreamTerminated`: the client subscribes again and reconciles.
                            tracing::warn!(target: "mbx_sandbox::ws", missed, "a WebSocket API connection fell behind its user data events; its subscriptions end");
                            session.end_subscriptions(state.clock().now_ms(), |_| false);
                            users = None;
                            if !flush(&mut socket, session, limit).await {
                                break;
                            }
                            continue;
                        }
                        Err(broadcast::error::RecvError::Closed) => break,
                    };
                    let mut failed = false;
                    for frame in session.frames(&batch) {
                        // Chaos: the user data stream is cut instead of delivering the event.
                        if state.chaos().cut_user_stream()
                            || !send_within(&mut socket, Message::Text(frame.into()), limit).await
                        {
                            failed = true;
                            break;
                        }
                    }
                    if failed {
                        break;
                    }
                    continue;
                },
                () = state.stopping(), if !answering => {
                    let Some(session) = session.as_ref() else { break };
                    let event = json!({ "event": { "e": "serverShutdown", "E": state.clock().now_ms() } });
                    let _ = send_within(&mut socket, Message::Text(session.event_text(event.to_string()).into()), limit).await;
                    let _ = send_within(&mut socket, Message::Close(None), limit).await;
                    break;
                }
            }
        };
        let Some(s) = session.as_mut() else { break };
        if s.has_subscriptions() && users.is_none() {
            users = Some(state.engine().subscribe_user());
        }
        if !flush(&mut socket, s, limit).await {
            break;
        }
        // Chaos: the connection is cut instead of answering.
        if state.chaos().cut_ws() || !send_within(&mut socket, Message::Text(message.into()), limit).await {
            break;
        }
    }
}

/// Sends the session's queued event frames (`eventStreamTerminated`); false if the connection
/// is gone.
async fn flush(socket: &mut WebSocket, session: &mut Session, limit: Duration) -> bool {
    for frame in std::mem::take(&mut session.outbox) {
        if !send_within(socket, Message::Text(session.event_text(frame).into()), limit).await {
            return false;
        }
    }
    true
}

/// [`answer`], with a panic caught in place, so that a sandbox bug answers `-1000` (and is recorded
/// for tests) instead of dropping the connection. (Caught in place rather than in a spawned task: a
/// task per request costs a trip through the scheduler, often to the other worker thread.)
async fn guarded(
    state: &AppState,
    ip: Option<IpAddr>,
    session: &mut Session,
    text: String,
    arrived: std::time::Instant,
) -> Option<String> {
    use futures_util::FutureExt as _;
    let connected_since = session.connected_since;
    match std::panic::AssertUnwindSafe(answer(state, ip, session, &text, arrived)).catch_unwind().await {
        Ok(reply) => reply,
        Err(_) => {
            // The session may be half-changed: start it over (keeping the connection's settings).
            let (rate_limits, micro) = (session.rate_limits, session.micro);
            *session = Session::new(connected_since);
            session.rate_limits = rate_limits;
            session.micro = micro;
            state.record_panic("WebSocket API request panicked".to_owned());
            Some(error_frame(&Value::Null, &ApiError::new(ErrorCode::UNKNOWN)))
        }
    }
}

/// One request's answer, as the JSON frame to send (`None`: no answer, an injected fault).
/// `arrived`: when the frame was read (the storms of the rate limits judge it then).
pub async fn answer(
    state: &AppState,
    ip: Option<IpAddr>,
    session: &mut Session,
    text: &str,
    arrived: std::time::Instant,
) -> Option<String> {
    let started = std::time::Instant::now();
    let frame = match accept::read_ws_frame(text) {
        Ok(frame) => frame,
        Err(rejected) => {
            let (id, rejection) = *rejected;
            let error = &rejection.error;
            // Journaled as a method's refusal is (`mbx doctor sandbox-log`): a frame that is not
            // a request at all is the mistake most worth explaining.
            let frame = crate::journal::Journaled::WsApi {
                frame: text.to_owned(),
                logged_on: session.logged.is_some(),
                binary: false,
            };
            crate::journal::record(state, state.clock().now_ms(), frame, error, None, &rejection.hint);
            state.requests().record_ws_api(
                state.clock().now_ms(),
                "?",
                "?",
                None,
                error.http_status,
                Some(error.code.get()),
                Some(rejection.hint.clone()),
                started,
                None,
            );
            return Some(error_frame(&id, error));
        }
    };
    let method = frame.method.as_str();
    // For the console's log: the key as sent (shortened there) and the endpoint's path.
    let api_key = frame
        .params
        .get("apiKey")
        .map(str::to_owned)
        .or_else(|| session.logged.as_ref().map(|(key, _, _)| key.clone()));
    let path = endpoint::ws_method(method).map_or(method, |e| e.path);
    let with_limits = match frame.params.get("returnRateLimits") {
        Some("false") => false,
        Some("true") => true,
        _ => session.rate_limits,
    };
    // Before the request: a revoked key's session is logged out by it.
    let logged_on = session.logged.is_some();
    let (reply, used_weight) = admit_and_run(state, ip, session, method, frame.params, arrived).await;
    let (status, mut hint) = match &reply.body {
        Ok(_) => (200, String::new()),
        Err(e) => (e.status().as_u16(), e.hint()),
    };
    let mut journaled = None;
    if let Err(e) = &reply.body
        && let Some(error) = e.api_error()
    {
        let code = error.code.get();
        let frame = crate::journal::Journaled::WsApi { frame: text.to_owned(), logged_on, binary: false };
        // The frame is read again only on this path: the doctor's view of its key.
        let key = accept::read_ws_frame(text)
            .ok()
            .and_then(|f| f.params.get("apiKey").and_then(|k| state.keys().doctor_view(k)));
        journaled = Some(crate::journal::record(state, state.clock().now_ms(), frame, &error, key, &hint));
        // The doctor's finding, as REST answers it in X-Sandbox-Hint (here in the log and console).
        if let Some(better) =
            journaled.as_ref().and_then(|j| crate::journal::diagnosed_hint(&j.diagnose(), code))
        {
            hint = better;
        }
    }
    // The hint quotes what was sent, which may hold a secret sent by mistake: never kept.
    let hint = state.keys().redact(&hint).into_owned();
    let code = reply.body.as_ref().err().and_then(SandboxError::api_error).map(|e| e.code.get());
    state.requests().record_ws_api(
        state.clock().now_ms(),
        method,
        path,
        api_key.as_deref(),
        status,
        code,
        (status >= 400).then(|| hint.clone()),
        started,
        journaled,
    );
    tracing::info!(target: "mbx_sandbox::ws_api", method = %clip(method, 40), status, hint);
    // A session revoked by this request is answered as the docs show it, with "id": null
    // (web-socket-api.md, "Regarding API key revocation").
    let revoked = logged_on && session.logged.is_none() && code == Some(ErrorCode::REJECTED_MBX_KEY.get());
    frame_of(state, if revoked { &Value::Null } else { &frame.id }, reply, used_weight, with_limits)
}

/// The endpoint behind `method`, if the sandbox serves it, with its handler. The retired listenKey
/// methods (`userDataStream.start`, `.ping`, `.stop`) are served in the Binance.US flavor, as its
/// REST routes are; in Binance's, the refusal says they were retired.
fn served(method: &str, flavor: Flavor) -> Result<(&'static Endpoint, Handler)> {
    let name = method.strip_prefix("v3/").unwrap_or(method);
    if let Some(r) = endpoint::ws_retirement(name) {
        return match (flavor, routes::listen_key_handler(r.endpoint)) {
            (Flavor::Us, Some(handler)) => Ok((r.endpoint, handler)),
            _ => Err(SandboxError::rejected(
                ApiError::new(ErrorCode::UNSUPPORTED_OPERATION),
                format!(
                    "{} was retired by Binance spot on {}, with {} {}: {}. `mbx sandbox --flavor us` serves it, as Binance.US still does.",
                    r.ws, r.on, r.endpoint.method, r.endpoint.path, r.instead
                ),
            )),
        };
    }
    endpoint::ws_method(method).and_then(|e| Some((e, routes::handler(e)?))).ok_or_else(|| {
        SandboxError::rejected(
            ApiError::new(ErrorCode::UNSUPPORTED_OPERATION),
            format!("The sandbox's WebSocket API has no method {}.", clip(method, 40)),
        )
    })
}

/// Counts the request's weight against the client's address (the REST limits: `-1003` 429, then
/// 418 bans), then runs it through the endpoint's handler. Returns the answer and the weight used
/// this minute.
async fn admit_and_run(
    state: &AppState,
    ip: Option<IpAddr>,
    session: &mut Session,
    method: &str,
    params: Params,
    arrived: std::time::Instant,
) -> (Reply, u32) {
    // Chaos: a rate-limit storm or a ban answers before anything is counted (maybe a clock jump),
    // judged at the frame's arrival.
    if let Some(refusal) = crate::faults::request_chaos(state, ip, arrived) {
        return (refusal.into(), state.ip_limits().add(ip, state.clock().now_ms(), 0));
    }
    if let Some(m) = endpoint::ws_session(method) {
        let admission =
            state.ip_limits().admit(ip, state.clock().now_ms(), m.weight, state.market().rate_limits());
        if let Some(refusal) = admission.refusal {
            return (refusal.into(), admission.used_weight);
        }
        let reply = session.run(state, m, params);
        return (session.answer_times(reply, Times::Response), admission.used_weight);
    }
    let (ep, handler) = match served(method, state.flavor()) {
        Ok(found) => found,
        // Nothing counted, but rateLimits still shows the usage so far ("current usage").
        Err(e) => return (e.into(), state.ip_limits().add(ip, state.clock().now_ms(), 0)),
    };
    let weight = ep.weight_for(&params);
    let admission = state.ip_limits().admit(ip, state.clock().now_ms(), weight, state.market().rate_limits());
    if let Some(refusal) = admission.refusal {
        return (refusal.into(), admission.used_weight);
    }
    // Public methods check their parameters as REST does (`-1104`, then `-1102`): the CHANGELOG
    // (2022-12-15) has both APIs return the same errors for the same parameters; what every
    // request may carry (`returnRateLimits`) and an ignored `apiKey` aside (mbx-core's
    // `accept::check_ws_public`).
    let reply = match handler {
        Handler::Public(f) => match accept::check_ws_public(accept::Target::of(ep), &params) {
            Err(r) => SandboxError::from(r).into(),
            Ok(()) => f(state.clone(), params).await,
        },
        Handler::Signed(f) => match session.authenticate(state, ep, params) {
            Ok(signed) => {
                let account = signed.key.account_id;
                let reply = routes::run_signed(state.clone(), f, signed).await;
                if std::ptr::eq(ep, &spot::CANCEL_ORDER) {
                    list_cancel_form(state, account, reply).await
                } else {
                    reply
                }
            }
            Err(e) => e.into(),
        },
    };
    let reply = if std::ptr::eq(ep, &spot::SOR_ORDER) { in_array(reply) } else { reply };
    // A handler may report a heavier weight than the table's (e.g. `computeCommissionRates`), or a
    // lighter one (`myPreventedMatches` with an invalid symbol).
    let used = match reply.weight {
        Some(w) if w > weight => state.ip_limits().add(ip, state.clock().now_ms(), w - weight),
        Some(w) if w < weight => state.ip_limits().refund(ip, state.clock().now_ms(), weight - w),
        _ => admission.used_weight,
    };
    let times = if std::ptr::eq(ep, &spot::KLINES) || std::ptr::eq(ep, &spot::UI_KLINES) {
        Times::Klines
    } else {
        Times::Response
    };
    (session.answer_times(reply, times), used)
}

/// `reply`'s result inside a one-element array: `sor.order.place` answers its order so
/// (web-socket-api.md), where `POST /api/v3/sor/order` answers the order itself.
/// `order.cancel` of an order of an order list cancels the whole list, and the WebSocket API answers
/// with the list's cancel (web-socket-api.md, `order.cancel`: "When an order list is canceled");
/// REST's `DELETE /api/v3/order` answers the order's own report (rest-api.md shows only that form).
async fn list_cancel_form(state: &AppState, account_id: i64, reply: Reply) -> Reply {
    let Ok(Answer::Json(body)) = &reply.body else { return reply };
    let Ok(order) = serde_json::from_slice::<Value>(body) else { return reply };
    let (Some(list_id), Some(cancel_id)) = (
        order["orderListId"].as_i64().and_then(|id| u64::try_from(id).ok()),
        order["clientOrderId"].as_str(),
    ) else {
        return reply;
    };
    let which = crate::engine::ListRef { order_list_id: Some(list_id), list_client_order_id: None };
    let Ok(Some(list)) = state.engine().order_list(account_id, which).await else { return reply };
    let now = order["transactTime"].as_u64().unwrap_or_else(|| state.clock().now_ms());
    let rendered = crate::api::reports::list_cancel(&list.list, &list.orders, cancel_id, now);
    Reply { body: Ok(Answer::Json(rendered.into_bytes().into())), ..reply }
}

fn in_array(mut reply: Reply) -> Reply {
    if let Ok(Answer::Json(body)) = &reply.body {
        let mut wrapped = Vec::with_capacity(body.len() + 2);
        wrapped.push(b'[');
        wrapped.extend_from_slice(body);
        wrapped.push(b']');
        reply.body = Ok(Answer::Json(wrapped.into()));
    }
    reply
}

/// Writes `reply` as the WebSocket API's response to `id`, in the docs' field order (`id`, `status`,
/// `result` or `error`, `rateLimits`); the result's JSON is carried as rendered. `None` for an answer
/// that is dropped (an injected fault).
fn frame_of(
    state: &AppState,
    id: &Value,
    reply: Reply,
    used_weight: u32,
    with_limits: bool,
) -> Option<String> {
    let rate_limits = rate_limits(state, reply.orders, used_weight);
    let mut out = String::with_capacity(256);
    out.push_str("{\"id\":");
    out.push_str(&id.to_string());
    match reply.body {
        Ok(Answer::Severed) => return None,
        Ok(Answer::Json(body)) => {
            out.push_str(",\"status\":200,\"result\":");
            out.push_str(std::str::from_utf8(&body).unwrap_or("null"));
        }
        Err(e) => {
            let status = e.status().as_u16();
            let error = match (e.api_error(), &e) {
                (Some(api), SandboxError::RejectedWithData { data, .. }) => {
                    let mut o = Object::new().field("code", api.code.get()).field("msg", &api.msg);
                    o.raw("data", data);
                    o.finish()
                }
                // A 429 or 418 says when to send again as a time, where REST sends `Retry-After`
                // seconds (web-socket-api.md, rate limits).
                (Some(api), SandboxError::Limited { retry_at_ms, .. }) => {
                    let now = state.clock().now_ms();
                    // The window's end itself (`10 SECOND` resets at 00, 10, 20...), not the
                    // seconds of Retry-After rounded up.
                    let data = Object::new()
                        .field("serverTime", now)
                        .field("retryAfter", (*retry_at_ms).max(now))
                        .finish();
                    let mut o = Object::new().field("code", api.code.get()).field("msg", &api.msg);
                    o.raw("data", &data);
                    o.finish()
                }
                (Some(api), _) => api.to_json(),
                (None, _) => ApiError::new(ErrorCode::UNKNOWN).to_json(),
            };
            out.push_str(",\"status\":");
            out.push_str(&status.to_string());
            out.push_str(",\"error\":");
            out.push_str(&error);
        }
    }
    if with_limits {
        out.push_str(",\"rateLimits\":");
        out.push_str(&rate_limits.to_string());
    }
    out.push('}');
    Some(out)
}

/// The `ORDERS` counts of an order answer and the weight used this minute, in the docs'
/// `rateLimits` shape.
fn rate_limits(state: &AppState, orders: Option<(u32, u32)>, used_weight: u32) -> Value {
    let limits = state.market().rate_limits();
    let mut out = Vec::new();
    if let Some((ten_s, day)) = orders {
        out.push(json!({"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": limits.orders_per_10s, "count": ten_s}));
        out.push(json!({"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": limits.orders_per_day, "count": day}));
    }
    out.push(json!({"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": limits.request_weight_per_minute, "count": used_weight}));
    Value::Array(out)
}

/// An error response to `id`, for a request that reached no endpoint.
fn error_frame(id: &Value, error: &ApiError) -> String {
    format!(r#"{{"id":{id},"status":{},"error":{}}}"#, error.http_status, error.to_json())
}

/// Authenticates a request for a keyed `endpoint` by mbx-core's acceptance check
/// ([`mbx_core::accept::check_ws`], the module table) against the sandbox's keys and clock; the
/// parameters handed on have `apiKey` and `signature` removed. `-1104` is left to the route.
pub fn signed(state: &AppState, endpoint: &'static Endpoint, params: Params) -> Result<Signed> {
    let target = Target { security: endpoint.security, endpoint: None };
    let accepted = accept::check_ws(target, params, state.keys(), Some(state.clock().now()))?;
    let key = accepted.key.ok_or(SandboxError::EngineStopped)?;
    Ok(Signed { key, params: accepted.params, endpoint })
}

/// A connection's session: the API key logged on with `session.logon` (Ed25519 only, as on
/// Binance), used for requests that send no `apiKey`.
#[derive(Debug)]
pub struct Session {
    /// When the connection opened (ms).
    connected_since: u64,
    /// The logged-on key, since when, and its account.
    logged: Option<(String, u64, i64)>,
    /// User data stream subscriptions: (id, account, opened by `userDataStream.subscribe`).
    subscriptions: Vec<(u32, i64, bool)>,
    /// The next subscription id.
    next_subscription: u32,
    /// Frames to send before the answer (`eventStreamTerminated` of subscriptions just ended).
    outbox: Vec<String>,
    /// Whether answers carry `rateLimits` unless a request says otherwise (`returnRateLimits`).
    rate_limits: bool,
    /// Whether times are in microseconds (`timeUnit=MICROSECOND` in the URL).
    micro: bool,
}

/// Most subscriptions one session holds at once (web-socket-api.md).
const MAX_SUBSCRIPTIONS: usize = 1000;

impl Session {
    /// A new connection's session, not logged on.
    pub fn new(connected_since: u64) -> Session {
        Session {
            connected_since,
            logged: None,
            subscriptions: Vec::new(),
            next_subscription: 0,
            outbox: Vec::new(),
            rate_limits: true,
            micro: false,
        }
    }

    /// An event frame's text in the connection's time unit.
    fn event_text(&self, frame: String) -> String {
        if self.micro { rescale(&frame, Times::Event) } else { frame }
    }

    /// `reply` with its times in the connection's unit.
    fn answer_times(&self, mut reply: Reply, times: Times) -> Reply {
        if self.micro
            && let Ok(Answer::Json(body)) = &reply.body
            && let Ok(text) = std::str::from_utf8(body)
        {
            reply.body = Ok(Answer::Json(rescale(text, times).into()));
        }
        reply
    }

    /// Ends the subscriptions `keep` refuses, each with its `eventStreamTerminated` event.
    fn end_subscriptions(&mut self, now: u64, keep: impl Fn(&(u32, i64, bool)) -> bool) {
        let mut kept = Vec::with_capacity(self.subscriptions.len());
        for sub in std::mem::take(&mut self.subscriptions) {
            if keep(&sub) {
                kept.push(sub);
            } else {
                self.outbox.push(
                    json!({ "subscriptionId": sub.0, "event": { "e": "eventStreamTerminated", "E": now } })
                        .to_string(),
                );
            }
        }
        self.subscriptions = kept;
    }

    fn has_subscriptions(&self) -> bool {
        !self.subscriptions.is_empty()
    }

    /// The frames of `batch` for this session's subscriptions: `{"subscriptionId","event"}`.
    fn frames(&self, batch: &[UserEvent]) -> Vec<String> {
        let mut out = Vec::new();
        for e in batch {
            for (id, account, _) in &self.subscriptions {
                if *account == e.account_id {
                    out.push(self.event_text(json!({ "subscriptionId": id, "event": e.event }).to_string()));
                }
            }
        }
        out
    }

    fn subscribe(&mut self, account_id: i64, via_logon: bool) -> Reply {
        if let Some((id, _, _)) = self.subscriptions.iter().find(|(_, a, _)| *a == account_id) {
            return SandboxError::from(accept::subscription_active(Some(*id))).into();
        }
        if self.next_subscription == u32::from(u16::MAX) {
            return SandboxError::rejected(
                ApiError::new(ErrorCode::MAXIMUM_SUBSCRIPTION_IDS),
                "A session starts at most 65,535 subscriptions over its life; open a new connection.",
            )
            .into();
        }
        if self.subscriptions.len() >= MAX_SUBSCRIPTIONS {
            // The docs name no code for this limit; -1191 is the catalog's text for it.
            return SandboxError::rejected(
                ApiError::with_args(ErrorCode::TOO_MANY_SUBSCRIPTIONS, 0, &[&MAX_SUBSCRIPTIONS.to_string()]),
                "A session holds at most 1,000 subscriptions at once: unsubscribe one first.",
            )
            .into();
        }
        let id = self.next_subscription;
        self.next_subscription += 1;
        self.subscriptions.push((id, account_id, via_logon));
        crate::api::json_value(&json!({ "subscriptionId": id }))
    }

    /// Authenticates a request for a keyed `endpoint`: with its own `apiKey` and `signature` by
    /// mbx-core's acceptance check ([`accept::check_ws`]), else with the session's key
    /// ([`accept::check_ws_session`]). A session key that is no longer valid is answered `-2015`
    /// and forgotten, as on Binance.
    fn authenticate(
        &mut self,
        state: &AppState,
        endpoint: &'static Endpoint,
        params: Params,
    ) -> Result<Signed> {
        match &self.logged {
            Some((api_key, _, _)) if params.get("apiKey").is_none() => {
                let Some(key) = state.keys().get(api_key) else {
                    self.logged = None;
                    return Err(SandboxError::rejected(
                        ApiError::new(ErrorCode::REJECTED_MBX_KEY),
                        "The session's API key is no longer valid (revoked); the session is logged out: log on again with a valid key.",
                    ));
                };
                let target = Target { security: endpoint.security, endpoint: None };
                let accepted = match accept::check_ws_session(
                    target,
                    params,
                    state.keys(),
                    key,
                    Some(state.clock().now()),
                ) {
                    Ok(a) => a,
                    Err(r) => {
                        // A key that became invalid for any reason (here: it lacks the method's
                        // permission) revokes the session (web-socket-api.md, "Regarding API
                        // key revocation").
                        if r.error.code == ErrorCode::REJECTED_MBX_KEY {
                            self.logged = None;
                        }
                        return Err(r.into());
                    }
                };
                let key = accepted.key.ok_or(SandboxError::EngineStopped)?;
                Ok(Signed { key, params: accepted.params, endpoint })
            }
            _ => signed(state, endpoint, params),
        }
    }

    /// The session methods: `session.logon` / `status` / `logout` / `subscriptions` and the user data
    /// stream's `userDataStream.subscribe` (logged on), `.subscribe.signature` (any key type) and
    /// `.unsubscribe`.
    fn run(&mut self, state: &AppState, method: &'static endpoint::WsSession, params: Params) -> Reply {
        let now = state.clock().now_ms();
        if let Err(r) = accept::check_session_params(method, &params) {
            return SandboxError::from(r).into();
        }
        match method.name {
            "session.logon" => {
                let target = Target { security: method.security, endpoint: None };
                let accepted = match accept::check_ws(target, params, state.keys(), Some(state.clock().now()))
                {
                    Ok(a) => a,
                    Err(r) => return SandboxError::from(r).into(),
                };
                let Some(key) = accepted.key else { return SandboxError::EngineStopped.into() };
                if let Some(refused) = accept::logon_key_refusal(key.verifier.kind()) {
                    return SandboxError::from(refused).into();
                }
                self.logged = Some((key.api_key.clone(), now, key.account_id));
                self.status(now)
            }
            "session.status" => self.status(now),
            "session.logout" => {
                self.logged = None;
                // Only the subscription of the logged-on key ends (docs).
                self.end_subscriptions(now, |(_, _, via_logon)| !via_logon);
                self.status(now)
            }
            "userDataStream.subscribe" => match &self.logged {
                Some((api_key, _, account)) => match state.keys().get(api_key) {
                    Some(_) => self.subscribe(*account, true),
                    None => {
                        self.logged = None;
                        SandboxError::rejected(
                            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
                            "The session's API key is no longer valid; the session is logged out.",
                        )
                        .into()
                    }
                },
                None => SandboxError::from(accept::not_logged_on(method.name)).into(),
            },
            // One of accept::SIGNS_ITSELF: its own apiKey and signature, never the session's key.
            "userDataStream.subscribe.signature" => {
                let target = Target { security: method.security, endpoint: None };
                match accept::check_ws(target, params, state.keys(), Some(state.clock().now())) {
                    Ok(accepted) => match accepted.key {
                        Some(key) => self.subscribe(key.account_id, false),
                        None => SandboxError::EngineStopped.into(),
                    },
                    Err(r) => SandboxError::from(r).into(),
                }
            }
            "userDataStream.unsubscribe" => {
                match params.get("subscriptionId") {
                    None => self.end_subscriptions(now, |_| false),
                    Some(raw) => match raw.parse::<u32>() {
                        Ok(id) => self.end_subscriptions(now, |(s, _, _)| *s != id),
                        Err(_) => {
                            return SandboxError::rejected(
                                ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &["subscriptionId"]),
                                "subscriptionId is the number userDataStream.subscribe answered.",
                            )
                            .into();
                        }
                    },
                }
                crate::api::json_value(&json!({}))
            }
            "session.subscriptions" => crate::api::json_value(&Value::Array(
                self.subscriptions.iter().map(|(id, _, _)| json!({ "subscriptionId": id })).collect(),
            )),
            other => SandboxError::rejected(
                ApiError::new(ErrorCode::UNSUPPORTED_OPERATION),
                format!("The sandbox does not serve {other}."),
            )
            .into(),
        }
    }

    fn status(&self, now: u64) -> Reply {
        let (api_key, since) = match &self.logged {
            Some((k, t, _)) => (json!(k), json!(t)),
            None => (Value::Null, Value::Null),
        };
        crate::api::json_value(&json!({
            "apiKey": api_key,
            "authorizedSince": since,
            "connectedSince": self.connected_since,
            "returnRateLimits": self.rate_limits,
            "serverTime": now,
            "userDataStream": !self.subscriptions.is_empty(),
        }))
    }
}
