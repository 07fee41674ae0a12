//! Settling an order placement whose outcome is unknown, so that every intended order ends up on the
//! exchange exactly once.
//!
//! An order placement (REST `POST /api/v3/order`, WebSocket API `order.place`) can end without a
//! definite answer: the connection drops, the answer times out, a 5xx, `-1006` or `-1007`. The
//! order may then be on the exchange, or not yet, or never. Every order carries a client order id,
//! and the rule is:
//!
//! 1. **Look it up** by its client order id (`GET /api/v3/order?origClientOrderId=`). Found: that
//!    is the order, in its real state; nothing is sent again.
//! 2. **Not found (`-2013`) is not yet proof**: the request may still be on its way to the matching
//!    engine. But Binance checks the request's timing a second time just before the matching engine
//!    (CHANGELOG, the 2025 `recvWindow` change): a request whose `timestamp + recvWindow` has passed
//!    there is refused with `-1021`. So the client waits until the **server's** clock is past
//!    `timestamp + recvWindow` plus a margin for the clock's uncertainty (its own estimate first,
//!    [`Client::server_now`]; then it reads the server's time, `GET /api/v3/time`, and waits again
//!    if that is not past yet), and looks the order up **once more**. From then on the lost request
//!    can never be placed.
//! 3. **Only then re-send** the same order, with the same `newClientOrderId` and a fresh
//!    `timestamp` (and signature). If that answer is lost too, the same rule settles it.
//!
//! Lookups and clock reads fail too under load (drops, 5xx, `429` with `Retry-After`): they are
//! tried again with a growing pause (50 ms doubling to 2 s), always after the client's rate-limit
//! backoff, until the overall deadline ([`crate::ClientBuilder::settle_timeout`], 2 minutes by
//! default); past it the caller gets [`Error::UnknownOutcome`] and nothing more is sent.
//! A definite refusal of a re-sent order (`-2010`, a filter, ...) is returned as it is; a re-send
//! refused before it was processed (`-1021`, a `429` from the server, a failure to connect) is sent
//! again, after the clock is re-synced or the backoff is waited out. On the first send those are
//! the caller's to handle, as for any request (but `-1021`, re-synced and sent once more).
//!
//! The decisions are [`Settlement`]'s (sans IO, unit-tested here); the requests are the driver's
//! ([`place`]). No code path sends an order twice blindly: a second send always follows a lookup
//! that found nothing after the first request's window closed on the server's own clock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use mbx_core::endpoint::spot;
use mbx_core::{ApiError, ErrorCode, Params};

use crate::Client;
use crate::error::{Error, Result};
use crate::types::Order;
use crate::ws_api::WsApi;

/// The longest pause between two failed lookups (or clock reads).
const MAX_PAUSE: Duration = Duration::from_secs(2);

/// What settling did, counted per client ([`Client::settle_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettleCounts {
    /// Order placements whose outcome was unknown (a re-send that was lost too counts again).
    pub unknown: u64,
    /// Settled by a lookup that found the order.
    pub found: u64,
    /// Sent again after the proof that the lost request can never be placed.
    pub resent: u64,
    /// Not settled within the deadline (returned as [`Error::UnknownOutcome`]).
    pub unsettled: u64,
}

/// The counters behind [`SettleCounts`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    unknown: AtomicU64,
    found: AtomicU64,
    resent: AtomicU64,
    unsettled: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> SettleCounts {
        SettleCounts {
            unknown: self.unknown.load(Ordering::Relaxed),
            found: self.found.load(Ordering::Relaxed),
            resent: self.resent.load(Ordering::Relaxed),
            unsettled: self.unsettled.load(Ordering::Relaxed),
        }
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// What a lookup by client order id said.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// The order exists.
    Found(Box<Order>),
    /// `-2013 Order does not exist.`
    Missing,
    /// No answer that settles anything (transport, 5xx, 429, ...).
    Failed,
}

/// The next thing to do to settle an order.
#[derive(Debug)]
pub(crate) enum Step {
    /// The order's real state.
    Settled(Box<Order>),
    /// Wait this long, then look the order up.
    LookUp(Duration),
    /// Wait this long, then read the server's clock ([`Settlement::clock`]).
    ReadClock(Duration),
    /// The last request can no longer be placed and the order does not exist: wait this long, then
    /// send it again with a fresh timestamp ([`Settlement::resent`]).
    Resend(Duration),
}

/// The state of settling one order: sans IO (times are passed in).
#[derive(Debug, Clone)]
pub(crate) struct Settlement {
    /// Server time (ms) after which the last request sent is refused before the matching engine:
    /// its `timestamp + recvWindow`, plus the margin.
    closes_at_ms: u64,
    /// Whether the server's own clock was read past `closes_at_ms` (before the next lookup is sent).
    proven: bool,
    /// Lookups or clock reads failed in a row (for the pause).
    failures: u32,
    /// Requests sent for this order so far.
    sent: u32,
}

impl Settlement {
    /// A placement sent with `timestamp_ms` and `recv_window_ms` whose answer is unknown; `margin`
    /// covers the uncertainty of the client's clock offset.
    pub(crate) fn new(timestamp_ms: u64, recv_window_ms: u64, margin: Duration) -> Settlement {
        let mut s = Settlement { closes_at_ms: 0, proven: false, failures: 0, sent: 0 };
        s.resent(timestamp_ms, recv_window_ms, margin);
        s
    }

    /// The first step: look the order up at once.
    pub(crate) fn start(&self) -> Step {
        Step::LookUp(Duration::ZERO)
    }

    /// How many times the order was sent (1 before any re-send).
    pub(crate) fn sends(&self) -> u32 {
        self.sent
    }

    /// The order was sent again with `timestamp_ms`, and its answer is unknown again.
    pub(crate) fn resent(&mut self, timestamp_ms: u64, recv_window_ms: u64, margin: Duration) {
        let margin_ms = u64::try_from(margin.as_millis()).unwrap_or(u64::MAX);
        self.closes_at_ms = timestamp_ms.saturating_add(recv_window_ms).saturating_add(margin_ms);
        self.proven = false;
        self.failures = 0;
        self.sent += 1;
    }

    /// The result of a lookup; `estimated_server_now_ms` is the client's estimate of the server's
    /// time now ([`Client::server_now`]).
    pub(crate) fn looked_up(&mut self, lookup: Lookup, estimated_server_now_ms: u64) -> Step {
        match lookup {
            Lookup::Found(order) => Step::Settled(order),
            // The server's clock was past the window before this lookup was sent: nothing can
            // place the lost request any more.
            Lookup::Missing if self.proven => {
                self.failures = 0;
                Step::Resend(Duration::ZERO)
            }
            Lookup::Missing => {
                self.failures = 0;
                Step::ReadClock(self.until_closed(estimated_server_now_ms))
            }
            Lookup::Failed => Step::LookUp(self.pause()),
        }
    }

    /// The server's time as `GET /api/v3/time` gave it (`None`: the read failed).
    pub(crate) fn clock(&mut self, server_time_ms: Option<u64>) -> Step {
        match server_time_ms {
            Some(t) if t > self.closes_at_ms => {
                self.proven = true;
                self.failures = 0;
                Step::LookUp(Duration::ZERO)
            }
            Some(t) => Step::ReadClock(self.until_closed(t)),
            None => Step::ReadClock(self.pause()),
        }
    }

    /// A re-send was refused before it was processed (`-1021`, `429`, not connected): nothing was
    /// placed, so it goes again after a pause (the client's backoff comes on top).
    pub(crate) fn refused(&mut self) -> Step {
        Step::Resend(self.pause())
    }

    /// Time from `server_now_ms` until the window is closed (plus 1 ms: "past").
    fn until_closed(&self, server_now_ms: u64) -> Duration {
        Duration::from_millis(self.closes_at_ms.saturating_sub(server_now_ms).saturating_add(1))
    }

    /// The pause after a failure: 50 ms, doubling, at most [`MAX_PAUSE`].
    fn pause(&mut self) -> Duration {
        let pause = Duration::from_millis(50u64 << self.failures.min(6)).min(MAX_PAUSE);
        self.failures = self.failures.saturating_add(1);
        pause
    }
}

/// How an order is sent: over REST, or over a WebSocket API connection.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Via<'a> {
    /// `POST /api/v3/order`.
    Rest,
    /// `order.place`.
    Ws(&'a WsApi),
}

/// Sets a fresh `timestamp` (and the client's `recvWindow`) on `params`; returns the timestamp and
/// the window that applies (Binance's 5000 ms, `RecvWindow::DEFAULT`, when none is sent).
fn stamp(client: &Client, params: &mut Params) -> (u64, u64) {
    // The order's own `recvWindow` (set with `NewOrder::param`), else the client's.
    let window = match params.get("recvWindow").map(mbx_core::time::RecvWindow::parse) {
        Some(Ok(w)) => Some(w),
        // One the server will refuse (-1100, -1102, -1111): the widest, should it be read otherwise.
        Some(Err(_)) => Some(mbx_core::time::RecvWindow::MAX),
        None => client.inner.recv_window,
    };
    if let Some(w) = client.inner.recv_window {
        params.set_if_absent("recvWindow", w.to_string());
    }
    let now = client.server_now().as_millis();
    params.set("timestamp", now.to_string());
    // A window with a fractional millisecond closes within its next millisecond.
    let window_ms = window.unwrap_or_default().as_micros().div_ceil(1000);
    (now, window_ms)
}

/// What one send of the order gave.
enum Sent {
    /// A definite answer (the order, or a refusal of it).
    Answer(Box<Result<Order>>),
    /// Refused before it was processed: send again (after re-syncing the clock or waiting out the
    /// backoff, which the next send does by itself).
    NotProcessed(Error),
    /// The outcome is unknown.
    Unknown(String),
}

/// Sends the order once, with a fresh timestamp; returns the timestamp and window used too.
async fn send_once(client: &Client, via: Via<'_>, params: &Params) -> (Sent, u64, u64) {
    // The timestamp is taken once a 429's backoff is over, not before waiting it out.
    if let Err(e) = client.inner.limits.wait_out_backoff().await {
        return (Sent::Answer(Box::new(Err(e))), 0, 0);
    }
    let mut params = params.clone();
    let (ts, window) = stamp(client, &mut params);
    let result = match via {
        Via::Rest => client.send_order(&spot::NEW_ORDER, &params).await,
        Via::Ws(ws) => ws.call::<Order>("order.place", params).await,
    };
    let sent = match result {
        Ok(order) => Sent::Answer(Box::new(Ok(order))),
        Err(Error::UnknownOutcome { cause, .. }) => Sent::Unknown(cause),
        Err(Error::Api(e)) if e.code == ErrorCode::INVALID_TIMESTAMP => Sent::NotProcessed(Error::Api(e)),
        // Refused by the server's rate limits (not executed), or over REST not sent at all (a sent
        // request without an answer is UnknownOutcome).
        Err(e @ Error::RateLimited { api: Some(_), .. }) => Sent::NotProcessed(e),
        Err(e @ Error::Transport(_)) if matches!(via, Via::Rest) => Sent::NotProcessed(e),
        // Over the WebSocket API a lost connection or a missing answer is unknown, as are -1006,
        // -1007 and any 5xx (REST reports these as UnknownOutcome already).
        Err(Error::Transport(cause)) if matches!(via, Via::Ws(_)) => Sent::Unknown(cause),
        Err(Error::Api(e)) if e.code.is_unknown_outcome() || e.http_status >= 500 => {
            Sent::Unknown(e.to_string())
        }
        Err(e) => Sent::Answer(Box::new(Err(e))),
    };
    (sent, ts, window)
}

/// Places the order `params` (with its `newClientOrderId` set) exactly once: see the module docs.
/// Returns the order's real state, or a definite refusal, or — past the client's settle deadline —
/// [`Error::UnknownOutcome`].
pub(crate) async fn place(client: &Client, via: Via<'_>, params: Params, id: &str) -> Result<Order> {
    let deadline = tokio::time::Instant::now() + client.inner.settle_timeout;
    let symbol = params.get("symbol").unwrap_or_default().to_owned();
    let margin = client.settle_margin();
    // The first send: a -1021 (never executed) re-syncs the clock and goes once more, as any
    // signed request does; other definite answers go back to the caller.
    let (mut sent, mut ts, mut window) = send_once(client, via, &params).await;
    if let Sent::NotProcessed(Error::Api(_)) = sent {
        client.sync_time_with(3).await?;
        (sent, ts, window) = send_once(client, via, &params).await;
    }
    let mut cause = match sent {
        Sent::Answer(answer) => return *answer,
        Sent::NotProcessed(e) => return Err(e),
        Sent::Unknown(cause) => cause,
    };
    let counts = &client.inner.settle_counts;
    bump(&counts.unknown);
    let mut settlement = Settlement::new(ts, window, margin);
    let mut step = settlement.start();
    loop {
        let wait = match &step {
            Step::LookUp(w) | Step::ReadClock(w) | Step::Resend(w) => *w,
            Step::Settled(_) => Duration::ZERO,
        };
        if tokio::time::Instant::now() + wait > deadline {
            bump(&counts.unsettled);
            return Err(Error::UnknownOutcome {
                client_order_id: Some(id.to_owned()),
                cause: format!(
                    "{cause}; not settled within {:?} ({} send(s))",
                    client.inner.settle_timeout,
                    settlement.sends()
                ),
            });
        }
        tokio::time::sleep(wait).await;
        step = match step {
            Step::Settled(order) => {
                bump(&counts.found);
                return Ok(*order);
            }
            Step::LookUp(_) => {
                let lookup = match client.order_by_client_id(&symbol, id).await {
                    Ok(order) => Lookup::Found(Box::new(order)),
                    Err(Error::Api(ApiError { code, .. })) if code == ErrorCode::NO_SUCH_ORDER => {
                        Lookup::Missing
                    }
                    Err(e) => {
                        tracing::debug!(client_order_id = id, error = %e, "order lookup failed; trying again");
                        Lookup::Failed
                    }
                };
                settlement.looked_up(lookup, client.server_now().as_millis())
            }
            Step::ReadClock(_) => {
                let time = client.server_time().await.ok().map(|t| t.server_time);
                settlement.clock(time)
            }
            Step::Resend(_) => {
                tracing::info!(client_order_id = id, "order proven not placed: sending it again");
                bump(&counts.resent);
                let (sent, ts, window) = send_once(client, via, &params).await;
                match sent {
                    Sent::Answer(answer) => return *answer,
                    Sent::NotProcessed(e) => {
                        tracing::debug!(client_order_id = id, error = %e, "re-sent order not processed");
                        if matches!(&e, Error::Api(a) if a.code == ErrorCode::INVALID_TIMESTAMP) {
                            // Best effort: a failed re-sync leaves the offset as it was.
                            let _ = client.sync_time_with(3).await;
                        }
                        settlement.refused()
                    }
                    Sent::Unknown(why) => {
                        bump(&counts.unknown);
                        cause = format!("{cause}; re-sent: {why}");
                        settlement.resent(ts, window, margin);
                        settlement.start()
                    }
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARGIN: Duration = Duration::from_millis(100);

    fn order() -> Box<Order> {
        let v = serde_json::json!({"symbol":"BTCUSDT","orderId":7,"clientOrderId":"x","status":"NEW"});
        Box::new(serde_json::from_value(v).unwrap())
    }

    #[test]
    fn a_found_order_is_settled_without_anything_sent_again() {
        let mut s = Settlement::new(1_000, 5_000, MARGIN);
        assert!(matches!(s.start(), Step::LookUp(d) if d.is_zero()));
        assert!(matches!(s.looked_up(Lookup::Found(order()), 1_200), Step::Settled(o) if o.order_id == 7));
        assert_eq!(s.sends(), 1);
    }

    #[test]
    fn not_found_waits_for_the_window_to_close_on_the_server_clock_before_resending() {
        // Sent at 1000 with a 5000 ms window: refused before the engine after 6000 (+ margin).
        let mut s = Settlement::new(1_000, 5_000, MARGIN);
        // -2013 at 1200: not proof; wait (by the client's estimate) until past 6100.
        assert!(
            matches!(s.looked_up(Lookup::Missing, 1_200), Step::ReadClock(d) if d == Duration::from_millis(4_901))
        );
        // The server's clock says it is earlier than the estimate: wait the difference.
        assert!(matches!(s.clock(Some(6_000)), Step::ReadClock(d) if d == Duration::from_millis(101)));
        assert!(matches!(s.clock(Some(6_100)), Step::ReadClock(_)), "the margin is not past yet");
        // Past on the server's clock: one more lookup, and only its -2013 allows a re-send.
        assert!(matches!(s.clock(Some(6_101)), Step::LookUp(d) if d.is_zero()));
        assert!(matches!(s.looked_up(Lookup::Missing, 6_150), Step::Resend(_)));
    }

    #[test]
    fn an_order_that_appears_after_the_first_lookup_is_found_not_resent() {
        // The request was held before the engine and placed late: the lookup after the window
        // finds it.
        let mut s = Settlement::new(1_000, 5_000, MARGIN);
        assert!(matches!(s.looked_up(Lookup::Missing, 1_100), Step::ReadClock(_)));
        assert!(matches!(s.clock(Some(7_000)), Step::LookUp(_)));
        assert!(matches!(s.looked_up(Lookup::Found(order()), 7_001), Step::Settled(_)));
    }

    #[test]
    fn failed_lookups_and_clock_reads_back_off_and_never_count_as_proof() {
        let mut s = Settlement::new(1_000, 1_000, MARGIN);
        let pauses: Vec<Duration> = (0..8)
            .map(|_| match s.looked_up(Lookup::Failed, 50_000) {
                Step::LookUp(d) => d,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(pauses[0], Duration::from_millis(50));
        assert_eq!(pauses[1], Duration::from_millis(100));
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*pauses.last().unwrap(), MAX_PAUSE);
        // However late the client thinks it is, only the server's clock proves the window closed.
        assert!(
            matches!(s.looked_up(Lookup::Missing, 50_000), Step::ReadClock(d) if d == Duration::from_millis(1))
        );
        assert!(matches!(s.clock(None), Step::ReadClock(d) if d == Duration::from_millis(50)));
        assert!(matches!(s.looked_up(Lookup::Missing, 50_000), Step::ReadClock(_)), "still not proven");
    }

    #[test]
    fn a_resent_order_is_settled_by_the_same_rule_against_its_own_timestamp() {
        let mut s = Settlement::new(1_000, 1_000, MARGIN);
        s.looked_up(Lookup::Missing, 1_050);
        s.clock(Some(2_200));
        assert!(matches!(s.looked_up(Lookup::Missing, 2_200), Step::Resend(_)));
        s.resent(2_300, 1_000, MARGIN);
        assert_eq!(s.sends(), 2);
        // The proof of the first request says nothing about the second.
        assert!(matches!(s.start(), Step::LookUp(_)));
        assert!(matches!(s.looked_up(Lookup::Missing, 2_400), Step::ReadClock(_)));
        assert!(matches!(s.clock(Some(3_300)), Step::ReadClock(d) if d == Duration::from_millis(101)));
        assert!(matches!(s.clock(Some(3_401)), Step::LookUp(_)));
        assert!(matches!(s.looked_up(Lookup::Missing, 3_450), Step::Resend(_)));
    }

    #[test]
    fn a_resend_refused_before_processing_goes_again_after_a_growing_pause() {
        let mut s = Settlement::new(1_000, 1_000, MARGIN);
        s.looked_up(Lookup::Missing, 1_050);
        s.clock(Some(2_200));
        assert!(matches!(s.looked_up(Lookup::Missing, 2_200), Step::Resend(d) if d.is_zero()));
        assert!(matches!(s.refused(), Step::Resend(d) if d == Duration::from_millis(50)));
        assert!(matches!(s.refused(), Step::Resend(d) if d == Duration::from_millis(100)));
        assert_eq!(s.sends(), 1, "refused sends placed nothing");
    }
}
