//! The floor the benchmarks compare pkce-tray with: a bare Tauri 2 tray
//! app (a tray icon and a one-item menu; with `--show`, one window showing
//! the same page), built with the same Tauri and the same profile.

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{RunEvent, WebviewUrl, WebviewWindowBuilder};

fn main() {
    let show = std::env::args().any(|arg| arg == "--show");
    tauri::Builder::default()
        .setup(move |app| {
            let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
            TrayIconBuilder::new()
                .icon(app.default_window_icon().cloned().expect("an app icon"))
                .menu(&Menu::with_items(app, &[&quit])?)
                .on_menu_event(|app, _| app.exit(0))
                .build(app)?;
            eprintln!("tray ready");
            if show {
                WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                    .build()?;
            }
            Ok(())
        })
        .build(tauri::generate_context!("../../tauri.conf.json"))
        .expect("the bare app builds")
        .run(|_, event| {
            if let RunEvent::ExitRequested {
                code: None, api, ..
            } = event
            {
                api.prevent_exit();
            }
        });
}
