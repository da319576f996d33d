//! git's credential helper protocol (gitcredentials(7)): for a host an
//! account lists, that account's user name and a fresh access token; for
//! any other, nothing, so git asks its next helper.

use std::collections::HashMap;
use std::io::Read;
use std::process::ExitCode;

use super::print;
use crate::instance::wire::{Command, Reply};
use pkce_tray_engine::config::{AccountConfig, Config, Flags};
use pkce_tray_engine::text::escaped;

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
    let Some(account) = whose(&config, &asked) else {
        return ExitCode::SUCCESS;
    };
    let command = Command::Token {
        min_valid: 60,
        account: Some(account.name.clone()),
        scope: None,
        audience: None,
    };
    match super::to_instance::request(command, flags, |_| {}) {
        Ok(Reply::Token {
            access_token,
            expires_at,
        }) => {
            // One line each: a user name with a line break would forge
            // another attribute.
            let username = account.git_username.replace(['\n', '\r'], "");
            print::out(format_args!(
                "username={username}\npassword={access_token}\npassword_expiry_utc={expires_at}"
            ));
        }
        // git then asks its next helper, or the person.
        Ok(Reply::Failed { message, .. }) => print::note(format_args!(
            "pkce-tray: no token for git: {}",
            escaped(&message)
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

/// The account whose `git_hosts` list the https host git asks for. A
/// token never goes over plain http.
fn whose<'a>(config: &'a Config, asked: &HashMap<&str, &str>) -> Option<&'a AccountConfig> {
    if asked.get("protocol") != Some(&"https") {
        return None;
    }
    config.git_account(asked.get("host")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_https_hosts_get_a_token_and_each_its_accounts() {
        let issuer: url::Url = "https://id.example/".parse().unwrap();
        let mut work = AccountConfig::new("work", issuer.clone(), "c");
        work.git_hosts = vec!["git.example.com".into(), " code.example.org:8443".into()];
        let mut home = AccountConfig::new("home", issuer, "c");
        home.git_hosts = vec!["gitlab.example.net".into()];
        let config = Config::new(vec![work, home]);
        let ask = |text: &'static str| whose(&config, &attributes(text)).map(|a| a.name.as_str());
        assert_eq!(
            ask("protocol=https\nhost=git.example.com\npath=a/b.git\n\n"),
            Some("work")
        );
        assert_eq!(ask("protocol=https\nhost=GIT.example.com\n"), Some("work"));
        assert_eq!(
            ask("protocol=https\nhost=code.example.org:8443\n"),
            Some("work")
        );
        assert_eq!(
            ask("protocol=https\nhost=gitlab.example.net\n"),
            Some("home")
        );
        assert_eq!(ask("protocol=http\nhost=git.example.com\n"), None);
        assert_eq!(ask("protocol=https\nhost=github.com\n"), None);
        assert_eq!(ask("protocol=https\nhost=code.example.org\n"), None);
        assert_eq!(ask("host=git.example.com\n"), None);
        assert_eq!(ask("\nprotocol=https\nhost=git.example.com\n"), None);
        assert_eq!(ask(""), None);
    }
}
