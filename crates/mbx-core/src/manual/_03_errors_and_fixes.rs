//! # Errors and fixes
//!
//! | code | message | usual cause | fix |
//! |---|---|---|---|
//! | -2014 | API-key format invalid. | key in a query parameter, in `Authorization`, quoted, or truncated | send it alone in `X-MBX-APIKEY` |
//! | -2015 | Invalid API-key, IP, or permissions for action. | unknown key, IP not whitelisted, permission missing | check the key's restrictions |
//! | -1022 | Signature for this request is not valid. | signed JSON, another order or encoding, before `timestamp` was added, a decoded secret | sign exactly the bytes sent |
//! | -1021 | Timestamp for this request is outside of the recvWindow. | clock drift, seconds instead of ms | sync the clock, send ms |
//! | -1102 | Mandatory parameter '...' was not sent, was empty/null, or malformed. | no `timestamp`/`signature`, a JSON body | send form or query parameters |
//! | -1013 | Filter failure: ... | price or quantity off the symbol's grid | round to tick and step sizes |
//!
//! Every code is in [`crate::error::catalog`] with its HTTP status, every documented message, and a fix:
//!
//! ```
//! use mbx_core::ErrorCode;
//! let entry = ErrorCode::BAD_API_KEY_FMT.entry().unwrap();
//! assert_eq!((entry.http_status, entry.message()), (401, "API-key format invalid."));
//! assert!(entry.fix.contains("X-MBX-APIKEY"));
//! ```
