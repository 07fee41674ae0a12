//! Typed calls for the endpoints mbx knows.

use mbx_core::endpoint::spot;
use mbx_core::model::{OrderResponseType, OrderType, SelfTradePreventionMode, Side, TimeInForce};
use mbx_core::{ApiError, ErrorCode, Params};
use rust_decimal::Decimal;

use crate::client::{Client, Retry};
use crate::error::{Error, Result};
use crate::types::{Account, ExchangeInfo, Order, ServerTime, Trade};

impl Client {
    /// `GET /api/v3/ping`.
    pub async fn ping(&self) -> Result<()> {
        let _: serde_json::Value = self.send(&spot::PING, Params::new(), Retry::Safe).await?;
        Ok(())
    }

    /// `GET /api/v3/time`.
    pub async fn server_time(&self) -> Result<ServerTime> {
        self.send(&spot::TIME, Params::new(), Retry::Safe).await
    }

    /// `GET /api/v3/exchangeInfo` for all symbols, or for `symbol`. Also adopts the published
    /// `REQUEST_WEIGHT` per-minute limit and the `ORDERS` limits for the client's own limiter.
    pub async fn exchange_info(&self, symbol: Option<&str>) -> Result<ExchangeInfo> {
        let mut params = Params::new();
        if let Some(s) = symbol {
            params.set("symbol", s.to_owned());
        }
        let info: ExchangeInfo = self.send(&spot::EXCHANGE_INFO, params, Retry::Safe).await?;
        for l in &info.rate_limits {
            let unit_ms: u64 = match l.interval.as_str() {
                "SECOND" => 1_000,
                "MINUTE" => 60_000,
                "HOUR" => 3_600_000,
                "DAY" => 86_400_000,
                _ => continue,
            };
            match l.rate_limit_type.as_str() {
                "REQUEST_WEIGHT" if l.interval == "MINUTE" && l.interval_num == 1 => {
                    self.inner.limits.set_weight_limit(l.limit)
                }
                "ORDERS" => self.inner.limits.set_order_limit(unit_ms * u64::from(l.interval_num), l.limit),
                _ => {}
            }
        }
        Ok(info)
    }

    /// `GET /api/v3/account` with zero balances omitted.
    pub async fn account(&self) -> Result<Account> {
        let params = Params::new().bool("omitZeroBalances", true);
        self.send(&spot::ACCOUNT, params, Retry::Safe).await
    }

    /// `GET /api/v3/order` by client order id.
    pub async fn order_by_client_id(&self, symbol: &str, client_order_id: &str) -> Result<Order> {
        let params = Params::new()
            .text("symbol", symbol.to_owned())
            .text("origClientOrderId", client_order_id.to_owned());
        self.send(&spot::QUERY_ORDER, params, Retry::Safe).await
    }

    /// `GET /api/v3/order` by order id.
    pub async fn order(&self, symbol: &str, order_id: u64) -> Result<Order> {
        let params = Params::new().text("symbol", symbol.to_owned()).int("orderId", order_id);
        self.send(&spot::QUERY_ORDER, params, Retry::Safe).await
    }

    /// `GET /api/v3/openOrders` for `symbol`, or for all symbols.
    pub async fn open_orders(&self, symbol: Option<&str>) -> Result<Vec<Order>> {
        let mut params = Params::new();
        if let Some(s) = symbol {
            params.set("symbol", s.to_owned());
        }
        self.send(&spot::OPEN_ORDERS, params, Retry::Safe).await
    }

    /// `GET /api/v3/allOrders` for `symbol`.
    pub async fn all_orders(&self, symbol: &str) -> Result<Vec<Order>> {
        self.send(&spot::ALL_ORDERS, Params::new().text("symbol", symbol.to_owned()), Retry::Safe).await
    }

    /// `GET /api/v3/myTrades` for `symbol`.
    pub async fn my_trades(&self, symbol: &str) -> Result<Vec<Trade>> {
        self.send(&spot::MY_TRADES, Params::new().text("symbol", symbol.to_owned()), Retry::Safe).await
    }

    /// `DELETE /api/v3/order` by order id. Cancels are safe to repeat: a second cancel answers -2011.
    pub async fn cancel_order(&self, symbol: &str, order_id: u64) -> Result<Order> {
        let params = Params::new().text("symbol", symbol.to_owned()).int("orderId", order_id);
        self.send(&spot::CANCEL_ORDER, params, Retry::Safe).await
    }

    /// `DELETE /api/v3/openOrders` for `symbol`.
    pub async fn cancel_all(&self, symbol: &str) -> Result<Vec<Order>> {
        self.send(&spot::CANCEL_OPEN_ORDERS, Params::new().text("symbol", symbol.to_owned()), Retry::Safe)
            .await
    }

    /// The symbol's filters, loaded from exchangeInfo once and cached.
    pub async fn symbol_filters(
        &self,
        symbol: &str,
    ) -> Result<std::sync::Arc<mbx_core::filters::SymbolFilters>> {
        if let Some(f) =
            self.inner.filters.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(symbol)
        {
            return Ok(f.clone());
        }
        let info = self.exchange_info(Some(symbol)).await?;
        let s = info.symbol(symbol).ok_or_else(|| Error::Api(ApiError::new(ErrorCode::BAD_SYMBOL)))?;
        let filters = std::sync::Arc::new(mbx_core::filters::SymbolFilters::from_json(
            &serde_json::Value::Array(s.filters.clone()),
        ));
        self.inner
            .filters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(symbol.to_owned(), filters.clone());
        Ok(filters)
    }

    /// Starts a new order: `client.new_order("BTCUSDT", Side::Buy, OrderType::Limit).quantity(q).price(p).send().await`.
    pub fn new_order(&self, symbol: &str, side: Side, order_type: OrderType) -> NewOrder {
        NewOrder {
            client: self.clone(),
            params: Params::new()
                .text("symbol", symbol.to_owned())
                .enumeration("side", &side)
                .enumeration("type", &order_type),
            order_type,
        }
    }
}

/// A new order being built. Every order carries a client order id (generated when none is given), so
/// an unknown outcome can be settled by looking the order up; it is sent again only once the lookup
/// proves the lost request can never be placed ([`NewOrder::send`]).
#[must_use]
#[derive(Debug)]
pub struct NewOrder {
    client: Client,
    params: Params,
    order_type: OrderType,
}

impl NewOrder {
    /// The order type.
    pub fn order_type(&self) -> &OrderType {
        &self.order_type
    }

    /// Sets every term of `terms` (mbx-core's one order type): side, type, quantities, prices, time
    /// in force, client order id, self-trade prevention mode.
    pub fn terms(mut self, terms: &mbx_core::order::OrderTerms) -> Self {
        for (name, value) in terms.to_params().iter() {
            self.params.set(name.to_owned(), value);
        }
        self.order_type = terms.order_type.clone();
        self
    }

    /// Quantity in the base asset.
    pub fn quantity(mut self, q: Decimal) -> Self {
        self.params.set("quantity", mbx_core::encode::decimal(&q));
        self
    }

    /// Quantity in the quote asset (MARKET orders).
    pub fn quote_order_qty(mut self, q: Decimal) -> Self {
        self.params.set("quoteOrderQty", mbx_core::encode::decimal(&q));
        self
    }

    /// Limit price.
    pub fn price(mut self, p: Decimal) -> Self {
        self.params.set("price", mbx_core::encode::decimal(&p));
        self
    }

    /// Stop price.
    pub fn stop_price(mut self, p: Decimal) -> Self {
        self.params.set("stopPrice", mbx_core::encode::decimal(&p));
        self
    }

    /// Makes the order an iceberg showing `q` at a time (`icebergQty`; LIMIT, LIMIT_MAKER and the
    /// stop-limit types, GTC only).
    pub fn iceberg_qty(mut self, q: Decimal) -> Self {
        self.params.set("icebergQty", mbx_core::encode::decimal(&q));
        self
    }

    /// Makes a stop or take-profit order a trailing stop of `bips` (`trailingDelta`; 100 = 1%).
    pub fn trailing_delta(mut self, bips: u64) -> Self {
        self.params.set("trailingDelta", bips.to_string());
        self
    }

    /// Pegs the order's price to the book (`pegPriceType`), `levels` price levels deeper than the
    /// best when given (`pegOffsetType=PRICE_LEVEL`, `pegOffsetValue`).
    pub fn peg(mut self, price_type: mbx_core::model::PegPriceType, levels: Option<u32>) -> Self {
        self.params.set("pegPriceType", price_type.to_string());
        if let Some(levels) = levels {
            self.params.set("pegOffsetType", mbx_core::model::PegOffsetType::PriceLevel.to_string());
            self.params.set("pegOffsetValue", levels.to_string());
        }
        self
    }

    /// Time in force (LIMIT orders default to GTC).
    pub fn time_in_force(mut self, tif: TimeInForce) -> Self {
        self.params.set("timeInForce", tif.to_string());
        self
    }

    /// The client order id to use (default: a fresh random one).
    pub fn client_order_id(mut self, id: impl Into<String>) -> Self {
        self.params.set("newClientOrderId", id.into());
        self
    }

    /// How much the response says.
    pub fn response_type(mut self, t: OrderResponseType) -> Self {
        self.params.set("newOrderRespType", t.to_string());
        self
    }

    /// Self-trade prevention mode.
    pub fn self_trade_prevention(mut self, mode: SelfTradePreventionMode) -> Self {
        self.params.set("selfTradePreventionMode", mode.to_string());
        self
    }

    /// Any other parameter.
    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.params.set(name, value.into());
        self
    }

    /// Checks the order against the symbol's filters (when the client's pre-flight is on).
    pub(crate) async fn preflight(client: &Client, params: &Params) -> Result<()> {
        if !client.inner.preflight {
            return Ok(());
        }
        let symbol = params.get("symbol").unwrap_or_default();
        let filters = client.symbol_filters(symbol).await?;
        // The terms as the sandbox and Binance read them; a request they cannot parse is left for
        // the server to refuse with its own answer.
        let Ok(terms) = mbx_core::order::OrderTerms::parse(params) else { return Ok(()) };
        let checked =
            filters.check(&terms).and_then(|()| filters.check_at_average(&terms, Default::default()));
        checked.map_err(|f| Error::Invalid { error: f.error, advice: f.advice })
    }

    pub(crate) fn prepare(mut self) -> (Client, Params, String) {
        if let Some(tif) = default_time_in_force(&self.order_type) {
            self.params.set_if_absent("timeInForce", tif.to_string());
        }
        let id = match self.params.get("newClientOrderId") {
            Some(id) => id.to_owned(),
            None => {
                let id = new_client_order_id();
                self.params.set("newClientOrderId", id.clone());
                id
            }
        };
        (self.client, self.params, id)
    }

    /// Validates the order with `POST /api/v3/order/test` (nothing is placed).
    pub async fn test(self) -> Result<()> {
        let (client, params, _) = self.prepare();
        Self::preflight(&client, &params).await?;
        let _: serde_json::Value = client.send(&spot::TEST_ORDER, params, Retry::Safe).await?;
        Ok(())
    }

    /// Places the order, exactly once. On an unknown outcome (connection lost, timeout, 5xx,
    /// `-1006`, `-1007`) it is settled before this returns ([`crate::settle`]): the order is looked up by its client order id, and returned in
    /// its real state if found; if Binance says it does not exist, the client waits until the
    /// server's clock is past the request's `timestamp + recvWindow` (after which Binance refuses
    /// the lost request before its matching engine), looks it up once more, and only then sends
    /// it again, with the same client order id and a fresh timestamp. No code path sends it twice
    /// blindly. Lookups that fail are tried again, honouring the client's rate-limit backoff,
    /// until [`ClientBuilder::settle_timeout`](crate::ClientBuilder::settle_timeout); past it
    /// [`Error::UnknownOutcome`] is returned and nothing more is sent.
    ///
    /// A `-1021` (not executed) re-syncs the clock and sends once more; other refusals (`-2010`,
    /// filters, `429`) are returned as they are.
    pub async fn send(self) -> Result<Order> {
        let (client, params, id) = self.prepare();
        Self::preflight(&client, &params).await?;
        crate::settle::place(&client, crate::settle::Via::Rest, params, &id).await
    }
}

/// Looks an order of unknown outcome up by its client order id, a few times (for cancel-replace,
/// whose new order cannot simply be sent again).
pub(crate) async fn reconcile(client: &Client, symbol: &str, id: &str, cause: String) -> Result<Order> {
    let mut last = cause;
    for attempt in 0..3u32 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(200 * u64::from(attempt))).await;
        }
        match client.order_by_client_id(symbol, id).await {
            Ok(order) => return Ok(order),
            // Not (yet) known: it may still appear, so it is not reported as "not placed".
            Err(Error::Api(ApiError { code, msg, .. })) if code == ErrorCode::NO_SUCH_ORDER => {
                last = format!("{cause}; lookup: {msg}", cause = last)
            }
            Err(e) => last = format!("{last}; lookup failed: {e}"),
        }
    }
    Err(Error::UnknownOutcome { client_order_id: Some(id.to_owned()), cause: last })
}

/// A fresh client order id: `mbx-` and 16 random URL-safe characters (Binance allows up to 36 of
/// `^[a-zA-Z0-9-_]`).
pub fn new_client_order_id() -> String {
    use ring::rand::SecureRandom;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 16];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        // No OS randomness: fall back to the clock, still unique per call in practice.
        let t = crate::client::local_now_us().to_le_bytes();
        bytes[..8].copy_from_slice(&t);
    }
    let mut id = String::from("mbx-");
    id.extend(bytes.iter().map(|b| ALPHABET[(b & 63) as usize] as char));
    id
}

/// The time in force a new order of type `t` gets when none is given: GTC for the types that need
/// one (`LIMIT`, `STOP_LOSS_LIMIT`, `TAKE_PROFIT_LIMIT`), none for the others.
///
/// ```
/// use mbx_core::model::{OrderType, TimeInForce};
/// assert_eq!(mbx_client::default_time_in_force(&OrderType::Limit), Some(TimeInForce::Gtc));
/// assert_eq!(mbx_client::default_time_in_force(&OrderType::Market), None);
/// ```
pub fn default_time_in_force(t: &OrderType) -> Option<mbx_core::model::TimeInForce> {
    matches!(t, OrderType::Limit | OrderType::StopLossLimit | OrderType::TakeProfitLimit)
        .then_some(mbx_core::model::TimeInForce::Gtc)
}
