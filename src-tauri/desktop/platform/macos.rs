//! macOS: a menu bar extra with no Dock icon (the accessory activation
//! policy; the bundle's `LSUIElement` says the same before launch), in
//! template icons that the menu bar tints for light and dark mode. Links
//! arrive as Apple Events, the scheme declared in the bundle's
//! `Info.plist` (`CFBundleURLTypes`).

use tao::event_loop::EventLoop;
use tao::platform::macos::{ActivationPolicy, EventLoopExtMacOS};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder, TrayIconEvent};

use super::menu_bar::ToLoop;
pub use super::menu_bar::{run, Desktop};
use crate::desktop::menu::{self, Rgba};
use crate::desktop::Action;
use crate::engine::events::Phase;

/// A terminal command has its terminal already.
pub fn attach_console() {}

/// Nothing to check before the instance is claimed: the window server is
/// there for any logged-in user.
pub fn prepare() -> Result<(), String> {
    Ok(())
}

pub(super) fn prepare_loop(event_loop: &mut EventLoop<ToLoop>) {
    event_loop.set_activation_policy(ActivationPolicy::Accessory);
}

pub(super) fn icon(phase: Phase, mark: bool) -> &'static Rgba {
    menu::template(phase, mark)
}

/// A click on the icon opens the menu, as for every menu bar extra.
pub(super) fn tray_builder(builder: TrayIconBuilder) -> TrayIconBuilder {
    builder.with_icon_as_template(true)
}

pub(super) fn set_icon(tray: &TrayIcon, icon: Icon) -> tray_icon::Result<()> {
    tray.set_icon_with_as_template(Some(icon), true)
}

pub(super) fn clicked(_event: &TrayIconEvent) -> Option<Action> {
    None
}

/// LaunchServices learns the scheme from the bundle's `Info.plist` when the
/// app is installed: nothing to write at run time.
pub async fn register_scheme() {
    tracing::debug!("the scheme is the app bundle's (Info.plist)");
}
