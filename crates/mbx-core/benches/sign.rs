//! Signing benchmarks. Every group measures its own floor in the same run; BENCHMARKS.md records the
//! ratios (see `scripts/bench-ratios`), never absolute times, because the machine is shared and noisy.
//!
//! * `hmac`: three raw SHA-256 compressions (the floor: a 110-byte payload needs exactly three once the
//!   keyed state is precomputed) vs our HMAC-SHA256 with hex, vs ring's HMAC (no hex).
//! * `signed_query`: 8 parameters to the signed query string vs the HMAC signature alone, and vs a plain
//!   concatenation of the pairs (no encoding, no signing).
//! * `ed25519` / `rsa`: our sign/verify (with base64) vs the bare ring call.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mbx_core::Params;
use mbx_core::payload::{Placement, RestPayload};
use mbx_core::sign::{HmacSigner, Signer};
use ring::signature::{self as ring_sig, KeyPair};

const SECRET: &[u8] = b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const DOCS_PAYLOAD: &str = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";

fn docs_params() -> Params {
    Params::new()
        .text("symbol", "LTCBTC")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "1")
        .text("price", "0.1")
        .text("recvWindow", "5000")
        .text("timestamp", "1499827319559")
}

fn hmac(c: &mut Criterion) {
    assert_eq!(DOCS_PAYLOAD.len(), 110);
    let mut g = c.benchmark_group("hmac");
    let blocks = [[0x5au8; 64]; 3];
    let init: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    g.bench_function("floor_sha256_compress_x3", |b| {
        b.iter(|| {
            let mut state = black_box(init);
            sha2::block_api::compress256(&mut state, black_box(&blocks));
            state
        })
    });
    g.bench_function("floor_sha256_compress_1x3_calls", |b| {
        b.iter(|| {
            let mut state = black_box(init);
            for blk in black_box(&blocks) {
                sha2::block_api::compress256(&mut state, std::slice::from_ref(blk));
            }
            state
        })
    });
    let signer = HmacSigner::new(SECRET);
    g.bench_function("mbx_mac_raw", |b| b.iter(|| signer.mac(black_box(DOCS_PAYLOAD.as_bytes()))));
    let mac = signer.mac(DOCS_PAYLOAD.as_bytes());
    g.bench_function("hex_only", |b| b.iter(|| mbx_core::encode::hex_lower_32(black_box(&mac))));
    g.bench_function("mbx_hmac_hex", |b| b.iter(|| signer.sign(black_box(DOCS_PAYLOAD.as_bytes()))));
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET);
    g.bench_function("ring_hmac_no_hex", |b| {
        b.iter(|| ring::hmac::sign(&ring_key, black_box(DOCS_PAYLOAD.as_bytes())))
    });
    g.finish();
}

fn signed_query(c: &mut Criterion) {
    let mut g = c.benchmark_group("signed_query");
    let signer = Signer::Hmac(HmacSigner::new(SECRET));
    let params = docs_params();
    let expected = RestPayload::render(&params, Placement::Query).sign(&signer);
    assert_eq!(expected.payload(), DOCS_PAYLOAD);
    g.bench_function("hmac_signature_only", |b| b.iter(|| signer.sign(black_box(DOCS_PAYLOAD.as_bytes()))));
    g.bench_function("mbx_params_to_signed_query", |b| {
        b.iter(|| RestPayload::render(black_box(&params), Placement::Query).sign(&signer))
    });
    g.bench_function("floor_plain_concat", |b| {
        b.iter(|| {
            let p = black_box(&params);
            let mut s = String::with_capacity(256);
            for (i, (k, v)) in p.iter().enumerate() {
                if i > 0 {
                    s.push('&');
                }
                s.push_str(k);
                s.push('=');
                s.push_str(v);
            }
            s
        })
    });
    g.finish();
}

fn read_vector_key(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors").join(name);
    let pem = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pkcs8::der::pem::decode_vec(&pem).expect("PEM").1
}

fn asymmetric(c: &mut Criterion) {
    let payload = DOCS_PAYLOAD.as_bytes();

    let ed_der = read_vector_key("ed25519-private.pem");
    let ring_ed = ring_sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&ed_der).unwrap();
    let ours_ed = mbx_core::keys::load_pkcs8(&ed_der).unwrap().into_signer().unwrap();
    let ed_sig = ours_ed.sign(payload);
    let ed_raw = ring_ed.sign(payload);
    let ed_pub = ring_ed.public_key().as_ref().to_vec();
    let ed_verifier = ours_ed.verifier();
    let mut g = c.benchmark_group("ed25519");
    g.bench_function("ring_sign", |b| b.iter(|| ring_ed.sign(black_box(payload))));
    g.bench_function("mbx_sign_base64", |b| b.iter(|| ours_ed.sign(black_box(payload))));
    g.bench_function("ring_verify", |b| {
        b.iter(|| {
            ring_sig::UnparsedPublicKey::new(&ring_sig::ED25519, &ed_pub)
                .verify(black_box(payload), ed_raw.as_ref())
        })
    });
    g.bench_function("mbx_verify_base64", |b| {
        b.iter(|| ed_verifier.verify(black_box(payload), ed_sig.as_str()))
    });
    g.finish();

    let rsa_der = read_vector_key("rsa-private.pem");
    let ring_rsa = ring_sig::RsaKeyPair::from_pkcs8(&rsa_der).unwrap();
    let ours_rsa = mbx_core::keys::load_pkcs8(&rsa_der).unwrap().into_signer().unwrap();
    let rng = ring::rand::SystemRandom::new();
    let rsa_sig = ours_rsa.sign(payload);
    let mut rsa_raw = vec![0u8; ring_rsa.public().modulus_len()];
    ring_rsa.sign(&ring_sig::RSA_PKCS1_SHA256, &rng, payload, &mut rsa_raw).unwrap();
    let rsa_pub = ring_rsa.public_key().as_ref().to_vec();
    let rsa_verifier = ours_rsa.verifier();
    let mut g = c.benchmark_group("rsa2048");
    g.sample_size(30);
    g.bench_function("ring_sign", |b| {
        b.iter(|| {
            let mut sig = vec![0u8; ring_rsa.public().modulus_len()];
            ring_rsa.sign(&ring_sig::RSA_PKCS1_SHA256, &rng, black_box(payload), &mut sig).unwrap();
            sig
        })
    });
    g.bench_function("mbx_sign_base64", |b| b.iter(|| ours_rsa.sign(black_box(payload))));
    g.bench_function("ring_verify", |b| {
        b.iter(|| {
            ring_sig::UnparsedPublicKey::new(&ring_sig::RSA_PKCS1_2048_8192_SHA256, &rsa_pub)
                .verify(black_box(payload), &rsa_raw)
        })
    });
    g.bench_function("mbx_verify_base64", |b| {
        b.iter(|| rsa_verifier.verify(black_box(payload), rsa_sig.as_str()))
    });
    g.finish();
}

criterion_group!(benches, hmac, signed_query, asymmetric);
criterion_main!(benches);
