//! The WebSocket API request frame as the sandbox reads it (`accept::read_ws_frame`: JSON object,
//! `id`, `method`, `params` in the order written), then the method's parameter checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mbx_core::accept::{self, Target};
use mbx_core::endpoint;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match accept::read_ws_frame(text) {
        Ok(frame) => {
            let _ = accept::recv_window(&frame.params);
            if let Some(e) = endpoint::ws_method(&frame.method) {
                let _ = accept::check_params(Target::of(e), &frame.params);
                let _ = accept::check_unread(Target::of(e), &frame.params);
            }
        }
        Err(rejected) => {
            assert!(rejected.1.error.code.get() < 0, "error codes are negative");
        }
    }
});
