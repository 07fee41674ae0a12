//! The SAPI endpoints of mbx-core's `endpoint::sapi` table: the wallet's coin list, the margin pairs,
//! the trade fees and the system status, which client libraries (ccxt) read at start. The sandbox trades spot only
//! and moves no coins in or out: every coin shows its balance, no deposit or withdrawal network, and
//! there are no margin pairs.

use serde_json::json;

use super::{Reply, json_value};
use crate::error::Result;
use crate::extract::{Signed, optional};
use crate::state::AppState;
use crate::write::decimal::fixed8;

/// `GET /sapi/v1/system/status`: `0`, normal (Binance answers `1` during maintenance).
pub async fn system_status() -> Reply {
    json_value(&json!({ "status": 0, "msg": "normal" }))
}

/// `GET /sapi/v1/capital/config/getall` (USER_DATA): each coin of the account, with its free and
/// locked balance, in the wallet docs' field order. Deposits and withdrawals are not modelled (funds
/// come from the admin API), so both are off and no network is listed.
pub async fn coin_info(state: AppState, signed: Signed) -> Result<Reply> {
    let view = super::account::view_of(&state, &signed)?;
    let zero = fixed8(rust_decimal::Decimal::ZERO);
    let coins: Vec<serde_json::Value> = view
        .snapshot
        .balances
        .iter()
        .map(|b| {
            json!({
                "coin": b.asset,
                "depositAllEnable": false,
                "free": fixed8(b.free),
                "freeze": zero,
                "ipoable": zero,
                "ipoing": zero,
                "isLegalMoney": false,
                "locked": fixed8(b.locked),
                "name": b.asset,
                "networkList": [],
                "storage": zero,
                "trading": true,
                "withdrawAllEnable": false,
                "withdrawing": zero,
            })
        })
        .collect();
    Ok(json_value(&serde_json::Value::Array(coins)))
}

/// `GET /sapi/v1/asset/tradeFee` (USER_DATA): the maker and taker rates of each symbol, or of the
/// one `symbol` names (`-1121` for a symbol the sandbox does not trade).
pub async fn trade_fee(state: AppState, signed: Signed) -> Result<Reply> {
    let market = state.market();
    let rate = market.commission().normalize().to_string();
    let names: Vec<String> = match optional(&signed.params, "symbol")? {
        Some(name) => vec![market.require(name)?.symbol.clone()],
        None => market.symbols().iter().map(|s| s.symbol.clone()).collect(),
    };
    let fees: Vec<serde_json::Value> = names
        .into_iter()
        .map(|symbol| json!({ "symbol": symbol, "makerCommission": rate, "takerCommission": rate }))
        .collect();
    Ok(json_value(&serde_json::Value::Array(fees)))
}

/// `GET /sapi/v1/margin/allPairs` and `GET /sapi/v1/margin/isolated/allPairs`: no margin pairs (the
/// sandbox has no margin trading), whatever `symbol` names.
pub async fn margin_pairs() -> Reply {
    json_value(&json!([]))
}
