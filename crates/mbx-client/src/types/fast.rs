//! A hand-written reader for the market events that come most often (`trade`, `aggTrade`, depth
//! diffs and partial depth), used by [`super::stream::MarketEvent::parse`] before serde.
//!
//! It reads only the shape Binance sends: one JSON object, keys without escapes, ids as plain
//! unsigned integers, amounts as plain decimal strings of at most 19 digits (see [`super::dec`]),
//! levels as `["price","qty"]` pairs. Keys may come in any order and unknown keys with a simple value
//! (string without escapes, number, `true`, `false`, `null`) are skipped. On anything else (an escape,
//! a nested unknown value, a missing or repeated field, a number with a sign, fraction or exponent,
//! a longer decimal, trailing bytes) it gives up with `None`, and the caller reads the event with
//! serde as before: so an event reads the same either way, and a malformed one gets serde's error.
//!
//! The promise, tested over random and mutated events below: whenever [`trade`], [`agg_trade`],
//! [`depth_update`] or [`partial_depth`] return `Some(v)`, `serde_json::from_str` returns `Ok(v)`
//! for the same bytes.

use rust_decimal::Decimal;

use super::Level;
use super::stream::{AggTradeEvent, DepthUpdateEvent, PartialDepthEvent, Symbol, TradeEvent};

/// A cursor over the event's bytes. Strings are cut at ASCII quotes, so every `&str` it hands out is
/// a slice of the input at character boundaries.
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan { text, bytes: text.as_bytes(), at: 0 }
    }

    /// Skips JSON whitespace.
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.at).copied()
    }

    /// Consumes `c` (after whitespace).
    #[inline]
    fn eat(&mut self, c: u8) -> Option<()> {
        if self.peek()? == c {
            self.at += 1;
            Some(())
        } else {
            None
        }
    }

    /// A string without escapes or control characters: its contents.
    #[inline]
    fn str(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = self.bytes.get(start..)?;
        let len = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        self.at = start + len + 1;
        self.text.get(start..start + len)
    }

    /// An unsigned integer as JSON writes it (no leading zero, no fraction or exponent), within
    /// `u64`.
    #[inline]
    fn u64(&mut self) -> Option<u64> {
        self.ws();
        let start = self.at;
        let mut v: u64 = 0;
        while let Some(&c) = self.bytes.get(self.at) {
            let d = u64::from(c.wrapping_sub(b'0'));
            if d > 9 {
                break;
            }
            // 19 digits cannot overflow; a 20th is checked.
            v = if self.at - start < 19 { v * 10 + d } else { v.checked_mul(10)?.checked_add(d)? };
            self.at += 1;
        }
        let digits = self.at - start;
        if digits == 0 || (digits > 1 && self.bytes[start] == b'0') {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.bytes.get(self.at) {
            return None;
        }
        Some(v)
    }

    /// `true` or `false`.
    #[inline]
    fn bool(&mut self) -> Option<bool> {
        self.ws();
        let rest = self.bytes.get(self.at..)?;
        if rest.starts_with(b"true") {
            self.at += 4;
            Some(true)
        } else if rest.starts_with(b"false") {
            self.at += 5;
            Some(false)
        } else {
            None
        }
    }

    /// A decimal string `"-?[0-9]+(\.[0-9]+)?"` of at most 19 digits, read in one pass into the
    /// same value and scale as `dec::parse_plain` (and so `Decimal::from_str`) gives; negative zero
    /// is left to the general parser, as there.
    #[inline]
    fn dec(&mut self) -> Option<Decimal> {
        self.eat(b'"')?;
        let negative = self.bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let mut mantissa: u64 = 0;
        let mut count = 0u32;
        let mut dot: Option<u32> = None;
        loop {
            let c = *self.bytes.get(self.at)?;
            self.at += 1;
            match c {
                b'0'..=b'9' if count < 19 => {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    count += 1;
                }
                b'.' if dot.is_none() && count > 0 => dot = Some(count),
                b'"' => break,
                _ => return None,
            }
        }
        let scale = match dot {
            _ if count == 0 => return None,
            Some(at) if at == count => return None, // "1." : no digit after the point
            Some(at) => count - at,
            None => 0,
        };
        if negative && mantissa == 0 {
            return None;
        }
        // 19 digits fit in the low 64 bits of the 96-bit mantissa.
        let (lo, mid) = (mantissa as u32, (mantissa >> 32) as u32);
        Some(Decimal::from_parts(lo, mid, 0, negative, scale))
    }

    /// A JSON number, checked against JSON's grammar and not read (as serde's `IgnoredAny` does).
    fn skip_number(&mut self) -> Option<()> {
        let digits = |s: &mut Self| {
            let start = s.at;
            while s.bytes.get(s.at).is_some_and(u8::is_ascii_digit) {
                s.at += 1;
            }
            s.at - start
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        Some(())
    }

    /// Skips the value of a key the event's type does not have: a simple value only.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.str().map(drop),
            b't' | b'f' => self.bool().map(drop),
            b'n' if self.bytes.get(self.at..)?.starts_with(b"null") => {
                self.at += 4;
                Some(())
            }
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    /// `[["p","q"],...]`: a side of a book.
    fn levels(&mut self) -> Option<Vec<Level>> {
        self.eat(b'[')?;
        let mut out = Vec::with_capacity(32);
        if self.peek()? == b']' {
            self.at += 1;
            return Some(out);
        }
        loop {
            self.eat(b'[')?;
            let price = self.dec()?;
            self.eat(b',')?;
            let qty = self.dec()?;
            self.eat(b']')?;
            out.push(Level { price, qty });
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// Reads one object to the end of the input, handing each key to `field`, which reads its value.
    #[inline]
    fn object(mut self, mut field: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                let key = self.str()?;
                self.eat(b':')?;
                field(&mut self, key.as_bytes())?;
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.ws();
        (self.at == self.bytes.len()).then_some(())
    }
}

/// Fills a field once: a repeated field is serde's error, so it is left to serde.
#[inline]
fn set<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

/// A `trade` event, or `None` to read it with serde.
pub(crate) fn trade(data: &str) -> Option<TradeEvent> {
    let (mut e, mut s, mut t, mut p, mut q, mut tt, mut m) = (None, None, None, None, None, None, None);
    Scan::new(data).object(|r, key| match key {
        b"E" => set(&mut e, r.u64()),
        b"s" => set(&mut s, r.str()),
        b"t" => set(&mut t, r.u64()),
        b"p" => set(&mut p, r.dec()),
        b"q" => set(&mut q, r.dec()),
        b"T" => set(&mut tt, r.u64()),
        b"m" => set(&mut m, r.bool()),
        _ => r.skip(),
    })?;
    Some(TradeEvent {
        event_time: e?,
        symbol: Symbol::from(s?),
        trade_id: t?,
        price: p?,
        quantity: q?,
        trade_time: tt?,
        buyer_is_maker: m?,
    })
}

/// An `aggTrade` event, or `None` to read it with serde.
pub(crate) fn agg_trade(data: &str) -> Option<AggTradeEvent> {
    let (mut e, mut s, mut a, mut p, mut q) = (None, None, None, None, None);
    let (mut f, mut l, mut tt, mut m) = (None, None, None, None);
    Scan::new(data).object(|r, key| match key {
        b"E" => set(&mut e, r.u64()),
        b"s" => set(&mut s, r.str()),
        b"a" => set(&mut a, r.u64()),
        b"p" => set(&mut p, r.dec()),
        b"q" => set(&mut q, r.dec()),
        b"f" => set(&mut f, r.u64()),
        b"l" => set(&mut l, r.u64()),
        b"T" => set(&mut tt, r.u64()),
        b"m" => set(&mut m, r.bool()),
        _ => r.skip(),
    })?;
    Some(AggTradeEvent {
        event_time: e?,
        symbol: Symbol::from(s?),
        agg_id: a?,
        price: p?,
        quantity: q?,
        first_trade_id: f?,
        last_trade_id: l?,
        trade_time: tt?,
        buyer_is_maker: m?,
    })
}

/// A depth diff (`depthUpdate`), or `None` to read it with serde.
pub(crate) fn depth_update(data: &str) -> Option<DepthUpdateEvent> {
    let (mut e, mut s, mut first, mut last, mut b, mut a) = (None, None, None, None, None, None);
    Scan::new(data).object(|r, key| match key {
        b"E" => set(&mut e, r.u64()),
        b"s" => set(&mut s, r.str()),
        b"U" => set(&mut first, r.u64()),
        b"u" => set(&mut last, r.u64()),
        b"b" => set(&mut b, r.levels()),
        b"a" => set(&mut a, r.levels()),
        _ => r.skip(),
    })?;
    Some(DepthUpdateEvent {
        event_time: e?,
        symbol: Symbol::from(s?),
        first_update_id: first?,
        final_update_id: last?,
        bids: b?,
        asks: a?,
    })
}

/// A partial depth event (`depth5`, `depth10`, `depth20`), or `None` to read it with serde.
pub(crate) fn partial_depth(data: &str) -> Option<PartialDepthEvent> {
    let (mut id, mut b, mut a) = (None, None, None);
    Scan::new(data).object(|r, key| match key {
        b"lastUpdateId" => set(&mut id, r.u64()),
        b"bids" => set(&mut b, r.levels()),
        b"asks" => set(&mut a, r.levels()),
        _ => r.skip(),
    })?;
    Some(PartialDepthEvent { last_update_id: id?, bids: b?, asks: a? })
}

#[cfg(test)]
mod tests;
