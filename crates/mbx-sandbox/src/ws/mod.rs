//! WebSocket endpoints, served on the REST port.
//!
//! * [`api`]: the WebSocket API at `/ws-api/v3` (requests by `id`, signed as Binance signs them).
//! * [`streams`]: market streams at `/ws/<stream>`, `/ws`, `/stream?streams=..` and `/stream`.
//! * [`liveness`]: the connection rules both follow (pings, pong deadline, lifetime, connections per
//!   address).

pub mod api;
pub mod hub;
pub mod liveness;
pub mod streams;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The WebSocket routes, merged into [`crate::router`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ws-api/v3", get(api::upgrade))
        .route("/ws", get(streams::raw_bare))
        .route("/ws/{*streams}", get(streams::raw))
        .route("/stream", get(streams::combined))
}
