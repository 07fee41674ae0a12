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

/// mimalloc rather than glibc's malloc: under the sandbox's order load glibc's allocator (free-list
/// consolidation among it) took 19% of the process's CPU; with mimalloc orders/s rose by 4-15%
/// (two A/B rounds, memory and durable). SQLite keeps using the C library's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => exit::report(&err),
    }
}
