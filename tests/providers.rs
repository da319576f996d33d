//! Any provider (issue 23): what providers other than the tests' first one
//! do, each caused for real: pushed authorization requests required
//! (RFC 9126), and, against Glewlwyd, a second provider written by others.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::terminal::{run, sign_in_on_another_device, start_sign_in, stderr, token};
use common::{provider_keychain_app, Api, Kind, ProviderOptions};
use url::Url;

/// A provider that requires pushed authorization requests (RFC 9126 §5)
/// gets them: the browser carries a reference only, and the sign-in
/// completes. Both providers refuse an authorization request that was not
/// pushed, so the sign-in itself proves the push.
fn pushed_requests(kind: Kind) {
    let (_provider, _keychain, app) = provider_keychain_app(ProviderOptions {
        kind,
        require_par: true,
        ..ProviderOptions::default()
    });
    let (mut child, mut lines) = start_sign_in(&app, "--no-browser");
    let address = lines.next().unwrap().unwrap();
    let url = Url::parse(&address).unwrap();
    let names: Vec<String> = url.query_pairs().map(|(n, _)| n.into_owned()).collect();
    assert_eq!(names, ["client_id", "request_uri"], "{address}");

    let mut browser = Command::new(common::test_browser());
    browser.arg(&address).env("TEST_BROWSER_ENGINE", "http");
    let browser = run(browser);
    assert!(browser.status.success(), "{}", stderr(&browser));
    let status = common::ended(&mut child.0, Duration::from_secs(30));
    assert!(status.success());
    assert!(run(app.cli(&["status"])).status.success());
}

#[test]
fn oidc_provider_requiring_pushed_requests_gets_them() {
    pushed_requests(Kind::OidcProvider);
}

#[test]
fn glewlwyd_requiring_pushed_requests_gets_them() {
    pushed_requests(Kind::Glewlwyd);
}

fn glewlwyd() -> ProviderOptions {
    ProviderOptions {
        kind: Kind::Glewlwyd,
        ..ProviderOptions::default()
    }
}

/// The API's whole sign-in (a Pieces client's), refresh with rotation and
/// sign-out, against Glewlwyd. Its deviations, each met here: the
/// `form_post` page posts `iss` percent-encoded a second time (accepted:
/// it decodes once to the exact issuer); refresh answers carry no ID
/// token; `token_type` is lowercase; revocation refuses a public client
/// with a bare 401 and takes the access token as a Bearer credential.
#[tokio::test]
async fn glewlwyd_signs_in_refreshes_and_signs_out_through_the_api() {
    let (provider, _keychain, app) = provider_keychain_app(glewlwyd());
    let api = Api::new(&app);
    let (_, answer) = api.sign_in().await;
    let tokens = &answer["auth0"]["oAuth"]["token"];
    assert!(tokens["refresh_token"].is_string());
    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["name"], "Ada Lovelace", "{session}");

    // A renewal through the instance: the provider rotates the token.
    let before = provider.refreshes();
    let renewed = token(&app, &["--min-valid", "100000"]);
    assert_eq!(provider.refreshes(), before + 1);
    assert_ne!(renewed, tokens["access_token"].as_str().unwrap());
    assert!(run(app.cli(&["status"])).status.success());

    let signed_out = api
        .post_json("/session/sign-out", &serde_json::json!({}))
        .await;
    assert_eq!(signed_out.status, 200, "{}", signed_out.text);
    let signed_out = signed_out.json();
    assert_eq!(signed_out["revoked"], true, "{signed_out}");
    assert_eq!(signed_out["message"], "Signed out.");
    assert!(app
        .log_text()
        .contains("trying again with the access token"));
    assert!(
        provider.log_text().contains("revoked"),
        "{}",
        provider.log_text()
    );
}

/// Glewlwyd in its defaults lets no public client revoke a token, with
/// its client id or with its access token: the tokens are forgotten here
/// all the same, and the person is told, in `sign-out`'s output and in
/// `/session`, that the provider may still hold the session and where to
/// end it (Glewlwyd names no end-session page: its address).
#[tokio::test]
async fn a_sign_out_the_provider_refuses_says_so_and_where_to_end_it() {
    let (provider, keychain, app) = provider_keychain_app(ProviderOptions {
        no_bearer_revocation: true,
        ..glewlwyd()
    });
    let api = Api::new(&app);
    api.sign_in().await;
    let signed_out = run(app.cli(&["sign-out"]));
    assert!(signed_out.status.success());
    let said = stderr(&signed_out);
    let place = format!("sign out at {}", provider.issuer);
    assert!(
        said.contains("did not confirm the end") && said.contains("may still be active"),
        "{said}"
    );
    assert!(said.contains(&place), "{said}");
    assert!(
        said.contains("revocation request with 401 Unauthorized and said no more"),
        "{said}"
    );
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], false);
    assert!(
        session["message"].as_str().unwrap().contains(&place),
        "{session}"
    );
    assert!(
        keychain.lookup(&provider.account()).is_none(),
        "forgotten here all the same"
    );
}

/// The app's own sign-in from the terminal, in headless Chromium on
/// Glewlwyd's real login page (its own web app: user name, password,
/// the consent it asks for), answered by `form_post`.
#[tokio::test]
async fn the_terminal_signs_in_on_glewlwyds_real_login_page() {
    let (_provider, _keychain, app) =
        common::provider_keychain_app_browsing(glewlwyd(), "chromium");
    let signed_in = run(app.cli(&["sign-in"]));
    assert!(signed_in.status.success(), "{}", stderr(&signed_in));
    let status = run(app.cli(&["status"]));
    assert!(
        common::terminal::stdout(&status).contains("Ada Lovelace"),
        "{}",
        common::terminal::stdout(&status)
    );
}

/// A device sign-in (RFC 8628) completed on Glewlwyd's own device pages:
/// the code typed in, the person signed in, the grant kept and renewed.
#[tokio::test]
async fn a_device_sign_in_completes_at_glewlwyd() {
    let (provider, _keychain, app) = provider_keychain_app(glewlwyd());
    let (mut child, mut lines) = start_sign_in(&app, "--device");
    let address = lines.next().unwrap().unwrap();
    let code = lines.next().unwrap().unwrap();
    assert_eq!(address, format!("{}/device", provider.issuer));
    sign_in_on_another_device(&address, &code);
    let status = common::ended(&mut child.0, Duration::from_secs(30));
    assert!(status.success());
    assert!(common::terminal::stdout(&run(app.cli(&["status"]))).contains("Ada Lovelace"));
    let before = provider.refreshes();
    token(&app, &["--min-valid", "100000"]);
    assert_eq!(provider.refreshes(), before + 1);
}

/// A sign-in from the terminal with the app on its fallback port: in a
/// network namespace of the test's own, where port 1000 is the test's to
/// take, the provider started by `provider` (a command line) and the app
/// on its default port, which it finds taken. The test browser signs in.
/// Answers what was printed and what was said.
fn sign_in_on_the_fallback_port(provider: &str) -> (String, String) {
    let program = common::program();
    let home = tempfile::tempdir().unwrap();
    let script = format!(
        r#"{provider} >provider.out 2>provider.err &
provider=$!
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1", 1000)); s.listen(); time.sleep(60)' &
squatter=$!
for i in $(seq 600); do grep -q READY provider.out && break; sleep 0.1; done
grep -q READY provider.out || {{ echo "the provider did not start in 60 s"; cat provider.err; exit 1; }}
export PKCE_TRAY_ISSUER=$(sed -n 's/^READY //p' provider.out) PKCE_TRAY_CLIENT_ID={client}
{program} --headless >app.out 2>app.err &
app=$!
for i in $(seq 600); do grep -q 'listening on' app.out && break; sleep 0.1; done
cat app.out
status=0
timeout 60 {program} sign-in || status=$?
echo "exit $status"
kill $app $squatter $provider
wait $app
"#,
        client = common::CLIENT_ID,
    );
    let output = Command::new("sh")
        .args(["-c", &script])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("BROWSER", common::test_browser())
        .env("TEST_BROWSER_ENGINE", "http")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        out.contains("listening on http://127.0.0.1:39100"),
        "{out}\n{said}"
    );
    (out, said)
}

fn provider_script(name: &str, args: &str) -> String {
    format!(
        "node {} --port 0 --client-id {} {args}",
        common::repo().join("tests/provider").join(name).display(),
        common::CLIENT_ID
    )
}

/// Glewlwyd matches redirect URIs exactly, port included (RFC 8252 §7.3
/// asks providers not to). With port 1000 taken, the app listens on its
/// fallback, 39100, whose redirect URI Glewlwyd never heard of: the
/// sign-in fails at once with the URI to register, or the port to free,
/// instead of the provider's bare 403 in the browser.
#[test]
fn a_fallback_port_the_provider_does_not_know_names_the_uri_to_register() {
    let (out, said) = sign_in_on_the_fallback_port(&provider_script(
        "glewlwyd.mjs",
        "--redirect http://127.0.0.1:1000/pkce/response/code",
    ));
    assert!(out.contains("exit 1"), "{out}\n{said}");
    assert!(
        said.contains("register http://127.0.0.1:39100/pkce/response/code with the provider")
            && said.contains("or let pkce-tray have port 1000"),
        "{said}"
    );
}

/// Pushed requests on the fallback port, at a provider that takes any
/// loopback port (oidc-provider) and at one that knows the fallback's URI
/// (Glewlwyd): the sign-in completes. The push itself checks the redirect
/// URI, so the app does not try the request beforehand: its reference is
/// for one use (RFC 9126 §4), though neither provider here holds the app
/// to that.
#[test]
fn a_fallback_port_with_pushed_requests_signs_in() {
    for provider in [
        provider_script("provider.mjs", "--require-par"),
        provider_script(
            "glewlwyd.mjs",
            "--require-par --redirect http://127.0.0.1:39100/pkce/response/code",
        ),
    ] {
        let (out, said) = sign_in_on_the_fallback_port(&provider);
        assert!(out.contains("exit 0"), "{provider}\n{out}\n{said}");
    }
}

/// Glewlwyd answers a refresh token it no longer accepts with a bare 400
/// and an empty body, where RFC 6749 §5.2 asks for `invalid_grant`: the
/// session ends all the same, and the person is told to sign in again.
#[tokio::test]
async fn a_refresh_glewlwyd_refuses_with_a_bare_400_ends_the_session() {
    let (provider, _keychain, app) = provider_keychain_app(glewlwyd());
    let api = Api::new(&app);
    let (_, answer) = api.sign_in().await;
    let refresh_token = answer["auth0"]["oAuth"]["token"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Someone replays the session's refresh token: Glewlwyd ends the chain.
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let (status, body) = provider.refresh(&refresh_token).await;
        statuses.push((status, body.is_empty()));
    }
    assert_eq!(statuses, [(200, false), (400, true)], "a bare 400");

    let renewed = run(app.cli(&["token", "--min-valid", "100000"]));
    assert!(!renewed.status.success());
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], false, "{session}");
    assert!(
        session["message"]
            .as_str()
            .unwrap()
            .starts_with("Your session has ended"),
        "{session}"
    );
}
