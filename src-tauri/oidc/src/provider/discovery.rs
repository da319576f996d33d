//! Discovery (OpenID Connect Discovery 1.0): the provider's document,
//! fetched once, every address in it checked before anything goes there.

use std::sync::Arc;

use serde::Deserialize;
use url::Url;

use super::{Provider, ProviderError};
use crate::preset::Preset;
use crate::text;

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
    /// RFC 9126 §5: where authorization requests are pushed, if anywhere.
    pub pushed_authorization_request_endpoint: Option<Url>,
    /// RFC 9126 §5: when true, an authorize URL must carry a pushed request.
    #[serde(default)]
    pub require_pushed_authorization_requests: bool,
    /// OpenID Connect RP-Initiated Logout §2.1: where a person ends their
    /// session at the provider, named when revocation fails.
    pub end_session_endpoint: Option<Url>,
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
        .chain(self.pushed_authorization_request_endpoint.as_ref())
        .chain(self.end_session_endpoint.as_ref())
    }

    /// The revocation endpoint, advertised or, for Auth0, known.
    pub fn revocation_endpoint(&self, preset: Preset) -> Option<Url> {
        self.revocation_endpoint.clone().or_else(|| {
            (preset == Preset::Auth0)
                .then(|| Url::parse(&self.issuer).ok()?.join("/oauth/revoke").ok())?
        })
    }
}

impl Provider {
    /// Where a person ends their session at the provider themselves: its
    /// end-session page (RP-Initiated Logout §2), or else its address.
    pub async fn where_to_sign_out(&self) -> String {
        match self.metadata().await {
            Ok(metadata) => metadata
                .end_session_endpoint
                .as_ref()
                .unwrap_or(&self.issuer)
                .to_string(),
            Err(_) => self.issuer.to_string(),
        }
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
                // OpenID Connect Discovery §4.3: the issuer must match
                // exactly (or be Entra ID's multi-tenant template of it).
                if !self.preset.is_issuer(&self.issuer, &metadata.issuer) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
            pushed_authorization_request_endpoint: None,
            require_pushed_authorization_requests: false,
            end_session_endpoint: None,
        };
        assert_eq!(
            metadata("https://login.acme.example/")
                .revocation_endpoint(Preset::Auth0)
                .unwrap()
                .as_str(),
            "https://login.acme.example/oauth/revoke",
            "an Auth0 tenant behind a custom domain"
        );
        assert!(metadata("https://login.example.com/")
            .revocation_endpoint(Preset::Standard)
            .is_none());
    }
}
