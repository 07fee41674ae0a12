//! Slips read from the calls a language or a library makes, beside the request's own shape: the
//! bytes a key or a text is turned into (UTF-16), the padding and hash an RSA signature is made
//! with, the encoding an asymmetric signature is written in, a time kept in 32 bits or written
//! without its zeros, a header another exchange reads, a variable the environment does not hold,
//! a `.env` value read with its quotes, a header added again on every call.

use super::{SourceSlip, assigned, definition, is_code, known_names, names, slip};
use crate::diagnose::finding::Cause;
use crate::{ApiError, ErrorCode};

/// Every slip of this kind `lines` (the text's lines, continued ones joined) show; `text` whole.
pub(super) fn read(lines: &[&str], text: &str) -> Vec<SourceSlip> {
    let mut out = Vec::new();
    let code: Vec<&str> = lines.iter().copied().filter(|l| is_code(l)).collect();
    if let Some(line) = other_exchange_header(&code) {
        out.push(slip(
            Cause::OtherExchangeHeaders,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your code authenticates as another exchange does, with headers Binance does not read (its key, time and signature headers), and sends no X-MBX-APIKEY",
            line,
            "Binance reads the API key from the X-MBX-APIKEY header, and timestamp (with recvWindow) and signature as parameters: the HMAC-SHA256 of the query string followed by the body, in hex, sent last as &signature=.",
        ));
    }
    if let Some((line, key)) = env_name_unset(&code, text) {
        let (cause, error, what) = key_or_secret(key, Cause::KeyEmpty, Cause::SecretEmpty);
        out.push(slip(
            cause,
            ApiError::new(error),
            &format!("your code reads {what} from an environment variable whose name differs from the one the text sets, with an empty default: {what} sent is empty"),
            line,
            "Read the variable by the name you export (compare them letter by letter), and fail loudly when it is missing (os.environ[\"NAME\"] rather than .get(\"NAME\", \"\")) instead of sending an empty value.",
        ));
    }
    if let Some((line, key)) = dart_define_unset(&code, text) {
        let (cause, error, what) = key_or_secret(key, Cause::KeyEmpty, Cause::SecretEmpty);
        out.push(slip(
            cause,
            ApiError::new(error),
            &format!("your code reads {what} with String.fromEnvironment, which reads the defines given when the program is compiled (--dart-define), not the shell's environment: without one, {what} is empty"),
            line,
            "Read the process's environment at run time: Platform.environment['BINANCE_API_KEY'] (dart:io); or pass the value when building: dart run --define=BINANCE_API_KEY=... (flutter run --dart-define=...).",
        ));
    }
    if let Some((line, key)) = env_value_quoted(&code, lines) {
        let (cause, error, what) = key_or_secret(key, Cause::KeyQuoted, Cause::SecretQuoted);
        out.push(slip(
            cause,
            ApiError::new(error),
            &format!("your code reads a .env file whose values are in quotes, splitting each line at '=' and keeping what follows as it is: {what} it uses holds the quote characters"),
            line,
            "Strip the quotes as well as the white space (value.strip().strip('\"\\'')), or load the file with a dotenv library, which removes them.",
        ));
    }
    if let Some((line, u)) = urllib_posts(&code) {
        out.push(SourceSlip {
            verdict: Some(crate::diagnose::Verdict::method_not_allowed()),
            ..slip(Cause::MethodWrong, ApiError::new(ErrorCode::UNKNOWN), &format!("your code gives urllib.request.Request data, which makes it a POST: {}", u.title), line, "Put a GET's parameters in the URL (Request(url + \"?\" + query, headers=...), no data=), or name the method the endpoint takes: Request(..., method=\"GET\").")
        });
    }
    if let Some(line) = key_variable_single_quoted(&code) {
        out.push(slip(
            Cause::KeyShellVariable,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your code gives the X-MBX-APIKEY header a variable inside single quotes ('$apiKey'): single quotes do not expand variables (PowerShell, shells, PHP, Perl), so the header holds the text $apiKey",
            line,
            "Give the variable without quotes (@{ 'X-MBX-APIKEY' = $apiKey }) or in double quotes (\"$apiKey\").",
        ));
    }
    if let Some(line) = trailing_separator_signed(&code) {
        out.push(slip(
            Cause::SignedExtraSeparator,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code appends '&' after every pair and signs the text with the last '&' still on it: Binance signs the parameters without it",
            line,
            "Join the pairs with '&' between them only (table.concat(parts, \"&\") in Lua, \"&\".join(...) in Python), or drop the last '&' before signing; then append &signature=... to that text.",
        ));
    }
    if let Some(line) = query_and_body_joined(&code) {
        out.push(slip(
            Cause::SignedQueryAndBodyJoined,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code signs the query string and the body joined with '&': Binance signs the query string followed directly by the body, with nothing between them",
            line,
            "Sign query + body with no '&' between them (or send every parameter in one place, the query string or the body, and sign that).",
        ));
    }
    if let Some(line) = secure_string_as_text(&code) {
        out.push(slip(
            Cause::SecretPlaceholder,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code turns a SecureString into text by putting it in a string: that gives its type's name, System.Security.SecureString, which is what keys the HMAC",
            line,
            "Take the secret's text out of the SecureString first: ConvertFrom-SecureString $secret -AsPlainText (PowerShell 7), or [Runtime.InteropServices.Marshal]::PtrToStringAuto([Runtime.InteropServices.Marshal]::SecureStringToBSTR($secret)) in Windows PowerShell 5.1.",
        ));
    }
    if let Some(line) = secret_file_with_bom(&code, text) {
        out.push(slip(
            Cause::SecretWithBom,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code reads the secret from a file saved with a byte order mark (Windows Notepad's UTF-8 with BOM): the mark, U+FEFF, stays at the secret's start (strip() keeps it), so the secret signed has 65 characters",
            line,
            "Read the file with encoding=\"utf-8-sig\" in Python (or strip '\\ufeff'), or save it as UTF-8 without BOM.",
        ));
    }
    if let Some((line, secret)) = char_array_with_nul(&code) {
        let (cause, title) = if secret {
            (
                Cause::SecretWithNul,
                "your code copies the secret with StringToCharArray's default count, which takes the terminating NUL too: the HMAC is keyed with 65 bytes",
            )
        } else {
            (
                Cause::SignedWithNul,
                "your code copies the payload with StringToCharArray's default count, which takes the terminating NUL too: the text signed ends with a zero byte",
            )
        };
        out.push(slip(
            cause,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            title,
            line,
            "Give the count: StringToCharArray(text, data, 0, StringLen(text)), for the payload as for the secret.",
        ));
    }
    if let Some(line) = params_nested_in_code(&code) {
        out.push(slip(
            Cause::ParamsNested,
            ApiError::with_args(ErrorCode::UNREAD_PARAMETERS, 0, &[]),
            "your code gives the WebSocket API request's params a nested object: params are flat name-value pairs",
            line,
            "Write every parameter at the top of params as a string, number or boolean: an order list's legs are aboveType, abovePrice, belowType, belowStopPrice and so on (the method's parameter table), not nested objects.",
        ));
    }
    if let Some((line, body_only)) = one_part_signed(&code) {
        let (cause, title) = if body_only {
            (
                Cause::SignedBodyOnly,
                "your code sends parameters in the URL's query string and signs only the body: Binance signs the query string followed by the body",
            )
        } else {
            (
                Cause::SignedQueryOnly,
                "your code sends parameters in the body and signs only the query string: Binance signs the query string followed by the body",
            )
        };
        out.push(slip(
            cause,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            title,
            line,
            "Sign everything sent: the query string followed directly by the body (no '&' between them); simpler, send every parameter in one place (all in the body, or all in the query string) and sign that.",
        ));
    }
    if let Some(line) = binary_frame_sent(&code) {
        out.push(slip(
            Cause::FrameBinary,
            ApiError::with_msg(ErrorCode::INVALID_JSON, "Invalid JSON Request"),
            "your code sends the WebSocket API request as bytes, which go out in a binary frame: the WebSocket API reads text frames only",
            line,
            "Send the JSON as a string (a text frame): Node.js ws.send(json) with the string, not Buffer.from(json); Python ws.send(text) with a str, not .encode(); Go websocket.TextMessage.",
        ));
    }
    if let Some(line) = key_header_appended(&code) {
        out.push(slip(
            Cause::KeyDuplicated,
            ApiError::new(ErrorCode::BAD_API_KEY_FMT),
            "your code appends the X-MBX-APIKEY header to a list the object keeps: every call adds it once more, so from the second call on the request carries it twice",
            line,
            "Build the headers anew for each request (a local list), or set the header once where the object is made.",
        ));
    }
    if let Some(line) = secret_sent_as_signature(&code) {
        out.push(slip(
            Cause::SecretAsSignature,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code sends a key as the signature and computes none: the signature is the HMAC-SHA256 of the query string, keyed with the secret",
            line,
            "Compute the signature: hex(HMAC-SHA256(secret, query string)) and send that as &signature=; the secret itself never leaves your program (create a new key pair, since this one's secret was sent).",
        ));
    }
    let rsa = [
        (
            rsa_pss(&code),
            Cause::SignedRsaPss,
            "your code signs with RSA-PSS padding; Binance verifies RSA PKCS#1 v1.5 with SHA-256",
            "Sign with PKCS#1 v1.5 padding and SHA-256: padding.PKCS1v15() with hashes.SHA256() in Python's cryptography, SHA256withRSA in Java, RSA_PKCS1_PADDING in Node.js, rsa.SignPKCS1v15 with crypto.SHA256 in Go.",
        ),
        (
            rsa_other_hash(&code),
            Cause::SignedRsaOtherHash,
            "your code signs with RSA over another hash than SHA-256 (PHP's openssl_sign defaults to SHA-1)",
            "Name SHA-256: openssl_sign($payload, $sig, $key, OPENSSL_ALGO_SHA256) in PHP, SHA256withRSA in Java, hashes.SHA256() in Python.",
        ),
        (
            rsa_raw(&code),
            Cause::SignedRsaRaw,
            "your code encrypts the payload with the RSA private key (no hash, no DigestInfo) rather than signing it",
            "Sign, do not encrypt: key.sign(OpenSSL::Digest::SHA256.new, payload) in Ruby, openssl_sign(..., OPENSSL_ALGO_SHA256) in PHP, crypto.sign('sha256', ...) in Node.js; then base64 the signature.",
        ),
    ];
    for (found, cause, title, fix) in rsa {
        if let Some(line) = found {
            out.push(slip(cause, ApiError::new(ErrorCode::INVALID_SIGNATURE), title, line, fix));
        }
    }
    if let Some(line) = signature_kept_for_next(&code) {
        out.push(slip(
            Cause::SignedWithSignatureParam,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code stores the signature into the parameters it was given and signs those same parameters on the next call: from the second request on, the text signed holds the previous signature",
            line,
            "Sign a fresh copy each time (params = dict(params), {...params}), or remove signature before signing (params.pop(\"signature\", None)); then add the new signature.",
        ));
    }
    if let Some(line) = hex_unpadded(&code) {
        out.push(slip(
            Cause::SignatureWrongLength,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code writes each byte of the HMAC in hex without padding it to two digits: a byte below 16 gives one digit, so the signature is short (63 characters or fewer) whenever the HMAC holds one, which is most of the time",
            line,
            "Write every byte as two hex digits: Right(\"0\" & Hex(b), 2) in VBA, b.toString(16).padStart(2, \"0\") in JavaScript, b.ToString(\"x2\") in C#, String.format(\"%02x\", b) in Java, or the library's own hex encoder.",
        ));
    }
    if let Some(line) = digest_signed(&code) {
        out.push(slip(
            Cause::SignedDigest,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code hashes the payload with SHA-256 and signs the hash: Binance verifies a signature of the payload itself (Ed25519 hashes inside; RSA's SHA256withRSA hashes once)",
            line,
            "Sign the payload's bytes directly: crypto.sign(null, Buffer.from(query), key) for Ed25519 in Node.js, key.sign(payload) in Python; for RSA, sign with SHA-256 over the payload (not over its digest).",
        ));
    }
    if let Some(line) = asymmetric_signature_hex(&code) {
        out.push(slip(
            Cause::SignatureHexForAsymmetricKey,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code writes an Ed25519 or RSA signature in hex: Binance reads those signatures in base64 (hex is for HMAC)",
            line,
            "Write the signature in standard base64 (base64.StdEncoding.EncodeToString(sig) in Go, base64.b64encode(sig) in Python), then percent-encode it in the query string.",
        ));
    }
    if let Some((line, secret)) = utf16_bytes(&code) {
        let (cause, title, fix) = if secret {
            (
                Cause::SecretUtf16,
                "your code keys the HMAC with the secret's UTF-16 bytes; Binance keys it with the secret's UTF-8 (ASCII) bytes",
                "Take the secret's bytes as UTF-8: getBytes(StandardCharsets.UTF_8) in Java, toByteArray(Charsets.UTF_8) in Kotlin, Encoding.UTF8.GetBytes in .NET.",
            )
        } else {
            (
                Cause::SignedUtf16,
                "your code signs the payload's UTF-16 bytes; Binance signs its UTF-8 bytes",
                "Sign the payload's UTF-8 bytes: getBytes(StandardCharsets.UTF_8) in Java, toByteArray(Charsets.UTF_8) in Kotlin, Encoding.UTF8.GetBytes in .NET.",
            )
        };
        out.push(slip(cause, ApiError::new(ErrorCode::INVALID_SIGNATURE), title, line, fix));
    }
    if let Some(line) = millis_in_32_bits(&code) {
        out.push(slip(
            Cause::TimestampTruncated,
            ApiError::new(ErrorCode::INVALID_TIMESTAMP),
            "your code keeps the time in milliseconds in a 32-bit integer: it overflows (about 1.8 trillion does not fit in 2,147,483,647), so the timestamp sent is a small or negative number",
            line,
            "Keep milliseconds in a 64-bit integer: long in Java and C#, Long in Kotlin, i64/u64/u128 in Rust, int64 in Go.",
        ));
    }
    if let Some(line) = millis_unpadded(&code) {
        out.push(slip(
            Cause::TimestampUnpaddedMillis,
            ApiError::new(ErrorCode::INVALID_TIMESTAMP),
            "your script writes the seconds and then the milliseconds as a plain number: below 100 ms the zeros are lost (…12 + 5 gives …125, not …12005), so the timestamp is short by a digit or two",
            line,
            "Pad the milliseconds to three digits (printf '%s%03d' \"$SEC\" \"$MS\"), or take them at once: date +%s%3N (GNU date), or $(( $(date +%s) * 1000 )).",
        ));
    }
    if let Some((line, error)) = time_unit_written(&code) {
        out.push(slip(
            Cause::TimeUnitInvalid,
            error,
            "your code sends X-MBX-TIME-UNIT with a value Binance does not take: it reads MILLISECOND or MICROSECOND (singular)",
            line,
            "Send X-MBX-TIME-UNIT: MICROSECOND (or MILLISECOND, or leave the header out for milliseconds), and a timestamp in that unit.",
        ));
    }
    if let Some(line) = second_question_mark(&code) {
        out.push(slip(
            Cause::SecondQuestionMark,
            ApiError::new(ErrorCode::INVALID_SIGNATURE),
            "your code passes a path that already holds a query ('?') to a helper that adds '?' and its own parameters: the URL has a second '?', and what follows it is read as part of the value before it",
            line,
            "Pass the path and the parameters apart (the helper joins them with one '?' and '&'), or have the helper add '&' when the path already holds '?'; sign the whole query string as sent.",
        ));
    }
    if let Some((line, refusal)) = order_call_refused(&code, text) {
        out.push(slip(
            Cause::OrderTerms,
            refusal.error,
            &format!("your code's order call gives terms Binance refuses: {}", refusal.advice),
            line,
            "Send the parameters the order's type takes, and no others: LIMIT takes timeInForce, quantity and price; MARKET quantity or quoteOrderQty only (no price, no timeInForce); STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT also stopPrice (or trailingDelta).",
        ));
    }
    if let Some(line) = content_length_before_extended(&code) {
        out.push(slip(
            Cause::ContentLengthShort,
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["signature"]),
            "your code sets Content-Length from the body before it appends the signature: Binance reads that many bytes and never gets &signature=...",
            line,
            "Leave Content-Length out (the HTTP library computes it from the body it sends), or compute it after the body is complete.",
        ));
    }
    // (Only where Binance's answer shows the timestamp missing: a forum's page renders a post's own
    // `&timestamp` so too.)
    if text.contains("'timestamp' was not sent")
        && let Some(line) = code.iter().copied().find(|l| l.contains("×tamp") || l.contains("&amp;timestamp"))
    {
        out.push(slip(
            Cause::HtmlMangledAmpersand,
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["timestamp"]),
            "your code's query holds '&times' turned into '×' (or '&' written as '&amp;'), as copied from a web page: Binance reads no parameter named timestamp",
            line,
            "Type the query's '&timestamp=' again by hand (a page showed '&times' as the × sign), and join parameters with a plain '&'.",
        ));
    }
    if let Some((line, name)) = update_discarded(&code) {
        let (cause, error) = match name {
            "signature" => (
                Cause::SignatureMissing,
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["signature"]),
            ),
            _ => (
                Cause::TimestampMissing,
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["timestamp"]),
            ),
        };
        out.push(slip(
            cause,
            error,
            &format!("your code adds {name} with a call that returns a new map and drops what it returns: the map sent never holds {name}"),
            line,
            "Keep what the call returns: params = Map.put(params, :timestamp, ts) in Elixir (data is immutable), params = params + (\"timestamp\" -> ts) in Scala, params = {...params, timestamp} in JavaScript.",
        ));
    }
    out
}

/// The text of a call's arguments from the `(` at `open` of line `i`, over following lines until
/// its parentheses close.
fn call_arguments(code: &[&str], i: usize, open: usize) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for (n, l) in code[i..].iter().enumerate().take(20) {
        let part = if n == 0 { &l[open..] } else { l };
        for c in part.chars() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return out;
                    }
                }
                _ => {}
            }
            if depth > 0 {
                out.push(c);
            }
        }
        out.push(' ');
    }
    out
}

/// A new order placed by a call whose arguments are all written in it
/// (`client.new_order(symbol="BNBUSDT", side="BUY", type="MARKET", quantity=0.5, price=610)`,
/// snake_case names as an SDK takes them), its type a literal or an enum's member, that mbx-core's
/// order terms refuse for what it sends (MARKET with price) or lacks (STOP_LOSS_LIMIT without
/// stopPrice): the call's line and the refusal.
fn order_call_refused<'l>(code: &[&'l str], text: &str) -> Option<(&'l str, crate::order::Refusal)> {
    if text.to_ascii_lowercase().contains("ccxt") {
        return None;
    }
    let (i, open) = code.iter().enumerate().find_map(|(i, l)| {
        ["new_order(", "create_order(", "newOrder(", "submitNewOrder("]
            .iter()
            .find_map(|c| l.find(c).map(|at| (i, at + c.len() - 1)))
    })?;
    let args = call_arguments(code, i, open);
    // Arguments spread from elsewhere, or given by position: not all of them are here.
    if args.contains("**") || args.contains("...") || args.trim().is_empty() {
        return None;
    }
    let camel = |name: &str| {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    let mut params = crate::Params::new();
    let mut named = 0;
    for piece in args.split(',') {
        let piece = piece.trim().trim_start_matches('{').trim();
        let Some(sep) = piece.find(['=', ':']) else { continue };
        if piece[sep..].starts_with("==") {
            continue;
        }
        let name = camel(piece[..sep].trim().trim_matches(['"', '\'']));
        let Some(name) = known_names().iter().find(|n| **n == name) else { continue };
        let raw = piece[sep + 1..].trim().trim_end_matches('}').trim();
        // A literal, an enum's member (`NewOrderTypeEnum["STOP_LOSS_LIMIT"].value`,
        // `OrderType.MARKET`), else a value of the name's kind.
        let quoted = raw
            .split(['"', '\''])
            .nth(1)
            .filter(|_| raw.starts_with(['"', '\'']) || raw.contains("[\"") || raw.contains("['"));
        let member =
            raw.rsplit('.').find(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
        let number = (!raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit() || b == b'.')).then_some(raw);
        let value = match *name {
            "side" | "type" => match quoted.or(member) {
                Some(v) => v.to_owned(),
                None => return None,
            },
            "timeInForce" => quoted.or(member).unwrap_or("GTC").to_owned(),
            "symbol" => "BTCUSDT".to_owned(),
            "newClientOrderId" => "x".to_owned(),
            _ => number.map_or_else(|| "1".to_owned(), str::to_owned),
        };
        params = params.text(*name, value);
        named += 1;
    }
    if named < 3 {
        return None;
    }
    let refusal = crate::order::read_new_order(&params).err()?;
    // Only what the call's own terms settle: a parameter missing or not taken, an unknown value.
    let settled = [-1102, -1106, -1116, -1117, -1115];
    settled.contains(&refusal.error.code.get()).then_some((code[i], refusal))
}

/// The line that sets `Content-Length` from a body the code extends afterwards (`"Content-Length":
/// str(len(body))`, then `body += "&signature=" + ...`).
fn content_length_before_extended<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().enumerate().find_map(|(i, l)| {
        let lower = l.to_ascii_lowercase();
        let at = lower.find("content-length")?;
        let rest = &l[at..];
        let var = ["len(", "length(", "strlen(", ".length", ".len()", ".count"].iter().find_map(|f| {
            let p = rest.find(f)?;
            let word: String = if f.starts_with('.') {
                rest[..p]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect()
            } else {
                rest[p + f.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                    .collect()
            };
            (!word.is_empty()).then_some(word)
        })?;
        let var = var.trim_start_matches('$').to_owned();
        code[i + 1..]
            .iter()
            .any(|later| {
                let compact = later.replace([' ', '$'], "");
                (compact.starts_with(&format!("{var}+="))
                    || compact.starts_with(&format!("{var}.="))
                    || compact.starts_with(&format!("{var}={var}+")))
                    && compact.contains("signature")
            })
            .then_some(*l)
    })
}

/// A parameter added by a call that returns a new map, its result dropped (Elixir's
/// `Map.put(params, :timestamp, ...)` as a statement, Scala's `params.updated("timestamp", ...)`).
fn update_discarded<'l>(code: &[&'l str]) -> Option<(&'l str, &'static str)> {
    code.iter().copied().find_map(|l| {
        let t = l.trim_start();
        let call = ["Map.put(", "Map.merge(", "Map.put_new("].iter().any(|c| t.starts_with(c))
            || (t.contains(".updated(") && !t.contains('='));
        if !call {
            return None;
        }
        ["timestamp", "signature"].into_iter().find(|n| t.contains(n)).map(|n| (l, n))
    })
}

/// The cause, Binance's answer and the words of a slip about the API key (`key`) or else the
/// secret: the key is refused as such (-2014), the secret only through the signature (-1022).
fn key_or_secret(key: bool, if_key: Cause, if_secret: Cause) -> (Cause, ErrorCode, &'static str) {
    if key {
        (if_key, ErrorCode::BAD_API_KEY_FMT, "the API key")
    } else {
        (if_secret, ErrorCode::INVALID_SIGNATURE, "the secret")
    }
}

/// A quoted header name of another exchange's authentication (`"X-BAPI-API-KEY"`,
/// `'OK-ACCESS-KEY'`), in code that never names X-MBX-APIKEY.
fn other_exchange_header<'l>(code: &[&'l str]) -> Option<&'l str> {
    if code.iter().any(|l| l.to_ascii_lowercase().contains("x-mbx-apikey")) {
        return None;
    }
    code.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        crate::diagnose::OTHER_EXCHANGES
            .iter()
            // (Bitget's bare `access-` is a word in too many other names.)
            .filter(|(prefix, _)| *prefix != "access-")
            .any(|(prefix, _)| ["\"", "'"].iter().any(|q| lower.contains(&format!("{q}{prefix}"))))
    })
}

/// The environment variable code reads (`os.environ.get("NAME", "")`, `os.getenv("NAME")`,
/// `process.env.NAME`, `os.Getenv("NAME")`, `getenv('NAME')`, `ENV["NAME"]`), each with the line.
fn env_reads<'l>(code: &[&'l str]) -> Vec<(&'l str, String)> {
    const READS: [&str; 9] = [
        "environ.get(",
        "getenv(",
        "Getenv(",
        "process.env.",
        "process.env[",
        "ENV[",
        "ENV.fetch(",
        "GetEnvironmentVariable(",
        "env::var(",
    ];
    let mut out = Vec::new();
    for l in code {
        for read in READS {
            for (at, _) in l.match_indices(read) {
                let rest = l[at + read.len()..].trim_start_matches(['"', '\'', '`']);
                let name: String =
                    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if name.len() >= 4
                    && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                {
                    out.push((*l, name));
                }
            }
        }
    }
    out
}

/// A key or secret read from an environment variable the text never sets, where it sets one of
/// nearly the same name (`BINANCE_APIKEY` read, `BINANCE_API_KEY` exported), with a default or an
/// API that gives nothing when unset: the line, and whether it is the key (else the secret).
fn env_name_unset<'l>(code: &[&'l str], text: &str) -> Option<(&'l str, bool)> {
    let reads = env_reads(code);
    let squeeze = |s: &str| s.replace('_', "");
    // Names the text writes anywhere (prose, a shell's export), whole words in upper case.
    let written: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.len() >= 6 && w.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        })
        .collect();
    reads.iter().find_map(|(line, name)| {
        // Python's environ[...] raises when unset: only a read that gives nothing reads on.
        let quiet = !line.contains("environ[") && !line.contains("ENV.fetch(") && !line.contains("env::var(");
        let key = name.contains("KEY") && !name.contains("SECRET");
        let secret = name.contains("SECRET");
        let meant = written.iter().any(|w| *w != name && squeeze(w) == squeeze(name));
        let read_elsewhere_too = written.iter().filter(|w| **w == name).count() > 1;
        (quiet && (key || secret) && meant && !read_elsewhere_too).then_some((*line, key))
    })
}

/// Dart's `String.fromEnvironment('NAME')` (a compile-time define) read for the key or the
/// secret, in a text that never gives a define (`--dart-define`, `--define`, `-D`): the line, and
/// whether it is the key (else the secret).
fn dart_define_unset<'l>(code: &[&'l str], text: &str) -> Option<(&'l str, bool)> {
    if text.contains("--dart-define") || text.contains("--define") || text.contains(" -D") {
        return None;
    }
    let reads: Vec<(&str, bool)> = code
        .iter()
        .filter_map(|l| {
            let at = l.find("String.fromEnvironment(")?;
            let name = l[at..].to_ascii_uppercase();
            let key = name.contains("KEY") && !name.contains("SECRET");
            (name.contains("KEY") || name.contains("SECRET")).then_some((*l, key))
        })
        .collect();
    // The key first: Binance reads it before the signature.
    reads.iter().find(|(_, key)| *key).or(reads.first()).copied()
}

/// A `.env` shown with its values in quotes (`BINANCE_API_KEY="vmPU..."`), read by a hand-written
/// loader that splits each line at `=` and strips white space only: the line that splits, and
/// whether the key is among the quoted values (else the secret alone).
fn env_value_quoted<'l>(code: &[&'l str], lines: &[&str]) -> Option<(&'l str, bool)> {
    let split = code.iter().copied().find(|l| {
        let compact = l.replace(' ', "");
        (compact.contains("split(\"=\"") || compact.contains("split('='") || compact.contains("split(\"=\","))
            && !compact.contains("#")
    })?;
    // Quotes stripped anywhere (`.strip('"')`, `.replace('"', '')`, a dotenv library).
    let unquotes = code.iter().any(|l| {
        let compact = l.replace(' ', "");
        [
            "('\"')",
            "(\"\\\"\")",
            "('\"\\'')",
            "(\"\\\"'\")",
            "('\\'\"')",
            "(\"'\\\"\")",
            "load_dotenv",
            "dotenv.config",
            "require('dotenv')",
            "from dotenv",
            "dotenvy",
            "shlex",
            "trim_matches('\"')",
        ]
        .iter()
        .any(|u| compact.contains(u))
    });
    if unquotes {
        return None;
    }
    // An env line: NAME="value" or NAME='value', NAME in upper case.
    let quoted = |l: &str, word: &str| {
        let t = l.trim();
        let Some((name, value)) = t.split_once('=') else { return false };
        let name = name.trim_start_matches("export ").trim();
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            && name.contains(word)
            && (value.starts_with('"') || value.starts_with('\''))
            && value.len() > 2
    };
    let key = lines.iter().any(|l| quoted(l, "KEY") && !l.contains("SECRET"));
    let secret = lines.iter().any(|l| quoted(l, "SECRET"));
    (key || secret).then_some((split, key))
}

/// Python's `urllib.request.Request(url, data=...)` with no method, which posts, to a path that
/// takes no POST (`/api/v3/account`): the line and the endpoint table's refusal.
fn urllib_posts<'l>(code: &[&'l str]) -> Option<(&'l str, crate::endpoint::Unrouted)> {
    code.iter().copied().find_map(|l| {
        let at = l.find("urllib.request.Request(").or_else(|| l.find(" Request("))?;
        let args = &l[at..];
        if !args.contains("data=") || args.contains("method=") {
            return None;
        }
        let path_at = args.find("/api/v3/")?;
        let path = &args[path_at..];
        let path =
            &path[..path.find(|c: char| !(c.is_ascii_alphanumeric() || c == '/')).unwrap_or(path.len())];
        let u = crate::endpoint::unrouted("POST", path).filter(|u| u.status == 405)?;
        Some((l, u))
    })
}

/// A line that gives the key header a variable in single quotes (`'X-MBX-APIKEY' = '$apiKey'`,
/// `-H 'X-MBX-APIKEY: $KEY'`), which PowerShell, the shells, PHP and Perl do not expand.
fn key_variable_single_quoted<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().copied().find(|l| {
        let Some(at) = l.to_ascii_uppercase().find("X-MBX-APIKEY") else { return false };
        let rest = &l[at + "X-MBX-APIKEY".len()..];
        // The header's text in single quotes with the variable in it (curl's -H 'Name: $KEY'),
        // or its value quoted so (`'X-MBX-APIKEY' = '$apiKey'`, `'X-MBX-APIKEY' => '$key'`).
        let in_header = rest.trim_start().starts_with(':')
            && l[..at].ends_with('\'')
            && rest.split('\'').next().is_some_and(|v| v.contains('$'));
        let value = rest.trim_start_matches(['\'', ' ', '=', '>', ':', ',']);
        let quoted_value = rest.trim_start().starts_with('\'')
            && value.len() < rest.len()
            && rest[..rest.len() - value.len()].matches('\'').count() == 2
            && value.starts_with('$')
            && value[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '{')
            && value.split('\'').count() > 1
            && !value.split('\'').next().unwrap_or_default().contains(' ');
        in_header || quoted_value
    })
}

/// A POST that sends parameters both in its URL and in its body while the code signs only one
/// of the two: the body (`URI('.../order?symbol=ETHUSDT')`, then `body += "&signature=" +
/// hmac(body)`) or the query (the URL's text signed, the body given as a map of parameters). The
/// signing line, and whether it is the body that is signed.
fn one_part_signed<'l>(code: &[&'l str]) -> Option<(&'l str, bool)> {
    let known = |name: &str| known_names().contains(&name) || name == "timestamp";
    // Parameter names written as a query in a URL literal (`/api/v3/order?symbol=ETHUSDT`).
    let url_names = |l: &str| -> Vec<String> {
        l.match_indices("/api/v3/")
            .filter_map(|(at, _)| {
                let rest = &l[at..];
                let q = rest.find('?')?;
                let end = rest.find(['"', '\'', '`', ' ', ')']).unwrap_or(rest.len());
                (q < end).then(|| {
                    rest[q + 1..end]
                        .split('&')
                        .filter_map(|p| p.split_once('=').map(|(k, _)| k.to_owned()))
                        .collect::<Vec<_>>()
                })
            })
            .flatten()
            .filter(|n| known(n))
            .collect()
    };
    let url_line = code.iter().copied().find(|l| !url_names(l).is_empty())?;
    let in_url = url_names(url_line);
    // The body: a variable the request takes as its body.
    let body_var = code.iter().find_map(|l| {
        let c = l.replace(' ', "");
        ["req.body=", ".body=", "body:", "data=", ".body(", "ofString(", "CURLOPT_POSTFIELDS,"]
            .iter()
            .find_map(|f| {
                let at = c.find(f)?;
                let v: String =
                    c[at + f.len()..].chars().take_while(|ch| ch.is_alphanumeric() || *ch == '_').collect();
                (!v.is_empty()).then_some(v)
            })
    });
    let signing = |l: &str| {
        let lower = l.to_ascii_lowercase();
        (lower.contains("hmac") || lower.contains("sign(")) && !definition(l)
    };
    // Body only: the body's variable signed, none of the URL's names in what built it.
    if let Some(v) = &body_var
        && let Some(line) = code.iter().copied().find(|l| signing(l) && names(l, v))
    {
        let built_with_url = code
            .iter()
            .any(|l| assigned(l) == Some(v.as_str()) && in_url.iter().any(|n| l.contains(n.as_str())));
        if !built_with_url && !names(url_line, v) {
            return Some((line, true));
        }
    }
    // Query only: the URL's text signed, and the body a map of parameters written in place
    // (`.body(Map("quantity" -> ...))`, `data={"quantity": ...}`).
    let map_body = code.iter().any(|l| {
        let c = l.replace(' ', "");
        ["body(Map(", "data={", "form={", "body(mapOf(", "form_params"].iter().any(|f| c.contains(f))
            && known_names().iter().any(|n| c.contains(&format!("\"{n}\"")) && !in_url.iter().any(|u| u == n))
    });
    if map_body {
        // The text signed: a variable assigned the URL's parameters, every one of them.
        let signed = code.iter().copied().find(|l| {
            signing(l)
                && code.iter().any(|m| {
                    assigned(m).is_some_and(|v| names(l, v) && in_url.iter().all(|n| m.contains(n.as_str())))
                })
        });
        return signed.map(|l| (l, false));
    }
    None
}

/// A WebSocket API request sent as bytes: `ws.send(Buffer.from(json))`, a helper returning
/// `Buffer.from(...)` whose result is sent, Python's `ws.send(json.dumps(req).encode())`, Go's
/// `BinaryMessage`, Java's `sendBinary`.
fn binary_frame_sent<'l>(code: &[&'l str]) -> Option<&'l str> {
    if !code.iter().any(|l| l.contains("ws-api") || l.contains("/ws-api/v3")) {
        return None;
    }
    let bytes = |l: &str| {
        [
            "Buffer.from(",
            ".encode()",
            ".encode(\"utf-8\")",
            ".encode('utf-8')",
            "BinaryMessage",
            "sendBinary(",
            "Opcode.BINARY",
            "Uint8Array",
        ]
        .iter()
        .any(|b| l.contains(b))
    };
    // A helper that returns the bytes (`function frame(...) { ...; return Buffer.from(json) }`).
    let helpers: Vec<String> = code
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("return") && bytes(l))
        .filter_map(|(i, _)| {
            code[..i].iter().rev().find(|l| definition(l)).and_then(|d| {
                let name = d.split('(').next()?.split_whitespace().last()?;
                (!name.is_empty()).then(|| format!("{name}("))
            })
        })
        .collect();
    code.iter().copied().find(|l| {
        let sends = l.contains(".send(") || l.contains("WriteMessage(") || l.contains("sendBinary(");
        sends && (bytes(l) || helpers.iter().any(|h| l.contains(h.as_str())))
    })
}

/// A signing line over a text built in a loop that appends `&` after every pair
/// (`query = query .. k .. "=" .. v .. "&"`, `qs += k + "=" + v + "&"`) and never drops the last.
fn trailing_separator_signed<'l>(code: &[&'l str]) -> Option<&'l str> {
    let built = code.iter().find_map(|l| {
        let compact = l.replace(' ', "");
        let var = assigned(l)?;
        let appends = compact.starts_with(&format!("{var}={var}.."))
            || compact.starts_with(&format!("{var}+="))
            || compact.starts_with(&format!("{var}={var}+"))
            || compact.starts_with(&format!("{var}.="));
        let trailing = ["..\"&\"", "+\"&\"", "+'&'", "..'&'", ".\"&\"", ".'&'"]
            .iter()
            .any(|t| compact.ends_with(t) || compact.ends_with(&format!("{t};")));
        (appends && trailing).then_some(var)
    })?;
    let trimmed = code.iter().any(|l| {
        names(l, built)
            && [
                "sub(1, -2)",
                "sub(1,-2)",
                "rstrip('&')",
                "rstrip(\"&\")",
                "slice(0, -1)",
                "slice(0,-1)",
                "TrimSuffix",
                "TrimEnd('&')",
                "chop",
                "substr(0, -1)",
                "[:-1]",
                "trim_end_matches('&')",
                "rtrim(",
            ]
            .iter()
            .any(|t| l.contains(t))
    });
    if trimmed {
        return None;
    }
    code.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        (lower.contains("hmac") || lower.contains("sign(") || lower.contains("signature("))
            && !definition(l)
            && names(l, built)
    })
}

/// A signing line over the query string and the body joined with `&` (`hmac(query + "&" + body)`,
/// `f"{query}&{body}"`), in code that sends the first in the URL and the second as the body.
fn query_and_body_joined<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        if !(lower.contains("hmac") || lower.contains("sign(")) || definition(l) {
            return false;
        }
        let compact = l.replace(' ', "");
        // The two names joined: `a+"&"+b`, `${a}&${b}`, `{a}&{b}`.
        let pairs: Vec<(String, String)> = ["+\"&\"+", "+'&'+"]
            .iter()
            .flat_map(|j| compact.match_indices(j).map(move |(at, _)| (at, j.len())))
            .filter_map(|(at, n)| {
                let a: String = compact[..at]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let b: String =
                    compact[at + n..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                (!a.is_empty() && !b.is_empty()).then_some((a, b))
            })
            .collect();
        pairs.iter().any(|(a, b)| {
            let in_url = code.iter().any(|m| {
                m.contains(&format!("?\" + {a}"))
                    || m.contains(&format!("?\"+{a}"))
                    || m.contains(&format!("?{{{a}}}"))
                    || m.contains(&format!("?${{{a}}}"))
            });
            let as_body = code.iter().any(|m| {
                let ml = m.to_ascii_lowercase();
                names(m, b)
                    && ["ofstring(", "data=", "body:", "body=", "postfields", ".post(", "content("]
                        .iter()
                        .any(|w| ml.contains(w))
            });
            in_url && as_body
        })
    })
}

/// A SecureString (`Read-Host -AsSecureString`, `ConvertTo-SecureString`) put into a string where
/// the HMAC is keyed (`GetBytes("$secret")`), with no conversion back to its text anywhere.
fn secure_string_as_text<'l>(code: &[&'l str]) -> Option<&'l str> {
    let var = code.iter().find_map(|l| {
        (l.contains("-AsSecureString") || l.contains("ConvertTo-SecureString")).then(|| assigned(l)).flatten()
    })?;
    let converted = code.iter().any(|l| {
        l.contains("-AsPlainText") && l.contains("ConvertFrom-SecureString")
            || l.contains("SecureStringToBSTR")
            || l.contains("NetworkCredential")
    });
    if converted {
        return None;
    }
    code.iter()
        .copied()
        .find(|l| l.contains(&format!("\"${var}\"")) || l.contains(&format!("GetBytes(${var})")))
}

/// The secret read from a file opened as plain UTF-8, in a post that says the file was edited in
/// Notepad, has a BOM, or reads 65 characters long.
fn secret_file_with_bom<'l>(code: &[&'l str], text: &str) -> Option<&'l str> {
    let lower = text.to_ascii_lowercase();
    let told = lower.contains("notepad")
        || lower.contains(" bom")
        || lower.contains("byte order mark")
        || lower.contains(" 65");
    if !told || lower.contains("utf-8-sig") || lower.contains("ufeff") {
        return None;
    }
    let opens =
        ["open(", "readfilesync(", "readalltext(", "file_get_contents(", "read_to_string(", "readstring("];
    code.iter().copied().enumerate().find_map(|(i, l)| {
        let ll = l.to_ascii_lowercase();
        let reads = opens.iter().any(|o| ll.contains(o)) && ll.contains("secret");
        // `with open("secret.txt") as f:` then `SECRET = f.read().strip()`.
        let next = code.get(i + 1).filter(|n| n.to_ascii_lowercase().contains("secret"));
        reads.then_some(next.copied().unwrap_or(l))
    })
}

/// MQL's `StringToCharArray(text, array)` without a count, which copies the terminating NUL: the
/// line, and whether the text copied is the secret (else the payload).
fn char_array_with_nul<'l>(code: &[&'l str]) -> Option<(&'l str, bool)> {
    code.iter().copied().find_map(|l| {
        let at = l.find("StringToCharArray(")?;
        let args = &l[at + "StringToCharArray(".len()..];
        let args = &args[..args.find(')').unwrap_or(args.len())];
        let parts: Vec<&str> = args.split(',').map(str::trim).collect();
        let whole = parts.len() == 2 || parts.get(3).is_some_and(|n| *n == "WHOLE_ARRAY" || *n == "-1");
        let first = parts.first()?.to_ascii_lowercase();
        whole.then_some((l, first.contains("secret") || first.contains("key")))
    })
}

/// A WebSocket API request's params written with a nested object under a name that is the
/// start of an order list's parameters (`"above": {"type": ...}`, `"working": {...}`) or one of
/// Binance's names, in code that talks to the WebSocket API.
fn params_nested_in_code<'l>(code: &[&'l str]) -> Option<&'l str> {
    if !code.iter().any(|l| l.contains("ws-api")) {
        return None;
    }
    code.iter().copied().find(|l| {
        let compact = l.replace(' ', "");
        ['"', '\''].iter().any(|q| {
            compact.split(*q).collect::<Vec<_>>().windows(2).any(|w| {
                let (name, after) = (w[0], w[1]);
                after.starts_with(":{")
                    && !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphanumeric())
                    && !["params", "headers", "data", "body", "json", "options", "result", "error"]
                        .contains(&name)
                    && known_names().iter().any(|n| {
                        *n == name
                            || (n.starts_with(name)
                                && n[name.len()..].starts_with(|c: char| c.is_ascii_uppercase()))
                    })
            })
        })
    })
}

/// A line that appends the key header to a list an object keeps (`$this->headers[] =
/// 'X-MBX-APIKEY: ...'`, `self.headers.append(...)`, `this.headers.push(...)`).
fn key_header_appended<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().copied().find(|l| {
        let compact = l.replace(' ', "");
        let lower = compact.to_ascii_lowercase();
        lower.contains("x-mbx-apikey")
            && ["$this->", "self.", "this.", "@"].iter().any(|owner| {
                [
                    format!("{owner}headers[]="),
                    format!("{owner}headers.append("),
                    format!("{owner}headers.push("),
                ]
                .iter()
                .any(|form| lower.contains(form.as_str()))
            })
    })
}

/// A signature parameter given a key's variable (`&signature={}` with `cfg.signature_key`) by code
/// that computes no signature at all.
fn secret_sent_as_signature<'l>(code: &[&'l str]) -> Option<&'l str> {
    let computes = code.iter().any(|l| {
        let lower = l.to_ascii_lowercase();
        ["hmac", "sha256", "openssl", "digest", "sign(", "signer", "ed25519", "rsa", "crypto"]
            .iter()
            .any(|w| lower.contains(w))
    });
    if computes {
        return None;
    }
    // The key's variable written after `signature`, no call between (`signature={}", q, cfg.key)`).
    code.iter().copied().find(|l| {
        let lower = l.to_ascii_lowercase();
        lower.match_indices("signature").any(|(at, _)| {
            let after = &lower[at + "signature".len()..];
            ["secret", "_key", "apikey", "api_key"]
                .iter()
                .any(|k| after.find(k).is_some_and(|k_at| !after[..k_at].contains('(')))
        })
    })
}

/// RSA signed with PSS padding (`padding.PSS(`, `RSA_PKCS1_PSS_PADDING`, `rsa.SignPSS`,
/// `SHA256withRSA/PSS`, `RSASSA-PSS`).
fn rsa_pss<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().copied().find(|l| {
        [
            "padding.PSS(",
            "PSS_PADDING",
            "SignPSS(",
            "withRSA/PSS",
            "RSASSA-PSS",
            "RSASSA_PSS",
            "RSASignaturePadding.Pss",
        ]
        .iter()
        .any(|p| l.contains(p))
    })
}

/// RSA PKCS#1 v1.5 over another hash than SHA-256: PHP's `openssl_sign` without an algorithm
/// (SHA-1 by default), `SHA1withRSA`, `OPENSSL_ALGO_SHA1`, Node's `createSign('RSA-SHA1')`.
fn rsa_other_hash<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().copied().find(|l| {
        let php_default = l.match_indices("openssl_sign(").any(|(at, _)| {
            let args = &l[at + "openssl_sign(".len()..];
            let args = &args[..args.find(')').unwrap_or(args.len())];
            args.matches(',').count() == 2
        });
        php_default
            || [
                "SHA1withRSA",
                "SHA512withRSA",
                "OPENSSL_ALGO_SHA1",
                "'RSA-SHA1'",
                "\"RSA-SHA1\"",
                "crypto.SHA1,",
                "crypto.SHA512,",
            ]
            .iter()
            .any(|p| l.contains(p))
    })
}

/// The payload encrypted with the RSA private key rather than signed (Ruby's and Node's
/// `private_encrypt`/`privateEncrypt`, PHP's `openssl_private_encrypt`).
fn rsa_raw<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().copied().find(|l| ["private_encrypt(", "privateEncrypt("].iter().any(|p| l.contains(p)))
}

/// A function that stores the signature into the map it was given, signing that same map
/// (`params["signature"] = hmac.new(..., urlencode(params).encode(), ...)`), called in a loop:
/// the next call signs the previous signature too. Not where the map is copied or the signature
/// removed first.
fn signature_kept_for_next<'l>(code: &[&'l str]) -> Option<&'l str> {
    code.iter().enumerate().find_map(|(i, l)| {
        let compact = l.replace(' ', "");
        let (map, _) =
            compact.split_once("[\"signature\"]=").or_else(|| compact.split_once("['signature']="))?;
        let map = map.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next()?;
        let signed_whole =
            compact.contains(&format!("urlencode({map})")) || compact.contains(&format!("({map})"));
        if map.is_empty() || !signed_whole {
            return None;
        }
        // The function holding it, with the map among its parameters.
        let (def_at, def) = code[..i].iter().enumerate().rev().find(|(_, d)| definition(d))?;
        let head = def.split_once('(')?.1;
        let name = def.split('(').next()?.split_whitespace().last()?;
        if !names(head, map) {
            return None;
        }
        let body = &code[def_at + 1..];
        let fresh = body.iter().take_while(|b| !definition(b)).any(|b| {
            let c = b.replace(' ', "");
            c.contains(&format!("{map}=dict({map})"))
                || c.contains(&format!("{map}={map}.copy()"))
                || c.contains("pop(\"signature\"")
                || c.contains("pop('signature'")
                || c.contains("del") && c.contains("signature")
                || c.contains(&format!("{{**{map}"))
        });
        // Called again and again with one map: in a loop, or more than once.
        let calls: Vec<&str> =
            code.iter().copied().filter(|c| c.contains(&format!("{name}(")) && !definition(c)).collect();
        let looped = code.iter().any(|c| {
            let t = c.trim_start();
            t.starts_with("for ") || t.starts_with("while ")
        });
        (!fresh && !calls.is_empty() && (looped || calls.len() > 1)).then_some(*l)
    })
}

/// A line that writes a byte of the HMAC in hex without padding it to two digits (VBA's
/// `Hex(b)`, JavaScript's `b.toString(16)`, Java's `Integer.toHexString(b & 0xff)`, C#'s
/// `ToString("x")`, Python's `hex(b)[2:]`) in code that pads nowhere.
fn hex_unpadded<'l>(code: &[&'l str]) -> Option<&'l str> {
    let pads = code.iter().any(|l| {
        [
            "Right(\"0\"",
            "padStart(2",
            "\"x2\"",
            "\"X2\"",
            "%02x",
            "%02X",
            "zfill(2)",
            ":02x",
            "PadLeft(2",
            "rjust(2",
            "\"00\" &",
            "'0' +",
        ]
        .iter()
        .any(|p| l.contains(p))
    });
    if pads {
        return None;
    }
    code.iter().copied().find(|l| {
        let per_byte = [
            "Hex(",
            "toString(16)",
            "Integer.toHexString(",
            "ToString(\"x\")",
            "ToString(\"X\")",
            "hex(b)[2:]",
        ]
        .iter()
        .any(|h| l.contains(h));
        // Inside a loop over the HMAC's bytes (the line itself, or a For/for/forEach/map above).
        per_byte
            && (l.contains("map")
                || l.contains("for")
                || l.contains("For")
                || l.contains("& ")
                || l.contains("+="))
    })
}

/// An Ed25519 or RSA signing call over a digest the code made of the payload
/// (`digest = crypto.createHash('sha256').update(query).digest()`, then `crypto.sign(null, digest,
/// key)`).
fn digest_signed<'l>(code: &[&'l str]) -> Option<&'l str> {
    let hashes = [
        "createHash(",
        "hashlib.sha256(",
        "sha256.Sum256(",
        "MessageDigest.getInstance(",
        "SHA256.HashData(",
        "Digest::SHA256",
        "hash('sha256'",
    ];
    let digests: Vec<&str> = code
        .iter()
        .filter(|l| hashes.iter().any(|h| l.contains(h)) && !l.to_ascii_lowercase().contains("hmac"))
        .filter_map(|l| assigned(l))
        .collect();
    let signs = [
        "crypto.sign(",
        "ed25519.Sign(",
        "private_key.sign(",
        "privateKey.sign(",
        "SignPKCS1v15(",
        ".sign_message(",
        "signer.update(",
    ];
    code.iter().copied().find(|l| {
        signs.iter().any(|s| {
            l.find(s).is_some_and(|at| {
                let args = &l[at + s.len()..];
                digests.iter().any(|d| names(args, d))
            })
        })
    })
}

/// An Ed25519 or RSA signature written in hex (`hex.EncodeToString(ed25519.Sign(...))`, `.hex()`
/// of a private key's signature, `toString('hex')` of `crypto.sign`).
fn asymmetric_signature_hex<'l>(code: &[&'l str]) -> Option<&'l str> {
    let asymmetric = |l: &str| {
        [
            "ed25519.Sign(",
            "SignPKCS1v15(",
            "private_key.sign(",
            "privateKey.sign(",
            "crypto.sign(",
            "SigningKey",
            ".sign_message(",
        ]
        .iter()
        .any(|p| l.contains(p))
    };
    let hexed = |l: &str| {
        ["hex.EncodeToString(", ".hex()", "toString('hex')", "toString(\"hex\")", "hex::encode(", "bin2hex("]
            .iter()
            .any(|h| l.contains(h))
    };
    // The signature's variable, hex-encoded further down.
    let signed: Vec<&str> = code.iter().filter(|l| asymmetric(l)).filter_map(|l| assigned(l)).collect();
    code.iter().copied().find(|l| {
        hexed(l)
            && (asymmetric(l) || signed.iter().any(|v| names(l, v)))
            && !l.to_ascii_lowercase().contains("base64")
    })
}

/// A key or payload turned into UTF-16 bytes where the HMAC is keyed or fed
/// (`SECRET.getBytes(StandardCharsets.UTF_16)`, `payload.toByteArray(Charsets.UTF_16)`,
/// `Encoding.Unicode.GetBytes(...)`): the line, and whether it is the secret.
fn utf16_bytes<'l>(code: &[&'l str]) -> Option<(&'l str, bool)> {
    let forms = ["UTF_16", "\"UTF-16", "'UTF-16", "Encoding.Unicode.GetBytes(", "utf-16le", "UTF16"];
    code.iter().copied().find_map(|l| {
        let at = forms.iter().filter_map(|f| l.find(f)).min()?;
        // The value turned: the word before `.getBytes(` / `.toByteArray(`, or the call's argument.
        let lower = l.to_ascii_lowercase();
        let keyed = ["secretkeyspec", "mac.init", "hmac", "new_from_slice", "key"]
            .iter()
            .any(|k| lower[..at].contains(k));
        let secret = lower[..at].contains("secret") && keyed;
        let fed = ["dofinal(", "update(", "computehash(", "mac("].iter().any(|k| lower.contains(k));
        (secret || fed || keyed).then_some((l, secret))
    })
}

/// The time in milliseconds kept in 32 bits: `(int) System.currentTimeMillis()`, `.toInt()` of
/// it, `as i32`/`as u32` of `as_millis()`, `int32(time.Now().UnixMilli())`.
fn millis_in_32_bits<'l>(code: &[&'l str]) -> Option<&'l str> {
    let clocks = [
        "currentTimeMillis",
        "UnixMilli",
        "as_millis",
        "ToUnixTimeMilliseconds",
        "Date.now",
        "millisecondsSinceEpoch",
    ];
    code.iter().copied().find(|l| {
        let compact = l.replace(' ', "");
        clocks.iter().any(|c| {
            compact.contains(&format!("(int){c}"))
                || compact.contains(&format!("(int)System.{c}"))
                || compact.contains(&format!("(int)DateTimeOffset.UtcNow.{c}"))
                || compact.contains(&format!("int32(time.Now().{c}"))
                || compact.contains(&format!("{c}().toInt()"))
                || compact.contains(&format!("{c}.toInt()"))
                || compact.contains(&format!("{c}()asi32"))
                || compact.contains(&format!("{c}()asu32"))
        })
    })
}

/// A shell script's milliseconds taken from `date +%N` divided down and written after the
/// seconds without padding to three digits.
fn millis_unpadded<'l>(code: &[&'l str]) -> Option<&'l str> {
    let line = code.iter().copied().find(|l| l.contains("date +%N") && l.contains("1000000"))?;
    let var = assigned(line)?;
    if code.iter().any(|l| l.contains("%03")) {
        return None;
    }
    // Written right after another value (`${SEC}${MS}`, `$SEC$MS`).
    let braced = format!("${{{var}}}");
    let plain = format!("${var}");
    code.iter()
        .any(|l| {
            [&braced, &plain].iter().any(|form| {
                l.match_indices(form.as_str()).any(|(i, _)| {
                    l[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '}' || c == '_')
                })
            })
        })
        .then_some(line)
}

/// An `X-MBX-TIME-UNIT` header given a literal mbx-core's time units refuse (`'MICROSECONDS'`,
/// `'us'`): the line and Binance's answer.
fn time_unit_written<'l>(code: &[&'l str]) -> Option<(&'l str, ApiError)> {
    code.iter().copied().find_map(|l| {
        let at = l.to_ascii_uppercase().find("X-MBX-TIME-UNIT")?;
        let rest = l[at + "X-MBX-TIME-UNIT".len()..].trim_start_matches(['"', '\'', ' ', ':', ',', '=', '>']);
        let value: String = rest.chars().take_while(|c| c.is_ascii_alphabetic() || *c == '_').collect();
        if value.is_empty() || !rest[value.len()..].starts_with(['"', '\'']) {
            return None;
        }
        crate::accept::read_time_unit(Some(&value), "X-MBX-TIME-UNIT").err().map(|r| (l, r.error))
    })
}

/// A path literal holding a query (`'/api/v3/openOrders?symbol=BTCUSDT'`) given to code that
/// writes its path parameter followed by `?` (`'$endpoint?$query'`, `f"{path}?{query}"`).
fn second_question_mark<'l>(code: &[&'l str]) -> Option<&'l str> {
    let joins_query = |l: &str| {
        let compact = l.replace(' ', "");
        ["path", "endpoint", "route", "uri"].iter().any(|p| {
            [
                format!("${p}?"),
                format!("{{{p}}}?"),
                format!("${{{p}}}?"),
                format!("{p}+\"?"),
                format!("{p}+'?"),
                format!("{p}.\"?"),
            ]
            .iter()
            .any(|f| compact.to_ascii_lowercase().contains(f.as_str()))
        })
    };
    if !code.iter().any(|l| joins_query(l)) {
        return None;
    }
    code.iter().copied().find(|l| {
        !joins_query(l)
            && !definition(l)
            && l.match_indices("/api/v3/").any(|(at, _)| {
                let before = l[..at].chars().next_back();
                let path = &l[at..];
                let end = path.find(['"', '\'', '`']).unwrap_or(path.len());
                matches!(before, Some('"' | '\'' | '`')) && path[..end].contains('?')
            })
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnose::finding::Cause;

    fn code(text: &str) -> Vec<Cause> {
        super::super::read(text).into_iter().map(|s| s.cause).collect()
    }

    #[test]
    fn headers_and_keys() {
        let bybit = "headers = {\n    \"X-BAPI-API-KEY\": API_KEY,\n    \"X-BAPI-SIGN\": sign,\n}\nr = requests.get(url, headers=headers)";
        assert_eq!(code(bybit), vec![Cause::OtherExchangeHeaders]);
        assert!(code(&format!("{bybit}\nheaders[\"X-MBX-APIKEY\"] = API_KEY")).is_empty());
        let env = "I export BINANCE_API_KEY and BINANCE_API_SECRET in ~/.bashrc\nAPI_KEY = os.environ.get(\"BINANCE_APIKEY\", \"\")\nAPI_SECRET = os.environ[\"BINANCE_API_SECRET\"]";
        assert_eq!(code(env), vec![Cause::KeyEmpty]);
        assert!(code(&env.replace("BINANCE_APIKEY", "BINANCE_API_KEY")).is_empty());
        let dotenv = "k, v = line.split(\"=\", 1)\nenv[k.strip()] = v.strip()\nAPI_KEY = env[\"BINANCE_API_KEY\"]\n```\nBINANCE_API_KEY=\"abc\"\nBINANCE_API_SECRET=\"def\"\n```";
        assert_eq!(code(dotenv), vec![Cause::KeyQuoted]);
        assert!(code(&dotenv.replace("v.strip()", "v.strip().strip('\"')")).is_empty());
        let php = "$this->headers[] = 'X-MBX-APIKEY: ' . $this->key;\n$query = http_build_query($params);";
        assert_eq!(code(php), vec![Cause::KeyDuplicated]);
        assert!(code("$headers = ['X-MBX-APIKEY: ' . $this->key];").is_empty());
        let rust = "let url = format!(\"https://api.binance.com/api/v3/account?{}&signature={}\", query, cfg.signature_key);";
        assert_eq!(code(rust), vec![Cause::SecretAsSignature]);
        assert!(
            !code(&format!("let sig = hmac_sha256(secret, &query);\n{rust}"))
                .contains(&Cause::SecretAsSignature)
        );
    }

    #[test]
    fn quotes_frames_and_answers() {
        assert_eq!(code("$headers = @{ 'X-MBX-APIKEY' = '$apiKey' }"), vec![Cause::KeyShellVariable]);
        assert!(code("$headers = @{ 'X-MBX-APIKEY' = $apiKey }").is_empty());
        assert_eq!(
            code("curl -H 'X-MBX-APIKEY: $API_KEY' \"https://api.binance.com/api/v3/account\""),
            vec![Cause::KeyShellVariable]
        );
        let node = "const ws = new WebSocket('wss://ws-api.binance.com:443/ws-api/v3');\nfunction frame(id, method, params) {\n  const json = JSON.stringify({ id, method, params });\n  return Buffer.from(json, 'utf8');\n}\nws.on('open', () => ws.send(frame('1', 'account.status', {})));";
        assert_eq!(code(node).first(), Some(&Cause::FrameBinary));
        assert!(
            !code(&node.replace("return Buffer.from(json, 'utf8');", "return json;"))
                .contains(&Cause::FrameBinary)
        );
        // The id before the method in a helper's call is no method.
        let helper = "ws = websocket.WebSocketApp(\"wss://ws-api.binance.com:443/ws-api/v3\")\nsend(ws, \"logon\", \"session.logon\", params)";
        assert!(!code(helper).contains(&Cause::WsMethodUnknown), "{:?}", code(helper));
        let answered = "send(ws, \"sub-1\", \"userDataStream.subscribe\")\nRECV {\"id\":\"sub-1\",\"status\":400,\"error\":{\"code\":-2035,\"msg\":\"User Data Stream subscription already active.\"}}";
        let d = crate::diagnose::diagnose_answer_alone(answered).unwrap();
        assert_eq!(d.findings[0].cause, Cause::SubscriptionActive);
    }

    #[test]
    fn separators_and_joins() {
        let lua = "local function hmac_sha256(data, key)\n  local p = io.popen(string.format(\"printf '%%s' '%s' | openssl dgst -sha256 -hmac '%s'\", data, key))\n  local out = p:read(\"*a\")\n  return out:match(\"= (%x+)\")\nend\nlocal query = \"\"\nfor _, p in ipairs(params) do\n  query = query .. p[1] .. \"=\" .. p[2] .. \"&\"\nend\nlocal sig = hmac_sha256(query, API_SECRET)";
        assert_eq!(code(lua), vec![Cause::SignedExtraSeparator]);
        assert!(code(&lua.replace("hmac_sha256(query,", "hmac_sha256(query:sub(1, -2),")).is_empty());
        let java = "String query = \"symbol=BTCUSDT\";\nString signature = hmac(query + \"&\" + body);\nHttpRequest req = HttpRequest.newBuilder(URI.create(\"https://api.binance.com/api/v3/order?\" + query))\n.POST(HttpRequest.BodyPublishers.ofString(body))";
        assert_eq!(code(java), vec![Cause::SignedQueryAndBodyJoined]);
        assert!(code(&java.replace("query + \"&\" + body", "query + body")).is_empty());
    }

    #[test]
    fn platforms_own_bytes() {
        let ps = "$secret = Read-Host \"Binance secret\" -AsSecureString\n$hmac = New-Object System.Security.Cryptography.HMACSHA256 (,[Text.Encoding]::UTF8.GetBytes(\"$secret\"))";
        assert_eq!(code(ps), vec![Cause::SecretPlaceholder]);
        assert!(code(&format!("{ps}\n$plain = ConvertFrom-SecureString $secret -AsPlainText")).is_empty());
        let bom = "I edited binance_secret.txt in Notepad.\nwith open(\"binance_secret.txt\", encoding=\"utf-8\") as f:\n    API_SECRET = f.read().strip()";
        assert_eq!(code(bom), vec![Cause::SecretWithBom]);
        assert!(code(&bom.replace("\"utf-8\"", "\"utf-8-sig\"")).is_empty());
        assert!(code(&bom.replace("in Notepad", "in vim")).is_empty());
        assert_eq!(
            code("StringToCharArray(query, data);\nCryptEncode(CRYPT_HASH_SHA256, data, empty, hash);"),
            vec![Cause::SignedWithNul]
        );
        assert_eq!(code("StringToCharArray(ApiSecret, key);"), vec![Cause::SecretWithNul]);
        assert!(code("StringToCharArray(query, data, 0, StringLen(query));").is_empty());
        let nested = "async with websockets.connect(\"wss://ws-api.binance.com:443/ws-api/v3\") as ws:\n    await call(ws, \"orderList.place.oco\", {\n        \"symbol\": \"BTCUSDT\",\n        \"above\": {\"type\": \"LIMIT_MAKER\", \"price\": \"105000\"},\n    })";
        assert_eq!(code(nested).first(), Some(&Cause::ParamsNested));
        assert!(
            !code(&nested.replace(
                "\"above\": {\"type\": \"LIMIT_MAKER\", \"price\": \"105000\"}",
                "\"aboveType\": \"LIMIT_MAKER\""
            ))
            .contains(&Cause::ParamsNested)
        );
    }

    #[test]
    fn a_signature_kept_for_the_next_call() {
        let py = "def signed_get(path, params):\n    params[\"timestamp\"] = int(time.time() * 1000)\n    params[\"signature\"] = hmac.new(SECRET.encode(), urlencode(params).encode(), hashlib.sha256).hexdigest()\n    return session.get(BASE + path, params=params)\nopen_orders = {\"symbol\": \"BTCUSDT\"}\nfor _ in range(3):\n    signed_get(\"/api/v3/openOrders\", open_orders)";
        assert_eq!(code(py), vec![Cause::SignedWithSignatureParam]);
        assert!(
            code(&py.replace(
                "    params[\"timestamp\"]",
                "    params = dict(params)\n    params[\"timestamp\"]"
            ))
            .is_empty()
        );
    }

    #[test]
    fn one_part_of_two_signed() {
        let ruby = "uri = URI('https://api.binance.com/api/v3/order?symbol=ETHUSDT')\nform = { side: 'SELL', type: 'MARKET', quantity: '0.05', timestamp: (Time.now.to_f * 1000).to_i }\nbody = URI.encode_www_form(form)\nbody += \"&signature=#{OpenSSL::HMAC.hexdigest('sha256', secret, body)}\"\nreq = Net::HTTP::Post.new(uri)\nreq.body = body";
        assert_eq!(code(ruby), vec![Cause::SignedBodyOnly]);
        assert!(code(&ruby.replace("order?symbol=ETHUSDT", "order")).is_empty());
        let scala = "val query = s\"symbol=BTCUSDT&side=BUY&timestamp=$ts\"\nval signature = hmacHex(query)\n.post(uri\"https://api.binance.com/api/v3/order?symbol=BTCUSDT&side=BUY&timestamp=$ts&signature=$signature\")\n.body(Map(\"quantity\" -> \"0.001\", \"price\" -> \"26000\"))";
        assert_eq!(code(scala), vec![Cause::SignedQueryOnly]);
    }

    #[test]
    fn urllib_data_posts() {
        let py = "req = urllib.request.Request(\"https://api.binance.com/api/v3/account\", data=data, headers={\"X-MBX-APIKEY\": API_KEY})";
        assert_eq!(code(py), vec![Cause::MethodWrong]);
        assert!(code(&py.replace("data=data,", "data=data, method=\"GET\",")).is_empty());
        assert!(code(&py.replace("/api/v3/account", "/api/v3/order")).is_empty());
        let d = crate::diagnose::diagnose_answer_alone(
            "urllib.error.HTTPError: HTTP Error 405: Method Not Allowed",
        )
        .unwrap();
        assert_eq!((d.verdict.code, d.findings[0].cause), (-405, Cause::MethodWrong));
    }

    #[test]
    fn defines_verbs_and_terms() {
        let dart = "I export BINANCE_API_KEY in ~/.zshrc and run dart run bin/balance.dart\nconst apiKey = String.fromEnvironment('BINANCE_API_KEY');\nconst apiSecret = String.fromEnvironment('BINANCE_API_SECRET');";
        assert_eq!(code(dart), vec![Cause::KeyEmpty]);
        assert!(code(&format!("{dart}\ndart run --define=BINANCE_API_KEY=abc")).is_empty());
        let spring = "String q = signed(\"symbol=\" + symbol + \"&orderId=\" + orderId);\nreturn web.post()\n        .uri(b -> b.path(\"/api/v3/order\").query(q).build())";
        assert_eq!(code(spring), vec![Cause::MethodWrong]);
        assert!(code(&spring.replace("web.post()", "web.delete()")).is_empty());
        let d = crate::diagnose::diagnose_answer_alone("<APIError> code=-1106, msg=Parameter 'timeInForce' sent when not required.\n{\"code\":-1106,\"msg\":\"Parameter 'timeInForce' sent when not required.\"}").unwrap();
        assert_eq!(d.findings[0].cause, Cause::OrderTerms);
    }

    #[test]
    fn hex_bytes_unpadded() {
        let vba = "For i = LBound(bytes) To UBound(bytes)\n    s = s & LCase(Hex(bytes(i)))\nNext i";
        assert_eq!(code(vba), vec![Cause::SignatureWrongLength]);
        assert!(code("For i = LBound(bytes) To UBound(bytes)\n    s = s & LCase(Right(\"0\" & Hex(bytes(i)), 2))\nNext i").is_empty());
        assert_eq!(
            code("const sig = Array.from(new Uint8Array(mac)).map((b) => b.toString(16)).join('');"),
            vec![Cause::SignatureWrongLength]
        );
        assert!(code("const sig = Array.from(new Uint8Array(mac)).map((b) => b.toString(16).padStart(2, '0')).join('');").is_empty());
    }

    #[test]
    fn digests_signed() {
        let node = "const digest = crypto.createHash('sha256').update(query).digest();\nconst signature = crypto.sign(null, digest, privateKey).toString('base64');";
        assert_eq!(code(node), vec![Cause::SignedDigest]);
        assert!(
            code("const signature = crypto.sign(null, Buffer.from(query), privateKey).toString('base64');")
                .is_empty()
        );
    }

    #[test]
    fn signing_calls() {
        assert_eq!(
            code(
                "sig = private_key.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())"
            ),
            vec![Cause::SignedRsaPss]
        );
        assert_eq!(code("openssl_sign($query, $raw, $privateKey);"), vec![Cause::SignedRsaOtherHash]);
        assert!(code("openssl_sign($query, $raw, $privateKey, OPENSSL_ALGO_SHA256);").is_empty());
        assert_eq!(
            code("signature = Base64.strict_encode64(key.private_encrypt(query))"),
            vec![Cause::SignedRsaRaw]
        );
        assert_eq!(
            code("sig := hex.EncodeToString(ed25519.Sign(priv, []byte(q)))"),
            vec![Cause::SignatureHexForAsymmetricKey]
        );
        assert!(code("sig := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, []byte(q)))").is_empty());
        assert_eq!(
            code("mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_16), \"HmacSHA256\"));"),
            vec![Cause::SecretUtf16]
        );
        assert_eq!(
            code("return mac.doFinal(payload.toByteArray(Charsets.UTF_16)).joinToString(\"\")"),
            vec![Cause::SignedUtf16]
        );
        assert!(
            code("mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), \"HmacSHA256\"));")
                .is_empty()
        );
    }

    #[test]
    fn order_calls_bodies_and_maps() {
        let market = "order = client.new_order(symbol=\"BNBUSDT\", side=\"BUY\", type=\"MARKET\",\n    quantity=0.5, price=610)";
        assert_eq!(code(market), vec![Cause::OrderTerms]);
        assert!(code(&market.replace(", price=610", "")).is_empty());
        let stop = "resp = client.rest_api.new_order(\n    symbol=\"BTCUSDT\",\n    side=NewOrderSideEnum[\"SELL\"].value,\n    type=NewOrderTypeEnum[\"STOP_LOSS_LIMIT\"].value,\n    time_in_force=NewOrderTimeInForceEnum[\"GTC\"].value,\n    quantity=0.01,\n    price=58000,\n)";
        assert_eq!(code(stop), vec![Cause::OrderTerms]);
        assert!(code(&stop.replace("price=58000,", "price=58000,\n    stop_price=58500,")).is_empty());
        assert!(code("order = client.new_order(**params)").is_empty());
        let length = "headers = {\"Content-Length\": str(len(body))}\nbody += \"&signature=\" + sig";
        assert_eq!(code(length), vec![Cause::ContentLengthShort]);
        assert!(
            code("body += \"&signature=\" + sig\nheaders = {\"Content-Length\": str(len(body))}").is_empty()
        );
        assert_eq!(
            code(
                "query_string = f\"symbol=BTCUSDT&recvWindow=5000×tamp={ts}\"\n{\"code\":-1102,\"msg\":\"Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.\"}"
            ),
            vec![Cause::HtmlMangledAmpersand]
        );
        let elixir = "params = %{symbol: symbol}\nMap.put(params, :timestamp, System.os_time(:millisecond))\nquery = URI.encode_query(params)";
        assert_eq!(code(elixir), vec![Cause::TimestampMissing]);
        assert!(code(&elixir.replace("Map.put(", "params = Map.put(")).is_empty());
    }

    #[test]
    fn times_units_and_paths() {
        assert_eq!(
            code("String q = query(5000, (int) System.currentTimeMillis());"),
            vec![Cause::TimestampTruncated]
        );
        assert!(code("long ts = System.currentTimeMillis();").is_empty());
        let bash = "SEC=$(date +%s)\nMS=$(( 10#$(date +%N) / 1000000 ))\nTS=\"${SEC}${MS}\"";
        assert_eq!(code(bash), vec![Cause::TimestampUnpaddedMillis]);
        assert!(
            code(
                "SEC=$(date +%s)\nMS=$(( 10#$(date +%N) / 1000000 ))\nTS=$(printf '%s%03d' \"$SEC\" \"$MS\")"
            )
            .is_empty()
        );
        assert_eq!(
            code("headers: { 'X-MBX-APIKEY': API_KEY, 'X-MBX-TIME-UNIT': 'MICROSECONDS' },"),
            vec![Cause::TimeUnitInvalid]
        );
        assert!(code("headers: { 'X-MBX-TIME-UNIT': 'MICROSECOND' },").is_empty());
        let dart = "final url = '$baseUrl$endpoint?$query&signature=$sig';\nfinal orders = await signedGet('/api/v3/openOrders?symbol=BTCUSDT');";
        assert_eq!(code(dart), vec![Cause::SecondQuestionMark]);
        assert!(code(&dart.replace("openOrders?symbol=BTCUSDT", "openOrders")).is_empty());
    }
}
