//! The admin API under `/sandbox/v1`, answered only to loopback clients: create accounts, deposit,
//! lock funds externally, register, list and revoke keys, skew the clock, plan faults, run the chaos mode, check health. Not part of Binance's API.

use std::collections::BTreeMap;
use std::str::FromStr;

use super::Reply;
use axum::body::Body;
use axum::extract::State;
use axum::http::Uri;
use mbx_core::ErrorCode;
use mbx_core::keys::{self, LoadedKey};
use mbx_core::sign::KeyKind;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::json_value;
use crate::error::{AdminError, Result, SandboxError};
use crate::extract::{Loopback, MAX_BODY, clip, decode_pairs};
use crate::faults::OrderFault;
use crate::keys::{KEY_LEN, KeyEntry, KeyMaterial, Permissions, StoredKey, random_alnum};
use crate::seed;
use crate::state::AppState;
use crate::write::decimal::fixed8;

/// Reads a JSON body of at most [`MAX_BODY`] bytes.
async fn parse_body<T: DeserializeOwned>(body: Body) -> Result<T> {
    let bytes = crate::extract::read_limited(body, MAX_BODY).await?;
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
    /// Wire: account (the account id the key acts on; default: the demo account).
    #[serde(default)]
    account: Option<i64>,
    /// Wire: apiKey (the API key string to register, 64 letters and digits, to replay requests
    /// captured elsewhere; default: a random one).
    #[serde(default)]
    api_key: Option<String>,
}

/// `POST /sandbox/v1/keys`: registers a key on `account` (default: the demo account); answers
/// `{"apiKey","accountId","permissions"}` plus `"secretKey"` for HMAC. The key is committed before the
/// answer.
pub async fn add_key(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
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
    let account_id = match req.account {
        None => seed::DEMO_ACCOUNT_ID,
        Some(id) if state.engine().account_exists(id).await? => id,
        Some(id) => return Err(invalid("account", format!("account {id} does not exist"))),
    };
    let chosen = req.api_key.is_some();
    let api_key = match req.api_key {
        Some(k) if mbx_core::accept::is_well_formed_key(&k) => k,
        Some(_) => return Err(invalid("apiKey", "an API key is 64 letters and digits".into())),
        None => random_alnum(KEY_LEN),
    };
    let key = StoredKey { api_key, account_id, material, permissions, revoked: false };
    let entry = KeyEntry::from_stored(&key)?;
    if !state.engine().register_key(key.clone(), state.clock().now_ms()).await? {
        if chosen {
            return Err(invalid("apiKey", format!("{} is taken", crate::keys::shorten(&key.api_key))));
        }
        // 62^64 keys: a collision means the generator is broken, not bad luck.
        return Err(SandboxError::Store(crate::error::StoreError::Corrupt {
            what: "api_keys.api_key",
            detail: "generated key already taken".into(),
        }));
    }
    state.keys().insert(entry);
    let mut answer =
        json!({ "apiKey": key.api_key, "accountId": account_id, "permissions": permissions.names() });
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
pub async fn set_clock(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let req: ClockBody = parse_body(body).await?;
    state.clock().set_offset_ms(req.offset_ms);
    Ok(json_value(&json!({ "offsetMs": req.offset_ms, "serverTime": state.clock().now_ms() })))
}

/// Most answers one `dropResponseAfterCommit` may drop.
const MAX_PLANNED_FAULTS: usize = 10_000;

/// Body of `POST /sandbox/v1/faults`; the fields may be combined (planned in this order).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultBody {
    /// Wire: clear (forget the faults planned so far, first).
    #[serde(default)]
    clear: bool,
    /// Wire: dropResponseAfterCommit (this many committed orders get no answer).
    #[serde(default)]
    drop_response_after_commit: Option<usize>,
    /// Wire: nextStatus (the next committed order is answered this 5xx status).
    #[serde(default)]
    next_status: Option<u16>,
    /// Wire: nextCode (the next committed order is answered this Binance code, e.g. -1007).
    #[serde(default)]
    next_code: Option<i32>,
}

/// `POST /sandbox/v1/faults`: plans faults for the next order placements (see [`crate::faults`]);
/// answers the faults now planned, next first.
pub async fn plan_faults(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let req: FaultBody = parse_body(body).await?;
    let fault = invalid;
    if let Some(n) = req.drop_response_after_commit
        && n > MAX_PLANNED_FAULTS
    {
        return Err(fault("dropResponseAfterCommit", format!("{n} is over {MAX_PLANNED_FAULTS}")));
    }
    if let Some(status) = req.next_status
        && !(500..=599).contains(&status)
    {
        return Err(fault("nextStatus", format!("{status} is not a 5xx status (500 to 599)")));
    }
    let code = req.next_code.map(ErrorCode);
    if let Some(code) = code
        && code.entry().is_none()
    {
        return Err(fault("nextCode", format!("{code} is not a code in Binance's errors.md")));
    }
    let faults = state.faults();
    if req.clear {
        faults.clear();
    }
    if let Some(n) = req.drop_response_after_commit {
        faults.drop_response_after_commit(n);
    }
    if let Some(status) = req.next_status {
        faults.next_status(status);
    }
    if let Some(code) = code {
        faults.next_code(code);
    }
    Ok(json_value(&json!({ "pending": pending_faults(&state) })))
}

/// The faults planned, next first, as `POST /sandbox/v1/faults` answers them.
pub(crate) fn pending_faults(state: &AppState) -> serde_json::Value {
    state
        .faults()
        .pending()
        .into_iter()
        .map(|f| match f {
            OrderFault::DropResponse => json!({ "fault": "dropResponse" }),
            OrderFault::Status(s) => json!({ "fault": "status", "status": s }),
            OrderFault::Code(c) => json!({ "fault": "code", "code": c.get() }),
        })
        .collect()
}

/// `POST /sandbox/v1/chaos`: turns the chaos mode on with the body's configuration
/// ([`crate::faults::ChaosConfig`]: every field optional, absent is off), replacing any earlier
/// one; answers as `GET`.
pub async fn set_chaos(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let config: crate::faults::ChaosConfig = parse_body(body).await?;
    config.check().map_err(|(field, detail)| invalid(field, detail))?;
    tracing::info!(target: "mbx_sandbox::chaos", seed = config.seed, "chaos mode on");
    state.chaos().enable(config);
    Ok(json_value(&state.chaos().to_json()))
}

/// `GET /sandbox/v1/chaos`: `{"enabled","config","injected"}`: the configuration in force (defaults
/// filled in) and the faults injected since the sandbox started.
pub async fn chaos(State(state): State<AppState>, _: Loopback) -> Result<Reply> {
    Ok(json_value(&state.chaos().to_json()))
}

/// `DELETE /sandbox/v1/chaos`: turns the chaos mode off (storms and their bans end; the counters
/// stay); answers as `GET`.
pub async fn stop_chaos(State(state): State<AppState>, _: Loopback) -> Result<Reply> {
    state.chaos().disable();
    tracing::info!(target: "mbx_sandbox::chaos", "chaos mode off");
    Ok(json_value(&state.chaos().to_json()))
}

/// `GET /sandbox/v1/health`: `{"status":"ok",..}` once the sandbox answers.
pub async fn health(State(state): State<AppState>, _: Loopback) -> Result<Reply> {
    Ok(json_value(&json!({
        "status": "ok",
        "serverTime": state.clock().now_ms(),
        "offsetMs": state.clock().offset_ms(),
        "keys": state.keys().len(),
        "symbols": state.market().symbols().len(),
    })))
}

/// An [`AdminError::Invalid`] for `field`.
fn invalid(field: &'static str, detail: String) -> SandboxError {
    AdminError::Invalid { field, detail }.into()
}

/// `GET /sandbox/v1/keys`: every key, revoked ones included; never a secret.
pub async fn list_keys(State(state): State<AppState>, _: Loopback) -> Result<Reply> {
    let keys: Vec<_> = state
        .engine()
        .keys()
        .await?
        .iter()
        .map(|k| {
            json!({
                "apiKey": k.api_key,
                "kind": k.material.kind().as_str(),
                "accountId": k.account_id,
                "permissions": k.permissions.names(),
                "revoked": k.revoked,
            })
        })
        .collect();
    Ok(json_value(&json!({ "keys": keys })))
}

/// `DELETE /sandbox/v1/keys?apiKey=`: revokes a key; later requests with it are answered `-2015`.
/// The revocation is committed before the answer.
pub async fn revoke_key(State(state): State<AppState>, _: Loopback, uri: Uri) -> Result<Reply> {
    let pairs = decode_pairs(uri.query().unwrap_or(""), "query string")?;
    let Some((_, api_key)) = pairs.into_iter().find(|(k, _)| k == "apiKey") else {
        return Err(invalid("apiKey", "send the key to revoke as ?apiKey=".into()));
    };
    if !state.engine().revoke_key(api_key.clone()).await? {
        return Err(invalid("apiKey", format!("no usable key {}", crate::keys::shorten(&api_key))));
    }
    state.keys().remove(&api_key);
    Ok(json_value(&json!({ "apiKey": api_key, "revoked": true })))
}

/// Longest asset name taken.
const MAX_ASSET: usize = 20;

/// An asset name and an amount as sent: letters and digits (any script, as `这是测试币`), and a
/// decimal given as a JSON string or number, at least `min`.
fn asset_amount(asset: &str, amount: &serde_json::Value, min_exclusive: bool) -> Result<(String, Decimal)> {
    if asset.is_empty() || asset.chars().count() > MAX_ASSET || !asset.chars().all(char::is_alphanumeric) {
        return Err(invalid(
            "asset",
            format!("{:?} is not an asset name (1 to {MAX_ASSET} letters and digits)", clip(asset, 40)),
        ));
    }
    // Binance's assets are upper case (USDT, BTC); a lower-case one would be another asset, one
    // no symbol trades.
    if asset.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(invalid(
            "asset",
            format!(
                "{asset:?}: assets are upper case, as exchangeInfo lists them ({:?})",
                asset.to_ascii_uppercase()
            ),
        ));
    }
    let text = match amount {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => return Err(invalid("amount", format!("{other} is not a decimal"))),
    };
    let value =
        Decimal::from_str(&text).map_err(|e| invalid("amount", format!("{:?}: {e}", clip(&text, 40))))?;
    if value.is_sign_negative() || (min_exclusive && value.is_zero()) {
        let bound = if min_exclusive { "above zero" } else { "zero or more" };
        return Err(invalid("amount", format!("{value} is not {bound}")));
    }
    Ok((asset.to_owned(), value))
}

/// Body of `POST /sandbox/v1/accounts`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewAccount {
    /// Wire: name (unique; default `account-<id>`).
    #[serde(default)]
    name: Option<String>,
    /// Wire: balances (asset -> free amount, as decimal strings).
    #[serde(default)]
    balances: BTreeMap<String, serde_json::Value>,
}

/// `POST /sandbox/v1/accounts`: creates an account with optional balances; answers
/// `{"accountId","name","balances"}` once committed. Give it keys with `POST /sandbox/v1/keys`
/// `{"account": <accountId>, ..}`.
pub async fn create_account(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let req: NewAccount = parse_body(body).await?;
    if let Some(name) = &req.name
        && (name.is_empty() || name.chars().count() > 64)
    {
        return Err(invalid("name", "give 1 to 64 characters".into()));
    }
    let balances = req.balances.iter().map(|(a, v)| asset_amount(a, v, false)).collect::<Result<Vec<_>>>()?;
    let now = state.clock().now_ms();
    let Some(id) = state.engine().create_account(req.name.clone(), balances.clone(), now).await? else {
        return Err(invalid("name", format!("an account named {:?} exists", req.name.unwrap_or_default())));
    };
    let snapshot = state.engine().account(id);
    let name = req.name.unwrap_or_else(|| format!("account-{id}"));
    let balances: Vec<_> = snapshot
        .as_deref()
        .map_or(&[][..], |s| &s.snapshot.balances)
        .iter()
        .map(|b| json!({ "asset": b.asset, "free": fixed8(b.free), "locked": fixed8(b.locked) }))
        .collect();
    Ok(json_value(&json!({ "accountId": id, "name": name, "balances": balances })))
}

/// Body of `POST /sandbox/v1/deposit`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Deposit {
    /// Wire: account (an account id), or
    #[serde(default)]
    account: Option<i64>,
    /// Wire: apiKey (the account of this usable key).
    #[serde(default)]
    api_key: Option<String>,
    /// Wire: asset.
    asset: String,
    /// Wire: amount (a decimal string, above zero).
    amount: serde_json::Value,
}

/// `POST /sandbox/v1/deposit`: credits `amount` of `asset` to an account (by `account` or `apiKey`);
/// answers the new balance once committed.
pub async fn deposit(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let req: Deposit = parse_body(body).await?;
    let account_id = account_of(&state, req.account, req.api_key.as_deref())?;
    let (asset, amount) = asset_amount(&req.asset, &req.amount, true)?;
    let now = state.clock().now_ms();
    if !state.engine().deposit(account_id, asset.clone(), amount, now).await? {
        return Err(invalid("account", format!("account {account_id} does not exist")));
    }
    balance_answer(&state, account_id, &asset)
}

/// Body of `POST /sandbox/v1/externalLock`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExternalLock {
    /// Wire: account (an account id), or
    #[serde(default)]
    account: Option<i64>,
    /// Wire: apiKey (the account of this usable key).
    #[serde(default)]
    api_key: Option<String>,
    /// Wire: asset.
    asset: String,
    /// Wire: delta (a decimal string: above zero locks, below zero unlocks).
    delta: serde_json::Value,
}

/// `POST /sandbox/v1/externalLock`: locks (`delta` above zero) or unlocks part of a balance as a
/// system outside spot trading would (margin collateral, say), which sends the account's user data
/// streams `externalLockUpdate` and `outboundAccountPosition`; answers the new balance once
/// committed.
pub async fn external_lock(State(state): State<AppState>, _: Loopback, body: Body) -> Result<Reply> {
    let req: ExternalLock = parse_body(body).await?;
    let account_id = account_of(&state, req.account, req.api_key.as_deref())?;
    let text = match &req.delta {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        other => return Err(invalid("delta", format!("{other} is not a decimal"))),
    };
    let delta = Decimal::from_str(&text)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| invalid("delta", format!("{:?} is not a decimal other than zero", clip(&text, 40))))?;
    let (asset, _) = asset_amount(&req.asset, &serde_json::Value::String(delta.abs().to_string()), true)?;
    let now = state.clock().now_ms();
    match state.engine().external_lock(account_id, asset.clone(), delta, now).await? {
        None => return Err(invalid("account", format!("account {account_id} does not exist"))),
        Some(Err(why)) => return Err(invalid("delta", why)),
        Some(Ok(())) => {}
    }
    balance_answer(&state, account_id, &asset)
}

/// The account named by `account` or by `apiKey` (exactly one).
fn account_of(state: &AppState, account: Option<i64>, api_key: Option<&str>) -> Result<i64> {
    match (account, api_key) {
        (Some(id), None) => Ok(id),
        (None, Some(key)) => match state.keys().get(key) {
            Some(entry) => Ok(entry.account_id),
            None => Err(invalid("apiKey", format!("no usable key {}", crate::keys::shorten(key)))),
        },
        _ => Err(invalid("account", "send exactly one of account and apiKey".into())),
    }
}

/// `{"accountId","asset","free","locked"}` as committed.
fn balance_answer(state: &AppState, account_id: i64, asset: &str) -> Result<Reply> {
    let snapshot = state.engine().account(account_id);
    let balance = snapshot.as_deref().and_then(|s| s.snapshot.balances.iter().find(|b| b.asset == asset));
    let (free, locked) = balance.map_or((Decimal::ZERO, Decimal::ZERO), |b| (b.free, b.locked));
    Ok(json_value(&json!({
        "accountId": account_id,
        "asset": asset,
        "free": fixed8(free),
        "locked": fixed8(locked),
    })))
}

/// `GET /sandbox/v1/rejections?limit=N` (default 20, at most 100): the last requests refused at the
/// acceptance check, newest first, each with the doctor's diagnosis:
/// `{"rejections":[{"time","transport","request","code","msg","status","diagnosis"}]}`. The API key
/// is shortened and no secret is shown.
pub async fn rejections(State(state): State<AppState>, _: Loopback, uri: Uri) -> Result<Reply> {
    let pairs = decode_pairs(uri.query().unwrap_or(""), "query string")?;
    let limit = match pairs.iter().find(|(k, _)| k == "limit") {
        None => 20,
        Some((_, v)) => match v.parse::<usize>() {
            Ok(n) if (1..=crate::journal::CAPACITY).contains(&n) => n,
            _ => {
                return Err(invalid(
                    "limit",
                    format!("limit is a number from 1 to {}", crate::journal::CAPACITY),
                ));
            }
        },
    };
    let list: Vec<serde_json::Value> = state.journal().last(limit).iter().map(|r| r.to_json()).collect();
    let mut answer = json!({ "rejections": list });
    // A secret sent by mistake is shown by its key's name, whichever key it belongs to.
    state.keys().redact_json(&mut answer);
    Ok(json_value(&answer))
}
