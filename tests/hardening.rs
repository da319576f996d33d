//! The second hardening round (issue 22), each fault caused with the real
//! binary: environments that point elsewhere, another user squatting a
//! loopback address or serving the instance socket, a hostile provider's
//! text and addresses, commands racing with no instance, a quit during a
//! refresh, a re-sign-in, closed pipes. Every test runs in a mount
//! namespace of its own (`tests/isolate`), so `/run/user/<uid>` is its own.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::fake::{fake, fake_beside, key, Answers};
use common::terminal::{first_line, run, stderr, stdout, token, token_from};
use common::{provider_keychain_app, App, AppOptions, Keychain, Provider, ProviderOptions};
use pkce_tray::engine::provider::{Provider as Client, ProviderError};
use pkce_tray::engine::secret::RefreshToken;
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
/// test's own (where nobody may take a port under 1024), then `app` in the
/// same namespace, then the listener ended: `sh -c` text.
fn squat_then(address: &str, port: u16, app: &str) -> String {
    format!(
        "ip link set lo up && echo 0 > /proc/sys/net/ipv4/ip_unprivileged_port_start && \
         setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 -c 'import socket,time; s=socket.socket(socket.AF_INET6); s.bind((\"{address}\", {port})); s.listen(); time.sleep(60)' >/dev/null & \
         squatter=$!; sleep 1; {app}; status=$?; kill $squatter; exit $status"
    )
}

#[test]
fn another_users_hold_on_ipv6_loopback_is_never_shared() {
    if common::as_nobody().is_none() {
        eprintln!("skipped: this user cannot run a process as nobody");
        return;
    }
    let program = env!("CARGO_BIN_EXE_pkce-tray");
    let flags = "--headless --issuer http://127.0.0.1:9 --client-id pkce-tray-test";
    // A port the person chose: refused, naming who holds it.
    let chosen = Command::new("unshare")
        .args(["--net", "sh", "-c"])
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
    let fallback = Command::new("unshare")
        .args(["--net", "sh", "-c"])
        .arg(squat_then(
            "::1",
            1000,
            &format!("{program} {flags} & sleep 4; ss -Htln; kill $!; wait $!"),
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
fn a_socket_served_by_another_user_is_told_nothing() {
    let Some(nobody) = common::as_nobody() else {
        eprintln!("skipped: this user cannot run a process as nobody");
        return;
    };
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
    let (_server, _ready) = first_line(server);
    let dir = common::runtime_dir().join("pkce-tray");
    std::fs::create_dir_all(&dir).unwrap();
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
    std::thread::sleep(Duration::from_millis(300));
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
    // The refresh is at the provider (held back 3 s) when SIGTERM comes.
    std::thread::sleep(Duration::from_millis(1200));
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
