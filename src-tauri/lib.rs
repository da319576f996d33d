//! pkce-tray: OAuth 2.0 Authorization Code + PKCE sign-in for the desktop,
//! and the Pieces "PKCE API" on localhost.

// The tray speaks the freedesktop StatusNotifierItem protocol and keeps one
// instance through a Unix socket: say so rather than fail obscurely.
#[cfg(all(feature = "desktop", not(target_os = "linux")))]
compile_error!("the desktop app is Linux-only for now; build the engine and API alone with `cargo build --no-default-features`");

pub mod api;
pub mod cli;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod engine;
pub mod instance;
pub mod service;
#[cfg(feature = "window")]
pub mod window_protocol;
