//! The desktop shell: tray, login window, commands and deep links wired to
//! the engine. Wiring only; every decision is the engine's.

mod commands;
mod deep_link;
pub mod tray;
mod window;

use std::process::ExitCode;
use std::sync::Arc;

use tauri::{Emitter, Manager, RunEvent};
use tauri_plugin_opener::OpenerExt;

use crate::api;
use crate::engine::browser::SystemBrowser;
use crate::engine::config::{Config, ConfigError, Flags, DEEP_LINK_SCHEME};
use crate::engine::vault::KeyringVault;
use crate::engine::Engine;

/// The event the window listens to for every change of state.
pub const STATUS_EVENT: &str = "status";

/// Without a display GTK would panic; say what to do instead.
fn check_display() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err("no display found (DISPLAY and WAYLAND_DISPLAY are unset); run `pkce-tray --headless` to serve the PKCE API without a tray or window".into());
    }
    Ok(())
}

/// Environment defaults for GTK and WebKit, each only where the user set
/// nothing.
fn default_webkit_environment() {
    if !cfg!(target_os = "linux") {
        return;
    }
    // GTK opens GLX at start only to choose visuals, and Mesa maps its LLVM
    // for that: ~50 MiB for a tray icon and a small page that need no GPU
    // (BENCHMARKS.md). WebKit then renders in software.
    if std::env::var_os("GDK_GL").is_none() {
        std::env::set_var("GDK_GL", "disable");
    }
    // Blank WebKitGTK windows under Wayland on some GPUs (tauri#9304). Not on
    // X11, where the DMA-BUF renderer works.
    if std::env::var_os("WAYLAND_DISPLAY").is_some()
        && std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none()
    {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// Runs the tray app until Quit. The configuration may be missing: a
/// second launch (a link from the OS, with no flags) hands its arguments to
/// the running instance and exits before it is needed.
pub fn run(flags: Flags, config: Result<Config, ConfigError>) -> ExitCode {
    if let Err(message) = check_display() {
        eprintln!("pkce-tray: {message}");
        return ExitCode::from(2);
    }
    default_webkit_environment();
    let show_at_start = flags.show;
    let hidden = flags.hidden;

    let result = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            let has_link = argv
                .iter()
                .skip(1)
                .any(|arg| arg.starts_with(&format!("{DEEP_LINK_SCHEME}:")));
            tracing::info!(
                "a second launch handed over {}",
                if has_link {
                    "a link"
                } else {
                    "a request to open the window"
                }
            );
            if !has_link {
                window::open(app);
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::sign_in,
            commands::cancel_sign_in,
            commands::sign_out,
            commands::reopen_sign_in,
            commands::api_url,
            commands::avatar,
        ])
        .setup(move |app| {
            let config = config?;
            let engine = start_engine(app.handle(), config)?;
            app.manage(engine.clone());
            tray::create(app.handle(), &engine.status())?;
            forward_status(app.handle(), &engine);
            deep_link::listen(app.handle(), &engine);
            if show_at_start || (!hidden && !engine.has_session()) {
                window::open(app.handle());
            }
            Ok(())
        })
        .build(tauri::generate_context!());

    let app = match result {
        Ok(app) => app,
        Err(error) => {
            eprintln!("pkce-tray: the desktop app could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|_app, event| {
        // Closing the last window leaves the app in the tray; Quit exits
        // with a code (tauri#11759).
        if let RunEvent::ExitRequested {
            code: None, api, ..
        } = event
        {
            api.prevent_exit();
        }
    });
    ExitCode::SUCCESS
}

/// Binds the API, builds the engine, restores the session, serves.
fn start_engine(
    app: &tauri::AppHandle,
    config: Config,
) -> Result<Arc<Engine>, Box<dyn std::error::Error>> {
    let listener = tauri::async_runtime::block_on(api::bind(&config))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
    let port = listener.local_addr()?.port();
    let opener = app.clone();
    let browser = SystemBrowser::new(move |url: &str| {
        opener
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|e| e.to_string())
    });
    let vault = Arc::new(KeyringVault::new(Engine::account(&config)));
    let engine = Engine::new(config, port, Box::new(browser), vault);
    tauri::async_runtime::block_on(engine.start());
    println!("pkce-tray: PKCE API listening on {}", engine.api_url());
    let served = engine.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = api::serve(listener, served, std::future::pending()).await {
            tracing::error!("the API stopped: {error}");
        }
    });
    Ok(engine)
}

/// Starts the engine's sign-in in the background (tray and window alike);
/// its progress and outcome arrive as status events.
fn start_sign_in(engine: &Arc<Engine>) {
    let engine = engine.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(error) = engine.sign_in().await {
            tracing::info!("sign-in ended: {error}");
        }
    });
}

/// Renders every state change in the tray and the window.
fn forward_status(app: &tauri::AppHandle, engine: &Engine) {
    let mut changes = engine.subscribe();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let status = changes.borrow_and_update().clone();
            tray::render(&app, &status);
            let _ = app.emit(STATUS_EVENT, commands::StatusView::from(status));
            if changes.changed().await.is_err() {
                break;
            }
        }
    });
}
