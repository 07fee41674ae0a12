//! Market stream events (web-socket-streams.md), typed: which type a frame is read as follows from
//! its stream's name ([`mbx_core::stream::Kind`]), since some events (`bookTicker`, partial depth)
//! carry no event type. Amounts are `Decimal`; a field the docs mark "Ignore" is left out.

use mbx_core::stream::Kind;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Level, dec, fast};

/// A symbol name as events carry it (`BNBBTC`): kept inline up to 22 bytes (every Binance symbol is
/// shorter), so decoding an event allocates nothing for it; a longer name is kept on the heap.
///
/// ```
/// use mbx_client::types::stream::Symbol;
/// let s = Symbol::from("BTCUSDT");
/// assert_eq!(s, "BTCUSDT");
/// assert_eq!(s.as_str().len(), 7);
/// assert_eq!(Symbol::from("A_VERY_LONG_SYMBOL_NAME_OF_30B").as_str(), "A_VERY_LONG_SYMBOL_NAME_OF_30B");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Symbol(SymbolRepr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum SymbolRepr {
    Inline { len: u8, bytes: [u8; 22] },
    Heap(Box<str>),
}

impl Symbol {
    /// The name.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            SymbolRepr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or("")
            }
            SymbolRepr::Heap(s) => s,
        }
    }
}

impl From<&str> for Symbol {
    fn from(s: &str) -> Symbol {
        if s.len() <= 22 {
            let mut bytes = [0u8; 22];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Symbol(SymbolRepr::Inline { len: u8::try_from(s.len()).unwrap_or(0), bytes })
        } else {
            Symbol(SymbolRepr::Heap(s.into()))
        }
    }
}

impl std::ops::Deref for Symbol {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Symbol {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Symbol {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Symbol;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a symbol name")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Symbol, E> {
                Ok(Symbol::from(s))
            }
        }
        d.deserialize_str(V)
    }
}

/// `<symbol>@trade`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TradeEvent {
    /// Wire: E, event time (ms).
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: t.
    #[serde(rename = "t")]
    pub trade_id: u64,
    /// Wire: p.
    #[serde(rename = "p", deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Wire: q.
    #[serde(rename = "q", deserialize_with = "dec::decimal")]
    pub quantity: Decimal,
    /// Wire: T, trade time (ms).
    #[serde(rename = "T")]
    pub trade_time: u64,
    /// Wire: m, whether the buyer was the maker.
    #[serde(rename = "m")]
    pub buyer_is_maker: bool,
}

/// `<symbol>@aggTrade`: the fills of one taker order at one price.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AggTradeEvent {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: a.
    #[serde(rename = "a")]
    pub agg_id: u64,
    /// Wire: p.
    #[serde(rename = "p", deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Wire: q.
    #[serde(rename = "q", deserialize_with = "dec::decimal")]
    pub quantity: Decimal,
    /// Wire: f.
    #[serde(rename = "f")]
    pub first_trade_id: u64,
    /// Wire: l.
    #[serde(rename = "l")]
    pub last_trade_id: u64,
    /// Wire: T.
    #[serde(rename = "T")]
    pub trade_time: u64,
    /// Wire: m.
    #[serde(rename = "m")]
    pub buyer_is_maker: bool,
}

/// The candle of a kline event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StreamKline {
    /// Wire: t, open time (ms).
    #[serde(rename = "t")]
    pub open_time: u64,
    /// Wire: T, close time (ms).
    #[serde(rename = "T")]
    pub close_time: u64,
    /// Wire: i.
    #[serde(rename = "i")]
    pub interval: String,
    /// Wire: f (-1 when no trade).
    #[serde(rename = "f")]
    pub first_trade_id: i64,
    /// Wire: L (-1 when no trade).
    #[serde(rename = "L")]
    pub last_trade_id: i64,
    /// Wire: o.
    #[serde(rename = "o", deserialize_with = "dec::decimal")]
    pub open: Decimal,
    /// Wire: c.
    #[serde(rename = "c", deserialize_with = "dec::decimal")]
    pub close: Decimal,
    /// Wire: h.
    #[serde(rename = "h", deserialize_with = "dec::decimal")]
    pub high: Decimal,
    /// Wire: l.
    #[serde(rename = "l", deserialize_with = "dec::decimal")]
    pub low: Decimal,
    /// Wire: v.
    #[serde(rename = "v", deserialize_with = "dec::decimal")]
    pub volume: Decimal,
    /// Wire: n.
    #[serde(rename = "n")]
    pub trades: u64,
    /// Wire: x, whether the candle is closed.
    #[serde(rename = "x")]
    pub closed: bool,
    /// Wire: q.
    #[serde(rename = "q", deserialize_with = "dec::decimal")]
    pub quote_volume: Decimal,
    /// Wire: V.
    #[serde(rename = "V", deserialize_with = "dec::decimal")]
    pub taker_buy_base_volume: Decimal,
    /// Wire: Q.
    #[serde(rename = "Q", deserialize_with = "dec::decimal")]
    pub taker_buy_quote_volume: Decimal,
}

/// `<symbol>@kline_<interval>` (and `@+08:00`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KlineEvent {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: k.
    #[serde(rename = "k")]
    pub kline: StreamKline,
}

/// `<symbol>@miniTicker` (and each entry of `!miniTicker@arr`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MiniTickerEvent {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: c.
    #[serde(rename = "c", deserialize_with = "dec::decimal")]
    pub close: Decimal,
    /// Wire: o.
    #[serde(rename = "o", deserialize_with = "dec::decimal")]
    pub open: Decimal,
    /// Wire: h.
    #[serde(rename = "h", deserialize_with = "dec::decimal")]
    pub high: Decimal,
    /// Wire: l.
    #[serde(rename = "l", deserialize_with = "dec::decimal")]
    pub low: Decimal,
    /// Wire: v.
    #[serde(rename = "v", deserialize_with = "dec::decimal")]
    pub volume: Decimal,
    /// Wire: q.
    #[serde(rename = "q", deserialize_with = "dec::decimal")]
    pub quote_volume: Decimal,
}

/// `<symbol>@ticker` (24 hours) and `<symbol>@ticker_<window>` (and the entries of their `!..@arr`
/// forms); the fields only the 24-hour ticker has are `None` for a window ticker.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TickerEvent {
    /// Wire: e (`24hrTicker`, `1hTicker`, `4hTicker`, `1dTicker`).
    #[serde(rename = "e")]
    pub event_type: String,
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: p.
    #[serde(rename = "p", deserialize_with = "dec::decimal")]
    pub price_change: Decimal,
    /// Wire: P.
    #[serde(rename = "P", deserialize_with = "dec::decimal")]
    pub price_change_percent: Decimal,
    /// Wire: w.
    #[serde(rename = "w", deserialize_with = "dec::decimal")]
    pub weighted_avg_price: Decimal,
    /// Wire: x (24-hour ticker only).
    #[serde(rename = "x", default, deserialize_with = "dec::option")]
    pub prev_close: Option<Decimal>,
    /// Wire: c.
    #[serde(rename = "c", deserialize_with = "dec::decimal")]
    pub last_price: Decimal,
    /// Wire: Q (24-hour ticker only).
    #[serde(rename = "Q", default, deserialize_with = "dec::option")]
    pub last_quantity: Option<Decimal>,
    /// Wire: b (24-hour ticker only).
    #[serde(rename = "b", default, deserialize_with = "dec::option")]
    pub bid_price: Option<Decimal>,
    /// Wire: B (24-hour ticker only).
    #[serde(rename = "B", default, deserialize_with = "dec::option")]
    pub bid_quantity: Option<Decimal>,
    /// Wire: a (24-hour ticker only).
    #[serde(rename = "a", default, deserialize_with = "dec::option")]
    pub ask_price: Option<Decimal>,
    /// Wire: A (24-hour ticker only).
    #[serde(rename = "A", default, deserialize_with = "dec::option")]
    pub ask_quantity: Option<Decimal>,
    /// Wire: o.
    #[serde(rename = "o", deserialize_with = "dec::decimal")]
    pub open: Decimal,
    /// Wire: h.
    #[serde(rename = "h", deserialize_with = "dec::decimal")]
    pub high: Decimal,
    /// Wire: l.
    #[serde(rename = "l", deserialize_with = "dec::decimal")]
    pub low: Decimal,
    /// Wire: v.
    #[serde(rename = "v", deserialize_with = "dec::decimal")]
    pub volume: Decimal,
    /// Wire: q.
    #[serde(rename = "q", deserialize_with = "dec::decimal")]
    pub quote_volume: Decimal,
    /// Wire: O, statistics open time (ms).
    #[serde(rename = "O")]
    pub open_time: u64,
    /// Wire: C, statistics close time (ms).
    #[serde(rename = "C")]
    pub close_time: u64,
    /// Wire: F (-1 when no trade).
    #[serde(rename = "F")]
    pub first_trade_id: i64,
    /// Wire: L (-1 when no trade).
    #[serde(rename = "L")]
    pub last_trade_id: i64,
    /// Wire: n.
    #[serde(rename = "n")]
    pub trades: u64,
}

/// `<symbol>@bookTicker`: the best bid and ask.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BookTickerEvent {
    /// Wire: u, the book's update id.
    #[serde(rename = "u")]
    pub update_id: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: b.
    #[serde(rename = "b", deserialize_with = "dec::decimal")]
    pub bid_price: Decimal,
    /// Wire: B.
    #[serde(rename = "B", deserialize_with = "dec::decimal")]
    pub bid_quantity: Decimal,
    /// Wire: a.
    #[serde(rename = "a", deserialize_with = "dec::decimal")]
    pub ask_price: Decimal,
    /// Wire: A.
    #[serde(rename = "A", deserialize_with = "dec::decimal")]
    pub ask_quantity: Decimal,
}

/// `<symbol>@avgPrice`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AvgPriceEvent {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: i, the averaging interval (`5m`).
    #[serde(rename = "i")]
    pub interval: String,
    /// Wire: w.
    #[serde(rename = "w", deserialize_with = "dec::decimal")]
    pub price: Decimal,
    /// Wire: T, the last trade's time (ms).
    #[serde(rename = "T")]
    pub last_trade_time: u64,
}

/// `<symbol>@depth[@100ms]`: the levels that changed between update ids `U` and `u`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DepthUpdateEvent {
    /// Wire: E.
    #[serde(rename = "E")]
    pub event_time: u64,
    /// Wire: s.
    #[serde(rename = "s")]
    pub symbol: Symbol,
    /// Wire: U, the first update id in the event.
    #[serde(rename = "U")]
    pub first_update_id: u64,
    /// Wire: u, the last.
    #[serde(rename = "u")]
    pub final_update_id: u64,
    /// Wire: b; a quantity of zero removes the level.
    #[serde(rename = "b", deserialize_with = "super::market::levels")]
    pub bids: Vec<Level>,
    /// Wire: a.
    #[serde(rename = "a", deserialize_with = "super::market::levels")]
    pub asks: Vec<Level>,
}

/// `<symbol>@depth<5|10|20>[@100ms]`: the top levels.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialDepthEvent {
    /// Wire: lastUpdateId.
    pub last_update_id: u64,
    /// Best first.
    #[serde(deserialize_with = "super::market::levels")]
    pub bids: Vec<Level>,
    /// Best first.
    #[serde(deserialize_with = "super::market::levels")]
    pub asks: Vec<Level>,
}

/// A market stream event, typed by its stream. The large events (candles, tickers) are boxed, so
/// the enum a trade travels in stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarketEvent {
    /// `@trade`.
    Trade(TradeEvent),
    /// `@aggTrade`.
    AggTrade(AggTradeEvent),
    /// `@kline_<interval>`.
    Kline(Box<KlineEvent>),
    /// `@miniTicker`.
    MiniTicker(MiniTickerEvent),
    /// `!miniTicker@arr`.
    MiniTickers(Vec<MiniTickerEvent>),
    /// `@ticker`, `@ticker_<window>`.
    Ticker(Box<TickerEvent>),
    /// `!ticker_<window>@arr`.
    Tickers(Vec<TickerEvent>),
    /// `@bookTicker`.
    BookTicker(BookTickerEvent),
    /// `@avgPrice`.
    AvgPrice(AvgPriceEvent),
    /// `@depth[@100ms]`.
    DepthUpdate(DepthUpdateEvent),
    /// `@depth<N>[@100ms]`.
    PartialDepth(PartialDepthEvent),
    /// Anything else (`@blockTrade`, `@referencePrice`, a stream this version does not type), as sent.
    Other(serde_json::Value),
}

impl MarketEvent {
    /// Reads `data`, the event of stream `kind`. `trade`, `aggTrade` and depth events in the shape
    /// Binance sends are read by a hand-written reader (`types::fast`); anything else, and those
    /// events in any other valid shape, by serde, with the same result.
    ///
    /// ```
    /// use mbx_client::types::stream::MarketEvent;
    /// use mbx_core::stream::Stream;
    /// let kind = Stream::parse("btcusdt@trade").unwrap().kind;
    /// let data = r#"{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"30000.10000000","q":"0.01000000","T":1,"m":true,"M":true}"#;
    /// match MarketEvent::parse(kind, data).unwrap() {
    ///     MarketEvent::Trade(t) => assert_eq!(t.price.to_string(), "30000.10000000"),
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    pub fn parse(kind: Kind, data: &str) -> serde_json::Result<MarketEvent> {
        if let Some(event) = MarketEvent::parse_fast(kind, data) {
            return Ok(event);
        }
        Ok(match kind {
            Kind::Trade => MarketEvent::Trade(serde_json::from_str(data)?),
            Kind::AggTrade => MarketEvent::AggTrade(serde_json::from_str(data)?),
            Kind::Kline { .. } => MarketEvent::Kline(serde_json::from_str(data)?),
            Kind::MiniTicker => MarketEvent::MiniTicker(serde_json::from_str(data)?),
            Kind::AllMiniTickers => MarketEvent::MiniTickers(serde_json::from_str(data)?),
            Kind::Ticker | Kind::TickerWindow(_) => MarketEvent::Ticker(serde_json::from_str(data)?),
            Kind::AllTickerWindows(_) => MarketEvent::Tickers(serde_json::from_str(data)?),
            Kind::BookTicker => MarketEvent::BookTicker(serde_json::from_str(data)?),
            Kind::AvgPrice => MarketEvent::AvgPrice(serde_json::from_str(data)?),
            Kind::DiffDepth { .. } => MarketEvent::DepthUpdate(serde_json::from_str(data)?),
            Kind::PartialDepth { .. } => MarketEvent::PartialDepth(serde_json::from_str(data)?),
            Kind::BlockTrade | Kind::ReferencePrice => MarketEvent::Other(serde_json::from_str(data)?),
        })
    }

    /// The hand-written reader alone: `None` for a kind it does not read, or an event in another
    /// shape than Binance's (which [`MarketEvent::parse`] then reads with serde).
    pub(crate) fn parse_fast(kind: Kind, data: &str) -> Option<MarketEvent> {
        match kind {
            Kind::Trade => fast::trade(data).map(MarketEvent::Trade),
            Kind::AggTrade => fast::agg_trade(data).map(MarketEvent::AggTrade),
            Kind::DiffDepth { .. } => fast::depth_update(data).map(MarketEvent::DepthUpdate),
            Kind::PartialDepth { .. } => fast::partial_depth(data).map(MarketEvent::PartialDepth),
            _ => None,
        }
    }
}
