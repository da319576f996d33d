//! One pkce-tray per desktop session. A later launch (an `app.pkcetray.desktop:` link
//! from the OS, or the app started again from the menu) hands its arguments
//! to the running instance over a Unix socket in the user's runtime
//! directory, and exits.

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::time::timeout;

use crate::api::server::AcceptBackoff;

/// How long either side waits on the other.
const PATIENCE: Duration = Duration::from_secs(5);

/// The outcome of starting: this launch is the instance, or it handed its
/// arguments to the one already running.
pub enum Claim {
    First(UnixListener),
    HandedOver,
}

fn socket_path() -> PathBuf {
    dirs::runtime_dir()
        .or_else(dirs::cache_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("pkce-tray.sock")
}

/// Hands `args` to a running instance, or becomes the instance.
pub async fn claim(args: &[String]) -> io::Result<Claim> {
    let path = socket_path();
    if let Ok(Ok(stream)) = timeout(PATIENCE, UnixStream::connect(&path)).await {
        timeout(PATIENCE, hand_over(stream, args))
            .await
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the running instance did not answer",
                )
            })??;
        return Ok(Claim::HandedOver);
    }
    // Nobody answers: a socket left by an instance that crashed.
    let _ = std::fs::remove_file(&path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(Claim::First(listener))
}

async fn hand_over(stream: UnixStream, args: &[String]) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = serde_json::to_string(args).map_err(io::Error::other)?;
    line.push('\n');
    write.write_all(line.as_bytes()).await?;
    let mut answer = String::new();
    BufReader::new(read).read_line(&mut answer).await?;
    match answer.trim() {
        "ok" => Ok(()),
        _ => Err(io::Error::other("the running instance refused the launch")),
    }
}

/// Takes later launches' arguments until the app ends.
pub async fn serve(
    listener: UnixListener,
    on_launch: impl Fn(Vec<String>) + Send + Sync + 'static,
) {
    let on_launch = std::sync::Arc::new(on_launch);
    let mut backoff = AcceptBackoff::new();
    loop {
        let Some((stream, _)) = backoff.accepted(listener.accept().await).await else {
            continue;
        };
        let on_launch = on_launch.clone();
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut line = String::new();
            let read = timeout(
                PATIENCE,
                BufReader::new(read.take(64 * 1024)).read_line(&mut line),
            )
            .await;
            let args = match read {
                Ok(Ok(_)) => serde_json::from_str::<Vec<String>>(&line).ok(),
                _ => None,
            };
            let answer = if let Some(args) = args {
                on_launch(args);
                "ok\n"
            } else {
                tracing::warn!("a later launch sent something unreadable on the instance socket");
                "error\n"
            };
            let _ = timeout(PATIENCE, write.write_all(answer.as_bytes())).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_later_launch_hands_its_arguments_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pkce-tray.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let (sent, mut received) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(serve(listener, move |args| {
            let _ = sent.send(args);
        }));
        let stream = UnixStream::connect(&path).await.unwrap();
        hand_over(stream, &["app.pkcetray.desktop:/x?y=1".into()])
            .await
            .unwrap();
        assert_eq!(
            received.recv().await.unwrap(),
            ["app.pkcetray.desktop:/x?y=1"]
        );

        // Garbage is refused, and the instance keeps serving.
        let mut stream = UnixStream::connect(&path).await.unwrap();
        stream.write_all(b"not json\n").await.unwrap();
        let mut answer = String::new();
        BufReader::new(stream).read_line(&mut answer).await.unwrap();
        assert_eq!(answer, "error\n");
        let stream = UnixStream::connect(&path).await.unwrap();
        hand_over(stream, &[]).await.unwrap();
        assert!(received.recv().await.unwrap().is_empty());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Whatever a later launch writes on the socket, the instance
        /// answers and serves on: never a panic, never a stall.
        #[test]
        fn any_bytes_on_the_instance_socket_are_answered(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("pkce-tray.sock");
                let listener = UnixListener::bind(&path).unwrap();
                tokio::spawn(serve(listener, |_| {}));
                let mut stream = UnixStream::connect(&path).await.unwrap();
                let _ = stream.write_all(&bytes).await;
                let _ = stream.write_all(b"\n").await;
                let mut answer = String::new();
                let read = timeout(Duration::from_secs(10), BufReader::new(stream).read_line(&mut answer)).await;
                assert!(read.is_ok(), "answered in time");
                assert!(answer == "ok\n" || answer == "error\n", "{answer:?}");
                let again = UnixStream::connect(&path).await.unwrap();
                hand_over(again, &["app.pkcetray.desktop:/x".into()]).await.unwrap();
            });
        }
    }
}
