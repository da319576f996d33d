//! UserInfo (OpenID Connect Core §5.3): where a provider may keep the
//! profile claims out of the ID token (§5.4 lets it, once it issues an
//! access token), the name and email to show come from here.

use super::{Provider, ProviderError};
use crate::secret::AccessToken;
use crate::User;

impl Provider {
    /// The profile the access token's owner may see. Its `sub` is the
    /// caller's to compare with the ID token's (§5.3.2).
    pub async fn userinfo(&self, access_token: &AccessToken) -> Result<User, ProviderError> {
        let metadata = self.metadata().await?;
        let endpoint = metadata.userinfo_endpoint.clone().ok_or_else(|| {
            ProviderError::BadResponse("the provider advertises no userinfo_endpoint".into())
        })?;
        let request = self.http.get(endpoint).bearer_auth(access_token.secret());
        self.oauth_json(request, "UserInfo").await
    }
}
