//! The terminal's commands (`pkce-tray status`, `token`, `sign-in`, …):
//! each asks the running instance over its socket, or, where none runs,
//! does the work in this process while holding the instance lock, so two
//! processes never refresh the same grant at once.

mod complete;
mod git;
pub mod print;
mod to_instance;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::instance::wire::{Command as InstanceCommand, Reply};
pub use complete::answer_if_asked as answer_completion;
use pkce_tray_engine::config::Flags;
use pkce_tray_engine::text;
use to_instance::request;

/// The whole command line: the app's flags, and maybe a command.
#[derive(Debug, Parser)]
#[command(
    name = "pkce-tray",
    version,
    about = "Signs you in with OAuth 2.0 + PKCE and keeps you signed in, from the tray, the terminal and git.",
    after_help = "Without a command, starts the tray app (or, with --headless, the engine and the PKCE API alone)."
)]
pub struct Cli {
    #[command(flatten)]
    pub flags: Flags,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The terminal's commands: the same session as the tray's, from a shell.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Who is signed in, until when, and where the session is kept.
    /// Exits 0 when signed in, 1 when not.
    Status {
        /// One JSON object (its fields: docs/terminal.md); never a token. With
        /// --all, an array of them, one per account.
        #[arg(long)]
        json: bool,
        /// Every account; exits 0 when every one is signed in.
        #[arg(long, conflicts_with = "account")]
        all: bool,
    },
    /// Prints the access token alone, renewed first when it expires soon.
    /// Exits 1, saying why on stderr, when there is none to give.
    Token {
        /// Renew the token first when it expires within this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        min_valid: u64,
        /// A token for fewer of the account's scopes ("openid email"),
        /// asked for with its refresh token and kept in memory.
        #[arg(long, value_name = "SCOPES")]
        scope: Option<String>,
        /// A token for another API: RFC 8707's resource (Auth0's audience).
        #[arg(long, value_name = "URL")]
        audience: Option<String>,
    },
    /// Signs in, as the tray's Sign in does: in this machine's browser.
    SignIn {
        /// Print the address to open instead of opening a browser (over
        /// SSH: forward the API's port first, e.g. `ssh -L 1000:127.0.0.1:1000`).
        #[arg(long, conflicts_with = "device")]
        no_browser: bool,
        /// Sign in on another device with a code (RFC 8628), where the
        /// provider offers it: for machines with no browser at all.
        #[arg(long)]
        device: bool,
    },
    /// Signs out: revokes the session at the provider and forgets it.
    /// Other accounts stay signed in.
    SignOut,
    /// Lists the accounts; `accounts default NAME` makes one the default.
    Accounts {
        /// One JSON array: `name`, `default`, `issuer`, `signed_in` each.
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        change: Option<AccountsCommand>,
    },
    /// git's credential helper, for the hosts in `git_hosts`:
    /// `git config --global credential.helper '!pkce-tray git-credential'`.
    GitCredential {
        #[arg(value_enum)]
        operation: git::Operation,
    },
    /// Prints the script that registers shell completions (commands,
    /// flags and account names, asked of pkce-tray at each Tab):
    /// `pkce-tray completions bash`.
    Completions { shell: clap_complete::Shell },
}

/// What `accounts` changes.
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Makes NAME the default account (kept in the configuration file):
    /// the one the tray's icon, `/session` and commands without --account
    /// are about.
    Default {
        #[arg(value_name = "NAME")]
        name: String,
    },
}

/// Runs a command and says how it went in the exit code.
pub fn run(command: Command, flags: &Flags) -> ExitCode {
    let account = flags.account.clone();
    match command {
        Command::Completions { shell } => match complete::registration(shell) {
            Ok(script) => print::exit(
                std::io::Write::write_all(&mut std::io::stdout().lock(), &script).is_ok(),
            ),
            Err(error) => {
                print::note(format_args!("pkce-tray: {error}"));
                ExitCode::FAILURE
            }
        },
        Command::GitCredential { operation } => git::run(operation, flags),
        Command::Status { json, all: true } => {
            match request(InstanceCommand::StatusAll, flags, |_| {}) {
                Ok(Reply::Statuses { accounts }) => print::statuses(&accounts, json),
                other => print::failure(other),
            }
        }
        Command::Status { json, all: false } => {
            match request(InstanceCommand::Status { account }, flags, |_| {}) {
                Ok(Reply::Status(report)) => print::status(&report, json),
                other => print::failure(other),
            }
        }
        Command::Token {
            min_valid,
            scope,
            audience,
        } => {
            let command = InstanceCommand::Token {
                min_valid,
                account,
                scope,
                audience,
            };
            match request(command, flags, |_| {}) {
                Ok(Reply::Token { access_token, .. }) => print::exit(print::out(access_token)),
                other => print::failure(other),
            }
        }
        Command::Accounts { json, change } => {
            let command = match change {
                Some(AccountsCommand::Default { name }) => {
                    InstanceCommand::SetDefault { account: name }
                }
                None => InstanceCommand::Accounts,
            };
            match request(command, flags, |_| {}) {
                Ok(Reply::Accounts { accounts }) => print::accounts(&accounts, json),
                other => print::failure(other),
            }
        }
        Command::SignIn { no_browser, device } => {
            let command = if device {
                InstanceCommand::DeviceSignIn { account }
            } else {
                InstanceCommand::SignIn {
                    browser: !no_browser,
                    account,
                }
            };
            match request(command, flags, print::interim) {
                Ok(Reply::Status(report)) => print::signed_in(&report),
                other => print::failure(other),
            }
        }
        Command::SignOut => match request(InstanceCommand::SignOut { account }, flags, |_| {}) {
            Ok(Reply::Status(status)) => {
                print::note(text::escaped(
                    status.message.as_deref().unwrap_or("Signed out."),
                ));
                ExitCode::SUCCESS
            }
            other => print::failure(other),
        },
    }
}
