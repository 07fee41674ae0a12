//! Decoding of Binance's decimal strings (`"0.00100000"`), for the `Decimal` fields of the typed
//! responses.
//!
//! Binance sends every amount as a plain decimal string of at most 19 digits. Those are read here in
//! one pass into a mantissa and a scale, which gives exactly what `Decimal::from_str` gives (trailing
//! zeros kept as scale) at a fraction of its cost; anything else (more digits, exponents, a bare
//! sign, JSON numbers) goes through rust_decimal's own parsing as before.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Unexpected, Visitor};

/// `-?[0-9]+(\.[0-9]+)?` with at most 19 digits; `None` for anything else (and for negative zero,
/// whose sign only the general parser keeps).
pub(crate) fn parse_plain(s: &str) -> Option<Decimal> {
    let bytes = s.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut count = 0u32;
    let mut dot: Option<u32> = None;
    for &c in digits {
        match c {
            b'0'..=b'9' if count < 19 => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if dot.is_none() && count > 0 => dot = Some(count),
            _ => return None,
        }
    }
    let scale = match dot {
        Some(at) if at == count => return None, // "1." : no digit after the point
        Some(at) => count - at,
        None => 0,
    };
    if negative && mantissa == 0 {
        return None;
    }
    let value = i128::from(mantissa);
    Some(Decimal::from_i128_with_scale(if negative { -value } else { value }, scale))
}

/// A `Decimal` read with [`parse_plain`] first.
struct Fast;

impl<'de> Visitor<'de> for Fast {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a decimal number as a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Decimal, E> {
        parse_plain(s)
            .or_else(|| Decimal::from_str(s).ok())
            .or_else(|| Decimal::from_scientific(s).ok())
            .ok_or_else(|| E::invalid_value(Unexpected::Str(s), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Decimal::from_str(&v.to_string()).map_err(|_| E::invalid_value(Unexpected::Float(v), &self))
    }
}

/// For `#[serde(deserialize_with = "dec::decimal")]`.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(Fast)
}

/// For `Option<Decimal>` fields (with `#[serde(default)]`): `null` is `None`.
pub(crate) fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a decimal number as a string, or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            decimal(d).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_decode_exactly_as_from_str() {
        for s in [
            "0",
            "1",
            "10000.00000000",
            "0.00100000",
            "-0.5",
            "123.456",
            "9999999999999999999",
            "0.000000000000000001",
            "-42",
            "000.10",
            "100",
        ] {
            let fast = parse_plain(s).unwrap_or_else(|| panic!("{s} takes the fast path"));
            let slow = Decimal::from_str(s).unwrap();
            assert_eq!((fast, fast.scale(), fast.to_string()), (slow, slow.scale(), slow.to_string()), "{s}");
        }
    }

    #[test]
    fn other_strings_are_left_to_the_general_parser() {
        for s in [
            "",
            "-",
            ".5",
            "1.",
            "1.2.3",
            "1e5",
            "+1",
            " 1",
            "1 ",
            "-0.0",
            "99999999999999999999",
            "0.0000000000000000001",
            "１",
        ] {
            assert_eq!(parse_plain(s), None, "{s:?}");
        }
        // ... which still reads what it always read.
        let d: Decimal = decimal(serde_json::Value::from("1e-2")).unwrap();
        assert_eq!(d.to_string(), "0.01");
        let d: Decimal = decimal(serde_json::Value::from("-0.0")).unwrap();
        assert!(d.is_zero());
        assert!(decimal(serde_json::Value::from("abc")).is_err());
        assert_eq!(decimal(serde_json::Value::from(5u64)).unwrap(), Decimal::from(5));
        assert_eq!(option(serde_json::Value::Null).unwrap(), None);
        assert_eq!(
            option(serde_json::Value::from("2.50")).unwrap().map(|d| d.to_string()),
            Some("2.50".into())
        );
    }

    proptest::proptest! {
        #[test]
        fn any_plain_string_decodes_as_from_str(neg in proptest::bool::ANY, int in "[0-9]{1,10}", frac in "([0-9]{1,9})?") {
            let s = format!("{}{int}{}{frac}", if neg { "-" } else { "" }, if frac.is_empty() { "" } else { "." });
            let slow = Decimal::from_str(&s).unwrap();
            if let Some(fast) = parse_plain(&s) {
                proptest::prop_assert_eq!((fast, fast.scale(), fast.to_string()), (slow, slow.scale(), slow.to_string()));
            } else {
                proptest::prop_assert!(neg && slow.is_zero(), "only negative zero leaves the fast path: {}", s);
            }
        }
    }
}
