//! One WebSocket API text frame as the sandbox answers it (`ws::api::answer` through
//! `mbx_sandbox::fuzzing`): frame reading, method lookup, `session.*`, `check_ws` and the handler,
//! on one connection's session that lives across inputs.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mbx_sandbox::fuzzing::Fuzzed;

static SANDBOX: LazyLock<Fuzzed> = LazyLock::new(Fuzzed::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = SANDBOX.ws_api(text);
});
