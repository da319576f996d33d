//! The OpenID Connect provider: discovery, the authorize URL, the token,
//! refresh and revocation calls, the ID token checks and UserInfo.

mod device;
mod http;
mod userinfo;

pub use device::DeviceAuthorization;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use tokio::sync::OnceCell;
use url::Url;

use super::pkce::{CodeChallenge, CodeVerifier, Nonce, State};
use super::secret::{AccessToken, AuthorizationCode, IdToken, RefreshToken};
use super::text;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProviderError {
    #[error("the provider at {0} could not be reached")]
    Unreachable(String),
    #[error("the provider at {0} did not answer in time")]
    TimedOut(String),
    #[error("the provider at {0} presented a certificate this machine does not trust; if it comes from a private CA, add that CA to the system's certificate store or name its PEM file in SSL_CERT_FILE")]
    Untrusted(String),
    /// An OAuth error response (RFC 6749 §5.2), passed on as it came.
    #[error("{error}: {description}")]
    OAuth {
        status: u16,
        error: String,
        description: String,
    },
    #[error("the provider sent an answer that is not OpenID Connect: {0}")]
    BadResponse(String),
    #[error("the ID token was rejected: {0}")]
    InvalidIdToken(String),
    #[error("the provider has no revocation endpoint")]
    NoRevocation,
    #[error("the provider does not offer sign-in from another device (its discovery document names no device_authorization_endpoint); sign in with the browser, or over SSH with `pkce-tray sign-in --no-browser` and a forwarded port")]
    NoDeviceFlow,
}

/// The discovery document's fields that pkce-tray uses (OpenID Connect Discovery §3).
#[derive(Debug, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub authorization_endpoint: Url,
    pub token_endpoint: Url,
    pub jwks_uri: Url,
    /// OpenID Connect Core §5.3: the claims the ID token may leave out.
    pub userinfo_endpoint: Option<Url>,
    /// RFC 7009; Auth0 serves `/oauth/revoke` without always advertising it.
    revocation_endpoint: Option<Url>,
    /// RFC 8628 §4: where a device sign-in starts, if the provider has one.
    pub device_authorization_endpoint: Option<Url>,
    /// RFC 9207 §3: when true, an answer without `iss` must be refused.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

impl Metadata {
    /// Every address the document names.
    fn endpoints(&self) -> impl Iterator<Item = &Url> {
        [
            &self.authorization_endpoint,
            &self.token_endpoint,
            &self.jwks_uri,
        ]
        .into_iter()
        .chain(self.userinfo_endpoint.as_ref())
        .chain(self.revocation_endpoint.as_ref())
        .chain(self.device_authorization_endpoint.as_ref())
    }

    /// The revocation endpoint, advertised or, for Auth0, known.
    pub fn revocation_endpoint(&self) -> Option<Url> {
        self.revocation_endpoint.clone().or_else(|| {
            let issuer = Url::parse(&self.issuer).ok()?;
            issuer
                .host_str()?
                .ends_with(".auth0.com")
                .then(|| issuer.join("/oauth/revoke").ok())?
        })
    }
}

/// Everything that goes into one authorize URL.
#[derive(Debug)]
pub struct AuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: State,
    pub nonce: Nonce,
    pub challenge: CodeChallenge,
    pub scopes: Vec<String>,
    pub response_mode: Option<String>,
    pub audience: Option<String>,
    /// Auth0's and OpenID's optional parameters, in order: screen_hint,
    /// prompt, organization, invitation, and any additional ones.
    pub extra: Vec<(String, String)>,
}

/// A successful token response (RFC 6749 §5.1).
#[derive(Debug)]
pub struct Tokens {
    pub access_token: AccessToken,
    /// Seconds; `DEFAULT_EXPIRES_IN` where the provider did not say.
    pub expires_in: u64,
    pub refresh_token: Option<RefreshToken>,
    pub id_token: Option<IdToken>,
    pub scope: Option<String>,
}

#[derive(Deserialize)]
struct RawTokens {
    access_token: String,
    token_type: String,
    expires_in: Option<serde_json::Value>,
    refresh_token: Option<String>,
    id_token: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    error: String,
    error_description: Option<String>,
}

/// The lifetime assumed for an access token whose response has no
/// `expires_in` (RFC 6749 §5.1 makes it optional; Auth0 always sends it).
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

/// The claims pkce-tray reads from an ID token.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
    nonce: Option<String>,
    azp: Option<String>,
    aud: serde_json::Value,
}

/// One provider, its discovery document and JWKS fetched once and cached.
pub struct Provider {
    issuer: Url,
    http: reqwest::Client,
    metadata: OnceCell<Arc<Metadata>>,
    jwks: RwLock<Option<Arc<JwkSet>>>,
}

/// The shortest and longest access-token lifetimes believed: a provider
/// that says 0 would have the app refresh without pause, one that says
/// `u64::MAX` would overflow every sum with it.
const LIFETIME_MIN: u64 = 10;
const LIFETIME_MAX: u64 = 10 * 365 * 24 * 60 * 60;

/// The lifetime to go by, from what the provider said (or did not).
fn lifetime(expires_in: Option<u64>) -> u64 {
    expires_in
        .unwrap_or(DEFAULT_EXPIRES_IN)
        .clamp(LIFETIME_MIN, LIFETIME_MAX)
}

/// Token endpoints send `expires_in` as a number; a few send a string.
fn seconds(value: Option<serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Signature algorithms accepted for ID tokens: a public client shares no
/// secret with the provider, so HMAC-signed tokens prove nothing.
const ID_TOKEN_ALGORITHMS: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::EdDSA,
];

impl Provider {
    pub fn new(issuer: Url) -> Self {
        Self {
            issuer,
            http: http::client(Duration::from_secs(30), 0),
            metadata: OnceCell::new(),
            jwks: RwLock::new(None),
        }
    }

    pub fn issuer(&self) -> &Url {
        &self.issuer
    }

    fn transport_error(&self, error: reqwest::Error) -> ProviderError {
        let host = self.issuer.host_str().unwrap_or_default().to_owned();
        match http::failure(&error) {
            http::Failure::TimedOut => ProviderError::TimedOut(host),
            http::Failure::Untrusted => ProviderError::Untrusted(host),
            http::Failure::Unreachable => ProviderError::Unreachable(host),
        }
    }

    /// An answer's body, at most `http::BODY_LIMIT` of it.
    async fn read(
        &self,
        response: reqwest::Response,
        what: &str,
    ) -> Result<Vec<u8>, ProviderError> {
        http::body(response).await.map_err(|error| match error {
            Some(error) => self.transport_error(error),
            None => ProviderError::BadResponse(format!(
                "the {what} answer is larger than {} KiB",
                http::BODY_LIMIT / 1024
            )),
        })
    }

    /// The discovery document, fetched on first use; a failure is retried on
    /// the next call rather than remembered.
    pub async fn metadata(&self) -> Result<Arc<Metadata>, ProviderError> {
        self.metadata
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.issuer.as_str().trim_end_matches('/')
                );
                let response = self
                    .http
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| self.transport_error(e))?;
                if !response.status().is_success() {
                    return Err(ProviderError::BadResponse(format!(
                        "discovery answered {}",
                        response.status()
                    )));
                }
                let body = self.read(response, "discovery").await?;
                let metadata: Metadata = serde_json::from_slice(&body)
                    .map_err(|e| ProviderError::BadResponse(format!("discovery document: {e}")))?;
                // Every endpoint is somewhere a browser or this app goes:
                // a web address, never a file or another program's scheme.
                for endpoint in metadata.endpoints() {
                    text::web_address(endpoint.as_str()).map_err(|why| {
                        ProviderError::BadResponse(format!("discovery document: {why}"))
                    })?;
                }
                // OpenID Connect Discovery §4.3: the issuer must match exactly.
                if metadata.issuer != self.issuer.as_str()
                    && metadata.issuer != self.issuer.as_str().trim_end_matches('/')
                {
                    return Err(ProviderError::BadResponse(format!(
                        "the discovery document names issuer {:?}, not the configured {:?}",
                        metadata.issuer,
                        self.issuer.as_str()
                    )));
                }
                Ok(Arc::new(metadata))
            })
            .await
            .cloned()
    }

    /// The authorize URL (RFC 6749 §4.1.1 with RFC 7636 §4.3).
    pub async fn authorize_url(&self, request: &AuthorizeRequest) -> Result<Url, ProviderError> {
        let metadata = self.metadata().await?;
        let mut url = metadata.authorization_endpoint.clone();
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", &request.client_id)
                .append_pair("redirect_uri", &request.redirect_uri)
                .append_pair("scope", &request.scopes.join(" "))
                .append_pair("state", request.state.as_str())
                .append_pair("nonce", request.nonce.as_str())
                .append_pair("code_challenge", request.challenge.as_str())
                .append_pair("code_challenge_method", "S256");
            if let Some(mode) = &request.response_mode {
                query.append_pair("response_mode", mode);
            }
            if let Some(audience) = &request.audience {
                query.append_pair("audience", audience);
            }
            for (name, value) in &request.extra {
                query.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// RFC 9207 §2.4: the answer's `iss` must name this provider.
    pub async fn check_response_issuer(&self, iss: Option<&str>) -> Result<(), ProviderError> {
        let metadata = self.metadata().await?;
        match iss {
            Some(iss) if iss == metadata.issuer => Ok(()),
            Some(iss) => Err(ProviderError::OAuth {
                status: 400,
                error: "invalid_request".into(),
                description: format!(
                    "the answer came from issuer {iss:?}, not {:?}",
                    metadata.issuer
                ),
            }),
            None if metadata.authorization_response_iss_parameter_supported => {
                Err(ProviderError::OAuth {
                    status: 400,
                    error: "invalid_request".into(),
                    description:
                        "the answer lacks the iss parameter that this provider always sends".into(),
                })
            }
            None => Ok(()),
        }
    }

    /// An OAuth endpoint's JSON answer (token, UserInfo, device
    /// authorization): the body capped, an error status passed on as the
    /// provider's own OAuth error where it sent one (RFC 6749 §5.2).
    async fn oauth_json<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<T, ProviderError> {
        let response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let body = self.read(response, what).await?;
        if !status.is_success() {
            return Err(oauth_error(status, &body));
        }
        serde_json::from_slice(&body)
            .map_err(|e| ProviderError::BadResponse(format!("{what} answer: {e}")))
    }

    async fn token_request(&self, form: &[(&str, &str)]) -> Result<Tokens, ProviderError> {
        let metadata = self.metadata().await?;
        let started = std::time::Instant::now();
        let answer = self
            .oauth_json::<RawTokens>(
                self.http.post(metadata.token_endpoint.clone()).form(form),
                "token",
            )
            .await;
        tracing::debug!(
            "the token endpoint answered in {} µs",
            started.elapsed().as_micros()
        );
        let raw = answer?;
        // Only bearer tokens are asked for; RFC 6750 spells the type in any case.
        if !raw.token_type.eq_ignore_ascii_case("bearer") {
            return Err(ProviderError::BadResponse(format!(
                "token type {:?} is not supported",
                raw.token_type
            )));
        }
        // RFC 6749 Appendix A: a token is printable ASCII; one with a line
        // break would forge lines wherever it is printed (git's helper).
        let values = [
            Some(&raw.access_token),
            raw.refresh_token.as_ref(),
            raw.id_token.as_ref(),
        ];
        if !values
            .into_iter()
            .flatten()
            .all(|value| text::is_token_value(value))
        {
            return Err(ProviderError::BadResponse(
                "the token answer holds a token with characters no token may have (RFC 6749 Appendix A)".into(),
            ));
        }
        Ok(Tokens {
            access_token: AccessToken::new(raw.access_token),
            expires_in: lifetime(seconds(raw.expires_in)),
            refresh_token: raw.refresh_token.map(RefreshToken::new),
            id_token: raw.id_token.map(IdToken::new),
            scope: raw.scope,
        })
    }

    /// The authorization_code grant with the PKCE verifier (RFC 7636 §4.5).
    pub async fn exchange_code(
        &self,
        client_id: &str,
        code: &AuthorizationCode,
        verifier: &CodeVerifier,
        redirect_uri: &str,
        audience: Option<&str>,
    ) -> Result<Tokens, ProviderError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", code.secret()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.secret()),
        ];
        if let Some(audience) = audience {
            form.push(("audience", audience));
        }
        self.token_request(&form).await
    }

    /// The refresh_token grant (RFC 6749 §6).
    pub async fn refresh(
        &self,
        client_id: &str,
        refresh_token: &RefreshToken,
    ) -> Result<Tokens, ProviderError> {
        self.token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token.secret()),
        ])
        .await
    }

    /// Token revocation (RFC 7009 §2.1); a public client names itself.
    pub async fn revoke(
        &self,
        client_id: &str,
        refresh_token: &RefreshToken,
    ) -> Result<(), ProviderError> {
        let metadata = self.metadata().await?;
        let endpoint = metadata
            .revocation_endpoint()
            .ok_or(ProviderError::NoRevocation)?;
        let response = self
            .http
            .post(endpoint)
            .form(&[
                ("client_id", client_id),
                ("token", refresh_token.secret()),
                ("token_type_hint", "refresh_token"),
            ])
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body = self.read(response, "revocation").await?;
        Err(oauth_error(status, &body))
    }

    /// The user's picture as a `data:` URL, so the window shows it without
    /// loading remote content. Images only, 256 KiB at most; redirects are
    /// followed (pictures live on CDNs), unlike on the OAuth endpoints.
    pub async fn picture_data_url(&self, url: &str) -> Option<String> {
        const LIMIT: usize = 256 * 1024;
        let url = text::web_address(url).ok()?;
        let client = http::client(Duration::from_secs(10), 3);
        let mut response = client.get(url).send().await.ok()?.error_for_status().ok()?;
        let media_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)?
            .to_str()
            .ok()?
            .split(';')
            .next()?
            .trim()
            .to_owned();
        if !media_type.starts_with("image/") {
            return None;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.ok()? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > LIMIT {
                return None;
            }
        }
        Some(format!(
            "data:{media_type};base64,{}",
            STANDARD.encode(&bytes)
        ))
    }

    async fn jwks(&self, refetch: bool) -> Result<Arc<JwkSet>, ProviderError> {
        if !refetch {
            if let Some(jwks) = self.jwks.read().unwrap_or_else(|p| p.into_inner()).clone() {
                return Ok(jwks);
            }
        }
        let metadata = self.metadata().await?;
        let response = self
            .http
            .get(metadata.jwks_uri.clone())
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        if !response.status().is_success() {
            return Err(ProviderError::BadResponse(format!(
                "the JWKS answered {}",
                response.status()
            )));
        }
        let body = self.read(response, "JWKS").await?;
        let jwks: JwkSet = serde_json::from_slice(&body)
            .map_err(|e| ProviderError::BadResponse(format!("JWKS: {e}")))?;
        let jwks = Arc::new(jwks);
        *self.jwks.write().unwrap_or_else(|p| p.into_inner()) = Some(jwks.clone());
        Ok(jwks)
    }

    /// ID token validation, OpenID Connect Core §3.1.3.7: signature against
    /// the JWKS (re-fetched once for an unknown key), iss, aud, azp, exp,
    /// iat, and the nonce of the attempt when the engine knows it.
    pub async fn verify_id_token(
        &self,
        id_token: &IdToken,
        client_id: &str,
        nonce: Option<&Nonce>,
    ) -> Result<IdClaims, ProviderError> {
        let invalid = |why: String| ProviderError::InvalidIdToken(why);
        let header =
            jsonwebtoken::decode_header(id_token.secret()).map_err(|e| invalid(e.to_string()))?;
        if !ID_TOKEN_ALGORITHMS.contains(&header.alg) {
            return Err(invalid(format!(
                "signature algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let mut jwks = self.jwks(false).await?;
        let find = |jwks: &JwkSet| match &header.kid {
            Some(kid) => jwks.find(kid).cloned(),
            None => (jwks.keys.len() == 1).then(|| jwks.keys[0].clone()),
        };
        let jwk = match find(&jwks) {
            Some(jwk) => jwk,
            None => {
                jwks = self.jwks(true).await?;
                find(&jwks)
                    .ok_or_else(|| invalid("no key in the provider's JWKS matches it".into()))?
            }
        };
        let key = DecodingKey::from_jwk(&jwk).map_err(|e| invalid(e.to_string()))?;
        let metadata = self.metadata().await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&metadata.issuer]);
        validation.set_audience(&[client_id]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 60;
        let claims = jsonwebtoken::decode::<IdClaims>(id_token.secret(), &key, &validation)
            .map_err(|e| invalid(e.to_string()))?
            .claims;
        check_claims(&claims, client_id, nonce).map_err(|why| invalid(why.into()))?;
        Ok(claims)
    }
}

/// The checks of OpenID Connect Core §3.1.3.7 that the JWT library leaves
/// to the caller: `azp` (items 4 and 5) and `nonce` (item 11).
fn check_claims(
    claims: &IdClaims,
    client_id: &str,
    nonce: Option<&Nonce>,
) -> Result<(), &'static str> {
    let several_audiences = claims.aud.as_array().is_some_and(|a| a.len() > 1);
    match claims.azp.as_deref() {
        Some(azp) if azp != client_id => return Err("azp names another client"),
        None if several_audiences => return Err("several audiences but no azp"),
        _ => {}
    }
    if let Some(expected) = nonce {
        let matches = claims
            .nonce
            .as_deref()
            .is_some_and(|n| bool::from(n.as_bytes().ct_eq(expected.as_str().as_bytes())));
        if !matches {
            return Err("nonce does not match the sign-in attempt");
        }
    }
    Ok(())
}

/// An error status from the provider: its own OAuth error when it sent one,
/// otherwise a bad gateway of ours.
fn oauth_error(status: reqwest::StatusCode, body: &[u8]) -> ProviderError {
    match serde_json::from_slice::<OAuthErrorBody>(body) {
        Ok(e) if status.is_client_error() => ProviderError::OAuth {
            status: status.as_u16(),
            description: e.error_description.unwrap_or_else(|| e.error.clone()),
            error: e.error,
        },
        _ => ProviderError::BadResponse(format!("the provider answered {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(aud: serde_json::Value, azp: Option<&str>, nonce: Option<&str>) -> IdClaims {
        serde_json::from_value(serde_json::json!({
            "sub": "ada", "aud": aud, "azp": azp, "nonce": nonce,
        }))
        .unwrap()
    }

    #[test]
    fn id_token_claims_must_name_this_client_and_this_attempt() {
        let nonce = Nonce::new("n-1");
        let ok = claims(serde_json::json!("app"), None, Some("n-1"));
        assert_eq!(check_claims(&ok, "app", Some(&nonce)), Ok(()));
        assert_eq!(
            check_claims(&ok, "app", None),
            Ok(()),
            "refreshes carry no fresh nonce"
        );
        let wrong_nonce = claims(serde_json::json!("app"), None, Some("n-2"));
        assert!(check_claims(&wrong_nonce, "app", Some(&nonce)).is_err());
        let no_nonce = claims(serde_json::json!("app"), None, None);
        assert!(check_claims(&no_nonce, "app", Some(&nonce)).is_err());
        let other_azp = claims(
            serde_json::json!(["app", "api"]),
            Some("other"),
            Some("n-1"),
        );
        assert!(check_claims(&other_azp, "app", Some(&nonce)).is_err());
        let no_azp = claims(serde_json::json!(["app", "api"]), None, Some("n-1"));
        assert!(check_claims(&no_azp, "app", Some(&nonce)).is_err());
        let right_azp = claims(serde_json::json!(["app", "api"]), Some("app"), Some("n-1"));
        assert_eq!(check_claims(&right_azp, "app", Some(&nonce)), Ok(()));
    }

    #[test]
    fn auth0_revocation_is_known_even_when_not_advertised() {
        let metadata = |issuer: &str| Metadata {
            issuer: issuer.into(),
            authorization_endpoint: Url::parse("https://x/authorize").unwrap(),
            token_endpoint: Url::parse("https://x/oauth/token").unwrap(),
            jwks_uri: Url::parse("https://x/jwks").unwrap(),
            userinfo_endpoint: None,
            revocation_endpoint: None,
            device_authorization_endpoint: None,
            authorization_response_iss_parameter_supported: false,
        };
        assert_eq!(
            metadata("https://tenant.eu.auth0.com/")
                .revocation_endpoint()
                .unwrap()
                .as_str(),
            "https://tenant.eu.auth0.com/oauth/revoke"
        );
        assert!(metadata("https://login.example.com/")
            .revocation_endpoint()
            .is_none());
    }

    #[test]
    fn lifetimes_are_clamped_to_what_can_be_acted_on() {
        assert_eq!(lifetime(Some(0)), LIFETIME_MIN);
        assert_eq!(lifetime(Some(1)), LIFETIME_MIN);
        assert_eq!(lifetime(Some(3600)), 3600);
        assert_eq!(lifetime(Some(u64::MAX)), LIFETIME_MAX);
        assert_eq!(lifetime(None), DEFAULT_EXPIRES_IN);
        assert!(i64::try_from(LIFETIME_MAX).is_ok());
    }

    #[test]
    fn expires_in_may_come_as_a_string() {
        assert_eq!(seconds(Some(serde_json::json!(3600))), Some(3600));
        assert_eq!(seconds(Some(serde_json::json!("60"))), Some(60));
        assert_eq!(seconds(Some(serde_json::json!(-1))), None);
        assert_eq!(seconds(None), None);
    }

    #[test]
    fn oauth_errors_pass_through_and_others_are_bad_gateways() {
        let body = br#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#;
        match oauth_error(reqwest::StatusCode::BAD_REQUEST, body) {
            ProviderError::OAuth {
                status,
                error,
                description,
            } => {
                assert_eq!(
                    (status, error.as_str(), description.as_str()),
                    (400, "invalid_grant", "grant request is invalid")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            oauth_error(reqwest::StatusCode::INTERNAL_SERVER_ERROR, b"oops"),
            ProviderError::BadResponse(_)
        ));
    }
}
