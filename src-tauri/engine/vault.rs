//! Where the session's tokens rest between runs: the OS keychain (Secret
//! Service, macOS Keychain, Windows Credential Manager), never a plain file.

use std::borrow::Cow;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::events::User;
use super::lock;
use super::secret::{AccessToken, RefreshToken};

/// The keychain service name of every item pkce-tray writes.
pub const SERVICE: &str = "pkce-tray";

#[derive(Debug, Clone, thiserror::Error)]
pub enum VaultError {
    #[error("the system keychain is not available ({0})")]
    Unavailable(String),
    #[error("the keychain item is damaged and was ignored")]
    Corrupt,
}

/// The token set of one signed-in account.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub access_token: AccessToken,
    pub refresh_token: Option<RefreshToken>,
    /// Unix seconds.
    pub issued_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    pub user: User,
}

/// The item's JSON. The ID token is left out: the claims are kept instead,
/// which keeps the item under Windows' 2,560-byte limit. Borrowed on the way
/// out, so no token is copied into a buffer that is not wiped.
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    access_token: Cow<'a, str>,
    refresh_token: Option<Cow<'a, str>>,
    issued_at: i64,
    expires_at: i64,
    user: Cow<'a, User>,
}

impl StoredSession {
    /// The one place a token set becomes text, for the keychain only.
    fn to_secret_json(&self) -> Zeroizing<String> {
        let record = Record {
            access_token: Cow::Borrowed(self.access_token.secret()),
            refresh_token: self
                .refresh_token
                .as_ref()
                .map(|t| Cow::Borrowed(t.secret())),
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            user: Cow::Borrowed(&self.user),
        };
        Zeroizing::new(serde_json::to_string(&record).expect("a record serialises"))
    }

    fn from_secret_json(json: &str) -> Result<Self, VaultError> {
        let record: Record = serde_json::from_str(json).map_err(|_| VaultError::Corrupt)?;
        Ok(Self {
            access_token: AccessToken::new(record.access_token.into_owned()),
            refresh_token: record
                .refresh_token
                .map(|t| RefreshToken::new(t.into_owned())),
            issued_at: record.issued_at,
            expires_at: record.expires_at,
            user: record.user.into_owned(),
        })
    }
}

/// A store for one account's token set. Calls may block (D-Bus): callers
/// run them off the async runtime.
pub trait Vault: Send + Sync {
    fn load(&self) -> Result<Option<StoredSession>, VaultError>;
    fn store(&self, session: &StoredSession) -> Result<(), VaultError>;
    fn erase(&self) -> Result<(), VaultError>;
}

/// The OS keychain, one item per account under the service `pkce-tray`.
pub struct KeyringVault {
    account: String,
}

impl KeyringVault {
    /// `account` names the provider and client, so each configured account
    /// has its own item and a restart finds it without any other file.
    pub fn new(account: String) -> Self {
        Self { account }
    }

    fn entry(&self) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(SERVICE, &self.account).map_err(unavailable)
    }
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::Unavailable(match error {
        keyring::Error::NoDefaultStore => "no Secret Service is running".into(),
        keyring::Error::NoStorageAccess(_) => "the keychain is locked or access was refused".into(),
        other => other.to_string(),
    })
}

impl Vault for KeyringVault {
    fn load(&self) -> Result<Option<StoredSession>, VaultError> {
        match self.entry()?.get_password() {
            Ok(json) => StoredSession::from_secret_json(&Zeroizing::new(json)).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn store(&self, session: &StoredSession) -> Result<(), VaultError> {
        self.entry()?
            .set_password(&session.to_secret_json())
            .map_err(unavailable)
    }

    fn erase(&self) -> Result<(), VaultError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// Holds the session for this run only, when the keychain cannot.
#[derive(Default)]
pub struct MemoryVault(Mutex<Option<StoredSession>>);

impl Vault for MemoryVault {
    fn load(&self) -> Result<Option<StoredSession>, VaultError> {
        Ok(lock(&self.0).clone())
    }

    fn store(&self, session: &StoredSession) -> Result<(), VaultError> {
        *lock(&self.0) = Some(session.clone());
        Ok(())
    }

    fn erase(&self) -> Result<(), VaultError> {
        *lock(&self.0) = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredSession {
        StoredSession {
            access_token: AccessToken::new("at-1".into()),
            refresh_token: Some(RefreshToken::new("rt-1".into())),
            issued_at: 10,
            expires_at: 70,
            user: User {
                sub: "ada".into(),
                name: Some("Ada Lovelace".into()),
                email: None,
                picture: None,
            },
        }
    }

    #[test]
    fn the_item_round_trips() {
        let json = sample().to_secret_json();
        let back = StoredSession::from_secret_json(&json).unwrap();
        assert_eq!(back.access_token.secret(), "at-1");
        assert_eq!(back.refresh_token.unwrap().secret(), "rt-1");
        assert_eq!(back.user.name.as_deref(), Some("Ada Lovelace"));
        assert!(matches!(
            StoredSession::from_secret_json("{"),
            Err(VaultError::Corrupt)
        ));
    }

    #[test]
    fn memory_vault_forgets_on_erase() {
        let vault = MemoryVault::default();
        vault.store(&sample()).unwrap();
        assert!(vault.load().unwrap().is_some());
        vault.erase().unwrap();
        assert!(vault.load().unwrap().is_none());
    }
}
