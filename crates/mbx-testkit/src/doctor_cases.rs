//! The doctor corpus (`tests/doctor-cases/*.case` at the repository root), parsed.
//!
//! Each file: `#` comment lines (the client code), then `key:`, `time:`, `expect-code:`,
//! `expect-cause:` lines, then `--- curl` or `--- http` and the request as that client sends it.

use std::path::PathBuf;

use mbx_core::diagnose::RequestRecord;
use mbx_core::sign::KeyKind;

/// One case of the corpus.
#[derive(Debug, Clone)]
pub struct DoctorCase {
    /// File name without extension, e.g. `07-js-axios-authorization-header`.
    pub name: String,
    /// The key kind the request was signed with (HMAC cases use the demo key).
    pub key: KeyKind,
    /// The server time the case is judged at, in milliseconds.
    pub time: u64,
    /// The Binance code expected (0: accepted).
    pub code: i32,
    /// The expected finding's cause id (empty for accepted requests).
    pub cause: String,
    /// The request.
    pub request: RequestRecord,
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
    let (head, rest) = text.split_once("\n--- ").unwrap_or_else(|| panic!("{name}: no '--- curl|http' line"));
    let (form, request) = rest.split_once('\n').unwrap_or_else(|| panic!("{name}: empty request"));
    let field = |k: &str| -> String {
        head.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).map(str::to_owned).unwrap_or_default()
    };
    let request = match form.trim() {
        "curl" => RequestRecord::from_curl(request.trim_end()),
        "http" => RequestRecord::from_http(request),
        other => panic!("{name}: unknown form {other}"),
    }
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let key = match field("key").as_str() {
        "hmac" => KeyKind::Hmac,
        "ed25519" => KeyKind::Ed25519,
        "rsa" => KeyKind::Rsa,
        other => panic!("{name}: unknown key {other}"),
    };
    DoctorCase {
        key,
        time: field("time").parse().unwrap_or_else(|_| panic!("{name}: bad time")),
        code: field("expect-code").parse().unwrap_or_else(|_| panic!("{name}: bad expect-code")),
        cause: field("expect-cause"),
        request,
        name,
    }
}
