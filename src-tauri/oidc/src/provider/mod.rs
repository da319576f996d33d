//! The OpenID Connect provider, one job per file: discovery, the
//! authorization request, the token endpoint, ID token checks, UserInfo,
//! the device grant, revocation and the picture; here the client and the
//! errors they share.

mod authorize;
mod device;
mod discovery;
mod http;
mod id_token;
mod picture;
mod revocation;
mod token;
mod userinfo;

pub use authorize::{Authorization, AuthorizeRequest};
pub use device::DeviceAuthorization;
pub use discovery::Metadata;
pub use http::oauth_client;
pub use id_token::IdClaims;
pub use token::{Tokens, DEFAULT_EXPIRES_IN};

use std::sync::{Arc, RwLock};

use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use tokio::sync::OnceCell;
use url::Url;

use super::preset::Preset;
use super::secret::ClientSecret;

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
    /// An error status with no OAuth error in the body (RFC 6749 §5.2
    /// asks for one; Glewlwyd, for one, sends a bare 401 or 403).
    #[error("the provider answered the {what} request with {status} and {}", if *.said_nothing { "said no more" } else { "no OAuth error" })]
    Answered {
        what: &'static str,
        status: reqwest::StatusCode,
        /// An empty body: nothing that could be misread as another's page.
        said_nothing: bool,
    },
    #[error("the provider sent an answer that is not OpenID Connect: {0}")]
    BadResponse(String),
    #[error("the ID token was rejected: {0}")]
    InvalidIdToken(String),
    #[error("the provider has no revocation endpoint")]
    NoRevocation,
    #[error("the provider requires pushed authorization requests (RFC 9126) but names no pushed_authorization_request_endpoint")]
    NoPushedRequests,
    #[error("the provider does not offer sign-in from another device (its discovery document names no device_authorization_endpoint); sign in with the browser, or over SSH with `pkce-tray sign-in --no-browser` and a forwarded port")]
    NoDeviceFlow,
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    error: String,
    error_description: Option<String>,
}

impl ProviderError {
    /// Whether a refresh was refused for good (RFC 6749 §5.2
    /// `invalid_grant`). Glewlwyd says so with a bare 400 and an empty
    /// body; a 400 with a page in it (a proxy's, say) is not taken for the
    /// provider's word.
    pub fn ends_the_grant(&self) -> bool {
        match self {
            Self::OAuth { error, .. } => error == "invalid_grant",
            Self::Answered {
                status,
                said_nothing,
                ..
            } => *status == reqwest::StatusCode::BAD_REQUEST && *said_nothing,
            _ => false,
        }
    }

    /// Whether the provider refused the request itself (RFC 6749 §4.1.2.1:
    /// a 400 or 403, or `invalid_request`), as it refuses a redirect URI
    /// it does not know, rather than failing or refusing the client.
    pub fn refuses_the_request(&self) -> bool {
        match self {
            Self::OAuth { status, error, .. } => {
                matches!(status, 400 | 403)
                    && matches!(error.as_str(), "invalid_request" | "invalid_redirect_uri")
            }
            Self::Answered { status, .. } => matches!(status.as_u16(), 400 | 403),
            _ => false,
        }
    }
}

/// One provider, its discovery document and JWKS fetched once and cached.
pub struct Provider {
    issuer: Url,
    /// Whose documented deviations apply: recognised from the issuer.
    preset: Preset,
    /// Sent with every request that names the client, where a provider
    /// issued one to an installed app (Google).
    client_secret: Option<ClientSecret>,
    http: reqwest::Client,
    metadata: OnceCell<Arc<Metadata>>,
    jwks: RwLock<Option<Arc<JwkSet>>>,
}

impl Provider {
    pub fn new(issuer: Url) -> Self {
        Self::reached_with(issuer, http::oauth_client())
    }

    /// The provider at `issuer`, reached through `http` (an
    /// [`http::oauth_client`] shared with other providers).
    pub fn reached_with(issuer: Url, http: reqwest::Client) -> Self {
        Self {
            preset: Preset::recognise(&issuer),
            issuer,
            client_secret: None,
            http,
            metadata: OnceCell::new(),
            jwks: RwLock::new(None),
        }
    }

    /// The same provider, taken as `preset` says, with a client secret.
    pub fn with(mut self, preset: Preset, client_secret: Option<ClientSecret>) -> Self {
        self.preset = preset;
        self.client_secret = client_secret;
        self
    }

    /// A request's form with the client secret, where there is one
    /// (`client_secret_post`, RFC 6749 §2.3.1).
    fn with_secret<'a>(&'a self, form: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut form = form.to_vec();
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.secret()));
        }
        form
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

    /// An OAuth endpoint's JSON answer (token, UserInfo, device
    /// authorization): the body capped, an error status passed on as the
    /// provider's own OAuth error where it sent one (RFC 6749 §5.2).
    async fn oauth_json<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        what: &'static str,
    ) -> Result<T, ProviderError> {
        let response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let body = self.read(response, what).await?;
        if !status.is_success() {
            return Err(oauth_error(status, &body, what));
        }
        serde_json::from_slice(&body)
            .map_err(|e| ProviderError::BadResponse(format!("{what} answer: {e}")))
    }
}

/// An error status from the provider: its own OAuth error when it sent one
/// (RFC 6749 §5.2), otherwise the status in plain words.
fn oauth_error(status: reqwest::StatusCode, body: &[u8], what: &'static str) -> ProviderError {
    match serde_json::from_slice::<OAuthErrorBody>(body) {
        Ok(e) if status.is_client_error() && !e.error.is_empty() => ProviderError::OAuth {
            status: status.as_u16(),
            description: e.error_description.unwrap_or_else(|| e.error.clone()),
            error: e.error,
        },
        _ => ProviderError::Answered {
            what,
            status,
            said_nothing: body.iter().all(u8::is_ascii_whitespace),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_errors_pass_through_and_bare_statuses_are_named() {
        let body = br#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#;
        match oauth_error(reqwest::StatusCode::BAD_REQUEST, body, "token") {
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
        for (status, body, words) in [
            (
                reqwest::StatusCode::INTERNAL_SERVER_ERROR,
                &b"oops"[..],
                "no OAuth error",
            ),
            (reqwest::StatusCode::UNAUTHORIZED, b"", "said no more"),
            (
                reqwest::StatusCode::FORBIDDEN,
                b"<html>Forbidden</html>",
                "no OAuth error",
            ),
            (
                reqwest::StatusCode::BAD_REQUEST,
                br#"{"error":""}"#,
                "no OAuth error",
            ),
        ] {
            let error = oauth_error(status, body, "revocation");
            assert!(
                matches!(error, ProviderError::Answered { .. }),
                "{status}: {error:?}"
            );
            assert_eq!(
                error.to_string(),
                format!("the provider answered the revocation request with {status} and {words}")
            );
        }
    }
}
