//! HTTP proxies: which one a client uses, and how its URL and credentials are read.
//!
//! `https://` hosts are reached through a `CONNECT` tunnel (TLS runs end to end through it, so the
//! proxy sees neither the signed query nor the API key); `http://` hosts are asked for in absolute
//! form (`GET http://host/path HTTP/1.1`), as HTTP proxies expect. By default the client follows the
//! usual environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower
//! case), except for loopback hosts (the sandbox), which are reached directly; a proxy given to the
//! builder is used for every host.

use base64::Engine as _;

/// Where a client's proxy comes from. `Debug` shows a proxy URL without its user and password.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) enum ProxySetting {
    /// From the environment (the default).
    #[default]
    Environment,
    /// Never use a proxy.
    Off,
    /// This proxy URL, for every host.
    Url(String),
}

impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxySetting::Environment => f.write_str("Environment"),
            ProxySetting::Off => f.write_str("Off"),
            ProxySetting::Url(url) => {
                // `[scheme://][user[:password]@]host...`: the credentials are cut, the rest shown.
                let after_scheme = url.find("://").map_or(0, |i| i + 3);
                let authority_end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
                match url[after_scheme..authority_end].rfind('@') {
                    Some(at) => write!(
                        f,
                        "Url(\"{}<credentials redacted>{}\")",
                        &url[..after_scheme],
                        &url[after_scheme + at..]
                    ),
                    None => write!(f, "Url({url:?})"),
                }
            }
        }
    }
}

/// A parsed proxy: where to connect and what to authenticate with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    /// Host name or IP address, without brackets.
    pub(crate) host: String,
    /// TCP port (default 80).
    pub(crate) port: u16,
    /// `Proxy-Authorization` value (`Basic ...`), from the URL's user and password.
    pub(crate) authorization: Option<String>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credentials are a secret: only whether there are any.
        f.debug_struct("Proxy")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("authorization", &self.authorization.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Proxy {
    /// Parses `[http://][user[:password]@]host[:port][/]`. Errors name the problem but never repeat
    /// the URL, which may hold a password.
    pub(crate) fn parse(url: &str) -> Result<Proxy, String> {
        let rest = match url.split_once("://") {
            None => url,
            Some(("http" | "HTTP", rest)) => rest,
            Some((scheme, _)) => {
                return Err(format!(
                    "proxy scheme '{scheme}://' is not supported: give an HTTP proxy (http://host:port)"
                ));
            }
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('/') || rest.contains(['?', '#']) {
            return Err("a proxy URL is http://[user:password@]host:port, without a path".into());
        }
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or("the proxy's IPv6 address misses its ']'")?;
            (host, after.strip_prefix(':'))
        } else {
            match hostport.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        if host.is_empty() || !host.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("the proxy URL has no valid host".into());
        }
        let port = match port {
            None => 80,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or("the proxy's port must be a number from 1 to 65535")?,
        };
        let authorization = userinfo.map(|u| {
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            let pair = format!("{}:{}", percent_decode(user), percent_decode(pass));
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
        });
        Ok(Proxy { host: host.to_ascii_lowercase(), port, authorization })
    }
}

/// Decodes `%XX` escapes (user names and passwords in URLs); anything malformed is kept as is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `host` is this machine: always reached directly.
pub(crate) fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `NO_PROXY` (comma-separated host names, domain suffixes with or without a leading dot,
/// IP addresses, or `*`) exempts `host`.
pub(crate) fn no_proxy_matches(no_proxy: &str, host: &str) -> bool {
    no_proxy.split(',').map(|e| e.trim().to_ascii_lowercase()).filter(|e| !e.is_empty()).any(|entry| {
        // A port in the entry is ignored: the exemption is per host.
        let entry = match entry.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') && p.bytes().all(|b| b.is_ascii_digit()) => h.to_owned(),
            _ => entry,
        };
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        entry == "*" || host == entry || host.strip_suffix(entry).is_some_and(|rest| rest.ends_with('.'))
    })
}

/// The proxy for a host (`tls`: whether it is an `https://` host), given how the environment is read.
/// Errors come only from an explicit proxy URL; a proxy variable that cannot be used is reported by the
/// caller as a warning, and the host is reached directly.
pub(crate) fn choose(
    setting: &ProxySetting,
    host: &str,
    tls: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Proxy>, String> {
    match setting {
        ProxySetting::Off => Ok(None),
        ProxySetting::Url(url) => Proxy::parse(url).map(Some),
        // A proxy meant for the outside world must not catch the sandbox on this machine.
        ProxySetting::Environment if is_loopback(host) => Ok(None),
        ProxySetting::Environment => {
            let var = |name: &str| {
                env(name).or_else(|| env(&name.to_ascii_lowercase())).filter(|v| !v.trim().is_empty())
            };
            if var("NO_PROXY").is_some_and(|np| no_proxy_matches(&np, host)) {
                return Ok(None);
            }
            let url = if tls { var("HTTPS_PROXY") } else { var("HTTP_PROXY") }.or_else(|| var("ALL_PROXY"));
            match url {
                None => Ok(None),
                Some(url) => match Proxy::parse(url.trim()) {
                    Ok(p) => Ok(Some(p)),
                    Err(e) => {
                        tracing::warn!("ignoring the proxy from the environment: {e}");
                        Ok(None)
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_setting_debug_cuts_the_credentials_and_keeps_the_host() {
        let shown = |url: &str| format!("{:?}", ProxySetting::Url(url.into()));
        assert_eq!(
            shown("http://alice:s%40cret@proxy.example:3128"),
            r#"Url("http://<credentials redacted>@proxy.example:3128")"#
        );
        assert_eq!(shown("bob:pw@10.0.0.1:8080/"), r#"Url("<credentials redacted>@10.0.0.1:8080/")"#);
        assert_eq!(shown("http://proxy.example:3128/a@b"), r#"Url("http://proxy.example:3128/a@b")"#);
        assert_eq!(format!("{:?}", ProxySetting::Off), "Off");
    }

    #[test]
    fn proxy_urls_parse_with_credentials_and_ports() {
        let p = Proxy::parse("http://alice:s%40cret@Proxy.example:3128/").unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy.example", 3128));
        // "alice:s@cret" in base64.
        assert_eq!(p.authorization.as_deref(), Some("Basic YWxpY2U6c0BjcmV0"));
        assert!(!format!("{p:?}").contains("YWxp"), "credentials never show in Debug");
        let p = Proxy::parse("10.0.0.1:8080").unwrap();
        assert_eq!((p.host.as_str(), p.port, p.authorization), ("10.0.0.1", 8080, None));
        let p = Proxy::parse("http://[fd00::1]").unwrap();
        assert_eq!((p.host.as_str(), p.port), ("fd00::1", 80));
        for bad in
            ["socks5://h:1080", "https://h:443", "http://h:0", "http://h:x", "http://", "http://h/path"]
        {
            let e = Proxy::parse(bad).unwrap_err();
            assert!(!e.contains("h:"), "errors do not repeat the URL: {e}");
        }
        let e = Proxy::parse("http://u:pw@h:99999").unwrap_err();
        assert!(!e.contains("pw"), "{e}");
    }

    #[test]
    fn no_proxy_matches_hosts_and_domain_suffixes() {
        let list = "localhost, .internal.example,binance.com:443, 10.1.2.3";
        assert!(no_proxy_matches(list, "api.binance.com"));
        assert!(no_proxy_matches(list, "binance.com"));
        assert!(no_proxy_matches(list, "a.internal.example"));
        assert!(no_proxy_matches(list, "10.1.2.3"));
        assert!(!no_proxy_matches(list, "notbinance.com"));
        assert!(!no_proxy_matches(list, "api.binance.us"));
        assert!(no_proxy_matches("*", "anything.example"));
        assert!(!no_proxy_matches("", "api.binance.com"));
    }

    #[test]
    fn the_environment_picks_the_proxy_by_scheme_and_loopback_is_direct() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
        };
        let vars: &'static [(&str, &str)] = &[
            ("HTTPS_PROXY", "http://tls-proxy:1"),
            ("http_proxy", "http://plain-proxy:2"),
            ("NO_PROXY", ".binance.us"),
        ];
        let pick =
            |host, tls| choose(&ProxySetting::Environment, host, tls, env(vars)).unwrap().map(|p| p.host);
        assert_eq!(pick("api.binance.com", true).as_deref(), Some("tls-proxy"));
        assert_eq!(pick("api.binance.com", false).as_deref(), Some("plain-proxy"));
        assert_eq!(pick("api.binance.us", true), None, "NO_PROXY");
        assert_eq!(pick("127.0.0.1", true), None, "loopback is always direct");
        assert_eq!(pick("localhost", false), None);
        let all: &'static [(&str, &str)] = &[("ALL_PROXY", "http://all:3")];
        assert_eq!(choose(&ProxySetting::Environment, "h", true, env(all)).unwrap().map(|p| p.port), Some(3));
        let socks: &'static [(&str, &str)] = &[("ALL_PROXY", "socks5://s:1080")];
        assert_eq!(
            choose(&ProxySetting::Environment, "h", true, env(socks)).unwrap(),
            None,
            "unusable: direct"
        );
        assert_eq!(choose(&ProxySetting::Off, "h", true, env(vars)).unwrap(), None);
        assert!(choose(&ProxySetting::Url("socks5://s:1".into()), "h", true, env(&[])).is_err());
        let explicit = choose(&ProxySetting::Url("p:9".into()), "::1", true, env(&[])).unwrap();
        assert_eq!(explicit.map(|p| p.port), Some(9), "an explicit proxy is used even for loopback");
    }
}
