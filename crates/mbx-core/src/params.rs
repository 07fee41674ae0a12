//! [`Params`]: the ordered name/value list every request is built from.
//!
//! Order matters: Binance signs the bytes as sent, so mbx keeps parameters in the order the caller
//! added them and renders them exactly once (see [`crate::payload`]).

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::encode::{self, DecodeError};

/// A value that has one spelling on the wire, such as an order side or type.
///
/// ```
/// use mbx_core::{Params, WireValue};
/// enum Side { Buy, Sell }
/// impl WireValue for Side {
///     fn wire(&self) -> &str { match self { Side::Buy => "BUY", Side::Sell => "SELL" } }
/// }
/// let p = Params::new().enumeration("side", &Side::Sell);
/// assert_eq!(p.get("side"), Some("SELL"));
/// ```
pub trait WireValue {
    /// The exact text Binance expects.
    fn wire(&self) -> &str;
}

/// An ordered list of request parameters, values kept as the text that will be sent (before
/// percent-encoding).
///
/// Typed constructors render each kind of value the one way Binance reads it; setting a name that is
/// already present replaces its value in place, so the order of first insertion is kept.
///
/// ```
/// use mbx_core::Params;
/// use rust_decimal::Decimal;
/// let p = Params::new()
///     .text("symbol", "LTCBTC")
///     .int("quantity", 1)
///     .decimal("price", Decimal::new(1, 1))
///     .bool("omitZeroBalances", true)
///     .json_array("symbols", ["BTCUSDT", "BNBUSDT"]);
/// assert_eq!(p.get("price"), Some("0.1"));
/// assert_eq!(p.get("symbols"), Some(r#"["BTCUSDT","BNBUSDT"]"#));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<Pair>,
}

/// One parameter. `clean` records, once at insertion, that neither name nor value needs
/// percent-encoding, so rendering copies them without scanning again (`false` when not known).
/// Pairs compare by name and value only.
#[derive(Clone)]
struct Pair {
    name: Cow<'static, str>,
    value: String,
    clean: bool,
}

impl PartialEq for Pair {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value == other.value
    }
}

impl Eq for Pair {}

impl Pair {
    fn new(name: Cow<'static, str>, value: String) -> Self {
        let clean = encode::is_clean(&name) && encode::is_clean(&value);
        Self { name, value, clean }
    }
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Parameter values are not secret (the key travels in a header), except a stray signature,
        // which is shortened so logs stay readable.
        let mut m = f.debug_list();
        for Pair { name, value, .. } in &self.pairs {
            m.entry(&format_args!("{name}={value}"));
        }
        m.finish()
    }
}

/// Integer types accepted by [`Params::int`].
pub trait Integer: itoa_like::Sealed + std::fmt::Display + Copy {
    /// The decimal digits (with a leading `-` for negatives), without going through `fmt`.
    fn decimal_digits(self) -> String;

    /// Appends the decimal digits (with a leading `-` for negatives) to `out`, without going
    /// through `fmt` and without allocating.
    ///
    /// ```
    /// use mbx_core::params::Integer;
    /// let mut line = String::from("latency_us=");
    /// 41u64.push_decimal(&mut line);
    /// (-1022i32).push_decimal(&mut line);
    /// assert_eq!(line, "latency_us=41-1022");
    /// ```
    fn push_decimal(self, out: &mut String);
}

/// The decimal digits of `n`, written back to front into the end of `buf` (39 bytes hold
/// `u128::MAX`) and returned, for callers that place them themselves (a decimal point, a sign).
///
/// ```
/// let mut buf = [0; 39];
/// assert_eq!(mbx_core::params::unsigned_digits(1_499_827_319_559, &mut buf), "1499827319559");
/// assert_eq!(mbx_core::params::unsigned_digits(0, &mut buf), "0");
/// ```
pub fn unsigned_digits(n: u128, buf: &mut [u8; 39]) -> &str {
    // Only ASCII digits were written.
    std::str::from_utf8(unsigned_digit_bytes(n, buf)).unwrap_or_default()
}

/// [`unsigned_digits`] as bytes, for a caller that writes bytes (JSON, an SQL text value): the
/// text is not checked again. Numbers that fit in 64 bits (all but the widest) are divided as
/// `u64`: a `u128` division is a library call per digit.
///
/// ```
/// let mut buf = [0; 39];
/// assert_eq!(mbx_core::params::unsigned_digit_bytes(u128::MAX, &mut buf).len(), 39);
/// assert_eq!(mbx_core::params::unsigned_digit_bytes(7, &mut buf), b"7");
/// ```
pub fn unsigned_digit_bytes(n: u128, buf: &mut [u8; 39]) -> &[u8] {
    let mut i = buf.len();
    // The digits above u64's range (none, for every value but the widest) in 128 bits.
    let mut wide = n;
    let mut n = loop {
        match u64::try_from(wide) {
            Ok(n) => break n,
            Err(_) => {
                i -= 1;
                buf[i] = b'0' + (wide % 10) as u8;
                wide /= 10;
            }
        }
    };
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

mod itoa_like {
    pub trait Sealed {}

    pub(super) fn digits(negative: bool, n: u128) -> String {
        let mut out = String::with_capacity(20);
        push_digits(&mut out, negative, n);
        out
    }

    /// Writes the digits of `n` (and a sign) onto `out`, a byte at a time: for the few digits of a
    /// number that costs a third of `push_str` (request log lines write several per request).
    pub(super) fn push_digits(out: &mut String, negative: bool, n: u128) {
        if negative {
            out.push('-');
        }
        for d in super::unsigned_digits(n, &mut [0; 39]).bytes() {
            out.push(char::from(d));
        }
    }

    macro_rules! unsigned { ($($t:ty)*) => { $(
        impl Sealed for $t {}
        impl super::Integer for $t {
            fn decimal_digits(self) -> String { digits(false, self as u128) }
            fn push_decimal(self, out: &mut String) { push_digits(out, false, self as u128) }
        }
    )* } }
    macro_rules! signed { ($($t:ty)*) => { $(
        impl Sealed for $t {}
        impl super::Integer for $t {
            fn decimal_digits(self) -> String { digits(self < 0, self.unsigned_abs() as u128) }
            fn push_decimal(self, out: &mut String) { push_digits(out, self < 0, self.unsigned_abs() as u128) }
        }
    )* } }
    unsigned!(u8 u16 u32 u64 u128 usize);
    signed!(i8 i16 i32 i64 i128 isize);
}

impl Params {
    /// An empty list, with room for a typical request's parameters (one allocation, not four).
    pub fn new() -> Self {
        Self { pairs: Vec::with_capacity(8) }
    }

    /// An empty list with room for `n` parameters.
    pub fn with_capacity(n: usize) -> Self {
        Self { pairs: Vec::with_capacity(n) }
    }

    /// Sets a text value (sent as UTF-8, percent-encoded on REST).
    #[must_use]
    pub fn text(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets an integer value in decimal digits.
    #[must_use]
    pub fn int(mut self, name: impl Into<Cow<'static, str>>, value: impl Integer) -> Self {
        self.set(name, value.decimal_digits());
        self
    }

    /// Sets a decimal value as written, never in exponent form (see [`encode::decimal`]).
    #[must_use]
    pub fn decimal(mut self, name: impl Into<Cow<'static, str>>, value: Decimal) -> Self {
        self.set(name, encode::decimal(&value));
        self
    }

    /// Sets a boolean as `true` / `false`.
    #[must_use]
    pub fn bool(mut self, name: impl Into<Cow<'static, str>>, value: bool) -> Self {
        self.set(name, if value { "true" } else { "false" });
        self
    }

    /// Sets an enumeration value by its wire spelling.
    #[must_use]
    pub fn enumeration(mut self, name: impl Into<Cow<'static, str>>, value: &impl WireValue) -> Self {
        self.set(name, value.wire());
        self
    }

    /// Sets a JSON array of strings, as Binance takes `symbols=["BTCUSDT","BNBUSDT"]` (no spaces).
    #[must_use]
    pub fn json_array<I, S>(mut self, name: impl Into<Cow<'static, str>>, items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = String::from("[");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // serde_json escapes quotes, backslashes and control characters; it cannot fail for &str.
            out.push_str(&serde_json::to_string(item.as_ref()).unwrap_or_default());
        }
        out.push(']');
        self.set(name, out);
        self
    }

    /// Sets `name` to `value`, replacing an existing value in place or appending.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> &mut Self {
        let name = name.into();
        let value = value.into();
        match self.pairs.iter_mut().find(|p| p.name == name) {
            Some(slot) => *slot = Pair::new(name, value),
            None => self.pairs.push(Pair::new(name, value)),
        }
        self
    }

    /// Appends a pair even if the name is already present (for reproducing what other clients send;
    /// Binance answers duplicates with `-1101`).
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> &mut Self {
        self.pairs.push(Pair::new(name.into(), value.into()));
        self
    }

    /// Appends a pair without classifying it: it is percent-encoded whenever it is rendered, as if
    /// it needed it (the result is the same; only the scan at insertion is saved). For parameters
    /// that are read rather than sent (the acceptance check's).
    pub(crate) fn push_unclassified(&mut self, name: String, value: String) {
        self.pairs.push(Pair { name: Cow::Owned(name), value, clean: false });
    }

    /// Sets `name` only when it is absent; returns whether it was added.
    pub fn set_if_absent(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> bool {
        let name = name.into();
        if self.contains(&name) {
            return false;
        }
        self.pairs.push(Pair::new(name, value.into()));
        true
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|p| p.name == name).map(|p| p.value.as_str())
    }

    /// Whether `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|p| p.name == name)
    }

    /// Removes every pair named `name`; returns the first removed value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let mut first = None;
        self.pairs.retain_mut(|p| {
            if p.name == name {
                if first.is_none() {
                    first = Some(std::mem::take(&mut p.value));
                }
                false
            } else {
                true
            }
        });
        first
    }

    /// The pairs in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.pairs.iter().map(|p| (p.name.as_ref(), p.value.as_str()))
    }

    /// The pairs in order, each with whether it needs no percent-encoding.
    pub(crate) fn iter_classified(&self) -> impl ExactSizeIterator<Item = (&str, &str, bool)> + '_ {
        self.pairs.iter().map(|p| (p.name.as_ref(), p.value.as_str(), p.clean))
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Parses `a=1&b=2` with percent-decoding (`+` stays `+`). Empty segments are skipped; a segment
    /// without `=` becomes a name with an empty value.
    ///
    /// ```
    /// let p = mbx_core::Params::parse_query("symbol=%EF%BC%91&side=BUY").unwrap();
    /// assert_eq!(p.get("symbol"), Some("１"));
    /// ```
    pub fn parse_query(query: &str) -> Result<Params, DecodeError> {
        let mut params = Params::new();
        for segment in query.split('&').filter(|s| !s.is_empty()) {
            let (k, v) = segment.split_once('=').unwrap_or((segment, ""));
            params.push(encode::percent_decode(k)?, encode::percent_decode(v)?);
        }
        Ok(params)
    }

    /// Sorts the pairs by name (byte order), as the WebSocket API signs them.
    pub fn sort_by_name(&mut self) {
        self.pairs.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    }
}

impl<K, V> FromIterator<(K, V)> for Params
where
    K: Into<Cow<'static, str>>,
    V: Into<String>,
{
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut p = Params::new();
        for (k, v) in iter {
            p.push(k, v);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_numbers_are_decimal() {
        let mut out = String::new();
        for n in [0, 7, 10, 41, 200, 65_535, u64::MAX] {
            out.clear();
            n.push_decimal(&mut out);
            assert_eq!(out, n.to_string());
        }
        for n in [i64::MIN, -1022, -1, 0, i64::MAX] {
            out.clear();
            n.push_decimal(&mut out);
            assert_eq!(out, n.to_string());
        }
        for n in [u128::from(u64::MAX) + 1, u128::MAX] {
            assert_eq!(n.decimal_digits(), n.to_string());
        }
    }

    #[test]
    fn params_set_existing_name_replaces_in_place() {
        let mut p = Params::new().text("a", "1").text("b", "2");
        p.set("a", "3");
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![("a", "3"), ("b", "2")]);
    }

    #[test]
    fn params_int_digits_match_display_at_the_edges() {
        for (p, expected) in [
            (Params::new().int("a", 0u8), "0"),
            (Params::new().int("a", -1i64), "-1"),
            (Params::new().int("a", i64::MIN), "-9223372036854775808"),
            (Params::new().int("a", u64::MAX), "18446744073709551615"),
            (Params::new().int("a", u128::from(u64::MAX) + 1), "18446744073709551616"),
            (Params::new().int("a", u128::MAX), "340282366920938463463374607431768211455"),
            (Params::new().int("a", -i128::from(u64::MAX)), "-18446744073709551615"),
            (Params::new().int("a", i128::MIN), "-170141183460469231731687303715884105728"),
            (Params::new().int("a", 1_499_827_319_559u64), "1499827319559"),
        ] {
            assert_eq!(p.get("a"), Some(expected));
        }
    }

    #[test]
    fn params_json_array_escapes_quotes() {
        let p = Params::new().json_array("symbols", ["A\"B"]);
        assert_eq!(p.get("symbols"), Some(r#"["A\"B"]"#));
    }

    #[test]
    fn params_remove_takes_all_duplicates() {
        let mut p = Params::new();
        p.push("x", "1").push("y", "2").push("x", "3");
        assert_eq!(p.remove("x").as_deref(), Some("1"));
        assert_eq!(p.len(), 1);
    }
}
