//! `/api/v3/userDataStream` (`POST`, `PUT`, `DELETE`): the legacy listenKey endpoints.
//!
//! * [`Flavor::Binance`](crate::Flavor::Binance): Binance spot retired them on 2026-02-20 (CHANGELOG.md,
//!   2026-01-21). The changelog says only that they are "no longer available", not what they answer;
//!   the sandbox answers as for a path that does not exist (404, no Binance body), with a hint naming
//!   the replacement, `userDataStream.subscribe` on the WebSocket API. This is the sandbox's reading,
//!   not a documented answer.
//! * [`Flavor::Us`](crate::Flavor::Us): they work as on Binance.US and as the legacy docs describe
//!   (legacy/rest-userdatastream-listenkey-2025-08.md): the API key only, no signature (`USER_STREAM`);
//!   `POST` answers the account's listenKey (the open one, extended, or a new one), `PUT` extends it to
//!   60 minutes from now, `DELETE` closes it; an unknown, closed or expired key is `-1125`.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Reply;
use axum::extract::State;
use mbx_core::{ApiError, ErrorCode};
use serde_json::json;

use super::json_value;
use crate::error::{Result, SandboxError};
use crate::extract::{Signed, required};
use crate::keys::{KEY_LEN, random_alnum};
use crate::state::AppState;

/// How long a listenKey lives without a keepalive: 60 minutes.
pub(crate) const LISTEN_KEY_TTL_MS: u64 = 60 * 60_000;

/// A listenKey's owner and end of life.
#[derive(Debug, Clone, Copy)]
struct Stream {
    account_id: i64,
    expires_ms: u64,
    /// Closed by `DELETE`: kept (until `expires_ms`, a minute on) so that its open streams end
    /// without the `listenKeyExpired` event, which is not pushed on a normal close (legacy docs).
    closed: bool,
}

/// How long a closed key is remembered, for its streams to see it closed (they look every second).
const CLOSED_KEPT_MS: u64 = 60_000;

/// The open listenKeys (memory only: Binance keeps them in memory too, and a restart closes them).
#[derive(Debug)]
pub struct ListenKeys {
    keys: Mutex<HashMap<String, Stream>>,
    /// How long a key lives without a keepalive (ms): [`LISTEN_KEY_TTL_MS`] unless set shorter for
    /// tests ([`crate::SandboxBuilder::listen_key_ttl`]).
    ttl_ms: std::sync::atomic::AtomicU64,
}

impl Default for ListenKeys {
    fn default() -> Self {
        ListenKeys { keys: Mutex::default(), ttl_ms: std::sync::atomic::AtomicU64::new(LISTEN_KEY_TTL_MS) }
    }
}

impl ListenKeys {
    /// Keys opened or kept alive from now on live `ttl` without a keepalive (at least 1 ms).
    pub fn set_ttl(&self, ttl: std::time::Duration) {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        self.ttl_ms.store(ms, std::sync::atomic::Ordering::Relaxed);
    }

    fn ttl_ms(&self) -> u64 {
        self.ttl_ms.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The listenKey of `account_id`, extended to `now_ms` + 60 minutes (the TTL), or a new one.
    pub fn open(&self, account_id: i64, now_ms: u64) -> String {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.retain(|_, s| s.expires_ms > now_ms);
        let expires_ms = now_ms.saturating_add(self.ttl_ms());
        if let Some((key, s)) = keys.iter_mut().find(|(_, s)| s.account_id == account_id && !s.closed) {
            s.expires_ms = expires_ms;
            return key.clone();
        }
        let key = random_alnum(KEY_LEN);
        keys.insert(key.clone(), Stream { account_id, expires_ms, closed: false });
        key
    }

    /// Extends `key` of `account_id`; false when it is unknown, closed, expired or another account's.
    pub fn keepalive(&self, account_id: i64, key: &str, now_ms: u64) -> bool {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        match keys.get_mut(key) {
            Some(s) if s.account_id == account_id && s.expires_ms > now_ms && !s.closed => {
                s.expires_ms = now_ms.saturating_add(self.ttl_ms());
                true
            }
            _ => false,
        }
    }

    /// The account of an open `key` and when it expires (ms), or `None`.
    pub fn lookup(&self, key: &str, now_ms: u64) -> Option<(i64, u64)> {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.get(key).filter(|s| s.expires_ms > now_ms && !s.closed).map(|s| (s.account_id, s.expires_ms))
    }

    /// Whether `key` was closed by `DELETE` (rather than left to expire).
    pub fn was_closed(&self, key: &str) -> bool {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.get(key).is_some_and(|s| s.closed)
    }

    /// Closes `key` of `account_id`; false when it is unknown, closed, expired or another account's.
    pub fn close(&self, account_id: i64, key: &str, now_ms: u64) -> bool {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        match keys.get_mut(key) {
            Some(s) if s.account_id == account_id && s.expires_ms > now_ms && !s.closed => {
                s.closed = true;
                s.expires_ms = now_ms.saturating_add(CLOSED_KEPT_MS);
                true
            }
            _ => false,
        }
    }
}

/// Any method on `/api/v3/userDataStream` under [`Flavor::Binance`](crate::Flavor::Binance): retired.
/// (The retirement, its day and its replacement, is the endpoint table's: `endpoint::retirement`.)
pub(crate) async fn retired(State(state): State<AppState>, req: axum::extract::Request) -> SandboxError {
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    let retirement =
        mbx_core::endpoint::Method::parse(&method).and_then(|m| mbx_core::endpoint::retirement(m, &path));
    let e = match retirement {
        Some(retirement) => SandboxError::Retired { method, path, retirement },
        None => SandboxError::NotFound { method, path },
    };
    // Listed by `mbx doctor sandbox-log`, as any path not served.
    crate::journal::record_unrouted(&state, &req, 404, &e.hint());
    crate::router::drain(req).await;
    e
}

fn unknown_key(key: &str) -> SandboxError {
    SandboxError::rejected(
        ApiError::new(ErrorCode::INVALID_LISTEN_KEY),
        format!(
            "listenKey {} is not open for this API key's account (closed, expired after 60 minutes without a keepalive, or never issued); POST /api/v3/userDataStream for a new one.",
            crate::keys::shorten(key)
        ),
    )
}

/// `POST /api/v3/userDataStream` (USER_STREAM, Binance.US flavor): `{"listenKey"}`.
pub(crate) async fn start(state: AppState, signed: Signed) -> Result<Reply> {
    let key = state.listen_keys().open(signed.key.account_id, state.clock().now_ms());
    Ok(json_value(&json!({ "listenKey": key })))
}

/// `PUT /api/v3/userDataStream` (USER_STREAM, Binance.US flavor): extends the key; `{}`.
pub(crate) async fn keepalive(state: AppState, signed: Signed) -> Result<Reply> {
    let key = required(&signed.params, "listenKey")?;
    if !state.listen_keys().keepalive(signed.key.account_id, key, state.clock().now_ms()) {
        return Err(unknown_key(key));
    }
    Ok(json_value(&json!({})))
}

/// `DELETE /api/v3/userDataStream` (USER_STREAM, Binance.US flavor): closes the key; `{}`.
pub(crate) async fn close(state: AppState, signed: Signed) -> Result<Reply> {
    let key = required(&signed.params, "listenKey")?;
    if !state.listen_keys().close(signed.key.account_id, key, state.clock().now_ms()) {
        return Err(unknown_key(key));
    }
    Ok(json_value(&json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_key_lives_60_minutes_from_the_last_keepalive() {
        let k = ListenKeys::default();
        let key = k.open(1, 0);
        assert_eq!(k.open(1, 1_000), key, "one key per account");
        assert!(k.keepalive(1, &key, LISTEN_KEY_TTL_MS));
        assert!(!k.keepalive(2, &key, LISTEN_KEY_TTL_MS), "another account's key");
        assert!(!k.keepalive(1, &key, 2 * LISTEN_KEY_TTL_MS), "expired");
        let fresh = k.open(1, 2 * LISTEN_KEY_TTL_MS);
        assert_ne!(fresh, key);
        assert!(k.close(1, &fresh, 2 * LISTEN_KEY_TTL_MS));
        assert!(!k.close(1, &fresh, 2 * LISTEN_KEY_TTL_MS));
    }
}
