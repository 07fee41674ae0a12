//! Time to diagnose a failing HMAC request, including the whole hypothesis search (target: under 5 ms
//! on one core, so the sandbox can afford it on every rejection). The floor, measured in the same run,
//! is one plain HMAC verification of the same payload.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mbx_core::SecretBytes;
use mbx_core::diagnose::{Cause, Context, RequestRecord, diagnose};
use mbx_core::sign::HmacSigner;
use mbx_core::time::Timestamp;

const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const QUERY: &str = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";

fn request(signature: &str) -> RequestRecord {
    RequestRecord::new(
        "POST",
        &format!("https://api.binance.com/api/v3/order?{QUERY}&signature={signature}"),
        vec![("X-MBX-APIKEY".into(), KEY.into())],
        "",
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let ctx = Context::hmac(SecretBytes::from(SECRET)).at(Timestamp::Millis(1_499_827_319_600));
    let signer = HmacSigner::new(SECRET.as_bytes());
    // Worst case: a signature no hypothesis explains, so every payload x secret combination is tried.
    let unexplained = request(&"ab".repeat(32));
    assert!(diagnose(&unexplained, &ctx).has(Cause::SignatureMismatch));
    // Typical case: the client signed JSON (found part-way through the search).
    let json = serde_json::json!({"symbol":"LTCBTC","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1","price":"0.1","recvWindow":"5000","timestamp":"1499827319559"});
    let signed_json = request(signer.sign(json.to_string().as_bytes()).as_str());
    assert!(diagnose(&signed_json, &ctx).has(Cause::SignedJson));
    let good = request(signer.sign(QUERY.as_bytes()).as_str());

    let mut g = c.benchmark_group("diagnose");
    let wrong = "ab".repeat(32);
    g.bench_function("floor_hmac_verify", |b| b.iter(|| signer.verify(black_box(QUERY.as_bytes()), &wrong)));
    g.bench_function("accepted_request", |b| b.iter(|| diagnose(black_box(&good), &ctx)));
    g.bench_function("signed_json_found", |b| b.iter(|| diagnose(black_box(&signed_json), &ctx)));
    g.bench_function("unexplained_full_search", |b| b.iter(|| diagnose(black_box(&unexplained), &ctx)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
