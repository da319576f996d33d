//! An in-process fake OpenID provider (axum on loopback) for the faults a
//! real provider does not make on demand: forged ID tokens, garbage
//! answers. Its keys are made by openssl.

use std::process::Command;
use std::sync::Arc;

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Form;
use axum::Router;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::json;

pub const KID: &str = "key-1";

/// What the fake provider answers at each endpoint.
#[derive(Clone)]
pub struct Answers {
    pub jwks: (StatusCode, Vec<u8>),
    pub token: (StatusCode, Vec<u8>),
    /// Extra bytes in the discovery document (to make it huge).
    pub discovery_padding: usize,
    /// The authorize endpoint named in discovery, where not the fake's own.
    pub authorization_endpoint: Option<String>,
    /// The device authorization answer, served where given (RFC 8628).
    pub device: Option<serde_json::Value>,
    /// The issuer's path, where it has one (`/realms/x`, `/common/v2.0`).
    pub path: &'static str,
    /// The issuer the discovery document names, where not the issuer
    /// itself, `ORIGIN` standing for the fake's (Entra ID's
    /// `ORIGIN/{tenantid}/v2.0`).
    pub document_issuer: Option<&'static str>,
    /// The client secret the token endpoint insists on (Google's).
    pub client_secret: Option<String>,
}

/// An RSA key made by openssl, and its public half as a JWK.
pub struct Key {
    pub private: EncodingKey,
    pub public_pem: Vec<u8>,
    pub jwks: Vec<u8>,
}

pub fn key() -> Key {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "openssl {args:?}");
    };
    run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "key.pem",
    ]);
    run(&["pkey", "-in", "key.pem", "-pubout", "-out", "public.pem"]);
    let private =
        EncodingKey::from_rsa_pem(&std::fs::read(dir.path().join("key.pem")).unwrap()).unwrap();
    let mut jwk = Jwk::from_encoding_key(&private, Algorithm::RS256).unwrap();
    jwk.common.key_id = Some(KID.into());
    Key {
        public_pem: std::fs::read(dir.path().join("public.pem")).unwrap(),
        jwks: serde_json::to_vec(&JwkSet { keys: vec![jwk] }).unwrap(),
        private,
    }
}

/// Unix seconds, for the claims of tokens made here.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An ID token (or any JWT) signed with the key, RS256, with its key id.
pub fn signed(key: &Key, claims: &serde_json::Value) -> String {
    let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
    header.kid = Some(KID.into());
    jsonwebtoken::encode(&header, claims, &key.private).unwrap()
}

/// Starts the fake provider; answers its issuer URL.
pub async fn fake(answers: Answers) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let issuer = format!("{origin}{}", answers.path);
    let discovery = {
        let mut document = json!({
            "issuer": answers
                .document_issuer
                .map_or(issuer.clone(), |named| named.replace("ORIGIN", &origin)),
            "authorization_endpoint": answers
                .authorization_endpoint
                .clone()
                .unwrap_or_else(|| format!("{issuer}/authorize")),
            "token_endpoint": format!("{issuer}/oauth/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "padding": "x".repeat(answers.discovery_padding),
        });
        if answers.device.is_some() {
            document["device_authorization_endpoint"] = json!(format!("{issuer}/device"));
        }
        move || async move { document.to_string() }
    };
    let answers = Arc::new(answers);
    let (jwks, token, device) = (answers.clone(), answers.clone(), answers.clone());
    let routes = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(move || async move { jwks.jwks.clone() }))
        .route(
            "/oauth/token",
            post(move |form: Form<HashMap<String, String>>| async move {
                match &token.client_secret {
                    Some(secret) if form.get("client_secret") != Some(secret) => (
                        StatusCode::UNAUTHORIZED,
                        br#"{"error":"invalid_client","error_description":"client_secret is required"}"#
                            .to_vec(),
                    ),
                    _ => token.token.clone(),
                }
            }),
        )
        .route(
            "/device",
            post(move || async move { axum::Json(device.device.clone()) }),
        );
    let app = match answers.path {
        "" => routes,
        path => Router::new().nest(path, routes),
    };
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    issuer
}

/// The fake provider on a thread and runtime of its own, for a test that
/// blocks on the app's processes meanwhile; answers its issuer URL. (The
/// tests that do are Unix's alone.)
#[cfg(unix)]
pub fn fake_beside(answers: Answers) -> String {
    on_a_thread(fake(answers))
}

/// Runs `server` (which answers its address, then serves) on a thread
/// and runtime of its own, beside a test that blocks; answers that
/// address.
#[cfg(unix)]
pub fn on_a_thread(server: impl std::future::Future<Output = String> + Send + 'static) -> String {
    let (address, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            address.send(server.await).unwrap();
            std::future::pending::<()>().await
        });
    });
    started.recv().unwrap()
}

impl Answers {
    /// Sound answers: the key's JWKS, an empty token answer.
    pub fn with(key: &Key) -> Self {
        Self {
            jwks: (StatusCode::OK, key.jwks.clone()),
            token: (StatusCode::OK, b"{}".to_vec()),
            discovery_padding: 0,
            authorization_endpoint: None,
            device: None,
            path: "",
            document_issuer: None,
            client_secret: None,
        }
    }
}
