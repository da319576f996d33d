//! One pkce-tray per user. The instance holds a lock file and answers on a
//! Unix socket, both in a directory only the user can enter: later
//! launches hand their arguments over there, and the terminal's commands
//! (`pkce-tray status`, `token`, …) ask the running engine there, never
//! over the HTTP API that every local user and web page can reach.

#[cfg(unix)]
pub mod serve;
#[cfg(unix)]
mod unix;
pub mod wire;

#[cfg(unix)]
pub use unix::{claim, launch, Claim, Held};

/// How long either side waits on the other, and a launch on a starting
/// instance.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);
