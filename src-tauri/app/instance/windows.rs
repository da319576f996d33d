//! Windows: the lock is a file locked with LockFileEx in the user's local
//! app data; the channel is a named pipe whose name carries the user's SID
//! and whose access rule admits that account alone. Each end also checks
//! the account of the process at the other end.

use std::fs::{File, OpenOptions, TryLockError};
use std::future::Future;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::AsRawHandle;
use std::path::Path;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use tokio::net::windows::named_pipe::{NamedPipeServer, ServerOptions};
use windows_sys::Win32::Foundation::{LocalFree, ERROR_PIPE_BUSY};
use windows_sys::Win32::Security::Authorization::{
    ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{PSECURITY_DESCRIPTOR, SECURITY_ATTRIBUTES};
use windows_sys::Win32::Storage::FileSystem::SECURITY_IDENTIFICATION;
use windows_sys::Win32::System::Pipes::{GetNamedPipeClientProcessId, GetNamedPipeServerProcessId};

use super::serve::{connection, Instance};
use super::{open_lock, pause_until, Claim, LINE_LIMIT, NO_ANSWER, PATIENCE};
use pkce_tray_local::peer;

/// A caller's connection to the running instance: one request line, then
/// the answers, read on a thread of their own so that each wait can end.
pub struct Connection {
    pipe: Option<File>,
    answers: Option<mpsc::Receiver<io::Result<String>>>,
}

impl Connection {
    /// Opens the pipe, if its server runs as this account.
    fn open(name: &str) -> io::Result<Self> {
        // Identification only: whoever serves the pipe learns who called,
        // and may never act as them.
        let pipe = OpenOptions::new()
            .read(true)
            .write(true)
            .security_qos_flags(SECURITY_IDENTIFICATION)
            .open(name)?;
        let mut server = 0u32;
        // SAFETY: an open pipe handle and an out-pointer to a local.
        if unsafe { GetNamedPipeServerProcessId(pipe.as_raw_handle(), &mut server) } == 0 {
            return Err(io::Error::last_os_error());
        }
        if !peer::same_account(server)? {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the instance pipe is served by another account",
            ));
        }
        Ok(Self {
            pipe: Some(pipe),
            answers: None,
        })
    }

    /// Sends one line; before any answer is read.
    pub fn send(&mut self, line: &str) -> io::Result<()> {
        match &mut self.pipe {
            Some(pipe) => pipe.write_all(line.as_bytes()),
            None => Err(io::Error::other("the request was sent already")),
        }
    }

    /// The next line, waiting at most `patience`; `None` at the end.
    pub fn next_line(&mut self, patience: Duration) -> io::Result<Option<String>> {
        // A read pending on a pipe opened for blocking calls holds up a
        // write on it: the reader starts once the request is sent.
        if let Some(pipe) = self.pipe.take() {
            let (lines, answers) = mpsc::channel();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(pipe);
                loop {
                    let mut line = String::new();
                    match (&mut reader).take(LINE_LIMIT).read_line(&mut line) {
                        Ok(0) => return,
                        Ok(_) => {
                            if lines.send(Ok(line)).is_err() {
                                return;
                            }
                        }
                        Err(error) => {
                            let _ = lines.send(Err(error));
                            return;
                        }
                    }
                }
            });
            self.answers = Some(answers);
        }
        let Some(answers) = &self.answers else {
            return Ok(None);
        };
        match answers.recv_timeout(patience) {
            Ok(line) => line.map(Some),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                Err(io::Error::new(io::ErrorKind::TimedOut, "no answer in time"))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Ok(None),
        }
    }
}

/// The instance's lock, and the pipe's name to serve.
pub struct InstanceLock {
    name: String,
    _lock: File,
}

impl InstanceLock {
    /// Answers on the pipe until the runtime ends; only this account's
    /// processes are served. Keep `self` meanwhile: dropping it ends the
    /// instance.
    pub fn serve(&self, instance: Instance) -> impl Future<Output = ()> + Send + 'static {
        let name = self.name.clone();
        async move {
            let instance = Arc::new(instance);
            // The first instance of the pipe: a name someone else holds is
            // not ours to share. The instance before this one may still be
            // closing its pipe: a few tries.
            let deadline = Instant::now() + PATIENCE;
            let mut server = loop {
                match create(&name, true) {
                    Ok(server) => break server,
                    Err(error) if Instant::now() >= deadline => {
                        tracing::warn!("the instance pipe cannot be served: {error}");
                        return;
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            };
            loop {
                if let Err(error) = server.connect().await {
                    tracing::warn!("a caller on the instance pipe: {error}");
                }
                // The next caller's instance, before this one is handed on.
                let next = loop {
                    match create(&name, false) {
                        Ok(next) => break next,
                        Err(error) => {
                            tracing::warn!("the instance pipe: {error}");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                };
                let caller = std::mem::replace(&mut server, next);
                match client_pid(&caller).and_then(peer::same_account) {
                    Ok(true) => {
                        tokio::spawn(connection(caller, instance.clone()));
                    }
                    Ok(false) => tracing::warn!("refused another account on the instance pipe"),
                    Err(error) => tracing::warn!("refused a caller on the instance pipe: {error}"),
                }
            }
        }
    }
}

fn client_pid(server: &NamedPipeServer) -> io::Result<u32> {
    let mut pid = 0u32;
    // SAFETY: an open pipe handle and an out-pointer to a local.
    if unsafe { GetNamedPipeClientProcessId(server.as_raw_handle(), &mut pid) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(pid)
}

/// An instance of the pipe that only this account may open.
fn create(name: &str, first: bool) -> io::Result<NamedPipeServer> {
    let rule = UserOnly::new()?;
    let mut attributes = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: rule.0,
        bInheritHandle: 0,
    };
    // SAFETY: `attributes` and the descriptor it points to outlive the call.
    unsafe {
        ServerOptions::new()
            .first_pipe_instance(first)
            .reject_remote_clients(true)
            .create_with_security_attributes_raw(
                name,
                (&mut attributes as *mut SECURITY_ATTRIBUTES).cast(),
            )
    }
}

/// A security descriptor whose one rule gives this account all access,
/// and no one else any (SDDL `D:P(A;;GA;;;<SID>)`).
struct UserOnly(PSECURITY_DESCRIPTOR);

impl UserOnly {
    fn new() -> io::Result<Self> {
        let sddl: Vec<u16> = format!("D:P(A;;GA;;;{})", peer::user_sid()?)
            .encode_utf16()
            .chain(Some(0))
            .collect();
        let mut descriptor = std::ptr::null_mut();
        // SAFETY: a NUL-terminated rule; the descriptor is freed on drop.
        let made = unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl.as_ptr(),
                SDDL_REVISION_1,
                &mut descriptor,
                std::ptr::null_mut(),
            )
        };
        if made == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Self(descriptor))
    }
}

impl Drop for UserOnly {
    fn drop(&mut self) {
        // SAFETY: allocated by the conversion above, freed once.
        unsafe { LocalFree(self.0) };
    }
}

/// Finds the running instance, or becomes it. Two processes that start at
/// the same moment end with one instance: the lock decides, and the loser
/// connects once the winner serves.
pub fn claim() -> io::Result<Claim> {
    let dir = dirs::data_local_dir()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no local app data folder"))?
        .join("pkce-tray");
    std::fs::create_dir_all(&dir)?;
    claim_named(&format!(r"\\.\pipe\pkce-tray-{}", peer::user_sid()?), &dir)
}

fn claim_named(name: &str, dir: &Path) -> io::Result<Claim> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match Connection::open(name) {
            Ok(connection) => return Ok(Claim::Running(connection)),
            // Between two instances of the pipe: a moment later.
            Err(error) if error.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                let lock = open_lock(dir)?;
                match lock.try_lock() {
                    Ok(()) => {
                        return Ok(Claim::First(InstanceLock {
                            name: name.to_owned(),
                            _lock: lock,
                        }))
                    }
                    Err(TryLockError::WouldBlock) => {}
                    Err(TryLockError::Error(error)) => return Err(error),
                }
            }
            Err(error) => return Err(error),
        }
        pause_until(deadline, Duration::from_millis(20), NO_ANSWER)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::serve::support::engine;
    use crate::instance::wire::{line, Reply, Request};

    fn unique() -> String {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        format!(
            r"\\.\pipe\pkce-tray-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// Over a real named pipe (run under Wine): a later launch hands its
    /// arguments over, garbage is refused and the instance serves on, a
    /// command is answered.
    #[test]
    fn the_pipe_takes_launches_and_commands_and_refuses_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let name = unique();
        let Claim::First(held) = claim_named(&name, dir.path()).unwrap() else {
            panic!("a new pipe has no instance");
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (launched, launches) = std::sync::mpsc::channel();
        let serving = held.serve(Instance {
            engine: runtime.block_on(async { engine() }),
            on_launch: Box::new(move |args| launched.send(args).is_ok()),
            calls: Default::default(),
        });
        std::thread::spawn(move || runtime.block_on(serving));
        let connect = || match claim_named(&name, dir.path()).unwrap() {
            Claim::Running(connection) => connection,
            Claim::First(_) => panic!("the instance serves"),
        };

        let mut launch = connect();
        assert!(
            crate::instance::hand_over(&mut launch, &["app.pkcetray.desktop:/x".into()]).unwrap()
        );
        assert_eq!(
            launches.recv_timeout(PATIENCE).unwrap(),
            ["app.pkcetray.desktop:/x"]
        );

        let mut garbage = connect();
        garbage.send("not json\n").unwrap();
        assert_eq!(
            garbage.next_line(PATIENCE).unwrap().as_deref(),
            Some("error\n")
        );

        let mut status = connect();
        status
            .send(&line(&Request::Command(
                crate::instance::wire::Command::Status { account: None },
            )))
            .unwrap();
        let answer = status.next_line(PATIENCE).unwrap().unwrap();
        assert!(
            matches!(serde_json::from_str(&answer), Ok(Reply::Status(report)) if !report.signed_in)
        );
    }

    #[test]
    fn claims_at_the_same_moment_end_with_one_instance() {
        let dir = tempfile::tempdir().unwrap();
        let name = unique();
        let claims: Vec<io::Result<Claim>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| claim_named(&name, dir.path())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let first = claims
            .iter()
            .filter(|claim| matches!(claim, Ok(Claim::First(_))))
            .count();
        assert_eq!(first, 1);
        // The winner never serves here: the others wait, then say so.
        assert!(claims
            .iter()
            .filter_map(|claim| claim.as_ref().err())
            .all(|error| error.kind() == io::ErrorKind::TimedOut));
    }
}
