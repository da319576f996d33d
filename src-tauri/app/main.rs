//! The `pkce-tray` binary: flags and environment become a `Config`, then
//! a terminal command runs, or the engine runs alone (`--headless`), or
//! the tray app starts.

// Windows: the tray app opens no console window; a terminal command
// borrows the one it was started from.
#![cfg_attr(all(windows, feature = "desktop"), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use pkce_tray::cli::print::note;
use pkce_tray::cli::{self, Cli};
use pkce_tray::service;
use pkce_tray_engine::config::Config;
use pkce_tray_engine::logging;

fn main() -> ExitCode {
    #[cfg(feature = "desktop")]
    pkce_tray::desktop::attach_console();
    cli::answer_completion();
    let Cli { flags, command } = Cli::parse();
    if let Some(command) = command {
        logging::init_logging("warn", None);
        return cli::run(command, &flags);
    }
    #[cfg(feature = "desktop")]
    if !flags.headless {
        logging::init_logging(logging::APP_LOG, logging::log_file());
        // A later launch (a link from the OS) may carry no configuration:
        // the desktop hands it to the running instance first.
        let config = Config::resolve(&flags);
        return pkce_tray::desktop::run(flags, config);
    }
    logging::init_logging(logging::APP_LOG, None);
    match Config::resolve(&flags) {
        Ok(config) => headless(config),
        Err(error) => {
            note(format_args!("pkce-tray: {error}"));
            ExitCode::from(2)
        }
    }
}

/// The exit status of a `--headless` that finds another pkce-tray of this
/// user serving: the systemd unit neither restarts it nor counts it a
/// failure (`packaging/pkce-tray.service`).
const ANOTHER_RUNS: u8 = 3;

/// The engine and the API alone, until Ctrl-C or SIGTERM; the instance
/// socket too, for the terminal's commands.
fn headless(config: Config) -> ExitCode {
    let held = match pkce_tray::instance::claim() {
        Ok(pkce_tray::instance::Claim::First(held)) => held,
        Ok(pkce_tray::instance::Claim::Running(_)) => {
            note(format_args!("pkce-tray: another pkce-tray (the app, or a terminal command) runs for this user; ask it with `pkce-tray status`, or start this one when it has ended"));
            return ExitCode::from(ANOTHER_RUNS);
        }
        // Never a second engine beside the instance.
        Err(error) => {
            note(format_args!("pkce-tray: the running pkce-tray could not be reached, nor its place taken: {error}"));
            return ExitCode::FAILURE;
        }
    };
    let runtime = service::runtime();
    runtime.block_on(async move {
        let service = match service::start(config).await {
            Ok(service) => service,
            Err(error) => {
                note(format_args!("pkce-tray: {error}"));
                return ExitCode::FAILURE;
            }
        };
        tokio::spawn(held.serve(pkce_tray::instance::serve::Instance {
            engine: service.engine.clone(),
            on_launch: Box::new(|_| {
                tracing::info!(
                    "a later launch has nothing to open here: this pkce-tray runs headless"
                );
                true
            }),
            calls: Default::default(),
        }));
        service.announce();
        let engine = service.engine.clone();
        let served = service.serve(service::shutdown_requested()).await;
        engine.quiesce().await;
        drop(held);
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                note(format_args!("pkce-tray: the API stopped: {error}"));
                ExitCode::FAILURE
            }
        }
    })
}
