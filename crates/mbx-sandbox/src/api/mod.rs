//! The handlers, one module per family, and [`Reply`], what they answer before any transport: REST
//! ([`Reply`]'s `IntoResponse`) and the WebSocket API (`crate::ws::api`) each wrap it, nothing is
//! parsed back. [`routes::SERVED`] pairs each endpoint row of mbx-core's table with its handler.

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod amend;
pub(crate) mod general;
pub(crate) mod klines;
pub(crate) mod market;
pub(crate) mod order_lists;
pub(crate) mod prevented;
pub(crate) mod reports;
pub mod routes;
pub(crate) mod rules;
pub(crate) mod sor;
pub(crate) mod tickers;
pub(crate) mod trading;
pub mod user_stream;
pub(crate) mod wallet;

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::error::SandboxError;
use crate::limits::{ORDER_COUNT_1D, ORDER_COUNT_10S, RequestWeight};

/// The content type of every JSON answer, as Binance sends it.
pub(crate) const JSON: &str = "application/json;charset=UTF-8";

/// A handler's answer, transport-neutral: the JSON result or the rejection, the weight when it is
/// heavier than the table's, and the `ORDERS` counts (10 s, day) for endpoints that count orders.
#[derive(Debug)]
pub struct Reply {
    /// The result (rendered JSON) or the rejection.
    pub body: std::result::Result<Answer, SandboxError>,
    /// The request's weight when the handler found it heavier (or lighter) than the table's
    /// (`computeCommissionRates`).
    pub weight: Option<u32>,
    /// The account's unfilled order counts `(10 s, day)` after the request.
    pub orders: Option<(u32, u32)>,
}

/// A successful answer.
#[derive(Debug)]
pub enum Answer {
    /// A JSON document, rendered.
    Json(Bytes),
    /// No answer at all: the connection is dropped (an injected fault, after commit).
    Severed,
}

impl Reply {
    /// Sets the weight this request really cost.
    #[must_use]
    pub fn weighing(mut self, weight: u32) -> Reply {
        self.weight = Some(weight);
        self
    }

    /// Sets the `ORDERS` counts shown with the answer.
    #[must_use]
    pub fn counting(mut self, counts: (u32, u32)) -> Reply {
        self.orders = Some(counts);
        self
    }
}

impl From<SandboxError> for Reply {
    fn from(e: SandboxError) -> Reply {
        Reply { body: Err(e), weight: None, orders: None }
    }
}

impl From<crate::error::Result<Reply>> for Reply {
    fn from(r: crate::error::Result<Reply>) -> Reply {
        r.unwrap_or_else(Reply::from)
    }
}

/// The REST form: the JSON with Binance's content type (or the rejection's response), the
/// `X-MBX-ORDER-COUNT-*` headers, and the real weight for the frame to count.
impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut r = match self.body {
            Ok(Answer::Json(body)) => {
                // The same head as `Bytes::into_response` with its content type replaced, without
                // writing the first one.
                let mut r = Response::new(axum::body::Body::from(body));
                r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
                r
            }
            Ok(Answer::Severed) => crate::faults::severed(),
            Err(e) => e.into_response(),
        };
        if let Some((ten_s, day)) = self.orders {
            let headers = r.headers_mut();
            headers.insert(ORDER_COUNT_10S, HeaderValue::from(ten_s));
            headers.insert(ORDER_COUNT_1D, HeaderValue::from(day));
        }
        if let Some(w) = self.weight {
            r.extensions_mut().insert(RequestWeight(w));
        }
        r
    }
}

/// A 200 answer with a JSON body rendered by the caller.
pub(crate) fn json(body: String) -> Reply {
    json_bytes(Bytes::from(body))
}

/// A 200 answer with a JSON body already rendered (and possibly shared).
pub(crate) fn json_bytes(body: Bytes) -> Reply {
    Reply { body: Ok(Answer::Json(body)), weight: None, orders: None }
}

/// A 200 answer with a JSON value.
pub(crate) fn json_value(value: &serde_json::Value) -> Reply {
    json(value.to_string())
}
