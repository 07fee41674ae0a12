//! The sandbox's web console: a page at `/` that shows every request the sandbox answered (and, for
//! a rejection, the doctor's diagnosis), the accounts, orders and trades, the market, the keys, the
//! clock and the planned faults, and changes them.
//!
//! * [`log`]: the request log ([`RequestLog`]), fed by one call per request from the router's
//!   frame (REST, upgrades), the WebSocket API (`ws/api.rs`) and stream control messages
//!   (`ws/streams.rs`).
//! * [`api`]: the console's JSON under `/sandbox/v1/console/...` and its live feed
//!   (`/sandbox/v1/console/live`, a WebSocket). Changes go through the admin API where it has them
//!   (`POST /sandbox/v1/keys`, `deposit`, `clock`, `faults`); market data comes from the sandbox's
//!   own market streams (`/stream`), which the page opens itself.
//! * The page (`crates/mbx-sandbox/console/`: `index.html`, `app.css`, `app.js`), embedded at build
//!   time: no CDN, no build step.
//!
//! Everything here follows the admin API's access rules (`extract::Loopback`: loopback clients only,
//! or the admin token where the sandbox requires one; no cross-site requests); the page's own files
//! load without the token (`extract::ConsoleFile`).

pub mod api;
pub mod log;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use log::{Entry, Filter, Journaled, RequestLog, Transport};

use crate::extract::ConsoleFile;
use crate::state::AppState;

/// The page.
const INDEX_HTML: &str = include_str!("../../console/index.html");
/// Its style sheet.
const APP_CSS: &str = include_str!("../../console/app.css");
/// Its script.
const APP_JS: &str = include_str!("../../console/app.js");

/// The console's routes, merged into [`crate::router`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|_: ConsoleFile| async { asset("text/html; charset=utf-8", INDEX_HTML) }))
        // A browser asks for an icon beside the page: none, rather than a 404 in the request log.
        .route("/favicon.ico", get(|| async { axum::http::StatusCode::NO_CONTENT }))
        .route("/console/app.css", get(|_: ConsoleFile| async { asset("text/css; charset=utf-8", APP_CSS) }))
        .route(
            "/console/app.js",
            get(|_: ConsoleFile| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route("/sandbox/v1/console/log", get(api::log_page))
        .route("/sandbox/v1/console/log/{id}", get(api::log_entry))
        .route("/sandbox/v1/console/accounts", get(api::accounts))
        .route("/sandbox/v1/console/orders", get(api::orders))
        .route("/sandbox/v1/console/cancel", post(api::cancel))
        .route("/sandbox/v1/console/market", get(api::market))
        .route("/sandbox/v1/console/keys", get(crate::api::admin::list_keys))
        .route("/sandbox/v1/keys/permissions", post(api::set_permissions))
        .route("/sandbox/v1/console/settings", get(api::settings))
        .route("/sandbox/v1/console/live", get(api::live))
}

/// An embedded file with its type; never cached, so a new sandbox build shows its own page.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Never inside another site's frame (its buttons would be clicked through a disguise).
    r.headers_mut().insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("frame-ancestors 'none'"));
    r
}
