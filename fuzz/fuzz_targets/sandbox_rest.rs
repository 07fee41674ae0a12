//! One REST request as the sandbox reads it, through its whole router in-process
//! (`mbx_sandbox::fuzzing`): the frame (weights, `X-MBX-TIME-UNIT`, URL limit), query and form
//! body reading, the acceptance check with the sandbox's keys and clock, the doctor's diagnosis of a
//! rejection, and the route. Input: `METHOD TARGET`, header lines, an empty line, the body.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mbx_sandbox::fuzzing::{Fuzzed, rest_request};

static SANDBOX: LazyLock<Fuzzed> = LazyLock::new(Fuzzed::new);

fuzz_target!(|data: &[u8]| {
    let _ = rest_request(&SANDBOX, data);
});
