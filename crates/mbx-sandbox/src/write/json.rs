//! JSON written as Binance writes it: [`Object`] keeps its fields in the order they are added, and
//! [`array()`] joins values already rendered.

use super::decimal::{Amount, DECIMAL_TEXT};

/// A JSON object written with its fields in the order they are added, as Binance sends them
/// (`serde_json::Value` would sort the keys), straight into one buffer.
///
/// Field names are the API's own identifiers and are written as they are; values are encoded by
/// serde_json, amounts by [`Amount`].
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

    /// Adds `name: "amount"` ([`amount`](super::decimal::amount)'s text) in place.
    pub fn amount(&mut self, name: &str, value: rust_decimal::Decimal) {
        self.key(name);
        let mut buf = [0; DECIMAL_TEXT];
        self.out.push(b'"');
        self.out.extend_from_slice(Amount(value).bytes(&mut buf));
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
