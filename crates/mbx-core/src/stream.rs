//! Market stream names (web-socket-streams.md): what `<symbol>@kline_1m`, `!ticker_1h@arr` or
//! `btcusdt@depth20@100ms` mean, read once for the sandbox (which serves them) and clients (which
//! subscribe to them).
//!
//! Symbols are lower case in stream names; the rest is case-sensitive (`kline_1M` is a month,
//! `kline_1m` a minute).
//!
//! ```
//! use mbx_core::stream::{Kind, Stream, Window};
//! let s = Stream::parse("BTCUSDT@depth20@100ms").unwrap();
//! assert_eq!(s.name(), "btcusdt@depth20@100ms");
//! assert_eq!(s.symbol(), Some("btcusdt"));
//! assert_eq!(s.kind, Kind::PartialDepth { levels: 20, fast: true });
//! assert_eq!(Stream::parse("!ticker_4h@arr").unwrap().kind, Kind::AllTickerWindows(Window::H4));
//! assert!(Stream::parse("btcusdt@depth7").is_err());
//! assert!(Stream::parse("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A").is_err());
//! ```

use std::fmt;

/// The control messages a market stream connection takes (web-socket-streams.md, "Live
/// Subscribing/Unsubscribing to streams"), as `method`: the sandbox reads them, and the doctor names
/// one sent to the WebSocket API, which takes none of them.
pub const CONTROL_METHODS: [&str; 5] =
    ["SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY"];

/// Streams one market stream connection may carry (web-socket-streams.md): the sandbox refuses
/// more, the client spreads more over several connections.
///
/// ```
/// assert_eq!(mbx_core::stream::MAX_STREAMS_PER_CONNECTION, 1024);
/// ```
pub const MAX_STREAMS_PER_CONNECTION: usize = 1024;

/// WebSocket connection attempts an address may make in [`CONNECTIONS_WINDOW`]: 300 to the market
/// streams (web-socket-streams.md) and, counted apart, 300 to the WebSocket API
/// (web-socket-api.md). The sandbox refuses the next with HTTP 429; the client does not start it.
///
/// ```
/// use mbx_core::stream::{CONNECTIONS_PER_WINDOW, CONNECTIONS_WINDOW};
/// assert_eq!((CONNECTIONS_PER_WINDOW, CONNECTIONS_WINDOW.as_secs()), (300, 300));
/// ```
pub const CONNECTIONS_PER_WINDOW: u32 = 300;

/// The window of [`CONNECTIONS_PER_WINDOW`]: 5 minutes.
pub const CONNECTIONS_WINDOW: std::time::Duration = std::time::Duration::from_secs(300);

/// Kline intervals, as stream names and the REST API write them (from the one table,
/// [`crate::timeframe`]'s).
pub const KLINE_INTERVALS: [&str; 16] = crate::timeframe::INTERVAL_NAMES;

/// A rolling window of the window ticker streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// One hour.
    H1,
    /// Four hours.
    H4,
    /// One day.
    D1,
}

impl Window {
    /// As written in stream names and event types: `1h`, `4h`, `1d`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Window::H1 => "1h",
            Window::H4 => "4h",
            Window::D1 => "1d",
        }
    }

    /// Its length in milliseconds.
    pub const fn millis(self) -> u64 {
        match self {
            Window::H1 => 3_600_000,
            Window::H4 => 4 * 3_600_000,
            Window::D1 => 24 * 3_600_000,
        }
    }

    /// Every window, shortest first.
    pub const ALL: [Window; 3] = [Window::H1, Window::H4, Window::D1];

    fn parse(s: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.as_str() == s)
    }
}

/// Whether `url` opens a market stream connection (`ws[s]://host/ws`, `/ws/<streams>`,
/// `/stream?streams=...`), not the WebSocket API's (`/ws-api/v3`): the frames sent on it (SUBSCRIBE,
/// LIST_SUBSCRIPTIONS...) are stream control messages, not requests.
///
/// ```
/// use mbx_core::stream::is_stream_url;
/// assert!(is_stream_url("wss://stream.binance.com:9443/ws"));
/// assert!(is_stream_url("wss://data-stream.binance.vision/stream?streams=btcusdt@trade"));
/// assert!(!is_stream_url("wss://ws-api.binance.com:443/ws-api/v3"));
/// ```
pub fn is_stream_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("ws://").or_else(|| url.strip_prefix("wss://")) else { return false };
    let path = rest.find('/').map_or("", |at| &rest[at..]);
    let path = path.split('?').next().unwrap_or(path);
    path == "/ws" || path.starts_with("/ws/") || path == "/stream" || path.starts_with("/stream/")
}

/// The stream types a name spells out after `<symbol>@` as they are, with what each carries (the
/// others: `kline_<interval>`, `ticker_<window>`, `depth<levels>`, read by `parse_other`).
const NAMED: &[(&str, Kind)] = &[
    ("trade", Kind::Trade),
    ("aggTrade", Kind::AggTrade),
    ("blockTrade", Kind::BlockTrade),
    ("miniTicker", Kind::MiniTicker),
    ("ticker", Kind::Ticker),
    ("bookTicker", Kind::BookTicker),
    ("avgPrice", Kind::AvgPrice),
    ("referencePrice", Kind::ReferencePrice),
    ("depth", Kind::DiffDepth { fast: false }),
    ("depth@100ms", Kind::DiffDepth { fast: true }),
    ("depth@1000ms", Kind::DiffDepth { fast: false }),
];

/// The levels of the partial depth streams (`depth5`, `depth10`, `depth20`).
const PARTIAL_LEVELS: [u8; 3] = [5, 10, 20];

/// What a stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `<symbol>@trade`.
    Trade,
    /// `<symbol>@aggTrade`.
    AggTrade,
    /// `<symbol>@blockTrade`.
    BlockTrade,
    /// `<symbol>@kline_<interval>`, `@+08:00` for klines that open and close in UTC+8.
    Kline {
        /// One of [`KLINE_INTERVALS`].
        interval: &'static str,
        /// UTC+8 instead of UTC.
        utc8: bool,
    },
    /// `<symbol>@miniTicker`.
    MiniTicker,
    /// `!miniTicker@arr`.
    AllMiniTickers,
    /// `<symbol>@ticker` (24 hours).
    Ticker,
    /// `<symbol>@ticker_<window>`.
    TickerWindow(Window),
    /// `!ticker_<window>@arr`.
    AllTickerWindows(Window),
    /// `<symbol>@bookTicker`.
    BookTicker,
    /// `<symbol>@avgPrice`.
    AvgPrice,
    /// `<symbol>@depth<5|10|20>`, `@100ms` for every 100 ms instead of every second.
    PartialDepth {
        /// 5, 10 or 20.
        levels: u8,
        /// Every 100 ms.
        fast: bool,
    },
    /// `<symbol>@depth`, `@100ms` for every 100 ms instead of every second.
    DiffDepth {
        /// Every 100 ms.
        fast: bool,
    },
    /// `<symbol>@referencePrice`.
    ReferencePrice,
}

/// A stream: its name as subscribed (symbol lower-cased) and what it carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stream {
    name: String,
    /// What it carries.
    pub kind: Kind,
}

/// Why a stream name is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadStream(pub String);

impl fmt::Display for BadStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadStream {}

impl Stream {
    /// Reads a stream name.
    pub fn parse(text: &str) -> Result<Stream, BadStream> {
        let bad = |why: String| Err(BadStream(why));
        let text = text.trim();
        if text.len() > 200 || text.chars().any(char::is_control) {
            return bad("a stream name is at most 200 printable characters".into());
        }
        if let Some(rest) = text.strip_prefix('!') {
            let kind = match rest {
                // With its update speed written out, as python-binance's start_miniticker_socket
                // names it by default; Binance serves it under that name.
                "miniTicker@arr" | "miniTicker@arr@1000ms" => Kind::AllMiniTickers,
                _ => match rest
                    .strip_prefix("ticker_")
                    .and_then(|r| r.strip_suffix("@arr"))
                    .and_then(Window::parse)
                {
                    Some(w) => Kind::AllTickerWindows(w),
                    None => {
                        // Two that clients still open (python-binance's ticker_socket and
                        // book_ticker_socket): Binance retired them (CHANGELOG 2025-12-02 and 2022).
                        let retired = match rest {
                            "ticker@arr" => {
                                " was retired by Binance on 2026-03-26 (use <symbol>@ticker or !miniTicker@arr)"
                            }
                            "bookTicker" => {
                                " was removed by Binance in December 2022 (use <symbol>@bookTicker)"
                            }
                            _ => "",
                        };
                        return bad(format!(
                            "unknown stream {text}{retired}: the all-market streams are !miniTicker@arr and !ticker_<1h|4h|1d>@arr"
                        ));
                    }
                },
            };
            return Ok(Stream { name: text.to_owned(), kind });
        }
        let Some((symbol, kind)) = text.split_once('@') else {
            if crate::accept::is_well_formed_key(text) {
                return bad("an API key (or a listenKey, retired on Binance spot since 2026-02-20: use the WebSocket API's userDataStream.subscribe) is not a stream name (market streams take no key): name streams as <symbol>@<stream>, e.g. btcusdt@trade".into());
            }
            return bad(format!(
                "'{}' is not a stream name: <symbol>@<stream>, e.g. btcusdt@trade",
                crate::accept::clip(text, 40)
            ));
        };
        // Symbols may hold non-ASCII letters (Binance lists such symbols; web-socket-streams.md:
        // their events then carry UTF-8), so any letter or digit is read.
        if symbol.is_empty() || !symbol.chars().all(char::is_alphanumeric) {
            return bad(format!("'{symbol}' is not a symbol"));
        }
        let symbol = symbol.to_ascii_lowercase();
        let kind = match NAMED.iter().find(|(name, _)| *name == kind) {
            Some((_, named)) => *named,
            None => match parse_other(kind) {
                Some(kind) => kind,
                None => {
                    let meant =
                        meant(kind).map(|m| format!(": did you mean {symbol}@{m}?")).unwrap_or_default();
                    return bad(format!("unknown stream {symbol}@{kind}{meant}"));
                }
            },
        };
        let name = match text.split_once('@') {
            Some((_, rest)) => format!("{symbol}@{rest}"),
            None => symbol,
        };
        Ok(Stream { name, kind })
    }

    /// The name as subscribed (symbol in lower case): what `LIST_SUBSCRIPTIONS` and combined
    /// streams' `stream` show.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The symbol (lower case), for a single-symbol stream.
    pub fn symbol(&self) -> Option<&str> {
        if self.name.starts_with('!') { None } else { self.name.split('@').next() }
    }
}

/// The stream type nearest to an unknown one (`trades` -> `trade`, `aggtrade` -> `aggTrade`,
/// `kline_1min` -> `kline_1m`), when one is near.
fn meant(kind: &str) -> Option<String> {
    // Every stream type parse reads, written out.
    let known = NAMED
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .chain(PARTIAL_LEVELS.iter().flat_map(|l| [format!("depth{l}"), format!("depth{l}@100ms")]))
        .chain(Window::ALL.iter().map(|w| format!("ticker_{}", w.as_str())))
        .chain(KLINE_INTERVALS.iter().map(|i| format!("kline_{i}")));
    let lower = kind.to_ascii_lowercase();
    known
        .into_iter()
        .map(|k| {
            // Letter case apart first; of equals, the one nearer as written (1m, not 1M, for 1min).
            let apart = crate::endpoint::distance(&k.to_ascii_lowercase(), &lower);
            (apart * 2 + usize::from(crate::endpoint::distance(&k, kind) > apart), k)
        })
        .filter(|(d, _)| *d <= 6)
        .min()
        .map(|(_, k)| k)
}

fn parse_other(kind: &str) -> Option<Kind> {
    if let Some(rest) = kind.strip_prefix("kline_") {
        let (interval, utc8) = match rest.strip_suffix("@+08:00") {
            Some(i) => (i, true),
            None => (rest, false),
        };
        let interval = KLINE_INTERVALS.iter().find(|i| **i == interval)?;
        return Some(Kind::Kline { interval, utc8 });
    }
    if let Some(w) = kind.strip_prefix("ticker_") {
        return Window::parse(w).map(Kind::TickerWindow);
    }
    let rest = kind.strip_prefix("depth")?;
    let (levels, speed) = rest.split_once('@').map_or((rest, None), |(l, s)| (l, Some(s)));
    let levels = PARTIAL_LEVELS.into_iter().find(|l| l.to_string() == levels)?;
    let fast = match speed {
        None | Some("1000ms") => false,
        Some("100ms") => true,
        Some(_) => return None,
    };
    Some(Kind::PartialDepth { levels, fast })
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stream_type_names_the_nearest() {
        for (sent, meant) in [
            ("btcusdt@trades", Some("btcusdt@trade")),
            ("btcusdt@aggtrade", Some("btcusdt@aggTrade")),
            ("btcusdt@kline_1min", Some("btcusdt@kline_1m")),
            ("btcusdt@depth@500ms", Some("btcusdt@depth@100ms")),
            ("btcusdt@xyz", None),
        ] {
            let e = Stream::parse(sent).unwrap_err().0;
            match meant {
                Some(m) => assert!(e.ends_with(&format!("did you mean {m}?")), "{sent}: {e}"),
                None => assert!(!e.contains("did you mean"), "{sent}: {e}"),
            }
        }
    }

    #[test]
    fn every_documented_stream_reads() {
        for (name, kind) in [
            ("btcusdt@trade", Kind::Trade),
            ("btcusdt@aggTrade", Kind::AggTrade),
            ("btcusdt@blockTrade", Kind::BlockTrade),
            ("btcusdt@kline_1M", Kind::Kline { interval: "1M", utc8: false }),
            ("btcusdt@kline_1m@+08:00", Kind::Kline { interval: "1m", utc8: true }),
            ("btcusdt@miniTicker", Kind::MiniTicker),
            ("!miniTicker@arr", Kind::AllMiniTickers),
            ("!miniTicker@arr@1000ms", Kind::AllMiniTickers),
            ("btcusdt@ticker", Kind::Ticker),
            ("btcusdt@ticker_1d", Kind::TickerWindow(Window::D1)),
            ("!ticker_1h@arr", Kind::AllTickerWindows(Window::H1)),
            ("btcusdt@bookTicker", Kind::BookTicker),
            ("btcusdt@avgPrice", Kind::AvgPrice),
            ("btcusdt@depth5", Kind::PartialDepth { levels: 5, fast: false }),
            ("btcusdt@depth10@100ms", Kind::PartialDepth { levels: 10, fast: true }),
            ("btcusdt@depth", Kind::DiffDepth { fast: false }),
            ("btcusdt@depth@100ms", Kind::DiffDepth { fast: true }),
            ("btcusdt@referencePrice", Kind::ReferencePrice),
            ("btcusdt@depth@1000ms", Kind::DiffDepth { fast: false }),
            ("btcusdt@depth20@1000ms", Kind::PartialDepth { levels: 20, fast: false }),
            ("这是测试币456@trade", Kind::Trade),
        ] {
            let s = Stream::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!((s.name(), s.kind), (name, kind));
        }
    }

    #[test]
    fn unknown_and_malformed_names_say_why() {
        for name in [
            "btcusdt@depth7",
            "btcusdt@kline_2m",
            "btcusdt@tick",
            "@trade",
            "btc-usdt@trade",
            "!bookTicker",
            "btcusdt",
        ] {
            assert!(Stream::parse(name).is_err(), "{name}");
        }
        assert!(Stream::parse(&"a".repeat(64)).unwrap_err().0.contains("API key"));
        assert!(Stream::parse("!ticker@arr").unwrap_err().0.contains("retired by Binance on 2026-03-26"));
        assert!(Stream::parse("!bookTicker").unwrap_err().0.contains("<symbol>@bookTicker"));
        assert_eq!(Stream::parse("BTCUSDT@aggTrade").unwrap().name(), "btcusdt@aggTrade");
    }
}
