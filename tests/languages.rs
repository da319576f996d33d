//! The person's language end to end: the real window through WebDriver
//! in German and Japanese (screenshots of each), and in French the tray's
//! menu and tooltip read over D-Bus, a notification as a real server
//! shows it, and the page a browser lands on at the callback.

use crate::common;

use common::notices::NotificationServer;
use common::webdriver::{click, screenshot, status_becomes, text, text_becomes, within};
use common::{free_port, DesktopRig, Driver, ProviderOptions, TrayHost};

/// The window under `LANG=lang`: signed out, then in, in its words.
async fn the_window_in(lang: &str, words: [&str; 5], shot: &str) {
    let [signed_out, sign_in, signed_in, renews, html_lang] = words;
    let mut rig = DesktopRig::start("http");
    rig.env.push(("LANG".into(), lang.into()));
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.show_args(&[])).await;
    status_becomes(&client, signed_out).await;
    assert_eq!(text(&client, "#sign-in").await, sign_in);
    let lang = within(
        "the page's lang",
        client.execute("return document.documentElement.lang", vec![]),
    )
    .await;
    assert_eq!(lang, html_lang);
    click(&client, "#sign-in").await;
    status_becomes(&client, signed_in).await;
    text_becomes(&client, "#expiry", renews).await;
    screenshot(&client, shot).await;
    within("close", client.close()).await;
}

#[tokio::test]
async fn the_window_speaks_german() {
    the_window_in(
        "de_DE.UTF-8",
        [
            "Abgemeldet",
            "Anmelden",
            "Angemeldet als Ada Lovelace",
            "Die Sitzung wird automatisch erneuert",
            "de",
        ],
        "window-de",
    )
    .await;
}

#[tokio::test]
async fn the_window_speaks_japanese() {
    the_window_in(
        "ja_JP.UTF-8",
        [
            "サインアウトしました",
            "サインイン",
            "Ada Lovelace としてサインイン中",
            "セッションは自動で更新されます",
            "ja",
        ],
        "window-ja",
    )
    .await;
}

#[tokio::test]
async fn the_tray_its_notices_and_the_callback_page_speak_french() {
    let mut rig = DesktopRig::start_with(
        "http",
        ProviderOptions {
            app_port: Some(free_port()),
            ..ProviderOptions::default()
        },
    );
    rig.env.push(("LANG".into(), "fr_FR.UTF-8".into()));
    rig.configure(&rig.provider.issuer, &rig.provider.issuer, "");
    let server = NotificationServer::start(&rig);
    let mut app = rig.tray_app(None);
    let tray = TrayHost::find(&rig.keychain.address);

    tray.status_becomes("work\u{a0}: Non connecté");
    let labels: Vec<String> = tray.menu().into_iter().map(|line| line.label).collect();
    for expected in [
        "Se connecter…",
        "home\u{a0}: non connecté",
        "Se connecter à home…",
        "Utiliser home par défaut",
        "Notifications",
        "Lancer à l’ouverture de session",
        "Ouvrir pkce-tray",
        "Quitter",
    ] {
        assert!(
            labels.iter().any(|l| l == expected),
            "{expected:?} in {labels:?}"
        );
    }
    assert_eq!(tray.tooltip(), "pkce-tray\u{a0}: Déconnecté");

    tray.click("Se connecter à home…");
    let notice = server.wait_for("home\u{a0}: connecté");
    assert_eq!(notice.body, "Connecté en tant que Ada Lovelace.");
    tray.shows("home\u{a0}: connecté en tant que Ada Lovelace");

    // The provider ends the session: the engine's reason, in French.
    rig.end_the_session_of("home", &rig.provider);
    let ended = server.wait_for("home\u{a0}: session terminée");
    assert_eq!(
        ended.body,
        "Ada Lovelace n’est plus connecté. Votre session a pris fin\u{a0}: \
         le fournisseur ne l’accepte plus. Reconnectez-vous."
    );

    // A browser that lands at the callback with a forged answer.
    let page = common::http()
        .post(format!(
            "http://127.0.0.1:{}/pkce/response/code",
            rig.app_port
        ))
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[("code", "x"), ("state", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    let page = page.text().await.unwrap();
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    assert!(page.contains("La connexion n’a pas abouti"), "{page}");
    assert!(
        page.contains("Aucune connexion n’attend cet état"),
        "the reason in French: {page}"
    );
    app.stop();
}
