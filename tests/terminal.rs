//! The terminal's commands against the real provider and the real keychain:
//! `status`, `token`, `sign-in` (browser, `--no-browser`, `--device`),
//! `sign-out`, git's credential helper, and other users kept out.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::terminal::{run, sign_in_on_another_device, start_sign_in, stderr, stdout, token};
use common::{provider_keychain_app, App, Guard, ProviderOptions};
use serde_json::Value;

/// Ctrl-C to a terminal command; the session is signed out again within
/// 5 s.
fn interrupt(app: &App, child: &Guard) {
    Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let report: Value =
            serde_json::from_str(&stdout(&run(app.cli(&["status", "--json"])))).unwrap();
        if report["state"] == "signed_out" {
            return;
        }
        assert!(Instant::now() < deadline, "still {report}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn status_token_and_sign_out_say_the_state_in_exit_codes() {
    let (provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());

    let status = run(app.cli(&["status"]));
    assert_eq!(status.status.code(), Some(1), "signed out: exit 1");
    assert!(
        stdout(&status).starts_with("Signed out"),
        "{}",
        stdout(&status)
    );
    let token_out = run(app.cli(&["token"]));
    assert_eq!(token_out.status.code(), Some(1));
    assert!(stdout(&token_out).is_empty());
    assert!(
        stderr(&token_out).contains("Not signed in"),
        "{}",
        stderr(&token_out)
    );

    let sign_in = run(app.cli(&["sign-in"]));
    assert!(sign_in.status.success(), "{}", stderr(&sign_in));
    assert!(stderr(&sign_in).contains("Signed in as Ada Lovelace"));

    let status = run(app.cli(&["status"]));
    assert!(status.status.success());
    assert!(stdout(&status).starts_with("Signed in as Ada Lovelace <ada@example.com>"));
    let json = run(app.cli(&["status", "--json"]));
    assert!(json.status.success());
    let report: Value = serde_json::from_str(&stdout(&json)).expect("one JSON object");
    assert_eq!(report["signed_in"], true);
    assert_eq!(report["state"], "signed_in");
    assert_eq!(report["user"]["sub"], "ada");
    assert_eq!(report["user"]["email"], "ada@example.com");
    assert_eq!(report["stored_in"], "keychain");
    assert_eq!(report["api"], app.url);
    assert!(report["expires_at"].as_i64().unwrap() > 0);

    let access = token(&app, &[]);
    assert!(
        !stdout(&json).contains(&access),
        "status never carries a token"
    );
    let profile = provider.userinfo(&access).await.expect("a live token");
    assert_eq!(profile["sub"], "ada");

    let sign_out = run(app.cli(&["sign-out"]));
    assert!(sign_out.status.success(), "{}", stderr(&sign_out));
    assert_eq!(run(app.cli(&["status"])).status.code(), Some(1));
    assert_eq!(run(app.cli(&["token"])).status.code(), Some(1));
    assert!(
        provider.log_text().contains("POST /oauth/revoke 200"),
        "signed out at the provider"
    );
}

#[tokio::test]
async fn ten_commands_wanting_a_renewed_token_at_once_cause_one_refresh() {
    // The provider holds its answers back 5 s: every command asks while
    // the first one's refresh is under way.
    let options = ProviderOptions {
        token_delay_ms: Some(5000),
        ..ProviderOptions::default()
    };
    let (provider, _keychain, app) = provider_keychain_app(options);
    assert!(run(app.cli(&["sign-in"])).status.success());
    // Still valid for a minute: answered without asking the provider.
    let first = token(&app, &["--min-valid", "60"]);
    assert_eq!(token(&app, &["--min-valid", "60"]), first);
    assert_eq!(provider.refreshes(), 0);

    // Wanted for longer than the hour it has: renewed, once for all (a
    // token nearing its end, on a clock the test moves, in `engine.rs`).
    let racers: Vec<_> = (0..10)
        .map(|_| {
            let mut command = app.cli(&["token", "--min-valid", "100000"]);
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            command.spawn().unwrap()
        })
        .collect();
    let tokens: Vec<String> = racers
        .into_iter()
        .map(|child| {
            let output = common::finish(child, Duration::from_secs(60));
            assert!(output.status.success(), "{}", stderr(&output));
            stdout(&output).trim_end().to_owned()
        })
        .collect();
    assert_eq!(provider.refreshes(), 1, "one refresh for ten callers");
    assert!(
        tokens.iter().all(|token| *token == tokens[0]),
        "the same new token for all"
    );
    assert_ne!(tokens[0], first);
    assert!(provider.userinfo(&tokens[0]).await.is_some());
}

#[tokio::test]
async fn no_browser_prints_the_address_and_the_browser_elsewhere_signs_in() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    let (mut child, mut lines) = start_sign_in(&app, "--no-browser");
    let address = lines.next().unwrap().unwrap();
    assert!(address.contains("/authorize?"), "{address}");
    assert!(
        address.contains(&format!("127.0.0.1%3A{}", app.port)),
        "{address}"
    );

    let mut browser = Command::new(common::test_browser());
    browser.arg(&address).env("TEST_BROWSER_ENGINE", "chromium");
    let browser = run(browser);
    assert!(browser.status.success(), "{}", stderr(&browser));
    let status = common::ended(&mut child.0, Duration::from_secs(30));
    assert!(status.success());
    assert!(run(app.cli(&["status"])).status.success());
    assert!(
        !app.log_text()
            .contains("opened the sign-in page in the browser"),
        "the app opened no browser of its own"
    );
}

#[tokio::test]
async fn a_terminal_that_gives_up_cancels_its_sign_in() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    let (child, mut lines) = start_sign_in(&app, "--no-browser");
    lines.next().unwrap().unwrap();
    let signing_in = run(app.cli(&["status", "--json"]));
    let report: Value = serde_json::from_str(&stdout(&signing_in)).unwrap();
    assert_eq!(report["state"], "signing_in");

    // Ctrl-C.
    interrupt(&app, &child);
    // The tray's (and the terminal's) sign-in works again at once.
    assert!(run(app.cli(&["sign-in"])).status.success());
}

#[tokio::test]
async fn a_device_sign_in_completes_on_another_device() {
    let (provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    let (mut child, mut lines) = start_sign_in(&app, "--device");
    let address = lines.next().unwrap().unwrap();
    let code = lines.next().unwrap().unwrap();
    assert_eq!(address, format!("{}/device", provider.issuer));
    assert!(code.len() >= 8, "{code}");

    sign_in_on_another_device(&address, &code);
    let status = common::ended(&mut child.0, Duration::from_secs(30));
    assert!(status.success());
    let report: Value =
        serde_json::from_str(&stdout(&run(app.cli(&["status", "--json"])))).unwrap();
    assert_eq!(report["user"]["name"], "Ada Lovelace");
    assert!(provider
        .log_text()
        .contains("token issued (urn:ietf:params:oauth:grant-type:device_code)"));
    // Kept and renewed like any other session.
    let renewed = token(&app, &["--min-valid", "4000"]);
    assert_eq!(provider.refreshes(), 1);
    assert!(provider.userinfo(&renewed).await.is_some());
}

#[tokio::test]
async fn a_device_sign_in_given_up_stops_polling() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    let (child, mut lines) = start_sign_in(&app, "--device");
    lines.next().unwrap().unwrap();
    // Ctrl-C.
    interrupt(&app, &child);
    // The polling ended with the sign-in (not, say, left running in a
    // task of its own): the app says so when it drops it.
    let stopped = "stopped polling the provider for the device sign-in";
    let deadline = Instant::now() + Duration::from_secs(30);
    while !app.log_text().contains(stopped) {
        assert!(Instant::now() < deadline, "{}", app.log_text());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn git_gets_the_token_for_listed_hosts_only() {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    assert!(run(app.cli(&["sign-in"])).status.success());
    let access = token(&app, &[]);
    let helper = format!("!{} git-credential", common::program());
    let fill = |host: &str| {
        let mut git = Command::new("git");
        git.envs(app.env.iter().map(|(name, value)| (name, value)))
            .env(
                "PKCE_TRAY_GIT_HOSTS",
                "git.example.com,code.example.org:8443",
            )
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args([
                "-c",
                &format!("credential.helper={helper}"),
                "credential",
                "fill",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = git.spawn().unwrap();
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        write!(stdin, "protocol=https\nhost={host}\npath=team/repo.git\n\n").unwrap();
        drop(stdin);
        common::finish(child, Duration::from_secs(60))
    };
    let listed = fill("git.example.com");
    assert!(listed.status.success(), "{}", stderr(&listed));
    let answer = stdout(&listed);
    assert!(answer.contains("username=oauth2\n"), "{answer}");
    assert!(answer.contains(&format!("password={access}\n")));
    assert!(answer.contains("password_expiry_utc="));

    let other = fill("github.com");
    assert!(!other.status.success(), "git found no credentials");
    assert!(!stdout(&other).contains(&access));
    // The helper itself says nothing for it.
    let mut helper = app.cli(&["git-credential", "get"]);
    helper
        .env("PKCE_TRAY_GIT_HOSTS", "git.example.com")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = helper.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"protocol=https\nhost=github.com\n\n")
        .unwrap();
    assert!(common::finish(child, Duration::from_secs(60))
        .stdout
        .is_empty());
}

#[tokio::test]
async fn with_no_instance_running_a_command_does_the_work_itself() {
    let (provider, keychain, mut app) = provider_keychain_app(ProviderOptions::default());
    assert!(run(app.cli(&["sign-in"])).status.success());
    app.stop();
    let env = app.env.clone();

    let status = run(common::cli(&env, &["status", "--json"]));
    assert!(status.status.success(), "{}", stderr(&status));
    let report: Value = serde_json::from_str(&stdout(&status)).unwrap();
    assert_eq!(
        report["user"]["name"], "Ada Lovelace",
        "restored from the keychain"
    );
    assert_eq!(report["api"], Value::Null, "no pkce-tray runs");
    let renewed = run(common::cli(&env, &["token", "--min-valid", "4000"]));
    assert!(renewed.status.success(), "{}", stderr(&renewed));
    let renewed = stdout(&renewed).trim_end().to_owned();
    assert_eq!(provider.refreshes(), 1);
    assert!(provider.userinfo(&renewed).await.is_some());
    // The renewed session was kept: the next run gives the same token.
    let again = run(common::cli(&env, &["token"]));
    assert_eq!(stdout(&again).trim_end(), renewed);
    assert_eq!(provider.refreshes(), 1);

    // A sign-out and a sign-in of their own: the sign-in's browser comes
    // back to the API this command serves for as long as it runs.
    let mut env = env;
    env.push(("PKCE_TRAY_PORT".into(), "0".into()));
    let signed_out = run(common::cli(&env, &["sign-out"]));
    assert!(signed_out.status.success(), "{}", stderr(&signed_out));
    assert_eq!(run(common::cli(&env, &["status"])).status.code(), Some(1));
    let signed_in = run(common::cli(&env, &["sign-in"]));
    assert!(signed_in.status.success(), "{}", stderr(&signed_in));
    let renewed = stdout(&run(common::cli(&env, &["token"])))
        .trim_end()
        .to_owned();
    assert!(provider.userinfo(&renewed).await.is_some());

    // The provider gone: a token still valid for the time asked is given
    // all the same; one that would need renewing is not, with the reason.
    drop(provider);
    let offline = run(common::cli(&env, &["token"]));
    assert!(offline.status.success(), "{}", stderr(&offline));
    assert_eq!(stdout(&offline).trim_end(), renewed);
    let unrenewable = run(common::cli(&env, &["token", "--min-valid", "4000"]));
    assert_eq!(unrenewable.status.code(), Some(1));
    assert!(stdout(&unrenewable).is_empty());
    assert!(
        stderr(&unrenewable).contains("could not be reached"),
        "{}",
        stderr(&unrenewable)
    );
    drop(keychain);
}

#[cfg(unix)]
#[tokio::test]
#[ignore = "needs root: runs a process as another user (nobody); ./scripts/test runs it as root, as CI does"]
async fn another_user_gets_nothing_from_the_socket() {
    let prefix = common::as_nobody();
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions::default());
    assert!(run(app.cli(&["sign-in"])).status.success());
    let access = token(&app, &[]);

    // A copy of the binary that nobody may run, and a way for nobody
    // through the test's own directories (as a real home would allow):
    // only pkce-tray's private directory stands in the way.
    let bin = tempfile::tempdir().unwrap();
    let program = bin.path().join("pkce-tray");
    std::fs::copy(common::program(), &program).unwrap();
    let open = |path: &std::path::Path, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    open(bin.path(), 0o755);
    let private = pkce_tray::instance::directory().unwrap();
    for dir in std::iter::once(app.home.as_path()).chain(private.ancestors().skip(1).take(3)) {
        open(dir, 0o755);
    }
    let as_nobody = || {
        let mut command = Command::new(prefix[0]);
        command
            .args(&prefix[1..])
            .arg(&program)
            .arg("token")
            .envs(app.env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null());
        run(command)
    };
    let refused = as_nobody();
    assert!(!refused.status.success());
    assert!(
        stdout(&refused).is_empty(),
        "nobody got {}",
        stdout(&refused)
    );
    assert!(!stderr(&refused).contains(&access));

    // Even through a socket others could reach, the instance answers
    // this user only: nobody's own client, straight to the socket.
    open(&private, 0o777);
    let socket = private.join("instance.sock");
    open(&socket, 0o666);
    let mut client = Command::new(prefix[0]);
    client.args(&prefix[1..]).args([
        "python3",
        "-c",
        "import socket, sys\n\
         s = socket.socket(socket.AF_UNIX)\n\
         s.settimeout(10)\n\
         s.connect(sys.argv[1])\n\
         s.sendall(b'{\"command\":\"token\",\"min_valid\":60}\\n')\n\
         print(s.recv(65536).decode())",
    ]);
    client.arg(&socket);
    let refused = run(client);
    assert!(!stdout(&refused).contains(&access), "nobody got the token");
    assert!(stdout(&refused).trim().is_empty(), "{}", stdout(&refused));
    assert!(app
        .log_text()
        .contains("refused uid 65534 on the instance socket"));
    assert_eq!(
        token(&app, &[]),
        access,
        "the user's own still gets through"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = run(common::cli(&[], &["completions", shell]));
        assert!(output.status.success(), "{shell}");
        assert!(stdout(&output).contains("COMPLETE"), "{shell}");
    }
    // bash loads the script, and a Tab after `pkce-tray st` asks the
    // binary, which answers `status`.
    let script = stdout(&run(common::cli(&[], &["completions", "bash"])));
    let bin = std::path::Path::new(common::program());
    let mut bash = Command::new("bash");
    bash.arg("-c")
        .arg(format!(
            "{script}\nCOMP_WORDS=(pkce-tray st); COMP_CWORD=1; COMP_TYPE=9; _clap_complete_pkce_tray pkce-tray st pkce-tray; printf '%s\\n' \"${{COMPREPLY[@]}}\""
        ))
        .env("PATH", format!("{}:/usr/bin:/bin", bin.parent().unwrap().display()))
        .stdin(Stdio::null());
    let completed = run(bash);
    assert!(completed.status.success(), "{}", stderr(&completed));
    assert_eq!(stdout(&completed).trim(), "status");
    let help = run(common::cli(&[], &["token", "--help"]));
    assert!(stdout(&help).contains("--min-valid"));
}

/// A file whose name is a command line (in a cloned repository, an
/// unpacked archive), where Tab offers file names: each shell inserts it
/// quoted, and Enter runs pkce-tray with that file, never the command.
/// bash, zsh and fish, each typed into in a pseudo-terminal.
#[test]
fn tab_beside_a_hostile_file_name_inserts_it_quoted_in_every_shell() {
    let bin = std::path::Path::new(common::program())
        .parent()
        .unwrap()
        .to_owned();
    for (shell, setup) in [
        ("bash", "source <(pkce-tray completions bash)"),
        (
            "zsh",
            "autoload -U compinit; compinit -u; source <(pkce-tray completions zsh)",
        ),
        ("fish", "pkce-tray completions fish | source"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cfg;touch PWNED;.toml"), "").unwrap();
        let mut typing = Command::new("python3");
        typing
            .arg(common::repo().join("tests/shell/type_in.py"))
            .args([shell, setup, "pkce-tray --headless --config cf", ".toml"])
            .current_dir(dir.path())
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env_remove("DISPLAY")
            .stdin(Stdio::null());
        let typed = run(typing);
        let screen = stdout(&typed);
        assert!(
            typed.status.success(),
            "{shell}: {screen}{}",
            stderr(&typed)
        );
        assert!(
            !dir.path().join("PWNED").exists(),
            "{shell} ran the file name as a command: {screen}"
        );
        assert!(
            screen.contains("in cfg;touch PWNED;.toml)"),
            "{shell}: pkce-tray was not given the file: {screen}"
        );
    }
}
