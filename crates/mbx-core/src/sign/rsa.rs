//! RSA PKCS#1 v1.5 with SHA-256, base64.

use std::fmt;
use std::sync::Arc;

use ring::rand::SystemRandom;
use ring::signature::{self as ring_sig, KeyPair};

use super::{KeyKind, Signature, VerifyError};

/// An RSA private key. Cheap to clone; `Debug` shows only the modulus size.
#[derive(Clone)]
pub struct RsaSigner {
    pair: Arc<ring_sig::RsaKeyPair>,
    rng: SystemRandom,
}

impl RsaSigner {
    /// Loads a PKCS#8 DER private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, ring::error::KeyRejected> {
        Ok(Self::from_pair(ring_sig::RsaKeyPair::from_pkcs8(der)?))
    }

    /// Loads a PKCS#1 `RSAPrivateKey` DER (`BEGIN RSA PRIVATE KEY`).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, ring::error::KeyRejected> {
        Ok(Self::from_pair(ring_sig::RsaKeyPair::from_der(der)?))
    }

    fn from_pair(pair: ring_sig::RsaKeyPair) -> Self {
        Self { pair: Arc::new(pair), rng: SystemRandom::new() }
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.pair.public().modulus_len() * 8
    }

    /// Signs `payload`: standard base64 of the PKCS#1 v1.5 SHA-256 signature.
    pub fn sign(&self, payload: &[u8]) -> Signature {
        let mut sig = vec![0u8; self.pair.public().modulus_len()];
        // PKCS#1 v1.5 padding is deterministic; ring's RNG is only used for blinding and only fails if
        // the OS RNG is unavailable, which ring treats as fatal at startup.
        if self.pair.sign(&ring_sig::RSA_PKCS1_SHA256, &self.rng, payload, &mut sig).is_err() {
            sig.clear();
        }
        super::encode_base64(KeyKind::Rsa, &sig)
    }

    /// The matching public key.
    pub fn verifier(&self) -> RsaVerifier {
        RsaVerifier::from_pkcs1_der(self.pair.public_key().as_ref())
    }
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaSigner(<private key redacted>, {} bits)", self.bits())
    }
}

/// An RSA public key (PKCS#1 `RSAPublicKey` DER inside).
#[derive(Clone, PartialEq, Eq)]
pub struct RsaVerifier {
    der: Arc<[u8]>,
}

impl RsaVerifier {
    /// From a PKCS#1 `RSAPublicKey` DER (the content of an SPKI's bit string).
    pub fn from_pkcs1_der(der: &[u8]) -> Self {
        Self { der: Arc::from(der) }
    }

    /// The PKCS#1 `RSAPublicKey` DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Verifies a base64 signature (case-sensitive). Keys of 2048 to 8192 bits.
    pub fn verify(&self, payload: &[u8], signature: &str) -> Result<(), VerifyError> {
        let sig = super::decode_base64(signature)?;
        if !(256..=1024).contains(&sig.len()) {
            return Err(VerifyError::Length { kind: KeyKind::Rsa, found: sig.len(), expected: 256 });
        }
        ring_sig::UnparsedPublicKey::new(&ring_sig::RSA_PKCS1_2048_8192_SHA256, &self.der[..])
            .verify(payload, &sig)
            .map_err(|_| VerifyError::Mismatch)
    }
}

impl fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RsaVerifier({} bytes DER)", self.der.len())
    }
}
