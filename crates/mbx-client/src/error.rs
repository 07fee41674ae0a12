//! [`Error`]: everything a client call can fail with.

use std::time::Duration;

use mbx_core::{ApiError, ErrorCode};

/// A failed client call. Secrets never enter an error: URLs are kept without their query string and
/// headers are not kept at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Binance (or the sandbox) rejected the request: the request was not executed.
    #[error("Binance rejected the request: {0}")]
    Api(ApiError),
    /// The request changed state (an order) and its outcome is unknown: a 5xx, `-1006`, `-1007` or a
    /// timeout. Look the order up (by `client_order_id`) before sending anything again; the client's
    /// order methods do this for you and return this error only when the lookup could not settle it.
    #[error("outcome unknown{}: {cause}", client_order_id.as_deref().map(|id| format!(" for client order id {id}")).unwrap_or_default())]
    UnknownOutcome {
        /// The order's client id, to look it up.
        client_order_id: Option<String>,
        /// What happened.
        cause: String,
    },
    /// Binance asked us to back off (HTTP 429, or 418 for a ban): nothing is sent to this host until
    /// `retry_after` has passed. Also returned, as 429 with no `api` error and nothing sent, when an
    /// order would cross a known `ORDERS` limit whose window (a day) runs longer than the client
    /// waits by itself.
    #[error("rate limited (HTTP {status}): retry after {retry_after:?}")]
    RateLimited {
        /// 429 or 418.
        status: u16,
        /// How long to wait.
        retry_after: Duration,
        /// Binance's error, when it sent one.
        api: Option<ApiError>,
    },
    /// A cancel-replace did not fully go through: `-2021` (one half did: see which in `data`) or
    /// `-2022` (neither did). This is a definite outcome, not an unknown one.
    #[error("Binance answered {error} (cancel {}, new order {})", data.cancel_result, data.new_order_result)]
    CancelReplace {
        /// `-2021 Order cancel-replace partially failed.` or `-2022 Order cancel-replace failed.`
        error: ApiError,
        /// What happened to each half.
        data: Box<crate::types::CancelReplaceFailure>,
    },
    /// The request could not be sent or the answer not received.
    #[error("transport error: {0}")]
    Transport(String),
    /// The server answered with an HTTP error status but not Binance's `{"code","msg"}` body: a
    /// path it does not serve (404), a method the path does not take (405), a proxy's page.
    /// Nothing was executed.
    #[error("HTTP {status} from {method} {path} without a Binance error body{}", hint.as_deref().map(|h| format!(": {h}")).unwrap_or_default())]
    Http {
        /// The HTTP status.
        status: u16,
        /// The request's method.
        method: String,
        /// The path requested (no query: it may hold a signature).
        path: String,
        /// What the server said about it (the sandbox's `X-Sandbox-Hint`), if anything.
        hint: Option<String>,
    },
    /// An mbx sandbox's admin API (`/sandbox/v1/...`: keys, deposits, chaos) refused the call, in
    /// Binance's error form, with the sandbox's sentence on why (`X-Sandbox-Hint`) when it sent one.
    /// Nothing was changed.
    #[error("the sandbox refused (HTTP {}): {}{}", error.http_status, error.to_json(), hint.as_deref().map(|h| format!(": {h}")).unwrap_or_default())]
    Admin {
        /// The refusal, as `{"code","msg"}` and its status.
        error: ApiError,
        /// Why, in the sandbox's words.
        hint: Option<String>,
    },
    /// The answer was not what the endpoint returns.
    #[error("cannot read the response of {path}: {detail}")]
    Decode {
        /// The endpoint path.
        path: String,
        /// What was wrong.
        detail: String,
    },
    /// The client is not configured for this call (no key for a signed endpoint, a bad base URL, ...).
    #[error("configuration: {0}")]
    Config(String),
    /// The request was checked locally and Binance would reject it (a symbol filter): nothing was sent.
    #[error("not sent: Binance would answer {error}; {advice}")]
    Invalid {
        /// What Binance would answer (`-1013 Filter failure: ...`).
        error: ApiError,
        /// What to change.
        advice: String,
    },
}

impl Error {
    /// Binance's code, for API errors (also local pre-flight rejections and rate limits).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api(e)
            | Error::Invalid { error: e, .. }
            | Error::CancelReplace { error: e, .. }
            | Error::Admin { error: e, .. } => Some(e.code),
            Error::RateLimited { api: Some(e), .. } => Some(e.code),
            _ => None,
        }
    }

    /// True when the request may have been executed.
    pub fn is_unknown_outcome(&self) -> bool {
        matches!(self, Error::UnknownOutcome { .. })
    }

    /// True when sending the same request again later is safe and may succeed (rate limits,
    /// transport failures before sending, -1021 timing); never true for an unknown outcome.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Transport(_) => true,
            Error::Api(e) => e.code == ErrorCode::INVALID_TIMESTAMP || e.code == ErrorCode::SERVER_BUSY,
            _ => false,
        }
    }
}

/// `Result` with the client's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
