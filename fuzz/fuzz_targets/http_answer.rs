//! The client's HTTP/1.1 answer framing: status line and headers (httparse), 1xx heads skipped,
//! `Content-Length`, chunked and until-close bodies, mbx's own headers (weights, order counts,
//! `Retry-After`). Any bytes: an answer, "incomplete" or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some((status, body))) = mbx_client::fuzzing::http_answer(data) {
        // A body is always a part of what was read.
        assert!(body.len() <= data.len(), "status {status}: body longer than the input");
    }
});
