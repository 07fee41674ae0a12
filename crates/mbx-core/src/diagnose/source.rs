//! Slips read from a program's source, for a text that shows the code but not the request it sent
//! (a forum post: the code and Binance's error). Each rule looks for one of the mistakes the
//! diagnosis otherwise finds in the request itself, written as programs in the common languages
//! write it; what it finds is Likely, never Certain (the request would tell). The slips come in the
//! order Binance checks ([`crate::accept::Stage`]).
//!
//! | slip | the code |
//! |---|---|
//! | `signed-json` | a JSON serialization (`json.dumps`, `JSON.stringify`, `jsonEncode`, ...) flows into the HMAC |
//! | `signed-before-timestamp` | `params['signature'] = ...`, then `params['timestamp'] = ...` |
//! | `json-body` | the parameters sent as JSON (`requests.post(..., json=...)`, `body: JSON.stringify(...)`) |
//! | `timestamp-seconds` | a clock read in seconds (`int(time.time())`, `time.Now().Unix()`, `date +%s`) used as the timestamp |
//! | `key-as-parameter` | `apiKey` / `api_key` among the parameters |
//! | `secret-base64-decoded` | the secret base64-decoded before it keys the HMAC |
//! | `signature-base64-for-hmac` | the HMAC written in base64 |
//! | `signed-plain-hash` | SHA-256 of the payload and the secret, no HMAC |
//! | `signed-trailing-newline` | `echo "$query" \| openssl dgst` (echo adds a newline) |
//! | `signed-sorted-params` | the text signed is sorted by name (`sorted(`, `ksort`, a `TreeMap`, Go's `url.Values.Encode`), the request sent from the parameters in their written order |
//! | `signed-unencoded` | the text signed is joined by hand (`"&".join(...)`) while a library encodes what it sends, and a value needs encoding |
//! | `signature-url-safe-base64` | the signature written in URL-safe base64 (`'base64url'`, `urlsafe_b64encode`, `getUrlEncoder`) |
//! | `signature-not-bare` | the signature written in base64 broken into lines (`openssl base64` without `-A`, `Base64.encode64`) |

mod idioms;

use super::finding::Cause;
use crate::accept;
use crate::time::RecvWindow;
use crate::{ApiError, ErrorCode};

/// One slip the source shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSlip {
    /// The mistake.
    pub cause: Cause,
    /// What Binance answers to it.
    pub error: ApiError,
    /// The finding's title.
    pub title: String,
    /// The line of code that shows it.
    pub line: String,
    /// How to fix it.
    pub fix: String,
    /// What Binance answers when it is no `{"code","msg"}` but an HTTP status (405 for a method
    /// the path does not take); `None` when [`SourceSlip::error`] is the answer.
    pub verdict: Option<super::Verdict>,
}

/// JSON serializations, as the common languages call them.
const JSON_CALLS: &[&str] = &[
    "json.dumps(",
    "JSON.stringify(",
    "jsonEncode(",
    "json.Marshal(",
    "JsonConvert.SerializeObject(",
    "JsonSerializer.Serialize(",
    "json_encode(",
    ".to_json",
    "JSON.generate(",
    // kotlinx.serialization's `Json.encodeToString` (not Base64's `encodeToString`).
    "son.encodeToString(",
    "toJson(",
    // Scala's circe (`params.asJson.noSpaces`).
    ".asJson",
    "writeValueAsString(",
    "serde_json::to_string(",
    "Jason.encode",
    "json.encode(",
    "toJSON(",
];

/// Decodings of a secret (base64, hex), as the common languages call them (lower case).
const DECODES: &[&str] = &[
    "b64decode(",
    "frombase64string(",
    "base64_decode(",
    "base64.decode",
    "atob(",
    "decodebase64(",
    "decode64",
    "hex.decodestring(",
    "unhexlify(",
    "fromhex(",
    "hex::decode(",
];

/// Base64 encodings, as the common languages call them (lower case).
const ENCODES: &[&str] = &[
    "b64encode(",
    "tobase64string(",
    "digest('base64')",
    "digest(\"base64\")",
    "base64_encode(",
    "base64.encode",
    "base64.getencoder",
    "base64encodedstring",
    "base64encode(",
    "enc.base64",
    "bin.base64",
    "encode64",
    "base64.stdencoding",
    "btoa(",
];

/// Plain SHA-256 calls (lower case).
const PLAIN_HASHES: &[&str] = &[
    "sha256(",
    "hash('sha256'",
    "hash(\"sha256\"",
    "sha256.sum256(",
    "createhash('sha256')",
    "sha256_hex(",
    "sha256.new(",
    // Dart's crypto (its HMAC is `Hmac(sha256, key).convert(...)`), Java's MessageDigest.
    "sha256.convert(",
    "getinstance(\"sha-256\")",
];

/// Clock reads in seconds (with what must not follow them for the read to stay in seconds).
/// Clocks read finer than Binance's units, as their calls are written: nanoseconds (Go's
/// `UnixNano()`, Python's `time_ns()`, Java's `System.nanoTime()` (not even since 1970), Node's
/// `hrtime`) and .NET's ticks.
const FINE_CLOCKS: [&str; 10] = [
    ".UnixNano()",
    "time_ns()",
    "System.nanoTime()",
    "hrtime",
    ".Ticks",
    "Stopwatch.GetTimestamp()",
    "date +%s%N",
    // C++'s system clock counted in its own period (nanoseconds with libstdc++), not cast to
    // milliseconds (`duration_cast<milliseconds>(now.time_since_epoch()).count()` is).
    "time_since_epoch().count()",
    // Elixir's clock without a unit: the native one (nanoseconds on Linux).
    "System.os_time()",
    "System.system_time()",
];

const SECONDS_CALLS: &[(&str, &[&str])] = &[
    ("int(time.time())", &["*"]),
    // Python's clock in seconds, a float (`ts = time.time()`, then `str(int(ts))`).
    ("time.time()", &["*"]),
    ("round(time.time())", &["*"]),
    ("Date.now() / 1000", &[]),
    ("Date.now()/1000", &[]),
    ("getTime() / 1000", &[]),
    ("getTime()/1000", &[]),
    ("time.Now().Unix()", &[]),
    ("ToUnixTimeSeconds()", &[]),
    ("date +%s", &["%3N", "%N", "000"]),
    // zsh's clock variable (`$EPOCHREALTIME` has microseconds: not this one).
    ("$EPOCHSECONDS", &["000"]),
    ("Time.now.to_i", &["*"]),
    ("getEpochSecond()", &["*"]),
    ("currentTimeMillis() / 1000", &[]),
    ("currentTimeMillis()/1000", &[]),
    ("os.time()", &["*"]),
    ("time()", &["*", "micro"]),
    ("datetime.now().timestamp())", &["*"]),
    ("datetime.utcnow().timestamp())", &["*"]),
    (".as_secs()", &["*"]),
    ("timeIntervalSince1970)", &["*"]),
    (".epochSecond", &["*"]),
    ("as.numeric(Sys.time())", &["*"]),
    ("system_time(:second", &[]),
    ("DateDiff(\"s\"", &["*"]),
    ("DateTime.to_unix(", &[":millisecond", ":microsecond", ":nanosecond"]),
    ("os_time(:second", &[]),
    ("system_time(second)", &[]),
    ("time(NULL)", &["*"]),
    ("time(nullptr)", &["*"]),
];

/// Sorting calls and sorted containers, lower case: the text built through them is in order by
/// name. (Go's `url.Values.Encode`, which also sorts, is matched in its own case: [`sorts`].)
const SORTS: &[&str] = &[
    "sorted(",
    ".sort(",
    "ksort(",
    "treemap",
    "sorteddictionary",
    "sortedmap",
    "sortedmapof",
    ".orderby(",
    "sort.strings(",
    "sort.slice(",
    "btreemap",
    ".sorted(",
    ".sortby(",
    ".sortedby(",
    "enum.sort",
    "sort_by",
];

/// A query string joined by hand, lower case (no percent-encoding on the way).
const MANUAL_JOINS: &[&str] = &[
    "\"&\".join(",
    "'&'.join(",
    ".join('&')",
    ".join(\"&\")",
    "implode('&'",
    "implode(\"&\"",
    "strings.join(",
    "string.join(\"&\"",
    ".jointostring(\"&\")",
    ".mkstring(\"&\")",
    "join(\"&\",",
];

/// Percent-encoders, lower case: a text built through one is encoded (and Go's `url.Values.Encode`,
/// in its own case).
const URL_ENCODES: &[&str] = &[
    "urlencode",
    "quote(",
    "quote_plus(",
    "queryescape(",
    "encodeuricomponent",
    "urlsearchparams",
    "http_build_query",
    "urlencoder",
    "escape(",
    "uri.encode",
    "querystring",
    "qs.stringify",
    "encode_query",
];

/// The slips `text` shows, in the order Binance checks (at most one per rule).
pub fn read(text: &str) -> Vec<SourceSlip> {
    let joined = joined_lines(text);
    let lines: Vec<&str> = joined.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    if let Some(line) = json_signed(&lines) {
        out.push(slip(
            Cause::SignedJson,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs a JSON serialization of the parameters; Binance signs the query string",
            line,
            "Sign the query string you send (name=value pairs joined with '&', percent-encoded, timestamp included), not JSON: urlencode(params) in Python, new URLSearchParams(params).toString() in JavaScript, Uri(queryParameters: params).query in Dart.",
        ));
    }
    if let Some(line) = signed_before_timestamp(&lines) {
        // The signing function puts a timestamp of its own into what it signs: the time is read
        // twice, and the two agree only when both reads fall in the same millisecond.
        if signer_reads_timestamp(&lines, line) {
            out.push(slip(
                Cause::SignedOtherTimestamp,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                "your code reads the time twice: the signing function signs a timestamp of its own, and the caller then sends another one",
                line,
                "Read the time once: put timestamp into the parameters, sign those very parameters, and send them as they were signed (no second timestamp).",
            ));
        } else {
            out.push(slip(
                Cause::SignedBeforeTimestamp,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                "your code sets the signature before it adds timestamp to the parameters",
                line,
                "Add timestamp (and recvWindow) first, then sign the complete query string, then append the signature last.",
            ));
        }
    }
    if let Some((cause, line)) = signed_joined_otherwise(&lines) {
        let (title, fix) = if cause == Cause::SignedQuotedValues {
            (
                "your code writes the values it signs with Rust's {:?}, which puts quotes around each one",
                "Write the values with {} (Display), not {:?} (Debug): format!(\"{}={}\", k, v); better, build the query once with serde_urlencoded or url's form_urlencoded and sign that string.",
            )
        } else {
            (
                "your code joins the pairs it signs with another separator than '&'",
                "Join the name=value pairs with '&' (joinToString(\"&\"), join('&')), the same text you send; sign that exact string.",
            )
        };
        out.push(slip(cause, ApiError::new(ErrorCode::INVALID_SIGNATURE), title, line, fix));
    }
    if let Some(line) = hmac_not_reset(&lines) {
        out.push(slip(
            Cause::HmacNotReset,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code makes one HMAC for the whole program and writes every request's text into it: from the second request on it signs the texts of all requests before",
            line,
            "Make a new HMAC for each signature (hmac.New inside the function), or call mac.Reset() before writing the next text.",
        ));
    }
    if let Some((cause, line)) = hmac_key_sizeof(&lines) {
        let title = if cause == Cause::SecretTruncated {
            "your code gives the HMAC sizeof of a char pointer as the secret's length: 8 bytes of the secret, not all of it"
        } else {
            "your code gives the HMAC sizeof of the secret's array: its text and the NUL that ends it"
        };
        out.push(slip(
            cause,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            title,
            line,
            "Pass the secret's length in characters: strlen(secret) (or secret.size() of a std::string), not sizeof.",
        ));
    }
    if let Some(line) = none_signed_then_dropped(&lines) {
        out.push(slip(
            Cause::SignedDroppedParam,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs a parameter whose value can be None (urlencode writes it as 'None'), which requests leaves out of the request it sends",
            line,
            "Leave out the parameters that are None before signing: params = {k: v for k, v in params.items() if v is not None}; then sign urlencode(params) and send the same params.",
        ));
    }
    if let Some(line) = sent_sorted(&lines) {
        out.push(slip(
            Cause::SentSortedParams,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs the parameters in the order it writes them, but sends them sorted by name (url.Values.Encode sorts)",
            line,
            "Sign the exact text you send: build the query string once (q := v.Encode()), sign q, and send q + \"&signature=\" + sig.",
        ));
    }
    if let Some((cause, line)) = hash_map_orders(&lines) {
        let title = match cause {
            Cause::SignedHashMapOrder => {
                "your code signs the parameters in a hash map's order, but writes the request in another"
            }
            Cause::SignedOtherOrder => {
                "your code walks a hash map to sign the parameters and sends them from a hash map again, in an order of its own"
            }
            _ => {
                "your code puts the signature into a hash map that it sends: the map puts the parameters and the signature in an order of its own"
            }
        };
        out.push(slip(
            cause,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            title,
            line,
            "Keep the parameters in an ordered list (LinkedHashMap, IndexMap, a slice or vector of pairs), build the query string from it once, sign that text, and send it with &signature=... appended last.",
        ));
    }
    if let Some(line) = signed_map_printed(&lines) {
        out.push(slip(
            Cause::SignedDictRepr,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs a map's own printing ({symbol=..., ...}), not the query string",
            line,
            "Sign the query string you send: the name=value pairs joined with '&' (params.map { \"${it.key}=${it.value}\" }.joinToString(\"&\") in Kotlin, urlencode(params) in Python).",
        ));
    }
    if let Some(line) = signature_in_sorted_container(&lines) {
        out.push(slip(
            Cause::SignatureNotLast,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code puts the signature into a container that writes its entries sorted by name, so the request sends it among the parameters, where Binance does not take it",
            line,
            "Build the query string, sign it, then append &signature=<signature> to that string last (Go: q := v.Encode(); url + \"?\" + q + \"&signature=\" + sig), rather than adding the signature to url.Values, a BTreeMap or a TreeMap that is encoded afterwards.",
        ));
    }
    if let Some((line, name, changed)) = signed_then_extended(&lines)
        && !out.iter().any(|s: &SourceSlip| {
            matches!(s.cause, Cause::SignedBeforeTimestamp | Cause::SignedOtherTimestamp)
        })
    {
        // A name already among those signed is given another value (`params["quantity"] =
        // f"{qty:.5f}"` after signing the float): what is signed is not what is sent.
        let cause = match name {
            "timestamp" if changed => Cause::SignedOtherTimestamp,
            _ if changed => Cause::SignedOtherValueText,
            "timestamp" => Cause::SignedBeforeTimestamp,
            "recvWindow" => Cause::SignedBeforeRecvWindow,
            _ => Cause::SignedBeforeParam,
        };
        let title = if changed {
            format!(
                "your code gives {name} another value after it signed the parameters: the value signed is not the value sent"
            )
        } else {
            format!("your code adds {name} to the parameters after it signed them")
        };
        out.push(slip(
            cause,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            &title,
            line,
            "Add every parameter first (recvWindow included) and write each value as it will be sent, then sign the complete query string, then append the signature last.",
        ));
    }
    if let Some(line) = json_sent(&lines) {
        out.push(slip(
            Cause::JsonBody,
            ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
            "your code sends the parameters as a JSON body, which Binance does not read",
            line,
            "Send the parameters as a query string or an application/x-www-form-urlencoded body (requests: params= or data=, not json=; axios: a URLSearchParams or a query string, not an object).",
        ));
    }
    if let Some(line) = hmac_keyed_with_payload(&lines) {
        out.push(slip(
            Cause::HmacArgumentsSwapped,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code keys the HMAC with the payload and hashes the secret: the two arguments are swapped",
            line,
            "Key the HMAC with the secret and hash the payload: hmac.new(secret.encode(), payload.encode(), hashlib.sha256) in Python, crypto.createHmac('sha256', secret).update(payload) in Node.js, hash_hmac('sha256', $payload, $secret) in PHP, OpenSSL::HMAC.hexdigest('SHA256', secret, payload) in Ruby.",
        ));
    }
    if let Some(line) = get_with_body_option(&lines) {
        out.push(slip(
            Cause::GetWithBody,
            ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
            "your code gives a GET request a body: Binance reads only the query string of a GET",
            line,
            "Put the parameters (signature last) in the URL's query string for a GET: `${url}?${qs}&signature=${sig}`; a body is read only for POST, PUT and DELETE.",
        ));
    }
    if let Some(line) = signature_added_twice(&lines) {
        out.push(slip(
            Cause::SignatureDuplicated,
            ApiError::with_args(ErrorCode::TOO_MANY_PARAMETERS, 2, &[]),
            "your code adds a second signature to parameters that hold one already (append, where set replaces)",
            line,
            "Add the signature once, last: params.set(\"signature\", sig) (URLSearchParams' append adds another), or build the parameters anew for each request.",
        ));
    }
    // Code that signs its requests and never names timestamp: every signed request needs one.
    // (Only where the code writes the parameters it signs: a fragment that signs a `$Q` built
    // elsewhere shows nothing of them.)
    if builds_signed(text)
        && !text.to_ascii_lowercase().contains("timestamp")
        && !written_names(&lines, lines.len()).is_empty()
        && let Some(line) = lines.iter().copied().filter(|l| is_code(l)).find(|l| l.contains("signature="))
    {
        out.push(slip(
            Cause::TimestampMissing,
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["timestamp"]),
            "your code signs its requests but never adds timestamp, which every signed request carries",
            line,
            "Add timestamp (milliseconds since 1970: System.currentTimeMillis(), Date.now(), int(time.time() * 1000)) to the parameters before signing them.",
        ));
    }
    // A query that holds its signature already, sent with `&signature=` appended again
    // (`QUERY="$QUERY&signature=$SIG"`, then `"$URL?$QUERY&signature=$SIG"`).
    let signed_vars: Vec<&str> =
        lines.iter().filter(|l| l.contains("&signature=")).filter_map(|l| assigned(l.trim_start())).collect();
    if let Some(line) = lines.iter().copied().find(|l| {
        signed_vars.iter().any(|v| {
            [format!("${v}&signature="), format!("${{{v}}}&signature="), format!("{{{v}}}&signature=")]
                .iter()
                .any(|w| l.contains(w.as_str()))
        })
    }) {
        out.push(slip(
            Cause::SignatureDuplicated,
            ApiError::with_args(ErrorCode::TOO_MANY_PARAMETERS, 2, &[]),
            "your code appends &signature= to a query that holds its signature already: the request carries two",
            line,
            "Append the signature once: keep the query without it in one variable, and build the URL as \"$URL?$QUERY&signature=$SIG\" from that.",
        ));
    }
    if let Some((cause, line)) = body_unread_by_library(&lines) {
        let (title, fix) = match cause {
            Cause::JsonBody => (
                "your code sends the parameters as a JSON body (this library's option for it), which Binance does not read",
                "Send the parameters as a query string or an application/x-www-form-urlencoded body, and sign exactly that text: got and ky: searchParams or body: new URLSearchParams(...), not json:; superagent: .type('form') before .send(params); .NET: FormUrlEncodedContent, not a JSON StringContent.",
            ),
            _ => (
                "your code sends the parameters as multipart/form-data parts (this library's option for it), which Binance does not read",
                "Send the parameters as an application/x-www-form-urlencoded body or a query string, and sign exactly that text: pycurl: POSTFIELDS with urlencode(params), not HTTPPOST or MIMEPOST; urllib3: request(..., body=urlencode(params), headers={'Content-Type': 'application/x-www-form-urlencoded'}) or encode_multipart=False; needle: leave multipart off.",
            ),
        };
        if !out.iter().any(|s: &SourceSlip| s.cause == cause) {
            out.push(slip(
                cause,
                ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
                title,
                line,
                fix,
            ));
        }
    }
    if let Some(line) = php_array_postfields(&lines) {
        out.push(slip(
            Cause::BodyMultipart,
            ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
            "your code gives CURLOPT_POSTFIELDS a PHP array, which curl sends as multipart/form-data parts; Binance reads only a query string or a form body",
            line,
            "Give CURLOPT_POSTFIELDS the string you signed (http_build_query($params) with &signature=... appended), not the array.",
        ));
    }
    if let Some(line) = seconds_timestamp(&lines) {
        out.push(slip(
            Cause::TimestampSeconds,
            ApiError::new(ErrorCode::INVALID_TIMESTAMP),
            "your code takes the timestamp in seconds; Binance expects milliseconds",
            line,
            "Use milliseconds since 1970: int(time.time() * 1000) in Python, Date.now() in JavaScript, time.Now().UnixMilli() in Go, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() in .NET, $(date +%s%3N) in bash.",
        ));
    }
    // The local time counted as UTC from 1970: .NET's `DateTime.Now - new DateTime(1970, 1, 1)`,
    // Java's `LocalDateTime.now().toEpochSecond(ZoneOffset.UTC)`, Python's
    // `time.mktime(datetime.utcnow().timetuple())` or `datetime.now().replace(tzinfo=timezone.utc)`:
    // off by the machine's UTC offset.
    if let Some(line) = lines.iter().copied().filter(|l| is_code(l)).find(|l| {
        let c = l.replace(' ', "");
        let dotnet = c.contains("DateTime.Now")
            && !c.contains("DateTime.UtcNow")
            && !c.contains("DateTimeOffset.Now")
            && (c.contains("1970") || c.contains("UnixEpoch"));
        let java = c.contains("LocalDateTime.now()") && c.contains("ZoneOffset.UTC");
        let python = (c.contains("mktime(") && c.contains("utcnow()"))
            || (c.contains("datetime.now()") && c.contains("tzinfo=timezone.utc"));
        dotnet || java || python
    }) {
        out.push(slip(
            Cause::TimestampTimeZone,
            ApiError::new(ErrorCode::INVALID_TIMESTAMP),
            "your code counts the machine's local time as if it were UTC: the timestamp is off by the time zone's offset",
            line,
            "Take the time in UTC: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() in .NET, System.currentTimeMillis() or Instant.now().toEpochMilli() in Java, int(time.time() * 1000) in Python.",
        ));
    }
    // A clock read in nanoseconds or .NET ticks (100 ns since year 1) as the timestamp.
    // Not divided down to milliseconds on the line (`time.time_ns() // 1_000_000`,
    // `UnixNano() / int64(time.Millisecond)`).
    let fine = |l: &str| {
        FINE_CLOCKS.iter().any(|c| {
            l.find(c).is_some_and(|at| {
                let rest = &l[at + c.len()..];
                !rest.contains('/') && !rest.contains("Milli") && !rest.contains("div")
            })
        })
    };
    // Or through a variable (`TS=$(date +%s%N)`, then `...&timestamp=$TS`).
    let from_fine = tainted(&lines, fine);
    if let Some(line) = lines.iter().copied().find(|l| {
        let timestamp =
            l.to_ascii_lowercase().contains("timestamp") || l.contains("ts =") || l.contains("ts :=");
        timestamp && (fine(l) || from_fine.iter().any(|t| names(l, t)))
    }) {
        out.push(slip(
            Cause::TimestampNanoseconds,
            ApiError::new(ErrorCode::INVALID_TIMESTAMP),
            "your code takes the timestamp from a clock in nanoseconds or .NET ticks; Binance expects milliseconds since 1970 (or microseconds)",
            line,
            "Use milliseconds since 1970: time.Now().UnixMilli() in Go, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() in .NET (not DateTime.Ticks), time.time_ns() // 1_000_000 in Python, System.currentTimeMillis() in Java.",
        ));
    }
    // GNU date's `%N` (`date +%s%3N`): macOS's and BusyBox's date do not know it and print it as
    // written (`17965912513N`). Only where the text shows Binance refusing the timestamp's
    // characters, or the letter in a timestamp: with GNU date the same line is right.
    let gnu_millis =
        |l: &str| l.contains("date +%s%3N") || l.contains("date +%s%N") || l.contains("date '+%s%3N'");
    // Binance's -1100 names the parameter where it can (`parameter 'newClientOrderId'`): another
    // one's is another slip.
    let names_other =
        text.match_indices("parameter '").any(|(at, m)| !text[at + m.len()..].starts_with("timestamp'"));
    let refused = (text.contains("-1100")
        || text.contains("-1102") && text.contains("parameter 'timestamp'"))
        && !names_other
        || text.match_indices("timestamp=").any(|(at, m)| {
            let value: String =
                text[at + m.len()..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            value.starts_with(|c: char| c.is_ascii_digit()) && value.ends_with('N')
        });
    if refused && let Some(line) = lines.iter().copied().find(|l| gnu_millis(l)) {
        out.push(slip(
            Cause::TimestampMalformed,
            ApiError::new(ErrorCode::ILLEGAL_CHARS),
            "your script takes the timestamp with date +%s%3N, but %N is GNU date's alone: macOS's and BusyBox's (Alpine's) date print it as written, so the timestamp ends in 3N instead of milliseconds",
            line,
            "Take milliseconds another way: $(($(date +%s) * 1000)) works with every date (to the second), or use GNU date (gdate from coreutils on macOS, apk add coreutils on Alpine), python3 -c 'import time; print(int(time.time()*1000))', or perl -MTime::HiRes=time -e 'printf \"%d\", time*1000'.",
        ));
    }
    if let Some(line) = base64_signature_unencoded(&lines) {
        out.push(slip(
            Cause::SignaturePlusNotEncoded,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code puts the base64 signature into the request as it is: a '+' in it (in most Ed25519 and RSA signatures) reads as a space to Binance, so the signature fails whenever it holds one",
            line,
            "Percent-encode the signature ('+' as %2B, '/' as %2F, '=' as %3D): curl --data-urlencode \"signature=$SIG\" (with -G for a GET), jq -rn --arg s \"$SIG\" '$s|@uri', urllib.parse.quote(sig, safe='') in Python, encodeURIComponent(sig) in JavaScript.",
        ));
    }
    // A quantity or price given as a float literal small enough that the language writes it with
    // an exponent when the library turns it into text: Python's str() below 0.0001 (`1e-05`),
    // JavaScript's below 0.000001 (`1e-7`). Binance refuses the exponent (-1100).
    if let Some((line, name, shown)) = float_written_with_exponent(&lines) {
        out.push(slip(
            Cause::ParamMalformed,
            ApiError::new(ErrorCode::ILLEGAL_CHARS),
            &format!("your code gives {name} as a float that the language writes with an exponent ({shown}) when the library turns it into text; Binance refuses the exponent"),
            line,
            "Give decimals as strings written out: f\"{q:.8f}\" or str(Decimal(...)) in Python, q.toFixed(8) in JavaScript (then trim the zeros if you like).",
        ));
    }
    // python-binance signs its parameters joined as written (`k=v` pairs, unencoded) and then
    // hands them to requests, which percent-encodes them: a value that encoding changes (a space,
    // '#', '/') is signed as one text and sent as another.
    let python_binance = text.contains("from binance.client import")
        || text.contains("from binance import Client")
        || text.contains("from binance import AsyncClient")
        || text.contains("binance.client.Client");
    // A keyword argument of a client call (`client.order_limit_buy(..., newClientOrderId="grid
    // bot #1")`), not a JSON example's value.
    let kwarg_value = |l: &&str| {
        l.contains("client.")
            && l.match_indices('=').any(|(at, _)| {
                let named = l[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
                let rest = &l[at + 1..];
                let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { return false };
                let value = rest[1..].split(q).next().unwrap_or_default();
                named && !crate::encode::is_clean(value)
            })
    };
    if python_binance && let Some(line) = encoded_value_line(&lines).filter(kwarg_value) {
        out.push(slip(
            Cause::SignedUnencoded,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "python-binance signs the parameters as written and sends them percent-encoded: a value that encoding changes (a space, '#', '/', non-ASCII) is signed as one text and sent as another",
            line,
            "Give values that need no encoding (a newClientOrderId of letters, digits and . : / _ - only: no spaces or '#'; symbols as exchangeInfo lists them, BTCUSDT, not BTC/USDT).",
        ));
    }
    // A symbol written in lower case as a call's `symbol` (`create_order(symbol='btcusdt', ...)`,
    // `{ symbol: 'bnbusdt' }`): Binance's REST and WebSocket API take it as exchangeInfo lists it.
    if let Some(line) = lower_case_symbol(&lines) {
        out.push(slip(
            Cause::SymbolLowerCase,
            ApiError::new(ErrorCode::BAD_SYMBOL),
            "your code gives the symbol in lower case: Binance's REST and WebSocket API take symbols as exchangeInfo lists them, in upper case (only stream names are in lower case)",
            line,
            "Write the symbol in upper case (BTCUSDT), or .upper() / .toUpperCase() it before the call.",
        ));
    }
    // An order's side, type or time in force written as a literal Binance does not know
    // (`"type": "STOP_LIMIT"`): refused by mbx-core's own order terms.
    if let Some((line, refusal)) = order_enum_written(&lines) {
        out.push(slip(
            Cause::OrderTerms,
            refusal.error,
            &format!("your code gives the order {}", refusal.advice),
            line,
            "Send one of the values the finding names, spelled exactly (upper case); STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT are the stop-limit types.",
        ));
    }
    // A price or quantity computed in floating point and sent unrounded, where the answer shows
    // Binance refusing its precision.
    if let Some((line, name)) = float_computed_unrounded(&lines, text) {
        out.push(slip(
            Cause::ParamMalformed,
            ApiError::new(ErrorCode::BAD_PRECISION),
            &format!("your code computes {name} in floating point (a multiplication or division) and sends it unrounded: it carries more decimals than the symbol's tick or step size allows"),
            line,
            "Round to the symbol's tickSize (price) or stepSize (quantity) from exchangeInfo, with decimals: Decimal(str(x)).quantize(Decimal(tick_size), rounding=ROUND_DOWN) in Python, then send it as text (f\"{p:.2f}\" when the tick is 0.01); x.toFixed(decimals) in JavaScript.",
        ));
    }
    // An API key the code says is the testnet's (`# key from testnet.binance.vision`), sent where
    // Binance's answer shows it unknown (-2015), the client not set for the testnet.
    if text.contains("-2015")
        && let Some(line) = testnet_key(&lines)
    {
        out.push(slip(
            Cause::KeyOtherEnvironment,
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            "your code's API key is a testnet key (as its comment says), but the client sends it to Binance's live API, where no such key exists",
            line,
            "Point the client at the testnet (python-binance: Client(..., testnet=True); ccxt: exchange.set_sandbox_mode(True); the connectors: base URL https://testnet.binance.vision), or create a key on binance.com for the live API.",
        ));
    }
    // A spot path the API does not have (`/api/v1/order`, a typo), written in the code: judged as
    // a request to it is (retired, or no such endpoint). Only under /api/, whose endpoints the
    // table holds all of.
    let unknown_path = lines.iter().copied().filter(|l| is_code(l)).find_map(|l| {
        l.match_indices("/api/v").find_map(|(at, _)| {
            // (A sentence's full stop after it is not the path's: `POST .../api/v3/order.`)
            let path: String =
                l[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || "/_.".contains(*c)).collect();
            let path = path.trim_end_matches(['.', '/']);
            let versioned =
                path.as_bytes().get(6).is_some_and(u8::is_ascii_digit) && path[7..].starts_with('/');
            if !versioned || path.len() < 9 || crate::endpoint::at_path(path).next().is_some() {
                return None;
            }
            let url = format!("https://api.binance.com{path}");
            let record = super::RequestRecord::new("GET", &url, Vec::new(), "").ok()?;
            let d = super::diagnose(&record, &super::Context::default());
            let first = d
                .findings
                .into_iter()
                .next()
                .filter(|f| matches!(f.cause, Cause::PathUnknown | Cause::EndpointRetired))?;
            let error = ApiError::with_msg(ErrorCode::from(d.verdict.code), d.verdict.msg.clone());
            Some((l, first, error))
        })
    });
    // A library's call that makes or keeps a listenKey (`client.new_listen_key()`,
    // `stream_get_listen_key()`, `createListenKey()`, php-binance-api's `userData(...)`): the spot
    // endpoints behind it are retired (binance.us keeps them).
    if unknown_path.is_none()
        && !lines.iter().any(|l| l.to_ascii_lowercase().contains("binance.us") || l.contains("tld='us'") || l.contains("tld=\"us\""))
        && let Some((line, r)) = lines.iter().copied().filter(|l| is_code(l)).find_map(|l| {
            let lower = l.to_ascii_lowercase().replace(' ', "");
            // (Each call names the listen key: an HTTP client's own `keepAlive` is no such call.)
            let keepalive = ["renew_listen_key(", "ping_listen_key(", "renewlistenkey(", "keepalivelistenkey(", "keepalive_listen_key("]
                .iter()
                .any(|c| lower.contains(c));
            let start = [
                "new_listen_key(",
                "stream_get_listen_key(",
                "get_listen_key(",
                "create_listen_key(",
                "createlistenkey(",
                "newlistenkey(",
                "startuserstream",
                "->userdata(",
                "websockets.userdata(",
            ]
            .iter()
            .any(|c| lower.contains(c));
            let endpoint = if keepalive {
                &crate::endpoint::spot::USER_STREAM_KEEPALIVE
            } else {
                &crate::endpoint::spot::USER_STREAM_START
            };
            let r = crate::endpoint::spot::RETIRED.iter().find(|r| std::ptr::eq(r.endpoint, endpoint))?;
            (start || keepalive).then_some((l, r))
        })
        // What the request itself is answered and told.
        && let Ok(record) = super::RequestRecord::new(
            r.endpoint.method.as_str(),
            &format!("https://api.binance.com{}", r.endpoint.path),
            Vec::new(),
            "",
        )
        && let d = super::diagnose(&record, &super::Context::default())
        && let Some(first) = d.findings.into_iter().next().filter(|f| f.cause == Cause::EndpointRetired)
    {
        let error = ApiError::with_msg(ErrorCode::from(d.verdict.code), d.verdict.msg.clone());
        out.push(slip(
            Cause::EndpointRetired,
            error,
            &format!("your code: {}", first.title),
            line,
            &first.fix,
        ));
    }
    if let Some((line, finding, error)) = unknown_path {
        out.push(slip(finding.cause, error, &format!("your code: {}", finding.title), line, &finding.fix));
    }
    // A float clock scaled to milliseconds and sent as the float it is (`time.time() * 1000`,
    // Swift's `timeIntervalSince1970 * 1000`, `Time.now.to_f * 1000`): a decimal point (or an
    // exponent) in timestamp, which Binance refuses as illegal characters.
    const FLOAT_CLOCKS: &[&str] = &[
        "time.time()",
        "timeintervalsince1970",
        "time.now.to_f",
        "microtime(true)",
        "socket.gettime()",
        "date.now()/1000",
    ];
    const TO_WHOLE: &[&str] = &[
        "int(",
        "round(",
        "floor(",
        "math.floor",
        "math.round",
        "math.trunc",
        "int64(",
        "toint",
        ".to_i",
        "(int)",
        "intval(",
        "trunc(",
        "//",
        "as u64",
        "as i64",
        "tofixed(0)",
        "|0",
        "parseint(",
        "bigint(",
        "%d",
        "{:.0f}",
        ":.0f}",
        "int(round",
        "number_format(",
        "%.0f",
    ];
    let floats = |l: &str| {
        let t = l.to_ascii_lowercase().replace(' ', "");
        FLOAT_CLOCKS.iter().any(|c| t.contains(c))
            && (t.contains("*1000") || t.contains("*1e3") || t.contains("date.now()/1000"))
            && !TO_WHOLE.iter().any(|w| t.contains(w))
    };
    let from_float = tainted(&lines, |rhs| floats(rhs));
    if let Some(line) = lines.iter().copied().filter(|l| is_code(l)).find(|l| {
        let lower = l.to_ascii_lowercase();
        lower.contains("timestamp")
            && (floats(l) || from_float.iter().any(|t| names(l, t)))
            && !TO_WHOLE.iter().any(|w| lower.replace(' ', "").contains(w))
    }) {
        out.push(slip(
            Cause::TimestampMalformed,
            accept::timestamp_malformed(),
            "your code sends the timestamp as a float (milliseconds with a fraction, or an exponent): Binance takes a whole number",
            line,
            "Send whole milliseconds: int(time.time() * 1000) in Python, Int64(Date().timeIntervalSince1970 * 1000) in Swift, (Time.now.to_f * 1000).to_i in Ruby, Date.now() in JavaScript.",
        ));
    }
    // The secret's bytes taken as UTF-16 (.NET's and PowerShell's `Encoding.Unicode`, Node's
    // 'utf16le', Python's 'utf-16') for the HMAC's key: Binance keys it with the secret's UTF-8.
    if let Some(line) = lines.iter().copied().filter(|l| is_code(l)).find(|l| {
        let t = l.to_ascii_lowercase().replace(' ', "");
        t.contains("secret")
            && [
                "encoding]::unicode.getbytes(",
                "encoding.unicode.getbytes(",
                "'utf16le'",
                "\"utf16le\"",
                "'utf-16",
                "\"utf-16",
                "'ucs2'",
                "\"ucs2\"",
            ]
            .iter()
            .any(|w| t.contains(w))
    }) {
        out.push(slip(
            Cause::SecretUtf16,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code takes the secret's bytes as UTF-16 for the HMAC key; Binance keys it with the secret's UTF-8 (its ASCII) bytes",
            line,
            "Take the secret's bytes as UTF-8: [System.Text.Encoding]::UTF8.GetBytes($secret) in PowerShell, Encoding.UTF8.GetBytes(secret) in C#, Buffer.from(secret, 'utf8') in Node.js, secret.encode() in Python.",
        ));
    }
    // The other way round: the client set for the testnet (python-binance's `testnet=True`,
    // php-binance-api's third argument, ccxt's sandbox mode), and Binance's -2015: a key made on
    // binance.com does not exist there. (Not where the code's comment calls its key a testnet key.)
    if text.contains("-2015")
        && key_commented_testnet(&lines).is_none()
        && !prose_calls_key_testnet(&lines)
        && !lines.iter().any(|l| venue_host_in(l))
        && let Some(line) = testnet_client(&lines)
    {
        out.push(slip(
            Cause::KeyOtherEnvironment,
            ApiError::new(ErrorCode::REJECTED_MBX_KEY),
            "your code points the client at Binance's testnet, where an API key made on binance.com does not exist (the testnet has keys of its own)",
            line,
            "Leave the testnet option off for a key made on binance.com, or create a key at testnet.binance.vision for the testnet.",
        ));
    }
    // session.logon with an HMAC secret configured and no private key: the logon takes Ed25519
    // keys only (the SDKs sign it with whatever key they hold).
    let lower_text = text.to_ascii_lowercase();
    // On a line of code, not in a comment.
    let logs_on = lines.iter().any(|l| {
        let l = l.trim_start().to_ascii_lowercase();
        !l.starts_with(['#', '/', '*'])
            && ["session.logon", "session_logon", "sessionlogon"].iter().any(|w| {
                l.split(" #").next().unwrap_or_default().split(" //").next().unwrap_or_default().contains(w)
            })
    });
    let private_key =
        ["private_key", "privatekey", ".pem", "begin private key", "ed25519_key", "ed25519key", "signingkey"]
            .iter()
            .any(|w| lower_text.contains(w));
    if logs_on
        && !private_key
        && let Some(line) = lines.iter().copied().find(|l| {
            let l = l.to_ascii_lowercase().replace(['_', '-'], "");
            (l.contains("apisecret") || l.contains("secretkey")) && !l.trim_start().starts_with(['#', '/'])
        })
        && let Some(refused) = accept::logon_key_refusal(crate::sign::KeyKind::Hmac)
    {
        out.push(slip(
            Cause::LogonKeyNotEd25519,
            refused.error,
            "your code logs on with session.logon holding an HMAC secret and no Ed25519 key: session.logon takes Ed25519 keys only",
            line,
            "Register an Ed25519 key and give the client its private key (PEM) to log on with; with an HMAC key, send apiKey, timestamp and signature with each request instead of logging on.",
        ));
    }
    // An Ed25519 or RSA key's signature written as hex: Binance reads it as base64.
    let asymmetric =
        ["ed25519", "pkcs1v15", "rsa-sha256", "rsa_pkcs1", "load_pem_private_key", "createprivatekey("]
            .iter()
            .any(|w| lower_text.contains(w));
    if asymmetric
        && let Some(line) = lines.iter().copied().find(|l| {
            let t = l.to_ascii_lowercase().replace(' ', "");
            let signs = (t.contains(".sign(") || t.contains("crypto.sign(")) && !t.contains("hmac");
            signs
                && (t.contains(".hex()") || t.contains("tostring('hex')") || t.contains("tostring(\"hex\")"))
        })
    {
        out.push(slip(
            Cause::SignatureHexForAsymmetricKey,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code writes the Ed25519 or RSA signature as hex; Binance reads such a signature as base64",
            line,
            "Encode the signature's bytes in base64: base64.b64encode(sig).decode() in Python, sig.toString('base64') in Node.js (percent-encoded in a REST query string, as it is in a WebSocket API frame).",
        ));
    }
    // session.logon signed with an RSA key: the logon takes Ed25519 keys only.
    let rsa = ["pkcs1v15", "rsa-sha256", "rsa_pkcs1", "rsa.sign(", "rsa_private_key", "sha256withrsa"]
        .iter()
        .any(|w| lower_text.contains(w));
    if logs_on
        && rsa
        && !lower_text.contains("ed25519")
        && let Some(line) = lines.iter().copied().find(|l| {
            let t = l.to_ascii_lowercase();
            ["pkcs1v15", "rsa-sha256", "rsa_pkcs1", "rsa.sign(", "sha256withrsa"]
                .iter()
                .any(|w| t.contains(w))
        })
        && let Some(refused) = accept::logon_key_refusal(crate::sign::KeyKind::Rsa)
    {
        out.push(slip(
            Cause::LogonKeyNotEd25519,
            refused.error,
            "your code logs on with session.logon signed by an RSA key: session.logon takes Ed25519 keys only",
            line,
            "Register an Ed25519 key and log on with it; with an RSA key, send apiKey, timestamp and signature with each request instead of logging on.",
        ));
    }
    // WebSocket API code (its URL, or frames with a "method" sent over a WebSocket): Binance
    // signs the params sorted by name and as written, not percent-encoded.
    let ws_code = lower_text.contains("/ws-api/")
        || (lower_text.contains("websocket")
            && (lower_text.contains("\"method\"") || lower_text.contains("'method'")));
    if ws_code {
        let signs_line = |l: &str| {
            let l = l.to_ascii_lowercase();
            (l.contains("sign(") || l.contains("hmac") || l.contains("signature")) && !definition(&l)
        };
        // (Narrower than URL_ENCODES: a text that also holds REST code, PHP's or Java's, names
        // encoders the WebSocket code does not use.)
        let encodes = |l: &str| {
            let l = l.to_ascii_lowercase();
            [
                "urlencode(",
                "quote(",
                "quote_plus(",
                "urlsearchparams",
                "encodeuricomponent",
                "querystring.stringify",
                "qs.stringify",
            ]
            .iter()
            .any(|e| l.contains(e))
        };
        let joins = |l: &str| {
            let l = l.to_ascii_lowercase();
            MANUAL_JOINS.iter().any(|j| l.contains(j))
                || l.contains(".join(\"&\")")
                || l.contains(".join('&')")
        };
        let sorted = |l: &str| {
            let l = l.to_ascii_lowercase();
            SORTS.iter().any(|w| l.contains(w)) || l.contains("sort_keys") || l.contains(".sort()")
        };
        // The payload signed: on the signing line, or a variable it names built on a line before.
        let built: Vec<&str> = lines.iter().copied().filter(|l| encodes(l) || joins(l)).collect();
        let signed_payload = lines.iter().copied().filter(|l| signs_line(l)).find_map(|l| {
            if encodes(l) || joins(l) {
                return Some(l);
            }
            built.iter().copied().find(|b| assigned(b).is_some_and(|name| names(l, name)))
        });
        // apiKey added to the params after the text to sign was built from them: the WebSocket API
        // signs every param but signature, apiKey among them.

        // The object a line adds apiKey to (`p["apiKey"] = k`, `params.apiKey = k`): its name.
        let key_added_to = |l: &str| -> Option<String> {
            let squeezed = l.replace(' ', "");
            ["[\"apiKey\"]=", "['apiKey']=", ".apiKey="].iter().find_map(|w| {
                let at = squeezed.find(w)?;
                let object = squeezed[..at].trim_start();
                (!object.is_empty()).then(|| object.to_owned())
            })
        };
        let built_lines: Vec<usize> = (0..lines.len())
            .filter(|&n| (encodes(lines[n]) || joins(lines[n])) && assigned(lines[n]).is_some())
            .collect();
        let added = built_lines.iter().enumerate().find_map(|(k, &built_at)| {
            let end = built_lines.get(k + 1).copied().unwrap_or(lines.len());
            let line = lines[built_at + 1..end].iter().copied().find(|l| key_added_to(l).is_some())?;
            let object = key_added_to(line)?;
            // The object's params before the text was built from them: where it was last given
            // its value, to the building line.
            let from = (0..built_at)
                .rev()
                .find(|&n| assigned(lines[n]).is_some_and(|name| name == object))
                .unwrap_or(0);
            let keyed = lines[from..built_at].iter().any(|l| names_api_key(l));
            (names(lines[built_at], &object) && !keyed).then_some(line)
        });
        if let Some(line) = added {
            out.push(slip(
                Cause::SignedWithoutApiKey,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                "your code adds apiKey to the params after building the text it signs: the WebSocket API signs every param but signature, apiKey among them",
                line,
                "Put apiKey (and timestamp) into params first, then sort and join them all for the signature, then add signature.",
            ));
        }
        // Percent-encoding changes only values outside letters, digits and `-._~`: judged where
        // the code gives a parameter such a value.
        if let Some(line) =
            signed_payload.filter(|l| encodes(l) || built.iter().any(|b| encodes(b) && names_assigned(l, b)))
            && let Some(value_line) = encoded_value_line(&lines)
        {
            out.push(slip(
                Cause::SignedEncodedValues,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                "your code percent-encodes the params it signs, and one of its values changes when encoded: the WebSocket API signs the values as written in the frame, not encoded",
                &format!("{} (the value: {})", line.trim(), value_line.trim()),
                "Join the params sorted by name as name=value without encoding: '&'.join(f\"{k}={v}\" for k, v in sorted(params.items())) in Python (not urlencode), Object.keys(p).sort().map(k => `${k}=${p[k]}`).join('&') in JavaScript (not URLSearchParams).",
            ));
        }
        // The params' order: percent-encoded or not, an unsorted join is signed in another order
        // than Binance's (when the names are written unsorted).
        let written = signed_payload
            .and_then(|l| lines.iter().position(|x| *x == l))
            .map(|end| written_names(&lines, end + 1))
            .unwrap_or_default();
        // A sort of the params, the payload, or what the signed line reads (a variable it names,
        // or a chained `.sort(...)` continuing a statement on a line of its own).
        let sorts_what_is_signed = |l: &str| {
            sorted(l)
                && (l.contains("params")
                    || l.contains("payload")
                    || l.trim_start().starts_with('.')
                    || signed_payload.is_some_and(|s| assigned(l).is_some_and(|name| names(s, name))))
        };
        if let Some(line) = signed_payload
            && !sorted(line)
            && !lines.iter().any(|l| sorts_what_is_signed(l))
            && (written.len() < 2 || !written.is_sorted())
        {
            out.push(slip(
                Cause::SignedInWrittenOrder,
                ApiError::new(ErrorCode::INVALID_SIGNATURE),
                "your code signs the WebSocket API's params in the order they were written; the WebSocket API signs them sorted by name",
                line,
                "Sort the params by name before joining them: '&'.join(f\"{k}={v}\" for k, v in sorted(params.items())) (Object.keys(params).sort() in JavaScript).",
            ));
        }
        // The text signed written out by hand (`sign(f"timestamp={ts}&apiKey={key}")`): its names
        // in another order than sorted, or apiKey left out while the params carry it.
        // (Not in code that also calls REST, whose signed text leaves apiKey out.)
        let rest_too =
            lines.iter().any(|l| l.contains("/api/v3/") || l.to_ascii_lowercase().contains("x-mbx-apikey"));
        if let Some((line, written)) = lines
            .iter()
            .copied()
            .filter(|l| !rest_too && signs_line(l) && !definition(&l.to_ascii_lowercase()))
            .find_map(|l| Some((l, literal_signed_names(l)?)))
        {
            let sends_key = lines.iter().any(|l| names_api_key(l));
            if sends_key && !written.contains(&"apiKey") && written.contains(&"timestamp") {
                out.push(slip(
                    Cause::SignedWithoutApiKey,
                    ApiError::new(ErrorCode::INVALID_SIGNATURE),
                    "your code signs a text without apiKey while the params send it: the WebSocket API signs every param but signature, apiKey among them",
                    line,
                    "Sign every param the frame sends but signature, sorted by name: apiKey=...&timestamp=... (apiKey included).",
                ));
            } else if written.len() >= 2 && !written.is_sorted() {
                out.push(slip(
                    Cause::SignedInWrittenOrder,
                    ApiError::new(ErrorCode::INVALID_SIGNATURE),
                    "your code signs a text whose params are not sorted by name; the WebSocket API signs them sorted by name",
                    line,
                    "Write the text signed with the params sorted by name (apiKey=...&timestamp=...), or build it: '&'.join(f\"{k}={v}\" for k, v in sorted(params.items())).",
                ));
            }
        }
        for found in ws_frame_slips(&lines, signed_payload) {
            out.push(found);
        }
        // A method that needs a logged-on session, called by code that never logs on.
        let calls = |l: &str, method: &str| {
            l.match_indices(method).any(|(at, _)| {
                let after = &l[at + method.len()..];
                l[..at].ends_with(['"', '\'']) && after.starts_with(['"', '\''])
            })
        };
        if !logs_on
            && let Some((line, method)) = lines
                .iter()
                .copied()
                .filter(|l| is_code(l))
                .find_map(|l| accept::NEEDS_LOGON.iter().find(|m| calls(l, m)).map(|m| (l, *m)))
        {
            let refused = accept::not_logged_on(method);
            out.push(slip(
                Cause::SessionNotLoggedOn,
                refused.error,
                &format!("your code calls {method}, which works only on a connection logged on with session.logon, and never logs on"),
                line,
                "Send session.logon (signed with an Ed25519 key) on the same connection first, or use userDataStream.subscribe.signature with apiKey, timestamp and signature.",
            ));
        }
        // A signed method called with its params written in the call, neither apiKey nor
        // signature among them, by code that never logs on: Binance asks for the apiKey.
        let unsigned_inline = |l: &str, method: &str| {
            let rest = &l[l.find(method).map_or(l.len(), |at| at + method.len())..];
            let inline = rest.find('{').zip(rest.rfind('}')).filter(|(open, close)| open < close);
            inline.is_some_and(|(open, close)| {
                let object = rest[open..=close].to_ascii_lowercase();
                !object.contains("apikey") && !object.contains("signature")
            })
        };
        let signs_somewhere = lines
            .iter()
            .copied()
            .filter(|l| is_code(l))
            .any(|l| l.to_ascii_lowercase().contains("signature"));
        if !logs_on
            && !signs_somewhere
            && let Some((line, method)) = lines.iter().copied().filter(|l| is_code(l)).find_map(|l| {
                crate::endpoint::SPOT
                    .iter()
                    .filter(|e| e.security.needs_signature())
                    .flat_map(|e| e.ws.iter())
                    .find(|m| calls(l, m) && unsigned_inline(l, m))
                    .map(|m| (l, *m))
            })
        {
            out.push(slip(
                Cause::ApiKeyParamMissing,
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["apiKey"]),
                &format!("your code calls {method}, a signed method, with no apiKey or signature and without logging on"),
                line,
                "Log on once with session.logon (an Ed25519 key) before such requests, or send apiKey, timestamp and signature in each one's params.",
            ));
        }
    }
    if let Some(line) = credentials_swapped(&lines) {
        out.push(secret_as_key_slip(line));
    }
    // A client's session headers replaced (python-binance keeps X-MBX-APIKEY among
    // `client.session.headers`; `session.headers = {...}` throws it away, `.update(...)` keeps it).
    if let Some(line) = lines.iter().copied().find(|l| {
        let t = l.replace(' ', "");
        t.contains(".session.headers=")
            && !t.contains("==")
            && !t.to_ascii_lowercase().contains("x-mbx-apikey")
    }) {
        out.push(slip(
            Cause::KeyMissing,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your code replaces the client's session headers, and with them the X-MBX-APIKEY header the library put there",
            line,
            "Add to the headers instead of replacing them: client.session.headers.update({\"User-Agent\": ...}), which keeps X-MBX-APIKEY.",
        ));
    }
    if let Some(line) = key_as_parameter(&lines) {
        out.push(slip(
            Cause::KeyAsParameter,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your code puts the API key among the parameters",
            line,
            "Send the API key only in the X-MBX-APIKEY header, and leave it out of the parameters you sign and send.",
        ));
    }
    let hmac_line = |l: &&&str| l.to_ascii_lowercase().contains("hmac");
    let decodes = |l: &str| {
        let lower = l.to_ascii_lowercase();
        let encoded_arg = ["'base64'", "\"base64\"", "'hex'", "\"hex\""].iter().any(|e| lower.contains(e));
        DECODES.iter().any(|d| lower.contains(d)) || (lower.contains("buffer.from(") && encoded_arg)
    };
    // Decoded where the HMAC is keyed, or into a variable that keys it.
    let decoded = tainted(&lines, |rhs| decodes(rhs) && rhs.to_ascii_lowercase().contains("secret"));
    let decoded_secret: Vec<&str> = tainted(&lines, decodes)
        .into_iter()
        .filter(|name| name.to_ascii_lowercase().contains("secret") || decoded.contains(name))
        .collect();
    if let Some(line) = lines.iter().filter(hmac_line).find(|l| {
        (decodes(l) && l.to_ascii_lowercase().contains("secret"))
            || decoded_secret.iter().any(|t| names(l, t))
    }) {
        out.push(slip(
            Cause::SecretBase64Decoded,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code decodes the secret (base64 or hex) before keying the HMAC; Binance uses the secret's text as it is",
            line,
            "Key the HMAC with the secret's own bytes (its UTF-8 text), without decoding it.",
        ));
    }
    // Written in base64 where the HMAC is computed, or from a variable holding the HMAC.
    let encodes = |l: &str| {
        let lower = l.to_ascii_lowercase();
        ENCODES.iter().any(|e| lower.contains(e))
    };
    // The HMAC objects and, one step on, what their calls return (`raw = mac.doFinal(data)`).
    let mut macs = hmac_holders(&lines);
    let outputs: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            let name = assigned(l)?;
            let rhs = &l[l.find('=')? + 1..];
            macs.iter().any(|m| rhs.contains(&format!("{m}."))).then_some(name)
        })
        .collect();
    macs.extend(outputs);
    // VBA's idiom: an MSXML node typed `bin.base64` (`node.DataType = "bin.base64"`) given the
    // HMAC's bytes (`node.nodeTypedValue = bytes`), its text read as the signature.
    let base64_node = lines.iter().copied().find(|l| {
        let Some((node, _)) = l.split_once(".DataType").filter(|_| l.contains("bin.base64")) else {
            return false;
        };
        let node = node.trim();
        // Given the HMAC's bytes, or any bytes in a program that computes an HMAC (the node's
        // helper takes them as its parameter: `EncodeBase64(arrData() As Byte)`).
        let hmac_here = lines.iter().any(|m| m.to_ascii_lowercase().contains("hmacsha256"));
        lines.iter().any(|m| {
            m.replace(' ', "").starts_with(&format!("{node}.nodeTypedValue="))
                && (hmac_here || macs.iter().any(|t| names(&m[m.find('=').unwrap_or(0)..], t)))
        })
    });
    if let Some(line) = base64_node.or_else(|| {
        lines.iter().copied().find(|l| {
            let rhs = l.find('=').filter(|_| assigned(l).is_some()).map_or(*l, |i| &l[i + 1..]);
            encodes(rhs) && (rhs.to_ascii_lowercase().contains("hmac") || macs.iter().any(|t| names(rhs, t)))
        })
    }) {
        out.push(slip(
            Cause::SignatureBase64ForHmac,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code writes the HMAC signature in base64; Binance reads an HMAC signature as hex",
            line,
            "Send the HMAC-SHA256 as 64 hex digits: hexdigest() in Python, digest('hex') in Node.js, Convert.ToHexString in .NET.",
        ));
    }
    // SHA-256 of a text holding the secret, without an HMAC.
    let concat_secret = tainted(&lines, |rhs| {
        let lower = rhs.to_ascii_lowercase();
        lower.contains("secret")
            && (lower.contains(" + ") || lower.contains(" . ") || lower.contains("format"))
    });
    if let Some(line) = lines.iter().find(|l| {
        let lower = l.to_ascii_lowercase();
        PLAIN_HASHES.iter().any(|h| lower.contains(h))
            && !lower.contains("hmac")
            && (lower.contains("secret") || concat_secret.iter().any(|t| names(l, t)))
    }) {
        out.push(slip(
            Cause::SignedPlainHash,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code hashes the payload and the secret together with plain SHA-256; Binance expects an HMAC keyed with the secret",
            line,
            "Use HMAC-SHA256 with the secret as the key and the query string as the message: hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest() in Python.",
        ));
    }
    if let Some((line, algo)) = lines.iter().filter(hmac_line).find_map(|l| {
        let lower = l.to_ascii_lowercase().replace(['-', '_'], "");
        // (Erlang's and Elixir's `:sha` is SHA-1.)
        let algo = ["sha512", "sha384", "sha1", "md5"]
            .into_iter()
            .find(|a| {
                lower
                    .match_indices(a)
                    .any(|(i, _)| !lower[i + a.len()..].starts_with(|c: char| c.is_ascii_digit()))
            })
            .or_else(|| lower.replace(' ', "").contains(":hmac,:sha,").then_some("sha1"))?;
        (!lower.contains("sha256")).then_some((*l, algo))
    }) {
        out.push(slip(
            Cause::SignatureWrongLength,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            &format!("your code computes HMAC with {}; Binance verifies HMAC-SHA256", algo.to_ascii_uppercase()),
            line,
            "Use HMAC-SHA256 (hashlib.sha256, createHmac('sha256', ...), HmacSHA256, hash_hmac('sha256', ...)), written as 64 hex digits.",
        ));
    }
    // A recvWindow written as a number that mbx-core's reading refuses as too large.
    let too_large = |l: &&str| -> Option<ApiError> {
        let lower = l.to_ascii_lowercase();
        // `recvWindow`, or a library's `recv_window` option.
        ["recvwindow", "recv_window"].iter().flat_map(|name| lower.match_indices(name)).find_map(
            |(i, name)| {
                let after = &l[i + name.len()..];
                let rest = after.trim_start_matches(|c: char| !c.is_ascii_digit() && c != '\n');
                // (Digits grouped with `_`, as Python, Rust, Java and JavaScript write `120_000`.)
                let digits: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '_')
                    .filter(|c| *c != '_')
                    .collect();
                let near = after.len() - rest.len() <= 6 && !digits.is_empty();
                let refused = RecvWindow::parse(&digits).err()?;
                (near && refused.code == ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED).then_some(refused)
            },
        )
    };
    if let Some((line, error)) = lines.iter().find_map(|l| Some((*l, too_large(l)?))) {
        out.push(SourceSlip {
            error,
            ..slip(
                Cause::RecvWindowTooLarge,
                ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
                "your code sets recvWindow above 60000, the most Binance takes",
                line,
                "Set recvWindow to at most 60000 (5000 is the default and usually enough); sync the clock rather than widening the window.",
            )
        });
    }
    // (The WebSocket API signs its params sorted: right there.)
    if !ws_code && let Some(line) = signed_sorted(&lines) {
        out.push(slip(
            Cause::SignedSortedParams,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs the parameters sorted by name, but the request sends them in the order written",
            line,
            "Sign the exact text you send: build the query string once, in one order, sign it, and send that same string with &signature=... appended (or pass the sorted pairs to the request too).",
        ));
    }
    // A key pair made by the program itself (`Ed25519PrivateKey.generate()`, Go's
    // `ed25519.GenerateKey`, `crypto.generateKeyPairSync`): a new one at every run, whose public key
    // Binance never saw.
    if let Some(line) = lines.iter().copied().find(|l| {
        let compact = l.replace(' ', "");
        !l.trim_start().starts_with(['#', '/'])
            && [
                "PrivateKey.generate(",
                "ed25519.GenerateKey(",
                "SigningKey.generate(",
                "SigningKey::generate(",
                "nacl.sign.keyPair()",
                "generateKeyPairSync(",
                "generateKeyPair(",
                "generate_private_key(",
                "Ed25519KeyPair::generate_pkcs8(",
                "rsa.GenerateKey(",
            ]
            .iter()
            .any(|g| compact.contains(g))
    }) {
        out.push(slip(
            Cause::KeyRegisteredOther,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code generates a new key pair when it runs: its public key is not the one registered for this API key, so Binance cannot verify what it signs",
            line,
            "Generate the key pair once, register its public key in API Management, and have the program load that private key from its file (or a secret store) at every run.",
        ));
    }
    let key_var = key_header_variable(&lines);
    // The header given a variable named for the secret (`setRequestHeader "X-MBX-APIKEY" [apiSecret]`).
    if let Some(var) = &key_var
        && var.rsplit('.').next().is_some_and(|v| v.contains("secret"))
        && !out.iter().any(|s: &SourceSlip| s.cause == Cause::SecretAsApiKey)
        && let Some(line) = lines.iter().copied().find(|l| {
            let lower = l.to_ascii_lowercase();
            lower.contains("x-mbx-apikey") && names(&lower, var)
        })
    {
        out.push(secret_as_key_slip(line));
    }
    if let Some(line) = lines
        .iter()
        .copied()
        .find(|l| hmac_keyed_with_api_key(l) || key_var.as_deref().is_some_and(|v| hmac_keyed_with(l, v)))
    {
        out.push(slip(
            Cause::SecretIsApiKey,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code keys the HMAC with the API key: Binance verifies the signature with the secret issued beside it",
            line,
            "Key the HMAC with the secret key (API Management shows it once, at creation) and send the API key only in the X-MBX-APIKEY header.",
        ));
    }
    // (Said once: the hash maps' reading above may have named the same order.)
    if let Some(line) = signed_in_hash_order(&lines)
        && !out
            .iter()
            .any(|s: &SourceSlip| matches!(s.cause, Cause::SignedOtherOrder | Cause::SignedHashMapOrder))
    {
        out.push(slip(
            Cause::SignedOtherOrder,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code builds the signed text by walking a map or hash, whose order changes from run to run (Go's range over a map, Perl's keys of a hash): the order signed is not the order sent, except by chance",
            line,
            "Fix one order: sort the names (sort.Strings(keys) in Go, sort keys %h in Perl), or build the query string once (url.Values.Encode() sorts), sign it, and send that very string with &signature=... appended.",
        ));
    }
    if let Some(line) = signed_unencoded(&lines) {
        out.push(slip(
            Cause::SignedUnencoded,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs the parameters joined by hand, unencoded, while the request sends them percent-encoded (a value holds a space, ':' or another character that is encoded)",
            line,
            "Sign the encoded text you send: build it with the same encoder the request uses (urlencode(params) in Python, new URLSearchParams(params).toString() in JavaScript), sign that, and send that string with &signature=... appended.",
        ));
    } else if let Some(line) = lines.iter().copied().find(|l| urlencodes_a_changed_value(lines.as_slice(), l))
        && lines.iter().any(|l| l.contains("openssl dgst") || l.to_ascii_lowercase().contains("hmac"))
    {
        // curl encodes a `--data-urlencode` value as it sends it; the text signed beside it was
        // written by hand.
        out.push(slip(
            Cause::SignedUnencoded,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script signs the parameters as written while curl's --data-urlencode sends a value percent-encoded: the text signed is not the text sent",
            line,
            "Encode the value before signing (e.g. with jq -rn --arg v \"$value\" '$v|@uri'), sign the encoded query string, and send exactly that string with --data (not --data-urlencode).",
        ));
    }
    // The key's header named otherwise in the code (`cpr::Header{{"APIKEY", key}}`,
    // `"X-MBX-API-KEY": key`, `curl -H "X-MBX-API-KEY: $KEY"`), where the text never names
    // X-MBX-APIKEY itself, or shows Binance's -2014 (a program that chooses the header's name).
    if (!text.to_ascii_lowercase().contains("x-mbx-apikey") || text.contains("-2014"))
        && let Some((line, name)) = lines.iter().copied().find_map(|l| {
            let lower = l.to_ascii_lowercase();
            // A header in code, curl's -H, an HTTPie `Name:value` item.
            let headers =
                lower.contains("header") || lower.contains(" -h ") || lower.trim_start().starts_with("http ");
            if !headers {
                return None;
            }
            let quoted = l.split(['"', '\'']).skip(1).step_by(2);
            let name = quoted.into_iter().map(|q| q.split(':').next().unwrap_or(q)).find(|q| {
                let bare: String =
                    q.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
                ["apikey", "xapikey", "xmbxapikey", "mbxapikey", "xbinanceapikey"].contains(&bare.as_str())
                    && !q.trim().eq_ignore_ascii_case("x-mbx-apikey")
                    // A variable in quotes (`'$apiKey'`) is a value, not a header's name.
                    && !q.trim_start().starts_with('$')
            })?;
            Some((l, name))
        })
    {
        out.push(slip(
            Cause::KeyHeaderMisspelled,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            &format!("your code sends the API key in a header named '{name}'; Binance reads it only from X-MBX-APIKEY"),
            line,
            "Name the header exactly X-MBX-APIKEY (hyphens, no other spelling) and put the API key in it.",
        ));
    }
    // The key sent in an Authorization header (`-H "Authorization: Bearer $API_KEY"`,
    // `headers={"Authorization": f"Bearer {api_key}"}`), where the text never names X-MBX-APIKEY.
    if !text.to_ascii_lowercase().contains("x-mbx-apikey")
        && let Some(line) = lines.iter().copied().find(|l| {
            let bare: String = l
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .collect::<String>()
                .to_ascii_lowercase();
            // Or a client's bearer option (Elixir Req's `auth: {:bearer, key}`).
            (bare.contains("authorization") && (bare.contains("bearer") || bare.contains("apikey"))
                || bare.contains("auth bearer"))
                && !bare.contains("secret")
        })
    {
        out.push(slip(
            Cause::KeyInAuthorizationHeader,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your code sends the API key in an Authorization header; Binance reads it only from X-MBX-APIKEY",
            line,
            "Send the key in a header named X-MBX-APIKEY, its value the key alone (no Bearer): curl -H \"X-MBX-APIKEY: $API_KEY\".",
        ));
    }
    // A PEM private key file read into the HMAC secret (`api_secret=open("ed25519.pem").read()`,
    // `const apiSecret = fs.readFileSync('key.pem')`): the library makes an HMAC keyed with the PEM
    // text, where an Ed25519 or RSA key signs with its own algorithm.
    let pem_secret = lines.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        lower.match_indices("secret").any(|(at, _)| {
            let rest = &lower[at..];
            rest.find(".pem")
                .is_some_and(|pem| !rest[..pem].contains(',') && rest[..pem].contains(['=', ':']))
        })
    });
    if let Some(line) = pem_secret {
        out.push(slip(
            Cause::SignatureOtherKeyKind,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code gives a PEM private key file as the HMAC secret: the library signs an HMAC keyed with the PEM's text, while the API key is an Ed25519 or RSA key's, whose signatures that key makes itself",
            line,
            "Give the PEM to the library's private-key option (python-binance: private_key=..., binance-connector: private_key=..., @binance/connector: { privateKey: ... }, ccxt: secret set to the PEM with the key's type) and no HMAC secret; an HMAC secret is the 64-character text API Management shows for an HMAC key.",
        ));
    }
    // The secret read from a file whole, its final newline kept (`f.read()` without `.strip()`).
    if pem_secret.is_none()
        && let Some(line) = lines.iter().copied().find(|l| {
            let lower = l.to_ascii_lowercase();
            let reads_file = [
                ".read()",
                "read_to_string(",
                "readfilesync(",
                "file.readalltext(",
                "file_get_contents(",
                "os.readfile(",
                "ioutil.readfile(",
                "file.read(",
                "io.read(",
                "files.readstring(",
                ".readtext(",
            ]
            .iter()
            .any(|c| lower.contains(c));
            let stripped = ["strip", "trim", "chomp", "chop"].iter().any(|c| lower.contains(c));
            // Read into the secret: assigned to it, given as a library's secret option
            // (`apiSecret: fs.readFileSync(...)`, `api_secret=open(...).read()`), or a file named
            // for it read in place (`AsyncClient.create(KEY, open("secret.txt").read())`).
            let opens = ["open(", "readfilesync(", "read_to_string(", "file_get_contents(", "readalltext("];
            let named = assigned(l).is_some_and(|name| name.to_ascii_lowercase().contains("secret"));
            let option = lower.match_indices("secret").any(|(at, _)| {
                let rest = &lower[at..];
                let read = opens.iter().filter_map(|c| rest.find(c)).min();
                read.is_some_and(|r| !rest[..r].contains(',') && rest[..r].contains(['=', ':']))
            });
            let file_named = opens.iter().any(|c| {
                lower.match_indices(c).any(|(at, _)| {
                    let call: String = lower[at..].chars().take(c.len() + 30).collect();
                    call.contains("secret")
                })
            });
            (named || option || file_named) && reads_file && !stripped
        })
    {
        out.push(slip(
            Cause::SecretWithNewline,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code reads the secret from a file whole, without stripping it: the file's final newline is part of the secret it signs with",
            line,
            "Strip the secret after reading it (.strip() in Python, .trim() in JavaScript, Rust and Java, strings.TrimSpace in Go, trim() in PHP, .chomp in Ruby), as your code may already do for the API key.",
        ));
    }
    // A key file's line split at its separator, the secret's part not trimmed, where the text
    // shows the file with a space after the separator (`<api key>, <secret>`, `SECRET = ...`).
    if let Some(line) = secret_split_untrimmed(&lines) {
        out.push(slip(
            Cause::SecretWithSpace,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code splits the key file's line at its separator and keeps the secret's part as it is: the file writes a space after the separator, so the secret it signs with starts with that space",
            line,
            "Trim each part after splitting: [p.strip() for p in line.split(\",\")] in Python, parts[1].trim() in Dart, JavaScript and Java, strings.TrimSpace in Go; or load the file with a parser that trims (python-dotenv, the dotenv package).",
        ));
    }
    // The same text sent in the URL's query string and again as the body (PHP's `curl_init(
    // "...?$qs")` with `CURLOPT_POSTFIELDS, $qs`): Binance signs the query string and the body.
    if let Some(line) = sent_twice(&lines) {
        out.push(slip(
            Cause::ParamDuplicated,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code sends the signed parameters twice: in the URL's query string and again as the body; Binance verifies the signature over the query string followed by the body",
            line,
            "Send the signed text once: in the query string (no body) or as the body (a URL without '?').",
        ));
    }
    // URL-safe base64 (`-` and `_`) for the signature, which Binance reads as standard base64.
    if let Some(line) = lines.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        lower.contains("sign")
            && [
                "'base64url'",
                "\"base64url\"",
                "urlsafe_b64encode(",
                "geturlencoder(",
                "urlencoding",
                "url_safe",
                "urlsafe_encode64(",
            ]
            .iter()
            .any(|c| lower.contains(c))
    }) {
        out.push(slip(
            Cause::SignatureUrlSafeBase64,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code writes the signature in URL-safe base64 ('-' and '_'); Binance reads standard base64 ('+' and '/'), percent-encoded",
            line,
            "Encode the signature with standard base64 (toString('base64'), base64.b64encode, Base64.getEncoder()), then percent-encode it ('+' as %2B, '/' as %2F, '=' as %3D).",
        ));
    }
    out.extend(shell_slips(&lines));
    // Base64 written in lines: the line breaks travel in the signature.
    if let Some(line) = lines.iter().copied().find(|l| wrapped_base64(l)) {
        out.push(slip(
            Cause::SignatureNotBare,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code writes the signature in base64 broken into lines (openssl base64 and GNU base64 break every 64 or 76 characters, Ruby's Base64.encode64 every 60, MIME encoders too): the line breaks are sent with it",
            line,
            "Encode without line breaks: openssl base64 -A, base64 -w0, Ruby's Base64.strict_encode64, Java's Base64.getEncoder() (not getMimeEncoder()), Python's base64.b64encode (not encodebytes); then percent-encode it.",
        ));
    }
    if let Some(line) = lines.iter().find(|l| {
        l.contains("openssl dgst") && l.contains("echo ") && !l.contains("echo -n") && !l.contains("echo -en")
    }) {
        out.push(slip(
            Cause::SignedTrailingNewline,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script pipes echo into openssl: echo adds a newline, which is signed too",
            line,
            "Use echo -n (or printf '%s') so that only the query string is signed.",
        ));
    }
    // The calls a language or a library makes (a hash, an encoding, a header of another exchange).
    for found in idioms::read(&lines, text) {
        // Seconds followed by their milliseconds unpadded: not a timestamp in seconds.
        if found.cause == Cause::TimestampUnpaddedMillis {
            out.retain(|s| s.cause != Cause::TimestampSeconds);
        }
        if !out.iter().any(|s: &SourceSlip| s.cause == found.cause) {
            out.push(found);
        }
    }
    // In the order Binance checks: the one it answers first (a method the path does not take is
    // answered before any parameter is read).
    out.sort_by_key(|s| (s.verdict.is_none(), s.cause.stage()));
    out
}

/// Whether `line` gives a params object its `apiKey` (`"apiKey": k`, `'apiKey'`, `apiKey: k`, or
/// JavaScript's shorthand `{ apiKey, ... }`).
fn names_api_key(line: &str) -> bool {
    let t = line.replace([' ', '\t'], "");
    ["\"apiKey\"", "'apiKey'", "apiKey:", "{apiKey,", ",apiKey,", ",apiKey}", "{apiKey}"]
        .iter()
        .any(|w| t.contains(w))
}

/// Whether `line` is code rather than a comment (`#`, `//`, `/*`, `*` at its start).
fn is_code(line: &str) -> bool {
    !line.trim_start().starts_with(['#', '/', '*'])
}

/// Whether `line` names the variable `built` assigns.
fn names_assigned(line: &str, built: &str) -> bool {
    assigned(built).is_some_and(|name| names(line, name))
}

/// Slips of WebSocket API code (`lines`, its signing line `signed` when found) in the frame it
/// sends or the text it signs, beyond the params' order and encoding.
fn ws_frame_slips(lines: &[&str], signed: Option<&str>) -> Vec<SourceSlip> {
    let mut out = Vec::new();
    let code = |l: &&str| is_code(l);
    let squeezed = |l: &str| l.replace([' ', '\t'], "");
    let invalid_json = || ApiError::with_msg(ErrorCode::INVALID_JSON, "Invalid JSON Request");
    // The request sent as a Python dict's printed text (single quotes), not as JSON.
    if let Some(line) = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l);
        [".send(str(", ".send(repr(", ".send_str(str(", ".send(f\"{", ".send(f'{"]
            .iter()
            .any(|w| t.contains(w))
    }) {
        out.push(slip(
            Cause::FrameNotJson,
            invalid_json(),
            "your code sends the request as Python's printed dict (str(...): single quotes, True, None), which is not JSON",
            line,
            "Send json.dumps(request): JSON with double quotes, true/false and null.",
        ));
    }
    // A JavaScript object sent as a string: `[object Object]`.
    if let Some(line) = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l);
        [".send(String(", ".send(''+", ".send(\"\"+", ".send(`${"].iter().any(|w| t.contains(w))
            && !t.contains("JSON.stringify")
    }) {
        out.push(slip(
            Cause::FrameNotJson,
            invalid_json(),
            "your code sends the request object turned into a string, which JavaScript writes as [object Object], not JSON",
            line,
            "Send JSON.stringify(request).",
        ));
    }
    // params as a list of pairs (Python's list of tuples, `sorted(params.items())`), which JSON
    // writes as an array.
    if let Some(line) = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l);
        [
            "params=[(",
            "\"params\":[(",
            "'params':[(",
            "\"params\":sorted(",
            "'params':sorted(",
            "params=sorted(params.items())",
            "\"params\":list(",
            "'params':list(",
        ]
        .iter()
        .any(|w| t.contains(w))
    }) {
        out.push(slip(
            Cause::FrameNotJson,
            invalid_json(),
            "your code gives params as a list of pairs, which goes into the frame as a JSON array; the WebSocket API takes params as an object",
            line,
            "Keep params a dict ({\"symbol\": \"BTCUSDT\", ...}) and sign '&'.join(f\"{k}={v}\" for k, v in sorted(params.items())); send the dict.",
        ));
    }
    // A method the WebSocket API does not have, written in the code (`"method": "openOrder.status"`,
    // `call(ws, "/api/v3/order", ...)`, a market stream's `SUBSCRIBE`): judged as a frame with that
    // method is, by the frame's own check. (A market stream's control message is left alone where
    // the code opens a stream connection too: that one takes it.)
    let streams = lines.iter().any(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("stream.binance") || l.contains("/stream?") || l.contains(":9443/ws") || l.contains("/ws/")
    });
    // A method's name between quotes: letters, digits, `.`, `_`, `/`, up to its closing quote.
    let method_literals = |l: &str| -> Vec<String> {
        let t = squeezed(l);
        let mut found = Vec::new();
        for opener in ["\"method\":\"", "'method':'", "method:'", "method:\"", "(ws,\"", "(ws,'"] {
            for (at, _) in t.match_indices(opener) {
                let rest = &t[at + opener.len()..];
                let quote = opener.chars().last().unwrap_or('"');
                let name: String =
                    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "._/".contains(*c)).collect();
                // (Not a logger's shortening: `"session.logo...stamp"`.)
                if rest[name.len()..].starts_with(quote) && !name.contains("..") {
                    found.push(name);
                }
            }
        }
        found
    };
    // A method of the endpoint table (a request's or a session's).
    let known = |m: &str| crate::endpoint::ws_method(m).is_some() || crate::endpoint::ws_session(m).is_some();
    let unknown = lines.iter().copied().filter(code).find_map(|l| {
        // A helper's first argument after the socket may be the request's id
        // (`send(ws, "logon", "session.logon", params)`): the method is the known one beside it.
        let beside =
            l.split(['"', '\'']).skip(1).step_by(2).any(|q| q.contains('.') && !q.contains(' ') && known(q));
        if beside {
            return None;
        }
        method_literals(l).into_iter().find_map(|m| {
            let verb = crate::endpoint::Method::parse(&m).is_some();
            let control = crate::stream::CONTROL_METHODS.contains(&m.as_str());
            if m.is_empty() || verb || (control && streams) || m.contains('$') || m.contains('{') {
                return None;
            }
            // A stream's control message with its list of streams, as it is sent.
            let frame = if control {
                serde_json::json!({"id": 1, "method": m, "params": []}).to_string()
            } else {
                serde_json::json!({"id": 1, "method": m}).to_string()
            };
            let d = super::diagnose_ws(&frame, None, &super::Context::default());
            let first = d.findings.into_iter().next().filter(|f| f.cause == Cause::WsMethodUnknown)?;
            let error = ApiError::with_msg(ErrorCode::from(d.verdict.code), d.verdict.msg.clone());
            Some((l, first, error))
        })
    });
    if let Some((line, finding, error)) = unknown {
        out.push(slip(
            Cause::WsMethodUnknown,
            error,
            &format!("your code: {}", finding.title),
            line,
            &finding.fix,
        ));
    }
    // Or a variable holding such a list (`Object.entries(...)`, `sorted(params.items())`) given as
    // params (`params: entries`).
    let lists: Vec<&str> = lines
        .iter()
        .filter(|l| {
            let t = squeezed(l);
            t.contains("=Object.entries(")
                || (t.contains("=sorted(") && t.contains(".items()"))
                || t.contains("=list(")
        })
        .filter_map(|l| assigned(l))
        .collect();
    if !out.iter().any(|s| s.cause == Cause::FrameNotJson)
        && let Some(line) = lines.iter().copied().filter(code).find(|l| {
            let t = squeezed(l);
            lists.iter().any(|v| {
                [
                    format!("params:{v}"),
                    format!("\"params\":{v}"),
                    format!("'params':{v}"),
                    format!("[\"params\"]={v}"),
                ]
                .iter()
                .any(|w| {
                    t.match_indices(w.as_str()).any(|(at, _)| {
                        let next = t[at + w.len()..].chars().next();
                        !next.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '[')
                    })
                })
            })
        })
    {
        out.push(slip(
            Cause::FrameNotJson,
            invalid_json(),
            "your code gives params a list of name-value pairs, which goes into the frame as a JSON array; the WebSocket API takes params as an object",
            line,
            "Give params an object: Object.fromEntries(entries) in JavaScript, dict(pairs) in Python; sign the same params sorted by name.",
        ));
    }
    // The API key sent as a header of the WebSocket's handshake, as REST takes it, and in no
    // params: the WebSocket API reads it from params (or the session's logon) only.
    let handshake_key = lines.iter().copied().filter(code).find(|l| {
        let lower = l.to_ascii_lowercase();
        lower.contains("x-mbx-apikey") && (lower.contains("websocket(") || lower.contains("connect("))
    });
    let key_in_params = lines.iter().any(|l| names_api_key(l));
    if let Some(line) = handshake_key.filter(|_| !key_in_params) {
        out.push(slip(
            Cause::ApiKeyParamMissing,
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["apiKey"]),
            "your code sends the API key as a header of the WebSocket connection, as for REST: the WebSocket API reads it only from each request's params (or a session.logon)",
            line,
            "Put \"apiKey\" into params and sign it with the rest (sorted by name), or log on once with session.logon (an Ed25519 key).",
        ));
    }
    // PHP's http_build_query writes a bool as 1 or 0; json_encode sends true or false.
    let php_bool = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l).to_ascii_lowercase();
        t.contains("=>true") || t.contains("=>false")
    });
    if let Some(line) = php_bool.filter(|_| lines.iter().any(|l| l.contains("http_build_query("))) {
        out.push(slip(
            Cause::SignedOtherValueText,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs http_build_query's text of a PHP bool (1 or 0), but the frame sends it as JSON's true or false: Binance signs true",
            line,
            "Give the bool as the string the frame sends ('true' / 'false'), or build the signed text yourself with var_export($v, true) for bools.",
        ));
    }
    // A placeholder signature among the params when they are signed (`"signature": ""`, filled in
    // after): the text signed holds `signature=`.
    let placeholder = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l);
        [
            "\"signature\":\"\"",
            "'signature':''",
            "\"signature\":None",
            "'signature':None",
            "signature:''",
            "signature:\"\"",
            "signature:null",
            "signature:undefined",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    let left_out = lines.iter().any(|l| {
        let t = squeezed(l);
        [
            "!=\"signature\"",
            "!='signature'",
            "!==\"signature\"",
            "!=='signature'",
            "pop(\"signature\"",
            "pop('signature'",
            "delparams[",
            "deleteparams.signature",
            "del p[",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    let signs_items = lines.iter().any(|l| {
        let t = squeezed(l);
        t.contains(".items()")
            || t.contains("Object.keys(")
            || t.contains("Object.entries(")
            || t.contains("urlencode(")
    });
    if let Some(line) = placeholder.filter(|_| !left_out && signs_items) {
        out.push(slip(
            Cause::SignedWithSignatureParam,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code puts a placeholder signature among the params before signing them, so the text signed holds signature= too",
            line,
            "Sign the params without any signature entry, then add signature: leave it out of the dict until the signature is computed.",
        ));
    }
    // A request without its `id` (the key nowhere in the code).
    let no_id = !lines.iter().any(|l| {
        let t = squeezed(l);
        ["\"id\"", "'id'", "id:", "[\"id\"]", "['id']", ".id="].iter().any(|w| t.contains(w))
    });
    if let Some(line) = lines.iter().copied().filter(code).filter(|_| no_id).find(|l| {
        let t = squeezed(l);
        (t.contains("{\"method\":") || t.contains("{'method':") || t.contains("{method:"))
            && t.contains("params")
    }) {
        out.push(slip(
            Cause::FrameNotJson,
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["id"]),
            "your code sends requests without an \"id\", which every WebSocket API request carries (a number, a string of up to 36 characters, or null)",
            line,
            "Add \"id\" to each request (a counter or a UUID): the answer echoes it, which is how a client matches answers to requests.",
        ));
    }
    // An id of a prefix and a UUID: longer than the 36 characters an id may have.
    let uuid = ["uuid4()", "uuid.v4()", "uuidv4()", "randomuuid()", "uuid.new_v4()", "uuid.newguid()"];
    if let Some(line) = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l).to_ascii_lowercase();
        let Some(at) = ["\"id\":", "'id':", "id:"].iter().find_map(|w| t.find(w).map(|a| a + w.len())) else {
            return false;
        };
        let value = t[at..].split([',', '}']).next().unwrap_or_default();
        uuid.iter().any(|u| value.contains(u))
            && (value.contains('+')
                || value.starts_with("f\"")
                || value.starts_with("f'")
                || value.starts_with('`'))
            && value.chars().filter(char::is_ascii_alphabetic).count() > 12
    }) {
        out.push(slip(
            Cause::FrameNotJson,
            invalid_json(),
            "your code writes the request's id as text and a UUID: longer than the 36 characters an id may have",
            line,
            "Use the UUID alone (36 characters) or a number as the id; keep what you want to label requests with in a map of your own, keyed by id.",
        ));
    }
    // Python's True and False signed as they print (`True`), sent by json.dumps as true.
    let python = lines.iter().any(|l| l.contains("json.dumps") || l.trim_start().starts_with("def "));
    let bool_line = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l);
        ["\":True", "\":False", "':True", "':False", "\"]=True", "\"]=False", "']=True", "']=False"]
            .iter()
            .any(|w| t.contains(w))
    });
    if python
        && let (Some(line), Some(signing)) = (bool_line, signed)
        && !signing.contains(".lower()")
        && !signing.contains("json.dumps")
    {
        out.push(slip(
            Cause::SignedOtherValueText,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs a Python bool as it prints (True), but json.dumps sends it as true: Binance signs true",
            line,
            "Write the value as the frame sends it: \"true\" / \"false\" as strings in params (or str(v).lower() when joining), so the text signed and the frame agree.",
        ));
    }
    // A number formatted in the text signed (`{price:.2f}`, `toFixed(8)`) but sent as the number
    // itself, which JSON writes shortest (600.0 -> 600.0, 0.10 -> 0.1).
    let formats = |l: &str| {
        l.contains(".toFixed(")
            || l.contains("%.")
            || l.match_indices(":.").any(|(at, _)| {
                let rest = &l[at + 2..];
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                digits > 0 && rest[digits..].starts_with("f}")
            })
    };
    // The text signed: the signing line, or a line that joins name=value pairs.
    let builds_text = |l: &str| l.contains('&') && l.contains('=');
    if let Some(line) =
        signed.filter(|l| formats(l)).or_else(|| lines.iter().copied().find(|l| formats(l) && builds_text(l)))
        && lines.iter().filter(|l| formats(l)).count() == 1
    {
        out.push(slip(
            Cause::SignedOtherValueText,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code formats a number in the text it signs but sends the number itself, which JSON writes another way (0.1, not 0.10000000): Binance signs what the frame holds",
            line,
            "Format the numbers once, as strings, put those strings in params, and sign the same params: params[\"price\"] = f\"{price:.2f}\" (price.toFixed(2) in JavaScript).",
        ));
    }
    // The signature percent-encoded: in a frame it goes as produced.
    if let Some(line) = lines.iter().copied().filter(code).find(|l| {
        let t = squeezed(l).to_ascii_lowercase();
        // The value set: what follows the signature's name and `=` or `:`.
        let value = ["[\"signature\"]=", "['signature']=", "signature:", ".signature="]
            .iter()
            .find_map(|w| t.find(w).map(|at| &t[at + w.len()..]));
        // Percent-encoding applied to the signature itself: an encoder as the value's outermost
        // call (`quote(sig, safe="")`, `URLEncoder.encode(...)`), not inside the signing call, or
        // given the signature's variable (`return encodeURIComponent(sig)`).
        let encoder = |name: &str| URL_ENCODES.iter().any(|e| name.contains(e.trim_end_matches('(')));
        let encodes_sig = URL_ENCODES.iter().any(|e| t.contains(&format!("{}(sig", e.trim_end_matches('('))));
        encodes_sig
            || value.is_some_and(|v| {
                let v = v.trim_start_matches("await");
                v.split_once('(').is_some_and(|(call, _)| encoder(call))
            })
    }) {
        out.push(slip(
            Cause::SignatureEncodedTwice,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code percent-encodes the signature: in a WebSocket API frame it is sent as produced (JSON carries it as it is)",
            line,
            "Put the signature into params as produced (hex, or base64 as it is); percent-encoding belongs to a REST query string only.",
        ));
    }
    out
}

/// The names of a text to sign written out on `line` as a template (`f"timestamp={ts}&apiKey={k}"`,
/// `` `symbol=${s}&timestamp=${t}` ``, `"timestamp=" + ts`): each name before a `=` at the template's
/// start or after a `&`, in order; `None` unless the line holds one such name at least.
fn literal_signed_names(line: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    for (at, _) in line.match_indices('=') {
        let before = &line[..at];
        let name = super::identifier_before(before);
        let opener = before[..before.len() - name.len()].chars().next_back();
        let value = line[at + 1..].chars().next();
        let templated = matches!(value, Some('{' | '$' | '"' | '\'' | '`'));
        if !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && matches!(opener, Some('&' | '"' | '\'' | '`'))
            && templated
        {
            names.push(name);
        }
    }
    (!names.is_empty()).then_some(names)
}

/// A line that sends as the body a variable the code also puts after the URL's `?`: the line
/// that sends it as the body.
fn sent_twice<'l>(lines: &[&'l str]) -> Option<&'l str> {
    // A URL written out after the `?`'s line (not a library's generic `url += '?' + query` in one
    // branch and `body = query` in the other).
    let in_url: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("://") || l.contains("/api/") || l.contains("/sapi/"))
        .flat_map(|l| l.match_indices('?').map(move |(i, _)| &l[i + 1..]))
        .filter_map(|after| {
            // `?$qs`, `?{qs}`, `?" . $qs`, `?" + qs`, `?${qs}`.
            let after = after.trim_start_matches(['"', '\'', ' ', '.', '+', '$', '{']);
            let name: &str =
                &after[..after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len())];
            (name.len() >= 2).then_some(name)
        })
        .collect();
    let in_url: std::collections::HashSet<String> = in_url.iter().map(|v| v.to_ascii_lowercase()).collect();
    // A body set to one of them: `data=qs)`, `body: qs,`, `CURLOPT_POSTFIELDS, $qs);` (each line
    // read once, however long the log).
    lines.iter().copied().find(|l| {
        let compact = l.replace(' ', "").to_ascii_lowercase();
        ["postfields,$", "data=", "body:", "body=", ".body(", "content=", "postfields,"].iter().any(|p| {
            compact.match_indices(p).any(|(at, _)| {
                let rest = &compact[at + p.len()..];
                let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
                rest[end..].starts_with([')', ',', ';']) && in_url.contains(&rest[..end])
            })
        })
    })
}

/// Whether a line that signs writes its signature in base64 broken into lines.
fn wrapped_base64(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    if !lower.contains("sign") {
        return false;
    }
    let unwrapped = [" -a", "-w0", "-w 0", "--wrap=0", "tr -d"].iter().any(|f| lower.contains(f));
    let openssl = lower.contains("openssl base64") || lower.contains("openssl enc -base64");
    let gnu = lower.contains("| base64") || lower.contains("|base64");
    ((openssl || gnu) && !unwrapped)
        || [
            "base64.encode64(",
            "getmimeencoder(",
            "insertlinebreaks",
            "base64.encodebytes(",
            "base64.encodestring(",
        ]
        .iter()
        .any(|c| lower.contains(c))
}

/// Whether `text` holds code that signs requests (an HMAC or a signing call, and `signature`
/// named): a request it builds carries a signature and a timestamp, even where the text does not
/// show them.
pub fn builds_signed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let signs = lower.contains("signature")
        && ["hmac", "sign(", "openssl dgst", "sha256", "pkcs1", "ed25519", "eddsa"]
            .iter()
            .any(|s| lower.contains(s));
    // Or a client library that signs for it (python-binance, binance-connector, ccxt, the Node.js
    // and Go libraries, Binance.Net), made with a key.
    let library = [
        "from binance.client import",
        "from binance import",
        "from binance.spot import",
        "binance_sdk_spot",
        "import ccxt",
        "require('ccxt')",
        "require(\"ccxt\")",
        "from 'ccxt'",
        "require('node-binance-api')",
        "require('binance')",
        "from 'binance'",
        "@binance/",
        "adshao/go-binance",
        "binance.net",
        "binance::api",
        "php-binance-api",
    ]
    .iter()
    .any(|l| lower.contains(l));
    signs || library && (lower.contains("key") || lower.contains("secret"))
}

/// The text's lines, trimmed, with a method chain's continuation (`.update(...)` on a line of its
/// own) joined to the line it continues.
fn joined_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match out.last_mut() {
            Some(last) if line.starts_with('.') && !line.starts_with("..") => last.push_str(line),
            _ => out.push(line.to_owned()),
        }
    }
    out
}

fn slip(cause: Cause, error: ApiError, title: &str, line: &str, fix: &str) -> SourceSlip {
    SourceSlip {
        cause,
        error,
        title: title.to_owned(),
        line: crate::accept::clip(&masked(line), 160),
        fix: fix.to_owned(),
        verdict: None,
    }
}

/// `line` with every run of 32 or more key-like characters (letters, digits, `+/=_-`) shortened as
/// keys are (`abcd...(64 chars)`): a line of code may hold a secret written into it.
fn masked(line: &str) -> String {
    let keyish = |c: char| c.is_ascii_alphanumeric() || "+/=_-".contains(c);
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 32 {
            out.push_str(&super::request::shorten(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in line.chars() {
        if keyish(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The identifier a line assigns (`x = ...`, `const x = ...`, `final String x = ...`, `x := ...`,
/// `$x = ...`), if any.
fn assigned(line: &str) -> Option<&str> {
    // fish's `set NAME value` (`set -gx NAME value`).
    if let Some(rest) = line.trim_start().strip_prefix("set ") {
        return rest.split_whitespace().find(|w| !w.starts_with('-')).filter(|n| {
            n.chars().all(|c| c.is_alphanumeric() || c == '_') && !n.starts_with(|c: char| c.is_ascii_digit())
        });
    }
    let at = line.find('=')?;
    if line[at..].starts_with("==") || line[..at].ends_with(['!', '<', '>', '=']) {
        return None;
    }
    let left = line[..at].trim_end().trim_end_matches(['+', ':']).trim_end();
    // A type written after the name (`let mut params: HashMap<&str, String>`, Kotlin's
    // `val p: Map<String, String>`), not a path's `::`.
    let left = match left.find(':') {
        Some(c) if !left[c..].starts_with("::") && !left[..c].ends_with(':') => left[..c].trim_end(),
        _ => left,
    };
    // Of several (`b, err := json.Marshal(p)`), the first; a type's own commas
    // (`Map<String, String> params`) are no list.
    let left = if left.contains('<') { left } else { left.split(',').next().unwrap_or(left).trim_end() };
    let name = left.rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).next()?;
    let name = name.trim_start_matches('$');
    (!name.is_empty() && !name.chars().next().is_some_and(|c| c.is_ascii_digit())).then_some(name)
}

/// Whether `line` stores its value into a subscript or a property (`params["signature"] = ...`,
/// `req.signature = ...`), which [`assigned`] does not name.
fn stored(line: &str) -> bool {
    let Some(at) = line.find('=') else { return false };
    if line[at..].starts_with("==") || line[..at].ends_with(['!', '<', '>', '=']) {
        return false;
    }
    let left = line[..at].trim().trim_end_matches(['+', ':']).trim_end();
    !left.contains(['(', ' ']) && (left.ends_with(']') || left.contains('.')) && !left.is_empty()
}

/// Whether `line` names the identifier `name` (as a whole word).
fn names(line: &str, name: &str) -> bool {
    line.match_indices(name).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

/// The identifiers whose value derives from a line `seed` accepts, through assignments in order.
fn tainted<'l>(lines: &[&'l str], seed: impl Fn(&str) -> bool) -> Vec<&'l str> {
    let mut out: Vec<&str> = Vec::new();
    for _ in 0..2 {
        for line in lines {
            let Some(name) = assigned(line) else { continue };
            let rhs = match line.trim_start().strip_prefix("set ") {
                Some(_) => &line[line.find(name).map_or(0, |i| i + name.len())..],
                None => &line[line.find('=').map_or(0, |i| i + 1)..],
            };
            if !out.contains(&name) && (seed(rhs) || out.iter().any(|t| names(rhs, t))) {
                out.push(name);
            }
        }
    }
    out
}

/// A line where a JSON serialization of the parameters is signed.
fn json_signed<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let json = |l: &str| JSON_CALLS.iter().any(|c| l.contains(c));
    let macs = hmac_holders(lines);
    let signs = |l: &str| signing(l, &macs);
    let from_json = tainted(lines, json);
    // A JSON object (Kotlin's `buildJsonObject`, Java's `new JSONObject()`, Rust's `json!`) whose
    // text is what is signed (`sign(params.toString())`).
    let objects: Vec<&str> = lines
        .iter()
        .filter(|l| ["buildJsonObject", "JSONObject(", "JsonObject(", "json!("].iter().any(|c| l.contains(c)))
        .filter_map(|l| assigned(l))
        .collect();
    let object_text = |l: &str| {
        objects.iter().any(|o| {
            [format!("{o}.toString()"), format!("{o}.to_string()")].iter().any(|w| l.contains(w.as_str()))
        })
    };
    lines.iter().copied().find(|l| {
        signs(l)
            && (json(l) || from_json.iter().any(|t| names(l, t)) || object_text(l))
            && !l.trim_start().starts_with("def ")
    })
}

/// `X['signature'] = ...` (or `X["signature"]`, `X.put("signature"`, ...) followed by the same
/// `X` taking `timestamp`.
fn signed_before_timestamp<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let key_forms = |name: &str| {
        [format!("['{name}']"), format!("[\"{name}\"]"), format!("(\"{name}\""), format!("('{name}'")]
    };
    let container = |line: &str, name: &str| -> Option<String> {
        key_forms(name).iter().find_map(|form| {
            let at = line.find(form.as_str())?;
            let before = line[..at].trim_end_matches(['.', ' ']);
            let before = before
                .strip_suffix(".put")
                .or_else(|| before.strip_suffix(".Add"))
                .or_else(|| before.strip_suffix(".set"))
                .or_else(|| before.strip_suffix(".append"))
                .unwrap_or(before);
            let id = before.rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).next()?;
            (!id.is_empty()).then(|| id.to_owned())
        })
    };
    for (i, line) in lines.iter().enumerate() {
        let Some(holder) = container(line, "signature") else { continue };
        if lines[i + 1..]
            .iter()
            .any(|later| container(later, "timestamp").as_deref() == Some(holder.as_str()))
        {
            return Some(line);
        }
    }
    // `sig = sign(query)`, then `query += "&timestamp=..."` (or `v.Set("timestamp", ...)`): the
    // text signed is extended with the timestamp afterwards.
    signing_inputs(lines).into_iter().find_map(|(i, inputs)| {
        lines
            .iter()
            .enumerate()
            .skip(i + 1)
            .any(|(j, later)| {
                inputs.iter().any(|input| extended_with_timestamp(later, input))
                    && !signer_called_after(lines, i, j)
            })
            .then_some(lines[i])
    })
}

/// Whether the function `line` calls to sign (`signature = sign(params)`) is defined in the code
/// with a body that writes `timestamp` (`query = urlencode({**params, "timestamp": ts()})`).
fn signer_reads_timestamp(lines: &[&str], line: &str) -> bool {
    let Some(rhs) = line.find('=').map(|at| &line[at + 1..]) else { return false };
    let Some(open) = rhs.find('(') else { return false };
    let callee =
        rhs[..open].trim().rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or_default();
    if callee.is_empty() {
        return false;
    }
    let Some(def) =
        lines.iter().position(|l| definition(l) && names(l, callee) && l.contains(&format!("{callee}(")))
    else {
        return false;
    };
    // Its body: up to its first `return` (the signature it gives back) or the next definition.
    let mut returned = false;
    lines[def + 1..]
        .iter()
        .take_while(|l| {
            let inside = !returned && !definition(l);
            returned |= l.trim_start().starts_with("return");
            inside
        })
        .any(|l| l.contains("timestamp"))
}

/// Whether the function whose body holds the signing line `i` (`fn sign(params: ..)`, written
/// above its callers) is called after line `j`, which another function holds (one is defined
/// between them): what `j` added is then signed.
fn signer_called_after(lines: &[&str], i: usize, j: usize) -> bool {
    if !lines[i + 1..j].iter().any(|l| definition(l)) {
        return false;
    }
    let Some(def) = lines[..i].iter().rev().find(|l| definition(l)) else { return false };
    let name = def
        .trim_start()
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .find(|w| !DEFINES.iter().any(|k| k.split_whitespace().any(|d| d == *w)))
        .unwrap_or_default();
    !name.is_empty() && lines[j + 1..].iter().any(|l| l.contains(&format!("{name}(")) && !definition(l))
}

/// The variable a line puts the signature into (`v.Set("signature", ..)`, `params.insert(..)`,
/// `params.put(..)`, `params["signature"] = ..`, Elixir's `Map.put(params, :signature, ..)`).
fn signature_holder(line: &str) -> Option<String> {
    let l = line.replace([' ', '$'], "");
    let holder = ["Set(", "Add(", "set(", "add(", "insert(", "put(", "Insert("]
        .iter()
        .find_map(|m| l.find(&format!(".{m}\"signature\"")).map(|at| super::identifier_before(&l[..at])))
        .or_else(|| l.find("[\"signature\"]=").map(|at| super::identifier_before(&l[..at])))
        .or_else(|| {
            let rest = &l[l.find("Map.put(")? + "Map.put(".len()..];
            let (map, key) = rest.split_once(',')?;
            (key.starts_with(":signature,") || key.starts_with("\"signature\"")).then_some(map)
        })?;
    (!holder.is_empty()).then(|| holder.to_owned())
}

/// The signature put into a container that writes its entries sorted by name (Go's `url.Values`,
/// whose `Encode()` sorts; a `BTreeMap`, `TreeMap`, `SortedDictionary`, sorted map), which the
/// request then sends: the signature lands among the parameters (timestamp sorts after it), where
/// Binance does not take it. The line that adds it.
fn signature_in_sorted_container<'l>(lines: &[&'l str]) -> Option<&'l str> {
    // Elixir's maps (`%{...}`) of up to 32 keys enumerate sorted by key, too.
    const SORTED: [&str; 8] = [
        "url.values",
        "btreemap",
        "treemap",
        "sorteddictionary",
        "sortedmap",
        "sorteddict(",
        "sortedlist(",
        "%{",
    ];
    lines.iter().enumerate().find_map(|(i, line)| {
        if !is_code(line) {
            return None;
        }
        let holder = signature_holder(line)?;
        let holder = holder.as_str();
        let sorted_by_type = lines[..i].iter().any(|earlier| {
            assigned(earlier) == Some(holder)
                && SORTED.iter().any(|t| earlier.to_ascii_lowercase().replace(' ', "").contains(t))
        });
        let later = &lines[i + 1..];
        let encoded_sorted = later.iter().any(|l| l.contains(&format!("{holder}.Encode()")));
        let sent = later.iter().any(|l| is_code(l) && names(l, holder));
        ((sorted_by_type && sent) || encoded_sorted).then_some(*line)
    })
}

/// The text signed joined with another separator than `&` (`parts.joinToString()` is `", "`,
/// JavaScript's `parts.join()` is `","`), or written with Rust's `{:?}` (quotes around each value):
/// the cause and the line.
fn signed_joined_otherwise<'l>(lines: &[&'l str]) -> Option<(Cause, &'l str)> {
    let other_join = |l: &str| {
        let c = l.replace(' ', "");
        if c.contains(".joinToString()") || c.contains(".join()") || c.contains(".mkString(\",") {
            return true;
        }
        // An explicit separator only where the line joins pairs itself (`"$k=$v"`, `k + "=" + v`,
        // `f"{k}={v}"`): a list of symbols joined with ',' is a value's own text.
        let pairs_here = ["\"=", "='", "=\"", "'=", "={", "=$"].iter().any(|p| c.contains(p));
        pairs_here
            && ["joinToString(", ".join(", "implode("].iter().any(|call| {
                c.match_indices(call).any(|(at, _)| {
                    let rest = &c[at + call.len()..];
                    let sep = rest
                        .strip_prefix('"')
                        .and_then(|r| r.split_once('"'))
                        .or_else(|| rest.strip_prefix('\'').and_then(|r| r.split_once('\'')));
                    sep.is_some_and(|(sep, _)| [",", ", ", ";", "|"].contains(&sep))
                })
            })
    };
    signing_inputs(lines).into_iter().find_map(|(i, _)| {
        let (_, chain) = signed_chain(lines, i);
        // Pairs written `name=value` in the text signed.
        let pairs = chain.iter().any(|l| l.contains('='));
        if let Some(l) = chain.iter().copied().find(|l| l.contains("={:?}")) {
            return Some((Cause::SignedQuotedValues, l));
        }
        let joined = chain.iter().copied().find(|l| other_join(l))?;
        pairs.then_some((Cause::SignedOtherSeparator, joined))
    })
}

/// An HMAC made once, before any function (a package-level `var mac = hmac.New(...)`, a
/// module-level `h = hmac.new(secret, digestmod=...)`), written to inside a function and never
/// reset: the second request signs its text after the first one's. The line that writes.
fn hmac_not_reset<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let first_fn = lines.iter().position(|l| definition(l))?;
    let text = lines.join("\n");
    lines[..first_fn].iter().find_map(|l| {
        let lower = l.to_ascii_lowercase();
        if !(lower.contains("hmac.new(") && is_code(l)) {
            return None;
        }
        let mac = assigned(l)?;
        if text.contains(&format!("{mac}.Reset()")) || text.contains(&format!("{mac}.copy()")) {
            return None;
        }
        lines[first_fn..]
            .iter()
            .copied()
            .find(|w| w.contains(&format!("{mac}.Write(")) || w.contains(&format!("{mac}.update(")))
    })
}

/// A map's own printing signed (`sign(params.toString())` in Kotlin or Java gives
/// `{symbol=BTCUSDT, ...}`, Python's `str(params)` gives `{'symbol': 'BTCUSDT', ...}`): the
/// signing line.
fn signed_map_printed<'l>(lines: &[&'l str]) -> Option<&'l str> {
    const MAPS: [&str; 10] = [
        "mapof(",
        "linkedmapof(",
        "hashmapof(",
        "mutablemapof(",
        "new hashmap",
        "new linkedhashmap",
        "new treemap",
        "map.of(",
        "dict(",
        "= {",
    ];
    let maps: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            let lower = l.to_ascii_lowercase();
            let name = assigned(l)?;
            (MAPS.iter().any(|m| lower.contains(m)) && !lower.contains("urlsearchparams")).then_some(name)
        })
        .collect();
    let macs = hmac_holders(lines);
    lines.iter().copied().find(|l| {
        signing(l, &macs)
            && !definition(l)
            && maps.iter().any(|m| {
                let c = l.replace(' ', "");
                c.contains(&format!("({m}.toString()"))
                    || c.contains(&format!("(str({m})"))
                    || c.contains(&format!("({m}.to_s"))
                    || c.contains(&format!("(\"${m}\""))
            })
    })
}

/// The names of a query string written as a literal in `line` (`"symbol=%s&side=%s"`), in order.
fn literal_query_names(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in line.match_indices('=') {
        let before = &line[..at];
        let name = super::identifier_before(before);
        let opener = before[..before.len() - name.len()].chars().next_back();
        if !name.is_empty() && matches!(opener, Some('"' | '\'' | '&' | '?' | '`')) {
            out.push(name);
        }
    }
    out
}

/// A text signed as written (unsorted) while the request sends the parameters sorted by name (Go's
/// `url.Values.Encode()`, a sorted map): the line that sends them.
fn sent_sorted<'l>(lines: &[&'l str]) -> Option<&'l str> {
    signed_apart(lines).find_map(|(i, chain)| {
        if chain.iter().any(|l| sorts(l)) {
            return None;
        }
        let names = chain.iter().map(|l| literal_query_names(l)).find(|n| n.len() >= 2)?;
        if names.is_sorted() {
            return None;
        }
        lines[i + 1..].iter().copied().find(|l| is_code(l) && l.contains(".Encode()"))
    })
}

/// OpenSSL's `HMAC(EVP_sha256(), key, sizeof(key), ...)` in C or C++: of a `char *` the size of
/// the pointer (8 bytes of the secret, `secret-truncated`), of a `char key[]` the text and its
/// closing NUL (`secret-with-nul`). The cause and the line.
fn hmac_key_sizeof<'l>(lines: &[&'l str]) -> Option<(Cause, &'l str)> {
    lines.iter().copied().find_map(|l| {
        let c = l.replace(' ', "");
        let args = &c[c.find("HMAC(")? + "HMAC(".len()..];
        let mut parts = args.split(',');
        let key = parts.nth(1)?;
        let size = parts.next()?;
        let inner = size.strip_prefix("sizeof(")?.strip_suffix(')')?;
        if inner != key {
            return None;
        }
        let declared = lines.iter().map(|d| d.replace(' ', "")).find(|d| {
            d.contains(&format!("*{key}="))
                || d.contains(&format!("{key}[]="))
                || d.contains(&format!("*{key};"))
        })?;
        if declared.contains(&format!("*{key}")) {
            Some((Cause::SecretTruncated, l))
        } else {
            Some((Cause::SecretWithNul, l))
        }
    })
}

/// Python: a function's parameter defaulting to None put into the params (`"newClientOrderId":
/// client_id` with `client_id=None`), signed through `urlencode` (which writes `None`) and sent by
/// requests or httpx (which leave a None out): the entry's line.
fn none_signed_then_dropped<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let text = lines.join("\n");
    let sent = ["params=", "data="].iter().any(|k| text.contains(k))
        && ["requests.", "httpx.", "session.", ".get(", ".post("].iter().any(|k| text.contains(k));
    let filtered = ["is not None", "is None", "if v", "if value", "!= None"].iter().any(|f| text.contains(f));
    if !text.contains("urlencode(") || !sent || filtered {
        return None;
    }
    let defaults: Vec<&str> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("def ") || l.trim_start().starts_with("async def "))
        .flat_map(|l| l.split(['(', ',', ')']))
        .filter_map(|arg| arg.trim().strip_suffix("=None").or_else(|| arg.trim().strip_suffix(" = None")))
        .map(str::trim)
        .collect();
    lines.iter().copied().filter(|l| is_code(l)).find(|l| {
        defaults.iter().any(|d| {
            let c = l.replace(' ', "");
            [format!("\":{d},"), format!("':{d},"), format!("\":{d}}}"), format!("':{d}}}")]
                .iter()
                .any(|f| c.contains(f.as_str()))
                || c.ends_with(&format!("\":{d}"))
                || c.ends_with(&format!("':{d}"))
        })
    })
}

/// The signing lines (calls, not a function's definition) with the variables each signs: those its
/// call names and what they were built from (`query = urlencode(params)`, then `sign(query)`).
fn signing_inputs<'l>(lines: &[&'l str]) -> Vec<(usize, Vec<&'l str>)> {
    let macs = hmac_holders(lines);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let call_on_mac = macs.iter().any(|m| line.contains(&format!("{m}.")));
        let signs = signing(line, &macs)
            && (assigned(line).is_some() || call_on_mac || stored(line))
            && !definition(line);
        let Some(at) = line.find('(').filter(|_| signs) else { continue };
        let words = |text: &'l str| -> Vec<&'l str> {
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
                .filter(|w| !NOT_INPUTS.contains(&w.to_ascii_lowercase().as_str()))
                .collect()
        };
        let mut inputs = words(&line[at..]);
        // What those were built from (`query = urlencode(params)`, then `sign(query)`).
        for earlier in lines[..i].iter().rev() {
            if let Some(name) = assigned(earlier)
                && inputs.contains(&name)
                && let Some(eq) = earlier.find('=')
            {
                for w in words(&earlier[eq + 1..]) {
                    if !inputs.contains(&w) {
                        inputs.push(w);
                    }
                }
            }
        }
        out.push((i, inputs));
    }
    out
}

/// A parameter of Binance's other than the signature added to the text signed after it was signed,
/// and not signed again (`$query .= "&recvWindow=5000"`, `v.Add("recvWindow", ..)`,
/// `params["newClientOrderId"] = ..`), or written after it where it is sent
/// (`` `${qs}&timestamp=${Date.now()}&signature=${sig}` ``): the signing line, the name added, and
/// whether the code wrote that name before signing (then its value changed).
fn signed_then_extended<'l>(lines: &[&'l str]) -> Option<(&'l str, &'static str, bool)> {
    let signers = signing_inputs(lines);
    signers.iter().find_map(|(i, inputs)| {
        // The variables signed (not the words of the literals they were built from).
        let variables: Vec<&str> =
            inputs.iter().copied().filter(|v| lines[..*i].iter().any(|l| assigned(l) == Some(*v))).collect();
        lines.iter().enumerate().skip(i + 1).find_map(|(j, later)| {
            let (input, name) = variables.iter().find_map(|input| {
                Some((*input, extended_with(later, input).or_else(|| sent_with_more(later, input))?))
            })?;
            // Signed again once extended: what is sent was signed.
            let resigned = signers.iter().any(|(k, again)| *k > j && again.contains(&input))
                || signer_called_after(lines, *i, j);
            // Already written before the signing: a value changed, not a parameter added.
            let changed = written_names(lines, *i).contains(&name);
            (!resigned).then_some((lines[*i], name, changed))
        })
    })
}

/// A parameter of Binance's written right after `input` where `later` composes what it sends
/// (`` `${qs}&timestamp=..` ``, `qs + "&recvWindow=.."`, `"$query&timestamp=.."`), not the signature.
fn sent_with_more(later: &str, input: &str) -> Option<&'static str> {
    if !is_code(later) {
        return None;
    }
    let l = later.replace(' ', "");
    l.match_indices(input).find_map(|(at, _)| {
        let before = l[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let rest = l[at + input.len()..].trim_start_matches(['}', ')']);
        let rest = rest
            .strip_prefix('&')
            .or_else(|| rest.strip_prefix("+\"&"))
            .or_else(|| rest.strip_prefix("+'&"))
            .or_else(|| rest.strip_prefix("+`&"))
            .or_else(|| rest.strip_prefix(".\"&"))
            .or_else(|| rest.strip_prefix(".'&"))?;
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let (ident, after) = rest.split_at(end);
        (after.starts_with('=') && ident != "signature").then_some(())?;
        param_name(ident)
    })
}

/// `ident` as one of Binance's parameter names (timestamp and recvWindow included).
fn param_name(ident: &str) -> Option<&'static str> {
    ["timestamp", "recvWindow"].into_iter().chain(known_names().iter().copied()).find(|n| *n == ident)
}

/// The parameter `later` adds to `input` (`input += "&name=.."`, `input.Add("name", ..)`,
/// `input["name"] = ..`, `input.name = ..`), when it is one of Binance's and not the signature.
fn extended_with(later: &str, input: &str) -> Option<&'static str> {
    added_names(later, input).into_iter().find(|n| *n != "signature")
}

/// Binance's parameters `later` adds to `input`, in order: every pair of a text appended
/// (`input += "&recvWindow=5000&timestamp=" + ts`, Perl's and PHP's `.=`) or of a merge, else the
/// one name a call or a subscript sets.
fn added_names(later: &str, input: &str) -> Vec<&'static str> {
    if !is_code(later) {
        return Vec::new();
    }
    let l = later.replace([' ', '$'], "");
    let input = input.trim_start_matches('$');
    // Merged in: Ruby's `params = params.merge(newOrderRespType: 'FULL', ..)` (and `merge!`),
    // Python's `params.update(recvWindow=5000)` or `params |= {..}`, JavaScript's
    // `Object.assign(params, {..})` or `params = { ...params, .. }`: every name of the call.
    let merges = [
        format!("{input}={input}.merge("),
        format!("{input}.merge!("),
        format!("{input}.update("),
        format!("{input}|={{"),
        format!("Object.assign({input},{{"),
        format!("{input}={{...{input},"),
    ];
    if let Some(rest) = merges.iter().find_map(|f| l.find(f.as_str()).map(|at| &l[at + f.len()..])) {
        return rest
            .split(',')
            .filter_map(|piece| {
                let piece = piece.trim_start_matches(['{', '(', '"', '\'', ':']);
                let end =
                    piece.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(piece.len());
                let (ident, after) = piece.split_at(end);
                after
                    .trim_start_matches(['"', '\''])
                    .starts_with([':', '='])
                    .then(|| param_name(ident))
                    .flatten()
            })
            .collect();
    }
    let forms = [
        // Text appended: every pair of it.
        format!("{input}+="),
        format!("{input}.="),
        format!("{input}={input}+"),
        // A call or a subscript: its one name.
        format!("{input}.set("),
        format!("{input}.Set("),
        format!("{input}.append("),
        format!("{input}.put("),
        format!("{input}.add("),
        format!("{input}.Add("),
        format!("{input}.insert("),
        format!("{input}["),
        // A property set (`input.recvWindow = ..`), not compared.
        format!("{input}."),
    ];
    let Some((form, rest)) = forms.iter().enumerate().find_map(|(n, f)| {
        let at = if l.starts_with(f.as_str()) { 0 } else { l.find(&format!(";{f}"))? + 1 };
        Some((n, &l[at + f.len()..]))
    }) else {
        return Vec::new();
    };
    if form < 3 {
        return literal_query_names(rest).into_iter().filter_map(param_name).collect();
    }
    let property = form == forms.len() - 1;
    // A Python f-string's or a Scala s-string's prefix, then quotes, `&`, `?`.
    let rest = rest.strip_prefix(['f', 's']).filter(|r| r.starts_with(['"', '\''])).unwrap_or(rest);
    let rest = rest.trim_start_matches(['(', '"', '\'', '`', '&', '?']);
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let (ident, after) = rest.split_at(end);
    let follows = if property {
        after.starts_with('=') && !after.starts_with("==")
    } else {
        after.starts_with(['=', '"', '\'', '`', ']'])
    };
    if follows { param_name(ident).into_iter().collect() } else { Vec::new() }
}

/// The text a signing line signs: the variables its call names that the code assigned before it
/// (`to_sign` in `hmac.new(secret, to_sign.encode(), ...)`; not the secret), and the lines that
/// built them, the signing line first.
fn signed_chain<'l>(lines: &[&'l str], i: usize) -> (Vec<&'l str>, Vec<&'l str>) {
    let line = lines[i];
    let words = |text: &'l str| -> Vec<&'l str> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
            .filter(|w| {
                let lower = w.to_ascii_lowercase();
                !NOT_INPUTS.contains(&lower.as_str()) && !lower.contains("secret") && !lower.contains("key")
            })
            .collect()
    };
    let earlier = &lines[..i];
    let args = line.find('(').map_or("", |at| &line[at..]);
    let direct: Vec<&str> =
        words(args).into_iter().filter(|w| earlier.iter().any(|l| assigned(l) == Some(*w))).collect();
    let mut inputs = direct.clone();
    let mut chain = vec![line];
    for l in earlier.iter().rev() {
        if let Some(name) = assigned(l)
            && inputs.contains(&name)
            && let Some(eq) = l.find('=')
        {
            chain.push(l);
            for w in words(&l[eq + 1..]) {
                if !inputs.contains(&w) {
                    inputs.push(w);
                }
            }
        }
    }
    (direct, chain)
}

/// Whether a line sorts what it builds.
fn sorts(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    SORTS.iter().any(|s| lower.contains(s)) || line.contains(".Encode()")
}

/// The signing lines (not a function's definition) with the text they sign ([`signed_chain`]),
/// when that text is not what the request sends: no later line names it (the request is built
/// from the parameters again, by a library or by hand).
fn signed_apart<'a, 'l>(lines: &'a [&'l str]) -> impl Iterator<Item = (usize, Vec<&'l str>)> + 'a {
    let macs = hmac_holders(lines);
    (0..lines.len()).filter_map(move |i| {
        let line = lines[i];
        if !signing(line, &macs) || definition(line) || !line.contains('(') {
            return None;
        }
        let (direct, chain) = signed_chain(lines, i);
        let sent = lines[i + 1..].iter().any(|later| direct.iter().any(|d| names(later, d)));
        (!direct.is_empty() && !sent).then_some((i, chain))
    })
}

/// The endpoint table's parameter names, gathered once.
fn known_names() -> &'static [&'static str] {
    static KNOWN: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut k: Vec<&'static str> = crate::endpoint::SPOT
            .iter()
            .flat_map(|e| e.params.iter().flat_map(|g| g.iter().map(|p| p.name)))
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    })
}

/// Binance's parameter names as the code writes them before line `end`, in the order first written
/// (a name followed by `:`, `=`, `=>` or `,` within a quote of it: `"symbol": `, `v.Set("side",`,
/// `type: 'LIMIT'`, `quantity=`).
fn written_names(lines: &[&str], end: usize) -> Vec<&'static str> {
    let known = known_names();
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    for (n, line) in lines[..end].iter().enumerate() {
        for name in known {
            for (at, _) in line.match_indices(name) {
                let before = line[..at].chars().next_back();
                let rest = &line[at + name.len()..];
                let after = rest.trim_start_matches(['"', '\'', '`']).trim_start();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                // Kotlin's and Scala's pairs: `"symbol" to "BTCUSDT"`, `"symbol" -> "BTCUSDT"`.
                let pair =
                    rest.starts_with(['"', '\'']) && (after.starts_with("to ") || after.starts_with("->"));
                // A subscript set: `params["timestamp"] = ..`.
                let subscript = after
                    .strip_prefix(']')
                    .map(str::trim_start)
                    .is_some_and(|a| a.starts_with('=') && !a.starts_with("=="));
                if !word(before)
                    && !word(rest.chars().next())
                    && (after.starts_with([':', '=', ',']) || pair || subscript)
                    && !found.iter().any(|(_, _, f)| f == name)
                {
                    found.push((n, at, name));
                }
            }
        }
    }
    found.sort_unstable();
    found.into_iter().map(|(_, _, name)| name).collect()
}

/// A text signed sorted by name while the request sends the parameters in the order written (which
/// is not sorted): the line that sorts.
fn signed_sorted<'l>(lines: &[&'l str]) -> Option<&'l str> {
    signed_apart(lines).find_map(|(i, chain)| {
        let sorting = chain.iter().copied().find(|l| sorts(l))?;
        // Written before the signing, else anywhere (a function called with them further down).
        let mut written = written_names(lines, i);
        if written.len() < 2 {
            written = written_names(lines, lines.len());
        }
        (written.len() >= 2 && !written.is_sorted()).then_some(sorting)
    })
}

/// Calls that make an HMAC from a key, in lower case: Python's `hmac.new(key, ...)`, Node's
/// `createHmac('sha256', key)`, Go's `hmac.New(sha256.New, key)`, Java's `new SecretKeySpec(key,
/// ...)`, PHP's `hash_hmac('sha256', $data, $key)`, Ruby's `OpenSSL::HMAC.hexdigest('sha256', key,
/// data)`, .NET's `new HMACSHA256(key)`, Rust's `new_from_slice(key)`.
const HMAC_KEYINGS: [&str; 13] = [
    "hmac.new(",
    // Erlang's and Elixir's `:crypto.mac(:hmac, :sha256, key, data)`, and the older `:crypto.hmac`.
    "crypto.mac(",
    "crypto.hmac(",
    "createhmac(",
    "secretkeyspec(",
    "hash_hmac(",
    "hmac.hexdigest(",
    "hmac.digest(",
    "hmacsha256(",
    "new_from_slice(",
    "hmac::key::new(",
    // Delphi's `THashSHA2.GetHMACAsBytes(data, key)`.
    "gethmacasbytes(",
    "gethmac(",
];

/// The variable a program sends as its `X-MBX-APIKEY` header's value (`{"X-MBX-APIKEY", key}`,
/// `headers: { 'X-MBX-APIKEY': k }`, `-H "X-MBX-APIKEY: $KEY"`), lower case, when a line names one.
fn key_header_variable(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|l| {
        let lower = l.to_ascii_lowercase();
        let at = lower.find("x-mbx-apikey")?;
        let rest = lower[at + "x-mbx-apikey".len()..].trim_start_matches(|c: char| {
            matches!(c, '"' | '\'' | '`' | ',' | ':' | '=' | '>' | ' ' | '$' | '{' | '#' | '+' | '[')
        });
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
        // A variable, not a key written in (64 characters) or a placeholder's word.
        (!name.is_empty() && name.len() < 40 && !name.starts_with(|c: char| c.is_ascii_digit()))
            .then_some(name)
    })
}

/// Whether `line` makes an HMAC keyed with `var` (lower case, the program's key header variable)
/// and no secret: `:crypto.mac(:hmac, :sha256, key, query)` where `key` goes out as the API key.
fn hmac_keyed_with(line: &str, var: &str) -> bool {
    keying_args(&line.to_ascii_lowercase()).any(|args| names(args, var) && !args.contains("secret"))
}

/// The arguments (lower case, to the call's closing parenthesis) of each HMAC keying call
/// ([`HMAC_KEYINGS`]) in `line`.
fn keying_args(line: &str) -> impl Iterator<Item = &str> {
    HMAC_KEYINGS.iter().flat_map(move |call| {
        line.match_indices(call).map(move |(at, _)| {
            let args = &line[at + call.len()..];
            let mut depth = 1usize;
            let end = args
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(args.len(), |(i, _)| i);
            &args[..end]
        })
    })
}

/// Whether `line` makes an HMAC whose arguments name the API key and no secret
/// (`hmac.new(API_KEY.encode(), query.encode(), hashlib.sha256)`).
fn hmac_keyed_with_api_key(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    // The program's own signing helper called with the API key first (`hmac(API_KEY, query)`,
    // `sign(apiKey, payload)`), not its definition.
    let helper = !definition(line)
        && lower.match_indices('(').any(|(at, _)| {
            let name = lower[..at]
                .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default()
                .replace('_', "");
            let first: String = lower[at + 1..]
                .split([',', ')'])
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !matches!(c, '_' | '-' | ' '))
                .collect();
            (name.contains("hmac") || name == "sign" || name.ends_with("signature"))
                && lower[at + 1..].contains(',')
                && (first == "apikey" || first.ends_with(".apikey"))
                && !first.contains("secret")
        });
    if helper {
        return true;
    }
    keying_args(&lower).any(|args| {
        let args: String = args.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).collect();
        args.contains("apikey") && !args.contains("secret") && !args.contains("apikey=")
    })
}

/// Whether `line` hands curl's `--data-urlencode` a value that percent-encoding changes: written
/// there (`"note=a b"`), or a variable the script assigns such a value (`coid="tp 1/2"`).
fn urlencodes_a_changed_value(lines: &[&str], line: &str) -> bool {
    let changed = |v: &str| !crate::encode::is_clean(v);
    line.split("--data-urlencode").skip(1).any(|arg| {
        let arg = arg.trim_start().trim_start_matches(['"', '\'']);
        let arg = &arg[..arg.find(['"', '\'']).unwrap_or(arg.len())];
        let Some((_, value)) = arg.split_once('=') else { return false };
        match value.strip_prefix('$').map(|v| v.trim_start_matches('{').trim_end_matches('}')) {
            Some(var) => lines.iter().any(|l| {
                l.trim_start().strip_prefix(var).and_then(|r| r.strip_prefix('=')).is_some_and(|v| {
                    let v = v.trim().trim_matches(['"', '\'']);
                    !v.starts_with("$(") && changed(v)
                })
            }),
            None => changed(value),
        }
    })
}

/// A shell script's slips, on its `curl`, `http` (HTTPie) and `openssl` lines: a URL left unquoted
/// (the shell ends the command at its first `&`), the key as basic credentials (`-u`), a JSON
/// body (`--json`, HTTPie's `key=value` items), a GET with a body (`-X GET -d`), openssl's output
/// signed whole (`SHA2-256(stdin)= ...`), an HMAC written as base64 or wrapped by `xxd -p`, an
/// Ed25519 or RSA signature written as hex, RSA signed with PSS.
fn shell_slips(lines: &[&str]) -> Vec<SourceSlip> {
    let mut out = Vec::new();
    let words = |l: &str| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let curl_line = |l: &&&str| {
        let t = l.trim_start();
        t.starts_with("curl ") || t.contains("$(curl ") || t.contains("(curl ")
    };
    // An unquoted word holding `?` and `&`: the shell runs `curl ...?a=1` in the background.
    let unquoted = |l: &str| {
        let mut quote = None;
        let mut word = String::new();
        let mut found = false;
        for c in l.chars().chain([' ']) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '\'' | '"') => quote = Some(c),
                (None, ' ' | '\t') => {
                    found |= word.contains("://") && word.contains('?') && word.contains('&');
                    word.clear();
                    continue;
                }
                (None, c) => word.push(c),
                _ => {}
            }
        }
        found
    };
    if let Some(line) = lines.iter().filter(curl_line).find(|l| unquoted(l)) {
        out.push(slip(
            Cause::SignatureMissing,
            ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
            "your script leaves the URL unquoted: the shell ends the command at its first '&' (running it in the background), so curl sends only the first parameter, without the rest and the signature",
            line,
            "Quote the whole URL: curl -H \"X-MBX-APIKEY: $KEY\" \"https://api.binance.com/api/v3/...?$QUERY&signature=$SIG\".",
        ));
    }
    if let Some(line) = lines.iter().filter(curl_line).find(|l| {
        let w = words(l);
        w.iter().any(|x| x == "-u" || x == "--user" || x.starts_with("--user="))
    }) {
        out.push(slip(
            Cause::KeyInAuthorizationHeader,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your script sends the API key as basic credentials (curl -u): an Authorization header, which Binance does not read",
            line,
            "Send the key in a header named X-MBX-APIKEY: curl -H \"X-MBX-APIKEY: $KEY\".",
        ));
    }
    let httpie_items = |l: &str| {
        let w = words(l);
        let item = |x: &String| {
            x.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            }) && !x.contains("==")
        };
        matches!(w.first().map(String::as_str), Some("http" | "https"))
            && !l.contains('(')
            && !w.iter().any(|x| x == "--form" || x == "-f")
            && w.iter().skip(1).any(item)
    };
    if let Some(line) = lines
        .iter()
        .copied()
        .find(|l| (curl_line(&l) && words(l).iter().any(|x| x == "--json")) || httpie_items(l))
    {
        out.push(slip(
            Cause::JsonBody,
            ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
            "your script sends the parameters as a JSON body (curl --json, or HTTPie's name=value items, which it sends as JSON), which Binance does not read",
            line,
            "Send a form: curl -d \"$QUERY&signature=$SIG\" (not --json); HTTPie --form (or name==value items in the query string).",
        ));
    }
    if let Some(line) = lines.iter().filter(curl_line).find(|l| {
        let w = words(l);
        let get = w.windows(2).any(|p| p[0] == "-X" && p[1].trim_matches(['"', '\'']) == "GET")
            || w.iter().any(|x| x == "-XGET");
        let data = w.iter().any(|x| x == "-d" || x.starts_with("--data"));
        get && data && !w.iter().any(|x| x == "-G" || x == "--get")
    }) {
        out.push(slip(
            Cause::GetWithBody,
            ApiError::new(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED),
            "your script sends a GET with a body (curl -X GET -d): Binance reads only the query string of a GET",
            line,
            "Put the parameters in the URL, or let curl do it: curl -G -d \"$QUERY\" -d \"signature=$SIG\".",
        ));
    }
    let dgst =
        |l: &str| l.contains("openssl dgst") || l.contains("openssl sha256") || l.contains("openssl mac");
    let extracts = |l: &str| {
        [
            "awk",
            "cut ",
            "sed ",
            " -r",
            "-binary",
            "string split",
            "tr ",
            "xxd",
            "{print",
            "##* ",
            "#* ",
            "match(\"= ",
            "%x+",
            "re.search(",
        ]
        .iter()
        .any(|w| l.contains(w))
    };
    if let Some(line) = lines.iter().enumerate().find_map(|(i, l)| {
        // Its output cut down to the hex on a later line (`sig="$(echo $sig | cut -f2 -d" ")"`),
        // or through a variable read from it (Lua's `local out = p:read("*a")`, then
        // `out:match("= (%x+)")`).
        let later = assigned(l).is_some_and(|v| {
            let read: Vec<&str> =
                lines[i + 1..].iter().filter(|m| names(m, v)).filter_map(|m| assigned(m)).collect();
            lines[i + 1..].iter().any(|m| (names(m, v) || read.iter().any(|r| names(m, r))) && extracts(m))
        });
        // Its output captured as the signature (`SIG=$(... | openssl dgst ...)`, backticks, fish's
        // `(...)`), not a command run by hand to compare (`echo -n ... | openssl dgst ...`).
        // (A markdown post's inline code, `...`, is not a capture.)
        let inner = l.trim().trim_matches('`');
        // A variable set from it: `SIG=...`, `local sig=...`, `set SIG (...)`.
        let head = inner.trim_start_matches("local ").trim_start_matches("export ");
        let set_from = head.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.trim_end().chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let captured = inner.contains("$(") || inner.contains('`') || set_from || inner.starts_with("set ");
        (dgst(l) && l.contains("-hmac") && !extracts(l) && !later && captured).then_some(*l)
    }) {
        out.push(slip(
            Cause::SignatureNotBare,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script takes openssl's whole output as the signature: it prints a label before the hex ('SHA2-256(stdin)= ...' or '(stdin)= ...')",
            line,
            "Keep the hex only: openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $NF}' (or -r, then cut -d' ' -f1).",
        ));
    }
    if let Some(line) = lines
        .iter()
        .copied()
        .find(|l| dgst(l) && l.contains("-hmac") && l.contains("-binary") && l.contains("base64"))
    {
        out.push(slip(
            Cause::SignatureBase64ForHmac,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script writes the HMAC in base64 (openssl -binary | base64); Binance reads an HMAC signature as hex",
            line,
            "Write the HMAC as hex: openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $NF}'.",
        ));
    }
    if let Some(line) =
        lines.iter().copied().find(|l| l.contains("xxd -p") && !l.contains("-c") && !l.contains("tr -d"))
    {
        out.push(slip(
            Cause::SignatureNotBare,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script writes the signature with xxd -p, which breaks its hex into lines of 60 characters: the line break is sent with it",
            line,
            "Keep it on one line: xxd -p -c 256 (or | tr -d '\\n').",
        ));
    }
    let asymmetric =
        |l: &str| l.contains("pkeyutl") && l.contains("-sign") || l.contains("dgst") && l.contains("-sign ");
    if let Some(line) = lines
        .iter()
        .copied()
        .find(|l| asymmetric(l) && (l.contains("xxd -p") || l.contains("od -") || l.contains("-hex")))
    {
        out.push(slip(
            Cause::SignatureHexForAsymmetricKey,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script writes an Ed25519 or RSA signature as hex; Binance reads it as base64",
            line,
            "Encode the signature in base64 (| base64 -w0, or openssl base64 -A), then percent-encode it in the query.",
        ));
    }
    // openssl's output cut to its first field: without -r that is the label
    // (`SHA2-256(stdin)=`), not the hex.
    if let Some(line) = lines.iter().copied().find(|l| {
        let first =
            l.contains("cut") && (l.contains("-f1") || l.contains("-f 1")) || l.contains("{print $1}");
        dgst(l) && l.contains("-hmac") && first && !l.contains(" -r ") && !l.contains(" -r|")
    }) {
        out.push(slip(
            Cause::SignatureNotBare,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script keeps the first field of openssl's output, which is its label ('SHA2-256(stdin)='), not the hex after it",
            line,
            "Keep the last field: openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $NF}' (or add -r, whose hex comes first).",
        ));
    }
    // A `$name` kept as written in single quotes on one line and expanded in double quotes on
    // another (`Q='...id=grid$1&...'` signed, `-d "...id=grid$1&..."` sent): the signature covers
    // one text and Binance gets the other.
    if let Some(line) = dollar_quoted_apart(lines, |l| dgst(l) || l.contains("hmac")) {
        out.push(slip(
            Cause::SignedOtherValueText,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script writes a parameter with a $ in it twice, once in single quotes (where the shell keeps $ as written) and once in double quotes (where it puts the variable's value there, empty if it is not set): it signs one text and sends the other",
            line,
            "Build the parameters once, in one variable, and send that variable with the signature (-d \"$Q&signature=$SIG\"); in single quotes if the $ is meant literally (Binance refuses $ in newClientOrderId), in double quotes if it is a variable.",
        ));
    }
    // curl's -H without a colon (`-H "X-MBX-APIKEY $KEY"`): curl sends no such header.
    if let Some(line) = lines.iter().filter(curl_line).copied().find(|l| {
        l.split("-H ").skip(1).any(|arg| {
            let arg = arg.trim_start();
            let Some(q) = arg.chars().next().filter(|c| *c == '"' || *c == '\'') else { return false };
            let value = &arg[1..arg[1..].find(q).map_or(arg.len(), |e| e + 1)];
            let name = value.split([' ', ':']).next().unwrap_or_default();
            // As the --curl reader reads it: a header curl cannot read is not sent.
            name.eq_ignore_ascii_case("x-mbx-apikey") && super::request::parse_header(value).is_none()
        })
    }) {
        out.push(slip(
            Cause::KeyMissing,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your script writes the key's header without a colon (-H \"X-MBX-APIKEY $KEY\"): curl sends no header it cannot read as name: value, so the key is not sent",
            line,
            "Put a colon after the name: -H \"X-MBX-APIKEY: $KEY\".",
        ));
    }
    // The key's header or openssl's -hmac given a variable the script never sets, while it sets
    // another one for the key or the secret (`KEY=...` then `$API_KEY`): sent empty.
    let set: Vec<&str> = lines
        .iter()
        .flat_map(|l| {
            let t = l.trim_start();
            let t = ["export ", "local ", "declare ", "readonly "]
                .iter()
                .fold(t, |t, p| t.strip_prefix(p).unwrap_or(t));
            // `read -r NAME`, `IFS= read -r -d '' NAME < file` (IFS is set too), `for NAME in`.
            let w: Vec<&str> = t.split_whitespace().collect();
            let read = w.iter().position(|x| *x == "read" || *x == "for").and_then(|at| {
                w[at + 1..]
                    .iter()
                    .copied()
                    .take_while(|x| !x.starts_with('<') && *x != "in")
                    .filter(|x| !x.starts_with('-') && !x.starts_with('\'') && !x.starts_with('"'))
                    .last()
            });
            [assigned(t), read].into_iter().flatten()
        })
        .collect();
    // A script that loads variables from elsewhere (`source .env`, `. ./keys.sh`, `eval`,
    // `export $(cat .env)`) may set any of them.
    let loads = lines.iter().any(|l| {
        let t = l.trim_start();
        ["source ", ". ", "eval ", "set -a"].iter().any(|p| t.starts_with(p)) || t.contains("export $(")
    });
    let unset = |var: &str| !loads && !var.is_empty() && !set.contains(&var);
    let var_after = |l: &str, marker: &str| {
        shell_var(l.split(marker).nth(1)?.trim_start().trim_start_matches(['"', '\'']))
    };
    // Another variable named for the key or the secret that holds one: a literal of key length,
    // or what a file gives (`$(cat secret.txt)`, `read -r SECRET < file`). A placeholder
    // (`KEY = 'your-key'`) is not one.
    let set_like = |word: &str| {
        lines.iter().any(|l| {
            let t = l.trim_start();
            let named = |n: &str| n.to_ascii_uppercase().contains(word);
            // `NAME=value`, or fish's `set NAME value`.
            let value = assigned(t).filter(|n| named(n)).and_then(|n| match t.strip_prefix("set ") {
                Some(rest) => rest.split_once(n).map(|(_, v)| v),
                None => t.split_once('=').map(|(_, v)| v),
            });
            let literal = value.is_some_and(|v| {
                let v = v.trim().trim_matches(['"', '\'', ';']);
                v.len() >= 32 && v.chars().all(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(c))
                    || v.starts_with("$(cat ")
                    || v.starts_with("$(<")
                    || v.starts_with("(cat ")
            });
            let read = t.split_whitespace().any(|w| w == "read")
                && t.contains('<')
                && set.iter().any(|n| named(n) && names(t, n));
            literal || read
        })
    };
    if let Some((line, var)) = lines.iter().copied().find_map(|l| {
        let var = var_after(l, "X-MBX-APIKEY:").or_else(|| var_after(l, "X-MBX-APIKEY: "))?;
        (unset(&var) && set_like("KEY")).then_some((l, var))
    }) {
        out.push(slip(
            Cause::KeyEmpty,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            &format!("your script sends ${var} as the key, a variable it never sets (it sets another for the key): the header goes out empty"),
            line,
            "Send the variable the script sets the key in (or export it before running the script); check with [ -n \"$KEY\" ] || echo 'no key'.",
        ));
    }
    if let Some((line, var)) = lines.iter().copied().find_map(|l| {
        let var = var_after(l, "-hmac ")?;
        // Another secret set: the secret's variable is not the one the script fills. A key
        // written into the script beside a secret read from the environment is common: that
        // counts only where the text shows Binance refusing the signature.
        let refused = lines
            .iter()
            .any(|l| l.contains("-1022") || l.contains("Signature for this request is not valid"));
        (dgst(l) && unset(&var) && (set_like("SECRET") || set_like("KEY") && refused)).then_some((l, var))
    }) {
        out.push(slip(
            Cause::SecretEmpty,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            &format!("your script signs with ${var}, a variable it never sets (it sets the key, or another variable for the secret): openssl signs with an empty secret"),
            line,
            "Sign with the variable the script sets the secret in (or export it before running the script); check with [ -n \"$SECRET\" ] || echo 'no secret'.",
        ));
    }
    // `read -d ''` reads the whole file, its final newline too (a plain `read` stops before it).
    if let Some(line) = lines.iter().copied().find(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        w.contains(&"read")
            && w.windows(2).any(|p| p[0] == "-d" && (p[1] == "''" || p[1] == "\"\""))
            && w.iter().any(|x| x.to_ascii_lowercase().contains("secret"))
    }) {
        out.push(slip(
            Cause::SecretWithNewline,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script reads the secret with read -d '', which keeps everything up to the end of the file, its final newline too: that newline is part of the secret it signs with",
            line,
            "Read the line alone: read -r SECRET < secret.txt (or SECRET=$(cat secret.txt), which drops final newlines).",
        ));
    }
    // A method the path takes, with the parameters of another method at that path
    // (`GET /api/v3/order` with a new order's side, type and quantity).
    if let Some((line, sent, meant)) = method_of_other_params(lines) {
        out.push(slip(
            Cause::MethodWrong,
            ApiError::with_args(ErrorCode::UNREAD_PARAMETERS, 0, &[]),
            &accept::method_wrong_title(sent, meant),
            line,
            &accept::method_wrong_fix(meant),
        ));
    }
    // A request sent with a method its path does not take: curl -d (or --json, -F) posts,
    // wget --post-data posts, HTTPie's name=value items post (`/api/v3/account` is GET only).
    if let Some((line, u)) = lines.iter().copied().find_map(|l| {
        let (method, path) = shell_request_line(l)?;
        let u = crate::endpoint::unrouted(&method, &path).filter(|u| u.status == 405)?;
        Some((l, u))
    }) {
        out.push(SourceSlip {
            verdict: Some(super::Verdict::method_not_allowed()),
            ..slip(Cause::MethodWrong, ApiError::new(ErrorCode::UNKNOWN), &u.title, line, &u.fix)
        });
    }
    // The signature made over one variable (`SIG=$(printf '%s' "$BODY" | openssl ...)`) while the
    // request sends parameters in both parts: the body with that variable, the query string with
    // another (or the other way round). Binance signs the query string followed by the body.
    let signed_var = lines.iter().find_map(|l| {
        if !(dgst(l) && l.contains("-hmac")) {
            return None;
        }
        let printed = l.split("printf").nth(1).or_else(|| l.split("echo").nth(1))?;
        shell_var(&printed[printed.find('$')?..])
    });
    let holds_params = |var: &str| {
        lines.iter().any(|l| {
            assigned(l.trim_start()) == Some(var)
                && l.split_once('=').is_some_and(|(_, v)| v.contains('=') && !v.contains("$("))
        })
    };
    if let Some(signed) = signed_var.as_deref().filter(|v| !v.is_empty())
        && let Some((line, cause, other)) = lines.iter().filter(curl_line).find_map(|l| {
            let quoted: Vec<&str> = l.split('"').skip(1).step_by(2).collect();
            let url = quoted.iter().find(|q| q.contains("://"))?;
            let query = url.split_once('?').map(|(_, q)| q)?;
            let data = l.split(" -d ").nth(1).or_else(|| l.split(" --data ").nth(1))?;
            let data = data.trim_start().trim_start_matches('"');
            let data = &data[..data.find('"').unwrap_or(data.len())];
            let (q, b) = (shell_var(query)?, shell_var(data)?);
            if b == signed
                && q != signed
                && holds_params(&q)
                && query.contains(&format!("${q}"))
                && !query.contains("signature")
            {
                Some((*l, Cause::SignedBodyOnly, q))
            } else if q == signed && b != signed && holds_params(&b) && !data.contains("signature") {
                Some((*l, Cause::SignedQueryOnly, b))
            } else {
                None
            }
        })
    {
        let (part, rest) =
            if cause == Cause::SignedBodyOnly { ("body", "query string") } else { ("query string", "body") };
        out.push(slip(
            cause,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            &format!("your script signs ${signed}, the {part}, alone, and sends ${other} in the {rest} too: Binance verifies the signature over the query string followed by the body"),
            line,
            "Sign both parts as sent, query string first, joined with nothing between them: printf '%s' \"$QUERY$BODY\" | openssl dgst ...; or send every parameter in one part.",
        ));
    }
    // HTTPie sends its `name==value` items in the order written: another order than the text
    // signed (`Q="timestamp=$TS&omitZeroBalances=true"`) is another text.
    if let Some(signed) = signed_var.as_deref().filter(|v| !v.is_empty())
        && let Some(signed_names) = lines.iter().find_map(|l| {
            let (_, v) = l.split_once('=').filter(|_| assigned(l.trim_start()) == Some(signed))?;
            let v = v.trim().trim_matches(['"', '\'']);
            Some(
                v.split('&').filter_map(|p| p.split_once('=').map(|(n, _)| n.to_owned())).collect::<Vec<_>>(),
            )
        })
        && let Some(line) = lines.iter().copied().find(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            if !matches!(w.first().copied(), Some("http" | "https")) {
                return false;
            }
            let sent: Vec<String> = w
                .iter()
                .filter_map(|x| x.trim_matches(['"', '\'']).split_once("==").map(|(n, _)| n.to_owned()))
                .filter(|n| n != "signature")
                .collect();
            let mut a = sent.clone();
            let mut b = signed_names.clone();
            a.sort();
            b.sort();
            sent.len() > 1 && a == b && sent != signed_names
        })
    {
        out.push(slip(
            Cause::SentOtherOrder,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            &format!("your script signs ${signed} with its parameters in one order and HTTPie sends its name==value items in the order written, another one: the text sent is not the text signed"),
            line,
            "Send the signed text itself: http GET \"$URL?$Q&signature=$SIG\" (or write the items in the signed order).",
        ));
    }
    // zsh's `$(( EPOCHREALTIME * 1000 ))`: the clock has a fraction, so the product does too
    // (`1796591249131.123`), where Binance reads digits only.
    if let Some(line) = lines.iter().copied().find(|l| {
        let whole =
            ["%.0f", "int(", "${EPOCHREALTIME/", "${EPOCHREALTIME%", "|0", "cut ", "(( TS =", "printf -v"];
        l.contains("EPOCHREALTIME") && l.contains('*') && !whole.iter().any(|w| l.contains(w))
    }) {
        out.push(slip(
            Cause::TimestampMalformed,
            crate::accept::timestamp_malformed(),
            "your script multiplies zsh's EPOCHREALTIME, which has a fraction of a second: the timestamp keeps a decimal point and digits after it, and Binance reads whole milliseconds only",
            line,
            "Drop the fraction: TS=$(printf '%.0f' $(( EPOCHREALTIME * 1000 ))), or TS=$(( ${EPOCHREALTIME/./} / 1000 )).",
        ));
    }
    if let Some(line) = lines.iter().copied().find(|l| l.contains("rsa_padding_mode:pss")) {
        out.push(slip(
            Cause::SignedRsaPss,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your script signs with RSA-PSS padding; Binance verifies RSA PKCS#1 v1.5 with SHA-256",
            line,
            "Drop -pkeyopt rsa_padding_mode:pss: openssl dgst -sha256 -sign key.pem signs PKCS#1 v1.5.",
        ));
    }
    out
}

/// A shell line's quoted parts, in order: the quote (`'` or `"`) and the text between.
fn shell_quoted(line: &str) -> Vec<(char, String)> {
    let mut out = Vec::new();
    let mut quote: Option<(char, String)> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match &mut quote {
            Some((q, text)) if c == *q => out.push((*q, std::mem::take(text))),
            Some(('"', text)) if c == '\\' => text.extend(chars.next()),
            Some((_, text)) => {
                text.push(c);
                continue;
            }
            None if c == '\'' || c == '"' => {
                quote = Some((c, String::new()));
                continue;
            }
            None => continue,
        }
        quote = None;
    }
    out
}

/// The first of two lines that write the same `...name=value$var` text, one in single quotes
/// (kept as written) and one in double quotes (expanded), where one of them is signed: on a line
/// `signs` accepts, or assigned to a variable such a line names.
fn dollar_quoted_apart<'l>(lines: &[&'l str], signs: impl Fn(&str) -> bool) -> Option<&'l str> {
    // Each `$name` (or `${name}`, `$1`) in a quoted part, with the parameter text before it.
    let dollars = |l: &str| {
        shell_quoted(l)
            .into_iter()
            .flat_map(|(q, text)| {
                let mut found = Vec::new();
                for (at, _) in text.match_indices('$') {
                    let next = text[at + 1..].chars().next();
                    if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '{') {
                        continue;
                    }
                    let start = text[..at].rfind(['&', '?', ' ']).map_or(0, |i| i + 1);
                    let end = at
                        + 1
                        + text[at + 1..]
                            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '{' || c == '}'))
                            .unwrap_or(text.len() - at - 1);
                    let token = &text[start..end];
                    // Only a parameter's value: `name=...$x`, the name not itself a variable.
                    if token
                        .find('=')
                        .is_some_and(|eq| eq > 0 && eq < at - start && !token[..eq].contains('$'))
                    {
                        found.push((q, token.to_owned()));
                    }
                }
                found
            })
            .collect::<Vec<_>>()
    };
    let signed_var = |name: &str| lines.iter().any(|m| signs(m) && names(m, name));
    let signed = |l: &str| signs(l) || assigned(l).is_some_and(signed_var);
    // Each line's tokens once (read again for every pair, the lines' quotes were walked n² times).
    let all: Vec<Vec<(char, String)>> = lines.iter().map(|l| dollars(l)).collect();
    for (i, a) in lines.iter().enumerate() {
        for (qa, token) in &all[i] {
            for (j, b) in lines.iter().enumerate() {
                if i == j || !(signed(a) || signed(b)) {
                    continue;
                }
                if all[j].iter().any(|(qb, t)| qb != qa && t == token) {
                    return Some(lines[i.min(j)]);
                }
            }
        }
    }
    None
}

/// The name of the shell variable `t` starts with (`$NAME` or `${NAME}`).
fn shell_var(t: &str) -> Option<String> {
    let v = t.strip_prefix('$')?;
    let v = v.strip_prefix('{').unwrap_or(v);
    Some(v.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
}

/// The method and path a shell line's curl, wget or HTTPie command sends, when the line writes
/// the URL's path out (`"$URL"` alone says nothing): curl's `-X`, else POST with `-d`, `--data*`,
/// `--json` or `-F` (GET with `-G`); wget's `--method`, else POST with `--post-data` or
/// `--post-file`; HTTPie's method word, else POST with a `name=value` item.
fn shell_request_line(line: &str) -> Option<(String, String)> {
    let words: Vec<&str> = line.split_whitespace().map(|w| w.trim_matches(['"', '\''])).collect();
    let tool =
        words.iter().position(|w| matches!(*w, "curl" | "wget" | "http" | "https" | "$(curl" | "$(wget"))?;
    let args = &words[tool + 1..];
    let url = args.iter().find(|w| w.contains("://"))?;
    let after_scheme = &url[url.find("://")? + 3..];
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    if !path.starts_with("/api/") || path.contains('$') {
        return None;
    }
    let has = |f: &str| args.iter().any(|w| *w == f || w.starts_with(&format!("{f}=")));
    let method = match words[tool].trim_start_matches("$(") {
        "curl" => {
            let x = args.windows(2).find(|p| p[0] == "-X" || p[0] == "--request").map(|p| p[1].to_owned());
            let x = x.or_else(|| {
                args.iter().find_map(|w| w.strip_prefix("-X").filter(|m| !m.is_empty()).map(str::to_owned))
            });
            match x {
                Some(m) => m,
                None if has("-G") || has("--get") => "GET".to_owned(),
                None if [
                    "-d",
                    "--data",
                    "--data-raw",
                    "--data-binary",
                    "--data-urlencode",
                    "--json",
                    "-F",
                    "--form",
                ]
                .iter()
                .any(|f| has(f)) =>
                {
                    "POST".to_owned()
                }
                None => "GET".to_owned(),
            }
        }
        "wget" => match args.iter().find_map(|w| w.strip_prefix("--method=")) {
            Some(m) => m.to_owned(),
            None if has("--post-data") || has("--post-file") => "POST".to_owned(),
            None => "GET".to_owned(),
        },
        _ => {
            let named = args.first().filter(|w| w.chars().all(|c| c.is_ascii_uppercase()) && !w.is_empty());
            let item = |w: &&&str| {
                w.split_once('=').is_some_and(|(n, v)| {
                    !n.is_empty() && !n.contains(':') && !v.starts_with('=') && !n.starts_with('-')
                })
            };
            match named {
                Some(m) => (*m).to_owned(),
                None if args.iter().any(|w| item(&w)) => "POST".to_owned(),
                None => "GET".to_owned(),
            }
        }
    };
    Some((method.to_ascii_uppercase(), path.to_owned()))
}

/// PHP's `curl_setopt($ch, CURLOPT_POSTFIELDS, $params)` where `$params` is an array the code
/// builds (`$params = [` or `array(`, or `$params['signature'] = ...`): the line that sets it.
fn php_array_postfields<'l>(lines: &[&'l str]) -> Option<&'l str> {
    lines.iter().copied().find(|l| {
        let Some(arg) = l.split("CURLOPT_POSTFIELDS").nth(1) else { return false };
        let var = arg.trim_start_matches([',', ' ']).trim_end_matches([')', ';', ' ']);
        var.starts_with('$')
            && var[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && lines.iter().any(|d| {
                let d = d.trim_start();
                let assigned = d.strip_prefix(var).map(str::trim_start);
                assigned.is_some_and(|r| {
                    r.starts_with('[') && r.contains("] =") || {
                        let value = r.strip_prefix('=').map(str::trim_start).unwrap_or_default();
                        value.starts_with('[') || value.starts_with("array(")
                    }
                })
            })
    })
}

/// A line whose HMAC is keyed with something other than the secret while the secret is what it
/// hashes: Python's `hmac.new(payload, secret, ...)` (the key comes first), Node.js's
/// `createHmac("sha256", payload).update(secret)`, PHP's `hash_hmac('sha256', $secret, $query)` (the
/// key comes last), Ruby's `OpenSSL::HMAC.hexdigest('SHA256', query, secret)`.
fn hmac_keyed_with_payload<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let secret = |arg: &str| arg.to_ascii_lowercase().contains("secret");
    // A call's arguments, read from just after its opening parenthesis to the one that closes
    // it, split at the commas of its own level.
    let args = |s: &str| {
        let mut out = Vec::new();
        let (mut depth, mut start) = (0i32, 0);
        for (i, c) in s.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => {
                    out.push(s[start..i].trim().to_owned());
                    return out;
                }
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(s[start..i].trim().to_owned());
                    start = i + 1;
                }
                _ => {}
            }
        }
        out
    };
    lines.iter().copied().find(|l| {
        let python = l
            .find("hmac.new(")
            .map(|at| args(&l[at + "hmac.new(".len()..]))
            .is_some_and(|a| a.len() >= 2 && !secret(&a[0]) && secret(&a[1]));
        let node = l.find("createHmac(").is_some_and(|at| {
            let rest = &l[at + "createHmac(".len()..];
            let a = args(rest);
            let update = rest.find(".update(").map(|u| args(&rest[u + ".update(".len()..]));
            a.len() >= 2 && !secret(&a[1]) && update.is_some_and(|u| u.first().is_some_and(|m| secret(m)))
        });
        // PHP's hash_hmac(algo, data, key), and Ruby's OpenSSL::HMAC.hexdigest(algo, key, data):
        // the secret where the data goes.
        let php = l
            .find("hash_hmac(")
            .map(|at| args(&l[at + "hash_hmac(".len()..]))
            .is_some_and(|a| a.len() >= 3 && secret(&a[1]) && !secret(&a[2]));
        let ruby = ["HMAC.hexdigest(", "HMAC.digest("].iter().any(|call| {
            l.find(call)
                .map(|at| args(&l[at + call.len()..]))
                .is_some_and(|a| a.len() >= 3 && !secret(&a[1]) && secret(&a[2]))
        });
        // Perl's Digest::SHA hmac_sha256_hex($data, $key) (and _base64, plain): the key last.
        let perl = ["hmac_sha256_hex(", "hmac_sha256_base64(", "hmac_sha256("].iter().any(|call| {
            l.find(call)
                .filter(|at| !l[..*at].ends_with(['.', ':', '_']))
                .map(|at| args(&l[at + call.len()..]))
                .is_some_and(|a| a.len() == 2 && secret(&a[0]) && !secret(&a[1]))
        });
        python || node || php || ruby || perl
    })
}

/// Names given a non-empty object (a literal, `Object.fromEntries(...)`, `Object.assign(...)`): what
/// a JavaScript library sends as JSON when handed it as data.
fn object_names<'l>(lines: &[&'l str]) -> Vec<&'l str> {
    lines
        .iter()
        .filter_map(|l| {
            let name = assigned(l)?;
            let rhs = l[l.find('=')? + 1..].trim_start();
            let object = (rhs.starts_with('{') && !rhs.starts_with("{}"))
                || rhs.starts_with("Object.fromEntries(")
                || rhs.starts_with("Object.assign(");
            object.then_some(name)
        })
        .collect()
}

/// Whether the text shows Binance's -1102 for a mandatory parameter it did not read (an answer
/// printed as an object may put the code and the message on lines of their own).
fn shows_unread_answer(lines: &[&str]) -> bool {
    lines.iter().any(|l| l.contains("-1102"))
        && lines.iter().any(|l| l.to_ascii_lowercase().contains("mandatory parameter"))
}

/// A GET given a body in a request's options (fetch, undici, axios config): `{ method: "GET",
/// body: qs }`, or the options' `body` set later (`opts.body = ...`). Set on a condition, only
/// where the text shows Binance's -1102 (the parameters were not read).
fn get_with_body_option<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let get = |l: &str| {
        let squeezed = l.replace(' ', "").to_ascii_lowercase();
        squeezed.contains("method:\"get\"") || squeezed.contains("method:'get'")
    };
    let unread_answer = shows_unread_answer(lines);
    // Python's clients: a GET given a form body (`requests.get(url, data=params)`).
    let python_get_body = |l: &str| {
        let squeezed = l.replace(' ', "");
        [".get(", ".request(\"GET\"", ".request('GET'"].iter().any(|c| squeezed.contains(c))
            && (squeezed.contains(",data=") || squeezed.contains(",content="))
    };
    lines.iter().enumerate().find_map(|(i, l)| {
        if python_get_body(l) {
            return (unread_answer || !on_condition(lines, i)).then_some(*l);
        }
        if !get(l) {
            return None;
        }
        if l.contains("body:") {
            return (unread_answer || !on_condition(lines, i)).then_some(*l);
        }
        let object = assigned(l)?;
        lines[i + 1..].iter().enumerate().find_map(|(k, later)| {
            let set = later.trim_start().strip_prefix(object)?.trim_start();
            let body =
                set.starts_with(".body=") || set.starts_with(".body =") || set.starts_with("[\"body\"]");
            (body && (unread_answer || !on_condition(lines, i + 1 + k))).then_some(*later)
        })
    })
}

/// Whether line `n` runs on a condition: a ternary or an `if` on it, inside a braced block an `if`
/// or `else` opens, or below a Python `if`/`elif`/`else:` it is indented under.
fn on_condition(lines: &[&str], n: usize) -> bool {
    let l = lines[n].trim();
    if l.contains(" ? ") || l.starts_with("if ") || l.starts_with("if(") || l.contains("else") {
        return true;
    }
    let header = |h: &str| {
        h.starts_with("if") || h.starts_with("elif") || h.starts_with("} else") || h.starts_with("else")
    };
    // The line above opens a block (`if mode == "x":`, `if (x) {`, `if (x)` before a brace or a
    // single statement).
    let above = lines[..n].iter().rev().map(|p| p.trim()).find(|p| !p.is_empty()).unwrap_or_default();
    if header(above) && (above.ends_with(':') || above.ends_with('{') || above.ends_with(')')) {
        return true;
    }
    // The braced block around it.
    let mut depth = 0usize;
    for i in (0..n).rev() {
        let (opens, closes) = (lines[i].matches('{').count(), lines[i].matches('}').count());
        if opens > depth + closes {
            let t = lines[i].trim();
            // (A brace on a line of its own, C#'s and Allman's: the line above says what opens.)
            return header(t) || (t == "{" && i > 0 && header(lines[i - 1].trim()));
        }
        depth = depth + closes - opens.min(depth + closes);
    }
    // Python: the nearest line above indented less.
    let indent = |s: &str| s.len() - s.trim_start().len();
    let own = indent(lines[n]);
    lines[..n]
        .iter()
        .rev()
        .find(|p| !p.trim().is_empty() && indent(p) < own)
        .is_some_and(|p| p.trim_end().ends_with(':') && header(p.trim()))
}

/// A line that appends `signature` to parameters that hold one already
/// (`params.set("signature", a)` then `params.append("signature", b)` on the same object: a
/// URLSearchParams, FormData or list of pairs then carries two). On a condition, only where the
/// text shows Binance's answer to it (-1101, duplicate values).
fn signature_added_twice<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let receiver = |l: &str, call: &str| {
        [format!("{call}(\"signature\""), format!("{call}('signature'")].iter().find_map(|c| {
            let at = l.find(c.as_str())?;
            let name =
                l[..at].rsplit(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.')).next()?;
            (!name.is_empty()).then(|| name.to_owned())
        })
    };
    let answered =
        lines.iter().any(|l| l.contains("-1101") || l.contains("Duplicate values for a parameter"));
    (0..lines.len()).find_map(|n| {
        let object = receiver(lines[n], ".append")?;
        let before = lines[..n]
            .iter()
            .any(|l| [".set", ".append"].iter().any(|c| receiver(l, c).as_deref() == Some(object.as_str())));
        let t = lines[n].trim_start();
        let conditional = t.starts_with("if") || t.contains(" ? ") || t.contains("&&");
        (before && (answered || !conditional)).then_some(lines[n])
    })
}

/// A library's own way of sending the parameters as a body Binance does not read (got's and ky's
/// `{ json: params }`, superagent's `.send(object)` without `.type('form')`, a JSON
/// `StringContent` in .NET; pycurl's `HTTPPOST` / `MIMEPOST`, urllib3's `fields=` on a POST,
/// needle's `multipart` option): the cause and the line. A line that only runs on a condition (a
/// program that chooses how to send) counts when the text shows Binance saying the parameters
/// were not read (`-1102`), which that choice explains.
fn body_unread_by_library<'l>(lines: &[&'l str]) -> Option<(Cause, &'l str)> {
    let text_has = |what: &str| lines.iter().any(|l| l.contains(what));
    let unread_answer = shows_unread_answer(lines);
    let conditional = |n: usize| on_condition(lines, n);
    let objects = object_names(lines);
    let json_option = |l: &str| {
        // `{ json: params }`, `, json: body }`: an object's key, with a value that is data.
        l.match_indices("json:").any(|(i, _)| {
            let before = l[..i].trim_end();
            let value = l[i + "json:".len()..].trim_start();
            (before.ends_with('{') || before.ends_with(','))
                && !value.starts_with("true")
                && !value.starts_with("false")
                && value.starts_with(|c: char| c.is_ascii_alphabetic() || c == '{' || c == '_')
        })
    };
    let form_typed = |n: usize| {
        let l = lines[n];
        (l.contains(".type(\"form\")") || l.contains(".type('form')") || l.contains("x-www-form-urlencoded"))
            && !conditional(n)
    };
    let superagent = text_has("superagent") && !(0..lines.len()).any(form_typed);
    let sends_object = |l: &str| {
        l.find(".send(").is_some_and(|at| {
            let arg = l[at + ".send(".len()..].trim_start();
            arg.starts_with('{')
                || objects.iter().any(|o| arg.starts_with(o) && arg[o.len()..].starts_with(')'))
        })
    };
    let json_content = |l: &str| {
        l.find("new StringContent(").is_some_and(|at| {
            let arg = l[at + "new StringContent(".len()..].trim_start();
            ["\"{", "@\"{", "$\"{", "$@\"{"].iter().any(|p| arg.starts_with(p))
        }) || l.contains("JsonContent.Create(")
    };
    let urllib3_fields = |l: &str| {
        text_has("urllib3")
            && l.contains(".request(")
            && l.contains("fields=")
            && !l.contains("encode_multipart=False")
            && !["\"GET\"", "'GET'", "\"DELETE\"", "'DELETE'"].iter().any(|m| l.contains(m))
    };
    let needle_multipart = |l: &str| {
        l.contains("needle")
            && l.match_indices("multipart").any(|(i, _)| {
                let after = l[i + "multipart".len()..].trim_start();
                after.starts_with(['}', ','])
                    || (after.starts_with(':') && !after[1..].trim_start().starts_with("false"))
            })
    };
    (0..lines.len()).find_map(|n| {
        let l = lines[n];
        let found = if json_option(l) || (superagent && sends_object(l)) || json_content(l) {
            Some(Cause::JsonBody)
        } else if l.contains("pycurl.HTTPPOST")
            || l.contains("pycurl.MIMEPOST")
            || urllib3_fields(l)
            || needle_multipart(l)
        {
            Some(Cause::BodyMultipart)
        } else {
            None
        };
        // (needle's shorthand `{ multipart }` is the program's choice too.)
        let chosen = conditional(n) || (needle_multipart(l) && !l.contains("multipart: true"));
        found.filter(|_| unread_answer || !chosen).map(|c| (c, l))
    })
}

/// A loop over a map or hash in the order it walks them (Go's `for k, v := range params`, Perl's
/// `for my $k (keys %params)`), followed by a signing line, with no sort in the text: the line
/// that walks.
fn signed_in_hash_order<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let macs = hmac_holders(lines);
    let walks = |l: &str| {
        let t = l.trim_start();
        let go = t.starts_with("for ") && t.contains(":= range ") && t.contains(',');
        let perl = (t.starts_with("for") || t.contains("map")) && t.contains("keys %");
        go || perl
    };
    let at = lines.iter().position(|l| walks(l))?;
    let signs = at + 1 + lines[at + 1..].iter().position(|l| signing(l, &macs) && !definition(l))?;
    // A sort before the signing orders what is signed; one after (`url.Values.Encode()` building
    // the query sent) does not.
    let sorted = lines[..signs]
        .iter()
        .any(|l| sorts(l) || l.contains("sort.") || l.contains("slices.Sort") || l.contains("sort keys"));
    (!sorted).then_some(lines[at])
}

/// Maps without an order of their own, by the variable given one (`new HashMap<>()`,
/// `HashMap::new()`, `hashMapOf(...)`, Go's `map[string]string{...}`).
fn hash_maps<'l>(lines: &[&'l str]) -> Vec<&'l str> {
    const HASHED: [&str; 6] = [
        "new hashmap",
        "hashmap::new(",
        "hashmap::with_capacity(",
        "hashmapof(",
        "map[string]",
        "new hashtable",
    ];
    lines
        .iter()
        .filter_map(|l| {
            let name = assigned(l)?;
            let eq = l.find('=')?;
            let (lhs, rhs) = (l[..eq].to_ascii_lowercase(), l[eq + 1..].to_ascii_lowercase());
            // Or typed so (`let q: HashMap<&str, String> = pairs.collect()`).
            let typed = lhs.contains("hashmap<")
                && !["linked", "tree", "sorted", "index"].iter().any(|o| rhs.contains(o));
            (typed || HASHED.iter().any(|h| rhs.contains(h))).then_some(name)
        })
        .collect()
}

/// Whether `line` walks the map `m` in its own order (`m.entrySet()`, `m.iter()`, `m.entries`,
/// `for k, v := range m`, `for (k, v) in &m`).
fn walks_map(line: &str, m: &str) -> bool {
    let c = line.replace(' ', "");
    [".entrySet()", ".keySet()", ".iter()", ".entries", ".forEach(", ".map{", ".map("]
        .iter()
        .any(|w| c.contains(&format!("{m}{w}")))
        || c.contains(&format!(":=range{m}"))
        || c.contains(&format!("in&{m}"))
        || c.contains(&format!("in{m}.iter"))
}

/// Hash maps and the request, read from code: a text signed by walking a hash map while the
/// request sends a text written otherwise (`signed-hashmap-order`) or a hash map again
/// (`signed-other-order`: its own walk, another order), or the signature put into a hash map that
/// is sent (`sent-other-order`: the signature lands among the parameters). The cause and the line.
fn hash_map_orders<'l>(lines: &[&'l str]) -> Option<(Cause, &'l str)> {
    let maps = hash_maps(lines);
    if maps.is_empty() {
        return None;
    }
    // The hash map the signature is put into, and the line.
    let signature_into = lines.iter().enumerate().find_map(|(i, l)| {
        let holder = signature_holder(l)?;
        let m = maps.iter().copied().find(|m| *m == holder)?;
        lines[i + 1..].iter().any(|later| is_code(later) && names(later, m)).then_some(*l)
    });
    let macs = hmac_holders(lines);
    for (i, line) in lines.iter().enumerate() {
        if !signing(line, &macs) || definition(line) {
            continue;
        }
        let (direct, chain) = signed_chain(lines, i);
        let Some(walk) = chain.iter().copied().find(|l| maps.iter().any(|m| walks_map(l, m))) else {
            continue;
        };
        if let Some(put) = signature_into {
            return Some((Cause::SignedOtherOrder, put));
        }
        let sent = lines[i + 1..].iter().any(|later| direct.iter().any(|d| names(later, d)));
        if !direct.is_empty() && !sent {
            return Some((Cause::SignedHashMapOrder, walk));
        }
    }
    signature_into.map(|l| (Cause::SentOtherOrder, l))
}

/// A text signed as joined by hand (no percent-encoding) while the request is built from the
/// parameters again by a library that encodes them, and a value the code writes needs encoding: the
/// line that joins.
fn signed_unencoded<'l>(lines: &[&'l str]) -> Option<&'l str> {
    signed_apart(lines).find_map(|(i, chain)| {
        let lower = |l: &str| l.to_ascii_lowercase();
        let joined = chain.iter().copied().find(|l| MANUAL_JOINS.iter().any(|j| lower(l).contains(j)))?;
        if chain.iter().any(|l| URL_ENCODES.iter().any(|e| lower(l).contains(e)) || l.contains(".Encode()")) {
            return None;
        }
        encoded_value(&lines[..i]).then_some(joined)
    })
}

/// Whether the code gives one of Binance's parameters a quoted value that percent-encoding changes
/// (a space, `:`, `/`, non-ASCII, ...).
fn encoded_value(lines: &[&str]) -> bool {
    encoded_value_line(lines).is_some()
}

/// The first line where [`encoded_value`] finds such a value.
fn encoded_value_line<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let names = written_names(lines, lines.len());
    lines.iter().copied().find(|line| {
        names.iter().any(|name| {
            line.match_indices(name).any(|(at, _)| {
                let rest = line[at + name.len()..].trim_start_matches(['"', '\'', '`']).trim_start();
                let Some(rest) = rest.strip_prefix("=>").or_else(|| rest.strip_prefix([':', '=', ',']))
                else {
                    return false;
                };
                let rest = rest.trim_start();
                let Some(quote) = rest.chars().next().filter(|c| ['"', '\''].contains(c)) else {
                    return false;
                };
                let value = &rest[1..];
                let Some(end) = value.find(quote) else { return false };
                !crate::encode::is_clean(&value[..end])
            })
        })
    })
}

/// The variables assigned an HMAC (or an HMAC function) directly: `mac = hmac.New(...)`,
/// `Mac mac = Mac.getInstance("HmacSHA256")`, `sig_func = self._hmac_signature` (not what is
/// computed from them further on).
fn hmac_holders<'l>(lines: &[&'l str]) -> Vec<&'l str> {
    lines
        .iter()
        .filter_map(|l| {
            let name = assigned(l)?;
            let rhs = &l[l.find('=')? + 1..];
            rhs.to_ascii_lowercase().contains("hmac").then_some(name)
        })
        .collect()
}

/// The words a function's definition starts with, each with the space after it.
const DEFINES: [&str; 14] = [
    "def ",
    "async def ",
    "function ",
    "async function ",
    "fn ",
    "pub fn ",
    "func ",
    "fun ",
    "private ",
    "public ",
    "protected ",
    "static ",
    "sub ",
    "proc ",
];

/// Whether `line` defines a function rather than calls one (`def sign(params):`,
/// `function sign(q) {`, `fn sign(q: &str) -> String {`).
fn definition(line: &str) -> bool {
    let l = line.trim_start();
    DEFINES.iter().any(|k| l.starts_with(k)) || (l.ends_with('{') && !l.contains('=')) || l.ends_with("):")
}

/// Whether a (lower-case) line sets a JSON Content-Type for the request (`Accept:
/// application/json` asks for JSON answers and is no JSON body).
fn json_content_type(lower: &str) -> bool {
    lower.match_indices("application/json").any(|(i, _)| {
        let before = &lower[i.saturating_sub(32)..i];
        match (before.rfind("content-type"), before.rfind("accept")) {
            (Some(c), Some(a)) => c > a,
            (Some(_), None) => true,
            _ => false,
        }
    })
}

/// Whether `line` signs: an HMAC or a signing call, or a call on a variable holding an HMAC
/// (`mac.Write(raw)`, `mac.doFinal(data)`, `mac.update(query)`).
fn signing(line: &str, macs: &[&str]) -> bool {
    let lower = line.to_ascii_lowercase();
    lower.contains("hmac")
        || lower.contains("sign(")
        || lower.contains("signature(")
        || macs.iter().any(|m| line.contains(&format!("{m}.")) && names(line, m))
}

/// Words of a signing call that are not the text signed.
const NOT_INPUTS: &[&str] = &[
    "secret",
    "key",
    "sha256",
    "hex",
    "bytes",
    "byte",
    "encode",
    "utf8",
    "hashlib",
    "new",
    "string",
    "getbytes",
    "as_bytes",
    "tobytearray",
    "write",
    "update",
    "dofinal",
    "sum",
    "nil",
    "digest",
    "hexdigest",
    "mac",
    "hmac",
];

/// Whether `later` adds the timestamp to `input` (`input += "&timestamp=..."`, `input.Set("timestamp", ...)`,
/// `input.put("timestamp", ...)`, `input = input + "&timestamp=..."`).
fn extended_with_timestamp(later: &str, input: &str) -> bool {
    !later.replace(' ', "").contains("timestamp==") && added_names(later, input).contains(&"timestamp")
}

/// A line that sends the parameters as JSON to Binance.
fn json_sent<'l>(lines: &[&'l str]) -> Option<&'l str> {
    // axios sends an object as JSON: `axios.post(url, params)` with params an object literal (or
    // one made from pairs: `Object.fromEntries(new URLSearchParams(qs))`).
    let objects = object_names(lines);
    let axios_object = |l: &str| {
        // (`axios.delete(url, config)` takes no data argument.)
        let sends = ["axios.post(", "axios.put("].iter().any(|c| {
            l.find(c).is_some_and(|at| {
                let args = &l[at + c.len()..];
                let second = args.split_once(',').map(|(_, s)| s.trim_start()).unwrap_or_default();
                second.starts_with('{')
                    || objects
                        .iter()
                        .any(|o| second.starts_with(o) && !second[o.len()..].starts_with(['.', '(']))
            })
        });
        sends && !l.contains("stringify") && !l.contains("URLSearchParams")
    };
    // A response's header a log prints (`< Content-Type: application/json`, Bun's `[fetch] < ...`)
    // is not the request's.
    let response = |l: &str| {
        let untagged = match l.strip_prefix('[') {
            Some(rest) => rest.split_once(']').map_or(l, |(_, after)| after),
            None => l,
        };
        // Or a response printed as a map: `{:status 400, :headers {...}}`, `status_code: 400`.
        let status = l.to_ascii_lowercase().match_indices("status").any(|(i, _)| {
            let rest = l[i + "status".len()..].trim_start_matches(|c: char| "_code\"': =>".contains(c));
            rest.len() >= 3 && rest.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        });
        // Or one printed as an object with its status or Binance's answer headers.
        let lower = l.to_ascii_lowercase();
        let printed_response = ["\"statuscode\"", "responseurl", "x-mbx-uuid", "x-mbx-used-weight"]
            .iter()
            .any(|m| lower.contains(m));
        untagged.trim_start().starts_with('<') || status || printed_response
    };
    // The lines of an object a log prints after a line about the response (needle's `Got response
    // 200 {`, then its headers, then `}`): the response's.
    let mut in_response = vec![false; lines.len()];
    let mut open = false;
    for (n, l) in lines.iter().enumerate() {
        if open {
            in_response[n] = true;
            open = !l.trim_start().starts_with('}');
        } else {
            open = l.to_ascii_lowercase().contains("response") && l.trim_end().ends_with('{');
        }
    }
    let kept = lines.iter().zip(&in_response).filter(|(_, r)| !**r).map(|(l, _)| *l);
    kept.filter(|l| !response(l)).find(|l| {
        let lower = l.to_ascii_lowercase();
        let post = [".post(", ".put(", ".delete(", ".request("].iter().any(|m| l.contains(m));
        // Node-RED's http request node sends an object payload as JSON.
        let node_red = l.replace(' ', "").strip_prefix("msg.payload=").is_some_and(|rhs| {
            rhs.starts_with('{') || objects.iter().any(|o| rhs.trim_end_matches(';') == *o)
        });
        axios_object(l)
            || node_red
            || (post && (l.contains("json=") || l.contains("json:")))
            || lower.trim_start().starts_with("json:")
            || lower.contains(".json(&")
            // RestSharp's `request.AddJsonBody(params)`.
            || lower.contains("addjsonbody(")
            || lower.replace(' ', "").contains("encode=\"json\"")
            // (In code: a bare `content-type: application/json` line is a log's print of headers.)
            || (json_content_type(&lower) && l.contains(['"', '\'', '(']))
            || lower.contains("mediatype.application_json")
            || lower.contains("contenttype.application.json")
            || ((l.contains("body:") || l.contains("data:"))
                && ["json.stringify(", "jsonencode(", "json.dumps(", "json_encode("]
                    .iter()
                    .any(|c| lower.contains(c)))
    })
}

/// A line that uses a clock read in seconds as the timestamp.
fn seconds_timestamp<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let read = |l: &str| {
        SECONDS_CALLS.iter().any(|(call, unless)| {
            l.match_indices(call).any(|(i, _)| {
                let rest = &l[i + call.len()..];
                let next = rest.trim_start();
                // `time()` alone (PHP): not a method's tail (`time.time()`, `$this->time()`).
                let own =
                    *call != "time()" || !l[..i].ends_with(['.', '>', '_']) && !l[..i].ends_with("micro");
                own && !unless.iter().any(|u| next.starts_with(u) || rest.contains(u))
            })
        })
    };
    let from_clock = tainted(lines, read);
    lines.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        // The timestamp, or a library's clock option (binance-api-node's `getTime: () => ...`).
        // (A variable read in seconds and scaled where it is used, `int(ts * 1000)`, is not.)
        let scaled = ["1000", "1e3", "1_000"].iter().any(|m| lower.contains(m));
        (lower.contains("timestamp") || lower.contains("gettime:") || lower.contains("gettime ="))
            && (read(l) || !scaled && from_clock.iter().any(|t| names(l, t)))
    })
}

/// A line that writes an Ed25519 or RSA signature's base64 after `signature=` as it is, in code
/// that percent-encodes nothing: `"...&signature=$SIG"` after `SIG=$(openssl pkeyutl -sign ... |
/// base64 -w0)`, Python's `f"...&signature={sig}"` after `base64.b64encode(key.sign(...))`.
fn base64_signature_unencoded<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let lower: Vec<String> = lines.iter().map(|l| l.to_ascii_lowercase()).collect();
    let any = |words: &[&str]| lower.iter().any(|l| words.iter().any(|w| l.contains(w)));
    let asymmetric =
        any(&["pkeyutl", "dgst -sign", ".sign(", "crypto.sign(", "sign_detached", "openssl_sign("]);
    let encodes = URL_ENCODES.iter().any(|e| lower.iter().any(|l| l.contains(e)))
        || any(&[
            "--data-urlencode",
            "@uri",
            "--style=url",
            "%2b",
            "quote_plus",
            "url.queryescape",
            "cgi.escape",
            "uri_escape",
        ]);
    if !asymmetric || encodes || any(&["hmac"]) {
        return None;
    }
    let base64 = |l: &str| {
        let l = l.to_ascii_lowercase();
        ENCODES.iter().any(|e| l.contains(e))
            || l.contains("| base64")
            || l.contains("|base64")
            || l.contains("openssl base64")
            || l.contains("openssl enc -base64")
            || l.contains("tostring('base64')")
            || l.contains("tostring(\"base64\")")
            || l.contains("strict_encode64")
    };
    let holders = tainted(lines, base64);
    lines.iter().copied().find(|l| {
        l.match_indices("signature=").any(|(at, m)| {
            let rest =
                l[at + m.len()..].trim_start_matches(['"', '\'', '`', ' ', '+', '.', '$', '{', '#', '%']);
            holders.iter().any(|h| {
                rest.strip_prefix(h)
                    .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
        })
    })
}

/// A line that gives a decimal parameter (`quantity`, `price`, ...) a float literal the language
/// writes with an exponent: the line, the parameter and the text the language writes.
fn float_written_with_exponent<'l>(lines: &[&'l str]) -> Option<(&'l str, &'static str, String)> {
    use std::str::FromStr as _;
    let javascript = lines.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("const ")
            || t.starts_with("let ")
            || l.contains("require(")
            || l.contains("=>")
            || l.contains("console.")
    });
    // A shell script's values are text as written (`quantity=0.00001` in a query, HTTPie's items).
    let shell = lines.iter().any(|l| {
        let t = l.trim_start();
        ["curl ", "http ", "https ", "wget ", "openssl "].iter().any(|c| t.starts_with(c))
            || t.contains("openssl dgst")
    });
    if shell {
        return None;
    }
    // Python writes a float below 1e-4 with an exponent, JavaScript below 1e-6.
    let (limit, language) = if javascript {
        (rust_decimal::Decimal::new(1, 6), "JavaScript")
    } else {
        (rust_decimal::Decimal::new(1, 4), "Python")
    };
    const NAMES: [&str; 5] = ["quantity", "price", "quoteOrderQty", "stopPrice", "icebergQty"];
    lines.iter().copied().find_map(|l| {
        NAMES.iter().find_map(|name| {
            l.match_indices(name).find_map(|(at, _)| {
                // A name of its own, outside a string (a query string's `&quantity=0.000001` is
                // text already).
                let before = &l[..at];
                let quoted = before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1;
                if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '&' || c == '?')
                    || quoted
                {
                    return None;
                }
                let rest = l[at + name.len()..].trim_start_matches(['"', '\'', ' ']);
                let rest = rest.strip_prefix(['=', ':']).filter(|r| !r.starts_with('='))?.trim_start();
                let literal: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
                let value =
                    rust_decimal::Decimal::from_str(&literal).ok().filter(|_| literal.contains('.'))?;
                (!value.is_zero() && value < limit).then(|| {
                    let digits = literal.trim_start_matches(['0', '.']);
                    let exponent = literal
                        .split('.')
                        .nth(1)
                        .map_or(0, |f| f.len() - f.trim_start_matches('0').len() + 1);
                    let mantissa = digits.trim_end_matches('0');
                    let mantissa = match mantissa.len() {
                        0 | 1 => mantissa.to_owned(),
                        _ => format!("{}.{}", &mantissa[..1], &mantissa[1..]),
                    };
                    let shown = if javascript {
                        format!("{mantissa}e-{exponent}")
                    } else {
                        format!("{mantissa}e-{exponent:02}")
                    };
                    (l, *name, format!("{language} writes {shown}"))
                })
            })
        })
    })
}

/// The line that splits a key file's line into the secret and other parts without trimming the
/// secret's part (`api_key, api_secret = line.split(",")`, `env[k] = parts[1]` read into the
/// secret), where the text shows that file (a comment or the post's prose about the key or the
/// secret) with a space after the separator.
fn secret_split_untrimmed<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let trims = |t: &str| {
        let t = t.to_ascii_lowercase();
        ["strip", "trim", "chomp"].iter().any(|c| t.contains(c))
    };
    let (at, line, sep) = lines.iter().enumerate().find_map(|(i, l)| {
        let call = l.find("split(").or_else(|| l.find("Split("))?;
        let args = &l[call + 6..];
        let q = args.find(['"', '\''])?;
        let quote = args[q..].chars().next()?;
        let sep = args[q + 1..].split(quote).next()?;
        // Trimmed after the split (`map(str.strip, ...)`, `.map(|p| p.trim())`) reads fine.
        (matches!(sep, "," | "=" | ":" | ";" | "|") && !trims(&l[call..])).then_some((i, *l, sep))
    })?;
    // The file as the text shows it: a line beside the code, about the key or the secret, with a
    // space after the separator.
    let spaced = format!("{sep} ");
    // Prose: outside the post's code fences, when it has them.
    let fenced = lines.iter().any(|l| l.trim_start().starts_with("```"));
    let mut in_fence = false;
    let shown = lines.iter().any(|l| {
        let t = l.trim_start();
        if t.starts_with("```") {
            in_fence = !in_fence;
            return false;
        }
        let prose = fenced && !in_fence;
        let aside = prose || !is_code(l) || t.starts_with("//") || t.starts_with("--");
        let lower = t.to_ascii_lowercase();
        aside && t.contains(&spaced) && (lower.contains("secret") || lower.contains("key"))
    });
    if !shown {
        return None;
    }
    let secret_named = |n: &str| n.to_ascii_lowercase().contains("secret");
    // The secret among the names the split assigns (`api_key, api_secret = ...`).
    let lhs = line.split('=').next().unwrap_or_default();
    if line.contains('=') && lhs.contains(',') {
        let secret = lhs.split([',', ' ', '(', ')']).find(|n| secret_named(n))?.trim();
        let later_trim = lines[at + 1..].iter().any(|l| names(l, secret) && trims(l));
        return (!later_trim).then_some(line);
    }
    // The parts indexed (`parts[1]`) untrimmed, and the secret read from them or from where they went,
    // untrimmed too.
    let parts = assigned(line.trim_start())?;
    let indexed = lines[at + 1..].iter().any(|l| {
        l.match_indices(&format!("{parts}[")).any(|(i, _)| {
            let after = &l[i + parts.len()..];
            let close = after.find(']').map_or(after.len(), |c| c + 1);
            !after[close..].trim_start().starts_with(".trim")
                && !after[close..].starts_with(".strip")
                && l[..i].contains('=')
        })
    });
    let secret_untrimmed =
        lines[at + 1..].iter().any(|l| assigned(l.trim_start()).is_some_and(secret_named) && !trims(l));
    let secret_trimmed = lines.iter().any(|l| assigned(l.trim_start()).is_some_and(secret_named) && trims(l));
    (indexed && secret_untrimmed && !secret_trimmed).then_some(line)
}

/// The line that sets the method of the code's one request, the endpoint that method and the
/// code's one `/api/v3/` path name, and the endpoint at the same path whose parameters the code
/// writes (when the first does not read them all).
fn method_of_other_params<'l>(
    lines: &[&'l str],
) -> Option<(&'l str, &'static crate::endpoint::Endpoint, &'static crate::endpoint::Endpoint)> {
    use crate::endpoint::Method;
    let code: Vec<&str> = lines.iter().copied().filter(|l| is_code(l)).collect();
    let mut paths: Vec<&str> = code
        .iter()
        .flat_map(|l| l.match_indices("/api/v3/").map(move |(at, _)| &l[at..]))
        .map(|p| &p[..p.find(|c: char| !(c.is_ascii_alphanumeric() || c == '/')).unwrap_or(p.len())])
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let [path] = paths.as_slice() else { return None };
    // The method: a quoted word where the line names a method (`method = "GET"`, `-X GET`).
    let mut methods: Vec<(&str, Method)> = code
        .iter()
        .filter_map(|l| {
            let lower = l.to_ascii_lowercase();
            // A builder's verb (Spring's WebClient `web.post()`, `.delete()`).
            let builder = ["get", "post", "put", "delete"].iter().find(|m| {
                let compact = lower.replace(' ', "");
                compact.contains(&format!(".{m}()"))
            });
            if let Some(m) = builder {
                return Some((*l, Method::parse(&m.to_ascii_uppercase())));
            }
            if !lower.contains("method") && !l.contains("-X ") {
                return None;
            }
            ["GET", "POST", "PUT", "DELETE"].iter().find_map(|m| {
                let quoted = [format!("\"{m}\""), format!("'{m}'"), format!("-X {m}")];
                quoted.iter().any(|q| l.contains(q.as_str())).then(|| (*l, Method::parse(m)))
            })
        })
        .filter_map(|(l, m)| Some((l, m?)))
        .collect();
    methods.dedup_by_key(|(_, m)| *m);
    let [(line, method)] = methods.as_slice() else { return None };
    let sent = crate::endpoint::find(*method, path)?;
    let names = written_names(lines, lines.len());
    let meant = accept::method_meant(sent, &names)?;
    Some((line, sent, meant))
}

/// A line that writes an order's `side`, `type` or `timeInForce` as a quoted literal that
/// mbx-core's order terms refuse (`"type": "STOP_LIMIT"`, `side='buy'`), in code that places an
/// order through a library that sends it as written (not ccxt, whose own words are lower case).
fn order_enum_written<'l>(lines: &[&'l str]) -> Option<(&'l str, crate::order::Refusal)> {
    let all = lines.join("\n").to_ascii_lowercase();
    let places = [
        "new_order",
        "create_order",
        "neworder",
        "order_limit",
        "order_market",
        "/api/v3/order\"",
        "order.place",
        "submitneworder",
    ]
    .iter()
    .any(|c| all.contains(c));
    if !places || all.contains("ccxt") {
        return None;
    }
    // A quoted value of the name: `type="X"`, `"type": "X"`, `type: 'X'`, `'type' => 'X'`.
    let literal = |l: &'l str, name: &str| -> Option<&'l str> {
        l.match_indices(name).find_map(|(at, _)| {
            let before = l[..at].trim_end_matches(['"', '\'']);
            if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                return None;
            }
            let rest = l[at + name.len()..].trim_start_matches(['"', '\'', ' ']);
            let rest = rest.strip_prefix("=>").or_else(|| rest.strip_prefix(['=', ':']))?;
            let rest = rest.trim_start();
            let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
            let value = rest[1..].split(quote).next()?;
            (!value.is_empty()
                && value.len() <= 30
                && value.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_'))
            .then_some(value)
        })
    };
    lines.iter().copied().filter(|l| is_code(l)).find_map(|l| {
        ["side", "type", "timeInForce"].iter().find_map(|name| {
            let value = literal(l, name)?;
            // A ticker's window type, a library's market type: not an order's.
            if *name == "type" && ["FULL", "MINI", "spot", "SPOT", "margin", "MARGIN"].contains(&value) {
                return None;
            }
            // The other terms valid, so that the refusal is this value's.
            let params = match *name {
                "side" => crate::Params::new().text("side", value).text("type", "LIMIT"),
                "type" => crate::Params::new().text("side", "BUY").text("type", value),
                _ => {
                    crate::Params::new().text("side", "BUY").text("type", "LIMIT").text("timeInForce", value)
                }
            };
            crate::order::OrderTerms::parse(&params).err().map(|r| (l, r))
        })
    })
}

/// A line that gives an order's price or quantity a value computed in floating point and not
/// rounded (`price=last * 0.985`, or a variable so assigned), in a text whose answer shows
/// Binance refusing its precision (-1111) or its tick or step (PRICE_FILTER, LOT_SIZE).
fn float_computed_unrounded<'l>(lines: &[&'l str], text: &str) -> Option<(&'l str, &'static str)> {
    let refused = text.contains("-1111")
        || text.contains("too much precision")
        || text.contains("Filter failure: PRICE_FILTER")
        || text.contains("Filter failure: LOT_SIZE");
    if !refused {
        return None;
    }
    let rounded = |l: &str| {
        let lower = l.to_ascii_lowercase();
        [
            "round", "quantize", "tofixed", "format", "floor", "ceil", ":.", "%.", "decimal", "trunc",
            "str(", "tostring",
        ]
        .iter()
        .any(|r| lower.contains(r))
    };
    let arithmetic = |rhs: &str| {
        let t = rhs.split(['#']).next().unwrap_or_default();
        (t.contains(" * ") || t.contains(" / ") || t.contains('*') && t.contains('.')) && !rounded(t)
    };
    // Variables given such a value.
    let computed: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            let name = assigned(l.trim_start())?;
            arithmetic(&l[l.find('=')? + 1..]).then_some(name)
        })
        .collect();
    const NAMES: [&str; 4] = ["price", "quantity", "stopPrice", "quoteOrderQty"];
    lines.iter().copied().filter(|l| is_code(l)).find_map(|l| {
        NAMES.iter().find_map(|name| {
            l.match_indices(name).find_map(|(at, _)| {
                let before = l[..at].trim_end_matches(['"', '\'']);
                if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '&') {
                    return None;
                }
                let rest = l[at + name.len()..].trim_start_matches(['"', '\'', ' ']);
                let rest = rest.strip_prefix("=>").or_else(|| rest.strip_prefix(['=', ':']))?.trim_start();
                if rest.starts_with('=') {
                    return None;
                }
                let value = rest.split([',', ')', '}']).next().unwrap_or_default().trim();
                let word = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                (arithmetic(value) || word && computed.contains(&value)).then_some((l, *name))
            })
        })
    })
}

/// A line that gives a call's `symbol` in lower case (`symbol='btcusdt'`, `symbol: "bnbusdt"`,
/// `"symbol": "ethbtc"`): letters and digits only, none of them upper case (not a stream name, which
/// holds `@`).
fn lower_case_symbol<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let plain_lower = |value: &str| {
        value.len() >= 5
            && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && value.bytes().any(|b| b.is_ascii_lowercase())
    };
    // Or a template that writes a quote asset in lower case after the base (`'${coin}usdt'`,
    // `f"{coin}usdt"`, `"#{coin}usdt"`).
    let templated = |value: &str| {
        let open = value.find('{').filter(|at| *at <= 2);
        let rest = open.and_then(|at| value[at..].find('}').map(|end| &value[at + end + 1..]));
        rest.is_some_and(|r| ["usdt", "usdc", "busd", "fdusd", "btc", "eth", "bnb"].contains(&r))
    };
    let lower_symbol = |value: &str| plain_lower(value) || templated(value);
    // Or lower-case literals joined (`"btc" + "usdt"`).
    let joined_lower = |l: &str| {
        let compact = l.replace(' ', "");
        ["\"+\"", "'+'"].iter().any(|j| {
            compact.split_once(j).is_some_and(|(a, b)| {
                let a = a.rsplit(['"', '\'']).next().unwrap_or_default();
                let b = b.split(['"', '\'']).next().unwrap_or_default();
                plain_lower(&format!("{a}{b}")) && !a.is_empty() && !b.is_empty()
            })
        })
    };
    // Variables given such a text (`pair = ARGV[0] || 'ethusdt'`), not upper-cased on the way.
    let upper = |l: &str| {
        ["upcase", "upper()", "touppercase", "to_uppercase", "toupper"]
            .iter()
            .any(|u| l.to_ascii_lowercase().contains(u))
    };
    let lower_vars: Vec<&str> = lines
        .iter()
        .filter(|l| !upper(l))
        .filter(|l| {
            joined_lower(l) || ['\'', '"'].iter().any(|q| l.split(*q).skip(1).step_by(2).any(lower_symbol))
        })
        .filter_map(|l| assigned(l.trim_start()))
        .collect();
    // Parts of a symbol given in lower case (`base, quote = "btc", "usdt"`, `coin = 'eth'`) and
    // the variables joined from them (`symbol = base + quote`, `f"{base}{quote}"`).
    let asset_name = |n: &str| {
        let n = n.to_ascii_lowercase();
        ["base", "quote", "coin", "asset", "symbol", "pair", "ticker", "currency", "token"]
            .iter()
            .any(|w| n.contains(w))
    };
    let lower_part = |v: &str| {
        (2..=10).contains(&v.len())
            && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && v.bytes().any(|b| b.is_ascii_lowercase())
    };
    let mut lower_vars = lower_vars;
    for l in lines.iter().filter(|l| !upper(l)) {
        let Some(name) = assigned(l.trim_start()) else { continue };
        let rhs = &l[l.find('=').map_or(l.len(), |i| i + 1)..];
        let literals: Vec<&str> = ['\'', '"'].iter().flat_map(|q| rhs.split(*q).skip(1).step_by(2)).collect();
        let parts = !literals.is_empty() && literals.iter().all(|v| lower_part(v)) && asset_name(name);
        // Joined from parts already found: `+`, a template's `{part}`, Go's Sprintf's arguments.
        let joined = lower_vars.iter().filter(|v| names(rhs, v)).count() >= 2
            || lower_vars.iter().any(|v| names(rhs, v))
                && literals.iter().all(|v| lower_part(v))
                && !literals.is_empty();
        if (parts || joined) && !lower_vars.contains(&name) {
            lower_vars.push(name);
        }
    }
    lines.iter().copied().find(|l| {
        l.match_indices("symbol").any(|(at, _)| {
            let before = l[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                return false;
            }
            let rest = l[at + "symbol".len()..].trim_start_matches(['"', '\'', ' ']);
            let Some(rest) = rest.strip_prefix(['=', ':']).filter(|r| !r.starts_with('=')) else {
                return false;
            };
            let rest = rest.trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                // A variable given a lower-case symbol's text.
                let word: String =
                    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                return !word.is_empty() && !upper(l) && lower_vars.contains(&word.as_str());
            };
            lower_symbol(rest[1..].split(quote).next().unwrap_or_default())
        })
    })
}

/// A line that sets the API key with a comment saying it is the testnet's, in code that does not
/// point its client at the testnet.
fn testnet_key<'l>(lines: &[&'l str]) -> Option<&'l str> {
    if testnet_client(lines).is_some() {
        return None;
    }
    key_commented_testnet(lines).or_else(|| {
        // The post's own words call the key a testnet one: the line that gives the key.
        prose_calls_key_testnet(lines).then(|| {
            lines.iter().copied().filter(|l| is_code(l)).find(|l| {
                let lower = l.to_ascii_lowercase().replace('_', "");
                lower.contains("apikey")
                    && (lower.contains('=') || lower.contains(':'))
                    && !lower.contains("secret")
            })
        })?
    })
}

/// Whether a line of prose (no code's `=`, `(`, `;`, `{`) calls the key a testnet one (`I generated
/// my API key on testnet.binance.vision`, `go-binance with my testnet keys:`).
fn prose_calls_key_testnet(lines: &[&str]) -> bool {
    lines.iter().any(|l| {
        let lower = l.to_ascii_lowercase();
        lower.contains("testnet")
            && lower.contains("key")
            && !l.contains(['=', '(', ';', '{'])
            && !l.trim_start().starts_with(['#', '/', '*', '`'])
    })
}

/// The line that points a library at the testnet or the demo venue: its switch (python-binance's
/// `testnet=True`, ccxt's sandbox mode, php-binance-api's third argument) or a URL of a venue
/// where such keys live (`//testnet.binance.vision`, from mbx-core's venues); not a comment.
fn testnet_client<'l>(lines: &[&'l str]) -> Option<&'l str> {
    // go-binance reads `binance.UseTestnet` when a client is made: set after NewClient, it does
    // not move that client.
    let made = lines.iter().position(|l| l.contains("binance.NewClient("));
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_code(l))
        .find(|(at, l)| {
            if l.contains("UseTestnet") && made.is_some_and(|m| *at > m) {
                return false;
            }
            let l = l.to_ascii_lowercase().replace(' ', "");
            ["testnet=true", "testnet:true", "set_sandbox_mode(true)", "setsandboxmode(true)"]
                .iter()
                .any(|w| l.contains(w))
                || (l.contains("binance\\api(") && l.ends_with(",true);"))
                || venue_host_in(&l)
        })
        .map(|(_, l)| *l)
}

/// Whether `line` holds the URL of a venue with keys of its own (`//testnet.binance.vision`, the
/// demo's; from mbx-core's venues).
fn venue_host_in(line: &str) -> bool {
    [crate::venue::Venue::SpotTestnet, crate::venue::Venue::Demo]
        .iter()
        .map(|v| v.rest_url().split_once(':').map_or(v.rest_url(), |(_, h)| h))
        .any(|h| line.to_ascii_lowercase().contains(h))
}

/// A line that gives a key with a comment calling it a testnet or demo key.
fn key_commented_testnet<'l>(lines: &[&'l str]) -> Option<&'l str> {
    lines.iter().copied().find(|l| {
        let l = l.to_ascii_lowercase();
        let (code, comment) = l.split_once(" # ").or_else(|| l.split_once(" // ")).unwrap_or((&l, ""));
        code.contains("key")
            && !code.contains("secret")
            && (comment.contains("testnet") || comment.contains("demo"))
    })
}

/// A line that hands a library the secret as its API key: a key option given something named for
/// the secret (`apiKey: process.env.BINANCE_API_SECRET`, `api_key=os.environ["BINANCE_API_SECRET"]`),
/// or a client built with the secret first where the key goes first (`Client(api_secret,
/// api_key)`, `new Spot(apiSecret, apiKey)`).
/// The slip of code that sends the secret where the API key goes.
fn secret_as_key_slip(line: &str) -> SourceSlip {
    slip(
        Cause::SecretAsApiKey,
        ApiError::new(ErrorCode::REJECTED_MBX_KEY),
        "your code gives the secret where the API key goes (and, likely, the key as the secret): the key Binance gets is one it never issued",
        line,
        "Give the API key where the library takes the key (apiKey, api_key, the first argument of Client(...) / Spot(...), the X-MBX-APIKEY header) and the secret where it takes the secret.",
    )
}

/// The slip of code that writes one of `secrets` (the user's own, which the doctor was given)
/// where the API key goes: under a name for the key (`"apiKey": "<secret>"`, `api_key = '<secret>'`),
/// into the `X-MBX-APIKEY` header, or into the variable that header sends. Names alone cannot tell
/// it when the two literals are simply swapped.
///
/// ```
/// use mbx_core::diagnose::{Cause, secret_written_as_key};
/// let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
/// let code = format!("exchange = ccxt.binance({{\n    'apiKey': '{secret}',\n    'secret': 'other',\n}})");
/// let slip = secret_written_as_key(&code, &[secret.as_bytes()]).unwrap();
/// assert_eq!(slip.cause, Cause::SecretAsApiKey);
/// assert!(!slip.line.contains(secret));
/// assert!(secret_written_as_key(&format!("secret = '{secret}'"), &[secret.as_bytes()]).is_none());
/// ```
pub fn secret_written_as_key(text: &str, secrets: &[&[u8]]) -> Option<SourceSlip> {
    let joined = joined_lines(text);
    let lines: Vec<&str> = joined.iter().map(String::as_str).collect();
    let secrets: Vec<&str> =
        secrets.iter().filter_map(|s| std::str::from_utf8(s).ok()).filter(|s| s.len() >= 16).collect();
    // `self.api_key` in the header, `self.api_key = ...` assigned: the last part.
    let header_var = key_header_variable(&lines).map(|v| v.rsplit('.').next().unwrap_or_default().to_owned());
    let keyish = |name: &str| {
        let name = name.to_ascii_lowercase().replace(['_', '-'], "");
        name.contains("key") && !name.contains("secret") && !name.contains("private")
    };
    let line = lines.iter().copied().filter(|l| is_code(l)).find(|l| {
        secrets.iter().any(|secret| {
            l.match_indices(secret).any(|(at, _)| {
                let before = l[..at].trim_end_matches(['"', '\'', '`', ' ', '[', '(']);
                let lower = l.to_ascii_lowercase();
                if lower.contains("x-mbx-apikey") {
                    return true;
                }
                // The name this value is given to: `apiKey: `, `"api_key" => `, `apiKey = `, `key := `.
                let named =
                    before.trim_end_matches(['=', ':', '>', ' ']).trim_end_matches(['"', '\'', '`', ' ']);
                let name = named
                    .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .next()
                    .unwrap_or_default();
                let given = named.len() < before.len();
                (given && keyish(name))
                    || assigned(l).is_some_and(|v| header_var.as_deref() == Some(&v.to_ascii_lowercase()))
            })
        })
    })?;
    Some(secret_as_key_slip(line))
}

fn credentials_swapped<'l>(lines: &[&'l str]) -> Option<&'l str> {
    let squeeze = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' ' | '"' | '\''))
            .collect::<String>()
            .to_ascii_lowercase()
    };
    lines.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        // `apiKey: <secret>` / `api_key=<secret>` / `"apiKey": <secret>`.
        let named = lower.match_indices("key").any(|(at, _)| {
            let name_start = lower[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '"' || *c == '\''))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let name = squeeze(&lower[name_start..at + 3]);
            let rest = lower[at + 3..].trim_start_matches(['"', '\'', ' ']);
            let Some(value) =
                rest.strip_prefix(':').or_else(|| rest.strip_prefix('=').filter(|r| !r.starts_with('=')))
            else {
                return false;
            };
            let value = value.split([',', ')', '}']).next().unwrap_or_default();
            // Not a header's name (`X-MBX-APIKEY: ...`), nor Home Assistant's reference to its
            // secrets file (`!secret binance_key`).
            let header = lower[..name_start].ends_with('-');
            name == "apikey"
                && !header
                && value.contains("secret")
                && !value.contains("!secret")
                && !value.contains("key_secret")
        });
        // `Client(api_secret, api_key)`: the secret as the first argument of a client that takes
        // the key first.
        let positional = ["client(", "asyncclient(", "asyncclient.create(", "spot("].iter().any(|call| {
            lower.match_indices(call).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return false;
                }
                let args = &lower[at + call.len()..];
                let mut parts = args.split(',');
                let (Some(first), Some(second)) = (parts.next(), parts.next()) else { return false };
                // The key as a literal (64 letters and digits) or a name for it.
                let second_text = second.trim().trim_matches(['"', '\'']);
                let literal =
                    second_text.len() >= 32 && second_text.bytes().all(|b| b.is_ascii_alphanumeric());
                !first.contains('=')
                    && first.contains("secret")
                    && (second.contains("key") || literal)
                    && !second.contains("secret")
            })
        });
        named || positional
    })
}

/// A line that puts the API key among the parameters (not in a header): `"apiKey": key`,
/// `api_key=` in a query string, HTTPie's `apiKey==$KEY`. Not for the WebSocket API, whose requests carry `apiKey`.
fn key_as_parameter<'l>(lines: &[&'l str]) -> Option<&'l str> {
    // (On a line of code: a comment that names the WebSocket API is no WebSocket code.)
    let websocket = |l: &str| {
        let lower = l.to_ascii_lowercase();
        is_code(&lower)
            && ["ws-api", "\"method\"", "session.logon", "websocket", "_ws_", "ws_api", "wss://"]
                .iter()
                .any(|w| lower.contains(w))
    };
    if lines.iter().any(|l| websocket(l)) {
        return None;
    }
    let quoted_key = |lower: &str| {
        ["'apikey'", "\"apikey\"", "'api_key'", "\"api_key\""].iter().any(|q| {
            lower.match_indices(q).any(|(i, _)| {
                let rest = lower[i + q.len()..].trim_start();
                rest.starts_with("=>")
                    || rest.starts_with(':')
                    || (rest.starts_with(',') && lower[..i].ends_with('('))
            })
        })
    };
    // A library's credentials given as an object (ccxt's `{"apiKey": ..., "secret": ...}`): its
    // `apiKey` entry is the library's option, not a parameter sent.
    let credentials = lines.iter().any(|l| {
        let lower = l.to_ascii_lowercase();
        ["'secret':", "\"secret\":", "'apisecret':", "\"apisecret\":", "'api_secret':", "\"api_secret\":"]
            .iter()
            .any(|w| lower.contains(w))
    });
    lines.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        (quoted_key(&lower) && !lower.contains("header") && !credentials)
            || (!credentials
                && ["'apikey':", "\"apikey\":", "'api_key':", "\"api_key\":"]
                    .iter()
                    .any(|p| lower.contains(p)))
                && !lower.contains("header")
            || [
                "'api_key=",
                "\"api_key=",
                "'apikey=",
                "\"apikey=",
                "&api_key=",
                "?api_key=",
                "&apikey=",
                "?apikey=",
                "?x-mbx-apikey=",
                "&x-mbx-apikey=",
                // HTTPie's query items (`apiKey==$KEY`).
                " apikey==",
                " api_key==",
                " x-mbx-apikey==",
            ]
            .iter()
            .any(|p| lower.contains(p))
                && !lower.contains("header")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn causes(text: &str) -> Vec<Cause> {
        read(text).into_iter().map(|s| s.cause).collect()
    }

    /// Libraries' own options for a body Binance does not read; where the program chooses on a
    /// condition, only when Binance's answer says the parameters were not read.
    #[test]
    fn a_chosen_misspelled_key_header_explains_a_2014() {
        let chosen = "headers: mode === \"misspelled\" ? { \"X-MBX-API-KEY\": apiKey } : { \"X-MBX-APIKEY\": apiKey },";
        assert!(causes(chosen).is_empty(), "the right name is there too, and no answer says otherwise");
        let refused = format!("{chosen}\n{{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}");
        assert_eq!(causes(&refused), [Cause::KeyHeaderMisspelled]);
    }

    #[test]
    fn an_hmac_keyed_with_the_payload_is_named() {
        assert_eq!(
            causes("sig = hmac.new(q.encode(), SECRET.encode(), hashlib.sha256).hexdigest()"),
            [Cause::HmacArgumentsSwapped]
        );
        assert!(causes("sig = hmac.new(SECRET.encode(), q.encode(), hashlib.sha256).hexdigest()").is_empty());
        assert_eq!(
            causes("const s = crypto.createHmac('sha256', query).update(apiSecret).digest('hex');"),
            [Cause::HmacArgumentsSwapped]
        );
        assert!(
            causes("const s = crypto.createHmac('sha256', apiSecret).update(query).digest('hex');")
                .is_empty()
        );
    }

    #[test]
    fn a_get_given_a_body_in_its_options_is_named() {
        let inline = "const res = await fetch(url, { method: \"GET\", body: qs, headers });";
        assert_eq!(causes(inline), [Cause::GetWithBody]);
        assert!(causes("const res = await fetch(url, { method: \"POST\", body: qs });").is_empty());
        let later = "const opts = { method: \"GET\", headers: { \"x-mbx-apikey\": apiKey } };\nif (mode === \"body\") {\n  url = base;\n  opts.body = `${qs}&signature=${signature}`;\n}";
        assert!(causes(later).is_empty(), "a choice, no answer shown");
        let refused = format!(
            "{later}\n400 {{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}}"
        );
        assert_eq!(causes(&refused), [Cause::GetWithBody]);
    }

    #[test]
    fn a_signature_appended_to_one_set_is_named() {
        let js = "params.set(\"signature\", sign(params));\nparams.append(\"signature\", sign(params));";
        assert_eq!(causes(js), [Cause::SignatureDuplicated]);
        assert!(causes("params.append(\"signature\", sign(params));").is_empty(), "once");
        let chosen =
            "params.set(\"signature\", s);\nif (mode === \"twice\") params.append(\"signature\", s);";
        assert!(causes(chosen).is_empty(), "a choice, no answer shown");
        let refused = format!(
            "{chosen}\n400 Bad Request {{ code: -1101, msg: 'Duplicate values for a parameter detected.' }}"
        );
        assert_eq!(causes(&refused), [Cause::SignatureDuplicated]);
    }

    #[test]
    fn library_options_for_an_unread_body_are_named() {
        let missing = "\n{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}";
        let got = "const res = await got.post(url, { json: params, headers }).json();";
        assert_eq!(causes(got), [Cause::JsonBody]);
        assert!(causes("const r = await got(url, { json: true, form: params });").is_empty());
        let chosen = "const opts = mode === \"json\" ? { json: params } : { searchParams: params };";
        assert!(causes(chosen).is_empty(), "a choice, no answer shown");
        assert_eq!(causes(&format!("{chosen}{missing}")), [Cause::JsonBody]);
        let superagent = "import superagent from \"superagent\";\nconst params = { symbol: \"A\" };\nconst res = await superagent.post(url).send(params);";
        assert_eq!(causes(superagent), [Cause::JsonBody]);
        let typed = superagent.replace(".send(params)", ".type(\"form\").send(params)");
        assert!(causes(&typed).is_empty(), "a form");
        let dotnet = "req.Content = new StringContent(\"{\\\"symbol\\\":\\\"A\\\"}\", Encoding.UTF8, \"application/json\");";
        assert_eq!(causes(dotnet), [Cause::JsonBody]);
        assert_eq!(causes("c.setopt(pycurl.HTTPPOST, list(params.items()))"), [Cause::BodyMultipart]);
        let branch = "if mode == \"httppost\":\n    c.setopt(pycurl.HTTPPOST, list(params.items()))";
        assert!(causes(branch).is_empty());
        assert_eq!(causes(&format!("{branch}{missing}")), [Cause::BodyMultipart]);
        let urllib3 = "import urllib3\nr = http.request(\"POST\", BASE + path, fields=params)";
        assert_eq!(causes(urllib3), [Cause::BodyMultipart]);
        assert!(causes(&urllib3.replace("POST", "GET")).is_empty(), "a GET's fields go in the URL");
        let needle = "const res = await needle(\"post\", url, params, { headers, multipart: true });";
        assert_eq!(causes(needle), [Cause::BodyMultipart]);
        assert!(causes(&needle.replace("multipart: true", "multipart: false")).is_empty());
    }

    #[test]
    fn json_flowing_into_the_hmac_is_named_through_assignments() {
        let dart = "final String jsonString = jsonEncode(data);\nfinal List<int> message = utf8.encode(jsonString);\nfinal List<int> mac = Hmac(sha256, key).convert(message).bytes;";
        assert_eq!(causes(dart), [Cause::SignedJson]);
        let go =
            "raw, _ := json.Marshal(params)\nmac := hmac.New(sha256.New, []byte(secret))\nmac.Write(raw)";
        assert_eq!(causes(go), [Cause::SignedJson]);
        let java = "Mac mac = Mac.getInstance(\"HmacSHA256\");\nString sig = Base64.getEncoder().encodeToString(mac.doFinal(q.getBytes()));";
        assert_eq!(causes(java), [Cause::SignatureBase64ForHmac]);
        let py = "payload = urlencode(params)\nsig = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()\nprint(json.dumps(resp))";
        assert!(causes(py).is_empty(), "{:?}", causes(py));
    }

    /// Round 27's code-only posts: the API key keying the HMAC, a property set after the signature
    /// was computed over the object, a map walked to sign and `Encode()`d to send, VBA's
    /// `bin.base64` helper given the bytes as its parameter.
    #[test]
    fn twenty_seventh_round_code_slips_are_named() {
        let go = "ts := time.Now().UnixNano()\nq := fmt.Sprintf(\"symbol=ETHUSDT&timestamp=%d\", ts)";
        assert_eq!(causes(go), [Cause::TimestampNanoseconds]);
        assert!(causes("timestamp = time.time_ns() // 1_000_000").is_empty());
        assert_eq!(causes("string ts = DateTime.UtcNow.Ticks.ToString();"), [Cause::TimestampNanoseconds]);
        let py = "sig = hmac.new(API_KEY.encode(), query.encode(), hashlib.sha256).hexdigest()";
        assert_eq!(causes(py), [Cause::SecretIsApiKey]);
        assert!(
            causes("sig = hmac.new(API_SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()")
                .is_empty()
        );
        // The API key inside the text signed (a WebSocket API payload) is not the HMAC's key.
        let ws = "const sig = crypto.createHmac('sha256', key).update(`apiKey=${apiKey}&timestamp=${ts}`).digest('hex');";
        assert!(!causes(ws).contains(&Cause::SecretIsApiKey));
        let js = "const signature = crypto.createHmac('sha256', SECRET).update(new URLSearchParams(params).toString()).digest('hex');\nparams.timestamp = Date.now();\nparams.signature = signature;";
        assert_eq!(causes(js), [Cause::SignedBeforeTimestamp]);
        let go = "for k, v := range params {\n\tparts = append(parts, k+\"=\"+v)\n}\npayload := strings.Join(parts, \"&\")\nmac := hmac.New(sha256.New, []byte(secret))\nmac.Write([]byte(payload))\nq := url.Values{}\nreq, _ := http.NewRequest(\"POST\", u+\"?\"+q.Encode(), nil)";
        assert_eq!(causes(go), [Cause::SignedOtherOrder]);
        let vba = "Set enc = CreateObject(\"System.Security.Cryptography.HMACSHA256\")\nHMACSHA256 = EncodeBase64(bytes)\nFunction EncodeBase64(arrData() As Byte) As String\n    objNode.DataType = \"bin.base64\"\n    objNode.nodeTypedValue = arrData\n    EncodeBase64 = objNode.Text";
        assert_eq!(causes(vba), [Cause::SignatureBase64ForHmac]);
    }

    #[test]
    fn a_signature_set_before_the_timestamp_of_the_same_map_is_named() {
        let dart =
            "params['signature'] = createSignature(secret, queryParams);\nparams['timestamp'] = timestamp;";
        assert_eq!(causes(dart), [Cause::SignedBeforeTimestamp]);
        let right = "params['timestamp'] = ts;\nparams['signature'] = sign(params);";
        assert!(causes(right).is_empty());
        let py = "query = urllib.parse.urlencode(params)\nsignature = hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()\nparams[\"timestamp\"] = int(time.time() * 1000)";
        assert_eq!(causes(py), [Cause::SignedBeforeTimestamp]);
        let go = "mac := hmac.New(sha256.New, []byte(secret))\nmac.Write([]byte(v.Encode()))\nv.Set(\"timestamp\", ts)";
        assert_eq!(causes(go), [Cause::SignedBeforeTimestamp]);
    }

    #[test]
    fn a_text_signed_sorted_or_unencoded_but_sent_otherwise_is_named() {
        let py = "params = {\"symbol\": \"BTCUSDT\", \"side\": \"BUY\", \"timestamp\": ts}\nto_sign = urlencode(sorted(params.items()))\nparams[\"signature\"] = hmac.new(SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()\nr = requests.post(url, params=params)";
        assert_eq!(causes(py), [Cause::SignedSortedParams]);
        // The sorted text is what is sent: nothing differs.
        let sent = py.replace("params=params", "data=to_sign + '&signature=' + params['signature']");
        assert!(causes(&sent).is_empty(), "{:?}", causes(&sent));
        // Written in order already: sorting changes nothing.
        let ordered = py.replace(
            "\"symbol\": \"BTCUSDT\", \"side\": \"BUY\"",
            "\"side\": \"BUY\", \"symbol\": \"BTCUSDT\"",
        );
        assert!(causes(&ordered).is_empty(), "{:?}", causes(&ordered));
        let go = "v := url.Values{}\nv.Set(\"symbol\", \"BTCUSDT\")\nv.Set(\"side\", \"SELL\")\nv.Set(\"timestamp\", ts)\nsig := sign(v.Encode())\nbody := fmt.Sprintf(\"symbol=BTCUSDT&side=SELL&timestamp=%s&signature=%s\", ts, sig)";
        assert_eq!(causes(go), [Cause::SignedSortedParams]);
        let go_right = go.replace("body := fmt.Sprintf(", "body := v.Encode() + fmt.Sprintf(");
        assert!(causes(&go_right).is_empty(), "{:?}", causes(&go_right));
        let unencoded = "params = {\"symbol\": \"BTCUSDT\", \"newClientOrderId\": \"grid:lvl 3\", \"timestamp\": ts}\nto_sign = \"&\".join(f\"{k}={v}\" for k, v in params.items())\nsig = hmac.new(SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()\nr = requests.post(url, params={**params, \"signature\": sig})";
        assert_eq!(causes(unencoded), [Cause::SignedUnencoded]);
        let plain = unencoded.replace("grid:lvl 3", "grid-3");
        assert!(causes(&plain).is_empty(), "{:?}", causes(&plain));
    }

    #[test]
    fn base64_through_an_msxml_node_and_elixir_seconds() {
        let vba = "Set hmac = CreateObject(\"System.Security.Cryptography.HMACSHA256\")\nbytes = hmac.ComputeHash_2(enc.GetBytes_4(text))\nSet node = xml.createElement(\"b64\")\nnode.DataType = \"bin.base64\"\nnode.nodeTypedValue = bytes\nSignB64 = node.Text";
        assert_eq!(causes(vba), [Cause::SignatureBase64ForHmac]);
        let ex =
            "ts = DateTime.utc_now() |> DateTime.to_unix()\nquery = URI.encode_query(%{\"timestamp\" => ts})";
        assert_eq!(causes(ex), [Cause::TimestampSeconds]);
        let ms = ex.replace("to_unix()", "to_unix(:millisecond)");
        assert!(causes(&ms).is_empty());
    }

    #[test]
    fn a_secret_written_into_the_code_is_not_shown() {
        let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        let slips = read(&format!(
            "sig = hmac.new(base64.b64decode(SECRET or \"{secret}\"), q.encode(), hashlib.sha256).hexdigest()"
        ));
        assert_eq!(slips.len(), 1);
        assert!(
            !slips[0].line.contains(&secret[..12]) && slips[0].line.contains("NhqP...(64 chars)"),
            "{}",
            slips[0].line
        );
    }

    #[test]
    fn a_decoded_secret_keying_the_hmac_is_named() {
        let ruby = "secret_key = Base64.urlsafe_b64decode(ENV['SECRET'])\nhmac = OpenSSL::HMAC.hexdigest(digest, secret_key, data)";
        assert_eq!(causes(ruby), [Cause::SecretBase64Decoded]);
        let fine = "payload = base64.b64decode(blob)\nsig = hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest()";
        assert!(causes(fine).is_empty(), "{:?}", causes(fine));
    }

    #[test]
    fn seconds_json_bodies_and_keys_as_parameters() {
        assert_eq!(
            causes("params = {'symbol': 'BTCUSDT', 'timestamp': int(time.time())}"),
            [Cause::TimestampSeconds]
        );
        assert!(causes("params = {'timestamp': int(time.time() * 1000)}").is_empty());
        assert!(causes("$params['timestamp'] = number_format(microtime(true)*1000,0,'.','');").is_empty());
        assert_eq!(
            causes("ts := time.Now().Unix()\nq := \"timestamp=\" + strconv.FormatInt(ts, 10)"),
            [Cause::TimestampSeconds]
        );
        assert!(
            causes("ts := time.Now().UnixMilli()\nq := \"timestamp=\" + strconv.FormatInt(ts, 10)")
                .is_empty()
        );
        assert_eq!(causes("r = requests.post(url, json=params, headers=headers)"), [Cause::JsonBody]);
        assert_eq!(
            causes("query_string = 'api_key=' + api_key + '&timestamp=' + ts"),
            [Cause::KeyAsParameter]
        );
        assert!(causes("headers = {'X-MBX-APIKEY': api_key}").is_empty());
        assert_eq!(
            causes("sig = hmac.new(key, q.encode(), hashlib.sha512).hexdigest()"),
            [Cause::SignatureWrongLength]
        );
        assert!(causes("sig = hmac.new(key, q.encode(), hashlib.sha256).hexdigest()").is_empty());
        assert_eq!(causes("params = {'recvWindow': 100000}"), [Cause::RecvWindowTooLarge]);
        assert!(causes("params = {'recvWindow': 60000, 'timestamp': ts}").is_empty());
        assert_eq!(
            causes(
                "let ts = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();\nlet q = format!(\"timestamp={ts}\");"
            ),
            [Cause::TimestampSeconds]
        );
    }

    /// WebSocket API code: slips in the frame it sends or the text it signs, each beside code that
    /// does the same thing right.
    #[test]
    fn websocket_api_code_shows_its_frame_and_signing_slips() {
        let head = "WS_URL = \"wss://ws-api.binance.com:443/ws-api/v3\"\n\
                    def sign(payload):\n    return hmac.new(SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()\n";
        let ws = |body: &str| causes(&format!("{head}{body}"));
        // The request sent as a printed dict, params as a list of pairs, an id over 36 characters.
        assert!(ws("    await ws.send(str(req))\n").contains(&Cause::FrameNotJson));
        assert!(!ws("    await ws.send(json.dumps(req))\n").contains(&Cause::FrameNotJson));
        assert!(ws("    params = [(\"apiKey\", KEY), (\"timestamp\", ts)]\n").contains(&Cause::FrameNotJson));
        assert!(
            ws("    req = {\"id\": f\"account-status-{uuid.uuid4()}\", \"method\": m}\n")
                .contains(&Cause::FrameNotJson)
        );
        assert!(!ws("    req = {\"id\": str(uuid.uuid4()), \"method\": m}\n").contains(&Cause::FrameNotJson));
        // A Python bool or a formatted number signed in another text than json.dumps sends.
        let signed = "    params[\"signature\"] = sign(\"&\".join(f\"{k}={v}\" for k, v in sorted(params.items())))\n    await ws.send(json.dumps(req))\n";
        assert!(
            ws(&format!("    params = {{\"omitZeroBalances\": True, \"timestamp\": ts}}\n{signed}"))
                .contains(&Cause::SignedOtherValueText)
        );
        assert!(
            !ws(&format!("    params = {{\"omitZeroBalances\": \"true\", \"timestamp\": ts}}\n{signed}"))
                .contains(&Cause::SignedOtherValueText)
        );
        let formatted = "    payload = f\"apiKey={KEY}&price={price:.2f}&quantity={qty:.8f}&timestamp={ts}\"\n    params = {\"price\": price, \"signature\": sign(payload)}\n";
        assert!(ws(formatted).contains(&Cause::SignedOtherValueText));
        // The signature percent-encoded in a frame; hex from an Ed25519 key.
        assert!(
            ws("    params[\"signature\"] = quote(sig, safe=\"\")\n").contains(&Cause::SignatureEncodedTwice)
        );
        assert!(ws("    params[\"signature\"] = sig\n").is_empty());
        let ed = "key = load_pem_private_key(pem, None)  # Ed25519\n";
        assert_eq!(
            causes(&format!("{ed}params[\"signature\"] = key.sign(payload.encode()).hex()")),
            [Cause::SignatureHexForAsymmetricKey]
        );
        assert!(
            causes(&format!("{ed}sig = base64.b64encode(key.sign(payload.encode())).decode()")).is_empty()
        );
        // session.logon signed with RSA; a method that needs a logon, or a signed one sent bare.
        assert!(ws("    sig = key.sign(p, padding.PKCS1v15(), hashes.SHA256())\n    await call(ws, \"session.logon\", params)\n")
            .contains(&Cause::LogonKeyNotEd25519));
        assert!(
            ws("    await call(ws, \"userDataStream.subscribe\")\n").contains(&Cause::SessionNotLoggedOn)
        );
        assert!(!ws("    await call(ws, \"session.logon\", params)\n    await call(ws, \"userDataStream.subscribe\")\n")
            .contains(&Cause::SessionNotLoggedOn));
        assert!(
            ws("    await call(ws, \"account.status\", {\"timestamp\": ts})\n")
                .contains(&Cause::ApiKeyParamMissing)
        );
        assert!(!ws("    await call(ws, \"account.status\", {\"apiKey\": KEY, \"timestamp\": ts, \"signature\": s})\n")
            .contains(&Cause::ApiKeyParamMissing));
        // A REST path as the method; a market stream's SUBSCRIBE on the WebSocket API.
        assert!(ws("    await call(ws, \"/api/v3/order\", params)\n").contains(&Cause::WsMethodUnknown));
        assert!(
            ws("    sub = {\"method\": \"SUBSCRIBE\", \"params\": [\"btcusdt@trade\"], \"id\": 1}\n")
                .contains(&Cause::WsMethodUnknown)
        );
        assert!(!ws("    s = connect(\"wss://stream.binance.com:9443/ws\")\n    sub = {\"method\": \"SUBSCRIBE\", \"params\": [\"btcusdt@trade\"], \"id\": 1}\n")
            .contains(&Cause::WsMethodUnknown));
        // A method the API does not have, named from the frame's own check; the key as a header
        // of the connection; an object sent as a string; the signature's variable encoded.
        let typo = ws("    await call(ws, \"openOrder.status\", params)\n");
        assert!(typo.contains(&Cause::WsMethodUnknown), "{typo:?}");
        assert!(!ws("    await call(ws, \"openOrders.status\", params)\n").contains(&Cause::WsMethodUnknown));
        assert!(!ws("    r = fetch(url, {method: 'POST'})\n").contains(&Cause::WsMethodUnknown));
        let node = "const ws = new WebSocket('wss://ws-api.binance.com/ws-api/v3', { headers: { 'X-MBX-APIKEY': KEY } });\n";
        assert!(ws(&format!("{node}  const req = {{ id: 1, method: 'account.status', params: {{ timestamp, signature }} }};\n"))
            .contains(&Cause::ApiKeyParamMissing));
        assert!(!ws(&format!("{node}  const req = {{ id: 1, method: 'account.status', params: {{ apiKey: KEY, timestamp, signature }} }};\n"))
            .contains(&Cause::ApiKeyParamMissing));
        assert!(ws("  ws.send(String(msg));\n").contains(&Cause::FrameNotJson));
        assert!(ws("  return encodeURIComponent(sig);\n").contains(&Cause::SignatureEncodedTwice));
        assert!(
            !ws("  params.signature = sign(encodeURIComponent(query));\n")
                .contains(&Cause::SignatureEncodedTwice)
        );
        // PHP's and Ruby's HMAC calls with the secret where the data goes.
        assert_eq!(
            causes("$signature = hash_hmac('SHA256', $secret, $querystring);"),
            [Cause::HmacArgumentsSwapped]
        );
        assert!(causes("$signature = hash_hmac('sha256', $query, $secret);").is_empty());
        assert_eq!(
            causes("sig = OpenSSL::HMAC.hexdigest('SHA256', query, secret)"),
            [Cause::HmacArgumentsSwapped]
        );
        assert!(causes("sig = OpenSSL::HMAC.hexdigest('SHA256', secret, query)").is_empty());
        // Python's GET given a form body.
        assert_eq!(
            causes("r = requests.get(BASE + '/api/v3/account', data=params, headers=h)"),
            [Cause::GetWithBody]
        );
        assert!(causes("r = requests.get(BASE + '/api/v3/account', params=params, headers=h)").is_empty());
        // A JSON object's text signed (Kotlin's buildJsonObject).
        let kotlin = "val params = buildJsonObject {\n    put(\"symbol\", symbol)\n}\nval signature = hmac.sign(params.toString())";
        assert!(causes(kotlin).contains(&Cause::SignedJson), "{:?}", causes(kotlin));
        // A float clock scaled to milliseconds, sent as a float.
        for code in [
            "params = {'timestamp': time.time() * 1000}",
            "let ts = Date().timeIntervalSince1970 * 1000\nlet query = \"timestamp=\\(ts)\"",
        ] {
            assert!(causes(code).contains(&Cause::TimestampMalformed), "{code}: {:?}", causes(code));
        }
        assert!(causes("params = {'timestamp': int(time.time() * 1000)}").is_empty());
        assert!(
            causes("let ts = Int64(Date().timeIntervalSince1970 * 1000)\nlet query = \"timestamp=\\(ts)\"")
                .is_empty()
        );
        // Dart's plain SHA-256 of the query and the secret; Elixir's HMAC with `:sha` (SHA-1).
        assert_eq!(
            causes("final signature = sha256.convert(utf8.encode(query + secret)).toString();"),
            [Cause::SignedPlainHash]
        );
        assert!(
            causes(
                "final signature = Hmac(sha256, utf8.encode(secret)).convert(utf8.encode(query)).toString();"
            )
            .is_empty()
        );
        assert_eq!(causes(":crypto.mac(:hmac, :sha, secret(), payload)"), [Cause::SignatureWrongLength]);
        assert!(causes(":crypto.mac(:hmac, :sha256, secret(), payload)").is_empty());
        // A lower-case symbol through a variable.
        assert!(
            causes("pair = ARGV[0] || 'ethusdt'\nq = URI.encode_www_form(symbol: pair, timestamp: now_ms)")
                .contains(&Cause::SymbolLowerCase)
        );
        assert!(!causes("pair = (ARGV[0] || 'ethusdt').upcase\nq = URI.encode_www_form(symbol: pair, timestamp: now_ms)").contains(&Cause::SymbolLowerCase));
        // Code that signs and never names timestamp.
        let no_ts = "String body = \"symbol=BNBUSDT&side=BUY\";\nbody += \"&signature=\" + hmac(body);";
        assert!(causes(no_ts).contains(&Cause::TimestampMissing), "{:?}", causes(no_ts));
        assert!(
            !causes(
                "String body = \"symbol=BNBUSDT&timestamp=\" + ts;\nbody += \"&signature=\" + hmac(body);"
            )
            .contains(&Cause::TimestampMissing)
        );
        // A query holding its signature, sent with another appended.
        let twice = "QUERY=\"symbol=BNBUSDT&timestamp=$TS\"\nQUERY=\"$QUERY&signature=$SIG\"\ncurl -s \"$BASE/api/v3/openOrders?$QUERY&signature=$SIG\"";
        assert!(causes(twice).contains(&Cause::SignatureDuplicated), "{:?}", causes(twice));
        let once = "QUERY=\"symbol=BNBUSDT&timestamp=$TS\"\ncurl -s \"$BASE/api/v3/openOrders?$QUERY&signature=$SIG\"";
        assert!(!causes(once).contains(&Cause::SignatureDuplicated));
        // recvWindow with grouped digits; the key at the start of a query literal.
        assert_eq!(causes("RECV_WINDOW = 120_000"), [Cause::RecvWindowTooLarge]);
        assert!(causes("RECV_WINDOW = 10_000").is_empty());
        assert!(
            causes("q := \"apiKey=\" + apiKey + \"&symbol=BNBUSDT&timestamp=\" + ms()")
                .contains(&Cause::KeyAsParameter)
        );
        // A client's bearer option.
        assert!(
            causes("Req.new(base_url: base, auth: {:bearer, System.fetch_env!(\"BINANCE_API_KEY\")})")
                .contains(&Cause::KeyInAuthorizationHeader)
        );
        // A spot path the API does not have, from the code.
        let v1 = causes("resp, err := http.Get(base + \"/api/v1/order?\" + q)");
        assert!(v1.iter().any(|c| matches!(c, Cause::PathUnknown | Cause::EndpointRetired)), "{v1:?}");
        assert!(causes("resp, err := http.Get(base + \"/api/v3/account?\" + q)").is_empty());
        assert!(
            causes("Error executing request POST https://api.binance.com/api/v3/order. HTTP status is 400.")
                .is_empty()
        );
        // Clocks in nanoseconds: C++'s system clock's own count, Elixir's native time.
        assert!(causes("auto ts = std::chrono::system_clock::now().time_since_epoch().count();\nstd::string q = \"timestamp=\" + std::to_string(ts);").contains(&Cause::TimestampNanoseconds));
        assert!(!causes("auto ts = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();\nstd::string q = \"timestamp=\" + std::to_string(ts);").contains(&Cause::TimestampNanoseconds));
        assert!(causes("timestamp = System.os_time()").contains(&Cause::TimestampNanoseconds));
        assert!(!causes("timestamp = System.os_time(:millisecond)").contains(&Cause::TimestampNanoseconds));
        // The secret's bytes as UTF-16.
        assert_eq!(
            causes("$hmac.Key = [System.Text.Encoding]::Unicode.GetBytes($Secret)"),
            [Cause::SecretUtf16]
        );
        assert!(causes("$hmac.Key = [System.Text.Encoding]::UTF8.GetBytes($Secret)").is_empty());
        // A client set for the testnet, and Binance's -2015.
        let testnet = "$api = new Binance\\API('key', 'secret', true);\nsignedRequest error: {\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}";
        assert!(causes(testnet).contains(&Cause::KeyOtherEnvironment), "{:?}", causes(testnet));
        assert!(
            !causes("$api = new Binance\\API('key', 'secret', true);").contains(&Cause::KeyOtherEnvironment)
        );
        // PHP's bool in http_build_query; a placeholder signature signed; a request without id.
        assert!(ws("$p = ['omitZeroBalances' => true];\n$p['signature'] = hash_hmac('sha256', http_build_query($p), $s);\n")
            .contains(&Cause::SignedOtherValueText));
        let placeholder = "    p = {\"symbol\": s, \"signature\": \"\"}\n    q = \"&\".join(f\"{k}={v}\" for k, v in sorted(p.items()))\n";
        assert!(ws(placeholder).contains(&Cause::SignedWithSignatureParam));
        assert!(!ws(&format!("{placeholder}    q = \"&\".join(f\"{{k}}={{v}}\" for k, v in p.items() if k != \"signature\")\n"))
            .contains(&Cause::SignedWithSignatureParam));
        assert!(
            ws("    payload = {\"method\": \"account.status\", \"params\": params}\n")
                .contains(&Cause::FrameNotJson)
        );
        assert!(
            !ws("    payload = {\"id\": 1, \"method\": \"account.status\", \"params\": params}\n")
                .contains(&Cause::FrameNotJson)
        );
        // A text signed by hand: unsorted, or without the apiKey the params send.
        let by_hand = |text: &str| {
            ws(&format!(
                "    params = {{\"apiKey\": KEY, \"timestamp\": ts}}\n    params[\"signature\"] = sign(f\"{text}\")\n"
            ))
        };
        assert!(by_hand("timestamp={ts}&apiKey={KEY}").contains(&Cause::SignedInWrittenOrder));
        assert!(by_hand("timestamp={ts}").contains(&Cause::SignedWithoutApiKey));
        assert!(by_hand("apiKey={KEY}&timestamp={ts}").is_empty());
        // Values that percent-encoding changes, signed encoded; apiKey added to a second request's
        // params after its text was built.
        assert!(ws("    params = {\"newClientOrderId\": \"grid:bnb/1\", \"timestamp\": ts}\n    params[\"signature\"] = sign(urlencode(sorted(params.items())))\n")
            .contains(&Cause::SignedEncodedValues));
        assert!(!ws("    params = {\"newClientOrderId\": \"grid1\", \"timestamp\": ts}\n    params[\"signature\"] = sign(urlencode(sorted(params.items())))\n")
            .contains(&Cause::SignedEncodedValues));
        let second = "    params = {\"apiKey\": KEY, \"timestamp\": ts}\n    payload = \"&\".join(f\"{k}={v}\" for k, v in sorted(params.items()))\n\
                      p = {\"symbol\": \"BNBUSDT\", \"timestamp\": ts}\n    payload = \"&\".join(f\"{k}={v}\" for k, v in sorted(p.items()))\n    p[\"apiKey\"] = KEY\n";
        assert!(ws(second).contains(&Cause::SignedWithoutApiKey));
    }
}
