//! The stream event decoders: `MarketEvent::parse` for every kind of market stream, and the
//! promise of the hand-written fast readers (`types::fast`, and the combined frame's envelope read
//! by `MarketStream`): when they give a value, serde gives the same value for the same bytes.
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
    let streams: Vec<Stream> = STREAMS.iter().filter_map(|n| Stream::parse(n).ok()).collect();
    for stream in &streams {
        let _ = MarketEvent::parse(stream.kind, text);
    }
    // The input as a whole frame, and as the event of a combined frame of each stream.
    mbx_client::fuzzing::market_frame_agrees_with_serde(&streams, text);
    for stream in &streams {
        let frame = format!("{{\"stream\":\"{}\",\"data\":{text}}}", stream.name());
        mbx_client::fuzzing::market_frame_agrees_with_serde(&streams, &frame);
    }
});
