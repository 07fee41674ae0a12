//! The last reader of a request: as a program printed it in its own words, when no reader of a
//! known log format ([`super::logged`]) or of raw HTTP recognises the text. An aiohttp
//! `RequestInfo(url=URL('...'), method='GET', headers=<CIMultiDictProxy(...)>)`, Java's
//! `HttpRequest.toString()` beside its header map, PHP's `print_r(curl_getinfo($ch))`, a
//! `HttpURLConnection` FINE log, Postman's console, a `console.log` of a URL and its headers: each
//! names Binance's URL (or path), the method, the `X-MBX-APIKEY` header and perhaps a form body and
//! the answer, in its own punctuation. This reader looks for those pieces by name.

use super::ParseError;
use super::request::{BINANCE_PATHS, RequestRecord, answer_line, is_token};
use crate::endpoint::{self, Method};

/// What separates a printed header's name from its value: spaces, quotes, `:`, `=`, `=>`,
/// brackets, Nim's `@[` of a sequence.
const SEPARATORS: &[char] = &[' ', '\t', '\'', '"', ':', '=', '>', '[', '(', '{', ',', '@'];

/// The request the text describes, when it names a Binance path; marked
/// [`RequestRecord::key_unshown`] when it names a path that takes a key but shows no `X-MBX-APIKEY`
/// (a log of the URL only: the doctor would otherwise say the key is missing).
pub(super) fn read(text: &str) -> Option<Result<RequestRecord, ParseError>> {
    let (at, target) = target(text)?;
    // A JSON object of the request's parameters printed after the URL, labelled or not.
    let printed_json = json_body(&text[at..]).or_else(|| unlabelled_json_body(&text[at..]));
    let json_names = printed_json.and_then(json_names);
    let (method, method_guessed) = method_near(text, at, target.len(), json_names.as_deref());
    let mut headers = Vec::new();
    // A key printed whole wins over a template's variable the text also shows (a post that names
    // the Headers tab's `{{apiKey}}` and then shows the console's resolved header).
    let plain = header_value(text, "x-mbx-apikey", true);
    let key = match plain {
        Some(v) if v.len() >= 20 => Some(v),
        _ => templated_key(text).or(plain),
    };
    if let Some(key) = key {
        headers.push(("X-MBX-APIKEY".to_owned(), key.to_owned()));
    }
    // Without it, the key sent under another header's name, mistakes the diagnosis names: one
    // spelled otherwise (`X-MBX-API-KEY`, `X_MBX_APIKEY`), or Authorization (Dio's indented
    // `headers:` block: ` Authorization: Bearer ...`).
    let misspelled = key.is_none().then(|| misspelled_key_header(text)).flatten();
    if let Some((name, value)) = misspelled {
        headers.push((name.to_owned(), value.to_owned()));
    }
    let authorization =
        (key.is_none() && misspelled.is_none()).then(|| header_value(text, "authorization", false)).flatten();
    if let Some(value) = authorization {
        headers.push(("Authorization".to_owned(), value.to_owned()));
    }
    // Zapier's Webhooks step: `basic_auth: user|password`, sent as Authorization: Basic.
    let basic_auth = (key.is_none() && misspelled.is_none() && authorization.is_none())
        .then(|| text.lines().find_map(|l| l.trim().strip_prefix("basic_auth:")))
        .flatten()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    if let Some(value) = basic_auth {
        let (user, pass) = value.split_once('|').unwrap_or((value, ""));
        headers.push(super::logged::basic_authorization(user, pass));
    }
    // Another exchange's authentication headers (Bybit's `X-BAPI-API-KEY`, OKX's `OK-ACCESS-KEY`),
    // printed in a dict of headers or a line each: what Binance gets in place of its own.
    let others =
        if key.is_none() && misspelled.is_none() { other_exchange_headers(text) } else { Vec::new() };
    headers.extend(others.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    // A signature printed as a header (`"X-MBX-SIGNATURE": "d1c2..."`, another exchange's
    // `X-BAPI-SIGN`) where the URL holds none: sent there, not as a parameter.
    if !target.contains("signature=")
        && let Some((name, value)) = signature_header(&text[at..])
    {
        headers.push((name.to_owned(), value.to_owned()));
    }
    // The request's own, printed after its URL, rather than its answer's printed before it
    // (Elixir's %HTTPoison.Response{}).
    let after = &text[at..];
    if let Some(t) =
        header_value(after, "content-type", false).or_else(|| header_value(text, "content-type", false))
    {
        headers.push(("Content-Type".to_owned(), t.to_owned()));
    }
    // The unit of its timestamp (`X-MBX-TIME-UNIT: us` is refused with -1194).
    // The request's own, after its URL, first; a one-word value (prose may follow a mention).
    let unit = header_value(after, "x-mbx-time-unit", false)
        .or_else(|| header_value(text, "x-mbx-time-unit", false));
    if let Some(unit) = unit.and_then(|u| u.split_whitespace().next()) {
        headers.push(("X-MBX-TIME-UNIT".to_owned(), unit.to_owned()));
    }
    let without_body = method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD");
    // A query printed under its own label (`query: ...`) is not the body.
    let labelled = labelled_query(text);
    let form = form_text_at(text, Some(at), target).filter(|f| Some(*f) != labelled).or_else(|| {
        let after = &text[at + target.len()..];
        labelled.and_then(|q| after.split_whitespace().filter_map(form_word).find(|w| *w != q))
    });
    // A labelled query that names only what the signed form names is the text the program printed
    // as signed (`query: ...`, then `sent body: ...&signature=...`), not a query it sent.
    let labelled = labelled.filter(|q| !form.is_some_and(|f| signed(f) && !signed(q) && names_within(q, f)));
    // No form, but a labelled JSON object after the URL (`body: {"symbol": ...}`): a JSON body.
    let json =
        if form.is_none() && !without_body && !target.contains("signature=") { printed_json } else { None };
    if json.is_some() && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    // The body's fields printed one a line under a label (Zapier's Webhooks step: `data:`, sent
    // as a form, or as JSON under `payload_type: json`; Postman's console: `Request Body`, sent as
    // its Content-Type says).
    let fields = if form.is_none() && json.is_none() && !without_body { printed_fields(text) } else { None };
    let content_type = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase());
    let printed = fields.map(|pairs| {
        if text.lines().any(|l| l.trim() == "payload_type: json") {
            if content_type.is_none() {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
            }
            super::options::json_object(
                pairs.iter().map(|(k, v)| (*k, serde_json::Value::from(*v).to_string())),
            )
        } else if content_type.as_deref().is_some_and(|t| t.starts_with("multipart/")) {
            // Its own boundary, which the body is written with.
            headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            headers.push(("Content-Type".to_owned(), super::multipart::content_type()));
            super::multipart::encode(pairs)
        } else {
            pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        }
    });
    // A GET's form printed apart from its URL (`print(method, url, body)`) that Binance says it did
    // not get (-1102 naming one of its parameters): sent as the body, which a GET's is not read.
    let unread = |form: &str| {
        let missing = |name: &str| {
            crate::ApiError::with_args(crate::ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &[name]).msg
        };
        text.lines().filter_map(answer_line).filter(|a| a.code == Some(-1102)).any(|a| {
            form.split('&')
                .filter_map(|p| p.split('=').next())
                .any(|name| a.msg.as_deref() == Some(&missing(name)))
        })
    };
    // A string body given to fetch() with no Content-Type goes as text/plain;charset=UTF-8 (the
    // Fetch standard), which Binance does not read as a form: the code shows the call and no type.
    // Or a log of the options given to it (`init {"method": "POST", "headers": {...}, "body":
    // "..."}`, a Cloudflare Worker's `wrangler tail`) where Binance says a parameter was missing.
    let fetch_string = || {
        let lower = text.to_ascii_lowercase();
        let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        let init = squeezed.contains("\"method\":\"post\",\"headers\":")
            && squeezed.contains("\"body\":\"")
            && lower.contains("-1102");
        (lower.contains("fetch(") || init)
            && !["content-type", "urlsearchparams", "formdata", "axios"].iter().any(|w| lower.contains(w))
    };
    if !without_body && content_type.is_none() && form.is_some() && fetch_string() {
        headers.push(("Content-Type".to_owned(), "text/plain;charset=UTF-8".to_owned()));
    }
    let body_apart = (without_body && !target.contains('?')).then_some(form).flatten().filter(|f| unread(f));
    let body = match body_apart {
        Some(form) => form,
        None if without_body => "",
        None => form.or(json).or(printed.as_deref()).unwrap_or_default(),
    };
    // A path printed apart from its query (Haskell's `path = "..."`, `queryString = "?..."`; a
    // program's `query: ...` beside its `body: ...`).
    let joined;
    let target = match (form, labelled) {
        (Some(query), _) if without_body && !target.contains('?') && body_apart.is_none() => {
            joined = format!("{target}?{query}");
            joined.as_str()
        }
        (_, Some(query)) if !without_body && target.split_once('?').is_none_or(|(_, q)| q.is_empty()) => {
            joined = format!("{}?{query}", target.trim_end_matches('?'));
            joined.as_str()
        }
        _ => target,
    };
    // The query's pairs printed one a line (Elixir Tesla's logger: `Query: symbol: BTCUSDT`).
    let with_query;
    let target = match query_lines(text) {
        Some(query) if !target.contains('?') => {
            with_query = format!("{target}?{query}");
            with_query.as_str()
        }
        _ => target,
    };
    let mut record = match RequestRecord::new(method, target, headers, body) {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    // CryptoExchange.Net's log (Binance.Net: `Sending POST signed request to ... with request body
    // '...'`) prints the parameters sorted by name, the signature among them; the request it sends
    // carries the signature last. Its print is read as sent.
    if text.contains("signed request to") {
        for part in [&mut record.query, &mut record.body] {
            let names: Vec<&str> = part.split('&').map(|p| p.split('=').next().unwrap_or_default()).collect();
            if names.len() > 2
                && names.is_sorted()
                && names.last() != Some(&"signature")
                && names.contains(&"signature")
            {
                let (rest, signature): (Vec<&str>, Vec<&str>) =
                    part.split('&').partition(|p| !p.starts_with("signature="));
                *part = rest.into_iter().chain(signature).collect::<Vec<_>>().join("&");
            }
        }
    }
    // A path printed without its host (urllib3's `https://fapi.binance.com:443 "POST /fapi/v1/...
    // HTTP/1.1"`, a logger's `url: https://...` line before it): the host the text gives it.
    if record.host.is_none() {
        record.host = host_of_path(text, &record.path);
    }
    // The key sent as a parameter (apiKey=...) is a mistake the diagnosis names.
    let key_as_param = super::request::key_in_params;
    // A log of URLs only (an access log, httpx's INFO line, urllib3's debug line): the key is not
    // shown, and is taken as sent; the signature and the time are judged all the same.
    record.key_unshown = record.takes_key()
        && key.is_none()
        && misspelled.is_none()
        && authorization.is_none()
        && basic_auth.is_none()
        && others.is_empty()
        && !key_as_param(&record.query)
        && !key_as_param(&record.body);
    // Binance's answer to it: the first error answer after it, else the first answer shown.
    record.answered = error_answer_in(&text[at..])
        // Quoted in an exception's words (`failed: -2010 Account has insufficient balance ...`).
        .or_else(|| super::request::answer_in_prose(&text[at..]))
        // Printed apart from it (before it), for a request the text sends once: an answer to an
        // earlier send of the same request is not this one's.
        .or_else(|| {
            (text.matches(target).count() <= 1).then(|| text.lines().find_map(answer_line)).flatten()
        });
    (record.earlier, record.earlier_signatures) = earlier_signed(text, at);
    // Else the status a client's log names (needle's `Got response 200 {`, `Response: 200`).
    if record.answered.is_none() {
        record.answered = text[at..].lines().find_map(|l| {
            // Or a line of its own that starts with the status (`HTTP 404 -> ''`, `status: 404`).
            let own_line = ["HTTP ", "status: ", "Status: ", "status=", "status "]
                .iter()
                .find_map(|label| l.trim_start().strip_prefix(label));
            let rest = match l.split_once("response ").or_else(|| l.split_once("Response: ")) {
                Some((_, rest)) => rest,
                None => own_line?,
            };
            let status: u16 = rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
            (100..600).contains(&status).then_some(super::request::Answered { status, code: None, msg: None })
        });
    }
    // Or a 404 printed right after the URL (ccxt's `binance GET https://... 404 Not Found`, a
    // status line's reason): a path that is no endpoint, which Binance answers without its JSON.
    if record.answered.is_none() {
        let not_found = text.match_indices(target).any(|(i, _)| {
            let after = text[i + target.len()..].trim_start();
            after.starts_with("404 ") || after.starts_with("404\n") || after == "404"
        });
        if not_found {
            record.answered = Some(super::request::Answered { status: 404, code: None, msg: None });
        }
    }
    // Or a library's words for it (requests' `404 Client Error: Not Found for url: ...`).
    if record.answered.is_none() {
        record.answered = super::not_found_alone(text);
    }
    // A body announced (a `content-length` above 0 among the printed headers, .NET's `Content:
    // System.Net.Http.StringContent`) and not printed.
    // Or a URL quoted with no method and no parameters (httpx's `Client error '400 Bad Request'
    // for url '.../api/v3/order'`) at a path that also takes a POST, PUT or DELETE: whatever was
    // sent may have been a body.
    let body_method = || {
        use crate::endpoint::Method;
        [Method::Post, Method::Put, Method::Delete]
            .into_iter()
            .any(|m| crate::endpoint::find(m, &record.path).is_some())
    };
    record.body_unshown = record.body.is_empty()
        && (header_value(after, "content-length", false)
            .and_then(|n| n.trim_matches(|c: char| !c.is_ascii_digit()).parse::<u64>().ok())
            .is_some_and(|n| n > 0)
            || after.contains("Content: System.Net.Http.")
            || method_guessed && record.query.is_empty() && body_method());
    Some(Ok(record))
}

/// The body's fields a tool printed one a line, indented under a line `data:` (Zapier) or
/// `Request Body` (Postman's console): `name: value`, the value perhaps quoted.
fn printed_fields(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut lines = text.lines().skip_while(|l| !matches!(l.trim_end(), "data:" | "Request Body"));
    lines.next()?;
    let pairs: Vec<(&str, &str)> =
        lines.map_while(|l| l.starts_with([' ', '\t']).then(|| field_line(l)).flatten()).collect();
    (!pairs.is_empty()).then_some(pairs)
}

/// A body's field as a tool prints it on a line of its own: `name: value`, the value perhaps in
/// double quotes (`name:` alone: an empty value).
pub(super) fn field_line(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.trim().split_once(':')?;
    let (name, value) = (name.trim_end(), value.trim());
    let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    is_token(name).then_some((name, value))
}

/// A signed form printed without the URL it went to (`body: symbol=...&signature=...`, or the form
/// alone on its line, then Binance's answer): read as sent to the signed spot endpoint that defines
/// every parameter it holds (of several, the one whose mandatory parameters it holds most, the
/// table's first on a tie), in the query, with the key taken as sent. Of several such forms, the
/// last before Binance's first error answer, else the last. `None` when the text names a Binance
/// path (another reader's) or holds no signed form.
pub(super) fn form_alone(text: &str) -> Option<Result<RequestRecord, ParseError>> {
    if BINANCE_PATHS.iter().any(|p| text.contains(p)) {
        return None;
    }
    let before = &text[..error_answer_at(text).unwrap_or(text.len())];
    let form = signed_forms(before).last().copied().or_else(|| signed_forms(text).last().copied());
    // Else a JSON object of signed parameters printed so (`body: {"symbol":...,"signature":...}`):
    // a JSON body.
    let json =
        form.is_none().then(|| json_body(text).or_else(|| unlabelled_json_body(text))).flatten().filter(
            |j| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(j)
                    .is_ok_and(|o| o.contains_key("signature") && o.contains_key("timestamp"))
            },
        );
    let names_text = match (form, json) {
        (Some(form), _) => form.to_owned(),
        (None, Some(json)) => json_names(json)?,
        (None, None) => return None,
    };
    let names: Vec<&str> = names_text
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .filter(|n| !["timestamp", "recvWindow", "signature"].contains(n))
        .collect();
    let mut best: Option<(&endpoint::Endpoint, usize)> = None;
    for e in endpoint::SPOT.iter().copied().filter(|e| e.security.needs_signature()) {
        if names.iter().any(|n| e.param(n).is_none()) {
            continue;
        }
        let held = e.mandatory().filter(|p| names.contains(&p.name)).count();
        let all_held = e.mandatory().all(|p| names.contains(&p.name) || p.name == "timestamp");
        if all_held && best.is_none_or(|(_, b)| held > b) {
            best = Some((e, held));
        }
    }
    let (e, _) = best?;
    let shown = form.or(json).unwrap_or_default();
    let built = match (form, json) {
        (Some(form), _) => {
            RequestRecord::new(e.method.as_str(), &format!("{}?{form}", e.path), Vec::new(), "")
        }
        (None, _) => RequestRecord::new(
            e.method.as_str(),
            e.path,
            vec![("Content-Type".to_owned(), "application/json".to_owned())],
            shown,
        ),
    };
    let mut record = match built {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    record.mark_key_unshown();
    let after = &text[text.find(shown).unwrap_or_default()..];
    record.answered = error_answer_in(after).or_else(|| after.lines().find_map(answer_line));
    Some(Ok(record))
}

/// The first of Binance's error answers `text` prints (a code below zero, or a 403/418/451 refusal).
fn error_answer_in(text: &str) -> Option<super::request::Answered> {
    text.lines().filter_map(answer_line).find(|a| a.restricted() || a.code.is_some_and(|c| c < 0))
}

/// The fields of a PHP array as `print_r` prints it (`Array`, `(`, then `[name] => value` a line,
/// `)`), in order.
pub(super) fn print_r_fields(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut lines = text.lines().map(str::trim).skip_while(|l| *l != "Array");
    lines.next()?;
    (lines.next()? == "(").then_some(())?;
    let fields: Vec<(&str, &str)> = lines
        .map_while(|l| {
            let (name, value) = l
                .strip_prefix('[')?
                .split_once("] => ")
                .or_else(|| l.strip_prefix('[')?.strip_suffix("] =>").map(|n| (n, "")))?;
            is_token(name).then_some((name, value))
        })
        .collect();
    (!fields.is_empty()).then_some(fields)
}

/// A query printed a pair a line, `Query: name: value` (Elixir Tesla's logger at debug level), as
/// the query string: `name=value` joined by `&`, in their order.
fn query_lines(text: &str) -> Option<String> {
    let pairs: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let (name, value) = l.trim().strip_prefix("Query: ")?.split_once(": ")?;
            is_token(name).then(|| format!("{name}={}", value.trim()))
        })
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("&"))
}

/// The request's target and where it starts: a URL to a Binance path (`/api/`, `/sapi/`), else a
/// path that starts so, with its query. A URL ends at white space, a quote or a closing bracket.
fn target<'t>(text: &'t str) -> Option<(usize, &'t str)> {
    // A URL ends at white space, a quote or a bracket; a sentence's or a list's punctuation right
    // after it is not part of it (`... /api/v3/order. HTTP status is 400`, `signature=ab12, body: ...`).
    let end_of = |at: usize| {
        // A bracket the URL opened itself is its own (Swift's `Optional(1733480974037)` in a
        // value): it ends at the one that closes it, not at the first `)`.
        let mut open = 0usize;
        // A documentation's placeholder for a value (`signature=<signature>`) is the URL's too.
        let mut angle = false;
        let mut previous = ' ';
        let end = text[at..]
            .find(|c: char| {
                let stop = match c {
                    '(' => {
                        open += 1;
                        false
                    }
                    ')' if open > 0 => {
                        open -= 1;
                        false
                    }
                    '<' if previous == '=' => {
                        angle = true;
                        false
                    }
                    '>' if angle => {
                        angle = false;
                        false
                    }
                    _ => c.is_whitespace() || "'\"`<>)]}".contains(c),
                };
                previous = c;
                stop
            })
            .map_or(text.len(), |n| at + n);
        // A value written with raw spaces (Java's URL of `newClientOrderId=ema cross 15m&...`):
        // the URL goes on over them to its signature, on the same line, when that follows.
        let end = {
            let url = &text[at..end];
            let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
            let rest = &text[end..line_end];
            match rest.find("&signature=") {
                Some(sig)
                    if url.contains('?')
                        && !url.contains("signature=")
                        && rest.starts_with(' ')
                        && !rest[..sig].contains("://")
                        && !rest[..sig].contains(['"', '\'', '`', '<', '>']) =>
                {
                    let value = &rest[sig + "&signature=".len()..];
                    end + sig
                        + "&signature=".len()
                        + value
                            .find(|c: char| c.is_whitespace() || "'\"`<>)]}".contains(c))
                            .unwrap_or(value.len())
                }
                _ => end,
            }
        };
        // Python's text of bytes in a value (`signature=b'...'`): its quotes are the value's.
        let end = if text[..end].ends_with("=b") && text[end..].starts_with('\'') {
            text[end + 1..].find('\'').map_or(end, |close| end + 1 + close + 1)
        } else {
            end
        };
        // A printed structure's next field after a comma (Scala's case class and akka's
        // `HttpRequest(...)`: `,Map(X-MBX-APIKEY -> ...)`, `,List(...)`) is not part of it.
        let end = text[at..end]
            .match_indices(',')
            .find(|(i, _)| {
                let rest = &text[at + i + 1..end];
                let name = rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).next();
                name.is_some_and(|n| {
                    n.starts_with(|c: char| c.is_ascii_uppercase()) && rest[n.len()..].starts_with('(')
                })
            })
            .map_or(end, |(i, _)| at + i);
        at + text[at..end].trim_end_matches([',', '.', ';', ':']).len()
    };
    // A base URL a program gives its library (`urls['api'] = 'https://.../api/v3'`, `httpBase`):
    // the start of every path, not a request sent.
    let base_only = |t: &str| {
        let path = t.split_once("://").map_or(t, |(_, r)| &r[r.find('/').unwrap_or(r.len())..]);
        let path = path.trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        !t.contains('?')
            && match segments[..] {
                [] => true,
                [root] => root.eq_ignore_ascii_case("api") || root.eq_ignore_ascii_case("sapi"),
                [root, version] => {
                    (root.eq_ignore_ascii_case("api") || root.eq_ignore_ascii_case("sapi"))
                        && version.starts_with('v')
                        && version[1..].bytes().all(|b| b.is_ascii_digit())
                }
                _ => false,
            }
    };
    let binance = |t: &str| BINANCE_PATHS.iter().any(|p| t.contains(p)) && !base_only(t);
    // Of several (a source line's URL before the printed one), one that carries a signature: what
    // was sent rather than how it was built. In a log of several requests, the last signed one
    // before Binance's first error answer (the one refused); with no error answer, the last signed
    // one (the latest: the one a --time given for the log's end is about).
    let error_at = error_answer_at(text);
    // Signed: the target itself, or the rest of its line (a log's `POST /api/v3/order symbol=...
    // &signature=...`, the form printed beside the path).
    let signed_at =
        |at: usize, t: &str| signed(t) || signed(text[at + t.len()..].lines().next().unwrap_or_default());
    let best = |found: Vec<(usize, &'t str)>| {
        // A target whose signed form is printed on a line of its own before the next target
        // (Postman's console: the URL, its headers, then `Request Body` and the form).
        let block_signed = |at: usize, t: &str| {
            let end = found.iter().map(|(a, _)| *a).find(|&a| a > at).unwrap_or(text.len());
            let block = &text[(at + t.len()).min(end)..end];
            block.split_whitespace().filter_map(form_word).any(signed)
        };
        let signed_at = |at: usize, t: &str| signed_at(at, t) || (!t.contains('?') && block_signed(at, t));
        let refused = error_at.and_then(|e| found.iter().rev().find(|(at, t)| *at < e && signed_at(*at, t)));
        let latest =
            || if error_at.is_none() { found.iter().rev().find(|(at, t)| signed_at(*at, t)) } else { None };
        refused
            .or_else(latest)
            .or_else(|| found.iter().find(|(at, t)| signed_at(*at, t)))
            .or_else(|| found.first())
            .copied()
    };
    let mut urls: Vec<(usize, &str)> = text
        .match_indices("http")
        .map(|(at, _)| at)
        .filter(|&at| text[at..].starts_with("https://") || text[at..].starts_with("http://"))
        .map(|at| (at, &text[at..end_of(at)]))
        .filter(|(_, url)| binance(url))
        .collect();
    // A URL the source builds (`$"https://.../order?{query}"`, `"...?timestamp=" + str(ts) +
    // "..."`) gives way to one printed.
    // A URL cut where the source joins a value to it (`"...?timestamp=" + str(ts)`) is no request
    // at all: its text holds none of the values sent.
    let built = |at: usize, u: &str| {
        let after = text[at + u.len()..].trim_start_matches(['"', '\'']).trim_start();
        u.ends_with('=') && (after.starts_with('+') || after.starts_with('.'))
    };
    urls.retain(|(at, u)| !built(*at, u));
    if urls.iter().any(|(_, u)| !placeholder(u)) {
        urls.retain(|(_, u)| !placeholder(u));
    }
    if urls.iter().any(|(_, u)| signed(u)) {
        return best(urls);
    }
    let mut paths: Vec<(usize, &str)> = BINANCE_PATHS
        .iter()
        .flat_map(|p| {
            text.match_indices(p).map(|(at, _)| at).filter(|&at| {
                at == 0
                    // (after a template's base: `{}/api/v3/order`, `${BASE}/api/v3/order`)
                    || text[..at].ends_with(|c: char| c.is_whitespace() || "'\"=>}".contains(c))
                    // A host printed without its scheme (axios's `request.host + request.path`).
                    || [".binance.com", ".binance.vision", ".binance.us"].iter().any(|h| text[..at].ends_with(h))
            })
        })
        .map(|at| (at, &text[at..end_of(at)]))
        .filter(|(at, p)| !base_only(p) && !built(*at, p))
        .collect();
    paths.sort_unstable();
    // A URL without a signature (an axios config's `url`) gives way to a signed path printed
    // beside it (`request path: /api/v3/order?...&signature=...`).
    if urls.is_empty() || paths.iter().any(|(_, p)| signed(p)) {
        return best(paths);
    }
    best(urls)
}

/// The host a text gives `path`: a URL of that path (`https://fapi.binance.com/fapi/v1/leverage`),
/// or urllib3's `scheme://host:port "METHOD path...` line.
fn host_of_path(text: &str, path: &str) -> Option<String> {
    text.match_indices("://").find_map(|(at, _)| {
        let rest = &text[at + 3..];
        let end =
            rest.find(|c: char| c == '/' || c == ':' || c == '"' || c.is_whitespace()).unwrap_or(rest.len());
        let host = &rest[..end];
        let after = &rest[end..];
        // Past the port.
        let after =
            after.strip_prefix(':').map_or(after, |p| p.trim_start_matches(|c: char| c.is_ascii_digit()));
        let urllib3 = after.strip_prefix(" \"").and_then(|a| a.split_once(' ')).map(|(_, p)| p);
        let own =
            after.starts_with(path) && !after[path.len()..].starts_with(|c: char| c.is_ascii_alphanumeric());
        let logged = urllib3.is_some_and(|p| p.starts_with(path));
        (host.contains('.') && (own || logged)).then(|| host.to_owned())
    })
}

/// A query string a program printed under its own label, beside the body it sends (`query:
/// symbol=...&side=BUY`): name=value pairs joined by `&`, with no space.
fn labelled_query(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        let label = ["query:", "query =", "query string:", "querystring:", "qs:"]
            .iter()
            .find(|l| lower.starts_with(**l))?;
        let rest = t[label.len()..].trim().trim_matches(['"', '\'']);
        let form = !rest.is_empty()
            && !rest.contains(char::is_whitespace)
            && rest.split('&').all(|p| p.contains('='));
        form.then_some(rest)
    })
}

/// Whether a URL holds a template's placeholder rather than a value: `{query}`, `{0}`, `${...}`,
/// `#{...}`, `%s`, `%d`, `{}`, Objective-C's `%@`.
pub(super) fn placeholder(url: &str) -> bool {
    if ["${", "#{", "%s", "%v", "%@", "{}", "\\("].iter().any(|p| url.contains(p)) {
        return true;
    }
    // `$query` (bash, PHP, Kotlin, Dart, PowerShell).
    if url
        .match_indices('$')
        .any(|(at, _)| url[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
    {
        return true;
    }
    // `%d`, but not a percent-encoded byte in lower case (`%d0%9f`).
    if url.match_indices("%d").any(|(at, _)| !url[at + 2..].starts_with(|c: char| c.is_ascii_hexdigit())) {
        return true;
    }
    // `{query}`, `{0}`; the URL read ends at a closing brace, so `{query` and a `{` at its end
    // are ones too (a real query writes a brace as %7B).
    url.match_indices('{').any(|(at, _)| {
        let rest = &url[at + 1..];
        rest.is_empty() || rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
    })
}

/// Where the first line holding Binance's error answer ends (`400 {"code":-1022,...}`, a 451): a
/// log line that prints the request and its answer together (`GET <url> -> 400 {...}`) holds the
/// request refused.
fn error_answer_at(text: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if error_answer_in(line).is_some() {
            return Some(at + line.len());
        }
        at += line.len();
    }
    None
}

/// The signed URLs a log shows before the one read (`at`): their payloads and signatures, for
/// the diagnosis to tell a signature sent again or an HMAC never reset.
fn earlier_signed(text: &str, at: usize) -> (Vec<String>, Vec<(String, String)>) {
    let mut payloads = Vec::new();
    let mut signatures = Vec::new();
    let before = &text[..at];
    for (i, _) in before.match_indices("http") {
        let url = &before[i..];
        let url =
            &url[..url.find(|c: char| c.is_whitespace() || "'\"`<>)]}".contains(c)).unwrap_or(url.len())];
        if !signed(url) || !BINANCE_PATHS.iter().any(|p| url.contains(p)) {
            continue;
        }
        // The same URL printed again where no request is sent (dio's error block repeats its
        // `uri:`): a send only on a line that names the method.
        let line_start = before[..i].rfind('\n').map_or(0, |n| n + 1);
        let line = &before[line_start..i];
        let method_named = line.split_whitespace().any(|w| Method::parse(w).is_some());
        if text[at..].starts_with(url) && !method_named {
            continue;
        }
        if let Ok(r) = RequestRecord::new("GET", url.trim_end_matches([',', '.', ';', ':']), Vec::new(), "") {
            if let Some(signature) = r.signature_sent() {
                signatures.push((signature, r.signed_payload()));
            }
            payloads.push(r.signed_payload());
        }
    }
    // A log's lines of a path and the signed form sent with it (`POST /api/v3/order symbol=...`).
    for line in before.lines().filter(|l| !l.contains("http")) {
        let Some(path) = line.split_whitespace().find(|w| BINANCE_PATHS.iter().any(|p| w.starts_with(p)))
        else {
            continue;
        };
        let Some(form) = line.split_whitespace().filter_map(form_word).find(|w| signed(w)) else { continue };
        if let Ok(r) = RequestRecord::new("POST", path, Vec::new(), form) {
            if let Some(signature) = r.signature_sent() {
                signatures.push((signature, r.signed_payload()));
            }
            payloads.push(r.signed_payload());
        }
    }
    (payloads, signatures)
}

/// Whether `target` carries a signature's value (not a source line's `signature=$sig` or
/// `signature=' + sig`).
fn signed(target: &str) -> bool {
    target.match_indices("signature=").any(|(at, m)| {
        let value = &target[at + m.len()..];
        value.bytes().take_while(|b| b.is_ascii_alphanumeric() || b"%+/=_-".contains(b)).count() >= 16
    })
}

/// The method: the word right before the target (`GET https://...`), or right after it (Java's
/// `https://... POST`), or one named as the method (`method='POST'`, `Method:POST`,
/// `[effective_method] => POST`), or the first method word anywhere; when none is, the method of
/// the path whose parameters the sent ones are ([`method_of_params`]), and `true` with it (the
/// text names no method).
fn method_near<'t>(text: &'t str, at: usize, len: usize, json_names: Option<&str>) -> (&'t str, bool) {
    let is_method = |w: &str| ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(&w);
    let word = |w: &'t str| w.trim_matches(|c: char| !c.is_ascii_alphabetic());
    if let Some(before) = text[..at].split_whitespace().next_back().map(word).filter(|w| is_method(w)) {
        return (before, false);
    }
    if let Some(after) = text[at + len..].split_whitespace().next().map(word).filter(|w| is_method(w)) {
        return (after, false);
    }
    let lower = text.to_ascii_lowercase();
    // The call on the URL's own line (`s.post(BASE + "/api/v3/order", ...)`), whatever the
    // client's name.
    let line_start = lower[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = lower[at..].find('\n').map_or(lower.len(), |i| at + i);
    let line = &lower[line_start..line_end];
    let url_at = at - line_start;
    // A call whose parentheses are still open at the URL: it takes the URL (not
    // `config.get("base")` before it).
    let encloses = |open: usize| {
        line[open..url_at].bytes().fold(0i32, |depth, b| match b {
            b'(' => depth + 1,
            b')' => depth - 1,
            _ => depth,
        }) > 0
    };
    let on_line = [
        (".get(", "GET"),
        (".post(", "POST"),
        (".put(", "PUT"),
        (".delete(", "DELETE"),
        // Elixir's raising variants (`Req.post!(`, `HTTPoison.get!(`).
        (".get!(", "GET"),
        (".post!(", "POST"),
        (".put!(", "PUT"),
        (".delete!(", "DELETE"),
    ]
    .iter()
    .flat_map(|(call, m)| line[..url_at].match_indices(call).map(move |(i, _)| (i + call.len() - 1, *m)))
    .filter(|(open, _)| encloses(*open))
    .max()
    .map(|(_, m)| m);
    if let Some(m) = on_line {
        return (m, false);
    }
    let named = lower.match_indices("method").find_map(|(i, _)| {
        let rest =
            text[i + "method".len()..].trim_start_matches(|c: char| SEPARATORS.contains(&c) || c == ']');
        // Any case: Elixir's `method: :post`, Ruby's `:get`.
        let w = rest.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default();
        is_method(&w.to_ascii_uppercase()).then_some(w)
    });
    // An HTTP client's call in the program's code (`requests.get(`, `http.post(`, `axios.delete(`):
    // a surer sign than a method word in its comments.
    let called = || {
        ["get", "post", "put", "delete"]
            .iter()
            .filter_map(|m| {
                let at = CLIENTS.iter().filter_map(|c| lower.find(&format!("{c}.{m}("))).min()?;
                Some((at, *m))
            })
            .min()
            .map(|(_, m)| match m {
                "get" => "GET",
                "post" => "POST",
                "put" => "PUT",
                _ => "DELETE",
            })
    };
    named
        .or_else(called)
        .or_else(|| text.split(|c: char| !c.is_ascii_alphabetic()).find(|w| is_method(w)))
        // Zapier's Webhooks POST step names no method, but its payload type (GET has none).
        .or_else(|| text.lines().any(|l| l.trim_start().starts_with("payload_type:")).then_some("POST"))
        .map_or_else(
            || {
                let target = &text[at..at + len];
                (method_of_params(target, form_text_at(text, Some(at), target).or(json_names)), true)
            },
            |m| (m, false),
        )
}

/// The names programs give their HTTP client (lower case), before `.get(` / `.post(`.
const CLIENTS: &[&str] =
    &["requests", "http", "axios", "session", "client", "httpx", "aiohttp", "httpclient", "dio", "got"];

/// The method of the endpoint at the target's path that defines the most of the parameters sent
/// (a library's error that prints the URL but not the method: `requestUrl: '.../order?symbol=...&side=BUY'`
/// is a POST), GET when none defines more than GET's.
pub(super) fn method_of_params(target: &str, form: Option<&str>) -> &'static str {
    let Ok((_, path, query)) = super::request::split_url(target) else { return "GET" };
    let names: Vec<&str> = [query.as_str(), form.unwrap_or_default()]
        .iter()
        .flat_map(|t| t.split('&'))
        .filter_map(|pair| pair.split('=').next().filter(|n| !n.is_empty()))
        .collect();
    let mut best = ("GET", 0);
    for (word, method) in
        [("GET", Method::Get), ("POST", Method::Post), ("PUT", Method::Put), ("DELETE", Method::Delete)]
    {
        let Some(e) = endpoint::find(method, &path) else { continue };
        let known = names.iter().filter(|n| e.param(n).is_some()).count();
        if known > best.1 {
            best = (word, known);
        }
    }
    best.0
}

/// The value printed after a header's `name` (case-insensitive), in whatever punctuation: `Name:
/// v`, `'Name': 'v'`, `Name=[v]`, `(b'name', b'v')`. An API key (`key_like`) is letters and digits;
/// another value runs to the end of its quotes or line.
/// The key header's value as a tool's template variable (`X-MBX-APIKEY: {{apiKey}}`), braces
/// and all: [`RequestRecord::from_http`] resolves it or names it.
fn templated_key(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("x-mbx-apikey").find_map(|(i, _)| {
        let after = &text[i + "x-mbx-apikey".len()..];
        let rest = after.trim_start_matches(['\'', '"', ' ', '\t', ':', '=']);
        let end = rest.find("}}")? + 2;
        (rest.starts_with("{{") && !rest[..end].contains(char::is_whitespace)).then(|| &rest[..end])
    })
}

fn header_value<'t>(text: &'t str, name: &str, key_like: bool) -> Option<&'t str> {
    let lower = text.to_ascii_lowercase();
    let mut values = lower.match_indices(name).filter_map(|(i, _)| {
        // A query's parameter of that name (`?X-MBX-APIKEY=...`) is no header.
        if text[..i].ends_with(['?', '&']) {
            return None;
        }
        let after = &text[i + name.len()..];
        // Go's `%#v` of an http.Header: `"X-Mbx-Apikey":[]string{"..."}`.
        if let Some(inner) = after.strip_prefix("\":[]string{\"") {
            return inner.split('"').next();
        }
        // An empty quoted value (`'X-MBX-APIKEY': ''`, `"X-MBX-APIKEY": ""`): empty, not the next
        // header's name.
        let value_start = after.trim_start_matches(['\'', '"']).trim_start();
        let value_start = value_start.strip_prefix([':', '=']).unwrap_or(value_start).trim_start();
        if value_start.starts_with("''") || value_start.starts_with("\"\"") {
            return Some("");
        }
        let rest = after.trim_start_matches(|c: char| SEPARATORS.contains(&c));
        let separated = &after[..after.len() - rest.len()];
        // PowerShell's table of a header hashtable separates name and value by spaces alone: read
        // so only a value as long as Binance's keys.
        // (Or a variable's name, unexpanded: `X-MBX-APIKEY   $apiKey`, from single quotes.)
        let variable = rest.strip_prefix('$').is_some_and(|v| {
            let n = v.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
            n > 0 && v[n..].lines().next().is_none_or(|l| l.trim().is_empty())
        });
        let table = key_like
            && separated.bytes().all(|b| b == b' ')
            && separated.len() >= 2
            && (rest.bytes().take_while(u8::is_ascii_alphanumeric).count() == 64 || variable);
        if !separated.contains([':', '=', ',']) && !table {
            return None;
        }
        // A comma alone separates a pair's quoted members (`("X-MBX-APIKEY", "...")`), not a
        // sentence's words (`the key goes in X-MBX-APIKEY, read with .trim()`).
        if !separated.contains([':', '=']) && !table && !text[..i].ends_with(['\'', '"', '`']) {
            return None;
        }
        // A value holding quotes of its own inside a printed string (Python's dict of headers:
        // `'X-MBX-APIKEY': '"vmPU..."'`, a .env value read with its quotes): kept with them, which the
        // diagnosis names.
        if key_like && (separated.ends_with("'\"") || separated.ends_with("\"'")) {
            let inner = separated.len() - 1;
            let quote = &after[inner..inner + 1];
            if let Some(close) = rest.find(quote) {
                return Some(&after[inner..separated.len() + close + 1]);
            }
        }
        // A value holding quotes of its own, as a logger inspects it (Faraday's `"\"vmPU...\""`):
        // the key with its opening quote, which the diagnosis names.
        if key_like && rest.starts_with("\\\"") {
            let inner = &rest[1..];
            let end = inner[1..].find('\\').map_or(inner.len(), |e| e + 1);
            return Some(&inner[..end]);
        }
        // Python's bytes literal: b'...'.
        let rest = rest.strip_prefix("b'").or_else(|| rest.strip_prefix("b\"")).unwrap_or(rest);
        let end = if key_like {
            // (A shell variable's `$` kept: the diagnosis names it.)
            let skip = usize::from(
                rest.strip_prefix('$')
                    .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')),
            );
            let end = rest[skip..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map_or(rest.len(), |e| e + skip);
            // A line break written as an escape inside the quoted value (Spring's print of its
            // headers, `X-MBX-APIKEY:"vmPU...\n"`): kept with the key, which the diagnosis names.
            let escape = ["\\r\\n", "\\n", "\\r", "\\t"]
                .into_iter()
                .find(|e| rest[end..].strip_prefix(e).is_some_and(|after| after.starts_with(['"', '\''])));
            end + escape.map_or(0, str::len)
        } else {
            rest.find(|c: char| "'\"]})\r\n".contains(c)).unwrap_or(rest.len())
        };
        let value = rest[..end].trim();
        // Source code rather than a print: the header's name quoted and the value not (a
        // variable: `{'X-MBX-APIKEY': API_KEY}`), or the value an expression (`os.environ[...]`,
        // `getenv(...)`); only for a value shorter than any key (Binance's are 64 characters).
        // An unset variable printed as the value (`"X-MBX-APIKEY": undefined` in Metro's and Node's
        // logs, Python's `None`, Ruby's `nil`): the key sent is empty.
        if key_like
            && ["undefined", "null", "None", "nil"].contains(&value)
            && !rest[end..].starts_with(['.', '('])
            && !separated.ends_with(['\'', '"'])
        {
            return Some("");
        }
        let quoted_name = text[..i].ends_with(['\'', '"']);
        let quoted_value = separated.ends_with(['\'', '"']) || rest.len() < after.len() - separated.len();
        let expression = rest[end..].starts_with(['.', '(', '[']);
        if key_like && value.len() < 20 && ((quoted_name && !quoted_value) || expression) {
            return None;
        }
        // Go's print of a header map shows an empty value as `Name:[]` (then the map's `]` or the
        // next name; `%#v`'s `[]string{...}` is not one).
        let go_empty = separated.ends_with(":[")
            && rest.strip_prefix(']').is_some_and(|r| r.is_empty() || r.starts_with([']', ' ', '\r', '\n']));
        // Dart's and Java's print of a map with the key empty (`{X-MBX-APIKEY: }`, `{X-MBX-APIKEY=,
        // Accept=...}`): the map goes on, or closes, right after the name.
        let map_empty =
            key_like && separated.trim_end().ends_with([':', '=']) && rest.starts_with(['}', ',']);
        (!value.is_empty() || go_empty || map_empty).then_some(value)
    });
    let first = values.next()?;
    // A key printed by the program rather than the name of the variable in its source beside
    // (`{"X-MBX-APIKEY", key}`, `Headers.Add("X-MBX-APIKEY", apiKey)`): the first long one.
    if !key_like || first.len() >= 20 {
        return Some(first);
    }
    Some(values.find(|v| v.len() >= 20).unwrap_or(first))
}

/// A header printed with a name that holds `sign` and a dash (`X-MBX-SIGNATURE`, `X-BAPI-SIGN`,
/// `OK-ACCESS-SIGN`), as `Name: value` or a JSON object's `"Name": "value"`: its name and value.
fn signature_header(text: &str) -> Option<(&str, &str)> {
    text.lines().find_map(|line| {
        let l = line.trim().trim_start_matches(['"', '\'']);
        let end = l.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))?;
        let (name, rest) = l.split_at(end);
        let lower = name.to_ascii_lowercase();
        if !(lower.contains("sign") && name.contains('-')) {
            return None;
        }
        let value = rest.trim_start_matches(['"', '\'']).trim_start().strip_prefix(':')?;
        let value = value.trim().trim_end_matches(',').trim_matches(['"', '\'']);
        (!value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(c)))
            .then_some((name, value))
    })
}

/// Headers the text prints whose names are another exchange's authentication
/// ([`super::OTHER_EXCHANGES`]), each once, with its value.
fn other_exchange_headers(text: &str) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
        let lower = w.to_ascii_lowercase();
        // A header's name has a hyphen (not Bitget's `access-` inside a word such as `no-access-`).
        if !w.contains('-') || !super::OTHER_EXCHANGES.iter().any(|(prefix, _)| lower.starts_with(prefix)) {
            continue;
        }
        if out.iter().any(|(k, _)| k.eq_ignore_ascii_case(w)) {
            continue;
        }
        if let Some(v) = header_value(text, &lower, false).filter(|v| !v.is_empty()) {
            out.push((w, v));
        }
    }
    out
}

/// A header named like Binance's key header but spelled otherwise (`X-MBX-API-KEY`,
/// `X_MBX_APIKEY`), with the key printed after it: the name as written and the value.
fn misspelled_key_header(text: &str) -> Option<(&str, &str)> {
    let names = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    names
        .filter(|w| {
            let letters: String =
                w.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
            // Binance's name with a letter or a word swapped or missing (`X-MBX-API-KEY`,
            // `X-MBX-KEY`, `X-MXB-APIKEY`).
            let mbx = ["mbx", "mxb", "bmx"].iter().any(|m| letters.contains(m));
            mbx && letters.contains("key") && crate::accept::looks_like_key_header(w)
        })
        .find_map(|w| {
            let value = header_value(text, &w.to_ascii_lowercase(), true)?;
            // A structured access log's field for the header (Envoy's `"x_mbx_apikey": ...`
            // beside `"user_agent"`, nginx's `$http_x_mbx_apikey`): the operator's name for what
            // was sent as X-MBX-APIKEY, not a header's.
            let lower = text.to_ascii_lowercase();
            let log_field = w.contains('_')
                && !w.contains('-')
                && ["user_agent", "response_code", "status_code", "upstream_", "bytes_sent", "request_time"]
                    .iter()
                    .any(|f| lower.contains(f));
            Some((if log_field { "X-MBX-APIKEY" } else { w }, value))
        })
}

/// A form body printed beside the request: a word after the target that reads as `name=value&...`
/// (quotes, a bytes literal's `b'...'` and a trailing comma taken off), other than the target's own
/// query; else, for a target without its signature, the last signed form printed before it
/// (`print(resp.request.body)`, then a sentence naming the URL).
fn form_text<'t>(text: &'t str, target: &str) -> Option<&'t str> {
    form_text_at(text, text.find(target), target)
}

/// [`form_text`] for the target at `at` (of several alike in a log, the one read).
fn form_text_at<'t>(text: &'t str, at: Option<usize>, target: &str) -> Option<&'t str> {
    let after = at.map_or(text, |at| &text[at + target.len()..]);
    let mut forms = after.split_whitespace().filter_map(form_word).filter(|w| !target.ends_with(w));
    let found = forms.next();
    // The text the program printed as signed, then what it sent (`signed: ...`, `sent: ...`,
    // the same names and a signature): the one sent.
    if let Some(first) = found.filter(|f| !signed(f) && !target.contains("signature="))
        && let Some(sent) = forms.find(|w| signed(w) && names_within(first, w))
    {
        return Some(sent);
    }
    if found.is_some() || target.contains("signature=") {
        return found;
    }
    let before = &text[..at?];
    before.split_whitespace().rev().filter_map(form_word).find(|w| w.contains("signature="))
}

/// Whether every parameter `a` names is among those `b` names (forms `name=value&...`).
fn names_within(a: &str, b: &str) -> bool {
    let names =
        |f: &str| f.split('&').filter_map(|p| p.split('=').next()).map(str::to_owned).collect::<Vec<_>>();
    let theirs = names(b);
    names(a).iter().all(|n| theirs.contains(n))
}

/// The form a printed word holds, if it holds one ([`form_text`]).
fn form_word(w: &str) -> Option<&str> {
    // A list's or a log's punctuation after it (`...&signature=ab12: {Code:-1121 ...}`).
    let w = w.trim_end_matches([',', ';', ':']);
    // Swift's print of an optional, Rust's `{:?}` of one: `Optional("...")`, `Some("...")`.
    let w = w.strip_prefix("Optional(").or_else(|| w.strip_prefix("Some(")).unwrap_or(w);
    let w = w.strip_prefix("b'").or_else(|| w.strip_prefix("b\"")).unwrap_or(w);
    let trimmed = w.trim_matches(|c: char| "'\"`()[]{}".contains(c));
    // A value's own closing quote (`type="LIMIT"`, values printed with their JSON quotes) is
    // not a quote around the whole form.
    let end = trimmed.as_ptr() as usize - w.as_ptr() as usize + trimmed.len();
    let w = if trimmed.matches('"').count() % 2 == 1 && w[end..].starts_with('"') {
        &w[end - trimmed.len()..=end]
    } else {
        trimmed
    };
    let w = w.trim_start_matches('?');
    // A logger's label before it (`body=symbol=...&...`, logfmt's `req_body="..."`): the form is
    // after it. (A base64 signature's `=` sent first is no label's.)
    let w = match w.split('&').next().and_then(|first| first.split_once('=')) {
        Some((label, rest))
            if rest.contains('=')
                && label != "signature"
                && label.bytes().all(|b| b.is_ascii_alphabetic() || b"_.-".contains(&b)) =>
        {
            // Its value may be quoted (Elixir's `body="..."`), or a Python bytes literal (httpx's
            // `content=b'...'`).
            let value = &w[label.len() + 1..];
            let value = value.strip_prefix('b').filter(|v| v.starts_with(['"', '\''])).unwrap_or(value);
            match value.strip_prefix(['"', '\'']) {
                Some(inner) => inner.strip_suffix(['"', '\'']).unwrap_or(inner),
                None => value,
            }
        }
        _ => w,
    };
    let form = w.contains('=')
        && w.contains('&')
        && !w.contains("://")
        && !w.starts_with('/')
        && w.split('&')
            .all(|pair| pair.split_once('=').is_some_and(|(k, _)| !k.is_empty() && !k.contains([':', '/'])));
    form.then_some(w)
}

/// A JSON object printed as a request's body after a `body`, `data` or `payload` label (`body:
/// {...}`, `data={...}`), whole.
pub(super) fn json_body(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    ["body", "data", "payload"].iter().find_map(|label| {
        lower.match_indices(label).find_map(|(at, _)| {
            let rest = &text[at + label.len()..];
            let after = rest.trim_start_matches([':', '=', ' ', '"']);
            if !after.starts_with('{') {
                return None;
            }
            let mut values = serde_json::Deserializer::from_str(after).into_iter::<serde_json::Value>();
            let v = values.next()?.ok()?;
            // Binance's answer printed as a body (`body={"code":-1021,"msg":...}`) is not the request's.
            if v.get("code").is_some() && v.get("msg").is_some() {
                return None;
            }
            Some(&after[..values.byte_offset()])
        })
    })
}

/// A JSON object printed on a line of its own (after a logger's prefix, `flutter: {...}`) that
/// holds a request's parameters (`timestamp` or `signature` among its names), not Binance's
/// answer: a program's print of the JSON body it sent.
pub(super) fn unlabelled_json_body(text: &str) -> Option<&str> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(brace) = line.find('{') else { continue };
        let from = &text[start + brace..];
        let mut values = serde_json::Deserializer::from_str(from).into_iter::<serde_json::Value>();
        let Some(Ok(v)) = values.next() else { continue };
        let is_request = v.get("timestamp").is_some() || v.get("signature").is_some();
        if v.is_object() && is_request && v.get("code").is_none() {
            return Some(&from[..values.byte_offset()]);
        }
    }
    None
}

/// The names of a JSON object's members as a form's names (`symbol=&side=`), for
/// [`method_of_params`].
fn json_names(json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some(v.as_object()?.keys().map(|k| format!("{k}=")).collect::<Vec<_>>().join("&"))
}

/// A form body of `len` bytes printed somewhere in a log whose HTTP lines show only the headers
/// (a program's `POSTFIELDS: ...` or `body: ...` before libcurl's verbose output).
pub(super) fn printed_form(text: &str, len: usize) -> Option<&str> {
    forms(text).find(|form| form.len() == len)
}

/// Every form [`form_text`] finds in `text`, in order.
fn forms(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let form = form_text(rest, "")?;
        // A form is a slice of `rest`: go on after it.
        let end = form.as_ptr() as usize - rest.as_ptr() as usize + form.len();
        rest = &rest[end..];
        Some(form)
    })
}

/// The forms `text` prints other than `record`'s own query and body and those with a signature
/// (what a program logged as the text it signed), at most eight.
pub(super) fn printed_forms(text: &str, record: &RequestRecord) -> Vec<String> {
    let sent = [record.query.as_str(), record.body.as_str()];
    let joined = format!("{}{}", record.query, record.body);
    forms_printed(text, |form| sent.contains(&form) || form == joined)
}

/// The signed forms a text prints (`symbol=...&timestamp=...&signature=...` on a line of a log),
/// in order.
pub(super) fn signed_forms(text: &str) -> Vec<&str> {
    forms(text).filter(|f| signed(f) && !placeholder(f)).collect()
}

/// The `name=value&...` texts a log prints that carry no signature (what a program logged as the
/// text it signed: `sign: apiKey=...&price=...`), at most eight: what
/// [`super::diagnose_ws_frames_printed`] tries.
pub fn printed_forms_in(text: &str) -> Vec<String> {
    forms_printed(text, |_| false)
}

fn forms_printed(text: &str, own: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for form in forms(text).filter(|f| !own(f) && !f.contains("signature=")) {
        if !out.iter().any(|f| f == form) {
            out.push(form.to_owned());
        }
        if out.len() == 8 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    const Q: &str = "symbol=BTCUSDT&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";

    fn read_ok(text: &str) -> RequestRecord {
        read(text).expect("read").expect("no error")
    }

    #[test]
    fn prints_of_many_languages_are_read_by_their_pieces() {
        let aiohttp = format!(
            "request_info: RequestInfo(url=URL('http://127.0.0.1:9900/api/v3/account?{Q}'), method='GET', headers=<CIMultiDictProxy('Host': '127.0.0.1:9900', 'X-MBX-APIKEY': '{KEY}', 'Accept': '*/*')>, real_url=URL('http://127.0.0.1:9900/api/v3/account?{Q}'))"
        );
        let java = format!(
            "request: https://api.binance.com/api/v3/order?{Q} POST headers={{X-MBX-APIKEY=[{KEY}]}}"
        );
        let php = format!(
            "Array\n(\n    [url] => https://api.binance.com/api/v3/openOrders?{Q}\n    [http_code] => 400\n    [request_header] => GET /api/v3/openOrders?{Q} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\n    [effective_method] => GET\n)\n400 {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n"
        );
        let postman = format!(
            "GET http://127.0.0.1:9900/api/v3/account?{Q}\n400\n4 ms\nNetwork\nRequest Headers\nX-MBX-APIKEY: {KEY}\nResponse Body\n{{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n"
        );
        let node = format!(
            "got request: POST https://api.binance.com/api/v3/order {{\n  'x-mbx-apikey': '{KEY}',\n  'content-type': 'application/x-www-form-urlencoded'\n}}\nbody: '{Q}'\n"
        );
        for (text, method, path) in [
            (&aiohttp, "GET", "/api/v3/account"),
            (&java, "POST", "/api/v3/order"),
            (&php, "GET", "/api/v3/openOrders"),
            (&postman, "GET", "/api/v3/account"),
            (&node, "POST", "/api/v3/order"),
        ] {
            let r = read_ok(text);
            assert_eq!((r.method.as_str(), r.path.as_str()), (method, path), "{text}");
            assert_eq!(r.header("x-mbx-apikey"), Some(KEY), "{text}");
            assert_eq!(format!("{}{}", r.query, r.body), Q, "{text}");
        }
        assert_eq!(read_ok(&php).answered.and_then(|a| a.code), Some(-1022));
        assert_eq!(read_ok(&node).header("content-type"), Some("application/x-www-form-urlencoded"));
    }

    #[test]
    fn the_printed_request_wins_over_the_source_beside_it() {
        // Elixir: a variable's name in the source, an atom for the method, the answer's headers
        // printed before the request's.
        let elixir = format!(
            "# HTTPoison.post!(url, body, [{{\"X-MBX-APIKEY\", key}}])\n%HTTPoison.Response{{\n  headers: [{{\"Content-Type\", \"application/json\"}}],\n  request_url: \"https://api.binance.com/api/v3/order\",\n  request: %HTTPoison.Request{{\n    method: :post,\n    headers: [{{\"X-MBX-APIKEY\", \"{KEY}\"}}, {{\"Content-Type\", \"application/x-www-form-urlencoded\"}}],\n    body: \"{Q}\"\n  }}\n}}"
        );
        let r = read_ok(&elixir);
        assert_eq!((r.method.as_str(), r.body.as_str()), ("POST", Q));
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
        // PowerShell: the source's URL with variables, then the header table and the verbose line.
        let powershell = format!(
            "Invoke-RestMethod -Uri \"https://api.binance.com/api/v3/account?$query&signature=$sig\" -Headers $headers\n\nName                           Value\n----                           -----\nX-MBX-APIKEY                   {KEY}\nVERBOSE: GET https://api.binance.com/api/v3/account?{Q} with 0-byte payload\n"
        );
        let r = read_ok(&powershell);
        assert_eq!((r.method.as_str(), r.query.as_str()), ("GET", Q));
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        // The same table with the variable's name, unexpanded (the header built in single quotes).
        let r = read_ok(&powershell.replace(KEY, "$apiKey"));
        assert_eq!(r.header("x-mbx-apikey"), Some("$apiKey"));
        // Haskell's http-client: the path and its query printed apart.
        let haskell = format!(
            "Request {{\n  requestHeaders = [(\"X-MBX-APIKEY\",\"{KEY}\")]\n  path = \"/api/v3/account\"\n  queryString = \"?{Q}\"\n  method = \"GET\"\n}}"
        );
        let r = read_ok(&haskell);
        assert_eq!((r.path.as_str(), r.query.as_str()), ("/api/v3/account", Q));
    }

    /// Round 4's prints: Swift's `Optional("...")` body, Dio's indented headers with the key in
    /// `Authorization`, and a Jupyter traceback whose source line names the key's variable.
    #[test]
    fn optionals_authorization_and_variables_in_source_lines() {
        let swift = format!(
            "➡️ POST https://api.binance.com/api/v3/order\nHeaders: Optional([\"X-MBX-APIKEY\": \"{KEY}\"])\nBody: Optional(\"{Q}\")\n"
        );
        let r = read_ok(&swift);
        assert_eq!((r.body.as_str(), r.header("x-mbx-apikey")), (Q, Some(KEY)));
        let dio = format!(
            "I/flutter (1): uri: https://api.binance.com/api/v3/openOrders?{Q}\nI/flutter (1): method: GET\nI/flutter (1): headers:\nI/flutter (1):  Authorization: Bearer {KEY}\n"
        );
        let r = read_ok(&dio);
        assert_eq!(r.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
        assert!(!r.key_unshown, "the key was sent, in the wrong header");
        for source in ["headers={'X-MBX-APIKEY': API_KEY})", "headers={'X-MBX-APIKEY': os.environ['K']})"] {
            let jupyter = format!(
                "      7 r = requests.post(BASE + '/api/v3/order', params=params,\n      8     {source}\nHTTPError: 400 Client Error: Bad Request for url: https://api.binance.com/api/v3/order?{Q}\n"
            );
            let r = read_ok(&jupyter);
            assert_eq!(r.header("x-mbx-apikey"), None, "{source}");
            assert!(r.key_unshown, "{source}");
        }
        // The key under a misspelled header name; a response's x-mbx-uuid is no key header.
        let misspelled = format!(
            "URL: https://api.binance.com/api/v3/account?{Q}\nHeaders: {{'X-MBX-API-KEY': '{KEY}'}}\nx-mbx-uuid: 6b5a4c3d-2e1f-4a0b\n"
        );
        let r = read_ok(&misspelled);
        assert_eq!((r.header("x-mbx-api-key"), r.key_unshown), (Some(KEY), false));
        let uuid =
            format!("URL: https://api.binance.com/api/v3/account?{Q}\nx-mbx-uuid: 6b5a4c3d-2e1f-4a0b\n");
        assert!(read_ok(&uuid).headers.is_empty());
        // A key printed short and quoted is still read (the diagnosis says it is malformed).
        let short =
            format!("POST https://api.binance.com/api/v3/order?{Q}\nheaders: {{'X-MBX-APIKEY': 'abc123'}}\n");
        assert_eq!(read_ok(&short).header("x-mbx-apikey"), Some("abc123"));
    }

    #[test]
    fn a_method_not_printed_is_the_one_whose_endpoint_takes_the_parameters() {
        let order =
            "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=25&timestamp=1499827319559&signature=ab";
        let node = format!(
            "Error placing order: {{\n  code: -1021,\n  requestUrl: 'https://api.binance.com/api/v3/order?{order}',\n  requestBody: undefined\n}}"
        );
        assert_eq!(read_ok(&node).method, "POST");
        // Parameters GET's endpoint takes as well as another's: GET.
        let query =
            format!("requestUrl: 'https://api.binance.com/api/v3/openOrders?{Q}'\nX-MBX-APIKEY: {KEY}");
        assert_eq!(read_ok(&query).method, "GET");
    }

    #[test]
    fn a_url_without_its_key_header_is_marked_and_other_text_is_not_read() {
        let httpx = format!(
            "INFO:httpx:HTTP Request: GET https://api.binance.com/api/v3/account?{Q} \"HTTP/1.1 400 Bad Request\""
        );
        let r = read(&httpx).expect("a Binance URL").expect("read");
        assert!(r.key_unshown && r.header("x-mbx-apikey").is_none(), "{r:?}");
        // A public endpoint needs none.
        assert!(read("GET https://api.binance.com/api/v3/ticker/price?symbol=BTCUSDT").unwrap().is_ok());
        assert!(read("nothing here, see https://example.com/docs").is_none());
    }
}
