//! The instance's side of a connection: a later launch's arguments, or a
//! terminal command run by the engine with its answers streamed back. The
//! platform's module accepts only this user's callers; a caller that hangs
//! up abandons its own sign-in and nothing else.

use pkce_tray_i18n::Say;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_util::task::{task_tracker::TaskTrackerToken, TaskTracker};

use super::wire::{
    line, AccountReport, AccountStatusReport, Command, Reply, Request, StatusReport,
};
use super::PATIENCE;
use pkce_tray_engine::{Account, Engine, EngineError};

/// The longest request line.
const REQUEST_LINE: u64 = 64 * 1024;

/// How long an instance that ends waits for the calls it took.
pub const GRACE: Duration = Duration::from_secs(30);

/// The calls an instance is answering, so one that ends lets them finish.
#[derive(Clone, Default)]
pub struct Calls(TaskTracker);

impl Calls {
    /// InstanceLock while a call is answered.
    fn enter(&self) -> TaskTrackerToken {
        self.0.token()
    }

    /// Completes when no call is being answered, or after `limit`. Called
    /// once, as the instance ends (closing the tracker is what lets the
    /// wait complete).
    pub async fn drained(&self, limit: Duration) {
        self.0.close();
        let _ = timeout(limit, self.0.wait()).await;
    }
}

/// What the instance does with what arrives on its socket.
pub struct Instance {
    /// Runs the terminal's commands.
    pub engine: Arc<Engine>,
    /// A later launch's arguments. `false`: this instance will not take
    /// them (it runs a single terminal command and is about to end), and
    /// the launch tries again.
    pub on_launch: Box<dyn Fn(Vec<String>) -> bool + Send + Sync>,
    /// The calls being answered.
    pub calls: Calls,
}

/// One caller, on whatever the platform's transport is.
pub(super) async fn connection(
    stream: impl AsyncRead + AsyncWrite + Send + 'static,
    instance: Arc<Instance>,
) {
    let _call = instance.calls.enter();
    let (read, mut write) = tokio::io::split(stream);
    let mut read = BufReader::new(read);
    let mut request = String::new();
    let got = timeout(
        PATIENCE,
        (&mut read).take(REQUEST_LINE).read_line(&mut request),
    )
    .await;
    let request = match got {
        Ok(Ok(_)) => serde_json::from_str::<Request>(&request).ok(),
        _ => None,
    };
    match request {
        Some(Request::Launch(args)) => {
            let answer = if (instance.on_launch)(args) {
                "ok\n"
            } else {
                "busy\n"
            };
            let _ = timeout(PATIENCE, write.write_all(answer.as_bytes())).await;
        }
        Some(Request::Command(command)) => {
            let (replies, mut outgoing) = mpsc::channel(4);
            let engine = instance.engine.clone();
            let patience = command.patience();
            // Not cancelled with the connection: a sign-in ends on its own
            // terms (cancelled when the caller hangs up), within its time.
            tokio::spawn(async move {
                let last = run(&engine, command, &replies, hung_up(read)).await;
                let _ = replies.send(last).await;
            });
            let answered = timeout(patience, async {
                while let Some(reply) = outgoing.recv().await {
                    match timeout(PATIENCE, write.write_all(line(&reply).as_bytes())).await {
                        Ok(Ok(())) => {}
                        _ => break,
                    }
                }
            })
            .await;
            if answered.is_err() {
                tracing::warn!(
                    "a terminal command did not end within {} s",
                    patience.as_secs()
                );
            }
        }
        None => {
            tracing::warn!("something unreadable arrived on the instance socket");
            let _ = timeout(PATIENCE, write.write_all(b"error\n")).await;
        }
    }
}

/// Completes when the caller closes its end: the terminal command was
/// stopped (Ctrl-C).
async fn hung_up(mut read: impl AsyncRead + Unpin) {
    let mut byte = [0u8; 64];
    loop {
        match read.read(&mut byte).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Runs one command; interim answers go to `replies`, the final one is
/// returned.
pub async fn run(
    engine: &Arc<Engine>,
    command: Command,
    replies: &mpsc::Sender<Reply>,
    hung_up: impl Future<Output = ()>,
) -> Reply {
    let status = |account: &Account| {
        Reply::Status(StatusReport::new(
            Some(account.name().to_owned()),
            account.status(),
            engine.api_url(),
        ))
    };
    let account = match &command {
        Command::Status { account }
        | Command::Token { account, .. }
        | Command::SignIn { account, .. }
        | Command::DeviceSignIn { account }
        | Command::SignOut { account } => engine.account_or_default(account.as_deref()),
        Command::StatusAll | Command::Accounts | Command::SetDefault { .. } => {
            Ok(engine.default_account())
        }
    };
    let account = match account {
        Ok(account) => account,
        Err(error) => return failed(&error),
    };
    let outcome = match command {
        Command::Status { .. } => return status(&account),
        Command::StatusAll => return statuses(engine),
        Command::Accounts => return accounts(engine),
        Command::SetDefault { account } => match engine.set_default_account(&account).await {
            Ok(()) => return accounts(engine),
            Err(error) => Err(error),
        },
        Command::Token {
            min_valid,
            scope,
            audience,
            ..
        } => {
            let min_valid = Duration::from_secs(min_valid);
            let token = match (scope, audience) {
                (None, None) => account.access_token(min_valid).await,
                (scope, audience) => {
                    account
                        .narrowed_token(scope.as_deref(), audience.as_deref(), min_valid)
                        .await
                }
            };
            match token {
                Ok((token, expires_at)) => {
                    return Reply::Token {
                        access_token: token.secret().to_owned(),
                        expires_at,
                    }
                }
                Err(error) => Err(error),
            }
        }
        Command::SignOut { .. } => account.sign_out().await.map(|_| ()),
        Command::SignIn { browser, .. } => {
            let sign_in = async {
                if browser {
                    account.sign_in().await
                } else {
                    account
                        .sign_in_showing(|url| {
                            let _ = replies.try_send(Reply::Open {
                                url: url.to_owned(),
                            });
                        })
                        .await
                }
            };
            until_hung_up(&account, sign_in, hung_up).await
        }
        Command::DeviceSignIn { .. } => {
            let sign_in = account.device_sign_in(|device| {
                let _ = replies.try_send(Reply::Device {
                    verification_uri: device.verification_uri.clone(),
                    verification_uri_complete: device.verification_uri_complete.clone(),
                    user_code: device.user_code.clone(),
                    expires_in: device.expires_in,
                });
            });
            until_hung_up(&account, sign_in, hung_up).await
        }
    };
    match outcome {
        Ok(()) => status(&account),
        Err(error) => failed(&error),
    }
}

/// `status --all`.
fn statuses(engine: &Engine) -> Reply {
    Reply::Statuses {
        accounts: engine
            .accounts_marked()
            .into_iter()
            .map(|(account, default)| AccountStatusReport {
                name: account.name().to_owned(),
                default,
                status: StatusReport::new(None, account.status(), engine.api_url()),
            })
            .collect(),
    }
}

/// `accounts`.
fn accounts(engine: &Engine) -> Reply {
    Reply::Accounts {
        accounts: engine
            .accounts_marked()
            .into_iter()
            .map(|(account, default)| AccountReport {
                name: account.name().to_owned(),
                default,
                issuer: account.config().issuer.to_string(),
                signed_in: account.status().signed_in(),
                redirect_uris: account.redirect_uris().into(),
            })
            .collect(),
    }
}

/// A sign-in that the caller may abandon: hanging up cancels it the way
/// the window's Cancel does, and it then ends on its own.
async fn until_hung_up(
    account: &Account,
    sign_in: impl Future<Output = Result<(), EngineError>>,
    hung_up: impl Future<Output = ()>,
) -> Result<(), EngineError> {
    tokio::pin!(sign_in);
    tokio::select! {
        // The sign-in first: its first step claims the window and the tray
        // (or finds them busy), so what a hang-up cancels is always its own.
        biased;
        outcome = &mut sign_in => outcome,
        () = hung_up => {
            tracing::info!("the terminal that asked for a sign-in went away; it is cancelled");
            account.cancel_sign_in();
            sign_in.await
        }
    }
}

fn failed(error: &EngineError) -> Reply {
    use pkce_tray_engine::session::SessionError;
    let code = error.code();
    let message = match error {
        EngineError::Session(SessionError::NotSignedIn) => {
            "Not signed in: sign in with `pkce-tray sign-in`, or from the tray.".into()
        }
        other => other.said().english(),
    };
    Reply::Failed {
        error: code.into(),
        message,
    }
}

#[cfg(test)]
pub(super) mod support {
    use std::sync::Arc;

    use pkce_tray_engine::browser::Browser;
    use pkce_tray_engine::config::{AccountConfig, Config};
    use pkce_tray_engine::vault::MemoryVault;
    use pkce_tray_engine::Engine;

    struct NoBrowser;

    impl Browser for NoBrowser {
        fn open(&self, _url: &str) -> Result<(), String> {
            Err("no browser in this test".into())
        }
    }

    /// An engine whose provider is nowhere: enough for what needs none.
    pub fn engine() -> Arc<Engine> {
        let account = AccountConfig::new(
            "default",
            "http://127.0.0.1:9/".parse().unwrap(),
            "pkce-tray-test",
        );
        let config = Config {
            port: 0,
            port_explicit: true,
            max_pending_flows: 8,
            ..Config::new(vec![account])
        };
        Engine::new(config, 0, Box::new(NoBrowser), |_| {
            Arc::new(MemoryVault::default())
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::path::PathBuf;

    use super::support::engine;
    use super::*;

    /// Serves a socket in a new directory; launches go to `launched`.
    fn socket(
        launched: mpsc::UnboundedSender<Vec<String>>,
    ) -> (tempfile::TempDir, super::super::InstanceLock, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let Ok(super::super::Claim::First(held)) = super::super::unix::claim_in(dir.path(), &[])
        else {
            panic!("a new directory has no instance");
        };
        let instance = Instance {
            engine: engine(),
            on_launch: Box::new(move |args| launched.send(args).is_ok()),
            calls: Calls::default(),
        };
        tokio::spawn(held.serve(instance));
        let path = dir.path().join("instance.sock");
        (dir, held, path)
    }

    async fn ask(path: &PathBuf, request: &[u8]) -> Vec<String> {
        let stream = tokio::net::UnixStream::connect(path).await.unwrap();
        let (read, mut write) = stream.into_split();
        write.write_all(request).await.unwrap();
        let mut lines = BufReader::new(read).lines();
        let mut answers = Vec::new();
        while let Ok(Ok(Some(line))) = timeout(Duration::from_secs(10), lines.next_line()).await {
            answers.push(line);
        }
        answers
    }

    #[tokio::test]
    async fn launches_and_commands_are_answered_and_garbage_is_refused() {
        let (launched, mut launches) = mpsc::unbounded_channel();
        let (_dir, _held, path) = socket(launched);
        let link = r#"["app.pkcetray.desktop:/x?y=1"]"#;
        assert_eq!(ask(&path, format!("{link}\n").as_bytes()).await, ["ok"]);
        assert_eq!(
            launches.recv().await.unwrap(),
            ["app.pkcetray.desktop:/x?y=1"]
        );

        assert_eq!(ask(&path, b"not json\n").await, ["error"]);
        assert_eq!(ask(&path, b"{\"command\":\"rm\"}\n").await, ["error"]);

        let status = ask(&path, b"{\"command\":\"status\"}\n").await;
        let Ok(Reply::Status(report)) = serde_json::from_str(&status[0]) else {
            panic!("a status answer: {status:?}");
        };
        assert!(!report.signed_in);
        let token = ask(&path, b"{\"command\":\"token\",\"min_valid\":60}\n").await;
        assert!(
            matches!(serde_json::from_str(&token[0]), Ok(Reply::Failed { error, .. }) if error == "not_signed_in"),
            "{token:?}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Whatever arrives on the socket is answered, within the wait,
        /// and the instance serves on: never a panic, never a stall.
        #[test]
        fn any_bytes_on_the_socket_are_answered(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let (launched, _launches) = mpsc::unbounded_channel();
                let (_dir, _held, path) = socket(launched);
                let mut request = bytes.clone();
                request.push(b'\n');
                let answers = ask(&path, &request).await;
                assert_eq!(answers.len(), 1, "{answers:?}");
                assert_eq!(ask(&path, b"[]\n").await, ["ok"]);
            });
        }
    }
}
