//! The installed Debian package, end to end. `./scripts/test` builds the
//! package, installs it with apt, runs these (they are ignored otherwise:
//! they need the package installed) and purges it again.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Api, App, AppOptions, DesktopRig, Provider, CLIENT_ID};
use pkce_tray::engine::config::{DEEP_LINK_CALLBACK, DEEP_LINK_SCHEME};

const INSTALLED: &str = "/usr/bin/pkce-tray";

#[tokio::test]
#[ignore = "needs the package installed; ./scripts/test installs it and runs this"]
async fn the_installed_app_signs_in_headless() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.program = INSTALLED.into();
    let app = App::start(options);
    let api = Api::new(&app);
    api.sign_in().await;
    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["name"], "Ada Lovelace", "{session}");
}

#[test]
#[ignore = "needs the package installed; ./scripts/test installs it and runs this"]
fn the_installed_entry_takes_the_scheme_and_the_binary_knows_its_version() {
    // A person with no settings of their own: the system's default.
    let home = tempfile::tempdir().unwrap();
    let output = Command::new("xdg-mime")
        .args([
            "query",
            "default",
            &format!("x-scheme-handler/{DEEP_LINK_SCHEME}"),
        ])
        .env("HOME", home.path())
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_DIRS")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "pkce-tray.desktop"
    );

    let output = Command::new(INSTALLED).arg("--version").output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("pkce-tray {}", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
#[ignore = "needs the package installed; ./scripts/test installs it and runs this"]
async fn a_link_opened_on_the_desktop_reaches_the_installed_app() {
    let rig = DesktopRig::start("none");
    let log = rig.keychain.home.path().join("installed.log");
    let mut app = common::Guard(
        Command::new(INSTALLED)
            .args(["--hidden", "--port", "0", "--issuer"])
            .arg(&rig.provider.issuer)
            .args(["--client-id", CLIENT_ID])
            .envs(rig.env.iter().cloned())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let seen = std::fs::read_to_string(&log).unwrap_or_default();
            if seen.contains(text) {
                return;
            }
            assert!(Instant::now() < deadline, "no {text:?} in:\n{seen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("tray ready");

    // The desktop opens the link as any other: xdg-open finds the
    // package's entry for the scheme and runs it, and that second launch
    // hands the link to the running app.
    let status = Command::new("xdg-open")
        .arg(format!(
            "{DEEP_LINK_CALLBACK}?code=from-the-os&state=unknown"
        ))
        .envs(rig.env.iter().cloned())
        .status()
        .unwrap();
    assert!(status.success());
    wait_for("a second launch handed over a link");
    wait_for("refused a deep link");
    app.stop();
}
