//! `mbx sign`: the exact payload, the signature and a ready-to-run curl command.

use mbx_core::Params;
use mbx_core::diagnose::{self, RequestRecord};
use mbx_core::endpoint::{self, Method, Security};
use mbx_core::payload::{Placement, RestPayload, sign_ws_api};
use mbx_core::time::{RecvWindow, Timestamp};
use serde_json::json;

use crate::cli::SignArgs;
use crate::context::{self, Context};
use crate::exit::usage;
use crate::output::Report;

/// `mbx sign`: the payload, signature and curl command of a request.
pub fn run(ctx: &Context, args: SignArgs) -> anyhow::Result<Report> {
    let base_url = ctx.env().rest_url();
    let named = super::parse_name_values(&args.params)?;
    let timestamp = match args.timestamp.as_str() {
        "now" => Timestamp::Millis(super::now_millis()),
        t => Timestamp::parse(t).ok_or_else(|| {
            usage(format!("--timestamp '{t}' is not `now` or a number of milliseconds (13 digits) or microseconds (16 digits)"))
        })?,
    };
    let recv_window = match &args.recv_window {
        Some(w) => Some(
            RecvWindow::parse(w)
                .map_err(|e| usage(format!("--recv-window {w}: Binance would answer {e}")))?,
        ),
        None => None,
    };
    let key = ctx.key()?;
    let signer = key.signer()?;
    let mut notes: Vec<String> = Vec::new();

    if args.ws_api {
        return ws_api(named, timestamp, recv_window, &key, &signer, notes);
    }

    // Every parameter in one list, in the order sent: the raw query's, then the NAME=VALUE ones
    // (unless --in-body); the raw body's, then the NAME=VALUE ones with --in-body. mbx-core renders
    // the list once, and that rendering is what is signed and printed.
    let mut query = raw_params("--query", args.query.as_deref())?;
    let mut body = raw_params("--body", args.body.as_deref())?;
    let (raw_in_query, raw_in_body) = (query.len(), body.len());
    let named_part = if args.in_body { &mut body } else { &mut query };
    for (name, value) in named.iter() {
        named_part.push(name.to_owned(), value.to_owned());
    }
    let has = |name: &str| query.contains(name) || body.contains(name);
    let (has_window, has_timestamp) = (has("recvWindow"), has("timestamp"));
    // Added parameters go last: at the end of the body, or of the query when there is no body.
    let last = if body.is_empty() { &mut query } else { &mut body };
    if let Some(w) = recv_window {
        if has_window {
            notes.push(
                "recvWindow is already among the parameters; kept as given, --recv-window ignored".into(),
            );
        } else {
            last.push("recvWindow", w.to_string());
        }
    }
    if !has_timestamp {
        last.push("timestamp", timestamp.to_string());
    } else if args.timestamp != "now" {
        notes.push("timestamp is already among the parameters; kept as given, --timestamp ignored".into());
    }

    let method = pick_method(args.method.as_deref(), &args.path, &mut notes)?;
    if endpoint::find(method, &args.path).is_some_and(|e| e.security == Security::None) {
        notes.push(format!(
            "{method} {} is a public endpoint (security NONE): it needs no signature",
            args.path
        ));
    }
    if !is_shell_identifier(&args.api_key_var) {
        return Err(usage(format!("--api-key-var '{}' is not a shell variable name", args.api_key_var)));
    }

    let in_query = query.len();
    let mut params = query;
    for (name, value) in body.iter() {
        params.push(name.to_owned(), value.to_owned());
    }
    let signed = RestPayload::render(&params, Placement::Split(in_query)).sign(&signer);
    note_reencoded("--query", args.query.as_deref(), signed.query(), raw_in_query, &mut notes);
    note_reencoded("--body", args.body.as_deref(), signed.body(), raw_in_body, &mut notes);
    let url = format!("{}{}", base_url.trim_end_matches('/'), signed.path_and_query(&args.path));
    let mut curl = format!("curl -s -v -H \"X-MBX-APIKEY: ${}\" -X {method} \"{url}\"", args.api_key_var);
    if !signed.body().is_empty() {
        curl.push_str(&format!(" -d \"{}\"", signed.body()));
    }
    notes.extend(doctor_notes(ctx, &key, method, &url, signed.body())?);

    let json = json!({
        "key": key.kind().as_str(),
        "key_source": key.source,
        "method": method.as_str(),
        "url": url,
        "payload": signed.payload(),
        "signature": signed.signature().as_str(),
        "signature_urlencoded": signed.signature().url_encoded(),
        "query": signed.query(),
        "body": signed.body(),
        "curl": curl,
        "notes": notes,
    });
    let mut rows = vec![
        ("key", format!("{} ({})", key.kind(), key.source)),
        ("payload", signed.payload().to_owned()),
        ("signature", signed.signature().as_str().to_owned()),
        ("query", signed.query().to_owned()),
    ];
    if !signed.body().is_empty() {
        rows.push(("body", signed.body().to_owned()));
    }
    rows.extend(notes.iter().map(|n| ("note", n.clone())));
    rows.push(("", String::new()));
    rows.push(("", api_key_hint(&args.api_key_var, context::api_key_from_env().is_some())));
    rows.push(("", curl));
    Ok(Report::rows(rows, json))
}

fn ws_api(
    mut params: Params,
    timestamp: Timestamp,
    recv_window: Option<RecvWindow>,
    key: &context::Key,
    signer: &mbx_core::Signer,
    mut notes: Vec<String>,
) -> anyhow::Result<Report> {
    if !params.contains("apiKey") && key.kind() == mbx_core::KeyKind::Hmac {
        if let Some(api_key) = context::api_key_from_env() {
            params.push("apiKey", api_key);
            notes.push(format!("apiKey added from {}", context::ENV_API_KEY));
        } else {
            notes.push(format!(
                "no apiKey parameter (set {} or pass apiKey=...); needed unless the session is logged on",
                context::ENV_API_KEY
            ));
        }
    }
    if let Some(w) = recv_window {
        params.set_if_absent("recvWindow", w.to_string());
    }
    params.set_if_absent("timestamp", timestamp.to_string());
    let (payload, signature) = sign_ws_api(&params, signer);
    let mut object = serde_json::Map::new();
    for (k, v) in params.iter().filter(|(k, _)| *k != "signature") {
        object.insert(k.to_owned(), json!(v));
    }
    object.insert("signature".into(), json!(signature.as_str()));
    let json = json!({
        "key": key.kind().as_str(),
        "key_source": key.source,
        "payload": payload,
        "signature": signature.as_str(),
        "params": object,
        "notes": notes,
    });
    let mut rows = vec![
        ("key", format!("{} ({})", key.kind(), key.source)),
        ("payload", payload.clone()),
        ("signature", signature.as_str().to_owned()),
        ("params", serde_json::to_string(&object)?),
    ];
    rows.extend(notes.iter().map(|n| ("note", n.clone())));
    Ok(Report::rows(rows, json))
}

/// The comment line before the curl command: how to give the shell the API key (never the key itself).
fn api_key_hint(var: &str, env_key_set: bool) -> String {
    let env = context::ENV_API_KEY;
    match (var == env, env_key_set) {
        (true, true) => format!("# the API key comes from ${env}, which is set"),
        (true, false) => format!("# set the API key first: export {env}='<your API key>'"),
        (false, true) => format!("# set the API key first: {var}=\"${env}\""),
        (false, false) => format!("# set the API key first: {var}='<your API key>'"),
    }
}

/// The parameters of a raw `--query` or `--body` (percent-encoded, as sent; a leading `?` is dropped),
/// decoded by mbx-core.
fn raw_params(flag: &str, raw: Option<&str>) -> anyhow::Result<Params> {
    let Some(raw) = raw else { return Ok(Params::new()) };
    let raw = raw.strip_prefix('?').unwrap_or(raw);
    Params::parse_query(raw).map_err(|e| {
        usage(format!(
            "{flag} '{raw}' cannot be read ({e}): write each byte outside A-Z a-z 0-9 - _ . ~ as %XX with two hex digits (a literal % is %25)"
        ))
    })
}

/// A note when mbx-core's rendering of a raw `--query` or `--body` (its first `count` pairs in `sent`)
/// differs from the text given: characters that must be encoded were encoded.
fn note_reencoded(flag: &str, raw: Option<&str>, sent: &str, count: usize, notes: &mut Vec<String>) {
    let Some(raw) = raw.map(|r| r.strip_prefix('?').unwrap_or(r)) else { return };
    // Encoded names and values hold no '&', so the first `count` pairs are the raw part's.
    let rendered: Vec<&str> = sent.split('&').take(count).collect();
    let rendered = rendered.join("&");
    if rendered != raw {
        notes.push(format!(
            "{flag}: sent percent-encoded as `{rendered}`; Binance signs the encoded form, so send exactly that"
        ));
    }
}

/// What the doctor (mbx_core::diagnose) says about the request just signed, as notes: Binance's
/// answer if it would reject it, then each finding with its fix. The API key is the profile's or
/// BINANCE_API_KEY (shortened in any evidence); without one, a stand-in of Binance's key format is
/// used so the payload is judged on its own. The timestamp is not compared with the clock: signing
/// is not sending (`mbx doctor request` checks a request against the current time).
fn doctor_notes(
    ctx: &Context,
    key: &context::Key,
    method: Method,
    url: &str,
    body: &str,
) -> anyhow::Result<Vec<String>> {
    const STAND_IN_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    let api_key = ctx.api_key().unwrap_or_else(|| STAND_IN_KEY.to_owned());
    let record = RequestRecord::new(method.as_str(), url, vec![("X-MBX-APIKEY".to_owned(), api_key)], body)
        .map_err(|e| anyhow::anyhow!("the doctor cannot read the signed request: {e}"))?;
    let diagnosis = diagnose::diagnose(&record, &key.diagnose_context());
    let mut notes = Vec::new();
    if diagnosis.verdict.code != 0 {
        notes.push(format!("Binance would answer {} {}", diagnosis.verdict.code, diagnosis.verdict.msg));
    }
    notes.extend(diagnosis.findings.iter().map(|f| format!("{} ({}): {}", f.title, f.cause, f.fix)));
    Ok(notes)
}

fn pick_method(given: Option<&str>, path: &str, notes: &mut Vec<String>) -> anyhow::Result<Method> {
    if let Some(m) = given {
        return Method::parse(m)
            .ok_or_else(|| usage(format!("--method '{m}' is not GET, POST, PUT or DELETE")));
    }
    let methods: Vec<Method> = endpoint::at_path(path).map(|e| e.method).collect();
    Ok(if methods.contains(&Method::Post) {
        Method::Post
    } else if methods.contains(&Method::Get) || methods.is_empty() {
        if methods.is_empty() {
            notes.push(format!("{path} is not a spot endpoint mbx knows; using GET (set --method)"));
        }
        Method::Get
    } else {
        methods[0]
    })
}

fn is_shell_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
