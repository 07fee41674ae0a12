//! Access to `../shared/vectors`, the OpenSSL-made signing vectors.

use std::path::PathBuf;

use mbx_core::SecretBytes;
use mbx_core::keys::{self, LoadedKey};
use mbx_core::sign::{HmacSigner, Signer};

/// The documentation's example HMAC secret (a test key that protects nothing).
pub const DOCS_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// `shared/vectors`, beside the repository (override with `MBX_SHARED_DIR`).
pub fn vectors_dir() -> PathBuf {
    let shared = std::env::var_os("MBX_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("vectors");
    assert!(dir.is_dir(), "signing vectors not found at {} (set MBX_SHARED_DIR)", dir.display());
    dir
}

pub fn read(name: &str) -> Vec<u8> {
    std::fs::read(vectors_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[derive(serde::Deserialize, Debug, Clone)]
pub struct Vector {
    pub name: String,
    pub key: String,
    pub transport: String,
    pub query: String,
    pub body: String,
    pub payload: String,
    pub signature: String,
    pub signature_urlencoded: String,
}

pub fn vectors() -> Vec<Vector> {
    let v: Vec<Vector> = serde_json::from_slice(&read("vectors.json")).expect("vectors.json parses");
    assert!(v.len() >= 11, "expected at least 11 vectors, found {}", v.len());
    v
}

pub fn load(name: &str) -> LoadedKey {
    keys::load_pem(&read(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn signer(kind: &str) -> Signer {
    match kind {
        "hmac" => Signer::Hmac(HmacSigner::new(DOCS_SECRET.as_bytes())),
        "ed25519" => load("ed25519-private.pem").into_signer().unwrap(),
        "rsa" => load("rsa-private.pem").into_signer().unwrap(),
        other => panic!("unknown key kind {other}"),
    }
}

pub fn public_verifier(kind: &str) -> mbx_core::Verifier {
    match kind {
        "hmac" => signer("hmac").verifier(),
        "ed25519" => load("ed25519-public.pem").verifier(),
        "rsa" => load("rsa-public.pem").verifier(),
        other => panic!("unknown key kind {other}"),
    }
}

pub fn passphrase(s: &str) -> SecretBytes {
    SecretBytes::from(s)
}
