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
