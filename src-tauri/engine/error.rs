//! What the engine's calls fail with, one enum for every front door, the
//! one map from it to stable codes (the API's and the instance protocol's),
//! and how a person is told.

use std::sync::Arc;

use super::config::ConfigError;
use super::flows::FlowError;
use super::provider::ProviderError;
use super::said::Said;
use super::session::SessionError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    /// The request itself is wrong: (OAuth error code, description).
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Flow(#[from] FlowError),
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("a sign-in is already in progress")]
    Busy,
    #[error("there is no account named {name:?}; the accounts are: {known}")]
    UnknownAccount { name: String, known: String },
    /// The configuration file could not be changed as asked.
    #[error(transparent)]
    Config(Arc<ConfigError>),
    /// The provider refused a request whose loopback redirect URI is on
    /// the fallback port: most likely it matches redirect URIs exactly,
    /// port included (RFC 8252 §7.3 asks providers not to; Glewlwyd does).
    #[error("the provider refused the sign-in request ({cause}). pkce-tray listens on port {port} because it could not listen on port {wanted} (taken, or not allowed for this user), and a provider that matches redirect URIs exactly knows only the one registered with it: register {redirect_uri} with the provider, or let pkce-tray have port {wanted} and start it again")]
    RedirectRefused {
        redirect_uri: String,
        port: u16,
        wanted: u16,
        cause: ProviderError,
    },
}

impl EngineError {
    /// What the window, the tray and the notifications say to a person, in
    /// their language; [`Said::english`] for JSON and the terminal.
    pub fn said(&self) -> Said {
        match self {
            Self::Invalid(_, description) => Said::new("error-other").with("detail", description),
            Self::Flow(error) => error.said(),
            Self::Provider(error) => error.said(),
            Self::Session(error) => error.said(),
            Self::Busy => Said::new("error-busy"),
            Self::UnknownAccount { name, known } => Said::new("error-unknown-account")
                .with("name", name)
                .with("known", known),
            Self::Config(error) => error.said(),
            Self::RedirectRefused {
                redirect_uri,
                port,
                wanted,
                cause,
            } => Said::new("error-redirect-refused")
                .with("cause", cause.to_string())
                .with("port", port.to_string())
                .with("wanted", wanted.to_string())
                .with("redirect", redirect_uri),
        }
    }
}

impl EngineError {
    /// The failure as a stable code, for programs: the PKCE API's `error`
    /// (RFC 6749 §5.2's shape; a provider's own OAuth error passed on as
    /// it said it) and the instance protocol's. The one map from errors to
    /// codes, exhaustive: a new error gets its code here or does not
    /// compile.
    pub fn code(&self) -> &str {
        match self {
            Self::Invalid(code, _) => code,
            Self::Busy => "sign_in_in_progress",
            Self::UnknownAccount { .. } => "unknown_account",
            Self::Config(_) => "server_error",
            Self::RedirectRefused { .. } => "redirect_uri_refused",
            Self::Flow(flow) => match flow {
                FlowError::UnknownState => "invalid_state",
                FlowError::WrongCallback => "wrong_redirect_uri",
                FlowError::ChallengeMismatch => "invalid_request",
                FlowError::AlreadyWaiting => "already_waiting",
                FlowError::Cleared => "cleared",
                FlowError::TooManyWaiting => "too_many_requests",
                FlowError::TimedOut(_) => "timeout",
                FlowError::Provider { error, .. } => error,
            },
            Self::Provider(provider) => provider_code(provider),
            Self::Session(session) => match session {
                SessionError::Provider(provider) => provider_code(provider),
                SessionError::Vault(_) => "keychain_unavailable",
                SessionError::NotSignedIn => "not_signed_in",
                SessionError::CannotRenew(_) => "cannot_renew",
                SessionError::CannotNarrow => "cannot_narrow",
                SessionError::Superseded(_) => "invalid_grant",
            },
        }
    }
}

/// A provider's failure as a code: its own OAuth error as it said it.
fn provider_code(provider: &ProviderError) -> &str {
    match provider {
        ProviderError::OAuth { error, .. } => error,
        ProviderError::Unreachable(_) => "provider_unreachable",
        ProviderError::Untrusted(_) => "provider_untrusted",
        ProviderError::TimedOut(_) => "provider_timeout",
        ProviderError::Answered { .. } => "provider_error",
        ProviderError::BadResponse(_)
        | ProviderError::NoRevocation
        | ProviderError::NoDeviceFlow
        | ProviderError::NoPushedRequests => "bad_provider_response",
        ProviderError::InvalidIdToken(_) => "invalid_id_token",
    }
}

pub(super) fn invalid(description: impl Into<String>) -> EngineError {
    EngineError::Invalid("invalid_request", description.into())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::engine::vault::VaultError;
    use crate::i18n::{Words, LANGUAGES};

    /// One of every error a person can be told of.
    fn every_error() -> Vec<EngineError> {
        let provider = [
            ProviderError::Unreachable("id.example".into()),
            ProviderError::TimedOut("id.example".into()),
            ProviderError::Untrusted("id.example".into()),
            ProviderError::OAuth {
                status: 400,
                error: "invalid_grant".into(),
                description: "expired".into(),
            },
            ProviderError::Answered {
                what: "token",
                status: reqwest::StatusCode::UNAUTHORIZED,
                said_nothing: true,
            },
            ProviderError::Answered {
                what: "token",
                status: reqwest::StatusCode::FORBIDDEN,
                said_nothing: false,
            },
            ProviderError::BadResponse("no issuer".into()),
            ProviderError::InvalidIdToken("wrong audience".into()),
            ProviderError::NoRevocation,
            ProviderError::NoPushedRequests,
            ProviderError::NoDeviceFlow,
        ];
        let flow = [
            FlowError::UnknownState,
            FlowError::WrongCallback,
            FlowError::AlreadyWaiting,
            FlowError::ChallengeMismatch,
            FlowError::Cleared,
            FlowError::TooManyWaiting,
            FlowError::TimedOut(Duration::from_secs(300)),
            FlowError::Provider {
                error: "access_denied".into(),
                description: "no".into(),
            },
            FlowError::Provider {
                error: "invalid_scope".into(),
                description: "no".into(),
            },
        ];
        let session = [
            SessionError::NotSignedIn,
            SessionError::CannotRenew(30),
            SessionError::CannotNarrow,
            SessionError::Superseded(5),
            SessionError::Vault(VaultError::Unavailable("locked".into())),
            SessionError::Vault(VaultError::Corrupt),
        ];
        let config = [
            ConfigError::Write {
                path: "/c.toml".into(),
                message: "read-only".into(),
            },
            ConfigError::BadIssuer("x".into()),
            ConfigError::InsecureIssuer("http://id.example".into()),
            ConfigError::BadAccountName("-".into()),
            ConfigError::AccountExists("work".into()),
            ConfigError::NoSuchAccount {
                name: "w".into(),
                known: "default".into(),
            },
            ConfigError::NotInFile {
                name: "w".into(),
                path: "/c.toml".into(),
            },
        ];
        provider
            .iter()
            .cloned()
            .map(EngineError::Provider)
            .chain(flow.into_iter().map(EngineError::Flow))
            .chain(session.into_iter().map(EngineError::Session))
            .chain(config.into_iter().map(|e| EngineError::Config(Arc::new(e))))
            .chain([
                EngineError::Busy,
                EngineError::UnknownAccount {
                    name: "w".into(),
                    known: "default".into(),
                },
                EngineError::RedirectRefused {
                    redirect_uri: "http://127.0.0.1:5000/callback".into(),
                    port: 5000,
                    wanted: 1000,
                    cause: provider[3].clone(),
                },
            ])
            .collect()
    }

    #[test]
    fn every_error_is_said_in_every_language_and_in_english_as_before() {
        for error in every_error() {
            let english = error.said().english();
            // JSON and the terminal keep the words they had: the error's
            // own, but for those said in plainer words.
            if !matches!(
                error,
                EngineError::Flow(
                    FlowError::TimedOut(_)
                        | FlowError::Provider { .. }
                        | FlowError::ChallengeMismatch
                ) | EngineError::Provider(
                    ProviderError::OAuth { .. }
                        | ProviderError::Unreachable(_)
                        | ProviderError::TimedOut(_)
                )
            ) {
                assert_eq!(english, super::super::said::capitalised(&error));
            }
            for (tag, _) in &LANGUAGES[1..] {
                let said = error.said().in_words(&Words::of(tag));
                assert_ne!(said, english, "{tag} says {error:?} in English");
            }
        }
    }
}
