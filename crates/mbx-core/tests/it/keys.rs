//! Key loading: every format named in the foundation issue, and clear errors.

use mbx_core::keys::{self, KeyError};
use mbx_core::sign::KeyKind;

use crate::support::{passphrase, read, signer};

const ED25519_PAYLOAD: &str = "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918&recvWindow=5000";

#[test]
fn encrypted_ed25519_loads_with_correct_horse_and_signs_like_plain_key() {
    let pem = read("ed25519-private-encrypted.pem");
    assert!(keys::is_encrypted(&pem));
    let key = keys::load_pem(&pem, Some(&passphrase("correct-horse"))).unwrap();
    assert_eq!(key.kind(), KeyKind::Ed25519);
    let s = key.into_signer().unwrap();
    assert_eq!(s.sign(ED25519_PAYLOAD.as_bytes()), signer("ed25519").sign(ED25519_PAYLOAD.as_bytes()));
}

#[test]
fn encrypted_ed25519_wrong_or_missing_passphrase_fails_clearly() {
    let pem = read("ed25519-private-encrypted.pem");
    for wrong in ["", "correct-horse ", "Correct-horse", "battery-staple"] {
        let err = keys::load_pem(&pem, Some(&passphrase(wrong))).unwrap_err();
        assert_eq!(err, KeyError::WrongPassphrase, "{wrong:?}");
        assert!(err.to_string().contains("passphrase"));
    }
    assert_eq!(keys::load_pem(&pem, None).unwrap_err(), KeyError::PassphraseRequired);
}

#[test]
fn rsa_pkcs1_private_key_loads_and_signs_like_pkcs8() {
    use pkcs8::der::Decode;
    // PKCS#8 wraps the PKCS#1 RSAPrivateKey: unwrap it and write it as `BEGIN RSA PRIVATE KEY`.
    let pem = read("rsa-private.pem");
    let (_, der) = pkcs8::der::pem::decode_vec(&pem).unwrap();
    let info = pkcs8::PrivateKeyInfoRef::from_der(&der).unwrap();
    let pkcs1 = info.private_key.as_bytes();
    let pkcs1_pem = pkcs8::der::pem::encode_string("RSA PRIVATE KEY", pkcs8::LineEnding::LF, pkcs1).unwrap();
    let key = keys::load_pem(pkcs1_pem.as_bytes(), None).unwrap();
    assert_eq!(key.kind(), KeyKind::Rsa);
    let s = key.into_signer().unwrap();
    assert_eq!(s.sign(ED25519_PAYLOAD.as_bytes()), signer("rsa").sign(ED25519_PAYLOAD.as_bytes()));
}

#[test]
fn public_key_where_private_needed_says_found_and_expected() {
    let err = keys::load_pem(&read("ed25519-public.pem"), None).unwrap().into_signer().unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("found an ed25519 public key"), "{msg}");
    assert!(msg.contains("expected a private key"), "{msg}");
}

#[test]
fn ec_key_is_wrong_algorithm() {
    let rng = ring::rand::SystemRandom::new();
    let der = ring::signature::EcdsaKeyPair::generate_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &rng,
    )
    .unwrap();
    let pem = pkcs8::der::pem::encode_string("PRIVATE KEY", pkcs8::LineEnding::LF, der.as_ref()).unwrap();
    let err = keys::load_pem(pem.as_bytes(), None).unwrap_err();
    assert!(matches!(err, KeyError::WrongAlgorithm { .. }), "{err}");
    assert!(err.to_string().contains("EC"), "{err}");
}

#[test]
fn truncated_pem_is_malformed_not_panic() {
    let pem = read("rsa-private.pem");
    let text = String::from_utf8(pem).unwrap();
    let cut = text.replace(&text[100..400], "");
    assert!(keys::load_pem(cut.as_bytes(), None).is_err());
    let no_end = &text[..text.len() - 30];
    assert!(matches!(keys::load_pem(no_end.as_bytes(), None), Err(KeyError::Malformed { .. })));
}

#[test]
fn generated_ed25519_roundtrips_plain_and_encrypted_pem_and_public_pem_matches_vectors_format() {
    let der = keys::generate_ed25519().unwrap();
    let plain = keys::private_key_pem(&der, None).unwrap();
    let signer = keys::load_pem(plain.as_bytes(), None).unwrap().into_signer().unwrap();
    let enc = keys::private_key_pem(&der, Some(&passphrase("s3cret"))).unwrap();
    assert!(enc.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let again = keys::load_pem(enc.as_bytes(), Some(&passphrase("s3cret"))).unwrap().into_signer().unwrap();
    assert_eq!(signer.sign(b"x"), again.sign(b"x"));
    assert_eq!(
        keys::load_pem(enc.as_bytes(), Some(&passphrase("nope"))).unwrap_err(),
        KeyError::WrongPassphrase
    );
    // The public PEM loads back to the same key, and the vectors' public PEMs re-encode byte for byte.
    let public = keys::public_key_pem(&signer.verifier()).unwrap();
    assert_eq!(
        keys::load_pem(public.as_bytes(), None).unwrap().verifier().verify(b"x", signer.sign(b"x").as_str()),
        Ok(())
    );
    for kind in ["ed25519", "rsa"] {
        let text = String::from_utf8(read(&format!("{kind}-public.pem"))).unwrap();
        let v = keys::load_pem(text.as_bytes(), None).unwrap().verifier();
        assert_eq!(keys::public_key_pem(&v).unwrap(), text, "{kind}");
        assert_eq!(
            keys::fingerprint(&v),
            keys::fingerprint(&crate::support::signer(kind).verifier()),
            "{kind}"
        );
    }
}
