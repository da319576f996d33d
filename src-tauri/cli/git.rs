//! git's credential helper protocol (gitcredentials(7)): for the hosts the
//! configuration lists, the user name and a fresh access token; for any
//! other, nothing, so git asks its next helper.

use std::collections::HashMap;
use std::io::Read;
use std::process::ExitCode;

use super::print;
use crate::engine::config::{Config, Flags};
use crate::engine::text::inert;
use crate::instance::wire::{Command, Reply};

/// The operations git calls a helper with.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Operation {
    /// Answer with credentials, or nothing.
    Get,
    /// git keeps credentials that worked: accepted and ignored.
    Store,
    /// git drops credentials that failed: accepted and ignored.
    Erase,
}

/// The longest description git is expected to send.
const INPUT_LIMIT: u64 = 64 * 1024;

/// Answers one call from git; always exits 0, so git goes on to its next
/// helper whatever happened here (said on stderr).
pub fn run(operation: Operation, flags: &Flags) -> ExitCode {
    let mut input = String::new();
    let _ = std::io::stdin()
        .lock()
        .take(INPUT_LIMIT)
        .read_to_string(&mut input);
    let Operation::Get = operation else {
        return ExitCode::SUCCESS;
    };
    let asked = attributes(&input);
    // Without a configuration there are no listed hosts: silent.
    let Ok(config) = Config::resolve(flags) else {
        return ExitCode::SUCCESS;
    };
    if !listed(&config.git_hosts, &asked) {
        return ExitCode::SUCCESS;
    }
    match super::talk::ask(Command::Token { min_valid: 60 }, flags, |_| {}) {
        Ok(Reply::Token {
            access_token,
            expires_at,
        }) => {
            // One line each: a user name with a line break would forge
            // another attribute.
            let username = config.git_username.replace(['\n', '\r'], "");
            print::out(format_args!(
                "username={username}\npassword={access_token}\npassword_expiry_utc={expires_at}"
            ));
        }
        // git then asks its next helper, or the person.
        Ok(Reply::Failed { message, .. }) => print::note(format_args!(
            "pkce-tray: no token for git: {}",
            inert(&message)
        )),
        Err(error) => print::note(format_args!("pkce-tray: no token for git: {error}")),
        Ok(_) => {}
    }
    ExitCode::SUCCESS
}

/// `key=value` lines up to a blank line or the end.
fn attributes(input: &str) -> HashMap<&str, &str> {
    input
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once('='))
        .collect()
}

/// Whether git asks for an https host in the list (`host` or `host:port`,
/// as git names it; case does not matter). A token never goes over
/// plain http.
fn listed(hosts: &[String], asked: &HashMap<&str, &str>) -> bool {
    asked.get("protocol") == Some(&"https")
        && asked.get("host").is_some_and(|host| {
            hosts
                .iter()
                .any(|listed| listed.trim().eq_ignore_ascii_case(host))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_https_hosts_get_the_token() {
        let hosts = vec![
            "git.example.com".to_owned(),
            " code.example.org:8443".to_owned(),
        ];
        let ask = |text: &'static str| listed(&hosts, &attributes(text));
        assert!(ask(
            "protocol=https\nhost=git.example.com\npath=a/b.git\n\n"
        ));
        assert!(ask("protocol=https\nhost=GIT.example.com\n"));
        assert!(ask("protocol=https\nhost=code.example.org:8443\n"));
        assert!(!ask("protocol=http\nhost=git.example.com\n"));
        assert!(!ask("protocol=https\nhost=github.com\n"));
        assert!(!ask("protocol=https\nhost=code.example.org\n"));
        assert!(!ask("host=git.example.com\n"));
        assert!(!ask("\nprotocol=https\nhost=git.example.com\n"));
        assert!(!ask(""));
    }
}
