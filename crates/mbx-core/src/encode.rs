//! Percent-encoding for Binance payloads and exponent-free decimal rendering.
//!
//! Binance signs the *percent-encoded* query string and body. mbx encodes every byte outside the
//! RFC 3986 unreserved set (`A-Z a-z 0-9 - _ . ~`) as `%XX` with upper-case hex, which is what the
//! documentation's examples and OpenSSL-made vectors show (`１` becomes `%EF%BC%91`).

/// Upper-case hex digits used by both percent-encoding and nothing else.
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// True for the RFC 3986 unreserved bytes, which are copied as they are.
#[inline]
pub const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Lookup table: `true` where a byte is copied unchanged.
static UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_unreserved(i as u8);
        i += 1;
    }
    t
};

/// Appends `input` to `out`, percent-encoding every byte outside the unreserved set.
///
/// Runs of unreserved bytes are copied in one piece, so ASCII parameters cost one copy.
///
/// ```
/// let mut s = String::new();
/// mbx_core::encode::percent_encode_into("１２ a&b", &mut s);
/// assert_eq!(s, "%EF%BC%91%EF%BC%92%20a%26b");
/// ```
pub fn percent_encode_into(input: &str, out: &mut String) {
    let bytes = input.as_bytes();
    // Fast path for the usual parameter (nothing to encode): one scan, one copy.
    if bytes.iter().all(|&b| UNRESERVED[b as usize]) {
        out.push_str(input);
        return;
    }
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if UNRESERVED[b as usize] {
            i += 1;
            continue;
        }
        // `start..i` is all unreserved ASCII (so both ends are char boundaries) when non-empty.
        if start < i {
            out.push_str(&input[start..i]);
        }
        out.push('%');
        out.push(HEX_UPPER[(b >> 4) as usize] as char);
        out.push(HEX_UPPER[(b & 0x0F) as usize] as char);
        i += 1;
        start = i;
    }
    if start < bytes.len() {
        out.push_str(&input[start..]);
    }
}

/// True when `s` needs no percent-encoding (every byte unreserved).
///
/// ```
/// assert!(mbx_core::encode::is_clean("BTCUSDT"));
/// assert!(!mbx_core::encode::is_clean("A B"));
/// ```
#[inline]
pub fn is_clean(s: &str) -> bool {
    s.bytes().all(|b| UNRESERVED[b as usize])
}

/// Returns `input` percent-encoded (see [`percent_encode_into`]).
///
/// ```
/// assert_eq!(mbx_core::encode::percent_encode("这是"), "%E8%BF%99%E6%98%AF");
/// ```
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    percent_encode_into(input, &mut out);
    out
}

/// Why a percent-encoded string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    #[error("malformed percent-encoding at byte {0}")]
    Malformed(usize),
    /// The decoded bytes are not UTF-8.
    #[error("percent-decoded text is not valid UTF-8")]
    NotUtf8,
}

/// Decodes `%XX` escapes (upper or lower case hex). `+` is kept as `+` here; a query string's or a
/// form body's names and values are read with [`form_decode`], where it is a space.
///
/// ```
/// assert_eq!(mbx_core::encode::percent_decode("%EF%BC%91a+b").unwrap(), "１a+b");
/// assert!(mbx_core::encode::percent_decode("%G1").is_err());
/// ```
pub fn percent_decode(input: &str) -> Result<String, DecodeError> {
    if !input.as_bytes().contains(&b'%') {
        return Ok(input.to_owned());
    }
    String::from_utf8(percent_decode_bytes(input)?).map_err(|_| DecodeError::NotUtf8)
}

/// Decodes a name or a value of a query string or form body as Binance reads it: a raw `+` is a
/// space, then `%XX` escapes are read ([`percent_decode`]); a `+` sent as `%2B` is a `+`.
///
/// ```
/// assert_eq!(mbx_core::encode::form_decode("+08:00").unwrap(), " 08:00");
/// assert_eq!(mbx_core::encode::form_decode("a%2Bb").unwrap(), "a+b");
/// ```
pub fn form_decode(input: &str) -> Result<String, DecodeError> {
    if input.contains('+') { percent_decode(&input.replace('+', " ")) } else { percent_decode(input) }
}

/// Decodes `%XX` escapes into bytes, which need not be UTF-8 (a signature sent as the digest's raw
/// bytes, percent-encoded).
///
/// ```
/// assert_eq!(mbx_core::encode::percent_decode_bytes("%FF%00a").unwrap(), [0xff, 0, b'a']);
/// assert!(mbx_core::encode::percent_decode_bytes("%3").is_err());
/// ```
pub fn percent_decode_bytes(input: &str) -> Result<Vec<u8>, DecodeError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).and_then(|b| hex_val(*b));
            let lo = bytes.get(i + 2).and_then(|b| hex_val(*b));
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(h << 4 | l),
                _ => return Err(DecodeError::Malformed(i)),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Lowercase hex of 32 bytes (a SHA-256 or HMAC-SHA256 output) into a stack buffer.
///
/// Written as two simple loops over fixed-size arrays (split into nibbles, then nibble to ASCII) that the
/// compiler turns into vector instructions, with no table and no `unsafe`.
///
/// ```
/// let hex = mbx_core::encode::hex_lower_32(&[0xab; 32]);
/// assert_eq!(&hex[..6], b"ababab");
/// ```
#[inline]
pub fn hex_lower_32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = b >> 4;
        pair[1] = b & 0x0F;
    }
    for n in &mut out {
        // '0'..'9' for 0..9, 'a'..'f' for 10..15 ('a' - '0' - 10 = 39).
        *n += b'0' + if *n > 9 { 39 } else { 0 };
    }
    out
}

/// Renders a decimal exactly as written, never in exponent form (`0.00000001`, not `1e-8`).
///
/// The scale is kept, so `"0.10"` stays `"0.10"`: Binance checks precision against the symbol's filters
/// and mbx never changes what the caller chose.
///
/// ```
/// use rust_decimal::Decimal;
/// use std::str::FromStr;
/// let d = Decimal::from_str("0.00000001").unwrap();
/// assert_eq!(mbx_core::encode::decimal(&d), "0.00000001");
/// ```
pub fn decimal(d: &rust_decimal::Decimal) -> String {
    // rust_decimal's Display never uses exponent notation; it is locale-independent.
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encode_reserved_bytes_are_escaped_upper_hex() {
        assert_eq!(percent_encode("[\"A\",\"B\"]"), "%5B%22A%22%2C%22B%22%5D");
        assert_eq!(percent_encode("a b+c/d=e"), "a%20b%2Bc%2Fd%3De");
        assert_eq!(percent_encode("-_.~AZaz09"), "-_.~AZaz09");
    }

    #[test]
    fn percent_decode_roundtrips_encode() {
        for s in ["", "abc", "１２３４５６", "这是测试币456", "a&b=c%d", "\u{0}\u{7f}"] {
            assert_eq!(percent_decode(&percent_encode(s)).unwrap(), s);
        }
    }

    #[test]
    fn hex_lower_32_matches_format_for_every_byte() {
        for start in (0..=255u8).step_by(32) {
            let bytes: [u8; 32] = std::array::from_fn(|i| start.wrapping_add(i as u8));
            let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(std::str::from_utf8(&hex_lower_32(&bytes)).unwrap(), expected);
        }
    }

    #[test]
    fn percent_decode_truncated_escape_is_error() {
        assert_eq!(percent_decode("ab%2"), Err(DecodeError::Malformed(2)));
        assert_eq!(percent_decode("%FF"), Err(DecodeError::NotUtf8));
    }
}
