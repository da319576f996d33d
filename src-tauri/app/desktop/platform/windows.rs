//! Windows: a notification-area icon (left click opens the window, right
//! click the menu), the scheme under `HKCU\Software\Classes`, and a GUI
//! program (no console window) that borrows its parent's console for a
//! terminal command.

use tao::event_loop::EventLoop;
use tray_icon::{Icon, MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};

use super::menu_bar::ToLoop;
pub use super::menu_bar::{run, Desktop, Tray};
use crate::desktop::menu::{self, Rgba};
use crate::desktop::Action;
use pkce_tray_engine::config::DEEP_LINK_SCHEME;
use pkce_tray_engine::events::Phase;

/// Nothing to check before the instance is claimed: a logged-in user has a
/// desktop.
pub fn prepare() -> Result<(), String> {
    Ok(())
}

pub(super) fn prepare_loop(_event_loop: &mut EventLoop<ToLoop>) {}

pub(super) fn icon(phase: Phase, mark: bool) -> &'static Rgba {
    menu::coloured(phase, mark)
}

pub(super) fn tray_builder(builder: TrayIconBuilder) -> TrayIconBuilder {
    builder
        .with_menu_on_left_click(false)
        .with_menu_on_right_click(true)
}

pub(super) fn set_icon(tray: &TrayIcon, icon: Icon) -> tray_icon::Result<()> {
    tray.set_icon(Some(icon))
}

/// A left click opens the window; the right one opens the menu.
pub(super) fn clicked(event: &TrayIconEvent) -> Option<Action> {
    matches!(
        event,
        TrayIconEvent::Click {
            button: MouseButton::Left,
            button_state: MouseButtonState::Up,
            ..
        }
    )
    .then_some(Action::OpenWindow)
}

/// What opens our links: this program, with the link as its argument.
fn open_command(exe: &std::path::Path) -> String {
    format!("\"{}\" \"%1\"", exe.display())
}

/// Makes Windows start this program with our links (the installer writes
/// the same): `HKCU\Software\Classes\<scheme>`, per user, no rights needed.
pub async fn register_scheme() {
    let outcome = tokio::task::spawn_blocking(|| -> Result<bool, String> {
        let exe = std::env::current_exe().map_err(|error| error.to_string())?;
        write_scheme(&exe).map_err(|error| error.to_string())
    })
    .await
    .map_err(|error| error.to_string())
    .and_then(|written| written);
    match outcome {
        Ok(true) => tracing::info!("registered the {DEEP_LINK_SCHEME}: scheme with Windows"),
        Ok(false) => tracing::debug!("the {DEEP_LINK_SCHEME}: scheme is registered"),
        Err(error) => tracing::warn!("the {DEEP_LINK_SCHEME}: scheme is not registered: {error}"),
    }
}

/// Writes the scheme's keys unless they already name this program.
fn write_scheme(exe: &std::path::Path) -> windows_registry::Result<bool> {
    let key =
        windows_registry::CURRENT_USER.create(format!("Software\\Classes\\{DEEP_LINK_SCHEME}"))?;
    let command = open_command(exe);
    let open = key.create("shell\\open\\command")?;
    if open.get_string("").is_ok_and(|current| current == command) {
        return Ok(false);
    }
    key.set_string("", "URL:pkce-tray sign-in")?;
    key.set_string("URL Protocol", "")?;
    key.create("DefaultIcon")?
        .set_string("", format!("\"{}\",0", exe.display()))?;
    open.set_string("", command)?;
    Ok(true)
}

/// A terminal command of this GUI program writes to the console it was
/// started from, if any; with its output redirected it already has
/// handles, and keeps them.
#[allow(unsafe_code)]
pub fn attach_console() {
    use windows_sys::Win32::System::Console::{
        AttachConsole, GetStdHandle, ATTACH_PARENT_PROCESS, STD_OUTPUT_HANDLE,
    };
    // SAFETY: plain calls with constant arguments; a null or failed handle
    // only means there is nothing to keep.
    unsafe {
        if GetStdHandle(STD_OUTPUT_HANDLE).is_null() {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}

/// Notifications as toasts, under the app's identifier, which the
/// installer's Start menu shortcut registers; **Sign in** is a button.
pub struct Notifier {
    actions: crate::desktop::Actions,
}

impl Notifier {
    pub fn new(actions: crate::desktop::Actions) -> Self {
        Self { actions }
    }

    /// Shows a notice; a failure is logged and nothing else.
    pub async fn show(&self, notice: &crate::desktop::notices::Notice) {
        use tauri_winrt_notification::Toast;
        let mut toast = Toast::new(DEEP_LINK_SCHEME)
            .title(&notice.summary)
            .text1(&notice.body);
        if notice.sign_in {
            let (actions, account) = (self.actions.clone(), notice.account.clone());
            toast = toast
                .add_button(&pkce_tray_i18n::words().get("notice-sign-in"), "sign-in")
                .on_activated(move |_| {
                    crate::desktop::queue(&actions, Action::SignIn(Some(account.clone())));
                    Ok(())
                });
        }
        if let Err(error) = toast.show() {
            tracing::warn!("the notification was not shown: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_opens_this_program_with_the_link_quoted() {
        let exe = std::path::Path::new(r"C:\Program Files\pkce-tray\pkce-tray.exe");
        assert_eq!(
            open_command(exe),
            r#""C:\Program Files\pkce-tray\pkce-tray.exe" "%1""#
        );
    }

    /// In Wine's registry when run there: written once, then found.
    #[test]
    fn the_scheme_is_written_once_under_the_current_user() {
        let exe = std::env::current_exe().unwrap();
        write_scheme(&exe).unwrap();
        assert!(!write_scheme(&exe).unwrap(), "a second write finds it done");
        let key = windows_registry::CURRENT_USER
            .open(format!(
                "Software\\Classes\\{DEEP_LINK_SCHEME}\\shell\\open\\command"
            ))
            .unwrap();
        assert_eq!(key.get_string("").unwrap(), open_command(&exe));
    }
}
