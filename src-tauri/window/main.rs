//! `pkce-tray-window`: the login window, in a process of its own so that
//! only this binary links WebKitGTK. The tray process starts it with a pipe
//! on stdin and stdout (`pkce_tray::desktop::protocol`); it holds no engine
//! and no secret, shows what it is told, hands every click back, and ends
//! when its window closes or the pipe does.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use pkce_tray::desktop::protocol::{encode, FromWindow, ToWindow};
use pkce_tray::engine::lock;
use serde_json::Value;
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Emitter, Manager, State, WebviewUrl, WebviewWindowBuilder};

const LABEL: &str = "main";

/// What the window was last told, for a page that (re)loads.
#[derive(Default)]
struct Shown {
    status: Option<Value>,
    avatar: Option<String>,
}

struct Link {
    api_url: String,
    shown: Mutex<Shown>,
}

/// Hands a click to the tray process.
fn send(click: FromWindow) {
    let mut out = std::io::stdout().lock();
    let _ = out
        .write_all(encode(&click).as_bytes())
        .and_then(|()| out.flush());
}

#[tauri::command]
fn status(link: State<'_, Link>) -> Option<Value> {
    lock(&link.shown).status.clone()
}

#[tauri::command]
fn api_url(link: State<'_, Link>) -> String {
    link.api_url.clone()
}

#[tauri::command]
fn avatar(link: State<'_, Link>) -> Option<String> {
    lock(&link.shown).avatar.clone()
}

#[tauri::command]
fn sign_in() {
    send(FromWindow::SignIn);
}

#[tauri::command]
fn cancel_sign_in() {
    send(FromWindow::CancelSignIn);
}

#[tauri::command]
fn reopen_sign_in() {
    send(FromWindow::ReopenSignIn);
}

#[tauri::command]
fn sign_out() {
    send(FromWindow::SignOut);
}

fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Takes the tray process's messages until it closes the pipe.
fn listen(app: AppHandle) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let Ok(message) = serde_json::from_str::<ToWindow>(&line) else {
            tracing::warn!("the window got a line that is not a message");
            continue;
        };
        let link = app.state::<Link>();
        match message {
            ToWindow::Status { view } => {
                let mut shown = lock(&link.shown);
                shown.status = Some(view.clone());
                shown.avatar = None;
                let _ = app.emit("status", view);
            }
            ToWindow::Avatar { data_url } => {
                lock(&link.shown).avatar = data_url.clone();
                let _ = app.emit("avatar", data_url);
            }
            ToWindow::Failure { message } => {
                let _ = app.emit("failure", message);
            }
            ToWindow::Show => show(&app),
        }
    }
    app.exit(0);
}

fn main() -> ExitCode {
    pkce_tray::service::init_logging();
    let mut args = std::env::args().skip(1);
    let url = match (args.next().as_deref(), args.next()) {
        (Some("--api-url"), Some(url)) => url,
        _ => {
            eprintln!("pkce-tray-window: started by pkce-tray, with --api-url URL");
            return ExitCode::from(2);
        }
    };
    let result = tauri::Builder::default()
        .manage(Link {
            api_url: url,
            shown: Mutex::default(),
        })
        .invoke_handler(tauri::generate_handler![
            status,
            sign_in,
            cancel_sign_in,
            sign_out,
            reopen_sign_in,
            api_url,
            avatar,
        ])
        .setup(|app| {
            WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("index.html".into()))
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
                .build()?;
            let handle = app.handle().clone();
            std::thread::spawn(move || listen(handle));
            Ok(())
        })
        .build(tauri::generate_context!());
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
