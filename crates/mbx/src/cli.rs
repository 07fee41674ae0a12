//! Command-line syntax (clap derive). Parsing only validates; `context.rs` does the I/O.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// mbx: Binance API authentication done right, and proven.
///
/// Keys never come from command-line arguments: an HMAC secret comes from BINANCE_API_SECRET, a file
/// (--key-file) or a prompt; Ed25519 and RSA private keys from a PEM --key-file (encrypted keys take
/// MBX_KEY_PASSPHRASE or a prompt).
///
/// Exit codes: 0 ok, 1 rejected or invalid, 2 usage or configuration, 3 transport, 4 outcome unknown.
#[derive(Debug, Parser)]
#[command(name = "mbx", version, about, long_about)]
pub struct Cli {
    /// Output format: table (human-readable; `text` is accepted too) or json.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Which Binance to talk to: binance (default), us, testnet, demo or sandbox (http://127.0.0.1:9900).
    #[arg(long = "env", global = true, value_name = "ENV")]
    pub environment: Option<String>,

    /// A REST base URL, overriding --env (for `sign`: the URL in the printed curl command).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The market streams' base URL (ws:// or wss://), overriding the environment's (a --base-url
    /// serves them on its own host and port, as the sandbox does).
    #[arg(long, global = true, value_name = "URL")]
    pub stream_url: Option<String>,

    /// The WebSocket API's URL, overriding the environment's.
    #[arg(long, global = true, value_name = "URL")]
    pub ws_api_url: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable tables and aligned text (`text` is accepted as another name).
    #[value(alias = "text")]
    Table,
    /// One JSON document: an object, or an array for list commands (orders, trades, klines).
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign a request: prints the exact payload, the signature and a ready-to-run curl command.
    Sign(SignArgs),
    /// Check a signature against a URL (and body) or a payload.
    Verify(VerifyArgs),
    /// Say exactly why Binance rejects a request, and how to fix it.
    #[command(subcommand)]
    Doctor(DoctorCommand),
    /// Server time, clock offset and round-trip time.
    Time,
    /// Check connectivity.
    Ping,
    /// Trading rules: status, assets, tick size, step size and minimum notional of every symbol, or of
    /// one.
    ExchangeInfo {
        /// Only this symbol, e.g. BTCUSDT.
        symbol: Option<String>,
    },
    /// Account balances (non-zero) as a table.
    Account,
    /// Place, test or cancel orders.
    #[command(subcommand)]
    Order(OrderCommand),
    /// List orders.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// Your trades on a symbol.
    Trades {
        /// Symbol, e.g. BTCUSDT.
        symbol: String,
    },
    /// Order book of a symbol.
    Depth {
        /// Symbol.
        symbol: String,
        /// Levels per side (5, 10, 20, 50, 100, 500, 1000, 5000).
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
    /// Last price and best bid/ask of a symbol (with --24h: the last 24 hours' statistics too).
    Ticker {
        /// Symbol.
        symbol: String,
        /// Also show open, high, low, change and volume over the last 24 hours.
        #[arg(long = "24h")]
        day: bool,
    },
    /// Market streams, live until interrupted (Ctrl-C) or --count events: e.g. `mbx stream
    /// btcusdt@trade btcusdt@depth@100ms`. With --output json, one event per line exactly as
    /// Binance sends it (for jq); otherwise one readable line per event.
    Stream(StreamArgs),
    /// A live local order book of a symbol (kept from the diff stream and snapshots, as the docs
    /// describe): the top --depth levels, redrawn on every change, until interrupted or --count
    /// updates. With --output json, one {"lastUpdateId","bids","asks"} object per line.
    Book(BookArgs),
    /// Candles of a symbol: the latest ones (--limit, default 30), or those of a time range (--from),
    /// fetched 1000 at a time: a table, JSON, or a CSV file (--out) with a progress bar.
    Klines(KlinesArgs),
    /// Call any endpoint: signs when the endpoint table says so.
    Call(CallArgs),
    /// Make a new key pair to register with Binance (private key file mode 0600).
    Keygen(KeygenArgs),
    /// Show the public key and fingerprint of --key-file, to compare with what you registered.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Profiles: `mbx config init` writes one interactively; `mbx config path` shows the file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Run the offline Binance-compatible exchange, or manage a running one.
    Sandbox(SandboxArgs),
    /// Walk through signed requests offline, with the documentation's example key.
    Demo,
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Where the key comes from, and whether the requests made with it are shown.
#[derive(Debug, Args, Clone, Default)]
pub struct KeyArgs {
    /// Print every request to standard error just before it is sent: method, full URL with the signed
    /// query string, body, and the X-MBX-APIKEY header with the key shortened. Secrets are never shown.
    /// Twice (-vv): also log the client's own events (clock re-syncs, rate-limit waits, reconnects)
    /// at debug level, or as RUST_LOG says.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// A key file: an Ed25519 or RSA PEM key (private to sign; public works for verify), possibly
    /// encrypted, or a file holding an HMAC secret. Without it, the HMAC secret comes from
    /// BINANCE_API_SECRET or a prompt.
    #[arg(long, global = true, value_name = "FILE")]
    pub key_file: Option<std::path::PathBuf>,

    /// A profile of the config file (`mbx config path` shows where): environment, API key and where the
    /// secret comes from.
    #[arg(long, global = true, value_name = "NAME", env = "MBX_PROFILE")]
    pub profile: Option<String>,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Parameters as name=value, in the order they are sent (values are percent-encoded for REST).
    #[arg(value_name = "NAME=VALUE")]
    pub params: Vec<String>,

    /// A query string exactly as sent (percent-encoded); characters that must be encoded are encoded.
    #[arg(long, conflicts_with = "ws_api")]
    pub query: Option<String>,

    /// A form body exactly as sent (percent-encoded); signed right after the query string.
    #[arg(long, conflicts_with = "ws_api")]
    pub body: Option<String>,

    /// Put the NAME=VALUE parameters in the form body instead of the query string.
    #[arg(long, conflicts_with = "ws_api")]
    pub in_body: bool,

    /// Sign for the WebSocket API: parameters sorted by name, not percent-encoded.
    #[arg(long)]
    pub ws_api: bool,

    /// `timestamp` to add when the parameters have none: `now`, milliseconds or microseconds.
    #[arg(long, default_value = "now")]
    pub timestamp: String,

    /// `recvWindow` to add when the parameters have none (milliseconds, up to 3 decimals, <= 60000).
    #[arg(long)]
    pub recv_window: Option<String>,

    /// HTTP method for the curl command (default: POST when the path has a POST endpoint, else GET).
    #[arg(long)]
    pub method: Option<String>,

    /// Endpoint path for the curl command.
    #[arg(long, default_value = mbx_core::endpoint::spot::NEW_ORDER.path)]
    pub path: String,

    /// Shell variable the curl command reads the API key from (mbx itself reads BINANCE_API_KEY;
    /// `--api-key-var apiKey` reproduces the curl lines of Binance's documentation).
    #[arg(long, default_value = crate::context::ENV_API_KEY, value_name = "NAME")]
    pub api_key_var: String,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The full URL as sent, signature included (REST).
    #[arg(long, conflicts_with = "payload")]
    pub url: Option<String>,

    /// The form body as sent (REST, with --url).
    #[arg(long, requires = "url")]
    pub body: Option<String>,

    /// The exact signed payload (REST: query string + body; WebSocket API: sorted params).
    #[arg(long)]
    pub payload: Option<String>,

    /// WebSocket API parameters as name=value: the payload is built sorted, not encoded.
    #[arg(value_name = "NAME=VALUE", conflicts_with_all = ["url", "payload"])]
    pub params: Vec<String>,

    /// The signature as produced (or as found in the URL, percent-encoded). Taken from the URL or
    /// body's `signature` parameter when omitted.
    #[arg(long)]
    pub signature: Option<String>,
}

#[derive(Debug, Args)]
pub struct KlinesArgs {
    /// Symbol, e.g. BTCUSDT.
    pub symbol: String,
    /// Candle interval: 1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M (1m is a minute, 1M a month).
    pub interval: mbx_client::types::Interval,
    /// First open time: Unix milliseconds, a UTC date (2024-01-01) or RFC 3339 (2024-01-01T12:00:00Z).
    /// Without it, the latest --limit candles are shown.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Last open time, inclusive (same forms; a date means the end of that day) [default: now].
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Without --from: how many of the latest candles to show (1 to 1000; the last one may still be
    /// open) [default: 30].
    #[arg(long, value_name = "N", conflicts_with = "from")]
    pub limit: Option<u32>,
    /// Write CSV (with a header) to FILE: through FILE.part, renamed when complete.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Continue an interrupted download from FILE.part, after its last candle.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Replace FILE if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// HTTP method.
    pub method: String,
    /// Path, e.g. /api/v3/account.
    pub path: String,
    /// Parameters as name=value.
    #[arg(value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Print the request and an equivalent curl command instead of sending (no secrets printed).
    #[arg(long)]
    pub dry_run: bool,
    /// Sign the request (key, timestamp, signature) whatever the endpoint table says: for paths it
    /// does not know. Spot paths are signed by the table, /sapi and /papi paths by default.
    #[arg(long, conflicts_with = "unsigned")]
    pub signed: bool,
    /// Send the request without key or signature, even where the table or the /sapi and /papi rule
    /// would sign it.
    #[arg(long)]
    pub unsigned: bool,
}

#[derive(Debug, Subcommand)]
pub enum DoctorCommand {
    /// Diagnose one request: from a curl command line, raw HTTP, or method + URL + headers + body.
    ///
    /// Key material (optional: without it everything but the signature is checked) comes from
    /// --key-file (HMAC secret file, or an Ed25519/RSA private or public PEM), BINANCE_API_SECRET, or a
    /// prompt with --ask-secret.
    Request(Box<DoctorRequestArgs>),
    /// Check a configured setup end to end: reachability, clock offset, key validity and permissions,
    /// and the recvWindow to use.
    Live,
    /// The last requests a running sandbox rejected, each with the doctor's diagnosis (the sandbox
    /// at --base-url / --env sandbox, else http://127.0.0.1:9900).
    SandboxLog {
        /// How many rejections, newest first (1 to 100).
        #[arg(long, default_value_t = 10)]
        limit: u32,
    },
}

#[derive(Debug, Args)]
pub struct DoctorRequestArgs {
    /// The request as a curl command line (bash, or Windows cmd as a browser copies it), as a
    /// browser copies it for PowerShell (Invoke-WebRequest) or JavaScript (fetch), or as an HTTPie
    /// (or xh) command. A whole script, or the command with what it printed, is read as `--http`
    /// reads a text: its variables' assignments, its signing lines and the answer.
    #[arg(long, conflicts_with_all = ["http", "url", "ws_api", "har"])]
    pub curl: Option<String>,

    /// A file holding the raw HTTP request (`-` for standard input), or an HTTP client's log of it:
    /// `curl -v` or `--trace-ascii`, Python's http.client (`send: b'...'`), Ruby's
    /// `set_debug_output`, OkHttp's logging interceptor, .NET's and Java's HttpClient logging,
    /// `wget --debug`, python-binance's `verbose=True` log, an AxiosError as Node.js prints it, a
    /// browser's HTTP/2 headers, mitmdump's
    /// flows and mitmproxy's console, JMeter's View Results Tree, k6's `--http-debug`, Go's `%+v`
    /// of an http.Request, Rust reqwest's `{:?}` of a Request, a packet capture's text, a request
    /// pasted indented; else a program's own print of the URL, method, X-MBX-APIKEY and body
    /// (aiohttp's RequestInfo, Java's HttpRequest and header map, PHP's print_r(curl_getinfo()),
    /// Postman's console, PowerShell's header table, a `body:` line after the URL, a JSON body
    /// under a `body:` label, a logfmt line's `req_body="..."`, an access log's JSON); the request
    /// options an automation tool prints with its error (n8n, Make, Zapier), a Python dict or an
    /// axios config as printed, or Google Apps Script's `UrlFetchApp.getRequest` (JSON or
    /// `Logger.log`'s map); an API tool's export (Postman, with its environment export pasted
    /// beside it; Insomnia, Hoppscotch, Thunder Client, Bruno); an `.http` file's `{{variable}}` is
    /// filled from the text's env file; a signed form printed alone, without its URL (`body: ...`),
    /// read as sent to the endpoint whose parameters it holds; a log
    /// of URLs only (an access log, urllib3's debug line), judged with the key taken as sent; a log
    /// of a URL and Binance's answer without the parameters, or of Binance's error answer alone (a
    /// bot's warning), explained from that answer. Of several requests, the signed one Binance
    /// refused is read (else the latest signed), with those signed before it; a string the program
    /// printed as what it signed is tried too. A program's code without the request it sent (a
    /// forum post of the code and the error) is read for the slips it shows.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["url", "ws_api", "har"])]
    pub http: Option<String>,

    /// A file holding a WebSocket API request frame, `{"id","method","params"}` (`-` for standard
    /// input), or several one after another as a connection sent them: each is judged as the
    /// connection stood then (logged on after an accepted session.logon). Also a program's log of
    /// the connection: the frames are read out of its lines (`SEND: {...}`, wscat's `> {...}`, a
    /// logger's time and thread before them, a frame pretty-printed over several lines, Go's `%v`
    /// and `%+v` of the struct sent), and Binance's answers between them count (a frame answered
    /// 200 was accepted when it was sent, and a session.logon answered 200 logs the connection on;
    /// an error answer the frame's form does not explain, such as a balance, a filter or the key's
    /// IP list, is named, and one with a null id answers the latest frame not answered yet). The
    /// program's code beside them is read for its slips when the signature matches nothing else.
    #[arg(long = "ws-api", value_name = "FILE", conflicts_with_all = ["url", "har"])]
    pub ws_api: Option<String>,

    /// The host the --ws-api frame was sent to (e.g. ws-api.testnet.binance.vision): tells a key of
    /// another environment.
    #[arg(long, value_name = "HOST", requires = "ws_api")]
    pub host: Option<String>,

    /// A HAR file exported from a browser's network tab or Postman: every Binance request in it (REST,
    /// and WebSocket API frames sent) is diagnosed.
    #[arg(long, value_name = "FILE", conflicts_with = "url")]
    pub har: Option<String>,

    /// The environment the key belongs to (binance, testnet, demo, us, sandbox; default: the
    /// profile's). A key sent to another environment is unknown there (-2015).
    #[arg(long = "key-env", value_name = "ENV")]
    pub key_env: Option<String>,

    /// The request's method (with --url).
    #[arg(long, default_value = "GET")]
    pub method: String,

    /// The request's full URL.
    #[arg(long)]
    pub url: Option<String>,

    /// A header as `Name: value` (repeatable; with --url).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// The request's body (with --url).
    #[arg(long, default_value = "")]
    pub body: String,

    /// The server time to check the timestamp against, in milliseconds (default: now).
    #[arg(long, value_name = "MS")]
    pub time: Option<String>,

    /// Ask for the HMAC secret when no other key material is given.
    #[arg(long)]
    pub ask_secret: bool,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to serve on; port 0 picks a free port (printed on start).
    #[arg(long, default_value = mbx_sandbox::DEFAULT_ADDR)]
    pub addr: std::net::SocketAddr,

    /// Directory for the sandbox's SQLite database (default: the user's data directory, mbx/sandbox).
    #[arg(long, value_name = "DIR", conflicts_with = "memory")]
    pub data: Option<std::path::PathBuf>,

    /// Keep everything in memory (nothing survives the process).
    #[arg(long)]
    pub memory: bool,

    /// Seed of the built-in market maker (its quotes and price walk are reproducible for a seed).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Do not run the built-in market maker (empty books).
    #[arg(long)]
    pub no_market_maker: bool,

    /// Keep the market moving: every MS milliseconds the market maker takes part of its own best
    /// quote on one of its symbols (a trade on the trade, kline and ticker streams) and requotes, so
    /// prices walk without anyone trading. Clients' orders are never met by it. Off by default.
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(10..=86_400_000), conflicts_with = "no_market_maker")]
    pub activity: Option<u64>,

    /// Lift the request-weight, raw-request and order-count limits (for load tests and benchmarks).
    #[arg(long)]
    pub no_limits: bool,

    /// A TOML file changing symbols, filters, the demo balances, the commission and the limits
    /// (see the mbx_sandbox::config docs for every field).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// Behave as Binance spot (listenKey endpoints retired) or Binance.US (listenKeys work).
    #[arg(long, value_enum, default_value_t = SandboxFlavor::Binance)]
    pub flavor: SandboxFlavor,

    /// With --flavor us: seconds a listenKey lives without a keepalive (default 3600, as on
    /// Binance.US; shorter to watch listenKeyExpired).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub listen_key_ttl: Option<u64>,

    #[command(subcommand)]
    pub action: Option<SandboxAction>,
}

/// Which exchange the sandbox imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SandboxFlavor {
    /// Binance spot.
    Binance,
    /// Binance.US.
    Us,
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Manage API keys of a running sandbox (at --base-url; default http://127.0.0.1:9900).
    #[command(subcommand)]
    Key(SandboxKeyAction),
    /// Credit an asset to an account of a running sandbox (at --base-url; default http://127.0.0.1:9900).
    Deposit {
        /// Asset, e.g. USDT.
        asset: String,
        /// Amount (decimal).
        amount: rust_decimal::Decimal,
        /// The account id (default: the demo account).
        #[arg(long)]
        account: Option<i64>,
        /// Deprecated: use the global --base-url (or --env / --profile) to name the sandbox.
        #[arg(long, hide = true, value_name = "URL")]
        url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SandboxKeyAction {
    /// Register a key on the demo account: prints its API key (and, for HMAC, its secret).
    Add {
        /// Key kind: hmac, ed25519 or rsa.
        #[arg(long, default_value = "hmac")]
        kind: String,
        /// The public key PEM to register (ed25519, rsa).
        #[arg(long, value_name = "FILE")]
        public_key: Option<std::path::PathBuf>,
        /// Permissions (default: TRADE, USER_DATA, USER_STREAM).
        #[arg(long, value_delimiter = ',')]
        permissions: Vec<String>,
        /// Deprecated: use the global --base-url (or --env / --profile) to name the sandbox.
        #[arg(long, hide = true, value_name = "URL")]
        url: Option<String>,
    },
    /// List the keys of a running sandbox (secrets are never shown).
    List {
        /// Deprecated: use the global --base-url (or --env / --profile) to name the sandbox.
        #[arg(long, hide = true, value_name = "URL")]
        url: Option<String>,
    },
    /// Revoke a key: later requests with it get -2015.
    Revoke {
        /// The API key.
        api_key: String,
        /// Deprecated: use the global --base-url (or --env / --profile) to name the sandbox.
        #[arg(long, hide = true, value_name = "URL")]
        url: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Key type: ed25519 (Binance's recommendation: small, fast) or rsa.
    #[arg(value_enum)]
    pub kind: KeygenKind,
    /// RSA modulus size in bits (rsa only) [default: 2048].
    #[arg(long, value_parser = ["2048", "3072", "4096"])]
    pub bits: Option<String>,
    /// Encrypt the private key with a passphrase (MBX_KEY_PASSPHRASE, or asked twice).
    #[arg(long)]
    pub encrypt: bool,
    /// The private key file to write (the public key goes to FILE.pub) [default: mbx-ed25519.pem or
    /// mbx-rsa.pem].
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

/// Which key `mbx keygen` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeygenKind {
    /// Ed25519.
    Ed25519,
    /// RSA (PKCS#1 v1.5 SHA-256 signatures).
    Rsa,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// The public key (PEM) and SHA-256 fingerprint of --key-file.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Ask for a profile (environment, API key, key type, where the secret comes from) and save it.
    Init {
        /// Replace a profile of the same name.
        #[arg(long)]
        force: bool,
    },
    /// Print the config file's path.
    Path,
}

#[derive(Debug, Args)]
pub struct NewOrderArgs {
    /// Symbol, e.g. BTCUSDT.
    pub symbol: String,
    /// BUY or SELL.
    pub side: String,
    /// LIMIT, MARKET, LIMIT_MAKER, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT.
    #[arg(value_name = "TYPE")]
    pub order_type: String,
    #[command(flatten)]
    pub terms: OrderTermsArgs,
    /// Send it over the WebSocket API (order.place / order.test) instead of REST.
    #[arg(long)]
    pub ws_api: bool,
}

/// The terms of an order, shared by `order new`, `order test` and the new order of `order replace`.
#[derive(Debug, Args)]
pub struct OrderTermsArgs {
    /// Quantity in the base asset.
    #[arg(long, visible_alias = "quantity")]
    pub qty: Option<rust_decimal::Decimal>,
    /// Quantity in the quote asset (MARKET).
    #[arg(long)]
    pub quote_qty: Option<rust_decimal::Decimal>,
    /// Limit price.
    #[arg(long)]
    pub price: Option<rust_decimal::Decimal>,
    /// Stop price.
    #[arg(long)]
    pub stop_price: Option<rust_decimal::Decimal>,
    /// GTC (default for limit types), IOC or FOK.
    #[arg(long)]
    pub tif: Option<String>,
    /// Client order id (default: a fresh one).
    #[arg(long)]
    pub client_id: Option<String>,
    /// Iceberg: show this much of the order at a time (icebergQty; limit types, GTC).
    #[arg(long)]
    pub iceberg_qty: Option<rust_decimal::Decimal>,
    /// Trailing stop: trigger this many BIPS (100 = 1%) off the best price (trailingDelta; stop and
    /// take-profit types, with or without --stop-price).
    #[arg(long)]
    pub trailing_delta: Option<u64>,
    /// Peg the price to the book: PRIMARY_PEG (best of the order's side) or MARKET_PEG (best of the
    /// other side); --price becomes optional.
    #[arg(long)]
    pub peg: Option<String>,
    /// With --peg: that many price levels deeper than the best (pegOffsetType=PRICE_LEVEL).
    #[arg(long, requires = "peg")]
    pub peg_levels: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Place an order (checked against the symbol's filters first; never sent twice).
    New(NewOrderArgs),
    /// Validate an order with POST /api/v3/order/test (nothing is placed).
    Test(NewOrderArgs),
    /// Cancel an order by id.
    Cancel {
        /// Symbol.
        symbol: String,
        /// Order id.
        order_id: u64,
        /// Send it over the WebSocket API (order.cancel) instead of REST.
        #[arg(long)]
        ws_api: bool,
    },
    /// Cancel every open order of a symbol.
    CancelAll {
        /// Symbol.
        symbol: String,
    },
    /// Cancel an order and place a new one in one request (POST /api/v3/order/cancelReplace); the new
    /// order is checked against the filters first and never sent twice.
    Replace(ReplaceArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("cancel").required(true).args(["cancel_order_id", "cancel_orig_client_order_id"])))]
pub struct ReplaceArgs {
    /// Symbol, e.g. BTCUSDT.
    pub symbol: String,
    /// The order to cancel, by order id.
    #[arg(long, value_name = "ID")]
    pub cancel_order_id: Option<u64>,
    /// The order to cancel, by client order id.
    #[arg(long, value_name = "ID")]
    pub cancel_orig_client_order_id: Option<String>,
    /// New order: BUY or SELL.
    #[arg(long)]
    pub side: String,
    /// New order: LIMIT, MARKET, LIMIT_MAKER, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT.
    #[arg(long = "type", value_name = "TYPE")]
    pub order_type: String,
    #[command(flatten)]
    pub terms: OrderTermsArgs,
    /// STOP_ON_FAILURE: no new order if the cancel fails; ALLOW_FAILURE: place it anyway.
    #[arg(long, default_value = "STOP_ON_FAILURE")]
    pub mode: String,
}

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// Open orders (of a symbol, or all).
    Open {
        /// Symbol.
        symbol: Option<String>,
    },
    /// All orders of a symbol.
    All {
        /// Symbol.
        symbol: String,
    },
    /// One order, by id or --client-id.
    Get {
        /// Symbol.
        symbol: String,
        /// Order id.
        order_id: Option<u64>,
        /// Client order id (instead of the order id).
        #[arg(long, conflicts_with = "order_id")]
        client_id: Option<String>,
    },
}

/// `mbx stream`.
#[derive(Debug, Args)]
pub struct StreamArgs {
    /// Stream names, e.g. btcusdt@trade, btcusdt@kline_1m, btcusdt@depth20@100ms, !miniTicker@arr;
    /// or `user`: the current key's user data stream (orders, balances) over the WebSocket API.
    #[arg(required = true, value_name = "STREAM")]
    pub streams: Vec<String>,
    /// Stop after this many events.
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
}

/// `mbx book`.
#[derive(Debug, Args)]
pub struct BookArgs {
    /// Symbol, e.g. BTCUSDT.
    pub symbol: String,
    /// Levels shown a side.
    #[arg(long, default_value_t = 10)]
    pub depth: usize,
    /// Stop after this many updates.
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
}
