//! Account endpoints: `account`, `account/commission`, `order` (query), `openOrders`, `allOrders`,
//! `myTrades`, `rateLimit/order`, `myFilters`.

use super::Reply;
use rust_decimal::Decimal;
use serde_json::json;

use mbx_core::{ApiError, ErrorCode, Params};

use super::trading::order_ref;
use super::{json, json_value, reports};
use crate::error::{Result, SandboxError, StoreError};
use crate::extract::{Signed, limit, optional, optional_bool, optional_long, required};
use crate::state::AppState;
use crate::store::History;
use crate::write::decimal::fixed8;
use crate::write::json::array;

/// A commission rate in Binance's integer form (`0.001` -> `10`, in units of 0.0001).
fn basis(rate: Decimal) -> i64 {
    (rate * Decimal::from(10_000)).trunc().try_into().unwrap_or(0)
}

/// `GET /api/v3/account` (USER_DATA), with `omitZeroBalances`, in the docs' field order. Balances come
/// from the engine's committed view, without a trip to the engine thread, already rendered as JSON;
/// the rest is one `format!` (this is the route trading clients poll most).
pub async fn account(state: AppState, signed: Signed) -> Result<Reply> {
    let omit_zero = optional_bool(&signed.params, "omitZeroBalances")?.unwrap_or(false);
    let view = view_of(&state, &signed)?;
    let market = state.market();
    let basis = basis(market.commission());
    Ok(json(format!(
        concat!(
            r#"{{"makerCommission":{basis},"takerCommission":{basis},"buyerCommission":0,"sellerCommission":0,"#,
            r#""commissionRates":{rates},"canTrade":{trade},"canWithdraw":false,"canDeposit":true,"#,
            r#""brokered":false,"requireSelfTradePrevention":false,"preventSor":false,"updateTime":{update},"#,
            r#""accountType":"SPOT","balances":{balances},"permissions":["SPOT"],"uid":{uid}}}"#
        ),
        basis = basis,
        rates = market.commission_rates_json(),
        trade = signed.key.permissions.trade,
        update = view.snapshot.update_ms,
        balances = view.balances_json(omit_zero),
        uid = view.snapshot.account_id,
    )))
}

/// The committed view of the signing key's account (its balances). A key whose account does not
/// exist is a corrupt store, not the client's mistake.
pub(crate) fn view_of(
    state: &AppState,
    signed: &Signed,
) -> Result<std::sync::Arc<crate::engine::AccountView>> {
    let account_id = signed.key.account_id;
    state.engine().account(account_id).ok_or_else(|| {
        SandboxError::Store(StoreError::Corrupt {
            what: "api_keys.account_id",
            detail: format!("key points at account {account_id}, which does not exist"),
        })
    })
}

/// The commission block shared by `account/commission` and `order/test`.
pub fn commission_rates(rate: Decimal, with_buyer_seller: bool) -> serde_json::Value {
    let zero = fixed8(Decimal::ZERO);
    let mut v = json!({ "maker": fixed8(rate), "taker": fixed8(rate) });
    if with_buyer_seller {
        v["buyer"] = json!(zero);
        v["seller"] = json!(zero);
    }
    v
}

/// The BNB discount block.
pub fn discount() -> serde_json::Value {
    json!({
        "enabledForAccount": true,
        "enabledForSymbol": true,
        "discountAsset": "BNB",
        "discount": fixed8(Decimal::new(25, 2)),
    })
}

/// `GET /api/v3/account/commission` (USER_DATA): `symbol` is mandatory.
pub async fn commission(state: AppState, signed: Signed) -> Result<Reply> {
    let symbol = state.market().require(required(&signed.params, "symbol")?)?;
    let rate = state.market().commission();
    Ok(json_value(&json!({
        "symbol": symbol.symbol,
        "standardCommission": commission_rates(rate, true),
        "specialCommission": commission_rates(Decimal::ZERO, true),
        "taxCommission": commission_rates(Decimal::ZERO, true),
        "discount": discount(),
    })))
}

/// `GET /api/v3/order` (USER_DATA): one order by `orderId` or `origClientOrderId`; `-2013 Order does
/// not exist.` when the account has none that matches.
pub async fn query_order(state: AppState, signed: Signed) -> Result<Reply> {
    let symbol = state.market().require_index(required(&signed.params, "symbol")?)?;
    let which = order_ref(&mbx_core::endpoint::spot::QUERY_ORDER, &signed.params)?;
    let hint = format!(
        "No order of this account on {} has {}; check the symbol and the id.",
        state.market().symbols()[symbol].symbol,
        match (&which.order_id, &which.client_order_id) {
            (Some(id), Some(cid)) => format!("orderId {id} with clientOrderId {cid:?}"),
            (Some(id), None) => format!("orderId {id}"),
            (_, Some(cid)) => format!("clientOrderId {cid:?}"),
            (None, None) => String::new(),
        }
    );
    let both = which.order_id.zip(which.client_order_id.clone());
    let order = state.engine().order(signed.key.account_id, symbol, which).await?;
    let order = match (order, both) {
        (Some(order), _) => order,
        // Both ids and no order with the two: `-2039` when the orderId is an order of the account's
        // with another client id (CHANGELOG 2025-04-08), else `-2013`.
        (None, Some((id, cid))) => {
            let by_id = crate::engine::OrderRef { order_id: Some(id), client_order_id: None };
            let code = match state.engine().order(signed.key.account_id, symbol, by_id).await? {
                Some(_) => ErrorCode::CLIENT_ORDER_ID_INVALID,
                None => ErrorCode::NO_SUCH_ORDER,
            };
            let hint = if code == ErrorCode::CLIENT_ORDER_ID_INVALID {
                format!(
                    "Order {id} exists, but its clientOrderId is not {cid:?}; send one of the two, or the pair that belongs together."
                )
            } else {
                hint
            };
            return Err(SandboxError::rejected(ApiError::new(code), hint));
        }
        (None, None) => return Err(SandboxError::rejected(ApiError::new(ErrorCode::NO_SUCH_ORDER), hint)),
    };
    Ok(json(reports::query(&order)))
}

/// `GET /api/v3/openOrders` (USER_DATA): open orders on `symbol`, or on every symbol without it.
pub async fn open_orders(state: AppState, signed: Signed) -> Result<Reply> {
    let symbol = match optional(&signed.params, "symbol")? {
        Some(s) => Some(state.market().require_index(s)?),
        None => None,
    };
    let orders = state.engine().open_orders(signed.key.account_id, symbol).await?;
    Ok(json(array(orders.iter().map(reports::query))))
}

/// `GET /api/v3/rateLimit/order` (USER_DATA): the account's unfilled order count in the current
/// 10-second and day windows, with the limits.
pub async fn unfilled_order_count(state: AppState, signed: Signed) -> Result<Reply> {
    let limits = state.market().rate_limits();
    let (ten_s, day) = state.order_counts().get(signed.key.account_id, state.clock().now_ms());
    Ok(json_value(&json!([
        {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": limits.orders_per_10s, "count": ten_s},
        {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": limits.orders_per_day, "count": day},
    ])))
}

/// `GET /api/v3/myFilters` (USER_DATA): the filters that apply to this account on `symbol`: no
/// exchange filters (the sandbox sets none), the symbol's per-account filters (the `MAX_NUM_*`
/// family, as `exchangeInfo` lists them) and no `MAX_ASSET` (sandbox accounts have no asset limit).
pub async fn my_filters(state: AppState, signed: Signed) -> Result<Reply> {
    let market = state.market();
    let symbol = market.require_index(required(&signed.params, "symbol")?)?;
    let filters = market.symbol_filters(symbol);
    let per_account: Vec<&serde_json::Value> = filters
        .iter()
        .filter(|f| f.get("filterType").and_then(|t| t.as_str()).is_some_and(|t| t.starts_with("MAX_NUM_")))
        .collect();
    Ok(json_value(&json!({
        "exchangeFilters": [],
        "symbolFilters": per_account,
        "assetFilters": [],
    })))
}

/// The history parameters of endpoint `e` (`allOrders`, `myTrades`, `allOrderList`): its window
/// read and checked by mbx-core's [`mbx_core::order::history_window`] (milliseconds or
/// microseconds; at most 24 hours apart).
pub(crate) fn history(e: &mbx_core::endpoint::Endpoint, params: &Params, from_name: &str) -> Result<History> {
    let (start_ms, end_ms) = mbx_core::order::history_window(e, params)?;
    Ok(History {
        order_id: None,
        from_id: optional_long(params, from_name)?,
        start_ms,
        end_ms,
        limit: limit(params, 500, 1000)?,
    })
}

/// `GET /api/v3/allOrders` (USER_DATA): the account's orders on `symbol`, open and closed, oldest
/// first; from `orderId` upwards, or the most recent.
pub async fn all_orders(state: AppState, signed: Signed) -> Result<Reply> {
    let symbol = state.market().require_index(required(&signed.params, "symbol")?)?;
    let h = history(&mbx_core::endpoint::spot::ALL_ORDERS, &signed.params, "orderId")?;
    let orders = state.engine().all_orders(signed.key.account_id, symbol, h).await?;
    Ok(json(array(orders.iter().map(reports::query))))
}

/// `GET /api/v3/myTrades` (USER_DATA): the account's trades on `symbol`, oldest first; from `fromId`
/// upwards, or the most recent; with `orderId`, that order's only.
pub async fn my_trades(state: AppState, signed: Signed) -> Result<Reply> {
    let params = &signed.params;
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    let mut h = history(&mbx_core::endpoint::spot::MY_TRADES, params, "fromId")?;
    h.order_id = optional_long(params, "orderId")?;
    mbx_core::order::combinations(&mbx_core::endpoint::spot::MY_TRADES, params)?;
    let fills = state.engine().my_trades(signed.key.account_id, symbol, h).await?;
    Ok(json(array(fills.iter().map(reports::my_trade))))
}
