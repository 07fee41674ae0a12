//! Trading endpoints. Milestone 1: `order/test`, which validates a new order without placing it.

use axum::extract::State;
use axum::response::Response;
use rust_decimal::Decimal;
use serde_json::json;

use super::account::{commission_rates, discount};
use super::{json, json_value};
use crate::error::Result;
use crate::extract::{Signed, optional_bool};
use crate::limits::RequestWeight;
use crate::order::NewOrder;
use crate::seed;
use crate::state::AppState;

/// `POST /api/v3/order/test` (TRADE): checks the order as `POST /api/v3/order` would; answers `{}`, or
/// the commission rates with `computeCommissionRates=true` (weight 20).
pub async fn order_test(State(state): State<AppState>, signed: Signed) -> Result<Response> {
    let compute = optional_bool(&signed.params, "computeCommissionRates")?.unwrap_or(false);
    NewOrder::parse(&signed.params, state.market())?;
    if !compute {
        return Ok(json("{}".to_owned()));
    }
    let rate = seed::default_commission();
    let mut response = json_value(&json!({
        "standardCommissionForOrder": commission_rates(rate, false),
        "specialCommissionForOrder": commission_rates(Decimal::ZERO, false),
        "taxCommissionForOrder": commission_rates(Decimal::ZERO, false),
        "discount": discount(),
    }));
    response.extensions_mut().insert(RequestWeight(20));
    Ok(response)
}
