//! Windows: the kernel's connection table names the process that holds
//! each end; that process's token names its account, compared with ours.
//! Under Wine on a Linux host, the host's own processes (the browser, the
//! user's tools) have no Windows process: their owner comes from the
//! host's socket tables, as on Linux.

use std::{
    io,
    net::{Ipv4Addr, Ipv6Addr, SocketAddr},
    ptr,
};

use windows_sys::Win32::{
    Foundation::{CloseHandle, LocalFree, ERROR_INSUFFICIENT_BUFFER, HANDLE, NO_ERROR},
    NetworkManagement::IpHelper::{
        GetExtendedTcpTable, MIB_TCP6ROW_OWNER_PID, MIB_TCPROW_OWNER_PID,
        TCP_TABLE_OWNER_PID_CONNECTIONS,
    },
    Networking::WinSock::{AF_INET, AF_INET6},
    Security::{
        Authorization::ConvertSidToStringSidW, EqualSid, GetTokenInformation, TokenUser,
        TOKEN_QUERY, TOKEN_USER,
    },
    System::LibraryLoader::{GetModuleHandleW, GetProcAddress},
    System::Threading::{
        GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
    },
};

use super::PeerError;

/// Lets the connection through when a process of the same account opened
/// it. Reads the whole connection table: run it off the async runtime.
pub fn check(local: SocketAddr, peer: SocketAddr) -> Result<(), PeerError> {
    let unknown = |error: io::Error| PeerError::Unknown(error.to_string());
    let pid = owning_pid(local, peer)
        .map_err(unknown)?
        .ok_or_else(|| PeerError::Unknown("not in the kernel's connection table".to_owned()))?;
    // Process 0 holds no connection of its own on Windows: under Wine it
    // stands for a process of the Linux host.
    if pid == 0 && under_wine() {
        return host_check(local, peer);
    }
    if same_account(pid).map_err(unknown)? {
        Ok(())
    } else {
        Err(PeerError::OtherUser(format!(
            "process {pid} runs as another account"
        )))
    }
}

/// Whether process `pid` runs as this process's account. A process that
/// is not ours to open is another account's (or the system's).
pub fn same_account(pid: u32) -> io::Result<bool> {
    // SAFETY: the pseudo-handle of this process needs no closing.
    let mine = account(Handle(unsafe { GetCurrentProcess() }))?;
    // SAFETY: a plain call; a null handle is checked below.
    let process = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if process.is_null() {
        return Ok(false);
    }
    let Ok(theirs) = account(Handle(process)) else {
        return Ok(false);
    };
    // SAFETY: both buffers hold a TOKEN_USER whose SID points inside it.
    Ok(unsafe { EqualSid(sid(&mine), sid(&theirs)) != 0 })
}

/// This account's SID as text (`S-1-5-21-…`): a name, and an access rule,
/// that no other account shares.
pub fn user_sid() -> io::Result<String> {
    // SAFETY: the pseudo-handle of this process needs no closing.
    let mine = account(Handle(unsafe { GetCurrentProcess() }))?;
    let mut text = ptr::null_mut();
    // SAFETY: a SID inside `mine`; the text is freed below.
    if unsafe { ConvertSidToStringSidW(sid(&mine), &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a NUL-terminated string the call allocated.
    let sid = unsafe {
        let length = (0..).take_while(|&i| *text.add(i) != 0).count();
        let sid = String::from_utf16_lossy(std::slice::from_raw_parts(text, length));
        LocalFree(text.cast());
        sid
    };
    Ok(sid)
}

/// Whether this runs under Wine, which gives ntdll a `wine_get_version`.
fn under_wine() -> bool {
    let ntdll: Vec<u16> = "ntdll.dll\0".encode_utf16().collect();
    // SAFETY: a NUL-terminated name; ntdll is loaded in every process.
    unsafe {
        let module = GetModuleHandleW(ntdll.as_ptr());
        !module.is_null() && GetProcAddress(module, c"wine_get_version".as_ptr().cast()).is_some()
    }
}

/// The Linux host's check, through Wine's `Z:` drive (the host's `/`): the
/// peer socket's uid against this process's own.
fn host_check(local: SocketAddr, peer: SocketAddr) -> Result<(), PeerError> {
    let root = std::path::Path::new("Z:\\");
    let owner = super::proc_table::read_owner(root, local, peer).map_err(PeerError::Unknown)?;
    let status = std::fs::read_to_string(root.join("proc").join("self").join("status"))
        .map_err(|error| PeerError::Unknown(error.to_string()))?;
    let me = super::proc_table::effective_uid(&status)
        .ok_or_else(|| PeerError::Unknown("no Uid line in the host's /proc/self/status".into()))?;
    if owner == me {
        Ok(())
    } else {
        Err(PeerError::OtherUser(format!(
            "uid {owner} of the Wine host"
        )))
    }
}

/// The process holding the connection whose local end is `peer` and
/// remote end `local`.
fn owning_pid(local: SocketAddr, peer: SocketAddr) -> io::Result<Option<u32>> {
    let port = |raw: u32| u16::from_be(raw as u16);
    match (local, peer) {
        (SocketAddr::V4(local), SocketAddr::V4(peer)) => {
            let table = connections(AF_INET)?;
            let pid = rows::<MIB_TCPROW_OWNER_PID>(&table).find_map(|row| {
                let ours = Ipv4Addr::from(row.dwLocalAddr.to_ne_bytes()) == *peer.ip()
                    && port(row.dwLocalPort) == peer.port()
                    && Ipv4Addr::from(row.dwRemoteAddr.to_ne_bytes()) == *local.ip()
                    && port(row.dwRemotePort) == local.port();
                ours.then_some(row.dwOwningPid)
            });
            Ok(pid)
        }
        (SocketAddr::V6(local), SocketAddr::V6(peer)) => {
            let table = connections(AF_INET6)?;
            let pid = rows::<MIB_TCP6ROW_OWNER_PID>(&table).find_map(|row| {
                let ours = Ipv6Addr::from(row.ucLocalAddr) == *peer.ip()
                    && port(row.dwLocalPort) == peer.port()
                    && Ipv6Addr::from(row.ucRemoteAddr) == *local.ip()
                    && port(row.dwRemotePort) == local.port();
                ours.then_some(row.dwOwningPid)
            });
            Ok(pid)
        }
        _ => Ok(None),
    }
}

/// The kernel's table of TCP connections with their owning processes, as
/// bytes: a 32-bit count, then the rows.
fn connections(family: u16) -> io::Result<Vec<u8>> {
    let mut size = 0u32;
    // The table can grow between asking its size and reading it.
    for _ in 0..4 {
        let mut words = vec![0u32; (size as usize).div_ceil(4)];
        let into = if words.is_empty() {
            ptr::null_mut()
        } else {
            words.as_mut_ptr().cast()
        };
        // SAFETY: `size` bytes at `into` (aligned for the rows), as told.
        let status = unsafe {
            GetExtendedTcpTable(
                into,
                &mut size,
                0,
                u32::from(family),
                TCP_TABLE_OWNER_PID_CONNECTIONS,
                0,
            )
        };
        match status {
            NO_ERROR => return Ok(words.iter().flat_map(|word| word.to_ne_bytes()).collect()),
            ERROR_INSUFFICIENT_BUFFER => continue,
            other => return Err(io::Error::from_raw_os_error(other as i32)),
        }
    }
    Err(io::Error::other("the connection table kept changing size"))
}

/// The rows of a table read by `connections`, as many as it counts and
/// its bytes hold.
fn rows<Row: Copy>(table: &[u8]) -> impl Iterator<Item = Row> + '_ {
    let count = table.get(..4).map_or(0, |count| {
        u32::from_ne_bytes(count.try_into().unwrap_or_default()) as usize
    });
    let size = std::mem::size_of::<Row>();
    (0..count).map_while(move |index| {
        let bytes = table.get(4 + index * size..4 + (index + 1) * size)?;
        // SAFETY: `size` bytes of a row of plain integers, read unaligned.
        Some(unsafe { ptr::read_unaligned(bytes.as_ptr().cast::<Row>()) })
    })
}

/// A handle closed when dropped.
struct Handle(HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: an open handle, closed once; closing the pseudo-handle of
        // the current process does nothing.
        unsafe { CloseHandle(self.0) };
    }
}

/// The process's account, as the TOKEN_USER its token gives (in words,
/// so the structure is aligned).
fn account(process: Handle) -> io::Result<Vec<u64>> {
    let mut token = ptr::null_mut();
    // SAFETY: plain calls with out-pointers to locals.
    if unsafe { OpenProcessToken(process.0, TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let token = Handle(token);
    let mut size = 0u32;
    // SAFETY: asks the size only.
    unsafe { GetTokenInformation(token.0, TokenUser, ptr::null_mut(), 0, &mut size) };
    let mut words = vec![0u64; (size as usize).div_ceil(8)];
    // SAFETY: `size` bytes at an 8-aligned buffer, as told.
    if unsafe {
        GetTokenInformation(
            token.0,
            TokenUser,
            words.as_mut_ptr().cast(),
            size,
            &mut size,
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    Ok(words)
}

/// The SID inside a TOKEN_USER read by `account`.
///
/// # Safety
/// `user` must hold a TOKEN_USER written by GetTokenInformation.
unsafe fn sid(user: &[u64]) -> *mut core::ffi::c_void {
    unsafe { (*user.as_ptr().cast::<TOKEN_USER>()).User.Sid }
}
