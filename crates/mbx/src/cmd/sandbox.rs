//! `mbx sandbox`: serve the offline exchange in the foreground, or manage a running one.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use mbx_sandbox::Sandbox;
use mbx_sandbox::seed::{DEMO_API_KEY, DEMO_SECRET_KEY};

use crate::cli::{OutputFormat, SandboxAction, SandboxArgs, SandboxKeyAction};
use crate::exit::usage;

pub fn run(args: SandboxArgs, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    match args.action {
        None => {
            let flavor = match args.flavor {
                crate::cli::SandboxFlavor::Binance => mbx_sandbox::Flavor::Binance,
                crate::cli::SandboxFlavor::Us => mbx_sandbox::Flavor::Us,
            };
            let mut builder =
                Sandbox::builder().bind(args.addr).market_maker(!args.no_market_maker).flavor(flavor);
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
            runtime.block_on(serve(builder, args.addr, args.data, args.memory, format))
        }
        Some(SandboxAction::Key(SandboxKeyAction::Add { kind, public_key, permissions, url })) => {
            runtime.block_on(key_add(&kind, public_key, permissions, &url, format))
        }
        Some(SandboxAction::Key(SandboxKeyAction::List { url })) => {
            runtime.block_on(admin(reqwest::Method::GET, &url, "/sandbox/v1/keys", None, format))
        }
        Some(SandboxAction::Key(SandboxKeyAction::Revoke { api_key, url })) => {
            let path = format!("/sandbox/v1/keys?apiKey={}", mbx_core::encode::percent_encode(&api_key));
            runtime.block_on(admin(reqwest::Method::DELETE, &url, &path, None, format))
        }
        Some(SandboxAction::Deposit { asset, amount, account, url }) => {
            let mut body = serde_json::json!({ "asset": asset, "amount": amount.to_string() });
            if let Some(a) = account {
                body["account"] = serde_json::json!(a);
            } else {
                body["apiKey"] = serde_json::json!(DEMO_API_KEY);
            }
            runtime.block_on(admin(reqwest::Method::POST, &url, "/sandbox/v1/deposit", Some(body), format))
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
    mut builder: mbx_sandbox::SandboxBuilder,
    addr: std::net::SocketAddr,
    data: Option<PathBuf>,
    memory: bool,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let _log = crate::log::init();
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
    let handle =
        builder.start().await.map_err(|e| usage(format!("the sandbox did not start on {addr}: {e}")))?;
    let url = handle.rest_url();
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::json!({ "rest": url, "ws": url.replacen("http", "ws", 1), "data": storage,
                "apiKey": DEMO_API_KEY, "secretKey": DEMO_SECRET_KEY })
        ),
        OutputFormat::Table => {
            println!("mbx sandbox: an offline Binance-compatible exchange");
            println!("  REST     {url}/api/v3/...");
            println!("  admin    {url}/sandbox/v1/health (loopback only)");
            println!("  data     {storage}");
            println!("  demo API key     {DEMO_API_KEY}");
            println!("  demo secret key  {DEMO_SECRET_KEY}");
            println!("  (Binance's documentation example key: public, it protects nothing)");
            println!("Point any client's base URL at {url}. Ctrl-C stops the sandbox.");
        }
    }
    wait_for_stop().await;
    eprintln!("stopping: finishing requests in flight and closing the database");
    handle.shutdown().await.map_err(|e| anyhow::anyhow!("shutdown: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn key_add(
    kind: &str,
    public_key: Option<PathBuf>,
    permissions: Vec<String>,
    url: &str,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let mut body = serde_json::json!({ "kind": kind });
    if let Some(path) = public_key {
        let pem = std::fs::read_to_string(&path)
            .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
        body["publicKey"] = serde_json::Value::String(pem);
    }
    if !permissions.is_empty() {
        body["permissions"] = serde_json::json!(permissions);
    }
    // reqwest is built with `rustls-no-provider`: a plain client needs a process-wide provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let resp = reqwest::Client::new()
        .post(format!("{}/sandbox/v1/keys", url.trim_end_matches('/')))
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot reach the sandbox at {url}: {} (is `mbx sandbox` running?)",
                e.without_url()
            )
        })?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(usage(format!("the sandbox refused the key (HTTP {status}): {text}")));
    }
    let v: serde_json::Value = serde_json::from_str(&text).context("reading the sandbox's answer")?;
    match format {
        OutputFormat::Json => println!("{v}"),
        OutputFormat::Table => {
            println!("apiKey     {}", v["apiKey"].as_str().unwrap_or_default());
            if let Some(secret) = v["secretKey"].as_str() {
                // A sandbox-issued test secret: shown once, as Binance does when a key is created.
                println!("secretKey  {secret}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One admin API call to a running sandbox; prints its JSON answer.
async fn admin(
    method: reqwest::Method,
    url: &str,
    path: &str,
    body: Option<serde_json::Value>,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    // reqwest is built with `rustls-no-provider`: a plain client needs a process-wide provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut req = reqwest::Client::new().request(method, format!("{}{path}", url.trim_end_matches('/')));
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    let resp = req.send().await.map_err(|e| {
        anyhow::anyhow!("cannot reach the sandbox at {url}: {} (is `mbx sandbox` running?)", e.without_url())
    })?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(usage(format!("the sandbox refused (HTTP {status}): {text}")));
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
    match format {
        OutputFormat::Json => println!("{v}"),
        OutputFormat::Table => println!("{}", serde_json::to_string_pretty(&v)?),
    }
    Ok(ExitCode::SUCCESS)
}
