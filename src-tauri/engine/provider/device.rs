//! The device authorization grant (RFC 8628): the person signs in on
//! another device (a phone, another computer's browser) while this one,
//! a terminal with no browser of its own, polls until they have.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{lifetime, oauth_error, seconds, Provider, ProviderError, Tokens};
use crate::engine::secret::DeviceCode;

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.2: the interval when the provider names none.
const DEFAULT_INTERVAL: u64 = 5;
/// RFC 8628 §3.5: how much slower after each `slow_down`.
const SLOW_DOWN: Duration = Duration::from_secs(5);
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
        let response = self
            .http
            .post(endpoint)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let body = self.read(response, "device authorization").await?;
        if !status.is_success() {
            return Err(oauth_error(status, &body));
        }
        let raw: RawDeviceAuthorization = serde_json::from_slice(&body).map_err(|e| {
            ProviderError::BadResponse(format!("device authorization response: {e}"))
        })?;
        Ok(DeviceAuthorization {
            device_code: DeviceCode::new(raw.device_code),
            user_code: raw.user_code,
            verification_uri: raw.verification_uri,
            verification_uri_complete: raw.verification_uri_complete,
            expires_in: lifetime(seconds(raw.expires_in)),
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
        let deadline = Instant::now() + Duration::from_secs(device.expires_in);
        let mut interval =
            Duration::from_secs(device.interval).clamp(Duration::from_secs(1), INTERVAL_MAX);
        loop {
            tokio::time::sleep(interval).await;
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
