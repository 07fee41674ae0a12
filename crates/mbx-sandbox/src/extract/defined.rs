//! The parameters each served endpoint defines (rest-api.md, each endpoint's "Parameters" table), and
//! the check that refuses any other.
//!
//! errors.md lists both `-1103 UNKNOWN_PARAM` ("An unknown parameter was sent.") and `-1104
//! UNREAD_PARAMETERS`. Client reports against Binance's REST API show an undefined parameter (a typo
//! such as `timeInforce`, an extra `created`) answered with `-1104` and the counts, "read '7'
//! parameter(s) but was sent '8'", where the counts include `timestamp` and `signature`, and before the
//! endpoint's own checks (a LIMIT order with `timeInforce` gets `-1104`, not a missing `timeInForce`).
//! The sandbox does the same; it never sends `-1103` over REST. This is inferred from those reports,
//! not from the docs, which say nothing about the order of checks.

use mbx_core::endpoint::Endpoint;
use mbx_core::{ApiError, ErrorCode, Params};

use super::Signed;
use crate::error::{Result, SandboxError};

/// Parameters every signed endpoint takes besides its own (`signature` is removed before the check
/// and counted as sent and read).
const SIGNED_COMMON: &[&str] = &["recvWindow", "timestamp"];

/// `POST /api/v3/order` (and `order/test`).
const NEW_ORDER: &[&str] = &[
    "symbol",
    "side",
    "type",
    "timeInForce",
    "quantity",
    "quoteOrderQty",
    "price",
    "newClientOrderId",
    "strategyId",
    "strategyType",
    "stopPrice",
    "trailingDelta",
    "icebergQty",
    "newOrderRespType",
    "selfTradePreventionMode",
    "pegPriceType",
    "pegOffsetValue",
    "pegOffsetType",
];

/// `POST /api/v3/order/cancelReplace`: a new order's parameters and the cancel's.
const CANCEL_REPLACE: &[&str] = &[
    "cancelReplaceMode",
    "cancelNewClientOrderId",
    "cancelOrigClientOrderId",
    "cancelOrderId",
    "cancelRestrictions",
    "orderRateLimitExceededMode",
];

/// `POST /api/v3/orderList/oco`: the list's own parameters, then each leg's.
const NEW_OCO: &[&str] =
    &["symbol", "listClientOrderId", "side", "quantity", "newOrderRespType", "selfTradePreventionMode"];

/// `POST /api/v3/orderList/oco`: the parameters of the above leg.
const OCO_ABOVE: &[&str] = &[
    "aboveType",
    "aboveClientOrderId",
    "aboveIcebergQty",
    "abovePrice",
    "aboveStopPrice",
    "aboveTrailingDelta",
    "aboveTimeInForce",
    "aboveStrategyId",
    "aboveStrategyType",
    "abovePegPriceType",
    "abovePegOffsetType",
    "abovePegOffsetValue",
];

/// `POST /api/v3/orderList/oco`: the parameters of the below leg.
const OCO_BELOW: &[&str] = &[
    "belowType",
    "belowClientOrderId",
    "belowIcebergQty",
    "belowPrice",
    "belowStopPrice",
    "belowTrailingDelta",
    "belowTimeInForce",
    "belowStrategyId",
    "belowStrategyType",
    "belowPegPriceType",
    "belowPegOffsetType",
    "belowPegOffsetValue",
];

/// The parameters `method` `path` defines besides [`SIGNED_COMMON`]; `None` for an endpoint this table
/// does not know (nothing is checked).
pub fn defined(method: &str, path: &str) -> Option<&'static [&'static [&'static str]]> {
    Some(match (method, path) {
        ("GET", "/api/v3/ping" | "/api/v3/time") => &[],
        ("GET", "/api/v3/exchangeInfo") => {
            &[&["symbol", "symbols", "permissions", "showPermissionSets", "symbolStatus"]]
        }
        ("GET", "/api/v3/depth") => &[&["symbol", "limit", "symbolStatus"]],
        ("GET", "/api/v3/trades") => &[&["symbol", "limit"]],
        ("GET", "/api/v3/historicalTrades") => &[&["symbol", "limit", "fromId"]],
        ("GET", "/api/v3/aggTrades") => &[&["symbol", "fromId", "startTime", "endTime", "limit"]],
        ("GET", "/api/v3/klines" | "/api/v3/uiKlines") => {
            &[&["symbol", "interval", "startTime", "endTime", "timeZone", "limit"]]
        }
        ("GET", "/api/v3/avgPrice") => &[&["symbol"]],
        ("GET", "/api/v3/ticker/24hr") => &[&["symbol", "symbols", "type", "symbolStatus"]],
        ("GET", "/api/v3/ticker/tradingDay") => &[&["symbol", "symbols", "timeZone", "type", "symbolStatus"]],
        ("GET", "/api/v3/ticker") => &[&["symbol", "symbols", "windowSize", "type", "symbolStatus"]],
        ("GET", "/api/v3/ticker/price" | "/api/v3/ticker/bookTicker") => {
            &[&["symbol", "symbols", "symbolStatus"]]
        }
        ("GET", "/api/v3/account") => &[&["omitZeroBalances"]],
        ("GET", "/api/v3/account/commission") => &[&["symbol"]],
        ("POST", "/api/v3/order") => &[NEW_ORDER],
        ("POST", "/api/v3/order/test") => &[NEW_ORDER, &["computeCommissionRates"]],
        ("DELETE", "/api/v3/order") => {
            &[&["symbol", "orderId", "origClientOrderId", "newClientOrderId", "cancelRestrictions"]]
        }
        ("GET", "/api/v3/order") => &[&["symbol", "orderId", "origClientOrderId"]],
        ("GET" | "DELETE", "/api/v3/openOrders") => &[&["symbol"]],
        ("GET", "/api/v3/allOrders") => &[&["symbol", "orderId", "startTime", "endTime", "limit"]],
        ("GET", "/api/v3/myTrades") => &[&["symbol", "orderId", "startTime", "endTime", "fromId", "limit"]],
        ("POST", "/api/v3/order/cancelReplace") => &[NEW_ORDER, CANCEL_REPLACE],
        ("POST", "/api/v3/orderList/oco") => &[NEW_OCO, OCO_ABOVE, OCO_BELOW],
        ("DELETE", "/api/v3/orderList") => {
            &[&["symbol", "orderListId", "listClientOrderId", "newClientOrderId"]]
        }
        ("GET", "/api/v3/orderList") => &[&["orderListId", "origClientOrderId"]],
        ("GET", "/api/v3/openOrderList" | "/api/v3/rateLimit/order") => &[],
        ("GET", "/api/v3/allOrderList") => &[&["fromId", "startTime", "endTime", "limit"]],
        ("POST", "/api/v3/userDataStream") => &[],
        ("PUT" | "DELETE", "/api/v3/userDataStream") => &[&["listenKey"]],
        _ => return None,
    })
}

/// `-1104` when `params` hold a name `endpoint` does not define. `signed`: the request also carried
/// `signature` (removed from `params`), which counts as sent and read.
pub fn check_defined(method: &str, path: &str, params: &Params, signed: bool) -> Result<()> {
    let Some(groups) = defined(method, path) else { return Ok(()) };
    let known =
        |name: &str| groups.iter().any(|g| g.contains(&name)) || (signed && SIGNED_COMMON.contains(&name));
    let unknown: Vec<&str> = params.iter().map(|(k, _)| k).filter(|k| !known(k)).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let sent = params.len() + usize::from(signed);
    let read = sent - unknown.len();
    let shown: Vec<String> = unknown.iter().take(5).map(|k| format!("'{}'", super::clip(k, 40))).collect();
    Err(SandboxError::rejected(
        ApiError::with_args(ErrorCode::UNREAD_PARAMETERS, 1, &[&read.to_string(), &sent.to_string()]),
        format!(
            "{method} {path} does not define the parameter(s) {}; remove them or check their spelling and case against rest-api.md.",
            shown.join(", ")
        ),
    ))
}

/// [`check_defined`] for an authenticated request.
pub fn check_signed(signed: &Signed) -> Result<()> {
    let Endpoint { method, path, .. } = signed.endpoint;
    check_defined(method.as_str(), path, &signed.params, signed.endpoint.security.needs_signature())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route the sandbox serves has its parameter list here.
    #[test]
    fn every_served_endpoint_defines_its_parameters() {
        for (method, path) in crate::endpoint::SERVED {
            assert!(defined(method.as_str(), path).is_some(), "{method} {path}");
        }
    }

    #[test]
    fn unknown_parameter_gets_1104_with_counts() {
        let p: Params = [("symbol", "BTCUSDT"), ("timeInforce", "GTC"), ("timestamp", "1")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let e = check_defined("POST", "/api/v3/order", &p, true).unwrap_err();
        assert_eq!(
            e.api_error().unwrap().msg,
            "Not all sent parameters were read; read '3' parameter(s) but was sent '4'."
        );
        assert!(e.hint().contains("'timeInforce'"), "{}", e.hint());
        assert!(check_defined("GET", "/api/v3/unknown", &p, true).is_ok());
        assert!(check_defined("GET", "/api/v3/depth", &p, false).is_err());
    }
}
