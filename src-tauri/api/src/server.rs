//! The API's sockets: loopback only, this user only, and bounded, so that
//! no local process can hold the server up or exhaust its descriptors.
//! HTTP/1.1 alone (the clients speak nothing else), with a header timeout
//! from accept, a body timeout, a keep-alive limit, and a cap on open
//! connections: at the cap, a new connection takes the place of the oldest
//! one that never sent a whole request (headers and body), or is closed at
//! once.

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower::ServiceExt;

use pkce_tray_engine::config::{Config, FALLBACK_PORT};
use pkce_tray_engine::{lock, Engine};
use pkce_tray_local::{peer, AcceptBackoff};

/// How long a connection may take to send a request's headers, from
/// accept and between keep-alive requests: a client that trickles them
/// (slowloris), or opens a connection and idles, is dropped.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request's body may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at most; past it a new one is closed at once. Well
/// under the usual descriptor limit, so the app keeps descriptors for the
/// provider, the keychain and the window.
pub const MAX_CONNECTIONS: usize = 128;
/// Binds loopback only: 127.0.0.1 and [::1] on the same port, all or
/// none, since the SDKs call `localhost`, which many systems resolve to
/// ::1 first: a port half held would send those clients' codes and tokens
/// to whoever holds the other half. Port 1000 is the SDKs' default; where
/// either address is taken and the user did not ask for that port, the
/// documented fallback is used for both. Only a machine without IPv6 is
/// served on 127.0.0.1 alone.
pub async fn bind(config: &Config) -> io::Result<Vec<TcpListener>> {
    match bind_both(config.port).await {
        Err(error) if !config.port_explicit => {
            tracing::warn!(
                "cannot listen on port {} ({error}); using the fallback port {FALLBACK_PORT}",
                config.port
            );
            bind_both(FALLBACK_PORT).await
        }
        bound => bound,
    }
}

/// Both loopback addresses on `port` (a free one for 0, tried a few
/// times: the free IPv4 port may be taken on IPv6).
async fn bind_both(port: u16) -> io::Result<Vec<TcpListener>> {
    let mut tries = if port == 0 { 5 } else { 1 };
    loop {
        let v4_address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let v4 = listen(v4_address).map_err(|error| taken(v4_address, error))?;
        let chosen = v4.local_addr()?.port();
        let v6_address = SocketAddr::from((Ipv6Addr::LOCALHOST, chosen));
        match listen(v6_address) {
            Ok(v6) => return Ok(vec![v4, v6]),
            Err(error) if no_ipv6(&error) => {
                tracing::warn!(
                    "no IPv6 on this machine ({error}): the API listens on 127.0.0.1 alone"
                );
                return Ok(vec![v4]);
            }
            Err(error) if tries > 1 => {
                tracing::debug!("{v6_address} is taken ({error}); another free port");
                tries -= 1;
            }
            Err(error) => return Err(taken(v6_address, error)),
        }
    }
}

/// A listener on `address`; on Windows held exclusively, so no other
/// program can bind beside it and take its connections.
fn listen(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    #[cfg(windows)]
    super::exclusive::hold(&socket)?;
    // What std's bind does on Unix: a restarted app may bind again while
    // its old connections linger in TIME_WAIT.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(1024)
}

/// Whether binding [::1] failed because the machine has no IPv6 loopback.
fn no_ipv6(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::AddrNotAvailable | io::ErrorKind::Unsupported
    ) || error.raw_os_error().is_some_and(is_no_family)
}

#[cfg(unix)]
fn is_no_family(code: i32) -> bool {
    code == nix::errno::Errno::EAFNOSUPPORT as i32
}

#[cfg(not(unix))]
fn is_no_family(code: i32) -> bool {
    // WSAEAFNOSUPPORT
    code == 10047
}

/// An address that cannot be had, and who holds it where that can be told.
fn taken(address: SocketAddr, error: io::Error) -> io::Error {
    let holder = match peer::listener_owner(address) {
        Some(owner) => format!(", held by {owner}"),
        None => String::new(),
    };
    io::Error::new(error.kind(), format!("{address}: {error}{holder}"))
}

/// Serves on every listener (one port) until `shutdown` completes.
pub async fn serve(
    listeners: Vec<TcpListener>,
    engine: Arc<Engine>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let port = listeners
        .first()
        .ok_or_else(|| io::Error::other("no socket to serve on"))?
        .local_addr()?
        .port();
    let app = super::router(engine, port);
    let slots = Arc::new(Slots::default());
    let mut accepting = tokio::task::JoinSet::new();
    for listener in listeners {
        accepting.spawn(accept(listener, app.clone(), slots.clone()));
    }
    shutdown.await;
    accepting.abort_all();
    Ok(())
}

/// Accepts connections until aborted. Accept errors (such as running out
/// of file descriptors under a flood) pause accepting, longer each time in
/// a row; they never stop the server.
async fn accept(listener: TcpListener, app: Router, slots: Arc<Slots>) {
    let mut backoff = AcceptBackoff::default();
    loop {
        let Some((stream, _)) = backoff.accepted(listener.accept().await).await else {
            continue;
        };
        let Some(slot) = slots.take() else {
            tracing::debug!(
                "{MAX_CONNECTIONS} connections are open, each with a request; closed a new one"
            );
            continue;
        };
        let (app, slots) = (app.clone(), slots.clone());
        tokio::spawn(async move {
            tokio::select! {
                () = connection(stream, app, slot.clone()) => {}
                () = slot.evicted.notified() => {
                    tracing::debug!("closed a connection that sent no whole request, for a new one");
                }
            }
            slots.give_back(&slot);
        });
    }
}

/// One connection's place among the open ones.
struct Slot {
    /// Set once a whole request, body and all, has come: such a connection
    /// is a client's, never evicted. A body that stops short leaves it
    /// unset, so connections that hold the body back cannot fill the cap.
    served: AtomicBool,
    evicted: Notify,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Slots {
    open: Mutex<VecDeque<Arc<Slot>>>,
}

impl Slots {
    /// A place for a new connection: a free one, or the place of the
    /// oldest connection that has not sent a whole request yet.
    fn take(&self) -> Option<Arc<Slot>> {
        let mut open = lock(&self.open);
        if open.len() >= MAX_CONNECTIONS {
            let idle = open
                .iter()
                .position(|slot| !slot.served.load(Ordering::Relaxed))?;
            let evicted = open.remove(idle).expect("found above");
            evicted.evicted.notify_one();
        }
        let slot = Arc::new(Slot {
            served: AtomicBool::new(false),
            evicted: Notify::new(),
        });
        open.push_back(slot.clone());
        Some(slot)
    }

    fn give_back(&self, slot: &Arc<Slot>) {
        lock(&self.open).retain(|open| !Arc::ptr_eq(open, slot));
    }
}

/// One connection: refused before a byte is read when another user's
/// process opened it, else served as HTTP/1.1.
async fn connection(mut stream: TcpStream, app: Router, slot: Arc<Slot>) {
    let verdict = match (stream.local_addr(), stream.peer_addr()) {
        // The kernel's table is a file, slow to read on some systems: off
        // the runtime, so other connections are not held up.
        (Ok(local), Ok(peer)) => tokio::task::spawn_blocking(move || peer::check(local, peer))
            .await
            .unwrap_or_else(|error| Err(peer::PeerError::Unknown(error.to_string()))),
        (Err(error), _) | (_, Err(error)) => Err(peer::PeerError::Unknown(error.to_string())),
    };
    if let Err(refusal) = verdict {
        tracing::warn!("refused a connection: {refusal}");
        let body = serde_json::json!({
            "error": "forbidden_user",
            "error_description": refusal.to_string(),
        })
        .to_string();
        let answer = format!(
            "HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\nx-content-type-options: nosniff\r\n\r\n{body}",
            body.len()
        );
        let _ = tokio::time::timeout(HEADER_TIMEOUT, stream.write_all(answer.as_bytes())).await;
        return;
    }
    let service = hyper::service::service_fn(|request: hyper::Request<Incoming>| {
        app.clone()
            .oneshot(request.map(|body| TrackedBody::new(body, slot.clone())))
    });
    // A client that goes away mid-request is no error of ours.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// A request's body that marks its connection served once it has all come.
struct TrackedBody {
    body: Incoming,
    slot: Arc<Slot>,
}

impl TrackedBody {
    fn new(body: Incoming, slot: Arc<Slot>) -> Self {
        let whole = Self { body, slot };
        whole.mark_if_ended();
        whole
    }

    fn mark_if_ended(&self) {
        if self.body.is_end_stream() {
            self.slot.served.store(true, Ordering::Relaxed);
        }
    }
}

impl Body for TrackedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let frame = Pin::new(&mut self.body).poll_frame(cx);
        if matches!(frame, Poll::Ready(None)) {
            self.slot.served.store(true, Ordering::Relaxed);
        } else {
            self.mark_if_ended();
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
