//! pkce-tray: OAuth 2.0 Authorization Code + PKCE sign-in for the desktop,
//! and the Pieces "PKCE API" on localhost.

// Say so rather than fail obscurely.
#[cfg(all(
    feature = "desktop",
    not(any(target_os = "linux", target_os = "macos", windows))
))]
compile_error!("the desktop app is for Linux, macOS and Windows; build the engine and API alone with `cargo build --no-default-features`");

pub mod api;
pub mod cli;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod engine;
pub mod i18n;
pub mod instance;
pub mod service;
#[cfg(any(feature = "desktop", feature = "window"))]
pub mod window_protocol;
