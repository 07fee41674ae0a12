//! [`TestSandbox`]: one sandbox per test, on a free loopback port.

use std::net::SocketAddr;
use std::path::Path;

use mbx_sandbox::{AppState, Sandbox, SandboxBuilder, SandboxHandle};

/// A sandbox serving on `127.0.0.1:<free port>` for one test.
///
/// Dropping it asks the server to stop and fails the test if any handler panicked;
/// [`TestSandbox::shutdown`] also waits until the database is closed (needed before a restart on the
/// same directory).
#[derive(Debug)]
pub struct TestSandbox {
    handle: Option<SandboxHandle>,
}

impl TestSandbox {
    /// Starts an in-memory sandbox.
    pub async fn start() -> TestSandbox {
        TestSandbox::start_with(Sandbox::builder().memory()).await
    }

    /// Starts a sandbox keeping its state in `dir`.
    pub async fn start_in(dir: &Path) -> TestSandbox {
        TestSandbox::start_with(Sandbox::builder().data_dir(dir)).await
    }

    /// Starts `builder`, bound to `127.0.0.1:0` whatever it said.
    pub async fn start_with(builder: SandboxBuilder) -> TestSandbox {
        let handle = builder
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .start()
            .await
            .unwrap_or_else(|e| panic!("test sandbox did not start: {e}"));
        TestSandbox { handle: Some(handle) }
    }

    fn handle(&self) -> &SandboxHandle {
        // Present until shutdown(), which consumes self.
        self.handle.as_ref().unwrap_or_else(|| unreachable!("handle taken only by shutdown"))
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.handle().local_addr()
    }

    /// The REST base URL (`http://127.0.0.1:port`).
    pub fn rest_url(&self) -> String {
        self.handle().rest_url()
    }

    /// `rest_url` followed by `path_and_query` (which starts with `/`).
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.rest_url())
    }

    /// The sandbox's shared state.
    pub fn state(&self) -> &AppState {
        self.handle().state()
    }

    /// The faults planned for the next order placements (answer dropped, 5xx or `-1007` after the
    /// commit): `sandbox.faults().drop_response_after_commit(1)`.
    pub fn faults(&self) -> &mbx_sandbox::faults::Faults {
        self.state().faults()
    }

    /// The chaos mode (faults drawn from a seed): `sandbox.chaos().enable(config)`, `.to_json()` for
    /// its counters. Start with it on by `TestSandbox::start_with(builder.chaos(config))`.
    pub fn chaos(&self) -> &mbx_sandbox::faults::Chaos {
        self.state().chaos()
    }

    /// Shuts down and waits for the database to close; panics if a handler panicked.
    pub async fn shutdown(mut self) {
        let Some(handle) = self.handle.take() else { return };
        let panics = handle.state().panics();
        handle.shutdown().await.unwrap_or_else(|e| panic!("test sandbox shutdown failed: {e}"));
        assert!(panics.is_empty(), "sandbox handlers panicked: {panics:?}");
    }
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            let panics = handle.state().panics();
            drop(handle);
            if !panics.is_empty() && !std::thread::panicking() {
                panic!("sandbox handlers panicked: {panics:?}");
            }
        }
    }
}
