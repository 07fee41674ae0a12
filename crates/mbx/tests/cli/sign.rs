//! `mbx sign`.

use crate::support::*;

/// The two curl lines of the docs' HMAC example (rest-api.md, "SIGNED Endpoint Examples"), read from
/// the docs themselves so the comparison is with the published bytes.
fn docs_curl_lines() -> Vec<String> {
    let docs = std::fs::read_to_string(shared_dir().join("binance-docs/rest-api.md")).unwrap();
    let lines: Vec<String> = docs
        .lines()
        .filter(|l| {
            l.starts_with(
                "curl -s -v -H \"X-MBX-APIKEY: $apiKey\" -X POST \"https://api.binance.com/api/v3/order?",
            )
        })
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 2, "the docs' two HMAC curl examples");
    lines
}

const DOCS_ORDER: [&str; 7] = [
    "side=BUY",
    "type=LIMIT",
    "timeInForce=GTC",
    "quantity=1",
    "price=0.1",
    "recvWindow=5000",
    "timestamp=1499827319559",
];

#[test]
fn sign_docs_curl_examples_reproduced_byte_for_byte() {
    let expected = docs_curl_lines();
    for (symbol, line) in [("LTCBTC", &expected[0]), ("１２３４５６", &expected[1])] {
        let out = mbx_hmac()
            .args(["sign", "--api-key-var", "apiKey"])
            .arg(format!("symbol={symbol}"))
            .args(DOCS_ORDER)
            .output()
            .unwrap();
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().last().unwrap(), line.as_str());
        // And the JSON `curl` field is the same line.
        let v = json(
            mbx_hmac()
                .args(["sign", "--api-key-var", "apiKey"])
                .arg(format!("symbol={symbol}"))
                .args(DOCS_ORDER),
        );
        assert_eq!(v["curl"], line.as_str());
    }
}

#[test]
fn sign_every_rest_vector_through_query_and_body_flags() {
    for v in vectors().into_iter().filter(|v| v.transport == "rest") {
        let mut cmd = match v.key.as_str() {
            "hmac" => mbx_hmac(),
            kind => {
                let mut c = mbx();
                c.arg("--key-file").arg(private_copy(&format!("{kind}-private.pem")));
                c
            }
        };
        cmd.arg("sign");
        if !v.query.is_empty() {
            cmd.arg("--query").arg(&v.query);
        }
        if !v.body.is_empty() {
            cmd.arg("--body").arg(&v.body);
        }
        let out = json(&mut cmd);
        assert_eq!(out["payload"], v.payload.as_str(), "{}", v.name);
        assert_eq!(out["signature"], v.signature.as_str(), "{}", v.name);
        let carrier = if v.body.is_empty() { &out["query"] } else { &out["body"] };
        assert!(
            carrier.as_str().unwrap().ends_with(&format!("&signature={}", v.signature_urlencoded)),
            "{}",
            v.name
        );
        assert_eq!(out["key"], v.key.as_str());
    }
}

#[test]
fn sign_every_ws_api_vector_from_name_value_arguments() {
    for v in vectors().into_iter().filter(|v| v.transport == "wsapi") {
        let mut cmd = match v.key.as_str() {
            "hmac" => mbx_hmac(),
            kind => {
                let mut c = mbx();
                c.arg("--key-file").arg(private_copy(&format!("{kind}-private.pem")));
                c
            }
        };
        // Given in reverse order: the payload must still come out sorted.
        cmd.arg("sign").arg("--ws-api").args(v.payload.split('&').rev());
        let out = json(&mut cmd);
        assert_eq!(out["payload"], v.payload.as_str(), "{}", v.name);
        assert_eq!(out["signature"], v.signature.as_str(), "{}", v.name);
        assert_eq!(out["params"]["signature"], v.signature.as_str(), "{}", v.name);
    }
}

#[test]
fn sign_encrypted_key_with_passphrase_env_matches_plain_key() {
    let v = vectors().into_iter().find(|v| v.name == "rest-ed25519-ascii").unwrap();
    let out = json(
        mbx()
            .env("MBX_KEY_PASSPHRASE", "correct-horse")
            .arg("--key-file")
            .arg(private_copy("ed25519-private-encrypted.pem"))
            .arg("sign")
            .arg("--query")
            .arg(&v.query),
    );
    assert_eq!(out["signature"], v.signature.as_str());

    let out = mbx()
        .env("MBX_KEY_PASSPHRASE", "wrong")
        .arg("--key-file")
        .arg(private_copy("ed25519-private-encrypted.pem"))
        .arg("sign")
        .arg("--query")
        .arg(&v.query)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passphrase does not decrypt"));
}

#[test]
fn sign_adds_timestamp_last_and_keeps_a_given_one() {
    let out = json(mbx_hmac().arg("sign").args([
        "symbol=BTCUSDT",
        "--timestamp",
        "1700000000000123",
        "--recv-window",
        "6000.5",
    ]));
    assert_eq!(out["payload"], "symbol=BTCUSDT&recvWindow=6000.5&timestamp=1700000000000123");
    let out =
        json(mbx_hmac().arg("sign").args(["timestamp=1499827319559", "symbol=BTCUSDT", "--timestamp", "1"]));
    assert_eq!(out["payload"], "timestamp=1499827319559&symbol=BTCUSDT");
    assert!(out["notes"][0].as_str().unwrap().contains("kept as given"));
}

#[test]
fn sign_now_timestamp_is_13_digit_milliseconds() {
    let out = json(mbx_hmac().arg("sign").arg("symbol=BTCUSDT"));
    let payload = out["payload"].as_str().unwrap();
    let ts = payload.strip_prefix("symbol=BTCUSDT&timestamp=").unwrap();
    assert_eq!(ts.len(), 13, "{payload}");
}

#[test]
fn sign_seconds_timestamp_gets_a_note() {
    let out = json(mbx_hmac().arg("sign").args(["symbol=BTCUSDT", "timestamp=1700000000"]));
    assert!(out["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("-1021")));
}

#[test]
fn sign_never_prints_the_secret_and_rejects_secret_flags() {
    for args in [
        vec!["sign", "symbol=A"],
        vec!["--output", "json", "sign", "symbol=A"],
        vec!["-v", "sign", "symbol=A"],
    ] {
        let out = mbx_hmac().env("BINANCE_API_KEY", DOCS_API_KEY).args(&args).output().unwrap();
        assert!(out.status.success());
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(DOCS_SECRET), "secret leaked: {all}");
        assert!(!all.contains(DOCS_API_KEY), "API key printed: {all}");
    }
    let out = mbx().args(["sign", "--secret", DOCS_SECRET]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sign_without_key_material_says_how_to_provide_it() {
    let out = mbx().arg("sign").arg("symbol=A").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BINANCE_API_SECRET") && err.contains("--key-file"), "{err}");
}

#[test]
fn sign_world_readable_key_file_warns() {
    let path = private_copy("ed25519-private.pem");
    set_mode(&path, 0o644);
    let out = mbx().arg("--key-file").arg(&path).args(["sign", "symbol=A"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("chmod 600"));
    set_mode(&path, 0o600);
    let out = mbx().arg("--key-file").arg(&path).args(["sign", "symbol=A"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("chmod"));
}

#[test]
fn sign_hmac_secret_file_drops_only_final_newline() {
    let dir = temp_dir();
    let path = dir.join("secret");
    std::fs::write(&path, format!("{DOCS_SECRET}\n")).unwrap();
    set_mode(&path, 0o600);
    let v = vectors().into_iter().find(|v| v.name == "rest-hmac-ascii-query").unwrap();
    let out = json(mbx().arg("--key-file").arg(&path).arg("sign").arg("--query").arg(&v.query));
    assert_eq!(out["signature"], v.signature.as_str());
}

#[test]
fn sign_text_output_snapshot() {
    let out = mbx_hmac()
        .arg("sign")
        .arg("symbol=这是测试币456")
        .args(&DOCS_ORDER[..6])
        .args(["--timestamp", "1499827319559", "--in-body"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn demo_runs_offline_and_reproduces_the_docs_signature() {
    let out = mbx().arg("demo").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"));
    assert!(text.contains("e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"));
    assert!(text.contains("0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77"));
    assert!(!text.contains("verified: NO"));
    assert!(text.contains("-1021 Timestamp for this request is outside of the recvWindow."));
    // Part 2 runs against the embedded sandbox: an order placed and cancelled, a market order filled,
    // and the sandbox's answers to mistakes with the doctor's hints.
    for expected in [
        "is NEW",
        "cancelled: CANCELED",
        "MARKET BUY 0.001 BTCUSDT: FILLED",
        "Your trades on BTCUSDT",
        r#"{"code":-2014,"msg":"API-key format invalid."}"#,
        "hint: You signed the parameters as JSON",
        "hint: Timestamp is in seconds",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn output_table_is_the_default_and_text_is_an_alias() {
    let run = |extra: &[&str]| {
        let out = mbx_hmac()
            .args(extra)
            .args(["sign", "symbol=BTCUSDT", "--timestamp", "1499827319559"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let default = run(&[]);
    assert_eq!(run(&["--output", "table"]), default);
    assert_eq!(run(&["--output", "text"]), default);
    assert_ne!(run(&["--output", "json"]), default);
    let out = mbx_hmac().args(["--output", "yaml", "sign", "symbol=A"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("table") && err.contains("json"), "{err}");
}

#[test]
fn sign_raw_query_is_rendered_by_mbx_core_and_the_rendering_is_signed() {
    // A raw query with characters that must be encoded: sent (and signed) encoded, with a note.
    let out = json(mbx_hmac().args([
        "sign",
        "--query",
        "?symbol=这是测试币456&side=BUY",
        "--timestamp",
        "1499827319559",
    ]));
    let payload = out["payload"].as_str().unwrap();
    assert_eq!(
        payload,
        "symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456&side=BUY&timestamp=1499827319559"
    );
    let note = out["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|n| n.as_str().filter(|n| n.starts_with("--query:")));
    assert!(
        note.unwrap().contains("`symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456&side=BUY`"),
        "{out}"
    );
    mbx_core::sign::HmacSigner::new(DOCS_SECRET.as_bytes())
        .verify(payload.as_bytes(), out["signature"].as_str().unwrap())
        .expect("the printed signature signs the printed payload");
    // Already encoded as it must be: kept byte for byte, no note.
    let out = json(mbx_hmac().args([
        "sign",
        "--body",
        "symbol=%E8%BF%99&side=BUY",
        "--timestamp",
        "1499827319559",
    ]));
    assert_eq!(
        out["body"].as_str().unwrap().split("&signature=").next(),
        Some("symbol=%E8%BF%99&side=BUY&timestamp=1499827319559")
    );
    assert!(!out["notes"].to_string().contains("--body:"), "{out}");
    // Malformed percent-encoding is refused with the fix.
    let out = mbx_hmac().args(["sign", "--query", "symbol=A%G1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--query") && err.contains("%25"), "{err}");
}

#[test]
fn sign_notes_come_from_the_doctor_run_over_the_signed_request() {
    // A GET with a body: the doctor's finding and fix, word for word.
    let out = json(mbx_hmac().args([
        "sign",
        "--method",
        "GET",
        "--path",
        "/api/v3/account",
        "--in-body",
        "omitZeroBalances=true",
    ]));
    let notes = out["notes"].to_string();
    assert!(
        notes.contains("a GET request with a body")
            && notes.contains("Put every parameter of a GET request in the query string."),
        "{notes}"
    );
    // A parameter given twice: what Binance answers, from the doctor.
    let out = json(mbx_hmac().args(["sign", "symbol=A", "symbol=B"]));
    let notes = out["notes"].to_string();
    assert!(notes.contains("Binance would answer -1101") && notes.contains("(param-duplicated)"), "{notes}");
    // An order without its type: the endpoint table's mandatory parameter, from the doctor.
    let out = json(mbx_hmac().args(["sign", "symbol=BTCUSDT", "side=BUY"]));
    let notes = out["notes"].to_string();
    assert!(notes.contains("Binance would answer -1102") && notes.contains("'type'"), "{notes}");
    // A correct request gets no doctor note.
    let out = json(mbx_hmac().args(["sign", "symbol=BTCUSDT", "side=BUY", "type=MARKET", "quantity=1"]));
    assert_eq!(out["notes"], serde_json::json!([]), "{out}");
}
