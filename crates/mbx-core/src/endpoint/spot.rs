//! The spot endpoints of `rest-api.md` and `web-socket-api.md`, one named row each, in rest-api.md's order,
//! plus the three retired listenKey endpoints of `legacy/rest-userdatastream-listenkey-2025-08.md` and the
//! WebSocket API's session methods, which have no REST form. `tests/it/endpoints.rs` checks every row,
//! parameter and method name against the docs.
//!
//! `recvWindow` and `timestamp` (and, over the WebSocket API, `apiKey` and `signature`) are not listed:
//! every endpoint whose security type needs a signature reads them ([`Endpoint::reads`]).

use super::{Endpoint, Exclusion, Kind, Method, Param, Presence, Retirement, Security, Weight, WsSession};

/// Whether `e` reads a new order's parameters (the new order, its test, cancel-replace, SOR and its
/// test): [`crate::order::read_new_order`] applies to them.
pub(super) fn either_of(e: &Endpoint) -> Option<[&'static str; 2]> {
    // By method and path, as `reads_new_order`; the names in the order Binance's message gives them.
    let is = |o: &Endpoint| o.method == e.method && o.path == e.path;
    if [&QUERY_ORDER, &CANCEL_ORDER, &AMEND_KEEP_PRIORITY].into_iter().any(is) {
        Some(["origClientOrderId", "orderId"])
    } else if is(&CANCEL_REPLACE) {
        Some(["cancelOrigClientOrderId", "cancelOrderId"])
    } else if is(&QUERY_ORDER_LIST) {
        Some(["origClientOrderId", "orderListId"])
    } else if is(&CANCEL_ORDER_LIST) {
        Some(["listClientOrderId", "orderListId"])
    } else if is(&MY_PREVENTED_MATCHES) {
        Some(["preventedMatchId", "orderId"])
    } else if is(&TICKER_ROLLING) || is(&TICKER_TRADING_DAY) {
        Some(["symbol", "symbols"])
    } else {
        None
    }
}

/// The parameters the endpoint's docs forbid together (`-1128`), beyond `symbol` with `symbols`,
/// which no endpoint takes together ([`Endpoint::exclusions`]).
pub(super) fn exclusions(e: &Endpoint) -> &'static [Exclusion] {
    const FROM_ID_OR_TIME: Exclusion = Exclusion {
        these: &["fromId"],
        with: &["startTime", "endTime"],
        hint: "fromId pages by id and cannot be combined with startTime or endTime; send one or the other.",
    };
    let is = |o: &Endpoint| o.method == e.method && o.path == e.path;
    if is(&EXCHANGE_INFO) {
        &[Exclusion {
            these: &["symbol", "symbols"],
            with: &["permissions", "symbolStatus"],
            hint: "permissions and symbolStatus cannot be combined with symbol or symbols.",
        }]
    } else if is(&EXECUTION_RULES) {
        &[Exclusion {
            these: &["symbol", "symbols"],
            with: &["symbolStatus"],
            hint: "executionRules takes one of symbol, symbols and symbolStatus.",
        }]
    } else if is(&AGG_TRADES) || is(&ALL_ORDER_LISTS) {
        &[FROM_ID_OR_TIME]
    } else if is(&MY_TRADES) {
        &[
            Exclusion {
                these: &["orderId"],
                with: &["startTime", "endTime"],
                hint: "orderId combines with fromId only, not with startTime or endTime.",
            },
            FROM_ID_OR_TIME,
        ]
    } else if is(&MY_ALLOCATIONS) {
        &[Exclusion {
            these: &["startTime", "endTime"],
            with: &["orderId", "fromAllocationId"],
            hint: "startTime and endTime combine with each other only, not with orderId or fromAllocationId.",
        }]
    } else {
        &[]
    }
}

pub(super) fn reads_new_order(e: &Endpoint) -> bool {
    // By method and path: the parameter groups are constants, whose addresses need not be unique.
    [&NEW_ORDER, &TEST_ORDER, &CANCEL_REPLACE, &SOR_ORDER, &SOR_ORDER_TEST]
        .iter()
        .any(|o| o.method == e.method && o.path == e.path)
}

/// `POST /api/v3/order`'s own parameters, also read by `order/test`.
const ORDER_PARAMS: &[Param] = &[
    Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
    Param { name: "side", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "type", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "timeInForce", kind: Kind::Enum, presence: Presence::When("the order type needs it") },
    Param { name: "quantity", kind: Kind::Decimal, presence: Presence::When("the order type needs it") },
    Param { name: "quoteOrderQty", kind: Kind::Decimal, presence: Presence::When("the order type needs it") },
    Param { name: "price", kind: Kind::Decimal, presence: Presence::When("the order type needs it") },
    Param { name: "newClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "strategyId", kind: Kind::Long, presence: Presence::Optional },
    Param { name: "strategyType", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "stopPrice", kind: Kind::Decimal, presence: Presence::When("the order type needs it") },
    Param { name: "trailingDelta", kind: Kind::Long, presence: Presence::When("the order type needs it") },
    Param { name: "icebergQty", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "newOrderRespType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "selfTradePreventionMode", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pegPriceType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "pegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
];

/// `POST /api/v3/sor/order`'s own parameters, also read by `sor/order/test`.
const SOR_PARAMS: &[Param] = &[
    Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
    Param { name: "side", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "type", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "timeInForce", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "quantity", kind: Kind::Decimal, presence: Presence::Mandatory },
    Param { name: "price", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "newClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "strategyId", kind: Kind::Long, presence: Presence::Optional },
    Param { name: "strategyType", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "icebergQty", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "newOrderRespType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "selfTradePreventionMode", kind: Kind::Enum, presence: Presence::Optional },
];

/// `symbol`, mandatory.
const SYMBOL: &[Param] = &[Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory }];

/// An order named by its id or its client id, one of them mandatory.
const ORDER_ID: &[Param] = &[
    Param { name: "orderId", kind: Kind::Long, presence: Presence::OneOf(&["orderId", "origClientOrderId"]) },
    Param {
        name: "origClientOrderId",
        kind: Kind::Str,
        presence: Presence::OneOf(&["orderId", "origClientOrderId"]),
    },
];

/// The test endpoints' extra parameter.
const COMPUTE_COMMISSION: &[Param] =
    &[Param { name: "computeCommissionRates", kind: Kind::Bool, presence: Presence::Optional }];

/// The list-level parameters of the OTO, OTOCO, OPO and OPOCO order lists.
const LIST_PARAMS: &[Param] = &[
    Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
    Param { name: "listClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "newOrderRespType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "selfTradePreventionMode", kind: Kind::Enum, presence: Presence::Optional },
];

/// The working order of an OTO, OTOCO, OPO or OPOCO list.
const WORKING_LEG: &[Param] = &[
    Param { name: "workingType", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "workingSide", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "workingClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "workingPrice", kind: Kind::Decimal, presence: Presence::Mandatory },
    Param { name: "workingQuantity", kind: Kind::Decimal, presence: Presence::Mandatory },
    Param { name: "workingIcebergQty", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "workingTimeInForce", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "workingStrategyId", kind: Kind::Long, presence: Presence::Optional },
    Param { name: "workingStrategyType", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "workingPegPriceType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "workingPegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "workingPegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
];

/// The pending order of an OTO or OPO list (an OTO's also takes `pendingQuantity`).
const PENDING_LEG: &[Param] = &[
    Param { name: "pendingType", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "pendingSide", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "pendingClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "pendingPrice", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingStopPrice", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingTrailingDelta", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingIcebergQty", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingTimeInForce", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingStrategyId", kind: Kind::Long, presence: Presence::Optional },
    Param { name: "pendingStrategyType", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "pendingPegPriceType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingPegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingPegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
];

/// The pending above order of an OTOCO or OPOCO list.
const PENDING_ABOVE: &[Param] = &[
    Param { name: "pendingAboveType", kind: Kind::Enum, presence: Presence::Mandatory },
    Param { name: "pendingAboveClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "pendingAbovePrice", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingAboveStopPrice", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingAboveTrailingDelta", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingAboveIcebergQty", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingAboveTimeInForce", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingAboveStrategyId", kind: Kind::Long, presence: Presence::Optional },
    Param { name: "pendingAboveStrategyType", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "pendingAbovePegPriceType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingAbovePegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingAbovePegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
];

/// The pending below order of an OTOCO or OPOCO list.
const PENDING_BELOW: &[Param] = &[
    Param { name: "pendingBelowType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingBelowClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    Param { name: "pendingBelowPrice", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingBelowStopPrice", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingBelowTrailingDelta", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingBelowIcebergQty", kind: Kind::Decimal, presence: Presence::Optional },
    Param { name: "pendingBelowTimeInForce", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingBelowStrategyId", kind: Kind::Long, presence: Presence::Optional },
    Param { name: "pendingBelowStrategyType", kind: Kind::Int, presence: Presence::Optional },
    Param { name: "pendingBelowPegPriceType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingBelowPegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
    Param { name: "pendingBelowPegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
];

// General
/// GET `/api/v3/ping`: Test connectivity.
pub static PING: Endpoint = Endpoint {
    name: "Test connectivity",
    method: Method::Get,
    path: "/api/v3/ping",
    security: Security::None,
    weight: Weight::Fixed(1),
    params: &[],
    orders: 0,
    ws: &["ping"],
};

/// GET `/api/v3/time`: Check server time.
pub static TIME: Endpoint = Endpoint {
    name: "Check server time",
    method: Method::Get,
    path: "/api/v3/time",
    security: Security::None,
    weight: Weight::Fixed(1),
    params: &[],
    orders: 0,
    ws: &["time"],
};

/// GET `/api/v3/exchangeInfo`: Exchange information.
pub static EXCHANGE_INFO: Endpoint = Endpoint {
    name: "Exchange information",
    method: Method::Get,
    path: "/api/v3/exchangeInfo",
    security: Security::None,
    weight: Weight::Fixed(20),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbols", kind: Kind::StrArray, presence: Presence::Optional },
        Param { name: "permissions", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "showPermissionSets", kind: Kind::Bool, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["exchangeInfo"],
};

// `all` also covers `symbolStatus`: 40, same as no parameter.
/// GET `/api/v3/executionRules`: Query Execution Rules.
pub static EXECUTION_RULES: Endpoint = Endpoint {
    name: "Query Execution Rules",
    method: Method::Get,
    path: "/api/v3/executionRules",
    security: Security::None,
    weight: Weight::PerSymbol { per: 2, cap: 40 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbols", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["executionRules"],
};

// Market
/// GET `/api/v3/depth`: Order book.
pub static DEPTH: Endpoint = Endpoint {
    name: "Order book",
    method: Method::Get,
    path: "/api/v3/depth",
    security: Security::None,
    weight: Weight::ByLimit { default_limit: 100, steps: &[(100, 5), (500, 25), (1000, 50), (5000, 250)] },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["depth"],
};

/// GET `/api/v3/trades`: Recent trades list.
pub static TRADES: Endpoint = Endpoint {
    name: "Recent trades list",
    method: Method::Get,
    path: "/api/v3/trades",
    security: Security::None,
    weight: Weight::Fixed(25),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["trades.recent"],
};

/// GET `/api/v3/historicalTrades`: Old trade lookup.
pub static HISTORICAL_TRADES: Endpoint = Endpoint {
    name: "Old trade lookup",
    method: Method::Get,
    path: "/api/v3/historicalTrades",
    security: Security::None,
    weight: Weight::Fixed(25),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "fromId", kind: Kind::Long, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["trades.historical"],
};

/// GET `/api/v3/historicalBlockTrades`: Historical Block Trades.
pub static HISTORICAL_BLOCK_TRADES: Endpoint = Endpoint {
    name: "Historical Block Trades",
    method: Method::Get,
    path: "/api/v3/historicalBlockTrades",
    security: Security::None,
    weight: Weight::Fixed(25),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "fromId", kind: Kind::Long, presence: Presence::Mandatory },
        Param { name: "limit", kind: Kind::Long, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["blockTrades.historical"],
};

/// GET `/api/v3/aggTrades`: Compressed/Aggregate trades list.
pub static AGG_TRADES: Endpoint = Endpoint {
    name: "Compressed/Aggregate trades list",
    method: Method::Get,
    path: "/api/v3/aggTrades",
    security: Security::None,
    weight: Weight::Fixed(4),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "fromId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["trades.aggregate"],
};

/// GET `/api/v3/klines`: Kline/Candlestick data.
pub static KLINES: Endpoint = Endpoint {
    name: "Kline/Candlestick data",
    method: Method::Get,
    path: "/api/v3/klines",
    security: Security::None,
    weight: Weight::Fixed(2),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "interval", kind: Kind::Enum, presence: Presence::Mandatory },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "timeZone", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["klines"],
};

/// GET `/api/v3/uiKlines`: UIKlines.
pub static UI_KLINES: Endpoint = Endpoint {
    name: "UIKlines",
    method: Method::Get,
    path: "/api/v3/uiKlines",
    security: Security::None,
    weight: Weight::Fixed(2),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "interval", kind: Kind::Enum, presence: Presence::Mandatory },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "timeZone", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["uiKlines"],
};

/// GET `/api/v3/avgPrice`: Current average price.
pub static AVG_PRICE: Endpoint = Endpoint {
    name: "Current average price",
    method: Method::Get,
    path: "/api/v3/avgPrice",
    security: Security::None,
    weight: Weight::Fixed(2),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &["avgPrice"],
};

/// GET `/api/v3/ticker/24hr`: 24hr ticker price change statistics.
pub static TICKER_24HR: Endpoint = Endpoint {
    name: "24hr ticker price change statistics",
    method: Method::Get,
    path: "/api/v3/ticker/24hr",
    security: Security::None,
    weight: Weight::BySymbols { single: 2, list: &[(20, 2), (100, 40), (u32::MAX, 80)], all: 80 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbols", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "type", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["ticker.24hr"],
};

// `symbol` or `symbols` is mandatory; `all` (neither sent) is set to the 200 cap.
/// GET `/api/v3/ticker/tradingDay`: Trading Day Ticker.
pub static TICKER_TRADING_DAY: Endpoint = Endpoint {
    name: "Trading Day Ticker",
    method: Method::Get,
    path: "/api/v3/ticker/tradingDay",
    security: Security::None,
    weight: Weight::PerSymbol { per: 4, cap: 200 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::OneOf(&["symbol", "symbols"]) },
        Param { name: "symbols", kind: Kind::Str, presence: Presence::OneOf(&["symbol", "symbols"]) },
        Param { name: "timeZone", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "type", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["ticker.tradingDay"],
};

/// GET `/api/v3/ticker/price`: Symbol price ticker.
pub static TICKER_PRICE: Endpoint = Endpoint {
    name: "Symbol price ticker",
    method: Method::Get,
    path: "/api/v3/ticker/price",
    security: Security::None,
    weight: Weight::BySymbols { single: 2, list: &[(u32::MAX, 4)], all: 4 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbols", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["ticker.price"],
};

/// GET `/api/v3/ticker/bookTicker`: Symbol order book ticker.
pub static TICKER_BOOK: Endpoint = Endpoint {
    name: "Symbol order book ticker",
    method: Method::Get,
    path: "/api/v3/ticker/bookTicker",
    security: Security::None,
    weight: Weight::BySymbols { single: 2, list: &[(u32::MAX, 4)], all: 4 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbols", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["ticker.book"],
};

// `symbol` or `symbols` is mandatory; `all` (neither sent) is set to the 200 cap. Any `windowSize`.
/// GET `/api/v3/ticker`: Rolling window price change statistics.
pub static TICKER_ROLLING: Endpoint = Endpoint {
    name: "Rolling window price change statistics",
    method: Method::Get,
    path: "/api/v3/ticker",
    security: Security::None,
    weight: Weight::PerSymbol { per: 4, cap: 200 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::OneOf(&["symbol", "symbols"]) },
        Param { name: "symbols", kind: Kind::Str, presence: Presence::OneOf(&["symbol", "symbols"]) },
        Param { name: "windowSize", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "type", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["ticker"],
};

/// GET `/api/v3/referencePrice`: Query Reference Price.
pub static REFERENCE_PRICE: Endpoint = Endpoint {
    name: "Query Reference Price",
    method: Method::Get,
    path: "/api/v3/referencePrice",
    security: Security::None,
    weight: Weight::Fixed(2),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &["referencePrice"],
};

/// GET `/api/v3/referencePrice/calculation`: Query Reference Price Calculation.
pub static REFERENCE_PRICE_CALCULATION: Endpoint = Endpoint {
    name: "Query Reference Price Calculation",
    method: Method::Get,
    path: "/api/v3/referencePrice/calculation",
    security: Security::None,
    weight: Weight::Fixed(2),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "symbolStatus", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["referencePrice.calculation"],
};

// Trading
/// POST `/api/v3/order`: New order.
pub static NEW_ORDER: Endpoint = Endpoint {
    name: "New order",
    method: Method::Post,
    path: "/api/v3/order",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[ORDER_PARAMS],
    orders: 1,
    ws: &["order.place"],
};

// Not modelled: 20 with `computeCommissionRates=true`; 1 is the base case.
/// POST `/api/v3/order/test`: Test new order.
pub static TEST_ORDER: Endpoint = Endpoint {
    name: "Test new order",
    method: Method::Post,
    path: "/api/v3/order/test",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[ORDER_PARAMS, COMPUTE_COMMISSION],
    orders: 0,
    ws: &["order.test"],
};

/// DELETE `/api/v3/order`: Cancel order.
pub static CANCEL_ORDER: Endpoint = Endpoint {
    name: "Cancel order",
    method: Method::Delete,
    path: "/api/v3/order",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[
        SYMBOL,
        ORDER_ID,
        &[
            Param { name: "newClientOrderId", kind: Kind::Str, presence: Presence::Optional },
            Param { name: "cancelRestrictions", kind: Kind::Enum, presence: Presence::Optional },
        ],
    ],
    orders: 0,
    ws: &["order.cancel"],
};

/// DELETE `/api/v3/openOrders`: Cancel All Open Orders on a Symbol.
pub static CANCEL_OPEN_ORDERS: Endpoint = Endpoint {
    name: "Cancel All Open Orders on a Symbol",
    method: Method::Delete,
    path: "/api/v3/openOrders",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &["openOrders.cancelAll"],
};

/// POST `/api/v3/order/cancelReplace`: Cancel an Existing Order and Send a New Order.
pub static CANCEL_REPLACE: Endpoint = Endpoint {
    name: "Cancel an Existing Order and Send a New Order",
    method: Method::Post,
    path: "/api/v3/order/cancelReplace",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[
        ORDER_PARAMS,
        &[
            Param { name: "cancelReplaceMode", kind: Kind::Enum, presence: Presence::Mandatory },
            Param { name: "cancelNewClientOrderId", kind: Kind::Str, presence: Presence::Optional },
            Param {
                name: "cancelOrigClientOrderId",
                kind: Kind::Str,
                presence: Presence::OneOf(&["cancelOrderId", "cancelOrigClientOrderId"]),
            },
            Param {
                name: "cancelOrderId",
                kind: Kind::Long,
                presence: Presence::OneOf(&["cancelOrderId", "cancelOrigClientOrderId"]),
            },
            Param { name: "cancelRestrictions", kind: Kind::Enum, presence: Presence::Optional },
            Param { name: "orderRateLimitExceededMode", kind: Kind::Enum, presence: Presence::Optional },
        ],
    ],
    orders: 1,
    ws: &["order.cancelReplace"],
};

/// PUT `/api/v3/order/amend/keepPriority`: Order Amend Keep Priority.
pub static AMEND_KEEP_PRIORITY: Endpoint = Endpoint {
    name: "Order Amend Keep Priority",
    method: Method::Put,
    path: "/api/v3/order/amend/keepPriority",
    security: Security::Trade,
    weight: Weight::Fixed(4),
    params: &[
        SYMBOL,
        ORDER_ID,
        &[
            Param { name: "newClientOrderId", kind: Kind::Str, presence: Presence::Optional },
            Param { name: "newQty", kind: Kind::Decimal, presence: Presence::Mandatory },
        ],
    ],
    orders: 0,
    ws: &["order.amend.keepPriority"],
};

// Order lists
// Deprecated in the docs.
/// POST `/api/v3/order/oco`: New OCO.
pub static NEW_OCO_DEPRECATED: Endpoint = Endpoint {
    name: "New OCO",
    method: Method::Post,
    path: "/api/v3/order/oco",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "listClientOrderId", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "side", kind: Kind::Enum, presence: Presence::Mandatory },
        Param { name: "quantity", kind: Kind::Decimal, presence: Presence::Mandatory },
        Param { name: "limitClientOrderId", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "price", kind: Kind::Decimal, presence: Presence::Mandatory },
        Param { name: "limitStrategyId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limitStrategyType", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "limitIcebergQty", kind: Kind::Decimal, presence: Presence::Optional },
        Param {
            name: "trailingDelta",
            kind: Kind::Long,
            presence: Presence::OneOf(&["stopPrice", "trailingDelta"]),
        },
        Param { name: "stopClientOrderId", kind: Kind::Str, presence: Presence::Optional },
        Param {
            name: "stopPrice",
            kind: Kind::Decimal,
            presence: Presence::OneOf(&["stopPrice", "trailingDelta"]),
        },
        Param { name: "stopStrategyId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "stopStrategyType", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "stopLimitPrice", kind: Kind::Decimal, presence: Presence::Optional },
        Param { name: "stopIcebergQty", kind: Kind::Decimal, presence: Presence::Optional },
        Param {
            name: "stopLimitTimeInForce",
            kind: Kind::Enum,
            presence: Presence::When("stopLimitPrice is sent"),
        },
        Param { name: "newOrderRespType", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "selfTradePreventionMode", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 2,
    ws: &["orderList.place"],
};

/// POST `/api/v3/orderList/oco`: New Order list - OCO.
pub static NEW_OCO: Endpoint = Endpoint {
    name: "New Order list - OCO",
    method: Method::Post,
    path: "/api/v3/orderList/oco",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "listClientOrderId", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "side", kind: Kind::Enum, presence: Presence::Mandatory },
        Param { name: "quantity", kind: Kind::Decimal, presence: Presence::Mandatory },
        Param { name: "aboveType", kind: Kind::Enum, presence: Presence::Mandatory },
        Param { name: "aboveClientOrderId", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "aboveIcebergQty", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "abovePrice", kind: Kind::Decimal, presence: Presence::Optional },
        Param { name: "aboveStopPrice", kind: Kind::Decimal, presence: Presence::Optional },
        Param { name: "aboveTrailingDelta", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "aboveTimeInForce", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "aboveStrategyId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "aboveStrategyType", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "abovePegPriceType", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "abovePegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "abovePegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "belowType", kind: Kind::Enum, presence: Presence::Mandatory },
        Param { name: "belowClientOrderId", kind: Kind::Str, presence: Presence::Optional },
        Param { name: "belowIcebergQty", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "belowPrice", kind: Kind::Decimal, presence: Presence::Optional },
        Param { name: "belowStopPrice", kind: Kind::Decimal, presence: Presence::Optional },
        Param { name: "belowTrailingDelta", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "belowTimeInForce", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "belowStrategyId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "belowStrategyType", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "belowPegPriceType", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "belowPegOffsetType", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "belowPegOffsetValue", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "newOrderRespType", kind: Kind::Enum, presence: Presence::Optional },
        Param { name: "selfTradePreventionMode", kind: Kind::Enum, presence: Presence::Optional },
    ]],
    orders: 2,
    ws: &["orderList.place.oco"],
};

/// POST `/api/v3/orderList/oto`: New Order list - OTO.
pub static NEW_OTO: Endpoint = Endpoint {
    name: "New Order list - OTO",
    method: Method::Post,
    path: "/api/v3/orderList/oto",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[
        LIST_PARAMS,
        WORKING_LEG,
        PENDING_LEG,
        &[Param { name: "pendingQuantity", kind: Kind::Decimal, presence: Presence::Mandatory }],
    ],
    orders: 2,
    ws: &["orderList.place.oto"],
};

/// POST `/api/v3/orderList/otoco`: New Order list - OTOCO.
pub static NEW_OTOCO: Endpoint = Endpoint {
    name: "New Order list - OTOCO",
    method: Method::Post,
    path: "/api/v3/orderList/otoco",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[
        LIST_PARAMS,
        WORKING_LEG,
        PENDING_ABOVE,
        PENDING_BELOW,
        &[
            Param { name: "pendingSide", kind: Kind::Enum, presence: Presence::Mandatory },
            Param { name: "pendingQuantity", kind: Kind::Decimal, presence: Presence::Mandatory },
        ],
    ],
    orders: 3,
    ws: &["orderList.place.otoco"],
};

/// POST `/api/v3/orderList/opo`: New Order List - OPO.
pub static NEW_OPO: Endpoint = Endpoint {
    name: "New Order List - OPO",
    method: Method::Post,
    path: "/api/v3/orderList/opo",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[LIST_PARAMS, WORKING_LEG, PENDING_LEG],
    orders: 2,
    ws: &["orderList.place.opo"],
};

/// POST `/api/v3/orderList/opoco`: New Order List - OPOCO.
pub static NEW_OPOCO: Endpoint = Endpoint {
    name: "New Order List - OPOCO",
    method: Method::Post,
    path: "/api/v3/orderList/opoco",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[
        LIST_PARAMS,
        WORKING_LEG,
        PENDING_ABOVE,
        PENDING_BELOW,
        &[Param { name: "pendingSide", kind: Kind::Enum, presence: Presence::Mandatory }],
    ],
    orders: 3,
    ws: &["orderList.place.opoco"],
};

/// DELETE `/api/v3/orderList`: Cancel Order list.
pub static CANCEL_ORDER_LIST: Endpoint = Endpoint {
    name: "Cancel Order list",
    method: Method::Delete,
    path: "/api/v3/orderList",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param {
            name: "orderListId",
            kind: Kind::Long,
            presence: Presence::OneOf(&["orderListId", "listClientOrderId"]),
        },
        Param {
            name: "listClientOrderId",
            kind: Kind::Str,
            presence: Presence::OneOf(&["orderListId", "listClientOrderId"]),
        },
        Param { name: "newClientOrderId", kind: Kind::Str, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["orderList.cancel"],
};

// SOR
/// POST `/api/v3/sor/order`: New order using SOR.
pub static SOR_ORDER: Endpoint = Endpoint {
    name: "New order using SOR",
    method: Method::Post,
    path: "/api/v3/sor/order",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[SOR_PARAMS],
    orders: 1,
    ws: &["sor.order.place"],
};

// Not modelled: 20 with `computeCommissionRates=true`; 1 is the base case.
/// POST `/api/v3/sor/order/test`: Test new order using SOR.
pub static SOR_ORDER_TEST: Endpoint = Endpoint {
    name: "Test new order using SOR",
    method: Method::Post,
    path: "/api/v3/sor/order/test",
    security: Security::Trade,
    weight: Weight::Fixed(1),
    params: &[SOR_PARAMS, COMPUTE_COMMISSION],
    orders: 0,
    ws: &["sor.order.test"],
};

// Account
/// GET `/api/v3/account`: Account information.
pub static ACCOUNT: Endpoint = Endpoint {
    name: "Account information",
    method: Method::Get,
    path: "/api/v3/account",
    security: Security::UserData,
    weight: Weight::Fixed(20),
    params: &[&[Param { name: "omitZeroBalances", kind: Kind::Bool, presence: Presence::Optional }]],
    orders: 0,
    ws: &["account.status"],
};

/// GET `/api/v3/order`: Query order.
pub static QUERY_ORDER: Endpoint = Endpoint {
    name: "Query order",
    method: Method::Get,
    path: "/api/v3/order",
    security: Security::UserData,
    weight: Weight::Fixed(4),
    params: &[SYMBOL, ORDER_ID],
    orders: 0,
    ws: &["order.status"],
};

/// GET `/api/v3/openOrders`: Current open orders.
pub static OPEN_ORDERS: Endpoint = Endpoint {
    name: "Current open orders",
    method: Method::Get,
    path: "/api/v3/openOrders",
    security: Security::UserData,
    weight: Weight::BySymbolPresence { with: 6, without: 80 },
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Optional }]],
    orders: 0,
    ws: &["openOrders.status"],
};

/// GET `/api/v3/allOrders`: All orders.
pub static ALL_ORDERS: Endpoint = Endpoint {
    name: "All orders",
    method: Method::Get,
    path: "/api/v3/allOrders",
    security: Security::UserData,
    weight: Weight::Fixed(20),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "orderId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["allOrders"],
};

/// GET `/api/v3/orderList`: Query Order list.
pub static QUERY_ORDER_LIST: Endpoint = Endpoint {
    name: "Query Order list",
    method: Method::Get,
    path: "/api/v3/orderList",
    security: Security::UserData,
    weight: Weight::Fixed(4),
    params: &[&[
        Param {
            name: "orderListId",
            kind: Kind::Long,
            presence: Presence::OneOf(&["orderListId", "origClientOrderId"]),
        },
        Param {
            name: "origClientOrderId",
            kind: Kind::Str,
            presence: Presence::OneOf(&["orderListId", "origClientOrderId"]),
        },
    ]],
    orders: 0,
    ws: &["orderList.status"],
};

/// GET `/api/v3/allOrderList`: Query all Order lists.
pub static ALL_ORDER_LISTS: Endpoint = Endpoint {
    name: "Query all Order lists",
    method: Method::Get,
    path: "/api/v3/allOrderList",
    security: Security::UserData,
    weight: Weight::Fixed(20),
    params: &[&[
        Param { name: "fromId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["allOrderLists"],
};

/// GET `/api/v3/openOrderList`: Query Open Order lists.
pub static OPEN_ORDER_LISTS: Endpoint = Endpoint {
    name: "Query Open Order lists",
    method: Method::Get,
    path: "/api/v3/openOrderList",
    security: Security::UserData,
    weight: Weight::Fixed(6),
    params: &[],
    orders: 0,
    ws: &["openOrderLists.status"],
};

// Not modelled: 5 with `orderId`; 20 (without `orderId`) is the base case.
/// GET `/api/v3/myTrades`: Account trade list.
pub static MY_TRADES: Endpoint = Endpoint {
    name: "Account trade list",
    method: Method::Get,
    path: "/api/v3/myTrades",
    security: Security::UserData,
    weight: Weight::ByParamPresence { param: "orderId", with: 5, without: 20 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "orderId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "fromId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["myTrades"],
};

/// GET `/api/v3/rateLimit/order`: Query Unfilled Order Count.
pub static UNFILLED_ORDER_COUNT: Endpoint = Endpoint {
    name: "Query Unfilled Order Count",
    method: Method::Get,
    path: "/api/v3/rateLimit/order",
    security: Security::UserData,
    weight: Weight::Fixed(40),
    params: &[],
    orders: 0,
    ws: &["account.rateLimits.orders"],
};

// 2 by `preventedMatchId`, 20 by `orderId`. An invalid `symbol` costs 2 as well: only the answer
// knows that (the sandbox's handler reports it).
/// GET `/api/v3/myPreventedMatches`: Query Prevented Matches.
pub static MY_PREVENTED_MATCHES: Endpoint = Endpoint {
    name: "Query Prevented Matches",
    method: Method::Get,
    path: "/api/v3/myPreventedMatches",
    security: Security::UserData,
    weight: Weight::ByParamPresence { param: "preventedMatchId", with: 2, without: 20 },
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "preventedMatchId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "orderId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "fromPreventedMatchId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["myPreventedMatches"],
};

/// GET `/api/v3/myAllocations`: Query Allocations.
pub static MY_ALLOCATIONS: Endpoint = Endpoint {
    name: "Query Allocations",
    method: Method::Get,
    path: "/api/v3/myAllocations",
    security: Security::UserData,
    weight: Weight::Fixed(20),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "startTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "endTime", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "fromAllocationId", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Int, presence: Presence::Optional },
        Param { name: "orderId", kind: Kind::Long, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["myAllocations"],
};

/// GET `/api/v3/account/commission`: Query Commission Rates.
pub static COMMISSION: Endpoint = Endpoint {
    name: "Query Commission Rates",
    method: Method::Get,
    path: "/api/v3/account/commission",
    security: Security::UserData,
    weight: Weight::Fixed(20),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &["account.commission"],
};

/// GET `/api/v3/order/amendments`: Query Order Amendments.
pub static ORDER_AMENDMENTS: Endpoint = Endpoint {
    name: "Query Order Amendments",
    method: Method::Get,
    path: "/api/v3/order/amendments",
    security: Security::UserData,
    weight: Weight::Fixed(4),
    params: &[&[
        Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory },
        Param { name: "orderId", kind: Kind::Long, presence: Presence::Mandatory },
        Param { name: "fromExecutionId", kind: Kind::Long, presence: Presence::Optional },
        Param { name: "limit", kind: Kind::Long, presence: Presence::Optional },
    ]],
    orders: 0,
    ws: &["order.amendments"],
};

/// GET `/api/v3/myFilters`: Query relevant filters.
pub static MY_FILTERS: Endpoint = Endpoint {
    name: "Query relevant filters",
    method: Method::Get,
    path: "/api/v3/myFilters",
    security: Security::UserData,
    weight: Weight::Fixed(40),
    params: &[&[Param { name: "symbol", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &["myFilters"],
};

// User data stream (retired): legacy/rest-userdatastream-listenkey-2025-08.md
/// POST `/api/v3/userDataStream`: Start user data stream.
pub static USER_STREAM_START: Endpoint = Endpoint {
    name: "Start user data stream",
    method: Method::Post,
    path: "/api/v3/userDataStream",
    security: Security::UserStream,
    weight: Weight::Fixed(2),
    params: &[],
    orders: 0,
    ws: &[],
};

/// PUT `/api/v3/userDataStream`: Keepalive user data stream.
pub static USER_STREAM_KEEPALIVE: Endpoint = Endpoint {
    name: "Keepalive user data stream",
    method: Method::Put,
    path: "/api/v3/userDataStream",
    security: Security::UserStream,
    weight: Weight::Fixed(2),
    params: &[&[Param { name: "listenKey", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &[],
};

/// DELETE `/api/v3/userDataStream`: Close user data stream.
pub static USER_STREAM_CLOSE: Endpoint = Endpoint {
    name: "Close user data stream",
    method: Method::Delete,
    path: "/api/v3/userDataStream",
    security: Security::UserStream,
    weight: Weight::Fixed(2),
    params: &[&[Param { name: "listenKey", kind: Kind::Str, presence: Presence::Mandatory }]],
    orders: 0,
    ws: &[],
};

/// What replaces the listenKey endpoints (CHANGELOG.md, 2026-02-20).
const USER_STREAM_INSTEAD: &str = "subscribe to the User Data Stream on the WebSocket API (userDataStream.subscribe after session.logon, or userDataStream.subscribe.signature)";

/// The order endpoints (and their WebSocket API methods) whose request weight is 0 when the request
/// succeeds (CHANGELOG 2026-03-27, from 2026-04-02); a failed one is charged the table's weight.
/// `order/amend/keepPriority` is listed there too but, by the 2026-04-02 clarification, weighs
/// nothing only when the amendment expires the order: its handler says so.
pub static FREE_ON_SUCCESS: &[&Endpoint] = &[
    &NEW_ORDER,
    &SOR_ORDER,
    &CANCEL_ORDER,
    &CANCEL_OPEN_ORDERS,
    &CANCEL_REPLACE,
    &NEW_OCO_DEPRECATED,
    &NEW_OCO,
    &NEW_OTO,
    &NEW_OTOCO,
    &NEW_OPO,
    &NEW_OPOCO,
    &CANCEL_ORDER_LIST,
];

/// The endpoints Binance spot has retired, with their WebSocket API methods (CHANGELOG 2026-01-21;
/// Binance.US still serves them).
pub static RETIRED: &[Retirement] = &[
    Retirement {
        endpoint: &USER_STREAM_START,
        ws: "userDataStream.start",
        on: "2026-02-20",
        instead: USER_STREAM_INSTEAD,
    },
    Retirement {
        endpoint: &USER_STREAM_KEEPALIVE,
        ws: "userDataStream.ping",
        on: "2026-02-20",
        instead: USER_STREAM_INSTEAD,
    },
    Retirement {
        endpoint: &USER_STREAM_CLOSE,
        ws: "userDataStream.stop",
        on: "2026-02-20",
        instead: USER_STREAM_INSTEAD,
    },
];

/// Every spot REST endpoint mbx knows, in rest-api.md's order, then the retired listenKey ones.
pub static SPOT: &[&Endpoint] = &[
    &PING,
    &TIME,
    &EXCHANGE_INFO,
    &EXECUTION_RULES,
    &DEPTH,
    &TRADES,
    &HISTORICAL_TRADES,
    &HISTORICAL_BLOCK_TRADES,
    &AGG_TRADES,
    &KLINES,
    &UI_KLINES,
    &AVG_PRICE,
    &TICKER_24HR,
    &TICKER_TRADING_DAY,
    &TICKER_PRICE,
    &TICKER_BOOK,
    &TICKER_ROLLING,
    &REFERENCE_PRICE,
    &REFERENCE_PRICE_CALCULATION,
    &NEW_ORDER,
    &TEST_ORDER,
    &CANCEL_ORDER,
    &CANCEL_OPEN_ORDERS,
    &CANCEL_REPLACE,
    &AMEND_KEEP_PRIORITY,
    &NEW_OCO_DEPRECATED,
    &NEW_OCO,
    &NEW_OTO,
    &NEW_OTOCO,
    &NEW_OPO,
    &NEW_OPOCO,
    &CANCEL_ORDER_LIST,
    &SOR_ORDER,
    &SOR_ORDER_TEST,
    &ACCOUNT,
    &QUERY_ORDER,
    &OPEN_ORDERS,
    &ALL_ORDERS,
    &QUERY_ORDER_LIST,
    &ALL_ORDER_LISTS,
    &OPEN_ORDER_LISTS,
    &MY_TRADES,
    &UNFILLED_ORDER_COUNT,
    &MY_PREVENTED_MATCHES,
    &MY_ALLOCATIONS,
    &COMMISSION,
    &ORDER_AMENDMENTS,
    &MY_FILTERS,
    &USER_STREAM_START,
    &USER_STREAM_KEEPALIVE,
    &USER_STREAM_CLOSE,
];

/// The WebSocket API's session and user-data-stream methods, which have no REST form.
pub static WS_SESSION: &[WsSession] = &[
    // Signed like a USER_DATA request, whatever the key's permissions.
    WsSession { name: "session.logon", security: Security::UserData, weight: 2, params: &[] },
    WsSession { name: "session.status", security: Security::None, weight: 2, params: &[] },
    WsSession { name: "session.logout", security: Security::None, weight: 2, params: &[] },
    // Needs a session logged on with session.logon.
    WsSession { name: "userDataStream.subscribe", security: Security::UserStream, weight: 2, params: &[] },
    WsSession {
        name: "userDataStream.unsubscribe",
        security: Security::None,
        weight: 2,
        params: &[Param { name: "subscriptionId", kind: Kind::Int, presence: Presence::Optional }],
    },
    WsSession { name: "session.subscriptions", security: Security::None, weight: 2, params: &[] },
    // Signed (apiKey, timestamp, signature) though its heading says USER_STREAM.
    WsSession {
        name: "userDataStream.subscribe.signature",
        security: Security::UserData,
        weight: 2,
        params: &[],
    },
];
