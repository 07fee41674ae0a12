//! `GET /api/v3/myPreventedMatches` (`myPreventedMatches`): the self-trades the engine prevented
//! (`engine/exchange/matching.rs`), as recorded.
//!
//! | parameters (besides `symbol`) | answer | weight |
//! |---|---|---|
//! | `preventedMatchId` | that prevented match, if it involves the account | 2 |
//! | `orderId`, or `orderId` and `fromPreventedMatchId` (with `limit`: 500 by default, at most 1000) | those of that order, by id | 20 |
//! | an invalid `symbol` | `-1121` | 2 |
//! | neither id | `-1102` naming both | 20 |
//! | any other combination (`limit` without `fromPreventedMatchId` included) | `-1128` | by the table |
//!
//! The combinations are mbx-core's rule ([`mbx_core::order::prevented_matches_query`]), which the
//! doctor reads too.

use super::{Reply, json};
use crate::engine::records::PreventedMatch;
use crate::error::Result;
use crate::extract::{Signed, limit, optional_long, required};
use crate::state::AppState;
use crate::store::PreventedQuery;
use crate::write::json::{Object, array};

/// What a request with an invalid symbol costs (rest-api.md's weight table).
const INVALID_SYMBOL_WEIGHT: u32 = 2;

/// `GET /api/v3/myPreventedMatches` (USER_DATA): see the module docs.
pub async fn my_prevented_matches(state: AppState, signed: Signed) -> Reply {
    let params = &signed.params;
    let symbol = match required(params, "symbol").and_then(|s| state.market().require_index(s)) {
        Ok(symbol) => symbol,
        Err(e) => return Reply::from(e).weighing(INVALID_SYMBOL_WEIGHT),
    };
    Reply::from(answer(&state, &signed, symbol).await)
}

async fn answer(state: &AppState, signed: &Signed, symbol: usize) -> Result<Reply> {
    let params = &signed.params;
    let q = PreventedQuery {
        prevented_match_id: optional_long(params, "preventedMatchId")?,
        order_id: optional_long(params, "orderId")?,
        from_id: optional_long(params, "fromPreventedMatchId")?,
        limit: limit(params, 500, 1000)?,
    };
    mbx_core::order::prevented_matches_query(params)?;
    let rows = state.engine().prevented_matches(signed.key.account_id, symbol, q).await?;
    Ok(json(array(rows.iter().map(prevented_match))))
}

/// A row, its fields in the docs' order. `takerPreventedQuantity` and `makerPreventedQuantity`
/// appear when the mode took quantity off that side (stp_faq.md).
fn prevented_match(p: &PreventedMatch) -> String {
    let mut v = Object::new();
    v.push("symbol", &p.symbol);
    v.push("preventedMatchId", p.prevented_match_id);
    v.push("takerOrderId", p.taker_order_id);
    v.push("makerSymbol", &p.maker_symbol);
    v.push("makerOrderId", p.maker_order_id);
    v.push("tradeGroupId", p.trade_group_id);
    v.push("selfTradePreventionMode", &p.stp_mode);
    v.amount("price", p.price);
    if let Some(q) = p.taker_prevented_qty {
        v.amount("takerPreventedQuantity", q);
    }
    if let Some(q) = p.maker_prevented_qty {
        v.amount("makerPreventedQuantity", q);
    }
    v.push("transactTime", p.time_ms);
    v.finish()
}

#[cfg(test)]
mod tests {
    use mbx_core::model::SelfTradePreventionMode;
    use rust_decimal::Decimal;

    use super::*;

    /// A row keeps rest-api.md's field order; each side's quantity shows when the mode took it.
    #[test]
    fn prevented_match_row_keeps_the_docs_field_order() {
        let p = PreventedMatch {
            prevented_match_id: 1,
            symbol: "BTCUSDT".into(),
            taker_account_id: 1,
            taker_order_id: 5,
            maker_symbol: "BTCUSDT".into(),
            maker_account_id: 1,
            maker_order_id: 3,
            trade_group_id: -1,
            stp_mode: SelfTradePreventionMode::ExpireMaker,
            price: Decimal::new(11, 1),
            taker_prevented_qty: None,
            maker_prevented_qty: Some(Decimal::new(13, 1)),
            match_qty: Decimal::new(13, 1),
            time_ms: 1669101687094,
            next_trade_id: 0,
        };
        assert_eq!(
            prevented_match(&p),
            concat!(
                r#"{"symbol":"BTCUSDT","preventedMatchId":1,"takerOrderId":5,"makerSymbol":"BTCUSDT","#,
                r#""makerOrderId":3,"tradeGroupId":-1,"selfTradePreventionMode":"EXPIRE_MAKER","#,
                r#""price":"1.10000000","makerPreventedQuantity":"1.30000000","transactTime":1669101687094}"#
            )
        );
    }
}
