//! `kill -9` under load: a `mbx sandbox` process with a data directory takes orders from many
//! concurrent clients, is killed with SIGKILL while requests are in flight, and is started again on
//! the same directory. Every order it acknowledged must be there, resting, with its funds still
//! locked, and new order ids must continue above every id it issued.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use mbx_client::{Client, Environment};
use mbx_core::Params;
use mbx_core::endpoint::{Method, Security};
use rust_decimal::Decimal;

use crate::support::{DOCS_API_KEY, DOCS_SECRET, temp_dir};

/// Starts `mbx sandbox` on a free port with `dir` as its data directory; returns it and its URL.
fn start(dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("mbx"))
        .args(["--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--no-market-maker", "--no-limits"])
        .arg("--data")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The first stdout line is printed once the sandbox is listening.
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    (child, info["rest"].as_str().unwrap().to_owned())
}

fn client(url: &str) -> Client {
    Client::builder()
        .environment(Environment::custom(url.to_owned()))
        .api_key(DOCS_API_KEY)
        .hmac_secret(DOCS_SECRET)
        .build()
        .unwrap()
}

/// A resting LIMIT buy far below any price (the market maker is off, so nothing trades).
fn resting_buy(worker: usize, n: usize) -> Params {
    Params::new()
        .text("symbol", "LTCBTC")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "1")
        .text("price", "0.001")
        .text("newClientOrderId", format!("crash-{worker}-{n}"))
        .text("newOrderRespType", "ACK")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_orders_survive_kill_9_under_load() {
    const WORKERS: usize = 16;
    /// Acknowledgements to wait for before the kill (the demo account's 1 BTC locks 0.001 a order,
    /// and MAX_NUM_ORDERS caps open orders at 200, so the whole run stays well inside both).
    const KILL_AFTER: usize = 120;
    let dir = temp_dir();
    let (mut child, url) = start(&dir);
    let acked: Arc<Mutex<Vec<(u64, String)>>> = Arc::default();
    let (enough_tx, mut enough) = tokio::sync::watch::channel(0usize);
    let enough_tx = Arc::new(enough_tx);
    let mut workers = Vec::new();
    for w in 0..WORKERS {
        let (c, acked, enough_tx) = (client(&url), acked.clone(), enough_tx.clone());
        workers.push(tokio::spawn(async move {
            // Each worker keeps sending until its requests fail (the process is gone).
            for n in 0.. {
                let placed: Result<serde_json::Value, _> =
                    c.request(Method::Post, "/api/v3/order", resting_buy(w, n), Security::Trade).await;
                let Ok(order) = placed else { break };
                let id = order["orderId"].as_u64().expect("an acknowledged order has an id");
                let count = {
                    let mut a = acked.lock().unwrap();
                    a.push((id, order["clientOrderId"].as_str().unwrap_or_default().to_owned()));
                    a.len()
                };
                enough_tx.send_replace(count);
            }
        }));
    }
    enough.wait_for(|n| *n >= KILL_AFTER).await.unwrap();
    child.kill().unwrap(); // SIGKILL: no shutdown, no flush, requests in flight
    child.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= KILL_AFTER);

    let (mut child, url) = start(&dir);
    let c = client(&url);
    let open = c.open_orders(Some("LTCBTC")).await.unwrap();
    let open_ids: BTreeSet<u64> = open.iter().map(|o| o.order_id).collect();
    for (id, cid) in &acked {
        assert!(open_ids.contains(id), "acknowledged order {id} ({cid}) is missing after kill -9");
    }
    // Orders committed whose answer the kill cut off may be there too; each locks 0.001 BTC.
    let account = c.account().await.unwrap();
    let btc = account.balances.iter().find(|b| b.asset == "BTC").unwrap();
    assert_eq!(
        btc.locked,
        Decimal::new(1, 3) * Decimal::from(open.len()),
        "funds of every open order locked"
    );
    assert_eq!(btc.free + btc.locked, Decimal::ONE, "no BTC created or lost");
    // New ids continue above every id issued before the kill.
    let next: serde_json::Value =
        c.request(Method::Post, "/api/v3/order", resting_buy(99, 0), Security::Trade).await.unwrap();
    let max_before = open_ids.iter().max().copied().unwrap_or(0);
    assert!(next["orderId"].as_u64().unwrap() > max_before, "{next} after {max_before}");
    child.kill().unwrap();
    child.wait().unwrap();
}
