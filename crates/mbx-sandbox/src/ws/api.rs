//! The WebSocket API at `/ws-api/v3`: one JSON request per text frame, answered by `id`.
//!
//! Each method is the REST endpoint of the same meaning carried over the socket: the request's
//! `params` become the endpoint's parameters, the REST handler runs unchanged, and its answer is
//! wrapped as `{"id","status","result"}` or `{"id","status","error":{"code","msg"}}`. Only the
//! authentication differs, as on Binance:
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

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::{Extensions, Method};
use axum::response::{IntoResponse, Response};
use mbx_core::endpoint::Endpoint;
use mbx_core::payload::ws_api_payload;
use mbx_core::time::{Timestamp, check_timing};
use mbx_core::{ApiError, ErrorCode, Params};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::api::{account, general, klines, market, order_lists, tickers, trading};
use crate::endpoint;
use crate::error::{Result, SandboxError};
use crate::extract::{PublicQuery, Signed, clip, recv_window};
use crate::keys;
use crate::limits::{ORDER_COUNT_1D, ORDER_COUNT_10S, RequestWeight};
use crate::state::AppState;

/// Largest REST answer carried into a WebSocket response, in bytes.
const MAX_RESULT: usize = 16 * 1024 * 1024;

/// Largest request frame read, in bytes; a larger one closes the connection.
pub const MAX_REQUEST: usize = 1024 * 1024;

/// `GET /ws-api/v3`: upgrades to the WebSocket API.
pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    extensions: Extensions,
) -> Response {
    // Weights are counted per client address, as for REST.
    let ip = extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    ws.max_message_size(MAX_REQUEST)
        .max_frame_size(MAX_REQUEST)
        .on_upgrade(move |socket| serve(socket, state, ip))
}

/// Answers the requests of one connection, in order, until the client closes it or the sandbox
/// stops (then it sends the `serverShutdown` event and closes).
async fn serve(mut socket: WebSocket, state: AppState, ip: Option<IpAddr>) {
    loop {
        let message = tokio::select! {
            message = socket.recv() => match message {
                Some(Ok(message)) => message,
                _ => break,
            },
            () = state.stopping() => {
                let event = json!({ "event": { "e": "serverShutdown", "E": state.clock().now_ms() } });
                let _ = socket.send(Message::Text(event.to_string().into())).await;
                let _ = socket.send(Message::Close(None)).await;
                break;
            }
        };
        let reply = match message {
            Message::Text(text) => guarded(&state, ip, text.as_str().to_owned()).await,
            Message::Binary(_) => {
                error_frame(Value::Null, &ApiError::with_msg(ErrorCode::INVALID_JSON, "Invalid JSON Request"))
            }
            Message::Close(_) => break,
            // Pings are answered by the WebSocket layer.
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
            break;
        }
    }
}

/// [`answer`] in its own task, so that a sandbox bug answers `-1000` (and is recorded for tests)
/// instead of dropping the connection.
async fn guarded(state: &AppState, ip: Option<IpAddr>, text: String) -> Value {
    let task_state = state.clone();
    match tokio::spawn(async move { answer(&task_state, ip, &text).await }).await {
        Ok(reply) => reply,
        Err(e) => {
            let msg = if e.is_panic() { "WebSocket API request panicked" } else { "request task cancelled" };
            state.record_panic(msg.to_owned());
            error_frame(Value::Null, &ApiError::new(ErrorCode::UNKNOWN))
        }
    }
}

/// One request's answer, as the JSON frame to send.
pub async fn answer(state: &AppState, ip: Option<IpAddr>, text: &str) -> Value {
    let invalid_json = || ApiError::with_msg(ErrorCode::INVALID_JSON, "Invalid JSON Request");
    let Ok(request) = serde_json::from_str::<BTreeMap<String, &RawValue>>(text) else {
        return error_frame(Value::Null, &invalid_json());
    };
    let id = request.get("id").and_then(|raw| serde_json::from_str(raw.get()).ok()).unwrap_or(Value::Null);
    let Some(method) = request.get("method").and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
    else {
        return error_frame(
            id,
            &ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["method"]),
        );
    };
    let params = match request.get("params").map(|raw| raw.get()) {
        None | Some("null") => Params::new(),
        Some(raw) => match params_of(raw) {
            Some(params) => params,
            None => return error_frame(id, &invalid_json()),
        },
    };
    let method = method.strip_prefix("v3/").unwrap_or(&method);
    let (response, used_weight) = admit_and_run(state, ip, method, params).await;
    let hint = response.headers().get(crate::HINT_HEADER).and_then(|h| h.to_str().ok()).unwrap_or("");
    tracing::info!(
        target: "mbx_sandbox::ws_api",
        method = %clip(method, 40),
        status = response.status().as_u16(),
        hint,
    );
    frame(state, id, response, used_weight).await
}

/// The `params` object as text, exactly as the client wrote it (what it signed): strings unescaped,
/// numbers, booleans, arrays and objects as their JSON text, unchanged (`0.10` stays `0.10`).
/// `None` when `params` is not an object.
fn params_of(raw: &str) -> Option<Params> {
    let map: BTreeMap<String, &RawValue> = serde_json::from_str(raw).ok()?;
    let mut params = Params::with_capacity(map.len());
    for (name, value) in map {
        let value = value.get();
        let text = if value.starts_with('"') {
            serde_json::from_str::<String>(value).ok()?
        } else {
            value.to_owned()
        };
        params.push(name, text);
    }
    Some(params)
}

/// Each method and the REST endpoint it stands for (its security, weight and handler).
pub const METHODS: &[(&str, Method, &str)] = &[
    ("ping", Method::GET, "/api/v3/ping"),
    ("time", Method::GET, "/api/v3/time"),
    ("exchangeInfo", Method::GET, "/api/v3/exchangeInfo"),
    ("depth", Method::GET, "/api/v3/depth"),
    ("trades.recent", Method::GET, "/api/v3/trades"),
    ("trades.historical", Method::GET, "/api/v3/historicalTrades"),
    ("trades.aggregate", Method::GET, "/api/v3/aggTrades"),
    ("klines", Method::GET, "/api/v3/klines"),
    ("uiKlines", Method::GET, "/api/v3/uiKlines"),
    ("avgPrice", Method::GET, "/api/v3/avgPrice"),
    ("ticker.24hr", Method::GET, "/api/v3/ticker/24hr"),
    ("ticker.tradingDay", Method::GET, "/api/v3/ticker/tradingDay"),
    ("ticker", Method::GET, "/api/v3/ticker"),
    ("account.status", Method::GET, "/api/v3/account"),
    ("account.commission", Method::GET, "/api/v3/account/commission"),
    ("openOrders.status", Method::GET, "/api/v3/openOrders"),
    ("allOrders", Method::GET, "/api/v3/allOrders"),
    ("myTrades", Method::GET, "/api/v3/myTrades"),
    ("order.place", Method::POST, "/api/v3/order"),
    ("order.test", Method::POST, "/api/v3/order/test"),
    ("order.status", Method::GET, "/api/v3/order"),
    ("order.cancel", Method::DELETE, "/api/v3/order"),
    ("openOrders.cancelAll", Method::DELETE, "/api/v3/openOrders"),
    ("order.cancelReplace", Method::POST, "/api/v3/order/cancelReplace"),
    ("orderList.place.oco", Method::POST, "/api/v3/orderList/oco"),
    ("orderList.cancel", Method::DELETE, "/api/v3/orderList"),
    ("orderList.status", Method::GET, "/api/v3/orderList"),
    ("openOrderLists.status", Method::GET, "/api/v3/openOrderList"),
    ("allOrderLists", Method::GET, "/api/v3/allOrderList"),
    ("account.rateLimits.orders", Method::GET, "/api/v3/rateLimit/order"),
];

/// The REST endpoint of `method`.
fn endpoint_of(method: &str) -> Result<&'static Endpoint> {
    METHODS
        .iter()
        .find(|(name, _, _)| *name == method)
        .and_then(|(_, verb, path)| endpoint::lookup(verb, path))
        .ok_or_else(|| {
            SandboxError::rejected(
                ApiError::new(ErrorCode::UNSUPPORTED_OPERATION),
                format!("The sandbox's WebSocket API has no method {}.", clip(method, 40)),
            )
        })
}

/// Runs `method` through the REST handler of the same meaning.
async fn dispatch(state: &AppState, method: &str, ep: &'static Endpoint, params: Params) -> Result<Response> {
    let st = || State(state.clone());
    let public = |p: Params| PublicQuery(p);
    Ok(match method {
        "ping" => crate::api::json("{}".to_owned()),
        "time" => general::time(st()).await,
        "exchangeInfo" => general::exchange_info(st(), public(params)).await?,
        "depth" => market::depth(st(), public(params)).await?,
        "trades.recent" => market::trades(st(), public(params)).await?,
        "trades.historical" => market::historical_trades(st(), public(params)).await?,
        "trades.aggregate" => market::agg_trades(st(), public(params)).await?,
        "klines" => klines::klines(st(), public(params)).await?,
        "uiKlines" => klines::ui_klines(st(), public(params)).await?,
        "avgPrice" => market::avg_price(st(), public(params)).await?,
        "ticker.24hr" => tickers::ticker_24hr(st(), public(params)).await?,
        "ticker.tradingDay" => tickers::ticker_trading_day(st(), public(params)).await?,
        "ticker" => tickers::ticker_rolling(st(), public(params)).await?,
        "account.status" => account::account(st(), signed(state, ep, params)?).await?,
        "account.commission" => account::commission(st(), signed(state, ep, params)?).await?,
        "openOrders.status" => account::open_orders(st(), signed(state, ep, params)?).await?,
        "allOrders" => account::all_orders(st(), signed(state, ep, params)?).await?,
        "myTrades" => account::my_trades(st(), signed(state, ep, params)?).await?,
        "order.place" => trading::new_order(st(), signed(state, ep, params)?).await,
        "order.test" => trading::order_test(st(), signed(state, ep, params)?).await?,
        "order.status" => account::query_order(st(), signed(state, ep, params)?).await?,
        "order.cancel" => trading::cancel_order(st(), signed(state, ep, params)?).await?,
        "openOrders.cancelAll" => trading::cancel_open_orders(st(), signed(state, ep, params)?).await?,
        "order.cancelReplace" => trading::cancel_replace(st(), signed(state, ep, params)?).await,
        "orderList.place.oco" => order_lists::new_oco(st(), signed(state, ep, params)?).await,
        "orderList.cancel" => order_lists::cancel_order_list(st(), signed(state, ep, params)?).await?,
        "orderList.status" => order_lists::query_order_list(st(), signed(state, ep, params)?).await?,
        "openOrderLists.status" => order_lists::open_order_lists(st(), signed(state, ep, params)?).await?,
        "allOrderLists" => order_lists::all_order_lists(st(), signed(state, ep, params)?).await?,
        "account.rateLimits.orders" => {
            account::unfilled_order_count(st(), signed(state, ep, params)?).await?
        }
        other => return Err(endpoint_of(other).err().unwrap_or(SandboxError::EngineStopped)),
    })
}

/// Counts the request's weight against the client's address (the REST limits: `-1003` 429, then
/// 418 bans), then runs it. Returns the answer and the weight used this minute.
async fn admit_and_run(
    state: &AppState,
    ip: Option<IpAddr>,
    method: &str,
    params: Params,
) -> (Response, u32) {
    let ep = match endpoint_of(method) {
        Ok(ep) => ep,
        Err(e) => return (e.into_response(), 0),
    };
    let weight = ep.weight_for(&params);
    let admission = state.ip_limits().admit(ip, state.clock().now_ms(), weight, state.market().rate_limits());
    if let Some(refusal) = admission.refusal {
        return (refusal.into_response(), admission.used_weight);
    }
    let response = dispatch(state, method, ep, params).await.unwrap_or_else(IntoResponse::into_response);
    // A handler may report a heavier weight than the table's (e.g. `computeCommissionRates`).
    let used = match response.extensions().get::<RequestWeight>() {
        Some(w) if w.0 > weight => state.ip_limits().add(ip, state.clock().now_ms(), w.0 - weight),
        _ => admission.used_weight,
    };
    (response, used)
}

/// Wraps a REST answer as the WebSocket API's response to `id`.
async fn frame(state: &AppState, id: Value, response: Response, used_weight: u32) -> Value {
    let status = response.status().as_u16();
    let rate_limits = rate_limits(state, &response, used_weight);
    let body = axum::body::to_bytes(response.into_body(), MAX_RESULT).await.unwrap_or_default();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if status == 200 {
        json!({ "id": id, "status": status, "result": body, "rateLimits": rate_limits })
    } else {
        let error = match body {
            Value::Object(map) if map.contains_key("code") => Value::Object(map),
            _ => {
                json!({ "code": ErrorCode::UNKNOWN.get(), "msg": "An unknown error occurred while processing the request." })
            }
        };
        json!({ "id": id, "status": status, "error": error, "rateLimits": rate_limits })
    }
}

/// The `ORDERS` counts of an order response and the weight used this minute, in the docs'
/// `rateLimits` shape.
fn rate_limits(state: &AppState, response: &Response, used_weight: u32) -> Value {
    let limits = state.market().rate_limits();
    let count = |name: &axum::http::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
    };
    let mut out = Vec::new();
    if let Some(n) = count(&ORDER_COUNT_10S) {
        out.push(json!({"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": limits.orders_per_10s, "count": n}));
    }
    if let Some(n) = count(&ORDER_COUNT_1D) {
        out.push(json!({"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": limits.orders_per_day, "count": n}));
    }
    out.push(json!({"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": limits.request_weight_per_minute, "count": used_weight}));
    Value::Array(out)
}

/// An error response to `id`.
fn error_frame(id: Value, error: &ApiError) -> Value {
    json!({
        "id": id,
        "status": error.http_status,
        "error": { "code": error.code.get(), "msg": error.msg },
    })
}

/// Authenticates a signed request for `endpoint`, per the module table; the
/// parameters handed on have `apiKey` and `signature` removed.
pub fn signed(state: &AppState, endpoint: &'static Endpoint, mut params: Params) -> Result<Signed> {
    // 1, 2, 3: the key.
    let api_key = match params.get("apiKey") {
        Some(k) if !k.is_empty() => k.to_owned(),
        _ => {
            return Err(mandatory(
                "apiKey",
                "The request has no apiKey parameter; add your API key to params.",
            ));
        }
    };
    if !keys::is_well_formed(&api_key) {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            format!(
                "apiKey holds {} character(s), not an API key (64 letters and digits).",
                api_key.chars().count()
            ),
        ));
    }
    let Some(key) = state.keys().get(&api_key) else {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            format!(
                "No API key {} is registered in this sandbox (or it was revoked).",
                keys::shorten(&api_key)
            ),
        ));
    };
    if !key.permissions.allows(endpoint.security) {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            format!(
                "API key {} lacks the {} permission this method needs.",
                keys::shorten(&api_key),
                endpoint.security.as_str()
            ),
        ));
    }
    if !endpoint.security.needs_signature() {
        params.remove("apiKey");
        return Ok(Signed { key, params, endpoint });
    }

    // 4: timestamp and signature present.
    let timestamp = match params.get("timestamp") {
        Some(raw) if !raw.is_empty() => Timestamp::parse(raw).ok_or_else(|| {
            SandboxError::rejected(
                ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &["timestamp", "^[0-9]{1,20}$"]),
                format!("timestamp={} is not a whole number of milliseconds.", clip(raw, 40)),
            )
        })?,
        _ => {
            return Err(mandatory(
                "timestamp",
                "The request has no timestamp parameter; add it before signing.",
            ));
        }
    };
    let signature = match params.get("signature") {
        Some(s) if !s.is_empty() => s.to_owned(),
        _ => return Err(mandatory("signature", "The request has no signature parameter.")),
    };

    // 5, 6: timing.
    let window = recv_window(&params)?;
    let now = state.clock().now();
    check_timing(timestamp, window, now).map_err(|e| {
        SandboxError::rejected(
            e,
            format!(
                "timestamp {timestamp} is outside recvWindow {window} ms of the server time {}.",
                now.as_millis()
            ),
        )
    })?;

    // 7: the signature over the sorted, unencoded parameters.
    let payload = ws_api_payload(&params);
    if let Err(e) = key.verifier.verify(payload.as_bytes(), &signature) {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            format!(
                "The {} signature does not verify over `{}` (every parameter but signature, sorted by name, not percent-encoded): {e}.",
                key.verifier.kind(),
                clip(&payload, 3000)
            ),
        ));
    }
    params.remove("apiKey");
    params.remove("signature");
    Ok(Signed { key, params, endpoint })
}

fn mandatory(name: &str, hint: &str) -> SandboxError {
    SandboxError::rejected(
        ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[name]),
        hint,
    )
}
