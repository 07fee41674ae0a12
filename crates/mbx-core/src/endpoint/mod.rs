//! Endpoint metadata: method, path, security type and request weight of Binance's spot REST API.
//!
//! Callers use it to know whether a call must carry `X-MBX-APIKEY` and a signature, and what it
//! costs against the `REQUEST_WEIGHT` limit, before sending anything.
//!
//! ```
//! use mbx_core::endpoint::{self, Method, Security};
//! let e = endpoint::find(Method::Post, "/api/v3/order").unwrap();
//! assert_eq!(e.security, Security::Trade);
//! assert!(e.security.needs_signature());
//! assert_eq!(e.weight_for(&mbx_core::Params::new()), 1);
//! ```

mod spot;

pub use spot::SPOT;

use crate::Params;

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: parameters go in the query string.
    Get,
    /// `POST`: parameters may go in the query string or a form body.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method name as sent (`"GET"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(s: &str) -> Option<Method> {
        match s.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The security type shown next to each endpoint's name in the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Security {
    /// Public market data: no key, no signature.
    None,
    /// Placing and cancelling orders: key and signature, key needs TRADE permission.
    Trade,
    /// Private account data: key and signature.
    UserData,
    /// User data stream management. The (retired) listenKey REST endpoints take the API key only, no
    /// signature or timestamp: their parameter tables list neither.
    UserStream,
}

impl Security {
    /// Whether the request must carry `X-MBX-APIKEY`.
    pub const fn needs_api_key(self) -> bool {
        !matches!(self, Security::None)
    }

    /// Whether the request must carry `timestamp` and `signature`.
    pub const fn needs_signature(self) -> bool {
        matches!(self, Security::Trade | Security::UserData)
    }

    /// The docs' spelling (`USER_DATA`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Security::None => "NONE",
            Security::Trade => "TRADE",
            Security::UserData => "USER_DATA",
            Security::UserStream => "USER_STREAM",
        }
    }
}

/// How much an endpoint costs against `REQUEST_WEIGHT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Always this much.
    Fixed(u32),
    /// Depends on the `limit` parameter: the first row whose upper bound (inclusive) is at least the
    /// limit gives the weight; `default_limit` applies when `limit` is absent.
    ByLimit {
        /// The limit Binance assumes when none is sent.
        default_limit: u32,
        /// `(largest limit, weight)` rows in increasing order.
        steps: &'static [(u32, u32)],
    },
    /// Depends on the symbols asked for: `symbol` given, `symbols` given (per-count rows as in
    /// `ByLimit`), or neither (all symbols).
    BySymbols {
        /// Weight with a single `symbol`.
        single: u32,
        /// `(largest number of symbols, weight)` rows for `symbols=[...]`.
        list: &'static [(u32, u32)],
        /// Weight when neither is sent.
        all: u32,
    },
    /// `per` for each symbol asked (`symbol` counts one, `symbols=[...]` its length), at most `cap`; `cap`
    /// when neither is sent.
    PerSymbol {
        /// Weight per symbol.
        per: u32,
        /// Largest weight.
        cap: u32,
    },
    /// Depends on whether `symbol` is sent: `with` when it is, `without` otherwise.
    BySymbolPresence {
        /// Weight with `symbol`.
        with: u32,
        /// Weight without `symbol`.
        without: u32,
    },
}

/// One REST endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// Short title from the docs, e.g. `"New order"`.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path under the base URL, e.g. `/api/v3/order`.
    pub path: &'static str,
    /// Security type.
    pub security: Security,
    /// Request weight.
    pub weight: Weight,
}

impl Endpoint {
    /// The request weight of a call with these parameters.
    pub fn weight_for(&self, params: &Params) -> u32 {
        fn step(steps: &[(u32, u32)], n: u32) -> u32 {
            steps.iter().find(|(max, _)| n <= *max).or(steps.last()).map_or(1, |(_, w)| *w)
        }
        match self.weight {
            Weight::Fixed(w) => w,
            Weight::ByLimit { default_limit, steps } => {
                let limit = params.get("limit").and_then(|l| l.parse().ok()).unwrap_or(default_limit);
                step(steps, limit)
            }
            Weight::BySymbols { single, list, all } => {
                if params.contains("symbol") {
                    single
                } else if let Some(symbols) = params.get("symbols") {
                    let n = serde_json::from_str::<Vec<serde_json::Value>>(symbols).map_or(1, |v| v.len());
                    step(list, u32::try_from(n).unwrap_or(u32::MAX))
                } else {
                    all
                }
            }
            Weight::PerSymbol { per, cap } => {
                let n = if params.contains("symbol") {
                    1
                } else if let Some(symbols) = params.get("symbols") {
                    serde_json::from_str::<Vec<serde_json::Value>>(symbols).map_or(1, |v| v.len())
                } else {
                    return cap;
                };
                u32::try_from(n).unwrap_or(u32::MAX).saturating_mul(per).min(cap)
            }
            Weight::BySymbolPresence { with, without } => {
                if params.contains("symbol") {
                    with
                } else {
                    without
                }
            }
        }
    }
}

/// Finds the spot endpoint with this method and path.
pub fn find(method: Method, path: &str) -> Option<&'static Endpoint> {
    SPOT.iter().find(|e| e.method == method && e.path == path)
}

/// Every spot endpoint at this path, whatever the method.
pub fn at_path(path: &str) -> impl Iterator<Item = &'static Endpoint> + '_ {
    SPOT.iter().filter(move |e| e.path == path)
}
