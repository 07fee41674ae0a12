//! The doctor's readers (`mbx doctor`): a curl command, a raw HTTP request, a HAR file, a
//! WebSocket API frame or a log of them with their answers, a program's code, each then diagnosed
//! against a fixed HMAC key and server time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mbx_core::SecretBytes;
use mbx_core::diagnose::{
    Context, RequestRecord, answer_in_prose, diagnose, diagnose_answer_alone, diagnose_source_alone,
    diagnose_ws, diagnose_ws_log, inspected_frames, printed_forms, read_har, secrets_in_text,
    ws_answers_in_log, ws_frames_in_log,
};
use mbx_core::time::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ctx = Context::hmac(SecretBytes::from("fuzz-secret")).at(Timestamp::Millis(1_700_000_000_000));
    if let Ok(req) = RequestRecord::from_curl(text) {
        let _ = diagnose(&req, &ctx).to_json();
    }
    if let Ok(req) = RequestRecord::from_http(text) {
        let _ = diagnose(&req, &ctx).to_json();
    }
    if let Ok(entries) = read_har(text) {
        for entry in entries.iter().take(8) {
            let _ = entry.describe();
            let _ = entry.diagnose(&ctx).to_json();
        }
    }
    let _ = diagnose_ws(text, None, &ctx).to_json();
    // The readers of a whole pasted text: WebSocket API logs and their answers, code, prose.
    let answers = ws_answers_in_log(text);
    if let Ok(Some(frames)) = ws_frames_in_log(text) {
        let frames: Vec<&str> = frames.into_iter().take(8).collect();
        let _ = diagnose_ws_log(&frames, &answers, None, &ctx, &printed_forms(text));
    }
    let inspected = inspected_frames(text);
    let inspected: Vec<&str> = inspected.iter().take(8).map(String::as_str).collect();
    let _ = diagnose_ws_log(&inspected, &answers, None, &ctx, &[]);
    let _ = diagnose_source_alone(text);
    let _ = diagnose_answer_alone(text);
    let _ = (secrets_in_text(text), answer_in_prose(text));
});
