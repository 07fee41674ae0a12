//! `mbx doctor request`.

use crate::support::*;

fn case_request(name_prefix: &str) -> (String, String) {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/doctor-cases");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name_prefix))
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let (head, req) = text.split_once("\n--- ").unwrap();
    let (_, req) = req.split_once('\n').unwrap();
    let time = head.lines().find_map(|l| l.strip_prefix("time: ")).unwrap().to_owned();
    (req.to_owned(), time)
}

#[test]
fn doctor_http_from_stdin_json_shape_and_exit_code() {
    let (req, time) = case_request("07-js-axios-authorization-header");
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", &time])
        .write_stdin(req)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["code"], -2014);
    assert_eq!(v["verdict"]["msg"], "API-key format invalid.");
    let first = &v["findings"][0];
    assert_eq!(first["cause"], "key-in-header-value");
    for field in ["title", "evidence", "fix"] {
        assert!(first[field].as_str().is_some_and(|s| !s.is_empty()), "{field}");
    }
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(!all.contains(DOCS_API_KEY) && !all.contains(DOCS_SECRET), "key material in output: {all}");
}

#[test]
fn doctor_curl_dart_json_signature_is_explained() {
    let (req, time) = case_request("23-dart-json-before-timestamp");
    let out = mbx_hmac().args(["doctor", "request", "--time", &time, "--curl", &req]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Binance answers -1022 Signature for this request is not valid."), "{text}");
    assert!(text.contains("[signed-json, Certain]"), "{text}");
    assert!(text.contains("[signed-before-timestamp, Certain]"), "{text}");
}

#[test]
fn doctor_correct_request_accepted_exit_0() {
    let (req, time) = case_request("32-docs-example-correct");
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--time", &time, "--curl", &req])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["code"], 0);
    assert_eq!(v["verdict"]["msg"], "Binance will accept this.");
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn doctor_without_key_material_still_reports() {
    let (req, time) = case_request("02-bash-date-seconds");
    let out = mbx()
        .args(["--output", "json", "doctor", "request", "--time", &time, "--curl", &req])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["code"], -1021);
    assert_eq!(v["findings"][0]["cause"], "timestamp-seconds");
}

#[test]
fn doctor_url_and_header_flags() {
    let out = mbx()
        .args([
            "doctor",
            "request",
            "--method",
            "GET",
            "--url",
            "https://api.binance.com/api/v3/account?timestamp=1&signature=ab",
        ])
        .args(["-H", "X-API-KEY: abc"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("key-header-misspelled"), "{text}");
}
