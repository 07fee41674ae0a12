//! The endpoints the sandbox serves, as described by mbx-core's table (`mbx_core::endpoint::SPOT`):
//! security type and weight come from there, never from a copy here.

use mbx_core::endpoint::{self, Endpoint, Method};

/// The Binance routes this sandbox serves (the router mounts exactly these; the unit test below checks
/// each is in core's table).
pub const SERVED: &[(Method, &str)] = &[
    (Method::Get, "/api/v3/ping"),
    (Method::Get, "/api/v3/time"),
    (Method::Get, "/api/v3/exchangeInfo"),
    (Method::Get, "/api/v3/depth"),
    (Method::Get, "/api/v3/trades"),
    (Method::Get, "/api/v3/historicalTrades"),
    (Method::Get, "/api/v3/aggTrades"),
    (Method::Get, "/api/v3/klines"),
    (Method::Get, "/api/v3/uiKlines"),
    (Method::Get, "/api/v3/avgPrice"),
    (Method::Get, "/api/v3/ticker/24hr"),
    (Method::Get, "/api/v3/ticker/tradingDay"),
    (Method::Get, "/api/v3/ticker"),
    (Method::Get, "/api/v3/ticker/price"),
    (Method::Get, "/api/v3/ticker/bookTicker"),
    (Method::Get, "/api/v3/account"),
    (Method::Get, "/api/v3/account/commission"),
    (Method::Post, "/api/v3/order"),
    (Method::Delete, "/api/v3/order"),
    (Method::Get, "/api/v3/order"),
    (Method::Post, "/api/v3/order/test"),
    (Method::Get, "/api/v3/openOrders"),
    (Method::Delete, "/api/v3/openOrders"),
    (Method::Get, "/api/v3/allOrders"),
    (Method::Get, "/api/v3/myTrades"),
    (Method::Post, "/api/v3/order/cancelReplace"),
    (Method::Post, "/api/v3/orderList/oco"),
    (Method::Delete, "/api/v3/orderList"),
    (Method::Get, "/api/v3/orderList"),
    (Method::Get, "/api/v3/openOrderList"),
    (Method::Get, "/api/v3/allOrderList"),
    (Method::Get, "/api/v3/rateLimit/order"),
];

/// Whether the sandbox serves `method` `path`.
pub fn is_served(method: Method, path: &str) -> bool {
    SERVED.iter().any(|(m, p)| *m == method && *p == path)
}

/// The endpoint of the request being served, found once by the router's frame and left in the
/// request's extensions for the extractors.
#[derive(Debug, Clone, Copy)]
pub struct Found(pub &'static Endpoint);

/// The endpoint at `method` and `path` in mbx-core's table.
pub fn lookup(method: &axum::http::Method, path: &str) -> Option<&'static Endpoint> {
    endpoint::find(Method::parse(method.as_str())?, path)
}

#[cfg(test)]
mod tests {
    use mbx_core::endpoint::Security;

    use super::*;

    /// Every route of the sandbox's API is in core's table (the admin API is not Binance's).
    #[test]
    fn every_served_route_is_in_core_table() {
        use axum::http::Method as M;
        for (m, p, s) in [
            (M::GET, "/api/v3/ping", Security::None),
            (M::GET, "/api/v3/time", Security::None),
            (M::GET, "/api/v3/exchangeInfo", Security::None),
            (M::GET, "/api/v3/account", Security::UserData),
            (M::GET, "/api/v3/account/commission", Security::UserData),
            (M::POST, "/api/v3/order/test", Security::Trade),
            (M::GET, "/api/v3/depth", Security::None),
            (M::GET, "/api/v3/ticker/bookTicker", Security::None),
            (M::GET, "/api/v3/historicalTrades", Security::None),
            (M::GET, "/api/v3/aggTrades", Security::None),
            (M::GET, "/api/v3/klines", Security::None),
            (M::GET, "/api/v3/uiKlines", Security::None),
            (M::GET, "/api/v3/ticker/24hr", Security::None),
            (M::GET, "/api/v3/ticker/tradingDay", Security::None),
            (M::GET, "/api/v3/ticker", Security::None),
            (M::POST, "/api/v3/order", Security::Trade),
            (M::DELETE, "/api/v3/order", Security::Trade),
            (M::GET, "/api/v3/order", Security::UserData),
            (M::DELETE, "/api/v3/openOrders", Security::Trade),
            (M::GET, "/api/v3/openOrders", Security::UserData),
            (M::GET, "/api/v3/myTrades", Security::UserData),
            (M::POST, "/api/v3/order/cancelReplace", Security::Trade),
            (M::POST, "/api/v3/orderList/oco", Security::Trade),
            (M::DELETE, "/api/v3/orderList", Security::Trade),
            (M::GET, "/api/v3/orderList", Security::UserData),
            (M::GET, "/api/v3/openOrderList", Security::UserData),
            (M::GET, "/api/v3/allOrderList", Security::UserData),
            (M::GET, "/api/v3/rateLimit/order", Security::UserData),
        ] {
            assert_eq!(lookup(&m, p).map(|e| e.security), Some(s), "{m} {p}");
        }
        assert!(lookup(&M::GET, "/api/v3/order/test").is_none());
        for (m, p) in SERVED {
            assert!(endpoint::find(*m, p).is_some(), "{m} {p}");
        }
    }
}
