//! The preview's connections: how many at once, how long a client may take, how they end.
//!
//! axum's own `serve` accepts without limit and waits forever for a request's head, so a few
//! hundred idle or slow sockets (slowloris: headers one byte a second) would take every file
//! descriptor and keep Ctrl-C waiting. Here:
//!
//! - At most [`MAX_CONNECTIONS`] are open. A new one past the cap closes the connection that
//!   has been idle longest (none of its requests under way: kept-alive, or still sending its
//!   head), so idle sockets never keep out a real request; only when every connection is
//!   busy does the new one wait for a slot.
//! - A request's head must arrive within [`HEADER_TIMEOUT`], on a new or a kept-alive
//!   connection (hyper's header timeout), and a client that stops reading a response is
//!   dropped after [`WRITE_STALL`].
//! - On shutdown, accepting stops, connections with no request under way close at once, and
//!   requests under way get [`DRAIN`] to finish before the rest are dropped.

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// Open connections at most. Browsers open six per host; the rest is room for tools and tabs.
pub const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send a request's head, from the connection's start or the end of
/// its previous response.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a write may wait for a client that does not read.
pub const WRITE_STALL: Duration = Duration::from_secs(30);
/// After the shutdown signal, how long requests under way may take to finish.
pub const DRAIN: Duration = Duration::from_secs(3);

/// One open connection, as the accept loop sees it.
struct Conn {
    /// Requests whose response is not yet fully sent.
    busy: AtomicUsize,
    /// When it last became idle, in milliseconds since the pool's start.
    idle_since: AtomicU64,
    /// Set when asked to close, so it is not chosen twice.
    evicted: AtomicBool,
    close: Notify,
}

#[derive(Default)]
struct Pool {
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Pool {
    fn now(start: Instant) -> u64 {
        u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Asks the connection idle longest to close; false when every connection is busy.
    fn evict_idlest(&self) -> bool {
        let conns = self.conns.lock().unwrap_or_else(PoisonError::into_inner);
        let idlest = conns
            .values()
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0 && !c.evicted.load(Ordering::SeqCst))
            .min_by_key(|c| c.idle_since.load(Ordering::SeqCst));
        match idlest {
            Some(c) => {
                c.evicted.store(true, Ordering::SeqCst);
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then drains (see the module docs).
pub async fn run(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let start = Instant::now();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let pool = Arc::new(Pool::default());
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut next_id = 0u64;
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors (or a connection reset before it was accepted):
                    // not fatal; give the open connections a moment to end.
                    if !matches!(e.kind(), io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
        };
        let permit = match Arc::clone(&slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                pool.evict_idlest();
                tokio::select! {
                    () = &mut shutdown => break,
                    permit = Arc::clone(&slots).acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break,
                    },
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let conn = Arc::new(Conn {
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(Pool::now(start)),
            evicted: AtomicBool::new(false),
            close: Notify::new(),
        });
        next_id += 1;
        let id = next_id;
        pool.conns.lock().unwrap_or_else(PoisonError::into_inner).insert(id, Arc::clone(&conn));
        let pool = Arc::clone(&pool);
        let app = app.clone();
        let stopped = stopped.clone();
        tokio::spawn(async move {
            serve_connection(stream, app, &conn, start, stopped).await;
            pool.conns.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    // Every slot back means every connection ended.
    let all = u32::try_from(MAX_CONNECTIONS).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, slots.acquire_many(all)).await;
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    conn: &Arc<Conn>,
    start: Instant,
    mut stopped: watch::Receiver<bool>,
) {
    let tracked = Arc::clone(conn);
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let busy = Busy::new(Arc::clone(&tracked), start);
        let app = app.clone();
        async move {
            let response = match app.oneshot(req.map(Body::new)).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            Ok::<_, Infallible>(response.map(|body| Body::new(Tracked { body, _busy: busy })))
        }
    });
    let io = TokioIo::new(Stall { io: stream, timer: None });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let connection = builder.serve_connection(io, service);
    let mut connection = std::pin::pin!(connection);
    let mut draining = false;
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            () = conn.close.notified() => return,
            _ = stopped.wait_for(|s| *s), if !draining => {
                // Nothing under way (kept alive, or a head still arriving): nothing to lose.
                if conn.busy.load(Ordering::SeqCst) == 0 {
                    return;
                }
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Marks its connection busy from a request's arrival until its response is sent or dropped.
struct Busy {
    conn: Arc<Conn>,
    start: Instant,
}

impl Busy {
    fn new(conn: Arc<Conn>, start: Instant) -> Busy {
        conn.busy.fetch_add(1, Ordering::SeqCst);
        Busy { conn, start }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.conn.idle_since.store(Pool::now(self.start), Ordering::SeqCst);
        self.conn.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A response body that keeps its connection marked busy until it is sent.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A socket whose writes fail once they have waited [`WRITE_STALL`] for a client that does
/// not read (hyper has no write timeout of its own).
struct Stall {
    io: TcpStream,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Stall {
    fn guard<T>(
        &mut self,
        cx: &mut Context<'_>,
        write: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match write(Pin::new(&mut self.io), cx) {
            Poll::Ready(r) => {
                self.timer = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let timer = self.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading")))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncRead for Stall {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stall {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.guard(cx, |io, cx| io.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.guard(cx, |io, cx| io.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.guard(cx, |io, cx| io.poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
