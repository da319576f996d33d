//! pkce-tray on real networks: clients on IPv6 loopback, a provider behind
//! TLS with a private CA, and a provider reachable only through a proxy.

use crate::common;

use common::network::{Proxy, TestCa};
use common::{Api, App, AppOptions, Provider, ProviderOptions};
use serde_json::Value;

/// No provider is called for a challenge: any issuer will do.
const UNUSED_ISSUER: &str = "http://127.0.0.1:9";

#[tokio::test]
async fn clients_on_ipv6_loopback_get_the_challenge_and_foreign_hosts_are_refused() {
    let app = App::start(AppOptions::new(UNUSED_ISSUER));
    let client = common::http();
    let v6 = format!("http://[::1]:{}/pkce/challenge", app.port);

    let reply = client
        .get(&v6)
        .send()
        .await
        .expect("the API answers on ::1");
    assert_eq!(reply.status(), 200);
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["challenge"]["method"], "S256");

    for (host, status) in [
        ("localhost", 200),
        ("[::1]", 200),
        ("evil.example", 403),
        ("[::2]", 403),
        ("localhost.evil.example", 403),
    ] {
        let reply = client
            .get(&v6)
            .header("host", format!("{host}:{}", app.port))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), status, "{host}");
        if status == 403 {
            let body: Value = reply.json().await.unwrap();
            assert_eq!(body["error"], "forbidden_host", "{host}");
        }
    }
}

#[tokio::test]
async fn a_provider_of_a_private_ca_is_trusted_through_ssl_cert_file_and_refused_without() {
    let ca = TestCa::new();
    let provider = Provider::start_with(ProviderOptions {
        tls: Some(ca.server.clone()),
        ..ProviderOptions::default()
    });
    assert!(provider.issuer.starts_with("https://"));

    let untrusting = App::start(AppOptions::new(&provider.issuer));
    let api = Api::new(&untrusting);
    let (_, seed) = api.challenge_and_seed().await;
    let reply = api.post_json("/pkce/code", &seed).await;
    assert_eq!(reply.status, 502, "{}", reply.text);
    assert_eq!(reply.error(), "provider_untrusted");
    assert!(reply.text.contains("SSL_CERT_FILE"), "{}", reply.text);
    drop(api);
    drop(untrusting);

    let mut options = AppOptions::new(&provider.issuer);
    options.browser_env = vec![
        ("SSL_CERT_FILE", ca.ca.display().to_string()),
        // The test browser (Node) trusts the CA through its own variable.
        ("NODE_EXTRA_CA_CERTS", ca.ca.display().to_string()),
    ];
    let app = App::start(options);
    let api = Api::new(&app);
    api.sign_in().await;
    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["name"], "Ada Lovelace", "{session}");
}

#[tokio::test]
async fn a_sign_in_goes_through_the_proxy_to_a_provider_only_the_proxy_can_reach() {
    let ca = TestCa::new();
    let proxy = Proxy::start();
    // `provider.test` resolves nowhere but in the proxy: the app has no
    // direct way to the provider.
    let provider = Provider::start_with(ProviderOptions {
        tls: Some(ca.server.clone()),
        host: Some("provider.test".into()),
        ..ProviderOptions::default()
    });
    let authority = provider.issuer.trim_start_matches("https://").to_owned();
    assert!(authority.starts_with("provider.test:"));

    let mut options = AppOptions::new(&provider.issuer);
    options.browser = "chromium";
    options.browser_env = vec![
        ("SSL_CERT_FILE", ca.ca.display().to_string()),
        ("HTTPS_PROXY", proxy.url.clone()),
        ("NO_PROXY", "intranet.example".into()),
        ("TEST_BROWSER_PROXY", proxy.url.clone()),
    ];
    let app = App::start(options);
    let api = Api::new(&app);
    api.sign_in().await;
    let session = api.get("/session").await.json();
    assert_eq!(session["user"]["name"], "Ada Lovelace", "{session}");
    let requests = proxy.requests();
    assert!(
        requests.contains(&format!("CONNECT {authority}")),
        "{requests}"
    );
    // The browser's way back to the app is loopback: never through the proxy.
    assert!(!requests.contains("127.0.0.1"), "{requests}");
}

#[tokio::test]
async fn a_loopback_provider_is_never_proxied() {
    let provider = Provider::start();
    let mut options = AppOptions::new(&provider.issuer);
    // A proxy that does not exist: any request sent to it fails.
    options.browser_env = vec![
        ("HTTP_PROXY", "http://127.0.0.1:9".into()),
        ("HTTPS_PROXY", "http://127.0.0.1:9".into()),
        ("ALL_PROXY", "http://127.0.0.1:9".into()),
    ];
    let app = App::start(options);
    let api = Api::new(&app);
    api.sign_in().await;
    let session = api.get("/session").await.json();
    assert_eq!(session["signed_in"], true, "{session}");
}
