//! Shared set-up of the end-to-end tests: the real provider (oidc-provider
//! on loopback), a private D-Bus session with an unlocked gnome-keyring, the
//! app itself, and the test browser handed to it as `$BROWSER`. Every
//! process is killed when its guard drops; every wait has a time limit.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

pub mod fake;
pub mod network;
pub mod notices;
mod provider;
pub mod terminal;
pub mod webdriver;

pub use provider::{Kind, Provider, ProviderOptions};

/// The client id the test provider registers (a public, native client).
pub const CLIENT_ID: &str = "pkce-tray-dev";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The window's binary, beside the tray's as the tray looks for it. It
/// belongs to another package of the workspace, which cargo does not build
/// for this one's tests: nextest's setup script does
/// (`.config/nextest.toml`), or `cargo build -p pkce-tray-window`.
pub fn window_binary() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_pkce-tray")).with_file_name("pkce-tray-window");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p pkce-tray-window` first",
        binary.display()
    );
    binary
}

pub(crate) fn provider_dir() -> PathBuf {
    repo().join("tests").join("provider")
}

/// The test browser, used as `$BROWSER`.
pub fn test_browser() -> PathBuf {
    provider_dir().join("browser")
}

/// Node.js by its full path, for a program that does not search the
/// tests' `PATH` (a Windows build under Wine).
pub fn node() -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("node"))
        .find(|path| path.is_file())
        .expect("Node.js is on the PATH")
}

/// How the app under test opens its browser, `engine` being the test
/// browser's ("none" opens nothing): `$BROWSER` on Unix; on Windows, which
/// reads no `$BROWSER`, the app's own `PKCE_TRAY_BROWSER`, the script's
/// command run by Node.js.
fn browser_env(engine: &str) -> Vec<(String, String)> {
    let command = match engine {
        "none" if cfg!(windows) => "node -e 0".to_owned(),
        "none" => "true".to_owned(),
        _ if cfg!(windows) => format!("node {}", provider_dir().join("browser.mjs").display()),
        _ => test_browser().display().to_string(),
    };
    let variable = if cfg!(windows) {
        "PKCE_TRAY_BROWSER"
    } else {
        "BROWSER"
    };
    vec![
        (variable.to_owned(), command),
        ("TEST_BROWSER_ENGINE".to_owned(), engine.to_owned()),
    ]
}

/// Reads lines from a child's pipe until one satisfies `found`, or fails
/// after `limit`.
fn wait_for_line(
    pipe: impl std::io::Read + Send + 'static,
    limit: Duration,
    what: &str,
    found: impl Fn(&str) -> Option<String> + Send + 'static,
) -> String {
    first_line(pipe, limit, found)
        .unwrap_or_else(|| panic!("{what} did not start within {limit:?}"))
}

/// The first value `found` makes of a line of the pipe, within `limit`.
pub(crate) fn first_line(
    pipe: impl std::io::Read + Send + 'static,
    limit: Duration,
    found: impl Fn(&str) -> Option<String> + Send + 'static,
) -> Option<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Some(value) = found(&line) {
                let _ = sender.send(value);
            }
        }
    });
    receiver.recv_timeout(limit).ok()
}

/// A child process that is stopped (SIGTERM, then SIGKILL) on drop.
pub struct Guard(pub Child);

impl Guard {
    pub fn stop(&mut self) {
        let pid = self.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A private D-Bus session bus with gnome-keyring's Secret Service, its
/// login keyring new (fresh XDG_DATA_HOME) and unlocked.
pub struct Keychain {
    pub address: String,
    pub home: tempfile::TempDir,
    _keyring: Option<Guard>,
    _bus: Guard,
}

impl Keychain {
    /// An unlocked keychain.
    pub fn start() -> Self {
        Self::start_with(true)
    }

    /// A Secret Service whose keyring is locked (no password given).
    pub fn start_locked() -> Self {
        Self::start_with(false)
    }

    fn start_with(unlocked: bool) -> Self {
        let home = tempfile::tempdir().unwrap();
        // What the bus starts on demand (the accessibility bus, whose
        // socket is in the runtime directory) is this test's own.
        let run = home.path().join("run");
        std::fs::create_dir(&run).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env("XDG_RUNTIME_DIR", &run)
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs");
        let stdout = bus.stdout.take().unwrap();
        let bus = Guard(bus);
        let address = wait_for_line(stdout, Duration::from_secs(20), "dbus-daemon", |line| {
            (!line.trim().is_empty()).then(|| line.trim().to_owned())
        });
        let mut keyring = Command::new("gnome-keyring-daemon");
        keyring
            .args(["--foreground", "--components=secrets"])
            .envs(keychain_env(&address, home.path()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if unlocked {
            keyring.arg("--unlock");
        }
        let mut keyring = keyring.spawn().expect("gnome-keyring-daemon runs");
        if unlocked {
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(b"test-keyring-password").unwrap();
        } else {
            drop(keyring.stdin.take());
        }
        let keychain = Self {
            address,
            home,
            _keyring: Some(Guard(keyring)),
            _bus: bus,
        };
        keychain.wait_until_served();
        keychain
    }

    fn wait_until_served(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let owned = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("dbus-send runs");
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("gnome-keyring did not take the Secret Service name within 30 s");
    }

    /// Writes an item as the keyring crate does (service and user name),
    /// with `secret` as its bytes.
    pub fn store(&self, account: &str, secret: &str) {
        let mut store = Command::new("secret-tool");
        store
            .args([
                "store",
                "--label",
                "pkce-tray",
                "service",
                "pkce-tray",
                "username",
                account,
            ])
            .envs(keychain_env(&self.address, self.home.path()))
            .stdin(Stdio::piped());
        let mut child = store.spawn().expect("secret-tool runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(secret.as_bytes())
            .unwrap();
        assert!(ended(&mut child, Duration::from_secs(30)).success());
    }

    /// The secret `secret-tool` finds for the service, if any.
    pub fn lookup(&self, account: &str) -> Option<String> {
        let output = Command::new("secret-tool")
            .args(["lookup", "service", "pkce-tray", "username", account])
            .envs(keychain_env(&self.address, self.home.path()))
            .output()
            .expect("secret-tool runs");
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

fn keychain_env(address: &str, home: &Path) -> Vec<(String, String)> {
    vec![
        ("DBUS_SESSION_BUS_ADDRESS".into(), address.into()),
        ("HOME".into(), home.display().to_string()),
        (
            "XDG_DATA_HOME".into(),
            home.join("data").display().to_string(),
        ),
        (
            "XDG_CONFIG_HOME".into(),
            home.join("config").display().to_string(),
        ),
        (
            "XDG_RUNTIME_DIR".into(),
            home.join("run").display().to_string(),
        ),
        // The app speaks the person's language: the tests read English
        // unless one sets another, whatever the machine's locale.
        ("LC_ALL".into(), String::new()),
        ("LC_MESSAGES".into(), String::new()),
        ("LANGUAGE".into(), String::new()),
        ("LANG".into(), "C.UTF-8".into()),
    ]
}

/// How the app under test is started.
pub struct AppOptions<'a> {
    pub issuer: &'a str,
    /// `None`: no Secret Service at all.
    pub keychain: Option<&'a Keychain>,
    /// Test-browser engine: "http", "chromium", or "none" (opens nothing).
    pub browser: &'a str,
    pub browser_env: Vec<(&'a str, String)>,
    pub args: Vec<String>,
    /// Leave the port to the app's default (1000, with its fallback)
    /// instead of a free one.
    pub default_port: bool,
    /// This port rather than a free one (one a provider has registered).
    pub port: Option<u16>,
    /// The binary: this build's, or an installed one.
    pub program: PathBuf,
    /// A command that runs the binary (e.g. `prlimit --nofile=256:256`);
    /// it must exec it, so the app keeps its pid.
    pub launcher: Vec<String>,
    /// The desktop app on this display, instead of `--headless`.
    pub display: Option<&'a Display>,
    /// The configuration file, in its default place, instead of
    /// `--issuer` and `--client-id` (`issuer` is then unused).
    pub config: Option<String>,
}

impl<'a> AppOptions<'a> {
    pub fn new(issuer: &'a str) -> Self {
        Self {
            issuer,
            keychain: None,
            browser: "http",
            browser_env: Vec::new(),
            args: Vec::new(),
            default_port: false,
            port: None,
            program: env!("CARGO_BIN_EXE_pkce-tray").into(),
            launcher: Vec::new(),
            display: None,
            config: None,
        }
    }
}

/// `pkce-tray --headless` (or the desktop app, given a display), listening
/// on a free port.
pub struct App {
    pub url: String,
    pub port: u16,
    pub home: PathBuf,
    pub log: PathBuf,
    /// The environment it runs in, for the terminal commands beside it.
    pub env: Vec<(String, String)>,
    _tmp: Option<tempfile::TempDir>,
    process: Guard,
}

impl App {
    pub fn start(options: AppOptions<'_>) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let home = match options.keychain {
            Some(keychain) => keychain.home.path().to_owned(),
            None => tmp.path().join("home"),
        };
        std::fs::create_dir_all(&home).unwrap();
        let log = tmp.path().join("app.log");
        let mut command = match options.launcher.split_first() {
            Some((launcher, args)) => {
                let mut command = Command::new(launcher);
                command.args(args).arg(&options.program);
                command
            }
            None => Command::new(&options.program),
        };
        match options.display {
            Some(display) => command.env("DISPLAY", &display.name),
            None => command.arg("--headless").env_remove("DISPLAY"),
        };
        match &options.config {
            Some(text) => {
                let dir = home.join("config").join("pkce-tray");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("config.toml"), text).unwrap();
            }
            None => {
                command.args(["--issuer", options.issuer, "--client-id", CLIENT_ID]);
            }
        }
        if !options.default_port {
            command.args(["--port", &options.port.unwrap_or(0).to_string()]);
        }
        command
            .args(&options.args)
            .env_remove("WAYLAND_DISPLAY")
            .env("PKCE_TRAY_LOG", "pkce_tray=debug,info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        let mut env = match options.keychain {
            Some(keychain) => keychain_env(&keychain.address, &home),
            None => keychain_env("unix:path=/nonexistent/bus", &home),
        };
        env.extend(browser_env(options.browser));
        if options.config.is_none() {
            env.push(("PKCE_TRAY_ISSUER".into(), options.issuer.into()));
            env.push(("PKCE_TRAY_CLIENT_ID".into(), CLIENT_ID.into()));
        }
        // Last, so a test may override any of the above.
        for (name, value) in &options.browser_env {
            env.push((name.to_string(), value.clone()));
        }
        command.envs(env.iter().map(|(name, value)| (name, value)));
        let mut child = command.spawn().expect("pkce-tray runs");
        let stdout = child.stdout.take().unwrap();
        let process = Guard(child);
        let url = wait_for_line(stdout, Duration::from_secs(60), "pkce-tray", |line| {
            line.split("listening on ").nth(1).map(str::to_owned)
        });
        let port = url.rsplit(':').next().unwrap().parse().unwrap();
        Self {
            url,
            port,
            home,
            log,
            env,
            _tmp: Some(tmp),
            process,
        }
    }

    /// `pkce-tray <args>` from a terminal beside the app: the same user,
    /// environment and configuration.
    pub fn cli(&self, args: &[&str]) -> Command {
        cli(&self.env, args)
    }

    pub fn stop(&mut self) {
        self.process.stop();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }

    /// Whether the app is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.process.0.try_wait(), Ok(None))
    }
}

/// A command prefix that runs a program as `nobody`, where this test may.
pub fn as_nobody() -> Option<Vec<&'static str>> {
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(2) == Some("0"));
    if root {
        return Some(vec!["runuser", "-u", "nobody", "--"]);
    }
    let sudo = Command::new("sudo").args(["-n", "true"]).status();
    sudo.is_ok_and(|s| s.success())
        .then(|| vec!["sudo", "-n", "-u", "nobody", "--"])
}

/// How a child ended, within `limit`; killed past it.
pub fn ended(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("a command did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A child's output once it ends, within `limit`; killed past it.
pub fn finish(mut child: Child, limit: Duration) -> std::process::Output {
    ended(&mut child, limit);
    child.wait_with_output().unwrap()
}

/// A command's output, within `limit`.
pub fn output(mut command: Command, limit: Duration) -> std::process::Output {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    finish(child, limit)
}

/// `pkce-tray <args>` in the environment `env` (an app's, or one left by
/// an app that was stopped).
pub fn cli(env: &[(String, String)], args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pkce-tray"));
    command
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .envs(env.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null());
    command
}

/// Waits until `check` holds, for at most `limit`; `what` names it in
/// the failure.
pub async fn eventually(what: &str, limit: Duration, check: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The provider and the headless app, with a browser that opens nothing:
/// a sign-in waits until the test answers or clears it.
pub fn provider_and_app_without_browser() -> (Provider, App) {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "none";
    let app = App::start(options);
    (provider, app)
}

/// The provider, an unlocked keychain, and the headless app using both.
pub fn provider_keychain_app(options: ProviderOptions) -> (Provider, Keychain, App) {
    provider_keychain_app_browsing(options, "http")
}

/// The same, the app's browser the given test-browser engine.
pub fn provider_keychain_app_browsing(
    mut options: ProviderOptions,
    browser: &'static str,
) -> (Provider, Keychain, App) {
    if options.kind == Kind::Glewlwyd {
        options.app_port.get_or_insert_with(free_port);
    }
    let port = options.app_port;
    let provider = Provider::start_with(options);
    let keychain = Keychain::start();
    let mut app_options = AppOptions::new(&provider.issuer);
    app_options.keychain = Some(&keychain);
    app_options.port = port;
    app_options.browser = browser;
    let app = App::start(app_options);
    (provider, keychain, app)
}

/// A port free on both loopback addresses now, for an app whose port a
/// provider must know before it starts (one that matches redirect URIs
/// exactly). Another process could take it meanwhile; on loopback, in a
/// test's own moment, none does.
pub fn free_port() -> u16 {
    loop {
        let v4 = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = v4.local_addr().unwrap().port();
        if std::net::TcpListener::bind(("::1", port)).is_ok() {
            return port;
        }
    }
}

/// A generateToken request for the authorization_code grant.
pub fn token_request(app: &App, code: &Value, verifier: &Value) -> Value {
    serde_json::json!({
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "code": code,
        "redirect_uri": format!("{}/pkce/response/code", app.url),
        "code_verifier": verifier,
    })
}

/// A generateToken request for the refresh_token grant.
pub fn refresh_request(refresh_token: &str) -> Value {
    serde_json::json!({
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "code": refresh_token,
        "redirect_uri": "",
        "code_verifier": "",
    })
}

/// The claims of a generateToken answer's ID token (its signature is the
/// app's to check, not the test's).
pub fn id_token_claims(token: &Value) -> Value {
    jwt_claims(
        token["auth0"]["oAuth"]["token"]["id_token"]
            .as_str()
            .expect("an ID token"),
    )
}

/// The claims of a JWT, unchecked.
pub fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&json).expect("JSON claims")
}

/// The refresh token of a generateToken answer.
pub fn refresh_token_of(token: &Value) -> String {
    token["auth0"]["oAuth"]["token"]["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned()
}

/// An HTTP client with a generous limit: the machine is slow and shared.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GETs and POSTs JSON, answering (status, content type, body as JSON or text).
pub struct Api<'a> {
    pub app: &'a App,
    pub client: reqwest::Client,
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts the API's error shape and answers the `error` code.
    pub fn error(&self) -> String {
        assert!(
            self.content_type.starts_with("application/json"),
            "{} {}",
            self.content_type,
            self.text
        );
        let body = self.json();
        assert!(
            body["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{body}"
        );
        body["error"].as_str().expect("an error code").to_owned()
    }
}

impl<'a> Api<'a> {
    pub fn new(app: &'a App) -> Self {
        Self {
            app,
            client: http(),
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the app answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Reply {
            status,
            content_type,
            text: response.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.app.url)))
            .await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(
            self.client
                .post(format!("{}{path}", self.app.url))
                .json(body),
        )
        .await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(
            self.client
                .post(format!("{}{path}", self.app.url))
                .form(form),
        )
        .await
    }

    /// getChallenge, then a seed for generateCode built from it.
    pub async fn challenge_and_seed(&self) -> (Value, Value) {
        let reply = self.get("/pkce/challenge").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let challenge = reply.json()["challenge"].clone();
        let seed = serde_json::json!({
            "response_type": "code",
            "state": challenge["state"],
            "nonce": challenge["nonce"],
            "code_challenge": challenge["challenge"],
            "code_challenge_method": "S256",
            "scope": ["openid", "profile", "email", "offline_access"],
            "client_id": CLIENT_ID,
        });
        (challenge, seed)
    }

    /// The whole API sign-in: challenge, code (the test browser signs in),
    /// token. Answers the challenge and the token answer.
    pub async fn sign_in(&self) -> (Value, Value) {
        let (challenge, seed) = self.challenge_and_seed().await;
        let code = self.post_json("/pkce/code", &seed).await;
        assert_eq!(code.status, 200, "{}", code.text);
        let token = self
            .post_json(
                "/pkce/token",
                &token_request(
                    self.app,
                    &code.json()["result"]["code"],
                    &challenge["verifier"],
                ),
            )
            .await;
        assert_eq!(token.status, 200, "{}", token.text);
        (challenge, token.json())
    }

    /// Polls `/session` until `done` holds, for at most `limit`.
    pub async fn session_until(&self, limit: Duration, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let session = self.get("/session").await.json();
            if done(&session) {
                return session;
            }
            assert!(
                Instant::now() < deadline,
                "the session did not get there in {limit:?}: {session}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Every file under `dir`, as bytes, to search for secrets.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                found.push((path, bytes));
            }
        }
    }
    found
}

/// Asserts that no file under `dir` and no log line holds `secret`.
pub fn assert_nowhere(secret: &str, dir: &Path, log: &str) {
    assert!(!log.contains(secret), "a secret reached the log");
    for (path, bytes) in files_under(dir) {
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(
            !haystack.contains(secret),
            "a secret is in plain text in {}",
            path.display()
        );
    }
}

/// A private X server (Xvfb) on a free display number, the size of the
/// smallest laptop screen the window must serve whole (1366×768).
pub struct Display {
    pub name: String,
    _server: Guard,
}

impl Display {
    pub fn start() -> Self {
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs");
        let stdout = server.stdout.take().unwrap();
        let server = Guard(server);
        let number = wait_for_line(stdout, Duration::from_secs(30), "Xvfb", |line| {
            line.trim().parse::<u32>().ok().map(|n| n.to_string())
        });
        Self {
            name: format!(":{number}"),
            _server: server,
        }
    }
}

/// What a desktop test stands on: the provider, a display, a session bus
/// with its keychain, and the environment of the app under test.
pub struct DesktopRig {
    pub provider: Provider,
    /// The port the app must take: the one the provider registered
    /// (Glewlwyd), or 0 for any.
    pub app_port: u16,
    pub display: Display,
    pub keychain: Keychain,
    pub env: Vec<(String, String)>,
}

impl DesktopRig {
    pub fn start(browser_engine: &str) -> Self {
        Self::start_with(browser_engine, ProviderOptions::default())
    }

    pub fn start_with(browser_engine: &str, mut provider: ProviderOptions) -> Self {
        if provider.kind == Kind::Glewlwyd {
            provider.app_port.get_or_insert_with(free_port);
        }
        let app_port = provider.app_port.unwrap_or(0);
        let provider = Provider::start_with(provider);
        let display = Display::start();
        let keychain = Keychain::start();
        let env = desktop_env(&display, &keychain, browser_engine);
        Self {
            provider,
            app_port,
            display,
            keychain,
            env,
        }
    }
}

impl DesktopRig {
    /// Writes the app's configuration file: the accounts `work` (the
    /// default) and `home` at these issuers, after the top-level `extra`.
    pub fn configure(&self, work: &str, home: &str, extra: &str) {
        let dir = self.keychain.home.path().join("config/pkce-tray");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config.toml"),
            format!(
                "default_account = \"work\"\n{extra}\n[accounts.work]\nissuer = \"{work}\"\nclient_id = \"{CLIENT_ID}\"\n\n[accounts.home]\nissuer = \"{home}\"\nclient_id = \"{CLIENT_ID}\"\n",
            ),
        )
        .unwrap();
    }

    /// Writes the app's configuration file: the first `count` of the tests'
    /// account names (work, home, play, ada, grace), work the default,
    /// each at the rig's provider.
    pub fn configure_accounts(&self, count: usize) {
        let names = &provider::ACCOUNT_NAMES[..count];
        let mut config = format!("default_account = \"{}\"\n", names[0]);
        for name in names {
            config.push_str(&format!(
                "\n[accounts.{name}]\nissuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\n",
                self.provider.issuer
            ));
        }
        let dir = self.keychain.home.path().join("config/pkce-tray");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), config).unwrap();
    }

    /// The configuration file as it is now (empty before there is one).
    pub fn config(&self) -> String {
        std::fs::read_to_string(
            self.keychain
                .home
                .path()
                .join("config/pkce-tray/config.toml"),
        )
        .unwrap_or_default()
    }

    /// The desktop app with its window shown, at the rig's provider and
    /// on its port, with `extra` arguments after.
    pub fn show_args(&self, extra: &[&str]) -> Vec<String> {
        let mut args = self.args("--show");
        args.extend(
            ["--issuer", &self.provider.issuer, "--client-id", CLIENT_ID]
                .iter()
                .chain(extra)
                .map(|s| s.to_string()),
        );
        args
    }

    /// The desktop app's arguments, `first` first, on the rig's port.
    pub fn args(&self, first: &str) -> Vec<String> {
        vec![first.into(), "--port".into(), self.app_port.to_string()]
    }

    /// The desktop app in the tray alone (`--hidden`), from its
    /// configuration file; its log to `log` where given.
    pub fn tray_app(&self, log: Option<&Path>) -> Guard {
        Guard(
            Command::new(env!("CARGO_BIN_EXE_pkce-tray"))
                .args(self.args("--hidden"))
                .envs(self.env.iter().cloned())
                .stderr(match log {
                    Some(log) => Stdio::from(std::fs::File::create(log).unwrap()),
                    None => Stdio::null(),
                })
                .spawn()
                .unwrap(),
        )
    }
}

/// The environment of a desktop app under test: its display, its session
/// bus and keychain, its home, its `$BROWSER`.
fn desktop_env(
    display: &Display,
    keychain: &Keychain,
    browser_engine: &str,
) -> Vec<(String, String)> {
    let mut env = keychain_env(&keychain.address, keychain.home.path());
    env.extend([
        ("DISPLAY".to_owned(), display.name.clone()),
        (
            "PKCE_TRAY_LOG".to_owned(),
            "pkce_tray=debug,info".to_owned(),
        ),
        // WebDriver screenshots hang when GTK has no GL, the app's default
        // (GDK_GL=disable); set, even empty, the app leaves it alone.
        ("GDK_GL".to_owned(), String::new()),
    ]);
    env.extend(browser_env(browser_engine));
    env
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

    /// Launches the app with `args` and attaches to its window.
    pub async fn launch(&self, args: &[String]) -> fantoccini::Client {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_pkce-tray"), "args": args }),
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

/// Where the tests leave their screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Processes of the app under test whose HOME is `home` and whose name
/// starts with `name` (`comm`, cut at 15 characters by the kernel).
pub fn processes(home: &Path, name: &str) -> usize {
    process_ids(home, name).len()
}

fn process_ids(home: &Path, name: &str) -> Vec<String> {
    let marker = format!("HOME={}\0", home.display());
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|entry| {
            let dir = entry.path();
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
            comm.starts_with(name) && String::from_utf8_lossy(&environ).contains(&marker)
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Ends the processes [`processes`] finds, as a logout would (SIGTERM),
/// and waits until they are gone: SIGKILL for any still there after 10 s.
pub fn end_processes(home: &Path, name: &str) {
    let signal = |signal: &str| {
        for pid in process_ids(home, name) {
            let _ = Command::new("kill").args([signal, &pid]).status();
        }
    };
    signal("-TERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    while processes(home, name) > 0 {
        if Instant::now() > deadline {
            signal("-KILL");
        }
        assert!(
            Instant::now() < deadline + Duration::from_secs(10),
            "{name} outlived SIGKILL"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The app's tray icon as a tray host sees it: a StatusNotifierItem and
/// its dbusmenu on the test's session bus.
pub struct TrayHost {
    connection: zbus::blocking::Connection,
    item: String,
}

/// One line of the tray menu.
#[derive(Debug)]
pub struct MenuLine {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    /// A check item's state (dbusmenu `toggle-state`); `None` otherwise.
    pub checked: Option<bool>,
}

type Layout = (
    i32,
    std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    Vec<zbus::zvariant::OwnedValue>,
);

/// The StatusNotifierItem tooltip: icon name, pixmaps, title, text.
type ToolTip = (String, Vec<(i32, i32, Vec<u8>)>, String, String);

impl TrayHost {
    /// Waits for the app's item on the bus at `address`.
    pub fn find(address: &str) -> Self {
        let connection = zbus::blocking::connection::Builder::address(address)
            .unwrap()
            .build()
            .unwrap();
        let bus = zbus::blocking::fdo::DBusProxy::new(&connection).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let names = bus.list_names().unwrap();
            if let Some(item) = names
                .iter()
                .find(|name| name.starts_with("org.kde.StatusNotifierItem-"))
            {
                return Self {
                    item: item.to_string(),
                    connection,
                };
            }
            assert!(Instant::now() < deadline, "no tray item on the bus in 60 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn proxy(&self, path: &'static str, interface: &'static str) -> zbus::blocking::Proxy<'_> {
        zbus::blocking::Proxy::new(&self.connection, self.item.as_str(), path, interface).unwrap()
    }

    /// The menu's lines, separators left out.
    pub fn menu(&self) -> Vec<MenuLine> {
        let menu = self.proxy("/MenuBar", "com.canonical.dbusmenu");
        let (_revision, (_, _, children)): (u32, Layout) = menu
            .call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .unwrap();
        children
            .into_iter()
            .filter_map(|child| {
                let (id, properties, _): Layout = child.try_into().unwrap();
                let label = properties.get("label")?;
                let label = String::try_from(label.try_clone().unwrap()).unwrap();
                let enabled = properties
                    .get("enabled")
                    .map(|e| bool::try_from(e.try_clone().unwrap()).unwrap())
                    .unwrap_or(true);
                let checked = properties
                    .get("toggle-state")
                    .map(|s| i32::try_from(s.try_clone().unwrap()).unwrap() == 1);
                Some(MenuLine {
                    id,
                    label,
                    enabled,
                    checked,
                })
            })
            .collect()
    }

    /// Whether the check item that says `label` is checked.
    pub fn check(&self, label: &str) -> Option<bool> {
        self.menu()
            .into_iter()
            .find(|line| line.label == label)
            .and_then(|line| line.checked)
    }

    /// Clicks the menu line that says `label`; it must be enabled.
    pub fn click(&self, label: &str) {
        let line = self
            .menu()
            .into_iter()
            .find(|line| line.label == label)
            .unwrap_or_else(|| panic!("no menu line {label:?}"));
        assert!(line.enabled, "{label:?} is greyed out");
        let menu = self.proxy("/MenuBar", "com.canonical.dbusmenu");
        let _: () = menu
            .call(
                "Event",
                &(line.id, "clicked", zbus::zvariant::Value::from(0i32), 0u32),
            )
            .unwrap();
    }

    /// The icon's pixels (ARGB), as a tray host draws them.
    pub fn icon(&self) -> Vec<u8> {
        let item = self.proxy("/StatusNotifierItem", "org.kde.StatusNotifierItem");
        let pixmaps: Vec<(i32, i32, Vec<u8>)> = item.get_property("IconPixmap").unwrap();
        pixmaps
            .into_iter()
            .next()
            .map(|(_, _, data)| data)
            .unwrap_or_default()
    }

    /// The tooltip's title: the app and who is signed in.
    pub fn tooltip(&self) -> String {
        let item = self.proxy("/StatusNotifierItem", "org.kde.StatusNotifierItem");
        let (_, _, title, _): ToolTip = item.get_property("ToolTip").unwrap();
        title
    }

    /// Waits until some line of the menu says `expected`.
    pub fn shows(&self, expected: &str) {
        self.wait_until(&format!("a line {expected:?}"), |menu| {
            menu.iter().any(|line| line.label == expected)
        });
    }

    /// Waits until the menu's first line says `expected`.
    pub fn status_becomes(&self, expected: &str) {
        self.wait_until(&format!("{expected:?} first"), |menu| {
            menu.first().is_some_and(|line| line.label == expected)
        });
    }

    fn wait_until(&self, what: &str, done: impl Fn(&[MenuLine]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let menu = self.menu();
            if done(&menu) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the tray stayed at {menu:?}, expected {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
