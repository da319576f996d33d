//! Sign-out at the provider: token revocation (RFC 7009).

use super::{oauth_error, Provider, ProviderError};
use crate::engine::secret::RefreshToken;

impl Provider {
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
}
