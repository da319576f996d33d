//! The tray's menu, tooltip and icon for a state: pure and shared, so
//! every platform's tray shows the same thing and it is tested without a
//! display.

use std::sync::LazyLock;

use super::Action;
use crate::engine::events::{Phase, Status};

/// What the tray shows: the engine's state and one setting of the app's.
#[derive(Debug, Clone)]
pub struct View {
    pub status: Status,
    pub start_at_login: bool,
}

/// The menu items' ids.
pub const STATUS: &str = "status";
pub const KEYCHAIN: &str = "keychain";
pub const PROVIDER_SIGN_OUT: &str = "provider-sign-out";
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
pub fn menu_model(
    View {
        status,
        start_at_login,
    }: &View,
) -> Vec<Entry> {
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
    // A sign-out the provider did not confirm: the way to finish it there.
    if status.phase == Phase::SignedOut && status.provider_sign_out.is_some() {
        entries.push(entry(
            PROVIDER_SIGN_OUT,
            "Still signed in at the provider? Sign out there…",
            true,
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
            checked: Some(*start_at_login),
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
    if status.phase == Phase::SignedOut && status.provider_sign_out.is_some() {
        text.push_str(" here; the provider may still hold the session");
    }
    if status.keychain_warning.is_some() {
        text.push_str(" (keychain unavailable)");
    }
    text
}

/// What clicking an entry asks for; a check item asks for its other state.
pub fn action(entry: &Entry) -> Option<Action> {
    Some(match entry.id {
        START_AT_LOGIN => Action::SetStartAtLogin(!entry.checked?),
        SIGN_IN => Action::SignIn,
        CANCEL => Action::CancelSignIn,
        SIGN_OUT => Action::SignOut,
        PROVIDER_SIGN_OUT => Action::SignOutAtProvider,
        OPEN => Action::OpenWindow,
        QUIT => Action::Quit,
        _ => return None,
    })
}

/// Whether a separator goes before an entry: after the status lines, and
/// around Start at login.
pub fn separated(entry: &Entry) -> bool {
    matches!(entry.id, SIGN_IN | START_AT_LOGIN | OPEN)
}

/// A tray icon decoded once: straight RGBA, as most trays take it.
pub struct Rgba {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

fn decode(png_bytes: &[u8]) -> Rgba {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::ALPHA | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("the tray icons are valid PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a small icon")];
    let frame = reader
        .next_frame(&mut pixels)
        .expect("the tray icons are valid PNG");
    pixels.truncate(frame.buffer_size());
    Rgba {
        width: frame.width,
        height: frame.height,
        pixels,
    }
}

fn index(phase: Phase) -> usize {
    match phase {
        Phase::SignedOut => 0,
        Phase::SigningIn => 1,
        Phase::SignedIn => 2,
        Phase::Error => 3,
    }
}

static COLOURED: LazyLock<[Rgba; 4]> = LazyLock::new(|| {
    [
        decode(include_bytes!("../../icons/tray-signed-out.png")),
        decode(include_bytes!("../../icons/tray-signing-in.png")),
        decode(include_bytes!("../../icons/tray-signed-in.png")),
        decode(include_bytes!("../../icons/tray-error.png")),
    ]
});

/// The state's icon in colour (Linux, Windows): the disc's colour tells
/// the state.
pub fn coloured(phase: Phase) -> &'static Rgba {
    &COLOURED[index(phase)]
}

static TEMPLATES: LazyLock<[Rgba; 4]> = LazyLock::new(|| {
    [
        decode(include_bytes!("../../icons/tray-template-signed-out.png")),
        decode(include_bytes!("../../icons/tray-template-signing-in.png")),
        decode(include_bytes!("../../icons/tray-template-signed-in.png")),
        decode(include_bytes!("../../icons/tray-template-error.png")),
    ]
});

/// The state's icon as a template (macOS): black on transparent, which
/// the menu bar tints for light and dark mode, so the shape tells the
/// state.
pub fn template(phase: Phase) -> &'static Rgba {
    &TEMPLATES[index(phase)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::events::User;

    fn view(status: &Status, start_at_login: bool) -> View {
        View {
            status: status.clone(),
            start_at_login,
        }
    }

    fn enabled(model: &[Entry]) -> Vec<&'static str> {
        model.iter().filter(|e| e.enabled).map(|e| e.id).collect()
    }

    const PHASES: [Phase; 4] = [
        Phase::SignedOut,
        Phase::SigningIn,
        Phase::SignedIn,
        Phase::Error,
    ];

    #[test]
    fn icons_are_rgba_on_a_transparent_ground() {
        for phase in PHASES {
            for icon in [coloured(phase), template(phase)] {
                assert_eq!(icon.width * icon.height * 4, icon.pixels.len() as u32);
                // A corner pixel's alpha.
                assert_eq!(icon.pixels[3], 0);
            }
        }
    }

    #[test]
    fn template_icons_are_black_and_differ_in_shape() {
        let shapes: Vec<Vec<u8>> = PHASES
            .iter()
            .map(|&phase| {
                let icon = template(phase);
                assert!(icon.pixels.chunks_exact(4).all(|p| p[..3] == [0, 0, 0]));
                icon.pixels.chunks_exact(4).map(|p| p[3]).collect()
            })
            .collect();
        for (i, a) in shapes.iter().enumerate() {
            for b in &shapes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn every_clickable_entry_has_an_action() {
        let mut status = Status::signed_out(None);
        for phase in PHASES {
            status.phase = phase;
            for start_at_login in [false, true] {
                let view = View {
                    status: status.clone(),
                    start_at_login,
                };
                for entry in menu_model(&view).iter().filter(|e| e.enabled) {
                    assert!(action(entry).is_some(), "{}", entry.id);
                }
            }
        }
    }

    #[test]
    fn the_menu_follows_the_state() {
        let mut status = Status::signed_out(None);
        let model = menu_model(&view(&status, false));
        assert_eq!(model[0].text, "Not signed in");
        assert_eq!(enabled(&model), [SIGN_IN, START_AT_LOGIN, OPEN, QUIT]);

        status.phase = Phase::SigningIn;
        assert_eq!(
            enabled(&menu_model(&view(&status, false))),
            [CANCEL, START_AT_LOGIN, OPEN, QUIT]
        );

        status.phase = Phase::SignedIn;
        status.user = Some(User {
            sub: "ada".into(),
            name: Some("Ada Lovelace".into()),
            email: None,
            picture: None,
        });
        let model = menu_model(&view(&status, false));
        assert_eq!(model[0].text, "Signed in as Ada Lovelace");
        assert_eq!(enabled(&model), [SIGN_OUT, START_AT_LOGIN, OPEN, QUIT]);
        assert_eq!(tooltip(&status), "pkce-tray: Signed in as Ada Lovelace");

        status.phase = Phase::Error;
        assert_eq!(
            enabled(&menu_model(&view(&status, false))),
            [SIGN_IN, START_AT_LOGIN, OPEN, QUIT]
        );

        status.keychain_warning = Some("no Secret Service".into());
        let model = menu_model(&view(&status, false));
        assert_eq!(model[1].id, KEYCHAIN);
        assert!(!model[1].enabled);
    }

    #[test]
    fn an_unconfirmed_sign_out_offers_the_providers_own() {
        let status = Status {
            provider_sign_out: Some("https://login.example/logout".into()),
            ..Status::signed_out(Some("Signed out on this computer, but…".into()))
        };
        let model = menu_model(&view(&status, false));
        assert_eq!(
            enabled(&model),
            [PROVIDER_SIGN_OUT, SIGN_IN, START_AT_LOGIN, OPEN, QUIT]
        );
        assert_eq!(action(&model[1]), Some(Action::SignOutAtProvider));
        assert!(tooltip(&status).ends_with("the provider may still hold the session"));
    }

    #[test]
    fn start_at_login_is_a_check_item_that_asks_for_its_other_state() {
        let status = Status::signed_out(None);
        for on in [false, true] {
            let model = menu_model(&view(&status, on));
            let item = model.iter().find(|e| e.id == START_AT_LOGIN).unwrap();
            assert_eq!(item.checked, Some(on));
            assert_eq!(action(item), Some(Action::SetStartAtLogin(!on)));
        }
        let plain = menu_model(&view(&status, false));
        assert!(plain
            .iter()
            .filter(|e| e.id != START_AT_LOGIN)
            .all(|e| e.checked.is_none()));
    }
}
