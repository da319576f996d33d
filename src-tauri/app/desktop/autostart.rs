//! Start at login, the platform's own way (an XDG autostart entry on
//! Linux, a launch agent on macOS, the Run key on Windows) through
//! auto-launch. Off until the person turns it on; turning it off removes
//! exactly what turning it on wrote.

use auto_launch::{AutoLaunch, AutoLaunchBuilder};

#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    #[error("cannot tell where pkce-tray is installed: {0}")]
    NoExecutable(#[from] std::io::Error),
    #[error("the login items could not be changed: {0}")]
    Platform(#[from] auto_launch::Error),
}

/// What starts at login: the tray alone, without the window.
const ARGS: [&str; 1] = ["--hidden"];

fn entry() -> Result<AutoLaunch, AutostartError> {
    let exe = std::env::current_exe()?;
    Ok(AutoLaunchBuilder::new()
        .set_app_name("pkce-tray")
        .set_app_path(&exe.to_string_lossy())
        .set_args(&ARGS)
        .build()?)
}

/// Whether pkce-tray starts at login.
pub fn is_on() -> bool {
    match entry().and_then(|entry| Ok(entry.is_enabled()?)) {
        Ok(on) => on,
        Err(error) => {
            tracing::debug!("start at login unknown: {error}");
            false
        }
    }
}

/// Turns starting at login on or off.
pub fn set(on: bool) -> Result<(), AutostartError> {
    let entry = entry()?;
    if on {
        entry.enable()?;
    } else if entry.is_enabled()? {
        entry.disable()?;
    }
    tracing::info!("start at login {}", if on { "on" } else { "off" });
    Ok(())
}

/// Whether the window should offer starting at login now: once per
/// person, after the first sign-in. Asking records the offer.
pub fn offer_once() -> bool {
    let Some(marker) =
        dirs::config_dir().map(|dir| dir.join("pkce-tray").join("offered-start-at-login"))
    else {
        return false;
    };
    if marker.exists() || is_on() {
        return false;
    }
    let recorded = marker
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&marker, b""));
    if let Err(error) = recorded {
        tracing::debug!("the offer to start at login is not remembered: {error}");
    }
    true
}
