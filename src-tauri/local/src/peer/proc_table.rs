//! The Linux kernel's socket tables (`/proc/net/tcp`, `/proc/net/tcp6`):
//! read on Linux where sock_diag is missing, and from the Windows build
//! running under Wine on a Linux host, whose Linux processes (the browser,
//! the user's tools) Windows' own tables cannot name.

use std::net::SocketAddr;
use std::path::Path;

/// The owner of the socket whose local end is `peer` and remote end
/// `local`, from the tables under `root` (`/`, or Wine's `Z:\`).
pub fn read_owner(root: &Path, local: SocketAddr, peer: SocketAddr) -> Result<u32, String> {
    let table = root
        .join("proc")
        .join("net")
        .join(if peer.is_ipv4() { "tcp" } else { "tcp6" });
    let table = std::fs::read_to_string(table).map_err(|e| e.to_string())?;
    owner(&table, peer, local).ok_or_else(|| "not in the kernel's socket table".to_owned())
}

/// The uid that owns the socket whose local end is `peer` and whose remote
/// end is `local`, from a `/proc/net/tcp` or `/proc/net/tcp6` table.
pub fn owner(table: &str, peer: SocketAddr, local: SocketAddr) -> Option<u32> {
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

/// The effective uid, second of the `Uid:` line of `/proc/self/status`:
/// the Windows build's own uid on its Wine host (Linux asks the kernel).
#[cfg(any(windows, test))]
pub fn effective_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
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

    #[test]
    fn the_effective_uid_is_the_second_of_the_uid_line() {
        let status =
            "Name:\tpkce-tray\nUid:\t1000\t1001\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n";
        assert_eq!(effective_uid(status), Some(1001));
        assert_eq!(effective_uid("Name:\tx\n"), None);
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
            let _ = effective_uid(&table);
        }
    }
}
