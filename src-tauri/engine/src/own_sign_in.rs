//! The app's own sign-ins, for the tray, the window and the terminal: in
//! the system browser, or on another device (RFC 8628).

use super::clients::{new_attempt, Challenge};
use super::config::RedirectMode;
use super::flows::FlowError;
use super::pkce::Nonce;
use super::provider::{AuthorizeRequest, DeviceAuthorization, ProviderError, Tokens};
use super::{Account, EngineError};

impl Account {
    /// The sign-in of the window and the tray: the same attempt, browser and
    /// token exchange as the API's, ending in the session.
    pub async fn sign_in(&self) -> Result<(), EngineError> {
        self.sign_in_showing(|url| self.open_browser(url, "the sign-in page"))
            .await
    }

    /// The same sign-in, its page handed to `show` instead of the browser:
    /// a terminal over SSH prints it for a browser on another machine.
    /// Cancel it with `cancel_sign_in`, never by dropping it.
    pub async fn sign_in_showing(&self, show: impl FnOnce(&str)) -> Result<(), EngineError> {
        self.own_attempt(|attempt| self.run_sign_in(attempt, show))
            .await
    }

    /// Runs one of the engine's own sign-ins on a fresh attempt that holds
    /// the window and the tray, unless another holds them, and gives them
    /// back with the outcome.
    async fn own_attempt<F: std::future::Future<Output = Result<(), EngineError>>>(
        &self,
        run: impl FnOnce(Challenge) -> F,
    ) -> Result<(), EngineError> {
        let attempt = new_attempt(&self.common.flows, true);
        if !self.claim_shown(&attempt.state) {
            self.common.flows.cancel(&attempt.state);
            return Err(EngineError::Busy);
        }
        let result = run(attempt).await;
        self.release_shown(&result);
        self.tell_sign_in_ended(&result, false);
        result
    }

    /// Sign-in from another device (RFC 8628), for a terminal whose machine
    /// has no browser: `show` gets the address and the code to show the
    /// person. Never chosen on its own: the person asks for it. Holds the
    /// window and the tray like any sign-in; `cancel_sign_in` stops it.
    pub async fn device_sign_in(
        &self,
        show: impl FnOnce(&DeviceAuthorization),
    ) -> Result<(), EngineError> {
        self.own_attempt(|attempt| async move {
            let result = self.run_device_sign_in(&attempt, show).await;
            // No callback ever answers it: the attempt ends here.
            self.common.flows.cancel(&attempt.state);
            result
        })
        .await
    }

    async fn run_device_sign_in(
        &self,
        attempt: &Challenge,
        show: impl FnOnce(&DeviceAuthorization),
    ) -> Result<(), EngineError> {
        // The attempt's waiter never gets an answer: it ends when the
        // attempt is cancelled (or cleared), which stops the polling.
        let cancelled = self.common.flows.wait_for(
            &attempt.state,
            &attempt.nonce,
            &attempt.challenge,
            self.asked(&self.config.scopes),
        )?;
        let client_id = &self.config.client_id;
        let device = self
            .provider
            .device_authorization(
                client_id,
                &self.config.scopes,
                self.config.audience.as_deref(),
            )
            .await?;
        self.session.set_signing_in(
            device
                .verification_uri_complete
                .clone()
                .unwrap_or_else(|| device.verification_uri.clone()),
        );
        show(&device);
        let lifetime = std::time::Duration::from_secs(device.expires_in);
        let tokens = tokio::select! {
            tokens = self.provider.poll_device(client_id, &device) => tokens?,
            ended = cancelled.answer(lifetime) => {
                return Err(ended.err().unwrap_or(FlowError::Cleared).into());
            }
        };
        // No nonce in this grant: nothing was sent through a browser.
        let _work = self.session.token_work().await;
        self.adopt(&tokens, None).await
    }

    async fn run_sign_in(
        &self,
        challenge: Challenge,
        show: impl FnOnce(&str),
    ) -> Result<(), EngineError> {
        let redirect_uri = self.redirect_uri();
        let response_mode = match self.config.redirect {
            RedirectMode::Loopback => "form_post",
            RedirectMode::DeepLink => "query",
        };
        let (waiter, url) = self
            .begin(AuthorizeRequest {
                client_id: self.config.client_id.clone(),
                redirect_uri: redirect_uri.clone(),
                state: challenge.state.clone(),
                nonce: challenge.nonce.clone(),
                challenge: challenge.challenge.clone(),
                scopes: self.config.scopes.clone(),
                response_mode: Some(response_mode.into()),
                audience: self.config.audience.clone(),
                extra: self
                    .config
                    .preset
                    .authorize_parameters()
                    .iter()
                    .map(|&(name, value)| (name.into(), value.into()))
                    .chain(
                        self.config
                            .resources
                            .iter()
                            .map(|resource| ("resource".into(), resource.clone())),
                    )
                    .collect(),
            })
            .await?;
        self.session.set_signing_in(url.to_string());
        show(url.as_str());
        let code = waiter.answer(self.common.code_timeout).await?;
        // The engine checks this attempt's nonce itself; the record the
        // callback left for API clients is not needed.
        self.common.flows.redeem(&code);
        let _work = self.session.token_work().await;
        let tokens = self
            .provider
            .exchange_code(
                &self.config.client_id,
                &code,
                &challenge.verifier,
                &redirect_uri,
                self.config.audience.as_deref(),
            )
            .await?;
        self.adopt(&tokens, Some(&challenge.nonce)).await
    }

    /// The engine's own sign-in ends here: its ID token checked (against
    /// the attempt's nonce where there was one), the tokens the session.
    async fn adopt(&self, tokens: &Tokens, nonce: Option<&Nonce>) -> Result<(), EngineError> {
        let id_token = tokens.id_token.as_ref().ok_or_else(|| {
            ProviderError::InvalidIdToken(
                "the provider sent none: is the openid scope configured?".into(),
            )
        })?;
        let claims = self
            .provider
            .verify_id_token(id_token, &self.config.client_id, nonce)
            .await?;
        self.session.adopt(tokens, claims).await?;
        Ok(())
    }

    /// Opens the provider's own sign-out, after a sign-out it did not
    /// confirm; the address came from its discovery document or the
    /// configuration, and the browser takes web addresses only.
    pub fn sign_out_at_provider(&self) {
        if let Some(place) = self.status().provider_sign_out {
            self.open_browser(&place, "the provider's sign-out page");
        }
    }

    /// Opens the sign-in page of the attempt in progress again.
    pub fn reopen_sign_in(&self) {
        if let Some(url) = self.status().sign_in_url {
            self.open_browser(&url, "the sign-in page");
        }
    }
}
