//! `account_calls URL N`: N sequential signed `GET /api/v3/account` calls (the sandbox's demo HMAC
//! key) through one client, after one exchangeInfo read (so the client adopts the server's limits).
//! For measuring the client's instructions per request under callgrind: run it with N and 2N against
//! a sandbox in another process; (I(2N) - I(N)) / N leaves out start-up and the first connection.
//! Prints the number of balances seen; exits non-zero on any failure.

use std::time::Duration;

/// The sandbox's demo key (a test key that protects nothing).
const DEMO_API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
/// The sandbox's demo HMAC secret (a test key).
const DEMO_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(n)) = (args.next(), args.next()) else {
        return Err("usage: account_calls URL N".into());
    };
    let n: usize = n.parse()?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = mbx_client::Client::builder()
            .base_url(url)
            .api_key(DEMO_API_KEY.to_owned())
            .hmac_secret(DEMO_SECRET.to_owned())
            .timeout(Duration::from_secs(10))
            .build()?;
        client.exchange_info(Some("BTCUSDT")).await?;
        let mut balances = 0;
        for _ in 0..n {
            balances += client.account().await?.balances.len();
        }
        println!("calls={n} balances={balances}");
        Ok(())
    })
}
