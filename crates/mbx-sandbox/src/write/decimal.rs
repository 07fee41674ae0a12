//! Decimals written as text without the formatting machinery: amounts and prices as Binance writes
//! them ([`fixed8`], [`amount`], [`Amount`]) and the store's plain columns ([`plain`]).

use rust_decimal::Decimal;

/// Renders an amount or price as Binance does: eight decimals, never an exponent.
pub fn fixed8(d: Decimal) -> String {
    // `{:.8}` truncates digits past the eighth as this does, but panics on long numbers.
    decimal_text(d.trunc_with_scale(8), 8, &mut [0; DECIMAL_TEXT]).to_owned()
}

/// Renders an amount as Binance does, with at least eight decimals, never an exponent, and never
/// rounded: an amount finer than 1e-8 (a commission, a quote quantity) keeps every digit.
pub fn amount(d: Decimal) -> String {
    Amount(d).text(&mut [0; DECIMAL_TEXT]).to_owned()
}

/// `d` as `Decimal`'s `Display` writes it (every digit of its scale, no exponent), for the store's
/// columns, without the formatting machinery.
pub(crate) fn plain(d: Decimal) -> String {
    decimal_text(d, 0, &mut [0; DECIMAL_TEXT]).to_owned()
}

/// [`plain`]'s text kept inline: bound to an SQL statement as text without a `String` of its own
/// (the store writes several per order).
#[derive(Clone, Copy)]
pub(crate) struct PlainText {
    buf: [u8; DECIMAL_TEXT],
    len: u8,
}

impl PlainText {
    /// `d` as [`plain`] writes it.
    pub(crate) fn new(d: Decimal) -> PlainText {
        let mut buf = [0; DECIMAL_TEXT];
        let len = decimal_bytes(d, 0, &mut buf).len();
        // At most DECIMAL_TEXT (64) bytes.
        PlainText { buf, len: u8::try_from(len).unwrap_or(u8::MAX) }
    }

    /// The text (the store binds the bytes as they are).
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl rusqlite::ToSql for PlainText {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        // The digits as written, not checked again (only ASCII was written).
        let text = &self.buf[..usize::from(self.len)];
        Ok(rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(text)))
    }
}

/// [`amount`] as a `Display`, to write an amount without a `String` of its own.
#[derive(Debug, Clone, Copy)]
pub struct Amount(pub Decimal);

impl Amount {
    /// The amount's text, written into `buf`.
    pub(crate) fn text(self, buf: &mut [u8; DECIMAL_TEXT]) -> &str {
        // Only ASCII is written.
        std::str::from_utf8(self.bytes(buf)).unwrap_or_default()
    }

    /// [`Amount::text`] as bytes, for a writer of bytes (JSON): not checked again.
    pub(crate) fn bytes(self, buf: &mut [u8; DECIMAL_TEXT]) -> &[u8] {
        let d = self.0;
        // Trailing zeros within eight decimals are padded back: normalizing (a division of the
        // 96-bit mantissa per zero) only changes the text past the eighth. Zero is written
        // unsigned, as normalizing writes it.
        let n = if d.is_zero() {
            Decimal::ZERO
        } else if d.scale() <= 8 {
            d
        } else {
            d.normalize()
        };
        decimal_bytes(n, 8, buf)
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text(&mut [0; DECIMAL_TEXT]))
    }
}

/// Room for any `Decimal`'s text: a sign, 29 digits, a point, up to 28 zeros after it.
pub(crate) const DECIMAL_TEXT: usize = 64;

/// `d`'s digits with its point, and at least `min_scale` digits after it (zeros appended), written
/// into `buf`: what `format!("{d}")` writes when `min_scale` is 0, `format!("{d:.N}")` for
/// `N = min_scale >= d.scale()`. A negative zero keeps its sign, as `Display` does.
fn decimal_text(d: Decimal, min_scale: u32, buf: &mut [u8; DECIMAL_TEXT]) -> &str {
    // Only ASCII is written.
    std::str::from_utf8(decimal_bytes(d, min_scale, buf)).unwrap_or_default()
}

/// [`decimal_text`] as bytes, for writers of bytes (JSON, SQL text values).
fn decimal_bytes(d: Decimal, min_scale: u32, buf: &mut [u8; DECIMAL_TEXT]) -> &[u8] {
    const ZEROS: [u8; DECIMAL_TEXT] = [b'0'; DECIMAL_TEXT];
    let scale = d.scale() as usize;
    let mut digit_buf = [0; 39];
    let digits = mbx_core::params::unsigned_digit_bytes(d.mantissa().unsigned_abs(), &mut digit_buf);
    let mut len = 0;
    let mut push = |bytes: &[u8]| {
        buf[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    };
    if d.is_sign_negative() {
        push(b"-");
    }
    let (int, frac) =
        if digits.len() > scale { digits.split_at(digits.len() - scale) } else { (&b"0"[..], digits) };
    push(int);
    let frac_len = scale.max(min_scale as usize);
    if frac_len > 0 {
        push(b".");
        // Zeros between the point and the digits (0.005), then the digits, then padding.
        push(&ZEROS[..scale - frac.len()]);
        push(frac);
        push(&ZEROS[..frac_len - scale]);
    }
    &buf[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed8_pads_and_never_uses_exponent() {
        assert_eq!(fixed8(Decimal::new(1, 1)), "0.10000000");
        assert_eq!(fixed8(Decimal::new(10_000, 0)), "10000.00000000");
        assert_eq!(fixed8(Decimal::new(1, 12)), "0.00000000");
    }

    /// The hand-written text is `Decimal`'s own (`Display`, and `{:.8}` where it only pads), and
    /// `Amount` is what it was before: normalized, padded to eight decimals, never rounded.
    #[test]
    fn decimal_text_matches_display_everywhere() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cases = vec![
            Decimal::ZERO,
            Decimal::from_parts(0, 0, 0, true, 3),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(5, 3),
            Decimal::new(-1, 28),
            Decimal::new(100, 0),
            Decimal::new(123_456, 2),
        ];
        for _ in 0..20_000 {
            let r = next();
            let (lo, mid, hi) = match r % 3 {
                0 => ((next() % 1000) as u32, 0, 0),
                1 => (next() as u32, (next() % 4) as u32, 0),
                _ => (next() as u32, next() as u32, next() as u32),
            };
            cases.push(Decimal::from_parts(lo, mid, hi, r & 8 != 0, ((r >> 8) % 29) as u32));
        }
        // rust_decimal's `{:.N}` panics past 32 characters (say 1e25 with eight decimals); the
        // written text does not, and is checked against the plain text there instead.
        let fits = |d: Decimal| d.mantissa().unsigned_abs().to_string().len() + 11 <= 32;
        for d in cases {
            assert_eq!(plain(d), d.to_string(), "{d:?}");
            assert_eq!(PlainText::new(d).as_str(), d.to_string(), "{d:?}");
            let n = d.normalize();
            let text = amount(d);
            if n.scale() > 8 {
                assert_eq!(text, n.to_string(), "{d:?}");
            } else if fits(n) {
                assert_eq!(text, format!("{n:.8}"), "{d:?}");
            } else {
                let zeros = if n.scale() == 0 {
                    format!(".{}", "0".repeat(8))
                } else {
                    "0".repeat(8 - n.scale() as usize)
                };
                assert_eq!(text, format!("{n}{zeros}"), "{d:?}");
            }
            if d.scale() <= 8 && fits(d) {
                assert_eq!(decimal_text(d, 8, &mut [0; DECIMAL_TEXT]), format!("{d:.8}"), "{d:?}");
            }
            if fits(d.trunc_with_scale(8)) {
                assert_eq!(fixed8(d), format!("{d:.8}"), "{d:?}");
            }
        }
    }

    #[test]
    fn amount_keeps_every_digit() {
        assert_eq!(amount(Decimal::new(4, 0)), "4.00000000");
        assert_eq!(amount(Decimal::new(151_782, 9)), "0.000151782");
        assert_eq!(amount(Decimal::new(11, 10) * Decimal::from(100)), "0.00000011");
    }
}
