//! Payloads: the exact bytes that are sent and the exact bytes that are signed, rendered once.
//!
//! * REST ([`RestPayload`]): the query string and the form body are percent-encoded `name=value` pairs
//!   joined by `&`; the signed payload is the query string followed directly by the body (no separator
//!   between them). Both come out of one rendering, so what is signed can never differ from what is
//!   sent. The signature is appended last, to the body when there is one, otherwise to the query.
//! * WebSocket API ([`ws_api_payload`]): all parameters except `signature`, sorted by name, joined as
//!   `name=value` with `&`, values in UTF-8, *not* percent-encoded.

mod rest;
mod ws_api;

pub use rest::{
    Placement, RestPayload, SignedRest, signature_last, split_signature, split_signature_borrowed,
};
pub use ws_api::{sign_ws_api, ws_api_payload};
