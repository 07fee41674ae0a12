//! The SAPI (wallet and margin) endpoints that client libraries read at start, outside the spot
//! docs: with a key, ccxt's `load_markets` reads the wallet's coin list and the cross and isolated
//! margin pairs, `fetch_status` the system status and `fetch_trading_fee` the trade fees. Security types and weights are those of
//! Binance's wallet and margin docs. SAPI answers no `-1104` ([`Endpoint::unread`]): ccxt signs the
//! cross margin pairs, which Binance documents as taking a key only, and Binance answers it.

use super::{Endpoint, Kind, Method, Param, Presence, Security, Weight};

/// GET `/sapi/v1/system/status`: System Status (public).
pub static SYSTEM_STATUS: Endpoint = Endpoint {
    name: "System Status",
    method: Method::Get,
    path: "/sapi/v1/system/status",
    security: Security::None,
    weight: Weight::Fixed(1),
    params: &[],
    orders: 0,
    ws: &[],
};

/// GET `/sapi/v1/capital/config/getall`: All Coins' Information (USER_DATA).
pub static COIN_INFO: Endpoint = Endpoint {
    name: "All Coins' Information",
    method: Method::Get,
    path: "/sapi/v1/capital/config/getall",
    security: Security::UserData,
    weight: Weight::Fixed(10),
    params: &[],
    orders: 0,
    ws: &[],
};

/// GET `/sapi/v1/margin/allPairs`: Get All Cross Margin Pairs. Binance marks it MARKET_DATA (a key,
/// no signature) and also takes it signed, as ccxt sends it; the table says signed, so that every
/// client of this table sends it in the form both accept.
pub static CROSS_MARGIN_PAIRS: Endpoint = Endpoint {
    name: "Get All Cross Margin Pairs",
    method: Method::Get,
    path: "/sapi/v1/margin/allPairs",
    security: Security::UserData,
    weight: Weight::Fixed(1),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional }]],
    orders: 0,
    ws: &[],
};

/// GET `/sapi/v1/margin/isolated/allPairs`: Get All Isolated Margin Symbol (USER_DATA).
pub static ISOLATED_MARGIN_PAIRS: Endpoint = Endpoint {
    name: "Get All Isolated Margin Symbol",
    method: Method::Get,
    path: "/sapi/v1/margin/isolated/allPairs",
    security: Security::UserData,
    weight: Weight::Fixed(10),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional }]],
    orders: 0,
    ws: &[],
};

/// GET `/sapi/v1/asset/tradeFee`: Trade Fee (USER_DATA), read by ccxt's `fetch_trading_fee(s)`.
pub static TRADE_FEE: Endpoint = Endpoint {
    name: "Trade Fee",
    method: Method::Get,
    path: "/sapi/v1/asset/tradeFee",
    security: Security::UserData,
    weight: Weight::Fixed(1),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional }]],
    orders: 0,
    ws: &[],
};

/// Every SAPI row.
pub static SAPI: &[&Endpoint] =
    &[&SYSTEM_STATUS, &COIN_INFO, &CROSS_MARGIN_PAIRS, &ISOLATED_MARGIN_PAIRS, &TRADE_FEE];
