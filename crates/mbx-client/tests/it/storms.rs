//! Never banned (issue 19): many tasks sharing one client through repeated rate-limit storms (the
//! sandbox's chaos mode) wait out every `Retry-After` and never draw a 418; with a small request
//! weight limit, the weight of requests in flight keeps concurrent tasks within it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mbx_client::{ChaosConfig, Client, Error, StormChaos, WsApi};
use mbx_core::Params;
use mbx_sandbox::{RateLimits, Sandbox};
use mbx_testkit::TestSandbox;

const TASKS: usize = 32;
const REQUESTS_PER_TASK: usize = 40;

use crate::demo_client as client;

/// One read (weight 6): `GET /api/v3/openOrders` over REST, or `openOrders.status` over the
/// WebSocket API.
async fn read(c: &Client, ws: Option<&WsApi>) -> mbx_client::Result<()> {
    match ws {
        Some(ws) => {
            ws.request("openOrders.status", Params::new().text("symbol", "BTCUSDT")).await.map(|_| ())
        }
        None => c.open_orders(Some("BTCUSDT")).await.map(|_| ()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storms_many_tasks_on_one_client_wait_out_retry_after_and_are_never_banned() {
    let limits = RateLimits { request_weight_per_minute: 1_000_000, ..RateLimits::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().rate_limits(limits)).await;
    let c = client(&sb);
    c.sync_time().await.unwrap();
    c.exchange_info(Some("BTCUSDT")).await.unwrap();
    let ws = c.ws_api();
    // About one storm in 200 requests, each a second long: several storms over the run.
    let chaos = ChaosConfig {
        seed: 7,
        storms: StormChaos { probability: 0.005, duration_ms: 1000 },
        ..ChaosConfig::default()
    };
    c.sandbox_set_chaos(&chaos).await.unwrap();

    let limited = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let (c, ws, limited) = (c.clone(), (t % 2 == 1).then(|| ws.clone()), limited.clone());
            tokio::spawn(async move {
                let mut done = 0;
                while done < REQUESTS_PER_TASK {
                    match read(&c, ws.as_ref()).await {
                        Ok(()) => done += 1,
                        // Answered 429 (or held back by the client's backoff): the next try waits
                        // out Retry-After by itself.
                        Err(Error::RateLimited { status: 429, .. }) => {
                            limited.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => panic!("task {t}: {e}"),
                    }
                }
                done
            })
        })
        .collect();
    let mut finished = 0;
    for t in tasks {
        assert_eq!(t.await.expect("a task panicked"), REQUESTS_PER_TASK);
        finished += 1;
    }
    let elapsed = started.elapsed();
    let state = c.sandbox_clear_chaos().await.unwrap();
    let injected = state.injected;
    eprintln!(
        "storms: {TASKS} tasks × {REQUESTS_PER_TASK} requests on one client (half REST, half WebSocket API): \
         {} storms, {} answered 429 by the sandbox, {} 429s seen by the tasks, {} answered 418; {elapsed:.1?}",
        injected.storms,
        injected.status_429,
        limited.load(Ordering::Relaxed),
        injected.status_418
    );
    assert_eq!(finished, TASKS, "every task finished");
    assert!(injected.storms >= 2 && injected.status_429 > 0, "storms happened: {injected:?}");
    // Sending again inside a Retry-After (past the 500 ms grace for requests already in flight)
    // is answered 418: the client never did.
    assert_eq!(injected.status_418, 0, "never banned: {injected:?}");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storms_requests_in_flight_keep_concurrent_tasks_within_the_weight_limit() {
    // 60 a minute: after exchangeInfo (20), room for 6 reads of 6, not for 32 at once (nor for
    // 32 over two minutes, should the minute end during the test).
    let limits = RateLimits { request_weight_per_minute: 60, ..RateLimits::default() };
    let sb = TestSandbox::start_with(Sandbox::builder().memory().rate_limits(limits)).await;
    let c = client(&sb);
    c.exchange_info(Some("BTCUSDT")).await.unwrap();
    let ws = c.ws_api();
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let (c, ws) = (c.clone(), (t % 2 == 1).then(|| ws.clone()));
            tokio::spawn(async move { read(&c, ws.as_ref()).await })
        })
        .collect();
    // Those that fit this minute are answered at once; the others wait for the next minute (not
    // awaited here beyond 5 s).
    let mut answered = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    for mut t in tasks {
        match tokio::time::timeout_at(deadline, &mut t).await {
            Ok(result) => {
                // No -1003 from the sandbox's weight limit: the client never overshot it.
                result.unwrap().unwrap_or_else(|e| panic!("a task overshot the limit: {e}"));
                answered += 1;
            }
            Err(_) => t.abort(),
        }
    }
    assert!(answered >= 1, "some fit");
    assert!(answered < TASKS, "not all 32 fit: the others waited");
    assert!(c.used_weight() <= 60, "the sandbox counted {} of 60", c.used_weight());
    eprintln!(
        "in flight: {answered} of {TASKS} reads of weight 6 answered within a limit of 60 (20 used first), none refused"
    );
    sb.shutdown().await;
}
