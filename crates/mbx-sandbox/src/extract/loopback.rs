//! [`Loopback`]: who may use the admin API and the console, and from where.
//!
//! The rules, first failure wins:
//!
//! 1. **No cross-site requests.** A browser names the page a request comes from: `Sec-Fetch-Site`
//!    other than `same-origin` or `none`, or an `Origin` that is not this server's own (scheme,
//!    host and port as the `Host` header names them), is refused (403). A web page open in a local
//!    browser cannot drive the admin API, nor read the console's live feed over a WebSocket.
//! 2. **No borrowed names.** Without the token, the `Host` header must name the server by an IP
//!    address or `localhost` (403 otherwise): a page whose domain is made to resolve to 127.0.0.1
//!    (DNS rebinding) is same-origin with itself but names its own domain.
//! 3. **Who.** When the sandbox requires a token (it listens beyond loopback, or one was
//!    configured: [`crate::SandboxBuilder::admin_token`]), every request must carry it, in
//!    `X-Sandbox-Token`, `Authorization: Bearer ...` or (for the console's WebSocket, which a browser
//!    opens without headers) the `sandboxToken` query parameter (401 otherwise), from any address.
//!    Without a token, only loopback clients are answered (403).
//! 4. **JSON bodies only.** A `POST`, `PUT` or `PATCH` must say `Content-Type: application/json`
//!    (415 otherwise): an HTML form cannot send that type to another site without the browser
//!    asking first, and the sandbox never agrees.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};

use crate::error::{Result, SandboxError};
use crate::state::AppState;

/// The header that carries the admin token.
pub const TOKEN_HEADER: &str = "x-sandbox-token";

/// Proof that the request passed the admin API's rules (module docs). A request without connection
/// information (a router driven in-process without a socket) is refused without a token, unless a
/// test inserts `ConnectInfo` for it.
#[derive(Debug, Clone, Copy)]
pub struct Loopback(pub SocketAddr);

impl FromRequestParts<AppState> for Loopback {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        check(parts, addr, state.admin_token())?;
        Ok(Loopback(addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)))))
    }
}

/// The console's own files (page, script, style sheet: no data in them): the rules of
/// [`Loopback`], except that where a token is required the files load without it (the page then
/// sends the token it was given in its address with every call).
#[derive(Debug, Clone, Copy)]
pub struct ConsoleFile;

impl FromRequestParts<AppState> for ConsoleFile {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        match state.admin_token() {
            // Rules 1 and 2 still apply; who may load the files is anyone who can reach the port.
            Some(token) => match check(parts, addr, Some(token)) {
                Err(SandboxError::AdminRefused { status: 401, .. }) => Ok(ConsoleFile),
                other => other.map(|()| ConsoleFile),
            },
            None => check(parts, addr, None).map(|()| ConsoleFile),
        }
    }
}

/// The rules of the module docs, over the request's head.
fn check(parts: &Parts, addr: Option<SocketAddr>, token: Option<&str>) -> Result<()> {
    let text = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let refused = |status: u16, why: &'static str| Err(SandboxError::AdminRefused { status, why });
    let host = text(header::HOST.as_str());
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return refused(403, "the request comes from another site's page (Sec-Fetch-Site)");
    }
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        let own = host.is_some_and(|h| {
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                .is_some_and(|o| o.eq_ignore_ascii_case(h))
        });
        if !own {
            return refused(403, "the request comes from another site's page (Origin)");
        }
    }
    let presented = text(TOKEN_HEADER)
        .or_else(|| text(header::AUTHORIZATION.as_str()).and_then(|a| a.strip_prefix("Bearer ")))
        .or_else(|| query_token(parts.uri.query().unwrap_or("")));
    let token_ok = match (token, presented) {
        (Some(t), Some(p)) => constant_time_eq(t.as_bytes(), p.as_bytes()),
        _ => false,
    };
    if !token_ok && host.is_some_and(|h| !names_by_address(h)) {
        return refused(
            403,
            "the Host header names the sandbox by a domain name; use its IP address or localhost",
        );
    }
    match token {
        Some(_) if token_ok => {}
        Some(_) => {
            return refused(
                401,
                "this sandbox listens beyond loopback: send its admin token in X-Sandbox-Token",
            );
        }
        None if addr.is_some_and(|a| a.ip().to_canonical().is_loopback()) => {}
        None => return Err(SandboxError::AdminForbidden),
    }
    if matches!(parts.method, Method::POST | Method::PUT | Method::PATCH) {
        let json = text(header::CONTENT_TYPE.as_str())
            .and_then(|t| t.split(';').next())
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return refused(415, "send the body as JSON with Content-Type: application/json");
        }
    }
    Ok(())
}

/// `sandboxToken` from a query string (its value is a token: letters and digits, no escapes).
fn query_token(query: &str) -> Option<&str> {
    query.split('&').find_map(|pair| pair.strip_prefix("sandboxToken="))
}

/// Whether a `Host` header names the server by an IPv4 or IPv6 address or as `localhost`.
fn names_by_address(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|rest| rest.split(']').next()) {
        return v6.parse::<std::net::Ipv6Addr>().is_ok();
    }
    // The name before an optional `:port`.
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name).to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok() || name == "localhost" || name.ends_with(".localhost")
}

/// Compares without stopping at the first difference (the token's prefix cannot be probed by time).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut b = axum::http::Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    const LOCAL: Option<SocketAddr> =
        Some(SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 5000));
    const REMOTE: Option<SocketAddr> =
        Some(SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 7)), 5000));

    fn status(r: Result<()>) -> u16 {
        match r {
            Ok(()) => 200,
            Err(SandboxError::AdminRefused { status, .. }) => status,
            Err(SandboxError::AdminForbidden) => 403,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn loopback_scripts_and_the_console_page_pass() {
        let json = ("content-type", "application/json");
        let host = ("host", "127.0.0.1:9900");
        assert_eq!(status(check(&parts("POST", "/sandbox/v1/deposit", &[host, json]), LOCAL, None)), 200);
        assert_eq!(status(check(&parts("GET", "/sandbox/v1/health", &[]), LOCAL, None)), 200);
        // The console's own page: same origin, same site.
        let page = [host, json, ("origin", "http://127.0.0.1:9900"), ("sec-fetch-site", "same-origin")];
        assert_eq!(status(check(&parts("POST", "/sandbox/v1/keys", &page), LOCAL, None)), 200);
        assert_eq!(status(check(&parts("GET", "/", &[("host", "localhost:9900")]), LOCAL, None)), 200);
        assert_eq!(status(check(&parts("GET", "/", &[("host", "[::1]:9900")]), LOCAL, None)), 200);
    }

    #[test]
    fn cross_site_rebinding_and_forms_are_refused() {
        let host = ("host", "127.0.0.1:9900");
        let json = ("content-type", "application/json");
        let from_page = [host, json, ("origin", "http://evil.example")];
        assert_eq!(status(check(&parts("POST", "/sandbox/v1/deposit", &from_page), LOCAL, None)), 403);
        let fetch_meta = [host, json, ("sec-fetch-site", "cross-site")];
        assert_eq!(status(check(&parts("GET", "/sandbox/v1/console/live", &fetch_meta), LOCAL, None)), 403);
        let rebound = [("host", "evil.example:9900"), json, ("origin", "http://evil.example:9900")];
        assert_eq!(status(check(&parts("POST", "/sandbox/v1/deposit", &rebound), LOCAL, None)), 403);
        let form = [host, ("content-type", "application/x-www-form-urlencoded")];
        assert_eq!(status(check(&parts("POST", "/sandbox/v1/deposit", &form), LOCAL, None)), 415);
        assert_eq!(status(check(&parts("POST", "/sandbox/v1/deposit", &[host]), LOCAL, None)), 415);
    }

    #[test]
    fn beyond_loopback_the_token_is_required_from_everyone() {
        let host = ("host", "10.0.0.2:9900");
        assert_eq!(status(check(&parts("GET", "/sandbox/v1/health", &[host]), REMOTE, None)), 403);
        let t = Some("s3cretToken");
        assert_eq!(status(check(&parts("GET", "/sandbox/v1/health", &[host]), LOCAL, t)), 401);
        assert_eq!(
            status(check(
                &parts("GET", "/sandbox/v1/health", &[host, ("x-sandbox-token", "wrong")]),
                REMOTE,
                t
            )),
            401
        );
        assert_eq!(
            status(check(
                &parts("GET", "/sandbox/v1/health", &[host, ("x-sandbox-token", "s3cretToken")]),
                REMOTE,
                t
            )),
            200
        );
        let bearer = ("authorization", "Bearer s3cretToken");
        assert_eq!(
            status(check(
                &parts("GET", "/sandbox/v1/health", &[("host", "sandbox.lan:9900"), bearer]),
                REMOTE,
                t
            )),
            200
        );
        assert_eq!(
            status(check(
                &parts("GET", "/sandbox/v1/console/live?after=0&sandboxToken=s3cretToken", &[host]),
                REMOTE,
                t
            )),
            200
        );
    }
}
