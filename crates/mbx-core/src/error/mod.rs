//! Errors: Binance's codes ([`ErrorCode`], the [`catalog`]), the decoded wire error ([`ApiError`]) and
//! mbx-core's own failures ([`Error`]).

mod api;
pub mod catalog;
mod code;

pub use api::{ApiError, DecodeApiError};
pub use catalog::{CatalogEntry, fill_template};
pub use code::ErrorCode;

use crate::keys::KeyError;
use crate::sign::VerifyError;

/// mbx-core's own failures (not Binance's answers: those are [`ApiError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A key could not be loaded. The caller's input is at fault.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A signature did not verify.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// Binance would reject the request with this error (detected locally).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A query string or body could not be read (bad percent-encoding, not UTF-8).
    #[error("{0}")]
    Payload(#[from] crate::encode::DecodeError),
}

/// `Result` with mbx-core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
