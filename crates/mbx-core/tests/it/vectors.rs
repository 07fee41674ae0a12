//! Every entry of `shared/vectors/vectors.json` is reproduced by our signer and accepted by our verifier.

use mbx_core::Params;
use mbx_core::payload::{Placement, RestPayload, sign_ws_api, ws_api_payload};

use crate::support::{public_verifier, signer, vectors};

#[test]
fn vectors_rest_raw_query_and_body_give_payload_and_signature() {
    for v in vectors().iter().filter(|v| v.transport == "rest") {
        let payload = RestPayload::from_raw(&v.query, &v.body);
        assert_eq!(payload.signing_payload(), v.payload, "{}", v.name);
        let signed = payload.sign(&signer(&v.key));
        assert_eq!(signed.signature().as_str(), v.signature, "{}", v.name);
        assert_eq!(signed.signature().url_encoded(), v.signature_urlencoded, "{}", v.name);
        let expected_tail = format!("signature={}", v.signature_urlencoded);
        let carrier = if v.body.is_empty() { signed.query() } else { signed.body() };
        assert!(carrier.ends_with(&expected_tail), "{}: {carrier}", v.name);
    }
}

#[test]
fn vectors_rest_typed_params_render_the_sent_query() {
    for v in vectors().iter().filter(|v| v.transport == "rest") {
        let query_params = Params::parse_query(&v.query).unwrap();
        let body_params = Params::parse_query(&v.body).unwrap();
        let n_query = query_params.len();
        let mut all = query_params;
        for (k, val) in body_params.iter() {
            all.push(k.to_owned(), val.to_owned());
        }
        let placement = if v.body.is_empty() {
            Placement::Query
        } else if v.query.is_empty() {
            Placement::Body
        } else {
            Placement::Split(n_query)
        };
        let rendered = RestPayload::render(&all, placement);
        assert_eq!(rendered.query(), v.query, "{}", v.name);
        assert_eq!(rendered.body(), v.body, "{}", v.name);
        assert_eq!(rendered.signing_payload(), v.payload, "{}", v.name);
    }
}

#[test]
fn vectors_ws_api_sorted_payload_and_signature() {
    for v in vectors().iter().filter(|v| v.transport == "wsapi") {
        // Build the params in reverse order: the payload must come out sorted regardless.
        let mut params = Params::new();
        for pair in v.payload.split('&').rev() {
            let (k, val) = pair.split_once('=').unwrap();
            params.push(k.to_owned(), val.to_owned());
        }
        params.push("signature", "ignored");
        assert_eq!(ws_api_payload(&params), v.payload, "{}", v.name);
        let (payload, sig) = sign_ws_api(&params, &signer(&v.key));
        assert_eq!(payload, v.payload);
        assert_eq!(sig.as_str(), v.signature, "{}", v.name);
    }
}

#[test]
fn vectors_verifiers_accept_expected_signatures() {
    for v in vectors() {
        let verifier = public_verifier(&v.key);
        assert_eq!(verifier.verify(v.payload.as_bytes(), &v.signature), Ok(()), "{}", v.name);
        // The signer's own verifier (public half of the private key) agrees.
        assert_eq!(
            signer(&v.key).verifier().verify(v.payload.as_bytes(), &v.signature),
            Ok(()),
            "{}",
            v.name
        );
    }
}

#[test]
fn vectors_hmac_verification_is_case_insensitive_base64_is_not() {
    for v in vectors() {
        let verifier = public_verifier(&v.key);
        let upper = v.signature.to_uppercase();
        let result = verifier.verify(v.payload.as_bytes(), &upper);
        if v.key == "hmac" {
            assert_eq!(result, Ok(()), "{}", v.name);
        } else {
            assert!(result.is_err(), "{}: upper-cased base64 must not verify", v.name);
        }
    }
}

#[test]
fn vectors_docs_non_ascii_symbol_is_percent_encoded_upper_hex() {
    let p = Params::new().text("symbol", "１２３４５６");
    assert_eq!(
        RestPayload::render(&p, Placement::Query).query(),
        "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"
    );
    let p = Params::new().text("symbol", "这是测试币456");
    assert_eq!(
        RestPayload::render(&p, Placement::Query).query(),
        "symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456"
    );
}
