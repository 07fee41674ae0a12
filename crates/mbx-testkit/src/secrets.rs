//! Checking that no secret reaches an output: the forms a secret can take once printed, and a capture
//! of every log record (`tracing` events and spans at every level, and the `log` records of
//! tungstenite and rustls) for a test to search.
//!
//! A secret (an HMAC secret, a private key's PEM or DER, a passphrase, the sandbox's admin token) is
//! looked for in each form a careless `Debug`, `Display` or log line would give it: as it is,
//! percent-encoded, as lower and upper case hex, as standard and URL-safe base64, and for a PEM key
//! each line of its body (and the DER inside, as hex and base64). [`Secret::find_in`] names the
//! first form found; [`assert_hidden`] fails the test with that form and where it was.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;

/// Shortest run of a secret's text that counts as a leak: a PEM body line is 64 characters, a key
/// 64, a passphrase may be shorter, so every form of at least this many characters is searched.
const MIN_FORM: usize = 8;

/// One secret and the forms it may take in text.
#[derive(Clone)]
pub struct Secret {
    /// What to call it in a failure message (never the secret itself).
    label: String,
    forms: Vec<(&'static str, String)>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({}, {} forms)", self.label, self.forms.len())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Secret {
    /// A secret given as bytes (an HMAC secret, a passphrase, a token): the bytes, percent-encoded,
    /// hex (both cases) and base64 (standard and URL-safe).
    pub fn bytes(label: impl Into<String>, secret: &[u8]) -> Secret {
        let mut forms = Vec::new();
        if let Ok(text) = std::str::from_utf8(secret) {
            forms.push(("as is", text.to_owned()));
            forms.push(("percent-encoded", mbx_core::encode::percent_encode(text)));
            forms.push(("trimmed", text.trim().to_owned()));
        }
        forms.push(("hex", hex(secret)));
        forms.push(("upper-case hex", hex(secret).to_uppercase()));
        forms.push(("base64", base64::engine::general_purpose::STANDARD.encode(secret)));
        forms.push(("base64 (no padding)", base64::engine::general_purpose::STANDARD_NO_PAD.encode(secret)));
        forms.push(("URL-safe base64", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)));
        forms.push(("byte list", format!("{secret:?}")));
        Secret::with(label, forms)
    }

    /// A private key as PEM: each line of its body, and the DER inside (hex, base64, byte list).
    pub fn pem(label: impl Into<String>, pem: &str) -> Secret {
        let mut forms = Vec::new();
        let body: String =
            pem.lines().filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.is_empty()).collect();
        for line in pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= 16) {
            forms.push(("a PEM body line", line.trim().to_owned()));
        }
        forms.push(("the PEM body", body.clone()));
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
            // The DER's tail: the private key bytes (its head is the algorithm identifier, which is
            // public and shared by every key of the kind).
            let tail = &der[der.len().saturating_sub(32)..];
            forms.push(("DER hex", hex(tail)));
            forms.push(("DER upper-case hex", hex(tail).to_uppercase()));
            forms.push(("DER byte list", format!("{tail:?}").trim_matches(['[', ']']).to_owned()));
        }
        Secret::with(label, forms)
    }

    fn with(label: impl Into<String>, forms: Vec<(&'static str, String)>) -> Secret {
        let mut forms: Vec<_> = forms.into_iter().filter(|(_, f)| f.chars().count() >= MIN_FORM).collect();
        forms.dedup_by(|a, b| a.1 == b.1);
        Secret { label: label.into(), forms }
    }

    /// The first form of the secret found in `text`: `(label, form name)`.
    pub fn find_in(&self, text: &str) -> Option<(&str, &'static str)> {
        self.forms
            .iter()
            .find(|(_, form)| text.contains(form.as_str()))
            .map(|(name, _)| (self.label.as_str(), *name))
    }
}

/// Fails the test when any form of any of `secrets` is in `text`; `place` says where `text` came
/// from. The message names the secret and the form, never the secret, and shows the text around
/// the place it was found with the secret cut out.
#[track_caller]
pub fn assert_hidden(text: &str, secrets: &[Secret], place: &str) {
    for secret in secrets {
        if let Some((label, form)) = secret.find_in(text) {
            let needle = secret.forms.iter().find(|(n, _)| *n == form).map(|(_, f)| f.as_str()).unwrap_or("");
            let at = text.find(needle).unwrap_or(0);
            let start = text[..at].char_indices().rev().nth(120).map_or(0, |(i, _)| i);
            let context = format!("{}<SECRET>…", &text[start..at]);
            panic!("{place}: the {label} appears ({form}) after: {context}");
        }
    }
}

/// Every log record emitted while a [`LogCapture`] is alive.
static RECORDS: Mutex<String> = Mutex::new(String::new());
/// How many captures are alive: records are taken only then.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static INSTALLED: OnceLock<()> = OnceLock::new();

/// While alive, every `tracing` event and span (all targets, TRACE and up) and every `log` record
/// (TRACE and up: tungstenite, rustls) of the whole process is recorded, with all its fields, for
/// [`LogCapture::text`]. The first capture installs the process's global subscriber and logger;
/// records of other tests running at the same time are captured too (they must hold no secret
/// either).
#[must_use = "records are taken only while the capture is alive"]
pub struct LogCapture {
    from: usize,
}

impl LogCapture {
    /// Starts capturing. Panics when another global `tracing` subscriber or `log` logger is
    /// already installed in this process (nothing would be captured).
    pub fn start() -> LogCapture {
        INSTALLED.get_or_init(|| {
            use tracing_subscriber::layer::SubscriberExt as _;
            let subscriber = tracing_subscriber::registry().with(Recorder);
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global tracing subscriber in this test binary");
            log::set_logger(&LOGGER).expect("no other log logger in this test binary");
            log::set_max_level(log::LevelFilter::Trace);
            // Callsites seen before the subscriber existed cached "never": make them ask again.
            tracing::callsite::rebuild_interest_cache();
        });
        let from = lock().len();
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        LogCapture { from }
    }

    /// Everything recorded since this capture started, one record a line:
    /// `LEVEL target name: field=value ...`.
    pub fn text(&self) -> String {
        lock()[self.from..].to_owned()
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock() -> std::sync::MutexGuard<'static, String> {
    RECORDS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Appends one record as one line (its own line breaks written `\n`).
fn push_record(record: &str) {
    let line = record.replace('\n', "\\n");
    let mut records = lock();
    records.push_str(&line);
    records.push('\n');
}

fn capturing() -> bool {
    ACTIVE.load(Ordering::SeqCst) > 0
}

/// Records every field of every event and span.
struct Recorder;

/// Writes fields as ` name=value` (Debug), the way any formatter would show them.
struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        use std::fmt::Write as _;
        // Both forms: as Display would print it, and as Debug would (escaped).
        let _ = write!(self.0, " {}={} {:?}", field.name(), value, value);
    }

    fn record_error(&mut self, field: &tracing::field::Field, value: &(dyn std::error::Error + 'static)) {
        use std::fmt::Write as _;
        let _ = write!(self.0, " {}={} {:?}", field.name(), value, value);
        let mut source = value.source();
        while let Some(s) = source {
            let _ = write!(self.0, " caused by {s} {s:?}");
            source = s.source();
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recorder {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        // Asked again for every event: recording depends on whether a capture is alive.
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, _: &tracing::Metadata<'_>, _: tracing_subscriber::layer::Context<'_, S>) -> bool {
        capturing()
    }

    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut line = format!("SPAN {} {}:", attrs.metadata().target(), attrs.metadata().name());
        attrs.record(&mut Fields(&mut line));
        push_record(&line);
    }

    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut line = String::from("SPAN RECORD:");
        values.record(&mut Fields(&mut line));
        push_record(&line);
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let m = event.metadata();
        let mut line = format!("{} {} {}:", m.level(), m.target(), m.name());
        event.record(&mut Fields(&mut line));
        push_record(&line);
    }
}

/// The `log` side (tungstenite, rustls).
struct LogRecorder;

static LOGGER: LogRecorder = LogRecorder;

impl log::Log for LogRecorder {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        capturing()
    }

    fn log(&self, record: &log::Record<'_>) {
        if capturing() {
            push_record(&format!("LOG {} {}: {}", record.level(), record.target(), record.args()));
        }
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_found_and_named() {
        let s = Secret::bytes("HMAC secret", b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5");
        assert_eq!(s.find_in("x NhqPtmdSJYdKjVHjA7PZj4Mge3R5 y"), Some(("HMAC secret", "as is")));
        assert_eq!(s.find_in(&hex(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5")), Some(("HMAC secret", "hex")));
        let b64 = base64::engine::general_purpose::STANDARD.encode(b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5");
        assert!(s.find_in(&b64).is_some());
        assert_eq!(s.find_in("SecretBytes(<redacted, 28 bytes>)"), None);
        let result = std::panic::catch_unwind(|| assert_hidden("k=NhqPtmdSJYdKjVHjA7PZj4Mge3R5", &[s], "t"));
        let msg = result.unwrap_err().downcast::<String>().unwrap();
        assert!(msg.contains("HMAC secret") && !msg.contains("NhqPtmdS"), "{msg}");
    }
}
