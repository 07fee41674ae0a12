//! `mbx`: sign, verify and (soon) send and diagnose Binance API requests.
//!
//! This file only parses, dispatches and maps the outcome to an exit code (see `exit.rs`).

mod cli;
mod cmd;
mod context;
mod exit;
mod log;
mod output;
mod profile;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => exit::report(&err),
    }
}
