//! Whose process is on the other end of a loopback connection. 127.0.0.1
//! is shared by every user of the machine, so the API asks the kernel who
//! holds the peer's socket and serves the user who runs pkce-tray only.
//! Each platform asks in its own way, behind the same `check`.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(any(target_os = "linux", windows))]
mod proc_table;
#[cfg(target_os = "linux")]
pub use linux::check;

#[cfg(target_os = "macos")]
#[allow(unsafe_code)] // libproc's socket info is a C union
mod macos;
#[cfg(target_os = "macos")]
pub use macos::check;

#[cfg(windows)]
#[allow(unsafe_code)] // the Win32 calls have no safe wrapper
mod windows;
#[cfg(windows)]
pub use windows::{check, same_account, user_sid};

/// Not checked where the platform gives no owner: every local connection
/// is served there.
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
pub fn check(_local: std::net::SocketAddr, _peer: std::net::SocketAddr) -> Result<(), PeerError> {
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("the connection comes from another user's process ({0}); this API serves only the user who runs pkce-tray")]
    OtherUser(String),
    #[error("the owner of the connection cannot be told ({0}); refused to be safe")]
    Unknown(String),
}
