//! The endpoint table: every spot endpoint's method, path, security type, request weight, the
//! parameters it reads, the orders it counts, and its WebSocket API method name. It is the one place
//! these facts are written: the sandbox routes and answers `-1104` by it, the WebSocket API finds its
//! methods in it, the doctor checks parameters against it, and the client and `mbx call` sign by it.
//!
//! ```
//! use mbx_core::endpoint::{self, Method, Security, spot};
//! let e = endpoint::find(Method::Post, "/api/v3/order").unwrap();
//! assert_eq!(e, &spot::NEW_ORDER);
//! assert_eq!(e.security, Security::Trade);
//! assert!(e.security.needs_signature());
//! assert_eq!(e.weight_for(&mbx_core::Params::new()), 1);
//! assert!(e.reads("timeInForce") && e.reads("timestamp") && !e.reads("timeInforce"));
//! assert_eq!(endpoint::ws_method("order.place"), Some(&spot::NEW_ORDER));
//! ```

pub mod sapi;
pub mod spot;

pub use sapi::SAPI;
pub use spot::{SPOT, WS_SESSION};

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
        // Compared in place: an upper-cased copy cost an allocation on every sandbox request.
        [Method::Get, Method::Post, Method::Put, Method::Delete]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
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
    /// Depends on whether the parameter `param` is sent: `with` when it is, `without` otherwise
    /// (`myPreventedMatches`: light by `preventedMatchId`, heavy by `orderId`).
    ByParamPresence {
        /// The parameter that decides.
        param: &'static str,
        /// Weight with `param`.
        with: u32,
        /// Weight without `param`.
        without: u32,
    },
}

/// The type of a parameter's value, as the docs' "Type" column gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `STRING`.
    Str,
    /// `ENUM`: one of the names in enums.md.
    Enum,
    /// `DECIMAL`: a decimal number sent as text.
    Decimal,
    /// `INT`.
    Int,
    /// `LONG`.
    Long,
    /// `BOOLEAN`.
    Bool,
    /// `ARRAY OF STRING`: a JSON array of strings.
    StrArray,
}

impl Kind {
    /// The docs' spelling (`DECIMAL`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Str => "STRING",
            Kind::Enum => "ENUM",
            Kind::Decimal => "DECIMAL",
            Kind::Int => "INT",
            Kind::Long => "LONG",
            Kind::Bool => "BOOLEAN",
            Kind::StrArray => "ARRAY OF STRING",
        }
    }
}

/// Whether a parameter must be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Always (`-1102` when missing).
    Mandatory,
    /// Never.
    Optional,
    /// One of these names must be sent (this parameter among them).
    OneOf(&'static [&'static str]),
    /// Mandatory under the condition named (in words), optional otherwise.
    When(&'static str),
}

impl Presence {
    /// Whether the parameter is mandatory in every request.
    pub const fn is_mandatory(self) -> bool {
        matches!(self, Presence::Mandatory)
    }
}

/// One parameter an endpoint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param {
    /// Its name, exactly as sent (`timeInForce`).
    pub name: &'static str,
    /// The type of its value.
    pub kind: Kind,
    /// Whether it must be sent.
    pub presence: Presence,
}

impl Param {
    /// Whether its value is a JSON array of strings (`symbols=["BTCUSDT","BNBUSDT"]`): an `ARRAY OF
    /// STRING`, and `symbols` everywhere (the docs type it `STRING` on some endpoints, but Binance
    /// reads a JSON array on all of them).
    ///
    /// ```
    /// use mbx_core::endpoint::{self, Method};
    /// let price = endpoint::find(Method::Get, "/api/v3/ticker/price").unwrap();
    /// assert!(price.param("symbols").unwrap().is_json_array());
    /// assert!(!price.param("symbol").unwrap().is_json_array());
    /// ```
    pub fn is_json_array(&self) -> bool {
        self.name == "symbols" || self.kind == Kind::StrArray
    }
}

/// Parameters every endpoint that needs a signature reads besides its own.
pub const SIGNED_PARAMS: &[&str] = &["recvWindow", "timestamp"];

/// What the WebSocket API reads besides a signed endpoint's parameters: the key and the signature
/// travel in `params`.
pub const WS_SIGNED_PARAMS: &[&str] = &["apiKey", "signature"];

/// Parameters any WebSocket API request may carry besides its method's (signed with the others when
/// the request is signed).
pub const WS_REQUEST_PARAMS: &[&str] = &["returnRateLimits"];

/// Parameters an endpoint's docs forbid together: none of `these` with any of `with` (`-1128`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exclusion {
    /// One side.
    pub these: &'static [&'static str],
    /// The other side.
    pub with: &'static [&'static str],
    /// Why, and what to send instead: the sandbox's hint and the doctor's finding.
    pub hint: &'static str,
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
    /// The parameters it reads besides [`SIGNED_PARAMS`], in groups (an endpoint that reads all of
    /// another's parameters and more names that one's group, then its own).
    pub params: &'static [&'static [Param]],
    /// How many orders a call adds to the unfilled order count (the `ORDERS` limits); 0 for an
    /// endpoint that does not count.
    pub orders: u8,
    /// Its WebSocket API method name(s).
    pub ws: &'static [&'static str],
}

impl Endpoint {
    /// Every parameter it reads besides [`SIGNED_PARAMS`], in the docs' order.
    pub fn params(&self) -> impl Iterator<Item = &'static Param> + use<> {
        self.params.iter().flat_map(|g| g.iter())
    }

    /// The parameter named `name`, if the endpoint reads it (not [`SIGNED_PARAMS`]).
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params().find(|p| p.name == name)
    }

    /// The parameter `name` was most likely meant to be, for a name the endpoint does not read: the
    /// one that differs only in letter case, else one that ends with it (`clientOrderId` for
    /// `origClientOrderId`), else the nearest within 3 edits.
    ///
    /// ```
    /// use mbx_core::endpoint::{self, Method};
    /// let query = endpoint::find(Method::Get, "/api/v3/order").unwrap();
    /// assert_eq!(query.meant("clientOrderId").map(|p| p.name), Some("origClientOrderId"));
    /// assert_eq!(query.meant("orderid").map(|p| p.name), Some("orderId"));
    /// assert!(query.meant("price").is_none());
    /// let replace = endpoint::find(Method::Post, "/api/v3/order/cancelReplace").unwrap();
    /// assert_eq!(replace.meant("orderId").map(|p| p.name), Some("cancelOrderId"));
    /// ```
    pub fn meant(&self, name: &str) -> Option<&'static Param> {
        let lower = name.to_ascii_lowercase();
        self.params()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .or_else(|| {
                // Of several that end so (`orderId` on a cancel-replace: `cancelOrderId`,
                // `newClientOrderId`), the one with least before it.
                self.params()
                    .filter(|p| name.len() >= 5 && p.name.to_ascii_lowercase().ends_with(&lower))
                    .min_by_key(|p| p.name.len())
            })
            .or_else(|| {
                self.params()
                    .map(|p| (distance(&p.name.to_ascii_lowercase(), &lower), p))
                    .filter(|(d, _)| *d <= 3)
                    .min_by_key(|(d, _)| *d)
                    .map(|(_, p)| p)
            })
    }

    /// Whether the endpoint reads a parameter named `name` (its own, and [`SIGNED_PARAMS`] when it
    /// needs a signature). Names are case-sensitive, as Binance reads them.
    pub fn reads(&self, name: &str) -> bool {
        self.param(name).is_some() || (self.security.needs_signature() && SIGNED_PARAMS.contains(&name))
    }

    /// Whether it places (or tests) a new order from its parameters: `POST /api/v3/order`,
    /// `order/test`, `order/cancelReplace`, `sor/order` and `sor/order/test`, whose order terms
    /// [`crate::order::read_new_order`] reads.
    ///
    /// ```
    /// use mbx_core::endpoint::{self, Method};
    /// assert!(endpoint::find(Method::Post, "/api/v3/sor/order/test").unwrap().reads_new_order());
    /// assert!(!endpoint::find(Method::Delete, "/api/v3/order").unwrap().reads_new_order());
    /// ```
    pub fn reads_new_order(&self) -> bool {
        spot::reads_new_order(self)
    }

    /// The two parameters of which the endpoint needs at least one ([`crate::order::either`]), in
    /// the order Binance's `-1102` names them: an order by `orderId` or `origClientOrderId` (query,
    /// cancel, amend), the order a cancel-replace cancels, an order list, a prevented match, the
    /// symbols of the tickers that have no all-symbols form (`ticker`, `ticker/tradingDay`).
    ///
    /// ```
    /// use mbx_core::endpoint::{self, Method};
    /// let cancel = endpoint::find(Method::Delete, "/api/v3/order").unwrap();
    /// assert_eq!(cancel.either_of(), Some(["origClientOrderId", "orderId"]));
    /// assert!(endpoint::find(Method::Post, "/api/v3/order").unwrap().either_of().is_none());
    /// ```
    pub fn either_of(&self) -> Option<[&'static str; 2]> {
        spot::either_of(self)
    }

    /// The parameters its docs forbid together (`-1128`, [`crate::order::combinations`]): `fromId`
    /// with a time on `aggTrades`, `allOrderList` and `myTrades`, `orderId` with a time on
    /// `myTrades`, and the like. `symbol` with `symbols` is forbidden everywhere and not listed.
    ///
    /// ```
    /// use mbx_core::endpoint::{self, Method};
    /// let trades = endpoint::find(Method::Get, "/api/v3/myTrades").unwrap();
    /// assert!(trades.exclusions().iter().any(|x| x.these == ["fromId"] && x.with.contains(&"startTime")));
    /// assert!(endpoint::find(Method::Get, "/api/v3/depth").unwrap().exclusions().is_empty());
    /// ```
    pub fn exclusions(&self) -> &'static [Exclusion] {
        spot::exclusions(self)
    }

    /// The names among `names` the endpoint does not read, in the order given: what Binance answers
    /// `-1104` for over REST. Binance's SAPI answers no `-1104`: nothing is unread there.
    pub fn unread<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        if Family::of(self.path) == Some(Family::Sapi) {
            return Vec::new();
        }
        names.into_iter().filter(|n| !self.reads(n)).collect()
    }

    /// Its mandatory parameters (always needed), in the docs' order.
    pub fn mandatory(&self) -> impl Iterator<Item = &'static Param> + use<> {
        self.params().filter(|p| p.presence.is_mandatory())
    }

    /// Whether a call counts toward the `ORDERS` rate limits.
    pub const fn counts_orders(&self) -> bool {
        self.orders > 0
    }
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
            Weight::ByParamPresence { param, with, without } => {
                if params.contains(param) {
                    with
                } else {
                    without
                }
            }
        }
    }
}

/// A WebSocket API method that has no REST form (session and user data stream methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WsSession {
    /// The method name (`session.logon`).
    pub name: &'static str,
    /// Its security type.
    pub security: Security,
    /// Its request weight.
    pub weight: u32,
    /// The parameters it reads besides [`SIGNED_PARAMS`] and [`WS_SIGNED_PARAMS`].
    pub params: &'static [Param],
}

/// An endpoint Binance spot has retired: it now answers HTTP 404, as for a path that does not exist
/// (Binance.US still serves it).
#[derive(Debug)]
pub struct Retirement {
    /// The endpoint, as it was.
    pub endpoint: &'static Endpoint,
    /// Its WebSocket API method, retired with it.
    pub ws: &'static str,
    /// The day Binance spot stopped serving it.
    pub on: &'static str,
    /// What to use instead.
    pub instead: &'static str,
}

impl Retirement {
    /// One sentence: what was retired and when.
    pub fn title(&self) -> String {
        format!(
            "{} {} was retired by Binance spot on {} and now answers 404",
            self.endpoint.method, self.endpoint.path, self.on
        )
    }

    /// What to do instead, as a sentence.
    pub fn fix(&self) -> String {
        let mut c = self.instead.chars();
        let instead: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        format!("{instead}. (Binance.US still serves it.)")
    }
}

/// The retirement of the WebSocket API method `name`, if Binance spot retired it.
///
/// ```
/// use mbx_core::endpoint::ws_retirement;
/// assert_eq!(ws_retirement("userDataStream.start").unwrap().on, "2026-02-20");
/// assert!(ws_retirement("userDataStream.subscribe").is_none());
/// ```
pub fn ws_retirement(name: &str) -> Option<&'static Retirement> {
    spot::RETIRED.iter().find(|r| r.ws == name)
}

/// Whether a successful request to `e` weighs nothing ([`spot::FREE_ON_SUCCESS`]).
///
/// ```
/// use mbx_core::endpoint::{free_on_success, spot};
/// assert!(free_on_success(&spot::NEW_ORDER));
/// assert!(!free_on_success(&spot::TEST_ORDER));
/// ```
pub fn free_on_success(e: &Endpoint) -> bool {
    spot::FREE_ON_SUCCESS.iter().any(|f| std::ptr::eq(*f, e))
}

/// The retirement of the spot endpoint with this method and path, if Binance spot retired it.
///
/// ```
/// use mbx_core::endpoint::{Method, retirement};
/// assert!(retirement(Method::Post, "/api/v3/userDataStream").is_some());
/// assert!(retirement(Method::Post, "/api/v3/order").is_none());
/// ```
pub fn retirement(method: Method, path: &str) -> Option<&'static Retirement> {
    spot::RETIRED.iter().find(|r| r.endpoint.method == method && r.endpoint.path == path)
}

/// A request to a spot path (`/api/v3/...`) that no row of the table serves with its method, and was
/// not retired ([`retirement`]): Binance answers 405 when the path takes other methods, 404 when it
/// has no such path. The doctor's finding and the sandbox's hint both read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrouted {
    /// 404 or 405.
    pub status: u16,
    /// What is wrong, as a sentence (without the final period).
    pub title: String,
    /// What to send instead, as a sentence.
    pub fix: String,
}

/// What Binance answers to `method path` when the spot table has no row for it (see [`Unrouted`]);
/// `None` for a served or retired endpoint, and for a path outside `/api/` (SAPI and the rest are
/// larger than this table). Under `/api/` only `/api/v3/` is served, in that case.
///
/// ```
/// use mbx_core::endpoint::unrouted;
/// assert_eq!(unrouted("POST", "/api/v3/account").unwrap().status, 405);
/// assert!(unrouted("GET", "/api/v1/ticker/price").unwrap().title.contains("nearest path is /api/v3/ticker/price"));
/// assert!(unrouted("GET", "/API/V3/ACCOUNT").unwrap().title.contains("nearest path is /api/v3/account"));
/// assert!(unrouted("GET", "/sapi/v1/capital/config/getall").is_none());
/// let typo = unrouted("GET", "/api/v3/openOrder").unwrap();
/// assert_eq!(typo.status, 404);
/// assert!(typo.title.contains("/api/v3/openOrders"));
/// assert!(unrouted("GET", "/api/v3/account").is_none());
/// assert!(unrouted("GET", "/account").unwrap().title.contains("the endpoint is /api/v3/account"));
/// assert!(unrouted("GET", "/v3/account").unwrap().title.contains("the endpoint is /api/v3/account"));
/// assert_eq!(unrouted("GET", "/api/v3/account/").unwrap().status, 404);
/// // Futures on spot's host; a retired endpoint as the nearest path.
/// assert!(unrouted("POST", "/fapi/v1/order").unwrap().title.contains("served at fapi.binance.com"));
/// assert!(unrouted("POST", "/api/v1/userDataStream").unwrap().title.contains("was retired"));
/// ```
pub fn unrouted(method: &str, path: &str) -> Option<Unrouted> {
    let parsed = Method::parse(method);
    // Another product's path, which another host serves (futures, options, portfolio margin).
    if let Some((product, host)) = Family::of(path).and_then(Family::served_at) {
        return Some(Unrouted {
            status: 404,
            title: format!(
                "{path} is a {product} path, served at {host}: Binance spot's host does not serve it"
            ),
            fix: format!(
                "Send it to https://{host} (with a key that has {product} enabled), or use the spot endpoint if spot is what you meant."
            ),
        });
    }
    // Every path under /api/ is Binance spot's (/api/v3/ in any other case or version is not
    // served), and so is a path under none of the other products' prefixes (SAPI and the rest,
    // which the table does not hold): the spot host serves nothing else.
    let spot = path.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("/api/")) || Family::of(path).is_none();
    if !spot || parsed.is_some_and(|m| find(m, path).is_some() || retirement(m, path).is_some()) {
        return None;
    }
    // A spot path with its base left out or doubled: a client that joins a base URL ending in
    // /api/v3/ with a path that starts with '/' keeps only the path (aiohttp's base_url, urljoin).
    let trimmed = path.trim_end_matches('/');
    let rebased = [format!("/api/v3{trimmed}"), format!("/api{trimmed}"), trimmed.to_owned()]
        .into_iter()
        .find(|p| p != path && SPOT.iter().any(|e| e.path == p.as_str()));
    if let Some(p) = rebased {
        return Some(Unrouted {
            status: 404,
            title: format!("Binance spot has no endpoint {method} {path}: the endpoint is {p}"),
            fix: if p.ends_with(trimmed) && trimmed.len() < p.len() {
                format!(
                    "Send it to {p}. A client that joins a base URL ending in /api/v3/ with a path that starts with '/' drops the base (aiohttp's base_url, urljoin): give the path without its leading '/', or the whole path."
                )
            } else {
                format!("Send it to {p}, without the trailing '/'.")
            },
        });
    }
    let others: Vec<&Endpoint> = SPOT.iter().copied().filter(|e| e.path == path).collect();
    if let [first, ..] = others[..] {
        let methods: Vec<&str> = others.iter().map(|e| e.method.as_str()).collect();
        return Some(Unrouted {
            status: 405,
            title: format!("{path} exists but does not take {method}: it takes {}", methods.join(", ")),
            fix: if others.len() == 1 {
                format!("Send it as {} {path} ({}).", first.method, first.name)
            } else {
                format!(
                    "Send it with the method of what you mean: {}.",
                    others
                        .iter()
                        .map(|e| format!("{} {} ({})", e.method, e.path, e.name))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            },
        });
    }
    // The nearest path; a retired one (the listenKey endpoints) says so, with what to use instead.
    let nearest = SPOT
        .iter()
        .map(|e| (distance(&e.path.to_ascii_lowercase(), &path.to_ascii_lowercase()), e.path))
        .min()
        .filter(|(n, _)| *n <= 4)
        .map(|(_, p)| p);
    let retired_nearest = nearest.and_then(|p| {
        let same_method = parsed.and_then(|m| retirement(m, p));
        same_method.or_else(|| spot::RETIRED.iter().find(|r| r.endpoint.path == p))
    });
    if let Some(r) = retired_nearest {
        return Some(Unrouted {
            status: 404,
            title: format!("Binance spot has no endpoint {method} {path}, and the nearest, {}", r.title()),
            fix: r.fix(),
        });
    }
    Some(Unrouted {
        status: 404,
        title: match nearest {
            Some(p) => format!("Binance spot has no endpoint {method} {path} (the nearest path is {p})"),
            None => format!("Binance spot has no endpoint {method} {path}"),
        },
        fix: "Check the path against rest-api.md: paths are case-sensitive (/api/v3/openOrders, /api/v3/allOrders).".to_owned(),
    })
}

/// The edit distance between `a` and `b` (insertions, deletions and substitutions of characters):
/// how near a misspelled name is to a real one.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Finds the endpoint with this method and path: a spot one, or one of the few [`SAPI`] rows.
pub fn find(method: Method, path: &str) -> Option<&'static Endpoint> {
    rows().find(|e| e.method == method && e.path == path)
}

/// Every endpoint at this path, whatever the method.
pub fn at_path(path: &str) -> impl Iterator<Item = &'static Endpoint> + '_ {
    rows().filter(move |e| e.path == path)
}

/// Every row of the table: [`SPOT`], then [`SAPI`].
fn rows() -> impl Iterator<Item = &'static Endpoint> {
    SPOT.iter().chain(SAPI).copied()
}

/// The endpoint behind a WebSocket API method (`order.place`), with or without the `v3/` prefix the
/// API also accepts. `None` for a session method ([`ws_session`]) or an unknown name.
pub fn ws_method(name: &str) -> Option<&'static Endpoint> {
    let name = name.strip_prefix("v3/").unwrap_or(name);
    SPOT.iter().copied().find(|e| e.ws.contains(&name))
}

/// The WebSocket API session method called `name`.
pub fn ws_session(name: &str) -> Option<&'static WsSession> {
    let name = name.strip_prefix("v3/").unwrap_or(name);
    WS_SESSION.iter().find(|m| m.name == name)
}

/// An API family outside the spot table, by path prefix, and how its endpoints are secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `/sapi/`: wallet, margin, sub-account and the other SAPI products.
    Sapi,
    /// `/papi/`: portfolio margin.
    Papi,
    /// `/fapi/`: USD-M futures.
    Fapi,
    /// `/dapi/`: COIN-M futures.
    Dapi,
    /// `/eapi/`: options.
    Eapi,
}

/// What `venue` answers to a path it does not serve although Binance's own host does: the Spot Test
/// Network serves only `/api/` paths (its FAQ: "only the `/api` endpoints are available"), so
/// SAPI and every other product's path is 404 there. `None` where the venue serves the path's
/// family (or the question is [`unrouted`]'s).
///
/// ```
/// use mbx_core::venue::Venue;
/// use mbx_core::endpoint::unserved_on;
/// let u = unserved_on(Venue::SpotTestnet, "/sapi/v1/capital/config/getall").unwrap();
/// assert_eq!(u.status, 404);
/// assert!(u.title.contains("only /api/"));
/// assert!(unserved_on(Venue::Binance, "/sapi/v1/capital/config/getall").is_none());
/// assert!(unserved_on(Venue::SpotTestnet, "/api/v3/account").is_none());
/// ```
pub fn unserved_on(venue: crate::venue::Venue, path: &str) -> Option<Unrouted> {
    if venue != crate::venue::Venue::SpotTestnet {
        return None;
    }
    let family = Family::of(path)?;
    let prefix = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    let instead = if family == Family::Sapi {
        "; SAPI (wallet, capital, margin, sub-accounts) exists only on live Binance: test the /api/v3 endpoints on the testnet (balances: GET /api/v3/account), and call SAPI with a live key"
    } else {
        ""
    };
    Some(Unrouted {
        status: 404,
        title: format!("the Spot Test Network serves only /api/ paths, and {path} is a /{prefix}/ path"),
        fix: format!("Send it to Binance's own host{instead}."),
    })
}

/// SAPI and PAPI paths that are public although their family signs everything else (Binance's
/// wallet and portfolio margin docs list these as `NONE`).
const FAMILY_PUBLIC: &[&str] = &["/sapi/v1/system/status", "/papi/v1/ping"];

impl Family {
    /// The family of `path`, if it is one of the non-spot APIs.
    pub fn of(path: &str) -> Option<Family> {
        let prefix = path.trim_start_matches('/').split('/').next()?;
        Some(match prefix {
            "sapi" => Family::Sapi,
            "papi" => Family::Papi,
            "fapi" => Family::Fapi,
            "dapi" => Family::Dapi,
            "eapi" => Family::Eapi,
            _ => return None,
        })
    }

    /// The product, in words (`USDⓈ-M futures`), for the families Binance serves from another host
    /// than spot's, and that host; `None` for SAPI, which spot's host serves.
    pub const fn served_at(self) -> Option<(&'static str, &'static str)> {
        match self {
            Family::Sapi => None,
            Family::Papi => Some(("portfolio margin", "papi.binance.com")),
            Family::Fapi => Some(("USDⓈ-M futures", "fapi.binance.com")),
            Family::Dapi => Some(("COIN-M futures", "dapi.binance.com")),
            Family::Eapi => Some(("options", "eapi.binance.com")),
        }
    }

    /// Whether the family signs every endpoint but a few public ones. Binance's SAPI and portfolio
    /// margin docs mark nearly every endpoint `USER_DATA` or `TRADE`; the futures and options APIs
    /// have public market data endpoints throughout, so nothing is assumed there.
    pub const fn signs_by_default(self) -> bool {
        matches!(self, Family::Sapi | Family::Papi)
    }
}

/// Whether a call to `method path` must be signed: by the spot table, then by the family rule for
/// paths outside it ([`Family::signs_by_default`]). `None` when neither knows: the caller decides
/// (`mbx call --signed`).
///
/// ```
/// use mbx_core::endpoint::{Method, needs_signature};
/// assert_eq!(needs_signature(Method::Get, "/api/v3/account"), Some(true));
/// assert_eq!(needs_signature(Method::Get, "/api/v3/depth"), Some(false));
/// assert_eq!(needs_signature(Method::Get, "/sapi/v1/capital/config/getall"), Some(true));
/// assert_eq!(needs_signature(Method::Get, "/sapi/v1/system/status"), Some(false));
/// assert_eq!(needs_signature(Method::Get, "/fapi/v1/depth"), None);
/// ```
pub fn needs_signature(method: Method, path: &str) -> Option<bool> {
    if let Some(e) = find(method, path) {
        return Some(e.security.needs_signature());
    }
    if at_path(path).next().is_some() {
        // A spot path called with a method it does not take: Binance answers it unsigned or not.
        return None;
    }
    let family = Family::of(path)?;
    family.signs_by_default().then(|| !FAMILY_PUBLIC.contains(&path))
}
