//! Shell completions that ask pkce-tray itself at every Tab (clap's
//! completion engine): the commands and flags of the binary installed,
//! and the account names of the configuration as it is now.

use std::ffi::OsStr;

use clap::{CommandFactory, Parser};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Shells, Zsh};
use clap_complete::{CompleteEnv, Shell};

use super::Cli;
use pkce_tray_engine::config::{Config, Flags};

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

/// The shells completed, bash quoting what it inserts.
const SHELLS: Shells<'static> = Shells(&[&QuotingBash, &Elvish, &Fish, &Powershell, &Zsh]);

/// Answers a completion request and exits, when this run is one; before
/// anything else is written to stdout.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(command)
        .var(VAR)
        .shells(SHELLS)
        .complete();
}

/// bash as clap registers it, but each candidate escaped for bash's
/// command line: bash inserts what the completer prints as it is, so a
/// file named `cfg;touch PWNED;.toml` (a cloned repository, an unpacked
/// archive) would otherwise become a command on Enter. zsh's `_describe`
/// and fish quote what they insert themselves.
struct QuotingBash;

impl EnvCompleter for QuotingBash {
    fn name(&self) -> &'static str {
        Bash.name()
    }

    fn is(&self, name: &str) -> bool {
        Bash.is(name)
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        Bash.write_registration(var, name, bin, completer, buf)
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        args: Vec<std::ffi::OsString>,
        current_dir: Option<&std::path::Path>,
        buf: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut candidates = Vec::new();
        Bash.write_complete(cmd, args, current_dir, &mut candidates)?;
        // The separator the registration chose (`_CLAP_IFS`).
        let separator = std::env::var("_CLAP_IFS").unwrap_or_else(|_| "\n".into());
        let candidates = String::from_utf8_lossy(&candidates);
        let quoted: Vec<String> = candidates
            .split(separator.as_str())
            .filter_map(quoted_for_bash)
            .collect();
        buf.write_all(quoted.join(&separator).as_bytes())
    }
}

/// `candidate` as bash reads it back as one word, every character that
/// means something to bash escaped; none for one with control characters
/// (no file name worth offering has them).
fn quoted_for_bash(candidate: &str) -> Option<String> {
    if candidate.chars().any(char::is_control) {
        return None;
    }
    let plain = |c: char| c.is_alphanumeric() || "_-./:=@%+,^".contains(c);
    Some(candidate.chars().fold(String::new(), |mut quoted, c| {
        if !plain(c) {
            quoted.push('\\');
        }
        quoted.push(c);
        quoted
    }))
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
    let completer = SHELLS
        .completer(&shell.to_string())
        .ok_or_else(|| std::io::Error::other(format!("no completions for {shell}")))?;
    let mut script = Vec::new();
    completer.write_registration(VAR, "pkce-tray", "pkce-tray", "pkce-tray", &mut script)?;
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_gets_every_candidate_as_one_inert_word() {
        assert_eq!(quoted_for_bash("status").as_deref(), Some("status"));
        assert_eq!(
            quoted_for_bash("dir/cfg.toml").as_deref(),
            Some("dir/cfg.toml")
        );
        assert_eq!(
            quoted_for_bash("cfg;touch PWNED;.toml").as_deref(),
            Some("cfg\\;touch\\ PWNED\\;.toml")
        );
        assert_eq!(
            quoted_for_bash("$(id)`id`&|<>'\"*?~!#").as_deref(),
            Some("\\$\\(id\\)\\`id\\`\\&\\|\\<\\>\\'\\\"\\*\\?\\~\\!\\#")
        );
        assert_eq!(quoted_for_bash("a\nb"), None);
    }
}
