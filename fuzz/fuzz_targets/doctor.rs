//! The doctor's readers (`mbx doctor`): a curl command, a raw HTTP request, a HAR file and a
//! WebSocket API frame, each then diagnosed against a fixed HMAC key and server time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mbx_core::SecretBytes;
use mbx_core::diagnose::{Context, RequestRecord, diagnose, diagnose_ws, read_har};
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
});
