//! The desktop app end to end: the real window (tauri-driver and
//! WebKitWebDriver under Xvfb), the real provider, the test browser, a
//! private D-Bus session with gnome-keyring, and deep links through a
//! second launch.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::webdriver::{click, displayed, screenshot, status_becomes, within};
use common::{DesktopRig, Driver, Kind, ProviderOptions, CLIENT_ID};
use fantoccini::Locator;

#[tokio::test]
async fn the_window_signs_in_and_out_through_the_system_browser() {
    let rig = DesktopRig::start("http");
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;

    status_becomes(&client, "Signed out").await;
    screenshot(&client, "window-signed-out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    let email = within("#email", client.find(Locator::Css("#email"))).await;
    let email = within("#email text", email.text()).await;
    assert_eq!(email, "ada@example.com");
    screenshot(&client, "window-signed-in").await;

    click(&client, "#sign-out").await;
    status_becomes(&client, "Signed out").await;
    within("close", client.close()).await;
}

#[tokio::test]
async fn the_window_offers_start_at_login_once_and_its_switches_turn_it_and_notifications_on_and_off(
) {
    let rig = DesktopRig::start("http");
    let autostart = rig
        .keychain
        .home
        .path()
        .join(".config/autostart/pkce-tray.desktop");
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;

    status_becomes(&client, "Signed out").await;
    assert!(!displayed(&client, "#offer").await);
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    // The offer comes once, with the first sign-in.
    assert!(
        displayed(&client, "#offer").await,
        "no offer with the first sign-in"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !displayed(&client, "#avatar").await {
        assert!(Instant::now() < deadline, "the picture did not arrive");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(&client, "window-offer-start-at-login").await;

    let switch = within(
        "#start-at-login",
        client.find(Locator::Css("#start-at-login")),
    )
    .await;
    assert!(!within("switch state", switch.is_selected()).await);
    within("switch", switch.click()).await;
    common::eventually("the autostart entry", Duration::from_secs(30), || {
        autostart.exists()
    })
    .await;
    let entry = std::fs::read_to_string(&autostart).unwrap();
    assert!(entry.contains("--hidden"), "{entry}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !within("switch state", switch.is_selected()).await {
        assert!(Instant::now() < deadline, "the switch did not show on");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!displayed(&client, "#offer").await);

    within("switch", switch.click()).await;
    common::eventually(
        "the autostart entry removed",
        Duration::from_secs(30),
        || !autostart.exists(),
    )
    .await;

    click(&client, "#sign-out").await;
    status_becomes(&client, "Signed out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    // The tray tells the window whether to offer before the state it
    // comes with.
    assert!(!displayed(&client, "#offer").await, "offered only once");

    // Notifications: on by default; off is written to the configuration.
    let notifications = within(
        "#notifications",
        client.find(Locator::Css("#notifications")),
    )
    .await;
    assert!(within("switch state", notifications.is_selected()).await);
    within("switch", notifications.click()).await;
    common::eventually("the switch kept", Duration::from_secs(30), || {
        rig.config().contains("notifications = false")
    })
    .await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while within("switch state", notifications.is_selected()).await {
        assert!(Instant::now() < deadline, "the switch did not show off");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    within("close", client.close()).await;
}

#[tokio::test]
async fn the_window_names_the_person_when_only_userinfo_has_their_name() {
    let provider = ProviderOptions {
        claims_in_userinfo: true,
        ..ProviderOptions::default()
    };
    let rig = DesktopRig::start_with("http", provider);
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;

    status_becomes(&client, "Signed out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    let email = within("#email", client.find(Locator::Css("#email"))).await;
    assert_eq!(within("#email text", email.text()).await, "ada@example.com");
    within("close", client.close()).await;
}

#[tokio::test]
async fn cancel_during_a_pending_sign_in_returns_to_signed_out() {
    let rig = DesktopRig::start("none");
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;

    status_becomes(&client, "Signed out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signing in").await;
    screenshot(&client, "window-signing-in").await;
    click(&client, "#cancel").await;
    status_becomes(&client, "Signed out").await;
    within("close", client.close()).await;
}

#[tokio::test]
async fn a_second_launch_hands_its_deep_link_to_the_running_instance() {
    let mut rig = DesktopRig::start("http");
    // The OS starts the app again with the link, and no flags. A forged link
    // arrives first, while the sign-in is pending; then the real one.
    let app = common::program();
    rig.env.push((
        "TEST_BROWSER_DEEP_LINK_CMD".into(),
        format!(
            "{app} 'app.pkcetray.desktop:/pkce/response/code?code=forged&state=forged' && {app}"
        ),
    ));
    let driver = Driver::start(&rig.env);
    let client = driver
        .launch(&rig.show_args(&["--redirect", "deep-link"]))
        .await;
    status_becomes(&client, "Signed out").await;

    click(&client, "#sign-in").await;
    // With the app's log if it fails (it did once, in a cold CI run, with
    // nothing else on record).
    driver
        .status_becomes(&client, "Signed in as Ada Lovelace")
        .await;
    let log = driver.log_text();
    assert!(log.contains("refused a deep link"), "{log}");
    assert!(log.contains("a deep link answered the sign-in"), "{log}");
    assert_eq!(
        log.matches("a second launch handed over a link").count(),
        2,
        "{log}"
    );

    // A second launch without a link opens the window and exits at once.
    let started = Instant::now();
    let second = Command::new(app)
        .envs(rig.env.iter().cloned())
        .status()
        .unwrap();
    assert!(second.success());
    assert!(started.elapsed() < Duration::from_secs(20));
    within("close", client.close()).await;
}

/// The WebKit processes of the app whose HOME is `home` (not the
/// WebDriver, which shares its environment).
fn webkit_processes(home: &std::path::Path) -> usize {
    common::processes(home, "WebKitWebProces") + common::processes(home, "WebKitNetworkPr")
}

#[tokio::test]
async fn the_first_run_opens_the_window_and_closing_it_leaves_the_app_in_the_tray() {
    let rig = DesktopRig::start("http");
    let driver = Driver::start(&rig.env);
    // No --show: nothing is stored yet, so the window opens by itself.
    let args: Vec<String> = rig
        .show_args(&[])
        .into_iter()
        .filter(|a| a != "--show")
        .collect();
    let client = driver.launch(&args).await;
    status_becomes(&client, "Signed out").await;
    let api_url = within("#api-url", client.find(Locator::Css("#api-url"))).await;
    let api_url = within("#api-url text", api_url.text()).await;
    assert!(api_url.starts_with("http://127.0.0.1:"), "{api_url}");
    assert!(webkit_processes(rig.keychain.home.path()) > 0);

    // Escape closes the window as its close button would. (WebDriver's own
    // close would end the session, and with it the app.)
    let body = within("body", client.find(Locator::Css("body"))).await;
    let escape = char::from(fantoccini::key::Key::Escape).to_string();
    // The window may be gone before WebDriver answers: the answer is moot.
    let _ = tokio::time::timeout(Duration::from_secs(30), body.send_keys(&escape)).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    // The window's process ends, and with it every WebKit process.
    let home = rig.keychain.home.path();
    while webkit_processes(home) + common::processes(home, "pkce-tray-windo") > 0 {
        assert!(
            Instant::now() < deadline,
            "WebKit processes outlived the window"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let session = common::http()
        .get(format!("{api_url}/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 200, "the app lives on in the tray");
}

/// The tray process is a StatusNotifierItem over D-Bus in pure Rust: it
/// links no GUI toolkit and no WebKit (only the window process does), so
/// an idle app costs what the engine costs.
#[test]
fn the_tray_process_links_no_gui_toolkit() {
    let linked = |binary: &str| {
        let output = Command::new("readelf")
            .args(["-d", binary])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let tray = linked(common::program());
    assert!(tray.contains("NEEDED"), "{tray}");
    for toolkit in ["gtk", "gdk", "webkit", "javascriptcore", "soup", "xdo"] {
        assert!(!tray.to_lowercase().contains(toolkit), "{toolkit}: {tray}");
    }
    let window = linked(common::window_binary().to_str().unwrap());
    assert!(window.contains("libwebkit2gtk"), "{window}");
}

#[test]
fn without_a_display_the_app_says_to_use_headless() {
    let output = Command::new(common::program())
        .args(["--issuer", "http://127.0.0.1:9", "--client-id", CLIENT_ID])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--headless"), "{stderr}");
}

#[tokio::test]
async fn a_refused_sign_in_shows_the_error_in_plain_words_with_retry() {
    let mut rig = DesktopRig::start("http");
    rig.env.push(("TEST_BROWSER_ACTION".into(), "deny".into()));
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;
    status_becomes(&client, "Signed out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Sign-in failed").await;
    let message = within("#message", client.find(Locator::Css("#message"))).await;
    let message = within("#message text", message.text()).await;
    assert!(
        message.starts_with("The sign-in was cancelled or refused"),
        "{message}"
    );
    let retry = within("#retry", client.find(Locator::Css("#retry"))).await;
    assert!(within("#retry shown", retry.is_displayed()).await);
    screenshot(&client, "window-error").await;
    within("close", client.close()).await;
}

#[tokio::test]
async fn a_link_that_launches_the_app_cold_is_not_lost() {
    let rig = DesktopRig::start("none");
    let log = rig.keychain.home.path().join("cold.log");
    let mut app = common::Guard(
        Command::new(common::program())
            .arg("app.pkcetray.desktop:/pkce/response/code?code=stale&state=from-before-a-restart")
            .envs(rig.env.iter().cloned())
            .env("PKCE_TRAY_ISSUER", &rig.provider.issuer)
            .env("PKCE_TRAY_CLIENT_ID", CLIENT_ID)
            .env("PKCE_TRAY_PORT", "0")
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    // The link reaches the engine, which refuses it: no attempt waits for it.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("refused a deep link") {
            break;
        }
        assert!(Instant::now() < deadline, "the link was lost: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop();
}

/// The desktop app at the rig's provider with its tray alone, no window.
fn tray_app(rig: &DesktopRig) -> common::Guard {
    common::Guard(
        Command::new(common::program())
            .args(
                rig.show_args(&["--hidden"])
                    .iter()
                    .filter(|a| *a != "--show"),
            )
            .envs(rig.env.iter().cloned())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    )
}

/// The tray as a tray host drives it: over D-Bus, with no window open.
#[test]
fn the_tray_menu_signs_in_and_out_opens_the_window_and_quits() {
    let rig = DesktopRig::start("http");
    let home = rig.keychain.home.path();
    let mut app = tray_app(&rig);
    let tray = common::TrayHost::find(&rig.keychain.address);
    tray.status_becomes("Not signed in");
    assert_eq!(tray.tooltip(), "pkce-tray: Signed out");
    let enabled: Vec<String> = tray
        .menu()
        .into_iter()
        .filter(|line| line.enabled)
        .map(|line| line.label)
        .collect();
    assert_eq!(
        enabled,
        [
            "Sign in…",
            "Notifications",
            "Start at login",
            "Open pkce-tray",
            "Quit"
        ]
    );
    assert_eq!(
        webkit_processes(home),
        0,
        "no WebKit before the window opens"
    );

    // Start at login: off until turned on; on writes the autostart entry
    // (the tray alone, --hidden), off removes it.
    let autostart = home.join(".config/autostart/pkce-tray.desktop");
    assert!(!autostart.exists());
    assert_eq!(tray.check("Start at login"), Some(false));
    tray.click("Start at login");
    let deadline = Instant::now() + Duration::from_secs(30);
    while tray.check("Start at login") != Some(true) {
        assert!(Instant::now() < deadline, "Start at login stayed off");
        std::thread::sleep(Duration::from_millis(100));
    }
    let entry = std::fs::read_to_string(&autostart).expect("an autostart entry");
    assert!(
        entry.contains(&format!("Exec={} --hidden", common::program())),
        "{entry}"
    );
    tray.click("Start at login");
    while tray.check("Start at login") != Some(false) {
        assert!(Instant::now() < deadline, "Start at login stayed on");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!autostart.exists(), "turning it off removes the entry");
    assert_eq!(
        std::fs::read_dir(home.join(".config/autostart"))
            .unwrap()
            .count(),
        0
    );

    tray.click("Sign in…");
    tray.status_becomes("Signed in as Ada Lovelace");
    assert_eq!(tray.tooltip(), "pkce-tray: Signed in as Ada Lovelace");
    tray.click("Sign out");
    tray.status_becomes("Not signed in");

    tray.click("Open pkce-tray");
    let deadline = Instant::now() + Duration::from_secs(60);
    while webkit_processes(home) == 0 {
        assert!(Instant::now() < deadline, "the window did not open");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(common::processes(home, "pkce-tray-windo"), 1);

    tray.click("Quit");
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "Quit did not end the app");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(app.0.wait().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while webkit_processes(home) + common::processes(home, "pkce-tray-windo") > 0 {
        assert!(
            Instant::now() < deadline,
            "the window outlived the app it belongs to"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A tray binary copied without its window binary says so, and lives on.
#[tokio::test]
async fn without_its_window_binary_the_app_says_so_and_lives_on() {
    let rig = DesktopRig::start("none");
    let alone = rig.keychain.home.path().join("alone");
    std::fs::create_dir_all(&alone).unwrap();
    let binary = alone.join("pkce-tray");
    std::fs::copy(common::program(), &binary).unwrap();
    let log = alone.join("stderr.log");
    let mut app = common::Guard(
        Command::new(&binary)
            .args(rig.show_args(&[]))
            .envs(rig.env.iter().cloned())
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("pkce-tray-window belongs beside pkce-tray") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no word of the missing window: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(app.0.try_wait().unwrap().is_none(), "the app lives on");
    app.stop();
}

/// A window process that writes garbage (not UTF-8, not a message, a line
/// of a megabyte) before a real click: each bad line is skipped with a log
/// line, the app lives on, and the click still counts.
#[tokio::test]
async fn a_window_that_writes_garbage_is_read_past() {
    let rig = DesktopRig::start("none");
    let dir = rig.keychain.home.path().join("garbled");
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("pkce-tray");
    std::fs::copy(common::program(), &binary).unwrap();
    let window = dir.join("pkce-tray-window");
    std::fs::write(
        &window,
        "#!/bin/sh\n\
         printf '\\377\\376 not utf-8\\n{\"type\":\"nonsense\"}\\n'\n\
         head -c 1048576 /dev/zero | tr '\\0' x; echo\n\
         echo '{\"type\":\"sign_in\"}'\n\
         exec cat >/dev/null\n",
    )
    .unwrap();
    std::process::Command::new("chmod")
        .args(["+x", window.to_str().unwrap()])
        .status()
        .unwrap();
    let log = dir.join("stderr.log");
    let mut app = common::Guard(
        Command::new(&binary)
            .args(rig.show_args(&[]))
            .envs(rig.env.iter().cloned())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let read = || std::fs::read_to_string(&log).unwrap_or_default();
    common::eventually(
        "the click after the garbage",
        Duration::from_secs(60),
        || read().contains("opened the sign-in page"),
    )
    .await;
    let text = read();
    assert_eq!(
        text.matches("skipped a line from the window").count(),
        3,
        "{text}"
    );
    assert!(text.contains("more than 4096 bytes"), "{text}");
    assert!(app.0.try_wait().unwrap().is_none(), "the app lives on");
    app.stop();
}

/// Waits until the test browser's log says it was handed `address`.
fn wait_until_opened(log: &std::path::Path, address: &str) {
    let wanted = format!("opened {address}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .any(|line| line == wanted)
    {
        assert!(Instant::now() < deadline, "{address} was not opened");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The window against Glewlwyd: signed in with headless Chromium on its
/// real login page, then signed out where Glewlwyd refuses every public
/// client's revocation. The window says the provider may still hold the
/// session, and its button opens the provider's own address to end it.
#[tokio::test]
async fn the_window_with_glewlwyd_tells_of_a_sign_out_it_refused() {
    let mut rig = DesktopRig::start_with(
        "chromium",
        ProviderOptions {
            kind: Kind::Glewlwyd,
            no_bearer_revocation: true,
            ..ProviderOptions::default()
        },
    );
    let opened = rig.keychain.home.path().join("browser.log");
    rig.env
        .push(("TEST_BROWSER_LOG".into(), opened.display().to_string()));
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;

    status_becomes(&client, "Signed out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    click(&client, "#sign-out").await;
    status_becomes(&client, "Signed out").await;
    let message = within("#message", client.find(Locator::Css("#message"))).await;
    let message = within("#message text", message.text()).await;
    assert!(message.contains("may still be active"), "{message}");
    assert!(displayed(&client, "#provider-sign-out").await);
    screenshot(&client, "window-provider-kept-session").await;

    click(&client, "#provider-sign-out").await;
    wait_until_opened(&opened, &rig.provider.issuer);
    within("close", client.close()).await;
}

/// The tray against Glewlwyd, its answer coming back as a deep link that
/// a second launch hands over (Glewlwyd redirects with a query, `iss`
/// first); then a sign-out Glewlwyd refuses (no public client may revoke
/// in its defaults): the tray says so and opens the provider's address.
#[test]
fn the_tray_signs_in_to_glewlwyd_through_a_deep_link_and_tells_of_a_refused_sign_out() {
    let mut rig = DesktopRig::start_with(
        "http",
        ProviderOptions {
            kind: Kind::Glewlwyd,
            no_bearer_revocation: true,
            ..ProviderOptions::default()
        },
    );
    let program = common::program();
    let opened = rig.keychain.home.path().join("browser.log");
    rig.env.extend([
        ("TEST_BROWSER_DEEP_LINK_CMD".into(), program.into()),
        ("TEST_BROWSER_LOG".into(), opened.display().to_string()),
    ]);
    let args = rig.show_args(&["--hidden", "--redirect", "deep-link"]);
    let mut app = common::Guard(
        Command::new(program)
            .args(args.iter().filter(|a| *a != "--show"))
            .envs(rig.env.iter().cloned())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let tray = common::TrayHost::find(&rig.keychain.address);
    tray.status_becomes("Not signed in");
    tray.click("Sign in…");
    tray.status_becomes("Signed in as Ada Lovelace");
    tray.click("Sign out");
    tray.status_becomes("Not signed in");
    assert_eq!(
        tray.tooltip(),
        "pkce-tray: Signed out; the provider may still hold the session"
    );
    tray.click("Still signed in at the provider? Sign out there…");
    wait_until_opened(&opened, &rig.provider.issuer);
    app.stop();
}

/// Whether a thread of `pid` waits in the kernel to open a FIFO (its
/// other end not open yet).
fn opening_a_fifo(pid: u32) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|tasks| {
            tasks.flatten().any(|task| {
                std::fs::read_to_string(task.path().join("wchan"))
                    .is_ok_and(|wchan| wchan.trim() == "wait_for_partner")
            })
        })
        .unwrap_or(false)
}

/// SIGTERM while the tray's loop is busy (a click whose work blocks: the
/// autostart entry's place is a FIFO nobody reads yet) is not lost: once
/// the work ends, the app quits.
#[test]
fn sigterm_while_the_tray_is_busy_quits_the_app() {
    let rig = DesktopRig::start("http");
    let home = rig.keychain.home.path();
    let mut app = tray_app(&rig);
    let tray = common::TrayHost::find(&rig.keychain.address);
    tray.status_becomes("Not signed in");
    assert_eq!(tray.check("Start at login"), Some(false));
    let autostart = home.join(".config/autostart");
    std::fs::create_dir_all(&autostart).unwrap();
    let entry = autostart.join("pkce-tray.desktop");
    let made = Command::new("mkfifo").arg(&entry).status().unwrap();
    assert!(made.success());

    let pid = app.0.id();
    tray.click("Start at login");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !opening_a_fifo(pid) {
        assert!(
            Instant::now() < deadline,
            "the click never reached the entry"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Handled (no longer pending) while the loop is still blocked; only
    // then does the click's work end.
    let pending = || {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        status
            .lines()
            .filter_map(|line| line.strip_prefix("ShdPnd:"))
            .any(|mask| u64::from_str_radix(mask.trim(), 16).unwrap() & (1 << (15 - 1)) != 0)
    };
    while pending() {
        assert!(Instant::now() < deadline, "SIGTERM stayed pending");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(opening_a_fifo(pid), "the loop is no longer blocked");
    std::fs::read(&entry).unwrap();

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = app.0.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "SIGTERM during the click was lost: the app runs on"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
