//! Time to diagnose a failing request, including the whole hypothesis search (target: under 5 ms on
//! one core, so the sandbox can afford it on every rejection): HMAC (with a second key pair of another
//! environment to try), Ed25519, RSA and a WebSocket API frame. The floor, measured in the same run, is
//! one plain HMAC verification of the same payload.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mbx_core::SecretBytes;
use mbx_core::diagnose::{Cause, Context, OtherKey, RequestRecord, diagnose, diagnose_ws};
use mbx_core::keys::{LoadedKey, load_pem};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_core::time::Timestamp;
use mbx_core::venue::Venue;

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
    // Seven pairs (no recvWindow): every other order of them is tried too, last (5,040 payloads).
    let seven = RequestRecord::new(
        "POST",
        &format!(
            "https://api.binance.com/api/v3/order?{}&signature={}",
            QUERY.replace("&recvWindow=5000", ""),
            "ab".repeat(32)
        ),
        vec![("X-MBX-APIKEY".into(), KEY.into())],
        "",
    )
    .unwrap();
    assert!(diagnose(&seven, &ctx).has(Cause::SignatureMismatch));
    // Typical case: the client signed JSON (found part-way through the search).
    let json = serde_json::json!({"symbol":"LTCBTC","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1","price":"0.1","recvWindow":"5000","timestamp":"1499827319559"});
    let signed_json = request(signer.sign(json.to_string().as_bytes()).as_str());
    assert!(diagnose(&signed_json, &ctx).has(Cause::SignedJson));
    let good = request(signer.sign(QUERY.as_bytes()).as_str());

    // The same, when the user also has a testnet key pair the search tries.
    let with_other = ctx.clone().with_other(OtherKey {
        label: "profile 'testnet'".into(),
        venue: Some(Venue::SpotTestnet),
        api_key: None,
        secret: Some(SecretBytes::from("OMjRZA0G6vbBxKd5WVwd9ExLXa3zphJn9pH9xdreYrmVM1JIJ5iqQt6wukvg6KLY")),
        verifier: None,
    });
    assert!(diagnose(&unexplained, &with_other).has(Cause::SignatureMismatch));
    // Ed25519 and RSA: a valid-looking signature of another payload, so nothing explains it.
    let asym = |name: &str| {
        let shared = std::env::var_os("MBX_SHARED_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
        let pem = std::fs::read(shared.join("vectors").join(name)).expect("vectors");
        let Ok(LoadedKey::Private(signer)) = load_pem(&pem, None) else { panic!("{name}") };
        signer
    };
    let (ed, rsa): (Signer, Signer) = (asym("ed25519-private.pem"), asym("rsa-private.pem"));
    let encoded = |s: &str| s.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let ed_ctx = Context::key(ed.verifier()).at(Timestamp::Millis(1_499_827_319_600));
    let rsa_ctx = Context::key(rsa.verifier()).at(Timestamp::Millis(1_499_827_319_600));
    let ed_unexplained = request(&encoded(ed.sign(b"something else").as_str()));
    let rsa_unexplained = request(&encoded(rsa.sign(b"something else").as_str()));
    assert!(diagnose(&ed_unexplained, &ed_ctx).has(Cause::SignatureMismatch));
    assert!(diagnose(&rsa_unexplained, &rsa_ctx).has(Cause::SignatureMismatch));
    // A WebSocket API frame nothing explains.
    let frame = format!(
        r#"{{"id":1,"method":"order.place","params":{{"symbol":"LTCBTC","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"1","price":"0.1","recvWindow":5000,"timestamp":1499827319559,"apiKey":"{KEY}","signature":"{}"}}}}"#,
        "ab".repeat(32)
    );
    assert!(diagnose_ws(&frame, None, &ctx).has(Cause::SignatureMismatch));

    let mut g = c.benchmark_group("diagnose");
    let wrong = "ab".repeat(32);
    g.bench_function("floor_hmac_verify", |b| b.iter(|| signer.verify(black_box(QUERY.as_bytes()), &wrong)));
    let ed_verifier = ed.verifier();
    let ed_sig = ed.sign(QUERY.as_bytes());
    g.bench_function("floor_ed25519_verify", |b| {
        b.iter(|| ed_verifier.verify(black_box(QUERY.as_bytes()), ed_sig.as_str()))
    });
    g.bench_function("accepted_request", |b| b.iter(|| diagnose(black_box(&good), &ctx)));
    g.bench_function("signed_json_found", |b| b.iter(|| diagnose(black_box(&signed_json), &ctx)));
    g.bench_function("unexplained_full_search", |b| b.iter(|| diagnose(black_box(&unexplained), &ctx)));
    g.bench_function("unexplained_full_search_seven_pairs", |b| b.iter(|| diagnose(black_box(&seven), &ctx)));
    g.bench_function("unexplained_full_search_two_key_pairs", |b| {
        b.iter(|| diagnose(black_box(&unexplained), &with_other))
    });
    g.bench_function("unexplained_ed25519", |b| b.iter(|| diagnose(black_box(&ed_unexplained), &ed_ctx)));
    g.bench_function("unexplained_rsa", |b| b.iter(|| diagnose(black_box(&rsa_unexplained), &rsa_ctx)));
    g.bench_function("unexplained_ws_api_frame", |b| b.iter(|| diagnose_ws(black_box(&frame), None, &ctx)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
