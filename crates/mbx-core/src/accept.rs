//! The acceptance check: what Binance does with a request before the endpoint's own logic runs, as
//! one pure function per transport. The request's parts, a view of the registered keys and the
//! server's time go in; the request's key and parameters come out, or the first rejection in
//! Binance's order, with its stage, Binance's [`ApiError`] and one sentence saying what to change.
//!
//! The sandbox answers by it (its REST extractor and its WebSocket API are thin adapters over
//! [`check_rest`] and [`check_ws`]), and the doctor takes its verdict from it, so the two cannot
//! disagree.
//!
//! REST, in order ([`check_rest`]):
//!
//! | # | stage | check | failure |
//! |---|---|---|---|
//! | 1 | [`Stage::Key`] | one `X-MBX-APIKEY` header holding 64 letters and digits | `-2014` |
//! | 2 | [`Stage::Key`] | the key is registered and has the endpoint's permission | `-2015` |
//! | 3 | [`Stage::Params`] | query and form body decode, no name sent twice in either | `-1100`, `-1101` |
//! | 4 | [`Stage::Params`] | `timestamp` present (digits), `signature` present once in a part (in both, the query string's is read, as for any parameter), not empty | `-1102`, `-1100`, `-1101` |
//! | 5 | [`Stage::Timing`] | `recvWindow` well formed, at most 60000 | `-1100`, `-1111`, `-1102` |
//! | 6 | [`Stage::Timing`] | [`check_timing`] against the server time | `-1021` |
//! | 7 | [`Stage::Signature`] | the signature over the query string without its `signature` pair, then the body, as received | `-1022` |
//! | 8 | [`Stage::Unread`] | every parameter is one the endpoint reads ([`Endpoint::unread`]), every mandatory one is sent ([`check_params`]) | `-1104`, `-1102` |
//!
//! Binance checks the timing once more just before the matching engine takes a request
//! ([`check_engine_timing`], run by the sandbox where its engine takes an order).
//!
//! Steps 4 to 7 apply to endpoints that need a signature; `USER_STREAM` needs the key only; public
//! endpoints only steps 3 and 8. Over the WebSocket API ([`check_ws`]) the key is the `apiKey`
//! parameter (missing: `-1102`) and the signature is over every other parameter sorted by name, not
//! percent-encoded ([`ws_api_payload`]).
//!
//! ```
//! use mbx_core::accept::{self, RestRequest, Stage, Target};
//! use mbx_core::endpoint::spot;
//! let headers = [("X-MBX-APIKEY", "abc")];
//! let req = RestRequest { headers: &headers[..], query: "timestamp=1", body: "" };
//! let keys = accept::AnyKey(None);
//! let r = accept::check_rest(Target::of(&spot::ACCOUNT), &req, &keys, None).unwrap_err();
//! assert_eq!((r.stage, r.error.code.get()), (Stage::Key, -2014));
//! ```

use crate::endpoint::{Endpoint, Security};
use crate::payload::{signature_last, split_signature_borrowed, ws_api_payload};
use crate::sign::{Verifier, VerifyError};
use crate::time::{RecvWindow, Timestamp, check_timing};
use crate::{ApiError, ErrorCode, Params, encode};

/// Length of a Binance API key: 64 ASCII letters and digits.
pub const API_KEY_LEN: usize = 64;

/// Whether `key` has the form of a Binance API key (64 ASCII letters and digits).
pub fn is_well_formed_key(key: &str) -> bool {
    // Every byte looked at, without an early exit: the check then runs on whole vectors (every
    // signed request passes here).
    key.len() == API_KEY_LEN && key.bytes().fold(true, |ok, b| ok & b.is_ascii_alphanumeric())
}

/// The first characters of a key, for hints and logs (keys are private too). ASCII, as hints travel
/// in a header.
///
/// ```
/// assert_eq!(mbx_core::accept::shorten_key("vmPUZE6mv9SD5VNH"), "vmPU...(16 chars)");
/// ```
pub fn shorten_key(key: &str) -> String {
    // Written without the formatting machinery: the sandbox's request log shortens the key of
    // every request it records.
    use crate::params::Integer;
    let cut = key.char_indices().nth(4).map_or(key.len(), |(i, _)| i);
    let count = if key.is_ascii() { key.len() } else { key.chars().count() };
    let mut out = String::with_capacity(cut + 16);
    out.push_str(&key[..cut]);
    out.push_str("...(");
    count.push_decimal(&mut out);
    out.push_str(" chars)");
    out
}

/// Whether a header name looks like a misspelt `X-MBX-APIKEY` (`X_MBX_APIKEY`, `X-API-KEY`, `apikey`).
pub fn looks_like_key_header(name: &str) -> bool {
    if name.eq_ignore_ascii_case("x-mbx-apikey") {
        return false;
    }
    let letters: String =
        name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    // Binance's own answer headers (a response's headers printed beside the request) are not.
    let answer_header = ["xmbxuuid", "xmbxusedweight", "xmbxordercount", "xmbxtraceid"]
        .iter()
        .any(|h| letters.starts_with(h));
    (letters.contains("apikey") || letters.contains("mbx")) && !answer_header
}

/// Parameter names clients put the API key in instead of the header (lower case).
pub const KEY_PARAM_NAMES: &[&str] = &["apikey", "api_key", "api-key", "x-mbx-apikey"];

/// Whether a timestamp (in ms as read) is most likely seconds since 1970: ten digits, from 2017
/// (Binance's first year) to 2286. Ten digits that would be a second of 2001 to 2016 are rather
/// a counter's milliseconds (`System.nanoTime() / 1_000_000`, an uptime: 12 to 17 days).
pub fn looks_like_seconds(ms: u64) -> bool {
    (1_483_228_800..10_000_000_000).contains(&ms)
}

/// At most `n` characters of `s`, with `...` when cut (ASCII, as hints travel in a header).
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}...", s.chars().take(n).collect::<String>())
    }
}

/// Where a check failed, in the order Binance checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The request itself: a WebSocket API frame that is not JSON, a method or path that does not
    /// exist or was retired.
    Route,
    /// The API key: its header or parameter, its format, whether it is registered and permitted.
    Key,
    /// Reading the parameters, and the presence of `timestamp` and `signature`.
    Params,
    /// `recvWindow` and the timestamp against the server's time.
    Timing,
    /// The signature.
    Signature,
    /// The endpoint's own parameter table: a parameter it does not read, a mandatory one missing;
    /// for the doctor also what the endpoint's handler refuses next (a malformed number, an order's
    /// terms: [`crate::order::check_param_values`], [`crate::order::read_new_order`]).
    Unread,
}

impl Stage {
    /// The check whose refusal Binance answers with `code`, for a request the text does not show
    /// (so a request answered with it passed every stage before): `None` for an answer from past
    /// these checks (the matching engine's, a filter's, an order not found).
    ///
    /// ```
    /// use mbx_core::accept::Stage;
    /// assert!(Stage::of_answer(-2014) < Stage::of_answer(-1021));
    /// assert_eq!(Stage::of_answer(-1022), Some(Stage::Signature));
    /// assert_eq!(Stage::of_answer(-2010), None);
    /// ```
    pub fn of_answer(code: i32) -> Option<Stage> {
        Some(match code {
            -2014 | -2015 => Stage::Key,
            -1021 => Stage::Timing,
            -1022 => Stage::Signature,
            -1104 => Stage::Unread,
            -1199..=-1100 => Stage::Params,
            _ => return None,
        })
    }
}

/// The first failed check: where, what Binance answers, and one sentence on what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Where.
    pub stage: Stage,
    /// What Binance answers.
    pub error: ApiError,
    /// Which check failed and what to change.
    pub hint: String,
}

impl Rejection {
    fn new(stage: Stage, error: ApiError, hint: impl Into<String>) -> Rejection {
        Rejection { stage, error, hint: hint.into() }
    }
}

/// What a request is checked against: the security type, and the endpoint when it is in the table
/// (its name in hints, its parameters for `-1104`).
#[derive(Debug, Clone, Copy)]
pub struct Target<'e> {
    /// The security type.
    pub security: Security,
    /// The endpoint, when known.
    pub endpoint: Option<&'e Endpoint>,
}

impl<'e> Target<'e> {
    /// A table endpoint.
    pub fn of(endpoint: &'e Endpoint) -> Target<'e> {
        Target { security: endpoint.security, endpoint: Some(endpoint) }
    }
}

/// The registered keys, as the check sees them.
pub trait KeyRing {
    /// What a registered key is to the caller (handed back with an accepted request).
    type Key;

    /// The key registered under `api_key`, or `None` (`-2015`).
    fn key(&self, api_key: &str) -> Option<Self::Key>;

    /// `Ok` when `key` may call endpoints of `security`; otherwise the permissions it has, as text.
    fn permits(&self, key: &Self::Key, security: Security) -> Result<(), String>;

    /// The key that checks signatures made with `key`; `None` when it is not known (the signature is
    /// then not checked).
    fn verifier<'k>(&'k self, key: &'k Self::Key) -> Option<&'k Verifier>;

    /// The sentence for an API key that is not registered.
    fn unknown_hint(&self, api_key: &str) -> String {
        format!("No API key {} is registered (or it was revoked).", shorten_key(api_key))
    }
}

/// A key ring that takes any well-formed key as registered and permitted, with this verifier (or
/// none: signatures are then not checked). What the doctor knows offline.
#[derive(Debug, Clone)]
pub struct AnyKey(pub Option<Verifier>);

impl KeyRing for AnyKey {
    type Key = ();

    fn key(&self, _: &str) -> Option<()> {
        Some(())
    }

    fn permits(&self, (): &(), _: Security) -> Result<(), String> {
        Ok(())
    }

    fn verifier<'k>(&'k self, (): &'k ()) -> Option<&'k Verifier> {
        self.0.as_ref()
    }
}

/// A request's headers, as the check reads them.
pub trait Headers {
    /// Every value of header `name` (given in lower case, matched in any case), in order; `None`
    /// for a value that is not visible ASCII text.
    fn values(&self, name: &str) -> Vec<Option<&str>>;
    /// Every header name, in lower case.
    fn names(&self) -> Vec<String>;
}

impl Headers for [(&str, &str)] {
    fn values(&self, name: &str) -> Vec<Option<&str>> {
        self.iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| Some(*v).filter(|v| v.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))))
            .collect()
    }

    fn names(&self) -> Vec<String> {
        self.iter().map(|(k, _)| k.to_ascii_lowercase()).collect()
    }
}

/// A REST request as the check reads it.
#[derive(Debug, Clone, Copy)]
pub struct RestRequest<'a, H: Headers + ?Sized> {
    /// The headers.
    pub headers: &'a H,
    /// The raw query string (after `?`, as received).
    pub query: &'a str,
    /// The raw form body Binance reads ([`form_body`]): empty for a `GET`, a JSON body, or any
    /// content type but `application/x-www-form-urlencoded`.
    pub body: &'a str,
}

/// The part of a body Binance reads as parameters: the whole body of a non-`GET` request whose
/// content type is `application/x-www-form-urlencoded` (or absent, unless the body looks like JSON);
/// nothing otherwise.
///
/// ```
/// use mbx_core::accept::form_body;
/// assert_eq!(form_body("POST", None, "a=1"), "a=1");
/// assert_eq!(form_body("POST", Some("application/json"), "a=1"), "");
/// assert_eq!(form_body("POST", None, "{\"a\":1}"), "");
/// assert_eq!(form_body("GET", None, "a=1"), "");
/// ```
pub fn form_body<'b>(method: &str, content_type: Option<&str>, body: &'b str) -> &'b str {
    if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD") {
        return "";
    }
    match content_type {
        Some(ct) if !starts_with_ignore_case(ct.trim_start(), "application/x-www-form-urlencoded") => "",
        None if body.trim_start().starts_with(['{', '[']) => "",
        _ => body,
    }
}

/// Whether `text` starts with `prefix`, ASCII letters in either case (no allocation).
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|t| t.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// An accepted request: its key (for endpoints that take one) and its parameters (query winning
/// over body; `signature`, and over the WebSocket API `apiKey`, removed).
#[derive(Debug)]
pub struct Accepted<K> {
    /// The key that signed (or sent) the request.
    pub key: Option<K>,
    /// The parameters.
    pub params: Params,
}

/// The REST acceptance check (the module table): the first failure, or the request's key and
/// parameters. `now` is the server's time; without it the timing check only refuses a timestamp in
/// seconds (which any server time after 1973 refuses).
pub fn check_rest<K: KeyRing, H: Headers + ?Sized>(
    target: Target<'_>,
    req: &RestRequest<'_, H>,
    keys: &K,
    now: Option<Timestamp>,
) -> Result<Accepted<K::Key>, Rejection> {
    // 1, 2: the key.
    let key = if target.security.needs_api_key() {
        let api_key = api_key_header(req)?;
        Some(registered(target, keys, api_key)?)
    } else {
        None
    };

    // 3: parameters. An endpoint that takes no signature reads none: one sent is a parameter it
    // does not read (-1104), as any other.
    if !target.security.needs_signature() {
        let params = merge_decoded(
            decode_pairs_for(target.endpoint, req.query, "query string")?,
            decode_pairs_for(target.endpoint, req.body, "body")?,
        );
        check_params(target, &params)?;
        return Ok(Accepted { key, params });
    }
    let (query_rest, query_sigs) = split_signature_borrowed(req.query);
    let (body_rest, body_sigs) = split_signature_borrowed(req.body);
    let params = merge_decoded(
        decode_pairs_for(target.endpoint, &query_rest, "query string")?,
        decode_pairs_for(target.endpoint, &body_rest, "body")?,
    );

    // 4: timestamp and signature present.
    let timestamp = timestamp(&params, Transport::Rest)?;
    let raw_signature = match (query_sigs.as_slice(), body_sigs.as_slice()) {
        ([], []) => return Err(missing_signature("The request has no signature parameter")),
        // In both parts: the query string's, as for any parameter sent in both (rest-api.md:
        // "the query string parameter will be used").
        ([one], []) | ([], [one]) | ([one], [_]) => *one,
        _ => {
            return Err(Rejection::new(
                Stage::Params,
                ApiError::with_variant(ErrorCode::TOO_MANY_PARAMETERS, 2),
                "The signature parameter is sent more than once; send one, computed over the payload without it.",
            ));
        }
    };
    if raw_signature.is_empty() {
        return Err(missing_signature("The signature parameter is empty"));
    }

    // 5, 6: timing.
    let window = recv_window(&params)?;
    timing(timestamp, window, now, Transport::Rest)?;

    // 7: the signature, last in its part (Binance takes it from the end), over exactly the bytes
    // received.
    if !signature_last(if query_sigs.is_empty() { req.body } else { req.query }) {
        return Err(Rejection::new(
            Stage::Signature,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "The signature is not the last parameter: Binance takes it from the end of the query string (or body). Append &signature=... after every other parameter, unsorted.",
        ));
    }
    // Without the key, a raw '+' still fails: Binance reads it as a space, which no hex or base64
    // signature holds.
    match key.as_ref().and_then(|k| keys.verifier(k)) {
        Some(verifier) => verify_rest_signature(verifier, &query_rest, &body_rest, raw_signature)?,
        None if raw_signature.contains('+') => {
            return Err(Rejection::new(
                Stage::Signature,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                "The signature holds a raw '+', which is read as a space: percent-encode it as %2B.",
            ));
        }
        None => {}
    }

    // 8: every parameter read, every mandatory one sent.
    check_params(target, &params)?;
    Ok(Accepted { key, params })
}

/// A WebSocket API request frame, read as Binance reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct WsFrame {
    /// The request's `id` (`null` when absent), echoed in the answer.
    pub id: serde_json::Value,
    /// The method, without the `v3/` prefix the API also accepts.
    pub method: String,
    /// The `params`, in the order written: strings unescaped, numbers, booleans, arrays and objects
    /// as their JSON text, unchanged (`0.10` stays `0.10`). A name written twice keeps its last value.
    pub params: Params,
}

/// The longest string a WebSocket API (or stream control) `id` may be: 36 characters.
pub const MAX_ID_CHARS: usize = 36;

/// Whether `id` may identify a WebSocket API request or a stream control message: a 64-bit signed
/// integer, an alphanumeric string of at most 36 characters, or null (web-socket-api.md, "Request
/// format"; the CHANGELOG, where streams take "the same values as used for id in the WebSocket
/// API"; web-socket-streams.md). The docs' own ids are UUIDs, so `-` counts; other punctuation
/// (`order.place-1`) is let through, as what Binance does with it is not documented and clients
/// send it; white space and control characters are not. An object, an array, a boolean, a
/// fraction, a longer string or one with a space is refused: the error says why.
///
/// ```
/// use mbx_core::accept::check_id;
/// use serde_json::json;
/// assert!(check_id(&json!("189da436-d4bd-48ca-9f95-9f613d621717")).is_ok());
/// assert!(check_id(&json!(-7)).is_ok() && check_id(&json!(null)).is_ok());
/// assert!(check_id(&json!("bad id!")).unwrap_err().contains("' '"));
/// assert!(check_id(&json!("order.place-1")).is_ok());
/// assert!(check_id(&json!(1.5)).is_err() && check_id(&json!("x".repeat(37))).is_err());
/// ```
pub fn check_id(id: &serde_json::Value) -> Result<(), String> {
    match id {
        serde_json::Value::Null => Ok(()),
        serde_json::Value::Number(n) if n.is_i64() => Ok(()),
        serde_json::Value::String(s) if s.chars().count() > MAX_ID_CHARS => Err(format!(
            "\"id\" is a string of {} characters: at most {MAX_ID_CHARS} are taken (a UUID's length).",
            s.chars().count()
        )),
        serde_json::Value::String(s) => match s.chars().find(|c| c.is_whitespace() || c.is_control()) {
            Some(c) => Err(format!(
                "\"id\" holds {c:?}: an id string is letters and digits (a UUID's '-' too), without spaces."
            )),
            None => Ok(()),
        },
        _ => {
            Err(format!("\"id\" is {}: it must be an integer, a string or null.", clip(&id.to_string(), 60)))
        }
    }
}

/// Reads a request frame `{"id","method","params"}`. A frame that is not a JSON object, or whose
/// `params` is not one, answers `-1135`-style "Invalid JSON Request"; a frame without a `method`
/// string answers `-1102`. The error comes with the frame's `id` when it could be read.
///
/// ```
/// use mbx_core::accept::read_ws_frame;
/// let f = read_ws_frame(r#"{"id":"a1","method":"v3/time","params":{"b":"x y","a":0.10}}"#).unwrap();
/// assert_eq!(f.method, "time");
/// assert_eq!(f.params.iter().collect::<Vec<_>>(), [("b", "x y"), ("a", "0.10")]);
/// assert_eq!(read_ws_frame("{'id': 1}").unwrap_err().1.error.code.get(), -1135);
/// assert_eq!(read_ws_frame(r#"{"id":{"n":1},"method":"time"}"#).unwrap_err().1.error.code.get(), -1135);
/// ```
pub fn read_ws_frame(text: &str) -> Result<WsFrame, Box<(serde_json::Value, Rejection)>> {
    let invalid = |hint: String| {
        Rejection::new(
            Stage::Route,
            ApiError::with_msg(ErrorCode::INVALID_JSON, "Invalid JSON Request"),
            hint,
        )
    };
    let request = match ordered_object(text) {
        Ok(r) => r,
        Err(e) => {
            return Err(Box::new((
                serde_json::Value::Null,
                invalid(format!("The frame is not a JSON object: {e}.")),
            )));
        }
    };
    let field = |name: &str| request.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.get());
    let id = field("id").and_then(|raw| serde_json::from_str(raw).ok()).unwrap_or(serde_json::Value::Null);
    if let Err(why) = check_id(&id) {
        return Err(Box::new((serde_json::Value::Null, invalid(why))));
    }
    // `id` is mandatory (web-socket-api.md's request table: YES), though it may be null.
    if field("id").is_none() {
        return Err(Box::new((
            serde_json::Value::Null,
            Rejection::new(
                Stage::Route,
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["id"]),
                "The frame has no \"id\": send one (a number, a string of up to 36 characters, or null) to match the answer to the request.".to_owned(),
            ),
        )));
    }
    let Some(method) = field("method").and_then(|raw| serde_json::from_str::<String>(raw).ok()) else {
        return Err(Box::new((
            id,
            Rejection::new(
                Stage::Route,
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["method"]),
                "The frame has no \"method\" string.".to_owned(),
            ),
        )));
    };
    let params = match field("params") {
        None | Some("null") => Params::new(),
        Some(raw) => match ordered_object(raw) {
            Ok(pairs) => {
                let mut params = Params::with_capacity(pairs.len());
                for (name, value) in pairs {
                    let value = value.get();
                    let text = if value.starts_with('"') {
                        serde_json::from_str::<String>(value).unwrap_or_default()
                    } else {
                        value.to_owned()
                    };
                    params.remove(&name);
                    params.push(name, text);
                }
                params
            }
            Err(_) => {
                let why = match serde_json::from_str::<serde_json::Value>(raw) {
                    Ok(serde_json::Value::String(s)) if s.trim_start().starts_with('{') => {
                        "\"params\" is a string holding JSON, not a JSON object: it was encoded twice."
                    }
                    Ok(serde_json::Value::Array(_)) => "\"params\" is an array, not a JSON object.",
                    _ => "\"params\" is not a JSON object.",
                };
                return Err(Box::new((id, invalid(why.to_owned()))));
            }
        },
    };
    let method = method.strip_prefix("v3/").map_or_else(|| method.clone(), str::to_owned);
    Ok(WsFrame { id, method, params })
}

/// A JSON object's members in the order written.
pub(crate) fn ordered_object(
    text: &str,
) -> Result<Vec<(String, Box<serde_json::value::RawValue>)>, serde_json::Error> {
    struct Members(Vec<(String, Box<serde_json::value::RawValue>)>);
    impl<'de> serde::Deserialize<'de> for Members {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> serde::de::Visitor<'de> for Visit {
                type Value = Members;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = map.next_entry::<String, Box<serde_json::value::RawValue>>()? {
                        out.push((k, v));
                    }
                    Ok(Members(out))
                }
            }
            d.deserialize_map(Visit)
        }
    }
    serde_json::from_str::<Members>(text).map(|m| m.0)
}

/// The time unit a request asks for: `value` is the `X-MBX-TIME-UNIT` header's (REST) or the URL's
/// `timeUnit` (WebSocket API), `name` which of them, for the hint. Absent is milliseconds; a value
/// other than `MILLISECOND` or `MICROSECOND` is refused with `-1194` before anything else is read.
///
/// ```
/// use mbx_core::{accept::read_time_unit, time::TimeUnit};
/// assert_eq!(read_time_unit(None, "X-MBX-TIME-UNIT").unwrap(), TimeUnit::Millisecond);
/// assert_eq!(read_time_unit(Some("MICROSECOND"), "X-MBX-TIME-UNIT").unwrap(), TimeUnit::Microsecond);
/// assert_eq!(read_time_unit(Some("SECOND"), "timeUnit").unwrap_err().error.code.get(), -1194);
/// ```
pub fn read_time_unit(value: Option<&str>, name: &str) -> Result<crate::time::TimeUnit, Rejection> {
    match value {
        None => Ok(crate::time::TimeUnit::Millisecond),
        Some(v) => crate::time::TimeUnit::parse(v.trim()).ok_or_else(|| {
            Rejection::new(
                Stage::Route,
                ApiError::new(ErrorCode::INVALID_TIME_UNIT),
                format!("{name} takes MILLISECOND (the default) or MICROSECOND, not '{}'.", clip(v, 20)),
            )
        }),
    }
}

/// `session.logon` takes Ed25519 keys only (web-socket-api.md, "Session Authentication"): a logon
/// signed with another kind of key, otherwise accepted, is refused. The docs name no code. Binance
/// reads a logon's signature as an Ed25519 one, so another key's does not verify: users who logged on
/// with an HMAC key report "invalid signature", `-1022`, which the sandbox answers too.
///
/// ```
/// use mbx_core::{accept::logon_key_refusal, sign::KeyKind};
/// assert!(logon_key_refusal(KeyKind::Ed25519).is_none());
/// assert_eq!(logon_key_refusal(KeyKind::Hmac).unwrap().error.code.get(), -1022);
/// ```
pub fn logon_key_refusal(kind: crate::sign::KeyKind) -> Option<Rejection> {
    (kind != crate::sign::KeyKind::Ed25519).then(|| {
        Rejection::new(
            Stage::Key,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            format!(
                "session.logon takes Ed25519 keys only (this one is {kind}); send apiKey and signature with each request instead, or register an Ed25519 key."
            ),
        )
    })
}

/// The WebSocket API methods that work only on a connection logged on with `session.logon`
/// (`userDataStream.subscribe`); sent on one that is not, they are refused with `-1002`.
pub const NEEDS_LOGON: &[&str] = &["userDataStream.subscribe"];

/// The WebSocket API methods that always carry their own `apiKey` and `signature`, logged on or not
/// (`session.logon`, `userDataStream.subscribe.signature`): a session's key never stands in for
/// them.
pub const SIGNS_ITSELF: &[&str] = &["session.logon", "userDataStream.subscribe.signature"];

/// `-1104` for a parameter a session method does not read, checked before the session itself
/// (`userDataStream.subscribe` with an `apiKey` on a connection not logged on is answered `-1104`,
/// not `-1002`: binance-connector-js#318). The methods of [`SIGNS_ITSELF`] have theirs read by
/// [`check_ws`].
///
/// ```
/// use mbx_core::{Params, accept::check_session_params, endpoint};
/// let subscribe = endpoint::ws_session("userDataStream.subscribe").unwrap();
/// let refused = check_session_params(subscribe, &Params::new().text("apiKey", "k")).unwrap_err();
/// assert_eq!(refused.error.msg, "Not all sent parameters were read; read '0' parameter(s) but was sent '1'.");
/// assert!(check_session_params(subscribe, &Params::new()).is_ok());
/// ```
pub fn check_session_params(method: &crate::endpoint::WsSession, params: &Params) -> Result<(), Rejection> {
    if SIGNS_ITSELF.contains(&method.name) {
        return Ok(());
    }
    let sent: Vec<&str> =
        params.iter().map(|(k, _)| k).filter(|k| !crate::endpoint::WS_REQUEST_PARAMS.contains(k)).collect();
    let unread: Vec<&str> =
        sent.iter().copied().filter(|k| !method.params.iter().any(|p| p.name == *k)).collect();
    if unread.is_empty() {
        return Ok(());
    }
    let read = (sent.len() - unread.len()).to_string();
    let error = ApiError::with_args(ErrorCode::UNREAD_PARAMETERS, 1, &[&read, &sent.len().to_string()]);
    let shown: Vec<String> = unread.iter().take(5).map(|k| format!("'{}'", clip(k, 40))).collect();
    let takes = match method.params {
        [] => "takes no parameters".to_owned(),
        ps => format!("takes only {}", ps.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")),
    };
    let instead = if method.name == "userDataStream.subscribe" {
        " It subscribes the key of the session (session.logon first); to subscribe with apiKey, timestamp and signature, call userDataStream.subscribe.signature."
    } else {
        ""
    };
    Err(Rejection::new(
        Stage::Unread,
        error,
        format!("{} {takes}, and was sent {}.{instead}", method.name, shown.join(", ")),
    ))
}

/// The refusal of a [`NEEDS_LOGON`] method on a connection not logged on.
///
/// ```
/// assert_eq!(mbx_core::accept::not_logged_on("userDataStream.subscribe").error.code.get(), -1002);
/// ```
pub fn not_logged_on(method: &str) -> Rejection {
    Rejection::new(
        Stage::Key,
        ApiError::new(ErrorCode::UNAUTHORIZED),
        format!(
            "{method} needs a session logged on with session.logon (Ed25519 keys); or use userDataStream.subscribe.signature with apiKey, timestamp and signature."
        ),
    )
}

/// A second User Data Stream subscription of one account on one connection: `-2035` ("You can have
/// only one active subscription for a given account on a given connection", web-socket-api.md).
/// `existing` is the subscription already there, when known.
///
/// ```
/// assert_eq!(mbx_core::accept::subscription_active(Some(0)).error.code.get(), -2035);
/// ```
pub fn subscription_active(existing: Option<u32>) -> Rejection {
    let which = existing.map_or_else(|| "a subscription".to_owned(), |id| format!("subscription {id}"));
    Rejection::new(
        Stage::Key,
        ApiError::new(ErrorCode::SUBSCRIPTION_ACTIVE),
        format!("This connection already has {which} for this account: one per account per connection."),
    )
}

/// The WebSocket API acceptance check: `params` as received (`apiKey` and `signature` among them).
/// Public methods are not checked here (their parameters are read as they come).
pub fn check_ws<K: KeyRing>(
    target: Target<'_>,
    mut params: Params,
    keys: &K,
    now: Option<Timestamp>,
) -> Result<Accepted<K::Key>, Rejection> {
    if !target.security.needs_api_key() {
        return Ok(Accepted { key: None, params });
    }
    // 1, 2, 3: the key.
    let api_key = match params.get("apiKey") {
        Some(k) if !k.is_empty() => k.to_owned(),
        _ => {
            return Err(mandatory(
                "apiKey",
                "The request has no apiKey parameter; add your API key to params.",
            ));
        }
    };
    if !is_well_formed_key(&api_key) {
        return Err(Rejection::new(
            Stage::Key,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            format!(
                "apiKey holds {} character(s), not an API key (64 letters and digits).",
                api_key.chars().count()
            ),
        ));
    }
    let key = registered(target, keys, &api_key)?;
    if !target.security.needs_signature() {
        params.remove("apiKey");
        check_params(target, &params)?;
        return Ok(Accepted { key: Some(key), params });
    }

    // 4: timestamp and signature present.
    let timestamp = timestamp(&params, Transport::WsApi)?;
    let signature = match params.get("signature") {
        Some(s) if !s.is_empty() => s.to_owned(),
        _ => return Err(mandatory("signature", "The request has no signature parameter.")),
    };

    // 5, 6: timing.
    let window = recv_window(&params)?;
    timing(timestamp, window, now, Transport::WsApi)?;

    // 7: the signature over the sorted, unencoded parameters.
    if let Some(verifier) = keys.verifier(&key) {
        let payload = ws_api_payload(&params);
        if let Err(e) = verifier.verify(payload.as_bytes(), &signature) {
            return Err(Rejection::new(
                Stage::Signature,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                format!(
                    "The {} signature does not verify over `{}` (every parameter but signature, sorted by name, not percent-encoded): {e}.",
                    verifier.kind(),
                    clip(&payload, 3000)
                ),
            ));
        }
    }
    params.remove("apiKey");
    params.remove("signature");
    // Parameters of every WebSocket API request (signed with the others): not the endpoint's.
    without_request_params(&mut params);

    // 8: every parameter read, every mandatory one sent.
    check_params(target, &params)?;
    Ok(Accepted { key: Some(key), params })
}

/// The WebSocket API check of a request on a session logged on with `key` (`session.logon`) that
/// sends no `apiKey`: no key or signature to check, but a `SIGNED` method still needs a `timestamp`
/// within `recvWindow`, and the key must still have the method's permission.
pub fn check_ws_session<K: KeyRing>(
    target: Target<'_>,
    params: Params,
    keys: &K,
    key: K::Key,
    now: Option<Timestamp>,
) -> Result<Accepted<K::Key>, Rejection> {
    if !target.security.needs_api_key() {
        return Ok(Accepted { key: None, params });
    }
    permitted(keys, &key, target, || "The session's API key".to_owned())?;
    if target.security.needs_signature() {
        let ts = timestamp(&params, Transport::WsApi)?;
        let window = recv_window(&params)?;
        timing(ts, window, now, Transport::WsApi)?;
    }
    let mut params = params;
    without_request_params(&mut params);
    check_params(target, &params)?;
    Ok(Accepted { key: Some(key), params })
}

/// `params` without what every WebSocket API request may carry besides its method's
/// ([`crate::endpoint::WS_REQUEST_PARAMS`]).
fn without_request_params(params: &mut Params) {
    for name in crate::endpoint::WS_REQUEST_PARAMS {
        params.remove(name);
    }
}

/// The WebSocket API's check of a public method's parameters: REST's ([`check_params`]: `-1104`,
/// then `-1102`), less the parameters every request may carry
/// ([`crate::endpoint::WS_REQUEST_PARAMS`]: the docs' own example is `time` with
/// `returnRateLimits`) and an `apiKey`, which a public method ignores (the CHANGELOG, 2024-04-02:
/// `trades.historical` "no longer necessary and is now ignored"; clients still send it).
///
/// ```
/// use mbx_core::{Params, accept::{Target, check_ws_public}, endpoint};
/// let time = Target::of(endpoint::ws_method("time").unwrap());
/// assert!(check_ws_public(time, &Params::new().text("returnRateLimits", "false")).is_ok());
/// let klines = Target::of(endpoint::ws_method("klines").unwrap());
/// let p = Params::new().text("symbol", "BTCUSDT").text("interval", "1m").text("timezone", "8");
/// assert_eq!(check_ws_public(klines, &p).unwrap_err().error.code.get(), -1104);
/// ```
pub fn check_ws_public(target: Target<'_>, params: &Params) -> Result<(), Rejection> {
    let mut own = params.clone();
    without_request_params(&mut own);
    own.remove("apiKey");
    check_params(target, &own)
}

/// The endpoint's own parameter checks from the table, after the acceptance checks: `-1104` for a
/// name it does not read ([`check_unread`]), then `-1102` for the first mandatory parameter
/// missing or empty, in the docs' order. (Parameters mandatory under a condition, or one of a group,
/// are the endpoint's own logic: the table names them, the handler words the answer.)
pub fn check_params(target: Target<'_>, params: &Params) -> Result<(), Rejection> {
    check_unread(target, params)?;
    check_mandatory(target, params)
}

/// `-1102` naming the first mandatory parameter of the target's endpoint missing or empty.
///
/// ```
/// use mbx_core::{Params, accept::{Target, check_mandatory}, endpoint::{self, Method}};
/// let depth = Target::of(endpoint::find(Method::Get, "/api/v3/depth").unwrap());
/// assert!(check_mandatory(depth, &Params::new().text("symbol", "BTCUSDT")).is_ok());
/// assert_eq!(check_mandatory(depth, &Params::new()).unwrap_err().error.code.get(), -1102);
/// ```
pub fn check_mandatory(target: Target<'_>, params: &Params) -> Result<(), Rejection> {
    let Some(endpoint) = target.endpoint else { return Ok(()) };
    match endpoint.mandatory().find(|p| params.get(p.name).is_none_or(str::is_empty)) {
        None => Ok(()),
        Some(p) => Err(Rejection::new(
            Stage::Unread,
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[p.name]),
            format!("Mandatory parameter '{}' is missing or empty; send it with a value.", p.name),
        )),
    }
}

/// `-1104` when `params` hold a name the target's endpoint does not read (nothing is checked for an
/// endpoint outside the table). For an endpoint that needs a signature, `signature` (already removed
/// from `params`) counts as sent and read.
pub fn check_unread(target: Target<'_>, params: &Params) -> Result<(), Rejection> {
    let Some(endpoint) = target.endpoint else { return Ok(()) };
    let unread = endpoint.unread(params.iter().map(|(k, _)| k));
    if unread.is_empty() {
        return Ok(());
    }
    let sent = params.len() + usize::from(endpoint.security.needs_signature());
    let read = sent - unread.len();
    let shown: Vec<String> = unread.iter().take(5).map(|k| format!("'{}'", clip(k, 40))).collect();
    let error = ApiError::with_args(ErrorCode::UNREAD_PARAMETERS, 1, &[&read.to_string(), &sent.to_string()]);
    if let Some(name) = unread.iter().find(|k| is_secret_param_name(k)) {
        return Err(Rejection::new(Stage::Unread, error, secret_param_hint(name)));
    }
    let names: Vec<&str> = params.iter().map(|(k, _)| k).collect();
    if let Some(meant) = method_meant(endpoint, &names) {
        let hint = format!("{}. {}", method_wrong_title(endpoint, meant), method_wrong_fix(meant));
        return Err(Rejection::new(Stage::Unread, error, hint));
    }
    let fix = match unread.iter().find_map(|n| list_spread(endpoint, n)) {
        Some(list) => list_spread_fix(list),
        None if unread.contains(&"signature") => unsigned_endpoint_fix(endpoint),
        None => "Remove them or check their spelling and case against rest-api.md.".to_owned(),
    };
    Err(Rejection::new(
        Stage::Unread,
        error,
        format!(
            "{} {} does not define the parameter(s) {}. {fix}",
            endpoint.method,
            endpoint.path,
            shown.join(", ")
        ),
    ))
}

/// What to do about a signature sent to an endpoint that takes none (its security type is `NONE`
/// or `USER_STREAM`): the sandbox's hint for its `-1104`, and the doctor's fix.
///
/// ```
/// use mbx_core::{accept::unsigned_endpoint_fix, endpoint::{self, Method}};
/// let price = endpoint::find(Method::Get, "/api/v3/ticker/price").unwrap();
/// assert!(unsigned_endpoint_fix(price).starts_with("GET /api/v3/ticker/price is a NONE endpoint"));
/// ```
pub fn unsigned_endpoint_fix(e: &Endpoint) -> String {
    format!(
        "{} {} is a {} endpoint: send it without timestamp, recvWindow and signature (only TRADE and USER_DATA requests are signed).",
        e.method,
        e.path,
        e.security.as_str()
    )
}

/// The endpoint's list parameter ([`crate::endpoint::Param::is_json_array`], such as `symbols`) that
/// `name` sends, by its own name or as an HTTP library writes one item of a list: `symbols[]`,
/// `symbols[0]`.
///
/// ```
/// use mbx_core::{accept::list_spread, endpoint::{self, Method}};
/// let price = endpoint::find(Method::Get, "/api/v3/ticker/price").unwrap();
/// assert_eq!(list_spread(price, "symbols[0]"), Some("symbols"));
/// assert_eq!(list_spread(price, "symbols[]"), Some("symbols"));
/// assert_eq!(list_spread(price, "symbol[]"), None);
/// ```
pub fn list_spread(e: &Endpoint, name: &str) -> Option<&'static str> {
    let base = match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
        Some((base, index)) if index.bytes().all(|b| b.is_ascii_digit()) => base,
        Some(_) => return None,
        None => name,
    };
    e.param(base).filter(|p| p.is_json_array()).map(|p| p.name)
}

/// How to send a list parameter (`symbols`): one JSON array of names, percent-encoded. The end of
/// [`list_spread_fix`], and the doctor's fix for a list that is not a JSON array.
pub const LIST_AS_JSON_ARRAY: &str = "Send the list as a JSON array of names, percent-encoded in the URL: \
     symbols=%5B%22BTCUSDT%22,%22BNBUSDT%22%5D is [\"BTCUSDT\",\"BNBUSDT\"].";

/// How to send the list parameter `name` that an HTTP library spread over several parameters (the
/// sandbox's hint for `-1104` and `-1101`, and the doctor's fix for both).
pub fn list_spread_fix(name: &str) -> String {
    format!(
        "Your HTTP library spread a list over several parameters (Python's requests and urllib repeat \
         the name; PHP's http_build_query and JavaScript's qs and axios write {name}[0]= or {name}[]=). \
         Send '{name}' once. {LIST_AS_JSON_ARRAY}"
    )
}

/// The endpoint at the same path with another method that reads every name in `names` when
/// `endpoint` does not: the request was sent with the wrong method (`GET /api/v3/order` with a new
/// order's parameters).
pub fn method_meant(endpoint: &Endpoint, names: &[&str]) -> Option<&'static Endpoint> {
    if endpoint.unread(names.iter().copied()).is_empty() {
        return None;
    }
    crate::endpoint::at_path(endpoint.path)
        .find(|o| o.method != endpoint.method && o.unread(names.iter().copied()).is_empty())
}

/// The title of the "wrong method" finding (the doctor's and the sandbox's hint).
pub fn method_wrong_title(sent: &Endpoint, meant: &Endpoint) -> String {
    format!(
        "{} {} is '{}'; the parameters sent are those of {} {} ('{}')",
        sent.method, sent.path, sent.name, meant.method, meant.path, meant.name
    )
}

/// What to do about the wrong method, as a sentence.
pub fn method_wrong_fix(meant: &Endpoint) -> String {
    format!("Send the request with the method {} (and sign it as sent).", meant.method)
}

/// Whether a parameter's name says it holds the secret key (`secret`, `apiSecret`, `secret_key`, ...):
/// some articles tell users to send it; Binance never reads it.
pub fn is_secret_param_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace(['_', '-'], "");
    matches!(name.as_str(), "secret" | "apisecret" | "secretkey" | "apisecretkey" | "privatekey")
}

/// The title of the "secret sent as a parameter" finding (the doctor's and the sandbox's hint).
pub fn secret_param_title(name: &str) -> String {
    format!("your secret key is sent as the parameter '{}'", clip(name, 40))
}

/// What to do about it.
pub const SECRET_PARAM_FIX: &str = "Never send the secret: it only signs. Remove the parameter (Binance does not read it and answers -1104), and create a new key pair, since this secret has been sent over the network.";

fn secret_param_hint(name: &str) -> String {
    format!("{}. {SECRET_PARAM_FIX}", capitalized(&secret_param_title(name)))
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |first| first.to_uppercase().chain(c).collect())
}

/// Decodes raw `name=value&...` text into pairs, refusing bad percent-encoding (`-1100`) and a name
/// sent twice (`-1101`). `part` names where the text came from, for the hint.
///
/// ```
/// use mbx_core::accept::decode_pairs;
/// assert_eq!(decode_pairs("a=%E8%BF%99&&b", "query string").unwrap(), [("a".into(), "这".into()), ("b".into(), "".into())]);
/// assert_eq!(decode_pairs("a=1&a=2", "body").unwrap_err().error.code.get(), -1101);
/// ```
pub fn decode_pairs(raw: &str, part: &str) -> Result<Vec<(String, String)>, Rejection> {
    decode_pairs_for(None, raw, part)
}

/// The non-empty `&`-separated pairs of `raw`, in one pass over its bytes: each with the place of
/// its first `=` and whether its name and its value hold a `%` or a `+` (need decoding). The bytes
/// between those four are skipped eight at a time ([`next_special`]).
fn segments(raw: &str) -> impl Iterator<Item = (&str, Option<usize>, (bool, bool))> {
    let bytes = raw.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < bytes.len() {
            let (mut eq, mut escaped) = (None, (false, false));
            let mut end = start;
            loop {
                end = next_special(bytes, end);
                match bytes.get(end) {
                    None | Some(b'&') => break,
                    Some(b'=') if eq.is_none() => eq = Some(end - start),
                    Some(_) if eq.is_none() => escaped.0 = true,
                    // A second '=' is part of the value, as any other byte.
                    Some(b'=') => {}
                    Some(_) => escaped.1 = true,
                }
                end += 1;
            }
            let segment = (start, end);
            start = end + 1;
            if segment.1 > segment.0 {
                return Some((&raw[segment.0..segment.1], eq, escaped));
            }
        }
        None
    })
}

/// The place of the first `&`, `=`, `%` or `+` in `bytes` at or after `from` (`bytes.len()` when
/// there is none). Eight bytes are tested at once: a byte equal to one of the four becomes zero
/// after an exclusive or, and `(x - 0x01..) & !x & 0x80..` marks the lowest zero byte exactly
/// (the marks above it may be false, so only the lowest is read).
fn next_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let found = [b'&', b'=', b'%', b'+']
            .iter()
            .fold(0, |acc, &c| acc | zero_byte(word ^ u64::from_ne_bytes([c; 8])));
        if found != 0 {
            // Little-endian: the lowest marked byte is the first in the text.
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(|b| matches!(b, b'&' | b'=' | b'%' | b'+')).unwrap_or(rest.len())
}

/// [`decode_pairs`] for `endpoint`'s parameters: a list parameter sent twice (`symbols=A&symbols=B`,
/// as Python's requests writes a list) gets the hint to send it once, as a JSON array
/// ([`list_spread_fix`]).
///
/// ```
/// use mbx_core::{accept::decode_pairs_for, endpoint::{self, Method}};
/// let price = endpoint::find(Method::Get, "/api/v3/ticker/price").unwrap();
/// let r = decode_pairs_for(Some(price), "symbols=BTCUSDT&symbols=ETHUSDT", "query string").unwrap_err();
/// assert_eq!(r.error.code.get(), -1101);
/// assert!(r.hint.contains("JSON array"), "{}", r.hint);
/// ```
pub fn decode_pairs_for(
    endpoint: Option<&Endpoint>,
    raw: &str,
    part: &str,
) -> Result<Vec<(String, String)>, Rejection> {
    // Room for an order's parameters at once (a growing vector copied itself twice per request).
    let mut out: Vec<(String, String)> = Vec::with_capacity(if raw.is_empty() { 0 } else { 12 });
    for (segment, eq, escaped) in segments(raw) {
        let (k, v) = match eq {
            Some(at) => (&segment[..at], &segment[at + 1..]),
            None => (segment, ""),
        };
        // A raw '+' is a space, as in any form (`timeZone=+08:00` is ` 08:00`; send %2B). A part
        // without '%' or '+' is taken as it is.
        let decode = |text: &str, escaped: bool| {
            if escaped { encode::form_decode(text) } else { Ok(text.to_owned()) }
        };
        let decoded = decode(k, escaped.0).and_then(|k| Ok((k, decode(v, escaped.1)?)));
        let (k, v) = decoded.map_err(|e| {
            Rejection::new(
                Stage::Params,
                ApiError::new(ErrorCode::ILLEGAL_CHARS),
                format!(
                    "The {part} pair `{}` cannot be read ({e}); percent-encode each byte of UTF-8 text as %XX.",
                    clip(segment, 80)
                ),
            )
        })?;
        if out.iter().any(|(n, _)| *n == k) {
            return Err(Rejection::new(
                Stage::Params,
                ApiError::with_variant(ErrorCode::TOO_MANY_PARAMETERS, 2),
                match endpoint.and_then(|e| list_spread(e, &k)) {
                    Some(list) => format!("{}. {}", repeated_param(&k, part), list_spread_fix(list)),
                    None => format!("{}; send each parameter once.", repeated_param(&k, part)),
                },
            ));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// What Binance answers to a timestamp that is not a whole number (`1796591249131.123`).
///
/// ```
/// let e = mbx_core::accept::timestamp_malformed();
/// assert_eq!(e.code.get(), -1100);
/// assert!(e.msg.contains("'timestamp'"));
/// ```
pub fn timestamp_malformed() -> ApiError {
    ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &["timestamp", crate::order::INTEGER_PATTERN])
}

/// Why `-1101` for a parameter sent twice in `part` (the query string or the body): the acceptance
/// check's hint begins with it, and the doctor's finding is it.
pub fn repeated_param(name: &str, part: &str) -> String {
    format!("Parameter '{name}' is sent more than once in the {part}")
}

/// Merges query and body parameters: a name in both takes the query's value (rest-api.md, "General
/// Information on Endpoints").
pub fn merge(query: Vec<(String, String)>, body: Vec<(String, String)>) -> Params {
    let mut params = Params::with_capacity(query.len() + body.len());
    for (k, v) in query {
        params.push(k, v);
    }
    for (k, v) in body {
        params.set_if_absent(k, v);
    }
    params
}

/// [`merge`] for the two parts as [`decode_pairs_for`] read them (no name twice within a part):
/// when the query string is empty the body is taken as it is, and no pair is classified for
/// percent-encoding, since these are read, not sent (a rendering of them still encodes them).
fn merge_decoded(query: Vec<(String, String)>, body: Vec<(String, String)>) -> Params {
    let mut params = Params::with_capacity(query.len() + body.len());
    let only_body = query.is_empty();
    for (k, v) in query {
        params.push_unclassified(k, v);
    }
    for (k, v) in body {
        if only_body || !params.contains(&k) {
            params.push_unclassified(k, v);
        }
    }
    params
}

/// `recvWindow`, or the default when it is not sent; `-1100`, `-1111` or `-1102` when malformed.
pub fn recv_window(params: &Params) -> Result<RecvWindow, Rejection> {
    match params.get("recvWindow") {
        None => Ok(RecvWindow::DEFAULT),
        Some(raw) => RecvWindow::parse(raw).map_err(|e| {
            let hint = format!(
                "recvWindow={} is not accepted: it takes milliseconds up to 60000 with at most three decimals.",
                clip(raw, 40)
            );
            Rejection::new(Stage::Timing, e, hint)
        }),
    }
}

/// Binance's second timing check, for a request this module accepted: run it at the moment the
/// matching engine takes the request ([`crate::time::check_before_engine`]). `params` are the
/// accepted parameters (their `timestamp` and `recvWindow` were read at receipt); a request without
/// a `timestamp` (not signed) passes.
pub fn check_engine_timing(params: &Params, engine_now: Timestamp) -> Result<(), Rejection> {
    let Some(ts) = params.get("timestamp").and_then(Timestamp::parse) else {
        return Ok(());
    };
    let window = recv_window(params)?;
    crate::time::check_before_engine(ts, window, engine_now).map_err(|error| {
        let late_ms = (engine_now.as_micros().saturating_sub(ts.as_micros())) / 1000;
        Rejection::new(
            Stage::Timing,
            error,
            format!(
                "timestamp {ts} was {late_ms} ms old when the matching engine took the request, more than recvWindow {window} ms: it was accepted at receipt but held up before the engine, and is not placed."
            ),
        )
    })
}

/// `-2015` when `api_key` is not registered or lacks the target's permission.
fn registered<K: KeyRing>(target: Target<'_>, keys: &K, api_key: &str) -> Result<K::Key, Rejection> {
    let Some(key) = keys.key(api_key) else {
        return Err(Rejection::new(
            Stage::Key,
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            keys.unknown_hint(api_key),
        ));
    };
    // The name is written only for a refusal: this runs on every signed request.
    permitted(keys, &key, target, || format!("API key {}", shorten_key(api_key)))?;
    Ok(key)
}

/// `-2015` when `key` (called `who()` in the hint) lacks the permission `target` needs.
fn permitted<K: KeyRing>(
    keys: &K,
    key: &K::Key,
    target: Target<'_>,
    who: impl FnOnce() -> String,
) -> Result<(), Rejection> {
    keys.permits(key, target.security).map_err(|has| {
        let endpoint = target
            .endpoint
            .map_or_else(|| " this endpoint".to_owned(), |e| format!(" {} {}", e.method, e.path));
        Rejection::new(
            Stage::Key,
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            format!(
                "{} lacks the {} permission that{endpoint} needs (it has: {has}).",
                who(),
                target.security.as_str()
            ),
        )
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Transport {
    Rest,
    WsApi,
}

/// Step 1: the `X-MBX-APIKEY` header, sent once, holding a well-formed key.
fn api_key_header<'r, H: Headers + ?Sized>(req: &RestRequest<'r, H>) -> Result<&'r str, Rejection> {
    let bad = |hint: String| Rejection::new(Stage::Key, ApiError::new(ErrorCode::BAD_API_KEY_FMT), hint);
    let values = req.headers.values("x-mbx-apikey");
    match values.as_slice() {
        [] => Err(bad(missing_key_hint(req))),
        [_, _, ..] => Err(bad("The X-MBX-APIKEY header is sent more than once; send it once.".into())),
        [Some(key)] if is_well_formed_key(key) => Ok(key),
        [Some(key)] => Err(bad(format!(
            "The X-MBX-APIKEY header holds {} character(s){}, not an API key (64 letters and digits); send the key alone, unquoted.",
            key.chars().count(),
            if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                ""
            } else {
                " including quotes, spaces or symbols"
            }
        ))),
        [None] => Err(bad("The X-MBX-APIKEY header holds non-ASCII bytes; send the API key alone.".into())),
    }
}

/// Where the key went instead of the header, as one sentence.
fn missing_key_hint<H: Headers + ?Sized>(req: &RestRequest<'_, H>) -> String {
    if !req.headers.values("authorization").is_empty() {
        return "The API key must be in the X-MBX-APIKEY header; this request sends an Authorization header, which Binance does not read.".into();
    }
    for (part, raw) in [("query string", req.query), ("body", req.body)] {
        for seg in raw.split('&') {
            let name = seg.split_once('=').map_or(seg, |(k, _)| k);
            if KEY_PARAM_NAMES.contains(&name.to_ascii_lowercase().as_str()) {
                return format!(
                    "The API key is sent as the {part} parameter '{}'; Binance reads it only from the X-MBX-APIKEY header.",
                    clip(name, 20)
                );
            }
        }
    }
    if let Some(name) = req.headers.names().into_iter().find(|k| looks_like_key_header(k)) {
        return format!("The header '{name}' is not X-MBX-APIKEY; name the header exactly X-MBX-APIKEY.");
    }
    "The request has no X-MBX-APIKEY header; send the API key in it.".into()
}

/// Step 4: `timestamp`, present and made of digits.
fn timestamp(params: &Params, transport: Transport) -> Result<Timestamp, Rejection> {
    let raw = match params.get("timestamp") {
        Some(raw) if !raw.is_empty() => raw,
        _ => {
            return Err(mandatory(
                "timestamp",
                match transport {
                    Transport::Rest => {
                        "The request has no timestamp parameter; add timestamp=<milliseconds since the epoch> before signing."
                    }
                    Transport::WsApi => "The request has no timestamp parameter; add it before signing.",
                },
            ));
        }
    };
    Timestamp::parse(raw).ok_or_else(|| {
        Rejection::new(
            Stage::Params,
            timestamp_malformed(),
            match transport {
                Transport::Rest => format!(
                    "timestamp={} is not a whole number; send milliseconds (13 digits) or microseconds (16).",
                    clip(raw, 40)
                ),
                Transport::WsApi => {
                    format!("timestamp={} is not a whole number of milliseconds.", clip(raw, 40))
                }
            },
        )
    })
}

/// A timestamp below this many milliseconds (March 1973) is taken for seconds.
const SECONDS_BELOW_MS: u64 = 100_000_000_000;

/// Step 6: the timestamp against the server's time; without it, only a timestamp in seconds fails.
fn timing(
    ts: Timestamp,
    window: RecvWindow,
    now: Option<Timestamp>,
    transport: Transport,
) -> Result<(), Rejection> {
    let Some(now) = now else {
        if ts.as_millis() < SECONDS_BELOW_MS {
            return Err(Rejection::new(
                Stage::Timing,
                ApiError::with_variant(ErrorCode::INVALID_TIMESTAMP, 0),
                if looks_like_seconds(ts.as_millis()) {
                    format!("timestamp {ts} is in seconds; Binance expects milliseconds (13 digits).")
                } else {
                    format!("timestamp {ts} is not the current time in milliseconds (13 digits).")
                },
            ));
        }
        return Ok(());
    };
    check_timing(ts, window, now).map_err(|error| {
        let delta_us = i128::from(ts.as_micros()) - i128::from(now.as_micros());
        let delta_ms = delta_us / 1000;
        let hint = match transport {
            Transport::WsApi => format!(
                "timestamp {ts} is outside recvWindow {window} ms of the server time {}.",
                now.as_millis()
            ),
            Transport::Rest if delta_us > 0 => format!(
                "timestamp {ts} is {delta_ms} ms ahead of the server time {}; it must be less than 1000 ms ahead (sync your clock, or offset by GET /api/v3/time).",
                now.as_millis()
            ),
            Transport::Rest => format!(
                "timestamp {ts} is {} ms older than the server time {}, more than recvWindow {window} ms allows; sign and send right away, in milliseconds.",
                -delta_ms,
                now.as_millis()
            ),
        };
        Rejection::new(Stage::Timing, error, hint)
    })
}

fn mandatory(name: &str, hint: &str) -> Rejection {
    let stage = if name == "apiKey" { Stage::Key } else { Stage::Params };
    Rejection::new(
        stage,
        ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[name]),
        hint,
    )
}

fn missing_signature(what: &str) -> Rejection {
    mandatory(
        "signature",
        &format!("{what}; sign the query string followed by the body and append &signature=<signature>."),
    )
}

/// Step 7: `raw_signature` (as received, still percent-encoded) against the payload Binance
/// verifies, the query string without its `signature` pair followed by the body, byte for byte as
/// received. `-1022` says which payload was checked.
///
/// ```
/// use mbx_core::sign::{HmacSigner, Verifier};
/// let verifier = Verifier::Hmac(HmacSigner::new(b"secret"));
/// let query = "symbol=BTCUSDT&timestamp=1";
/// let signature = HmacSigner::new(b"secret").sign(query.as_bytes());
/// assert!(mbx_core::accept::verify_rest_signature(&verifier, query, "", signature.as_str()).is_ok());
/// assert!(mbx_core::accept::verify_rest_signature(&verifier, query, "x=1", signature.as_str()).is_err());
/// ```
pub fn verify_rest_signature(
    verifier: &Verifier,
    query_rest: &str,
    body_rest: &str,
    raw_signature: &str,
) -> Result<(), Rejection> {
    // A payload in one part (a GET's query string, a POST's body) is that part as it came: no copy.
    let joined;
    let payload = if body_rest.is_empty() {
        query_rest
    } else if query_rest.is_empty() {
        body_rest
    } else {
        joined = format!("{query_rest}{body_rest}");
        &joined
    };
    // Binance reads a raw '+' in a form value as a space, so an unencoded base64 '+' fails. A hex
    // signature has nothing to decode.
    let decoded;
    let signature = if raw_signature.contains(['+', '%']) {
        decoded = encode::form_decode(raw_signature).unwrap_or_default();
        &decoded
    } else {
        raw_signature
    };
    if let Err(e) = verifier.verify(payload.as_bytes(), signature) {
        let why = if raw_signature.contains('+') {
            " (it holds a raw '+', which is read as a space: percent-encode it as %2B)".to_owned()
        } else {
            match e {
                VerifyError::Mismatch => String::new(),
                other => format!(" ({other})"),
            }
        };
        return Err(Rejection::new(
            Stage::Signature,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            format!(
                "Signature check failed: the {} signature{why} does not verify over the payload `{}` (the query string without signature, then the body, as received).",
                verifier.kind(),
                clip(payload, 3000)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::spot;
    use crate::sign::HmacSigner;

    const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    /// The one-pass reading of pairs gives what splitting on `&`, then on the first `=`, then
    /// decoding each part gives.
    #[test]
    fn pairs_read_in_one_pass_as_split_and_decoded() {
        let reference = |raw: &str| -> Result<Vec<(String, String)>, ()> {
            let mut out: Vec<(String, String)> = Vec::new();
            for segment in raw.split('&').filter(|s| !s.is_empty()) {
                let (k, v) = segment.split_once('=').unwrap_or((segment, ""));
                let pair = (encode::form_decode(k).map_err(drop)?, encode::form_decode(v).map_err(drop)?);
                if out.iter().any(|(n, _)| *n == pair.0) {
                    return Err(());
                }
                out.push(pair);
            }
            Ok(out)
        };
        for raw in [
            "",
            "&",
            "&&",
            "a",
            "a=",
            "=",
            "=1",
            "a=1&b=2",
            "&a=1&&b=2&",
            "a=b=c",
            "a%3D=1",
            "a+b=c+d",
            "a=%2B",
            "a=%zz",
            "%=1",
            "a=1&a=2",
            "a=1&%61=2",
            "k=%E8%BF%99",
            "x=%FF",
            "a=1+&b=+",
            "+=+",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=30000&timestamp=1",
        ] {
            assert_eq!(decode_pairs(raw, "body").map_err(drop), reference(raw), "{raw}");
        }
    }

    /// The pairs found eight bytes at a time are those a byte-by-byte reading finds, for text of
    /// any length made of the four bytes that matter, others, and multi-byte characters.
    #[test]
    fn segments_agree_with_a_byte_by_byte_reading() {
        let reference = |raw: &str| -> Vec<(String, Option<usize>, (bool, bool))> {
            let mut out = Vec::new();
            for segment in raw.split('&').filter(|s| !s.is_empty()) {
                let eq = segment.find('=');
                let (k, v) = eq.map_or((segment, ""), |at| (&segment[..at], &segment[at + 1..]));
                let escaped = |t: &str| t.contains(['%', '+']);
                out.push((segment.to_owned(), eq, (escaped(k), escaped(v))));
            }
            out
        };
        let alphabet = ['a', '=', '&', '%', '+', 'Z', '9', 'é', '这', '\u{7f}', '\u{80}', 'ÿ'];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for len in 0..200 {
            for _ in 0..40 {
                let text: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                let got: Vec<_> = segments(&text).map(|(s, eq, e)| (s.to_owned(), eq, e)).collect();
                assert_eq!(got, reference(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn a_raw_plus_is_a_space_and_an_encoded_one_a_plus() {
        let pairs = decode_pairs("timeZone=+08:00&newClientOrderId=a%2Bb", "query string").unwrap();
        assert_eq!(
            pairs,
            [("timeZone".to_owned(), " 08:00".to_owned()), ("newClientOrderId".to_owned(), "a+b".to_owned())]
        );
    }

    fn rest(headers: &[(&str, &str)], query: &str) -> Result<Accepted<()>, Rejection> {
        let keys = AnyKey(Some(Verifier::Hmac(HmacSigner::new(b"secret"))));
        let req = RestRequest { headers, query, body: "" };
        check_rest(Target::of(&spot::ACCOUNT), &req, &keys, Some(Timestamp::Millis(1_700_000_000_000)))
    }

    #[test]
    fn engine_timing_rejects_what_aged_past_recv_window_since_receipt() {
        let sent = Timestamp::Millis(1_700_000_000_000);
        let p = Params::new().text("timestamp", "1700000000000").text("recvWindow", "3000");
        assert!(check_engine_timing(&p, sent.offset_millis(3000)).is_ok());
        let r = check_engine_timing(&p, sent.offset_millis(3001)).unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Timing, -1021));
        assert!(r.hint.contains("matching engine"), "{}", r.hint);
        // Default recvWindow 5000; no timestamp: not judged.
        let p = Params::new().text("timestamp", "1700000000000");
        assert!(check_engine_timing(&p, sent.offset_millis(5000)).is_ok());
        assert!(check_engine_timing(&p, sent.offset_millis(5001)).is_err());
        assert!(check_engine_timing(&Params::new(), sent.offset_millis(99_999)).is_ok());
    }

    #[test]
    fn checks_run_in_binance_order() {
        // A bad key and a timestamp in seconds: the key is checked first.
        let r = rest(&[("X-MBX-APIKEY", "abc")], "timestamp=1").unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Key, -2014));
        let r = rest(&[("X-MBX-APIKEY", KEY)], "timestamp=1").unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Params, -1102), "{}", r.hint);
        let r = rest(&[("X-MBX-APIKEY", KEY)], "timestamp=1&signature=00").unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Timing, -1021));
        let r = rest(&[("X-MBX-APIKEY", KEY)], "timestamp=1700000000000&signature=00").unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Signature, -1022));
        let q = "timestamp=1700000000000&x=1";
        let sig = HmacSigner::new(b"secret").sign(q.as_bytes());
        let r = rest(&[("X-MBX-APIKEY", KEY)], &format!("{q}&signature={}", sig.as_str())).unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Unread, -1104));
        let q = "timestamp=1700000000000";
        let sig = HmacSigner::new(b"secret").sign(q.as_bytes());
        let ok = rest(&[("x-mbx-apikey", KEY)], &format!("{q}&signature={}", sig.as_str())).unwrap();
        assert_eq!(ok.params.get("timestamp"), Some("1700000000000"));
        assert!(ok.params.get("signature").is_none());
    }

    #[test]
    fn the_table_names_the_missing_mandatory_parameter_after_unread_ones() {
        let p = Params::new().text("limit", "5");
        let r = check_params(Target::of(&spot::DEPTH), &p).unwrap_err();
        assert_eq!(r.error.msg, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        let p = Params::new().text("limit", "5").text("symbl", "BTCUSDT");
        assert_eq!(check_params(Target::of(&spot::DEPTH), &p).unwrap_err().error.code.get(), -1104);
        // One of a group (orderId / origClientOrderId) is the handler's to word.
        let p = Params::new().text("symbol", "BTCUSDT");
        assert!(check_params(Target::of(&spot::QUERY_ORDER), &p).is_ok());
    }

    #[test]
    fn hints_are_ascii_for_a_header() {
        let r = rest(&[("X-MBX-APIKEY", &"\u{e9}".repeat(70))], "timestamp=1").unwrap_err();
        assert_eq!(r.error.code.get(), -2014);
        assert_eq!(shorten_key(&"k".repeat(70)), "kkkk...(70 chars)");
        assert_eq!(shorten_key("ab"), "ab...(2 chars)");
        assert_eq!(shorten_key("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}x"), "\u{e9}\u{e9}\u{e9}\u{e9}...(6 chars)");
        assert_eq!(clip("abcdef", 3), "abc...");
    }

    #[test]
    fn missing_key_hint_names_where_the_key_went() {
        let r = rest(&[("Authorization", "Bearer x")], "").unwrap_err();
        assert!(r.hint.contains("Authorization header"), "{}", r.hint);
        let r = rest(&[], "apiKey=abc").unwrap_err();
        assert!(r.hint.contains("query string parameter 'apiKey'"), "{}", r.hint);
    }

    #[test]
    fn ws_key_is_a_parameter() {
        let keys = AnyKey(None);
        let p = Params::new().text("timestamp", "1700000000000");
        let r = check_ws(Target::of(&spot::ACCOUNT), p, &keys, None).unwrap_err();
        assert_eq!((r.stage, r.error.code.get()), (Stage::Key, -1102));
        let p = Params::new().text("apiKey", KEY).text("timestamp", "1700000000000").text("signature", "x");
        let ok = check_ws(Target::of(&spot::ACCOUNT), p, &keys, None).unwrap();
        assert_eq!(ok.params.len(), 1);
    }
}
