//! One account: its provider, its session (its own keychain item,
//! refresher and state), and the sign-in the window and the tray show for
//! it. The engine holds one per configured account, found by name; what
//! they share (the attempts waiting on the browser, the browser, the API's
//! port) is in [`Shared`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::browser::Browser;
use super::clock::Clock;
use super::config::AccountConfig;
use super::events::{SignInEnded, Status, StatusReceiver};
use super::flows::{FlowError, Flows};
use super::granted::GrantedScopes;
use super::pkce::State;
use super::provider::Provider;
use super::secret::AccessToken;
use super::session::{Session, SignedOut};
use super::vault::Vault;
use super::{lock, EngineError};

/// What every account's sign-in shares.
pub(super) struct Shared {
    pub flows: Arc<Flows>,
    pub browser: Box<dyn Browser>,
    /// The port the API is bound to, part of the loopback redirect URI.
    pub port: u16,
    /// The port configured, which a provider that matches redirect URIs
    /// exactly knows (0: any).
    pub wanted_port: u16,
    pub code_timeout: Duration,
    /// Every provider's OAuth requests (see `http::oauth_client`).
    pub http: reqwest::Client,
    /// How sign-ins end, for whoever listens (the tray's notifications).
    pub sign_ins: tokio::sync::broadcast::Sender<SignInEnded>,
    /// The scope of each refresh token handed to an API client.
    pub granted: GrantedScopes,
    /// What tokens' lifetimes and the waits are measured by.
    pub clock: Clock,
}

impl Shared {
    /// Where the API listens.
    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Account {
    /// Tells listeners how a sign-in of this account ended; one cleared or
    /// cancelled by the person, or never started, is not news.
    pub(super) fn tell_sign_in_ended<T>(&self, outcome: &Result<T, EngineError>, by_client: bool) {
        let failure = match outcome {
            Ok(_) => None,
            Err(EngineError::Flow(FlowError::Cleared) | EngineError::Busy) => return,
            Err(error) => Some(error.said()),
        };
        // Nobody listening is no error.
        let _ = self.common.sign_ins.send(SignInEnded {
            account: self.name().to_owned(),
            by_client,
            failure,
        });
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
    pub(super) common: Arc<Shared>,
    /// Tokens for a narrower scope or another audience, in memory only:
    /// never in the keychain.
    narrowed: Mutex<NarrowedTokens>,
}

/// The narrower tokens of the session now, by (scope, audience).
#[derive(Default)]
struct NarrowedTokens {
    /// Moves on when a sign-out starts and when it ends: a token asked
    /// for before is of a grant being revoked, and is not kept.
    generation: u64,
    tokens: HashMap<Narrowing, Narrowed>,
}

impl NarrowedTokens {
    /// Forgets every token, and any still being asked for.
    fn end_generation(&mut self) {
        self.generation += 1;
        self.tokens.clear();
    }
}

/// What a narrower token was asked for: the scopes (sorted, one space
/// apart) and the audience.
type Narrowing = (Option<String>, Option<String>);

/// A narrower token, whose it is, and until when.
struct Narrowed {
    sub: String,
    token: AccessToken,
    expires_at: i64,
}

impl Account {
    pub(super) fn new(
        config: AccountConfig,
        common: Arc<Shared>,
        vault: Arc<dyn Vault>,
        refresh_reuse_interval: Duration,
    ) -> Arc<Self> {
        let provider = Arc::new(
            Provider::reached_with(config.issuer.clone(), common.http.clone())
                .with(config.preset, config.client_secret.clone()),
        );
        let session = Session::new(
            config.client_id.clone(),
            provider.clone(),
            vault,
            refresh_reuse_interval,
            stale_marker(&config),
            common.clock.clone(),
        );
        Arc::new(Self {
            config,
            provider,
            session,
            shown_attempt: Mutex::new(None),
            common,
            narrowed: Mutex::default(),
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

    /// A token for fewer of the account's scopes, or for another API
    /// (`audience`), asked for with the account's refresh token and kept
    /// in memory until it nears its end (`min_valid`); the account's own
    /// tokens are untouched. Refused, with the reason, where a scope is not
    /// the account's or the provider refuses.
    pub async fn narrowed_token(
        &self,
        scope: Option<&str>,
        audience: Option<&str>,
        min_valid: Duration,
    ) -> Result<(AccessToken, i64), EngineError> {
        let scope = scope.map(|scope| {
            let mut scopes: Vec<&str> = scope.split_whitespace().collect();
            scopes.sort_unstable();
            scopes.dedup();
            scopes.join(" ")
        });
        if let Some(scope) = &scope {
            let foreign: Vec<&str> = scope
                .split(' ')
                .filter(|wanted| !self.config.scopes.iter().any(|own| own == wanted))
                .collect();
            if scope.is_empty() || !foreign.is_empty() {
                let not = match scope.is_empty() {
                    true => "none".to_owned(),
                    false => foreign.join(" "),
                };
                return Err(EngineError::Invalid(
                    "invalid_scope",
                    format!(
                        "--scope takes some of the account's scopes ({}); not {not}",
                        self.config.scopes.join(" ")
                    ),
                ));
            }
        }
        let audience = audience.map(str::trim).filter(|a| !a.is_empty());
        let sub = self
            .status()
            .user
            .map(|user| user.sub)
            .ok_or(super::session::SessionError::NotSignedIn)?;
        let key = (scope.clone(), audience.map(str::to_owned));
        let min_valid = i64::try_from(min_valid.as_secs()).unwrap_or(i64::MAX);
        let generation = {
            let mut narrowed = lock(&self.narrowed);
            let now = self.common.clock.unix_now();
            narrowed
                .tokens
                .retain(|_, kept| kept.sub == sub && kept.expires_at > now);
            if let Some(kept) = narrowed
                .tokens
                .get(&key)
                .filter(|kept| kept.expires_at.saturating_sub(now) >= min_valid)
            {
                return Ok((kept.token.clone(), kept.expires_at));
            }
            narrowed.generation
        };
        let tokens = self.session.narrowed(scope.as_deref(), audience).await?;
        let expires_at = self
            .common
            .clock
            .unix_now()
            .saturating_add(tokens.expires_in as i64);
        tracing::info!(
            "got a token for {} of {}",
            key.0.as_deref().unwrap_or("the scopes"),
            key.1.as_deref().unwrap_or("the account's audience"),
        );
        let mut narrowed = lock(&self.narrowed);
        // Signed out meanwhile: the token is of the grant that ended.
        if narrowed.generation != generation {
            return Err(super::session::SessionError::NotSignedIn.into());
        }
        narrowed.tokens.insert(
            key,
            Narrowed {
                sub,
                token: tokens.access_token.clone(),
                expires_at,
            },
        );
        Ok((tokens.access_token, expires_at))
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
        lock(&self.narrowed).end_generation();
        let signed_out = self.session.sign_out().await;
        // A narrower token that was at the provider when the sign-out
        // began has finished by now (the sign-out waits for token work):
        // whatever it left is forgotten too.
        lock(&self.narrowed).end_generation();
        Ok(signed_out?)
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
