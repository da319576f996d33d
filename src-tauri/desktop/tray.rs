//! The tray icon and its menu. Linux tray icons get no click events
//! (libayatana-appindicator), so every action is in the menu.

use std::sync::Arc;

use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

use super::window;
use crate::engine::events::{Phase, Status};
use crate::engine::Engine;

/// The tray icon's id, and the ids of its menu items.
pub const TRAY_ID: &str = "pkce-tray";
pub const STATUS: &str = "status";
pub const KEYCHAIN: &str = "keychain";
pub const SIGN_IN: &str = "sign-in";
pub const CANCEL: &str = "cancel";
pub const SIGN_OUT: &str = "sign-out";
pub const OPEN: &str = "open";
pub const QUIT: &str = "quit";

/// One menu entry as the state wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: &'static str,
    pub text: String,
    pub enabled: bool,
}

/// The menu for a state: what it says and what can be clicked. Pure, so
/// it is tested without a display.
pub fn menu_model(status: &Status) -> Vec<Entry> {
    let entry = |id, text: &str, enabled| Entry {
        id,
        text: text.to_owned(),
        enabled,
    };
    let headline = match status.phase {
        Phase::SignedOut => "Not signed in".to_owned(),
        _ => status.headline(),
    };
    let mut entries = vec![entry(STATUS, &headline, false)];
    // Tray tooltips are not shown on Linux: the warning gets its own line.
    if status.keychain_warning.is_some() {
        entries.push(entry(
            KEYCHAIN,
            "Keychain unavailable: signed in until Quit",
            false,
        ));
    }
    entries.extend([
        entry(
            SIGN_IN,
            "Sign in…",
            matches!(status.phase, Phase::SignedOut | Phase::Error),
        ),
        entry(CANCEL, "Cancel sign-in", status.phase == Phase::SigningIn),
        entry(SIGN_OUT, "Sign out", status.phase == Phase::SignedIn),
        entry(OPEN, "Open pkce-tray", true),
        entry(QUIT, "Quit", true),
    ]);
    entries
}

/// The tooltip: the app and who is signed in.
pub fn tooltip(status: &Status) -> String {
    let mut text = format!("pkce-tray: {}", status.headline());
    if status.keychain_warning.is_some() {
        text.push_str(" (keychain unavailable)");
    }
    text
}

fn icon(phase: Phase) -> Image<'static> {
    let bytes: &'static [u8] = match phase {
        Phase::SignedOut => include_bytes!("../../icons/tray-signed-out.png"),
        Phase::SigningIn => include_bytes!("../../icons/tray-signing-in.png"),
        Phase::SignedIn => include_bytes!("../../icons/tray-signed-in.png"),
        Phase::Error => include_bytes!("../../icons/tray-error.png"),
    };
    Image::from_bytes(bytes).expect("the tray icons are valid PNG")
}

fn on_menu(app: &AppHandle, id: &str) {
    let engine = app.state::<Arc<Engine>>();
    match id {
        SIGN_IN => super::start_sign_in(engine.inner()),
        CANCEL => engine.cancel_sign_in(),
        SIGN_OUT => {
            let engine = engine.inner().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(error) = engine.sign_out().await {
                    tracing::warn!("sign-out: {error}");
                }
            });
        }
        OPEN => window::open(app),
        QUIT => app.exit(0),
        _ => {}
    }
}

/// A fresh menu for a state. Rebuilt on every change rather than edited
/// in place: GTK keeps an edited menu's old width until it is shown again.
fn build_menu(app: &AppHandle, status: &Status) -> tauri::Result<Menu<Wry>> {
    let menu = Menu::new(app)?;
    for entry in menu_model(status) {
        // Separators after the status line and before Open.
        if entry.id == SIGN_IN || entry.id == OPEN {
            menu.append(&PredefinedMenuItem::separator(app)?)?;
        }
        menu.append(&MenuItem::with_id(
            app,
            entry.id,
            &entry.text,
            entry.enabled,
            None::<&str>,
        )?)?;
    }
    Ok(menu)
}

pub fn create(app: &AppHandle, status: &Status) -> tauri::Result<()> {
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(status.phase))
        .tooltip(tooltip(status))
        .menu(&build_menu(app, status)?)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| on_menu(app, event.id.as_ref()))
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::open(tray.app_handle());
            }
        })
        .build(app)?;
    tracing::info!("tray ready");
    Ok(())
}

/// Shows a new state in the icon, the tooltip and the menu.
pub fn render(app: &AppHandle, status: &Status) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let _ = tray.set_icon(Some(icon(status.phase)));
    let _ = tray.set_tooltip(Some(tooltip(status)));
    match build_menu(app, status) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(error) => tracing::warn!("the tray menu could not be rebuilt: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::User;

    fn enabled(model: &[Entry]) -> Vec<&'static str> {
        model.iter().filter(|e| e.enabled).map(|e| e.id).collect()
    }

    #[test]
    fn the_menu_follows_the_state() {
        let mut status = Status::signed_out(None);
        let model = menu_model(&status);
        assert_eq!(model[0].text, "Not signed in");
        assert_eq!(enabled(&model), [SIGN_IN, OPEN, QUIT]);

        status.phase = Phase::SigningIn;
        assert_eq!(enabled(&menu_model(&status)), [CANCEL, OPEN, QUIT]);

        status.phase = Phase::SignedIn;
        status.user = Some(User {
            sub: "ada".into(),
            name: Some("Ada Lovelace".into()),
            email: None,
            picture: None,
        });
        let model = menu_model(&status);
        assert_eq!(model[0].text, "Signed in as Ada Lovelace");
        assert_eq!(enabled(&model), [SIGN_OUT, OPEN, QUIT]);
        assert_eq!(tooltip(&status), "pkce-tray: Signed in as Ada Lovelace");

        status.phase = Phase::Error;
        assert_eq!(enabled(&menu_model(&status)), [SIGN_IN, OPEN, QUIT]);

        status.keychain_warning = Some("no Secret Service".into());
        let model = menu_model(&status);
        assert_eq!(model[1].id, KEYCHAIN);
        assert!(!model[1].enabled);
    }
}
