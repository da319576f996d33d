//! The app's words in the person's language: the tray, the window, the
//! notifications and the page a browser lands on all take their text from
//! here, and the text from the translation files in `locales/` (Fluent).
//! The terminal's output and every JSON body stay English.
//!
//! Used by the front doors only (the API's pages, the tray, the window);
//! it may import the engine, never the API or the apps.

mod language;
mod say;

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub use language::system_languages;
pub use say::{headline, Say};

/// Every language the app speaks, English first: the fallback, and the
/// model the others are checked against.
pub const LANGUAGES: [(&str, &str); 6] = [
    ("en", include_str!("../../../locales/en.ftl")),
    ("de", include_str!("../../../locales/de.ftl")),
    ("es", include_str!("../../../locales/es.ftl")),
    ("fr", include_str!("../../../locales/fr.ftl")),
    ("ja", include_str!("../../../locales/ja.ftl")),
    ("zh-CN", include_str!("../../../locales/zh-CN.ftl")),
];

/// The words of one language, English behind them for anything missing.
pub struct Translation {
    language: &'static str,
    bundle: FluentBundle<FluentResource>,
}

impl Translation {
    /// The best of the app's languages for these, the person's, best
    /// first; English where none fits.
    pub fn for_languages(wanted: &[String]) -> Self {
        let wanted: Vec<LanguageIdentifier> =
            wanted.iter().filter_map(|tag| tag.parse().ok()).collect();
        let available: Vec<LanguageIdentifier> = LANGUAGES
            .iter()
            .map(|(tag, _)| tag.parse().expect("the app's language tags parse"))
            .collect();
        let english = &available[0];
        let chosen = fluent_langneg::negotiate_languages(
            &wanted,
            &available,
            Some(english),
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let index = chosen
            .first()
            .and_then(|chosen| available.iter().position(|tag| tag == *chosen))
            .unwrap_or(0);
        Self::of(LANGUAGES[index].0)
    }

    /// One of [`LANGUAGES`], by its tag.
    pub fn of(tag: &str) -> Self {
        let index = LANGUAGES.iter().position(|(t, _)| *t == tag).unwrap_or(0);
        let language = LANGUAGES[index].0;
        let mut bundle =
            FluentBundle::new_concurrent(vec![language.parse().expect("the app's tags parse")]);
        // Menus and notifications show text as it is: no invisible marks
        // around names (the names are made inert before they get here).
        bundle.set_use_isolating(false);
        for (_, text) in [LANGUAGES[index], LANGUAGES[0]] {
            let resource =
                FluentResource::try_new(text.to_owned()).unwrap_or_else(|(resource, _)| resource);
            // English behind: its messages fill the gaps, never replace.
            let _ = bundle.add_resource(resource);
        }
        Self { language, bundle }
    }

    /// The language's tag (`de`, `zh-CN`), for a page's `lang`.
    pub fn language(&self) -> &'static str {
        self.language
    }

    /// A message without arguments.
    pub fn get(&self, id: &str) -> String {
        self.with(id, &[])
    }

    /// A message with its arguments; the id itself where no language has it.
    pub fn with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let args: FluentArgs = args.iter().cloned().collect();
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .into_owned()
    }

    /// Items joined as the language joins them: `id` is the joint, a
    /// message of `$first` and `$next` (a Japanese list takes "、").
    pub fn joined(&self, id: &str, items: impl IntoIterator<Item = String>) -> String {
        items
            .into_iter()
            .reduce(|first, next| self.with(id, &[("first", first.into()), ("next", next.into())]))
            .unwrap_or_default()
    }

    /// Every message whose id starts with `prefix`, its arguments left
    /// as `{name}` for the page to fill in (a time in the page's own
    /// format, an account's name).
    pub fn templates(&self, prefix: &str, names: &[&str]) -> Vec<(String, String)> {
        let placeholders: Vec<(&str, FluentValue<'_>)> = names
            .iter()
            .map(|name| (*name, FluentValue::from(format!("{{{name}}}"))))
            .collect();
        message_ids(LANGUAGES[0].1)
            .into_iter()
            .filter(|id| id.starts_with(prefix))
            .map(|id| {
                let text = self.with(&id, &placeholders);
                (id, text)
            })
            .collect()
    }
}

/// The words of the person's language, as the system names it; chosen
/// once, when first needed.
pub fn words() -> &'static Translation {
    static WORDS: LazyLock<Translation> =
        LazyLock::new(|| Translation::for_languages(&system_languages()));
    &WORDS
}

/// English, whatever the person's language: the words of JSON bodies and
/// the terminal.
pub fn english() -> &'static Translation {
    static ENGLISH: LazyLock<Translation> = LazyLock::new(|| Translation::of("en"));
    &ENGLISH
}

/// The ids of a translation file's messages.
fn message_ids(text: &str) -> Vec<String> {
    let resource =
        FluentResource::try_new(text.to_owned()).unwrap_or_else(|(resource, _)| resource);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every argument any message takes, with a value of its kind.
    fn sample_args() -> Vec<(&'static str, FluentValue<'static>)> {
        vec![
            ("who", "Ada".into()),
            ("account", "work".into()),
            ("accounts", "home, play".into()),
            ("state", "Signed out".into()),
            ("time", "10:00".into()),
            ("count", 2.into()),
            ("minutes", 5.into()),
            ("seconds", 30.into()),
            ("detail", "no route to host".into()),
            ("description", "denied".into()),
            ("error", "access_denied".into()),
            ("name", "work".into()),
            ("known", "default, home".into()),
            ("cause", "invalid_request".into()),
            ("port", "49152".into()),
            ("wanted", "1000".into()),
            ("redirect", "http://127.0.0.1:49152/callback".into()),
            ("host", "id.example".into()),
            ("what", "revocation".into()),
            ("status", "401 Unauthorized".into()),
            ("store", "linux".into()),
            ("path", "/home/ada/.config/pkce-tray/config.toml".into()),
            ("place", "line 3".into()),
            ("issuer", "id.example".into()),
            ("why", "The keychain item is damaged and was ignored".into()),
            ("first", "work".into()),
            ("next", "home".into()),
        ]
    }

    #[test]
    fn every_language_has_every_message_and_formats_it_cleanly() {
        let english = message_ids(LANGUAGES[0].1);
        for (tag, text) in LANGUAGES {
            let resource = FluentResource::try_new(text.to_owned())
                .unwrap_or_else(|(_, errors)| panic!("{tag}: {errors:?}"));
            let ids = message_ids(text);
            for id in &english {
                assert!(ids.contains(id), "{tag} lacks {id}");
            }
            for id in &ids {
                assert!(
                    english.contains(id),
                    "{tag} has {id}, which English has not"
                );
            }
            let mut bundle = FluentBundle::new_concurrent(vec![tag.parse().unwrap()]);
            bundle.add_resource(resource).unwrap();
            let args: FluentArgs = sample_args().into_iter().collect();
            for id in &ids {
                let pattern = bundle.get_message(id).unwrap().value().unwrap();
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{tag} {id}: {errors:?}");
                assert!(!text.trim().is_empty(), "{tag} {id} is empty");
            }
        }
    }

    #[test]
    fn the_persons_language_is_chosen_and_english_is_the_fallback() {
        let chosen = |wanted: &[&str]| {
            let wanted: Vec<String> = wanted.iter().map(|tag| tag.to_string()).collect();
            Translation::for_languages(&wanted).language()
        };
        assert_eq!(chosen(&["de-AT"]), "de");
        assert_eq!(chosen(&["ja-JP"]), "ja");
        assert_eq!(chosen(&["zh-Hans-CN"]), "zh-CN");
        assert_eq!(chosen(&["pt-BR", "fr-CA"]), "fr");
        assert_eq!(chosen(&["pt-BR"]), "en");
        assert_eq!(chosen(&[]), "en");
    }

    #[test]
    fn plurals_follow_the_language_and_gaps_fall_back_to_english() {
        let attention = |words: &Translation, count: usize| {
            words.with(
                "tooltip-attention",
                &[("accounts", "home".into()), ("count", count.into())],
            )
        };
        let english = Translation::of("en");
        assert_eq!(attention(&english, 1), "home needs attention");
        assert_eq!(attention(&english, 2), "home need attention");
        assert_eq!(
            attention(&Translation::of("fr"), 1),
            "home demande votre attention"
        );
        assert_eq!(english.get("no-such-message"), "no-such-message");
        assert_eq!(Translation::of("xx").language(), "en");
    }

    #[test]
    fn lists_are_joined_as_each_language_joins_them() {
        let names = || ["work", "home", "play"].map(String::from);
        assert_eq!(
            Translation::of("en").joined("list-joined", names()),
            "work, home, play"
        );
        assert_eq!(
            Translation::of("ja").joined("list-joined", names()),
            "work、home、play"
        );
        assert_eq!(
            Translation::of("fr").joined("tooltip-joined", names()),
            "work\u{202f}; home\u{202f}; play"
        );
        assert_eq!(
            Translation::of("zh-CN").joined("list-joined", ["work".into()]),
            "work"
        );
        assert_eq!(Translation::of("en").joined("list-joined", Vec::new()), "");
        let sentences = || ["一。", "二。"].map(String::from);
        assert_eq!(
            Translation::of("ja").joined("sentences-joined", sentences()),
            "一。二。"
        );
        assert_eq!(
            Translation::of("de").joined("sentences-joined", sentences()),
            "一。 二。"
        );
    }

    #[test]
    fn templates_leave_their_arguments_for_the_page() {
        let templates = Translation::of("de").templates("window-", &["account", "time"]);
        let default = templates.iter().find(|(id, _)| id == "window-default");
        assert_eq!(default.unwrap().1, "{account} (Standard)");
        assert!(templates.iter().all(|(id, _)| id.starts_with("window-")));
    }
}
