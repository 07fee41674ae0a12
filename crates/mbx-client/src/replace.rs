//! `POST /api/v3/order/cancelReplace`: cancel an order and place a new one on the same symbol in one
//! request, with the same never-twice guarantee as [`crate::NewOrder`].

use mbx_core::Params;
use mbx_core::endpoint::spot;
use mbx_core::model::{
    CancelReplaceMode, CancelReplaceResult, OrderResponseType, OrderStatus, OrderType,
    SelfTradePreventionMode, Side, TimeInForce,
};
use rust_decimal::Decimal;

use crate::api::{NewOrder, reconcile};
use crate::client::{Client, Retry};
use crate::error::{Error, Result};
use crate::types::{CancelReplace, Order};

/// The order a cancel-replace cancels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelTarget {
    /// Wire: cancelOrderId.
    OrderId(u64),
    /// Wire: cancelOrigClientOrderId.
    ClientOrderId(String),
}

impl Client {
    /// Starts a cancel-replace: cancels `cancel` and places a new order on `symbol`, e.g.
    /// `client.cancel_replace("BTCUSDT", CancelTarget::OrderId(42), Side::Buy, OrderType::Limit)
    /// .quantity(q).price(p).send().await`. The mode defaults to `STOP_ON_FAILURE`.
    pub fn cancel_replace(
        &self,
        symbol: &str,
        cancel: CancelTarget,
        side: Side,
        order_type: OrderType,
    ) -> CancelReplaceOrder {
        CancelReplaceOrder {
            order: self.new_order(symbol, side, order_type),
            cancel,
            mode: CancelReplaceMode::StopOnFailure,
            extra: Params::new(),
        }
    }
}

/// A cancel-replace being built. The new order carries a client order id (generated when none is
/// given) and is checked against the symbol's filters before anything is sent. On an unknown outcome
/// the new order is looked up by that id; the request is never sent twice.
///
/// [`CancelReplaceOrder::send`] returns [`CancelReplace`] when both halves went through, and
/// [`Error::CancelReplace`] (with what happened to each half) for Binance's `-2021`/`-2022`.
#[must_use]
#[derive(Debug)]
pub struct CancelReplaceOrder {
    order: NewOrder,
    cancel: CancelTarget,
    mode: CancelReplaceMode,
    extra: Params,
}

impl CancelReplaceOrder {
    /// `STOP_ON_FAILURE` (default: no new order if the cancel fails) or `ALLOW_FAILURE`.
    pub fn mode(mut self, mode: CancelReplaceMode) -> Self {
        self.mode = mode;
        self
    }

    /// The client id the cancel gets (`cancelNewClientOrderId`; Binance generates one by default).
    pub fn cancel_client_order_id(mut self, id: impl Into<String>) -> Self {
        self.extra.set("cancelNewClientOrderId", id.into());
        self
    }

    /// New order: every term of `terms` ([`crate::NewOrder::terms`]).
    pub fn terms(self, terms: &mbx_core::order::OrderTerms) -> Self {
        self.with(|o| o.terms(terms))
    }

    /// New order: quantity in the base asset.
    pub fn quantity(self, q: Decimal) -> Self {
        self.with(|o| o.quantity(q))
    }

    /// New order: quantity in the quote asset (MARKET).
    pub fn quote_order_qty(self, q: Decimal) -> Self {
        self.with(|o| o.quote_order_qty(q))
    }

    /// New order: limit price.
    pub fn price(self, p: Decimal) -> Self {
        self.with(|o| o.price(p))
    }

    /// New order: stop price.
    pub fn stop_price(self, p: Decimal) -> Self {
        self.with(|o| o.stop_price(p))
    }

    /// New order: time in force (limit types default to GTC).
    pub fn time_in_force(self, tif: TimeInForce) -> Self {
        self.with(|o| o.time_in_force(tif))
    }

    /// New order: its client order id (default: a fresh random one).
    pub fn client_order_id(self, id: impl Into<String>) -> Self {
        self.with(|o| o.client_order_id(id))
    }

    /// New order: how much its report says.
    pub fn response_type(self, t: OrderResponseType) -> Self {
        self.with(|o| o.response_type(t))
    }

    /// New order: self-trade prevention mode.
    pub fn self_trade_prevention(self, mode: SelfTradePreventionMode) -> Self {
        self.with(|o| o.self_trade_prevention(mode))
    }

    /// Any other parameter (`cancelRestrictions`, `orderRateLimitExceededMode`, ...).
    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extra.set(name, value.into());
        self
    }

    fn with(mut self, f: impl FnOnce(NewOrder) -> NewOrder) -> Self {
        self.order = f(self.order);
        self
    }

    /// Sends the cancel-replace. On an unknown outcome (5xx, -1006, -1007, timeout) nothing is sent
    /// again: the new order is looked up by its client order id and, when found, the cancel target is
    /// read too; if the new order cannot be found, [`Error::UnknownOutcome`] names its client order id.
    pub async fn send(self) -> Result<CancelReplace> {
        let (client, mut params, id) = self.order.prepare();
        NewOrder::preflight(&client, &params).await?;
        params.set("cancelReplaceMode", self.mode.to_string());
        match &self.cancel {
            CancelTarget::OrderId(n) => params.set("cancelOrderId", n.to_string()),
            CancelTarget::ClientOrderId(c) => params.set("cancelOrigClientOrderId", c.clone()),
        };
        for (name, value) in self.extra.iter() {
            params.set(name.to_owned(), value.to_owned());
        }
        let symbol = params.get("symbol").unwrap_or_default().to_owned();
        let sent = client.send::<CancelReplace>(&spot::CANCEL_REPLACE, params, Retry::Never).await;
        match sent {
            Err(Error::UnknownOutcome { cause, .. }) => {
                settle(&client, &symbol, &self.cancel, self.mode, &id, cause).await
            }
            other => other,
        }
    }
}

/// After an unknown outcome: the new order by its client id (a few lookups), then the cancel target.
async fn settle(
    client: &Client,
    symbol: &str,
    cancel: &CancelTarget,
    mode: CancelReplaceMode,
    new_id: &str,
    cause: String,
) -> Result<CancelReplace> {
    let placed = match reconcile(client, symbol, new_id, cause).await {
        Ok(order) => order,
        Err(Error::UnknownOutcome { client_order_id, cause }) => {
            let why = if mode == CancelReplaceMode::StopOnFailure {
                "; with STOP_ON_FAILURE a failed cancel means the new order was never attempted, so also check the order to cancel"
            } else {
                ""
            };
            return Err(Error::UnknownOutcome { client_order_id, cause: format!("{cause}{why}") });
        }
        Err(e) => return Err(e),
    };
    let target: Result<Order> = match cancel {
        CancelTarget::OrderId(n) => client.order(symbol, *n).await,
        CancelTarget::ClientOrderId(c) => client.order_by_client_id(symbol, c).await,
    };
    let target = target.map_err(|e| Error::UnknownOutcome {
        client_order_id: Some(new_id.to_owned()),
        cause: format!(
            "the new order {new_id} was placed (order id {}), but the order to cancel could not be read: {e}",
            placed.order_id
        ),
    })?;
    let cancel_result = if target.status == Some(OrderStatus::Canceled) {
        CancelReplaceResult::Success
    } else {
        CancelReplaceResult::Failure
    };
    Ok(CancelReplace {
        cancel_result,
        new_order_result: CancelReplaceResult::Success,
        cancel_response: target,
        new_order_response: placed,
    })
}
