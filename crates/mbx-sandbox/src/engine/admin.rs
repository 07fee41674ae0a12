//! The engine's admin commands (accounts, deposits, key revocation), each run on the engine thread
//! and answered after its commit, like every other command.

use rust_decimal::Decimal;

use super::EngineHandle;
use crate::error::SandboxError;
use crate::keys::StoredKey;

impl EngineHandle {
    /// Creates an account named `name` (or `account-<id>`) holding `balances` (free); returns its
    /// id, or `None` when the name is taken.
    pub async fn create_account(
        &self,
        name: Option<String>,
        balances: Vec<(String, Decimal)>,
        now_ms: u64,
    ) -> Result<Option<i64>, SandboxError> {
        self.exec(move |ex| {
            let Some(id) = ex.store_mut().create_account(name.as_deref(), now_ms)? else { return Ok(None) };
            ex.open_account(id, now_ms);
            ex.transact(now_ms, |ex| {
                for (asset, amount) in &balances {
                    ex.deposit(id, asset, *amount);
                }
                Ok(())
            })?;
            Ok(Some(id))
        })
        .await
    }

    /// Adds `amount` of `asset` to the free balance of `account_id`; `Ok(false)` for an unknown
    /// account.
    pub async fn deposit(
        &self,
        account_id: i64,
        asset: String,
        amount: Decimal,
        now_ms: u64,
    ) -> Result<bool, SandboxError> {
        self.exec(move |ex| {
            if !ex.store().account_exists(account_id)? {
                return Ok(false);
            }
            ex.transact(now_ms, |ex| {
                ex.deposit(account_id, &asset, amount);
                Ok(())
            })?;
            Ok(true)
        })
        .await
    }

    /// Locks (`delta` above zero) or unlocks `delta` of `asset` of `account_id` for a system outside
    /// spot trading ([`super::Exchange::external_lock`]): `Ok(None)` for an unknown account,
    /// `Ok(Some(Err(why)))` when refused.
    pub async fn external_lock(
        &self,
        account_id: i64,
        asset: String,
        delta: Decimal,
        now_ms: u64,
    ) -> Result<Option<Result<(), String>>, SandboxError> {
        self.exec(move |ex| {
            if !ex.store().account_exists(account_id)? {
                return Ok(None);
            }
            let mut refused = None;
            ex.transact(now_ms, |ex| {
                refused = ex.external_lock(account_id, &asset, delta).err();
                Ok(())
            })?;
            Ok(Some(refused.map_or(Ok(()), Err)))
        })
        .await
    }

    /// Whether account `account_id` exists.
    pub async fn account_exists(&self, account_id: i64) -> Result<bool, SandboxError> {
        self.exec(move |ex| Ok(ex.store().account_exists(account_id)?)).await
    }

    /// Every stored key, revoked ones included.
    pub async fn keys(&self) -> Result<Vec<StoredKey>, SandboxError> {
        self.exec(|ex| Ok(ex.store().keys()?)).await
    }

    /// Revokes a key; `Ok(false)` when no usable key has this text. Returns after the commit.
    pub async fn revoke_key(&self, api_key: String) -> Result<bool, SandboxError> {
        self.exec(move |ex| Ok(ex.store_mut().revoke_key(&api_key)?)).await
    }
}
