//! The parsed base URL: which host and port a connection is for, whether it speaks TLS, and what goes
//! in the `Host` header and before each path.

/// A parsed base URL: where to connect and what to put in the `Host` header and before each path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    /// `true` for `https://`.
    pub(crate) tls: bool,
    /// Host name or IP address, without brackets.
    pub(crate) host: String,
    /// TCP port (default 80 or 443).
    pub(crate) port: u16,
    /// The `Host` header: host (bracketed if IPv6) and the port unless it is the default.
    pub(crate) authority: String,
    /// Path prefix without a trailing slash (usually empty).
    pub(crate) prefix: String,
}

impl Origin {
    /// Parses `http[s]://host[:port][/prefix]`; anything else (user info, a query, a fragment, a bad
    /// port) is refused with a sentence saying what is wrong.
    pub(crate) fn parse(base: &str) -> Result<Origin, String> {
        let (tls, rest) = if let Some(r) = base.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = base.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(format!("base URL '{base}' must start with http:// or https://"));
        };
        let (authority, prefix) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let prefix = prefix.trim_end_matches('/');
        if authority.is_empty() {
            return Err(format!("base URL '{base}' has no host"));
        }
        if authority.contains('@') || base.contains(['?', '#']) {
            return Err(format!("base URL '{base}' may hold only scheme, host, port and path"));
        }
        if !prefix.bytes().all(|b| b.is_ascii_graphic()) || !authority.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("base URL '{base}' holds spaces or characters outside ASCII"));
        }
        let default_port = if tls { 443 } else { 80 };
        let (host, port_text) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) =
                v6.split_once(']').ok_or_else(|| format!("base URL '{base}': unclosed '[' in the host"))?;
            match after {
                "" => (host, None),
                _ => (host, Some(after.strip_prefix(':').unwrap_or("x"))),
            }
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        let port = match port_text {
            None => default_port,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("base URL '{base}': the port must be a number from 1 to 65535"))?,
        };
        if host.is_empty() {
            return Err(format!("base URL '{base}' has no host"));
        }
        let bracketed = if host.contains(':') { format!("[{host}]") } else { host.to_owned() };
        let authority = if port == default_port { bracketed } else { format!("{bracketed}:{port}") };
        Ok(Origin { tls, host: host.to_ascii_lowercase(), port, authority, prefix: prefix.to_owned() })
    }

    /// `host:port` as a proxy's `CONNECT` asks for it: the (lower-case) host, bracketed if IPv6, and
    /// always the port, even the default one.
    pub(super) fn connect_target(&self) -> String {
        match self.host.contains(':') {
            true => format!("[{}]:{}", self.host, self.port),
            false => format!("{}:{}", self.host, self.port),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_parse_hosts_ports_and_prefixes() {
        let o = Origin::parse("https://api.binance.com").unwrap();
        assert_eq!(
            (o.tls, o.host.as_str(), o.port, o.authority.as_str(), o.prefix.as_str()),
            (true, "api.binance.com", 443, "api.binance.com", "")
        );
        let o = Origin::parse("http://127.0.0.1:9900/").unwrap();
        assert_eq!(
            (o.tls, o.port, o.authority.as_str(), o.prefix.as_str()),
            (false, 9900, "127.0.0.1:9900", "")
        );
        let o = Origin::parse("http://[::1]:8080/base/").unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.authority.as_str(), o.prefix.as_str()),
            ("::1", 8080, "[::1]:8080", "/base")
        );
        let o = Origin::parse("https://Example.com:443").unwrap();
        assert_eq!((o.host.as_str(), o.authority.as_str()), ("example.com", "Example.com"));
        for bad in [
            "ftp://x",
            "http://",
            "http://:80",
            "http://host:0",
            "http://host:99999",
            "http://host:x",
            "http://u:p@host",
            "http://host/?a=1",
            "http://ho st",
            "http://[::1",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn connect_targets_always_name_the_port() {
        let target = |base: &str| Origin::parse(base).unwrap().connect_target();
        assert_eq!(target("https://API.Binance.com"), "api.binance.com:443");
        assert_eq!(target("https://localhost:9443/x"), "localhost:9443");
        assert_eq!(target("https://[2001:DB8::1]"), "[2001:db8::1]:443");
        assert_eq!(target("http://[::1]:8080"), "[::1]:8080");
    }
}
