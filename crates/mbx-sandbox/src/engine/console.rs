//! What the console (`crate::console`) asks the engine that no Binance endpoint does: every account,
//! the market maker's state, a key's new permissions. Each runs on the engine thread like every other command and reads only
//! committed state.

use rust_decimal::Decimal;

use super::EngineHandle;
use crate::error::SandboxError;

/// The market maker on one symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketMakerState {
    /// Whether it quotes this symbol.
    pub quoting: bool,
    /// The price its ladder is centred on.
    pub reference: Option<Decimal>,
    /// Its quantity a level.
    pub size: Option<Decimal>,
    /// How many times it requoted the symbol since it started.
    pub requotes: u64,
    /// Its orders on the book.
    pub open_orders: usize,
}

impl EngineHandle {
    /// Changes the permissions of a usable key; returns the key as stored, or `None` when no
    /// usable key has this text. Returns after the commit.
    pub async fn set_key_permissions(
        &self,
        api_key: String,
        permissions: crate::keys::Permissions,
    ) -> Result<Option<crate::keys::StoredKey>, SandboxError> {
        self.exec(move |ex| {
            if !ex.store_mut().set_key_permissions(&api_key, permissions)? {
                return Ok(None);
            }
            Ok(ex.store().keys()?.into_iter().find(|k| k.api_key == api_key))
        })
        .await
    }

    /// Every account's id, oldest first.
    pub async fn account_ids(&self) -> Result<Vec<i64>, SandboxError> {
        self.exec(|ex| Ok(ex.store().all_accounts()?.into_iter().map(|(id, _)| id).collect())).await
    }

    /// The market maker's state on `symbol`; `None` when it is off.
    pub async fn market_maker_state(&self, symbol: usize) -> Result<Option<MarketMakerState>, SandboxError> {
        self.exec(move |ex| Ok(ex.market_maker_state(symbol))).await
    }
}
