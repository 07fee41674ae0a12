//! The sandbox's signature check (`extract::verify_signature`: payload assembly, percent-decoding
//! and base64 of the signature, and the verification) of an Ed25519 and an RSA-2048 signed request,
//! against the bare ring verification of the same bytes, in paired rounds. Keys are the test keys of
//! `../shared/vectors/`. Run: `cargo bench -p mbx-sandbox --bench verify`.

use std::hint::black_box;

use base64::Engine as _;
use mbx_core::sign::KeyKind;
use mbx_sandbox::extract::verify_signature;
use mbx_sandbox::keys::KeyMaterial;
use ring::signature::{self as ring_sig, KeyPair};

#[path = "../../mbx-core/benches/common/rounds.rs"]
mod rounds;

use rounds::{ROUNDS, paired};

/// The docs' example order, with its timestamp, as the sandbox receives it.
const QUERY: &str = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";

fn vector(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The DER inside a PEM.
fn der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).expect("PEM body")
}

/// A base64 signature as it travels in a query string.
fn query_encoded(raw: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(raw)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!("| ratio (paired, median of {ROUNDS} alternating rounds) | measured | target |");
    println!("|---|---|---|");
    let payload = QUERY.as_bytes();

    let ed =
        ring_sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der(&vector("ed25519-private.pem"))).unwrap();
    let ed_raw = ed.sign(payload);
    let ed_pub = ed.public_key().as_ref().to_vec();
    let ed_verifier =
        KeyMaterial::Public { kind: KeyKind::Ed25519, pem: vector("ed25519-public.pem") }.verifier().unwrap();
    let ed_sent = query_encoded(ed_raw.as_ref());
    assert!(verify_signature(&ed_verifier, QUERY, "", &ed_sent).is_ok());
    paired(
        "sandbox signature check, Ed25519 / ring verify",
        "<= 1.1",
        || verify_signature(&ed_verifier, black_box(QUERY), "", black_box(&ed_sent)).is_ok(),
        || {
            ring_sig::UnparsedPublicKey::new(&ring_sig::ED25519, &ed_pub)
                .verify(black_box(payload), ed_raw.as_ref())
                .is_ok()
        },
    );

    let rsa = ring_sig::RsaKeyPair::from_pkcs8(&der(&vector("rsa-private.pem"))).unwrap();
    let mut rsa_raw = vec![0u8; rsa.public().modulus_len()];
    rsa.sign(&ring_sig::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), payload, &mut rsa_raw).unwrap();
    let rsa_pub = rsa.public_key().as_ref().to_vec();
    let rsa_verifier =
        KeyMaterial::Public { kind: KeyKind::Rsa, pem: vector("rsa-public.pem") }.verifier().unwrap();
    let rsa_sent = query_encoded(&rsa_raw);
    assert!(verify_signature(&rsa_verifier, QUERY, "", &rsa_sent).is_ok());
    paired(
        "sandbox signature check, RSA-2048 / ring verify",
        "<= 1.1",
        || verify_signature(&rsa_verifier, black_box(QUERY), "", black_box(&rsa_sent)).is_ok(),
        || {
            ring_sig::UnparsedPublicKey::new(&ring_sig::RSA_PKCS1_2048_8192_SHA256, &rsa_pub)
                .verify(black_box(payload), &rsa_raw)
                .is_ok()
        },
    );
}
