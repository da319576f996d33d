//! Terminal commands beside the app: run them, read what they printed.

use std::io::{BufRead, BufReader, Lines};
use std::process::{ChildStdout, Command, Output, Stdio};
use std::time::Duration;

use super::{App, Guard};

/// Runs a command to its end, within a minute.
pub fn run(command: Command) -> Output {
    super::output(command, Duration::from_secs(60))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `pkce-tray sign-in <how>` under way, and the lines it prints.
pub fn start_sign_in(app: &App, how: &str) -> (Guard, Lines<BufReader<ChildStdout>>) {
    let mut sign_in = app.cli(&["sign-in", how]);
    sign_in.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = Guard(sign_in.spawn().unwrap());
    let lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    (child, lines)
}

/// The person, on their phone: the device sign-in's address and code as
/// shown, entered at the provider (`device.mjs`, either provider's pages).
pub fn sign_in_on_another_device(address: &str, code: &str) {
    let mut person = Command::new("node");
    person
        .arg(super::repo().join("tests/provider/device.mjs"))
        .args([address, code]);
    let person = run(person);
    assert!(person.status.success(), "{}", stderr(&person));
}

/// Runs a command that must fail (exit 1, nothing on stdout) saying
/// `why` on stderr.
pub fn refused(command: Command, why: &str) {
    let output = run(command);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    assert!(stderr(&output).contains(why), "{}", stderr(&output));
}

/// `pkce-tray token`, checked to be a token alone.
pub fn token(app: &App, args: &[&str]) -> String {
    token_from(app.cli(&[&["token"], args].concat()))
}

/// What a `pkce-tray token` command printed, checked to be a token alone.
pub fn token_from(command: Command) -> String {
    let output = run(command);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    assert!(
        printed.ends_with('\n') && printed.lines().count() == 1,
        "{printed:?}"
    );
    printed.trim_end().to_owned()
}

/// What `pkce-tray git-credential get` answers git for an https `host`.
pub fn credential_for(app: &App, host: &str) -> String {
    use std::io::Write;
    let mut helper = app.cli(&["git-credential", "get"]);
    helper.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = helper.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("protocol=https\nhost={host}\n\n").as_bytes())
        .unwrap();
    stdout(&super::finish(child, Duration::from_secs(60)))
}

/// Starts `command` and waits for the first line it prints on stdout:
/// the process, still running, and that line.
pub fn first_line(mut command: Command) -> (Guard, String) {
    command.stdout(Stdio::piped());
    let mut child = Guard(command.spawn().unwrap());
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}
