//! The hasher of the sandbox's hot maps ([`FastHash`]).

use std::collections::HashMap;

/// The hasher of the maps every request reads (client addresses, API keys, accounts, open orders,
/// client order ids, order counts): foldhash's fast hasher, seeded per map from a per-process random
/// value. The standard SipHash cost about 2,000 instructions a request across those maps
/// (`scripts/callgrind-orders`); a home-made multiply-and-rotate was tried first and let strings
/// that differ in a few bytes collide in all 64 bits (the test below), since a multiplication
/// carries differences upwards only. foldhash folds both halves of a 128-bit product.
pub(crate) type FastHash = foldhash::fast::RandomState;

/// A [`HashMap`] hashed with [`FastHash`]; made with `FastMap::default()`.
pub(crate) type FastMap<K, V> = HashMap<K, V, FastHash>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher as _;
    use std::net::IpAddr;

    /// Keys that differ in any byte land apart, in all 64 bits: addresses, strings that differ only
    /// in their last bytes or in their length, the (account, symbol, client id) keys.
    #[test]
    fn hashes_spread() {
        for _ in 0..4 {
            let h = FastHash::default();
            let mut seen = std::collections::HashSet::new();
            for i in 0..50_000u32 {
                assert!(seen.insert(h.hash_one(Some(IpAddr::from(i.to_be_bytes())))));
                let v6 = std::net::Ipv6Addr::from(u128::from(i) << 64);
                assert!(seen.insert(h.hash_one(Some(IpAddr::from(v6)))));
                assert!(seen.insert(h.hash_one(format!("x-{i}"))));
                assert!(seen.insert(h.hash_one((7i64, format!("BTCUSDT{i}"), String::new()))));
                // Odd: zero writes what `None` writes, as any hasher would take it.
                assert!(seen.insert(h.hash_one((u64::from(i) << 40) | 1)));
            }
            assert!(seen.insert(h.hash_one(None::<IpAddr>)));
            assert!(seen.insert(h.hash_one("")));
            assert!(seen.insert(h.hash_one("\0")));
        }
    }
}
