//! Linux: the kernel names a socket's owner. Asked first through
//! sock_diag netlink for exactly the one socket (microseconds); where that
//! is not there (an older or sandboxed kernel), through its socket tables
//! in /proc, read whole (milliseconds).

use std::net::SocketAddr;

use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_REQUEST};
use netlink_packet_sock_diag::{
    constants::{AF_INET, AF_INET6, IPPROTO_TCP},
    inet::{ExtensionFlags, InetRequest, SocketId, StateFlags},
    SockDiagMessage,
};
use netlink_sys::{protocols::NETLINK_SOCK_DIAG, Socket};

use super::PeerError;

/// Lets the connection through when the same user's process opened it.
/// The fallback reads a file: run it off the async runtime.
pub fn check(local: SocketAddr, peer: SocketAddr) -> Result<(), PeerError> {
    let owner = match owner_by_netlink(local, peer) {
        Ok(owner) => owner,
        Err(netlink) => owner_by_table(local, peer).map_err(|table| {
            PeerError::Unknown(format!("sock_diag: {netlink}; socket table: {table}"))
        })?,
    };
    let me = rustix::process::geteuid().as_raw();
    if owner == me {
        Ok(())
    } else {
        Err(PeerError::OtherUser(format!("uid {owner}")))
    }
}

/// Asks for the one socket whose local end is `peer` and remote end
/// `local`. The kernel answers while it takes the request, so the answer
/// is read without waiting: none there is an error, never a hang.
fn owner_by_netlink(local: SocketAddr, peer: SocketAddr) -> std::io::Result<u32> {
    let socket = Socket::new(NETLINK_SOCK_DIAG)?;
    socket.connect(&netlink_sys::SocketAddr::new(0, 0))?;
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST;
    let request = InetRequest {
        family: if peer.is_ipv4() { AF_INET } else { AF_INET6 },
        protocol: IPPROTO_TCP,
        extensions: ExtensionFlags::empty(),
        states: StateFlags::all(),
        socket_id: SocketId {
            source_port: peer.port(),
            destination_port: local.port(),
            source_address: peer.ip(),
            destination_address: local.ip(),
            interface_id: 0,
            // INET_DIAG_NOCOOKIE: found by its addresses alone.
            cookie: [0xff; 8],
        },
    };
    let mut message = NetlinkMessage::new(header, SockDiagMessage::InetRequest(request).into());
    message.finalize();
    let mut buffer = vec![0; message.buffer_len()];
    message.serialize(&mut buffer);
    socket.send(&buffer, 0)?;
    socket.set_non_blocking(true)?;
    let mut answer = Vec::with_capacity(8192);
    socket.recv(&mut answer, 0)?;
    owner_in_answer(&answer)
}

/// The owner in the kernel's answer, or the error it sent instead.
fn owner_in_answer(answer: &[u8]) -> std::io::Result<u32> {
    let invalid = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidData, why);
    let message = NetlinkMessage::<SockDiagMessage>::deserialize(answer)
        .map_err(|error| invalid(error.to_string()))?;
    match message.payload {
        NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(response)) => {
            Ok(response.header.uid)
        }
        NetlinkPayload::Error(error) => Err(error.to_io()),
        other => Err(invalid(format!("unexpected answer {other:?}"))),
    }
}

/// The owner from `/proc/net/tcp` or `/proc/net/tcp6`, read whole.
fn owner_by_table(local: SocketAddr, peer: SocketAddr) -> Result<u32, String> {
    super::proc_table::read_owner(std::path::Path::new("/"), local, peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    /// A real connection on this machine: both ways of asking name this
    /// user, and the check lets it through.
    #[test]
    fn a_connection_of_this_user_is_let_through() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, peer) = listener.accept().unwrap();
        let local = server.local_addr().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        let me = rustix::process::geteuid().as_raw();
        assert_eq!(owner_by_netlink(local, peer).unwrap(), me);
        assert_eq!(owner_by_table(local, peer).unwrap(), me);
        check(local, peer).unwrap();
        // No such connection: an error, not a hang.
        let gone = at("127.0.0.1:1");
        assert!(owner_by_netlink(local, gone).is_err());
        assert!(check(local, gone).is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the kernel's answer holds, it is read without panic.
        #[test]
        fn any_answer_is_read_without_panic(answer in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = owner_in_answer(&answer);
        }
    }
}
