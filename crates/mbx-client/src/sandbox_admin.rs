//! The admin API of an mbx sandbox (`/sandbox/v1/...`, answered to loopback clients only): not part of
//! Binance's API. Point a [`Client`] at the sandbox (`Environment::Sandbox` or its URL) and call these.
//!
//! The calls that take no request body are here: listing and revoking keys, and the health check.
//! Registering keys, deposits, accounts, the clock and faults take a JSON body, which the client's
//! transport does not send yet (every Binance parameter travels in the query string).

use mbx_core::Params;
use mbx_core::endpoint::{Method, Security};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Result;

/// Where the admin API lives.
const KEYS: &str = "/sandbox/v1/keys";
const HEALTH: &str = "/sandbox/v1/health";

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
        let params = Params::new().text("apiKey", api_key.to_owned());
        self.request(Method::Delete, KEYS, params, Security::None).await
    }

    /// `GET /sandbox/v1/health` of an mbx sandbox.
    pub async fn sandbox_health(&self) -> Result<SandboxHealth> {
        self.request(Method::Get, HEALTH, Params::new(), Security::None).await
    }
}
