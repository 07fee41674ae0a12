//! Commands that call Binance through mbx-client: `time`, `ping`, `account`, `call`.

use mbx_core::endpoint::{self, Method, Security};
use serde_json::json;

use crate::cli::CallArgs;
use crate::context::Context;
use crate::exit::usage;
use crate::output::{Grid, Report};

/// `mbx time`: server time, clock offset and round trip.
pub async fn time(ctx: &Context) -> anyhow::Result<Report> {
    let client = ctx.client(false)?;
    let sample = client.sync_time().await?;
    let server = client.server_now();
    let json = json!({ "serverTime": server.as_millis(), "offsetMs": sample.offset_ms, "rttMs": sample.rtt.as_secs_f64() * 1000.0 });
    let rows = [
        ("server time", format!("{} ms since the epoch", server.as_millis())),
        ("clock offset", format!("{:+} ms (server minus this machine; best of 5 samples)", sample.offset_ms)),
        ("round trip", format!("{:.1} ms", sample.rtt.as_secs_f64() * 1000.0)),
    ];
    Ok(Report::rows(rows, json))
}

/// `mbx ping`: connectivity and round trip.
pub async fn ping(ctx: &Context) -> anyhow::Result<Report> {
    let client = ctx.client(false)?;
    let start = std::time::Instant::now();
    client.ping().await?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    Ok(Report::rows(
        [("pong", format!("{} in {ms:.1} ms", client.base_url()))],
        json!({ "ok": true, "ms": ms }),
    ))
}

/// `mbx account`: non-zero balances.
pub async fn account(ctx: &Context) -> anyhow::Result<Report> {
    let account = ctx.signed_client().await?.account().await?;
    let balances: Vec<_> = account
        .balances
        .iter()
        .map(|b| json!({ "asset": b.asset, "free": b.free.to_string(), "locked": b.locked.to_string() }))
        .collect();
    let mut grid = Grid::new(&["asset", "free", "locked"]);
    for b in account.balances.iter().filter(|b| !b.free.is_zero() || !b.locked.is_zero()) {
        grid.row([b.asset.clone(), b.free.normalize().to_string(), b.locked.normalize().to_string()]);
    }
    let grid = grid.after(format!("can trade: {}\n", if account.can_trade { "yes" } else { "no" }));
    Ok(Report::grid(grid, json!({ "canTrade": account.can_trade, "balances": balances })))
}

/// How `mbx call` secures `method path`: as the user says (`--signed`, `--unsigned`), else by the
/// endpoint table, else by the family rule (`/sapi`, `/papi` signed), else unsigned.
fn call_security(method: Method, path: &str, signed: bool, unsigned: bool) -> Security {
    let table = endpoint::find(method, path).map(|e| e.security);
    match (signed, unsigned, table) {
        (_, true, _) => Security::None,
        (true, _, Some(s)) if s.needs_signature() => s,
        (true, _, _) => Security::UserData,
        (false, false, Some(s)) => s,
        (false, false, None) if endpoint::needs_signature(method, path) == Some(true) => Security::UserData,
        (false, false, None) => Security::None,
    }
}

/// `mbx call METHOD PATH [NAME=VALUE...] [--dry-run] [--signed|--unsigned]`: any endpoint, signed as
/// [`call_security`] decides; the answer is printed as JSON in either output format.
pub async fn call(ctx: &Context, args: CallArgs) -> anyhow::Result<Report> {
    let method = Method::parse(&args.method)
        .ok_or_else(|| usage(format!("'{}' is not GET, POST, PUT or DELETE", args.method)))?;
    if !args.path.starts_with('/') {
        let hint = if args.path.contains("://") { " (the host goes in --base-url or --env)" } else { "" };
        return Err(usage(format!(
            "'{}' is not a path: give the path from its leading '/', as in /api/v3/depth{hint}",
            args.path
        )));
    }
    let params = super::parse_name_values(&args.params)?;
    let security = call_security(method, &args.path, args.signed, args.unsigned);
    let client = ctx.client(security.needs_api_key())?;
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
        let json =
            json!({ "method": method.as_str(), "url": url, "security": security.as_str(), "curl": curl });
        return Ok(Report::rows(rows, json));
    }
    if security.needs_signature() {
        client.sync_time().await?;
    }
    let value: serde_json::Value = client.request(method, &args.path, params, security).await?;
    Ok(Report::text(format!("{}\n", serde_json::to_string_pretty(&value)?), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_signs_by_flag_table_then_family() {
        let s = |m, p, signed, unsigned| call_security(m, p, signed, unsigned);
        assert_eq!(s(Method::Get, "/api/v3/account", false, false), Security::UserData);
        assert_eq!(s(Method::Get, "/api/v3/depth", false, false), Security::None);
        assert_eq!(s(Method::Get, "/sapi/v1/capital/config/getall", false, false), Security::UserData);
        assert_eq!(s(Method::Get, "/sapi/v1/system/status", false, false), Security::None);
        assert_eq!(s(Method::Get, "/fapi/v2/balance", false, false), Security::None);
        assert_eq!(s(Method::Get, "/fapi/v2/balance", true, false), Security::UserData);
        assert_eq!(s(Method::Post, "/api/v3/order", true, false), Security::Trade);
        assert_eq!(s(Method::Get, "/sapi/v1/capital/config/getall", false, true), Security::None);
    }
}
