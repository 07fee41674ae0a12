//! The hypothesis search: when a signature does not verify, find what the client most likely signed.
//!
//! Candidate payloads (the parameters as JSON, sorted, before `timestamp` was added, not
//! percent-encoded, query and body joined with `&`, with a trailing newline, ...) are combined with
//! candidate secrets (as given, trimmed, decoded, re-cased, the API key). The first combination that
//! reproduces the signature exactly is reported, so the finding is evidence, not a guess.

use super::finding::Cause;
use crate::encode::percent_encode_into;
use crate::sign::{HmacSigner, Verifier};

/// A reproduced signature: the causes that together explain it and the payload that was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What the client did differently (payload causes, then secret causes).
    pub causes: Vec<Cause>,
    /// The payload the client signed.
    pub payload: String,
    /// The secret transformation, in words (`None` for the secret as given).
    pub secret_note: Option<&'static str>,
}

/// What the search works with.
pub(super) struct Sent<'a> {
    /// Raw query without the signature pair.
    pub query: &'a str,
    /// Raw body without the signature pair.
    pub body: &'a str,
    /// Decoded parameters as sent (query then body), signature excluded.
    pub params: &'a [(String, String)],
    /// The API key from the header, if any (for the "API key used as secret" hypothesis).
    pub api_key: Option<&'a str>,
}

/// A way of checking a candidate payload against the signature.
pub(super) enum Checker<'a> {
    /// HMAC with the secret (its transformations are tried too).
    Hmac(&'a [u8]),
    /// A public key: payload hypotheses only.
    Verifier(&'a Verifier),
}

/// Decoded name/value pairs.
type ParamList = Vec<(String, String)>;

struct Candidate {
    causes: Vec<Cause>,
    payload: String,
}

pub(super) fn search(sent: &Sent<'_>, signature: &str, checker: &Checker<'_>) -> Option<Hit> {
    let candidates = payload_candidates(sent);
    match checker {
        Checker::Verifier(v) => candidates
            .into_iter()
            .find(|c| v.verify(c.payload.as_bytes(), signature).is_ok())
            .map(|c| Hit { causes: c.causes, payload: c.payload, secret_note: None }),
        Checker::Hmac(secret) => {
            let tag = decode_hex(signature)?;
            for (secret_causes, note, key) in secret_candidates(secret, sent.api_key) {
                let signer = HmacSigner::new(&key);
                for c in &candidates {
                    if signer.mac(c.payload.as_bytes()) == tag {
                        let mut causes = c.causes.clone();
                        causes.extend(secret_causes);
                        return Some(Hit { causes, payload: c.payload.clone(), secret_note: note });
                    }
                }
            }
            None
        }
    }
}

fn decode_hex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 || !b.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// Secrets to try: as given first, then the transformations people apply by mistake.
fn secret_candidates(
    secret: &[u8],
    api_key: Option<&str>,
) -> Vec<(Vec<Cause>, Option<&'static str>, Vec<u8>)> {
    let mut out: Vec<(Vec<Cause>, Option<&'static str>, Vec<u8>)> = vec![(vec![], None, secret.to_vec())];
    let mut push = |cause: Cause, note: &'static str, key: Vec<u8>| {
        if !key.is_empty() && key != secret {
            out.push((vec![cause], Some(note), key));
        }
    };
    if let Ok(text) = std::str::from_utf8(secret) {
        push(Cause::SecretTrimmed, "the secret trimmed of whitespace", text.trim().as_bytes().to_vec());
        push(Cause::SecretWithNewline, "the secret followed by a newline", format!("{text}\n").into_bytes());
        push(Cause::SecretQuoted, "the secret in double quotes", format!("\"{text}\"").into_bytes());
        push(Cause::SecretQuoted, "the secret in single quotes", format!("'{text}'").into_bytes());
        push(Cause::SecretCaseChanged, "the secret in upper case", text.to_uppercase().into_bytes());
        push(Cause::SecretCaseChanged, "the secret in lower case", text.to_lowercase().into_bytes());
        for engine in [&base64::engine::general_purpose::STANDARD, &base64::engine::general_purpose::URL_SAFE]
        {
            use base64::Engine;
            if let Ok(decoded) = engine.decode(text.trim()) {
                push(Cause::SecretBase64Decoded, "the secret base64-decoded", decoded);
            }
        }
        if text.len() % 2 == 0 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            let decoded: Option<Vec<u8>> =
                (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect();
            if let Some(d) = decoded {
                push(Cause::SecretHexDecoded, "the secret hex-decoded", d);
            }
        }
    }
    if let Some(k) = api_key {
        push(Cause::SecretIsApiKey, "the API key instead of the secret", k.as_bytes().to_vec());
    }
    out
}

/// How a parameter list can be turned into text.
#[derive(Clone, Copy)]
enum Form {
    Encoded,
    Unencoded,
    PlusForSpace,
    LowerHex,
    Json { spaced: bool, bare: Bare },
}

/// Which JSON values a client writes as numbers rather than strings.
#[derive(Clone, Copy)]
enum Bare {
    /// Every value quoted.
    None,
    /// Every numeric-looking value bare.
    AllNumbers,
    /// Only `timestamp` and `recvWindow` bare (clients build those from integers).
    TimeFields,
}

fn render(params: &[(String, String)], form: Form) -> String {
    let mut out = String::new();
    match form {
        Form::Json { spaced, bare } => {
            out.push('{');
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    out.push_str(if spaced { ", " } else { "," });
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(if spaced { ": " } else { ":" });
                let numeric = !v.is_empty()
                    && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                    && !v.starts_with('.');
                let bare_here = match bare {
                    Bare::None => false,
                    Bare::AllNumbers => numeric,
                    Bare::TimeFields => numeric && (k == "timestamp" || k == "recvWindow"),
                };
                if bare_here {
                    out.push_str(v);
                } else {
                    out.push_str(&serde_json::to_string(v).unwrap_or_default());
                }
            }
            out.push('}');
        }
        _ => {
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    out.push('&');
                }
                for (j, part) in [k, v].into_iter().enumerate() {
                    if j == 1 {
                        out.push('=');
                    }
                    match form {
                        Form::Unencoded => out.push_str(part),
                        Form::PlusForSpace => {
                            let mut s = String::new();
                            percent_encode_into(part, &mut s);
                            out.push_str(&s.replace("%20", "+"));
                        }
                        Form::LowerHex => {
                            let mut s = String::new();
                            percent_encode_into(part, &mut s);
                            out.push_str(&lower_escapes(&s));
                        }
                        _ => percent_encode_into(part, &mut out),
                    }
                }
            }
        }
    }
    out
}

fn lower_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for _ in 0..2 {
                if let Some(h) = chars.next() {
                    out.push(h.to_ascii_lowercase());
                }
            }
        }
    }
    out
}

fn payload_candidates(sent: &Sent<'_>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |causes: Vec<Cause>, payload: String| {
        if seen.insert(payload.clone()) {
            out.push(Candidate { causes, payload });
        }
    };
    let exact = format!("{}{}", sent.query, sent.body);
    // The sent payload itself comes first: with a transformed secret it may be all that differs.
    add(vec![], exact.clone());

    // Raw-text variants of what was sent.
    if !sent.query.is_empty() && !sent.body.is_empty() {
        add(vec![Cause::SignedQueryAndBodyJoined], format!("{}&{}", sent.query, sent.body));
        add(vec![Cause::SignedQueryOnly], sent.query.to_owned());
        add(vec![Cause::SignedBodyOnly], sent.body.to_owned());
        add(vec![Cause::SignedBodyThenQuery], format!("{}{}", sent.body, sent.query));
    }
    add(vec![Cause::SignedTrailingNewline], format!("{exact}\n"));
    add(vec![Cause::SignedWithSignatureParam], format!("{exact}&signature="));

    // Parameter-list variants.
    let all: Vec<(String, String)> = sent.params.to_vec();
    let without = |names: &[&str]| -> Vec<(String, String)> {
        all.iter().filter(|(k, _)| !names.contains(&k.as_str())).cloned().collect()
    };
    let mut sets: Vec<(Vec<Cause>, ParamList)> = vec![(vec![], all.clone())];
    if all.iter().any(|(k, _)| k == "timestamp") {
        sets.push((vec![Cause::SignedBeforeTimestamp], without(&["timestamp"])));
    }
    if all.iter().any(|(k, _)| k == "recvWindow") {
        sets.push((vec![Cause::SignedBeforeRecvWindow], without(&["recvWindow"])));
        if all.iter().any(|(k, _)| k == "timestamp") {
            sets.push((
                vec![Cause::SignedBeforeTimestamp, Cause::SignedBeforeRecvWindow],
                without(&["timestamp", "recvWindow"]),
            ));
        }
    }
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sets.push((vec![Cause::SignedSortedParams], sorted));

    let mut forms: Vec<(Option<Cause>, Form)> = vec![
        (None, Form::Encoded),
        (Some(Cause::SignedUnencoded), Form::Unencoded),
        (Some(Cause::SignedOtherEncoding), Form::PlusForSpace),
        (Some(Cause::SignedOtherEncoding), Form::LowerHex),
    ];
    for spaced in [false, true] {
        for bare in [Bare::None, Bare::AllNumbers, Bare::TimeFields] {
            forms.push((Some(Cause::SignedJson), Form::Json { spaced, bare }));
        }
    }
    for (set_causes, set) in &sets {
        for &(form_cause, form) in &forms {
            let mut causes: Vec<Cause> = form_cause.into_iter().collect();
            causes.extend(set_causes.iter().copied());
            // JSON of the sorted set is just "JSON": key order is arbitrary in JSON encoders.
            if matches!(form, Form::Json { .. }) && set_causes.contains(&Cause::SignedSortedParams) {
                causes.retain(|c| *c != Cause::SignedSortedParams);
            }
            add(causes, render(set, form));
        }
    }
    out
}
