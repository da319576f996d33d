//! What the engine's calls fail with, one enum for every front door (the
//! API maps it to HTTP in one place), and how a person is told.

use std::sync::Arc;

use super::config::ConfigError;
use super::flows::FlowError;
use super::provider::ProviderError;
use super::session::SessionError;
use super::text;

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
    /// What the window and the tray say to a person.
    pub fn in_plain_words(&self) -> String {
        // A provider's own words (error descriptions) are data.
        text::inert(&self.plain_words()).into_owned()
    }

    fn plain_words(&self) -> String {
        match self {
            Self::Flow(FlowError::Provider { error, description }) if error == "access_denied" => {
                format!("The sign-in was cancelled or refused ({description}).")
            }
            Self::Flow(FlowError::TimedOut(after)) => format!(
                "The browser did not come back within {} minutes. Try again.",
                after.as_secs().div_ceil(60)
            ),
            Self::Provider(ProviderError::OAuth {
                error, description, ..
            })
            | Self::Session(SessionError::Provider(ProviderError::OAuth {
                error,
                description,
                ..
            })) => format!("The provider refused: {description} ({error})."),
            Self::Provider(ProviderError::Unreachable(host) | ProviderError::TimedOut(host)) => {
                format!("The sign-in service at {host} could not be reached. Check your connection and try again.")
            }
            other => {
                let text = other.to_string();
                let mut chars = text.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or(text)
            }
        }
    }
}

pub(super) fn invalid(description: impl Into<String>) -> EngineError {
    EngineError::Invalid("invalid_request", description.into())
}
