//! Requests as HTTP clients log them, turned back into raw HTTP for [`RequestRecord::from_http`]:
//! `curl -v` (the request's lines start with `> `), Python's `http.client` with `debuglevel = 1`
//! (what `requests` prints: `send: b'GET /path HTTP/1.1\r\nHost: ...'`), OkHttp's
//! `HttpLoggingInterceptor` (`--> POST https://...`, the headers, the body, `--> END POST`) and
//! .NET's `HttpClient` logging (`Sending HTTP request POST https://...`, then `Request Headers:`).
//! Users paste these from their program's output; each form is recognised by its own markers, and
//! anything else is left to the raw HTTP reader.

use super::request::{ParseError, RequestRecord};
use crate::endpoint::Method;

/// The raw HTTP request a pasted log shows, when `text` is one of the logs above; `None` for
/// anything else (raw HTTP itself included). An error when the log is recognised but lacks the
/// body its `Content-Length` announces (curl -v does not print it).
pub(super) fn as_raw_http(text: &str) -> Option<Result<String, ParseError>> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).map(logcat_message).collect();
    if lines.iter().any(|l| l.trim_start().starts_with("send: b'") || l.trim_start().starts_with("send: b\""))
    {
        return Some(python_sends(&lines));
    }
    if let Some(start) = lines.iter().position(|l| l.starts_with("--> ") && !l.starts_with("--> END")) {
        return Some(okhttp(&lines[start..]));
    }
    if lines.iter().any(|l| request_line_of_curl_v(l).is_some()) {
        return Some(curl_verbose(&lines));
    }
    if let Some(start) = lines.iter().position(|l| dotnet_request(l).is_some()) {
        return Some(dotnet(&lines[start..]));
    }
    None
}

/// The message of an Android log line of OkHttp's logger, as Android Studio's Logcat shows it
/// (`date time  pid-tid  okhttp.OkHttpClient  com.example.app  I  --> POST ...`) or `adb logcat`
/// prints it (`12-05 12:40:34.567  8123  8190 I okhttp.OkHttpClient: --> POST ...`); any other line
/// as it is.
fn logcat_message(line: &str) -> &str {
    const TAG: &str = "okhttp.OkHttpClient";
    let Some(at) = line.find(TAG) else { return line };
    let rest = &line[at + TAG.len()..];
    if let Some(message) = rest.strip_prefix(": ") {
        return message;
    }
    // Android Studio: the package's column, then the level's, then the message.
    let mut rest = rest.trim_start();
    for _ in 0..2 {
        rest = rest.find(char::is_whitespace).map_or("", |i| rest[i..].trim_start());
    }
    rest
}

/// `> GET /path HTTP/1.1`: the request line as `curl -v` prints it.
fn request_line_of_curl_v(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("> ")?;
    let method = rest.split(' ').next()?;
    (Method::parse(method).is_some() && rest.contains(" HTTP/")).then_some(rest)
}

fn curl_verbose(lines: &[&str]) -> Result<String, ParseError> {
    let start = lines.iter().position(|l| request_line_of_curl_v(l).is_some()).unwrap_or(0);
    let mut head = Vec::new();
    for line in &lines[start..] {
        match line.strip_prefix('>') {
            Some(rest) if !rest.trim().is_empty() => head.push(rest.trim_start().to_owned()),
            _ => break,
        }
    }
    // curl -v shows no body; with --trace-ascii the body would be elsewhere.
    let announced = head.iter().find_map(|h| {
        let (k, v) = h.split_once(':')?;
        k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok()).flatten()
    });
    if announced.is_some_and(|n| n > 0) {
        return Err(ParseError::Http(
            "curl -v shows the request's headers but not its body: give the curl command itself (--curl), or --url with --body".into(),
        ));
    }
    // The response, when the log shows it (`< HTTP/2 401`, its headers, then the body on stdout):
    // passed on after the request, as a network capture shows it, for the doctor to read.
    let mut raw = head.join("\r\n") + "\r\n\r\n";
    if let Some(at) = lines.iter().position(|l| l.starts_with("< HTTP/")) {
        let status = lines[at].trim_start_matches("< ").trim_end();
        let body = lines[at..].iter().find(|l| l.trim_start().starts_with('{')).map_or("", |l| l.trim());
        raw.push_str(&format!("{status}\r\n\r\n{body}"));
    }
    Ok(raw)
}

/// Python's `send: b'...'` lines (a head, then perhaps a body), each a bytes literal.
fn python_sends(lines: &[&str]) -> Result<String, ParseError> {
    let mut out = Vec::new();
    for line in lines {
        let Some(rest) = line.trim_start().strip_prefix("send: b") else { continue };
        let bytes = python_bytes(rest)
            .ok_or_else(|| ParseError::Http(format!("cannot read the bytes literal '{}'", clip(rest))))?;
        out.extend(bytes);
    }
    String::from_utf8(out).map_err(|_| ParseError::Http("the logged bytes are not UTF-8".into()))
}

/// A Python bytes literal's content (`'...'` or `"..."`, with `\r \n \t \\ \' \" \xNN`).
fn python_bytes(literal: &str) -> Option<Vec<u8>> {
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
    for line in &lines[1..] {
        if line.starts_with("--> END") || line.starts_with("<-- ") {
            break;
        }
        if in_body {
            body.push(*line);
        } else if line.trim().is_empty() {
            in_body = true;
        } else if line.contains(':') {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    Ok(out + "\r\n" + &body.join("\n"))
}

/// .NET's `HttpClient` log line naming the request: `... HTTP request POST https://...`.
fn dotnet_request(line: &str) -> Option<(&str, &str)> {
    let (_, rest) = line.split_once("HTTP request ")?;
    let mut words = rest.split_whitespace();
    let (method, url) = (words.next()?, words.next()?);
    (Method::parse(method).is_some() && url.starts_with("http")).then_some((method, url))
}

/// .NET: the request line, then the `Request Headers:` block if the trace level printed it.
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
    Ok(out + "\r\n")
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

    #[test]
    fn raw_http_is_not_taken_for_a_log() {
        assert!(as_raw_http("GET /api/v3/time HTTP/1.1\r\nHost: api.binance.com\r\n\r\n").is_none());
        assert!(as_raw_http("curl -H 'X: y' https://api.binance.com/api/v3/time").is_none());
    }
}
