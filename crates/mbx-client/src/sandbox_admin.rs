//! The admin API of an mbx sandbox (`/sandbox/v1/...`, answered to loopback clients only): not part of
//! Binance's API. Point a [`Client`] at the sandbox (`Environment::Sandbox` or its URL) and call these.
//!
//! Listing and revoking keys and the health check are typed; the calls that take a JSON body
//! (registering keys, deposits, accounts, the clock, faults) go through [`Client::sandbox_admin`].

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
    /// `/clock`, `/faults`): the JSON answer, or the sandbox's refusal as [`Error::Api`].
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
            return Err(match ApiError::from_response(resp.status, &resp.body) {
                Ok(e) => Error::Api(e),
                Err(_) => Error::Transport(format!(
                    "HTTP {} from {path}: {}",
                    resp.status,
                    String::from_utf8_lossy(&resp.body)
                )),
            });
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
