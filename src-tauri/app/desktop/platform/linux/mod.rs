//! Linux: a StatusNotifierItem tray on the session bus, no GUI toolkit in
//! this process, and tokio on the main thread.

mod notify;
mod scheme;
mod tray;

use std::future::Future;
use std::process::ExitCode;

pub use notify::Notifier;
pub use scheme::register_scheme;
pub use tray::Tray;

use crate::desktop::menu::View;
use crate::desktop::Actions;
use crate::service;

/// A terminal command has its terminal already.
pub fn attach_console() {}

/// Without a display the window cannot open; say what to do instead. Also
/// sets the window's GTK and WebKit defaults, before any thread starts.
pub fn prepare() -> Result<(), String> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err("no display found (DISPLAY and WAYLAND_DISPLAY are unset); run `pkce-tray --headless` to serve the PKCE API without a tray or window".into());
    }
    default_webkit_environment();
    Ok(())
}

/// Environment defaults for the window's GTK and WebKit, each only where
/// the user set nothing. The window process inherits them.
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

/// Runs the app on tokio, on this thread: the tray needs no event loop of
/// a toolkit.
pub fn run<F, Fut>(app: F) -> ExitCode
where
    F: FnOnce(Desktop) -> Fut,
    Fut: Future<Output = ExitCode>,
{
    service::runtime().block_on(app(Desktop))
}

/// The desktop as the app sees it.
pub struct Desktop;

impl Desktop {
    /// Shows the tray icon.
    pub async fn tray(&self, view: View, actions: Actions) -> Result<Tray, String> {
        Tray::spawn(view, actions).await
    }

    /// Links the OS hands to the running app other than by a launch: none
    /// here (a link starts `pkce-tray <link>`, which hands it over).
    pub async fn opened(&mut self) -> String {
        std::future::pending().await
    }

    /// Completes when the desktop session's bus goes away (the person
    /// logged out): a tray app has nowhere left to show, and must not
    /// linger.
    pub fn ended(&self) -> impl Future<Output = ()> + 'static {
        use futures_util::StreamExt;
        async {
            let Ok(connection) = zbus::Connection::session().await else {
                return std::future::pending().await;
            };
            let mut messages = zbus::MessageStream::from(&connection);
            while let Some(Ok(_)) = messages.next().await {}
        }
    }
}
