//! Where pkce-tray finds its provider and how it listens: a TOML file in the
//! OS config dir, overridden by `PKCE_TRAY_*` environment variables, overridden
//! by flags.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, ValueEnum};
use serde::Deserialize;
use url::Url;

use super::preset::Preset;
use super::secret::ClientSecret;

/// The port every generated Pieces client uses as its base URL.
pub const DEFAULT_PORT: u16 = 1000;
/// Where the API goes when port 1000 cannot be bound (privileged on Linux, or
/// taken): documented in the README, and announced in the log at start.
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

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
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
    #[error("the issuer {0:?} is not a URL")]
    BadIssuer(String),
    #[error("the issuer {0:?} is plain http on another machine, where anyone on the way could read the tokens; use its https address (plain http is for a provider on this machine only)")]
    InsecureIssuer(String),
}

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

/// The command line. Every option also reads a `PKCE_TRAY_*` variable.
#[derive(Debug, Parser, Default)]
#[command(name = "pkce-tray", version, about)]
pub struct Flags {
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

/// The configuration file: the same names as the flags, in snake case.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    issuer: Option<String>,
    client_id: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    port: Option<u16>,
    redirect: Option<RedirectMode>,
    code_timeout: Option<u64>,
    flow_ttl: Option<u64>,
    refresh_reuse_interval: Option<u64>,
    git_hosts: Option<Vec<String>>,
    git_username: Option<String>,
    par: Option<bool>,
    preset: Option<Preset>,
    /// Never a flag: a command line is visible to every user of the machine.
    client_secret: Option<String>,
}

/// Everything the engine needs, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub issuer: Url,
    pub client_id: String,
    pub audience: Option<String>,
    pub scopes: Vec<String>,
    pub port: u16,
    /// Whether the port was chosen by the user, so no fallback applies.
    pub port_explicit: bool,
    pub redirect: RedirectMode,
    pub code_timeout: Duration,
    pub flow_ttl: Duration,
    /// How long a rotated-away refresh token is still answered.
    pub refresh_reuse_interval: Duration,
    pub max_pending_flows: usize,
    /// Hosts git may have the access token for, as git names them
    /// (`host` or `host:port`).
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

impl Config {
    /// Resolves flags (already merged with the environment by clap) over the file.
    pub fn resolve(flags: &Flags) -> Result<Self, ConfigError> {
        let path = flags.config.clone().or_else(default_path);
        let file = match &path {
            Some(path) => read_file(path, flags.config.is_some())?,
            None => FileConfig::default(),
        };
        let shown_path = path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.toml".into());

        let issuer = flags
            .issuer
            .clone()
            .or(file.issuer)
            .ok_or_else(|| ConfigError::NoIssuer(shown_path.clone()))?;
        let client_id = flags
            .client_id
            .clone()
            .or(file.client_id)
            .ok_or(ConfigError::NoClientId(shown_path))?;
        let issuer = parse_issuer(&issuer)?;
        let preset = flags
            .preset
            .or(file.preset)
            .unwrap_or_else(|| Preset::recognise(&issuer));
        let scope = flags
            .scope
            .clone()
            .or(file.scope)
            .unwrap_or_else(|| preset.default_scope().into());
        let client_secret = std::env::var("PKCE_TRAY_CLIENT_SECRET")
            .ok()
            .or(file.client_secret)
            .filter(|secret| !secret.is_empty())
            .map(ClientSecret::new);
        let port = flags.port.or(file.port);

        Ok(Self {
            issuer,
            client_id,
            audience: flags.audience.clone().or(file.audience),
            scopes: scope.split_whitespace().map(str::to_owned).collect(),
            port: port.unwrap_or(DEFAULT_PORT),
            port_explicit: port.is_some(),
            redirect: flags.redirect.or(file.redirect).unwrap_or_default(),
            code_timeout: Duration::from_secs(
                flags.code_timeout.or(file.code_timeout).unwrap_or(300),
            ),
            flow_ttl: Duration::from_secs(flags.flow_ttl.or(file.flow_ttl).unwrap_or(600)),
            refresh_reuse_interval: Duration::from_secs(
                flags
                    .refresh_reuse_interval
                    .or(file.refresh_reuse_interval)
                    .unwrap_or(10),
            ),
            max_pending_flows: 128,
            git_hosts: if flags.git_hosts.is_empty() {
                file.git_hosts.unwrap_or_default()
            } else {
                flags.git_hosts.clone()
            },
            git_username: flags
                .git_username
                .clone()
                .or(file.git_username)
                .unwrap_or_else(|| "oauth2".into()),
            par: flags.par.or(file.par).unwrap_or(false),
            preset,
            client_secret,
        })
    }
}

fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("pkce-tray").join("config.toml"))
}

/// A missing default file is normal; a missing file the user named is not.
fn read_file(path: &Path, named: bool) -> Result<FileConfig, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: path.to_owned(),
            place: error
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1;
                    format!("line {line}, column {column}")
                })
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

/// An Auth0 tenant is often known by its domain alone; its issuer is
/// `https://<domain>/`, with the slash that exact issuer comparison needs.
fn parse_issuer(value: &str) -> Result<Url, ConfigError> {
    let candidate = if value.contains("://") {
        value.to_owned()
    } else {
        format!("https://{}/", value.trim_end_matches('/'))
    };
    let url = Url::parse(&candidate)
        .ok()
        .filter(|url| matches!(url.scheme(), "https" | "http") && url.host().is_some())
        .ok_or_else(|| ConfigError::BadIssuer(value.to_owned()))?;
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(ConfigError::InsecureIssuer(value.to_owned()));
    }
    Ok(url)
}

/// This machine, whatever its name: tokens sent there cross no network.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(config.issuer.as_str(), "https://file.example/");
        assert_eq!(config.client_id, "from-flag");
        assert_eq!(config.port, 4321);
        assert!(config.port_explicit);
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

    #[test]
    fn a_deep_link_argument_passes_the_parser() {
        let link = format!("{DEEP_LINK_CALLBACK}?code=a&state=b");
        let flags = Flags::try_parse_from(["pkce-tray", &link]).unwrap();
        assert_eq!(flags.deep_link.unwrap(), link);
    }

    #[test]
    fn the_scheme_is_the_app_identifier_everywhere() {
        assert_eq!(
            DEEP_LINK_CALLBACK,
            format!("{DEEP_LINK_SCHEME}:{CALLBACK_PATH}")
        );
        let tauri: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        assert_eq!(tauri["identifier"], DEEP_LINK_SCHEME);
        let entry = include_str!("../../packaging/pkce-tray.desktop");
        assert!(
            entry.contains(&format!("MimeType=x-scheme-handler/{DEEP_LINK_SCHEME};")),
            "{entry}"
        );
    }
}
