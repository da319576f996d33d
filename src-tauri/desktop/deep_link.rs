//! `pkce-tray://` links from the OS, at start and while running, handed to
//! the engine like any other callback.

use std::sync::Arc;

use tauri::AppHandle;
use tauri_plugin_deep_link::DeepLinkExt;

use crate::engine::Engine;

fn hand_over(engine: &Arc<Engine>, link: String) {
    let engine = engine.clone();
    tauri::async_runtime::spawn(async move {
        match engine.deep_link(&link).await {
            Ok(()) => tracing::info!("a deep link answered the sign-in"),
            Err(error) => tracing::warn!("refused a deep link: {error}"),
        }
    });
}

pub fn listen(app: &AppHandle, engine: &Arc<Engine>) {
    let links = app.deep_link();
    if let Err(error) = links.register_all() {
        tracing::info!("the pkce-tray:// scheme is not registered with the desktop: {error}");
    }
    let on_open = engine.clone();
    links.on_open_url(move |event| {
        for url in event.urls() {
            hand_over(&on_open, url.into());
        }
    });
    // A link that launched the app came before the listener existed.
    if let Ok(Some(urls)) = links.get_current() {
        for url in urls {
            hand_over(engine, url.into());
        }
    }
}
