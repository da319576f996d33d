//! `app.pkcetray.desktop:` links from the OS, at start and from later launches,
//! handed to the engine like any other callback.

use std::sync::Arc;
use std::time::Duration;

use crate::engine::config::DEEP_LINK_SCHEME;
use crate::engine::Engine;

/// Whether a launch argument is one of our links.
pub fn is_link(arg: &str) -> bool {
    arg.strip_prefix(DEEP_LINK_SCHEME)
        .is_some_and(|rest| rest.starts_with(':'))
}

pub fn hand_over(engine: &Arc<Engine>, link: String) {
    let engine = engine.clone();
    tokio::spawn(async move {
        match engine.deep_link(&link).await {
            Ok(()) => tracing::info!("a deep link answered the sign-in"),
            Err(error) => tracing::warn!("refused a deep link: {error}"),
        }
    });
}

/// Makes the desktop hand our links to this binary, as an
/// installed package does at install time: a user `.desktop` entry that
/// takes the scheme, made the default with `xdg-mime`.
pub async fn register_scheme() {
    let (Some(data), Ok(exe)) = (dirs::data_dir(), std::env::current_exe()) else {
        return;
    };
    let name = "pkce-tray-handler.desktop";
    let entry = format!(
        "[Desktop Entry]\nType=Application\nName=pkce-tray\nExec=\"{}\" %u\nTerminal=false\nNoDisplay=true\nMimeType=x-scheme-handler/{DEEP_LINK_SCHEME};\n",
        exe.display()
    );
    let dir = data.join("applications");
    let path = dir.join(name);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == entry) {
        return;
    }
    if let Err(error) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, entry)) {
        tracing::info!("the {DEEP_LINK_SCHEME}: scheme is not registered: {error}");
        return;
    }
    let mime = tokio::process::Command::new("xdg-mime")
        .args([
            "default",
            name,
            &format!("x-scheme-handler/{DEEP_LINK_SCHEME}"),
        ])
        .kill_on_drop(true)
        .status();
    match tokio::time::timeout(Duration::from_secs(10), mime).await {
        Ok(Ok(status)) if status.success() => {
            tracing::info!("registered the {DEEP_LINK_SCHEME}: scheme with the desktop")
        }
        outcome => tracing::info!(
            "the {DEEP_LINK_SCHEME}: scheme has a desktop entry but xdg-mime did not make it the default ({outcome:?})"
        ),
    }
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
