//! Ed25519, base64.

use std::fmt;
use std::sync::Arc;

use ring::signature::{self as ring_sig, KeyPair};

use super::{KeyKind, Signature, VerifyError};

/// An Ed25519 private key. Cheap to clone; `Debug` shows only the public key.
#[derive(Clone)]
pub struct Ed25519Signer {
    pair: Arc<ring_sig::Ed25519KeyPair>,
}

impl Ed25519Signer {
    /// Loads a PKCS#8 DER private key (v1, as OpenSSL writes it, or v2).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, ring::error::KeyRejected> {
        let pair = ring_sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)?;
        Ok(Self { pair: Arc::new(pair) })
    }

    /// Signs `payload`: standard base64 of the 64-byte signature.
    pub fn sign(&self, payload: &[u8]) -> Signature {
        super::encode_base64(KeyKind::Ed25519, self.pair.sign(payload).as_ref())
    }

    /// The matching public key.
    pub fn verifier(&self) -> Ed25519Verifier {
        Ed25519Verifier::from_raw(self.pair.public_key().as_ref())
    }
}

impl fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ed25519Signer(<private key redacted>, {:?})", self.verifier())
    }
}

/// An Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct Ed25519Verifier {
    raw: [u8; 32],
}

impl Ed25519Verifier {
    /// From the 32 raw public-key bytes. Returns a verifier that rejects everything when `raw` is not
    /// 32 bytes long; use [`crate::keys`] to load keys with proper errors.
    pub fn from_raw(raw: &[u8]) -> Self {
        let mut key = [0u8; 32];
        if raw.len() == 32 {
            key.copy_from_slice(raw);
        }
        Self { raw: key }
    }

    /// The raw 32-byte public key.
    pub fn raw(&self) -> &[u8; 32] {
        &self.raw
    }

    /// Verifies a base64 signature (case-sensitive).
    pub fn verify(&self, payload: &[u8], signature: &str) -> Result<(), VerifyError> {
        let sig = super::decode_base64(signature)?;
        if sig.len() != 64 {
            return Err(VerifyError::Length { kind: KeyKind::Ed25519, found: sig.len(), expected: 64 });
        }
        ring_sig::UnparsedPublicKey::new(&ring_sig::ED25519, &self.raw)
            .verify(payload, &sig)
            .map_err(|_| VerifyError::Mismatch)
    }
}

impl fmt::Debug for Ed25519Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ed25519Verifier(")?;
        for b in &self.raw[..4] {
            write!(f, "{b:02x}")?;
        }
        write!(f, "…)")
    }
}
