//! The tray icon and its menu, a StatusNotifierItem on the session bus
//! (ksni, pure Rust): the tray process links no GUI toolkit at all. Linux
//! tray hosts rarely pass clicks on the icon itself, so every action is in
//! the menu.

use std::sync::LazyLock;

use super::{ask, Action, Actions};
use crate::engine::events::{Phase, Status};
use ksni::menu::{CheckmarkItem, MenuItem, StandardItem};
use ksni::{Icon, ToolTip, TrayMethods};

/// The menu items' ids.
pub const STATUS: &str = "status";
pub const KEYCHAIN: &str = "keychain";
pub const SIGN_IN: &str = "sign-in";
pub const CANCEL: &str = "cancel";
pub const SIGN_OUT: &str = "sign-out";
pub const START_AT_LOGIN: &str = "start-at-login";
pub const OPEN: &str = "open";
pub const QUIT: &str = "quit";

/// One menu entry as the state wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: &'static str,
    pub text: String,
    pub enabled: bool,
    /// A check item's state; `None` for a plain item.
    pub checked: Option<bool>,
}

/// The menu for a state: what it says and what can be clicked. Pure, so
/// it is tested without a display.
pub fn menu_model(status: &Status, start_at_login: bool) -> Vec<Entry> {
    let entry = |id, text: &str, enabled| Entry {
        id,
        text: text.to_owned(),
        enabled,
        checked: None,
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
        Entry {
            checked: Some(start_at_login),
            ..entry(START_AT_LOGIN, "Start at login", true)
        },
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

/// A tray icon as the StatusNotifierItem spec wants it: ARGB32, network
/// byte order.
fn decode(png_bytes: &[u8]) -> Icon {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::ALPHA | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("the tray icons are valid PNG");
    let mut rgba = vec![0; reader.output_buffer_size().expect("a small icon")];
    let frame = reader
        .next_frame(&mut rgba)
        .expect("the tray icons are valid PNG");
    rgba.truncate(frame.buffer_size());
    for pixel in rgba.chunks_exact_mut(4) {
        pixel.rotate_right(1);
    }
    Icon {
        width: frame.width as i32,
        height: frame.height as i32,
        data: rgba,
    }
}

static ICONS: LazyLock<[Icon; 4]> = LazyLock::new(|| {
    [
        decode(include_bytes!("../../icons/tray-signed-out.png")),
        decode(include_bytes!("../../icons/tray-signing-in.png")),
        decode(include_bytes!("../../icons/tray-signed-in.png")),
        decode(include_bytes!("../../icons/tray-error.png")),
    ]
});

fn icon(phase: Phase) -> Icon {
    let index = match phase {
        Phase::SignedOut => 0,
        Phase::SigningIn => 1,
        Phase::SignedIn => 2,
        Phase::Error => 3,
    };
    ICONS[index].clone()
}

/// What clicking an entry asks for; a check item asks for its other state.
fn action(entry: &Entry) -> Option<Action> {
    Some(match entry.id {
        START_AT_LOGIN => Action::SetStartAtLogin(!entry.checked?),
        SIGN_IN => Action::SignIn,
        CANCEL => Action::CancelSignIn,
        SIGN_OUT => Action::SignOut,
        OPEN => Action::OpenWindow,
        QUIT => Action::Quit,
        _ => return None,
    })
}

/// The tray as the tray host sees it: drawn from the engine's state, and
/// every click handed to the app as an [`Action`].
pub struct Tray {
    pub status: Status,
    pub start_at_login: bool,
    actions: Actions,
}

impl ksni::Tray for Tray {
    fn id(&self) -> String {
        "pkce-tray".into()
    }

    fn title(&self) -> String {
        "pkce-tray".into()
    }

    fn icon_pixmap(&self) -> Vec<Icon> {
        vec![icon(self.status.phase)]
    }

    fn tool_tip(&self) -> ToolTip {
        ToolTip {
            title: tooltip(&self.status),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        ask(&self.actions, Action::OpenWindow);
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let mut items = Vec::new();
        for entry in menu_model(&self.status, self.start_at_login) {
            // Separators after the status lines and around Start at login.
            if matches!(entry.id, SIGN_IN | START_AT_LOGIN | OPEN) {
                items.push(MenuItem::Separator);
            }
            let (label, enabled, checked) = (entry.text.clone(), entry.enabled, entry.checked);
            let activate: Box<dyn Fn(&mut Self) + Send> = Box::new(move |tray: &mut Self| {
                if let Some(action) = action(&entry) {
                    ask(&tray.actions, action);
                }
            });
            items.push(match checked {
                Some(checked) => CheckmarkItem {
                    label,
                    enabled,
                    checked,
                    activate,
                    ..Default::default()
                }
                .into(),
                None => StandardItem {
                    label,
                    enabled,
                    activate,
                    ..Default::default()
                }
                .into(),
            });
        }
        items
    }

    fn watcher_online(&self) {
        tracing::info!("the desktop's tray host shows the tray icon");
    }

    fn watcher_offline(&self, reason: ksni::OfflineReason) -> bool {
        let why = match reason {
            ksni::OfflineReason::Error(error) => error.to_string(),
            _ => "the tray host went away".to_owned(),
        };
        tracing::warn!(
            "no tray host on the session bus ({why}); the icon appears when one starts, and launching pkce-tray again opens the window"
        );
        true
    }
}

/// Puts the icon on the session bus. It stays up without a tray host and
/// shows when one appears.
pub async fn spawn(
    status: Status,
    start_at_login: bool,
    actions: Actions,
) -> Result<ksni::Handle<Tray>, ksni::Error> {
    let handle = Tray {
        status,
        start_at_login,
        actions,
    }
    .assume_sni_available(true)
    .spawn()
    .await?;
    tracing::info!("tray ready");
    Ok(handle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::User;

    fn enabled(model: &[Entry]) -> Vec<&'static str> {
        model.iter().filter(|e| e.enabled).map(|e| e.id).collect()
    }

    #[test]
    fn icons_are_argb_pixmaps() {
        for phase in [
            Phase::SignedOut,
            Phase::SigningIn,
            Phase::SignedIn,
            Phase::Error,
        ] {
            let icon = icon(phase);
            assert_eq!(icon.width * icon.height * 4, icon.data.len() as i32);
        }
        // The icons are drawn on a transparent ground: the first byte of a
        // corner pixel, its alpha, is zero.
        assert_eq!(icon(Phase::SignedIn).data[0], 0);
    }

    #[test]
    fn every_clickable_entry_has_an_action() {
        let mut status = Status::signed_out(None);
        for phase in [
            Phase::SignedOut,
            Phase::SigningIn,
            Phase::SignedIn,
            Phase::Error,
        ] {
            status.phase = phase;
            for start_at_login in [false, true] {
                for entry in menu_model(&status, start_at_login)
                    .iter()
                    .filter(|e| e.enabled)
                {
                    assert!(action(entry).is_some(), "{}", entry.id);
                }
            }
        }
    }

    #[test]
    fn the_menu_follows_the_state() {
        let mut status = Status::signed_out(None);
        let model = menu_model(&status, false);
        assert_eq!(model[0].text, "Not signed in");
        assert_eq!(enabled(&model), [SIGN_IN, START_AT_LOGIN, OPEN, QUIT]);

        status.phase = Phase::SigningIn;
        assert_eq!(
            enabled(&menu_model(&status, false)),
            [CANCEL, START_AT_LOGIN, OPEN, QUIT]
        );

        status.phase = Phase::SignedIn;
        status.user = Some(User {
            sub: "ada".into(),
            name: Some("Ada Lovelace".into()),
            email: None,
            picture: None,
        });
        let model = menu_model(&status, false);
        assert_eq!(model[0].text, "Signed in as Ada Lovelace");
        assert_eq!(enabled(&model), [SIGN_OUT, START_AT_LOGIN, OPEN, QUIT]);
        assert_eq!(tooltip(&status), "pkce-tray: Signed in as Ada Lovelace");

        status.phase = Phase::Error;
        assert_eq!(
            enabled(&menu_model(&status, false)),
            [SIGN_IN, START_AT_LOGIN, OPEN, QUIT]
        );

        status.keychain_warning = Some("no Secret Service".into());
        let model = menu_model(&status, false);
        assert_eq!(model[1].id, KEYCHAIN);
        assert!(!model[1].enabled);
    }

    #[test]
    fn start_at_login_is_a_check_item_that_asks_for_its_other_state() {
        let status = Status::signed_out(None);
        for on in [false, true] {
            let model = menu_model(&status, on);
            let item = model.iter().find(|e| e.id == START_AT_LOGIN).unwrap();
            assert_eq!(item.checked, Some(on));
            assert_eq!(action(item), Some(Action::SetStartAtLogin(!on)));
        }
        let plain = menu_model(&status, false);
        assert!(plain
            .iter()
            .filter(|e| e.id != START_AT_LOGIN)
            .all(|e| e.checked.is_none()));
    }
}
