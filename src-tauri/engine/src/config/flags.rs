//! The command line and its `PKCE_TRAY_*` variables.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use serde::Deserialize;

use crate::preset::Preset;

/// How the provider's answer comes back to the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectMode {
    /// `http://127.0.0.1:<port>/pkce/response/code` (RFC 8252 §7.3).
    #[default]
    Loopback,
    /// `app.pkcetray.desktop:/pkce/response/code`, handed over by the OS (RFC 8252 §7.1).
    DeepLink,
}

/// The command line. Every option also reads a `PKCE_TRAY_*` variable;
/// those of one account's settings apply to the account addressed.
#[derive(Debug, Parser, Default)]
#[command(name = "pkce-tray", version, about)]
pub struct Flags {
    /// The account a command or these flags are for (default: the
    /// configuration's `default_account`).
    #[arg(long, env = "PKCE_TRAY_ACCOUNT", global = true, value_name = "NAME")]
    pub account: Option<String>,
    /// OpenID Connect issuer URL, or an Auth0 tenant domain.
    #[arg(long, env = "PKCE_TRAY_ISSUER")]
    pub issuer: Option<String>,
    /// OAuth client id of this app (a public client: no secret).
    #[arg(long, env = "PKCE_TRAY_CLIENT_ID")]
    pub client_id: Option<String>,
    /// API identifier to ask Auth0 for an access token for.
    #[arg(long, env = "PKCE_TRAY_AUDIENCE")]
    pub audience: Option<String>,
    /// Space-separated scopes of the app's own sign-in.
    #[arg(long, env = "PKCE_TRAY_SCOPE")]
    pub scope: Option<String>,
    /// Port of the PKCE API on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = "PKCE_TRAY_PORT")]
    pub port: Option<u16>,
    /// Where the provider sends the browser back to.
    #[arg(long, value_enum, env = "PKCE_TRAY_REDIRECT")]
    pub redirect: Option<RedirectMode>,
    /// Seconds generateCode waits for the browser.
    #[arg(long, env = "PKCE_TRAY_CODE_TIMEOUT")]
    pub code_timeout: Option<u64>,
    /// Seconds a pending sign-in attempt stays valid.
    #[arg(long, env = "PKCE_TRAY_FLOW_TTL")]
    pub flow_ttl: Option<u64>,
    /// Seconds a rotated-away refresh token is still answered (reuse interval).
    #[arg(long, env = "PKCE_TRAY_REFRESH_REUSE_INTERVAL")]
    pub refresh_reuse_interval: Option<u64>,
    /// APIs the account may get tokens for with `token --audience`, asked
    /// for at sign-in (RFC 8707 resource); comma-separated in the
    /// environment.
    #[arg(long = "resource", env = "PKCE_TRAY_RESOURCES", value_delimiter = ',')]
    pub resources: Vec<String>,
    /// Hosts whose git credentials are this session's access token
    /// (`pkce-tray git-credential`); comma-separated in the environment.
    #[arg(long = "git-host", env = "PKCE_TRAY_GIT_HOSTS", value_delimiter = ',')]
    pub git_hosts: Vec<String>,
    /// The user name git is given with the token.
    #[arg(long, env = "PKCE_TRAY_GIT_USERNAME")]
    pub git_username: Option<String>,
    /// Whose documented deviations to follow (recognised from the issuer
    /// where not given).
    #[arg(long, value_enum, env = "PKCE_TRAY_PRESET")]
    pub preset: Option<Preset>,
    /// Push every authorization request to the provider first (RFC 9126
    /// PAR), even where it does not require it: `--par true`.
    #[arg(long, env = "PKCE_TRAY_PAR")]
    pub par: Option<bool>,
    /// The browser command that opens sign-in pages, split at spaces,
    /// `%s` standing for the address (default: the system's browser).
    #[arg(long, env = "PKCE_TRAY_BROWSER", value_name = "COMMAND")]
    pub browser: Option<String>,
    /// Configuration file (default: pkce-tray/config.toml in the OS config dir).
    #[arg(long, env = "PKCE_TRAY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Run the engine and the API alone: no tray, no window, no display.
    #[arg(long)]
    pub headless: bool,
    /// Open the login window at start.
    #[arg(long, conflicts_with = "hidden")]
    pub show: bool,
    /// Start in the tray alone, even on the first run (for autostart).
    #[arg(long)]
    pub hidden: bool,
    /// An `app.pkcetray.desktop:` link handed over by the OS.
    #[arg(value_name = "URL")]
    pub deep_link: Option<String>,
}
