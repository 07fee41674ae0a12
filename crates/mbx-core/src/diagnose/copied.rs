//! Requests as a browser's network tab copies them besides bash's curl: curl for Windows' `cmd`
//! (`^"...^"` quoting, `^` line ends), PowerShell (`Invoke-WebRequest -Uri ... -Headers @{...}`)
//! and `fetch("url", {...})`; and HTTPie's (or xh's) command line, which people type where others use
//! curl. [`RequestRecord::from_curl`] recognises each and reads it here.

use super::request::{ParseError, RequestRecord};

/// Whether `text` is curl as `cmd.exe` reads it: Chrome and Edge quote with `^"` and end continued
/// lines with `^`.
pub(super) fn is_cmd(text: &str) -> bool {
    text.contains("^\"") || text.lines().any(|l| l.trim_end().ends_with(" ^"))
}

/// What `cmd.exe` hands to curl: `^` continues a line when it ends one, and otherwise makes the
/// character after it plain (the quotes and `\"` that remain are then read as a shell reads them).
pub(super) fn cmd_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\r') if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            Some('\n') | None => {}
            Some(other) => out.push(other),
        }
    }
    out
}

/// Whether `text` is a PowerShell web request: `Invoke-WebRequest`, `Invoke-RestMethod`, or a line
/// starting with their aliases `iwr` and `irm`.
pub(super) fn is_powershell(text: &str) -> bool {
    text.contains("Invoke-WebRequest")
        || text.contains("Invoke-RestMethod")
        || text.lines().any(|l| l.trim_start().starts_with("iwr ") || l.trim_start().starts_with("irm "))
}

/// Whether `text` is a `fetch(...)` call.
pub(super) fn is_fetch(text: &str) -> bool {
    text.trim_start().starts_with("fetch(") || text.contains("await fetch(") || text.contains(" fetch(\"")
}

/// One PowerShell token: a string (quotes removed, escapes read), a word (`-Uri`, `$session`),
/// or one of `@{`, `}`, `=`, `;`.
#[derive(Debug, PartialEq)]
enum Token {
    Str(String),
    Word(String),
    Punct(&'static str),
}

fn powershell_tokens(text: &str) -> Result<Vec<Token>, ParseError> {
    let err = |m: &str| ParseError::Curl(format!("PowerShell: {m}"));
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '"' | '\'' => {
                chars.next();
                out.push(Token::Str(
                    powershell_string(&mut chars, c).ok_or_else(|| err("unterminated string"))?,
                ));
            }
            // A backtick ending a line continues it.
            '`' => {
                chars.next();
                chars.next();
            }
            '@' => {
                chars.next();
                if chars.next() != Some('{') {
                    return Err(err("'@' not followed by '{'"));
                }
                out.push(Token::Punct("@{"));
            }
            '}' | '=' | ';' => {
                chars.next();
                out.push(Token::Punct(match c {
                    '}' => "}",
                    '=' => "=",
                    _ => ";",
                }));
            }
            c if c.is_whitespace() => {
                chars.next();
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ';' | '}' | '@') {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(Token::Word(w));
            }
        }
    }
    Ok(out)
}

/// The rest of a PowerShell string opened by `quote`: a doubled quote is one quote; in a
/// double-quoted string a backtick escapes the next character (`` `n `` a newline). `None` if it
/// does not end.
fn powershell_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, quote: char) -> Option<String> {
    let mut s = String::new();
    loop {
        match chars.next()? {
            '`' if quote == '"' => s.push(match chars.next()? {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '0' => '\0',
                other => other,
            }),
            c if c == quote && chars.peek() == Some(&quote) => {
                chars.next();
                s.push(quote);
            }
            c if c == quote => return Some(s),
            other => s.push(other),
        }
    }
}

/// The `name = value` pairs of a hashtable whose `@{` was read, up to its `}`.
fn hashtable<I: Iterator<Item = Token>>(it: &mut std::iter::Peekable<I>) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    loop {
        match it.next() {
            Some(Token::Punct("}")) | None => return pairs,
            Some(Token::Str(k) | Token::Word(k)) => {
                if it.next() == Some(Token::Punct("=")) {
                    let value = match it.next() {
                        Some(Token::Str(v) | Token::Word(v)) => v,
                        _ => String::new(),
                    };
                    pairs.push((k, value));
                }
            }
            Some(_) => {}
        }
    }
}

/// Reads `Invoke-WebRequest` / `Invoke-RestMethod` as PowerShell would: `-Uri` (or the first
/// string), `-Method`, `-Headers @{ "name"="value" ... }`, `-ContentType`, `-Body`.
pub(super) fn from_powershell(text: &str) -> Result<RequestRecord, ParseError> {
    let start = ["Invoke-WebRequest", "Invoke-RestMethod", "iwr ", "irm "]
        .iter()
        .filter_map(|c| {
            text.find(c).filter(|&i| i == 0 || !text[..i].ends_with(|p: char| p.is_alphanumeric()))
        })
        .min()
        .unwrap_or(0);
    let tokens = powershell_tokens(&text[start..])?;
    let mut url = None;
    let mut method = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    let mut body_pairs: Vec<(String, String)> = Vec::new();
    let mut it = tokens.into_iter().skip(1).peekable();
    let value = |t: Option<Token>| match t {
        Some(Token::Str(s) | Token::Word(s)) => Some(s),
        _ => None,
    };
    while let Some(t) = it.next() {
        match t {
            Token::Word(w) if w.starts_with('-') => match w.to_ascii_lowercase().as_str() {
                "-uri" => url = value(it.next()),
                "-method" => method = value(it.next()),
                "-body" => {
                    // A hashtable (`@{ symbol = 'BTCUSDT'; ... }`, `([ordered]@{ ... })`): its
                    // pairs, which PowerShell sends as the query string of a GET and as a form
                    // otherwise.
                    if matches!(it.peek(), Some(Token::Word(w)) if w.starts_with('(')) {
                        it.next();
                    }
                    if it.peek() == Some(&Token::Punct("@{")) {
                        it.next();
                        body_pairs = hashtable(&mut it);
                    } else {
                        body = value(it.next()).unwrap_or_default();
                    }
                }
                "-contenttype" => {
                    if let Some(ct) = value(it.next()) {
                        headers.push(("Content-Type".into(), ct));
                    }
                }
                "-headers" => {
                    if it.next() == Some(Token::Punct("@{")) {
                        headers.extend(hashtable(&mut it));
                    }
                }
                // A switch (-UseBasicParsing) or a parameter whose value does not matter here.
                _ => {
                    if matches!(it.peek(), Some(Token::Str(_)))
                        || matches!(it.peek(), Some(Token::Word(v)) if !v.starts_with('-'))
                    {
                        it.next();
                    }
                }
            },
            Token::Str(s) if url.is_none() => url = Some(s),
            _ => {}
        }
    }
    let mut url = url.ok_or_else(|| ParseError::Curl("PowerShell: no -Uri found".into()))?;
    // PowerShell's own pseudo-headers from an HTTP/2 copy (":method") are not sent as headers.
    headers.retain(|(k, _)| !k.starts_with(':'));
    let method = method.unwrap_or_else(|| {
        if body.is_empty() && body_pairs.is_empty() { "GET".into() } else { "POST".into() }
    });
    if !body_pairs.is_empty() {
        let encoded = super::options::encoded(&body_pairs);
        if method.eq_ignore_ascii_case("GET") {
            url = format!("{url}{}{encoded}", if url.contains('?') { '&' } else { '?' });
        } else {
            body = encoded;
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                headers.push(("Content-Type".into(), "application/x-www-form-urlencoded".into()));
            }
        }
    }
    RequestRecord::new(&method.to_ascii_uppercase(), &url, headers, &body)
}

/// The index just past the JavaScript string literal that opens `s` (`"`, `'` or a backtick), and
/// its text with escapes read; `None` if `s` opens none or it does not end.
pub(super) fn js_string(s: &str) -> Option<(usize, String)> {
    let quote = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' | 'x' => {
                        let n = if e == 'u' { 4 } else { 2 };
                        let hex: String = (0..n).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                    }
                    other => other,
                });
            }
            c if c == quote => return Some((i + 1, out)),
            c => out.push(c),
        }
    }
    None
}

/// Reads `fetch("url", { "method": ..., "headers": {...}, "body": ... })` as the browser's
/// "Copy as fetch" writes it (the options are JSON there); the method defaults to GET.
pub(super) fn from_fetch(text: &str) -> Result<RequestRecord, ParseError> {
    let err = |m: &str| ParseError::Curl(format!("fetch: {m}"));
    let at = text.find("fetch(").ok_or_else(|| err("no fetch( found"))?;
    let rest = text[at + "fetch(".len()..].trim_start();
    let (end, url) = js_string(rest).ok_or_else(|| err("the URL is not a string literal"))?;
    let rest = rest[end..].trim_start();
    let mut method = None;
    let mut headers = Vec::new();
    let mut body = String::new();
    if let Some(options) = rest.strip_prefix(',').map(str::trim_start).filter(|o| o.starts_with('{')) {
        // The options object: up to its closing brace (the JSON reader stops there).
        let mut de = serde_json::Deserializer::from_str(options).into_iter::<serde_json::Value>();
        let options = match de.next() {
            Some(Ok(v)) => v,
            _ => return Err(err("the options are not JSON (as the browser's 'Copy as fetch' writes them)")),
        };
        method = options.get("method").and_then(|m| m.as_str()).map(str::to_ascii_uppercase);
        if let Some(h) = options.get("headers").and_then(|h| h.as_object()) {
            for (k, v) in h {
                let v = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                headers.push((k.clone(), v));
            }
        }
        if let Some(b) = options.get("body") {
            body = match b {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                // `body: JSON.stringify(...)` would not be JSON here; an object is sent as its text.
                other => other.to_string(),
            };
        }
    }
    let method = method.unwrap_or_else(|| "GET".into());
    RequestRecord::new(&method, &url, headers, &body)
}

/// Whether `text` is an HTTPie command (`http`, `https`, or `xh`, which reads the same syntax).
pub(super) fn is_httpie(text: &str) -> bool {
    let first = text.trim_start().trim_start_matches("$ ").split_whitespace().next().unwrap_or("");
    matches!(first, "http" | "https" | "xh" | "xhs")
}

/// An HTTPie (or xh) command: `http [--form] [METHOD] URL [Header:value] [name==query] [name=field]
/// [name:=json]`. Data fields are sent as a JSON object unless `--form`/`-f` is given (HTTPie's
/// default, and a classic way to send Binance a body it does not read); the method is GET without
/// data, POST with it.
pub(super) fn from_httpie(text: &str) -> Result<RequestRecord, ParseError> {
    let words = super::request::shell_words(text)?;
    let program = words.first().map(String::as_str).unwrap_or("http");
    let mut form = false;
    let mut method: Option<String> = None;
    let mut url: Option<String> = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut fields: Vec<(String, serde_json::Value)> = Vec::new();
    for word in words.iter().skip(1) {
        if word == "--form" || word == "-f" {
            form = true;
            continue;
        }
        if word.starts_with('-') {
            continue;
        }
        if url.is_none() {
            if method.is_none() && ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"].contains(&word.as_str())
            {
                method = Some(word.clone());
            } else {
                url = Some(word.clone());
            }
            continue;
        }
        // The item's separator is the first of ':=', '==', '=', ':' in the word.
        let at = |sep: &'static str| word.find(sep).map(|i| (i, sep));
        let sep = [at(":="), at("=="), at("="), at(":")]
            .into_iter()
            .flatten()
            .min_by_key(|(i, s)| (*i, usize::MAX - s.len()));
        match sep {
            Some((i, ":=")) => {
                let value = serde_json::from_str(&word[i + 2..])
                    .map_err(|_| ParseError::Http(format!("'{word}': the value after := is not JSON")))?;
                fields.push((word[..i].to_owned(), value));
            }
            Some((i, "==")) => query.push((word[..i].to_owned(), word[i + 2..].to_owned())),
            Some((i, "=")) => {
                fields.push((word[..i].to_owned(), serde_json::Value::String(word[i + 1..].to_owned())))
            }
            Some((i, _)) => headers.push((word[..i].to_owned(), word[i + 1..].trim().to_owned())),
            None => {}
        }
    }
    let url = url.ok_or_else(|| ParseError::Http("the HTTPie command has no URL".into()))?;
    // HTTPie's shorthands: ':9900/path' is localhost, and a URL without a scheme takes the program's.
    let mut url = if let Some(rest) = url.strip_prefix(':') {
        format!("http://localhost:{rest}")
    } else if url.starts_with("http://") || url.starts_with("https://") {
        url
    } else {
        let scheme = if program.ends_with('s') { "https" } else { "http" };
        format!("{scheme}://{url}")
    };
    if !query.is_empty() {
        let encoded: Vec<String> = query
            .iter()
            .map(|(k, v)| {
                format!("{}={}", crate::encode::percent_encode(k), crate::encode::percent_encode(v))
            })
            .collect();
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&encoded.join("&"));
    }
    let body = if fields.is_empty() {
        String::new()
    } else if form {
        headers.push(("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into()));
        let text = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        fields
            .iter()
            .map(|(k, v)| {
                format!("{}={}", crate::encode::percent_encode(k), crate::encode::percent_encode(&text(v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    } else {
        headers.push(("Content-Type".into(), "application/json".into()));
        // In the order given, as HTTPie writes it (a JSON map here would sort the names).
        let members: Vec<String> =
            fields.iter().map(|(k, v)| format!("{}:{v}", serde_json::Value::String(k.clone()))).collect();
        format!("{{{}}}", members.join(","))
    };
    let method = method.unwrap_or_else(|| if body.is_empty() { "GET" } else { "POST" }.to_owned());
    RequestRecord::new(&method, &url, headers, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=ab";

    #[test]
    fn curl_for_cmd_as_chrome_copies_it() {
        let text = "curl ^\"https://api.binance.com/api/v3/order?symbol=BTCUSDT^&timestamp=1^&signature=ab^\" ^\r\n  -H ^\"x-mbx-apikey: k^\" ^\n  --data-raw ^\"newClientOrderId=a^%^20b^\"";
        assert!(is_cmd(text));
        let r = RequestRecord::from_curl(text).unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/api/v3/order"));
        assert_eq!(r.query, "symbol=BTCUSDT&timestamp=1&signature=ab");
        assert_eq!(r.header("X-MBX-APIKEY"), Some("k"));
        assert_eq!(r.body, "newClientOrderId=a%20b");
    }

    #[test]
    fn powershell_as_chrome_copies_it() {
        let text = format!(
            "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\n\
             Invoke-WebRequest -UseBasicParsing -Uri \"{URL}\" `\n-Method \"POST\" `\n-WebSession $session `\n\
             -Headers @{{\n\"authority\"=\"api.binance.com\"\n  \"x-mbx-apikey\"=\"k\"\n  \"x-note\"=\"say `\"hi`\"\"\n}} `\n\
             -ContentType \"application/x-www-form-urlencoded\" `\n-Body \"quantity=1\""
        );
        assert!(is_powershell(&text));
        let r = RequestRecord::from_curl(&text).unwrap();
        assert_eq!(
            (r.method.as_str(), r.query.as_str()),
            ("POST", "symbol=BTCUSDT&timestamp=1&signature=ab")
        );
        assert_eq!(r.header("x-mbx-apikey"), Some("k"));
        assert_eq!(r.header("x-note"), Some("say \"hi\""));
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(r.body, "quantity=1");
        let irm = RequestRecord::from_curl("irm 'https://api.binance.com/api/v3/time'").unwrap();
        assert_eq!((irm.method.as_str(), irm.path.as_str()), ("GET", "/api/v3/time"));
    }

    #[test]
    fn fetch_as_chrome_copies_it() {
        let text = format!(
            "fetch(\"{URL}\", {{\n  \"headers\": {{\n    \"x-mbx-apikey\": \"k\"\n  }},\n  \"body\": \"a=1\",\n  \"method\": \"post\",\n  \"mode\": \"cors\"\n}});"
        );
        assert!(is_fetch(&text));
        let r = RequestRecord::from_curl(&text).unwrap();
        assert_eq!((r.method.as_str(), r.body.as_str()), ("POST", "a=1"));
        assert_eq!(r.header("X-MBX-APIKEY"), Some("k"));
        let get = RequestRecord::from_curl("await fetch('https://api.binance.com/api/v3/ping')").unwrap();
        assert_eq!((get.method.as_str(), get.path.as_str(), get.body.as_str()), ("GET", "/api/v3/ping", ""));
        let null_body = RequestRecord::from_curl(&format!("fetch(\"{URL}\", {{\"body\": null}})")).unwrap();
        assert_eq!(null_body.body, "");
    }

    #[test]
    fn broken_copies_are_errors_not_panics() {
        for text in [
            "fetch(",
            "fetch(\"https://x",
            "fetch(\"https://api.binance.com/\", {method: 'POST'})",
            "Invoke-WebRequest -Uri \"https://x",
            "Invoke-WebRequest -Headers @",
            "Invoke-WebRequest",
            "curl ^\"",
            "fetch(\"\\u12",
        ] {
            assert!(RequestRecord::from_curl(text).is_err(), "{text}");
        }
    }

    #[test]
    fn httpie_commands_are_read_with_its_defaults() {
        let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
        // Data fields: a JSON body by default, POST.
        let r = RequestRecord::from_curl(&format!(
            "http https://api.binance.com/api/v3/order X-MBX-APIKEY:{key} symbol=BTCUSDT quantity:=0.01 timestamp==1 signature==ab"
        ))
        .unwrap();
        assert_eq!((r.method.as_str(), r.query.as_str()), ("POST", "timestamp=1&signature=ab"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.body, r#"{"symbol":"BTCUSDT","quantity":0.01}"#);
        assert_eq!(r.header("x-mbx-apikey"), Some(key));
        // --form: a form body; a method given; xh's https shorthand without a scheme.
        let r = RequestRecord::from_curl(r"xhs --form DELETE api.binance.com/api/v3/order symbol=BTC\ USDT")
            .unwrap();
        assert_eq!((r.method.as_str(), r.body.as_str()), ("DELETE", "symbol=BTC%20USDT"));
        assert_eq!(r.host.as_deref(), Some("api.binance.com"));
        // Localhost shorthand, GET without data.
        let r = RequestRecord::from_curl("http :9900/api/v3/depth symbol==BTCUSDT").unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_str()),
            ("GET", "/api/v3/depth", "symbol=BTCUSDT")
        );
        assert!(RequestRecord::from_curl("http").is_err());
        assert!(RequestRecord::from_curl("http :9900/x a:=not-json").is_err());
    }
}
