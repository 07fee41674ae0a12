//! The doctor for the WebSocket API: a request frame `{"id","method","params"}` is judged by the same
//! acceptance check as the sandbox's WebSocket API ([`accept::check_ws`]) and explained with the same
//! findings as a REST request, plus the WebSocket API's own mistakes: parameters signed in the order
//! written instead of sorted by name, values percent-encoded before signing, `apiKey` left out of
//! what was signed, `signature` included in it, `apiKey` missing from `params`.

use super::finding::Certainty::{Certain, Likely};
use super::{Answered, Cause, Context, Diagnosis, Doctor, DoctorKeys, RequestRecord, Verdict, search};
use crate::accept::{self, Stage, Target};
use crate::endpoint;
use crate::venue::Venue;

/// A WebSocket API request sent as a binary frame of `len` bytes: Binance reads text frames only
/// and answers `-1135` (the sandbox's journal, which sees the frame's opcode; a frame given as text
/// cannot show it).
///
/// ```
/// let d = mbx_core::diagnose::diagnose_ws_binary(80);
/// assert_eq!((d.verdict.code, d.findings[0].cause.id()), (-1135, "frame-binary"));
/// ```
pub fn diagnose_ws_binary(len: usize) -> Diagnosis {
    let error = crate::ApiError::with_msg(crate::ErrorCode::INVALID_JSON, "Invalid JSON Request");
    let finding = super::Finding::new(
        super::Cause::FrameBinary,
        super::Certainty::Certain,
        "the request came in a binary frame: the WebSocket API reads text frames only",
        format!("a binary frame of {len} bytes"),
        "Send the JSON as a text frame: Python websockets ws.send(text) with a str, not bytes; Node.js ws.send(text) with a string, not a Buffer; Go websocket.TextMessage; Java sendText.",
    );
    Diagnosis { verdict: Verdict::rejected(&error), findings: vec![finding] }
}

/// The length of a JSON request a log shows sent in a binary frame: Python websockets' `> BINARY
/// 7b 22 69 64 ... [330 bytes]`, or a Node.js `Buffer` printed as sent (`<Buffer 7b 22 69 64 ...
/// 262 more bytes>`): its bytes start with `{"`.
///
/// ```
/// let log = "DEBUG websockets.client: > BINARY 7b 22 69 64 22 3a ... 22 7d 7d [330 bytes]";
/// assert_eq!(mbx_core::diagnose::binary_frame_in_log(log), Some(330));
/// assert_eq!(mbx_core::diagnose::binary_frame_in_log("sent <Buffer 7b 22 69 64 22 3a 31 ... 12 more bytes>"), Some(19));
/// assert_eq!(mbx_core::diagnose::binary_frame_in_log("> TEXT '{\"id\":1}' [8 bytes]"), None);
/// ```
pub fn binary_frame_in_log(text: &str) -> Option<usize> {
    text.lines().find_map(|line| {
        if let Some(at) = line.find("> BINARY 7b 22 ") {
            let count = line[at..].rsplit_once('[')?.1.strip_suffix("bytes]")?.trim();
            return count.parse().ok();
        }
        let at = line.find("<Buffer 7b 22 ")?;
        let inside = &line[at + "<Buffer ".len()..];
        let inside = &inside[..inside.find('>')?];
        let shown = inside
            .split_whitespace()
            .take_while(|w| w.len() == 2 && w.bytes().all(|b| b.is_ascii_hexdigit()))
            .count();
        let more = inside
            .strip_suffix(" more bytes")
            .and_then(|r| r.rsplit(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
        Some(shown + more)
    })
}

/// Diagnoses one WebSocket API request frame, as sent to `host` (when known: it tells the key's
/// environment apart).
///
/// ```
/// use mbx_core::diagnose::{Context, diagnose_ws};
/// let frame = r#"{"id":1,"method":"account.status","params":{"timestamp":1499827319559,"signature":"00"}}"#;
/// let d = diagnose_ws(frame, None, &Context::default());
/// assert_eq!(d.verdict.code, -1102);
/// assert_eq!(d.findings[0].cause.id(), "api-key-param-missing");
/// ```
pub fn diagnose_ws(frame: &str, host: Option<&str>, ctx: &Context) -> Diagnosis {
    diagnose_ws_at(frame, host, ctx, None, &[], &[])
}

/// The frame inside a log line that prints it (Python's websockets at debug level:
/// `> TEXT '{"id":1,"method":...}' [212 bytes]`, a logger's prefix and time): [`request_json`].
/// `None` when the text starts with the frame itself, or holds none.
fn frame_in_log(text: &str) -> Option<&str> {
    if text.trim_start().starts_with('{') {
        return None;
    }
    request_json(text)
}

/// The request frame in `text`: the JSON object from one of its first `{` to its last `}` that
/// has a `method` (a prefix's own braces, `[{thread}]`, are passed over; an answer has none).
fn request_json(text: &str) -> Option<&str> {
    let end = text.rfind('}')?;
    text.match_indices('{').take(8).find_map(|(start, _)| {
        let inner = text.get(start..=end)?;
        let value: serde_json::Value = serde_json::from_str(inner).ok()?;
        value.get("method").is_some().then_some(inner)
    })
}

/// The request frames a log of a WebSocket connection shows, in the order sent: on each line, the
/// JSON object between its braces that has a `method` (the answers printed between them have none), whatever the logger wrote before it: wscat's `> `, `SEND:`,
/// `Sending:`, `->`, `>>>`, a time and a thread, Python websockets' `> TEXT '...' [212 bytes]`.
/// `Ok(None)` when the text is JSON itself (a frame as sent, or several one after another), or holds
/// no frame at all and starts like one (`{`: what was sent, to be judged as such); an error for a
/// log whose frames cannot be read (cut short by the logger) or that holds none.
///
/// ```
/// use mbx_core::diagnose::ws_frames_in_log;
/// let log = "12:00:01 SEND: {\"id\":1,\"method\":\"time\"}\n12:00:01 RECV: {\"id\":1,\"status\":200,\"result\":{}}\n";
/// assert_eq!(ws_frames_in_log(log).unwrap(), Some(vec![r#"{"id":1,"method":"time"}"#]));
/// assert_eq!(ws_frames_in_log(r#"{"id":1,"method":"time"}"#).unwrap(), None);
/// assert!(ws_frames_in_log("> TEXT '{\"id\": 1, \"method\": \"acc...gY=\"}}' [321 bytes]").is_err());
/// // A frame that is not JSON as sent is kept, to be judged.
/// let broken = "SEND: {\"id\":1,\"method\":\"time\"}\nSEND: {\"id\":2,\"method\":\"time\"}}\n";
/// assert_eq!(ws_frames_in_log(broken).unwrap().map(|f| f.len()), Some(2));
/// ```
pub fn ws_frames_in_log(text: &str) -> Result<Option<Vec<&str>>, super::ParseError> {
    let trimmed = text.trim_start();
    let mut values = serde_json::Deserializer::from_str(trimmed).into_iter::<serde::de::IgnoredAny>();
    // One frame as the whole text (what follows it on its line is judged with it), unless lines
    // of another kind follow it (a program's print of the answer, a remark): then a log.
    if trimmed.starts_with(['{', '[']) && values.next().is_some_and(|v| v.is_ok()) && {
        let rest = &trimmed[values.byte_offset()..];
        let after = rest.trim_start_matches([' ', '\t', '\r']);
        !after.starts_with('\n') || after.trim().is_empty() || after.trim_start().starts_with(['{', '['])
    } {
        return Ok(None);
    }
    let mut frames = Vec::new();
    let mut assigned = Vec::new();
    let mut cut = None;
    for (n, line) in text.lines().enumerate() {
        match request_json(line) {
            // Python's websockets shortens a long frame in its middle (`{"sym...estamp":1}`),
            // which may still read as JSON: the byte count it prints after it says so.
            Some(frame) if printed_bytes(line).is_some_and(|b| b != frame.len()) && frame.contains("...") => {
                cut.get_or_insert(n + 1);
            }
            // An object literal passed to a call in the program's code (`await call(ws, {...})`,
            // `ws.send({...})`): code, not a frame sent.
            Some(frame) if in_call(line, frame) => {}
            // An object literal assigned in the program's code (`sub = {...}`): code too, when
            // the text shows frames sent besides (else a log line written as `frame = {...}`).
            Some(frame) if assigns_literal(line, frame) => assigned.push(frame),
            Some(frame) => frames.push(frame),
            // An object sent as it converts to a string in JavaScript (`ws.send(String(msg))`,
            // `ws.send(msg + "")`): what went out, which is not JSON.
            None if line.trim_end().ends_with("[object Object]") => {
                let at = line.rfind("[object Object]").unwrap_or_default();
                frames.push(&line[at..at + "[object Object]".len()]);
            }
            // A frame the logger shortened (`...` between its braces): nothing to judge.
            None if line.contains('{') && (line.contains("...") || line.contains('\u{2026}')) => {
                cut.get_or_insert(n + 1);
            }
            // A request the program sent that is not JSON as written (a brace too many or
            // missing, a trailing comma): judged as sent, for Binance refuses it.
            None if line.contains("\"method\"") => {
                // (Not an element of a literal written over several lines of code: `{...},`.)
                if let Some(at) = line.find('{')
                    && !source_line(&line[..at], &line[at..])
                    && !opens_call(&line[..at])
                    && !line.trim_end().ends_with("},")
                {
                    frames.push(line[at..].trim_end());
                }
            }
            None => {}
        }
    }
    // A program's code (it signs, or sends what it builds) assigns its frames: none was sent as
    // written there.
    let code =
        super::source::builds_signed(text) || text.contains(".send(json.dumps(") || text.contains("ws.send(");
    if frames.is_empty() && !code {
        frames = assigned;
    }
    if !frames.is_empty() {
        return Ok(Some(frames));
    }
    // A frame pretty-printed over several lines (`Sending request:` then the object): read from
    // each line that opens an object.
    let (mut at, mut read_to) = (0, 0);
    for line in text.split_inclusive('\n') {
        let start = at + (line.len() - line.trim_start().len());
        at += line.len();
        // Not inside a frame already read.
        if start < read_to || !text[start..].starts_with('{') {
            continue;
        }
        let mut values = serde_json::Deserializer::from_str(&text[start..]).into_iter::<serde_json::Value>();
        if let Some(Ok(v)) = values.next()
            && v.get("method").is_some_and(serde_json::Value::is_string)
            && v.get("status").is_none()
        {
            read_to = start + values.byte_offset();
            frames.push(&text[start..read_to]);
        }
    }
    if !frames.is_empty() {
        return Ok(Some(frames));
    }
    // Which line, not its text: a frame holds the API key, which the doctor never prints whole.
    if let Some(line) = cut {
        return Err(super::ParseError::WsLog(format!(
            "the logger shortened the frame on line {line} ('...' in its middle): print the frame yourself before sending it (Python's websockets shortens long frames in its debug log) and give that"
        )));
    }
    if trimmed.starts_with('{') {
        return Ok(None);
    }
    Err(super::ParseError::WsLog(
        "no request frame {\"id\",\"method\",\"params\"} found in this text: give the frame as sent (JSON), or a log whose lines print each frame whole".into(),
    ))
}

/// A log whose every line is a JSON event (Serilog's compact JSON, pino, bunyan, structlog), the
/// frames sent and the answers got held by a member of it (an object, or a string of JSON): the
/// frames and answers themselves, one a line, as written. `None` for any other text (a frame or an
/// answer at the top of a line is one already).
///
/// ```
/// let log = "{\"level\":30,\"frame\":{\"id\":1,\"method\":\"time\"},\"msg\":\"ws send\"}\n{\"@t\":\"12:00\",\"Frame\":\"{\\\"id\\\":1,\\\"status\\\":200}\"}";
/// assert_eq!(mbx_core::diagnose::unwrap_json_log(log).unwrap(), "{\"id\":1,\"method\":\"time\"}\n{\"id\":1,\"status\":200}\n");
/// assert!(mbx_core::diagnose::unwrap_json_log("{\"id\":1,\"method\":\"time\"}").is_none());
/// ```
pub fn unwrap_json_log(text: &str) -> Option<String> {
    use serde_json::value::RawValue;
    let message = |v: &serde_json::Value| {
        v.get("method").is_some_and(serde_json::Value::is_string)
            || v.get("id").is_some() && v.get("status").is_some()
    };
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let event: std::collections::BTreeMap<String, &RawValue> = serde_json::from_str(line).ok()?;
        let whole: serde_json::Value = serde_json::from_str(line).ok()?;
        if message(&whole) {
            return None;
        }
        let inner = event.values().find_map(|raw| {
            let text = raw.get();
            let inner = match text.strip_prefix('"') {
                Some(_) => serde_json::from_str::<String>(text).ok()?,
                None => text.to_owned(),
            };
            let v: serde_json::Value = serde_json::from_str(&inner).ok()?;
            message(&v).then_some(inner)
        });
        if let Some(inner) = inner {
            out.push_str(&inner);
            out.push('\n');
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Request frames a program printed as objects rather than JSON (Node.js's `console.log(frame)`:
/// `{ id: 'c3a1', method: 'order.place', params: { symbol: 'BTCUSDT', ... } }`; Go's `%+v` of the
/// struct it sends: `{ID:7 Method:time Params:map[recvWindow:5000]}`), as JSON text, members in
/// their order. Answers (with a `status`) are left out.
///
/// ```
/// let log = "sending {\n  id: 'c3a1',\n  method: 'time',\n  params: { recvWindow: 5000 }\n}\nreceived { id: 'c3a1', status: 200 }";
/// assert_eq!(mbx_core::diagnose::inspected_frames(log), [r#"{"id":"c3a1","method":"time","params":{"recvWindow":5000}}"#]);
/// let go = "2026/07/23 12:01:38 send: {ID:7 Method:time Params:map[recvWindow:5000 symbol:ETHUSDT]}";
/// assert_eq!(mbx_core::diagnose::inspected_frames(go), [r#"{"id":7,"method":"time","params":{"recvWindow":5000,"symbol":"ETHUSDT"}}"#]);
/// let go_v = "2026/07/23 12:01:38 send {7 time map[recvWindow:5000]}";
/// assert_eq!(mbx_core::diagnose::inspected_frames(go_v), [r#"{"id":7,"method":"time","params":{"recvWindow":5000}}"#]);
/// ```
pub fn inspected_frames(text: &str) -> Vec<String> {
    inspected_frames_as_printed(text).into_iter().map(|(json, _)| json).collect()
}

/// [`inspected_frames`] as Binance got them: where the text shows Binance's `-1135` (not JSON)
/// and a frame's JSON would have read, the program sent the object as printed (Python's
/// `str(req)`, single quotes), and that text is the frame.
///
/// ```
/// use mbx_core::diagnose::inspected_frames_sent;
/// let log = "SEND: {'id': 1, 'method': 'time'}\n";
/// assert_eq!(inspected_frames_sent(log), [r#"{"id":1,"method":"time"}"#]);
/// let refused = format!("{log}RECV: {{\"id\":null,\"status\":400,\"error\":{{\"code\":-1135,\"msg\":\"Invalid JSON Request\"}}}}\n");
/// assert_eq!(inspected_frames_sent(&refused), ["{'id': 1, 'method': 'time'}"]);
/// ```
pub fn inspected_frames_sent(text: &str) -> Vec<String> {
    let not_json = ws_answers_in_log(text)
        .iter()
        .any(|(_, a)| a.code == Some(i64::from(crate::ErrorCode::INVALID_JSON.get())));
    inspected_frames_as_printed(text)
        .into_iter()
        .map(|(json, printed)| {
            let sent_printed = not_json && printed.starts_with('{') && accept::read_ws_frame(&json).is_ok();
            if sent_printed { printed } else { json }
        })
        .collect()
}

/// [`inspected_frames`], each with the text it was printed as (`{'id': 1, 'method': 'time'}`).
fn inspected_frames_as_printed(text: &str) -> Vec<(String, String)> {
    // Python's print of an OrderedDict (binance-sdk-spot's log: `'params': OrderedDict([('apiKey',
    // ...), ('timestamp', 1)])`) as the dict it stands for.
    let text = &ordered_dicts_as_dicts(text);
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if let Some(frame) = go_printed_frame(line).or_else(|| escaped_frame(line)) {
            out.push((frame, line.trim().to_owned()));
            continue;
        }
        let Some(brace) = line.find('{') else { continue };
        // A logger's shortened frame is not one (`ws_frames_in_log` says so).
        if printed_bytes(line).is_some() || line.contains("...") || line.contains('\u{2026}') {
            continue;
        }
        // An object literal the program's code passes to a call (`send({ id: 1, ... })`) or
        // assigns (`req = {"id": str(uuid.uuid4()), "method": method}`): code.
        if opens_call(&line[..brace]) || source_line(&line[..brace], &line[brace..]) {
            continue;
        }
        // An element of a literal written over several lines of code (`for req in (\n {...},`):
        // no print ends an object with a comma.
        let element = |printed: &str| {
            let rest = &text[start + brace + printed.len()..];
            rest.split('\n').next().is_some_and(|r| r.trim() == ",")
        };
        if let Some((v, printed)) = super::inspect::object_span_at(&text[start + brace..])
            && v.get("method").and_then(super::inspect::Js::text).is_some()
            && v.get("status").is_none()
            && !element(printed)
        {
            out.push((v.json_text(), printed.to_owned()));
        }
    }
    out
}

/// `text` with each `OrderedDict([('k', v), ...])` written as `{'k': v, ...}`.
fn ordered_dicts_as_dicts(text: &str) -> String {
    const OPEN: &str = "OrderedDict([";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let body = &rest[at + OPEN.len()..];
        // The pairs, each `('name', value)`, up to the list's `])`; quotes kept as written.
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut end = None;
        for (i, c) in body.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '(' | '[' | '{') => depth += 1,
                (None, ')' | '}') => depth = depth.saturating_sub(1),
                (None, ']') if depth == 0 => {
                    end = Some(i);
                    break;
                }
                (None, ']') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let Some(end) = end.filter(|&e| body[e + 1..].starts_with(')')) else {
            out.push_str(OPEN);
            rest = body;
            continue;
        };
        // Each top-level `(name, value)` becomes `name: value`.
        let mut dict = String::from("{");
        let (mut depth, mut quote, mut comma_done) = (0usize, None::<char>, false);
        for c in body[..end].chars() {
            match (quote, c) {
                (Some(q), c) if c == q => {
                    quote = None;
                    dict.push(c);
                }
                (Some(_), c) => dict.push(c),
                (None, '\'' | '"') => {
                    quote = Some(c);
                    dict.push(c);
                }
                (None, '(') if depth == 0 => {
                    depth = 1;
                    comma_done = false;
                }
                (None, ')') if depth == 1 => depth = 0,
                (None, ',') if depth == 1 && !comma_done => {
                    dict.push(':');
                    comma_done = true;
                }
                (None, '(' | '[' | '{') => {
                    depth += 1;
                    dict.push(c);
                }
                (None, ')' | ']' | '}') => {
                    depth = depth.saturating_sub(1);
                    dict.push(c);
                }
                _ => dict.push(c),
            }
        }
        dict.push('}');
        out.push_str(&dict);
        rest = &body[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A request frame a log prints as a string literal, its quotes escaped (Elixir's inspect of a
/// WebSockex frame: `{:text, "{\"id\":1,\"method\":...}"}`), unescaped; answers (with a
/// `status`) are not.
fn escaped_frame(line: &str) -> Option<String> {
    let at = line.find("\"{\\\"")?;
    let mut strings = serde_json::Deserializer::from_str(&line[at..]).into_iter::<String>();
    let frame = strings.next()?.ok()?;
    let v: serde_json::Value = serde_json::from_str(&frame).ok()?;
    (v.get("method").is_some_and(serde_json::Value::is_string) && v.get("status").is_none()).then_some(frame)
}

/// A request frame as Go's `%+v` prints the struct a program sends: `{ID:7 Method:order.place
/// Params:map[apiKey:... symbol:ETHUSDT timestamp:1]}` (a map's keys sorted, `key:value` apart by
/// spaces), as JSON: integers and booleans as such, other values as strings.
fn go_printed_frame(line: &str) -> Option<String> {
    use serde_json::Value;
    let field = |name: &str| {
        let at = line.match_indices(name).find(|(i, _)| line[..*i].ends_with(['{', ' ']))?.0 + name.len();
        line[at..].split([' ', '}']).next().filter(|v| !v.is_empty())
    };
    // `%v` prints the fields without their names: `{7 order.place map[apiKey:... symbol:ETHUSDT]}`.
    let positional = || {
        let at = line.find(" map[")?;
        let open = line[..at].rfind('{')?;
        let mut words = line[open + 1..at].split(' ');
        let (id, method) = (words.next()?, words.next()?);
        (words.next().is_none() && endpoint::ws_method(method).is_some()).then_some((id, method, at + 1))
    };
    let (method, start, id) = match (field("Method:"), line.find("Params:map[")) {
        (Some(method), Some(at)) => (method, at + "Params:map[".len(), None),
        _ => {
            let (id, method, at) = positional()?;
            (method, at + "map[".len(), Some(id))
        }
    };
    let end = start + line[start..].find(']')?;
    let scalar = |v: &str| match v {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => v.parse::<i64>().map_or_else(|_| Value::String(v.to_owned()), Value::from),
    };
    let mut params = serde_json::Map::new();
    for pair in line[start..end].split(' ').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once(':')?;
        params.insert(k.to_owned(), scalar(v));
    }
    let id = id.or_else(|| field("ID:")).or_else(|| field("Id:")).map_or(Value::Null, scalar);
    let mut frame = serde_json::Map::new();
    frame.insert("id".into(), id);
    frame.insert("method".into(), Value::String(method.to_owned()));
    frame.insert("params".into(), Value::Object(params));
    Some(Value::Object(frame).to_string())
}

/// The `[N bytes]` a logger prints after a frame (Python's websockets: `> TEXT '{...}' [251 bytes]`).
fn printed_bytes(line: &str) -> Option<usize> {
    let rest = line.trim_end().strip_suffix(" bytes]")?;
    rest[rest.rfind('[')? + 1..].parse().ok()
}

/// Whether a line holding `{..."method"...}` that is not JSON is the program's source rather than
/// a frame it sent: the object is an argument (`json.dumps({`, `JSON.stringify({`) or assigned
/// (`msg = {`), or a value in it is a variable (`"params": params`).
/// Whether `object`, a slice of `line`, is an argument of a call the line writes ([`opens_call`]
/// before it, a `)` closing it after it).
fn in_call(line: &str, object: &str) -> bool {
    let at = object.as_ptr() as usize - line.as_ptr() as usize;
    opens_call(&line[..at]) && line[at + object.len()..].trim_start().starts_with(')')
}

/// Whether `before` (what precedes an object on its line) leaves a call of the program's code open
/// for it: `name(`, or `name(a, ` (`await call(ws, {...`, `ws.send({...`).
fn opens_call(before: &str) -> bool {
    let before = before.trim_end();
    let Some(open) = before.rfind('(') else { return false };
    let named = before[..open].ends_with(|c: char| c.is_alphanumeric() || c == '_');
    named && (before.ends_with('(') || before.ends_with(',') && !before[open..].contains(')'))
}

/// Whether `line` assigns `object` to a variable, as code does (`    sub = {...}`, `const req =
/// {...};`, `req["x"] = {...}`): an indented or declared name, then `=`, then the object.
fn assigns_literal(line: &str, object: &str) -> bool {
    let Some(before) = line.find(object).map(|at| line[..at].trim_end()) else { return false };
    let Some(name) = before.strip_suffix('=').map(str::trim_end) else { return false };
    let name = ["const ", "let ", "var ", "final "]
        .iter()
        .find_map(|d| name.trim_start().strip_prefix(d))
        .unwrap_or(name);
    let name = name.trim_start();
    !name.is_empty()
        && name.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == '$')
        && name.chars().all(|c| c.is_alphanumeric() || "_$.[]\"'".contains(c))
}

fn source_line(before: &str, object: &str) -> bool {
    let before = before.trim_end();
    if before.ends_with('(') || before.ends_with(" =") {
        return true;
    }
    object.match_indices(':').any(|(at, _)| {
        let value = object[at + 1..].trim_start();
        let word: String =
            value.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.')).collect();
        let after = value[word.len()..].trim_start();
        word.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && !matches!(word.as_str(), "true" | "false" | "null" | "True" | "False" | "None" | "undefined")
            // A variable's name as a value, or a call (`"params": sign({...})`): code.
            && after.starts_with([',', '}', '('])
    })
}

/// [`diagnose_ws`] for a frame sent on a connection that has (`logged_on`) or has not sent a
/// `session.logon` before it (a HAR file shows the frames of a connection in order; the sandbox
/// knows its sessions). A request without `apiKey` and `signature` on a logged-on connection is
/// the session's.
///
/// ```
/// use mbx_core::diagnose::{Context, diagnose_ws_in_session};
/// let frame = r#"{"id":1,"method":"account.status","params":{"timestamp":1499827319559}}"#;
/// let d = diagnose_ws_in_session(frame, None, &Context::default(), true);
/// assert!(d.findings.iter().all(|f| f.cause.id() != "api-key-param-missing"));
/// ```
pub fn diagnose_ws_in_session(frame: &str, host: Option<&str>, ctx: &Context, logged_on: bool) -> Diagnosis {
    diagnose_ws_at(frame, host, ctx, Some(logged_on), &[], &[])
}

/// Frames sent in order on one connection (a program's log of them, one after another), each
/// diagnosed as the connection stood when it was sent: logged on after a `session.logon` the doctor
/// accepts, until a `session.logout`.
///
/// ```
/// use mbx_core::diagnose::{Context, diagnose_ws_frames};
/// let frames = [r#"{"id":1,"method":"session.status"}"#, r#"{"id":2,"method":"time"}"#];
/// assert_eq!(diagnose_ws_frames(&frames, None, &Context::default()).len(), 2);
/// ```
pub fn diagnose_ws_frames(frames: &[&str], host: Option<&str>, ctx: &Context) -> Vec<Diagnosis> {
    diagnose_ws_frames_printed(frames, host, ctx, &[])
}

/// [`diagnose_ws_frames`] of frames read out of a program's log that also prints `printed`, the
/// texts it signed ([`printed_forms`]: `sign: apiKey=...&price=3000.00&...`): the signature
/// search tries them, and a hit says how they differ from the params sent.
///
/// ```
/// use mbx_core::diagnose::{Context, diagnose_ws_frames_printed, printed_forms};
/// let log = "sign: symbol=BTCUSDT&timestamp=1\n-> {\"id\":1,\"method\":\"time\"}";
/// let printed = printed_forms(log);
/// assert_eq!(printed, ["symbol=BTCUSDT&timestamp=1"]);
/// assert_eq!(diagnose_ws_frames_printed(&[r#"{"id":1,"method":"time"}"#], None, &Context::default(), &printed).len(), 1);
/// ```
pub fn diagnose_ws_frames_printed(
    frames: &[&str],
    host: Option<&str>,
    ctx: &Context,
    printed: &[String],
) -> Vec<Diagnosis> {
    diagnose_ws_log(frames, &[], host, ctx, printed)
}

/// `frame` with a redacted `apiKey` (`[REDACTED]`, `***`, `hidden`) replaced by the key given
/// here (else a well-formed stand-in) and a redacted `signature` by a well-formed stand-in; and
/// whether the signature was redacted (then it is not to be checked).
fn unmask(frame: &str, ctx: &Context) -> (String, bool) {
    let masked = super::request::masked;
    // The string value after `"name":`, as written (its quotes excluded): where it starts and ends.
    let value_of = |text: &str, name: &str| -> Option<(usize, usize)> {
        let at = text.find(&format!("\"{name}\""))? + name.len() + 2;
        let rest = &text[at..];
        let colon = rest.find(':')?;
        let after = &rest[colon + 1..];
        let open = after.len() - after.trim_start().len();
        after[open..].starts_with('"').then_some(())?;
        let start = at + colon + 1 + open + 1;
        let end = start + text[start..].find('"')?;
        Some((start, end))
    };
    let mut out = frame.to_owned();
    if let Some((start, end)) = value_of(&out, "apiKey").filter(|&(s, e)| masked(&out[s..e])) {
        let key = ctx.api_key.clone().unwrap_or_else(|| super::UNSHOWN_KEY.to_owned());
        out.replace_range(start..end, &key);
    }
    let mut signature_masked = false;
    if let Some((start, end)) = value_of(&out, "signature").filter(|&(s, e)| masked(&out[s..e])) {
        // A stand-in of the key's kind: hex for HMAC, base64 for the others (and for a logon,
        // which takes Ed25519 keys only), so that the kind it shows is not the stand-in's.
        let logon = frame.contains("\"session.logon\"");
        let stand_in = match ctx.key_kind() {
            Some(crate::sign::KeyKind::Rsa) => format!("{}==", "A".repeat(342)),
            Some(crate::sign::KeyKind::Ed25519) => format!("{}==", "A".repeat(86)),
            _ if logon => format!("{}==", "A".repeat(86)),
            _ => "0".repeat(64),
        };
        out.replace_range(start..end, &stand_in);
        signature_masked = true;
    }
    (out, signature_masked)
}

/// [`diagnose_ws_frames_printed`] of a log that also shows Binance's answers
/// ([`ws_answers_in_log`]): a frame answered with status 200 was accepted when it was sent, so one
/// that a single "now" would find stale (a log spanning an hour) is judged as of its own
/// timestamp, and a `session.logon` answered 200 logs the connection on whatever the time.
///
/// ```
/// use mbx_core::diagnose::{Context, diagnose_ws_log, ws_answers_in_log};
/// let log = "SEND {\"id\":7,\"method\":\"time\"}\nRECV {\"id\":7,\"status\":200,\"result\":{}}";
/// assert_eq!(ws_answers_in_log(log)[0].1.status, 200);
/// let d = diagnose_ws_log(&[r#"{"id":7,"method":"time"}"#], &ws_answers_in_log(log), None, &Context::default(), &[]);
/// assert_eq!(d[0].verdict.code, 0);
/// ```
pub fn diagnose_ws_log(
    frames: &[&str],
    answers: &[(String, Answered)],
    host: Option<&str>,
    ctx: &Context,
    printed: &[String],
) -> Vec<Diagnosis> {
    let (mut logged_on, mut logged_out) = (false, false);
    // The logon's API key; the API keys whose account has a User Data Stream subscription here
    // (one per account per connection), the session's own marked.
    let mut session_key: Option<String> = None;
    let mut subscribed: Vec<(String, bool)> = Vec::new();
    // The API key of the key given here: the profile's, else that of a signed frame the key
    // verifies. A frame naming another apiKey (an ad hoc request of another key pair, which
    // web-socket-api.md allows, or a logon with one) is not this key's to check.
    let has_key = ctx.secret.is_some() || ctx.verifier.is_some();
    let ours = ctx.api_key.clone().or_else(|| {
        frames.iter().filter(|_| has_key).find_map(|frame| {
            let f = accept::read_ws_frame(frame).ok()?;
            let key = f.params.get("apiKey")?.to_owned();
            f.params.get("signature")?;
            (diagnose_ws_at(frame, host, ctx, None, printed, &[]).verdict.code == 0).then_some(key)
        })
    });
    let keyless = Context { secret: None, verifier: None, others: Vec::new(), ..ctx.clone() };
    // The signatures the frames before sent, each with the payload it was sent for.
    let mut earlier: Vec<(String, String)> = Vec::new();
    frames
        .iter()
        .map(|frame| {
            // A logger's redaction of the key or the signature (binance-sdk-spot's `[REDACTED]`):
            // the key taken as sent and well formed, the signature not checked.
            let (unmasked, signature_masked) = unmask(frame, ctx);
            let frame = &unmasked.as_str();
            let ctx = if signature_masked { &keyless } else { ctx };
            let sent: Option<serde_json::Value> =
                serde_json::from_str(frame_in_log(frame).unwrap_or(frame)).ok();
            let answer = sent.as_ref().and_then(|v| {
                let id = v["id"].to_string();
                answers.iter().find(|(a, _)| *a == id).map(|(_, answered)| answered)
            });
            let accepted = answer.is_some_and(|a| a.status == 200);
            let mut d = diagnose_ws_at(frame, host, ctx, Some(logged_on), printed, &earlier);
            // Answered 200 then: judged as of its own timestamp (the log may be older than now).
            let stamped = sent.as_ref().and_then(|v| match &v["params"]["timestamp"] {
                serde_json::Value::Number(n) => n.as_u64(),
                serde_json::Value::String(t) => t.parse().ok(),
                _ => None,
            });
            // Answered otherwise than -1021: Binance took its timestamp then, so it is judged as of
            // that time too (the rest of the frame as it stands).
            let took = answer.is_some_and(Answered::took_timestamp);
            if let (true, true, Some(ts)) = (took, d.verdict.code != 0, stamped) {
                let then = ctx.clone().at(crate::time::Timestamp::Millis(ts.saturating_add(100)));
                let again = diagnose_ws_at(frame, host, &then, Some(logged_on), printed, &earlier);
                if again.verdict.code == 0 || !accepted {
                    d = again;
                } else {
                    // Accepted, and the key given does not verify it (another key pair's, or an
                    // HMAC secret given for an Ed25519 logon): Binance's 200 stands.
                    let unchecked = Context { secret: None, verifier: None, others: Vec::new(), ..then };
                    let again = diagnose_ws_at(frame, host, &unchecked, Some(logged_on), printed, &earlier);
                    if again.verdict.code == 0 {
                        d = again;
                    }
                }
            }
            if logged_out {
                note_logout(&mut d);
            }
            let read = accept::read_ws_frame(frame);
            // This frame's signature, for the frames after it (not for its own checks).
            let signed_now = read.as_ref().ok().and_then(|f| signed_for(&f.params));
            let key = read.as_ref().ok().and_then(|f| f.params.get("apiKey").map(str::to_owned));
            // An ad hoc request with another apiKey than the session's (web-socket-api.md allows
            // it): the key given here is the session's, not this apiKey's. Signed with it anyway,
            // Binance refuses it; else its signature is not this doctor's to check.
            if let (Some(mine), Some(sent)) = (&ours, &key)
                && mine != sent
            {
                let signed = read.as_ref().is_ok_and(|f| f.params.get("signature").is_some());
                d = if signed && d.verdict.code == 0 && !accepted {
                    other_pair(d, mine, sent, ctx)
                } else {
                    let mut unchecked = diagnose_ws_at(frame, host, &keyless, Some(logged_on), printed, &earlier);
                    if unchecked.verdict.code == 0 && signed {
                        unchecked.verdict.msg = format!(
                            "Binance will accept this if the signature matches (it was not checked: the key given here is {}'s, and this request names {}).",
                            super::request::shorten(mine),
                            super::request::shorten(sent)
                        );
                    }
                    unchecked
                };
            }
            match read.map(|f| f.method) {
                Ok(m) if m == "session.logon" && (d.verdict.code == 0 || accepted) => {
                    (logged_on, logged_out) = (true, false);
                    session_key = key;
                }
                Ok(m) if m == "session.logout" => {
                    (logged_on, logged_out) = (false, logged_out || logged_on);
                    session_key = None;
                    subscribed.retain(|(_, own)| !own);
                }
                Ok(m) if m == "userDataStream.unsubscribe" => subscribed.clear(),
                Ok(m)
                    if (m == "userDataStream.subscribe" || m == "userDataStream.subscribe.signature")
                        && d.verdict.code == 0 =>
                {
                    let own = m == "userDataStream.subscribe";
                    let account = if own { session_key.clone() } else { key };
                    if let Some(account) = account {
                        if subscribed.iter().any(|(k, _)| *k == account) {
                            d = subscription_active(d, &m, ctx);
                        } else {
                            subscribed.push((account, own));
                        }
                    }
                }
                _ => {}
            }
            earlier.extend(signed_now);
            // Binance's error answer to it, shown: what the frame's form does not explain (a
            // balance, a filter, the key's IP list) is named; a -2015 wins over later stages.
            match answer.filter(|a| a.code.is_some()) {
                Some(answered) => super::ws_beside_answer(d, answered, ctx),
                None => d,
            }
        })
        .collect()
}

/// A frame's signature and the payload Binance verifies it over (every other param, sorted by
/// name); `None` for an unsigned frame.
fn signed_for(params: &crate::Params) -> Option<(String, String)> {
    let signature = params.get("signature").filter(|s| !s.is_empty())?;
    Some((signature.to_owned(), unsigned_payload(params.iter())))
}

/// The payload Binance verifies a frame's signature over: every param of `pairs` but
/// `signature`, sorted by name, unencoded.
fn unsigned_payload<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut unsigned = crate::Params::new();
    for (k, v) in pairs.filter(|(k, _)| *k != "signature") {
        unsigned.push(k.to_owned(), v.to_owned());
    }
    crate::payload::ws_api_payload(&unsigned)
}

/// A request naming `sent` as its apiKey, signed with the key of apiKey `session` (the one the key
/// given here belongs to): Binance verifies it with `sent`'s key, `-1022`.
fn other_pair(d: Diagnosis, session: &str, sent: &str, ctx: &Context) -> Diagnosis {
    let finding = super::Finding {
        cause: Cause::ApiKeyOtherPair,
        certainty: super::Certainty::Likely,
        title: "the request names another apiKey than the one its signature's key belongs to".into(),
        evidence: format!(
            "apiKey {} in params; the signature verifies with the key of {}",
            super::request::shorten(sent),
            super::request::shorten(session)
        ),
        fix: "Sign an ad hoc request with the key pair of the apiKey it names (Binance verifies the signature with that key), or leave apiKey and signature out to use the session's.".into(),
    };
    let error = crate::ApiError::new(crate::ErrorCode::INVALID_SIGNATURE);
    refused_first(d, finding, &error, accept::Stage::Signature, ctx)
}

/// A second User Data Stream subscription of one account on the connection
/// ([`accept::subscription_active`]).
fn subscription_active(d: Diagnosis, method: &str, ctx: &Context) -> Diagnosis {
    let finding = super::Finding {
        cause: Cause::SubscriptionActive,
        certainty: super::Certainty::Certain,
        title: "this account's User Data Stream is already subscribed on this connection".into(),
        evidence: format!("{method} after an earlier subscription of the same API key's account, with no userDataStream.unsubscribe between"),
        fix: "Subscribe once per account and connection: keep the subscription (its subscriptionId tells its events apart), or send userDataStream.unsubscribe first; session.subscriptions lists what is active.".into(),
    };
    let refusal = accept::subscription_active(None);
    refused_first(d, finding, &refusal.error, refusal.stage, ctx)
}

/// `d` refused with `error` at `stage`, `finding` first.
fn refused_first(
    d: Diagnosis,
    finding: super::Finding,
    error: &crate::ApiError,
    stage: accept::Stage,
    ctx: &Context,
) -> Diagnosis {
    let mut findings = d.findings;
    findings.insert(0, finding);
    super::conclude(Verdict::rejected(error), Some(stage), findings, ctx, &[])
}

/// A WebSocket API request that `text` shows answered with success, though not its frame: a JSON
/// answer with status 200, an SDK's printed response (`id='..' status=200 result=...`), or
/// binance-sdk-spot's typed result (`AccountStatusResponseResult(...)`). `None` when the text shows
/// no such answer, or an error answer too.
///
/// ```
/// use mbx_core::diagnose::ws_answered_success;
/// let d = ws_answered_success("id='a1' status=200 result=AccountStatusResponseResult(can_trade=True)").unwrap();
/// assert_eq!(d.verdict.code, 0);
/// assert!(ws_answered_success(r#"{"id":1,"status":200,"result":{}}"#).is_some());
/// assert!(ws_answered_success(r#"{"id":1,"status":400,"error":{"code":-1022,"msg":"x"}}"#).is_none());
/// ```
pub fn ws_answered_success(text: &str) -> Option<Diagnosis> {
    let answers = ws_answers_in_log(text);
    if answers.iter().any(|(_, a)| a.status != 200) {
        return None;
    }
    let shown = !answers.is_empty()
        || text.lines().any(|l| {
            (l.contains(" status=200 ") && l.contains("result="))
                || l.contains("ResponseResult(")
                || l.contains("ResponseResultBalancesInner(")
        });
    shown.then(|| Diagnosis { verdict: Verdict::accepted(super::ANSWERED_SUCCESS), findings: Vec::new() })
}

/// Binance's answers a program's log of a WebSocket API connection prints, one a line
/// (`RECV {"id":1,"status":200,"result":{...}}`): each one's `id` (as JSON text: `1`, `"a1"`), and
/// its `status` with the `code` and `msg` of its `error` when it has one. Request frames and
/// stream events (no `status`) are left out.
///
/// ```
/// use mbx_core::diagnose::ws_answers_in_log;
/// let log = r#"< {"id":"c1","status":400,"error":{"code":-2011,"msg":"Unknown order sent."}}"#;
/// let answers = ws_answers_in_log(log);
/// assert_eq!((answers[0].0.as_str(), answers[0].1.status, answers[0].1.code), (r#""c1""#, 400, Some(-2011)));
/// ```
pub fn ws_answers_in_log(text: &str) -> Vec<(String, Answered)> {
    // The ids of the frames sent so far, in order: an answer with a null id (Binance's, when it
    // refuses a request before reading it as the session's, such as for a key deleted meanwhile)
    // answers the latest one not answered yet.
    let mut sent: Vec<String> = Vec::new();
    let mut answers: Vec<(String, Answered)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(at) = line.find('{') else { continue };
        let first =
            |s: &str| serde_json::Deserializer::from_str(s).into_iter::<serde_json::Value>().next()?.ok();
        // A program's print of the text escaped inside a string (Swift's `string("{\"id\"...")`),
        // or of the object decoded (Node.js's console.log: `recv {` and its members on the lines
        // after, keys unquoted).
        let inspected = || {
            let js = super::inspect::object_at(&text[start + at..])?;
            serde_json::from_str(&js.json_text()).ok()
        };
        let Some(v) = first(&line[at..])
            .or_else(|| first(&line[at..].replace("\\\"", "\"")))
            .or_else(|| line[at..].trim_end().ends_with('{').then(inspected).flatten())
        else {
            continue;
        };
        let Some(id) = v.get("id") else { continue };
        if v.get("method").is_some() {
            sent.push(id.to_string());
            continue;
        }
        let Some(status) = v.get("status").and_then(serde_json::Value::as_u64) else { continue };
        let Ok(status) = u16::try_from(status) else { continue };
        let error = v.get("error");
        let answered = Answered {
            status,
            code: error.and_then(|e| e["code"].as_i64()),
            msg: error.and_then(|e| e["msg"].as_str()).map(str::to_owned),
        };
        let id = match id {
            serde_json::Value::Null => sent
                .iter()
                .rev()
                .find(|s| !answers.iter().any(|(a, _)| a == *s))
                .cloned()
                .unwrap_or_else(|| "null".into()),
            id => id.to_string(),
        };
        answers.push((id, answered));
    }
    answers
}

/// A request sent after a `session.logout` ended the connection's session, and refused for want of
/// what a session gave (its apiKey, its signature, the session itself): the finding names the
/// logout.
pub(super) fn note_logout(d: &mut Diagnosis) {
    let Some(f) = d.findings.first_mut().filter(|f| {
        d.verdict.code != 0
            && matches!(
                f.cause,
                Cause::ApiKeyParamMissing | Cause::SignatureMissing | Cause::SessionNotLoggedOn
            )
    }) else {
        return;
    };
    f.title.push_str(" (a session.logout before it ended this connection's session)");
    f.fix = format!(
        "After session.logout, requests carry apiKey, timestamp and signature again; or send session.logon again first. {}",
        f.fix
    );
}

/// [`diagnose_ws_in_session`], with `session` `None` when whether the connection was logged on is
/// not known (one frame given alone).
fn diagnose_ws_at(
    frame: &str,
    host: Option<&str>,
    ctx: &Context,
    session: Option<bool>,
    printed: &[String],
    earlier: &[(String, String)],
) -> Diagnosis {
    let logged_on = session.unwrap_or(false);
    let frame = frame_in_log(frame).unwrap_or(frame);
    let frame_text = frame;
    let record = RequestRecord {
        method: "WS".into(),
        host: host.map(str::to_owned),
        printed: printed.to_vec(),
        earlier_signatures: earlier.to_vec(),
        ..RequestRecord::default()
    };
    let mut d = Doctor { req: &record, ctx, findings: Vec::new() };
    let frame = match accept::read_ws_frame(frame) {
        Ok(f) => f,
        Err(rejected) => {
            let (_, rejection) = *rejected;
            frame_not_json(&mut d, frame, &rejection.hint);
            return super::conclude(
                Verdict::rejected(&rejection.error),
                Some(Stage::Route),
                d.findings,
                ctx,
                &[],
            );
        }
    };
    let method = frame.method.as_str();
    let (security, endpoint) = match (endpoint::ws_method(method), endpoint::ws_session(method)) {
        (Some(e), _) => (e.security, Some(e)),
        (None, Some(s)) => (s.security, None),
        (None, None) => {
            method_unknown(&mut d, method);
            let error = crate::ApiError::new(crate::ErrorCode::UNSUPPORTED_OPERATION);
            return super::conclude(Verdict::rejected(&error), Some(Stage::Route), d.findings, ctx, &[]);
        }
    };
    // A session method's parameters are read before the session (-1104 first).
    if let Some(Err(refused)) =
        endpoint::ws_session(method).map(|m| accept::check_session_params(m, &frame.params))
    {
        d.find(
            Cause::ParamNotRead,
            Certain,
            refused.hint.split(". ").next().unwrap_or_default().trim_end_matches('.').to_owned(),
            format!("params: {}", frame.params.iter().map(|(k, _)| k).collect::<Vec<_>>().join(", ")),
            if method == "userDataStream.subscribe" {
                "Send userDataStream.subscribe with no params after session.logon, or call userDataStream.subscribe.signature with apiKey, timestamp and signature."
            } else {
                "Remove the parameters the method does not take."
            },
        );
        return super::conclude(Verdict::rejected(&refused.error), Some(refused.stage), d.findings, ctx, &[]);
    }
    if accept::NEEDS_LOGON.contains(&method) && logged_on {
        // It reads nothing but the session (its logon is diagnosed as a frame of its own).
        return super::conclude(Verdict::accepted(super::ACCEPTED), None, d.findings, ctx, &[]);
    }
    if accept::NEEDS_LOGON.contains(&method) {
        let refused = accept::not_logged_on(method);
        d.find(
            Cause::SessionNotLoggedOn,
            Likely,
            format!("{method} works only on a connection logged on with session.logon; on one that has not, Binance answers -1002"),
            format!("{method} with no session.logon before it"),
            "Send session.logon (apiKey, timestamp, signature; an Ed25519 key) on this connection first, or subscribe with userDataStream.subscribe.signature, which takes apiKey, timestamp and signature itself.",
        );
        return super::conclude(Verdict::rejected(&refused.error), Some(refused.stage), d.findings, ctx, &[]);
    }
    let written: Vec<(String, String)> =
        frame.params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    // Objects inside params (arrays are lists such as symbols): Binance reads flat pairs.
    let nested: Vec<&str> =
        written.iter().filter(|(_, v)| v.starts_with('{')).map(|(k, _)| k.as_str()).collect();
    if !nested.is_empty() {
        let (title, fix) = if nested == ["params"] && written.len() == 1 {
            (
                "params holds one object named params: the parameters are wrapped twice".to_owned(),
                "Send the parameters directly in params: {\"id\":...,\"method\":...,\"params\":{\"symbol\":...,\"timestamp\":...}}, not params inside params.",
            )
        } else {
            (
                match nested.as_slice() {
                    [one] => format!("{one} is a JSON object: params are flat name-value pairs"),
                    _ => {
                        format!("{} are JSON objects: params are flat name-value pairs", nested.join(" and "))
                    }
                },
                "Write every parameter at the top of params as a string, number or boolean: an order list's legs are aboveType, abovePrice, belowType, belowStopPrice and so on (the method's parameter table), not nested objects.",
            )
        };
        d.find(Cause::ParamsNested, Certain, title, format!("params: {}", names(&written)), fix);
    }
    // No params, but the parameters under another name (`"param": {...}`, `"args": {...}`): Binance
    // reads only `params`, and the request has none.
    if written.is_empty()
        && let Ok(serde_json::Value::Object(top)) = serde_json::from_str::<serde_json::Value>(frame_text)
        && !top.contains_key("params")
        && let Some((other, _)) =
            top.iter().find(|(k, v)| v.is_object() && !["id", "method"].contains(&k.as_str()))
    {
        d.find(
            Cause::ParamNotRead,
            Certain,
            format!("the parameters are sent under \"{other}\": a request's parameters go in \"params\", so Binance sees none"),
            format!("frame members: {}", top.keys().map(String::as_str).collect::<Vec<_>>().join(", ")),
            format!("Rename \"{other}\" to \"params\": {{\"id\":...,\"method\":...,\"params\":{{...}}}}."),
        );
    }
    let get = |name: &str| frame.params.get(name);
    let venue = host.and_then(Venue::of_host);

    // The verdict is the acceptance check's, the sandbox's own: the findings explain it.
    let target = Target { security, endpoint };
    let keys = DoctorKeys { any: accept::AnyKey(ctx.any_verifier()), ctx, venue };
    // On a connection logged on with session.logon (a HAR file shows it), a request without apiKey
    // and signature is the session's: no key or signature to check (web-socket-api.md, "Session
    // Authentication").
    let in_session = logged_on
        && security.needs_api_key()
        && !accept::SIGNS_ITSELF.contains(&method)
        && get("apiKey").is_none()
        && get("signature").is_none();
    let checked = if in_session {
        accept::check_ws_session(target, frame.params.clone(), &keys, (), ctx.server_time)
    } else {
        accept::check_ws(target, frame.params.clone(), &keys, ctx.server_time)
    };
    let verified = super::signature_verified(&checked);
    // A public method is not checked by the acceptance check: its parameters are checked as
    // REST's are (`-1104`, then `-1102`), before its handler reads them.
    let checked = match checked {
        Ok(a) if !security.needs_api_key() => accept::check_ws_public(target, &frame.params).map(|()| a),
        other => other,
    };
    let (mut verdict, mut stage) = match checked {
        Err(r) => (Verdict::rejected(&r.error), Some(r.stage)),
        // On a session, no signature is sent to be checked.
        Ok(_) if security.needs_signature() && ctx.key_kind().is_none() && !in_session => {
            (Verdict::accepted(super::ACCEPTED_UNCHECKED), None)
        }
        Ok(_) => (Verdict::accepted(super::ACCEPTED), None),
    };

    // A logon the acceptance check lets through is still refused unless its key is Ed25519: the
    // key given to the doctor tells its kind, else the signature's form (64 hex digits: HMAC; 88
    // base64 characters: Ed25519; longer: RSA).
    if method == "session.logon" && verdict.code == 0 {
        let known = ctx.key_kind();
        let kind = known.or_else(|| get("signature").and_then(super::signature_kind));
        if let Some(refused) = kind.and_then(accept::logon_key_refusal) {
            d.find(
                Cause::LogonKeyNotEd25519,
                if known.is_some() { Certain } else { Likely },
                format!("session.logon takes Ed25519 keys only, and this logon is signed with a {} key", kind.map_or(String::new(), |k| k.to_string())),
                format!("params: {}", names(&written)),
                "Register an Ed25519 key and log on with it, or send apiKey, timestamp and signature with every request instead of logging on.",
            );
            (verdict, stage) = (Verdict::rejected(&refused.error), Some(refused.stage));
        }
    }
    if security.needs_api_key() && !in_session {
        match get("apiKey") {
            Some(key) if !key.is_empty() => {
                super::check_key_value(&mut d, key, venue, "params.apiKey", "apiKey=");
            }
            _ => api_key_missing(&mut d, method, &written),
        }
    }
    if security.needs_signature() {
        super::check_timing(&mut d, get("timestamp"), get("recvWindow"));
        // Logged on, yet the request names a key of its own whose signature fails: the explicit pair
        // overrides the session (web-socket-api.md, "Authorize ad hoc requests").
        if logged_on
            && !in_session
            && verdict.code == crate::ErrorCode::INVALID_SIGNATURE.get()
            && get("apiKey").is_some()
        {
            let signed_as = get("signature").and_then(super::signature_kind);
            // Certain when the signature has another key kind's form than the apiKey's key.
            let other_kind = signed_as.zip(ctx.key_kind()).is_some_and(|(signed, own)| signed != own);
            d.find(
                Cause::SessionOverridden,
                if other_kind { Certain } else { Likely },
                "this connection is logged on, but the request carries its own apiKey and signature, which override the session's key, and that signature does not verify for the apiKey sent",
                format!(
                    "params: {}{}",
                    names(&written),
                    signed_as.map_or(String::new(), |k| format!("; the signature has the form of {k} signatures"))
                ),
                "To use the session's key, leave apiKey and signature out (timestamp stays). To use another key for this request, sign it with that key's own secret or private key.",
            );
        }
        // Logged on, with an apiKey but no signature: the apiKey asks for ad hoc authentication.
        if logged_on && !in_session && get("apiKey").is_some() && get("signature").is_none() {
            d.find(
                Cause::SignatureMissing,
                Certain,
                "this connection is logged on, but the request names an apiKey without a signature: an apiKey in params asks for the request's own authentication, which needs a signature",
                format!("params: {}", names(&written)),
                "Leave apiKey out to use the session's key (timestamp stays), or sign the request with that apiKey's key.",
            );
        } else if !in_session && nested.is_empty() {
            // Nested params are named above; what a signature over them would be is beside the point.
            check_signature(&mut d, &written, verified, &unsigned_frames(frame_text));
        }
    }
    if let Some(e) = endpoint {
        let sent = written
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !endpoint::WS_SIGNED_PARAMS.contains(k) && !endpoint::WS_REQUEST_PARAMS.contains(k));
        let unread = e.unread(sent);
        // Objects the method does not read are named as nested above: that is why.
        let all_nested = unread.iter().all(|n| nested.contains(n));
        if !unread.is_empty() && !all_nested {
            d.find(
                Cause::ParamNotRead,
                Certain,
                format!("{method} does not define the parameter(s) {}", super::unread_names(e, &unread)),
                format!("params: {}", names(&written)),
                "Remove them, or check their spelling and letter case against the method's parameter table.",
            );
        }
    }

    // Past the acceptance check, the method reads the values (numbers, an order's terms).
    if let Some(e) = endpoint.filter(|_| !d.unread_as_params(&[Cause::ParamNotRead]) && nested.is_empty())
        && let Some(error) = super::check_values(&mut d, e, &frame.params)
    {
        match verdict.code {
            0 => (verdict, stage) = (Verdict::rejected(&error), Some(Stage::Unread)),
            _ => super::refused_before_values(&mut d, &error),
        }
    }

    // A frame given alone, without apiKey and signature: that is how a request on a connection
    // logged on with session.logon looks, which the frame cannot show.
    if session.is_none()
        && security.needs_api_key()
        && !accept::SIGNS_ITSELF.contains(&method)
        && get("apiKey").is_none()
        && get("signature").is_none()
    {
        for f in d
            .findings
            .iter_mut()
            .filter(|f| matches!(f.cause, Cause::ApiKeyParamMissing | Cause::SignatureMissing))
        {
            f.certainty = Likely;
            f.title.push_str(" (unless the connection is logged on with session.logon: then a request leaves apiKey and signature out, and this one is right)");
        }
    }
    let keys: Vec<&str> = frame.params.get("apiKey").into_iter().collect();
    super::conclude(verdict, stage, d.findings, ctx, &keys)
}

fn names(params: &[(String, String)]) -> String {
    params.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", ")
}

/// A market stream control message (`SUBSCRIBE` with stream names) sent to the WebSocket API:
/// named, with where it belongs. Whether it was one.
fn stream_control(d: &mut Doctor<'_>, method: &str) -> bool {
    if !crate::stream::CONTROL_METHODS.contains(&method) {
        return false;
    }
    d.find(
        Cause::WsMethodUnknown,
        Certain,
        format!("'{method}' is a market stream control message: the WebSocket API (/ws-api/v3) does not take it"),
        format!("\"method\": \"{method}\""),
        "Send it on a market stream connection (wss://stream.binance.com:9443/ws or /stream), where SUBSCRIBE takes \"params\": [\"btcusdt@trade\"]. The WebSocket API takes requests such as {\"id\":1,\"method\":\"ticker.price\",\"params\":{\"symbol\":\"BTCUSDT\"}}, and user data by userDataStream.subscribe.",
    );
    true
}

fn frame_not_json(d: &mut Doctor<'_>, frame: &str, why: &str) {
    let t = frame.trim();
    let object = serde_json::from_str::<serde_json::Value>(t).ok().and_then(|v| match v {
        serde_json::Value::Object(o) => Some(o),
        _ => None,
    });
    if let Some(method) = object.as_ref().and_then(|o| o.get("method")).and_then(|m| m.as_str())
        && stream_control(d, method)
    {
        return;
    }
    // A request without its `id` (mandatory, though it may be null).
    if let Some(o) = object.as_ref().filter(|o| o.contains_key("method") && !o.contains_key("id")) {
        let near = o.keys().find(|k| ["ID", "Id", "requestId", "request_id", "reqId"].contains(&k.as_str()));
        d.find(
            Cause::FrameNotJson,
            Certain,
            match near {
                Some(k) => format!("the frame has no \"id\": it names the request's id \"{k}\""),
                None => "the frame has no \"id\", which every request carries (a number, a string of up to 36 characters, or null)".to_owned(),
            },
            format!("{} ({why})", accept::clip(t, 80)),
            "Send {\"id\": 1, \"method\": ..., \"params\": {...}}: the answer echoes the id, which is how a client matches it to its request.",
        );
        return;
    }
    // A JSON object without a method: the key may be misspelled.
    if let Some(o) = object.as_ref().filter(|o| !o.contains_key("method")) {
        let keys: Vec<&str> = o.keys().map(String::as_str).collect();
        let near = keys.iter().find(|k| ["methods", "Method", "METHOD", "op", "action", "type"].contains(k));
        d.find(
            Cause::FrameNotJson,
            Certain,
            match near {
                Some(k) => format!("the frame has no \"method\": it names the method as \"{k}\""),
                None => "the frame has no \"method\"".to_owned(),
            },
            format!("{} ({why})", accept::clip(t, 80)),
            "Send {\"id\": ..., \"method\": \"order.place\", \"params\": {...}}: the request's method in \"method\".",
        );
        return;
    }
    let (title, fix) = if t == "[object Object]" {
        (
            "the frame is JavaScript's text for an object, [object Object]: the request object was turned into a string, not into JSON",
            "Send JSON.stringify(request), not the object itself, String(request) or request + \"\".",
        )
    } else if t.contains('\'') && !t.contains('"') || t.starts_with("{'") {
        (
            "the frame is not JSON: its strings are in single quotes (a Python dict or JavaScript object printed as text)",
            "Serialize the request with a JSON encoder (json.dumps in Python, JSON.stringify in JavaScript): double quotes, no trailing commas.",
        )
    } else if why.contains("encoded twice") {
        (
            "\"params\" is a string holding JSON: the parameters were JSON-encoded, then encoded again inside the frame",
            "Put the parameters object itself in \"params\" and encode the whole frame once (json.dumps(frame) with params a dict, JSON.stringify(frame) with params an object), not params first.",
        )
    } else if why.contains("is an array") {
        (
            "\"params\" is an array: the WebSocket API takes an object of parameter names and values",
            "Send \"params\": {\"symbol\": \"BTCUSDT\", ...}, an object, not a list.",
        )
    } else if why.contains("\"params\" is not a JSON object") {
        (
            "\"params\" is not a JSON object (a query string or another value)",
            "Send \"params\": {\"symbol\": \"BTCUSDT\", ...}, an object of names and values, not name=value text.",
        )
    } else if why.starts_with("\"id\" is a string of") {
        (
            "the frame's id is a string longer than 36 characters",
            "Keep a string id to 36 characters at most (a UUID fits; a name with a UUID after it does not), or use an integer; keep any other context on your side, keyed by that id.",
        )
    } else if why.starts_with("\"id\" is") {
        (
            "the frame's id is not an integer, a string or null",
            "Give each request an id the WebSocket API takes: an integer, a string (a UUID, a counter as text) or null; keep any other context on your side, keyed by that id.",
        )
    } else if t.contains(",}") || t.contains(", }") || t.contains(",]") {
        (
            "the frame is not JSON: it has a trailing comma",
            "Remove the comma before the closing brace, or serialize the request with a JSON encoder.",
        )
    } else {
        (
            "the frame is not a JSON object",
            "Send one JSON object per text frame: {\"id\": ..., \"method\": ..., \"params\": {...}}.",
        )
    };
    d.find(Cause::FrameNotJson, Certain, title, format!("{} ({why})", accept::clip(t, 80)), fix);
}

fn method_unknown(d: &mut Doctor<'_>, method: &str) {
    if stream_control(d, method) {
        return;
    }
    // A retired method (the listenKey ones): the endpoint table's retirement says when and what
    // instead.
    if let Some(r) = endpoint::ws_retirement(method) {
        d.find(
            Cause::WsMethodUnknown,
            Certain,
            format!(
                "'{method}' was retired by Binance spot on {}, with the listenKey user data streams",
                r.on
            ),
            format!("\"method\": \"{method}\""),
            r.fix(),
        );
        return;
    }
    let all = || {
        endpoint::SPOT
            .iter()
            .flat_map(|e| e.ws.iter().copied())
            .chain(endpoint::WS_SESSION.iter().map(|s| s.name))
    };
    // A REST path (`/api/v3/order`, `POST /api/v3/order`) given as the method: name its method.
    let path = method.rsplit(' ').next().unwrap_or(method);
    let by_path = endpoint::at_path(path).find(|e| !e.ws.is_empty()).map(|e| e.ws[0]);
    let nearest = by_path.or_else(|| {
        all()
            .map(|name| (endpoint::distance(&name.to_ascii_lowercase(), &method.to_ascii_lowercase()), name))
            .min()
            .filter(|(n, _)| *n <= 4)
            .map(|(_, name)| name)
    });
    let title = match (by_path, nearest) {
        (Some(name), _) => {
            format!("'{method}' is a REST path, not a WebSocket API method: the method for it is '{name}'")
        }
        (None, Some(name)) => format!("the WebSocket API has no method '{method}': did you mean '{name}'?"),
        (None, None) => format!("the WebSocket API has no method '{method}'"),
    };
    d.find(
        Cause::WsMethodUnknown,
        Certain,
        title,
        format!("\"method\": \"{}\"", accept::clip(method, 60)),
        "Use a method name of web-socket-api.md (order.place, account.status, ...), with the endpoint's parameters in params.",
    );
}

fn api_key_missing(d: &mut Doctor<'_>, method: &str, written: &[(String, String)]) {
    let misplaced = written.iter().find(|(k, _)| {
        let k = k.to_ascii_lowercase();
        accept::KEY_PARAM_NAMES.contains(&k.as_str()) || k == "x-mbx-apikey" || k == "key"
    });
    let title = match misplaced {
        Some((k, _)) => format!("the API key is sent as '{k}'; the WebSocket API reads it only as 'apiKey'"),
        None => {
            "params has no apiKey: the WebSocket API takes the API key in params, not in a header".to_owned()
        }
    };
    let fix = if accept::SIGNS_ITSELF.contains(&method) {
        format!(
            "{method} takes its own apiKey, timestamp and signature even on a connection logged on with session.logon: add \"apiKey\" to params and sign with it included{}.",
            if method == "userDataStream.subscribe.signature" {
                " (on a logged-on connection, userDataStream.subscribe takes no parameters at all)"
            } else {
                ""
            }
        )
    } else {
        "Add \"apiKey\": \"<your API key>\" to params, and sign with it included (or log in once with session.logon).".to_owned()
    };
    d.find(Cause::ApiKeyParamMissing, Certain, title, format!("params: {}", names(written)), fix);
}

/// The frame as sent without its `signature` member, as text (the comma before it taken out too):
/// what a client signed that serialized the whole request before adding the signature
/// (`sign(json.dumps(request))`), as printed and compact.
fn unsigned_frames(frame: &str) -> Vec<String> {
    let Some(at) = frame.find("\"signature\"") else { return Vec::new() };
    // The member's value: a JSON string after the colon.
    let rest = &frame[at + "\"signature\"".len()..];
    let Some(open) = rest.find('"') else { return Vec::new() };
    let Some(close) = rest[open + 1..].find('"') else { return Vec::new() };
    let end = at + "\"signature\"".len() + open + 1 + close + 1;
    let before = frame[..at].trim_end();
    let (start, end) = match before.strip_suffix(',') {
        Some(b) => (b.len(), end),
        // The first member: the comma after it (and the space after that) goes instead.
        None => {
            let after = frame[end..].trim_start();
            let after = after.strip_prefix(',').map_or(after, str::trim_start);
            (at, frame.len() - after.len())
        }
    };
    let text = format!("{}{}", &frame[..start], &frame[end..]);
    let mut out = vec![text.trim().to_owned()];
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
        let compact = v.to_string();
        if !out.contains(&compact) {
            out.push(compact);
        }
    }
    out
}

fn check_signature(
    d: &mut Doctor<'_>,
    written: &[(String, String)],
    verified: Option<bool>,
    unsigned_frames: &[String],
) {
    let signature = match written.iter().rev().find(|(k, _)| k == "signature") {
        None => {
            d.find(
                Cause::SignatureMissing,
                Certain,
                "params has no signature",
                format!("params: {}", names(written)),
                "Sign every parameter but signature, sorted by name, as name=value joined by '&', and add \"signature\" to params.",
            );
            return;
        }
        Some((_, s)) if s.is_empty() => {
            d.find(
                Cause::SignatureMissing,
                Certain,
                "the signature is empty",
                "\"signature\": \"\"",
                "Put the signature in params.signature; an empty value usually means the signing step produced nothing or its result was not assigned.",
            );
            return;
        }
        Some((_, s)) => s.clone(),
    };
    if super::is_secret_text(d.ctx, &signature) {
        super::check_signature_text(d, &signature);
        return;
    }
    // A digest with a tool's or a library's text around it: named, then the digest inside checked.
    let mut verified = verified;
    let signature = match super::unwrap_hex(&signature) {
        Some((title, fix, hex)) => {
            d.find(
                Cause::SignatureNotBare,
                Certain,
                title,
                format!("\"signature\": \"{}\"", accept::clip(&signature, 90)),
                fix,
            );
            // Nothing to check when no digest can be read back from it.
            let Some(hex) = hex else { return };
            verified = None;
            hex
        }
        None => signature,
    };
    let unsigned: Vec<(String, String)> = written.iter().filter(|(k, _)| k != "signature").cloned().collect();
    let payload = unsigned_payload(written.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if super::docs_example_copied(&signature, &payload) {
        super::find_docs_example(d, format!("\"signature\": \"{}\"", accept::clip(&signature, 24)));
        return;
    }
    if super::digest_appended(d, &signature, &payload) {
        return;
    }
    super::check_signature_text(d, &signature);
    if signature.contains('%') {
        // Certain when the signature, decoded, verifies.
        let decoded_verifies = crate::encode::percent_decode(&signature)
            .ok()
            .zip(d.ctx.any_verifier())
            .is_some_and(|(decoded, v)| v.verify(payload.as_bytes(), &decoded).is_ok());
        d.find(
            Cause::SignatureEncodedTwice,
            if decoded_verifies { Certain } else { Likely },
            "the signature is percent-encoded; in a WebSocket API frame it is sent as it is",
            format!("\"signature\": \"{}\"", accept::clip(&signature, 40)),
            "Put the signature in params as produced (hex, or base64), without percent-encoding.",
        );
        if decoded_verifies {
            return;
        }
    }
    // The acceptance check's answer when it got to the signature, else a check of our own.
    let ok = match verified {
        Some(ok) if d.ctx.key_kind().is_some() => ok,
        _ => match d.ctx.any_verifier() {
            Some(v) => v.verify(payload.as_bytes(), &signature).is_ok(),
            None => return,
        },
    };
    if ok {
        return;
    }
    let api_key = unsigned.iter().find(|(k, _)| k == "apiKey").map(|(_, v)| v.as_str());
    // A signature an earlier frame sent with other params: kept and sent again.
    if d.req.earlier_signatures.iter().any(|(s, signed)| *s == signature && *signed != payload) {
        super::signature_reused(d, &format!("\"signature\": \"{}\"", accept::clip(&signature, 24)));
        return;
    }
    let earlier: Vec<String> = d.req.earlier_signatures.iter().map(|(s, _)| s.clone()).collect();
    let candidates = search::ws_candidates(&unsigned, unsigned_frames, &d.req.printed, &earlier);
    // Last, every other order of the params (a map walked to sign, then serialized sorted or in
    // another order), with an HMAC secret as given only.
    let found = super::search_all_keys(d.ctx, &candidates, api_key, &signature).or_else(|| {
        let more = search::ws_permuted_candidates(&unsigned);
        match (d.ctx.key_kind(), &d.ctx.secret) {
            (Some(crate::KeyKind::Hmac), Some(secret)) => {
                search::search(&more, api_key, &signature, &search::Checker::Hmac(secret.expose()))
            }
            // A key pair verifies each order at a cost: a session.logon's few params only. (The
            // search takes its first candidate as the payload checked already.)
            (Some(_), _) if unsigned.len() <= 4 => {
                search::verify_each(&more, &d.ctx.any_verifier()?, &signature)
            }
            _ => None,
        }
    });
    match found {
        Some(hit) => super::report_hit(d, &hit, &payload),
        None if super::signature_form_named(d) => {}
        None => d.find(
            Cause::SignatureMismatch,
            Likely,
            "the signature does not match these params and key, and no known mistake reproduces it",
            format!("Binance verifies over: {}", accept::clip(&payload, 200)),
            "Check that the key is the one registered for this API key, and sign exactly the payload shown (every parameter but signature, apiKey included, sorted by name, values not percent-encoded).",
        ),
    }
}
