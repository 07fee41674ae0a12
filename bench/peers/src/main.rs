//! `peers`: one signed `GET /api/v3/account` (HMAC, `omitZeroBalances=true`) through mbx-client and
//! through the crates a user would pick instead, against a sandbox running in another process.
//!
//! ```text
//! peers rps   --client C --concurrency 32 --seconds 5 --base-url URL   # requests per second
//! peers calls --client C -n 200 --base-url URL                         # exactly n requests, one at a time
//! ```
//!
//! Clients (`C`):
//! - `mbx`: mbx-client (async, reqwest 0.13 / hyper 1).
//! - `binance`: the `binance` crate (wisespace-io), blocking reqwest 0.11. Concurrency `c` means `c` OS
//!   threads sharing clones of one client, which is how that crate is used concurrently.
//! - `connector`: `binance_spot_connector_rust` 1.3 with its hyper 0.14 (async) client.
//! - `connector-ureq`: the same connector with its default ureq (blocking) client; `c` threads sharing one
//!   agent whose idle pool holds `c` connections per host (ureq's default keeps one).
//! - `sdk`: `binance-sdk` (binance-connector-rust), spot REST API, async reqwest 0.12.
//! - `floor` (not a peer): the same request signed by mbx-core and decoded into mbx-client's `Account`,
//!   sent straight through hyper-util's pooled hyper 1 client (the stack under reqwest 0.13), with no
//!   clock offset, limits or error mapping: how much of mbx-client's cost is the HTTP layer above hyper.
//!
//! Every async client runs on a current-thread tokio runtime (the bench pins the client to one core,
//! and callgrind counts instructions more simply with one thread); `c` concurrent requests are `c` tasks.
//! `--workers W` uses a multi-thread runtime with `W` workers instead.
//!
//! Each request counts as ok only if the call succeeded (HTTP 200, decoded) and the account lists at least
//! one balance; anything else is a failure, and the output reports failures so the caller can reject the run.
//! The connector returns the body as text; it is decoded here into a minimal struct with string amounts,
//! which is the cheapest decode a user of that crate would write.
//!
//! Output, one line, `key=value` pairs: `client=.. mode=.. concurrency=.. ok=.. fail=.. seconds=.. rps=..
//! cpu_us_per_req=..` (the last: the process's CPU time over the measured window per request, rps mode).

use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The sandbox's demo key (Binance's documentation example key, which protects nothing).
const DEMO_API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
/// Its HMAC secret.
const DEMO_SECRET_KEY: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// Warm-up before an rps measurement: opens the connections and fills the pools.
const WARMUP: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mbx,
    Binance,
    Connector,
    ConnectorUreq,
    Sdk,
    Floor,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "mbx" => Kind::Mbx,
            "binance" => Kind::Binance,
            "connector" => Kind::Connector,
            "connector-ureq" => Kind::ConnectorUreq,
            "sdk" => Kind::Sdk,
            "floor" => Kind::Floor,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Mbx => "mbx",
            Kind::Binance => "binance",
            Kind::Connector => "connector",
            Kind::ConnectorUreq => "connector-ureq",
            Kind::Sdk => "sdk",
            Kind::Floor => "floor",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Requests per second for a duration, after a warm-up.
    Rps,
    /// Exactly `n` sequential requests (for instruction counts: run with n and 2n, subtract).
    Calls,
}

#[derive(Debug, Clone)]
struct Opts {
    mode: Mode,
    kind: Kind,
    concurrency: usize,
    seconds: f64,
    n: u64,
    /// Tokio worker threads for the async clients; 0 = a current-thread runtime (the default).
    workers: usize,
    base_url: String,
    api_key: String,
    secret: String,
}

const USAGE: &str = "usage: peers rps|calls --client mbx|binance|connector|connector-ureq|sdk|floor --base-url URL \
[--concurrency C] [--seconds S] [-n N] [--workers W] [--api-key K] [--secret S]";

fn parse_args() -> Result<Opts, String> {
    let mut args = std::env::args().skip(1);
    let mode = match args.next().as_deref() {
        Some("rps") => Mode::Rps,
        Some("calls") => Mode::Calls,
        _ => return Err(USAGE.to_owned()),
    };
    let mut o = Opts {
        mode,
        kind: Kind::Mbx,
        concurrency: 1,
        seconds: 5.0,
        n: 200,
        workers: 0,
        base_url: String::new(),
        api_key: DEMO_API_KEY.to_owned(),
        secret: DEMO_SECRET_KEY.to_owned(),
    };
    let mut kind = None;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |what: &str| format!("{flag}: {what} expected, got '{value}'");
        match flag.as_str() {
            "--client" => kind = Some(Kind::parse(&value).ok_or_else(|| bad("a client name"))?),
            "--concurrency" | "-c" => {
                o.concurrency =
                    value.parse().ok().filter(|c| *c > 0).ok_or_else(|| bad("a positive integer"))?
            }
            "--seconds" => {
                o.seconds = value.parse().ok().filter(|s| *s > 0.0).ok_or_else(|| bad("a duration"))?
            }
            "-n" => o.n = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| bad("a positive integer"))?,
            "--workers" => o.workers = value.parse().map_err(|_| bad("a number of threads"))?,
            "--base-url" => o.base_url = value.trim_end_matches('/').to_owned(),
            "--api-key" => o.api_key = value,
            "--secret" => o.secret = value,
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    o.kind = kind.ok_or_else(|| format!("--client is required\n{USAGE}"))?;
    if o.base_url.is_empty() {
        return Err(format!("--base-url is required\n{USAGE}"));
    }
    if o.mode == Mode::Calls {
        o.concurrency = 1;
    }
    Ok(o)
}

/// Counts of one run.
#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    fail: AtomicU64,
    /// The first failure's message.
    first_error: std::sync::Mutex<Option<String>>,
    /// Process CPU time over the measured window (rps mode), in microseconds; 0 if unknown.
    cpu_us: AtomicU64,
}

/// Microseconds of process CPU time since `cpu0`.
fn cpu_delta(cpu0: Option<f64>) -> u64 {
    match (cpu0, process_cpu_seconds()) {
        (Some(a), Some(b)) => ((b - a) * 1e6) as u64,
        _ => 0,
    }
}

impl Tally {
    fn record(&self, r: Result<usize, String>) {
        match r {
            Ok(n) if n > 0 => {
                self.ok.fetch_add(1, Ordering::Relaxed);
            }
            Ok(_) => self.fail_with("the account listed no balances".to_owned()),
            Err(e) => self.fail_with(e),
        }
    }

    fn fail_with(&self, e: String) {
        self.fail.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_error.lock().unwrap_or_else(|p| p.into_inner());
        if first.is_none() {
            *first = Some(e);
        }
    }
}

// ---- the account call, per client; each returns the number of balances listed ----

async fn mbx_account(c: &mbx_client::Client) -> Result<usize, String> {
    c.account().await.map(|a| a.balances.len()).map_err(|e| e.to_string())
}

fn binance_account(a: &binance::account::Account) -> Result<usize, String> {
    a.get_account_with_params(true).map(|a| a.balances.len()).map_err(|e| e.to_string())
}

/// What a user of the connector (which returns the body as text) would decode: the fields mbx-client
/// decodes, amounts kept as strings.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ConnectorAccount {
    can_trade: bool,
    #[serde(default)]
    account_type: String,
    #[serde(default)]
    update_time: u64,
    balances: Vec<ConnectorBalance>,
    #[serde(default)]
    permissions: Vec<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ConnectorBalance {
    asset: String,
    free: String,
    locked: String,
}

type HyperConnector = binance_spot_connector_rust::hyper::BinanceHttpClient<
    hyper_tls::HttpsConnector<hyper::client::HttpConnector>,
>;

async fn connector_account(c: &HyperConnector) -> Result<usize, String> {
    use binance_spot_connector_rust::trade;
    let resp = c.send(trade::account().omit_zero_balances(true)).await.map_err(|e| format!("{e:?}"))?;
    let body = resp.into_body_str().await.map_err(|e| format!("{e:?}"))?;
    let a: ConnectorAccount = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    Ok(a.balances.len())
}

fn connector_ureq_account(c: &binance_spot_connector_rust::ureq::BinanceHttpClient) -> Result<usize, String> {
    use binance_spot_connector_rust::trade;
    let resp = c.send(trade::account().omit_zero_balances(true)).map_err(|e| format!("{e:?}"))?;
    let body = resp.into_body_str().map_err(|e| format!("{e:?}"))?;
    let a: ConnectorAccount = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    Ok(a.balances.len())
}

async fn sdk_account(c: &binance_sdk::spot::rest_api::RestApi) -> Result<usize, String> {
    use binance_sdk::spot::rest_api::GetAccountParams;
    let params = GetAccountParams::builder().omit_zero_balances(true).build().map_err(|e| e.to_string())?;
    let resp = c.get_account(params).await.map_err(|e| e.to_string())?;
    let data = resp.data().await.map_err(|e| e.to_string())?;
    Ok(data.balances.map_or(0, |b| b.len()))
}

/// The floor client: hyper-util's pooled client, mbx-core's HMAC signer, the API key and the base URL.
struct Floor {
    http: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Empty<bytes::Bytes>,
    >,
    signer: mbx_core::Signer,
    api_key: hyper1::header::HeaderValue,
    base: String,
}

async fn floor_account(c: &Floor) -> Result<usize, String> {
    use http_body_util::BodyExt as _;
    use mbx_core::payload::{Placement, RestPayload};
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis();
    let params = mbx_core::Params::new().bool("omitZeroBalances", true).int("timestamp", now_ms as u64);
    let signed = RestPayload::render(&params, Placement::Query).sign(&c.signer);
    let url = format!("{}/api/v3/account?{}", c.base, signed.query());
    let req = hyper1::Request::get(url)
        .header("X-MBX-APIKEY", c.api_key.clone())
        .body(http_body_util::Empty::new())
        .map_err(|e| e.to_string())?;
    let resp = c.http.request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = resp.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    if status != hyper1::StatusCode::OK {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
    }
    let a: mbx_client::types::Account = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    Ok(a.balances.len())
}

// ---- clients ----

fn mbx_client(o: &Opts) -> Result<mbx_client::Client, String> {
    mbx_client::Client::builder()
        .base_url(o.base_url.clone())
        .api_key(o.api_key.clone())
        .hmac_secret(o.secret.clone())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())
}

/// mbx-client paces itself to the request-weight limit it knows, Binance's 6000 per minute until it has
/// read exchangeInfo: 300 account calls (weight 20) a minute. Reading exchangeInfo once, as an
/// application would, adopts the sandbox's published limit (unlimited under `--no-limits`). The peers
/// keep no client-side limit at all.
async fn mbx_prepare(c: mbx_client::Client) -> Result<(), String> {
    c.exchange_info(Some("BTCUSDT")).await.map(drop).map_err(|e| format!("exchangeInfo: {e}"))
}

async fn no_prepare() -> Result<(), String> {
    Ok(())
}

fn binance_client(o: &Opts) -> binance::account::Account {
    use binance::api::Binance as _;
    let config = binance::config::Config::default().set_rest_api_endpoint(o.base_url.clone());
    binance::account::Account::new_with_config(Some(o.api_key.clone()), Some(o.secret.clone()), &config)
}

fn connector_client(o: &Opts) -> HyperConnector {
    use binance_spot_connector_rust::http::Credentials;
    binance_spot_connector_rust::hyper::BinanceHttpClient::with_url(&o.base_url)
        .credentials(Credentials::from_hmac(o.api_key.clone(), o.secret.clone()))
}

fn connector_ureq_client(o: &Opts) -> binance_spot_connector_rust::ureq::BinanceHttpClient {
    use binance_spot_connector_rust::http::Credentials;
    let agent = ureq::AgentBuilder::new()
        .max_idle_connections_per_host(o.concurrency.max(1))
        .timeout(Duration::from_secs(10))
        .build();
    binance_spot_connector_rust::ureq::BinanceHttpClient::new(agent, &o.base_url)
        .credentials(Credentials::from_hmac(o.api_key.clone(), o.secret.clone()))
}

fn sdk_client(o: &Opts) -> Result<binance_sdk::spot::rest_api::RestApi, String> {
    use binance_sdk::config::ConfigurationRestApi;
    use binance_sdk::spot::SpotRestApi;
    let conf = ConfigurationRestApi::builder()
        .api_key(o.api_key.clone())
        .api_secret(o.secret.clone())
        .base_path(o.base_url.clone())
        // The SDK's default timeout is 1 s; the sandbox at concurrency 32 stays well under it, but a
        // loaded shared machine might not.
        .timeout(10_000)
        .build()
        .map_err(|e| e.to_string())?;
    Ok(SpotRestApi::from_config(conf))
}

fn floor_client(o: &Opts) -> Result<Floor, String> {
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    Ok(Floor {
        http: Client::builder(TokioExecutor::new()).build_http(),
        signer: mbx_core::Signer::Hmac(mbx_core::sign::HmacSigner::new(o.secret.as_bytes())),
        api_key: hyper1::header::HeaderValue::from_str(&o.api_key).map_err(|e| e.to_string())?,
        base: o.base_url.clone(),
    })
}

/// CPU time (user + system, all threads) this process has used so far, in seconds, from /proc/self/stat
/// (clock ticks, normally 100 a second: good to about 1% over a few seconds). None off Linux.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are
    // the 14th and 15th fields of the whole line, the 12th and 13th after ") ".
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ');
    let utime: f64 = fields.nth(11)?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

// ---- drivers ----

/// Runs `prepare`, then `call` on `concurrency` tasks of a current-thread runtime: for `seconds` after a
/// warm-up (rps), or `n` times in sequence (calls). Returns the measured tally and the seconds it covered.
fn drive_async<C, P, F, Fut>(o: &Opts, client: C, prepare: P, call: F) -> Result<(Tally, f64), String>
where
    C: Clone + Send + Sync + 'static,
    P: Future<Output = Result<(), String>>,
    F: Fn(C) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<usize, String>> + Send + 'static,
{
    let rt = if o.workers == 0 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(o.workers).enable_all().build()
    }
    .expect("tokio runtime");
    rt.block_on(prepare)?;
    let o = o.clone();
    Ok(rt.block_on(async move {
        let tally = Arc::new(Tally::default());
        if o.mode == Mode::Calls {
            let start = Instant::now();
            for _ in 0..o.n {
                tally.record(call(client.clone()).await);
            }
            let secs = start.elapsed().as_secs_f64();
            return (Arc::try_unwrap(tally).unwrap_or_default(), secs);
        }
        let warm = Arc::new(Tally::default());
        let counting = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..o.concurrency {
            let (client, tally, warm, counting, stop) =
                (client.clone(), tally.clone(), warm.clone(), counting.clone(), stop.clone());
            tasks.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let r = call(client.clone()).await;
                    if counting.load(Ordering::Relaxed) { tally.record(r) } else { warm.record(r) }
                }
            });
        }
        tokio::time::sleep(WARMUP).await;
        counting.store(true, Ordering::Relaxed);
        let (start, cpu0) = (Instant::now(), process_cpu_seconds());
        tokio::time::sleep(Duration::from_secs_f64(o.seconds)).await;
        counting.store(false, Ordering::Relaxed);
        let secs = start.elapsed().as_secs_f64();
        tally.cpu_us.store(cpu_delta(cpu0), Ordering::Relaxed);
        stop.store(true, Ordering::Relaxed);
        while tasks.join_next().await.is_some() {}
        let mut t = Arc::try_unwrap(tally).unwrap_or_default();
        // A failing warm-up is a failing run too.
        let warm_fail = warm.fail.load(Ordering::Relaxed);
        if warm_fail > 0 {
            t.fail.fetch_add(warm_fail, Ordering::Relaxed);
            let first = t.first_error.get_mut().unwrap_or_else(|p| p.into_inner());
            if first.is_none() {
                *first = warm.first_error.lock().unwrap_or_else(|p| p.into_inner()).take();
            }
        }
        (t, secs)
    }))
}

/// The blocking counterpart of [`drive_async`]: `concurrency` OS threads sharing clones of `client`.
fn drive_blocking<C, F>(o: &Opts, client: C, call: F) -> (Tally, f64)
where
    C: Clone + Send + Sync,
    F: Fn(&C) -> Result<usize, String> + Copy + Send + Sync,
{
    let tally = Tally::default();
    if o.mode == Mode::Calls {
        let start = Instant::now();
        for _ in 0..o.n {
            tally.record(call(&client));
        }
        return (tally, start.elapsed().as_secs_f64());
    }
    let warm = Tally::default();
    let counting = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let mut secs = 0.0;
    std::thread::scope(|s| {
        for _ in 0..o.concurrency {
            let client = client.clone();
            let (tally, warm, counting, stop) = (&tally, &warm, &counting, &stop);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let r = call(&client);
                    if counting.load(Ordering::Relaxed) { tally.record(r) } else { warm.record(r) }
                }
            });
        }
        std::thread::sleep(WARMUP);
        counting.store(true, Ordering::Relaxed);
        let (start, cpu0) = (Instant::now(), process_cpu_seconds());
        std::thread::sleep(Duration::from_secs_f64(o.seconds));
        counting.store(false, Ordering::Relaxed);
        secs = start.elapsed().as_secs_f64();
        tally.cpu_us.store(cpu_delta(cpu0), Ordering::Relaxed);
        stop.store(true, Ordering::Relaxed);
    });
    let warm_fail = warm.fail.load(Ordering::Relaxed);
    if warm_fail > 0 {
        tally.fail.fetch_add(warm_fail, Ordering::Relaxed);
        let mut first = tally.first_error.lock().unwrap_or_else(|p| p.into_inner());
        if first.is_none() {
            *first = warm.first_error.lock().unwrap_or_else(|p| p.into_inner()).take();
        }
    }
    (tally, secs)
}

fn run(o: &Opts) -> Result<(Tally, f64), String> {
    Ok(match o.kind {
        Kind::Mbx => {
            let client = mbx_client(o)?;
            drive_async(o, client.clone(), mbx_prepare(client), |c| async move { mbx_account(&c).await })?
        }
        Kind::Binance => drive_blocking(o, binance_client(o), binance_account),
        Kind::Connector => drive_async(o, Arc::new(connector_client(o)), no_prepare(), |c| async move {
            connector_account(&c).await
        })?,
        Kind::ConnectorUreq => drive_blocking(o, connector_ureq_client(o), connector_ureq_account),
        Kind::Sdk => {
            drive_async(o, Arc::new(sdk_client(o)?), no_prepare(), |c| async move { sdk_account(&c).await })?
        }
        Kind::Floor => {
            drive_async(
                o,
                Arc::new(floor_client(o)?),
                no_prepare(),
                |c| async move { floor_account(&c).await },
            )?
        }
    })
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (tally, secs) = match run(&o) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("peers: {}: {e}", o.kind.name());
            return ExitCode::FAILURE;
        }
    };
    let ok = tally.ok.load(Ordering::Relaxed);
    let fail = tally.fail.load(Ordering::Relaxed);
    let mode = match o.mode {
        Mode::Rps => "rps",
        Mode::Calls => "calls",
    };
    let cpu_us = tally.cpu_us.load(Ordering::Relaxed) as f64;
    let cpu_per_req = if ok > 0 && cpu_us > 0.0 { cpu_us / ok as f64 } else { 0.0 };
    println!(
        "client={} mode={mode} concurrency={} ok={ok} fail={fail} seconds={secs:.3} rps={:.1} cpu_us_per_req={cpu_per_req:.1}",
        o.kind.name(),
        o.concurrency,
        ok as f64 / secs
    );
    if let Some(e) = tally.first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        eprintln!("peers: {}: first failure: {e}", o.kind.name());
    }
    if fail > 0 || ok == 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
