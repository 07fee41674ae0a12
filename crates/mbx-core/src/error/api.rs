//! [`ApiError`]: what Binance answers when it rejects a request.

use std::fmt;

use super::catalog::fill_template;
use super::code::ErrorCode;

/// A rejection as Binance sends it: `{"code":-1022,"msg":"Signature for this request is not valid."}`,
/// with the HTTP status it came with.
///
/// ```
/// use mbx_core::{ApiError, ErrorCode};
/// let e = ApiError::from_response(400, br#"{"code":-1022,"msg":"Signature for this request is not valid."}"#).unwrap();
/// assert_eq!(e.code, ErrorCode::INVALID_SIGNATURE);
/// assert_eq!(e.to_json(), r#"{"code":-1022,"msg":"Signature for this request is not valid."}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ApiError {
    /// Binance's code.
    pub code: ErrorCode,
    /// Binance's message.
    pub msg: String,
    /// The HTTP status (for REST; the `status` field on the WebSocket API).
    pub http_status: u16,
}

/// Why a response body is not a Binance error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Binance error body ({0})")]
pub struct DecodeApiError(String);

#[derive(serde::Serialize, serde::Deserialize)]
struct Wire<'a> {
    code: i32,
    #[serde(borrow)]
    msg: std::borrow::Cow<'a, str>,
}

impl ApiError {
    /// The error Binance sends for `code`, with its default message and status. Unknown codes get
    /// status 400 and an empty message.
    pub fn new(code: ErrorCode) -> Self {
        Self::with_variant(code, 0)
    }

    /// The `n`th documented message of `code` (0 is the default), placeholders left as they are.
    pub fn with_variant(code: ErrorCode, n: usize) -> Self {
        let entry = code.entry();
        let msg = entry.and_then(|e| e.messages.get(n).or(e.messages.first())).copied().unwrap_or("");
        Self { code, msg: msg.to_owned(), http_status: entry.map_or(400, |e| e.http_status) }
    }

    /// The `n`th documented message of `code` with its placeholders filled from `args`.
    ///
    /// ```
    /// use mbx_core::{ApiError, ErrorCode};
    /// let e = ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["signature"]);
    /// assert_eq!(e.msg, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    /// ```
    pub fn with_args(code: ErrorCode, n: usize, args: &[&str]) -> Self {
        let mut e = Self::with_variant(code, n);
        e.msg = fill_template(&e.msg, args);
        e
    }

    /// `code` with a message of the caller's (e.g. a `-2010` engine message).
    pub fn with_msg(code: ErrorCode, msg: impl Into<String>) -> Self {
        let mut e = Self::new(code);
        e.msg = msg.into();
        e
    }

    /// Decodes a Binance error body received with HTTP `status`.
    pub fn from_response(status: u16, body: &[u8]) -> Result<Self, DecodeApiError> {
        let wire: Wire<'_> = serde_json::from_slice(body).map_err(|e| DecodeApiError(e.to_string()))?;
        Ok(Self { code: ErrorCode(wire.code), msg: wire.msg.into_owned(), http_status: status })
    }

    /// The body Binance sends: `{"code":..,"msg":..}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Wire { code: self.code.get(), msg: std::borrow::Cow::Borrowed(&self.msg) })
            .unwrap_or_default()
    }

    /// What to do: for one of the matching engine's messages (errors.md, "Messages for -1010,
    /// -2010, -2011 and -2038"), the fix for that message; else the catalog's fix for the code.
    ///
    /// ```
    /// use mbx_core::{ApiError, ErrorCode};
    /// let dup = ApiError { code: ErrorCode::NEW_ORDER_REJECTED, msg: "Duplicate order sent.".into(), http_status: 400 };
    /// assert!(dup.fix().unwrap().contains("client order id"));
    /// ```
    pub fn fix(&self) -> Option<&'static str> {
        ENGINE_MESSAGE_FIXES
            .iter()
            .find(|(msg, _)| *msg == self.msg)
            .map(|(_, fix)| *fix)
            .or_else(|| self.code.entry().map(|e| e.fix))
    }
}

/// The matching engine's commonest messages and what to do about each.
const ENGINE_MESSAGE_FIXES: &[(&str, &str)] = &[
    (
        "Duplicate order sent.",
        "An open order of this account already has this client order id (newClientOrderId): send another one, or none (a fresh one is made); query the open order by its origClientOrderId if it is the same order.",
    ),
    (
        "Account has insufficient balance for requested action.",
        "The free balance does not cover the order (the quote asset for a BUY, the base asset for a SELL, commission included): lower the quantity, or free or deposit funds; open orders lock what they may spend.",
    ),
    (
        "Order would immediately match and take.",
        "A LIMIT_MAKER order must rest: price a BUY below the best ask and a SELL above the best bid.",
    ),
    (
        "The relationship of the prices for the orders is not correct.",
        "In an OCO the limit leg and the stop leg sit on either side of the last price: for a SELL, the limit price above and the stop price below it; for a BUY, the other way round.",
    ),
    (
        "Market is closed.",
        "The symbol is not trading now (exchangeInfo shows its status): wait until it trades again.",
    ),
    (
        "Unknown order sent.",
        "No open order matches the id given: it was filled, cancelled or expired, or the id is of another symbol; query it (GET /api/v3/order) to see its state.",
    ),
];

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.msg)
    }
}
