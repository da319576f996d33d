//! One pkce-tray per user. The instance holds a lock file and answers on a
//! Unix socket, both in a directory only the user can enter, in the home
//! (Windows: a lock file and a named pipe, see `windows.rs`): later
//! launches hand their arguments over there, and the terminal's commands
//! (`pkce-tray status`, `token`, …) ask the running engine there, never
//! over the HTTP API that every local user and web page can reach.

pub mod serve;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
#[allow(unsafe_code)] // the pipe's access rule and its peers' process ids: Win32 calls
mod windows;
pub mod wire;

#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
use windows as platform;

pub use platform::{claim, Connection, InstanceLock};
#[cfg(unix)]
pub use unix::directory;

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use wire::{line, Request};

/// How long either side waits on the other, and a launch on a starting
/// instance.
pub const PATIENCE: Duration = Duration::from_secs(5);
/// Why a claim gave up waiting.
const NO_ANSWER: &str = "another pkce-tray holds the instance lock but does not answer";
/// The longest line either side reads.
const LINE_LIMIT: u64 = 1024 * 1024;

/// The outcome of looking for the instance.
pub enum Claim {
    /// None ran: this process is the instance now.
    First(InstanceLock),
    /// One runs: talk to it on this connection.
    Running(Connection),
}

/// The lock file in the instance's private directory: whoever holds its
/// lock is the instance.
fn open_lock(dir: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("instance.lock"))
}

/// Pauses before the next try, or gives up with `why` once `deadline` has
/// passed.
fn pause_until(deadline: Instant, pause: Duration, why: &str) -> io::Result<()> {
    if Instant::now() >= deadline {
        return Err(io::Error::new(io::ErrorKind::TimedOut, why.to_owned()));
    }
    std::thread::sleep(pause);
    Ok(())
}

/// How long a launch waits for a terminal command that holds the instance
/// (it answers launches with `busy`) to end.
const LAUNCH_PATIENCE: Duration = Duration::from_secs(60);

/// Hands a later launch's arguments to the running instance, or becomes
/// it. `None`: handed over, this launch is done.
pub fn launch(args: &[String]) -> io::Result<Option<InstanceLock>> {
    let deadline = Instant::now() + LAUNCH_PATIENCE;
    loop {
        match claim()? {
            Claim::First(held) => return Ok(Some(held)),
            Claim::Running(mut connection) => {
                if hand_over(&mut connection, args)? {
                    return Ok(None);
                }
            }
        }
        // The instance runs one terminal command and is about to end.
        pause_until(
            deadline,
            Duration::from_millis(50),
            "a pkce-tray terminal command holds the instance; start the app again when it has ended",
        )?;
    }
}

/// `false`: the instance will not take them (it is ending).
fn hand_over(connection: &mut Connection, args: &[String]) -> io::Result<bool> {
    connection.send(&line(&Request::Launch(args.to_vec())))?;
    match connection.next_line(PATIENCE)?.as_deref().map(str::trim) {
        Some("ok") => Ok(true),
        Some("busy") => Ok(false),
        _ => Err(io::Error::other("the running instance refused the launch")),
    }
}
