//! mbx-core's parameter and payload parsers: query strings (`Params::parse_query`), the sandbox's
//! query/body reader (`accept::decode_pairs`, `accept::merge`, `accept::form_body`), percent
//! decoding, `payload::split_signature` and `RestPayload::from_raw`, and the endpoint checks on the
//! pairs read (`recvWindow`, each parameter's shape).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mbx_core::accept::{self, Target};
use mbx_core::endpoint::{self, Method};
use mbx_core::payload::{RestPayload, split_signature};
use mbx_core::{Params, encode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The first line picks the path (to reach an endpoint's checks); the rest is query '\n' body.
    let (path, rest) = text.split_once('\n').unwrap_or(("/api/v3/order", text));
    let (query, body) = rest.split_once('\n').unwrap_or((rest, ""));

    if let Ok(decoded) = encode::percent_decode(query) {
        // Encoding what was decoded and decoding it again gives it back.
        assert_eq!(encode::percent_decode(&encode::percent_encode(&decoded)).ok(), Some(decoded));
    }
    if let Ok(params) = Params::parse_query(query) {
        for (name, value) in params.iter() {
            let _ = (name.len(), value.len());
        }
    }
    let _ = split_signature(query);
    let payload = RestPayload::from_raw(query, body);
    let _ = payload.signing_payload();

    for method in ["GET", "POST", "PUT", "DELETE"] {
        let body = accept::form_body(method, Some("application/x-www-form-urlencoded"), body);
        let (Ok(q), Ok(b)) =
            (accept::decode_pairs(query, "query string"), accept::decode_pairs(body, "body"))
        else {
            continue;
        };
        let params = accept::merge(q, b);
        let _ = accept::recv_window(&params);
        let m = match method {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            _ => Method::Delete,
        };
        if let Some(e) = endpoint::find(m, path) {
            let _ = accept::check_params(Target::of(e), &params);
            let _ = accept::check_unread(Target::of(e), &params);
        }
    }
});
