//! The doctor corpus (`tests/doctor-cases/*.case` at the repository root), parsed.
//!
//! Each file: `#` comment lines (the client code), then `key:`, `time:`, `expect-code:`,
//! `expect-cause:` lines, optionally `key-env:` (the key pair given belongs to that environment) and
//! `other-keys:` (the doctor also knows that environment's pair), then `--- curl`, `--- http`,
//! `--- har` or `--- ws` and the request as that client sends it.

use std::path::PathBuf;

use mbx_core::SecretBytes;
use mbx_core::diagnose::{
    Context, Diagnosis, HarRequest, OtherKey, RequestRecord, diagnose, diagnose_ws, read_har,
};
use mbx_core::sign::KeyKind;
use mbx_core::time::Timestamp;
use mbx_core::venue::Venue;

use crate::keys;

/// A case's request.
#[derive(Debug, Clone)]
pub enum CaseRequest {
    /// A REST request (from curl, raw HTTP or a HAR file).
    Rest(Box<RequestRecord>),
    /// A WebSocket API frame, sent to `host` when known.
    Ws {
        /// The frame.
        frame: String,
        /// The host it was sent to.
        host: Option<String>,
    },
}

/// One case of the corpus.
#[derive(Debug, Clone)]
pub struct DoctorCase {
    /// File name without extension, e.g. `07-js-axios-authorization-header`.
    pub name: String,
    /// `curl`, `http`, `har` or `ws`.
    pub form: String,
    /// The key kind the request was signed with (HMAC cases use the demo key).
    pub key: KeyKind,
    /// The environment the given key pair belongs to (`key-env:`), when the case says.
    pub key_env: Option<Venue>,
    /// Other environments whose key pair the doctor also knows (`other-keys:`).
    pub other_keys: Vec<Venue>,
    /// The server time the case is judged at, in milliseconds.
    pub time: u64,
    /// The Binance code expected (0: accepted; -404: HTTP 404 without a code).
    pub code: i32,
    /// The expected first finding's cause id (empty for accepted requests).
    pub cause: String,
    /// The request.
    pub request: CaseRequest,
}

impl DoctorCase {
    /// The HMAC secret of the case's key pair (the testnet pair when `key-env: testnet`).
    fn secret(&self) -> &'static str {
        if self.key_env == Some(Venue::SpotTestnet) {
            keys::TESTNET_SECRET_KEY
        } else {
            keys::DEMO_SECRET_KEY
        }
    }

    /// What the user gives the doctor: the key material (all of it), its environment and the other
    /// pairs, at the case's time.
    pub fn context(&self) -> Context {
        let ctx = match self.key {
            KeyKind::Hmac => Context::hmac(SecretBytes::from(self.secret())),
            kind => Context::key(keys::signer(kind).verifier()),
        };
        self.finish(ctx)
    }

    fn finish(&self, mut ctx: Context) -> Context {
        if let Some(venue) = self.key_env {
            let api_key = (venue == Venue::SpotTestnet).then(|| keys::TESTNET_API_KEY.to_owned());
            ctx = ctx.of(venue, api_key);
        }
        for venue in &self.other_keys {
            if *venue == Venue::SpotTestnet {
                ctx = ctx.with_other(OtherKey {
                    label: "profile 'testnet'".into(),
                    venue: Some(Venue::SpotTestnet),
                    api_key: Some(keys::TESTNET_API_KEY.into()),
                    secret: Some(SecretBytes::from(keys::TESTNET_SECRET_KEY)),
                    verifier: None,
                });
            }
        }
        ctx.at(Timestamp::Millis(self.time))
    }

    /// The doctor's diagnosis of the case with `ctx`.
    pub fn diagnose_with(&self, ctx: &Context) -> Diagnosis {
        match &self.request {
            CaseRequest::Rest(r) => diagnose(r, ctx),
            CaseRequest::Ws { frame, host } => diagnose_ws(frame, host.as_deref(), ctx),
        }
    }
}

/// The corpus directory.
pub fn doctor_cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/doctor-cases")
}

/// Every case, in file-name order.
pub fn doctor_cases() -> Vec<DoctorCase> {
    let dir = doctor_cases_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse_case(p)).collect()
}

fn parse_case(path: &std::path::Path) -> DoctorCase {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (head, rest) = text.split_once("\n--- ").unwrap_or_else(|| panic!("{name}: no '--- <form>' line"));
    let (form, request) = rest.split_once('\n').unwrap_or_else(|| panic!("{name}: empty request"));
    let field = |k: &str| -> String {
        head.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).map(str::to_owned).unwrap_or_default()
    };
    let venue = |s: &str| Venue::parse(s.trim()).unwrap_or_else(|| panic!("{name}: unknown environment {s}"));
    let form = form.trim().to_owned();
    let request = match form.as_str() {
        "curl" => CaseRequest::Rest(Box::new(
            RequestRecord::from_curl(request.trim_end()).unwrap_or_else(|e| panic!("{name}: {e}")),
        )),
        "http" => CaseRequest::Rest(Box::new(
            RequestRecord::from_http(request).unwrap_or_else(|e| panic!("{name}: {e}")),
        )),
        "ws" => {
            CaseRequest::Ws { frame: request.trim_end().to_owned(), host: Some("ws-api.binance.com".into()) }
        }
        "har" => {
            let found = read_har(request).unwrap_or_else(|e| panic!("{name}: {e}"));
            match found.into_iter().next().map(|e| e.request) {
                Some(HarRequest::Rest(r)) => CaseRequest::Rest(Box::new(r)),
                Some(HarRequest::WsApi { frame, host, .. }) => CaseRequest::Ws { frame, host },
                None => panic!("{name}: no Binance request in the HAR file"),
            }
        }
        other => panic!("{name}: unknown form {other}"),
    };
    let key = match field("key").as_str() {
        "hmac" => KeyKind::Hmac,
        "ed25519" => KeyKind::Ed25519,
        "rsa" => KeyKind::Rsa,
        other => panic!("{name}: unknown key {other}"),
    };
    let key_env = Some(field("key-env")).filter(|s| !s.is_empty()).map(|s| venue(&s));
    let other_keys = field("other-keys").split(',').filter(|s| !s.trim().is_empty()).map(venue).collect();
    DoctorCase {
        key,
        key_env,
        other_keys,
        form,
        time: field("time").parse().unwrap_or_else(|_| panic!("{name}: bad time")),
        code: field("expect-code").parse().unwrap_or_else(|_| panic!("{name}: bad expect-code")),
        cause: field("expect-cause"),
        request,
        name,
    }
}
