//! `mbx keygen` and `mbx key show`.

use crate::support::*;

#[test]
fn keygen_writes_0600_key_that_signs_and_key_show_matches_fingerprint() {
    let dir = temp_dir();
    let key = dir.join("k.pem");
    let out = json(
        mbx()
            .env("MBX_KEY_PASSPHRASE", "correct-horse")
            .args(["keygen", "ed25519", "--encrypt", "--out"])
            .arg(&key),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(std::fs::read_to_string(&key).unwrap().starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let fingerprint = out["fingerprint"].as_str().unwrap().to_owned();
    // The encrypted key signs, and shows the same fingerprint as its public half.
    let shown = json(
        mbx().env("MBX_KEY_PASSPHRASE", "correct-horse").arg("--key-file").arg(&key).args(["key", "show"]),
    );
    assert_eq!(shown["fingerprint"], fingerprint.as_str());
    let public = dir.join("k.pem.pub");
    let shown_pub = json(mbx().arg("--key-file").arg(&public).args(["key", "show"]));
    assert_eq!(shown_pub["fingerprint"], fingerprint.as_str());
    let signed = json(
        mbx()
            .env("MBX_KEY_PASSPHRASE", "correct-horse")
            .arg("--key-file")
            .arg(&key)
            .args(["sign", "symbol=BTCUSDT"]),
    );
    let verify = mbx()
        .arg("--key-file")
        .arg(&public)
        .args([
            "verify",
            "--payload",
            signed["payload"].as_str().unwrap(),
            "--signature",
            signed["signature"].as_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0));
    // Never overwrites.
    let again = mbx().args(["keygen", "ed25519", "--out"]).arg(&key).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// The test binary's one RSA key generation: `mbx keygen rsa`, then the key registered with a sandbox
/// signs a real request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keygen_rsa_key_is_registered_and_signs_against_sandbox() {
    let sb = mbx_testkit::TestSandbox::start().await;
    let dir = temp_dir();
    let key = dir.join("rsa.pem");
    let mut cmd = mbx();
    cmd.args(["--output", "json", "keygen", "rsa", "--bits", "2048", "--out"]).arg(&key);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let made: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(made["type"], "RSA 2048 bits");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let private = std::fs::read_to_string(&key).unwrap();
    assert!(private.starts_with("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8: {private}");
    let public = dir.join("rsa.pem.pub");
    let shown = json(mbx().arg("--key-file").arg(&public).args(["key", "show"]));
    assert_eq!(shown["kind"], "rsa");
    assert_eq!(shown["fingerprint"], made["fingerprint"]);

    // Registered with the sandbox, the generated key signs an account request that is accepted.
    let mut cmd = mbx();
    cmd.args(["--output", "json", "sandbox", "key", "add", "--kind", "rsa", "--url"])
        .arg(sb.rest_url())
        .arg("--public-key")
        .arg(&public);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let registered: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let api_key = registered["apiKey"].as_str().unwrap().to_owned();
    let mut cmd = mbx();
    cmd.env("BINANCE_API_KEY", &api_key)
        .arg("--key-file")
        .arg(&key)
        .args(["--output", "json", "--base-url"])
        .arg(sb.rest_url())
        .arg("account");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let account: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(account["balances"].as_array().unwrap().iter().any(|b| b["asset"] == "USDT"), "{account}");

    // The private key file given as --public-key: its public half is derived and sent, never the
    // private key (the sandbox's key list shows what it got).
    let mut cmd = mbx();
    cmd.args(["--output", "json", "sandbox", "key", "add", "--kind", "rsa", "--url"])
        .arg(sb.rest_url())
        .arg("--public-key")
        .arg(&key);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("derived") && !text.contains("PRIVATE"), "{text}");
    let mut cmd = mbx();
    cmd.args(["--output", "json", "sandbox", "key", "list", "--url"]).arg(sb.rest_url());
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(!listed.contains("PRIVATE KEY"), "{listed}");
}

#[test]
fn keygen_refuses_unknown_kinds_and_bits_for_ed25519() {
    let dir = temp_dir();
    let out = mbx().args(["keygen", "dsa", "--out"]).arg(dir.join("k.pem")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ed25519") && err.contains("rsa"), "{err}");
    let out =
        mbx().args(["keygen", "ed25519", "--bits", "3072", "--out"]).arg(dir.join("k.pem")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bits applies to rsa keys only"));
    let out =
        mbx().args(["keygen", "rsa", "--bits", "1024", "--out"]).arg(dir.join("k.pem")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("k.pem").exists(), "nothing written on a refusal");
}
