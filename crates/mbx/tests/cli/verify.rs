//! `mbx verify`.

use crate::support::*;

fn verify_cmd(key: &str, public: bool) -> assert_cmd::Command {
    match key {
        "hmac" => {
            let mut c = mbx_hmac();
            c.arg("verify");
            c
        }
        kind => {
            let mut c = mbx();
            let file = if public { format!("{kind}-public.pem") } else { format!("{kind}-private.pem") };
            c.arg("--key-file").arg(private_copy(&file)).arg("verify");
            c
        }
    }
}

#[test]
fn verify_every_vector_payload_with_public_and_private_keys() {
    for v in vectors() {
        for public in [true, false] {
            let out = verify_cmd(&v.key, public)
                .args(["--payload", &v.payload, "--signature", &v.signature])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{} {}", v.name, String::from_utf8_lossy(&out.stdout));
        }
    }
}

#[test]
fn verify_every_rest_vector_as_full_url_and_body() {
    for v in vectors().into_iter().filter(|v| v.transport == "rest") {
        let (query, body) = if v.body.is_empty() {
            (format!("{}&signature={}", v.query, v.signature_urlencoded), String::new())
        } else {
            (v.query.clone(), format!("{}&signature={}", v.body, v.signature_urlencoded))
        };
        let url = format!("https://api.binance.com/api/v3/order?{query}");
        let out = json(verify_cmd(&v.key, true).args(["--url", &url, "--body", &body]));
        assert_eq!(out["valid"], true, "{}", v.name);
        assert_eq!(out["payload"], v.payload.as_str(), "{}", v.name);
    }
}

#[test]
fn verify_tampered_payload_is_invalid_and_names_checked_payload() {
    let v = vectors().into_iter().find(|v| v.name == "rest-hmac-ascii-query").unwrap();
    let tampered = v.payload.replace("BUY", "SELL");
    let out = verify_cmd("hmac", true)
        .args(["--payload", &tampered, "--signature", &v.signature])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("invalid"), "{text}");
    assert!(text.contains(&tampered), "{text}");
}

#[test]
fn verify_ws_api_name_value_arguments() {
    let v = vectors().into_iter().find(|v| v.name == "wsapi-ed25519-ascii").unwrap();
    let out = verify_cmd("ed25519", true)
        .args(v.payload.split('&'))
        .arg(format!("signature={}", v.signature))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}
