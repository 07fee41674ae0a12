//! No secret in any output of mbx-core (issue 19): `Debug` (`{:?}` and `{:#?}`) and `Display` of
//! every type that holds a secret, the `Display` and `Debug` of every key-loading error, and no panic
//! (so no panic message) on hostile keys, passphrases, secrets, payloads or signatures.
//!
//! A secret is searched for in every form a careless formatter gives it: as it is, percent-encoded,
//! hex, base64, as a byte list, and for PEM keys each body line and the private key's DER bytes.

use std::fmt::Debug;
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use mbx_core::diagnose::{Context, OtherKey};
use mbx_core::keys::{self, KeyError};
use mbx_core::sign::{HmacSigner, Signer, Verifier};
use mbx_core::{ApiKey, SecretBytes};
use proptest::prelude::*;

use crate::support::{DOCS_SECRET, read};

/// The passphrase of `ed25519-private-encrypted.pem` (shared/vectors/README.md).
const PASSPHRASE: &str = "correct-horse";

/// Every form of `secret` (bytes) a formatter could print.
fn byte_forms(secret: &[u8]) -> Vec<String> {
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let mut forms = vec![
        hex.clone(),
        hex.to_uppercase(),
        base64::engine::general_purpose::STANDARD.encode(secret),
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(secret),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
        format!("{secret:?}").trim_matches(['[', ']']).to_owned(),
    ];
    if let Ok(text) = std::str::from_utf8(secret) {
        forms.push(text.to_owned());
        forms.push(text.trim().to_owned());
        forms.push(mbx_core::encode::percent_encode(text));
    }
    forms
}

/// Every form of a PEM private key: its body lines, the whole body, the key's DER bytes.
fn pem_forms(pem: &str) -> Vec<String> {
    let mut forms: Vec<String> =
        pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 16).map(str::to_owned).collect();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()).expect("PEM body");
    // The last 32 bytes hold the private key (the head is the public algorithm identifier).
    forms.extend(byte_forms(&der[der.len() - 32..]).into_iter().filter(|f| f.len() >= 16));
    forms.push(body);
    forms
}

/// Every secret of these tests, with its forms.
fn secrets() -> Vec<(&'static str, Vec<String>)> {
    let text = |name: &str| String::from_utf8(read(name)).unwrap();
    vec![
        ("the HMAC secret", byte_forms(DOCS_SECRET.as_bytes())),
        ("the passphrase", byte_forms(PASSPHRASE.as_bytes())),
        ("the Ed25519 private key", pem_forms(&text("ed25519-private.pem"))),
        ("the RSA private key", pem_forms(&text("rsa-private.pem"))),
        ("the encrypted Ed25519 key", pem_forms(&text("ed25519-private-encrypted.pem"))),
    ]
}

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for (name, forms) in secrets() {
        for form in forms.iter().filter(|f| f.len() >= 8) {
            assert!(!text.contains(form.as_str()), "{what} shows {name}: {text}");
        }
    }
}

fn signer_of(file: &str, pass: Option<&str>) -> Signer {
    let pass = pass.map(SecretBytes::from);
    keys::load_pem(&read(file), pass.as_ref()).unwrap().into_signer().unwrap()
}

#[test]
fn debug_of_every_type_holding_a_secret_hides_it() {
    let hmac = Signer::Hmac(HmacSigner::new(DOCS_SECRET.as_bytes()));
    let ed = signer_of("ed25519-private.pem", None);
    let rsa = signer_of("rsa-private.pem", None);
    let encrypted = signer_of("ed25519-private-encrypted.pem", Some(PASSPHRASE));
    let other = OtherKey {
        label: "profile 'testnet'".into(),
        venue: None,
        api_key: None,
        secret: Some(SecretBytes::from(DOCS_SECRET)),
        verifier: Some(ed.verifier()),
    };
    let mut doctor = Context::hmac(SecretBytes::from(DOCS_SECRET));
    doctor.others.push(other.clone());
    let table: Vec<(&str, Box<dyn Debug>)> = vec![
        ("SecretBytes (secret)", Box::new(SecretBytes::from(DOCS_SECRET))),
        ("SecretBytes (passphrase)", Box::new(SecretBytes::from(PASSPHRASE))),
        ("SecretBytes (DER)", Box::new(SecretBytes::new(read("ed25519-private.pem")))),
        ("HmacSigner", Box::new(HmacSigner::new(DOCS_SECRET.as_bytes()))),
        ("Signer::Hmac", Box::new(hmac.clone())),
        ("Signer::Ed25519", Box::new(ed.clone())),
        ("Signer::Rsa", Box::new(rsa.clone())),
        ("Signer (encrypted key)", Box::new(encrypted)),
        ("Verifier::Hmac", Box::new(hmac.verifier())),
        ("Verifier::Ed25519", Box::new(ed.verifier())),
        ("LoadedKey (Ed25519)", Box::new(keys::load_pem(&read("ed25519-private.pem"), None).unwrap())),
        ("LoadedKey (RSA)", Box::new(keys::load_pem(&read("rsa-private.pem"), None).unwrap())),
        ("diagnose::Context", Box::new(doctor)),
        ("diagnose::OtherKey", Box::new(other)),
        ("ApiKey", Box::new(ApiKey::new(DOCS_SECRET))),
        ("Option<SecretBytes>", Box::new(Some(SecretBytes::from(DOCS_SECRET)))),
    ];
    for (name, value) in &table {
        assert_no_secret(&format!("{name} {{:?}}"), &format!("{value:?}"));
        assert_no_secret(&format!("{name} {{:#?}}"), &format!("{value:#?}"));
    }
    // Display of the secret holders that have one.
    assert_no_secret("SecretBytes Display", &SecretBytes::from(DOCS_SECRET).to_string());
    assert_no_secret("ApiKey Display", &ApiKey::new(DOCS_SECRET).to_string());
    // And each still says what it is.
    assert_eq!(format!("{:?}", SecretBytes::from(PASSPHRASE)), "SecretBytes(<redacted, 13 bytes>)");
    assert!(format!("{rsa:?}").contains("2048 bits"), "{rsa:?}");
}

/// PEM text with the body of `file` under another label.
fn relabel(file: &str, label: &str) -> Vec<u8> {
    let text = String::from_utf8(read(file)).unwrap();
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("-----")).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", body.join("\n")).into_bytes()
}

/// `file` with the byte at `at` of its body replaced.
fn damaged(file: &str, at: usize, with: u8) -> Vec<u8> {
    let mut bytes = read(file);
    let start = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let at = start + at % (bytes.len() - start - 40);
    bytes[at] = with;
    bytes
}

#[test]
fn key_errors_never_echo_secret_material() {
    let pass = |p: &str| Some(SecretBytes::from(p));
    let secret_padded = format!("  {DOCS_SECRET} \n");
    let ed_text = String::from_utf8(read("ed25519-private.pem")).unwrap();
    let ed_body: String = ed_text.lines().filter(|l| !l.starts_with("-----")).collect();
    let cases: Vec<(&str, Vec<u8>, Option<SecretBytes>)> = vec![
        ("an HMAC secret given as a key file", DOCS_SECRET.as_bytes().to_vec(), None),
        ("a secret with whitespace", secret_padded.clone().into_bytes(), None),
        ("a wrong passphrase", read("ed25519-private-encrypted.pem"), pass("correct-horse-battery")),
        (
            "the passphrase with a trailing newline",
            read("ed25519-private-encrypted.pem"),
            pass("correct-horse\n"),
        ),
        ("the HMAC secret as a passphrase", read("ed25519-private-encrypted.pem"), pass(DOCS_SECRET)),
        ("no passphrase", read("ed25519-private-encrypted.pem"), None),
        ("a damaged body", damaged("ed25519-private.pem", 10, b'!'), None),
        ("a damaged RSA body", damaged("rsa-private.pem", 300, b'*'), None),
        ("a damaged encrypted body", damaged("ed25519-private-encrypted.pem", 50, b'#'), pass(PASSPHRASE)),
        (
            "a body without its END line",
            ed_text.lines().take(2).collect::<Vec<_>>().join("\n").into_bytes(),
            None,
        ),
        ("an Ed25519 key labelled RSA", relabel("ed25519-private.pem", "RSA PRIVATE KEY"), None),
        ("an RSA key labelled public", relabel("rsa-private.pem", "PUBLIC KEY"), None),
        ("an RSA key labelled OpenSSH", relabel("rsa-private.pem", "OPENSSH PRIVATE KEY"), None),
        ("the secret as a PEM label", relabel("ed25519-private.pem", DOCS_SECRET), None),
        ("the body as a PEM label", format!("-----BEGIN {ed_body}-----\nAAAA\n").into_bytes(), None),
        ("the body without a BEGIN line", ed_body.clone().into_bytes(), None),
        ("the body as DER bytes", base64::engine::general_purpose::STANDARD.decode(&ed_body).unwrap(), None),
        ("the encrypted key labelled plain", relabel("ed25519-private-encrypted.pem", "PRIVATE KEY"), None),
    ];
    for (case, input, passphrase) in &cases {
        let err = match keys::load_pem(input, passphrase.as_ref()) {
            Err(e) => e,
            Ok(k) => panic!("{case}: loaded a {} key", k.kind()),
        };
        assert_no_secret(&format!("{case}: Display"), &err.to_string());
        assert_no_secret(&format!("{case}: Debug"), &format!("{err:?} {err:#?}"));
    }
    // A public key where a private key is needed (Ed25519 public key, RSA public key).
    for file in ["ed25519-public.pem", "rsa-public.pem"] {
        let err = keys::load_pem(&read(file), None).unwrap().into_signer().unwrap_err();
        assert!(matches!(err, KeyError::WrongKind { .. }), "{err:?}");
    }
    // DER loaders: the private key bytes passed to the SPKI reader, and the reverse.
    let der = base64::engine::general_purpose::STANDARD.decode(&ed_body).unwrap();
    let err = keys::load_spki(&der).unwrap_err();
    assert_no_secret("load_spki of a private key", &format!("{err} {err:?}"));
    let mut bad = der.clone();
    bad.truncate(der.len() - 3);
    let err = keys::load_pkcs8(&bad).unwrap_err();
    assert_no_secret("load_pkcs8 of a truncated key", &format!("{err} {err:?}"));
}

/// Panic messages seen since the recording hook was installed (once per process; it still calls
/// the previous hook, so other tests' failures are printed as usual).
fn recorded_panics() -> &'static Mutex<Vec<String>> {
    static SEEN: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    SEEN.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(seen) = SEEN.get() {
                seen.lock().unwrap_or_else(|e| e.into_inner()).push(info.to_string());
            }
            previous(info);
        }));
        Mutex::new(Vec::new())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Key loading, signing and verifying with hostile input never panic: no panic message can
    /// carry a secret in scope. Each call runs under `catch_unwind` with a recording panic hook.
    #[test]
    fn hostile_keys_passphrases_and_payloads_never_panic(
        file in prop::sample::select(vec!["ed25519-private.pem", "rsa-private.pem", "ed25519-private-encrypted.pem"]),
        at in 0usize..4000,
        with in any::<u8>(),
        cut in 0usize..4000,
        passphrase in prop::collection::vec(any::<u8>(), 0..80),
        secret in prop::collection::vec(any::<u8>(), 0..200),
        payload in prop::collection::vec(any::<u8>(), 0..300),
        signature in ".{0,120}",
    ) {
        let panics = recorded_panics();
        let before = panics.lock().unwrap_or_else(|e| e.into_inner()).len();
        let outcome = std::panic::catch_unwind(|| {
            let pass = SecretBytes::new(passphrase.clone());
            let _ = keys::load_pem(&damaged(file, at, with), Some(&pass));
            let whole = read(file);
            let _ = keys::load_pem(&whole[..cut.min(whole.len())], Some(&pass));
            let _ = keys::load_pem(&whole, Some(&pass));
            let hmac = Signer::Hmac(HmacSigner::new(&secret));
            let signature_made = hmac.sign(&payload);
            let _ = hmac.verifier().verify(&payload, &signature);
            let _ = hmac.verifier().verify(&payload, signature_made.as_str());
            for key in [signer_of("ed25519-private.pem", None), signer_of("rsa-private.pem", None)] {
                let _ = key.verifier().verify(&payload, &signature);
                let _ = key.sign(&payload);
            }
            let _ = Verifier::Hmac(HmacSigner::new(&secret)).verify(&payload, &signature);
        });
        let seen = panics.lock().unwrap_or_else(|e| e.into_inner())[before..].to_vec();
        prop_assert!(outcome.is_ok(), "panicked: {seen:?}");
        for message in &seen {
            assert_no_secret("a panic message", message);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The doctor, given the user's secret, never shows it, wherever the request put it (a
    /// parameter, the API key header, the body, a WebSocket API frame's `apiKey` or a parameter) and
    /// whatever the secret looks like.
    #[test]
    fn the_doctor_never_shows_the_users_secret(
        secret in "[A-Za-z0-9]{12,64}",
        name in "[a-zA-Z]{1,12}",
        place in 0usize..4,
        signed_with_it in any::<bool>(),
    ) {
        use mbx_core::diagnose::{RequestRecord, diagnose, diagnose_ws};
        use mbx_core::time::Timestamp;
        let ctx = Context::hmac(SecretBytes::from(secret.as_str())).at(Timestamp::Millis(1_700_000_000_000));
        let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
        let mut query = "symbol=BTCUSDT&timestamp=1700000000000".to_owned();
        let (mut headers, mut body) = (vec![("X-MBX-APIKEY".to_owned(), key.to_owned())], String::new());
        match place {
            0 => query = format!("{name}={secret}&{query}"),
            1 => headers[0].1 = secret.clone(),
            2 => body = format!("{name}={secret}"),
            _ => headers.push((name.clone(), secret.clone())),
        }
        let signer = HmacSigner::new(if signed_with_it { secret.as_bytes() } else { b"another" });
        let signature = signer.sign(format!("{query}{body}").as_bytes());
        let url = format!("https://api.binance.com/api/v3/order?{query}&signature={signature}");
        let record = RequestRecord::new("POST", &url, headers, &body).unwrap();
        let shown = diagnose(&record, &ctx).to_json().to_string();
        prop_assert!(!shown.contains(&secret), "REST diagnosis shows the secret: {shown}");
        let frame = serde_json::json!({"id": 1, "method": "order.place", "params": {
            "apiKey": if place == 1 { secret.as_str() } else { key },
            "symbol": "BTCUSDT", name.as_str(): secret.as_str(), "timestamp": 1_700_000_000_000u64,
            "signature": signature.as_str(),
        }});
        let shown = diagnose_ws(&frame.to_string(), None, &ctx).to_json().to_string();
        prop_assert!(!shown.contains(&secret), "WebSocket API diagnosis shows the secret: {shown}");
    }
}
