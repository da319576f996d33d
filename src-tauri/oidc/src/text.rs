//! What a provider sends is data, never instructions: validated where it
//! enters (token values, addresses to open), made inert where it reaches
//! a person (a terminal, the tray, the window, a page), in one helper
//! each.

use std::borrow::Cow;
use std::net::IpAddr;

use url::Url;

/// Whether a character would act on a terminal or reorder the text around
/// it instead of showing: C0 and C1 controls, DEL, and the Unicode
/// direction overrides and isolates (Trojan Source, CVE-2021-42574).
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from elsewhere as it may be shown: every control character and
/// direction override written out as `\u{…}`, everything else unchanged.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(written_out(text, |c| format!("\\u{{{c:x}}}")))
}

/// `text` with each character that acts replaced by `escape` of its code.
fn written_out(text: &str, escape: impl Fn(u32) -> String) -> String {
    text.chars()
        .map(|c| {
            if acts(c) {
                escape(c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A JSON text as it may be printed: the same JSON, its control
/// characters and direction overrides (only ever inside strings) written
/// as `\uXXXX` escapes, which a JSON reader turns back into the data.
pub fn escaped_json(json: &str) -> String {
    written_out(json, |c| format!("\\u{c:04x}"))
}

/// RFC 6749 Appendix A: codes, states and tokens are `1*VSCHAR`, printable
/// ASCII. Anything else (a line break above all) could forge a line where
/// the value is printed: git's credential protocol, a header, a terminal.
pub fn is_token_value(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// An address pkce-tray may open or show for a person to open: a URL as
/// sent, without spaces or controls, `https`, or `http` on this machine's
/// loopback (a provider under development). Never a file, a program's
/// scheme or anything a browser could read as an option.
pub fn web_address(text: &str) -> Result<Url, String> {
    if text.chars().any(|c| c.is_whitespace() || acts(c)) {
        return Err(format!("{:?} is not an address", escaped(text)));
    }
    let url = Url::parse(text).map_err(|_| format!("{:?} is not an address", escaped(text)))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(format!(
            "{:?} is neither an https address nor an http one on this machine",
            escaped(text)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_are_written_out() {
        assert_eq!(escaped("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(escaped("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escaped("x\ny"), "x\\u{a}y");
        assert_eq!(escaped("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(escaped("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escaped("Zoë 東京"), "Zoë 東京");
    }

    #[test]
    fn printed_json_reads_back_as_the_same_data() {
        let value = serde_json::json!({"name": "a\u{9b}31m\u{202e}b\u{1b}"});
        let shown = escaped_json(&serde_json::to_string(&value).unwrap());
        assert!(!shown.chars().any(acts));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&shown).unwrap(),
            value
        );
    }

    #[test]
    fn only_web_addresses_are_opened() {
        for good in [
            "https://id.example/authorize?x=1",
            "http://127.0.0.1:7420/auth",
            "http://[::1]:7420/device",
            "http://localhost:1000/x",
        ] {
            assert!(web_address(good).is_ok(), "{good}");
        }
        for bad in [
            "file:///etc/passwd",
            "--new-window=file:///etc/passwd",
            "-https://id.example/",
            "http://id.example/authorize",
            "http://127.0.0.1.evil.example/",
            "javascript:alert(1)",
            "https://id.example/a b",
            "https://id.example/\n--x",
            " https://id.example/",
            "app.pkcetray.desktop:/pkce/response/code",
            "",
        ] {
            assert!(web_address(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn token_values_are_printable_ascii() {
        assert!(is_token_value("eyJhbGciOi.J9-_~+/="));
        assert!(!is_token_value(""));
        assert!(!is_token_value("abc\nhost=evil.example"));
        assert!(!is_token_value("abc\r"));
        assert!(!is_token_value("tökén"));
    }

    proptest! {
        /// No character that acts on a terminal or reorders text ever
        /// comes out, and text without one comes out unchanged.
        #[test]
        fn nothing_that_acts_comes_out(text in any::<String>()) {
            let shown = escaped(&text);
            prop_assert!(!shown.chars().any(acts));
            if !text.chars().any(acts) {
                prop_assert_eq!(shown.as_ref(), text.as_str());
            }
            let again = escaped(&shown).into_owned();
            prop_assert_eq!(again.as_str(), shown.as_ref());
        }

        /// An accepted address never starts like an option and has no
        /// space, control or line break in it.
        #[test]
        fn accepted_addresses_are_plain(text in "\\PC{0,40}") {
            if let Ok(url) = web_address(&text) {
                prop_assert!(url.as_str().starts_with("http"));
                prop_assert!(!text.chars().any(|c| c.is_whitespace() || acts(c)));
            }
        }

        /// A token value is accepted exactly when it is printable ASCII.
        #[test]
        fn token_values(text in any::<String>()) {
            let printable = !text.is_empty() && text.chars().all(|c| (' '..='~').contains(&c));
            prop_assert_eq!(is_token_value(&text), printable);
        }
    }
}
