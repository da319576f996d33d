//! Which languages the person reads, best first, as their system says.

/// On Linux and the other Unixes, the locale's environment as gettext
/// reads it: `LC_ALL`, else `LC_MESSAGES`, else `LANG`; then, unless that
/// is the plain C locale, `LANGUAGE`'s list before it.
#[cfg(not(any(target_os = "macos", windows)))]
pub fn system_languages() -> Vec<String> {
    from_environment(|name| std::env::var(name).ok())
}

/// On macOS and Windows, the user's interface languages.
#[cfg(any(target_os = "macos", windows))]
pub fn system_languages() -> Vec<String> {
    sys_locale::get_locales().collect()
}

#[cfg_attr(any(target_os = "macos", windows), allow(dead_code))]
fn from_environment(var: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let set = |name: &str| var(name).filter(|value| !value.is_empty());
    let Some(locale) = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(set) else {
        return Vec::new();
    };
    let tag = language_tag(&locale);
    if tag.is_empty() || tag == "C" || tag == "POSIX" {
        return Vec::new();
    }
    let mut languages: Vec<String> = set("LANGUAGE")
        .unwrap_or_default()
        .split(':')
        .map(language_tag)
        .filter(|tag| !tag.is_empty())
        .collect();
    languages.push(tag);
    languages
}

/// `de_DE.UTF-8@euro` as a language tag: `de-DE`.
fn language_tag(locale: &str) -> String {
    locale
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn languages(env: &[(&str, &str)]) -> Vec<String> {
        from_environment(|name| {
            env.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn the_locale_environment_is_read_as_gettext_reads_it() {
        assert_eq!(languages(&[("LANG", "de_DE.UTF-8")]), ["de-DE"]);
        assert_eq!(
            languages(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "ja_JP.UTF-8")]),
            ["ja-JP"]
        );
        assert_eq!(
            languages(&[("LC_ALL", "fr_FR.UTF-8"), ("LC_MESSAGES", "ja_JP.UTF-8")]),
            ["fr-FR"]
        );
        assert_eq!(
            languages(&[("LC_ALL", ""), ("LANG", "es_ES@euro")]),
            ["es-ES"]
        );
        assert_eq!(
            languages(&[("LANG", "de_DE.UTF-8"), ("LANGUAGE", "zh_CN:fr")]),
            ["zh-CN", "fr", "de-DE"]
        );
        // The C locale is English, whatever LANGUAGE says.
        assert!(languages(&[("LANG", "C.UTF-8"), ("LANGUAGE", "de")]).is_empty());
        assert!(languages(&[("LC_ALL", "POSIX")]).is_empty());
        assert!(languages(&[]).is_empty());
    }
}
