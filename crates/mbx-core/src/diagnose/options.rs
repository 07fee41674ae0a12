//! A request described as a JSON object of options, as automation tools print it when a request
//! fails: n8n's error (`cause.options`: `uri`, `method`, `qs`, `headers`, `body`, request's names),
//! Make's input bundle (`url`, `method`, `qs` and `headers` as lists of `{"name","value"}`), an
//! axios or got config (`url`, `method`, `params`, `headers`, `data`), Google Apps Script's
//! `UrlFetchApp.getRequest` (`url`, `method`, `headers`, `payload`, `contentType`), as JSON or as
//! the `{name=value, ...}` map `Logger.log` prints. The object anywhere in the text that names a
//! Binance URL is read; Binance's answer, where the text holds it (`{"code":..,"msg":..}` as an
//! object or quoted in a string), is kept.

use super::ParseError;
use super::request::{Answered, BINANCE_PATHS, RequestRecord, answer_line};

/// A JSON value with its objects' members in the order written (what the tools send in).
#[derive(Debug, Clone)]
enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The value as text: a string's own, else its JSON.
    fn text(&self) -> String {
        match self {
            Value::String(s) => s.clone(),
            other => other.json(),
        }
    }

    fn json(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.clone(),
            Value::String(s) => serde_json::Value::String(s.clone()).to_string(),
            Value::Array(list) => format!("[{}]", list.iter().map(Value::json).collect::<Vec<_>>().join(",")),
            Value::Object(members) => json_object(members.iter().map(|(k, v)| (k.as_str(), v.json()))),
        }
    }
}

impl Value {
    /// The value of a JSON text, objects read with the acceptance check's reader of members in
    /// order ([`crate::accept::ordered_object`]).
    fn read(raw: &str) -> Option<Value> {
        type Raw = Box<serde_json::value::RawValue>;
        Some(match raw.trim_start().as_bytes().first()? {
            b'{' => Value::Object(
                crate::accept::ordered_object(raw)
                    .ok()?
                    .into_iter()
                    .map(|(k, v)| Some((k, Value::read(v.get())?)))
                    .collect::<Option<_>>()?,
            ),
            b'[' => Value::Array(
                serde_json::from_str::<Vec<Raw>>(raw)
                    .ok()?
                    .iter()
                    .map(|v| Value::read(v.get()))
                    .collect::<Option<_>>()?,
            ),
            _ => match serde_json::from_str::<serde_json::Value>(raw).ok()? {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => Value::Number(n.to_string()),
                serde_json::Value::String(s) => Value::String(s),
                _ => return None,
            },
        })
    }
}

/// The request the text's JSON describes, when an object in it names a Binance URL.
pub(super) fn read(text: &str) -> Option<Result<RequestRecord, ParseError>> {
    let mut values = json_values(text);
    if !values.iter().any(|v| find_options(v).is_some()) {
        values.extend(map_values(text));
    }
    // A language's print of the object (Python's dict, Node.js's util.inspect of an axios config).
    if !values.iter().any(|v| find_options(v).is_some()) {
        values.extend(inspected_values(text));
    }
    // Of several requests (a JSON-lines log of a bot's calls), the first with an error answer
    // logged after it (before the next request), else the latest signed, else the first.
    let starts: Vec<usize> = (0..values.len()).filter(|&i| find_options(&values[i]).is_some()).collect();
    let end_of = |n: usize| starts.get(n + 1).copied().unwrap_or(values.len());
    let chosen = (0..starts.len())
        .find(|&n| values[starts[n]..end_of(n)].iter().any(|v| answer(v).is_some()))
        .or_else(|| (0..starts.len()).rev().find(|&n| signs(&values[starts[n]])))
        .unwrap_or(0);
    let (first, last) = (*starts.get(chosen)?, end_of(chosen));
    let options = find_options(&values[first])?;
    let url = ["uri", "url"].iter().find_map(|k| options.get(k)?.as_str())?;
    // A path under a base URL named apart (axios's `baseURL`).
    let based;
    let url = match options.get("baseURL").and_then(Value::as_str) {
        Some(base) if url.starts_with('/') => {
            based = format!("{}{url}", base.trim_end_matches('/'));
            based.as_str()
        }
        _ => url,
    };
    // Without a method named, the one whose endpoint takes the parameters sent (a tool's node
    // that prints the URL it calls but not its method).
    let named = options.get("method").and_then(Value::as_str).map(str::to_ascii_uppercase);
    // A response message (Node-RED's after its http request node: `statusCode`, `responseUrl`):
    // its headers and payload are the answer's, not the request's.
    let response = options.get("statusCode").is_some() || options.get("responseUrl").is_some();
    let mut headers = if response { Vec::new() } else { header_pairs(options.get("headers")) };
    let query =
        encoded(&pairs(["qs", "params", "query", "searchParams"].iter().find_map(|k| options.get(k))));
    let target = if query.is_empty() {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&{query}")
    } else {
        format!("{url}?{query}")
    };
    // A body: text as it is; an object as the tool sends it, JSON when it says so (`json: true`,
    // a JSON Content-Type), else a form.
    // Apps Script names the body's type apart from the headers (`contentType`).
    if let Some(t) = options.get("contentType").and_then(Value::as_str)
        && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), t.to_owned()));
    }
    // Node-RED's http request node (its debug panel prints `msg : Object`) sends an object
    // payload as JSON unless the message's headers ask for a form.
    let node_red = (text.contains("msg : Object") || text.contains("msg.payload"))
        && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    let json_body = matches!(options.get("json"), Some(Value::Bool(true)))
        || headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("json"));
    // A log line of the request's URL with the response's status and body beside it (Laravel's
    // `{"uri": ..., "status": 400, "body": "{\"code\":...}"}`): that body is the answer's.
    let answered_beside =
        options.get("status").or_else(|| options.get("statusCode")).and_then(Value::as_i64).is_some();
    let body = match ["body", "form", "data", "payload", "formFields"]
        .iter()
        .find_map(|k| options.get(k))
        .filter(|_| !response)
    {
        Some(Value::String(s))
            if s.trim_start().starts_with('{')
                && (answered_beside || answer_line(s).is_some_and(|a| a.code.is_some_and(|c| c < 0))) =>
        {
            String::new()
        }
        // An empty JSON container logged as the body (`"body": "[]"`) sends nothing.
        Some(Value::String(s)) if ["[]", "{}"].contains(&s.trim()) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v @ Value::Object(_)) if json_body => v.json(),
        Some(v @ Value::Object(_)) if node_red && options.get("payload").is_some() => {
            headers.push(("Content-Type".into(), "application/json".into()));
            v.json()
        }
        Some(v @ (Value::Object(_) | Value::Array(_))) => {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
            }
            encoded(&pairs(Some(v)))
        }
        _ => String::new(),
    };
    let method = named.unwrap_or_else(|| {
        super::loose::method_of_params(&target, Some(body.as_str()).filter(|b| !b.is_empty())).to_owned()
    });
    let mut record = match RequestRecord::new(&method, &target, headers, &body) {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    record.answered = match starts.len() {
        1 => values.iter().find_map(answer).or_else(|| text.lines().find_map(answer_line)),
        _ => values[first..last].iter().find_map(answer),
    };
    // A response message's own status (Node-RED's `statusCode`) when it holds no error.
    if response
        && record.answered.is_none()
        && let Some(status) =
            options.get("statusCode").and_then(Value::as_i64).and_then(|s| u16::try_from(s).ok())
    {
        record.answered = Some(Answered { status, code: None, msg: None });
    }
    // No headers among the options: whether the key was sent is not shown.
    if options.get("headers").is_none() || response {
        record.mark_key_unshown();
    }
    // A body announced (needle's `'content-length': 177`) and not printed.
    record.body_unshown = record.body.is_empty()
        && record.header("content-length").and_then(|n| n.trim().parse::<u64>().ok()).is_some_and(|n| n > 0);
    Some(Ok(record))
}

/// The JSON objects and arrays in `text`, one after another, with whatever a tool prints around
/// and between them (`INPUT`, `OUTPUT`, a message).
fn json_values(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut at = 0;
    // A JSON-lines log holds hundreds (each read once: linear in the text).
    while out.len() < 1024
        && let Some(start) = text[at..].find(['{', '[']).map(|i| at + i)
    {
        let mut stream = serde_json::Deserializer::from_str(&text[start..])
            .into_iter::<Box<serde_json::value::RawValue>>();
        match stream.next().and_then(Result::ok).and_then(|raw| Value::read(raw.get())) {
            Some(v) => {
                at = start + stream.byte_offset();
                out.push(v);
            }
            None => at = start + 1,
        }
    }
    out
}

/// The objects a text prints as a language's literal rather than JSON: Python's dict
/// (`{'url': '...', 'data': {...}}`), Node.js's `util.inspect` (`{ url: '/api/...', params: { ... } }`);
/// read at the first few braces that open one.
fn inspected_values(text: &str) -> Vec<Value> {
    text.match_indices('{')
        .take(64)
        .filter_map(|(at, _)| super::inspect::object_at(&text[at..]))
        .filter(printed)
        // A request's options, not a response's print (fetch's `Response { status: 200, ... url }`).
        .filter(|js| {
            let has = |names: &[&str]| names.iter().any(|n| js.get(n).is_some());
            has(&["method", "headers", "params", "data", "body", "qs"])
                && !has(&["status", "statusText", "statusCode", "ok", "redirected"])
        })
        .filter_map(|js| Value::read(&js.json_text()))
        .take(8)
        .collect()
}

/// Whether an object literal is a print, not source code: its bare words are numbers and the
/// languages' constants, not variables (`{ "X-MBX-APIKEY": KEY }` is code).
fn printed(js: &super::inspect::Js) -> bool {
    use super::inspect::Js;
    match js {
        Js::Str(_) => true,
        Js::Word(w) => {
            w.parse::<f64>().is_ok()
                || w.starts_with('[')
                || ["true", "false", "null", "undefined", "True", "False", "None"].contains(&w.as_str())
        }
        Js::Object(members) => members.iter().all(|(_, v)| printed(v)),
        Js::List(items) => items.iter().all(printed),
    }
}

/// The `{name=value, name={...}, ...}` maps a text prints (Java's `Map.toString`, Apps Script's
/// `Logger.log` of an object): values run to the next `, name=` or the closing brace, so a form
/// body (`payload=symbol=...&signature=...`) and a URL stay whole.
fn map_values(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut at = 0;
    // A log of many requests prints many (each read once: linear in the text).
    while out.len() < 1024
        && let Some(start) = text[at..].find('{').map(|i| at + i)
    {
        match java_map(&text[start..]) {
            Some((v, used)) => {
                out.push(v);
                at = start + used;
            }
            None => at = start + 1,
        }
    }
    out
}

/// One `{...}` map at the start of `text`, and the bytes it took.
fn java_map(text: &str) -> Option<(Value, usize)> {
    let name_at = |t: &str| {
        let n = t.bytes().take_while(|b| b.is_ascii_alphanumeric() || b"_-.".contains(b)).count();
        (n > 0 && t[n..].starts_with('=')).then_some(n)
    };
    let mut members = Vec::new();
    let mut i = 1;
    loop {
        let rest = text.get(i..)?.trim_start();
        i = text.len() - rest.len();
        if rest.starts_with('}') {
            return Some((Value::Object(members), i + 1));
        }
        let n = name_at(rest)?;
        let name = rest[..n].to_owned();
        i += n + 1;
        let value_text = &text[i..];
        let (value, used) = if value_text.starts_with('{') {
            java_map(value_text)?
        } else {
            // To the next ", name=" or the closing brace of this map.
            let mut end = None;
            for (k, c) in value_text.char_indices() {
                if c == '}' || (c == ',' && name_at(value_text[k + 1..].trim_start()).is_some()) {
                    end = Some(k);
                    break;
                }
            }
            let end = end?;
            (Value::String(value_text[..end].trim().to_owned()), end)
        };
        members.push((name, value));
        i += used;
        let rest = text.get(i..)?.trim_start();
        i = text.len() - rest.len();
        if let Some(r) = rest.strip_prefix(',') {
            i = text.len() - r.len();
        }
    }
}

/// The object (depth first) whose `uri` or `url` is a Binance URL.
fn find_options(v: &Value) -> Option<&Value> {
    match v {
        Value::Object(members) => {
            let absolute = |u: &str| u.starts_with("http://") || u.starts_with("https://");
            let based = v.get("baseURL").and_then(Value::as_str).is_some_and(absolute);
            let binance = ["uri", "url"].iter().any(|k| {
                v.get(k).and_then(Value::as_str).is_some_and(|u| {
                    (absolute(u) || (based && u.starts_with('/')))
                        && BINANCE_PATHS.iter().any(|p| u.contains(p))
                })
            });
            if binance {
                return Some(v);
            }
            members.iter().find_map(|(_, m)| find_options(m))
        }
        Value::Array(list) => list.iter().find_map(find_options),
        _ => None,
    }
}

/// The headers of an options object ([`pairs`]), a header's values given as a list read as one
/// (Guzzle's and PSR-7's `getHeaders()`: `"X-MBX-APIKEY": ["..."]`).
fn header_pairs(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Object(members)) => members
            .iter()
            .map(|(k, v)| match v {
                Value::Array(items) if items.iter().all(|i| i.as_str().is_some()) => {
                    (k.clone(), items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
                }
                _ => (k.clone(), v.text()),
            })
            .collect(),
        _ => pairs(v),
    }
}

/// Names and values of an object (`{"symbol": "BTCUSDT"}`) or a list of `{"name","value"}`, in
/// order, values as text.
fn pairs(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Object(members)) => members.iter().map(|(k, v)| (k.clone(), v.text())).collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|p| {
                // `{"name","value"}` (Make's qs and headers) or `{"key","value"}` (its formFields).
                let name = p.get("name").or_else(|| p.get("key"))?;
                Some((name.as_str()?.to_owned(), p.get("value").map(Value::text).unwrap_or_default()))
            })
            .collect(),
        // A list printed as text: OkHttp's `headers=[X-MBX-APIKEY:..., Accept:...]`.
        Some(Value::String(s)) if s.starts_with('[') && s.ends_with(']') => s[1..s.len() - 1]
            .split(", ")
            .filter_map(|item| {
                let (k, v) = item.split_once(':')?;
                let k = k.trim();
                (!k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
                    .then(|| (k.to_owned(), v.trim().to_owned()))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `name=value&...`, percent-encoded as the tools' HTTP clients send it.
pub(super) fn encoded(pairs: &[(String, String)]) -> String {
    let enc = |s: &str| crate::encode::percent_encode(s);
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// Binance's answer where the JSON holds it: an object with a negative `code` and a `msg`, or a
/// string quoting one (n8n's `rawErrorMessage`), with a `statusCode` or `httpCode` beside it.
/// Whether a value carries a signature: a `signature` member, or a text holding `signature=`.
fn signs(v: &Value) -> bool {
    match v {
        Value::Object(members) => members.iter().any(|(k, m)| k == "signature" || signs(m)),
        Value::Array(list) => list.iter().any(signs),
        Value::String(s) => s.contains("signature="),
        _ => false,
    }
}

fn answer(v: &Value) -> Option<Answered> {
    let status = |v: &Value| {
        ["statusCode", "httpCode", "status"]
            .iter()
            .find_map(|k| match v.get(k)? {
                Value::Number(n) | Value::String(n) => n.parse::<u16>().ok(),
                _ => None,
            })
            .unwrap_or(0)
    };
    match v {
        Value::Object(members) => {
            if let (Some(code), Some(msg)) =
                (v.get("code").and_then(Value::as_i64), v.get("msg").and_then(Value::as_str))
                && code < 0
            {
                return Some(Answered { status: 0, code: Some(code), msg: Some(msg.to_owned()) });
            }
            let found = members.iter().find_map(|(_, m)| answer(m))?;
            Some(Answered { status: if found.status == 0 { status(v) } else { found.status }, ..found })
        }
        Value::Array(list) => list.iter().find_map(answer),
        Value::String(s) if s.contains("code") => {
            let unquoted = s.replace("\\\"", "\"");
            unquoted.find("{\"code\"").and_then(|at| answer_line(&unquoted[at..]))
        }
        _ => None,
    }
}

/// A JSON object's text from its members in order (names quoted, values already JSON text): the
/// printed objects this module and `inspect` read are written back so.
pub(super) fn json_object<'a>(members: impl Iterator<Item = (&'a str, String)>) -> String {
    let members: Vec<String> =
        members.map(|(k, v)| format!("{}:{v}", serde_json::Value::String(k.to_owned()))).collect();
    format!("{{{}}}", members.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    #[test]
    fn automation_tools_options_are_read() {
        let n8n = format!(
            r#"{{"errorMessage": "Bad request", "errorDetails": {{"rawErrorMessage": ["400 - \"{{\\\"code\\\":-1102,\\\"msg\\\":\\\"Cannot be greater than 60000.\\\"}}\""], "httpCode": "400"}},
            "cause": {{"options": {{"headers": {{"X-MBX-APIKEY": "{KEY}"}}, "method": "POST", "uri": "https://api.binance.com/api/v3/order",
            "qs": {{"symbol": "BTCUSDT", "recvWindow": "120000", "timestamp": "1", "signature": "ab"}}, "json": false}}}}}}"#
        );
        let r = read(&n8n).expect("found").expect("read");
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/api/v3/order"));
        assert_eq!(r.query, "symbol=BTCUSDT&recvWindow=120000&timestamp=1&signature=ab");
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        assert_eq!(r.answered.as_ref().and_then(|a| a.code), Some(-1102));
        let make = format!(
            "The request failed. Status Code Error: 400\n\nINPUT\n[{{\"qs\": [{{\"name\": \"symbol\", \"value\": \"BTCUSDT\"}}, {{\"name\": \"newClientOrderId\", \"value\": \"tv:1\"}}], \"url\": \"https://api.binance.com/api/v3/order\", \"method\": \"post\", \"headers\": [{{\"name\": \"X-MBX-APIKEY\", \"value\": \"{KEY}\"}}]}}]\n\nOUTPUT\n[{{\"data\": {{\"code\": -1022, \"msg\": \"Signature for this request is not valid.\"}}, \"statusCode\": 400}}]"
        );
        let r = read(&make).expect("found").expect("read");
        assert_eq!((r.method.as_str(), r.query.as_str()), ("POST", "symbol=BTCUSDT&newClientOrderId=tv%3A1"));
        assert_eq!(r.header("x-mbx-apikey"), Some(KEY));
        let a = r.answered.expect("answer");
        assert_eq!((a.status, a.code), (400, Some(-1022)));
        assert!(read("{\"url\": \"https://example.com/\"}").is_none());
    }
}
