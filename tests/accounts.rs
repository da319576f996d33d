//! Several accounts in one app: two providers (oidc-provider and
//! Glewlwyd), each account its own session, keychain item and token, from
//! the terminal, git and the API; and today's configuration and keychain
//! item read by this release with nothing lost.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::terminal::{credential_for, first_line, refused, run, stderr, stdout, token};
use common::webdriver::{click, displayed, screenshot, status_becomes, text, text_becomes, within};
use common::{
    free_port, Api, App, AppOptions, DesktopRig, Driver, Keychain, Kind, Provider, ProviderOptions,
    TrayHost, CLIENT_ID,
};
use fantoccini::Locator;
use serde_json::Value;

/// An account `work` at oidc-provider (the default) and `home` at
/// Glewlwyd, each with a git host.
fn two_providers() -> (Provider, Provider, u16, String) {
    let port = free_port();
    let work = Provider::start();
    let home = Provider::start_with(ProviderOptions {
        kind: Kind::Glewlwyd,
        app_port: Some(port),
        ..ProviderOptions::default()
    });
    let config = format!(
        "default_account = \"work\"\n\n[accounts.work]\nissuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\ngit_hosts = [\"git.work.example\"]\n\n[accounts.home]\nissuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\ngit_hosts = [\"git.home.example\"]\n",
        work.issuer, home.issuer
    );
    (work, home, port, config)
}

fn app(keychain: &Keychain, port: u16, config: &str) -> App {
    let mut options = AppOptions::new("");
    options.keychain = Some(keychain);
    options.port = Some(port);
    options.config = Some(config.to_owned());
    App::start(options)
}

fn json(app: &App, args: &[&str]) -> Value {
    let output = run(app.cli(args));
    serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|_| panic!("{args:?}: {}", stderr(&output)))
}

/// Each account's state, by name, from `status --all --json`.
fn states(app: &App) -> Vec<(String, bool, bool)> {
    let all = json(app, &["status", "--all", "--json"]);
    all.as_array()
        .unwrap()
        .iter()
        .map(|account| {
            (
                account["name"].as_str().unwrap().to_owned(),
                account["default"].as_bool().unwrap(),
                account["signed_in"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn item(provider: &Provider, name: &str) -> String {
    format!("{name}:{}", provider.account())
}

#[tokio::test]
async fn two_accounts_at_two_providers_are_two_sessions_from_the_terminal_git_and_the_api() {
    let (work, home, port, config) = two_providers();
    let keychain = Keychain::start();
    let mut app = app(&keychain, port, &config);
    let everyone_out = [
        ("work".to_owned(), true, false),
        ("home".to_owned(), false, false),
    ];
    assert_eq!(states(&app), everyone_out);
    // The shell completes the account names from the configuration.
    let mut complete = app.cli(&["--", "pkce-tray", "token", "--account", ""]);
    complete.env("COMPLETE", "fish");
    let names: Vec<String> = stdout(&run(complete))
        .lines()
        .map(|line| line.split('\t').next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["work", "home"]);
    let listed = json(&app, &["accounts", "--json"]);
    assert_eq!(listed[0]["name"], "work");
    assert!(listed[1]["issuer"]
        .as_str()
        .unwrap()
        .starts_with(&home.issuer));

    for name in ["work", "home"] {
        let signed_in = run(app.cli(&["sign-in", "--account", name]));
        assert!(signed_in.status.success(), "{name}: {}", stderr(&signed_in));
    }
    assert!(states(&app).iter().all(|(_, _, signed_in)| *signed_in));

    // Each account's token is its provider's, and git gets each host's.
    let work_token = token(&app, &["--account", "work"]);
    let home_token = token(&app, &["--account", "home"]);
    assert_ne!(work_token, home_token);
    assert!(work.userinfo(&work_token).await.is_some());
    assert!(home.userinfo(&home_token).await.is_some());
    assert!(home.userinfo(&work_token).await.is_none());
    assert!(work.userinfo(&home_token).await.is_none());
    assert_eq!(token(&app, &[]), work_token, "the default account's");
    assert!(credential_for(&app, "git.home.example").contains(&format!("password={home_token}\n")));
    assert!(credential_for(&app, "git.work.example").contains(&format!("password={work_token}\n")));
    assert!(credential_for(&app, "git.elsewhere.example").is_empty());
    let status = json(&app, &["status", "--json", "--account", "home"]);
    assert_eq!(status["account"], "home");
    assert_eq!(status["signed_in"], true);

    // The API: the default account, and every one in brief.
    let api = Api::new(&app);
    let session = api.get("/session").await.json();
    assert_eq!(session["account"], "work");
    assert_eq!(session["accounts"].as_array().unwrap().len(), 2);
    assert_eq!(session["accounts"][1]["name"], "home");
    assert_eq!(session["accounts"][1]["signed_in"], true);
    let unknown = api.get("/session?account=play").await;
    assert_eq!(
        (unknown.status, unknown.error()),
        (404, "unknown_account".into())
    );

    // Signing out of one keeps the other, in the keychain too.
    let signed_out = api.post_form("/session/sign-out?account=home", &[]).await;
    assert_eq!(signed_out.status, 200, "{}", signed_out.text);
    assert_eq!(signed_out.json()["account"], "home");
    assert_eq!(
        states(&app),
        [
            ("work".to_owned(), true, true),
            ("home".to_owned(), false, false)
        ]
    );
    assert_eq!(signed_out.json()["revoked"], true, "revoked at Glewlwyd");
    assert!(work.userinfo(&work_token).await.is_some());
    assert!(keychain.lookup(&item(&home, "home")).is_none());
    assert!(keychain.lookup(&item(&work, "work")).is_some());

    // Both come back after a restart, from the keychain.
    assert!(run(app.cli(&["sign-in", "--account", "home"]))
        .status
        .success());
    app.stop();
    let app = self::app(&keychain, port, &config);
    assert!(
        states(&app).iter().all(|(_, _, signed_in)| *signed_in),
        "{:?}",
        states(&app)
    );
    assert_eq!(
        token(&app, &["--account", "work"]),
        work_token,
        "restored, not renewed"
    );

    // Another default, kept in the file.
    let changed = run(app.cli(&["accounts", "default", "home"]));
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert_eq!(json(&app, &["status", "--json"])["account"], "home");
    let file = std::fs::read_to_string(app.home.join("config/pkce-tray/config.toml")).unwrap();
    assert!(file.starts_with("default_account = \"home\"\n"), "{file}");
    assert!(file.contains("[accounts.work]"), "{file}");
    refused(
        app.cli(&["accounts", "default", "play"]),
        "no account named \"play\"",
    );
    refused(app.cli(&["token", "--account", "play"]), "work, home");
}

#[tokio::test]
async fn two_accounts_at_one_provider_with_two_people_are_two_sessions() {
    let provider = Provider::start();
    let keychain = Keychain::start();
    let config = format!(
        "[accounts.ada]\nissuer = \"{0}\"\nclient_id = \"{CLIENT_ID}\"\n[accounts.grace]\nissuer = \"{0}\"\nclient_id = \"{CLIENT_ID}\"\n",
        provider.issuer
    );
    let mut options = AppOptions::new("");
    options.keychain = Some(&keychain);
    options.config = Some(config);
    let app = App::start(options);
    // Grace signs in at the address the terminal prints, in a browser of
    // her own; Ada in the one the app opens.
    let (mut sign_in, address) =
        first_line(app.cli(&["sign-in", "--no-browser", "--account", "grace"]));
    let mut browser = Command::new(common::test_browser());
    browser
        .arg(address.trim_end())
        .env("TEST_BROWSER_ENGINE", "http")
        .env("TEST_BROWSER_USER", "grace");
    let browser = run(browser);
    assert!(browser.status.success(), "{}", stderr(&browser));
    assert!(common::ended(&mut sign_in.0, Duration::from_secs(30)).success());
    assert!(run(app.cli(&["sign-in", "--account", "ada"]))
        .status
        .success());
    let ada = json(&app, &["status", "--json", "--account", "ada"]);
    let grace = json(&app, &["status", "--json", "--account", "grace"]);
    assert_eq!(ada["user"]["sub"], "ada");
    assert_eq!(grace["user"]["sub"], "grace");
    assert!(keychain.lookup(&item(&provider, "ada")).is_some());
    assert!(keychain.lookup(&item(&provider, "grace")).is_some());
}

/// What the release before accounts wrote: a configuration with the
/// provider at the top level, and the keychain item under
/// `<client id>@<issuer>` holding the token set's JSON.
#[tokio::test]
async fn todays_configuration_and_keychain_item_are_read_with_nothing_lost() {
    let provider = Provider::start();
    let keychain = Keychain::start();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let item = format!(
        r#"{{"access_token":"at-from-the-last-release","refresh_token":"rt-from-the-last-release","issued_at":{now},"expires_at":{},"user":{{"sub":"ada","name":"Ada Lovelace","email":"ada@example.com","picture":null}}}}"#,
        now + 3600
    );
    keychain.store(&provider.account(), &item);
    let mut options = AppOptions::new("");
    options.keychain = Some(&keychain);
    options.config = Some(format!(
        "# written for the release before accounts\nissuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"openid profile email offline_access\"\n",
        provider.issuer
    ));
    let app = App::start(options);
    let status = json(&app, &["status", "--json"]);
    assert_eq!(status["account"], "default");
    assert_eq!(status["signed_in"], true, "{status}");
    assert_eq!(status["user"]["name"], "Ada Lovelace");
    assert_eq!(token(&app, &[]), "at-from-the-last-release");
    let accounts = json(&app, &["accounts", "--json"]);
    assert_eq!(accounts.as_array().unwrap().len(), 1);
    assert_eq!(accounts[0]["name"], "default");
    assert_eq!(accounts[0]["default"], true);
    let session = Api::new(&app).get("/session").await.json();
    assert_eq!(session["user"]["sub"], "ada");
    // The item is where it was, as it was.
    assert_eq!(
        keychain.lookup(&provider.account()).as_deref(),
        Some(item.as_str())
    );
}

#[tokio::test]
async fn tokens_for_fewer_scopes_or_another_api_come_from_the_provider_once_and_stay_in_memory() {
    const API: &str = "https://api.test.example/";
    let provider = Provider::start_with(ProviderOptions {
        resource: Some(API.into()),
        ..ProviderOptions::default()
    });
    let keychain = Keychain::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.keychain = Some(&keychain);
    options.args = vec!["--resource".into(), API.into()];
    let app = App::start(options);
    assert!(run(app.cli(&["sign-in"])).status.success());
    let own = token(&app, &[]);
    let refreshes = provider.refreshes();

    let narrow = token(&app, &["--scope", "openid email"]);
    assert_ne!(narrow, own);
    let seen = provider.userinfo(&narrow).await.expect("a live token");
    assert_eq!(seen["email"], "ada@example.com");
    assert!(seen.get("name").is_none(), "no profile scope: {seen}");
    assert_eq!(provider.refreshes(), refreshes + 1);
    assert_eq!(
        token(&app, &["--scope", "email  openid"]),
        narrow,
        "kept, whatever the order"
    );
    assert_eq!(provider.refreshes(), refreshes + 1, "not asked again");

    let api = token(&app, &["--audience", API]);
    assert_eq!(common::jwt_claims(&api)["aud"], API);
    assert_eq!(token(&app, &["--audience", API]), api);
    assert_eq!(provider.refreshes(), refreshes + 2);

    // The account's own token is untouched; the keychain holds neither.
    assert_eq!(token(&app, &[]), own);
    let item = keychain.lookup(&provider.account()).expect("the session");
    assert!(!item.contains(&narrow) && !item.contains(&api));

    // What cannot be had is refused, saying why.
    refused(app.cli(&["token", "--scope", "openid admin"]), "not admin");
    refused(
        app.cli(&["token", "--audience", "https://elsewhere.example/"]),
        "invalid_target",
    );
    // Signed out, none is given.
    assert!(run(app.cli(&["sign-out"])).status.success());
    refused(
        app.cli(&["token", "--scope", "openid email"]),
        "Not signed in",
    );
}

/// A desktop with `work` at oidc-provider (the default) and `home` at
/// Glewlwyd (the rig's provider), the configuration in its default place.
fn desktop_with_two_accounts() -> (DesktopRig, Provider) {
    let rig = DesktopRig::start_with(
        "http",
        ProviderOptions {
            kind: Kind::Glewlwyd,
            ..ProviderOptions::default()
        },
    );
    let work = Provider::start();
    rig.configure(&work.issuer, &rig.provider.issuer, "");
    (rig, work)
}

/// The desktop's configuration: `work` (the default) and `home`.
const HOME: &str = r#"#account-list li[data-account="home"]"#;

#[tokio::test]
async fn the_window_lists_every_account_signs_in_to_each_and_adds_one() {
    let (rig, work) = desktop_with_two_accounts();
    let driver = Driver::start(&rig.env);
    let client = driver.launch(&rig.args("--show")).await;

    status_becomes(&client, "Signed out").await;
    assert_eq!(text(&client, "#account-name").await, "WORK (DEFAULT)");
    text_becomes(&client, &format!("{HOME} .account-state"), "Signed out").await;
    click(&client, "#sign-in").await;
    status_becomes(&client, "Signed in as Ada Lovelace").await;
    click(&client, &format!("{HOME} .sign-in")).await;
    text_becomes(
        &client,
        &format!("{HOME} .account-state"),
        "Signed in as Ada Lovelace",
    )
    .await;
    let label = within(
        "aria-label",
        within(
            "sign-out",
            client.find(Locator::Css(&format!("{HOME} .sign-out"))),
        )
        .await
        .attr("aria-label"),
    )
    .await;
    assert_eq!(label.as_deref(), Some("Sign out of home"));
    screenshot(&client, "window-accounts").await;

    // Home becomes the default (under its details): the card shows it,
    // the list shows work.
    click(&client, &format!("{HOME} summary")).await;
    click(&client, &format!("{HOME} .use-as-default")).await;
    text_becomes(&client, "#account-name", "HOME (DEFAULT)").await;
    let work_row = r#"#account-list li[data-account="work"]"#;
    text_becomes(
        &client,
        &format!("{work_row} .account-state"),
        "Signed in as Ada Lovelace",
    )
    .await;
    let config = rig
        .keychain
        .home
        .path()
        .join("config/pkce-tray/config.toml");
    assert!(std::fs::read_to_string(&config)
        .unwrap()
        .starts_with("default_account = \"home\""));

    // An account whose provider does not answer is not added; one whose
    // provider does is kept in the file and listed.
    click(&client, "#add-account summary").await;
    let fill = |selector: &'static str, value: String| {
        let client = client.clone();
        async move {
            let field = within(selector, client.find(Locator::Css(selector))).await;
            within(selector, field.clear()).await;
            within(selector, field.send_keys(&value)).await;
        }
    };
    fill("#new-name", "play".into()).await;
    fill("#new-issuer", format!("http://127.0.0.1:{}", free_port())).await;
    fill("#new-client-id", CLIENT_ID.into()).await;
    click(&client, "#add-account-submit").await;
    text_becomes(&client, "#add-account-result", "The account was not added").await;
    assert!(!std::fs::read_to_string(&config).unwrap().contains("play"));
    fill("#new-issuer", work.issuer.clone()).await;
    click(&client, "#add-account-submit").await;
    text_becomes(&client, "#add-account-result", "Added the account play").await;
    let play_row = r#"#account-list li[data-account="play"]"#;
    text_becomes(&client, &format!("{play_row} .account-state"), "Signed out").await;
    assert!(std::fs::read_to_string(&config)
        .unwrap()
        .contains("[accounts.play]"));
    // The account `default` with client id `play:<id>` would share play's
    // keychain item: refused, naming both. (The form closed on success.)
    click(&client, "#add-account summary").await;
    fill("#new-name", "default".into()).await;
    fill("#new-issuer", work.issuer.clone()).await;
    fill("#new-client-id", format!("play:{CLIENT_ID}")).await;
    click(&client, "#add-account-submit").await;
    text_becomes(&client, "#add-account-result", "The account was not added").await;
    let said = within("result", client.find(Locator::Css("#add-account-result"))).await;
    let said = within("result text", said.text()).await;
    assert!(said.contains("\"play\" and \"default\""), "{said}");
    assert!(!std::fs::read_to_string(&config).unwrap().contains("play:"));
    click(&client, &format!("{play_row} .sign-in")).await;
    text_becomes(
        &client,
        &format!("{play_row} .account-state"),
        "Signed in as Ada Lovelace",
    )
    .await;
    screenshot(&client, "window-accounts-added").await;

    // Signing out of the default keeps the others.
    click(&client, "#sign-out").await;
    status_becomes(&client, "Signed out").await;
    text_becomes(
        &client,
        &format!("{work_row} .account-state"),
        "Signed in as Ada Lovelace",
    )
    .await;
    within("close", client.close()).await;
}

#[test]
fn the_tray_lists_every_account_and_signs_each_in_and_out() {
    let (rig, _work) = desktop_with_two_accounts();
    let mut app = rig.tray_app(None);
    let tray = TrayHost::find(&rig.keychain.address);
    tray.status_becomes("work: Not signed in");
    let labels: Vec<String> = tray.menu().into_iter().map(|line| line.label).collect();
    assert_eq!(
        labels,
        [
            "work: Not signed in",
            "Sign in…",
            "Cancel sign-in",
            "Sign out",
            "home: not signed in",
            "Sign in to home…",
            "Use home as default",
            "Notifications",
            "Start at login",
            "Open pkce-tray",
            "Quit",
        ]
    );
    tray.click("Sign in to home…");
    tray.shows("home: signed in as Ada Lovelace");
    tray.status_becomes("work: Not signed in");
    tray.click("Sign in…");
    tray.status_becomes("work: Signed in as Ada Lovelace");
    tray.click("Sign out of home");
    tray.shows("home: not signed in");
    tray.status_becomes("work: Signed in as Ada Lovelace");
    tray.click("Use home as default");
    tray.status_becomes("home: Not signed in");
    tray.shows("work: signed in as Ada Lovelace");
    tray.shows("Sign out of work");
    assert_eq!(tray.tooltip(), "pkce-tray: Signed out");
    app.stop();
}

/// Another account's session that ends in the background (its grant
/// revoked at the provider) marks the tray: its line says so, the tooltip
/// names it, and the icon carries the mark.
#[test]
fn the_tray_marks_another_account_whose_session_ended() {
    let rig = DesktopRig::start("http");
    let home = Provider::start();
    rig.configure(&rig.provider.issuer, &home.issuer, "");
    let mut app = rig.tray_app(None);
    let tray = TrayHost::find(&rig.keychain.address);
    tray.status_becomes("work: Not signed in");
    let calm = tray.icon();
    tray.click("Sign in to home…");
    tray.shows("home: signed in as Ada Lovelace");
    rig.end_the_session_of("home", &home);
    tray.shows("home: session ended");
    tray.shows("Sign in to home…");
    assert_eq!(
        tray.tooltip(),
        "pkce-tray: Signed out; home needs attention"
    );
    assert_ne!(tray.icon(), calm, "the icon carries the mark");
    // Signing in again clears it.
    tray.click("Sign in to home…");
    tray.shows("home: signed in as Ada Lovelace");
    assert_eq!(tray.tooltip(), "pkce-tray: Signed out");
    assert_eq!(tray.icon(), calm);
    app.stop();
}

/// Where each account's name and its one action lie, and the viewport:
/// `{viewport: [w, h], fits, shown: [{account, name: rect, action: rect}],
/// overlaps: [...]}`, the card's account first.
const AT_A_GLANCE: &str = r##"
const rect = (e) => { if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const visible = (e) => e && e.offsetParent !== null;
const card = document.querySelector("#signed-out:not([hidden]) button.primary, #signing-in:not([hidden]) #cancel, #signed-in:not([hidden]) #sign-out, #failed:not([hidden]) #retry");
const shown = [{ account: "(card)", name: rect(document.getElementById("status")), action: visible(card) ? rect(card) : null }];
const rows = [...document.querySelectorAll("#account-list > li")];
for (const row of rows) {
  const action = row.querySelector(".account-actions button");
  shown.push({ account: row.dataset.account, name: rect(row.querySelector("strong")), action: visible(action) ? rect(action) : null });
}
const overlaps = [];
for (let i = 1; i < rows.length; i++) {
  if (rows[i - 1].getBoundingClientRect().bottom > rows[i].getBoundingClientRect().top + 0.5) overlaps.push(rows[i].dataset.account);
}
const main = document.querySelector("main")?.getBoundingClientRect() ?? { bottom: Infinity };
const fitted = Number(document.body.dataset.fitted ?? 0);
return { viewport: [innerWidth, innerHeight], fits: main.bottom <= innerHeight + 0.5, settled: Math.abs(fitted - Math.ceil(main.height + 32)) <= 8, shown, overlaps };
"##;

/// The app with `count` accounts (`DesktopRig::configure_accounts`), its
/// window shown.
async fn window_with_accounts(
    rig: &DesktopRig,
    driver: &Driver,
    count: usize,
) -> fantoccini::Client {
    rig.configure_accounts(count);
    driver.launch(&rig.args("--show")).await
}

/// Closes the window's session and ends the app it launched, so the next
/// launch is an instance of its own.
async fn close_all(rig: &DesktopRig, client: fantoccini::Client, driver: Driver) {
    within("close", client.close()).await;
    drop(driver);
    common::end_processes(rig.keychain.home.path(), "pkce-tray");
}

/// Waits until the window shows `count` accounts and has sized itself to
/// them (the page says so once the window process has), then measures it.
async fn at_a_glance(client: &fantoccini::Client, count: usize) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let measured = within("at a glance", client.execute(AT_A_GLANCE, vec![])).await;
        let all = measured["shown"]
            .as_array()
            .is_some_and(|shown| shown.len() == count);
        if all && measured["settled"] == true {
            return measured;
        }
        assert!(std::time::Instant::now() < deadline, "{measured}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every account's name and action inside the window, no two rows
/// overlapping.
fn all_in_view(measured: &Value) {
    assert_eq!(measured["overlaps"], serde_json::json!([]), "{measured}");
    let (width, height) = (
        measured["viewport"][0].as_f64().unwrap(),
        measured["viewport"][1].as_f64().unwrap(),
    );
    for shown in measured["shown"].as_array().unwrap() {
        for part in ["name", "action"] {
            let rect: Vec<f64> = serde_json::from_value(shown[part].clone())
                .unwrap_or_else(|_| panic!("{} has no {part}: {measured}", shown["account"]));
            assert!(
                rect[0] >= 0.0
                    && rect[1] >= 0.0
                    && rect[2] <= width + 0.5
                    && rect[3] <= height + 0.5,
                "{}'s {part} is outside the window: {measured}",
                shown["account"]
            );
        }
    }
}

/// Every account at a glance (issue 36): with one, three and five
/// accounts, signed in, signed out and one whose session ended, on a
/// 1366×768 screen, every account's name and its one action lie inside
/// the window at the size it opens at, and no two rows overlap; with
/// seven, the list scrolls inside the window below the default account's
/// card. Screenshots of five: light, dark, German, Japanese, and 200 %
/// text (there the page scrolls, and nothing overlaps).
#[tokio::test]
async fn every_account_is_in_view_when_the_window_opens() {
    let rig = DesktopRig::start("http");
    for count in [1, 3, 5] {
        if count == 5 {
            // The one-time offer to start at login, made again: it must
            // not push an account out of view.
            let marker = rig
                .keychain
                .home
                .path()
                .join("config/pkce-tray/offered-start-at-login");
            let _ = std::fs::remove_file(marker);
        }
        let driver = Driver::start(&rig.env);
        let client = window_with_accounts(&rig, &driver, count).await;
        // Mixed states: work (the default) and home signed in with three,
        // and still with five (their sessions restored), the rest not.
        let home = r#"#account-list li[data-account="home"]"#;
        match count {
            1 => status_becomes(&client, "Signed out").await,
            3 => {
                status_becomes(&client, "Signed out").await;
                click(&client, "#sign-in").await;
                status_becomes(&client, "Signed in as Ada Lovelace").await;
                click(&client, &format!("{home} .sign-in")).await;
            }
            _ => {
                status_becomes(&client, "Signed in as Ada Lovelace").await;
                let deadline = std::time::Instant::now() + Duration::from_secs(30);
                while !displayed(&client, "#offer").await {
                    assert!(std::time::Instant::now() < deadline, "no offer");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                // play signs in, and its grant is revoked at the provider:
                // the next renewal ends its session.
                let play = r#"#account-list li[data-account="play"]"#;
                click(&client, &format!("{play} .sign-in")).await;
                text_becomes(
                    &client,
                    &format!("{play} .account-state"),
                    "Signed in as Ada Lovelace",
                )
                .await;
                rig.end_the_session_of("play", &rig.provider);
                text_becomes(
                    &client,
                    &format!("{play} .account-state"),
                    "Signed out: Your session has ended: the provider no longer accepts it. Sign in again.",
                )
                .await;
            }
        }
        if count > 1 {
            // With the app's log if it fails (it did once in CI, the row's
            // sign-in clicked just after the default account's).
            let state = format!("{home} .account-state");
            driver
                .text_becomes(&client, &state, "Signed in as Ada Lovelace")
                .await;
        }
        let measured = at_a_glance(&client, count).await;
        all_in_view(&measured);
        if count == 5 {
            screenshot(&client, "window-five-accounts").await;
            within(
                "200 % text",
                client.execute(
                    r#"document.documentElement.style.fontSize = "200%"; return null;"#,
                    vec![],
                ),
            )
            .await;
            let doubled = within("at 200 %", client.execute(AT_A_GLANCE, vec![])).await;
            assert_eq!(doubled["overlaps"], serde_json::json!([]), "{doubled}");
            screenshot(&client, "window-five-accounts-200-percent-text").await;
            // A row's details say where its session is kept.
            click(&client, &format!("{home} summary")).await;
            text_becomes(
                &client,
                &format!("{home} .kept"),
                "Kept in the system keychain",
            )
            .await;
            within(
                "100 % text",
                client.execute(
                    r#"document.documentElement.style.fontSize = ""; return null;"#,
                    vec![],
                ),
            )
            .await;
            screenshot(&client, "window-five-accounts-details").await;
        }
        close_all(&rig, client, driver).await;
    }
    // The same five in the dark theme and in German.
    for (name, extra) in [
        ("window-five-accounts-dark", ("GTK_THEME", "Adwaita:dark")),
        ("window-five-accounts-de", ("LANG", "de_DE.UTF-8")),
        // The long Japanese lines.
        ("window-five-accounts-ja", ("LANG", "ja_JP.UTF-8")),
    ] {
        let mut env = rig.env.clone();
        env.retain(|(key, _)| key != extra.0);
        env.push((extra.0.into(), extra.1.into()));
        let driver = Driver::start(&env);
        let client = window_with_accounts(&rig, &driver, 5).await;
        let measured = at_a_glance(&client, 5).await;
        all_in_view(&measured);
        screenshot(&client, name).await;
        close_all(&rig, client, driver).await;
    }

    // Seven: the card and four rows in view, the rest a scroll away
    // inside the list, and the last one reached by scrolling it.
    let driver = Driver::start(&rig.env);
    let client = window_with_accounts(&rig, &driver, 7).await;
    let measured = at_a_glance(&client, 7).await;
    let fits = &measured["shown"].as_array().unwrap()[..5];
    all_in_view(
        &serde_json::json!({ "viewport": measured["viewport"], "overlaps": measured["overlaps"], "shown": fits }),
    );
    let list = within("the list", client.execute(SCROLLED, vec![])).await;
    assert_eq!(list["scrolls"], true, "{list}");
    assert_eq!(
        list["lastInList"], true,
        "the last row scrolls into the list's view: {list}"
    );
    assert_eq!(list["cardInView"], true, "the card stays: {list}");
    screenshot(&client, "window-seven-accounts-scrolled").await;
    close_all(&rig, client, driver).await;
}

/// Whether the account list scrolls, and, scrolled to its last row,
/// whether that row's action lies inside the list's box and the default
/// account's card still in the window.
const SCROLLED: &str = r##"
const list = document.getElementById("account-list");
const scrolls = list.scrollHeight > list.clientHeight + 1 && getComputedStyle(list).overflowY === "auto";
const last = list.lastElementChild;
last.scrollIntoView({ block: "nearest" });
const box = list.getBoundingClientRect();
const action = last.querySelector(".account-actions button").getBoundingClientRect();
const card = document.getElementById("status").getBoundingClientRect();
return {
  scrolls,
  lastInList: action.top >= box.top - 0.5 && action.bottom <= box.bottom + 0.5 && action.bottom <= innerHeight + 0.5,
  cardInView: card.top >= 0 && card.bottom <= innerHeight + 0.5,
  box: [box.top, box.bottom], action: [action.top, action.bottom], viewport: innerHeight,
};
"##;
