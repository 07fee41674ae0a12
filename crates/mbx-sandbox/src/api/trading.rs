//! Trading endpoints: `order` (new, cancel), `order/test`, `openOrders` (cancel all),
//! `order/cancelReplace`. Order lists are in [`super::order_lists`], order amend keep priority in
//! [`super::amend`], SOR orders in [`super::sor`].
//!
//! Every answer to `POST /api/v3/order` (and `order/cancelReplace`, `orderList/oco`), rejections
//! included, carries `X-MBX-ORDER-COUNT-10S` and
//! `X-MBX-ORDER-COUNT-1D` (an accepted order counts; a rejected one shows the count unchanged; see
//! [`crate::limits`] for fills). An order over either `ORDERS` limit is answered 429 `-1015` with
//! `Retry-After` and not placed.

use mbx_core::endpoint::spot;
use mbx_core::{ApiError, ErrorCode, Params};
use rust_decimal::Decimal;

use super::account::{commission_rates, discount};
use super::{Reply, json, json_value, reports};
use crate::engine::{CancelReplaceRequest, CancelRestriction, OrderRef, PlaceRequest};
use crate::error::{Rejection, Result, SandboxError};
use crate::extract::{Signed, optional, optional_bool, optional_long, required};
use crate::keys::random_client_id;
use crate::order::{NewOrder, check_at_average};
use crate::state::AppState;
use crate::write::json::{Object, array};

/// Length of a generated cancel `clientOrderId`.
const CLIENT_ID_LEN: usize = 22;

/// `POST /api/v3/order/test` (TRADE): checks the order as `POST /api/v3/order` would; answers `{}`, or
/// the commission rates with `computeCommissionRates=true` (weight 20).
pub async fn order_test(state: AppState, signed: Signed) -> Result<Reply> {
    let order = NewOrder::parse(&signed.params, state.market())?;
    test_answer(&state, &signed, &order, true).await
}

/// What a test order (`order/test`, `sor/order/test`) answers once `order` is read: the checks at the
/// average price, then `{}`, or with `computeCommissionRates=true` the rates (weight 20);
/// `special` adds `specialCommissionForOrder` (`order/test` has it, `sor/order/test` does not).
pub(crate) async fn test_answer(
    state: &AppState,
    signed: &Signed,
    order: &NewOrder<'_>,
    special: bool,
) -> Result<Reply> {
    let compute = optional_bool(&signed.params, "computeCommissionRates")?.unwrap_or(false);
    let symbol = state.market().require_index(&order.symbol.symbol)?;
    let averages = state.engine().average_prices(symbol, state.clock().now_ms()).await?;
    check_at_average(&order.terms, order.symbol, averages)?;
    if !compute {
        return Ok(json("{}".to_owned()));
    }
    let rate = state.market().commission();
    let mut answer = serde_json::Map::new();
    answer.insert("standardCommissionForOrder".into(), commission_rates(rate, false));
    if special {
        answer.insert("specialCommissionForOrder".into(), commission_rates(Decimal::ZERO, false));
    }
    answer.insert("taxCommissionForOrder".into(), commission_rates(Decimal::ZERO, false));
    answer.insert("discount".into(), discount());
    Ok(json_value(&serde_json::Value::Object(answer)).weighing(20))
}

/// `POST /api/v3/order` (TRADE): places an order; answers `ACK`, `RESULT` or `FULL` (the default for
/// MARKET and LIMIT) once the order, its trades and the balances are committed.
pub async fn new_order(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    let placing = place(&state, &signed.params, account, now);
    let (result, counts) = counted(&state, account, now, spot::NEW_ORDER.orders, placing).await;
    // Planned faults and chaos apply around this handler (`crate::faults::order_placement`).
    let reply = Reply::from(result);
    match counts {
        Some(counts) => reply.counting(counts),
        None => reply,
    }
}

/// Runs `placing`, which places `orders` orders, counted against the account's unfilled order count:
/// `-1015` (nothing run) when they would pass an `ORDERS` limit; the count goes back if it fails.
/// Returns its result and, when it succeeded, the counts it was placed with (what the headers show,
/// before any decrement its own fills cause).
pub(crate) async fn counted(
    state: &AppState,
    account_id: i64,
    now_ms: u64,
    orders: u8,
    placing: impl Future<Output = Result<Reply>>,
) -> (Result<Reply>, Option<(u32, u32)>) {
    let orders = u32::from(orders);
    let limits = state.market().rate_limits();
    let counts = match state.order_counts().reserve(account_id, now_ms, orders, limits) {
        Ok(counts) => counts,
        Err(limited) => return (Err(limited), None),
    };
    match placing.await {
        Ok(response) => (Ok(response), Some(counts)),
        Err(e) => {
            state.order_counts().release(account_id, now_ms, orders);
            (Err(e), None)
        }
    }
}

async fn place(state: &AppState, params: &Params, account_id: i64, now_ms: u64) -> Result<Reply> {
    let order = NewOrder::parse(params, state.market())?;
    let symbol = state.market().require_index(&order.symbol.symbol)?;
    let resp =
        order.resp_type.clone().unwrap_or_else(|| reports::default_response_type(&order.terms.order_type));
    let req = PlaceRequest { account_id, symbol, terms: order.terms, now_ms, strategy: order.strategy };
    let placed = state.engine().place(req).await?;
    Ok(json(reports::new_order_prevented(&placed.order, &placed.fills, &placed.prevented, &resp, now_ms)))
}

/// `orderId` and/or `origClientOrderId` of `endpoint` (query, cancel, amend); `-1102` when neither
/// is sent (mbx-core's [`mbx_core::order::order_ref`]).
pub fn order_ref(endpoint: &mbx_core::endpoint::Endpoint, params: &Params) -> Result<OrderRef> {
    let (order_id, client_order_id) = mbx_core::order::order_ref(endpoint, params)?;
    Ok(OrderRef { order_id, client_order_id: client_order_id.map(str::to_owned) })
}

/// The client id a cancel gives the order (`name`: `newClientOrderId`, cancel-replace's
/// `cancelNewClientOrderId`), checked as a new order's is (`-1100`), or a generated one.
pub(super) fn cancel_client_id(params: &Params, name: &str) -> Result<String> {
    Ok(mbx_core::order::client_id_param(params, name)?.unwrap_or_else(|| random_client_id(CLIENT_ID_LEN)))
}

/// `cancelRestrictions`: `-1145` for anything but `ONLY_NEW` and `ONLY_PARTIALLY_FILLED`.
fn cancel_restriction(params: &Params) -> Result<Option<CancelRestriction>> {
    Ok(match mbx_core::order::cancel_restrictions(params)? {
        None => None,
        Some("ONLY_NEW") => Some(CancelRestriction::OnlyNew),
        Some(_) => Some(CancelRestriction::OnlyPartiallyFilled),
    })
}

/// `DELETE /api/v3/order` (TRADE): cancels an open order; `-2011 Unknown order sent.` when no open
/// order matches.
pub async fn cancel_order(state: AppState, signed: Signed) -> Result<Reply> {
    let params = &signed.params;
    let symbol = state.market().require_index(required(params, "symbol")?)?;
    let which = order_ref(&mbx_core::endpoint::spot::CANCEL_ORDER, params)?;
    let cancel_id = cancel_client_id(params, "newClientOrderId")?;
    let restriction = cancel_restriction(params)?;
    let now = state.clock().now_ms();
    let order = state
        .engine()
        .cancel(signed.key.account_id, symbol, which, restriction, cancel_id.clone(), now)
        .await?;
    Ok(json(reports::cancel(&order, &cancel_id, now)))
}

/// `DELETE /api/v3/openOrders` (TRADE): cancels every open order of the account on `symbol`.
pub async fn cancel_open_orders(state: AppState, signed: Signed) -> Result<Reply> {
    let symbol = state.market().require_index(required(&signed.params, "symbol")?)?;
    let now = state.clock().now_ms();
    let cancel_id = random_client_id(CLIENT_ID_LEN);
    let cancelled = state.engine().cancel_all(signed.key.account_id, symbol, cancel_id.clone(), now).await?;
    let mut out: Vec<_> = cancelled.orders.iter().map(|o| reports::cancel(o, &cancel_id, now)).collect();
    for l in &cancelled.lists {
        out.push(reports::list_cancel(&l.list, &l.orders, &cancel_id, now));
    }
    Ok(json(array(out)))
}

/// `POST /api/v3/order/cancelReplace` (TRADE): cancels an order and places a new one on the same
/// symbol, in one engine transaction; see `cancel_replace_outcome` for the answers.
pub async fn cancel_replace(state: AppState, signed: Signed) -> Reply {
    let account = signed.key.account_id;
    let now = state.clock().now_ms();
    match cancel_replace_outcome(&state, &signed, account, now).await {
        Ok((reply, Some(counts))) => reply.counting(counts),
        Ok((reply, None)) => reply,
        Err(e) => e.into(),
    }
}

/// What the new order of a cancel-replace does when the unfilled order count is full
/// (`orderRateLimitExceededMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WhenLimited {
    /// `DO_NOTHING` (default): `-1015`, nothing cancelled.
    DoNothing,
    /// `CANCEL_ONLY`: the cancel goes ahead; the new order fails with `-1015`.
    CancelOnly,
}

/// Runs a cancel-replace and answers it as rest-api.md's table says:
///
/// | cancel | new order | answer |
/// |---|---|---|
/// | ✓ | ✓ | 200 `{cancelResult, newOrderResult, cancelResponse, newOrderResponse}` |
/// | ✗ | not attempted (`STOP_ON_FAILURE`) | 400 `-2022 Order cancel-replace failed.` with `data` |
/// | ✗ | ✗ | 400 `-2022` with `data` |
/// | ✓ | ✗, or ✗ | ✓ | 409 `-2021 Order cancel-replace partially failed.` with `data` |
///
/// The new order's parameters and filters are checked first; a failure there is answered as for
/// `POST /api/v3/order`, with nothing cancelled or counted. Within the `ORDERS` limits the request
/// counts one unfilled order, even when the new order is not attempted. Over them, `DO_NOTHING`
/// answers `-1015` (429) and cancels nothing; `CANCEL_ONLY` cancels and reports the new order failed
/// with `-1015`, counting nothing. (The docs' table gives 429 for some `CANCEL_ONLY` rows while the
/// WebSocket API docs say 409 regardless; the sandbox answers 409 / 400 by the code, as above.)
async fn cancel_replace_outcome(
    state: &AppState,
    signed: &Signed,
    account_id: i64,
    now_ms: u64,
) -> Result<(Reply, Option<(u32, u32)>)> {
    let params = &signed.params;
    // The values are mbx-core's (`order::CANCEL_REPLACE_MODES`, `RATE_LIMIT_EXCEEDED_MODES`).
    required(params, "cancelReplaceMode")?;
    let allow_failure =
        mbx_core::order::value_of(params, "cancelReplaceMode", mbx_core::order::CANCEL_REPLACE_MODES)?
            == Some("ALLOW_FAILURE");
    let when_limited = match mbx_core::order::value_of(
        params,
        "orderRateLimitExceededMode",
        mbx_core::order::RATE_LIMIT_EXCEEDED_MODES,
    )? {
        Some("CANCEL_ONLY") => WhenLimited::CancelOnly,
        _ => WhenLimited::DoNothing,
    };
    let restriction = cancel_restriction(params)?;
    let cancel = OrderRef {
        order_id: optional_long(params, "cancelOrderId")?,
        client_order_id: optional(params, "cancelOrigClientOrderId")?.map(str::to_owned),
    };
    mbx_core::order::either(&mbx_core::endpoint::spot::CANCEL_REPLACE, params)?;
    let cancel_id = cancel_client_id(params, "cancelNewClientOrderId")?;
    let order = NewOrder::parse(params, state.market())?;
    let symbol = state.market().require_index(&order.symbol.symbol)?;
    let resp =
        order.resp_type.clone().unwrap_or_else(|| reports::default_response_type(&order.terms.order_type));
    let new_order = PlaceRequest { account_id, symbol, terms: order.terms, now_ms, strategy: order.strategy };
    let limits = state.market().rate_limits();
    let orders = u32::from(spot::CANCEL_REPLACE.orders);
    let (new_order, counts, limited) = match state.order_counts().reserve(account_id, now_ms, orders, limits)
    {
        Ok(counts) => (Some(new_order), Some(counts), None),
        Err(limited) if when_limited == WhenLimited::DoNothing => return Err(limited),
        Err(limited) => (None, None, Some(limited)),
    };
    let req = CancelReplaceRequest {
        account_id,
        symbol,
        cancel,
        restriction,
        new_order,
        allow_failure,
        now_ms,
        cancel_client_id: cancel_id.clone(),
    };
    let out = state.engine().cancel_replace(req).await?;

    let part = |e: &SandboxError| {
        let api = e.api_error().unwrap_or_else(|| ApiError::new(ErrorCode::UNKNOWN));
        Object::new().field("code", api.code.get()).field("msg", api.msg).finish()
    };
    let (cancel_result, cancel_response) = match &out.cancel {
        Ok(o) => ("SUCCESS", reports::cancel(o, &cancel_id, now_ms)),
        Err(e) => ("FAILURE", part(e)),
    };
    let attempted = out.cancel.is_ok() || allow_failure;
    let (new_result, new_response) = match (&out.placed, &limited) {
        (Some(Ok(p)), _) => {
            ("SUCCESS", reports::new_order_prevented(&p.order, &p.fills, &p.prevented, &resp, now_ms))
        }
        (Some(Err(e)), _) => ("FAILURE", part(e)),
        (None, Some(limited)) if attempted => ("FAILURE", part(limited)),
        (None, _) => ("NOT_ATTEMPTED", "null".to_owned()),
    };
    let mut data = Object::new();
    data.push("cancelResult", cancel_result);
    data.push("newOrderResult", new_result);
    data.raw("cancelResponse", &cancel_response);
    data.raw("newOrderResponse", &new_response);
    let data = data.finish();
    if cancel_result == "SUCCESS" && new_result == "SUCCESS" {
        return Ok((json(data), counts));
    }
    let cancel_hint = out.cancel.as_ref().err().map(SandboxError::hint);
    let new_hint = match (&out.placed, &limited) {
        (Some(Err(e)), _) => Some(e.hint()),
        (None, Some(limited)) if attempted => Some(limited.hint()),
        (None, _) => Some(format!(
            "not attempted, as cancelReplaceMode={} stops at a failed cancel",
            if allow_failure { "ALLOW_FAILURE" } else { "STOP_ON_FAILURE" }
        )),
        _ => None,
    };
    let hint = format!(
        "Cancel: {}. New order: {}.",
        cancel_hint.unwrap_or_else(|| "done".into()).trim_end_matches('.'),
        new_hint.unwrap_or_else(|| "placed".into()).trim_end_matches('.')
    );
    let code = if cancel_result == "FAILURE" && new_result != "SUCCESS" {
        ErrorCode::ORDER_CANCEL_REPLACE_FAILED
    } else {
        ErrorCode::ORDER_CANCEL_REPLACE_PARTIALLY_FAILED
    };
    let error =
        SandboxError::RejectedWithData { rejection: Rejection { error: ApiError::new(code), hint }, data };
    Ok((error.into(), counts))
}
