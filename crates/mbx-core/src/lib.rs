//! # mbx-core
//!
//! The sans-IO core of mbx: it builds the exact bytes of Binance API requests and checks them. It never
//! opens a socket, never starts an async runtime and never reads the clock: time is passed in.
//!
//! ```text
//!  Params ──render once──▶ RestPayload { query, body } ──sign──▶ SignedRest { query, body }
//!  (ordered,                 signing payload =               signature appended last,
//!   typed values)            query ++ body (no separator)    URL-encoded
//!
//!  Params ──ws_api_payload──▶ "a=1&b=2" (sorted by name, UTF-8, not encoded) ──sign──▶ Signature
//! ```
//!
//! The public interface is:
//! * [`Params`]: ordered, typed request parameters; [`encode`]: percent-encoding and decimals.
//! * [`payload`]: REST and WebSocket API payloads, signed and unsigned.
//! * [`sign`]: [`Signer`] and [`Verifier`] for HMAC-SHA256 (hex), Ed25519 and RSA (base64);
//!   [`keys`]: PEM key loading; [`SecretBytes`] and [`ApiKey`]: redacted, zeroized secrets.
//! * [`time`]: timestamps, `recvWindow` and Binance's timing check as a pure function.
//! * [`timeframe`]: kline intervals (the one table), `timeZone` and `windowSize` as time arithmetic.
//! * [`error`]: every Binance error code ([`ErrorCode`], [`error::catalog`]) and [`ApiError`].
//! * [`endpoint`]: the endpoint table (method, path, security, weight, parameters, WebSocket method).
//! * [`accept`]: the acceptance check Binance runs before an endpoint (key, parameters, timing,
//!   signature), pure, for REST and the WebSocket API.
//! * [`diagnose`]: the engine behind `mbx doctor`; [`model`]: enums; [`venue`]: the environments
//!   (live, testnet, demo, ...) and their hosts.
//! * [`order`]: [`order::OrderTerms`], a new order parsed, composition-checked and rendered;
//!   [`filters`]: the symbol filter checks both the client and the sandbox run on it.
//! * [`stream`]: market stream names and what they carry.
//! * [`manual`]: how Binance authenticates, and the mistakes mbx prevents.
//!
//! ```
//! use mbx_core::{Params, payload::{Placement, RestPayload}, sign::{HmacSigner, Signer}};
//! let signer = Signer::Hmac(HmacSigner::new(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));
//! let params = Params::new().text("symbol", "BTCUSDT").int("timestamp", 1499827319559u64);
//! let signed = RestPayload::render(&params, Placement::Query).sign(&signer);
//! assert_eq!(signed.payload(), "symbol=BTCUSDT&timestamp=1499827319559");
//! assert!(signed.query().starts_with("symbol=BTCUSDT&timestamp=1499827319559&signature="));
//! ```

pub mod accept;
pub mod diagnose;
pub mod encode;
pub mod endpoint;
pub mod error;
pub mod filters;
pub mod keys;
pub mod manual;
pub mod model;
pub mod order;
pub mod order_list;
pub mod params;
pub mod payload;
mod secret;
pub mod sign;
pub mod stream;
pub mod time;
pub mod timeframe;
pub mod venue;

pub use error::{ApiError, Error, ErrorCode, Result};
pub use params::{Params, WireValue};
pub use secret::{ApiKey, SecretBytes};
pub use sign::{KeyKind, Signature, Signer, Verifier};
