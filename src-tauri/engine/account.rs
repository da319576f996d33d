//! One account: its provider, its session (its own keychain item,
//! refresher and state), and the sign-in the window and the tray show for
//! it. The engine holds one per configured account, found by name; what
//! they share (the attempts waiting on the browser, the browser, the API's
//! port) is in [`Common`].

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::browser::Browser;
use super::config::AccountConfig;
use super::events::{Status, StatusReceiver};
use super::flows::Flows;
use super::pkce::State;
use super::provider::Provider;
use super::secret::AccessToken;
use super::session::{Session, SignedOut};
use super::vault::Vault;
use super::{lock, EngineError};

/// What every account's sign-in shares.
pub(super) struct Common {
    pub flows: Arc<Flows>,
    pub browser: Box<dyn Browser>,
    /// The port the API is bound to, part of the loopback redirect URI.
    pub port: u16,
    /// The port configured, which a provider that matches redirect URIs
    /// exactly knows (0: any).
    pub wanted_port: u16,
    pub code_timeout: Duration,
}

impl Common {
    /// Where the API listens.
    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

pub struct Account {
    pub(super) config: AccountConfig,
    pub(super) provider: Arc<Provider>,
    pub(super) session: Arc<Session>,
    /// The attempt the window and the tray show for this account: its own
    /// sign-in, or an API client's when none is under way; shown, and
    /// cancelled, by state.
    pub(super) shown_attempt: Mutex<Option<State>>,
    pub(super) common: Arc<Common>,
}

impl Account {
    pub(super) fn new(
        config: AccountConfig,
        common: Arc<Common>,
        vault: Arc<dyn Vault>,
        refresh_reuse_interval: Duration,
    ) -> Arc<Self> {
        let provider = Arc::new(
            Provider::new(config.issuer.clone()).with(config.preset, config.client_secret.clone()),
        );
        let session = Session::new(
            config.client_id.clone(),
            provider.clone(),
            vault,
            refresh_reuse_interval,
            stale_marker(&config),
        );
        Arc::new(Self {
            config,
            provider,
            session,
            shown_attempt: Mutex::new(None),
            common,
        })
    }

    /// The name the person gave it.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    pub fn config(&self) -> &AccountConfig {
        &self.config
    }

    /// The provider, for the API's answers that name it.
    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// The state every front door renders for this account.
    pub fn status(&self) -> Status {
        self.session.status()
    }

    /// Every change of this account's state.
    pub fn subscribe(&self) -> StatusReceiver {
        self.session.subscribe()
    }

    /// Whether a session was restored (the window opens on a first run).
    pub fn has_session(&self) -> bool {
        self.session.has_session()
    }

    /// Restores the stored session and keeps it fresh from now on.
    pub(super) async fn start(&self) {
        self.session.restore().await;
        self.session.spawn_refresher();
    }

    /// The access token for the terminal and git, renewed first when it
    /// expires within `min_valid`.
    pub async fn access_token(
        &self,
        min_valid: Duration,
    ) -> Result<(AccessToken, i64), EngineError> {
        Ok(self.session.access_token(min_valid).await?)
    }

    /// The signed-in user's picture, fetched here and handed over as a
    /// `data:` URL: the window loads no remote content.
    pub async fn avatar(&self) -> Option<String> {
        let picture = self.status().user?.picture?;
        self.provider.picture_data_url(&picture).await
    }

    /// Cancels this account's sign-in in progress, then signs out (see
    /// `Session::sign_out`); no other account is touched.
    pub async fn sign_out(&self) -> Result<SignedOut, EngineError> {
        self.cancel_sign_in();
        Ok(self.session.sign_out().await?)
    }

    /// Abandons the sign-in the window and the tray show for this account.
    pub fn cancel_sign_in(&self) {
        if let Some(state) = lock(&self.shown_attempt).as_ref() {
            self.common.flows.cancel(state);
        }
    }
}

/// Where the session notes that the keychain's item for this account is
/// older than a session kept in memory: a file with no secret in it,
/// named after the item's digest.
fn stale_marker(config: &AccountConfig) -> Option<PathBuf> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(config.keychain_account().as_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(
        dirs::data_local_dir()?
            .join("pkce-tray")
            .join(format!("keychain-stale-{name}")),
    )
}
