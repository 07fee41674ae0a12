//! [`SandboxError`], the crate's one error, and the one place it becomes an HTTP response.
//!
//! Every rejection leaves through [`SandboxError::into_response`]: the status from mbx-core's error
//! catalog, Binance's `{"code":..,"msg":..}` body, and an `X-Sandbox-Hint` header with one sentence on
//! which check failed (for `-1022`, the exact payload that was verified).

use std::path::PathBuf;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mbx_core::{ApiError, ErrorCode};

/// The response header that explains a rejection.
pub const HINT_HEADER: &str = "x-sandbox-hint";

/// Longest hint sent, in bytes; longer ones are cut (clients limit header sizes).
const MAX_HINT: usize = 4096;

/// Everything that can go wrong in the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Binance would reject this request: the client is at fault. Answered with the catalog's status
    /// and Binance's body.
    #[error("{}: {}", .0.error, .0.hint)]
    Rejected(Rejection),
    /// A rejection whose body carries `data` besides `code` and `msg`: a cancel-replace that did not
    /// fully succeed (`-2021`, `-2022`), with what became of the cancel and of the new order.
    #[error("{}: {}", .rejection.error, .rejection.hint)]
    RejectedWithData {
        /// Code, message and hint.
        rejection: Rejection,
        /// Wire: data, as rendered JSON (an object).
        data: String,
    },
    /// A rate limit is exceeded (429) or the client's address is banned (418): Binance's body plus a
    /// `Retry-After` header.
    #[error("{error}: {hint} (retry after {retry_after_secs} s)")]
    Limited {
        /// What Binance answers (`-1003` or `-1015`, with the status to send).
        error: ApiError,
        /// Seconds until the window frees or the ban ends (`Retry-After`).
        retry_after_secs: u64,
        /// When, on the sandbox clock (ms): the window's end or the ban's (the WebSocket API's
        /// `retryAfter`).
        retry_at_ms: u64,
        /// Which limit was hit and what to do.
        hint: String,
    },
    /// An injected fault (`crate::faults`): answered with this HTTP status and an empty body, after the
    /// order was committed.
    #[error("fault injected: HTTP {0} after commit")]
    InjectedStatus(u16),
    /// No endpoint at this path (404).
    #[error("no endpoint {method} {path}")]
    NotFound {
        /// Method sent.
        method: String,
        /// Path sent.
        path: String,
    },
    /// The path exists, but not with this method (405).
    #[error("{path} does not take {method}")]
    MethodNotAllowed {
        /// Method sent.
        method: String,
        /// Path sent.
        path: String,
    },
    /// The endpoint was retired by Binance (404, as a path that does not exist), with its replacement.
    #[error("{method} {path} is retired")]
    Retired {
        /// Method sent.
        method: String,
        /// Path sent.
        path: String,
        /// The retirement, from the endpoint table.
        retirement: &'static mbx_core::endpoint::Retirement,
    },
    /// The URL is longer than the sandbox reads (414).
    #[error("URL of {len} bytes is over the limit of {limit}")]
    UriTooLong {
        /// Length received.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The body is larger than the sandbox reads (413).
    #[error("request body over the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body did not arrive in time (408; `serve::ServeLimits::body_read_timeout`).
    #[error("request body not received within {ms} ms")]
    BodyTimedOut {
        /// The limit, in milliseconds.
        ms: u128,
    },
    /// The admin API was called from an address other than loopback (403).
    #[error("the admin API answers only loopback clients")]
    AdminForbidden,
    /// An admin or console request refused by the access rules (`extract::Loopback`): 401, 403 or
    /// 415, and why.
    #[error("admin request refused: {why}")]
    AdminRefused {
        /// The HTTP status.
        status: u16,
        /// Why, with the fix.
        why: &'static str,
    },
    /// An admin request the sandbox cannot carry out; the caller is at fault (400).
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// The database failed; the sandbox (or its disk) is at fault (500).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Binding or serving the socket failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The engine thread is gone (shutting down, or it failed): the outcome of the request is unknown.
    #[error("the sandbox engine is not running")]
    EngineStopped,
    /// A handler panicked: a sandbox bug. Answered 500 `-1000`; tests re-raise it.
    #[error("handler panicked: {0}")]
    Panicked(String),
}

/// `Result` with [`SandboxError`].
pub type Result<T> = std::result::Result<T, SandboxError>;

/// A Binance rejection and the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// What Binance answers.
    pub error: ApiError,
    /// One sentence: which check failed and what to change.
    pub hint: String,
}

impl SandboxError {
    /// A Binance rejection with its hint.
    pub fn rejected(error: ApiError, hint: impl Into<String>) -> SandboxError {
        SandboxError::Rejected(Rejection { error, hint: hint.into() })
    }

    /// The Binance error this maps to, if it is a Binance-shaped rejection.
    pub fn api_error(&self) -> Option<ApiError> {
        let internal = |code: ErrorCode, status: u16| {
            let mut e = ApiError::new(code);
            e.http_status = status;
            e
        };
        match self {
            SandboxError::Rejected(r) | SandboxError::RejectedWithData { rejection: r, .. } => {
                Some(r.error.clone())
            }
            SandboxError::Limited { error, .. } => Some(error.clone()),
            SandboxError::NotFound { .. }
            | SandboxError::Retired { .. }
            | SandboxError::MethodNotAllowed { .. }
            | SandboxError::InjectedStatus(_) => None,
            SandboxError::UriTooLong { .. } => Some(internal(ErrorCode::TOO_MANY_PARAMETERS, 414)),
            SandboxError::BodyTooLarge { .. } => Some(internal(ErrorCode::TOO_MANY_PARAMETERS, 413)),
            // The docs are silent: the status is what web servers answer to a body that does not
            // come in time (408), the code Binance's catch-all.
            SandboxError::BodyTimedOut { .. } => Some(internal(ErrorCode::UNKNOWN, 408)),
            SandboxError::AdminForbidden => Some(internal(ErrorCode::UNAUTHORIZED, 403)),
            SandboxError::AdminRefused { status, .. } => Some(internal(ErrorCode::UNAUTHORIZED, *status)),
            SandboxError::Admin(e) => {
                Some(ApiError::with_args(ErrorCode::INVALID_PARAMETER, 1, &[e.field()]))
            }
            SandboxError::Store(_) | SandboxError::Io { .. } | SandboxError::Panicked(_) => {
                Some(ApiError::new(ErrorCode::UNKNOWN))
            }
            SandboxError::EngineStopped => Some(ApiError::new(ErrorCode::TIMEOUT)),
        }
    }

    /// The HTTP status this is answered with.
    pub fn status(&self) -> StatusCode {
        let code = match self {
            SandboxError::NotFound { .. } | SandboxError::Retired { .. } => 404,
            SandboxError::MethodNotAllowed { .. } => 405,
            SandboxError::InjectedStatus(status) => *status,
            _ => self.api_error().map_or(500, |e| e.http_status),
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The `X-Sandbox-Hint` sentence.
    pub fn hint(&self) -> String {
        // A spot path without this method: the doctor's sentence (mbx-core's `endpoint::unrouted`).
        if let SandboxError::NotFound { method, path } | SandboxError::MethodNotAllowed { method, path } =
            self
            && let Some(u) = mbx_core::endpoint::unrouted(method, path)
        {
            return format!("{}. {}", u.title, u.fix);
        }
        match self {
            SandboxError::Rejected(r) | SandboxError::RejectedWithData { rejection: r, .. } => r.hint.clone(),
            SandboxError::Limited { hint, .. } => hint.clone(),
            SandboxError::InjectedStatus(status) => format!(
                "Fault injected: the order was committed, then answered HTTP {status}; look it up before resending."
            ),
            SandboxError::NotFound { method, path } if path.starts_with("/sapi/") => {
                let served: Vec<&str> = mbx_core::endpoint::SAPI.iter().map(|e| e.path).collect();
                format!(
                    "No endpoint {method} {path} in this sandbox: it serves Binance spot, and of SAPI only {}.",
                    served.join(", ")
                )
            }
            SandboxError::NotFound { method, path } => {
                format!("No endpoint {method} {path} in this sandbox; check the path against rest-api.md.")
            }
            SandboxError::Retired { retirement, .. } => format!(
                "{}. {} The sandbox's Binance.US flavor (--flavor us) serves it too.",
                retirement.title(),
                retirement.fix()
            ),
            SandboxError::MethodNotAllowed { method, path } => {
                format!("{path} exists but does not take {method}; check the method in rest-api.md.")
            }
            SandboxError::UriTooLong { len, limit } => {
                format!(
                    "The URL is {len} bytes, over the sandbox's limit of {limit}; send fewer or shorter parameters."
                )
            }
            SandboxError::BodyTooLarge { limit } => {
                format!(
                    "The body is over the sandbox's limit of {limit} bytes; send fewer or shorter parameters."
                )
            }
            SandboxError::BodyTimedOut { ms } => {
                format!("The body did not arrive within {ms} ms of the request head; send it whole, at once.")
            }
            SandboxError::AdminForbidden => {
                "The admin API under /sandbox/v1 answers only clients on the loopback address.".to_owned()
            }
            SandboxError::AdminRefused { why, .. } => format!("The admin API refused the request: {why}."),
            SandboxError::Admin(e) => format!("Admin request rejected: {e}."),
            SandboxError::Store(e) => {
                format!("The sandbox's database failed ({e}); this is a sandbox problem.")
            }
            SandboxError::Io { .. } => format!("The sandbox failed: {self}."),
            SandboxError::EngineStopped => {
                "The sandbox engine is not running (shutting down?); the outcome is unknown.".to_owned()
            }
            SandboxError::Panicked(msg) => format!("The sandbox hit a bug (handler panicked: {msg})."),
        }
    }
}

impl From<mbx_core::order::Refusal> for SandboxError {
    fn from(r: mbx_core::order::Refusal) -> Self {
        SandboxError::rejected(r.error, r.advice)
    }
}

impl From<mbx_core::accept::Rejection> for SandboxError {
    fn from(r: mbx_core::accept::Rejection) -> Self {
        SandboxError::rejected(r.error, r.hint)
    }
}

impl From<Rejection> for SandboxError {
    fn from(r: Rejection) -> Self {
        SandboxError::Rejected(r)
    }
}

/// The Binance code a response was rejected with, kept in the response's extensions for the
/// request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RejectedWith(pub ErrorCode);

impl IntoResponse for SandboxError {
    fn into_response(self) -> Response {
        let status = self.status();
        let api = self.api_error();
        let hint = header_safe(&self.hint());
        if matches!(self, SandboxError::Store(_) | SandboxError::Io { .. } | SandboxError::Panicked(_)) {
            tracing::error!(error = %self, "request failed inside the sandbox");
        }
        let mut response = match &api {
            Some(e) => {
                let body = match &self {
                    SandboxError::RejectedWithData { data, .. } => {
                        let mut body = crate::write::json::Object::new()
                            .field("code", e.code.get())
                            .field("msg", &e.msg);
                        body.raw("data", data);
                        body.finish()
                    }
                    _ => e.to_json(),
                };
                let mut r = body.into_response();
                r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(crate::api::JSON));
                r
            }
            None => ().into_response(),
        };
        *response.status_mut() = status;
        if let SandboxError::Limited { retry_after_secs, .. } = &self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        if let Ok(v) = HeaderValue::from_str(&hint) {
            response.headers_mut().insert(HINT_HEADER, v);
        }
        if let Some(e) = api {
            response.extensions_mut().insert(RejectedWith(e.code));
        }
        response
    }
}

/// Makes a sentence safe for a header value: non-ASCII and control characters become `\u{..}`
/// escapes (payloads keep their meaning), and over-long text is cut.
pub(crate) fn header_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_HINT));
    for c in s.chars() {
        if out.len() >= MAX_HINT {
            out.push_str("...(cut)");
            break;
        }
        if c.is_ascii() && !c.is_ascii_control() {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    out
}

/// Why the database failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data directory could not be created.
    #[error("{}: {detail}", path.display())]
    Io {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        detail: String,
    },
    /// A migration failed to apply.
    #[error("migration {name} failed: {detail}")]
    Migration {
        /// The migration file.
        name: &'static str,
        /// SQLite's complaint.
        detail: String,
    },
    /// A group commit failed (the reason, shared by every command of the group).
    #[error("commit failed: {0}")]
    Commit(String),
    /// The database holds something this sandbox cannot read.
    #[error("unreadable {what}: {detail}")]
    Corrupt {
        /// Which column or setting.
        what: &'static str,
        /// What was found.
        detail: String,
    },
}

/// Why an admin request was refused. Each names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// The body is not the JSON object this endpoint takes.
    #[error("the body is not valid JSON for this endpoint ({0})")]
    Body(String),
    /// `kind` is not `hmac`, `ed25519` or `rsa`.
    #[error("kind {0:?} is not one of \"hmac\", \"ed25519\", \"rsa\"")]
    Kind(String),
    /// An Ed25519 or RSA key was registered without `publicKey`.
    #[error("a {0} key needs publicKey (its public key as PEM)")]
    PublicKeyMissing(&'static str),
    /// `publicKey` was sent for an HMAC key, whose secret the sandbox generates.
    #[error("an hmac key takes no publicKey: the sandbox generates the secret")]
    PublicKeyNotTaken,
    /// `publicKey` does not load.
    #[error("publicKey: {0}")]
    PublicKey(String),
    /// `publicKey` is a private key: only the public half may be uploaded, as on Binance.
    #[error("publicKey holds a private key; upload only the public key (openssl pkey -pubout)")]
    PrivateKeyUploaded,
    /// `publicKey` holds another kind of key than `kind`.
    #[error("kind is {declared} but publicKey holds an {found} key")]
    KindMismatch {
        /// `kind` sent.
        declared: &'static str,
        /// Kind of the PEM.
        found: &'static str,
    },
    /// A field holds a value the endpoint cannot use (unknown account or key, bad amount, 200 as a
    /// fault status, ...).
    #[error("{field}: {detail}")]
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// `permissions` holds an unknown name.
    #[error("permission {0:?} is not one of TRADE, USER_DATA, USER_STREAM")]
    Permission(String),
}

impl AdminError {
    /// The request field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            AdminError::Body(_) => "body",
            AdminError::Kind(_) | AdminError::KindMismatch { .. } => "kind",
            AdminError::PublicKeyMissing(_)
            | AdminError::PublicKeyNotTaken
            | AdminError::PublicKey(_)
            | AdminError::PrivateKeyUploaded => "publicKey",
            AdminError::Permission(_) => "permissions",
            AdminError::Invalid { field, .. } => field,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_safe_escapes_non_ascii_and_cuts() {
        assert_eq!(header_safe("a=这\n"), "a=\\u{8fd9}\\u{a}");
        let long = header_safe(&"x".repeat(10_000));
        assert!(long.ends_with("...(cut)") && long.len() < MAX_HINT + 16, "{}", long.len());
    }

    #[test]
    fn rejection_status_comes_from_catalog() {
        let e = SandboxError::rejected(ApiError::new(ErrorCode::BAD_API_KEY_FMT), "no header");
        assert_eq!(e.status(), StatusCode::UNAUTHORIZED);
        let e = SandboxError::rejected(ApiError::new(ErrorCode::INVALID_SIGNATURE), "bad");
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
    }
}
