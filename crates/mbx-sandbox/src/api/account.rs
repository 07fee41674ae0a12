//! Account endpoints: `account`, `account/commission`.

use axum::extract::State;
use axum::response::Response;
use rust_decimal::Decimal;
use serde_json::json;

use super::json_value;
use crate::error::{Result, SandboxError, StoreError};
use crate::extract::{Signed, optional_bool, required};
use crate::market::fixed8;
use crate::seed;
use crate::state::AppState;

/// A commission rate in Binance's integer form (`0.001` -> `10`, in units of 0.0001).
fn basis(rate: Decimal) -> i64 {
    (rate * Decimal::from(10_000)).trunc().try_into().unwrap_or(0)
}

/// `GET /api/v3/account` (USER_DATA), with `omitZeroBalances`.
pub async fn account(State(state): State<AppState>, signed: Signed) -> Result<Response> {
    let omit_zero = optional_bool(&signed.params, "omitZeroBalances")?.unwrap_or(false);
    let account_id = signed.key.account_id;
    let snapshot = state.engine().account(account_id).await?.ok_or_else(|| {
        SandboxError::Store(StoreError::Corrupt {
            what: "api_keys.account_id",
            detail: format!("key points at account {account_id}, which does not exist"),
        })
    })?;
    let balances: Vec<_> = snapshot
        .balances
        .iter()
        .filter(|b| !(omit_zero && b.free.is_zero() && b.locked.is_zero()))
        .map(|b| json!({ "asset": b.asset, "free": fixed8(b.free), "locked": fixed8(b.locked) }))
        .collect();
    let rate = seed::default_commission();
    Ok(json_value(&json!({
        "makerCommission": basis(rate),
        "takerCommission": basis(rate),
        "buyerCommission": 0,
        "sellerCommission": 0,
        "commissionRates": {
            "maker": fixed8(rate),
            "taker": fixed8(rate),
            "buyer": fixed8(Decimal::ZERO),
            "seller": fixed8(Decimal::ZERO),
        },
        "canTrade": signed.key.permissions.trade,
        "canWithdraw": false,
        "canDeposit": true,
        "brokered": false,
        "requireSelfTradePrevention": false,
        "preventSor": false,
        "updateTime": snapshot.update_ms,
        "accountType": "SPOT",
        "balances": balances,
        "permissions": ["SPOT"],
        "uid": snapshot.account_id,
    })))
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
pub async fn commission(State(state): State<AppState>, signed: Signed) -> Result<Response> {
    let symbol = state.market().require(required(&signed.params, "symbol")?)?;
    let rate = seed::default_commission();
    Ok(json_value(&json!({
        "symbol": symbol.symbol,
        "standardCommission": commission_rates(rate, true),
        "specialCommission": commission_rates(Decimal::ZERO, true),
        "taxCommission": commission_rates(Decimal::ZERO, true),
        "discount": discount(),
    })))
}
