//! What a desktop test stands on: a private X server (Xvfb), and the
//! provider, keychain and environment of the tray app on it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{
    browser_env, cli, free_port, keychain_env, output, program, provider, wait_for_line, Guard,
    Keychain, Kind, Provider, ProviderOptions, CLIENT_ID,
};

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
    /// Ends the session of the account `name`, signed in at `provider`
    /// (oidc-provider), as a provider ends one: its grant is revoked
    /// there behind the app's back (as from the provider's dashboard),
    /// and a terminal asks for a token that needs a renewal, which is
    /// refused. No waiting for tokens to expire.
    pub fn end_the_session_of(&self, name: &str, provider: &Provider) {
        let item = format!("{name}:{}", provider.account());
        let stored: serde_json::Value =
            serde_json::from_str(&self.keychain.lookup(&item).expect("the session"))
                .expect("the keychain item is JSON");
        provider.revoke(stored["refresh_token"].as_str().expect("a refresh token"));
        let renewal = output(
            cli(
                &self.env,
                &["token", "--account", name, "--min-valid", "100000"],
            ),
            Duration::from_secs(60),
        );
        assert!(!renewal.status.success(), "the renewal was refused");
    }

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
            Command::new(program())
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
pub(crate) fn desktop_env(
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
