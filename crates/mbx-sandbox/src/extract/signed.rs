//! [`Signed`]: the extractor that authenticates a request exactly as Binance does, with mbx-core doing
//! every check that has a pure form (payload split, timing, signature verification).
//!
//! The checks run in Binance's order and the first failure is the answer:
//!
//! | # | check | failure |
//! |---|---|---|
//! | 1 | one `X-MBX-APIKEY` header holding 64 letters and digits | `-2014` (401) |
//! | 2 | the key is registered, not revoked, and has the endpoint's permission | `-2015` (401) |
//! | 3 | parameters decode, none sent twice | `-1100`, `-1101` |
//! | 4 | `timestamp` present (digits), `signature` present once | `-1102`, `-1100`, `-1101` |
//! | 5 | `recvWindow` well formed, at most 60000 | `-1100`, `-1111`, `-1102` |
//! | 6 | `mbx_core::time::check_timing` against the sandbox clock | `-1021` |
//! | 7 | signature over raw query (signature pair removed) + raw form body | `-1022` |
//!
//! Steps 4 to 7 apply to `TRADE` and `USER_DATA` endpoints; `USER_STREAM` needs the key only.

use std::sync::Arc;

use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use mbx_core::encode::percent_decode;
use mbx_core::endpoint::Endpoint;
use mbx_core::payload::split_signature;
use mbx_core::sign::{Verifier, VerifyError};
use mbx_core::time::{RecvWindow, Timestamp, check_timing};
use mbx_core::{ApiError, ErrorCode, Params};

use super::params::{clip, decode_pairs, merge, read_form_body, recv_window};
use crate::endpoint;
use crate::error::{Result, SandboxError};
use crate::keys::{self, KeyEntry};
use crate::state::AppState;

/// The header Binance reads the API key from.
pub const API_KEY_HEADER: &str = "x-mbx-apikey";

/// An authenticated request: its key and its parameters (query winning over body, `signature`
/// removed).
#[derive(Debug)]
pub struct Signed {
    /// The key that signed (or, for `USER_STREAM`, sent) the request.
    pub key: Arc<KeyEntry>,
    /// The parameters.
    pub params: Params,
    /// The endpoint called.
    pub endpoint: &'static Endpoint,
}

impl FromRequest<AppState> for Signed {
    type Rejection = SandboxError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self> {
        let found = req.extensions().get::<endpoint::Found>().map(|f| f.0);
        let Some(endpoint) = found.or_else(|| endpoint::lookup(req.method(), req.uri().path())) else {
            return Err(SandboxError::NotFound {
                method: req.method().to_string(),
                path: req.uri().path().to_owned(),
            });
        };
        let (parts, body) = req.into_parts();
        let body = read_form_body(&parts, body).await?;
        let query = parts.uri.query().unwrap_or("");
        authenticate(state, endpoint, &parts.headers, query, &body)
            .map_err(|e| with_diagnosis(e, state, &parts, query, &body))
    }
}

/// Replaces a rejection's hint with the doctor's first finding (mbx-core's diagnosis engine, the one
/// behind `mbx doctor`) when the doctor reaches the same code and names a cause: the client's actual
/// mistake (signed JSON, signed before adding timestamp, key in an Authorization header, ...) with
/// evidence and the fix. Otherwise the check's own hint stays.
fn with_diagnosis(
    err: SandboxError,
    state: &AppState,
    parts: &axum::http::request::Parts,
    query: &str,
    body: &str,
) -> SandboxError {
    use mbx_core::diagnose::{Context, RequestRecord, diagnose};
    let SandboxError::Rejected(mut rejection) = err else { return err };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let target =
        if query.is_empty() { parts.uri.path().to_owned() } else { format!("{}?{query}", parts.uri.path()) };
    let Ok(record) = RequestRecord::new(parts.method.as_str(), &target, headers, body) else {
        return SandboxError::Rejected(rejection);
    };
    // The key's verifier lets the doctor test what the client most likely signed.
    let ctx = parts
        .headers
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|k| state.keys().get(k))
        .map_or_else(Context::default, |k| Context::key(k.verifier.clone()))
        .at(state.clock().now());
    let diagnosis = diagnose(&record, &ctx);
    // An unexplained signature mismatch says less than the check's own hint (key kind, exact payload).
    if diagnosis.verdict.code == rejection.error.code.get()
        && let Some(f) =
            diagnosis.findings.first().filter(|f| f.cause != mbx_core::diagnose::Cause::SignatureMismatch)
    {
        rejection.hint =
            format!("{}. {} Evidence: {}.", capitalize(&f.title), f.fix, clip(&f.evidence, 1500));
    }
    SandboxError::Rejected(rejection)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |first| first.to_uppercase().chain(c).collect())
}

/// Runs the checks in the module table over a request's headers, raw query string and raw form body.
pub fn authenticate(
    state: &AppState,
    endpoint: &'static Endpoint,
    headers: &HeaderMap,
    query: &str,
    body: &str,
) -> Result<Signed> {
    // 1, 2: the key.
    let api_key = api_key_header(headers, query, body)?;
    let Some(key) = state.keys().get(api_key) else {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            format!(
                "No API key {} is registered in this sandbox (or it was revoked); use the demo key or register one with POST /sandbox/v1/keys.",
                keys::shorten(api_key)
            ),
        ));
    };
    if !key.permissions.allows(endpoint.security) {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            format!(
                "API key {} lacks the {} permission that {} {} needs (it has: {}).",
                keys::shorten(api_key),
                endpoint.security.as_str(),
                endpoint.method,
                endpoint.path,
                key.permissions.names().join(", ")
            ),
        ));
    }

    // 3: parameters.
    let (query_rest, query_sigs) = split_signature(query);
    let (body_rest, body_sigs) = split_signature(body);
    let params = merge(decode_pairs(&query_rest, "query string")?, decode_pairs(&body_rest, "body")?);
    if !endpoint.security.needs_signature() {
        return Ok(Signed { key, params, endpoint });
    }

    // 4: timestamp and signature present.
    let timestamp = timestamp(&params)?;
    let raw_signature = match (query_sigs.as_slice(), body_sigs.as_slice()) {
        ([], []) => return Err(missing_signature("The request has no signature parameter")),
        ([one], []) | ([], [one]) => *one,
        _ => {
            return Err(SandboxError::rejected(
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
    let now = state.clock().now();
    check_timing(timestamp, window, now).map_err(|e| timing_rejection(e, timestamp, window, now))?;

    // 7: the signature, over exactly the bytes received.
    verify_signature(&key.verifier, &query_rest, &body_rest, raw_signature)?;
    Ok(Signed { key, params, endpoint })
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
/// assert!(mbx_sandbox::extract::verify_signature(&verifier, query, "", signature.as_str()).is_ok());
/// assert!(mbx_sandbox::extract::verify_signature(&verifier, query, "x=1", signature.as_str()).is_err());
/// ```
pub fn verify_signature(
    verifier: &Verifier,
    query_rest: &str,
    body_rest: &str,
    raw_signature: &str,
) -> Result<()> {
    // A GET's payload is its query string as it came: no copy.
    let joined;
    let payload = if body_rest.is_empty() {
        query_rest
    } else {
        joined = format!("{query_rest}{body_rest}");
        &joined
    };
    // Binance reads a raw '+' in a form value as a space, so an unencoded base64 '+' fails. A hex
    // signature has nothing to decode.
    let decoded;
    let signature = if raw_signature.contains(['+', '%']) {
        decoded = percent_decode(&raw_signature.replace('+', " ")).unwrap_or_default();
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
        return Err(SandboxError::rejected(
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

/// Step 1: the `X-MBX-APIKEY` header, sent once, holding a well-formed key.
fn api_key_header<'h>(headers: &'h HeaderMap, query: &str, body: &str) -> Result<&'h str> {
    let bad = |hint: String| SandboxError::rejected(ApiError::new(ErrorCode::BAD_API_KEY_FMT), hint);
    let mut values = headers.get_all(API_KEY_HEADER).iter();
    let Some(value) = values.next() else {
        return Err(bad(missing_key_hint(headers, query, body)));
    };
    if values.next().is_some() {
        return Err(bad("The X-MBX-APIKEY header is sent more than once; send it once.".into()));
    }
    match value.to_str() {
        Ok(key) if keys::is_well_formed(key) => Ok(key),
        Ok(key) => Err(bad(format!(
            "The X-MBX-APIKEY header holds {} character(s){}, not an API key (64 letters and digits); send the key alone, unquoted.",
            key.chars().count(),
            if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
                ""
            } else {
                " including quotes, spaces or symbols"
            }
        ))),
        Err(_) => Err(bad("The X-MBX-APIKEY header holds non-ASCII bytes; send the API key alone.".into())),
    }
}

/// Where the key went instead of the header, as one sentence.
fn missing_key_hint(headers: &HeaderMap, query: &str, body: &str) -> String {
    if headers.contains_key(axum::http::header::AUTHORIZATION) {
        return "The API key must be in the X-MBX-APIKEY header; this request sends an Authorization header, which Binance does not read.".into();
    }
    let key_names = ["apikey", "api_key", "api-key", "x-mbx-apikey"];
    for (part, raw) in [("query string", query), ("body", body)] {
        for seg in raw.split('&') {
            let name = seg.split_once('=').map_or(seg, |(k, _)| k);
            if key_names.contains(&name.to_ascii_lowercase().as_str()) {
                return format!(
                    "The API key is sent as the {part} parameter '{}'; Binance reads it only from the X-MBX-APIKEY header.",
                    clip(name, 20)
                );
            }
        }
    }
    if let Some(name) = headers.keys().map(|k| k.as_str()).find(|k| {
        let letters: String = k.chars().filter(char::is_ascii_alphanumeric).collect();
        letters.contains("apikey") || letters.contains("mbx")
    }) {
        return format!("The header '{name}' is not X-MBX-APIKEY; name the header exactly X-MBX-APIKEY.");
    }
    "The request has no X-MBX-APIKEY header; send the API key in it.".into()
}

/// Step 4: `timestamp`, present and made of digits.
fn timestamp(params: &Params) -> Result<Timestamp> {
    let raw = match params.get("timestamp") {
        Some(raw) if !raw.is_empty() => raw,
        _ => {
            return Err(SandboxError::rejected(
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["timestamp"]),
                "The request has no timestamp parameter; add timestamp=<milliseconds since the epoch> before signing.",
            ));
        }
    };
    Timestamp::parse(raw).ok_or_else(|| {
        SandboxError::rejected(
            ApiError::with_args(ErrorCode::ILLEGAL_CHARS, 1, &["timestamp", "^[0-9]{1,20}$"]),
            format!(
                "timestamp={} is not a whole number; send milliseconds (13 digits) or microseconds (16).",
                clip(raw, 40)
            ),
        )
    })
}

fn missing_signature(what: &str) -> SandboxError {
    SandboxError::rejected(
        ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["signature"]),
        format!("{what}; sign the query string followed by the body and append &signature=<signature>."),
    )
}

/// Step 6's hint: how far off the timestamp is, and which rule it broke.
fn timing_rejection(error: ApiError, ts: Timestamp, window: RecvWindow, now: Timestamp) -> SandboxError {
    let delta_us = i128::from(ts.as_micros()) - i128::from(now.as_micros());
    let delta_ms = delta_us / 1000;
    let hint = if delta_us > 0 {
        format!(
            "timestamp {ts} is {delta_ms} ms ahead of the server time {}; it must be less than 1000 ms ahead (sync your clock, or offset by GET /api/v3/time).",
            now.as_millis()
        )
    } else {
        format!(
            "timestamp {ts} is {} ms older than the server time {}, more than recvWindow {window} ms allows; sign and send right away, in milliseconds.",
            -delta_ms,
            now.as_millis()
        )
    };
    SandboxError::rejected(error, hint)
}
