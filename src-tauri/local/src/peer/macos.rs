//! macOS: the kernel has no lookup of a TCP socket's owner by address, but
//! it lists a user's processes and the sockets they hold (what `lsof`
//! reads). The connection is let through when one of this user's
//! processes holds its other end; other users' processes are not ours to
//! read, so a peer found nowhere is another user's.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use libproc::{
    bsd_info::BSDInfo,
    file_info::{pidfdinfo, ListFDs, ProcFDType},
    net_info::{InSIAddr, SocketFDInfo, SocketInfoKind},
    proc_pid::{listpidinfo, pidinfo},
    processes::{pids_by_type, ProcFilter},
};

use super::PeerError;

/// Lets the connection through when the same user's process opened it.
/// Walks the user's processes: run it off the async runtime.
pub fn check(local: SocketAddr, peer: SocketAddr) -> Result<(), PeerError> {
    let me = rustix::process::geteuid().as_raw();
    let pids = pids_by_type(ProcFilter::ByUID { uid: me })
        .map_err(|error| PeerError::Unknown(error.to_string()))?;
    let ours = pids
        .into_iter()
        .filter_map(|pid| i32::try_from(pid).ok())
        .any(|pid| holds(pid, local, peer));
    if ours {
        Ok(())
    } else {
        Err(PeerError::OtherUser(
            "no process of this user holds its end".to_owned(),
        ))
    }
}

/// Whether process `pid` holds the TCP socket whose local end is `peer`
/// and remote end `local`. A process that ends meanwhile holds nothing.
fn holds(pid: i32, local: SocketAddr, peer: SocketAddr) -> bool {
    let Ok(info) = pidinfo::<BSDInfo>(pid, 0) else {
        return false;
    };
    let Ok(fds) = listpidinfo::<ListFDs>(pid, info.pbi_nfiles as usize) else {
        return false;
    };
    fds.iter()
        .filter(|fd| matches!(ProcFDType::from(fd.proc_fdtype), ProcFDType::Socket))
        .filter_map(|fd| pidfdinfo::<SocketFDInfo>(pid, fd.proc_fd).ok())
        .any(|socket| {
            if !matches!(
                SocketInfoKind::from(socket.psi.soi_kind),
                SocketInfoKind::Tcp
            ) {
                return false;
            }
            // SAFETY: soi_kind says the union holds TCP socket info.
            let ends = unsafe { socket.psi.soi_proto.pri_tcp.tcpsi_ini };
            // The kernel keeps ports in network order in an int.
            let port = |raw: i32| u16::from_be(raw as u16);
            let v4 = ends.insi_vflag & INI_IPV4 != 0;
            port(ends.insi_lport) == peer.port()
                && port(ends.insi_fport) == local.port()
                && address(ends.insi_laddr, v4) == peer.ip()
                && address(ends.insi_faddr, v4) == local.ip()
        })
}

/// `insi_vflag`'s bit for an IPv4 socket (`<sys/proc_info.h>`).
const INI_IPV4: u8 = 0x1;

/// One end's address, held as IPv4 or IPv6 as the socket's flag says.
fn address(raw: InSIAddr, v4: bool) -> IpAddr {
    // SAFETY: both variants are plain bytes; the flag says which is meant.
    unsafe {
        if v4 {
            Ipv4Addr::from(raw.ina_46.i46a_addr4.s_addr.to_ne_bytes()).into()
        } else {
            Ipv6Addr::from(raw.ina_6.s6_addr).into()
        }
    }
}
