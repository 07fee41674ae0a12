//! [`RequestRecord`]: a request as Binance receives it, read from a curl command line, raw HTTP, or parts.

use std::fmt;

/// Why a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The curl command line could not be read.
    #[error("cannot read the curl command: {0}")]
    Curl(String),
    /// The raw HTTP request could not be read.
    #[error("cannot read the HTTP request: {0}")]
    Http(String),
    /// The HAR file could not be read.
    #[error("cannot read the HAR file: {0}")]
    Har(String),
    /// The URL could not be read.
    #[error("cannot read the URL '{0}': expected http(s)://host/path?query or /path?query")]
    Url(String),
    /// A log of a WebSocket connection shows no request frame that can be read.
    #[error("cannot read the WebSocket API frames: {0}")]
    WsLog(String),
}

/// A request exactly as it would reach Binance: method, path, raw query string, headers and raw body.
///
/// ```
/// use mbx_core::diagnose::RequestRecord;
/// let r = RequestRecord::from_curl(r#"curl -H "X-MBX-APIKEY: abc" -X POST 'https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1'"#).unwrap();
/// assert_eq!(r.method, "POST");
/// assert_eq!(r.path, "/api/v3/order");
/// assert_eq!(r.query, "symbol=BTCUSDT&timestamp=1");
/// assert_eq!(r.header("x-mbx-apikey"), Some("abc"));
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RequestRecord {
    /// HTTP method, upper case.
    pub method: String,
    /// Host, when the request names one.
    pub host: Option<String>,
    /// Path, e.g. `/api/v3/order`.
    pub path: String,
    /// Raw query string, without `?`.
    pub query: String,
    /// Headers in order, names as written.
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: String,
    /// What Binance answered, when the capture holds it (a HAR entry's response, the response a
    /// network capture shows after the request).
    pub answered: Option<Answered>,
    /// The payloads (query followed by body, signature left out) the same client signed before
    /// this request, oldest first: the earlier requests of a log, or the sandbox's last requests
    /// with the same key. The signature search tries them joined before this one's (an HMAC never
    /// reset).
    pub earlier: Vec<String>,
    /// The signatures those earlier requests sent, each with the payload it was sent with (a
    /// program that sends one again with other parameters, cached, is told so).
    pub earlier_signatures: Vec<(String, String)>,
    /// Forms the text prints besides the request's own query and body (a program's log of the
    /// string it signed: `payload signed: ...`, a transformer's `input:`): the signature search
    /// tries them as what was signed.
    pub printed: Vec<String>,
    /// The text it was read from shows the URL but no headers (an access log, urllib3's debug
    /// line, a tool's error that quotes the URL): whether an `X-MBX-APIKEY` was sent is not known,
    /// and the diagnosis takes the key as sent and well formed (the user's own, when known).
    pub key_unshown: bool,
    /// The text announces a body it does not show (a client's print of the request's options with
    /// a `content-length` above 0 and no body): what the body held is not known.
    pub body_unshown: bool,
    /// Slips the program's source shows, when the text it was read from holds code (a forum post
    /// of the code and its output): the diagnosis names them when the request itself does not
    /// show what was signed.
    pub source: Vec<super::SourceSlip>,
    /// The text's code signs its requests (an HMAC, `signature` and `timestamp` named) though the
    /// request shown carries neither: the code builds them, and their absence is not a finding.
    pub code_signs: bool,
    /// Binance's answer as the text's prose quotes it (`I get "Signature for this request is not
    /// valid"`), for a text of code that does not show the request: [`answer_in_prose`].
    pub prose_answer: Option<Answered>,
}

/// Whether a query string or form names the API key as a parameter (`apiKey=...`), a mistake the
/// diagnosis names: a log that shows no header then still shows where the key went.
pub(super) fn key_in_params(text: &str) -> bool {
    text.split('&').any(|p| {
        let name = p.split('=').next().unwrap_or_default().to_ascii_lowercase();
        crate::accept::KEY_PARAM_NAMES.contains(&name.as_str()) || name == "x-mbx-apikey"
    })
}

/// An answer recorded with a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answered {
    /// The HTTP status.
    pub status: u16,
    /// Binance's `code`, when the body is `{"code","msg"}`.
    pub code: Option<i64>,
    /// Its `msg`, when the body has one.
    pub msg: Option<String>,
}

impl Answered {
    /// Binance's error with code `code` (the answer's, as a number) and the answer's message when
    /// it shows one, else the code's own.
    pub(super) fn error(&self, code: i32) -> crate::ApiError {
        match &self.msg {
            Some(msg) => crate::ApiError::with_msg(crate::ErrorCode(code), msg.clone()),
            None => crate::ApiError::new(crate::ErrorCode(code)),
        }
    }

    /// Whether the answer shows Binance took the request's timestamp: a success, or an error past
    /// the time check (anything but `-1021`).
    pub fn took_timestamp(&self) -> bool {
        self.code.map_or((200..300).contains(&self.status), |c| {
            c != i64::from(crate::ErrorCode::INVALID_TIMESTAMP.get())
        })
    }

    /// Whether this is `-1021` for a timestamp ahead of the server's time (its other message says
    /// the timestamp is outside of the recvWindow: behind).
    ///
    /// ```
    /// use mbx_core::diagnose::Answered;
    /// let body = r#"{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."}"#;
    /// assert!(Answered::read(400, body).timestamp_ahead());
    /// let behind = r#"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#;
    /// assert!(!Answered::read(400, behind).timestamp_ahead());
    /// ```
    pub fn timestamp_ahead(&self) -> bool {
        self.code == Some(i64::from(crate::ErrorCode::INVALID_TIMESTAMP.get()))
            && self.msg.as_deref().is_some_and(|m| m.contains("ahead"))
    }

    /// Whether this is Binance's HTTP 451 for a restricted location (its body's code is 0).
    pub(crate) fn restricted(&self) -> bool {
        self.status == 451 || self.msg.as_deref().is_some_and(|m| m.contains("restricted location"))
    }

    /// `HTTP 400 ` for the finding's evidence, or nothing when the capture shows no status (a
    /// program's print of the answer alone).
    pub(crate) fn status_prefix(&self) -> String {
        if self.status == 0 { String::new() } else { format!("HTTP {} ", self.status) }
    }

    /// An answer from its status and body text (its `code`, when the body is Binance's error JSON).
    ///
    /// ```
    /// use mbx_core::diagnose::Answered;
    /// let a = Answered::read(401, r#"{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}"#);
    /// assert_eq!((a.status, a.code), (401, Some(-2015)));
    /// ```
    pub fn read(status: u16, body: &str) -> Answered {
        let json = serde_json::from_str::<serde_json::Value>(body.trim()).ok();
        let code = json.as_ref().and_then(|v| v["code"].as_i64());
        let msg = json.as_ref().and_then(|v| v["msg"].as_str()).map(str::to_owned);
        match code {
            // A program's print of it rather than the body itself (Python's dict, a logger's line).
            None => match body.lines().find_map(answer_line) {
                Some(printed) => Answered { status, ..printed },
                None => Answered { status, code, msg },
            },
            Some(_) => Answered { status, code, msg },
        }
    }
}

impl fmt::Debug for RequestRecord {
    // The API key header is shortened: diagnosis output must not leak whole keys into logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("x-mbx-apikey") || k.eq_ignore_ascii_case("authorization") {
                    format!("{k}: {}", shorten(v))
                } else {
                    format!("{k}: {v}")
                }
            })
            .collect();
        f.debug_struct("RequestRecord")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// `abcd…(64 chars)`: enough to recognise a key, not enough to use it. A value of the form
/// `X-MBX-APIKEY: <key>` keeps its prefix and shortens the key.
pub(crate) fn shorten(v: &str) -> String {
    if let Some((prefix, key)) = v.split_once(": ").or_else(|| v.split_once(' '))
        && !key.is_empty()
        && !key.contains(' ')
    {
        return format!("{prefix}{} {}", if v.contains(": ") { ":" } else { "" }, shorten(key));
    }
    let n = v.chars().count();
    if n <= 8 {
        return v.to_owned();
    }
    let head: String = v.chars().take(4).collect();
    // ASCII: this text goes into headers (the sandbox's hint) as well as terminals.
    format!("{head}...({n} chars)")
}

impl RequestRecord {
    /// From parts: a method, a URL (absolute or `/path?query`), headers and a body. The host is
    /// the URL's, else the `Host` header's.
    pub fn new(
        method: &str,
        url: &str,
        headers: Vec<(String, String)>,
        body: &str,
    ) -> Result<Self, ParseError> {
        let (host, path, query) = split_url(url)?;
        let host = host.or_else(|| {
            headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.trim().to_owned())
        });
        Ok(Self {
            method: method.trim().to_ascii_uppercase(),
            host,
            path,
            query,
            headers,
            body: body.to_owned(),
            answered: None,
            earlier: Vec::new(),
            earlier_signatures: Vec::new(),
            printed: Vec::new(),
            key_unshown: false,
            body_unshown: false,
            source: Vec::new(),
            code_signs: false,
            prose_answer: None,
        })
    }

    /// Whether the text it was read from shows the request's URL but none of its parameters while
    /// Binance's answer shows they were sent: a log line such as `POST https://.../api/v3/order`
    /// beside `{"code":-1021,...}` (a program that logs the URL and the error, not the body). Any
    /// error code but `-1102` was given past the parameters' check (or, `-2014`/`-2015`, about the
    /// key, whatever the parameters were), and is what there is to explain. A `-1102` is too when
    /// a body may have held the parameters (a POST, or a body announced and not shown: a JSON or
    /// multipart body Binance did not read). A GET logged with its headers and no query was really
    /// sent without them; one logged by its URL alone (undici's debug lines, .NET's request line)
    /// may have carried a body, which Binance does not read on a GET.
    ///
    /// ```
    /// use mbx_core::diagnose::{Answered, RequestRecord};
    /// let missing = r#"{"code":-1102,"msg":"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed."}"#;
    /// let mut r = RequestRecord::new("POST", "https://api.binance.com/api/v3/order", vec![], "").unwrap();
    /// r.key_unshown = true;
    /// r.answered = Some(Answered::read(400, r#"{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."}"#));
    /// assert!(r.params_unshown());
    /// r.answered = Some(Answered::read(400, missing));
    /// assert!(r.params_unshown());
    /// let mut get = RequestRecord::new("GET", "https://api.binance.com/api/v3/account", vec![], "").unwrap();
    /// get.key_unshown = true;
    /// get.answered = Some(Answered::read(400, missing));
    /// assert!(get.params_unshown());
    /// get.headers.push(("Content-Length".into(), "0".into()));
    /// assert!(!get.params_unshown());
    /// ```
    pub fn params_unshown(&self) -> bool {
        // A -1102 names what the request lacked, unless its body (which such a text seldom shows)
        // may have held it.
        let body_possible = self.body_unshown
            || !matches!(self.method.as_str(), "GET" | "DELETE")
            || self.headers.iter().all(|(k, _)| !k.eq_ignore_ascii_case("content-length"));
        (self.key_unshown || self.body_unshown)
            && self.query.is_empty()
            && self.body.trim().is_empty()
            && self.answered.as_ref().is_some_and(|a| {
                a.restricted() || a.code.is_some_and(|c| c < 0 && (c != -1102 || body_possible))
            })
    }

    /// Whether it shows what was signed: a `signature` or a `timestamp` among its parameters.
    pub fn shows_signed(&self) -> bool {
        let names =
            |t: &str| t.split('&').any(|p| matches!(p.split('=').next(), Some("signature" | "timestamp")));
        names(&self.query)
            || names(&self.body)
            || self.body.contains("\"timestamp\"")
            || self.body.contains("\"signature\"")
    }

    /// Marks the key as not shown ([`RequestRecord::key_unshown`]) when the text prints no header
    /// but those a client adds itself (`Host`, `Content-Type`, `Content-Length`), the endpoint takes
    /// a key and the parameters do not carry one.
    pub(super) fn mark_key_unshown(&mut self) {
        let shown = self.headers.iter().any(|(k, _)| {
            !["host", "content-type", "content-length"].iter().any(|h| k.eq_ignore_ascii_case(h))
        });
        self.key_unshown =
            !shown && self.takes_key() && !key_in_params(&self.query) && !key_in_params(&self.body);
    }

    /// Whether its endpoint (by method and path) takes an API key; at a path the spot table does
    /// not hold (futures, SAPI), whether the request is signed (a signed request carries a key).
    pub(super) fn takes_key(&self) -> bool {
        match crate::endpoint::Method::parse(&self.method).and_then(|m| crate::endpoint::find(m, &self.path))
        {
            Some(e) => e.security.needs_api_key(),
            None => self.shows_signed(),
        }
    }

    /// The signature the request sends (the query string's, else the body's), as written.
    pub(crate) fn signature_sent(&self) -> Option<String> {
        [&self.query, &self.body].iter().find_map(|part| {
            part.split('&')
                .find_map(|p| p.strip_prefix("signature="))
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        })
    }

    /// The payload Binance verifies: the query string followed by the body, each without its
    /// signature pair.
    pub fn signed_payload(&self) -> String {
        let (query, _) = crate::payload::split_signature(&self.query);
        let (body, _) = crate::payload::split_signature(&self.body);
        format!("{query}{body}")
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every header named `name` (case-insensitive).
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Reads a raw HTTP/1.x request: request line, headers, blank line, body (cut at Content-Length);
    /// also as an HTTP client's log shows it ([`RequestRecord::is_client_log`]: `curl -v`, Python's
    /// `http.client`, OkHttp, .NET's `HttpClient`).
    ///
    /// ```
    /// let raw = "GET /api/v3/account?timestamp=1&signature=ab HTTP/1.1\r\nHost: api.binance.com\r\nX-MBX-APIKEY: k\r\n\r\n";
    /// let r = mbx_core::diagnose::RequestRecord::from_http(raw).unwrap();
    /// assert_eq!((r.method.as_str(), r.path.as_str(), r.host.as_deref()), ("GET", "/api/v3/account", Some("api.binance.com")));
    /// ```
    pub fn from_http(raw: &str) -> Result<Self, ParseError> {
        // undici's debug log joins the origin and the path with a '/' of its own (`sending
        // request to GET https://api.binance.com//api/v3/depth`): one the wire does not carry.
        if let Some(joined) = undici_joined(raw) {
            return Self::from_http(&joined);
        }
        // An `.http` file's own variables (`@ts = 1797700000000`, then `{{ts}}`): filled in, as the
        // REST Client and JetBrains' client send them.
        if let Some(filled) = file_variables_filled(raw) {
            return Self::from_http(&filled);
        }
        // A request pasted indented as a whole (a Markdown code block, a quoted reply).
        if let Some(dedented) = dedented(raw) {
            return Self::from_http(&dedented);
        }
        let record = match super::logged::as_raw_http(raw) {
            Some(converted) => {
                let mut record = Self::from_raw_http(&converted?)?;
                // A log that prints no headers (.NET's HttpClient at Information level: the
                // request line only): whether a key was sent is not shown, and is taken as sent.
                record.mark_key_unshown();
                // The answer the log shows after the request (the program's print of its body:
                // `{'code': -1022, ...}` after http.client's `reply:` and `header:` lines).
                if record.answered.is_none() {
                    record.answered = raw.lines().find_map(answer_line);
                }
                // A log that prints the headers only: the body it announces is not in it, unless
                // the program printed it apart (`POSTFIELDS: ...` before libcurl's verbose lines).
                match record.header("content-length").and_then(|n| n.trim().parse::<usize>().ok()) {
                    Some(n)
                        if n > 0
                            && record.body.is_empty()
                            && let Some(form) = super::loose::printed_form(raw, n) =>
                    {
                        record.body = form.to_owned();
                        record
                    }
                    // A JSON body the program printed beside a log that shows no body (.NET's
                    // HttpClient logging, then `body: {...}`).
                    _ if record.body.is_empty()
                        && record.header("content-type").is_some_and(|t| t.contains("json"))
                        && let Some(json) = super::loose::json_body(raw)
                            .or_else(|| super::loose::unlabelled_json_body(raw)) =>
                    {
                        record.body = json.to_owned();
                        record
                    }
                    // A GET announcing a body (curl -X GET -d): Binance reads none of it, whatever
                    // it held; the request is judged as Binance reads it.
                    Some(n) if n > 0 && record.body.is_empty() && record.method == "GET" => {
                        record.body = unshown_body(n);
                        record
                    }
                    // A body not shown (its stand-in, or nothing), with Binance's error answer and
                    // no query: judged by the head and the answer, the body unknown. (Not a -1022,
                    // which is about the body itself: the doctor asks for it.)
                    Some(n)
                        if n > 0
                            && record.method != "GET"
                            && record.query.is_empty()
                            && (record.body.is_empty() || is_unshown_body(&record.body))
                            && record
                                .answered
                                .as_ref()
                                .is_some_and(|a| a.code.is_some_and(|c| c < 0 && c != -1022)) =>
                    {
                        record.body.clear();
                        record.body_unshown = true;
                        record
                    }
                    Some(n) if n > 0 && record.body.is_empty() => {
                        return Err(ParseError::Http(format!(
                            "this log shows the request's headers but not its body (Content-Length: {n}): log the body too (OkHttp: Level.BODY; .NET's HttpClient logging never prints it), or give the request with --url, -H and --body"
                        )));
                    }
                    _ => record,
                }
            }
            // No request line: a program's own print of the request, read by its pieces.
            None => match Self::from_raw_http(raw) {
                Ok(record) => record,
                Err(e) => match curl_in_text(raw)
                    .or_else(|| super::options::read(raw))
                    .or_else(|| super::loose::read(raw))
                    .or_else(|| super::loose::form_alone(raw))
                {
                    Some(read) => read?,
                    None => return Err(e),
                },
            },
        };
        let mut record = record;
        record.printed = super::loose::printed_forms(raw, &record);
        // A query or form written as the program's template (`?{query}`, `?$query`, `%s`): not
        // what was sent, which the text does not show.
        let templated = super::loose::placeholder;
        let form_body = !record.body.trim_start().starts_with(['{', '[']);
        let filled = super::loose::signed_forms(raw).last().map(|f| (*f).to_owned());
        if (super::source::builds_signed(raw) || filled.is_some())
            && (templated(&record.query) || (form_body && templated(&record.body)))
        {
            record.query.clear();
            if !record.body.trim_start().starts_with(['{', '[']) {
                record.body.clear();
            }
            // The program's log of what it filled the template with (`console.log(qs +
            // "&signature=" + sig)`): that is what was sent.
            if let Some(form) = filled {
                if matches!(record.method.as_str(), "GET" | "DELETE") {
                    record.query = form;
                } else if record.body.is_empty() {
                    record.body = form;
                }
            }
        }
        // The text signed printed as the body, and its HMAC printed alone on a line of its own
        // (`putStrLn enc`, `putStrLn sig`), by a program whose code appends the signature: sent so.
        let has = |t: &str, name: &str| t.split('&').any(|p| p.split('=').next() == Some(name));
        if !has(&record.query, "signature")
            && !has(&record.body, "signature")
            && has(&record.body, "timestamp")
            && super::source::builds_signed(raw)
            && let Some(sig) =
                raw.lines().map(str::trim).find(|l| l.len() == 64 && l.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            record.body = format!("{}&signature={sig}", record.body);
        }
        // The HTTP library refused to send the key's header and printed its value (requests'
        // InvalidHeader: `... in header value: 'vmPU...\n'`): that value is the key the program
        // holds, whitespace and all.
        if let Some(value) = refused_header_value(raw)
            && value.trim().len() == crate::accept::API_KEY_LEN
        {
            record.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-mbx-apikey"));
            record.headers.push(("X-MBX-APIKEY".to_owned(), value));
            record.key_unshown = false;
        }
        // A request shown without its headers: the code may show how the key is sent.
        // A request shown beside the code that sent it: the code's slips explain a signature no
        // hypothesis reproduces (an HMAC keyed with the API key, which the text may not show).
        if record.shows_signed() && (record.key_unshown || super::source::builds_signed(raw)) {
            record.source = super::source::read(raw);
        }
        if !record.shows_signed() {
            record.source = super::source::read(raw);
            record.code_signs = super::source::builds_signed(raw);
            if record.answered.is_none() {
                record.prose_answer = answer_in_prose(raw);
            }
            // The output's success, which rules out what the code might have done otherwise.
            if record.answered.is_none() && record.prose_answer.is_none() && success_shown(raw) {
                record.answered = Some(Answered { status: 200, code: None, msg: None });
            }
        }
        // The key as a tool's template variable (`X-MBX-APIKEY: {{apiKey}}`): its value where the
        // text shows it (an env file's `"apiKey": "..."`, the REST Client's `@apiKey = ...`); else,
        // when the template is shown beside the request it sent (an `.http` file, then the run's
        // output with the values filled in), not what was sent; else sent as it is (no environment
        // selected), which the diagnosis names.
        if let Some(name) = record
            .header("x-mbx-apikey")
            .and_then(|k| k.trim().strip_prefix("{{")?.strip_suffix("}}").map(|n| n.trim().to_owned()))
        {
            let sent_filled = !record.query.contains("{{") && !record.body.contains("{{");
            match template_value(raw, &name) {
                Some(value) => {
                    for (k, v) in &mut record.headers {
                        if k.eq_ignore_ascii_case("x-mbx-apikey") {
                            *v = value.clone();
                        }
                    }
                }
                None if sent_filled && raw.lines().any(|l| l.contains("://") && l.contains("{{")) => {
                    record.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-mbx-apikey"));
                    record.key_unshown = record.takes_key();
                }
                None => {}
            }
        }
        // A key a tool or the poster masked in its print (n8n's `**hidden**`, `[REDACTED]`,
        // `vmPU****...duEh8A`, `vmPU...8A`): not shown, taken as sent.
        if record.header("x-mbx-apikey").is_some_and(|k| {
            let lower = k.to_ascii_lowercase();
            // (All '*' is a logger's redaction, said apart below.)
            let shown_masked = masked(k) && !k.bytes().all(|b| b == b'*');
            // A poster's stand-in (`XXX`, `ZZZ`, `somekey`, `<your-api-key>`) where Binance's
            // answer shows the key was read (anything but -2014): the real key was sent.
            let read = record.answered.as_ref().and_then(|a| a.code).is_some_and(|c| c < 0 && c != -2014);
            let repeated = k.len() >= 3 && k.bytes().all(|b| b == k.as_bytes()[0]);
            let word =
                k.len() < 24 && ["key", "your", "api", "xxx", "<", "{"].iter().any(|w| lower.contains(w));
            shown_masked || read && (repeated || word)
        }) {
            record.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-mbx-apikey"));
            record.key_unshown = record.takes_key();
        }
        // A key a logger redacted (.NET 8 writes every header value as '*').
        if record.header("x-mbx-apikey").is_some_and(|k| !k.is_empty() && k.bytes().all(|b| b == b'*')) {
            return Err(ParseError::Http(
                "the X-MBX-APIKEY value is redacted ('*'): the logger hides header values (.NET 8's HttpClient logging does by default; RedactLoggedHeaders sets which). Give the request with its key, which the doctor never prints whole".into(),
            ));
        }
        Ok(record)
    }

    /// Raw HTTP only (not a client's log of it). Lines before the request line (a log's preamble,
    /// a packet dump's header bytes) are skipped; of several requests (a capture of a connection:
    /// `/api/v3/time`, then the order), the signed one is read.
    fn from_raw_http(raw: &str) -> Result<Self, ParseError> {
        let starts = request_starts(raw);
        let raw = match starts.as_slice() {
            [] => raw,
            // A printed request line without a query after a signed request the text shows
            // otherwise (a logger's `GET https://.../openOrders` echo of the request printed above
            // it, on its answer): not the request; the text is read by its pieces.
            [only]
                if *only > 0
                    && raw[..*only].contains("signature=")
                    && raw[*only..]
                        .lines()
                        .next()
                        .is_some_and(|l| l.split_whitespace().nth(2).is_none() && !l.contains('?')) =>
            {
                return Err(ParseError::Http(
                    "the printed request line echoes a request shown before it".into(),
                ));
            }
            [only] => &raw[*only..],
            _ => {
                let chunks: Vec<String> = starts
                    .iter()
                    .enumerate()
                    .map(|(n, &at)| raw[at..starts.get(n + 1).copied().unwrap_or(raw.len())].to_owned())
                    .collect();
                let Some(at) = super::logged::pick_index(&chunks) else { return Self::from_raw_http("") };
                let mut record = Self::from_raw_http(&chunks[at])?;
                // What the same client signed before: an HMAC reused without a reset covers it.
                let before: Vec<Self> = chunks[..at]
                    .iter()
                    .filter(|c| c.contains("signature="))
                    .filter_map(|c| Self::from_raw_http(c).ok())
                    .collect();
                record.earlier = before.iter().map(Self::signed_payload).collect();
                record.earlier_signatures =
                    before.iter().filter_map(|r| Some((r.signature_sent()?, r.signed_payload()))).collect();
                return Ok(record);
            }
        };
        let raw = raw.trim_start_matches(['\r', '\n', ' ']);
        // Julia's HTTP.jl prints a request inside triple quotes: the closing ones are not the body's.
        let raw = raw.trim_end().strip_suffix("\"\"\"").unwrap_or(raw);
        // The head ends at the first blank line, however its lines end (a head written with `\n`
        // before a multipart body written with `\r\n`).
        let (head, body) = match ["\r\n\r\n", "\n\n", "\n\r\n"]
            .iter()
            .filter_map(|m| raw.find(m).map(|i| (i, m.len())))
            .min()
        {
            Some((i, n)) => (&raw[..i], &raw[i + n..]),
            None => (raw, ""),
        };
        let mut lines = head.lines();
        let request_line = lines.next().ok_or_else(|| ParseError::Http("empty input".into()))?;
        let mut parts = request_line.split_whitespace();
        let (Some(method), Some(target), true) = (parts.next(), parts.next(), is_request_line(request_line))
        else {
            return Err(ParseError::Http(format!(
                "no request line ('METHOD /path?query HTTP/1.1') found; '{}' is not one. Give raw HTTP, a client's log of it (curl -v or --trace-ascii, Python's http.client, Ruby's set_debug_output, OkHttp, .NET's or Java's HttpClient log, wget --debug, an AxiosError, mitmdump, Go's %+v of an http.Request), a HAR file (--har), or the curl command (--curl){}",
                crate::accept::clip(request_line, 60),
                printed_url(raw).map_or(String::new(), |url| format!(
                    ". The text holds a URL ({url}...): give that whole URL with --url, the method with --method, the key with -H 'X-MBX-APIKEY: ...' and a body with --body"
                ))
            )));
        };
        // A program's print of its request (a request line without a version) may go on with the
        // body under a label (`body: symbol=...`) and its answer, with no blank line between.
        // A request line without a version: a program's print of the request, not the wire's.
        let printed = request_line.split_whitespace().nth(2).is_none();
        let printed_body;
        let (lines, body) = match printed.then(|| labelled_body(head)).flatten() {
            Some((end, text)) => {
                // After it, the program's print of the answer, if any: that line alone.
                let rest = format!("{}\n{body}", &head[end..]);
                printed_body = match rest.lines().find(|l| answer_line(l).is_some()) {
                    Some(answer) => format!("{text}\n{answer}"),
                    None => text,
                };
                let mut head_lines = head[..end].lines();
                head_lines.next();
                (head_lines, printed_body.as_str())
            }
            None => (lines, body),
        };
        let mut headers = Vec::new();
        // Binance's answer the text prints under the head (`Response: {"code":-2010,...}`): no
        // header, and the head ends there.
        let mut head_answer = None;
        let mut lines = lines;
        while let Some(line) = lines.next() {
            // `lines` took the line's own CR; one more is part of the value (a key read from a file
            // saved with CRLF line ends, sent as it is: curl writes `key\r\r\n`).
            if line.trim_end_matches('\r').is_empty() {
                continue;
            }
            let (k, v) = line
                .split_once(':')
                .ok_or_else(|| ParseError::Http(format!("header line '{line}' has no ':'")))?;
            if v.trim_start().starts_with('{')
                && let Some(answer) = answer_line(v).filter(|a| a.code.is_some_and(|c| c < 0))
            {
                head_answer = Some(answer);
                break;
            }
            // A program's print of its request line followed by its headers as a map (Python's
            // dict, a Go `map[...]`, Rust's HeaderMap, a `headers: {...}` line) is read by the
            // reader of printed requests instead.
            let name = k.trim();
            // After a printed request line, a logger's next line (`ERROR: Binance returned 400:
            // {...}`, .NET's `fail: Worker[0]`, Node's `Warning: ...`): the head ends there, and
            // Binance's answer may be on it or after it.
            if printed && LOG_LEVELS.contains(&name.to_ascii_lowercase().as_str()) {
                head_answer = std::iter::once(line).chain(lines.by_ref()).find_map(answer_line);
                break;
            }
            let map_print = ["{", "[", "%{", "map["].iter().any(|p| name.starts_with(p)) && !is_token(name);
            // Nor, after a printed request line, a line whose name is no header's (a logger's
            // `(log) forwarding to https://...`).
            if printed && (map_print || name.eq_ignore_ascii_case("headers") || !is_token(name)) {
                return Err(ParseError::Http(format!(
                    "'{}' is not a header line",
                    crate::accept::clip(line, 40)
                )));
            }
            // White space between a name and its colon is kept: HTTP servers do not take such a
            // line as the header it looks like (RFC 9112, 5.1), and the diagnosis says so.
            headers.push((k.trim_start().to_owned(), v.trim_matches([' ', '\t']).to_owned()));
        }
        // Without a length, what follows the head may be the response (a network capture's
        // "Follow HTTP stream" shows both): it is not the request's body, and it is kept as the
        // answer.
        let mut answered = None;
        let has_length = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
        // The response's status line: at the start of what follows the head, or at the start of a
        // line of a body given without a length (Perl's `->dump` of a request, then its response).
        let trimmed = body.trim_start_matches(['\r', '\n']);
        let response_at = if trimmed.starts_with("HTTP/1.") || trimmed.starts_with("HTTP/2") {
            Some(body.len() - trimmed.len())
        } else {
            ["\nHTTP/1.", "\nHTTP/2"].iter().filter_map(|m| body.find(m).map(|i| i + 1)).min()
        };
        // With a length, the response may still follow the body the length covers (Charles's or
        // Fiddler's raw export of a request and its response).
        let length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok());
        let past_length = |at: usize| length.is_some_and(|n| body[..at].trim_end().len() <= n);
        let chunked_announced = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"));
        let body = match response_at {
            Some(at) if !has_length || past_length(at) => {
                let rest = &body[at..];
                let status = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
                let answer_body = rest.split_once("\r\n\r\n").or_else(|| rest.split_once("\n\n"));
                answered = Some(Answered::read(status, answer_body.map_or("", |(_, b)| b)));
                // Between them, a number alone is no body: tshark's "Follow Stream" prints each
                // side's byte count before its data (`357`, then the answer's `\t429`); nor, after
                // a GET's head, lines that hold no form (k6's `  group= iter=0 ...` and
                // `INFO[..] Response:`).
                let between = &body[..at];
                let no_form = (method.eq_ignore_ascii_case("GET") && !has_length && !form_first(between))
                    || labels_only(between);
                if between.trim().bytes().all(|b| b.is_ascii_digit()) || no_form { "" } else { between }
            }
            // A program's print of its request, then of the answer's status and body with nothing
            // sent between (`GET https://...`, its headers, a blank line, `200 []`).
            None if !has_length && printed_status(body).is_some() => {
                let (status, rest) = printed_status(body).unwrap_or_default();
                // Its body on the same line (`400 {"code":...}`), else on the lines after the
                // status's (`418 I'm a teapot`, then `{"code":-1003,...}`).
                answered = Some(match answer_after(body).filter(|_| !rest.starts_with(['{', '['])) {
                    Some(answer) => answer,
                    None => Answered::read(status, rest),
                });
                ""
            }
            // Without a length, a GET's head is all there is (RFC 9112: no body): text after it
            // that holds no parameters is the program's own print (`works fine`), not a body.
            None if !has_length
                && !chunked_announced
                && method.eq_ignore_ascii_case("GET")
                && !body.trim_start().starts_with(['{', '['])
                && !form_first(body) =>
            {
                ""
            }
            // A program's own print of the answer after the body it sent (`400 {"code":...}`).
            // Nor, for any method, is text whose first line holds no parameter and is no
            // JSON or multipart a body (a logger's next line after Go's DumpRequestOut,
            // `2025/08/01 10:00:00 status 200`; a post's question; a label before the answer,
            // `Respuesta de Binance:`): the program's print or the post's prose.
            None if !has_length => {
                // (A multipart body's fields as a tool prints them, `symbol: "BTCUSDT"`, are the body.)
                let multipart = headers.iter().any(|(k, v)| {
                    k.eq_ignore_ascii_case("content-type") && v.to_ascii_lowercase().contains("multipart")
                });
                let prose = |text: &str| {
                    !multipart
                        && text.lines().map(str::trim).find(|l| !l.is_empty()).is_some_and(|l| {
                            !l.contains('=') && !l.starts_with(['{', '[', '<', '-', '"', '\''])
                        })
                };
                match printed_answer(body) {
                    Some((at, answer)) => {
                        answered = Some(answer);
                        if prose(&body[..at]) { "" } else { &body[..at] }
                    }
                    None if !chunked_announced && prose(body) => "",
                    None => body,
                }
            }
            _ => body,
        };
        let continued: String;
        // Without a length, the body a text shows ends where the text stops showing it: at a
        // Markdown fence (the post's code block closing), and a form body with its line (what
        // follows is the post's prose, a stack trace, the program's next print).
        let body = if has_length || chunked_announced {
            body
        } else {
            let fenced = body
                .match_indices('\n')
                .find(|(i, _)| {
                    let line = body[i + 1..].trim_start_matches([' ', '\t']);
                    line.starts_with("```") || line.starts_with("~~~")
                })
                .map_or(body, |(i, _)| &body[..i]);
            let first = fenced.trim_start_matches(['\r', '\n']);
            let form_line = first.lines().next().is_some_and(|l| {
                l.contains('=') && !l.trim_start().starts_with(['{', '[']) && !l.contains(": ")
            });
            match first.find('\n').filter(|_| form_line) {
                // A form written over several lines, each going on with `&` (the REST Client's
                // layout, which joins them): one body.
                Some(end) if first[end + 1..].trim_start().starts_with('&') => {
                    continued = std::iter::once(&first[..end])
                        .chain(first[end + 1..].lines().map(str::trim).take_while(|l| l.starts_with('&')))
                        .collect::<String>();
                    continued.as_str()
                }
                Some(end) => &first[..end],
                None => fenced,
            }
        };
        let chunked = headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
        });
        let mut body = match chunked.then(|| dechunk(body)).flatten() {
            Some(joined) => joined,
            None => body.to_owned(),
        };
        // A program's print of the answer after the body its length covers (`400 Bad Request`,
        // then `{"code":-2010,...}`).
        if answered.is_none()
            && let Some(tail) = length.and_then(|n| body.get(n..))
        {
            answered = answer_after(tail);
        }
        match length {
            // A length shorter than the body's one line: the diagnosis says what is cut off.
            Some(n) if body.get(n..).is_some_and(|tail| cut_in_line(&body[..n], tail)) => {
                body = body.trim_end_matches(['\r', '\n']).to_owned();
            }
            Some(n) if n <= body.len() && body.is_char_boundary(n) => body.truncate(n),
            // Copied from a log or a terminal: the final line ending is not part of the body.
            _ => body = body.trim_end_matches(['\r', '\n']).to_owned(),
        }
        // A program's print ends its sentence after the URL (`POST https://.../order.`): the
        // punctuation is not the path's (a request line with a version never has it).
        let target = if printed { target.trim_end_matches(['.', ',', ';', ':']) } else { target };
        let mut record = Self::new(method, target, headers, &body)?;
        record.answered = answered.or(head_answer);
        // A program's print of its request line and body, without its headers.
        if printed {
            record.mark_key_unshown();
        }
        Ok(record)
    }

    /// Reads a curl command line as a shell would split it: quotes, backslash line continuations,
    /// `-X`, `-H`, `-d`/`--data*` (joined with `&`), `--data-urlencode`, `-F`/`--form` (a
    /// multipart/form-data body, as curl sends it), `-G`, `--url` and the URL.
    /// Shell variables stay as written (`$apiKey`). Also read: curl for Windows' `cmd` (`^"`
    /// quoting, `^` line ends), and the same request as a browser copies it for PowerShell
    /// (`Invoke-WebRequest`) or as `fetch("url", {...})`.
    pub fn from_curl(command: &str) -> Result<Self, ParseError> {
        use super::copied;
        let first = command.trim_start().trim_start_matches("$ ").split_whitespace().next().unwrap_or("");
        // curlie takes curl's options (its HTTPie-like items are read as curl would not).
        let curl_first = first == "curl"
            || first == "curlie"
            || first.ends_with("/curl")
            || first.eq_ignore_ascii_case("curl.exe");
        if !curl_first && let Some(converted) = super::logged::as_raw_http(command) {
            return Self::from_raw_http(&converted?);
        }
        if !curl_first && copied::is_httpie(command) {
            return copied::from_httpie(command);
        }
        if !curl_first && copied::is_fetch(command) {
            return copied::from_fetch(command);
        }
        if !curl_first && copied::is_powershell(command) {
            return copied::from_powershell(command);
        }
        let unescaped;
        let command = if copied::is_cmd(command) {
            unescaped = copied::cmd_unescape(command);
            unescaped.as_str()
        } else {
            command
        };
        let mut words = shell_words(command)?;
        // PowerShell's line continuation (a backtick at a line's end) read as a word of its own.
        words.retain(|w| w != "`");
        let words = short_flags_apart(words);
        let start = words
            .iter()
            .position(|w| {
                w == "curl" || w == "curlie" || w.ends_with("/curl") || w.eq_ignore_ascii_case("curl.exe")
            })
            .map_or(0, |i| i + 1);
        let mut method: Option<String> = None;
        let mut url: Option<String> = None;
        let mut headers = Vec::new();
        let mut data: Vec<String> = Vec::new();
        // `-F name=value` fields: a multipart/form-data body, as curl sends them.
        let mut form: Vec<(String, String)> = Vec::new();
        let mut get = false;
        let mut i = start;
        let take = |i: &mut usize, flag: &str| -> Result<String, ParseError> {
            *i += 1;
            words.get(*i).cloned().ok_or_else(|| ParseError::Curl(format!("{flag} needs a value")))
        };
        while i < words.len() {
            let w = &words[i];
            match w.as_str() {
                "-X" | "--request" => method = Some(take(&mut i, w)?),
                "-H" | "--header" => headers.extend(parse_header(&take(&mut i, w)?)),
                "-d" | "--data" | "--data-ascii" | "--data-raw" | "--data-binary" => {
                    let d = take(&mut i, w)?;
                    if d.starts_with('@') && w != "--data-raw" {
                        return Err(ParseError::Curl(format!(
                            "{w} {d}: data from a file is not read; paste the body instead"
                        )));
                    }
                    data.push(d);
                }
                "--data-urlencode" => data.push(curl_urlencode(&take(&mut i, w)?)),
                // curl 7.82's --json: the data as sent, with JSON's Content-Type and Accept.
                "--json" => {
                    data.push(take(&mut i, w)?);
                    if !headers.iter().any(|(k, _): &(String, String)| k.eq_ignore_ascii_case("content-type"))
                    {
                        headers.push(("Content-Type".into(), "application/json".into()));
                    }
                    headers.push(("Accept".into(), "application/json".into()));
                }
                "-F" | "--form" | "--form-string" => form.push(form_field(&take(&mut i, w)?)),
                "-G" | "--get" => get = true,
                "--url" => url = Some(take(&mut i, w)?),
                "-A" | "--user-agent" => headers.push(("User-Agent".into(), take(&mut i, w)?)),
                "-e" | "--referer" => headers.push(("Referer".into(), take(&mut i, w)?)),
                "-b" | "--cookie" => headers.push(("Cookie".into(), take(&mut i, w)?)),
                // Basic credentials: curl sends them as an Authorization header.
                "-u" | "--user" => headers.push(basic_credentials(&take(&mut i, w)?)),
                "-o" | "--output" | "-w" | "--write-out" | "-m" | "--max-time" | "--connect-timeout"
                | "-x" | "--proxy" | "--retry" | "-c" | "--cookie-jar" | "--cacert" | "--cert"
                | "--resolve" | "-T" | "--upload-file" => {
                    take(&mut i, w)?;
                }
                other if other.starts_with("-X") && other.len() > 2 => method = Some(other[2..].to_owned()),
                other if other.starts_with("-H") && other.len() > 2 => {
                    headers.extend(parse_header(&other[2..]))
                }
                other if other.starts_with("-d") && other.len() > 2 => data.push(other[2..].to_owned()),
                other if other.starts_with("-F") && other.len() > 2 => form.push(form_field(&other[2..])),
                other if other.starts_with("--") && other.contains('=') => {
                    // --header=..., --data=..., --request=...
                    let (flag, value) = other.split_once('=').unwrap_or((other, ""));
                    match flag {
                        "--header" => headers.extend(parse_header(value)),
                        "--request" => method = Some(value.to_owned()),
                        "--data" | "--data-raw" | "--data-binary" | "--data-ascii" => {
                            data.push(value.to_owned())
                        }
                        "--data-urlencode" => data.push(curl_urlencode(value)),
                        "--form" | "--form-string" => form.push(form_field(value)),
                        "--url" => url = Some(value.to_owned()),
                        "--user" => headers.push(basic_credentials(value)),
                        _ => {}
                    }
                }
                "|" | ";" | "&&" | "||" => break,
                other if other.starts_with('-') => {}
                other => {
                    if url.is_none() {
                        url = Some(other.to_owned());
                    }
                }
            }
            i += 1;
        }
        let url = url.ok_or_else(|| ParseError::Curl("no URL found".into()))?;
        if !form.is_empty() {
            if !data.is_empty() || get {
                // curl itself refuses the mix ("You can only select one HTTP request method!").
                return Err(ParseError::Curl(
                    "-F and -d (or -G) cannot be used together: curl refuses it".into(),
                ));
            }
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                headers.push(("Content-Type".into(), super::multipart::content_type()));
            }
            let body = super::multipart::encode(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            return Self::new(method.as_deref().unwrap_or("POST"), &url, headers, &body);
        }
        let joined = data.join("&");
        let (url, body) = if get && !joined.is_empty() {
            let sep = if url.contains('?') { "&" } else { "?" };
            (format!("{url}{sep}{joined}"), String::new())
        } else {
            (url, joined)
        };
        let method = method.unwrap_or_else(|| if body.is_empty() { "GET".into() } else { "POST".into() });
        Self::new(&method, &url, headers, &body)
    }
}

/// A chunked body's data (`Transfer-Encoding: chunked`: a hex size line, that many bytes, a line
/// end, ..., a size of 0), its chunks joined; `None` when `body` is not one.
fn dechunk(body: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = body.trim_start_matches(['\r', '\n']);
    loop {
        let (line, after) = rest.split_once('\n')?;
        let size = line.trim_end_matches('\r').split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(after.get(..size)?);
        let after = &after[size..];
        rest = after.strip_prefix("\r\n").or_else(|| after.strip_prefix('\n'))?;
    }
}

/// The scheme, host and path of the first URL in `text` (a program's own print of the URL it
/// requests), without its query: the key may be in it.
fn printed_url(text: &str) -> Option<&str> {
    let urls: Vec<&str> = text
        .match_indices("http")
        .filter(|(at, _)| text[*at..].starts_with("https://") || text[*at..].starts_with("http://"))
        .map(|(at, _)| {
            let url = &text[at..];
            let end = url
                .find(|c: char| c == '?' || c.is_whitespace() || "'\"`,;)]}<>".contains(c))
                .unwrap_or(url.len());
            &url[..end]
        })
        .collect();
    // Binance's URL rather than another a log prints first (a user agent's home page).
    let binance = |u: &&str| BINANCE_PATHS.iter().any(|p| u.contains(p));
    urls.iter().copied().find(binance).or_else(|| urls.first().copied())
}

/// How the paths of Binance's spot API (and its wallet endpoints) start: what tells Binance's URL
/// among the others a text holds. The futures APIs' too (`/fapi/`, `/dapi/`): a request to them is
/// read, to be told apart from spot (on spot's host it is a path spot does not serve).
pub(super) const BINANCE_PATHS: [&str; 4] = ["/api/", "/sapi/", "/fapi/", "/dapi/"];

/// The level names loggers print before a message (`ERROR:`, `fail:`, `Warning:`), in lower case:
/// no header's.
const LOG_LEVELS: [&str; 16] = [
    "trace",
    "debug",
    "info",
    "information",
    "notice",
    "warn",
    "warning",
    "error",
    "err",
    "fail",
    "fatal",
    "critical",
    "crit",
    "severe",
    "exception",
    "panic",
];

/// HTTP methods looked for inside a line of a packet dump.
const HTTP_METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// `raw` with each `{{name}}` it uses replaced by the value it gives the name (the REST Client's
/// `@name = value`, an env file's or settings' `"name": "value"`: [`template_value`]); `None`
/// when it fills none. The key's own template is left to the reader of the key.
fn file_variables_filled(raw: &str) -> Option<String> {
    // A Postman collection's variables come from its environment (logged.rs fills them).
    if raw.contains("getpostman.com") || raw.contains("_postman_id") {
        return None;
    }
    let mut out = raw.to_owned();
    let mut at = 0;
    while let Some(open) = raw[at..].find("{{").map(|i| at + i) {
        let Some(close) = raw[open..].find("}}").map(|i| open + i) else { break };
        at = close + 2;
        let name = raw[open + 2..close].trim();
        if !is_token(name) || name.to_ascii_lowercase().contains("key") {
            continue;
        }
        if let Some(value) = template_value(raw, name) {
            out = out.replace(&raw[open..close + 2], &value);
        }
    }
    (out != raw).then_some(out)
}

/// Whether a program's output shows Binance's success answer: a line that starts with a 2xx
/// status (`200 OK {`), or an order's print (its `orderId`) with no error code.
pub(super) fn success_shown(text: &str) -> bool {
    text.lines().map(str::trim).any(|l| {
        let status = printed_status(l)
            .filter(|(_, rest)| rest.is_empty() || rest.starts_with(['{', '[']) || rest.starts_with("OK"));
        // An order's id printed with its value (`"orderId": 12`), not a parameter's declaration
        // in code (`orderId: Long`).
        let order = ["'orderId':", "\"orderId\":", "orderId:"].iter().any(|k| {
            l.match_indices(k)
                .any(|(at, _)| l[at + k.len()..].trim_start().starts_with(|c: char| c.is_ascii_digit()))
        }) && !l.contains("code");
        status.is_some_and(|(s, _)| (200..300).contains(&s)) || order
    })
}

/// The stand-in for a GET's body of `n` bytes a log announces but does not show (Binance reads
/// none of a GET's body, whatever it held).
pub(super) fn unshown_body(n: usize) -> String {
    format!("({n} bytes the log does not show)")
}

/// Whether `body` is [`unshown_body`]'s stand-in.
fn is_unshown_body(body: &str) -> bool {
    body.strip_prefix('(')
        .and_then(|b| b.strip_suffix(" bytes the log does not show)"))
        .is_some_and(|n| n.parse::<usize>().is_ok())
}

/// `raw` with the doubled slash undici's debug lines (`sending request to`, `received response
/// to`, `trailers received from`) put between origin and path taken out; `None` when it has none.
fn undici_joined(raw: &str) -> Option<String> {
    if !raw.contains("sending request to ") {
        return None;
    }
    let mut changed = false;
    let lines: Vec<String> = raw
        .lines()
        .map(|line| {
            let fixed = line.find("://").and_then(|at| {
                let scheme = at + 3;
                let slash = scheme + line[scheme..].find('/')?;
                line[slash..].starts_with("//").then(|| format!("{}{}", &line[..slash], &line[slash + 1..]))
            });
            changed |= fixed.is_some();
            fixed.unwrap_or_else(|| line.to_owned())
        })
        .collect();
    changed.then(|| lines.join("\n"))
}

/// `METHOD /path HTTP/1.1` (or `METHOD https://host/path`, as some loggers print it).
fn is_request_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let (Some(method), Some(target)) = (words.next(), words.next()) else { return false };
    // Any method token (an unknown one is Binance's 405 to explain), in capitals as HTTP writes it.
    (3..=10).contains(&method.len())
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && (target.starts_with('/') || target.starts_with("http://") || target.starts_with("https://"))
        && words.next().is_none_or(|v| v.starts_with("HTTP/"))
}

/// Where the head of a printed request ends at its body: a line that labels it (`body: a=1&b=2`,
/// `data: {...}`) or a form alone on its line (no header's colon); and the body, the label taken
/// off.
fn labelled_body(head: &str) -> Option<(usize, String)> {
    const LABELS: [&str; 9] =
        ["body", "data", "payload", "form", "form data", "post data", "postdata", "request body", "content"];
    let mut at = 0;
    for line in head.split_inclusive('\n') {
        let start = at;
        at += line.len();
        fn labelled<'l>((name, value): (&str, &'l str)) -> Option<&'l str> {
            LABELS.contains(&name.trim().to_ascii_lowercase().as_str()).then(|| value.trim())
        }
        // `body: ...`, or a keyword argument's `content=b'...'` (httpx's request printed by a hook).
        let value = match line
            .split_once(':')
            .and_then(labelled)
            .or_else(|| line.split_once('=').and_then(labelled))
        {
            // Python's bytes literal: the text inside it.
            Some(value) => value.strip_prefix("b'").or_else(|| value.strip_prefix("b\"")).unwrap_or(value),
            None if start > 0 && line.contains('=') && !line.trim().contains(char::is_whitespace) => {
                line.trim()
            }
            _ => continue,
        };
        // Binance's error answer under the label (an AxiosError's `data: { code: -2010, ... }`) is
        // no body.
        if answer_line(line).is_some_and(|a| a.code.is_some_and(|c| c < 0)) {
            continue;
        }
        if value.contains('=') || value.starts_with('{') {
            return Some((start, value.trim_matches(|c| c == '\'' || c == '"').to_owned()));
        }
    }
    None
}

/// Whether a body cut at its `Content-Length` is cut inside its one line: `tail`, the bytes past
/// the length, carries on the line `read` ends (a length taken before `&signature=...` was
/// appended) rather than being a log's next line.
pub(crate) fn cut_in_line(read: &str, tail: &str) -> bool {
    let tail = tail.trim_end_matches(['\r', '\n']);
    !tail.trim().is_empty() && !tail.contains('\n') && !read.ends_with(['\r', '\n'])
}

/// For a -2015 whose text names another environment than the one the request went to (a post about
/// a testnet key with a request to api.binance.com, a Binance.US account calling binance.com, a
/// binance.com key sent to api.binance.us): what the text says, as a title and a fix. `venue` is
/// where the request went.
///
/// ```
/// use mbx_core::venue::Venue;
/// let hint = mbx_core::diagnose::environment_named("I made the key on testnet.binance.vision", Venue::Binance);
/// assert!(hint.unwrap().0.contains("Spot Testnet"));
/// assert!(mbx_core::diagnose::environment_named("nothing said", Venue::Binance).is_none());
/// ```
pub fn environment_named(text: &str, venue: crate::venue::Venue) -> Option<(String, String)> {
    use crate::venue::Venue;
    // The text's words, without its URLs and host names (the request's own host is not a mention).
    let prose: String = text
        .split_whitespace()
        // URLs to an API are requests; a site's own (`https://testnet.binance.vision`, where a key
        // is made) is a mention.
        .filter(|w| {
            !w.contains("://") || !w.contains("/api/") && !w.contains("/sapi/") && !w.contains("/ws-api/")
        })
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let words: [(Venue, &[&str]); 4] = [
        (Venue::SpotTestnet, &["testnet"]),
        (Venue::BinanceUs, &["binance.us", "binance us"]),
        (Venue::Demo, &["demo trading", "demo account", "demo key"]),
        (
            Venue::Binance,
            &["mainnet", "binance.com", "live key", "live bot", "live account", "real account", "production"],
        ),
    ];
    let other = words
        .into_iter()
        .find(|(v, ws)| *v != venue && ws.iter().any(|w| prose.contains(w)))
        .map(|(v, _)| v)?;
    let title = format!(
        "the text speaks of {}, but the request went to {}: a key is known only where it was created, and Binance answers -2015 to one it does not know",
        other.title(),
        venue.title()
    );
    let fix = format!(
        "Send the key's requests to where it was made ({}), or create a key for {} and use its API key and secret together.",
        other.rest_url(),
        venue.title()
    );
    Some((title, fix))
}

/// HMAC secrets a text shows (a config file pasted with the post: `"ApiSecret": "..."`,
/// `BINANCE_SECRET=...`): 64 letters and digits within a few characters after a name holding
/// `secret`, each with that name, for the signature search to try as another key pair's (a
/// testnet secret left in a config used for mainnet). Placeholders (no digit in them) are not.
///
/// ```
/// let text = r#"{ "ApiSecret": "Zx81mVpQe4TnRk7sLw2GbH0yUcJa9fDo3iXq6NtBvE5rYlKm1gPzCs8dWhA4uOjF" }"#;
/// let found = mbx_core::diagnose::secrets_in_text(text);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].0, "ApiSecret");
/// ```
pub fn secrets_in_text(text: &str) -> Vec<(String, crate::SecretBytes)> {
    let mut out: Vec<(String, crate::SecretBytes)> = Vec::new();
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.match_indices("secret") {
        let start = at - super::identifier_before(&text[..at]).len();
        let end = at
            + text[at..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len() - at);
        let name = &text[start..end];
        let rest = &text[end..];
        let gap = rest.find(|c: char| c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        if gap > 6 || !rest[..gap].contains([':', '=']) {
            continue;
        }
        let value: &str = &rest[gap..]
            [..rest[gap..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - gap)];
        if value.len() == crate::accept::API_KEY_LEN
            && crate::accept::is_well_formed_key(value)
            && value.bytes().any(|b| b.is_ascii_digit())
            && !out.iter().any(|(_, s)| s.expose() == value.as_bytes())
        {
            out.push((name.to_owned(), crate::SecretBytes::from(value)));
        }
    }
    out
}

/// The header value an HTTP library refused to send, as its error prints it: Python's requests
/// (`InvalidHeader: ... in header value: 'vmPU...\n'`, the value as Python's repr), with its
/// escapes (`\n`, `\r`, `\t`) read back.
fn refused_header_value(raw: &str) -> Option<String> {
    let at = raw.find("in header value: ")? + "in header value: ".len();
    let rest = &raw[at..];
    let quote = rest.chars().next().filter(|c| ['\'', '"'].contains(c))?;
    let inner = &rest[1..];
    let end = inner.lines().next()?.rfind(quote)?;
    Some(inner[..end].replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t"))
}

/// The value a text gives a template variable `name`: an env file's `"name": "value"`, the REST
/// Client's `@name = value`, a `name=value` line; not another template.
fn template_value(raw: &str, name: &str) -> Option<String> {
    raw.lines().find_map(|line| {
        let t = line.trim().trim_end_matches(',');
        let rest = t
            .strip_prefix(&format!("\"{name}\""))
            .or_else(|| t.strip_prefix(&format!("@{name}")))
            .or_else(|| t.strip_prefix(name))?;
        let value = rest.trim_start().strip_prefix([':', '='])?.trim().trim_matches('"').trim();
        (!value.is_empty() && !value.contains("{{") && !value.contains(char::is_whitespace))
            .then(|| value.to_owned())
    })
}

/// `raw` with the indentation of its request line (`    POST /api/v3/order HTTP/1.1`) taken off
/// every line that has it, when that line is indented: the request as sent.
fn dedented(raw: &str) -> Option<String> {
    let indent = raw.lines().find_map(|l| {
        let rest = l.trim_start_matches([' ', '\t']);
        let method = rest.split(' ').next()?;
        let request_line = crate::endpoint::Method::parse(method).is_some()
            && rest[method.len()..].trim_start().starts_with(['/', 'h'])
            && rest.contains(" HTTP/");
        (request_line && rest.len() < l.len()).then(|| &l[..l.len() - rest.len()])
    })?;
    let mut out = String::with_capacity(raw.len());
    for line in raw.split_inclusive('\n') {
        out.push_str(line.strip_prefix(indent).unwrap_or(line));
    }
    Some(out)
}

/// A curl command line with its values written out, as a text shows it among other lines (a
/// shell's `set -x` trace: `+ curl -s -X POST -H '...' 'https://...' --data-urlencode '...'`, a
/// prompt's `$ curl ...`), read as curl reads it, with Binance's answer printed after it.
fn curl_in_text(raw: &str) -> Option<Result<RequestRecord, ParseError>> {
    let lines: Vec<&str> = raw.lines().collect();
    let starts = (0..lines.len())
        .filter(|&i| lines[i].trim().trim_start_matches(['+', '$', '>', ' ']).starts_with("curl "));
    starts.into_iter().find_map(|start| {
        // The command and its continuation lines (a backslash at a line's end; a caret in
        // Windows' cmd, as a browser's "Copy as cURL (cmd)" writes it).
        let mut end = start;
        while end + 1 < lines.len() && lines[end].trim_end().ends_with(['\\', '^']) {
            end += 1;
        }
        let command = lines[start..=end].join("\n");
        let command = command.trim().trim_start_matches(['+', '$', '>', ' ']);
        // Written out: a Binance URL, no shell variable left.
        if !command.contains("://")
            || !BINANCE_PATHS.iter().any(|p| command.contains(p))
            || command.contains('$')
        {
            return None;
        }
        let mut record = RequestRecord::from_curl(command).ok()?;
        record.answered = lines[end + 1..].iter().find_map(|l| answer_line(l));
        Some(Ok(record))
    })
}

/// An HTTP status a program printed where a body would start (`200 []`, `400 {"code":...}`,
/// `200 OK`): the status and the rest of its line. Not parameters (`=` before any brace).
fn printed_status(body: &str) -> Option<(u16, &str)> {
    let line = body.trim_start_matches(['\r', '\n']).lines().next()?.trim_end();
    let (code, rest) = line.split_once(' ').unwrap_or((line, ""));
    let status: u16 = code.parse().ok().filter(|s| (100..600).contains(s) && code.len() == 3)?;
    let form = rest.find('=').is_some_and(|eq| rest.find(['{', '[']).is_none_or(|b| eq < b));
    (!form).then_some((status, rest.trim_start()))
}

/// Whether `text` holds nothing but a post's labels and fences between a request and its answer
/// (a Markdown fence closing the request's block, `Response`, `Response (Raw):`, another fence):
/// no body.
fn labels_only(text: &str) -> bool {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).all(|l| {
        l.starts_with("```")
            || l.starts_with("~~~")
            || (!l.contains('=') && !l.starts_with(['{', '[']) && l.split_whitespace().count() <= 4)
    })
}

/// Whether the first line of `text` with anything on it reads as a form (`name=value`, no white
/// space inside): a body, not a program's print after a request's head.
fn form_first(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.contains('=') && !l.contains(char::is_whitespace))
}

/// Binance's answer printed in `text` (its error JSON on a line, `{"code":-2010,...}`), with the
/// status a line before it prints (`400 Bad Request`) when the JSON's own line shows none.
fn answer_after(text: &str) -> Option<Answered> {
    let mut answer = text.lines().find_map(answer_line)?;
    if answer.status == 0
        && let Some((status, _)) = text.lines().find_map(printed_status)
    {
        answer.status = status;
    }
    Some(answer)
}

/// Where a program's print of Binance's answer starts in what follows a request's head given
/// without a length (`400 {"code":-1105,...}`, `{"code":-1022,"msg":...}` on a line of its own),
/// and the answer read from it.
fn printed_answer(body: &str) -> Option<(usize, Answered)> {
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        // The first line is the body's, unless it is an answer with its status (a GET's), or
        // Binance's error answer itself (`{"code":-2010,"msg":...}`, `Answer: {...}`), which no
        // request sends as its body.
        let error_answer = |a: &Answered| a.code.is_some_and(|c| c < 0) && a.msg.is_some();
        if let Some(answer) = answer_line(line).filter(|a| start > 0 || a.status != 0 || error_answer(a)) {
            return Some((start, answer));
        }
    }
    None
}

/// A line that prints Binance's answer: `{"code":-1022,...}`, after its status (`400 {...}`,
/// `400 Bad Request {...}`) or not (status 0).
pub(crate) fn answer_line(line: &str) -> Option<Answered> {
    // Binance's answer inside a string of another JSON or message, its quotes escaped
    // (n8n's `400 - "{\"code\":-2010,...}"`): read unescaped.
    if line.contains("\\\"code\\\":") {
        return answer_line_unescaped(&line.replace("\\\"", "\""));
    }
    answer_line_unescaped(line).or_else(|| truncated_answer(line))
}

/// Google Apps Script's `Request failed for https://api.binance.com returned code 451. Truncated
/// server response: {"code":0,"msg":"Service unavailable from a restri...`: the status, and the
/// code and message as far as the answer is shown.
fn truncated_answer(line: &str) -> Option<Answered> {
    let at = line.find("returned code ")? + "returned code ".len();
    let status: u16 = line[at..].get(..3)?.parse().ok()?;
    let json = &line[line.find("response: ").map_or(line.len(), |i| i + "response: ".len())..];
    let code = json.find("\"code\":").and_then(|i| {
        let rest = json[i + "\"code\":".len()..].trim_start();
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(rest.len());
        rest[..end].parse::<i64>().ok()
    });
    let msg = json.find("\"msg\":\"").map(|i| {
        let rest = &json[i + "\"msg\":\"".len()..];
        rest[..rest.find('"').unwrap_or(rest.len())].trim_end_matches("...").to_owned()
    });
    Some(Answered { status, code, msg })
}

fn answer_line_unescaped(line: &str) -> Option<Answered> {
    // Ruby's and Elixir's print of a hash or map (`{"code"=>-1022, "msg"=>"..."}`,
    // `%{"code" => -1022, "msg" => "..."}`): read as the JSON it stands for.
    if line.contains("\"code\"=>") || line.contains("\"code\" =>") {
        let json = line.replace("%{", "{").replace("\" => ", "\":").replace("\"=>", "\":");
        if !json.contains("=>") {
            return answer_line_unescaped(&json);
        }
    }
    // A program's arrow or label before it (`=> 400 ...`, `< 400 ...`), or a logger's prefix
    // (`4:22:41 PM  Info  {"code":...}`); the status when the line starts with one.
    let text = line.trim().trim_start_matches(['=', '-', '<', '>', ' ']);
    let status = match text.split_once([' ', '\t']) {
        Some((code, _)) if code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) => {
            code.parse().unwrap_or(0)
        }
        _ => 0,
    };
    // The code at the start of `s`, and what follows it.
    let leading_code = |s: &str| -> Option<(i64, usize)> {
        let end = s.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(s.len());
        Some((s[..end].parse().ok()?, end))
    };
    // python-binance's BinanceAPIException: `APIError(code=-2010): Account has insufficient balance`.
    if let Some(at) = text.find("APIError(code=") {
        let rest = &text[at + "APIError(code=".len()..];
        let (code, end) = leading_code(rest)?;
        let msg = rest[end..].strip_prefix("):").map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
        return Some(Answered { status, code: Some(code), msg });
    }
    // binance-connector's ClientError: `ClientError: (401, -2015, 'Invalid API-key, ...', {...})`,
    // or its tuple printed alone (`print(e)`: `(400, -2010, '...', {...}, None)`); binance-sdk-spot's
    // `BadRequestError: (-2010, '...')`, without the status.
    let tuple = text.find("Error: (").or_else(|| text.find("Error((")).or_else(|| {
        text.strip_prefix('(').filter(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '-')).map(|_| 0)
    });
    if let Some(at) = tuple {
        let mut rest = &text[at + text[at..].find('(')? + 1..];
        let first = rest.split([',', ')']).next()?;
        let http: Option<u16> = first.trim().parse().ok().filter(|s| (100..600).contains(s));
        if http.is_some() {
            rest = &rest[first.len() + 1..];
        }
        let (code, after) = rest.split_once(',').unwrap_or((rest.trim_end().trim_end_matches(')'), ""));
        // No code of Binance's (`ClientError: (404, None, '', {...})`: an answer without its JSON).
        if let Some(status) = http.filter(|_| code.trim() == "None") {
            return Some(Answered { status, code: None, msg: None });
        }
        let code: i64 = code.trim().parse().ok().filter(|c: &i64| *c < 0)?;
        let msg = {
            let m = after.trim_start();
            m.chars()
                .next()
                .filter(|c| ['\'', '"'].contains(c))
                .and_then(|quote| m[1..].split(quote).next().map(str::to_owned))
        };
        return Some(Answered { status: http.unwrap_or(status), code: Some(code), msg });
    }
    // The object's members without its braces (`"code":-1021,"msg":"..."`, a message that lost
    // them), or with a quote escaped as JavaScript writes it in a string (`server\'s`).
    if !text.contains("{\"code\":")
        && let Some(at) = text.find("\"code\":-")
    {
        // To the end of the message's string (its closing quote), else of the code.
        let rest = &text[at..];
        let end = match rest.find("\"msg\":\"") {
            Some(m) => {
                let from = m + "\"msg\":\"".len();
                let bytes = rest.as_bytes();
                (from..rest.len())
                    .find(|&i| bytes[i] == b'"' && bytes[i - 1] != b'\\')
                    .map_or(rest.len(), |i| i + 1)
            }
            None => rest.find([',', '}', ' ']).unwrap_or(rest.len()),
        };
        let object = format!("{{{}}}", rest[..end].replace("\\'", "'"));
        return answer_line_unescaped(&object).map(|a| Answered { status, ..a });
    }
    if text.contains("\\'") && text.contains("{\"code\":") {
        return answer_line_unescaped(&text.replace("\\'", "'"));
    }
    let Some(at) = text.find("{\"code\":").or_else(|| text.find("{'code':")) else {
        return printed_answer_object(text, status)
            .or_else(|| code_colon_message(text))
            .or_else(|| parenthesized_code(text));
    };
    let rest = &text[at..];
    if rest.starts_with("{\"") {
        // The first JSON value from there: whatever follows it (a quote, a bracket) is the log's.
        let value = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>().next()?.ok()?;
        let code = value["code"].as_i64()?;
        return Some(Answered { status, code: Some(code), msg: value["msg"].as_str().map(str::to_owned) });
    }
    // As Python prints a dict (`{'code': -1022, 'msg': '...'}`, the message in double quotes when
    // it holds a single one): the code and the message.
    let (code, _) = leading_code(rest["{'code':".len()..].trim_start())?;
    let msg = rest.find("'msg':").and_then(|m| {
        let m = rest[m + "'msg':".len()..].trim_start();
        let quote = m.chars().next().filter(|c| ['\'', '"'].contains(c))?;
        m[1..].split(quote).next().map(str::to_owned)
    });
    Some(Answered { status, code: Some(code), msg })
}

/// A library's exception with Binance's code in parentheses, its message before or after it
/// (binance-ruby's `Binance::Api::Error (-1100): Illegal characters ...`, a .NET exception's
/// `... - Illegal characters found in parameter 'quantity'; ... (-1100)`): a code of the catalog.
fn parenthesized_code(text: &str) -> Option<Answered> {
    text.match_indices("(-").find_map(|(at, _)| {
        let rest = &text[at + 1..];
        let end = rest.find(')')?;
        let code: i32 = rest[..end].parse().ok().filter(|_| (5..=6).contains(&end))?;
        let entry = crate::ErrorCode(code).entry()?;
        // The message must be one of the code's (its fixed start, before any placeholder): a
        // logger's level in parentheses (Julia's `LogLevel(-1001): client startread`) is not.
        let known = |m: &str| {
            entry.messages.iter().any(|e| {
                let fixed = e.split("%s").next().unwrap_or(e);
                fixed.len() >= 8 && m.starts_with(fixed)
            })
        };
        let after = rest[end + 1..].strip_prefix(": ").map(str::trim).filter(|m| !m.is_empty());
        // Else the message before it, after the exception's own words (`'Bad Request' - `).
        let before = || {
            let b = text[..at].trim_end();
            let start = b.rfind(" - ").map(|i| i + 3).or_else(|| b.rfind(": ").map(|i| i + 2))?;
            Some(b[start..].trim()).filter(|m| !m.is_empty())
        };
        let msg = after.or_else(before).map(|m| m.trim_end_matches(" (Binance::Api::Error)").to_owned());
        let msg = msg.filter(|m| known(m))?;
        Some(Answered { status: 0, code: Some(i64::from(code)), msg: Some(msg) })
    })
}

/// A library's print of Binance's error as its code, a colon and the message (Binance.Net's
/// `[ServerError] -2011: Unknown order sent.`, `Error received in 174ms: -2011: ...`): a code of the
/// catalog, not a number that happens to be negative.
fn code_colon_message(text: &str) -> Option<Answered> {
    text.match_indices('-').find_map(|(at, _)| {
        if text[..at].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        let rest = &text[at..];
        let end = 1 + rest[1..].find(|c: char| !c.is_ascii_digit())?;
        let code: i32 = rest[..end].parse().ok().filter(|_| (5..=6).contains(&end))?;
        let msg = rest[end..].strip_prefix(": ")?.trim();
        crate::ErrorCode(code).entry()?;
        Some(Answered {
            status: 0,
            code: Some(i64::from(code)),
            msg: (!msg.is_empty()).then(|| msg.to_owned()),
        })
    })
}

/// Whether a value a text shows (a key, a signature) was masked by a tool or its poster: worded
/// (`**hidden**`, `[REDACTED]`, `masked`) or elided (`vmPU****...duEh8A`, `vmPU...8A`, `xxxx`).
pub(super) fn masked(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let worded = ["hidden", "redacted", "masked"].iter().any(|m| lower.contains(m)) && value.len() < 40;
    let elided = ["***", "...", "\u{2026}", "\u{2022}", "xxxx"].iter().any(|m| lower.contains(m));
    worded || elided
}

/// Of the codes the matching engine's messages go with, the one a text's request is most likely
/// answered with: the cancel's (-2011) where the text speaks of cancelling or shows "Unknown order
/// sent." without an order placed, else the new order's (-2010).
pub(crate) fn engine_code(text: &str) -> i32 {
    let lower = text.to_ascii_lowercase();
    // "Unknown order sent." answers a cancel (an order to place is not looked up), unless the
    // text shows an order being placed.
    let unknown_order =
        lower.contains("unknown order sent") && !lower.contains("place") && !lower.contains("new order");
    if lower.contains("cancel") || unknown_order {
        crate::ErrorCode::CANCEL_REJECTED.get()
    } else {
        crate::ErrorCode::NEW_ORDER_REJECTED.get()
    }
}

/// Binance's error answer as a text's prose or a wrapper's message quotes it: an error message of
/// the catalog that names no parameter (`Signature for this request is not valid.`, `API-key
/// format invalid.`), the last one the text quotes, in any case (a sentence retold: "Binance
/// answers that the signature for this request is not valid").
///
/// ```
/// use mbx_core::diagnose::answer_in_prose;
/// let a = answer_in_prose("Error: Binance error: Signature for this request is not valid. Why?").unwrap();
/// assert_eq!(a.code, Some(-1022));
/// let a = answer_in_prose("Binance says the signature for this request is not valid").unwrap();
/// assert_eq!(a.code, Some(-1022));
/// assert!(answer_in_prose("nothing here").is_none());
/// ```
pub fn answer_in_prose(text: &str) -> Option<Answered> {
    let lower = text.to_lowercase();
    crate::error::catalog::messages()
        .filter(|(_, m)| m.len() >= 20 && !m.contains('%'))
        .filter_map(|(code, m)| lower.rfind(&m.trim_end_matches('.').to_lowercase()).map(|at| (at, code, m)))
        // A message several codes share (the matching engine's): the order refusal's, -2010, or
        // the cancel's, -2011, where the text cancels.
        .max_by_key(|(at, code, _)| (*at, *code == engine_code(text)))
        .map(|(_, code, m)| Answered { status: 0, code: Some(i64::from(code)), msg: Some(m.to_owned()) })
}

/// Binance's error answer as another language prints the decoded object: Ruby's hash
/// (`{"code"=>-2015, "msg"=>"..."}`), Elixir's map (`%{"code" => ...}`), Node.js's object
/// (`{ code: -2015, msg: '...' }`), Java's or Kotlin's `Map.toString` (`{code=-2015, msg=...}`),
/// Rust's `Debug` (`Api { code: -1022, msg: "..." }`), Go's map (`map[code:-2015 msg:...]`), a
/// line of PHP's `print_r` (`[code] => -2015`). The word `code` (any quotes or brackets around it)
/// and a negative number after it; `msg` on the same line too, unless the line holds nothing else
/// (a source line testing a code, `if e.code == -1021`, names no message).
fn printed_answer_object(text: &str, status: u16) -> Option<Answered> {
    let word_at = |name: &str| {
        let lower = text.to_ascii_lowercase();
        lower.match_indices(name).map(|(i, _)| i).find(|&i| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + name.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    let separators = |s: &str| s.trim_start_matches([' ', '\t', '"', '\'', ']', ':', '=', '>']).len();
    let at = word_at("code")?;
    let after = &text[at + 4..];
    let rest = &after[after.len() - separators(after)..];
    let separated = &after[..after.len() - rest.len()];
    if !separated.contains([':', '=']) || separated.contains("==") {
        return None;
    }
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(rest.len());
    let code: i64 = rest[..end].parse().ok().filter(|c| *c < 0)?;
    let msg = word_at("msg").map(|m| {
        let after = &text[m + 3..];
        let separated = &after[..after.len() - separators(after)];
        // A quoted message runs from its opening quote to the same quote (`msg: "'recvWindow'
        // contains ..."` holds the other kind); an unquoted one to a quote, brace or parenthesis.
        let (value, end) = match separated.find(['"', '\'']) {
            Some(q) => {
                let quote = separated.as_bytes()[q] as char;
                let value = &after[q + 1..];
                (value, value.find(quote))
            }
            None => {
                let value = &after[separated.len()..];
                (value, value.find(['"', '\'', '}', ')']))
            }
        };
        value[..end.unwrap_or(value.len())].trim().trim_end_matches(',').trim().to_owned()
    });
    let alone = text
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_lowercase()
        .starts_with("code");
    if msg.is_none() && !alone {
        return None;
    }
    Some(Answered { status, code: Some(code), msg: msg.filter(|m| !m.is_empty()) })
}

/// Whether `name` is an HTTP field name (RFC 9110's `token`: letters, digits and
/// ``!#$%&'*+-.^_`|~``).
pub(super) fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Where each request of `raw` starts: at each line that is a request line (after a blank line,
/// a response or at the start), or, in a packet dump (`tcpdump -A`: the request line follows the
/// packet's header bytes printed as dots), where a request line starts within a line.
fn request_starts(raw: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_head = false;
    let mut at = 0;
    for line in raw.split_inclusive('\n') {
        let text = line.trim_end_matches(['\r', '\n']);
        if !in_head {
            if is_request_line(text) {
                starts.push(at);
                in_head = true;
            } else if let Some(offset) = request_line_within(text) {
                starts.push(at + offset);
                in_head = true;
            }
        } else if text.trim().is_empty() {
            in_head = false;
        }
        at += line.len();
    }
    starts
}

/// Where a request line with a version (`GET /path HTTP/1.1`) starts inside `line`, after a
/// packet's bytes or an answer's body.
fn request_line_within(line: &str) -> Option<usize> {
    HTTP_METHODS.iter().find_map(|m| {
        line.match_indices(&format!("{m} /"))
            .map(|(i, _)| i)
            // After a byte printed as '.' (the TCP header's last), or after the JSON body of the
            // answer before it on the connection (a stream capture runs them together); not after
            // other text (PHP's print_r of curl_getinfo shows `[request_header] => POST /...`,
            // with no body).
            .find(|&i| {
                line[..i].ends_with(['.', '}', ']'])
                    && line[i..].contains(" HTTP/1.")
                    && is_request_line(&line[i..])
            })
    })
}

/// curl's short options written together (`-sG`, `-sSL`, `-sXPOST`) as curl reads them: each
/// flag apart, an option that takes a value getting the rest of the cluster (or the next word).
/// Only clusters that start with a flag are split (`-XPOST`, `-HName: v` stay as they are).
fn short_flags_apart(words: Vec<String>) -> Vec<String> {
    const FLAGS: &str = "sSvkLifgGIqjORZnlp0123456#";
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let cluster = w.strip_prefix('-').filter(|rest| {
            !rest.starts_with('-') && rest.chars().count() > 1 && rest.starts_with(|c| FLAGS.contains(c))
        });
        let Some(cluster) = cluster else {
            out.push(w);
            continue;
        };
        for (at, c) in cluster.char_indices() {
            if FLAGS.contains(c) {
                out.push(format!("-{c}"));
            } else {
                out.push(format!("-{}", &cluster[at..]));
                break;
            }
        }
    }
    out
}

/// A `-H` argument as curl sends it: `Name: value` as written (white space before the colon stays
/// in the name), `Name;` as the header with no value; `None` for one with neither, which curl
/// leaves out (`-H "X-MBX-APIKEY $KEY"` sends no key).
pub(super) fn parse_header(h: &str) -> Option<(String, String)> {
    match h.split_once(':') {
        Some((k, v)) => Some((k.trim_start().to_owned(), v.trim_start().to_owned())),
        None => h.trim_end().strip_suffix(';').map(|k| (k.trim_start().to_owned(), String::new())),
    }
}

/// One `-F name=value` of curl: the name and the value as written (`@file` and `<file` stay so:
/// a file's content is not read).
fn form_field(arg: &str) -> (String, String) {
    let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
    (name.to_owned(), value.to_owned())
}

/// The header curl's `-u user:password` sends: `Authorization: Basic` and the credentials in
/// base64 (`-u user` alone sends the password curl asks for; none here).
fn basic_credentials(user: &str) -> (String, String) {
    use base64::Engine as _;
    let credentials = if user.contains(':') { user.to_owned() } else { format!("{user}:") };
    (
        "Authorization".into(),
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(credentials)),
    )
}

/// curl's `--data-urlencode`: `name=content` encodes the content, `=content` and `content` likewise.
fn curl_urlencode(arg: &str) -> String {
    match arg.split_once('=') {
        Some((name, content)) if !name.is_empty() => {
            format!("{name}={}", crate::encode::percent_encode(content))
        }
        Some((_, content)) => crate::encode::percent_encode(content),
        None => crate::encode::percent_encode(arg),
    }
}

/// Splits `url` into host, path and raw query (fragment dropped).
pub(super) fn split_url(url: &str) -> Result<(Option<String>, String, String), ParseError> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (host, rest) =
        if let Some(after) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
            match after.find(['/', '?']) {
                Some(i) => (Some(after[..i].to_owned()), &after[i..]),
                None => (Some(after.to_owned()), ""),
            }
        } else if url.starts_with('/') {
            (None, url)
        } else if let Some(i) = url.find('/') {
            // "api.binance.com/api/v3/order?..." without a scheme.
            if url[..i].contains('.') {
                (Some(url[..i].to_owned()), &url[i..])
            } else {
                return Err(ParseError::Url(url.to_owned()));
            }
        } else {
            return Err(ParseError::Url(url.to_owned()));
        };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = if path.is_empty() { "/".to_owned() } else { path.to_owned() };
    Ok((host, path, query.to_owned()))
}

/// POSIX-shell-like word splitting: single quotes, double quotes (with `\"`, `\\`, `\$`), backslash
/// escapes and backslash-newline continuations. A leading `$ ` prompt is ignored.
pub(super) fn shell_words(s: &str) -> Result<Vec<String>, ParseError> {
    let s = s.trim_start();
    let s = s.strip_prefix("$ ").unwrap_or(s);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err(ParseError::Curl("unterminated single quote".into())),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err(ParseError::Curl("unterminated double quote".into())),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(ParseError::Curl("unterminated double quote".into())),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some('\n' | '\r') => {}
                Some(ch) => {
                    in_word = true;
                    cur.push(ch);
                }
                None => {}
            },
            // Bash's ANSI-C quoting, `$'...'`: backslash escapes read (`\n` a newline, as `bash -x`
            // prints a value that holds one).
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some('\\') => match chars.next() {
                            Some('n') => cur.push('\n'),
                            Some('r') => cur.push('\r'),
                            Some('t') => cur.push('\t'),
                            Some('0') => cur.push('\0'),
                            Some(ch) => cur.push(ch),
                            None => return Err(ParseError::Curl("unterminated $'...' quote".into())),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(ParseError::Curl("unterminated $'...' quote".into())),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw export of a request and its response (Charles, Fiddler): the response after the body
    /// its Content-Length covers is the answer, not part of the body.
    #[test]
    fn the_response_after_a_body_with_its_length_is_the_answer() {
        let body = "symbol=BTCUSDT&timestamp=1";
        let raw = format!(
            "POST /api/v3/order HTTP/1.1\r\nHost: api.binance.com\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{{\"code\":-1013,\"msg\":\"Filter failure: LOT_SIZE\"}}",
            body.len()
        );
        let r = RequestRecord::from_http(&raw).unwrap();
        assert_eq!(r.body, body);
        let answered = r.answered.unwrap();
        assert_eq!((answered.status, answered.code), (400, Some(-1013)));
    }

    /// A head written with `\n` before a body written with `\r\n` (a multipart body as PHP's curl
    /// sends it, pasted); bash's `$'...'` quoting of a value with a newline.
    #[test]
    fn mixed_line_ends_and_ansi_c_quotes() {
        let raw = "POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nContent-Type: multipart/form-data; boundary=XY\n\n--XY\r\nContent-Disposition: form-data; name=\"symbol\"\r\n\r\nBTCUSDT\r\n--XY--\r\n";
        let r = RequestRecord::from_http(raw).unwrap();
        assert!(r.body.starts_with("--XY"), "{:?}", r.body);
        let r = RequestRecord::from_curl(
            "curl -X POST https://api.binance.com/api/v3/order --data-urlencode $'signature=ab\\ncd'",
        )
        .unwrap();
        assert_eq!(r.body, "signature=ab%0Acd");
    }

    #[test]
    fn from_curl_multiline_with_data_and_get() {
        let r = RequestRecord::from_curl(
            "curl -s \\\n  -H 'X-MBX-APIKEY: k' \\\n  -G --data-urlencode 'symbol=１' -d 'timestamp=1' https://api.binance.com/api/v3/openOrders",
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.query, "symbol=%EF%BC%91&timestamp=1");
        assert_eq!(r.body, "");
    }

    #[test]
    fn from_curl_data_defaults_to_post_with_body() {
        let r = RequestRecord::from_curl(
            "curl -H \"X-MBX-APIKEY: $apiKey\" https://api.binance.com/api/v3/order -d 'a=1' -d 'b=2'",
        )
        .unwrap();
        assert_eq!((r.method.as_str(), r.body.as_str()), ("POST", "a=1&b=2"));
        assert_eq!(r.header("X-MBX-APIKEY"), Some("$apiKey"));
    }

    #[test]
    fn from_curl_unterminated_quote_is_error_not_panic() {
        assert!(RequestRecord::from_curl("curl 'https://x").is_err());
        assert!(RequestRecord::from_curl("curl -H").is_err());
        assert!(RequestRecord::from_curl("").is_err());
    }

    #[test]
    fn from_http_uses_content_length_and_host() {
        let r = RequestRecord::from_http(
            "POST /api/v3/order HTTP/1.1\nHost: api.binance.com\nContent-Length: 3\n\na=1\n",
        )
        .unwrap();
        assert_eq!((r.body.as_str(), r.host.as_deref()), ("a=1", Some("api.binance.com")));
    }

    /// A chunked body is read as its chunks' data (as sent, with CRLF; as copied, with LF), and
    /// a response after it is not part of it.
    #[test]
    fn a_chunked_body_is_read_as_its_data() {
        let head = "POST /api/v3/order?symbol=ETHUSDT HTTP/1.1\r\nHost: api.binance.com\r\nTransfer-Encoding: chunked\r\n\r\n";
        let r = RequestRecord::from_http(&format!(
            "{head}b\r\nside=BUY&ty\r\n7;x=1\r\npe=LIMI\r\n1\r\nT\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{{}}"
        ))
        .unwrap();
        assert_eq!(r.body, "side=BUY&type=LIMIT");
        assert_eq!(r.answered.map(|a| a.status), Some(200));
        let copied = head.replace("\r\n", "\n") + "5\nside=\n3\nBUY\n0\n";
        assert_eq!(RequestRecord::from_http(&copied).unwrap().body, "side=BUY");
        // Not chunks after all: the body as it is.
        assert_eq!(RequestRecord::from_http(&format!("{head}side=BUY")).unwrap().body, "side=BUY");
        assert_eq!(dechunk("zz\r\nab\r\n0\r\n"), None);
        assert_eq!(dechunk("5\r\nab"), None);
    }
}
