//! # REST and the WebSocket API
//!
//! The same order is signed differently on the two APIs:
//!
//! | | REST | WebSocket API |
//! |---|---|---|
//! | parameters | query string and/or form body, in the order sent | a JSON `params` object |
//! | payload | query + body, percent-encoded | every param but `signature`, **sorted by name**, `name=value&...`, **not** encoded |
//! | API key | `X-MBX-APIKEY` header | `apiKey` param (part of the payload) |
//!
//! ```
//! use mbx_core::Params;
//! use mbx_core::payload::{Placement, RestPayload, ws_api_payload};
//! let p = Params::new().text("symbol", "１２").text("side", "BUY").text("apiKey", "k");
//! assert_eq!(RestPayload::render(&p, Placement::Query).signing_payload(), "symbol=%EF%BC%91%EF%BC%92&side=BUY&apiKey=k");
//! assert_eq!(ws_api_payload(&p), "apiKey=k&side=BUY&symbol=１２");
//! ```
