//! `app.pkcetray.desktop:` links from the OS, at start and from later launches,
//! handed to the engine like any other callback.

use std::sync::Arc;

use pkce_tray_engine::config::DEEP_LINK_SCHEME;
use pkce_tray_engine::Engine;

/// Whether a launch argument is one of our links.
pub fn is_link(arg: &str) -> bool {
    arg.strip_prefix(DEEP_LINK_SCHEME)
        .is_some_and(|rest| rest.starts_with(':'))
}

/// Hands a link to the engine, which answers the sign-in it belongs to
/// or refuses it with a log line.
pub fn hand_over(engine: &Arc<Engine>, link: String) {
    let engine = engine.clone();
    tokio::spawn(async move {
        match engine.deep_link(&link).await {
            Ok(()) => tracing::info!("a deep link answered the sign-in"),
            Err(error) => tracing::warn!("refused a deep link: {error}"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_scheme_is_a_link() {
        assert!(is_link("app.pkcetray.desktop:/pkce/response/code?code=x"));
        assert!(!is_link("app.pkcetray.desktopx:/pkce"));
        assert!(!is_link("pkce-tray://pkce/response/code?code=x"));
        assert!(!is_link("--show"));
        assert!(!is_link("https://example.com"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Only arguments in our scheme are taken for links.
        #[test]
        fn only_our_scheme_is_ever_a_link(arg in ".{0,80}") {
            if is_link(&arg) {
                let ours = format!("{}:", DEEP_LINK_SCHEME);
                prop_assert!(arg.starts_with(&ours));
            }
        }
    }
}
