//! What a provider may send that must never be believed: the ID-token
//! negative matrix and garbage answers, from an in-process fake provider
//! (axum on loopback) to the app's real provider client. The happy paths
//! are proven against the real provider elsewhere; these are the faults a
//! real provider does not make on demand.

use crate::common;

use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::fake::{fake, key, now, signed, Answers, Key, KID};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use pkce_tray_engine::pkce::Nonce;
use pkce_tray_engine::provider::{Provider, ProviderError};
use pkce_tray_engine::secret::{IdToken, RefreshToken};
use serde_json::{json, Value};
use url::Url;

const CLIENT: &str = common::CLIENT_ID;

fn claims(issuer: &str) -> Value {
    json!({
        "iss": issuer,
        "aud": CLIENT,
        "sub": "ada",
        "iat": now(),
        "exp": now() + 300,
        "nonce": "the-nonce",
    })
}

fn answers(key: &Key) -> Answers {
    Answers::with(key)
}

async fn verify(issuer: &str, token: String) -> Result<(), ProviderError> {
    let provider = Provider::new(Url::parse(issuer).unwrap());
    provider
        .verify_id_token(&IdToken::new(token), CLIENT, Some(&Nonce::new("the-nonce")))
        .await
        .map(|_| ())
}

#[tokio::test]
async fn forged_and_misdirected_id_tokens_are_refused() {
    let key = key();
    let issuer = fake(answers(&key)).await;
    let good = claims(&issuer);
    verify(&issuer, signed(&key, &good))
        .await
        .expect("the control case passes");

    let b64 = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let with = |name: &str, value: Value| {
        let mut claims = good.clone();
        claims[name] = value;
        claims
    };
    let mut hmac_header = Header::new(Algorithm::HS256);
    hmac_header.kid = Some(KID.into());
    let tampered = {
        let token = signed(&key, &good);
        let parts: Vec<&str> = token.split('.').collect();
        format!(
            "{}.{}.{}",
            parts[0],
            b64(&with("sub", json!("mallory"))),
            parts[2]
        )
    };
    let mut unknown_kid = Header::new(Algorithm::RS256);
    unknown_kid.kid = Some("key-that-is-not-there".into());
    let cases: Vec<(&str, String)> = vec![
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "kid": KID, "typ": "JWT"})),
                b64(&good)
            ),
        ),
        (
            "HS256 keyed with the public key",
            jsonwebtoken::encode(
                &hmac_header,
                &good,
                &EncodingKey::from_secret(&key.public_pem),
            )
            .unwrap(),
        ),
        (
            "unknown kid",
            jsonwebtoken::encode(&unknown_kid, &good, &key.private).unwrap(),
        ),
        ("tampered payload", tampered),
        (
            "wrong iss",
            signed(&key, &with("iss", json!("https://evil.example"))),
        ),
        (
            "wrong aud",
            signed(&key, &with("aud", json!("another-client"))),
        ),
        ("expired", signed(&key, &with("exp", json!(now() - 3600)))),
        (
            "wrong nonce",
            signed(&key, &with("nonce", json!("replayed"))),
        ),
        ("no nonce", {
            let mut claims = good.clone();
            claims.as_object_mut().unwrap().remove("nonce");
            signed(&key, &claims)
        }),
        (
            "wrong azp",
            signed(&key, &{
                let mut claims = with("aud", json!([CLIENT, "an-api"]));
                claims["azp"] = json!("another-client");
                claims
            }),
        ),
        ("not a JWT", "not.a.jwt".into()),
        ("empty", String::new()),
    ];
    for (case, token) in cases {
        match verify(&issuer, token).await {
            Err(ProviderError::InvalidIdToken(_)) => {}
            other => panic!("{case}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn garbage_keys_and_documents_are_bad_responses() {
    let key = key();
    let token = |issuer: &str| signed(&key, &claims(issuer));
    for (case, jwks) in [
        (
            "JWKS not JSON",
            (StatusCode::OK, b"<html>oops</html>".to_vec()),
        ),
        (
            "JWKS with an error status",
            (StatusCode::INTERNAL_SERVER_ERROR, key.jwks.clone()),
        ),
        (
            "JWKS of a mebibyte and more",
            (StatusCode::OK, vec![b' '; 1024 * 1024 + 1]),
        ),
    ] {
        let issuer = fake(Answers {
            jwks,
            ..answers(&key)
        })
        .await;
        match verify(&issuer, token(&issuer)).await {
            Err(ProviderError::BadResponse(_)) => {}
            other => panic!("{case}: {other:?}"),
        }
    }
    let issuer = fake(Answers {
        discovery_padding: 2 * 1024 * 1024,
        ..answers(&key)
    })
    .await;
    let provider = Provider::new(Url::parse(&issuer).unwrap());
    match provider.metadata().await {
        Err(ProviderError::BadResponse(why)) => assert!(why.contains("larger than"), "{why}"),
        other => panic!("a huge discovery document: {other:?}"),
    }
}

/// A refresh against the fake token endpoint.
async fn refresh(key: &Key, token: (StatusCode, Vec<u8>)) -> Result<u64, ProviderError> {
    let issuer = fake(Answers {
        token,
        ..answers(key)
    })
    .await;
    Provider::new(Url::parse(&issuer).unwrap())
        .refresh(CLIENT, &RefreshToken::new("r".into()))
        .await
        .map(|tokens| tokens.expires_in)
}

#[tokio::test]
async fn token_answers_are_checked_and_lifetimes_clamped() {
    let key = key();
    let ok = |expires_in: &str| {
        (
            StatusCode::OK,
            format!(r#"{{"access_token":"a","token_type":"Bearer","expires_in":{expires_in}}}"#)
                .into_bytes(),
        )
    };
    assert_eq!(refresh(&key, ok("0")).await.unwrap(), 10);
    assert_eq!(refresh(&key, ok("1")).await.unwrap(), 10);
    assert_eq!(refresh(&key, ok("3600")).await.unwrap(), 3600);
    assert_eq!(
        refresh(&key, ok("18446744073709551615")).await.unwrap(),
        10 * 365 * 24 * 60 * 60
    );
    for (case, answer) in [
        (
            "200 with an error body",
            (
                StatusCode::OK,
                br#"{"error":"invalid_grant","error_description":"no"}"#.to_vec(),
            ),
        ),
        ("200 not JSON", (StatusCode::OK, b"<html>".to_vec())),
        (
            "a body of a mebibyte and more",
            (StatusCode::OK, vec![b' '; 1024 * 1024 + 1]),
        ),
        (
            "a token type that is not bearer",
            (
                StatusCode::OK,
                br#"{"access_token":"a","token_type":"MAC"}"#.to_vec(),
            ),
        ),
    ] {
        match refresh(&key, answer).await {
            Err(ProviderError::BadResponse(_)) => {}
            other => panic!("{case}: {other:?}"),
        }
    }
    match refresh(
        &key,
        (
            StatusCode::BAD_REQUEST,
            br#"{"error":"invalid_grant","error_description":"expired"}"#.to_vec(),
        ),
    )
    .await
    {
        Err(ProviderError::OAuth { error, .. }) => assert_eq!(error, "invalid_grant"),
        other => panic!("an OAuth error: {other:?}"),
    }
    // An error status without an OAuth error body (Glewlwyd's bare 401)
    // is named in plain words, never called "not OpenID Connect".
    for (status, body, words) in [
        (StatusCode::UNAUTHORIZED, &b""[..], "said no more"),
        (StatusCode::FORBIDDEN, b"Forbidden", "no OAuth error"),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            b"<html>",
            "no OAuth error",
        ),
    ] {
        let error = refresh(&key, (status, body.to_vec())).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("the provider answered the token request with {status} and {words}")
        );
    }
}

/// What a careful client accepts: a lowercase `bearer` (RFC 6750 §5.1.1
/// names the type case-insensitively), `expires_in` as a string, from a
/// discovery document with none of the optional fields. (A refresh answer
/// without an ID token, which OpenID Connect Core §12.2 allows, is kept as
/// a session in `tests/providers.rs`: Glewlwyd sends none.)
#[tokio::test]
async fn harmless_deviations_are_accepted() {
    let key = key();
    for answer in [
        r#"{"access_token":"a","token_type":"bearer","expires_in":60}"#,
        r#"{"access_token":"a","token_type":"BEARER","expires_in":"60","refresh_token":"r2"}"#,
    ] {
        assert_eq!(
            refresh(&key, (StatusCode::OK, answer.as_bytes().to_vec()))
                .await
                .unwrap(),
            60,
            "{answer}"
        );
    }
}
