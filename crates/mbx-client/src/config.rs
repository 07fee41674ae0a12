//! Where a [`crate::Client`] sends requests.

use mbx_core::venue::Venue;

/// A Binance environment: its REST base URL.
///
/// ```
/// use mbx_client::Environment;
/// assert_eq!(Environment::Binance.rest_url(), "https://api.binance.com");
/// assert_eq!(Environment::Sandbox.rest_url(), "http://127.0.0.1:9900");
/// assert_eq!(Environment::custom("http://127.0.0.1:1234/").rest_url(), "http://127.0.0.1:1234");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Environment {
    /// Binance spot, `https://api.binance.com`.
    #[default]
    Binance,
    /// Binance.US, `https://api.binance.us`.
    BinanceUs,
    /// The spot testnet, `https://testnet.binance.vision`.
    SpotTestnet,
    /// Binance's demo mode, `https://demo-api.binance.com`.
    Demo,
    /// The mbx sandbox on its default address, `http://127.0.0.1:9900`.
    Sandbox,
    /// Any other base URL (a sandbox on another port, a proxy, another Binance host).
    Custom(String),
}

impl Environment {
    /// A custom base URL (a trailing `/` is dropped).
    pub fn custom(url: impl Into<String>) -> Self {
        let mut url = url.into();
        while url.ends_with('/') {
            url.pop();
        }
        Environment::Custom(url)
    }

    /// The REST base URL, without a trailing `/`.
    pub fn rest_url(&self) -> &str {
        match self {
            Environment::Custom(url) => url,
            preset => preset.venue().map_or("", Venue::rest_url),
        }
    }

    /// The market streams' base URL: the preset's, or for a custom URL the same host and port
    /// (`http` becomes `ws`, `https` becomes `wss`), where the sandbox serves them.
    ///
    /// ```
    /// use mbx_client::Environment;
    /// assert_eq!(Environment::Binance.stream_url(), "wss://stream.binance.com:9443");
    /// assert_eq!(Environment::custom("http://127.0.0.1:4000").stream_url(), "ws://127.0.0.1:4000");
    /// assert_eq!(Environment::custom("http://127.0.0.1:4000").ws_api_url(), "ws://127.0.0.1:4000/ws-api/v3");
    /// ```
    pub fn stream_url(&self) -> String {
        match self {
            Environment::Custom(url) => websocket_of(url),
            preset => preset.venue().map_or_else(String::new, |v| v.stream_url().to_owned()),
        }
    }

    /// The WebSocket API's URL: the preset's, or for a custom URL `/ws-api/v3` on the same host
    /// and port.
    pub fn ws_api_url(&self) -> String {
        match self {
            Environment::Custom(url) => format!("{}/ws-api/v3", websocket_of(url)),
            preset => preset.venue().map_or_else(String::new, |v| v.ws_api_url().to_owned()),
        }
    }

    /// The venue of a preset, or of a custom URL on a known host.
    pub fn venue(&self) -> Option<Venue> {
        match self {
            Environment::Binance => Some(Venue::Binance),
            Environment::BinanceUs => Some(Venue::BinanceUs),
            Environment::SpotTestnet => Some(Venue::SpotTestnet),
            Environment::Demo => Some(Venue::Demo),
            Environment::Sandbox => Some(Venue::Sandbox),
            Environment::Custom(url) => Venue::parse(url),
        }
    }

    /// Parses a preset name (`binance`, `us`, `testnet`, `demo`, `sandbox`) or a URL.
    pub fn parse(s: &str) -> Option<Self> {
        if s.starts_with("http://") || s.starts_with("https://") {
            return Some(Environment::custom(s));
        }
        Some(match Venue::parse(s)? {
            Venue::Binance => Environment::Binance,
            Venue::BinanceUs => Environment::BinanceUs,
            Venue::SpotTestnet => Environment::SpotTestnet,
            Venue::Demo => Environment::Demo,
            Venue::Sandbox => Environment::Sandbox,
        })
    }
}

/// `url` with its scheme made a WebSocket one (`http` -> `ws`, `https` -> `wss`).
fn websocket_of(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = url.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        url.to_owned()
    }
}
