//! ID token validation (OpenID Connect Core §3.1.3.7): the signature
//! against the provider's keys, then every claim that ties the token to
//! this provider, this client and this sign-in.

use std::sync::Arc;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{Provider, ProviderError};
use crate::pkce::Nonce;
use crate::secret::IdToken;

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
    iss: String,
    /// Entra ID's tenant, which its multi-tenant issuers leave open.
    tid: Option<String>,
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
        // The issuer is compared below, once the token's tenant is known.
        validation.set_audience(&[client_id]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 60;
        let claims = jsonwebtoken::decode::<IdClaims>(id_token.secret(), &key, &validation)
            .map_err(|e| invalid(e.to_string()))?
            .claims;
        let issuer = self
            .preset
            .token_issuer(&metadata.issuer, claims.tid.as_deref())
            .map_err(|why| invalid(why.into()))?;
        if claims.iss != issuer {
            return Err(invalid(format!(
                "it names issuer {:?}, not {issuer:?}",
                claims.iss
            )));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(aud: serde_json::Value, azp: Option<&str>, nonce: Option<&str>) -> IdClaims {
        serde_json::from_value(serde_json::json!({
            "sub": "ada", "aud": aud, "azp": azp, "nonce": nonce, "iss": "https://op",
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
}
