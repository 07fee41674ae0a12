//! The handlers, one module per family, each next to its routes.

pub mod account;
pub mod admin;
pub mod general;
pub mod market;
pub mod order_lists;
pub mod reports;
pub mod trading;
pub mod user_stream;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The content type of every JSON answer, as Binance sends it.
pub const JSON: &str = "application/json;charset=UTF-8";

/// A 200 response with a JSON body rendered by the caller.
pub fn json(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    r
}

/// A 200 response with a JSON value.
pub fn json_value(value: &serde_json::Value) -> Response {
    json(value.to_string())
}
