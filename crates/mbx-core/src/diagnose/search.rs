//! The hypothesis search: when a signature does not verify, find what the client most likely signed.
//!
//! Candidate payloads (the parameters as JSON, sorted, before `timestamp` was added, not
//! percent-encoded or encoded as another language's library does, query and body joined with `&`,
//! with the path or URL in front, with a trailing newline, ...) are combined with candidate secrets (as
//! given, trimmed, decoded, re-cased, the API key). For Ed25519 the digest of the payload is tried too;
//! an RSA signature is opened with the public key ([`super::rsa`]), which tells its padding and hash.
//! The first combination that reproduces the signature exactly is reported, so the finding is
//! evidence, not a guess.

use super::finding::Cause;
use crate::sign::{HmacSigner, Verifier};

/// A reproduced signature: the causes that together explain it and the payload that was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What the client did differently (payload causes, then secret causes).
    pub causes: Vec<Cause>,
    /// The payload the client signed.
    pub payload: String,
    /// The secret transformation, or how the signature was made, in words (`None` for the secret
    /// or key as given, used as Binance does).
    pub secret_note: Option<String>,
}

/// What the search works with.
pub(super) struct Sent<'a> {
    /// Raw query without the signature pair.
    pub query: &'a str,
    /// Raw body without the signature pair.
    pub body: &'a str,
    /// Decoded parameters as sent (query then body), signature excluded.
    pub params: &'a [(String, String)],
    /// The API key from the header, if any (for the "API key used as secret" hypothesis).
    pub api_key: Option<&'a str>,
    /// Method, host and path, for the "signed the path or URL" hypotheses.
    pub method: &'a str,
    /// The host the request names (`api.binance.com` when it names none).
    pub host: &'a str,
    /// The path.
    pub path: &'a str,
    /// The payloads the same client signed before, oldest first ([`super::RequestRecord::earlier`]).
    pub earlier: &'a [String],
    /// The signatures those earlier requests sent, newest last
    /// ([`super::RequestRecord::earlier_signatures`]): a client that keeps its parameters in one
    /// object from request to request signs the next one with the last signature still in it.
    pub earlier_signatures: &'a [String],
    /// Forms the text printed besides the request ([`super::RequestRecord::printed`]).
    pub printed: &'a [String],
    /// Whether the signature is not the last parameter (a hash map's order, when the others are
    /// in no sorted order either).
    pub signature_misplaced: bool,
}

/// The most earlier payloads joined before the one sent ([`Cause::HmacNotReset`]).
const MAX_EARLIER: usize = 8;

/// The distinct signatures of the last few earlier requests, newest first: those a parameters
/// object kept from one request to the next may still hold when the next is signed.
pub(super) fn last_signatures(earlier: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for s in earlier.iter().rev().filter(|s| !s.is_empty()) {
        if !out.contains(&s.as_str()) {
            out.push(s);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// A way of checking a candidate payload against the signature.
pub(super) enum Checker<'a> {
    /// HMAC with the secret (its transformations are tried too).
    Hmac(&'a [u8]),
    /// A public key: payload hypotheses only.
    Verifier(&'a Verifier),
}

/// Decoded name/value pairs.
type ParamList = Vec<(String, String)>;

/// A payload the client may have signed, and the mistakes that make it.
pub(super) struct Candidate {
    causes: Vec<Cause>,
    payload: String,
}

/// The most payload hypotheses tried with a key whose every check is a full signature verification
/// (Ed25519, about 48 µs each), besides four digests: enough to reach a new order's signed-before-
/// timestamp and sorted-parameter hypotheses (a round of the doctor found 22 stopped short).
const MAX_VERIFICATIONS: usize = 32;

impl Candidate {
    /// A combination of mistakes rarely seen together (JSON of a partial or re-sorted parameter
    /// set): tried where a check is cheap (HMAC, an opened RSA signature), left out for Ed25519,
    /// where each check is a full verification (the 5 ms budget).
    fn rare(&self) -> bool {
        self.late()
            || self.causes.contains(&Cause::HmacNotReset)
            || self.causes.contains(&Cause::SignedJson)
                && self
                    .causes
                    .iter()
                    .any(|c| matches!(c, Cause::SignedBeforeRecvWindow | Cause::SignedSortedParams))
    }

    /// One of [`late_candidates`]' hypotheses (or the like in a WebSocket search: a value written
    /// otherwise than sent): many of them, so tried with an HMAC secret as given only.
    fn late(&self) -> bool {
        self.causes.iter().any(|c| {
            matches!(c, Cause::SignedDroppedParam | Cause::SignedOtherValueText | Cause::SignedOtherOrder)
        })
    }
}

/// The first candidate (with a transformed secret, for HMAC) that reproduces `signature`.
/// `api_key` is the API key sent, for the "signed with the API key" hypothesis.
pub(super) fn search(
    candidates: &[Candidate],
    api_key: Option<&str>,
    signature: &str,
    checker: &Checker<'_>,
) -> Option<Hit> {
    match checker {
        Checker::Verifier(Verifier::Rsa(v)) => {
            let raw = crate::sign::decode_base64(signature).ok()?;
            let mut opened = super::rsa::Opened::open(v.der(), &raw)?;
            let as_binance =
                |o: &super::rsa::Opened| o.padding == super::rsa::Padding::Pkcs1 && o.hash == "SHA-256";
            for c in candidates {
                if opened.matches(c.payload.as_bytes()) {
                    let mut causes = c.causes.clone();
                    if !as_binance(&opened) {
                        causes.push(rsa_cause(&opened));
                    }
                    let note = (!as_binance(&opened)).then(|| opened.describe());
                    return Some(Hit { causes, payload: c.payload.clone(), secret_note: note });
                }
            }
            // Signed a digest of the payload (hashed twice, or a bare digest).
            for c in byte_candidates(candidates.iter()) {
                if opened.matches(&c.bytes) {
                    let mut causes = c.causes;
                    causes.push(c.cause);
                    return Some(Hit { causes, payload: c.payload, secret_note: Some(opened.describe()) });
                }
            }
            other_timestamp(candidates, (SIGNED_EARLIER_MS, SIGNED_LATER_MS), |p| opened.matches(p)).map(
                |mut hit| {
                    if !as_binance(&opened) {
                        hit.causes.push(rsa_cause(&opened));
                        hit.secret_note = Some(opened.describe());
                    }
                    hit
                },
            )
        }
        Checker::Verifier(v) => {
            // Each check is a full verification: the payload as sent was checked already, rare
            // combinations are left out and the rest is capped (most likely first), to stay within
            // the 5 ms budget.
            let tried: Vec<&Candidate> =
                candidates.iter().skip(1).filter(|c| !c.rare()).take(MAX_VERIFICATIONS).collect();
            // What the program printed as signed (at most eight, placed last), past the cap: the
            // text it shows is worth a verification each.
            let printed = candidates
                .iter()
                .filter(|c| c.causes.contains(&Cause::SignedPrintedPayload))
                .filter(|c| !tried.iter().any(|t| std::ptr::eq(*t, *c)))
                .take(8);
            if let Some(c) = tried
                .iter()
                .copied()
                .chain(printed)
                .find(|c| v.verify(c.payload.as_bytes(), signature).is_ok())
            {
                return Some(Hit { causes: c.causes.clone(), payload: c.payload.clone(), secret_note: None });
            }
            byte_candidates(candidates.iter())
                .into_iter()
                .find(|c| v.verify(&c.bytes, signature).is_ok())
                .map(|c| {
                    let mut causes = c.causes;
                    causes.push(c.cause);
                    Hit { causes, payload: c.payload, secret_note: None }
                })
                .or_else(|| {
                    other_timestamp(candidates, (ED25519_EARLIER_MS, ED25519_LATER_MS), |p| {
                        v.verify(p, signature).is_ok()
                    })
                })
        }
        Checker::Hmac(secret) => {
            let tag = decode_hex(signature)?;
            for (secret_causes, note, key) in secret_candidates(secret, api_key) {
                let signer = HmacSigner::new(&key);
                let plain = secret_causes.is_empty();
                // A BOM before the secret comes with a file read as it is, a cut secret with C's
                // sizeof: tried with the payload as sent only.
                let narrow = matches!(
                    secret_causes[..],
                    [Cause::SecretWithBom
                        | Cause::SecretTruncated
                        | Cause::SecretUtf16
                        | Cause::SecretWithNul
                        | Cause::SecretPlaceholder]
                );
                for c in
                    candidates.iter().filter(|c| plain || (!c.late() && (!narrow || c.causes.is_empty())))
                {
                    if signer.mac(c.payload.as_bytes()) == tag {
                        let mut causes = c.causes.clone();
                        causes.extend(secret_causes);
                        return Some(Hit {
                            causes,
                            payload: c.payload.clone(),
                            secret_note: note.map(str::to_owned),
                        });
                    }
                }
            }
            // Other bytes of the payload (a digest, UTF-16, hex), with the secret as given.
            let signer = HmacSigner::new(secret);
            if let Some(c) =
                byte_candidates(candidates.iter()).into_iter().find(|c| signer.mac(&c.bytes) == tag)
            {
                let mut causes = c.causes;
                causes.push(c.cause);
                return Some(Hit { causes, payload: c.payload, secret_note: None });
            }
            paired_bytes(candidates, secret, &tag).or_else(|| not_hmac(candidates, secret, &tag)).or_else(
                || {
                    let signer = HmacSigner::new(secret);
                    other_timestamp(candidates, (SIGNED_EARLIER_MS, SIGNED_LATER_MS), |p| {
                        signer.mac(p) == tag
                    })
                },
            )
        }
    }
}

/// [`search`] with a key pair other than the one sent: the payload as sent comes first whatever
/// the key (the search of an Ed25519 key leaves it out, as the key sent checked it already).
pub(super) fn search_other(
    candidates: &[Candidate],
    api_key: Option<&str>,
    signature: &str,
    checker: &Checker<'_>,
) -> Option<Hit> {
    if let (Checker::Verifier(v), Some(c)) = (checker, candidates.first().filter(|c| c.causes.is_empty()))
        && v.verify(c.payload.as_bytes(), signature).is_ok()
    {
        return Some(Hit { causes: Vec::new(), payload: c.payload.clone(), secret_note: None });
    }
    search(candidates, api_key, signature, checker)
}

/// The secret and the payload as sent both in other bytes, as one platform writes every string:
/// UTF-16LE (VBA's and .NET's strings taken as they are, without StrConv or Encoding.UTF8), or each
/// with the NUL that ends a C string (MQL5's StringToCharArray with its default count).
fn paired_bytes(candidates: &[Candidate], secret: &[u8], tag: &[u8; 32]) -> Option<Hit> {
    let exact = candidates.first().filter(|c| c.causes.is_empty())?;
    let utf16 = |b: &[u8]| -> Option<Vec<u8>> {
        Some(std::str::from_utf8(b).ok()?.encode_utf16().flat_map(u16::to_le_bytes).collect())
    };
    let payload = exact.payload.as_bytes();
    let pairs = [
        (
            utf16(secret)?,
            utf16(payload)?,
            [Cause::SignedUtf16, Cause::SecretUtf16],
            "the secret's UTF-16LE bytes, over the payload's UTF-16LE bytes",
        ),
        (
            [secret, b"\0"].concat(),
            [payload, b"\0"].concat(),
            [Cause::SignedWithNul, Cause::SecretWithNul],
            "the secret and a NUL byte, over the payload and a NUL byte",
        ),
    ];
    pairs.into_iter().find(|(key, bytes, _, _)| HmacSigner::new(key).mac(bytes) == *tag).map(
        |(_, _, causes, note)| Hit {
            causes: causes.to_vec(),
            payload: exact.payload.clone(),
            secret_note: Some(note.to_owned()),
        },
    )
}

/// Another function than HMAC-SHA256(secret, payload) over the payload as sent or its closest
/// variants: a plain SHA-256 of payload and secret joined (either way round) or of the payload
/// alone, or HMAC with its inputs swapped.
fn not_hmac(candidates: &[Candidate], secret: &[u8], tag: &[u8; 32]) -> Option<Hit> {
    use sha2::Digest as _;
    let closest =
        candidates.iter().filter(|c| c.causes.is_empty() || c.causes == [Cause::SignedSortedParams]);
    for c in closest.take(2) {
        let payload = c.payload.as_bytes();
        let hashes: [(&str, Vec<u8>); 3] = [
            ("a plain SHA-256 (payload, then secret)", [payload, secret].concat()),
            ("a plain SHA-256 (secret, then payload)", [secret, payload].concat()),
            ("a plain SHA-256 (no secret)", payload.to_vec()),
        ];
        let hit = |cause: Cause, note: &str| {
            let mut causes = c.causes.clone();
            causes.push(cause);
            Some(Hit { causes, payload: c.payload.clone(), secret_note: Some(note.to_owned()) })
        };
        for (note, bytes) in hashes {
            if sha2::Sha256::digest(&bytes).as_slice() == tag {
                return hit(Cause::SignedPlainHash, note);
            }
        }
        if HmacSigner::new(payload).mac(secret) == *tag {
            return hit(
                Cause::HmacArgumentsSwapped,
                "HMAC-SHA256 keyed with the payload (the secret as message)",
            );
        }
    }
    None
}

fn rsa_cause(opened: &super::rsa::Opened) -> Cause {
    match opened.padding {
        super::rsa::Padding::Pss(_) => Cause::SignedRsaPss,
        super::rsa::Padding::Pkcs1Bare => Cause::SignedDigest,
        super::rsa::Padding::Pkcs1Raw => Cause::SignedRsaRaw,
        super::rsa::Padding::Pkcs1 => Cause::SignedRsaOtherHash,
    }
}

/// Other bytes of a candidate payload than its UTF-8 text, to verify over: a digest of it, or the
/// text in another encoding. `cause` is the mistake these bytes name.
struct ByteCandidate {
    causes: Vec<Cause>,
    cause: Cause,
    /// Shown as what was signed.
    payload: String,
    bytes: Vec<u8>,
}

/// Of the first candidates (the payload as sent and its closest variants): the SHA-256 digest (raw,
/// and as hex text), what a client signs when it hashes first and then signs the hash; the text as
/// UTF-16 (Java's `getBytes("UTF-16")`, big-endian after a byte order mark, or C#'s
/// `Encoding.Unicode`, little-endian); and the hex text of its bytes.
fn byte_candidates<'c>(candidates: impl Iterator<Item = &'c Candidate>) -> Vec<ByteCandidate> {
    use sha2::Digest as _;
    let mut out = Vec::new();
    for c in candidates.filter(|c| c.causes.is_empty() || c.causes == [Cause::SignedSortedParams]).take(2) {
        let digest = sha2::Sha256::digest(c.payload.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let mut push = |cause: Cause, payload: String, bytes: Vec<u8>| {
            out.push(ByteCandidate { causes: c.causes.clone(), cause, payload, bytes });
        };
        push(Cause::SignedDigest, format!("SHA-256(`{}`) = {hex}", c.payload), digest.to_vec());
        push(
            Cause::SignedDigest,
            format!("the hex text of SHA-256(`{}`), {hex}", c.payload),
            hex.into_bytes(),
        );
        // The text in other bytes: of the payload as sent only (each is a verification more with
        // an Ed25519 key).
        if !c.causes.is_empty() {
            continue;
        }
        let units: Vec<u16> = c.payload.encode_utf16().collect();
        let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        push(Cause::SignedUtf16, format!("the UTF-16LE bytes of `{}`", c.payload), le);
        push(
            Cause::SignedUtf16,
            format!("the UTF-16 bytes of `{}` (big-endian after a byte order mark)", c.payload),
            [&[0xFE, 0xFF][..], &be].concat(),
        );
        push(Cause::SignedUtf16, format!("the UTF-16BE bytes of `{}`", c.payload), be);
        let payload_hex: String = c.payload.bytes().map(|b| format!("{b:02x}")).collect();
        push(
            Cause::SignedPayloadHex,
            format!("the hex text of `{}`'s bytes", c.payload),
            payload_hex.into_bytes(),
        );
        let payload_base64 = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(c.payload.as_bytes())
        };
        push(
            Cause::SignedPayloadBase64,
            format!("the base64 text of `{}`", c.payload),
            payload_base64.into_bytes(),
        );
    }
    out
}

fn decode_hex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 || !b.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// The pairs of `payload` joined with another separator than `&` (Kotlin's `joinToString()`
/// default `", "`, and `,`, `;`, a newline, nothing), and with their values in double quotes
/// (Rust's `{:?}`: every value, or the texts only, numbers bare).
fn written_otherwise(payload: &str) -> Vec<(Cause, String)> {
    let pairs: Vec<&str> = payload.split('&').collect();
    let mut out = Vec::new();
    if pairs.len() > 1 {
        for separator in [", ", ",", ";", "\n", ""] {
            out.push((Cause::SignedOtherSeparator, pairs.join(separator)));
        }
    }
    // The whole text percent-encoded (`encodeURIComponent(query)`; a `%` of a value encoded again).
    let mut whole = String::new();
    Encoder::RFC3986.encode_into(payload, &mut whole);
    out.push((Cause::SignedEncodedWhole, whole));
    // Every value quoted; the texts only; or every value of the parameters written as JSON but
    // the timestamp (and recvWindow) the program appends after them (`format!("{}={}", k, v)`
    // over a serde_json map of strings, then `&timestamp=...`).
    for variant in 0..3 {
        let quote = |pair: &&str| match pair.split_once('=') {
            Some((k, v))
                if match variant {
                    0 => true,
                    1 => v.parse::<f64>().is_err(),
                    _ => !["timestamp", "recvWindow"].contains(&k),
                } =>
            {
                format!("{k}=\"{v}\"")
            }
            _ => (*pair).to_owned(),
        };
        out.push((Cause::SignedQuotedValues, pairs.iter().map(quote).collect::<Vec<_>>().join("&")));
    }
    out
}

/// Secrets to try: as given first, then the transformations people apply by mistake.
fn secret_candidates(
    secret: &[u8],
    api_key: Option<&str>,
) -> Vec<(Vec<Cause>, Option<&'static str>, Vec<u8>)> {
    let mut out: Vec<(Vec<Cause>, Option<&'static str>, Vec<u8>)> = vec![(vec![], None, secret.to_vec())];
    let mut push = |cause: Cause, note: &'static str, key: Vec<u8>| {
        if !key.is_empty() && key != secret {
            out.push((vec![cause], Some(note), key));
        }
    };
    if let Ok(text) = std::str::from_utf8(secret) {
        push(Cause::SecretTrimmed, "the secret trimmed of whitespace", text.trim().as_bytes().to_vec());
        push(Cause::SecretWithNewline, "the secret followed by a newline", format!("{text}\n").into_bytes());
        push(
            Cause::SecretWithNewline,
            "the secret followed by a Windows line ending",
            format!("{text}\r\n").into_bytes(),
        );
        push(
            Cause::SecretWithNewline,
            "the secret followed by a carriage return (a Windows line ending with only its \\n stripped)",
            format!("{text}\r").into_bytes(),
        );
        push(Cause::SecretWithSpace, "the secret followed by a space", format!("{text} ").into_bytes());
        push(Cause::SecretWithSpace, "the secret after a space", format!(" {text}").into_bytes());
        // A no-break space (U+00A0), copied from a web page into a sheet or a document.
        push(
            Cause::SecretWithSpace,
            "the secret followed by a no-break space (U+00A0, copied from a web page)",
            format!("{text}\u{a0}").into_bytes(),
        );
        push(
            Cause::SecretWithBom,
            "the secret after a UTF-8 byte order mark (a file saved as UTF-8 with BOM)",
            format!("\u{feff}{text}").into_bytes(),
        );
        push(Cause::SecretQuoted, "the secret in double quotes", format!("\"{text}\"").into_bytes());
        push(Cause::SecretQuoted, "the secret in single quotes", format!("'{text}'").into_bytes());
        push(Cause::SecretCaseChanged, "the secret in upper case", text.to_uppercase().into_bytes());
        push(Cause::SecretCaseChanged, "the secret in lower case", text.to_lowercase().into_bytes());
        for engine in [&base64::engine::general_purpose::STANDARD, &base64::engine::general_purpose::URL_SAFE]
        {
            use base64::Engine;
            if let Ok(decoded) = engine.decode(text.trim()) {
                push(Cause::SecretBase64Decoded, "the secret base64-decoded", decoded);
            }
        }
        // Hex-decoded: whole, for a secret that is hex; else, as Go's hex.DecodeString and Node.js's
        // Buffer.from(s, 'hex') do, the pairs before the first other character (nothing, when it
        // comes first: the empty key below), or as Perl's and Ruby's pack('H*'), which read every
        // character as a digit.
        let digit = |c: u8| char::from(c).to_digit(16).and_then(|v| u8::try_from(v).ok());
        let pairs: Vec<u8> =
            text.as_bytes().chunks_exact(2).map_while(|p| Some(digit(p[0])? << 4 | digit(p[1])?)).collect();
        if pairs.len() * 2 == text.len() {
            push(Cause::SecretHexDecoded, "the secret hex-decoded", pairs);
        } else {
            push(
                Cause::SecretHexDecoded,
                "the secret hex-decoded up to its first character that is not hex (Go's hex.DecodeString, Node.js's Buffer.from(secret, 'hex'))",
                pairs,
            );
            push(
                Cause::SecretHexDecoded,
                "the secret read by pack('H*') (Perl, Ruby), which takes any character as a hex digit",
                pack_hex(text),
            );
        }
    }
    if let Ok(text) = std::str::from_utf8(secret) {
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        push(
            Cause::SecretUtf16,
            "the secret's UTF-16BE bytes after a byte order mark (Java's UTF_16)",
            [[0xFE, 0xFF].as_slice(), &be].concat(),
        );
        push(Cause::SecretUtf16, "the secret's UTF-16LE bytes (.NET's Encoding.Unicode)", le);
        push(Cause::SecretUtf16, "the secret's UTF-16BE bytes", be);
    }
    push(Cause::SecretWithNul, "the secret followed by a NUL byte", [secret, b"\0"].concat());
    for placeholder in ["System.Security.SecureString", "undefined", "None", "null", "nil"] {
        push(Cause::SecretPlaceholder, "a placeholder's text", placeholder.as_bytes().to_vec());
    }
    if let Some(k) = api_key {
        push(Cause::SecretIsApiKey, "the API key instead of the secret", k.as_bytes().to_vec());
    }
    // C's sizeof of a char * for the key's length: its first 8 (or 4) bytes.
    for n in [8, 4] {
        if secret.len() > n {
            push(Cause::SecretTruncated, "the secret's first bytes only", secret[..n].to_vec());
        }
    }
    // One character short, at either end (an off-by-one substring, Perl's `chop` of a secret that
    // had no newline).
    if secret.len() > 8 {
        push(
            Cause::SecretTruncated,
            "the secret without its last character",
            secret[..secret.len() - 1].to_vec(),
        );
        push(Cause::SecretTruncated, "the secret without its first character", secret[1..].to_vec());
    }
    // No key at all: an unset variable, or a decoding that produced nothing.
    if !secret.is_empty() {
        out.push((vec![Cause::SecretEmpty], Some("an empty key"), Vec::new()));
    }
    out
}

/// Perl's and Ruby's `pack('H*', text)`: each character is a nibble, a letter's from its low bits
/// (`'A'` and `'a'` give 10, past `'f'` the count wraps), a digit's from its value; an odd last
/// character fills the high nibble.
fn pack_hex(text: &str) -> Vec<u8> {
    let nibble = |c: u8| if c.is_ascii_alphabetic() { ((c & 15) + 9) & 15 } else { c & 15 };
    text.as_bytes().chunks(2).map(|p| nibble(p[0]) << 4 | p.get(1).map_or(0, |&c| nibble(c))).collect()
}

/// How a parameter list can be turned into text.
#[derive(Clone, Copy)]
enum Form {
    /// Percent-encoded as some library does it.
    Encoded(Encoder),
    Unencoded,
    Json {
        spaced: bool,
        bare: Bare,
    },
    /// Python's `str()` of a dict: `{'k': 'v', 'n': 1}`.
    PyDict {
        bare: Bare,
    },
    /// Java's or Kotlin's `Map.toString()`: `{k=v, n=1}`.
    JavaMap,
    /// Go's `fmt.Sprint` of a `map[string]string` (keys sorted): `map[k:v n:1]`.
    GoMap,
    /// Ruby's `Hash#to_s`: `{"k"=>"v"}`, or `{"k" => "v"}` since Ruby 3.4.
    RubyHash {
        spaced: bool,
    },
}

/// A percent-encoder as a language's library writes it: RFC 3986 (`A-Z a-z 0-9 - _ . ~` kept, what
/// Binance signs), plus the characters it also keeps, whether it writes a space as `+`, `~` as
/// `%7E`, and hex digits in lower case.
#[derive(Clone, Copy)]
struct Encoder {
    keeps: &'static str,
    plus_for_space: bool,
    encodes_tilde: bool,
    lower_hex: bool,
}

impl Encoder {
    const RFC3986: Encoder =
        Encoder { keeps: "", plus_for_space: false, encodes_tilde: false, lower_hex: false };

    /// Python's urlencode/quote_plus, Go's url.QueryEscape: a space as `+`.
    const QUOTE_PLUS: Encoder = Encoder { plus_for_space: true, ..Encoder::RFC3986 };

    /// The encoders of the common client languages (Binance's own first).
    const ALL: [Encoder; 7] = [
        Encoder::RFC3986,
        // JavaScript's encodeURIComponent.
        Encoder { keeps: "!'()*", ..Encoder::RFC3986 },
        // Python's quote() (safe='/').
        Encoder { keeps: "/", ..Encoder::RFC3986 },
        Encoder::QUOTE_PLUS,
        // Java's URLEncoder, PHP's urlencode/http_build_query.
        Encoder { keeps: "*", plus_for_space: true, encodes_tilde: true, lower_hex: false },
        // .NET's HttpUtility.UrlEncode.
        Encoder { keeps: "!()*", plus_for_space: true, encodes_tilde: true, lower_hex: true },
        // Lower-case hex digits.
        Encoder { lower_hex: true, ..Encoder::RFC3986 },
    ];

    fn encode_into(self, text: &str, out: &mut String) {
        for &b in text.as_bytes() {
            let kept = b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'_' | b'.')
                || (b == b'~' && !self.encodes_tilde)
                || self.keeps.as_bytes().contains(&b);
            if kept {
                out.push(char::from(b));
            } else if b == b' ' && self.plus_for_space {
                out.push('+');
            } else {
                let hex = if self.lower_hex { b"0123456789abcdef" } else { b"0123456789ABCDEF" };
                out.push('%');
                out.push(char::from(hex[usize::from(b >> 4)]));
                out.push(char::from(hex[usize::from(b & 15)]));
            }
        }
    }
}

/// `text` percent-encoded as Python's `urlencode` writes a value (`quote_plus`: a space as `+`).
pub(super) fn quote_plus(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    Encoder::QUOTE_PLUS.encode_into(text, &mut out);
    out
}

/// The order a Java `HashMap<String, String>` (Kotlin's `hashMapOf`) iterates `params` in, put in
/// the order given: by bucket (`String.hashCode` spread by its upper half, the table 16 buckets,
/// doubled while more than three quarters full), then in the order put.
///
/// The buckets of `symbol`, `side`, `type`, `quantity` and `timestamp` put them in the order
/// `symbol, side, quantity, type, timestamp`.
fn java_hashmap_order(params: &[(String, String)]) -> ParamList {
    let mut buckets = 16usize;
    while params.len() > buckets * 3 / 4 {
        buckets *= 2;
    }
    let hash = |s: &str| {
        let h = s.encode_utf16().fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(i32::from(u)));
        let h = h.cast_unsigned();
        (h ^ (h >> 16)) as usize
    };
    let mut order: Vec<(usize, usize)> =
        params.iter().enumerate().map(|(i, (k, _))| (hash(k) & (buckets - 1), i)).collect();
    order.sort_unstable();
    order.into_iter().map(|(_, i)| params[i].clone()).collect()
}

/// Which JSON values a client writes as numbers rather than strings.
#[derive(Clone, Copy)]
enum Bare {
    /// Every value quoted.
    None,
    /// Every numeric-looking value bare.
    AllNumbers,
    /// Only `timestamp` and `recvWindow` bare (clients build those from integers).
    TimeFields,
}

impl Bare {
    /// Whether parameter `k`'s value `v` is written bare (as a number).
    fn applies(self, k: &str, v: &str) -> bool {
        let numeric =
            !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !v.starts_with('.');
        match self {
            Bare::None => false,
            Bare::AllNumbers => numeric,
            Bare::TimeFields => numeric && (k == "timestamp" || k == "recvWindow"),
        }
    }

    /// Whether `v` is a boolean the client held as one (and so wrote bare): a client that keeps
    /// any number as a number keeps `true` as a boolean too (Python's `True`, JSON's `true`).
    fn boolean(self, v: &str) -> bool {
        !matches!(self, Bare::None) && (v == "true" || v == "false")
    }
}

fn render(params: &[(String, String)], form: Form) -> String {
    let mut out = String::new();
    match form {
        Form::JavaMap => {
            let pairs: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out = format!("{{{}}}", pairs.join(", "));
        }
        Form::GoMap => {
            let mut sorted: Vec<&(String, String)> = params.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            let pairs: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            out = format!("map[{}]", pairs.join(" "));
        }
        Form::RubyHash { spaced } => {
            let arrow = if spaced { " => " } else { "=>" };
            let quoted = |v: &str| serde_json::to_string(v).unwrap_or_default();
            let pairs: Vec<String> =
                params.iter().map(|(k, v)| format!("{}{arrow}{}", quoted(k), quoted(v))).collect();
            out = format!("{{{}}}", pairs.join(", "));
        }
        Form::PyDict { bare } => {
            let quoted = |v: &str| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"));
            out.push('{');
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quoted(k));
                out.push_str(": ");
                // An int or float prints bare (`1784541599650`, `0.01`).
                out.push_str(&match v.as_str() {
                    _ if bare.applies(k, v) => v.clone(),
                    "true" if bare.boolean(v) => "True".to_owned(),
                    "false" if bare.boolean(v) => "False".to_owned(),
                    _ => quoted(v),
                });
            }
            out.push('}');
        }
        Form::Json { spaced, bare } => {
            out.push('{');
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    out.push_str(if spaced { ", " } else { "," });
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(if spaced { ": " } else { ":" });
                if bare.applies(k, v) || bare.boolean(v) {
                    out.push_str(v);
                } else {
                    out.push_str(&serde_json::to_string(v).unwrap_or_default());
                }
            }
            out.push('}');
        }
        Form::Unencoded | Form::Encoded(_) => {
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    out.push('&');
                }
                for (j, part) in [k, v].into_iter().enumerate() {
                    if j == 1 {
                        out.push('=');
                    }
                    match form {
                        Form::Encoded(e) => e.encode_into(part, &mut out),
                        _ => out.push_str(part),
                    }
                }
            }
        }
    }
    out
}

/// The parameters as sent, then without each of `left_out` that was sent (a parameter added after
/// signing), with its cause.
fn sets_without(all: &[(String, String)], left_out: &[(&str, Cause)]) -> Vec<(Vec<Cause>, ParamList)> {
    let mut sets = vec![(vec![], all.to_vec())];
    for (name, cause) in left_out {
        if all.iter().any(|(k, _)| k == name) {
            sets.push((vec![*cause], all.iter().filter(|(k, _)| k != name).cloned().collect()));
        }
    }
    sets
}

/// What a REST client may have signed instead of the query string followed by the body.
pub(super) fn payload_candidates(sent: &Sent<'_>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let exact = format!("{}{}", sent.query, sent.body);
    let mut add = |mut causes: Vec<Cause>, payload: String| {
        // The parameters as sent, rendered by another encoder than the one that wrote the request.
        if causes.is_empty() && payload != exact {
            causes.push(Cause::SignedOtherEncoding);
        }
        if seen.insert(payload.clone()) {
            out.push(Candidate { causes, payload });
        }
    };
    // The sent payload itself comes first: with a transformed secret it may be all that differs.
    add(vec![], exact.clone());
    // One HMAC written to for every request and never reset: the payloads since it was made,
    // joined, then this one.
    let earlier = &sent.earlier[sent.earlier.len().saturating_sub(MAX_EARLIER)..];
    for from in 0..earlier.len() {
        add(vec![Cause::HmacNotReset], format!("{}{exact}", earlier[from..].concat()));
    }

    // Raw-text variants of what was sent.
    if !sent.query.is_empty() && !sent.body.is_empty() {
        add(vec![Cause::SignedQueryAndBodyJoined], format!("{}&{}", sent.query, sent.body));
        add(vec![Cause::SignedQueryOnly], sent.query.to_owned());
        add(vec![Cause::SignedBodyOnly], sent.body.to_owned());
        add(vec![Cause::SignedBodyThenQuery], format!("{}{}", sent.body, sent.query));
        add(
            vec![Cause::SignedBodyThenQuery, Cause::SignedQueryAndBodyJoined],
            format!("{}&{}", sent.body, sent.query),
        );
    }
    add(vec![Cause::SignedTrailingNewline], format!("{exact}\n"));
    // The NUL that ends a C string signed with the text (MQL5's StringToCharArray with its
    // default count, the secret's bytes taken right).
    add(vec![Cause::SignedWithNul], format!("{exact}\0"));
    // `echo -e "$Q"` (or -n, -en) in a shell whose echo takes no option (dash, a POSIX sh): it
    // prints the option too, and the newline.
    for option in ["-e", "-n", "-en"] {
        add(vec![Cause::SignedTrailingNewline], format!("{option} {exact}\n"));
    }
    add(vec![Cause::SignedExtraSeparator], format!("{exact}&"));
    add(vec![Cause::SignedExtraSeparator], format!("&{exact}"));
    add(vec![Cause::SignedWithSignatureParam], format!("{exact}&signature="));
    // A second `?` in the URL where the text signed has `&` (the parameters joined right, the
    // URL built with `?` before a later part).
    // Or the part after it alone (a path that carries `?symbol=...` of its own, and the query
    // signed and appended after another `?`).
    if let Some((_, after)) = sent.query.split_once('?') {
        let joined = format!("{}{}", sent.query.replace('?', "&"), sent.body);
        add(vec![Cause::SecondQuestionMark], joined);
        add(vec![Cause::SecondQuestionMark], format!("{after}{}", sent.body));
    }
    // The parameters kept in one object from request to request (Python's dict updated in place):
    // the last request's signature is still among them when the next one is signed, and is then
    // replaced by the new one in what is sent.
    for old in last_signatures(sent.earlier_signatures) {
        add(vec![Cause::SignedWithSignatureParam], format!("{exact}&signature={old}"));
    }
    // A template tool's request signed before its variables were filled in (Postman's
    // getQueryString(): `timestamp={{timestamp}}`, `signature={{signature}}` with it or not).
    if let Some((_, ts)) = sent.params.iter().find(|(k, _)| k == "timestamp") {
        let unresolved = exact.replacen(&format!("timestamp={ts}"), "timestamp={{timestamp}}", 1);
        if unresolved != exact {
            add(vec![Cause::SignedUnresolvedVariable], format!("{unresolved}&signature={{{{signature}}}}"));
            add(vec![Cause::SignedUnresolvedVariable], unresolved);
        }
    }
    // The path or the whole URL signed along with the parameters.
    let (method, host, path) = (sent.method, sent.host, sent.path);
    for prefix in [
        format!("{path}?"),
        path.to_owned(),
        format!("https://{host}{path}?"),
        format!("http://{host}{path}?"),
        format!("{host}{path}?"),
        format!("{method}{path}?"),
        format!("{method} {path}?"),
        format!("{method}\n{path}\n"),
        "?".to_owned(),
    ] {
        add(vec![Cause::SignedPath], format!("{prefix}{exact}"));
    }

    // Parameter-list variants.
    let all: Vec<(String, String)> = sent.params.to_vec();
    // Signed as a WebSocket API frame is (apiKey among the parameters, first or sorted in): early,
    // as an Ed25519 search stops at its cap.
    if let Some(key) = sent.api_key.filter(|_| sent.method != "WS") {
        let mut with_key: ParamList = all.clone();
        with_key.insert(0, ("apiKey".to_owned(), key.to_owned()));
        add(vec![Cause::SignedWsStyle], format!("apiKey={key}&{exact}"));
        add(vec![Cause::SignedWsStyle], render(&with_key, Form::Unencoded));
        with_key.sort_by(|a, b| a.0.cmp(&b.0));
        add(vec![Cause::SignedWsStyle], render(&with_key, Form::Unencoded));
    }
    let mut sets = sets_without(
        &all,
        &[("timestamp", Cause::SignedBeforeTimestamp), ("recvWindow", Cause::SignedBeforeRecvWindow)],
    );
    if all.iter().any(|(k, _)| k == "timestamp") && all.iter().any(|(k, _)| k == "recvWindow") {
        let neither = all.iter().filter(|(k, _)| k != "timestamp" && k != "recvWindow").cloned().collect();
        sets.push((vec![Cause::SignedBeforeTimestamp, Cause::SignedBeforeRecvWindow], neither));
    }
    // Signed sorted, and before timestamp or recvWindow was added too (Go's url.Values.Encode()
    // signed, then `&timestamp=...` appended): tried below, in the sender's encoding only.
    let sorted_without: Vec<(Vec<Cause>, ParamList)> = sets
        .iter()
        .filter(|(causes, _)| !causes.is_empty())
        .map(|(causes, set)| {
            let mut set = set.clone();
            set.sort_by(|a, b| a.0.cmp(&b.0));
            (causes.iter().copied().chain([Cause::SignedSortedParams]).collect(), set)
        })
        .collect();
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let sorted_all = sorted.clone();
    sets.push((vec![Cause::SignedSortedParams], sorted));
    // Signed in a Java HashMap's order (by hash code), sent in another (a TreeMap's, a builder's):
    // tried below, in the sender's encoding only.
    let hashed = java_hashmap_order(&all);
    // Sent sorted by name (a sorting URL builder), or in a hash map's order with the signature
    // among them, but signed in the order written: the endpoint's documented order, with timestamp
    // and recvWindow last or first.
    let sorted_sent = all.windows(2).all(|w| w[0].0 <= w[1].0);
    if all.len() > 2
        && (sorted_sent || sent.signature_misplaced)
        && let Some(e) =
            crate::endpoint::Method::parse(sent.method).and_then(|m| crate::endpoint::find(m, sent.path))
    {
        let rank = |name: &str| e.params().position(|p| p.name == name).unwrap_or(usize::MAX);
        let (mut own, times): (Vec<_>, Vec<_>) =
            all.iter().cloned().partition(|(k, _)| k != "timestamp" && k != "recvWindow");
        own.sort_by_key(|(k, _)| rank(k));
        let mut times = times;
        times.sort_by_key(|(k, _)| k != "recvWindow");
        let last: ParamList = own.iter().chain(&times).cloned().collect();
        let first: ParamList = times.iter().rev().chain(&own).cloned().collect();
        let cause = if sorted_sent { Cause::SentSortedParams } else { Cause::SentOtherOrder };
        sets.push((vec![cause], last));
        sets.push((vec![cause], first));
    }
    for spelled in bool_spellings(&all) {
        sets.push((vec![Cause::SignedOtherValueText], spelled));
    }
    // A `+` sent for a space (form encoding) by a client that signed `%20`: the values it meant.
    if all.iter().any(|(_, v)| v.contains('+')) {
        let spaced = all.iter().map(|(k, v)| (k.clone(), v.replace('+', " "))).collect();
        sets.push((vec![], spaced));
    }

    // The encoder that wrote the request, when one of them renders the parameters as sent.
    let sender = sender_encoder(&all, &exact);
    let mut forms: Vec<(Option<Cause>, Form)> =
        Encoder::ALL.iter().map(|e| (None, Form::Encoded(*e))).collect();
    forms.push((Some(Cause::SignedUnencoded), Form::Unencoded));
    for spaced in [false, true] {
        for bare in [Bare::None, Bare::AllNumbers, Bare::TimeFields] {
            forms.push((Some(Cause::SignedJson), Form::Json { spaced, bare }));
        }
    }
    for (set_causes, set) in &sets {
        for &(form_cause, form) in &forms {
            let mut causes: Vec<Cause> = form_cause.into_iter().collect();
            causes.extend(set_causes.iter().copied());
            // JSON of the sorted set is just "JSON": key order is arbitrary in JSON encoders.
            if matches!(form, Form::Json { .. }) && set_causes.contains(&Cause::SignedSortedParams) {
                causes.retain(|c| *c != Cause::SignedSortedParams);
            }
            let payload = render(set, form);
            // Another encoder than the sender's: say so beside the set's own cause.
            if matches!(form, Form::Encoded(_)) && !causes.is_empty() {
                let other = match sender {
                    Some(s) => render(set, Form::Encoded(s)) != payload,
                    None => render(set, Form::Encoded(Encoder::RFC3986)) != payload,
                };
                if other {
                    causes.push(Cause::SignedOtherEncoding);
                }
            }
            add(causes, payload);
        }
    }
    // Signed before adding some other parameter: the set without it, as the sender encodes.
    let encoder = sender.unwrap_or(Encoder::RFC3986);
    for (causes, set) in &sorted_without {
        add(causes.clone(), render(set, Form::Encoded(encoder)));
    }
    // Signed with timestamp and recvWindow last, the rest as sent: a script that adds the
    // timestamp to the parameters it signs while the URL it sends writes it elsewhere (Postman's
    // `{{timestamp}}` in the middle of a query). Before the hash map's order, which three pairs
    // can match by chance.
    for moving in [&["timestamp"][..], &["timestamp", "recvWindow"]] {
        let (own, times): (ParamList, ParamList) =
            all.iter().cloned().partition(|(k, _)| !moving.contains(&k.as_str()));
        let moved: ParamList = own.into_iter().chain(times).collect();
        if moved != all && moved != sorted_all {
            add(vec![Cause::SignedTimeLast], render(&moved, Form::Encoded(encoder)));
        }
    }
    if hashed != all && hashed != sorted_all {
        add(vec![Cause::SignedHashMapOrder], render(&hashed, Form::Encoded(encoder)));
    }
    // Python's str() of the dict, in the order written (a dict keeps it); other languages' prints
    // of a map: Java's and Kotlin's toString (in the order written, and sorted: a TreeMap), Go's
    // (sorted), Ruby's.
    for bare in [Bare::None, Bare::AllNumbers, Bare::TimeFields] {
        add(vec![Cause::SignedDictRepr], render(&all, Form::PyDict { bare }));
    }
    for set in [&all, &sorted_all] {
        add(vec![Cause::SignedDictRepr], render(set, Form::JavaMap));
    }
    add(vec![Cause::SignedDictRepr], render(&all, Form::GoMap));
    for spaced in [false, true] {
        add(vec![Cause::SignedDictRepr], render(&all, Form::RubyHash { spaced }));
    }
    for (name, _) in all.iter().filter(|(k, _)| k != "timestamp" && k != "recvWindow") {
        let without: ParamList = all.iter().filter(|(k, _)| k != name).cloned().collect();
        add(vec![Cause::SignedBeforeParam], render(&without, Form::Encoded(encoder)));
    }
    // The pairs joined or quoted otherwise: rarer, after the encodings and orders (an Ed25519
    // search stops at its cap).
    for (cause, payload) in written_otherwise(&exact) {
        add(vec![cause], payload);
    }
    // What the program printed as the text it signed, after every named mistake (which says
    // more when it reproduces the signature too).
    for printed in sent.printed {
        add(vec![Cause::SignedPrintedPayload], printed.clone());
    }
    out
}

/// The payloads tried last, when [`payload_candidates`] found nothing, with an HMAC secret as given
/// only: a decimal signed in another text than sent (`1.00` for `1.0`, `1.0E-4` for `0.0001`), and a
/// client that signed an optional parameter it had no value for, as text, which its HTTP library
/// then left out (Python's requests leaves out None, axios undefined and null): each parameter of
/// the endpoint not sent, with each such text, at each place. Hundreds of them: each pair is encoded
/// once and each payload joined with one allocation.
pub(super) fn late_candidates(sent: &Sent<'_>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let all = sent.params;
    let encoder = sender_encoder(all, &format!("{}{}", sent.query, sent.body)).unwrap_or(Encoder::RFC3986);
    for set in respelled_numbers(all) {
        out.push(Candidate {
            causes: vec![Cause::SignedOtherValueText],
            payload: render(&set, Form::Encoded(encoder)),
        });
    }
    let Some(e) =
        crate::endpoint::Method::parse(sent.method).and_then(|m| crate::endpoint::find(m, sent.path))
    else {
        return out;
    };
    let pairs: Vec<String> =
        all.iter().map(|p| render(std::slice::from_ref(p), Form::Encoded(encoder))).collect();
    let len: usize = pairs.iter().map(|p| p.len() + 1).sum();
    for p in e.params().filter(|p| !all.iter().any(|(k, _)| k == p.name)) {
        for value in DROPPED_VALUES {
            let dropped = format!("{}={value}", p.name);
            for at in 0..=pairs.len() {
                let mut payload = String::with_capacity(len + dropped.len() + 1);
                for (i, pair) in pairs[..at].iter().chain([&dropped]).chain(&pairs[at..]).enumerate() {
                    if i > 0 {
                        payload.push('&');
                    }
                    payload.push_str(pair);
                }
                out.push(Candidate { causes: vec![Cause::SignedDroppedParam], payload });
            }
        }
    }
    out
}

/// The most pairs whose every order [`permuted_candidates`] tries (7! = 5,040 payloads).
const MOST_PERMUTED: usize = 7;

/// Every order of the pairs sent but the one sent and the sorted one (tried before), in the
/// sender's encoding: what a client signs when it reads a map without a fixed order once to sign
/// and once to send. Tried last, with an HMAC secret as given only; none past [`MOST_PERMUTED`]
/// pairs. Each pair is encoded once; the orders come from Heap's algorithm.
pub(super) fn permuted_candidates(sent: &Sent<'_>) -> Vec<Candidate> {
    let all = sent.params;
    if all.len() < 2 || all.len() > MOST_PERMUTED {
        return Vec::new();
    }
    let encoder = sender_encoder(all, &format!("{}{}", sent.query, sent.body)).unwrap_or(Encoder::RFC3986);
    let pairs: Vec<String> =
        all.iter().map(|p| render(std::slice::from_ref(p), Form::Encoded(encoder))).collect();
    permuted(all, &pairs)
}

/// The first of `candidates` whose payload `verifier` verifies `signature` over, each a full
/// verification (for the few a key pair may afford).
pub(super) fn verify_each(candidates: &[Candidate], verifier: &Verifier, signature: &str) -> Option<Hit> {
    candidates.iter().find(|c| verifier.verify(c.payload.as_bytes(), signature).is_ok()).map(|c| Hit {
        causes: c.causes.clone(),
        payload: c.payload.clone(),
        secret_note: None,
    })
}

/// [`permuted_candidates`] for a WebSocket API frame's parameters (signature excluded), rendered
/// as Binance signs them (unencoded): every order but the one written and the sorted one.
pub(super) fn ws_permuted_candidates(written: &[(String, String)]) -> Vec<Candidate> {
    if written.len() < 2 || written.len() > MOST_PERMUTED {
        return Vec::new();
    }
    let pairs: Vec<String> =
        written.iter().map(|p| render(std::slice::from_ref(p), Form::Unencoded)).collect();
    permuted(written, &pairs)
}

/// Every order of `pairs` (the rendered pairs of `all`) but the order given and the one sorted by
/// name, joined with `&`, from Heap's algorithm.
fn permuted(all: &[(String, String)], pairs: &[String]) -> Vec<Candidate> {
    let len: usize = pairs.iter().map(|p| p.len() + 1).sum();
    let mut sorted: Vec<usize> = (0..pairs.len()).collect();
    sorted.sort_by(|a, b| all[*a].0.cmp(&all[*b].0));
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    let mut out = Vec::new();
    let mut push = |order: &[usize]| {
        if order.iter().enumerate().all(|(i, o)| i == *o) || order == sorted.as_slice() {
            return;
        }
        let mut payload = String::with_capacity(len);
        for (i, o) in order.iter().enumerate() {
            if i > 0 {
                payload.push('&');
            }
            payload.push_str(&pairs[*o]);
        }
        out.push(Candidate { causes: vec![Cause::SignedOtherOrder], payload });
    };
    // Heap's algorithm, iteratively.
    let mut c = vec![0; order.len()];
    push(&order);
    let mut i = 0;
    while i < order.len() {
        if c[i] < i {
            order.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
            push(&order);
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    out
}

/// The texts `params` may have been sent as a form: encoded by each library's encoder (Binance's
/// first, then the form encoders, which write a space as `+`: Python's urlencode, Go's, Java's,
/// PHP's), then unencoded. What a log that shows a form decoded (mitmdump) was sent as is among them.
pub(super) fn form_spellings(params: &[(String, String)]) -> Vec<String> {
    let (plus, other): (Vec<Encoder>, Vec<Encoder>) =
        Encoder::ALL[1..].iter().partition(|e| e.plus_for_space);
    [Encoder::ALL[0]]
        .into_iter()
        .chain(plus)
        .chain(other)
        .map(Form::Encoded)
        .chain([Form::Unencoded])
        .map(|f| render(params, f))
        .collect()
}

/// The encoder that wrote `exact` (the query string and body sent), when one of them renders the
/// parameters `all` as sent.
fn sender_encoder(all: &[(String, String)], exact: &str) -> Option<Encoder> {
    Encoder::ALL.into_iter().find(|e| render(all, Form::Encoded(*e)) == exact)
}

/// How a client writes a parameter it has no value for, when it signs it as text: Python's None,
/// JavaScript's undefined and null, or nothing (Node's querystring.stringify writes
/// `icebergQty=` for undefined, while axios leaves it out of the request).
const DROPPED_VALUES: [&str; 4] = ["None", "undefined", "null", ""];

/// The parameters with each bool (`true`, `false` sent) written as a language writes it when it
/// makes the text to sign itself: Python's str() (`True`, `False`), PHP's http_build_query (`1`,
/// `0`). Empty when no value is a bool.
fn bool_spellings(all: &[(String, String)]) -> Vec<ParamList> {
    if !all.iter().any(|(_, v)| v == "true" || v == "false") {
        return Vec::new();
    }
    [("True", "False"), ("1", "0")]
        .iter()
        .map(|(yes, no)| {
            all.iter()
                .map(|(k, v)| {
                    let v = match v.as_str() {
                        "true" => (*yes).to_owned(),
                        "false" => (*no).to_owned(),
                        _ => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .collect()
}

/// Other ways a client may have written a decimal it sent as `v` when it signed it: without
/// trailing zeros, with `.0`, with 2, 6 or 8 decimals, as Java's `Double.toString` (`1.0E-4`) or
/// Python's `repr` (`1e-05`) write small numbers. Empty for a value that is not a plain decimal.
fn number_spellings(v: &str) -> Vec<String> {
    use std::str::FromStr as _;
    if v.is_empty() || v.len() > 30 {
        return Vec::new();
    }
    // Plain decimal text, or a float's exponent form as it was sent (`1e-05`, `1.0E-4`).
    let plain = v.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let scientific = v.bytes().all(|b| b.is_ascii_digit() || b".eE-+".contains(&b))
        && v.bytes().any(|b| b == b'e' || b == b'E')
        && v.as_bytes()[0].is_ascii_digit();
    let parsed = match (plain, scientific) {
        (true, _) => rust_decimal::Decimal::from_str(v).ok(),
        (_, true) => rust_decimal::Decimal::from_scientific(v).ok(),
        _ => None,
    };
    let Some(d) = parsed else { return Vec::new() };
    let plain = d.normalize().to_string();
    let mut out = vec![plain.clone()];
    // rust_decimal writes a fixed number of decimals into 32 bytes and panics past them: a value
    // with more than 20 whole digits is no price or quantity, and gets no fixed spellings.
    if plain.split('.').next().map_or(0, str::len) <= 20 {
        // Two decimals, six (C's printf("%f"), Python's format(x, "f")) and eight.
        out.extend([format!("{d:.2}"), format!("{d:.6}"), format!("{d:.8}")]);
    }
    if !plain.contains('.') {
        out.push(format!("{plain}.0"));
    }
    // Scientific forms of a small non-zero number: the first significant digit, the rest, and the
    // exponent, as Java writes it (`1.0E-4`), as Python does (`1e-04`), and as JavaScript does
    // or a person in a config file (`1e-3`).
    if !d.is_zero() && d < rust_decimal::Decimal::new(1, 2) {
        let digits = plain.trim_start_matches("0.");
        let significant = digits.trim_start_matches('0');
        let exp = digits.len() - significant.len() + 1;
        if let Some(first) = significant.get(..1) {
            let rest = &significant[1..];
            out.push(format!("{first}.{}E-{exp}", if rest.is_empty() { "0" } else { rest }));
            let fraction = if rest.is_empty() { String::new() } else { format!(".{rest}") };
            out.push(format!("{first}{fraction}e-{exp:02}"));
            out.push(format!("{first}{fraction}e-{exp}"));
        }
    }
    out.retain(|s| s != v);
    out.sort();
    out.dedup();
    out
}

/// A whole number of 7 to 15 digits as Go's `%v` writes it once it is a float64: the shortest
/// digits, then the exponent (`1718014205255` is `1.718014205255e+12`); `None` for other text.
fn go_float(v: &str) -> Option<String> {
    if !(7..=15).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) || v.starts_with('0') {
        return None;
    }
    let digits = v.trim_end_matches('0');
    let (first, rest) = digits.split_at(1);
    let exp = v.len() - 1;
    Some(if rest.is_empty() { format!("{first}e+{exp:02}") } else { format!("{first}.{rest}e+{exp:02}") })
}

/// The parameter lists with one decimal value written another way ([`number_spellings`]): what a
/// client signed that formatted a number itself, then sent it in another text.
fn respelled_numbers(all: &[(String, String)]) -> Vec<ParamList> {
    let mut out = Vec::new();
    // Every whole number of a million or more as Go's %v writes a float64 (1.718014205255e+12):
    // parameters decoded into an interface{} (JSON numbers are float64), then formatted.
    let go: ParamList =
        all.iter().map(|(k, v)| (k.clone(), go_float(v).unwrap_or_else(|| v.clone()))).collect();
    if go.as_slice() != all {
        out.push(go);
    }
    // Every decimal at once with one number of decimals (a client that formats each float with
    // `{:.3f}`), or each written shortest.
    // Each param's decimal value, read once (plain decimal text only; none past 20 whole digits,
    // which rust_decimal cannot write with places).
    let values: Vec<Option<rust_decimal::Decimal>> = all
        .iter()
        .map(|(_, v)| {
            use std::str::FromStr as _;
            let decimal = v.contains('.') && v.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            decimal
                .then(|| rust_decimal::Decimal::from_str(v).ok())
                .flatten()
                .filter(|d| d.normalize().to_string().split('.').next().map_or(0, str::len) <= 20)
        })
        .collect();
    let mut fixed = |spell: &dyn Fn(rust_decimal::Decimal) -> String| {
        let set: ParamList = all
            .iter()
            .zip(&values)
            .map(|((k, v), d)| (k.clone(), d.map_or_else(|| v.clone(), spell)))
            .collect();
        let changed = set.iter().zip(all).filter(|(a, b)| a.1 != b.1).count();
        if changed > 1 {
            out.push(set);
        }
    };
    fixed(&|d| d.normalize().to_string());
    for places in 1..=8 {
        fixed(&|d| format!("{:.*}", places, d));
    }
    // Each decimal written with its own number of decimals (a price formatted with `.2f`, a
    // quantity with `.8f`): every combination of their spellings, for two or three of them.
    // Each param's other spellings, made once (timestamp's are its units', below).
    let spellings: Vec<Vec<String>> =
        all.iter().map(|(k, v)| if k == "timestamp" { Vec::new() } else { number_spellings(v) }).collect();
    let choices: Vec<(usize, &Vec<String>)> = all
        .iter()
        .zip(&spellings)
        .enumerate()
        .filter(|(_, ((name, v), spelled))| {
            let amount =
                ["price", "Price", "qty", "Qty", "quantity", "Quantity"].iter().any(|s| name.ends_with(s));
            !spelled.is_empty() && (amount || v.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')))
        })
        .map(|(i, (_, spelled))| (i, spelled))
        .collect();
    let combinations: usize = choices.iter().map(|(_, s)| s.len() + 1).product();
    if (2..=3).contains(&choices.len()) && combinations <= 400 {
        for n in 0..combinations {
            let (mut rest, mut set, mut changed) = (n, all.to_vec(), 0);
            for (i, spellings) in &choices {
                let pick = rest % (spellings.len() + 1);
                rest /= spellings.len() + 1;
                if let Some(spelling) = spellings.get(pick) {
                    set[*i].1 = spelling.clone();
                    changed += 1;
                }
            }
            // One changed value is the single respellings' own (below).
            if changed > 1 {
                out.push(set);
            }
        }
    }
    for (i, (name, v)) in all.iter().enumerate() {
        if name == "timestamp" {
            // Signed in milliseconds, then sent in microseconds (or the other way round): the
            // unit changed between the two.
            let other = match v.len() {
                16 if v.bytes().all(|b| b.is_ascii_digit()) => v.get(..13).map(str::to_owned),
                13 if v.bytes().all(|b| b.is_ascii_digit()) => Some(format!("{v}000")),
                _ => None,
            };
            if let Some(other) = other {
                let mut set = all.to_vec();
                set[i].1 = other;
                out.push(set);
            }
            continue;
        }
        for spelling in &spellings[i] {
            let mut set = all.to_vec();
            set[i].1 = spelling.clone();
            out.push(set);
        }
    }
    out
}

/// How many milliseconds before the sent `timestamp` the signed one is searched (the time read for
/// the payload signed, then again for the request sent), and how many after (the other way round).
/// HMAC and RSA (a hash a try, once the RSA signature is opened): 600 tries, about 70 µs.
const SIGNED_EARLIER_MS: u64 = 500;
const SIGNED_LATER_MS: u64 = 100;
/// The same for Ed25519, where each try is a full verification (about 48 µs): the few milliseconds
/// between two clock reads of one request.
const ED25519_EARLIER_MS: u64 = 5;
const ED25519_LATER_MS: u64 = 2;

/// The payload Binance verifies (the first candidate, when it names no mistake) with its
/// `timestamp` shifted by up to `earlier` milliseconds one way and `later` the other (the time read
/// twice), the first that `signs` accepts.
fn other_timestamp(
    candidates: &[Candidate],
    (earlier, later): (u64, u64),
    mut signs: impl FnMut(&[u8]) -> bool,
) -> Option<Hit> {
    const NAME: &str = "timestamp=";
    let exact = &candidates.first().filter(|c| c.causes.is_empty())?.payload;
    let start = exact
        .match_indices(NAME)
        .map(|(i, _)| i + NAME.len())
        .find(|&i| i == NAME.len() || exact.as_bytes()[i - NAME.len() - 1] == b'&')?;
    let digits = exact[start..].bytes().take_while(u8::is_ascii_digit).count();
    let sent: u64 = exact[start..start + digits].parse().ok()?;
    let (head, tail) = (&exact.as_bytes()[..start], &exact.as_bytes()[start + digits..]);
    let mut payload: Vec<u8> = Vec::with_capacity(exact.len() + 2);
    let before = (1..=earlier).filter_map(|d| sent.checked_sub(d));
    let after = (1..=later).filter_map(|d| sent.checked_add(d));
    for signed in before.chain(after) {
        payload.clear();
        payload.extend_from_slice(head);
        let mut buf = [0u8; 39];
        payload.extend_from_slice(crate::params::unsigned_digits(u128::from(signed), &mut buf).as_bytes());
        payload.extend_from_slice(tail);
        if signs(&payload) {
            let payload = String::from_utf8(payload).ok()?;
            return Some(Hit { causes: vec![Cause::SignedOtherTimestamp], payload, secret_note: None });
        }
    }
    None
}

/// What a WebSocket API client may have signed instead of every parameter but `signature`, sorted by
/// name, unencoded: `written` is the params in the order written (`signature` left out), `frames`
/// the frame's own text without its signature (a client that signed the whole request as JSON).
pub(super) fn ws_candidates(
    written: &[(String, String)],
    frames: &[String],
    printed: &[String],
    earlier_signatures: &[String],
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |causes: Vec<Cause>, payload: String| {
        if seen.insert(payload.clone()) {
            out.push(Candidate { causes, payload });
        }
    };
    let sort = |list: &[(String, String)]| {
        let mut sorted = list.to_vec();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        sorted
    };
    let mut with_signature = written.to_vec();
    with_signature.push(("signature".to_owned(), String::new()));
    let mut sets = sets_without(
        written,
        &[
            ("apiKey", Cause::SignedWithoutApiKey),
            ("timestamp", Cause::SignedBeforeTimestamp),
            ("recvWindow", Cause::SignedBeforeRecvWindow),
        ],
    );
    sets.push((vec![Cause::SignedWithSignatureParam], with_signature));
    // The params kept in one object from request to request: the last request's signature still
    // among them when this one was signed (then replaced in what is sent).
    for old in last_signatures(earlier_signatures) {
        let mut kept = written.to_vec();
        kept.push(("signature".to_owned(), old.to_owned()));
        sets.push((vec![Cause::SignedWithSignatureParam], kept));
    }
    for spelled in bool_spellings(written) {
        sets.push((vec![Cause::SignedOtherValueText], spelled));
    }
    for (causes, set) in &sets {
        // Sorted, as Binance signs; then in the order written.
        add(causes.clone(), render(&sort(set), Form::Unencoded));
        let mut written_order = causes.clone();
        written_order.insert(0, Cause::SignedInWrittenOrder);
        add(written_order.clone(), render(set, Form::Unencoded));
        for e in Encoder::ALL {
            let mut encoded = causes.clone();
            encoded.insert(0, Cause::SignedEncodedValues);
            add(encoded.clone(), render(&sort(set), Form::Encoded(e)));
            encoded.insert(0, Cause::SignedInWrittenOrder);
            add(encoded, render(set, Form::Encoded(e)));
        }
        for spaced in [false, true] {
            for bare in [Bare::None, Bare::AllNumbers, Bare::TimeFields] {
                let mut json = causes.clone();
                json.insert(0, Cause::SignedJson);
                add(json, render(set, Form::Json { spaced, bare }));
            }
        }
    }
    // The whole request signed as JSON, as sent without its signature.
    for frame in frames {
        add(vec![Cause::SignedJson], frame.clone());
    }
    let exact = render(&sort(written), Form::Unencoded);
    add(vec![Cause::SignedTrailingNewline], format!("{exact}\n"));
    // A decimal signed in another text than the frame sends (1.00 for 1.0, 1.0E-4 for "0.0001").
    for set in respelled_numbers(written) {
        add(vec![Cause::SignedOtherValueText], render(&sort(&set), Form::Unencoded));
    }
    for (name, _) in
        written.iter().filter(|(k, _)| !matches!(k.as_str(), "apiKey" | "timestamp" | "recvWindow"))
    {
        let without: ParamList = written.iter().filter(|(k, _)| k != name).cloned().collect();
        add(vec![Cause::SignedBeforeParam], render(&sort(&without), Form::Unencoded));
    }
    for (cause, payload) in written_otherwise(&exact) {
        add(vec![cause], payload);
    }
    // What the program printed as the text it signed, after every named mistake.
    for p in printed {
        add(vec![Cause::SignedPrintedPayload], p.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_respelled_together_with_one_number_of_decimals() {
        let all: ParamList =
            [("price", "510.0"), ("quantity", "0.1"), ("symbol", "BNBUSDT"), ("timestamp", "1796589692570")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let sets = respelled_numbers(&all);
        let three: ParamList = [
            ("price", "510.000"),
            ("quantity", "0.100"),
            ("symbol", "BNBUSDT"),
            ("timestamp", "1796589692570"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert!(sets.contains(&three), "{sets:?}");
        let shortest: ParamList =
            [("price", "510"), ("quantity", "0.1"), ("symbol", "BNBUSDT"), ("timestamp", "1796589692570")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        // One changed value is the single respellings' own: not repeated.
        assert_eq!(sets.iter().filter(|s| **s == shortest).count(), 1, "{sets:?}");
    }

    #[test]
    fn numbers_are_respelled_as_clients_write_them() {
        assert!(number_spellings("1.0").contains(&"1.00".to_owned()));
        assert!(number_spellings("30000.0").contains(&"30000.00000000".to_owned()));
        assert!(number_spellings("0.00010").contains(&"1.0E-4".to_owned()));
        assert!(number_spellings("0.00001").contains(&"1e-05".to_owned()));
        assert!(number_spellings("5").contains(&"5.0".to_owned()));
        assert!(!number_spellings("1.0").contains(&"1.0".to_owned()), "the value sent is not a spelling");
        assert!(number_spellings("BTCUSDT").is_empty() && number_spellings("-1").is_empty());
        // A float's exponent form as sent: its plain decimal is a spelling.
        assert!(number_spellings("1e-05").contains(&"0.00001".to_owned()));
        assert!(number_spellings("1e-05").contains(&"0.000010".to_owned()), "Python's format(x, 'f')");
        assert!(number_spellings("7500.5").contains(&"7500.50".to_owned()));
        // Found by the fuzzer: 26 whole digits and 8 decimals overflowed rust_decimal's buffer.
        assert!(
            number_spellings("17540000001231754000000123")
                .contains(&"17540000001231754000000123.0".to_owned())
        );
        assert!(number_spellings(&"9".repeat(28)).iter().all(|s| s.len() <= 30));
    }
}
