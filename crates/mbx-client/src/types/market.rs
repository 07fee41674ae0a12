//! Market data: order book, tickers, candles and their intervals.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::dec;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// One price level of an order book. On the wire it is a two-element array `["price", "qty"]`
/// (read with the plain-decimal fast path of `dec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// Price.
    pub price: Decimal,
    /// Quantity at that price.
    pub qty: Decimal,
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// One decimal of the pair.
        struct Dec(Decimal);
        impl<'de> Deserialize<'de> for Dec {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                dec::decimal(d).map(Dec)
            }
        }
        struct LevelVisitor;
        impl<'de> Visitor<'de> for LevelVisitor {
            type Value = Level;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a price level [\"price\", \"qty\"]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Level, A::Error> {
                let Dec(price) = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let Dec(qty) = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                // Anything after the pair is ignored, as for candles.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Level { price, qty })
            }
        }
        deserializer.deserialize_seq(LevelVisitor)
    }
}

impl From<(Decimal, Decimal)> for Level {
    fn from((price, qty): (Decimal, Decimal)) -> Self {
        Self { price, qty }
    }
}

/// For `#[serde(deserialize_with = "levels")]`: a side of a book, read into a vector sized for a
/// typical side at once (serde's own starts at 4 and grows four times for 20 levels).
pub(crate) fn levels<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Level>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Level>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of price levels")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Level>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).max(32));
            while let Some(l) = seq.next_element()? {
                out.push(l);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

/// `GET /api/v3/depth`: bids best (highest) first, asks best (lowest) first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderBook {
    /// Wire: lastUpdateId.
    pub last_update_id: u64,
    /// Buy side, highest price first.
    pub bids: Vec<Level>,
    /// Sell side, lowest price first.
    pub asks: Vec<Level>,
}

impl OrderBook {
    /// The highest bid.
    pub fn best_bid(&self) -> Option<&Level> {
        self.bids.first()
    }

    /// The lowest ask.
    pub fn best_ask(&self) -> Option<&Level> {
        self.asks.first()
    }
}

/// `GET /api/v3/ticker/price` for one symbol.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TickerPrice {
    /// Symbol.
    pub symbol: String,
    /// Last trade price.
    #[serde(deserialize_with = "dec::decimal")]
    pub price: Decimal,
}

/// `GET /api/v3/ticker/bookTicker` for one symbol: the best bid and ask.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookTicker {
    /// Symbol.
    pub symbol: String,
    /// Wire: bidPrice.
    #[serde(deserialize_with = "dec::decimal")]
    pub bid_price: Decimal,
    /// Wire: bidQty.
    #[serde(deserialize_with = "dec::decimal")]
    pub bid_qty: Decimal,
    /// Wire: askPrice.
    #[serde(deserialize_with = "dec::decimal")]
    pub ask_price: Decimal,
    /// Wire: askQty.
    #[serde(deserialize_with = "dec::decimal")]
    pub ask_qty: Decimal,
}

/// `GET /api/v3/ticker/24hr` for one symbol: statistics over the last 24 hours (rolling). The fields
/// marked *FULL only* are absent from `type=MINI` answers and are then `None`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticker24h {
    /// Symbol.
    pub symbol: String,
    /// Wire: priceChange (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub price_change: Option<Decimal>,
    /// Wire: priceChangePercent (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub price_change_percent: Option<Decimal>,
    /// Wire: weightedAvgPrice (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub weighted_avg_price: Option<Decimal>,
    /// Wire: prevClosePrice (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub prev_close_price: Option<Decimal>,
    /// Wire: lastPrice.
    #[serde(deserialize_with = "dec::decimal")]
    pub last_price: Decimal,
    /// Wire: lastQty (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub last_qty: Option<Decimal>,
    /// Wire: bidPrice (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub bid_price: Option<Decimal>,
    /// Wire: bidQty (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub bid_qty: Option<Decimal>,
    /// Wire: askPrice (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub ask_price: Option<Decimal>,
    /// Wire: askQty (FULL only).
    #[serde(default)]
    #[serde(deserialize_with = "dec::option")]
    pub ask_qty: Option<Decimal>,
    /// Wire: openPrice.
    #[serde(deserialize_with = "dec::decimal")]
    pub open_price: Decimal,
    /// Wire: highPrice.
    #[serde(deserialize_with = "dec::decimal")]
    pub high_price: Decimal,
    /// Wire: lowPrice.
    #[serde(deserialize_with = "dec::decimal")]
    pub low_price: Decimal,
    /// Wire: volume (base asset).
    #[serde(deserialize_with = "dec::decimal")]
    pub volume: Decimal,
    /// Wire: quoteVolume.
    #[serde(deserialize_with = "dec::decimal")]
    pub quote_volume: Decimal,
    /// Wire: openTime (ms).
    pub open_time: u64,
    /// Wire: closeTime (ms).
    pub close_time: u64,
    /// Wire: firstId (first trade id; -1 without trades).
    pub first_id: i64,
    /// Wire: lastId (last trade id; -1 without trades).
    pub last_id: i64,
    /// Wire: count (number of trades).
    pub count: u64,
}

/// A candle of `GET /api/v3/klines`. On the wire it is an array of 12 values in this order (the last
/// is unused); later additions to the array are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kline {
    /// Open time (ms); candles are identified by it.
    pub open_time: u64,
    /// Open price.
    pub open: Decimal,
    /// High price.
    pub high: Decimal,
    /// Low price.
    pub low: Decimal,
    /// Close price.
    pub close: Decimal,
    /// Volume in the base asset.
    pub volume: Decimal,
    /// Close time (ms): the last millisecond of the candle.
    pub close_time: u64,
    /// Volume in the quote asset.
    pub quote_volume: Decimal,
    /// Number of trades.
    pub trades: u64,
    /// Base-asset volume bought by takers.
    pub taker_buy_base_volume: Decimal,
    /// Quote-asset volume bought by takers.
    pub taker_buy_quote_volume: Decimal,
}

impl Kline {
    /// The CSV header matching [`Kline::csv_row`].
    pub const CSV_HEADER: &'static str = "open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base_volume,taker_buy_quote_volume";

    /// The candle as one CSV line (no line ending), decimals exactly as Binance sent them.
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},{},{},{}",
            self.open_time,
            self.open,
            self.high,
            self.low,
            self.close,
            self.volume,
            self.close_time,
            self.quote_volume,
            self.trades,
            self.taker_buy_base_volume,
            self.taker_buy_quote_volume
        )
    }
}

impl<'de> Deserialize<'de> for Kline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KlineVisitor;

        impl<'de> Visitor<'de> for KlineVisitor {
            type Value = Kline;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a kline array [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ...]")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kline, A::Error> {
                let mut n = 0;
                let mut next = |seq: &mut A| -> Result<Decimal, A::Error> {
                    n += 1;
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(n, &self))
                };
                let open_time: u64 =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let open = next(&mut seq)?;
                let high = next(&mut seq)?;
                let low = next(&mut seq)?;
                let close = next(&mut seq)?;
                let volume = next(&mut seq)?;
                let close_time: u64 =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(6, &self))?;
                let quote_volume: Decimal =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(7, &self))?;
                let trades: u64 = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(8, &self))?;
                let taker_buy_base_volume: Decimal =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(9, &self))?;
                let taker_buy_quote_volume: Decimal =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(10, &self))?;
                // The unused twelfth value, and anything Binance may add later.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Kline {
                    open_time,
                    open,
                    high,
                    low,
                    close,
                    volume,
                    close_time,
                    quote_volume,
                    trades,
                    taker_buy_base_volume,
                    taker_buy_quote_volume,
                })
            }
        }

        deserializer.deserialize_seq(KlineVisitor)
    }
}

/// A kline interval, written as Binance spells it (case-sensitive: `1m` is a minute, `1M` a month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Interval {
    /// `1s`.
    Second1,
    /// `1m`.
    Minute1,
    /// `3m`.
    Minute3,
    /// `5m`.
    Minute5,
    /// `15m`.
    Minute15,
    /// `30m`.
    Minute30,
    /// `1h`.
    Hour1,
    /// `2h`.
    Hour2,
    /// `4h`.
    Hour4,
    /// `6h`.
    Hour6,
    /// `8h`.
    Hour8,
    /// `12h`.
    Hour12,
    /// `1d`.
    Day1,
    /// `3d`.
    Day3,
    /// `1w`.
    Week1,
    /// `1M` (a calendar month).
    Month1,
}

impl Interval {
    /// Every interval, shortest first.
    pub const ALL: [Interval; 16] = [
        Interval::Second1,
        Interval::Minute1,
        Interval::Minute3,
        Interval::Minute5,
        Interval::Minute15,
        Interval::Minute30,
        Interval::Hour1,
        Interval::Hour2,
        Interval::Hour4,
        Interval::Hour6,
        Interval::Hour8,
        Interval::Hour12,
        Interval::Day1,
        Interval::Day3,
        Interval::Week1,
        Interval::Month1,
    ];

    /// The wire value (`"15m"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Second1 => "1s",
            Interval::Minute1 => "1m",
            Interval::Minute3 => "3m",
            Interval::Minute5 => "5m",
            Interval::Minute15 => "15m",
            Interval::Minute30 => "30m",
            Interval::Hour1 => "1h",
            Interval::Hour2 => "2h",
            Interval::Hour4 => "4h",
            Interval::Hour6 => "6h",
            Interval::Hour8 => "8h",
            Interval::Hour12 => "12h",
            Interval::Day1 => "1d",
            Interval::Day3 => "3d",
            Interval::Week1 => "1w",
            Interval::Month1 => "1M",
        }
    }

    /// The length in milliseconds; `None` for `1M`, whose months differ in length.
    pub fn millis(self) -> Option<u64> {
        const S: u64 = 1000;
        const M: u64 = 60 * S;
        const H: u64 = 60 * M;
        const D: u64 = 24 * H;
        Some(match self {
            Interval::Second1 => S,
            Interval::Minute1 => M,
            Interval::Minute3 => 3 * M,
            Interval::Minute5 => 5 * M,
            Interval::Minute15 => 15 * M,
            Interval::Minute30 => 30 * M,
            Interval::Hour1 => H,
            Interval::Hour2 => 2 * H,
            Interval::Hour4 => 4 * H,
            Interval::Hour6 => 6 * H,
            Interval::Hour8 => 8 * H,
            Interval::Hour12 => 12 * H,
            Interval::Day1 => D,
            Interval::Day3 => 3 * D,
            Interval::Week1 => 7 * D,
            Interval::Month1 => return None,
        })
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not one of Binance's kline intervals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a kline interval: use one of 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M (case matters: 1m is a minute, 1M a month)"
)]
pub struct ParseIntervalError(pub String);

impl FromStr for Interval {
    type Err = ParseIntervalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Interval::ALL.into_iter().find(|i| i.as_str() == s).ok_or_else(|| ParseIntervalError(s.to_owned()))
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn kline_twelve_field_array_decodes_with_decimals_as_sent() {
        let raw = r#"[[1700000040000,"36512.01000000","36530.50000000","36500.00000000","36520.99000000",
            "12.34500000",1700000099999,"450812.33000000",217,"6.10000000","222777.10000000","0"]]"#;
        let k: Vec<Kline> = serde_json::from_str(raw).unwrap();
        assert_eq!(k.len(), 1);
        let k = k[0];
        assert_eq!(k.open_time, 1_700_000_040_000);
        assert_eq!(k.close_time, 1_700_000_099_999);
        assert_eq!(k.open, dec("36512.01"));
        assert_eq!(k.high, dec("36530.5"));
        assert_eq!(k.low, dec("36500"));
        assert_eq!(k.close, dec("36520.99"));
        assert_eq!(k.volume, dec("12.345"));
        assert_eq!(k.quote_volume, dec("450812.33"));
        assert_eq!(k.trades, 217);
        assert_eq!(k.taker_buy_base_volume, dec("6.1"));
        assert_eq!(k.taker_buy_quote_volume, dec("222777.1"));
        // The scale Binance sent is kept: the CSV shows the same digits.
        assert_eq!(
            k.csv_row(),
            "1700000040000,36512.01000000,36530.50000000,36500.00000000,36520.99000000,12.34500000,\
             1700000099999,450812.33000000,217,6.10000000,222777.10000000"
        );
        assert_eq!(Kline::CSV_HEADER.split(',').count(), k.csv_row().split(',').count());
    }

    #[test]
    fn kline_extra_trailing_values_are_ignored_and_short_arrays_rejected() {
        let longer = r#"[1,"1","1","1","1","0",2,"0",0,"0","0","0","future",7]"#;
        assert_eq!(serde_json::from_str::<Kline>(longer).unwrap().close_time, 2);
        let short = r#"[1,"1","1","1","1","0",2,"0",0,"0"]"#;
        let err = serde_json::from_str::<Kline>(short).unwrap_err().to_string();
        assert!(err.contains("invalid length 10"), "{err}");
        assert!(serde_json::from_str::<Kline>(r#"{"openTime":1}"#).is_err());
        assert!(serde_json::from_str::<Kline>(r#"[1,"x","1","1","1","0",2,"0",0,"0","0","0"]"#).is_err());
    }

    #[test]
    fn interval_display_and_parse_round_trip_for_every_value() {
        // The intervals are mbx-core's (`stream::KLINE_INTERVALS`): this type covers each, in order.
        let wire = mbx_core::stream::KLINE_INTERVALS;
        let shown: Vec<String> = Interval::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(shown, wire);
        for w in wire {
            assert_eq!(w.parse::<Interval>().unwrap().to_string(), w);
            let json = serde_json::to_string(&w.parse::<Interval>().unwrap()).unwrap();
            assert_eq!(serde_json::from_str::<Interval>(&json).unwrap().as_str(), w);
        }
        assert_eq!("1M".parse::<Interval>().unwrap(), Interval::Month1);
        assert_eq!("1m".parse::<Interval>().unwrap(), Interval::Minute1);
        for bad in ["1H", "60m", "", "1 m", "1mo"] {
            let err = bad.parse::<Interval>().unwrap_err().to_string();
            assert!(err.contains("1s 1m 3m") && err.contains("case matters"), "{err}");
        }
    }

    #[test]
    fn interval_lengths_grow_and_month_has_none() {
        let lengths: Vec<u64> = Interval::ALL.iter().filter_map(|i| i.millis()).collect();
        assert_eq!(lengths.len(), 15);
        assert!(lengths.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Interval::Minute15.millis(), Some(900_000));
        assert_eq!(Interval::Week1.millis(), Some(604_800_000));
        assert_eq!(Interval::Month1.millis(), None);
    }

    #[test]
    fn order_book_levels_and_tickers_decode_as_decimals() {
        let book: OrderBook = serde_json::from_str(
            r#"{"lastUpdateId":77,"bids":[["101.50","2.000"],["101.00","0.5"]],"asks":[["102.25","1.25"]]}"#,
        )
        .unwrap();
        assert_eq!(book.last_update_id, 77);
        assert_eq!(book.best_bid(), Some(&Level { price: dec("101.5"), qty: dec("2") }));
        assert_eq!(book.best_ask().unwrap().price.to_string(), "102.25");
        assert!(serde_json::from_str::<OrderBook>(r#"{"lastUpdateId":1,"bids":[["1"]],"asks":[]}"#).is_err());

        let p: TickerPrice = serde_json::from_str(r#"{"symbol":"ETHBTC","price":"0.05120000"}"#).unwrap();
        assert_eq!(p.price, dec("0.0512"));
        let b: BookTicker = serde_json::from_str(
            r#"{"symbol":"ETHBTC","bidPrice":"0.0511","bidQty":"3","askPrice":"0.0513","askQty":"4.5"}"#,
        )
        .unwrap();
        assert!(b.bid_price < b.ask_price);

        let full = r#"{"symbol":"ETHBTC","priceChange":"-0.00100000","priceChangePercent":"-1.914",
            "weightedAvgPrice":"0.05150000","prevClosePrice":"0.05220000","lastPrice":"0.05120000",
            "lastQty":"0.40000000","bidPrice":"0.05110000","bidQty":"3.00000000","askPrice":"0.05130000",
            "askQty":"4.50000000","openPrice":"0.05220000","highPrice":"0.05300000","lowPrice":"0.05050000",
            "volume":"812.10000000","quoteVolume":"41.82000000","openTime":1700000000000,
            "closeTime":1700086399999,"firstId":1001,"lastId":1180,"count":180}"#;
        let t: Ticker24h = serde_json::from_str(full).unwrap();
        assert_eq!(t.price_change_percent, Some(dec("-1.914")));
        assert_eq!(t.count, 180);
        let mini = r#"{"symbol":"ETHBTC","openPrice":"1","highPrice":"2","lowPrice":"0.5","lastPrice":"1.5",
            "volume":"10","quoteVolume":"15","openTime":1,"closeTime":2,"firstId":-1,"lastId":-1,"count":0}"#;
        let t: Ticker24h = serde_json::from_str(mini).unwrap();
        assert_eq!((t.price_change, t.last_price, t.first_id), (None, dec("1.5"), -1));
    }
}
