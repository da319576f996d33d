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
    let table = if peer.is_ipv4() {
        "/proc/net/tcp"
    } else {
        "/proc/net/tcp6"
    };
    let table = std::fs::read_to_string(table).map_err(|e| e.to_string())?;
    owner(&table, peer, local).ok_or_else(|| "not in the kernel's socket table".to_owned())
}

/// The uid that owns the socket whose local end is `peer` and whose remote
/// end is `local`, from a `/proc/net/tcp` or `/proc/net/tcp6` table.
fn owner(table: &str, peer: SocketAddr, local: SocketAddr) -> Option<u32> {
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (from, to, uid) = (fields.get(1)?, fields.get(2)?, fields.get(7)?);
        (address(from)? == peer && address(to)? == local)
            .then(|| uid.parse().ok())
            .flatten()
    })
}

/// `0100007F:D81C` or 32 hex digits and a port: the kernel prints each
/// 32-bit word of the address in host order (little-endian on the
/// platforms pkce-tray runs on), the port big-endian.
fn address(field: &str) -> Option<SocketAddr> {
    let (ip, port) = field.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    if ip.len() != 8 && ip.len() != 32 {
        return None;
    }
    let mut bytes = Vec::with_capacity(16);
    for word in ip.as_bytes().chunks(8) {
        let word = u32::from_str_radix(std::str::from_utf8(word).ok()?, 16).ok()?;
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    let ip: std::net::IpAddr = match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok()?.into(),
        16 => <[u8; 16]>::try_from(bytes).ok()?.into(),
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   1: 0100007F:9A69 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 146187 1 0000000055cddbd8 100 0 0 10 0
  96: 0100007F:D81C 0100007F:9A69 01 00000000:00000000 00:00000000 00000000 65534        0 146210 2 00000000041771b2 20 0 0 10 -1
  97: 0100007F:9A69 0100007F:D81C 01 00000000:00000000 00:00000000 00000000     0        0 146189 1 00000000ebebc932 20 0 0 10 -1
";

    const TCP6: &str = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0
   1: 00000000000000000000000001000000:C350 00000000000000000000000001000000:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 0 0 10 -1
";

    fn at(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_peer_socket_names_its_owner() {
        let server = at("127.0.0.1:39529");
        assert_eq!(owner(TCP, at("127.0.0.1:55324"), server), Some(65534));
        // The server's own end of the same connection is not the peer's.
        assert_eq!(owner(TCP, server, at("127.0.0.1:55324")), Some(0));
        assert_eq!(owner(TCP, at("127.0.0.1:1"), server), None);
        assert_eq!(owner(TCP6, at("[::1]:50000"), at("[::1]:8080")), Some(1000));
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

    #[test]
    fn garbage_in_the_table_finds_no_owner_and_never_panics() {
        for table in [
            "",
            "header only",
            "h\n 1: zz:zz yy:yy 01 x x x x notanumber",
        ] {
            assert_eq!(owner(table, at("127.0.0.1:1"), at("127.0.0.1:2")), None);
        }
        assert_eq!(address("0100007F"), None);
        assert_eq!(address("0100007F:XYZ"), None);
        assert_eq!(address("01007F:0050"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A socket table of any shape finds no owner by accident, and
        /// never panics.
        #[test]
        fn any_table_is_read_without_panic(table in "[ -~\n]{0,400}", field in "[0-9A-Fa-f:]{0,40}") {
            let _ = address(&field);
            let at = "127.0.0.1:1".parse().unwrap();
            let _ = owner(&table, at, at);
            let _ = owner_in_answer(table.as_bytes());
        }
    }
}
