//! No secret in any output of `mbx` (issue 19): stdout and stderr of every command that handles a
//! key, run with `RUST_LOG=trace`: `call --dry-run`, `sign` (REST and WebSocket API, every key
//! source), `-v`, `verify`, `doctor request` and `doctor live` with a secret given, `keygen
//! --encrypt`, a world-readable key file (and its warning), a wrong secret, a wrong passphrase, a
//! config file or `config init` answer holding a secret; and `mbx sandbox`, whose admin token is
//! printed only in its start line and never logged. Secrets never come from argv: no flag takes one.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use mbx_testkit::TestSandbox;
use mbx_testkit::keys::read_vector_file;
use mbx_testkit::secrets::{Secret, assert_hidden};

use crate::support::*;

/// The passphrase of `ed25519-private-encrypted.pem`.
const PASSPHRASE: &str = "correct-horse";
/// A secret that signs nothing the sandbox knows.
const WRONG_SECRET: &str = "wrongSecretOfTheCliSecretsTestThatSignsNothing0123456789abcdefgh";

fn secrets(created: &str) -> Vec<Secret> {
    vec![
        Secret::bytes("HMAC secret", created.as_bytes()),
        Secret::bytes("wrong HMAC secret", WRONG_SECRET.as_bytes()),
        Secret::bytes("passphrase", PASSPHRASE.as_bytes()),
        Secret::pem("Ed25519 private key", &read_vector_file("ed25519-private.pem")),
        Secret::pem("RSA private key", &read_vector_file("rsa-private.pem")),
    ]
}

/// Runs `cmd` (blocking, on a thread, while the test's runtime serves the sandbox) with
/// `RUST_LOG=trace`; returns stdout and stderr together, and the exit code.
async fn run(mut cmd: assert_cmd::Command) -> (String, Option<i32>) {
    cmd.env("RUST_LOG", "trace");
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (text, out.status.code())
}

/// A file holding `text`, with `mode`.
fn file(name: &str, text: &str, mode: u32) -> std::path::PathBuf {
    let path = temp_dir().join(name);
    std::fs::write(&path, text).unwrap();
    set_mode(&path, mode);
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_command_prints_or_logs_a_secret() {
    let sb = TestSandbox::start().await;
    let url = sb.rest_url();
    // A key of the sandbox's own making: its secret is the one to hide.
    let admin = mbx_client::Client::builder().base_url(url.clone()).build().unwrap();
    let created = admin.sandbox_add_key(&serde_json::json!({"kind": "hmac"})).await.unwrap();
    let (api_key, secret) =
        (created["apiKey"].as_str().unwrap().to_owned(), created["secretKey"].as_str().unwrap().to_owned());
    let secrets = secrets(&secret);
    let with_secret = |secret: &str| {
        let mut c = mbx();
        c.env("BINANCE_API_SECRET", secret).env("BINANCE_API_KEY", &api_key).arg("--base-url").arg(&url);
        c
    };
    let secret_file = file("secret", &format!("{secret}\n"), 0o600);
    let readable = file("readable-secret", &format!("{secret}\n"), 0o644);
    let spaced = file("spaced-secret", &format!(" {secret} \n"), 0o600);
    let ed = private_copy("ed25519-private.pem");
    let encrypted = private_copy("ed25519-private-encrypted.pem");
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut check = |what: &str, (text, code): (String, Option<i32>), expect: Option<i32>| {
        if let Some(expect) = expect {
            assert_eq!(code, Some(expect), "{what}: {text}");
        }
        outputs.push((what.to_owned(), text.clone()));
        text
    };

    // Signed calls: --dry-run, -v, -vv-like repeats, JSON output, a wrong secret.
    let mut c = with_secret(&secret);
    c.args(["call", "GET", "/api/v3/account", "--dry-run"]);
    check("call --dry-run", run(c).await, Some(0));
    let mut c = with_secret(&secret);
    c.args(["--output", "json", "call", "GET", "/api/v3/account", "--dry-run"]);
    check("call --dry-run --output json", run(c).await, Some(0));
    let mut c = with_secret(&secret);
    c.args(["-v", "account"]);
    let shown = check("-v account", run(c).await, Some(0));
    assert!(shown.contains("signature="), "-v shows the signed request: {shown}");
    let mut c = with_secret(&secret);
    c.args(["-v", "-v", "--output", "json", "orders", "open"]);
    check("-v -v orders open", run(c).await, Some(0));
    let mut c = with_secret(WRONG_SECRET);
    c.args(["-v", "account"]);
    let refused = check("a wrong secret", run(c).await, Some(1));
    assert!(refused.contains("-1022"), "{refused}");
    let mut c = with_secret(&secret);
    c.args(["--output", "json", "doctor", "live"]);
    check("doctor live", run(c).await, Some(0));

    // `sign` and `verify` with each key source.
    let mut c = with_secret(&secret);
    c.args(["sign", "symbol=BTCUSDT", "side=BUY"]);
    check("sign (env)", run(c).await, Some(0));
    let mut c = with_secret(&secret);
    c.args(["--output", "json", "sign", "--ws-api", "symbol=BTCUSDT"]);
    check("sign --ws-api", run(c).await, Some(0));
    let mut c = mbx();
    c.arg("--key-file").arg(&secret_file).args(["sign", "symbol=BTCUSDT"]);
    check("sign (secret file)", run(c).await, Some(0));
    let mut c = mbx();
    c.arg("--key-file").arg(&ed).args(["sign", "--ws-api", "symbol=BTCUSDT"]);
    check("sign (Ed25519 key file)", run(c).await, Some(0));
    let mut c = mbx();
    c.env("MBX_KEY_PASSPHRASE", PASSPHRASE)
        .arg("--key-file")
        .arg(&encrypted)
        .args(["sign", "symbol=BTCUSDT"]);
    check("sign (encrypted key file)", run(c).await, Some(0));
    let mut c = mbx();
    c.env("MBX_KEY_PASSPHRASE", PASSPHRASE).arg("--key-file").arg(&encrypted).args(["key", "show"]);
    check("key show (encrypted key file)", run(c).await, Some(0));
    let mut c = mbx();
    c.env("MBX_KEY_PASSPHRASE", format!("{PASSPHRASE}-wrong"))
        .arg("--key-file")
        .arg(&encrypted)
        .args(["sign", "a=1"]);
    let wrong_pass = check("a wrong passphrase", run(c).await, Some(2));
    assert!(wrong_pass.contains("passphrase does not decrypt"), "{wrong_pass}");
    let mut c = with_secret(&secret);
    c.args(["verify", "--payload", "a=1", "--signature", &"0".repeat(64)]);
    check("verify (mismatch)", run(c).await, None);

    // Key files: world-readable (warned), with whitespace (warned).
    let mut c = mbx();
    c.arg("--key-file").arg(&readable).args(["sign", "symbol=BTCUSDT"]);
    let warned = check("a world-readable key file", run(c).await, Some(0));
    assert!(warned.contains("can be read by other users (mode 644)"), "{warned}");
    let mut c = mbx();
    c.arg("--key-file").arg(&spaced).args(["sign", "symbol=BTCUSDT"]);
    let warned = check("a secret with whitespace", run(c).await, Some(0));
    assert!(warned.contains("contains whitespace"), "{warned}");

    // The doctor with the secret given: a request signed with another secret, and the secret sent
    // where the API key belongs.
    let wrong_sig = mbx_core::sign::HmacSigner::new(WRONG_SECRET.as_bytes())
        .sign(format!("timestamp={}", mbx_testkit::now_ms()).as_bytes())
        .to_string();
    let curl = format!(
        "curl -H 'X-MBX-APIKEY: {api_key}' '{url}/api/v3/account?timestamp={}&signature={wrong_sig}'",
        mbx_testkit::now_ms()
    );
    let mut c = with_secret(&secret);
    c.args(["doctor", "request", "--curl", &curl]);
    check("doctor request (mismatch)", run(c).await, Some(1));
    let curl = format!(
        "curl -H 'X-MBX-APIKEY: {secret}' '{url}/api/v3/account?timestamp={}'",
        mbx_testkit::now_ms()
    );
    let mut c = with_secret(&secret);
    c.args(["--output", "json", "doctor", "request", "--curl", &curl]);
    check("doctor request (the secret as the API key)", run(c).await, Some(1));
    let mut c = mbx();
    c.arg("--key-file")
        .arg(&secret_file)
        .args(["doctor", "request", "--url"])
        .arg(format!("{url}/api/v3/account?secret={secret}&timestamp=1&signature=00"));
    check("doctor request (the secret as a parameter)", run(c).await, None);

    // Requests the sandbox refuses with the secret in them (a test may put it in argv; mbx's own
    // options never take one), then the sandbox's rejection journal through the doctor.
    let mut c = with_secret(WRONG_SECRET);
    c.args(["call", "GET", "/api/v3/account"]).arg(format!("apiSecret={secret}"));
    check("a refused request holding the secret", run(c).await, Some(1));
    let mut c = mbx();
    c.env("BINANCE_API_SECRET", WRONG_SECRET)
        .env("BINANCE_API_KEY", &secret)
        .arg("--base-url")
        .arg(&url)
        .arg("account");
    check("the secret sent as the API key", run(c).await, Some(1));
    let mut c = mbx();
    c.arg("--base-url").arg(&url).args(["doctor", "sandbox-log", "--limit", "100"]);
    let journal = check("doctor sandbox-log", run(c).await, Some(0));
    assert!(journal.contains("-1022"), "the journal holds the refused requests: {journal}");

    // A new encrypted key: the passphrase and the private key are written to the file only.
    let out = temp_dir().join("new.pem");
    let mut c = mbx();
    c.env("MBX_KEY_PASSPHRASE", PASSPHRASE).args(["keygen", "ed25519", "--encrypt", "--out"]).arg(&out);
    check("keygen --encrypt", run(c).await, Some(0));
    let new_key = Secret::pem("the new private key", &std::fs::read_to_string(&out).unwrap());

    // The config file: a secret written where it does not belong is not quoted back.
    let dir = temp_dir();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("[profiles.main]\nenv = \"sandbox\"\napi_key = \"{api_key}\"\nsecret = \"{secret}\"\n"),
    )
    .unwrap();
    let mut c = mbx();
    c.env("MBX_CONFIG", &config).args(["--profile", "main", "account"]);
    let named = check("a config file holding a secret", run(c).await, Some(2));
    assert!(
        named.contains("line 4, column 1: unknown field `secret`"),
        "the mistake is still named: {named}"
    );
    let fresh = dir.join("fresh.toml");
    let mut c = mbx();
    c.env("MBX_CONFIG", &fresh)
        .args(["config", "init"])
        .write_stdin(format!("main\nsandbox\n{api_key}\nhmac\n{secret}\n"));
    let named = check("config init given the secret itself", run(c).await, Some(2));
    assert!(named.contains("not env:NAME, file:PATH or cmd:COMMAND"), "{named}");

    for (what, text) in &outputs {
        assert_hidden(text, &secrets, what);
        assert_hidden(text, std::slice::from_ref(&new_key), what);
    }
}

#[test]
fn no_flag_takes_a_secret_value() {
    // Every option of every command, from clap's own help: none is named after a secret value.
    let help = String::from_utf8(mbx().arg("--help").output().unwrap().stdout).unwrap();
    let commands: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() > 10, "{help}");
    for command in &commands {
        let out = mbx().args([command.as_str(), "--help"]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for line in text.lines().map(str::trim).filter(|l| l.starts_with('-')) {
            let flag = line.split([' ', ',', '=']).find(|w| w.starts_with("--")).unwrap_or("");
            for word in ["secret", "passphrase", "password", "private-key", "token"] {
                assert!(
                    !flag.contains(word) || flag == "--ask-secret",
                    "mbx {command}: {flag} takes a secret on the command line: {line}"
                );
            }
        }
    }
    // A secret given as a flag is refused, not used.
    let out = mbx().args(["sign", "--secret", WRONG_SECRET]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// One HTTP/1.1 exchange over loopback, exactly as written.
fn raw(addr: &str, request: &str) -> String {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    std::io::Write::write_all(&mut s, request.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
}

/// `mbx sandbox` with a configured admin token: never printed, never logged, at any level.
#[test]
fn sandbox_never_prints_a_configured_admin_token() {
    const TOKEN: &str = "configuredAdminTokenOfTheCliTest0123456789";
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("mbx"))
        .args(["--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--memory", "--no-market-maker"])
        .env("MBX_SANDBOX_ADMIN_TOKEN", TOKEN)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap();
    let rest = info["rest"].as_str().unwrap().to_owned();
    // Admin calls with the token (header, bearer, query) and without: a created secret too.
    let addr = rest.trim_start_matches("http://");
    let body = r#"{"kind":"hmac"}"#;
    let added = raw(
        addr,
        &format!(
            "POST /sandbox/v1/keys HTTP/1.1\r\nHost: {addr}\r\nX-Sandbox-Token: {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    let created = added.split("\"secretKey\":\"").nth(1).and_then(|s| s.split('"').next()).map(str::to_owned);
    assert!(created.as_ref().is_some_and(|s| s.len() == 64), "{added}");
    for request in [
        format!(
            "GET /sandbox/v1/keys HTTP/1.1\r\nHost: {addr}\r\nX-Sandbox-Token: {TOKEN}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET /sandbox/v1/health HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET /sandbox/v1/keys?sandboxToken={TOKEN} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET /sandbox/v1/keys HTTP/1.1\r\nHost: {addr}\r\nX-Sandbox-Token: wrong\r\nConnection: close\r\n\r\n"
        ),
    ] {
        let answer = raw(addr, &request);
        assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
        assert_hidden(&answer, &[Secret::bytes("admin token", TOKEN.as_bytes())], "an admin answer");
    }
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
    let mut rest_out = String::new();
    stdout.read_to_string(&mut rest_out).unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("path=/sandbox/v1/keys"), "the request log is on: {err}");
    let mut hidden = vec![Secret::bytes("admin token", TOKEN.as_bytes())];
    hidden.extend(created.map(|s| Secret::bytes("created HMAC secret", s.as_bytes())));
    assert_hidden(&format!("{line}\n{rest_out}\n{err}"), &hidden, "mbx sandbox's output");
}

/// `mbx sandbox` beyond loopback without a configured token makes one up: shown in the start line
/// (the only way to learn it), never again, never in the log.
#[test]
fn sandbox_prints_a_made_up_admin_token_in_its_start_line_only() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("mbx"))
        .args(["--output", "json", "sandbox", "--addr", "0.0.0.0:0", "--memory", "--no-market-maker"])
        .env_remove("MBX_SANDBOX_ADMIN_TOKEN")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap();
    let token = info["adminToken"].as_str().expect("a made-up token is shown").to_owned();
    assert_eq!(token.len(), 32);
    let port = info["rest"].as_str().unwrap().rsplit(':').next().unwrap().to_owned();
    let addr = format!("127.0.0.1:{port}");
    let answer = raw(
        &addr,
        &format!(
            "GET /sandbox/v1/keys HTTP/1.1\r\nHost: {addr}\r\nX-Sandbox-Token: {token}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(!answer.contains(&token), "{answer}");
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
    let mut rest_out = String::new();
    stdout.read_to_string(&mut rest_out).unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("path=/sandbox/v1/keys"), "the request log is on: {err}");
    assert_hidden(
        &format!("{rest_out}\n{err}"),
        &[Secret::bytes("admin token", token.as_bytes())],
        "after the start line",
    );
}
