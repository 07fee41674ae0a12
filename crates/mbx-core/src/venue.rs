//! [`Venue`]: the Binance environments a key belongs to, and the hosts that serve each.
//!
//! A key pair is issued by one environment and known only there: a Spot Testnet key sent to
//! `api.binance.com` is an unknown key (`-2015`), and so is a live key sent to the testnet.
//!
//! ```
//! use mbx_core::venue::Venue;
//! assert_eq!(Venue::of_host("testnet.binance.vision"), Some(Venue::SpotTestnet));
//! assert_eq!(Venue::of_host("api3.binance.com:443"), Some(Venue::Binance));
//! assert_eq!(Venue::of_host("ws-api.binance.com"), Some(Venue::Binance));
//! assert_eq!(Venue::parse("testnet"), Some(Venue::SpotTestnet));
//! assert_eq!(Venue::Demo.rest_url(), "https://demo-api.binance.com");
//! assert_eq!(Venue::Binance.stream_url(), "wss://stream.binance.com:9443");
//! assert_eq!(Venue::SpotTestnet.ws_api_url(), "wss://ws-api.testnet.binance.vision/ws-api/v3");
//! ```

use std::fmt;

/// A Binance environment (its own accounts and keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Venue {
    /// Binance spot.
    Binance,
    /// Binance.US.
    BinanceUs,
    /// The spot testnet.
    SpotTestnet,
    /// Binance's demo trading.
    Demo,
    /// The mbx sandbox (any loopback address).
    Sandbox,
}

impl Venue {
    /// Every venue.
    pub const ALL: [Venue; 5] =
        [Venue::Binance, Venue::BinanceUs, Venue::SpotTestnet, Venue::Demo, Venue::Sandbox];

    /// The REST base URL, without a trailing `/`.
    pub const fn rest_url(self) -> &'static str {
        match self {
            Venue::Binance => "https://api.binance.com",
            Venue::BinanceUs => "https://api.binance.us",
            Venue::SpotTestnet => "https://testnet.binance.vision",
            Venue::Demo => "https://demo-api.binance.com",
            Venue::Sandbox => "http://127.0.0.1:9900",
        }
    }

    /// The market streams' base URL (`/ws/<stream>`, `/stream?streams=..` below it), without a
    /// trailing `/`. The sandbox serves them on its REST port.
    pub const fn stream_url(self) -> &'static str {
        match self {
            Venue::Binance => "wss://stream.binance.com:9443",
            Venue::BinanceUs => "wss://stream.binance.us:9443",
            Venue::SpotTestnet => "wss://stream.testnet.binance.vision",
            Venue::Demo => "wss://demo-stream.binance.com",
            Venue::Sandbox => "ws://127.0.0.1:9900",
        }
    }

    /// The WebSocket API's URL. The sandbox serves it on its REST port.
    pub const fn ws_api_url(self) -> &'static str {
        match self {
            Venue::Binance => "wss://ws-api.binance.com:443/ws-api/v3",
            Venue::BinanceUs => "wss://ws-api.binance.us:443/ws-api/v3",
            Venue::SpotTestnet => "wss://ws-api.testnet.binance.vision/ws-api/v3",
            Venue::Demo => "wss://demo-ws-api.binance.com/ws-api/v3",
            Venue::Sandbox => "ws://127.0.0.1:9900/ws-api/v3",
        }
    }

    /// The preset's name, as `--env` and config profiles spell it.
    pub const fn name(self) -> &'static str {
        match self {
            Venue::Binance => "binance",
            Venue::BinanceUs => "us",
            Venue::SpotTestnet => "testnet",
            Venue::Demo => "demo",
            Venue::Sandbox => "sandbox",
        }
    }

    /// In words, e.g. `"Spot Testnet (testnet.binance.vision)"`.
    pub const fn title(self) -> &'static str {
        match self {
            Venue::Binance => "live Binance (api.binance.com)",
            Venue::BinanceUs => "Binance.US (api.binance.us)",
            Venue::SpotTestnet => "the Spot Testnet (testnet.binance.vision)",
            Venue::Demo => "Binance demo trading (demo-api.binance.com)",
            Venue::Sandbox => "the mbx sandbox",
        }
    }

    /// Parses a preset name (`binance`, `us`, `testnet`, `demo`, `sandbox`) or a URL of a known host.
    pub fn parse(s: &str) -> Option<Venue> {
        match s {
            "binance" | "live" => Some(Venue::Binance),
            "us" | "binance-us" => Some(Venue::BinanceUs),
            "testnet" => Some(Venue::SpotTestnet),
            "demo" => Some(Venue::Demo),
            "sandbox" => Some(Venue::Sandbox),
            url => {
                let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
                let rest = rest.strip_prefix("wss://").unwrap_or(rest);
                Venue::of_host(rest.split('/').next().unwrap_or(rest))
            }
        }
    }

    /// The venue a host (REST, WebSocket API or streams; with or without a port, or a whole URL)
    /// belongs to.
    ///
    /// ```
    /// use mbx_core::venue::Venue;
    /// assert_eq!(Venue::of_host("wss://ws-api.testnet.binance.vision/ws-api/v3"), Some(Venue::SpotTestnet));
    /// assert_eq!(Venue::of_host("ws-api.binance.com:9443"), Some(Venue::Binance));
    /// ```
    pub fn of_host(host: &str) -> Option<Venue> {
        let host = host.trim().to_ascii_lowercase();
        // A URL given for its host (`wss://ws-api.binance.com:9443/ws-api/v3`).
        let host = host.split_once("://").map_or(host.as_str(), |(_, rest)| rest);
        let host = host.split(['/', '?']).next().unwrap_or_default().to_owned();
        let host = match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h.to_owned(),
            _ => host,
        };
        let host = host.trim_end_matches('.');
        if host == "localhost" || host.starts_with("127.") || host == "[::1]" {
            return Some(Venue::Sandbox);
        }
        if host.ends_with("binance.vision") {
            // testnet.binance.vision, ws-api.testnet.binance.vision, stream.testnet.binance.vision;
            // data-api.binance.vision is live market data.
            return Some(if host.contains("testnet") { Venue::SpotTestnet } else { Venue::Binance });
        }
        if host.ends_with("binance.us") {
            return Some(Venue::BinanceUs);
        }
        if host.ends_with("binance.com") {
            return Some(if host.starts_with("demo-") || host.starts_with("demo.") {
                Venue::Demo
            } else {
                Venue::Binance
            });
        }
        None
    }
}

impl fmt::Display for Venue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Venue;

    #[test]
    fn hosts_map_to_their_venue() {
        for (host, venue) in [
            ("api.binance.com", Venue::Binance),
            ("api-gcp.binance.com", Venue::Binance),
            ("ws-api.binance.com:9443", Venue::Binance),
            ("demo-api.binance.com", Venue::Demo),
            ("demo-ws-api.binance.com", Venue::Demo),
            ("testnet.binance.vision", Venue::SpotTestnet),
            ("ws-api.testnet.binance.vision", Venue::SpotTestnet),
            ("api.binance.us", Venue::BinanceUs),
            ("127.0.0.1:9900", Venue::Sandbox),
        ] {
            assert_eq!(Venue::of_host(host), Some(venue), "{host}");
        }
        assert_eq!(Venue::of_host("example.com"), None);
        for v in Venue::ALL {
            assert_eq!(Venue::parse(v.name()), Some(v));
            assert_eq!(Venue::parse(v.rest_url()), Some(v));
        }
    }
}
