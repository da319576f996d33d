//! The big providers' documented deviations (issue 23), each against a
//! local stand-in that behaves as that provider documents (an in-process
//! fake provider): none of them was tried live, as nothing here reaches a
//! network. The provider table in docs/providers.md says the same.

use crate::common;

use common::fake::{fake, key, now, signed, Answers, Key};
use pkce_tray_engine::pkce::Nonce;
use pkce_tray_engine::preset::Preset;
use pkce_tray_engine::provider::{Provider, ProviderError};
use pkce_tray_engine::secret::{ClientSecret, IdToken, RefreshToken};
use serde_json::{json, Value};
use url::Url;

const CLIENT: &str = common::CLIENT_ID;
const TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

fn claims(issuer: &str) -> Value {
    json!({
        "iss": issuer, "aud": CLIENT, "sub": "ada", "iat": now(), "exp": now() + 300,
        "nonce": "n",
    })
}

async fn verify(provider: &Provider, key: &Key, claims: &Value) -> Result<(), ProviderError> {
    provider
        .verify_id_token(
            &IdToken::new(signed(key, claims)),
            CLIENT,
            Some(&Nonce::new("n")),
        )
        .await
        .map(|_| ())
}

fn tokens() -> (axum::http::StatusCode, Vec<u8>) {
    (
        axum::http::StatusCode::OK,
        br#"{"access_token":"a","token_type":"Bearer","expires_in":3599,"refresh_token":"r"}"#
            .to_vec(),
    )
}

/// Entra ID's multi-tenant endpoint: discovery names the issuer
/// `…/{tenantid}/v2.0`; each ID token names its own tenant in `tid` and
/// in `iss`, and the two must agree.
#[tokio::test]
async fn entra_multi_tenant_issuers_are_checked_against_the_tokens_tenant() {
    let key = key();
    let issuer = fake(Answers {
        path: "/common/v2.0",
        document_issuer: Some("ORIGIN/{tenantid}/v2.0"),
        ..Answers::with(&key)
    })
    .await;
    let origin = issuer.trim_end_matches("/common/v2.0").to_owned();
    let entra = Provider::new(Url::parse(&issuer).unwrap()).with(Preset::Entra, None);
    let tenant_issuer = format!("{origin}/{TENANT}/v2.0");

    let mut good = claims(&tenant_issuer);
    good["tid"] = json!(TENANT);
    verify(&entra, &key, &good).await.unwrap();

    let mut other_tenant = good.clone();
    other_tenant["tid"] = json!("00000000-0000-0000-0000-000000000000");
    let mut no_tid = good.clone();
    no_tid.as_object_mut().unwrap().remove("tid");
    let mut template = good.clone();
    template["iss"] = json!(format!("{origin}/{{tenantid}}/v2.0"));
    for (case, claims) in [
        ("a tid that is not the issuer's tenant", other_tenant),
        ("no tid", no_tid),
        ("the template itself as iss", template),
    ] {
        assert!(
            matches!(
                verify(&entra, &key, &claims).await,
                Err(ProviderError::InvalidIdToken(_))
            ),
            "{case}"
        );
    }
    // Without the preset, a template is not the configured issuer.
    let standard = Provider::new(Url::parse(&issuer).unwrap()).with(Preset::Standard, None);
    assert!(matches!(
        verify(&standard, &key, &good).await,
        Err(ProviderError::BadResponse(_))
    ));
}

/// Google's desktop clients: the token endpoint insists on the client
/// secret Google issued (and documents as not secret).
#[tokio::test]
async fn google_gets_the_client_secret_it_insists_on() {
    let key = key();
    let issuer = fake(Answers {
        token: tokens(),
        client_secret: Some("GOCSPX-not-secret".into()),
        ..Answers::with(&key)
    })
    .await;
    let url = Url::parse(&issuer).unwrap();
    let refresh = |provider: Provider| async move {
        provider
            .refresh(CLIENT, &RefreshToken::new("r".into()))
            .await
            .map(|tokens| tokens.expires_in)
    };
    let with_secret = Provider::new(url.clone()).with(
        Preset::Google,
        Some(ClientSecret::new("GOCSPX-not-secret".into())),
    );
    assert_eq!(refresh(with_secret).await.unwrap(), 3599);
    match refresh(Provider::new(url).with(Preset::Google, None)).await {
        Err(ProviderError::OAuth { status, error, .. }) => {
            assert_eq!((status, error.as_str()), (401, "invalid_client"))
        }
        other => panic!("{other:?}"),
    }
}

/// Keycloak (`/realms/NAME`) and Okta (`/oauth2/NAME`): issuers with a
/// path, their discovery document under it, nothing else different.
#[tokio::test]
async fn issuers_with_a_path_are_found_and_matched() {
    let key = key();
    for (path, preset) in [
        ("/realms/pkce-tray", Preset::Keycloak),
        ("/oauth2/default", Preset::Standard),
    ] {
        let issuer = fake(Answers {
            path,
            ..Answers::with(&key)
        })
        .await;
        let url = Url::parse(&issuer).unwrap();
        assert_eq!(Preset::recognise(&url), preset, "{issuer}");
        verify(&Provider::new(url), &key, &claims(&issuer))
            .await
            .unwrap_or_else(|e| panic!("{issuer}: {e}"));
    }
}
