//! The big providers' documented deviations from the letter of OpenID
//! Connect, known by the issuer's host or named in the configuration
//! (`preset`), each kept to what its documentation says and no further.

use clap::ValueEnum;
use serde::Deserialize;
use url::Url;

/// A provider family whose documentation pkce-tray follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// OpenID Connect as written.
    #[default]
    Standard,
    /// Auth0: `audience` for API access tokens, `/oauth/revoke` known even
    /// where discovery does not name it.
    Auth0,
    /// Google: desktop clients send the `client_secret` Google issued them
    /// ("not treated as a secret", Google's OAuth 2.0 for installed apps);
    /// refresh tokens come with `access_type=offline`, not `offline_access`.
    Google,
    /// Microsoft Entra ID: the multi-tenant endpoints (`common`,
    /// `organizations`) name the issuer as a template,
    /// `https://login.microsoftonline.com/{tenantid}/v2.0`, which the ID
    /// token's `tid` fills in (Entra ID's "Validate tokens").
    Entra,
    /// Keycloak: issuers under `/realms/NAME`; OpenID Connect as written.
    Keycloak,
    /// Okta: custom authorization servers under `/oauth2/NAME`;
    /// `offline_access` for refresh tokens; OpenID Connect as written.
    Okta,
    /// GitLab: no `offline_access` scope (refresh tokens come always);
    /// the device grant and PKCE as written.
    Gitlab,
}

/// The multi-tenant path segments of Entra ID's endpoints.
/// (`consumers` names one fixed tenant's issuer, no template.)
const ENTRA_TENANTS: [&str; 2] = ["common", "organizations"];
/// Entra ID's placeholder in multi-tenant issuers.
const TENANT: &str = "{tenantid}";

impl Preset {
    /// The preset an issuer's host names, `Standard` for any other.
    pub fn recognise(issuer: &Url) -> Self {
        let host = issuer.host_str().unwrap_or_default().to_ascii_lowercase();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if under("auth0.com") {
            Self::Auth0
        } else if host == "accounts.google.com" {
            Self::Google
        } else if host == "login.microsoftonline.com" {
            Self::Entra
        } else if under("okta.com") || under("oktapreview.com") {
            Self::Okta
        } else if host == "gitlab.com" {
            Self::Gitlab
        } else if issuer.path().starts_with("/realms/") {
            Self::Keycloak
        } else {
            Self::Standard
        }
    }

    /// The scopes of the app's own sign-in when the configuration names none.
    pub fn default_scope(self) -> &'static str {
        match self {
            Self::Google | Self::Gitlab => "openid profile email",
            _ => "openid profile email offline_access",
        }
    }

    /// What the app's own authorization requests add.
    pub fn authorize_parameters(self) -> &'static [(&'static str, &'static str)] {
        match self {
            // A refresh token is only issued with offline access, and only
            // on a consent, not on a silent re-authorization.
            Self::Google => &[("access_type", "offline"), ("prompt", "consent")],
            _ => &[],
        }
    }

    /// Whether the discovery document's `issuer` is this configured issuer:
    /// the same (OpenID Connect Discovery §4.3), or, for Entra ID's
    /// multi-tenant endpoints, its template.
    pub fn is_issuer(self, configured: &Url, document: &str) -> bool {
        let configured = configured.as_str();
        if document == configured || document == configured.trim_end_matches('/') {
            return true;
        }
        self == Self::Entra
            && entra_template(configured).is_some_and(|template| {
                template == document || template.trim_end_matches('/') == document
            })
    }

    /// The issuer an ID token must name: the document's, or, for a
    /// template, the template with the token's own tenant (`tid`) in it.
    pub fn token_issuer(self, document: &str, tid: Option<&str>) -> Result<String, &'static str> {
        if self != Self::Entra || !document.contains(TENANT) {
            return Ok(document.to_owned());
        }
        let tid = tid.ok_or("a multi-tenant ID token without tid")?;
        let plausible = !tid.is_empty()
            && tid.len() <= 64
            && tid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !plausible {
            return Err("tid is not a tenant identifier");
        }
        Ok(document.replace(TENANT, tid))
    }
}

/// `https://login.microsoftonline.com/common/v2.0` becomes
/// `https://login.microsoftonline.com/{tenantid}/v2.0`; other issuers
/// have no template.
fn entra_template(configured: &str) -> Option<String> {
    let url = Url::parse(configured).ok()?;
    let mut segments = url.path_segments()?;
    let tenant = segments.next()?;
    ENTRA_TENANTS.contains(&tenant).then(|| {
        let rest: Vec<&str> = segments.collect();
        let mut template = url.clone();
        template.set_path("");
        format!("{}{TENANT}/{}", template.as_str(), rest.join("/"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn presets_are_recognised_by_their_issuers() {
        for (issuer, preset) in [
            ("https://tenant.eu.auth0.com/", Preset::Auth0),
            ("https://accounts.google.com", Preset::Google),
            (
                "https://login.microsoftonline.com/common/v2.0",
                Preset::Entra,
            ),
            ("https://acme.okta.com/oauth2/default", Preset::Okta),
            ("https://gitlab.com", Preset::Gitlab),
            ("https://sso.acme.example/realms/staff", Preset::Keycloak),
            ("https://login.acme.example/", Preset::Standard),
            ("https://notauth0.com/", Preset::Standard),
            ("https://auth0.com.evil.example/", Preset::Standard),
        ] {
            assert_eq!(Preset::recognise(&url(issuer)), preset, "{issuer}");
        }
    }

    #[test]
    fn an_entra_template_stands_for_its_multi_tenant_issuer_only() {
        let common = url("https://login.microsoftonline.com/common/v2.0");
        let template = "https://login.microsoftonline.com/{tenantid}/v2.0";
        assert!(Preset::Entra.is_issuer(&common, template));
        assert!(!Preset::Standard.is_issuer(&common, template));
        let own =
            url("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0");
        assert!(
            !Preset::Entra.is_issuer(&own, template),
            "a tenant's own issuer is exact"
        );
        assert!(
            !Preset::Entra.is_issuer(&common, "https://login.microsoftonline.com/{tenantid}/v1.0")
        );
        assert!(!Preset::Entra.is_issuer(&common, "https://evil.example/{tenantid}/v2.0"));
    }

    #[test]
    fn a_template_is_filled_with_the_tokens_own_tenant() {
        let template = "https://login.microsoftonline.com/{tenantid}/v2.0";
        assert_eq!(
            Preset::Entra.token_issuer(template, Some("9188040d-6c67-4c5b-b112-36a304b66dad")),
            Ok(
                "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
                    .into()
            )
        );
        assert!(Preset::Entra.token_issuer(template, None).is_err());
        assert!(Preset::Entra.token_issuer(template, Some("")).is_err());
        assert!(Preset::Entra
            .token_issuer(template, Some("a/../b"))
            .is_err());
        let exact = "https://login.example/";
        assert_eq!(
            Preset::Entra.token_issuer(exact, Some("t")),
            Ok(exact.into())
        );
        assert_eq!(
            Preset::Standard.token_issuer(template, Some("t")),
            Ok(template.into())
        );
    }

    #[test]
    fn google_and_gitlab_get_their_refresh_tokens_their_way() {
        assert!(!Preset::Google.default_scope().contains("offline_access"));
        assert!(!Preset::Gitlab.default_scope().contains("offline_access"));
        assert!(Preset::Okta.default_scope().contains("offline_access"));
        assert!(Preset::Google
            .authorize_parameters()
            .contains(&("access_type", "offline")));
        assert!(Preset::Standard.authorize_parameters().is_empty());
    }
}
