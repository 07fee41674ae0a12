//! The spot REST endpoints of `rest-api.md`, one row each.

use super::{Endpoint, Method, Security, Weight};

/// Every spot REST endpoint mbx knows.
pub static SPOT: &[Endpoint] = &[
    Endpoint {
        name: "Test connectivity",
        method: Method::Get,
        path: "/api/v3/ping",
        security: Security::None,
        weight: Weight::Fixed(1),
    },
    Endpoint {
        name: "New order",
        method: Method::Post,
        path: "/api/v3/order",
        security: Security::Trade,
        weight: Weight::Fixed(1),
    },
];
