//! The app under test: started headless with its provider, keychain and
//! browser, its terminal commands, and where it must leave no secret.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{
    free_port, keychain_env, program, provider_dir, test_browser, wait_for_line, Display, Guard,
    Keychain, Kind, Provider, ProviderOptions, CLIENT_ID,
};

/// How the app under test opens its browser, `engine` being the test
/// browser's ("none" opens nothing): `$BROWSER` on Unix; on Windows, which
/// reads no `$BROWSER`, the app's own `PKCE_TRAY_BROWSER`, the script's
/// command run by Node.js.
pub(crate) fn browser_env(engine: &str) -> Vec<(String, String)> {
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
            program: program().into(),
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

/// `pkce-tray <args>` in the environment `env` (an app's, or one left by
/// an app that was stopped).
pub fn cli(env: &[(String, String)], args: &[&str]) -> Command {
    let mut command = Command::new(program());
    command
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .envs(env.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null());
    command
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
