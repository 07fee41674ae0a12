//! The open orders by id, with how many each account has open on each symbol, kept up to date as
//! orders come and go: `MAX_NUM_ORDERS` is then checked without going through every open order
//! (which made each placement cost as much as the number of orders resting on the sandbox).

use crate::engine::order::Order;
use crate::hash::FastMap;

/// Open orders (`NEW`, `PARTIALLY_FILLED`, untriggered stops) by id, counted per account and symbol.
#[derive(Debug, Clone, Default)]
pub(super) struct OpenOrders {
    by_id: FastMap<u64, Order>,
    /// Per account: each symbol it has open orders on, with how many. An account trades few
    /// symbols, so a short list read in order.
    counts: FastMap<i64, Vec<(String, usize)>>,
}

impl OpenOrders {
    pub fn get(&self, id: &u64) -> Option<&Order> {
        self.by_id.get(id)
    }

    /// The order to change in place. Its account and symbol must stay as they are: it is counted
    /// under them (no change of an open order touches either).
    pub fn get_mut(&mut self, id: &u64) -> Option<&mut Order> {
        self.by_id.get_mut(id)
    }

    pub fn contains_key(&self, id: &u64) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn values(&self) -> impl Iterator<Item = &Order> {
        self.by_id.values()
    }

    /// Adds (or replaces) the order with id `id`; returns the one it replaced.
    pub fn insert(&mut self, id: u64, order: Order) -> Option<Order> {
        self.count_up(order.account_id, &order.symbol);
        let replaced = self.by_id.insert(id, order);
        if let Some(old) = &replaced {
            self.count_down(old.account_id, &old.symbol);
        }
        replaced
    }

    pub fn remove(&mut self, id: &u64) -> Option<Order> {
        let order = self.by_id.remove(id)?;
        self.count_down(order.account_id, &order.symbol);
        Some(order)
    }

    /// How many orders `account` has open on `symbol`.
    pub fn count(&self, account: i64, symbol: &str) -> usize {
        self.counts
            .get(&account)
            .and_then(|symbols| symbols.iter().find(|(s, _)| s == symbol))
            .map_or(0, |(_, n)| *n)
    }

    fn count_up(&mut self, account: i64, symbol: &str) {
        let symbols = self.counts.entry(account).or_default();
        match symbols.iter_mut().find(|(s, _)| s == symbol) {
            Some((_, n)) => *n += 1,
            None => symbols.push((symbol.to_owned(), 1)),
        }
    }

    fn count_down(&mut self, account: i64, symbol: &str) {
        let Some(symbols) = self.counts.get_mut(&account) else { return };
        if let Some(at) = symbols.iter().position(|(s, _)| s == symbol) {
            symbols[at].1 -= 1;
            if symbols[at].1 == 0 {
                symbols.swap_remove(at);
            }
        }
        if symbols.is_empty() {
            self.counts.remove(&account);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(id: u64, account: i64, symbol: &str) -> Order {
        let mut o = Order::sample(id, "c", mbx_core::model::OrderStatus::New);
        o.account_id = account;
        o.symbol = symbol.to_owned();
        o
    }

    /// The counts always equal a count of the orders themselves, through inserts, replacements
    /// and removals in a pseudo-random order; nothing is left once every order is gone.
    #[test]
    fn counts_follow_the_orders() {
        let mut open = OpenOrders::default();
        let symbols = ["BTCUSDT", "ETHUSDT", "这是测试币USDT"];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let r = next();
            let id = r % 97;
            let (account, symbol) = ((r >> 8) as i64 % 4, symbols[(r >> 16) as usize % symbols.len()]);
            if r >> 40 & 1 == 0 {
                open.insert(id, order(id, account, symbol));
            } else {
                open.remove(&id);
            }
            for account in 0..4 {
                for symbol in symbols {
                    let scanned =
                        open.values().filter(|o| o.account_id == account && o.symbol == symbol).count();
                    assert_eq!(open.count(account, symbol), scanned, "account {account} {symbol}");
                }
            }
        }
        for id in 0..97 {
            open.remove(&id);
        }
        assert!(open.counts.is_empty() && open.by_id.is_empty());
    }
}
