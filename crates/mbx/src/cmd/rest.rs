//! Commands that call Binance through mbx-client: `time`, `ping`, `account`, `call`.

use std::process::ExitCode;

use comfy_table::Table;
use mbx_client::Environment;
use mbx_core::endpoint::{self, Method, Security};
use serde_json::json;

use crate::cli::{CallArgs, KeyArgs, OutputFormat};
use crate::context::client;
use crate::exit::usage;
use crate::output::emit;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Into::into)
}

pub fn time(env: &Environment, keys: &KeyArgs, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let client = client(env, keys, false)?;
    let sample = runtime()?.block_on(client.sync_time())?;
    let server = client.server_now();
    let json = json!({ "serverTime": server.as_millis(), "offsetMs": sample.offset_ms, "rttMs": sample.rtt.as_secs_f64() * 1000.0 });
    let rows = [
        ("server time", format!("{} ms since the epoch", server.as_millis())),
        ("clock offset", format!("{:+} ms (server minus this machine; best of 5 samples)", sample.offset_ms)),
        ("round trip", format!("{:.1} ms", sample.rtt.as_secs_f64() * 1000.0)),
    ];
    emit(format, &rows, &json)?;
    Ok(ExitCode::SUCCESS)
}

pub fn ping(env: &Environment, keys: &KeyArgs, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let client = client(env, keys, false)?;
    let start = std::time::Instant::now();
    runtime()?.block_on(client.ping())?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    emit(
        format,
        &[("pong", format!("{} in {ms:.1} ms", client.base_url()))],
        &json!({ "ok": true, "ms": ms }),
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn account(env: &Environment, keys: &KeyArgs, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let client = client(env, keys, true)?;
    let rt = runtime()?;
    rt.block_on(client.sync_time())?;
    let account = rt.block_on(client.account())?;
    match format {
        OutputFormat::Json => {
            let balances: Vec<_> = account
                .balances
                .iter()
                .map(|b| json!({ "asset": b.asset, "free": b.free.to_string(), "locked": b.locked.to_string() }))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &json!({ "canTrade": account.can_trade, "balances": balances })
                )?
            );
        }
        OutputFormat::Table => {
            let mut table = Table::new();
            table.set_header(["asset", "free", "locked"]);
            for b in account.balances.iter().filter(|b| !b.free.is_zero() || !b.locked.is_zero()) {
                table.add_row([
                    b.asset.clone(),
                    b.free.normalize().to_string(),
                    b.locked.normalize().to_string(),
                ]);
            }
            println!("{table}");
            println!("can trade: {}", if account.can_trade { "yes" } else { "no" });
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn call(
    args: CallArgs,
    env: &Environment,
    keys: &KeyArgs,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let method = Method::parse(&args.method)
        .ok_or_else(|| usage(format!("'{}' is not GET, POST, PUT or DELETE", args.method)))?;
    let params = super::parse_name_values(&args.params)?;
    let security = endpoint::find(method, &args.path).map_or(Security::None, |e| e.security);
    let client = client(env, keys, security.needs_api_key())?;
    if args.dry_run {
        let url = client.prepared_url(&args.path, &params, security)?;
        // The shell reads the key from the variable mbx itself reads; the key is never printed.
        let key_header = if security.needs_api_key() {
            format!(" -H \"X-MBX-APIKEY: ${}\"", crate::context::ENV_API_KEY)
        } else {
            String::new()
        };
        let curl = format!("curl{key_header} -X {method} \"{url}\"");
        let rows = [
            ("request", format!("{method} {url}")),
            ("security", security.as_str().to_owned()),
            ("", String::new()),
            ("", curl.clone()),
        ];
        emit(
            format,
            &rows,
            &json!({ "method": method.as_str(), "url": url, "security": security.as_str(), "curl": curl }),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let rt = runtime()?;
    if security.needs_signature() {
        rt.block_on(client.sync_time())?;
    }
    let value: serde_json::Value = rt.block_on(client.request(method, &args.path, params, security))?;
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(ExitCode::SUCCESS)
}
