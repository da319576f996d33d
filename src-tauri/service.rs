//! The engine and its API, started the same way by the headless service
//! and the desktop app.

use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api;
use crate::cli::print::{note, out};
use crate::engine::browser::{platform_opener, SystemBrowser};
use crate::engine::config::Config;
use crate::engine::vault::KeyringVault;
use crate::engine::Engine;

/// A started engine and the socket its API will answer on.
pub struct Service {
    pub engine: Arc<Engine>,
    listeners: Vec<TcpListener>,
}

/// Binds the API, builds the engine and restores the session.
pub async fn start(config: Config) -> Result<Service, String> {
    let listeners = api::bind(&config)
        .await
        .map_err(|error| format!("the PKCE API cannot listen on loopback: {error}"))?;
    let port = listeners[0]
        .local_addr()
        .map(|address| address.port())
        .unwrap_or(config.port);
    let engine = engine(config, port).await;
    Ok(Service { engine, listeners })
}

/// The engine alone, its session restored, for a terminal command that
/// needs no callback: nothing listens.
pub async fn engine_only(config: Config) -> Arc<Engine> {
    let port = config.port;
    engine(config, port).await
}

async fn engine(config: Config, port: u16) -> Arc<Engine> {
    let browser = SystemBrowser::new(config.browser.clone(), platform_opener);
    let engine = Engine::new(config, port, Box::new(browser), |account| {
        Arc::new(KeyringVault::new(account.keychain_account()))
    });
    engine.start().await;
    engine
}

impl Service {
    /// Says where the API listens, on stdout: the app's one line there,
    /// which scripts and the tests wait for.
    pub fn announce(&self) {
        out(format_args!(
            "pkce-tray: PKCE API listening on {}",
            self.engine.api_url()
        ));
    }

    /// Answers the API until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        api::serve(self.listeners, self.engine, shutdown).await
    }
}

/// The app's async runtime: one thread. The API serves a few local
/// clients, and a second worker buys no throughput on a small machine
/// where the clients need the other core (BENCHMARKS.md), only memory.
/// Keychain calls run on a thread of their own, in order.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts")
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_requested() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM can be watched");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// What the app logs by default.
pub const APP_LOG: &str = "pkce_tray=info,warn";

/// Logs to `file`, or else to stderr, filtered by `PKCE_TRAY_LOG`, else by
/// `default` (the terminal's commands say less than the app); both
/// binaries log alike.
pub fn init_logging(default: &str, file: Option<std::fs::File>) {
    use std::io::IsTerminal;
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_env("PKCE_TRAY_LOG")
            .unwrap_or_else(|_| default.into()),
    );
    match file {
        Some(file) => logs
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .init(),
        None => logs
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
    }
}

/// Where the desktop app logs on Windows, which gives a GUI program no
/// stderr: `%LOCALAPPDATA%\pkce-tray\logs\pkce-tray.log`. Elsewhere the
/// app logs to stderr, which the desktop session keeps.
pub fn log_path() -> Option<std::path::PathBuf> {
    if !cfg!(windows) {
        return None;
    }
    Some(
        dirs::data_local_dir()?
            .join("pkce-tray")
            .join("logs")
            .join("pkce-tray.log"),
    )
}

/// The log file, appended to, where there is one; one grown past a
/// megabyte is kept as `pkce-tray.log.old` and a new one started.
pub fn log_file() -> Option<std::fs::File> {
    const KEEP: u64 = 1 << 20;
    let path = log_path()?;
    if std::fs::metadata(&path).is_ok_and(|meta| meta.len() > KEEP) {
        let _ = std::fs::rename(&path, path.with_extension("log.old"));
    }
    let opened = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        });
    match opened {
        Ok(file) => Some(file),
        Err(error) => {
            note(format_args!(
                "pkce-tray: cannot log to {}: {error}",
                path.display()
            ));
            None
        }
    }
}
