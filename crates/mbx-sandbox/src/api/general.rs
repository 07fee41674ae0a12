//! General endpoints: `ping`, `time`, `exchangeInfo`.

use super::Reply;
use mbx_core::{ApiError, ErrorCode, Params};

use super::{json, json_bytes};
use crate::error::{Result, SandboxError};
use crate::extract::{clip, invalid_value, optional, optional_bool};
use crate::market::Selection;
use crate::state::AppState;

/// `GET /api/v3/ping`: `{}`.
pub async fn ping() -> Reply {
    json_bytes(axum::body::Bytes::from_static(b"{}"))
}

/// `GET /api/v3/time`: `{"serverTime":..}` from the sandbox clock.
pub async fn time(state: AppState) -> Reply {
    json(format!(r#"{{"serverTime":{}}}"#, state.clock().now_ms()))
}

/// Symbol permissions Binance documents; sandbox symbols carry `SPOT` only.
fn known_permission(p: &str) -> bool {
    matches!(p, "SPOT" | "MARGIN" | "LEVERAGED")
        || p.strip_prefix("TRD_GRP_").is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `GET /api/v3/exchangeInfo` with `symbol`, `symbols`, `permissions`, `symbolStatus` and
/// `showPermissionSets`.
pub async fn exchange_info(state: AppState, params: Params) -> Result<Reply> {
    let market = state.market();
    let symbol = optional(&params, "symbol")?;
    let symbols = optional(&params, "symbols")?;
    let permissions = optional(&params, "permissions")?;
    let status = optional(&params, "symbolStatus")?;
    let show_sets = optional_bool(&params, "showPermissionSets")?.unwrap_or(true);
    mbx_core::order::combinations(&mbx_core::endpoint::spot::EXCHANGE_INFO, &params)?;
    let selection = if let Some(s) = symbol {
        Selection::Some(vec![market.require_index(s)?])
    } else if let Some(list) = symbols {
        let names: Vec<String> = match serde_json::from_str(list) {
            Ok(names) => names,
            Err(_) => {
                return Err(SandboxError::rejected(
                    ApiError::new(ErrorCode::ILLEGAL_CHARS),
                    format!(
                        "symbols={} is not a JSON array of names, like [\"BTCUSDT\",\"BNBUSDT\"].",
                        clip(list, 60)
                    ),
                ));
            }
        };
        if names.is_empty() {
            return Err(SandboxError::rejected(
                ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 1, &["symbols"]),
                "symbols is an empty array; name at least one symbol.",
            ));
        }
        // A repeated symbol is -1151 (the CHANGELOG, 2023-07-11, names exchangeInfo among the
        // requests that refuse one), as on the tickers.
        mbx_core::order::check_symbol_names("symbols", &names)?;
        let mut picked = Vec::with_capacity(names.len());
        for n in &names {
            picked.push(market.require_index(n)?);
        }
        Selection::Some(picked)
    } else {
        let mut all = true;
        if let Some(p) = permissions {
            let wanted: Vec<String> = if p.starts_with('[') {
                serde_json::from_str(p)
                    .map_err(|_| invalid_value("permissions", p, "a permission or a JSON array of them"))?
            } else {
                vec![p.to_owned()]
            };
            if let Some(bad) = wanted.iter().find(|w| !known_permission(w)) {
                return Err(invalid_value("permissions", bad, "SPOT, MARGIN, LEVERAGED or TRD_GRP_002..025"));
            }
            all &= wanted.iter().any(|w| w == "SPOT");
        }
        // Every sandbox symbol is TRADING; another valid status (mbx-core's rule, `-1122` for
        // the rest) selects none.
        if status.is_some() && mbx_core::order::symbol_status_param(&params)? != Some("TRADING") {
            all = false;
        }
        if all { Selection::All } else { Selection::Some(Vec::new()) }
    };
    let now = state.clock().now_ms();
    Ok(match selection {
        Selection::All => json_bytes(market.exchange_info_all(show_sets, now)),
        some => json(market.exchange_info(&some, show_sets, now)),
    })
}
