//! A TCP proxy for tests that drops a connection at a chosen moment: once armed, the first
//! time the server's bytes contain `pattern`, it forwards only part of them and closes both
//! sides — an IMAP server that goes away in the middle of a FETCH. It can also play an outage:
//! while down, open connections are closed and new ones are closed as soon as they come. It
//! counts the connections it accepted (how often a client tried).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct CutProxy {
    pub port: u16,
    armed: Arc<AtomicBool>,
    cuts: Arc<AtomicUsize>,
    pattern: Arc<Vec<u8>>,
    down: Arc<watch::Sender<bool>>,
    connections: Arc<AtomicUsize>,
}

impl CutProxy {
    /// Listens on a free loopback port and forwards to `upstream_port` on 127.0.0.1.
    pub async fn start(upstream_port: u16, pattern: &[u8]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let armed = Arc::new(AtomicBool::new(false));
        let cuts = Arc::new(AtomicUsize::new(0));
        let pattern = Arc::new(pattern.to_vec());
        let down = Arc::new(watch::Sender::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let (a, c, p, d, n) = (
            armed.clone(),
            cuts.clone(),
            pattern.clone(),
            down.clone(),
            connections.clone(),
        );
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                n.fetch_add(1, Ordering::SeqCst);
                if *d.borrow() {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream_port)).await else {
                    continue;
                };
                tokio::spawn(pump(client, server, a.clone(), c.clone(), p.clone(), d.subscribe()));
            }
        });
        Self {
            port,
            armed,
            cuts,
            pattern,
            down,
            connections,
        }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The server goes away (every connection closed, new ones closed at once) or comes back.
    pub fn set_down(&self, down: bool) {
        self.down.send_replace(down);
    }

    /// The next server response containing the pattern is cut off.
    pub fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    pub fn cuts(&self) -> usize {
        self.cuts.load(Ordering::SeqCst)
    }

    pub fn pattern(&self) -> &[u8] {
        &self.pattern
    }
}

async fn pump(
    client: TcpStream,
    server: TcpStream,
    armed: Arc<AtomicBool>,
    cuts: Arc<AtomicUsize>,
    pattern: Arc<Vec<u8>>,
    mut down: watch::Receiver<bool>,
) {
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut cr, &mut sw).await;
    });
    let mut buf = vec![0u8; 16 * 1024];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let read = tokio::select! {
            read = sr.read(&mut buf) => Some(read),
            _ = down.wait_for(|d| *d) => None,
        };
        let n = match read {
            Some(Ok(0) | Err(_)) => break,
            Some(Ok(n)) => n,
            None => {
                let _ = cw.shutdown().await;
                break;
            }
        };
        let chunk = &buf[..n];
        let mut window = tail.clone();
        window.extend_from_slice(chunk);
        let hit = window.windows(pattern.len()).position(|w| w == pattern.as_slice());
        if let Some(pos) = hit
            && armed.swap(false, Ordering::SeqCst)
        {
            // forward up to a little past the pattern, then vanish mid-response
            let end_in_window = (pos + pattern.len() + 8).min(window.len());
            let forward = end_in_window.saturating_sub(tail.len()).min(chunk.len());
            let _ = cw.write_all(&chunk[..forward]).await;
            let _ = cw.shutdown().await;
            cuts.fetch_add(1, Ordering::SeqCst);
            up.abort();
            return;
        }
        if cw.write_all(chunk).await.is_err() {
            break;
        }
        let keep = pattern.len().saturating_sub(1).min(window.len());
        tail = window[window.len() - keep..].to_vec();
    }
    up.abort();
}
