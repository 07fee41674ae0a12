//! Reading parameters as Binance does: raw query string and form body, percent-decoded per pair,
//! duplicates refused, query winning over body for the same name; a JSON body is never read.

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use mbx_core::accept;
use mbx_core::time::RecvWindow;
use mbx_core::{ApiError, ErrorCode, Params};

use crate::error::{Result, SandboxError};
use crate::state::AppState;

/// Largest body read, in bytes.
pub const MAX_BODY: usize = 64 * 1024;
/// Longest URL (path and query) read, in bytes.
pub const MAX_URI: usize = 8 * 1024;

/// Decodes raw `name=value&...` text into pairs (mbx-core's [`accept::decode_pairs`]): `-1100` for
/// bad percent-encoding, `-1101` for a name sent twice.
pub fn decode_pairs(raw: &str, part: &str) -> Result<Vec<(String, String)>> {
    Ok(accept::decode_pairs(raw, part)?)
}

/// A request's body as received (bounded by [`MAX_BODY`]; bytes that are not UTF-8 are replaced, only
/// the doctor reads such a body), and whether Binance reads it as the form body.
#[derive(Debug, Default)]
pub struct ReadBody {
    /// The body's text.
    pub raw: String,
    form: bool,
}

impl ReadBody {
    /// The form body Binance reads: the body, or none for a GET, a JSON body or another content type
    /// (mbx-core's rule, shared with the doctor).
    pub fn form(&self) -> &str {
        if self.form { &self.raw } else { "" }
    }
}

/// Reads a whole body of at most `limit` bytes: `413` over it, `408` when it did not arrive in time
/// (`serve::ServeLimits::body_read_timeout`).
pub async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(err) = source {
            if let Some(t) = err.downcast_ref::<crate::serve::BodyReadTimedOut>() {
                return SandboxError::BodyTimedOut { ms: t.0.as_millis() };
            }
            source = err.source();
        }
        SandboxError::BodyTooLarge { limit }
    })
}

/// Reads the body. A form body that is not UTF-8 is `-1100`.
pub async fn read_body(parts: &Parts, body: Body) -> Result<ReadBody> {
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(SandboxError::BodyTooLarge { limit: MAX_BODY });
    }
    let bytes = read_limited(body, MAX_BODY).await?;
    if bytes.is_empty() {
        return Ok(ReadBody::default());
    }
    let content_type =
        parts.headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("").to_ascii_lowercase());
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let form = !accept::form_body(parts.method.as_str(), content_type.as_deref(), &raw).is_empty();
    if form && let Err(e) = std::str::from_utf8(&bytes) {
        return Err(SandboxError::rejected(
            ApiError::new(ErrorCode::ILLEGAL_CHARS),
            format!(
                "The body is not UTF-8 text (invalid byte at offset {}); send a percent-encoded form body.",
                e.valid_up_to()
            ),
        ));
    }
    Ok(ReadBody { raw, form })
}

/// The decoded query string of a public (security `NONE`) request. Bodies are not read; the route
/// checks the names against the endpoint (`check_params`).
#[derive(Debug, Clone)]
pub struct PublicQuery(pub Params);

impl FromRequestParts<AppState> for PublicQuery {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self> {
        PublicQuery::from_query(parts.uri.query().unwrap_or(""))
    }
}

impl PublicQuery {
    /// The parameters of a query string (without its `?`).
    pub fn from_query(query: &str) -> Result<Self> {
        PublicQuery::for_endpoint(None, query)
    }

    /// The parameters of a query string for `endpoint` (a list parameter sent twice gets the hint to
    /// send it as a JSON array: mbx-core's [`accept::decode_pairs_for`]).
    pub fn for_endpoint(endpoint: Option<&mbx_core::endpoint::Endpoint>, query: &str) -> Result<Self> {
        if query.is_empty() {
            // No parameters (`ping`, `time`, `exchangeInfo` for all symbols): no list allocated.
            return Ok(PublicQuery(Params::with_capacity(0)));
        }
        let pairs = accept::decode_pairs_for(endpoint, query, "query string")?;
        Ok(PublicQuery(pairs.into_iter().collect()))
    }
}

/// A mandatory parameter: `-1102` naming it when absent or empty (mbx-core's
/// [`mbx_core::order::required`]).
pub fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str> {
    Ok(mbx_core::order::required(params, name)?)
}

/// An optional parameter: `None` when absent, `-1105` when sent empty (mbx-core's
/// [`mbx_core::order::optional`]).
pub fn optional<'a>(params: &'a Params, name: &str) -> Result<Option<&'a str>> {
    Ok(mbx_core::order::optional(params, name)?)
}

/// An optional `BOOLEAN` parameter (mbx-core's [`mbx_core::order::bool_param`]).
pub fn optional_bool(params: &Params, name: &str) -> Result<Option<bool>> {
    Ok(mbx_core::order::bool_param(params, name)?)
}

/// An optional `LONG` or `INT` parameter (mbx-core's [`mbx_core::order::integer_param`]: `-1100`
/// unless 1 to 20 digits that fit in 64 bits).
pub fn optional_long(params: &Params, name: &str) -> Result<Option<u64>> {
    Ok(mbx_core::order::integer_param(params, name)?)
}

/// An optional time parameter (`startTime`, `endTime`) in milliseconds, sent in milliseconds or
/// microseconds (told apart by magnitude, as for `timestamp`).
pub fn optional_time(params: &Params, name: &str) -> Result<Option<u64>> {
    Ok(mbx_core::order::time_param(params, name)?)
}

/// The `limit` parameter: `default` when absent, at most `max` (larger values are served as
/// `max`, as Binance does for `depth`), at least 1.
pub fn limit(params: &Params, default: u32, max: u32) -> Result<u32> {
    Ok(optional_long(params, "limit")?
        .map_or(default, |n| u32::try_from(n).unwrap_or(u32::MAX).clamp(1, max)))
}

/// `-1130` for a value outside what the parameter takes.
pub fn invalid_value(name: &str, value: &str, expected: &str) -> SandboxError {
    SandboxError::rejected(
        ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &[name]),
        format!("Parameter '{name}' is {:?}; it takes {expected}.", clip(value, 40)),
    )
}

/// The `recvWindow` parameter, or the 5000 ms default.
pub fn recv_window(params: &Params) -> Result<RecvWindow> {
    Ok(accept::recv_window(params)?)
}

pub use mbx_core::accept::{clip, merge};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_pairs_rejects_bad_encoding_and_duplicates() {
        let e = decode_pairs("a=%ZZ", "query string").unwrap_err();
        assert_eq!(e.api_error().unwrap().code, ErrorCode::ILLEGAL_CHARS);
        let e = decode_pairs("a=%FF", "body").unwrap_err();
        assert_eq!(e.api_error().unwrap().code, ErrorCode::ILLEGAL_CHARS);
        let e = decode_pairs("a=1&a=2", "query string").unwrap_err();
        assert_eq!(e.api_error().unwrap().msg, "Duplicate values for a parameter detected.");
        assert_eq!(
            decode_pairs("a=%E8%BF%99&&b", "q").unwrap(),
            vec![("a".into(), "这".into()), ("b".into(), "".into())]
        );
    }

    #[test]
    fn merge_query_wins() {
        let p =
            merge(vec![("a".into(), "q".into())], vec![("a".into(), "b".into()), ("c".into(), "3".into())]);
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![("a", "q"), ("c", "3")]);
    }
}
