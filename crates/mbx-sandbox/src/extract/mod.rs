//! Extractors that read requests the way Binance does and reject them with Binance's answers.
//!
//! * [`PublicQuery`]: the decoded query string of a public endpoint.
//! * [`Signed`]: key, timing and signature checked; the parameters of a `TRADE`/`USER_DATA`/
//!   `USER_STREAM` request.
//! * [`check_params`]: `-1104` for parameters the endpoint does not read (mbx-core's table).
//! * [`Loopback`]: admits only loopback clients (the admin API).

mod loopback;
mod params;
mod signed;
mod unread;

pub use loopback::{ConsoleFile, Loopback, TOKEN_HEADER};
pub use params::{
    MAX_BODY, MAX_URI, PublicQuery, clip, decode_pairs, invalid_value, limit, merge, optional, optional_bool,
    optional_long, optional_time, read_body, read_limited, recv_window, required,
};
pub use signed::{API_KEY_HEADER, Signed, authenticate, verify_signature};
pub use unread::check_params;

/// A request's query string as it was sent, kept (as a request extension) where the URI holds it
/// percent-encoded because the `http` types refuse some of its bytes (a raw `"` or `[`: see the
/// sandbox's HTTP/1.1 loop). A signature covers the query as sent, so the acceptance check reads
/// this one ([`query_of`]).
#[derive(Debug, Clone)]
pub struct SentQuery(pub String);

/// The query string as the client sent it: [`SentQuery`] where the URI had to encode it, else the
/// URI's.
pub(crate) fn query_of(parts: &axum::http::request::Parts) -> &str {
    match parts.extensions.get::<SentQuery>() {
        Some(sent) => &sent.0,
        None => parts.uri.query().unwrap_or(""),
    }
}
