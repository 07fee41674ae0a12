//! Entry points for the fuzz targets in `fuzz/` (outside the workspace): thin wrappers that reach
//! parsers private to this crate. Not part of the API; hidden from the docs.

use crate::types::fast;
use crate::types::stream::{AggTradeEvent, DepthUpdateEvent, PartialDepthEvent, TradeEvent};

/// Reads `data` as one whole HTTP/1.1 answer (status line, headers, a body framed by
/// `Content-Length`, chunks or the end of the connection), as the client's transport does: the
/// status and body, `Ok(None)` when incomplete, or why it is not a valid answer.
pub fn http_answer(data: &[u8]) -> Result<Option<(u16, Vec<u8>)>, String> {
    crate::http::read_answer(data)
}

/// Runs the hand-written readers of `trade`, `aggTrade`, depth diff and partial depth events on
/// `data` and panics if one gives a value that serde does not give for the same bytes (the promise
/// in `types::fast`).
pub fn fast_agrees_with_serde(data: &str) {
    if let Some(v) = fast::trade(data) {
        assert_eq!(serde_json::from_str::<TradeEvent>(data).ok(), Some(v), "trade: {data}");
    }
    if let Some(v) = fast::agg_trade(data) {
        assert_eq!(serde_json::from_str::<AggTradeEvent>(data).ok(), Some(v), "aggTrade: {data}");
    }
    if let Some(v) = fast::depth_update(data) {
        assert_eq!(serde_json::from_str::<DepthUpdateEvent>(data).ok(), Some(v), "depthUpdate: {data}");
    }
    if let Some(v) = fast::partial_depth(data) {
        assert_eq!(serde_json::from_str::<PartialDepthEvent>(data).ok(), Some(v), "partial depth: {data}");
    }
}

/// Reads `text` as a frame of a market stream connection carrying `names`, as `MarketStream`
/// does: the item it makes, if any (benches use it as the client's whole path from a frame to the
/// item its user gets).
pub fn market_frame(names: &[mbx_core::stream::Stream], text: &str) -> Option<crate::StreamItem> {
    match crate::streams::read_frame(names, text) {
        crate::streams::Frame::Item(item) => Some(item),
        _ => None,
    }
}

/// Panics if [`market_frame`]'s reading of `text` (the fast path for Binance's combined form
/// first) differs from reading it through serde alone.
pub fn market_frame_agrees_with_serde(names: &[mbx_core::stream::Stream], text: &str) {
    let fast = crate::streams::read_frame(names, text);
    assert_eq!(fast, crate::streams::read_frame_serde(names, text), "frame: {text}");
}
