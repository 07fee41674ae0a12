//! Nothing panics on input: arbitrary text through every parser and the diagnosis engine.

use mbx_core::diagnose::{Context, RequestRecord, diagnose};
use mbx_core::time::{RecvWindow, Timestamp};
use mbx_core::{Params, SecretBytes, keys};
use proptest::prelude::*;

use crate::support::{DOCS_SECRET, signer};

fn request_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        // Mostly well-formed shapes with arbitrary pieces, to reach deep paths.
        (
            "[A-Z]{0,7}",
            "[ -~]{0,80}",
            prop::collection::vec(("[ -~]{0,20}", "[ -~]{0,70}"), 0..5),
            any::<String>()
        )
            .prop_map(|(m, target, headers, body)| {
                let mut s = format!("{m} /api/v3/order?{target} HTTP/1.1\r\n");
                for (k, v) in headers {
                    s.push_str(&format!("{k}: {v}\r\n"));
                }
                s.push_str("\r\n");
                s.push_str(&body);
                s
            }),
    ]
}

fn curl_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        ("[ -~]{0,60}", "[ -~]{0,40}", "[ -~]{0,40}").prop_map(|(q, h, d)| format!(
            "curl -H '{h}' 'https://api.binance.com/api/v3/order?{q}' -d \"{d}\""
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn parsers_and_doctor_never_panic_on_http(raw in request_text()) {
        if let Ok(r) = RequestRecord::from_http(&raw) {
            let ctx = Context::hmac(SecretBytes::from(DOCS_SECRET)).at(Timestamp::Millis(1_499_827_319_559));
            let d = diagnose(&r, &ctx);
            // The verdict is acceptance, a documented Binance code, or an HTTP answer without one (404,
            // 405 for a path or method Binance does not serve).
            let code = d.verdict.code;
            prop_assert!(code == 0 || [-404, -405].contains(&code) || mbx_core::ErrorCode(code).entry().is_some());
            let _ = d.to_json();
        }
    }

    #[test]
    fn parsers_and_doctor_never_panic_on_curl(raw in curl_text()) {
        if let Ok(r) = RequestRecord::from_curl(&raw) {
            let ctx = Context::key(signer("ed25519").verifier()).at(Timestamp::Millis(1_499_827_319_559));
            let _ = diagnose(&r, &ctx);
        }
    }

    #[test]
    fn query_timing_and_key_parsers_never_panic(s in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Params::parse_query(&s);
        let _ = Timestamp::parse(&s);
        let _ = RecvWindow::parse(&s);
        let _ = keys::load_pem(s.as_bytes(), None);
        let _ = keys::load_pem(&bytes, Some(&SecretBytes::from("x")));
        let mut pem = b"-----BEGIN PRIVATE KEY-----\n".to_vec();
        pem.extend_from_slice(&bytes);
        pem.extend_from_slice(b"\n-----END PRIVATE KEY-----\n");
        let _ = keys::load_pem(&pem, None);
        for kind in ["hmac", "ed25519", "rsa"] {
            let _ = signer(kind).verifier().verify(&bytes, &s);
        }
    }
}
