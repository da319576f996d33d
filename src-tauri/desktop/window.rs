//! The login window: made when needed, destroyed when closed, so an idle
//! app runs no WebKit process.

use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

pub const LABEL: &str = "main";

/// Shows the window, creating it if it is not there.
pub fn open(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let built = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("index.html".into()))
        .title("pkce-tray")
        .inner_size(400.0, 540.0)
        .min_inner_size(340.0, 440.0)
        .center()
        .focused(true)
        .on_page_load(|_, page| {
            if page.event() == PageLoadEvent::Finished {
                tracing::info!("window loaded");
            }
        })
        .build();
    if let Err(error) = built {
        tracing::error!("the window could not be opened: {error}");
    }
}
