//! Requests as HTTP clients log them, turned back into raw HTTP for [`RequestRecord::from_http`]:
//! `curl -v` (the request's lines start with `> `; PHP's `CURLOPT_VERBOSE` prints only the request
//! line so), `curl --trace-ascii` or `--trace` (`=> Send header` and `=> Send data` blocks of offset lines),
//! Python's `http.client` with `debuglevel = 1` (what `requests` prints: `send: b'GET /path
//! HTTP/1.1\r\nHost: ...'`), Ruby's `Net::HTTP#set_debug_output` (`<- "POST /path HTTP/1.1\r\n..."`),
//! OkHttp's `HttpLoggingInterceptor` (`--> POST https://...`, the headers, the body, `--> END POST`),
//! .NET's `HttpClient` logging (`Sending HTTP request POST https://...`, then `Request Headers:`),
//! Java's `HttpClient` log (`REQUEST HEADERS:` and the head), `wget --debug` (`---request begin---`),
//! an `AxiosError` as Node.js prints it (`_header: 'POST /path HTTP/1.1\r\n' + ...` and the
//! config's `data`) or as its `toJSON()` gives it, a browser's HTTP/2 headers (`:method:`,
//! `:path:`, `:authority:`), mitmdump's flows (`127.0.0.1:50412: POST https://...`, headers and
//! body indented) and Go's `%+v` of an `*http.Request` (`&{Method:POST URL:https://...`). Users paste these from their program's output; each form is recognised
//! by its own markers, and anything else is left to the raw HTTP reader. A log of several requests
//! (`/api/v3/time` first, then the order) gives the signed one ([`pick`]).

use super::inspect::{self, Js};
use super::request::{ParseError, RequestRecord};
use crate::endpoint::Method;

/// The raw HTTP request a pasted log shows, when `text` is one of the logs above; `None` for
/// anything else (raw HTTP itself included). An error when the log is recognised but lacks the
/// body its `Content-Length` announces (curl -v does not print it).
pub(super) fn as_raw_http(text: &str) -> Option<Result<String, ParseError>> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).map(logcat_message).collect();
    if lines.iter().any(|l| l.trim_start().starts_with("send: b'") || l.trim_start().starts_with("send: b\""))
    {
        return Some(sent_literals(&lines, "send: b"));
    }
    if lines.iter().any(|l| l.starts_with("<- \"")) {
        return Some(sent_literals(&lines, "<- "));
    }
    // pycurl's DEBUGFUNCTION printed as `debug(kind): b'...'`: kinds 2 and 4 are the header and
    // the data sent, 1 the header received (its status line says whether it was refused).
    if lines.iter().any(|l| l.starts_with("debug(2): b")) {
        let relabelled: Vec<String> = lines
            .iter()
            .filter_map(|l| {
                let (kind, rest) = l.strip_prefix("debug(")?.split_once("): ")?;
                match kind {
                    "2" | "4" => Some(format!("send: {rest}")),
                    "1" if rest.contains("HTTP/") => Some(format!("reply: {}", rest.trim_start_matches('b'))),
                    _ => None,
                }
            })
            .collect();
        let relabelled: Vec<&str> = relabelled.iter().map(String::as_str).collect();
        return Some(sent_literals(&relabelled, "send: b"));
    }
    if let Some(converted) = axios_error(text) {
        return Some(converted);
    }
    if let Some(raw) = node_binance_api_debug(text) {
        return Some(Ok(raw));
    }
    if let Some(start) = lines.iter().position(|l| l.trim() == "---request begin---") {
        return Some(wget(&lines[start + 1..]));
    }
    if lines.iter().any(|l| l.starts_with("=> Send header")) {
        return Some(curl_trace(&lines));
    }
    if let Some(at) = lines.iter().position(|l| l.trim_end().ends_with("REQUEST HEADERS:")) {
        return Some(Ok(head_block(&lines[at + 1..])));
    }
    if lines.iter().any(|l| l.starts_with(":method:")) && lines.iter().any(|l| l.starts_with(":path:")) {
        return Some(pseudo_headers(&lines));
    }
    if lines.iter().any(|l| mitmdump_request(l).is_some()) {
        return Some(mitmdump(&lines));
    }
    if let Some(printed) = go_request(text) {
        return Some(printed);
    }
    if let Some(converted) = bun_fetch(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = ktor(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = ccxt_verbose(text) {
        return Some(Ok(converted));
    }
    if let Some(converted) = python_binance_verbose(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = collection_export(text) {
        return Some(Ok(converted));
    }
    if let Some(converted) = bruno(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = lwp_console_logger(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = apache_wire(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = php_request_header(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = jmeter(&lines) {
        return Some(Ok(converted));
    }
    if let Some(converted) = mitmproxy_console(&lines) {
        return Some(converted);
    }
    if let Some(printed) = reqwest_request(text) {
        return Some(Ok(printed));
    }
    // OkHttp's (and Fuel's) `--> METHOD url`; not IPython's `--> 445  raise ...` traceback arrow.
    let okhttp_start = |l: &&str| {
        l.strip_prefix("--> ")
            .and_then(|r| r.split_whitespace().next())
            .is_some_and(|m| Method::parse(m).is_some())
    };
    if lines.iter().any(okhttp_start) {
        // Each request with what was logged after it, up to the next: the one to diagnose as
        // [`pick`] chooses (the signed one refused, else the latest signed).
        let starts: Vec<usize> = (0..lines.len()).filter(|&i| okhttp_start(&lines[i])).collect();
        let blocks: Vec<String> = starts
            .iter()
            .enumerate()
            .map(|(n, &at)| lines[at..starts.get(n + 1).copied().unwrap_or(lines.len())].join("\n"))
            .collect();
        let at = starts[pick_index(&blocks).unwrap_or(0)];
        let end = starts.iter().copied().find(|&s| s > at).unwrap_or(lines.len());
        return Some(okhttp(&lines[at..end]));
    }
    if lines.iter().any(|l| request_line_of_curl_v(l).is_some()) {
        return Some(curl_verbose(&lines));
    }
    if let Some(start) = lines.iter().position(|l| dotnet_request(l).is_some()) {
        return Some(dotnet(&lines[start..]));
    }
    None
}

/// mitmproxy's console, a flow's Request tab: `12:00:00 POST https://...`, the answer's `← 400 ...`
/// line, the tab bar, the headers (`Name:    value`), then the body's view (`URLEncoded form`:
/// `name:  value` rows). As raw HTTP (the answer, when the text prints it, is read apart).
fn mitmproxy_console(lines: &[&str]) -> Option<Result<String, ParseError>> {
    let start = lines.iter().position(|l| {
        let mut words = l.split_whitespace();
        let time = words.next().is_some_and(|t| t.len() == 8 && t.matches(':').count() == 2);
        let method = words.next().is_some_and(|m| Method::parse(m).is_some());
        time && method && words.next().is_some_and(|u| u.starts_with("http"))
    })?;
    let bar = start
        + lines[start..]
            .iter()
            .position(|l| l.contains("Request") && l.contains("Response") && l.contains("Detail"))?;
    let mut words = lines[start].split_whitespace().skip(1);
    let (method, url) = (words.next()?, words.next()?);
    let rest = &lines[bar + 1..];
    let view = rest
        .iter()
        .position(|l| l.starts_with("URLEncoded form") || l.trim().is_empty() || l.starts_with("```"));
    let headers: Vec<&str> = rest[..view.unwrap_or(rest.len())].to_vec();
    let header = |name: &str| {
        headers.iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    };
    let body = match view.filter(|&v| rest[v].starts_with("URLEncoded form")) {
        Some(v) => {
            let rows: Vec<&str> = rest[v + 1..]
                .iter()
                .take_while(|l| !l.trim().is_empty() && !l.starts_with("```"))
                .copied()
                .collect();
            let length = header("content-length").and_then(|n| n.parse::<usize>().ok());
            match shown_body(&rows, "application/x-www-form-urlencoded", length) {
                Ok(body) => body,
                Err(e) => return Some(Err(e)),
            }
        }
        None => String::new(),
    };
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    for h in &headers {
        if let Some((k, v)) = h.split_once(':') {
            raw.push_str(&format!("{}: {}\r\n", k.trim(), v.trim()));
        }
    }
    raw.push_str("\r\n");
    raw.push_str(&body);
    Some(Ok(raw))
}

/// A request a tool's file describes, as raw HTTP: the tool's User-Agent first when it names one
/// (the head then shows the headers as sent, the key among them or not), then the headers, and the
/// body's length.
fn raw_request(
    agent: Option<&str>,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &str,
) -> String {
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    for (k, v) in agent
        .map(|a| ("User-Agent", a))
        .into_iter()
        .chain(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    raw
}

/// HTTP basic credentials as the Authorization header a tool sends for them.
pub(super) fn basic_authorization(user: &str, pass: &str) -> (String, String) {
    use base64::Engine;
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    ("Authorization".to_owned(), format!("Basic {credentials}"))
}

/// A Bruno request file (`.bru`): the method's block (`post { url: ... }`), then `headers { }`,
/// `params:query { }`, `body:form-urlencoded { }` (or `body:json { }`, `body:text { }`) and
/// `auth:bearer { token: ... }` blocks of `name: value` lines, as raw HTTP. Lines starting with
/// `~` are disabled.
fn bruno(lines: &[&str]) -> Option<String> {
    let block = |name: &str| -> Option<Vec<&str>> {
        let at = lines.iter().position(|l| l.trim_end() == format!("{name} {{"))?;
        Some(lines[at + 1..].iter().take_while(|l| l.trim() != "}").copied().collect())
    };
    let rows = |name: &str| -> Vec<(String, String)> {
        block(name)
            .into_iter()
            .flatten()
            .filter(|l| !l.trim_start().starts_with('~'))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect()
    };
    let (method, request) =
        ["get", "post", "put", "delete", "patch"].iter().find_map(|m| Some((*m, block(m)?)))?;
    // An environment's `vars { name: value }` shown beside it fills its `{{name}}`.
    let vars = rows("vars");
    let fill =
        |s: &str| vars.iter().fold(s.to_owned(), |acc, (k, v)| acc.replace(&format!("{{{{{k}}}}}"), v));
    let rows = |name: &str| -> Vec<(String, String)> {
        rows(name).into_iter().map(|(k, v)| (k, fill(&v))).collect()
    };
    let url = fill(request.iter().find_map(|l| l.trim().strip_prefix("url:"))?.trim());
    let url = url.as_str();
    let encode = super::options::encoded;
    let query = encode(&rows("params:query"));
    // A URL with a query holds the one the block repeats.
    let url = if query.is_empty() || url.contains('?') { url.to_owned() } else { format!("{url}?{query}") };
    let mut headers = rows("headers");
    let body = if let Some(form) = block("body:form-urlencoded").map(|_| rows("body:form-urlencoded")) {
        headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
        encode(&form)
    } else if let Some(json) = block("body:json") {
        headers.push(("Content-Type".into(), "application/json".into()));
        json.iter().map(|l| l.trim()).collect::<Vec<_>>().join("")
    } else {
        block("body:text")
            .map(|t| t.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default()
    };
    if let Some((_, token)) = rows("auth:bearer").into_iter().find(|(k, _)| k == "token") {
        headers.push(("Authorization".into(), format!("Bearer {token}")));
    }
    Some(raw_request(None, &method.to_ascii_uppercase(), &url, &headers, &body))
}

/// A Postman collection (v2.x: `item` requests, in folders too, with `header`, `url` and a `body`
/// in `urlencoded` pairs or `raw`) or an Insomnia export (`resources` of `_type` request, with
/// `headers`, `parameters` and a `body` of `params` or `text`): of its requests, the one [`pick`]
/// chooses, as raw HTTP. Disabled headers and pairs are left out; values are percent-encoded as the
/// tools send them.
fn collection_export(text: &str) -> Option<String> {
    use serde_json::Value;
    let trimmed = text.trim_start();
    let doc: Value = if trimmed.starts_with(['{', '[']) {
        serde_json::from_str(trimmed).ok().or_else(|| postman_with_environment(text))?
    } else {
        postman_with_environment(text)?
    };
    // A tool's authorization setting, as the header it sends: a bearer token, basic credentials,
    // an API key header (Postman's `apikey`, Hoppscotch's `api-key`).
    let basic = basic_authorization;
    let pairs = |list: &Value, name: &str| -> Vec<(String, String)> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["disabled"] != Value::Bool(true))
            .filter_map(|p| {
                Some((p[name].as_str()?.to_owned(), p["value"].as_str().unwrap_or_default().to_owned()))
            })
            .collect()
    };
    let form = super::options::encoded;
    let mut requests = Vec::new();
    if doc["info"]["_postman_id"].is_string()
        || doc["info"]["schema"].as_str().is_some_and(|s| s.contains("postman"))
    {
        // Folders hold items of their own.
        let mut stack: Vec<&Value> = doc["item"].as_array()?.iter().collect();
        while let Some(item) = stack.pop() {
            if let Some(inner) = item["item"].as_array() {
                stack.extend(inner.iter().rev());
                continue;
            }
            let request = &item["request"];
            let url = request["url"]["raw"].as_str().or_else(|| request["url"].as_str()).unwrap_or_default();
            let body = &request["body"];
            let body = match body["mode"].as_str() {
                Some("urlencoded") => form(&pairs(&body["urlencoded"], "key")),
                Some("raw") => body["raw"].as_str().unwrap_or_default().to_owned(),
                _ => String::new(),
            };
            let method = request["method"].as_str().unwrap_or("GET");
            let mut headers = pairs(&request["header"], "key");
            let auth = &request["auth"];
            let auth_value = |kind: &str, name: &str| {
                auth[kind].as_array()?.iter().find(|p| p["key"] == name)?["value"].as_str().map(str::to_owned)
            };
            match auth["type"].as_str() {
                Some("bearer") => headers.push((
                    "Authorization".into(),
                    format!("Bearer {}", auth_value("bearer", "token").unwrap_or_default()),
                )),
                Some("basic") => headers.push(basic(
                    &auth_value("basic", "username").unwrap_or_default(),
                    &auth_value("basic", "password").unwrap_or_default(),
                )),
                Some("apikey") if auth_value("apikey", "in").as_deref() != Some("query") => headers.push((
                    auth_value("apikey", "key").unwrap_or_default(),
                    auth_value("apikey", "value").unwrap_or_default(),
                )),
                _ => {}
            }
            requests.push(raw_request(Some("PostmanRuntime/7"), method, url, &headers, &body));
        }
    } else if doc["_type"] == "export" {
        for r in doc["resources"].as_array()?.iter().filter(|r| r["_type"] == "request") {
            let url = r["url"].as_str().unwrap_or_default();
            let query = form(&pairs(&r["parameters"], "name"));
            let url = match (query.is_empty(), url.contains('?')) {
                (true, _) => url.to_owned(),
                (false, true) => format!("{url}&{query}"),
                (false, false) => format!("{url}?{query}"),
            };
            let body = match r["body"]["params"].as_array() {
                Some(_) => form(&pairs(&r["body"]["params"], "name")),
                None => r["body"]["text"].as_str().unwrap_or_default().to_owned(),
            };
            let mut headers = pairs(&r["headers"], "name");
            if let Some(mime) = r["body"]["mimeType"].as_str()
                && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                headers.push(("Content-Type".to_owned(), mime.to_owned()));
            }
            let auth = &r["authentication"];
            let text = |name: &str| auth[name].as_str().unwrap_or_default();
            match text("type") {
                "bearer" => {
                    let prefix = if text("prefix").is_empty() { "Bearer" } else { text("prefix") };
                    headers.push(("Authorization".into(), format!("{prefix} {}", text("token"))));
                }
                "basic" => headers.push(basic(text("username"), text("password"))),
                _ => {}
            }
            let method = r["method"].as_str().unwrap_or("GET");
            requests.push(raw_request(Some("insomnia"), method, &url, &headers, &body));
        }
    } else if let Some(collections) = doc.as_array().filter(|c| c.iter().any(|c| c["requests"].is_array())) {
        // Hoppscotch: collections of `requests` (`endpoint`, `params`, `headers` with `active`, a
        // `body` of `contentType` and text; urlencoded as `name: value` lines), folders within.
        let active = |list: &Value| -> Vec<(String, String)> {
            list.as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["active"] != Value::Bool(false))
                .filter_map(|p| {
                    Some((p["key"].as_str()?.to_owned(), p["value"].as_str().unwrap_or_default().to_owned()))
                })
                .collect()
        };
        let mut stack: Vec<&Value> = collections.iter().collect();
        while let Some(c) = stack.pop() {
            stack.extend(c["folders"].as_array().into_iter().flatten());
            for r in c["requests"].as_array().into_iter().flatten() {
                let url = r["endpoint"].as_str().unwrap_or_default();
                let query = form(&active(&r["params"]));
                let url = match (query.is_empty(), url.contains('?')) {
                    (true, _) => url.to_owned(),
                    (false, true) => format!("{url}&{query}"),
                    (false, false) => format!("{url}?{query}"),
                };
                let mut headers = active(&r["headers"]);
                let content_type = r["body"]["contentType"].as_str();
                let text = r["body"]["body"].as_str().unwrap_or_default();
                let body = match content_type {
                    Some("application/x-www-form-urlencoded") if !text.contains('=') => {
                        let rows: Vec<(String, String)> = text
                            .lines()
                            .filter_map(|l| l.split_once(':'))
                            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                            .collect();
                        form(&rows)
                    }
                    _ => text.to_owned(),
                };
                if let Some(t) = content_type
                    && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                {
                    headers.push(("Content-Type".into(), t.to_owned()));
                }
                let auth = &r["auth"];
                match auth["authType"].as_str() {
                    Some("bearer") => headers.push((
                        "Authorization".into(),
                        format!("Bearer {}", auth["token"].as_str().unwrap_or_default()),
                    )),
                    Some("basic") => headers.push(basic(
                        auth["username"].as_str().unwrap_or_default(),
                        auth["password"].as_str().unwrap_or_default(),
                    )),
                    Some("api-key") if auth["addTo"].as_str() != Some("QUERY_PARAMS") => headers.push((
                        auth["key"].as_str().unwrap_or_default().to_owned(),
                        auth["value"].as_str().unwrap_or_default().to_owned(),
                    )),
                    _ => {}
                }
                let method = r["method"].as_str().unwrap_or("GET");
                requests.push(raw_request(Some("Hoppscotch"), method, &url, &headers, &body));
            }
        }
    } else if [&doc["clientName"], &doc["client"]].iter().any(|c| c.as_str() == Some("Thunder Client")) {
        // Thunder Client: `requests` with the URL (its query already in it; `params` repeat it),
        // `headers`, and a `body` of `type` formencoded (`form` rows) or raw text.
        for r in doc["requests"].as_array()?.iter() {
            let url = r["url"].as_str().unwrap_or_default();
            let query = form(&pairs(&r["params"], "name"));
            let url =
                if url.contains('?') || query.is_empty() { url.to_owned() } else { format!("{url}?{query}") };
            let mut headers = pairs(&r["headers"], "name");
            let body = match r["body"]["type"].as_str() {
                Some("formencoded") => {
                    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                        headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
                    }
                    form(&pairs(&r["body"]["form"], "name"))
                }
                _ => r["body"]["raw"].as_str().unwrap_or_default().to_owned(),
            };
            let method = r["method"].as_str().unwrap_or("GET");
            requests.push(raw_request(Some("Thunder Client"), method, &url, &headers, &body));
        }
    } else {
        return None;
    }
    pick(&requests)
}

/// A Postman collection pasted with more around it (its file's name, the environment exported
/// beside it): the collection with its `{{variables}}` filled as Postman fills them when it sends,
/// from the environment's enabled values over the collection's own `variable` list. A variable
/// neither defines is sent as written, braces and all.
fn postman_with_environment(text: &str) -> Option<serde_json::Value> {
    use serde_json::Value;
    if !text.contains("getpostman.com") && !text.contains("_postman_id") {
        return None;
    }
    // The JSON documents that start a line, in order.
    let mut documents = Vec::new();
    let mut at = 0;
    while let Some(start) = text[at..].find('{').map(|i| at + i) {
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        if !text[line_start..start].trim().is_empty() {
            at = start + 1;
            continue;
        }
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => {
                documents.push((start, start + stream.byte_offset(), v));
                at = start + stream.byte_offset();
            }
            _ => at = start + 1,
        }
    }
    let is_collection = |v: &Value| {
        v["info"]["_postman_id"].is_string()
            || v["info"]["schema"].as_str().is_some_and(|s| s.contains("postman"))
    };
    let (from, to, collection) = documents.iter().find(|(_, _, v)| is_collection(v))?;
    let enabled = |list: &Value| -> Vec<(String, String)> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["enabled"] != Value::Bool(false) && p["disabled"] != Value::Bool(true))
            .filter_map(|p| {
                let value = match &p["value"] {
                    Value::String(s) => s.clone(),
                    Value::Null => return None,
                    other => other.to_string(),
                };
                Some((p["key"].as_str()?.to_owned(), value))
            })
            .collect()
    };
    let mut variables = enabled(&collection["variable"]);
    for (_, _, v) in documents.iter().filter(|(_, _, v)| !is_collection(v) && v["values"].is_array()) {
        variables.extend(enabled(&v["values"]));
    }
    let mut json = text[*from..*to].to_owned();
    // The later definition wins (the environment's over the collection's).
    for (name, value) in variables.iter().rev() {
        let escaped = Value::String(value.clone()).to_string();
        json = json.replace(&format!("{{{{{name}}}}}"), &escaped[1..escaped.len() - 1]);
    }
    serde_json::from_str(&json).ok()
}

/// Perl's LWP::ConsoleLogger: the request's `METHOD url` line, then tables drawn with `|`: the
/// headers (`Request (before sending) Header | Value`), the body (`Content`), and after `==> 400
/// Bad Request` the answer's (a `Content` table again). Read when it shows a body; a request
/// without one is read by its pieces (its query is the URL the program printed).
fn lwp_console_logger(lines: &[&str]) -> Option<String> {
    let headers_at = lines.iter().position(|l| l.starts_with("| Request (before sending) Header"))?;
    let request_line = lines[..headers_at].iter().rev().find(|l| {
        let mut words = l.split_whitespace();
        words.next().is_some_and(|m| Method::parse(m).is_some())
            && words.next().is_some_and(|u| u.starts_with("http"))
            && words.next().is_none()
    })?;
    let cells = |l: &str| -> Option<Vec<String>> {
        let inner = l.trim().strip_prefix('|')?.strip_suffix('|')?;
        Some(inner.split('|').map(|c| c.trim().to_owned()).collect())
    };
    // A table's rows: after the line under its heading (`+---+`), up to its closing line.
    let rows = |from: usize| -> Vec<Vec<String>> {
        lines[from..].iter().skip(2).take_while(|l| l.starts_with('|')).filter_map(|l| cells(l)).collect()
    };
    let answer_at = lines.iter().position(|l| l.starts_with("==> ")).unwrap_or(lines.len());
    let content_at = (headers_at..answer_at).find(|&i| cells(lines[i]).is_some_and(|c| c == ["Content"]))?;
    let body: String = rows(content_at).into_iter().flatten().collect();
    let mut raw = format!("{request_line} HTTP/1.1\r\n");
    for row in rows(headers_at) {
        if let [name, value] = row.as_slice() {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    raw.push_str("\r\n");
    raw.push_str(&body);
    if let Some(status) = lines.get(answer_at).and_then(|l| l.strip_prefix("==> ")) {
        let answer = (answer_at..lines.len())
            .find(|&i| cells(lines[i]).is_some_and(|c| c == ["Content"]))
            .map(|i| rows(i).into_iter().flatten().collect::<String>())
            .unwrap_or_default();
        raw.push_str(&format!("\r\nHTTP/1.1 {status}\r\n\r\n{answer}"));
    }
    Some(raw)
}

/// Apache HttpClient's wire log (`http-outgoing-0 >> "GET /api/v3/order?... HTTP/1.1[\r][\n]"`,
/// each line a quoted piece of what was sent, `<< "..."` of what came back): of the requests it
/// shows, the one [`pick`] chooses, as raw HTTP, with the answer logged after it.
fn apache_wire(lines: &[&str]) -> Option<String> {
    if !lines.iter().any(|l| l.contains(">> \"") && l.contains("[\\r][\\n]")) {
        return None;
    }
    // The piece a line logs, after its direction's marker, its line ends written out.
    let piece = |line: &str, marker: &str| -> Option<String> {
        let rest = &line[line.find(marker)? + marker.len()..];
        let inner = rest.trim_end().strip_prefix('"')?.strip_suffix('"')?;
        Some(inner.replace("[\\r]", "\r").replace("[\\n]", "\n"))
    };
    // Each request with what came back after it.
    let mut exchanges: Vec<(String, String)> = Vec::new();
    for line in lines {
        if let Some(sent) = piece(line, ">> ") {
            let starts =
                sent.split(' ').next().is_some_and(|m| Method::parse(m).is_some()) && sent.contains(" HTTP/");
            match exchanges.last_mut() {
                Some((request, answer)) if !starts && answer.is_empty() => request.push_str(&sent),
                _ => exchanges.push((sent, String::new())),
            }
        } else if let (Some(got), Some((_, answer))) = (piece(line, "<< "), exchanges.last_mut()) {
            answer.push_str(&got);
        }
    }
    let whole: Vec<String> = exchanges.iter().map(|(r, a)| format!("{r}{a}")).collect();
    let (request, answer) = &exchanges[pick_index(&whole)?];
    let separator = if request.ends_with("\r\n\r\n") { "" } else { "\r\n" };
    Some(format!("{request}{separator}{answer}"))
}

/// PHP's `print_r(curl_getinfo($ch))` with `CURLINFO_HEADER_OUT`: its `[request_header] => ` is the
/// head libcurl sent (request line, then the headers on the lines after, up to a blank line); the
/// answer is read from the rest of the text.
fn php_request_header(lines: &[&str]) -> Option<String> {
    let start = lines.iter().position(|l| l.contains("[request_header] => "))?;
    let first = lines[start].split_once("[request_header] => ")?.1.trim();
    let method = first.split(' ').next()?;
    Method::parse(method)?;
    let mut raw = format!("{first}\r\n");
    for line in lines[start + 1..].iter().take_while(|l| !l.trim().is_empty() && l.trim() != ")") {
        raw.push_str(line.trim());
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    Some(raw)
}

/// JMeter's View Results Tree, its Request tab (`Request:` then `METHOD url`, a `POST data:` block,
/// `[no cookies]`, a `Request Headers:` block) and its Response tab (`Response data:`, `Response
/// headers:` from the status line), as raw HTTP: the request, then the response.
fn jmeter(lines: &[&str]) -> Option<String> {
    let at = lines.iter().position(|l| l.trim() == "Request Headers:")?;
    let start = lines[..at].iter().rposition(|l| l.trim() == "Request:")?;
    let (method, url) = lines.get(start + 1)?.trim().split_once(' ')?;
    Method::parse(method)?;
    // A block: the lines after its label, up to a blank line.
    let block = |label: &str| -> Option<Vec<&str>> {
        let from = lines.iter().position(|l| l.trim() == label)? + 1;
        Some(lines[from..].iter().take_while(|l| !l.trim().is_empty()).copied().collect())
    };
    let body = block(&format!("{method} data:")).map(|b| b.join("\n")).unwrap_or_default();
    let headers = block("Request Headers:")?;
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    for h in &headers {
        raw.push_str(h.trim());
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    raw.push_str(&body);
    // The response: its status line, then its body.
    let status = block("Response headers:").and_then(|h| h.first().map(|l| l.trim().to_owned()));
    if let Some(status) = status.filter(|s| s.starts_with("HTTP/")) {
        let answer = block("Response data:").map(|b| b.join("\n")).unwrap_or_default();
        let separator = if body.is_empty() { "" } else { "\r\n" };
        raw.push_str(&format!("{separator}{status}\r\n\r\n{answer}"));
    }
    Some(raw)
}

/// The message of an Android log line of OkHttp's logger, as Android Studio's Logcat shows it
/// (`date time  pid-tid  okhttp.OkHttpClient  com.example.app  I  --> POST ...`) or `adb logcat`
/// prints it (`12-05 12:40:34.567  8123  8190 I okhttp.OkHttpClient: --> POST ...`), or of a JVM
/// logger (logback's `05:47:00.031 [main] INFO  okhttp3.OkHttpClient - --> POST ...`); any other
/// line as it is.
fn logcat_message(line: &str) -> &str {
    let Some((at, tag)) =
        ["okhttp3.OkHttpClient", "okhttp.OkHttpClient"].iter().find_map(|t| line.find(t).map(|at| (at, *t)))
    else {
        return line;
    };
    let rest = &line[at + tag.len()..];
    if let Some(message) = rest.strip_prefix(": ").or_else(|| rest.strip_prefix(" - ")) {
        return message;
    }
    if rest.trim() == "-" || rest.trim() == ":" {
        return "";
    }
    // Android Studio: the package's column, then the level's, then the message.
    let mut rest = rest.trim_start();
    for _ in 0..2 {
        rest = rest.find(char::is_whitespace).map_or("", |i| rest[i..].trim_start());
    }
    rest
}

/// Bun's verbose fetch (`BUN_CONFIG_VERBOSE_FETCH=1`): `[fetch] > HTTP/1.1 POST https://...`,
/// the headers behind `[fetch] > `, the body on the lines after them, then the response's status
/// and headers behind `[fetch] < ` and its body on a line of its own. As raw HTTP, the response
/// after the request.
fn bun_fetch(lines: &[&str]) -> Option<String> {
    let sent: Vec<&str> = lines.iter().filter_map(|l| l.trim_start().strip_prefix("[fetch] > ")).collect();
    let (version, rest) = sent.first()?.split_once(' ')?;
    let (method, url) = rest.split_once(' ')?;
    if !version.starts_with("HTTP/") || Method::parse(method).is_none() {
        return None;
    }
    let mut head = vec![format!("{method} {url} {version}")];
    let mut body = Vec::new();
    for line in &sent[1..] {
        let header = line.split_once(':').is_some_and(|(k, _)| super::request::is_token(k));
        if body.is_empty() && header {
            head.push((*line).to_owned());
        } else {
            body.push(*line);
        }
    }
    let mut raw = head.join("\r\n") + "\r\n\r\n" + &body.join("\n");
    let status = lines.iter().find_map(|l| l.trim_start().strip_prefix("[fetch] < "));
    if let Some(status) = status.filter(|s| s.starts_with(|c: char| c.is_ascii_digit())) {
        let answer = lines.iter().rev().map(|l| l.trim()).find(|l| l.starts_with('{')).unwrap_or_default();
        raw.push_str(&format!("\r\nHTTP/1.1 {status}\r\n\r\n{answer}"));
    }
    Some(raw)
}

/// Ktor's `Logging` plugin (`LogLevel.ALL`): `REQUEST: url`, `METHOD: HttpMethod(value=POST)`,
/// the headers as `-> Name: value` under `COMMON HEADERS` and `CONTENT HEADERS`, the body between
/// `BODY START` and `BODY END`; then `RESPONSE: 400 ...` and its body alike. As raw HTTP, the
/// response after the request.
fn ktor(lines: &[&str]) -> Option<String> {
    fn field<'l>(l: &'l str, name: &str) -> Option<&'l str> {
        l.split_once(name).map(|(_, v)| v.trim())
    }
    let start = lines.iter().position(|l| field(l, "REQUEST: ").is_some_and(|u| u.starts_with("http")))?;
    let url = field(lines[start], "REQUEST: ")?;
    let method = lines[start..]
        .iter()
        .find_map(|l| field(l, "METHOD: HttpMethod(value="))
        .map(|m| m.trim_end_matches(')'))?;
    Method::parse(method)?;
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    let mut body = Vec::new();
    let mut in_body = false;
    let mut response = None;
    for (n, line) in lines[start + 1..].iter().enumerate() {
        let line = line.trim_end();
        if let Some(status) = field(line, "RESPONSE: ") {
            response = Some((start + 1 + n, status));
            break;
        }
        if line.ends_with("BODY START") {
            in_body = true;
        } else if line.ends_with("BODY END") {
            in_body = false;
        } else if in_body {
            body.push(line);
        } else if let Some(header) = line.trim_start().strip_prefix("-> ") {
            raw.push_str(header);
            raw.push_str("\r\n");
        }
    }
    raw.push_str("\r\n");
    raw.push_str(&body.join("\n"));
    if let Some((at, status)) = response {
        let answer = lines[at..].iter().map(|l| l.trim()).find(|l| l.starts_with('{')).unwrap_or_default();
        raw.push_str(&format!("\r\nHTTP/1.1 {status}\r\n\r\n{answer}"));
    }
    Some(raw)
}

/// `head`'s Content-Length header (if any) set to `n`.
fn set_length(head: &mut [String], n: usize) {
    for h in head {
        if h.split_once(':').is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-length")) {
            *h = format!("Content-Length: {n}");
        }
    }
}

/// `> GET /path HTTP/1.1`: the request line as `curl -v` prints it.
fn request_line_of_curl_v(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("> ")?;
    let method = rest.split(' ').next()?;
    (Method::parse(method).is_some() && rest.contains(" HTTP/")).then_some(rest)
}

fn curl_verbose(lines: &[&str]) -> Result<String, ParseError> {
    let whole_log = lines;
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| request_line_of_curl_v(l).is_some())
        .map(|(i, _)| i)
        .collect();
    let blocks: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(lines.len());
            lines[start..end].join("\n")
        })
        .collect();
    let chosen = pick(&blocks).unwrap_or_default();
    let lines: Vec<&str> = chosen.lines().collect();
    let mut head = Vec::new();
    for line in &lines {
        match line.strip_prefix('>') {
            Some(rest) if !rest.trim().is_empty() => head.push(rest.trim_start().to_owned()),
            Some(_) => break,
            // PHP's CURLOPT_VERBOSE (and other libcurl bindings) print only the request line with
            // '> ': its headers follow unprefixed, up to a blank line.
            None if !head.is_empty() && !line.trim().is_empty() && !line.starts_with(['<', '*']) => {
                head.push(line.trim().to_owned());
            }
            None => break,
        }
    }
    // curl -v shows no body; with --trace-ascii the body would be elsewhere. Insomnia's timeline
    // prints it after the head, each line behind '| '.
    let mut timeline_body = lines.iter().filter_map(|l| l.strip_prefix("| ")).collect::<Vec<_>>().join("\n");
    let header = |name: &str| {
        head.iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    let announced = header("content-length").and_then(|v| v.parse::<usize>().ok());
    // A body sent chunked has no length to find it by: the signed form the log prints (the curl
    // command's --data before its verbose lines).
    if timeline_body.is_empty()
        && header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        let all = whole_log.join("\n");
        if let Some(form) = super::loose::signed_forms(&all).last() {
            timeline_body = (*form).to_owned();
        }
    }
    // A program that prints the body it hands to libcurl (`POSTFIELDS: ...`) before the verbose
    // lines: the form of the announced length.
    if let (true, Some(n)) = (timeline_body.is_empty(), announced.filter(|&n| n > 0)) {
        let all = whole_log.join("\n");
        let content_type = header("content-type").unwrap_or_default().to_ascii_lowercase();
        if let Some(form) = super::loose::printed_form(&all, n) {
            timeline_body = form.to_owned();
        } else if let Some(json) = super::loose::json_body(&all)
            .or_else(|| super::loose::unlabelled_json_body(&all))
            .filter(|j| j.len() == n || content_type.contains("json"))
        {
            // A JSON body the program printed (`body: {...}`).
            timeline_body = json.to_owned();
        } else if content_type.starts_with("multipart/")
            && let Some(fields) = super::loose::print_r_fields(&all)
        {
            // A PHP array given to CURLOPT_POSTFIELDS (curl sends it as multipart/form-data),
            // printed by print_r: its fields, in a body of the doctor's own boundary.
            timeline_body = super::multipart::encode(fields);
            for h in &mut head {
                if h.split_once(':').is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-type")) {
                    *h = format!("Content-Type: {}", super::multipart::content_type());
                }
            }
        }
        if !timeline_body.is_empty() {
            set_length(&mut head, timeline_body.len());
        }
    }
    // A GET announcing a body (`curl -X GET -d ...`), or a request to a path that does not take
    // its method (`curl -d` to the GET-only /api/v3/account): Binance reads none of its body,
    // whatever it held.
    let unread = |line: &str| {
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let path = target.split(['?', '#']).next().unwrap_or_default();
        method == "GET" || crate::endpoint::unrouted(method, path).is_some()
    };
    if let (true, Some(n), Some(line)) =
        (timeline_body.is_empty(), announced.filter(|&n| n > 0), head.first())
        && unread(line)
    {
        timeline_body = super::request::unshown_body(n);
        set_length(&mut head, timeline_body.len());
    }
    // A body not shown, with Binance's error answer to it and no query: the request is judged by
    // its head and that answer ([`super::RequestRecord::params_unshown`]; a JSON Content-Type
    // explains a -1102). The stand-in is taken out once the request is read. (A -1022 is about
    // the body itself: the doctor asks for it instead.)
    if let (true, Some(n), Some(line)) =
        (timeline_body.is_empty(), announced.filter(|&n| n > 0), head.first())
        && !line.split_whitespace().nth(1).is_some_and(|target| target.contains('?'))
        && whole_log.iter().any(|l| l.contains("{\"code\":-") && !l.contains("{\"code\":-1022"))
    {
        timeline_body = super::request::unshown_body(n);
        set_length(&mut head, timeline_body.len());
    }
    if timeline_body.is_empty() && announced.is_some_and(|n| n > 0) {
        return Err(ParseError::Http(
            "curl -v (and libcurl's verbose output, PHP's CURLOPT_VERBOSE) shows the request's headers but not its body: give the curl command itself (--curl), curl --trace-ascii's output, or --url with --body".into(),
        ));
    }
    // The response, when the log shows it (`< HTTP/2 401`, its headers, then the body on stdout):
    // passed on after the request (and its body, on a line of its own), as a network capture shows
    // it, for the doctor to read.
    let mut raw = head.join("\r\n") + "\r\n\r\n" + &timeline_body;
    if let Some(at) = lines.iter().position(|l| l.starts_with("< HTTP/")) {
        let status = lines[at].trim_start_matches("< ").trim_end();
        // On a line of its own, or in the program's print after curl's lines (`HTTP 400: {...}`).
        let body = lines[at..]
            .iter()
            .map(|l| l.trim())
            // (Not curl's own `{ [42 bytes data]`.)
            .find_map(|l| {
                if l.starts_with('{') && !l.starts_with("{ [") {
                    Some(l)
                } else {
                    l.find("{\"code\"").map(|i| &l[i..])
                }
            })
            .unwrap_or_default();
        let separator = if timeline_body.is_empty() { "" } else { "\r\n" };
        raw.push_str(&format!("{separator}{status}\r\n\r\n{body}"));
    }
    Ok(raw)
}

/// Of the requests a log or capture shows, the one to diagnose: the first that carries a
/// signature and an error answer (a program that failed on its second signed request), else the
/// latest that carries a signature (a program stops, or retries, after the request that failed),
/// else the first with an API key header, else the first (a client that asks for `/api/v3/time`
/// before signing logs that request first).
pub(super) fn pick(requests: &[String]) -> Option<String> {
    pick_index(requests).map(|i| requests[i].clone())
}

/// [`pick`]'s choice, by its index.
pub(super) fn pick_index(requests: &[String]) -> Option<usize> {
    let has = |r: &String, what: &str| r.to_ascii_lowercase().contains(what);
    let signed = |r: &String| has(r, "signature=");
    let refused = |r: &String| r.contains("{\"code\":-");
    requests
        .iter()
        .position(|r| signed(r) && refused(r))
        .or_else(|| requests.iter().rposition(signed))
        .or_else(|| requests.iter().position(|r| has(r, "x-mbx-apikey:")))
        .or_else(|| (!requests.is_empty()).then_some(0))
}

/// Chunks of bytes a client logged as it sent them (Python's `send:`, Ruby's `<-`), grouped into
/// requests: a chunk that starts with a request line starts one; the rest are its body. Each
/// chunk comes with whether the log shows the request it belongs to refused (an error status in the
/// reply logged after it): the first signed one refused is the one to diagnose.
fn sent_requests(chunks: Vec<(Vec<u8>, bool)>) -> Result<String, ParseError> {
    let mut requests: Vec<(Vec<u8>, bool)> = Vec::new();
    for (chunk, refused) in chunks {
        let starts_request = chunk
            .split(|&b| b == b' ')
            .next()
            .and_then(|m| std::str::from_utf8(m).ok())
            .is_some_and(|m| Method::parse(m).is_some());
        match requests.last_mut() {
            Some(last) if !starts_request => {
                last.0.extend(chunk);
                last.1 |= refused;
            }
            _ => requests.push((chunk, refused)),
        }
    }
    let refused: Vec<bool> = requests.iter().map(|(_, r)| *r).collect();
    let texts: Vec<String> = requests
        .into_iter()
        .map(|(r, _)| {
            String::from_utf8(r).map_err(|_| ParseError::Http("the logged bytes are not UTF-8".into()))
        })
        .collect::<Result<_, _>>()?;
    let signed_refused =
        texts.iter().zip(&refused).position(|(t, &r)| r && t.to_ascii_lowercase().contains("signature="));
    Ok(match signed_refused {
        Some(i) => texts[i].clone(),
        None => pick(&texts).unwrap_or_default(),
    })
}

/// What a client logged as it sent it, one quoted literal a line after `marker` (`\r`, `\n`,
/// `\xNN` escapes): Python's http.client (`send: b'...'`, a head, then perhaps a body) and Ruby's
/// `Net::HTTP#set_debug_output` (`<- "..."`; the answer's `-> "..."` lines are left out).
fn sent_literals(lines: &[&str], marker: &str) -> Result<String, ParseError> {
    let mut chunks: Vec<(Vec<u8>, bool)> = Vec::new();
    for line in lines {
        // The reply's status line logged after a request (http.client's `reply: 'HTTP/1.1 400
        // Bad Request\r\n'`, Ruby's `-> "HTTP/1.1 400 Bad Request\r\n"`): that request was refused.
        let reply =
            line.trim_start().strip_prefix("reply: ").or_else(|| line.trim_start().strip_prefix("-> "));
        if let Some(reply) = reply {
            let status = reply
                .trim_matches(['\'', '"'])
                .strip_prefix("HTTP/")
                .and_then(|r| r.split_whitespace().nth(1));
            if status.and_then(|s| s.parse::<u16>().ok()).is_some_and(|s| s >= 400)
                && let Some(last) = chunks.last_mut()
            {
                last.1 = true;
            }
            continue;
        }
        let Some(rest) = line.trim_start().strip_prefix(marker) else { continue };
        let rest = rest.trim_end();
        let bytes = python_bytes(rest)
            .ok_or_else(|| ParseError::Http(format!("cannot read the logged literal '{}'", clip(rest))))?;
        chunks.push((bytes, false));
    }
    sent_requests(chunks)
}

/// `wget --debug`: the head between `---request begin---` and `---request end---`, the body in the
/// `[BODY data: ...]` (or `[POST data: ...]`) line after it.
fn wget(lines: &[&str]) -> Result<String, ParseError> {
    let end = lines.iter().position(|l| l.trim() == "---request end---").unwrap_or(lines.len());
    let head: Vec<&str> = lines[..end].iter().copied().filter(|l| !l.trim().is_empty()).collect();
    let body = lines[end..]
        .iter()
        .find_map(|l| l.strip_prefix("[BODY data: ").or_else(|| l.strip_prefix("[POST data: ")))
        .map_or("", |b| b.trim_end().strip_suffix(']').unwrap_or(b));
    Ok(head.join("\r\n") + "\r\n\r\n" + body)
}

/// `curl --trace-ascii` (or `--trace`, its hex rows): each `=> Send header` block starts a request, its `=> Send data` blocks
/// are the body. Each line is `offset: text`, at most 64 characters; a shorter one ended in CRLF,
/// except perhaps a block's last (a body without a final line end): the block's byte count tells.
fn curl_trace(lines: &[&str]) -> Result<String, ParseError> {
    #[derive(PartialEq)]
    enum Part {
        Header,
        Data,
        Other,
    }
    let mut requests: Vec<(String, String)> = Vec::new();
    let mut part = Part::Other;
    // The data block being read: its text and the byte count its `=> Send data, N bytes` line gives.
    let mut block = String::new();
    let mut declared: Option<usize> = None;
    // Whether the trace is `--trace`'s hex rows rather than `--trace-ascii`'s text.
    let mut hex_rows = false;
    let end_block = |block: &mut String, declared: Option<usize>, requests: &mut Vec<(String, String)>| {
        if declared.is_some_and(|n| block.len() > n) && block.ends_with("\r\n") {
            block.truncate(block.len() - 2);
        }
        if let Some((_, body)) = requests.last_mut() {
            body.push_str(block);
        }
        block.clear();
    };
    for line in lines {
        let marker = line.starts_with("<= ") || line.starts_with("== ") || line.starts_with("=> ");
        if marker && part == Part::Data {
            end_block(&mut block, declared, &mut requests);
        }
        if line.starts_with("=> Send header") {
            requests.push((String::new(), String::new()));
            part = Part::Header;
        } else if let Some(count) = line.strip_prefix("=> Send data") {
            part = Part::Data;
            declared = count.trim_start_matches(',').split_whitespace().next().and_then(|n| n.parse().ok());
        } else if marker {
            part = Part::Other;
        } else if let Some((offset, text)) =
            line.split_once(": ").or_else(|| line.strip_suffix(':').map(|o| (o, "")))
            && offset.len() == 4
            && offset.bytes().all(|b| b.is_ascii_hexdigit())
            && let Some((head, _)) = requests.last_mut()
        {
            let out = match part {
                Part::Header => head,
                Part::Data => &mut block,
                Part::Other => continue,
            };
            // `curl --trace` (not -ascii): each line is up to 16 bytes in hex, then their text
            // with line ends as dots; the hex is read, line ends and all.
            let bytes: Vec<u8> = text
                .split(' ')
                .take(16)
                .map_while(|t| if t.len() == 2 { u8::from_str_radix(t, 16).ok() } else { None })
                .collect();
            hex_rows |= bytes.len() == 16;
            if hex_rows {
                out.push_str(&String::from_utf8_lossy(&bytes));
                continue;
            }
            out.push_str(text);
            if text.len() < 64 {
                out.push_str("\r\n");
            }
        }
    }
    if part == Part::Data {
        end_block(&mut block, declared, &mut requests);
    }
    let texts: Vec<String> = requests.into_iter().map(|(head, body)| head + &body).collect();
    pick(&texts).ok_or_else(|| ParseError::Http("the trace holds no '=> Send header' block".into()))
}

/// The lines of a head (request line, then headers) up to the first blank line, as raw HTTP with
/// no body (Java's HttpClient log prints none).
fn head_block(lines: &[&str]) -> String {
    let head: Vec<&str> = lines.iter().map(|l| l.trim()).take_while(|l| !l.is_empty()).collect();
    head.join("\r\n") + "\r\n\r\n"
}

/// A browser's HTTP/2 request headers (`:method:`, `:path:`, `:authority:`, then the others).
fn pseudo_headers(lines: &[&str]) -> Result<String, ParseError> {
    // `name: value` on a line, or (as DevTools copies them now) `name:` and the value on the next.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut lines_left = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).peekable();
    while let Some(line) = lines_left.next() {
        // The name's own colon (`:method:`) is its first character: the separator is the next.
        let Some(cut) = line.char_indices().skip(1).find(|(_, c)| *c == ':').map(|(i, _)| i) else {
            continue;
        };
        let (name, value) = (&line[..cut], line[cut + 1..].trim());
        let value = match value {
            "" => lines_left.next_if(|next| !next.ends_with(':')).unwrap_or_default(),
            v => v,
        };
        pairs.push((name.to_owned(), value.to_owned()));
    }
    let pseudo = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let (Some(method), Some(path)) = (pseudo(":method"), pseudo(":path")) else {
        return Err(ParseError::Http("HTTP/2 headers without :method or :path".into()));
    };
    let mut out = format!("{method} {path} HTTP/2\r\n");
    if let Some(host) = pseudo(":authority") {
        out.push_str(&format!("Host: {host}\r\n"));
    }
    for (k, v) in pairs.iter().filter(|(k, _)| !k.starts_with(':')) {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    Ok(out + "\r\n")
}

/// An `AxiosError` as Node.js prints it (`console.log(err)`: the request's head in `_header`,
/// JavaScript string literals joined with `+`, and the body in the config's `data`), or as its
/// `toJSON()` gives it (`config.method`, `config.url`, `config.headers`, `config.data`).
fn axios_error(text: &str) -> Option<Result<String, ParseError>> {
    // Refused with 404 and no answer of Binance's (a path that is no endpoint): the status, after
    // the request.
    let not_found = |raw: String| {
        if text.contains("status code 404") && !text.contains("code: -") && !text.contains("\"code\":-") {
            raw + "\r\nHTTP/1.1 404\r\n\r\n"
        } else {
            raw
        }
    };
    if let Some(at) = text.find("_header: '") {
        let head = js_strings(&text[at + "_header: ".len()..])?;
        let body =
            text.find("data: '").and_then(|d| js_strings(&text[d + "data: ".len()..])).unwrap_or_default();
        return Some(Ok(not_found(head + &body)));
    }
    // console.log of the error without the request's head (a newer axios, or the request not
    // sent): the config, as util.inspect prints it (its own `headers`, not the answer's); or the
    // error's toJSON(), whose JSON the same reader takes, members in order.
    let config = match text.find("config: {") {
        Some(at) if text.contains("AxiosError") => inspect::object_at(&text[at..])?,
        _ => {
            let trimmed = text.trim_start();
            // The first JSON value of the text (a log may print more after it).
            serde_json::Deserializer::from_str(trimmed).into_iter::<serde_json::Value>().next()?.ok()?;
            inspect::object_at(trimmed)?.get("config")?.clone()
        }
    };
    let text_of = |name: &str| config.get(name).and_then(Js::text).map(str::to_owned);
    let (method, url) = (text_of("method")?, text_of("url")?);
    // A path joined to the config's baseURL, as axios joins them (`baseURL: '.../sapi'` and `url:
    // '/api/v3/account'` go to /sapi/api/v3/account).
    let url = match text_of("baseURL") {
        Some(base) if !url.starts_with("http://") && !url.starts_with("https://") => {
            format!("{}/{}", base.trim_end_matches('/'), url.trim_start_matches('/'))
        }
        _ => url,
    };
    let headers: Vec<(String, String)> = match config.get("headers") {
        Some(Js::Object(members)) => {
            members.iter().filter_map(|(k, v)| Some((k.clone(), v.text()?.to_owned()))).collect()
        }
        _ => Vec::new(),
    };
    let query = config.get("params").map(inspect::axios_query).unwrap_or_default();
    let body = match config.get("data") {
        Some(d @ (Js::Object(_) | Js::List(_))) => d.json().to_string(),
        Some(d) => d.text().unwrap_or_default().to_owned(),
        None => String::new(),
    };
    Some(Ok(not_found(axios_request(&method, &url, &query, &headers, &body))))
}

/// node-binance-api's debug print of a request (`[ 'HTTP Request:', 'POST', url, { method, headers,
/// body: URLSearchParams { 'symbol' => 'BNBUSDT', ... } } ]`), as raw HTTP with the answer printed
/// after it (`Error: {"code":-1111,...}`).
fn node_binance_api_debug(text: &str) -> Option<String> {
    let at = text.find("[\n  'HTTP Request:'").or_else(|| text.find("[ 'HTTP Request:'"))?;
    let Js::List(items) = inspect::list_at(&text[at..])? else { return None };
    let method = items.get(1)?.text()?;
    let url = items.get(2)?.text()?;
    let options = items.get(3);
    let headers: Vec<(String, String)> = match options.and_then(|o| o.get("headers")) {
        Some(Js::Object(members)) => {
            members.iter().filter_map(|(k, v)| Some((k.clone(), v.text()?.to_owned()))).collect()
        }
        _ => Vec::new(),
    };
    let body = options.and_then(|o| o.get("body")).and_then(Js::text).unwrap_or_default();
    let mut raw = axios_request(method, url, "", &headers, body);
    if let Some(answer) =
        text.lines().find_map(|l| l.trim().strip_prefix("Error: ").filter(|a| a.starts_with("{\"code\"")))
    {
        // The status Binance sends that code with (the print shows only the answer's body).
        let status = serde_json::from_str::<serde_json::Value>(answer)
            .ok()
            .and_then(|v| i32::try_from(v["code"].as_i64()?).ok())
            .and_then(|c| crate::ErrorCode::from(c).entry())
            .map_or(400, |e| e.http_status);
        raw.push_str(&format!("\r\nHTTP/1.1 {status}\r\n\r\n{answer}"));
    }
    Some(raw)
}

/// The raw HTTP of an axios config: its `params` joined to the URL's query as axios joins them.
fn axios_request(method: &str, url: &str, query: &str, headers: &[(String, String)], body: &str) -> String {
    let url = url.split('#').next().unwrap_or(url);
    let joiner = if url.contains('?') { '&' } else { '?' };
    let target = if query.is_empty() { url.to_owned() } else { format!("{url}{joiner}{query}") };
    let mut out = format!("{} {target} HTTP/1.1\r\n", method.to_ascii_uppercase());
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out + "\r\n" + body
}

/// JavaScript string literals joined with `+` (as Node.js prints a long string), from the start of
/// `s`: their text ([`super::copied::js_string`] reads each).
fn js_strings(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s.trim_start();
    loop {
        let (end, text) = super::copied::js_string(rest)?;
        out.push_str(&text);
        rest = rest[end..].trim_start();
        match rest.strip_prefix('+') {
            Some(more) => rest = more.trim_start(),
            None => return Some(out),
        }
    }
}

/// ccxt's `verbose = True` log, as Python writes it (one line a request, `fetch Request: binance
/// POST url RequestHeaders: {...} RequestBody: ...`, then `fetch Response: binance POST url 400
/// ResponseHeaders: {...} ResponseBody: ...`) and as JavaScript does (the same labels, each value
/// on the lines after it; `handleRestResponse:` for the answer), as raw HTTP with the answer after
/// it: of several requests, the last one refused (else the last).
fn ccxt_verbose(text: &str) -> Option<String> {
    const REQUEST: &str = "fetch Request:";
    let segments: Vec<&str> = text
        .match_indices(REQUEST)
        .map(|(at, _)| {
            let start = at + REQUEST.len();
            &text[start..text[start..].find(REQUEST).map_or(text.len(), |e| start + e)]
        })
        .collect();
    // A label's value: from after it to the next label (or the end).
    let value = |segment: &'_ str, label: &str, next: &[&str]| -> Option<String> {
        let from = segment.find(label)? + label.len();
        let rest = &segment[from..];
        let end = next.iter().filter_map(|n| rest.find(n)).min().unwrap_or(rest.len());
        Some(rest[..end].trim().to_owned())
    };
    let answer_label =
        |segment: &str| ["fetch Response:", "handleRestResponse:"].into_iter().find(|l| segment.contains(l));
    // (status, request head, headers, body, answer body) of one segment.
    let read = |segment: &str| -> Option<(u16, String, String, String, String)> {
        let head = value(segment, "", &["RequestHeaders:"])?;
        let mut words = head.split_whitespace();
        let (_exchange, method, url) = (words.next()?, words.next()?, words.next()?);
        Method::parse(method)?;
        let headers = value(segment, "RequestHeaders:", &["RequestBody:"])?;
        let answer = answer_label(segment);
        let body = value(segment, "RequestBody:", &answer.map_or(vec!["\n\n"], |a| vec![a]))?;
        let (status, answer_body) = match answer {
            Some(label) => {
                let line = value(segment, label, &["ResponseHeaders:"])?;
                let status: u16 = line.split_whitespace().nth(3)?.parse().ok()?;
                let body = value(
                    segment,
                    "ResponseBody:",
                    &["\n\n", "\nfetch ", "\nTraceback", "\nhandleRestResponse"],
                )
                .unwrap_or_default();
                (status, body)
            }
            None => (0, String::new()),
        };
        Some((status, format!("{method} {url} HTTP/1.1"), headers, body, answer_body))
    };
    let read: Vec<_> = segments.iter().filter_map(|s| read(s)).collect();
    let (status, head, headers, body, answer) =
        read.iter().rev().find(|r| r.0 >= 400).or(read.last())?.clone();
    let mut raw = format!("{head}\r\n");
    // Quoted names and values (`'X-MBX-APIKEY': '...'`), as Python and Node.js print them.
    let mut rest = headers.as_str();
    while let Some(open) = rest.find(['\'', '"']) {
        let quote = rest.as_bytes()[open] as char;
        let Some(close) = rest[open + 1..].find(quote).map(|c| open + 1 + c) else { break };
        let name = &rest[open + 1..close];
        let after = rest[close + 1..].trim_start();
        let Some(after) = after.strip_prefix(':') else {
            rest = &rest[close + 1..];
            continue;
        };
        let after = after.trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            rest = after;
            continue;
        };
        let Some(end) = after[1..].find(q) else { break };
        raw.push_str(&format!("{name}: {}\r\n", &after[1..=end]));
        rest = &after[end + 2..];
    }
    let body = match body.as_str() {
        "None" | "undefined" | "" => "",
        b => b,
    };
    if !body.is_empty() {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    if status > 0 {
        raw.push_str(&format!("\r\nHTTP/1.1 {status}\r\n\r\n{}", answer.lines().next().unwrap_or_default()));
    }
    Some(raw)
}

/// python-binance's `verbose=True` log (`Request: POST url`, `RequestHeaders: {...}` of the call's
/// own headers (the session's X-MBX-APIKEY is not among them), `RequestBody: [('symbol',
/// 'BTCUSDT'), ...]` as the library hands it to requests, `Response: 400`, `ResponseBody: ...`), as
/// raw HTTP: the pairs form-encoded as requests encodes them (`urlencode`: a space as `+`), the
/// answer after the request. Of several requests, the last one refused (else the last). A GET's
/// parameters go to requests apart (`params=`) and are not in its block: urllib3's DEBUG line
/// before it (`"GET /api/v3/account?...&signature=... HTTP/1.1" 400 77`) shows them, else the
/// request shows none.
fn python_binance_verbose(lines: &[&str]) -> Option<String> {
    let starts: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.starts_with("Request: ")).map(|(i, _)| i).collect();
    let block = |n: usize| &lines[starts[n]..starts.get(n + 1).copied().unwrap_or(lines.len())];
    let refused = |n: usize| {
        block(n)
            .iter()
            .find_map(|l| l.strip_prefix("Response: "))
            .and_then(|s| s.trim().parse::<u16>().ok())
            .is_some_and(|s| s >= 400)
    };
    let n = (0..starts.len()).rev().find(|&n| refused(n)).or(starts.len().checked_sub(1))?;
    let at = starts[n];
    let field = |name: &str| block(n).iter().find_map(|l| l.strip_prefix(name)).map(str::trim);
    let (method, url) = lines[at]["Request: ".len()..].trim().split_once(' ')?;
    Method::parse(method)?;
    // urllib3's line for this request, between the block before and this one.
    let since = if n == 0 { 0 } else { starts[n - 1] };
    let path = url.split_once("://").map_or(url, |(_, r)| &r[r.find('/').unwrap_or(r.len())..]);
    let logged = lines[since..at].iter().rev().find_map(|l| {
        let (_, rest) = l.split_once(&format!("\"{method} {path}?"))?;
        rest.split_once(" HTTP/").map(|(query, _)| query)
    });
    let url = match logged {
        Some(query) if !url.contains('?') => format!("{url}?{query}"),
        _ => url.to_owned(),
    };
    let headers = field("RequestHeaders: ")?;
    let body = field("RequestBody: ")?;
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    for (k, v) in python_pairs(headers.strip_prefix('{')?.strip_suffix('}')?, ':')? {
        raw.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = match body {
        "None" | "" => String::new(),
        list if list.starts_with('[') => {
            let pairs = python_pairs(list.strip_prefix('[')?.strip_suffix(']')?, ',')?;
            let plus = super::search::quote_plus;
            pairs.iter().map(|(k, v)| format!("{}={}", plus(k), plus(v))).collect::<Vec<_>>().join("&")
        }
        quoted => String::from_utf8(python_bytes(quoted)?).ok()?,
    };
    if !body.is_empty() {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    raw.push_str("\r\n");
    raw.push_str(&body);
    if let Some(status) = field("Response: ").filter(|s| s.parse::<u16>().is_ok()) {
        raw.push_str(&format!(
            "\r\nHTTP/1.1 {status}\r\n\r\n{}",
            field("ResponseBody: ").unwrap_or_default()
        ));
    }
    Some(raw)
}

/// The pairs of Python's print of a dict's items (`'k': 'v', ...`, `sep` ':') or of a list of
/// pairs (`('k', 'v'), ...`, `sep` ','): each a quoted str or a bare literal (a number, `True`).
fn python_pairs(text: &str, sep: char) -> Option<Vec<(String, String)>> {
    fn literal(s: &str) -> Option<(String, &str)> {
        let s = s.trim_start();
        match s.chars().next()? {
            q @ ('\'' | '"') => {
                let mut escaped = false;
                let end = s[1..].char_indices().find_map(|(i, c)| {
                    let close = c == q && !escaped;
                    escaped = c == '\\' && !escaped;
                    close.then_some(i + 1)
                })?;
                Some((String::from_utf8(python_bytes(&s[..=end])?).ok()?, &s[end + 1..]))
            }
            _ => {
                let end = s.find([',', ':', ')', ']', '}']).unwrap_or(s.len());
                Some((s[..end].trim().to_owned(), &s[end..]))
            }
        }
    }
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let tuple = sep == ',';
        if tuple {
            rest = rest.strip_prefix('(')?;
        }
        let (k, after) = literal(rest)?;
        let (v, after) = literal(after.trim_start().strip_prefix(sep)?)?;
        rest = after.trim_start();
        if tuple {
            rest = rest.strip_prefix(')')?.trim_start();
        }
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        out.push((k, v));
    }
    Some(out)
}

/// A Python bytes literal's content (`'...'` or `"..."`, with `\r \n \t \\ \' \" \xNN`).
pub(super) fn python_bytes(literal: &str) -> Option<Vec<u8>> {
    let quote = literal.chars().next().filter(|q| *q == '\'' || *q == '"')?;
    let inner = literal[1..].strip_suffix(quote)?;
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next()? {
            b'r' => out.push(b'\r'),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'x' => {
                let hex = [bytes.next()?, bytes.next()?];
                out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// OkHttp: `--> METHOD URL [http/1.1]`, header lines, a blank line and the body, `--> END METHOD`.
fn okhttp(lines: &[&str]) -> Result<String, ParseError> {
    let mut words = lines[0].trim_start_matches("--> ").split_whitespace();
    let (Some(method), Some(url)) = (words.next(), words.next()) else {
        return Err(ParseError::Http(format!("'{}' is not '--> METHOD URL'", clip(lines[0]))));
    };
    let mut out = format!("{method} {url} HTTP/1.1\r\n");
    let mut body = Vec::new();
    let mut in_body = false;
    // Fuel (Kotlin) prints its request as `--> GET url`, `Body : ...`, `Headers : (n)`, then
    // each header as `Name : value`: its own layout, not a header line with a space in its name.
    let fuel =
        lines.iter().any(|l| l.starts_with("Headers : (")) && lines.iter().any(|l| l.starts_with("Body : "));
    // The answer logged after the request (`<-- 400 Bad Request url (140ms)`, its headers, a blank
    // line, its body): passed on after it, as a capture shows it.
    let answer = lines.iter().position(|l| l.starts_with("<-- ")).and_then(|at| {
        let status = lines[at].split_whitespace().nth(1).filter(|s| s.parse::<u16>().is_ok())?;
        let body =
            lines[at..].iter().find(|l| l.trim_start().starts_with(['{', '['])).map_or("", |l| l.trim());
        Some(format!("HTTP/1.1 {status}\r\n\r\n{body}"))
    });
    for line in &lines[1..] {
        if line.starts_with("--> END") || line.starts_with("<-- ") {
            break;
        }
        if fuel {
            if let Some(text) = line.strip_prefix("Body : ") {
                if text.trim() != "(empty)" {
                    body.push(text);
                }
            } else if let Some((name, value)) =
                line.split_once(" : ").filter(|_| !line.starts_with("Headers : "))
            {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            continue;
        }
        if in_body {
            body.push(*line);
        } else if line.trim().is_empty() {
            in_body = true;
        } else if line.split_once(':').is_some_and(|(name, value)| {
            super::request::is_token(name) && (value.is_empty() || value.starts_with(' '))
        }) {
            // `Name: value` (a logger's own line, `INFO:httpx:HTTP Request: ...`, is none).
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    let body = body.join("\n");
    Ok(match answer {
        // The body on a line of its own before the answer (a length says where it ends).
        Some(answer) if body.is_empty() => format!("{out}\r\n{answer}"),
        Some(answer) => format!("{out}\r\n{body}\r\n{answer}"),
        None => format!("{out}\r\n{body}"),
    })
}

/// .NET's `HttpClient` log line naming the request: `... HTTP request POST https://...`.
fn dotnet_request(line: &str) -> Option<(&str, &str)> {
    let (_, rest) = line.split_once("HTTP request ")?;
    let mut words = rest.split_whitespace();
    let (method, url) = (words.next()?, words.next()?);
    (Method::parse(method).is_some() && url.starts_with("http")).then_some((method, url))
}

/// .NET: the request line, then the `Request Headers:` block if the trace level printed it, and
/// what the program's own logging handler printed before the next request: its key header and a
/// labelled form body (`X-MBX-APIKEY: ...`, `Body: symbol=...`).
fn dotnet(lines: &[&str]) -> Result<String, ParseError> {
    let (method, url) = dotnet_request(lines[0]).unwrap_or(("GET", ""));
    let mut out = format!("{method} {url} HTTP/1.1\r\n");
    if let Some(at) = lines.iter().position(|l| l.trim() == "Request Headers:") {
        for line in &lines[at + 1..] {
            let line = line.trim();
            match line.split_once(':') {
                Some((k, _)) if !line.is_empty() && !k.contains(' ') => {
                    out.push_str(line);
                    out.push_str("\r\n");
                }
                _ => break,
            }
        }
    }
    let mut body = "";
    let next = lines[1..].iter().position(|l| dotnet_request(l).is_some()).map_or(lines.len(), |i| i + 1);
    for line in &lines[1..next] {
        let Some((k, v)) = line.trim().split_once(':') else { continue };
        let (k, v) = (k.trim(), v.trim());
        let header =
            ["x-mbx-apikey", "content-type", "authorization"].iter().any(|h| k.eq_ignore_ascii_case(h));
        if header && !out.to_ascii_lowercase().contains(&format!("\r\n{}:", k.to_ascii_lowercase())) {
            out.push_str(&format!("{k}: {v}\r\n"));
        } else if ["body", "content", "request body"].iter().any(|b| k.eq_ignore_ascii_case(b))
            && v.contains('=')
            && body.is_empty()
        {
            body = v;
        }
    }
    Ok(out + "\r\n" + body)
}

/// mitmdump's line for a request (`--flow-detail` 2 and up): the client's address, the method and
/// the absolute URL (`127.0.0.1:35812: POST https://api.binance.com/api/v3/order`; older versions
/// add the HTTP version).
fn mitmdump_request(line: &str) -> Option<(&str, &str)> {
    let (peer, rest) = line.split_once(": ")?;
    if !peer.contains(':') || peer.contains(char::is_whitespace) {
        return None;
    }
    let mut words = rest.split_whitespace();
    let (method, url) = (words.next()?, words.next()?);
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    (Method::parse(method).is_some() && absolute && words.next().is_none_or(|v| v.starts_with("HTTP/")))
        .then_some((method, url))
}

/// mitmdump's flows: each request line, its headers indented by four spaces, then (from
/// `--flow-detail 3`) a blank line and the body as a content view shows it, then the response
/// after ` << `. Of several flows, the signed one is read.
fn mitmdump(lines: &[&str]) -> Result<String, ParseError> {
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| mitmdump_request(lines[i]).is_some()).collect();
    let flows: Vec<&[&str]> = starts
        .iter()
        .enumerate()
        .map(|(n, &at)| &lines[at..starts.get(n + 1).copied().unwrap_or(lines.len())])
        .collect();
    let has = |flow: &&[&str], what: &str| flow.iter().any(|l| l.to_ascii_lowercase().contains(what));
    let flow = flows
        .iter()
        .find(|f| has(f, "signature"))
        .or_else(|| flows.iter().find(|f| has(f, "x-mbx-apikey")))
        .or(flows.first())
        .ok_or_else(|| ParseError::Http("no mitmdump request line found".into()))?;
    mitmdump_flow(flow)
}

/// One mitmdump flow as raw HTTP, with its response after it when the dump shows one.
fn mitmdump_flow(flow: &[&str]) -> Result<String, ParseError> {
    let (method, url) = mitmdump_request(flow[0]).unwrap_or(("GET", ""));
    let mut at = 1;
    let headers = indented_block(flow, &mut at);
    let body_shown = if flow.get(at).is_some_and(|l| l.trim().is_empty()) {
        at += 1;
        indented_block(flow, &mut at)
    } else {
        Vec::new()
    };
    let header = |name: &str| {
        headers.iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    };
    let length = header("content-length").and_then(|n| n.parse::<usize>().ok());
    let body = if length.is_none_or(|n| n == 0) && header("transfer-encoding").is_none() {
        // No body: what a dump shows under the head is the query's view.
        String::new()
    } else if body_shown.is_empty() {
        return Err(ParseError::Http(
            "mitmdump shows the request's headers but not its body at --flow-detail 2: run it with --flow-detail 3 and --set dumper_default_contentview=raw, or give the request with --url, -H and --body".into(),
        ));
    } else {
        let content_type = header("content-type").unwrap_or_default().to_ascii_lowercase();
        shown_body(&body_shown, &content_type, length)?
    };
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    for h in &headers {
        raw.push_str(h);
        raw.push_str("\r\n");
    }
    raw.push_str("\r\n");
    raw.push_str(&body);
    // The response: ` << 400 Bad Request 63b`, its headers, a blank line, its body.
    if let Some(start) = flow.iter().position(|l| l.starts_with(" << ")) {
        let words: Vec<&str> =
            flow[start][4..].split_whitespace().filter(|w| !w.starts_with("HTTP/")).collect();
        if let Some((&code, reason)) = words.split_first().filter(|(c, _)| c.parse::<u16>().is_ok()) {
            // The last word is the body's size (`63b`, `1.2k`).
            let reason = reason.split_last().map_or(&[][..], |(_, r)| r).join(" ");
            let mut at = start + 1;
            let _ = indented_block(flow, &mut at);
            at += 1;
            let answer = compact_json(&indented_block(flow, &mut at).join("\n"), false);
            raw.push_str(&format!("\r\nHTTP/1.1 {code} {reason}\r\n\r\n{answer}"));
        }
    }
    Ok(raw)
}

/// The lines from `at` indented by four spaces (a dump's headers, or a body's lines), without the
/// indent; `at` ends on the first line that is not one.
fn indented_block<'a>(lines: &[&'a str], at: &mut usize) -> Vec<&'a str> {
    let mut out = Vec::new();
    while let Some(line) =
        lines.get(*at).and_then(|l| l.strip_prefix("    ")).filter(|l| !l.trim().is_empty())
    {
        out.push(line.trim_end());
        *at += 1;
    }
    out
}

/// The body as mitmdump's content view showed it, back in the bytes that were sent: a form shown
/// decoded as a table (`symbol:   BTCUSDT`) is encoded again (by the encoders the signature search
/// knows), and pretty-printed JSON compacted, each in the spelling whose length is the
/// Content-Length; any other view is the body itself.
fn shown_body(shown: &[&str], content_type: &str, length: Option<usize>) -> Result<String, ParseError> {
    let text = shown.join("\n");
    let fits = |s: &String| length.is_none_or(|n| n == s.len());
    let table: Option<Vec<(String, String)>> = shown
        .iter()
        .map(|l| {
            let (k, v) = l.split_once(':')?;
            (!k.is_empty() && !k.contains(['=', '&', ' ', '"', '{']))
                .then(|| (k.to_owned(), v.trim_start().to_owned()))
        })
        .collect();
    if content_type.contains("x-www-form-urlencoded")
        && let Some(pairs) = table
    {
        return super::search::form_spellings(&pairs).into_iter().find(fits).ok_or_else(|| {
            ParseError::Http(
                "mitmdump shows this form decoded (name: value), and no encoding of it has the Content-Length sent: run it with --set dumper_default_contentview=raw to see the body as it was sent".into(),
            )
        });
    }
    if content_type.contains("json") && shown.len() > 1 {
        let compact = compact_json(&text, false);
        let spaced = compact_json(&text, true);
        return Ok([compact.clone(), spaced].into_iter().find(fits).unwrap_or(compact));
    }
    Ok(text)
}

/// JSON text without the whitespace outside its strings (a pretty-printed document compacted);
/// `spaced`: with a space after each `:` and `,`, as Python's `json.dumps` writes it.
fn compact_json(text: &str, spaced: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
            if spaced && (c == ':' || c == ',') {
                out.push(' ');
            }
        }
    }
    out
}

/// Go's `fmt.Printf("%+v", req)` (or `%v`) of an `*http.Request`: `&{Method:POST
/// URL:https://... Proto:HTTP/1.1 ... Header:map[X-Mbx-Apikey:[...]] Body:{...} ...
/// ContentLength:0 ...}`. The body is a reader there, so a request with one is refused with what
/// to print instead.
fn go_request(text: &str) -> Option<Result<String, ParseError>> {
    // Each `&{` that opens a printed request; a program that prints several (and their answers)
    // gives them all, each with the answer printed after it, for the pick of the one to diagnose.
    let starts: Vec<usize> = text.match_indices("&{").map(|(i, _)| i).collect();
    let mut requests = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let Some(raw) = go_one_request(&text[start + 2..]) else { continue };
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) if requests.is_empty() && n + 1 == starts.len() => return Some(Err(e)),
            Err(_) => continue,
        };
        let after = &text[start..starts.get(n + 1).copied().unwrap_or(text.len())];
        let answer = after.lines().skip(1).find(|l| super::request::answer_line(l).is_some());
        requests.push(match answer {
            Some(line) => format!("{raw}{}\n", line.trim()),
            None => raw,
        });
    }
    (!requests.is_empty()).then(|| Ok(requests.concat()))
}

/// Rust reqwest's `{:?}` of a `Request`: `Request { method: GET, url: Url { scheme: "https", ...,
/// host: Some(Domain("api.binance.com")), port: None, path: "/api/v3/order", query: Some("a=1"),
/// fragment: None }, headers: {"x-mbx-apikey": "..."} }`, then what the program printed after it
/// (reqwest prints no body: a `body: ...` line is taken for it, and a printed answer is kept). A
/// header reqwest marks sensitive is written `Sensitive`: its value is not known.
fn reqwest_request(text: &str) -> Option<String> {
    let start = text.find("Request { method: ")?;
    let printed = &text[start..];
    let field = |name: &str| -> Option<&str> {
        let at = printed.find(name)? + name.len();
        Some(&printed[at..])
    };
    let method = field("method: ")?.split(|c: char| c == ',' || c.is_whitespace()).next()?;
    let url = field("url: Url {")?;
    let quoted = |after: &str| -> Option<&str> {
        let rest = &url[url.find(after)? + after.len()..];
        rest.find('"').map(|end| &rest[..end])
    };
    let path = quoted("path: \"")?;
    let query = quoted("query: Some(\"").unwrap_or_default();
    let host = url.find("host: Some(").and_then(|i| {
        let rest = &url[i + "host: Some(".len()..];
        let inner = rest.split_once('(')?.1;
        Some(inner[..inner.find(')')?].trim_matches('"').to_owned())
    });
    let port = url.find("port: Some(").and_then(|i| {
        let rest = &url[i + "port: Some(".len()..];
        rest.split(')').next().filter(|p| p.bytes().all(|b| b.is_ascii_digit())).map(str::to_owned)
    });
    let target = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
    let mut raw = format!("{method} {target} HTTP/1.1\r\n");
    if let Some(host) = host {
        raw.push_str(&format!("Host: {host}{}\r\n", port.map_or(String::new(), |p| format!(":{p}"))));
    }
    // The header map: "name": "value" (or Sensitive), comma-separated, inside `headers: {...}`.
    let headers = field("headers: {")?;
    let mut rest = headers;
    while let Some(name_start) = rest.find('"') {
        let after = &rest[name_start + 1..];
        let Some(name_end) = after.find('"') else { break };
        let name = &after[..name_end];
        let value_part = after[name_end + 1..].trim_start_matches([':', ' ']);
        let (value, next) = match value_part.strip_prefix('"') {
            Some(v) => match v.find('"') {
                Some(end) => (v[..end].to_owned(), &v[end + 1..]),
                None => break,
            },
            None => {
                let end = value_part.find([',', '}']).unwrap_or(value_part.len());
                (value_part[..end].trim().to_owned(), &value_part[end..])
            }
        };
        raw.push_str(&format!("{name}: {value}\r\n"));
        if next.trim_start().starts_with('}') {
            rest = next;
            break;
        }
        rest = next;
    }
    raw.push_str("\r\n");
    // What the program printed after the request: its body, then the answer.
    let after_request = rest.split_once('\n').map_or("", |(_, after)| after);
    for line in after_request.lines() {
        match line.trim().strip_prefix("body:") {
            Some(body) => raw.push_str(body.trim()),
            None if super::request::answer_line(line).is_some() => {
                raw.push('\n');
                raw.push_str(line.trim());
            }
            None => {}
        }
    }
    Some(raw)
}

/// One request as Go prints it, from just after its `&{`.
fn go_one_request(printed: &str) -> Option<Result<String, ParseError>> {
    let (method, url, rest) = if let Some(rest) = printed.strip_prefix("Method:") {
        let (method, rest) = rest.split_once(" URL:")?;
        let (url, rest) = rest.split_once(' ')?;
        (method, url, rest)
    } else {
        // `%v`: the fields in order, unnamed.
        let mut words = printed.splitn(3, ' ');
        let (method, url) = (words.next()?, words.next()?);
        (method, url, words.next()?)
    };
    if Method::parse(method).is_none() || !(url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    let mut raw = format!("{method} {url} HTTP/1.1\r\n");
    let mut after_map = rest;
    if let Some(at) = rest.find("map[") {
        let (headers, after) = go_header_map(&rest[at + 4..]);
        for (name, value) in headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        after_map = after;
    }
    let length = match rest.split_once("ContentLength:") {
        Some((_, n)) => n.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse::<u64>().ok()),
        // `%v`: the body (`<nil>` or `{0xc...}`), `GetBody`, then the content length.
        None => {
            let mut fields = after_map.split_whitespace();
            let body = fields.next().unwrap_or("<nil>");
            let length = fields.nth(1).and_then(|n| n.parse::<u64>().ok());
            if body == "<nil>" { Some(0) } else { length.or(Some(1)) }
        }
    };
    if let Some(n) = length.filter(|&n| n > 0) {
        return Some(Err(ParseError::Http(format!(
            "Go prints an http.Request's body as a reader, not its text (ContentLength {n}): dump the request with httputil.DumpRequestOut(req, true), or give it with --url, -H and --body"
        ))));
    }
    Some(Ok(raw + "\r\n"))
}

/// The entries of a Go `http.Header` as `%v` prints it, from just after `map[`: `Name:[v1 v2]`
/// separated by spaces, up to the closing `]`. Values are kept as printed (Go separates several
/// by a space, as it prints a space inside one: a user agent's). Also what follows the map.
fn go_header_map(s: &str) -> (Vec<(String, String)>, &str) {
    let name_ok = |k: &str| !k.is_empty() && !k.contains([' ', ']', '[']);
    let mut out = Vec::new();
    let mut rest = s;
    while let Some((name, after)) = rest.split_once(":[").filter(|(k, _)| name_ok(k)) {
        // The values end at the `]` that closes the entry: one followed by ` Name:[` or by `]`.
        let end = after.match_indices(']').map(|(i, _)| i).find(|&i| {
            let next = &after[i + 1..];
            next.starts_with(']')
                || next.strip_prefix(' ').and_then(|n| n.split_once(":[")).is_some_and(|(k, _)| name_ok(k))
        });
        let Some(end) = end else { break };
        out.push((name.to_owned(), after[..end].to_owned()));
        rest = &after[end + 1..];
        match rest.strip_prefix(' ') {
            Some(more) => rest = more,
            None => break,
        }
    }
    (out, rest.strip_prefix(']').unwrap_or(rest).trim_start())
}

fn clip(s: &str) -> String {
    crate::accept::clip(s, 60).to_owned()
}

impl RequestRecord {
    /// Whether `text` is a request as an HTTP client's log prints it (curl -v, Python's http.client,
    /// OkHttp, .NET's HttpClient), which [`RequestRecord::from_http`] reads too.
    ///
    /// ```
    /// use mbx_core::diagnose::RequestRecord;
    /// let log = "send: b'GET /api/v3/time HTTP/1.1\\r\\nHost: api.binance.com\\r\\n\\r\\n'";
    /// assert!(RequestRecord::is_client_log(log));
    /// assert_eq!(RequestRecord::from_http(log).unwrap().path, "/api/v3/time");
    /// ```
    pub fn is_client_log(text: &str) -> bool {
        as_raw_http(text).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    #[test]
    fn curl_verbose_request_lines_are_read() {
        let log = format!(
            "*   Trying 13.32.1.1:443...\n* Connected to api.binance.com\n> GET /api/v3/account?timestamp=1&signature=ab HTTP/2\n> Host: api.binance.com\n> user-agent: curl/8.5.0\n> X-MBX-APIKEY: {KEY}\n>\n< HTTP/2 400\n< content-type: application/json\n"
        );
        let r = RequestRecord::from_http(&log).unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_str()),
            ("GET", "/api/v3/account", "timestamp=1&signature=ab")
        );
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        assert_eq!(r.host.as_deref(), Some("api.binance.com"));
        let with_body = "> POST /api/v3/order HTTP/1.1\n> Host: api.binance.com\n> Content-Length: 20\n>\n";
        assert!(RequestRecord::from_http(with_body).unwrap_err().to_string().contains("not its body"));
        // The program printed the body it gave libcurl before the verbose lines: the form of the
        // announced length is the body, and the answer on stdout is read.
        let printed = format!(
            "POSTFIELDS: symbol=BTCUSDT&timestamp=1\n> POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\nContent-Length: 26\n\n< HTTP/1.1 400 Bad Request\n<\n{{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n"
        );
        let r = RequestRecord::from_http(&printed).unwrap();
        assert_eq!(r.body, "symbol=BTCUSDT&timestamp=1");
        assert_eq!(r.answered.and_then(|a| a.code), Some(-1022));
        // A form of another length is not taken for it.
        let other = printed.replace("Content-Length: 26", "Content-Length: 40");
        assert!(RequestRecord::from_http(&other).unwrap_err().to_string().contains("not its body"));
        // Another answer than -1022, to a body not shown: the request is read without it, and
        // judged by its head and the answer.
        let json = format!(
            "> POST /api/v3/order HTTP/1.1\n> Host: api.binance.com\n> X-MBX-APIKEY: {KEY}\n> Content-Type: application/json\n> Content-Length: 209\n>\n}} [209 bytes data]\n< HTTP/1.1 400 Bad Request\n<\n{{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}}\n"
        );
        let r = RequestRecord::from_http(&json).unwrap();
        assert!(r.body.is_empty() && r.body_unshown && r.params_unshown(), "{r:?}");
        let d = crate::diagnose::diagnose(&r, &crate::diagnose::Context::default());
        assert_eq!((d.verdict.code, d.findings[0].cause), (-1102, crate::diagnose::Cause::JsonBody));
        // With a query, what the body held matters to what was read: still asked for.
        let query = json.replace("/api/v3/order HTTP", "/api/v3/order?symbol=BTCUSDT HTTP");
        assert!(RequestRecord::from_http(&query).unwrap_err().to_string().contains("not its body"));
    }

    #[test]
    fn python_http_client_sends_are_read_head_and_body() {
        let log = format!(
            "send: b'POST /api/v3/order HTTP/1.1\\r\\nHost: api.binance.com\\r\\nX-MBX-APIKEY: {KEY}\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: 16\\r\\n\\r\\n'\nsend: b'symbol=BTCUSDT&x'\nreply: 'HTTP/1.1 400 Bad Request\\r\\n'\nheader: Content-Type: application/json\n"
        );
        let r = RequestRecord::from_http(&log).unwrap();
        assert_eq!((r.method.as_str(), r.body.as_str()), ("POST", "symbol=BTCUSDT&x"));
        assert_eq!(python_bytes(r#""it's \x41""#).unwrap(), b"it's A");
        assert!(python_bytes("'unterminated").is_none());
        assert!(python_bytes("'\\x4'").is_none());
    }

    #[test]
    fn okhttp_and_dotnet_logs_are_read() {
        let log = format!(
            "--> POST https://api.binance.com/api/v3/order http/1.1\nContent-Type: application/x-www-form-urlencoded\nX-MBX-APIKEY: {KEY}\n\nsymbol=BTCUSDT&side=BUY\n--> END POST (23-byte body)\n<-- 400 Bad Request https://api.binance.com/api/v3/order (84ms)\n"
        );
        let r = RequestRecord::from_http(&log).unwrap();
        assert_eq!((r.path.as_str(), r.body.as_str()), ("/api/v3/order", "symbol=BTCUSDT&side=BUY"));
        assert_eq!(r.host.as_deref(), Some("api.binance.com"));
        let log = format!(
            "info: System.Net.Http.HttpClient.Default.LogicalHandler[100]\n      Start processing HTTP request GET https://api.binance.com/api/v3/account?timestamp=1&signature=ab\ntrce: System.Net.Http.HttpClient.Default.ClientHandler[102]\n      Request Headers:\n      X-MBX-APIKEY: {KEY}\n"
        );
        let r = RequestRecord::from_http(&log).unwrap();
        assert_eq!((r.path.as_str(), r.header("x-mbx-apikey")), ("/api/v3/account", Some(KEY)));
    }

    /// A log that prints headers only (OkHttp at Level.HEADERS, .NET's HttpClient logging) is not
    /// read as an empty body; a redacted key ('*', .NET 8) is not read as a key.
    #[test]
    fn a_log_without_the_announced_body_or_with_a_redacted_key_is_refused() {
        let headers_only = format!(
            "--> POST https://api.binance.com/api/v3/order http/1.1\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 182\nX-MBX-APIKEY: {KEY}\n--> END POST\n"
        );
        let e = RequestRecord::from_http(&headers_only).unwrap_err().to_string();
        assert!(e.contains("not its body (Content-Length: 182)"), "{e}");
        let redacted = "info: System.Net.Http.HttpClient.Default.LogicalHandler[100]\n      Start processing HTTP request GET https://api.binance.com/api/v3/account?timestamp=1&signature=ab\ntrce: System.Net.Http.HttpClient.Default.ClientHandler[102]\n      Request Headers:\n      X-MBX-APIKEY: *\n";
        let e = RequestRecord::from_http(redacted).unwrap_err().to_string();
        assert!(e.contains("redacted"), "{e}");
    }

    /// OkHttp's log as Android's Logcat shows it (Android Studio's columns, or `adb logcat`).
    #[test]
    fn okhttp_logs_copied_from_logcat_are_read() {
        for prefix in [
            "2025-12-05 12:40:34.567  8123-8190  okhttp.OkHttpClient     com.example.gridbot  I  ",
            "12-05 12:40:34.567  8123  8190 I okhttp.OkHttpClient: ",
        ] {
            let log = [
                "--> POST https://api.binance.com/api/v3/order http/1.1",
                "Content-Type: application/x-www-form-urlencoded",
                &format!("X-MBX-APIKEY: {KEY}"),
                "",
                "symbol=BTCUSDT&side=BUY",
                "--> END POST (23-byte body)",
            ]
            .iter()
            .map(|l| format!("{prefix}{l}"))
            .collect::<Vec<_>>()
            .join("\n");
            let r = RequestRecord::from_http(&log).unwrap();
            assert_eq!(
                (r.path.as_str(), r.body.as_str()),
                ("/api/v3/order", "symbol=BTCUSDT&side=BUY"),
                "{prefix}"
            );
            assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        }
    }

    /// A network capture's "Follow HTTP stream": a GET (no Content-Length) and then the response,
    /// which is not the request's body.
    #[test]
    fn a_response_after_a_request_without_a_length_is_not_its_body() {
        let stream = format!(
            "GET /api/v3/account?timestamp=1&signature=ab HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: {KEY}\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{{\"code\":-2015}}"
        );
        let r = RequestRecord::from_http(&stream).unwrap();
        assert_eq!((r.method.as_str(), r.body.as_str()), ("GET", ""));
    }

    /// A key read from a file saved with CRLF line ends keeps its CR: curl sends `key\r\r\n`.
    #[test]
    fn a_stray_carriage_return_in_a_header_value_is_kept() {
        let raw =
            format!("GET /api/v3/account HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: {KEY}\r\r\n\r\n");
        let r = RequestRecord::from_http(&raw).unwrap();
        assert_eq!(r.header("x-mbx-apikey"), Some(format!("{KEY}\r").as_str()));
        let clean = format!("GET /api/v3/account HTTP/1.1\r\nX-MBX-APIKEY: {KEY} \r\n\r\n");
        assert_eq!(RequestRecord::from_http(&clean).unwrap().header("x-mbx-apikey"), Some(KEY));
    }

    /// The forms of the capture probe of 2026-12-05: each gives the request it shows, or the
    /// signed one of several.
    #[test]
    fn more_client_logs_are_read() {
        let order = "symbol=BTCUSDT&timestamp=1&signature=ab";
        let read = |log: &str| RequestRecord::from_http(log).unwrap_or_else(|e| panic!("{e}: {log}"));
        // Ruby's set_debug_output.
        let ruby = format!(
            "opening connection to api.binance.com:443...\nopened\n<- \"POST /api/v3/order HTTP/1.1\\r\\nX-Mbx-Apikey: {KEY}\\r\\nContent-Length: 40\\r\\n\\r\\n\"\n<- \"{order}\"\n-> \"HTTP/1.1 400 Bad Request\\r\\n\"\n"
        );
        let r = read(&ruby);
        assert_eq!(
            (r.path.as_str(), r.body.as_str(), r.header("x-mbx-apikey")),
            ("/api/v3/order", order, Some(KEY))
        );
        // wget --debug.
        let wget = format!(
            "Setting --method (method) to POST\n---request begin---\nPOST /api/v3/order HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\nContent-Length: 40\n\n---request end---\n[BODY data: {order}]\nHTTP request sent, awaiting response...\n"
        );
        assert_eq!(read(&wget).body, order);
        // curl --trace-ascii: a header longer than 64 characters goes on over two lines.
        let trace = format!(
            "== Info: Connected\n=> Send header, 150 bytes (0x96)\n0000: POST /api/v3/order HTTP/1.1\n001d: Host: api.binance.com\n0034: X-MBX-APIKEY: {}\n0074: {}\n0084: Content-Length: 40\n0098: \n=> Send data, 40 bytes (0x28)\n0000: {order}\n<= Recv header, 26 bytes (0x1a)\n0000: HTTP/1.1 400 Bad Request\n",
            &KEY[..50],
            &KEY[50..]
        );
        let r = read(&trace);
        assert_eq!((r.header("x-mbx-apikey"), r.body.as_str()), (Some(KEY), order));
        // A chunked body: the chunks' line ends are kept (the block's byte count says the last
        // short line ended in one), so the chunks are read.
        let chunked = format!(
            "=> Send header, 90 bytes (0x5a)\n0000: POST /api/v3/order HTTP/1.1\n001d: Host: api.binance.com\n0034: Transfer-Encoding: chunked\n0050: \n=> Send data, {} bytes\n0000: 28\n0004: {order}\n002e: 0\n0031: \n<= Recv header, 17 bytes (0x11)\n0000: HTTP/1.1 200 OK\n",
            2 + 2 + 40 + 2 + 1 + 2 + 2
        );
        assert_eq!(read(&chunked).body, order);
        // An AxiosError as console.log prints it, and its toJSON().
        let axios = format!(
            "AxiosError: Request failed with status code 400\n  config: {{\n    method: 'post',\n    data: '{order}',\n  }},\n  request: ClientRequest {{\n    _header: 'POST /api/v3/order HTTP/1.1\\r\\n' +\n      'X-MBX-APIKEY: {KEY}\\r\\n' +\n      '\\r\\n',\n  }}\n"
        );
        assert_eq!(read(&axios).body, order);
        let json = format!(
            "{{\"name\":\"AxiosError\",\"config\":{{\"method\":\"post\",\"url\":\"https://api.binance.com/api/v3/order\",\"headers\":{{\"X-MBX-APIKEY\":\"{KEY}\"}},\"data\":\"{order}\"}}}}\n{{ code: -1022 }}\n"
        );
        let r = read(&json);
        assert_eq!(
            (r.method.as_str(), r.body.as_str(), r.header("x-mbx-apikey")),
            ("POST", order, Some(KEY))
        );
        // Java's HttpClient log (no body: a GET reads whole, a POST is refused).
        let java = format!(
            "Dec 05, 2026 12:00:54 PM jdk.internal.net.http.Http1Request logHeaders\nINFO: HEADERS: REQUEST HEADERS:\nGET /api/v3/account?{order} HTTP/1.1\nContent-Length: 0\nX-MBX-APIKEY: {KEY}\n\nDec 05, 2026 12:00:54 PM jdk.internal.net.http.Http1Response\n"
        );
        assert_eq!(read(&java).query, order);
        let java_post = java
            .replace(&format!("GET /api/v3/account?{order}"), "POST /api/v3/order")
            .replace("Content-Length: 0", "Content-Length: 40");
        let e = RequestRecord::from_http(&java_post).unwrap_err().to_string();
        assert!(e.contains("not its body"), "{e}");
        // A browser's HTTP/2 headers, name and value on one line or on two.
        for h2 in [
            format!(
                ":method: GET\n:path: /api/v3/account?{order}\n:authority: api.binance.com\nx-mbx-apikey: {KEY}\n"
            ),
            format!(
                ":method:\nGET\n:path:\n/api/v3/account?{order}\n:authority:\napi.binance.com\nx-mbx-apikey:\n{KEY}\n"
            ),
        ] {
            let r = read(&h2);
            assert_eq!(
                (r.query.as_str(), r.host.as_deref(), r.header("x-mbx-apikey")),
                (order, Some("api.binance.com"), Some(KEY))
            );
        }
        // PHP's CURLOPT_VERBOSE: only the request line has '> '.
        let php = format!(
            "*   Trying 127.0.0.1:443...\n> GET /api/v3/account?{order} HTTP/1.1\nHost: api.binance.com\nX-MBX-APIKEY: {KEY}\n\n< HTTP/1.1 400 Bad Request\n"
        );
        assert_eq!(read(&php).header("x-mbx-apikey"), Some(KEY));
    }

    /// A capture of several requests (`/api/v3/time` first) gives the signed one; lines before the
    /// request line and a packet dump's bytes are skipped; a body without a length ends where the
    /// response starts.
    #[test]
    fn the_signed_request_of_a_capture_is_read() {
        let order = "symbol=BTCUSDT&timestamp=1&signature=ab";
        let python = format!(
            "send: b'GET /api/v3/time HTTP/1.1\\r\\nHost: api.binance.com\\r\\n\\r\\n'\nreply: 'HTTP/1.1 200 OK\\r\\n'\nsend: b'POST /api/v3/order HTTP/1.1\\r\\nX-MBX-APIKEY: {KEY}\\r\\nContent-Length: 40\\r\\n\\r\\n'\nsend: b'{order}'\n"
        );
        let r = RequestRecord::from_http(&python).unwrap();
        assert_eq!((r.path.as_str(), r.body.as_str()), ("/api/v3/order", order));
        let stream = format!(
            "GET /api/v3/time HTTP/1.1\r\nHost: api.binance.com\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 28\r\n\r\n{{\"serverTime\":1754000000100}}POST /api/v3/order HTTP/1.1\r\nX-MBX-APIKEY: {KEY}\r\nContent-Length: 40\r\n\r\n{order}"
        );
        let r = RequestRecord::from_http(&stream).unwrap();
        assert_eq!((r.path.as_str(), r.body.as_str()), ("/api/v3/order", order));
        let dump = format!(
            "12:00:50.123456 IP localhost.50508 > localhost.443: Flags [P.], seq 1:273\nE..D<l@.@..4.........LH...\n.....*Y.GET /api/v3/account?{order} HTTP/1.1\nX-MBX-APIKEY: {KEY}\n\n"
        );
        assert_eq!(RequestRecord::from_http(&dump).unwrap().query, order);
        let perl = format!(
            "POST http://api.binance.com/api/v3/order\nX-MBX-APIKEY: {KEY}\n\n{order}\nHTTP/1.1 400 Bad Request\nContent-Length: 63\n\n{{\"code\":-1022}}\n"
        );
        let r = RequestRecord::from_http(&perl).unwrap();
        assert_eq!((r.body.as_str(), r.answered.map(|a| a.status)), (order, Some(400)));
        // Text that holds no request line is refused, and the message says which forms are read.
        let e = RequestRecord::from_http("opened\nsomething else\n").unwrap_err().to_string();
        assert!(e.contains("no request line") && e.contains("--curl"), "{e}");
        // A program's own print of its URL is read by its pieces (the key sent as a parameter);
        // a URL to no Binance path gets a message that says how to give it, without its query.
        let printed =
            format!("url: https://api.binance.com/api/v3/order?apiKey={KEY}&signature=ab\nheaders: {{}}");
        let r = RequestRecord::from_http(&printed).unwrap();
        assert_eq!((r.path.as_str(), r.header("x-mbx-apikey")), ("/api/v3/order", None));
        // A futures path is read too (told apart from spot by the diagnosis).
        let printed = format!("url: https://fapi.binance.com/fapi/v1/order?apiKey={KEY}&signature=ab\n");
        assert_eq!(RequestRecord::from_http(&printed).unwrap().path, "/fapi/v1/order");
        let printed = format!("url: https://api.binance.com/v3/order?apiKey={KEY}&signature=ab\n");
        let e = RequestRecord::from_http(&printed).unwrap_err().to_string();
        assert!(e.contains("(https://api.binance.com/v3/order...)") && e.contains("--url"), "{e}");
        assert!(!e.contains(KEY), "{e}");
    }

    /// mitmdump's flows as it prints them (mitmproxy 11): the form shown decoded is encoded again
    /// in the spelling the Content-Length fits, pretty JSON is compacted, a query's view (a request
    /// without a body) is not taken for a body, and --flow-detail 2 (no body) is refused.
    #[test]
    fn mitmdump_flows_are_read() {
        let head = format!(
            "[14:22:05.880][127.0.0.1:35812] server connect 127.0.0.1:36325\n127.0.0.1:35812: POST https://api.binance.com/api/v3/order\n    Host: api.binance.com\n    X-MBX-APIKEY: {KEY}\n"
        );
        let sent = "symbol=BTCUSDT&newClientOrderId=a%2Fb+c&timestamp=1&signature=ab";
        let table = "    symbol:           BTCUSDT\n    newClientOrderId: a/b c\n    timestamp:        1\n    signature:        ab\n";
        let answer = " << 400 Bad Request 63b\n    content-type: application/json\n\n    {\n        \"code\": -1022,\n        \"msg\": \"Signature for this request is not valid.\"\n    }\n\n";
        let form = |length: usize| {
            format!(
                "{head}    Content-Length: {length}\n    Content-Type: application/x-www-form-urlencoded\n\n{table}\n{answer}"
            )
        };
        let r = RequestRecord::from_http(&form(sent.len())).unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str(), r.body.as_str()), ("POST", "/api/v3/order", sent));
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        let r = RequestRecord::from_http(&form(sent.len() + 2)).unwrap();
        assert_eq!(r.body, sent.replace('+', "%20"));
        let e = RequestRecord::from_http(&form(7)).unwrap_err().to_string();
        assert!(e.contains("dumper_default_contentview=raw"), "{e}");
        // The raw view: the body as sent.
        let raw = format!(
            "{head}    Content-Length: {}\n    Content-Type: application/x-www-form-urlencoded\n\n    {sent}\n\n{answer}",
            sent.len()
        );
        assert_eq!(RequestRecord::from_http(&raw).unwrap().body, sent);
        // JSON shown pretty, sent compact (or spaced as Python writes it).
        let json = format!(
            "{head}    Content-Type: application/json\n    Content-Length: 38\n\n    {{\n        \"symbol\": \"BTC USDT\",\n        \"timestamp\": 1\n    }}\n\n{answer}"
        );
        assert_eq!(
            RequestRecord::from_http(&json).unwrap().body,
            r#"{"symbol": "BTC USDT", "timestamp": 1}"#
        );
        assert_eq!(compact_json("{\n  \"a b\": \"c \\\" d\"\n}", false), r#"{"a b":"c \" d"}"#);
        // No body: the table is the query's view, and the answer is kept.
        let query = format!(
            "127.0.0.1:35828: GET https://api.binance.com/api/v3/account?timestamp=1&signature=ab\n    X-MBX-APIKEY: {KEY}\n\n    timestamp: 1\n    signature: ab\n\n{answer}"
        );
        let r = RequestRecord::from_http(&query).unwrap();
        assert_eq!((r.query.as_str(), r.body.as_str()), ("timestamp=1&signature=ab", ""));
        assert_eq!(r.answered.map(|a| a.status), Some(400));
        let detail2 = format!("{head}    Content-Length: 66\n << 400 Bad Request 63b\n");
        let e = RequestRecord::from_http(&detail2).unwrap_err().to_string();
        assert!(e.contains("--flow-detail 3"), "{e}");
    }

    /// Go's `%+v` and `%v` of an `*http.Request`: method, URL and headers; a body is a reader
    /// there, so a request with one is refused with what to print instead.
    #[test]
    fn go_printed_requests_are_read() {
        let plus = format!(
            "2026/12/05 14:00:00 &{{Method:GET URL:https://api.binance.com/api/v3/account?timestamp=1&signature=ab Proto:HTTP/1.1 ProtoMajor:1 ProtoMinor:1 Header:map[User-Agent:[Go-http-client/1.1 (x)] X-Mbx-Apikey:[{KEY}]] Body:<nil> GetBody:<nil> ContentLength:0 TransferEncoding:[] Close:false Host:api.binance.com Form:map[] PostForm:map[] MultipartForm:<nil> Trailer:map[] RemoteAddr: RequestURI: TLS:<nil> Cancel:<nil> Response:<nil> Pattern: ctx:0xc000012345}}"
        );
        let r = RequestRecord::from_http(&plus).unwrap();
        assert_eq!((r.method.as_str(), r.query.as_str()), ("GET", "timestamp=1&signature=ab"));
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        assert_eq!(r.header("user-agent"), Some("Go-http-client/1.1 (x)"));
        let with_body = plus.replace("GET", "POST").replace("ContentLength:0", "ContentLength:42");
        let e = RequestRecord::from_http(&with_body).unwrap_err().to_string();
        assert!(e.contains("DumpRequestOut"), "{e}");
        let v = format!(
            "&{{DELETE https://api.binance.com/api/v3/order?symbol=BTCUSDT&orderId=1&timestamp=1&signature=ab HTTP/1.1 1 1 map[X-Mbx-Apikey:[{KEY}]] <nil> <nil> 0 [] false api.binance.com map[] map[] <nil> map[]   <nil> <nil> <nil>  0xc000012345}}"
        );
        let r = RequestRecord::from_http(&v).unwrap();
        assert_eq!((r.method.as_str(), r.header("x-mbx-apikey")), ("DELETE", Some(KEY)));
        let v_body = v.replacen("<nil> <nil> 0", "{0xc000010000} 0x6d5e20 42", 1);
        assert!(RequestRecord::from_http(&v_body).unwrap_err().to_string().contains("reader"));
    }

    #[test]
    fn raw_http_is_not_taken_for_a_log() {
        assert!(as_raw_http("GET /api/v3/time HTTP/1.1\r\nHost: api.binance.com\r\n\r\n").is_none());
        assert!(as_raw_http("curl -H 'X: y' https://api.binance.com/api/v3/time").is_none());
    }
}
