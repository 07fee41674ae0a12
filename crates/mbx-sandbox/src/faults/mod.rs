//! Faults on demand, for client tests: planned one-shot faults ([`plan`], `POST /sandbox/v1/faults`)
//! and the chaos mode ([`chaos`], `POST /sandbox/v1/chaos`: faults drawn with probabilities from a
//! seed).
//!
//! [`order_placement`] is the one place that decides what happens to an order placement (every
//! endpoint that counts orders, REST and WebSocket API alike, through
//! [`crate::api::routes::run_signed`]):
//!
//! 1. chaos may drop it (the connection closes, nothing is placed) or hold it before the engine;
//! 2. Binance's second timing check, where the engine takes the order
//!    ([`mbx_core::accept::check_engine_timing`]): `-1021`, counted against the unfilled order count;
//! 3. the handler places the order (committed before it answers);
//! 4. once committed, a planned fault (`POST /api/v3/order` only), else chaos, may replace the answer:
//!    no answer, a late one, an empty 5xx or `-1007`.
//!
//! The placement runs in a task of its own ([`crate::api::routes::run_signed`]), so a client that hangs
//! up (its timeout passed during a delay) does not cancel it: as on Binance, what the exchange
//! received runs to its end.
//!
//! The request-level faults (storms, clock jumps) are drawn by the REST frame (`router.rs`) and the
//! WebSocket API (`ws/api.rs`) for every request to a Binance endpoint; the connection cuts by the
//! market streams (`ws/streams.rs`), the WebSocket API and the user data streams, per frame sent.

pub mod chaos;
pub mod plan;

use std::ptr;

use axum::body::{Body, Bytes};
use axum::response::Response;
use mbx_core::endpoint::spot;
use mbx_core::{ApiError, accept};

pub use chaos::{Chaos, ChaosConfig, OrderChaosFault};
pub use plan::{Faults, OrderFault};

use crate::api::routes::Answering;
use crate::api::{Answer, Reply};
use crate::error::SandboxError;
use crate::extract::Signed;
use crate::state::AppState;

/// A response whose body fails before its first byte: the server closes the connection without
/// answering.
pub fn severed() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, _>(std::io::Error::other("fault injected: the connection is dropped"))
    });
    Response::new(Body::from_stream(failing))
}

/// No answer: the connection is dropped (REST: closed before a byte; WebSocket API: closed).
fn severed_reply(orders: Option<(u32, u32)>) -> Reply {
    Reply { body: Ok(Answer::Severed), weight: None, orders }
}

/// `reply` (a committed placement) answered with `fault` instead; the `ORDERS` counts stay.
fn answered_with(reply: Reply, fault: OrderFault) -> Reply {
    let orders = reply.orders;
    let mut out = match fault {
        OrderFault::DropResponse => return severed_reply(orders),
        OrderFault::Status(status) => Reply::from(SandboxError::InjectedStatus(status)),
        OrderFault::Code(code) => Reply::from(SandboxError::rejected(
            ApiError::new(code),
            "Fault injected: the order was committed, then answered with this error; look it up before resending.",
        )),
    };
    out.orders = orders;
    out
}

/// Runs one order placement (`signed`, answered by `handler`) with the faults planned or drawn for
/// it, in the order of the module docs.
pub async fn order_placement(
    state: AppState,
    handler: fn(AppState, Signed) -> Answering,
    signed: Signed,
) -> Reply {
    let endpoint = signed.endpoint;
    let fault = state.chaos().order_fault();
    match fault {
        Some(f @ OrderChaosFault::DropBeforeCommit) => {
            state.chaos().count_order(f);
            return severed_reply(None);
        }
        Some(f @ OrderChaosFault::DelayBeforeEngine(delay)) => {
            state.chaos().count_order(f);
            tokio::time::sleep(delay).await;
        }
        _ => {}
    }
    // Binance's second timing check, just before the engine takes the order.
    if let Err(rejection) = accept::check_engine_timing(&signed.params, state.clock().now()) {
        if mbx_core::time::ENGINE_CHECK_COUNTS_ORDERS {
            let now = state.clock().now_ms();
            for _ in 0..endpoint.orders {
                state.order_counts().add(signed.key.account_id, now);
            }
        }
        return SandboxError::from(rejection).into();
    }
    let reply = handler(state.clone(), signed).await;
    if reply.body.is_err() {
        return reply;
    }
    // Committed. A planned fault first (they concern `POST /api/v3/order` and `order.place`).
    if ptr::eq(endpoint, &spot::NEW_ORDER)
        && let Some(planned) = state.faults().take()
    {
        return answered_with(reply, planned);
    }
    match fault {
        Some(f) if f.after_commit() => {
            state.chaos().count_order(f);
            match f {
                OrderChaosFault::DelayAfterCommit(delay) => {
                    tokio::time::sleep(delay).await;
                    reply
                }
                OrderChaosFault::ErrorAfterCommit(error) => answered_with(reply, error),
                _ => answered_with(reply, OrderFault::DropResponse),
            }
        }
        _ => reply,
    }
}

/// The request-level chaos for one request to a Binance endpoint from `ip` (REST frame, WebSocket
/// API) that `arrived` then: a storm's 429 or a ban's 418 to answer instead, if any (judged at its
/// arrival, so that a request sent before the client saw a 429 but answered later is not taken for
/// one sent after); a clock jump drawn for it is applied to the sandbox clock here.
pub fn request_chaos(
    state: &AppState,
    ip: Option<std::net::IpAddr>,
    arrived: std::time::Instant,
) -> Option<SandboxError> {
    if !state.chaos().enabled() {
        return None;
    }
    let limit = state.market().rate_limits().request_weight_per_minute;
    let (refusal, jump) = state.chaos().on_request(ip, arrived, state.clock().now_ms(), limit);
    if let Some(ms) = jump {
        let clock = state.clock();
        clock.set_offset_ms(clock.offset_ms().saturating_add(ms));
    }
    refusal
}
