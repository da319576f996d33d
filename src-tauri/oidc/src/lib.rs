//! pkce-tray's OpenID Connect client: discovery, the authorization
//! request (PAR included), the token endpoint (code, refresh, device
//! grant), revocation, ID token checks, UserInfo, PKCE, the secrets'
//! types, the providers' presets, and the helpers for the text a provider
//! sends.
//!
//! The lowest layer: it imports none of pkce-tray's crates, and has no
//! configuration file, no words for people and no UI.

pub mod pkce;
pub mod preset;
pub mod provider;
pub mod secret;
pub mod text;
mod user;

pub use user::User;
