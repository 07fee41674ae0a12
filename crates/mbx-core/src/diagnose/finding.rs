//! [`Finding`] and [`Cause`]: what the doctor found, with evidence and a fix.

use std::fmt;

use crate::accept::Stage;

/// How sure a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Certainty {
    /// Shown by the request itself, or a hypothesis that reproduces the signature exactly.
    Certain,
    /// Very probably the cause, but not proven.
    Likely,
    /// Worth checking.
    Possible,
}

macro_rules! causes {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, )*) => {
        /// Why a request fails: a closed set with stable kebab-case ids (used in JSON output and tests).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Cause {
            $( $(#[$doc])* $variant, )*
        }

        impl Cause {
            /// The stable id, e.g. `"key-in-authorization-header"`.
            pub const fn id(self) -> &'static str {
                match self { $( Cause::$variant => $id, )* }
            }

            /// Every cause.
            pub const ALL: &'static [Cause] = &[ $( Cause::$variant, )* ];
        }
    };
}

causes! {
    /// No `X-MBX-APIKEY` header and no key anywhere else.
    KeyMissing = "key-missing",
    /// The key is in an `Authorization` header.
    KeyInAuthorizationHeader = "key-in-authorization-header",
    /// A header's *value* reads `X-MBX-APIKEY: <key>`.
    KeyInHeaderValue = "key-in-header-value",
    /// Another exchange's authentication headers (Bybit's `X-BAPI-*`, OKX's `OK-ACCESS-*`, ...): code
    /// ported from it, which Binance does not read.
    OtherExchangeHeaders = "other-exchange-headers",
    /// The key header's name is misspelled (`X_MBX_APIKEY`, `X-API-KEY`, ...).
    KeyHeaderMisspelled = "key-header-misspelled",
    /// The key is sent as a query or body parameter.
    KeyAsParameter = "key-as-parameter",
    /// The key header's value is wrapped in quotes.
    KeyQuoted = "key-quoted",
    /// The key header's value holds whitespace.
    KeyWhitespace = "key-whitespace",
    /// The key header holds an unexpanded shell variable (`$apiKey`).
    KeyShellVariable = "key-shell-variable",
    /// The key header's value is not 64 letters and digits.
    KeyFormat = "key-format",
    /// The key header is sent more than once.
    KeyDuplicated = "key-duplicated",
    /// The key header is sent with no value (the variable meant to hold the key was unset).
    KeyEmpty = "key-empty",
    /// The secret key is sent as the API key (`-2015`).
    SecretAsApiKey = "secret-as-api-key",
    /// The secret key itself is sent as the signature.
    SecretAsSignature = "secret-as-signature",
    /// The parameters are in a JSON body, which Binance does not read.
    JsonBody = "json-body",
    /// A GET request with a body: Binance reads only the query string of a GET.
    GetWithBody = "get-with-body",
    /// The `Content-Length` sent is shorter than the body (taken before the signature was
    /// appended): Binance reads that many bytes, and the rest (often `&signature=...`) never.
    ContentLengthShort = "content-length-short",
    /// Form parameters in a body whose `Content-Type` is not `application/x-www-form-urlencoded`
    /// (`text/plain` is what `fetch` sends with a string body): Binance does not read them.
    BodyNotForm = "body-not-form",
    /// The parameters are sent as `multipart/form-data` parts (`curl -F`, a PHP array given to
    /// `CURLOPT_POSTFIELDS`, `FormData`, Postman's form-data body), which Binance does not read.
    BodyMultipart = "body-multipart",
    /// A parameter appears twice in the query string or twice in the body.
    ParamDuplicated = "param-duplicated",
    /// Characters that must be percent-encoded are sent raw.
    UnencodedCharacters = "unencoded-characters",
    /// A second `?` in the URL: the parameters after it are read as part of the value before it.
    SecondQuestionMark = "second-question-mark",
    /// Malformed percent-encoding (`%` not followed by two hex digits, or not UTF-8).
    MalformedEncoding = "malformed-encoding",
    /// The query string or body percent-encoded as a whole, its `=` and `&` included: Binance reads
    /// one parameter named after the whole text.
    PayloadEncodedWhole = "payload-encoded-whole",
    /// No `timestamp` parameter.
    TimestampMissing = "timestamp-missing",
    /// `timestamp` is not a whole number.
    TimestampMalformed = "timestamp-malformed",
    /// `timestamp` in seconds instead of milliseconds.
    TimestampSeconds = "timestamp-seconds",
    /// `timestamp` is the time in milliseconds cut to 32 bits (kept in an `int`).
    TimestampTruncated = "timestamp-truncated",
    /// `timestamp` is the seconds followed by the milliseconds without their leading zeros
    /// (`printf("%ld%ld", sec, ms)`): 11 or 12 digits.
    TimestampUnpaddedMillis = "timestamp-unpadded-millis",
    /// `timestamp` in nanoseconds (or .NET's 100 ns ticks) instead of milliseconds: read as
    /// microseconds, it is centuries ahead.
    TimestampNanoseconds = "timestamp-nanoseconds",
    /// `timestamp` is 1000 ms or more ahead of the server's time.
    TimestampAhead = "timestamp-ahead",
    /// `timestamp` is older than `recvWindow` allows.
    TimestampTooOld = "timestamp-too-old",
    /// `timestamp` is a whole number of hours off: a local time taken for UTC.
    TimestampTimeZone = "timestamp-time-zone",
    /// `recvWindow` above 60000.
    RecvWindowTooLarge = "recv-window-too-large",
    /// `recvWindow` is not a number with up to three decimals.
    RecvWindowMalformed = "recv-window-malformed",
    /// No `signature` parameter.
    SignatureMissing = "signature-missing",
    /// `signature` sent more than once.
    SignatureDuplicated = "signature-duplicated",
    /// The signature is sent in a header instead of a parameter.
    SignatureInHeader = "signature-in-header",
    /// A base64 signature whose `+` was not percent-encoded (it reads as a space).
    SignaturePlusNotEncoded = "signature-plus-not-encoded",
    /// Hex signature, but the key is Ed25519 or RSA (base64 expected).
    SignatureHexForAsymmetricKey = "signature-hex-for-asymmetric-key",
    /// Base64 signature, but the key is HMAC (hex expected).
    SignatureBase64ForHmac = "signature-base64-for-hmac",
    /// A base64 signature in the URL-safe alphabet (`-`, `_`).
    SignatureUrlSafeBase64 = "signature-url-safe-base64",
    /// A hex digest with more around it: `0x`, openssl's `SHA2-256(stdin)= ` label, a digest tool's
    /// file-name field, a line ending.
    SignatureNotBare = "signature-not-bare",
    /// The signature is of another key kind than the API key's (an Ed25519 signature with an HMAC
    /// or RSA key's API key, an RSA one with an Ed25519 key's): signed with another key pair.
    SignatureOtherKeyKind = "signature-other-key-kind",
    /// A base64 signature (Ed25519, RSA) upper- or lower-cased: base64 is case-sensitive.
    SignatureCaseChanged = "signature-case-changed",
    /// The signature was percent-encoded twice (`%252B`).
    SignatureEncodedTwice = "signature-encoded-twice",
    /// The signature has the wrong length for the key type.
    SignatureWrongLength = "signature-wrong-length",
    /// The client signed a JSON serialization of the parameters.
    SignedJson = "signed-json",
    /// The client signed its language's print of the parameters' dictionary (Python's
    /// `str(params)`: `{'symbol': 'BTCUSDT', ...}`; Java's or Kotlin's `Map.toString()`:
    /// `{symbol=BTCUSDT, ...}`; Go's `fmt.Sprint` of a map; Ruby's `Hash#to_s`).
    SignedDictRepr = "signed-dict-repr",
    /// The client signed the parameters in the order a Java `HashMap` (Kotlin's `hashMapOf`)
    /// iterates them, by their hash codes, and sent them in another order.
    SignedHashMapOrder = "signed-hashmap-order",
    /// The client signed the parameters with `timestamp` (and `recvWindow`) last, but sent them
    /// elsewhere in the query: a script that adds the timestamp to what it signs while the URL it
    /// sends writes it in the middle (Postman's `timestamp={{timestamp}}&recvWindow=...`).
    SignedTimeLast = "signed-time-last",
    /// The client signed the query string percent-encoded as a whole (`symbol%3DBTCUSDT%26...`:
    /// `encodeURIComponent(query)`), and sent it as it was.
    SignedEncodedWhole = "signed-encoded-whole",
    /// A REST request signed as the WebSocket API signs: `apiKey=...` among the parameters
    /// signed (and sorted by name), though REST sends the key in a header and signs the query and
    /// body as sent.
    SignedWsStyle = "signed-ws-style",
    /// Binance answered `-2015` (the capture says so) to a request whose key, signature and
    /// timestamp check out: the key lacks the endpoint's permission, the IP is not on the key's
    /// list, or the key is another environment's.
    KeyPermission = "key-permission",
    /// Binance answered `-1022` (the capture says so) to a request whose signature verifies with
    /// the key given: Binance holds another public key (or secret) for this API key.
    KeyRegisteredOther = "key-registered-other",
    /// WebSocket API: the request came in a binary frame; Binance reads text frames only.
    FrameBinary = "frame-binary",
    /// The client signed the payload's text as UTF-16 (Java's `getBytes("UTF-16")`, C#'s
    /// `Encoding.Unicode`), not as UTF-8.
    SignedUtf16 = "signed-utf16",
    /// The client signed the hex text of the payload's bytes, not the bytes.
    SignedPayloadHex = "signed-payload-hex",
    /// The client signed the base64 text of the payload's bytes, not the bytes.
    SignedPayloadBase64 = "signed-payload-base64",
    /// The capture (or the sandbox's journal) holds an error answer that nothing in the request
    /// explains: it depends on what no request shows (the symbol's filters, the account's balance,
    /// open orders or limits).
    AnswerUnexplained = "answer-unexplained",
    /// Binance answered HTTP 451: it serves no one from where the request came (a restricted
    /// location of its terms, such as a US cloud region), whatever the request holds.
    LocationRestricted = "location-restricted",
    /// WebSocket API: a parameter's value is a JSON object (an order list's legs nested, or the
    /// parameters wrapped in a second `params`); params are flat name-value pairs.
    ParamsNested = "params-nested",
    /// The client signed the parameters sorted by name.
    SignedSortedParams = "signed-sorted-params",
    /// The client sent the parameters sorted by name (Go's `url.Values.Encode`, a sorted map) but
    /// signed them in the order written.
    SentSortedParams = "sent-sorted-params",
    /// The client sent the parameters in a hash map's order, the signature among them, but signed
    /// them in the order written (the endpoint's documented order).
    SentOtherOrder = "sent-other-order",
    /// The client signed the same pairs in another order than it sent them, neither sorted nor the
    /// endpoint's documented order: a map without a fixed order (Go's map, a Perl hash, Rust's
    /// HashMap) read once to sign and once to send.
    SignedOtherOrder = "signed-other-order",
    /// The client signed a value written otherwise than it sent it: Python's `True`/`False` where
    /// the request says `true`/`false`.
    SignedOtherValueText = "signed-other-value-text",
    /// The client signed before adding `timestamp`.
    SignedBeforeTimestamp = "signed-before-timestamp",
    /// The client signed before adding `recvWindow`.
    SignedBeforeRecvWindow = "signed-before-recv-window",
    /// The client signed before adding another parameter that it sends (not `timestamp` or
    /// `recvWindow`, which have causes of their own).
    SignedBeforeParam = "signed-before-param",
    /// The client signed another `timestamp` than it sends, close to it: the time was read twice
    /// (once for the payload signed, once for the request), or the signature kept for a new time.
    SignedOtherTimestamp = "signed-other-timestamp",
    /// The client signed the payload without percent-encoding it.
    SignedUnencoded = "signed-unencoded",
    /// The values were sent percent-encoded twice (`%2520`), and signed encoded once.
    SentEncodedTwice = "sent-encoded-twice",
    /// The client signed another percent-encoding than it sent (`+` for spaces, lower-case hex).
    SignedOtherEncoding = "signed-other-encoding",
    /// The client joined query and body with `&` before signing.
    SignedQueryAndBodyJoined = "signed-query-and-body-joined",
    /// The client signed only the query string.
    SignedQueryOnly = "signed-query-only",
    /// The signature is the HMAC of the payloads signed before this one and this one, joined: one
    /// HMAC object written to for every request and never reset (Go's `h.Write` without
    /// `h.Reset()`, Python's `hmac` object `.update()`d again).
    HmacNotReset = "hmac-not-reset",
    /// The client signed only the body.
    SignedBodyOnly = "signed-body-only",
    /// The client signed body then query.
    SignedBodyThenQuery = "signed-body-then-query",
    /// The client signed a payload that already held `signature=`.
    SignedWithSignatureParam = "signed-with-signature-param",
    /// The signature is of a text the program printed (its log of what it signed), which differs
    /// from what it sent.
    SignedPrintedPayload = "signed-printed-payload",
    /// The client joined the parameters with another separator than `&` when signing (Kotlin's
    /// `joinToString()`: `", "`).
    SignedOtherSeparator = "signed-other-separator",
    /// The client signed the values inside double quotes (Rust's `{:?}`, Kotlin's
    /// `JsonPrimitive.toString()`).
    SignedQuotedValues = "signed-quoted-values",
    /// The signature sent is an earlier request's, kept and sent again (a cache, a shared
    /// variable).
    SignatureReused = "signature-reused",
    /// The client signed the payload with a trailing newline (`echo` without `-n`).
    SignedTrailingNewline = "signed-trailing-newline",
    /// The client signed the payload with the NUL byte that ends a C string (MQL5's
    /// `StringToCharArray` copies it, as for the key).
    SignedWithNul = "signed-with-nul",
    /// The client signed the request's text before a template tool filled in its variables: the
    /// payload held `timestamp={{timestamp}}` (Postman's pre-request script reading
    /// `pm.request.url.getQueryString()`), the request the value.
    SignedUnresolvedVariable = "signed-unresolved-variable",
    /// The client signed the payload with an extra `&` at its end or start (a loop that appends
    /// `&` after each parameter, or before each).
    SignedExtraSeparator = "signed-extra-separator",
    /// The client signed a parameter it had no value for (`newClientOrderId=None`, `=undefined`,
    /// `=null`) that its HTTP library then left out of the request.
    SignedDroppedParam = "signed-dropped-param",
    /// The client signed with the secret trimmed of whitespace.
    SecretTrimmed = "secret-trimmed",
    /// The client signed with a newline after the secret.
    SecretWithNewline = "secret-with-newline",
    /// The client signed with a space before or after the secret (copied from a page, a config
    /// line's `key = value`).
    SecretWithSpace = "secret-with-space",
    /// The client signed with a UTF-8 byte order mark before the secret (read from a file saved as
    /// "UTF-8 with BOM").
    SecretWithBom = "secret-with-bom",
    /// The client keyed the HMAC with part of the secret: its first 8 or 4 bytes (a length taken
    /// as `sizeof` of a pointer, C's `sizeof(secret)` of a `char *`), or all but its first or last
    /// character (an off-by-one substring).
    SecretTruncated = "secret-truncated",
    /// The client keyed the HMAC with the secret's UTF-16 bytes (Java's `getBytes(UTF_16)`, .NET's
    /// `Encoding.Unicode`).
    SecretUtf16 = "secret-utf16",
    /// The client keyed the HMAC with the secret and its terminating NUL byte (C's `sizeof` of an
    /// array).
    SecretWithNul = "secret-with-nul",
    /// The client keyed the HMAC with a placeholder's text: an object's type name
    /// (`System.Security.SecureString`), `undefined`, `None`, `null`.
    SecretPlaceholder = "secret-placeholder",
    /// The client base64-decoded the secret.
    SecretBase64Decoded = "secret-base64-decoded",
    /// The client hex-decoded the secret.
    SecretHexDecoded = "secret-hex-decoded",
    /// The client signed with an empty HMAC key: an unset variable, or a decoding that failed and
    /// left nothing (Go's `hex.DecodeString`, Node.js's `Buffer.from(secret, 'hex')` on a secret
    /// that is not hex).
    SecretEmpty = "secret-empty",
    /// The client changed the secret's case.
    SecretCaseChanged = "secret-case-changed",
    /// The client signed with the secret wrapped in quotes.
    SecretQuoted = "secret-quoted",
    /// A plain SHA-256 of the payload (with the secret appended or prepended) instead of HMAC.
    SignedPlainHash = "signed-plain-hash",
    /// HMAC with its two inputs swapped: keyed with the payload, over the secret.
    HmacArgumentsSwapped = "hmac-arguments-swapped",
    /// The client used the API key as the secret.
    SecretIsApiKey = "secret-is-api-key",
    /// The signature is not the last parameter of its query string or body (`-1022`): Binance takes it
    /// from the end. A URL builder that sorts the parameters puts `signature` before `symbol` and
    /// `timestamp` (Go's `url.Values.Encode`, a `BTreeMap`, a sorted dict).
    SignatureNotLast = "signature-not-last",
    /// The signature does not match and no known mistake reproduces it.
    SignatureMismatch = "signature-mismatch",
    /// A parameter the endpoint does not read (`-1104`).
    ParamNotRead = "param-not-read",
    /// A mandatory parameter of the endpoint is missing or empty (`-1102`).
    ParamMissing = "param-missing",
    /// A `DECIMAL`, `INT` or `LONG` parameter whose value is not such a number (`-1100`: an exponent,
    /// a sign, a comma, a fraction where a whole number goes), or an optional one sent empty (`-1105`).
    ParamMalformed = "param-malformed",
    /// A new order Binance refuses whatever the market: an unknown side, type or time in force, a
    /// parameter its type needs missing (`-1102`) or one it does not take sent (`-1106`).
    OrderTerms = "order-terms",
    /// Parameters sent together that the endpoint's docs list in no supported combination
    /// (`-1128`): `fromId` with `startTime` on `myTrades`, `symbol` with `symbols`, and the like;
    /// or `startTime` and `endTime` more than 24 hours apart on a history endpoint (`-1127`).
    ParamCombination = "param-combination",
    /// `symbol` (or a name in `symbols`) in lower case: Binance's symbols are upper case (`-1121`).
    SymbolLowerCase = "symbol-lower-case",
    /// `&timestamp=` copied from a web page as `\u{d7}tamp=` (the HTML entity `&times;`), or every
    /// `&` sent as `&amp;` (a URL copied from HTML or escaped for XML).
    HtmlMangledAmpersand = "html-mangled-ampersand",
    /// A spot path Binance does not have (404), or one that does not take the method sent (405).
    PathUnknown = "path-unknown",
    /// The method of another endpoint at the same path: its parameters are that one's (`GET
    /// /api/v3/order` with a new order's parameters: `-1104`).
    MethodWrong = "method-wrong",
    /// The endpoint was retired by Binance spot (the listenKey endpoints): HTTP 404.
    EndpointRetired = "endpoint-retired",
    /// The API key belongs to another environment (testnet, demo, live) than the request's host.
    KeyOtherEnvironment = "key-other-environment",
    /// The signature was made with the secret of another environment's key.
    SecretOtherEnvironment = "secret-other-environment",
    /// The secret itself is sent as a parameter.
    SecretAsParameter = "secret-as-parameter",
    /// RSA signed with PSS padding instead of PKCS#1 v1.5.
    SignedRsaPss = "signed-rsa-pss",
    /// RSA PKCS#1 v1.5 with another hash than SHA-256.
    SignedRsaOtherHash = "signed-rsa-other-hash",
    /// The payload itself encrypted with the RSA private key (PKCS#1 v1.5 type 1 padding, no hash):
    /// Ruby's `private_encrypt`, PHP's `openssl_private_encrypt`.
    SignedRsaRaw = "signed-rsa-raw",
    /// A digest of the payload signed instead of the payload (Ed25519 over SHA-256, RSA hashed twice).
    SignedDigest = "signed-digest",
    /// The path or the whole URL signed along with the parameters.
    SignedPath = "signed-path",
    /// WebSocket API: parameters signed in the order written, not sorted by name.
    SignedInWrittenOrder = "signed-in-written-order",
    /// WebSocket API: values percent-encoded before signing.
    SignedEncodedValues = "signed-encoded-values",
    /// WebSocket API: `apiKey` left out of what was signed.
    SignedWithoutApiKey = "signed-without-api-key",
    /// `X-MBX-TIME-UNIT` holds another unit than `MILLISECOND` or `MICROSECOND` (`-1194`).
    TimeUnitInvalid = "time-unit-invalid",
    /// WebSocket API: `session.logon` signed with a key that is not Ed25519 (`-1022`: Binance reads the
    /// signature as an Ed25519 one).
    LogonKeyNotEd25519 = "logon-key-not-ed25519",
    /// WebSocket API: a method that needs a session logged on with `session.logon`
    /// (`userDataStream.subscribe`) sent on a connection that has not logged on (`-1002`).
    SessionNotLoggedOn = "session-not-logged-on",
    /// WebSocket API: a second User Data Stream subscription for the same account on one
    /// connection (`-2035`: one active subscription per account per connection).
    SubscriptionActive = "subscription-active",
    /// WebSocket API: a request names another apiKey than the session's logon but is signed with
    /// the session's key: Binance verifies it with the key registered for the apiKey it names.
    ApiKeyOtherPair = "api-key-other-pair",
    /// WebSocket API: on a connection logged on with `session.logon`, a request that carries its own
    /// `apiKey` and `signature` (which override the session's key) fails its signature: signed with
    /// the session's key, or meant to use the session.
    SessionOverridden = "session-overridden",
    /// WebSocket API: no `apiKey` in the params of a keyed method.
    ApiKeyParamMissing = "api-key-param-missing",
    /// WebSocket API: the frame is not a JSON object.
    FrameNotJson = "frame-not-json",
    /// WebSocket API: no method of that name.
    WsMethodUnknown = "ws-method-unknown",
}

impl Cause {
    /// The stage of the acceptance check ([`crate::accept`]) whose failure this cause explains.
    pub const fn stage(self) -> Stage {
        use Cause::*;
        match self {
            KeyMissing
            | KeyInAuthorizationHeader
            | KeyInHeaderValue
            | OtherExchangeHeaders
            | KeyHeaderMisspelled
            | KeyAsParameter
            | KeyQuoted
            | KeyWhitespace
            | KeyShellVariable
            | KeyFormat
            | KeyDuplicated
            | KeyEmpty
            | SecretAsApiKey
            | KeyOtherEnvironment
            | LogonKeyNotEd25519
            | SessionNotLoggedOn
            | SubscriptionActive => Stage::Key,
            ApiKeyOtherPair => Stage::Signature,
            EndpointRetired | LocationRestricted | PathUnknown | FrameNotJson | FrameBinary
            | WsMethodUnknown | TimeUnitInvalid => Stage::Route,
            JsonBody | GetWithBody | ContentLengthShort | BodyNotForm | BodyMultipart
            | SecondQuestionMark | ParamDuplicated | ParamsNested | MalformedEncoding
            | PayloadEncodedWhole | TimestampMissing | TimestampMalformed | SignatureMissing
            | SignatureDuplicated | SignatureInHeader | ApiKeyParamMissing => Stage::Params,
            TimestampSeconds
            | TimestampTruncated
            | TimestampUnpaddedMillis
            | TimestampNanoseconds
            | TimestampAhead
            | TimestampTooOld
            | TimestampTimeZone
            | RecvWindowTooLarge
            | RecvWindowMalformed => Stage::Timing,
            ParamNotRead | MethodWrong | ParamMissing | ParamMalformed | OrderTerms | ParamCombination
            | SymbolLowerCase | SecretAsParameter | AnswerUnexplained => Stage::Unread,
            _ => Stage::Signature,
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl serde::Serialize for Cause {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One thing the doctor found: the cause, a one-line title, the evidence from the request, and the fix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Stable id of the cause.
    pub cause: Cause,
    /// One line.
    pub title: String,
    /// What in the request shows it.
    pub evidence: String,
    /// What to change.
    pub fix: String,
    /// How sure.
    pub certainty: Certainty,
}

impl Finding {
    /// A finding.
    pub fn new(
        cause: Cause,
        certainty: Certainty,
        title: impl Into<String>,
        evidence: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self { cause, title: title.into(), evidence: evidence.into(), fix: fix.into(), certainty }
    }
}
