//! `POST /api/v3/order/cancelReplace`: its success answer and the data of its `-2021`/`-2022`
//! failures.

use mbx_core::model::CancelReplaceResult;
use mbx_core::{ApiError, ErrorCode};
use serde::{Deserialize, Deserializer};

use super::Order;

/// A cancel-replace where both halves succeeded (HTTP 200).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelReplace {
    /// Wire: cancelResult (`SUCCESS`).
    pub cancel_result: CancelReplaceResult,
    /// Wire: newOrderResult (`SUCCESS`).
    pub new_order_result: CancelReplaceResult,
    /// Wire: cancelResponse: the cancelled order. After an unknown outcome settled by lookup, the
    /// cancel target as it is now (its status says whether it was cancelled).
    pub cancel_response: Order,
    /// Wire: newOrderResponse: the new order.
    pub new_order_response: Order,
}

/// One half of a failed cancel-replace: the order report, or Binance's error for that half.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplaceLeg {
    /// It went through: the cancelled order, or the placed order.
    Order(Box<Order>),
    /// It failed with this error (`-2011 Unknown order sent.`, `-2010 ...`).
    Rejected(ApiError),
}

impl ReplaceLeg {
    /// The order, when this half went through.
    pub fn order(&self) -> Option<&Order> {
        match self {
            ReplaceLeg::Order(o) => Some(o),
            ReplaceLeg::Rejected(_) => None,
        }
    }

    /// The error, when this half failed.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            ReplaceLeg::Rejected(e) => Some(e),
            ReplaceLeg::Order(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for ReplaceLeg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Rejection {
            code: i32,
            msg: String,
        }
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.get("code").is_some() && value.get("orderId").is_none() {
            let r: Rejection = serde_json::from_value(value).map_err(serde::de::Error::custom)?;
            let code = ErrorCode(r.code);
            let status = code.entry().map_or(400, |e| e.http_status);
            return Ok(ReplaceLeg::Rejected(ApiError { code, msg: r.msg, http_status: status }));
        }
        serde_json::from_value(value)
            .map(|o| ReplaceLeg::Order(Box::new(o)))
            .map_err(serde::de::Error::custom)
    }
}

/// The `data` of a `-2021 Order cancel-replace partially failed.` (one half went through) or
/// `-2022 Order cancel-replace failed.` (neither did) answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelReplaceFailure {
    /// Wire: cancelResult.
    pub cancel_result: CancelReplaceResult,
    /// Wire: newOrderResult (`NOT_ATTEMPTED` after a failed cancel with `STOP_ON_FAILURE`).
    pub new_order_result: CancelReplaceResult,
    /// Wire: cancelResponse.
    pub cancel_response: ReplaceLeg,
    /// Wire: newOrderResponse (`null` when not attempted).
    #[serde(default)]
    pub new_order_response: Option<ReplaceLeg>,
}

impl CancelReplaceFailure {
    /// The cancelled order, if the cancel went through.
    pub fn cancelled(&self) -> Option<&Order> {
        self.cancel_response.order()
    }

    /// The new order, if it was placed.
    pub fn placed(&self) -> Option<&Order> {
        self.new_order_response.as_ref().and_then(ReplaceLeg::order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_failure_data_decodes_each_documented_shape() {
        let stop = r#"{"cancelResult":"FAILURE","newOrderResult":"NOT_ATTEMPTED",
            "cancelResponse":{"code":-2011,"msg":"Unknown order sent."},"newOrderResponse":null}"#;
        let d: CancelReplaceFailure = serde_json::from_str(stop).unwrap();
        assert_eq!(d.new_order_result, CancelReplaceResult::NotAttempted);
        assert_eq!(d.cancel_response.error().unwrap().code, ErrorCode::CANCEL_REJECTED);
        assert!(d.new_order_response.is_none() && d.placed().is_none() && d.cancelled().is_none());

        let partial = r#"{"cancelResult":"SUCCESS","newOrderResult":"FAILURE",
            "cancelResponse":{"symbol":"BTCUSDT","origClientOrderId":"old-1","orderId":3,"orderListId":-1,
              "clientOrderId":"cxl-1","transactTime":1700000000000,"price":"30000.00","origQty":"0.01000",
              "executedQty":"0.00000","cummulativeQuoteQty":"0.00","status":"CANCELED","timeInForce":"GTC",
              "type":"LIMIT","side":"BUY","selfTradePreventionMode":"NONE"},
            "newOrderResponse":{"code":-2010,"msg":"Order would immediately match and take."}}"#;
        let d: CancelReplaceFailure = serde_json::from_str(partial).unwrap();
        let cancelled = d.cancelled().unwrap();
        assert_eq!((cancelled.order_id, cancelled.orig_client_order_id.as_deref()), (3, Some("old-1")));
        let rejected = d.new_order_response.as_ref().unwrap().error().unwrap();
        assert_eq!((rejected.code, rejected.http_status), (ErrorCode(-2010), 400));

        let allowed = r#"{"cancelResult":"FAILURE","newOrderResult":"SUCCESS",
            "cancelResponse":{"code":-2011,"msg":"Unknown order sent."},
            "newOrderResponse":{"symbol":"BTCUSDT","orderId":11,"orderListId":-1,"clientOrderId":"new-1",
              "transactTime":1700000000001}}"#;
        let d: CancelReplaceFailure = serde_json::from_str(allowed).unwrap();
        assert_eq!(d.placed().unwrap().client_order_id, "new-1");
        assert!(d.cancelled().is_none());
    }
}
