//! The device authorization grant (RFC 8628): the person signs in on
//! another device (a phone, another computer's browser) while this one,
//! a terminal with no browser of its own, polls until they have.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::token::seconds;
use super::{Provider, ProviderError, Tokens};
use crate::secret::DeviceCode;
use crate::text;

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.2: the interval when the provider names none.
const DEFAULT_INTERVAL: u64 = 5;
/// RFC 8628 §3.5: how much slower after each `slow_down`.
const SLOW_DOWN: Duration = Duration::from_secs(5);
/// How long the codes are believed to last: what the provider says,
/// within bounds (a sign-in on another device takes minutes, not hours).
const DEFAULT_EXPIRY: u64 = 600;
const EXPIRY_MIN: u64 = 10;
const EXPIRY_MAX: u64 = 15 * 60;
/// The longest code accepted: RFC 8628 §6.1 suggests 8 characters for
/// the user code; a device code is opaque but never an essay.
const CODE_MAX: usize = 2048;
/// The slowest poll: an interval the provider says may be no longer.
const INTERVAL_MAX: Duration = Duration::from_secs(60);

/// What the person is shown, and what the device polls with.
#[derive(Debug)]
pub struct DeviceAuthorization {
    pub device_code: DeviceCode,
    pub user_code: String,
    pub verification_uri: String,
    /// The address with the code in it, for a QR code.
    pub verification_uri_complete: Option<String>,
    /// Seconds the codes stay valid.
    pub expires_in: u64,
    /// Seconds between polls.
    pub interval: u64,
}

#[derive(Deserialize)]
struct RawDeviceAuthorization {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_in: Option<serde_json::Value>,
    interval: Option<serde_json::Value>,
}

impl Provider {
    /// Asks for a device code and a user code (RFC 8628 §3.1).
    pub async fn device_authorization(
        &self,
        client_id: &str,
        scopes: &[String],
        audience: Option<&str>,
    ) -> Result<DeviceAuthorization, ProviderError> {
        let metadata = self.metadata().await?;
        let endpoint = metadata
            .device_authorization_endpoint
            .clone()
            .ok_or(ProviderError::NoDeviceFlow)?;
        let scope = scopes.join(" ");
        let mut form = vec![("client_id", client_id), ("scope", scope.as_str())];
        if let Some(audience) = audience {
            form.push(("audience", audience));
        }
        let raw: RawDeviceAuthorization = self
            .oauth_json(
                self.http.post(endpoint).form(&self.with_secret(&form)),
                "device authorization",
            )
            .await?;
        // All of it is shown to the person or opened: addresses must be
        // web addresses, codes printable ASCII (RFC 8628 §6.1).
        let bad =
            |why: String| ProviderError::BadResponse(format!("device authorization answer: {why}"));
        let address = |uri: String| text::web_address(&uri).map(String::from).map_err(&bad);
        for (name, code) in [
            ("device_code", &raw.device_code),
            ("user_code", &raw.user_code),
        ] {
            if !text::is_token_value(code) || code.len() > CODE_MAX {
                return Err(bad(format!("its {name} is not a short printable code")));
            }
        }
        Ok(DeviceAuthorization {
            verification_uri: address(raw.verification_uri)?,
            verification_uri_complete: raw.verification_uri_complete.map(address).transpose()?,
            device_code: DeviceCode::new(raw.device_code),
            user_code: raw.user_code,
            expires_in: seconds(raw.expires_in)
                .unwrap_or(DEFAULT_EXPIRY)
                .clamp(EXPIRY_MIN, EXPIRY_MAX),
            interval: seconds(raw.interval).unwrap_or(DEFAULT_INTERVAL),
        })
    }

    /// Polls the token endpoint at the interval asked for, slower after
    /// each `slow_down` (RFC 8628 §3.5), until the tokens come, the person
    /// refuses, or the codes expire. Dropping it stops the polling.
    pub async fn poll_device(
        &self,
        client_id: &str,
        device: &DeviceAuthorization,
    ) -> Result<Tokens, ProviderError> {
        let _polling = Polling;
        let deadline = Instant::now() + Duration::from_secs(device.expires_in);
        let mut interval =
            Duration::from_secs(device.interval).clamp(Duration::from_secs(1), INTERVAL_MAX);
        loop {
            // Never past the codes' expiry: then it is over.
            tokio::time::sleep_until((Instant::now() + interval).min(deadline).into()).await;
            if Instant::now() >= deadline {
                return Err(expired());
            }
            let answer = self
                .token_request(&[
                    ("grant_type", GRANT_TYPE),
                    ("device_code", device.device_code.secret()),
                    ("client_id", client_id),
                ])
                .await;
            match answer {
                Ok(tokens) => return Ok(tokens),
                Err(ProviderError::OAuth { error, .. }) if error == "authorization_pending" => {}
                Err(ProviderError::OAuth { error, .. }) if error == "slow_down" => {
                    interval = (interval + SLOW_DOWN).min(INTERVAL_MAX);
                }
                // RFC 8628 §3.5: a poll that times out backs off.
                Err(ProviderError::TimedOut(_) | ProviderError::Unreachable(_)) => {
                    interval = (interval * 2).min(INTERVAL_MAX);
                }
                Err(other) => return Err(other),
            }
        }
    }
}

fn expired() -> ProviderError {
    ProviderError::OAuth {
        status: 400,
        error: "expired_token".into(),
        description:
            "the code expired before the sign-in on the other device finished; start again".into(),
    }
}

/// Says when the polling ends, however it ends: tokens, a refusal, the
/// codes' expiry, or the sign-in given up (the polling dropped).
struct Polling;

impl Drop for Polling {
    fn drop(&mut self) {
        tracing::info!("stopped polling the provider for the device sign-in");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::routing::{get, post};
    use axum::Router;
    use serde_json::json;

    use super::*;

    /// A provider whose token endpoint answers `answers` in turn (the
    /// last one from then on), each an OAuth error code or `tokens`; it
    /// notes when each poll came.
    async fn provider(answers: &'static [&'static str]) -> (Provider, Arc<Mutex<Vec<Instant>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let polls = Arc::new(Mutex::new(Vec::new()));
        let discovery = json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "device_authorization_endpoint": format!("{issuer}/device/auth"),
        });
        let seen = polls.clone();
        let app = Router::new()
            .route(
                "/.well-known/openid-configuration",
                get(move || async move { axum::Json(discovery) }),
            )
            .route(
                "/device/auth",
                post(|| async {
                    axum::Json(json!({
                        "device_code": "device-code", "user_code": "ABCD-EFGH",
                        "verification_uri": "https://id.example/device",
                        "expires_in": 10, "interval": 1,
                    }))
                }),
            )
            .route(
                "/token",
                post(move || async move {
                    let mut seen = seen.lock().unwrap();
                    seen.push(Instant::now());
                    let answer = answers[(seen.len() - 1).min(answers.len() - 1)];
                    if answer == "tokens" {
                        let body =
                            json!({"access_token": "at", "token_type": "Bearer", "expires_in": 60});
                        return (axum::http::StatusCode::OK, axum::Json(body));
                    }
                    (
                        axum::http::StatusCode::BAD_REQUEST,
                        axum::Json(json!({"error": answer})),
                    )
                }),
            );
        tokio::spawn(async move { axum::serve(listener, app).await });
        (Provider::new(issuer.parse().unwrap()), polls)
    }

    async fn sign_in(provider: &Provider) -> Result<Tokens, ProviderError> {
        let device = provider
            .device_authorization("client", &["openid".into()], None)
            .await
            .unwrap();
        assert_eq!((device.interval, device.expires_in), (1, 10));
        provider.poll_device("client", &device).await
    }

    #[tokio::test]
    async fn polls_until_the_tokens_come() {
        let (provider, polls) = provider(&["authorization_pending", "tokens"]).await;
        let tokens = sign_in(&provider).await.unwrap();
        assert_eq!(tokens.access_token.secret(), "at");
        assert_eq!(polls.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn slow_down_slows_the_polls_and_a_refusal_ends_them() {
        let (provider, polls) =
            provider(&["authorization_pending", "slow_down", "access_denied"]).await;
        let refused = sign_in(&provider).await;
        assert!(
            matches!(&refused, Err(ProviderError::OAuth { error, .. }) if error == "access_denied"),
            "{refused:?}"
        );
        let polls = polls.lock().unwrap();
        assert_eq!(polls.len(), 3);
        assert!(
            polls[2] - polls[1] >= Duration::from_secs(6),
            "1 s, then 5 s slower"
        );
    }

    #[tokio::test]
    async fn polling_stops_when_the_codes_expire() {
        let (provider, polls) = provider(&["slow_down"]).await;
        let started = Instant::now();
        let expired = sign_in(&provider).await;
        assert!(
            matches!(&expired, Err(ProviderError::OAuth { error, .. }) if error == "expired_token"),
            "{expired:?}"
        );
        // Polls at 1 s and 7 s; the next would be at 18 s, past the 10 s.
        assert_eq!(polls.lock().unwrap().len(), 2);
        assert!(started.elapsed() < Duration::from_secs(15));
    }
}
