//! Test keys: the demo HMAC key, and the Ed25519 / RSA keys in `../shared/vectors` (OpenSSL-made test
//! keys that protect nothing).

use std::path::PathBuf;

use mbx_core::keys::load_pem;
use mbx_core::sign::{HmacSigner, KeyKind, Signer};

pub use mbx_sandbox::seed::{DEMO_API_KEY, DEMO_SECRET_KEY};

/// A made-up Spot Testnet key pair, for the doctor's "key of another environment" cases (its
/// `generate.py` holds the same pair).
pub const TESTNET_API_KEY: &str = "HAZt9xslXTTIQrh6bpy0VAq3GZuO2R8UziJdi0Y4mj4TIJZ9RnvIh4TOetAfG82E";
/// The secret of [`TESTNET_API_KEY`].
pub const TESTNET_SECRET_KEY: &str = "OMjRZA0G6vbBxKd5WVwd9ExLXa3zphJn9pH9xdreYrmVM1JIJ5iqQt6wukvg6KLY";

/// `shared/vectors` beside the repository (override the `shared` directory with `MBX_SHARED_DIR`).
pub fn vectors_dir() -> PathBuf {
    let shared = std::env::var_os("MBX_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("vectors");
    assert!(dir.is_dir(), "signing vectors not found at {} (set MBX_SHARED_DIR)", dir.display());
    dir
}

/// A file of the vectors directory, as text.
pub fn read_vector_file(name: &str) -> String {
    let path = vectors_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The demo key's signer (HMAC with the documentation's secret).
pub fn demo_signer() -> Signer {
    Signer::Hmac(HmacSigner::new(DEMO_SECRET_KEY.as_bytes()))
}

/// The private key of `kind` from the vectors (`hmac` gives the demo signer).
pub fn signer(kind: KeyKind) -> Signer {
    match kind {
        KeyKind::Hmac => demo_signer(),
        KeyKind::Ed25519 | KeyKind::Rsa => {
            let name = format!("{kind}-private.pem");
            load_pem(read_vector_file(&name).as_bytes(), None)
                .and_then(|k| k.into_signer())
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        }
    }
}

/// The public key PEM of `kind` (`ed25519` or `rsa`) from the vectors, for `POST /sandbox/v1/keys`.
pub fn public_pem(kind: KeyKind) -> String {
    read_vector_file(&format!("{kind}-public.pem"))
}
