//! Applying depth diffs to a local book (issue 16): `BookLevels::apply` (what `LocalBook` runs for
//! each diff: the update-id checks, the levels, the crossed-book check) against the same level
//! changes on two bare `BTreeMap<Decimal, Decimal>` (insert, or remove on a zero quantity, and
//! nothing else). Ratios are measured interleaved, as in `decode.rs`.
//!
//! The book: 1000 levels a side around 30000 (prices with 8 decimals, tick 0.01). The diffs: 2000
//! of them, 1 to 8 levels a side each, a third of the levels removed, the rest set (existing or new
//! prices). Two mixes of where the changes fall: `near_top` (nine in ten within 50 ticks of the
//! middle, the rest anywhere in the 1000 levels: what a live market's diffs look like) and `uniform`
//! (anywhere in the 1000 levels alike, the worst case for a store that keeps the top cheap).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use mbx_client::BookLevels;
use mbx_client::types::stream::DepthUpdateEvent;
use mbx_client::types::{Level, OrderBook};
use rust_decimal::Decimal;

const LEVELS: i64 = 1000;
const MID: i64 = 3_000_000; // 30000.00 in ticks of 0.01

/// A price `ticks` hundredths, written with 8 decimals as Binance does.
fn price(ticks: i64) -> Decimal {
    Decimal::new(ticks * 1_000_000, 8)
}

fn snapshot() -> OrderBook {
    let l = |ticks, q| Level { price: price(ticks), qty: Decimal::new(q, 8) };
    OrderBook {
        last_update_id: 1000,
        bids: (0..LEVELS).map(|i| l(MID - 1 - i, 100_000_000 + i)).collect(),
        asks: (0..LEVELS).map(|i| l(MID + 1 + i, 100_000_000 + i)).collect(),
    }
}

/// xorshift64: the same diffs every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> i64 {
        i64::try_from(self.next() % n).unwrap()
    }
}

fn diffs(near_top: bool) -> Vec<DepthUpdateEvent> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut id = 1000u64;
    (0..2000)
        .map(|_| {
            let mut side = |sign: i64| -> Vec<Level> {
                let n = 1 + rng.below(8);
                (0..n)
                    .map(|_| {
                        let offset = if !near_top || rng.below(10) == 0 {
                            rng.below(LEVELS as u64)
                        } else {
                            rng.below(50)
                        };
                        let qty = if rng.below(3) == 0 { 0 } else { 1 + rng.below(1_000_000_000) };
                        Level { price: price(MID + sign * (1 + offset)), qty: Decimal::new(qty, 8) }
                    })
                    .collect()
            };
            let (bids, asks) = (side(-1), side(1));
            id += 1;
            DepthUpdateEvent {
                event_time: 0,
                symbol: "BTCUSDT".into(),
                first_update_id: id,
                final_update_id: id,
                bids,
                asks,
            }
        })
        .collect()
}

type Maps = (BTreeMap<Decimal, Decimal>, BTreeMap<Decimal, Decimal>);

fn maps(book: &OrderBook) -> Maps {
    (
        book.bids.iter().map(|l| (l.price, l.qty)).collect(),
        book.asks.iter().map(|l| (l.price, l.qty)).collect(),
    )
}

fn apply_maps(maps: &mut Maps, diffs: &[DepthUpdateEvent]) {
    for d in diffs {
        for (side, levels) in [(&mut maps.0, &d.bids), (&mut maps.1, &d.asks)] {
            for l in levels {
                if l.qty.is_zero() {
                    side.remove(&l.price);
                } else {
                    side.insert(l.price, l.qty);
                }
            }
        }
    }
}

fn apply_book(book: &mut BookLevels, diffs: &[DepthUpdateEvent]) {
    for d in diffs {
        black_box(book.apply(d));
    }
}

fn bench(c: &mut Criterion) {
    let snap = snapshot();
    let mut g = c.benchmark_group("book_apply");
    for (name, near_top) in [("near_top", true), ("uniform", false)] {
        let ds = diffs(near_top);
        g.bench_function(format!("{name}/btreemap"), |b| {
            b.iter_batched_ref(
                || maps(&snap),
                |m| apply_maps(m, black_box(&ds)),
                criterion::BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("{name}/book_levels"), |b| {
            b.iter_batched_ref(
                || BookLevels::from_snapshot(&snap),
                |m| apply_book(m, black_box(&ds)),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// Time to apply every diff to a fresh copy (the copy made outside the timing), summed over about
/// `budget`, per diff.
fn per_diff<T: Clone>(
    budget: Duration,
    base: &T,
    diffs: &[DepthUpdateEvent],
    apply: impl Fn(&mut T, &[DepthUpdateEvent]),
) -> f64 {
    let mut spent = Duration::ZERO;
    let mut passes = 0u32;
    while spent < budget {
        let mut copy = base.clone();
        let start = Instant::now();
        apply(&mut copy, black_box(diffs));
        spent += start.elapsed();
        black_box(&copy);
        passes += 1;
    }
    spent.as_nanos() as f64 / (f64::from(passes) * diffs.len() as f64)
}

/// The target's ratio, interleaved (BookLevels and maps in turn, 41 rounds of about 20 ms each);
/// the median of the rounds' ratios and its quartiles.
fn interleaved(_: &mut Criterion) {
    let snap = snapshot();
    let (book, map) = (BookLevels::from_snapshot(&snap), maps(&snap));
    for (name, near_top) in [("near_top", true), ("uniform", false)] {
        let ds = diffs(near_top);
        let budget = Duration::from_millis(20);
        let mut rounds: Vec<(f64, f64)> = (0..41)
            .map(|_| {
                let m = per_diff(budget, &map, &ds, apply_maps);
                let b = per_diff(budget, &book, &ds, apply_book);
                (b / m, b)
            })
            .collect();
        rounds.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut ns: Vec<f64> = rounds.iter().map(|r| r.1).collect();
        ns.sort_by(f64::total_cmp);
        println!(
            "book_apply/{name}: BookLevels / BTreeMap, interleaved: median {:.2}x (quartiles {:.2}-{:.2}); BookLevels {:.0} ns a diff",
            rounds[20].0, rounds[10].0, rounds[30].0, ns[20]
        );
    }
}

criterion_group!(benches, bench, interleaved);
criterion_main!(benches);
