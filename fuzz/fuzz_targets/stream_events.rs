//! The stream event decoders: `MarketEvent::parse` for every kind of market stream, and the
//! promise of the hand-written fast reader (`types::fast`): when it gives a value, serde gives the
//! same value for the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mbx_client::types::stream::MarketEvent;
use mbx_core::stream::Stream;

/// One stream of each kind the decoder tells apart.
const STREAMS: &[&str] = &[
    "btcusdt@trade",
    "btcusdt@aggTrade",
    "btcusdt@kline_1m",
    "btcusdt@miniTicker",
    "!miniTicker@arr",
    "btcusdt@ticker",
    "btcusdt@ticker_1h",
    "!ticker_1h@arr",
    "btcusdt@bookTicker",
    "btcusdt@avgPrice",
    "btcusdt@depth",
    "btcusdt@depth5@100ms",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    mbx_client::fuzzing::fast_agrees_with_serde(text);
    for name in STREAMS {
        if let Ok(stream) = Stream::parse(name) {
            let _ = MarketEvent::parse(stream.kind, text);
        }
    }
});
