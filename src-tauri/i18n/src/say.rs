//! The engine's messages said in words: its [`Message`] values and the
//! headline of an account's [`Status`], in a language of the app's.

use fluent_bundle::FluentValue;
use pkce_tray_engine::events::{Phase, Status};
use pkce_tray_engine::message::{Arg, Message};
use pkce_tray_oidc::text::escaped;

use crate::{english, words, Translation};

/// A message of the engine, said.
pub trait Say {
    /// In `words`' language.
    fn in_words(&self, words: &Translation) -> String;

    /// In English: for JSON bodies and the terminal, which never change
    /// with the language.
    fn english(&self) -> String {
        self.in_words(english())
    }

    /// In the person's language.
    fn for_person(&self) -> String {
        self.in_words(words())
    }
}

impl Say for Message {
    fn in_words(&self, words: &Translation) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = self
            .args()
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    // Made inert: the text may come from a provider.
                    Arg::Text(text) => FluentValue::from(escaped(text)),
                    Arg::Count(count) => FluentValue::from(*count),
                    Arg::Message(said) => FluentValue::from(said.in_words(words)),
                };
                (*name, value)
            })
            .collect();
        words.with(self.id(), &args)
    }
}

/// One line for the tray menu and the window's status, in `words`'
/// language.
pub fn headline(status: &Status, words: &Translation) -> String {
    match (status.phase, status.who()) {
        (Phase::SignedIn, Some(who)) => words.with("status-signed-in-as", &[("who", who.into())]),
        (Phase::SignedIn, None) => words.get("status-signed-in"),
        (Phase::SigningIn, Some(who)) => {
            words.with("status-signing-in-again", &[("who", who.into())])
        }
        (Phase::SigningIn, None) => words.get("status-signing-in"),
        (Phase::Error, _) => words.get("status-failed"),
        (Phase::SignedOut, _) => words.get("status-signed-out"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use pkce_tray_engine::config::ConfigError;
    use pkce_tray_engine::flows::FlowError;
    use pkce_tray_engine::message::capitalised;
    use pkce_tray_engine::session::SessionError;
    use pkce_tray_engine::vault::VaultError;
    use pkce_tray_engine::EngineError;
    use pkce_tray_oidc::provider::ProviderError;

    use pkce_tray_engine::events::User;

    use super::*;
    use crate::LANGUAGES;

    #[test]
    fn arguments_are_inert_and_counts_take_the_plural() {
        let said = Message::new("error-cancelled").with("description", "no\u{202e}pe");
        assert_eq!(
            said.english(),
            "The sign-in was cancelled or refused (no\\u{202e}pe)."
        );
        let one = Message::new("error-browser-timed-out").count("minutes", 1);
        assert_eq!(
            one.english(),
            "The browser did not come back within 1 minute. Try again."
        );
        let five = Message::new("error-browser-timed-out").count("minutes", 5);
        assert!(five.in_words(&Translation::of("de")).contains("5 Minuten"));
    }

    #[test]
    fn headline_names_the_user() {
        let mut status = Status::signed_out(None);
        assert_eq!(headline(&status, &Translation::of("en")), "Signed out");
        status.phase = Phase::SignedIn;
        status.user = Some(User {
            sub: "auth0|1".into(),
            name: None,
            email: Some("ada@example.com".into()),
            picture: None,
        });
        assert_eq!(
            headline(&status, &Translation::of("en")),
            "Signed in as ada@example.com"
        );
        assert_eq!(
            headline(&status, &Translation::of("de")),
            "Angemeldet als ada@example.com"
        );
    }

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
                assert_eq!(english, capitalised(&error));
            }
            for (tag, _) in &LANGUAGES[1..] {
                let said = error.said().in_words(&Translation::of(tag));
                assert_ne!(said, english, "{tag} says {error:?} in English");
            }
        }
    }
}
