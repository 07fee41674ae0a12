//! `mbx doctor request`.

use crate::support::*;

fn case_request(name_prefix: &str) -> (String, String) {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/doctor-cases");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains(name_prefix))
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

#[test]
fn doctor_ws_api_frame_from_stdin_names_the_written_order() {
    let (frame, time) = case_request("js-ws-signs-written-order");
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--ws-api", "-", "--time", &time])
        .write_stdin(frame)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["code"], -1022);
    assert_eq!(v["verdict"]["status"], 400);
    assert_eq!(v["findings"][0]["cause"], "signed-in-written-order");
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(!all.contains(DOCS_SECRET), "{all}");
}

#[test]
fn doctor_ws_api_reads_the_frames_out_of_a_program_s_log() {
    let (frame, time) = case_request("js-ws-signs-written-order");
    let frame = frame.trim();
    // A logger's prefixes, the answers between the frames: the frames sent are judged, in order.
    let log = format!(
        "12:00:01.100 [ws-1] DEBUG Bot - SEND: {{\"id\":1,\"method\":\"time\"}}\n12:00:01.150 [ws-1] DEBUG Bot - RECV: {{\"id\":1,\"status\":200,\"result\":{{\"serverTime\":{time}}}}}\n12:00:01.171 [ws-1] DEBUG Bot - SEND: {frame}\n12:00:01.220 [ws-1] DEBUG Bot - RECV: {{\"id\":2,\"status\":400,\"error\":{{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}}}\n"
    );
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--ws-api", "-", "--time", &time])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v[0]["frame"], &v[0]["verdict"]["code"]),
        (&serde_json::json!(1), &serde_json::json!(0)),
        "{v}"
    );
    assert_eq!(v[1]["findings"][0]["cause"], "signed-in-written-order", "{v}");
    // A frame the logger shortened is said to be, not judged as sent.
    let out = mbx()
        .args(["doctor", "request", "--ws-api", "-"])
        .write_stdin("DEBUG:websockets.client:> TEXT '{\"id\": 1, \"method\": \"account.st...Nw6GYodJ2DA==\"}}' [321 bytes]\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shortened"), "{out:?}");
}

#[test]
fn doctor_judges_a_log_of_urls_only_and_says_the_key_was_not_seen() {
    let (log, time) = case_request("python-urllib3-debug-url-only-newline-signed");
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", &time])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["cause"], "signed-trailing-newline", "{v}");
    assert!(v["note"].as_str().is_some_and(|n| n.contains("not its headers")), "{v}");
}

/// A bot's log that shows the order's URL and Binance's answer but not the parameters: the answer
/// is explained (not "timestamp missing"), and the note says what the text leaves out.
#[test]
fn doctor_explains_the_answer_of_a_log_without_parameters() {
    let log = "2024-06-04 18:30:00,246 - ERROR - Error submitting buy LIMIT order to Binance.\n\
        OSError: Error executing request POST https://api.binance.com/api/v3/order. HTTP status is 400. \
        Error: {\"code\":-1021,\"msg\":\"Timestamp for this request was 1000ms ahead of the server's time.\"}\n";
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", "1717525800000"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["verdict"]["code"].as_i64(), v["findings"][0]["cause"].as_str()),
        (Some(-1021), Some("timestamp-ahead")),
        "{v}"
    );
    assert!(v["note"].as_str().is_some_and(|n| n.contains("nor its parameters")), "{v}");
}

/// A log with Binance's answer and no request at all (freqtrade's warning): the answer is explained.
#[test]
fn doctor_explains_an_answer_without_a_request() {
    let log = "2024-06-04 18:00:00,510 - freqtrade.exchange.common - WARNING - _get_balances() returned exception: \
        \"binance {\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action, request ip: 203.0.113.45\"}\". Giving up.\n";
    let out = mbx_hmac().args(["doctor", "request", "--http", "-"]).write_stdin(log).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[key-permission, Likely]") && text.contains("203.0.113.45"), "{text}");
    assert!(text.contains("no request"), "{text}");
    // A WebSocket log with the answer but not the frame.
    let ws = "ERROR order failed: {\"id\":\"a1\",\"status\":400,\"error\":{\"code\":-1021,\"msg\":\"Timestamp for this request is outside of the recvWindow.\"}}\n";
    let out = mbx_hmac().args(["doctor", "request", "--ws-api", "-"]).write_stdin(ws).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("[timestamp-too-old, Likely]"), "{out:?}");
    // A text with neither a request nor an answer is still refused, exit 2.
    let out = mbx_hmac().args(["doctor", "request", "--http", "-"]).write_stdin("hello\n").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn doctor_ws_api_frame_not_json_is_named() {
    let out = mbx()
        .args(["doctor", "request", "--ws-api", "-"])
        .write_stdin("{'id': 1, 'method': 'account.status', 'params': {}}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[frame-not-json, Certain]"), "{text}");
    assert!(text.contains("single quotes"), "{text}");
}

/// A log that prints the request as a Python dict (which a program may print while sending its
/// JSON): Binance's -1135 beside it says the printed form was sent; without that answer the dict is
/// read as the frame it stands for. A frame literal in the code shown is not a frame sent.
#[test]
fn doctor_ws_api_printed_dict_answered_not_json_was_sent_as_printed() {
    let printed = "SEND: {'id': 'a1', 'method': 'time', 'params': {}}\n";
    let answer =
        "RECV: {\"id\":null,\"status\":400,\"error\":{\"code\":-1135,\"msg\":\"Invalid JSON Request\"}}\n";
    let out = mbx()
        .args(["doctor", "request", "--ws-api", "-"])
        .write_stdin(format!("{printed}{answer}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[frame-not-json, Certain]") && text.contains("-1135"), "{text}");
    let out = mbx().args(["doctor", "request", "--ws-api", "-"]).write_stdin(printed).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let code = "    sub = {\"method\": \"time\", \"id\": 1}\nSEND: {\"method\": \"SUBSCRIBE\", \"params\": [], \"id\": 1}\n";
    let out = mbx().args(["doctor", "request", "--ws-api", "-"]).write_stdin(code).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("== frame 2") && text.contains("SUBSCRIBE"), "{text}");
}

#[test]
fn doctor_har_file_diagnoses_each_binance_entry() {
    let (har, time) = case_request("js-chrome-html-mangled-timestamp");
    let dir = temp_dir();
    let path = dir.join("session.har");
    std::fs::write(&path, &har).unwrap();
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--time", &time, "--har"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().expect("one diagnosis per Binance entry");
    assert_eq!(list.len(), 1, "the favicon entry is left out: {v}");
    assert_eq!(list[0]["findings"][0]["cause"], "html-mangled-ampersand");
    assert!(list[0]["entry"].as_u64().is_some());
    assert!(list[0]["request"].as_str().is_some_and(|r| r.contains("api.binance.com")));
    // The same HAR pasted into a post (words before and after it), given as --http: read as the
    // HAR it is.
    let posted = dir.join("post.txt");
    std::fs::write(&posted, format!("Proxyman export of the failing request:\n\n{har}\n\nAny idea?"))
        .unwrap();
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--time", &time, "--http"])
        .arg(&posted)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["findings"][0]["cause"], "html-mangled-ampersand", "{v}");
    // Braces the wrong way round in a text are no HAR (and no panic).
    let out = mbx()
        .args(["doctor", "request", "--http", "-"])
        .write_stdin("} oops {\nGET /api/v3/time\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // Not a HAR file: a plain sentence, exit 2.
    std::fs::write(&path, "not json").unwrap();
    let out = mbx().args(["doctor", "request", "--har"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the HAR file"));
}

#[test]
fn doctor_key_env_names_a_testnet_key_sent_to_live() {
    let (req, time) = case_request("python-testnet-key-on-live");
    let out = mbx()
        .env("BINANCE_API_SECRET", "OMjRZA0G6vbBxKd5WVwd9ExLXa3zphJn9pH9xdreYrmVM1JIJ5iqQt6wukvg6KLY")
        .env("BINANCE_API_KEY", "HAZt9xslXTTIQrh6bpy0VAq3GZuO2R8UziJdi0Y4mj4TIJZ9RnvIh4TOetAfG82E")
        .args(["doctor", "request", "--key-env", "testnet", "--http", "-", "--time", &time])
        .write_stdin(req.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Binance answers -2015"), "{text}");
    assert!(text.contains("[key-other-environment, Certain]"), "{text}");
    assert!(text.contains("Spot Testnet"), "{text}");
    // Without saying where the key belongs, the doctor cannot know: no such finding.
    let out = mbx()
        .env("BINANCE_API_SECRET", "OMjRZA0G6vbBxKd5WVwd9ExLXa3zphJn9pH9xdreYrmVM1JIJ5iqQt6wukvg6KLY")
        .args(["doctor", "request", "--http", "-", "--time", &time])
        .write_stdin(req)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("key-other-environment"));
}

#[test]
fn doctor_retired_listen_key_endpoint_is_404() {
    let out = mbx()
        .args([
            "--output",
            "json",
            "doctor",
            "request",
            "--method",
            "POST",
            "--url",
            "https://api.binance.com/api/v3/userDataStream",
        ])
        .args(["--header", &format!("X-MBX-APIKEY: {DOCS_API_KEY}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["status"], 404);
    assert_eq!(v["verdict"]["code"], -404);
    assert_eq!(v["findings"][0]["cause"], "endpoint-retired");
    assert!(v["findings"][0]["fix"].as_str().unwrap().contains("userDataStream.subscribe"));
}

/// A request written in another encoding than UTF-8 (here GBK) is named, with the bytes and the fix,
/// not refused as an unreadable stream.
#[test]
fn doctor_names_a_request_that_is_not_utf8() {
    let mut raw = b"POST /api/v3/order HTTP/1.1\r\nHost: api.binance.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nsymbol=".to_vec();
    raw.extend_from_slice(&[0xB1, 0xD2, 0xB0, 0xB2]);
    raw.extend_from_slice(b"USDT&timestamp=1499827319559&signature=00");
    let out = mbx_hmac().args(["doctor", "request", "--http", "-"]).write_stdin(raw).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not UTF-8") && err.contains("B1 D2 B0 B2") && err.contains("GBK"), "{err}");
}

#[test]
fn a_capture_diagnosed_later_is_judged_as_of_its_sending_or_says_how() {
    // Case 23's request (2017), diagnosed now without --time: its timestamp is years old.
    let (req, _) = case_request("23-dart-json-before-timestamp");
    let out = mbx_hmac().args(["--output", "json", "doctor", "request", "--curl", &req]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = v["note"].as_str().unwrap_or_default();
    assert!(note.contains("judge it as of its sending with --time 1499827319"), "{v}");
    // With Binance's -2014 in the capture, the timestamp was taken then: judged at its own time.
    let raw = format!(
        "{}HTTP/1.1 401 Unauthorized\r\n\r\n{{\"code\":-2014,\"msg\":\"API-key format invalid.\"}}\n",
        case_request("07-js-axios-authorization-header").0
    );
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-"])
        .write_stdin(raw)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["note"].as_str().is_some_and(|n| n.contains("judged as of the request's own time")), "{v}");
    assert_eq!(v["findings"][0]["cause"], "key-in-header-value", "{v}");
}

#[test]
fn a_capture_pasted_hours_later_is_judged_as_of_the_time_it_shows() {
    // A log line (the client's clock) 8 s after the request's timestamp, pasted five hours later
    // (--time): stale when sent, whatever the paste's time; not a time-zone mistake.
    let query = "symbol=BTCUSDT&timestamp=1499827311559";
    let signer = mbx_core::sign::HmacSigner::new(DOCS_SECRET.as_bytes());
    let sig = signer.sign(query.as_bytes()).to_string();
    let log = format!(
        "2017-07-12 02:42:00,000 DEBUG \"GET /api/v3/openOrders?{query}&signature={sig} HTTP/1.1\" 400 66\n"
    );
    let five_hours_later = (1_499_827_320_000u64 + 5 * 3_600_000).to_string();
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", &five_hours_later])
        .write_stdin(log.clone())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["verdict"]["code"].as_i64(), &v["findings"][0]["cause"]),
        (Some(-1021), &serde_json::json!("timestamp-too-old")),
        "{v}"
    );
    assert!(v["note"].as_str().is_some_and(|n| n.contains("log line's time (1499827320000)")), "{v}");
    // The same line a second after the timestamp: Binance took it then.
    let fresh_sig = signer.sign(b"symbol=BTCUSDT&timestamp=1499827319100").to_string();
    let fresh = log.replace("1499827311559", "1499827319100").replace(&sig, &fresh_sig);
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", &five_hours_later])
        .write_stdin(fresh)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["code"], 0, "{v}");
}

#[test]
fn ws_api_frames_one_after_another_are_judged_as_a_session() {
    let sig = format!("{}==", "A".repeat(86));
    let logon = format!(
        r#"{{"id":1,"method":"session.logon","params":{{"apiKey":"{DOCS_API_KEY}","timestamp":1499827319559,"signature":"{sig}"}}}}"#
    );
    let subscribe = r#"{"id":2,"method":"userDataStream.subscribe"}"#;
    // No key given: the logon's signature is not checked, and it logs on.
    let run = |text: String| {
        let out = mbx()
            .args(["--output", "json", "doctor", "request", "--time", "1499827319600", "--ws-api", "-"])
            .write_stdin(text)
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let both = run(format!("{logon}\n{subscribe}\n"));
    assert_eq!(both[1]["frame"], 2, "{both}");
    assert_eq!(both[1]["verdict"]["code"], 0, "logged on by the frame before: {both}");
    let alone = run(subscribe.to_owned());
    assert_eq!(alone["verdict"]["code"], -1002, "{alone}");
    // A logon that fails (an HMAC key) logs nothing on.
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--time", "1499827319600", "--ws-api", "-"])
        .write_stdin(format!("{logon}\n{subscribe}\n"))
        .output()
        .unwrap();
    let refused: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(refused[1]["verdict"]["code"], -1002, "{refused}");
}

/// The four reports mbx exists to end (`shared/seeds`), each given to the doctor as it was posted:
/// prose and code, no request printed. The slips the code shows are named, in the order Binance
/// checks, and nothing the code builds (timestamp, signature) is called missing.
#[test]
fn seed_reports_as_posted_are_diagnosed_from_their_code() {
    let expect: [(&str, i64, &[&str]); 4] = [
        ("000_", -2014, &["key-in-header-value"]),
        // The asker's -2014 (the key sent as a URL parameter) is explained from the answer (the
        // key's form or place); the reply's script reads the clock in seconds.
        ("001_", -2014, &["key-format", "timestamp-seconds"]),
        ("002_", -1022, &["signed-json", "signed-before-timestamp"]),
        ("003_", -2014, &["key-as-parameter", "timestamp-seconds", "secret-base64-decoded"]),
    ];
    let seeds = shared_dir().join("seeds");
    for (prefix, code, causes) in expect {
        let path = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let out =
            mbx().args(["--output", "json", "doctor", "request", "--http"]).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{prefix}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found: Vec<&str> =
            v["findings"].as_array().unwrap().iter().filter_map(|f| f["cause"].as_str()).collect();
        assert_eq!((v["verdict"]["code"].as_i64(), found.as_slice()), (Some(code), causes), "{prefix}: {v}");
    }
}

#[test]
fn a_secret_the_pasted_text_shows_is_tried_and_never_printed() {
    // A config pasted beside the log holds another key pair's secret (a testnet one), which the
    // program signed with; the secret given is this API key's.
    let other = "Zx81mVpQe4TnRk7sLw2GbH0yUcJa9fDo3iXq6NtBvE5rYlKm1gPzCs8dWhA4uOjF";
    let query = "timestamp=1499827319559";
    let sig = mbx_core::sign::HmacSigner::new(other.as_bytes()).sign(query.as_bytes()).to_string();
    let text = format!(
        "appsettings.json: {{ \"Binance\": {{ \"ApiSecret\": \"{other}\" }} }}\nGET https://api.binance.com/api/v3/account?{query}&signature={sig}\nX-MBX-APIKEY: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\n\nBinance error 400: {{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}\n"
    );
    for output in ["json", "table"] {
        let out = mbx_hmac()
            .args(["--output", output, "doctor", "request", "--http", "-", "--time", "1499827319600"])
            .write_stdin(text.clone())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("secret-other-environment") && stdout.contains("ApiSecret"), "{stdout}");
        assert!(!stdout.contains(&other[..12]), "the secret is shown: {stdout}");
    }
}

#[test]
fn a_2015_whose_text_names_another_environment_says_so() {
    // The post speaks of the live bot's keys; the request went to the Spot Test Network.
    let text = "set_sandbox_mode(True), same keys as my live bot:\nGET https://testnet.binance.vision/api/v3/account?timestamp=1499827319559&signature=abababababababababababababababababababababababababababababababab\n{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}\n";
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", "1499827319600"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["verdict"]["code"].as_i64(), &v["findings"][0]["cause"]),
        (Some(-2015), &serde_json::json!("key-other-environment")),
        "{v}"
    );
    assert!(v["findings"][0]["title"].as_str().is_some_and(|t| t.contains("Spot Testnet")), "{v}");
}

/// Rounds 26-27, what the command reads beyond the core: a WebSocket log of JSON events (the
/// frame a member, or a string of JSON), a frame sent binary, a correct frame Binance answered
/// -1022, and an answer's one `Date` more than a minute after the timestamp.
#[test]
fn json_event_logs_binary_frames_and_late_answers_are_read() {
    let signer = mbx_core::sign::HmacSigner::new(DOCS_SECRET.as_bytes());
    let key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    let ts = 1_499_827_319_559u64;
    let payload = format!("apiKey={key}&orderId=7&symbol=BTCUSDT&timestamp={ts}");
    let sig = signer.sign(payload.as_bytes()).to_string();
    let frame = format!(
        r#"{{"id":"p1","method":"order.status","params":{{"symbol":"BTCUSDT","orderId":7,"apiKey":"{key}","timestamp":{ts},"signature":"{sig}"}}}}"#
    );
    let time = (ts + 200).to_string();
    let judge = |args: &[&str], text: String| {
        let out = mbx_hmac()
            .args(["--output", "json", "doctor", "request"])
            .args(args)
            .args(["-", "--time", &time])
            .write_stdin(text)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"));
        // One diagnosis, or the first of several.
        if v.is_array() { v[0].clone() } else { v }
    };
    // pino: the frame a nested object; the answer too.
    let pino = format!(
        "{{\"level\":30,\"time\":{ts},\"frame\":{frame},\"msg\":\"ws send\"}}\n{{\"level\":30,\"frame\":{{\"id\":\"p1\",\"status\":200,\"result\":{{}}}},\"msg\":\"ws recv\"}}\n"
    );
    let v = judge(&["--ws-api"], pino);
    assert_eq!(
        (v["verdict"]["code"].as_i64(), v["findings"].as_array().map(Vec::len)),
        (Some(0), Some(0)),
        "{v}"
    );
    // Serilog's compact JSON: the frame a string of JSON.
    let serilog = format!(
        "{{\"@t\":\"2017-07-12T02:41:59Z\",\"@mt\":\"Sent {{Frame}}\",\"Frame\":{}}}\n",
        serde_json::Value::String(frame.clone())
    );
    let v = judge(&["--ws-api"], serilog);
    assert_eq!(v["verdict"]["code"], 0, "{v}");
    // The same frame answered -1022: Binance holds another secret for this key.
    let answered = format!(
        "SEND: {frame}\nRECV: {{\"id\":\"p1\",\"status\":400,\"error\":{{\"code\":-1022,\"msg\":\"Signature for this request is not valid.\"}}}}\n"
    );
    let v = judge(&["--ws-api"], answered);
    assert_eq!(v["findings"][0]["cause"], "key-registered-other", "{v}");
    // Python websockets' log of a frame sent as bytes.
    let binary =
        "DEBUG websockets.client: > BINARY 7b 22 69 64 22 3a 22 62 ... 22 7d 7d [330 bytes]\n".to_owned();
    let v = judge(&["--ws-api"], binary);
    assert_eq!(
        (v["verdict"]["code"].as_i64(), &v["findings"][0]["cause"]),
        (Some(-1135), &serde_json::json!("frame-binary")),
        "{v}"
    );
    // curl -v of a request whose answer's Date is 90 s after its timestamp: late by Binance's
    // clock, whatever the client's own lines say.
    let q = format!("symbol=BTCUSDT&timestamp={ts}");
    let qsig = signer.sign(q.as_bytes()).to_string();
    let late = format!(
        "* Current time is 2017-07-12T02:41:59.566Z\n> GET /api/v3/openOrders?{q}&signature={qsig} HTTP/2\n> Host: api.binance.com\n> x-mbx-apikey: {key}\n>\n< HTTP/2 400\n< content-type: application/json;charset=UTF-8\n< date: Wed, 12 Jul 2017 02:43:29 GMT\n"
    );
    let out = mbx_hmac()
        .args(["--output", "json", "doctor", "request", "--http", "-", "--time", &(ts + 90_000).to_string()])
        .write_stdin(late)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["verdict"]["code"].as_i64(), &v["findings"][0]["cause"]),
        (Some(-1021), &serde_json::json!("timestamp-too-old")),
        "{v}"
    );
}

#[test]
fn doctor_curl_given_a_whole_script_reads_its_slips() {
    // Pasted whole into --curl: read as a text is (its assignments, its signing line), not as one
    // curl command with unexpanded variables.
    let script = "KEY=\"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\"\nTS=$(date +%s)\nQ=\"omitZeroBalances=true&timestamp=$TS\"\nSIG=$(printf '%s' \"$Q\" | openssl dgst -sha256 -hmac \"$SECRET\" | awk '{print $2}')\ncurl -s -H \"X-MBX-APIKEY: $KEY\" \"https://api.binance.com/api/v3/account?$Q&signature=$SIG\"\n";
    let out = mbx_hmac().args(["--output", "json", "doctor", "request", "--curl", script]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["cause"], "timestamp-seconds", "{v}");
    // A single command over several lines (a continuation, a quoted body) stays a command.
    let command = "curl -s -X POST \\\n  -H 'X-MBX-APIKEY: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A' \\\n  'https://api.binance.com/api/v3/order' -d '{\n  \"symbol\": \"BTCUSDT\"\n}'";
    let out = mbx_hmac().args(["--output", "json", "doctor", "request", "--curl", command]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["cause"], "json-body", "{v}");
}
