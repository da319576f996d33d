//! Shell completions that ask pkce-tray itself at every Tab (clap's
//! completion engine): the commands and flags of the binary installed,
//! and the account names of the configuration as it is now.

use std::ffi::OsStr;

use clap::{CommandFactory, Parser};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::{CompleteEnv, Shell};

use super::Cli;
use crate::engine::config::{Config, Flags};

/// The environment variable that makes a run a completion request.
const VAR: &str = "COMPLETE";

/// The command line, its account names completed from the configuration.
fn command() -> clap::Command {
    let names = || ArgValueCompleter::new(account_names);
    Cli::command()
        .mut_arg("account", |arg| arg.add(names()))
        .mut_subcommand("accounts", |accounts| {
            accounts.mut_subcommand("default", |default| {
                default.mut_arg("name", |arg| arg.add(names()))
            })
        })
}

/// Answers a completion request and exits, when this run is one; before
/// anything else is written to stdout.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(command).var(VAR).complete();
}

/// The configured accounts whose names start with what is typed, each
/// with its issuer as the help.
fn account_names(typed: &OsStr) -> Vec<CompletionCandidate> {
    let typed = typed.to_string_lossy();
    let Ok(config) = Flags::try_parse_from(["pkce-tray"])
        .map_err(|_| ())
        .and_then(|flags| Config::resolve(&flags).map_err(|_| ()))
    else {
        return Vec::new();
    };
    config
        .accounts
        .into_iter()
        .filter(|account| account.name.starts_with(typed.as_ref()))
        .map(|account| {
            let issuer = account.issuer.to_string();
            CompletionCandidate::new(account.name).help(Some(issuer.into()))
        })
        .collect()
}

/// The script that registers the completions with `shell`: each Tab runs
/// `pkce-tray` to complete, so they follow the binary and the
/// configuration as they are.
pub fn registration(shell: Shell) -> std::io::Result<Vec<u8>> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::PowerShell => &Powershell,
        other => return Err(std::io::Error::other(format!("no completions for {other}"))),
    };
    let mut script = Vec::new();
    completer.write_registration(VAR, "pkce-tray", "pkce-tray", "pkce-tray", &mut script)?;
    Ok(script)
}
