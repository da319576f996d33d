//! pkce-tray, the app: the one instance per user, the terminal's
//! commands, the tray and the headless service, all driving the one
//! engine (`pkce-tray-engine`) and serving its API (`pkce-tray-api`).
//!
//! The top layer beside the window: it may import every crate of the
//! workspace but the window's, and never Tauri or WebKit (the window runs
//! in a process of its own, `pkce-tray-window`).

// Say so rather than fail obscurely.
#[cfg(all(
    feature = "desktop",
    not(any(target_os = "linux", target_os = "macos", windows))
))]
compile_error!("the desktop app is for Linux, macOS and Windows; build the engine and API alone with `cargo build --no-default-features`");

pub mod cli;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod instance;
pub mod service;
