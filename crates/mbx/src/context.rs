//! I/O around commands: the [`Context`] resolved once from the global flags and the profile, and
//! loading keys from a file, the environment or a prompt (never from argv), with a warning for key files
//! others can read.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context as _;
use mbx_core::keys::{self, LoadedKey};
use mbx_core::sign::{HmacSigner, Signer, Verifier};
use mbx_core::{KeyKind, SecretBytes};

use mbx_client::Environment;

use crate::cli::{Cli, KeyArgs, OutputFormat};
use crate::exit::usage;
use crate::profile::Profile;

/// Environment variable holding an HMAC secret.
pub const ENV_SECRET: &str = "BINANCE_API_SECRET";
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "BINANCE_API_KEY";
/// Environment variable holding the passphrase of an encrypted PEM key.
pub const ENV_PASSPHRASE: &str = "MBX_KEY_PASSPHRASE";

/// Key material as loaded, with a description of where it came from (never the key itself).
pub struct Key {
    pub material: Material,
    pub source: String,
}

pub enum Material {
    Hmac(SecretBytes),
    Pem(LoadedKey),
}

impl Key {
    pub fn kind(&self) -> KeyKind {
        match &self.material {
            Material::Hmac(_) => KeyKind::Hmac,
            Material::Pem(k) => k.kind(),
        }
    }

    pub fn signer(&self) -> anyhow::Result<Signer> {
        match &self.material {
            Material::Hmac(s) => Ok(Signer::Hmac(HmacSigner::new(s.expose()))),
            Material::Pem(k) => Ok(k.clone().into_signer().with_context(|| self.source.clone())?),
        }
    }

    /// The doctor's view of this key.
    pub fn diagnose_context(&self) -> mbx_core::diagnose::Context {
        match &self.material {
            Material::Hmac(s) => mbx_core::diagnose::Context::hmac(s.clone()),
            Material::Pem(k) => mbx_core::diagnose::Context::key(k.verifier()),
        }
    }

    pub fn verifier(&self) -> Verifier {
        match &self.material {
            Material::Hmac(s) => Signer::Hmac(HmacSigner::new(s.expose())).verifier(),
            Material::Pem(k) => k.verifier(),
        }
    }
}

/// Everything a command needs from the global flags and the config file, resolved once: the output
/// format, the profile, where to connect, and where the key comes from (ripgrep's HiArgs).
pub struct Context {
    /// `--output`.
    pub output: OutputFormat,
    /// `--verbose`, `--key-file`, `--profile`.
    pub keys: KeyArgs,
    /// The profile named by `--profile`, read once.
    profile: Option<Profile>,
    /// Where requests go: `--base-url`, else `--env`, else the profile's, else Binance.
    env: Environment,
    /// True when the environment is the sandbox (`--env sandbox`, or the profile's env), whatever the
    /// base URL: its demo key is then the default key.
    sandbox: bool,
    /// True when `--env`, `--base-url` or the profile says where to connect (false: the default).
    env_chosen: bool,
    /// `--stream-url`, `--ws-api-url`.
    stream_url: Option<String>,
    ws_api_url: Option<String>,
}

impl Context {
    /// Reads the profile (if `--profile` names one) and resolves the environment: `--base-url`, else
    /// `--env`, else the profile's base_url or env, else binance.
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Self> {
        let profile = cli.key.profile.as_deref().map(crate::profile::load).transpose()?;
        let env_name = cli.environment.as_deref().or_else(|| profile.as_ref().and_then(|p| p.env.as_deref()));
        let profile_url =
            if cli.environment.is_none() { profile.as_ref().and_then(|p| p.base_url.as_ref()) } else { None };
        let env = if let Some(url) = cli.base_url.as_ref().or(profile_url) {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(usage(format!("base URL '{url}' must start with http:// or https://")));
            }
            // A path of Binance's own in the base: every endpoint's path starts with it already.
            let path = url.split("://").nth(1).and_then(|r| r.find('/').map(|i| &r[i..])).unwrap_or("");
            let path = path.trim_end_matches('/');
            if ["/api", "/api/v3", "/sapi", "/sapi/v1"].iter().any(|p| path.ends_with(p)) {
                return Err(usage(format!(
                    "base URL '{url}' ends in {path}: mbx adds each endpoint's whole path (/api/v3/ping), so give the base without it ('{}')",
                    url.trim_end_matches('/').strip_suffix(path).unwrap_or(url)
                )));
            }
            Environment::custom(url.clone())
        } else {
            parse_env(env_name.unwrap_or("binance"))?
        };
        let sandbox = env_name.is_some_and(|n| parse_env(n).ok() == Some(Environment::Sandbox));
        let env_chosen = cli.base_url.is_some() || env_name.is_some() || profile_url.is_some();
        for (flag, url) in [("--stream-url", &cli.stream_url), ("--ws-api-url", &cli.ws_api_url)] {
            if let Some(url) = url
                && !(url.starts_with("ws://") || url.starts_with("wss://"))
            {
                return Err(usage(format!("{flag} '{url}' must start with ws:// or wss://")));
            }
        }
        Ok(Self {
            output: cli.output,
            keys: cli.key.clone(),
            profile,
            env,
            sandbox,
            env_chosen,
            stream_url: cli.stream_url.clone(),
            ws_api_url: cli.ws_api_url.clone(),
        })
    }

    /// Where requests go.
    pub fn env(&self) -> &Environment {
        &self.env
    }

    /// The sandbox to manage (`mbx sandbox key|deposit`): the global `--base-url` / `--env` / profile,
    /// else the sandbox's default address. `deprecated_url` is the old per-command `--url`, still taken
    /// (with a warning) so existing scripts keep working.
    pub fn sandbox_url(&self, deprecated_url: Option<&str>) -> anyhow::Result<String> {
        if let Some(url) = deprecated_url {
            eprintln!(
                "warning: --url is deprecated; use the global option instead: mbx --base-url {url} sandbox ..."
            );
            return Ok(Environment::custom(url).rest_url().to_owned());
        }
        if !self.env_chosen {
            return Ok(Environment::Sandbox.rest_url().to_owned());
        }
        match &self.env {
            Environment::Sandbox | Environment::Custom(_) => Ok(self.env.rest_url().to_owned()),
            other => Err(usage(format!(
                "{} is Binance, not an mbx sandbox: the sandbox admin API is only on a sandbox; use --env sandbox or --base-url http://HOST:PORT of the running sandbox",
                other.rest_url()
            ))),
        }
    }

    /// A client for the sandbox at `url` (`sandbox_url`), for its admin API: no key.
    pub fn sandbox_client(&self, url: &str) -> anyhow::Result<mbx_client::Client> {
        let mut builder = mbx_client::Client::builder().base_url(url);
        if self.keys.verbose > 0 {
            builder = builder.on_request(|req| eprintln!("{req}"));
        }
        builder.build().map_err(|e| usage(e.to_string()))
    }

    /// Loads the key: `--key-file`, else the profile's key, else `BINANCE_API_SECRET`, else a prompt.
    pub fn key(&self) -> anyhow::Result<Key> {
        load_key(&self.keys, self.profile.as_ref())
    }

    /// Loads key material if any is configured (`--key-file`, a profile or `BINANCE_API_SECRET`),
    /// prompting only when `ask` is set; `None` when there is none.
    pub fn key_optional(&self, ask: bool) -> anyhow::Result<Option<Key>> {
        if self.keys.key_file.is_some()
            || self.keys.profile.is_some()
            || std::env::var_os(ENV_SECRET).is_some()
            || ask
        {
            self.key().map(Some)
        } else {
            Ok(None)
        }
    }

    /// The profile named by `--profile`, with its name.
    pub fn profile(&self) -> Option<(&str, &Profile)> {
        Some((self.keys.profile.as_deref()?, self.profile.as_ref()?))
    }

    /// The API key: the profile's, else `BINANCE_API_KEY`.
    pub fn api_key(&self) -> Option<String> {
        self.profile.as_ref().and_then(|p| p.api_key.clone()).or_else(api_key_from_env)
    }

    /// A client for the environment. With `need_key`, the API key comes from the profile or
    /// `BINANCE_API_KEY` and the signing key as for `mbx sign`; when the environment is the sandbox
    /// (whatever its base URL) and no credentials are set, the sandbox's demo key is used.
    pub fn client(&self, need_key: bool) -> anyhow::Result<mbx_client::Client> {
        let args = &self.keys;
        let mut builder = mbx_client::Client::builder().environment(self.env.clone());
        if let Some(url) = &self.stream_url {
            builder = builder.stream_url(url.clone());
        }
        if let Some(url) = &self.ws_api_url {
            builder = builder.ws_api_url(url.clone());
        }
        if args.verbose > 0 {
            builder = builder.on_request(|req| eprintln!("{req}"));
        }
        if need_key {
            let demo = self.sandbox
                && args.key_file.is_none()
                && args.profile.is_none()
                && api_key_from_env().is_none()
                && std::env::var_os(ENV_SECRET).is_none();
            if demo {
                builder = builder
                    .api_key(mbx_sandbox::seed::DEMO_API_KEY)
                    .hmac_secret(mbx_sandbox::seed::DEMO_SECRET_KEY);
            } else {
                let api_key = self.api_key().ok_or_else(|| {
                    usage(format!(
                        "this call needs an API key: use a profile (--profile), or set {ENV_API_KEY} (and {ENV_SECRET}, or pass --key-file)"
                    ))
                })?;
                let key = self.key()?;
                builder = builder.api_key(api_key).signer(key.signer()?);
            }
        }
        builder.build().map_err(|e| usage(e.to_string()))
    }

    /// A client whose clock is synced with the server: for signed calls.
    pub async fn signed_client(&self) -> anyhow::Result<mbx_client::Client> {
        let client = self.client(true)?;
        client.sync_time().await?;
        Ok(client)
    }
}

/// A preset name, or a plain sentence listing them.
fn parse_env(name: &str) -> anyhow::Result<Environment> {
    Environment::parse(name)
        .ok_or_else(|| usage(format!("environment '{name}' is not binance, us, testnet, demo or sandbox")))
}

/// Loads the key named by `args`: `--key-file`, else the profile's key, else `BINANCE_API_SECRET`,
/// else a prompt.
fn load_key(args: &KeyArgs, profile: Option<&Profile>) -> anyhow::Result<Key> {
    if let Some(path) = &args.key_file {
        return load_key_file(path);
    }
    if let Some(p) = profile {
        if let Some(file) = &p.key_file {
            return load_key_file(file);
        }
        if let Some((secret, source)) = crate::profile::secret(p)? {
            return Ok(Key { material: Material::Hmac(secret), source });
        }
    }
    if let Some(secret) = std::env::var_os(ENV_SECRET) {
        let secret = secret.into_string().map_err(|_| {
            usage(format!("{ENV_SECRET} is not valid UTF-8; export the secret exactly as Binance showed it"))
        })?;
        let mut bytes = secret.into_bytes();
        crate::profile::strip_bom(&mut bytes, ENV_SECRET);
        let secret = String::from_utf8(bytes).unwrap_or_default();
        if secret.is_empty() {
            return Err(usage(format!(
                "{ENV_SECRET} is set but empty; export your API secret or pass --key-file FILE"
            )));
        }
        return Ok(Key {
            material: Material::Hmac(SecretBytes::from(secret)),
            source: format!("HMAC secret from {ENV_SECRET}"),
        });
    }
    if std::io::stdin().is_terminal() {
        let secret = rpassword::prompt_password("Binance API secret (HMAC, not echoed): ")
            .context("reading the secret")?;
        return Ok(Key {
            material: Material::Hmac(SecretBytes::from(secret)),
            source: "HMAC secret from the prompt".into(),
        });
    }
    Err(usage(format!(
        "no key: set {ENV_SECRET} to your HMAC secret, or pass --key-file FILE with an Ed25519/RSA PEM key \
         (keys are never taken from command-line arguments)"
    )))
}

fn load_key_file(path: &Path) -> anyhow::Result<Key> {
    let mut bytes =
        std::fs::read(path).map_err(|e| usage(format!("cannot read key file {}: {e}", path.display())))?;
    let shown = path.display();
    crate::profile::strip_bom(&mut bytes, &format!("key file {shown}"));
    if keys::pem_label(&bytes).is_some() {
        let passphrase = if keys::is_encrypted(&bytes) { Some(passphrase(path)?) } else { None };
        let key = keys::load_pem(&bytes, passphrase.as_ref()).with_context(|| format!("key file {shown}"))?;
        // A public key is meant to be read by others.
        if key.is_private() {
            warn_if_readable_by_others(path);
        }
        let what = if key.is_private() { "private" } else { "public" };
        return Ok(Key {
            source: format!("{} {what} key from {shown}", key.kind()),
            material: Material::Pem(key),
        });
    }
    // Not PEM: the file holds an HMAC secret. A file's final line ending is not part of its content;
    // everything else is used exactly as written.
    warn_if_readable_by_others(path);
    let mut secret = bytes;
    crate::profile::strip_line_ending(&mut secret);
    if secret.is_empty() {
        return Err(usage(format!("key file {shown} is empty; expected an HMAC secret or a PEM key")));
    }
    if secret.iter().any(|b| b.is_ascii_whitespace()) {
        eprintln!("warning: the HMAC secret in {shown} contains whitespace; it is used exactly as written");
    }
    Ok(Key {
        material: Material::Hmac(SecretBytes::new(secret)),
        source: format!("HMAC secret from {shown}"),
    })
}

fn passphrase(path: &Path) -> anyhow::Result<SecretBytes> {
    if let Some(p) = std::env::var_os(ENV_PASSPHRASE) {
        return Ok(SecretBytes::new(p.into_encoded_bytes()));
    }
    if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(format!("Passphrase for {}: ", path.display()))
            .context("reading the passphrase")?;
        return Ok(SecretBytes::from(p));
    }
    Err(usage(format!(
        "{} is encrypted: set {ENV_PASSPHRASE} or run in a terminal to be asked",
        path.display()
    )))
}

/// Warns on stderr when a key file can be read by users other than its owner.
pub fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                eprintln!(
                    "warning: key file {} can be read by other users (mode {mode:03o}); run: chmod 600 {}",
                    path.display(),
                    path.display()
                );
            }
        }
    }
}

/// The API key from `BINANCE_API_KEY`, if set.
pub fn api_key_from_env() -> Option<String> {
    std::env::var(ENV_API_KEY).ok().filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    fn context(args: &[&str]) -> anyhow::Result<Context> {
        let cli = Cli::try_parse_from(["mbx"].iter().chain(args).chain(&["ping"])).unwrap();
        Context::from_cli(&cli)
    }

    #[test]
    fn a_base_url_ending_in_binance_s_own_path_is_refused() {
        use clap::Parser as _;
        let cli =
            Cli::try_parse_from(["mbx", "--base-url", "http://127.0.0.1:9900/api/v3/", "ping"]).unwrap();
        let err = Context::from_cli(&cli).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("ends in /api/v3") && err.contains("'http://127.0.0.1:9900'"), "{err}");
        let proxied =
            Cli::try_parse_from(["mbx", "--base-url", "https://proxy.example/binance", "ping"]).unwrap();
        assert!(Context::from_cli(&proxied).is_ok());
    }

    #[test]
    fn context_env_sandbox_with_base_url_is_still_the_sandbox() {
        let ctx = context(&["--env", "sandbox", "--base-url", "http://127.0.0.1:4000/"]).unwrap();
        assert_eq!(ctx.env(), &Environment::custom("http://127.0.0.1:4000"));
        assert!(ctx.sandbox);
        let ctx = context(&["--base-url", "http://127.0.0.1:4000"]).unwrap();
        assert!(!ctx.sandbox, "a base URL alone does not say it is a sandbox");
        let ctx = context(&["--env", "sandbox"]).unwrap();
        assert_eq!((ctx.env(), ctx.sandbox), (&Environment::Sandbox, true));
        let ctx = context(&[]).unwrap();
        assert_eq!((ctx.env(), ctx.sandbox), (&Environment::Binance, false));
    }

    #[test]
    fn context_sandbox_url_follows_the_global_options() {
        assert_eq!(context(&[]).unwrap().sandbox_url(None).unwrap(), "http://127.0.0.1:9900");
        let ctx = context(&["--base-url", "http://127.0.0.1:4000/"]).unwrap();
        assert_eq!(ctx.sandbox_url(None).unwrap(), "http://127.0.0.1:4000");
        assert_eq!(ctx.sandbox_url(Some("http://127.0.0.1:5000/")).unwrap(), "http://127.0.0.1:5000");
        let err = context(&["--env", "testnet"]).unwrap().sandbox_url(None).unwrap_err().to_string();
        assert!(err.contains("not an mbx sandbox") && err.contains("--env sandbox"), "{err}");
    }

    #[test]
    fn context_bad_environment_says_what_is_accepted() {
        let err = context(&["--env", "mainnet"]).err().unwrap().to_string();
        assert_eq!(err, "environment 'mainnet' is not binance, us, testnet, demo or sandbox");
        let err = context(&["--base-url", "api.binance.com"]).err().unwrap().to_string();
        assert!(err.contains("must start with http:// or https://"), "{err}");
    }
}
