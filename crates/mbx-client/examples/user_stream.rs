//! Prints the demo account's user data events from a running `mbx sandbox` (127.0.0.1:9900) until
//! interrupted: orders, balances. Place an order in another terminal (`mbx --env sandbox order new
//! BTCUSDT BUY MARKET --qty 0.001`) to see them. After a lost connection it says so, subscribes
//! again and shows what changed meanwhile (orders placed, filled or cancelled, balances), so that
//! the stream's view equals the exchange's.
//!
//! ```sh
//! mbx sandbox &
//! cargo run -p mbx-client --example user_stream
//! ```

use mbx_client::{Client, Environment, UserItem};

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
    let mut stream = client.ws_api().user_stream().await?;
    while let Some(item) = stream.next().await {
        match item {
            UserItem::Event { kind, event } => println!("{kind}: {event}"),
            UserItem::Gap { reason } => eprintln!("events may be missing: {reason}"),
            UserItem::OrderChanged { order } => {
                println!("during the gap: order {} is {:?}", order.order_id, order.status)
            }
            UserItem::OrderGone { order_id, order, .. } => {
                println!("during the gap: order {order_id} closed ({:?})", order.and_then(|o| o.status))
            }
            UserItem::BalanceChanged { asset, free, locked } => {
                println!("during the gap: {asset} is now {free} free, {locked} locked")
            }
            UserItem::Resynced { .. } => {
                let view = stream.view();
                println!("back: {} open orders, {} balances", view.open_orders().len(), view.balances().len())
            }
        }
    }
    Ok(())
}
