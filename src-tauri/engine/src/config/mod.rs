//! Where pkce-tray finds its accounts and how it listens: a TOML file in
//! the OS config dir (read and written in `file`), overridden by
//! `PKCE_TRAY_*` environment variables, overridden by flags. Flags and
//! variables address one account: `--account`, else the default one.

mod file;
mod flags;
mod issuer;

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::message::Message;
use super::preset::Preset;
use super::secret::ClientSecret;
use file::{FileAccount, FileConfig};

pub use file::{add_account, set_default_account, set_notifications};
pub use flags::{Flags, RedirectMode};
pub use issuer::parse_issuer;

/// The port every generated Pieces client uses as its base URL.
pub const DEFAULT_PORT: u16 = 1000;
/// Where the API goes when port 1000 cannot be bound (privileged on Linux, or
/// taken): documented in docs/troubleshooting.md, and announced in the log
/// at start.
pub const FALLBACK_PORT: u16 = 39100;
/// The app's identifier in reverse domain name form, which is also the
/// private URI scheme of deep-link callbacks (RFC 8252 §7.1). The bundle
/// identifier in `tauri.conf.json` and the scheme in the desktop entries
/// are checked against it by the tests below.
pub const DEEP_LINK_SCHEME: &str = "app.pkcetray.desktop";
/// The path of the loopback callback.
pub const CALLBACK_PATH: &str = "/pkce/response/code";
/// The deep-link callback: the same path under the private scheme, with
/// one slash, as RFC 8252 §7.1 writes it.
pub const DEEP_LINK_CALLBACK: &str = "app.pkcetray.desktop:/pkce/response/code";

/// The account that top-level keys describe, as in every release before
/// accounts: its keychain item and its redirect URIs keep the names they
/// always had.
pub const DEFAULT_ACCOUNT: &str = "default";

/// The path of an account's loopback callback, and of its deep link: its
/// own, so a provider's answer is accepted only where the account's
/// sign-in was sent (RFC 9700 §4.4.2, the mix-up attack). The account
/// `default` keeps [`CALLBACK_PATH`]; another is `CALLBACK_PATH/<name>`,
/// from its name alone (a name is letters, digits, dots, dashes and
/// underscores), so changing the default account moves no redirect URI.
pub fn callback_path(account: &str) -> String {
    if account == DEFAULT_ACCOUNT {
        CALLBACK_PATH.to_owned()
    } else {
        format!("{CALLBACK_PATH}/{account}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the configuration file {path}: {message}")]
    Write { path: PathBuf, message: String },
    /// Where and what, never the line itself: it may hold the secret.
    #[error("the configuration file {path} is not valid at {place}: {message}")]
    Parse {
        path: PathBuf,
        place: String,
        message: String,
    },
    #[error(
        "no provider configured: pass --issuer (or set PKCE_TRAY_ISSUER, or `issuer` in {0}); \
         an Auth0 tenant can be given as its domain, e.g. --issuer my-tenant.eu.auth0.com"
    )]
    NoIssuer(String),
    #[error("no client id configured: pass --client-id (or set PKCE_TRAY_CLIENT_ID, or `client_id` in {0})")]
    NoClientId(String),
    #[error("the account {account:?} in {path} has no `{key}`")]
    Incomplete {
        account: String,
        key: &'static str,
        path: String,
    },
    #[error("the issuer {0:?} is not a URL")]
    BadIssuer(String),
    #[error("the issuer {0:?} is plain http on another machine, where anyone on the way could read the tokens; use its https address (plain http is for a provider on this machine only)")]
    InsecureIssuer(String),
    #[error("{0:?} cannot name an account: use up to 32 letters, digits, dots, dashes and underscores, starting with a letter or a digit")]
    BadAccountName(String),
    #[error("there is no account named {name:?}; the accounts are: {known}")]
    NoSuchAccount { name: String, known: String },
    /// An account of flags or the environment only cannot be the default
    /// kept in the file.
    #[error("the account {name:?} is not in the configuration file {path} (it comes from flags or the environment): add it there to make it the default")]
    NotInFile { name: String, path: PathBuf },
    #[error("there is already an account named {0:?}")]
    AccountExists(String),
    #[error("the account `default` is given twice in {0}: by the top-level keys and by [accounts.default]")]
    DefaultTwice(String),
    /// git would not know whose token to send.
    #[error("the git host {host:?} is listed by two accounts, {first:?} and {second:?}; list it under one")]
    GitHostTwice {
        host: String,
        first: String,
        second: String,
    },
    /// Item names are `[<name>:]<client id>@<issuer>`, and a client id may
    /// hold `:`: two accounts would read and erase one session.
    #[error("the accounts {first:?} and {second:?} would keep their sessions in one keychain item, {item:?} (a client id with a colon in it looks like another account's name); rename one of them")]
    SameKeychainItem {
        item: String,
        first: String,
        second: String,
    },
}

impl ConfigError {
    /// What a person is told: the window's errors in their words; those
    /// only the command line can cause stay in English.
    pub fn said(&self) -> Message {
        let path = |path: &PathBuf| path.display().to_string();
        match self {
            Self::Read { path: p, source } => Message::new("error-config-read")
                .with("path", path(p))
                .with("detail", source.to_string()),
            Self::Write { path: p, message } => Message::new("error-config-write")
                .with("path", path(p))
                .with("detail", message),
            Self::Parse {
                path: p,
                place,
                message,
            } => Message::new("error-config-parse")
                .with("path", path(p))
                .with("place", place)
                .with("detail", message),
            Self::BadIssuer(issuer) => Message::new("error-bad-issuer").with("issuer", issuer),
            Self::InsecureIssuer(issuer) => {
                Message::new("error-insecure-issuer").with("issuer", issuer)
            }
            Self::BadAccountName(name) => Message::new("error-bad-account-name").with("name", name),
            Self::AccountExists(name) => Message::new("error-account-exists").with("name", name),
            Self::NoSuchAccount { name, known } => Message::new("error-unknown-account")
                .with("name", name)
                .with("known", known),
            Self::NotInFile { name, path: p } => Message::new("error-not-in-file")
                .with("name", name)
                .with("path", path(p)),
            Self::SameKeychainItem { first, second, .. } => {
                Message::new("error-same-keychain-item")
                    .with("first", first)
                    .with("next", second)
            }
            other => Message::new("error-other").with("detail", super::message::capitalised(other)),
        }
    }
}

/// One account: a provider, this app's client there, and how to sign in.
#[derive(Debug, Clone)]
pub struct AccountConfig {
    /// The short name the person chose (`default` for top-level keys).
    pub name: String,
    pub issuer: Url,
    pub client_id: String,
    pub audience: Option<String>,
    pub scopes: Vec<String>,
    /// APIs (RFC 8707 resource indicators) the sign-in asks a grant for,
    /// so `token --audience` can get a token for each.
    pub resources: Vec<String>,
    pub redirect: RedirectMode,
    /// Hosts git may have this account's access token for, as git names
    /// them (`host` or `host:port`).
    pub git_hosts: Vec<String>,
    /// The user name given to git with the token (`oauth2` by default).
    pub git_username: String,
    /// Whether authorization requests are pushed first (RFC 9126) where
    /// the provider does not require it anyway.
    pub par: bool,
    pub preset: Preset,
    /// The secret of an installed app where its provider issued one
    /// (Google), from the file or `PKCE_TRAY_CLIENT_SECRET`.
    pub client_secret: Option<ClientSecret>,
}

impl AccountConfig {
    /// An account with what its provider's preset suggests for the rest.
    pub fn new(name: &str, issuer: Url, client_id: &str) -> Self {
        let preset = Preset::recognise(&issuer);
        Self {
            name: name.to_owned(),
            client_id: client_id.to_owned(),
            audience: None,
            scopes: words(preset.default_scope()),
            resources: Vec::new(),
            redirect: RedirectMode::default(),
            git_hosts: Vec::new(),
            git_username: "oauth2".into(),
            par: false,
            preset,
            client_secret: None,
            issuer,
        }
    }

    /// The name of its keychain item: the provider and client, as every
    /// release has named the one account's; another account's is prefixed
    /// with its name, so two accounts at one provider are two items.
    pub fn keychain_account(&self) -> String {
        let item = format!(
            "{}@{}",
            self.client_id,
            self.issuer.as_str().trim_end_matches('/')
        );
        if self.name == DEFAULT_ACCOUNT {
            item
        } else {
            format!("{}:{item}", self.name)
        }
    }
}

/// Everything the engine needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// In the file's order.
    pub accounts: Vec<AccountConfig>,
    /// The account the tray's icon, `/session` and commands without
    /// `--account` are about.
    pub default_account: String,
    /// The file, where there is one to read or to write to.
    pub path: Option<PathBuf>,
    pub port: u16,
    /// Whether the port was chosen by the user, so no fallback applies.
    pub port_explicit: bool,
    pub code_timeout: Duration,
    pub flow_ttl: Duration,
    /// How long a rotated-away refresh token is still answered.
    pub refresh_reuse_interval: Duration,
    pub max_pending_flows: usize,
    /// The browser command the person chose, where they chose one.
    pub browser: Option<String>,
    /// Whether the desktop app shows notifications (on unless turned off).
    pub notifications: bool,
}

fn words(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_owned).collect()
}

/// Whether `name` can name an account: short, and safe in a file name, a
/// menu and a keychain item.
pub fn is_account_name(name: &str) -> bool {
    name.len() <= 32
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl Config {
    /// The settings of the app with these accounts, the first the default;
    /// what the rest of the settings default to.
    pub fn new(accounts: Vec<AccountConfig>) -> Self {
        Self {
            default_account: accounts
                .first()
                .map_or_else(|| DEFAULT_ACCOUNT.to_owned(), |a| a.name.clone()),
            accounts,
            path: None,
            port: DEFAULT_PORT,
            port_explicit: false,
            code_timeout: Duration::from_secs(300),
            flow_ttl: Duration::from_secs(600),
            refresh_reuse_interval: Duration::from_secs(10),
            max_pending_flows: 128,
            browser: None,
            notifications: true,
        }
    }

    /// Resolves flags (already merged with the environment by clap) over the file.
    pub fn resolve(flags: &Flags) -> Result<Self, ConfigError> {
        let path = flags.config.clone().or_else(default_path);
        let file = match &path {
            Some(path) => file::read(path, flags.config.is_some())?,
            None => FileConfig::default(),
        };
        let shown_path = path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());
        let mut drafts = file.accounts_in_order(&shown_path)?;
        let default_account = file
            .default_account
            .clone()
            .or_else(|| {
                drafts
                    .iter()
                    .find(|(name, _)| name == DEFAULT_ACCOUNT)
                    .or(drafts.first())
                    .map(|(name, _)| name.clone())
            })
            .unwrap_or_else(|| DEFAULT_ACCOUNT.to_owned());
        let addressed = flags
            .account
            .clone()
            .unwrap_or_else(|| default_account.clone());
        let flags_name_one = flags.issuer.is_some() || flags.client_id.is_some();
        if !drafts.iter().any(|(name, _)| *name == addressed) {
            if !is_account_name(&addressed) {
                return Err(ConfigError::BadAccountName(addressed));
            }
            if !drafts.is_empty() && !flags_name_one {
                return Err(no_such_account(&addressed, drafts.iter().map(|(n, _)| n)));
            }
            drafts.push((addressed.clone(), FileAccount::default()));
        }
        let accounts = drafts
            .into_iter()
            .map(|(name, draft)| {
                let flags = (name == addressed).then_some(flags);
                account(name, draft, flags, &shown_path)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !accounts.iter().any(|a| a.name == default_account) {
            return Err(no_such_account(
                &default_account,
                accounts.iter().map(|a| &a.name),
            ));
        }
        check_git_hosts(&accounts)?;
        check_keychain_items(&accounts)?;
        // Config::new's defaults, where neither the flags nor the file say.
        let mut config = Self::new(accounts);
        config.default_account = default_account;
        config.path = path;
        if let Some(port) = flags.port.or(file.port) {
            config.port = port;
            config.port_explicit = true;
        }
        let seconds = Duration::from_secs;
        if let Some(code_timeout) = flags.code_timeout.or(file.code_timeout) {
            config.code_timeout = seconds(code_timeout);
        }
        if let Some(flow_ttl) = flags.flow_ttl.or(file.flow_ttl) {
            config.flow_ttl = seconds(flow_ttl);
        }
        if let Some(interval) = flags.refresh_reuse_interval.or(file.refresh_reuse_interval) {
            config.refresh_reuse_interval = seconds(interval);
        }
        config.browser = flags.browser.clone().or(file.browser);
        if let Some(notifications) = file.notifications {
            config.notifications = notifications;
        }
        Ok(config)
    }

    /// The account named `name`.
    pub fn account(&self, name: &str) -> Option<&AccountConfig> {
        self.accounts.iter().find(|account| account.name == name)
    }

    /// The default account.
    pub fn default(&self) -> &AccountConfig {
        self.account(&self.default_account)
            .expect("resolve checked that the default account exists")
    }

    /// The account whose `git_hosts` list `host` (`host` or `host:port`,
    /// as git names it; case does not matter).
    pub fn git_account(&self, host: &str) -> Option<&AccountConfig> {
        self.accounts.iter().find(|account| {
            account
                .git_hosts
                .iter()
                .any(|listed| listed.trim().eq_ignore_ascii_case(host))
        })
    }
}

fn no_such_account<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> ConfigError {
    ConfigError::NoSuchAccount {
        name: name.to_owned(),
        known: known.map(String::as_str).collect::<Vec<_>>().join(", "),
    }
}

/// One account from its file table, the flags over it when they address it.
fn account(
    name: String,
    file: FileAccount,
    flags: Option<&Flags>,
    shown_path: &str,
) -> Result<AccountConfig, ConfigError> {
    let flag = |pick: fn(&Flags) -> Option<String>| flags.and_then(pick);
    let named = name != DEFAULT_ACCOUNT;
    let missing = |key| ConfigError::Incomplete {
        account: name.clone(),
        key,
        path: shown_path.to_owned(),
    };
    let issuer = flag(|f| f.issuer.clone())
        .or(file.issuer)
        .ok_or_else(|| match named {
            true => missing("issuer"),
            false => ConfigError::NoIssuer(shown_path.to_owned()),
        })?;
    let client_id = flag(|f| f.client_id.clone())
        .or(file.client_id)
        .ok_or_else(|| match named {
            true => missing("client_id"),
            false => ConfigError::NoClientId(shown_path.to_owned()),
        })?;
    let issuer = parse_issuer(&issuer)?;
    let preset = flags
        .and_then(|f| f.preset)
        .or(file.preset)
        .unwrap_or_else(|| Preset::recognise(&issuer));
    let scope = flag(|f| f.scope.clone())
        .or(file.scope)
        .unwrap_or_else(|| preset.default_scope().into());
    // Never a flag: a command line is visible to every user of the machine.
    let client_secret = flags
        .and_then(|_| std::env::var("PKCE_TRAY_CLIENT_SECRET").ok())
        .or(file.client_secret)
        .filter(|secret| !secret.is_empty())
        .map(ClientSecret::new);
    let git_hosts = match flags.filter(|f| !f.git_hosts.is_empty()) {
        Some(flags) => flags.git_hosts.clone(),
        None => file.git_hosts.unwrap_or_default(),
    };
    let resources = match flags.filter(|f| !f.resources.is_empty()) {
        Some(flags) => flags.resources.clone(),
        None => file.resources.unwrap_or_default(),
    };
    Ok(AccountConfig {
        audience: flag(|f| f.audience.clone()).or(file.audience),
        scopes: words(&scope),
        resources,
        redirect: flags
            .and_then(|f| f.redirect)
            .or(file.redirect)
            .unwrap_or_default(),
        git_hosts,
        git_username: flag(|f| f.git_username.clone())
            .or(file.git_username)
            .unwrap_or_else(|| "oauth2".into()),
        par: flags.and_then(|f| f.par).or(file.par).unwrap_or(false),
        preset,
        client_secret,
        issuer,
        client_id,
        name,
    })
}

/// A host listed under two accounts is refused: git would not know whose
/// token to send.
fn check_git_hosts(accounts: &[AccountConfig]) -> Result<(), ConfigError> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for account in accounts {
        for host in &account.git_hosts {
            let host = host.trim().to_ascii_lowercase();
            if let Some((_, first)) = seen.iter().find(|(known, _)| *known == host) {
                if *first != account.name {
                    return Err(ConfigError::GitHostTwice {
                        host,
                        first: (*first).to_owned(),
                        second: account.name.clone(),
                    });
                }
            }
            seen.push((host, &account.name));
        }
    }
    Ok(())
}

/// Two accounts whose keychain items would have one name are refused,
/// naming both: each item keeps the name every release gave it.
pub fn check_keychain_items(accounts: &[AccountConfig]) -> Result<(), ConfigError> {
    for (index, account) in accounts.iter().enumerate() {
        let item = account.keychain_account();
        if let Some(earlier) = accounts[..index]
            .iter()
            .find(|earlier| earlier.keychain_account() == item)
        {
            return Err(ConfigError::SameKeychainItem {
                item,
                first: earlier.name.clone(),
                second: account.name.clone(),
            });
        }
    }
    Ok(())
}

fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("pkce-tray").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn flags(args: &[&str]) -> Flags {
        let mut argv = vec!["pkce-tray", "--config", "/nonexistent/pkce-tray.toml"];
        argv.extend_from_slice(args);
        Flags::try_parse_from(argv).unwrap()
    }

    #[test]
    fn auth0_domain_becomes_an_https_issuer() {
        assert_eq!(
            parse_issuer("tenant.eu.auth0.com").unwrap().as_str(),
            "https://tenant.eu.auth0.com/"
        );
        assert_eq!(
            parse_issuer("http://127.0.0.1:4000").unwrap().as_str(),
            "http://127.0.0.1:4000/"
        );
        assert!(parse_issuer("ftp://x").is_err());
    }

    #[test]
    fn plain_http_issuers_are_for_this_machine_only() {
        for local in [
            "http://127.0.0.1:4000",
            "http://127.0.0.2",
            "http://localhost:7420/",
            "http://[::1]:8080",
        ] {
            assert!(parse_issuer(local).is_ok(), "{local}");
        }
        for remote in [
            "http://login.example.com/",
            "http://10.0.0.1",
            "http://localhost.example.com",
        ] {
            assert!(
                matches!(parse_issuer(remote), Err(ConfigError::InsecureIssuer(_))),
                "{remote}"
            );
        }
        assert!(parse_issuer("https://login.example.com/").is_ok());
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error() {
        let err =
            Config::resolve(&flags(&["--issuer", "a.example", "--client-id", "c"])).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }), "{err}");
    }

    #[test]
    fn file_values_fill_what_flags_leave_out() {
        let dir = tempfile_dir("config");
        let path = dir.join("config.toml");
        std::fs::write(&path, "issuer = \"file.example\"\nclient_id = \"from-file\"\nport = 4321\nredirect = \"deep-link\"\n").unwrap();
        let flags = Flags::try_parse_from([
            "pkce-tray",
            "--config",
            path.to_str().unwrap(),
            "--client-id",
            "from-flag",
        ])
        .unwrap();
        let config = Config::resolve(&flags).unwrap();
        assert_eq!(config.port, 4321);
        assert!(config.port_explicit);
        let config = config.default();
        assert_eq!(config.name, DEFAULT_ACCOUNT);
        assert_eq!(config.issuer.as_str(), "https://file.example/");
        assert_eq!(config.client_id, "from-flag");
        assert_eq!(config.redirect, RedirectMode::DeepLink);
        assert_eq!(
            config.scopes,
            ["openid", "profile", "email", "offline_access"]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn presets_choose_the_scopes_and_the_secret_is_never_shown() {
        let dir = tempfile_dir("presets");
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            "issuer = \"https://gitlab.com\"\nclient_id = \"c\"\nclient_secret = \"GOCSPX-abc\"\n",
        )
        .unwrap();
        let config = Config::resolve(&Flags {
            config: Some(path.clone()),
            ..Flags::default()
        })
        .unwrap();
        let config = config.default();
        assert_eq!(config.preset, Preset::Gitlab);
        assert_eq!(config.scopes, ["openid", "profile", "email"]);
        assert_eq!(
            config.client_secret.as_ref().unwrap().secret(),
            "GOCSPX-abc"
        );
        assert!(!format!("{config:?}").contains("GOCSPX-abc"));
        let named = Config::resolve(&Flags {
            config: Some(path),
            preset: Some(Preset::Standard),
            ..Flags::default()
        })
        .unwrap();
        let named = named.default();
        assert_eq!(named.preset, Preset::Standard);
        assert!(named.scopes.contains(&"offline_access".to_owned()));
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pkce-tray-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_file_that_is_not_toml_is_named_without_its_line() {
        let dir = tempfile_dir("bad-toml");
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            "issuer = \"a.example\"\nclient_secret = GOCSPX-abc\n",
        )
        .unwrap();
        let error = Config::resolve(&Flags {
            config: Some(path),
            ..Flags::default()
        })
        .unwrap_err()
        .to_string();
        assert!(error.contains("line 2, column 17"), "{error}");
        assert!(!error.contains("GOCSPX"), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A file of today's release and one with accounts, read the same way.
    fn resolve(text: &str, args: &[&str]) -> Result<Config, ConfigError> {
        let dir = tempfile_dir(&format!("accounts-{}", text.len()));
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        let mut argv = vec!["pkce-tray", "--config", path.to_str().unwrap()];
        argv.extend_from_slice(args);
        let resolved = Config::resolve(&Flags::try_parse_from(argv).unwrap());
        std::fs::remove_dir_all(dir).unwrap();
        resolved
    }

    #[test]
    fn top_level_keys_are_the_account_default_beside_named_ones() {
        let config = resolve(
            "issuer = \"a.example\"\nclient_id = \"c\"\n[accounts.home]\nissuer = \"https://gitlab.com\"\nclient_id = \"g\"\n[accounts.alpha]\nissuer = \"b.example\"\nclient_id = \"b\"\n",
            &[],
        )
        .unwrap();
        let names: Vec<&str> = config.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["default", "home", "alpha"], "the file's order");
        assert_eq!(config.default_account, "default");
        assert_eq!(config.default().keychain_account(), "c@https://a.example");
        let home = config.account("home").unwrap();
        assert_eq!(home.preset, Preset::Gitlab);
        assert_eq!(home.keychain_account(), "home:g@https://gitlab.com");
    }

    #[test]
    fn accounts_that_would_share_a_keychain_item_are_refused_naming_both() {
        let text = "issuer = \"id.example\"\nclient_id = \"home:c1\"\n[accounts.home]\nissuer = \"id.example\"\nclient_id = \"c1\"\n";
        assert!(matches!(
            resolve(text, &[]),
            Err(ConfigError::SameKeychainItem { first, second, .. }) if first == "default" && second == "home"
        ));
        // Another issuer, or another client id: two items.
        let apart = text.replace("c1\"\n[", "c2\"\n[");
        assert!(resolve(&apart, &[]).is_ok());
    }

    #[test]
    fn flags_address_the_account_named_or_the_default() {
        let text = "default_account = \"work\"\n[accounts.work]\nissuer = \"w.example\"\nclient_id = \"w\"\n[accounts.home]\nissuer = \"h.example\"\nclient_id = \"h\"\n";
        let config = resolve(text, &["--client-id", "flagged"]).unwrap();
        assert_eq!(config.default_account, "work");
        assert_eq!(config.account("work").unwrap().client_id, "flagged");
        assert_eq!(config.account("home").unwrap().client_id, "h");
        let config = resolve(text, &["--account", "home", "--client-id", "flagged"]).unwrap();
        assert_eq!(config.account("work").unwrap().client_id, "w");
        assert_eq!(config.account("home").unwrap().client_id, "flagged");
        let error = resolve(text, &["--account", "play"])
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no account named \"play\"") && error.contains("work, home"),
            "{error}"
        );
        // Flags that name a provider make a new account for this run.
        let config = resolve(
            text,
            &[
                "--account",
                "play",
                "--issuer",
                "p.example",
                "--client-id",
                "p",
            ],
        )
        .unwrap();
        assert_eq!(config.accounts.len(), 3);
    }

    #[test]
    fn accounts_that_cannot_be_told_apart_are_refused() {
        let twice = "[accounts.a]\nissuer = \"a.example\"\nclient_id = \"a\"\ngit_hosts = [\"git.example\"]\n[accounts.b]\nissuer = \"b.example\"\nclient_id = \"b\"\ngit_hosts = [\"GIT.example \"]\n";
        assert!(matches!(
            resolve(twice, &[]),
            Err(ConfigError::GitHostTwice { host, first, second }) if host == "git.example" && first == "a" && second == "b"
        ));
        let default_twice = "issuer = \"a.example\"\nclient_id = \"a\"\n[accounts.default]\nissuer = \"b.example\"\nclient_id = \"b\"\n";
        assert!(matches!(
            resolve(default_twice, &[]),
            Err(ConfigError::DefaultTwice(_))
        ));
        let bad_name = "[accounts.\"a b\"]\nissuer = \"a.example\"\nclient_id = \"a\"\n";
        assert!(matches!(
            resolve(bad_name, &[]),
            Err(ConfigError::BadAccountName(_))
        ));
        let no_default =
            "default_account = \"x\"\n[accounts.a]\nissuer = \"a.example\"\nclient_id = \"a\"\n";
        assert!(matches!(
            resolve(no_default, &[]),
            Err(ConfigError::NoSuchAccount { .. })
        ));
        let incomplete = "[accounts.a]\nissuer = \"a.example\"\n";
        let error = resolve(incomplete, &[]).unwrap_err().to_string();
        assert!(
            error.contains("\"a\"") && error.contains("client_id"),
            "{error}"
        );
        let typo = "[accounts.a]\nissuer = \"a.example\"\nclient_idd = \"a\"\n";
        let error = resolve(typo, &[]).unwrap_err().to_string();
        assert!(error.contains("line 3"), "{error}");
    }

    #[test]
    fn the_default_and_an_added_account_are_written_keeping_the_rest() {
        let dir = tempfile_dir("write");
        let path = dir.join("config.toml");
        let text = "# mine\nissuer = \"a.example\" # the tenant\nclient_id = \"a\"\n";
        std::fs::write(&path, text).unwrap();
        add_account(&path, "home", "https://gitlab.com", "g").unwrap();
        assert!(matches!(
            add_account(&path, "home", "https://gitlab.com", "g"),
            Err(ConfigError::AccountExists(_))
        ));
        assert!(matches!(
            add_account(&path, "default", "https://gitlab.com", "g"),
            Err(ConfigError::AccountExists(_))
        ));
        set_default_account(&path, "home").unwrap();
        assert!(set_default_account(&path, "nobody").is_err());
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(
            written.starts_with("default_account = \"home\"\n# mine\n"),
            "{written}"
        );
        assert!(written.contains("# the tenant"), "{written}");
        let config = Config::resolve(&Flags {
            config: Some(path.clone()),
            ..Flags::default()
        })
        .unwrap();
        assert_eq!(config.default().name, "home");
        assert_eq!(config.default().client_id, "g");
        assert_eq!(config.accounts.len(), 2);
        assert!(config.notifications);
        set_notifications(&path, false).unwrap();
        let config = Config::resolve(&Flags {
            config: Some(path.clone()),
            ..Flags::default()
        })
        .unwrap();
        assert!(!config.notifications);
        assert_eq!(config.default().name, "home");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.join("new.toml");
            add_account(&fresh, "work", "w.example", "w").unwrap();
            let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_deep_link_argument_passes_the_parser() {
        let link = format!("{DEEP_LINK_CALLBACK}?code=a&state=b");
        let flags = Flags::try_parse_from(["pkce-tray", &link]).unwrap();
        assert_eq!(flags.deep_link.unwrap(), link);
    }

    /// The AppStream metainfo: the app's id and scheme, screenshots that
    /// are in docs/screenshots, and the changelog's newest release.
    #[test]
    fn the_metainfo_agrees_with_the_app_the_screenshots_and_the_changelog() {
        let metainfo = include_str!("../../../../packaging/app.pkcetray.desktop.metainfo.xml");
        assert!(metainfo.contains(&format!("<id>{DEEP_LINK_SCHEME}</id>")));
        assert!(metainfo.contains(&format!(
            "<mediatype>x-scheme-handler/{DEEP_LINK_SCHEME}</mediatype>"
        )));
        let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
        for image in metainfo.split("<image>").skip(1) {
            let url = &image[..image.find("</image>").unwrap()];
            let file = url.rsplit('/').next().unwrap();
            assert!(
                shots.join(file).is_file(),
                "{url}: no docs/screenshots/{file}"
            );
        }
        let changelog = include_str!("../../../../packaging/changelog");
        let version = changelog
            .split(['(', ')'])
            .nth(1)
            .and_then(|v| v.split('-').next())
            .unwrap();
        let signed = changelog.lines().find(|l| l.starts_with(" -- ")).unwrap();
        let day: Vec<&str> = signed
            .rsplit(", ")
            .next()
            .unwrap()
            .split(' ')
            .take(3)
            .collect();
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .position(|m| *m == day[1])
        .unwrap()
            + 1;
        let release = format!(
            "<release version=\"{version}\" date=\"{}-{month:02}-{:0>2}\">",
            day[2], day[0]
        );
        assert!(metainfo.contains(&release), "{release}");
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn the_scheme_is_the_app_identifier_everywhere() {
        assert_eq!(
            DEEP_LINK_CALLBACK,
            format!("{DEEP_LINK_SCHEME}:{CALLBACK_PATH}")
        );
        let tauri: serde_json::Value =
            serde_json::from_str(include_str!("../../../../tauri.conf.json")).unwrap();
        assert_eq!(tauri["identifier"], DEEP_LINK_SCHEME);
        let entry = include_str!("../../../../packaging/pkce-tray.desktop");
        assert!(
            entry.contains(&format!("MimeType=x-scheme-handler/{DEEP_LINK_SCHEME};")),
            "{entry}"
        );
    }
}
