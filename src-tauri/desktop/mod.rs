//! The desktop app: a tray icon on the session bus and a login window in a
//! process of its own, both wired to the engine. Wiring only; every
//! decision is the engine's.

mod autostart;
mod deep_link;
pub mod tray;
mod window;

use std::process::ExitCode;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::engine::config::{Config, ConfigError, Flags};
use crate::engine::Engine;
use crate::instance::{self, serve::Instance, Held};
use crate::service;
use crate::window_protocol::FromWindow;
use window::Window;

/// Where the tray's and the window's clicks go: a bounded queue, so a
/// window process that floods it cannot grow the app without bound.
pub type Actions = mpsc::Sender<Action>;

/// Clicks waiting for the app at most.
const ACTION_QUEUE: usize = 64;

/// Queues a click; past the queue's bound it is dropped, with a log line.
pub fn ask(actions: &Actions, action: Action) {
    if let Err(mpsc::error::TrySendError::Full(action)) = actions.try_send(action) {
        tracing::warn!("too many clicks waiting; dropped {action:?}");
    }
}

/// What a person can ask for, from the tray menu or the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    SignIn,
    CancelSignIn,
    ReopenSignIn,
    SignOut,
    SetStartAtLogin(bool),
    OpenWindow,
    Quit,
}

impl From<FromWindow> for Action {
    fn from(click: FromWindow) -> Self {
        match click {
            FromWindow::SignIn => Action::SignIn,
            FromWindow::CancelSignIn => Action::CancelSignIn,
            FromWindow::ReopenSignIn => Action::ReopenSignIn,
            FromWindow::SignOut => Action::SignOut,
            FromWindow::SetStartAtLogin { on } => Action::SetStartAtLogin(on),
        }
    }
}

/// Without a display the window cannot open; say what to do instead.
fn check_display() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err("no display found (DISPLAY and WAYLAND_DISPLAY are unset); run `pkce-tray --headless` to serve the PKCE API without a tray or window".into());
    }
    Ok(())
}

/// Environment defaults for the window's GTK and WebKit, each only where
/// the user set nothing. Set before any thread starts; the window process
/// inherits them.
fn default_webkit_environment() {
    // GTK opens GLX at start only to choose visuals, and Mesa maps its LLVM
    // for that: ~50 MiB for a small page that needs no GPU (BENCHMARKS.md).
    // WebKit then renders in software.
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

/// Runs the tray app until Quit, Ctrl-C or SIGTERM. The configuration may
/// be missing: a later launch (a link from the OS, with no flags) hands its
/// arguments to the running instance and exits before it is needed.
pub fn run(flags: Flags, config: Result<Config, ConfigError>) -> ExitCode {
    if let Err(message) = check_display() {
        eprintln!("pkce-tray: {message}");
        return ExitCode::from(2);
    }
    default_webkit_environment();
    // Before anything starts: a later launch hands over and ends here, and
    // no second engine ever runs beside the instance.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let held = match instance::launch(&args) {
        Ok(None) => return ExitCode::SUCCESS,
        Ok(Some(held)) => held,
        Err(error) => {
            eprintln!("pkce-tray: the running pkce-tray could not be reached, nor its place taken: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = service::runtime();
    runtime.block_on(run_app(flags, config, held))
}

async fn run_app(flags: Flags, config: Result<Config, ConfigError>, held: Held) -> ExitCode {
    let config = match config {
        Ok(config) => config,
        Err(error) => {
            eprintln!("pkce-tray: {error}");
            return ExitCode::from(2);
        }
    };
    let service = match service::start(config).await {
        Ok(service) => service,
        Err(error) => {
            eprintln!("pkce-tray: {error}");
            return ExitCode::FAILURE;
        }
    };
    service.announce();
    let engine = service.engine.clone();
    tokio::spawn(async move {
        if let Err(error) = service.serve(std::future::pending()).await {
            tracing::error!("the API stopped: {error}");
        }
    });

    let (actions, mut requests) = mpsc::channel(ACTION_QUEUE);
    let window = Window::new(engine.clone(), actions.clone());
    {
        let (linked, actions) = (engine.clone(), actions.clone());
        let on_launch = move |args: Vec<String>| {
            let links: Vec<String> = args.into_iter().filter(|a| deep_link::is_link(a)).collect();
            tracing::info!(
                "a second launch handed over {}",
                if links.is_empty() {
                    "a request to open the window"
                } else {
                    "a link"
                }
            );
            if links.is_empty() {
                ask(&actions, Action::OpenWindow);
            }
            for link in links {
                deep_link::hand_over(&linked, link);
            }
            true
        };
        let handlers = Instance {
            engine: engine.clone(),
            on_launch: Box::new(on_launch),
        };
        tokio::spawn(held.serve(handlers));
    }
    tokio::spawn(deep_link::register_scheme());
    // A link that launched the app.
    if let Some(link) = flags.deep_link.filter(|link| deep_link::is_link(link)) {
        deep_link::hand_over(&engine, link);
    }

    let tray = match tray::spawn(engine.status(), autostart::is_on(), actions.clone()).await {
        Ok(tray) => Some(tray),
        Err(error) => {
            tracing::warn!("no tray icon: {error}; the window is the way in");
            None
        }
    };
    if let Some(tray) = tray.clone() {
        let mut changes = engine.subscribe();
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                let status = changes.borrow_and_update().clone();
                tray.update(move |tray| tray.status = status).await;
            }
        });
    }
    if flags.show || (!flags.hidden && !engine.has_session()) {
        window.open();
    }

    let session_ended = session_ended();
    tokio::pin!(session_ended);
    loop {
        let action = tokio::select! {
            action = requests.recv() => action.unwrap_or(Action::Quit),
            () = service::shutdown_requested() => Action::Quit,
            () = &mut session_ended => {
                tracing::info!("the desktop session ended");
                Action::Quit
            }
        };
        match action {
            Action::Quit => break,
            Action::SetStartAtLogin(on) => {
                if let Err(error) = autostart::set(on) {
                    tracing::warn!("start at login: {error}");
                    window.report(format!("Start at login could not be changed: {error}."));
                }
                let on = autostart::is_on();
                window.show_start_at_login(on);
                if let Some(tray) = &tray {
                    tray.update(move |tray| tray.start_at_login = on).await;
                }
            }
            action => act(&engine, &window, action),
        }
    }
    window.close();
    if let Some(tray) = tray {
        tray.shutdown().await;
    }
    drop(held);
    ExitCode::SUCCESS
}

/// Completes when the desktop session's bus goes away (the person logged
/// out): a tray app has nowhere left to show, and must not linger.
async fn session_ended() {
    use futures_util::StreamExt;
    let Ok(connection) = zbus::Connection::session().await else {
        return std::future::pending().await;
    };
    let mut messages = zbus::MessageStream::from(&connection);
    while let Some(Ok(_)) = messages.next().await {}
}

/// One place where the tray's and the window's clicks reach the engine.
fn act(engine: &Arc<Engine>, window: &Arc<Window>, action: Action) {
    match action {
        Action::SignIn => {
            let engine = engine.clone();
            tokio::spawn(async move {
                if let Err(error) = engine.sign_in().await {
                    tracing::info!("sign-in ended: {error}");
                }
            });
        }
        Action::CancelSignIn => engine.cancel_sign_in(),
        Action::ReopenSignIn => engine.reopen_sign_in(),
        Action::SignOut => {
            let (engine, window) = (engine.clone(), window.clone());
            tokio::spawn(async move {
                if let Err(error) = engine.sign_out().await {
                    tracing::warn!("sign-out: {error}");
                    window.report(error.to_string());
                }
            });
        }
        Action::OpenWindow => window.open(),
        Action::SetStartAtLogin(_) | Action::Quit => {}
    }
}
