//! Writes the manual pages, made from the command-line definitions:
//! `pkce-tray.1`, one `pkce-tray-<command>.1` per command, and
//! `pkce-tray-window.1`, into the folder given. `./scripts/package` runs
//! it when it builds the packages: `cargo run --example man -- DIR`.

use std::path::PathBuf;

use clap::CommandFactory;
use pkce_tray::cli::Cli;
use pkce_tray_window_protocol::window_command;

fn main() -> std::io::Result<()> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .expect("the folder to write the pages to")
        .into();
    std::fs::create_dir_all(&dir)?;
    let app = Cli::command()
        .name("pkce-tray")
        .bin_name("pkce-tray")
        .after_long_help(FILES);
    clap_mangen::generate_to(app, &dir)?;
    clap_mangen::generate_to(window_command(), &dir)?;
    Ok(())
}

/// Where pkce-tray keeps what it keeps, for the main page.
const FILES: &str = "Files: ~/.config/pkce-tray/config.toml (the configuration: the \
provider, the client, the accounts); the session's tokens in the desktop's keychain \
(Secret Service), never in a file. See /usr/share/doc/pkce-tray/README.md.";
