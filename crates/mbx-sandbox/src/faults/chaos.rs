//! The chaos mode: faults drawn at random, with probabilities and a seed, so that a client meets
//! every way an exchange can fail it, reproducibly.
//!
//! [`ChaosConfig`] is what `POST /sandbox/v1/chaos`, the `[chaos]` table of `mbx sandbox --config`
//! and [`crate::SandboxBuilder::chaos`] take; [`Chaos`] is the running state: the configuration, the
//! random generators, the storm under way and the counters of every fault injected
//! (`GET /sandbox/v1/chaos`).
//!
//! | draw | when | what happens |
//! |---|---|---|
//! | `orders.*` (one draw, at most one fault) | each order placement (every endpoint that counts orders, REST and WebSocket API) | drop before commit, delay before the engine, then after commit: drop, delay, 5xx or `-1007` |
//! | `storms.probability` | each REST and WebSocket API request to a Binance endpoint | a storm of `durationMs`: every request answered 429 `-1003` with `Retry-After`; sending again more than 500 ms after a 429 and before its `Retry-After` is answered 418 |
//! | `clock.jump` | each request, as for storms | the sandbox clock jumps by up to ±`maxJumpMs` |
//! | `connections.cutWs` | each frame sent on a market stream or WebSocket API connection | the connection is closed instead (no close frame) |
//! | `userStreams.cut` | each user data event delivered (listenKey streams, WebSocket API subscriptions) | the connection is closed instead |
//!
//! Each kind of draw has its own generator, derived from the seed ([`Rng`], splitmix64): the faults
//! a sequential client meets depend on its own requests only, not on market stream traffic or on
//! other kinds of faults. A storm and the bans it earns are time-based (real time, not the sandbox
//! clock, which chaos may jump); they run to their end when the configuration is replaced, and end
//! when chaos is turned off.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mbx_core::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

use super::OrderFault;
use crate::error::SandboxError;

/// Longest delay `orders.delayMs` takes: 10 minutes.
pub const MAX_DELAY_MS: u64 = 600_000;
/// Longest storm `storms.durationMs` takes: 1 hour.
pub const MAX_STORM_MS: u64 = 3_600_000;
/// Largest clock jump `clock.maxJumpMs` takes: 1 day.
pub const MAX_JUMP_MS: u64 = 86_400_000;
/// How soon after a 429 a request may still arrive without earning a ban: requests already in
/// flight when the 429 was sent, and those a client had cleared to go before the 429 reached it
/// (on a loaded machine its tasks may run a few hundred milliseconds late). Binance documents a
/// ban for failing to back off, not for one late request; half a second is still far shorter than
/// any `Retry-After` (whole seconds), so a client that ignores it is banned.
pub const GRACE_AFTER_429: Duration = Duration::from_millis(500);

/// The chaos configuration. Every field is optional: absent is 0 (off). JSON names are camelCase
/// (`dropBeforeCommit`), TOML ones snake_case (`drop_before_commit`); each form is read in both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ChaosConfig {
    /// Wire: seed (the random generators' seed: the same seed, the same faults).
    pub seed: u64,
    /// Wire: orders (faults of order placements).
    pub orders: OrderChaos,
    /// Wire: storms (rate-limit storms).
    pub storms: StormChaos,
    /// Wire: connections (WebSocket cuts).
    pub connections: ConnectionChaos,
    /// Wire: userStreams (user data stream cuts).
    #[serde(alias = "user_streams")]
    pub user_streams: UserStreamChaos,
    /// Wire: clock (clock jumps).
    pub clock: ClockChaos,
}

// Probabilities are checked finite ([`ChaosConfig::check`]) before a configuration is used, so
// equality is an equivalence on every configuration in use.
impl Eq for ChaosConfig {}

/// `orders`: the probability of each fault per order placement (their sum at most 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct OrderChaos {
    /// Wire: dropBeforeCommit (the connection is closed, nothing is placed).
    #[serde(alias = "drop_before_commit")]
    pub drop_before_commit: f64,
    /// Wire: dropAfterCommit (the order is committed, the connection closed without an answer).
    #[serde(alias = "drop_after_commit")]
    pub drop_after_commit: f64,
    /// Wire: delayAfterCommit (the order is committed, the answer held `delayMs`).
    #[serde(alias = "delay_after_commit")]
    pub delay_after_commit: f64,
    /// Wire: errorAfterCommit (the order is committed, answered an empty 500, 502, 503 or `-1007`).
    #[serde(alias = "error_after_commit")]
    pub error_after_commit: f64,
    /// Wire: delayBeforeEngine (the request is held `delayMs` before the engine, which then judges
    /// its `recvWindow` again).
    #[serde(alias = "delay_before_engine")]
    pub delay_before_engine: f64,
    /// Wire: delayMs (how long the delays hold, in milliseconds).
    #[serde(alias = "delay_ms")]
    pub delay_ms: u64,
}

/// `storms`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct StormChaos {
    /// Wire: probability (per request, that it starts a storm).
    pub probability: f64,
    /// Wire: durationMs (how long a storm lasts).
    #[serde(alias = "duration_ms")]
    pub duration_ms: u64,
}

/// `connections`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ConnectionChaos {
    /// Wire: cutWs (per frame sent on a market stream or WebSocket API connection, that the
    /// connection is closed instead).
    #[serde(alias = "cut_ws")]
    pub cut_ws: f64,
}

/// `userStreams`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct UserStreamChaos {
    /// Wire: cut (per user data event delivered, that the stream's connection is closed instead).
    pub cut: f64,
}

/// `clock`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ClockChaos {
    /// Wire: jump (per request, that the sandbox clock jumps).
    pub jump: f64,
    /// Wire: maxJumpMs (the largest jump, either way).
    #[serde(alias = "max_jump_ms")]
    pub max_jump_ms: u64,
}

impl ChaosConfig {
    /// Checks the configuration: every probability between 0 and 1, the order faults' together at
    /// most 1, durations within bounds. The error names the field (JSON name) and the problem.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let o = &self.orders;
        for (name, p) in [
            ("orders.dropBeforeCommit", o.drop_before_commit),
            ("orders.dropAfterCommit", o.drop_after_commit),
            ("orders.delayAfterCommit", o.delay_after_commit),
            ("orders.errorAfterCommit", o.error_after_commit),
            ("orders.delayBeforeEngine", o.delay_before_engine),
            ("storms.probability", self.storms.probability),
            ("connections.cutWs", self.connections.cut_ws),
            ("userStreams.cut", self.user_streams.cut),
            ("clock.jump", self.clock.jump),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err((name, format!("{p} is not a probability (0 to 1)")));
            }
        }
        let sum = o.drop_before_commit
            + o.drop_after_commit
            + o.delay_after_commit
            + o.error_after_commit
            + o.delay_before_engine;
        if sum > 1.0 + 1e-9 {
            return Err(("orders", format!("the order faults' probabilities add up to {sum}, over 1")));
        }
        for (name, v, max) in [
            ("orders.delayMs", o.delay_ms, MAX_DELAY_MS),
            ("storms.durationMs", self.storms.duration_ms, MAX_STORM_MS),
            ("clock.maxJumpMs", self.clock.max_jump_ms, MAX_JUMP_MS),
        ] {
            if v > max {
                return Err((name, format!("{v} is over {max}")));
            }
        }
        Ok(())
    }
}

/// A small seeded generator (splitmix64): one per kind of draw, so that the kinds do not disturb
/// each other's sequences.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// The generator of stream `stream` under `seed`.
    pub fn new(seed: u64, stream: u64) -> Rng {
        Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`, from 53 random bits.
    pub fn unit(&mut self) -> f64 {
        // 53 bits convert to f64 exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`; draws nothing when `p` is 0.
    pub fn hit(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }
}

/// The fault drawn for one order placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderChaosFault {
    /// Close the connection; place nothing.
    DropBeforeCommit,
    /// Hold the request this long before the engine takes it (which then judges its `recvWindow`).
    DelayBeforeEngine(Duration),
    /// Place the order, close the connection without an answer.
    DropAfterCommit,
    /// Place the order, hold the answer this long.
    DelayAfterCommit(Duration),
    /// Place the order, answer this error instead (an empty 5xx or `-1007`).
    ErrorAfterCommit(OrderFault),
}

impl OrderChaosFault {
    /// The fault's name, as the counters and the log name it.
    pub fn name(self) -> &'static str {
        match self {
            OrderChaosFault::DropBeforeCommit => "dropBeforeCommit",
            OrderChaosFault::DelayBeforeEngine(_) => "delayBeforeEngine",
            OrderChaosFault::DropAfterCommit => "dropAfterCommit",
            OrderChaosFault::DelayAfterCommit(_) => "delayAfterCommit",
            OrderChaosFault::ErrorAfterCommit(_) => "errorAfterCommit",
        }
    }

    /// Whether the fault applies only once the order is committed (a rejected order is answered
    /// as it is).
    pub fn after_commit(self) -> bool {
        matches!(
            self,
            OrderChaosFault::DropAfterCommit
                | OrderChaosFault::DelayAfterCommit(_)
                | OrderChaosFault::ErrorAfterCommit(_)
        )
    }
}

/// The errors `errorAfterCommit` answers, one chosen at random.
const AFTER_COMMIT_ERRORS: [OrderFault; 4] = [
    OrderFault::Status(500),
    OrderFault::Status(502),
    OrderFault::Status(503),
    OrderFault::Code(ErrorCode::TIMEOUT),
];

/// The decision for one order placement: `u` (in `[0, 1)`) picks at most one fault, the
/// probabilities laid end to end in the contract's order; `pick` chooses the error of
/// `errorAfterCommit`.
pub fn decide_order(o: &OrderChaos, u: f64, pick: u64) -> Option<OrderChaosFault> {
    let delay = Duration::from_millis(o.delay_ms);
    let mut edge = 0.0;
    for (p, fault) in [
        (o.drop_before_commit, OrderChaosFault::DropBeforeCommit),
        (o.drop_after_commit, OrderChaosFault::DropAfterCommit),
        (o.delay_after_commit, OrderChaosFault::DelayAfterCommit(delay)),
        (o.error_after_commit, OrderChaosFault::ErrorAfterCommit(OrderFault::Status(500))),
        (o.delay_before_engine, OrderChaosFault::DelayBeforeEngine(delay)),
    ] {
        edge += p;
        if p > 0.0 && u < edge {
            return Some(match fault {
                OrderChaosFault::ErrorAfterCommit(_) => OrderChaosFault::ErrorAfterCommit(
                    AFTER_COMMIT_ERRORS[(pick % AFTER_COMMIT_ERRORS.len() as u64) as usize],
                ),
                other => other,
            });
        }
    }
    None
}

/// What one client address did during storms.
#[derive(Debug, Clone, Copy)]
struct Client {
    /// The first 429 of the current warning, and when its `Retry-After` passes.
    warned: Option<(Instant, Instant)>,
    /// The ban's end (418 until then).
    banned_until: Option<Instant>,
}

/// The running state behind the lock.
#[derive(Debug)]
struct Run {
    config: ChaosConfig,
    orders: Rng,
    requests: Rng,
    ws: Rng,
    users: Rng,
    /// The storm under way, until when.
    storm_until: Option<Instant>,
    clients: HashMap<Option<IpAddr>, Client>,
}

impl Run {
    fn new(config: ChaosConfig) -> Run {
        let seed = config.seed;
        Run {
            config,
            orders: Rng::new(seed, 1),
            requests: Rng::new(seed, 2),
            ws: Rng::new(seed, 3),
            users: Rng::new(seed, 4),
            storm_until: None,
            clients: HashMap::new(),
        }
    }
}

/// Counters of every fault injected since the sandbox started (`injected` in the admin API).
#[derive(Debug, Default)]
struct Counters {
    drop_before_commit: AtomicU64,
    drop_after_commit: AtomicU64,
    delay_after_commit: AtomicU64,
    error_after_commit: AtomicU64,
    delay_before_engine: AtomicU64,
    storms: AtomicU64,
    status_429: AtomicU64,
    status_418: AtomicU64,
    ws_cuts: AtomicU64,
    user_stream_cuts: AtomicU64,
    clock_jumps: AtomicU64,
}

fn bump(counter: &AtomicU64, fault: &'static str) {
    counter.fetch_add(1, Ordering::Relaxed);
    tracing::debug!(target: "mbx_sandbox::chaos", fault, "fault injected");
}

/// The chaos mode's state: off until configured.
#[derive(Debug, Default)]
pub struct Chaos {
    enabled: AtomicBool,
    run: Mutex<Option<Run>>,
    counters: Counters,
}

impl Chaos {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Run>> {
        self.run.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Turns chaos on with `config` (checked by the caller, [`ChaosConfig::check`]), replacing any
    /// earlier one: the generators restart from the seed; a storm under way and the bans it earned
    /// run to their end.
    pub fn enable(&self, config: ChaosConfig) {
        let mut run = self.lock();
        let mut next = Run::new(config);
        if let Some(old) = run.take() {
            next.storm_until = old.storm_until;
            next.clients = old.clients;
        }
        *run = Some(next);
        self.enabled.store(true, Ordering::Release);
    }

    /// Turns chaos off: no fault is drawn, storms and bans end. The counters stay.
    pub fn disable(&self) {
        let mut run = self.lock();
        *run = None;
        self.enabled.store(false, Ordering::Release);
    }

    /// Whether chaos is on.
    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// The configuration in force (the default, all off, when chaos is off).
    pub fn config(&self) -> ChaosConfig {
        self.lock().as_ref().map(|r| r.config.clone()).unwrap_or_default()
    }

    /// The fault for one order placement, if one is drawn (one draw per placement; a second for
    /// the error of `errorAfterCommit`). Counted by [`Chaos::count_order`] once it applies.
    pub fn order_fault(&self) -> Option<OrderChaosFault> {
        if !self.enabled() {
            return None;
        }
        let mut guard = self.lock();
        let run = guard.as_mut()?;
        let o = &run.config.orders;
        let total = o.drop_before_commit
            + o.drop_after_commit
            + o.delay_after_commit
            + o.error_after_commit
            + o.delay_before_engine;
        if total <= 0.0 {
            return None;
        }
        let u = run.orders.unit();
        let fault = decide_order(o, u, 0)?;
        Some(match fault {
            OrderChaosFault::ErrorAfterCommit(_) => decide_order(o, u, run.orders.next_u64())?,
            other => other,
        })
    }

    /// Counts an order fault that applied (and logs it).
    pub fn count_order(&self, fault: OrderChaosFault) {
        let c = &self.counters;
        let counter = match fault {
            OrderChaosFault::DropBeforeCommit => &c.drop_before_commit,
            OrderChaosFault::DelayBeforeEngine(_) => &c.delay_before_engine,
            OrderChaosFault::DropAfterCommit => &c.drop_after_commit,
            OrderChaosFault::DelayAfterCommit(_) => &c.delay_after_commit,
            OrderChaosFault::ErrorAfterCommit(_) => &c.error_after_commit,
        };
        bump(counter, fault.name());
    }

    /// What a request to a Binance endpoint from `ip` meets at `now`: a storm's 429, a ban's 418,
    /// or nothing; and per request, maybe a clock jump (returned in milliseconds, for the caller to
    /// apply to the sandbox clock). `server_now_ms` and `weight_limit` word the answer.
    pub fn on_request(
        &self,
        ip: Option<IpAddr>,
        now: Instant,
        server_now_ms: u64,
        weight_limit: u32,
    ) -> (Option<SandboxError>, Option<i64>) {
        if !self.enabled() {
            return (None, None);
        }
        let mut guard = self.lock();
        let Some(run) = guard.as_mut() else { return (None, None) };
        let jump = if run.requests.hit(run.config.clock.jump) {
            let max = run.config.clock.max_jump_ms;
            let span = max.saturating_mul(2).saturating_add(1);
            let ms =
                i64::try_from(run.requests.next_u64() % span).unwrap_or(0) - i64::try_from(max).unwrap_or(0);
            bump(&self.counters.clock_jumps, "clockJump");
            Some(ms)
        } else {
            None
        };
        let refusal = storm(run, &self.counters, ip, now, server_now_ms, weight_limit);
        (refusal, jump)
    }

    /// Whether the connection sending its next frame (market stream or WebSocket API) is cut
    /// instead; counted.
    pub fn cut_ws(&self) -> bool {
        self.cut(|run| run.ws.hit(run.config.connections.cut_ws), &self.counters.ws_cuts, "wsCut")
    }

    /// Whether the user data stream delivering its next event is cut instead; counted.
    pub fn cut_user_stream(&self) -> bool {
        self.cut(
            |run| run.users.hit(run.config.user_streams.cut),
            &self.counters.user_stream_cuts,
            "userStreamCut",
        )
    }

    /// One cut drawn by `draw` (false when chaos is off), counted in `counter` as `kind`.
    fn cut(&self, draw: impl FnOnce(&mut Run) -> bool, counter: &AtomicU64, kind: &'static str) -> bool {
        if !self.enabled() {
            return false;
        }
        let cut = self.lock().as_mut().is_some_and(draw);
        if cut {
            bump(counter, kind);
        }
        cut
    }

    /// `{"enabled","config","injected"}`, as `GET /sandbox/v1/chaos` answers.
    pub fn to_json(&self) -> serde_json::Value {
        let c = &self.counters;
        let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
        serde_json::json!({
            "enabled": self.enabled(),
            "config": self.config(),
            "injected": {
                "dropBeforeCommit": n(&c.drop_before_commit),
                "dropAfterCommit": n(&c.drop_after_commit),
                "delayAfterCommit": n(&c.delay_after_commit),
                "errorAfterCommit": n(&c.error_after_commit),
                "delayBeforeEngine": n(&c.delay_before_engine),
                "storms": n(&c.storms),
                "status429": n(&c.status_429),
                "status418": n(&c.status_418),
                "wsCuts": n(&c.ws_cuts),
                "userStreamCuts": n(&c.user_stream_cuts),
                "clockJumps": n(&c.clock_jumps),
            },
        })
    }
}

/// Whole seconds from `now` to `until`, rounded up (what `Retry-After` carries).
fn secs_until(until: Instant, now: Instant) -> u64 {
    let d = until.saturating_duration_since(now);
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The storm rules for one request (module docs): a ban answers 418; a request more than
/// [`GRACE_AFTER_429`] after a 429 and before its `Retry-After` earns a ban (418, for twice the
/// storm's length, at least 1 s); during a storm, 429; else the draw may start a storm (and this
/// request is its first 429).
fn storm(
    run: &mut Run,
    counters: &Counters,
    ip: Option<IpAddr>,
    now: Instant,
    server_now_ms: u64,
    weight_limit: u32,
) -> Option<SandboxError> {
    if run.clients.len() > 4096 {
        run.clients.retain(|_, c| {
            c.banned_until.is_some_and(|t| t > now) || c.warned.is_some_and(|(_, until)| until > now)
        });
    }
    let client = run.clients.entry(ip).or_insert(Client { warned: None, banned_until: None });
    let banned = |until: Instant, what: &str| {
        let secs = secs_until(until, now);
        let until_ms = server_now_ms.saturating_add(secs * 1000);
        let mut error = ApiError::with_args(ErrorCode::TOO_MANY_REQUESTS, 2, &[&until_ms.to_string()]);
        error.http_status = 418;
        bump(&counters.status_418, "status418");
        SandboxError::Limited {
            error,
            retry_after_secs: secs,
            retry_at_ms: until_ms,
            hint: format!(
                "Chaos mode: this address {what} for {secs} more second(s); wait for Retry-After after a 429 (the storm then is over)."
            ),
        }
    };
    if let Some(until) = client.banned_until {
        if until > now {
            return Some(banned(until, "is still banned"));
        }
        client.banned_until = None;
    }
    if let Some((first, retry_at)) = client.warned {
        if now >= retry_at {
            client.warned = None;
        } else if now.duration_since(first) > GRACE_AFTER_429 {
            let length = Duration::from_millis(run.config.storms.duration_ms.saturating_mul(2))
                .max(Duration::from_secs(1));
            let until = now + length;
            client.banned_until = Some(until);
            client.warned = None;
            return Some(banned(until, "kept sending before Retry-After had passed and is banned"));
        }
    }
    let storm_on = run.storm_until.is_some_and(|t| t > now);
    if !storm_on {
        run.storm_until = None;
        if !run.requests.hit(run.config.storms.probability) {
            return None;
        }
        let until = now + Duration::from_millis(run.config.storms.duration_ms);
        run.storm_until = Some(until);
        bump(&counters.storms, "storm");
        if until <= now {
            // A storm of 0 ms is over at once.
            return None;
        }
    }
    let until = run.storm_until.unwrap_or(now);
    let secs = secs_until(until, now).max(1);
    if client.warned.is_none() {
        client.warned = Some((now, now + Duration::from_secs(secs)));
    }
    bump(&counters.status_429, "status429");
    Some(SandboxError::Limited {
        error: ApiError::with_args(
            ErrorCode::TOO_MANY_REQUESTS,
            1,
            &[&weight_limit.to_string(), "1 MINUTE"],
        ),
        retry_after_secs: secs,
        retry_at_ms: server_now_ms.saturating_add(secs * 1000),
        hint: "Chaos mode: a rate-limit storm; wait for Retry-After before sending again, or the address is banned (418).".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orders(p: f64) -> OrderChaos {
        OrderChaos {
            drop_before_commit: p,
            drop_after_commit: p,
            delay_after_commit: p,
            error_after_commit: p,
            delay_before_engine: p,
            delay_ms: 250,
        }
    }

    #[test]
    fn order_decision_lays_the_probabilities_end_to_end() {
        let o = orders(0.1);
        let d = Duration::from_millis(250);
        assert_eq!(decide_order(&o, 0.0, 0), Some(OrderChaosFault::DropBeforeCommit));
        assert_eq!(decide_order(&o, 0.1, 0), Some(OrderChaosFault::DropAfterCommit));
        assert_eq!(decide_order(&o, 0.25, 0), Some(OrderChaosFault::DelayAfterCommit(d)));
        assert_eq!(
            decide_order(&o, 0.35, 3),
            Some(OrderChaosFault::ErrorAfterCommit(OrderFault::Code(ErrorCode::TIMEOUT)))
        );
        assert_eq!(
            decide_order(&o, 0.35, 1),
            Some(OrderChaosFault::ErrorAfterCommit(OrderFault::Status(502)))
        );
        assert_eq!(decide_order(&o, 0.45, 0), Some(OrderChaosFault::DelayBeforeEngine(d)));
        assert_eq!(decide_order(&o, 0.5, 0), None);
        assert_eq!(decide_order(&OrderChaos::default(), 0.0, 0), None);
        // Probability 1 always hits.
        let all = OrderChaos { drop_after_commit: 1.0, ..OrderChaos::default() };
        assert_eq!(decide_order(&all, 0.999_999, 0), Some(OrderChaosFault::DropAfterCommit));
    }

    #[test]
    fn the_same_seed_draws_the_same_faults() {
        let draw = |seed| {
            let chaos = Chaos::default();
            chaos.enable(ChaosConfig { seed, orders: orders(0.15), ..ChaosConfig::default() });
            (0..200).map(|_| chaos.order_fault()).collect::<Vec<_>>()
        };
        assert_eq!(draw(42), draw(42));
        assert_ne!(draw(42), draw(43));
        let faults = draw(42);
        let hit = faults.iter().filter(|f| f.is_some()).count();
        // 75% expected over 200 draws.
        assert!((120..=180).contains(&hit), "{hit}");
    }

    #[test]
    fn check_names_the_field_at_fault() {
        assert!(ChaosConfig::default().check().is_ok());
        let bad =
            ChaosConfig { storms: StormChaos { probability: 1.5, duration_ms: 0 }, ..ChaosConfig::default() };
        assert_eq!(bad.check().unwrap_err().0, "storms.probability");
        let nan =
            ChaosConfig { clock: ClockChaos { jump: f64::NAN, max_jump_ms: 1 }, ..ChaosConfig::default() };
        assert_eq!(nan.check().unwrap_err().0, "clock.jump");
        let sum = ChaosConfig { orders: orders(0.3), ..ChaosConfig::default() };
        assert_eq!(sum.check().unwrap_err().0, "orders");
        let long = ChaosConfig {
            orders: OrderChaos { delay_ms: MAX_DELAY_MS + 1, ..OrderChaos::default() },
            ..ChaosConfig::default()
        };
        assert_eq!(long.check().unwrap_err().0, "orders.delayMs");
    }

    #[test]
    fn storm_answers_429_then_418_to_who_does_not_wait() {
        let chaos = Chaos::default();
        chaos.enable(ChaosConfig {
            storms: StormChaos { probability: 1.0, duration_ms: 1500 },
            ..ChaosConfig::default()
        });
        let t0 = Instant::now();
        let ip = Some(IpAddr::from([127, 0, 0, 1]));
        let status = |r: &Option<SandboxError>| match r {
            Some(SandboxError::Limited { error, retry_after_secs, .. }) => {
                (error.http_status, *retry_after_secs)
            }
            _ => (200, 0),
        };
        let (first, _) = chaos.on_request(ip, t0, 1, 6000);
        assert_eq!(status(&first), (429, 2));
        // In flight: within the grace, still 429.
        let (again, _) = chaos.on_request(ip, t0 + Duration::from_millis(400), 1, 6000);
        assert_eq!(status(&again).0, 429);
        // Another address in the storm: 429 too.
        let other = Some(IpAddr::from([127, 0, 0, 2]));
        assert_eq!(status(&chaos.on_request(other, t0 + Duration::from_millis(60), 1, 6000).0).0, 429);
        // Too soon: banned for 3 s.
        let (ban, _) = chaos.on_request(ip, t0 + Duration::from_millis(600), 1, 6000);
        assert_eq!(status(&ban), (418, 3));
        let (still, _) = chaos.on_request(ip, t0 + Duration::from_millis(2500), 1, 6000);
        assert_eq!(status(&still).0, 418);
        // The other address waited for its Retry-After: the storm is over, a new one starts (p = 1).
        chaos.enable(ChaosConfig::default());
        assert_eq!(status(&chaos.on_request(other, t0 + Duration::from_millis(2100), 1, 6000).0).0, 200);
        let v = chaos.to_json();
        assert_eq!(v["injected"]["storms"], 1);
        assert_eq!(v["injected"]["status429"], 3);
        assert_eq!(v["injected"]["status418"], 2);
        chaos.disable();
        assert_eq!(status(&chaos.on_request(ip, t0 + Duration::from_millis(2600), 1, 6000).0).0, 200);
        assert_eq!(chaos.to_json()["enabled"], false);
    }

    #[test]
    fn clock_jumps_stay_within_bounds() {
        let chaos = Chaos::default();
        chaos.enable(ChaosConfig {
            clock: ClockChaos { jump: 1.0, max_jump_ms: 800 },
            ..ChaosConfig::default()
        });
        let now = Instant::now();
        let jumps: Vec<i64> = (0..500).filter_map(|_| chaos.on_request(None, now, 1, 6000).1).collect();
        assert_eq!(jumps.len(), 500);
        assert!(jumps.iter().all(|j| (-800..=800).contains(j)));
        assert!(jumps.iter().any(|j| *j < 0) && jumps.iter().any(|j| *j > 0));
    }

    #[test]
    fn config_reads_camel_case_json_and_snake_case_names() {
        let json: ChaosConfig = serde_json::from_str(
            r#"{"seed":42,"orders":{"dropBeforeCommit":0.02,"delayMs":3000},"userStreams":{"cut":0.01}}"#,
        )
        .unwrap();
        assert_eq!((json.seed, json.orders.drop_before_commit, json.orders.delay_ms), (42, 0.02, 3000));
        assert_eq!(json.user_streams.cut, 0.01);
        let snake: ChaosConfig =
            serde_json::from_str(r#"{"orders":{"drop_before_commit":0.02},"user_streams":{"cut":0.5}}"#)
                .unwrap();
        assert_eq!((snake.orders.drop_before_commit, snake.user_streams.cut), (0.02, 0.5));
        assert!(serde_json::from_str::<ChaosConfig>(r#"{"orders":{"dropBefore":1}}"#).is_err());
        let out = serde_json::to_value(&json).unwrap();
        assert_eq!(out["orders"]["delayAfterCommit"], 0.0);
        assert_eq!(out["clock"]["maxJumpMs"], 0);
    }
}
