//! Profiles in the user's config file (`config.toml`): environment, API key, key type, and where the
//! secret comes from. The secret itself is never stored by mbx: a profile names an environment
//! variable, a file, or a command (such as `pass show binance`) that prints it.
//!
//! ```toml
//! [profiles.main]
//! env = "binance"                 # or base_url = "https://..."
//! api_key = "vmPU..."
//! key_type = "hmac"               # hmac | ed25519 | rsa
//! secret_command = "pass show binance"   # or secret_env = "..." / secret_file = "..."
//!
//! [profiles.ed]
//! env = "testnet"
//! api_key = "..."
//! key_type = "ed25519"
//! key_file = "/home/me/.config/mbx/ed25519.pem"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::exit::usage;

/// Environment variable naming another config file.
pub const ENV_CONFIG: &str = "MBX_CONFIG";

/// The whole file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// binance | us | testnet | demo | sandbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// A REST base URL (overrides env).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// The API key (sent in X-MBX-APIKEY; not the secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// hmac | ed25519 | rsa.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    /// HMAC: the environment variable holding the secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_env: Option<String>,
    /// HMAC: a file holding the secret (its final line ending is dropped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_file: Option<PathBuf>,
    /// HMAC: a command printing the secret (run with `sh -c`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_command: Option<String>,
    /// Ed25519 / RSA: the private key PEM (possibly encrypted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
}

/// `$MBX_CONFIG`, else `$XDG_CONFIG_HOME/mbx/config.toml`, else `~/.config/mbx/config.toml`.
pub fn config_path() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_CONFIG).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("mbx/config.toml"));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .ok_or_else(|| usage("cannot find the config directory: set HOME or MBX_CONFIG"))?;
    Ok(PathBuf::from(home).join(".config/mbx/config.toml"))
}

/// Reads the config file (an absent file is an empty config).
pub fn load_config() -> anyhow::Result<Config> {
    let path = config_path()?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            toml::from_str(&text).map_err(|e| usage(format!("{}: {}", path.display(), toml_error(&text, &e))))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(e) => Err(usage(format!("cannot read {}: {e}", path.display()))),
    }
}

/// A config file's parse error without the file's text: toml's own message quotes the line, which
/// may hold a secret written where it does not belong (`secret = "..."`), and serde's quotes string
/// values. Says where (line and column) and what, with quoted values elided.
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {column}: ")
    });
    let mut message = String::new();
    for (i, part) in e.message().trim().split('"').enumerate() {
        if i > 0 {
            message.push('"');
        }
        message.push_str(if i % 2 == 1 { "…" } else { part });
    }
    format!("{}{message}", at.unwrap_or_default())
}

/// The profile named `name`.
pub fn load(name: &str) -> anyhow::Result<Profile> {
    let config = load_config()?;
    config.profiles.get(name).cloned().ok_or_else(|| {
        let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        usage(format!(
            "no profile '{name}' in {} (profiles: {}); create one with `mbx config init`",
            config_path().map(|p| p.display().to_string()).unwrap_or_default(),
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        ))
    })
}

/// Writes `config`, creating the directory; the file is readable by its owner only (it holds API keys).
pub fn save(config: &Config) -> anyhow::Result<PathBuf> {
    let path = config_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| usage(format!("cannot create {}: {e}", dir.display())))?;
    }
    let text = toml::to_string(config).map_err(|e| anyhow::anyhow!("encoding the config: {e}"))?;
    let tmp = path.with_extension("toml.tmp");
    {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp).map_err(|e| usage(format!("cannot write {}: {e}", tmp.display())))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// The HMAC secret a profile points at.
pub fn secret(profile: &Profile) -> anyhow::Result<Option<(mbx_core::SecretBytes, String)>> {
    if let Some(var) = &profile.secret_env {
        let value = std::env::var_os(var)
            .ok_or_else(|| usage(format!("the profile reads the secret from {var}, which is not set")))?;
        let mut bytes = value.into_encoded_bytes();
        strip_bom(&mut bytes, var);
        return Ok(Some((mbx_core::SecretBytes::new(bytes), format!("HMAC secret from {var}"))));
    }
    if let Some(file) = &profile.secret_file {
        crate::context::warn_if_readable_by_others(file);
        let mut bytes = std::fs::read(file)
            .map_err(|e| usage(format!("cannot read the secret file {}: {e}", file.display())))?;
        strip_bom(&mut bytes, &format!("the secret file {}", file.display()));
        strip_line_ending(&mut bytes);
        return Ok(Some((mbx_core::SecretBytes::new(bytes), format!("HMAC secret from {}", file.display()))));
    }
    if let Some(command) = &profile.secret_command {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| usage(format!("cannot run the secret command: {e}")))?;
        if !out.status.success() {
            return Err(usage(format!("the secret command failed ({})", out.status)));
        }
        let mut bytes = out.stdout;
        strip_bom(&mut bytes, "the secret command's output");
        strip_line_ending(&mut bytes);
        if bytes.is_empty() {
            return Err(usage("the secret command printed nothing"));
        }
        return Ok(Some((
            mbx_core::SecretBytes::new(bytes),
            "HMAC secret from the profile's command".to_owned(),
        )));
    }
    Ok(None)
}

/// Drops a leading UTF-8 byte order mark (an editor's "UTF-8 with BOM"), which no key holds, with
/// a warning naming `source`: a program that reads the same file as it is signs with it.
pub fn strip_bom(bytes: &mut Vec<u8>, source: &str) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        eprintln!(
            "warning: {source} starts with a UTF-8 byte order mark (saved as UTF-8 with BOM); it is not part of the key and is left out. A program that reads it as it is signs with it: save it without BOM"
        );
    }
}

/// Drops one final `\n` or `\r\n`: a line ending is not part of a secret.
pub fn strip_line_ending(bytes: &mut Vec<u8>) {
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
}

/// `mbx config init`: asks for a profile on standard input and writes it.
pub fn init(force: bool) -> anyhow::Result<crate::output::Report> {
    use std::io::BufRead as _;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut ask = |question: &str, default: &str| -> anyhow::Result<String> {
        eprint!("{question}{}: ", if default.is_empty() { String::new() } else { format!(" [{default}]") });
        let Some(answer) = lines.next().transpose()? else {
            eprintln!();
            return Err(usage(format!(
                "standard input ended before the question '{question}': answer each question on a line of its own (run it in a terminal, or pipe one answer a line)"
            )));
        };
        let answer = answer.trim();
        Ok(if answer.is_empty() { default.to_owned() } else { answer.to_owned() })
    };
    let name = ask("Profile name", "default")?;
    let mut config = load_config()?;
    if config.profiles.contains_key(&name) && !force {
        return Err(usage(format!("profile '{name}' exists; pass --force to replace it")));
    }
    let env = ask("Environment (binance, us, testnet, demo, sandbox, or a URL)", "binance")?;
    let mut profile = Profile::default();
    if env.starts_with("http://") || env.starts_with("https://") {
        profile.base_url = Some(env);
    } else if mbx_client::Environment::parse(&env).is_some() {
        profile.env = Some(env);
    } else {
        return Err(usage(format!("'{env}' is not binance, us, testnet, demo, sandbox or a URL")));
    }
    let api_key = ask("API key (X-MBX-APIKEY; not the secret)", "")?;
    if !api_key.is_empty() {
        profile.api_key = Some(api_key);
    } else if profile.env.as_deref() != Some("sandbox") {
        // The sandbox has its demo key; anywhere else a profile without a key signs nothing.
        return Err(usage(
            "a profile needs its API key (Binance shows it in API Management beside the key pair); run mbx config init again with it",
        ));
    }
    let key_type = ask("Key type (hmac, ed25519, rsa)", "hmac")?;
    match key_type.as_str() {
        "hmac" => {
            let source = ask(
                "Where does the secret come from? env:NAME, file:PATH or cmd:COMMAND",
                "env:BINANCE_API_SECRET",
            )?;
            match source.split_once(':') {
                Some(("env", v)) => profile.secret_env = Some(v.to_owned()),
                Some(("file", v)) => profile.secret_file = Some(PathBuf::from(v)),
                Some(("cmd", v)) => profile.secret_command = Some(v.to_owned()),
                // Not repeated: an answer that is none of these may be the secret itself.
                _ => {
                    return Err(usage(
                        "the answer is not env:NAME, file:PATH or cmd:COMMAND (mbx never stores the secret itself)",
                    ));
                }
            }
        }
        "ed25519" | "rsa" => {
            let file = ask("Private key file (PEM)", "")?;
            if file.is_empty() {
                return Err(usage(
                    "an ed25519 or rsa profile needs a private key file (make one with `mbx keygen ed25519`)",
                ));
            }
            profile.key_file = Some(PathBuf::from(file));
        }
        other => return Err(usage(format!("'{other}' is not hmac, ed25519 or rsa"))),
    }
    profile.key_type = Some(key_type);
    config.profiles.insert(name.clone(), profile);
    let path = save(&config)?;
    Ok(crate::output::Report::text(
        format!("wrote profile '{name}' to {} (mode 600); use it with --profile {name}\n", path.display()),
        serde_json::json!({ "profile": name, "path": path.display().to_string() }),
    ))
}
