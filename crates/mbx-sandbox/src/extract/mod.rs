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
