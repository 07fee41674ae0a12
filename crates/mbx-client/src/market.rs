//! Typed market-data calls: order book, tickers.

use mbx_core::Params;
use mbx_core::endpoint::{Method, Security};

use crate::client::{Client, Retry};
use crate::error::Result;
use crate::types::{BookTicker, OrderBook, Ticker24h, TickerPrice};

impl Client {
    /// `GET /api/v3/depth`: `limit` levels per side (Binance's default 100 when `None`; the request
    /// weight grows with the limit).
    pub async fn depth(&self, symbol: &str, limit: Option<u32>) -> Result<OrderBook> {
        let mut params = Params::new().text("symbol", symbol.to_owned());
        if let Some(l) = limit {
            params.set("limit", l.to_string());
        }
        self.send(Method::Get, "/api/v3/depth", params, Security::None, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/price` for one symbol.
    pub async fn ticker_price(&self, symbol: &str) -> Result<TickerPrice> {
        let params = Params::new().text("symbol", symbol.to_owned());
        self.send(Method::Get, "/api/v3/ticker/price", params, Security::None, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/price` for every symbol.
    pub async fn ticker_prices(&self) -> Result<Vec<TickerPrice>> {
        self.send(Method::Get, "/api/v3/ticker/price", Params::new(), Security::None, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/bookTicker` for one symbol: best bid and ask.
    pub async fn book_ticker(&self, symbol: &str) -> Result<BookTicker> {
        let params = Params::new().text("symbol", symbol.to_owned());
        self.send(Method::Get, "/api/v3/ticker/bookTicker", params, Security::None, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/24hr` for one symbol (FULL statistics).
    pub async fn ticker_24h(&self, symbol: &str) -> Result<Ticker24h> {
        let params = Params::new().text("symbol", symbol.to_owned());
        self.send(Method::Get, "/api/v3/ticker/24hr", params, Security::None, Retry::Safe).await
    }
}
