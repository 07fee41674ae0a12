//! The admin API of an mbx sandbox (`/sandbox/v1/...`, answered to loopback clients only): not part of
//! Binance's API. Point a [`Client`] at the sandbox (`Environment::Sandbox` or its URL) and call these.
//!
//! Listing and revoking keys, the health check and chaos mode are typed; the other calls that take a
//! JSON body (registering keys, deposits, accounts, the clock, faults) go through
//! [`Client::sandbox_admin`].

use mbx_core::Params;
use mbx_core::endpoint::{Method, Security};
use serde::{Deserialize, Serialize};

use mbx_core::ApiError;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::http::Verb;

/// Where the admin API lives.
const KEYS: &str = "/sandbox/v1/keys";
const HEALTH: &str = "/sandbox/v1/health";
const DEPOSIT: &str = "/sandbox/v1/deposit";
const CHAOS: &str = "/sandbox/v1/chaos";

/// A request sent exactly as given, for tools that show what a server answers to a request other
/// clients get wrong (`mbx demo`) and for the sandbox's admin API: no signing, no rate limits, never
/// sent twice.
#[derive(Debug, Clone, Copy)]
pub struct RawRequest<'a> {
    /// The method.
    pub method: Method,
    /// The path, starting with `/`.
    pub path: &'a str,
    /// The query string without `?` (empty for none).
    pub query: &'a str,
    /// Headers, sent as given (names and values without line breaks).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body (its `Content-Type` among `headers`).
    pub body: &'a [u8],
}

/// The answer to a [`RawRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// `X-Sandbox-Hint`: an mbx sandbox's sentence on why it refused the request.
    pub sandbox_hint: Option<String>,
    /// The body, as received.
    pub body: Vec<u8>,
}

/// One key registered on a sandbox, as `GET /sandbox/v1/keys` lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxKey {
    /// Wire: apiKey.
    pub api_key: String,
    /// Key kind: `hmac`, `ed25519` or `rsa`.
    pub kind: String,
    /// Wire: accountId (the account the key acts on).
    pub account_id: i64,
    /// Permissions, e.g. `TRADE`, `USER_DATA`, `USER_STREAM`.
    pub permissions: Vec<String>,
    /// True once revoked (requests with it are answered `-2015`).
    pub revoked: bool,
}

/// The answer of `DELETE /sandbox/v1/keys?apiKey=`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokedKey {
    /// Wire: apiKey.
    pub api_key: String,
    /// Always true in a success answer.
    pub revoked: bool,
}

/// The answer of `GET /sandbox/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxHealth {
    /// `ok` once the sandbox answers.
    pub status: String,
    /// Wire: serverTime (ms).
    pub server_time: u64,
    /// Wire: offsetMs (the sandbox clock's offset from real time).
    pub offset_ms: i64,
    /// Keys registered.
    pub keys: u64,
    /// Symbols traded.
    pub symbols: u64,
}

/// The chaos mode of a sandbox (`POST /sandbox/v1/chaos`): seeded random faults. Every field is
/// optional on the wire; absent means 0 / off, as [`Default`] gives. Probabilities are per event
/// (between 0 and 1).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChaosConfig {
    /// The seed of the one random generator: the same seed gives a single sequential client the
    /// same faults.
    pub seed: u64,
    /// Faults of order placements.
    pub orders: OrderChaos,
    /// Rate-limit storms.
    pub storms: StormChaos,
    /// Cut WebSocket connections.
    pub connections: ConnectionChaos,
    /// Cut user data streams.
    pub user_streams: UserStreamChaos,
    /// Sandbox clock jumps.
    pub clock: ClockChaos,
}

/// Per order placement (REST `POST /api/v3/order`, WebSocket API `order.place`), the probability
/// of each fault.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderChaos {
    /// The connection is closed and nothing is placed.
    pub drop_before_commit: f64,
    /// The order is committed, then the connection is closed without an answer.
    pub drop_after_commit: f64,
    /// The order is committed, and its answer held `delay_ms`.
    pub delay_after_commit: f64,
    /// The order is committed, and answered an empty 5xx or `-1007`.
    pub error_after_commit: f64,
    /// The request is held `delay_ms` before it reaches the engine (which then checks its
    /// `recvWindow` again: `-1021` if too old).
    pub delay_before_engine: f64,
    /// How long the delays hold, in ms.
    pub delay_ms: u64,
}

/// Rate-limit storms: every request answered 429 `-1003` with `Retry-After` for a while.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StormChaos {
    /// Per request, the probability that it starts a storm.
    pub probability: f64,
    /// How long a storm lasts, in ms.
    pub duration_ms: u64,
}

/// Cut WebSocket connections (market streams and the WebSocket API).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectionChaos {
    /// Per message the sandbox sends, the probability that it closes the connection instead.
    pub cut_ws: f64,
}

/// Cut user data streams (listenKey streams and WebSocket API subscriptions).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserStreamChaos {
    /// Per user data event, the probability that the stream is cut instead.
    pub cut: f64,
}

/// Sandbox clock jumps.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClockChaos {
    /// Per request, the probability that the clock jumps.
    pub jump: f64,
    /// The largest jump, either way, in ms.
    pub max_jump_ms: u64,
}

/// The faults a sandbox injected since it started, by kind (`GET /sandbox/v1/chaos`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChaosCounters {
    /// Order placements dropped before the commit.
    pub drop_before_commit: u64,
    /// Order placements committed, then dropped.
    pub drop_after_commit: u64,
    /// Order placements committed, answered late.
    pub delay_after_commit: u64,
    /// Order placements committed, answered a 5xx or `-1007`.
    pub error_after_commit: u64,
    /// Order placements held before the engine.
    pub delay_before_engine: u64,
    /// Storms started.
    pub storms: u64,
    /// Requests answered 429 in storms.
    #[serde(rename = "status429")]
    pub status_429: u64,
    /// Requests answered 418 (sent inside a `Retry-After` after a 429).
    #[serde(rename = "status418")]
    pub status_418: u64,
    /// WebSocket connections cut.
    pub ws_cuts: u64,
    /// User data streams cut.
    pub user_stream_cuts: u64,
    /// Clock jumps.
    pub clock_jumps: u64,
}

/// The chaos mode of a sandbox as `GET /sandbox/v1/chaos` (and `DELETE`) answer it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChaosState {
    /// Whether chaos is on.
    pub enabled: bool,
    /// The configuration, defaults filled in.
    pub config: ChaosConfig,
    /// The faults injected since the sandbox started (kept when chaos is turned off).
    pub injected: ChaosCounters,
}

#[derive(Deserialize)]
struct KeyList {
    keys: Vec<SandboxKey>,
}

impl Client {
    /// `GET /sandbox/v1/keys` of an mbx sandbox: every key, revoked ones included.
    pub async fn sandbox_keys(&self) -> Result<Vec<SandboxKey>> {
        let list: KeyList = self.request(Method::Get, KEYS, Params::new(), Security::None).await?;
        Ok(list.keys)
    }

    /// `DELETE /sandbox/v1/keys?apiKey=`: revokes a key of an mbx sandbox; later requests with it are
    /// answered `-2015`. Not sent again on an unknown outcome (a second revocation is refused).
    pub async fn sandbox_revoke_key(&self, api_key: &str) -> Result<RevokedKey> {
        let query = format!("apiKey={}", mbx_core::encode::percent_encode(api_key));
        let req = RawRequest { method: Method::Delete, path: KEYS, query: &query, headers: &[], body: b"" };
        let resp = self.send_raw(req).await?;
        if !(200..300).contains(&resp.status) {
            return Err(admin_error(KEYS, &resp));
        }
        serde_json::from_slice(&resp.body)
            .map_err(|e| Error::Decode { path: KEYS.to_owned(), detail: e.to_string() })
    }

    /// `GET /sandbox/v1/health` of an mbx sandbox.
    pub async fn sandbox_health(&self) -> Result<SandboxHealth> {
        self.request(Method::Get, HEALTH, Params::new(), Security::None).await
    }

    /// `POST /sandbox/v1/chaos`: turns an mbx sandbox's chaos mode on with `config` (replacing any
    /// earlier one); answers the chaos state after the change (`GET /sandbox/v1/chaos`).
    pub async fn sandbox_set_chaos(&self, config: &ChaosConfig) -> Result<ChaosState> {
        let body =
            serde_json::to_value(config).map_err(|e| Error::Config(format!("chaos configuration: {e}")))?;
        self.sandbox_admin(Method::Post, CHAOS, &body).await?;
        self.sandbox_chaos().await
    }

    /// `GET /sandbox/v1/chaos`: whether chaos is on, its configuration and the faults injected.
    pub async fn sandbox_chaos(&self) -> Result<ChaosState> {
        self.chaos_call(Method::Get).await
    }

    /// `DELETE /sandbox/v1/chaos`: turns chaos off; answers the state (counters kept).
    pub async fn sandbox_clear_chaos(&self) -> Result<ChaosState> {
        self.chaos_call(Method::Delete).await
    }

    /// A bodiless chaos call, its answer typed.
    async fn chaos_call(&self, method: Method) -> Result<ChaosState> {
        let req = RawRequest { method, path: CHAOS, query: "", headers: &[], body: b"" };
        let resp = self.send_raw(req).await?;
        if !(200..300).contains(&resp.status) {
            return Err(admin_error(CHAOS, &resp));
        }
        serde_json::from_slice(&resp.body)
            .map_err(|e| Error::Decode { path: CHAOS.to_owned(), detail: e.to_string() })
    }

    /// `POST /sandbox/v1/keys`: registers a key (`{"kind", "publicKey"?, "permissions"?}`); the answer
    /// holds `apiKey` (and, for an HMAC key the sandbox made, its `secretKey`, shown once).
    pub async fn sandbox_add_key(&self, body: &serde_json::Value) -> Result<serde_json::Value> {
        self.sandbox_admin(Method::Post, KEYS, body).await
    }

    /// `POST /sandbox/v1/deposit`: credits an account (`{"asset", "amount", "apiKey" | "account"}`).
    pub async fn sandbox_deposit(&self, body: &serde_json::Value) -> Result<serde_json::Value> {
        self.sandbox_admin(Method::Post, DEPOSIT, body).await
    }

    /// One admin API call with a JSON body (`POST /sandbox/v1/keys`, `/deposit`, `/accounts`,
    /// `/clock`, `/faults`): the JSON answer, or the sandbox's refusal as [`Error::Admin`].
    pub async fn sandbox_admin(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value> {
        let body = body.to_string();
        let headers = [("Content-Type", "application/json")];
        let req = RawRequest { method, path, query: "", headers: &headers, body: body.as_bytes() };
        let resp = self.send_raw(req).await?;
        if !(200..300).contains(&resp.status) {
            return Err(admin_error(path, &resp));
        }
        serde_json::from_slice(&resp.body)
            .map_err(|e| Error::Decode { path: path.to_owned(), detail: e.to_string() })
    }

    /// Sends `req` exactly as given and returns the answer, whatever its status.
    pub async fn send_raw(&self, req: RawRequest<'_>) -> Result<RawResponse> {
        let verb = match req.method {
            Method::Get => Verb::Get,
            Method::Post => Verb::Post,
            Method::Put => Verb::Put,
            Method::Delete => Verb::Delete,
        };
        let request = crate::http::Request {
            verb,
            path: req.path,
            query: req.query,
            api_key: None,
            resend_if_stale: false,
            headers: req.headers,
            body: req.body,
        };
        let resp = self
            .inner
            .http
            .send(request)
            .await
            .map_err(|e| Error::Transport(format!("{} {}: {e}", req.method, req.path)))?;
        Ok(RawResponse { status: resp.status, sandbox_hint: resp.sandbox_hint, body: resp.body })
    }
}

/// The refusal of an admin call: the sandbox's `{"code","msg"}` with its hint, or the status and body.
fn admin_error(path: &str, resp: &RawResponse) -> Error {
    match ApiError::from_response(resp.status, &resp.body) {
        Ok(error) => Error::Admin { error, hint: resp.sandbox_hint.clone() },
        Err(_) => Error::Transport(format!(
            "HTTP {} from {path}: {}",
            resp.status,
            String::from_utf8_lossy(&resp.body)
        )),
    }
}
