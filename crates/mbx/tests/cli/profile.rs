//! Profiles: `mbx config init` and `--profile` against a sandbox.

use mbx_testkit::TestSandbox;

use crate::support::*;

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
}

#[test]
fn config_init_writes_a_private_profile_from_answers() {
    let dir = temp_dir();
    let config = dir.join("config.toml");
    let answers = "main\nsandbox\nAPIKEY123\nhmac\ncmd:pass show binance\n";
    let out =
        mbx().env("MBX_CONFIG", &config).args(["config", "init"]).write_stdin(answers).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains("[profiles.main]") && text.contains("secret_command = \"pass show binance\""),
        "{text}"
    );
    assert!(!text.contains("secret ="), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&config).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Same name again needs --force.
    let again =
        mbx().env("MBX_CONFIG", &config).args(["config", "init"]).write_stdin(answers).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_with_secret_file_or_command_signs_account_calls() {
    let sb = TestSandbox::start().await;
    let dir = temp_dir();
    let secret = dir.join("secret");
    std::fs::write(&secret, format!("{DOCS_SECRET}\n")).unwrap();
    set_mode(&secret, 0o600);
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.file]\nbase_url = \"{url}\"\napi_key = \"{DOCS_API_KEY}\"\nkey_type = \"hmac\"\nsecret_file = \"{}\"\n\n\
             [profiles.cmd]\nbase_url = \"{url}\"\napi_key = \"{DOCS_API_KEY}\"\nkey_type = \"hmac\"\nsecret_command = \"cat {}\"\n",
            secret.display(),
            secret.display(),
            url = sb.rest_url()
        ),
    )
    .unwrap();
    for name in ["file", "cmd"] {
        let mut c = mbx();
        c.env("MBX_CONFIG", &config).args(["--profile", name, "--output", "json", "account"]);
        let out = run(c).await;
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["balances"].as_array().is_some_and(|b| !b.is_empty()), "{name}");
    }
    let mut c = mbx();
    c.env("MBX_CONFIG", &config).args(["--profile", "nope", "account"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no profile 'nope'"));
}
