//! The web console: its request log and JSON (over HTTP, the WebSocket API and streams), and the page
//! itself end to end in headless chromium (`browser.rs`): a rejection and its diagnosis, an order
//! seen in the book and open orders then cancelled from the page, a key added on the page that
//! authenticates, a deposit in the balances, and the page keeping up with 1,000 requests a second.

use std::time::{Duration, Instant};

use mbx_core::Params;
use mbx_core::payload::Placement;
use mbx_core::sign::{HmacSigner, KeyKind, Signer};
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::{Browser, DEADLINE};
use crate::support::{DEMO_API_KEY, call, client, demo_signer, empty_books, get, now_ms, send, sign};
use crate::ws::connect;

/// `GET /sandbox/v1/console/<path>` as JSON.
async fn console(sb: &TestSandbox, path: &str) -> Value {
    let a = get(sb, &format!("/sandbox/v1/console/{path}")).await;
    assert_eq!(a.status, 200, "{path}: {a:?}");
    a.json
}

/// The log's newest entries (at most 1000).
async fn entries(sb: &TestSandbox, query: &str) -> Vec<Value> {
    console(sb, &format!("log?limit=1000&{query}")).await["entries"].as_array().cloned().unwrap_or_default()
}

/// A request the acceptance check refuses: `timestamp` in seconds, a wrong signature.
async fn rejected_request(sb: &TestSandbox) -> crate::support::Answer {
    let ts = (now_ms() / 1000).to_string();
    send(
        sb,
        Method::GET,
        "/api/v3/account",
        &format!("timestamp={ts}&signature=00ff"),
        "",
        Some(DEMO_API_KEY),
    )
    .await
}

#[tokio::test]
async fn log_records_rest_ws_api_and_streams_with_the_diagnosis_and_no_secret() {
    let sb = empty_books().await;
    call(&sb, Method::GET, "/api/v3/account", &[]).await.assert_ok();
    let refused = rejected_request(&sb).await;
    assert_eq!(refused.code(), -1021);
    // The WebSocket API: one accepted, one refused at its signature.
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let ok = crate::ws::call(
        &mut ws,
        json!({"id": 1, "method": "account.status", "params": crate::ws::signed(json!({}))}),
    )
    .await;
    assert_eq!(ok["status"], 200, "{ok}");
    let mut bad = crate::ws::signed(json!({}));
    bad.insert("signature".into(), json!("0".repeat(64)));
    let no = crate::ws::call(&mut ws, json!({"id": 2, "method": "account.status", "params": bad})).await;
    assert_eq!(no["error"]["code"], -1022, "{no}");
    // A stream connection and a control message.
    let mut stream = connect(&sb, "/ws").await;
    let answer =
        crate::ws::call(&mut stream, json!({"method": "SUBSCRIBE", "params": ["btcusdt@trade"], "id": 7}))
            .await;
    assert_eq!(answer["id"], 7);

    let log = entries(&sb, "").await;
    let find = |pred: &dyn Fn(&Value) -> bool| log.iter().find(|e| pred(e)).cloned();
    let rest_ok = find(&|e| e["transport"] == "rest" && e["path"] == "/api/v3/account" && e["status"] == 200)
        .expect("REST request logged");
    assert_eq!((rest_ok["transport"].as_str(), rest_ok["method"].as_str()), (Some("rest"), Some("GET")));
    assert_eq!(rest_ok["apiKey"].as_str(), Some(mbx_core::accept::shorten_key(DEMO_API_KEY).as_str()));
    let rest_bad = find(&|e| e["code"] == -1021).expect("REST rejection logged");
    assert_eq!((rest_bad["status"].as_u64(), rest_bad["diagnosable"].as_bool()), (Some(400), Some(true)));
    let ws_ok =
        find(&|e| e["method"] == "account.status" && e["status"] == 200).expect("WebSocket API request");
    assert_eq!(
        (ws_ok["transport"].as_str(), ws_ok["path"].as_str()),
        (Some("ws-api"), Some("/api/v3/account"))
    );
    let ws_bad =
        find(&|e| e["method"] == "account.status" && e["code"] == -1022).expect("WebSocket API rejection");
    assert_eq!(ws_bad["diagnosable"], true);
    find(&|e| e["transport"] == "stream" && e["path"] == "/ws" && e["status"] == 101)
        .expect("stream upgrade");
    let control = find(&|e| e["method"] == "SUBSCRIBE").expect("control message");
    assert_eq!((control["path"].as_str(), control["status"].as_u64()), (Some("btcusdt@trade"), Some(200)));
    // The console's own requests are not in its log.
    assert!(log.iter().all(|e| !e["path"].as_str().unwrap_or("").starts_with("/sandbox/v1/console")));

    // Filters.
    let errors = entries(&sb, "status=error").await;
    assert!(errors.len() >= 2 && errors.iter().all(|e| e["status"].as_u64() >= Some(400)), "{errors:?}");
    let by_path = entries(&sb, "path=account.status").await;
    assert_eq!(by_path.len(), 2);
    let by_key = entries(&sb, &format!("key={DEMO_API_KEY}")).await;
    assert!(by_key.len() >= 3 && by_key.iter().all(|e| e["apiKey"] == rest_ok["apiKey"]));
    let page = console(&sb, "log?limit=1").await;
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(1));
    assert!(page["recorded"].as_u64() >= Some(log.len() as u64));

    // One entry's detail: the doctor's diagnosis, and no secret anywhere.
    for id in [&rest_bad["id"], &ws_bad["id"]] {
        let detail = console(&sb, &format!("log/{id}")).await;
        let findings = detail["rejection"]["diagnosis"]["findings"].as_array().cloned().unwrap_or_default();
        assert!(!findings.is_empty(), "{detail}");
        let text = detail.to_string();
        assert!(!text.contains(mbx_testkit::keys::DEMO_SECRET_KEY), "secret shown: {text}");
        assert!(!text.contains(DEMO_API_KEY), "full API key shown: {text}");
        assert!(!text.contains(&"0".repeat(64)), "whole signature shown: {text}");
    }
    let detail = console(&sb, &format!("log/{}", rest_bad["id"])).await;
    assert_eq!(detail["rejection"]["diagnosis"]["findings"][0]["cause"], "timestamp-seconds", "{detail}");
    assert_eq!(get(&sb, "/sandbox/v1/console/log/999999").await.status, 400);
}

#[tokio::test]
async fn console_json_shows_accounts_orders_market_and_cancels() {
    let sb = empty_books().await;
    let placed = call(
        &sb,
        Method::POST,
        "/api/v3/order",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "50000.5"),
        ],
    )
    .await;
    placed.assert_ok();
    let id = placed.json["orderId"].as_u64().expect("orderId");
    let accounts = console(&sb, "accounts").await;
    let demo = &accounts["accounts"][0];
    assert_eq!((demo["accountId"].as_i64(), demo["name"].as_str()), (Some(1), Some("demo")));
    let usdt = demo["balances"].as_array().and_then(|b| b.iter().find(|b| b["asset"] == "USDT")).cloned();
    assert_eq!(usdt.map(|b| b["locked"].clone()), Some(json!("500.00500000")));
    let orders = console(&sb, "orders?account=1").await;
    assert_eq!(orders["open"][0]["orderId"].as_u64(), Some(id));
    let market = console(&sb, "market?symbol=BTCUSDT").await;
    assert_eq!(market["book"]["bids"][0], json!(["50000.50000000", "0.01000000"]));
    assert_eq!(market["marketMaker"]["on"], false);

    let cancelled = client()
        .post(sb.url("/sandbox/v1/console/cancel"))
        .json(&json!({ "account": 1, "symbol": "BTCUSDT", "orderId": id }))
        .send()
        .await
        .expect("sent");
    assert_eq!(cancelled.status(), 200);
    let body: Value = cancelled.json().await.expect("JSON");
    assert_eq!((body["orderId"].as_u64(), body["status"].as_str()), (Some(id), Some("CANCELED")));
    assert_eq!(console(&sb, "orders?account=1").await["open"], json!([]));
    // Not open any more: Binance's -2011.
    let again = client()
        .post(sb.url("/sandbox/v1/console/cancel"))
        .json(&json!({ "account": 1, "symbol": "BTCUSDT", "orderId": id }))
        .send()
        .await
        .expect("sent");
    assert_eq!(again.json::<Value>().await.expect("JSON")["code"], -2011);
    // A key's permissions, changed: the next request is judged by them.
    let set = |permissions: Value| {
        client()
            .post(sb.url("/sandbox/v1/keys/permissions"))
            .json(&json!({ "apiKey": DEMO_API_KEY, "permissions": permissions }))
            .send()
    };
    let changed: Value = set(json!(["USER_DATA"])).await.expect("sent").json().await.expect("JSON");
    assert_eq!(changed["permissions"], json!(["USER_DATA"]));
    call(&sb, Method::GET, "/api/v3/account", &[]).await.assert_ok();
    let refused = call(&sb, Method::DELETE, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    assert_eq!((refused.status, refused.code()), (401, -2015));
    let keys = get(&sb, "/sandbox/v1/keys").await;
    assert_eq!(keys.json["keys"][0]["permissions"], json!(["USER_DATA"]));
    assert_eq!(set(json!(["TRADE", "USER_DATA", "USER_STREAM"])).await.expect("sent").status(), 200);
    let unknown = client()
        .post(sb.url("/sandbox/v1/keys/permissions"))
        .json(&json!({ "apiKey": "x".repeat(64), "permissions": [] }))
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), 400);
    let settings = console(&sb, "settings").await;
    assert_eq!((settings["offsetMs"].as_i64(), &settings["faults"]), (Some(0), &json!([])));
}

/// A browser on the console of `sb`, or `None` when the browser tests are skipped.
async fn open_console(sb: &TestSandbox) -> Option<Browser> {
    let browser = Browser::start().await?;
    browser.goto(&sb.rest_url()).await;
    browser
        .wait("the live feed", "return document.getElementById('live-state').textContent === 'live';")
        .await;
    Some(browser)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_shows_a_rejection_with_its_diagnosis() {
    let sb = empty_books().await;
    let Some(b) = open_console(&sb).await else { return };
    call(&sb, Method::GET, "/api/v3/account", &[]).await.assert_ok();
    assert_eq!(rejected_request(&sb).await.code(), -1021);
    b.select("#f-status", "error").await;
    let id = b
        .wait("the rejection in the log", "const r = document.querySelector('#log-rows .row'); return r && r.textContent.includes('-1021') && r.dataset.id;")
        .await;
    let id = id.as_str().expect("row id").to_owned();
    assert_eq!(
        b.eval("return document.querySelectorAll('#log-rows .row').length;", json!([])).await,
        1,
        "only the rejection is shown"
    );
    b.click(&format!("#log-rows .row[data-id='{id}']")).await;
    b.find("#detail-findings [data-cause='timestamp-seconds']").await;
    let detail = b.text("#detail").await;
    assert!(detail.contains("Timestamp for this request is outside of the recvWindow."), "{detail}");
    assert!(detail.contains("Fix"), "{detail}");
    assert!(
        !detail.contains(mbx_testkit::keys::DEMO_SECRET_KEY) && !detail.contains(DEMO_API_KEY),
        "{detail}"
    );
    // A signing mistake the doctor reproduces: signed before adding timestamp. The page shows what
    // was verified beside what was signed.
    let ts = now_ms().to_string();
    let early = demo_signer().sign(b"symbol=BTCUSDT");
    let query = format!("symbol=BTCUSDT&timestamp={ts}&signature={}", early.as_str());
    let mistaken = send(&sb, Method::GET, "/api/v3/openOrders", &query, "", Some(DEMO_API_KEY)).await;
    assert_eq!(mistaken.code(), -1022);
    let id = b
        .wait("the mistaken request", "const r = document.querySelector('#log-rows .row'); return r && r.textContent.includes('-1022') && r.dataset.id;")
        .await;
    b.click(&format!("#log-rows .row[data-id='{}']", id.as_str().expect("row id"))).await;
    b.find("#detail-signed").await;
    assert_eq!(b.text("#detail-signed").await, "symbol=BTCUSDT");
    assert_eq!(b.text("#detail-verified").await, format!("symbol=BTCUSDT&timestamp={ts}"));
    // Every request again, a few more of them, the diagnosis still open.
    for path in ["/api/v3/ping", "/api/v3/time", "/api/v3/depth?symbol=BTCUSDT", "/api/v3/depth"] {
        get(&sb, path).await;
    }
    b.select("#f-status", "").await;
    b.wait("every request", "return document.querySelectorAll('#log-rows .row').length >= 6;").await;
    b.screenshot("requests").await;
    // The other theme: another background, the same page.
    let background = "return getComputedStyle(document.body).backgroundColor;";
    let before = b.eval(background, json!([])).await;
    b.click("#theme").await;
    b.wait(
        "the other theme",
        &format!("return getComputedStyle(document.body).backgroundColor !== {before};"),
    )
    .await;
    b.screenshot("requests-dark").await;
    // The keyboard opens a row too: the newest accepted request, with no diagnosis.
    b.select("#f-status", "ok").await;
    b.wait("the accepted request", "return document.querySelectorAll('#log-rows .row').length > 0;").await;
    b.click("#log").await;
    b.eval("document.getElementById('log').dispatchEvent(new KeyboardEvent('keydown', {key: 'Home', bubbles: true}));", json!([])).await;
    b.eval("document.getElementById('log').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));", json!([])).await;
    b.wait(
        "the accepted request's detail",
        "const r = document.querySelector('#log-rows .row'); \
         return r.getAttribute('aria-selected') === 'true' && r.children[5].textContent === '200' \
           && document.querySelector('#detail h2')?.textContent === 'GET ' + r.children[3].textContent;",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_shows_an_order_in_book_and_open_orders_and_cancels_it() {
    let sb = empty_books().await;
    let Some(b) = open_console(&sb).await else { return };
    let placed = call(
        &sb,
        Method::POST,
        "/api/v3/order",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "50000.5"),
        ],
    )
    .await;
    placed.assert_ok();
    let id = placed.json["orderId"].as_u64().expect("orderId");
    b.click("#tab-market").await;
    b.find("#bids-table tr[data-price='50000.50000000']").await;
    b.wait(
        "the live stream",
        "return document.getElementById('market-state').textContent.startsWith('live');",
    )
    .await;
    b.click("#tab-orders").await;
    b.find(&format!("#open-table tr[data-order-id='{id}']")).await;
    b.screenshot("orders").await;
    b.click(&format!("#open-table tr[data-order-id='{id}'] button.cancel")).await;
    b.wait(
        "the order gone from open orders",
        &format!("return !document.querySelector(\"#open-table tr[data-order-id='{id}']\") && document.querySelector(\"#history-table tr[data-order-id='{id}']\")?.textContent.includes('CANCELED');"),
    )
    .await;
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[]).await;
    assert_eq!(open.json, json!([]), "cancelled in the sandbox too");
    // The book, from the sandbox's own stream, loses it.
    b.click("#tab-market").await;
    b.wait("the bid gone from the book", "return document.getElementById('market-state').textContent.startsWith('live') && !document.querySelector(\"#bids-table tr[data-price='50000.50000000']\");").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_adds_keys_that_authenticate() {
    let sb = empty_books().await;
    let Some(b) = open_console(&sb).await else { return };
    b.click("#tab-keys").await;
    // HMAC: the secret is shown once.
    b.select("#key-kind", "hmac").await;
    b.click("#key-submit").await;
    let secret =
        b.wait("the new secret", "return document.getElementById('new-secret-key')?.textContent;").await;
    let api_key = b.text("#new-api-key").await;
    let secret = secret.as_str().expect("secret").to_owned();
    let hmac = Signer::Hmac(HmacSigner::new(secret.as_bytes()));
    let params = Params::new().int("timestamp", now_ms());
    let s = sign(&params, Placement::Query, &hmac);
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", Some(&api_key)).await.assert_ok();
    // Ed25519: the public key pasted.
    b.select("#key-kind", "ed25519").await;
    b.fill("#key-pem", &mbx_testkit::keys::public_pem(KeyKind::Ed25519)).await;
    b.click("#key-submit").await;
    let ed_key = b
        .wait("the Ed25519 key", &format!("const k = document.getElementById('new-api-key')?.textContent; return k !== {} && !document.getElementById('new-secret-key') && k;", json!(api_key)))
        .await;
    let ed_key = ed_key.as_str().expect("API key").to_owned();
    let s = sign(
        &Params::new().int("timestamp", now_ms()),
        Placement::Query,
        &mbx_testkit::keys::signer(KeyKind::Ed25519),
    );
    send(&sb, Method::GET, "/api/v3/account", s.query(), "", Some(&ed_key)).await.assert_ok();
    b.find(&format!("#keys-table tr[data-api-key='{ed_key}']")).await;
    b.screenshot("keys").await;
    // Permissions changed on the page: without TRADE, an order is refused with -2015.
    let order = [
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.01"),
        ("price", "50000"),
    ];
    let place_with = |key: String, signer: Signer| {
        let sb = &sb;
        async move {
            let mut p = Params::new();
            for (k, v) in order {
                p = p.text(k, v);
            }
            let s = sign(&p.int("timestamp", now_ms()), Placement::Body, &signer);
            send(sb, Method::POST, "/api/v3/order", "", s.body(), Some(&key)).await
        }
    };
    place_with(api_key.clone(), hmac.clone()).await.assert_ok();
    b.click(&format!("#keys-table tr[data-api-key='{api_key}'] input[value='TRADE']")).await;
    b.wait("TRADE removed", &format!("return document.querySelector(\"#keys-table tr[data-api-key='{api_key}'] input[value='TRADE']\")?.checked === false && document.getElementById('key-result').textContent.includes('USER_DATA, USER_STREAM');")).await;
    assert_eq!(place_with(api_key.clone(), hmac.clone()).await.code(), -2015);
    // Revoked from the page: refused with -2015.
    b.click(&format!("#keys-table tr[data-api-key='{api_key}'] button")).await;
    b.wait("the key revoked", &format!("return document.querySelector(\"#keys-table tr[data-api-key='{api_key}']\")?.textContent.includes('revoked');")).await;
    let s = sign(&Params::new().int("timestamp", now_ms()), Placement::Query, &hmac);
    assert_eq!(send(&sb, Method::GET, "/api/v3/account", s.query(), "", Some(&api_key)).await.code(), -2015);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_deposit_shows_in_balances_and_market_maker_clock_and_faults_change() {
    // With the market maker, for its state in the Market view.
    let sb = TestSandbox::start().await;
    let Some(b) = open_console(&sb).await else { return };
    b.click("#tab-accounts").await;
    b.find("#deposit-account option[value='1']").await;
    b.select("#deposit-account", "1").await;
    b.fill("#deposit-asset", "CONSOLE").await;
    b.fill("#deposit-amount", "12.5").await;
    b.click("#deposit-submit").await;
    b.find("#balances-table tr[data-asset='CONSOLE'] td[data-free='12.50000000']").await;
    let account = call(&sb, Method::GET, "/api/v3/account", &[]).await;
    let found =
        account.json["balances"].as_array().and_then(|b| b.iter().find(|x| x["asset"] == "CONSOLE")).cloned();
    assert_eq!(found.map(|x| x["free"].clone()), Some(json!("12.50000000")));
    b.find("#changes-table tr[data-asset='CONSOLE'][data-account='1']").await;
    assert_eq!(b.text("#changes-table tr[data-asset='CONSOLE'] td:nth-child(4)").await, "+12.50000000");
    b.screenshot("accounts").await;
    // The market maker's state and its quotes.
    b.click("#tab-market").await;
    b.wait("the market maker quoting", "return document.getElementById('mm').textContent.includes('quoting') && document.querySelectorAll('#bids-table tbody tr').length > 0;").await;
    b.wait(
        "the live stream",
        "return document.getElementById('market-state').textContent.startsWith('live');",
    )
    .await;
    // A trade arrives live, from the sandbox's own trade stream.
    let bought = call(
        &sb,
        Method::POST,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")],
    )
    .await;
    bought.assert_ok();
    b.wait(
        "the trade",
        "return document.querySelector('#market-trades tbody tr')?.textContent.includes('60030.00000000');",
    )
    .await;
    b.screenshot("market").await;
    // Clock and faults.
    b.click("#tab-settings").await;
    b.fill("#offset", "-2500").await;
    b.click("#clock-form button[type='submit']").await;
    b.wait("the offset", "return document.getElementById('clock-offset').textContent === '-2500';").await;
    assert_eq!(sb.state().clock().offset_ms(), -2500);
    b.fill("#fault-code", "-1007").await;
    b.click("#faults-form button[type='submit']").await;
    b.wait(
        "the planned fault",
        "return document.getElementById('faults-list').textContent.includes('code -1007');",
    )
    .await;
    assert_eq!(sb.faults().pending().len(), 1);
    b.screenshot("clock-and-faults").await;
    // Chaos: shown with its counters, turned off from the page.
    let on =
        crate::support::admin(&sb, "/sandbox/v1/chaos", json!({"seed": 4, "clock": {"maxJumpMs": 10}})).await;
    assert_eq!(on.status, 200, "{on:?}");
    b.click("#tab-requests").await;
    b.click("#tab-settings").await;
    b.wait("chaos on", "return document.getElementById('chaos-enabled').textContent === 'on';").await;
    assert!(b.text("#chaos-injected").await.contains("clockJumps"));
    b.click("#chaos-off").await;
    b.wait("chaos off", "return document.getElementById('chaos-enabled').textContent === 'off';").await;
    assert!(!sb.state().chaos().enabled());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_keeps_up_with_a_thousand_requests_a_second() {
    let sb = empty_books().await;
    let Some(b) = open_console(&sb).await else { return };
    let http = client();
    let url = sb.url("/api/v3/ping");
    let (seconds, per_tick) = (3u64, 10usize);
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut sent = 0usize;
    let mut lag = 0u64;
    for round in 0..(seconds * 100) {
        tick.tick().await;
        let batch: Vec<_> = (0..per_tick).map(|_| http.get(&url).send()).collect();
        for r in futures_util::future::join_all(batch).await {
            assert_eq!(r.expect("ping answered").status(), 200);
            sent += 1;
        }
        // Once a second, how far the page is behind the log.
        if round % 100 == 99 {
            let page =
                b.eval("return Number(document.getElementById('log-count').dataset.count);", json!([])).await;
            let recorded = console(&sb, "log?limit=0").await["recorded"].as_u64().unwrap_or(0);
            lag = lag.max(recorded.saturating_sub(page.as_u64().unwrap_or(0)));
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(sent, 3000);
    eprintln!("sent {sent} requests in {elapsed:?}; the page was at most {lag} entries behind");
    assert!(
        elapsed < Duration::from_secs(seconds * 2),
        "the load ran at {} req/s",
        sent as f64 / elapsed.as_secs_f64()
    );
    // The page catches up: its count equals the log's, polled with a deadline.
    let recorded = console(&sb, "log?limit=0").await["recorded"].as_u64().expect("recorded");
    assert!(recorded >= 3000);
    b.wait(
        "the page's count to reach the log's",
        &format!("return Number(document.getElementById('log-count').dataset.count) === {recorded};"),
    )
    .await;
    assert!(lag < 1000, "the page fell {lag} entries behind (more than a second of requests)");
    // A fresh page paints a log of more than 10,000 entries quickly.
    for i in 0..10_000u64 {
        sb.state().requests().push(filler(i));
    }
    let recorded = console(&sb, "log?limit=0").await["recorded"].as_u64().expect("recorded");
    assert!(recorded >= 13_000);
    let start = Instant::now();
    b.goto(&sb.rest_url()).await;
    b.wait(
        "the reloaded page's count",
        &format!(
            "return Number(document.getElementById('log-count').dataset.count) >= {recorded} \
             && document.querySelector('#log-rows .row')?.textContent.includes('/api/v3/filler/9999');"
        ),
    )
    .await;
    let paint = start.elapsed();
    eprintln!("first paint of {recorded} entries: {paint:?}");
    // And then holds every one of them, the older ones below.
    b.wait(
        "every entry on the page",
        &format!("return Number(document.getElementById('log-count').dataset.shown) === {recorded};"),
    )
    .await;
    assert!(paint < DEADLINE / 3, "first paint of {recorded} entries took {paint:?}");
}

/// A synthetic entry, for filling the log.
fn filler(i: u64) -> mbx_sandbox::console::Entry {
    mbx_sandbox::console::Entry {
        id: 0,
        at_ms: now_ms(),
        transport: mbx_sandbox::console::Transport::Rest,
        method: "GET".into(),
        path: format!("/api/v3/filler/{i}").into(),
        api_key: None,
        status: 200,
        code: None,
        latency_us: 1,
        hint: None,
        rejected: None,
    }
}

#[tokio::test]
async fn live_feed_sends_the_newest_first_then_history_then_every_new_entry_and_account_changes() {
    let sb = empty_books().await;
    for i in 0..12_000 {
        sb.state().requests().push(filler(i));
    }
    let mut live = connect(&sb, "/sandbox/v1/console/live?after=0").await;
    let ids = |m: &Value| -> Vec<u64> {
        m["entries"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["id"].as_u64()).collect())
            .unwrap_or_default()
    };
    // The newest 5,000 first, then older batches going back, each oldest first.
    let first = crate::ws::next_json(&mut live).await;
    assert_eq!((first["type"].as_str(), first["recorded"].as_u64()), (Some("log"), Some(12_000)));
    assert_eq!(ids(&first), (7_001..=12_000).collect::<Vec<_>>());
    let second = crate::ws::next_json(&mut live).await;
    assert_eq!(second["type"], "history");
    assert_eq!(ids(&second), (2_001..=7_000).collect::<Vec<_>>());
    let third = crate::ws::next_json(&mut live).await;
    assert_eq!(ids(&third), (1..=2_000).collect::<Vec<_>>());
    // Then each new request, in order, and the accounts a commit changed.
    for _ in 0..3 {
        get(&sb, "/api/v3/ping").await;
    }
    let deposit = crate::support::admin(
        &sb,
        "/sandbox/v1/deposit",
        json!({ "account": 1, "asset": "LIVE", "amount": "1" }),
    )
    .await;
    assert_eq!(deposit.status, 200);
    let (mut seen, mut accounts) = (Vec::new(), None);
    while seen.len() < 4 || accounts.is_none() {
        let m = crate::ws::next_json(&mut live).await;
        match m["type"].as_str() {
            Some("log") => seen.extend(ids(&m)),
            Some("accounts") => accounts = Some(m["ids"].clone()),
            other => panic!("unexpected message {other:?}: {m}"),
        }
    }
    assert_eq!(seen, (12_001..=12_004).collect::<Vec<_>>(), "three pings and the deposit, in order");
    assert_eq!(accounts, Some(json!([1])));
}

/// A WebSocket API rejection's hint in the log is the doctor's finding, as REST's `X-Sandbox-Hint`
/// is: a timestamp in seconds is named as such, not only as outside the recvWindow.
#[tokio::test]
async fn ws_api_rejection_hint_is_the_doctor_finding() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let seconds = (now_ms() / 1000).to_string();
    let mut params = serde_json::Map::new();
    params.insert("apiKey".into(), json!(DEMO_API_KEY));
    params.insert("timestamp".into(), json!(seconds));
    let payload = format!("apiKey={DEMO_API_KEY}&timestamp={seconds}");
    params.insert("signature".into(), json!(demo_signer().sign(payload.as_bytes()).to_string()));
    let no = crate::ws::call(&mut ws, json!({"id": 1, "method": "account.status", "params": params})).await;
    assert_eq!(no["error"]["code"], -1021, "{no}");
    let log = entries(&sb, "status=error").await;
    let entry = log.iter().find(|e| e["method"] == "account.status").expect("logged");
    let detail = console(&sb, &format!("log/{}", entry["id"])).await;
    let hint = detail["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("in seconds") && hint.contains("multiply by 1000"), "{hint}");
}
