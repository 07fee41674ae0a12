//! Times in microseconds: Binance writes every time of its JSON in milliseconds unless the client
//! asks for microseconds (REST: the `X-MBX-TIME-UNIT` header; the WebSocket API and streams:
//! `timeUnit` in the URL). The sandbox writes milliseconds and, for such a client, rewrites the
//! rendered text with [`rescale`]: the time fields' integers gain three zeros, everything else,
//! field order included, stays byte for byte.
//!
//! Which numbers are times depends on where they stand ([`Place`]): a field's name, the event type
//! of the object holding it (`u` is a time in `outboundAccountPosition`, a trade group id in
//! `executionReport`), and for klines, the position in the candle's array.
//!
//! For example `{"serverTime":1700000000123,"orderId":5}` becomes
//! `{"serverTime":1700000000123000,"orderId":5}` (the tests below show each kind).

/// The unit a client asked for (the rule is mbx-core's).
pub use mbx_core::time::TimeUnit;

/// What kind of JSON is rewritten: each has its own time fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// A REST or WebSocket API answer (`serverTime`, `transactTime`, `time`, `updateTime`, ...).
    Response,
    /// A `klines` / `uiKlines` answer: each candle's open time (index 0) and close time (index 6).
    Klines,
    /// A stream or user data event (`E`, `T`, `O`, `W`, ...; `t` within a kline; `u` in
    /// `outboundAccountPosition`, `t` in `referencePrice`).
    Event,
}

/// The time fields of REST and WebSocket API answers.
const RESPONSE_FIELDS: &[&str] = &[
    "serverTime",
    "transactTime",
    "transactionTime",
    "time",
    "updateTime",
    "workingTime",
    "openTime",
    "closeTime",
    "timestamp",
    "trailingTime",
    "authorizedSince",
    "connectedSince",
    "T",
];

/// Where a number stands.
struct Place<'a> {
    /// The field's name, inside an object.
    key: Option<&'a str>,
    /// The name of the field holding the enclosing object (`k` for a kline).
    parent: Option<&'a str>,
    /// The `e` (event type) of the enclosing object, if it came first.
    event: Option<&'a str>,
    /// The index in the enclosing array and how deep that array is (1: the top level).
    index: Option<(usize, usize)>,
}

/// How a number at `p` is rewritten: `None` when it is no time; otherwise the digits to append
/// (`000`, or `999` for a candle's close time, the last microsecond of its last millisecond).
fn suffix(times: Times, p: &Place<'_>) -> Option<&'static str> {
    let time = match times {
        Times::Response => p.key.is_some_and(|k| RESPONSE_FIELDS.contains(&k)),
        Times::Klines if p.index == Some((6, 2)) => return Some("999"),
        Times::Klines => p.index == Some((0, 2)),
        Times::Event => match p.key {
            Some("T") if p.parent == Some("k") => return Some("999"),
            Some("E" | "T" | "O" | "W" | "D" | "C") => true,
            // A kline's start; `referencePrice`'s time (elsewhere `t` is a trade id).
            Some("t") => p.parent == Some("k") || p.event == Some("referencePrice"),
            Some("u") => p.event == Some("outboundAccountPosition"),
            _ => false,
        },
    };
    time.then_some("000")
}

/// One open container while scanning.
enum Open<'a> {
    Object { key: Option<&'a str>, parent: Option<&'a str>, event: Option<&'a str>, expect_key: bool },
    Array { index: usize, parent: Option<&'a str> },
}

/// `json` with the times of `times` in microseconds (see the module docs). Text that is not JSON
/// comes back unchanged from the first byte the scanner cannot follow.
pub fn rescale(json: &str, times: Times) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 64);
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                let parent = match stack.last() {
                    Some(Open::Object { key, .. }) => *key,
                    Some(Open::Array { parent, .. }) => *parent,
                    None => None,
                };
                stack.push(Open::Object { key: None, parent, event: None, expect_key: true });
                i += 1;
            }
            b'[' => {
                let parent = match stack.last() {
                    Some(Open::Object { key, .. }) => *key,
                    _ => None,
                };
                stack.push(Open::Array { index: 0, parent });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Open::Object { expect_key, key, .. }) => {
                        *expect_key = true;
                        *key = None;
                    }
                    Some(Open::Array { index, .. }) => *index += 1,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let text = json.get(start..j.min(bytes.len())).unwrap_or("");
                match stack.last_mut() {
                    Some(Open::Object { expect_key, key, event, .. }) => {
                        if *expect_key {
                            *key = Some(text);
                            *expect_key = false;
                        } else if *key == Some("e") {
                            *event = Some(text);
                        }
                    }
                    Some(Open::Array { .. }) | None => {}
                }
                i = j + 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                    j += 1;
                }
                let number = &json[start..j];
                let place = match stack.last() {
                    Some(Open::Object { key, parent, event, .. }) => {
                        Place { key: *key, parent: *parent, event: *event, index: None }
                    }
                    Some(Open::Array { index, .. }) => {
                        let depth = stack.iter().filter(|o| matches!(o, Open::Array { .. })).count();
                        Place { key: None, parent: None, event: None, index: Some((*index, depth)) }
                    }
                    None => Place { key: None, parent: None, event: None, index: None },
                };
                // A positive whole number only: `-1` (no time) and `0` stay as they are.
                if number.bytes().all(|b| b.is_ascii_digit())
                    && number != "0"
                    && let Some(digits) = suffix(times, &place)
                {
                    out.push_str(&json[copied..j]);
                    out.push_str(digits);
                    copied = j;
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    out.push_str(&json[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_keep_their_order_and_scale_only_times() {
        let body = r#"{"symbol":"BTCUSDT","orderId":12,"transactTime":1700000000001,"fills":[{"price":"1.00000000","tradeId":77}],"workingTime":1700000000001,"trailingTime":-1}"#;
        assert_eq!(
            rescale(body, Times::Response),
            r#"{"symbol":"BTCUSDT","orderId":12,"transactTime":1700000000001000,"fills":[{"price":"1.00000000","tradeId":77}],"workingTime":1700000000001000,"trailingTime":-1}"#
        );
        let list = r#"[{"time":5,"id":5},{"time":6,"note":"a \"time\": 7"}]"#;
        assert_eq!(
            rescale(list, Times::Response),
            r#"[{"time":5000,"id":5},{"time":6000,"note":"a \"time\": 7"}]"#
        );
    }

    #[test]
    fn klines_scale_the_open_and_close_times() {
        let body = r#"[[1700000000000,"1.0","1.0","1.0","1.0","2.0",1700000059999,"2.0",3,"1.0","1.0","0"]]"#;
        assert_eq!(
            rescale(body, Times::Klines),
            r#"[[1700000000000000,"1.0","1.0","1.0","1.0","2.0",1700000059999999,"2.0",3,"1.0","1.0","0"]]"#
        );
    }

    #[test]
    fn events_know_their_type() {
        let position = r#"{"e":"outboundAccountPosition","E":10,"u":9,"B":[]}"#;
        assert_eq!(
            rescale(position, Times::Event),
            r#"{"e":"outboundAccountPosition","E":10000,"u":9000,"B":[]}"#
        );
        let report = r#"{"e":"executionReport","E":10,"t":4,"u":3,"T":11,"O":9,"W":9}"#;
        assert_eq!(
            rescale(report, Times::Event),
            r#"{"e":"executionReport","E":10000,"t":4,"u":3,"T":11000,"O":9000,"W":9000}"#
        );
        let kline = r#"{"e":"kline","E":10,"k":{"t":1,"T":2,"f":100,"L":200}}"#;
        assert_eq!(
            rescale(kline, Times::Event),
            r#"{"e":"kline","E":10000,"k":{"t":1000,"T":2999,"f":100,"L":200}}"#
        );
        let trade = r#"{"e":"trade","E":10,"t":12345,"T":9}"#;
        assert_eq!(rescale(trade, Times::Event), r#"{"e":"trade","E":10000,"t":12345,"T":9000}"#);
        let reference = r#"{"e":"referencePrice","r":null,"s":"BTCUSDT","t":10}"#;
        assert_eq!(
            rescale(reference, Times::Event),
            r#"{"e":"referencePrice","r":null,"s":"BTCUSDT","t":10000}"#
        );
    }

    #[test]
    fn the_unit_reads_either_case() {
        assert_eq!(TimeUnit::parse("microsecond"), Some(TimeUnit::Microsecond));
        assert_eq!(TimeUnit::parse("MILLISECOND"), Some(TimeUnit::Millisecond));
        assert_eq!(TimeUnit::parse("Microsecond"), Some(TimeUnit::Microsecond));
        assert_eq!(TimeUnit::parse("SECOND"), None);
    }
}
