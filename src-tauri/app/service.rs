//! The engine and its API, started the same way by the headless service
//! and the desktop app.

use std::sync::Arc;

use tokio::net::TcpListener;

use crate::cli::print::out;
use pkce_tray_engine::browser::{platform_opener, SystemBrowser};
use pkce_tray_engine::config::Config;
use pkce_tray_engine::vault::KeyringVault;
use pkce_tray_engine::Engine;

/// A started engine and the socket its API will answer on.
pub struct Service {
    pub engine: Arc<Engine>,
    listeners: Vec<TcpListener>,
}

/// Binds the API, builds the engine and restores the session.
pub async fn start(config: Config) -> Result<Service, String> {
    let listeners = pkce_tray_api::bind(&config)
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

    /// Answers the API on a task of its own for as long as the runtime
    /// runs; the engine, to drive.
    pub fn serve_in_background(self) -> Arc<Engine> {
        let engine = self.engine.clone();
        tokio::spawn(async move {
            if let Err(error) = self.serve(std::future::pending()).await {
                tracing::error!("the API stopped: {error}");
            }
        });
        engine
    }

    /// Answers the API until `shutdown` completes.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        pkce_tray_api::serve(self.listeners, self.engine, shutdown).await
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
