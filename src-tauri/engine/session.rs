//! The one session: signed out, signing in, signed in, or failed. It keeps
//! the tokens (in the vault and in memory), refreshes them before they
//! expire, and publishes every change on the status channel.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::Notify;

use super::events::{Phase, Status, StatusReceiver, StatusSender, User};
use super::lock;
use super::provider::{IdClaims, Provider, ProviderError, Tokens};
use super::secret::{AccessToken, RefreshToken};
use super::vault::{MemoryVault, StoredSession, Vault, VaultError};

/// How long an ending app waits for a token request at the provider.
const QUIT_GRACE: Duration = Duration::from_secs(10);
/// Refresh when this share of the access token's lifetime has passed.
const REFRESH_AT: f64 = 0.8;
/// A keychain that does not answer (a prompt nobody sees) counts as absent.
const VAULT_TIMEOUT: Duration = Duration::from_secs(10);
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_MAX: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("not signed in")]
    NotSignedIn,
    /// The access token is about to expire and the provider issued no
    /// refresh token to renew it with.
    #[error("the access token expires in {0} s and there is no refresh token to renew it; sign in again")]
    CannotRenew(i64),
    /// RFC 9700 §4.14: a rotated-away refresh token presented after the
    /// reuse interval.
    #[error(
        "this refresh token was replaced {0} seconds ago; sign in again or use the current one"
    )]
    Superseded(u64),
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// When a token set is due for refresh, in Unix seconds.
fn refresh_due(session: &StoredSession) -> i64 {
    let lifetime = (session.expires_at - session.issued_at).max(0) as f64;
    session.issued_at + (lifetime * REFRESH_AT) as i64
}

impl From<IdClaims> for User {
    fn from(claims: IdClaims) -> Self {
        Self {
            sub: claims.sub,
            name: claims.name,
            email: claims.email,
            picture: claims.picture,
        }
    }
}

/// When a refresh is wanted. Callers that queued behind another refresh
/// find the work done rather than refreshing again.
#[derive(Debug, Clone, Copy)]
pub enum Refresh {
    /// At 80 % of the access token's lifetime (the background refresher).
    IfDue,
    /// Now, unless the session no longer holds the refresh token with this
    /// digest: someone else refreshed it meanwhile (a client's request).
    IfStillHolding([u8; 32]),
}

/// What became of a sign-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedOut {
    /// Whether the provider confirmed the revocation of the refresh token.
    pub revoked: bool,
}

pub struct Session {
    client_id: String,
    provider: Arc<Provider>,
    keychain: Arc<dyn Vault>,
    memory: Arc<MemoryVault>,
    /// Set once the keychain has failed: the session then lives in memory.
    memory_only: AtomicBool,
    tokens: Mutex<Option<StoredSession>>,
    status: StatusSender,
    refresh_lock: tokio::sync::Mutex<()>,
    /// Shared by every call that asks the provider for tokens and keeps
    /// them; taken whole when the app ends, so none is cut off between
    /// the provider's answer and the vault (a rotated refresh token the
    /// provider already gave would be lost).
    token_work: Arc<tokio::sync::RwLock<()>>,
    /// The whole of `token_work`, once the app is ending.
    ended: Mutex<Option<tokio::sync::OwnedRwLockWriteGuard<()>>>,
    changed: Notify,
    /// Digests of the refresh tokens this session rotated away, and when,
    /// so a client that still holds one is answered from the session
    /// instead of replaying it (which a rotating provider punishes by
    /// revoking all), within the reuse interval only.
    superseded: Mutex<VecDeque<([u8; 32], Instant)>>,
    reuse_interval: Duration,
    /// When the last refresh was tried: never twice within `REFRESH_SPACING`.
    last_refresh: Mutex<Option<Instant>>,
    keychain_calls: Sequenced,
    /// A file (no secret in it) that says the keychain's item is older
    /// than a session this app held in memory while the keychain failed.
    stale_marker: Option<PathBuf>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Keychain calls, one at a time and in the order made, on a thread of
/// their own (Secret Service calls block). A call that times out still
/// runs before any later one, so an older write can never land after a
/// newer write or an erase.
struct Sequenced {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Sequenced {
    fn new() -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("keychain".into())
            .spawn(move || {
                for job in queue {
                    job();
                }
            })
            .expect("a thread for keychain calls starts");
        Self { jobs }
    }

    /// The call's result, or `None` when it did not finish in time.
    async fn run<T: Send + 'static>(&self, call: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(call());
            }))
            .ok()?;
        tokio::time::timeout(VAULT_TIMEOUT, result).await.ok()?.ok()
    }
}

/// The least time between two refreshes by the background refresher,
/// whatever lifetimes the provider hands out.
const REFRESH_SPACING: Duration = Duration::from_secs(5);

/// How many rotated-away refresh tokens are remembered.
const SUPERSEDED_KEPT: usize = 8;

fn digest(token: &RefreshToken) -> [u8; 32] {
    Sha256::digest(token.secret().as_bytes()).into()
}

impl Session {
    /// `reuse_interval`: how long a rotated-away refresh token is still
    /// answered (with the current tokens) when a client presents it.
    /// `stale_marker`: where to note that the keychain's item was
    /// overtaken by a session kept in memory (see [`Session::restore`]).
    pub fn new(
        client_id: String,
        provider: Arc<Provider>,
        keychain: Arc<dyn Vault>,
        reuse_interval: Duration,
        stale_marker: Option<PathBuf>,
    ) -> Arc<Self> {
        let (status, _) = tokio::sync::watch::channel(Status::signed_out(None));
        Arc::new(Self {
            client_id,
            provider,
            keychain,
            memory: Arc::new(MemoryVault::default()),
            memory_only: AtomicBool::new(false),
            tokens: Mutex::new(None),
            status,
            refresh_lock: tokio::sync::Mutex::new(()),
            token_work: Arc::new(tokio::sync::RwLock::new(())),
            ended: Mutex::new(None),
            changed: Notify::new(),
            superseded: Mutex::new(VecDeque::new()),
            reuse_interval,
            last_refresh: Mutex::new(None),
            keychain_calls: Sequenced::new(),
            stale_marker,
        })
    }

    pub fn subscribe(&self) -> StatusReceiver {
        self.status.subscribe()
    }

    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }

    /// Publishes a new state; the keychain warning stays on while it holds.
    fn publish(&self, mut status: Status) {
        if self.memory_only.load(Ordering::Relaxed) {
            status.keychain_warning = self.status.borrow().keychain_warning.clone();
        }
        self.status.send_replace(status);
    }

    fn signed_in_status(session: &StoredSession) -> Status {
        Status {
            phase: Phase::SignedIn,
            user: Some(session.user.clone()),
            expires_at: Some(session.expires_at),
            ..Status::signed_out(None)
        }
    }

    /// Runs a call on the vault in use: the memory at once, the keychain
    /// in order (see [`Sequenced`]) with a time limit.
    async fn with_vault<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        if self.memory_only.load(Ordering::Relaxed) {
            return call(self.memory.as_ref());
        }
        self.with_keychain(call).await
    }

    async fn with_keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let keychain = self.keychain.clone();
        match self
            .keychain_calls
            .run(move || call(keychain.as_ref()))
            .await
        {
            Some(result) => result,
            None => Err(VaultError::Unavailable(
                "the keychain did not answer".into(),
            )),
        }
    }

    /// Switches to memory for the rest of the run, and says so.
    fn fall_back_to_memory(&self, error: &VaultError) {
        tracing::warn!("{error}; the session is kept in memory only");
        self.memory_only.store(true, Ordering::Relaxed);
        self.status.send_modify(|status| {
            status.keychain_warning = Some(format!(
                "{error}: your sign-in is kept in memory only and ends when pkce-tray quits."
            ));
        });
    }

    /// Notes that the keychain's item, if any, is older than the session
    /// now: a session signed in or out while the keychain failed.
    fn mark_keychain_stale(&self) {
        let Some(marker) = self.stale_marker.as_ref().filter(|m| !m.exists()) else {
            return;
        };
        let written = marker
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(marker, b""));
        if let Err(error) = written {
            tracing::warn!("cannot note that the keychain holds an older session: {error}");
        }
    }

    /// Shows the stored user at once, with no network: a due refresh happens
    /// in the background. A keychain item older than a session this app
    /// last kept in memory (signed in, or out, while the keychain failed)
    /// is erased rather than brought back.
    pub async fn restore(&self) {
        if let Some(marker) = self.stale_marker.as_ref().filter(|m| m.exists()) {
            match self.with_keychain(|vault| vault.erase()).await {
                Ok(()) => {
                    tracing::info!("erased a keychain item older than the session kept in memory when pkce-tray last ran");
                    let _ = std::fs::remove_file(marker);
                }
                Err(error) => self.fall_back_to_memory(&error),
            }
            return;
        }
        match self.with_vault(|vault| vault.load()).await {
            Ok(Some(stored)) => {
                tracing::info!("restored the session of {}", stored.user.display_name());
                self.publish(Self::signed_in_status(&stored));
                *lock(&self.tokens) = Some(stored);
                self.changed.notify_one();
            }
            Ok(None) => {}
            Err(VaultError::Corrupt) => tracing::warn!("ignored a damaged keychain item"),
            Err(error) => self.fall_back_to_memory(&error),
        }
    }

    /// Whether anything was stored at start (the window opens on a first run).
    pub fn has_session(&self) -> bool {
        lock(&self.tokens).is_some()
    }

    /// Shows a sign-in in progress, with its page to open again.
    pub fn set_signing_in(&self, sign_in_url: String) {
        let mut status = self.status();
        status.phase = Phase::SigningIn;
        status.message = None;
        status.provider_sign_out = None;
        status.sign_in_url = Some(sign_in_url);
        self.publish(status);
    }

    /// Back to what the session was before a sign-in attempt, with a note.
    pub fn settle(&self, message: Option<String>, failed: bool) {
        let tokens = lock(&self.tokens).clone();
        let mut status = match &tokens {
            Some(stored) => Self::signed_in_status(stored),
            None => Status::signed_out(None),
        };
        if failed {
            status.phase = Phase::Error;
        }
        status.message = message;
        self.publish(status);
    }

    /// The person's profile: the ID token's claims, brought up to date
    /// from UserInfo where the ID token lacks some or there is none. A
    /// failed or foreign answer keeps what is known; it never fails a
    /// sign-in or a refresh.
    async fn profile(&self, access_token: &AccessToken, known: User) -> User {
        match self.provider.userinfo(access_token).await {
            Ok(info) => known.updated_by(info).unwrap_or_else(|| {
                tracing::warn!("UserInfo describes another subject than the ID token; not used");
                known
            }),
            Err(error) => {
                tracing::info!("no UserInfo ({error}); showing what the ID token says");
                known
            }
        }
    }

    /// Makes a finished sign-in the session: stored first, then shown.
    pub async fn adopt(&self, tokens: &Tokens, claims: IdClaims) -> Result<(), SessionError> {
        let mut user = User::from(claims);
        if user.is_incomplete() {
            user = self.profile(&tokens.access_token, user).await;
        }
        // Not while a refresh of the previous session is in flight.
        let _single_flight = self.refresh_lock.lock().await;
        lock(&self.superseded).clear();
        let issued_at = now();
        let stored = StoredSession {
            access_token: tokens.access_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            issued_at,
            expires_at: issued_at.saturating_add(tokens.expires_in as i64),
            user,
        };
        self.keep(stored).await;
        Ok(())
    }

    /// Stores a token set, in the keychain when it can, in memory when not.
    async fn keep(&self, stored: StoredSession) {
        let copy = stored.clone();
        if let Err(error) = self.with_vault(move |vault| vault.store(&copy)).await {
            self.fall_back_to_memory(&error);
            let copy = stored.clone();
            let _ = self.with_vault(move |vault| vault.store(&copy)).await;
        }
        if self.memory_only.load(Ordering::Relaxed) {
            self.mark_keychain_stale();
        }
        self.publish(Self::signed_in_status(&stored));
        *lock(&self.tokens) = Some(stored);
        self.changed.notify_one();
    }

    /// Forgets the session here: memory and vault.
    async fn forget(&self) -> Result<(), VaultError> {
        *lock(&self.tokens) = None;
        lock(&self.superseded).clear();
        self.changed.notify_one();
        let _ = self.memory.erase();
        // The keychain may still hold an item from before it failed.
        let erased = self.with_keychain(|vault| vault.erase()).await;
        if erased.is_err() {
            self.mark_keychain_stale();
        }
        if self.memory_only.load(Ordering::Relaxed) {
            return Ok(());
        }
        erased
    }

    /// Held while tokens are asked for and kept (see `token_work`).
    pub async fn token_work(&self) -> tokio::sync::RwLockReadGuard<'_, ()> {
        self.token_work.read().await
    }

    /// Lets the token work under way finish, within `QUIT_GRACE`, and
    /// starts no more: the app is ending.
    pub async fn quiesce(&self) {
        match tokio::time::timeout(QUIT_GRACE, self.token_work.clone().write_owned()).await {
            Ok(whole) => *lock(&self.ended) = Some(whole),
            Err(_) => tracing::warn!(
                "a token request was still at the provider after {} s; ending without it",
                QUIT_GRACE.as_secs()
            ),
        }
    }

    /// Renews the access token, one refresh at a time however many ask: a
    /// caller that waited finds the work done. With rotation, the new
    /// refresh token is stored before the old one is let go.
    pub async fn refresh(&self, when: Refresh) -> Result<(), SessionError> {
        let _work = self.token_work().await;
        let _single_flight = self.refresh_lock.lock().await;
        let current = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        let needed = match when {
            Refresh::IfDue => now() >= refresh_due(&current),
            Refresh::IfStillHolding(presented) => current
                .refresh_token
                .as_ref()
                .is_some_and(|t| bool::from(digest(t)[..].ct_eq(&presented[..]))),
        };
        if !needed {
            return Ok(());
        }
        let Some(refresh_token) = current.refresh_token.clone() else {
            if now() >= current.expires_at {
                self.end("Your session has expired. Sign in again.").await;
            }
            return Ok(());
        };
        match self.provider.refresh(&self.client_id, &refresh_token).await {
            Ok(tokens) => {
                // The old refresh token may be dead already (rotation): the
                // new set is kept whatever its ID token says, unless it names
                // someone else (OpenID Connect Core §12.2).
                let mut user = current.user.clone();
                if let Some(id_token) = &tokens.id_token {
                    match self
                        .provider
                        .verify_id_token(id_token, &self.client_id, None)
                        .await
                    {
                        Ok(claims) if claims.sub != current.user.sub => {
                            self.end(
                                "The provider renewed the session for another user. Sign in again.",
                            )
                            .await;
                            return Ok(());
                        }
                        // A refreshed ID token may carry fewer claims than
                        // the first; what it leaves out is kept.
                        Ok(claims) => user = user.updated_by(claims.into()).unwrap_or(user),
                        Err(error) => tracing::warn!("kept the display name: {error}"),
                    }
                }
                if tokens.id_token.is_none() || user.is_incomplete() {
                    user = self.profile(&tokens.access_token, user).await;
                }
                let issued_at = now();
                if tokens
                    .refresh_token
                    .as_ref()
                    .is_some_and(|new| *new != refresh_token)
                {
                    let mut superseded = lock(&self.superseded);
                    superseded.push_back((digest(&refresh_token), Instant::now()));
                    if superseded.len() > SUPERSEDED_KEPT {
                        superseded.pop_front();
                    }
                }
                let renewed = StoredSession {
                    access_token: tokens.access_token,
                    refresh_token: tokens.refresh_token.or(Some(refresh_token)),
                    issued_at,
                    expires_at: issued_at.saturating_add(tokens.expires_in as i64),
                    user,
                };
                tracing::info!("refreshed the access token");
                self.keep(renewed).await;
                Ok(())
            }
            Err(error) if error.ends_the_grant() => {
                self.end(
                    "Your session has ended: the provider no longer accepts it. Sign in again.",
                )
                .await;
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The access token, renewed first when it expires within `min_valid`
    /// (the terminal's `token`, git's credential helper). However many ask
    /// at once, the provider sees one refresh; a token still valid for
    /// that long is answered without asking the provider at all.
    pub async fn access_token(
        &self,
        min_valid: Duration,
    ) -> Result<(AccessToken, i64), SessionError> {
        let min_valid = i64::try_from(min_valid.as_secs()).unwrap_or(i64::MAX);
        let current = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        if current.expires_at.saturating_sub(now()) >= min_valid {
            return Ok((current.access_token, current.expires_at));
        }
        let held = current.refresh_token.as_ref().map(digest);
        if let Some(held) = held {
            self.refresh(Refresh::IfStillHolding(held)).await?;
        }
        let renewed = lock(&self.tokens)
            .clone()
            .ok_or(SessionError::NotSignedIn)?;
        let left = renewed.expires_at.saturating_sub(now());
        // A set renewed just now is the freshest there is, even when the
        // provider hands out shorter lifetimes than asked for.
        if left >= min_valid || (renewed.access_token != current.access_token && left > 0) {
            Ok((renewed.access_token, renewed.expires_at))
        } else {
            Err(SessionError::CannotRenew(left.max(0)))
        }
    }

    /// A client's refresh of this session's grant (generateToken with the
    /// session's refresh token, current or rotated away) goes through the
    /// session: one owner, one rotation chain, the same tokens for both.
    /// `None` when the token is not this session's.
    pub async fn refresh_for_client(
        &self,
        presented: &RefreshToken,
    ) -> Option<Result<Tokens, SessionError>> {
        let current = lock(&self.tokens).clone()?;
        let presented = digest(presented);
        let same = |candidate: &[u8; 32]| bool::from(candidate[..].ct_eq(&presented[..]));
        let is_current = current
            .refresh_token
            .as_ref()
            .is_some_and(|t| same(&digest(t)));
        let superseded_since = lock(&self.superseded)
            .iter()
            .find(|(candidate, _)| same(candidate))
            .map(|(_, when)| when.elapsed());
        if !is_current && superseded_since.is_none() {
            return None;
        }
        if let Some(age) = superseded_since.filter(|age| *age > self.reuse_interval) {
            tracing::warn!(
                "refused a refresh token that was replaced {} s ago (reuse interval {} s): a leaked old token buys nothing",
                age.as_secs(),
                self.reuse_interval.as_secs()
            );
            return Some(Err(SessionError::Superseded(age.as_secs())));
        }
        let when = if is_current {
            Refresh::IfStillHolding(presented)
        } else {
            Refresh::IfDue
        };
        if let Err(error) = self.refresh(when).await {
            return Some(Err(error));
        }
        let renewed = lock(&self.tokens).clone();
        Some(
            renewed
                .ok_or(SessionError::NotSignedIn)
                .map(|stored| Tokens {
                    expires_in: (stored.expires_at - now()).max(0) as u64,
                    access_token: stored.access_token.clone(),
                    refresh_token: stored.refresh_token.clone(),
                    id_token: None,
                    scope: None,
                }),
        )
    }

    async fn end(&self, message: &str) {
        tracing::info!("{message}");
        if let Err(error) = self.forget().await {
            tracing::warn!("could not erase the keychain item: {error}");
        }
        self.publish(Status::signed_out(Some(message.into())));
    }

    /// Revokes the refresh token at the provider (RFC 7009), then erases the
    /// session. Offline, it erases all the same and says what failed.
    pub async fn sign_out(&self) -> Result<SignedOut, SessionError> {
        // A refresh in flight finishes first, so it cannot bring back a
        // session that is being signed out, nor leave an unrevoked token.
        let _single_flight = self.refresh_lock.lock().await;
        let current = lock(&self.tokens).clone();
        let Some(current) = current else {
            self.publish(Status::signed_out(None));
            return Ok(SignedOut { revoked: true });
        };
        // An access token past its time would only be refused again.
        let access_token = (current.expires_at > now()).then_some(&current.access_token);
        let revocation = match &current.refresh_token {
            Some(token) => {
                self.provider
                    .revoke(&self.client_id, token, access_token)
                    .await
            }
            None => Ok(()),
        };
        let erased = self.forget().await;
        let status = match &revocation {
            Ok(()) => Status::signed_out(Some("Signed out.".into())),
            Err(error) => {
                tracing::warn!("revocation failed: {error}");
                let place = self.provider.where_to_sign_out().await;
                let why = match error {
                    ProviderError::NoRevocation => {
                        "pkce-tray cannot ask the provider to end it (it offers no revocation)"
                            .to_owned()
                    }
                    error => format!("it did not confirm the end ({error})"),
                };
                Status {
                    provider_sign_out: Some(place.clone()),
                    ..Status::signed_out(Some(format!(
                        "Signed out here, but your session at the provider may still be active: {why}. To end it there too, sign out at {place}"
                    )))
                }
            }
        };
        self.publish(status);
        erased?;
        Ok(SignedOut {
            revoked: revocation.is_ok(),
        })
    }

    /// Keeps the session fresh in the background for as long as the app runs.
    pub fn spawn_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let session = self.clone();
        tokio::spawn(async move {
            let mut backoff = RETRY_FIRST;
            loop {
                let due = lock(&session.tokens)
                    .as_ref()
                    .map(|stored| match stored.refresh_token {
                        Some(_) => refresh_due(stored),
                        None => stored.expires_at,
                    });
                let Some(due) = due else {
                    session.changed.notified().await;
                    continue;
                };
                let spaced = lock(&session.last_refresh)
                    .map(|last| REFRESH_SPACING.saturating_sub(last.elapsed()))
                    .unwrap_or_default();
                let wait = Duration::from_secs((due - now()).max(0) as u64).max(spaced);
                tokio::select! {
                    _ = session.changed.notified() => continue,
                    _ = tokio::time::sleep(wait) => {}
                }
                *lock(&session.last_refresh) = Some(Instant::now());
                match session.refresh(Refresh::IfDue).await {
                    Ok(()) => backoff = RETRY_FIRST,
                    Err(error) => {
                        tracing::warn!(
                            "refresh failed, retrying in {}s: {error}",
                            backoff.as_secs()
                        );
                        tokio::select! {
                            _ = session.changed.notified() => {}
                            _ = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(RETRY_MAX);
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::secret::AccessToken;

    /// A keychain whose writes hang until released, and that remembers
    /// what it holds.
    #[derive(Default)]
    struct HangingKeychain {
        released: std::sync::Mutex<bool>,
        release: std::sync::Condvar,
        held: std::sync::Mutex<Option<StoredSession>>,
    }

    impl Vault for HangingKeychain {
        fn load(&self) -> Result<Option<StoredSession>, VaultError> {
            Ok(lock(&self.held).clone())
        }
        fn store(&self, session: &StoredSession) -> Result<(), VaultError> {
            let mut released = lock(&self.released);
            while !*released {
                released = self.release.wait(released).unwrap();
            }
            *lock(&self.held) = Some(session.clone());
            Ok(())
        }
        fn erase(&self) -> Result<(), VaultError> {
            *lock(&self.held) = None;
            Ok(())
        }
    }

    fn stored() -> StoredSession {
        StoredSession {
            access_token: AccessToken::new("a".into()),
            refresh_token: None,
            issued_at: 1000,
            expires_at: 1100,
            user: User {
                sub: "s".into(),
                name: None,
                email: None,
                picture: None,
            },
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_write_that_timed_out_never_lands_after_a_later_erase() {
        let keychain = Arc::new(HangingKeychain::default());
        let provider = Arc::new(Provider::new("http://127.0.0.1:9".parse().unwrap()));
        let session = Session::new(
            "c".into(),
            provider,
            keychain.clone(),
            Duration::from_secs(10),
            None,
        );
        // The write hangs past its time limit: the session goes on in memory.
        session.keep(stored()).await;
        assert!(session.memory_only.load(Ordering::Relaxed));
        // Sign-out's erase is made while the write still hangs.
        let _ = session.forget().await;
        // The keychain wakes up: the old write runs, then the erase.
        *lock(&keychain.released) = true;
        keychain.release.notify_all();
        let (drained, done) = std::sync::mpsc::channel();
        session
            .keychain_calls
            .jobs
            .send(Box::new(move || drained.send(()).unwrap()))
            .unwrap();
        done.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the queue drains");
        assert!(
            lock(&keychain.held).is_none(),
            "the erase came last, as it was made"
        );
    }

    #[tokio::test]
    async fn a_failed_userinfo_call_keeps_what_the_id_token_said() {
        // Nothing listens there: discovery, and so UserInfo, fail.
        let provider = Arc::new(Provider::new("http://127.0.0.1:9".parse().unwrap()));
        let session = Session::new(
            "c".into(),
            provider,
            Arc::new(MemoryVault::default()),
            Duration::from_secs(10),
            None,
        );
        let known = stored().user;
        let profile = session
            .profile(&AccessToken::new("a".into()), known.clone())
            .await;
        assert_eq!(profile, known);
    }

    #[test]
    fn refresh_is_due_at_eighty_percent() {
        assert_eq!(refresh_due(&stored()), 1080);
    }
}
