//! The diagnosis engine behind `mbx doctor`: given a request as sent (and, optionally, the key and the
//! server's time), say what Binance will answer, why, and how to fix it, with evidence.
//!
//! Checks run in the order Binance applies them, and the first failure is the verdict: the API key
//! header (`-2014`), mandatory and duplicate parameters (`-1102`, `-1101`), timing (`-1021`), then the
//! signature (`-1022`). Where Binance's order is not documented this follows what Binance answers in
//! practice. Whether a key is *known* to Binance (`-2015`) cannot be checked offline.
//!
//! ```
//! use mbx_core::diagnose::{diagnose, Context, RequestRecord};
//! let req = RequestRecord::from_curl(
//!     "curl -H 'Authorization: X-MBX-APIKEY: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A' \
//!      'https://api.binance.com/api/v3/openOrders?symbol=ARKBTC&timestamp=1499827319559&signature=00'").unwrap();
//! let d = diagnose(&req, &Context::default());
//! assert_eq!(d.verdict.code, -2014);
//! assert_eq!(d.findings[0].cause.id(), "key-in-header-value");
//! ```

mod copied;
mod finding;
mod har;
mod inspect;
mod logged;
mod loose;
mod multipart;
mod options;
mod request;
mod rsa;
mod search;
mod shown;
mod source;
mod ws;

pub use finding::{Cause, Certainty, Finding};
pub use har::{HarEntry, HarRequest, read_har};
pub use loose::printed_forms_in as printed_forms;
pub use request::{Answered, ParseError, RequestRecord, answer_in_prose, environment_named, secrets_in_text};
pub use search::Hit;
pub use shown::{Shown, ShownClock, sent_time_shown};
pub use source::{SourceSlip, secret_written_as_key};
pub use ws::{
    binary_frame_in_log, diagnose_ws, diagnose_ws_binary, diagnose_ws_frames, diagnose_ws_frames_printed,
    diagnose_ws_in_session, diagnose_ws_log, inspected_frames, inspected_frames_sent, unwrap_json_log,
    ws_answered_success, ws_answers_in_log, ws_frames_in_log,
};

use crate::accept;
use crate::endpoint::{self, Endpoint, Kind, Method, Security};
use crate::error::{ApiError, ErrorCode};
use crate::order;
use crate::payload::split_signature;
use crate::sign::{KeyKind, Verifier};
use crate::time::{RecvWindow, Timestamp};
use crate::venue::Venue;
use crate::{SecretBytes, encode};

use self::finding::Certainty::{Certain, Likely, Possible};
use self::request::shorten;

/// What the doctor knows besides the request.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The HMAC secret, if the key is HMAC.
    pub secret: Option<SecretBytes>,
    /// The public (or private) Ed25519/RSA key, if the key is asymmetric.
    pub verifier: Option<Verifier>,
    /// The server's time when the request arrives (the CLI passes the current time by default).
    pub server_time: Option<Timestamp>,
    /// The API key of this key pair, when known (to tell it from another environment's).
    pub api_key: Option<String>,
    /// The environment this key pair belongs to, when known: a key is known only where it was
    /// created.
    pub venue: Option<Venue>,
    /// The user's other key pairs (other profiles, other environments): a signature made with one
    /// of them is named.
    pub others: Vec<OtherKey>,
}

/// Another key pair the user has, e.g. a testnet profile's.
#[derive(Debug, Clone)]
pub struct OtherKey {
    /// What to call it, e.g. `profile 'testnet'`.
    pub label: String,
    /// Its environment.
    pub venue: Option<Venue>,
    /// Its API key, when known.
    pub api_key: Option<String>,
    /// Its HMAC secret, if it is an HMAC key.
    pub secret: Option<SecretBytes>,
    /// Its Ed25519/RSA public key, if it is one.
    pub verifier: Option<Verifier>,
}

impl Context {
    /// With an HMAC secret.
    pub fn hmac(secret: SecretBytes) -> Self {
        Self { secret: Some(secret), ..Self::default() }
    }

    /// With an Ed25519 or RSA key.
    pub fn key(verifier: Verifier) -> Self {
        Self { verifier: Some(verifier), ..Self::default() }
    }

    /// Sets the reference server time.
    #[must_use]
    pub fn at(mut self, server_time: Timestamp) -> Self {
        self.server_time = Some(server_time);
        self
    }

    /// Says which environment the key pair belongs to, and its API key when known.
    #[must_use]
    pub fn of(mut self, venue: Venue, api_key: Option<String>) -> Self {
        self.venue = Some(venue);
        self.api_key = api_key;
        self
    }

    /// Adds another key pair the user has.
    #[must_use]
    pub fn with_other(mut self, other: OtherKey) -> Self {
        self.others.push(other);
        self
    }

    /// The environment the API key `sent` belongs to, when that is known and differs from `venue`
    /// (the request's): this key pair's, or another one's whose API key it is.
    fn foreign_key(&self, sent: &str, venue: Venue) -> Option<(Venue, Option<String>)> {
        if let Some(v) = self.venue
            && v != venue
            && self.api_key.as_deref().is_none_or(|k| k == sent)
        {
            return Some((v, None));
        }
        if self.api_key.as_deref() == Some(sent) {
            return None;
        }
        self.others.iter().find_map(|o| match o.venue {
            Some(v) if v != venue && o.api_key.as_deref() == Some(sent) => Some((v, Some(o.label.clone()))),
            _ => None,
        })
    }

    /// `text` with every secret the doctor knows replaced by `<your secret key>` (for showing a
    /// request the user sent, which may hold one).
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.secret_texts() {
            out = out.replace(secret.as_str(), "<your secret key>");
        }
        out
    }

    /// The secrets' texts as they may appear in a request: as they are and percent-encoded.
    fn secret_texts(&self) -> Vec<String> {
        self.secrets()
            .filter_map(|s| std::str::from_utf8(s).ok())
            .filter(|s| s.trim().len() >= 8)
            .flat_map(|s| {
                let mut encoded = String::new();
                encode::percent_encode_into(s.trim(), &mut encoded);
                [s.trim().to_owned(), encoded]
            })
            .collect()
    }

    /// What checks this key pair's signatures: the HMAC secret, or the public key.
    fn any_verifier(&self) -> Option<Verifier> {
        match (&self.secret, &self.verifier) {
            (Some(secret), _) => Some(Verifier::Hmac(crate::sign::HmacSigner::new(secret.expose()))),
            (None, v) => v.clone(),
        }
    }

    /// Every HMAC secret the doctor knows: this key pair's and the others'.
    fn secrets(&self) -> impl Iterator<Item = &[u8]> {
        self.secret
            .iter()
            .chain(self.others.iter().filter_map(|o| o.secret.as_ref()))
            .map(SecretBytes::expose)
    }

    fn key_kind(&self) -> Option<KeyKind> {
        match (&self.secret, &self.verifier) {
            (Some(_), _) => Some(KeyKind::Hmac),
            (None, Some(v)) => Some(v.kind()),
            (None, None) => None,
        }
    }
}

/// What Binance would answer: `code` 0 when it would accept the request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verdict {
    /// Binance's code, 0 for accepted. An answer without a Binance code (HTTP 404 for a path that
    /// does not exist or was retired) has the negated HTTP status, e.g. `-404`.
    pub code: i32,
    /// Binance's message, or a sentence for an accepted request.
    pub msg: String,
    /// The HTTP status Binance answers with (the WebSocket API's `status`).
    pub status: u16,
}

impl Verdict {
    fn not_found() -> Self {
        Verdict { code: -404, msg: "Not Found".to_owned(), status: 404 }
    }

    fn method_not_allowed() -> Self {
        Verdict { code: -405, msg: "Method Not Allowed".to_owned(), status: 405 }
    }

    /// What Binance answers to a slip of the code.
    fn of_slip(s: &SourceSlip) -> Self {
        s.verdict.clone().unwrap_or_else(|| Verdict::rejected(&s.error))
    }

    fn accepted(msg: &str) -> Self {
        Verdict { code: 0, msg: msg.to_owned(), status: 200 }
    }

    fn rejected(error: &ApiError) -> Self {
        Verdict { code: error.code.get(), msg: error.msg.clone(), status: error.http_status }
    }

    /// True when Binance would accept the request.
    pub fn is_accepted(&self) -> bool {
        self.code == 0
    }
}

/// The verdict and the findings, most certain first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnosis {
    /// What Binance would answer.
    pub verdict: Verdict,
    /// What is wrong, most certain first.
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// The JSON form: `{"verdict":{"code","msg","status"},"findings":[{"cause","title","evidence","fix","certainty"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The verdict as an [`ApiError`], or `None` when Binance would accept the request.
    pub fn error(&self) -> Option<ApiError> {
        (self.verdict.code != 0)
            .then(|| ApiError::with_msg(ErrorCode(self.verdict.code), self.verdict.msg.clone()))
    }

    /// This diagnosis beside the answer the request got (a capture's, the sandbox's journal): an
    /// error answer it did not predict is named first (`answer-unexplained`: what the request does
    /// not show, such as the symbol's filters, the balance or the key's permissions) and becomes the
    /// verdict. It never says "will accept" beside an answer that says otherwise.
    ///
    /// ```
    /// use mbx_core::diagnose::{Answered, Cause, Context, RequestRecord, diagnose};
    /// let req = RequestRecord::from_http("GET /api/v3/ping HTTP/1.1\r\n\r\n").unwrap();
    /// let answered = Answered::read(400, r#"{"code":-1013,"msg":"Filter failure: LOT_SIZE"}"#);
    /// let d = diagnose(&req, &Context::default()).with_answer(&answered);
    /// assert_eq!((d.verdict.code, d.findings[0].cause), (-1013, Cause::AnswerUnexplained));
    /// assert_eq!(d.verdict.msg, "Filter failure: LOT_SIZE");
    /// ```
    pub fn with_answer(mut self, answered: &Answered) -> Diagnosis {
        // HTTP 451 (its body's code is 0): Binance turned the request away for where it came
        // from, before reading it; what else the diagnosis found matters once it runs elsewhere.
        let msg = answered.msg.as_deref().unwrap_or_default();
        if answered.restricted() {
            self.verdict = Verdict { code: -451, msg: msg.to_owned(), status: 451 };
            self.findings.insert(
                0,
                Finding::new(
                    Cause::LocationRestricted,
                    Certainty::Certain,
                    "Binance turned the request away for where it came from (HTTP 451, a restricted location): nothing in the request changes that",
                    format!("the answer: HTTP 451 {}", clip(msg, 120)),
                    "Run the program from a place Binance serves: its terms' 'Eligibility' section lists the restricted ones, the United States among them (Binance.US serves there), and cloud regions in them count (AWS us-east-1, Vercel's iad1, GCP us-central1). A VPN or proxy out of a restricted place breaks those terms.",
                ),
            );
            return self;
        }
        let Some(code) = answered.code.and_then(|c| i32::try_from(c).ok()).filter(|&c| c < 0) else {
            return self;
        };
        if self.verdict.code != 0 {
            return self;
        }
        // The key malformed; unknown there, without the permission or the IP; the timestamp out
        // of the window by Binance's clock (the doctor's, or the log's, said it was in): what to
        // check.
        if [ErrorCode::REJECTED_MBX_KEY, ErrorCode::BAD_API_KEY_FMT, ErrorCode::INVALID_TIMESTAMP]
            .iter()
            .any(|c| c.get() == code)
        {
            let alone = from_answer_alone(answered);
            self.findings.splice(0..0, alone.findings);
            self.verdict = alone.verdict;
            return self;
        }
        let error = answered.error(code);
        // After a value the request certainly holds wrong (a decimal comma at a path the table
        // does not judge): that is what the answer most likely is about.
        let at = self
            .findings
            .iter()
            .take_while(|f| f.certainty == Certainty::Certain && f.cause == Cause::ParamMalformed)
            .count();
        self.findings.insert(
            at,
            Finding::new(
                Cause::AnswerUnexplained,
                Certainty::Likely,
                {
                    let name = error.code.name().map(|n| format!(" {n}")).unwrap_or_default();
                    match outside_reason(code, answered.msg.as_deref().unwrap_or_default()) {
                        Some(reason) => format!(
                            "Binance answered {code}{name}: {reason}; nothing in the request's form explains it"
                        ),
                        None => format!(
                            "Binance answered {code}{name}, which nothing in the request's form explains: it depends on what the request does not show (the symbol's filters, the account's balance, open orders or limits, the key's permissions)"
                        ),
                    }
                },
                {
                    // A program's print of the answer may not show its status.
                    let status = answered.status_prefix();
                    match &answered.msg {
                        Some(msg) => format!("the answer: {status}{code} {}", clip(msg, 200)),
                        None => format!("the answer: {status}{{\"code\":{code}}}"),
                    }
                },
                error.fix().unwrap_or(
                    "Read the answer's msg: it names the rule; GET /api/v3/exchangeInfo gives the symbol's filters.",
                ),
            ),
        );
        self.verdict = Verdict::rejected(&error);
        self
    }

    /// True when any finding has this cause.
    pub fn has(&self, cause: Cause) -> bool {
        self.findings.iter().any(|f| f.cause == cause)
    }
}

/// What an error answer to a well-formed request says about the world outside it, in a few words
/// (the title of its `answer-unexplained` finding): the filter a `-1013` names, the account's
/// state, the symbol, the order, the limits.
fn outside_reason(code: i32, msg: &str) -> Option<String> {
    let filter = msg.strip_prefix("Filter failure: ").map(str::trim);
    Some(match (code, filter) {
        (-1013, Some("LOT_SIZE" | "MARKET_LOT_SIZE")) => {
            "the quantity breaks the symbol's LOT_SIZE filter (not a multiple of stepSize, or below minQty or above maxQty, as exchangeInfo lists them)".into()
        }
        (-1013, Some("PRICE_FILTER")) => {
            "the price breaks the symbol's PRICE_FILTER (not a multiple of tickSize, or out of minPrice..maxPrice)".into()
        }
        (-1013, Some("NOTIONAL" | "MIN_NOTIONAL")) => {
            "price x quantity (the order's value) is below the symbol's minimum notional, or above its maximum".into()
        }
        (-1013, Some(f @ ("PERCENT_PRICE" | "PERCENT_PRICE_BY_SIDE"))) => {
            format!("the price is too far from the symbol's average price ({f})")
        }
        (-1013, Some(f)) => format!("the order breaks the symbol's {f} filter, which exchangeInfo lists"),
        (-2010, _) if msg.to_ascii_lowercase().contains("balance") => {
            "the account's free balance of the asset the order spends is too small (the Spot wallet's; funds in Funding or locked in open orders do not count)".into()
        }
        (-2010, _) if msg.to_ascii_lowercase().contains("duplicate") => {
            "an order with this newClientOrderId is still open: client order ids must be unique among open orders".into()
        }
        (-2010, _) => format!("the matching engine refused the order ({msg})"),
        (-1121, _) => "the symbol is not one this venue lists (spelling, quote asset, or a testnet without it)".into(),
        (-2011, _) => "no open order matches: it was filled, cancelled or expired, or the id is another symbol's".into(),
        (-2013, _) => "no order with that id exists for this symbol (or it was archived)".into(),
        (-2026, _) => "the order is archived: it ended long enough ago to be moved out of the live history".into(),
        (-1003, _) if msg.contains("banned") => "the IP is banned for a while after going on past 429 answers".into(),
        (-1003, _) => "the request weight or rate limit of the IP was exceeded (HTTP 429)".into(),
        (-1015, _) => "too many new orders in the interval (the account's order rate limit)".into(),
        // A parameter's problem Binance names (`Mandatory parameter 'timeInForce' was not sent`).
        (-1106..=-1100 | -1111 | -1116 | -1117 | -1120 | -1128, _)
            if msg.contains('\'') =>
        {
            msg.trim_end_matches('.').to_owned()
        }
        _ => return None,
    })
}

/// The finding for a `-1022` Binance gave to a request whose signature verifies with the key
/// given (a REST request or a WebSocket API frame): Binance holds another key for this API key.
fn registered_other(kind: KeyKind) -> Finding {
    let (title, fix) = match kind {
        KeyKind::Hmac => (
            "Binance answered -1022, but the signature verifies with the secret given here: Binance holds another secret for this API key",
            "Use the secret issued with this API key (API Management shows it once, at creation; a key re-created has a new one), or send the API key whose secret this is; check that the program reads the same secret as you gave the doctor.",
        ),
        KeyKind::Ed25519 | KeyKind::Rsa => (
            "Binance answered -1022, but the signature verifies with the public key given here: the API key was registered with another public key",
            "Send the API key Binance issued for this key pair (API Management lists each key with its public key), or register this public key; a key pair generated twice signs with the second private key while Binance holds the first public key.",
        ),
    };
    Finding::new(
        Cause::KeyRegisteredOther,
        Certain,
        title,
        format!(
            "the capture's answer: {{\"code\":-1022}}; the signature verifies with the {} key given",
            kind.as_str()
        ),
        fix,
    )
}

/// A WebSocket API frame's diagnosis beside Binance's answer to it: a `-1022` to a frame whose
/// signature verifies with the key given names the key Binance holds; else as for REST.
fn ws_beside_answer(d: Diagnosis, answered: &Answered, ctx: &Context) -> Diagnosis {
    // A frame judged as sent on a logged-on session, refused for the apiKey or signature the
    // session would have supplied: the connection it went on was not logged on (a reconnect opens
    // a new one, which needs session.logon again).
    let msg = answered.msg.as_deref().unwrap_or_default();
    if d.verdict.code == 0
        && answered.code == Some(i64::from(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED.get()))
        && (msg.contains("'apiKey'") || msg.contains("'signature'"))
    {
        let error = crate::ApiError::with_msg(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, msg);
        let finding = Finding::new(
            Cause::SessionNotLoggedOn,
            Certain,
            "Binance wanted the apiKey and signature a logged-on session supplies: the connection this frame went on was not logged on (a reconnect, or another connection of the program, needs its own session.logon)",
            format!("the answer: -1102 {}", clip(msg, 120)),
            "Send session.logon again after every reconnect, before the requests that rely on it (or sign each request with apiKey, timestamp and signature).",
        );
        return Diagnosis { verdict: Verdict::rejected(&error), findings: vec![finding] };
    }
    if d.verdict.code == 0
        && answered.code == Some(i64::from(ErrorCode::INVALID_SIGNATURE.get()))
        && let Some(kind) = ctx.key_kind()
    {
        let error = crate::ApiError::new(ErrorCode::INVALID_SIGNATURE);
        let mut findings = vec![registered_other(kind)];
        findings.extend(d.findings);
        return Diagnosis { verdict: Verdict::rejected(&error), findings };
    }
    beside_answer(d, answered).with_answer(answered)
}

/// The API key a request read from a log without headers is taken to have sent, when the user's
/// own is not known: well formed, and no one's.
pub(super) const UNSHOWN_KEY: &str = "KeyNotShownInTheLogTakenAsSentAndWellFormedByTheDoctor0000000000";

/// What to do about `-2015` to a request whose form checks out: the key's permissions, IP list or
/// environment.
const KEY_PERMISSION_FIX: &str = "In API Management: check that the key still exists; enable Spot & Margin Trading for order endpoints (keys can only read by default); if the key is restricted to IPs, add the address this program runs from; a testnet or demo key works only there (testnet.binance.vision, demo-api.binance.com).";

/// The message of an accepted request whose signature was checked.
pub const ACCEPTED: &str = "Binance will accept this.";
/// The verdict's message for a request the text shows Binance accepted, without its parameters.
pub const ANSWERED_SUCCESS: &str = "Binance accepted this: the text shows its success answer (the request's parameters are not shown, so nothing else was checked).";
/// The message of a request with no problem found, whose signature could not be checked.
pub const ACCEPTED_UNCHECKED: &str =
    "Binance will accept this if the signature matches (no key was given, so the signature was not checked).";

struct Doctor<'a> {
    req: &'a RequestRecord,
    ctx: &'a Context,
    findings: Vec<Finding>,
}

impl Doctor<'_> {
    fn find(
        &mut self,
        cause: Cause,
        certainty: Certainty,
        title: impl Into<String>,
        evidence: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.findings.push(Finding::new(cause, certainty, title, evidence, fix));
    }

    /// Whether a finding says the parameters were not read as parameters at all (a JSON body, a
    /// body of another content type, a payload encoded as a whole), or is one of `also`: what
    /// such a request lacks follows from it and is not a finding of its own.
    fn unread_as_params(&self, also: &[Cause]) -> bool {
        self.findings.iter().any(|f| {
            matches!(
                f.cause,
                Cause::JsonBody | Cause::BodyNotForm | Cause::BodyMultipart | Cause::PayloadEncodedWhole
            ) || also.contains(&f.cause)
        })
    }
}

/// Diagnoses `req`.
pub fn diagnose(req: &RequestRecord, ctx: &Context) -> Diagnosis {
    let d = diagnose_request(req, ctx);
    match &req.answered {
        Some(answered) => beside_answer(d, answered),
        None => d,
    }
}

/// `d` beside Binance's answer to its request, shown in the text. A `-2014` or `-2015` (the key
/// malformed; unknown there, or without the permission or the IP) is checked before the timestamp
/// and the signature, and a `-1021` (the timestamp against Binance's clock when the request
/// arrived, which the doctor's clock does not show) before the signature: what the request's later
/// stages would get is not why it was refused, and the answer's explanation comes first.
pub(super) fn beside_answer(d: Diagnosis, answered: &Answered) -> Diagnosis {
    let key_refused = answered.code == Some(-2015) || answered.code == Some(-2014);
    let signature = ErrorCode::INVALID_SIGNATURE.get();
    let timing = ErrorCode::INVALID_TIMESTAMP.get();
    let later = if key_refused {
        [signature, timing].contains(&d.verdict.code)
    } else {
        answered.code == Some(i64::from(timing)) && d.verdict.code == signature
    };
    if later {
        let mut alone = from_answer_alone(answered);
        alone.findings.extend(d.findings.into_iter().map(|mut f| {
            f.certainty = Likely;
            f
        }));
        return alone;
    }
    // An answer Binance gives after it verified the signature (the matching engine's, a filter's,
    // an order not found): the signature passed there, whatever the key given here says of it.
    let after_signature = [
        ErrorCode::NEW_ORDER_REJECTED,
        ErrorCode::CANCEL_REJECTED,
        ErrorCode::NO_SUCH_ORDER,
        ErrorCode::ORDER_CANCEL_REPLACE_PARTIALLY_FAILED,
        ErrorCode::ORDER_CANCEL_REPLACE_FAILED,
        ErrorCode::ORDER_ARCHIVED,
        ErrorCode::INVALID_MESSAGE,
    ]
    .map(|c| i64::from(c.get()));
    if d.verdict.code != 0
        && !after_signature.contains(&i64::from(d.verdict.code))
        && let Some(code) = answered.code.filter(|c| after_signature.contains(c))
    {
        let mut explained =
            Diagnosis { verdict: Verdict::accepted(ACCEPTED_UNCHECKED), findings: Vec::new() }
                .with_answer(answered);
        // Anything else found came before that stage, which the request passed there: the text
        // does not show it as sent (a payload printed before its signature was appended).
        if d.verdict.code != signature {
            explained.findings.extend(d.findings.into_iter().map(|mut f| {
                f.certainty = Likely;
                f
            }));
            return explained;
        }
        explained.findings.push(Finding::new(
            Cause::KeyRegisteredOther,
            Likely,
            format!(
                "Binance passed the signature (it answers {code} only after checking it): the secret given here is not the one Binance holds for this API key, so what this check says of the signature is about that secret, not the request"
            ),
            format!("the answer: {code}; the signature does not verify with the key given here"),
            "Give the doctor the secret the program signs with (the one issued with this API key) to have the signature checked against it; the answer's own reason is above.",
        ));
        return explained;
    }
    // Another refusal than the one this check predicts (Binance's rules when the text was
    // written, or what the text does not show): Binance's answer is what happened and is the
    // verdict; what the check found stays, Likely, before what the answer alone says.
    // (Not an answer about the server or the rate, 5xx and 429/418: those say nothing of the form.)
    let about_the_request = |c: i64| {
        i32::try_from(c)
            .ok()
            .and_then(|c| ErrorCode::from(c).entry())
            .is_some_and(|e| (400..500).contains(&e.http_status) && ![418, 429].contains(&e.http_status))
            && !(answered.status >= 500 || [418, 429].contains(&answered.status))
    };
    if d.verdict.code != 0
        && answered.code.is_some_and(|c| c < 0 && c != i64::from(d.verdict.code) && about_the_request(c))
    {
        let alone = from_answer_alone(answered);
        let mut findings: Vec<Finding> = d
            .findings
            .into_iter()
            .map(|mut f| {
                f.certainty = Likely;
                f
            })
            .collect();
        for f in alone.findings {
            if !findings.iter().any(|mine| mine.cause == f.cause) {
                findings.push(f);
            }
        }
        return Diagnosis { verdict: alone.verdict, findings };
    }
    d
}

fn diagnose_request(req: &RequestRecord, ctx: &Context) -> Diagnosis {
    // A text that shows the program's code but not what it signed (a forum post: the code and
    // Binance's error): the slips the code shows stand for the findings a request would give.
    if (!req.source.is_empty() || req.code_signs) && !req.shows_signed() {
        let shown = RequestRecord { source: Vec::new(), code_signs: false, ..req.clone() };
        let answered = req.answered.as_ref().or(req.prose_answer.as_ref());
        return with_source(diagnose(&shown, ctx), &req.source, answered);
    }
    // A log of the URL and Binance's success answer, without the parameters (a response message
    // printed after the request went through): nothing to refuse.
    if (req.key_unshown || req.body_unshown)
        && req.query.is_empty()
        && req.body.trim().is_empty()
        && req.answered.as_ref().is_some_and(|a| a.code.is_none() && (200..300).contains(&a.status))
    {
        return Diagnosis { verdict: Verdict::accepted(ANSWERED_SUCCESS), findings: Vec::new() };
    }
    // A log of the URL and Binance's answer but not the parameters: the answer is what there is
    // to explain.
    if req.params_unshown()
        && let Some(answered) = &req.answered
    {
        let mut d = from_answer_alone(answered);
        // A body Binance does not read, by the type the request names (its parameters unshown,
        // and Binance saying it got none): that is why.
        let content_type = req.header("content-type").unwrap_or_default().to_ascii_lowercase();
        let unread = if content_type.contains("json") {
            Some((
                Cause::JsonBody,
                "the request's Content-Type is JSON: its parameters went as a JSON body, which Binance does not read",
                JSON_BODY_FIX,
            ))
        } else if content_type.starts_with("multipart/") {
            Some((
                Cause::BodyMultipart,
                "the request's Content-Type is multipart/form-data: its parameters went as parts, which Binance does not read",
                MULTIPART_FIX,
            ))
        } else {
            None
        };
        if let Some((cause, title, fix)) = unread
            && answered.code == Some(-1102)
            && !matches!(req.method.as_str(), "GET" | "DELETE")
        {
            let evidence = format!(
                "Content-Type: {}; Binance answered -1102",
                req.header("content-type").unwrap_or_default()
            );
            d.findings.insert(0, Finding::new(cause, Likely, title, evidence, fix));
        }
        // A GET (or DELETE) with nothing in its URL's query, and Binance missing a parameter: the
        // parameters went elsewhere, a body most often (undici's `request`, axios' `data`),
        // which Binance does not read on these methods.
        // (Not where the method is guessed and a body is possible: httpx's error quotes the URL
        // alone.)
        if answered.code == Some(-1102)
            && matches!(req.method.as_str(), "GET" | "DELETE")
            && !req.body_unshown
        {
            // Worth checking, after the answer: the log may as well show a request sent bare.
            d.findings.push(
                Finding::new(
                    Cause::GetWithBody,
                    Possible,
                    format!("the {} went without a query string, so Binance got none of its parameters: if your code gives them as a body (or in request options it does not send), Binance does not read a {}'s body", req.method, req.method),
                    format!("{} {} (no query); Binance answered -1102", req.method, req.path),
                    "Put every parameter of a GET or DELETE in the URL's query string, the signature last: GET /api/v3/openOrders?timestamp=...&signature=...",
                ),
            );
        }
        return d;
    }
    // A log that shows no headers: the key is taken as sent (the user's own when known, else a
    // well-formed stand-in no finding names), so that the rest is judged.
    if req.key_unshown && req.header("x-mbx-apikey").is_none() {
        let mut shown = req.clone();
        shown.key_unshown = false;
        shown
            .headers
            .push(("X-MBX-APIKEY".into(), ctx.api_key.clone().unwrap_or_else(|| UNSHOWN_KEY.into())));
        let mut d = diagnose(&shown, ctx);
        // The program's code sends the key otherwise (a header named `APIKEY`): that slip, when
        // Binance's answer shown (if any) is the one it gets.
        let answer = req.answered.as_ref().and_then(|a| a.code);
        if let Some(s) = req.source.iter().find(|s| {
            matches!(
                s.cause,
                Cause::KeyHeaderMisspelled
                    | Cause::KeyInAuthorizationHeader
                    | Cause::KeyInHeaderValue
                    | Cause::SecretAsApiKey
                    | Cause::KeyOtherEnvironment
            ) && answer.is_none_or(|c| c == i64::from(s.error.code.get()))
        }) {
            let slip = Finding::new(
                s.cause,
                Likely,
                s.title.clone(),
                format!("your code: {}", s.line),
                s.fix.clone(),
            );
            d.findings.insert(0, slip);
            d.verdict = Verdict::of_slip(s);
        }
        return d;
    }
    // A Content-Length shorter than the body: Binance reads that many bytes as the body, and the
    // diagnosis is of what it reads, with the cut first.
    if let Some((n, tail)) = short_content_length(req) {
        let mut read = req.clone();
        read.body.truncate(n);
        let mut d = diagnose_read(&read, ctx);
        let finding = Finding::new(
            Cause::ContentLengthShort,
            Certain,
            format!(
                "the Content-Length sent ({n}) is shorter than the body ({} bytes): Binance reads {n} bytes and never the rest",
                req.body.len()
            ),
            format!("Content-Length: {n}; unread: {}", clip(tail, 100)),
            "Set the Content-Length after the whole body is built, signature included (libcurl: CURLOPT_POSTFIELDSIZE, or leave it out; hand-written requests: the length of the final body in bytes), or let the HTTP client count it.",
        );
        d.findings
            .insert(0, conclude_one(finding, ctx, &req.headers_named("x-mbx-apikey").collect::<Vec<_>>()));
        return d;
    }
    diagnose_read(req, ctx)
}

/// The diagnosis of a text that holds Binance's error answer but no request (a bot's log, an
/// exception's message: `binance {"code":-2015,...}`): the last error answer in it, explained as
/// [`RequestRecord::params_unshown`]'s are. `None` when it holds no error answer.
///
/// ```
/// use mbx_core::diagnose::{Cause, diagnose_answer_alone};
/// let log = r#"WARNING - _get_balances() returned exception: "binance {"code":-2015,"msg":"Invalid API-key, IP, or permissions for action, request ip: 203.0.113.45"}""#;
/// let d = diagnose_answer_alone(log).unwrap();
/// assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::KeyPermission));
/// assert!(d.findings[0].fix.contains("203.0.113.45"));
/// assert!(diagnose_answer_alone("nothing here").is_none());
/// ```
pub fn diagnose_answer_alone(text: &str) -> Option<Diagnosis> {
    let found = |text: &str| {
        text.lines()
            .rev()
            .filter_map(request::answer_line)
            .find(|a| a.restricted() || a.code.is_some_and(|c| c < 0 && i32::try_from(c).is_ok()))
    };
    let answered = match found(text) {
        // An answer printed as an object over several lines (Node.js's `{\n  code: -1102,\n  msg:
        // "..."\n}`): its message is on a line of its own, read with the objects joined.
        Some(a) if a.msg.is_none() => found(&joined_objects(text)).filter(|j| j.code == a.code).unwrap_or(a),
        Some(a) => a,
        // Else Binance's message without its code (a library's `err.message`, ccxt's
        // `InsufficientFunds: binance Account has insufficient balance ...`).
        None => found(&joined_objects(text))
            .or_else(|| request::answer_in_prose(text))
            .or_else(|| message_alone(text))
            .or_else(|| template_alone(text))
            .or_else(|| not_found_alone(text))
            .or_else(|| method_not_allowed_alone(text))?,
    };
    let mut d = from_answer_alone(&answered);
    ws_timestamp_missing(&mut d, &answered, text);
    // A -1022 beside a parameter value that percent-encoding changes: the usual cause.
    if let Some(first) = d.findings.first_mut().filter(|f| f.cause == Cause::SignatureMismatch)
        && let Some(value) = value_needing_encoding(text)
    {
        *first = Finding::new(
            Cause::SignedOtherEncoding,
            Likely,
            "a parameter's value holds characters that percent-encoding changes (a space, '@', ':', non-ASCII letters): a -1022 with such a value, and not without, comes from signing it in one form and sending it in another",
            format!("{} (the text's value: {})", first.evidence, clip(&value, 60)),
            "Sign exactly the text sent: percent-encode each value once (UTF-8, RFC 3986: a space as %20) when building the query string or body, sign that encoded string, and send it unchanged (a library that re-encodes or signs the unencoded values sends another text than it signed). Give the doctor the request itself (curl -v, a DEBUG log) to see which side differs.",
        );
    }
    Some(d)
}

/// A WebSocket API answer naming timestamp as missing, which nothing else explains: a frame has no
/// body it could have gone in (a REST request's may), so the request carried none, as a logged-on
/// session's requests often do.
fn ws_timestamp_missing(d: &mut Diagnosis, answered: &Answered, text: &str) {
    let missing = ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["timestamp"]).msg;
    if answered.msg.as_deref() == Some(missing.as_str())
        && !ws::ws_answers_in_log(text).is_empty()
        && let Some(first) = d.findings.first_mut().filter(|f| f.cause == Cause::AnswerUnexplained)
    {
        *first = Finding::new(
            Cause::TimestampMissing,
            Likely,
            "Binance got no timestamp in the frame's params: every signed request needs one, and so does every request of a logged-on session (account.status, order.place), which needs no signature",
            first.evidence.clone(),
            "Add timestamp (the current time in milliseconds) to the params of each request that takes one, on a logged-on session too.",
        );
    }
}

/// The identifier `text` ends with (letters, digits and `_` of ASCII), empty when it ends with
/// something else; a multi-byte character before it is never cut.
pub(super) fn identifier_before(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &text[start..]
}

/// Whether `text` holds key material (a PEM's armour, or a run of 32 or more key-like characters).
fn value_of_credential(text: &str) -> bool {
    let keylike = |c: char| c.is_ascii_alphanumeric() || "+/=_-".contains(c);
    text.contains("-----") || text.split(|c: char| !keylike(c)).any(|run| run.len() >= 32)
}

/// A parameter's value in `text` that percent-encoding changes: quoted after a name and `:` or
/// `=` (`'email': 'a@b'`, `Name = "Sent from ..."`), or a word mixing non-ASCII letters with a
/// symbol's (`币安人生USDT`), or non-ASCII letters between quotes or backticks.
fn value_needing_encoding(text: &str) -> Option<String> {
    const NOT_PARAMS: &[&str] = &[
        "msg",
        "message",
        "error",
        "url",
        "baseurl",
        "uri",
        "host",
        "apikey",
        "api_key",
        "secret",
        "key",
        "path",
        "endpoint",
        "user-agent",
        "content-type",
        "accept",
        "title",
        "description",
        "version",
        "body",
        "text",
        "date",
        "time",
        "headers",
        "note",
        "comment",
        "label",
        "signature",
        "data",
        "hint",
        "reason",
        "detail",
        "details",
        "exception",
        "warning",
        "info",
        "response",
        "result",
        "status",
        "level",
        "log",
    ];
    // A value, not a sentence of a message (`reason: "Signature for this request is not valid"`).
    let sentence = |v: &str| {
        let lower = v.to_ascii_lowercase();
        v.split_whitespace().count() > 6
            || ["signature", "request", "valid", "error"].iter().any(|w| lower.contains(w))
    };
    let changes = |v: &str| !v.is_empty() && !crate::encode::is_clean(v);
    for line in text.lines() {
        for (at, _) in line.match_indices(['=', ':']) {
            let before = line[..at].trim_end().trim_end_matches(['"', '\'']);
            let name = identifier_before(before);
            let after = line[at + 1..].trim_start();
            let Some(quote) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) else { continue };
            let Some(end) = after[1..].find(quote) else { continue };
            let value = &after[1..1 + end];
            // (Never a credential's value: it is shown in the finding.)
            let lower_name = name.to_ascii_lowercase();
            let credential = ["secret", "key", "pass", "token", "private", "pem", "sign", "auth"]
                .iter()
                .any(|w| lower_name.contains(w));
            let plausible = (2..=30).contains(&name.len())
                && name.starts_with(|c: char| c.is_ascii_alphabetic())
                && !credential
                && !value_of_credential(after)
                && !NOT_PARAMS.contains(&lower_name.as_str());
            if plausible && value.len() <= 100 && changes(value) && !value.contains("://") && !sentence(value)
            {
                return Some(value.to_owned());
            }
        }
    }
    // Non-ASCII letters in a symbol (`币安人生USDT`) or quoted.
    text.split(|c: char| c.is_whitespace() || ",;()".contains(c)).find_map(|word| {
        let quoted =
            word.len() > 2 && (word.starts_with(['`', '\'', '"']) && word.ends_with(['`', '\'', '"']));
        let inner = word.trim_matches(['`', '\'', '"']);
        let letters = inner.chars().any(|c| !c.is_ascii() && c.is_alphabetic());
        let symbol = inner.chars().filter(char::is_ascii_uppercase).count() >= 3;
        (letters && (symbol || quoted)).then(|| inner.to_owned())
    })
}

/// Binance's message that names a parameter or a limit (`Mandatory parameter 'timestamp' was not
/// sent, was empty/null, or malformed.`), quoted in the text: the catalog's template whose fixed
/// parts appear in order, each gap a word, the last one the text quotes.
fn template_alone(text: &str) -> Option<request::Answered> {
    crate::error::catalog::messages()
        .filter(|(_, m)| m.contains("%s") && m.len() >= 20)
        .filter_map(|(code, template)| {
            let parts: Vec<&str> = template.split("%s").collect();
            text.match_indices(parts[0])
                .filter_map(|(at, _)| {
                    let mut end = at + parts[0].len();
                    for part in &parts[1..] {
                        let gap = text[end..].find(part)?;
                        // A parameter's name or a number: a short word, no space.
                        if gap > 40 || text[end..end + gap].contains(char::is_whitespace) {
                            return None;
                        }
                        end += gap + part.len();
                    }
                    Some((at, code, text[at..end].to_owned()))
                })
                .last()
        })
        .max_by_key(|(at, _, _)| *at)
        .map(|(_, code, msg)| request::Answered { status: 0, code: Some(i64::from(code)), msg: Some(msg) })
}

/// A 404 as a library reports it without the request (binance-connector's `(404, None, '', {...})`,
/// binance-sdk-spot's `NotFoundError`, requests' `404 Client Error: Not Found`, python-binance's
/// `Invalid JSON error message from Binance`, which it says of a body that is no JSON: an empty
/// 404's).
pub(super) fn not_found_alone(text: &str) -> Option<request::Answered> {
    let tuple = text.lines().any(|l| l.trim_start().starts_with("(404, None"));
    let own = ["NotFoundError", "404 Not Found", "Invalid JSON error message from Binance"];
    if tuple {
        Some(request::Answered { status: 404, code: None, msg: None })
    } else {
        status_alone(text, 404, &own)
    }
}

/// A 405 as a library reports it without the request (Python's urllib: `HTTP Error 405: Method
/// Not Allowed`; requests: `405 Client Error`; Java's HttpURLConnection: `Server returned HTTP
/// response code: 405`).
fn method_not_allowed_alone(text: &str) -> Option<request::Answered> {
    status_alone(text, 405, &["405 Method Not Allowed"])
}

/// An HTTP `status` without Binance's JSON, as the common libraries word it (urllib's `HTTP Error
/// 404`, requests' `404 Client Error`, axios' `status code 404`, Java's `response code: 404`) or as
/// `own` words say.
fn status_alone(text: &str, status: u16, own: &[&str]) -> Option<request::Answered> {
    let worded = [
        format!("HTTP Error {status}"),
        format!("{status} Client Error"),
        format!("status code {status}"),
        format!("response code: {status}"),
    ];
    let found = worded.iter().any(|w| text.contains(w.as_str())) || own.iter().any(|w| text.contains(w));
    found.then_some(request::Answered { status, code: None, msg: None })
}

/// Binance's answer as a short message printed on a line of its own (`console.error(err.message)`:
/// `Unknown order sent.`, `Invalid symbol.`), perhaps after an exception's name (`Error: ...`): a
/// message of the catalog, whole, on one of the text's last lines.
fn message_alone(text: &str) -> Option<request::Answered> {
    let preferred = request::engine_code(text);
    text.lines().rev().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("```")).take(3).find_map(
        |line| {
            let line = line.rsplit_once(": ").map_or(line, |(_, m)| m).trim();
            crate::error::catalog::messages()
                .filter(|(_, m)| !m.contains('%') && *m == line)
                // A message several codes share (the matching engine's): the one the text's call is.
                .max_by_key(|(code, _)| *code == preferred)
                .map(|(code, m)| request::Answered {
                    status: 0,
                    code: Some(i64::from(code)),
                    msg: Some(m.to_owned()),
                })
        },
    )
}

/// `text` with each object printed over several lines (a line that ends with `{`, up to the line
/// that closes it) joined into one line.
fn joined_objects(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for line in text.lines() {
        let t = line.trim();
        if depth > 0 {
            out.push(' ');
            out.push_str(t);
            depth = (depth + t.matches('{').count()).saturating_sub(t.matches('}').count());
            if depth == 0 {
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        if t.ends_with('{') {
            depth = 1;
        } else {
            out.push('\n');
        }
    }
    out
}

/// The diagnosis of a text that shows a program's code but no request it sent (a forum post, an
/// article): the slips its code shows ([`SourceSlip`]), each Likely, and the verdict from Binance's
/// answer in the text, else from the first slip. `None` when the text holds no code that signs.
///
/// ```
/// use mbx_core::diagnose::{Cause, diagnose_source_alone};
/// let post = "final String jsonString = jsonEncode(data);\nfinal mac = Hmac(sha256, key).convert(utf8.encode(jsonString));\nI get: Signature for this request is not valid.";
/// let d = diagnose_source_alone(post).unwrap();
/// assert_eq!((d.verdict.code, d.findings[0].cause), (-1022, Cause::SignedJson));
/// assert!(diagnose_source_alone("nothing here").is_none());
/// ```
pub fn diagnose_source_alone(text: &str) -> Option<Diagnosis> {
    source_diagnosis(text, source::read(text))
}

/// [`diagnose_source_alone`], with what `ctx` knows: code that writes the user's own secret (given
/// to the doctor) where the API key goes is found even when the names around it are right.
///
/// ```
/// use mbx_core::diagnose::{Cause, Context, diagnose_source};
/// let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
/// let ctx = Context::hmac(secret.into());
/// let post = format!("client = ccxt.binance({{'apiKey': '{secret}', 'secret': 'x'}})\nbinance {{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}}");
/// let d = diagnose_source(&post, &ctx).unwrap();
/// assert_eq!((d.verdict.code, d.findings[0].cause), (-2015, Cause::SecretAsApiKey));
/// ```
pub fn diagnose_source(text: &str, ctx: &Context) -> Option<Diagnosis> {
    let mut slips = source::read(text);
    let secrets: Vec<&[u8]> = ctx.secrets().collect();
    if !slips.iter().any(|s| s.cause == Cause::SecretAsApiKey)
        && let Some(slip) = source::secret_written_as_key(text, &secrets)
    {
        slips.insert(0, slip);
    }
    source_diagnosis(text, slips)
}

/// The diagnosis of a text from the slips its code shows.
fn source_diagnosis(text: &str, slips: Vec<SourceSlip>) -> Option<Diagnosis> {
    if slips.is_empty() && !source::builds_signed(text) {
        return None;
    }
    // Binance's error answers the text shows: the first one a slip explains (a logon's -1022,
    // before the -1002 of the subscription that needed it), else the last.
    let errors: Vec<Answered> =
        text.lines().filter_map(request::answer_line).filter(|a| a.code.is_some_and(|c| c < 0)).collect();
    let explained = errors.iter().find(|a| {
        let code = a.code.and_then(|c| i32::try_from(c).ok()).unwrap_or(0);
        slips.iter().any(|s| explains(s, code))
    });
    let answered = explained.or(errors.last()).cloned().or_else(|| request::answer_in_prose(text));
    // No slip, and an answer this reading does not take (a library's own print of Binance's
    // error): the answer alone says more than "accepted".
    if slips.is_empty() && answered.is_none() && diagnose_answer_alone(text).is_some() {
        return None;
    }
    // A success the output shows (`200 OK {...}`, an order's print with its orderId): whatever
    // the code could have done otherwise, this run was accepted.
    if answered.is_none() && request::success_shown(text) {
        return Some(Diagnosis { verdict: Verdict::accepted(ANSWERED_SUCCESS), findings: Vec::new() });
    }
    // Code that signs, with no slip: judged as accepted unless the text shows Binance's error.
    let verdict = slips.first().map_or_else(|| Verdict::accepted(ACCEPTED_UNCHECKED), Verdict::of_slip);
    let mut d = with_source(Diagnosis { verdict, findings: Vec::new() }, &slips, answered.as_ref());
    if let Some(a) = &answered {
        ws_timestamp_missing(&mut d, a, text);
    }
    // A -1022 that code without a slip gets: what is left is the secret (HMAC) or the key pair
    // (Ed25519, RSA) it signs with.
    if slips.is_empty()
        && let Some(f) = d.findings.iter_mut().find(|f| f.cause == Cause::SignatureMismatch)
    {
        let lower = text.to_ascii_lowercase();
        let asymmetric = ["ed25519", "eddsa", "rsa", "private_key", "privatekey", "private key", "pkcs"]
            .iter()
            .any(|k| lower.contains(k));
        if asymmetric {
            f.title = "the code shown makes none of the signing slips the doctor knows; what is left is the key pair: the private key it signs with is not the one whose public key was registered for this API key (another key pair's, a key regenerated), or the API key sent is another key's".to_owned();
            f.fix = "Check in API Management that this API key was created from the public key of the private key the program loads (register the public key again if unsure, and use the API key Binance then shows). To check the payload too, give the doctor the request itself (curl -v, a DEBUG log of the URL and body) with the key file (--key-file).".to_owned();
        } else {
            f.title = "the code shown makes none of the signing slips the doctor knows; what is left is the secret it signs with: not the one issued with this API key (the key pair regenerated, an old .env or config read), or read with a space or newline".to_owned();
            f.fix = "Copy the secret again from API Management for this very key (Binance shows it only once: if it is lost, create a new key pair and use both new values together); check what the program reads by printing its length and first four characters, never the whole secret. To check the payload too, give the doctor the request itself (curl -v, a DEBUG log of the URL and body).".to_owned();
        }
    }
    Some(d)
}

/// `d` with the slips of the program's code first (Likely), in place of the findings only the
/// request's own parameters could give (no timestamp, no signature, a mandatory parameter
/// missing: the code builds them); the verdict is Binance's answer when the text shows it, else
/// the first finding's.
fn with_source(mut d: Diagnosis, slips: &[SourceSlip], answered: Option<&Answered>) -> Diagnosis {
    // What Binance answered rules slips out: a success all of them (a branch of the code that did
    // not run), an error those that would have given another (a seconds timestamp is never ahead
    // of the server, nor answered -1102).
    let kept: Vec<SourceSlip>;
    let slips = match answered {
        Some(a) if a.code.is_none() && (200..300).contains(&a.status) => &[][..],
        Some(a) if let Some(code) = a.code.and_then(|c| i32::try_from(c).ok()).filter(|c| *c < 0) => {
            let missing_timestamp =
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["timestamp"]).msg;
            let no_seconds = a.timestamp_ahead() || a.msg.as_deref() == Some(&missing_timestamp);
            kept = slips
                .iter()
                // A request answered with Binance's code was routed: its method was right.
                .filter(|s| explains(s, code) || s.verdict.is_none() && !passed(s.error.code.get(), code))
                .filter(|s| !(no_seconds && s.cause == Cause::TimestampSeconds))
                .cloned()
                .collect();
            &kept[..]
        }
        _ => slips,
    };
    let unseen = [Cause::TimestampMissing, Cause::SignatureMissing, Cause::ParamMissing];
    d.findings.retain(|f| !unseen.contains(&f.cause) && !slips.iter().any(|s| s.cause == f.cause));
    // Before the request's own findings when those gave no verdict of their own; after them
    // otherwise (a key in an Authorization header is refused before any signature is read).
    let at = if unseen_verdict(&d.verdict) { 0 } else { d.findings.len() };
    let from_code = slips.iter().map(|s| {
        Finding::new(
            s.cause,
            Certainty::Likely,
            s.title.clone(),
            format!("your code: {}", s.line),
            s.fix.clone(),
        )
    });
    d.findings.splice(at..at, from_code);
    let answer = answered.and_then(|a| a.code).and_then(|c| i32::try_from(c).ok()).filter(|c| *c < 0);
    // Binance's answer that no slip of the code explains (a key's permissions, the clock, a
    // balance): explained as an answer alone is, after the request's own Certain findings.
    let explained_by_request =
        answer == Some(d.verdict.code) && d.findings.iter().any(|f| f.cause != Cause::AnswerUnexplained);
    if let Some(a) = answered
        .filter(|_| !explained_by_request && answer.is_some_and(|c| !slips.iter().any(|s| explains(s, c))))
    {
        let alone = from_answer_alone(a);
        let new: Vec<Finding> =
            alone.findings.into_iter().filter(|f| !d.findings.iter().any(|g| g.cause == f.cause)).collect();
        let at = d.findings.iter().take_while(|f| f.certainty == Certain).count();
        d.findings.splice(at..at, new);
    }
    // Binance's answer in the text: the slip that explains it first.
    if let Some(code) = answer
        && let Some(i) = slips.iter().position(|s| explains(s, code))
        && let Some(j) = d.findings.iter().position(|f| f.cause == slips[i].cause)
    {
        let f = d.findings.remove(j);
        d.findings.insert(0, f);
    }
    match (answer, answered) {
        (Some(code), Some(a)) => d.verdict = Verdict::rejected(&a.error(code)),
        _ if unseen_verdict(&d.verdict) => {
            d.verdict = match slips.first() {
                Some(s) => Verdict::of_slip(s),
                // Code that signs, with no slip found and no error shown: nothing to refuse.
                None if d.findings.is_empty() => Verdict::accepted(ACCEPTED_UNCHECKED),
                None => d.verdict.clone(),
            };
        }
        _ => {}
    }
    d
}

/// Whether a request Binance answered `answer` passed the check that gives `code` (an earlier
/// stage of [`accept::Stage`]; an answer from past every stage passed them all).
fn passed(code: i32, answer: i32) -> bool {
    match (accept::Stage::of_answer(code), accept::Stage::of_answer(answer)) {
        (Some(c), Some(a)) => c < a,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Whether a slip of the code explains Binance's answer `code` (a recvWindow above 60000 is
/// answered -1102 or, as older answers say, -1131).
fn explains(s: &SourceSlip, code: i32) -> bool {
    match &s.verdict {
        Some(v) => v.code == code,
        None => s.error.code.get() == code || (s.cause == Cause::RecvWindowTooLarge && code == -1131),
    }
}

/// Whether a verdict is one only the request's missing parameters gave (`-1102`), or none.
fn unseen_verdict(v: &Verdict) -> bool {
    v.code == 0 || v.code == ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED.get()
}

/// The diagnosis of a request whose parameters the text does not show, from Binance's answer to
/// it ([`RequestRecord::params_unshown`]): the answer is the verdict, and its usual causes the
/// finding, Likely (the request that would tell them apart is not shown).
/// What to change for a multipart body.
const MULTIPART_FIX: &str = "Send them as an application/x-www-form-urlencoded body (name=value&...) or in the query string, and sign exactly that text: \
     curl -d, not -F; in PHP, http_build_query($params) for CURLOPT_POSTFIELDS (an array is sent as multipart); \
     in JavaScript, URLSearchParams, not FormData; in Python requests, data=, not files=; in Postman, the x-www-form-urlencoded body, not form-data.";

/// What to change for a JSON body.
const JSON_BODY_FIX: &str = "Send the parameters as a query string or an application/x-www-form-urlencoded body (name=value&...), and sign exactly that text.";

fn from_answer_alone(answered: &Answered) -> Diagnosis {
    // A 404 without Binance's JSON: the URL is no endpoint (Binance answers a path it does not
    // serve with an empty 404).
    if answered.status == 404 && answered.code.is_none() {
        return Diagnosis {
            verdict: Verdict::not_found(),
            findings: vec![Finding::new(
                Cause::PathUnknown,
                Likely,
                "the server answered 404 Not Found, without Binance's JSON: the URL the request went to is not one of Binance's endpoints (a base URL with a path of its own, such as /sapi or /api/v1, or a path doubled)",
                "the answer: 404 Not Found, no {\"code\":...}",
                "Give the library Binance's address as it documents it (https://api.binance.com, its own default) and let it add the paths; spot endpoints are under /api/v3/.",
            )],
        };
    }
    // A 405 without Binance's JSON: the path is Binance's, the method is not one it takes there
    // (a library that posts whenever it is given data: Python's urllib.request.Request(url, data)).
    if answered.status == 405 && answered.code.is_none() {
        return Diagnosis {
            verdict: Verdict::method_not_allowed(),
            findings: vec![Finding::new(
                Cause::MethodWrong,
                Likely,
                "the server answered 405 Method Not Allowed, without Binance's JSON: the path is one of Binance's, but it does not take the method sent (a GET endpoint posted to, or the other way round)",
                "the answer: 405 Method Not Allowed, no {\"code\":...}",
                "Send the method the endpoint's documentation gives (GET for account and queries, POST to place, DELETE to cancel); a client that sends a body posts (urllib.request.Request(url, data=...) is a POST): put a GET's parameters in the URL.",
            )],
        };
    }
    if answered.restricted() {
        return Diagnosis { verdict: Verdict::accepted(ACCEPTED_UNCHECKED), findings: Vec::new() }
            .with_answer(answered);
    }
    let code = answered.code.and_then(|c| i32::try_from(c).ok()).unwrap_or_default();
    let error = answered.error(code);
    let evidence = match &answered.msg {
        Some(msg) => format!("the answer: {}{code} {}", answered.status_prefix(), clip(msg, 200)),
        None => format!("the answer: {}{{\"code\":{code}}}", answered.status_prefix()),
    };
    let msg = answered.msg.as_deref().unwrap_or_default().to_ascii_lowercase();
    // The parameter an illegal-characters answer names (`... in parameter 'newClientOrderId';
    // legal range is '...'`), and the range.
    let illegal = answered
        .msg
        .as_deref()
        .filter(|_| code == ErrorCode::ILLEGAL_CHARS.get())
        .and_then(|m| m.split_once("parameter '"))
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(name, rest)| {
            let range =
                rest.split_once("legal range is '").and_then(|(_, r)| r.rsplit_once('\'')).map(|(r, _)| r);
            (name.to_owned(), range.map(str::to_owned))
        });
    let (cause, title, fix): (Cause, String, String) = match code {
        -1021 if answered.timestamp_ahead() => (
            Cause::TimestampAhead,
            "the timestamp was ahead of Binance's clock by more than it allows (1 s): this machine's clock runs fast".into(),
            "Sync the clock (NTP: timedatectl set-ntp true, w32tm /resync on Windows), or take the offset from GET /api/v3/time and add it to every timestamp; the library's own time-sync option does the latter.".into(),
        ),
        -1021 => (
            Cause::TimestampTooOld,
            "the timestamp was older than recvWindow allows when Binance read it: this machine's clock runs slow, or the request waited (a queue, a retry that kept its first signature)".into(),
            "Sync the clock (NTP) or offset timestamps by GET /api/v3/time; sign each request, retries included, right before sending it; recvWindow 5000 is usually enough (at most 60000).".into(),
        ),
        -1022 => (
            Cause::SignatureMismatch,
            "Binance could not verify the signature; the text does not show the query string and body it was made over, so which mistake is not known".into(),
            "Give the doctor the whole request (curl -v, the program's DEBUG log of the URL and body, or a HAR) to have the payload checked. The usual causes: a secret other than the key's (or one read with a space or newline), parameters signed in another order or encoding than sent, a JSON body signed, a timestamp added after signing.".into(),
        ),
        // The message names the rule (`'recvWindow' contains unexpected value. Cannot be greater
        // than 60000.`; older answers -1131).
        -1102 | -1131 if msg.contains("recvwindow") && msg.contains(&max_recv_window_ms().to_string()) => (
            Cause::RecvWindowTooLarge,
            format!("Binance refused recvWindow: it is above {} ms, the most it takes", max_recv_window_ms()),
            format!(
                "Send recvWindow of at most {} (5000 is the default and usually enough), or leave it out; a larger window does not help a clock that is off: sync it instead.",
                max_recv_window_ms()
            ),
        ),
        -2014 => (
            Cause::KeyFormat,
            "Binance answered -2014: the API key it got is not one: empty (an unset variable), cut short, quoted, with white space or a line break, or the secret sent in its place; or not in an X-MBX-APIKEY header at all (sent as a URL parameter, in an Authorization header, or under another header name)".into(),
            "Print the key's length and first four characters where the program builds the header (64 letters and digits expected); send it only in the X-MBX-APIKEY header, exactly as API Management shows it.".into(),
        ),
        -2015 => (
            Cause::KeyPermission,
            "Binance answered -2015: the API key is unknown there (deleted, or another environment's), lacks this endpoint's permission, or your IP is not on its list".into(),
            // Binance names the address it saw (`..., request ip: 203.0.113.45`).
            match msg.split_once("request ip:").map(|(_, ip)| ip.trim().trim_end_matches(['"', '}', '.'])) {
                Some(ip) if !ip.is_empty() => format!(
                    "{KEY_PERMISSION_FIX} Binance saw the request come from {ip}: that is the address to allow if the key is restricted to IPs."
                ),
                _ => KEY_PERMISSION_FIX.into(),
            },
        ),
        // A mandatory parameter Binance names as not sent, other than those a request whose
        // parameters all went unread (a JSON or multipart body, a GET's body) is refused for
        // first (`symbol`, `timestamp`, `signature`): the others were read, and this one is
        // missing.
        -1102 if msg.starts_with("mandatory parameter '")
            && !["'symbol'", "'timestamp'", "'signature'"].iter().any(|n| msg.contains(n)) =>
        {
            let name = answered.msg.as_deref().and_then(|m| m.split('\'').nth(1)).unwrap_or_default().to_owned();
            (
                Cause::ParamMissing,
                format!("Binance got no {name}, which this request needs: the other parameters were read, so it was left out, left empty, or misspelled"),
                format!("Send {name} with a value, spelled and cased as the endpoint's documentation writes it."),
            )
        }
        // An order's terms: a parameter its type does not take, or an unknown side, type or time
        // in force (the message names which).
        -1106 | -1115 | -1116 | -1117 => (
            Cause::OrderTerms,
            format!("Binance answered {code}: {}", clip(answered.msg.as_deref().unwrap_or_default(), 120)),
            "Send the parameters the order's type takes, and no others (LIMIT: timeInForce, quantity, price; LIMIT_MAKER and MARKET: no timeInForce; STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT: also stopPrice), with side, type and timeInForce spelled as Binance's enums (upper case).".into(),
        ),
        // A second User Data Stream subscription of the account on the connection.
        -2035 => (
            Cause::SubscriptionActive,
            "Binance answered -2035: this account's User Data Stream is already subscribed on this connection (a subscription lasts as long as the connection: it needs no renewal, unlike the retired listenKey)".to_owned(),
            "Subscribe once per account and connection and keep the subscription; to start over, send userDataStream.unsubscribe first (session.subscriptions lists what is active).".into(),
        ),
        // More parameters sent than the endpoint reads (`read '8' parameter(s) but was sent
        // '9'`): one it does not take (misspelled, another endpoint's, or in another case).
        -1104 => (
            Cause::ParamNotRead,
            format!(
                "Binance did not read every parameter sent{}: one of them is not this endpoint's (a misspelled or wrongly cased name, another endpoint's parameter, an option the library passed through)",
                msg.split_once("read '")
                    .and_then(|(_, r)| r.split_once('\''))
                    .zip(msg.split_once("was sent '").and_then(|(_, r)| r.split_once('\'')))
                    .map(|((read, _), (sent, _))| format!(" (it read {read} of {sent})"))
                    .unwrap_or_default()
            ),
            "Send only the parameters the endpoint's documentation lists, spelled and cased as there; drop the extra one (a library's extra options go to its own settings, not the request).".into(),
        ),
        // Binance names the parameter whose value holds characters it does not take.
        _ if let Some((name, range)) = &illegal => {
            let range = range.as_deref().map(|r| format!(" (it takes {r})")).unwrap_or_default();
            if name == "signature" {
                (
                    Cause::SignatureBase64ForHmac,
                    format!("Binance refused the signature's characters{range}: an HMAC key's signature is 64 hex digits, and this one is written otherwise (base64, a label or a line break with it)"),
                    "Write the HMAC-SHA256 as lower-case hex (hexdigest(), digest('hex'), Hex.encodeHexString) and send only those 64 characters.".into(),
                )
            } else if name == "timestamp" {
                (
                    Cause::TimestampMalformed,
                    format!("Binance could not read timestamp as a whole number of milliseconds: it holds other characters{range}"),
                    "Send the milliseconds since the epoch as digits only (Date.now(), System.currentTimeMillis(), int(time.time() * 1000)): no fraction, no exponent, nothing left of a format such as date's %3N where that date has no %N (macOS, BSD, busybox).".into(),
                )
            } else {
                (
                    Cause::ParamMalformed,
                    format!("Binance refused {name}: its value holds characters the parameter does not take{range}"),
                    if name.to_ascii_lowercase().contains("clientorderid") || name.to_ascii_lowercase().contains("clientid") {
                        "Use at most 36 characters from A-Z a-z 0-9 . : / _ - (a client order id): no spaces, '!', '#' or other signs.".into()
                    } else {
                        format!("Print {name}'s value as sent: numbers as plain decimal text (no exponent, sign or thousands separator), lists as JSON arrays [\"A\",\"B\"], text in the characters the parameter takes; then sign exactly that.")
                    },
                )
            }
        }
        _ => (
            Cause::AnswerUnexplained,
            {
                let name = error.code.name().map(|n| format!(" {n}")).unwrap_or_default();
                match outside_reason(code, answered.msg.as_deref().unwrap_or_default()) {
                    Some(reason) => format!(
                        "Binance answered {code}{name}: {reason} (the text does not show the request's parameters, so the answer is all there is to judge)"
                    ),
                    None => format!(
                        "Binance answered {code}{name}; the text shows the request's method and URL but not its parameters, so the answer is all there is to judge"
                    ),
                }
            },
            error
                .fix()
                .unwrap_or("Read the answer's msg: it names the rule; give the doctor the whole request to have it checked.")
                .to_owned(),
        ),
    };
    Diagnosis {
        verdict: Verdict::rejected(&error),
        findings: vec![Finding::new(cause, Certainty::Likely, title, evidence, fix)],
    }
}

/// The largest `recvWindow` Binance takes, in milliseconds (mbx-core's [`RecvWindow::MAX`]).
fn max_recv_window_ms() -> u64 {
    RecvWindow::MAX.as_micros() / 1000
}

/// The `Content-Length` sent and the body's bytes past it, when it is shorter than a form body (a
/// JSON or multipart body has its own findings).
fn short_content_length(req: &RequestRecord) -> Option<(usize, &str)> {
    let n = req.header("content-length")?.trim().parse::<usize>().ok()?;
    let tail = req.body.get(n..)?;
    let form = !looks_like_json(req) && !req.header("content-type").is_some_and(|t| t.contains("multipart"));
    (form && request::cut_in_line(&req.body[..n], tail)).then_some((n, tail.trim_end_matches(['\r', '\n'])))
}

/// [`diagnose`] of the request as Binance reads it.
fn diagnose_read(req: &RequestRecord, ctx: &Context) -> Diagnosis {
    let mut d = Doctor { req, ctx, findings: Vec::new() };
    let method = Method::parse(&req.method);
    let endpoint = method.and_then(|m| endpoint::find(m, &req.path));

    let (query_sent, query_sigs) = split_signature(&req.query);
    let json_body = looks_like_json(req);
    // The body Binance reads (none for a GET, a JSON body or another content type).
    let form = accept::form_body(&req.method, req.header("content-type"), &req.body);
    let (body_sent, body_sigs) = split_signature(form);
    let query_params = read_params(&mut d, "query string", &query_sent);
    let body_params = read_params(&mut d, "body", &body_sent);
    // Query wins over body for the same name (Binance's rule).
    let mut params: Vec<(String, String)> = query_params.clone();
    for (k, v) in &body_params {
        if !query_params.iter().any(|(q, _)| q == k) {
            params.push((k.clone(), v.clone()));
        }
    }
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let sigs: Vec<&str> = query_sigs.iter().chain(body_sigs.iter()).copied().collect();

    let security = endpoint.map(|e| e.security).unwrap_or_else(|| {
        if !sigs.is_empty() || get("timestamp").is_some() { Security::UserData } else { Security::None }
    });
    // The environment the request goes to, when its host says.
    let venue = req.host.as_deref().and_then(Venue::of_host);
    // A retired endpoint answers 404 before anything is checked (Binance.US still serves them).
    // (A path of a retired endpoint answered 404 whose method the text does not show, a requests
    // `HTTPError` quoting the URL alone: that endpoint, whatever the method read.)
    let answered_404 = req.answered.as_ref().is_some_and(|a| a.status == 404 && a.code.is_none());
    let retired = method
        .and_then(|m| endpoint::retirement(m, &req.path))
        .or_else(|| {
            (answered_404 && method.and_then(|m| endpoint::find(m, &req.path)).is_none())
                .then(|| endpoint::spot::RETIRED.iter().find(|r| r.endpoint.path == req.path))
                .flatten()
        })
        .filter(|_| venue != Some(Venue::BinanceUs));
    if let Some(r) = retired {
        d.find(
            Cause::EndpointRetired,
            Certain,
            r.title(),
            format!("{} {} sent to {}", req.method, req.path, req.host.as_deref().unwrap_or("Binance spot")),
            r.fix(),
        );
    }
    // A spot path with no row for this method: 404, or 405 when the path takes other methods.
    // Another product's path sent to that product's own host is not spot's to judge.
    let own_host =
        endpoint::Family::of(&req.path).and_then(endpoint::Family::served_at).is_some_and(|(_, host)| {
            req.host.as_deref().is_some_and(|h| h.starts_with(host) || h.contains("binancefuture"))
        });
    let unrouted =
        if retired.is_none() && !own_host { endpoint::unrouted(&req.method, &req.path) } else { None }
            .or_else(|| venue.and_then(|v| endpoint::unserved_on(v, &req.path)));
    if let Some(u) = &unrouted {
        d.find(
            Cause::PathUnknown,
            Certain,
            u.title.clone(),
            format!("{} {}", req.method, req.path),
            u.fix.clone(),
        );
    }
    // A path the table does not judge (SAPI's and the like) that the text shows answered 404
    // without Binance's JSON: no endpoint there. The spot endpoint of the same name, if any.
    let answered_not_found = unrouted.is_none() && retired.is_none() && endpoint.is_none() && answered_404;
    if answered_not_found {
        let segments: Vec<&str> = req.path.trim_matches('/').split('/').collect();
        let spot = (1..segments.len()).find_map(|from| {
            let p = format!("/api/v3/{}", segments[from..].join("/"));
            endpoint::SPOT.iter().find(|e| e.path == p).map(|e| e.path)
        });
        d.find(
            Cause::PathUnknown,
            Certain,
            format!("the server answered 404 Not Found: there is no endpoint {} {}", req.method, req.path),
            format!("{} {} answered 404, without Binance's JSON", req.method, req.path),
            match spot {
                Some(p) => format!("Send it to {p} (Binance spot's endpoints are under /api/v3/): check the base URL your code or library is given."),
                None => "Check the path against Binance's documentation (spot endpoints are under /api/v3/) and the base URL your code or library is given.".to_owned(),
            },
        );
    }
    // The market-data host serves the public endpoints only (rest-api.md: "for APIs that only
    // send public market data"); what it answers for the others the docs do not say: as for a
    // path it does not serve.
    let data_host = req.host.as_deref().is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        h == "data-api.binance.vision" || h.starts_with("data-api.binance.vision:")
    });
    let data_only = unrouted.is_none() && retired.is_none() && data_host && security != Security::None;
    if data_only {
        d.find(
            Cause::PathUnknown,
            Certain,
            format!(
                "data-api.binance.vision serves Binance's public market data only: {} {} takes the API key, and is served at api.binance.com",
                req.method, req.path
            ),
            format!("{} {} sent to data-api.binance.vision", req.method, req.path),
            "Send the requests that carry the API key (account, orders, trades, user data) to https://api.binance.com (or api1..api4.binance.com); keep data-api.binance.vision for market data.",
        );
    }
    check_other_exchange(&mut d);
    check_secret_params(&mut d, &params);
    // A number written with a decimal comma (`amount=1,07`, `%2C` sent): a program formatting
    // decimals in its machine's locale (.NET's CurrentCulture, Excel, a German or Turkish
    // system). Binance reads a decimal point only. (The endpoints of the spot table have their
    // values checked one by one further on.)
    if endpoint.is_none()
        && let Some((name, value)) = params.iter().find(|(_, v)| {
            let (whole, fraction) = v.split_once(',').unwrap_or_default();
            !whole.is_empty()
                && !fraction.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        })
    {
        d.find(
            Cause::ParamMalformed,
            Certain,
            format!("{name} is written with a decimal comma ({value}): the program formats numbers in its machine's locale, and Binance reads a decimal point only"),
            format!("{name}={value}"),
            "Format decimals with the invariant culture (.NET: value.ToString(CultureInfo.InvariantCulture); Java: String.format(Locale.ROOT, ...); Python: str(Decimal), not locale.format_string), then sign that text.",
        );
    }

    if json_body {
        d.find(
            Cause::JsonBody,
            Certain,
            "the parameters are sent as JSON, which Binance does not read",
            format!("body: {}", clip(&req.body, 120)),
            JSON_BODY_FIX,
        );
    }
    if req.method == "GET" && !req.body.is_empty() {
        d.find(
            Cause::GetWithBody,
            Certain,
            "a GET request with a body: Binance reads only the query string of a GET",
            format!("GET with body: {}", clip(&req.body, 80)),
            "Put every parameter of a GET request in the query string.",
        );
    }
    // A JavaScript object given as the body where a string is expected: `String(object)`.
    if js_object_text(&req.body) {
        d.find(
            Cause::BodyNotForm,
            Certain,
            "the body is the text '[object Object]': a JavaScript object was given as the body, and the HTTP client wrote it as String(object), not as name=value pairs",
            "body: [object Object]",
            "Give the body as text: new URLSearchParams(params).toString() (the same string you signed, with &signature=... appended), not the object.",
        );
    }
    let content_type = req.header("content-type").unwrap_or_default();
    let parts = multipart::fields(content_type, &req.body).or_else(|| {
        // A tool's print of the form-data fields under a multipart Content-Type (Postman's
        // console: `symbol: "BTCUSDT"` a line): the fields it sent.
        let multipart = content_type.to_ascii_lowercase().starts_with("multipart/form-data");
        let fields: Option<Vec<(String, String)>> = req
            .body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| loose::field_line(l).map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect();
        fields.filter(|f| multipart && !f.is_empty())
    });
    if let Some(parts) = &parts {
        check_multipart(&mut d, parts);
    }
    if !json_body
        && parts.is_none()
        && form.is_empty()
        && req.method != "GET"
        && req.method != "HEAD"
        && req.body.contains('=')
    {
        let content_type = req.header("content-type").unwrap_or_default();
        d.find(
            Cause::BodyNotForm,
            Certain,
            format!("the body holds parameters, but its Content-Type is '{}', so Binance does not read it", clip(content_type, 60)),
            format!("Content-Type: {}; body: {}", clip(content_type, 60), clip(&req.body, 80)),
            "Send the body with the header Content-Type: application/x-www-form-urlencoded (or put the parameters in the query string).",
        );
    }
    // `&timestamp=` copied from a web page: the entity `&times;` became the sign, raw or encoded.
    let sent = format!("{}&{}", req.query, req.body);
    if let Some(seen) = ["\u{d7}tamp=", "%C3%97tamp=", "%c3%97tamp="].into_iter().find(|p| sent.contains(p)) {
        d.find(
            Cause::HtmlMangledAmpersand,
            Certain,
            "the '&times' of '&timestamp=' became the sign \u{d7}: the URL was copied from a web page that read '&times' as an HTML entity",
            format!("the query holds {seen}"),
            "Type '&timestamp=' again by hand in place of the sign, then sign the corrected query string.",
        );
    }
    // `&amp;` in place of `&`: a URL copied from HTML, or escaped for XML, and sent as it is.
    if let Some((name, _)) = query_params.iter().chain(&body_params).find(|(k, _)| k.starts_with("amp;")) {
        d.find(
            Cause::HtmlMangledAmpersand,
            Certain,
            "the parameters are joined with '&amp;' where '&' belongs: Binance reads parameters named 'amp;...'",
            format!("parameter '{}'", clip(name, 40)),
            "Join the parameters with a plain '&': PHP's http_build_query uses arg_separator.output, which some php.ini files set to '&amp;' (pass it: http_build_query($params, '', '&')); a URL copied from HTML or escaped for XML holds '&amp;' too. Then sign the corrected text.",
        );
    }
    if let Some((k, v)) =
        query_params.iter().find(|(_, v)| v.split_once('?').is_some_and(|(_, after)| after.contains('=')))
    {
        d.find(
            Cause::SecondQuestionMark,
            Certain,
            "the URL has a second '?': what follows it is read as part of the value before it",
            format!("{k}={}", clip(v, 90)),
            "Join every parameter with '&': only the first '?' starts the query string (add the signature as &signature=...).",
        );
    }
    check_encoded_whole(&mut d, "query string", &query_sent, &query_params);
    check_encoded_whole(&mut d, "body", &body_sent, &body_params);
    check_duplicates(&mut d, endpoint, &query_params, "query string");
    check_duplicates(&mut d, endpoint, &body_params, "body");
    // The same parameters in the query string and again in the body (a URL with the query kept
    // and the same text posted).
    if !body_params.is_empty() && body_params.iter().all(|p| query_params.contains(p)) {
        d.find(
            Cause::ParamDuplicated,
            Certain,
            "the parameters are sent twice: in the query string and again in the body",
            format!("query string and body both hold {}", clip(&body_sent, 80)),
            "Send the parameters once, in the query string or in the body (PHP: not the URL's query and CURLOPT_POSTFIELDS both), with one signature over what is sent.",
        );
    }
    check_unencoded(&mut d, json_body || parts.is_some() || js_object_text(&req.body));

    // The verdict is the acceptance check's, the sandbox's own: the findings explain it.
    let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let rest = accept::RestRequest { headers: &headers[..], query: &req.query, body: form };
    let target = match endpoint {
        Some(e) => accept::Target::of(e),
        None => accept::Target { security, endpoint: None },
    };
    let keys = DoctorKeys { any: accept::AnyKey(ctx.any_verifier()), ctx, venue };
    let checked = accept::check_rest(target, &rest, &keys, ctx.server_time);
    let verified = signature_verified(&checked);
    let (mut verdict, mut stage) = match checked {
        _ if retired.is_some() => (Verdict::not_found(), Some(accept::Stage::Route)),
        _ if unrouted.as_ref().is_some_and(|u| u.status == 405) => {
            (Verdict::method_not_allowed(), Some(accept::Stage::Route))
        }
        _ if unrouted.is_some() || data_only || answered_not_found => {
            (Verdict::not_found(), Some(accept::Stage::Route))
        }
        Err(r) => (Verdict::rejected(&r.error), Some(r.stage)),
        Ok(_) if security.needs_signature() && ctx.key_kind().is_none() => {
            (Verdict::accepted(ACCEPTED_UNCHECKED), None)
        }
        Ok(_) => (Verdict::accepted(ACCEPTED), None),
    };
    // The answers' time unit is read before the request is authenticated.
    if let (Err(refused), Some(_)) =
        (accept::read_time_unit(req.header("x-mbx-time-unit"), "X-MBX-TIME-UNIT"), endpoint)
    {
        d.find(
            Cause::TimeUnitInvalid,
            Certain,
            "X-MBX-TIME-UNIT takes MILLISECOND or MICROSECOND only",
            format!("X-MBX-TIME-UNIT: {}", clip(req.header("x-mbx-time-unit").unwrap_or_default(), 30)),
            "Send X-MBX-TIME-UNIT: MICROSECOND for times in microseconds, or leave the header out for milliseconds.",
        );
        (verdict, stage) = (Verdict::rejected(&refused.error), Some(refused.stage));
    }
    if security.needs_api_key() {
        check_key(&mut d, venue);
    }
    if security.needs_signature() {
        check_timing(&mut d, get("timestamp"), get("recvWindow"));
        check_signature(&mut d, &sigs, (&query_sent, &body_sent), form, &params, verified);
    }

    // A payload encoded as a whole is one parameter named after all of them: what it leaves out or
    // does not define follows from that, and the finding above says so.
    if let Some(e) =
        endpoint.filter(|_| !d.unread_as_params(&[Cause::PayloadEncodedWhole, Cause::BodyNotForm]))
    {
        // An endpoint that takes no signature reads none: one sent is unread, as the check counts it.
        let signed_unsigned = !e.security.needs_signature() && !sigs.is_empty();
        let mut names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        if signed_unsigned {
            names.push("signature");
        }
        let unread = e.unread(names.iter().copied());
        // Every parameter is read by the endpoint at this path with another method: the method is wrong.
        if let Some(meant) = accept::method_meant(e, &names) {
            d.find(
                Cause::MethodWrong,
                Certain,
                accept::method_wrong_title(e, meant),
                format!(
                    "{} with {}",
                    e.method,
                    unread.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
                ),
                accept::method_wrong_fix(meant),
            );
        }
        if !unread.is_empty() {
            d.find(
                Cause::ParamNotRead,
                Certain,
                format!(
                    "{} {} does not define the parameter(s) {}",
                    e.method,
                    e.path,
                    unread_names(e, &unread)
                ),
                format!("parameters sent: {}", names.join(", ")),
                match unread.iter().find_map(|n| accept::list_spread(e, n)) {
                    Some(list) => accept::list_spread_fix(list),
                    None if signed_unsigned => accept::unsigned_endpoint_fix(e),
                    None => "Remove them, or check their spelling and letter case against the endpoint's parameter table."
                        .to_owned(),
                },
            );
        }
        let missing: Vec<&str> =
            e.mandatory().map(|p| p.name).filter(|n| get(n).is_none_or(str::is_empty)).collect();
        if !missing.is_empty() {
            d.find(
                Cause::ParamMissing,
                Certain,
                match &missing[..] {
                    [one] => format!("Mandatory parameter '{one}' is missing or empty"),
                    many => format!("Mandatory parameters '{}' are missing or empty", many.join("', '")),
                },
                format!("{} {} needs {}", e.method, e.path, missing.join(", ")),
                "Send every mandatory parameter of the endpoint, each with a value.",
            );
        }
    }

    // Past the acceptance check, the endpoint's handler reads the values (numbers, an order's terms).
    if let Some(e) = endpoint.filter(|_| !d.unread_as_params(&[Cause::ParamNotRead, Cause::ParamMissing])) {
        let sent = params.iter().fold(crate::Params::new(), |p, (k, v)| p.text(k.clone(), v.clone()));
        if let Some(error) = check_values(&mut d, e, &sent) {
            match verdict.code {
                0 => (verdict, stage) = (Verdict::rejected(&error), Some(accept::Stage::Unread)),
                _ => refused_before_values(&mut d, &error),
            }
        }
    }

    // The capture holds Binance's answer: -2015 to a request that checks out is the key's
    // permissions or IP list (what no request shows).
    if verdict.code == 0
        && let Some(answered) = &req.answered
        && answered.code == Some(i64::from(ErrorCode::REJECTED_MBX_KEY.get()))
    {
        let error = crate::ApiError::new(ErrorCode::REJECTED_MBX_KEY);
        // Without the key, the signature was not checked: the key may also be unknown there.
        let (certainty, title) = if d.ctx.key_kind().is_some() {
            (
                Certain,
                "Binance answered -2015, and the key, signature and timestamp check out: the key lacks this endpoint's permission, your IP is not on the key's list, or the key is another environment's",
            )
        } else {
            (
                Likely,
                "Binance answered -2015 to a request whose form checks out: the API key is unknown there (deleted, or another environment's), lacks this endpoint's permission, or your IP is not on its list",
            )
        };
        d.find(
            Cause::KeyPermission,
            certainty,
            title,
            format!("the capture's answer: {}{{\"code\":-2015}}", answered.status_prefix()),
            KEY_PERMISSION_FIX,
        );
        (verdict, stage) = (Verdict::rejected(&error), Some(accept::Stage::Key));
    }
    // -1022 to a request whose signature verifies with the key given: Binance checks it against
    // another key registered for this API key (a key pair generated twice, a secret re-issued).
    // (Only for a request that carries a signature: a -1022 beside a public request the text
    // also names, such as the program's call to /api/v3/time, is another request's answer.)
    let signed = req.query.contains("signature=") || req.body.contains("signature=");
    if verdict.code == 0
        && signed
        && let Some(answered) = &req.answered
        && answered.code == Some(i64::from(ErrorCode::INVALID_SIGNATURE.get()))
        && let Some(kind) = d.ctx.key_kind()
    {
        // Characters sent raw that the client signed raw (non-ASCII, white space): Binance does not
        // verify over that text, which explains the -1022 before any key does.
        match d.findings.iter().position(|f| f.cause == Cause::UnencodedCharacters) {
            Some(at) => {
                let mut f = d.findings.remove(at);
                f.certainty = Certain;
                f.title = "characters that must be percent-encoded are sent (and signed) raw: Binance answered -1022 to them, though the signature verifies over the raw text".into();
                d.findings.insert(0, f);
            }
            None => d.findings.push(registered_other(kind)),
        }
        (verdict, stage) = (
            Verdict::rejected(&crate::ApiError::new(ErrorCode::INVALID_SIGNATURE)),
            Some(accept::Stage::Signature),
        );
    }
    // The key sent as a header, or as a parameter (`apiKey=...`, a tool's "query auth"): shortened.
    let in_params =
        [req.query.as_str(), req.body.as_str()].into_iter().flat_map(|p| p.split('&')).filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let k = k.to_ascii_lowercase();
            (["apikey", "api_key", "x-mbx-apikey", "x_mbx_apikey"].contains(&k.as_str()) && v.len() >= 16)
                .then_some(v)
        });
    let keys: Vec<&str> = req.headers_named("x-mbx-apikey").chain(in_params).collect();
    let diagnosis = conclude(verdict, stage, d.findings, ctx, &keys);
    // Any other error answer to a request that checks out: what the request cannot show.
    match &req.answered {
        Some(answered) => diagnosis.with_answer(answered),
        None => diagnosis,
    }
}

/// What the endpoint's handler refuses in the parameters once the acceptance check has passed,
/// by mbx-core's own rules (the sandbox's): [`order::check_param_values`], then the order's terms
/// ([`order::read_new_order`]). A finding, and the error Binance answers.
fn check_values(d: &mut Doctor<'_>, e: &Endpoint, params: &crate::Params) -> Option<ApiError> {
    let (refusal, of_order) = match order::check_param_values(e, params) {
        Err(r) => (r, false),
        Ok(()) => match crate::order_list::check_list(e, params) {
            Err(r) => (r, true),
            Ok(()) if e.reads_new_order() => {
                let read = order::read_new_order(params).and_then(|(terms, _)| {
                    terms.check_precision(order::MAX_ASSET_PRECISION, order::MAX_ASSET_PRECISION)
                });
                (read.err()?, true)
            }
            Ok(()) => return None,
        },
    };
    let code = refusal.error.code;
    // The parameter Binance's message names, and its type in the endpoint's row.
    let named = refusal.error.msg.split('\'').nth(1);
    let kind = named.and_then(|name| e.param(name)).map(|p| p.kind);
    let (cause, fix) = match code {
        ErrorCode::ILLEGAL_CHARS => (
            Cause::ParamMalformed,
            match kind {
                _ if named.is_none() => accept::LIST_AS_JSON_ARRAY,
                Some(Kind::Decimal) => {
                    "Write the number as plain decimal text: digits and at most one '.', no exponent, sign or thousands separator (Java: BigDecimal.toPlainString(); Python: format(Decimal(str(x)), 'f'); JavaScript: x.toFixed(decimals)); then sign that text."
                }
                Some(Kind::Int | Kind::Long) => {
                    "Send a whole number in digits only: no '.', exponent or sign (times are whole milliseconds since the epoch)."
                }
                _ => "Use at most 36 characters from A-Z a-z 0-9 . : / _ - (a client order id).",
            },
        ),
        ErrorCode::PARAM_EMPTY => (Cause::ParamMalformed, "Give the parameter a value, or leave it out."),
        ErrorCode::BAD_PRECISION | ErrorCode::PARAM_OVERFLOW => (
            Cause::ParamMalformed,
            "Round the number to the symbol's tick size (prices) or step size (quantities) from exchangeInfo.",
        ),
        ErrorCode::BAD_INTERVAL => (
            Cause::ParamMalformed,
            "Spell the interval as Binance does, letter case included: 1m is a minute and 1M a month; there is no 1min or 60m.",
        ),
        ErrorCode::BAD_SYMBOL if refusal.advice.contains("charset") => (
            Cause::ParamMalformed,
            "Encode the parameters as UTF-8 before percent-encoding them (Java: URLEncoder.encode(v, StandardCharsets.UTF_8); PHP: the source file and strings in UTF-8), then sign that text.",
        ),
        ErrorCode::BAD_SYMBOL if refusal.advice.contains("cannot be a symbol") => (
            Cause::ParamMalformed,
            "Send a symbol as exchangeInfo lists it (BTCUSDT, 这是测试币456): letters and digits, no spaces or numbers alone.",
        ),
        ErrorCode::BAD_SYMBOL => (
            Cause::SymbolLowerCase,
            "Send the symbol in upper case, as exchangeInfo lists it (BTCUSDT); only stream names (btcusdt@trade) are in lower case.",
        ),
        ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED | ErrorCode::PARAM_NOT_REQUIRED if of_order => {
            // The type's parameters, from the order terms' own rules (the type parsed, or the
            // composition check would not have run).
            let needs = order::OrderTerms::parse(params).map(|t| order::needed_parameters(&t.order_type));
            let fix = match needs {
                _ if crate::order_list::ListKind::of(e).is_some() => "Send each order of the list the parameters its type takes, spelled with its prefix (belowTimeInForce for a STOP_LOSS_LIMIT below leg, workingTimeInForce for a LIMIT working order), and no others.".to_owned(),
                Ok(needs) => format!("{needs}; add what is missing and leave out what it does not take."),
                Err(_) => "Send the parameters the order's type takes, and no others.".to_owned(),
            };
            d.find(Cause::OrderTerms, Certain, refusal.advice.clone(), evidence(&refusal.error), fix);
            return Some(refusal.error);
        }
        ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED if e.either_of().is_some() => (
            Cause::ParamMissing,
            "Send one of the two: the id Binance answered when it was made, or the client id it was made with.",
        ),
        ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED => {
            (Cause::ParamMalformed, "Name at least one symbol in the array, or leave the parameter out.")
        }
        ErrorCode::INVALID_PARAMETER if kind == Some(Kind::Bool) => {
            (Cause::ParamMalformed, "Send the text true or false (not 1, 0, yes or no).")
        }
        ErrorCode::OPTIONAL_PARAMS_BAD_COMBO => (
            Cause::ParamCombination,
            "Send only one of the parameters the finding names, as the endpoint's docs list its supported combinations (page by id or by time, not both).",
        ),
        // timeZone, windowSize, a ticker's type: the finding says which values it takes.
        ErrorCode::INVALID_PARAMETER | ErrorCode::INVALID_TICKER_TYPE => {
            (Cause::ParamMalformed, "Send one of the values the finding names, spelled as it does.")
        }
        ErrorCode::MORE_THAN_XX_HOURS => (
            Cause::ParamCombination,
            "Query at most a day at a time: endTime no more than 24 hours after startTime (86,400,000 ms); page through longer periods a day at a time, or by fromId.",
        ),
        ErrorCode::OPO_WORKING_MUST_BE_BUY | ErrorCode::OPO_PENDING_MUST_BE_SELL => (
            Cause::OrderTerms,
            "In an OPO the working order buys (workingSide=BUY) and the pending order(s) sell what it bought (pendingSide=SELL); for other sides place an OTO (orderList/oto) with its own pendingQuantity.",
        ),
        ErrorCode::BOTH_OCO_ORDERS_CANNOT_BE_LIMIT
        | ErrorCode::BUY_OCO_LIMIT_MUST_BE_BELOW
        | ErrorCode::BUY_OCO_STOP_LOSS_MUST_BE_ABOVE
        | ErrorCode::BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW
        | ErrorCode::SELL_OCO_LIMIT_MUST_BE_ABOVE
        | ErrorCode::SELL_OCO_STOP_LOSS_MUST_BE_BELOW
        | ErrorCode::SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE => (
            Cause::OrderTerms,
            "Put each leg where its side puts it: in a BUY OCO the LIMIT_MAKER or take-profit leg goes below and the stop-loss leg above; in a SELL OCO the other way round; and at most one leg LIMIT_MAKER.",
        ),
        // An unknown side, type or time in force: the finding names the values allowed.
        _ => (Cause::OrderTerms, "Send one of the values the finding names, spelled exactly (upper case)."),
    };
    d.find(cause, Certain, refusal.advice.clone(), evidence(&refusal.error), fix);
    Some(refusal.error)
}

/// Parameters an endpoint does not define, quoted, each with the one most likely meant
/// ([`Endpoint::meant`]): `'clientOrderId' (meant: 'origClientOrderId'?)`.
pub(super) fn unread_names(e: &Endpoint, unread: &[&str]) -> String {
    unread
        .iter()
        .map(|n| match e.meant(n) {
            Some(p) => format!("'{n}' (meant: '{}'?)", p.name),
            None => format!("'{n}'"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A refusal's evidence: what Binance answers.
fn evidence(error: &ApiError) -> String {
    format!("Binance answers {}: {}", error.code.get(), error.msg)
}

/// The value check's finding of a request refused before its values are read (a signature that
/// does not verify comes first): what Binance answers once that is fixed, not now.
fn refused_before_values(d: &mut Doctor<'_>, error: &ApiError) {
    let said = evidence(error);
    if let Some(f) = d.findings.iter_mut().rev().find(|f| f.evidence == said) {
        f.evidence = format!("once the earlier refusal is fixed, {said}");
    }
}

/// Whether the acceptance check verified the signature over the payload as sent, when it got that
/// far (the hypothesis search need not verify it again).
fn signature_verified<T>(checked: &Result<T, accept::Rejection>) -> Option<bool> {
    match checked {
        Ok(_) => Some(true),
        Err(r) if r.stage == accept::Stage::Signature => Some(false),
        Err(r) if r.stage == accept::Stage::Unread => Some(true),
        Err(_) => None,
    }
}

/// Orders the findings (those of the stage that failed first: they are why the verdict is what it
/// is; then by certainty) and takes every secret out of their text.
/// API keys sent (`keys`) are shortened as in every other output: enough to recognise, not to use.
fn conclude(
    verdict: Verdict,
    stage: Option<accept::Stage>,
    mut findings: Vec<Finding>,
    ctx: &Context,
    keys: &[&str],
) -> Diagnosis {
    // The same parameters in the query string and the body: the payload Binance signs holds them
    // twice, which is why a signature over them once fails; "signed only the query string" is
    // that consequence, not another mistake.
    let duplicated =
        |f: &Finding| f.cause == Cause::ParamDuplicated && f.evidence.starts_with("query string and body");
    if findings.iter().any(duplicated) && findings.iter().any(|f| f.cause == Cause::SignedQueryOnly) {
        findings.retain(|f| f.cause != Cause::SignedQueryOnly);
        findings.sort_by_key(|f| !duplicated(f));
        return Diagnosis {
            verdict,
            findings: findings.into_iter().map(|f| conclude_one(f, ctx, keys)).collect(),
        };
    }
    findings.sort_by_key(|f| (Some(f.cause.stage()) != stage, f.certainty));
    let findings = findings.into_iter().map(|f| conclude_one(f, ctx, keys)).collect();
    Diagnosis { verdict, findings }
}

/// A finding with the secrets in its text hidden and the keys shortened.
fn conclude_one(mut f: Finding, ctx: &Context, keys: &[&str]) -> Finding {
    let mut hidden: Vec<(String, String)> =
        ctx.secret_texts().into_iter().map(|s| (s, "<your secret key>".to_owned())).collect();
    hidden.extend(keys.iter().filter(|k| k.len() >= 16).map(|k| ((*k).to_owned(), shorten(k))));
    for text in [&mut f.title, &mut f.evidence, &mut f.fix] {
        for (whole, shown) in &hidden {
            if text.contains(whole.as_str()) {
                *text = text.replace(whole.as_str(), shown);
            }
        }
    }
    f
}

/// Header prefixes of other exchanges' authentication, whose code is often ported to Binance.
pub(super) const OTHER_EXCHANGES: &[(&str, &str)] = &[
    ("x-bapi-", "Bybit"),
    ("ok-access-", "OKX"),
    ("kc-api-", "KuCoin"),
    ("cb-access-", "Coinbase"),
    ("access-", "Bitget"),
    ("api-sign", "Kraken"),
];

/// A request authenticated as another exchange does it: its key, time and signature headers, which
/// Binance does not read.
fn check_other_exchange(d: &mut Doctor<'_>) {
    let Some(exchange) = d.req.headers.iter().find_map(|(k, _)| {
        let k = k.to_ascii_lowercase();
        OTHER_EXCHANGES.iter().find(|(prefix, _)| k.starts_with(prefix)).map(|(_, name)| *name)
    }) else {
        return;
    };
    let names: Vec<&str> = d
        .req
        .headers
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| {
            let k = k.to_ascii_lowercase();
            OTHER_EXCHANGES.iter().any(|(prefix, name)| *name == exchange && k.starts_with(prefix))
        })
        .collect();
    d.find(
        Cause::OtherExchangeHeaders,
        Certain,
        format!("the request is authenticated as {exchange} does it, with headers Binance does not read"),
        format!("headers {}", names.join(", ")),
        "Binance reads the API key from the X-MBX-APIKEY header, and timestamp (with recvWindow) and signature as parameters: the HMAC-SHA256 of the query string followed by the body, in hex, sent last as &signature=.",
    );
}

/// Names the secret sent as a parameter (by its value, or by a name such as `secret` or
/// `apiSecret`), and shows none of it.
fn check_secret_params(d: &mut Doctor<'_>, params: &[(String, String)]) {
    let is_secret = |v: &str| d.ctx.secrets().any(|s| !v.is_empty() && s == v.trim().as_bytes());
    let found = params.iter().find(|(k, v)| is_secret(v) || accept::is_secret_param_name(k));
    if let Some((k, v)) = found {
        let shown = if is_secret(v) {
            format!("{k}=<your secret key> (not shown)")
        } else {
            format!("{k}=<{} characters, not shown>", v.chars().count())
        };
        d.find(
            Cause::SecretAsParameter,
            Certain,
            accept::secret_param_title(k),
            shown,
            accept::SECRET_PARAM_FIX,
        );
    }
}

/// Whether a body is JavaScript's `String(object)` (`[object Object]`): an object given where a
/// string was expected, neither a form nor JSON.
fn js_object_text(body: &str) -> bool {
    body.trim() == "[object Object]"
}

/// A body written as JSON, or sent as JSON by its `Content-Type` unless it is plainly a form
/// (`a=1&b=2` with a JSON header is a form Binance does not read: `body-not-form`).
fn looks_like_json(req: &RequestRecord) -> bool {
    let body = req.body.trim_start();
    // A JSON content type on a request without a body (a client's default header on a GET)
    // changes nothing: the query is read.
    // JavaScript's String(object) is no JSON (its own finding says what it is).
    if body.is_empty() || js_object_text(body) {
        return false;
    }
    body.starts_with('{') || body.starts_with('[') || {
        let plainly_form = body.contains('=') && !body.contains(['"', ':']);
        !plainly_form && req.header("content-type").is_some_and(|c| c.to_ascii_lowercase().contains("json"))
    }
}

fn clip(s: &str, n: usize) -> String {
    crate::accept::clip(s, n)
}

fn read_params(d: &mut Doctor<'_>, part: &str, raw: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for segment in raw.split('&').filter(|s| !s.is_empty()) {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        // A raw '+' is a space to Binance, as in any form (the acceptance check reads it so).
        match (encode::form_decode(name), encode::form_decode(value)) {
            (Ok(k), Ok(v)) => out.push((k, v)),
            (k, v) => {
                // A timestamp is named by the timing check, which tells why its text is wrong.
                let timestamp = k.as_deref() == Ok("timestamp");
                if let Some(e) = [&k, &v].into_iter().find_map(|r| r.as_ref().err()).filter(|_| !timestamp) {
                    d.find(
                        Cause::MalformedEncoding,
                        Certain,
                        format!("malformed percent-encoding in the {part}"),
                        format!("'{}': {e}", clip(segment, 60)),
                        "Percent-encode each byte as %XX with two hex digits, from UTF-8 text.",
                    );
                }
                // Still a parameter that was sent: its value as written (`timestamp=1796470838%3N`
                // is a malformed timestamp, not a missing one).
                if let Ok(k) = k {
                    out.push((k, v.unwrap_or_else(|_| value.to_owned())));
                }
            }
        }
    }
    out
}

/// A query string or body percent-encoded as a whole, `=` and `&` included (`encodeURIComponent`,
/// Java's `URLEncoder.encode` or Python's `quote(safe="")` applied to the joined text): its first
/// parameter's name, decoded, holds a `=`, which only an encoded `%3D` can put there.
fn check_encoded_whole(d: &mut Doctor<'_>, part: &str, raw: &str, params: &[(String, String)]) {
    // Everything after the first '=' encoded, the other pairs' '&' and '=' too (curl's
    // --data-urlencode "name=rest" encodes all after the first '='): one parameter holding the rest.
    if let [(name, value)] = params
        && value.contains('&')
        && value.split('&').skip(1).all(|pair| pair.contains('='))
    {
        d.find(
            Cause::PayloadEncodedWhole,
            Certain,
            format!("all of the {part} after the first '=' is percent-encoded, its '&' and '=' included: Binance reads one parameter '{}'", clip(name, 40)),
            format!("{part} `{}` is {name}=`{}`", clip(raw, 60), clip(value, 80)),
            "Percent-encode each value on its own and join the pairs with plain '=' and '&' (curl: --data-urlencode encodes everything after the first '=': give an already encoded text with -d, or one --data-urlencode per parameter); sign that text.",
        );
        return;
    }
    let Some((name, _)) = params.first().filter(|(k, _)| k.contains('=')) else { return };
    d.find(
        Cause::PayloadEncodedWhole,
        Certain,
        format!("the whole {part} is percent-encoded, its '=' and '&' included: Binance reads it as one parameter"),
        format!("{part} `{}` is one name, `{}`", clip(raw, 80), clip(name, 80)),
        "Percent-encode each name and each value on its own, join them with plain '=' and '&', and sign that text.",
    );
}

/// With the payload encoded as a whole: whether `signature` is over its decoded text (each
/// parameter as it should be sent). Then the signature is not a mistake of its own, and the
/// encoding finding says so; nothing else is searched.
fn signed_before_encoding_whole(d: &mut Doctor<'_>, signature: &str) -> bool {
    let Some(at) = d.findings.iter().position(|f| f.cause == Cause::PayloadEncodedWhole) else {
        return false;
    };
    let form = accept::form_body(&d.req.method, d.req.header("content-type"), &d.req.body);
    let decoded: String = [&d.req.query, form]
        .iter()
        .map(|part| split_signature(part).0)
        .filter_map(|sent| encode::percent_decode(&sent).ok())
        .collect();
    let Some(v) = d.ctx.any_verifier() else { return false };
    if v.verify(decoded.as_bytes(), signature).is_err() {
        return false;
    }
    let f = &mut d.findings[at];
    f.evidence.push_str(&format!(
        "; your signature is over the text before it was encoded, `{}`",
        clip(&decoded, 120)
    ));
    true
}

fn check_duplicates(d: &mut Doctor<'_>, e: Option<&Endpoint>, params: &[(String, String)], part: &str) {
    let mut seen: Vec<&str> = Vec::new();
    for (k, _) in params {
        if seen.contains(&k.as_str()) {
            let fix = match e.and_then(|e| accept::list_spread(e, k)) {
                Some(list) => accept::list_spread_fix(list),
                None => "Send each parameter once.".to_owned(),
            };
            d.find(
                Cause::ParamDuplicated,
                Certain,
                accept::repeated_param(k, part),
                format!("{k} appears more than once"),
                fix,
            );
            return;
        }
        seen.push(k);
    }
}

/// `body_not_params`: the body is JSON or multipart, not read as parameters, so what it holds raw
/// is not the point. Only white space and non-ASCII count: other characters an encoder would
/// escape (`"`, `[`, `{`) Binance takes raw as they are sent (rest-api.md's own `curl -g` example
/// sends `symbols=["BTCUSDT","BNBBTC"]`), and a signature over them as sent verifies.
fn check_unencoded(d: &mut Doctor<'_>, body_not_params: bool) {
    let raw: String = format!("{}{}", d.req.query, if body_not_params { "" } else { &d.req.body });
    let bad: String = raw.chars().filter(|c| !c.is_ascii() || c.is_whitespace()).take(12).collect();
    if !bad.is_empty() {
        d.find(
            Cause::UnencodedCharacters,
            Likely,
            "characters that must be percent-encoded are sent raw",
            format!("raw characters {bad:?} in the query string or body"),
            "Percent-encode the query string and body (UTF-8, %XX) before signing, and send exactly the encoded text.",
        );
    }
}

/// The parameters sent as `multipart/form-data` parts: named, with the fix for the usual ways such a
/// body is sent, and what Binance would answer to the same fields sent as a form body (the same
/// request diagnosed again with that body: whether the signature matches them, once a key is given).
fn check_multipart(d: &mut Doctor<'_>, parts: &[(String, String)]) {
    let names: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
    let form: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{}={}", encode::percent_encode(k), encode::percent_encode(v)))
        .collect();
    let mut headers: Vec<(String, String)> =
        d.req.headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("content-type")).cloned().collect();
    headers.push(("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
    // What Binance answered to the parts is not what it would answer to the form.
    let as_form = RequestRecord { headers, body: form.join("&"), answered: None, ..d.req.clone() };
    let again = diagnose(&as_form, d.ctx);
    let then = match again.findings.first() {
        _ if again.verdict.code == 0 && again.verdict.msg == ACCEPTED => {
            "sent as a form body, these fields would be accepted: the signature matches them".to_owned()
        }
        _ if again.verdict.code == 0 => "sent as a form body, nothing else is wrong with these fields \
             (no key was given, so their signature was not checked)"
            .to_owned(),
        Some(f) => {
            format!("sent as a form body, Binance would still answer {}: {}", again.verdict.code, f.title)
        }
        None => format!("sent as a form body, Binance would still answer {}", again.verdict.code),
    };
    d.find(
        Cause::BodyMultipart,
        Certain,
        "the parameters are sent as multipart/form-data parts, which Binance does not read",
        format!("Content-Type: multipart/form-data; parts: {}; {then}", clip(&names.join(", "), 120)),
        MULTIPART_FIX,
    );
}

/// The keys as the doctor knows them: any well-formed key, with the user's key material, except the
/// secret itself sent as the API key and a key of another environment than the request's (Binance
/// has no such API key: `-2015`).
struct DoctorKeys<'a> {
    any: accept::AnyKey,
    ctx: &'a Context,
    venue: Option<Venue>,
}

impl accept::KeyRing for DoctorKeys<'_> {
    type Key = ();

    fn key(&self, api_key: &str) -> Option<()> {
        let secret = self.ctx.secrets().any(|s| s == api_key.as_bytes());
        let foreign = self
            .venue
            .filter(|v| *v != Venue::Sandbox)
            .is_some_and(|v| self.ctx.foreign_key(api_key, v).is_some());
        (!secret && !foreign).then_some(())
    }

    fn permits(&self, (): &(), _: Security) -> Result<(), String> {
        Ok(())
    }

    fn verifier<'k>(&'k self, key: &'k ()) -> Option<&'k Verifier> {
        self.any.verifier(key)
    }

    fn unknown_hint(&self, _: &str) -> String {
        "The X-MBX-APIKEY header holds your secret key, not your API key; send the API key there.".into()
    }
}

fn check_key(d: &mut Doctor<'_>, venue: Option<Venue>) {
    let req = d.req;
    let keys: Vec<&str> = req.headers_named("x-mbx-apikey").collect();
    let fix_header = "Send the API key only in the X-MBX-APIKEY header, exactly as Binance issued it.";
    match keys.as_slice() {
        [] => {
            let auth = req.header("authorization");
            if let Some(v) = auth.filter(|v| v.to_ascii_uppercase().contains("X-MBX-APIKEY")) {
                d.find(Cause::KeyInHeaderValue, Certain, "the key is inside another header's value", format!("header 'Authorization: {}'", shorten(v)),
                    "Use a header whose name is X-MBX-APIKEY and whose value is the key alone: X-MBX-APIKEY: <key>.");
            } else if let Some(v) = auth {
                // HTTP Basic credentials: base64 of `user:password`, readable by whoever sees them.
                let basic_password = v
                    .strip_prefix("Basic ")
                    .and_then(|b| {
                        use base64::Engine as _;
                        base64::engine::general_purpose::STANDARD.decode(b.trim()).ok()
                    })
                    .and_then(|b| String::from_utf8(b).ok())
                    .is_some_and(|text| text.split_once(':').is_some_and(|(_, p)| !p.is_empty()));
                let (title, fix) = if basic_password {
                    (
                        "the key is sent in an Authorization header as HTTP Basic credentials, with a password after it (your secret?): base64 hides neither",
                        "Use a header whose name is X-MBX-APIKEY and whose value is the key alone, and never send the secret: it only signs. If the password was the secret, it left your machine: delete the key pair and create a new one.",
                    )
                } else {
                    ("the key is sent in an Authorization header", fix_header)
                };
                d.find(
                    Cause::KeyInAuthorizationHeader,
                    Certain,
                    title,
                    format!("header 'Authorization: {}'", shorten(v)),
                    fix,
                );
            } else if let Some((k, v)) =
                req.headers.iter().find(|(_, v)| v.to_ascii_uppercase().starts_with("X-MBX-APIKEY"))
            {
                d.find(Cause::KeyInHeaderValue, Certain, "the key is inside another header's value", format!("header '{k}: {}'", shorten(v)),
                    "Use a header whose name is X-MBX-APIKEY and whose value is the key alone: X-MBX-APIKEY: <key>.");
            } else if let Some((k, _)) = req.headers.iter().find(|(k, _)| accept::looks_like_key_header(k)) {
                if k.trim_end().eq_ignore_ascii_case("X-MBX-APIKEY") {
                    // `X-MBX-APIKEY : key` (libcurl's header list, a hand-written string).
                    d.find(Cause::KeyHeaderMisspelled, Certain, format!("the key header's name is followed by white space before its colon ('{k}:')"), format!("header '{k}'"),
                        "Write the header as X-MBX-APIKEY: <key>, with the colon right after the name: HTTP servers do not read a name with white space before its colon as that header (RFC 9112, 5.1), and some refuse the whole request with 400 Bad Request.");
                } else {
                    d.find(Cause::KeyHeaderMisspelled, Certain, format!("the key header is named '{k}'"), format!("header '{k}'"),
                        "Name the header exactly X-MBX-APIKEY (with hyphens: proxies drop headers with underscores).");
                }
            } else if let Some((k, v)) = key_param(req) {
                d.find(
                    Cause::KeyAsParameter,
                    Certain,
                    format!("the key is sent as the parameter '{k}'"),
                    format!("{k}={}", shorten(&v)),
                    fix_header,
                );
            } else {
                d.find(
                    Cause::KeyMissing,
                    Certain,
                    "no X-MBX-APIKEY header",
                    "the request has no X-MBX-APIKEY header",
                    fix_header,
                );
            }
        }
        // The header's value repeats its name (`X-MBX-APIKEY: X-MBX-APIKEY: <key>`: Go's
        // `Header.Set("X-MBX-APIKEY", "X-MBX-APIKEY: " + key)`, a `"Name: value"` line given as a value).
        [key] if key.trim_start().to_ascii_uppercase().starts_with("X-MBX-APIKEY") => {
            d.find(
                Cause::KeyInHeaderValue,
                Certain,
                "the X-MBX-APIKEY header's value repeats the header's name before the key",
                format!("header 'X-MBX-APIKEY: {}'", shorten(key)),
                "Give the header's value as the key alone: Header.Set(\"X-MBX-APIKEY\", key) in Go, headers={\"X-MBX-APIKEY\": key} in Python; the library writes the name and the colon itself.",
            );
        }
        [key] => {
            check_key_value(d, key, venue, "the X-MBX-APIKEY header", "X-MBX-APIKEY: ");
            if let Some((k, _)) = key_param(req) {
                d.find(
                    Cause::KeyAsParameter,
                    Likely,
                    format!("the key is also sent as the parameter '{k}'"),
                    format!("parameter {k}"),
                    "Remove the key from the parameters; it belongs only in the header.",
                );
            }
        }
        many => {
            d.find(
                Cause::KeyDuplicated,
                Likely,
                format!("the X-MBX-APIKEY header is sent {} times", many.len()),
                "several X-MBX-APIKEY headers",
                "Send the header once.",
            );
        }
    }
}

/// The checks of the API key's value, sent as `name` (`the X-MBX-APIKEY header`, `apiKey`) and shown
/// in evidence after `shown` (`X-MBX-APIKEY: `, `apiKey=`).
fn check_key_value(d: &mut Doctor<'_>, key: &str, venue: Option<Venue>, name: &str, shown: &str) {
    if d.ctx.secrets().any(|s| s == key.as_bytes()) {
        d.find(
                Cause::SecretAsApiKey,
                Certain,
                format!("{name} holds your secret key, not your API key"),
                format!("{shown}<your secret key> (not shown)"),
                "Send the API key (the other half of the pair) there, and keep the secret for signing only; create a new key pair, since this secret has been sent over the network.",
            );
    } else if let Some(to) = venue.filter(|v| *v != Venue::Sandbox)
        && let Some((theirs, label)) = d.ctx.foreign_key(key, to)
    {
        d.find(
                Cause::KeyOtherEnvironment,
                Certain,
                match label {
                    None => format!(
                        "this API key belongs to {}, but the request goes to {}: a key is known only where it was created",
                        theirs.title(),
                        to.title()
                    ),
                    Some(label) => format!(
                        "this API key is {label}'s, which belongs to {}, but the request goes to {}: a key is known only where it was created",
                        theirs.title(),
                        to.title()
                    ),
                },
                format!("{shown}{} sent to {}", shorten(key), d.req.host.as_deref().unwrap_or_default()),
                format!(
                    "Send the request to {}, or create an API key on {} and use that key pair.",
                    theirs.rest_url(),
                    to.title()
                ),
            );
    } else if let Some(word) = ["undefined", "null", "None", "nil", "NULL", "(null)", "null_value"]
        .into_iter()
        .find(|w| key.trim() == *w)
    {
        d.find(
                Cause::KeyEmpty,
                Certain,
                format!("{name} holds the text '{word}': the variable meant to hold the key was unset"),
                format!("{shown}{word}"),
                "Set the variable your code reads the key from (an environment variable, a config entry) before the request: the language wrote its empty value as text (JavaScript's undefined, Python's None, Ruby's nil).",
            );
    } else if let Some(var) = key.trim().strip_prefix("{{").and_then(|k| k.strip_suffix("}}")) {
        d.find(
            Cause::KeyEmpty,
            Certain,
            format!("{name} holds the unresolved template variable '{{{{{var}}}}}': the tool sent the variable's name, not its value"),
            format!("{shown}{key}"),
            "Select the environment that defines the variable (Postman, Insomnia, Bruno, the IDE's HTTP client), or check its name's spelling and scope; the request then carries the key itself.",
        );
    } else if key.trim().is_empty() {
        d.find(
                Cause::KeyEmpty,
                Certain,
                format!("{name} is empty"),
                format!("{shown}(no value)"),
                "Put the API key in the header; the variable meant to hold it was probably unset (check the shell or environment variable your code reads the key from).",
            );
    } else if key.starts_with(['"', '\'']) || key.ends_with(['"', '\'']) {
        d.find(
            Cause::KeyQuoted,
            Certain,
            "the API key is wrapped in quotes",
            format!("{shown}{}", shorten(key)),
            "Send the key without quotes.",
        );
    } else if key.starts_with('$') {
        d.find(
            Cause::KeyShellVariable,
            Likely,
            format!("{name} holds an unexpanded shell variable"),
            format!("{shown}{key}"),
            "Set the variable before running the command (for example apiKey=...), or paste the key itself.",
        );
    } else if key.chars().any(char::is_whitespace) {
        d.find(
            Cause::KeyWhitespace,
            Certain,
            "the API key holds whitespace",
            format!("{shown}{} (with whitespace)", shorten(key)),
            "Send the key without spaces or line breaks.",
        );
    } else if let Some(escape) =
        ["\\r\\n", "\\n", "\\r", "\\t"].into_iter().find(|e| key.ends_with(e) || key.starts_with(e))
    {
        // A key read from a file or an environment variable written with an escape the reader
        // kept as text (`KEY=...\n` in a .env file, a JSON string decoded twice).
        d.find(
            Cause::KeyWhitespace,
            Certain,
            format!("the API key carries the two characters '{escape}' (a backslash and a letter), not a line break"),
            format!("{shown}{} (with '{escape}')", shorten(key.trim_start_matches(escape).trim_end_matches(escape))),
            format!("Remove the '{escape}' from where the key is stored (a .env file or config entry written with an escape its reader keeps as text), or strip it after reading: the key is the 64 letters and digits without it."),
        );
    } else if let Some(kind) = public_key_text(key) {
        d.find(
            Cause::KeyFormat,
            Certain,
            format!("{name} holds an {kind} public key, not the API key Binance issued for it"),
            format!("{shown}{}", shorten(key)),
            "Send the API key Binance showed when you registered this public key (API Management: 64 letters and digits); the public key stays with Binance, the private key with you for signing.",
        );
    } else if let Some(next) = key
        .get(accept::API_KEY_LEN..)
        .filter(|_| accept::is_well_formed_key(&key[..accept::API_KEY_LEN]))
        .and_then(|tail| {
            let name: String = tail.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            let known = [
                "accept",
                "content-type",
                "content-length",
                "user-agent",
                "host",
                "connection",
                "cache-control",
            ];
            known.contains(&name.to_ascii_lowercase().as_str()).then_some(name)
        })
    {
        // The next header glued to the key: the line break between them left out
        // (MQL5's WebRequest headers, a hand-built header block).
        d.find(
            Cause::KeyFormat,
            Certain,
            format!("the next header, '{next}', is glued to the API key: the line break between the headers is missing"),
            format!("{shown}{}{}", shorten(&key[..accept::API_KEY_LEN]), clip(&key[accept::API_KEY_LEN..], 40)),
            "End every header line with \\r\\n, the key's too (MQL5's WebRequest: \"X-MBX-APIKEY: \" + key + \"\\r\\n\"), so that the key is its 64 letters and digits alone.",
        );
    } else if !accept::is_well_formed_key(key) {
        d.find(
            Cause::KeyFormat,
            Likely,
            format!(
                "the API key is {} characters; Binance keys are {} letters and digits",
                key.chars().count(),
                accept::API_KEY_LEN
            ),
            format!("{shown}{}", shorten(key)),
            "Copy the whole API key (not the secret) from Binance's API management page.",
        );
    }
}

/// The kind of public key `text` is, when it is one: a PEM, or the base64 of its DER (the body of a
/// PEM), which starts the same for every key of a kind.
fn public_key_text(text: &str) -> Option<&'static str> {
    let body = text.trim().trim_start_matches("-----BEGIN PUBLIC KEY-----").trim_start();
    if body.starts_with("MCowBQYDK2VwAyEA") {
        Some("Ed25519")
    } else if body.starts_with("MIIBIjANBgkqhkiG9w0BAQEFAAOC")
        || body.starts_with("MIICIjANBgkqhkiG9w0BAQEFAAOC")
        || body.starts_with("MIIBojANBgkqhkiG9w0BAQEFAAOC")
        || text.contains("BEGIN RSA PUBLIC KEY")
    {
        Some("RSA")
    } else if text.contains("BEGIN PUBLIC KEY") {
        Some("asymmetric")
    } else {
        None
    }
}

/// The time now (`now_ms`) in a shape that is not a timestamp: the milliseconds cut to 32 bits (an
/// `int`, which a real time in seconds is not: it would be within a day of now), or the seconds
/// followed by the milliseconds without their leading zeros (11 or 12 digits whose first 10 are
/// the seconds now).
fn time_misshapen(raw: &str, now_ms: u64) -> Option<(Cause, String, &'static str)> {
    const DAY_S: u64 = 86_400;
    const HOUR_MS: u64 = 3_600_000;
    let digits = raw.trim_start_matches('-');
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
        return None;
    }
    let now_s = now_ms / 1000;
    if (11..=12).contains(&digits.len()) && !raw.starts_with('-') {
        let secs: u64 = digits[..10].parse().ok()?;
        if secs.abs_diff(now_s) < DAY_S {
            return Some((
                Cause::TimestampUnpaddedMillis,
                format!(
                    "timestamp is the seconds ({secs}) followed by the milliseconds without their leading zeros, not milliseconds"
                ),
                "Send seconds * 1000 + milliseconds (C: (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000), or print the milliseconds with three digits (%03ld).",
            ));
        }
    }
    if digits.len() <= 10 {
        let value: i64 = raw.parse().ok()?;
        let low32 = (value as u64) & 0xFFFF_FFFF;
        let now32 = now_ms & 0xFFFF_FFFF;
        let apart = low32.abs_diff(now32).min((1 << 32) - low32.abs_diff(now32));
        if value.unsigned_abs().abs_diff(now_s) >= DAY_S && apart < HOUR_MS {
            return Some((
                Cause::TimestampTruncated,
                "timestamp is the time in milliseconds cut to 32 bits: it was kept in an int, which overflows".to_owned(),
                "Keep the time in a 64-bit integer: C/C++ long long or int64_t (not int or long on Windows), Java long (not (int) System.currentTimeMillis()), C# long, Go int64.",
            ));
        }
    }
    None
}

/// A timestamp in a unit finer than microseconds, by its size (Binance reads it as microseconds,
/// centuries ahead): nanoseconds since 1970 (19 digits until 2286) or .NET's `DateTime.Ticks`
/// (100 ns since the year 1: 18 digits from 1902 to 2286). The title and the fix.
fn finer_than_micros(n: u64, sent_as_micros: bool) -> Option<(&'static str, &'static str)> {
    const TICKS_AT_1970: u64 = 621_355_968_000_000_000;
    if n >= 1_000_000_000_000_000_000 {
        Some((
            "timestamp is in nanoseconds; Binance takes milliseconds (or microseconds)",
            "Send milliseconds: divide nanoseconds by 1,000,000 (time.time_ns() // 1_000_000 in Python, UnixMilli() rather than UnixNano() in Go, as_millis() in Rust).",
        ))
    } else if n >= TICKS_AT_1970 - 21_000_000_000_000_000 {
        Some((
            "timestamp is in .NET ticks (100 ns since the year 1); Binance takes milliseconds since 1970",
            "Send DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() instead of DateTime.Ticks.",
        ))
    } else if sent_as_micros && (10_000_000_000_000_000..100_000_000_000_000_000).contains(&n) {
        // 17 digits sent: ten times the microseconds since 1970 (not 14 digits of milliseconds
        // since the year 1, which are 17 once in microseconds).
        Some((
            "timestamp is in 100-nanosecond units since 1970; Binance takes milliseconds",
            "Send milliseconds: MSVC's std::chrono::system_clock counts 100 ns, so use duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(); in .NET, (DateTime.UtcNow - DateTime.UnixEpoch).Ticks is 100 ns too: use DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().",
        ))
    } else {
        None
    }
}

fn key_param(req: &RequestRecord) -> Option<(String, String)> {
    for raw in [&req.query, &req.body] {
        for seg in raw.split('&') {
            let (k, v) = seg.split_once('=').unwrap_or((seg, ""));
            let k_lower = k.to_ascii_lowercase();
            // A bare `key` parameter is a key too, to the doctor's eye.
            if accept::KEY_PARAM_NAMES.contains(&k_lower.as_str()) || k_lower == "key" {
                return Some((k.to_owned(), v.to_owned()));
            }
        }
    }
    None
}

fn check_timing(d: &mut Doctor<'_>, timestamp: Option<&str>, recv_window: Option<&str>) {
    let window = match recv_window.map(RecvWindow::parse) {
        None => RecvWindow::DEFAULT,
        Some(Ok(w)) => w,
        Some(Err(e)) => {
            let value = recv_window.unwrap_or_default();
            let (cause, title) = if e.code == ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED {
                (Cause::RecvWindowTooLarge, "recvWindow is above 60000")
            } else {
                (
                    Cause::RecvWindowMalformed,
                    "recvWindow is not a number of milliseconds with up to three decimals",
                )
            };
            // No value at all: a field left unset and written anyway (Ruby's encode_www_form of
            // nil writes a bare `recvWindow`, others `recvWindow=`).
            let (title, fix) = if value.is_empty() {
                (
                    "recvWindow is sent with no value: a field left unset (nil, None, undefined) and written anyway",
                    "Leave recvWindow out when it has no value (Binance then allows 5000 ms), or give it one, e.g. 5000.",
                )
            } else {
                (title, "Use a recvWindow of 5000 or less (at most 60000 ms, up to three decimals).")
            };
            d.find(cause, Certain, title, format!("recvWindow={value}"), fix);
            RecvWindow::MAX
        }
    };
    let Some(raw) = timestamp else {
        // Other exchanges send the time in a header (X-BAPI-TIMESTAMP, OK-ACCESS-TIMESTAMP, ...).
        let in_header = d.req.headers.iter().find(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k.contains("timestamp") || k == "request-time" || k.ends_with("-ts")
        });
        if let Some((h, _)) = in_header {
            d.find(Cause::TimestampMissing, Certain, format!("the timestamp is sent in the header '{h}', not as a parameter"), format!("header '{h}'"),
                "Send timestamp=<current time in milliseconds> as a parameter (query string or body), and sign the payload that includes it.");
        } else if !d.unread_as_params(&[Cause::HtmlMangledAmpersand]) {
            d.find(Cause::TimestampMissing, Certain, "no timestamp parameter", "the parameters hold no timestamp",
                "Add timestamp=<current time in milliseconds> before signing, and sign the payload that includes it.");
        }
        return;
    };
    if let Some((cause, title, fix)) = d.ctx.server_time.and_then(|now| time_misshapen(raw, now.as_millis()))
    {
        d.find(cause, Certain, title, format!("timestamp={raw} ({} digits)", raw.len()), fix);
        return;
    }
    let Some(ts) = Timestamp::parse(raw) else {
        if raw.contains("%N") || raw.contains("%3N") {
            // `date +%s%3N` where date has no %N (macOS, BSD, BusyBox): the format is printed as is.
            d.find(Cause::TimestampMalformed, Certain, "timestamp holds date's '%3N' as written: the date command that ran has no %N (macOS and BSD date print it as is)", format!("timestamp={raw}"),
                "On macOS use GNU date (gdate +%s%3N, from coreutils), or $(( $(date +%s) * 1000 )), or python3 -c 'import time; print(int(time.time() * 1000))'.");
        } else if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
            d.find(Cause::TimestampMalformed, Certain, format!("timestamp is a whole number of {} digits, too long for any unit of time (milliseconds have 13)", raw.len()), format!("timestamp={}", clip(raw, 40)),
                "Send the current time as a whole number of milliseconds (13 digits), e.g. int(time.time() * 1000) in Python; check how the number was built (two numbers written one after the other, or a unit finer than nanoseconds).");
        } else {
            d.find(Cause::TimestampMalformed, Certain, "timestamp is not a whole number", format!("timestamp={raw}"),
                "Send the time as a whole number of milliseconds (13 digits), e.g. int(time.time() * 1000) in Python.");
        }
        return;
    };
    let ms = ts.as_millis();
    if accept::looks_like_seconds(ms) {
        d.find(Cause::TimestampSeconds, Certain, "timestamp is in seconds; Binance expects milliseconds", format!("timestamp={raw} ({} digits)", raw.len()),
            "Send milliseconds: multiply by 1000 (date +%s000 in bash, Date.now() in JavaScript, int(time.time() * 1000) in Python).");
        return;
    }
    if ms < 100_000_000_000 {
        d.find(Cause::TimestampTooOld, Certain, format!("timestamp={raw} is not the current time: it is {ms} ms after 1970-01-01, not the time now in milliseconds"), format!("timestamp={raw} ({} digits; the time now in milliseconds has 13)", raw.len()),
            "Send the current time in milliseconds since 1970 (13 digits): Date.now() in JavaScript, int(time.time() * 1000) in Python, System.currentTimeMillis() in Java (not System.nanoTime(), a counter since an arbitrary start), time.Now().UnixMilli() in Go (not a monotonic clock or the process's uptime).");
        return;
    }
    if let Some((title, fix)) = finer_than_micros(ts.as_micros(), matches!(ts, Timestamp::Micros(_))) {
        d.find(
            Cause::TimestampNanoseconds,
            Certain,
            title,
            format!("timestamp={raw} ({} digits)", raw.len()),
            fix,
        );
        return;
    }
    let Some(now) = d.ctx.server_time else { return };
    if crate::time::check_timing(ts, window, now).is_err() {
        let delta_ms = (ts.as_micros() as i128 - now.as_micros() as i128) as f64 / 1000.0;
        let evidence = format!(
            "timestamp={raw} is {:+.0} ms from the server time {}; recvWindow {window} ms",
            delta_ms,
            now.as_millis()
        );
        // Off by a time zone's offset (within two minutes): local time taken for UTC, or the reverse.
        if let Some(offset) = time_zone_offset(delta_ms) {
            let way = if delta_ms > 0.0 { "ahead of" } else { "behind" };
            d.find(
                Cause::TimestampTimeZone,
                Certain,
                format!("timestamp is {offset} {way} the server's time: a time-zone mistake (a local date-time read as UTC, or UTC read as local time)"),
                evidence,
                "Take the time since the epoch in UTC (Date.now(), time.time(), System.currentTimeMillis()), not a local date-time converted as if it were UTC.",
            );
        } else if delta_ms < 0.0 && d.req.earlier.contains(&d.req.signed_payload()) {
            // The same signed payload sent before in this log: a retry that kept the first
            // attempt's timestamp and signature, and aged past the window.
            d.find(Cause::TimestampTooOld, Certain, "the request is an earlier one sent again with its first timestamp and signature (a retry): by the time it was sent, the timestamp was older than recvWindow allows", evidence,
                    "Sign every attempt anew: take a fresh timestamp and compute the signature again for each retry (in the retry loop, not before it; Polly, tenacity and axios-retry resend the request as first built).");
        } else if let Some((title, fix)) = other_epoch(delta_ms) {
            let cause = if delta_ms > 0.0 { Cause::TimestampAhead } else { Cause::TimestampTooOld };
            d.find(cause, Certain, title, evidence, fix);
        } else if delta_ms > 0.0 {
            d.find(Cause::TimestampAhead, Certain, "timestamp is ahead of the server's time", evidence,
                    "Your clock runs ahead: sync it (NTP), or offset timestamps by the server time from GET /api/v3/time.");
        } else if RecvWindow::from_millis(0) == Some(window) {
            d.find(Cause::TimestampTooOld, Certain, "recvWindow=0 gives the request no time at all: most likely a field left at its zero value and sent anyway", evidence,
                    "Leave recvWindow out (Binance then allows 5000 ms) or set it, e.g. to 5000: a struct field or option left at 0 is still sent (Go: tag it `,omitempty`; elsewhere, add it only when set).");
        } else if RecvWindow::from_millis(1000).is_some_and(|second| window < second) {
            // A window of a few milliseconds: seconds meant (recvWindow=5 for 5 s).
            d.find(Cause::TimestampTooOld, Certain, format!("recvWindow={window} is {window} milliseconds, not seconds: no request arrives that fast"), evidence,
                    match window.to_string() {
                        w if w.contains('.') => "recvWindow is in milliseconds: send 5000 for five seconds, or leave it out.".to_owned(),
                        w => format!("recvWindow is in milliseconds: send {w}000 for {w} seconds, or leave it out for 5000."),
                    });
        } else {
            d.find(Cause::TimestampTooOld, Certain, "timestamp is older than recvWindow allows", evidence,
                    "Sign and send right away with a fresh timestamp; sync your clock (NTP) or offset by GET /api/v3/time; recvWindow 5000 is usually enough.");
        }
    }
}

/// A timestamp counted from another epoch than 1970 (within a day): .NET's `DateTime.Ticks` divided
/// into milliseconds counts from the year 1; LabVIEW's from 1904, NTP's from 1900, Apple's
/// reference date from 2001.
fn other_epoch(delta_ms: f64) -> Option<(&'static str, &'static str)> {
    const YEAR_1_MS: f64 = 62_135_596_800_000.0;
    const DAY_MS: f64 = 86_400_000.0;
    if (delta_ms - YEAR_1_MS).abs() <= DAY_MS {
        return Some((
            "timestamp counts milliseconds from the year 1, not from 1970 (.NET's DateTime.Ticks divided by TicksPerMillisecond, Julia's Dates.value of a DateTime)",
            "Send milliseconds since 1970 (UTC): DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() in .NET, Dates.datetime2unix(now(UTC)) * 1000 in Julia.",
        ));
    }
    // 1904 (LabVIEW's and classic Mac OS's time stamps, Excel's 1904 date system), 1900 (NTP's
    // seconds, Common Lisp's universal time): 2,082,844,800 and 2,208,988,800 seconds before 1970.
    if (delta_ms - 2_082_844_800_000.0).abs() <= DAY_MS {
        return Some((
            "timestamp counts milliseconds from 1904, not from 1970 (LabVIEW's time stamp, classic Mac OS's clock)",
            "Subtract 2,082,844,800 seconds (the seconds from 1904 to 1970) before turning the time into milliseconds, or read Unix time directly; send milliseconds since 1970 (UTC).",
        ));
    }
    if (delta_ms - 2_208_988_800_000.0).abs() <= DAY_MS {
        return Some((
            "timestamp counts milliseconds from 1900, not from 1970 (NTP's time, Common Lisp's get-universal-time)",
            "Subtract 2,208,988,800 seconds (the seconds from 1900 to 1970) before turning the time into milliseconds; send milliseconds since 1970 (UTC).",
        ));
    }
    // 2001, behind (Apple's reference date: `timeIntervalSinceReferenceDate`, `CFAbsoluteTimeGetCurrent`).
    if (delta_ms + 978_307_200_000.0).abs() <= DAY_MS {
        return Some((
            "timestamp counts milliseconds from 2001, not from 1970 (Apple's timeIntervalSinceReferenceDate, CFAbsoluteTimeGetCurrent)",
            "Use Date().timeIntervalSince1970 * 1000 (Swift) or [[NSDate date] timeIntervalSince1970] * 1000 (Objective-C).",
        ));
    }
    None
}

/// The time zone offset `delta_ms` is, within two minutes, as text ("3 hour(s)", "5 h 30 min"): a
/// whole number of hours from 1 to 14, or one of the offsets of real zones that are not whole hours
/// (India's 5:30, Nepal's 5:45, Iran's 3:30, Newfoundland's 3:30 and 2:30, central Australia's 9:30
/// and 10:30, Chatham's 12:45 and 13:45, and the others), either way round.
fn time_zone_offset(delta_ms: f64) -> Option<String> {
    const PART_HOURS: [u32; 11] = [150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825];
    let within = |m: u32| (delta_ms.abs() - f64::from(m) * 60_000.0).abs() <= 120_000.0;
    if let Some(h) = (1..=14u32).find(|h| within(h * 60)) {
        return Some(format!("{h} hour(s)"));
    }
    PART_HOURS.iter().find(|&&m| within(m)).map(|m| format!("{} h {} min", m / 60, m % 60))
}

/// `sent` is the query string and body without their signature pairs; `form` the raw form body (the
/// signature's place is read from it and the raw query).
/// The signatures Binance's API docs print in their examples (REST and WebSocket API; HMAC hex,
/// RSA and Ed25519 base64). A request that sends one for its own parameters copied it.
const DOCS_EXAMPLE_SIGNATURES: [&str; 38] = [
    "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
    "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3",
    "HZ8HOjiJ1s/igS9JA+n7+7Ti/ihtkRF5BIWcPIEluJP6tlbFM/Bf44LfZka/iemtahZAZzcO9TnI5uaXh3++lrqtNonCwp6/245UFWkiW1elpgtVAmJPbogcAv6rSlokztAfWk296ZJXzRDYAtzGH0gq7CgSJKfH+XxaCmR0WcvlKjNQnp12/eKXJYO4tDap8UCBLuyxDnR7oJKLHQHJLP0r0EAVOOSIbrFang/1WOq+Jaq4Efc4XpnTgnwlBbWTmhWDR1pvS9iVEzcSYLHT/fNnMRxFc7u+j3qI//5yuGuu14KR0MuQKKCSpViieD+fIti46sxPTsjSemoUKp0oXA==",
    "qJtv66wyp/1mZE+mIFAAMUoTe8xkmLN7/eAZjuC9x1ocxovItHLl/sNK7Wq8QjgiHqGn0bb8P7yVvGBEd1gFe71NQ8aM0M+JNIMz5UFxfeA53rXjFlvsyH1Sig+OuO9Nz5nhCaJ6bEfj2iuv7w27pB3L8MVqmoCi6D9C/QMiLxtPaR70CxtnvoOlIgPmpv2bQy029A31NEK19ieVLkoyp1EUkXRaX3v0mohx8yMnUG1dhX9nUg3Oy8TYZ03DQy7kHDGkMKisNX7rt/GuGx1HIgjFclDGLsbAFIodvSLjm9FbseasMELoxlAJDlwRnW8zo5sQmL0Fz7ao935QBynrng==",
    "HaZnek7KOGa/k5+f6Q1nw8lzMUpo36mRVvvLHCMUCXxlmdQQGZge1luAUKnleD/DYeD19YrqzeHbb6xU3MkSIXKhAO1MaYq48uGVYb3vJScEZVOutgMInrZzUcCWNulNkfcbmExSiymCZ5xQBw5QDuzpuDFqRZ1Xt+BZxEHBN9OYQKpoe0+ovjnXyVOaH8VUKhE/ghUWnThrXJr+hmSc5t7ggjiVPQc7pGn3qSNGCQwdpkQC9GHMr/r+8n6qeEKMYB5j/1wC4d8Jae8FQiU8xcXR0NlUgV2LAw61/ZJv5BTJpa+z5Lv1W9v6jHQWRX2O8uaG3KU/lR3spR7+oGlWOw=",
    "5942ad337e6779f2f4c62cd1c26dba71c91514400a24990a3e7f5edec9323f90",
    "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24",
    "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd",
    "OJJaf8C/3VGrU4ATTR4GiUDqL2FboSE1Qw7UnnoYNfXTXHubIl1iaePGuGyfct4NPu5oVEZCH4Q6ZStfB1w4ssgu0uiB/Bg+fBrRFfVgVaLKBdYHMvT+ljUJzqVaeoThG9oXlduiw8PbS9U8DYAbDvWN3jqZLo4Z2YJbyovyDAvDTr/oC0+vssLqP7NmlNb3fF3Bj7StmOwJvQJTbRAtzxK5PP7OQe+0mbW+D7RqVkUiSswR8qJFWTeSe4nXXNIdZdueYhF/Xf25L+KitJS5IHdIHcKfEw3MQzHFb2ZsGWkjDQwxkwr7Noi0Zaa+gFtxCuatGFm9dFIyx217pmSHtA==",
    "F3o/79Ttvl2cVYGPfBOF3oEOcm5QcYmTYWpdVIrKve5u+8paMNDAdUE+teqMxFM9HcquetGcfuFpLYtsQames5bDx/tskGM76TWW8HaM+6tuSYBSFLrKqChfA9hQGLYGjAiflf1YBnDhY+7vNbJFusUborNOloOj+ufzP5q42PvI3H0uNy3W5V3pyfXpDGCBtfCYYr9NAqA4d+AQfyllL/zkO9h9JSdozN49t0/hWGoD2dWgSO0Je6MytKEvD4DQXGeqNlBTB6tUXcWnRW+FcaKZ4KYqnxCtb1u8rFXUYgFykr2CbcJLSmw6ydEJ3EZ/NaZopRr+cU0W2m0HZ3qucw==",
    "EocljwPl29jDxWYaaRaOo4pJ9wEblFbklJvPugNscLLuKd5vHM2grWjn1z+rY0aJ7r/44enxHL6mOAJuJ1kqCg==",
    "dtNHJeyKry+cNjiGv+sv5kynO9S40tf8k7D5CfAEQAp0s2scunZj+ovJdz2OgW8XhkB9G3/HmASkA9uY9eyFCA==",
    "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed",
    "15af09e41c36f3cc61378c2fbe2c33719a03dd5eba8d0f9206fbda44de717c88",
    "33d5b721f278ae17a52f004a82a6f68a70c68e7dd6776ed0be77a455ab855282",
    "7028fdc187868754d25e42c37ccfa5ba2bab1d180ad55d4c3a7e2de643943dc5",
    "fa49c0c4ebc331c6ebd3fcb20deb387f60081ea858eebe6e35aa6fcdf2a82e08",
    "773f01b6e3c2c9e0c1d217bc043ce383c1ddd6f0e25f8d6070f2b66a6ceaf3a5",
    "6689c2a36a639ff3915c2904871709990ab65f3c7a9ff13857558fd350315c35",
    "64614cfd8dd38260d4fd86d3c455dbf4b9d1c8a8170ea54f700592a986c30ddb",
    "3e1e5ac8690b0caf9a2afd5c5de881ceba69939cc9d817daead5386bf65d0cbb",
    "c094473304374e1b9c5f7e2558358066cfa99df69f50f63d09cfee755136cb07",
    "b50ce8977333a78a3bbad21df178d7e104a8c985d19007b55df688cdf868639a",
    "adfa185c50f793392a54ad5a6e2c39fd34ef6d35944adf2ddd6f30e1866e58d3",
    "4973f4b2fee30bf6d45e4a973e941cc60fdd53c8dd5a25edeac96f5733c0ccee",
    "fd301899567bc9472ce023392160cdc265ad8fcbbb67e0ea1b2af70a4b0cd9c7",
    "83303b4a136ac1371795f465808367242685a9e3a42b22edb4d977d0696eb45c",
    "2c3aab5a078ee4ea465ecd95523b77289f61476c2f238ec10c55ea6cb11a6f35",
    "d632b3fdb8a81dd44f82c7c901833309dd714fe508772a89b0a35b0ee0c48b89",
    "f50a972ba7fad92842187643f6b930802d4e20bce1ba1e788e856e811577bd42",
    "d12f4e8892d46c0ddfbd43d556ff6d818581b3be22a02810c2c20cb719aed6a4",
    "1bea8b157dd78c3da30359bddcd999e4049749fe50b828e620e12f64e8b433c9",
    "c8e1484db4a4a02d0e84dfa627eb9b8298f07ebf12fcc4eaf86e4a565b2712c2",
    "c5a5ffb79fd4f2e10a92f895d488943a57954edf5933bde3338dfb6ea6d6eefc",
    "76289424d6e288f4dc47d167ac824e859dabf78736f4348abbbac848d719eb94",
    "0eed2e9d95b6868ea5ec21da0d14538192ef344c30ecf9fe83d58631699334dc",
    "7edc54dd0493dd5bc47adbab9b17bfc9b378d55c20511ae5a168456d3d37aa3a",
    "yN1vWpXb+qoZ3/dGiFs9vmpNdV7e3FxkA+BstzbezDKwObcijvk/CVkWxIwMCtCJbP270R0OempYwEpS6rDZCQ==",
];

/// The HMAC secret of the docs' examples (their test key pair's).
const DOCS_EXAMPLE_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// Whether `signature` is one of the docs' examples sent over `payload`, which the docs' own
/// secret does not sign to it (the docs' example request itself, sent as it stands, is not a copy).
fn docs_example_copied(signature: &str, payload: &str) -> bool {
    DOCS_EXAMPLE_SIGNATURES.iter().any(|s| s.eq_ignore_ascii_case(signature))
        && !crate::sign::HmacSigner::new(DOCS_EXAMPLE_SECRET.as_bytes())
            .sign(payload.as_bytes())
            .as_str()
            .eq_ignore_ascii_case(signature)
}

/// The finding for [`docs_example_copied`].
fn find_docs_example(d: &mut Doctor<'_>, shown: String) {
    d.find(
        Cause::SignatureReused,
        Certain,
        "the signature is one printed in Binance's API docs' examples: it was made over the docs' example request with their example key, not over this request",
        shown,
        "Compute the signature over this request's own payload with your own secret (or private key), in the program, right before sending it; the docs' value shows only the form a signature takes.",
    );
}

fn check_signature(
    d: &mut Doctor<'_>,
    sigs: &[&str],
    (query, body): (&str, &str),
    form: &str,
    params: &[(String, String)],
    verified: Option<bool>,
) {
    let in_header = d
        .req
        .headers
        .iter()
        .find(|(k, _)| {
            let k = k.to_ascii_lowercase();
            // Binance's name misplaced, or another exchange's (X-BAPI-SIGN, OK-ACCESS-SIGN, API-Sign).
            k.contains("signature") || k == "sign" || k.ends_with("-sign") || k.ends_with("_sign")
        })
        .map(|(k, _)| k.clone());
    let raw_sig = match sigs {
        [] => {
            match in_header {
                Some(h) => d.find(Cause::SignatureInHeader, Certain, format!("the signature is sent in the header '{h}'"), format!("header '{h}'"),
                    "Send the signature as the last parameter of the query string or body: ...&signature=<signature>."),
                None if !d.unread_as_params(&[Cause::HtmlMangledAmpersand]) => {
                    // A body cut by a length set before the signature was appended looks the same.
                    let fix = if d.req.body.is_empty() {
                        "Sign the payload (query string followed by body) and append &signature=<signature>."
                    } else {
                        "Sign the payload (query string followed by body) and append &signature=<signature>. If your code does append it to the body, the length sent stops before it: set the Content-Length (libcurl: CURLOPT_POSTFIELDSIZE) after appending, or leave it to the HTTP client."
                    };
                    d.find(Cause::SignatureMissing, Certain, "no signature parameter", "the query string and body hold no signature", fix);
                }
                None => {}
            }
            return;
        }
        [""] => {
            d.find(
                Cause::SignatureMissing,
                Certain,
                "the signature parameter is empty",
                "signature= with no value",
                "Sign the payload (query string followed by body) and put the signature after signature=; an empty value usually means the signing step produced nothing or its variable was unset.",
            );
            return;
        }
        [one] => *one,
        [first, ..] => {
            d.find(
                Cause::SignatureDuplicated,
                Certain,
                format!("the signature parameter is sent {} times", sigs.len()),
                "signature appears more than once",
                "Send one signature, computed over the payload without any signature parameter.",
            );
            first
        }
    };
    if is_secret_text(d.ctx, raw_sig) {
        check_signature_text(d, raw_sig);
        return;
    }
    let plus_raw = raw_sig.contains('+');
    let (mut signature, raw_bytes) = match encode::percent_decode(raw_sig) {
        Ok(text) => (text, false),
        // Not text: the digest's or signature's raw bytes, percent-encoded.
        Err(_) => match raw_signature_text(d, raw_sig, &format!("{query}{body}")) {
            Some(text) => (text, true),
            None => return,
        },
    };
    let plus_raw = plus_raw && !raw_bytes;
    // A digest in another form than bare hex (where a '+' may stand for a space: openssl's label).
    let bare = unwrap_hex(&signature).or_else(|| unwrap_hex(&signature.replace('+', " ")));
    let plus_read = plus_raw || signature.contains(' ');
    let mut reread = raw_bytes || plus_read;
    if let Some((title, fix, hex)) = bare {
        d.find(Cause::SignatureNotBare, Certain, title, format!("signature={}", clip(raw_sig, 90)), fix);
        // Nothing to check when no digest can be read back from it.
        let Some(hex) = hex else { return };
        signature = hex;
        reread = true;
    } else if plus_read {
        d.find(Cause::SignaturePlusNotEncoded, Likely, "the base64 signature holds a '+' that is not percent-encoded; Binance reads it as a space",
            format!("signature={}", clip(raw_sig, 40)), "Percent-encode the signature before putting it in the URL or body ('+' becomes %2B, '/' %2F, '=' %3D).");
        // What the client computed had '+' where we now see spaces.
        signature = signature.replace(' ', "+");
    }
    let payload = format!("{query}{body}");
    if digest_appended(d, &signature, &payload) {
        return;
    }
    check_signature_text(d, &signature);
    if raw_sig.contains("%25") && encode::percent_decode(&signature).is_ok_and(|twice| twice != signature) {
        d.find(
            Cause::SignatureEncodedTwice,
            Likely,
            "the signature was percent-encoded twice ('%25' is an encoded '%')",
            format!("signature={}", clip(raw_sig, 40)),
            "Percent-encode the signature once: encode the query string as a whole, or the signature alone, not both.",
        );
    }
    if signed_before_encoding_whole(d, &signature) {
        return;
    }
    // Binance takes the signature from the end of the query string (or body): elsewhere it is
    // refused, though it may be right for the payload. Said first when it is the only mistake.
    let misplaced_in = if !crate::payload::signature_last(&d.req.query) {
        Some(("query string", d.req.query.as_str()))
    } else if !crate::payload::signature_last(form) {
        Some(("body", form))
    } else {
        None
    };
    let misplaced = |d: &mut Doctor<'_>, certainty| {
        if let Some((part, text)) = misplaced_in {
            // Names in sorted order: a sorting builder; else a hash map's order.
            let names: Vec<&str> = text.split('&').map(|p| p.split('=').next().unwrap_or_default()).collect();
            let fix = if names.is_sorted() {
                "Append &signature=<signature> after every other parameter. A URL builder that sorts parameters moves it before symbol and timestamp (Go's url.Values.Encode, a BTreeMap, a sorted dict): build the query string, sign it, then add the signature at the end."
            } else {
                "Append &signature=<signature> after every other parameter, in the order you signed them. A hash map (Clojure's hash-map past eight keys, Java's HashMap, Go's map, Lua's pairs()) sends the parameters in its own order, the signature among them, and the payload then differs from the one you signed: keep the parameters in an ordered list (array-map, LinkedHashMap, a slice of pairs), build the query string, sign it, then add the signature at the end."
            };
            d.find(
                Cause::SignatureNotLast,
                certainty,
                format!(
                    "the signature is not the last parameter of the {part}: Binance takes it from the end"
                ),
                format!("{part}: {}", clip(text, 120)),
                fix,
            );
        }
    };
    if docs_example_copied(&signature, &payload) {
        find_docs_example(d, format!("signature={}", clip(raw_sig, 24)));
        return;
    }
    // The acceptance check's answer stands unless the signature was read differently here (or was
    // refused for its place alone).
    let ok = match verified {
        Some(ok) if !reread && misplaced_in.is_none() && d.ctx.key_kind().is_some() => ok,
        _ => match d.ctx.any_verifier() {
            Some(v) => v.verify(payload.as_bytes(), &signature).is_ok(),
            None => {
                misplaced(d, Certain);
                return;
            }
        },
    };
    if ok {
        misplaced(d, Certain);
        return;
    }
    // Another mistake too: it comes first.
    misplaced(d, Likely);
    // The signature an earlier request of the same log sent: kept and sent again.
    // Not when the earlier one holds the same values, written otherwise (a relay or proxy that
    // re-encoded the request on its way, `:` into `%3A`): that is this request, and the search
    // below says how it was changed.
    let pairs = |text: &str| -> Vec<(String, String)> {
        text.split('&')
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                let v = crate::encode::form_decode(v).ok()?;
                (k != "signature").then(|| (k.to_owned(), v))
            })
            .collect()
    };
    let mine = pairs(&payload);
    let same_values = |signed: &str| {
        let theirs = pairs(signed);
        !mine.is_empty() && mine.iter().all(|p| theirs.contains(p))
    };
    if d.req
        .earlier_signatures
        .iter()
        .any(|(s, signed)| (s == raw_sig || *s == signature) && *signed != payload && !same_values(signed))
    {
        signature_reused(d, &format!("signature={}", clip(raw_sig, 24)));
        return;
    }
    let api_key = d.req.header("x-mbx-apikey").map(str::to_owned);
    let earlier_signatures: Vec<String> = d.req.earlier_signatures.iter().map(|(s, _)| s.clone()).collect();
    let sent = search::Sent {
        query,
        body,
        params,
        api_key: api_key.as_deref(),
        method: &d.req.method,
        host: d.req.host.as_deref().unwrap_or("api.binance.com"),
        path: &d.req.path,
        earlier: &d.req.earlier,
        earlier_signatures: &earlier_signatures,
        printed: &d.req.printed,
        signature_misplaced: misplaced_in.is_some(),
    };
    let candidates = search::payload_candidates(&sent);
    // The late hypotheses last (re-spelled numbers, dropped parameters), and for an HMAC key only
    // (hundreds of payloads: with an RSA or Ed25519 key each is a hash or a verification more).
    let found = search_all_keys(d.ctx, &candidates, sent.api_key, &signature).or_else(|| {
        let hmac = d.ctx.key_kind() == Some(KeyKind::Hmac);
        hmac.then(|| search::late_candidates(&sent))
            .and_then(|more| search_all_keys(d.ctx, &more, sent.api_key, &signature))
            // Last, every other order of the pairs sent (a map read twice): thousands of payloads,
            // with the secret given only (not another key pair's).
            .or_else(|| {
                let secret = d.ctx.secret.as_ref().filter(|_| hmac)?;
                let more = search::permuted_candidates(&sent);
                search::search(&more, sent.api_key, &signature, &search::Checker::Hmac(secret.expose()))
            })
    });
    match found {
        Some(hit) => report_hit(d, &hit, &payload),
        None if signature_form_named(d) => {}
        // The code beside the request shows a slip that gives -1022 (the HMAC keyed with the API
        // key, which the text may not show): that one.
        None if let Some(s) = d
            .req
            .source
            .iter()
            .find(|s| s.error.code == ErrorCode::INVALID_SIGNATURE && s.cause != Cause::SignatureMismatch) =>
        {
            let (cause, title, evidence, fix) = (s.cause, s.title.clone(), format!("your code: {}", s.line), s.fix.clone());
            d.find(cause, Likely, title, evidence, fix);
        }
        None => d.find(Cause::SignatureMismatch, Likely, "the signature does not match this payload and key, and no known mistake reproduces it",
            format!("Binance verifies over: {}", clip(&payload, 200)),
            "Check that the key is the one registered for this API key, and sign exactly the payload shown (query string then body, percent-encoded, timestamp included). Build that text once and send the same text: parameters kept in a map (Rust's HashMap, a Go map) come out in another order each time they are read."),
    }
}

/// How the payload signed differs from the one sent, in a clause: the same pairs in another
/// order, or the pairs only one of them holds.
fn payload_difference(signed: &str, sent: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (signed.split('&').collect(), sent.split('&').collect());
    let mut sorted = (a.clone(), b.clone());
    sorted.0.sort_unstable();
    sorted.1.sort_unstable();
    if sorted.0 == sorted.1 {
        let names = |pairs: &[&str]| {
            pairs.iter().map(|p| p.split('=').next().unwrap_or_default()).collect::<Vec<_>>().join(", ")
        };
        return format!("the same parameters in another order (signed: {}; sent: {})", names(&a), names(&b));
    }
    let only = |x: &[&str], y: &[&str]| {
        x.iter().filter(|p| !y.contains(p)).map(|p| format!("`{}`", clip(p, 40))).collect::<Vec<_>>()
    };
    let (signed_only, sent_only) = (only(&a, &b), only(&b, &a));
    match (signed_only.is_empty(), sent_only.is_empty()) {
        (false, false) => {
            format!("it holds {} where the request sends {}", signed_only.join(", "), sent_only.join(", "))
        }
        (false, true) => format!("it holds {}, which the request does not send", signed_only.join(", ")),
        (true, false) => format!("the request also sends {}, which was not signed", sent_only.join(", ")),
        (true, true) => "the same pairs, written otherwise".to_owned(),
    }
}

/// Whether the signature's form is already named as wrong: then no "no known mistake reproduces
/// it" is said beside it.
fn signature_form_named(d: &Doctor<'_>) -> bool {
    d.findings.iter().any(|f| {
        matches!(
            f.cause,
            Cause::SignatureNotBare
                | Cause::SignatureWrongLength
                | Cause::SignatureBase64ForHmac
                | Cause::SignatureHexForAsymmetricKey
                | Cause::SignatureUrlSafeBase64
                | Cause::SignatureEncodedTwice
        )
    })
}

/// A signature sent as raw bytes (percent-encoded): the 32 bytes of an HMAC-SHA256 digest, or the
/// 64 of an Ed25519 signature or the 256 to 512 of an RSA one, not written as hex or base64. Named,
/// and the text the client meant to send returned (hex or base64), so that it can still be checked.
fn raw_signature_text(d: &mut Doctor<'_>, raw_sig: &str, payload: &str) -> Option<String> {
    use base64::Engine as _;
    let text_of = |bytes: &[u8]| -> Option<String> {
        match bytes.len() {
            32 => <&[u8; 32]>::try_from(bytes)
                .ok()
                .map(|digest| String::from_utf8_lossy(&encode::hex_lower_32(digest)).into_owned()),
            64 | 256 | 384 | 512 => Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            _ => None,
        }
    };
    // A form encoder (PHP's urlencode) writes the byte 0x20 as '+': read it both ways, and keep the
    // reading that verifies (else the form encoder's).
    let readings: Vec<String> = [raw_sig.replace('+', "%20"), raw_sig.to_owned()]
        .iter()
        .filter_map(|r| encode::percent_decode_bytes(r).ok())
        .filter_map(|b| text_of(&b))
        .collect();
    let verifies = |t: &String| d.ctx.any_verifier().is_some_and(|v| v.verify(payload.as_bytes(), t).is_ok());
    let text = readings.iter().find(|t| verifies(t)).or(readings.first())?.clone();
    let (title, fix) = if text.len() == 64 {
        (
            "the signature is the HMAC digest's 32 raw bytes, not its hex",
            "Send the digest as 64 hex digits: hash_hmac('sha256', $query, $secret) without the raw-output flag (PHP), .hexdigest() (Python), .digest('hex') (Node.js), or hex-encode the raw bytes (bin2hex, HexFormat, hex.EncodeToString).",
        )
    } else {
        (
            "the signature is its raw bytes, not base64",
            "Base64-encode the signature's bytes, then percent-encode that text in the request.",
        )
    };
    d.find(Cause::SignatureNotBare, Certain, title, format!("signature={}", clip(raw_sig, 60)), fix);
    Some(text)
}

/// The hypothesis search with this key pair, then with each of the user's other key pairs (a hit
/// there is a secret from another environment or profile).
fn search_all_keys(
    ctx: &Context,
    candidates: &[search::Candidate],
    api_key: Option<&str>,
    signature: &str,
) -> Option<Hit> {
    fn checker<'k>(
        secret: &'k Option<SecretBytes>,
        verifier: &'k Option<Verifier>,
    ) -> Option<search::Checker<'k>> {
        match (secret, verifier) {
            (Some(s), _) => Some(search::Checker::Hmac(s.expose())),
            (None, Some(v)) => Some(search::Checker::Verifier(v)),
            (None, None) => None,
        }
    }
    if let Some(c) = checker(&ctx.secret, &ctx.verifier)
        && let Some(hit) = search::search(candidates, api_key, signature, &c)
    {
        return Some(hit);
    }
    ctx.others.iter().find_map(|o| {
        let mut hit =
            search::search_other(candidates, api_key, signature, &checker(&o.secret, &o.verifier)?)?;
        hit.causes.insert(0, Cause::SecretOtherEnvironment);
        // An HMAC key pair's secret, or an Ed25519 or RSA key pair's private key.
        let key = if o.secret.is_some() { "the secret" } else { PRIVATE_KEY_OF };
        let whose = match o.venue {
            Some(v) => format!("{key} of {} ({})", o.label, v.title()),
            None => format!("{key} of {}", o.label),
        };
        hit.secret_note = Some(match hit.secret_note {
            Some(note) => format!("{whose}, {note}"),
            None => whose,
        });
        Some(hit)
    })
}

/// How a hit with another key pair's Ed25519 or RSA key names it (HMAC ones: "the secret").
const PRIVATE_KEY_OF: &str = "the private key";

/// Whether `raw` (or its percent-decoding) is one of the user's secrets.
fn is_secret_text(ctx: &Context, raw: &str) -> bool {
    let decoded = encode::percent_decode(raw).unwrap_or_default();
    ctx.secrets().any(|s| s == raw.as_bytes() || s == decoded.as_bytes())
}

/// Go's `h.Sum(b)` appends the digest to `b` rather than hashing it: a signature longer than a
/// digest whose hex starts with some text and ends with HMAC-SHA256 of `payload` (or of nothing,
/// when the payload was never written to the HMAC). Names it, and says whether the rest is right.
fn digest_appended(d: &mut Doctor<'_>, signature: &str, payload: &str) -> bool {
    if signature.len() <= 64 || signature.len() % 2 == 1 || !signature.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return false;
    }
    let (head, tail) = signature.split_at(signature.len() - 64);
    let Some(Verifier::Hmac(mac)) = d.ctx.any_verifier() else { return false };
    let head: Option<Vec<u8>> =
        (0..head.len()).step_by(2).map(|i| u8::from_str_radix(&head[i..i + 2], 16).ok()).collect();
    let Some(text) = head.and_then(|h| String::from_utf8(h).ok()) else { return false };
    let over = if mac.verify(payload.as_bytes(), tail).is_ok() {
        "the payload"
    } else if mac.verify(b"", tail).is_ok() {
        "nothing (the payload was never written to the HMAC)"
    } else {
        return false;
    };
    d.find(
        Cause::SignatureNotBare,
        Certain,
        "the signature is the hex of some text followed by the digest: Go's h.Sum(b) appends the digest to b, it does not hash b",
        format!("signature = hex(`{}`) + a digest over {over}", clip(&text, 80)),
        "Write the payload to the HMAC (mac.Write([]byte(payload))), then send hex.EncodeToString(mac.Sum(nil)).",
    );
    true
}

/// A digest sent in another form than bare hex, as tools and languages print one: the title, the
/// fix, and the hex digest inside when it can be read back (`None`: Java's `[B@...`, which holds
/// none). `None` when the signature is bare hex, base64 or anything else.
fn unwrap_hex(sig: &str) -> Option<(&'static str, &'static str, Option<String>)> {
    let is_hex = |s: &str| s.len() >= 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let hex_of = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let trimmed = sig.trim();
    let (title, fix, bare) = if let Some(at) = sig.find("(stdin)=") {
        (
            "the signature holds openssl's '(stdin)= ' label before the digest",
            "Send only the hex digest: take what follows '= ' (openssl dgst ... | sed 's/^.*= //').",
            sig[at + "(stdin)=".len()..].trim().to_owned(),
        )
    } else if let Some((first, rest)) = trimmed.split_once(' ')
        && matches!(rest.trim(), "*stdin" | "-" | "*-")
    {
        (
            "the signature holds the file-name field of a digest tool's output ('*stdin' or '-')",
            "Send only the first field, the hex digest (... | cut -d' ' -f1).",
            first.to_owned(),
        )
    } else if let Some(rest) = sig.strip_prefix("0x").or_else(|| sig.strip_prefix("0X")) {
        (
            "the signature starts with '0x'",
            "Send the hex digits without the 0x prefix.",
            rest.trim().to_owned(),
        )
    } else if trimmed.len() > 3 && trimmed.split('-').all(|p| p.len() == 2 && is_hex_pair(p)) {
        (
            "the signature's bytes are separated by '-' (C#'s BitConverter.ToString)",
            "Remove the dashes: BitConverter.ToString(hash).Replace(\"-\", \"\"), or Convert.ToHexString(hash).",
            trimmed.replace('-', ""),
        )
    } else if let Some(bytes) = python_bytes(trimmed) {
        match std::str::from_utf8(&bytes).ok().filter(|t| is_hex(t) || is_base64_text(t)) {
            // str() of the signature's text as bytes (base64.b64encode(...) without .decode()).
            Some(text) => (
                "the signature is Python's printed bytes (b'...'), not the text inside",
                "Send the text: decode the bytes first (base64.b64encode(signature).decode() for Ed25519 and RSA; .hexdigest() for HMAC gives text already); str() of bytes writes b'...' around it.",
                text.to_owned(),
            ),
            None => (
                "the signature is Python's printed bytes (b'...'), not hex",
                "Send the digest as hex: hmac.new(secret, payload, hashlib.sha256).hexdigest(), not .digest() or str() of it.",
                hex_of(&bytes),
            ),
        }
    } else if let Some(bytes) = printed_byte_array(trimmed) {
        (
            "the signature is a printed byte array ([12, -34, ...]), not hex",
            "Hex-encode the digest's bytes (HexFormat.of().formatHex(mac.doFinal(...)) in Java 17+; bytes.map(b => b.toString(16).padStart(2, '0')).join('') in JavaScript; hex::encode(mac.finalize().into_bytes()) in Rust).",
            hex_of(&bytes),
        )
    } else if trimmed.starts_with("[object") {
        // The whole text (`[object ArrayBuffer]`, percent-encoded or not): no bytes to check.
        return Some((
            "the signature is JavaScript's text of an object ('[object ...]'), not its bytes",
            "Hex-encode the signature's bytes: crypto.subtle.sign gives an ArrayBuffer, so Array.from(new Uint8Array(sig), b => b.toString(16).padStart(2, '0')).join(''); Node's createHmac(...).digest('hex') gives hex text already. An ArrayBuffer, a Promise or an object turned into a string gives '[object ...]'.",
            None,
        ));
    } else if trimmed.starts_with("[B@") {
        return Some((
            "the signature is Java's byte[].toString() ('[B@...'), the array's identity, not its content",
            "Hex-encode the digest's bytes: HexFormat.of().formatHex(mac.doFinal(...)) (Java 17+), or a loop writing String.format(\"%02x\", b) for each byte.",
            None,
        ));
    } else if sig.ends_with('\0') {
        (
            "the signature ends with a NUL byte: a C string's terminator was sent with it",
            "Send the text without its terminating zero: MQL5's StringToCharArray(text, data) copies the terminator into the array (pass StringLen(text) as its count); in C, send strlen() bytes, not sizeof.",
            sig.trim_end_matches('\0').trim().to_owned(),
        )
    } else if let Some(inner) = ['"', '\''].iter().find_map(|q| trimmed.strip_prefix(*q)?.strip_suffix(*q)) {
        (
            "the signature is wrapped in quotes: a string's printed form was sent, not the string",
            "Send the digest's text itself: Haskell's show, JSON.stringify, Python's repr() and %r, Rust's {:?} and PowerShell's ConvertTo-Json of a string add quotes around it.",
            inner.to_owned(),
        )
    } else if trimmed.contains(['\n', '\r'])
        && trimmed.split_whitespace().all(|part| part.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        (
            "the signature holds line breaks: hex wrapped into lines (xxd -p breaks every 60 digits)",
            "Print the digest's hex on one line: openssl dgst -sha256 -hmac \"$secret\" | sed 's/^.*= //', or xxd -p -c 256; and send that.",
            trimmed.split_whitespace().collect(),
        )
    } else if trimmed.contains(['\n', '\r']) {
        (
            "the signature holds line breaks: base64 wrapped into lines (openssl base64 and MIME encoders break every 64 or 76 characters, Ruby's Base64.encode64 every 60)",
            "Encode without line breaks: openssl base64 -A, base64 -w0, Java's Base64.getEncoder() (not getMimeEncoder()), .NET's Convert.ToBase64String without InsertLineBreaks, Ruby's Base64.strict_encode64 (not encode64); then percent-encode it.",
            trimmed.split_whitespace().collect(),
        )
    } else if trimmed != sig {
        (
            "the signature has a line ending or spaces around it",
            "Strip the line ending from the digest before sending it (echo and command output add one).",
            trimmed.to_owned(),
        )
    } else {
        return None;
    };
    (is_hex(&bare) || is_base64_text(&bare)).then_some((title, fix, Some(bare)))
}

/// Standard base64 of a signature (44 characters or more, `=`-padded to whole blocks).
fn is_base64_text(s: &str) -> bool {
    s.len() >= 44
        && s.len().is_multiple_of(4)
        && s.trim_end_matches('=').bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn is_hex_pair(p: &str) -> bool {
    p.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The bytes of a Python bytes literal as `str(b)` prints it (`b'\x9f...'`), if `s` is one.
fn python_bytes(s: &str) -> Option<Vec<u8>> {
    logged::python_bytes(s.strip_prefix('b')?)
}

/// The bytes of an array printed as numbers (`[12, -34, ...]`: Java's `Arrays.toString`, a
/// JavaScript or Python list), if `s` is one of 16 or more numbers from -128 to 255.
fn printed_byte_array(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    // A type's name before the brackets: Crystal's `Bytes[...]`, Node's `Uint8Array(32) [ ... ]`.
    let s = match s.find('[') {
        Some(i) if i > 0 && s[..i].chars().all(|c| c.is_ascii_alphanumeric() || "() ".contains(c)) => &s[i..],
        _ => s,
    };
    // In brackets, or bare (Apps Script's byte[] joined: `63,-124,...`).
    let inner = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(s);
    if !inner.contains(',') {
        return None;
    }
    let bytes: Option<Vec<u8>> = inner
        .split(',')
        .map(|n| n.trim().parse::<i16>().ok().filter(|v| (-128..=255).contains(v)).map(|v| v as u8))
        .collect();
    bytes.filter(|b| b.len() >= 16)
}

/// The signature's text against the key's kind: the secret itself, hex for an Ed25519/RSA key,
/// base64 for an HMAC key, the wrong length, URL-safe base64.
fn check_signature_text(d: &mut Doctor<'_>, signature: &str) {
    // The secret itself pasted as the signature: say so, and show none of it.
    if is_secret_text(d.ctx, signature) {
        d.find(
            Cause::SecretAsSignature,
            Certain,
            "the signature parameter holds your secret key",
            "signature=<your secret key> (not shown)",
            "Never send the secret: compute HMAC-SHA256 of the payload with it and send that (64 hex digits). Create a new key pair, since this secret has been sent over the network.",
        );
        return;
    }
    let hexlike = !signature.is_empty() && signature.bytes().all(|b| b.is_ascii_hexdigit());
    let kind = d.ctx.key_kind();
    // Bytes printed as signed numbers (-128..127) in hex: '-4a-3-16...' (Apps Script's
    // computeHmacSha256Signature, Java's byte).
    let signed_bytes = signature.contains('-')
        && signature.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
        && signature.bytes().any(|b| b.is_ascii_hexdigit());
    // A signature of another key kind than the API key's (an Ed25519 or RSA signature with an
    // HMAC key's API key, one of them with the other's): signed with another key pair. (An HMAC
    // digest with an Ed25519 or RSA key's API key is named below, with its own fix.)
    let signed_as = signature_kind(signature).filter(|s| Some(*s) != kind && *s != KeyKind::Hmac);
    // The hex digest's text encoded again as base64 (88 characters: 64 bytes, like an Ed25519
    // signature's, but every one a hex digit).
    let base64_of_hex = !hexlike
        && crate::sign::decode_base64(signature)
            .is_ok_and(|b| b.len() == 64 && b.iter().all(u8::is_ascii_hexdigit));
    match kind {
        Some(KeyKind::Hmac) if base64_of_hex => {
            d.find(
                Cause::SignatureBase64ForHmac,
                Certain,
                "the signature is base64 of the hex digest: the 64 hex digits were encoded again",
                format!("signature={}", clip(signature, 40)),
                "Send the 64 hex digits themselves (hexdigest() in Python, digest('hex') in Node.js), not base64 of them.",
            );
        }
        Some(kind) if let Some(signed) = signed_as => {
            let of = |k: KeyKind| match k {
                KeyKind::Hmac => "an HMAC",
                KeyKind::Ed25519 => "an Ed25519",
                KeyKind::Rsa => "an RSA",
            };
            d.find(
                Cause::SignatureOtherKeyKind,
                Certain,
                format!("the signature is {} signature, but the API key sent is {} key's: it was signed with another key pair", of(signed), of(kind)),
                format!("signature={}", clip(signature, 40)),
                "Send the API key of the key pair you signed with (its X-MBX-APIKEY or apiKey), or sign with the secret or private key of the API key you send.",
            );
        }
        Some(KeyKind::Hmac) if signed_bytes => {
            d.find(
                Cause::SignatureNotBare,
                Certain,
                "the signature is hex of signed bytes: bytes above 127 are printed as negative numbers ('-4a')",
                format!("signature={}", clip(signature, 40)),
                "Print each byte as two hex digits of its unsigned value: (b & 0xff).toString(16).padStart(2, '0') in Apps Script and JavaScript, String.format(\"%02x\", b & 0xff) in Java.",
            );
        }
        // Neither hex nor base64: more than the digest (openssl's `SHA2-256(stdin)= ` label, a
        // space, a line break) or its label alone (`cut -d' ' -f1` of openssl's output).
        Some(KeyKind::Hmac) if !hexlike && crate::sign::decode_base64(signature).is_err() => {
            d.find(
                Cause::SignatureNotBare,
                Certain,
                "the signature is neither hex nor base64: it holds more than the digest (a tool's label such as openssl's 'SHA2-256(stdin)= ', a space, a line break) or only such a label",
                format!("signature={}", clip(signature, 60)),
                "Send the 64 hex digits alone: openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $NF}'; trim the digest before appending &signature=.",
            );
        }
        Some(KeyKind::Hmac) if !hexlike => {
            d.find(
                Cause::SignatureBase64ForHmac,
                Certain,
                "the signature is not hex, but the key is HMAC",
                format!("signature={}", clip(signature, 40)),
                "Encode the HMAC-SHA256 output as hex (64 characters), not base64.",
            );
        }
        Some(KeyKind::Hmac) if let Some(hash) = other_hmac_hash(signature.len()) => {
            d.find(
                Cause::SignatureWrongLength,
                Certain,
                format!("the signature is {} hex digits, the length of {hash}: Binance uses HMAC-SHA256 (64)", signature.len()),
                format!("signature={}", clip(signature, 80)),
                "Use HMAC with SHA-256: hmac.new(secret, payload, hashlib.sha256) in Python, hash_hmac('sha256', ...) in PHP, createHmac('sha256', ...) in Node.js, Mac.getInstance(\"HmacSHA256\") in Java, hmac.New(sha256.New, ...) in Go, HMACSHA256 in .NET.",
            );
        }
        Some(KeyKind::Hmac) if signature.len() != 64 => {
            d.find(
                Cause::SignatureWrongLength,
                Certain,
                format!("the signature is {} hex digits; HMAC-SHA256 gives 64", signature.len()),
                format!("signature={}", clip(signature, 80)),
                "Send the whole HMAC-SHA256 digest as 64 hex digits: each of its 32 bytes as two digits, zero-padded ('0a', not 'a': padStart(2, '0'), %02x; VBA's Hex() needs Right(\"0\" & Hex(b), 2)), and unsigned (not sign-extended to 'ffffffce'); a digest turned into a number first (new BigInteger(1, mac).toString(16) in Java, BigInt(1, mac).toString(16) in Scala) loses its leading zeros: pad the whole to 64.",
            );
        }
        Some(KeyKind::Ed25519 | KeyKind::Rsa) if hexlike && signature.len() >= 32 => {
            let key = kind.map_or("", KeyKind::as_str);
            let title = if signature.len() == 64 {
                format!("you signed with HMAC-SHA256 (64 hex digits), but this key is {key}")
            } else {
                format!("the signature is hex, but the key is {key}")
            };
            d.find(
                Cause::SignatureHexForAsymmetricKey,
                Certain,
                title,
                format!("signature={}", clip(signature, 40)),
                "Sign with the key's private key (Ed25519, or RSA PKCS#1 v1.5 with SHA-256) and send the signature base64-encoded: percent-encoded in a query string or form body, as it is in a WebSocket API frame.",
            );
        }
        // Base64 upper-cased (or lower-cased): a signature of 64 bytes or more has both cases.
        Some(KeyKind::Ed25519 | KeyKind::Rsa)
            if !hexlike
                && signature.len() >= 80
                && (!signature.bytes().any(|b| b.is_ascii_lowercase())
                    || !signature.bytes().any(|b| b.is_ascii_uppercase())) =>
        {
            d.find(
                Cause::SignatureCaseChanged,
                Certain,
                "the signature's letters are all in one case: base64 was upper- or lower-cased, and it is case-sensitive",
                format!("signature={}", clip(signature, 40)),
                "Send the base64 signature exactly as the signing call returns it: no toUpperCase()/toLowerCase() (only an HMAC's hex may be in either case).",
            );
        }
        // NaCl's signed message (tweetnacl's nacl.sign, PyNaCl's sign()): the 64-byte signature
        // followed by what was signed.
        Some(KeyKind::Ed25519)
            if let Ok(bytes) = crate::sign::decode_base64(signature)
                && bytes.len() > 64
                && !signature.contains(['-', '_']) =>
        {
            d.find(
                Cause::SignatureNotBare,
                Likely,
                format!("the signature is {} bytes, and an Ed25519 signature is 64: NaCl's signed message (the signature followed by the {} bytes signed) was sent", bytes.len(), bytes.len() - 64),
                format!("signature={}", clip(signature, 40)),
                "Send the 64-byte signature alone, base64-encoded: nacl.sign.detached(message, secretKey) in tweetnacl, signing_key.sign(message).signature in PyNaCl, Ed25519.sign in other libraries.",
            );
        }
        Some(KeyKind::Ed25519 | KeyKind::Rsa) if signature.contains(['-', '_']) => {
            d.find(
                Cause::SignatureUrlSafeBase64,
                Likely,
                "the signature is in URL-safe base64 ('-' and '_'); Binance reads standard base64 ('+' and '/')",
                format!("signature={}", clip(signature, 40)),
                if d.req.method == "WS" {
                    "Encode the signature with standard base64 and send it as it is in the frame's JSON (no percent-encoding there)."
                } else {
                    "Encode the signature with standard base64, then percent-encode it ('+' as %2B, '/' as %2F, '=' as %3D)."
                },
            );
        }
        _ => {}
    }
}

/// The kind of key a signature's form points to: 64 hex digits are HMAC, 88 base64 characters
/// (64 bytes) Ed25519, the length of an RSA modulus (128 to 512 bytes) RSA.
pub(super) fn signature_kind(signature: &str) -> Option<KeyKind> {
    if signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(KeyKind::Hmac);
    }
    // An RSA signature is as long as the key's modulus: 1024 to 4096 bits.
    match crate::sign::decode_base64(signature).ok()?.len() {
        64 => Some(KeyKind::Ed25519),
        128 | 192 | 256 | 384 | 512 => Some(KeyKind::Rsa),
        _ => None,
    }
}

/// The signature is one an earlier request sent with other parameters (`shown`: it, as written).
fn signature_reused(d: &mut Doctor<'_>, shown: &str) {
    d.find(
        Cause::SignatureReused,
        Certain,
        "the signature is the one an earlier request sent: it was kept and sent again, not computed for this request's parameters",
        format!("{shown} (sent before with other parameters)"),
        "Compute the signature for each request from its own parameters, right before sending it: not cached (Python's @lru_cache or functools.cache on the signing function or on something holding it), not stored in an object or variable shared between requests.",
    );
}

/// The HMAC whose hex digest has `len` digits, when it is not SHA-256's 64.
fn other_hmac_hash(len: usize) -> Option<&'static str> {
    match len {
        40 => Some("HMAC-SHA1"),
        56 => Some("HMAC-SHA224"),
        96 => Some("HMAC-SHA384"),
        128 => Some("HMAC-SHA512"),
        _ => None,
    }
}

fn report_hit(d: &mut Doctor<'_>, hit: &Hit, binance_payload: &str) {
    let signed = clip(&hit.payload, 200);
    let shown = clip(binance_payload, 200);
    let how = match &hit.secret_note {
        Some(note) if note.starts_with(PRIVATE_KEY_OF) => {
            format!("your signature was made with {note}, over `{signed}`")
        }
        Some(note)
            if hit.causes.iter().any(|c| c.stage() == accept::Stage::Signature && is_secret_cause(*c)) =>
        {
            format!("your signature is HMAC({note}, `{signed}`)")
        }
        Some(note) => format!("your signature is {note} over `{signed}`"),
        None => format!("your signature is over `{signed}`"),
    };
    let evidence = format!("{how}; Binance signs `{shown}`");
    for cause in &hit.causes {
        // Signed "unencoded" where what was sent is encoded twice: the mistake is in the sending.
        let twice = *cause == Cause::SignedUnencoded
            && first_difference(&hit.payload, binance_payload)
                .is_some_and(|(theirs, ours)| theirs.starts_with('%') && ours.starts_with("%25"));
        let cause = if twice { &Cause::SentEncodedTwice } else { cause };
        let (title, fix) = match cause {
            // A WebSocket API frame's params are signed otherwise than a REST payload.
            Cause::SignedJson if d.req.method == "WS" => (
                "you signed the params as JSON; Binance signs them as name=value pairs",
                "Sign every parameter but signature, sorted by name, as name=value joined by '&', values not percent-encoded (apiKey and timestamp included).",
            ),
            _ => hit_text(*cause),
        };
        let title = match cause {
            // The whole pair that differs: `omitZeroBalances=True` for `omitZeroBalances=true`.
            Cause::SignedOtherValueText => {
                match hit.payload.split('&').zip(binance_payload.split('&')).find(|(a, b)| a != b) {
                    Some((theirs, ours)) => format!("{title}: you signed `{theirs}` where you sent `{ours}`"),
                    None => title.to_owned(),
                }
            }
            Cause::SignedOtherEncoding
            | Cause::SignedUnencoded
            | Cause::SignedEncodedValues
            | Cause::SentEncodedTwice => match first_difference(&hit.payload, binance_payload) {
                Some((theirs, ours)) => format!("{title}: you signed `{theirs}` where you sent `{ours}`"),
                None => title.to_owned(),
            },
            Cause::SecretOtherEnvironment
            | Cause::SignedRsaPss
            | Cause::SignedRsaOtherHash
            | Cause::SignedDigest => match &hit.secret_note {
                Some(note) => format!("{title} ({note})"),
                None => title.to_owned(),
            },
            Cause::SignedPrintedPayload => {
                format!("{title}: {}", payload_difference(&hit.payload, binance_payload))
            }
            Cause::SignedDroppedParam => {
                match hit.payload.split('&').find(|kv| !binance_payload.split('&').any(|sent| sent == *kv)) {
                    Some(pair) => format!("{title}: you signed `{pair}`, which was not sent"),
                    None => title.to_owned(),
                }
            }
            Cause::SignedBeforeParam => match added_param(&hit.payload, binance_payload) {
                Some(name) => format!("{title}: {name} is sent but was not signed"),
                None => title.to_owned(),
            },
            Cause::SignedOtherTimestamp => {
                let value = |p: &str| -> Option<i128> {
                    p.split('&').find_map(|kv| kv.strip_prefix("timestamp=")).and_then(|v| v.parse().ok())
                };
                match (value(&hit.payload), value(binance_payload)) {
                    (Some(signed), Some(sent)) => format!(
                        "{title}: you signed timestamp={signed} and sent timestamp={sent}, the one sent {} ms {}",
                        (sent - signed).abs(),
                        if signed < sent { "later" } else { "earlier" }
                    ),
                    _ => title.to_owned(),
                }
            }
            _ => title.to_owned(),
        };
        d.find(*cause, Certain, title, evidence.clone(), fix);
    }
}

/// The name of the first parameter of `sent` (a payload) that `signed` does not hold.
fn added_param(signed: &str, sent: &str) -> Option<String> {
    let names = |p: &str| -> Vec<String> {
        p.split('&').map(|kv| kv.split_once('=').map_or(kv, |(k, _)| k).to_owned()).collect()
    };
    let have = names(signed);
    names(sent).into_iter().find(|n| !have.contains(n))
}

/// Whether the cause is about the HMAC key used (its note then names the key: "HMAC(note, payload)").
fn is_secret_cause(cause: Cause) -> bool {
    matches!(
        cause,
        Cause::SecretTrimmed
            | Cause::SecretWithNewline
            | Cause::SecretWithBom
            | Cause::SecretTruncated
            | Cause::SecretUtf16
            | Cause::SecretWithNul
            | Cause::SecretPlaceholder
            | Cause::SecretBase64Decoded
            | Cause::SecretHexDecoded
            | Cause::SecretEmpty
            | Cause::SecretCaseChanged
            | Cause::SecretQuoted
            | Cause::SecretIsApiKey
            | Cause::SecretOtherEnvironment
    )
}

/// Where two payloads differ: the differing middles (common prefix and suffix left out), each cut
/// to 24 characters. `None` when they are equal.
fn first_difference(a: &str, b: &str) -> Option<(String, String)> {
    if a == b {
        return None;
    }
    let prefix = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let (a_rest, b_rest) = (&a.as_bytes()[prefix..], &b.as_bytes()[prefix..]);
    let suffix = a_rest.iter().rev().zip(b_rest.iter().rev()).take_while(|(x, y)| x == y).count();
    // Start at a character boundary and at the start of an escape (`%3` vs `:` shows `%3A`).
    let mut start = prefix;
    while start > 0 && (!a.is_char_boundary(start) || !b.is_char_boundary(start)) {
        start -= 1;
    }
    for back in 1..=2 {
        if start >= back && (a.as_bytes()[start - back] == b'%' || b.as_bytes()[start - back] == b'%') {
            start -= back;
            break;
        }
    }
    let cut = |s: &str, end: usize| -> String {
        let mut end = end.max(start);
        while !s.is_char_boundary(end) {
            end += 1;
        }
        let mid = &s[start..end];
        if mid.chars().count() > 24 {
            format!("{}...", mid.chars().take(24).collect::<String>())
        } else {
            mid.to_owned()
        }
    };
    Some((cut(a, a.len() - suffix), cut(b, b.len() - suffix)))
}

fn hit_text(cause: Cause) -> (&'static str, &'static str) {
    let sign_sent =
        "Sign exactly the bytes you send: the percent-encoded query string followed directly by the body.";
    match cause {
        Cause::SignedJson => ("you signed the parameters as JSON; Binance signs the query string", sign_sent),
        Cause::SignedDictRepr => (
            "you signed the printed dictionary of the parameters (Python's str(params), Java's or Kotlin's toString(), Go's fmt.Sprint, Ruby's to_s), not the query string",
            "Sign the query string you send (name=value pairs joined with '&', in the order sent), not the text your language prints for the map.",
        ),
        Cause::SignedHashMapOrder => (
            "you signed the parameters in a Java HashMap's order (by their hash codes), but sent them in another order",
            "Build the query string once, from a LinkedHashMap (which keeps the order you put) or a TreeMap, and sign and send that same string.",
        ),
        Cause::SignedTimeLast => (
            "you signed the parameters with timestamp (and recvWindow) last, but sent them elsewhere in the query",
            "Send the parameters in the order you sign them: put timestamp (and recvWindow) last in the URL as well (in Postman, after every other query parameter), or sign the query string as the URL writes it.",
        ),
        Cause::SignedWsStyle => (
            "you signed the parameters as the WebSocket API does (apiKey among them), but this is a REST request",
            "For REST, sign exactly the query string and body you send, without apiKey (the key goes in the X-MBX-APIKEY header); the WebSocket API's payload (apiKey included, sorted by name) is for its frames only.",
        ),
        Cause::SignedEncodedWhole => (
            "you signed the query string percent-encoded as a whole (its '=' and '&' as %3D and %26), but sent it as it was",
            "Sign the query string exactly as sent: percent-encode each value (encodeURIComponent(value)), never the whole query.",
        ),
        Cause::SignedSortedParams => (
            "you signed the parameters sorted by name, but sent them in another order",
            "Sign the parameters in the order you send them (or send them sorted).",
        ),
        Cause::SentSortedParams => (
            "you sent the parameters sorted by name, but signed them in the order you wrote them",
            "Sign the exact text you send: build the query string once (Go's url.Values.Encode sorts by name; so do sorted maps), sign it, then append &signature=... at the end.",
        ),
        Cause::SentOtherOrder => (
            "you sent the parameters in another order than you signed them: a hash map reordered them, the signature among them",
            "Keep the parameters in an ordered list (Clojure's array-map or a vector of pairs, Java's LinkedHashMap, a Go slice of pairs; not a hash map), build the query string from it, sign that text, then append &signature=... at the end.",
        ),
        Cause::SignedOtherOrder => (
            "you signed the same parameters in another order than you sent them: a map without a fixed order (Go's map, a Perl hash, Rust's HashMap) was read once to sign and once to send",
            "Keep the parameters in an ordered list (a slice of pairs, an IndexMap, Tie::IxHash), build the query string from it once, sign that text, and send the same text with &signature=... appended.",
        ),
        Cause::SignedOtherValueText => (
            "you signed a value written otherwise than you sent it",
            "Sign the text you send: Python's str(True) is 'True' while the request says 'true'; turn booleans into 'true'/'false' (and numbers into the text sent) before signing.",
        ),
        Cause::SignedBeforeTimestamp => (
            "you signed before adding timestamp",
            "Add timestamp (and recvWindow) first, then sign the complete payload.",
        ),
        Cause::SignedBeforeParam => (
            "you signed before adding a parameter",
            "Add every parameter first, then sign the complete payload, and send exactly what you signed.",
        ),
        Cause::SignedOtherTimestamp => (
            "you signed another timestamp than you sent",
            "Read the time once: put that one value in the payload you sign and in the request you send (and sign again for every new request or retry).",
        ),
        Cause::SignedBeforeRecvWindow => (
            "you signed before adding recvWindow",
            "Add recvWindow before signing, and sign the complete payload.",
        ),
        Cause::SignedUnencoded => (
            "you signed the payload without percent-encoding it",
            "Percent-encode first (non-ASCII as UTF-8 %XX), then sign the encoded text you send.",
        ),
        Cause::SignedOtherEncoding => (
            "you signed another percent-encoding than you sent",
            "Sign the exact encoded text you send (same hex case, %20 vs +).",
        ),
        Cause::SignedQueryAndBodyJoined => (
            "you joined query and body with '&' before signing",
            "Concatenate query string and body with no separator between them.",
        ),
        Cause::SignedQueryOnly => (
            "you signed only the query string, not the body",
            "Sign the query string followed directly by the body.",
        ),
        Cause::HmacNotReset => (
            "you signed this payload after the ones signed before it, with one HMAC never reset: the signature covers them all",
            "Make a new HMAC for every request, or reset it: Go: hmac.New(sha256.New, secret) per request, or h.Reset() before h.Write(payload); Python: hmac.new(secret, payload, hashlib.sha256) per request, not one object .update()d again; Rust: Hmac::<Sha256>::new_from_slice(secret) per request, or finalize_reset(); C/OpenSSL: HMAC_Init_ex again before each HMAC_Update.",
        ),
        Cause::SignedBodyOnly => (
            "you signed only the body, not the query string",
            "Sign the query string followed directly by the body.",
        ),
        Cause::SignedBodyThenQuery => {
            ("you signed the body before the query string", "Sign the query string first, then the body.")
        }
        Cause::SignedWithSignatureParam => (
            "you signed a payload that already held signature=",
            "Compute the signature over the payload without any signature parameter, then append it (a params object kept from the previous request still holds that request's signature: build the params anew for each request, or remove signature before signing).",
        ),
        Cause::SignedExtraSeparator => (
            "you signed the payload with an extra '&' at its end or start, which the request does not send",
            "Join the parameters with '&' between them only (a join, not a loop that adds '&' after or before each), and sign exactly the text you send.",
        ),
        Cause::SignedTrailingNewline => (
            "you signed the payload with a trailing newline",
            "Sign the payload without a line ending: printf '%s' \"$QUERY\" (echo's options differ from shell to shell: dash's and a POSIX sh's echo print -e and -n as text).",
        ),
        Cause::SignedOtherSeparator => (
            "you joined the parameters with another separator than '&' when signing",
            "Join name=value pairs with '&' and nothing else (Kotlin: joinToString(\"&\"); its default is \", \"), and sign exactly the text you send.",
        ),
        Cause::SignedQuotedValues => (
            "you signed the values inside double quotes",
            "Sign each value's own text: Rust format!(\"{k}={v}\") not {v:?}; Kotlin: jsonPrimitive.content, not toString(); the request sends them without quotes.",
        ),
        Cause::SignedPrintedPayload => (
            "you signed the text your program printed, not the one it sent",
            "Sign the exact text you send: build the query string (or body) once, sign it, and send that same text with &signature= appended; a form builder, a table of fields or an HTTP library that orders or encodes the parameters on its own after you signed breaks that.",
        ),
        Cause::SignedUnresolvedVariable => (
            "you signed timestamp={{timestamp}}, the variable's name as the URL holds it before the tool fills it in, not the timestamp sent",
            "In Postman's pre-request script: compute the timestamp (Date.now()), store it (pm.environment.set('timestamp', ts)), and sign a query string built with that value and without signature, not pm.request.url.getQueryString() (it still holds {{timestamp}} and {{signature}}). Other template tools alike: sign after the variables are resolved.",
        ),
        Cause::SecretTrimmed => (
            "the signature was made with the secret trimmed of whitespace; the secret given here has whitespace",
            "Use the secret exactly as Binance issued it, with no surrounding spaces or newlines, in both places.",
        ),
        Cause::SecretWithNewline => (
            "you signed with a newline after the secret",
            "Read the secret without its line ending (strip the final newline of the file or variable).",
        ),
        Cause::SecretWithSpace => (
            "you signed with a space before or after the secret",
            "Trim the secret as you read it: a space copied with it from the web page, or kept from a config line written `secret = value` or with a space at its end.",
        ),
        Cause::SecretWithBom => (
            "you signed with a byte order mark (U+FEFF) before the secret: the file holding it was saved as UTF-8 with BOM",
            "Save the secret's file as UTF-8 without BOM (or plain ASCII), or strip a leading \\uFEFF when reading it (Python: open(path, encoding='utf-8-sig'); Java's Files.readString and Node.js's fs.readFileSync keep it).",
        ),
        Cause::SecretTruncated => (
            "you keyed the HMAC with only part of the secret: its first bytes (a length taken as the size of a pointer), or all but one character at an end (an off-by-one substring, a chop)",
            "Pass the whole secret, all 64 characters: in C strlen(secret), not sizeof of a char * (8, or 4); no substring or chop of the secret as read (strip only white space).",
        ),
        Cause::SecretUtf16 => (
            "you keyed the HMAC with the secret's UTF-16 bytes; Binance uses its UTF-8 (ASCII) bytes",
            "Take the secret's bytes as UTF-8: Java secret.getBytes(StandardCharsets.UTF_8) (not UTF_16), .NET Encoding.UTF8.GetBytes(secret) (not Encoding.Unicode).",
        ),
        Cause::SignedWithNul => (
            "you signed the payload and the NUL byte that ends it",
            "Sign the text's bytes without its terminator: MQL5's StringToCharArray(text, data, 0, StringLen(text)) (its default count copies the terminating zero, into the key's array too); in C, strlen() bytes, not sizeof.",
        ),
        Cause::SecretWithNul => (
            "you keyed the HMAC with the secret and the NUL byte that ends it",
            "Pass the secret's length without its terminator: C strlen(secret), not sizeof of the array (64 characters, not 65).",
        ),
        Cause::SecretPlaceholder => (
            "you keyed the HMAC with a placeholder's text, not the secret",
            "Pass the secret's own characters: a SecureString must be read back into plain text first (PowerShell: [Net.NetworkCredential]::new('', $s).Password), and an unset variable (undefined, None, null) means the secret was never loaded.",
        ),
        Cause::SecretBase64Decoded => (
            "you base64-decoded the secret; Binance uses its text as it is",
            "Use the secret's characters as the HMAC key, without decoding.",
        ),
        Cause::SecretHexDecoded => (
            "you hex-decoded the secret; Binance uses its text as it is",
            "Use the secret's characters as the HMAC key, without decoding.",
        ),
        Cause::SignedDroppedParam => (
            "you signed a parameter that has no value, which your HTTP library then left out of the request",
            "Remove parameters without a value (None, undefined, null) before building the query string, then sign exactly the text you send.",
        ),
        Cause::SecretEmpty => (
            "you signed with an empty key: the secret never reached the HMAC",
            "Check that the variable holding the secret is set where the code runs (an unset environment variable gives an empty key), and use the secret's text as the key without decoding it (a hex decoder stops at its first letter past 'f' and returns nothing).",
        ),
        Cause::SecretCaseChanged => (
            "you changed the secret's letter case",
            "Use the secret exactly as issued: it is case-sensitive.",
        ),
        Cause::SecretQuoted => (
            "your secret is in quotes: you signed with the quote characters as part of the secret",
            "Remove the quotes around the secret where your code or configuration reads it (a .env or JSON value quoted twice, or a shell variable holding the quotes).",
        ),
        Cause::SecretIsApiKey => (
            "you signed with the API key instead of the secret",
            "Use the secret key (shown once when the key was created) as the HMAC key.",
        ),
        Cause::SecretOtherEnvironment => (
            "you signed with the key of another key pair than this API key's",
            "Sign with the key created together with the API key you send (an HMAC pair's secret, an Ed25519 or RSA pair's private key; testnet, demo and live keys, and each key of an account, have their own), or send the API key of the pair you signed with; check which environment variables, files or profile your code reads.",
        ),
        Cause::SignedRsaPss => (
            "you signed with RSA-PSS padding; Binance verifies RSA PKCS#1 v1.5 with SHA-256",
            "Sign with PKCS#1 v1.5 padding and SHA-256 (RSASSA-PKCS1-v1_5, 'SHA256withRSA'; padding.PKCS1v15() in Python's cryptography, RSA_PKCS1_PADDING in Node), not PSS.",
        ),
        Cause::SignedRsaOtherHash => (
            "you signed with another hash than SHA-256; Binance verifies RSA PKCS#1 v1.5 with SHA-256",
            "Sign with SHA-256 ('SHA256withRSA', hashes.SHA256(), 'RSA-SHA256').",
        ),
        Cause::SignedRsaRaw => (
            "you encrypted the payload itself with the private key, unhashed; Binance verifies RSA PKCS#1 v1.5 over its SHA-256",
            "Sign, do not encrypt: Ruby key.sign(OpenSSL::Digest.new('SHA256'), payload) (not private_encrypt), PHP openssl_sign($payload, $sig, $key, OPENSSL_ALGO_SHA256) (not openssl_private_encrypt), Python private_key.sign(payload, padding.PKCS1v15(), hashes.SHA256()).",
        ),
        Cause::SignedUtf16 => (
            "you signed the payload's UTF-16 bytes; Binance verifies its UTF-8 bytes",
            "Sign the text's UTF-8 bytes: Java payload.getBytes(StandardCharsets.UTF_8) (not \"UTF-16\" or the platform's default), C# Encoding.UTF8.GetBytes (not Encoding.Unicode).",
        ),
        Cause::SignedPayloadHex => (
            "you signed the hex text of the payload's bytes, not the bytes themselves",
            "Give the payload's own bytes to the signing call (Node.js: Buffer.from(payload); Python: payload.encode()), not their hex.",
        ),
        Cause::SignedPayloadBase64 => (
            "you signed the base64 text of the payload, not the payload itself",
            "Give the payload's own bytes to the signing call (Python: key.sign(payload.encode()), not base64.b64encode(...) of it; Node.js: Buffer.from(payload)); base64 is for the signature that comes out, not for what goes in.",
        ),
        Cause::SignedDigest => (
            "you signed a SHA-256 digest of the payload; Binance signs the payload itself",
            "Give the payload text itself to the signing call: Ed25519 and 'SHA256withRSA' hash it themselves.",
        ),
        Cause::SignedInWrittenOrder => (
            "you signed the parameters in the order written; the WebSocket API signs them sorted by name",
            "Sort every parameter but signature by name (apiKey included), then sign name=value joined by '&'.",
        ),
        Cause::SignedEncodedValues => (
            "you percent-encoded the values before signing; the WebSocket API signs them as they are",
            "Sign the values as written in params (UTF-8, not percent-encoded), sorted by name.",
        ),
        Cause::SignedWithoutApiKey => (
            "you left apiKey out of what you signed; the WebSocket API signs it with the other parameters",
            "Add apiKey to params before signing, and sign every parameter but signature, sorted by name.",
        ),
        Cause::SignedPath => (
            "you signed the path or URL along with the parameters; Binance signs only the query string and body",
            "Sign only the percent-encoded query string followed by the body: no method, host, path or '?'.",
        ),
        Cause::SentEncodedTwice => (
            "you sent the parameters percent-encoded twice ('%25' is an encoded '%') and signed them encoded once",
            "Percent-encode each value once: pass raw values to a library that encodes them (requests' params=, URLSearchParams), or encode them yourself and join the text as it is.",
        ),
        Cause::SignedPlainHash => (
            "you hashed the payload with plain SHA-256 (the secret appended or prepended); Binance verifies HMAC-SHA256",
            "Compute HMAC-SHA256 with the secret as the key and the payload as the message (hash_hmac('sha256', $payload, $secret), crypto.createHmac('sha256', secret).update(payload)).",
        ),
        Cause::HmacArgumentsSwapped => (
            "you swapped HMAC's inputs: keyed with the payload, over the secret",
            "Give the secret as the HMAC key and the payload as the message: check the argument order of your HMAC call (CryptoJS.HmacSHA256(message, key), hash_hmac(algo, data, key)).",
        ),
        _ => ("the signature does not match", sign_sent),
    }
}

#[cfg(test)]
mod tests;
