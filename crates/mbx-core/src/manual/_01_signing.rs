//! # Signing
//!
//! A signed REST request carries its API key in the `X-MBX-APIKEY` header and a `signature` parameter
//! computed over the **payload**: the query string, immediately followed by the form body (no `&`
//! between them), exactly as sent, percent-encoded. Non-ASCII characters are percent-encoded as UTF-8
//! before signing (`１` is `%EF%BC%91`).
//!
//! | key type | algorithm | signature text |
//! |---|---|---|
//! | HMAC | HMAC-SHA256 with the secret's bytes | 64 hex digits (either case accepted) |
//! | Ed25519 | Ed25519 | base64, then percent-encoded in the request |
//! | RSA | PKCS#1 v1.5 with SHA-256 | base64, then percent-encoded in the request |
//!
//! mbx renders the parameters once and signs the very string it sends, so the two cannot differ:
//!
//! ```
//! use mbx_core::{Params, payload::{Placement, RestPayload}, sign::{HmacSigner, Signer}};
//! let signer = Signer::Hmac(HmacSigner::new(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));
//! let params = Params::new()
//!     .text("symbol", "LTCBTC").text("side", "BUY").text("type", "LIMIT").text("timeInForce", "GTC")
//!     .int("quantity", 1).text("price", "0.1").int("recvWindow", 5000).int("timestamp", 1_499_827_319_559u64);
//! // Query and body: the signed payload is their concatenation, here split after 4 parameters.
//! let signed = RestPayload::render(&params, Placement::Split(4)).sign(&signer);
//! assert_eq!(signed.query(), "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC");
//! assert_eq!(signed.payload(), "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
//! assert!(signed.body().ends_with("&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"));
//! ```
//!
//! The secret is used exactly as Binance showed it: never trimmed, base64- or hex-decoded, or re-cased.
//! When a signature does not verify, [`crate::diagnose`] searches what was signed instead.
