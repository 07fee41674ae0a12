//! HMAC-SHA256, hex.

use std::fmt;

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use super::{KeyKind, Repr, Signature, VerifyError};

type HmacSha256 = hmac::Hmac<Sha256>;

/// An HMAC-SHA256 key with its keyed state precomputed once; each signature clones that state, so
/// the secret is never re-derived per request. `Debug` never shows the secret, and the hash states
/// holding key material are zeroed on drop.
///
/// ```
/// let s = mbx_core::sign::HmacSigner::new(b"secret");
/// assert_eq!(format!("{s:?}"), "HmacSigner(<redacted>)");
/// ```
#[derive(Clone)]
pub struct HmacSigner {
    keyed: HmacSha256,
}

impl HmacSigner {
    /// Prepares `secret`, used byte for byte as given (never trimmed, decoded or re-cased).
    pub fn new(secret: &[u8]) -> Self {
        // HMAC accepts keys of any length (long keys are hashed first), so this cannot fail.
        let keyed = <HmacSha256 as KeyInit>::new_from_slice(secret)
            .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()));
        Self { keyed }
    }

    /// The raw 32-byte MAC of `payload`.
    pub fn mac(&self, payload: &[u8]) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(payload);
        mac.finalize().into_bytes().into()
    }

    /// Signs `payload`: lowercase hex of the MAC.
    pub fn sign(&self, payload: &[u8]) -> Signature {
        Signature(Repr::Hex(hex_lower(&self.mac(payload))))
    }

    /// Verifies a hex signature, accepting either case (Binance: HMAC signatures are not
    /// case-sensitive). Comparison is constant-time.
    pub fn verify(&self, payload: &[u8], signature: &str) -> Result<(), VerifyError> {
        let tag = decode_hex_32(signature)?;
        let mut mac = self.keyed.clone();
        mac.update(payload);
        mac.verify_slice(&tag).map_err(|_| VerifyError::Mismatch)
    }

    /// The key kind (always HMAC).
    pub fn kind(&self) -> KeyKind {
        KeyKind::Hmac
    }
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacSigner(<redacted>)")
    }
}

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of 32 bytes into a stack buffer.
#[inline]
pub(crate) fn hex_lower(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = HEX_LOWER[(b >> 4) as usize];
        out[2 * i + 1] = HEX_LOWER[(b & 0x0F) as usize];
    }
    out
}

fn decode_hex_32(s: &str) -> Result<[u8; 32], VerifyError> {
    let bytes = s.as_bytes();
    let bad = |detail: String| VerifyError::Encoding { expected: "hex", detail };
    if let Some(pos) = bytes.iter().position(|b| !b.is_ascii_hexdigit()) {
        return Err(bad(format!("character {:?} at position {pos} is not a hex digit", char_at(s, pos))));
    }
    if bytes.len() != 64 {
        return Err(VerifyError::Length { kind: KeyKind::Hmac, found: bytes.len() / 2, expected: 32 });
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = nibble(pair[0]) << 4 | nibble(pair[1]);
    }
    Ok(out)
}

fn char_at(s: &str, byte_pos: usize) -> char {
    s[s.floor_char_boundary(byte_pos)..].chars().next().unwrap_or('?')
}

fn nibble(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}
