//! # mbx-client
//!
//! An async client for Binance's spot API built on `mbx-core`: REST, and market streams that look
//! after themselves. Trades as they happen (`examples/stream_trades.rs`):
//!
//! ```no_run
//! # async fn run() -> mbx_client::Result<()> {
//! use mbx_client::types::stream::MarketEvent;
//! use mbx_client::{Client, Environment, StreamItem};
//! let client = Client::builder().environment(Environment::Sandbox).build()?;
//! let mut stream = client.market_streams(["btcusdt@trade"]).open().await?;
//! while let Some(item) = stream.next().await {
//!     match item {
//!         StreamItem::Event(e) => {
//!             if let MarketEvent::Trade(t) = e.event {
//!                 println!("{} @ {}", t.quantity, t.price);
//!             }
//!         }
//!         // The connection was lost and replaced: events may be missing in between.
//!         StreamItem::Gap(gap) => eprintln!("gap: {}", gap.reason),
//!         StreamItem::Refused(why) => eprintln!("{why}"),
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! * [`Client::market_streams`]: typed events of every market stream on one connection; pings
//!   answered, silent or cut connections replaced with backoff, every possible loss reported as a
//!   [`Gap`], the 24-hour cut and `serverShutdown` bridged by a new connection opened first.
//! * [`Client::local_book`]: a local order book kept by the docs' procedure (`examples/local_book.rs`).
//!
//! What the REST client guarantees:
//!
//! * **The signed bytes are the sent bytes**: parameters are rendered once by `mbx-core`; the query
//!   string that was signed is the query string on the wire.
//! * **Time is right**: [`Client::sync_time`] measures the server offset (lowest-RTT sample) and every
//!   signed request carries a corrected timestamp; a `-1021` answer re-syncs and retries once (a
//!   `-1021` request was not executed, so this is safe even for orders).
//! * **Limits are respected**: the client tracks `X-MBX-USED-WEIGHT-1M`, waits rather than cross the
//!   published weight limit, and after a 429/418 sends nothing until `Retry-After` has passed.
//! * **Orders are placed exactly once**: every order carries a client order id; an unknown outcome is
//!   settled by looking the order up, and the order is sent again only once the server's clock is
//!   past the lost request's `timestamp + recvWindow` and a last lookup still finds nothing
//!   ([`settle`]): never blindly.
//! * **Never banned**: requests in flight count against the weight and order limits, so tasks sharing
//!   one client cannot together cross them; after a 429 no request leaves (REST or WebSocket API,
//!   lookups included) until `Retry-After` has passed.
//!
//! ```no_run
//! # async fn run() -> mbx_client::Result<()> {
//! use mbx_client::{Client, Environment};
//! use mbx_core::model::{OrderType, Side};
//! use rust_decimal::Decimal;
//! let client = Client::builder()
//!     .environment(Environment::Sandbox)
//!     .api_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
//!     .hmac_secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
//!     .build()?;
//! let order = client
//!     .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
//!     .quantity(Decimal::new(1, 3))
//!     .price(Decimal::new(20000, 0))
//!     .send()
//!     .await?;
//! println!("order {} is {:?}", order.order_id, order.status);
//! # Ok(()) }
//! ```

mod api;
mod book;
mod client;
mod config;
mod error;
mod http;
mod klines;
mod listen_key;
mod market;
mod proxy;
mod rate_limit;
mod replace;
mod sandbox_admin;
pub mod settle;
mod streams;
pub mod types;
pub mod user_view;
mod ws_api;

#[doc(hidden)]
pub mod fuzzing;

pub use api::{NewOrder, default_time_in_force, new_client_order_id};
pub use book::{BookLevels, BookState, BookTop, BookUpdate, DiffOutcome, LocalBook, LocalBookBuilder};
pub use client::{Client, ClientBuilder, ClockSample, SentRequest};
pub use config::Environment;
pub use error::{Error, Result};
pub use klines::{KlineCursor, KlinePages, KlinesRequest, MAX_KLINES_PER_REQUEST, PageRequest};
pub use listen_key::ListenKeyStream;
pub use rate_limit::{DEFAULT_WEIGHT_PER_MINUTE, OrderCount};
pub use replace::{CancelReplaceOrder, CancelTarget};
pub use sandbox_admin::{
    ChaosConfig, ChaosCounters, ChaosState, ClockChaos, ConnectionChaos, OrderChaos, RawRequest, RawResponse,
    RevokedKey, SandboxHealth, SandboxKey, StormChaos, UserStreamChaos,
};
pub use settle::SettleCounts;
pub use streams::{Gap, MAX_STREAMS_PER_CONNECTION, MarketStream, MarketStreams, StreamEvent, StreamItem};
pub use user_view::UserView;
pub use ws_api::{UserItem, UserStream, WsApi};
