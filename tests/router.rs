//! The API's many edge cases in process: the router called with
//! `oneshot`, no socket, a fake browser that records what it was asked to
//! open, a memory vault, and the in-process fake provider for discovery.
//! The same cases against the real parts are in `api.rs` where they need
//! them.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::fake::{fake, key, Answers};
use http_body_util::BodyExt;

use pkce_tray_engine::browser::Browser;
use pkce_tray_engine::clock::Clock;
use pkce_tray_engine::config::{AccountConfig, Config};
use pkce_tray_engine::vault::MemoryVault;
use pkce_tray_engine::Engine;
use serde_json::{json, Value};
use tower::ServiceExt;

const PORT: u16 = 1000;
const HOST: &str = "localhost:1000";

/// Records every address it is asked to open, and opens nothing.
#[derive(Default)]
struct FakeBrowser(Arc<Mutex<Vec<String>>>);

impl Browser for FakeBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        self.0.lock().unwrap().push(url.to_owned());
        Ok(())
    }
}

struct Rig {
    router: Router,
    engine: Arc<Engine>,
    opened: Arc<Mutex<Vec<String>>>,
    /// What the engine's waits are measured by, moved by the test.
    clock: Clock,
}

async fn rig() -> Rig {
    rig_with(Answers::with(&key())).await
}

async fn rig_with(answers: Answers) -> Rig {
    let issuer = fake(answers).await;
    let mut account = AccountConfig::new("default", issuer.parse().unwrap(), common::CLIENT_ID);
    account.scopes = vec!["openid".into()];
    let config = Config {
        port: PORT,
        port_explicit: true,
        code_timeout: Duration::from_secs(30),
        flow_ttl: Duration::from_secs(60),
        ..Config::new(vec![account])
    };
    let browser = FakeBrowser::default();
    let opened = browser.0.clone();
    let clock = Clock::manual();
    let engine = Engine::with_clock(
        config,
        PORT,
        Box::new(browser),
        |_| Arc::new(MemoryVault::default()),
        clock.clone(),
    );
    Rig {
        router: pkce_tray_api::router(engine.clone(), PORT),
        engine,
        opened,
        clock,
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

async fn call(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap()
}

fn post_json(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn callback(code: &str, state: &str) -> Request<Body> {
    Request::post("/pkce/response/code")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("code={code}&state={state}")))
        .unwrap()
}

async fn seed(rig: &Rig) -> Value {
    let challenge = call(&rig.router, get("/pkce/challenge")).await.body["challenge"].clone();
    json!({
        "response_type": "code",
        "state": challenge["state"],
        "nonce": challenge["nonce"],
        "code_challenge": challenge["challenge"],
        "code_challenge_method": "S256",
        "scope": ["openid"],
        "client_id": common::CLIENT_ID,
    })
}

/// A client's generateCode, waiting once the browser was asked to open
/// its page; answers its state and the waiting request.
async fn waiting_sign_in(rig: &Rig) -> (String, tokio::task::JoinHandle<Answer>) {
    waiting_sign_in_with(rig, seed(rig).await).await
}

/// The same with a seed of the test's own.
async fn waiting_sign_in_with(rig: &Rig, seed: Value) -> (String, tokio::task::JoinHandle<Answer>) {
    let state = seed["state"].as_str().unwrap().to_owned();
    let opened = rig.opened.lock().unwrap().len();
    let waiting = tokio::spawn({
        let router = rig.router.clone();
        async move { call(&router, post_json("/pkce/code", &seed)).await }
    });
    common::eventually("the browser asked to open", Duration::from_secs(10), || {
        rig.opened.lock().unwrap().len() > opened
    })
    .await;
    (state, waiting)
}

#[tokio::test]
async fn every_answer_is_neither_cached_sniffed_nor_referred() {
    let rig = rig().await;
    for request in [get("/pkce/challenge"), get("/nowhere"), get("/session")] {
        let answer = call(&rig.router, request).await;
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        assert_eq!(answer.headers["referrer-policy"], "no-referrer");
        assert_eq!(answer.headers["cache-control"], "no-store");
    }
}

#[tokio::test]
async fn hosts_origins_routes_and_bodies_get_the_right_errors() {
    let rig = rig().await;
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            Request::get("/pkce/challenge")
                .header(header::HOST, "evil.example:1000")
                .body(Body::empty())
                .unwrap(),
            StatusCode::FORBIDDEN,
            "forbidden_host",
        ),
        (
            Request::post("/pkce/clear")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::empty())
                .unwrap(),
            StatusCode::FORBIDDEN,
            "forbidden_origin",
        ),
        (get("/nowhere"), StatusCode::NOT_FOUND, "not_found"),
        (
            get("/pkce/code"),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::post("/pkce/code")
                .header(header::HOST, HOST)
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            post_json("/pkce/code", &json!({ "padding": "x".repeat(20_000) })),
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
        ),
        (
            post_json("/pkce/token", &json!({"grant_type": "refresh_token"})),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
    ];
    for (request, status, error) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let answer = call(&rig.router, request).await;
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        assert_eq!(answer.body["error"], error, "{what}");
        assert!(answer.body["error_description"].is_string(), "{what}");
    }
    let v6 = Request::get("/pkce/challenge")
        .header(header::HOST, "[::1]:1000")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&rig.router, v6).await.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_seeds_are_refused_before_any_browser_opens() {
    let rig = rig().await;
    let good = seed(&rig).await;
    let with = |name: &str, value: Value| {
        let mut seed = good.clone();
        seed[name] = value;
        seed
    };
    for (seed, error) in [
        (
            with("response_type", json!("token")),
            "unsupported_response_type",
        ),
        (
            with("code_challenge_method", json!("plain")),
            "invalid_request",
        ),
        (with("state", json!("")), "invalid_request"),
        (with("scope", json!([])), "invalid_request"),
        (with("client_id", json!("another")), "unauthorized_client"),
        (
            with("redirect_uri", json!("https://evil.example/cb")),
            "invalid_request",
        ),
        (with("response_mode", json!("fragment")), "invalid_request"),
    ] {
        let answer = call(&rig.router, post_json("/pkce/code", &seed)).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{seed}: {}",
            answer.body
        );
        assert_eq!(answer.body["error"], error, "{seed}");
    }
    assert!(rig.opened.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_code_that_never_comes_is_a_408_when_its_time_is_up_and_can_be_waited_for_again() {
    let rig = rig().await;
    let seed = seed(&rig).await;
    let (state, waiting) = waiting_sign_in_with(&rig, seed.clone()).await;
    rig.clock.advance(Duration::from_secs(30));
    let timed_out = within_a_minute(waiting).await;
    assert_eq!(
        timed_out.status,
        StatusCode::REQUEST_TIMEOUT,
        "{}",
        timed_out.body
    );
    assert_eq!(timed_out.body["error"], "timeout");

    // The attempt is still pending: the same client waits again, and the
    // provider's answer reaches it.
    let (_, again) = waiting_sign_in_with(&rig, seed).await;
    let real = call(&rig.router, callback("the-code", &state)).await;
    assert_eq!(real.status, StatusCode::OK, "{}", real.body);
    let answer = within_a_minute(again).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["result"]["code"], "the-code");
}

/// A waiting request's answer, within a minute.
async fn within_a_minute(waiting: tokio::task::JoinHandle<Answer>) -> Answer {
    tokio::time::timeout(Duration::from_secs(60), waiting)
        .await
        .expect("answered within a minute")
        .unwrap()
}

#[tokio::test]
async fn a_forged_callback_leaves_the_waiting_sign_in_alone_and_the_real_one_completes() {
    let rig = rig().await;
    let (state, waiting) = waiting_sign_in(&rig).await;
    let authorize = rig.opened.lock().unwrap()[0].clone();
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "{authorize}"
    );
    assert!(authorize.contains(&format!("state={state}")));
    assert_eq!(
        rig.engine.status().phase,
        pkce_tray_engine::events::Phase::SigningIn
    );

    let forged = call(&rig.router, callback("forged", "not-the-state")).await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert_eq!(forged.body["error"], "invalid_state");
    let real = call(&rig.router, callback("the-code", &state)).await;
    assert_eq!(real.status, StatusCode::OK, "{}", real.body);

    let answer = waiting.await.unwrap();
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["result"]["code"], "the-code");
    assert_eq!(answer.body["result"]["state"], state.as_str());
}

#[tokio::test]
async fn a_dropped_request_abandons_its_sign_in_and_a_ninth_client_waits_its_turn() {
    let rig = rig().await;
    // A client that hangs up: its request future is dropped.
    let first = seed(&rig).await;
    let dropped = tokio::time::timeout(
        Duration::from_millis(300),
        call(&rig.router, post_json("/pkce/code", &first)),
    )
    .await;
    assert!(dropped.is_err());
    assert_eq!(
        rig.engine.status().phase,
        pkce_tray_engine::events::Phase::SignedOut
    );

    let mut waiting = Vec::new();
    for _ in 0..8 {
        let seed = seed(&rig).await;
        let router = rig.router.clone();
        waiting.push(tokio::spawn(async move {
            call(&router, post_json("/pkce/code", &seed)).await.status
        }));
    }
    common::eventually("eight browser tabs", Duration::from_secs(10), || {
        rig.opened.lock().unwrap().len() == 9
    })
    .await;
    let ninth = seed(&rig).await;
    let refused = call(&rig.router, post_json("/pkce/code", &ninth)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers[header::RETRY_AFTER], "10");
    assert_eq!(rig.opened.lock().unwrap().len(), 9, "no tab for the ninth");

    let clear = Request::post("/pkce/clear")
        .header(header::HOST, HOST)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        call(&rig.router, clear).await.status,
        StatusCode::NO_CONTENT
    );
    for client in waiting {
        assert_eq!(client.await.unwrap(), StatusCode::CONFLICT);
    }
}

/// Callbacks of any shape, at the form_post and the query callback: never
/// a server error, and the genuine sign-in waiting meanwhile completes.
#[tokio::test]
async fn callbacks_of_any_shape_leave_the_genuine_sign_in_alone() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config as Cases, TestRunner};

    let rig = rig().await;
    let (state, waiting) = waiting_sign_in(&rig).await;

    let bodies = proptest::collection::vec(
        prop_oneof![
            Just("code=".to_owned()),
            Just("state=".to_owned()),
            Just("iss=".to_owned()),
            Just("error=".to_owned()),
            Just("&".to_owned()),
            Just("%".to_owned()),
            Just("=".to_owned()),
            "[ -~]{0,12}",
            "\\PC{0,6}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat());
    let mut runner = TestRunner::new(Cases::default());
    let cases: Vec<String> = (0..64)
        .map(|_| bodies.new_tree(&mut runner).unwrap().current())
        .collect();
    for body in cases {
        let form = Request::post("/pkce/response/code")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.clone()))
            .unwrap();
        let answer = call(&rig.router, form).await;
        assert!(
            answer.status.is_client_error(),
            "{body:?}: {}",
            answer.status
        );
        let query = Request::get(format!(
            "/pkce/response/code?{}",
            body.replace(' ', "%20").replace('#', "%23")
        ))
        .header(header::HOST, HOST)
        .body(Body::empty());
        if let Ok(query) = query {
            let answer = call(&rig.router, query).await;
            assert!(
                answer.status.is_client_error(),
                "{body:?}: {}",
                answer.status
            );
        }
    }

    assert_eq!(
        call(&rig.router, callback("the-code", &state)).await.status,
        StatusCode::OK
    );
    let answer = waiting.await.unwrap();
    assert_eq!(answer.body["result"]["code"], "the-code");
}

/// The Pieces clients 1.x to 3.x require `scope` in every token answer;
/// a provider may leave it out when it is the one requested (RFC 6749
/// §5.1), as Glewlwyd does on a refresh.
#[tokio::test]
async fn every_token_answer_names_its_scope_where_the_provider_does_not() {
    let key = key();
    let answers = Answers {
        token: (
            StatusCode::OK,
            br#"{"access_token":"at","token_type":"bearer","expires_in":60,"refresh_token":"rt"}"#
                .to_vec(),
        ),
        ..Answers::with(&key)
    };
    let rig = rig_with(answers).await;
    let mut seed = seed(&rig).await;
    seed["scope"] = json!(["openid", "email", "offline_access"]);
    let (state, waiting) = waiting_sign_in_with(&rig, seed).await;
    assert_eq!(
        call(&rig.router, callback("the-code", &state)).await.status,
        StatusCode::OK
    );
    assert_eq!(waiting.await.unwrap().status, StatusCode::OK);

    let token = |grant_type: &str, code: &str| {
        post_json(
            "/pkce/token",
            &json!({
                "grant_type": grant_type,
                "client_id": common::CLIENT_ID,
                "code": code,
                "redirect_uri": format!("http://127.0.0.1:{PORT}/pkce/response/code"),
                "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            }),
        )
    };
    let scope = |answer: Answer| {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.body["auth0"]["oAuth"]["token"]["scope"].clone()
    };
    // The code: the scope its sign-in asked for.
    let asked = json!("openid email offline_access");
    let exchanged = call(&rig.router, token("authorization_code", "the-code")).await;
    assert_eq!(scope(exchanged), asked);
    // Its refresh token's refresh: the scope it was granted (§6).
    assert_eq!(
        scope(call(&rig.router, token("refresh_token", "rt")).await),
        asked
    );
    // A refresh token from elsewhere: the account's own scope.
    assert_eq!(
        scope(call(&rig.router, token("refresh_token", "rt-from-before")).await),
        json!("openid")
    );
}
