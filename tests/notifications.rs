//! Notifications, shown by a real notification server (dunst) on the
//! tests' private session bus and display, from the real tray app: a
//! session that ends is told once, naming the account, and its Sign in
//! signs in again; the switch in the tray silences them and is kept in
//! the configuration; without a server the app goes on. Against both
//! providers, oidc-provider and Glewlwyd.

use crate::common;

use std::time::{Duration, Instant};

use common::notices::NotificationServer;
use common::terminal::run;
use common::{DesktopRig, Kind, Provider, ProviderOptions, TrayHost};

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_session_that_ends_is_told_once_and_its_sign_in_works_until_the_switch_silences_them() {
    let rig = DesktopRig::start("http");
    let home = Provider::start();
    rig.configure(&rig.provider.issuer, &home.issuer, "");
    let server = NotificationServer::start(&rig);
    let log = rig.keychain.home.path().join("app.log");
    let mut app = rig.tray_app(Some(&log));
    let tray = TrayHost::find(&rig.keychain.address);
    tray.status_becomes("work: Not signed in");
    assert_eq!(tray.check("Notifications"), Some(true));

    // A sign-in from the tray, the window closed: told when it is done.
    tray.click("Sign in to home…");
    let signed_in = server.wait_for("home: signed in");
    assert_eq!(signed_in.app, "pkce-tray");
    assert_eq!(signed_in.body, "Signed in as Ada Lovelace.");
    // Only the next notice on screen, for the click below.
    server.close_all();

    // The provider ends the session: a notice, naming the account and
    // the person.
    rig.end_the_session_of("home", &home);
    let ended = server.wait_for("home: session ended");
    assert!(
        ended
            .body
            .starts_with("Ada Lovelace is no longer signed in."),
        "{ended:?}"
    );
    tray.shows("home: session ended");

    // Its Sign in, clicked through the server, signs in again (within
    // the quiet period, not told again).
    server.click_top();
    tray.shows("home: signed in as Ada Lovelace");

    // Off: nothing more, and the file keeps it.
    tray.click("Notifications");
    wait_until("the switch stayed on", || {
        tray.check("Notifications") == Some(false)
    });
    assert!(
        rig.config().contains("notifications = false"),
        "{}",
        rig.config()
    );
    let before = server.shown().len();
    tray.click("Sign in…");
    tray.status_becomes("work: Signed in as Ada Lovelace");
    wait_until("the notice withheld", || {
        std::fs::read_to_string(&log)
            .is_ok_and(|log| log.contains("not shown, as notifications are off: work: signed in"))
    });
    // Told of the lapse once, however long the app ran since.
    assert_eq!(server.shown().len(), before, "{:?}", server.shown());
    assert_eq!(
        server.count("home: session ended"),
        1,
        "{:?}",
        server.shown()
    );
    app.stop();
}

#[test]
fn without_a_notification_server_the_app_goes_on_and_says_so_once() {
    let rig = DesktopRig::start("http");
    let home = Provider::start();
    rig.configure(&rig.provider.issuer, &home.issuer, "notifications = true\n");
    let log = rig.keychain.home.path().join("app.log");
    let mut app = rig.tray_app(Some(&log));
    let tray = TrayHost::find(&rig.keychain.address);
    tray.click("Sign in to home…");
    // Signed in, then ended: two notices that no server takes.
    tray.shows("home: signed in as Ada Lovelace");
    rig.end_the_session_of("home", &home);
    tray.shows("home: session ended");
    tray.click("Sign in…");
    tray.status_becomes("work: Signed in as Ada Lovelace");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.matches("no notification service").count(), 1, "{text}");
    app.stop();
}

/// Glewlwyd, and a person who reads German: someone replays the session's
/// refresh token, so Glewlwyd ends the chain (with a bare 400), and the
/// next renewal, a terminal's, finds the session refused. One notice says
/// so in German, the reason too; its Sign in signs in at Glewlwyd again.
#[tokio::test]
async fn a_session_glewlwyd_ends_is_told_once_in_german_and_its_sign_in_works() {
    let mut rig = DesktopRig::start_with(
        "http",
        ProviderOptions {
            kind: Kind::Glewlwyd,
            ..ProviderOptions::default()
        },
    );
    rig.env.push(("LANG".into(), "de_DE.UTF-8".into()));
    rig.configure(&rig.provider.issuer, &rig.provider.issuer, "");
    let server = NotificationServer::start(&rig);
    let mut app = rig.tray_app(None);
    let tray = TrayHost::find(&rig.keychain.address);
    tray.status_becomes("work: Nicht angemeldet");
    tray.click("Anmelden…");
    tray.status_becomes("work: Angemeldet als Ada Lovelace");
    server.wait_for("work: angemeldet");
    // Only the next notice on screen, for the click below.
    server.close_all();

    let item = format!("work:{}", rig.provider.account());
    let stored: serde_json::Value =
        serde_json::from_str(&rig.keychain.lookup(&item).expect("the session")).unwrap();
    let refresh_token = stored["refresh_token"].as_str().unwrap();
    for _ in 0..2 {
        rig.provider.refresh(refresh_token).await;
    }

    let renewal = run(common::cli(&rig.env, &["token", "--min-valid", "100000"]));
    assert!(!renewal.status.success());
    let ended = server.wait_for("work: Sitzung beendet");
    assert_eq!(
        ended.body,
        "Ada Lovelace ist nicht mehr angemeldet. Ihre Sitzung ist beendet: \
         Der Anbieter nimmt sie nicht mehr an. Melden Sie sich erneut an."
    );
    tray.status_becomes("work: Nicht angemeldet");
    let again = run(common::cli(&rig.env, &["token", "--min-valid", "100000"]));
    assert!(!again.status.success());

    // Its Sign in signs in again; by then the end was told once, whatever
    // was asked meanwhile.
    server.click_top();
    tray.status_becomes("work: Angemeldet als Ada Lovelace");
    assert_eq!(
        server.count("work: Sitzung beendet"),
        1,
        "{:?}",
        server.shown()
    );
    app.stop();
}
