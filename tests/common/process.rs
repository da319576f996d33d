//! Child processes and waits: a guard that stops a process on drop, the
//! first line a process prints, an end within a limit, a free port, and
//! running a program as another user where the test may.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Reads lines from a child's pipe until one satisfies `found`, or fails
/// after `limit`.
pub(crate) fn wait_for_line(
    pipe: impl std::io::Read + Send + 'static,
    limit: Duration,
    what: &str,
    found: impl Fn(&str) -> Option<String> + Send + 'static,
) -> String {
    first_line(pipe, limit, found)
        .unwrap_or_else(|| panic!("{what} did not start within {limit:?}"))
}

/// The first value `found` makes of a line of the pipe, within `limit`.
pub(crate) fn first_line(
    pipe: impl std::io::Read + Send + 'static,
    limit: Duration,
    found: impl Fn(&str) -> Option<String> + Send + 'static,
) -> Option<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if let Some(value) = found(&line) {
                let _ = sender.send(value);
            }
        }
    });
    receiver.recv_timeout(limit).ok()
}

/// A child process that is stopped (SIGTERM, then SIGKILL) on drop.
pub struct Guard(pub Child);

impl Guard {
    pub fn stop(&mut self) {
        let pid = self.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether the tests run as root (CI does), who alone may run a process
/// as another user.
pub fn is_root() -> bool {
    #[cfg(unix)]
    return rustix::process::geteuid().is_root();
    #[cfg(not(unix))]
    return false;
}

/// The command prefix that runs a program as `nobody`, for the tests that
/// need another local user: they are ignored unless run as root, as
/// `./scripts/test` does when it is root.
pub fn as_nobody() -> [&'static str; 4] {
    assert!(is_root(), "only root may run a process as nobody");
    ["runuser", "-u", "nobody", "--"]
}

/// How a child ended, within `limit`; killed past it.
pub fn ended(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("a command did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A child's output once it ends, within `limit`; killed past it.
pub fn finish(mut child: Child, limit: Duration) -> std::process::Output {
    ended(&mut child, limit);
    child.wait_with_output().unwrap()
}

/// A command's output, within `limit`.
pub fn output(mut command: Command, limit: Duration) -> std::process::Output {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    finish(child, limit)
}

/// Waits until `check` holds, for at most `limit`; `what` names it in
/// the failure.
pub async fn eventually(what: &str, limit: Duration, check: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A port free on both loopback addresses now, for an app whose port a
/// provider must know before it starts (one that matches redirect URIs
/// exactly). Another process could take it meanwhile; on loopback, in a
/// test's own moment, none does.
pub fn free_port() -> u16 {
    loop {
        let v4 = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = v4.local_addr().unwrap().port();
        if std::net::TcpListener::bind(("::1", port)).is_ok() {
            return port;
        }
    }
}

/// Processes of the app under test whose HOME is `home` and whose name
/// starts with `name` (`comm`, cut at 15 characters by the kernel).
pub fn processes(home: &Path, name: &str) -> usize {
    process_ids(home, name).len()
}

pub(crate) fn process_ids(home: &Path, name: &str) -> Vec<String> {
    let marker = format!("HOME={}\0", home.display());
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|entry| {
            let dir = entry.path();
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            let environ = std::fs::read(dir.join("environ")).unwrap_or_default();
            comm.starts_with(name) && String::from_utf8_lossy(&environ).contains(&marker)
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Ends the processes [`processes`] finds, as a logout would (SIGTERM),
/// and waits until they are gone: SIGKILL for any still there after 10 s.
pub fn end_processes(home: &Path, name: &str) {
    let signal = |signal: &str| {
        for pid in process_ids(home, name) {
            let _ = Command::new("kill").args([signal, &pid]).status();
        }
    };
    signal("-TERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    while processes(home, name) > 0 {
        if Instant::now() > deadline {
            signal("-KILL");
        }
        assert!(
            Instant::now() < deadline + Duration::from_secs(10),
            "{name} outlived SIGKILL"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
