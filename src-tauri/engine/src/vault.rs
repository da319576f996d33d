//! Where the session's tokens rest between runs: the OS keychain (Secret
//! Service, macOS Keychain, Windows Credential Manager), never a plain file.

use std::borrow::Cow;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::events::User;
use super::lock;
use super::message::Message;
use super::secret::{AccessToken, RefreshToken};

/// The keychain service name of every item pkce-tray writes.
pub const SERVICE: &str = "pkce-tray";

/// The platform's store, by the name its users know it by.
pub const STORE: &str = if cfg!(target_os = "macos") {
    "the macOS Keychain"
} else if cfg!(windows) {
    "the Windows Credential Manager"
} else {
    "the system keychain (Secret Service)"
};

#[derive(Debug, Clone, thiserror::Error)]
pub enum VaultError {
    #[error("{STORE} is not available ({0})")]
    Unavailable(String),
    #[error("the keychain item is damaged and was ignored")]
    Corrupt,
}

impl VaultError {
    /// What a person is told.
    pub fn said(&self) -> Message {
        match self {
            Self::Unavailable(detail) => Message::new("error-keychain-unavailable")
                .with("store", std::env::consts::OS)
                .with("detail", detail),
            Self::Corrupt => Message::new("error-keychain-damaged"),
        }
    }
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

/// The most one item holds: Windows' Credential Manager refuses a secret
/// over 2,560 bytes (`CRED_MAX_CREDENTIAL_BLOB_SIZE`). A longer token set
/// (some providers' tokens run to kilobytes) is kept in parts.
const PART: usize = 2560;
/// What the account's item holds when the set is in parts: this, then the
/// parts' generation and count, `pkce-tray-parts:<generation>:<count>`.
/// The parts are the items `<account>#<generation>.<index>`; each store
/// writes a new generation before the account's item names it, so a store
/// cut short leaves the previous set whole.
const PARTS: &[u8] = b"pkce-tray-parts:";
/// Parts at most, so a damaged item cannot send the load on a long walk.
const PARTS_MAX: usize = 16;

/// Where a set in parts is: which generation, how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts {
    generation: u64,
    count: usize,
}

/// The OS keychain, one item per account under the service `pkce-tray`
/// (more where the token set needs them). The item is the set's JSON as
/// UTF-8 bytes: a password would be stored as UTF-16 on Windows, twice
/// the size.
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

    fn part(&self, generation: u64, index: usize) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(SERVICE, &format!("{}#{generation}.{index}", self.account))
            .map_err(unavailable)
    }

    /// Deletes a set's parts; one already gone is no error.
    fn delete_parts(&self, parts: Parts) -> Result<(), VaultError> {
        for index in 1..=parts.count {
            Self::delete(self.part(parts.generation, index)?)?;
        }
        Ok(())
    }

    /// The account's item, or `None` where there is none.
    fn first(&self) -> Result<Option<Zeroizing<Vec<u8>>>, VaultError> {
        match self.entry()?.get_secret() {
            Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn delete(entry: keyring::Entry) -> Result<(), VaultError> {
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::Unavailable(match error {
        keyring::Error::NoDefaultStore if cfg!(target_os = "linux") => {
            "no Secret Service is running".into()
        }
        keyring::Error::NoDefaultStore => "it could not be opened".into(),
        keyring::Error::NoStorageAccess(_) => "the keychain is locked or access was refused".into(),
        other => other.to_string(),
    })
}

/// Where the account's item says the set's parts are, if it is in parts.
fn parts(first: &[u8]) -> Option<Parts> {
    let (generation, count) = std::str::from_utf8(first.strip_prefix(PARTS)?)
        .ok()?
        .split_once(':')?;
    let count = count.parse().ok().filter(|n| (2..=PARTS_MAX).contains(n))?;
    Some(Parts {
        generation: generation.parse().ok()?,
        count,
    })
}

impl Vault for KeyringVault {
    fn load(&self) -> Result<Option<StoredSession>, VaultError> {
        let Some(first) = self.first()? else {
            return Ok(None);
        };
        let json = match parts(&first) {
            None => first,
            Some(parts) => {
                let mut whole = Zeroizing::new(Vec::new());
                for index in 1..=parts.count {
                    match self.part(parts.generation, index)?.get_secret() {
                        Ok(part) => whole.extend_from_slice(&Zeroizing::new(part)),
                        Err(keyring::Error::NoEntry) => return Err(VaultError::Corrupt),
                        Err(e) => return Err(unavailable(e)),
                    }
                }
                whole
            }
        };
        let json = std::str::from_utf8(&json).map_err(|_| VaultError::Corrupt)?;
        StoredSession::from_secret_json(json).map(Some)
    }

    /// A new generation of parts first, the account's item last (what a
    /// load goes by), then the previous generation's parts.
    fn store(&self, session: &StoredSession) -> Result<(), VaultError> {
        let json = session.to_secret_json();
        let before = self.first()?.and_then(|first| parts(&first));
        let chunks: Vec<&[u8]> = json.as_bytes().chunks(PART).collect();
        if chunks.len() > PARTS_MAX {
            return Err(VaultError::Unavailable(format!(
                "the token set is larger than the {} KiB the keychain is given for it",
                PART * PARTS_MAX / 1024
            )));
        }
        if chunks.len() == 1 {
            self.entry()?.set_secret(chunks[0]).map_err(unavailable)?;
        } else {
            let generation = before.map_or(1, |parts| parts.generation.wrapping_add(1));
            for (index, chunk) in chunks.iter().enumerate() {
                self.part(generation, index + 1)?
                    .set_secret(chunk)
                    .map_err(unavailable)?;
            }
            let first = [PARTS, format!("{generation}:{}", chunks.len()).as_bytes()].concat();
            self.entry()?.set_secret(&first).map_err(unavailable)?;
        }
        match before {
            Some(parts) => self.delete_parts(parts),
            None => Ok(()),
        }
    }

    /// The parts first: a part left behind by a failure is still named by
    /// the account's item, and erased by the next try.
    fn erase(&self) -> Result<(), VaultError> {
        if let Some(parts) = self.first()?.and_then(|first| parts(&first)) {
            self.delete_parts(parts)?;
        }
        Self::delete(self.entry()?)
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
    fn only_a_well_formed_item_says_parts() {
        let at = |generation, count| Some(Parts { generation, count });
        assert_eq!(parts(b"pkce-tray-parts:7:3"), at(7, 3));
        assert_eq!(parts(b"pkce-tray-parts:7:1"), None);
        assert_eq!(parts(b"pkce-tray-parts:7:99"), None);
        assert_eq!(parts(b"pkce-tray-parts:x:3"), None);
        assert_eq!(parts(b"pkce-tray-parts:3"), None);
        assert_eq!(parts(b"{\"access_token\":\"pkce-tray-parts:1:3\"}"), None);
    }

    /// A realistic large set through the real Credential Manager: a JWT
    /// access token and an Entra-sized refresh token (the provider's 1.5 KB
    /// ID token is not stored: its claims are), over one item's limit
    /// together, so kept in parts.
    #[cfg(windows)]
    #[test]
    fn a_large_token_set_round_trips_through_the_credential_manager() {
        let vault = KeyringVault::new(format!("test-{}@https://id.example/", std::process::id()));
        let mut session = sample();
        session.access_token = AccessToken::new(format!("eyJ{}", "a".repeat(1400)));
        session.refresh_token = Some(RefreshToken::new(format!("0.A{}", "r".repeat(1600))));
        assert!(session.to_secret_json().len() > PART);
        vault.store(&session).unwrap();
        let back = vault.load().unwrap().expect("stored");
        assert_eq!(back.access_token, session.access_token);
        assert_eq!(back.refresh_token, session.refresh_token);
        // A smaller set replaces it, and leaves no part behind.
        vault.store(&sample()).unwrap();
        assert_eq!(vault.load().unwrap().unwrap().access_token.secret(), "at-1");
        assert!(matches!(
            vault.part(1, 1).unwrap().get_secret(),
            Err(keyring::Error::NoEntry)
        ));
        vault.erase().unwrap();
        assert!(vault.load().unwrap().is_none());
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
