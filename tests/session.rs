//! The session against the real keychain (gnome-keyring on a private D-Bus
//! session) and the real provider: stored, restored, refreshed, revoked.

use crate::common;

use std::time::Duration;

use common::{assert_nowhere, Api, App, AppOptions, Keychain, Provider, ProviderOptions};
use serde_json::json;

/// Asks the provider directly whether it still honours a refresh token.
async fn provider_accepts(provider: &Provider, refresh_token: &str) -> bool {
    (200..300).contains(&provider.refresh(refresh_token).await.0)
}

#[tokio::test]
async fn a_sign_in_is_kept_in_the_keychain_and_restored_without_a_browser() {
    let (provider, keychain, mut app) = common::provider_keychain_app(ProviderOptions::default());
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    let oauth = &token["auth0"]["oAuth"]["token"];
    let access_token = oauth["access_token"].as_str().unwrap().to_owned();
    let refresh_token = oauth["refresh_token"].as_str().unwrap().to_owned();

    let stored = keychain
        .lookup(&provider.account())
        .expect("the keychain holds the session");
    assert!(stored.contains(&refresh_token));
    assert!(stored.contains("Ada Lovelace"));
    let session = api.get("/session").await;
    assert!(!session.text.contains(&access_token) && !session.text.contains(&refresh_token));
    let session = session.json();
    assert_eq!(session["signed_in"], true);
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert!(session["expires_at"].is_i64());
    assert!(session.get("keychain_warning").is_none());

    app.stop();
    let log = app.log_text();
    // The keyring file under HOME is encrypted: no token shows in any file.
    assert_nowhere(&access_token, &app.home, &log);
    assert_nowhere(&refresh_token, &app.home, &log);

    // A restart shows the user at once; a browser would fail the test.
    let mut options = AppOptions::new(&provider.issuer);
    options.keychain = Some(&keychain);
    options.browser_env = vec![("TEST_BROWSER_ACTION", "deny".into())];
    let app = App::start(options);
    let api = Api::new(&app);
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true, "{session}");
    assert_eq!(session["user"]["name"], "Ada Lovelace");
}

#[tokio::test]
async fn the_person_is_named_when_only_userinfo_has_their_name() {
    let (_provider, _keychain, app) = common::provider_keychain_app(ProviderOptions {
        claims_in_userinfo: true,
        ..ProviderOptions::default()
    });
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    // The provider keeps the profile out of the ID token (OpenID Connect
    // Core §5.4), as oidc-provider does by default.
    let claims = common::id_token_claims(&token);
    assert_eq!(claims["sub"], "ada");
    assert!(
        claims.get("name").is_none() && claims.get("email").is_none(),
        "{claims}"
    );

    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["sub"], "ada");
    assert_eq!(session["user"]["name"], "Ada Lovelace", "{session}");
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert!(session["user"]["picture"].is_string());

    // A refresh whose ID token again lacks the profile keeps the name.
    let refreshed = api
        .post_json(
            "/pkce/token",
            &common::refresh_request(&common::refresh_token_of(&token)),
        )
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["name"], "Ada Lovelace", "{session}");
    assert!(app.log_text().contains("refreshed the access token"));
}

#[tokio::test]
async fn a_keychain_item_older_than_a_session_kept_in_memory_is_not_brought_back() {
    let provider = Provider::start();
    let keychain = Keychain::start();
    let start = |keychain_reachable: bool, user: &str| {
        let mut options = AppOptions::new(&provider.issuer);
        options.keychain = Some(&keychain);
        options.browser_env = vec![("TEST_BROWSER_USER", user.into())];
        if !keychain_reachable {
            options.browser_env.push((
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/bus".into(),
            ));
        }
        App::start(options)
    };
    // Ada signs in with the keychain working.
    let mut app = start(true, "ada");
    Api::new(&app).sign_in().await;
    app.stop();
    assert!(keychain.lookup(&provider.account()).is_some());

    // The keychain is gone for a run: Grace signs in, kept in memory only.
    let mut app = start(false, "grace");
    let api = Api::new(&app);
    api.sign_in().await;
    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["sub"], "grace", "{session}");
    assert!(session["keychain_warning"].is_string());
    app.stop();

    // The keychain is back: Ada's older session does not come back in
    // Grace's place, and the keychain no longer holds it.
    let app = start(true, "ada");
    let session = Api::new(&app).get("/session").await.json();
    assert_eq!(session["signed_in"], false, "{session}");
    assert!(keychain.lookup(&provider.account()).is_none());
    assert!(app
        .log_text()
        .contains("erased a keychain item older than the session kept in memory"));
}

#[tokio::test]
async fn sign_out_revokes_at_the_provider_and_empties_the_keychain() {
    let (provider, keychain, app) = common::provider_keychain_app(ProviderOptions::default());
    let api = Api::new(&app);
    api.sign_in().await;
    let stored: serde_json::Value =
        serde_json::from_str(&keychain.lookup(&provider.account()).unwrap()).unwrap();
    let refresh_token = stored["refresh_token"].as_str().unwrap().to_owned();

    let signed_out = api
        .send(api.client.post(format!("{}/session/sign-out", app.url)))
        .await;
    assert_eq!(signed_out.status, 200, "{}", signed_out.text);
    let signed_out = signed_out.json();
    assert_eq!(signed_out["signed_in"], false);
    assert_eq!(signed_out["revoked"], true);
    assert!(keychain.lookup(&provider.account()).is_none());
    assert!(
        !provider_accepts(&provider, &refresh_token).await,
        "the provider refuses the revoked token"
    );
}

#[tokio::test]
async fn offline_sign_out_erases_locally_and_says_revocation_failed() {
    let (provider, keychain, app) = common::provider_keychain_app(ProviderOptions::default());
    let api = Api::new(&app);
    api.sign_in().await;
    let account = provider.account();
    let issuer = provider.issuer.clone();
    drop(provider);
    let signed_out = api
        .send(api.client.post(format!("{}/session/sign-out", app.url)))
        .await
        .json();
    assert_eq!(signed_out["signed_in"], false);
    assert_eq!(signed_out["revoked"], false);
    let message = signed_out["message"].as_str().unwrap();
    assert!(
        message.contains("may still be active")
            && message.contains(&format!("sign out at {}/oidc/logout", issuer)),
        "{message}"
    );
    assert!(keychain.lookup(&account).is_none(), "erased all the same");
}

#[tokio::test]
async fn without_a_keychain_the_session_lives_in_memory_with_a_warning() {
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    let refresh_token = common::refresh_token_of(&token);
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true);
    assert!(
        session["keychain_warning"]
            .as_str()
            .unwrap()
            .contains("memory only"),
        "{session}"
    );
    assert_nowhere(&refresh_token, &app.home, &app.log_text());
}

#[tokio::test]
async fn a_locked_keychain_is_never_replaced_by_plain_text() {
    let provider = Provider::start();
    let keychain = Keychain::start_locked();
    let mut options = AppOptions::new(&provider.issuer);
    options.keychain = Some(&keychain);
    let app = App::start(options);
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    let refresh_token = common::refresh_token_of(&token);
    let session = api
        .session_until(Duration::from_secs(60), |s| s["signed_in"] == json!(true))
        .await;
    assert!(session["keychain_warning"].is_string(), "{session}");
    assert!(keychain.lookup(&provider.account()).is_none());
    assert_nowhere(&refresh_token, keychain.home.path(), &app.log_text());
}

#[tokio::test]
async fn a_refused_refresh_signs_out_with_a_plain_message() {
    let (provider, keychain, app) = common::provider_keychain_app(ProviderOptions::default());
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    let refresh_token = common::refresh_token_of(&token);
    provider.revoke(&refresh_token);
    // A token wanted for longer than it lasts: the refresh is now, not at
    // 80 % of its life (`engine.rs` has the background refresher's).
    let asked = common::output(
        app.cli(&["token", "--min-valid", "100000"]),
        Duration::from_secs(60),
    );
    assert!(!asked.status.success());
    let ended = api.get("/session").await.json();
    assert_eq!(ended["signed_in"], json!(false), "{ended}");
    assert!(
        ended["message"].as_str().unwrap().contains("Sign in again"),
        "{ended}"
    );
    assert!(keychain.lookup(&provider.account()).is_none());
}

#[tokio::test]
async fn an_unreachable_provider_keeps_the_session_and_retries() {
    let (provider, keychain, app) = common::provider_keychain_app(ProviderOptions {
        access_ttl: Some(4),
        ..ProviderOptions::default()
    });
    let api = Api::new(&app);
    api.sign_in().await;
    let account = provider.account();
    drop(provider);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !app.log_text().contains("refresh failed, retrying") {
        assert!(
            std::time::Instant::now() < deadline,
            "no retry was logged: {}",
            app.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true, "{session}");
    assert!(keychain.lookup(&account).is_some(), "the session is kept");
}

#[tokio::test]
async fn many_clients_refreshing_at_once_cause_one_refresh() {
    let (_provider, _keychain, app) = common::provider_keychain_app(ProviderOptions::default());
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    let request = common::refresh_request(&common::refresh_token_of(&token));
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, url, body) = (
            api.client.clone(),
            format!("{}/pkce/token", app.url),
            request.clone(),
        );
        calls.spawn(async move {
            let reply = client.post(url).json(&body).send().await.unwrap();
            assert_eq!(reply.status(), 200);
            reply.json::<serde_json::Value>().await.unwrap()
        });
    }
    let mut tokens: Vec<String> = calls
        .join_all()
        .await
        .iter()
        .map(common::refresh_token_of)
        .collect();
    tokens.dedup();
    assert_eq!(tokens.len(), 1, "one refresh, its result for every caller");
    assert_eq!(
        app.log_text().matches("refreshed the access token").count(),
        1
    );
}

/// A token set too large for one keychain item (Windows allows 2,560
/// bytes) is kept in parts in the real Secret Service, read back whole,
/// and erased with every part.
#[test]
fn a_token_set_too_large_for_one_item_is_kept_in_parts() {
    use pkce_tray_engine::events::User;
    use pkce_tray_engine::secret::{AccessToken, RefreshToken};
    use pkce_tray_engine::vault::{KeyringVault, StoredSession, Vault};

    let keychain = Keychain::start();
    // This test runs in a process of its own (nextest): the variables
    // reach the keychain library of this process only.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &keychain.address);
    let account = "big@http://127.0.0.1:9/";
    let vault = KeyringVault::new(account.into());
    let session = StoredSession {
        access_token: AccessToken::new(format!("eyJ{}", "a".repeat(3000))),
        refresh_token: Some(RefreshToken::new(format!("0.A{}", "r".repeat(2000)))),
        issued_at: 10,
        expires_at: 3610,
        user: User {
            sub: "ada".into(),
            name: Some("Ada Lovelace".into()),
            email: None,
            picture: None,
        },
    };
    vault.store(&session).unwrap();
    assert_eq!(
        keychain.lookup(account).as_deref(),
        Some("pkce-tray-parts:1:3")
    );
    assert!(keychain.lookup(&format!("{account}#1.3")).is_some());
    let back = vault.load().unwrap().expect("kept");
    assert_eq!(back.access_token, session.access_token);
    assert_eq!(back.refresh_token, session.refresh_token);

    // A store cut short (its new parts written, the account's item not
    // yet): the set that was kept is still read whole.
    keyring::Entry::new("pkce-tray", &format!("{account}#2.1"))
        .unwrap()
        .set_secret(b"half of a newer set")
        .unwrap();
    assert_eq!(
        vault.load().unwrap().unwrap().access_token,
        session.access_token
    );

    // The next store writes a new generation, then lets the old one go.
    vault.store(&session).unwrap();
    assert_eq!(
        keychain.lookup(account).as_deref(),
        Some("pkce-tray-parts:2:3")
    );
    assert!(keychain.lookup(&format!("{account}#1.1")).is_none());
    assert_eq!(
        vault.load().unwrap().unwrap().access_token,
        session.access_token
    );

    vault.erase().unwrap();
    assert!(vault.load().unwrap().is_none());
    for item in [
        account.to_owned(),
        format!("{account}#2.1"),
        format!("{account}#2.3"),
    ] {
        assert!(keychain.lookup(&item).is_none(), "{item} is left");
    }
}
