//! macOS and Windows: the tray is tray-icon's, on a tao event loop that
//! owns the main thread (AppKit requires it; a Win32 tray's window lives
//! on its loop's thread). The app (engine, API, instance, window process)
//! runs on tokio in a worker thread; it reaches the loop through the
//! loop's proxy, and clicks come back on the app's action queue.

use std::future::Future;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use tao::event::Event;
use tao::event_loop::{ControlFlow, EventLoopBuilder, EventLoopProxy};
use tao::platform::run_return::EventLoopExtRunReturn;
use tokio::sync::{mpsc, oneshot, watch};
use tray_icon::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder, TrayIconEvent};

use super::os;
use crate::cli::print::note;
use crate::desktop::menu::{self, Entry, View};
use crate::desktop::{queue, Actions};
use crate::service;
use pkce_tray_engine::lock;

/// What the app asks of the loop.
pub enum ToLoop {
    Tray {
        view: View,
        actions: Actions,
        made: oneshot::Sender<Result<(), String>>,
    },
    Show(View),
    Exit,
}

/// How long the app waits for the shell to take the icon before it goes
/// on without it.
const TRAY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(20);

/// The loop's proxy, shared by the app's tasks.
type Proxy = Arc<Mutex<EventLoopProxy<ToLoop>>>;

fn send(proxy: &Proxy, message: ToLoop) -> bool {
    lock(proxy).send_event(message).is_ok()
}

/// Runs the event loop on this (the main) thread and the app on tokio in a
/// worker thread, until the app returns or the loop ends.
pub fn run<F, Fut>(app: F) -> ExitCode
where
    F: FnOnce(Desktop) -> Fut + Send + 'static,
    Fut: Future<Output = ExitCode>,
{
    let mut event_loop = EventLoopBuilder::<ToLoop>::with_user_event().build();
    os::prepare_loop(&mut event_loop);
    let (opened, links) = mpsc::unbounded_channel();
    let (ended, ended_seen) = watch::channel(false);
    let proxy: Proxy = Arc::new(Mutex::new(event_loop.create_proxy()));
    let desktop = Desktop {
        proxy: proxy.clone(),
        links,
        ended: ended_seen,
    };
    let worker = std::thread::Builder::new()
        .name("pkce-tray-app".into())
        .spawn(move || {
            let code = service::runtime().block_on(app(desktop));
            send(&proxy, ToLoop::Exit);
            code
        });
    let worker = match worker {
        Ok(worker) => worker,
        Err(error) => {
            note(format_args!("pkce-tray: cannot start: {error}"));
            return ExitCode::FAILURE;
        }
    };

    let mut tray: Option<TrayIcon> = None;
    let shown: Arc<Mutex<Vec<Entry>>> = Arc::default();
    event_loop.run_return(|event, _, flow| {
        *flow = ControlFlow::Wait;
        match event {
            Event::UserEvent(ToLoop::Tray {
                view,
                actions,
                made,
            }) => {
                let result = make(&view, actions, &shown).map(|made| {
                    tray = Some(made);
                    tracing::info!("tray ready");
                });
                // Past the app's patience, the answer is only logged.
                if let Err(Err(error)) = made.send(result) {
                    tracing::warn!("the shell answered late, without the tray icon: {error}");
                }
            }
            Event::UserEvent(ToLoop::Show(view)) => {
                if let Some(tray) = &tray {
                    if let Err(error) = show(tray, &view, &shown) {
                        tracing::warn!("the tray could not show the new state: {error}");
                    }
                }
            }
            Event::UserEvent(ToLoop::Exit) => {
                tray = None;
                *flow = ControlFlow::Exit;
            }
            // macOS: a link opened with the running app, or with the one
            // the link started (an Apple Event, not an argument).
            Event::Opened { urls } => {
                for url in urls {
                    let _ = opened.send(url.to_string());
                }
            }
            _ => {}
        }
    });
    // The loop may end on its own (the session ends): the app then quits.
    let _ = ended.send(true);
    worker.join().unwrap_or(ExitCode::FAILURE)
}

/// The desktop as the app sees it, from its worker thread.
pub struct Desktop {
    proxy: Proxy,
    links: mpsc::UnboundedReceiver<String>,
    ended: watch::Receiver<bool>,
}

impl Desktop {
    /// Shows the tray icon; the loop makes it and says whether it could.
    /// A shell that does not answer must not hold the app: past
    /// `TRAY_PATIENCE` the app runs on, and the icon shows when the shell
    /// answers, in the state of that moment, since the states shown
    /// meanwhile wait in the loop's queue behind it. (A shell not started
    /// yet is tray-icon's to handle: it adds the icon on `TaskbarCreated`.)
    pub async fn tray(&self, view: View, actions: Actions) -> Result<Tray, String> {
        let (made, result) = oneshot::channel();
        if !send(
            &self.proxy,
            ToLoop::Tray {
                view,
                actions,
                made,
            },
        ) {
            return Err("the event loop has ended".into());
        }
        match tokio::time::timeout(TRAY_PATIENCE, result).await {
            Ok(Ok(made)) => made?,
            Ok(Err(_)) => return Err("the event loop has ended".into()),
            Err(_) => tracing::warn!(
                "the shell has not taken the tray icon within {} s; the app runs on, and the icon shows when the shell answers",
                TRAY_PATIENCE.as_secs()
            ),
        }
        Ok(Tray {
            proxy: self.proxy.clone(),
        })
    }

    /// The next link the OS hands to the running app as an event.
    pub async fn opened(&mut self) -> String {
        match self.links.recv().await {
            Some(link) => link,
            None => std::future::pending().await,
        }
    }

    /// Completes when the event loop has ended without being asked: the
    /// desktop session is over.
    pub fn ended(&self) -> impl Future<Output = ()> + 'static {
        let mut ended = self.ended.clone();
        async move {
            if ended.wait_for(|ended| *ended).await.is_err() {
                std::future::pending().await
            }
        }
    }
}

/// The tray icon, made and changed on the loop's thread.
pub struct Tray {
    proxy: Proxy,
}

impl Tray {
    /// Shows a new state.
    pub async fn show(&self, view: View) {
        send(&self.proxy, ToLoop::Show(view));
    }

    /// The icon goes with the loop.
    pub async fn shutdown(self) {}
}

fn icon(rgba: &menu::Rgba) -> Result<Icon, String> {
    Icon::from_rgba(rgba.pixels.clone(), rgba.width, rgba.height).map_err(|error| error.to_string())
}

/// The menu for a state, with each item's id the model's.
fn build_menu(entries: &[Entry]) -> Result<Menu, String> {
    let menu = Menu::new();
    for entry in entries {
        let appended = if entry.starts_group {
            menu.append(&PredefinedMenuItem::separator())
        } else {
            Ok(())
        };
        let appended = appended.and_then(|()| match entry.checked {
            Some(checked) => menu.append(&CheckMenuItem::with_id(
                entry.id.as_str(),
                &entry.text,
                entry.enabled,
                checked,
                None,
            )),
            None => menu.append(&MenuItem::with_id(
                entry.id.as_str(),
                &entry.text,
                entry.enabled,
                None,
            )),
        });
        appended.map_err(|error| error.to_string())?;
    }
    Ok(menu)
}

/// Makes the tray icon and routes its clicks: a menu item's through the
/// model last shown, the icon's own as the platform has them.
fn make(view: &View, actions: Actions, shown: &Arc<Mutex<Vec<Entry>>>) -> Result<TrayIcon, String> {
    let entries = menu::menu_model(view, pkce_tray_i18n::words());
    let builder = TrayIconBuilder::new()
        .with_id("pkce-tray")
        .with_tooltip(menu::tooltip(view, pkce_tray_i18n::words()))
        .with_menu(Box::new(build_menu(&entries)?))
        .with_icon(icon(os::icon(view.status().phase, view.marked()))?);
    let tray = os::tray_builder(builder)
        .build()
        .map_err(|error| error.to_string())?;
    *lock(shown) = entries;
    let (model, menu_actions) = (shown.clone(), actions.clone());
    MenuEvent::set_event_handler(Some(move |event: MenuEvent| {
        let action = lock(&model)
            .iter()
            .find(|entry| entry.id == event.id.as_ref())
            .and_then(|entry| entry.action.clone());
        if let Some(action) = action {
            queue(&menu_actions, action);
        }
    }));
    TrayIconEvent::set_event_handler(Some(move |event: TrayIconEvent| {
        if let Some(action) = os::clicked(&event) {
            queue(&actions, action);
        }
    }));
    Ok(tray)
}

fn show(tray: &TrayIcon, view: &View, shown: &Mutex<Vec<Entry>>) -> Result<(), String> {
    let entries = menu::menu_model(view, pkce_tray_i18n::words());
    tray.set_menu(Some(Box::new(build_menu(&entries)?)));
    *lock(shown) = entries;
    os::set_icon(tray, icon(os::icon(view.status().phase, view.marked()))?)
        .map_err(|error| error.to_string())?;
    tray.set_tooltip(Some(menu::tooltip(view, pkce_tray_i18n::words())))
        .map_err(|error| error.to_string())
}
