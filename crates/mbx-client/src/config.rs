//! Where a [`crate::Client`] sends requests.

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
            Environment::Binance => "https://api.binance.com",
            Environment::BinanceUs => "https://api.binance.us",
            Environment::SpotTestnet => "https://testnet.binance.vision",
            Environment::Demo => "https://demo-api.binance.com",
            Environment::Sandbox => "http://127.0.0.1:9900",
            Environment::Custom(url) => url,
        }
    }

    /// Parses a preset name (`binance`, `us`, `testnet`, `demo`, `sandbox`) or a URL.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "binance" => Environment::Binance,
            "us" | "binance-us" => Environment::BinanceUs,
            "testnet" => Environment::SpotTestnet,
            "demo" => Environment::Demo,
            "sandbox" => Environment::Sandbox,
            url if url.starts_with("http://") || url.starts_with("https://") => Environment::custom(url),
            _ => return None,
        })
    }
}
