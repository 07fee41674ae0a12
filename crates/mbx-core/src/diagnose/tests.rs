//! Unit tests of the diagnosis engine; the corpus of real-world cases is in `tests/doctor-cases/`.

use super::*;
use crate::Params;
use crate::payload::{Placement, RestPayload};
use crate::sign::{HmacSigner, Signer};

const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const NOW: Timestamp = Timestamp::Millis(1_499_827_319_559);

fn ctx() -> Context {
    Context::hmac(SecretBytes::from(SECRET)).at(NOW.offset_millis(150))
}

/// The causes of the slips the source reader finds in `text`, in order.
fn code(text: &str) -> Vec<Cause> {
    source::read(text).into_iter().map(|s| s.cause).collect()
}

fn hmac(payload: &str) -> String {
    HmacSigner::new(SECRET.as_bytes()).sign(payload.as_bytes()).as_str().to_owned()
}

fn order() -> Params {
    Params::new()
        .text("symbol", "BTCUSDT")
        .text("side", "BUY")
        .text("type", "MARKET")
        .text("quantity", "1")
        .text("timestamp", NOW.to_string())
}

fn get(url_query: &str, headers: &[(&str, &str)]) -> RequestRecord {
    let headers = headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    RequestRecord::new("POST", &format!("https://api.binance.com/api/v3/order?{url_query}"), headers, "")
        .unwrap()
}

fn correct() -> RequestRecord {
    let signed = RestPayload::render(&order(), Placement::Query)
        .sign(&Signer::Hmac(HmacSigner::new(SECRET.as_bytes())));
    get(signed.query(), &[("X-MBX-APIKEY", KEY)])
}

#[test]
fn diagnose_correct_request_is_accepted_without_findings() {
    let d = diagnose(&correct(), &ctx());
    assert_eq!(d.verdict, Verdict { code: 0, msg: ACCEPTED.into(), status: 200 });
    assert!(d.findings.is_empty(), "{:?}", d.findings);
    let d = diagnose(&correct(), &Context::default());
    assert_eq!(d.verdict.msg, ACCEPTED_UNCHECKED);
    assert!(d.findings.is_empty());
}

#[test]
fn seed_000_axios_authorization_header_gets_2014() {
    let mut r = correct();
    r.headers = vec![("Authorization".into(), format!("X-MBX-APIKEY: {KEY}"))];
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, -2014);
    assert_eq!(d.verdict.msg, "API-key format invalid.");
    assert_eq!(d.findings[0].cause, Cause::KeyInHeaderValue);
}

#[test]
fn seed_001_key_as_url_parameter_gets_2014() {
    let q = format!("timestamp={NOW}&apiKey={KEY}");
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(&q)), &[]), &ctx());
    assert_eq!(d.verdict.code, -2014);
    assert!(d.has(Cause::KeyAsParameter));
}

#[test]
fn seed_002_dart_signs_json_before_timestamp_gets_1022() {
    // Dart: signature = HMAC(jsonEncode(queryParams)); timestamp added afterwards.
    let json = r#"{"symbol":"BTCUSDT"}"#;
    let q = format!("symbol=BTCUSDT&signature={}&timestamp={NOW}", hmac(json));
    let d = diagnose(&get(&q, &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.verdict.code, -1022);
    assert!(d.has(Cause::SignedJson), "{:?}", d.findings);
    assert!(d.has(Cause::SignedBeforeTimestamp), "{:?}", d.findings);
    assert!(d.findings[0].evidence.contains(json));
}

#[test]
fn seed_003_article_base64_decoded_secret_and_api_key_param() {
    use base64::Engine;
    let decoded = base64::engine::general_purpose::URL_SAFE.decode(SECRET).unwrap();
    let q = format!("api_key={KEY}&timestamp={NOW}");
    let sig = HmacSigner::new(&decoded).sign(q.as_bytes());
    let d = diagnose(&get(&format!("{q}&signature={sig}"), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.verdict.code, -1022);
    assert!(d.has(Cause::SecretBase64Decoded), "{:?}", d.findings);
    assert!(d.has(Cause::KeyAsParameter));
}

#[test]
fn timestamp_in_seconds_gets_1021() {
    let q = "symbol=BTCUSDT&timestamp=1499827319";
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(q)), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.verdict.code, -1021);
    assert_eq!(d.verdict.msg, "Timestamp for this request is outside of the recvWindow.");
    assert_eq!(d.findings[0].cause, Cause::TimestampSeconds);
}

#[test]
fn trailing_newline_echo_without_n() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let sig = hmac(&format!("{q}\n"));
    let d = diagnose(&get(&format!("{q}&signature={sig}"), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.verdict.code, -1022);
    assert_eq!(d.findings[0].cause, Cause::SignedTrailingNewline);
    // dash's echo prints -e as text (`echo -e "$Q" | openssl ...`).
    let sig = hmac(&format!("-e {q}\n"));
    let d = diagnose(&get(&format!("{q}&signature={sig}"), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedTrailingNewline);
    assert!(d.findings[0].evidence.contains("-e symbol=BTCUSDT"), "{:?}", d.findings[0]);
}

/// Postman's pre-request script signed `pm.request.url.getQueryString()`: the variables' names,
/// not the values sent, with and without the signature's own placeholder.
#[test]
fn signed_before_the_template_variables_were_filled_in() {
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let template = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={{timestamp}}";
    for signed in [template.to_owned(), format!("{template}&signature={{{{signature}}}}")] {
        let d = diagnose(&get(&format!("{q}&signature={}", hmac(&signed)), &[("X-MBX-APIKEY", KEY)]), &ctx());
        assert_eq!(
            (d.verdict.code, d.findings[0].cause),
            (-1022, Cause::SignedUnresolvedVariable),
            "{signed}"
        );
        assert!(d.findings[0].fix.contains("pm.environment.set"), "{:?}", d.findings[0]);
    }
}

#[test]
fn unencoded_plus_in_base64_signature() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let d = diagnose(
        &get(&format!("{q}&signature=ab+cd/ef=="), &[("X-MBX-APIKEY", KEY)]),
        &Context::default().at(NOW),
    );
    assert_eq!(d.verdict.code, -1022);
    assert!(d.has(Cause::SignaturePlusNotEncoded));
}

#[test]
fn missing_signature_and_timestamp_get_1102() {
    let d = diagnose(&get("symbol=BTCUSDT", &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.verdict.code, -1102);
    assert!(d.has(Cause::TimestampMissing) && d.has(Cause::SignatureMissing));
}

#[test]
fn public_endpoint_needs_nothing() {
    let r = RequestRecord::new("GET", "https://api.binance.com/api/v3/time", vec![], "").unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, 0);
    assert!(d.findings.is_empty());
}

#[test]
fn every_cause_id_is_unique_kebab_case() {
    let mut ids: Vec<&str> = Cause::ALL.iter().map(|c| c.id()).collect();
    assert!(
        ids.iter().all(|id| id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    );
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), Cause::ALL.len());
}

#[test]
fn a_tiny_timestamp_is_named_for_what_it_is_not_seconds() {
    for (ts, cause) in [("1", Cause::TimestampTooOld), ("1499827319", Cause::TimestampSeconds)] {
        let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={ts}");
        let req = get(&format!("{q}&signature={}", hmac(&q)), &[("X-MBX-APIKEY", KEY)]);
        let d = diagnose(&req, &ctx());
        assert_eq!(d.verdict.code, -1021, "{ts}");
        assert_eq!(d.findings[0].cause, cause, "{ts}: {:?}", d.findings);
    }
}

#[test]
fn the_first_finding_explains_the_verdict_and_evidence_is_ascii() {
    // A malformed key and a timestamp in seconds: Binance stops at the key.
    let req = get("timestamp=1499827319&signature=00", &[("X-MBX-APIKEY", "abc")]);
    let d = diagnose(&req, &ctx());
    assert_eq!(d.verdict.code, -2014);
    assert_eq!(d.findings[0].cause, Cause::KeyFormat, "{:?}", d.findings);
    let long = get("timestamp=1499827319559&signature=00", &[("X-MBX-APIKEY", &"k".repeat(80))]);
    let d = diagnose(&long, &ctx());
    assert!(d.findings.iter().all(|f| f.evidence.is_ascii()), "{:?}", d.findings);
}

#[test]
fn empty_key_empty_signature_and_mangled_timestamp_are_named() {
    let q = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp=1499827319559";
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(q)), &[("X-MBX-APIKEY", "")]), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2014, Cause::KeyEmpty), "{:?}", d.findings);
    let d = diagnose(&get(&format!("{q}&signature="), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, Cause::SignatureMissing), "{:?}", d.findings);
    assert_eq!(d.findings[0].title, "the signature parameter is empty");
    let mangled = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1%C3%97tamp=1499827319559";
    let d =
        diagnose(&get(&format!("{mangled}&signature={}", hmac(mangled)), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.verdict.code, -1102);
    assert_eq!(d.findings[0].cause, Cause::HtmlMangledAmpersand, "{:?}", d.findings);
}

#[test]
fn the_secret_sent_as_key_or_signature_is_named_and_never_shown() {
    let q = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp=1499827319559";
    // The secret as the API key: Binance has no such key (-2015), even with a valid signature.
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(q)), &[("X-MBX-APIKEY", SECRET)]), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::SecretAsApiKey), "{:?}", d.findings);
    // The secret pasted as the signature.
    let d = diagnose(&get(&format!("{q}&signature={SECRET}"), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::SecretAsSignature), "{:?}", d.findings);
    for f in &d.findings {
        assert!(!format!("{} {} {}", f.title, f.evidence, f.fix).contains(&SECRET[..8]), "{f:?}");
    }
}

#[test]
fn a_quoted_secret_and_a_time_zone_offset_are_named() {
    // Signed with the secret in quotes (a .env value quoted twice).
    let q = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp=1499827319559";
    let quoted = HmacSigner::new(format!("\"{SECRET}\"").as_bytes()).sign(q.as_bytes()).as_str().to_owned();
    let d = diagnose(&get(&format!("{q}&signature={quoted}"), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::SecretQuoted), "{:?}", d.findings);
    // Three hours behind: local time taken for UTC.
    let ts = NOW.as_millis() - 3 * 3_600_000 + 40_000;
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={ts}");
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(&q)), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1021, Cause::TimestampTimeZone), "{:?}", d.findings);
    assert!(d.findings[0].title.contains("3 hour(s) behind"), "{}", d.findings[0].title);
    // India's 5:30 and Nepal's 5:45 ahead, with a moment between taking the time and sending it;
    // 20 minutes off is no time zone.
    for (off_ms, named) in [
        (5 * 3_600_000 + 1_800_000 - 900, Some("5 h 30 min ahead")),
        (5 * 3_600_000 + 2_700_000 + 400, Some("5 h 45 min ahead")),
        (1_200_000, None),
    ] {
        let ts = NOW.as_millis() + off_ms;
        let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={ts}");
        let d = diagnose(&get(&format!("{q}&signature={}", hmac(&q)), &[("X-MBX-APIKEY", KEY)]), &ctx());
        match named {
            Some(text) => {
                assert_eq!(d.findings[0].cause, Cause::TimestampTimeZone, "{:?}", d.findings);
                assert!(d.findings[0].title.contains(text), "{}", d.findings[0].title);
            }
            None => assert_eq!(d.findings[0].cause, Cause::TimestampAhead, "{:?}", d.findings),
        }
    }
}

#[test]
fn hmac_for_an_ed25519_key_and_a_doubly_encoded_signature_are_named() {
    let der = crate::keys::generate_ed25519().unwrap();
    let signer = crate::sign::Ed25519Signer::from_pkcs8_der(&der).unwrap();
    let ctx = Context::key(Verifier::Ed25519(signer.verifier())).at(NOW.offset_millis(150));
    let q = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp=1499827319559";
    // An HMAC signature (64 hex digits) sent for an Ed25519 key.
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(q)), &[("X-MBX-APIKEY", KEY)]), &ctx);
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::SignatureHexForAsymmetricKey));
    assert!(d.findings[0].title.starts_with("you signed with HMAC-SHA256"), "{}", d.findings[0].title);
    // The right signature, percent-encoded twice.
    let sig = signer.sign(q.as_bytes());
    let once = crate::encode::percent_encode(sig.as_str());
    let twice = crate::encode::percent_encode(&once);
    assert!(twice.contains("%25"), "{twice}");
    let d = diagnose(&get(&format!("{q}&signature={twice}"), &[("X-MBX-APIKEY", KEY)]), &ctx);
    assert_eq!(d.verdict.code, -1022);
    assert!(d.has(Cause::SignatureEncodedTwice), "{:?}", d.findings);
}

#[test]
fn digests_printed_as_languages_print_bytes_are_read_back() {
    let digest: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37).wrapping_add(200)).collect();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let dashed: String = digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join("-");
    let java: String =
        format!("[{}]", digest.iter().map(|b| (*b as i8).to_string()).collect::<Vec<_>>().join(", "));
    // Python's repr: \x escapes, printable bytes as they are, a quote escaped inside.
    let python = "b'\\x00a\\'\\\\\\n'";
    assert_eq!(python_bytes(python), Some(vec![0, b'a', b'\'', b'\\', b'\n']));
    assert_eq!(python_bytes("b\"'\""), Some(vec![b'\'']));
    assert_eq!(python_bytes("b'\\x9"), None);
    for (sent, form) in [
        (dashed.as_str(), "BitConverter"),
        (java.as_str(), "byte array"),
        (&format!("0x{hex}"), "0x"),
        (&format!("SHA2-256(stdin)= {hex}\n"), "(stdin)"),
        (&format!("{hex} *stdin"), "file-name"),
        (&format!("{hex}\n"), "line ending"),
    ] {
        let (title, _, bare) = unwrap_hex(sent).unwrap_or_else(|| panic!("{form}: not read"));
        assert!(title.contains(form), "{form}: {title}");
        assert_eq!(bare.map(|b| b.to_ascii_lowercase()).as_deref(), Some(hex.as_str()), "{form}");
    }
    assert!(matches!(unwrap_hex("[B@1b6d3586"), Some((_, _, None))));
    // Bare hex and base64 are left alone.
    assert!(unwrap_hex(&hex).is_none());
    assert!(unwrap_hex("aGVsbG8gd29ybGQ+Lw==").is_none());
    assert!(printed_byte_array("[1, 2, 3]").is_none(), "too short for a digest");
}

#[test]
fn timestamps_finer_than_microseconds_are_named() {
    let ms = NOW.as_millis();
    assert!(finer_than_micros(ms * 1_000_000, true).is_some_and(|(t, _)| t.contains("nanoseconds")));
    assert!(
        finer_than_micros(621_355_968_000_000_000 + ms * 10_000, true)
            .is_some_and(|(t, _)| t.contains("ticks"))
    );
    assert!(finer_than_micros(ms * 1000, true).is_none(), "microseconds are Binance's own");
    assert!(finer_than_micros(ms, false).is_none());
    // 100 ns units since 1970 (MSVC's system_clock), sent as 17 digits; not milliseconds since the
    // year 1 (14 digits, 17 once read as microseconds).
    assert!(finer_than_micros(ms * 10_000 + 4567, true).is_some_and(|(t, _)| t.contains("100-nanosecond")));
    assert!(finer_than_micros((ms + 62_135_596_800_000) * 1000, false).is_none());
}

/// A request signed correctly over `params` (in the query string).
fn signed(params: &Params) -> RequestRecord {
    let signed =
        RestPayload::render(params, Placement::Query).sign(&Signer::Hmac(HmacSigner::new(SECRET.as_bytes())));
    get(signed.query(), &[("X-MBX-APIKEY", KEY)])
}

#[test]
fn values_the_handler_refuses_are_the_verdict_once_the_request_is_accepted() {
    let limit = order().text("type", "LIMIT").text("price", "60000");
    let mut cases = vec![
        // Java's Double.toString, a number written with an exponent.
        (order().text("quantity", "1.0E-4"), -1100, Cause::ParamMalformed, "quantity=1.0E-4"),
        (order().text("quantity", "1,5"), -1100, Cause::ParamMalformed, "quantity=1,5"),
        (limit.clone(), -1102, Cause::OrderTerms, "'timeInForce'"),
        (order().text("price", "1"), -1106, Cause::OrderTerms, "'price'"),
        (order().text("side", "buy"), -1117, Cause::OrderTerms, "side=buy"),
    ];
    // The Params builder replaces a value of the same name: every case has one quantity, one type.
    cases.push((
        limit.text("timeInForce", "GTC").text("newClientOrderId", "ordre-été"),
        -1100,
        Cause::ParamMalformed,
        "newClientOrderId",
    ));
    for (params, code, cause, evidence) in cases {
        let d = diagnose(&signed(&params), &ctx());
        assert_eq!(d.verdict.code, code, "{params:?}: {:?}", d.verdict);
        assert_eq!(d.findings.len(), 1, "{params:?}: {:?}", d.findings);
        assert_eq!(d.findings[0].cause, cause);
        assert!(d.findings[0].title.contains(evidence), "{}", d.findings[0].title);
    }
    // A GET's whole-number parameter, on a public endpoint.
    let r = RequestRecord::new(
        "GET",
        "https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=5.0",
        vec![],
        "",
    )
    .unwrap();
    let d = diagnose(&r, &Context::default());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1100, Cause::ParamMalformed));
    assert!(d.findings[0].fix.contains("whole number"), "{}", d.findings[0].fix);
}

#[test]
fn a_malformed_value_is_named_beside_an_earlier_rejection() {
    // The signature is wrong and the quantity has an exponent: Binance answers -1022 first, the
    // quantity is the next thing it would refuse.
    let mut r = signed(&order().text("quantity", "1e-3"));
    r.query = r.query.replace("signature=", "signature=0");
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, -1022);
    assert!(d.findings.iter().any(|f| f.cause == Cause::ParamMalformed), "{:?}", d.findings);
    assert_ne!(d.findings[0].cause, Cause::ParamMalformed, "the signature's finding comes first");
}

#[test]
fn ws_api_order_place_values_are_checked_too() {
    let frame = |quantity: &str| {
        let params = format!(
            r#"{{"apiKey":"{KEY}","quantity":"{quantity}","side":"BUY","symbol":"BTCUSDT","timestamp":{},"type":"MARKET"}}"#,
            NOW.as_millis()
        );
        let v: serde_json::Value = serde_json::from_str(&params).unwrap();
        let payload: Vec<String> = {
            let mut pairs: Vec<(String, String)> = v
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect();
            pairs.sort();
            pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect()
        };
        let signature = hmac(&payload.join("&"));
        let mut v = v;
        v["signature"] = signature.into();
        serde_json::json!({"id": 1, "method": "order.place", "params": v}).to_string()
    };
    assert_eq!(diagnose_ws(&frame("0.001"), None, &ctx()).verdict.code, 0);
    let d = diagnose_ws(&frame("1E-3"), None, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1100, Cause::ParamMalformed), "{:?}", d.findings);
    // The same frames inside a log line (Python's websockets at debug level): read as the frame.
    let logged = |f: String| format!("2026-12-05 12:00:00 DEBUG websockets.client: > TEXT '{f}' [212 bytes]");
    assert_eq!(diagnose_ws(&logged(frame("0.001")), None, &ctx()).verdict.code, 0);
    let d = diagnose_ws(&logged(frame("1E-3")), None, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1100, Cause::ParamMalformed), "{:?}", d.findings);
}

#[test]
fn public_requests_get_the_value_checks_of_their_endpoint() {
    let cases = [
        ("/api/v3/klines?symbol=btcusdt&interval=1m", -1121, Cause::SymbolLowerCase),
        ("/api/v3/klines?symbol=BTCUSDT&interval=1min", -1120, Cause::ParamMalformed),
        ("/api/v3/ticker/price?symbols=BTCUSDT,ETHUSDT", -1100, Cause::ParamMalformed),
        ("/api/v3/ticker/price?symbols=%5B%22ethusdt%22%5D", -1121, Cause::SymbolLowerCase),
        ("/api/v3/ticker/price?symbols=%5B%5D", -1102, Cause::ParamMalformed),
    ];
    for (target, code, cause) in cases {
        let r = RequestRecord::new("GET", &format!("https://api.binance.com{target}"), vec![], "").unwrap();
        let d = diagnose(&r, &Context::default());
        assert_eq!((d.verdict.code, d.findings.first().map(|f| f.cause)), (code, Some(cause)), "{target}");
    }
    let ok = RequestRecord::new(
        "GET",
        "https://api.binance.com/api/v3/ticker/price?symbols=%5B%22BTCUSDT%22%5D",
        vec![],
        "",
    );
    assert_eq!(diagnose(&ok.unwrap(), &Context::default()).verdict.code, 0);
}

#[test]
fn paths_and_methods_binance_does_not_serve_are_named() {
    let r = RequestRecord::new("GET", "https://api.binance.com/api/v3/orders?symbol=BTCUSDT", vec![], "")
        .unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!((d.verdict.code, d.verdict.status), (-404, 404));
    assert_eq!(d.findings[0].cause, Cause::PathUnknown);
    assert!(d.findings[0].title.contains("/api/v3/order"), "{}", d.findings[0].title);
    // The account exists, for GET.
    let r =
        RequestRecord::new("POST", "https://api.binance.com/api/v3/account?timestamp=1", vec![], "").unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-405, Cause::PathUnknown));
    assert!(d.findings[0].fix.contains("GET /api/v3/account"), "{}", d.findings[0].fix);
    // SAPI is larger than the table: an unknown SAPI path is not called unknown.
    let r = RequestRecord::new(
        "GET",
        "https://api.binance.com/sapi/v1/capital/deposit/hisrec?timestamp=1",
        vec![],
        "",
    );
    assert!(diagnose(&r.unwrap(), &ctx()).findings.iter().all(|f| f.cause != Cause::PathUnknown));
    // The Spot Test Network has no SAPI at all.
    let r = RequestRecord::new(
        "GET",
        "https://testnet.binance.vision/sapi/v1/capital/config/getall?timestamp=1",
        vec![],
        "",
    );
    let d = diagnose(&r.unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-404, Cause::PathUnknown));
    assert!(d.findings[0].fix.contains("only on live Binance"), "{}", d.findings[0].fix);
}

#[test]
fn a_new_order_sent_with_get_is_named_before_the_unread_parameters() {
    let signed = RestPayload::render(&order(), Placement::Query)
        .sign(&Signer::Hmac(HmacSigner::new(SECRET.as_bytes())));
    let r = RequestRecord::new(
        "GET",
        &format!("https://api.binance.com/api/v3/order?{}", signed.query()),
        vec![("X-MBX-APIKEY".into(), KEY.into())],
        "",
    )
    .unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, -1104);
    assert_eq!(d.findings[0].cause, Cause::MethodWrong, "{:?}", d.findings);
    assert!(d.findings[0].fix.contains("POST"));
}

#[test]
fn another_exchange_s_headers_are_named_with_the_exchange() {
    let headers = [
        ("OK-ACCESS-KEY", KEY),
        ("OK-ACCESS-SIGN", "c2lnbmF0dXJl"),
        ("OK-ACCESS-TIMESTAMP", "2017-07-12T02:41:59.559Z"),
    ];
    let r = RequestRecord::new(
        "GET",
        "https://api.binance.com/api/v3/account",
        headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        "",
    )
    .unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, -2014);
    assert_eq!(d.findings[0].cause, Cause::OtherExchangeHeaders);
    assert!(d.findings[0].title.contains("OKX"), "{}", d.findings[0].title);
    let named =
        |cause| d.findings.iter().find(|f| f.cause == cause).map(|f| f.title.clone()).unwrap_or_default();
    assert!(named(Cause::TimestampMissing).contains("OK-ACCESS-TIMESTAMP"));
    assert!(named(Cause::SignatureInHeader).contains("OK-ACCESS-SIGN"));
    // Binance's own request has none of it.
    assert!(diagnose(&correct(), &ctx()).findings.is_empty());
}

#[test]
fn multipart_fields_are_named_and_judged_as_a_form_would_be() {
    let payload = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let form = |sig: &str| {
        let fields: String = payload
            .split('&')
            .chain([format!("signature={sig}").as_str()])
            .map(|kv| format!(" -F {kv}"))
            .collect();
        RequestRecord::from_curl(&format!(
            "curl -H 'X-MBX-APIKEY: {KEY}' https://api.binance.com/api/v3/order{fields}"
        ))
        .unwrap()
    };
    let right = form(&hmac(&payload));
    assert_eq!(right.method, "POST");
    assert!(right.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    let d = diagnose(&right, &ctx());
    assert_eq!(d.verdict.code, -1102);
    let causes: Vec<&str> = d.findings.iter().map(|f| f.cause.id()).collect();
    // What a body Binance does not read lacks is no finding of its own, nor its raw line ends.
    assert_eq!(causes, ["body-multipart"], "{:?}", d.findings);
    let evidence = &d.findings[0].evidence;
    assert!(evidence.contains("parts: symbol, side, type, quantity, timestamp, signature"), "{evidence}");
    assert!(evidence.contains("would be accepted: the signature matches them"), "{evidence}");

    let wrong = diagnose(&form(&hmac(&format!("{payload}&"))), &ctx());
    assert_eq!(wrong.findings[0].cause, Cause::BodyMultipart);
    assert!(wrong.findings[0].evidence.contains("would still answer -1022"), "{:?}", wrong.findings[0]);
    let unchecked = diagnose(&right, &Context::default().at(NOW.offset_millis(150)));
    assert!(unchecked.findings[0].evidence.contains("no key was given"), "{:?}", unchecked.findings[0]);
}

#[test]
fn curl_refuses_form_fields_with_data_as_curl_does() {
    let err =
        RequestRecord::from_curl("curl https://api.binance.com/api/v3/order -F a=1 -d b=2").unwrap_err();
    assert!(err.to_string().contains("-F and -d"), "{err}");
}

#[test]
fn ws_params_encoded_twice_or_as_an_array_are_named() {
    let params = format!(r#"{{"apiKey":"{KEY}","timestamp":{NOW}}}"#);
    let twice = serde_json::json!({"id": 1, "method": "account.status", "params": params}).to_string();
    let d = diagnose_ws(&twice, None, &ctx());
    assert_eq!(d.verdict.code, -1135);
    assert_eq!(d.findings[0].cause, Cause::FrameNotJson);
    assert!(d.findings[0].title.contains("encoded again"), "{:?}", d.findings[0]);
    let array = format!(r#"{{"id":1,"method":"account.status","params":[{params}]}}"#);
    let d = diagnose_ws(&array, None, &ctx());
    assert!(d.findings[0].title.contains("is an array"), "{:?}", d.findings[0]);
}

#[test]
fn a_timestamp_signed_apart_from_the_one_sent_is_found_within_its_bounds() {
    let sent = format!("symbol=BTCUSDT&timestamp={NOW}");
    let with = |signed_ms: i64| {
        let signed = format!("symbol=BTCUSDT&timestamp={}", NOW.offset_millis(signed_ms));
        get(&format!("{sent}&signature={}", hmac(&signed)), &[("X-MBX-APIKEY", KEY)])
    };
    for (offset, found) in [(-1, true), (-500, true), (-501, false), (100, true), (101, false)] {
        let d = diagnose(&with(offset), &ctx());
        assert_eq!(d.verdict.code, -1022);
        let cause = if found { Cause::SignedOtherTimestamp } else { Cause::SignatureMismatch };
        assert_eq!(d.findings[0].cause, cause, "{offset}: {:?}", d.findings[0]);
    }
    let d = diagnose(&with(-3), &ctx());
    assert!(d.findings[0].title.contains("the one sent 3 ms later"), "{}", d.findings[0].title);
}

#[test]
fn a_parameter_added_after_signing_is_named() {
    let signed = format!("symbol=BTCUSDT&timestamp={NOW}");
    let sent = format!("symbol=BTCUSDT&limit=5&timestamp={NOW}&signature={}", hmac(&signed));
    let d = diagnose(&get(&sent, &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedBeforeParam);
    assert!(d.findings[0].title.ends_with("limit is sent but was not signed"), "{}", d.findings[0].title);
}

#[test]
fn logon_with_another_key_than_ed25519_gets_1022_and_the_user_stream_without_logon_1002() {
    let payload = format!("apiKey={KEY}&timestamp={NOW}");
    let frame = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{KEY}","timestamp":{NOW},"signature":"{}"}}}}"#,
        hmac(&payload)
    );
    for ctx in [ctx(), Context::default().at(NOW.offset_millis(150))] {
        let d = diagnose_ws(&frame, None, &ctx);
        assert_eq!(d.verdict.code, -1022, "{:?}", d.findings);
        assert_eq!(d.findings[0].cause, Cause::LogonKeyNotEd25519);
    }
    let subscribe = r#"{"id":2,"method":"userDataStream.subscribe"}"#;
    let d = diagnose_ws(subscribe, None, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1002, Cause::SessionNotLoggedOn));
    // In a HAR file, after a logon on the same connection, the subscription is fine.
    let messages = [frame.as_str(), subscribe]
        .map(|f| serde_json::json!({"type": "send", "time": 1.0, "opcode": 1, "data": f}));
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "wss://ws-api.binance.com/ws-api/v3", "headers": []},
        "_webSocketMessages": messages,
    }]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].diagnose(&ctx()).verdict.code, 0);
}

/// After a session.logout, a request that leaves out what the session gave is refused, and the
/// finding names the logout (frames of a log, and a HAR file's).
#[test]
fn a_request_after_a_logout_names_the_logout() {
    let der = crate::keys::generate_ed25519().unwrap();
    let signer = crate::sign::Ed25519Signer::from_pkcs8_der(&der).unwrap();
    let ctx = Context::key(Verifier::Ed25519(signer.verifier())).at(NOW.offset_millis(150));
    let logon = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{KEY}","timestamp":{NOW},"signature":"{}"}}}}"#,
        signer.sign(format!("apiKey={KEY}&timestamp={NOW}").as_bytes()).as_str()
    );
    let logout = r#"{"id":2,"method":"session.logout"}"#;
    let order = format!(
        r#"{{"id":3,"method":"order.place","params":{{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"1","timestamp":{NOW}}}}}"#
    );
    let subscribe = r#"{"id":4,"method":"userDataStream.subscribe"}"#;
    let frames = [logon.as_str(), order.as_str(), logout, order.as_str(), subscribe];
    let d = diagnose_ws_frames(&frames, None, &ctx);
    assert_eq!(d[1].verdict.code, 0, "logged on: {:?}", d[1].findings);
    for later in &d[3..] {
        assert_ne!(later.verdict.code, 0);
        assert!(later.findings[0].title.contains("session.logout"), "{:?}", later.findings[0]);
        assert!(later.findings[0].fix.starts_with("After session.logout"), "{:?}", later.findings[0]);
    }
    // Never logged on: no logout to name.
    let d = diagnose_ws_frames(&[logout, order.as_str()], None, &ctx);
    assert!(!d[1].findings[0].title.contains("session.logout"), "{:?}", d[1].findings[0]);
    let messages = frames.map(|f| serde_json::json!({"type": "send", "time": 1.0, "opcode": 1, "data": f}));
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "wss://ws-api.binance.com/ws-api/v3", "headers": []},
        "_webSocketMessages": messages,
    }]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert_eq!(entries[1].diagnose(&ctx).verdict.code, 0);
    assert!(entries[3].diagnose(&ctx).findings[0].title.contains("session.logout"));
}

/// A HAR file's CORS preflights and market stream connections are not requests the doctor
/// checks; a file of public requests only has those judged.
#[test]
fn a_har_s_preflights_and_stream_subscriptions_are_left_out() {
    let q = format!("timestamp={NOW}");
    let signed = format!("https://api.binance.com/api/v3/account?{q}&signature={}", hmac(&q));
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "OPTIONS", "url": signed.clone(), "headers": [
            {"name": "Access-Control-Request-Headers", "value": "x-mbx-apikey"}]}},
        {"request": {"method": "GET", "url": signed, "headers": [{"name": "X-MBX-APIKEY", "value": KEY}]}},
        {"request": {"method": "GET", "url": "wss://stream.binance.com:9443/ws", "headers": []},
         "_webSocketMessages": [{"type": "send", "time": 1.0, "opcode": 1,
            "data": r#"{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}"#}]},
    ]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!((entries[0].entry, entries[0].diagnose(&ctx()).verdict.code), (1, 0));
    let public = serde_json::json!({"log": {"entries": [
        {"request": {"method": "GET", "url": "https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=5", "headers": []}},
        {"request": {"method": "GET", "url": "https://example.com/app.js", "headers": []}},
    ]}});
    let entries = read_har(&public.to_string()).unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].diagnose(&ctx()).verdict.code, 0);
}

/// A log of a WebSocket API connection spanning longer than a recvWindow: a logon Binance answered
/// 200 logs the connection on, and each answered frame is judged as of its own timestamp.
#[test]
fn a_ws_log_s_answers_say_what_binance_accepted_then() {
    let der = crate::keys::generate_ed25519().unwrap();
    let signer = crate::sign::Ed25519Signer::from_pkcs8_der(&der).unwrap();
    let then = NOW.as_millis() - 40 * 60_000;
    let logon = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{KEY}","timestamp":{then},"signature":"{}"}}}}"#,
        signer.sign(format!("apiKey={KEY}&timestamp={then}").as_bytes()).as_str()
    );
    let order = format!(
        r#"{{"id":2,"method":"order.place","params":{{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"1","timestamp":{NOW}}}}}"#
    );
    let log = format!(
        "12:30:00 SEND {logon}\n12:30:00 RECV {{\"id\":1,\"status\":200,\"result\":{{}}}}\n13:10:00 SEND {order}\n"
    );
    let ctx = Context::key(Verifier::Ed25519(signer.verifier())).at(NOW.offset_millis(150));
    let answers = ws_answers_in_log(&log);
    assert_eq!((answers[0].0.as_str(), answers[0].1.status), ("1", 200));
    let frames = [logon.as_str(), order.as_str()];
    let d = diagnose_ws_log(&frames, &answers, None, &ctx, &[]);
    assert_eq!((d[0].verdict.code, d[1].verdict.code), (0, 0), "{:?}", d[1].findings);
    // Without the answers: the logon is stale now, and the order has no key.
    let d = diagnose_ws_log(&frames, &[], None, &ctx, &[]);
    assert_eq!((d[0].verdict.code, d[1].verdict.code), (-1021, -1102));
}

/// A frame a program's log pretty-prints over several lines is read whole; its answer is not a
/// frame.
#[test]
fn a_pretty_printed_frame_in_a_log_is_read() {
    let log = "2026-07-20 14:00:00,101 DEBUG Sending request:\n{\n    \"id\": \"a1\",\n    \"method\": \"time\"\n}\n2026-07-20 14:00:00,188 DEBUG Received: {\"id\":\"a1\",\"status\":200,\"result\":{}}\n";
    let frames = ws_frames_in_log(log).unwrap().unwrap();
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert!(frames[0].starts_with('{') && frames[0].ends_with('}') && frames[0].contains("\"time\""));
    assert_eq!(diagnose_ws(frames[0], None, &ctx()).verdict.code, 0);
}

/// After a session.logon on a connection (a HAR file's frames), a signed request without apiKey and
/// signature is the session's: accepted when its timestamp is good, -1021 when it is in seconds.
#[test]
fn a_har_s_requests_after_a_logon_are_judged_as_the_session_s() {
    let logon = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{KEY}","timestamp":{NOW},"signature":"{}"}}}}"#,
        hmac(&format!("apiKey={KEY}&timestamp={NOW}"))
    );
    let order = |ts: String| {
        format!(
            r#"{{"id":2,"method":"order.place","params":{{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.01","timestamp":{ts}}}}}"#
        )
    };
    let seconds = 1_499_827_319_559_u64 / 1000;
    let messages = [logon, order(NOW.to_string()), order(seconds.to_string())]
        .map(|f| serde_json::json!({"type": "send", "time": 1.0, "opcode": 1, "data": f}));
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "wss://ws-api.binance.com/ws-api/v3", "headers": []},
        "_webSocketMessages": messages,
    }]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert_eq!(entries.len(), 3);
    let placed = entries[1].diagnose(&ctx());
    assert_eq!(placed.verdict.code, 0, "{:?}", placed.findings);
    let late = entries[2].diagnose(&ctx());
    assert_eq!(late.verdict.code, -1021, "{:?}", late.findings);
    assert!(!late.has(Cause::ApiKeyParamMissing), "{:?}", late.findings);
    // The same order alone (no logon before it) needs apiKey and signature.
    assert_ne!(diagnose_ws(&order(NOW.to_string()), None, &ctx()).verdict.code, 0);
    // A logon whose answer in the file is an error logs nothing on.
    let refused =
        r#"{"id":1,"status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}}"#;
    let messages = [
        serde_json::json!({"type": "send", "data": entries_frame(&entries[0])}),
        serde_json::json!({"type": "receive", "data": refused}),
        serde_json::json!({"type": "send", "data": order(NOW.to_string())}),
    ];
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "wss://ws-api.binance.com/ws-api/v3", "headers": []},
        "_webSocketMessages": messages,
    }]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert!(entries[1].diagnose(&ctx()).has(Cause::ApiKeyParamMissing));
}

/// The frame of a HAR's WebSocket API entry.
fn entries_frame(entry: &HarEntry) -> String {
    match &entry.request {
        HarRequest::WsApi { frame, .. } => frame.clone(),
        HarRequest::Rest(_) => String::new(),
    }
}

#[test]
fn a_time_unit_binance_does_not_have_gets_1194_before_the_key_is_read() {
    let mut req = correct();
    req.headers = vec![("X-MBX-TIME-UNIT".into(), "seconds".into())];
    let d = diagnose(&req, &ctx());
    assert_eq!(d.verdict.code, -1194);
    assert_eq!(d.findings[0].cause, Cause::TimeUnitInvalid, "{:?}", d.findings);
    req.headers = vec![("X-MBX-APIKEY".into(), KEY.into()), ("x-mbx-time-unit".into(), "microsecond".into())];
    assert_eq!(diagnose(&req, &ctx()).verdict.code, 0);
}

/// A list an HTTP library spread over several parameters (`symbols[0]=`, `symbols[]=`, or the name
/// repeated) is named as such, with the JSON array to send instead; another repeated parameter keeps
/// the plain fix.
#[test]
fn a_list_spread_over_parameters_is_named() {
    let ticker = |q: &str| {
        RequestRecord::new("GET", &format!("https://api.binance.com/api/v3/ticker/price?{q}"), Vec::new(), "")
            .unwrap()
    };
    for (q, code, cause) in [
        ("symbols%5B0%5D=BTCUSDT&symbols%5B1%5D=ETHUSDT", -1104, Cause::ParamNotRead),
        ("symbols%5B%5D=BTCUSDT&symbols%5B%5D=ETHUSDT", -1101, Cause::ParamDuplicated),
        ("symbols=BTCUSDT&symbols=ETHUSDT", -1101, Cause::ParamDuplicated),
    ] {
        let d = diagnose(&ticker(q), &ctx());
        assert_eq!((d.verdict.code, d.findings[0].cause), (code, cause), "{q}: {:?}", d.findings);
        assert!(
            d.findings[0].fix.contains("spread a list") && d.findings[0].fix.contains("symbols=%5B%22"),
            "{q}: {}",
            d.findings[0].fix
        );
    }
    let d = diagnose(&ticker("symbol=BTCUSDT&symbol=ETHUSDT"), &ctx());
    assert_eq!(d.findings[0].cause, Cause::ParamDuplicated);
    assert_eq!(d.findings[0].fix, "Send each parameter once.");
}

/// A capture that holds Binance's answer: -2015 to a request that checks out is named as the key's
/// permissions or IP list (a network capture's stream, a HAR entry); a capture of an accepted
/// request stays accepted.
#[test]
fn a_recorded_2015_to_a_request_that_checks_out_is_the_key_s_permissions() {
    let q = format!("timestamp={NOW}");
    let request = format!(
        "GET /api/v3/account?{q}&signature={} HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: {KEY}\r\n\r\n",
        hmac(&q)
    );
    let refused = format!(
        "{request}HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}}"
    );
    let d = diagnose(&RequestRecord::from_http(&refused).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::KeyPermission), "{:?}", d.findings);
    let answered = format!("{request}HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{{}}");
    assert_eq!(diagnose(&RequestRecord::from_http(&answered).unwrap(), &ctx()).verdict.code, 0);
    // Any other error answered to a request that checks out is not "will accept": what the request
    // cannot show (a filter, the balance), with the catalog's fix.
    let filtered = format!(
        "{request}HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{{\"code\":-1013,\"msg\":\"Filter failure: PRICE_FILTER\"}}"
    );
    let d = diagnose(&RequestRecord::from_http(&filtered).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1013, Cause::AnswerUnexplained), "{:?}", d.findings);
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": format!("https://api.binance.com/api/v3/account?{q}&signature={}", hmac(&q)),
                    "headers": [{"name": "X-MBX-APIKEY", "value": KEY}]},
        "response": {"status": 401, "content": {"text": "{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}"}},
    }]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert_eq!(entries[0].diagnose(&ctx()).verdict.code, -2015);
}

/// A WebSocket API request whose id is an object (not an integer, a string or null) is -1135, named.
#[test]
fn ws_api_frame_with_an_object_id_is_named() {
    let d = diagnose_ws(r#"{"id":{"req":1},"method":"ping"}"#, None, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1135, Cause::FrameNotJson), "{:?}", d.findings);
    assert!(d.findings[0].title.contains("id"), "{:?}", d.findings);
}

/// On a logged-on connection, a request with its own apiKey (the HMAC key) signed as the session's
/// Ed25519 key would be: the explicit pair overrides the session, named first.
#[test]
fn ws_api_request_overriding_a_logged_on_session_is_named() {
    let sig = "A".repeat(86) + "==";
    let frame = format!(
        r#"{{"id":1,"method":"account.status","params":{{"apiKey":"{KEY}","timestamp":{},"signature":"{sig}"}}}}"#,
        NOW.as_millis()
    );
    let d = super::diagnose_ws_in_session(&frame, None, &ctx(), true);
    assert_eq!(d.verdict.code, -1022);
    assert_eq!(d.findings[0].cause, Cause::SessionOverridden, "{:?}", d.findings);
    // Not logged on: no such finding.
    let d = diagnose_ws(&frame, None, &ctx());
    assert!(d.findings.iter().all(|f| f.cause != Cause::SessionOverridden), "{:?}", d.findings);
    // An apiKey without a signature on a logged-on connection: the fix offers the session's key.
    let unsigned = format!(
        r#"{{"id":2,"method":"account.status","params":{{"apiKey":"{KEY}","timestamp":{}}}}}"#,
        NOW.as_millis()
    );
    let d = super::diagnose_ws_in_session(&unsigned, None, &ctx(), true);
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, Cause::SignatureMissing), "{:?}", d.findings);
    assert!(d.findings[0].fix.contains("Leave apiKey out"), "{:?}", d.findings);
}

/// A decimal signed in another text than sent: a WebSocket frame sends `1.0` (a JSON number) where
/// the client signed `1.00`; a REST request sends `0.0001` where the client signed Java's `1.0E-4`.
#[test]
fn a_number_signed_in_another_text_is_named() {
    let ts = NOW.as_millis();
    let signature =
        hmac(&format!("apiKey={KEY}&quantity=1.00&side=BUY&symbol=BTCUSDT&timestamp={ts}&type=MARKET"));
    let frame = format!(
        r#"{{"id":1,"method":"order.place","params":{{"apiKey":"{KEY}","quantity":1.0,"side":"BUY","symbol":"BTCUSDT","timestamp":{ts},"type":"MARKET","signature":"{signature}"}}}}"#
    );
    let d = diagnose_ws(&frame, None, &ctx());
    assert_eq!(
        (d.verdict.code, d.findings[0].cause),
        (-1022, Cause::SignedOtherValueText),
        "{:?}",
        d.findings
    );
    assert!(d.findings[0].title.contains("quantity=1.00"), "{:?}", d.findings);

    let sent = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.0001&timestamp={ts}");
    let signed = sent.replace("0.0001", "1.0E-4");
    let r = RequestRecord::new(
        "POST",
        &format!("https://api.binance.com/api/v3/order?{sent}&signature={}", hmac(&signed)),
        vec![("X-MBX-APIKEY".into(), KEY.into())],
        "",
    )
    .unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!(
        (d.verdict.code, d.findings[0].cause),
        (-1022, Cause::SignedOtherValueText),
        "{:?}",
        d.findings
    );
}

#[test]
fn a_content_length_shorter_than_the_body_is_named_first() {
    let signed = RestPayload::render(&order(), Placement::Body)
        .sign(&Signer::Hmac(HmacSigner::new(SECRET.as_bytes())));
    let body = signed.body().to_owned();
    let unsigned = body.split("&signature=").next().unwrap().len();
    // libcurl's CURLOPT_POSTFIELDSIZE taken before the signature was appended.
    let raw = format!(
        "POST /api/v3/order HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: {KEY}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {unsigned}\r\n\r\n{body}"
    );
    let r = RequestRecord::from_http(&raw).unwrap();
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, -1102, "{d:?}");
    assert_eq!(d.findings[0].cause, Cause::ContentLengthShort, "{:?}", d.findings);
    assert!(d.findings[0].evidence.contains("unread: &signature="), "{}", d.findings[0].evidence);
    // The same request given as --url, -H and --body.
    let headers = vec![
        ("X-MBX-APIKEY".to_owned(), KEY.to_owned()),
        ("Content-Length".to_owned(), unsigned.to_string()),
    ];
    let r = RequestRecord::new("POST", "https://api.binance.com/api/v3/order", headers, &body).unwrap();
    assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::ContentLengthShort);
    // The right length, and a log's next line past the body, are no finding.
    let exact =
        raw.replace(&format!("Content-Length: {unsigned}"), &format!("Content-Length: {}", body.len()));
    for text in [exact.clone(), format!("{exact}\nINFO done\n")] {
        let d = diagnose(&RequestRecord::from_http(&text).unwrap(), &ctx());
        assert!(d.findings.iter().all(|f| f.cause != Cause::ContentLengthShort), "{:?}", d.findings);
        assert_eq!(d.verdict.code, 0, "{d:?}");
    }
}

#[test]
fn a_printed_answer_after_a_body_without_length_is_the_answer() {
    let signed = RestPayload::render(&order(), Placement::Body)
        .sign(&Signer::Hmac(HmacSigner::new(SECRET.as_bytes())));
    // Perl's print of the request it sent, then of the answer's status and body.
    let raw = format!(
        "POST https://api.binance.com/api/v3/order\nX-MBX-APIKEY: {KEY}\nContent-Type: application/x-www-form-urlencoded\n\n{}\n400 {{\"code\":-1013,\"msg\":\"Filter failure: LOT_SIZE\"}}\n",
        signed.body()
    );
    let r = RequestRecord::from_http(&raw).unwrap();
    assert_eq!(r.body, signed.body());
    assert_eq!(r.answered.as_ref().and_then(|a| a.code), Some(-1013));
    assert_eq!(r.answered.as_ref().map(|a| a.status), Some(400));
}

#[test]
fn of_several_printed_requests_the_refused_one_is_read_with_those_before() {
    // Go's %+v of each request and the program's print of each answer; one HMAC never reset.
    let first = format!("symbol=BTCUSDT&timestamp={NOW}");
    let second = format!("symbol=BTCUSDT&timestamp={}", NOW.offset_millis(20));
    let printed = |payload: &str, signature: &str| {
        format!(
            "&{{Method:GET URL:https://api.binance.com/api/v3/openOrders?{payload}&signature={signature} Proto:HTTP/1.1 ProtoMajor:1 ProtoMinor:1 Header:map[X-Mbx-Apikey:[{KEY}]] Body:<nil> GetBody:<nil> ContentLength:0 Host:api.binance.com}}\n"
        )
    };
    let log = format!(
        "{}200 []\n{}400 {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n",
        printed(&first, &hmac(&first)),
        printed(&second, &hmac(&format!("{first}{second}"))),
    );
    let r = RequestRecord::from_http(&log).unwrap();
    assert!(r.query.contains(&NOW.offset_millis(20).to_string()), "{}", r.query);
    assert_eq!(r.earlier, vec![first.clone()]);
    assert_eq!(r.answered.as_ref().and_then(|a| a.code), Some(-1022));
    let d = diagnose(&r, &ctx());
    assert_eq!(d.verdict.code, -1022);
    assert_eq!(d.findings[0].cause, Cause::HmacNotReset, "{:?}", d.findings);
}

#[test]
fn a_public_key_sent_as_the_api_key_is_named() {
    for (key, kind) in [
        ("MCowBQYDK2VwAyEAPJxLEiiBy6BRmt5vzI4E2Qh75TDNPlQYETfyrK0WAdA=", "Ed25519"),
        ("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwvZ", "RSA"),
    ] {
        let mut r = correct();
        r.headers = vec![("X-MBX-APIKEY".into(), key.into())];
        let d = diagnose(&r, &ctx());
        assert_eq!(d.verdict.code, -2014);
        assert_eq!(d.findings[0].cause, Cause::KeyFormat, "{:?}", d.findings);
        assert!(d.findings[0].title.contains(&format!("{kind} public key")), "{:?}", d.findings);
    }
}

#[test]
fn reqwest_s_debug_of_a_request_is_read_with_the_body_and_answer_printed_after_it() {
    let q = format!("timestamp={NOW}&symbol=BTCUSDT");
    let signature = hmac(&q);
    let log = format!(
        "Request {{ method: GET, url: Url {{ scheme: \"https\", cannot_be_a_base: false, username: \"\", password: None, host: Some(Domain(\"api.binance.com\")), port: None, path: \"/api/v3/openOrders\", query: Some(\"{q}&signature={signature}\"), fragment: None }}, headers: {{\"x-mbx-apikey\": \"{KEY}\"}} }}\n=> 200 OK []\n"
    );
    let r = RequestRecord::from_http(&log).unwrap();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.host.as_deref()),
        ("GET", "/api/v3/openOrders", Some("api.binance.com"))
    );
    assert_eq!(r.query, format!("{q}&signature={signature}"));
    assert_eq!(diagnose(&r, &ctx()).verdict.code, 0);
    // A POST whose body the program printed, a JSON one here; the answer after it.
    let post = format!(
        "Request {{ method: POST, url: Url {{ scheme: \"http\", host: Some(Ipv4(127.0.0.1)), port: Some(9900), path: \"/api/v3/order\", query: None, fragment: None }}, headers: {{\"content-type\": \"application/json\", \"x-mbx-apikey\": \"{KEY}\"}} }}\nbody: {{\"symbol\":\"BTCUSDT\",\"timestamp\":{NOW}}}\n=> 400 Bad Request {{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}}\n"
    );
    let r = RequestRecord::from_http(&post).unwrap();
    assert_eq!(
        (r.host.as_deref(), r.body.starts_with("{\"symbol\"")),
        (Some("127.0.0.1:9900"), true),
        "{r:?}"
    );
    assert_eq!(r.answered.as_ref().and_then(|a| a.code), Some(-1102));
    assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::JsonBody);
    // A header reqwest marks sensitive keeps its name.
    let hidden = log.replace(&format!("\"x-mbx-apikey\": \"{KEY}\""), "\"authorization\": Sensitive");
    let d = diagnose(&RequestRecord::from_http(&hidden).unwrap(), &ctx());
    assert_eq!(d.findings[0].cause, Cause::KeyInAuthorizationHeader, "{:?}", d.findings);
}

#[test]
fn the_time_kept_in_an_int_or_printed_without_zero_padding_is_named() {
    let now = NOW.offset_millis(150).as_millis();
    let with_ts = |ts: String| {
        let q = format!("symbol=BTCUSDT&timestamp={ts}");
        get(&format!("{q}&signature={}", hmac(&q)), &[("X-MBX-APIKEY", KEY)])
    };
    // (int) of the time in milliseconds, positive and negative.
    for truncated in [(now as u32 as i32).to_string(), (now & 0xFFFF_FFFF).to_string()] {
        let d = diagnose(&with_ts(truncated.clone()), &ctx());
        assert_eq!(d.findings[0].cause, Cause::TimestampTruncated, "{truncated}: {:?}", d.findings);
    }
    // printf("%ld%ld", sec, ms) with ms = 28: "...28" in place of "...028".
    let unpadded = format!("{}{}", now / 1000, 28);
    let d = diagnose(&with_ts(unpadded), &ctx());
    assert_eq!(d.findings[0].cause, Cause::TimestampUnpaddedMillis, "{:?}", d.findings);
    // The time in seconds is still seconds.
    let d = diagnose(&with_ts((now / 1000).to_string()), &ctx());
    assert_eq!(d.findings[0].cause, Cause::TimestampSeconds, "{:?}", d.findings);
}

/// The payload Binance verifies comes first among a frame's candidates: the searches that work on it
/// alone (another timestamp signed) rely on it.
#[test]
fn a_frame_signed_over_another_timestamp_is_found() {
    let signed_ts = NOW.offset_millis(-100);
    let payload = |ts: Timestamp| {
        format!(
            "apiKey={KEY}&price=0.1&quantity=1&side=BUY&symbol=LTCBTC&timeInForce=GTC&timestamp={ts}&type=LIMIT"
        )
    };
    let frame = format!(
        r#"{{"id":1,"method":"order.place","params":{{"symbol":"LTCBTC","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1","price":"0.1","timestamp":{NOW},"apiKey":"{KEY}","signature":"{}"}}}}"#,
        hmac(&payload(signed_ts))
    );
    let d = diagnose_ws(&frame, None, &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedOtherTimestamp, "{:?}", d.findings);
}

/// Ed25519 and RSA keys too: a timestamp read twice (once for the payload signed, once for the
/// request sent) is found a few milliseconds away (RSA, a hash a try, as far as HMAC).
#[test]
fn an_asymmetric_signature_over_another_timestamp_is_found() {
    let shared = std::env::var_os("MBX_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let pem = std::fs::read(shared.join("vectors/rsa-private.pem")).unwrap();
    let crate::keys::LoadedKey::Private(rsa) = crate::keys::load_pem(&pem, None).unwrap() else {
        unreachable!()
    };
    let ed = crate::sign::Signer::Ed25519(
        crate::sign::Ed25519Signer::from_pkcs8_der(&crate::keys::generate_ed25519().unwrap()).unwrap(),
    );
    let q = |ts: u64| format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={ts}");
    let sent = 1_499_827_319_559u64;
    for (signer, earlier, found) in [(&ed, 3, true), (&ed, 40, false), (&rsa, 3, true), (&rsa, 400, true)] {
        let ctx = Context::key(signer.verifier()).at(NOW.offset_millis(150));
        let sig = crate::encode::percent_encode(signer.sign(q(sent - earlier).as_bytes()).as_str());
        let d = diagnose(&get(&format!("{}&signature={sig}", q(sent)), &[("X-MBX-APIKEY", KEY)]), &ctx);
        let cause = if found { Cause::SignedOtherTimestamp } else { Cause::SignatureMismatch };
        assert_eq!(d.findings[0].cause, cause, "{:?} {earlier} ms: {:?}", signer.kind(), d.findings);
    }
}

/// A request signed with another key pair's Ed25519 or RSA key names that pair's private key (not
/// an HMAC secret).
#[test]
fn another_key_pairs_private_key_is_named_as_one() {
    let mine = crate::sign::Ed25519Signer::from_pkcs8_der(&crate::keys::generate_ed25519().unwrap()).unwrap();
    let theirs =
        crate::sign::Ed25519Signer::from_pkcs8_der(&crate::keys::generate_ed25519().unwrap()).unwrap();
    let ctx =
        Context::key(Verifier::Ed25519(mine.verifier())).at(NOW.offset_millis(150)).with_other(OtherKey {
            label: "API key abcd... of the same account".into(),
            venue: None,
            api_key: Some("abcd".repeat(16)),
            secret: None,
            verifier: Some(Verifier::Ed25519(theirs.verifier())),
        });
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let sig = crate::encode::percent_encode(theirs.sign(q.as_bytes()).as_str());
    let d = diagnose(&get(&format!("{q}&signature={sig}"), &[("X-MBX-APIKEY", KEY)]), &ctx);
    let f = d.findings.iter().find(|f| f.cause == Cause::SecretOtherEnvironment).expect("named");
    assert!(f.evidence.contains("made with the private key of API key abcd"), "{f:?}");
    assert!(!f.evidence.contains("HMAC"), "{f:?}");
}

/// An API key sent as a parameter is shortened in every finding, as a header's is.
#[test]
fn a_key_sent_as_a_parameter_is_shortened_in_the_findings() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}&apikey={KEY}");
    let d = diagnose(&get(&format!("{q}&signature={}", hmac(&q)), &[]), &ctx());
    assert_eq!(d.verdict.code, -2014, "{:?}", d.findings);
    let text = format!("{:?}", d.findings);
    assert!(!text.contains(KEY) && text.contains(&KEY[..4]), "{text}");
}

/// A HAR file says when each request was sent: its REST entries' `startedDateTime`, its WebSocket
/// messages' `time` (seconds since 1970).
#[test]
fn a_har_s_requests_carry_when_they_were_sent() {
    let q = format!("timestamp={NOW}");
    let har = serde_json::json!({"log": {"entries": [
        {
            "startedDateTime": "2017-07-12T02:41:59.600Z",
            "request": {"method": "GET", "url": format!("https://api.binance.com/api/v3/account?{q}&signature={}", hmac(&q)),
                        "headers": [{"name": "X-MBX-APIKEY", "value": KEY}]},
        },
        {
            "startedDateTime": "2017-07-12T02:41:59.000Z",
            "request": {"method": "GET", "url": "wss://ws-api.binance.com/ws-api/v3", "headers": []},
            "_webSocketMessages": [{"type": "send", "time": 1_499_827_319.7, "opcode": 1,
                "data": r#"{"id":1,"method":"ping"}"#}],
        },
    ]}});
    let entries = read_har(&har.to_string()).unwrap();
    assert_eq!(entries[0].sent_ms, Some(1_499_827_319_600));
    assert_eq!(entries[1].sent_ms, Some(1_499_827_319_700));
    // Judged as of then, the request is accepted.
    let then = Context::hmac(SecretBytes::from(SECRET)).at(Timestamp::Millis(entries[0].sent_ms.unwrap()));
    assert_eq!(entries[0].diagnose(&then).verdict.code, 0);
}

#[test]
fn an_answer_printed_by_the_program_is_read_and_explained() {
    // Apps Script's log: the options map, then the status and the answer on lines of their own.
    let q = "timestamp=1499827319559";
    let log = format!(
        "4:22:41 PM\tInfo\t{{headers={{X-MBX-APIKEY={KEY}}}, method=get, url=https://api.binance.com/api/v3/account?{q}&signature={}}}\n4:22:41 PM\tInfo\t401\n4:22:41 PM\tInfo\t{{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}}\n",
        hmac(q)
    );
    let req = RequestRecord::from_http(&log).expect("read");
    let d = diagnose(&req, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::KeyPermission), "{:?}", d.findings);
    // Python's dict of a -1022 after http.client's reply: the signature verifies with the secret
    // given, so Binance holds another secret for this key.
    let log = format!(
        "send: b'GET /api/v3/account?{q}&signature={} HTTP/1.1\\r\\nHost: api.binance.com\\r\\nX-MBX-APIKEY: {KEY}\\r\\n\\r\\n'\nreply: 'HTTP/1.1 400 Bad Request\\r\\n'\nheader: Content-Type: application/json\n{{'code': -1022, 'msg': 'Signature for this request is not valid.'}}\n",
        hmac(q)
    );
    let req = RequestRecord::from_http(&log).expect("read");
    assert_eq!(req.answered.as_ref().and_then(|a| a.code), Some(-1022));
    let d = diagnose(&req, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::KeyRegisteredOther), "{:?}", d.findings);
    // python-binance's exception, after a sentence that ends the URL with a full stop.
    let log = format!(
        "POST https://api.binance.com/api/v3/order.\nX-MBX-APIKEY: {KEY}\nbody: {q}&signature={}\nAPIError(code=-2010): Account has insufficient balance for requested action.\n",
        hmac(q)
    );
    let req = RequestRecord::from_http(&log).expect("read");
    assert_eq!(req.path, "/api/v3/order");
    let a = req.answered.as_ref().expect("the exception read");
    assert_eq!(
        (a.code, a.msg.as_deref()),
        (Some(-2010), Some("Account has insufficient balance for requested action."))
    );
}

/// The fifth probe round's pastes, end to end: each read and explained.
#[test]
fn fifth_round_logs_are_read_and_explained() {
    let read = |text: &str| diagnose(&RequestRecord::from_http(text).expect("read"), &ctx());
    // A grid bot's log: the second order sends the first one's signature (a cached signer).
    let first = format!(
        "symbol=SOLUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.50&price=131.20&timestamp={NOW}"
    );
    let second = first.replace("131.20", "130.90");
    let sig = hmac(&first);
    let log = format!(
        "[DEBUG] binance: POST https://api.binance.com/api/v3/order?{first}&signature={sig}\n[DEBUG] binance: 200 {{\"orderId\":1}}\n[DEBUG] binance: POST https://api.binance.com/api/v3/order?{second}&signature={sig}\n[DEBUG] binance: 400 {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n"
    );
    let d = read(&log);
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::SignatureReused), "{:?}", d.findings);
    // The same request sent twice is no reuse: the first is judged alone.
    let twice = log.replace(&second, &first);
    assert!(!read(&twice).has(Cause::SignatureReused));
    // HTTP 451 with code 0: the place, not the request.
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=25&timestamp={NOW}");
    let log = format!(
        "[info] -> POST https://api.binance.com/api/v3/order\n[info] -> X-MBX-APIKEY: {KEY}\n[info] -> body: {q}&signature={}\n[error] <- 451 {{\"code\":0,\"msg\":\"Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms.\"}}\n",
        hmac(&q)
    );
    let d = read(&log);
    assert_eq!(
        (d.verdict.code, d.verdict.status, d.findings[0].cause),
        (-451, 451, Cause::LocationRestricted)
    );
    // The program printed the text it signed; the form it sent holds the fields in another order.
    let signed = format!("timestamp={NOW}&recvWindow=5000");
    let log = format!(
        "Info\tpayload signed: {signed}\nInfo\tfetching https://api.binance.com/api/v3/account?recvWindow=5000&timestamp={NOW}&signature={} X-MBX-APIKEY: {KEY}\n",
        hmac(&signed)
    );
    let d = read(&log);
    assert_eq!(d.findings[0].cause, Cause::SignedPrintedPayload, "{:?}", d.findings);
    assert!(d.findings[0].title.contains("another order"), "{}", d.findings[0].title);
    // .NET: a logging handler's own lines under the request line.
    let body = format!(
        "symbol=AVAXUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=2.50&price=21.350&timestamp={NOW}"
    );
    let log = format!(
        "info: System.Net.Http.HttpClient.Binance.LogicalHandler[100]\n      Start processing HTTP request POST https://api.binance.com/api/v3/order\ninfo: Bot.BinanceLoggingHandler[0]\n      X-MBX-APIKEY: {KEY}\n      Content-Type: application/x-www-form-urlencoded\n      Body: {body}&signature={}\n",
        hmac(&body)
    );
    let req = RequestRecord::from_http(&log).expect("read");
    assert_eq!((req.header("x-mbx-apikey"), req.body.starts_with("symbol=AVAXUSDT")), (Some(KEY), true));
    assert!(diagnose(&req, &ctx()).verdict.is_accepted());
    // A parameter signed empty (querystring.stringify of undefined) and left out by axios.
    let sent = format!(
        "symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.05&price=2050&timestamp={NOW}"
    );
    let signed = sent.replace("&timestamp", "&icebergQty=&timestamp");
    let d = diagnose(&get(&format!("{sent}&signature={}", hmac(&signed)), &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedDroppedParam, "{:?}", d.findings);
}

/// PowerShell's backtick line continuations in a curl command.
#[test]
fn curl_with_powershell_backticks() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let cmd = format!(
        "curl.exe -s -X POST `\n  \"https://api.binance.com/api/v3/order/test?{q}&signature={}\" `\n  -H \"X-MBX-APIKEY: {KEY}\"",
        hmac(&q)
    );
    let r = RequestRecord::from_curl(&cmd).expect("read");
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.header("x-mbx-apikey")),
        ("POST", "/api/v3/order/test", Some(KEY))
    );
}

/// curl's `-u key:` sends the key as HTTP Basic credentials: an Authorization header, which the
/// doctor reads as curl sends it.
#[test]
fn curl_user_is_an_authorization_header() {
    let q = format!("timestamp={NOW}");
    for flag in ["-u ", "--user ", "--user="] {
        let cmd = format!(
            "curl -s {flag}{KEY}: 'https://api.binance.com/api/v3/account?{q}&signature={}'",
            hmac(&q)
        );
        let r = RequestRecord::from_curl(&cmd).expect("read");
        assert!(r.header("authorization").is_some_and(|v| v.starts_with("Basic ")), "{flag}: {r:?}");
        let d = diagnose(&r, &ctx());
        assert_eq!(
            (d.verdict.code, d.findings[0].cause),
            (-2014, Cause::KeyInAuthorizationHeader),
            "{flag}: {:?}",
            d.findings
        );
    }
}

/// A WebSocket log that prints the text its program signed: numbers signed as fixed strings and
/// values signed with their JSON quotes are told apart from the params sent.
#[test]
fn ws_log_printed_payload_differences() {
    let sent_pairs = format!(
        "apiKey={KEY}&price=3000&quantity=0.01&side=BUY&symbol=ETHUSDT&timeInForce=GTC&timestamp={NOW}&type=LIMIT"
    );
    for signed in [
        sent_pairs.replace("price=3000", "price=3000.00").replace("quantity=0.01", "quantity=0.010"),
        format!(
            "apiKey=\"{KEY}\"&price=\"3000\"&quantity=\"0.01\"&side=\"BUY\"&symbol=\"ETHUSDT\"&timeInForce=\"GTC\"&timestamp={NOW}&type=\"LIMIT\""
        ),
    ] {
        let frame = format!(
            "{{\"id\":41,\"method\":\"order.place\",\"params\":{{\"symbol\":\"ETHUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",\"price\":\"3000\",\"quantity\":\"0.01\",\"timestamp\":{NOW},\"apiKey\":\"{KEY}\",\"signature\":\"{}\"}}}}",
            hmac(&signed)
        );
        let log = format!("[12:00:00.002] DEBUG sign: {signed}\n[12:00:00.003] -> {frame}\n");
        let printed = printed_forms(&log);
        assert_eq!(printed, std::slice::from_ref(&signed));
        let d = diagnose_ws_frames_printed(&[frame.as_str()], None, &ctx(), &printed).remove(0);
        // Values with their JSON quotes but the timestamp appended after them: named as such by
        // the search; numbers written otherwise: the printed text's difference.
        if signed.contains('"') {
            assert_eq!(
                (d.verdict.code, d.findings[0].cause),
                (-1022, Cause::SignedQuotedValues),
                "{:?}",
                d.findings
            );
            continue;
        }
        assert_eq!(
            (d.verdict.code, d.findings[0].cause),
            (-1022, Cause::SignedPrintedPayload),
            "{:?}",
            d.findings
        );
        assert!(d.findings[0].title.contains("price="), "{}", d.findings[0].title);
    }
}

/// The body, '&', then the query: both halves of the mistake named.
#[test]
fn signed_body_and_query_joined_the_other_way_round() {
    let (query, body) =
        (format!("timestamp={NOW}&recvWindow=5000"), "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1");
    let sig = hmac(&format!("{body}&{query}"));
    let req = RequestRecord::new(
        "POST",
        &format!("https://api.binance.com/api/v3/order?{query}&signature={sig}"),
        vec![
            ("X-MBX-APIKEY".into(), KEY.into()),
            ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
        ],
        body,
    )
    .unwrap();
    let d = diagnose(&req, &ctx());
    assert!(d.has(Cause::SignedBodyThenQuery) && d.has(Cause::SignedQueryAndBodyJoined), "{:?}", d.findings);
}

/// The sixth probe round's signing mistakes: keys made of other bytes than the secret's text, pairs
/// joined otherwise, values quoted.
#[test]
fn sixth_round_keys_and_joins() {
    use crate::sign::HmacSigner;
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let with_key =
        |key: &[u8], payload: &str| HmacSigner::new(key).sign(payload.as_bytes()).as_str().to_owned();
    let utf16_bom: Vec<u8> =
        [0xFE, 0xFF].into_iter().chain(SECRET.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let cases: [(Vec<u8>, String, Cause); 5] = [
        (utf16_bom, q.clone(), Cause::SecretUtf16),
        ([SECRET.as_bytes(), b"\0"].concat(), q.clone(), Cause::SecretWithNul),
        (b"System.Security.SecureString".to_vec(), q.clone(), Cause::SecretPlaceholder),
        (SECRET.as_bytes().to_vec(), q.replace('&', ", "), Cause::SignedOtherSeparator),
        (
            SECRET.as_bytes().to_vec(),
            q.split('&')
                .map(|p| p.split_once('=').map(|(k, v)| format!("{k}=\"{v}\"")).unwrap())
                .collect::<Vec<_>>()
                .join("&"),
            Cause::SignedQuotedValues,
        ),
    ];
    for (key, signed, cause) in cases {
        let d = diagnose(
            &get(&format!("{q}&signature={}", with_key(&key, &signed)), &[("X-MBX-APIKEY", KEY)]),
            &ctx(),
        );
        assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, cause), "{:?}", d.findings);
    }
}

/// The seventh round's false alarms, as correct requests: curl's short options written together
/// (`-sG`), a HAR form body given as `params` only, and .NET's Information-level log, which prints
/// no header at all.
#[test]
fn seventh_round_correct_requests_are_accepted() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let sig = hmac(&q);
    for cluster in ["-sG", "-Gs", "-sSG"] {
        let cmd = format!(
            "curl {cluster} https://api.binance.com/api/v3/openOrders -H 'X-MBX-APIKEY: {KEY}' -d '{q}' -d 'signature={sig}'"
        );
        let r = RequestRecord::from_curl(&cmd).expect("read");
        assert_eq!(
            (r.method.as_str(), r.query.as_str()),
            ("GET", format!("{q}&signature={sig}").as_str()),
            "{cluster}"
        );
        assert!(diagnose(&r, &ctx()).verdict.is_accepted(), "{cluster}");
    }
    let r = RequestRecord::from_curl(&format!(
        "curl -sXPOST https://api.binance.com/api/v3/order -H 'X-MBX-APIKEY: {KEY}'"
    ))
    .unwrap();
    assert_eq!(r.method, "POST");
    let har = serde_json::json!({"log": {"entries": [{"request": {
        "method": "POST", "url": "https://api.binance.com/api/v3/order",
        "headers": [{"name": "X-MBX-APIKEY", "value": KEY}, {"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
        "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [
            {"name": "symbol", "value": "BTCUSDT"}, {"name": "side", "value": "BUY"}, {"name": "type", "value": "MARKET"},
            {"name": "quantity", "value": "1"}, {"name": "timestamp", "value": NOW.to_string()},
            {"name": "signature", "value": hmac(&format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}"))}]}
    }, "response": {"status": 200}}]}});
    let entries = read_har(&har.to_string()).expect("read");
    let Some(HarRequest::Rest(r)) = entries.into_iter().next().map(|e| e.request) else {
        panic!("no request")
    };
    assert!(diagnose(&r, &ctx()).verdict.is_accepted(), "{r:?}");
    let body = format!("symbol=BNBUSDT&side=SELL&type=MARKET&quoteOrderQty=50&timestamp={NOW}");
    let log = format!(
        "info: System.Net.Http.HttpClient.Binance.LogicalHandler[100]\n      Start processing HTTP request POST https://api.binance.com/api/v3/order?{body}&signature={}\n",
        hmac(&body)
    );
    let r = RequestRecord::from_http(&log).expect("read");
    assert!(r.key_unshown);
    assert!(diagnose(&r, &ctx()).verdict.is_accepted());
}

#[test]
fn a_second_user_data_subscription_of_one_account_on_a_connection_is_2035() {
    let frame = |id: u32| {
        format!(
            r#"{{"id":{id},"method":"userDataStream.subscribe.signature","params":{{"apiKey":"{KEY}","timestamp":1499827319559,"signature":"{}"}}}}"#,
            "a".repeat(64)
        )
    };
    let (one, two) = (frame(1), frame(2));
    let unsubscribe = r#"{"id":3,"method":"userDataStream.unsubscribe"}"#;
    let three = frame(4);
    let d = diagnose_ws_log(&[&one, &two, unsubscribe, &three], &[], None, &Context::default().at(NOW), &[]);
    assert_eq!(d[0].verdict.code, 0, "{:?}", d[0].findings);
    assert_eq!((d[1].verdict.code, d[1].findings[0].cause), (-2035, Cause::SubscriptionActive));
    assert_eq!(d[3].verdict.code, 0, "after an unsubscribe: {:?}", d[3].findings);
}

/// A log of a connection whose logon is another key pair's than the key given (web-socket-api.md
/// allows ad hoc requests with their own apiKey): the logon is not this key's to check; a request
/// naming another apiKey but signed with this key's is -1022.
#[test]
fn frames_of_another_key_pair_are_not_checked_with_this_one() {
    let der = crate::keys::generate_ed25519().unwrap();
    let ed = crate::sign::Ed25519Signer::from_pkcs8_der(&der).unwrap();
    let other = "E".repeat(64);
    let logon = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{other}","timestamp":{NOW},"signature":"{}"}}}}"#,
        ed.sign(format!("apiKey={other}&timestamp={NOW}").as_bytes()).as_str()
    );
    let adhoc = |key: &str| {
        let payload = format!("apiKey={key}&symbol=BTCUSDT&timestamp={NOW}");
        format!(
            r#"{{"id":2,"method":"openOrders.status","params":{{"apiKey":"{key}","symbol":"BTCUSDT","timestamp":{NOW},"signature":"{}"}}}}"#,
            hmac(&payload)
        )
    };
    // The HMAC key given: the Ed25519 logon is unchecked, the ad hoc request with its apiKey right.
    let ours = adhoc(KEY);
    let d = diagnose_ws_log(&[&logon, &ours], &[], None, &ctx(), &[]);
    assert_eq!((d[0].verdict.code, d[1].verdict.code), (0, 0), "{:?} / {:?}", d[0].findings, d[1].findings);
    assert!(d[0].verdict.msg.contains("not checked"), "{}", d[0].verdict.msg);
    // A request naming the logon's apiKey but signed with this HMAC key.
    let wrong = adhoc(&other);
    let d = diagnose_ws_log(&[&ours, &wrong], &[], None, &ctx(), &[]);
    assert_eq!(
        (d[1].verdict.code, d[1].findings[0].cause),
        (-1022, Cause::ApiKeyOtherPair),
        "{:?}",
        d[1].findings
    );
}

/// Round 17's prints of other languages, read as the request they show (each a print only, no
/// code: the request's own findings, checked against the secret).
#[test]
fn seventeenth_round_prints_are_read_as_the_requests_they_show() {
    let judge = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        diagnose(&r, &ctx())
    };
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let signed = format!("{q}&signature={}", hmac(&q));
    // Scala's case class and akka's HttpRequest: the next field after a comma is not the URL's.
    let scala = format!(
        "Signed(GET,https://api.binance.com/api/v3/openOrders?{signed},Map(X-MBX-APIKEY -> {KEY}))\nLeft({{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}})"
    );
    assert_eq!(judge(&scala).verdict.code, -2015, "{:?}", judge(&scala).findings);
    // OkHttp 4's Request.toString: its headers are a list.
    let okhttp = format!(
        "Request{{method=GET, url=https://api.binance.com/api/v3/openOrders?{signed}, headers=[X-MBX-APIKEY:{KEY}]}}"
    );
    let d = judge(&okhttp);
    assert_eq!(d.verdict.code, 0, "{:?}", d.findings);
    // Nim's header table: values are sequences (`@["..."]`).
    let nim = format!(
        "GET https://api.binance.com/api/v3/openOrders?{signed}\nheaders: {{\"x-mbx-apikey\": @[\"{KEY}\"], \"content-type\": @[\"application/x-www-form-urlencoded\"]}}"
    );
    assert_eq!(judge(&nim).verdict.code, 0, "{:?}", judge(&nim).findings);
    // A print of the request line and headers, then the answer's status and body: no GET body.
    let msgbox =
        format!("GET https://api.binance.com/api/v3/openOrders?{signed}\nX-MBX-APIKEY: {KEY}\n\n200 []\n");
    let d = judge(&msgbox);
    assert!(d.findings.is_empty() && d.verdict.code == 0, "{:?}", d.findings);
    // A print of a request line and body without headers: the key is not judged missing.
    let body = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let lua = format!(
        "POST https://api.binance.com/api/v3/order\nbody: {body}&signature={}\n400\t{{\"code\":-1102,\"msg\":\"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.\"}}",
        hmac(&body)
    );
    assert!(!judge(&lua).has(Cause::KeyMissing), "{:?}", judge(&lua).findings);
    // Printed apart: `query:` and `body:`, signed joined with '&'.
    let (query, form) = ("symbol=BTCUSDT&side=BUY&type=MARKET", format!("quantity=1&timestamp={NOW}"));
    let joined = format!(
        "(client/post (str base \"/api/v3/order?\" q) {{:headers {{\"X-MBX-APIKEY\" \"{KEY}\"}}}})\nquery: {query}\nbody: {form}&signature={}\n",
        hmac(&format!("{query}&{form}"))
    );
    assert!(judge(&joined).has(Cause::SignedQueryAndBodyJoined), "{:?}", judge(&joined).findings);
    // Bun's verbose fetch of an object body.
    let bun = format!(
        "[fetch] > HTTP/1.1 POST https://api.binance.com/api/v3/order\n[fetch] > X-MBX-APIKEY: {KEY}\n[fetch] > Content-Type: application/x-www-form-urlencoded\n[fetch] > [object Object]\n\n[fetch] < 400 Bad Request\n\n{{\"code\":-1102,\"msg\":\"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.\"}}"
    );
    let d = judge(&bun);
    assert_eq!((d.findings[0].cause, d.findings.len()), (Cause::BodyNotForm, 1), "{:?}", d.findings);
}

#[test]
fn timestamps_of_other_epochs_counters_and_glued_headers_are_named() {
    let with_ts = |ts: u64| {
        let q = format!("symbol=BTCUSDT&timestamp={ts}");
        get(&format!("{q}&signature={}", hmac(&q)), &[("X-MBX-APIKEY", KEY)])
    };
    let now = NOW.as_millis();
    let first = |r: &RequestRecord| diagnose(r, &ctx()).findings[0].title.clone();
    assert!(first(&with_ts(now + 2_082_844_800_000)).contains("from 1904"));
    assert!(first(&with_ts(now + 2_208_988_800_000)).contains("from 1900"));
    assert!(first(&with_ts(now - 978_307_200_000)).contains("from 2001"));
    // Ten digits that would be a second of 2006: a counter's milliseconds, not seconds.
    let d = diagnose(&with_ts(1_152_334_901), &ctx());
    assert_eq!(d.findings[0].cause, Cause::TimestampTooOld, "{:?}", d.findings);
    assert!(diagnose(&with_ts(now / 1000), &ctx()).has(Cause::TimestampSeconds));
    // The next header glued to the key (no line break after it).
    let q = format!("timestamp={NOW}");
    let glued = get(&format!("{q}&signature={}", hmac(&q)), &[("X-MBX-APIKEY", &format!("{KEY}Accept"))]);
    let d = diagnose(&glued, &ctx());
    assert!(d.findings[0].title.contains("'Accept', is glued"), "{:?}", d.findings);
}

#[test]
fn a_signature_in_both_query_and_body_is_the_query_s() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let sig = hmac(&q);
    // Binance reads a parameter sent in both from the query string: the body's copy is another
    // parameter of the payload, which then differs from what was signed.
    let r = RequestRecord::new(
        "POST",
        &format!("https://api.binance.com/api/v3/order?{q}&signature={sig}"),
        vec![
            ("X-MBX-APIKEY".into(), KEY.into()),
            ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
        ],
        &format!("{q}&signature={sig}"),
    )
    .unwrap();
    assert_eq!(diagnose(&r, &ctx()).verdict.code, -1022);
}

/// Round 18's prints (Ed25519, RSA and WebSocket API posts), read as the requests they show.
#[test]
fn eighteenth_round_prints_are_read_as_the_requests_they_show() {
    let judge = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        diagnose(&r, &ctx())
    };
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let signed = format!("{q}&signature={}", hmac(&q));
    // axios's `request.host + request.path`: a host without its scheme.
    let axios = format!(
        "console.log(res.status, res.request.method, res.request.host + res.request.path);\n200 GET api.binance.com/api/v3/openOrders?{signed}\n{{ 'X-MBX-APIKEY': '{KEY}' }}"
    );
    assert_eq!(judge(&axios).verdict.code, 0, "{:?}", judge(&axios).findings);
    // Go's DumpRequestOut, then the program's print of the status: not a GET body.
    let dump = format!(
        "GET /api/v3/openOrders?{signed} HTTP/1.1\r\nHost: api.binance.com\r\nX-Mbx-Apikey: {KEY}\r\n\r\n\n200 OK\nworks fine"
    );
    let d = judge(&dump);
    assert!(d.findings.is_empty() && d.verdict.code == 0, "{:?}", d.findings);
    // A shell's `set -x` trace of curl, among other lines.
    let trace = format!(
        "+ q='{q}'\n+ curl -s -H 'X-MBX-APIKEY: {KEY}' 'https://api.binance.com/api/v3/openOrders?{q}' --data-urlencode 'signature={}' -G\n[]",
        hmac(&q)
    );
    assert_eq!(judge(&trace).verdict.code, 0, "{:?}", judge(&trace).findings);
    // Laravel's log of the URL with the response's status and body: that body is the answer's.
    let laravel = format!(
        "local.DEBUG: binance {{\"uri\":\"https://api.binance.com/api/v3/openOrders?{q}&signature={}\",\"status\":400,\"body\":\"{{\\\"code\\\":-1022,\\\"msg\\\":\\\"Signature for this request is not valid.\\\"}}\"}}",
        "ab".repeat(32)
    );
    let d = judge(&laravel);
    assert!(!d.has(Cause::KeyMissing) && !d.has(Cause::JsonBody), "{:?}", d.findings);
    // Fuel's print: `Name : value` is its layout.
    let fuel = format!(
        "--> GET https://api.binance.com/api/v3/openOrders?{signed}\nBody : (empty)\nHeaders : (1)\nX-MBX-APIKEY : {KEY}\n<-- 200 https://api.binance.com/api/v3/openOrders"
    );
    assert_eq!(judge(&fuel).verdict.code, 0, "{:?}", judge(&fuel).findings);
    // Python's dict print of a frame: True is true.
    let frames = inspected_frames(
        "send {'id': 'a', 'method': 'account.status', 'params': {'omitZeroBalances': True}}",
    );
    assert_eq!(frames, [r#"{"id":"a","method":"account.status","params":{"omitZeroBalances":true}}"#]);
    // A frame, then lines of another kind: a log, not one frame with trailing text.
    let log = "{\"id\":1,\"method\":\"time\"}\ngot 200, works";
    assert_eq!(ws_frames_in_log(log).unwrap().map(|f| f.len()), Some(1));
    // A frame without its id.
    let d = diagnose_ws(r#"{"method":"time","params":{}}"#, None, &ctx());
    assert_eq!(d.verdict.code, -1102, "{:?}", d.findings);
    assert!(d.findings[0].title.contains("no \"id\""), "{:?}", d.findings);
}

#[test]
fn ed25519_signed_messages_and_wrapped_or_url_safe_base64_in_code_are_named() {
    let der = crate::keys::generate_ed25519().unwrap();
    let ed = crate::sign::Ed25519Signer::from_pkcs8_der(&der).unwrap();
    let ctx = Context::key(Signer::Ed25519(ed.clone()).verifier()).at(NOW.offset_millis(150));
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    // NaCl's signed message: the signature followed by the message.
    let mut bytes = crate::sign::decode_base64(ed.sign(q.as_bytes()).as_str()).unwrap();
    bytes.extend_from_slice(q.as_bytes());
    let sig = crate::encode::percent_encode(crate::sign::encode_base64(KeyKind::Ed25519, &bytes).as_str());
    let r = get(&format!("{q}&signature={sig}"), &[("X-MBX-APIKEY", KEY)]);
    let d = diagnose(&r, &ctx);
    assert!(d.findings[0].title.contains("NaCl's signed message"), "{:?}", d.findings);
    assert_eq!(
        code("sig=$(printf '%s' \"$q\" | openssl dgst -sha256 -sign key.pem | openssl base64)"),
        [Cause::SignatureNotBare]
    );
    assert!(
        code("sig=$(printf '%s' \"$q\" | openssl dgst -sha256 -sign key.pem | openssl base64 -A)").is_empty()
    );
    assert_eq!(
        code("const signature = crypto.sign(null, Buffer.from(query), key).toString('base64url');"),
        [Cause::SignatureUrlSafeBase64]
    );
}

/// Round 19's texts: retries, fenced requests, keys in prints, Ktor's log, code reading.
#[test]
fn nineteenth_round_texts_are_read_as_what_they_show() {
    let judge = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        diagnose(&r, &ctx())
    };
    let form = |ts: u64| {
        let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={ts}");
        format!("{q}&signature={}", hmac(&q))
    };
    let now = NOW.as_millis();
    let get_form = |ts: u64| {
        let q = format!("symbol=BTCUSDT&timestamp={ts}");
        format!("{q}&signature={}", hmac(&q))
    };
    // A log of two attempts, the second signed anew and answered 200: the latest is judged.
    let retried = format!(
        "INFO attempt 1 POST /api/v3/order {}\nWARNING timeout\nINFO attempt 2 POST /api/v3/order {}\nINFO -> 200 {{}}",
        form(now - 10_000),
        form(now)
    );
    assert_eq!(judge(&retried).verdict.code, 0, "{:?}", judge(&retried).findings);
    // The same signed body sent twice, the second refused: a retry that kept its timestamp.
    let same = form(now - 8_000);
    let kept = format!(
        "INFO POST /api/v3/order {same}\nINFO POST /api/v3/order {same}\nINFO -> 400 {{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}}"
    );
    assert!(judge(&kept).findings[0].title.contains("sent again"), "{:?}", judge(&kept).findings);
    // A raw request in a Markdown fence, without a length: the fence is not the body's.
    let fenced = format!(
        "```\nPOST /api/v3/order HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\nContent-Type: application/x-www-form-urlencoded\n\n{}\n```\nno answer yet",
        form(now)
    );
    assert_eq!(judge(&fenced).verdict.code, 0, "{:?}", judge(&fenced).findings);
    // The key sent as a query parameter named like the header, Binance's -2014 shown.
    let q = format!("X-MBX-APIKEY={KEY}&symbol=BTCUSDT&timestamp={now}");
    let in_query = format!(
        "GET https://api.binance.com/api/v3/openOrders?{q}&signature={}\n{{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}",
        hmac("symbol=BTCUSDT")
    );
    assert_eq!(judge(&in_query).findings[0].cause, Cause::KeyAsParameter, "{:?}", judge(&in_query).findings);
    // requests refused to send the key's header and printed it.
    let refused = format!(
        "s.get(f\"{{BASE}}/api/v3/account\", params=signed_params({{}}))\nrequests.exceptions.InvalidHeader: Invalid leading whitespace, reserved character(s), or return character(s) in header value: '{KEY}\\n'"
    );
    assert_eq!(judge(&refused).findings[0].cause, Cause::KeyWhitespace, "{:?}", judge(&refused).findings);
    // Guzzle's getHeaders(): a header's values as a list; an empty quoted value is empty.
    let guzzle = format!(
        "binance {{\"url\":\"https://api.binance.com/api/v3/openOrders?{}\",\"headers\":{{\"X-MBX-APIKEY\":[\"{KEY}\"]}},\"body\":\"[]\"}}",
        get_form(now)
    );
    assert_eq!(judge(&guzzle).verdict.code, 0, "{:?}", judge(&guzzle).findings);
    let empty = format!(
        "GET https://api.binance.com/api/v3/openOrders?{}\n{{'X-MBX-APIKEY': '', 'Content-Length': '0'}}",
        get_form(now)
    );
    assert!(judge(&empty).has(Cause::KeyEmpty), "{:?}", judge(&empty).findings);
    // Ktor's Logging plugin.
    let ktor = format!(
        "REQUEST: https://api.binance.com/api/v3/order\nMETHOD: HttpMethod(value=POST)\nCOMMON HEADERS\n-> X-MBK-APIKEY: {KEY}\nCONTENT HEADERS\n-> Content-Type: application/x-www-form-urlencoded\nBODY START\n{}\nBODY END\nRESPONSE: 401 Unauthorized\nBODY START\n{{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}\nBODY END",
        form(now)
    );
    assert_eq!(judge(&ktor).findings[0].cause, Cause::KeyHeaderMisspelled, "{:?}", judge(&ktor).findings);
    // A URL printed without headers, and code that names the key's header otherwise.
    let apikey = format!(
        "cpr::Response r = cpr::Get(cpr::Url{{url}}, cpr::Header{{{{\"APIKEY\", api_key}}}});\nhttps://api.binance.com/api/v3/account?{} -> 401 {{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}",
        get_form(now)
    );
    assert_eq!(judge(&apikey).findings[0].cause, Cause::KeyHeaderMisspelled, "{:?}", judge(&apikey).findings);
    // Code: a secret read whole from a file; the signed text sent in the URL and as the body.
    assert_eq!(code("with open('s.txt') as f:\n    api_secret = f.read()"), [Cause::SecretWithNewline]);
    assert!(code("with open('s.txt') as f:\n    api_secret = f.read().strip()").is_empty());
    assert_eq!(
        code(
            "$ch = curl_init(\"https://api.binance.com/api/v3/order?$qs\");\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $qs);"
        ),
        [Cause::ParamDuplicated]
    );
}

/// Round 20's texts: bots', notebooks' and no-code tools' logs.
#[test]
fn twentieth_round_texts_are_read_as_what_they_show() {
    let judge = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        diagnose(&r, &ctx())
    };
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let signed = format!("{q}&signature={}", hmac(&q));
    // IPython's traceback arrow is not OkHttp's `--> METHOD url`; Binance's -2015 shown wins over
    // what a later stage would answer (it checks the key first).
    let notebook = format!(
        "--> 445     raise BinanceAPIException(response, response.status_code, response.text)\nBinanceAPIException: APIError(code=-2015): Invalid API-key, IP, or permissions for action.\nhttps://api.binance.com/api/v3/openOrders?{q}&signature={}",
        "ab".repeat(32)
    );
    let d = judge(&notebook);
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::KeyPermission), "{:?}", d.findings);
    // Node-RED's message after its http request node: the answer's headers and payload.
    let node_red = r#"{"method":"POST","url":"https://api.binance.com/api/v3/order","headers":{"x-mbx-uuid":"0b7e","x-mbx-used-weight":"3"},"payload":{"orderId":1},"statusCode":200}"#;
    let d = judge(node_red);
    assert!(d.verdict.code == 0 && d.findings.is_empty(), "{:?}", d.findings);
    assert!(!crate::accept::looks_like_key_header("x-mbx-uuid"));
    // n8n's masked key, its answer escaped in a message, no method named (the parameters tell).
    let n8n = format!(
        "{{\"url\":\"https://api.binance.com/api/v3/openOrders?{signed}\",\"headers\":{{\"X-MBX-APIKEY\":\"**hidden**\"}}}}\n400 - \"{{\\\"code\\\":-2010,\\\"msg\\\":\\\"Account has insufficient balance for requested action.\\\"}}\""
    );
    let d = judge(&n8n);
    assert_eq!(d.verdict.code, -2010, "{:?}", d.findings);
    assert!(!d.has(Cause::KeyFormat) && !d.has(Cause::MethodWrong), "{:?}", d.findings);
    // Apps Script's truncated answer: the 451 is read.
    let apps = format!(
        "https://api.binance.com/api/v3/openOrders?{signed}\nException: Request failed for https://api.binance.com returned code 451. Truncated server response: {{\"code\":0,\"msg\":\"Service unavailable from a restricted location according to 'b. Eli..."
    );
    assert!(judge(&apps).has(Cause::LocationRestricted), "{:?}", judge(&apps).findings);
    // An unset variable printed as the key (Metro's log of a React Native app).
    let metro = format!(
        "LOG  [binance] GET https://api.binance.com/api/v3/account?{signed} {{\"headers\": {{\"X-MBX-APIKEY\": undefined}}}}"
    );
    assert!(judge(&metro).has(Cause::KeyEmpty), "{:?}", judge(&metro).findings);
    // A template's URL in the code, and the program's log of what filled it.
    let pipedream = format!(
        "const res = await axios($, {{ method: \"GET\", url: `https://api.binance.com/api/v3/openOrders?${{qs}}&signature=${{sig}}`, headers: {{ \"X-MBX-APIKEY\": KEY }} }});\n{signed}"
    );
    let d = judge(&pipedream);
    assert!(d.verdict.code == 0 && d.findings.is_empty(), "{:?}", d.findings);
}

/// Rounds 21-23's texts: capture and API tools, WebSocket API logs, correct requests in unusual
/// prints.
#[test]
fn twenty_first_round_texts_are_read_as_what_they_show() {
    let judge = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        diagnose(&r, &ctx())
    };
    let accepted = |text: &str| {
        let d = judge(text);
        assert!(d.verdict.code == 0 && d.findings.is_empty(), "{text}\n{:?}", d.findings);
    };
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let signed = format!("{q}&signature={}", hmac(&q));
    let get = format!("symbol=BTCUSDT&timestamp={NOW}");
    let get_signed = format!("{get}&signature={}", hmac(&get));
    // A logfmt line with the body quoted under its own name.
    accepted(&format!(
        "egress method=POST url=\"https://api.binance.com/api/v3/order\" hdr.x-mbx-apikey=\"{KEY}\" req_body=\"{signed}\" status=200"
    ));
    // curl -v of a chunked body: the curl command's --data.
    accepted(&format!(
        "$ curl -v -H 'Transfer-Encoding: chunked' -H 'X-MBX-APIKEY: {KEY}' --data '{signed}' https://api.binance.com/api/v3/order\n> POST /api/v3/order HTTP/1.1\n> Host: api.binance.com\n> Transfer-Encoding: chunked\n> X-MBX-APIKEY: {KEY}\n> Content-Type: application/x-www-form-urlencoded\n> \n< HTTP/1.1 200 OK\n"
    ));
    // A raw request indented as a whole (a Markdown code block), its length counted unindented.
    accepted(&format!(
        "My request:\n\n    POST /api/v3/order HTTP/1.1\n    Host: api.binance.com\n    X-MBX-APIKEY: {KEY}\n    Content-Type: application/x-www-form-urlencoded\n    Content-Length: {}\n\n    {signed}\n",
        signed.len()
    ));
    // A key masked by the poster, answered 200: not judged.
    let masked = format!("{}****************{}", &KEY[..6], &KEY[58..]);
    accepted(&format!(
        "GET /api/v3/openOrders?{get_signed} HTTP/1.1\nHost: api.binance.com\nX-Mbx-Apikey: {masked}\n\n\n200 OK\n[]"
    ));
    // The docs' own raw JSON array in a URL (curl -g) is taken as sent.
    let d = diagnose(
        &RequestRecord::from_curl(
            "curl -g -X GET 'https://api.binance.com/api/v3/exchangeInfo?symbols=[\"BTCUSDT\",\"BNBBTC\"]'",
        )
        .unwrap(),
        &ctx(),
    );
    assert!(d.verdict.code == 0 && d.findings.is_empty(), "{:?}", d.findings);
    // A status printed on its own line, its answer on the next (Go's resp.Status, then the body).
    let banned = format!(
        "GET /api/v3/openOrders?{get_signed} HTTP/1.1\nHost: api.binance.com\nX-Mbx-Apikey: {KEY}\n\n\n418 I'm a teapot\n{{\"code\":-1003,\"msg\":\"Way too much request weight used; IP banned until 1.\"}}"
    );
    assert_eq!(judge(&banned).verdict.code, -1003);
    let duplicate = format!(
        "POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nContent-Length: {}\nX-Mbx-Apikey: {KEY}\nContent-Type: application/x-www-form-urlencoded\n\n{signed}\n\n400 Bad Request\n{{\"code\":-2010,\"msg\":\"Duplicate order sent.\"}}",
        signed.len()
    );
    let d = judge(&duplicate);
    assert_eq!((d.verdict.code, d.verdict.status), (-2010, 400), "{:?}", d.findings);
    // Python's dict of the request and an axios config printed by util.inspect (baseURL apart).
    let form: Vec<String> = q
        .split('&')
        .chain([format!("signature={}", hmac(&q)).as_str()])
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            format!("'{k}': '{v}'")
        })
        .collect();
    accepted(&format!(
        "DEBUG request: {{'method': 'POST', 'url': 'https://api.binance.com/api/v3/order', 'headers': {{'X-MBX-APIKEY': '{KEY}'}}, 'data': {{{}}}}}\nDEBUG response: 200 {{\"orderId\":1}}",
        form.join(", ")
    ));
    accepted(&format!(
        "{{\n  method: 'get',\n  baseURL: 'https://api.binance.com',\n  url: '/api/v3/openOrders',\n  params: {{ symbol: 'BTCUSDT', timestamp: {NOW}, signature: '{}' }},\n  headers: Object [AxiosHeaders] {{\n    'X-MBX-APIKEY': '{KEY}'\n  }}\n}}\n200 []",
        hmac(&get)
    ));
    // An access log's field for the key header (Envoy's JSON log).
    accepted(&format!(
        "{{\"method\": \"GET\", \"path\": \"/api/v3/openOrders?{get_signed}\", \"response_code\": 200, \"authority\": \"api.binance.com\", \"x_mbx_apikey\": \"{KEY}\", \"user_agent\": \"okhttp/4.12.0\"}}"
    ));
    // JMeter's View Results Tree.
    accepted(&format!(
        "Request:\nPOST https://api.binance.com/api/v3/order\n\nPOST data:\n{signed}\n\n[no cookies]\n\nRequest Headers:\nX-MBX-APIKEY: {KEY}\nContent-Type: application/x-www-form-urlencoded\nContent-Length: {}\n\nResponse data:\n{{\"orderId\":1}}\n\nResponse headers:\nHTTP/1.1 200 OK\n",
        signed.len()
    ));
    // An .http file's template, its variable in the env file, and the run's output.
    accepted(&format!(
        "binance.http:\n```\n### orders\nGET https://api.binance.com/api/v3/openOrders?timestamp={{{{ts}}}}&signature={{{{sig}}}}\nX-MBX-APIKEY: {{{{apiKey}}}}\n```\nenv:\n```\n{{\"prod\": {{\"apiKey\": \"{KEY}\"}}}}\n```\nRun output:\n```\nGET https://api.binance.com/api/v3/openOrders?{get_signed}\n\nHTTP/1.1 200 OK\n```"
    ));
    // Sent unresolved (no environment selected in the tool).
    let unresolved = format!(
        "POST https://api.binance.com/api/v3/order\n401\nRequest Headers\n  X-MBX-APIKEY: {{{{binance_api_key}}}}\nRequest Body\n  {signed}\nResponse Body\n  {{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}"
    );
    assert_eq!(judge(&unresolved).findings[0].cause, Cause::KeyEmpty, "{:?}", judge(&unresolved).findings);
    // k6's debug lines between a GET's head and its response are no body.
    accepted(&format!(
        "INFO[0001] Request:\nGET /api/v3/openOrders?{get_signed} HTTP/1.1\nHost: api.binance.com\nX-Mbx-Apikey: {KEY}\n\n  group= iter=0 request_id=4a59 vu=1\nINFO[0001] Response:\nHTTP/2.0 200 OK\nContent-Type: application/json\n\n[]"
    ));
    // Postman's console of two requests: the refused one is judged.
    let postman = format!(
        "GET https://api.binance.com/api/v3/openOrders?{}\n200\nRequest Headers\n  X-MBX-APIKEY: {KEY}\nResponse Body\n  {{\"balances\":[]}}\n\nPOST https://api.binance.com/api/v3/order\n401\nRequest Headers\n  X-MBX-APIKEY: {KEY}\n  Content-Type: application/x-www-form-urlencoded\nRequest Body\n  {signed}\nResponse Body\n  {{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}}",
        {
            let old = format!("timestamp={}", NOW.as_millis() - 40_000);
            format!("{old}&signature={}", hmac(&old))
        }
    );
    let d = judge(&postman);
    assert_eq!(d.verdict.code, -2015);
    assert!(!d.has(Cause::TimestampTooOld), "{:?}", d.findings);
    // mitmproxy's console: its headers, then the form's rows.
    let rows: String = q
        .split('&')
        .chain([format!("signature={}", hmac(&q)).as_str()])
        .map(|p| p.replacen('=', ":  ", 1) + "\n")
        .collect();
    accepted(&format!(
        "20:45:17 POST https://api.binance.com/api/v3/order\n                   \u{2190} 200 application/json 63b 198ms\n\u{2500}\u{2500} Request \u{2500}\u{2500} Response \u{2500}\u{2500} Detail \u{2500}\u{2500}\nHost:             api.binance.com\nContent-Length:   {}\nContent-Type:     application/x-www-form-urlencoded\nX-Mbx-Apikey:     {KEY}\nURLEncoded form                     [m:auto]\n{rows}",
        signed.len()
    ));
    // A request's block and its answer's, each in its own fence under a label.
    accepted(&format!(
        "Request\n```\nDELETE /api/v3/openOrders?{get_signed} HTTP/2\nHost: api.binance.com\nX-Mbx-Apikey: {KEY}\n\n```\nResponse\n```\nHTTP/2 200\ncontent-type: application/json\n\n[]\n```"
    ));
    // A relay that re-encoded the signed request on its way: the same values, not a reused
    // signature.
    let raw =
        format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=tv:long&timestamp={NOW}");
    let sig = hmac(&raw);
    let relay = format!(
        "wrangler tail:\nPOST https://relay.example.workers.dev/api/v3/order?{raw}&signature={sig}&token=9f\n(log) forwarding to https://api.binance.com/api/v3/order?{}&signature={sig}\n(log) binance 400 {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}",
        raw.replace(':', "%3A")
    );
    let d = judge(&relay);
    assert_eq!(d.findings[0].cause, Cause::SignedUnencoded, "{:?}", d.findings);
    // The code reader: a Go map walked to build the signed text; a key pair made at every run.
    assert_eq!(
        code(
            "for k, v := range params {\n\tparts = append(parts, k+\"=\"+v)\n}\nmac := hmac.New(sha256.New, []byte(secret))"
        ),
        [Cause::SignedOtherOrder]
    );
    assert!(code("keys := sortedKeys(params)\nsort.Strings(keys)\nfor k, v := range params {\n}\nmac := hmac.New(sha256.New, key)").is_empty());
    assert_eq!(code("private_key = Ed25519PrivateKey.generate()  # TODO load"), [Cause::KeyRegisteredOther]);
}

/// A WebSocket API log's error answers count: what the frame's form does not explain is named,
/// an answer whose id is null answers the latest frame not answered yet, and a program's escaped
/// print of it is read.
#[test]
fn a_ws_log_s_error_answers_are_explained() {
    let frame = format!(
        r#"{{"id":"c1","method":"order.cancel","params":{{"apiKey":"{KEY}","orderId":7,"symbol":"BTCUSDT","timestamp":{NOW}}}}}"#
    );
    let payload = format!("apiKey={KEY}&orderId=7&symbol=BTCUSDT&timestamp={NOW}");
    let frame = frame.replacen("}}", &format!(",\"signature\":\"{}\"}}}}", hmac(&payload)), 1);
    let judge =
        |log: &str| diagnose_ws_log(&[frame.as_str()], &ws_answers_in_log(log), None, &ctx(), &[]).remove(0);
    let d = judge(&format!(
        "--> {frame}\n<-- {{\"id\":\"c1\",\"status\":400,\"error\":{{\"code\":-2011,\"msg\":\"Unknown order sent.\"}}}}"
    ));
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2011, Cause::AnswerUnexplained), "{:?}", d.findings);
    let d = judge(&format!(
        "--> {frame}\n<-- {{\"id\":null,\"status\":401,\"error\":{{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}}}}"
    ));
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::KeyPermission), "{:?}", d.findings);
    let d = judge(&format!(
        "sent: {frame}\nstring(\"{{\\\"id\\\":\\\"c1\\\",\\\"status\\\":400,\\\"error\\\":{{\\\"code\\\":-2010,\\\"msg\\\":\\\"Account has insufficient balance for requested action.\\\"}}}}\")"
    ));
    assert_eq!(d.verdict.code, -2010, "{:?}", d.findings);
    // The parameters under another name than params.
    let typo = r#"{"id":4,"method":"order.place","param":{"symbol":"BTCUSDT"}}"#;
    let d = diagnose_ws(typo, None, &ctx());
    assert_eq!(d.findings[0].cause, Cause::ParamNotRead, "{:?}", d.findings);
}

/// What a WebSocket API client signed instead of its params sorted: the whole request as JSON, a
/// value written otherwise (`1e-3` for `0.001`), the timestamp in another unit.
#[test]
fn ws_frames_signed_as_other_texts_are_named() {
    let check = |signed: &str, frame_params: &str| {
        let frame = format!(
            r#"{{"id":"a","method":"order.place","params":{{{frame_params},"signature":"{}"}}}}"#,
            hmac(signed)
        );
        diagnose_ws(&frame, None, &ctx())
    };
    let params = format!(
        r#""symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":0.001,"timestamp":{NOW},"apiKey":"{KEY}""#
    );
    let whole = format!(r#"{{"id":"a","method":"order.place","params":{{{params}}}}}"#);
    let d = check(&whole, &params);
    assert_eq!(d.findings[0].cause, Cause::SignedJson, "{:?}", d.findings);
    let written = format!("apiKey={KEY}&quantity=1e-3&side=BUY&symbol=BTCUSDT&timestamp={NOW}&type=MARKET");
    let d = check(&written, &params);
    assert_eq!(d.findings[0].cause, Cause::SignedOtherValueText, "{:?}", d.findings);
    let micros = params.replace(&NOW.to_string(), &format!("{NOW}000"));
    let millis = format!("apiKey={KEY}&quantity=0.001&side=BUY&symbol=BTCUSDT&timestamp={NOW}&type=MARKET");
    let d = check(&millis, &micros);
    assert_eq!(d.findings[0].cause, Cause::SignedOtherValueText, "{:?}", d.findings);
}

/// Round 25's texts: libraries' prints of Binance's error (binance-connector's `ClientError`
/// tuple, Binance.Net's `-2011: msg`), an AxiosError's `data` that is the answer, not the body,
/// Go's `%#v` of the headers, Faraday's inspected key, PHP's `curl_getinfo` print, and a `-2014`
/// shown beside a signature that would also fail.
#[test]
fn twenty_fifth_round_texts_are_read_as_what_they_show() {
    let judge = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        diagnose(&r, &ctx())
    };
    let a = request::answer_line(
        "binance.error.ClientError: (401, -2015, 'Invalid API-key, IP, or permissions for action.', {'Content-Type': 'application/json'})",
    )
    .expect("the tuple read");
    assert_eq!((a.status, a.code), (401, Some(-2015)));
    assert_eq!(a.msg.as_deref(), Some("Invalid API-key, IP, or permissions for action."));
    let a = request::answer_line("[ServerError] -2011: Unknown order sent.").expect("the code read");
    assert_eq!((a.code, a.msg.as_deref()), (Some(-2011), Some("Unknown order sent.")));
    // A negative number that is no code of the catalog is not an answer.
    assert!(request::answer_line("offset -98765: drift").is_none());

    let get = format!("symbol=BTCUSDT&timestamp={NOW}");
    let get_signed = format!("{get}&signature={}", hmac(&get));
    // Go's %#v of the request's headers, the key empty.
    let d = judge(&format!(
        "req: GET https://api.binance.com/api/v3/openOrders?{get_signed}\nheaders: http.Header{{\"Content-Type\":[]string{{\"application/json\"}}, \"X-Mbx-Apikey\":[]string{{\"\"}}}}"
    ));
    assert_eq!(d.findings[0].cause, Cause::KeyEmpty, "{:?}", d.findings);
    // Faraday's logger inspects a header value that holds its own quotes.
    let d = judge(&format!(
        "I, [2026-12-01T10:00:00] INFO -- request: GET https://api.binance.com/api/v3/openOrders?{get_signed}\nI, [2026-12-01T10:00:00] INFO -- request: X-MBX-APIKEY: \"\\\"{KEY}\\\"\""
    ));
    assert_eq!(d.findings[0].cause, Cause::KeyQuoted, "{:?}", d.findings);
    // PHP's print_r(curl_getinfo($ch)): the head libcurl sent, then Binance's answer.
    let d = judge(&format!(
        "Array\n(\n    [url] => https://api.binance.com/api/v3/openOrders?{get_signed}\n    [http_code] => 200\n    [request_header] => GET /api/v3/openOrders?{get_signed} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\nAccept: */*\n\n)\n[]"
    ));
    assert!(d.verdict.code == 0 && d.findings.is_empty(), "{:?}", d.findings);
    // Binance answered -2014 to a request whose signature would fail too: the key is checked
    // first, so its explanation leads.
    let bad = format!("{get}&signature={}", hmac("symbol=BTCUSDT"));
    let d = judge(&format!(
        "GET /api/v3/openOrders?{bad} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\nHTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}"
    ));
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2014, Cause::KeyFormat), "{:?}", d.findings);
    assert!(d.findings.len() > 1, "the signature's finding stays, as likely: {:?}", d.findings);
    // Binance answered -1021 to a request that is on time by the doctor's clock, and whose
    // signature fails: Binance's clock was checked first.
    let d = judge(&format!(
        "GET /api/v3/openOrders?{bad} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}}"
    ));
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1021, Cause::TimestampTooOld), "{:?}", d.findings);
    assert!(d.findings.len() > 1, "{:?}", d.findings);
    // The docs' example signature sent for other parameters: copied, with or without the secret.
    let docs = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
    let copied = format!(
        "POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\nContent-Type: application/x-www-form-urlencoded\n\nsymbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp={NOW}&signature={docs}"
    );
    let d = judge(&copied);
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::SignatureReused), "{:?}", d.findings);
    let r = RequestRecord::from_http(&copied).unwrap();
    let d = diagnose(&r, &Context::default().at(NOW.offset_millis(150)));
    assert_eq!(d.findings[0].cause, Cause::SignatureReused, "{:?}", d.findings);
    // The docs' own request, as the docs sign it, is not a copy.
    let own = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    assert_eq!(hmac(own), docs);
    let d = diagnose(&RequestRecord::from_http(&copied.replace(&format!("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp={NOW}"), own)).unwrap(), &ctx());
    assert!(!d.has(Cause::SignatureReused), "{:?}", d.findings);
    let frame = format!(
        r#"{{"id":"1","method":"account.status","params":{{"apiKey":"{KEY}","timestamp":{NOW},"signature":"15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88"}}}}"#
    );
    let d = diagnose_ws(&frame, None, &Context::default().at(NOW.offset_millis(150)));
    assert_eq!(d.findings[0].cause, Cause::SignatureReused, "{:?}", d.findings);
    // curl -v of two signed requests and no answers: the latest is judged (the program stopped
    // after it).
    let d = judge(&format!(
        "* Connected to api.binance.com\n> GET /api/v3/openOrders?{get_signed} HTTP/1.1\n> Host: api.binance.com\n> X-MBX-APIKEY: {KEY}\n>\n* Connected to api.binance.com\n> GET /api/v3/openOrders?{bad} HTTP/1.1\n> Host: api.binance.com\n> X-MBX-APIKEY: {KEY}\n>\n"
    ));
    assert_eq!(d.verdict.code, -1022, "{:?}", d.findings);
    // A well-formed order refused by a filter: the finding names the filter.
    let q = format!(
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00001&price=60000&timestamp={NOW}"
    );
    let d = judge(&format!(
        "POST /api/v3/order?{q}&signature={} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{{\"code\":-1013,\"msg\":\"Filter failure: NOTIONAL\"}}",
        hmac(&q)
    ));
    assert_eq!(d.findings[0].cause, Cause::AnswerUnexplained, "{:?}", d.findings);
    assert!(d.findings[0].title.contains("notional"), "{:?}", d.findings[0]);
}

/// A HAR's WebSocket message sent binary (`opcode` 2, its bytes in base64): named, not dropped.
#[test]
fn a_har_s_binary_message_is_a_binary_frame() {
    let frame = r#"{"id":"b1","method":"time"}"#;
    let har = format!(
        r#"{{"log":{{"entries":[{{"request":{{"method":"GET","url":"wss://ws-api.binance.com:443/ws-api/v3","headers":[]}},"_webSocketMessages":[{{"type":"send","time":1499827319.5,"opcode":2,"data":"{}"}}]}}]}}}}"#,
        crate::sign::encode_base64(crate::sign::KeyKind::Ed25519, frame.as_bytes()).as_str()
    );
    let entries = read_har(&har).unwrap();
    assert_eq!(entries.len(), 1);
    let d = entries[0].diagnose(&ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1135, Cause::FrameBinary), "{:?}", d.findings);
    assert!(d.findings[0].evidence.contains(&frame.len().to_string()), "{:?}", d.findings[0]);
}

/// Binance answered what it checks only after the signature (a balance, a filter, an unknown
/// order) to a request whose signature fails with the secret given: the answer leads, and the
/// secret given is said not to be Binance's for this key.
#[test]
fn an_answer_past_the_signature_outranks_the_signature_check() {
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let other = crate::sign::HmacSigner::new(b"another-secret").sign(q.as_bytes()).to_string();
    let text = format!(
        "POST /api/v3/order?{q}&signature={other} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{{\"code\":-2010,\"msg\":\"Account has insufficient balance for requested action.\"}}"
    );
    let d = diagnose(&RequestRecord::from_http(&text).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2010, Cause::AnswerUnexplained), "{:?}", d.findings);
    assert!(d.has(Cause::KeyRegisteredOther), "{:?}", d.findings);
}

/// A frame sent as on a logged-on session and refused for the apiKey the session would supply:
/// the connection was not logged on (a reconnect between them).
#[test]
fn a_frame_refused_for_the_session_s_api_key_names_the_connection() {
    let der = crate::keys::generate_ed25519().unwrap();
    let signer = crate::sign::Ed25519Signer::from_pkcs8_der(&der).unwrap();
    let logon = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{KEY}","timestamp":{NOW},"signature":"{}"}}}}"#,
        signer.sign(format!("apiKey={KEY}&timestamp={NOW}").as_bytes()).as_str()
    );
    let order = format!(
        r#"{{"id":2,"method":"order.place","params":{{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"1","timestamp":{NOW}}}}}"#
    );
    let log = format!(
        "SEND {logon}\nRECV {{\"id\":1,\"status\":200,\"result\":{{}}}}\nclose 1006, reconnecting\nSEND {order}\nRECV {{\"id\":2,\"status\":400,\"error\":{{\"code\":-1102,\"msg\":\"Mandatory parameter 'apiKey' was not sent, was empty/null, or malformed.\"}}}}\n"
    );
    let ctx = Context::key(Verifier::Ed25519(signer.verifier())).at(NOW.offset_millis(150));
    let d = diagnose_ws_log(&[logon.as_str(), order.as_str()], &ws_answers_in_log(&log), None, &ctx, &[]);
    assert_eq!(
        (d[1].verdict.code, d[1].findings[0].cause),
        (-1102, Cause::SessionNotLoggedOn),
        "{:?}",
        d[1].findings
    );
}

/// The market-data host serves the public endpoints only: a keyed request sent there is named.
#[test]
fn a_keyed_request_to_the_market_data_host_is_named() {
    let q = format!("timestamp={NOW}");
    let curl = format!(
        "curl -H 'X-MBX-APIKEY: {KEY}' 'https://data-api.binance.vision/api/v3/account?{q}&signature={}'",
        hmac(&q)
    );
    let d = diagnose(&RequestRecord::from_curl(&curl).unwrap(), &ctx());
    assert_eq!((d.verdict.status, d.findings[0].cause), (404, Cause::PathUnknown), "{:?}", d.findings);
    let public =
        RequestRecord::from_curl("curl 'https://data-api.binance.vision/api/v3/depth?symbol=BTCUSDT'")
            .unwrap();
    assert!(diagnose(&public, &ctx()).findings.is_empty());
}

/// Non-ASCII sent and signed raw, answered -1022: the raw characters explain it, not another key.
#[test]
fn raw_non_ascii_signed_raw_and_refused_is_the_encoding() {
    let q = format!("symbol=币安人生USDT&timestamp={NOW}");
    let text = format!(
        "GET /api/v3/openOrders?{q}&signature={} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\n{{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}",
        hmac(&q)
    );
    let d = diagnose(&RequestRecord::from_http(&text).unwrap(), &ctx());
    assert_eq!(
        (d.verdict.code, d.findings[0].cause),
        (-1022, Cause::UnencodedCharacters),
        "{:?}",
        d.findings
    );
    assert!(!d.has(Cause::KeyRegisteredOther), "{:?}", d.findings);
}

/// Round 30-31 texts the core reads: an answer past the signature outranks what a payload printed
/// before its signature lacks, a multipart body's fields as a tool prints them, Make's
/// `formFields`, and code that sends JSON or keys the HMAC with the API key.
#[test]
fn thirtieth_round_texts_are_read_as_what_they_show() {
    let judge = |text: &str| {
        diagnose(&RequestRecord::from_http(text).unwrap_or_else(|e| panic!("{e}: {text}")), &ctx())
    };
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let d = judge(&format!(
        "POST /api/v3/order?{q} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\nHTTP/1.1 400 Bad Request\n\n{{\"code\":-2010,\"msg\":\"Account has insufficient balance for requested action.\"}}"
    ));
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2010, Cause::AnswerUnexplained), "{:?}", d.findings);
    let fields: String = q
        .split('&')
        .chain([format!("signature={}", hmac(&q)).as_str()])
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            format!("{k}: \"{v}\"\n")
        })
        .collect();
    let d = judge(&format!(
        "POST https://api.binance.com/api/v3/order\nX-MBX-APIKEY: {KEY}\nContent-Type: multipart/form-data; boundary=----1234\n\n{fields}"
    ));
    assert_eq!(d.findings[0].cause, Cause::BodyMultipart, "{:?}", d.findings);
    let rows: Vec<String> = q
        .split('&')
        .chain([format!("signature={}", hmac(&q)).as_str()])
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            format!("{{\"key\": \"{k}\", \"value\": \"{v}\"}}")
        })
        .collect();
    let make = format!(
        "[{{\"url\": \"https://api.binance.com/api/v3/order\", \"method\": \"post\", \"qs\": [], \"headers\": [{{\"name\": \"X-MBX-APIKEY\", \"value\": \"{KEY}\"}}], \"bodyType\": \"x_www_form_urlencoded\", \"formFields\": [{}]}}]",
        rows.join(", ")
    );
    let d = judge(&make);
    assert!(d.verdict.code == 0 && d.findings.is_empty(), "{:?}", d.findings);
    assert_eq!(
        code(
            "var request = new RestRequest(\"/api/v3/order\", Method.Post);\nrequest.AddJsonBody(parameters);"
        ),
        [Cause::JsonBody]
    );
    assert_eq!(
        code("val payload = params.asJson.noSpaces\nval sig = hmacSha256(secret, payload)"),
        [Cause::SignedJson]
    );
    assert_eq!(code("Sig := THashSHA2.GetHMACAsBytes(Query, FApiKey, SHA256);"), [Cause::SecretIsApiKey]);
}

/// Round 32's texts (programs run against a sandbox): code slips read beside their output, forms
/// printed without a URL, python-binance's verbose log, a GET's body printed apart.
#[test]
fn round_32_code_slips_and_forms_printed_alone() {
    assert_eq!(code("String signature = hmac(API_KEY, query);"), [Cause::SecretIsApiKey]);
    assert!(code("static String hmac(String apiKey, String data) throws Exception {").is_empty());
    assert_eq!(
        code(
            "curl -sS -H \"Authorization: Bearer $BINANCE_API_KEY\" \"$BASE/api/v3/account?$q&signature=$sig\""
        ),
        [Cause::KeyInAuthorizationHeader]
    );
    assert_eq!(
        code(
            "c=\"tp 1/2\"\nsig=$(printf '%s' \"$p\" | openssl dgst -sha256 -hmac \"$S\" | awk '{print $2}')\ncurl \"$U\" --data-urlencode \"newClientOrderId=$c\""
        ),
        [Cause::SignedUnencoded]
    );
    let read = |text: &str| {
        let r = RequestRecord::from_http(text).unwrap();
        diagnose(&r, &ctx()).findings.first().map(|f| f.cause)
    };
    // The form signed sorted, then the form sent, no URL anywhere.
    let sent = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let sorted = format!("quantity=1&side=BUY&symbol=BTCUSDT&timestamp={NOW}&type=MARKET");
    let text = format!(
        "signed: {sorted}\nbody:   {sent}&signature={}\n400 {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n",
        hmac(&sorted)
    );
    assert_eq!(read(&text), Some(Cause::SignedSortedParams));
    // python-binance's verbose log: its pairs as requests sends them (a space as '+').
    let raw = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&newClientOrderId=a b&timestamp={NOW}");
    let tuples: Vec<String> = raw
        .split('&')
        .chain([format!("signature={}", hmac(&raw)).as_str()])
        .map(|p| p.split_once('=').unwrap())
        .map(|(k, v)| format!("('{k}', '{v}')"))
        .collect();
    let log = format!(
        "Request: POST https://api.binance.com/api/v3/order\nRequestHeaders: {{'Content-Type': 'application/x-www-form-urlencoded'}}\nRequestBody: [{}]\nResponse: 400\nResponseBody: {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n",
        tuples.join(", ")
    );
    let r = RequestRecord::from_http(&log).unwrap();
    assert!(r.body.contains("newClientOrderId=a+b"), "{}", r.body);
    assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::SignedUnencoded);
    // A GET's form printed after its URL, which Binance says it did not get: the body.
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let text = format!(
        "GET https://api.binance.com/api/v3/openOrders {q}&signature={}\n400 {{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}}\n",
        hmac(&q)
    );
    assert_eq!(read(&text), Some(Cause::GetWithBody));
    // The same with a 200 answer: the query, accepted.
    let ok = text.replace("400 {\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}", "200 []");
    assert_eq!(read(&ok), None);
}

/// A WebSocket API frame signed over Python's `json.dumps(params)`: default separators, a boolean
/// and integers bare.
#[test]
fn ws_params_signed_as_python_json_dumps_are_named() {
    let params = format!("{{\"apiKey\": \"{KEY}\", \"omitZeroBalances\": true, \"timestamp\": {NOW}}}");
    let frame = format!(
        "{{\"id\": 1, \"method\": \"account.status\", \"params\": {{\"apiKey\": \"{KEY}\", \"omitZeroBalances\": true, \"timestamp\": {NOW}, \"signature\": \"{}\"}}}}",
        hmac(&params)
    );
    let d = diagnose_ws(&frame, None, &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedJson, "{:?}", d.findings);
}

/// Round 33's code slips: PHP's array given to CURLOPT_POSTFIELDS (sent as multipart).
#[test]
fn round_33_php_array_postfields_is_named() {
    let php = "$params = ['symbol' => 'BNBUSDT', 'timestamp' => $ts];\n$params['signature'] = hash_hmac('sha256', http_build_query($params), $secret);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $params);";
    assert!(code(php).contains(&Cause::BodyMultipart), "{:?}", code(php));
    let string = "$query = http_build_query($params);\ncurl_setopt($ch, CURLOPT_POSTFIELDS, $query . '&signature=' . $sig);";
    assert!(!code(string).contains(&Cause::BodyMultipart));
    assert_eq!(
        loose::print_r_fields("Array\n(\n    [symbol] => BNBUSDT\n    [side] => BUY\n)\n").unwrap(),
        [("symbol", "BNBUSDT"), ("side", "BUY")]
    );
}

/// Round 34: a WebSocket API program's code beside its output (its frame literals are no frames
/// sent), and Node.js's console.log of a frame and its answer.
#[test]
fn round_34_ws_code_literals_and_inspected_answers() {
    let post = "async def main():\n    await call(ws, {\"id\": \"u1\", \"method\": \"userDataStream.subscribe\"})\n    await call(ws, {\"id\": \"o1\", \"method\": \"order.place\", \"params\": signed(\n\nOutput:\n> {\"id\": \"s1\", \"method\": \"account.status\", \"params\": {}}\n";
    let frames = ws_frames_in_log(post).unwrap().unwrap();
    assert_eq!(frames, [r#"{"id": "s1", "method": "account.status", "params": {}}"#]);
    let node = "send({ id: 1, method: \"userDataStream.subscribe\" })\nrecv {\n  id: 3,\n  status: 400,\n  error: { code: -2011, msg: 'Unknown order sent.' }\n}\n";
    let answers = ws_answers_in_log(node);
    assert_eq!((answers[0].0.as_str(), answers[0].1.code), ("3", Some(-2011)));
    assert!(inspected_frames(node).is_empty(), "a call's argument in code is no frame sent");
}

/// Round 34: what Binance answered rules out a slip of a code branch that did not run; a secret
/// one character short is named.
#[test]
fn round_34_the_answer_rules_out_code_slips_and_a_secret_one_short_is_named() {
    let code = "if mode == 'seconds':\n    ts = int(time.time())\nelse:\n    ts = int(time.time() * 1000)\nsig = hmac.new(secret.encode(), q.encode(), hashlib.sha256).hexdigest()\nr = requests.post('https://api.binance.com/api/v3/order', data=body)\n";
    let ok = format!("{code}\nOutput:\n200 OK {{'symbol': 'BTCUSDT', 'orderId': 7}}\n");
    let r = RequestRecord::from_http(&ok).unwrap();
    assert_eq!(diagnose(&r, &ctx()).verdict.code, 0);
    let ahead = format!(
        "{code}\nOutput:\n{{\"code\":-1021,\"msg\":\"Timestamp for this request was 1000ms ahead of the server's time.\"}}\n"
    );
    let r = RequestRecord::from_http(&ahead).unwrap();
    let d = diagnose(&r, &ctx());
    assert!(d.findings.iter().all(|f| f.cause != Cause::TimestampSeconds), "{:?}", d.findings);
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    let short = HmacSigner::new(&SECRET.as_bytes()[..SECRET.len() - 1]).sign(q.as_bytes());
    let r = get(&format!("{q}&signature={}", short.as_str()), &[("X-MBX-APIKEY", KEY)]);
    assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::SecretTruncated);
}

/// Round 35: a shell script's slips (an unquoted URL, curl -u, --json, HTTPie's items, -X GET -d,
/// openssl's labelled output, xxd -p, hex for a key pair, PSS) and the clocks of zsh and fish.
#[test]
fn round_35_shell_script_slips() {
    let has =
        |text: &str, cause: Cause| assert!(code(text).contains(&cause), "{cause:?} in {:?}", code(text));
    has(
        "curl -s -H \"X-MBX-APIKEY: $KEY\" https://api.binance.com/api/v3/account?timestamp=$TS&signature=$SIG",
        Cause::SignatureMissing,
    );
    assert!(!code("curl -s -H \"X-MBX-APIKEY: $KEY\" \"https://api.binance.com/api/v3/account?timestamp=$TS&signature=$SIG\"").contains(&Cause::SignatureMissing));
    has("curl -u \"$KEY:\" \"$URL\"", Cause::KeyInAuthorizationHeader);
    has("http GET \"$URL\" apiKey==$KEY timestamp==$TS signature==$SIG", Cause::KeyAsParameter);
    has("TS=$(( EPOCHREALTIME * 1000 ))", Cause::TimestampMalformed);
    has(
        "SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | cut -d' ' -f1)",
        Cause::SignatureNotBare,
    );
    assert!(
        !code("SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -r -hmac \"$SECRET\" | cut -d' ' -f1)")
            .contains(&Cause::SignatureNotBare)
    );
    has("curl -s -H \"X-MBX-APIKEY $KEY\" \"$URL?$Q&signature=$SIG\"", Cause::KeyMissing);
    assert!(
        !code("curl -s -H \"X-MBX-APIKEY: $KEY\" \"$URL?$Q&signature=$SIG\"").contains(&Cause::KeyMissing)
    );
    let script = &(format!("KEY=\"{KEY}\"\n")
        + "SECRET=$(cat secret.txt)\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$BINANCE_SECRET\" | awk '{print $2}')\ncurl -s -H \"X-MBX-APIKEY: $API_KEY\" \"$URL?$Q&signature=$SIG\"");
    assert!(
        code(script).contains(&Cause::SecretEmpty) && code(script).contains(&Cause::KeyEmpty),
        "{:?}",
        code(script)
    );
    // A placeholder for the key is no key: the variable sent may well be set outside the script.
    let placeholder = script.replace(KEY, "your-key");
    assert_eq!(code(&placeholder), [Cause::SecretEmpty], "{:?}", code(&placeholder));
    // Variables the script sets, or that nothing in it suggests are misnamed (set outside it).
    let fine = "KEY=\"abc\"\nread -r SECRET < secret.txt\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -H \"X-MBX-APIKEY: $KEY\" \"$URL?$Q&signature=$SIG\"";
    assert!(code(fine).is_empty(), "{:?}", code(fine));
    let from_env = "SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$BINANCE_SECRET\" | awk '{print $2}')\ncurl -s -H \"X-MBX-APIKEY: $BINANCE_KEY\" \"$URL?$Q&signature=$SIG\"";
    assert!(code(from_env).is_empty(), "{:?}", code(from_env));
    has("IFS= read -r -d '' SECRET < secret.txt", Cause::SecretWithNewline);
    let read_d = format!(
        "KEY=\"{KEY}\"\nIFS= read -r -d '' SECRET < secret.txt\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{{print $2}}')"
    );
    assert_eq!(code(&read_d), [Cause::SecretWithNewline], "{:?}", code(&read_d));
    // fish: the key written in, the secret's variable never set, and Binance refusing the
    // signature (without the refusal, a secret from the environment beside a key written in is
    // common).
    let fish = format!(
        "set KEY \"{KEY}\"\nset SIG (printf '%s' $Q | openssl dgst -sha256 -hmac \"$BINANCE_SECRET\" | string split -f2 ' ')"
    );
    assert!(code(&fish).is_empty(), "{:?}", code(&fish));
    let refused = format!("{fish}\n{{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}");
    assert_eq!(code(&refused), [Cause::SecretEmpty], "{:?}", code(&refused));
    let sourced = format!("source ~/.binance.env\n{script}");
    assert!(
        !code(&sourced).contains(&Cause::SecretEmpty) && !code(&sourced).contains(&Cause::KeyEmpty),
        "{:?}",
        code(&sourced)
    );
    // httpx's HTTPStatusError quotes the URL but not the method: at a path that takes a POST
    // too, its parameters may have gone in a body; Binance's answer names what it did not get.
    let missing = r#"{"code":-1102,"msg":"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."}"#;
    let status_error = |path: &str| {
        format!(
            "Client error '400 Bad Request' for url 'https://api.binance.com{path}'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/400\n{missing}\n"
        )
    };
    let d = diagnose(&RequestRecord::from_http(&status_error("/api/v3/order")).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, Cause::AnswerUnexplained), "{:?}", d.findings);
    // A GET-only path's URL without a query: its parameters went elsewhere (a body, options not
    // sent), or nowhere; the answer is explained with both.
    let d = diagnose(&RequestRecord::from_http(&status_error("/api/v3/account")).unwrap(), &ctx());
    assert_eq!(d.findings[0].cause, Cause::AnswerUnexplained, "{:?}", d.findings);
    assert_eq!(d.findings[1].cause, Cause::GetWithBody, "{:?}", d.findings);
    let split = "QS=\"symbol=BNBUSDT&side=SELL\"\nBODY=\"quantity=1&timestamp=$TS\"\nSIG=$(printf '%s' \"$BODY\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -X POST -H \"X-MBX-APIKEY: $KEY\" -d \"$BODY&signature=$SIG\" \"https://api.binance.com/api/v3/order?$QS\"";
    assert!(code(split).contains(&Cause::SignedBodyOnly), "{:?}", code(split));
    let split = "QS=\"symbol=BNBUSDT&timestamp=$TS\"\nBODY=\"quantity=1\"\nSIG=$(printf '%s' \"$QS\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -X POST -H \"X-MBX-APIKEY: $KEY\" -d \"$BODY\" \"https://api.binance.com/api/v3/order?$QS&signature=$SIG\"";
    assert!(code(split).contains(&Cause::SignedQueryOnly), "{:?}", code(split));
    let whole = "Q=\"symbol=BNBUSDT&timestamp=$TS\"\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -X POST -H \"X-MBX-APIKEY: $KEY\" -d \"$Q&signature=$SIG\" \"https://api.binance.com/api/v3/order\"";
    assert!(code(whole).is_empty(), "{:?}", code(whole));
    let items = "Q=\"timestamp=$TS&omitZeroBalances=true\"\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\nhttp GET \"$URL\" \"X-MBX-APIKEY:$KEY\" omitZeroBalances==true timestamp==$TS signature==$SIG";
    assert!(code(items).contains(&Cause::SentOtherOrder), "{:?}", code(items));
    let same =
        items.replace("omitZeroBalances==true timestamp==$TS", "timestamp==$TS omitZeroBalances==true");
    assert!(code(&same).is_empty(), "{:?}", code(&same));
    // curl -v of a POST to the GET-only path: the body it does not show is never read.
    let log = format!(
        "> POST /api/v3/account HTTP/1.1\n> Host: api.binance.com\n> X-MBX-APIKEY: {KEY}\n> Content-Length: 120\n> Content-Type: application/x-www-form-urlencoded\n> \n}} [120 bytes data]\n< HTTP/1.1 405 Method Not Allowed\n< allow: GET,HEAD\n< content-length: 0\n"
    );
    let d = diagnose(&RequestRecord::from_http(&log).expect("read"), &ctx());
    assert_eq!(d.verdict.code, -405, "{:?}", d.findings);
    assert!(matches!(d.findings[0].cause, Cause::PathUnknown | Cause::MethodWrong), "{:?}", d.findings);
    // A method the path does not take: Binance answers 405 without a code of its own.
    let account = "https://api.binance.com/api/v3/account";
    for post in [
        format!("curl -s -H \"X-MBX-APIKEY: $KEY\" -d \"$Q&signature=$SIG\" \"{account}\""),
        format!("wget -qO- --header=\"X-MBX-APIKEY: $KEY\" --post-data=\"$Q&signature=$SIG\" \"{account}\""),
        format!("http POST {account} X-MBX-APIKEY:$KEY timestamp=$TS"),
    ] {
        has(&post, Cause::MethodWrong);
        let d = diagnose_source_alone(&format!("TS=$(date +%s%3N)\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{{print $2}}')\n{post}")).unwrap();
        assert_eq!(
            (d.verdict.code, d.findings[0].cause),
            (-405, Cause::MethodWrong),
            "{post}: {:?}",
            d.findings
        );
    }
    for fine in [
        format!("curl -s -G -H \"X-MBX-APIKEY: $KEY\" -d \"$Q\" -d \"signature=$SIG\" \"{account}\""),
        format!("curl -s -H \"X-MBX-APIKEY: $KEY\" \"{account}?$Q&signature=$SIG\""),
        "curl -s -H \"X-MBX-APIKEY: $KEY\" -d \"$Q&signature=$SIG\" \"https://api.binance.com/api/v3/order\""
            .to_owned(),
        "curl -s -X POST \"$URL\"".to_owned(),
    ] {
        assert!(!code(&fine).contains(&Cause::MethodWrong), "{fine}");
    }
    assert!(!code("TS=$(printf '%.0f' $(( EPOCHREALTIME * 1000 )))").contains(&Cause::TimestampMalformed));
    has("curl -s -H \"X-MBX-API-KEY: $KEY\" \"$URL?$Q&signature=$SIG\"", Cause::KeyHeaderMisspelled);
    has("http GET \"$URL\" \"X-MBX-API-KEY:$KEY\" timestamp==$TS", Cause::KeyHeaderMisspelled);
    has("curl --json \"$BODY\" \"$URL\"", Cause::JsonBody);
    has(
        "http POST https://api.binance.com/api/v3/order X-MBX-APIKEY:$KEY symbol=BTCUSDT side=BUY",
        Cause::JsonBody,
    );
    assert!(!code("http = urllib3.PoolManager()").contains(&Cause::JsonBody));
    has("curl -X GET -H \"X-MBX-APIKEY: $KEY\" -d \"$Q&signature=$SIG\" \"$URL\"", Cause::GetWithBody);
    has("SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\")", Cause::SignatureNotBare);
    assert!(
        !code("SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')")
            .contains(&Cause::SignatureNotBare)
    );
    has(
        "SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" -binary | base64)",
        Cause::SignatureBase64ForHmac,
    );
    has(
        "SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" -binary | xxd -p)",
        Cause::SignatureNotBare,
    );
    has(
        "SIG=$(printf '%s' \"$Q\" | openssl pkeyutl -sign -inkey key.pem -rawin | xxd -p -c 256)",
        Cause::SignatureHexForAsymmetricKey,
    );
    has("openssl dgst -sha256 -sign rsa.pem -sigopt rsa_padding_mode:pss", Cause::SignedRsaPss);
    has("set TS (date +%s)\nset Q \"omitZeroBalances=true&timestamp=$TS\"", Cause::TimestampSeconds);
    has("Q=\"timestamp=$EPOCHSECONDS\"", Cause::TimestampSeconds);
    has("TS=$(date +%s%N)\nQ=\"symbol=BNBUSDT&timestamp=$TS\"", Cause::TimestampNanoseconds);
    // --data-urlencode of values that need no encoding signs what it sends.
    let plain = "SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$S\" | awk '{print $2}')\ncurl -G --data-urlencode \"symbol=BNBUSDT\" \"$URL\"";
    assert!(!code(plain).contains(&Cause::SignedUnencoded));
}

/// A POST logged without its body whose Content-Type is JSON, answered -1102: the JSON body is
/// why; two parameters signed in the other order are found.
#[test]
fn an_unshown_json_body_and_two_pairs_swapped_are_named() {
    let text = "Method: POST, RequestUri: 'https://api.binance.com/api/v3/order', Version: 1.1, Content: System.Net.Http.StringContent, Headers:\n{\n  X-MBX-APIKEY: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\n  Content-Type: application/json; charset=utf-8\n}\n{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}\n";
    let r = RequestRecord::from_http(text).unwrap();
    assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::JsonBody);
    let swapped = format!("timestamp={NOW}&symbol=BTCUSDT");
    let r = get(
        &format!("symbol=BTCUSDT&timestamp={NOW}&signature={}", hmac(&swapped)),
        &[("X-MBX-APIKEY", KEY)],
    );
    let causes: Vec<Cause> = diagnose(&r, &ctx()).findings.iter().map(|f| f.cause).collect();
    assert!(
        causes.contains(&Cause::SignedOtherOrder) || causes.contains(&Cause::SignedTimeLast),
        "{causes:?}"
    );
}

/// An HMAC signature that is neither hex nor base64 (openssl's label cut as the value, a hex
/// digest with a space in it) is named as holding more than the digest.
#[test]
fn a_signature_neither_hex_nor_base64_is_not_bare() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    for sig in ["SHA2-256(stdin)%3D", "ab12%20cd34"] {
        let r = get(&format!("{q}&signature={sig}"), &[("X-MBX-APIKEY", KEY)]);
        assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::SignatureNotBare, "{sig}");
    }
}

/// An illegal-characters answer names the parameter and the range it takes: that is the finding,
/// even where the request is not shown (a bot's log of the answer alone).
#[test]
fn an_illegal_characters_answer_names_the_parameter_it_refused() {
    let id = r#"{"code":-1100,"msg":"Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'."}"#;
    let d = super::diagnose_answer_alone(id).unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1100, Cause::ParamMalformed), "{:?}", d.findings);
    assert!(d.findings[0].title.contains("newClientOrderId") && d.findings[0].title.contains("{1,36}"));
    assert!(d.findings[0].fix.contains("36 characters"), "{}", d.findings[0].fix);
    let ts = r#"{"code":-1100,"msg":"Illegal characters found in parameter 'timestamp'; legal range is '^[0-9]{1,20}$'."}"#;
    let d = super::diagnose_answer_alone(ts).unwrap();
    assert_eq!(d.findings[0].cause, Cause::TimestampMalformed, "{:?}", d.findings);
    // Without a parameter named, the answer is all there is.
    let bare = r#"{"code":-1100,"msg":"Illegal characters found in a parameter."}"#;
    assert_eq!(super::diagnose_answer_alone(bare).unwrap().findings[0].cause, Cause::AnswerUnexplained);
}

/// An answer printed as Node.js prints an object, over lines, its message quoted with the other
/// kind of quote inside: read whole, and a recvWindow above 60000 named as such.
#[test]
fn an_answer_printed_over_lines_is_read_whole() {
    let node = "Error {\n  code: -1102,\n  msg: \"'recvWindow' contains unexpected value. Cannot be greater than 60000.\"\n}";
    let d = super::diagnose_answer_alone(node).unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, Cause::RecvWindowTooLarge), "{:?}", d.findings);
    assert_eq!(d.verdict.msg, "'recvWindow' contains unexpected value. Cannot be greater than 60000.");
}

#[test]
fn a_dollar_signed_in_single_quotes_and_sent_in_double_quotes_is_other_text() {
    let script = "SECRET=$(cat secret.txt)\nTS=$(date +%s%3N)\nQ='symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp='$TS\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -X POST -H \"X-MBX-APIKEY: $KEY\" -d \"symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp=$TS&signature=$SIG\" \"$URL/api/v3/order\"";
    assert_eq!(code(script), [Cause::SignedOtherValueText], "{:?}", code(script));
    // The other way round: signed expanded, sent as written.
    let other = script
        .replace(
            "Q='symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp='$TS",
            "Q=\"symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp=$TS\"",
        )
        .replace(
            "-d \"symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp=$TS&signature=$SIG\"",
            "-d 'symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp='\"$TS&signature=$SIG\"",
        );
    assert_eq!(code(&other), [Cause::SignedOtherValueText], "{:?}", code(&other));
    // The same quotes on both lines, or the signed variable sent: one text.
    let same = script.replace(
        "Q='symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp='$TS",
        "Q=\"symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp=$TS\"",
    );
    assert!(code(&same).is_empty(), "{:?}", code(&same));
    let sent = script.replace(
        "-d \"symbol=BNBUSDT&side=SELL&newClientOrderId=grid$1&timestamp=$TS&signature=$SIG\"",
        "-d \"$Q&signature=$SIG\"",
    );
    assert!(code(&sent).is_empty(), "{:?}", code(&sent));
}

#[test]
fn a_base64_signature_put_in_the_url_as_it_is_is_plus_not_encoded() {
    let script = "TS=$(date +%s%3N)\nQ=\"omitZeroBalances=true&timestamp=$TS\"\nprintf '%s' \"$Q\" > /tmp/payload.txt\nSIG=$(openssl pkeyutl -sign -inkey ed25519.pem -rawin -in /tmp/payload.txt | base64 -w0)\ncurl -s -H \"X-MBX-APIKEY: $KEY\" \"$URL/api/v3/account?$Q&signature=$SIG\"";
    assert_eq!(code(script), [Cause::SignaturePlusNotEncoded], "{:?}", code(script));
    let python = "sig = base64.b64encode(private_key.sign(payload.encode())).decode()\nurl = f\"{BASE}/api/v3/account?{payload}&signature={sig}\"\nr = requests.get(url, headers=headers)";
    assert_eq!(code(python), [Cause::SignaturePlusNotEncoded], "{:?}", code(python));
    // Encoded on the way (curl's --data-urlencode, jq's @uri, Python's quote): fine.
    let curl = script.replace(
        "\"$URL/api/v3/account?$Q&signature=$SIG\"",
        "-G --data \"$Q\" --data-urlencode \"signature=$SIG\" \"$URL/api/v3/account\"",
    );
    assert!(code(&curl).is_empty(), "{:?}", code(&curl));
    let fish = script.replace("| base64 -w0)", "| base64 -w0 | string escape --style=url)");
    assert!(code(&fish).is_empty(), "{:?}", code(&fish));
    let quoted = python.replace("signature={sig}", "signature={quote(sig, safe='')}");
    assert!(code(&quoted).is_empty(), "{:?}", code(&quoted));
    // An HMAC's hex needs no encoding.
    let hmac = "SIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -H \"X-MBX-APIKEY: $KEY\" \"$URL/api/v3/account?$Q&signature=$SIG\"";
    assert!(code(hmac).is_empty(), "{:?}", code(hmac));
}

#[test]
fn gnu_dates_milliseconds_where_the_timestamp_is_refused_is_malformed() {
    let script = "TS=$(date +%s%3N)\nQ=\"omitZeroBalances=true&timestamp=$TS\"\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -H \"X-MBX-APIKEY: $KEY\" \"$URL/api/v3/account?$Q&signature=$SIG\"";
    // With GNU date the line is right: nothing to say without Binance's answer.
    assert!(code(script).is_empty(), "{:?}", code(script));
    let refused =
        format!("{script}\n{{\"code\":-1100,\"msg\":\"Illegal characters found in a parameter.\"}}");
    assert_eq!(code(&refused), [Cause::TimestampMalformed], "{:?}", code(&refused));
    let printed = format!(
        "{script}\n+ curl -s http://127.0.0.1/api/v3/account?omitZeroBalances=true&timestamp=17965912513N&signature=ab"
    );
    assert_eq!(code(&printed), [Cause::TimestampMalformed], "{:?}", code(&printed));
    // Another parameter named by the answer: not the timestamp.
    let other = format!(
        "{script}\n{{\"code\":-1100,\"msg\":\"Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\\\.A-Z\\\\:/a-z0-9_-]{{1,36}}$'.\"}}"
    );
    assert!(code(&other).is_empty(), "{:?}", code(&other));
}

#[test]
fn a_code_line_whose_params_are_a_call_is_no_frame() {
    let text = "for frame in ({\"id\": \"acct\", \"method\": \"account.status\", \"params\": sign({})},\n              {\"id\": \"buy\", \"method\": \"order.place\", \"params\": sign({\"symbol\": \"BNBUSDT\", \"side\": \"BUY\",\n-> {\"id\": \"buy\", \"method\": \"order.place\", \"params\": {\"symbol\": \"BNBUSDT\"}}\n";
    let frames = super::ws_frames_in_log(text).unwrap().unwrap();
    assert_eq!(frames, [r#"{"id": "buy", "method": "order.place", "params": {"symbol": "BNBUSDT"}}"#]);
}

#[test]
fn an_hmac_keyed_with_the_variable_sent_as_the_key_header_is_secret_is_api_key() {
    let elixir = "%{api_key: key, api_secret: _secret} = Application.get_env(:bot, :binance)\nquery = URI.encode_query(%{\"symbol\" => symbol, \"timestamp\" => System.system_time(:millisecond)})\nsig = :crypto.mac(:hmac, :sha256, key, query) |> Base.encode16(case: :lower)\nHTTPoison.get(url, [{\"X-MBX-APIKEY\", key}])";
    assert_eq!(code(elixir), [Cause::SecretIsApiKey], "{:?}", code(elixir));
    // Keyed with the secret's variable: nothing to say.
    let right =
        elixir.replace("_secret}", "secret}").replace(":sha256, key, query", ":sha256, secret, query");
    assert!(code(&right).is_empty(), "{:?}", code(&right));
    let node = "const sig = crypto.createHmac('sha256', k).update(qs).digest('hex');\nawait fetch(url, { headers: { 'X-MBX-APIKEY': k } });";
    assert_eq!(code(node), [Cause::SecretIsApiKey], "{:?}", code(node));
}

#[test]
fn a_logged_fetch_init_with_a_string_body_and_no_type_is_body_not_form() {
    let q = format!("symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.0500&timestamp={NOW}");
    let log = format!(
        "POST https://relay.example.workers.dev/order - Ok\n  (log) binance POST https://api.binance.com/api/v3/order\n  (log) init {{\"method\": \"POST\", \"headers\": {{\"X-MBX-APIKEY\": \"{KEY}\"}}, \"body\": \"{q}&signature={}\"}}\n  (error) binance 400 {{\"code\":-1102,\"msg\":\"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.\"}}",
        hmac(&q)
    );
    let d = diagnose(&RequestRecord::from_http(&log).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, Cause::BodyNotForm), "{:?}", d.findings);
}

#[test]
fn sdk_exceptions_printed_alone_are_binance_answers() {
    // binance-connector's ClientError printed as its tuple; binance-sdk-spot's BadRequestError.
    let tuple = "(400, -2010, 'Account has insufficient balance for requested action.', {'content-type': 'application/json;charset=UTF-8', 'content-length': '77'}, None)";
    let d = super::diagnose_answer_alone(tuple).unwrap();
    assert_eq!(d.verdict.code, -2010, "{:?}", d);
    let sdk = "Traceback (most recent call last):\n  File \"main.py\", line 12, in <module>\n    raise BadRequestError(\nbinance_common.errors.BadRequestError: (-2015, 'Invalid API-key, IP, or permissions for action.')";
    let d = super::diagnose_answer_alone(sdk).unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::KeyPermission), "{:?}", d);
    let a = request::answer_line(
        "binance_common.errors.BadRequestError: (-2015, 'Invalid API-key, IP, or permissions for action.')",
    )
    .unwrap();
    assert_eq!(a.msg.as_deref(), Some("Invalid API-key, IP, or permissions for action."));
    // The message alone (a library's err.message).
    let d = super::diagnose_answer_alone("Account has insufficient balance for requested action.").unwrap();
    assert_eq!(d.verdict.code, -2010, "{:?}", d);
    assert!(super::diagnose_answer_alone("(3, 4)").is_none());
    // A short message on a line of its own, perhaps after an exception's name.
    let d = super::diagnose_answer_alone(
        "await client.cancelOrder({ symbol: 'BNBUSDT', orderId: 777 })\nconsole.error(err.message)\n```\nOutput:\n```\nUnknown order sent.\n```",
    )
    .unwrap();
    assert_eq!(d.verdict.code, -2011, "{:?}", d);
    // Alone, "Unknown order sent." is a cancel's answer (a new order is not looked up).
    let d = super::diagnose_answer_alone("Unknown order sent.").unwrap();
    assert_eq!(d.verdict.code, -2011, "{:?}", d);
    let d = super::diagnose_answer_alone("binance.exceptions.BinanceAPIException: APIError(code=-1104): Not all sent parameters were read; read '8' parameter(s) but was sent '9'.").unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1104, Cause::ParamNotRead), "{:?}", d);
    assert!(d.findings[0].title.contains("it read 8 of 9"), "{:?}", d.findings[0]);
    let d = super::diagnose_answer_alone("Error: Invalid symbol.").unwrap();
    assert_eq!(d.verdict.code, -1121, "{:?}", d);
}

#[test]
fn ccxt_and_python_binance_verbose_logs_are_read_at_their_refused_request() {
    let q = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timestamp={NOW}");
    let sig = hmac(&q);
    let refused = r#"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#;
    // ccxt in Python: one line a request and one an answer.
    let py = format!(
        "fetch Request: binance GET https://api.binance.com/api/v3/exchangeInfo RequestHeaders: {{'User-Agent': 'python-requests/2.34.2'}} RequestBody: None\n\nfetch Response: binance GET https://api.binance.com/api/v3/exchangeInfo 200 ResponseHeaders: {{'content-type': 'application/json'}} ResponseBody: {{}}\n\nfetch Request: binance POST https://api.binance.com/api/v3/order RequestHeaders: {{'X-MBX-APIKEY': '{KEY}', 'Content-Type': 'application/x-www-form-urlencoded'}} RequestBody: {q}&signature={sig}\n\nfetch Response: binance POST https://api.binance.com/api/v3/order 400 ResponseHeaders: {{'content-type': 'application/json'}} ResponseBody: {refused}\n"
    );
    let r = RequestRecord::from_http(&py).unwrap();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.header("x-mbx-apikey")),
        ("POST", "/api/v3/order", Some(KEY))
    );
    assert_eq!(r.answered.as_ref().and_then(|a| a.code), Some(-2010));
    assert!(r.body.starts_with("symbol=BTCUSDT"), "{r:?}");
    // ccxt in JavaScript: each value on the lines after its label.
    let js = format!(
        "fetch Request:\n binance DELETE https://api.binance.com/api/v3/order?{q}&signature={sig} \nRequestHeaders:\n {{\n  'X-MBX-APIKEY': '{KEY}'\n}} \nRequestBody:\n undefined \n\nhandleRestResponse:\n binance DELETE https://api.binance.com/api/v3/order?{q}&signature={sig} 400 Bad Request \nResponseHeaders:\n {{\n  'Content-Type': 'application/json'\n}} \nResponseBody:\n {refused} \n"
    );
    let r = RequestRecord::from_http(&js).unwrap();
    assert_eq!((r.method.as_str(), r.query.starts_with("symbol=BTCUSDT")), ("DELETE", true), "{r:?}");
    assert_eq!(r.answered.as_ref().map(|a| a.status), Some(400));
    // python-binance: the refused block, its GET query from urllib3's line before it.
    let pb = format!(
        "DEBUG:urllib3.connectionpool:https://api.binance.com:443 \"GET /api/v3/ping HTTP/1.1\" 200 2\nDEBUG:binance.base_client:\nRequest: GET https://api.binance.com/api/v3/ping\nRequestHeaders: {{}}\nRequestBody: None\nResponse: 200\nResponseBody: {{}}\nDEBUG:urllib3.connectionpool:https://api.binance.com:443 \"GET /api/v3/account?{q}&signature={sig} HTTP/1.1\" 400 77\nDEBUG:binance.base_client:\nRequest: GET https://api.binance.com/api/v3/account\nRequestHeaders: {{}}\nRequestBody: None\nResponse: 400\nResponseBody: {refused}\n"
    );
    let r = RequestRecord::from_http(&pb).unwrap();
    assert_eq!((r.path.as_str(), r.query.starts_with("symbol=BTCUSDT")), ("/api/v3/account", true), "{r:?}");
    assert_eq!(r.answered.as_ref().and_then(|a| a.code), Some(-2010));
}

#[test]
fn a_path_answered_404_without_binances_json_is_path_unknown() {
    let log = "DEBUG:urllib3.connectionpool:http://127.0.0.1:9900 \"GET /sapi/v3/account?timestamp=1&signature=ab HTTP/1.1\" 404 0\nRequest: GET http://127.0.0.1:9900/sapi/v3/account\nRequestHeaders: {}\nRequestBody: None\nResponse: 404\nResponseBody: None\n";
    let d = diagnose(&RequestRecord::from_http(log).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-404, Cause::PathUnknown), "{:?}", d.findings);
    assert!(d.findings[0].fix.contains("/api/v3/account"), "{:?}", d.findings[0]);
}

#[test]
fn a_library_given_the_secret_as_its_key_is_secret_as_api_key() {
    for text in [
        "const client = Binance({\n  apiKey: process.env.BINANCE_API_SECRET,\n  apiSecret: 'abc',\n})",
        "exchange = ccxt.binance({\n    \"apiKey\": os.environ[\"BINANCE_API_SECRET\"],\n    \"secret\": \"abc\",\n})",
        "client = SpotRestAPI(ConfigurationRestAPI(\n    api_key=os.environ[\"BINANCE_API_SECRET\"],\n    api_secret=\"abc\"))",
        "api_key = \"abc\"\napi_secret = os.environ[\"BINANCE_API_SECRET\"]\nclient = Client(api_secret, api_key)",
        "const client = new Spot(apiSecret, apiKey, { baseURL: 'http://127.0.0.1:9900' })",
        "client = Spot(os.environ[\"BINANCE_API_SECRET\"], os.environ[\"BINANCE_API_KEY\"])",
        "client = Spot(os.environ[\"BINANCE_API_SECRET\"], \"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\", base_url=URL)",
    ] {
        assert_eq!(code(text), [Cause::SecretAsApiKey], "{text}: {:?}", code(text));
    }
    for text in [
        "const client = Binance({ apiKey: process.env.BINANCE_API_KEY, apiSecret: process.env.BINANCE_API_SECRET })",
        "client = Client(api_key, api_secret)",
        "client = Spot(api_key=key, api_secret=secret)",
        // A header's name, and Home Assistant's reference to its secrets file.
        "    headers:\n      X-MBX-APIKEY: !secret binance_key",
    ] {
        assert!(code(text).is_empty(), "{text}: {:?}", code(text));
    }
}

#[test]
fn a_pem_file_read_into_the_hmac_secret_is_another_key_kind() {
    for text in [
        "api_secret = open(\"ed25519.pem\").read()\nclient = Client(api_key, api_secret)",
        "const apiSecret = fs.readFileSync('ed25519.pem', 'utf8')\nconst client = new Spot(apiKey, apiSecret)",
        "client = Spot(api_key=\"abc\", api_secret=open(\"ed25519.pem\").read(), base_url=URL)",
    ] {
        assert_eq!(code(text), [Cause::SignatureOtherKeyKind], "{text}: {:?}", code(text));
    }
    // The PEM given as the private key: right.
    let right = "client = Spot(api_key=\"abc\", private_key=open(\"ed25519.pem\").read(), base_url=URL)";
    assert!(code(right).is_empty(), "{:?}", code(right));
}

#[test]
fn a_secret_read_whole_into_a_librarys_option_keeps_its_newline() {
    for text in [
        "const client = new Spot({ configurationRestAPI: {\n    apiKey: 'abc',\n    apiSecret: fs.readFileSync('secret.txt', 'utf8'),\n} })",
        "exchange = ccxt.binance({\n    \"apiKey\": KEY,\n    \"secret\": open(\"secret.txt\").read(),\n})",
        "client = Spot(api_key=KEY, api_secret=open(\"secret.txt\").read(), base_url=URL)",
        "client = await AsyncClient.create(KEY, open(\"secret.txt\").read())",
    ] {
        assert_eq!(code(text), [Cause::SecretWithNewline], "{text}: {:?}", code(text));
    }
    let stripped = "client = Spot(api_key=KEY, api_secret=open(\"secret.txt\").read().strip())";
    assert!(code(stripped).is_empty(), "{:?}", code(stripped));
    let key_file = "client = Spot(api_key=open(\"key.txt\").read().strip(), api_secret=SECRET)";
    assert!(code(key_file).is_empty(), "{:?}", code(key_file));
}

#[test]
fn a_404_as_libraries_report_it_is_path_unknown() {
    for text in [
        "(404, None, '', {'content-length': '0'}, None)",
        "binance_common.errors.NotFoundError: (None, 'The requested resource was not found.')",
        "binance.exceptions.BinanceAPIException: APIError(code=0): Invalid JSON error message from Binance:",
    ] {
        let d = super::diagnose_answer_alone(text).unwrap();
        assert_eq!((d.verdict.code, d.findings[0].cause), (-404, Cause::PathUnknown), "{text}: {:?}", d);
    }
    // ccxt's error names the URL and the 404 after it.
    let ccxt = "ccxt.base.errors.ExchangeNotAvailable: binance GET https://api.binance.com/sapi/v1/exchangeInfo 404 Not Found";
    let d = diagnose(&RequestRecord::from_http(ccxt).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-404, Cause::PathUnknown), "{:?}", d.findings);
}

#[test]
fn sdk_calls_with_a_lower_case_symbol_a_seconds_clock_or_a_testnet_key() {
    for text in [
        "order = client.create_order(symbol='btcusdt', side='BUY', type='MARKET', quantity=0.001)",
        "const r = await client.order({ symbol: 'bnbusdt', side: 'BUY', quantity: '1' })",
    ] {
        assert_eq!(code(text), [Cause::SymbolLowerCase], "{text}: {:?}", code(text));
    }
    for text in [
        "client.create_order(symbol='BTCUSDT')",
        "ws.subscribe(['btcusdt@trade'])",
        "symbol = 'BTCUSDT'.lower() + '@trade'",
    ] {
        assert!(code(text).is_empty(), "{text}: {:?}", code(text));
    }
    let get_time = "const client = Binance({\n  apiKey: KEY,\n  apiSecret: SECRET,\n  getTime: () => Math.floor(Date.now() / 1000),\n})";
    assert_eq!(code(get_time), [Cause::TimestampSeconds], "{:?}", code(get_time));
    let testnet = "api_key = \"abc\"  # key from testnet.binance.vision\nclient = Client(api_key, api_secret)\nAPIError(code=-2015): Invalid API-key, IP, or permissions for action.";
    assert_eq!(code(testnet), [Cause::KeyOtherEnvironment], "{:?}", code(testnet));
    let pointed = testnet.replace("Client(api_key, api_secret)", "Client(api_key, api_secret, testnet=True)");
    assert!(code(&pointed).is_empty(), "{:?}", code(&pointed));
}

#[test]
fn a_small_float_quantity_is_written_with_an_exponent() {
    let slips = |text: &str| source::read(text);
    let py = slips(
        "order = client.order_limit_buy(symbol=\"BTCUSDT\", quantity=0.00001 * 10 / 10, price=\"59000.00\")",
    );
    assert_eq!(py.iter().map(|s| s.cause).collect::<Vec<_>>(), [Cause::ParamMalformed], "{py:?}");
    assert!(py[0].title.contains("1e-05"), "{:?}", py[0].title);
    let js = slips(
        "const client = new Spot(apiKey, apiSecret)\nclient.newOrder('BTCUSDT', 'BUY', 'MARKET', { quantity: 0.0000001 })",
    );
    assert_eq!(js.iter().map(|s| s.cause).collect::<Vec<_>>(), [Cause::ParamMalformed], "{js:?}");
    assert!(js[0].title.contains("1e-7"), "{:?}", js[0].title);
    // Written out where the language does: Python's 0.001, JavaScript's 0.00001.
    assert!(slips("client.order_market_buy(symbol=\"BTCUSDT\", quantity=0.001)").is_empty());
    // Text already: a query string's value.
    assert!(slips("Q=\"symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.000001&timestamp=$TS\"").is_empty());
    assert!(
        slips("const q = 1\nclient.newOrder('BTCUSDT', 'BUY', 'MARKET', { quantity: 0.00001 })").is_empty()
    );
}

#[test]
fn python_binance_signs_values_that_need_encoding_as_written() {
    let text = "from binance.client import Client\nclient = Client(api_key, api_secret)\norder = client.order_limit_buy(symbol=\"BNBUSDT\", quantity=\"0.1\", price=\"590\", newClientOrderId=\"grid bot #1\")";
    assert_eq!(code(text), [Cause::SignedUnencoded], "{:?}", code(text));
    let slash = "from binance.client import Client\norder = client.order_market_buy(symbol=\"BTC/USDT\", quoteOrderQty=20)";
    assert_eq!(code(slash), [Cause::SignedUnencoded], "{:?}", code(slash));
    // Values that need no encoding; binance-connector, which signs the encoded text.
    assert!(code("from binance.client import Client\nclient.order_limit_buy(symbol=\"BNBUSDT\", newClientOrderId=\"grid-1\")").is_empty());
    assert!(code("from binance.spot import Spot\nclient.new_order(symbol=\"BNBUSDT\", newClientOrderId=\"grid bot #1\")").is_empty());
    // A library's recv_window option above the most Binance takes.
    assert_eq!(
        code("print(client.rest_api.get_account(recv_window=100000).data())"),
        [Cause::RecvWindowTooLarge]
    );
}

#[test]
fn answers_in_exceptions_templates_and_without_braces() {
    // A code in parentheses, its message after or before it.
    let ruby = "request.rb:47:in `process!': Binance::Api::Error (-1100): Illegal characters found in parameter 'signature'; legal range is '^[A-Fa-f0-9]{64}$'. (Binance::Api::Error)";
    let d = super::diagnose_answer_alone(ruby).unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1100, Cause::SignatureBase64ForHmac), "{:?}", d);
    let dotnet = "{Binance.Api.BinanceHttpException: [BadRequest]: 'Bad Request' - Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'. (-1100)";
    let d = super::diagnose_answer_alone(dotnet).unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1100, Cause::ParamMalformed), "{:?}", d);
    // A template's message with its parameter, quoted alone.
    let d = super::diagnose_answer_alone("Hi, I get this error sometimes:\n`Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.`").unwrap();
    // (Which may as well have gone in a body Binance does not read: the answer is what there is.)
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, Cause::AnswerUnexplained), "{:?}", d);
    let d = super::diagnose_answer_alone("{\"code\":-1102,\"msg\":\"Mandatory parameter 'quoteQty' was not sent, was empty/null, or malformed.\"}").unwrap();
    assert_eq!(d.findings[0].cause, Cause::ParamMissing, "{:?}", d);
    // The members without braces, a quote escaped as in a JavaScript string.
    let d = super::diagnose_answer_alone("\"code\":-1021,\"msg\":\"Timestamp for this request was 1000ms ahead of the server\\'s time.\" when request API Balances").unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1021, Cause::TimestampAhead), "{:?}", d);
}

#[test]
fn a_session_logon_with_an_hmac_secret_is_logon_key_not_ed25519() {
    let rust = "let ws_api_conf = ConfigurationWebsocketApi::builder()\n    .api_key(api_key)\n    .api_secret(api_secret)\n    .build()?;\nlet response = connection.session_logon(params).await?;";
    assert_eq!(code(rust), [Cause::LogonKeyNotEd25519], "{:?}", code(rust));
    let ed =
        rust.replace(".api_secret(api_secret)", ".private_key(PrivateKey::File(\"ed25519.pem\".into()))");
    assert!(code(&ed).is_empty(), "{:?}", code(&ed));
}

#[test]
fn a_posters_stand_in_for_the_key_is_not_the_key_when_binance_read_one() {
    let q = format!("symbol=BTCUSDT&timestamp={NOW}");
    for stand_in in ["XXX", "somekey", "<your-api-key>"] {
        let raw = format!(
            "GET /api/v3/openOrders?{q}&signature={} HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: {stand_in}\r\n\r\n\r\nHTTP/1.1 400\r\n\r\n{{\"code\":-1021,\"msg\":\"Timestamp for this request was 1000ms ahead of the server's time.\"}}",
            hmac(&q)
        );
        let d = diagnose(&RequestRecord::from_http(&raw).unwrap(), &ctx());
        assert!(!d.findings.iter().any(|f| f.cause == Cause::KeyFormat), "{stand_in}: {:?}", d.findings);
    }
    // Answered -2014, the short key is what was sent.
    let raw = format!(
        "GET /api/v3/openOrders?{q}&signature={} HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: somekey\r\n\r\n\r\nHTTP/1.1 401\r\n\r\n{{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}",
        hmac(&q)
    );
    let d = diagnose(&RequestRecord::from_http(&raw).unwrap(), &ctx());
    assert_eq!(d.findings[0].cause, Cause::KeyFormat, "{:?}", d.findings);
}

#[test]
fn a_path_logged_without_its_host_takes_the_host_the_text_gives_it() {
    let log = "DEBUG:root:url: https://fapi.binance.com/fapi/v1/leverage\nDEBUG:urllib3.connectionpool:https://fapi.binance.com:443 \"POST /fapi/v1/leverage?symbol=BTCUSDT&leverage=20&timestamp=1729906596222&signature=94000e773997cfd788283652de18a7d8400ee2bf0533ec4f9f55577bfc47c3eb HTTP/1.1\" 400 79\nDEBUG:root:raw response from server:{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}";
    let r = RequestRecord::from_http(log).unwrap();
    assert_eq!(r.host.as_deref(), Some("fapi.binance.com"), "{r:?}");
    let d = diagnose(&r, &ctx());
    assert!(!d.findings.iter().any(|f| f.cause == Cause::PathUnknown), "{:?}", d.findings);
}

#[test]
fn a_binance_net_log_is_read_as_sent_and_a_decimal_comma_named() {
    let log = "[Verbose]: [Req 83] Sending POST signed request to https://api.binance.com/sapi/v1/simple-earn/flexible/redeem with request body 'amount=1%2c07&destAccount=SPOT&productId=SOL001&recvWindow=5000&signature=EB8D92754D27180D15905287E6227B61ADB8B10B8D334D8ABE9942C5D6E1A3F6&timestamp=1499827319559' with headers Accept=[application/json], X-MBX-APIKEY=[*******************]\n[Warning]: [Req 83] BadRequest Error received in 251ms: [ServerError] -1022: Signature for this request is not valid.";
    let r = RequestRecord::from_http(log).unwrap();
    assert!(
        r.body.ends_with("&signature=EB8D92754D27180D15905287E6227B61ADB8B10B8D334D8ABE9942C5D6E1A3F6"),
        "{r:?}"
    );
    // No secret known: the signature is not checked.
    let d = diagnose(&r, &Context::default().at(NOW.offset_millis(150)));
    assert_eq!(d.findings[0].cause, Cause::ParamMalformed, "{:?}", d.findings);
    assert!(d.findings[0].title.contains("decimal comma"), "{:?}", d.findings[0]);
}

#[test]
fn a_url_the_code_joins_values_to_is_no_request_and_time_time_is_seconds() {
    let post = "ts = time.time()\nurl = \"https://api.binance.com/api/v3/account?timestamp=\"+str(int(ts))+\"&signature=somesignature\"\nresponse = requests.request(\"GET\", url, headers=headers)\n{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}";
    let d = super::diagnose_source_alone(post).unwrap();
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1021, Cause::TimestampSeconds), "{:?}", d);
    // Scaled where it is used: milliseconds.
    assert!(code("ts = time.time()\nparams = {'timestamp': int(ts * 1000)}").is_empty());
}

#[test]
fn a_documentations_placeholder_value_is_part_of_the_url() {
    let text = "An example request I sent had this url:\n\n```\nhttps://fapi.binance.com/fapi/v3/balance?signature=<signature>&timestamp=1750597185340\n```\nBad request: Signature for this request is not valid.";
    let r = RequestRecord::from_http(text).unwrap();
    assert_eq!(r.query, "signature=<signature>&timestamp=1750597185340", "{r:?}");
}

#[test]
fn binance_sdk_spots_websocket_log_is_read_with_its_redactions() {
    let log = "INFO:root:Sending message to WebSocket d261: {'method': 'account.status', 'params': OrderedDict([('apiKey', '[REDACTED]'), ('timestamp', 1499827319559), ('signature', '[REDACTED]')]), 'id': '2544afac-1d0a-4908-87d4-1f77bd843896'}\nid='2544afac-1d0a-4908-87d4-1f77bd843896' status=200 result=AccountStatusResponseResult(maker_commission=10)";
    let frames = super::inspected_frames(log);
    assert_eq!(frames.len(), 1, "{frames:?}");
    let v: serde_json::Value = serde_json::from_str(&frames[0]).unwrap();
    assert_eq!(v["params"]["timestamp"], 1499827319559u64, "{v}");
    // Redacted key and signature: taken as sent, not checked, even with a secret given.
    let d = super::diagnose_ws_log(&[frames[0].as_str()], &[], None, &ctx(), &[]);
    assert_eq!(d[0].verdict.code, 0, "{:?}", d[0]);
}

#[test]
fn websocket_api_code_that_signs_its_params_unsorted() {
    let unsorted = "WS_URL = \"wss://ws-api.binance.com:443/ws-api/v3\"\nparams = {\"symbol\": \"BNBUSDT\", \"side\": \"BUY\", \"apiKey\": API_KEY, \"timestamp\": ts}\npayload = \"&\".join(f\"{k}={v}\" for k, v in params.items())\nparams[\"signature\"] = sign(payload)";
    assert_eq!(code(unsorted), [Cause::SignedInWrittenOrder], "{:?}", code(unsorted));
    let sorted = unsorted.replace("params.items())", "sorted(params.items()))");
    assert!(code(&sorted).is_empty(), "{:?}", code(&sorted));
    // REST code joins in the order it sends: no rule of the WebSocket API's.
    let rest = unsorted
        .replace("WS_URL = \"wss://ws-api.binance.com:443/ws-api/v3\"", "BASE = \"https://api.binance.com\"");
    assert!(!code(&rest).contains(&Cause::SignedInWrittenOrder), "{:?}", code(&rest));
}

#[test]
fn a_retired_path_answered_404_is_retired_whatever_method_was_read() {
    let text = "404 None\nrequests.exceptions.HTTPError: 404 Client Error: Not Found for url: https://api.binance.com/api/v3/userDataStream";
    let d = diagnose(&RequestRecord::from_http(text).unwrap(), &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-404, Cause::EndpointRetired), "{:?}", d.findings);
}

#[test]
fn openssl_run_by_hand_to_compare_is_not_the_programs_signing() {
    let post = "checked the generated signature for the querystring:\n`\"timestamp=1617771469327&recvWindow=5000\"`\ncompared with linux command:\n`echo -n \"timestamp=1617771469327&recvWindow=5000\" | openssl dgst -sha256 -hmac \"<secretkey>\"`\nreturns:\n`(stdin)= 2cd95b6aed9fdc034cc8f729a6b5311b47404f06b6cbbf0b1e084793368ffb36`";
    assert!(!code(post).contains(&Cause::SignatureNotBare), "{:?}", code(post));
    let script = "SIG=$(echo -n \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\")\ncurl -H \"X-MBX-APIKEY: $KEY\" \"$URL?$Q&signature=$SIG\"";
    assert!(code(script).contains(&Cause::SignatureNotBare), "{:?}", code(script));
}

#[test]
fn websocket_api_code_that_adds_its_api_key_after_signing() {
    let script = "WS_URL = \"ws://127.0.0.1:9900/ws-api/v3\"\nparams = {\"symbol\": \"BNBUSDT\", \"timestamp\": ts}\nquery = urlencode(sorted(params.items()))\nparams[\"apiKey\"] = API_KEY\nparams[\"signature\"] = sign(query)";
    assert_eq!(code(script), [Cause::SignedWithoutApiKey], "{:?}", code(script));
    let first = "WS_URL = \"ws://127.0.0.1:9900/ws-api/v3\"\nparams = {\"symbol\": \"BNBUSDT\", \"apiKey\": API_KEY, \"timestamp\": ts}\nquery = urlencode(sorted(params.items()))\nparams[\"signature\"] = sign(query)";
    assert!(code(first).is_empty(), "{:?}", code(first));
}

/// Params kept in one object from request to request: the next one is signed with the last
/// signature still among them (then replaced in what is sent), over the WebSocket API and REST;
/// and a frame that sends an earlier frame's signature again is told so.
#[test]
fn a_signature_left_in_reused_params_is_found() {
    let frame = |id: u32, ts: u64, signature: &str| {
        format!(
            r#"{{"id":{id},"method":"openOrders.status","params":{{"apiKey":"{KEY}","symbol":"BNBUSDT","timestamp":{ts},"signature":"{signature}"}}}}"#
        )
    };
    let first_ts = NOW.as_millis() - 1000;
    let first = hmac(&format!("apiKey={KEY}&symbol=BNBUSDT&timestamp={first_ts}"));
    let second = hmac(&format!("apiKey={KEY}&signature={first}&symbol=BNBUSDT&timestamp={NOW}"));
    let frames = [frame(1, first_ts, &first), frame(2, NOW.as_millis(), &second)];
    let d = diagnose_ws_frames(&[frames[0].as_str(), frames[1].as_str()], None, &ctx());
    assert_eq!(d[0].verdict.code, 0, "{:?}", d[0].findings);
    assert_eq!(d[1].findings[0].cause, Cause::SignedWithSignatureParam, "{:?}", d[1].findings);
    // The first frame's signature sent again with the next timestamp.
    let again = frame(2, NOW.as_millis(), &first);
    let d = diagnose_ws_frames(&[frames[0].as_str(), again.as_str()], None, &ctx());
    assert_eq!(d[1].findings[0].cause, Cause::SignatureReused, "{:?}", d[1].findings);
    // REST: the earlier request's signature signed along (Python's dict updated in place).
    let q1 = format!("symbol=BNBUSDT&timestamp={first_ts}");
    let s1 = hmac(&q1);
    let q2 = format!("symbol=BNBUSDT&timestamp={NOW}");
    let s2 = hmac(&format!("{q2}&signature={s1}"));
    let mut record = get(&format!("{q2}&signature={s2}"), &[("X-MBX-APIKEY", KEY)]);
    record.earlier = vec![q1.clone()];
    record.earlier_signatures = vec![(s1, q1)];
    let d = diagnose(&record, &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedWithSignatureParam, "{:?}", d.findings);
}

/// Numbers each written with its own number of decimals in the text signed (a price with `.2f`, a
/// quantity with `.8f`) while the frame sends them as JSON writes them.
#[test]
fn numbers_signed_each_with_its_own_decimals_are_found() {
    let signed = format!(
        "apiKey={KEY}&price=600.00&quantity=0.10000000&side=BUY&symbol=BNBUSDT&timeInForce=GTC&timestamp={NOW}&type=LIMIT"
    );
    let frame = format!(
        r#"{{"id":1,"method":"order.test","params":{{"apiKey":"{KEY}","price":600.0,"quantity":0.1,"side":"BUY","symbol":"BNBUSDT","timeInForce":"GTC","timestamp":{NOW},"type":"LIMIT","signature":"{}"}}}}"#,
        hmac(&signed)
    );
    let d = diagnose_ws(&frame, None, &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedOtherValueText, "{:?}", d.findings);
}

/// Binance's -1022 alone beside a parameter value that percent-encoding changes names the
/// encoding; without such a value it stays unexplained. "Unknown order sent." alone is a cancel's.
#[test]
fn an_answer_alone_is_read_with_what_the_text_shows_around_it() {
    let answer = "APIError(code=-1022): Signature for this request is not valid.";
    let with_value = format!("client.withdraw({{'coin': 'USDT', 'email': 'me@example.com'}})\n{answer}");
    let d = diagnose_answer_alone(&with_value).unwrap();
    assert_eq!(
        (d.verdict.code, d.findings[0].cause),
        (-1022, Cause::SignedOtherEncoding),
        "{:?}",
        d.findings
    );
    let d = diagnose_answer_alone(&format!("can't update 币安人生USDT leverage\n{answer}")).unwrap();
    assert_eq!(d.findings[0].cause, Cause::SignedOtherEncoding);
    let d = diagnose_answer_alone(&format!("client.order({{'symbol': 'BTCUSDT'}})\n{answer}")).unwrap();
    assert_eq!(d.findings[0].cause, Cause::SignatureMismatch);
    let d = diagnose_answer_alone(&format!("reason: \"Signature for this request is not valid.\"\n{answer}"))
        .unwrap();
    assert_eq!(d.findings[0].cause, Cause::SignatureMismatch);
    // A credential's value is never the one shown.
    let pem = format!(
        "private_key: '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIAbcdefghijklmnopqrstuvwxyz0123456789'\n{answer}"
    );
    let d = diagnose_answer_alone(&pem).unwrap();
    assert!(
        d.findings.iter().all(|f| !f.evidence.contains("BEGIN") && !f.evidence.contains("MC4C")),
        "{:?}",
        d.findings
    );
    assert_eq!(diagnose_answer_alone("Unknown order sent.").unwrap().verdict.code, -2011);
    assert_eq!(
        diagnose_answer_alone("placing a new order failed: Unknown order sent.").unwrap().verdict.code,
        -2010
    );
}

/// python-binance keeps the key header in its session's headers: replacing them loses it.
#[test]
fn replaced_session_headers_lose_the_key() {
    assert_eq!(code("client.session.headers = {\"User-Agent\": \"bot/1.0\"}"), [Cause::KeyMissing]);
    assert!(code("client.session.headers.update({\"User-Agent\": \"bot/1.0\"})").is_empty());
}

/// A text that shows Binance refusing the request otherwise than this check predicts (its rules
/// when the text was written): Binance's answer is the verdict, what the check found follows.
#[test]
fn the_answer_shown_is_the_verdict_over_the_prediction() {
    let log = format!(
        "GET https://api.binance.com/api/v3/account?timestamp={NOW}&recvWindow=86400000&signature=****** 400 Bad Request {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}"
    );
    let record = RequestRecord::from_http(&log).unwrap();
    let d = diagnose(&record, &Context::default().at(NOW.offset_millis(100)));
    assert_eq!(d.verdict.code, -1022, "{:?}", d);
    assert!(d.findings.iter().any(|f| f.cause == Cause::RecvWindowTooLarge), "{:?}", d.findings);
}

/// Other texts of a signed value: a bool as PHP's http_build_query writes it (`1`), and the hex
/// digest encoded again as base64.
#[test]
fn bools_as_php_writes_them_and_base64_of_the_hex_digest_are_found() {
    let signed = format!("apiKey={KEY}&omitZeroBalances=1&timestamp={NOW}");
    let frame = format!(
        r#"{{"id":1,"method":"account.status","params":{{"apiKey":"{KEY}","omitZeroBalances":true,"timestamp":{NOW},"signature":"{}"}}}}"#,
        hmac(&signed)
    );
    let d = diagnose_ws(&frame, None, &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignedOtherValueText, "{:?}", d.findings);
    let hex = hmac(&format!("apiKey={KEY}&timestamp={NOW}"));
    let b64 = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(hex.as_bytes())
    };
    let frame = format!(
        r#"{{"id":1,"method":"account.status","params":{{"apiKey":"{KEY}","timestamp":{NOW},"signature":"{b64}"}}}}"#
    );
    let d = diagnose_ws(&frame, None, &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignatureBase64ForHmac, "{:?}", d.findings);
}

/// A frame logged as JavaScript's text for an object is what was sent, and not JSON.
#[test]
fn an_object_sent_as_a_string_is_not_json() {
    let frames =
        ws_frames_in_log("SEND [object Object]\nRECV {\"id\":null,\"status\":400}\n").unwrap().unwrap();
    assert_eq!(frames, ["[object Object]"]);
    let d = diagnose_ws(frames[0], None, &ctx());
    assert_eq!((d.verdict.code, d.findings[0].cause), (-1135, Cause::FrameNotJson), "{:?}", d.findings);
    assert!(d.findings[0].title.contains("[object Object]"));
}

/// The method of a call on the URL's own line, whatever the client's name (`s.post(BASE + ...)`),
/// and not a call that closes before the URL (`cfg.get("base")`).
#[test]
fn the_call_on_the_urls_line_gives_the_method() {
    let code = "async with s.post(BASE + \"/api/v3/order/test\", params=query, data=body) as r:\n";
    assert_eq!(RequestRecord::from_http(code).map(|r| r.method).ok().as_deref(), Some("POST"));
    let code = "r = requests.post(cfg.get(\"base\") + \"/api/v3/order/test\", data=body)\n";
    assert_eq!(RequestRecord::from_http(code).map(|r| r.method).ok().as_deref(), Some("POST"));
}

/// node-binance-api's debug print of a request: its URLSearchParams body read as the form it sends.
#[test]
fn node_binance_api_debug_print_is_read() {
    let q = format!("symbol=BNBUSDT&side=BUY&quantity=0.30000000000000004&timestamp={NOW}");
    let sig = hmac(&q);
    let log = format!(
        "[\n  'HTTP Request:',\n  'POST',\n  'https://api.binance.com/api/v3/order',\n  {{\n    method: 'POST',\n    headers: {{\n      'X-MBX-APIKEY': '{KEY}'\n    }},\n    body: URLSearchParams {{\n      'symbol' => 'BNBUSDT',\n      'side' => 'BUY',\n      'quantity' => '0.30000000000000004',\n      'timestamp' => '{NOW}',\n      'signature' => '{sig}' }}\n  }}\n]\nError: {{\"code\":-1111,\"msg\":\"Parameter 'quantity' has too much precision.\"}}\n"
    );
    let record = RequestRecord::from_http(&log).unwrap();
    assert_eq!(record.body, format!("{q}&signature={sig}"));
    let d = diagnose(&record, &ctx());
    assert_eq!(d.verdict.code, -1111, "{:?}", d);
    assert!(d.findings.iter().all(|f| f.cause != Cause::TimestampMissing), "{:?}", d.findings);
}

/// A name read backwards from `=` or `:` stops at a multi-byte character without cutting it (a
/// fuzzer's find: `ContentӲisposition: ...` beside an answer alone; a template signed by hand).
#[test]
fn names_before_a_separator_stop_at_multi_byte_characters() {
    let text = "ContentӲisposition: 'form data'\n{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}";
    assert_eq!(diagnose_answer_alone(text).unwrap().verdict.code, -1022);
    let code = "WS_URL = \"wss://ws-api.binance.com/ws-api/v3\"\nparams[\"signature\"] = sign(f\"Ӳa={ts}&apiKey={k}\")\n";
    let _ = source::read(code);
}

/// Ruby's and Elixir's prints of Binance's answer as a hash or map.
#[test]
fn answers_printed_as_ruby_hashes_or_elixir_maps_are_read() {
    for line in [
        "body: %{\"code\" => -1022, \"msg\" => \"Signature for this request is not valid.\"}",
        "{\"code\"=>-1022, \"msg\"=>\"Signature for this request is not valid.\"}",
    ] {
        let a = request::answer_line(line).unwrap();
        assert_eq!(
            (a.code, a.msg.as_deref()),
            (Some(-1022), Some("Signature for this request is not valid.")),
            "{line}"
        );
    }
}

/// A second `?` in the URL: the text signed joined with `&`, or the part after it alone.
#[test]
fn a_second_question_mark_is_found_by_what_was_signed() {
    let signed = format!("limit=20&timestamp={NOW}");
    let url = format!("symbol=BTCUSDT?{signed}&signature={}", hmac(&signed));
    let d = diagnose(&get(&url, &[("X-MBX-APIKEY", KEY)]), &ctx());
    assert_eq!(d.findings[0].cause, Cause::SecondQuestionMark, "{:?}", d.findings);
    assert!(d.findings.iter().all(|f| !f.title.contains("charset")), "{:?}", d.findings);
}

/// An order's id counts as a success printed only with a value after it, not as a parameter
/// declared in code (`orderId: Long`).
#[test]
fn a_parameter_declared_in_code_is_no_order_printed() {
    assert!(request::success_shown("{\"symbol\":\"BTCUSDT\",\"orderId\": 12,\"status\":\"NEW\"}"));
    assert!(!request::success_shown("fun queryOrder(symbol: String, orderId: Long): String {"));
}

/// A parameter added to the text signed after it was signed (Perl's `.=`, Go's `Add`), and the
/// signature put into a container that sorts (Go's url.Values, Rust's BTreeMap), read from code.
#[test]
fn code_extending_the_signed_text_or_sorting_the_signature_in() {
    let perl = "my $query = \"symbol=BTCUSDT&timestamp=$ts\";\nmy $sig = hmac_sha256_hex($query, $secret);\n$query .= \"&recvWindow=10000\";\nmy $res = $ua->get(\"https://api.binance.com/api/v3/openOrders?$query&signature=$sig\");";
    assert_eq!(code(perl), vec![Cause::SignedBeforeRecvWindow]);
    let php = "$params = ['symbol' => 'BTCUSDT', 'timestamp' => $ts];\n$query = http_build_query($params);\n$signature = hash_hmac('sha256', $query, $secret);\n$params['newClientOrderId'] = 'bot-1';\n$url = $base . '?' . http_build_query($params) . '&signature=' . $signature;";
    assert_eq!(code(php), vec![Cause::SignedBeforeParam]);
    // Signed again once extended: nothing to say.
    let resigned = "my $sig = hmac_sha256_hex($query, $secret);\n$query .= \"&recvWindow=10000\";\n$sig = hmac_sha256_hex($query, $secret);";
    assert!(!code(resigned).contains(&Cause::SignedBeforeRecvWindow));
    // The signature appended after signing is what every program does.
    let fine =
        "sig = hmac.new(secret, query.encode(), hashlib.sha256).hexdigest()\nquery += '&signature=' + sig";
    assert!(code(fine).is_empty(), "{:?}", code(fine));
    let go = "mac := hmac.New(sha256.New, []byte(secret))\nmac.Write([]byte(v.Encode()))\nv.Set(\"signature\", hex.EncodeToString(mac.Sum(nil)))\nreq, _ := http.NewRequest(\"GET\", base+\"?\"+v.Encode(), nil)";
    assert_eq!(code(go), vec![Cause::SignatureNotLast]);
    let rust = "let mut params = BTreeMap::new();\nparams.insert(\"timestamp\".to_string(), ts);\nlet query = serde_urlencoded::to_string(&params).unwrap();\nmac.update(query.as_bytes());\nparams.insert(\"signature\".to_string(), sig);\nclient.get(url).query(&params).send().await?;";
    assert_eq!(code(rust), vec![Cause::SignatureNotLast]);
    // A map in insertion order keeps the signature last.
    let ordered = "let mut params = IndexMap::new();\nparams.insert(\"timestamp\".to_string(), ts);\nparams.insert(\"signature\".to_string(), sig);\nclient.get(url).query(&params).send().await?;";
    assert!(!code(ordered).contains(&Cause::SignatureNotLast));
    // Kotlin's pairs are parameters written in order.
    let kotlin = "val params = linkedMapOf(\"symbol\" to \"BTCUSDT\", \"side\" to \"BUY\", \"timestamp\" to ts)\nval toSign = params.toSortedMap().entries.joinToString(\"&\") { \"${it.key}=${it.value}\" }\nval query = params.entries.joinToString(\"&\") { \"${it.key}=${it.value}\" }\nval signature = sign(toSign, secret)\nval url = \"$base?$query&signature=$signature\"";
    assert_eq!(code(kotlin), vec![Cause::SignedSortedParams]);
}

/// Signing slips of other languages, read from code: the pairs joined with `, ` (Kotlin's
/// joinToString()) or written with Rust's `{:?}`, one HMAC for every request (Go), a map's own
/// printing signed (Kotlin), Perl's hmac_sha256_hex with the key first, an Elixir map (sorted)
/// given the signature.
#[test]
fn code_of_other_languages_signing_another_text() {
    let kotlin = "val payload = params.map { (k, v) -> \"$k=$v\" }\nval signature = hmacSha256(payload.joinToString())\nval url = base + payload.joinToString(\"&\") + \"&signature=\" + signature";
    assert_eq!(code(kotlin), vec![Cause::SignedOtherSeparator]);
    let rust = "let to_sign = params.iter().map(|(k, v)| format!(\"{}={:?}\", k, v)).collect::<Vec<_>>().join(\"&\");\nlet mut mac = HmacSha256::new_from_slice(SECRET.as_bytes())?;\nmac.update(to_sign.as_bytes());";
    assert_eq!(code(rust), vec![Cause::SignedQuotedValues]);
    let go = "var mac = hmac.New(sha256.New, []byte(secret))\nfunc call(path, params string) {\nq := params + fmt.Sprintf(\"timestamp=%d\", time.Now().UnixMilli())\nmac.Write([]byte(q))\nsig := hex.EncodeToString(mac.Sum(nil))\n}";
    assert_eq!(code(go), vec![Cause::HmacNotReset]);
    let reset = go.replace("mac.Write(", "mac.Reset()\nmac.Write(");
    assert!(code(&reset).is_empty(), "{:?}", code(&reset));
    let printed = "val params = linkedMapOf(\"symbol\" to \"BTCUSDT\", \"timestamp\" to ts)\nval signature = sign(params.toString())";
    assert_eq!(code(printed), vec![Cause::SignedDictRepr]);
    // URLSearchParams prints the query string itself: right.
    let search = "const params = new URLSearchParams({ symbol: 'BTCUSDT', timestamp: Date.now() });\nconst signature = sign(params.toString());";
    assert!(code(search).is_empty(), "{:?}", code(search));
    // A list of symbols joined with ',' is a value's own text, not the pairs' separator.
    let symbols = "const syms = JSON.stringify(list).replace(/ /g, '');\nconst names = list.join(\",\");\nconst query = `symbols=${names}&timestamp=${Date.now()}`;\nconst signature = crypto.createHmac('sha256', secret).update(query).digest('hex');\nfetch(`${base}?${query}&signature=${signature}`);";
    assert!(!code(symbols).contains(&Cause::SignedOtherSeparator), "{:?}", code(symbols));
    let perl = "my $sig = hmac_sha256_hex($api_secret, $query);";
    assert_eq!(code(perl), vec![Cause::HmacArgumentsSwapped]);
    assert!(code("my $sig = hmac_sha256_hex($query, $api_secret);").is_empty());
    let elixir = "params = %{symbol: symbol, timestamp: System.system_time(:millisecond)}\nsignature = :crypto.mac(:hmac, :sha256, @secret, URI.encode_query(params)) |> Base.encode16(case: :lower)\nparams = Map.put(params, :signature, signature)\nReq.get!(url, params: params)";
    assert_eq!(code(elixir), vec![Cause::SignatureNotLast]);
}

/// Hash maps and sorting encoders read from code: Java's HashMap walked to sign while the URL is
/// written by hand, Rust's HashMap walked to sign and another one sent with the signature in it,
/// a Go text signed as written while url.Values.Encode() sends it sorted.
#[test]
fn code_signing_in_one_order_and_sending_in_another() {
    let java = "Map<String, String> params = new HashMap<>();\nparams.put(\"symbol\", symbol);\nparams.put(\"timestamp\", String.valueOf(ts));\nString toSign = params.entrySet().stream().map(e -> e.getKey() + \"=\" + e.getValue()).collect(Collectors.joining(\"&\"));\nString signature = hmac(toSign);\nString url = base + \"?symbol=\" + symbol + \"&timestamp=\" + ts + \"&signature=\" + signature;";
    assert_eq!(code(java), vec![Cause::SignedHashMapOrder]);
    // The same walk builds what is sent: one order, right.
    let same = java.replace(
        "String url = base + \"?symbol=\" + symbol + \"&timestamp=\" + ts + \"&signature=\" + signature;",
        "String url = base + \"?\" + toSign + \"&signature=\" + signature;",
    );
    assert!(!code(&same).contains(&Cause::SignedHashMapOrder), "{:?}", code(&same));
    let rust = "let mut params: HashMap<&str, String> = HashMap::new();\nparams.insert(\"timestamp\", ts.to_string());\nlet payload = params.iter().map(|(k, v)| format!(\"{}={}\", k, v)).collect::<Vec<_>>().join(\"&\");\nlet mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();\nmac.update(payload.as_bytes());\nlet mut query: HashMap<&str, String> = params.iter().map(|(k, v)| (*k, v.clone())).collect();\nquery.insert(\"signature\", signature);\nclient.post(url).query(&query).send()?;";
    assert_eq!(code(rust), vec![Cause::SignedOtherOrder]);
    let go = "payload := fmt.Sprintf(\"symbol=%s&side=%s&timestamp=%d\", \"BTCUSDT\", \"SELL\", ts)\nh := hmac.New(sha256.New, []byte(secret))\nh.Write([]byte(payload))\nsig := hex.EncodeToString(h.Sum(nil))\nv := url.Values{}\nreq.URL.RawQuery = v.Encode() + \"&signature=\" + sig";
    assert_eq!(code(go), vec![Cause::SentSortedParams]);
}

/// Names read backwards from `=` or from a word stop at a multi-byte character without cutting it
/// (an HTML entity `&times` decoded to '×' before `tamp=`, '×secret=', 'é' before `key:`).
#[test]
fn names_read_backwards_stop_at_multi_byte_characters() {
    let text = "params_str = 'api_key=' + api_key + '\u{d7}tamp=' + str(ts)\npayload = f\"symbol=X\u{d7}side=BUY&timestamp={ts}\"\nsig = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()\nv := url.Values{}\nq := v.Encode()\n\u{d7}secret=abc\n\u{e9}key: abcdefabcdefabcdefabcdefabcdefabcdef";
    let _ = source::read(text);
    let _ = crate::diagnose::secrets_in_text(text);
}

/// OpenSSL's HMAC given sizeof of the secret, Ruby's merge after signing, read from code.
#[test]
fn code_with_sizeof_secrets_and_merges_after_signing() {
    let pointer = "static const char *API_SECRET = \"abc\";\nHMAC(EVP_sha256(), API_SECRET, sizeof(API_SECRET), data, len, digest, &n);";
    assert_eq!(code(pointer), vec![Cause::SecretTruncated]);
    let array = "static const char API_SECRET[] = \"abc\";\nHMAC(EVP_sha256(), API_SECRET, sizeof(API_SECRET), data, len, digest, &n);";
    assert_eq!(code(array), vec![Cause::SecretWithNul]);
    assert!(code("HMAC(EVP_sha256(), API_SECRET, strlen(API_SECRET), data, len, digest, &n);").is_empty());
    let ruby = "params = { symbol: 'BTCUSDT', timestamp: ts }\nsignature = sign(params)\nparams = params.merge(newOrderRespType: 'FULL', signature: signature)";
    assert_eq!(code(ruby), vec![Cause::SignedBeforeParam]);
    let only_signature = "params = { symbol: 'BTCUSDT', timestamp: ts }\nsignature = sign(params)\nparams = params.merge(signature: signature)";
    assert!(code(only_signature).is_empty(), "{:?}", code(only_signature));
}

/// A signature printed as a header after the URL, and a Python dict's message in double quotes.
#[test]
fn a_printed_signature_header_and_a_python_dict_message() {
    let text = "GET https://api.binance.com/api/v3/openOrders?symbol=BTCUSDT&timestamp=1499827319559 {\n  \"X-MBX-APIKEY\": \"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\",\n  \"X-MBX-SIGNATURE\": \"d1c21b860db3644f08bf3216881cd05264df5247e0d47fef8d34affa023b185b\"\n}\n400 {\"code\":-1102,\"msg\":\"Mandatory parameter 'signature' was not sent, was empty/null, or malformed.\"}";
    let d = diagnose(&RequestRecord::from_http(text).unwrap(), &ctx());
    assert_eq!(d.findings[0].cause, Cause::SignatureInHeader, "{:?}", d.findings);
    let a = crate::diagnose::request::answer_line("{'code': -1102, 'msg': \"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}").unwrap();
    assert_eq!(a.code, Some(-1102));
    assert!(a.msg.unwrap().contains("'timestamp'"));
}

/// WebSocket API code pasted with the answers its run got: the logon's -1022 explained by the
/// HMAC logon before the -1002 that followed it; a frame literal in code (assigned, or an element
/// of a tuple) is not a frame sent; a -1102 naming timestamp is a missing timestamp.
#[test]
fn websocket_code_beside_its_answers() {
    let hmac_logon = "API_SECRET = \"NhqP\"\nparams = {\"apiKey\": API_KEY, \"timestamp\": int(time.time() * 1000)}\nparams[\"signature\"] = hmac.new(API_SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()\nlogon = {\"id\": \"logon\", \"method\": \"session.logon\", \"params\": params}\nawait ws.send(json.dumps(logon))\nsub = {\"id\": \"sub\", \"method\": \"userDataStream.subscribe\"}\nawait ws.send(json.dumps(sub))\nRECV {\"id\":\"logon\",\"status\":400,\"error\":{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\nRECV {\"id\":\"sub\",\"status\":401,\"error\":{\"code\":-1002,\"msg\":\"You are not authorized to execute this request.\"}}";
    assert_eq!(crate::diagnose::ws_frames_in_log(hmac_logon).ok().flatten(), None);
    let d = crate::diagnose::diagnose_source_alone(hmac_logon).unwrap();
    assert_eq!(d.findings[0].cause, Cause::LogonKeyNotEd25519, "{:?}", d.findings);
    let tuple = "for req in (\n{\"id\": \"logon-1\", \"method\": \"session.logon\", \"params\": params},\n{\"id\": \"status-1\", \"method\": \"account.status\", \"params\": {\"omitZeroBalances\": True}},\n):\n    await ws.send(json.dumps(req))";
    assert_eq!(crate::diagnose::ws_frames_in_log(tuple).ok().flatten(), None);
    let answer = "RECV {\"id\":\"status-1\",\"status\":400,\"error\":{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}}";
    let d = crate::diagnose::diagnose_answer_alone(answer).unwrap();
    assert_eq!(d.findings[0].cause, Cause::TimestampMissing);
}

/// A library's listenKey call (the spot endpoints behind it are retired) read from code, and
/// binance-connector's ClientError of a 404 without Binance's JSON.
#[test]
fn listen_key_calls_in_code_and_a_404_without_a_code() {
    let python = "client = Spot(api_key=api_key, base_url=\"https://api.binance.com\")\nresponse = client.new_listen_key()";
    assert_eq!(code(python), vec![Cause::EndpointRetired]);
    let php = "$api = new Binance\\API($key, $secret);\n$api->userData($balance_update, $order_update);";
    assert_eq!(code(php), vec![Cause::EndpointRetired]);
    // An HTTP client's own keep-alive is no listenKey call.
    let agent =
        "const agent = new https.Agent({ keepAlive: true });\nconst res = await fetch(url, { agent });";
    assert!(code(agent).is_empty(), "{:?}", code(agent));
    let renew = "client.renew_listen_key(listen_key)";
    assert_eq!(code(renew), vec![Cause::EndpointRetired]);
    // binance.us keeps them.
    let us = "client = Client(api_key, api_secret, tld='us')\nkey = client.stream_get_listen_key()";
    assert!(code(us).is_empty(), "{:?}", code(us));
    let a = crate::diagnose::request::answer_line(
        "binance.error.ClientError: (404, None, '', {'content-length': '0'}, None)",
    )
    .unwrap();
    assert_eq!((a.status, a.code), (404, None));
}

/// A key the post's own words call a testnet key, sent by a client left on the live API; go-binance's
/// UseTestnet set after the client was made does not move it.
#[test]
fn testnet_keys_named_in_prose_and_a_late_go_switch() {
    let node = "I generated my API key on testnet.binance.vision to try things. @binance/connector gives 401:\nconst apiKey = 'qR8nGkN1t4cVwX2pLmZ7sYd3eF6hJ9uKaB5oT0iPzQ1rW8xE4vC7nM2lS6gH3jDy'\nconst client = new Spot(apiKey, apiSecret, { baseURL: 'https://api.binance.com' })\ndata: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }";
    assert_eq!(code(node), vec![Cause::KeyOtherEnvironment]);
    let go = "go-binance with my testnet keys:\napiKey    = \"qR8n\"\nclient := binance.NewClient(apiKey, secretKey)\nbinance.UseTestnet = true\n<APIError> code=-2015, msg=Invalid API-key, IP, or permissions for action.";
    assert_eq!(code(go), vec![Cause::KeyOtherEnvironment]);
    let early = go.replace(
        "client := binance.NewClient(apiKey, secretKey)\nbinance.UseTestnet = true",
        "binance.UseTestnet = true\nclient := binance.NewClient(apiKey, secretKey)",
    );
    assert!(!code(&early).contains(&Cause::KeyOtherEnvironment), "{:?}", code(&early));
}

/// A lower-case symbol written by a template (`'${coin}usdt'`) or joined from lower-case literals.
#[test]
fn lower_case_symbols_from_templates_and_joins() {
    let dart = "final symbol = '${coin}usdt';\nfinal query = 'symbol=$symbol&timestamp=${DateTime.now().millisecondsSinceEpoch}';";
    assert_eq!(code(dart), vec![Cause::SymbolLowerCase]);
    let joined = "pair = \"btc\" + \"usdt\"\nparams = {\"symbol\": pair, \"timestamp\": ts}";
    assert_eq!(code(joined), vec![Cause::SymbolLowerCase]);
    assert!(code("final symbol = '${coin}USDT';").is_empty());
}

/// Python: a parameter defaulting to None signed through urlencode ('None') while requests leaves
/// it out; filtered out first, nothing to say.
#[test]
fn python_none_signed_and_dropped() {
    let py = "def order(symbol, side, client_id=None):\n    params = {\n        \"symbol\": symbol,\n        \"newClientOrderId\": client_id,\n        \"timestamp\": int(time.time() * 1000),\n    }\n    params[\"signature\"] = hmac.new(SECRET.encode(), urlencode(params).encode(), hashlib.sha256).hexdigest()\n    r = requests.post(URL, params=params, headers=headers)";
    assert_eq!(code(py), vec![Cause::SignedDroppedParam]);
    let filtered = py.replace(
        "    params[\"signature\"]",
        "    params = {k: v for k, v in params.items() if v is not None}\n    params[\"signature\"]",
    );
    assert!(code(&filtered).is_empty(), "{:?}", code(&filtered));
}

/// A signing function written above its caller: what the caller adds before calling it is signed
/// (Rust's `fn sign(params)` then `params.insert("timestamp", ..)` in main), while a line after the
/// signing in the same function is not (Python's `params["recvWindow"] = ..`).
#[test]
fn a_signing_function_above_its_caller() {
    let rust = "fn sign(params: &HashMap<&str, String>) -> String {\nlet payload = params.iter().map(|(k, v)| format!(\"{}={}\", k, v)).collect::<Vec<_>>().join(\"&\");\nlet mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();\nmac.update(payload.as_bytes());\nhex::encode(mac.finalize().into_bytes())\n}\nfn main() {\nlet mut params: BTreeMap<&str, String> = BTreeMap::new();\nparams.insert(\"timestamp\", ts.to_string());\nparams.insert(\"recvWindow\", \"5000\".to_string());\nlet signature = sign(&params);\n}";
    let found = code(rust);
    assert!(
        !found.contains(&Cause::SignedBeforeTimestamp) && !found.contains(&Cause::SignedBeforeRecvWindow),
        "{found:?}"
    );
    let python = "def get_open_orders(symbol):\n    params = {\"symbol\": symbol, \"timestamp\": int(time.time() * 1000)}\n    signature = hmac.new(API_SECRET.encode(), urlencode(params).encode(), hashlib.sha256).hexdigest()\n    params[\"recvWindow\"] = 10000\n    params[\"signature\"] = signature\n    r = requests.get(URL, params=params)\nget_open_orders(\"BNBUSDT\")";
    assert_eq!(code(python), vec![Cause::SignedBeforeRecvWindow]);
}

/// The machine's local time counted as UTC, read from code (.NET, Java, Python); UTC itself is
/// fine.
#[test]
fn local_time_counted_as_utc() {
    let dotnet = "long timestamp = (long)(DateTime.Now - new DateTime(1970, 1, 1)).TotalMilliseconds;";
    assert_eq!(code(dotnet), vec![Cause::TimestampTimeZone]);
    assert!(code(&dotnet.replace("DateTime.Now", "DateTime.UtcNow")).is_empty());
    let java = "long ts = LocalDateTime.now().toEpochSecond(ZoneOffset.UTC) * 1000;";
    assert_eq!(code(java), vec![Cause::TimestampTimeZone]);
    let python = "ts = int(time.mktime(datetime.utcnow().timetuple()) * 1000)";
    assert_eq!(code(python), vec![Cause::TimestampTimeZone]);
}

/// Order terms written as literals in code, read by mbx-core's own order terms: an unknown type
/// or side is the finding; ccxt's lower-case words and a ticker's `type` are not.
#[test]
fn order_terms_written_in_code() {
    let connector = "client = Spot(api_key=k, api_secret=s)\nparams = {\n    \"symbol\": \"BTCUSDT\",\n    \"side\": \"SELL\",\n    \"type\": \"STOP_LIMIT\",\n    \"quantity\": 0.001,\n}\nresponse = client.new_order(**params)";
    let slips = source::read(connector);
    assert_eq!(slips.iter().map(|s| s.cause).collect::<Vec<_>>(), vec![Cause::OrderTerms]);
    assert_eq!(slips[0].error.code.get(), -1116);
    let side = "order = client.create_order(symbol='BTCUSDT', side='buy', type='LIMIT', quantity=1, price=2)";
    assert_eq!(code(side), vec![Cause::OrderTerms]);
    for fine in [
        connector.replace("STOP_LIMIT", "STOP_LOSS_LIMIT"),
        "exchange = ccxt.binance({'options': {'defaultType': 'spot'}})\norder = exchange.create_order('BTC/USDT', 'limit', 'buy', 1, 2, {'type': 'stop'})".to_owned(),
        "r = client.ticker(symbol='BTCUSDT', type='MINI')\nclient.new_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity=1)".to_owned(),
    ] {
        assert!(code(&fine).is_empty(), "{fine}: {:?}", code(&fine));
    }
}

/// A price computed in floating point and sent unrounded, where the answer shows Binance
/// refusing its precision; rounded, or without that answer, nothing.
#[test]
fn a_float_price_computed_unrounded() {
    let post = "last = float(client.get_symbol_ticker(symbol=\"BTCUSDT\")[\"price\"])\nbuy_price = last * 0.9873456\norder = client.order_limit_buy(symbol=\"BTCUSDT\", quantity=0.001, price=buy_price)\nAPIError(code=-1111): Parameter 'price' has too much precision.";
    assert_eq!(code(post), vec![Cause::ParamMalformed]);
    assert!(code(&post.replace("last * 0.9873456", "round(last * 0.9873456, 2)")).is_empty());
    assert!(
        code(&post.replace("APIError(code=-1111): Parameter 'price' has too much precision.", "")).is_empty()
    );
}

/// A symbol joined from parts given in lower case (`base, quote = "btc", "usdt"`).
#[test]
fn a_symbol_joined_from_lower_case_parts() {
    let post = "base, quote = \"btc\", \"usdt\"\nsymbol = base + quote\norder = client.create_order(\n    symbol=symbol,\n    side=\"BUY\", type=\"MARKET\", quantity=0.001)";
    assert_eq!(code(post), vec![Cause::SymbolLowerCase]);
    assert!(code(&post.replace("base + quote", "(base + quote).upper()")).is_empty());
}

/// The secret sent as the API key: by the header's variable's name, or, the secret known, by its
/// literal under a key's name even when the names are right.
#[test]
fn the_secret_written_where_the_key_goes() {
    let haskell = "apiKey = \"abc\"\napiSecret = \"def\"\nmain = do\n  let req = setRequestHeader \"X-MBX-APIKEY\" [apiSecret] req0\n  resp <- httpBS req";
    assert_eq!(code(haskell), vec![Cause::SecretAsApiKey]);
    assert!(code(&haskell.replace("[apiSecret]", "[apiKey]")).is_empty());
    let swapped = format!(
        "exchange = ccxt.binance({{\n    \"apiKey\": \"{SECRET}\",\n    \"secret\": \"{}\",\n}})",
        "k".repeat(64)
    );
    assert!(code(&swapped).is_empty());
    let slip = source::secret_written_as_key(&swapped, &[SECRET.as_bytes()]).unwrap();
    assert_eq!(slip.cause, Cause::SecretAsApiKey);
    assert!(!slip.line.contains(SECRET), "{}", slip.line);
    let header_var = format!("k1 = \"{SECRET}\"\nheaders = {{\"X-MBX-APIKEY\": k1}}");
    assert!(source::secret_written_as_key(&header_var, &[SECRET.as_bytes()]).is_some());
    let right = format!("api_secret = \"{SECRET}\"\nclient = Client(api_key, api_secret)");
    assert!(source::secret_written_as_key(&right, &[SECRET.as_bytes()]).is_none());
}

/// A key file's line split at its separator and the secret's part kept untrimmed, where the
/// text shows a space after the separator; trimmed, or the file not shown so, nothing.
#[test]
fn a_key_file_line_split_untrimmed() {
    let python = "One line in keys.csv: `<api key>, <secret>`.\n```python\nwith open(\"keys.csv\") as f:\n    api_key, api_secret = f.readline().rstrip(\"\\n\").split(\",\")\nclient = Spot(api_key=api_key, api_secret=api_secret)\n```";
    assert_eq!(code(python), vec![Cause::SecretWithSpace]);
    assert!(
        code(&python.replace(".split(\",\")", ".split(\",\")\n    api_secret = api_secret.strip()"))
            .is_empty()
    );
    assert!(code(&python.replace("<api key>, <secret>", "<api key>,<secret>")).is_empty());
    let dart = "for (final line in File('.env').readAsLinesSync()) {\n  final parts = line.split('=');\n  env[parts[0].trim()] = parts[1];\n}\nfinal secret = env['BINANCE_SECRET']!;\n// .env\n// BINANCE_SECRET = abc";
    assert_eq!(code(dart), vec![Cause::SecretWithSpace]);
    assert!(code(&dart.replace("= parts[1];", "= parts[1].trim();")).is_empty());
}

/// A parameter given another value after signing (a float signed, then its text sent), and a
/// signing function that signs a timestamp of its own before the caller sends another.
#[test]
fn values_changed_after_signing() {
    let changed = "params = {\"quantity\": qty, \"symbol\": \"BTCUSDT\", \"timestamp\": ts}\npayload = \"&\".join(f\"{k}={params[k]}\" for k in sorted(params))\nparams[\"signature\"] = hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()\nparams[\"quantity\"] = f\"{qty:.5f}\"";
    assert_eq!(code(changed), vec![Cause::SignedOtherValueText]);
    let twice = "def sign(params):\n    query = urlencode({**params, \"timestamp\": ts()})\n    return hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()\n\ndef main():\n    params = {\"symbol\": \"ETHUSDT\"}\n    signature = sign(params)\n    params[\"timestamp\"] = ts()\n    params[\"signature\"] = signature";
    assert_eq!(code(twice), vec![Cause::SignedOtherTimestamp]);
    let once = twice.replace("{**params, \"timestamp\": ts()}", "params");
    assert_eq!(code(&once), vec![Cause::SignedBeforeTimestamp]);
}

/// Printed requests, round 44: the key header's value repeating its name, another exchange's
/// headers in a printed dict, a key quoted inside a printed string, the payload signed with a C
/// string's NUL, and in a log of two requests the one its line shows refused.
#[test]
fn printed_requests_of_round_44() {
    let first = |text: &str, now: u64| {
        let r = RequestRecord::from_http(text).unwrap();
        let ctx = Context::hmac(SecretBytes::from(SECRET)).at(Timestamp::Millis(now));
        diagnose(&r, &ctx).findings.first().map(|f| f.cause)
    };
    let ts = 1_796_671_410_997u64;
    let q = format!("symbol=BTCUSDT&timestamp={ts}");
    let url = format!("https://api.binance.com/api/v3/openOrders?{q}&signature={}", hmac(&q));
    let go = format!("GET {url} HTTP/1.1\nHost: api.binance.com\nX-Mbx-Apikey: X-MBX-APIKEY: {KEY}\n");
    assert_eq!(first(&go, ts + 50), Some(Cause::KeyInHeaderValue));
    let bybit = format!(
        "GET {url}\n{{'User-Agent': 'python-requests/2.34.2', 'X-BAPI-API-KEY': '{KEY}', 'X-BAPI-TIMESTAMP': '{ts}'}}\n401 {{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}"
    );
    assert_eq!(first(&bybit, ts + 50), Some(Cause::OtherExchangeHeaders));
    let quoted = format!("GET {url}\n{{'Accept': '*/*', 'X-MBX-APIKEY': '\"{KEY}\"'}}\n");
    assert_eq!(first(&quoted, ts + 50), Some(Cause::KeyQuoted));
    let nul = HmacSigner::new(SECRET.as_bytes()).sign(format!("{q}\0").as_bytes()).as_str().to_owned();
    let mql5 = format!(
        "GET https://api.binance.com/api/v3/openOrders?{q}&signature={nul}\nHTTP 400: {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}"
    );
    assert_eq!(first(&mql5, ts + 50), Some(Cause::SignedWithNul));
    // The second request signed its payload with the first one's signature still in it.
    let later = ts + 2_000;
    let q2 = format!("symbol=BTCUSDT&timestamp={later}");
    let resigned = hmac(&format!("{q2}&signature={}", hmac(&q)));
    let log = format!(
        "2026-12-07 19:24:41,237 INFO GET {url} -> 200 []\n2026-12-07 19:24:43,267 INFO GET https://api.binance.com/api/v3/openOrders?{q2}&signature={resigned} -> 400 {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}"
    );
    assert_eq!(first(&log, later + 50), Some(Cause::SignedWithSignatureParam));
}

/// An order list's legs sent as nested objects: the nesting is the finding, not the names it
/// leaves unread nor the legs' terms it leaves missing.
#[test]
fn nested_legs_are_the_finding() {
    let frame = r#"{"id":"1","method":"orderList.place.oco","params":{"symbol":"BTCUSDT","side":"SELL","quantity":"0.01","above":{"type":"LIMIT_MAKER","price":"105000"},"below":{"type":"STOP_LOSS_LIMIT","price":"88000","stopPrice":"88500","timeInForce":"GTC"},"timestamp":1499827319559}}"#;
    let d = diagnose_ws_in_session(frame, None, &ctx(), true);
    let causes: Vec<Cause> = d.findings.iter().map(|f| f.cause).collect();
    assert_eq!(causes.first(), Some(&Cause::ParamsNested), "{causes:?}");
    assert!(!causes.contains(&Cause::ParamNotRead) && !causes.contains(&Cause::OrderTerms), "{causes:?}");
}

/// Round 45's correct programs: a logon whose logged signature is redacted is not read as another
/// key kind's; a correct library call shown as code is accepted, not unreadable; a -1022 beside a
/// public request the code also names (its clock call) is no proof of another key.
#[test]
fn correct_programs_of_round_45() {
    let logon = r#"{"method":"session.logon","params":{"apiKey":"[REDACTED]","timestamp":1499827319559,"signature":"[REDACTED]"},"id":"1"}"#;
    let d = diagnose_ws_frames_printed(&[logon], None, &Context::default().at(NOW), &[]).remove(0);
    assert!(d.findings.iter().all(|f| f.cause != Cause::LogonKeyNotEd25519), "{:?}", d.findings);
    let notebook = "import os\nfrom binance.client import Client\nclient = Client(os.environ[\"BINANCE_API_KEY\"], os.environ[\"BINANCE_API_SECRET\"])\ntrades = client.get_my_trades(symbol=\"BTCUSDT\", limit=5)";
    let d = diagnose_source_alone(notebook).expect("read as code");
    assert_eq!((d.verdict.code, d.findings.len()), (0, 0), "{:?}", d.findings);
    let vba = "http.Open \"GET\", BASE_URL & \"/api/v3/time\", False\n{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}";
    let r = RequestRecord::from_http(vba).unwrap();
    let d = diagnose(&r, &ctx());
    assert!(d.findings.iter().all(|f| f.cause != Cause::KeyRegisteredOther), "{:?}", d.findings);
}

/// A URL printed with raw spaces in a value (Java's HttpURLConnection): read on to its signature.
#[test]
fn a_url_printed_with_raw_spaces_is_read_whole() {
    let text = "POST https://api.binance.com/api/v3/order/test?symbol=BTCUSDT&newClientOrderId=ema cross 15m&timestamp=1499827319559&signature=abcd\nException in thread \"main\"";
    let r = RequestRecord::from_http(text).unwrap();
    assert!(r.query.ends_with("&signature=abcd"), "{}", r.query);
    assert!(r.query.contains("ema cross 15m"), "{}", r.query);
}

/// Dart's print of a header map with the key empty is an empty key, not an unshown one.
#[test]
fn a_printed_map_with_the_key_empty() {
    let text = "GET https://api.binance.com/api/v3/account?timestamp=1499827319559&signature=abcd\nheaders: {X-MBX-APIKEY: }\n401 {\"code\":-2014,\"msg\":\"API-key format invalid.\"}";
    let r = RequestRecord::from_http(text).unwrap();
    assert_eq!(r.header("x-mbx-apikey"), Some(""));
    assert_eq!(diagnose(&r, &ctx()).findings[0].cause, Cause::KeyEmpty);
}
