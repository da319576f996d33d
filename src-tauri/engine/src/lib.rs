//! pkce-tray's engine: the accounts, their sign-in attempts, sessions and
//! keychain items, refresh, the configuration, and the one state every
//! front door renders. Every front door (the HTTP API, the terminal, the
//! tray, the window, deep links) drives these same calls.
//!
//! Below it only the OpenID client (`pkce-tray-oidc`). It may not import
//! the words (`pkce-tray-i18n`: what it tells people is a [`message::Message`],
//! a message id with arguments), the API, the apps, or Tauri.

mod account;
pub mod browser;
mod clients;
pub mod clock;
pub mod config;
mod error;
pub mod events;
pub mod flows;
mod granted;
pub mod logging;
pub mod message;
mod own_sign_in;
mod round_trip;
pub mod session;
pub mod vault;

pub use pkce_tray_oidc::{pkce, preset, provider, secret, text};

pub use account::Account;
pub use clients::{Challenge, CodeRequest, Exchanged, Grant};
pub use error::EngineError;
pub use round_trip::{is_callback_path, Callback};

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use account::Shared;
use browser::Browser;
use clock::Clock;
use config::{AccountConfig, Config, ConfigError};
use error::invalid;
use events::{AccountView, Overview, OverviewReceiver, SignInEnded, Status};
use flows::Flows;
use vault::Vault;

/// Locks a mutex, recovering from poison: every critical section in the
/// app (and its window process) leaves its data consistent, so a panic
/// elsewhere must not stop the app.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A blocking call (a file, the autostart entry) on a thread of its own,
/// so the runtime, which also serves the API, never waits on the disk.
pub async fn off_the_runtime<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(call).await {
        Ok(value) => value,
        // The call's own panic, passed on as if it had run here.
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// Where an account's session is kept: its keychain item.
type VaultFor = Box<dyn Fn(&AccountConfig) -> Arc<dyn Vault> + Send + Sync>;

pub struct Engine {
    common: Arc<Shared>,
    /// In the configuration's order; accounts added from the window last.
    accounts: Mutex<Vec<Arc<Account>>>,
    default_account: Mutex<String>,
    /// Where the default account and added accounts are written.
    config_path: Option<PathBuf>,
    overview: tokio::sync::watch::Sender<Overview>,
    vault: VaultFor,
    refresh_reuse_interval: std::time::Duration,
}

impl Engine {
    /// `port` is the port the API is bound to, part of the loopback
    /// redirect URI; `vault` gives each account the keychain item named
    /// by [`AccountConfig::keychain_account`].
    pub fn new(
        config: Config,
        port: u16,
        browser: Box<dyn Browser>,
        vault: impl Fn(&AccountConfig) -> Arc<dyn Vault> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Self::with_clock(config, port, browser, vault, Clock::system())
    }

    /// [`Engine::new`] on a clock of the caller's: a test's, moved forward
    /// to expire tokens and attempts without waiting for them.
    pub fn with_clock(
        config: Config,
        port: u16,
        browser: Box<dyn Browser>,
        vault: impl Fn(&AccountConfig) -> Arc<dyn Vault> + Send + Sync + 'static,
        clock: Clock,
    ) -> Arc<Self> {
        let common = Arc::new(Shared {
            flows: Flows::new(config.flow_ttl, config.max_pending_flows, clock.clone()),
            browser,
            port,
            wanted_port: config.port,
            code_timeout: config.code_timeout,
            http: provider::oauth_client(),
            sign_ins: tokio::sync::broadcast::channel(16).0,
            granted: Default::default(),
            clock,
        });
        let accounts = config
            .accounts
            .iter()
            .map(|account| {
                Account::new(
                    account.clone(),
                    common.clone(),
                    vault(account),
                    config.refresh_reuse_interval,
                )
            })
            .collect();
        let (overview, _) = tokio::sync::watch::channel(Overview::default());
        let engine = Arc::new(Self {
            common,
            accounts: Mutex::new(accounts),
            default_account: Mutex::new(config.default_account.clone()),
            config_path: config.path.clone(),
            overview,
            vault: Box::new(vault),
            refresh_reuse_interval: config.refresh_reuse_interval,
        });
        engine.publish_overview();
        engine
    }

    /// Where the API listens; shown in the window and the log.
    pub fn api_url(&self) -> String {
        self.common.api_url()
    }

    /// Every account, in the configuration's order.
    pub fn accounts(&self) -> Vec<Arc<Account>> {
        lock(&self.accounts).clone()
    }

    /// The account named `name`.
    pub fn account(&self, name: &str) -> Result<Arc<Account>, EngineError> {
        let accounts = lock(&self.accounts);
        accounts
            .iter()
            .find(|account| account.name() == name)
            .cloned()
            .ok_or_else(|| EngineError::UnknownAccount {
                name: name.to_owned(),
                known: accounts
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The account `name` names, or the default one.
    pub fn account_or_default(&self, name: Option<&str>) -> Result<Arc<Account>, EngineError> {
        match name {
            Some(name) => self.account(name),
            None => Ok(self.default_account()),
        }
    }

    /// The account the tray's icon, `/session` and commands without an
    /// account are about.
    pub fn default_account(&self) -> Arc<Account> {
        let name = lock(&self.default_account).clone();
        self.account(&name)
            .unwrap_or_else(|_| lock(&self.accounts)[0].clone())
    }

    /// Adds an account the person named in the window: its provider is
    /// asked for its discovery document first, and only an account whose
    /// provider answers is written to the configuration file and started.
    pub async fn add_account(
        self: &Arc<Self>,
        name: &str,
        issuer: &str,
        client_id: &str,
    ) -> Result<Arc<Account>, EngineError> {
        let refused = |error: ConfigError| EngineError::Config(Arc::new(error));
        if !config::is_account_name(name) {
            return Err(refused(ConfigError::BadAccountName(name.to_owned())));
        }
        if self.account(name).is_ok() {
            return Err(refused(ConfigError::AccountExists(name.to_owned())));
        }
        let client_id = client_id.trim();
        if client_id.is_empty() {
            return Err(invalid(
                "a client id is needed: the one the provider registered for this app",
            ));
        }
        let path = self
            .config_path
            .clone()
            .ok_or_else(|| invalid("there is no configuration file to keep the account in"))?;
        let issuer = config::parse_issuer(issuer.trim()).map_err(refused)?;
        let config = AccountConfig::new(name, issuer, client_id);
        {
            let mut configs: Vec<AccountConfig> = self
                .accounts()
                .iter()
                .map(|account| account.config.clone())
                .collect();
            configs.push(config.clone());
            config::check_keychain_items(&configs).map_err(refused)?;
        }
        let vault = (self.vault)(&config);
        let account = Account::new(
            config,
            self.common.clone(),
            vault,
            self.refresh_reuse_interval,
        );
        account.provider.metadata().await?;
        let (name_owned, issuer, client_id) = (
            name.to_owned(),
            account.config.issuer.as_str().to_owned(),
            client_id.to_owned(),
        );
        off_the_runtime(move || config::add_account(&path, &name_owned, &issuer, &client_id))
            .await
            .map_err(refused)?;
        {
            let mut accounts = lock(&self.accounts);
            if accounts.iter().any(|known| known.name() == name) {
                return Err(refused(ConfigError::AccountExists(name.to_owned())));
            }
            accounts.push(account.clone());
        }
        tracing::info!("added the account {name}");
        self.run_account(&account).await;
        self.publish_overview();
        Ok(account)
    }

    /// Makes `name` the default account, in the configuration file first
    /// (where there is one), so it stays so.
    pub async fn set_default_account(&self, name: &str) -> Result<(), EngineError> {
        self.account(name)?;
        if let Some(path) = self.config_path.clone() {
            let name = name.to_owned();
            off_the_runtime(move || config::set_default_account(&path, &name))
                .await
                .map_err(|error| EngineError::Config(Arc::new(error)))?;
        }
        *lock(&self.default_account) = name.to_owned();
        tracing::info!("the default account is now {name}");
        self.publish_overview();
        Ok(())
    }

    /// Restores every account's session and keeps each fresh from now on;
    /// the overview follows every account's state.
    pub async fn start(self: &Arc<Self>) {
        let restoring: Vec<_> = self
            .accounts()
            .into_iter()
            .map(|account| {
                let engine = self.clone();
                tokio::spawn(async move { engine.run_account(&account).await })
            })
            .collect();
        for account in restoring {
            let _ = account.await;
        }
        self.publish_overview();
    }

    /// Restores an account's session, keeps it fresh, and follows it in
    /// the overview.
    async fn run_account(self: &Arc<Self>, account: &Arc<Account>) {
        account.start().await;
        let mut changes = account.subscribe();
        let engine = Arc::downgrade(self);
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                match Weak::upgrade(&engine) {
                    Some(engine) => engine.publish_overview(),
                    None => return,
                }
            }
        });
    }

    /// Every account, in the configuration's order, each with whether it
    /// is the default: what every list of accounts shows.
    pub fn accounts_marked(&self) -> Vec<(Arc<Account>, bool)> {
        let default = lock(&self.default_account).clone();
        self.accounts()
            .into_iter()
            .map(|account| {
                let is_default = account.name() == default;
                (account, is_default)
            })
            .collect()
    }

    fn publish_overview(&self) {
        let accounts = self
            .accounts_marked()
            .into_iter()
            .map(|(account, default)| AccountView {
                name: account.name().to_owned(),
                default,
                status: account.status(),
                redirect_uris: account.redirect_uris().into(),
            })
            .collect();
        self.overview.send_replace(Overview { accounts });
    }

    /// The default account's state.
    pub fn status(&self) -> Status {
        self.default_account().status()
    }

    /// Every account's state, the default marked, for front doors that
    /// render live.
    pub fn subscribe(&self) -> OverviewReceiver {
        self.overview.subscribe()
    }

    /// How each sign-in ends, from now on.
    pub fn sign_ins(&self) -> tokio::sync::broadcast::Receiver<SignInEnded> {
        self.common.sign_ins.subscribe()
    }

    /// Whether any session was restored (the window opens on a first run).
    pub fn has_session(&self) -> bool {
        self.accounts().iter().any(|account| account.has_session())
    }

    /// The app is ending: token requests at the providers finish and are
    /// kept (a few seconds at most), and no new one starts.
    pub async fn quiesce(&self) {
        let ending: Vec<_> = self
            .accounts()
            .iter()
            .map(|account| {
                let account = account.clone();
                tokio::spawn(async move { account.session.quiesce().await })
            })
            .collect();
        for account in ending {
            let _ = account.await;
        }
    }
}
