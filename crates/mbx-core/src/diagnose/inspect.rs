//! Node.js's `util.inspect` of an object, as `console.log` prints it: names bare or quoted in
//! single quotes, strings in single quotes (a long one split into literals joined with `+`), a
//! class's name before its braces (`Object [AxiosHeaders] { ... }`, `ClientRequest { ... }`),
//! `<ref *1>`, `[Function: name]`, `[class Blob]`, `[Object: null prototype] { ... }` and `{ ... }`
//! for what it left out. Enough of it to read an `AxiosError`'s `config` (`super::logged`).

use super::copied::js_string;

/// A value as printed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Js {
    /// A string (its literals joined).
    Str(String),
    /// Anything else that is not an object or a list, as written: `20`, `undefined`, `null`,
    /// `[Function: transformRequest]`, `[Circular *1]`.
    Word(String),
    /// An object's members, in order.
    Object(Vec<(String, Js)>),
    /// A list's items.
    List(Vec<Js>),
}

impl Js {
    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Js> {
        match self {
            Js::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string, or of a number or boolean; `None` for `undefined`, `null`, objects,
    /// lists and the bracketed words.
    pub fn text(&self) -> Option<&str> {
        match self {
            Js::Str(s) => Some(s),
            Js::Word(w) if !matches!(w.as_str(), "undefined" | "null") && !w.starts_with('[') => Some(w),
            _ => None,
        }
    }

    /// The value as JSON (what `JSON.stringify` would give of it, near enough to read a body).
    pub fn json(&self) -> serde_json::Value {
        match self {
            Js::Str(s) => serde_json::Value::String(s.clone()),
            Js::Word(w) => serde_json::from_str(w).unwrap_or(serde_json::Value::Null),
            Js::Object(members) => {
                serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), v.json())).collect())
            }
            Js::List(items) => serde_json::Value::Array(items.iter().map(Js::json).collect()),
        }
    }
}

impl Js {
    /// The value as JSON text, objects' members in their order (a frame's params as written).
    pub fn json_text(&self) -> String {
        match self {
            Js::Str(s) => serde_json::Value::String(s.clone()).to_string(),
            Js::Word(w) => match serde_json::from_str::<serde_json::Value>(w) {
                Ok(v) => v.to_string(),
                Err(_) => "null".to_owned(),
            },
            // A member whose value is undefined is left out, as JSON.stringify (and axios, of a
            // request's params) leaves it out.
            Js::Object(members) => super::options::json_object(
                members
                    .iter()
                    .filter(|(_, v)| *v != Js::Word("undefined".into()))
                    .map(|(k, v)| (k.as_str(), v.json_text())),
            ),
            Js::List(items) => format!("[{}]", items.iter().map(Js::json_text).collect::<Vec<_>>().join(",")),
        }
    }
}

/// Objects nest no deeper than this in what is read (`console.log` itself stops at two levels).
const MAX_DEPTH: usize = 24;

/// The object printed from `s`'s first `{`; `None` when it cannot be read to its closing brace.
pub(super) fn object_at(s: &str) -> Option<Js> {
    object_span_at(s).map(|(object, _)| object)
}

/// The list printed from `s`'s first `[`; `None` when it cannot be read to its closing bracket.
pub(super) fn list_at(s: &str) -> Option<Js> {
    let at = s.find('[')?;
    let mut r = Reader { s, at, depth: 0 };
    r.list()
}

/// [`object_at`], with the text it was read from (its first `{` to its closing brace).
pub(super) fn object_span_at(s: &str) -> Option<(Js, &str)> {
    let at = s.find('{')?;
    let mut r = Reader { s, at, depth: 0 };
    let object = r.object()?;
    Some((object, &s[at..r.at]))
}

struct Reader<'s> {
    s: &'s str,
    at: usize,
    depth: usize,
}

impl<'s> Reader<'s> {
    fn rest(&self) -> &'s str {
        &self.s[self.at..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, prefix: &str) -> bool {
        if self.rest().starts_with(prefix) {
            self.at += prefix.len();
            true
        } else {
            false
        }
    }

    /// `{ name: value, ... }` from the `{` at the cursor.
    fn object(&mut self) -> Option<Js> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || !self.eat("{") {
            return None;
        }
        let mut members = Vec::new();
        loop {
            self.skip_space();
            if self.eat("}") {
                break;
            }
            if self.eat("...") {
                // `{ ... }` or `... 3 more items`: what was left out.
                self.skip_to_separator();
            } else {
                let name = self.name()?;
                self.skip_space();
                // A Map's or URLSearchParams' entry: `'symbol' => 'BNBUSDT'`.
                if !self.eat(":") && !self.eat("=>") {
                    return None;
                }
                let value = self.value()?;
                members.push((name, value));
            }
            self.skip_space();
            self.eat(",");
        }
        self.depth -= 1;
        Some(Js::Object(members))
    }

    /// `[ item, ... ]` from the `[` at the cursor.
    fn list(&mut self) -> Option<Js> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || !self.eat("[") {
            return None;
        }
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.eat("]") {
                break;
            }
            if self.eat("...") {
                self.skip_to_separator();
            } else {
                items.push(self.value()?);
            }
            self.skip_space();
            self.eat(",");
        }
        self.depth -= 1;
        Some(Js::List(items))
    }

    /// A member's name: bare, quoted, or a symbol's `[Symbol(kOutHeaders)]`.
    fn name(&mut self) -> Option<String> {
        let rest = self.rest();
        if rest.starts_with(['\'', '"']) {
            let (end, name) = js_string(rest)?;
            self.at += end;
            return Some(name);
        }
        if rest.starts_with('[') {
            let end = rest.find(']')? + 1;
            self.at += end;
            return Some(rest[..end].to_owned());
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len());
        (end > 0).then(|| {
            self.at += end;
            rest[..end].to_owned()
        })
    }

    fn value(&mut self) -> Option<Js> {
        self.skip_space();
        // `<ref *1> ClientRequest { ... }`: the marker of an object printed again further on.
        if self.rest().starts_with("<ref *") {
            self.at += self.rest().find('>')? + 1;
            self.skip_space();
        }
        let rest = self.rest();
        let first = rest.chars().next()?;
        if matches!(first, '\'' | '"' | '`') {
            return self.strings();
        }
        if first == '{' {
            return self.object();
        }
        if first == '[' {
            // `[Function: x]`, `[class Blob]`, `[Circular *1]`, `[Object: null prototype] {...}`,
            // `[Getter]`: a bracketed word (then an object, for the null prototype); else a list.
            if rest[1..].starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_lowercase()) {
                let end = rest.find(']')? + 1;
                let word = rest[..end].to_owned();
                self.at += end;
                return self.class_body().unwrap_or(Some(Js::Word(word)));
            }
            return self.list();
        }
        // A number, `undefined`, `null`, `true`, or a class's name before its object or list
        // (`Object [AxiosHeaders] {`, `ClientRequest {`, `Buffer(3) [Uint8Array] [`).
        let end = rest.find([',', '}', ']', '\n', '{', '[']).unwrap_or(rest.len());
        // No value where one belongs (`[ {...} }`, `a: ,`): not a print this reads (a list or an
        // object would otherwise wait for its close forever).
        if end == 0 {
            return None;
        }
        let word = rest[..end].trim_end().to_owned();
        self.at += end;
        if rest[end..].starts_with(['{', '[']) {
            // `Object [AxiosHeaders] {`: the bracket belongs to the class's name.
            if rest[end..].starts_with('[') && !word.is_empty() {
                let close = rest[end..].find(']')? + 1;
                self.at += close;
            }
            if let Some(body) = self.class_body() {
                // URLSearchParams' entries: the form text it sends as a body.
                if word == "URLSearchParams"
                    && let Some(Js::Object(members)) = &body
                {
                    let plus = super::search::quote_plus;
                    let form: Vec<String> = members
                        .iter()
                        .map(|(k, v)| format!("{}={}", plus(k), plus(v.text().unwrap_or_default())))
                        .collect();
                    return Some(Js::Str(form.join("&")));
                }
                return body;
            }
        }
        // Python's dict print: its words for true, false and null.
        let word = match word.as_str() {
            "True" => "true".to_owned(),
            "False" => "false".to_owned(),
            "None" => "null".to_owned(),
            _ => word,
        };
        Some(Js::Word(word))
    }

    /// The object or list after a class's name, when one follows on the same line.
    fn class_body(&mut self) -> Option<Option<Js>> {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let skipped = rest.len() - trimmed.len();
        if trimmed.starts_with('{') {
            self.at += skipped;
            return Some(self.object());
        }
        if trimmed.starts_with("[ ") || trimmed.starts_with("[]") || trimmed.starts_with("[\n") {
            self.at += skipped;
            return Some(self.list());
        }
        None
    }

    /// String literals joined with `+`.
    fn strings(&mut self) -> Option<Js> {
        let mut out = String::new();
        loop {
            let (end, text) = js_string(self.rest())?;
            out.push_str(&text);
            self.at += end;
            let rest = self.rest();
            let trimmed = rest.trim_start();
            match trimmed.strip_prefix('+') {
                Some(more) => self.at += rest.len() - more.trim_start().len(),
                None => return Some(Js::Str(out)),
            }
        }
    }

    /// Past the rest of an elision (`... 3 more items`), up to a `,` or closing bracket.
    fn skip_to_separator(&mut self) {
        let rest = self.rest();
        self.at += rest.find([',', '}', ']']).unwrap_or(rest.len());
    }
}

/// How axios writes a parameter's name or value into the query (`buildURL`): `encodeURIComponent`,
/// then `:`, `$`, `,`, `[` and `]` put back as they were and a space as `+`.
pub(super) fn axios_param(s: &str) -> String {
    let mut out = String::new();
    crate::encode::percent_encode_into(s, &mut out);
    // percent_encode_into leaves only A-Z a-z 0-9 - _ . ~ bare; encodeURIComponent also leaves
    // ! ' ( ) * bare.
    out.replace("%21", "!")
        .replace("%27", "'")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%2A", "*")
        .replace("%3A", ":")
        .replace("%24", "$")
        .replace("%2C", ",")
        .replace("%20", "+")
        .replace("%5B", "[")
        .replace("%5D", "]")
}

/// An axios config's `params` as the query axios sends: each member that has a value, in order;
/// a list as `name[]=item` for each item.
pub(super) fn axios_query(params: &Js) -> String {
    let Js::Object(members) = params else { return String::new() };
    let mut pairs = Vec::new();
    for (name, value) in members {
        match value {
            Js::List(items) => {
                for item in items.iter().filter_map(Js::text) {
                    pairs.push(format!("{}={}", axios_param(&format!("{name}[]")), axios_param(item)));
                }
            }
            Js::Object(_) => {
                pairs.push(format!("{}={}", axios_param(name), axios_param(&value.json().to_string())))
            }
            other => {
                if let Some(text) = other.text() {
                    pairs.push(format!("{}={}", axios_param(name), axios_param(text)));
                }
            }
        }
    }
    pairs.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_axios_config_is_read_with_its_classes_and_elisions() {
        let text = "AxiosError: Request failed\n    at settle (x.js:1:2) {\n  code: 'ERR_BAD_REQUEST',\n  config: {\n    transitional: { silentJSONParsing: true },\n    adapter: [ 'xhr', 'http' ],\n    transformRequest: [ [Function: transformRequest] ],\n    env: { FormData: [Function], Blob: [class Blob] },\n    headers: Object [AxiosHeaders] {\n      Accept: 'application/json, text/plain, */*',\n      'Content-Type': undefined,\n      'X-MBX-APIKEY': 'abc'\n    },\n    method: 'post',\n    url: 'https://api.binance.com/api/v3/order',\n    params: { symbol: 'BTCUSDT', quantity: 0.5, note: 'a b:c', ids: [ 1, 2 ] },\n    data: 'a=1&' +\n      'b=2'\n  },\n  request: <ref *1> ClientRequest {\n    _events: [Object: null prototype] {},\n    [Symbol(kOutHeaders)]: [Object: null prototype] { host: [ 'Host', 'x' ] }\n  },\n  response: { status: 400, config: { ... }, data: { code: -1022, msg: 'x' } }\n}";
        let at = text.find("config: {").unwrap();
        let config = object_at(&text[at..]).unwrap();
        let headers = config.get("headers").unwrap();
        assert_eq!(headers.get("X-MBX-APIKEY").and_then(Js::text), Some("abc"));
        assert_eq!(headers.get("Content-Type").and_then(Js::text), None);
        assert_eq!(config.get("method").and_then(Js::text), Some("post"));
        assert_eq!(config.get("data").and_then(Js::text), Some("a=1&b=2"));
        assert_eq!(
            axios_query(config.get("params").unwrap()),
            "symbol=BTCUSDT&quantity=0.5&note=a+b:c&ids[]=1&ids[]=2"
        );
        // The whole error reads too, to the response's answer.
        let whole = object_at(text).unwrap();
        let answer = whole.get("response").and_then(|r| r.get("data")).unwrap();
        assert_eq!(answer.json()["code"], -1022);
    }

    #[test]
    fn text_that_is_not_an_object_is_not_read() {
        assert_eq!(object_at("no braces"), None);
        assert_eq!(object_at("{ a: 'unterminated }"), None);
        assert_eq!(object_at("{ a: [ {b: 1} } ]"), None);
        assert_eq!(object_at("{ a: , b: 1 }"), None);
        assert_eq!(object_at(&format!("{}{}", "{ a: ".repeat(40), "1")), None);
    }
}
