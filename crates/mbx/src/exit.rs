//! Exit codes, documented in `mbx --help` and the README:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (for `verify`: the signature is valid) |
//! | 1 | rejected: Binance (or `verify`) says no |
//! | 2 | usage or configuration: a flag, a key or a file is wrong; the message says how to fix it |
//! | 3 | transport: the network or the server failed |
//! | 4 | outcome unknown: the request may have been executed; check before retrying |

use std::process::ExitCode;

/// Success.
pub const OK: u8 = 0;
/// Rejected (by Binance, or an invalid signature in `verify`).
pub const REJECTED: u8 = 1;
/// Usage or configuration error.
pub const USAGE: u8 = 2;
/// The network or the server failed.
pub const TRANSPORT: u8 = 3;
/// The request may have been executed.
pub const UNKNOWN_OUTCOME: u8 = 4;

/// An error the user can fix by changing how mbx is called or configured (exit code 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A server that could not be reached, said in the command's own words (exit code 3).
#[derive(Debug)]
pub struct Unreachable(pub String);

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreachable {}

/// Shorthand for an [`Unreachable`] error.
pub fn unreachable_at(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Unreachable(msg.into()))
}

/// Shorthand for a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// Prints `err` (never containing secrets: none are put into errors) and picks the exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    // A closed pipe (`mbx sign | head -1`) is not an error.
    if err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::from(OK);
    }
    if let Some(e) = err.chain().find_map(|c| c.downcast_ref::<mbx_client::Error>()) {
        return report_client(e);
    }
    eprintln!("error: {err:#}");
    if err.chain().any(|c| c.is::<UsageError>() || c.is::<mbx_core::keys::KeyError>()) {
        ExitCode::from(USAGE)
    } else if err.chain().any(|c| c.is::<Unreachable>()) {
        ExitCode::from(TRANSPORT)
    } else {
        ExitCode::from(REJECTED)
    }
}

/// Client errors read like help: Binance's code and message, then what to do.
fn report_client(e: &mbx_client::Error) -> ExitCode {
    use mbx_client::Error as E;
    eprintln!("error: {e}");
    if let Some(entry) = e.code().and_then(|c| c.entry()) {
        // The fix for the engine's message when it has one (a duplicate client id, a balance).
        let fix = match e {
            E::Api(api) => api.fix().unwrap_or(entry.fix),
            _ => entry.fix,
        };
        eprintln!("  {} ({}): {}", entry.name, entry.code, fix);
    }
    if let E::CancelReplace { data, .. } = e {
        explain_replace(data);
    }
    match e {
        E::Config(_) => ExitCode::from(USAGE),
        E::Transport(_) => {
            eprintln!("  check the base URL (--env, --base-url) and the network; nothing was executed");
            ExitCode::from(TRANSPORT)
        }
        E::Http { status: 404 | 405, method, path, hint } => {
            // The server's own explanation is in the line above; else the endpoint table's.
            match mbx_core::endpoint::unrouted(method, path) {
                Some(u) if hint.is_none() => eprintln!("  {}. {}", u.title, u.fix),
                Some(_) => {}
                None => eprintln!(
                    "  the server does not serve this path or method: check it against Binance's docs, and that the base URL (--env, --base-url) is the API's (nothing was executed)"
                ),
            }
            ExitCode::from(REJECTED)
        }
        E::Http { .. } => {
            eprintln!(
                "  the server answered without Binance's error body (a proxy, another service?): check the base URL (--env, --base-url); nothing was executed"
            );
            ExitCode::from(TRANSPORT)
        }
        E::UnknownOutcome { .. } => {
            eprintln!(
                "  the request may have been executed: look it up (mbx orders get) before sending it again"
            );
            ExitCode::from(UNKNOWN_OUTCOME)
        }
        _ => ExitCode::from(REJECTED),
    }
}

/// What happened to each half of a failed cancel-replace, and what to do about the failed one.
pub fn explain_replace(data: &mbx_client::types::CancelReplaceFailure) {
    use mbx_client::types::ReplaceLeg;
    let leg = |name: &str, done: &str, leg: Option<&ReplaceLeg>| match leg {
        Some(ReplaceLeg::Order(o)) => {
            let status = o.status.as_ref().map_or_else(|| "accepted".to_owned(), |s| format!("now {s}"));
            eprintln!("  {name}: {done}: order {} (client id {}), {status}", o.order_id, o.client_order_id);
        }
        Some(ReplaceLeg::Rejected(e)) => {
            eprintln!("  {name}: failed: {e}");
            if let Some(entry) = e.code.entry() {
                eprintln!("    {} ({}): {}", entry.name, entry.code, entry.fix);
            }
        }
        None => eprintln!(
            "  {name}: not attempted, because the cancel failed and --mode is STOP_ON_FAILURE (ALLOW_FAILURE places it anyway)"
        ),
    };
    leg("cancel", "done", Some(&data.cancel_response));
    leg("new order", "placed", data.new_order_response.as_ref());
}
