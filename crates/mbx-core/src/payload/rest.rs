//! REST payloads.

use std::borrow::Cow;

use crate::encode::percent_encode_into;
use crate::params::Params;
use crate::sign::{Signature, Signer};

/// Where the parameters of a REST request go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// All in the query string (required for `GET`; the usual choice for every method).
    #[default]
    Query,
    /// All in an `application/x-www-form-urlencoded` body.
    Body,
    /// The first `n` parameters in the query string, the rest in the body.
    Split(usize),
}

/// A rendered, unsigned REST payload: query string and form body in one buffer.
///
/// ```
/// use mbx_core::{Params, payload::{Placement, RestPayload}};
/// let p = Params::new().text("symbol", "１２").text("side", "BUY");
/// let r = RestPayload::render(&p, Placement::Split(1));
/// assert_eq!(r.query(), "symbol=%EF%BC%91%EF%BC%92");
/// assert_eq!(r.body(), "side=BUY");
/// assert_eq!(r.signing_payload(), "symbol=%EF%BC%91%EF%BC%92side=BUY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestPayload {
    /// Query string followed by body.
    buf: String,
    /// Where the body starts.
    split: usize,
}

/// Room kept for `&signature=` and a base64 RSA-4096 signature, so signing does not reallocate.
const SIGNATURE_ROOM: usize = 12 + 64;

impl RestPayload {
    /// Renders `params` in order, percent-encoding names and values.
    pub fn render(params: &Params, placement: Placement) -> Self {
        let in_query = match placement {
            Placement::Query => usize::MAX,
            Placement::Body => 0,
            Placement::Split(n) => n,
        };
        // Clean pairs (known at insertion to need no encoding) are copied; others are encoded.
        let estimate: usize = params
            .iter_classified()
            .map(|(k, v, clean)| (if clean { 1 } else { 3 }) * (k.len() + v.len()) + 2)
            .sum();
        let mut buf = String::with_capacity(estimate + SIGNATURE_ROOM);
        let mut split = 0;
        for (i, (name, value, clean)) in params.iter_classified().enumerate() {
            if i == in_query {
                split = buf.len();
            } else if i > 0 {
                buf.push('&');
            }
            if clean {
                buf.push_str(name);
                buf.push('=');
                buf.push_str(value);
            } else {
                percent_encode_into(name, &mut buf);
                buf.push('=');
                percent_encode_into(value, &mut buf);
            }
        }
        if in_query >= params.len() {
            split = buf.len();
        }
        Self { buf, split }
    }

    /// Takes a query string and body exactly as they will be sent (already percent-encoded).
    pub fn from_raw(query: &str, body: &str) -> Self {
        let mut buf = String::with_capacity(query.len() + body.len() + SIGNATURE_ROOM);
        buf.push_str(query);
        buf.push_str(body);
        Self { buf, split: query.len() }
    }

    /// The query string (without `?`).
    pub fn query(&self) -> &str {
        &self.buf[..self.split]
    }

    /// The form body.
    pub fn body(&self) -> &str {
        &self.buf[self.split..]
    }

    /// What Binance verifies: the query string immediately followed by the body.
    pub fn signing_payload(&self) -> &str {
        &self.buf
    }

    /// Signs the payload and appends `signature=` (URL-encoded) to the body if there is one, otherwise
    /// to the query string.
    pub fn sign(self, signer: &Signer) -> SignedRest {
        let signature = signer.sign(self.buf.as_bytes());
        self.attach(signature)
    }

    /// Appends an already computed `signature` (for reproducing what another client sent).
    pub fn attach(mut self, signature: Signature) -> SignedRest {
        let payload_len = self.buf.len();
        let body_present = self.split < payload_len;
        if !self.buf.is_empty() {
            self.buf.push('&');
        }
        self.buf.push_str("signature=");
        self.buf.push_str(&signature.url_encoded());
        if !body_present {
            self.split = self.buf.len();
        }
        SignedRest { buf: self.buf, split: self.split, payload_len, signature }
    }
}

/// A signed REST request's query string and body.
///
/// ```
/// use mbx_core::{Params, payload::{Placement, RestPayload}, sign::{HmacSigner, Signer}};
/// let signer = Signer::Hmac(HmacSigner::new(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"));
/// let p = Params::new().text("symbol", "LTCBTC").text("side", "BUY").text("type", "LIMIT")
///     .text("timeInForce", "GTC").text("quantity", "1").text("price", "0.1")
///     .text("recvWindow", "5000").text("timestamp", "1499827319559");
/// let signed = RestPayload::render(&p, Placement::Query).sign(&signer);
/// assert!(signed.query().ends_with("&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"));
/// assert_eq!(signed.body(), "");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRest {
    buf: String,
    split: usize,
    payload_len: usize,
    signature: Signature,
}

impl SignedRest {
    /// The query string to put after `?` (may hold the signature).
    pub fn query(&self) -> &str {
        &self.buf[..self.split]
    }

    /// The form body (may hold the signature).
    pub fn body(&self) -> &str {
        &self.buf[self.split..]
    }

    /// The exact bytes that were signed.
    pub fn payload(&self) -> &str {
        &self.buf[..self.payload_len]
    }

    /// The signature as produced (not URL-encoded).
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// `path?query`, or `path` when the query is empty.
    pub fn path_and_query(&self, path: &str) -> String {
        if self.query().is_empty() { path.to_owned() } else { format!("{path}?{}", self.query()) }
    }
}

/// Whether a raw query string or body that holds a `signature` pair holds it last, as Binance
/// needs: it takes the signature from the end of the query string or body, so a signature followed
/// by other parameters (a URL builder that sorts them: Go's `url.Values.Encode`, a `BTreeMap`) is
/// `-1022`. Trailing `&`s are not pairs. True when there is no signature pair.
///
/// ```
/// use mbx_core::payload::signature_last;
/// assert!(signature_last("symbol=BTCUSDT&timestamp=1&signature=ab"));
/// assert!(!signature_last("signature=ab&symbol=BTCUSDT&timestamp=1"));
/// assert!(signature_last("timestamp=1"));
/// ```
pub fn signature_last(raw: &str) -> bool {
    let raw = raw.trim_end_matches('&');
    let last = raw.rfind('&').map_or(raw, |at| &raw[at + 1..]);
    last.starts_with("signature=") || !raw.split('&').any(|pair| pair.starts_with("signature="))
}

/// Splits the `signature` parameter out of a raw query string or body, as Binance reads it: returns the
/// text without the `signature=...` pair (and its `&`) and every raw signature value found, in order.
///
/// ```
/// let (rest, sigs) = mbx_core::payload::split_signature("a=1&signature=ab%2B&b=2");
/// assert_eq!(rest, "a=1&b=2");
/// assert_eq!(sigs, vec!["ab%2B"]);
/// ```
pub fn split_signature(raw: &str) -> (String, Vec<&str>) {
    let (kept, sigs) = split_signature_borrowed(raw);
    (kept.into_owned(), sigs)
}

/// [`split_signature`], borrowing the text without the signature when it is a prefix of `raw`
/// (the signature is the last pair, as every client sends it): no copy of the payload.
///
/// ```
/// use std::borrow::Cow;
/// let (rest, sigs) = mbx_core::payload::split_signature_borrowed("a=1&signature=ab");
/// assert!(matches!(rest, Cow::Borrowed("a=1")) && sigs == ["ab"]);
/// let (rest, _) = mbx_core::payload::split_signature_borrowed("signature=ab&a=1");
/// assert_eq!(rest, "a=1");
/// ```
pub fn split_signature_borrowed(raw: &str) -> (Cow<'_, str>, Vec<&str>) {
    const NAME: &str = "signature=";
    // What every client sends: one signature, the last pair, and no other pair named so before it
    // (the name nowhere else in the text, most often, which one search tells).
    let (head, last) = match raw.rfind('&') {
        Some(at) => (&raw[..at], &raw[at + 1..]),
        None => ("", raw),
    };
    if let Some(sig) = last.strip_prefix(NAME)
        && (!head.contains(NAME) || !head.split('&').any(|pair| pair.starts_with(NAME)))
    {
        return (Cow::Borrowed(head), vec![sig]);
    }
    // Otherwise the pairs other than `signature` are kept as they are, empty ones included, so the
    // text is the raw text less the signature pairs.
    let mut kept = String::with_capacity(raw.len());
    let mut sigs = Vec::new();
    let mut first = true;
    for segment in raw.split('&') {
        match segment.strip_prefix(NAME) {
            Some(sig) => sigs.push(sig),
            None => {
                if !first {
                    kept.push('&');
                }
                first = false;
                kept.push_str(segment);
            }
        }
    }
    (Cow::Owned(kept), sigs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_payload_body_only_puts_signature_in_body() {
        let p = Params::new().text("a", "1");
        let signer = Signer::Hmac(crate::sign::HmacSigner::new(b"k"));
        let s = RestPayload::render(&p, Placement::Body).sign(&signer);
        assert_eq!(s.query(), "");
        assert!(s.body().starts_with("a=1&signature="));
        assert_eq!(s.payload(), "a=1");
    }

    #[test]
    fn rest_payload_empty_params_signature_has_no_leading_ampersand() {
        let signer = Signer::Hmac(crate::sign::HmacSigner::new(b"k"));
        let s = RestPayload::render(&Params::new(), Placement::Query).sign(&signer);
        assert!(s.query().starts_with("signature="));
        assert_eq!(s.payload(), "");
    }

    #[test]
    fn rest_payload_split_zero_query_params_has_empty_query() {
        let p = Params::new().text("a", "1").text("b", "2");
        let r = RestPayload::render(&p, Placement::Split(0));
        assert_eq!((r.query(), r.body()), ("", "a=1&b=2"));
        let r = RestPayload::render(&p, Placement::Split(2));
        assert_eq!((r.query(), r.body()), ("a=1&b=2", ""));
    }

    #[test]
    fn split_signature_keeps_every_other_pair_as_sent() {
        for raw in [
            "a=1&signature=x",
            "&signature=x",
            "a=1&&signature=x",
            "a=1&signature=",
            "a=1&xsignature=2&signature=x",
            "a=1&signature=x&signature=y",
            "signature=x&a=1&signature=y",
            "a=signature=1",
            "a=1&b=signature=x",
            "&a=1&signature=x",
            "&a=1&signature=x&b=2",
            "a=1&",
            "",
        ] {
            let (kept, sigs) = split_signature(raw);
            assert_eq!(split_signature_borrowed(raw), (kept.as_str().into(), sigs.clone()), "{raw}");
            // The pair-by-pair reading, spelled out.
            let mut want_kept: Vec<&str> = Vec::new();
            let mut want_sigs = Vec::new();
            for seg in raw.split('&') {
                match seg.strip_prefix("signature=") {
                    Some(sig) => want_sigs.push(sig),
                    None => want_kept.push(seg),
                }
            }
            assert_eq!((kept, sigs), (want_kept.join("&"), want_sigs), "{raw}");
        }
    }

    #[test]
    fn split_signature_leading_and_only() {
        assert_eq!(split_signature("signature=x&a=1"), ("a=1".to_owned(), vec!["x"]));
        assert_eq!(split_signature("signature=x"), (String::new(), vec!["x"]));
        assert_eq!(split_signature("a=1"), ("a=1".to_owned(), vec![]));
    }
}
