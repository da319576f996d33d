//! Windows: a listening socket no other program may bind beside, not even
//! with `SO_REUSEADDR` (Windows lets a later socket take over the port's
//! connections otherwise). Unix refuses a second bind of the same
//! address to another user by itself.

use std::io;
use std::os::windows::io::AsRawSocket;

use windows_sys::Win32::Networking::WinSock::{
    setsockopt, SOCKET, SOL_SOCKET, SO_EXCLUSIVEADDRUSE,
};

/// Sets `SO_EXCLUSIVEADDRUSE`, before the socket is bound.
pub fn hold(socket: &impl AsRawSocket) -> io::Result<()> {
    let on: i32 = 1;
    // SAFETY: a socket this process owns, and a pointer to a local i32
    // with its length.
    let failed = unsafe {
        setsockopt(
            socket.as_raw_socket() as SOCKET,
            SOL_SOCKET,
            SO_EXCLUSIVEADDRUSE,
            (&on as *const i32).cast(),
            std::mem::size_of::<i32>() as i32,
        )
    };
    if failed != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
