//! Request helpers: signing with mbx-core, sending with reqwest, reading Binance answers.

use mbx_core::Params;
use mbx_core::payload::{Placement, RestPayload, SignedRest};
use mbx_core::sign::Signer;
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::Value;

pub use mbx_testkit::keys::{DEMO_API_KEY, demo_signer};
pub use mbx_testkit::now_ms;

/// A client with no proxy and no TLS: loopback only.
pub fn client() -> reqwest::Client {
    mbx_testkit::install_tls_provider();
    reqwest::Client::builder().no_proxy().build().expect("reqwest client")
}

/// A Binance answer, read apart.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub json: Value,
    pub hint: Option<String>,
    pub weight: Option<u32>,
    /// `X-MBX-ORDER-COUNT-10S` and `-1D`, when sent.
    pub order_counts: Option<(u32, u32)>,
    /// `Retry-After` in seconds, when sent.
    pub retry_after: Option<u64>,
}

impl Answer {
    pub async fn read(resp: reqwest::Response) -> Answer {
        let status = resp.status().as_u16();
        let header =
            |name: &str| resp.headers().get(name).map(|v| v.to_str().expect("ASCII header").to_owned());
        let hint = header("x-sandbox-hint");
        let weight = header("x-mbx-used-weight-1m").map(|w| w.parse().expect("numeric weight"));
        let count = |name: &str| header(name).map(|c| c.parse::<u32>().expect("numeric order count"));
        let order_counts = count("x-mbx-order-count-10s").zip(count("x-mbx-order-count-1d"));
        let retry_after = header("retry-after").map(|r| r.parse().expect("numeric Retry-After"));
        let text = resp.text().await.expect("body");
        let json =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("JSON body") };
        Answer { status, json, hint, weight, order_counts, retry_after }
    }

    pub fn code(&self) -> i64 {
        self.json["code"].as_i64().unwrap_or_else(|| panic!("no code in {}", self.json))
    }

    pub fn msg(&self) -> &str {
        self.json["msg"].as_str().unwrap_or_else(|| panic!("no msg in {}", self.json))
    }

    pub fn hint(&self) -> &str {
        self.hint.as_deref().unwrap_or_else(|| panic!("no X-Sandbox-Hint on {} {}", self.status, self.json))
    }

    /// Asserts a Binance rejection: status, code, message, and that a hint came with it.
    #[track_caller]
    pub fn assert_rejected(&self, status: u16, code: i64, msg: &str) {
        assert_eq!((self.status, self.code(), self.msg()), (status, code, msg), "answer {:?}", self);
        assert!(self.hint.as_deref().is_some_and(|h| !h.is_empty()), "no hint: {self:?}");
        assert!(self.weight.is_some(), "no X-MBX-USED-WEIGHT-1M: {self:?}");
    }

    #[track_caller]
    pub fn assert_ok(&self) {
        assert_eq!(self.status, 200, "answer {:?}", self);
        assert!(self.weight.is_some(), "no X-MBX-USED-WEIGHT-1M: {self:?}");
    }
}

/// The docs' HMAC example order (rest-api.md, "SIGNED Endpoint Examples"), with a fresh timestamp.
pub fn docs_order() -> Params {
    Params::new()
        .text("symbol", "LTCBTC")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "1")
        .text("price", "0.1")
        .text("recvWindow", "5000")
        .int("timestamp", now_ms())
}

/// Signs `params` placed as asked.
pub fn sign(params: &Params, placement: Placement, signer: &Signer) -> SignedRest {
    RestPayload::render(params, placement).sign(signer)
}

/// Sends exactly `query` and `body` (a form body when not empty), with `X-MBX-APIKEY: key` if given.
pub async fn send(
    sb: &TestSandbox,
    method: Method,
    path: &str,
    query: &str,
    body: &str,
    key: Option<&str>,
) -> Answer {
    let url = if query.is_empty() { sb.url(path) } else { sb.url(&format!("{path}?{query}")) };
    let mut req = client().request(method, url);
    if let Some(key) = key {
        req = req.header("X-MBX-APIKEY", key);
    }
    if !body.is_empty() {
        req = req.header("Content-Type", "application/x-www-form-urlencoded").body(body.to_owned());
    }
    Answer::read(req.send().await.expect("request sent")).await
}

/// Signs and sends with the demo key.
pub async fn send_signed(
    sb: &TestSandbox,
    method: Method,
    path: &str,
    params: &Params,
    placement: Placement,
) -> Answer {
    let s = sign(params, placement, &demo_signer());
    send(sb, method, path, s.query(), s.body(), Some(DEMO_API_KEY)).await
}

/// `GET path` with no key.
pub async fn get(sb: &TestSandbox, path_and_query: &str) -> Answer {
    Answer::read(client().get(sb.url(path_and_query)).send().await.expect("request sent")).await
}

/// `POST` a JSON body to the admin API.
pub async fn admin(sb: &TestSandbox, path: &str, body: Value) -> Answer {
    Answer::read(client().post(sb.url(path)).json(&body).send().await.expect("request sent")).await
}

/// Registers the vectors' public key of `kind` on the demo account; returns its API key.
pub async fn register_key(sb: &TestSandbox, kind: mbx_core::sign::KeyKind) -> String {
    let answer = admin(
        sb,
        "/sandbox/v1/keys",
        serde_json::json!({ "kind": kind.as_str(), "publicKey": mbx_testkit::keys::public_pem(kind) }),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.json["apiKey"].as_str().expect("apiKey").to_owned()
}

/// Sends `pairs` plus a fresh `timestamp`, signed with the demo key: in the body for POST, in the
/// query string otherwise.
pub async fn call(sb: &TestSandbox, method: Method, path: &str, pairs: &[(&str, &str)]) -> Answer {
    let mut p = Params::new();
    for (k, v) in pairs {
        p = p.text(k.to_string(), *v);
    }
    let p = p.int("timestamp", now_ms());
    let placement = if method == Method::POST { Placement::Body } else { Placement::Query };
    send_signed(sb, method, path, &p, placement).await
}

/// `POST /api/v3/order` with `pairs`, by the demo account.
pub async fn place(sb: &TestSandbox, pairs: &[(&str, &str)]) -> Answer {
    call(sb, Method::POST, "/api/v3/order", pairs).await
}

/// A sandbox without the market maker: every book starts empty.
pub async fn empty_books() -> TestSandbox {
    TestSandbox::start_with(mbx_sandbox::Sandbox::builder().memory().market_maker(false)).await
}

/// The demo account's (free, locked) of `asset`, as decimals.
pub async fn balance(sb: &TestSandbox, asset: &str) -> (rust_decimal::Decimal, rust_decimal::Decimal) {
    let a = call(sb, Method::GET, "/api/v3/account", &[]).await;
    a.assert_ok();
    let b = a.json["balances"]
        .as_array()
        .expect("balances")
        .iter()
        .find(|b| b["asset"] == asset)
        .unwrap_or_else(|| panic!("no {asset} balance in {}", a.json));
    (dec(&b["free"]), dec(&b["locked"]))
}

/// A JSON string field as a decimal.
#[track_caller]
pub fn dec(v: &Value) -> rust_decimal::Decimal {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).parse().unwrap_or_else(|e| panic!("{v}: {e}"))
}

/// A decimal literal.
#[track_caller]
pub fn d(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Best bid and ask of `symbol` from `GET /api/v3/depth`.
pub async fn best(sb: &TestSandbox, symbol: &str) -> (rust_decimal::Decimal, rust_decimal::Decimal) {
    let a = get(sb, &format!("/api/v3/depth?symbol={symbol}&limit=1")).await;
    a.assert_ok();
    (dec(&a.json["bids"][0][0]), dec(&a.json["asks"][0][0]))
}
