//! The handlers, one module per family, each next to its routes.

pub mod account;
pub mod admin;
pub mod general;
pub mod klines;
pub mod market;
pub mod order_lists;
pub mod reports;
pub mod tickers;
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

/// A 200 response with a JSON body already rendered (and possibly shared).
pub fn json_bytes(body: axum::body::Bytes) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    r
}

/// A 200 response with a JSON value.
pub fn json_value(value: &serde_json::Value) -> Response {
    json(value.to_string())
}

/// A JSON object written with its fields in the order they are added, as Binance sends them
/// (`serde_json::Value` would sort the keys).
#[derive(Debug)]
pub struct Object {
    out: String,
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object { out: String::from("{") }
    }

    /// Adds `name: value`.
    #[must_use]
    pub fn field(mut self, name: &str, value: impl serde::Serialize) -> Object {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        self.out.push_str(&serde_json::to_string(name).unwrap_or_default());
        self.out.push(':');
        self.out.push_str(&serde_json::to_string(&value).unwrap_or_else(|_| "null".to_owned()));
        self
    }

    /// The JSON text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

impl Default for Object {
    fn default() -> Self {
        Object::new()
    }
}

/// A JSON array of already rendered values.
pub fn array(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("[{}]", items.join(","))
}
