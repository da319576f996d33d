//! The configuration file: read (top-level keys are the account
//! `default`, `[accounts.NAME]` tables the others) and written where the
//! person chose from the app (the default account, an added account),
//! keeping their comments and layout.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use super::{is_account_name, ConfigError, RedirectMode, DEFAULT_ACCOUNT};
use crate::preset::Preset;

/// One account's keys: the same names as the flags, in snake case.
#[derive(Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileAccount {
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub audience: Option<String>,
    pub scope: Option<String>,
    pub resources: Option<Vec<String>>,
    pub redirect: Option<RedirectMode>,
    pub git_hosts: Option<Vec<String>>,
    pub git_username: Option<String>,
    pub par: Option<bool>,
    pub preset: Option<Preset>,
    /// Never a flag: a command line is visible to every user of the machine.
    pub client_secret: Option<String>,
}

/// The whole file: the app's settings, the account `default` at the top
/// level (every file written before accounts), and the named accounts.
/// The top-level keys repeat [`FileAccount`]'s rather than flatten it:
/// serde's flatten would lose the line and column of a wrong key.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileConfig {
    pub default_account: Option<String>,
    pub port: Option<u16>,
    pub browser: Option<String>,
    pub notifications: Option<bool>,
    pub code_timeout: Option<u64>,
    pub flow_ttl: Option<u64>,
    pub refresh_reuse_interval: Option<u64>,
    #[serde(default)]
    accounts: IndexMap<String, FileAccount>,
    issuer: Option<String>,
    client_id: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    resources: Option<Vec<String>>,
    redirect: Option<RedirectMode>,
    git_hosts: Option<Vec<String>>,
    git_username: Option<String>,
    par: Option<bool>,
    preset: Option<Preset>,
    client_secret: Option<String>,
}

impl FileConfig {
    /// The accounts in the file's order, the top-level one first.
    pub(super) fn accounts_in_order(
        &self,
        shown_path: &str,
    ) -> Result<Vec<(String, FileAccount)>, ConfigError> {
        let top = FileAccount {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            audience: self.audience.clone(),
            scope: self.scope.clone(),
            resources: self.resources.clone(),
            redirect: self.redirect,
            git_hosts: self.git_hosts.clone(),
            git_username: self.git_username.clone(),
            par: self.par,
            preset: self.preset,
            client_secret: self.client_secret.clone(),
        };
        let has_top = top.issuer.is_some() || top.client_id.is_some();
        let mut accounts = Vec::new();
        if has_top {
            accounts.push((DEFAULT_ACCOUNT.to_owned(), top));
        }
        for (name, account) in &self.accounts {
            if !is_account_name(name) {
                return Err(ConfigError::BadAccountName(name.clone()));
            }
            if has_top && name == DEFAULT_ACCOUNT {
                return Err(ConfigError::DefaultTwice(shown_path.to_owned()));
            }
            accounts.push((name.clone(), account.clone()));
        }
        Ok(accounts)
    }
}

/// A missing default file is normal; a missing file the user named is not.
pub(super) fn read(path: &Path, named: bool) -> Result<FileConfig, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: path.to_owned(),
            place: error
                .span()
                .map(|span| place(&text, span.start))
                .unwrap_or_else(|| "some place".into()),
            message: error.message().to_owned(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => Ok(FileConfig::default()),
        Err(source) => Err(ConfigError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// "line L, column C" of a byte offset.
fn place(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    format!("line {line}, column {column}")
}

/// The file as an editable document (an empty one where there is none yet).
fn document(path: &Path) -> Result<toml_edit::DocumentMut, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    text.parse()
        .map_err(|error: toml_edit::TomlError| ConfigError::Parse {
            path: path.to_owned(),
            place: error
                .span()
                .map(|span| place(&text, span.start))
                .unwrap_or_else(|| "some place".into()),
            message: error.message().to_owned(),
        })
}

/// Writes the document whole or not at all: a new file beside it, renamed
/// over it, with the old one's permissions (it may hold a client secret;
/// a new one is for this user alone).
fn save(path: &Path, document: &toml_edit::DocumentMut) -> Result<(), ConfigError> {
    let failed = |error: std::io::Error| ConfigError::Write {
        path: path.to_owned(),
        message: error.to_string(),
    };
    let next = PathBuf::from(format!("{}.new", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&next).and_then(|mut file| {
        if let Ok(old) = std::fs::metadata(path) {
            file.set_permissions(old.permissions())?;
        }
        std::io::Write::write_all(&mut file, document.to_string().as_bytes())?;
        file.sync_all()
    });
    written
        .and_then(|()| std::fs::rename(&next, path))
        .map_err(|error| {
            let _ = std::fs::remove_file(&next);
            failed(error)
        })
}

/// Whether the document names the account.
fn has_account(document: &toml_edit::DocumentMut, name: &str) -> bool {
    (name == DEFAULT_ACCOUNT
        && (document.contains_key("issuer") || document.contains_key("client_id")))
        || document
            .get("accounts")
            .and_then(|accounts| accounts.get(name))
            .is_some()
}

/// Makes `name` the default account in the file at `path`.
pub fn set_default_account(path: &Path, name: &str) -> Result<(), ConfigError> {
    let mut document = document(path)?;
    if !has_account(&document, name) {
        return Err(ConfigError::NotInFile {
            name: name.to_owned(),
            path: path.to_owned(),
        });
    }
    // Before any table, where a person looks for it.
    document.insert("default_account", toml_edit::value(name));
    document.sort_values_by(|a, _, b, _| {
        (a.get() != "default_account").cmp(&(b.get() != "default_account"))
    });
    save(path, &document)
}

/// Turns the desktop's notifications on or off in the file at `path`.
pub fn set_notifications(path: &Path, on: bool) -> Result<(), ConfigError> {
    let mut document = document(path)?;
    document.insert("notifications", toml_edit::value(on));
    save(path, &document)
}

/// Adds `[accounts.NAME]` with its provider and client to the file at
/// `path`; an account of that name already there is refused.
pub fn add_account(
    path: &Path,
    name: &str,
    issuer: &str,
    client_id: &str,
) -> Result<(), ConfigError> {
    if !is_account_name(name) {
        return Err(ConfigError::BadAccountName(name.to_owned()));
    }
    let mut document = document(path)?;
    if has_account(&document, name) {
        return Err(ConfigError::AccountExists(name.to_owned()));
    }
    let accounts = document
        .entry("accounts")
        .or_insert_with(|| {
            let mut table = toml_edit::Table::new();
            table.set_implicit(true);
            toml_edit::Item::Table(table)
        })
        .as_table_mut()
        .ok_or_else(|| ConfigError::Write {
            path: path.to_owned(),
            message: "`accounts` is not a table".into(),
        })?;
    let mut account = toml_edit::Table::new();
    account.insert("issuer", toml_edit::value(issuer));
    account.insert("client_id", toml_edit::value(client_id));
    accounts.insert(name, toml_edit::Item::Table(account));
    save(path, &document)
}
