//! A small WebDriver client (the W3C protocol over HTTP, with reqwest) driving Debian's headless
//! `chromium` through `chromedriver`, for the console's end-to-end tests. `.ci/run` installs both.
//!
//! Every wait polls the page with a deadline; nothing sleeps to synchronize.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key W3C WebDriver names an element by.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long a wait for the page lasts before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(15);

/// Where chromedriver is, if installed.
fn chromedriver() -> Option<PathBuf> {
    let from_env = std::env::var_os("CHROMEDRIVER").map(PathBuf::from);
    from_env.into_iter().chain([PathBuf::from("/usr/bin/chromedriver")]).find(|p| p.exists())
}

/// Where chromium is.
fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

/// One browser at a time: chromium is heavy on a small machine.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A chromedriver process and one headless chromium session. Dropping it ends both.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _one: tokio::sync::MutexGuard<'static, ()>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The session first (chromedriver closes its chromium), then chromedriver.
        if !self.session.is_empty()
            && let Ok(mut tcp) = std::net::TcpStream::connect(self.base.trim_start_matches("http://"))
        {
            use std::io::{Read, Write};
            let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
            let head = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                self.session
            );
            if tcp.write_all(head.as_bytes()).is_ok() {
                let _ = tcp.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// A browser, or `None` (with a message) when chromedriver is not installed and `CI` is not
    /// set; under `CI` a missing chromedriver fails the test.
    pub async fn start() -> Option<Browser> {
        let Some(path) = chromedriver() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but chromedriver is missing: .ci/run installs chromium and chromium-driver"
            );
            eprintln!(
                "skipped: no chromedriver (apt-get install chromium chromium-driver to run the console's browser tests)"
            );
            return None;
        };
        let one = ONE_BROWSER.lock().await;
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let driver = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::builder().no_proxy().build().expect("reqwest client");
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser { driver, base, session: String::new(), http, _one: one };
        let ready = Instant::now() + DEADLINE;
        loop {
            let status = browser.http.get(format!("{}/status", browser.base)).send().await;
            if let Ok(r) = status
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < ready, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1400,900", "--no-proxy-server", "--force-color-profile=srgb"],
            },
        } } });
        let session = browser.raw("POST", "/session", Some(caps)).await;
        browser.session = session["sessionId"].as_str().expect("a session id").to_owned();
        Some(browser)
    }

    /// A WebDriver command; returns its `value`, panicking on an error answer.
    async fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        match self.try_raw(method, path, body).await {
            Ok(v) => v,
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        }
    }

    /// A WebDriver command: its `value`, or the error answer's.
    async fn try_raw(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Value> {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body.unwrap_or_else(|| json!({}))),
        };
        let answer: Value = req.send().await.expect("chromedriver answers").json().await.expect("JSON");
        if answer["value"].get("error").is_some() {
            Err(answer["value"].clone())
        } else {
            Ok(answer["value"].clone())
        }
    }

    /// A command of this session.
    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.raw(method, &format!("/session/{}{path}", self.session), body).await
    }

    /// Opens `url`.
    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url }))).await;
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns what it returns.
    pub async fn eval(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({ "script": script, "args": args }))).await
    }

    /// Polls `script` until it returns something other than `null`, `false`, `0` or `""`, and
    /// returns that; fails after [`DEADLINE`] with `what` and the last value.
    pub async fn wait(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let v = self.eval(script, json!([])).await;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what} (last: {v})");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element `css` selects (waiting for it to exist).
    pub async fn find(&self, css: &str) -> String {
        self.wait(&format!("element {css}"), &format!("return !!document.querySelector({});", json!(css)))
            .await;
        let found =
            self.cmd("POST", "/element", Some(json!({ "using": "css selector", "value": css }))).await;
        found[ELEMENT].as_str().expect("an element id").to_owned()
    }

    /// Clicks the element `css` selects, as a user would. The page redraws its tables as new data
    /// comes (the keys table on every refresh), so the element found may be replaced before the
    /// click reaches it ("stale element reference"): then it is found again, until [`DEADLINE`].
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let id = self.find(css).await;
            let path = format!("/session/{}/element/{id}/click", self.session);
            match self.try_raw("POST", &path, None).await {
                Ok(_) => return,
                Err(e) if e["error"] == "stale element reference" && Instant::now() < deadline => continue,
                Err(e) => panic!("WebDriver click on {css}: {e}"),
            }
        }
    }

    /// Clears the field `css` selects and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd("POST", &format!("/element/{id}/clear"), None).await;
        self.cmd("POST", &format!("/element/{id}/value"), Some(json!({ "text": text }))).await;
    }

    /// Chooses `value` in the `<select>` `css` selects (and tells the page, as a user's choice does).
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await;
        let script = "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
                      s.dispatchEvent(new Event('change', { bubbles: true })); return s.value;";
        let chosen = self.eval(script, json!([css, value])).await;
        assert_eq!(chosen, value, "{css} has no option {value}");
    }

    /// The text of the element `css` selects.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await;
        let v = self.eval("return document.querySelector(arguments[0]).textContent;", json!([css])).await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Saves a PNG of the window as `docs/console/<name>.png` when `MBX_SCREENSHOTS=docs`, else in
    /// the test's temporary directory (so a test run leaves the repository as it was).
    pub async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let data = self.cmd("GET", "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("base64 screenshot"))
            .expect("PNG bytes");
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        let dir = if std::env::var("MBX_SCREENSHOTS").as_deref() == Ok("docs") {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/console")
        } else {
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("console")
        };
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }
}
