//! The HTTP server loop, hardened against slow and numerous clients (issue 10): HTTP/1 by
//! hyper with a header-read timeout (which also ends idle keep-alive connections), an idle
//! timeout on every connection (nothing read or written), a cap on open connections (the ones
//! over it get a bare 503 and are closed at once, so the backlog never fills), and graceful
//! shutdown. `axum::serve` has none of these knobs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::config::HttpSettings;

mod idle;

/// What the accept loop enforces.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// How long shutdown waits for open connections to finish.
    pub shutdown_grace: Duration,
}

impl ServerLimits {
    pub fn from_settings(s: &HttpSettings) -> Self {
        Self {
            header_read_timeout: Duration::from_secs(s.header_read_timeout_seconds),
            idle_timeout: Duration::from_secs(s.idle_timeout_seconds),
            max_connections: s.max_connections,
            shutdown_grace: Duration::from_secs(s.request_timeout_seconds),
        }
    }
}

/// Binds `addr` ("host:port") with a listen backlog of `backlog` connections (tokio's default
/// is 1,024: a burst larger than that makes clients wait for a SYN retransmit, a second).
pub async fn bind(addr: &str, backlog: u32) -> std::io::Result<TcpListener> {
    let mut last = None;
    for a in tokio::net::lookup_host(addr).await? {
        let socket = if a.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        match socket.bind(a).and_then(|()| socket.listen(backlog)) {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, format!("{addr}: no address"))))
}

/// The listen backlog for `max_connections`: at least 1,024, at most 65,535.
pub fn backlog(max_connections: usize) -> u32 {
    max_connections.clamp(1024, 65_535) as u32
}

/// Sent to a connection over the cap before it is closed.
const BUSY: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// Serves `router` on `listener` until `shutdown` is cancelled, then waits up to
/// `shutdown_grace` for open requests.
pub async fn serve(listener: TcpListener, router: Router, limits: ServerLimits, shutdown: CancellationToken) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    let open = Arc::new(AtomicU64::new(0));
    loop {
        let stream = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // EMFILE and friends: the connection stays queued; try again shortly
                    tracing::warn!(error = %e, "cannot accept a connection");
                    metrics::counter!("horme_http_accept_errors_total").increment(1);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            metrics::counter!("horme_http_connections_refused_total").increment(1);
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (io, activity) = idle::IdleIo::new(stream);
        let conn = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(router.clone()));
        let conn = graceful.watch(conn);
        let open = Arc::clone(&open);
        let idle_timeout = limits.idle_timeout;
        tokio::spawn(async move {
            let n = open.fetch_add(1, Ordering::Relaxed) + 1;
            metrics::gauge!("horme_http_open_connections").set(n as f64);
            tokio::select! {
                r = conn => {
                    if let Err(e) = r {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                _ = idle::expired(&activity, idle_timeout) => {
                    tracing::debug!("idle connection closed");
                }
            }
            let n = open.fetch_sub(1, Ordering::Relaxed) - 1;
            metrics::gauge!("horme_http_open_connections").set(n as f64);
            drop(permit);
        });
    }
    drop(listener);
    let started = Instant::now();
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!(waited_ms = started.elapsed().as_millis() as u64, "HTTP connections closed"),
        _ = tokio::time::sleep(limits.shutdown_grace) => tracing::warn!("HTTP connections still open after the grace period"),
    }
}

/// Answers a connection over the cap with a bare 503 and closes it; what the client sent is
/// read (for at most 200 ms) so that the close does not reset the answer away.
async fn refuse(mut stream: TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = tokio::time::timeout(Duration::from_millis(200), async {
        stream.write_all(BUSY).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 1024];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}
