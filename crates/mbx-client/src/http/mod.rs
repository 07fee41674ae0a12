//! The client's HTTP/1.1 transport: keep-alive connections to one host, in a pool.
//!
//! Binance's REST API needs very little of HTTP: a request line, three headers and no body (mbx-client
//! puts every parameter in the query string), and answers with a status, a few headers and a JSON body.
//! A general client (reqwest over hyper) parses the URL again on every request, runs it through
//! redirect, proxy and retry layers and hands it to a separate connection task; here a request is one
//! buffer written on a pooled connection by the task that sends it, and the answer is read by that task
//! with a plain header parse. That is most of what made mbx-client's requests cost more CPU than its
//! peers' (BENCHMARKS.md, "Where mbx-client's instructions go").
//!
//! What it does:
//! - `http://` and `https://` (rustls with the webpki roots; certificates are always verified), any
//!   port, IPv6 literals, a path prefix in the base URL.
//! - Answers framed by `Content-Length`, `Transfer-Encoding: chunked` or the end of the connection;
//!   informational (1xx) answers skipped; `Connection: close` and HTTP/1.0 honoured.
//! - Idle connections are checked before reuse (a connection the server closed, or that has
//!   anything unread on it, is dropped) and dropped after [`IDLE_TIMEOUT`]. A safe request that finds
//!   its reused connection closed before any answer arrives is sent once more on a new connection;
//!   for other requests the caller decides (an order's outcome is then unknown).
//! - A request whose future is dropped (timeout, caller gone) takes its connection with it, so a
//!   connection in an unknown state is never reused.
//! - HTTP proxies (`crate::proxy`): a `CONNECT` tunnel for `https://` hosts, absolute-form requests
//!   for `http://` hosts.
//!
//! What it does not do: redirects (Binance's API does not redirect), compression (not requested),
//! HTTP/2, SOCKS proxies.
//!
//! The parts: [`origin`] parses the base URL, [`framing`] writes requests and reads answers,
//! [`connect`] opens TCP and TLS connections (through a proxy if there is one), and [`pool`] holds
//! [`Http`], which sends each request on an idle connection or a new one.

mod connect;
mod framing;
mod origin;
mod pool;

use std::time::Duration;

pub(crate) use connect::{Connector, Io};
pub(crate) use framing::{Request, Response, Verb, read_answer};
pub(crate) use origin::Origin;
pub(crate) use pool::Http;

/// Idle connections older than this are closed rather than reused (servers and load balancers close
/// idle connections after about a minute; reusing one just as it closes loses the request).
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// Why a request got no answer.
#[derive(Debug)]
pub(crate) struct HttpError {
    /// `true` if the request may have reached the server (it was written, at least in part).
    pub(crate) sent: bool,
    /// What happened, without the URL (it holds the signature).
    pub(crate) detail: String,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}
