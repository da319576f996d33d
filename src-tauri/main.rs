//! The `pkce-tray` binary: flags and environment become a `Config`, then
//! either the engine runs alone (`--headless`) or the tray app starts.

use std::process::ExitCode;

use clap::Parser;
use pkce_tray::engine::config::{Config, Flags};
use pkce_tray::service;

fn main() -> ExitCode {
    service::init_logging();
    let flags = Flags::parse();
    let config = Config::resolve(&flags);
    #[cfg(feature = "desktop")]
    if !flags.headless {
        // A later launch (a link from the OS) may carry no configuration:
        // the desktop hands it to the running instance first.
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
    let runtime = service::runtime();
    runtime.block_on(async move {
        let service = match service::start(config).await {
            Ok(service) => service,
            Err(error) => {
                eprintln!("pkce-tray: {error}");
                return ExitCode::FAILURE;
            }
        };
        match service.serve(service::shutdown_requested()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("pkce-tray: the API stopped: {error}");
                ExitCode::FAILURE
            }
        }
    })
}
