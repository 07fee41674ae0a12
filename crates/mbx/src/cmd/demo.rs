//! `mbx demo`: an offline, narrated walk through signed Binance requests.
//!
//! Part 1 signs with the documentation's example HMAC key (a public test key) and a throwaway Ed25519
//! key made on the spot, and shows how Binance would answer common mistakes, using mbx-core's own
//! timing check and verifiers. Part 2 (`demo_live.rs`) starts the sandbox in-process on a free
//! loopback port and drives it with mbx-client. No network, no keys of yours.

use std::fmt::Write as _;

use mbx_core::payload::{Placement, RestPayload, ws_api_payload};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_core::time::{RecvWindow, Timestamp, check_timing};
use mbx_core::{ApiError, ErrorCode, Params};
use serde_json::json;

use crate::output::Report;

/// Binance's documentation example API key and secret: public test values that protect nothing.
pub const DOCS_API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const DOCS_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
/// The documentation's example timestamp, so every signature here can be checked against the docs.
const DOCS_TIMESTAMP: u64 = 1_499_827_319_559;

/// `mbx demo`: both parts of the walkthrough, as text (or one JSON string).
pub async fn run() -> anyhow::Result<Report> {
    let mut text = String::from("Part 1: signing, offline, with the documentation's example\n\n");
    text.push_str(&walkthrough()?);
    text.push('\n');
    super::demo_live::walkthrough(&mut text).await?;
    let json = json!({ "walkthrough": text });
    Ok(Report::text(text, json))
}

fn order(symbol: &str) -> Params {
    Params::new()
        .text("symbol", symbol.to_owned())
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .int("quantity", 1)
        .decimal("price", rust_decimal_price())
        .int("recvWindow", 5000)
}

fn rust_decimal_price() -> rust_decimal::Decimal {
    rust_decimal::Decimal::new(1, 1) // 0.1
}

fn walkthrough() -> anyhow::Result<String> {
    let mut o = String::new();
    let hmac = Signer::Hmac(HmacSigner::new(DOCS_SECRET.as_bytes()));
    let verifier = hmac.verifier();
    let ts = Timestamp::Millis(DOCS_TIMESTAMP);

    writeln!(o, "mbx demo: signed Binance requests, step by step, offline.")?;
    writeln!(o, "Key: the HMAC example key from Binance's documentation (public; it protects nothing).")?;
    writeln!(o, "     API key {DOCS_API_KEY}")?;
    writeln!(o)?;

    writeln!(o, "1. Parameters, in the order they are sent, with the timestamp added last")?;
    let mut params = order("LTCBTC");
    params.set("timestamp", ts.to_string());
    for (k, v) in params.iter() {
        writeln!(o, "     {k:<12} {v}")?;
    }
    writeln!(o)?;

    let signed = RestPayload::render(&params, Placement::Query).sign(&hmac);
    writeln!(o, "2. The signed payload: the percent-encoded query string, then the body (none here)")?;
    writeln!(o, "     {}", signed.payload())?;
    writeln!(o)?;
    writeln!(o, "3. HMAC-SHA256 of exactly those bytes with the secret, as hex")?;
    writeln!(o, "     {}", signed.signature())?;
    let ok = verifier.verify(signed.payload().as_bytes(), signed.signature().as_str()).is_ok();
    writeln!(o, "     verified: {}", if ok { "yes" } else { "NO" })?;
    writeln!(o)?;
    writeln!(o, "4. The request: the key travels only in the X-MBX-APIKEY header")?;
    writeln!(
        o,
        "     curl -H \"X-MBX-APIKEY: $apiKey\" -X POST \"https://api.binance.com{}\"",
        signed.path_and_query(mbx_core::endpoint::spot::NEW_ORDER.path)
    )?;
    writeln!(o)?;

    let mut unicode = order("１２３４５６");
    unicode.set("timestamp", ts.to_string());
    let signed_u = RestPayload::render(&unicode, Placement::Query).sign(&hmac);
    writeln!(o, "5. Non-ASCII symbols are percent-encoded before signing (１２３４５６ here)")?;
    writeln!(o, "     {}", signed_u.payload())?;
    writeln!(o, "     signature {}", signed_u.signature())?;
    writeln!(o)?;

    let mut split = params.clone();
    split.set("timestamp", ts.to_string());
    let signed_s = RestPayload::render(&split, Placement::Split(4)).sign(&hmac);
    writeln!(o, "6. Query and body together: the body follows the query with no '&' between them")?;
    writeln!(o, "     query   {}", signed_s.query())?;
    writeln!(o, "     body    {}", signed_s.body())?;
    writeln!(o, "     signed  {}", signed_s.payload())?;
    writeln!(o)?;

    let mut ws = order("BTCUSDT");
    ws.set("apiKey", DOCS_API_KEY);
    ws.set("timestamp", ts.to_string());
    let ws_payload = ws_api_payload(&ws);
    writeln!(o, "7. The WebSocket API signs the parameters sorted by name, not percent-encoded")?;
    writeln!(o, "     {ws_payload}")?;
    writeln!(o, "     signature {}", hmac.sign(ws_payload.as_bytes()))?;
    writeln!(o)?;

    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng)
        .map_err(|_| anyhow::anyhow!("the system random generator is unavailable"))?;
    let ed = mbx_core::keys::load_pkcs8(pkcs8.as_ref())?.into_signer()?;
    let ed_signed = RestPayload::render(&params, Placement::Query).sign(&ed);
    let ed_ok = ed.verifier().verify(ed_signed.payload().as_bytes(), ed_signed.signature().as_str()).is_ok();
    writeln!(
        o,
        "8. Ed25519 (a throwaway key made just now): same payload, base64 signature, URL-encoded in the query"
    )?;
    writeln!(o, "     signature {}", ed_signed.signature())?;
    writeln!(o, "     in query  signature={}", ed_signed.signature().url_encoded())?;
    writeln!(o, "     verified: {}", if ed_ok { "yes" } else { "NO" })?;
    writeln!(o)?;

    writeln!(o, "9. Mistakes, and what Binance answers")?;
    let json_body = serde_json::to_string(&params.iter().collect::<std::collections::BTreeMap<_, _>>())?;
    let wrong = hmac.sign(json_body.as_bytes());
    let v = verdict(
        verifier
            .verify(signed.payload().as_bytes(), wrong.as_str())
            .err()
            .map(|_| ApiError::new(ErrorCode::INVALID_SIGNATURE)),
    );
    writeln!(o, "   - signing JSON instead of the query string: {v}")?;
    let mut before_ts = params.clone();
    before_ts.remove("timestamp");
    let early = hmac.sign(RestPayload::render(&before_ts, Placement::Query).signing_payload().as_bytes());
    let v = verdict(
        verifier
            .verify(signed.payload().as_bytes(), early.as_str())
            .err()
            .map(|_| ApiError::new(ErrorCode::INVALID_SIGNATURE)),
    );
    writeln!(o, "   - signing before adding the timestamp:       {v}")?;
    let server_now = ts.offset_millis(200);
    let secs = Timestamp::parse(&(DOCS_TIMESTAMP / 1000).to_string()).unwrap_or(ts);
    writeln!(
        o,
        "   - timestamp in seconds ({secs}):      {}",
        verdict(check_timing(secs, RecvWindow::DEFAULT, server_now).err())
    )?;
    writeln!(
        o,
        "   - clock 2 s ahead of the server:             {}",
        verdict(check_timing(ts.offset_millis(2000), RecvWindow::DEFAULT, ts).err())
    )?;
    writeln!(
        o,
        "   - recvWindow=70000:                          {}",
        verdict(RecvWindow::parse("70000").err())
    )?;
    writeln!(
        o,
        "   - the right request, 200 ms later:           {}",
        verdict(check_timing(ts, RecvWindow::DEFAULT, server_now).err())
    )?;
    writeln!(o)?;
    writeln!(
        o,
        "Try it yourself: BINANCE_API_SECRET=... mbx sign symbol=BTCUSDT side=BUY type=MARKET quantity=0.001"
    )?;
    Ok(o)
}

fn verdict(err: Option<ApiError>) -> String {
    match err {
        Some(e) => format!("{} {}", e.code, e.msg),
        None => "accepted".into(),
    }
}
