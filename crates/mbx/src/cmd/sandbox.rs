//! `mbx sandbox`: serve the offline exchange in the foreground, or manage a running one.

use std::path::PathBuf;

use mbx_sandbox::Sandbox;
use mbx_sandbox::seed::{DEMO_API_KEY, DEMO_SECRET_KEY};

use crate::cli::{SandboxAction, SandboxArgs, SandboxKeyAction};
use crate::context::Context;
use crate::exit::usage;
use crate::output::Report;

/// `mbx sandbox`: serve, or manage the sandbox named by the global --base-url / --env / profile.
pub async fn run(ctx: &Context, args: SandboxArgs) -> anyhow::Result<Report> {
    match args.action {
        None => {
            let flavor = match args.flavor {
                crate::cli::SandboxFlavor::Binance => mbx_sandbox::Flavor::Binance,
                crate::cli::SandboxFlavor::Us => mbx_sandbox::Flavor::Us,
            };
            let mut builder = Sandbox::builder()
                .bind(args.addr)
                .market_maker(!args.no_market_maker)
                .activity(args.activity.map(std::time::Duration::from_millis))
                .flavor(flavor);
            if let Some(path) = &args.config {
                builder = builder.config(read_config(path)?);
            }
            if args.no_limits {
                builder = builder.rate_limits(mbx_sandbox::market::RateLimits {
                    request_weight_per_minute: u32::MAX,
                    orders_per_10s: u32::MAX,
                    orders_per_day: u32::MAX,
                    raw_requests_per_5m: u32::MAX,
                });
            }
            if let Some(seed) = args.seed {
                builder = builder.seed(seed);
            }
            if args.listen_key_ttl.is_some() && args.flavor != crate::cli::SandboxFlavor::Us {
                return Err(usage(
                    "--listen-key-ttl applies to --flavor us only: Binance spot retired listenKeys (user data goes over the WebSocket API)",
                ));
            }
            if let Some(secs) = args.listen_key_ttl {
                builder = builder.listen_key_ttl(std::time::Duration::from_secs(secs));
            }
            serve(ctx, builder, args.addr, args.data, args.memory).await
        }
        Some(SandboxAction::Key(SandboxKeyAction::Add { kind, public_key, permissions, url })) => {
            key_add(ctx, &kind, public_key, permissions, &ctx.sandbox_url(url.as_deref())?).await
        }
        Some(SandboxAction::Key(SandboxKeyAction::List { url })) => {
            let url = ctx.sandbox_url(url.as_deref())?;
            let keys = ctx.sandbox_client(&url)?.sandbox_keys().await.map_err(|e| admin_error(&url, e))?;
            Ok(admin_report(&serde_json::json!({ "keys": keys }))?)
        }
        Some(SandboxAction::Key(SandboxKeyAction::Revoke { api_key, url })) => {
            let url = ctx.sandbox_url(url.as_deref())?;
            let client = ctx.sandbox_client(&url)?;
            let revoked = client.sandbox_revoke_key(&api_key).await.map_err(|e| admin_error(&url, e))?;
            Ok(admin_report(&serde_json::to_value(revoked)?)?)
        }
        Some(SandboxAction::Deposit { asset, amount, account, url }) => {
            let url = ctx.sandbox_url(url.as_deref())?;
            // Assets are upper case, as symbols are for the order commands.
            let mut body = serde_json::json!({ "asset": asset.to_uppercase(), "amount": amount.to_string() });
            if let Some(a) = account {
                body["account"] = serde_json::json!(a);
            } else {
                body["apiKey"] = serde_json::json!(DEMO_API_KEY);
            }
            let client = ctx.sandbox_client(&url)?;
            let answer = client.sandbox_deposit(&body).await.map_err(|e| admin_error(&url, e))?;
            admin_report(&answer)
        }
    }
}

/// Reads and checks a `--config` file; every mistake is reported with its place and fix.
fn read_config(path: &std::path::Path) -> anyhow::Result<mbx_sandbox::config::Resolved> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read the sandbox config {}: {e}", path.display())))?;
    let config: mbx_sandbox::config::SandboxConfig = toml::from_str(&text)
        .map_err(|e| usage(format!("{} is not a valid sandbox config: {e}", path.display())))?;
    config.resolve().map_err(|e| usage(format!("{}: {e}", path.display())))
}

/// `$XDG_DATA_HOME/mbx/sandbox`, else `~/.local/share/mbx/sandbox`.
fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("mbx/sandbox"));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).ok_or_else(|| {
        usage("cannot find the user's data directory (HOME is not set); pass --data DIR or --memory")
    })?;
    Ok(PathBuf::from(home).join(".local/share/mbx/sandbox"))
}

async fn serve(
    ctx: &Context,
    mut builder: mbx_sandbox::SandboxBuilder,
    addr: std::net::SocketAddr,
    data: Option<PathBuf>,
    memory: bool,
) -> anyhow::Result<Report> {
    let log = crate::log::init();
    if let Some(sink) = log.request_lines() {
        builder = builder.request_lines(sink);
    }
    let storage = if memory {
        builder = builder.memory();
        "in memory (nothing is kept)".to_owned()
    } else {
        let dir = match data {
            Some(d) => d,
            None => default_data_dir()?,
        };
        builder = builder.data_dir(&dir);
        format!("{} (SQLite, WAL)", dir.display())
    };
    // The admin token, from the environment (never from the command line, where other users of the
    // machine could read it); without one, a sandbox listening beyond loopback makes one up.
    let configured = std::env::var("MBX_SANDBOX_ADMIN_TOKEN").ok().filter(|t| !t.is_empty());
    if let Some(token) = &configured {
        builder = builder.admin_token(token.clone());
    }
    let handle =
        builder.start().await.map_err(|e| usage(format!("the sandbox did not start on {addr}: {e}")))?;
    let url = handle.rest_url();
    // A token made up at start is shown (it is the only way to learn it); a configured one is not.
    let shown_token = handle.admin_token().filter(|_| configured.is_none()).map(str::to_owned);
    let (admin_access, console_url) = match (handle.admin_token(), &shown_token) {
        (None, _) => ("loopback only".to_owned(), format!("{url}/")),
        (Some(_), Some(t)) => (format!("token {t} in X-Sandbox-Token"), format!("{url}/#sandboxToken={t}")),
        (Some(_), None) => (
            "the token of MBX_SANDBOX_ADMIN_TOKEN in X-Sandbox-Token".to_owned(),
            format!("{url}/#sandboxToken=<MBX_SANDBOX_ADMIN_TOKEN>"),
        ),
    };
    let mut json = serde_json::json!({ "rest": url, "ws": url.replacen("http", "ws", 1), "console": console_url, "data": storage,
        "apiKey": DEMO_API_KEY, "secretKey": DEMO_SECRET_KEY });
    if let Some(t) = &shown_token {
        json["adminToken"] = serde_json::json!(t);
    }
    let text = format!(
        "mbx sandbox: an offline Binance-compatible exchange\n\
         \x20 REST     {url}/api/v3/...\n\
         \x20 admin    {url}/sandbox/v1/health ({admin_access})\n\
         \x20 console  {console_url} (in a browser)\n\
         \x20 data     {storage}\n\
         \x20 demo API key     {DEMO_API_KEY}\n\
         \x20 demo secret key  {DEMO_SECRET_KEY}\n\
         \x20 (Binance's documentation example key: public, it protects nothing)\n\
         Point any client's base URL at {url}. Ctrl-C stops the sandbox.\n"
    );
    // The stop signals are handled from here on, before the start line tells scripts the sandbox
    // is listening (a script may stop it as soon as it reads that line).
    let stop = stop_signals();
    // Printed now, while the sandbox runs: the first line tells scripts it is listening.
    crate::output::print(ctx.output, &Report::text(text, json).compact())?;
    stop.await;
    eprintln!("stopping: finishing requests in flight and closing the database");
    handle.shutdown().await.map_err(|e| anyhow::anyhow!("shutdown: {e}"))?;
    Ok(Report::none())
}

/// Ctrl-C or SIGTERM. The handlers are installed by this call, not when the future is first
/// polled: a script that stops the sandbox right after its start line must find them in place
/// (otherwise the signal's default action ends the process without closing the database).
fn stop_signals() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let interrupt = signal(SignalKind::interrupt()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            if term.is_none() && interrupt.is_none() {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
            tokio::select! {
                () = wait(term) => {}
                () = wait(interrupt) => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

async fn key_add(
    ctx: &Context,
    kind: &str,
    public_key: Option<PathBuf>,
    permissions: Vec<String>,
    url: &str,
) -> anyhow::Result<Report> {
    let mut body = serde_json::json!({ "kind": kind });
    let mut derived = false;
    if let Some(path) = public_key {
        let pem = std::fs::read_to_string(&path)
            .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
        // A private key never leaves this machine: its public half is sent instead.
        let pem = if pem.contains("PRIVATE KEY") {
            let loaded = mbx_core::keys::load_pem(pem.as_bytes(), None).map_err(|e| {
                usage(format!(
                    "{} holds a private key, and only its public key may be sent; it could not be read ({e}): give the public key file (mbx keygen writes it beside the private one, as .pem.pub)",
                    path.display()
                ))
            })?;
            let verifier = match loaded {
                mbx_core::keys::LoadedKey::Private(signer) => signer.verifier(),
                mbx_core::keys::LoadedKey::Public(verifier) => verifier,
            };
            derived = true;
            mbx_core::keys::public_key_pem(&verifier)
                .ok_or_else(|| usage(format!("cannot derive the public key of {}", path.display())))?
        } else {
            pem
        };
        body["publicKey"] = serde_json::Value::String(pem);
    }
    if !permissions.is_empty() {
        body["permissions"] = serde_json::json!(permissions);
    }
    let client = ctx.sandbox_client(url)?;
    let mut v = client.sandbox_add_key(&body).await.map_err(|e| match e {
        mbx_client::Error::Admin { error, hint } => usage(format!(
            "the sandbox refused the key (HTTP {}): {}{}",
            error.http_status,
            error.to_json(),
            why(hint.as_deref())
        )),
        other => admin_error(url, other),
    })?;
    let mut rows = vec![("apiKey", v["apiKey"].as_str().unwrap_or_default().to_owned())];
    if derived {
        let note =
            "the file holds a private key: its public key was derived here and sent; the private key was not";
        rows.push(("note", note.to_owned()));
        v["note"] = serde_json::Value::String(note.to_owned());
    }
    if let Some(secret) = v["secretKey"].as_str() {
        // A sandbox-issued test secret: shown once, as Binance does when a key is created.
        rows.push(("secretKey", secret.to_owned()));
    }
    Ok(Report::rows(rows, v).compact())
}

/// An admin answer: one line of JSON, or indented in the table format.
fn admin_report(v: &serde_json::Value) -> anyhow::Result<Report> {
    Ok(Report::text(format!("{}\n", serde_json::to_string_pretty(v)?), v.clone()).compact())
}

/// The sandbox's own sentence on a refusal (its `X-Sandbox-Hint`), on a line of its own.
fn why(hint: Option<&str>) -> String {
    hint.map(|h| format!("\n  {}", h.strip_prefix("Admin request rejected: ").unwrap_or(h)))
        .unwrap_or_default()
}

/// A failed admin call through mbx-client, said as before: refused (with the sandbox's answer) or not
/// reached.
fn admin_error(url: &str, e: mbx_client::Error) -> anyhow::Error {
    match e {
        mbx_client::Error::Admin { error, hint } => usage(format!(
            "the sandbox refused (HTTP {}): {}{}",
            error.http_status,
            error.to_json(),
            why(hint.as_deref())
        )),
        mbx_client::Error::Api(api) => {
            usage(format!("the sandbox refused (HTTP {}): {}", api.http_status, api.to_json()))
        }
        other => crate::exit::unreachable_at(format!(
            "cannot reach the sandbox at {url}: {other} (is `mbx sandbox` running?)"
        )),
    }
}
