//! Market stream events decoded by mbx-client and by the peers with streams (issue 16): the time a
//! client spends on one `btcusdt@trade` frame of the combined stream, from the frame's text to the
//! typed event its user gets, on one thread, and the events per second that makes.
//!
//! The frames are the sandbox's own (`{"stream":"btcusdt@trade","data":{...}}`, keys in the order
//! the sandbox writes them), 1000 of them with different ids, prices and quantities; every client
//! decodes the same ones, in rounds that alternate between the clients (41 rounds of about 20 ms
//! each), so load that comes and goes hits them alike. Reported: the median over the rounds of each
//! client's time per event and of its ratio to mbx-client's in the same round.
//!
//! What each client does with a frame (only the decoding; no socket is read, so the WebSocket
//! layers, which all of them take from tungstenite, are left out):
//!
//! * `mbx`: what `MarketStream` does with a frame (`streams.rs`, `read_frame`, reached through the
//!   hidden `mbx_client::fuzzing::market_frame`): the combined envelope split, the stream looked up
//!   among the subscribed ones, the event read, and the `StreamEvent` built (stream name and raw
//!   JSON owned), boxed in a `StreamItem`. The hand-over to the reader is left out.
//! * `binance` (wisespace-io `binance` 0.21.3, `binance-rs`): `WebSockets::test_handle_msg`, the
//!   function its event loop calls for each text frame (the frame parsed into a `Value`, `data`
//!   written back to text and parsed again, then tried against its untagged `Events` enum), with a
//!   handler that keeps the `TradeEvent` (amounts as `String`).
//! * `sdk` (`binance-sdk` 77.2, Binance's official connector, `spot`): its stream path written out
//!   with its own types, since its handler is reached only through a live connection:
//!   `WebsocketStreams::on_message` parses the frame into a `Value` and clones `data`; the callback
//!   `on("message")` registered clones that `Value` again and `serde_json::from_value`s it into
//!   `TradeResponse` (every field an `Option`, amounts as `String`). Its mutex and callback lookup
//!   are left out.
//! * floor: `serde::de::IgnoredAny` over the frame (reading the JSON and nothing else).
//!
//! `binance_spot_connector_rust` hands the frame's text to its user and has no typed stream events,
//! so it has nothing of its own to decode here.
//!
//! Run: `cargo run --release --bin streams` in `bench/peers` (its own lock file and workspace).

use std::hint::black_box;
use std::time::{Duration, Instant};

use mbx_client::types::stream::MarketEvent;
use mbx_client::StreamItem;
use mbx_core::stream::Stream;

/// 1000 frames as the sandbox writes them.
fn frames() -> Vec<String> {
    (0..1000u64)
        .map(|i| {
            let price = format!("{}.{:08}", 29_000 + (i * 7919) % 2000, (i * 104_729) % 100_000_000);
            let qty = format!("{}.{:08}", (i * 31) % 5, (i * 7_777_777) % 100_000_000);
            format!(
                r#"{{"stream":"btcusdt@trade","data":{{"E":{e},"M":true,"T":{t},"e":"trade","m":{m},"p":"{price}","q":"{qty}","s":"BTCUSDT","t":{id}}}}}"#,
                e = 1_796_261_532_246u64 + i,
                t = 1_796_261_532_240u64 + i,
                m = i % 3 == 0,
                id = 3_000_000_000u64 + i * 13,
            )
        })
        .collect()
}

/// mbx-client's path for one frame (see the module docs).
fn mbx(subscribed: &[Stream], text: &str) -> Option<StreamItem> {
    mbx_client::fuzzing::market_frame(subscribed, text)
}

/// binance-sdk's path for one frame (see the module docs).
fn sdk(text: &str) -> Option<binance_sdk::spot::websocket_streams::TradeResponse> {
    let msg: serde_json::Value = serde_json::from_str(text).ok()?;
    let _stream = msg.get("stream").and_then(serde_json::Value::as_str)?.to_string();
    let payload = msg.get("data").cloned()?;
    serde_json::from_value(payload.clone()).ok()
}

/// Nanoseconds per frame of `f` over the frames, for about `budget`.
fn per_event(budget: Duration, frames: &[String], mut f: impl FnMut(&str)) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for frame in frames {
            f(black_box(frame));
        }
        n += frames.len() as u64;
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

fn main() {
    let frames = frames();
    let subscribed = [Stream::parse("btcusdt@trade").expect("stream")];
    // Every client must read every frame into its trade event before it is timed.
    let mut got = 0usize;
    let mut ws = binance::websockets::WebSockets::new(|e| {
        if let binance::websockets::WebsocketEvent::Trade(t) = e {
            black_box(t);
            got += 1;
        }
        Ok(())
    });
    for f in &frames {
        ws.test_handle_msg(f).expect("binance reads the frame");
    }
    drop(ws);
    assert_eq!(got, frames.len(), "binance typed every frame");
    for f in &frames {
        let Some(StreamItem::Event(e)) = mbx(&subscribed, f) else { panic!("mbx: {f}") };
        assert!(matches!(e.event, MarketEvent::Trade(_)), "mbx typed {f}");
        assert!(sdk(f).and_then(|t| t.p).is_some(), "sdk typed {f}");
    }

    let mut ws = binance::websockets::WebSockets::new(|e| {
        black_box(e);
        Ok(())
    });
    let budget = Duration::from_millis(20);
    let clients = ["mbx", "binance", "sdk", "floor"];
    let mut rounds: Vec<[f64; 4]> = Vec::new();
    for r in 0..41 {
        let mut ns = [0.0; 4];
        // Start from a different client each round.
        for k in 0..4 {
            let c = (k + r) % 4;
            ns[c] = match c {
                0 => per_event(budget, &frames, |f| {
                    black_box(mbx(&subscribed, f));
                }),
                1 => per_event(budget, &frames, |f| {
                    let _ = black_box(ws.test_handle_msg(f));
                }),
                2 => per_event(budget, &frames, |f| {
                    black_box(sdk(f));
                }),
                _ => per_event(budget, &frames, |f| {
                    black_box(serde_json::from_str::<serde::de::IgnoredAny>(f).ok());
                }),
            };
        }
        rounds.push(ns);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[v.len() / 4], v[v.len() * 3 / 4])
    };
    println!("client    ns/event (median of 41)  events/s    / mbx (median, quartiles)");
    for (c, name) in clients.iter().enumerate() {
        let (ns, _, _) = median(rounds.iter().map(|r| r[c]).collect());
        let (ratio, q1, q3) = median(rounds.iter().map(|r| r[c] / r[0]).collect());
        println!("{name:<9} {ns:>10.0} {:>22.0}    {ratio:.2}x ({q1:.2}-{q3:.2})", 1e9 / ns);
    }
}
