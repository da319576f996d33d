//! pkce-tray: OAuth 2.0 Authorization Code + PKCE sign-in for the desktop,
//! and the Pieces "PKCE API" on localhost.

pub mod api;
#[cfg(feature = "desktop")]
pub mod desktop;
pub mod engine;
pub mod service;
