//! Sign-out at the provider: token revocation (RFC 7009), as a public
//! client first, then with the access token where the provider wants one.

use super::{oauth_error, Provider, ProviderError};
use crate::secret::{AccessToken, RefreshToken};

impl Provider {
    /// Revokes the refresh token (RFC 7009 §2.1). A public client names
    /// itself; where the provider refuses that as client authentication
    /// (Glewlwyd takes only a confidential client's secret, or an access
    /// token with the scope its configuration names, as a Bearer
    /// credential, RFC 6750 §2.1), the request is made once more with the
    /// access token, if one is at hand.
    pub async fn revoke(
        &self,
        client_id: &str,
        refresh_token: &RefreshToken,
        access_token: Option<&AccessToken>,
    ) -> Result<(), ProviderError> {
        let metadata = self.metadata().await?;
        let endpoint = metadata
            .revocation_endpoint(self.preset)
            .ok_or(ProviderError::NoRevocation)?;
        let form = self.with_secret(&[
            ("client_id", client_id),
            ("token", refresh_token.secret()),
            ("token_type_hint", "refresh_token"),
        ]);
        let first = self
            .revocation(self.http.post(endpoint.clone()).form(&form))
            .await;
        match (first, access_token) {
            (Err(refused), Some(access_token)) if refuses_the_client(&refused) => {
                tracing::info!("the provider refused revocation by a public client ({refused}); trying again with the access token");
                let request = self
                    .http
                    .post(endpoint)
                    .bearer_auth(access_token.secret())
                    .form(&form);
                self.revocation(request).await
            }
            (outcome, _) => outcome,
        }
    }

    async fn revocation(&self, request: reqwest::RequestBuilder) -> Result<(), ProviderError> {
        let response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let body = self.read(response, "revocation").await?;
        Err(oauth_error(status, &body, "revocation"))
    }
}

/// Whether a failed revocation was a refusal of who asked (RFC 7009 §2.2.1
/// with RFC 6749 §5.2's `invalid_client`, or a bare 401 or 403), which
/// another credential may overcome, rather than of the token.
fn refuses_the_client(error: &ProviderError) -> bool {
    match error {
        ProviderError::OAuth { status, error, .. } => {
            error == "invalid_client"
                || error == "unauthorized_client"
                || matches!(status, 401 | 403)
        }
        ProviderError::Answered { status, .. } => matches!(status.as_u16(), 401 | 403),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_refusal_of_the_client_is_tried_again() {
        let oauth = |status, error: &str| ProviderError::OAuth {
            status,
            error: error.into(),
            description: String::new(),
        };
        let bare = |status| ProviderError::Answered {
            what: "revocation",
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            said_nothing: true,
        };
        assert!(refuses_the_client(&oauth(401, "invalid_client")));
        assert!(refuses_the_client(&oauth(400, "unauthorized_client")));
        assert!(refuses_the_client(&bare(401)));
        assert!(refuses_the_client(&bare(403)));
        assert!(!refuses_the_client(&oauth(400, "unsupported_token_type")));
        assert!(!refuses_the_client(&bare(500)));
        assert!(!refuses_the_client(&ProviderError::NoRevocation));
        assert!(!refuses_the_client(&ProviderError::Unreachable("x".into())));
    }
}
