//! The doctor corpus against the sandbox: for every case the doctor's verdict is the expected code with
//! the expected finding, and the sandbox, judging the same bytes at the same time, answers that code.
//! (Issue 6: "each case is also sent to the sandbox".)

use mbx_core::SecretBytes;
use mbx_core::diagnose::{Context, RequestRecord, diagnose};
use mbx_core::endpoint::Method;
use mbx_core::sign::KeyKind;
use mbx_core::time::Timestamp;
use mbx_sandbox::{Sandbox, SandboxClock};
use mbx_testkit::{DoctorCase, TestSandbox, doctor_cases, keys, send_raw};

fn doctor_context(case: &DoctorCase) -> Context {
    let ctx = match case.key {
        KeyKind::Hmac => Context::hmac(SecretBytes::from(keys::DEMO_SECRET_KEY)),
        kind => Context::key(keys::signer(kind).verifier()),
    };
    ctx.at(Timestamp::Millis(case.time))
}

#[test]
fn doctor_cases_at_least_25_failing_and_some_correct() {
    let all = doctor_cases();
    assert!(all.iter().filter(|c| c.code != 0).count() >= 25);
    assert!(all.iter().filter(|c| c.code == 0).count() >= 3);
}

#[test]
fn doctor_predicts_each_case_with_its_expected_finding() {
    let mut failures = Vec::new();
    for case in doctor_cases() {
        let d = diagnose(&case.request, &doctor_context(&case));
        let causes: Vec<&str> = d.findings.iter().map(|f| f.cause.id()).collect();
        let ok = if case.code == 0 {
            d.verdict.code == 0 && d.findings.is_empty()
        } else {
            d.verdict.code == case.code && causes.contains(&case.cause.as_str())
        };
        if !ok {
            failures.push(format!(
                "{}: expected {} {}, got {} {causes:?}",
                case.name, case.code, case.cause, d.verdict.code
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn doctor_without_key_still_predicts_non_signature_codes() {
    for case in doctor_cases().into_iter().filter(|c| [-2014, -1021, -1100, -1101, -1102].contains(&c.code)) {
        let d = diagnose(&case.request, &Context::default().at(Timestamp::Millis(case.time)));
        assert_eq!(d.verdict.code, case.code, "{}", case.name);
    }
}

/// The raw HTTP/1.1 bytes of `req` for the sandbox: same method, query, headers and body; the path is
/// kept when the sandbox serves it, else moved to a served endpoint of the same security (the path is
/// not part of what is signed).
fn raw_request(req: &RequestRecord, api_key: Option<&str>) -> Vec<u8> {
    let method = Method::parse(&req.method).unwrap_or(Method::Get);
    let served =
        mbx_core::endpoint::find(method, &req.path).and_then(mbx_sandbox::api::routes::handler).is_some();
    let path = match (served, method) {
        (true, _) => req.path.as_str(),
        (false, Method::Post) => "/api/v3/order/test",
        (false, _) => "/api/v3/account",
    };
    let target = if req.query.is_empty() { path.to_owned() } else { format!("{path}?{}", req.query) };
    let mut out = format!("{} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", req.method);
    for (k, v) in &req.headers {
        if k.eq_ignore_ascii_case("host")
            || k.eq_ignore_ascii_case("content-length")
            || k.eq_ignore_ascii_case("connection")
        {
            continue;
        }
        let v = match api_key {
            Some(key) if k.eq_ignore_ascii_case("x-mbx-apikey") && v == keys::DEMO_API_KEY => key,
            _ => v.as_str(),
        };
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if !req.body.is_empty() && req.header("content-type").is_none() {
        out.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n{}", req.body.len(), req.body));
    out.into_bytes()
}

#[tokio::test]
async fn sandbox_answers_the_code_the_doctor_predicted() {
    let mut failures = Vec::new();
    for case in doctor_cases() {
        let sb = TestSandbox::start_with(
            Sandbox::builder().memory().clock(SandboxClock::fixed(Timestamp::Millis(case.time))),
        )
        .await;
        // Asymmetric cases: register the vector public key and send its API key instead of the demo's.
        let api_key = match case.key {
            KeyKind::Hmac => None,
            kind => Some(crate::support::register_key(&sb, kind).await),
        };
        let resp = send_raw(sb.addr(), &raw_request(&case.request, api_key.as_deref())).await.unwrap();
        let code = if (200..300).contains(&resp.status) {
            0
        } else {
            serde_json::from_slice::<serde_json::Value>(&resp.body)
                .ok()
                .and_then(|v| v["code"].as_i64())
                .unwrap_or(i64::MIN) as i32
        };
        let predicted = diagnose(&case.request, &doctor_context(&case)).verdict.code;
        // The hint is the doctor's first finding, as the sandbox (which holds only the key's verifier)
        // diagnoses the request.
        if code != 0 {
            let verifier_only =
                Context::key(keys::signer(case.key).verifier()).at(Timestamp::Millis(case.time));
            let d = diagnose(&case.request, &verifier_only);
            let hint = resp.header("x-sandbox-hint").unwrap_or_default().to_owned();
            let explained =
                d.findings.first().filter(|f| d.verdict.code == code && f.cause.id() != "signature-mismatch");
            if let Some(f) = explained {
                let title = f.title.chars().take(30).collect::<String>().to_lowercase();
                if !hint.to_lowercase().starts_with(&title) {
                    failures.push(format!(
                        "{}: hint {hint:?} does not start with the finding {:?}",
                        case.name, f.title
                    ));
                }
            } else if hint.is_empty() {
                failures.push(format!("{}: rejection without a hint", case.name));
            }
        }
        if code != predicted || code != case.code {
            failures.push(format!(
                "{}: sandbox {code} (HTTP {}, hint {:?}), doctor {predicted}, expected {}",
                case.name,
                resp.status,
                resp.header("x-sandbox-hint"),
                case.code
            ));
        }
        sb.shutdown().await;
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
