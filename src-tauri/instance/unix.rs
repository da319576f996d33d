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

/// The longest socket path every Unix takes (`sun_path` is 104 bytes on
/// macOS, 108 on Linux, the last one a NUL).
const SOCKET_PATH_MAX: usize = 103;

/// The user's private directory for the lock and the socket, found from
/// the user's identity alone, never from a variable another program can
/// change: `/run/user/<uid>` where it is the user's own and private (the
/// session's runtime directory), else `.cache` in the home the password
/// database names. Every process of the user finds the same one, so there
/// is one instance per user whatever the environment.
fn private_dir() -> io::Result<PathBuf> {
    let uid = rustix::process::geteuid().as_raw();
    private_dir_in(Path::new(&format!("/run/user/{uid}")), || home(uid), uid)
}

/// The user's home, as the password database names it.
fn home(uid: u32) -> io::Result<PathBuf> {
    nix::unistd::User::from_uid(uid.into())
        .ok()
        .flatten()
        .map(|user| user.dir)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("user {uid} has no home directory in the password database"),
            )
        })
}

/// `home` is asked only where the runtime directory will not do.
fn private_dir_in(
    runtime: &Path,
    home: impl FnOnce() -> io::Result<PathBuf>,
    uid: u32,
) -> io::Result<PathBuf> {
    let base = match std::fs::symlink_metadata(runtime) {
        Ok(meta) if meta.is_dir() && meta.uid() == uid && meta.mode() & 0o077 == 0 => {
            runtime.to_owned()
        }
        _ => {
            let home = home()?;
            let home_meta = std::fs::metadata(&home)?;
            if home_meta.uid() != uid || home_meta.mode() & 0o022 != 0 {
                return Err(refused(&home, "is not this user's own home"));
            }
            let cache = home.join(".cache");
            create(&cache)?;
            let meta = std::fs::metadata(&cache)?;
            if meta.uid() != uid || meta.mode() & 0o022 != 0 {
                return Err(refused(&cache, "is not this user's own"));
            }
            cache
        }
    };
    let dir = base.join("pkce-tray");
    create(&dir)?;
    make_private(&dir, uid)?;
    let socket = dir.join(SOCKET);
    if socket.as_os_str().len() > SOCKET_PATH_MAX {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the instance socket's path, {}, is longer than a Unix socket's {SOCKET_PATH_MAX} bytes",
                socket.display()
            ),
        ));
    }
    Ok(dir)
}

/// A directory only the user can enter, made unless there.
fn create(dir: &Path) -> io::Result<()> {
    match DirBuilder::new().mode(0o700).create(dir) {
        Err(error) if error.kind() != io::ErrorKind::AlreadyExists => Err(error),
        _ => Ok(()),
    }
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} {why}: the instance socket is not kept there",
            path.display()
        ),
    )
}

/// Refuses a link or a directory of another user's, before anything is
/// changed; closes one the user's own that others could enter.
fn make_private(dir: &Path, uid: u32) -> io::Result<()> {
    let metadata = std::fs::symlink_metadata(dir)?;
    if metadata.file_type().is_symlink() || !metadata.is_dir() {
        return Err(refused(dir, "is not a directory but a link or a file"));
    }
    if metadata.uid() != uid {
        return Err(refused(dir, "belongs to another user"));
    }
    if metadata.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The account that serves a socket: only the user's own instance is
/// told a command (or handed a link).
fn served_by_me(stream: &UnixStream) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let uid =
        nix::sys::socket::getsockopt(stream, nix::sys::socket::sockopt::PeerCredentials)?.uid();
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let uid = nix::unistd::getpeereid(stream)?.0.as_raw();
    if uid == rustix::process::geteuid().as_raw() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("the instance socket is served by another user (uid {uid}); nothing was sent"),
        ))
    }
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
            served_by_me(&stream)?;
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

    fn me() -> u32 {
        rustix::process::geteuid().as_raw()
    }

    #[test]
    fn a_directory_others_could_enter_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        make_private(dir.path(), me()).unwrap();
        let mode = std::fs::metadata(dir.path()).unwrap().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn the_runtime_directory_serves_only_when_it_is_private() {
        let root = tempfile::tempdir().unwrap();
        let (runtime, home) = (root.path().join("run"), root.path().join("home"));
        for dir in [&runtime, &home] {
            DirBuilder::new().mode(0o700).create(dir).unwrap();
        }
        assert_eq!(
            private_dir_in(&runtime, || Ok(home.clone()), me()).unwrap(),
            runtime.join("pkce-tray")
        );
        // A runtime directory others may write in is not used: the home is.
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(
            private_dir_in(&runtime, || Ok(home.clone()), me()).unwrap(),
            home.join(".cache/pkce-tray")
        );
        // Nor is a missing one.
        assert_eq!(
            private_dir_in(&root.path().join("none"), || Ok(home.clone()), me()).unwrap(),
            home.join(".cache/pkce-tray")
        );
    }

    #[test]
    fn a_link_in_place_of_the_directory_is_refused_and_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let (runtime, elsewhere) = (root.path().join("run"), root.path().join("elsewhere"));
        DirBuilder::new().mode(0o700).create(&runtime).unwrap();
        DirBuilder::new().mode(0o755).create(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, runtime.join("pkce-tray")).unwrap();
        let error = private_dir_in(&runtime, || Ok(root.path().to_owned()), me()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied, "{error}");
        let mode = std::fs::metadata(&elsewhere).unwrap().mode();
        assert_eq!(
            mode & 0o777,
            0o755,
            "what the link points to is not touched"
        );
    }

    #[test]
    fn a_path_too_long_for_a_socket_is_said_plainly() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("h".repeat(110));
        DirBuilder::new().mode(0o700).create(&home).unwrap();
        let error =
            private_dir_in(&root.path().join("none"), || Ok(home.clone()), me()).unwrap_err();
        assert!(error.to_string().contains("longer than"), "{error}");
    }
}
