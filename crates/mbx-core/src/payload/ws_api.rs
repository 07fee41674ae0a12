//! WebSocket API payloads.

use crate::params::Params;
use crate::sign::{Signature, Signer};

/// The WebSocket API signature payload: every parameter except `signature`, sorted by name,
/// `name=value` joined by `&`, values in UTF-8 without percent-encoding.
///
/// ```
/// use mbx_core::Params;
/// let p = Params::new().text("symbol", "１２").text("apiKey", "k").text("side", "BUY");
/// assert_eq!(mbx_core::payload::ws_api_payload(&p), "apiKey=k&side=BUY&symbol=１２");
/// ```
pub fn ws_api_payload(params: &Params) -> String {
    let mut pairs: Vec<(&str, &str)> = params.iter().filter(|(k, _)| *k != "signature").collect();
    pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Signs `params` for the WebSocket API; returns the payload and its signature.
pub fn sign_ws_api(params: &Params, signer: &Signer) -> (String, Signature) {
    let payload = ws_api_payload(params);
    let sig = signer.sign(payload.as_bytes());
    (payload, sig)
}
