//! One module per subcommand, each an `async fn` taking the [`Context`] and returning a [`Report`];
//! [`run`] resolves the context once, runs the command on the process's one tokio runtime, and prints
//! the report in one place (`output.rs`).

mod demo;
mod demo_live;
mod doctor;
mod keys;
mod klines;
mod market;
mod rest;
mod sandbox;
mod sign;
mod stream;
mod trade;
mod verify;

use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::output::Report;

/// Runs the parsed command and prints its report.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::from_cli(&cli)?;
    // `-vv`: the client's own events too (`mbx sandbox` starts its request log itself).
    let _log = (cli.key.verbose >= 2 && !matches!(cli.command, Command::Sandbox(_)))
        .then(|| crate::log::init_at("debug"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = runtime.block_on(dispatch(&ctx, cli.command))?;
    crate::output::print(ctx.output, &report)?;
    Ok(report.exit_code())
}

async fn dispatch(ctx: &Context, command: Command) -> anyhow::Result<Report> {
    match command {
        Command::Sign(args) => sign::run(ctx, args),
        Command::Time => rest::time(ctx).await,
        Command::Ping => rest::ping(ctx).await,
        Command::ExchangeInfo { symbol } => market::exchange_info(ctx, symbol.as_deref()).await,
        Command::Account => rest::account(ctx).await,
        Command::Klines(args) => klines::run(ctx, args).await,
        Command::Stream(args) => stream::run(ctx, args).await,
        Command::Book(args) => stream::book(ctx, args).await,
        Command::Call(args) => rest::call(ctx, args).await,
        Command::Order(cmd) => trade::order(ctx, cmd).await,
        Command::Orders(cmd) => trade::orders(ctx, cmd).await,
        Command::Trades { symbol } => trade::trades(ctx, &symbol).await,
        Command::Depth { symbol, limit } => market::depth(ctx, &symbol, limit).await,
        Command::Ticker { symbol, day } => market::ticker(ctx, &symbol, day).await,
        Command::Verify(args) => verify::run(ctx, args),
        Command::Doctor(cmd) => doctor::run(ctx, cmd).await,
        Command::Keygen(args) => keys::keygen(args),
        Command::Key(crate::cli::KeyCommand::Show) => keys::show(ctx),
        Command::Config(crate::cli::ConfigCommand::Init { force }) => crate::profile::init(force),
        Command::Config(crate::cli::ConfigCommand::Path) => {
            let path = crate::profile::config_path()?.display().to_string();
            Ok(Report::text(format!("{path}\n"), serde_json::json!({ "path": path })))
        }
        Command::Sandbox(args) => sandbox::run(ctx, args).await,
        Command::Demo => demo::run().await,
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "mbx", &mut script);
            Ok(Report::plain(String::from_utf8(script).context("the completion script is not UTF-8")?))
        }
    }
}
/// Parses `name=value` arguments into ordered params (a value may contain `=`).
pub fn parse_name_values(args: &[String]) -> anyhow::Result<mbx_core::Params> {
    let mut params = mbx_core::Params::new();
    for arg in args {
        let Some((name, value)) = arg.split_once('=') else {
            return Err(crate::exit::usage(format!("'{arg}' is not NAME=VALUE (example: symbol=BTCUSDT)")));
        };
        if name.is_empty() {
            return Err(crate::exit::usage(format!("'{arg}' has an empty parameter name")));
        }
        if params.contains(name) {
            eprintln!("warning: parameter '{name}' is given twice; Binance answers duplicates with -1101");
        }
        params.push(name.to_owned(), value.to_owned());
    }
    Ok(params)
}

/// The current Unix time in milliseconds (the CLI's only clock read; mbx-core takes time as input).
pub fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
