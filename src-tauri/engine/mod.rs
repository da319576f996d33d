//! The engine: PKCE, sign-in attempts, the provider, the session and its
//! vault. Plain Rust with no Tauri in it; every front door (the HTTP API,
//! the tray, the window, deep links) drives these same calls.

pub mod browser;
pub mod config;
pub mod events;
pub mod flows;
pub mod pkce;
pub mod preset;
pub mod provider;
pub mod secret;
pub mod session;
pub mod text;
pub mod vault;

use std::sync::{Arc, Mutex, MutexGuard};

use url::Url;

use browser::Browser;
use config::{Config, RedirectMode, CALLBACK_PATH, DEEP_LINK_CALLBACK};
use events::{Status, StatusReceiver};
use flows::{FlowError, Flows, Waiter};
use pkce::{CodeChallenge, CodeVerifier, Nonce, State};
use provider::{AuthorizeRequest, Provider, ProviderError, Tokens};
use secret::{AuthorizationCode, RefreshToken};
use session::{Session, SessionError, SignedOut};
use vault::Vault;

#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    /// The request itself is wrong: (OAuth error code, description).
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Flow(#[from] FlowError),
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("a sign-in is already in progress")]
    Busy,
    /// The provider refused a request whose loopback redirect URI is on
    /// the fallback port: most likely it matches redirect URIs exactly,
    /// port included (RFC 8252 §7.3 asks providers not to; Glewlwyd does).
    #[error("the provider refused the sign-in request ({cause}). pkce-tray listens on port {port} because it could not listen on port {wanted} (taken, or not allowed for this user), and a provider that matches redirect URIs exactly knows only the one registered with it: register {redirect_uri} with the provider, or let pkce-tray have port {wanted} and start it again")]
    RedirectRefused {
        redirect_uri: String,
        port: u16,
        wanted: u16,
        cause: ProviderError,
    },
}

/// Locks a mutex, recovering from poison: every critical section in the
/// app (and its window process) leaves its data consistent, so a panic
/// elsewhere must not stop the app.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl EngineError {
    /// What the window and the tray say to a person.
    pub fn in_plain_words(&self) -> String {
        // A provider's own words (error descriptions) are data.
        text::inert(&self.plain_words()).into_owned()
    }

    fn plain_words(&self) -> String {
        match self {
            Self::Flow(FlowError::Provider { error, description }) if error == "access_denied" => {
                format!("The sign-in was cancelled or refused ({description}).")
            }
            Self::Flow(FlowError::TimedOut(after)) => format!(
                "The browser did not come back within {} minutes. Try again.",
                after.as_secs().div_ceil(60)
            ),
            Self::Provider(ProviderError::Unreachable(host) | ProviderError::TimedOut(host)) => {
                format!("The sign-in service at {host} could not be reached. Check your connection and try again.")
            }
            other => {
                let text = other.to_string();
                let mut chars = text.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or(text)
            }
        }
    }
}

fn invalid(description: impl Into<String>) -> EngineError {
    EngineError::Invalid("invalid_request", description.into())
}

/// A fresh PKCE pair with its state and nonce, registered as pending.
pub struct Challenge {
    pub state: State,
    pub nonce: Nonce,
    pub verifier: CodeVerifier,
    pub challenge: CodeChallenge,
}

/// The seed of an authorization request, as a client sends it (generateCode).
#[derive(Debug)]
pub struct CodeRequest {
    pub client_id: String,
    pub state: State,
    pub nonce: Nonce,
    pub challenge: CodeChallenge,
    pub redirect_uri: Option<String>,
    /// The authorize endpoint the client expects.
    pub domain: Option<String>,
    pub scopes: Vec<String>,
    pub response_mode: Option<String>,
    pub audience: Option<String>,
    pub extra: Vec<(String, String)>,
}

/// A client's attempt while its request waits for the browser. A request
/// that is dropped (the client hung up) abandons its attempt and gives the
/// window and the tray back, and nothing else.
struct Pending<'a> {
    engine: &'a Engine,
    state: State,
    shown: bool,
    ended: bool,
}

impl Pending<'_> {
    /// The attempt ended with the request still there.
    fn finish<T>(mut self, outcome: &Result<T, EngineError>) {
        if self.shown {
            self.engine.release_shown(outcome);
        }
        self.ended = true;
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        tracing::info!(
            "a client went away while its sign-in was pending; the attempt is abandoned"
        );
        self.engine.flows.cancel(&self.state);
        if self.shown {
            lock(&self.engine.shown_attempt).take();
            self.engine.session.settle(None, false);
        }
    }
}

/// What the provider sent to the redirect URI (RFC 6749 §4.1.2, RFC 9207).
/// No `Debug`: it carries the code.
#[derive(Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The grants of generateToken.
pub enum Grant {
    AuthorizationCode {
        code: AuthorizationCode,
        verifier: CodeVerifier,
        redirect_uri: String,
    },
    RefreshToken(RefreshToken),
}

pub struct Engine {
    config: Config,
    port: u16,
    provider: Arc<Provider>,
    flows: Arc<Flows>,
    session: Arc<Session>,
    browser: Box<dyn Browser>,
    /// The attempt the window and the tray show: their own sign-in, or an
    /// API client's when none is under way; shown, and cancelled, by state.
    shown_attempt: Mutex<Option<State>>,
}

impl Engine {
    /// `port` is the port the API is bound to, part of the loopback redirect URI.
    pub fn new(
        config: Config,
        port: u16,
        browser: Box<dyn Browser>,
        vault: Arc<dyn Vault>,
    ) -> Arc<Self> {
        let provider = Arc::new(
            Provider::new(config.issuer.clone()).with(config.preset, config.client_secret.clone()),
        );
        let session = Session::new(
            config.client_id.clone(),
            provider.clone(),
            vault,
            config.refresh_reuse_interval,
            Self::stale_marker(&config),
        );
        let flows = Flows::new(config.flow_ttl, config.max_pending_flows);
        Arc::new(Self {
            config,
            port,
            provider,
            flows,
            session,
            browser,
            shown_attempt: Mutex::new(None),
        })
    }

    /// Where the session notes that the keychain's item for this account
    /// is older than a session kept in memory: a file with no secret in it,
    /// named after the account's digest.
    fn stale_marker(config: &Config) -> Option<std::path::PathBuf> {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(Self::account(config).as_bytes());
        let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Some(
            dirs::data_local_dir()?
                .join("pkce-tray")
                .join(format!("keychain-stale-{name}")),
        )
    }

    /// The keychain account of this provider and client.
    pub fn account(config: &Config) -> String {
        format!(
            "{}@{}",
            config.client_id,
            config.issuer.as_str().trim_end_matches('/')
        )
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Where the API listens; shown in the window and the log.
    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The provider, for the API's answers that name it.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// Restores the stored session and keeps it fresh from now on.
    pub async fn start(&self) {
        self.session.restore().await;
        self.session.spawn_refresher();
    }

    /// The state every front door renders.
    pub fn status(&self) -> Status {
        self.session.status()
    }

    /// Every change of state, for front doors that render live.
    pub fn subscribe(&self) -> StatusReceiver {
        self.session.subscribe()
    }

    /// Whether a session was restored (the window opens on a first run).
    pub fn has_session(&self) -> bool {
        self.session.has_session()
    }

    /// The loopback callback (RFC 8252 §7.3), with the literal 127.0.0.1.
    fn loopback_callback(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.api_url())
    }

    /// The redirect URI of the engine's own sign-in.
    pub fn redirect_uri(&self) -> String {
        match self.config.redirect {
            RedirectMode::Loopback => self.loopback_callback(),
            RedirectMode::DeepLink => DEEP_LINK_CALLBACK.to_owned(),
        }
    }

    /// Whether `redirect_uri` is this app's loopback callback on a port
    /// other than the configured one (the fallback), which a provider that
    /// matches redirect URIs exactly has never heard of.
    fn on_fallback_port(&self, redirect_uri: &str) -> bool {
        self.port != self.config.port
            && self.config.port != 0
            && self.loopback_callbacks().contains(&redirect_uri.to_owned())
    }

    /// The loopback callbacks, by address and by name.
    fn loopback_callbacks(&self) -> [String; 2] {
        [
            self.loopback_callback(),
            format!("http://localhost:{}{CALLBACK_PATH}", self.port),
        ]
    }

    /// The callbacks this app answers at: a client may pick any of them,
    /// and no other, so a sign-in never lands at a foreign host.
    fn own_callbacks(&self) -> [String; 3] {
        let [by_address, by_name] = self.loopback_callbacks();
        [by_address, by_name, DEEP_LINK_CALLBACK.to_owned()]
    }

    /// getChallenge: a fresh attempt (RFC 7636 §4.1, §4.2).
    pub fn challenge(&self) -> Challenge {
        self.new_attempt(false)
    }

    /// A fresh attempt; the app's own (`own`) cannot be pushed out by API
    /// traffic.
    fn new_attempt(&self, own: bool) -> Challenge {
        let (state, nonce, verifier) = (
            State::generate(),
            Nonce::generate(),
            CodeVerifier::generate(),
        );
        if own {
            self.flows
                .register_own(state.clone(), nonce.clone(), &verifier);
        } else {
            self.flows.register(state.clone(), nonce.clone(), &verifier);
        }
        Challenge {
            challenge: verifier.challenge(),
            state,
            nonce,
            verifier,
        }
    }

    fn check_client(&self, client_id: &str) -> Result<(), EngineError> {
        if client_id == self.config.client_id {
            Ok(())
        } else {
            Err(EngineError::Invalid(
                "unauthorized_client",
                format!("client_id {client_id:?} is not the client this app is configured for"),
            ))
        }
    }

    /// `domain` may name the authorize endpoint as a URL or, Auth0-style,
    /// the tenant's host; anything else is another provider.
    async fn check_domain(&self, domain: &str) -> Result<(), EngineError> {
        let endpoint = self
            .provider
            .metadata()
            .await?
            .authorization_endpoint
            .clone();
        let same_endpoint = Url::parse(domain).ok().is_some_and(|url| {
            url.scheme() == endpoint.scheme()
                && url.host_str() == endpoint.host_str()
                && url.port_or_known_default() == endpoint.port_or_known_default()
                && url.path().trim_end_matches('/') == endpoint.path().trim_end_matches('/')
        });
        let same_host = Some(domain.trim_end_matches('/')) == endpoint.host_str();
        if same_endpoint || same_host {
            Ok(())
        } else {
            Err(invalid(format!(
                "domain {domain:?} is not this app's provider ({endpoint})"
            )))
        }
    }

    /// generateCode: sends the user to the provider and waits for its answer.
    pub async fn authorize(&self, request: CodeRequest) -> Result<AuthorizationCode, EngineError> {
        self.check_client(&request.client_id)?;
        if let Some(domain) = &request.domain {
            self.check_domain(domain).await?;
        }
        let redirect_uri = match request.redirect_uri {
            Some(uri) if self.own_callbacks().contains(&uri) => uri,
            Some(uri) => {
                return Err(invalid(format!(
                    "redirect_uri {uri:?} is not one of this app's callbacks: {}",
                    self.own_callbacks().join(", ")
                )))
            }
            None => self.loopback_callback(),
        };
        // Only answers this app can receive: a fragment never reaches a
        // server, and a private-scheme redirect cannot receive a POST.
        let loopback = redirect_uri.starts_with("http");
        let response_mode =
            match request.response_mode.as_deref() {
                None if loopback => "form_post",
                None => "query",
                Some("form_post") if !loopback => return Err(invalid(
                    "a private-scheme redirect cannot receive form_post; use response_mode query",
                )),
                Some(mode @ ("form_post" | "query")) => mode,
                Some(other) => {
                    return Err(invalid(format!(
                        "response_mode {other} cannot reach this app; use form_post or query"
                    )))
                }
            };
        let state = request.state.clone();
        let (waiter, url) = self
            .begin(AuthorizeRequest {
                client_id: request.client_id,
                redirect_uri,
                state: request.state,
                nonce: request.nonce,
                challenge: request.challenge,
                scopes: request.scopes,
                response_mode: Some(response_mode.to_owned()),
                audience: request.audience.or_else(|| self.config.audience.clone()),
                extra: request.extra,
            })
            .await?;
        // Every front door shows one state: a client's sign-in too, when
        // the window and the tray have none of their own.
        let shown = self.claim_shown(&state);
        let pending = Pending {
            engine: self,
            state,
            shown,
            ended: false,
        };
        if shown {
            self.session.set_signing_in(url.to_string());
        }
        self.open_browser(url.as_str(), "the sign-in page");
        let answer = waiter
            .answer(self.config.code_timeout)
            .await
            .map_err(EngineError::from);
        pending.finish(&answer);
        answer
    }

    /// Takes the window and the tray for an attempt, unless one holds them.
    fn claim_shown(&self, state: &State) -> bool {
        let mut shown = lock(&self.shown_attempt);
        if shown.is_some() {
            return false;
        }
        *shown = Some(state.clone());
        true
    }

    /// Gives them back, showing how the attempt ended.
    fn release_shown<T>(&self, outcome: &Result<T, EngineError>) {
        lock(&self.shown_attempt).take();
        match outcome {
            Ok(_) | Err(EngineError::Flow(FlowError::Cleared)) => self.session.settle(None, false),
            Err(error) => self.session.settle(Some(error.in_plain_words()), true),
        }
    }

    /// Waits on the attempt's state and builds its authorize URL; an
    /// attempt cancelled meanwhile opens no browser.
    async fn begin(&self, request: AuthorizeRequest) -> Result<(Waiter, Url), EngineError> {
        let waiter = self
            .flows
            .wait_for(&request.state, &request.nonce, &request.challenge)?;
        let moved = self.on_fallback_port(&request.redirect_uri);
        let refused = |cause: ProviderError| {
            if moved && cause.refuses_the_request() {
                EngineError::RedirectRefused {
                    redirect_uri: request.redirect_uri.clone(),
                    port: self.port,
                    wanted: self.config.port,
                    cause,
                }
            } else {
                cause.into()
            }
        };
        let authorization = self
            .provider
            .authorize_url(&request, self.config.par)
            .await
            .map_err(refused)?;
        // A pushed request had its redirect URI checked at the push, and
        // its request_uri is for the browser's one use (RFC 9126 §4).
        if moved && !authorization.pushed {
            self.provider
                .try_authorize(&authorization.url)
                .await
                .map_err(refused)?;
        }
        let url = authorization.url;
        if !self.flows.is_waiting(request.state.as_str()) {
            return Err(FlowError::Cleared.into());
        }
        Ok((waiter, url))
    }

    /// Opens `what` (a page named for the log) in the system browser, or
    /// says where it is.
    fn open_browser(&self, url: &str, what: &str) {
        match self.browser.open(url) {
            Ok(()) => tracing::info!("opened {what} in the browser"),
            Err(error) => {
                tracing::warn!("no browser could be opened ({error}); open {what} yourself: {url}")
            }
        }
    }

    /// respondWithCode and deep links: hands the provider's answer to the
    /// waiting attempt. A wrong or unknown state changes nothing.
    pub async fn callback(&self, callback: Callback) -> Result<(), EngineError> {
        let state = callback
            .state
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("state is required"))?;
        if !self.flows.is_waiting(&state) {
            return Err(FlowError::UnknownState.into());
        }
        tracing::debug!("the provider answered at the callback");
        // RFC 9207 §2.4: errors too must come from this provider.
        self.provider
            .check_response_issuer(callback.iss.as_deref())
            .await?;
        if let Some(error) = callback.error {
            let description = callback.error_description.unwrap_or_else(|| error.clone());
            self.flows
                .answer(&state, Err(FlowError::Provider { error, description }))?;
            return Ok(());
        }
        let code = callback
            .code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| invalid("code is required"))?;
        if !text::is_token_value(&code) {
            return Err(invalid(
                "code holds characters no code may have (RFC 6749 Appendix A)",
            ));
        }
        self.flows
            .answer(&state, Ok(AuthorizationCode::new(code)))?;
        Ok(())
    }

    /// An `app.pkcetray.desktop:/pkce/response/code?...` link handed over by the OS.
    pub async fn deep_link(&self, link: &str) -> Result<(), EngineError> {
        let url = Url::parse(link).map_err(|_| invalid("the link is not a URL"))?;
        let mut bare = url.clone();
        bare.set_query(None);
        if bare.as_str() != DEEP_LINK_CALLBACK {
            return Err(invalid(format!(
                "this app's links go to {DEEP_LINK_CALLBACK}"
            )));
        }
        let mut callback = Callback::default();
        for (name, value) in url.query_pairs() {
            let slot = match name.as_ref() {
                "code" => &mut callback.code,
                "state" => &mut callback.state,
                "iss" => &mut callback.iss,
                "error" => &mut callback.error,
                "error_description" => &mut callback.error_description,
                _ => continue,
            };
            *slot = Some(value.into_owned());
        }
        self.callback(callback).await
    }

    /// generateToken. A code from an attempt the engine saw has its ID token
    /// checked against that attempt's nonce and becomes the session.
    pub async fn exchange(
        &self,
        client_id: &str,
        grant: Grant,
        audience: Option<&str>,
    ) -> Result<Tokens, EngineError> {
        self.check_client(client_id)?;
        match grant {
            Grant::AuthorizationCode {
                code,
                verifier,
                redirect_uri,
            } => {
                let nonce = self.flows.redeem(&code);
                let _work = self.session.token_work().await;
                let tokens = self
                    .provider
                    .exchange_code(client_id, &code, &verifier, &redirect_uri, audience)
                    .await?;
                if let (Some(nonce), Some(id_token)) = (nonce, &tokens.id_token) {
                    let claims = self
                        .provider
                        .verify_id_token(id_token, client_id, Some(&nonce))
                        .await?;
                    self.session.adopt(&tokens, claims).await?;
                }
                Ok(tokens)
            }
            Grant::RefreshToken(token) => match self.session.refresh_for_client(&token).await {
                Some(tokens) => Ok(tokens?),
                None => Ok(self.provider.refresh(client_id, &token).await?),
            },
        }
    }

    /// clearPKCE: abandons every attempt; every waiter returns at once.
    pub fn clear(&self) {
        self.flows.clear();
    }

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
        let attempt = self.new_attempt(true);
        if !self.claim_shown(&attempt.state) {
            self.flows.cancel(&attempt.state);
            return Err(EngineError::Busy);
        }
        let result = run(attempt).await;
        self.release_shown(&result);
        result
    }

    /// Sign-in from another device (RFC 8628), for a terminal whose machine
    /// has no browser: `show` gets the address and the code to show the
    /// person. Never chosen on its own: the person asks for it. Holds the
    /// window and the tray like any sign-in; `cancel_sign_in` stops it.
    pub async fn device_sign_in(
        &self,
        show: impl FnOnce(&provider::DeviceAuthorization),
    ) -> Result<(), EngineError> {
        self.own_attempt(|attempt| async move {
            let result = self.run_device_sign_in(&attempt, show).await;
            // No callback ever answers it: the attempt ends here.
            self.flows.cancel(&attempt.state);
            result
        })
        .await
    }

    async fn run_device_sign_in(
        &self,
        attempt: &Challenge,
        show: impl FnOnce(&provider::DeviceAuthorization),
    ) -> Result<(), EngineError> {
        // The attempt's waiter never gets an answer: it ends when the
        // attempt is cancelled (or cleared), which stops the polling.
        let cancelled = self
            .flows
            .wait_for(&attempt.state, &attempt.nonce, &attempt.challenge)?;
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

    /// The access token for the terminal and git, renewed first when it
    /// expires within `min_valid`.
    pub async fn access_token(
        &self,
        min_valid: std::time::Duration,
    ) -> Result<(secret::AccessToken, i64), EngineError> {
        Ok(self.session.access_token(min_valid).await?)
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
                    .collect(),
            })
            .await?;
        self.session.set_signing_in(url.to_string());
        show(url.as_str());
        let code = waiter.answer(self.config.code_timeout).await?;
        // The engine checks this attempt's nonce itself; the record the
        // callback left for API clients is not needed.
        self.flows.redeem(&code);
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

    /// The signed-in user's picture, fetched here and handed over as a
    /// `data:` URL: the window loads no remote content.
    pub async fn avatar(&self) -> Option<String> {
        let picture = self.status().user?.picture?;
        self.provider.picture_data_url(&picture).await
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

    /// Abandons the sign-in the window and the tray show.
    pub fn cancel_sign_in(&self) {
        if let Some(state) = lock(&self.shown_attempt).as_ref() {
            self.flows.cancel(state);
        }
    }

    /// The app is ending: token requests at the provider finish and are
    /// kept (a few seconds at most), and no new one starts.
    pub async fn quiesce(&self) {
        self.session.quiesce().await;
    }

    /// Cancels any sign-in in progress, then signs out (see `Session::sign_out`).
    pub async fn sign_out(&self) -> Result<SignedOut, EngineError> {
        self.cancel_sign_in();
        Ok(self.session.sign_out().await?)
    }
}
