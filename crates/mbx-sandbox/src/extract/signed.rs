//! [`Signed`]: the extractor that authenticates a request exactly as Binance does. It is a thin
//! adapter over mbx-core's acceptance check (`mbx_core::accept::check_rest`, whose module docs give
//! the checks and their order): the sandbox supplies the headers, raw query and form body, its keys
//! and its clock, and turns a rejection into Binance's answer with the doctor's explanation.

use std::sync::Arc;

use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use mbx_core::Params;
use mbx_core::accept::{self, Target};
use mbx_core::endpoint::Endpoint;
use mbx_core::sign::Verifier;

use super::params::read_body;
use crate::endpoint;
use crate::error::{Result, SandboxError};
use crate::keys::KeyEntry;
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

/// A request refused by [`Signed`]: the rejection, and the journal's record of the request when it
/// was refused at the acceptance check (which the response carries to the console's request log).
#[derive(Debug)]
pub struct Refused(pub SandboxError, pub Option<Arc<crate::journal::Rejected>>);

impl From<SandboxError> for Refused {
    fn from(e: SandboxError) -> Refused {
        Refused(e, None)
    }
}

impl axum::response::IntoResponse for Refused {
    fn into_response(self) -> axum::response::Response {
        let mut response = self.0.into_response();
        if let Some(rejected) = self.1 {
            response.extensions_mut().insert(crate::console::Journaled(rejected));
        }
        response
    }
}

impl FromRequest<AppState> for Signed {
    type Rejection = Refused;

    async fn from_request(req: Request, state: &AppState) -> std::result::Result<Self, Refused> {
        let found = req.extensions().get::<endpoint::Found>().map(|f| f.0);
        let Some(endpoint) = found.or_else(|| endpoint::lookup(req.method().as_str(), req.uri().path()))
        else {
            return Err(SandboxError::NotFound {
                method: req.method().to_string(),
                path: req.uri().path().to_owned(),
            }
            .into());
        };
        Signed::from_request_at(endpoint, req, state).await.map(|(signed, _)| signed)
    }
}

/// A signed request's head and body, kept (moved, not copied) past the acceptance check so that a
/// refusal by the endpoint's handler (`-1102` for a LIMIT order without `timeInForce`, `-1100` for a
/// malformed number) is journaled as the acceptance check's rejections are: `mbx doctor sandbox-log`
/// lists both, each with the doctor's diagnosis.
pub(crate) struct Kept {
    parts: axum::http::request::Parts,
    body: String,
}

impl Kept {
    /// Journals the handler's refusal `error` of this request, with its hint.
    pub(crate) fn journal(self, state: &AppState, error: &mbx_core::ApiError, hint: String) {
        let query = super::query_of(&self.parts);
        let Some(record) = record_of(&self.parts, query, &self.body) else { return };
        let (at_ms, key) = (state.clock().now().as_millis(), known_key(state, &self.parts));
        crate::journal::record(
            state,
            at_ms,
            crate::journal::Journaled::Rest(Box::new(record)),
            error,
            key,
            &hint,
        );
    }
}

impl Signed {
    /// The extractor for a request already known to be for `endpoint` (the server loop's direct
    /// path, `router::Direct`, found it).
    pub(crate) async fn from_request_at(
        endpoint: &'static Endpoint,
        req: Request,
        state: &AppState,
    ) -> std::result::Result<(Self, Kept), Refused> {
        let (parts, body) = req.into_parts();
        let body = read_body(&parts, body).await?;
        let query = super::query_of(&parts);
        let signed = authenticate(state, endpoint, &parts.headers, query, body.form())
            .map_err(|e| with_diagnosis(e, state, &parts, query, &body.raw))?;
        Ok((signed, Kept { parts, body: body.raw }))
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
) -> Refused {
    use mbx_core::diagnose::diagnose;
    let SandboxError::Rejected(mut rejection) = err else { return err.into() };
    let Some(mut record) = record_of(parts, query, body) else {
        return SandboxError::Rejected(rejection).into();
    };
    // What the key signed before: a client whose HMAC is never reset signed it all, joined.
    let named =
        parts.headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok()).and_then(|k| state.keys().get(k));
    if let Some(entry) = named.filter(|k| matches!(k.verifier, Verifier::Hmac(_))) {
        record.earlier = entry.recent.payloads();
        entry.recent.note(query, body);
    }
    // The key lets the doctor test what the client most likely signed.
    let known = known_key(state, parts);
    let now = state.clock().now();
    let ctx = known.clone().unwrap_or_default().at(now);
    let diagnosis = diagnose(&record, &ctx);
    let rest = crate::journal::Journaled::Rest(Box::new(record));
    let journaled =
        crate::journal::record(state, now.as_millis(), rest, &rejection.error, known, &rejection.hint);
    if let Some(hint) = crate::journal::diagnosed_hint(&diagnosis, rejection.error.code.get()) {
        rejection.hint = hint;
    }
    // The hint quotes what was sent, which may hold a secret sent by mistake: never echoed.
    if let std::borrow::Cow::Owned(redacted) = state.keys().redact(&rejection.hint) {
        rejection.hint = redacted;
    }
    Refused(SandboxError::Rejected(rejection), Some(journaled))
}

/// The request as the doctor reads it.
fn record_of(
    parts: &axum::http::request::Parts,
    query: &str,
    body: &str,
) -> Option<mbx_core::diagnose::RequestRecord> {
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let target =
        if query.is_empty() { parts.uri.path().to_owned() } else { format!("{}?{query}", parts.uri.path()) };
    mbx_core::diagnose::RequestRecord::new(parts.method.as_str(), &target, headers, body).ok()
}

/// The doctor's view of the key the request names, when it is one of the sandbox's (by its API key,
/// or by its secret sent in the key's place).
fn known_key(state: &AppState, parts: &axum::http::request::Parts) -> Option<mbx_core::diagnose::Context> {
    parts.headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok()).and_then(|k| state.keys().doctor_view(k))
}

/// The request's headers, for mbx-core's check.
struct HeaderView<'h>(&'h HeaderMap);

impl accept::Headers for HeaderView<'_> {
    fn values(&self, name: &str) -> Vec<Option<&str>> {
        self.0.get_all(name).iter().map(|v| v.to_str().ok()).collect()
    }

    fn names(&self) -> Vec<String> {
        self.0.keys().map(|k| k.as_str().to_owned()).collect()
    }
}

/// Runs mbx-core's acceptance check ([`accept::check_rest`], the module table) over a request's
/// headers, raw query string and raw form body, against the sandbox's keys and clock. `-1104` is
/// left to the route (`crate::api::routes`), which runs it for every endpoint.
pub fn authenticate(
    state: &AppState,
    endpoint: &'static Endpoint,
    headers: &HeaderMap,
    query: &str,
    body: &str,
) -> Result<Signed> {
    let req = accept::RestRequest { headers: &HeaderView(headers), query, body };
    // The endpoint is left out of the target so that the check stops before `-1104`.
    let target = Target { security: endpoint.security, endpoint: None };
    let accepted = accept::check_rest(target, &req, state.keys(), Some(state.clock().now()))?;
    let key = accepted.key.ok_or(SandboxError::EngineStopped)?;
    if endpoint.security.needs_signature() && matches!(key.verifier, Verifier::Hmac(_)) {
        key.recent.note(query, body);
    }
    Ok(Signed { key, params: accepted.params, endpoint })
}

/// Step 7 of the module table ([`accept::verify_rest_signature`]): `raw_signature` (as received,
/// still percent-encoded) against the query string without its `signature` pair followed by the
/// body, byte for byte as received.
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
    Ok(accept::verify_rest_signature(verifier, query_rest, body_rest, raw_signature)?)
}
