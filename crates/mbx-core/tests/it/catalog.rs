//! The error catalog matches errors.md where mbx depends on it.

use mbx_core::error::catalog::ENTRIES;
use mbx_core::{ApiError, ErrorCode};

#[test]
fn catalog_codes_and_names_are_unique() {
    let mut codes: Vec<i32> = ENTRIES.iter().map(|e| e.code.get()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), ENTRIES.len());
    let mut names: Vec<&str> = ENTRIES.iter().map(|e| e.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ENTRIES.len());
    assert!(ENTRIES.iter().all(|e| !e.messages.is_empty() && !e.fix.is_empty()));
}

#[test]
fn catalog_auth_codes_have_binance_messages_and_status() {
    let cases = [
        (ErrorCode::BAD_API_KEY_FMT, 401, "API-key format invalid."),
        (ErrorCode::REJECTED_MBX_KEY, 401, "Invalid API-key, IP, or permissions for action."),
        (ErrorCode::INVALID_SIGNATURE, 400, "Signature for this request is not valid."),
        (ErrorCode::INVALID_TIMESTAMP, 400, "Timestamp for this request is outside of the recvWindow."),
        (ErrorCode::TOO_MANY_REQUESTS, 429, "Too many requests queued."),
    ];
    for (code, status, msg) in cases {
        let e = ApiError::new(code);
        assert_eq!((e.http_status, e.msg.as_str()), (status, msg), "{code:?}");
    }
}

#[test]
fn catalog_unknown_outcome_codes_are_5xx() {
    for code in [ErrorCode::UNEXPECTED_RESP, ErrorCode::TIMEOUT] {
        assert!(code.is_unknown_outcome());
        assert!(ApiError::new(code).http_status >= 500, "{code:?}");
    }
    assert!(!ErrorCode::INVALID_SIGNATURE.is_unknown_outcome());
}

#[test]
fn catalog_unknown_code_survives_decoding() {
    let e = ApiError::from_response(400, br#"{"code":-9999,"msg":"new"}"#).unwrap();
    assert_eq!(e.code, ErrorCode(-9999));
    assert_eq!(format!("{:?}", e.code), "ErrorCode(-9999)");
    assert!(ApiError::from_response(500, b"<html>").is_err());
}

#[test]
fn catalog_filter_and_engine_messages_present() {
    let e = ErrorCode::INVALID_MESSAGE.entry().unwrap();
    assert!(e.messages.contains(&"Filter failure: LOT_SIZE"));
    let e = ErrorCode::NEW_ORDER_REJECTED.entry().unwrap();
    assert!(e.messages.contains(&"Account has insufficient balance for requested action."));
    let e = ErrorCode::CANCEL_REJECTED.entry().unwrap();
    assert!(e.messages.contains(&"Unknown order sent."));
    // The four engine codes share the same engine messages after their own.
    let engine: Vec<&[&str]> = [
        ErrorCode::ERROR_MSG_RECEIVED,
        ErrorCode::NEW_ORDER_REJECTED,
        ErrorCode::CANCEL_REJECTED,
        ErrorCode::ORDER_AMEND_REJECTED,
    ]
    .iter()
    .map(|c| &c.entry().unwrap().messages[1..])
    .collect();
    assert!(engine[0].len() >= 40 && engine.iter().all(|m| *m == engine[0]));
}
