//! Secret-holding types: redacted in `Debug`/`Display`, wiped from memory on drop.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Secret bytes (an HMAC secret, a passphrase). Never printed; zeroed on drop.
///
/// The bytes are kept exactly as given: never trimmed, decoded or re-cased. Binance uses the secret
/// string's bytes as the HMAC key, and so does mbx.
///
/// ```
/// use mbx_core::SecretBytes;
/// let s = SecretBytes::from("NhqPtmdS");
/// assert_eq!(format!("{s:?}"), "SecretBytes(<redacted, 8 bytes>)");
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The secret itself. Call only where the bytes are consumed (key derivation, diagnosis).
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for SecretBytes {
    fn from(s: &str) -> Self {
        Self(s.as_bytes().to_vec())
    }
}

impl From<String> for SecretBytes {
    fn from(s: String) -> Self {
        Self(s.into_bytes())
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<redacted, {} bytes>)", self.0.len())
    }
}

impl fmt::Display for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A Binance API key: the value of the `X-MBX-APIKEY` header.
///
/// Binance asks that API keys be kept private too, so `Debug` and `Display` show only the first four
/// characters; [`ApiKey::expose`] gives the whole key for the header.
///
/// ```
/// let k = mbx_core::ApiKey::new("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A");
/// assert_eq!(k.to_string(), "vmPU…(64 chars)");
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps the key exactly as given.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The whole key, for the `X-MBX-APIKEY` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix: String = self.0.chars().take(4).collect();
        write!(f, "{prefix}…({} chars)", self.0.chars().count())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({self})")
    }
}
