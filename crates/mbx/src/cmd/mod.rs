//! One module per subcommand.

mod demo;
mod demo_live;
mod doctor;
mod keys;
mod klines;
mod market;
mod rest;
mod sandbox;
mod sign;
mod trade;
mod verify;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let profile = match &cli.key.profile {
        Some(name) => Some(crate::profile::load(name)?),
        None => None,
    };
    let env = cli.environment(profile.as_ref()).map_err(crate::exit::usage)?;
    match cli.command {
        Command::Sign(args) => sign::run(args, &cli.key, env.rest_url(), cli.output),
        Command::Time => rest::time(&env, &cli.key, cli.output),
        Command::Ping => rest::ping(&env, &cli.key, cli.output),
        Command::ExchangeInfo { symbol } => {
            market::exchange_info(symbol.as_deref(), &env, &cli.key, cli.output)
        }
        Command::Account => rest::account(&env, &cli.key, cli.output),
        Command::Klines(args) => klines::run(args, &env, &cli.key, cli.output),
        Command::Call(args) => rest::call(args, &env, &cli.key, cli.output),
        Command::Order(cmd) => trade::order(cmd, &env, &cli.key, cli.output),
        Command::Orders(cmd) => trade::orders(cmd, &env, &cli.key, cli.output),
        Command::Trades { symbol } => trade::trades(&symbol, &env, &cli.key, cli.output),
        Command::Depth { symbol, limit } => market::depth(&symbol, limit, &env, &cli.key, cli.output),
        Command::Ticker { symbol, day } => market::ticker(&symbol, day, &env, &cli.key, cli.output),
        Command::Verify(args) => verify::run(args, &cli.key, cli.output),
        Command::Doctor(cmd) => doctor::run(cmd, &env, &cli.key, cli.output),
        Command::Keygen(args) => keys::keygen(args, cli.output),
        Command::Key(crate::cli::KeyCommand::Show) => keys::show(&cli.key, cli.output),
        Command::Config(crate::cli::ConfigCommand::Init { force }) => crate::profile::init(force),
        Command::Config(crate::cli::ConfigCommand::Path) => {
            println!("{}", crate::profile::config_path()?.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Sandbox(args) => sandbox::run(args, cli.output),
        Command::Demo => demo::run(cli.output),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "mbx", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
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
