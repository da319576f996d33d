//! Unix: the lock is a file locked with flock, the socket a Unix socket,
//! both in a directory only the user can enter.

use std::fs::{DirBuilder, File, TryLockError};
use std::future::Future;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::serve::{connection, Instance};
use super::{open_lock, pause_until, Claim, LINE_LIMIT, NO_ANSWER, PATIENCE};
use crate::api::server::AcceptBackoff;

const SOCKET: &str = "instance.sock";

/// A caller's connection to the running instance.
pub struct Connection {
    stream: UnixStream,
    answers: BufReader<UnixStream>,
}

impl Connection {
    fn new(stream: UnixStream) -> io::Result<Self> {
        stream.set_write_timeout(Some(PATIENCE))?;
        let answers = BufReader::new(stream.try_clone()?);
        Ok(Self { stream, answers })
    }

    /// Sends one line.
    pub fn send(&mut self, line: &str) -> io::Result<()> {
        self.stream.write_all(line.as_bytes())
    }

    /// The next line, waiting at most `patience`; `None` at the end.
    pub fn next_line(&mut self, patience: Duration) -> io::Result<Option<String>> {
        self.stream.set_read_timeout(Some(patience))?;
        let mut line = String::new();
        match (&mut self.answers).take(LINE_LIMIT).read_line(&mut line)? {
            0 => Ok(None),
            _ => Ok(Some(line)),
        }
    }
}

/// The instance's lock and socket, held until dropped: the socket file
/// goes first, then the lock, so a later claimer never finds a socket
/// nobody answers on while the lock is still held.
pub struct Held {
    listener: UnixListener,
    path: PathBuf,
    _lock: File,
}

impl Drop for Held {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Held {
    /// Answers on the socket until the runtime ends; only this user's
    /// processes are served. Keep `self` meanwhile: dropping it ends the
    /// instance.
    pub fn serve(&self, instance: Instance) -> impl Future<Output = ()> + Send + 'static {
        let listener = self.listener.try_clone().and_then(|listener| {
            listener.set_nonblocking(true)?;
            Ok(listener)
        });
        async move {
            let listener = match listener.and_then(tokio::net::UnixListener::from_std) {
                Ok(listener) => listener,
                Err(error) => {
                    tracing::warn!("the instance socket cannot be served: {error}");
                    return;
                }
            };
            let instance = Arc::new(instance);
            let me = rustix::process::geteuid().as_raw();
            let mut backoff = AcceptBackoff::new();
            loop {
                let Some((stream, _)) = backoff.accepted(listener.accept().await).await else {
                    continue;
                };
                // The directory is the user's alone; this holds even where
                // it is not.
                match stream.peer_cred() {
                    Ok(peer) if peer.uid() == me => {
                        tokio::spawn(connection(stream, instance.clone()));
                    }
                    Ok(peer) => tracing::warn!("refused uid {} on the instance socket", peer.uid()),
                    Err(error) => {
                        tracing::warn!("refused a caller on the instance socket: {error}")
                    }
                }
            }
        }
    }
}

/// The user's private directory for the lock and the socket: the session's
/// runtime directory where there is one, else the user's cache; never a
/// shared temporary directory.
fn private_dir() -> io::Result<PathBuf> {
    let base = dirs::runtime_dir().or_else(dirs::cache_dir).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            "no private directory for the instance socket (neither XDG_RUNTIME_DIR nor HOME is set)",
        )
    })?;
    let dir = base.join("pkce-tray");
    DirBuilder::new().recursive(true).mode(0o700).create(&dir)?;
    make_private(&dir)?;
    Ok(dir)
}

/// Refuses a directory of another user's, and closes one that others
/// could enter.
fn make_private(dir: &Path) -> io::Result<()> {
    let metadata = std::fs::metadata(dir)?;
    if metadata.uid() != rustix::process::geteuid().as_raw() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} belongs to another user", dir.display()),
        ));
    }
    if metadata.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Finds the running instance, or becomes it. Two processes that start at
/// the same moment end with one instance: the lock decides, and the loser
/// connects once the winner listens.
pub fn claim() -> io::Result<Claim> {
    claim_in(&private_dir()?)
}

pub(super) fn claim_in(dir: &Path) -> io::Result<Claim> {
    let socket = dir.join(SOCKET);
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(stream) = UnixStream::connect(&socket) {
            return Ok(Claim::Running(Connection::new(stream)?));
        }
        let lock = open_lock(dir)?;
        match lock.try_lock() {
            Ok(()) => {
                // The lock is ours: a socket file left is a crashed
                // instance's.
                let _ = std::fs::remove_file(&socket);
                let listener = UnixListener::bind(&socket)?;
                std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
                return Ok(Claim::First(Held {
                    listener,
                    path: socket,
                    _lock: lock,
                }));
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(error)) => return Err(error),
        }
        // Another process holds the lock and is about to listen.
        pause_until(deadline, Duration::from_millis(20), NO_ANSWER)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_claim_holds_and_later_ones_connect() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First(held) = claim_in(dir.path()).unwrap() else {
            panic!("the first claim becomes the instance");
        };
        let mode = std::fs::metadata(dir.path().join(SOCKET)).unwrap().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(matches!(claim_in(dir.path()).unwrap(), Claim::Running(_)));
        drop(held);
        assert!(
            !dir.path().join(SOCKET).exists(),
            "the socket goes with the instance"
        );
        assert!(matches!(claim_in(dir.path()).unwrap(), Claim::First(_)));
    }

    #[test]
    fn a_socket_left_by_a_crashed_instance_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        drop(std::os::unix::net::UnixListener::bind(dir.path().join(SOCKET)).unwrap());
        assert!(matches!(claim_in(dir.path()).unwrap(), Claim::First(_)));
    }

    #[test]
    fn claims_at_the_same_moment_end_with_one_instance() {
        let dir = tempfile::tempdir().unwrap();
        let claims: Vec<Claim> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| claim_in(dir.path()).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let first = claims
            .iter()
            .filter(|c| matches!(c, Claim::First(_)))
            .count();
        assert_eq!(first, 1);
    }

    #[test]
    fn a_directory_others_could_enter_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        make_private(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path()).unwrap().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
