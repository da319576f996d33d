//! The installed Debian package, end to end. `./scripts/test` builds the
//! package, installs it with apt, runs these (they are ignored otherwise:
//! they need the package installed) and purges it again.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Api, App, AppOptions, DesktopRig, Provider, CLIENT_ID};
use pkce_tray_engine::config::{DEEP_LINK_CALLBACK, DEEP_LINK_SCHEME};

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

/// A command's output, which must succeed.
fn succeeds(command: &mut Command) -> String {
    let output = command.output().expect("the command runs");
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
#[ignore = "needs the package installed; ./scripts/test installs it and runs this"]
fn the_installed_manuals_completions_metainfo_and_unit_are_what_each_tool_expects() {
    for page in [
        "pkce-tray",
        "pkce-tray-status",
        "pkce-tray-accounts-default",
        "pkce-tray-window",
    ] {
        let text = succeeds(
            Command::new("man")
                .args(["-P", "cat", page])
                .env("MANWIDTH", "80"),
        );
        let name = text
            .lines()
            .skip_while(|line| line.trim() != "NAME")
            .nth(1)
            .unwrap_or_default();
        assert!(
            name.trim_start().starts_with(&format!("{page} ")) && name.contains(" - "),
            "{page}: {text}"
        );
    }
    // Each shell loads its file as installed, and Tab after `pkce-tray st`
    // asks the binary, which answers `status`.
    let bash = succeeds(Command::new("bash").arg("-c").arg(
        "source /usr/share/bash-completion/completions/pkce-tray; \
         COMP_WORDS=(pkce-tray st); COMP_CWORD=1; COMP_TYPE=9; \
         _clap_complete_pkce_tray pkce-tray st pkce-tray; printf '%s\\n' \"${COMPREPLY[@]}\"",
    ));
    assert_eq!(bash.trim(), "status");
    let fish = succeeds(Command::new("fish").args(["-c", "complete -C 'pkce-tray st'"]));
    assert!(fish.starts_with("status\t"), "{fish}");
    // zsh finds _pkce-tray in its vendor folder; what it would offer is
    // what the completer hands _describe.
    let zsh = succeeds(Command::new("zsh").args([
        "-f",
        "-c",
        "fpath=(/usr/share/zsh/vendor-completions $fpath); autoload -U compinit; compinit -u -D; \
         _describe() { print -l -- ${(P)argv[-1]} }; words=(pkce-tray st); CURRENT=2; _pkce-tray",
    ]));
    assert!(zsh.starts_with("status:"), "{zsh}");

    succeeds(Command::new("appstreamcli").args([
        "validate",
        "--pedantic",
        "--no-net",
        "/usr/share/metainfo/app.pkcetray.desktop.metainfo.xml",
    ]));
    succeeds(
        Command::new("desktop-file-validate").arg("/usr/share/applications/pkce-tray.desktop"),
    );
    // The user unit, as a user's systemd would read it.
    let runtime = tempfile::tempdir().unwrap();
    succeeds(
        Command::new("systemd-analyze")
            .args([
                "--user",
                "verify",
                "/usr/lib/systemd/user/pkce-tray.service",
            ])
            .env("XDG_RUNTIME_DIR", runtime.path()),
    );
}
