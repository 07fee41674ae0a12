//! Key loading: PEM files in the formats Binance users have.
//!
//! | PEM label | content | becomes |
//! |---|---|---|
//! | `PRIVATE KEY` | PKCS#8 Ed25519 or RSA private key | [`Signer`] |
//! | `ENCRYPTED PRIVATE KEY` | PKCS#8 encrypted with a passphrase (PBES2: PBKDF2 or scrypt, AES-CBC) | [`Signer`] |
//! | `RSA PRIVATE KEY` | PKCS#1 RSA private key | [`Signer`] |
//! | `PUBLIC KEY` | SPKI Ed25519 or RSA public key | [`Verifier`] |
//! | `RSA PUBLIC KEY` | PKCS#1 RSA public key | [`Verifier`] |
//!
//! New keys: [`generate_ed25519`] (ring) and [`generate_rsa`] (the RustCrypto `rsa` crate, as ring
//! cannot generate RSA keys) give PKCS#8 DER, written out by [`private_key_pem`] (optionally
//! encrypted) and [`public_key_pem`].
//!
//! An HMAC secret is not a PEM file: it is used as given, via [`crate::sign::HmacSigner::new`].
//! Errors say what was found and what is expected.
//!
//! ```
//! let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJhHYeZ2A6RzT1+y0sJtiPPgbYYxLwKC6FvIkfJQeDW0=\n-----END PUBLIC KEY-----\n";
//! let key = mbx_core::keys::load_pem(pem.as_bytes(), None).unwrap();
//! assert_eq!(key.kind(), mbx_core::sign::KeyKind::Ed25519);
//! assert!(!key.is_private());
//! ```

use pkcs8::der::Decode;
use pkcs8::{EncryptedPrivateKeyInfoRef, ObjectIdentifier, PrivateKeyInfoRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use crate::SecretBytes;
use crate::sign::{Ed25519Signer, Ed25519Verifier, KeyKind, RsaSigner, RsaVerifier, Signer, Verifier};

const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// Why a key could not be loaded. Each message names what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text holds no PEM block.
    #[error(
        "found {found}, expected a PEM key (a block starting with -----BEGIN PRIVATE KEY-----, -----BEGIN ENCRYPTED PRIVATE KEY-----, -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PUBLIC KEY-----)"
    )]
    NotPem {
        /// A description of what the text looks like.
        found: String,
    },
    /// A PEM block of a kind mbx does not read.
    #[error(
        "found a PEM block labelled '{label}', expected a PKCS#8 private key, an encrypted PKCS#8 private key, a PKCS#1 RSA key or an SPKI public key{hint}"
    )]
    UnsupportedLabel {
        /// The PEM label.
        label: String,
        /// Advice for well-known labels (starts with "; ").
        hint: String,
    },
    /// A key of an algorithm Binance does not accept.
    #[error("found {found} key, expected an Ed25519 or RSA key (Binance accepts HMAC, Ed25519 and RSA keys)")]
    WrongAlgorithm {
        /// The algorithm found (a name, or the OID).
        found: String,
    },
    /// The file is encrypted and no passphrase was given.
    #[error(
        "found an encrypted private key, expected a passphrase to decrypt it (set MBX_KEY_PASSPHRASE or enter it when asked)"
    )]
    PassphraseRequired,
    /// The passphrase did not decrypt the key.
    #[error(
        "the passphrase does not decrypt this encrypted private key (wrong passphrase, or a corrupted file)"
    )]
    WrongPassphrase,
    /// The key is encrypted with a scheme mbx does not support.
    #[error(
        "found an encrypted private key using {found}, expected PBES2 (as written by `openssl pkcs8 -topk8 -v2 aes-256-cbc`)"
    )]
    UnsupportedEncryption {
        /// The scheme found.
        found: String,
    },
    /// The PEM or DER inside is damaged.
    #[error("found a damaged {what}: {detail}")]
    Malformed {
        /// What was being read.
        what: &'static str,
        /// The decoder's complaint.
        detail: String,
    },
    /// The key decodes but was rejected by the signature library (e.g. RSA key too small).
    #[error("the {kind} key was rejected: {reason}")]
    Rejected {
        /// Key kind.
        kind: KeyKind,
        /// Why.
        reason: String,
    },
    /// A public key was given where a private key is needed, or the reverse.
    #[error("found {found}, expected {expected}")]
    WrongKind {
        /// What the file holds.
        found: String,
        /// What the caller needs.
        expected: &'static str,
    },
}

/// A loaded key: private (can sign) or public (can only verify).
#[derive(Debug, Clone)]
pub enum LoadedKey {
    /// A private key.
    Private(Signer),
    /// A public key.
    Public(Verifier),
}

impl LoadedKey {
    /// Key kind.
    pub fn kind(&self) -> KeyKind {
        match self {
            LoadedKey::Private(s) => s.kind(),
            LoadedKey::Public(v) => v.kind(),
        }
    }

    /// True for a private key.
    pub fn is_private(&self) -> bool {
        matches!(self, LoadedKey::Private(_))
    }

    /// The signer, or an error saying a public key was found.
    pub fn into_signer(self) -> Result<Signer, KeyError> {
        match self {
            LoadedKey::Private(s) => Ok(s),
            LoadedKey::Public(v) => Err(KeyError::WrongKind {
                found: format!("an {} public key", v.kind()),
                expected: "a private key (PRIVATE KEY, ENCRYPTED PRIVATE KEY or RSA PRIVATE KEY) to sign with",
            }),
        }
    }

    /// A verifier: the public key itself, or the public half of a private key.
    pub fn verifier(&self) -> Verifier {
        match self {
            LoadedKey::Private(s) => s.verifier(),
            LoadedKey::Public(v) => v.clone(),
        }
    }
}

/// A new Ed25519 private key as PKCS#8 DER (v1: the seed alone, what OpenSSL and every library
/// read), from the OS's random source.
pub fn generate_ed25519() -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let rng = ring::rand::SystemRandom::new();
    let doc = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| KeyError::Rejected {
        kind: KeyKind::Ed25519,
        reason: "the system random generator is unavailable".into(),
    })?;
    // ring writes PKCS#8 v2 (RFC 5958: the public key too), which OpenSSL 3.0 and Python's
    // cryptography do not read; the key file is written as v1 (RFC 8410: the 32-byte seed alone),
    // as `openssl genpkey -algorithm ed25519` writes it.
    let v2 = doc.as_ref();
    let seed = v2
        .get(ED25519_V2_PREFIX.len()..ED25519_V2_PREFIX.len() + 32)
        .filter(|_| v2.starts_with(&ED25519_V2_PREFIX))
        .ok_or_else(|| KeyError::Rejected {
            kind: KeyKind::Ed25519,
            reason: "unexpected key encoding".into(),
        })?;
    let mut v1 = Zeroizing::new(Vec::with_capacity(ED25519_V1_PREFIX.len() + 32));
    v1.extend_from_slice(&ED25519_V1_PREFIX);
    v1.extend_from_slice(seed);
    Ok(v1)
}

/// PKCS#8 v2 of an Ed25519 key up to its seed (ring's encoding): SEQUENCE, version 1, the
/// algorithm id 1.3.101.112, OCTET STRING (OCTET STRING (32 bytes)).
const ED25519_V2_PREFIX: [u8; 16] =
    [0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
/// PKCS#8 v1 of an Ed25519 key up to its seed (RFC 8410's example): version 0, no public key.
const ED25519_V1_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// RSA key sizes [`generate_rsa`] makes: Binance accepts RSA keys of 2048 bits and more; 3072 and 4096
/// take longer to generate and sign with.
pub const RSA_BITS: [usize; 3] = [2048, 3072, 4096];

/// A new RSA private key of `bits` bits (one of [`RSA_BITS`]) as PKCS#8 DER, public exponent 65537,
/// from the OS's random source. ring cannot generate RSA keys, so the RustCrypto `rsa` crate makes
/// the key; signing with it is ring's, as for every loaded key. Takes a second or more.
pub fn generate_rsa(bits: usize) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    use rsa::pkcs8::EncodePrivateKey;
    let rejected = |reason: String| KeyError::Rejected { kind: KeyKind::Rsa, reason };
    if !RSA_BITS.contains(&bits) {
        return Err(rejected(format!("{bits} bits: choose 2048, 3072 or 4096")));
    }
    let key = rsa::PrivateKey::new(&mut SystemRng(ring::rand::SystemRandom::new()), bits)
        .map_err(|e| rejected(format!("generation failed: {e}")))?;
    let der = key.to_pkcs8_der().map_err(|e| rejected(format!("PKCS#8 encoding failed: {e}")))?;
    Ok(Zeroizing::new(der.as_bytes().to_vec()))
}

/// ring's OS random source, in the shape the `rsa` crate asks for.
struct SystemRng(ring::rand::SystemRandom);

impl rsa::rand_core::TryRng for SystemRng {
    type Error = NoRandomness;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        ring::rand::SecureRandom::fill(&self.0, dst).map_err(|_| NoRandomness)
    }
}

/// The OS random source failed.
#[derive(Debug)]
struct NoRandomness;

impl std::fmt::Display for NoRandomness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the system random generator is unavailable")
    }
}

impl std::error::Error for NoRandomness {}

impl rsa::rand_core::TryCryptoRng for SystemRng {}

/// PBKDF2 rounds for keys mbx encrypts (PBKDF2-HMAC-SHA256, AES-256-CBC, as `openssl pkcs8 -topk8 -v2
/// aes-256-cbc` writes them, with more rounds than OpenSSL's default 2048).
pub const PBKDF2_ROUNDS: u32 = 100_000;

/// A PKCS#8 DER private key as PEM: `PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with `passphrase`.
pub fn private_key_pem(
    pkcs8_der: &[u8],
    passphrase: Option<&SecretBytes>,
) -> Result<Zeroizing<String>, KeyError> {
    use pkcs8::der::pem::LineEnding;
    let malformed = |e: String| KeyError::Malformed { what: "PKCS#8 private key", detail: e };
    let Some(pass) = passphrase else {
        return pkcs8::der::pem::encode_string("PRIVATE KEY", LineEnding::LF, pkcs8_der)
            .map(Zeroizing::new)
            .map_err(|e| malformed(e.to_string()));
    };
    use ring::rand::SecureRandom;
    let rng = ring::rand::SystemRandom::new();
    let (mut salt, mut iv) = ([0u8; 16], [0u8; 16]);
    rng.fill(&mut salt)
        .and_then(|()| rng.fill(&mut iv))
        .map_err(|_| malformed("the system random generator is unavailable".into()))?;
    let params = pkcs8::pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ROUNDS, &salt, iv)
        .map_err(|e| malformed(e.to_string()))?;
    let info = PrivateKeyInfoRef::from_der(pkcs8_der).map_err(|e| malformed(e.to_string()))?;
    let doc = info.encrypt_with_params(params, pass.expose()).map_err(|e| malformed(e.to_string()))?;
    pkcs8::der::pem::encode_string("ENCRYPTED PRIVATE KEY", LineEnding::LF, doc.as_bytes())
        .map(Zeroizing::new)
        .map_err(|e| malformed(e.to_string()))
}

/// The SPKI DER of a public key (what `BEGIN PUBLIC KEY` holds, and what Binance registers).
pub fn public_key_der(verifier: &Verifier) -> Option<Vec<u8>> {
    use pkcs8::der::Encode;
    use pkcs8::der::asn1::{AnyRef, BitStringRef};
    let (oid, params, key): (ObjectIdentifier, Option<AnyRef<'_>>, &[u8]) = match verifier {
        Verifier::Ed25519(v) => (OID_ED25519, None, v.raw()),
        Verifier::Rsa(v) => (OID_RSA, Some(AnyRef::NULL), v.der()),
        Verifier::Hmac(_) => return None,
    };
    let spki = SubjectPublicKeyInfoRef {
        algorithm: pkcs8::AlgorithmIdentifierRef { oid, parameters: params },
        subject_public_key: BitStringRef::from_bytes(key).ok()?,
    };
    spki.to_der().ok()
}

/// The public key as PEM (`BEGIN PUBLIC KEY`), for registering with Binance.
pub fn public_key_pem(verifier: &Verifier) -> Option<String> {
    let der = public_key_der(verifier)?;
    pkcs8::der::pem::encode_string("PUBLIC KEY", pkcs8::der::pem::LineEnding::LF, &der).ok()
}

/// The key's fingerprint: SHA-256 of its SPKI DER, as colon-separated hex, so a key on disk can be
/// compared with the one registered.
///
/// ```
/// let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJhHYeZ2A6RzT1+y0sJtiPPgbYYxLwKC6FvIkfJQeDW0=\n-----END PUBLIC KEY-----\n";
/// let key = mbx_core::keys::load_pem(pem.as_bytes(), None).unwrap();
/// let fp = mbx_core::keys::fingerprint(&key.verifier()).unwrap();
/// assert!(fp.starts_with("SHA256:") && fp.len() == 7 + 32 * 3 - 1);
/// ```
pub fn fingerprint(verifier: &Verifier) -> Option<String> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(public_key_der(verifier)?);
    let hex: Vec<String> = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("SHA256:{}", hex.join(":")))
}

/// The label of the first PEM block in `text` (`"ENCRYPTED PRIVATE KEY"`), if any.
pub fn pem_label(text: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(text).ok()?;
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let end = text[start..].find("-----")?;
    Some(text[start..start + end].to_owned())
}

/// True when `text` is a PEM key that needs a passphrase.
pub fn is_encrypted(text: &[u8]) -> bool {
    pem_label(text).is_some_and(|l| l == "ENCRYPTED PRIVATE KEY" || pem_has_proc_type(text))
}

fn pem_has_proc_type(text: &[u8]) -> bool {
    std::str::from_utf8(text).is_ok_and(|t| t.contains("Proc-Type: 4,ENCRYPTED"))
}

/// Loads the first PEM key in `text`. `passphrase` is needed only for encrypted keys.
pub fn load_pem(text: &[u8], passphrase: Option<&SecretBytes>) -> Result<LoadedKey, KeyError> {
    let Some(label) = pem_label(text) else {
        return Err(KeyError::NotPem { found: describe_non_pem(text) });
    };
    let block = pem_block(text, &label)?;
    let (_, der) = pkcs8::der::pem::decode_vec(block.as_bytes())
        .map_err(|e| KeyError::Malformed { what: "PEM block", detail: e.to_string() })?;
    let der = Zeroizing::new(der);
    match label.as_str() {
        "PRIVATE KEY" => load_pkcs8(&der),
        "ENCRYPTED PRIVATE KEY" => {
            let pass = passphrase.ok_or(KeyError::PassphraseRequired)?;
            let info = EncryptedPrivateKeyInfoRef::from_der(&der)
                .map_err(|e| KeyError::Malformed { what: "encrypted PKCS#8 key", detail: e.to_string() })?;
            if info.encryption_algorithm.pbes2().is_none() {
                return Err(KeyError::UnsupportedEncryption {
                    found: format!("{:?} (PBES1)", info.encryption_algorithm.oid()),
                });
            }
            let doc = info.decrypt(pass.expose()).map_err(|_| KeyError::WrongPassphrase)?;
            load_pkcs8(doc.as_bytes())
        }
        "RSA PRIVATE KEY" => {
            if pem_has_proc_type(text) {
                return Err(KeyError::UnsupportedEncryption {
                    found: "legacy OpenSSL PEM encryption (Proc-Type: 4,ENCRYPTED)".into(),
                });
            }
            RsaSigner::from_pkcs1_der(&der)
                .map(|s| LoadedKey::Private(Signer::Rsa(s)))
                .map_err(|e| KeyError::Rejected { kind: KeyKind::Rsa, reason: e.to_string() })
        }
        "PUBLIC KEY" => load_spki(&der),
        "RSA PUBLIC KEY" => Ok(LoadedKey::Public(Verifier::Rsa(RsaVerifier::from_pkcs1_der(&der)))),
        other => Err(KeyError::UnsupportedLabel { label: shown_label(other), hint: label_hint(other) }),
    }
}

/// Loads a PKCS#8 DER private key (Ed25519 or RSA).
pub fn load_pkcs8(der: &[u8]) -> Result<LoadedKey, KeyError> {
    let info = PrivateKeyInfoRef::from_der(der)
        .map_err(|e| KeyError::Malformed { what: "PKCS#8 private key", detail: e.to_string() })?;
    let oid = info.algorithm.oid;
    if oid == OID_ED25519 {
        Ed25519Signer::from_pkcs8_der(der)
            .map(|s| LoadedKey::Private(Signer::Ed25519(s)))
            .map_err(|e| KeyError::Rejected { kind: KeyKind::Ed25519, reason: e.to_string() })
    } else if oid == OID_RSA {
        RsaSigner::from_pkcs8_der(der)
            .map(|s| LoadedKey::Private(Signer::Rsa(s)))
            .map_err(|e| KeyError::Rejected { kind: KeyKind::Rsa, reason: e.to_string() })
    } else {
        Err(KeyError::WrongAlgorithm { found: algorithm_name(oid) })
    }
}

/// Loads an SPKI DER public key (Ed25519 or RSA).
pub fn load_spki(der: &[u8]) -> Result<LoadedKey, KeyError> {
    let info = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| KeyError::Malformed { what: "SPKI public key", detail: e.to_string() })?;
    let oid = info.algorithm.oid;
    let bits = info.subject_public_key.as_bytes().ok_or_else(|| KeyError::Malformed {
        what: "SPKI public key",
        detail: "the key bit string has unused bits".into(),
    })?;
    if oid == OID_ED25519 {
        if bits.len() != 32 {
            return Err(KeyError::Malformed {
                what: "Ed25519 public key",
                detail: format!("{} bytes, expected 32", bits.len()),
            });
        }
        Ok(LoadedKey::Public(Verifier::Ed25519(Ed25519Verifier::from_raw(bits))))
    } else if oid == OID_RSA {
        Ok(LoadedKey::Public(Verifier::Rsa(RsaVerifier::from_pkcs1_der(bits))))
    } else {
        Err(KeyError::WrongAlgorithm { found: algorithm_name(oid) })
    }
}

fn pem_block<'a>(text: &'a [u8], label: &str) -> Result<&'a str, KeyError> {
    let text = std::str::from_utf8(text)
        .map_err(|_| KeyError::Malformed { what: "PEM file", detail: "not UTF-8 text".into() })?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin).unwrap_or(0);
    let stop = text[start..].find(&end).map(|i| start + i + end.len()).ok_or_else(|| {
        let label = shown_label(label);
        KeyError::Malformed {
            what: "PEM file",
            detail: format!("'-----BEGIN {label}-----' has no matching '-----END {label}-----'"),
        }
    })?;
    Ok(&text[start..stop])
}

/// The label as an error shows it. PEM labels are upper-case words (RFC 7468: `PRIVATE KEY`); other
/// text where the label goes (a key body or a secret pasted after `-----BEGIN `) is not repeated,
/// only counted, so an error message never carries key material.
fn shown_label(label: &str) -> String {
    let label_like = label.len() <= 40
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || matches!(b, b' ' | b'#' | b'.'));
    if label_like {
        label.to_owned()
    } else {
        format!("<{} characters, not a PEM label>", label.chars().count())
    }
}

fn algorithm_name(oid: ObjectIdentifier) -> String {
    match oid {
        o if o == OID_EC => "an EC (ECDSA)".into(),
        o if o == OID_X25519 => "an X25519".into(),
        o if o == OID_ED448 => "an Ed448".into(),
        o => format!("an unknown (OID {o})"),
    }
}

fn label_hint(label: &str) -> String {
    match label {
        "OPENSSH PRIVATE KEY" => "; this is an OpenSSH key: Binance needs a PKCS#8 PEM key (`mbx keygen` or `openssl genpkey -algorithm ed25519` make one)".into(),
        "EC PRIVATE KEY" => "; this is an EC key, which Binance does not accept".into(),
        "CERTIFICATE" => "; this is a certificate, not a key".into(),
        _ => String::new(),
    }
}

fn describe_non_pem(text: &[u8]) -> String {
    let Ok(t) = std::str::from_utf8(text) else {
        return "binary data (DER?)".into();
    };
    let trimmed = t.trim();
    if trimmed.is_empty() {
        "an empty file".into()
    } else if trimmed.starts_with("ssh-ed25519 ") || trimmed.starts_with("ssh-rsa ") {
        "an OpenSSH public key line".into()
    } else if trimmed.len() == 64 && trimmed.bytes().all(|b| b.is_ascii_alphanumeric()) {
        "64 letters and digits, which looks like an HMAC secret or an API key rather than a PEM key".into()
    } else {
        format!("{} bytes of text without a -----BEGIN line", text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ed25519_keys_are_pkcs8_v1_as_openssl_writes_them() {
        let der = generate_ed25519().unwrap();
        assert_eq!((der.len(), &der[..16]), (48, &ED25519_V1_PREFIX[..]));
        let LoadedKey::Private(signer) = load_pkcs8(&der).unwrap() else { panic!("not private") };
        let sig = signer.sign(b"timestamp=1");
        assert!(signer.verifier().verify(b"timestamp=1", sig.as_str()).is_ok());
        assert_ne!(generate_ed25519().unwrap(), der, "a fresh seed each time");
    }

    #[test]
    fn generate_rsa_key_loads_signs_verifies_and_encrypts_like_ed25519() {
        let started = std::time::Instant::now();
        let der = generate_rsa(2048).unwrap();
        eprintln!("2048-bit RSA key generated in {:?}", started.elapsed());
        let key = load_pkcs8(&der).unwrap();
        assert_eq!(key.kind(), KeyKind::Rsa);
        let signer = key.clone().into_signer().unwrap();
        let payload = b"symbol=BTCUSDT&side=BUY&type=LIMIT&timestamp=1499827319559";
        let signature = signer.sign(payload);
        key.verifier().verify(payload, signature.as_str()).unwrap();
        assert!(key.verifier().verify(b"symbol=BTCUSDT&side=SELL", signature.as_str()).is_err());

        // Same files as for Ed25519: PKCS#8 PEM (plain or encrypted) and an SPKI public key.
        let plain = private_key_pem(&der, None).unwrap();
        assert!(plain.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let pass = SecretBytes::from("correct horse".to_owned());
        let encrypted = private_key_pem(&der, Some(&pass)).unwrap();
        assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        let reloaded = load_pem(encrypted.as_bytes(), Some(&pass)).unwrap().into_signer().unwrap();
        assert_eq!(reloaded.sign(payload).as_str(), signature.as_str(), "PKCS#1 v1.5 is deterministic");
        let public = public_key_pem(&key.verifier()).unwrap();
        let public_key = load_pem(public.as_bytes(), None).unwrap();
        assert!(!public_key.is_private());
        public_key.verifier().verify(payload, signature.as_str()).unwrap();
        assert_eq!(fingerprint(&public_key.verifier()), fingerprint(&key.verifier()));

        for bits in [1024, 2047, 8192] {
            let err = generate_rsa(bits).unwrap_err().to_string();
            assert!(err.contains("choose 2048, 3072 or 4096"), "{err}");
        }
    }

    #[test]
    fn load_pem_hmac_secret_text_is_not_pem_and_says_so() {
        let err =
            load_pem(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", None).unwrap_err();
        assert!(err.to_string().contains("looks like an HMAC secret"), "{err}");
    }

    #[test]
    fn load_pem_openssh_label_is_rejected_with_hint() {
        let err =
            load_pem(b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", None)
                .unwrap_err();
        assert!(matches!(err, KeyError::UnsupportedLabel { .. }));
        assert!(err.to_string().contains("OpenSSH"));
    }
}
