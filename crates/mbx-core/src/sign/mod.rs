//! Signers and verifiers for the three key types Binance accepts.
//!
//! | key type | signature | encoding | case |
//! |---|---|---|---|
//! | HMAC-SHA256 | HMAC of the payload with the secret's bytes | lowercase hex (64 chars) | verified case-insensitively |
//! | Ed25519 | Ed25519 (pure) | standard base64 with padding (88 chars) | case-sensitive |
//! | RSA | PKCS#1 v1.5 with SHA-256 | standard base64 with padding | case-sensitive |
//!
//! ```
//! use mbx_core::sign::{HmacSigner, Signer};
//! let signer = Signer::Hmac(HmacSigner::new(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));
//! let payload = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
//! let sig = signer.sign(payload.as_bytes());
//! assert_eq!(sig.as_str(), "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
//! assert!(signer.verifier().verify(payload.as_bytes(), &sig.as_str().to_uppercase()).is_ok());
//! ```

mod ed25519;
mod hmac;
mod rsa;

use std::borrow::Cow;
use std::fmt;

pub use self::ed25519::{Ed25519Signer, Ed25519Verifier};
pub use self::hmac::HmacSigner;
pub use self::rsa::{RsaSigner, RsaVerifier};

use crate::encode;

/// The kind of key behind a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// HMAC-SHA256 with a shared secret.
    Hmac,
    /// Ed25519.
    Ed25519,
    /// RSA (PKCS#1 v1.5, SHA-256).
    Rsa,
}

impl KeyKind {
    /// `"hmac"`, `"ed25519"` or `"rsa"`, as in the vectors and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyKind::Hmac => "hmac",
            KeyKind::Ed25519 => "ed25519",
            KeyKind::Rsa => "rsa",
        }
    }

    /// How the signature is written for this key kind.
    pub const fn encoding(self) -> &'static str {
        match self {
            KeyKind::Hmac => "hex",
            KeyKind::Ed25519 | KeyKind::Rsa => "base64",
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signature as produced: hex for HMAC, base64 for Ed25519 and RSA. Not URL-encoded.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature(Repr);

#[derive(Clone, PartialEq, Eq)]
enum Repr {
    /// Lowercase hex of an HMAC-SHA256, kept on the stack.
    Hex([u8; 64]),
    Base64(KeyKind, String),
}

impl Signature {
    /// The signature text as produced.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always ASCII hex digits, written by `hmac::hex_lower`.
            Repr::Hex(b) => std::str::from_utf8(b).unwrap_or_default(),
            Repr::Base64(_, s) => s,
        }
    }

    /// The signature as it must appear in a query string or form body: base64's `+`, `/` and `=`
    /// percent-encoded, hex unchanged.
    pub fn url_encoded(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Hex(_) => Cow::Borrowed(self.as_str()),
            Repr::Base64(_, s) => Cow::Owned(encode::percent_encode(s)),
        }
    }

    /// The key kind that made it.
    pub fn kind(&self) -> KeyKind {
        match &self.0 {
            Repr::Hex(_) => KeyKind::Hmac,
            Repr::Base64(kind, _) => *kind,
        }
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}

/// Signs payloads with one key. Cheap to clone (the HMAC keyed state is precomputed; Ed25519 and RSA
/// keys are shared).
#[derive(Clone, Debug)]
pub enum Signer {
    /// HMAC-SHA256 with a secret.
    Hmac(HmacSigner),
    /// Ed25519 private key.
    Ed25519(Ed25519Signer),
    /// RSA private key.
    Rsa(RsaSigner),
}

impl Signer {
    /// Signs `payload` (the exact bytes Binance will check).
    pub fn sign(&self, payload: &[u8]) -> Signature {
        match self {
            Signer::Hmac(s) => s.sign(payload),
            Signer::Ed25519(s) => s.sign(payload),
            Signer::Rsa(s) => s.sign(payload),
        }
    }

    /// The key kind.
    pub fn kind(&self) -> KeyKind {
        match self {
            Signer::Hmac(_) => KeyKind::Hmac,
            Signer::Ed25519(_) => KeyKind::Ed25519,
            Signer::Rsa(_) => KeyKind::Rsa,
        }
    }

    /// A verifier for signatures made by this signer.
    pub fn verifier(&self) -> Verifier {
        match self {
            Signer::Hmac(s) => Verifier::Hmac(s.clone()),
            Signer::Ed25519(s) => Verifier::Ed25519(s.verifier()),
            Signer::Rsa(s) => Verifier::Rsa(s.verifier()),
        }
    }
}

/// Why a signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The signature text is not in the encoding this key kind uses (hex for HMAC, base64 otherwise).
    #[error("signature is not {expected}: {detail}")]
    Encoding {
        /// `"hex"` or `"base64"`.
        expected: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// The signature decodes but has the wrong length for this key kind.
    #[error("signature is {found} bytes; an {kind} signature is {expected} bytes")]
    Length {
        /// Key kind.
        kind: KeyKind,
        /// Decoded length found.
        found: usize,
        /// Length expected.
        expected: usize,
    },
    /// Well-formed, but it does not match the payload and key.
    #[error("signature does not match the payload and key")]
    Mismatch,
}

/// Checks signatures for one key: the HMAC secret, or an Ed25519 / RSA public key.
#[derive(Clone, Debug)]
pub enum Verifier {
    /// HMAC-SHA256 (verification case-insensitive on the hex).
    Hmac(HmacSigner),
    /// Ed25519 public key.
    Ed25519(Ed25519Verifier),
    /// RSA public key.
    Rsa(RsaVerifier),
}

impl Verifier {
    /// Checks `signature` (as produced, not URL-encoded) over `payload`.
    pub fn verify(&self, payload: &[u8], signature: &str) -> Result<(), VerifyError> {
        match self {
            Verifier::Hmac(s) => s.verify(payload, signature),
            Verifier::Ed25519(v) => v.verify(payload, signature),
            Verifier::Rsa(v) => v.verify(payload, signature),
        }
    }

    /// The key kind.
    pub fn kind(&self) -> KeyKind {
        match self {
            Verifier::Hmac(_) => KeyKind::Hmac,
            Verifier::Ed25519(_) => KeyKind::Ed25519,
            Verifier::Rsa(_) => KeyKind::Rsa,
        }
    }
}

/// Decodes standard base64 (with padding), as Binance reads Ed25519 and RSA signatures.
pub(crate) fn decode_base64(signature: &str) -> Result<Vec<u8>, VerifyError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(signature)
        .map_err(|e| VerifyError::Encoding { expected: "base64", detail: e.to_string() })
}

/// Encodes standard base64 with padding.
pub(crate) fn encode_base64(kind: KeyKind, bytes: &[u8]) -> Signature {
    use base64::Engine;
    Signature(Repr::Base64(kind, base64::engine::general_purpose::STANDARD.encode(bytes)))
}
