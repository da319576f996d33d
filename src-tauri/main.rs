//! The `pkce-tray` binary: flags and environment become a `Config`, then
//! either the engine runs alone (`--headless`) or the desktop app starts.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use pkce_tray::api;
use pkce_tray::engine::browser::{platform_opener, SystemBrowser};
use pkce_tray::engine::config::{Config, Flags};
use pkce_tray::engine::vault::KeyringVault;
use pkce_tray::engine::Engine;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PKCE_TRAY_LOG")
                .unwrap_or_else(|_| "pkce_tray=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let flags = Flags::parse();
    let config = Config::resolve(&flags);
    #[cfg(feature = "desktop")]
    if !flags.headless {
        // A second launch (a deep link from the OS) may carry no
        // configuration: the desktop hands it to the running instance first.
        return pkce_tray::desktop::run(flags, config);
    }
    match config {
        Ok(config) => headless(config),
        Err(error) => {
            eprintln!("pkce-tray: {error}");
            ExitCode::from(2)
        }
    }
}

/// The engine and the API alone, until Ctrl-C or SIGTERM.
fn headless(config: Config) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the async runtime starts");
    runtime.block_on(async move {
        let listener = match api::bind(&config).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!(
                    "pkce-tray: cannot listen on 127.0.0.1:{}: {error}",
                    config.port
                );
                return ExitCode::FAILURE;
            }
        };
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or(config.port);
        let vault = Arc::new(KeyringVault::new(Engine::account(&config)));
        let engine = Engine::new(
            config,
            port,
            Box::new(SystemBrowser::new(platform_opener)),
            vault,
        );
        engine.start().await;
        println!("pkce-tray: PKCE API listening on {}", engine.api_url());
        match api::serve(listener, engine, shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("pkce-tray: the API stopped: {error}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn shutdown_signal() {
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
