//! UserInfo (OpenID Connect Core §5.3): where a provider may keep the
//! profile claims out of the ID token (§5.4 lets it, once it issues an
//! access token), the name and email to show come from here.

use reqwest::header::ACCEPT;

use super::{oauth_error, Provider, ProviderError};
use crate::engine::events::User;
use crate::engine::secret::AccessToken;

impl Provider {
    /// The profile the access token's owner may see. Its `sub` is the
    /// caller's to compare with the ID token's (§5.3.2).
    pub async fn userinfo(&self, access_token: &AccessToken) -> Result<User, ProviderError> {
        let metadata = self.metadata().await?;
        let endpoint = metadata.userinfo_endpoint.clone().ok_or_else(|| {
            ProviderError::BadResponse("the provider advertises no userinfo_endpoint".into())
        })?;
        let response = self
            .http
            .get(endpoint)
            .bearer_auth(access_token.secret())
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let body = self.read(response, "UserInfo").await?;
        if !status.is_success() {
            return Err(oauth_error(status, &body));
        }
        serde_json::from_slice(&body)
            .map_err(|e| ProviderError::BadResponse(format!("UserInfo answer: {e}")))
    }
}
