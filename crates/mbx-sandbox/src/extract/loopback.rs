//! [`Loopback`]: admits only clients connected from a loopback address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::{Result, SandboxError};
use crate::state::AppState;

/// Proof that the client is on a loopback address. A request without connection information (a
/// router driven in-process without a socket) is refused too, unless a test inserts
/// `ConnectInfo` for it.
#[derive(Debug, Clone, Copy)]
pub struct Loopback(pub SocketAddr);

impl FromRequestParts<AppState> for Loopback {
    type Rejection = SandboxError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self> {
        match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(addr)) if addr.ip().to_canonical().is_loopback() => Ok(Loopback(*addr)),
            _ => Err(SandboxError::AdminForbidden),
        }
    }
}
