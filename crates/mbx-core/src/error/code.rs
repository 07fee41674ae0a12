//! [`ErrorCode`]: Binance's numeric error codes as an open newtype.

use std::fmt;

/// A Binance error code, such as `-1022`.
///
/// Known codes are associated constants named as in Binance's documentation
/// ([`ErrorCode::INVALID_SIGNATURE`], [`ErrorCode::BAD_API_KEY_FMT`], ...); any other number still
/// survives decoding, so a code Binance adds tomorrow is not lost. `Debug` prints the name where one
/// is known.
///
/// ```
/// use mbx_core::ErrorCode;
/// assert_eq!(ErrorCode::INVALID_SIGNATURE.get(), -1022);
/// assert_eq!(format!("{:?}", ErrorCode(-1022)), "INVALID_SIGNATURE(-1022)");
/// assert_eq!(format!("{:?}", ErrorCode(-9999)), "ErrorCode(-9999)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ErrorCode(pub i32);

impl ErrorCode {
    /// The number Binance sends.
    pub const fn get(self) -> i32 {
        self.0
    }

    /// The catalog row for this code, if Binance documents it.
    pub fn entry(self) -> Option<&'static super::catalog::CatalogEntry> {
        super::catalog::lookup(self)
    }

    /// Binance's name for this code (`INVALID_SIGNATURE`), if documented.
    pub fn name(self) -> Option<&'static str> {
        self.entry().map(|e| e.name)
    }

    /// True when a request answered with this code may still have been executed
    /// (`-1006 UNEXPECTED_RESP`, `-1007 TIMEOUT`): its outcome must be looked up, never assumed.
    pub const fn is_unknown_outcome(self) -> bool {
        matches!(self.0, -1006 | -1007)
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name}({})", self.0),
            None => write!(f, "ErrorCode({})", self.0),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<i32> for ErrorCode {
    fn from(n: i32) -> Self {
        ErrorCode(n)
    }
}
