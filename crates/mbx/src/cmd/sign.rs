//! `mbx sign`: the exact payload, the signature and a ready-to-run curl command.

use mbx_core::Params;
use mbx_core::encode;
use mbx_core::endpoint::{self, Method, Security};
use mbx_core::payload::{RestPayload, ws_api_payload};
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

    let mut query = normalize_raw("--query", args.query.as_deref().unwrap_or(""), &mut notes);
    let mut body = normalize_raw("--body", args.body.as_deref().unwrap_or(""), &mut notes);
    if !named.is_empty() {
        let rendered = RestPayload::render(&named, mbx_core::payload::Placement::Query);
        append(if args.in_body { &mut body } else { &mut query }, rendered.query());
    }
    let present = Params::parse_query(&format!("{query}&{body}"))
        .map_err(|e| usage(format!("the query or body cannot be read: {e}")))?;
    if let Some(w) = recv_window {
        if present.contains("recvWindow") {
            notes.push(
                "recvWindow is already among the parameters; kept as given, --recv-window ignored".into(),
            );
        } else {
            append(last_part(&mut query, &mut body), &format!("recvWindow={w}"));
        }
    }
    match present.get("timestamp") {
        Some(t) => {
            if args.timestamp != "now" {
                notes.push(
                    "timestamp is already among the parameters; kept as given, --timestamp ignored".into(),
                );
            }
            if Timestamp::parse(t).is_none() {
                notes.push(format!("timestamp '{t}' is not a number: Binance answers -1102"));
            } else if t.len() <= 10 {
                notes.push(format!("timestamp {t} looks like seconds; Binance reads milliseconds (13 digits) and answers -1021"));
            }
        }
        None => append(last_part(&mut query, &mut body), &format!("timestamp={timestamp}")),
    }

    let method = pick_method(args.method.as_deref(), &args.path, &mut notes)?;
    if method == Method::Get && !body.is_empty() {
        notes.push("GET requests carry no body on Binance: put every parameter in the query string".into());
    }
    if endpoint::find(method, &args.path).is_some_and(|e| e.security == Security::None) {
        notes.push(format!(
            "{method} {} is a public endpoint (security NONE): it needs no signature",
            args.path
        ));
    }
    if !is_shell_identifier(&args.api_key_var) {
        return Err(usage(format!("--api-key-var '{}' is not a shell variable name", args.api_key_var)));
    }

    let signed = RestPayload::from_raw(&query, &body).sign(&signer);
    let url = format!("{}{}", base_url.trim_end_matches('/'), signed.path_and_query(&args.path));
    let mut curl = format!("curl -s -v -H \"X-MBX-APIKEY: ${}\" -X {method} \"{url}\"", args.api_key_var);
    if !signed.body().is_empty() {
        curl.push_str(&format!(" -d \"{}\"", signed.body()));
    }

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
    let payload = ws_api_payload(&params);
    let signature = signer.sign(payload.as_bytes());
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

/// Appends `pair` to `part` with `&` when needed.
fn append(part: &mut String, pair: &str) {
    if pair.is_empty() {
        return;
    }
    if !part.is_empty() {
        part.push('&');
    }
    part.push_str(pair);
}

/// The body when it has content, else the query: where added parameters go so they stay last.
fn last_part<'a>(query: &'a mut String, body: &'a mut String) -> &'a mut String {
    if body.is_empty() { query } else { body }
}

/// Keeps a raw query or body as given, percent-encoding only what cannot be sent as it is.
fn normalize_raw(flag: &str, raw: &str, notes: &mut Vec<String>) -> String {
    let raw = raw.strip_prefix('?').unwrap_or(raw);
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut changed = Vec::new();
    for (i, c) in raw.char_indices() {
        let keep = match c {
            '&' | '=' => true,
            '%' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            c if c.is_ascii() => encode::is_unreserved(c as u8),
            _ => false,
        };
        if keep {
            out.push(c);
        } else {
            encode::percent_encode_into(c.encode_utf8(&mut [0; 4]), &mut out);
            changed.push(c);
        }
    }
    if !changed.is_empty() {
        let shown: String = changed.iter().take(12).collect();
        notes.push(format!(
            "{flag}: percent-encoded {} character(s) that must be encoded before signing ({shown:?}); Binance signs the encoded form",
            changed.len()
        ));
    }
    out
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
