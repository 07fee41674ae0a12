//! The second half of `mbx demo`: an embedded sandbox on a free loopback port, driven by mbx-client
//! with the demo key: clock sync, a signed request's bytes, balances, a LIMIT order placed, listed and
//! cancelled, a MARKET order filled, the trades, and what the exchange answers to common mistakes.

use std::fmt::Write as _;
use std::net::SocketAddr;

use mbx_client::{Client, Environment, RawRequest, RawResponse};
use mbx_core::endpoint::{Method, spot};
use mbx_core::model::{OrderType, Side};
use mbx_core::payload::{Placement, RestPayload};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_core::{Params, WireValue};
use mbx_sandbox::Sandbox;
use mbx_sandbox::seed::{DEMO_API_KEY, DEMO_SECRET_KEY};
use rust_decimal::Decimal;

pub async fn walkthrough(o: &mut String) -> anyhow::Result<()> {
    let sandbox = Sandbox::builder().bind(SocketAddr::from(([127, 0, 0, 1], 0))).memory().start().await?;
    let url = sandbox.rest_url();
    let result = steps(o, &url).await;
    sandbox.shutdown().await?;
    result
}

async fn steps(o: &mut String, url: &str) -> anyhow::Result<()> {
    let client = Client::builder()
        .environment(Environment::custom(url))
        .api_key(DEMO_API_KEY)
        .hmac_secret(DEMO_SECRET_KEY)
        .build()?;
    writeln!(o, "Part 2: the same, for real, against an offline exchange")?;
    writeln!(o, "  mbx started its sandbox at {url} (in memory, demo key as above).")?;
    writeln!(o)?;

    let sample = client.sync_time().await?;
    writeln!(
        o,
        "a. Clock sync: offset {:+} ms, round trip {:.2} ms (best of 5 samples).",
        sample.offset_ms,
        sample.rtt.as_secs_f64() * 1000.0
    )?;
    writeln!(o, "   Every timestamp mbx signs is corrected by that offset.")?;
    writeln!(o)?;

    let prepared = client.prepared_url(
        spot::ACCOUNT.path,
        &Params::new().bool("omitZeroBalances", true),
        spot::ACCOUNT.security,
    )?;
    writeln!(o, "b. A signed request, exactly as sent:")?;
    writeln!(o, "   GET {prepared}")?;
    writeln!(o)?;

    let account = client.account().await?;
    writeln!(o, "c. Account balances:")?;
    for b in &account.balances {
        let asset = padded(&b.asset, 12);
        writeln!(o, "   {asset} free {:>14}  locked {}", b.free.normalize(), b.locked.normalize())?;
    }
    writeln!(o)?;

    let qty = Decimal::new(1, 3); // 0.001 BTC
    let bid = Decimal::new(30_000, 0);
    let order =
        client.new_order("BTCUSDT", Side::Buy, OrderType::Limit).quantity(qty).price(bid).send().await?;
    writeln!(o, "d. LIMIT BUY 0.001 BTCUSDT at {bid}, well below the market:")?;
    writeln!(
        o,
        "   order {} ({}) is {}",
        order.order_id,
        order.client_order_id,
        order.status.as_ref().map_or("?", |s| s.wire())
    )?;
    let open = client.open_orders(Some("BTCUSDT")).await?;
    writeln!(
        o,
        "   open orders on BTCUSDT: {}",
        open.iter().map(|x| x.order_id.to_string()).collect::<Vec<_>>().join(", ")
    )?;
    let usdt = client.account().await?.balance("USDT").map(|b| (b.free, b.locked));
    if let Some((free, locked)) = usdt {
        writeln!(
            o,
            "   USDT free {} locked {} (price x quantity is reserved)",
            free.normalize(),
            locked.normalize()
        )?;
    }
    let cancelled = client.cancel_order("BTCUSDT", order.order_id).await?;
    writeln!(o, "   cancelled: {}", cancelled.status.as_ref().map_or("?", |s| s.wire()))?;
    writeln!(o)?;

    let market = client.new_order("BTCUSDT", Side::Buy, OrderType::Market).quantity(qty).send().await?;
    writeln!(o, "e. MARKET BUY 0.001 BTCUSDT: {}", market.status.as_ref().map_or("?", |s| s.wire()))?;
    for f in &market.fills {
        writeln!(
            o,
            "   fill: {} at {} (trade {}), commission {} {}",
            f.qty.normalize(),
            f.price.normalize(),
            f.trade_id,
            f.commission.normalize(),
            f.commission_asset
        )?;
    }
    writeln!(o)?;

    let trades = client.my_trades("BTCUSDT").await?;
    writeln!(o, "f. Your trades on BTCUSDT:")?;
    for t in &trades {
        writeln!(
            o,
            "   trade {}: {} {} at {} ({} {} commission)",
            t.id,
            if t.is_buyer { "bought" } else { "sold" },
            t.qty.normalize(),
            t.price.normalize(),
            t.commission.normalize(),
            t.commission_asset
        )?;
    }
    writeln!(o)?;

    writeln!(
        o,
        "g. Mistakes, sent to the sandbox, and what it answers (X-Sandbox-Hint is the doctor's finding):"
    )?;
    mistakes(o, &client).await?;
    outro(o)?;
    Ok(())
}

/// Sends a few wrong requests the way other clients get them wrong, exactly as they would
/// (mbx-client's raw requests: no signing or key handling of its own).
async fn mistakes(o: &mut String, client: &Client) -> anyhow::Result<()> {
    let signer = Signer::Hmac(HmacSigner::new(DEMO_SECRET_KEY.as_bytes()));
    let now = client.server_now().to_string();
    let params = Params::new().text("symbol", "BTCUSDT").text("timestamp", now.clone());
    // 1. The key in an Authorization header.
    let signed = RestPayload::render(&params, Placement::Query).sign(&signer);
    let bearer = format!("Bearer {DEMO_API_KEY}");
    let resp = get(client, signed.query(), &[("Authorization", &bearer)]).await?;
    show(o, "key in an Authorization header", &resp)?;

    // 2. Signing the JSON of the parameters.
    let json = serde_json::json!({"symbol": "BTCUSDT", "timestamp": now}).to_string();
    let sig = signer.sign(json.as_bytes());
    let q = RestPayload::render(&params, Placement::Query);
    let resp =
        get(client, &format!("{}&signature={sig}", q.query()), &[("X-MBX-APIKEY", DEMO_API_KEY)]).await?;
    show(o, "signing JSON instead of the query string", &resp)?;

    // 3. A timestamp in seconds.
    let secs =
        Params::new().text("symbol", "BTCUSDT").int("timestamp", client.server_now().as_millis() / 1000);
    let signed = RestPayload::render(&secs, Placement::Query).sign(&signer);
    let resp = get(client, signed.query(), &[("X-MBX-APIKEY", DEMO_API_KEY)]).await?;
    show(o, "timestamp in seconds", &resp)?;
    Ok(())
}

/// `GET /api/v3/openOrders` with this query and these headers, sent as they are.
async fn get(client: &Client, query: &str, headers: &[(&str, &str)]) -> mbx_client::Result<RawResponse> {
    let req = RawRequest { method: Method::Get, path: spot::OPEN_ORDERS.path, query, headers, body: b"" };
    client.send_raw(req).await
}

fn show(o: &mut String, what: &str, resp: &RawResponse) -> anyhow::Result<()> {
    let hint = resp.sandbox_hint.as_deref().unwrap_or_default();
    writeln!(o, "   - {what}:")?;
    writeln!(o, "       {}", String::from_utf8_lossy(&resp.body))?;
    writeln!(o, "       hint: {hint}")?;
    Ok(())
}

/// The closing lines.
pub fn outro(o: &mut String) -> std::fmt::Result {
    writeln!(o)?;
    writeln!(o, "Next: `mbx sandbox` keeps such an exchange running on 127.0.0.1:9900 for any client;")?;
    writeln!(
        o,
        "`mbx doctor request --curl '...'` explains a rejected request; `mbx sign` signs one for you."
    )
}

/// `text` padded with spaces to `width` terminal columns: East Asian wide characters (the docs'
/// example asset 这是测试币) take two columns each, so `{:<12}` would misalign them.
fn padded(text: &str, width: usize) -> String {
    let wide = |c: char| {
        matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x20000..=0x3FFFD)
    };
    let columns: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(columns)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(super::padded("BTC", 6), "BTC   ");
        assert_eq!(super::padded("这是测试币", 12), "这是测试币  ");
        assert_eq!(super::padded("１２", 3), "１２");
    }
}
