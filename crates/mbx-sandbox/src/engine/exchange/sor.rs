//! Smart order routing (`POST /api/v3/sor/order`) over the one book the sandbox keeps per symbol:
//! the order matches there as any order does, and its taker executions reach the account as
//! allocations (`allocId`, `myAllocations`) rather than as its trades. Its rest, if any, rests in
//! the book; fills it gets there later as a maker are ordinary trades.

use super::{Exchange, PlaceRequest, Placed};
use crate::engine::records::PreventedMatch;
use crate::engine::trade::Fill;
use crate::error::Result;
use crate::store::{AllocationQuery, PreventedQuery};

impl Exchange {
    /// Places an order through SOR (the handler takes `LIMIT` and `MARKET` only).
    pub fn place_sor(&mut self, req: PlaceRequest) -> Result<Placed> {
        self.place_routed(req, true)
    }

    /// `myAllocations`.
    pub fn allocations(&self, account: i64, sym: usize, q: &AllocationQuery) -> Result<Vec<Fill>> {
        Ok(self.store.allocations(account, self.symbol_name(sym), q)?)
    }

    /// `myPreventedMatches`.
    pub fn prevented_matches(
        &self,
        account: i64,
        sym: usize,
        q: &PreventedQuery,
    ) -> Result<Vec<PreventedMatch>> {
        Ok(self.store.prevented_matches(account, self.symbol_name(sym), q)?)
    }
}
