//! The desktop app: a tray icon and a login window in a process of its
//! own, both wired to the engine. Wiring only; every decision is the
//! engine's, and what differs per platform is behind `platform`.

mod autostart;
mod deep_link;
pub mod menu;
mod notices;
mod platform;
mod window;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;

use crate::cli::print::note;
use crate::instance::{self, serve::Instance, InstanceLock};
use crate::service;
use notices::{Notice, Notices};
use pkce_tray_engine::config::{self, Config, ConfigError, Flags};
use pkce_tray_engine::events::{Overview, SignInEnded};
use pkce_tray_engine::message::Message;
use pkce_tray_engine::{off_the_runtime, Engine};
use pkce_tray_window_protocol::FromWindow;
use window::Window;

pub use platform::attach_console;

/// Where the tray's and the window's clicks go: a bounded queue, so a
/// window process that floods it cannot grow the app without bound.
pub type Actions = mpsc::Sender<Action>;

/// Clicks waiting for the app at most.
const ACTION_QUEUE: usize = 64;

/// Queues a click; past the queue's bound it is dropped, with a log line.
pub fn queue(actions: &Actions, action: Action) {
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

/// Starts the engine and its API, the instance, the window and the tray,
/// then hands each event to its handler until the app is asked to quit.
async fn run_app(
    mut desktop: platform::Desktop,
    flags: Flags,
    config: Result<Config, ConfigError>,
    held: InstanceLock,
) -> ExitCode {
    let config = match config {
        Ok(config) => config,
        Err(error) => {
            note(format_args!("pkce-tray: {error}"));
            return ExitCode::from(2);
        }
    };
    let (config_path, notifications) = (config.path.clone(), config.notifications);
    let engine = match start_engine(config).await {
        Ok(engine) => engine,
        Err(error) => {
            note(format_args!("pkce-tray: {error}"));
            return ExitCode::FAILURE;
        }
    };
    let (actions, mut requests) = mpsc::channel(ACTION_QUEUE);
    tokio::spawn(serve_instance(&held, &engine, &actions));
    tokio::spawn(platform::register_scheme());
    // A link that launched the app.
    if let Some(link) = flags.deep_link.filter(|link| deep_link::is_link(link)) {
        deep_link::hand_over(&engine, link);
    }

    let mut app = TrayApp::new(engine.clone(), &actions, config_path, notifications).await;
    app.tray = match desktop.tray(app.view.clone(), actions.clone()).await {
        Ok(tray) => Some(tray),
        Err(error) => {
            tracing::warn!("no tray icon: {error}; the window is the way in");
            None
        }
    };
    if flags.show || (!flags.hidden && !engine.has_session()) {
        app.window.open();
    }

    let mut changes = engine.subscribe();
    let mut sign_ins = engine.sign_ins();
    let session_ended = desktop.ended();
    // One listener for SIGTERM and Ctrl-C for the app's whole life: made
    // anew in each pass, a signal that came while the loop body ran (a
    // tray update, a blocking click) would find none and be lost.
    let shutdown = service::shutdown_requested();
    tokio::pin!(session_ended, shutdown);
    loop {
        tokio::select! {
            action = requests.recv() => match action.unwrap_or(Action::Quit) {
                Action::Quit => break,
                action => app.on_action(action).await,
            },
            Ok(()) = changes.changed() => {
                let overview = changes.borrow_and_update().clone();
                app.on_change(overview).await;
            }
            Ok(ended) = sign_ins.recv() => app.on_sign_in_ended(&ended),
            link = desktop.opened() => {
                if deep_link::is_link(&link) {
                    tracing::info!("the OS opened a link with the app");
                    deep_link::hand_over(&engine, link);
                }
            }
            () = &mut shutdown => break,
            () = &mut session_ended => {
                tracing::info!("the desktop session ended");
                break;
            }
        }
    }
    app.end().await;
    // The instance is given up last: until the engine has finished, a
    // command or a launch finds this app, not a place to start another.
    drop(held);
    ExitCode::SUCCESS
}

/// The engine with its API answering.
async fn start_engine(config: Config) -> Result<Arc<Engine>, String> {
    let service = service::start(config).await?;
    service.announce();
    Ok(service.serve_in_background())
}

/// Answers the instance's socket until the app ends: the terminal's
/// commands, and a later launch's arguments (a link, or a request to
/// open the window).
fn serve_instance(
    held: &InstanceLock,
    engine: &Arc<Engine>,
    actions: &Actions,
) -> impl std::future::Future<Output = ()> + Send + 'static {
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
            queue(&actions, Action::OpenWindow);
        }
        for link in links {
            deep_link::hand_over(&linked, link);
        }
        true
    };
    held.serve(Instance {
        engine: engine.clone(),
        on_launch: Box::new(on_launch),
        calls: Default::default(),
    })
}

/// The tray app while it runs: the engine, and what shows it to the
/// person (the window, the tray, the notifications).
struct TrayApp {
    engine: Arc<Engine>,
    window: Arc<Window>,
    tray: Option<platform::Tray>,
    notifier: Arc<platform::Notifier>,
    /// What the tray shows.
    view: menu::View,
    notices: Notices,
    /// Where the notifications switch is kept, where there is a file.
    config_path: Option<PathBuf>,
}

impl TrayApp {
    async fn new(
        engine: Arc<Engine>,
        actions: &Actions,
        config_path: Option<PathBuf>,
        notifications: bool,
    ) -> Self {
        let overview = engine.subscribe().borrow().clone();
        let view = menu::View {
            overview,
            start_at_login: off_the_runtime(autostart::is_on).await,
            notifications,
        };
        Self {
            window: Window::new(engine.clone(), actions.clone(), notifications),
            notifier: Arc::new(platform::Notifier::new(actions.clone())),
            notices: Notices::new(&view.overview, pkce_tray_i18n::words()),
            tray: None,
            engine,
            view,
            config_path,
        }
    }

    /// The engine's state changed: the tray shows it, and what the person
    /// should hear of it is said.
    async fn on_change(&mut self, overview: Overview) {
        self.view.overview = overview;
        let notices = self.notices.changed(&self.view.overview, Instant::now());
        self.notify(notices);
        self.show_tray().await;
    }

    /// A sign-in ended: said, unless the window shows it already.
    fn on_sign_in_ended(&mut self, ended: &SignInEnded) {
        // The engine's state now, which may be ahead of the view.
        let overview = self.engine.subscribe().borrow().clone();
        let notices =
            self.notices
                .sign_in_ended(ended, &overview, self.window.is_open(), Instant::now());
        self.notify(notices);
    }

    /// A click in the tray or the window.
    async fn on_action(&mut self, action: Action) {
        match action {
            Action::SetStartAtLogin(on) => {
                let (set, now_on) =
                    off_the_runtime(move || (autostart::set(on), autostart::is_on())).await;
                if let Err(error) = set {
                    tracing::warn!("start at login: {error}");
                    self.window.report(
                        Message::new("start-at-login-failed").with("detail", error.to_string()),
                    );
                }
                self.view.start_at_login = now_on;
                self.show_settings().await;
            }
            Action::SetNotifications(on) => {
                self.view.notifications = on;
                let path = self.config_path.clone();
                if let Err(error) = off_the_runtime(move || keep_notifications(path, on)).await {
                    tracing::warn!("{error}");
                    self.window.report(
                        Message::new("notifications-not-kept").because("why", error.said()),
                    );
                }
                tracing::info!("notifications {}", if on { "on" } else { "off" });
                self.show_settings().await;
            }
            action => act(&self.engine, &self.window, action),
        }
    }

    fn notify(&self, notices: impl IntoIterator<Item = Notice>) {
        if !self.view.notifications {
            for notice in notices {
                tracing::debug!("not shown, as notifications are off: {}", notice.summary);
            }
            return;
        }
        for notice in notices {
            let notifier = self.notifier.clone();
            tokio::spawn(async move { notifier.show(&notice).await });
        }
    }

    async fn show_tray(&self) {
        if let Some(tray) = &self.tray {
            tray.show(self.view.clone()).await;
        }
    }

    async fn show_settings(&self) {
        self.window
            .show_settings(self.view.start_at_login, self.view.notifications);
        self.show_tray().await;
    }

    /// Closes the window and the tray, and lets the engine finish what
    /// reached the provider.
    async fn end(self) {
        self.window.close();
        if let Some(tray) = self.tray {
            tray.shutdown().await;
        }
        self.engine.quiesce().await;
    }
}

/// Writes the notifications switch, where there is a file to write.
fn keep_notifications(path: Option<PathBuf>, on: bool) -> Result<(), ConfigError> {
    match path {
        Some(path) => config::set_notifications(&path, on),
        None => Ok(()),
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
            let (engine, window) = (engine.clone(), window.clone());
            tokio::spawn(async move {
                if let Err(error) = engine.set_default_account(&name).await {
                    tracing::warn!("{error}");
                    window.report(error.said());
                }
            });
        }
        Action::AddAccount {
            name,
            issuer,
            client_id,
        } => {
            let (engine, window) = (engine.clone(), window.clone());
            tokio::spawn(async move {
                match engine.add_account(&name, &issuer, &client_id).await {
                    Ok(_) => window
                        .account_added(true, Message::new("account-added").with("name", &name)),
                    Err(error) => {
                        tracing::warn!("the account {name} was not added: {error}");
                        window.account_added(
                            false,
                            Message::new("account-not-added").because("why", error.said()),
                        );
                    }
                }
            });
        }
        Action::OpenWindow => window.open(),
        Action::SetStartAtLogin(_) | Action::SetNotifications(_) | Action::Quit => {}
    }
}
