//! The Windows build, run under Wine and driven from Linux: the headless
//! `pkce-tray.exe` serves the PKCE API on 127.0.0.1, and the Linux API
//! test's scenario (challenge, code through the browser, token, refresh,
//! clear) passes against it; the tray app shows its icon in Wine's system
//! tray, registers its scheme, and takes a link from a second launch.
//! `scripts/wine-check` builds the exe and runs this, one test at a time
//! (they share the Wine prefix, so its one instance); elsewhere it is
//! skipped.

use crate::common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{refresh_request, Api, App, AppOptions, Display, Provider};

const WINE: &str = "/usr/lib/wine/wine64";

fn exe() -> String {
    std::env::var("PKCE_TRAY_WINDOWS_EXE")
        .expect("PKCE_TRAY_WINDOWS_EXE names the pkce-tray.exe to run")
}

#[tokio::test]
#[ignore = "needs the Windows build and Wine: run by scripts/wine-check"]
async fn the_windows_build_signs_in_under_wine() {
    let exe = exe();
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.program = exe.clone().into();
    // Wine keeps the process id of the program it runs.
    options.launcher = vec![WINE.into()];
    let app = App::start(options);
    let api = Api::new(&app);

    // The browser is opened the Windows way (ShellExecute), which Wine
    // hands to xdg-open, which runs the test browser named in $BROWSER.
    let (_, token) = api.sign_in().await;
    let oauth = &token["auth0"]["oAuth"]["token"];
    let refresh_token = oauth["refresh_token"].as_str().unwrap().to_owned();

    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true, "{session}");
    assert_eq!(session["user"]["name"], "Ada Lovelace");

    let refreshed = api
        .post_json("/pkce/token", &refresh_request(&refresh_token))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let renewed = refreshed.json()["auth0"]["oAuth"]["token"]["access_token"].clone();
    assert_ne!(renewed, oauth["access_token"]);

    // The terminal's commands, through the instance's named pipe.
    let run = |args: &[&str]| {
        let mut wine = Command::new(WINE);
        wine.arg(&exe)
            .args(args)
            .envs(app.env.iter().map(|(name, value)| (name, value)))
            .stdin(std::process::Stdio::null());
        common::output(wine, Duration::from_secs(60))
    };
    let token = run(&["token"]);
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&token.stdout).trim_end(),
        renewed.as_str().unwrap()
    );
    let status = run(&["status", "--json"]);
    assert!(status.status.success());
    let report: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(report["user"]["name"], "Ada Lovelace");
    assert_eq!(report["api"], app.url.as_str());
    let clear = api
        .send(api.client.post(format!("{}/pkce/clear", app.url)))
        .await;
    assert_eq!(clear.status, 204);

    // Another user's process is refused by the Windows build too (where
    // this test may run one: as root, as in CI).
    if common::is_root() {
        let prefix = common::as_nobody();
        let mut curl = Command::new(prefix[0]);
        curl.args(&prefix[1..])
            .args(["curl", "-s", "-m", "30", "-w", "\n%{http_code}"])
            .arg(format!("{}/session", app.url));
        let output = common::output(curl, Duration::from_secs(60));
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(text.ends_with("\n403"), "{text}");
        assert!(text.contains("forbidden_user"), "{text}");
    }
}

/// The tray app's log: a GUI program on Windows logs to a file in the
/// user's local app data, here in the Wine prefix.
fn windows_log() -> PathBuf {
    let prefix = PathBuf::from(std::env::var("WINEPREFIX").expect("WINEPREFIX is set"));
    let user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    prefix.join(format!(
        "drive_c/users/{user}/AppData/Local/pkce-tray/logs/pkce-tray.log"
    ))
}

fn wait_for_log(what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let log = std::fs::read_to_string(windows_log()).unwrap_or_default();
        if log.contains(what) {
            return log;
        }
        assert!(Instant::now() < deadline, "no '{what}' in the log: {log}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many pixels of Wine's system tray window have about this colour:
/// the window read with xwd, in its ZPixmap format.
fn tray_pixels(display: &Display, rgb: [u8; 3]) -> usize {
    let mut xwd = Command::new("xwd");
    xwd.args([
        "-silent",
        "-name",
        "Wine System Tray",
        "-display",
        &display.name,
    ]);
    let output = common::output(xwd, Duration::from_secs(30));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let data = output.stdout;
    let field = |i: usize| u32::from_be_bytes(data[i * 4..i * 4 + 4].try_into().unwrap()) as usize;
    let (header, width, height) = (field(0), field(4), field(5));
    let (lsb_first, bits_per_pixel, bytes_per_line) = (field(7) == 0, field(11), field(12));
    let masks = [field(14) as u32, field(15) as u32, field(16) as u32];
    let colours = field(19);
    assert_eq!(bits_per_pixel, 32, "a 24-bit display");
    let pixels = &data[header + colours * 12..];
    let mut count = 0;
    for y in 0..height {
        for x in 0..width {
            let at = y * bytes_per_line + x * 4;
            let bytes: [u8; 4] = pixels[at..at + 4].try_into().unwrap();
            let value = if lsb_first {
                u32::from_le_bytes(bytes)
            } else {
                u32::from_be_bytes(bytes)
            };
            let close = masks.iter().zip(rgb).all(|(&mask, want)| {
                let got = (value & mask) >> mask.trailing_zeros();
                got.abs_diff(u32::from(want)) <= 12
            });
            count += usize::from(close);
        }
    }
    count
}

/// A Wine session of its own: stopped at the start and at the end.
struct WineSession;

impl WineSession {
    fn start() -> Self {
        Self::stop();
        Self
    }

    fn stop() {
        let mut kill = Command::new("/usr/lib/wine/wineserver");
        kill.arg("-k");
        common::output(kill, Duration::from_secs(60));
    }
}

impl Drop for WineSession {
    fn drop(&mut self) {
        Self::stop();
    }
}

/// The tray's disc colours (icons/make_icons.py).
const SIGNED_OUT_GREY: [u8; 3] = [122, 127, 135];
const SIGNED_IN_GREEN: [u8; 3] = [46, 133, 64];

#[test]
#[ignore = "needs the Windows build and Wine: run by scripts/wine-check"]
fn the_windows_tray_app_shows_its_state_and_takes_a_link_from_a_second_launch() {
    // Wine's shell (explorer.exe, which hosts the system tray) lives as
    // long as its Wine session and stays on the display it started on:
    // a fresh session on this test's display, and none left behind.
    let _session = WineSession::start();
    let exe = exe();
    let _ = std::fs::remove_file(windows_log());
    let provider = Provider::start();
    let display = Display::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.program = exe.clone().into();
    options.launcher = vec![WINE.into()];
    options.display = Some(&display);
    options.args = ["--hidden", "--redirect", "deep-link"]
        .map(String::from)
        .to_vec();
    // The OS starts pkce-tray.exe again with the link as its argument (the
    // command the scheme's registration names). The browser is the one
    // chosen in PKCE_TRAY_BROWSER, as on a Windows runner: Wine starts
    // the Unix Node.js the Windows build names.
    options
        .browser_env
        .push(("TEST_BROWSER_DEEP_LINK_CMD", format!("{WINE} '{exe}'")));
    options.browser_env.push((
        "PKCE_TRAY_BROWSER",
        format!(
            "{} {}",
            common::node().display(),
            common::provider_dir().join("browser.mjs").display()
        ),
    ));
    let app = App::start(options);
    let run = |args: &[&str]| {
        let mut wine = Command::new(WINE);
        wine.arg(&exe)
            .args(args)
            .envs(app.env.iter().map(|(name, value)| (name, value)))
            .env("DISPLAY", &display.name)
            .stdin(std::process::Stdio::null());
        common::output(wine, Duration::from_secs(120))
    };

    // The icon is in Wine's system tray, signed out.
    wait_for_log("tray ready");
    assert!(tray_pixels(&display, SIGNED_OUT_GREY) > 20);
    assert_eq!(tray_pixels(&display, SIGNED_IN_GREEN), 0);

    // The scheme names this program, the link quoted as its argument.
    let mut query = Command::new(WINE);
    query.args([
        "reg",
        "query",
        r"HKCU\Software\Classes\app.pkcetray.desktop\shell\open\command",
    ]);
    let registered =
        String::from_utf8_lossy(&common::output(query, Duration::from_secs(60)).stdout).to_string();
    assert!(
        registered.contains(r#"pkce-tray.exe" "%1""#),
        "{registered}"
    );

    // A sign-in from the terminal, as the tray's Sign in starts one; its
    // answer comes back as a link, through a second launch and the named
    // pipe.
    let signed_in = run(&["sign-in"]);
    assert!(
        signed_in.status.success(),
        "{}",
        String::from_utf8_lossy(&signed_in.stderr)
    );
    let log = wait_for_log("a deep link answered the sign-in");
    assert!(log.contains("a second launch handed over a link"), "{log}");

    // The icon follows the state, through the event loop's proxy.
    let deadline = Instant::now() + Duration::from_secs(30);
    while tray_pixels(&display, SIGNED_IN_GREEN) <= 20 {
        assert!(
            Instant::now() < deadline,
            "the tray icon did not turn green"
        );
        // Each look is a screenshot of the display (xwd): no need to take
        // them more often.
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(tray_pixels(&display, SIGNED_OUT_GREY), 0);

    // A second launch with no link asks for the window, and exits.
    assert!(run(&[]).status.success());
    wait_for_log("a second launch handed over a request to open the window");
}
