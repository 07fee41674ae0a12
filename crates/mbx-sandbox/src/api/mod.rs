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
/// (`serde_json::Value` would sort the keys), straight into one buffer.
///
/// Field names are the API's own identifiers and are written as they are; values are encoded by
/// serde_json, amounts by [`crate::market::Amount`].
#[derive(Debug)]
pub struct Object {
    out: Vec<u8>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        let mut out = Vec::with_capacity(512);
        out.push(b'{');
        Object { out }
    }

    fn key(&mut self, name: &str) {
        debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "{name}");
        if self.out.len() > 1 {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// Adds `name: value`.
    #[must_use]
    pub fn field(mut self, name: &str, value: impl serde::Serialize) -> Object {
        self.push(name, value);
        self
    }

    /// Adds `name: value` in place.
    pub fn push(&mut self, name: &str, value: impl serde::Serialize) {
        self.key(name);
        if serde_json::to_writer(&mut self.out, &value).is_err() {
            self.out.extend_from_slice(b"null");
        }
    }

    /// Adds `name: "amount"` ([`crate::market::amount`]'s text) in place.
    pub fn amount(&mut self, name: &str, value: rust_decimal::Decimal) {
        self.key(name);
        let mut buf = [0; crate::market::DECIMAL_TEXT];
        self.out.push(b'"');
        self.out.extend_from_slice(crate::market::Amount(value).text(&mut buf).as_bytes());
        self.out.push(b'"');
    }

    /// Adds `name: json`, where `json` is already rendered JSON.
    pub fn raw(&mut self, name: &str, json: &str) {
        self.key(name);
        self.out.extend_from_slice(json.as_bytes());
    }

    /// The JSON text.
    pub fn finish(mut self) -> String {
        self.out.push(b'}');
        // Only UTF-8 was written: names and rendered JSON are &str, serde_json writes UTF-8.
        String::from_utf8(self.out).unwrap_or_default()
    }
}

impl Default for Object {
    fn default() -> Self {
        Object::new()
    }
}

/// A JSON array of already rendered values.
pub fn array(items: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&item);
    }
    out.push(']');
    out
}
