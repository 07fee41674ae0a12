//! The price range execution rule and the reference price: `executionRules`, `referencePrice`,
//! `referencePrice/calculation`.
//!
//! Sandbox symbols have no price range rule and no reference price, as most Binance symbols: so
//! `executionRules` lists each symbol with an empty `rules` array, and the reference price queries
//! answer `-2043` (the docs' answer for a symbol that has never had one). The filters that would use
//! a reference price fall back to the average price, as the docs say they do without one. The
//! `<symbol>@referencePrice` stream stays silent for the same reason (`ws/hub.rs`).

use mbx_core::{ApiError, ErrorCode, Params};

use super::market::{SymbolRule, selection};
use super::{Reply, json};
use crate::error::{Result, SandboxError};
use crate::extract::{clip, required};
use crate::state::AppState;
use crate::write::json::{Object, array};

/// `GET /api/v3/executionRules`: `symbol`, `symbols`, `symbolStatus` or none of them (every symbol);
/// the docs allow no combination (`-1128`, mbx-core's [`mbx_core::order::combinations`]).
pub async fn execution_rules(state: AppState, params: Params) -> Result<Reply> {
    mbx_core::order::combinations(&mbx_core::endpoint::spot::EXECUTION_RULES, &params)?;
    let market = state.market();
    let (_, picked) = selection(&params, market, SymbolRule::OPTIONAL)?;
    let rules = array(picked.iter().map(|&i| {
        let mut o = Object::new().field("symbol", &market.symbols()[i].symbol);
        o.raw("rules", "[]");
        o.finish()
    }));
    let mut body = Object::new();
    body.raw("symbolRules", &rules);
    Ok(json(body.finish()))
}

/// The `-2043` of a symbol without a reference price (every sandbox symbol).
fn no_reference_price(symbol: &str) -> SandboxError {
    SandboxError::rejected(
        ApiError::new(ErrorCode::NO_REFERENCE_PRICE),
        format!(
            "{} has no price range rule, so no reference price, as most Binance symbols; the filters use the average price (GET /api/v3/avgPrice) instead.",
            clip(symbol, 40)
        ),
    )
}

/// `GET /api/v3/referencePrice`: `-2043` for every symbol that exists (`-1121` otherwise).
pub async fn reference_price(state: AppState, params: Params) -> Result<Reply> {
    let spec = state.market().require(required(&params, "symbol")?)?;
    Err(no_reference_price(&spec.symbol))
}

/// `GET /api/v3/referencePrice/calculation`: `-2043` for every symbol that exists; `symbolStatus`
/// as on the tickers (every sandbox symbol is `TRADING`, so `HALT` or `BREAK` is `-1220`).
pub async fn reference_price_calculation(state: AppState, params: Params) -> Result<Reply> {
    let symbol = required(&params, "symbol")?;
    selection(&params, state.market(), SymbolRule::OPTIONAL)?;
    Err(no_reference_price(symbol))
}
