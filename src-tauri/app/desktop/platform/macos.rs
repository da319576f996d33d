//! macOS: a menu bar extra with no Dock icon (the accessory activation
//! policy; the bundle's `LSUIElement` says the same before launch), in
//! template icons that the menu bar tints for light and dark mode. Links
//! arrive as Apple Events, the scheme declared in the bundle's
//! `Info.plist` (`CFBundleURLTypes`).

use tao::event_loop::EventLoop;
use tao::platform::macos::{ActivationPolicy, EventLoopExtMacOS};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder, TrayIconEvent};

use super::menu_bar::ToLoop;
pub use super::menu_bar::{run, Desktop, Tray};
use crate::desktop::menu::{self, Rgba};
use crate::desktop::Action;
use pkce_tray_engine::events::Phase;

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

/// Notifications through the user notification centre. Its **Sign in**
/// needs a delegate object, which this app does not have yet: a notice
/// says what happened, and the menu bar icon is where to sign in.
pub struct Notifier {
    asked: std::sync::Once,
}

impl Notifier {
    pub fn new(_actions: crate::desktop::Actions) -> Self {
        Self {
            asked: std::sync::Once::new(),
        }
    }

    /// Shows a notice; outside an app bundle (which the centre requires)
    /// it is logged instead.
    pub async fn show(&self, notice: &crate::desktop::notices::Notice) {
        use objc2_foundation::{NSBundle, NSString};
        use objc2_user_notifications::{
            UNAuthorizationOptions, UNMutableNotificationContent, UNNotificationRequest,
            UNUserNotificationCenter,
        };
        if NSBundle::mainBundle().bundleIdentifier().is_none() {
            tracing::info!("not an app bundle, so no notification: {}", notice.summary);
            return;
        }
        let center = UNUserNotificationCenter::currentNotificationCenter();
        self.asked.call_once(|| {
            let answered = block2::RcBlock::new(|granted: objc2::runtime::Bool, _error| {
                if !granted.as_bool() {
                    tracing::warn!("notifications are not allowed for pkce-tray");
                }
            });
            center.requestAuthorizationWithOptions_completionHandler(
                UNAuthorizationOptions::Alert | UNAuthorizationOptions::Sound,
                &answered,
            );
        });
        let content = UNMutableNotificationContent::new();
        content.setTitle(&NSString::from_str(&notice.summary));
        content.setBody(&NSString::from_str(&notice.body));
        let request = UNNotificationRequest::requestWithIdentifier_content_trigger(
            &NSString::from_str(&format!("{}:{}", notice.account, notice.summary)),
            &content,
            None,
        );
        center.addNotificationRequest_withCompletionHandler(&request, None);
    }
}
