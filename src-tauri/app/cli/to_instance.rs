//! A command sent to the one instance per user: the running one answers
//! it, or, where none runs, this process becomes the instance for as long
//! as the command takes.

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::instance::serve::{self, Calls, Instance};
use crate::instance::wire::{line, Command, Reply, Request, StatusReport};
use crate::instance::{self, Claim, Connection, InstanceLock};
use crate::service;
use pkce_tray_engine::config::{Config, ConfigError, Flags};

/// Why a command got no answer from an instance, in plain words.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("cannot reach pkce-tray: {0}")]
    Unreachable(std::io::Error),
    #[error("cannot talk to pkce-tray: {0}")]
    Broken(std::io::Error),
    #[error("pkce-tray did not answer within {0} s")]
    TimedOut(u64),
    #[error(
        "the running pkce-tray does not understand this command; is it another version? Restart it"
    )]
    OtherVersion,
    #[error("pkce-tray kept going away while asked; try again")]
    WentAway,
    #[error("no pkce-tray is running, and this one cannot start: {0}")]
    NoConfig(ConfigError),
    #[error("no pkce-tray is running, and this one cannot start: {0}")]
    CannotStart(String),
}

/// The final answer to `command`. An instance that goes away before
/// answering (a command like this one, ending; an app that quits) is
/// looked for again until the command's time is up: whoever holds the
/// instance then answers, or this process becomes it.
pub fn request(
    command: Command,
    flags: &Flags,
    mut interim: impl FnMut(&Reply),
) -> Result<Reply, InstanceError> {
    let deadline = Instant::now() + command.patience();
    loop {
        match instance::claim().map_err(InstanceError::Unreachable)? {
            Claim::Running(mut connection) => {
                if let Some(reply) = exchange(&mut connection, &command, &mut interim)? {
                    return Ok(reply);
                }
            }
            Claim::First(held) => return run_here(held, command, flags, interim),
        }
        if Instant::now() >= deadline {
            return Err(InstanceError::WentAway);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a failed read or write means the instance went away, rather
/// than that something is broken.
fn went_away(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof
            | ErrorKind::NotConnected
    )
}

/// One request, its answers. `None`: the instance went away before the
/// last.
fn exchange(
    connection: &mut Connection,
    command: &Command,
    interim: &mut impl FnMut(&Reply),
) -> Result<Option<Reply>, InstanceError> {
    if connection
        .send(&line(&Request::Command(command.clone())))
        .is_err()
    {
        return Ok(None);
    }
    loop {
        let answer = match connection.next_line(command.patience()) {
            Ok(Some(answer)) if answer.ends_with('\n') => answer,
            // Cut short: the instance ended mid-line.
            Ok(_) => return Ok(None),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(InstanceError::TimedOut(command.patience().as_secs()))
            }
            Err(error) if went_away(&error) => return Ok(None),
            Err(error) => return Err(InstanceError::Broken(error)),
        };
        let reply: Reply =
            serde_json::from_str(&answer).map_err(|_| InstanceError::OtherVersion)?;
        if reply.is_final() {
            return Ok(Some(reply));
        }
        interim(&reply);
    }
}

/// No instance runs: this process is one while the command runs, with
/// the engine, the socket (a command from elsewhere meanwhile is answered
/// here, not by a second engine) and, for a sign-in, the API (the browser
/// comes back to it).
fn run_here(
    held: InstanceLock,
    command: Command,
    flags: &Flags,
    mut interim: impl FnMut(&Reply),
) -> Result<Reply, InstanceError> {
    let config = Config::resolve(flags).map_err(InstanceError::NoConfig)?;
    service::runtime().block_on(async move {
        // The API only where the browser comes back to it.
        let engine = if matches!(command, Command::SignIn { .. }) {
            service::start(config)
                .await
                .map_err(InstanceError::CannotStart)?
                .serve_in_background()
        } else {
            service::engine_only(config).await
        };
        let calls = Calls::default();
        let serving = tokio::spawn(held.serve(Instance {
            engine: engine.clone(),
            // A launch meanwhile waits for the app it starts.
            on_launch: Box::new(|_| false),
            calls: calls.clone(),
        }));
        let (replies, mut outgoing) = mpsc::channel(4);
        // Ctrl-C ends this process, and the attempt with it.
        let work = serve::run(&engine, command, &replies, std::future::pending());
        tokio::pin!(work);
        let last = loop {
            tokio::select! {
                Some(reply) = outgoing.recv() => interim(&reply),
                last = &mut work => break last,
            }
        };
        while let Ok(reply) = outgoing.try_recv() {
            interim(&reply);
        }
        // Commands from elsewhere that this engine took are answered,
        // and what reached the provider is kept, before another process
        // may hold the session.
        serving.abort();
        calls.drained(serve::GRACE).await;
        engine.quiesce().await;
        drop(held);
        // The API served only this command: it is not there for others.
        Ok(match last {
            Reply::Status(report) => Reply::Status(StatusReport {
                api: None,
                ..report
            }),
            Reply::Statuses { mut accounts } => {
                for account in &mut accounts {
                    account.status.api = None;
                }
                Reply::Statuses { accounts }
            }
            other => other,
        })
    })
}
