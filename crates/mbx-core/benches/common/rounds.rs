//! Paired ratio rounds, shared by the benches that report ratios (`mbx-core/benches/paired.rs`,
//! `mbx-sandbox/benches/verify.rs`; both include this file by path): each pair (ours, peer or
//! floor) is timed in alternating short rounds and the median of the per-round ratios is printed
//! as a table row with its interquartile range, so load that comes and goes hits both sides alike.

use std::hint::black_box;
use std::time::Instant;

/// Rounds per pair.
pub const ROUNDS: usize = 60;

/// Times `f` over `n` calls, in nanoseconds per call.
fn time<R>(n: u32, f: &mut impl FnMut() -> R) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

/// Median ratio ours/base over alternating rounds, with quartiles and medians of each side.
pub fn paired<A, B>(label: &str, target: &str, mut ours: impl FnMut() -> A, mut base: impl FnMut() -> B) {
    // Size a round to about 2 ms of the slower side.
    let probe = time(10, &mut ours).max(time(10, &mut base)).max(1.0);
    let n = ((2_000_000.0 / probe) as u32).clamp(1, 1_000_000);
    time(n, &mut ours);
    time(n, &mut base);
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut a_all, mut b_all) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which side goes first, so neither always gets the warmer cache.
        let (a, b) = if round % 2 == 0 {
            let a = time(n, &mut ours);
            (a, time(n, &mut base))
        } else {
            let b = time(n, &mut base);
            (time(n, &mut ours), b)
        };
        ratios.push(a / b);
        a_all.push(a);
        b_all.push(b);
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    ratios.sort_by(f64::total_cmp);
    let (q1, q3) = (ratios[ROUNDS / 4], ratios[3 * ROUNDS / 4]);
    println!(
        "| {label} | {:.2}x (IQR {q1:.2}-{q3:.2}; {:.0} ns / {:.0} ns) | {target} |",
        ratios[ROUNDS / 2],
        med(&mut a_all),
        med(&mut b_all)
    );
}
