//! The desktop app: a tray icon and a login window in a process of its
//! own, both wired to the engine. Wiring only; every decision is the
//! engine's, and what differs per platform is behind `platform`.

mod autostart;
mod deep_link;
pub mod menu;
mod notices;
mod platform;
mod window;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;

use crate::cli::print::note;
use crate::engine::config::{self, Config, ConfigError, Flags};
use crate::engine::said::Said;
use crate::engine::Engine;
use crate::instance::{self, serve::Instance, Held};
use crate::service;
use crate::window_protocol::FromWindow;
use notices::{Notice, Notices};
use window::Window;

pub use platform::attach_console;

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

/// What a person can ask for, from the tray menu or the window; an
/// account's actions name it (`None`: the default account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SignIn(Option<String>),
    CancelSignIn(Option<String>),
    ReopenSignIn(Option<String>),
    SignOut(Option<String>),
    SignOutAtProvider(Option<String>),
    UseAsDefault(String),
    AddAccount {
        name: String,
        issuer: String,
        client_id: String,
    },
    SetStartAtLogin(bool),
    SetNotifications(bool),
    OpenWindow,
    Quit,
}

impl From<FromWindow> for Action {
    fn from(click: FromWindow) -> Self {
        match click {
            FromWindow::SignIn { account } => Action::SignIn(account),
            FromWindow::CancelSignIn { account } => Action::CancelSignIn(account),
            FromWindow::ReopenSignIn { account } => Action::ReopenSignIn(account),
            FromWindow::SignOut { account } => Action::SignOut(account),
            FromWindow::SignOutAtProvider { account } => Action::SignOutAtProvider(account),
            FromWindow::UseAsDefault { account } => Action::UseAsDefault(account),
            FromWindow::AddAccount {
                name,
                issuer,
                client_id,
            } => Action::AddAccount {
                name,
                issuer,
                client_id,
            },
            FromWindow::SetStartAtLogin { on } => Action::SetStartAtLogin(on),
            FromWindow::SetNotifications { on } => Action::SetNotifications(on),
        }
    }
}

/// Runs the tray app until Quit, Ctrl-C or SIGTERM. The configuration may
/// be missing: a later launch (a link from the OS, with no flags) hands its
/// arguments to the running instance and exits before it is needed.
pub fn run(flags: Flags, config: Result<Config, ConfigError>) -> ExitCode {
    if let Err(message) = platform::prepare() {
        note(format_args!("pkce-tray: {message}"));
        return ExitCode::from(2);
    }
    // Before anything starts: a later launch hands over and ends here, and
    // no second engine ever runs beside the instance.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let held = match instance::launch(&args) {
        Ok(None) => return ExitCode::SUCCESS,
        Ok(Some(held)) => held,
        Err(error) => {
            note(format_args!("pkce-tray: the running pkce-tray could not be reached, nor its place taken: {error}"));
            return ExitCode::FAILURE;
        }
    };
    platform::run(move |desktop| run_app(desktop, flags, config, held))
}

async fn run_app(
    mut desktop: platform::Desktop,
    flags: Flags,
    config: Result<Config, ConfigError>,
    held: Held,
) -> ExitCode {
    let config = match config {
        Ok(config) => config,
        Err(error) => {
            note(format_args!("pkce-tray: {error}"));
            return ExitCode::from(2);
        }
    };
    let settings = Settings {
        path: config.path.clone(),
        notifications: config.notifications,
    };
    let service = match service::start(config).await {
        Ok(service) => service,
        Err(error) => {
            note(format_args!("pkce-tray: {error}"));
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
    let window = Window::new(engine.clone(), actions.clone(), settings.notifications);
    let notifier = Arc::new(platform::Notifier::new(actions.clone()));
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
            calls: Default::default(),
        };
        tokio::spawn(held.serve(handlers));
    }
    tokio::spawn(platform::register_scheme());
    // A link that launched the app.
    if let Some(link) = flags.deep_link.filter(|link| deep_link::is_link(link)) {
        deep_link::hand_over(&engine, link);
    }

    let mut view = menu::View {
        overview: engine.subscribe().borrow().clone(),
        start_at_login: autostart::is_on(),
        notifications: settings.notifications,
    };
    let mut notices = Notices::new(&view.overview, crate::i18n::words());
    let mut sign_ins = engine.sign_ins();
    let notify = |notice: Notice| {
        let notifier = notifier.clone();
        tokio::spawn(async move { notifier.show(&notice).await });
    };
    let tray = match desktop.tray(view.clone(), actions.clone()).await {
        Ok(tray) => Some(tray),
        Err(error) => {
            tracing::warn!("no tray icon: {error}; the window is the way in");
            None
        }
    };
    if flags.show || (!flags.hidden && !engine.has_session()) {
        window.open();
    }

    let mut changes = engine.subscribe();
    let session_ended = desktop.ended();
    // One listener for SIGTERM and Ctrl-C for the app's whole life: made
    // anew in each pass, a signal that came while the loop body ran (a
    // tray update, a blocking click) would find none and be lost.
    let shutdown = service::shutdown_requested();
    tokio::pin!(session_ended, shutdown);
    loop {
        let action = tokio::select! {
            action = requests.recv() => action.unwrap_or(Action::Quit),
            Ok(()) = changes.changed() => {
                view.overview = changes.borrow_and_update().clone();
                let said = notices.changed(&view.overview, Instant::now());
                if view.notifications {
                    said.into_iter().for_each(notify);
                }
                if let Some(tray) = &tray {
                    tray.show(view.clone()).await;
                }
                continue;
            }
            Ok(ended) = sign_ins.recv() => {
                // The engine's state now, which may be ahead of the view.
                let overview = engine.subscribe().borrow().clone();
                let said = notices.sign_in_ended(&ended, &overview, window.is_open(), Instant::now());
                if view.notifications {
                    said.into_iter().for_each(notify);
                }
                continue;
            }
            link = desktop.opened() => {
                if deep_link::is_link(&link) {
                    tracing::info!("the OS opened a link with the app");
                    deep_link::hand_over(&engine, link);
                }
                continue;
            }
            () = &mut shutdown => Action::Quit,
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
                    window.report(
                        Said::new("start-at-login-failed").with("detail", error.to_string()),
                    );
                }
                view.start_at_login = autostart::is_on();
                window.show_settings(view.start_at_login, view.notifications);
                if let Some(tray) = &tray {
                    tray.show(view.clone()).await;
                }
            }
            Action::SetNotifications(on) => {
                view.notifications = on;
                if let Err(error) = settings.keep_notifications(on) {
                    tracing::warn!("{error}");
                    window.report(Said::new("notifications-not-kept").because("why", error.said()));
                }
                tracing::info!("notifications {}", if on { "on" } else { "off" });
                window.show_settings(view.start_at_login, view.notifications);
                if let Some(tray) = &tray {
                    tray.show(view.clone()).await;
                }
            }
            action => act(&engine, &window, action),
        }
    }
    window.close();
    if let Some(tray) = tray {
        tray.shutdown().await;
    }
    engine.quiesce().await;
    drop(held);
    ExitCode::SUCCESS
}

/// The app's settings kept in its configuration file.
struct Settings {
    path: Option<std::path::PathBuf>,
    notifications: bool,
}

impl Settings {
    /// Writes the notifications switch, where there is a file to write.
    fn keep_notifications(&self, on: bool) -> Result<(), ConfigError> {
        match &self.path {
            Some(path) => config::set_notifications(path, on),
            None => Ok(()),
        }
    }
}

/// One place where the tray's and the window's clicks reach the engine.
fn act(engine: &Arc<Engine>, window: &Arc<Window>, action: Action) {
    let account = |name: Option<String>| match engine.account_or_default(name.as_deref()) {
        Ok(account) => Some(account),
        Err(error) => {
            tracing::warn!("{error}");
            window.report(error.said());
            None
        }
    };
    match action {
        Action::SignIn(name) => {
            let Some(account) = account(name) else { return };
            tokio::spawn(async move {
                if let Err(error) = account.sign_in().await {
                    tracing::info!("sign-in to {} ended: {error}", account.name());
                }
            });
        }
        Action::CancelSignIn(name) => {
            if let Some(account) = account(name) {
                account.cancel_sign_in();
            }
        }
        Action::ReopenSignIn(name) => {
            if let Some(account) = account(name) {
                account.reopen_sign_in();
            }
        }
        Action::SignOut(name) => {
            let Some(account) = account(name) else { return };
            let window = window.clone();
            tokio::spawn(async move {
                if let Err(error) = account.sign_out().await {
                    tracing::warn!("sign-out of {}: {error}", account.name());
                    window.report(error.said());
                }
            });
        }
        Action::SignOutAtProvider(name) => {
            if let Some(account) = account(name) {
                account.sign_out_at_provider();
            }
        }
        Action::UseAsDefault(name) => {
            if let Err(error) = engine.set_default_account(&name) {
                tracing::warn!("{error}");
                window.report(error.said());
            }
        }
        Action::AddAccount {
            name,
            issuer,
            client_id,
        } => {
            let (engine, window) = (engine.clone(), window.clone());
            tokio::spawn(async move {
                match engine.add_account(&name, &issuer, &client_id).await {
                    Ok(_) => {
                        window.account_added(true, Said::new("account-added").with("name", &name))
                    }
                    Err(error) => {
                        tracing::warn!("the account {name} was not added: {error}");
                        window.account_added(
                            false,
                            Said::new("account-not-added").because("why", error.said()),
                        );
                    }
                }
            });
        }
        Action::OpenWindow => window.open(),
        Action::SetStartAtLogin(_) | Action::SetNotifications(_) | Action::Quit => {}
    }
}
