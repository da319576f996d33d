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

/// Who listens on a loopback address another program holds, to say so
/// when the API cannot have it: "uid N (name)". Linux reads the kernel's
/// table; elsewhere nothing is said.
#[cfg(target_os = "linux")]
pub fn listener_owner(address: std::net::SocketAddr) -> Option<String> {
    let anywhere = std::net::SocketAddr::new(
        match address {
            std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::UNSPECIFIED.into(),
            std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::UNSPECIFIED.into(),
        },
        0,
    );
    let uid = proc_table::read_owner(std::path::Path::new("/"), anywhere, address).ok()?;
    let name = nix::unistd::User::from_uid(uid.into())
        .ok()
        .flatten()
        .map(|user| format!(" ({})", user.name))
        .unwrap_or_default();
    Some(format!("uid {uid}{name}"))
}

#[cfg(not(target_os = "linux"))]
pub fn listener_owner(_address: std::net::SocketAddr) -> Option<String> {
    None
}

#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("the connection comes from another user's process ({0}); this API serves only the user who runs pkce-tray")]
    OtherUser(String),
    #[error("the owner of the connection cannot be told ({0}); refused to be safe")]
    Unknown(String),
}
