//! The tray icon and its menu, a StatusNotifierItem on the session bus
//! (ksni, pure Rust): the tray process links no GUI toolkit at all. Linux
//! tray hosts rarely pass clicks on the icon itself, so every action is in
//! the menu.

use ksni::menu::{CheckmarkItem, MenuItem, StandardItem};
use ksni::{Icon, ToolTip, TrayMethods};

use crate::desktop::menu::{self, View};
use crate::desktop::{queue, Action, Actions};

/// The tray icon, for as long as the app runs.
pub struct Tray(ksni::Handle<Sni>);

impl Tray {
    /// Puts the icon on the session bus. It stays up without a tray host
    /// and shows when one appears.
    pub async fn spawn(view: View, actions: Actions) -> Result<Self, String> {
        let handle = Sni { view, actions }
            .assume_sni_available(true)
            .spawn()
            .await
            .map_err(|error| error.to_string())?;
        tracing::info!("tray ready");
        Ok(Self(handle))
    }

    /// Shows a new state.
    pub async fn show(&self, view: View) {
        self.0.update(move |tray| tray.view = view).await;
    }

    pub async fn shutdown(self) {
        self.0.shutdown().await;
    }
}

/// A tray icon as the StatusNotifierItem spec wants it: ARGB32, network
/// byte order.
fn icon(view: &View) -> Icon {
    let rgba = menu::coloured(view.status().phase, view.marked());
    let mut data = rgba.pixels.clone();
    for pixel in data.chunks_exact_mut(4) {
        pixel.rotate_right(1);
    }
    Icon {
        width: rgba.width as i32,
        height: rgba.height as i32,
        data,
    }
}

/// The tray as the tray host sees it: drawn from the engine's state, and
/// every click handed to the app as an [`Action`].
struct Sni {
    view: View,
    actions: Actions,
}

impl ksni::Tray for Sni {
    fn id(&self) -> String {
        "pkce-tray".into()
    }

    fn title(&self) -> String {
        "pkce-tray".into()
    }

    fn icon_pixmap(&self) -> Vec<Icon> {
        vec![icon(&self.view)]
    }

    fn tool_tip(&self) -> ToolTip {
        ToolTip {
            title: menu::tooltip(&self.view, pkce_tray_i18n::words()),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        queue(&self.actions, Action::OpenWindow);
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let mut items = Vec::new();
        for entry in menu::menu_model(&self.view, pkce_tray_i18n::words()) {
            if entry.starts_group {
                items.push(MenuItem::Separator);
            }
            let (label, enabled, checked) = (entry.text.clone(), entry.enabled, entry.checked);
            let activate: Box<dyn Fn(&mut Self) + Send> = Box::new(move |tray: &mut Self| {
                if let Some(action) = entry.action.clone() {
                    queue(&tray.actions, action);
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

#[cfg(test)]
mod tests {
    use super::*;
    use pkce_tray_engine::events::Phase;

    #[test]
    fn icons_are_argb_pixmaps() {
        let view = View {
            overview: Default::default(),
            start_at_login: false,
            notifications: true,
        };
        let icon = icon(&view);
        assert_eq!(icon.width * icon.height * 4, icon.data.len() as i32);
        // The first byte of a corner pixel is its alpha: zero.
        assert_eq!(icon.data[0], 0);
        assert_eq!(menu::coloured(Phase::SignedOut, false).pixels[3], 0);
    }
}
