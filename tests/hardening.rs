//! The second and third hardening rounds (issues 22 and 33), each fault
//! caused with the real binary: environments that point elsewhere, another
//! user squatting a loopback address or serving the instance socket, a
//! hostile provider's text and addresses, commands racing with no
//! instance, a quit during a refresh, a re-sign-in, closed pipes; a
//! provider that mixes up one account's sign-in with another's, a login
//! session that comes and goes under the engine, the systemd unit, a
//! sign-out racing a narrower token, keychain items that would collide.
//! Every test runs in a mount namespace of its own (`tests/isolate`), so
//! `/run/user` and the home the password database names are its own.
#![cfg(unix)]

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fake::{fake, fake_beside, key, Answers};
use common::terminal::{first_line, run, stderr, stdout, token, token_from};
use common::{provider_keychain_app, App, AppOptions, Keychain, Provider, ProviderOptions};
use pkce_tray_engine::provider::{Provider as Client, ProviderError};
use pkce_tray_engine::secret::RefreshToken;
use serde_json::{json, Value};

/// Signs the app in from the terminal, in the test browser.
fn sign_in(app: &App) {
    let output = run(app.cli(&["sign-in"]));
    assert!(output.status.success(), "{}", stderr(&output));
}

fn signed_in(app: &App) -> Value {
    let output = run(app.cli(&["status", "--json"]));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// A forced refresh through whatever `command` reaches: its token differs
/// from `before`, and the provider saw one more refresh.
fn refreshed(provider: &Provider, command: Command, before: &str) -> String {
    let refreshes = provider.refreshes();
    let token = token_from(command);
    assert_ne!(token, before, "a new token");
    assert_eq!(provider.refreshes(), refreshes + 1);
    token
}

#[test]
fn the_instance_is_the_same_whatever_the_environment_says() {
    let (provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    sign_in(&app);
    let mut access = token(&app, &[]);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::set_permissions(elsewhere.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let long_cache = elsewhere.path().join("c".repeat(100));
    // Each forces a refresh: run by an engine of its own, it would rotate
    // the refresh token away from under the instance, and the provider
    // would end the grant at the instance's next refresh (reuse).
    let environments: [&[(&str, Option<&str>)]; 3] = [
        &[("XDG_RUNTIME_DIR", None)],
        &[("XDG_RUNTIME_DIR", Some(elsewhere.path().to_str().unwrap()))],
        &[
            ("XDG_RUNTIME_DIR", None),
            ("XDG_CACHE_HOME", Some(long_cache.to_str().unwrap())),
        ],
    ];
    for environment in environments {
        let mut command = app.cli(&["token", "--min-valid", "100000"]);
        for (name, value) in environment {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        access = refreshed(&provider, command, &access);
    }
    // The instance's own refresh is the next in the chain: no reuse.
    refreshed(
        &provider,
        app.cli(&["token", "--min-valid", "100000"]),
        &access,
    );
    assert_eq!(signed_in(&app)["signed_in"], true);
    assert!(std::fs::read_dir(elsewhere.path())
        .unwrap()
        .next()
        .is_none());

    // Nor does a second --headless start beside it.
    let mut second = app.cli(&["--headless"]);
    second.env_remove("XDG_RUNTIME_DIR");
    let refused = run(second);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("another pkce-tray"),
        "{}",
        stderr(&refused)
    );
}

/// A Python listener as `nobody`, inside a network namespace of the
/// test's own (where nobody may take a port under 1024), then, once it
/// listens, `app` in the same namespace, then the listener ended: `sh -c`
/// text.
fn squat_then(address: &str, port: u16, app: &str) -> String {
    format!(
        "setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 -c 'import socket,time; s=socket.socket(socket.AF_INET6); s.bind((\"{address}\", {port})); s.listen(); time.sleep(60)' >/dev/null & \
         squatter=$!; \
         for i in $(seq 600); do ss -Htln | grep -qF '[{address}]:{port} ' && break; sleep 0.1; done; \
         {app}; status=$?; kill $squatter; exit $status"
    )
}

#[test]
#[ignore = "needs root: runs a process as another user (nobody); ./scripts/test runs it as root, as CI does"]
fn another_users_hold_on_ipv6_loopback_is_never_shared() {
    let program = common::program();
    let flags = "--headless --issuer http://127.0.0.1:9 --client-id pkce-tray-test";
    // A port the person chose: refused, naming who holds it.
    let chosen = Command::new("sh")
        .arg("-c")
        .arg(squat_then(
            "::1",
            4100,
            &format!("timeout 20 {program} {flags} --port 4100"),
        ))
        .env("PKCE_TRAY_LOG", "pkce_tray=debug")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&chosen.stderr);
    assert_eq!(chosen.status.code(), Some(1), "{said}");
    assert!(said.contains("[::1]:4100"), "{said}");
    assert!(said.contains("held by uid 65534 (nobody)"), "{said}");
    assert!(!String::from_utf8_lossy(&chosen.stdout).contains("listening on"));

    // The default port: both addresses move to the fallback together.
    let fallback = Command::new("sh")
        .arg("-c")
        .arg(squat_then(
            "::1",
            1000,
            &format!(
                "out=$(mktemp); {program} {flags} >$out & app=$!; \
                 for i in $(seq 600); do grep -q 'listening on' $out && break; sleep 0.1; done; \
                 cat $out; ss -Htln; kill $app; wait $app"
            ),
        ))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&fallback.stdout);
    assert!(out.contains("listening on http://127.0.0.1:39100"), "{out}");
    assert!(
        out.contains("127.0.0.1:39100") && out.contains("[::1]:39100"),
        "{out}"
    );
    assert!(!out.contains("127.0.0.1:1000 "), "{out}");
}

#[test]
#[ignore = "needs root: runs a process as another user (nobody); ./scripts/test runs it as root, as CI does"]
fn a_socket_served_by_another_user_is_told_nothing() {
    let nobody = common::as_nobody();
    // nobody serves a socket and logs what it is told; a root step puts
    // it where pkce-tray's instance socket goes.
    // On the test's own /run/user, so the socket can be moved from there.
    let staging = tempfile::tempdir_in("/run/user").unwrap();
    std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let told = staging.path().join("told");
    let mut server = Command::new(nobody[0]);
    server.args(&nobody[1..]).args([
        "python3",
        "-c",
        "import socket, sys\n\
         s = socket.socket(socket.AF_UNIX)\n\
         s.bind(sys.argv[1] + '/sock'); s.listen()\n\
         print('ready', flush=True)\n\
         c, _ = s.accept(); c.settimeout(5)\n\
         data = c.recv(65536)\n\
         open(sys.argv[1] + '/told', 'wb').write(data)\n\
         c.sendall(b'{\"answer\":\"token\",\"access_token\":\"ATTACKER-TOKEN\",\"expires_at\":9999999999}\\n')",
    ]);
    server.arg(staging.path());
    let (mut server, _ready) = first_line(server);
    let dir = pkce_tray::instance::directory().unwrap();
    std::fs::rename(staging.path().join("sock"), dir.join("instance.sock")).unwrap();

    let home = tempfile::tempdir().unwrap();
    let env = [("HOME".to_owned(), home.path().display().to_string())];
    let asked = run(common::cli(&env, &["token"]));
    assert!(!asked.status.success());
    assert!(!stdout(&asked).contains("ATTACKER-TOKEN"));
    assert!(
        stderr(&asked).contains("served by another user (uid 65534)"),
        "{}",
        stderr(&asked)
    );
    // The server ends once the command has hung up on it.
    common::ended(&mut server.0, Duration::from_secs(30));
    assert!(
        std::fs::read(&told).unwrap_or_default().is_empty(),
        "the other user was told something"
    );
}

#[test]
fn a_link_planted_where_an_environment_points_is_never_followed() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    sign_in(&app);
    let access = token(&app, &[]);
    // A shared runtime directory, as XDG_RUNTIME_DIR might name, with a
    // link planted where pkce-tray's folder would be.
    let shared = tempfile::tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let target = tempfile::tempdir().unwrap();
    std::fs::set_permissions(target.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(target.path(), shared.path().join("pkce-tray")).unwrap();
    let mut command = app.cli(&["token"]);
    command.env("XDG_RUNTIME_DIR", shared.path());
    assert_eq!(token_from(command), access);
    let mode = std::fs::metadata(target.path())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755, "the link's target was not touched");
    assert!(std::fs::read_dir(target.path()).unwrap().next().is_none());
}

/// No byte that acts on a terminal.
fn assert_inert(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
}

#[test]
fn a_hostile_name_reaches_the_terminal_inert() {
    let provider = Provider::start();
    let keychain = Keychain::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.keychain = Some(&keychain);
    // The real provider names the user after what was typed at its login.
    let hostile = "ada\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}\u{1b}[2J\u{202e}";
    options.browser_env = vec![("TEST_BROWSER_USER", hostile.into())];
    let app = App::start(options);
    let signed = run(app.cli(&["sign-in"]));
    assert!(signed.status.success(), "{}", stderr(&signed));
    assert_inert(&stderr(&signed));
    let status = run(app.cli(&["status"]));
    assert!(status.status.success());
    let shown = stdout(&status);
    assert_inert(&shown);
    assert!(
        shown.contains("Ada\\u{1b}]8;;https://evil.example\\u{7}click"),
        "{shown}"
    );
    let json = stdout(&run(app.cli(&["status", "--json"])));
    assert_inert(&json);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["user"]["sub"], hostile, "the data itself is kept");
}

/// A `$BROWSER` that only notes that it was started.
fn noting_browser(dir: &std::path::Path) -> (String, std::path::PathBuf) {
    let marker = dir.join("browser-started");
    let script = dir.join("browser");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$@\" >> {}\n", marker.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script.display().to_string(), marker)
}

#[test]
fn a_hostile_providers_addresses_are_never_opened() {
    let key = key();
    let dir = tempfile::tempdir().unwrap();
    let (browser, marker) = noting_browser(dir.path());
    let device = json!({
        "device_code": "dc",
        "user_code": "ABCD-EFGH",
        "verification_uri": "https://id.example/device",
        "verification_uri_complete": "--new-window=file:///etc/passwd",
        "expires_in": 600,
    });
    let mut escaping = device.clone();
    escaping["verification_uri_complete"] = json!("https://id.example/device");
    escaping["user_code"] = json!("AB\u{1b}]8;;https://evil.example\u{7}CD");
    let cases = [
        (
            Answers {
                authorization_endpoint: Some("file:///etc/passwd".into()),
                ..Answers::with(&key)
            },
            "sign-in",
            "neither an https address",
        ),
        (
            Answers {
                device: Some(device),
                ..Answers::with(&key)
            },
            "--device",
            "is not an address",
        ),
        (
            Answers {
                device: Some(escaping),
                ..Answers::with(&key)
            },
            "--device",
            "user_code is not a short printable code",
        ),
    ];
    for (answers, how, why) in cases {
        let issuer = fake_beside(answers);
        let mut options = AppOptions::new(&issuer);
        options.browser_env = vec![("BROWSER", browser.clone())];
        let app = App::start(options);
        let args: &[&str] = if how == "sign-in" {
            &["sign-in"]
        } else {
            &["sign-in", "--device"]
        };
        let output = run(app.cli(args));
        assert!(!output.status.success(), "{how}");
        let said = stderr(&output);
        assert_inert(&said);
        assert_inert(&stdout(&output));
        assert!(said.contains(why), "{how}: {said}");
        assert!(!app.log_text().contains("opened the sign-in page"));
    }
    assert!(!marker.exists(), "a browser was started");
}

#[tokio::test]
async fn tokens_with_line_breaks_are_refused() {
    let key = key();
    for field in ["access_token", "refresh_token", "id_token"] {
        let mut answer = json!({
            "access_token": "at",
            "refresh_token": "rt",
            "token_type": "Bearer",
            "expires_in": 300,
        });
        answer[field] = json!("good\nhost=evil.example\nusername=x");
        let issuer = fake(Answers {
            token: (axum::http::StatusCode::OK, answer.to_string().into_bytes()),
            ..Answers::with(&key)
        })
        .await;
        let client = Client::new(issuer.parse().unwrap());
        let refused = client
            .refresh(common::CLIENT_ID, &RefreshToken::new("rt".into()))
            .await;
        assert!(
            matches!(&refused, Err(ProviderError::BadResponse(why)) if why.contains("RFC 6749 Appendix A")),
            "{field}: {refused:?}"
        );
    }
}

#[test]
fn ten_commands_racing_with_no_instance_all_succeed() {
    let (provider, _keychain, mut app) = provider_keychain_app(ProviderOptions {
        token_delay_ms: Some(500),
        ..ProviderOptions::default()
    });
    sign_in(&app);
    app.stop();
    let env = app.env.clone();
    let children: Vec<_> = (0..10)
        .map(|i| {
            let args: &[&str] = if i % 2 == 0 {
                &["token", "--min-valid", "100000"]
            } else {
                &["status"]
            };
            common::cli(&env, args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = common::finish(child, Duration::from_secs(120));
        assert!(output.status.success(), "{}", stderr(&output));
    }
    // One rotation chain, never a replay: the grant is alive.
    let last = common::cli(&env, &["token", "--min-valid", "100000"]);
    let before = provider.refreshes();
    token_from(last);
    assert_eq!(provider.refreshes(), before + 1);
}

#[test]
fn quitting_during_a_refresh_keeps_the_rotated_token() {
    let (provider, keychain, mut app) = provider_keychain_app(ProviderOptions {
        token_delay_ms: Some(3000),
        ..ProviderOptions::default()
    });
    sign_in(&app);
    let refreshes = provider.refreshes();
    let asking = app
        .cli(&["token", "--min-valid", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // SIGTERM comes once the provider has made the new tokens, while their
    // answer is held back (3 s).
    let asked = Instant::now();
    while provider.refreshes() == refreshes {
        assert!(
            asked.elapsed() < Duration::from_secs(60),
            "the refresh did not reach the provider"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Command::new("kill")
        .args(["-TERM", &app.pid().to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    while app.is_running() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the app did not end"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(provider.refreshes() > refreshes, "the refresh was answered");
    assert!(
        app.log_text().contains("refreshed the access token"),
        "kept before the end"
    );
    // The command that asked finds its answer anyway.
    let asked = common::finish(asking, Duration::from_secs(60));
    assert!(
        asked.status.success(),
        "{}",
        String::from_utf8_lossy(&asked.stderr)
    );

    // The next start goes on from the rotated token: no replay, no reuse.
    let mut options = AppOptions::new(&provider.issuer);
    options.keychain = Some(&keychain);
    let app = App::start(options);
    let before = provider.refreshes();
    token(&app, &["--min-valid", "100000"]);
    assert_eq!(provider.refreshes(), before + 1);
    assert_eq!(signed_in(&app)["signed_in"], true);
}

#[test]
fn status_stays_true_during_a_new_sign_in() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    sign_in(&app);
    let mut again = app.cli(&["sign-in", "--no-browser"]);
    again.stderr(Stdio::null());
    let (_again, address) = first_line(again);
    assert!(address.starts_with("http"), "{address}");
    let status = run(app.cli(&["status"]));
    assert!(status.status.success(), "exit 0 while a session serves");
    assert!(
        stdout(&status).contains("A new sign-in is under way"),
        "{}",
        stdout(&status)
    );
    let report = signed_in(&app);
    assert_eq!(report["signed_in"], true, "{report}");
    assert_eq!(report["state"], "signing_in", "{report}");
    token(&app, &[]);
}

/// A pipe whose reading end is closed already.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn closed_pipes_end_nothing_but_the_output() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    sign_in(&app);
    let cases: [&[&str]; 4] = [
        &["token"],
        &["status"],
        &["status", "--json"],
        &["completions", "bash"],
    ];
    for args in cases {
        let mut command = app.cli(args);
        command.stderr(Stdio::piped()).stdout(closed_pipe());
        let output = common::finish(command.spawn().unwrap(), Duration::from_secs(60));
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{args:?}");
    }
    // A configuration error told to a closed stderr.
    let mut broken = common::cli(&[], &["--headless", "--port", "not-a-port"]);
    broken.stderr(closed_pipe()).stdout(Stdio::null());
    let status = broken.status().unwrap();
    assert_ne!(status.code(), Some(101), "no panic");
    let mut config = common::cli(&[("HOME".into(), "/nonexistent".into())], &["--headless"]);
    config
        .env_remove("PKCE_TRAY_ISSUER")
        .stderr(closed_pipe())
        .stdout(Stdio::null());
    assert_eq!(config.status().unwrap().code(), Some(2));
}

/// A stand-in for a hostile provider, not a real one: RFC 9700 §4.4's
/// mix-up attacker, configured for the account `attacker`. Its authorize
/// endpoint sends the browser on to `honest`'s with the honest provider's
/// client id, the attempt's own state, nonce and challenge, and the
/// redirect URI the app registered there for the account `victim`; its
/// token endpoint keeps every code posted to it. Answers its issuer and
/// those codes.
fn mix_up_attacker(
    honest: &str,
    attacker: &'static str,
    victim: &'static str,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::extract::{Form, Query};
    use axum::routing::{get, post};
    use std::collections::HashMap;
    let codes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = codes.clone();
    let honest_authorize = format!("{honest}/authorize");
    let issuer = common::fake::on_a_thread(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let discovery = json!({
            "issuer": origin,
            "authorization_endpoint": format!("{origin}/authorize"),
            "token_endpoint": format!("{origin}/token"),
            "jwks_uri": format!("{origin}/jwks"),
        });
        let bounce = move |Query(asked): Query<HashMap<String, String>>| async move {
            let redirect_uri = asked["redirect_uri"].replace(
                &format!("/pkce/response/code/{attacker}"),
                &format!("/pkce/response/code/{victim}"),
            );
            let mut url = url::Url::parse(&honest_authorize).unwrap();
            url.query_pairs_mut()
                .append_pair("response_type", "code")
                .append_pair("client_id", common::CLIENT_ID)
                .append_pair("redirect_uri", &redirect_uri)
                .append_pair("scope", "openid profile email offline_access")
                .append_pair("state", &asked["state"])
                .append_pair("nonce", &asked["nonce"])
                .append_pair("code_challenge", &asked["code_challenge"])
                .append_pair("code_challenge_method", "S256")
                .append_pair("response_mode", "form_post");
            axum::response::Redirect::to(url.as_str())
        };
        let redeem = move |Form(form): Form<HashMap<String, String>>| async move {
            kept.lock()
                .unwrap()
                .push(form.get("code").cloned().unwrap_or_default());
            (
                axum::http::StatusCode::BAD_REQUEST,
                axum::Json(json!({"error": "invalid_grant"})),
            )
        };
        let routes = axum::Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(move || async move { axum::Json(discovery) }),
            )
            .route("/jwks", get(|| async { axum::Json(json!({"keys": []})) }))
            .route("/authorize", get(bounce))
            .route("/token", post(redeem));
        tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });
        origin
    });
    (issuer, codes)
}

/// RFC 9700 §4.4: the provider of one account (play, hostile) bounces the
/// person's sign-in to another account's honest provider (work), which
/// sends no `iss` and matches redirect URIs exactly. Its answer comes back
/// to work's own callback, is refused for play's attempt (which still
/// waits), and no code reaches play's token endpoint; work's own sign-in
/// then works.
#[test]
fn a_provider_that_bounces_a_sign_in_to_another_accounts_provider_gets_no_code() {
    let honest = Provider::start_with(ProviderOptions {
        no_iss: true,
        ..ProviderOptions::default()
    });
    let (hostile, codes) = mix_up_attacker(&honest.issuer, "play", "work");
    let keychain = Keychain::start();
    let mut options = AppOptions::new("");
    options.keychain = Some(&keychain);
    options.config = Some(format!(
        "default_account = \"work\"\n\n[accounts.work]\nissuer = \"{}\"\nclient_id = \"{}\"\n\n[accounts.play]\nissuer = \"{hostile}\"\nclient_id = \"play-client\"\n",
        honest.issuer,
        common::CLIENT_ID
    ));
    let app = App::start(options);
    let uris = |name: &str| {
        let accounts = run(app.cli(&["accounts", "--json"]));
        let accounts: Value = serde_json::from_str(&stdout(&accounts)).unwrap();
        accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|account| account["name"] == name)
            .unwrap()["redirect_uris"]
            .clone()
    };
    assert_eq!(
        uris("work"),
        json!([
            format!("http://127.0.0.1:{}/pkce/response/code/work", app.port),
            "app.pkcetray.desktop:/pkce/response/code/work"
        ])
    );

    let mut sign_in = app.cli(&["sign-in", "--account", "play"]);
    let mut sign_in = sign_in.stdout(Stdio::null()).spawn().unwrap();
    let refused = "came back to another account's callback";
    let deadline = Instant::now() + Duration::from_secs(60);
    while !app.log_text().contains(refused) && codes.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "{}", app.log_text());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        codes.lock().unwrap().is_empty(),
        "the honest provider's code reached the hostile token endpoint"
    );
    assert!(app.log_text().contains(refused), "{}", app.log_text());
    // Play's attempt still waits for its own provider's answer.
    let play = run(app.cli(&["status", "--account", "play", "--json"]));
    let play: Value = serde_json::from_str(&stdout(&play)).unwrap();
    assert_eq!(play["state"], "signing_in", "{play}");
    sign_in.kill().unwrap();
    sign_in.wait().unwrap();

    let work = run(app.cli(&["sign-in", "--account", "work"]));
    assert!(work.status.success(), "{}", stderr(&work));
    assert!(codes.lock().unwrap().is_empty());
}

/// Keychain items are named `[<name>:]<client id>@<issuer>`: the account
/// `default` with client id `home:c1` and the account `home` with client id
/// `c1` at one issuer would share one item (a restart would hand one's
/// session to the other, a sign-out would erase both). Refused at start,
/// naming both; nothing is written to the keychain.
#[test]
fn two_accounts_that_would_share_a_keychain_item_are_refused() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/pkce-tray");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "issuer = \"https://id.example\"\nclient_id = \"home:c1\"\n\n[accounts.home]\nissuer = \"https://id.example\"\nclient_id = \"c1\"\n",
    )
    .unwrap();
    let mut command = Command::new(common::program());
    command
        .args(["--headless", "--port", "0"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env_remove("DISPLAY")
        .stdin(Stdio::null());
    let output = run(command);
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("\"default\" and \"home\" would keep their sessions in one keychain item"),
        "{said}"
    );
}

/// A `token --scope` request at the provider when a sign-out begins (its
/// answer held back 3 s) is not kept: after the same person signs in
/// again, `token --scope` gets a token of the new grant, not one of the
/// grant the sign-out revoked.
#[tokio::test]
async fn a_narrowed_token_asked_for_during_a_sign_out_is_not_kept() {
    let (provider, _keychain, app) = provider_keychain_app(ProviderOptions {
        token_delay_ms: Some(3000),
        ..ProviderOptions::default()
    });
    sign_in(&app);
    let refreshes = provider.refreshes();
    let narrowing = app
        .cli(&["token", "--scope", "openid email"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    common::eventually(
        "the narrowing at the provider",
        Duration::from_secs(30),
        || provider.refreshes() > refreshes,
    )
    .await;
    let signed_out = run(app.cli(&["sign-out"]));
    assert!(signed_out.status.success(), "{}", stderr(&signed_out));
    let narrowed = narrowing.wait_with_output().unwrap();
    let during = String::from_utf8_lossy(&narrowed.stdout).trim().to_owned();

    sign_in(&app);
    let after = token(&app, &["--scope", "openid email"]);
    assert_ne!(after, during, "the token of the revoked grant came back");
    assert!(
        provider.userinfo(&after).await.is_some(),
        "the token after signing in again is not live"
    );
}

/// The systemd user unit, its start and stop emulated (no user systemd
/// runs on these machines): with the app running, `systemctl --user start`
/// runs the unit's `ExecStart=` beside it, which must end in a status the
/// unit neither restarts nor counts as failed; and the unit must not name
/// a `RuntimeDirectory=`, which systemd removes at every stop, the running
/// instance's socket and lock with it. The instance answers throughout.
#[test]
fn the_systemd_unit_leaves_the_running_instance_alone() {
    let unit = std::fs::read_to_string(common::repo().join("packaging/pkce-tray.service")).unwrap();
    let values = |key: &str| -> Vec<String> {
        unit.lines()
            .filter_map(|line| line.trim().strip_prefix(key)?.strip_prefix('='))
            .flat_map(|value| value.split_whitespace().map(str::to_owned))
            .collect()
    };
    assert_eq!(values("RuntimeDirectory"), Vec::<String>::new());
    let exec_start = values("ExecStart");
    assert_eq!(exec_start[0], "/usr/bin/pkce-tray", "{exec_start:?}");

    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    sign_in(&app);
    let started = run(app.cli(
        &exec_start[1..]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    ));
    let status = started.status.code().unwrap().to_string();
    assert!(
        stderr(&started).contains("another pkce-tray"),
        "{}",
        stderr(&started)
    );
    for key in ["RestartPreventExitStatus", "SuccessExitStatus"] {
        assert!(values(key).contains(&status), "{key} lacks {status}");
    }
    assert_eq!(signed_in(&app)["signed_in"], true);
}

/// The login session's runtime directory comes and goes under a running
/// engine (one a cron job started, `su -`, a process outliving its
/// session): `/run/user/<uid>` made after the engine started, removed,
/// made again. Every command still reaches the one engine: each forces a
/// refresh, and the provider, which ends a grant whose rotated refresh
/// token is used again, keeps it to the end.
#[test]
fn the_runtime_directory_coming_and_going_never_makes_a_second_engine() {
    use std::os::unix::fs::DirBuilderExt;
    let runtime =
        std::path::PathBuf::from(format!("/run/user/{}", rustix::process::geteuid().as_raw()));
    let login = || {
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&runtime)
            .unwrap()
    };
    // Not logged in when the engine starts.
    std::fs::remove_dir_all(&runtime).unwrap();
    let (provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    sign_in(&app);
    let mut access = token(&app, &[]);
    for step in ["login", "logout", "login"] {
        match step {
            "login" => login(),
            _ => std::fs::remove_dir_all(&runtime).unwrap(),
        }
        access = refreshed(
            &provider,
            app.cli(&["token", "--min-valid", "100000"]),
            &access,
        );
    }
    // Each was the engine's own: its next refresh is the next in the chain.
    refreshed(
        &provider,
        app.cli(&["token", "--min-valid", "100000"]),
        &access,
    );
    assert_eq!(signed_in(&app)["signed_in"], true);
}
