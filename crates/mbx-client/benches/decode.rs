//! Decoding market stream events (issue 16): typed `trade`, `aggTrade` and a 20-level partial depth
//! against `serde::de::IgnoredAny` over the same bytes (the floor: reading the JSON and nothing
//! else), and against `serde_json::Value`. Ratios are taken within one run.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mbx_client::types::stream::MarketEvent;
use mbx_core::stream::Stream;

const TRADE: &str = r#"{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.00100000","q":"100.00000000","T":1672515782136,"m":true,"M":true}"#;
const AGG_TRADE: &str = r#"{"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.00100000","q":"100.00000000","f":100,"l":105,"T":1672515782136,"m":true,"M":true}"#;

fn depth20() -> String {
    let side = |start: u32, step: i32| -> String {
        (0..20)
            .map(|i| {
                format!(
                    r#"["{}.{:08}","{}.50000000"]"#,
                    30_000i64 + i64::from(step) * i64::from(i),
                    start,
                    i + 1
                )
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(r#"{{"lastUpdateId":160,"bids":[{}],"asks":[{}]}}"#, side(0, -1), side(0, 1))
}

fn bench(c: &mut Criterion) {
    let depth = depth20();
    let cases = [
        ("trade", "btcusdt@trade", TRADE.to_owned()),
        ("aggTrade", "btcusdt@aggTrade", AGG_TRADE.to_owned()),
        ("depth20", "btcusdt@depth20", depth),
    ];
    let mut g = c.benchmark_group("stream_decode");
    for (name, stream, data) in &cases {
        let kind = Stream::parse(stream).unwrap().kind;
        g.bench_function(format!("{name}/floor_ignored_any"), |b| {
            b.iter(|| serde_json::from_str::<serde::de::IgnoredAny>(black_box(data)).unwrap())
        });
        g.bench_function(format!("{name}/typed"), |b| {
            b.iter(|| MarketEvent::parse(kind, black_box(data)).unwrap())
        });
        g.bench_function(format!("{name}/value"), |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(data)).unwrap())
        });
    }
    g.finish();
}

/// Nanoseconds per call of `f`, over about `budget`.
fn per_call(budget: std::time::Duration, mut f: impl FnMut()) -> f64 {
    let start = std::time::Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..64 {
            f();
        }
        n += 64;
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

/// The ratios the targets are about, measured interleaved (typed and floor in turn, 41 rounds of
/// 20 ms each) so that load coming and going on a shared machine hits both alike; the median of
/// the rounds' ratios is printed.
fn interleaved(_: &mut Criterion) {
    let depth = depth20();
    for (name, stream, data) in [
        ("trade", "btcusdt@trade", TRADE),
        ("aggTrade", "btcusdt@aggTrade", AGG_TRADE),
        ("depth20", "btcusdt@depth20", depth.as_str()),
    ] {
        let kind = Stream::parse(stream).unwrap().kind;
        let budget = std::time::Duration::from_millis(20);
        let mut ratios: Vec<f64> = (0..41)
            .map(|_| {
                let floor = per_call(budget, || {
                    black_box(serde_json::from_str::<serde::de::IgnoredAny>(black_box(data)).unwrap());
                });
                let typed = per_call(budget, || {
                    black_box(MarketEvent::parse(kind, black_box(data)).unwrap());
                });
                typed / floor
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        println!(
            "stream_decode/{name}: typed / IgnoredAny, interleaved: median {:.2}x (quartiles {:.2}-{:.2})",
            ratios[20], ratios[10], ratios[30]
        );
    }
}

criterion_group!(benches, bench, interleaved);
criterion_main!(benches);
