//! The first bytes of a connection as the sandbox's own HTTP/1.1 path reads them
//! (`mbx_sandbox::fuzzing::http1_head`): which requests it takes from hyper, and the request it
//! builds from their bytes. Input: raw bytes, as a client would send them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mbx_sandbox::fuzzing::http1_head(data);
});
