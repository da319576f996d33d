//! The token endpoint (RFC 6749 §3.2): the code exchange, refreshes, and
//! what is believed of the answer.

use serde::Deserialize;

use super::{Provider, ProviderError};
use crate::pkce::CodeVerifier;
use crate::preset::Preset;
use crate::secret::{AccessToken, AuthorizationCode, IdToken, RefreshToken};
use crate::text;

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

/// The lifetime assumed for an access token whose response has no
/// `expires_in` (RFC 6749 §5.1 makes it optional; Auth0 always sends it).
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

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
pub(super) fn seconds(value: Option<serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

impl Provider {
    pub(super) async fn token_request(
        &self,
        form: &[(&str, &str)],
    ) -> Result<Tokens, ProviderError> {
        let metadata = self.metadata().await?;
        let started = std::time::Instant::now();
        let answer = self
            .oauth_json::<RawTokens>(
                self.http
                    .post(metadata.token_endpoint.clone())
                    .form(&self.with_secret(form)),
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
        self.refresh_narrowed(client_id, refresh_token, None, None)
            .await
    }

    /// The refresh_token grant for a token narrower than the grant, or for
    /// another API: `scope` a subset of the granted scopes (RFC 6749 §6),
    /// `resource` the API (RFC 8707; Auth0 takes it as `audience`).
    pub async fn refresh_narrowed(
        &self,
        client_id: &str,
        refresh_token: &RefreshToken,
        scope: Option<&str>,
        resource: Option<&str>,
    ) -> Result<Tokens, ProviderError> {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token.secret()),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        if let Some(resource) = resource {
            form.push(("resource", resource));
            if self.preset == Preset::Auth0 {
                form.push(("audience", resource));
            }
        }
        self.token_request(&form).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
