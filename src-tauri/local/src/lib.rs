//! pkce-tray's local connections: whose process is on the other end of a
//! loopback connection or a local socket, and accepting connections
//! without spinning. Shared by the API and the one instance per user.
//!
//! Imports none of pkce-tray's crates.

mod accept;
pub mod peer;

pub use accept::AcceptBackoff;
