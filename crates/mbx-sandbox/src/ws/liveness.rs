//! The connection rules market streams and the WebSocket API share (web-socket-streams.md,
//! web-socket-api.md): the server pings every 20 seconds and closes a connection whose pong has not
//! come within a minute; a connection lives 24 hours; an address opens at most 300 connections
//! every 5 minutes (HTTP 429 beyond). The numbers are [`StreamRules`], shorter in tests.
//!
//! A client that stops reading is closed too ([`send_within`]): a frame the server cannot hand to
//! the connection within the pong timeout (the client cannot have answered a ping in that time
//! either) ends the connection. The docs are silent on slow readers; Binance disconnects them
//! rather than queue without end, and so does the sandbox: a connection's memory is one frame
//! being written plus the socket's buffers, and market events it missed are skipped.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use axum::http::{Extensions, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::time::{Instant, Interval, MissedTickBehavior, Sleep};

use super::hub::StreamRules;

/// The payload of the server's pings: none, as Binance's (a pong must copy it; the docs recommend
/// an empty payload for unsolicited pongs, which is then the same as an answer).
pub const PING_PAYLOAD: &[u8] = b"";

/// What the rules ask of the connection now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Send a ping.
    Ping,
    /// Close with this code and reason.
    Close(u16, &'static str),
}

/// One connection's pings, pong deadline and lifetime.
#[derive(Debug)]
pub struct Liveness {
    rules: StreamRules,
    ping: Interval,
    /// When the oldest unanswered ping was sent.
    unanswered: Option<Instant>,
    lifetime: Pin<Box<Sleep>>,
}

impl Liveness {
    /// The rules of a connection opened now.
    pub fn new(rules: StreamRules) -> Liveness {
        let opened = Instant::now();
        let mut ping = tokio::time::interval_at(opened + rules.ping_every, rules.ping_every);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Liveness {
            rules,
            ping,
            unanswered: None,
            lifetime: Box::pin(tokio::time::sleep_until(opened + rules.lifetime)),
        }
    }

    /// A pong came with `payload`: the pings sent so far are answered when it copies theirs
    /// ([`PING_PAYLOAD`]). Another is an unsolicited pong, "allowed, but will not prevent
    /// disconnection" (web-socket-api.md, web-socket-streams.md): it answers nothing.
    pub fn pong(&mut self, payload: &[u8]) {
        if payload == PING_PAYLOAD {
            self.unanswered = None;
        }
    }

    /// Waits until the next thing the rules ask: a ping to send, or the end of the connection.
    pub async fn due(&mut self) -> Due {
        // The pong's deadline: a minute after the oldest unanswered ping, to the moment (not at the
        // next ping's tick, 20 s later).
        let deadline = self.unanswered.map(|sent| sent + self.rules.pong_timeout);
        let pong_late = async move {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        // In this order: the pong's deadline falls on a ping's tick (a minute is three of them).
        tokio::select! {
            biased;
            () = &mut self.lifetime => {
                Due::Close(1000, "The connection reached its lifetime (24 hours on Binance); connect again")
            }
            () = pong_late => Due::Close(1008, "No pong to the server's ping within a minute"),
            _ = self.ping.tick() => {
                self.unanswered.get_or_insert_with(Instant::now);
                Due::Ping
            }
        }
    }
}

/// Sends `message` and flushes it within `limit` (the pong timeout); `false` when the client did
/// not take it in time or the connection failed: the caller then drops the connection without
/// further writes (a close frame would wait on the same full buffer).
pub async fn send_within(socket: &mut WebSocket, message: Message, limit: Duration) -> bool {
    matches!(tokio::time::timeout(limit, socket.send(message)).await, Ok(Ok(())))
}

/// The client sent a Close frame: answers it with the Close frame the WebSocket layer queued when
/// it read it (RFC 6455, 5.5.1), within `limit`, before the caller drops the connection. Without
/// this the client sees its connection reset instead of closed (websocket-client, behind Binance's
/// `binance-connector`, then raises from its reading thread).
pub async fn answer_close(socket: &mut WebSocket, limit: Duration) {
    let _ = tokio::time::timeout(limit, futures_util::SinkExt::flush(socket)).await;
}

/// Recent connection attempts per address, for the per-address limit.
#[derive(Debug, Default)]
pub struct Attempts(Mutex<HashMap<IpAddr, VecDeque<std::time::Instant>>>);

impl Attempts {
    /// Counts a new connection from `ip`; `false` when `limit` were opened in the last 5 minutes.
    pub fn admit(&self, ip: Option<IpAddr>, limit: u32) -> bool {
        self.count(ip, limit).is_none()
    }

    /// The connections `ip` opened in the last 5 minutes (refused ones are not counted).
    pub fn recent(&self, ip: IpAddr) -> usize {
        let now = std::time::Instant::now();
        let attempts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        attempts.get(&ip).map_or(0, |seen| {
            seen.iter().filter(|t| now.duration_since(**t) < mbx_core::stream::CONNECTIONS_WINDOW).count()
        })
    }

    /// Counts a new connection from `ip` and gives `None`; when `limit` were opened in the last 5
    /// minutes, counts nothing and gives how long until the oldest of them leaves the window.
    fn count(&self, ip: Option<IpAddr>, limit: u32) -> Option<Duration> {
        let ip = ip?;
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let now = std::time::Instant::now();
        let window = mbx_core::stream::CONNECTIONS_WINDOW;
        let mut attempts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let seen = attempts.entry(ip).or_default();
        while seen.front().is_some_and(|t| now.duration_since(*t) >= window) {
            seen.pop_front();
        }
        if seen.len() >= limit {
            // A limit of 0 refuses everything: a window's length then.
            return Some(
                seen.front().map_or(window, |oldest| window.saturating_sub(now.duration_since(*oldest))),
            );
        }
        seen.push_back(now);
        None
    }

    /// `None` when the client (its address from `extensions`) may open one more connection of
    /// `what`; otherwise the HTTP 429 refusing the upgrade, with a hint and `Retry-After`: the
    /// seconds until the oldest connection of the 5 minutes leaves the window. (The docs give the
    /// limit but not the refusal; a 429 with `Retry-After` is how Binance's REST API says when to
    /// come back, and a client that reads it waits once instead of trying again and again.)
    pub fn refuse(&self, extensions: &Extensions, limit: u32, what: &str, advice: &str) -> Option<Response> {
        let ip = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        let wait = self.count(ip, limit)?;
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let hint = format!(
            "More than {limit} {what} connections from this address in 5 minutes; wait {secs} s (Retry-After), and {advice}."
        );
        let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        if let Ok(v) = HeaderValue::from_str(&hint) {
            response.headers_mut().insert(crate::error::HINT_HEADER, v);
        }
        Some(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pings every 20 s; a connection whose first ping goes unanswered is closed a minute after
    /// that ping (80 s after it opened), not at a later ping's tick; a pong resets the deadline.
    #[tokio::test(start_paused = true)]
    async fn a_pong_is_due_a_minute_after_the_ping() {
        let opened = Instant::now();
        let mut live = Liveness::new(StreamRules::default());
        for _ in 0..3 {
            assert_eq!(live.due().await, Due::Ping);
        }
        assert_eq!(opened.elapsed(), Duration::from_secs(60));
        assert!(matches!(live.due().await, Due::Close(1008, _)));
        assert_eq!(opened.elapsed(), Duration::from_secs(80));

        // Each ping answered: pings go on.
        let opened = Instant::now();
        let mut live = Liveness::new(StreamRules::default());
        for _ in 0..5 {
            assert_eq!(live.due().await, Due::Ping);
            live.pong(PING_PAYLOAD);
        }
        assert_eq!(opened.elapsed(), Duration::from_secs(100));

        // Pongs that do not copy the ping's payload are unsolicited: they keep nothing open.
        let opened = Instant::now();
        let mut live = Liveness::new(StreamRules::default());
        for _ in 0..3 {
            assert_eq!(live.due().await, Due::Ping);
            live.pong(b"hello");
        }
        assert!(matches!(live.due().await, Due::Close(1008, _)));
        assert_eq!(opened.elapsed(), Duration::from_secs(80));
    }
}
