//! What the engine tells a person (why a sign-in failed, why a session
//! ended), kept as a message of the translation files with its arguments
//! instead of finished text: the front doors say it (`pkce-tray-i18n`),
//! the tray, the window and the notifications in the person's language,
//! JSON bodies and the terminal in English, from the same value.

use pkce_tray_oidc::provider::ProviderError;

/// A message id of `locales/*.ftl` and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// One argument: text from elsewhere (a provider's description, an
/// address), a count the language's plural rules apply to, or another
/// message said in the same language (a reason inside a sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Count(u64),
    Message(Box<Message>),
}

impl Message {
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// With a text argument: made inert when said, as it may come from a
    /// provider.
    pub fn with(mut self, name: &'static str, text: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(text.into())));
        self
    }

    /// With a count, for plurals.
    pub fn count(mut self, name: &'static str, count: u64) -> Self {
        self.args.push((name, Arg::Count(count)));
        self
    }

    /// With another message as an argument.
    pub fn because(mut self, name: &'static str, said: Message) -> Self {
        self.args.push((name, Arg::Message(Box::new(said))));
        self
    }

    /// The message's id in the translation files.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The message's arguments, by name.
    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }
}

/// An error's own (English) words as a sentence starts: for the few a
/// person rarely meets, which have no message of their own.
pub fn capitalised(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or(text)
}

/// What a person is told of a provider's failure.
impl From<&ProviderError> for Message {
    fn from(error: &ProviderError) -> Self {
        match error {
            ProviderError::Unreachable(host) | ProviderError::TimedOut(host) => {
                Message::new("error-unreachable").with("host", host)
            }
            ProviderError::Untrusted(host) => Message::new("error-untrusted").with("host", host),
            ProviderError::OAuth {
                error, description, ..
            } => Message::new("error-refused")
                .with("description", description)
                .with("error", error),
            ProviderError::Answered {
                what,
                status,
                said_nothing,
            } => Message::new(if *said_nothing {
                "error-provider-status-bare"
            } else {
                "error-provider-status"
            })
            .with("what", *what)
            .with("status", status.to_string()),
            ProviderError::BadResponse(detail) => {
                Message::new("error-bad-response").with("detail", detail)
            }
            ProviderError::InvalidIdToken(detail) => {
                Message::new("error-invalid-id-token").with("detail", detail)
            }
            ProviderError::NoRevocation => Message::new("error-no-revocation"),
            ProviderError::NoPushedRequests => Message::new("error-no-pushed-requests"),
            ProviderError::NoDeviceFlow => Message::new("error-no-device-flow"),
        }
    }
}
