//! The faults of a real desktop, caused on purpose against the real app
//! and the real provider: clients that hang up, sockets that idle or
//! trickle, floods, old refresh tokens, other users.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{
    eventually, refresh_request, refresh_token_of, Api, App, AppOptions, Provider, ProviderOptions,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A client that gives up after `limit`.
fn impatient(limit: Duration) -> reqwest::Client {
    reqwest::Client::builder().timeout(limit).build().unwrap()
}

#[tokio::test]
async fn a_client_that_hangs_up_mid_sign_in_abandons_its_attempt_and_nothing_else() {
    let (_provider, app) = common::provider_and_app_without_browser();
    let api = Api::new(&app);

    let (_, seed) = api.challenge_and_seed().await;
    let gone = impatient(Duration::from_secs(1))
        .post(format!("{}/pkce/code", app.url))
        .json(&seed)
        .send()
        .await;
    assert!(gone.unwrap_err().is_timeout());
    api.session_until(Duration::from_secs(10), |s| s["state"] == "signed_out")
        .await;
    assert!(app
        .log_text()
        .contains("went away while its sign-in was pending"));

    // The next sign-in is shown, and goes through.
    let (_, seed) = api.challenge_and_seed().await;
    let waiting = tokio::spawn({
        let (url, seed) = (app.url.clone(), seed.clone());
        async move {
            common::http()
                .post(format!("{url}/pkce/code"))
                .json(&seed)
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    api.session_until(Duration::from_secs(10), |s| s["state"] == "signing_in")
        .await;
    api.send(api.client.post(format!("{}/pkce/clear", app.url)))
        .await;
    assert_eq!(waiting.await.unwrap(), 409);
}

#[tokio::test]
async fn a_client_that_hangs_up_during_a_refresh_loses_nothing() {
    // The provider rotates the refresh token at once and answers 2 s later.
    let provider = Provider::start_with(ProviderOptions {
        token_delay_ms: Some(2000),
        ..ProviderOptions::default()
    });
    let app = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&app);
    let (_, token) = api.sign_in().await;
    let first = refresh_token_of(&token);

    let gone = impatient(Duration::from_millis(500))
        .post(format!("{}/pkce/token", app.url))
        .json(&refresh_request(&first))
        .send()
        .await;
    assert!(gone.unwrap_err().is_timeout());
    eventually("the rotated tokens kept", Duration::from_secs(20), || {
        app.log_text().contains("refreshed the access token")
    })
    .await;

    // The client comes back with the token it still holds: it gets the
    // session's current tokens, and the provider sees no reuse (which
    // would revoke the whole grant).
    let again = api.post_json("/pkce/token", &refresh_request(&first)).await;
    assert_eq!(again.status, 200, "{}", again.text);
    let current = refresh_token_of(&again.json());
    assert_ne!(current, first);
    let renewed = api
        .post_json("/pkce/token", &refresh_request(&current))
        .await;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true, "{session}");
}

#[tokio::test]
async fn more_clients_than_the_browser_can_take_get_429_and_the_rest_are_served() {
    let (_provider, app) = common::provider_and_app_without_browser();
    let api = Api::new(&app);
    let mut waiting = Vec::new();
    for _ in 0..8 {
        let (_, seed) = api.challenge_and_seed().await;
        let url = app.url.clone();
        waiting.push(tokio::spawn(async move {
            common::http()
                .post(format!("{url}/pkce/code"))
                .json(&seed)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    eventually("eight browser tabs", Duration::from_secs(20), || {
        app.log_text().matches("opened the sign-in page").count() >= 8
    })
    .await;
    let (_, seed) = api.challenge_and_seed().await;
    let refused = common::http()
        .post(format!("{}/pkce/code", app.url))
        .json(&seed)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "10");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    assert_eq!(
        app.log_text().matches("opened the sign-in page").count(),
        8,
        "no ninth tab"
    );
    api.send(api.client.post(format!("{}/pkce/clear", app.url)))
        .await;
    for client in waiting {
        assert_eq!(client.await.unwrap(), 409);
    }
}

/// How many descriptors the process holds.
fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

#[tokio::test]
async fn idle_half_sent_and_slow_sockets_are_closed_and_the_descriptors_come_back() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    options.launcher = vec!["prlimit".into(), "--nofile=256:256".into()];
    let mut app = App::start(options);
    let pid = app.pid();
    let baseline = descriptors(pid);
    let port = app.port;

    // 500 sockets that never finish a request: idle, half a header, and
    // a body that stops; the last 200 all bodies that stop, more than the
    // connection cap, whose headers the app has read by the time the
    // sign-in comes. Each is closed by the app, at once (past the cap) or
    // when its timeout runs out.
    let started = Instant::now();
    let mut sockets = Vec::new();
    let (wrote, mut written) = tokio::sync::mpsc::unbounded_channel();
    for n in 0..500 {
        let kind = if n < 300 { n % 3 } else { 2 };
        // One after another, as a local process floods: a burst of
        // simultaneous handshakes would test the kernel's accept queue.
        let connected = TcpStream::connect(("127.0.0.1", port)).await;
        let wrote = wrote.clone();
        sockets.push(tokio::spawn(async move {
            let Ok(mut stream) = connected else {
                let _ = wrote.send(());
                return None;
            };
            let sent: &[u8] = match kind {
                0 => b"",
                1 => b"GET /session HTTP/1.1\r\nHost: localhost\r\nX-Slow: ",
                _ => b"POST /pkce/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"grant",
            };
            let sent = String::from_utf8_lossy(sent).replace(
                "Host: localhost",
                &format!("Host: localhost:{port}"),
            );
            let _ = stream.write_all(sent.as_bytes()).await;
            let _ = wrote.send(());
            let mut sink = Vec::new();
            match tokio::time::timeout(Duration::from_secs(40), stream.read_to_end(&mut sink)).await {
                Ok(_) => None,
                Err(_) => Some(kind),
            }
        }));
    }
    // Meanwhile a whole sign-in goes through, its connections behind all
    // of those, once each has sent what it sends: a new connection takes
    // the place of one that never sent a whole request.
    for _ in 0..500 {
        tokio::time::timeout(Duration::from_secs(60), written.recv())
            .await
            .expect("every socket sent its part");
    }
    Api::new(&app).sign_in().await;
    let mut open = Vec::new();
    for socket in sockets {
        if let Some(kind) = socket.await.unwrap() {
            open.push(kind);
        }
    }
    assert!(
        open.is_empty(),
        "left open, by kind: {open:?}; the app's sockets: {}; log: {}",
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .unwrap()
            .count(),
        app.log_text()
            .lines()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "closed within their timeouts"
    );
    assert!(app.is_running());

    // The descriptors are given back, and the app serves on.
    eventually(
        "descriptors back to the baseline",
        Duration::from_secs(20),
        || descriptors(pid) <= baseline + 4,
    )
    .await;
    let session = Api::new(&app).get("/session").await.json();
    assert_eq!(session["signed_in"], true, "{session}");
}

#[tokio::test]
#[ignore = "needs root: runs a process as another user (nobody); ./scripts/test runs it as root, as CI does"]
async fn another_users_process_is_refused_and_the_users_own_is_served() {
    let prefix = common::as_nobody();
    let app = App::start(AppOptions::new("http://127.0.0.1:9"));
    for host in ["127.0.0.1", "[::1]"] {
        let output = Command::new(prefix[0])
            .args(&prefix[1..])
            .args(["curl", "-s", "-w", "\n%{http_code}"])
            .arg(format!("http://{host}:{}/session", app.port))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        let (body, status) = text.rsplit_once('\n').unwrap();
        assert_eq!(status, "403", "{host}: {text}");
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["error"], "forbidden_user");
        assert!(body["error_description"]
            .as_str()
            .unwrap()
            .contains("another user"));
    }
    let own = Api::new(&app).get("/session").await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert!(app.log_text().contains("refused a connection"));
}

#[tokio::test]
async fn a_kept_alive_connection_that_idles_after_its_request_is_closed() {
    let app = App::start(AppOptions::new("http://127.0.0.1:9"));
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    let request = format!(
        "GET /session HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        app.port
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    // The answer, then nothing: the app closes the idle connection.
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(40), stream.read_to_end(&mut seen))
        .await
        .expect("closed within the keep-alive limit")
        .unwrap();
    assert!(String::from_utf8_lossy(&seen).starts_with("HTTP/1.1 200"));
}
