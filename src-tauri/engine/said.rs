//! What the engine tells a person (why a sign-in failed, why a session
//! ended), kept as a message of the translation files with its arguments
//! instead of finished text: the tray, the window and the notifications
//! say it in the person's language, JSON bodies and the terminal in
//! English, from the same value.

use fluent_bundle::FluentValue;

use crate::i18n::{self, Words};

/// A message id of `locales/*.ftl` and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// One argument: text from elsewhere (a provider's description, an
/// address), a count the language's plural rules apply to, or another
/// message said in the same language (a reason inside a sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Text(String),
    Count(u64),
    Said(Box<Said>),
}

impl Said {
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
    pub fn because(mut self, name: &'static str, said: Said) -> Self {
        self.args.push((name, Arg::Said(Box::new(said))));
        self
    }

    /// In `words`' language.
    pub fn in_words(&self, words: &Words) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => FluentValue::from(super::text::inert(text)),
                    Arg::Count(count) => FluentValue::from(*count),
                    Arg::Said(said) => FluentValue::from(said.in_words(words)),
                };
                (*name, value)
            })
            .collect();
        words.with(self.id, &args)
    }

    /// In English: for JSON bodies and the terminal, which never change
    /// with the language.
    pub fn english(&self) -> String {
        self.in_words(i18n::english())
    }

    /// In the person's language.
    pub fn for_person(&self) -> String {
        self.in_words(i18n::words())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_inert_and_counts_take_the_plural() {
        let said = Said::new("error-cancelled").with("description", "no\u{202e}pe");
        assert_eq!(
            said.english(),
            "The sign-in was cancelled or refused (no\\u{202e}pe)."
        );
        let one = Said::new("error-browser-timed-out").count("minutes", 1);
        assert_eq!(
            one.english(),
            "The browser did not come back within 1 minute. Try again."
        );
        let five = Said::new("error-browser-timed-out").count("minutes", 5);
        assert!(five.in_words(&Words::of("de")).contains("5 Minuten"));
    }
}
