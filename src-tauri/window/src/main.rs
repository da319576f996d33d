//! `pkce-tray-window`: the login window, in a process of its own so that
//! only this binary links WebKitGTK. The tray process starts it with a pipe
//! on stdin and stdout (`pkce-tray-window-protocol`); it holds no engine
//! and no secret, shows what it is told, hands every click back, and ends
//! when its window closes or the pipe does.
//!
//! The only crate that depends on Tauri. It may import the engine's state
//! types, the words and the protocol, never the tray app (`pkce-tray`) or
//! the API.

// Windows: no console window beside the login window.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use pkce_tray_engine::lock;
use pkce_tray_window_protocol::{
    decode, encode, window_command, FromWindow, Lines, ToWindow, TO_WINDOW_LINE,
};
use serde::Serialize;
use serde_json::{json, Value};
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Emitter, Manager, State, WebviewUrl, WebviewWindowBuilder};

const LABEL: &str = "main";

/// What the window was last told, for a page that (re)loads.
#[derive(Default, Clone, Serialize)]
struct Shown {
    api_url: String,
    /// The default account's state.
    status: Option<Value>,
    /// Every account's, for the list.
    accounts: Option<Value>,
    /// Each signed-in account's picture, by account name.
    avatars: HashMap<String, String>,
    preferences: Option<Value>,
}

struct Link {
    shown: Mutex<Shown>,
}

/// Hands a click to the tray process.
fn send(click: FromWindow) {
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(encode(&click).as_bytes())
        .and_then(|()| out.flush());
}

/// Everything the page shows, for a page that (re)loads.
#[tauri::command]
fn state(link: State<'_, Link>) -> Shown {
    lock(&link.shown).clone()
}

/// A click, as the page names it; serde refuses anything else.
#[tauri::command]
fn act(click: FromWindow) {
    send(click);
}

/// The window's opening size, and the least it may be.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 540.0;
const MIN_HEIGHT: f64 = 440.0;
/// What the window's frame and title bar take of the work area's height,
/// roughly: the content is sized to fit beside them.
const FRAME: f64 = 48.0;

/// Sizes the window to the page's content, `height` CSS pixels (every
/// account in view, the person's own with five on a 1366×768 screen),
/// within the work area of its screen: past that the page scrolls.
/// Centred again the first time, when it opens; the person may still move
/// and resize it.
#[tauri::command]
fn fit(window: tauri::WebviewWindow, height: f64) {
    static OPENED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
    let Ok(Some(monitor)) = window.current_monitor() else {
        tracing::debug!("no monitor to fit the window to");
        return;
    };
    let scale = monitor.scale_factor();
    let room = f64::from(monitor.work_area().size.height) / scale - FRAME;
    tracing::debug!("fitting the window to {height} px of content, {room} px of room");
    let height = height.clamp(MIN_HEIGHT, room.max(MIN_HEIGHT));
    let width = window
        .inner_size()
        .map(|size| f64::from(size.width) / scale)
        .unwrap_or(WIDTH);
    let sized = window.set_size(tauri::LogicalSize::new(width, height));
    if sized.is_ok() && OPENED.swap(false, std::sync::atomic::Ordering::Relaxed) {
        let _ = window.center();
    }
}

fn show(app: &AppHandle) {
    // macOS: the bundle is a menu bar app (LSUIElement), which the window
    // process shares; a window of its own is a regular app's, in the Dock
    // and brought to the front.
    #[cfg(target_os = "macos")]
    {
        let _ = app.set_activation_policy(tauri::ActivationPolicy::Regular);
        let _ = app.show();
    }
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Takes the tray process's messages until it closes the pipe. A line
/// that is not a message is skipped with a log line.
fn listen(app: AppHandle) {
    let mut lines = Lines::new(TO_WINDOW_LINE);
    let mut buffer = vec![0; 64 * 1024];
    let mut stdin = std::io::stdin().lock();
    while let Ok(read @ 1..) = stdin.read(&mut buffer) {
        lines.push(&buffer[..read], |line| match decode::<ToWindow>(line) {
            Ok(message) => show_message(&app, message),
            Err(why) => tracing::warn!("skipped a line from the tray process: {why}"),
        });
    }
    app.exit(0);
}

fn show_message(app: &AppHandle, message: ToWindow) {
    let link = app.state::<Link>();
    match message {
        ToWindow::Status { view } => {
            lock(&link.shown).status = Some(view.clone());
            let _ = app.emit("status", view);
        }
        ToWindow::Accounts { accounts } => {
            lock(&link.shown).accounts = Some(accounts.clone());
            let _ = app.emit("accounts", accounts);
        }
        ToWindow::Avatar { account, data_url } => {
            let mut shown = lock(&link.shown);
            match &data_url {
                Some(data_url) => shown.avatars.insert(account.clone(), data_url.clone()),
                None => shown.avatars.remove(&account),
            };
            let _ = app.emit(
                "avatar",
                json!({ "account": account, "data_url": data_url }),
            );
        }
        ToWindow::AddAccount { added, message } => {
            let _ = app.emit("add_account", json!({ "added": added, "message": message }));
        }
        ToWindow::Failure { message } => {
            let _ = app.emit("failure", message);
        }
        ToWindow::Preferences {
            start_at_login,
            offer,
            notifications,
        } => {
            let preferences = json!({
                "start_at_login": start_at_login,
                "offer": offer,
                "notifications": notifications,
            });
            lock(&link.shown).preferences = Some(preferences.clone());
            let _ = app.emit("preferences", preferences);
        }
        ToWindow::Show => show(app),
    }
}

/// The page's words in the person's language, by id (each `{account}`,
/// `{time}`, `{state}` and `{why}` left for the page to fill in), and the
/// language, for its `lang` and its times: set before the page's script
/// runs, so it never shows a word before it has them all.
fn page_words() -> String {
    let words = pkce_tray_i18n::words();
    let page: HashMap<String, String> = words
        .templates("window-", &["account", "time", "state", "why"])
        .into_iter()
        .collect();
    let l10n = json!({ "language": words.language(), "words": page });
    format!("window.pkceTrayWords = {l10n};")
}

fn main() -> ExitCode {
    pkce_tray_engine::logging::init_logging(
        pkce_tray_engine::logging::APP_LOG,
        pkce_tray_engine::logging::log_file(),
    );
    let url: String = window_command()
        .get_matches()
        .remove_one("api-url")
        .expect("a required argument");
    let words = page_words();
    let result = tauri::Builder::default()
        .manage(Link {
            shown: Mutex::new(Shown {
                api_url: url,
                ..Shown::default()
            }),
        })
        .invoke_handler(tauri::generate_handler![state, act, fit])
        .setup(move |app| {
            WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("index.html".into()))
                .title("pkce-tray")
                .inner_size(WIDTH, HEIGHT)
                .min_inner_size(340.0, MIN_HEIGHT)
                .center()
                .focused(true)
                .initialization_script(&words)
                .on_page_load(|_, page| {
                    if page.event() == PageLoadEvent::Finished {
                        tracing::info!("window loaded");
                    }
                })
                .build()?;
            let handle = app.handle().clone();
            show(&handle);
            std::thread::spawn(move || listen(handle));
            Ok(())
        })
        .build(tauri::generate_context!("../../tauri.conf.json"));
    match result {
        // Closing the window ends the app, and with it the WebKit processes.
        Ok(app) => {
            app.run(|_, _| {});
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("pkce-tray-window: the window could not open: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    include!("commands.rs");

    #[test]
    fn the_page_is_granted_exactly_the_registered_commands() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(str::to_owned))
            .collect();
        let mut registered: Vec<String> = COMMANDS.iter().map(|c| c.replace('_', "-")).collect();
        granted.sort();
        registered.sort();
        assert_eq!(granted, registered);
    }
}
