//! Prints BTCUSDT's trades as they happen, from a running `mbx sandbox` (127.0.0.1:9900), until
//! interrupted. Trade in another terminal (`mbx --env sandbox order new BTCUSDT BUY MARKET --qty
//! 0.001`) to see them. A lost connection is replaced by itself and reported as a gap.
//!
//! ```sh
//! mbx sandbox &
//! cargo run -p mbx-client --example stream_trades
//! ```

use mbx_client::types::stream::MarketEvent;
use mbx_client::{Client, Environment, StreamItem};

#[tokio::main]
async fn main() -> mbx_client::Result<()> {
    let client = Client::builder().environment(Environment::Sandbox).build()?;
    let mut stream = client.market_streams(["btcusdt@trade", "btcusdt@bookTicker"]).open().await?;
    while let Some(item) = stream.next().await {
        match item {
            StreamItem::Event(e) => match e.event {
                MarketEvent::Trade(t) => println!("trade {} {} @ {}", t.trade_id, t.quantity, t.price),
                MarketEvent::BookTicker(b) => println!("best {} / {}", b.bid_price, b.ask_price),
                _ => {}
            },
            StreamItem::Gap(gap) => eprintln!("events may be missing: {}", gap.reason),
            StreamItem::Refused(why) => eprintln!("refused: {why}"),
        }
    }
    Ok(())
}
