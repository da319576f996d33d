//! The PKCE API end to end: the real provider, the real app (`--headless`),
//! a real browser (headless Chromium, and a fast HTTP one) signing in.

use crate::common;

use std::time::Duration;

use common::{refresh_request, token_request, Api, App, AppOptions, Provider, CLIENT_ID};
use serde_json::{json, Value};

#[tokio::test]
async fn challenge_code_token_refresh_clear() {
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);

    let (challenge, seed) = api.challenge_and_seed().await;
    assert_eq!(challenge["method"], "S256");
    assert_eq!(challenge["verifier"].as_str().unwrap().len(), 43);
    assert!(challenge["state"].as_str().unwrap().len() >= 22);
    assert!(challenge["nonce"].as_str().unwrap().len() >= 22);

    let code = api.post_json("/pkce/code", &seed).await;
    assert_eq!(code.status, 200, "{}", code.text);
    assert!(code.content_type.starts_with("application/json"));
    let code = code.json();
    assert_eq!(code["seed"]["state"], seed["state"]);
    assert_eq!(code["result"]["state"], seed["state"]);
    assert!(code["schema"]["migration"].is_i64());

    let token = api
        .post_json(
            "/pkce/token",
            &token_request(&app.url, &code["result"]["code"], &challenge["verifier"]),
        )
        .await;
    assert_eq!(token.status, 200, "{}", token.text);
    let token = token.json();
    let auth0 = &token["auth0"];
    assert_eq!(auth0["client"], CLIENT_ID);
    assert_eq!(
        auth0["domain"],
        provider.issuer.trim_start_matches("http://")
    );
    assert!(auth0["audience"].is_string());
    assert_eq!(auth0["redirects"], json!({}));
    let oauth = &auth0["oAuth"]["token"];
    assert_eq!(oauth["token_type"], "Bearer");
    assert!(oauth["expires_in"].is_u64(), "an integer: {oauth}");
    assert!(oauth["id_token"].as_str().unwrap().split('.').count() == 3);
    let refresh_token = oauth["refresh_token"].as_str().unwrap().to_owned();

    // The API flow became the app's session too.
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true);
    assert_eq!(session["user"]["name"], "Ada Lovelace");

    let refreshed = api
        .post_json("/pkce/token", &refresh_request(&refresh_token))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    let new_token = &refreshed.json()["auth0"]["oAuth"]["token"];
    assert_ne!(new_token["access_token"], oauth["access_token"]);

    let clear = api
        .send(api.client.post(format!("{}/pkce/clear", app.url)))
        .await;
    assert_eq!(clear.status, 204);
    assert!(clear.text.is_empty());
}

#[tokio::test]
async fn chromium_signs_in_through_the_providers_form_post_page() {
    let provider = Provider::start();
    let shots = tempfile::tempdir().unwrap();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "chromium";
    options.browser_env = vec![(
        "TEST_BROWSER_SCREENSHOT",
        shots.path().join("provider").display().to_string(),
    )];
    let app = App::start(options);
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    assert_eq!(token["auth0"]["oAuth"]["token"]["token_type"], "Bearer");
    // The browser lands on the app's own page after the form_post.
    let landed = shots.path().join("provider-final.png");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !landed.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the browser did not reach the app's page"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn query_mode_answers_at_the_get_callback() {
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let (_, mut seed) = api.challenge_and_seed().await;
    seed["response_mode"] = json!("query");
    seed["redirect_uri"] = json!(format!("http://127.0.0.1:{}/pkce/response/code", app.port));
    let code = api.post_json("/pkce/code", &seed).await;
    assert_eq!(code.status, 200, "{}", code.text);
}

#[tokio::test]
async fn the_browser_command_chosen_in_the_file_opens_the_page_before_browser() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.config = Some(format!(
        "issuer = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nbrowser = \"{} %s\"\n",
        provider.issuer,
        common::test_browser().display()
    ));
    options.browser_env = vec![("BROWSER", "/nonexistent/browser".into())];
    let app = App::start(options);
    let (_, token) = Api::new(&app).sign_in().await;
    assert_eq!(token["auth0"]["oAuth"]["token"]["token_type"], "Bearer");
}

#[tokio::test]
async fn provider_errors_reach_the_waiting_client() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser_env = vec![("TEST_BROWSER_ACTION", "deny".into())];
    let app = App::start(options);
    let api = Api::new(&app);
    let (_, seed) = api.challenge_and_seed().await;
    let denied = api.post_json("/pkce/code", &seed).await;
    assert_eq!(denied.status, 403, "{}", denied.text);
    assert_eq!(denied.error(), "access_denied");

    let (_, mut seed) = api.challenge_and_seed().await;
    seed["prompt"] = json!("none");
    let silent = api.post_json("/pkce/code", &seed).await;
    assert_eq!(silent.status, 400, "{}", silent.text);
    assert_eq!(silent.error(), "login_required");
}

#[tokio::test]
async fn clear_releases_a_waiting_client() {
    // (A code that never comes is a 408: `router.rs`, on a clock the test
    // moves.)
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "none";
    let app = App::start(options);
    let api = Api::new(&app);

    let (_, seed) = api.challenge_and_seed().await;
    let waiting = api.post_json("/pkce/code", &seed);
    let clearing = async {
        // A client's sign-in shows in every front door.
        let shown = api
            .session_until(Duration::from_secs(30), |s| s["state"] == "signing_in")
            .await;
        assert_eq!(shown["signed_in"], false);
        api.send(api.client.post(format!("{}/pkce/clear", app.url)))
            .await
    };
    let (waited, cleared) = tokio::join!(waiting, clearing);
    assert_eq!(cleared.status, 204);
    assert_eq!(waited.status, 409, "{}", waited.text);
    assert_eq!(waited.error(), "cleared");
    assert_eq!(api.get("/session").await.json()["state"], "signed_out");
}

#[tokio::test]
async fn bad_seeds_are_refused_with_clear_errors() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "none";
    let app = App::start(options);
    let api = Api::new(&app);
    let (_, seed) = api.challenge_and_seed().await;
    let with = |field: &str, value: Value| {
        let mut seed = seed.clone();
        seed[field] = value;
        seed
    };
    let without = |field: &str| {
        let mut seed = seed.clone();
        seed.as_object_mut().unwrap().remove(field);
        seed
    };
    let cases = [
        (
            with("response_type", json!("token")),
            400,
            "unsupported_response_type",
        ),
        (
            with("response_type", json!("id_token")),
            400,
            "unsupported_response_type",
        ),
        (
            with("code_challenge_method", json!("plain")),
            400,
            "invalid_request",
        ),
        (
            with("code_challenge_method", json!("UNKNOWN")),
            400,
            "invalid_request",
        ),
        (
            with("client_id", json!("someone-else")),
            400,
            "unauthorized_client",
        ),
        (
            with("redirect_uri", json!("https://evil.example/cb")),
            400,
            "invalid_request",
        ),
        (
            with("response_mode", json!("fragment")),
            400,
            "invalid_request",
        ),
        (
            with("response_mode", json!("web_message")),
            400,
            "invalid_request",
        ),
        (
            with(
                "redirect_uri",
                json!("http://127.0.0.1:1/pkce/response/code"),
            ),
            400,
            "invalid_request",
        ),
        (
            with("domain", json!("https://evil.example/authorize")),
            400,
            "invalid_request",
        ),
        (
            with("scope", json!(["openid", "admin"])),
            400,
            "invalid_request",
        ),
        (with("scope", json!([])), 400, "invalid_request"),
        (
            with("code_challenge", json!("not-the-issued-challenge")),
            400,
            "invalid_request",
        ),
        (with("state", json!(42)), 400, "invalid_request"),
        (without("nonce"), 400, "invalid_request"),
        (without("client_id"), 400, "invalid_request"),
        (json!([1, 2, 3]), 400, "invalid_request"),
    ];
    for (body, status, error) in cases {
        let reply = api.post_json("/pkce/code", &body).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.text);
        assert_eq!(reply.error(), error, "{body}");
    }

    let not_json = api
        .send(
            api.client
                .post(format!("{}/pkce/code", app.url))
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
    assert_eq!(
        (not_json.status, not_json.error().as_str()),
        (400, "invalid_request")
    );
    let wrong_type = api
        .send(api.client.post(format!("{}/pkce/code", app.url)).body("{}"))
        .await;
    assert_eq!(
        (wrong_type.status, wrong_type.error().as_str()),
        (415, "unsupported_media_type")
    );
    let huge = api
        .send(
            api.client
                .post(format!("{}/pkce/code", app.url))
                .header("content-type", "application/json")
                .body(format!("{{\"state\": \"{}\"}}", "x".repeat(100_000))),
        )
        .await;
    assert_eq!(huge.status, 413, "{}", huge.text);
    huge.error();

    // The process lives, and the same client goes on: the 413 said the
    // connection that carried the oversized body closes.
    assert_eq!(api.get("/pkce/challenge").await.status, 200);
}

#[tokio::test]
async fn forged_or_replayed_callbacks_leave_the_genuine_flow_alone() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "none";
    let app = App::start(options);
    let api = Api::new(&app);
    let (challenge, seed) = api.challenge_and_seed().await;
    let state = seed["state"].as_str().unwrap().to_owned();
    let waiting = api.post_json("/pkce/code", &seed);
    let attacks = async {
        // The genuine attempt waits on the browser: the session shows it.
        api.session_until(Duration::from_secs(60), |s| s["state"] == "signing_in")
            .await;
        let forged = api
            .post_form("/pkce/response/code", &[("code", "x"), ("state", "forged")])
            .await;
        assert_eq!(
            (forged.status, forged.error().as_str()),
            (400, "invalid_state")
        );
        let no_state = api.post_form("/pkce/response/code", &[("code", "x")]).await;
        assert_eq!(
            (no_state.status, no_state.error().as_str()),
            (400, "invalid_request")
        );
        let wrong_issuer = api
            .post_form(
                "/pkce/response/code",
                &[
                    ("code", "x"),
                    ("state", &state),
                    ("iss", "https://evil.example"),
                ],
            )
            .await;
        assert_eq!(wrong_issuer.status, 400, "{}", wrong_issuer.text);
        let page = api
            .send(
                api.client
                    .post(format!("{}/pkce/response/code", app.url))
                    .header("accept", "text/html,application/xhtml+xml")
                    .form(&[("code", "x"), ("state", "forged")]),
            )
            .await;
        assert_eq!(page.status, 400);
        assert!(page.content_type.starts_with("text/html"));
        assert!(page.text.contains("did not complete"));
        // Cross-site form_post is how the provider answers: no Origin check here.
        let genuine = api
            .send(
                api.client
                    .post(format!("{}/pkce/response/code", app.url))
                    .header("origin", provider.issuer.as_str())
                    .header("accept", "application/json, text/html")
                    .form(&[
                        ("code", "the-code"),
                        ("state", state.as_str()),
                        ("iss", provider.issuer.as_str()),
                    ]),
            )
            .await;
        assert_eq!(genuine.status, 200, "{}", genuine.text);
        assert_eq!(genuine.json()["result"]["code"], "the-code");
        let replay = api
            .post_form(
                "/pkce/response/code",
                &[
                    ("code", "again"),
                    ("state", &state),
                    ("iss", &provider.issuer),
                ],
            )
            .await;
        assert_eq!(
            (replay.status, replay.error().as_str()),
            (400, "invalid_state")
        );
    };
    let (code, ()) = tokio::join!(waiting, attacks);
    assert_eq!(code.status, 200, "{}", code.text);
    assert_eq!(code.json()["result"]["code"], "the-code");

    // A made-up code is the provider's to refuse; its error passes through.
    let token = api
        .post_json(
            "/pkce/token",
            &token_request(&app.url, &json!("the-code"), &challenge["verifier"]),
        )
        .await;
    assert_eq!(
        (token.status, token.error().as_str()),
        (400, "invalid_grant")
    );
}

#[tokio::test]
async fn token_requests_are_checked_and_provider_outages_are_502() {
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let bad_verifier = api
        .post_json(
            "/pkce/token",
            &token_request(&app.url, &json!("c"), &json!("short")),
        )
        .await;
    assert_eq!(
        (bad_verifier.status, bad_verifier.error().as_str()),
        (400, "invalid_request")
    );
    let mut bad_grant = token_request(&app.url, &json!("c"), &json!("a".repeat(43)));
    bad_grant["grant_type"] = json!("password");
    let reply = api.post_json("/pkce/token", &bad_grant).await;
    assert_eq!(reply.status, 400);
    let mut unknown = bad_grant.clone();
    unknown["grant_type"] = json!("UNKNOWN");
    let reply = api.post_json("/pkce/token", &unknown).await;
    assert_eq!(
        (reply.status, reply.error().as_str()),
        (400, "unsupported_grant_type")
    );

    drop(provider);
    let outage = api
        .post_json(
            "/pkce/token",
            &token_request(&app.url, &json!("c"), &json!("a".repeat(43))),
        )
        .await;
    assert_eq!(
        (outage.status, outage.error().as_str()),
        (502, "provider_unreachable")
    );
}

#[tokio::test]
async fn foreign_hosts_and_origins_are_refused() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "none";
    let app = App::start(options);
    let api = Api::new(&app);
    let port = app.port;
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.10:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        let reply = api
            .send(
                api.client
                    .get(format!("{}/pkce/challenge", app.url))
                    .header("host", &host),
            )
            .await;
        assert_eq!(
            (reply.status, reply.error().as_str()),
            (403, "forbidden_host"),
            "{host}"
        );
    }
    let local = api
        .send(
            api.client
                .get(format!("{}/session", app.url))
                .header("host", format!("localhost:{port}")),
        )
        .await;
    assert_eq!(local.status, 200);

    for origin in [
        "https://evil.example",
        "null",
        "http://localhost.evil.example",
    ] {
        for (method, path) in [
            ("POST", "/pkce/clear"),
            ("POST", "/pkce/code"),
            ("GET", "/pkce/challenge"),
            ("OPTIONS", "/pkce/token"),
        ] {
            let request = api
                .client
                .request(method.parse().unwrap(), format!("{}{path}", app.url))
                .header("origin", origin);
            let reply = api.send(request).await;
            assert_eq!(
                (reply.status, reply.error().as_str()),
                (403, "forbidden_origin"),
                "{method} {path} {origin}"
            );
        }
    }
    let same_origin = api
        .send(
            api.client
                .post(format!("{}/pkce/clear", app.url))
                .header("origin", format!("http://localhost:{port}")),
        )
        .await;
    assert_eq!(same_origin.status, 204);
    let response = api
        .client
        .get(format!("{}/pkce/challenge", app.url))
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let missing = api.get("/nope").await;
    assert_eq!(
        (missing.status, missing.error().as_str()),
        (404, "not_found")
    );
    let wrong_method = api.get("/pkce/clear").await;
    assert_eq!(
        (wrong_method.status, wrong_method.error().as_str()),
        (405, "method_not_allowed")
    );
}

#[tokio::test]
async fn idle_connections_do_not_starve_the_server() {
    use tokio::io::AsyncWriteExt;
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let mut idle = Vec::new();
    for i in 0..300 {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
            .await
            .unwrap();
        if i % 2 == 0 {
            // Half of them start a request and never finish it.
            stream
                .write_all(b"GET /pkce/challenge HTTP/1.1\r\nHost: loc")
                .await
                .unwrap();
        }
        idle.push(stream);
    }
    let reply = tokio::time::timeout(Duration::from_secs(30), api.get("/pkce/challenge"))
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn the_openapi_document_is_served_and_covers_every_route() {
    let provider = Provider::start();
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let reply = api.get("/openapi.json").await;
    assert_eq!(reply.status, 200);
    let document = reply.json();
    let on_disk: Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("src-tauri/api/src/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(document, on_disk);
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method, operation) in [
        ("/pkce/challenge", "get", "getChallenge"),
        ("/pkce/code", "post", "generateCode"),
        ("/pkce/response/code", "post", "respondWithCode"),
        (
            "/pkce/response/code/{account}",
            "post",
            "respondWithCodeForAccount",
        ),
        ("/pkce/token", "post", "generateToken"),
        ("/pkce/clear", "post", "clearPKCE"),
        ("/session", "get", "getSession"),
        ("/session/sign-out", "post", "signOut"),
    ] {
        assert_eq!(
            document["paths"][path][method]["operationId"], operation,
            "{method} {path}"
        );
    }
    for model in [
        "PKCE",
        "ChallengedPKCE",
        "SeededPKCE",
        "ResultedPKCE",
        "TokenizedPKCE",
        "Auth0",
        "OAuthToken",
    ] {
        assert!(
            document["components"]["schemas"][model].is_object(),
            "{model}"
        );
    }
}

#[tokio::test]
async fn a_busy_port_1000_falls_back_to_the_documented_port() {
    let provider = Provider::start();
    // Port 1000 taken, as by Pieces OS; where this test may not bind it,
    // the app may not either, which is the other case of the fallback.
    let _taken = std::net::TcpListener::bind("127.0.0.1:1000");
    let mut options = AppOptions::new(&provider.issuer);
    options.default_port = true;
    let app = App::start(options);
    assert_eq!(app.port, 39100);
    assert!(
        app.log_text().contains("using the fallback port 39100"),
        "{}",
        app.log_text()
    );
    assert_eq!(Api::new(&app).get("/session").await.status, 200);
}

#[tokio::test]
async fn without_a_browser_the_sign_in_address_is_logged() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.browser_env = vec![
        ("BROWSER", "/nonexistent/browser".into()),
        ("PATH", "/nonexistent".into()),
    ];
    options.args = vec!["--code-timeout".into(), "1".into()];
    let app = App::start(options);
    let api = Api::new(&app);
    let (_, seed) = api.challenge_and_seed().await;
    let reply = api.post_json("/pkce/code", &seed).await;
    assert_eq!(reply.status, 408);
    let log = app.log_text();
    assert!(log.contains("no browser could be opened"), "{log}");
    assert!(
        log.contains(&format!(
            "open the sign-in page yourself: {}/authorize?",
            provider.issuer
        )),
        "{log}"
    );
}

#[tokio::test]
async fn a_provider_too_slow_to_answer_is_a_504() {
    use axum::routing::{get, post};
    // A fake provider, for this edge case only: discovery answers, the token
    // endpoint never does.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let discovery = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "jwks_uri": format!("{issuer}/jwks"),
    });
    let fake = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || async move { axum::Json(discovery) }),
        )
        .route("/oauth/token", post(std::future::pending::<&'static str>));
    tokio::spawn(async move { axum::serve(listener, fake).await });

    let app = App::start(AppOptions::new(&issuer));
    let api = Api::new(&app);
    let reply = api
        .post_json(
            "/pkce/token",
            &token_request(&app.url, &json!("c"), &json!("a".repeat(43))),
        )
        .await;
    assert_eq!(
        (reply.status, reply.error().as_str()),
        (504, "provider_timeout")
    );
}
