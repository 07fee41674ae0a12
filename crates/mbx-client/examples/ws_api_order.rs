//! Places and cancels an order over the WebSocket API of a running `mbx sandbox`
//! (127.0.0.1:9900) with its demo key: one connection, requests matched by id, each signed.
//!
//! ```sh
//! mbx sandbox &
//! cargo run -p mbx-client --example ws_api_order
//! ```

use mbx_client::{Client, Environment};
use mbx_core::model::{OrderType, Side};
use rust_decimal::Decimal;

/// The sandbox's demo key (a test key that protects nothing).
use mbx_sandbox::seed::{DEMO_API_KEY, DEMO_SECRET_KEY as DEMO_SECRET};

#[tokio::main]
async fn main() -> mbx_client::Result<()> {
    let client = Client::builder()
        .environment(Environment::Sandbox)
        .api_key(DEMO_API_KEY)
        .hmac_secret(DEMO_SECRET)
        .build()?;
    client.sync_time().await?;
    let ws = client.ws_api();
    let order = client
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(20_000, 0));
    let placed = ws.place_order(order).await?;
    println!("placed {} ({:?})", placed.order_id, placed.status);
    let cancelled = ws.cancel_order("BTCUSDT", placed.order_id).await?;
    println!("cancelled: {:?}", cancelled.status);
    println!("rate limits: {}", ws.rate_limits());
    Ok(())
}
