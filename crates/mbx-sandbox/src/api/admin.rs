//! The admin API under `/sandbox/v1`, answered only to loopback clients: register keys, skew the
//! clock, check health. Not part of Binance's API.

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use mbx_core::keys::{self, LoadedKey};
use mbx_core::sign::KeyKind;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::json_value;
use crate::error::{AdminError, Result, SandboxError};
use crate::extract::{Loopback, MAX_BODY};
use crate::keys::{KEY_LEN, KeyEntry, KeyMaterial, Permissions, StoredKey, random_alnum};
use crate::seed;
use crate::state::AppState;

/// Reads a JSON body of at most [`MAX_BODY`] bytes.
async fn parse_body<T: DeserializeOwned>(body: Body) -> Result<T> {
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| SandboxError::BodyTooLarge { limit: MAX_BODY })?;
    serde_json::from_slice(&bytes).map_err(|e| AdminError::Body(e.to_string()).into())
}

/// Body of `POST /sandbox/v1/keys`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewKey {
    /// Wire: kind (`hmac`, `ed25519`, `rsa`).
    kind: String,
    /// Wire: publicKey (PEM; Ed25519 and RSA only).
    #[serde(default)]
    public_key: Option<String>,
    /// Wire: permissions (default: TRADE, USER_DATA, USER_STREAM).
    #[serde(default)]
    permissions: Option<Vec<String>>,
}

/// `POST /sandbox/v1/keys`: registers a key on the demo account; answers `{"apiKey"}` plus
/// `"secretKey"` for HMAC. The key is committed before the answer.
pub async fn add_key(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Response> {
    let req: NewKey = parse_body(body).await?;
    let permissions = match &req.permissions {
        None => Permissions::ALL,
        Some(names) => {
            Permissions::parse(names.iter().map(String::as_str)).map_err(AdminError::Permission)?
        }
    };
    let material = match (req.kind.as_str(), req.public_key) {
        ("hmac", None) => KeyMaterial::Hmac { secret: random_alnum(KEY_LEN) },
        ("hmac", Some(_)) => return Err(AdminError::PublicKeyNotTaken.into()),
        (kind @ ("ed25519" | "rsa"), pem) => {
            let declared = if kind == "rsa" { KeyKind::Rsa } else { KeyKind::Ed25519 };
            let pem = pem.ok_or(AdminError::PublicKeyMissing(declared.as_str()))?;
            match keys::load_pem(pem.as_bytes(), None) {
                Ok(LoadedKey::Public(v)) if v.kind() == declared => {}
                Ok(LoadedKey::Public(v)) => {
                    return Err(AdminError::KindMismatch {
                        declared: declared.as_str(),
                        found: v.kind().as_str(),
                    }
                    .into());
                }
                Ok(LoadedKey::Private(_)) | Err(keys::KeyError::PassphraseRequired) => {
                    return Err(AdminError::PrivateKeyUploaded.into());
                }
                Err(e) => return Err(AdminError::PublicKey(e.to_string()).into()),
            }
            KeyMaterial::Public { kind: declared, pem }
        }
        (other, _) => return Err(AdminError::Kind(other.to_owned()).into()),
    };
    let key = StoredKey {
        api_key: random_alnum(KEY_LEN),
        account_id: seed::DEMO_ACCOUNT_ID,
        material,
        permissions,
        revoked: false,
    };
    let entry = KeyEntry::from_stored(&key)?;
    if !state.engine().register_key(key.clone(), state.clock().now_ms()).await? {
        // 62^64 keys: a collision means the generator is broken, not bad luck.
        return Err(SandboxError::Store(crate::error::StoreError::Corrupt {
            what: "api_keys.api_key",
            detail: "generated key already taken".into(),
        }));
    }
    state.keys().insert(entry);
    let mut answer = json!({ "apiKey": key.api_key, "permissions": permissions.names() });
    if let KeyMaterial::Hmac { secret } = &key.material {
        answer["secretKey"] = json!(secret);
    }
    Ok(json_value(&answer))
}

/// Body of `POST /sandbox/v1/clock`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockBody {
    /// Wire: offsetMs (server time = real time + offset).
    offset_ms: i64,
}

/// `POST /sandbox/v1/clock`: sets the clock offset; answers the offset and the new server time.
pub async fn set_clock(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Response> {
    let req: ClockBody = parse_body(body).await?;
    state.clock().set_offset_ms(req.offset_ms);
    Ok(json_value(&json!({ "offsetMs": req.offset_ms, "serverTime": state.clock().now_ms() })))
}

/// `GET /sandbox/v1/health`: `{"status":"ok",..}` once the sandbox answers.
pub async fn health(State(state): State<AppState>, _: Loopback) -> Result<Response> {
    Ok(json_value(&json!({
        "status": "ok",
        "serverTime": state.clock().now_ms(),
        "offsetMs": state.clock().offset_ms(),
        "keys": state.keys().len(),
        "symbols": state.market().symbols().len(),
    })))
}
