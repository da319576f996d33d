//! The login window lives in a process of its own, `pkce-tray-window`, the
//! only binary that links WebKitGTK: started when the window opens, gone
//! with its WebKit processes when it closes. The tray process never maps
//! WebKit, so an idle app costs what the engine and a D-Bus tray cost.

use pkce_tray_i18n::Say;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{ChildStdin, ChildStdout, Command};
use tokio::sync::mpsc::{self, error::TrySendError, Receiver, Sender, WeakSender};

use super::{autostart, Action, Actions};
use std::collections::HashMap;

use pkce_tray_engine::events::Phase;
use pkce_tray_engine::message::Message;
use pkce_tray_engine::{lock, Engine};
use pkce_tray_window_protocol::{
    self as protocol, account_items, encode, FromWindow, Lines, StatusView, ToWindow,
    FROM_WINDOW_LINE,
};

/// The window process, when there is one.
pub struct Window {
    engine: Arc<Engine>,
    actions: Actions,
    open: Mutex<Option<Sender<ToWindow>>>,
    /// Whether notifications are on, for the window's switch.
    notifications: Arc<AtomicBool>,
}

/// Messages waiting for the window at most: it reads as fast as it can;
/// past this it is stuck, and what it misses is superseded anyway.
const TO_WINDOW_QUEUE: usize = 64;

/// The window's binary, installed beside this one.
fn program() -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    Ok(exe.with_file_name(format!("pkce-tray-window{}", std::env::consts::EXE_SUFFIX)))
}

impl Window {
    pub fn new(engine: Arc<Engine>, actions: Actions, notifications: bool) -> Arc<Self> {
        Arc::new(Self {
            engine,
            actions,
            open: Mutex::new(None),
            notifications: Arc::new(AtomicBool::new(notifications)),
        })
    }

    /// Whether the window is on screen (its process runs).
    pub fn is_open(&self) -> bool {
        lock(&self.open)
            .as_ref()
            .is_some_and(|window| !window.is_closed())
    }

    /// Brings the window to the front, starting its process if needed.
    pub fn open(self: &Arc<Self>) {
        let mut open = lock(&self.open);
        if let Some(window) = open.as_ref() {
            match window.try_send(ToWindow::Show) {
                Ok(()) | Err(TrySendError::Full(_)) => return,
                Err(TrySendError::Closed(_)) => {}
            }
        }
        let program = match program() {
            Ok(program) => program,
            Err(error) => {
                tracing::error!("the window could not be opened: {error}");
                return;
            }
        };
        match self.start(&program) {
            Ok(window) => *open = Some(window),
            Err(error) => tracing::error!(
                "the window could not be opened: {}: {error} (pkce-tray-window belongs beside pkce-tray)",
                program.display()
            ),
        }
    }

    /// Closes the window: its process ends when its pipe does.
    pub fn close(&self) {
        lock(&self.open).take();
    }

    /// Tells the window about a failed action, if it is open, in the
    /// person's language.
    pub fn report(&self, said: Message) {
        self.tell(ToWindow::Failure {
            message: said.for_person(),
        });
    }

    /// Says what became of the account its form asked for.
    pub fn account_added(&self, added: bool, said: Message) {
        self.tell(ToWindow::AddAccount {
            added,
            message: said.for_person(),
        });
    }

    /// Shows the app's switches, if the window is open.
    pub fn show_settings(&self, start_at_login: bool, notifications: bool) {
        self.notifications.store(notifications, Ordering::Relaxed);
        self.tell(ToWindow::Preferences {
            start_at_login,
            offer: false,
            notifications,
        });
    }

    fn tell(&self, message: ToWindow) {
        if let Some(window) = lock(&self.open).as_ref() {
            if let Err(TrySendError::Full(_)) = window.try_send(message) {
                tracing::warn!("the window is not reading; a message to it was dropped");
            }
        }
    }

    fn start(self: &Arc<Self>, program: &Path) -> io::Result<Sender<ToWindow>> {
        let mut child = Command::new(program)
            .arg("--api-url")
            .arg(self.engine.api_url())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (window, messages) = mpsc::channel(TO_WINDOW_QUEUE);
        tokio::spawn(feed(
            self.engine.clone(),
            stdin,
            window.downgrade(),
            messages,
            self.notifications.clone(),
        ));
        tokio::spawn(listen(stdout, self.actions.clone()));
        let this = self.clone();
        let ours = window.downgrade();
        tokio::spawn(async move {
            let status = child.wait().await;
            tracing::info!(
                "the window closed ({})",
                match status {
                    Ok(status) => status.to_string(),
                    Err(error) => error.to_string(),
                }
            );
            let mut open = lock(&this.open);
            let ours = ours.upgrade();
            if open
                .as_ref()
                .zip(ours.as_ref())
                .is_some_and(|(current, ours)| current.same_channel(ours))
            {
                open.take();
            }
        });
        Ok(window)
    }
}

/// Writes the engine's every state, the user's picture, the app's
/// settings and messages to the window, until either side goes.
async fn feed(
    engine: Arc<Engine>,
    mut stdin: ChildStdin,
    window: WeakSender<ToWindow>,
    mut messages: Receiver<ToWindow>,
    notifications: Arc<AtomicBool>,
) {
    let mut changes = engine.subscribe();
    changes.mark_changed();
    let preferences = ToWindow::Preferences {
        start_at_login: autostart::is_on(),
        offer: false,
        notifications: notifications.load(Ordering::Relaxed),
    };
    if stdin
        .write_all(encode(&preferences).as_bytes())
        .await
        .is_err()
    {
        return;
    }
    // A picture is fetched when its address changes, not on every state
    // (a refresh publishes one).
    let mut fetched: HashMap<String, String> = HashMap::new();
    loop {
        let changed = tokio::select! {
            changed = changes.changed() => changed,
            message = messages.recv() => match message {
                Some(message) => {
                    if stdin.write_all(encode(&message).as_bytes()).await.is_err() {
                        return;
                    }
                    continue;
                }
                None => return,
            },
        };
        if changed.is_err() {
            return;
        }
        let overview = changes.borrow_and_update().clone();
        let status = overview
            .default_account()
            .map_or_else(|| engine.status(), |account| account.status.clone());
        // The offer goes ahead of the state it comes with, so a window
        // that shows the sign-in has been told whether to offer.
        if status.phase == Phase::SignedIn && autostart::offer_once() {
            let offer = ToWindow::Preferences {
                start_at_login: false,
                offer: true,
                notifications: notifications.load(Ordering::Relaxed),
            };
            if stdin.write_all(encode(&offer).as_bytes()).await.is_err() {
                return;
            }
        }
        for account in &overview.accounts {
            let picture = (account.status.phase == Phase::SignedIn)
                .then(|| account.status.user.as_ref()?.picture.clone())
                .flatten();
            match picture {
                Some(picture) if fetched.get(&account.name) != Some(&picture) => {
                    fetched.insert(account.name.clone(), picture);
                    let (engine, window, name) =
                        (engine.clone(), window.clone(), account.name.clone());
                    tokio::spawn(async move {
                        let Ok(account) = engine.account(&name) else {
                            return;
                        };
                        let data_url = account.avatar().await;
                        if let Some(window) = window.upgrade() {
                            let _ = window.try_send(ToWindow::Avatar {
                                account: name,
                                data_url,
                            });
                        }
                    });
                }
                Some(_) => {}
                None => {
                    fetched.remove(&account.name);
                }
            }
        }
        let view = serde_json::to_value(StatusView::new(status, pkce_tray_i18n::words()))
            .expect("a status serializes");
        let accounts = serde_json::to_value(account_items(&overview, pkce_tray_i18n::words()))
            .expect("the accounts serialize");
        for message in [ToWindow::Status { view }, ToWindow::Accounts { accounts }] {
            if stdin.write_all(encode(&message).as_bytes()).await.is_err() {
                return;
            }
        }
    }
}

/// Hands the window's clicks to the app, as the tray's are. A line that
/// is not a click is skipped with a log line.
async fn listen(mut stdout: ChildStdout, actions: Actions) {
    let mut lines = Lines::new(FROM_WINDOW_LINE);
    let mut buffer = [0; 4096];
    while let Ok(read @ 1..) = stdout.read(&mut buffer).await {
        lines.push(&buffer[..read], |line| {
            match protocol::decode::<FromWindow>(line) {
                Ok(click) => super::queue(&actions, Action::from(click)),
                Err(why) => tracing::warn!("skipped a line from the window: {why}"),
            }
        });
    }
}
