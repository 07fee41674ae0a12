//! Places a LIMIT order on a running `mbx sandbox` (127.0.0.1:9900) with its demo key, shows it,
//! and cancels it. The order is checked against the symbol's filters before it is sent, carries a
//! client order id, and is never sent twice: an unknown outcome is settled by looking it up.
//!
//! ```sh
//! mbx sandbox &
//! cargo run -p mbx-client --example place_order
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
    let order = client
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(20_000, 0))
        .send()
        .await?;
    println!("order {} ({}) is {:?}", order.order_id, order.client_order_id, order.status);
    let cancelled = client.cancel_order("BTCUSDT", order.order_id).await?;
    println!("cancelled: {:?}", cancelled.status);
    Ok(())
}
