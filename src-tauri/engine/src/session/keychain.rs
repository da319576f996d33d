//! Where the session is kept: the OS keychain, one call at a time on a
//! thread of its own, with the memory standing in while the keychain
//! fails.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::{Message, Session};
use crate::lock;
use crate::vault::{StoredSession, Vault, VaultError};

/// A keychain that does not answer (a prompt nobody sees) counts as absent.
const VAULT_TIMEOUT: Duration = Duration::from_secs(10);

type Job = Box<dyn FnOnce() + Send>;

/// Keychain calls, one at a time and in the order made, on a thread of
/// their own (Secret Service calls block). A call that times out still
/// runs before any later one, so an older write can never land after a
/// newer write or an erase.
pub(super) struct Sequenced {
    pub(super) jobs: std::sync::mpsc::Sender<Job>,
}

/// The process's keychain calls: every account's, on one thread (one
/// keychain answers them all, and each thread costs memory).
pub(super) static CALLS: std::sync::LazyLock<Sequenced> = std::sync::LazyLock::new(Sequenced::new);

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

impl Session {
    /// Runs a call on the vault in use: the memory at once, the keychain
    /// in order (see [`Sequenced`]) with a time limit.
    pub(super) async fn with_vault<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        if self.memory_only.load(Ordering::Relaxed) {
            return call(self.memory.as_ref());
        }
        self.with_keychain(call).await
    }

    pub(super) async fn with_keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let keychain = self.keychain.clone();
        match CALLS.run(move || call(keychain.as_ref())).await {
            Some(result) => result,
            None => Err(VaultError::Unavailable(
                "the keychain did not answer".into(),
            )),
        }
    }

    /// Switches to memory for the rest of the run, and says so.
    pub(super) fn fall_back_to_memory(&self, error: &VaultError) {
        tracing::warn!("{error}; the session is kept in memory only");
        self.memory_only.store(true, Ordering::Relaxed);
        self.status.send_modify(|status| {
            status.keychain_warning =
                Some(Message::new("session-memory-only").because("why", error.said()));
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

    /// Stores a token set, in the keychain when it can, in memory when not.
    pub(super) async fn keep(&self, stored: StoredSession) {
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
    pub(super) async fn forget(&self) -> Result<(), VaultError> {
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
}
