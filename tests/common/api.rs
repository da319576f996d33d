//! The PKCE API from the outside: requests as the Pieces clients make
//! them, and the tokens they answer with.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{App, CLIENT_ID};

/// A generateToken request for the authorization_code grant, to the API
/// at `url`.
pub fn token_request(url: &str, code: &Value, verifier: &Value) -> Value {
    serde_json::json!({
        "grant_type": "authorization_code",
        "client_id": CLIENT_ID,
        "code": code,
        "redirect_uri": format!("{url}/pkce/response/code"),
        "code_verifier": verifier,
    })
}

/// A generateToken request for the refresh_token grant.
pub fn refresh_request(refresh_token: &str) -> Value {
    serde_json::json!({
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "code": refresh_token,
        "redirect_uri": "",
        "code_verifier": "",
    })
}

/// The claims of a generateToken answer's ID token (its signature is the
/// app's to check, not the test's).
pub fn id_token_claims(token: &Value) -> Value {
    jwt_claims(
        token["auth0"]["oAuth"]["token"]["id_token"]
            .as_str()
            .expect("an ID token"),
    )
}

/// The claims of a JWT, unchecked.
pub fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).expect("a JWT");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&json).expect("JSON claims")
}

/// The refresh token of a generateToken answer.
pub fn refresh_token_of(token: &Value) -> String {
    token["auth0"]["oAuth"]["token"]["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned()
}

/// An HTTP client with a generous limit: the machine is slow and shared.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GETs and POSTs JSON, answering (status, content type, body as JSON or text).
pub struct Api {
    /// Where the API answers.
    pub url: String,
    pub client: reqwest::Client,
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts the API's error shape and answers the `error` code.
    pub fn error(&self) -> String {
        assert!(
            self.content_type.starts_with("application/json"),
            "{} {}",
            self.content_type,
            self.text
        );
        let body = self.json();
        assert!(
            body["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{body}"
        );
        body["error"].as_str().expect("an error code").to_owned()
    }
}

impl Api {
    pub fn new(app: &App) -> Self {
        Self::at(&app.url)
    }

    /// The API at `url`: the app's, or an engine's in this process.
    pub fn at(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            client: http(),
        }
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the app answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Reply {
            status,
            content_type,
            text: response.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.url)))
            .await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(self.client.post(format!("{}{path}", self.url)).json(body))
            .await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(self.client.post(format!("{}{path}", self.url)).form(form))
            .await
    }

    /// getChallenge, then a seed for generateCode built from it.
    pub async fn challenge_and_seed(&self) -> (Value, Value) {
        let reply = self.get("/pkce/challenge").await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let challenge = reply.json()["challenge"].clone();
        let seed = serde_json::json!({
            "response_type": "code",
            "state": challenge["state"],
            "nonce": challenge["nonce"],
            "code_challenge": challenge["challenge"],
            "code_challenge_method": "S256",
            "scope": ["openid", "profile", "email", "offline_access"],
            "client_id": CLIENT_ID,
        });
        (challenge, seed)
    }

    /// The whole API sign-in: challenge, code (the test browser signs in),
    /// token. Answers the challenge and the token answer.
    pub async fn sign_in(&self) -> (Value, Value) {
        let (challenge, seed) = self.challenge_and_seed().await;
        let code = self.post_json("/pkce/code", &seed).await;
        assert_eq!(code.status, 200, "{}", code.text);
        let token = self
            .post_json(
                "/pkce/token",
                &token_request(
                    &self.url,
                    &code.json()["result"]["code"],
                    &challenge["verifier"],
                ),
            )
            .await;
        assert_eq!(token.status, 200, "{}", token.text);
        (challenge, token.json())
    }

    /// Polls `/session` until `done` holds, for at most `limit`.
    pub async fn session_until(&self, limit: Duration, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let session = self.get("/session").await.json();
            if done(&session) {
                return session;
            }
            assert!(
                Instant::now() < deadline,
                "the session did not get there in {limit:?}: {session}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
