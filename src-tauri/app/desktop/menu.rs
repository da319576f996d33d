//! The tray's menu, tooltip and icon for a state: pure and shared, so
//! every platform's tray shows the same thing and it is tested without a
//! display.

use pkce_tray_i18n::headline;
use std::sync::LazyLock;

use super::Action;
use pkce_tray_engine::events::{AccountView, Overview, Phase, Status};
use pkce_tray_i18n::Translation;

/// What the tray shows: every account's state (the default one's in the
/// icon) and the app's two switches.
#[derive(Debug, Clone)]
pub struct View {
    pub overview: Overview,
    pub start_at_login: bool,
    pub notifications: bool,
}

impl View {
    /// The default account's state: what the icon and the first lines say.
    pub fn status(&self) -> Status {
        self.overview
            .default_account()
            .map(|account| account.status.clone())
            .unwrap_or_else(|| Status::signed_out(None))
    }

    /// Whether the icon carries a mark: another account wants the person.
    pub fn marked(&self) -> bool {
        self.overview.others_need_attention()
    }
}

/// The menu items' ids, for the platforms' menus (tray-icon's item ids,
/// the StatusNotifierItem's); an account's own items add `:` and its
/// name. Nothing reads them back: each entry carries its action.
pub const STATUS: &str = "status";
pub const KEYCHAIN: &str = "keychain";
pub const PROVIDER_SIGN_OUT: &str = "provider-sign-out";
pub const SIGN_IN: &str = "sign-in";
pub const CANCEL: &str = "cancel";
pub const SIGN_OUT: &str = "sign-out";
pub const ACCOUNT: &str = "account";
pub const USE_AS_DEFAULT: &str = "use-as-default";
pub const START_AT_LOGIN: &str = "start-at-login";
pub const NOTIFICATIONS: &str = "notifications";
pub const OPEN: &str = "open";
pub const QUIT: &str = "quit";

/// One menu entry as the state wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub text: String,
    pub enabled: bool,
    /// A check item's state; `None` for a plain item.
    pub checked: Option<bool>,
    /// What clicking it asks for; `None` for a line that only says
    /// something. A check item asks for its other state.
    pub action: Option<Action>,
    /// Whether a separator goes before it: it starts a group (the
    /// default account's actions, another account, the switches, the
    /// app's own items).
    pub starts_group: bool,
}

/// A line that says something and does nothing.
fn line(id: impl Into<String>, text: impl Into<String>) -> Entry {
    Entry {
        id: id.into(),
        text: text.into(),
        enabled: false,
        checked: None,
        action: None,
        starts_group: false,
    }
}

/// An item that asks for `action` when clicked (and `enabled`).
fn item(id: impl Into<String>, text: impl Into<String>, enabled: bool, action: Action) -> Entry {
    Entry {
        enabled,
        action: Some(action),
        ..line(id, text)
    }
}

/// A check item, `on` or off, which asks for `toggle` of its other state.
fn check(id: &str, text: String, on: bool, toggle: fn(bool) -> Action) -> Entry {
    Entry {
        checked: Some(on),
        ..item(id, text, true, toggle(!on))
    }
}

impl Entry {
    fn starting_a_group(self) -> Self {
        Self {
            starts_group: true,
            ..self
        }
    }
}

/// The menu for a state, in `words`' language: what it says and what
/// can be clicked. Pure, so it is tested without a display. The default
/// account's lines come first, as they always have; each other account
/// follows with its state and the one thing to do with it, and "Use as
/// default".
pub fn menu_model(view: &View, words: &Translation) -> Vec<Entry> {
    let status = view.status();
    let several = view.overview.accounts.len() > 1;
    let headline = match status.phase {
        Phase::SignedOut => words.get("menu-not-signed-in"),
        _ => headline(&status, words),
    };
    let headline = match view.overview.default_account() {
        Some(account) if several => words.with(
            "menu-account-line",
            &[
                ("account", account.name.as_str().into()),
                ("state", headline.into()),
            ],
        ),
        _ => headline,
    };
    let mut entries = vec![line(STATUS, headline)];
    // Tray tooltips are not shown on Linux: the warning gets its own line.
    if status.keychain_warning.is_some() {
        entries.push(line(KEYCHAIN, words.get("menu-keychain")));
    }
    // A sign-out the provider did not confirm: the way to finish it there.
    if status.phase == Phase::SignedOut && status.provider_sign_out.is_some() {
        entries.push(item(
            PROVIDER_SIGN_OUT,
            words.get("menu-provider-sign-out"),
            true,
            Action::SignOutAtProvider(None),
        ));
    }
    entries.extend([
        item(
            SIGN_IN,
            words.get("menu-sign-in"),
            matches!(status.phase, Phase::SignedOut | Phase::Error),
            Action::SignIn(None),
        )
        .starting_a_group(),
        item(
            CANCEL,
            words.get("menu-cancel"),
            status.phase == Phase::SigningIn,
            Action::CancelSignIn(None),
        ),
        item(
            SIGN_OUT,
            words.get("menu-sign-out"),
            status.phase == Phase::SignedIn,
            Action::SignOut(None),
        ),
    ]);
    for account in view.overview.accounts.iter().filter(|a| !a.default) {
        entries.extend(account_entries(account, words));
    }
    entries.extend([
        check(
            NOTIFICATIONS,
            words.get("menu-notifications"),
            view.notifications,
            Action::SetNotifications,
        )
        .starting_a_group(),
        check(
            START_AT_LOGIN,
            words.get("menu-start-at-login"),
            view.start_at_login,
            Action::SetStartAtLogin,
        ),
        item(OPEN, words.get("menu-open"), true, Action::OpenWindow).starting_a_group(),
        item(QUIT, words.get("menu-quit"), true, Action::Quit),
    ]);
    entries
}

/// Another account's lines: its state, what can be done, and making it
/// the default.
fn account_entries(account: &AccountView, words: &Translation) -> [Entry; 3] {
    let name = &account.name;
    let status = &account.status;
    let state = match (status.phase, status.who()) {
        (Phase::SignedOut, _) if status.ended => words.get("menu-other-ended"),
        (Phase::SignedOut, _) => words.get("menu-other-signed-out"),
        (Phase::SignedIn, Some(who)) => {
            words.with("menu-other-signed-in-as", &[("who", who.into())])
        }
        (Phase::SignedIn, None) => words.get("menu-other-signed-in"),
        (Phase::SigningIn, Some(who)) => {
            words.with("menu-other-signing-in-again", &[("who", who.into())])
        }
        (Phase::SigningIn, None) => words.get("menu-other-signing-in"),
        (Phase::Error, _) => words.get("menu-other-failed"),
    };
    let named = |id: &str| words.with(id, &[("account", name.as_str().into())]);
    let account = Some(name.clone());
    let next = match status.phase {
        Phase::SignedOut | Phase::Error => item(
            format!("{SIGN_IN}:{name}"),
            named("menu-sign-in-to"),
            true,
            Action::SignIn(account),
        ),
        Phase::SigningIn => item(
            format!("{CANCEL}:{name}"),
            named("menu-cancel-sign-in-to"),
            true,
            Action::CancelSignIn(account),
        ),
        Phase::SignedIn => item(
            format!("{SIGN_OUT}:{name}"),
            named("menu-sign-out-of"),
            true,
            Action::SignOut(account),
        ),
    };
    [
        line(
            format!("{ACCOUNT}:{name}"),
            words.with(
                "menu-account-line",
                &[("account", name.as_str().into()), ("state", state.into())],
            ),
        )
        .starting_a_group(),
        next,
        item(
            format!("{USE_AS_DEFAULT}:{name}"),
            named("menu-use-as-default"),
            true,
            Action::UseAsDefault(name.clone()),
        ),
    ]
}

/// The tooltip: the app, who is signed in, and which other account wants
/// the person.
pub fn tooltip(view: &View, words: &Translation) -> String {
    let status = view.status();
    let mut parts = vec![words.with("tooltip", &[("state", headline(&status, words).into())])];
    if status.phase == Phase::SignedOut && status.provider_sign_out.is_some() {
        parts.push(words.get("tooltip-provider"));
    }
    if status.keychain_warning.is_some() {
        parts.push(words.get("tooltip-keychain"));
    }
    let wanting: Vec<String> = view
        .overview
        .accounts
        .iter()
        .filter(|a| !a.default && a.status.needs_attention())
        .map(|a| a.name.clone())
        .collect();
    if !wanting.is_empty() {
        let count = wanting.len();
        parts.push(words.with(
            "tooltip-attention",
            &[
                ("accounts", words.joined("list-joined", wanting).into()),
                ("count", count.into()),
            ],
        ));
    }
    words.joined("tooltip-joined", parts)
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

/// The icon with a mark in its lower right corner (another account wants
/// the person): a disc of `ink` inside a ring cut out of the icon, so it
/// reads on any ground.
fn marked(icon: &Rgba, ink: [u8; 4]) -> Rgba {
    let size = icon.width.min(icon.height) as f32;
    let radius = size * 0.2;
    let ring = radius + size * 0.06;
    let centre = (icon.width as f32 - ring, icon.height as f32 - ring);
    let mut pixels = icon.pixels.clone();
    for (index, pixel) in pixels.chunks_exact_mut(4).enumerate() {
        let x = (index as u32 % icon.width) as f32 + 0.5;
        let y = (index as u32 / icon.width) as f32 + 0.5;
        let distance = ((x - centre.0).powi(2) + (y - centre.1).powi(2)).sqrt();
        if distance <= radius {
            pixel.copy_from_slice(&ink);
        } else if distance <= ring {
            pixel.copy_from_slice(&[0, 0, 0, 0]);
        }
    }
    Rgba {
        width: icon.width,
        height: icon.height,
        pixels,
    }
}

/// The mark's colour on a coloured icon: the error disc's red.
const MARK: [u8; 4] = [0xd9, 0x30, 0x25, 0xff];

static COLOURED: LazyLock<[Rgba; 4]> = LazyLock::new(|| {
    [
        decode(include_bytes!("../../../icons/tray-signed-out.png")),
        decode(include_bytes!("../../../icons/tray-signing-in.png")),
        decode(include_bytes!("../../../icons/tray-signed-in.png")),
        decode(include_bytes!("../../../icons/tray-error.png")),
    ]
});

static COLOURED_MARKED: LazyLock<Vec<Rgba>> =
    LazyLock::new(|| COLOURED.iter().map(|icon| marked(icon, MARK)).collect());

/// The state's icon in colour (Linux, Windows): the disc's colour tells
/// the state; `mark`: another account wants the person.
pub fn coloured(phase: Phase, mark: bool) -> &'static Rgba {
    match mark {
        false => &COLOURED[index(phase)],
        true => &COLOURED_MARKED[index(phase)],
    }
}

static TEMPLATES: LazyLock<[Rgba; 4]> = LazyLock::new(|| {
    [
        decode(include_bytes!(
            "../../../icons/tray-template-signed-out.png"
        )),
        decode(include_bytes!(
            "../../../icons/tray-template-signing-in.png"
        )),
        decode(include_bytes!("../../../icons/tray-template-signed-in.png")),
        decode(include_bytes!("../../../icons/tray-template-error.png")),
    ]
});

static TEMPLATES_MARKED: LazyLock<Vec<Rgba>> = LazyLock::new(|| {
    TEMPLATES
        .iter()
        .map(|icon| marked(icon, [0, 0, 0, 0xff]))
        .collect()
});

/// The state's icon as a template (macOS): black on transparent, which
/// the menu bar tints for light and dark mode, so the shape tells the
/// state; `mark`: another account wants the person.
pub fn template(phase: Phase, mark: bool) -> &'static Rgba {
    match mark {
        false => &TEMPLATES[index(phase)],
        true => &TEMPLATES_MARKED[index(phase)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pkce_tray_engine::message::Message;

    fn en() -> Translation {
        Translation::of("en")
    }
    use pkce_tray_engine::events::User;

    /// One account, the default, in this state.
    fn view(status: &Status, start_at_login: bool) -> View {
        accounts(&[("default", status.clone())], start_at_login)
    }

    /// These accounts, the first the default.
    fn accounts(accounts: &[(&str, Status)], start_at_login: bool) -> View {
        View {
            overview: Overview {
                accounts: accounts
                    .iter()
                    .enumerate()
                    .map(|(index, (name, status))| AccountView {
                        name: (*name).to_owned(),
                        default: index == 0,
                        status: status.clone(),
                        redirect_uris: Vec::new(),
                    })
                    .collect(),
            },
            start_at_login,
            notifications: !start_at_login,
        }
    }

    fn enabled(model: &[Entry]) -> Vec<&str> {
        model
            .iter()
            .filter(|e| e.enabled)
            .map(|e| e.id.as_str())
            .collect()
    }

    fn ada() -> Status {
        Status {
            phase: Phase::SignedIn,
            user: Some(User {
                sub: "ada".into(),
                name: Some("Ada Lovelace".into()),
                email: None,
                picture: None,
            }),
            ..Status::signed_out(None)
        }
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
            for icon in [
                coloured(phase, false),
                template(phase, false),
                coloured(phase, true),
                template(phase, true),
            ] {
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
                let icon = template(phase, false);
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
                let view = accounts(
                    &[("work", status.clone()), ("home", status.clone())],
                    start_at_login,
                );
                for entry in menu_model(&view, &en()).iter().filter(|e| e.enabled) {
                    assert!(entry.action.is_some(), "{}", entry.id);
                }
            }
        }
    }

    #[test]
    fn the_menu_follows_the_state() {
        let mut status = Status::signed_out(None);
        let model = menu_model(&view(&status, false), &en());
        assert_eq!(model[0].text, "Not signed in");
        assert_eq!(
            enabled(&model),
            [SIGN_IN, NOTIFICATIONS, START_AT_LOGIN, OPEN, QUIT]
        );

        status.phase = Phase::SigningIn;
        assert_eq!(
            enabled(&menu_model(&view(&status, false), &en())),
            [CANCEL, NOTIFICATIONS, START_AT_LOGIN, OPEN, QUIT]
        );

        status.phase = Phase::SignedIn;
        status.user = Some(User {
            sub: "ada".into(),
            name: Some("Ada Lovelace".into()),
            email: None,
            picture: None,
        });
        let model = menu_model(&view(&status, false), &en());
        assert_eq!(model[0].text, "Signed in as Ada Lovelace");
        assert_eq!(
            enabled(&model),
            [SIGN_OUT, NOTIFICATIONS, START_AT_LOGIN, OPEN, QUIT]
        );
        assert_eq!(
            tooltip(&view(&status, false), &en()),
            "pkce-tray: Signed in as Ada Lovelace"
        );

        status.phase = Phase::Error;
        assert_eq!(
            enabled(&menu_model(&view(&status, false), &en())),
            [SIGN_IN, NOTIFICATIONS, START_AT_LOGIN, OPEN, QUIT]
        );

        status.keychain_warning = Some(Message::new("error-keychain-damaged"));
        let model = menu_model(&view(&status, false), &en());
        assert_eq!(model[1].id, KEYCHAIN);
        assert!(!model[1].enabled);
    }

    #[test]
    fn an_unconfirmed_sign_out_offers_the_providers_own() {
        let status = Status {
            provider_sign_out: Some("https://login.example/logout".into()),
            ..Status::signed_out(Some(Message::new("signed-out")))
        };
        let model = menu_model(&view(&status, false), &en());
        assert_eq!(
            enabled(&model),
            [
                PROVIDER_SIGN_OUT,
                SIGN_IN,
                NOTIFICATIONS,
                START_AT_LOGIN,
                OPEN,
                QUIT
            ]
        );
        assert_eq!(model[1].action, Some(Action::SignOutAtProvider(None)));
        assert!(tooltip(&view(&status, false), &en())
            .ends_with("the provider may still hold the session"));
    }

    #[test]
    fn start_at_login_is_a_check_item_that_asks_for_its_other_state() {
        let status = Status::signed_out(None);
        for on in [false, true] {
            let model = menu_model(&view(&status, on), &en());
            let item = model.iter().find(|e| e.id == START_AT_LOGIN).unwrap();
            assert_eq!(item.checked, Some(on));
            assert_eq!(item.action, Some(Action::SetStartAtLogin(!on)));
            let item = model.iter().find(|e| e.id == NOTIFICATIONS).unwrap();
            assert_eq!(item.checked, Some(!on));
            assert_eq!(item.action, Some(Action::SetNotifications(on)));
        }
        let plain = menu_model(
            &accounts(&[("a", ada()), ("b", status.clone())], false),
            &en(),
        );
        assert!(plain
            .iter()
            .filter(|e| e.id != START_AT_LOGIN && e.id != NOTIFICATIONS)
            .all(|e| e.checked.is_none()));
    }

    #[test]
    fn other_accounts_follow_with_their_state_and_what_to_do() {
        let ended = Status {
            ended: true,
            ..Status::signed_out(Some(Message::new("session-refused")))
        };
        let view = accounts(&[("work", ada()), ("home", ended), ("play", ada())], false);
        let model = menu_model(&view, &en());
        let texts: Vec<&str> = model.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "work: Signed in as Ada Lovelace",
                "Sign in…",
                "Cancel sign-in",
                "Sign out",
                "home: session ended",
                "Sign in to home…",
                "Use home as default",
                "play: signed in as Ada Lovelace",
                "Sign out of play",
                "Use play as default",
                "Notifications",
                "Start at login",
                "Open pkce-tray",
                "Quit",
            ]
        );
        let find = |text: &str| model.iter().find(|e| e.text == text).unwrap();
        assert_eq!(
            find("Sign in to home…").action.clone(),
            Some(Action::SignIn(Some("home".into())))
        );
        assert_eq!(
            find("Use play as default").action.clone(),
            Some(Action::UseAsDefault("play".into()))
        );
        assert_eq!(find("Sign out").action, Some(Action::SignOut(None)));
        assert!(find("home: session ended").starts_group);
        assert!(!find("Sign in to home…").starts_group);
        assert!(view.marked(), "home wants the person");
        assert!(tooltip(&view, &en()).ends_with("; home needs attention"));
        let calm = accounts(&[("work", ada()), ("play", ada())], false);
        assert!(!calm.marked());
        assert_ne!(
            coloured(Phase::SignedIn, true).pixels,
            coloured(Phase::SignedIn, false).pixels
        );
    }

    #[test]
    fn the_menu_and_tooltip_speak_the_persons_language() {
        let ended = Status {
            ended: true,
            ..Status::signed_out(None)
        };
        let view = accounts(&[("work", ada()), ("home", ended)], false);
        let texts = |words: &Translation| -> Vec<String> {
            menu_model(&view, words)
                .into_iter()
                .map(|e| e.text)
                .collect()
        };
        let french = texts(&Translation::of("fr"));
        assert_eq!(french[0], "work\u{a0}: Connecté en tant que Ada Lovelace");
        assert!(french.contains(&"home\u{a0}: session terminée".to_owned()));
        assert!(french.contains(&"Quitter".to_owned()));
        assert_eq!(
            tooltip(&view, &Translation::of("fr")),
            "pkce-tray\u{a0}: Connecté en tant que Ada Lovelace\u{202f}; home demande votre attention"
        );
        let japanese = texts(&Translation::of("ja"));
        assert!(japanese.contains(&"終了".to_owned()));
        // The ids, and so what a click does, are the same in every language.
        let ids = |words: &Translation| -> Vec<String> {
            menu_model(&view, words).into_iter().map(|e| e.id).collect()
        };
        assert_eq!(ids(&Translation::of("ja")), ids(&en()));
    }
}
