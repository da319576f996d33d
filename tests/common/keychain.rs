//! A private D-Bus session bus with an unlocked gnome-keyring: the real
//! Secret Service, the test's own.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{ended, wait_for_line, Guard};

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

pub(crate) fn keychain_env(address: &str, home: &Path) -> Vec<(String, String)> {
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
