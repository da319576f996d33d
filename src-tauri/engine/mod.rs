//! The engine: PKCE, sign-in attempts, the provider, the session and its
//! vault. Plain Rust with no Tauri in it; every front door (the HTTP API,
//! the tray, the window, deep links) drives these same calls.

pub mod browser;
mod clients;
pub mod config;
pub mod events;
pub mod flows;
mod own_sign_in;
pub mod pkce;
pub mod preset;
pub mod provider;
mod round_trip;
pub mod secret;
pub mod session;
pub mod text;
pub mod vault;

pub use clients::{Challenge, CodeRequest, Grant};
pub use round_trip::Callback;

use std::sync::{Arc, Mutex, MutexGuard};

use browser::Browser;
use config::Config;
use events::{Status, StatusReceiver};
use flows::{FlowError, Flows};
use pkce::State;
use provider::{Provider, ProviderError};
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

    /// The access token for the terminal and git, renewed first when it
    /// expires within `min_valid`.
    pub async fn access_token(
        &self,
        min_valid: std::time::Duration,
    ) -> Result<(secret::AccessToken, i64), EngineError> {
        Ok(self.session.access_token(min_valid).await?)
    }

    /// The signed-in user's picture, fetched here and handed over as a
    /// `data:` URL: the window loads no remote content.
    pub async fn avatar(&self) -> Option<String> {
        let picture = self.status().user?.picture?;
        self.provider.picture_data_url(&picture).await
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
