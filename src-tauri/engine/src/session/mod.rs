//! The one session: signed out, signing in, signed in, or failed. It keeps
//! the tokens (in the vault and in memory), refreshes them before they
//! expire, and publishes every change on the status channel. Here its
//! state, sign-in and sign-out; where it is kept in `keychain`, how it
//! stays fresh in `refresh`.

mod keychain;
mod refresh;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::clock::Clock;
use super::events::{Phase, Status, StatusReceiver, StatusSender, User};
use super::lock;
use super::message::Message;
use super::provider::{IdClaims, Provider, ProviderError, Tokens};
use super::secret::AccessToken;
use super::vault::{MemoryVault, StoredSession, Vault, VaultError};

pub use refresh::Refresh;

/// How long an ending app waits for a token request at the provider.
const QUIT_GRACE: Duration = Duration::from_secs(10);

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
    /// A narrower token needs the session's refresh token.
    #[error("the provider issued no refresh token, so no other token can be asked for; sign in again with offline access")]
    CannotNarrow,
    /// RFC 9700 §4.14: a rotated-away refresh token presented after the
    /// reuse interval.
    #[error(
        "this refresh token was replaced {0} seconds ago; sign in again or use the current one"
    )]
    Superseded(u64),
}

impl SessionError {
    /// What a person is told.
    pub fn said(&self) -> Message {
        match self {
            Self::Provider(error) => Message::from(error),
            Self::Vault(error) => error.said(),
            Self::NotSignedIn => Message::new("error-not-signed-in"),
            Self::CannotRenew(seconds) => {
                Message::new("error-cannot-renew").count("seconds", (*seconds).max(0) as u64)
            }
            Self::CannotNarrow => Message::new("error-cannot-narrow"),
            Self::Superseded(seconds) => {
                Message::new("error-superseded").count("seconds", *seconds)
            }
        }
    }
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
    /// A file (no secret in it) that says the keychain's item is older
    /// than a session this app held in memory while the keychain failed.
    stale_marker: Option<PathBuf>,
    clock: Clock,
}

impl Session {
    /// `reuse_interval`: how long a rotated-away refresh token is still
    /// answered (with the current tokens) when a client presents it.
    /// `stale_marker`: where to note that the keychain's item was
    /// overtaken by a session kept in memory (see [`Session::restore`]).
    /// `clock`: what its tokens' lifetimes and its waits are measured by.
    pub fn new(
        client_id: String,
        provider: Arc<Provider>,
        keychain: Arc<dyn Vault>,
        reuse_interval: Duration,
        stale_marker: Option<PathBuf>,
        clock: Clock,
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
            stale_marker,
            clock,
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
    pub fn settle(&self, message: Option<Message>, failed: bool) {
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
        let issued_at = self.clock.unix_now();
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

    /// InstanceLock while tokens are asked for and kept (see `token_work`).
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

    async fn end(&self, message: Message) {
        tracing::info!("the session ended: {}", message.id());
        if let Err(error) = self.forget().await {
            tracing::warn!("could not erase the keychain item: {error}");
        }
        self.publish(Status {
            ended: true,
            ..Status::signed_out(Some(message))
        });
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
        let access_token =
            (current.expires_at > self.clock.unix_now()).then_some(&current.access_token);
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
            Ok(()) => Status::signed_out(Some(Message::new("signed-out"))),
            Err(error) => {
                tracing::warn!("revocation failed: {error}");
                let place = self.provider.where_to_sign_out().await;
                let why = match error {
                    ProviderError::NoRevocation => Message::new("signed-out-no-revocation"),
                    error => {
                        Message::new("signed-out-unconfirmed").with("detail", error.to_string())
                    }
                };
                let said = Message::new("signed-out-here-only")
                    .because("why", why)
                    .with("place", &place);
                Status {
                    provider_sign_out: Some(place),
                    ..Status::signed_out(Some(said))
                }
            }
        };
        self.publish(status);
        erased?;
        Ok(SignedOut {
            revoked: revocation.is_ok(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::refresh::refresh_due;
    use super::*;
    use crate::secret::AccessToken;

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
            Clock::system(),
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
        keychain::CALLS
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
            Clock::system(),
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
