//! # mbx-testkit
//!
//! Shared test support for mbx (not published). Each helper is named by what a test does with it:
//!
//! * [`TestSandbox::start`]: a sandbox of its own on `127.0.0.1:0`, in memory;
//!   [`TestSandbox::start_in`] keeps its state in a directory (restart tests). Dropping it shuts it
//!   down and fails the test if a handler panicked.
//! * [`TempDir::new`]: a fresh directory, removed on drop.
//! * [`keys`]: the demo key, and the Ed25519 / RSA test keys of `../shared/vectors`.
//! * [`send_raw`]: exact request bytes over TCP, for requests an HTTP client would refuse to build.
//! * [`doctor_cases`]: the doctor corpus, parsed.
//! * [`now_ms`]: a fresh `timestamp`.
//! * [`install_tls_provider`]: lets tests build their own `reqwest` clients.
//! * [`secrets`]: the forms a secret takes in text ([`secrets::assert_hidden`]) and a capture of every
//!   log record ([`secrets::LogCapture`]).

mod doctor_cases;
pub mod keys;
mod raw;
mod sandbox;
pub mod secrets;
mod tempdir;

pub use doctor_cases::{CaseRequest, DoctorCase, doctor_cases, doctor_cases_dir};
pub use raw::{RawResponse, send_raw};
pub use sandbox::TestSandbox;
pub use tempdir::TempDir;

/// Installs rustls's ring provider as the process default, once. The workspace builds reqwest with
/// `rustls-no-provider` (mbx-client passes its own ring-based TLS configuration), so any other
/// `reqwest::Client` built in a test process needs a default provider first.
pub fn install_tls_provider() {
    // Err means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The current time in milliseconds since the epoch: a fresh `timestamp` parameter.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
