//! `multipart/form-data` bodies, which Binance does not read: what `curl -F`, a PHP array given to
//! `CURLOPT_POSTFIELDS`, JavaScript's `FormData`, Python requests' `files=` and Postman's form-data
//! body send. The doctor reads the fields back out of such a body to name them and to tell whether
//! they would be accepted sent as a form; `curl -F` and a HAR's `postData.params` are turned into one.

/// The boundary of a body built here (curl's form: dashes, then 16 hex digits).
const BOUNDARY: &str = "------------------------d0c70r0000000000";

/// The `Content-Type` of a body built by [`encode`].
pub(crate) fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A `multipart/form-data` body holding `fields`, as an HTTP client writes it (CRLF line ends).
pub(crate) fn encode<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body
}

/// The fields of `body` when `content_type` is `multipart/form-data` with a boundary found in the
/// body: (name, value) in order, a file part's value being its content. `None` for any other body.
/// Lenient as a reader of logs must be: bare `\n` line ends, a missing closing delimiter.
pub(crate) fn fields(content_type: &str, body: &str) -> Option<Vec<(String, String)>> {
    let kind = "multipart/form-data";
    if !content_type.trim_start().get(..kind.len()).is_some_and(|t| t.eq_ignore_ascii_case(kind)) {
        return None;
    }
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("boundary=")? + "boundary=".len();
    let boundary = content_type[at..].split(';').next()?.trim().trim_matches('"');
    if boundary.is_empty() {
        return None;
    }
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    // Each part follows a delimiter line: headers, a blank line, the value up to the next one.
    for part in body.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let part = part.strip_prefix("\r\n").or_else(|| part.strip_prefix('\n')).unwrap_or(part);
        let (head, value) =
            part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n")).unwrap_or((part, ""));
        let value = value.strip_suffix("\r\n").or_else(|| value.strip_suffix('\n')).unwrap_or(value);
        let name = head.lines().find_map(|line| {
            let (key, rest) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case("content-disposition").then(|| disposition_name(rest))?
        });
        if let Some(name) = name {
            out.push((name, value.to_owned()));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The `name="..."` of a `Content-Disposition` header's value.
fn disposition_name(value: &str) -> Option<String> {
    value.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("name")).then(|| v.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_fields_read_back() {
        let body = encode([("symbol", "BTCUSDT"), ("timestamp", "1")]);
        let got = fields(&content_type(), &body).unwrap();
        assert_eq!(got, vec![("symbol".into(), "BTCUSDT".into()), ("timestamp".into(), "1".into())]);
    }

    #[test]
    fn reads_bare_newlines_quoted_boundary_and_file_parts() {
        let body = "--xyz\nContent-Disposition: form-data; name=\"side\"\n\nBUY\n--xyz\n\
                    Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\nContent-Type: text/plain\n\nhi\n--xyz--\n";
        let got = fields("Multipart/Form-Data; boundary=\"xyz\"", body).unwrap();
        assert_eq!(got, vec![("side".into(), "BUY".into()), ("f".into(), "hi".into())]);
    }

    #[test]
    fn other_bodies_are_not_multipart() {
        assert_eq!(fields("application/x-www-form-urlencoded", "a=b"), None);
        assert_eq!(fields("multipart/form-data", "a=b"), None);
        assert_eq!(fields("multipart/form-data; boundary=q", "no parts here"), None);
        assert_eq!(fields("multipart/form-data; boundary=", ""), None);
    }
}
