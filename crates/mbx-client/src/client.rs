//! [`Client`] and [`ClientBuilder`].

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use mbx_core::endpoint::{self, Endpoint, Method, Security, spot};
use mbx_core::keys;
use mbx_core::payload::{Placement, RestPayload};
use mbx_core::sign::{HmacSigner, Signer};
use mbx_core::time::{RecvWindow, Timestamp};
use mbx_core::{ApiError, ApiKey, ErrorCode, Params, SecretBytes};
use serde::de::DeserializeOwned;

use crate::config::Environment;
use crate::error::{Error, Result};
use crate::http::Verb;
use crate::rate_limit::Limits;

/// A Binance REST client. Cheap to clone (one `Arc`), safe to share across tasks; one connection pool
/// per client.
///
/// What it guarantees: the bytes it signs are the bytes it sends (one rendering by `mbx-core`), every
/// signed request carries a timestamp corrected by the measured clock offset, it waits rather than
/// crossing a rate limit it knows about, and it never sends the same order twice.
///
/// ```no_run
/// # async fn run() -> mbx_client::Result<()> {
/// use mbx_client::{Client, Environment};
/// let client = Client::builder()
///     .environment(Environment::Sandbox)
///     .api_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
///     .hmac_secret("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
///     .build()?;
/// client.sync_time().await?;
/// let account = client.account().await?;
/// println!("{} balances", account.balances.len());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: crate::http::Http,
    pub(crate) base: String,
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) signer: Option<Signer>,
    pub(crate) recv_window: Option<RecvWindow>,
    /// Server time minus local time, in milliseconds.
    pub(crate) offset_ms: AtomicI64,
    /// Round-trip time of the best clock sample, in microseconds (0 before any sync).
    pub(crate) rtt_us: AtomicU64,
    pub(crate) limits: Limits,
    /// Check orders against the symbol's filters before sending them.
    pub(crate) preflight: bool,
    /// Called with every request just before it is sent (`-v` in the CLI).
    pub(crate) observer: Option<RequestObserver>,
    /// Symbol filters from exchangeInfo, loaded on the first order of each symbol.
    pub(crate) filters:
        std::sync::Mutex<std::collections::HashMap<String, Arc<mbx_core::filters::SymbolFilters>>>,
    /// Where and how WebSocket connections are opened.
    pub(crate) websocket: crate::streams::WsSettings,
    /// How long settling an order of unknown outcome may take (`crate::settle`).
    pub(crate) settle_timeout: Duration,
    /// The margin added to `timestamp + recvWindow` before an order is taken as never placed.
    pub(crate) settle_margin: Duration,
    /// What settling did so far ([`Client::settle_counts`]).
    pub(crate) settle_counts: crate::settle::Counters,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("api_key", &self.api_key)
            .field("signer", &self.signer.as_ref().map(Signer::kind))
            .field("offset_ms", &self.offset_ms.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. Setters consume and return the builder; the first configuration error is kept
/// and reported by [`ClientBuilder::build`].
#[must_use]
#[derive(Debug)]
pub struct ClientBuilder {
    environment: Environment,
    api_key: Option<ApiKey>,
    signer: Option<Signer>,
    recv_window: Option<RecvWindow>,
    timeout: Duration,
    connect_timeout: Duration,
    preflight: bool,
    observer: Option<RequestObserver>,
    extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    proxy: crate::proxy::ProxySetting,
    stream_url: Option<String>,
    ws_api_url: Option<String>,
    error: Option<Error>,
    settle_timeout: Duration,
    settle_margin: Duration,
    /// Another client whose address limits (weight, backoff) this one shares.
    share_limits: Option<Client>,
    /// WebSocket connection attempts allowed in 5 minutes, per host and kind.
    connections_per_5m: u32,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// Every default in one place: Binance spot, no key, Binance's default recvWindow (not sent),
    /// 10 s request timeout (Binance's own processing limit), 5 s connect timeout; an order of
    /// unknown outcome is settled within 2 minutes, with a 1 s margin on the clock.
    pub fn new() -> Self {
        Self {
            environment: Environment::Binance,
            api_key: None,
            signer: None,
            recv_window: None,
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            preflight: true,
            observer: None,
            extra_roots: Vec::new(),
            proxy: crate::proxy::ProxySetting::Environment,
            stream_url: None,
            ws_api_url: None,
            error: None,
            settle_timeout: Duration::from_secs(120),
            settle_margin: Duration::from_secs(1),
            share_limits: None,
            connections_per_5m: mbx_core::stream::CONNECTIONS_PER_WINDOW,
        }
    }

    /// The market streams' base URL (`ws://` or `wss://`), instead of the environment's
    /// ([`Environment::stream_url`]).
    pub fn stream_url(mut self, url: impl Into<String>) -> Self {
        self.stream_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// The WebSocket API's URL, instead of the environment's ([`Environment::ws_api_url`]).
    pub fn ws_api_url(mut self, url: impl Into<String>) -> Self {
        self.ws_api_url = Some(url.into());
        self
    }

    /// Which Binance (or sandbox) to talk to.
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = env;
        self
    }

    /// A custom REST base URL (shorthand for `environment(Environment::custom(url))`).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::custom(url))
    }

    /// The API key, sent in `X-MBX-APIKEY`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key));
        self
    }

    /// An HMAC secret, used exactly as given.
    pub fn hmac_secret(mut self, secret: impl Into<SecretBytes>) -> Self {
        let secret: SecretBytes = secret.into();
        self.signer = Some(Signer::Hmac(HmacSigner::new(secret.expose())));
        self
    }

    /// An Ed25519 or RSA private key in PEM (PKCS#8, encrypted PKCS#8 with `passphrase`, or PKCS#1).
    pub fn private_key_pem(mut self, pem: &[u8], passphrase: Option<&SecretBytes>) -> Self {
        match keys::load_pem(pem, passphrase).and_then(|k| k.into_signer()) {
            Ok(s) => self.signer = Some(s),
            Err(e) => self.keep(Error::Config(format!("private key: {e}"))),
        }
        self
    }

    /// A ready signer.
    pub fn signer(mut self, signer: Signer) -> Self {
        self.signer = Some(signer);
        self
    }

    /// The `recvWindow` sent with every signed request (default: none sent, Binance uses 5000 ms).
    pub fn recv_window(mut self, window: RecvWindow) -> Self {
        self.recv_window = Some(window);
        self
    }

    /// Total time for one request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether orders are checked against the symbol's filters (from exchangeInfo) before they are sent
    /// (default: yes); a failing order returns [`Error::Invalid`] and nothing is sent.
    pub fn preflight(mut self, on: bool) -> Self {
        self.preflight = on;
        self
    }

    /// Calls `observer` with every request just before it goes on the wire: method, the full URL with
    /// its signed query string, the body, and the API key shown partially (never the secret, which
    /// the client does not hand out). For logs and `mbx -v`; retries are shown too.
    pub fn on_request(mut self, observer: impl Fn(&SentRequest<'_>) + Send + Sync + 'static) -> Self {
        self.observer = Some(RequestObserver(Arc::new(observer)));
        self
    }

    /// Trusts the certificates in `pem` (one or more `CERTIFICATE` blocks) for `https://` hosts, in
    /// addition to the webpki roots: for a private gateway, or a proxy that terminates TLS with its own
    /// authority. Certificates are always verified; there is no way to turn that off.
    pub fn add_root_certificates_pem(mut self, pem: &[u8]) -> Self {
        use rustls::pki_types::pem::PemObject;
        let certs: std::result::Result<Vec<_>, _> =
            rustls::pki_types::CertificateDer::pem_slice_iter(pem).collect();
        match certs {
            Ok(certs) if !certs.is_empty() => self.extra_roots.extend(certs),
            Ok(_) => self.keep(Error::Config("root certificates: no CERTIFICATE block in the PEM".into())),
            Err(e) => self.keep(Error::Config(format!("root certificates: {e}"))),
        }
        self
    }

    /// Sends everything through this HTTP proxy, `http://[user:password@]host:port` (`https://` hosts
    /// through a `CONNECT` tunnel, so TLS runs end to end and the proxy sees neither the query nor
    /// the key). Without this call the client follows `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
    /// `NO_PROXY` (upper or lower case), except for loopback hosts such as the sandbox, which it
    /// reaches directly.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = crate::proxy::ProxySetting::Url(url.into());
        self
    }

    /// Never uses a proxy, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = crate::proxy::ProxySetting::Off;
        self
    }

    /// Time to connect.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an order placement whose outcome is unknown (lost answer, timeout, 5xx, `-1006`,
    /// `-1007`) may take to settle, lookups, waits and re-sends included (default 2 minutes); past
    /// it the order call returns [`Error::UnknownOutcome`] and sends nothing more. See
    /// [`NewOrder::send`](crate::NewOrder::send).
    pub fn settle_timeout(mut self, timeout: Duration) -> Self {
        self.settle_timeout = timeout;
        self
    }

    /// The margin past `timestamp + recvWindow`, on the server's clock, after which an order that
    /// a lookup cannot find is taken as never placed and may be sent again (default 1 s; the
    /// round trip of the clock's best sample is added). It covers the uncertainty of the clock
    /// offset and the time between Binance's last timing check and the order's commit.
    pub fn settle_margin(mut self, margin: Duration) -> Self {
        self.settle_margin = margin;
        self
    }

    /// Shares `other`'s address limits: the request weight (used and in flight), the
    /// `Retry-After` backoff and the WebSocket connection attempts, which Binance counts per IP
    /// address whichever API key sends. Give it to every client of other accounts that runs from
    /// the same address, so that a 429 one of them receives holds all of them back (otherwise the
    /// next request of another is answered 418, a ban). The `ORDERS` counts stay per client
    /// (Binance counts them per account).
    pub fn share_address_limits(mut self, other: &Client) -> Self {
        self.share_limits = Some(other.clone());
        self
    }

    /// How many WebSocket connections the client starts in 5 minutes, per host, for the market
    /// streams and apart for the WebSocket API: Binance's limit, 300, by default. One more is not
    /// started: the WebSocket API waits for the window to make room (up to 70 s, else
    /// [`Error::RateLimited`] at once), a stream's reconnection waits, opening a stream reports
    /// `RateLimited`. Shared by clients that share address limits. Raise it only for a server that
    /// allows more (a sandbox with its limit lifted).
    ///
    /// ```
    /// let client = mbx_client::Client::builder().ws_connections_per_5m(100).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn ws_connections_per_5m(mut self, n: u32) -> Self {
        self.connections_per_5m = n;
        self
    }

    fn keep(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Builds the client, or reports the first configuration error.
    pub fn build(self) -> Result<Client> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let base = self.environment.rest_url().to_owned();
        let origin = crate::http::Origin::parse(&base).map_err(Error::Config)?;
        if let Some(key) = &self.api_key
            && (key.expose().is_empty() || !key.expose().bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(Error::Config(
                "the API key must be printable ASCII without spaces (check for a stray newline or quote)"
                    .into(),
            ));
        }
        let proxy =
            crate::proxy::choose(&self.proxy, &origin.host, origin.tls, |name| std::env::var(name).ok())
                .map_err(Error::Config)?;
        let tls = Arc::new(tls_config(self.extra_roots)?);
        let websocket = crate::streams::WsSettings {
            stream_url: self.stream_url.unwrap_or_else(|| self.environment.stream_url()),
            ws_api_url: self.ws_api_url.unwrap_or_else(|| self.environment.ws_api_url()),
            tls: tls.clone(),
            proxy: self.proxy.clone(),
            connect_timeout: self.connect_timeout,
            attempts: self.share_limits.as_ref().map_or_else(
                || Arc::new(crate::rate_limit::ConnectionAttempts::new(self.connections_per_5m)),
                |c| c.inner.websocket.attempts.clone(),
            ),
        };
        let http = crate::http::Http::new(origin, tls, proxy, self.timeout, self.connect_timeout)
            .map_err(Error::Config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                api_key: self.api_key,
                signer: self.signer,
                recv_window: self.recv_window,
                offset_ms: AtomicI64::new(0),
                rtt_us: AtomicU64::new(0),
                limits: self
                    .share_limits
                    .as_ref()
                    .map_or_else(Limits::default, |c| Limits::sharing_address_of(&c.inner.limits)),
                preflight: self.preflight,
                observer: self.observer,
                filters: std::sync::Mutex::new(std::collections::HashMap::new()),
                websocket,
                settle_timeout: self.settle_timeout,
                settle_margin: self.settle_margin,
                settle_counts: crate::settle::Counters::default(),
            }),
        })
    }
}

/// rustls with ring and the webpki root store (plus any roots the caller added); certificates are
/// always verified. HTTP/1.1 is announced by ALPN.
fn tls_config(extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for cert in extra_roots {
        roots.add(cert).map_err(|e| Error::Config(format!("root certificate: {e}")))?;
    }
    let mut config =
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(roots).with_no_client_auth())
            .map_err(|e| Error::Config(format!("TLS: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// What a request needs from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Safe to send again (reads, cancels by id): retried once after a clock re-sync on -1021.
    Safe,
    /// Changes state (orders): an unknown outcome is reported, never retried blindly.
    Never,
}

impl Client {
    /// A builder with every default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The REST base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// Time left before this client sends anything again, after a 429/418 with `Retry-After`.
    pub fn backoff_remaining(&self) -> Option<Duration> {
        self.inner.limits.backoff_remaining()
    }

    /// The request weight used in the current minute, as the server last reported it.
    pub fn used_weight(&self) -> u32 {
        self.inner.limits.used_weight()
    }

    /// The orders counted against each `ORDERS` window this client knows of (from the
    /// `X-MBX-ORDER-COUNT-*` headers of order answers, plus orders in flight), with the window's limit
    /// once exchangeInfo was read.
    pub fn order_counts(&self) -> Vec<crate::rate_limit::OrderCount> {
        self.inner.limits.order_counts()
    }

    /// The measured clock offset (server minus local), in milliseconds.
    pub fn clock_offset_ms(&self) -> i64 {
        self.inner.offset_ms.load(Ordering::Relaxed)
    }

    /// The round-trip time of the best clock sample, if the clock was synced.
    pub fn clock_rtt(&self) -> Option<Duration> {
        match self.inner.rtt_us.load(Ordering::Relaxed) {
            0 => None,
            us => Some(Duration::from_micros(us)),
        }
    }

    /// Local time corrected by the measured offset: the timestamp signed requests carry.
    pub fn server_now(&self) -> Timestamp {
        Timestamp::Millis(local_now_ms()).offset_millis(self.clock_offset_ms())
    }

    /// What this client's order placements met so far: unknown outcomes, how they were settled,
    /// re-sends after proof (see [`crate::settle`]).
    pub fn settle_counts(&self) -> crate::settle::SettleCounts {
        self.inner.settle_counts.snapshot()
    }

    /// The margin of [`ClientBuilder::settle_margin`] plus the round trip of the clock's best sample.
    pub(crate) fn settle_margin(&self) -> Duration {
        self.inner.settle_margin + self.clock_rtt().unwrap_or_default()
    }

    /// Measures the clock offset to the server with 5 samples of `GET /api/v3/time`, keeping the one
    /// with the lowest round trip, and applies it to every later timestamp.
    pub async fn sync_time(&self) -> Result<ClockSample> {
        self.sync_time_with(5).await
    }

    /// [`Client::sync_time`] with `samples` samples (at least 1).
    pub async fn sync_time_with(&self, samples: usize) -> Result<ClockSample> {
        let mut best: Option<ClockSample> = None;
        for _ in 0..samples.max(1) {
            let t0 = local_now_us();
            let time: crate::types::ServerTime =
                self.send_once(&Target::of(&spot::TIME, &Params::new()), &Params::new(), Retry::Safe).await?;
            let t1 = local_now_us();
            let rtt_us = t1.saturating_sub(t0);
            let midpoint_ms = (t0 + rtt_us / 2) / 1000;
            let sample = ClockSample {
                offset_ms: time.server_time as i64 - midpoint_ms as i64,
                rtt: Duration::from_micros(rtt_us),
            };
            if best.as_ref().is_none_or(|b| sample.rtt < b.rtt) {
                best = Some(sample);
            }
        }
        let best = best.ok_or_else(|| Error::Transport("no clock sample".into()))?;
        self.inner.offset_ms.store(best.offset_ms, Ordering::Relaxed);
        self.inner
            .rtt_us
            .store(u64::try_from(best.rtt.as_micros()).unwrap_or(u64::MAX).max(1), Ordering::Relaxed);
        Ok(best)
    }

    /// Calls any endpoint on this host (or another host sharing the signing scheme, such as `sapi`,
    /// `fapi`, `dapi` with a matching base URL) and decodes the JSON answer into `T`.
    /// `security` decides whether the key and a signature are sent.
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        params: Params,
        security: Security,
    ) -> Result<T> {
        let retry = if method == Method::Get { Retry::Safe } else { Retry::Never };
        let row = endpoint::find(method, path);
        let target = Target {
            method,
            path,
            security,
            weight: row.map_or(1, |e| e.weight_for(&params)),
            orders: row.map_or(0, |e| u32::from(e.orders)),
        };
        self.send_to(&target, params, retry).await
    }

    /// [`Client::request`] signed by the rule of [`endpoint::needs_signature`]: the spot table, then
    /// the family rule for `/sapi` and `/papi` paths (signed but for a few public ones); any other
    /// path goes unsigned (use [`Client::request`] with a security type to decide).
    pub async fn call(&self, method: Method, path: &str, params: Params) -> Result<serde_json::Value> {
        let security = match (endpoint::find(method, path), endpoint::needs_signature(method, path)) {
            (Some(e), _) => e.security,
            (None, Some(true)) => Security::UserData,
            (None, _) => Security::None,
        };
        self.request(method, path, params, security).await
    }

    /// The exact URL (query string rendered and, for signed endpoints, timestamped and signed) a call
    /// would send, without sending it: for dry runs and logs. The signature is not a secret, but the URL
    /// should still not be logged where others read it.
    pub fn prepared_url(&self, path: &str, params: &Params, security: Security) -> Result<String> {
        let query = self.prepared_query(path, params, security)?;
        let base = &self.inner.base;
        Ok(if query.is_empty() { format!("{base}{path}") } else { format!("{base}{path}?{query}") })
    }

    /// The query string of [`Client::prepared_url`]: rendered once, then timestamped and signed if the
    /// endpoint needs it. These exact bytes go on the wire.
    fn prepared_query(&self, path: &str, params: &Params, security: Security) -> Result<String> {
        let inner = &*self.inner;
        if !security.needs_signature() {
            return Ok(RestPayload::render(params, Placement::Query).query().to_owned());
        }
        let signer = inner.signer.as_ref().ok_or_else(|| {
            Error::Config(format!(
                "{path} is {}: it needs a key (HMAC secret or Ed25519/RSA private key)",
                security.as_str()
            ))
        })?;
        let mut params = params.clone();
        if let Some(w) = inner.recv_window {
            params.set_if_absent("recvWindow", w.to_string());
        }
        params.set_if_absent("timestamp", self.server_now().to_string());
        Ok(RestPayload::render(&params, Placement::Query).sign(signer).query().to_owned())
    }

    /// Calls the endpoint of this row of mbx-core's table: its method, path, security type, weight
    /// and order count come from the row.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        params: Params,
        retry: Retry,
    ) -> Result<T> {
        self.send_to(&Target::of(endpoint, &params), params, retry).await
    }

    /// Sends an order of this row once, `params` as given (with their `timestamp`): no retry of
    /// any kind; an answer that may hide a placed order is [`Error::UnknownOutcome`].
    pub(crate) async fn send_order<T: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        params: &Params,
    ) -> Result<T> {
        self.send_once(&Target::of(endpoint, params), params, Retry::Never).await
    }

    async fn send_to<T: DeserializeOwned>(
        &self,
        target: &Target<'_>,
        params: Params,
        retry: Retry,
    ) -> Result<T> {
        match self.send_once(target, &params, retry).await {
            // A -1021 rejection means the request was not executed: re-measure the clock and send
            // once more, with a fresh timestamp and signature.
            Err(Error::Api(e))
                if e.code == ErrorCode::INVALID_TIMESTAMP && target.security.needs_signature() =>
            {
                tracing::debug!(path = target.path, "-1021: re-syncing the clock and retrying once");
                self.sync_time_with(3).await?;
                self.send_once(target, &params, retry).await
            }
            other => other,
        }
    }

    async fn send_once<T: DeserializeOwned>(
        &self,
        target: &Target<'_>,
        params: &Params,
        retry: Retry,
    ) -> Result<T> {
        let Target { method, path, security, weight, orders } = *target;
        let inner = &*self.inner;
        // Held until the answer is recorded: until then this request's weight counts as in flight.
        let _in_flight = inner.limits.before_request(weight, orders).await?;

        let query = self.prepared_query(path, params, security)?;
        let api_key = if security.needs_api_key() {
            let key = inner
                .api_key
                .as_ref()
                .ok_or_else(|| Error::Config(format!("{method} {path} needs an API key")))?;
            Some(key)
        } else {
            None
        };
        if let Some(RequestObserver(observe)) = &inner.observer {
            let url = if query.is_empty() {
                format!("{}{path}", inner.base)
            } else {
                format!("{}{path}?{query}", inner.base)
            };
            observe(&SentRequest { method, url: &url, body: "", api_key });
        }
        let verb = match method {
            Method::Get => Verb::Get,
            Method::Post => Verb::Post,
            Method::Put => Verb::Put,
            Method::Delete => Verb::Delete,
        };
        let unknown = |cause: String| Error::UnknownOutcome {
            client_order_id: params.get("newClientOrderId").map(str::to_owned),
            cause,
        };
        let request = crate::http::Request {
            verb,
            path,
            query: &query,
            api_key: api_key.map(ApiKey::expose),
            resend_if_stale: retry == Retry::Safe,
            headers: &[],
            body: b"",
        };
        let resp = match inner.http.send(request).await {
            Ok(r) => r,
            // Errors never carry the URL: it holds the signature.
            Err(e) if e.sent && retry == Retry::Never => {
                return Err(unknown(format!("{method} {path}: {e}")));
            }
            Err(e) => return Err(Error::Transport(format!("{method} {path}: {e}"))),
        };
        let status = resp.status;
        inner.limits.after_response(resp.used_weight_1m, &resp.order_counts, resp.retry_after, status);
        let hint = resp.sandbox_hint;
        let body = resp.body;
        if (200..300).contains(&status) {
            // One UTF-8 check of the whole body, then no per-string checks while decoding.
            let text = std::str::from_utf8(&body).map_err(|e| Error::Decode {
                path: path.to_owned(),
                detail: format!("the body is not UTF-8: {e}"),
            })?;
            return serde_json::from_str(text)
                .map_err(|e| Error::Decode { path: path.to_owned(), detail: e.to_string() });
        }
        let api = ApiError::from_response(status, &body).ok();
        if status == 429 || status == 418 {
            let retry_after = inner.limits.backoff_remaining().unwrap_or(Duration::from_secs(1));
            return Err(Error::RateLimited { status, retry_after, api });
        }
        match api {
            Some(e)
                if e.code == ErrorCode::ORDER_CANCEL_REPLACE_PARTIALLY_FAILED
                    || e.code == ErrorCode::ORDER_CANCEL_REPLACE_FAILED =>
            {
                Err(cancel_replace_error(e, &body))
            }
            Some(e) if e.code.is_unknown_outcome() && retry == Retry::Never => Err(unknown(e.to_string())),
            Some(e) if status >= 500 && retry == Retry::Never => Err(unknown(e.to_string())),
            Some(e) => Err(Error::Api(e)),
            None if status >= 500 && retry == Retry::Never => Err(unknown(format!("HTTP {status}"))),
            None => Err(Error::Http { status, method: method.to_string(), path: path.to_owned(), hint }),
        }
    }
}

/// Where a request goes and what it costs: from a row of mbx-core's table, or given by the caller.
#[derive(Debug, Clone, Copy)]
struct Target<'p> {
    method: Method,
    path: &'p str,
    security: Security,
    /// Its weight against `REQUEST_WEIGHT`.
    weight: u32,
    /// The orders it places, for the `ORDERS` limits (Binance counts each order of a list).
    orders: u32,
}

impl Target<'static> {
    /// A call of this row of the table with these parameters (its weight may depend on them).
    fn of(e: &'static Endpoint, params: &Params) -> Target<'static> {
        let weight = e.weight_for(params);
        Target { method: e.method, path: e.path, security: e.security, weight, orders: u32::from(e.orders) }
    }
}

/// A request as it is about to be sent, for [`ClientBuilder::on_request`]. Its `Display` shows it the
/// way `curl -v` does, with the API key shortened:
///
/// ```text
/// > GET https://api.binance.com/api/v3/account?timestamp=1700000000000&signature=5f2d…
/// > X-MBX-APIKEY: vmPU…(64 chars)
/// > body: (empty)
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SentRequest<'a> {
    /// HTTP method.
    pub method: Method,
    /// The full URL, query string (with `timestamp` and `signature` for signed calls) included.
    pub url: &'a str,
    /// The request body exactly as sent (the client puts every parameter in the query string, so
    /// this is empty).
    pub body: &'a str,
    /// The API key sent in `X-MBX-APIKEY`, if any. Its `Display` and `Debug` show only the first
    /// four characters and the length.
    pub api_key: Option<&'a ApiKey>,
}

impl std::fmt::Display for SentRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "> {} {}", self.method, self.url)?;
        if let Some(key) = self.api_key {
            writeln!(f, "> X-MBX-APIKEY: {key}")?;
        }
        if self.body.is_empty() { write!(f, "> body: (empty)") } else { write!(f, "> body: {}", self.body) }
    }
}

/// The callback of [`ClientBuilder::on_request`].
#[derive(Clone)]
pub(crate) struct RequestObserver(Arc<dyn Fn(&SentRequest<'_>) + Send + Sync>);

impl std::fmt::Debug for RequestObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestObserver")
    }
}

/// A `-2021`/`-2022` answer with its `data` decoded; without readable data, the plain API error.
fn cancel_replace_error(error: ApiError, body: &[u8]) -> Error {
    #[derive(serde::Deserialize)]
    struct WithData {
        data: crate::types::CancelReplaceFailure,
    }
    match serde_json::from_slice::<WithData>(body) {
        Ok(w) => Error::CancelReplace { error, data: Box::new(w.data) },
        Err(_) => Error::Api(error),
    }
}

/// One clock measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSample {
    /// Server time minus local time, in milliseconds.
    pub offset_ms: i64,
    /// The sample's round-trip time.
    pub rtt: Duration,
}

/// The client's only clock read (mbx-core takes time as input).
pub(crate) fn local_now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

pub(crate) fn local_now_ms() -> u64 {
    local_now_us() / 1000
}
