//! Keeps a local order book of BTCUSDT from a running `mbx sandbox` (127.0.0.1:9900) and prints its
//! best five levels on every change: the docs' procedure (diffs, a snapshot, resync on any gap).
//!
//! ```sh
//! mbx sandbox &
//! cargo run -p mbx-client --example local_book
//! ```

use mbx_client::{BookUpdate, Client, Environment};

#[tokio::main]
async fn main() -> mbx_client::Result<()> {
    let client = Client::builder().environment(Environment::Sandbox).build()?;
    let mut book = client.local_book("BTCUSDT").open().await?;
    while let Some(update) = book.next().await {
        match update? {
            BookUpdate::Live { last_update_id } => {
                let Some(top) = book.top(5) else { continue };
                let best = |side: &[mbx_client::types::Level]| {
                    side.first().map(|l| format!("{} x {}", l.price, l.qty)).unwrap_or_default()
                };
                println!("#{last_update_id}  bid {}  ask {}", best(&top.bids), best(&top.asks));
            }
            BookUpdate::Resyncing { reason } => eprintln!("rebuilding the book: {reason}"),
        }
    }
    Ok(())
}
