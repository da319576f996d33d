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
use pkce_tray_local::AcceptBackoff;

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
pub struct InstanceLock {
    listener: UnixListener,
    path: PathBuf,
    _lock: File,
}

impl Drop for InstanceLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl InstanceLock {
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
            let mut backoff = AcceptBackoff::default();
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

/// The user's private directory for the lock and the socket: in the home
/// the password database names, found from the user's identity alone,
/// never from a variable another program can change, so every process of
/// the user finds the same one. Not `/run/user/<uid>`, which a login makes
/// and a logout removes: an engine started without it (a cron job, `su -`,
/// a process outliving its session) would hold its lock elsewhere than
/// every command after the next login looks, and become one of two
/// engines on one keychain item. The home stays for the engine's life.
fn private_dir() -> io::Result<PathBuf> {
    let uid = rustix::process::geteuid().as_raw();
    private_dir_in(&home(uid)?, uid)
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

/// `.cache/pkce-tray/instance` in `home`, made private; every directory
/// on the way must be the user's own and closed to others' writes.
fn private_dir_in(home: &Path, uid: u32) -> io::Result<PathBuf> {
    let home_meta = std::fs::metadata(home)?;
    if home_meta.uid() != uid || home_meta.mode() & 0o022 != 0 {
        return Err(refused(home, "is not this user's own home"));
    }
    let mut dir = home.to_owned();
    for part in [".cache", "pkce-tray"] {
        dir.push(part);
        create(&dir)?;
        // Followed where a link (a cache on another disk): the home is
        // the user's alone, so is any link in it.
        let meta = std::fs::metadata(&dir)?;
        if !meta.is_dir() || meta.uid() != uid || meta.mode() & 0o022 != 0 {
            return Err(refused(&dir, "is not this user's own"));
        }
    }
    dir.push("instance");
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

/// Where releases before this one kept the socket (the runtime directory
/// where it was private, else the home's cache): an instance of one of
/// them that still runs, after an upgrade, is asked rather than joined by
/// a second engine.
fn earlier_sockets(uid: u32) -> Vec<PathBuf> {
    let mut places = vec![PathBuf::from(format!("/run/user/{uid}/pkce-tray/{SOCKET}"))];
    if let Ok(home) = home(uid) {
        places.push(home.join(".cache/pkce-tray").join(SOCKET));
    }
    places
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
    let uid = rustix::process::geteuid().as_raw();
    claim_in(&private_dir()?, &earlier_sockets(uid))
}

/// The directory a test finds the instance in.
pub fn directory() -> io::Result<PathBuf> {
    private_dir()
}

/// `earlier`: other sockets an instance of an earlier release may answer
/// on, asked after this one's.
pub(super) fn claim_in(dir: &Path, earlier: &[PathBuf]) -> io::Result<Claim> {
    let socket = dir.join(SOCKET);
    let deadline = Instant::now() + PATIENCE;
    loop {
        for place in std::iter::once(&socket).chain(earlier) {
            if let Ok(stream) = UnixStream::connect(place) {
                served_by_me(&stream)?;
                return Ok(Claim::Running(Connection::new(stream)?));
            }
        }
        let lock = open_lock(dir)?;
        match lock.try_lock() {
            Ok(()) => {
                // The lock is ours: a socket file left is a crashed
                // instance's.
                let _ = std::fs::remove_file(&socket);
                let listener = UnixListener::bind(&socket)?;
                std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
                return Ok(Claim::First(InstanceLock {
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
        let Claim::First(held) = claim_in(dir.path(), &[]).unwrap() else {
            panic!("the first claim becomes the instance");
        };
        let mode = std::fs::metadata(dir.path().join(SOCKET)).unwrap().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(matches!(
            claim_in(dir.path(), &[]).unwrap(),
            Claim::Running(_)
        ));
        drop(held);
        assert!(
            !dir.path().join(SOCKET).exists(),
            "the socket goes with the instance"
        );
        assert!(matches!(
            claim_in(dir.path(), &[]).unwrap(),
            Claim::First(_)
        ));
    }

    #[test]
    fn a_socket_left_by_a_crashed_instance_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        drop(std::os::unix::net::UnixListener::bind(dir.path().join(SOCKET)).unwrap());
        assert!(matches!(
            claim_in(dir.path(), &[]).unwrap(),
            Claim::First(_)
        ));
    }

    #[test]
    fn claims_at_the_same_moment_end_with_one_instance() {
        let dir = tempfile::tempdir().unwrap();
        let claims: Vec<Claim> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| claim_in(dir.path(), &[]).unwrap()))
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
    fn the_directory_is_in_the_home_and_only_the_users_own() {
        let home = tempfile::tempdir().unwrap();
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let dir = private_dir_in(home.path(), me()).unwrap();
        assert_eq!(dir, home.path().join(".cache/pkce-tray/instance"));
        let mode = std::fs::metadata(&dir).unwrap().mode();
        assert_eq!(mode & 0o777, 0o700);
        // A cache others may write in is refused, not used.
        std::fs::set_permissions(
            home.path().join(".cache"),
            std::fs::Permissions::from_mode(0o777),
        )
        .unwrap();
        let error = private_dir_in(home.path(), me()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied, "{error}");
    }

    #[test]
    fn an_instance_of_an_earlier_release_is_asked_not_joined() {
        let (earlier, now) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let Claim::First(_held) = claim_in(earlier.path(), &[]).unwrap() else {
            panic!("the earlier release's instance");
        };
        let place = [earlier.path().join(SOCKET)];
        assert!(matches!(
            claim_in(now.path(), &place).unwrap(),
            Claim::Running(_)
        ));
    }

    #[test]
    fn a_link_in_place_of_the_directory_is_refused_and_left_alone() {
        let home = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(elsewhere.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir_all(home.path().join(".cache/pkce-tray")).unwrap();
        std::os::unix::fs::symlink(
            elsewhere.path(),
            home.path().join(".cache/pkce-tray/instance"),
        )
        .unwrap();
        let error = private_dir_in(home.path(), me()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied, "{error}");
        let mode = std::fs::metadata(elsewhere.path()).unwrap().mode();
        assert_eq!(
            mode & 0o777,
            0o755,
            "what the link points to is not touched"
        );
    }

    #[test]
    fn a_path_too_long_for_a_socket_is_said_plainly() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("h".repeat(90));
        DirBuilder::new().mode(0o700).create(&home).unwrap();
        let error = private_dir_in(&home, me()).unwrap_err();
        assert!(error.to_string().contains("longer than"), "{error}");
    }
}
