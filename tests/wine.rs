//! The Windows build, run under Wine and driven from Linux: the headless
//! `pkce-tray.exe` serves the PKCE API on 127.0.0.1, and the Linux API
//! test's scenario (challenge, code through the browser, token, refresh,
//! clear) passes against it. `scripts/wine-check` builds the exe and runs
//! this; elsewhere it is skipped.

mod common;

use common::{refresh_request, token_request, Api, App, AppOptions, Provider};

#[tokio::test]
#[ignore = "needs the Windows build and Wine: run by scripts/wine-check"]
async fn the_windows_build_signs_in_under_wine() {
    let exe = std::env::var("PKCE_TRAY_WINDOWS_EXE")
        .expect("PKCE_TRAY_WINDOWS_EXE names the pkce-tray.exe to run");
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.program = exe.clone().into();
    // Wine keeps the process id of the program it runs.
    options.launcher = vec!["/usr/lib/wine/wine64".into()];
    let app = App::start(options);
    let api = Api::new(&app);

    // The browser is opened the Windows way (ShellExecute), which Wine
    // hands to xdg-open, which runs the test browser named in $BROWSER.
    let (challenge, seed) = api.challenge_and_seed().await;
    let code = api.post_json("/pkce/code", &seed).await;
    assert_eq!(code.status, 200, "{}", code.text);
    let token = api
        .post_json(
            "/pkce/token",
            &token_request(&app, &code.json()["result"]["code"], &challenge["verifier"]),
        )
        .await;
    assert_eq!(token.status, 200, "{}", token.text);
    let oauth = &token.json()["auth0"]["oAuth"]["token"];
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
        let mut wine = std::process::Command::new("/usr/lib/wine/wine64");
        wine.arg(&exe)
            .args(args)
            .envs(app.env.iter().map(|(name, value)| (name, value)))
            .stdin(std::process::Stdio::null());
        common::output(wine, std::time::Duration::from_secs(60))
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

    // Another user's process is refused by the Windows build too.
    if let Some(prefix) = common::as_nobody() {
        let mut curl = std::process::Command::new(prefix[0]);
        curl.args(&prefix[1..])
            .args(["curl", "-s", "-m", "30", "-w", "\n%{http_code}"])
            .arg(format!("{}/session", app.url));
        let output = common::output(curl, std::time::Duration::from_secs(60));
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(text.ends_with("\n403"), "{text}");
        assert!(text.contains("forbidden_user"), "{text}");
    }
}
