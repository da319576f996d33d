//! The authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3), pushed
//! first where the provider or the configuration asks (RFC 9126), and the
//! checks on the answer that comes back to the redirect URI.

use percent_encoding::percent_decode_str;
use serde::Deserialize;
use url::Url;

use super::{Provider, ProviderError};
use crate::pkce::{CodeChallenge, Nonce, State};
use crate::text;

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

impl AuthorizeRequest {
    /// The request's parameters, in the order they are sent.
    fn parameters(&self) -> Vec<(&str, String)> {
        let mut parameters = vec![
            ("response_type", "code".to_owned()),
            ("client_id", self.client_id.clone()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("scope", self.scopes.join(" ")),
            ("state", self.state.as_str().to_owned()),
            ("nonce", self.nonce.as_str().to_owned()),
            ("code_challenge", self.challenge.as_str().to_owned()),
            ("code_challenge_method", "S256".to_owned()),
        ];
        if let Some(mode) = &self.response_mode {
            parameters.push(("response_mode", mode.clone()));
        }
        if let Some(audience) = &self.audience {
            parameters.push(("audience", audience.clone()));
        }
        parameters.extend(self.extra.iter().map(|(n, v)| (n.as_str(), v.clone())));
        parameters
    }
}

/// Where the browser goes to sign in.
#[derive(Debug)]
pub struct Authorization {
    pub url: Url,
    /// Whether the request was pushed first (RFC 9126): the URL carries
    /// only a reference, good for one use.
    pub pushed: bool,
}

/// The pushed authorization response (RFC 9126 §2.2).
#[derive(Deserialize)]
struct Pushed {
    request_uri: String,
}

/// The longest `request_uri` believed: RFC 9126 §2.2's examples are
/// under 100 characters; one near this is not a reference.
const REQUEST_URI_MAX: usize = 2048;

/// Whether the answer's `iss` names the issuer: exactly (RFC 9207 §2.4),
/// or once percent-decoded, exactly. Glewlwyd's `form_post` page posts its
/// values percent-encoded a second time; a decoding that gives the issuer
/// exactly is that issuer, and anything else is still refused.
fn names_issuer(iss: &str, issuer: &str) -> bool {
    iss == issuer
        || percent_decode_str(iss)
            .decode_utf8()
            .is_ok_and(|decoded| decoded == issuer)
}

impl Provider {
    /// The authorize URL (RFC 6749 §4.1.1 with RFC 7636 §4.3): every
    /// parameter in it, or, where the provider requires pushed requests or
    /// `push` asks for them, the `request_uri` of a request pushed first
    /// (RFC 9126 §4), so that nothing of it passes through the browser.
    pub async fn authorize_url(
        &self,
        request: &AuthorizeRequest,
        push: bool,
    ) -> Result<Authorization, ProviderError> {
        let metadata = self.metadata().await?;
        let mut url = metadata.authorization_endpoint.clone();
        let pushed = push || metadata.require_pushed_authorization_requests;
        if pushed {
            let endpoint = metadata
                .pushed_authorization_request_endpoint
                .clone()
                .ok_or(ProviderError::NoPushedRequests)?;
            let request_uri = self.push(endpoint, request).await?;
            url.query_pairs_mut()
                .append_pair("client_id", &request.client_id)
                .append_pair("request_uri", &request_uri);
        } else {
            url.query_pairs_mut().extend_pairs(request.parameters());
        }
        Ok(Authorization { url, pushed })
    }

    /// Pushes the request (RFC 9126 §2.1), with the client secret where
    /// there is one, and returns
    /// the reference the browser carries instead.
    async fn push(
        &self,
        endpoint: Url,
        request: &AuthorizeRequest,
    ) -> Result<String, ProviderError> {
        let parameters = request.parameters();
        let named: Vec<(&str, &str)> = parameters.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let form = self.with_secret(&named);
        let pushed: Pushed = self
            .oauth_json(self.http.post(endpoint).form(&form), "pushed authorization")
            .await?;
        if pushed.request_uri.len() > REQUEST_URI_MAX || !text::is_token_value(&pushed.request_uri)
        {
            return Err(ProviderError::BadResponse(
                "the pushed authorization answer's request_uri is not a reference".into(),
            ));
        }
        Ok(pushed.request_uri)
    }

    /// Asks the authorization endpoint, as a browser would but without
    /// following it, whether it takes the request: an error status means
    /// it refused it before anyone signed in (RFC 6749 §4.1.2.1 has it
    /// refuse an unknown redirect URI without redirecting to it).
    pub async fn try_authorize(&self, url: &Url) -> Result<(), ProviderError> {
        let response = self
            .http
            .get(url.clone())
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status();
        if status.is_client_error() || status.is_server_error() {
            return Err(ProviderError::Answered {
                what: "authorization",
                status,
                said_nothing: false,
            });
        }
        Ok(())
    }

    /// RFC 9207 §2.4: the answer's `iss` must name this provider.
    pub async fn check_response_issuer(&self, iss: Option<&str>) -> Result<(), ProviderError> {
        let metadata = self.metadata().await?;
        match iss {
            Some(iss) if names_issuer(iss, &metadata.issuer) => Ok(()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_encoded_once_is_that_issuer_and_nothing_else_is() {
        let issuer = "http://127.0.0.1:4593/api/oidc";
        assert!(names_issuer(issuer, issuer));
        assert!(names_issuer(
            "http%3A%2F%2F127.0.0.1%3A4593%2Fapi%2Foidc",
            issuer
        ));
        assert!(!names_issuer(
            "http%3A%2F%2Fevil.example%2Fapi%2Foidc",
            issuer
        ));
        assert!(
            !names_issuer(
                "http%253A%252F%252F127.0.0.1%253A4593%252Fapi%252Foidc",
                issuer
            ),
            "twice encoded"
        );
        assert!(!names_issuer(
            "http%3A%2F%2F127.0.0.1%3A4593%2Fapi%2Foidc%2F",
            issuer
        ));
        assert!(!names_issuer("http://127.0.0.1:4593/api/oidc/", issuer));
        assert!(!names_issuer("%ff", issuer));
        assert!(!names_issuer("", issuer));
    }

    #[test]
    fn every_parameter_of_the_request_is_sent() {
        let request = AuthorizeRequest {
            client_id: "app".into(),
            redirect_uri: "http://127.0.0.1:1000/pkce/response/code".into(),
            state: State::generate(),
            nonce: Nonce::new("n"),
            challenge: crate::pkce::CodeVerifier::generate().challenge(),
            scopes: vec!["openid".into(), "email".into()],
            response_mode: Some("form_post".into()),
            audience: Some("https://api".into()),
            extra: vec![("prompt".into(), "login".into())],
        };
        let names: Vec<&str> = request.parameters().iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
                "response_mode",
                "audience",
                "prompt"
            ]
        );
    }
}
