//! Typed market-data calls: order book, tickers.

use mbx_core::Params;
use mbx_core::endpoint::spot;

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
        self.send(&spot::DEPTH, params, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/price` for one symbol.
    pub async fn ticker_price(&self, symbol: &str) -> Result<TickerPrice> {
        let params = Params::new().text("symbol", symbol.to_owned());
        self.send(&spot::TICKER_PRICE, params, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/price` for every symbol.
    pub async fn ticker_prices(&self) -> Result<Vec<TickerPrice>> {
        self.send(&spot::TICKER_PRICE, Params::new(), Retry::Safe).await
    }

    /// `GET /api/v3/ticker/bookTicker` for one symbol: best bid and ask.
    pub async fn book_ticker(&self, symbol: &str) -> Result<BookTicker> {
        let params = Params::new().text("symbol", symbol.to_owned());
        self.send(&spot::TICKER_BOOK, params, Retry::Safe).await
    }

    /// `GET /api/v3/ticker/24hr` for one symbol (FULL statistics).
    pub async fn ticker_24h(&self, symbol: &str) -> Result<Ticker24h> {
        let params = Params::new().text("symbol", symbol.to_owned());
        self.send(&spot::TICKER_24HR, params, Retry::Safe).await
    }
}
