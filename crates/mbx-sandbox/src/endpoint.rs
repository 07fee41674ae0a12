//! The endpoint of a request, found in mbx-core's table (`mbx_core::endpoint`): security type, weight
//! and parameters come from there, never from a copy here. Which endpoints the sandbox serves is
//! `crate::api::routes::SERVED`.

use mbx_core::endpoint::{self, Endpoint, Method};

/// The endpoint of the request being served, found once by the router's frame and left in the
/// request's extensions for the extractors.
#[derive(Debug, Clone, Copy)]
pub struct Found(pub &'static Endpoint);

/// The endpoint at `method` (as received: `GET`, `POST`, ...) and `path` in mbx-core's table.
pub fn lookup(method: &str, path: &str) -> Option<&'static Endpoint> {
    endpoint::find(Method::parse(method)?, path)
}
