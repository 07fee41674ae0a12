//! The doctor corpus (`tests/doctor-cases/*.case` at the repository root): each request gets the
//! expected verdict code and the expected finding; correct requests get no findings at all.

use std::path::PathBuf;

use mbx_core::SecretBytes;
use mbx_core::diagnose::{Context, RequestRecord, diagnose};
use mbx_core::time::Timestamp;

use crate::support::{DOCS_SECRET, load};

pub struct Case {
    pub name: String,
    pub key: String,
    pub time: u64,
    pub code: i32,
    pub cause: String,
    pub request: RequestRecord,
}

pub fn cases() -> Vec<Case> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/doctor-cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse(p)).collect()
}

fn parse(path: &std::path::Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let (head, request) =
        text.split_once("\n--- ").unwrap_or_else(|| panic!("{name}: no '--- curl|http' line"));
    let (form, request) = request.split_once('\n').unwrap();
    let field = |k: &str| -> String {
        head.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).map(str::to_owned).unwrap_or_default()
    };
    let request = match form.trim() {
        "curl" => RequestRecord::from_curl(request.trim_end()),
        "http" => RequestRecord::from_http(request),
        other => panic!("{name}: unknown form {other}"),
    }
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    Case {
        key: field("key"),
        time: field("time").parse().unwrap(),
        code: field("expect-code").parse().unwrap(),
        cause: field("expect-cause"),
        request,
        name,
    }
}

pub fn context(case: &Case) -> Context {
    let ctx = match case.key.as_str() {
        "hmac" => Context::hmac(SecretBytes::from(DOCS_SECRET)),
        "ed25519" => Context::key(load("ed25519-public.pem").verifier()),
        "rsa" => Context::key(load("rsa-public.pem").verifier()),
        other => panic!("{}: unknown key {other}", case.name),
    };
    ctx.at(Timestamp::Millis(case.time))
}

#[test]
fn doctor_cases_at_least_25_failing_and_some_correct() {
    let all = cases();
    assert!(all.iter().filter(|c| c.code != 0).count() >= 25);
    assert!(all.iter().any(|c| c.code == 0));
}

#[test]
fn doctor_cases_get_expected_verdict_and_finding() {
    let mut failures = Vec::new();
    for case in cases() {
        let d = diagnose(&case.request, &context(&case));
        let causes: Vec<&str> = d.findings.iter().map(|f| f.cause.id()).collect();
        let ok = if case.code == 0 {
            d.verdict.code == 0 && d.findings.is_empty()
        } else {
            d.verdict.code == case.code && causes.contains(&case.cause.as_str())
        };
        if !ok {
            failures.push(format!(
                "{}: expected {} {}, got {} {:?} ({})",
                case.name, case.code, case.cause, d.verdict.code, causes, d.verdict.msg
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn doctor_cases_without_key_still_get_non_signature_verdicts() {
    for case in cases().into_iter().filter(|c| [-2014, -1021, -1100, -1101, -1102].contains(&c.code)) {
        let ctx = Context::default().at(Timestamp::Millis(case.time));
        let d = diagnose(&case.request, &ctx);
        assert_eq!(d.verdict.code, case.code, "{}", case.name);
    }
}
