//! [`SandboxConfig`]: what `mbx sandbox --config FILE` (TOML) changes: symbols and their filters, the
//! demo account's opening balances, the commission rate and the rate limits. Every field is
//! optional; what is left out keeps the default.
//!
//! ```toml
//! commission = "0.00075"          # maker and taker rate (default 0.001)
//!
//! [limits]                        # announced in exchangeInfo and enforced
//! request_weight_per_minute = 1200
//! orders_per_10s = 50
//!
//! [balances]                      # the demo account's opening balances (first start of a data dir)
//! USDT = "250000"
//! SOL = "40"
//!
//! [[symbols]]                     # a new symbol, or changes to a default one of the same name
//! symbol = "SOLUSDT"
//! base = "SOL"
//! quote = "USDT"
//! tick_size = "0.01"
//! step_size = "0.001"
//! min_notional = "5"
//! reference_price = "150"         # where the market maker quotes it
//! quote_size = "10"
//!
//! [chaos]                         # the chaos mode, on from the start (crate::faults::chaos)
//! seed = 42
//! [chaos.orders]
//! drop_after_commit = 0.02
//! delay_after_commit = 0.02
//! delay_ms = 3000
//! [chaos.storms]
//! probability = 0.001
//! duration_ms = 1500
//! ```
//!
//! The type deserializes from any serde format (the CLI reads TOML); [`SandboxConfig::resolve`]
//! checks it and turns it into the sandbox's rules, each mistake named with its fix.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::market::{LotSize, NotionalFilter, PercentPriceBySide, PriceFilter, RateLimits, SymbolSpec};
use crate::seed;

/// The sandbox's configurable rules, as read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxConfig {
    /// Maker and taker commission rate, e.g. `"0.001"` for 0.1%.
    #[serde(default)]
    #[serde(deserialize_with = "amount::option")]
    pub commission: Option<Decimal>,
    /// Rate limits; unnamed ones keep Binance's defaults.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// The demo account's opening balances (asset -> amount), replacing the default ones. Applied
    /// when the account is created: on the first start of a data directory, or every start with
    /// `--memory`.
    #[serde(default)]
    #[serde(deserialize_with = "amount::map")]
    pub balances: Option<BTreeMap<String, Decimal>>,
    /// Symbols to add, or to change when a default symbol has the same name.
    #[serde(default)]
    pub symbols: Vec<SymbolConfig>,
    /// Serve only the symbols listed in `symbols` (default: the default symbols too).
    #[serde(default)]
    pub only_listed_symbols: bool,
    /// `[chaos]`: the chaos mode, on from the start (snake_case names of the admin API's fields).
    #[serde(default)]
    pub chaos: Option<crate::faults::ChaosConfig>,
}

/// `[limits]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// `REQUEST_WEIGHT` per minute.
    pub request_weight_per_minute: Option<u32>,
    /// `ORDERS` per 10 seconds.
    pub orders_per_10s: Option<u32>,
    /// `ORDERS` per day.
    pub orders_per_day: Option<u32>,
    /// `RAW_REQUESTS` per 5 minutes.
    pub raw_requests_per_5m: Option<u32>,
}

/// One `[[symbols]]` entry. For a new symbol, `base`, `quote`, `tick_size` and `step_size` are
/// required; everything else has a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolConfig {
    /// The symbol's name, as clients send it (Unicode allowed).
    pub symbol: String,
    /// Base asset.
    pub base: Option<String>,
    /// Quote asset.
    pub quote: Option<String>,
    /// `PRICE_FILTER` tickSize (also its minPrice unless `min_price` is given).
    #[serde(default, deserialize_with = "amount::option")]
    pub tick_size: Option<Decimal>,
    /// `PRICE_FILTER` minPrice.
    #[serde(default, deserialize_with = "amount::option")]
    pub min_price: Option<Decimal>,
    /// `PRICE_FILTER` maxPrice (default 1000000).
    #[serde(default, deserialize_with = "amount::option")]
    pub max_price: Option<Decimal>,
    /// `LOT_SIZE` stepSize (also its minQty unless `min_qty` is given).
    #[serde(default, deserialize_with = "amount::option")]
    pub step_size: Option<Decimal>,
    /// `LOT_SIZE` minQty.
    #[serde(default, deserialize_with = "amount::option")]
    pub min_qty: Option<Decimal>,
    /// `LOT_SIZE` maxQty (default 9000000).
    #[serde(default, deserialize_with = "amount::option")]
    pub max_qty: Option<Decimal>,
    /// `MARKET_LOT_SIZE` maxQty (default: `max_qty`).
    #[serde(default, deserialize_with = "amount::option")]
    pub market_max_qty: Option<Decimal>,
    /// `NOTIONAL` minNotional (default 0: no minimum).
    #[serde(default, deserialize_with = "amount::option")]
    pub min_notional: Option<Decimal>,
    /// `NOTIONAL` maxNotional (default 9000000).
    #[serde(default, deserialize_with = "amount::option")]
    pub max_notional: Option<Decimal>,
    /// `PERCENT_PRICE_BY_SIDE`: how far above the average price an order may be, as a multiplier
    /// (bid and ask; default 5).
    #[serde(default, deserialize_with = "amount::option")]
    pub multiplier_up: Option<Decimal>,
    /// `PERCENT_PRICE_BY_SIDE`: how far below, as a multiplier (default 0.2).
    #[serde(default, deserialize_with = "amount::option")]
    pub multiplier_down: Option<Decimal>,
    /// `MAX_NUM_ORDERS` (default 200).
    pub max_num_orders: Option<u32>,
    /// Decimals of base amounts (default 8).
    pub base_precision: Option<u32>,
    /// Decimals of quote amounts (default 8).
    pub quote_precision: Option<u32>,
    /// Where the market maker quotes this symbol; without it (and for a new symbol) it does not.
    #[serde(default, deserialize_with = "amount::option")]
    pub reference_price: Option<Decimal>,
    /// The market maker's quantity per level (needed with `reference_price`).
    #[serde(default, deserialize_with = "amount::option")]
    pub quote_size: Option<Decimal>,
}

/// The rules a configuration resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The symbols, defaults first (in their order), then new ones in file order.
    pub symbols: Vec<SymbolSpec>,
    /// The commission rate.
    pub commission: Decimal,
    /// The rate limits.
    pub rate_limits: RateLimits,
    /// The demo account's opening balances.
    pub demo_balances: Vec<(String, Decimal)>,
    /// Market maker quotes given in the file: (symbol, reference price, size per level).
    pub quotes: Vec<(String, Decimal, Decimal)>,
    /// The chaos mode to start with, checked.
    pub chaos: Option<crate::faults::ChaosConfig>,
}

/// A mistake in a configuration: where, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct ConfigError {
    /// The entry at fault, e.g. `symbols[2] (SOLUSDT).tick_size`.
    pub place: String,
    /// What is wrong and how to fix it.
    pub problem: String,
}

fn err(place: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError { place: place.into(), problem: problem.into() }
}

/// A field's JSON name (`orders.dropAfterCommit`) as the file writes it (`orders.drop_after_commit`).
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn positive(place: &str, value: Decimal) -> Result<Decimal, ConfigError> {
    if value > Decimal::ZERO { Ok(value) } else { Err(err(place, format!("must be above 0, not {value}"))) }
}

impl SandboxConfig {
    /// Checks the configuration and applies it to the defaults.
    ///
    /// ```
    /// use mbx_sandbox::config::SandboxConfig;
    /// let resolved = SandboxConfig::default().resolve().unwrap();
    /// assert_eq!(resolved.symbols.len(), 6);
    /// assert_eq!(resolved.commission.to_string(), "0.001");
    /// ```
    pub fn resolve(&self) -> Result<Resolved, ConfigError> {
        let commission = match self.commission {
            Some(c) if c < Decimal::ZERO || c >= Decimal::ONE => {
                return Err(err("commission", format!("{c} is not a rate between 0 and 1 (0.001 is 0.1%)")));
            }
            Some(c) => c,
            None => seed::default_commission(),
        };
        let d = RateLimits::default();
        let l = &self.limits;
        let rate_limits = RateLimits {
            request_weight_per_minute: l.request_weight_per_minute.unwrap_or(d.request_weight_per_minute),
            orders_per_10s: l.orders_per_10s.unwrap_or(d.orders_per_10s),
            orders_per_day: l.orders_per_day.unwrap_or(d.orders_per_day),
            raw_requests_per_5m: l.raw_requests_per_5m.unwrap_or(d.raw_requests_per_5m),
        };
        for (name, v) in [
            ("limits.request_weight_per_minute", rate_limits.request_weight_per_minute),
            ("limits.orders_per_10s", rate_limits.orders_per_10s),
            ("limits.orders_per_day", rate_limits.orders_per_day),
            ("limits.raw_requests_per_5m", rate_limits.raw_requests_per_5m),
        ] {
            if v == 0 {
                return Err(err(name, "must be at least 1"));
            }
        }
        let demo_balances = match &self.balances {
            Some(map) => {
                let mut out = Vec::with_capacity(map.len());
                for (asset, amount) in map {
                    check_name(&format!("balances.{asset}"), asset, "an asset")?;
                    if *amount < Decimal::ZERO {
                        return Err(err(format!("balances.{asset}"), "must not be negative"));
                    }
                    out.push((asset.clone(), *amount));
                }
                out
            }
            None => seed::demo_balances().into_iter().map(|(a, v)| (a.to_owned(), v)).collect(),
        };

        let mut symbols = seed::default_symbols();
        if self.only_listed_symbols {
            symbols.retain(|s| self.symbols.iter().any(|c| c.symbol == s.symbol));
        }
        let mut quotes = Vec::new();
        for (i, c) in self.symbols.iter().enumerate() {
            let at = |field: &str| format!("symbols[{i}] ({}).{field}", c.symbol);
            if self.symbols[..i].iter().any(|earlier| earlier.symbol == c.symbol) {
                return Err(err(at("symbol"), "is listed twice; merge the two entries"));
            }
            check_name(&at("symbol"), &c.symbol, "a symbol")?;
            let spec = match symbols.iter_mut().find(|s| s.symbol == c.symbol) {
                Some(existing) => {
                    c.apply(existing, &at)?;
                    existing.clone()
                }
                None => {
                    let spec = c.new_spec(&at)?;
                    symbols.push(spec.clone());
                    spec
                }
            };
            match (c.reference_price, c.quote_size) {
                (Some(p), Some(q)) => {
                    positive(&at("reference_price"), p)?;
                    positive(&at("quote_size"), q)?;
                    if !spec.price_filter.passes(p - p % spec.price_filter.tick_size) {
                        return Err(err(at("reference_price"), "lies outside the symbol's price filter"));
                    }
                    quotes.push((c.symbol.clone(), p, q));
                }
                (None, None) => {}
                _ => return Err(err(at("reference_price"), "give reference_price and quote_size together")),
            }
        }
        if symbols.is_empty() {
            return Err(err("symbols", "no symbol is left to trade; list at least one"));
        }
        if let Some(chaos) = &self.chaos {
            chaos.check().map_err(|(field, problem)| err(format!("chaos.{}", snake_case(field)), problem))?;
        }
        let chaos = self.chaos.clone();
        Ok(Resolved { symbols, commission, rate_limits, demo_balances, quotes, chaos })
    }
}

/// Asset and symbol names: 1 to 20 letters or digits (Unicode allowed, as `这是测试币`); `what` is
/// "an asset" or "a symbol".
fn check_name(place: &str, name: &str, what: &str) -> Result<(), ConfigError> {
    let ok = !name.is_empty() && name.chars().count() <= 20 && name.chars().all(char::is_alphanumeric);
    if ok {
        Ok(())
    } else {
        Err(err(place, format!("{name:?} is not {what} name (letters and digits, up to 20)")))
    }
}

impl SymbolConfig {
    /// A new symbol from this entry and the defaults.
    fn new_spec(&self, at: &dyn Fn(&str) -> String) -> Result<SymbolSpec, ConfigError> {
        let need = |v: &Option<String>, field: &str| {
            v.clone().ok_or_else(|| err(at(field), "is required for a new symbol"))
        };
        let tick = self.tick_size.ok_or_else(|| err(at("tick_size"), "is required for a new symbol"))?;
        let step = self.step_size.ok_or_else(|| err(at("step_size"), "is required for a new symbol"))?;
        let mut spec = SymbolSpec {
            symbol: self.symbol.clone(),
            base_asset: need(&self.base, "base")?,
            quote_asset: need(&self.quote, "quote")?,
            base_precision: 8,
            quote_precision: 8,
            price_filter: PriceFilter {
                min_price: tick,
                max_price: Decimal::from(1_000_000),
                tick_size: tick,
            },
            lot_size: LotSize { min_qty: step, max_qty: Decimal::from(9_000_000), step_size: step },
            market_lot_size: LotSize {
                min_qty: Decimal::ZERO,
                max_qty: Decimal::from(9_000_000),
                step_size: Decimal::ZERO,
            },
            percent_price_by_side: PercentPriceBySide {
                bid_multiplier_up: Decimal::from(5),
                bid_multiplier_down: Decimal::new(2, 1),
                ask_multiplier_up: Decimal::from(5),
                ask_multiplier_down: Decimal::new(2, 1),
                avg_price_mins: 5,
            },
            notional: NotionalFilter {
                min_notional: Decimal::ZERO,
                apply_min_to_market: true,
                max_notional: Decimal::from(9_000_000),
                apply_max_to_market: false,
                avg_price_mins: 5,
            },
            max_num_orders: 200,
            iceberg_parts: crate::market::ICEBERG_PARTS,
            trailing_delta: crate::market::TRAILING_DELTA,
            max_num_iceberg_orders: crate::market::MAX_NUM_ICEBERG_ORDERS,
        };
        if self.market_max_qty.is_none() {
            spec.market_lot_size.max_qty = self.max_qty.unwrap_or(spec.lot_size.max_qty);
        }
        self.apply(&mut spec, at)?;
        Ok(spec)
    }

    /// Applies the fields given to `spec`, then checks the result.
    fn apply(&self, spec: &mut SymbolSpec, at: &dyn Fn(&str) -> String) -> Result<(), ConfigError> {
        if let Some(b) = &self.base {
            check_name(&at("base"), b, "an asset")?;
            spec.base_asset = b.clone();
        }
        if let Some(q) = &self.quote {
            check_name(&at("quote"), q, "an asset")?;
            spec.quote_asset = q.clone();
        }
        if spec.base_asset == spec.quote_asset {
            return Err(err(at("quote"), "must differ from base"));
        }
        let pf = &mut spec.price_filter;
        if let Some(t) = self.tick_size {
            pf.tick_size = positive(&at("tick_size"), t)?;
            pf.min_price = t;
        }
        if let Some(v) = self.min_price {
            pf.min_price = positive(&at("min_price"), v)?;
        }
        if let Some(v) = self.max_price {
            pf.max_price = positive(&at("max_price"), v)?;
        }
        if pf.max_price < pf.min_price {
            return Err(err(
                at("max_price"),
                format!("{} is below min_price {}", pf.max_price, pf.min_price),
            ));
        }
        let lot = &mut spec.lot_size;
        if let Some(s) = self.step_size {
            lot.step_size = positive(&at("step_size"), s)?;
            lot.min_qty = s;
        }
        if let Some(v) = self.min_qty {
            lot.min_qty = positive(&at("min_qty"), v)?;
        }
        if let Some(v) = self.max_qty {
            lot.max_qty = positive(&at("max_qty"), v)?;
        }
        if lot.max_qty < lot.min_qty {
            return Err(err(at("max_qty"), format!("{} is below min_qty {}", lot.max_qty, lot.min_qty)));
        }
        if let Some(v) = self.market_max_qty {
            spec.market_lot_size.max_qty = positive(&at("market_max_qty"), v)?;
        }
        if let Some(v) = self.min_notional {
            if v < Decimal::ZERO {
                return Err(err(at("min_notional"), "must not be negative"));
            }
            spec.notional.min_notional = v;
        }
        if let Some(v) = self.max_notional {
            spec.notional.max_notional = positive(&at("max_notional"), v)?;
        }
        if spec.notional.max_notional < spec.notional.min_notional {
            return Err(err(at("max_notional"), "is below min_notional"));
        }
        let pp = &mut spec.percent_price_by_side;
        if let Some(up) = self.multiplier_up {
            if up <= Decimal::ONE {
                return Err(err(
                    at("multiplier_up"),
                    format!("{up} must be above 1 (5 allows 5x the average price)"),
                ));
            }
            (pp.bid_multiplier_up, pp.ask_multiplier_up) = (up, up);
        }
        if let Some(down) = self.multiplier_down {
            if down <= Decimal::ZERO || down >= Decimal::ONE {
                return Err(err(
                    at("multiplier_down"),
                    format!("{down} must lie between 0 and 1 (0.2 allows a fifth of the average price)"),
                ));
            }
            (pp.bid_multiplier_down, pp.ask_multiplier_down) = (down, down);
        }
        if let Some(n) = self.max_num_orders {
            if n == 0 {
                return Err(err(at("max_num_orders"), "must be at least 1"));
            }
            spec.max_num_orders = n;
        }
        for (field, v, target) in [
            ("base_precision", self.base_precision, &mut spec.base_precision),
            ("quote_precision", self.quote_precision, &mut spec.quote_precision),
        ] {
            if let Some(p) = v {
                if p > 18 {
                    return Err(err(at(field), format!("{p} decimals is more than the 18 supported")));
                }
                *target = p;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn empty_config_is_the_defaults() {
        let r = SandboxConfig::default().resolve().unwrap();
        assert_eq!(r.symbols, seed::default_symbols());
        assert_eq!(r.rate_limits, RateLimits::default());
        assert_eq!(r.demo_balances.len(), seed::demo_balances().len());
        assert!(r.quotes.is_empty());
    }

    #[test]
    fn new_symbol_gets_defaults_and_changes_apply_to_existing_ones() {
        let cfg = SandboxConfig {
            symbols: vec![
                SymbolConfig {
                    symbol: "SOLUSDT".into(),
                    base: Some("SOL".into()),
                    quote: Some("USDT".into()),
                    tick_size: Some(d("0.01")),
                    step_size: Some(d("0.001")),
                    min_notional: Some(d("5")),
                    reference_price: Some(d("150")),
                    quote_size: Some(d("10")),
                    ..SymbolConfig::default()
                },
                SymbolConfig { symbol: "BTCUSDT".into(), max_num_orders: Some(5), ..SymbolConfig::default() },
            ],
            ..SandboxConfig::default()
        };
        let r = cfg.resolve().unwrap();
        assert_eq!(r.symbols.len(), 7);
        let sol = r.symbols.last().unwrap();
        assert_eq!((sol.price_filter.min_price, sol.lot_size.min_qty), (d("0.01"), d("0.001")));
        assert_eq!(r.symbols[0].max_num_orders, 5);
        assert_eq!(r.symbols[0].price_filter, seed::default_symbols()[0].price_filter, "the rest unchanged");
        assert_eq!(r.quotes, vec![("SOLUSDT".to_owned(), d("150"), d("10"))]);
    }

    #[test]
    fn only_listed_symbols_drops_the_others() {
        let cfg = SandboxConfig {
            only_listed_symbols: true,
            symbols: vec![SymbolConfig { symbol: "ETHBTC".into(), ..SymbolConfig::default() }],
            ..SandboxConfig::default()
        };
        let r = cfg.resolve().unwrap();
        assert_eq!(r.symbols.iter().map(|s| s.symbol.as_str()).collect::<Vec<_>>(), ["ETHBTC"]);
    }

    #[test]
    fn mistakes_name_the_place_and_the_fix() {
        let bad = |c: SymbolConfig| {
            SandboxConfig { symbols: vec![c], ..SandboxConfig::default() }.resolve().unwrap_err().to_string()
        };
        let e = bad(SymbolConfig {
            symbol: "NEWX".into(),
            base: Some("NEW".into()),
            tick_size: Some(d("0.1")),
            step_size: Some(d("1")),
            ..SymbolConfig::default()
        });
        assert!(e.starts_with("symbols[0] (NEWX).quote: is required"), "{e}");
        let e = bad(SymbolConfig {
            symbol: "BTCUSDT".into(),
            tick_size: Some(d("0")),
            ..SymbolConfig::default()
        });
        assert_eq!(e, "symbols[0] (BTCUSDT).tick_size: must be above 0, not 0");
        let e = bad(SymbolConfig {
            symbol: "BTCUSDT".into(),
            reference_price: Some(d("1")),
            ..SymbolConfig::default()
        });
        assert!(e.contains("reference_price and quote_size together"), "{e}");
        let e =
            SandboxConfig { commission: Some(d("1.5")), ..SandboxConfig::default() }.resolve().unwrap_err();
        assert!(e.to_string().starts_with("commission: 1.5 is not a rate"), "{e}");
    }
}

/// Amounts in a configuration: decimal strings (`"0.001"`) or integers, never floats (a float has
/// already lost digits by the time it is read).
mod amount {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
        Float(f64),
    }

    fn decimal<E: Error>(raw: Raw) -> Result<Decimal, E> {
        match raw {
            Raw::Text(s) => Decimal::from_str_exact(s.trim())
                .map_err(|_| E::custom(format!("{s:?} is not a decimal number like \"0.001\""))),
            Raw::Int(i) => Ok(Decimal::from(i)),
            Raw::Float(f) => Err(E::custom(format!("write {f} as a string (\"{f}\") so no digit is lost"))),
        }
    }

    pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        decimal(Raw::deserialize(d)?).map(Some)
    }

    pub fn map<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BTreeMap<String, Decimal>>, D::Error> {
        let raw = BTreeMap::<String, Raw>::deserialize(d)?;
        raw.into_iter().map(|(k, v)| decimal(v).map(|v| (k, v))).collect::<Result<_, _>>().map(Some)
    }
}
