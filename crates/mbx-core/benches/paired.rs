//! Paired ratio measurement for a shared, noisy machine: each pair (ours, peer or floor) is timed in
//! alternating short rounds, and the median of the per-round ratios is reported with its interquartile
//! range. Drift in machine load hits both sides of a round alike and cancels out, which sequential
//! criterion runs cannot guarantee. Run: `cargo bench -p mbx-core --bench paired`.

use std::hint::black_box;

use mbx_core::Params;
use mbx_core::payload::{Placement, RestPayload};
use mbx_core::sign::{HmacSigner, Signer};
use ring::signature::{self as ring_sig, KeyPair};

const SECRET: &[u8] = b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const PAYLOAD: &str = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
#[path = "common/rounds.rs"]
mod rounds;

use rounds::{ROUNDS, paired};

fn vector_key(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors").join(name);
    let pem = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pkcs8::der::pem::decode_vec(&pem).expect("PEM").1
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let payload = PAYLOAD.as_bytes();
    println!("| ratio (paired, median of {ROUNDS} alternating rounds) | measured | target |");
    println!("|---|---|---|");

    let blocks = [[0x5au8; 64]; 3];
    let iv: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let compress3 = || {
        let mut s = black_box(iv);
        sha2::block_api::compress256(&mut s, black_box(&blocks));
        s
    };
    let hmac = HmacSigner::new(SECRET);
    paired("HMAC-SHA256 hex / 3 SHA-256 compressions", "<= 1.6", || hmac.sign(black_box(payload)), compress3);
    paired("HMAC-SHA256 raw MAC / 3 SHA-256 compressions", "-", || hmac.mac(black_box(payload)), compress3);
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET);
    paired(
        "ring HMAC, no hex (peer) / 3 SHA-256 compressions",
        "(peer)",
        || ring::hmac::sign(&ring_key, black_box(payload)),
        compress3,
    );

    let signer = Signer::Hmac(HmacSigner::new(SECRET));
    let params = Params::new()
        .text("symbol", "LTCBTC")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "1")
        .text("price", "0.1")
        .text("recvWindow", "5000")
        .text("timestamp", "1499827319559");
    assert_eq!(RestPayload::render(&params, Placement::Query).signing_payload(), PAYLOAD);
    paired(
        "8 params -> signed query / HMAC signature",
        "<= 2.5 (stretch 2)",
        || RestPayload::render(black_box(&params), Placement::Query).sign(&signer),
        || signer.sign(black_box(payload)),
    );

    // The same step with the parameters built inside the measurement, with typed constructors as a client
    // builds them (classification for encoding happens at insertion, so it is counted here).
    paired(
        "build 8 typed params + signed query / HMAC signature",
        "(context)",
        || {
            let p = Params::new()
                .text("symbol", "LTCBTC")
                .text("side", "BUY")
                .text("type", "LIMIT")
                .text("timeInForce", "GTC")
                .int("quantity", 1)
                .decimal("price", rust_decimal::Decimal::new(1, 1))
                .int("recvWindow", 5000)
                .int("timestamp", 1_499_827_319_559u64);
            RestPayload::render(black_box(&p), Placement::Query).sign(&signer)
        },
        || signer.sign(black_box(payload)),
    );

    let ed_der = vector_key("ed25519-private.pem");
    let ring_ed = ring_sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&ed_der).unwrap();
    let ours_ed = mbx_core::keys::load_pkcs8(&ed_der).unwrap().into_signer().unwrap();
    paired(
        "Ed25519 sign, base64 / ring sign",
        "<= 1.1",
        || ours_ed.sign(black_box(payload)),
        || ring_ed.sign(black_box(payload)),
    );
    let ed_sig = ours_ed.sign(payload);
    let ed_raw = ring_ed.sign(payload);
    let ed_pub = ring_ed.public_key().as_ref().to_vec();
    let ed_verifier = ours_ed.verifier();
    paired(
        "Ed25519 verify, base64 / ring verify",
        "<= 1.1",
        || ed_verifier.verify(black_box(payload), ed_sig.as_str()),
        || {
            ring_sig::UnparsedPublicKey::new(&ring_sig::ED25519, &ed_pub)
                .verify(black_box(payload), ed_raw.as_ref())
        },
    );

    let rsa_der = vector_key("rsa-private.pem");
    let ring_rsa = ring_sig::RsaKeyPair::from_pkcs8(&rsa_der).unwrap();
    let ours_rsa = mbx_core::keys::load_pkcs8(&rsa_der).unwrap().into_signer().unwrap();
    let rng = ring::rand::SystemRandom::new();
    paired(
        "RSA-2048 sign, base64 / ring sign",
        "<= 1.1",
        || ours_rsa.sign(black_box(payload)),
        || {
            let mut sig = vec![0u8; ring_rsa.public().modulus_len()];
            ring_rsa.sign(&ring_sig::RSA_PKCS1_SHA256, &rng, black_box(payload), &mut sig).unwrap();
            sig
        },
    );
    let rsa_sig = ours_rsa.sign(payload);
    let mut rsa_raw = vec![0u8; ring_rsa.public().modulus_len()];
    ring_rsa.sign(&ring_sig::RSA_PKCS1_SHA256, &rng, payload, &mut rsa_raw).unwrap();
    let rsa_pub = ring_rsa.public_key().as_ref().to_vec();
    let rsa_verifier = ours_rsa.verifier();
    paired(
        "RSA-2048 verify, base64 / ring verify",
        "<= 1.1",
        || rsa_verifier.verify(black_box(payload), rsa_sig.as_str()),
        || {
            ring_sig::UnparsedPublicKey::new(&ring_sig::RSA_PKCS1_2048_8192_SHA256, &rsa_pub)
                .verify(black_box(payload), &rsa_raw)
        },
    );
}
