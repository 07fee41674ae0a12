//! Prints the demo account's non-zero balances from a running `mbx sandbox` (127.0.0.1:9900): a
//! signed request whose timestamp follows the server's clock.
//!
//! ```sh
//! mbx sandbox &
//! cargo run -p mbx-client --example account
//! ```

use mbx_client::{Client, Environment};

/// The sandbox's demo key (a test key that protects nothing).
use mbx_sandbox::seed::{DEMO_API_KEY, DEMO_SECRET_KEY as DEMO_SECRET};

#[tokio::main]
async fn main() -> mbx_client::Result<()> {
    let client = Client::builder()
        .environment(Environment::Sandbox)
        .api_key(DEMO_API_KEY)
        .hmac_secret(DEMO_SECRET)
        .build()?;
    let clock = client.sync_time().await?;
    println!("clock offset {} ms (round trip {:?})", clock.offset_ms, clock.rtt);
    for b in client.account().await?.balances {
        if !(b.free.is_zero() && b.locked.is_zero()) {
            println!("{:>10} free {:>20} locked {:>20}", b.asset, b.free, b.locked);
        }
    }
    Ok(())
}
