//! Shared helpers: the vectors, private copies of key files, an `mbx` command with a clean environment.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;

pub use mbx_testkit::keys::{DEMO_API_KEY as DOCS_API_KEY, DEMO_SECRET_KEY as DOCS_SECRET};

/// `shared/` beside the repository (the vectors' parent; `MBX_SHARED_DIR` overrides it).
pub fn shared_dir() -> PathBuf {
    mbx_testkit::keys::vectors_dir().join("..")
}

/// `mbx` with no inherited key material.
pub fn mbx() -> Command {
    let mut cmd = Command::cargo_bin("mbx").unwrap();
    for var in ["BINANCE_API_SECRET", "BINANCE_API_KEY", "MBX_KEY_PASSPHRASE"] {
        cmd.env_remove(var);
    }
    cmd
}

/// `mbx` with the docs' HMAC secret in the environment.
pub fn mbx_hmac() -> Command {
    let mut cmd = mbx();
    cmd.env("BINANCE_API_SECRET", DOCS_SECRET);
    cmd
}

/// A fresh private temp directory.
pub fn temp_dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    // Under cargo's per-target temp dir (target/tmp), which `cargo clean` removes.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "mbx-cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of a vectors key file with mode 0600 (git checkouts leave them readable by others).
pub fn private_copy(name: &str) -> PathBuf {
    let src = shared_dir().join("vectors").join(name);
    let dst = temp_dir().join(name);
    std::fs::copy(&src, &dst).unwrap();
    set_mode(&dst, 0o600);
    dst
}

pub fn set_mode(path: &std::path::Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[derive(serde::Deserialize, Debug)]
pub struct Vector {
    pub name: String,
    pub key: String,
    pub transport: String,
    pub query: String,
    pub body: String,
    pub payload: String,
    pub signature: String,
    pub signature_urlencoded: String,
}

pub fn vectors() -> Vec<Vector> {
    serde_json::from_slice(&std::fs::read(shared_dir().join("vectors/vectors.json")).unwrap()).unwrap()
}

/// Runs and parses the JSON output.
pub fn json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.arg("--output").arg("json").output().unwrap();
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
