//! What travels on the instance socket: one request line from the caller,
//! then answer lines from the instance, the last one final. JSON, so the
//! two ends of different builds tell a mismatch from an answer.

use pkce_tray_i18n::Say;
use serde::{Deserialize, Serialize};

use pkce_tray_engine::events::{Phase, Status};

/// One line from a caller. No `Debug`: a launch's link may carry an
/// authorization code.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub enum Request {
    /// A later launch's arguments: a link, or none (open the window).
    Launch(Vec<String>),
    /// A terminal command.
    Command(Command),
}

/// The terminal's commands, each run by the instance's engine. `account`
/// names the account (the default one when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Command {
    Status {
        #[serde(default)]
        account: Option<String>,
    },
    /// Every account's status.
    StatusAll,
    Token {
        min_valid: u64,
        #[serde(default)]
        account: Option<String>,
        /// Fewer of the account's scopes, space-separated.
        #[serde(default)]
        scope: Option<String>,
        /// Another API (RFC 8707 resource, Auth0's audience).
        #[serde(default)]
        audience: Option<String>,
    },
    /// `browser: false` hands the sign-in page back to print instead.
    SignIn {
        browser: bool,
        #[serde(default)]
        account: Option<String>,
    },
    DeviceSignIn {
        #[serde(default)]
        account: Option<String>,
    },
    SignOut {
        #[serde(default)]
        account: Option<String>,
    },
    /// The accounts, in brief.
    Accounts,
    /// Makes an account the default one, in the configuration too.
    SetDefault { account: String },
}

impl Command {
    /// How long the caller waits for the final answer: the interactive
    /// ones as long as a person may take, bounded all the same.
    pub fn patience(&self) -> std::time::Duration {
        std::time::Duration::from_secs(match self {
            Self::Status { .. } | Self::StatusAll | Self::Accounts | Self::SetDefault { .. } => 30,
            Self::Token { .. } | Self::SignOut { .. } => 120,
            Self::SignIn { .. } | Self::DeviceSignIn { .. } => 30 * 60,
        })
    }
}

/// One line from the instance. Its `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "kebab-case")]
pub enum Reply {
    /// Open this address to sign in (interim).
    Open { url: String },
    /// Sign in on another device (interim; RFC 8628 §3.3).
    Device {
        verification_uri: String,
        verification_uri_complete: Option<String>,
        user_code: String,
        expires_in: u64,
    },
    /// The session now (final).
    Status(StatusReport),
    /// Every account's session now (final).
    Statuses { accounts: Vec<AccountStatusReport> },
    /// The accounts in brief (final).
    Accounts { accounts: Vec<AccountReport> },
    /// The access token (final). Only ever on this user's own socket.
    Token {
        access_token: String,
        expires_at: i64,
    },
    /// Nothing was done (final): `error` a stable code, `message` for a
    /// person.
    Failed { error: String, message: String },
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Open { url } => f.debug_struct("Open").field("url", url).finish(),
            Self::Device { user_code, .. } => f
                .debug_struct("Device")
                .field("user_code", user_code)
                .finish_non_exhaustive(),
            Self::Status(report) => f.debug_tuple("Status").field(report).finish(),
            Self::Statuses { accounts } => f.debug_tuple("Statuses").field(accounts).finish(),
            Self::Accounts { accounts } => f.debug_tuple("Accounts").field(accounts).finish(),
            Self::Token { expires_at, .. } => f
                .debug_struct("Token")
                .field("access_token", &"[redacted]")
                .field("expires_at", expires_at)
                .finish(),
            Self::Failed { error, message } => f
                .debug_struct("Failed")
                .field("error", error)
                .field("message", message)
                .finish(),
        }
    }
}

impl Reply {
    /// Whether more lines follow.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Open { .. } | Self::Device { .. })
    }
}

/// `pkce-tray status --json`: stable, documented in docs/terminal.md, and
/// never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    /// The account described (absent in `status --all`, which names each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub signed_in: bool,
    /// `signed_out`, `signing_in`, `signed_in` or `error`.
    pub state: Phase,
    pub user: Option<UserReport>,
    /// When the access token expires, in Unix seconds.
    pub expires_at: Option<i64>,
    /// Where the session is kept.
    pub stored_in: Storage,
    pub keychain_warning: Option<String>,
    pub message: Option<String>,
    /// The PKCE API of the running pkce-tray; `null` when none runs (the
    /// command looked for itself).
    pub api: Option<String>,
}

/// `keychain`, or `memory` while the keychain cannot hold the session (it
/// then ends when pkce-tray quits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    Keychain,
    Memory,
}

/// Who is signed in, as far as a script needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserReport {
    pub sub: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One account in `status --all --json`: today's fields, its name, and
/// whether it is the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatusReport {
    pub name: String,
    pub default: bool,
    #[serde(flatten)]
    pub status: StatusReport,
}

/// One account in `accounts --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountReport {
    pub name: String,
    pub default: bool,
    pub issuer: String,
    pub signed_in: bool,
    /// The redirect URIs to register at the provider for this account.
    pub redirect_uris: Vec<String>,
}

impl StatusReport {
    /// What the engine's state says, without a token; `api` names the
    /// answering instance's API.
    pub fn new(account: Option<String>, status: Status, api: String) -> Self {
        Self {
            account,
            signed_in: status.signed_in(),
            state: status.phase,
            user: status.user.map(|user| UserReport {
                sub: user.sub,
                name: user.name,
                email: user.email,
            }),
            expires_at: status.expires_at,
            stored_in: if status.keychain_warning.is_some() {
                Storage::Memory
            } else {
                Storage::Keychain
            },
            keychain_warning: status.keychain_warning.map(|said| said.english()),
            message: status.message.map(|said| said.english()),
            api: Some(api),
        }
    }
}

/// One JSON line.
pub fn line<T: Serialize>(message: &T) -> String {
    let mut line = serde_json::to_string(message).unwrap_or_else(|_| "null".into());
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launches_and_commands_are_told_apart() {
        let launch: Request = serde_json::from_str(r#"["app.pkcetray.desktop:/x"]"#).unwrap();
        assert!(matches!(launch, Request::Launch(args) if args.len() == 1));
        let token: Request = serde_json::from_str(r#"{"command":"token","min_valid":60}"#).unwrap();
        assert!(matches!(
            token,
            Request::Command(Command::Token {
                min_valid: 60,
                account: None,
                scope: None,
                audience: None,
            })
        ));
        assert!(serde_json::from_str::<Request>(r#"{"command":"rm -rf"}"#).is_err());
        assert!(serde_json::from_str::<Request>("42").is_err());
    }

    #[test]
    fn replies_round_trip_and_say_whether_more_follow() {
        let open = Reply::Open {
            url: "https://id.example/authorize".into(),
        };
        assert!(!open.is_final());
        let text = line(&open);
        assert!(text.ends_with('\n'));
        assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), open);
        let failed = Reply::Failed {
            error: "not_signed_in".into(),
            message: "Not signed in.".into(),
        };
        assert!(failed.is_final());
        let token = Reply::Token {
            access_token: "at-very-secret".into(),
            expires_at: 1,
        };
        assert!(!format!("{token:?}").contains("very-secret"));
    }
}
