//! What the engine's calls fail with, one enum for every front door, the
//! one map from it to stable codes (the API's and the instance protocol's),
//! and how a person is told.

use std::sync::Arc;

use super::config::ConfigError;
use super::flows::FlowError;
use super::message::Message;
use super::provider::ProviderError;
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
    /// their language; in English for JSON and the terminal.
    pub fn said(&self) -> Message {
        match self {
            Self::Invalid(_, description) => {
                Message::new("error-other").with("detail", description)
            }
            Self::Flow(error) => error.said(),
            Self::Provider(error) => Message::from(error),
            Self::Session(error) => error.said(),
            Self::Busy => Message::new("error-busy"),
            Self::UnknownAccount { name, known } => Message::new("error-unknown-account")
                .with("name", name)
                .with("known", known),
            Self::Config(error) => error.said(),
            Self::RedirectRefused {
                redirect_uri,
                port,
                wanted,
                cause,
            } => Message::new("error-redirect-refused")
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
