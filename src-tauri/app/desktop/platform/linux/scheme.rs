//! Linux: our links reach this binary through a desktop entry that takes
//! the scheme, the package's or, for a build run from elsewhere, a user
//! entry written at start.

use std::path::{Path, PathBuf};
use std::time::Duration;

use pkce_tray_engine::config::DEEP_LINK_SCHEME;

/// The package's own desktop entry, when this binary is the installed
/// one: the package registers the scheme at install time.
fn installed_entry(exe: &Path) -> Option<PathBuf> {
    if !exe.starts_with("/usr/") {
        return None;
    }
    let dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|dirs| !dirs.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.split(':')
        .map(|dir| {
            Path::new(dir)
                .join("applications")
                .join("pkce-tray.desktop")
        })
        .find(|entry| entry.is_file())
}

/// Makes the desktop hand our links to this binary where no package did:
/// a user `.desktop` entry that takes the scheme, made the default with
/// `xdg-mime`.
pub async fn register_scheme() {
    let (Some(data), Ok(exe)) = (dirs::data_dir(), std::env::current_exe()) else {
        return;
    };
    let name = "pkce-tray-handler.desktop";
    if let Some(entry) = installed_entry(&exe) {
        // An entry left by a build run earlier would shadow the package's.
        let _ = std::fs::remove_file(data.join("applications").join(name));
        tracing::debug!(
            "the {DEEP_LINK_SCHEME}: scheme is the package's ({})",
            entry.display()
        );
        return;
    }
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
