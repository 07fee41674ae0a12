//! `mbx verify`: is this signature valid for this request and key?

use mbx_core::encode::percent_decode;
use mbx_core::payload::{split_signature, ws_api_payload};
use serde_json::json;

use crate::cli::VerifyArgs;
use crate::context::Context;
use crate::exit::{self, usage};
use crate::output::Report;

/// `mbx verify`: whether a signature is valid for a request and key.
pub fn run(ctx: &Context, args: VerifyArgs) -> anyhow::Result<Report> {
    let mut notes: Vec<String> = Vec::new();
    let (payload, signature, transport) = if let Some(url) = &args.url {
        let without_fragment = url.split('#').next().unwrap_or(url);
        let query = without_fragment.split_once('?').map_or("", |(_, q)| q);
        let (query, mut sigs) = split_signature(query);
        let (body, body_sigs) = split_signature(args.body.as_deref().unwrap_or(""));
        sigs.extend(body_sigs);
        if sigs.len() > 1 {
            notes.push(format!(
                "the signature parameter appears {} times; Binance answers -1101 for duplicates",
                sigs.len()
            ));
        }
        let sig = match (&args.signature, sigs.first()) {
            (Some(s), _) => s.clone(),
            (None, Some(s)) => (*s).to_owned(),
            (None, None) => {
                return Err(usage("the URL and body carry no signature parameter; pass --signature"));
            }
        };
        (format!("{query}{body}"), sig, "rest")
    } else if let Some(payload) = &args.payload {
        let sig = args.signature.clone().ok_or_else(|| usage("--payload needs --signature"))?;
        (payload.clone(), sig, "payload")
    } else if !args.params.is_empty() {
        let params = super::parse_name_values(&args.params)?;
        let sig = match (&args.signature, params.get("signature")) {
            (Some(s), _) => s.clone(),
            (None, Some(s)) => s.to_owned(),
            (None, None) => return Err(usage("no signature: pass --signature or a signature=... parameter")),
        };
        (ws_api_payload(&params), sig, "wsapi")
    } else {
        return Err(usage(
            "give --url URL [--body BODY], --payload PAYLOAD --signature SIG, or WebSocket API NAME=VALUE parameters",
        ));
    };
    // Signatures found in URLs are percent-encoded; a produced one is not. Both are accepted.
    let signature = if signature.contains('%') {
        percent_decode(&signature).map_err(|e| usage(format!("signature: {e}")))?
    } else {
        signature
    };
    if transport == "rest" && signature.contains(' ') {
        notes.push(
            "the signature contains a space: a base64 '+' that was not percent-encoded becomes a space"
                .into(),
        );
    }

    let key = ctx.key()?;
    let result = key.verifier().verify(payload.as_bytes(), &signature);
    let valid = result.is_ok();
    let verdict = match &result {
        Ok(()) => "valid".to_owned(),
        Err(e) => format!("invalid: {e}"),
    };
    let json = json!({
        "valid": valid,
        "reason": result.as_ref().err().map(ToString::to_string),
        "key": key.kind().as_str(),
        "key_source": key.source,
        "payload": payload,
        "signature": signature,
        "notes": notes,
    });
    let mut rows = vec![
        ("result", verdict),
        ("key", format!("{} ({})", key.kind(), key.source)),
        ("payload", payload.clone()),
        ("signature", signature.clone()),
    ];
    rows.extend(notes.iter().map(|n| ("note", n.clone())));
    Ok(Report::rows(rows, json).exit(if valid { exit::OK } else { exit::REJECTED }))
}
