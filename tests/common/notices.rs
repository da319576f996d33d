//! A real notification server for the tests: dunst, on a test's private
//! session bus and display. A rule of its own configuration runs a script
//! for every notice it shows, which writes it to a file the test reads;
//! its own `dunstctl` clicks a notice's action, as a person would.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{DesktopRig, Guard};

/// A notice as the server showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub app: String,
    pub summary: String,
    pub body: String,
}

pub struct NotificationServer {
    shown: PathBuf,
    bus: String,
    _dir: tempfile::TempDir,
    _server: Guard,
}

impl NotificationServer {
    pub fn start(rig: &DesktopRig) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let shown = dir.path().join("shown");
        let script = dir.path().join("shown.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\t%s\\t%s\\n' \"$DUNST_APP_NAME\" \"$DUNST_SUMMARY\" \"$DUNST_BODY\" >> '{}'\n",
                shown.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        // Notices stay until acted on, so a slow test still finds them.
        let config = dir.path().join("dunstrc");
        std::fs::write(
            &config,
            format!(
                "[global]\n[urgency_normal]\ntimeout = 0\n[shown]\nappname = \"*\"\nscript = {}\n",
                script.display()
            ),
        )
        .unwrap();
        let server = Guard(
            Command::new("dunst")
                .arg("-config")
                .arg(&config)
                .env("DBUS_SESSION_BUS_ADDRESS", &rig.keychain.address)
                .env("DISPLAY", &rig.display.name)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("dunst runs"),
        );
        let started = Self {
            shown,
            bus: rig.keychain.address.clone(),
            _dir: dir,
            _server: server,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !started.dunstctl(&["is-paused"]).status.success() {
            assert!(Instant::now() < deadline, "dunst did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        started
    }

    /// Every notice shown so far, in order.
    pub fn shown(&self) -> Vec<Shown> {
        std::fs::read_to_string(&self.shown)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let mut fields = line.splitn(3, '\t');
                Some(Shown {
                    app: fields.next()?.to_owned(),
                    summary: fields.next()?.to_owned(),
                    body: fields.next()?.to_owned(),
                })
            })
            .collect()
    }

    /// The first notice with this summary, once shown.
    pub fn wait_for(&self, summary: &str) -> Shown {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(shown) = self.shown().into_iter().find(|n| n.summary == summary) {
                return shown;
            }
            assert!(
                Instant::now() < deadline,
                "no notice {summary:?}; shown: {:?}",
                self.shown()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// How many notices had this summary.
    pub fn count(&self, summary: &str) -> usize {
        self.shown().iter().filter(|n| n.summary == summary).count()
    }

    /// Closes every notice on screen.
    pub fn close_all(&self) {
        assert!(self.dunstctl(&["close-all"]).status.success());
    }

    /// Clicks the notice on top, as a person would: its default action.
    pub fn click_top(&self) {
        let clicked = self.dunstctl(&["action", "0"]);
        assert!(
            clicked.status.success(),
            "{}",
            String::from_utf8_lossy(&clicked.stderr)
        );
    }

    fn dunstctl(&self, args: &[&str]) -> std::process::Output {
        let mut command = Command::new("dunstctl");
        command
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .stdin(Stdio::null());
        super::output(command, Duration::from_secs(30))
    }
}
