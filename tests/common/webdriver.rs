//! The window through WebDriver: every call within a time limit, and what
//! the tests ask of it again and again.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use super::{free_port, program, Guard};

/// A WebDriver call, with a time limit: a hung webview fails the test.
pub async fn within<T>(
    what: &str,
    call: impl std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
) -> T {
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within 30 s"))
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Waits until `#status` says something that starts with `expected`.
pub async fn status_becomes(client: &Client, expected: &str) {
    text_becomes(client, "#status", expected).await;
}

/// Clicks the element; found again where the page replaced it between
/// finding and clicking, or while finding it (a list re-rendered by a new
/// state: WebKitWebDriver says the element was not found, or is stale).
pub async fn click(client: &Client, selector: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let replaced = |error: &fantoccini::error::CmdError| {
        let said = error.to_string();
        said.contains("was not found") || said.contains("Stale element")
    };
    loop {
        let found =
            tokio::time::timeout(Duration::from_secs(30), client.find(Locator::Css(selector)))
                .await
                .unwrap_or_else(|_| panic!("{selector}: no answer within 30 s"));
        let clicked = match found {
            Ok(element) => tokio::time::timeout(Duration::from_secs(30), element.click())
                .await
                .unwrap_or_else(|_| panic!("{selector}: no answer within 30 s"))
                .map(drop),
            Err(error) => Err(error),
        };
        match clicked {
            Ok(()) => return,
            Err(error) if replaced(&error) => {
                assert!(Instant::now() < deadline, "{selector}: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("{selector}: {error}"),
        }
    }
}

/// Lets the webview paint the current state (two animation frames), then
/// saves a PNG of the window.
pub async fn screenshot(client: &Client, name: &str) {
    within(
        "paint",
        client.execute_async(
            "requestAnimationFrame(() => requestAnimationFrame(arguments[0]))",
            vec![],
        ),
    )
    .await;
    let png = within("screenshot", client.screenshot()).await;
    std::fs::write(super::screenshot_dir().join(format!("{name}.png")), png).unwrap();
}

/// Whether the element is shown.
pub async fn displayed(client: &Client, selector: &str) -> bool {
    let element = within(selector, client.find(Locator::Css(selector))).await;
    within(selector, element.is_displayed()).await
}

/// The element's text.
pub async fn text(client: &Client, selector: &str) -> String {
    let element = within(selector, client.find(Locator::Css(selector))).await;
    within(selector, element.text()).await
}

/// Waits until the element's text starts with `expected`.
pub async fn text_becomes(client: &Client, selector: &str, expected: &str) {
    if let Err(stayed) = text_within(client, selector, expected).await {
        panic!("{stayed}");
    }
}

/// Waits until the element's text starts with `expected`, at most a
/// minute; what it stayed, where it did not.
async fn text_within(client: &Client, selector: &str, expected: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(element) = client.find(Locator::Css(selector)).await {
            last = element.text().await.unwrap_or_default();
            if last.starts_with(expected) {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{selector} stayed {last:?}, expected {expected:?}"))
}

/// tauri-driver (with WebKitWebDriver) on a free port, driving the real
/// window of the real app.
pub struct Driver {
    pub url: String,
    /// What the driver and the app it launched wrote to stderr.
    pub log: PathBuf,
    _process: Guard,
    _dir: tempfile::TempDir,
}

impl Driver {
    pub fn start(env: &[(String, String)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("driver.log");
        let port = free_port();
        let native_port = free_port();
        let process = Guard(
            Command::new("tauri-driver")
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .envs(env.iter().cloned())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .expect("tauri-driver runs (the README's test command installs it)"),
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            url: format!("http://127.0.0.1:{port}"),
            log,
            _process: process,
            _dir: dir,
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `status_becomes`, saying the app's log where the state does not
    /// come: what went wrong under load is then on record.
    pub async fn status_becomes(&self, client: &Client, expected: &str) {
        self.text_becomes(client, "#status", expected).await;
    }

    /// `text_becomes`, saying the app's log where the text does not come.
    pub async fn text_becomes(&self, client: &Client, selector: &str, expected: &str) {
        if let Err(stayed) = text_within(client, selector, expected).await {
            panic!("{stayed}; the app's log:\n{}", self.log_text());
        }
    }

    /// Launches the app with `args` and attaches to its window.
    pub async fn launch(&self, args: &[String]) -> fantoccini::Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": program(), "args": args }),
        );
        let mut builder = fantoccini::ClientBuilder::native();
        builder.capabilities(capabilities);
        let connect = builder.connect(&self.url);
        tokio::time::timeout(Duration::from_secs(90), connect)
            .await
            .expect("a WebDriver session within 90 s")
            .expect("a WebDriver session")
    }
}
