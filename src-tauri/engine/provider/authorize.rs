//! The authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3) and
//! the checks on the answer that comes back to the redirect URI.

use url::Url;

use super::{Provider, ProviderError};
use crate::engine::pkce::{CodeChallenge, Nonce, State};

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

impl Provider {
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
}
