//! The hand-written reader against serde: same value (and decimal scale) whenever it answers, serde's
//! answer (value or error) through `MarketEvent::parse` always, no panic on any input.

use mbx_core::stream::Stream;
use proptest::prelude::*;
use serde::de::DeserializeOwned;

use super::super::stream::MarketEvent;
use super::*;

/// `fast` against serde over `data`: if `fast` answers, serde answers the same (compared with `Debug`
/// too, which shows each decimal's scale). Returns whether `fast` answered.
fn agrees<T>(fast: Option<T>, data: &str) -> Result<bool, TestCaseError>
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let slow = serde_json::from_str::<T>(data);
    match (fast, slow) {
        (None, _) => Ok(false),
        (Some(f), Ok(s)) => {
            prop_assert_eq!(format!("{f:?}"), format!("{s:?}"), "{}", data);
            prop_assert_eq!(f, s);
            Ok(true)
        }
        (Some(f), Err(e)) => {
            Err(TestCaseError::fail(format!("fast read {f:?} where serde fails ({e}): {data}")))
        }
    }
}

/// Every reader against serde over `data`, and `MarketEvent::parse` against serde for each kind.
fn all_agree(data: &str) -> Result<(), TestCaseError> {
    agrees(trade(data), data)?;
    agrees(agg_trade(data), data)?;
    agrees(depth_update(data), data)?;
    agrees(partial_depth(data), data)?;
    for (stream, serde_says) in [
        ("btcusdt@trade", serde_json::from_str::<TradeEvent>(data).map(MarketEvent::Trade)),
        ("btcusdt@aggTrade", serde_json::from_str::<AggTradeEvent>(data).map(MarketEvent::AggTrade)),
        ("btcusdt@depth@100ms", serde_json::from_str::<DepthUpdateEvent>(data).map(MarketEvent::DepthUpdate)),
        ("btcusdt@depth20", serde_json::from_str::<PartialDepthEvent>(data).map(MarketEvent::PartialDepth)),
    ] {
        let kind = Stream::parse(stream).unwrap().kind;
        let parsed = MarketEvent::parse(kind, data);
        match (parsed, serde_says) {
            (Ok(a), Ok(b)) => prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", data),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "{stream}: parse {a:?}, serde {b:?}: {data}"),
        }
    }
    Ok(())
}

/// A decimal string as Binance writes it, or in odd but valid shapes: 1 to 11 integer digits, 0 to 8
/// decimals, sometimes negative, sometimes with leading zeros.
fn decimal() -> impl Strategy<Value = String> {
    (any::<bool>(), "[0-9]{1,11}", "([0-9]{1,8})?", prop::sample::select(vec!["", "", "", "0", "00"]))
        .prop_map(|(neg, int, frac, lead)| {
            let int = format!("{lead}{}", int.trim_start_matches('0'));
            let int = if int.is_empty() { "0".to_owned() } else { int };
            let sign = if neg { "-" } else { "" };
            if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
        })
}

/// A symbol's JSON text: plain, or with escapes (which leave the fast path).
fn symbol() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Z0-9]{1,20}".prop_map(|s| format!("\"{s}\"")),
        1 => ("[A-Z]{1,8}", prop::sample::select(vec![r"\u0041", r#"\""#, r"\\", r"\/", r"\n", r"\u00e9"]), "[A-Z]{0,8}")
            .prop_map(|(a, esc, b)| format!("\"{a}{esc}{b}\"")),
        1 => "[A-Z]{1,4}é[A-Z]{1,4}".prop_map(|s| format!("\"{s}\"")),
    ]
}

/// Extra keys the event types do not have, with values simple and not.
fn extras() -> impl Strategy<Value = Vec<(String, String)>> {
    let value = prop::sample::select(vec![
        "\"trade\"",
        "true",
        "false",
        "null",
        "0",
        "-12",
        "1.5e-3",
        "3E+7",
        "123456789012345678901234567890",
        "\"x\\\"y\"",
        "[1,2]",
        "{\"k\":1}",
    ]);
    prop::collection::vec(
        (prop::sample::select(vec!["e", "M", "x", "zz", "lastUpdateIdX", "B"]), value)
            .prop_map(|(k, v)| (format!("\"{k}\""), v.to_owned())),
        0..3,
    )
}

/// Whitespace JSON allows between tokens (usually none).
fn ws() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", "", "", "", " ", "\n", " \t\r "])
}

/// A side of a book: 0 to 25 levels.
fn levels() -> impl Strategy<Value = String> {
    prop::collection::vec((decimal(), decimal()), 0..25).prop_map(|ls| {
        let ls: Vec<String> = ls.iter().map(|(p, q)| format!("[\"{p}\",\"{q}\"]")).collect();
        format!("[{}]", ls.join(","))
    })
}

/// An object of `fields` and `extra`, shuffled, with whitespace from `spaces`.
fn object(
    mut fields: Vec<(String, String)>,
    extra: Vec<(String, String)>,
    order: &[usize],
    spaces: &[&str],
) -> String {
    fields.extend(extra);
    let n = fields.len();
    let mut out = String::from(spaces[0]);
    out.push('{');
    for (i, at) in order
        .iter()
        .filter(|&&k| k < n)
        .chain((0..n).filter(|k| !order.contains(k)).collect::<Vec<_>>().iter())
        .enumerate()
    {
        let (k, v) = &fields[*at];
        let w = |j: usize| spaces[(i * 3 + j) % spaces.len()];
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("{}{k}{}:{}{v}{}", w(1), w(2), w(3), w(4)));
    }
    out.push('}');
    out.push_str(spaces[1]);
    out
}

fn pair(k: &str, v: impl ToString) -> (String, String) {
    (format!("\"{k}\""), v.to_string())
}

fn trade_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    (any::<u64>(), symbol(), any::<u64>(), decimal(), decimal(), any::<u64>(), any::<bool>()).prop_map(
        |(e, s, t, p, q, tt, m)| {
            vec![
                pair("E", e),
                pair("s", s),
                pair("t", t),
                pair("p", format!("\"{p}\"")),
                pair("q", format!("\"{q}\"")),
                pair("T", tt),
                pair("m", m),
            ]
        },
    )
}

fn agg_trade_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        any::<u64>(),
        symbol(),
        any::<u64>(),
        decimal(),
        decimal(),
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(|(e, s, a, p, q, f, l, tt, m)| {
            vec![
                pair("E", e),
                pair("s", s),
                pair("a", a),
                pair("p", format!("\"{p}\"")),
                pair("q", format!("\"{q}\"")),
                pair("f", f),
                pair("l", l),
                pair("T", tt),
                pair("m", m),
            ]
        })
}

fn depth_update_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    (any::<u64>(), symbol(), any::<u64>(), any::<u64>(), levels(), levels()).prop_map(
        |(e, s, first, last, b, a)| {
            vec![pair("E", e), pair("s", s), pair("U", first), pair("u", last), pair("b", b), pair("a", a)]
        },
    )
}

fn partial_depth_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    (any::<u64>(), levels(), levels())
        .prop_map(|(id, b, a)| vec![pair("lastUpdateId", id), pair("bids", b), pair("asks", a)])
}

/// Any of the four events, in any order, with extras and whitespace.
fn event() -> impl Strategy<Value = String> {
    let fields =
        prop_oneof![trade_fields(), agg_trade_fields(), depth_update_fields(), partial_depth_fields()];
    (
        fields,
        extras(),
        Just((0..12).collect::<Vec<usize>>()).prop_shuffle(),
        any::<bool>(),
        prop::collection::vec(ws(), 2..6),
    )
        .prop_map(|(fields, extra, order, shuffle, spaces)| {
            let order: Vec<usize> = if shuffle { order } else { (0..12).collect() };
            object(fields, extra, &order, &spaces)
        })
}

/// Changes to a valid event that may break it: cut, a byte replaced, inserted or removed, a field
/// repeated.
fn mutated() -> impl Strategy<Value = String> {
    let junk = prop::sample::select(vec![
        b'"', b',', b':', b'{', b'}', b'[', b']', b'-', b'+', b'.', b'0', b'1', b'9', b'e', b' ', b'\\',
        b'x', b'\n', 0x01,
    ]);
    (event(), prop::collection::vec((0usize..4, any::<prop::sample::Index>(), junk), 1..4)).prop_map(
        |(data, edits)| {
            let mut bytes = data.into_bytes();
            for (op, at, c) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                // Only ASCII positions are touched, so the text stays UTF-8.
                if !bytes[i].is_ascii() {
                    continue;
                }
                match op {
                    0 => bytes.truncate(i),
                    1 => bytes[i] = c,
                    2 => bytes.insert(i, c),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            String::from_utf8(bytes).unwrap_or_default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_fast_path_and_serde_agree_on_valid_events(data in event()) {
        all_agree(&data)?;
        // Each valid event is one of the four; it must read.
        let read = [
            serde_json::from_str::<TradeEvent>(&data).is_ok(),
            serde_json::from_str::<AggTradeEvent>(&data).is_ok(),
            serde_json::from_str::<DepthUpdateEvent>(&data).is_ok(),
            serde_json::from_str::<PartialDepthEvent>(&data).is_ok(),
        ];
        prop_assert!(read.iter().any(|&r| r), "{}", data);
    }

    #[test]
    fn the_fast_path_takes_the_shape_binance_sends(fields in prop_oneof![trade_fields(), agg_trade_fields()], order in Just((0..9).collect::<Vec<usize>>()).prop_shuffle()) {
        // Without escapes, the fast path answers, except for the amounts it leaves to the general
        // decimal parser: negative zero and more than 19 digits.
        prop_assume!(!fields.iter().any(|(_, v)| v.contains('\\')));
        let data = object(fields, vec![pair("e", "\"trade\""), pair("M", true)], &order, &["", ""]);
        let answered = agrees(trade(&data), &data)? || agrees(agg_trade(&data), &data)?;
        let general = serde_json::from_str::<serde_json::Value>(&data).unwrap().as_object().unwrap().iter().any(|(k, v)| {
            (k == "p" || k == "q")
                && v.as_str().is_some_and(|s| {
                    let negative_zero = s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty();
                    negative_zero || s.bytes().filter(u8::is_ascii_digit).count() > 19
                })
        });
        prop_assert!(answered || general, "{}", data);
    }

    #[test]
    fn malformed_events_give_serdes_answer_and_never_panic(data in mutated()) {
        all_agree(&data)?;
    }

    #[test]
    fn arbitrary_text_never_panics(data in "\\PC{0,80}") {
        all_agree(&data)?;
    }
}

#[test]
fn the_bench_events_take_the_fast_path() {
    let t = r#"{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.00100000","q":"100.00000000","T":1672515782136,"m":true,"M":true}"#;
    let f = trade(t).unwrap();
    assert_eq!((f.price.to_string(), f.quantity.to_string()), ("0.00100000".into(), "100.00000000".into()));
    assert_eq!(f, serde_json::from_str(t).unwrap());
    let a = r#"{"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.00100000","q":"100.00000000","f":100,"l":105,"T":1672515782136,"m":true,"M":true}"#;
    assert_eq!(agg_trade(a).unwrap(), serde_json::from_str(a).unwrap());
    let d = r#"{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}"#;
    assert_eq!(partial_depth(d).unwrap(), serde_json::from_str(d).unwrap());
    let u = r#"{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}"#;
    assert_eq!(depth_update(u).unwrap(), serde_json::from_str(u).unwrap());
}

#[test]
fn odd_shapes_are_left_to_serde() {
    let base = r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false}"#;
    assert!(trade(base).is_some());
    for (case, serde_ok) in [
        // A repeated field is serde's error.
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","p":"1.5","q":"2","T":3,"m":false}"#, false),
        // A missing one too.
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","T":3,"m":false}"#, false),
        // An escape in the symbol reads, through serde.
        (r#"{"E":1,"s":"BNB\u0042TC","t":2,"p":"1.5","q":"2","T":3,"m":false}"#, true),
        // A JSON number for an amount reads, through serde.
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":1.5,"q":"2","T":3,"m":false}"#, true),
        // Negative zero and a 20-digit amount: the general decimal parser.
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"-0.0","q":"2","T":3,"m":false}"#, true),
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"12345678901234567890","q":"2","T":3,"m":false}"#, true),
        // Leading zeros, signs, fractions, exponents in ids: serde's error.
        (r#"{"E":01,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false}"#, false),
        (r#"{"E":1.0,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false}"#, false),
        (r#"{"E":1e3,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false}"#, false),
        (r#"{"E":18446744073709551616,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false}"#, false),
        // Trailing bytes, a control character, an unknown nested value, the array form of a struct.
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false} x"#, false),
        ("{\"E\":1,\"s\":\"BNB\u{1}BTC\",\"t\":2,\"p\":\"1.5\",\"q\":\"2\",\"T\":3,\"m\":false}", false),
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false,"x":{"y":[1]}}"#, true),
        (r#"[1,"BNBBTC",2,"1.5","2",3,false]"#, true),
        // A bad unknown number is serde's error too.
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false,"x":1.}"#, false),
        (r#"{"E":1,"s":"BNBBTC","t":2,"p":"1.5","q":"2","T":3,"m":false,"x":-}"#, false),
    ] {
        assert!(trade(case).is_none(), "{case}");
        let kind = Stream::parse("bnbbtc@trade").unwrap().kind;
        assert_eq!(MarketEvent::parse(kind, case).is_ok(), serde_ok, "{case}");
    }
    // A level with a third element reads (the extra is ignored), through serde.
    let d = r#"{"lastUpdateId":1,"bids":[["1","2","x"]],"asks":[]}"#;
    assert!(partial_depth(d).is_none());
    let kind = Stream::parse("bnbbtc@depth5").unwrap().kind;
    assert!(MarketEvent::parse(kind, d).is_ok());
}
