//! Unix: the lock is a file locked with flock, the socket a Unix socket,
//! both in a directory only the user can enter.

use std::fs::{DirBuilder, File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::wire::{line, Request};
use super::PATIENCE;

const SOCKET: &str = "instance.sock";
const LOCK: &str = "instance.lock";

/// The outcome of looking for the instance.
pub enum Claim {
    /// None ran: this process is the instance now.
    First(Held),
    /// One runs: talk to it on this connection.
    Running(UnixStream),
}

/// The instance's lock and socket, held until dropped: the socket file
/// goes first, then the lock, so a later claimer never finds a socket
/// nobody answers on while the lock is still held.
pub struct Held {
    pub listener: UnixListener,
    path: PathBuf,
    _lock: File,
}

impl Drop for Held {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
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

/// Hands a later launch's arguments to the running instance, or becomes
/// it. `None`: handed over, this launch is done.
pub fn launch(args: &[String]) -> io::Result<Option<Held>> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match claim()? {
            Claim::First(held) => return Ok(Some(held)),
            Claim::Running(stream) => {
                if hand_over(&stream, args)? {
                    return Ok(None);
                }
            }
        }
        // The instance runs one terminal command and is about to end.
        if Instant::now() >= deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the running pkce-tray does not take launches",
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `false`: the instance will not take them (it is ending).
fn hand_over(stream: &UnixStream, args: &[String]) -> io::Result<bool> {
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.set_write_timeout(Some(PATIENCE))?;
    (&*stream).write_all(line(&Request::Launch(args.to_vec())).as_bytes())?;
    let mut answer = String::new();
    BufReader::new(stream).take(64).read_line(&mut answer)?;
    match answer.trim() {
        "ok" => Ok(true),
        "busy" => Ok(false),
        _ => Err(io::Error::other("the running instance refused the launch")),
    }
}

/// Finds the running instance, or becomes it. Two processes that start at
/// the same moment end with one instance: the lock decides, and the loser
/// connects once the winner listens.
pub fn claim() -> io::Result<Claim> {
    claim_in(&private_dir()?)
}

fn claim_in(dir: &Path) -> io::Result<Claim> {
    let socket = dir.join(SOCKET);
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(stream) = UnixStream::connect(&socket) {
            return Ok(Claim::Running(stream));
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))?;
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
        if Instant::now() >= deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "another pkce-tray holds the instance lock but does not answer",
            ));
        }
        // Another process holds the lock and is about to listen.
        std::thread::sleep(Duration::from_millis(20));
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
