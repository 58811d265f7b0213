//! The HTTP server under hostile clients (issue 10): 1,100 half-open connections trickling
//! headers while `/healthz` must answer on a fresh connection within 100 ms throughout; the
//! connection cap; 20,000 requests with invented methods that must not grow `/metrics`; a
//! database that is down (fast 503s, `/readyz` and `/metrics` within a second with the
//! default `http.database_wait_ms` of 800); the upload
//! cap (503 + Retry-After); `/metrics` behind its token; and a `horme serve` process fed
//! document bombs over the API, whose `/healthz` answers within 100 ms throughout while each
//! bomb fails with its own reason.
//!
//! The server and its hostile clients share this process, so it needs two descriptors per
//! connection: the test raises its soft `RLIMIT_NOFILE` to the hard limit with `prlimit(1)`
//! (the lints forbid `unsafe`, so not with setrlimit directly), and uses fewer connections
//! only if even the hard limit is too low, saying so on stderr.

#[path = "hostile/bombs.rs"]
#[allow(dead_code)] // this file uses a few of the generators
mod bombs;
mod common;

use std::time::{Duration, Instant};

use horme::config::Settings;
use horme::http::server::{self, ServerLimits};
use horme::http::{HttpState, router};
use horme::startup::App;
use secrecy::SecretString;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "hostile-test-token-0123";

/// The tests of this file run one at a time: each measures the server, not its neighbours.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Server {
    addr: std::net::SocketAddr,
    shutdown: CancellationToken,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn start(app: App) -> Server {
    let backlog = server::backlog(app.settings.http.max_connections);
    let listener = server::bind("127.0.0.1:0", backlog).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let limits = ServerLimits::from_settings(&app.settings.http);
    let state = HttpState {
        app,
        metrics: horme::http::install_recorder(),
    };
    let shutdown = CancellationToken::new();
    tokio::spawn(server::serve(listener, router(state), limits, shutdown.clone()));
    Server { addr, shutdown }
}

fn settings() -> Settings {
    let mut s = common::settings();
    s.http.api_tokens = vec![SecretString::from(TOKEN)];
    s.http.header_read_timeout_seconds = 2;
    s
}

/// An app whose database is down (nothing listens on the port).
async fn app_without_database(settings: Settings) -> App {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy("postgres://horme@127.0.0.1:9/horme")
        .expect("lazy pool");
    App::with_pool(pool, settings).await.expect("app")
}

/// One request on a fresh connection; the raw response and how long it took.
async fn request(addr: std::net::SocketAddr, raw: &str) -> (String, Duration) {
    let started = Instant::now();
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(raw.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut out)).await;
    (String::from_utf8_lossy(&out).into_owned(), started.elapsed())
}

fn get(path: &str, extra: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: t\r\n{extra}Connection: close\r\n\r\n")
}

/// The soft limit on open files, raised to the hard limit if it is lower.
fn raise_nofile() -> u64 {
    let read = || -> (u64, u64) {
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap_or("");
        let n: Vec<u64> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        (n.first().copied().unwrap_or(1024), n.get(1).copied().unwrap_or(1024))
    };
    let (soft, hard) = read();
    if soft < hard {
        let _ = std::process::Command::new("prlimit")
            .args([
                "--pid",
                &std::process::id().to_string(),
                &format!("--nofile={hard}:{hard}"),
            ])
            .status();
    }
    read().0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_header_connections_do_not_starve_health() {
    let _serial = SERIAL.lock().await;
    let limit = raise_nofile();
    let mut slow = 1100usize;
    if (slow as u64) * 2 + 256 > limit {
        slow = ((limit.saturating_sub(256)) / 2) as usize;
        eprintln!("open-file limit {limit}: using {slow} slow connections instead of 1,100");
    }
    let mut settings = settings();
    settings.http.header_read_timeout_seconds = 4;
    let s = start(app_without_database(settings).await).await;
    let (res, _) = request(s.addr, &get("/healthz", "")).await;
    assert!(res.starts_with("HTTP/1.1 200"), "{res:?}");

    // each slow client sends a request line and then one header byte every 500 ms, forever
    let connected = std::sync::Arc::new(tokio::sync::Semaphore::new(0));
    let mut clients = Vec::with_capacity(slow);
    for _ in 0..slow {
        let addr = s.addr;
        let connected = std::sync::Arc::clone(&connected);
        clients.push(tokio::spawn(async move {
            let mut c = TcpStream::connect(addr).await.ok()?;
            c.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
                .await
                .ok()?;
            let opened = Instant::now();
            connected.add_permits(1);
            let mut buf = [0u8; 256];
            loop {
                tokio::select! {
                    r = c.read(&mut buf) => {
                        // the server gave up on us (timeout status or close)
                        let _ = r;
                        return Some(opened.elapsed());
                    }
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {
                        if c.write_all(b"a").await.is_err() {
                            return Some(opened.elapsed());
                        }
                    }
                }
            }
        }));
    }
    // once every slow connection is open: /healthz on a fresh connection every 50 ms for 6 s,
    // across the rest of their life and past the header-read timeout (4 s) that ends them
    let all = tokio::time::timeout(Duration::from_secs(30), connected.acquire_many(slow as u32))
        .await
        .expect("the slow clients connect")
        .expect("semaphore");
    all.forget();
    // connected is not yet accepted: give the server a moment to take them off its queue
    tokio::time::sleep(Duration::from_millis(300)).await;
    let probes_until = Instant::now() + Duration::from_secs(6);
    let mut worst = Duration::ZERO;
    let mut probes = 0;
    while Instant::now() < probes_until {
        let (res, took) = request(s.addr, &get("/healthz", "")).await;
        assert!(res.starts_with("HTTP/1.1 200"), "probe {probes}: {res:?}");
        assert!(
            took < Duration::from_millis(100),
            "probe {probes} took {took:?} with {slow} slow connections"
        );
        worst = worst.max(took);
        probes += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // the header-read timeout (4 s) closed every slow connection
    let mut longest = Duration::ZERO;
    for c in clients {
        let held = tokio::time::timeout(Duration::from_secs(10), c)
            .await
            .expect("the server closes slow connections")
            .expect("client task")
            .expect("the slow client connected");
        longest = longest.max(held);
    }
    eprintln!("{slow} slow connections: {probes} health probes, slowest {worst:?}; slow ones held at most {longest:?}");
    assert!(longest < Duration::from_secs(7), "slow connections held {longest:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_refused_at_once() {
    let _serial = SERIAL.lock().await;
    let mut settings = settings();
    settings.http.max_connections = 20;
    let s = start(app_without_database(settings).await).await;
    let mut held = Vec::new();
    for _ in 0..20 {
        let mut c = TcpStream::connect(s.addr).await.expect("connect");
        c.write_all(b"GET /healthz HTTP/1.1\r\n").await.expect("write");
        held.push(c);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (res, _) = request(s.addr, &get("/healthz", "")).await;
    assert!(res.starts_with("HTTP/1.1 503"), "over the cap: {res:?}");
    assert!(res.contains("Retry-After: 1"), "{res:?}");
    // the held ones time out (2 s header-read timeout); then there is room again
    let ok = common::eventually(Duration::from_secs(6), || async {
        let (res, _) = request(s.addr, &get("/healthz", "")).await;
        res.starts_with("HTTP/1.1 200").then_some(())
    })
    .await;
    assert!(ok.is_some(), "room again after the slow connections timed out");
    drop(held);
}

/// Size of the `/metrics` output.
async fn metrics_size(addr: std::net::SocketAddr) -> (usize, String) {
    let (res, _) = request(addr, &get("/metrics", "")).await;
    assert!(res.starts_with("HTTP/1.1 200"), "{res:?}");
    (res.len(), res)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invented_methods_do_not_grow_metrics() {
    let _serial = SERIAL.lock().await;
    let s = start(app_without_database(settings()).await).await;
    // every label combination these requests can make exists once before measuring
    for raw in [
        "WARMUP /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".to_string(),
        "WARMUP /nowhere-0 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".to_string(),
    ] {
        request(s.addr, &raw).await;
    }
    metrics_size(s.addr).await;
    let (before, _) = metrics_size(s.addr).await;
    // 20,000 requests with invented methods and paths, on 8 keep-alive connections
    let mut tasks = Vec::new();
    for t in 0..8 {
        let addr = s.addr;
        tasks.push(tokio::spawn(async move {
            let mut c = TcpStream::connect(addr).await.expect("connect");
            let mut buf = vec![0u8; 4096];
            for i in 0..2500 {
                let path = if i % 2 == 0 {
                    "/healthz".to_string()
                } else {
                    format!("/nowhere-{t}-{i}")
                };
                let req = format!("M{t}X{i} {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
                c.write_all(req.as_bytes()).await.expect("write");
                // read one whole response (no body larger than the buffer here)
                let mut got = Vec::new();
                loop {
                    let n = c.read(&mut buf).await.expect("read");
                    assert!(n > 0, "the server closed the connection");
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got);
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                            })
                            .unwrap_or(0);
                        if got.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                assert!(got.starts_with(b"HTTP/1.1 4"), "{}", String::from_utf8_lossy(&got));
            }
        }));
    }
    for t in tasks {
        t.await.expect("client");
    }
    let (after, text) = metrics_size(s.addr).await;
    eprintln!("/metrics: {before} bytes before, {after} bytes after 20,000 invented methods");
    assert!(!text.contains("M3X7"), "an invented method became a label");
    assert!(!text.contains("/nowhere-"), "a raw path became a label");
    // bounded by the fixed label sets, whatever the clients send (other tests of this binary
    // add their own series meanwhile, so the bound is absolute)
    assert!(after <= 64 * 1024, "/metrics grew from {before} to {after} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_is_down_gets_fast_answers() {
    let _serial = SERIAL.lock().await;
    let mut settings = settings();
    settings.http.metrics_token = SecretString::from("metrics-secret");
    let s = start(app_without_database(settings).await).await;

    let (res, ready_took) = request(s.addr, &get("/readyz", "")).await;
    assert!(res.starts_with("HTTP/1.1 503"), "{res:?}");
    assert!(ready_took < Duration::from_secs(1), "/readyz took {ready_took:?}");

    let (res, _) = request(s.addr, &get("/metrics", "")).await;
    assert!(res.starts_with("HTTP/1.1 401"), "metrics need the token: {res:?}");
    let (res, metrics_took) = request(s.addr, &get("/metrics", "Authorization: Bearer metrics-secret\r\n")).await;
    assert!(res.starts_with("HTTP/1.1 200"), "{res:?}");
    assert!(metrics_took < Duration::from_secs(1), "/metrics took {metrics_took:?}");

    let auth = format!("Authorization: Bearer {TOKEN}\r\n");
    let (res, took) = request(s.addr, &get("/api/rfps/0190a0b0-0000-7000-8000-000000000000", &auth)).await;
    assert!(res.starts_with("HTTP/1.1 503"), "{res:?}");
    assert!(res.to_ascii_lowercase().contains("retry-after: 5"), "{res:?}");
    assert!(res.contains("database is unreachable"), "{res:?}");
    let api_took = took;
    assert!(api_took < Duration::from_secs(3), "the API took {api_took:?}");

    let body = "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n10 pcs glue\r\n--b--\r\n";
    let upload = format!(
        "POST /api/rfps HTTP/1.1\r\nHost: t\r\n{auth}Content-Type: multipart/form-data; boundary=b\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (res, upload_took) = request(s.addr, &upload).await;
    assert!(res.starts_with("HTTP/1.1 503"), "{res:?}");
    assert!(upload_took < Duration::from_secs(3), "the upload took {upload_took:?}");
    eprintln!(
        "database down: /readyz {ready_took:?}, /metrics {metrics_took:?}, API {api_took:?}, upload {upload_took:?}"
    );
}

#[sqlx::test]
async fn too_many_uploads_at_once_get_503(pool: PgPool) {
    let _serial = SERIAL.lock().await;
    let mut settings = settings();
    settings.http.max_concurrent_uploads = 1;
    settings.http.header_read_timeout_seconds = 10;
    let app = common::app_with(pool, settings).await;
    let s = start(app).await;
    let auth = format!("Authorization: Bearer {TOKEN}\r\n");
    // one upload announces a large body and sends it slowly: it holds the only slot
    let mut slow = TcpStream::connect(s.addr).await.expect("connect");
    slow.write_all(
        format!(
            "POST /api/rfps HTTP/1.1\r\nHost: t\r\n{auth}Content-Type: multipart/form-data; boundary=b\r\n\
             Content-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nglue"
        )
        .as_bytes(),
    )
    .await
    .expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let body = "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n10 pcs glue\r\n--b--\r\n";
    let upload = format!(
        "POST /api/rfps HTTP/1.1\r\nHost: t\r\n{auth}Content-Type: multipart/form-data; boundary=b\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (res, _) = request(s.addr, &upload).await;
    assert!(res.starts_with("HTTP/1.1 503"), "{res:?}");
    assert!(res.to_ascii_lowercase().contains("retry-after: 2"), "{res:?}");
    assert!(res.contains("too many uploads"), "{res:?}");
    drop(slow);
    // the slot is free again once the slow upload is gone
    let ok = common::eventually(Duration::from_secs(5), || async {
        let (res, _) = request(s.addr, &upload).await;
        res.starts_with("HTTP/1.1 202").then_some(())
    })
    .await;
    assert!(ok.is_some(), "uploads are accepted again");
}

/// Document bombs uploaded to a running `horme serve` (its own process, default limits): the
/// service stays up, `/healthz` on a fresh connection answers within 100 ms throughout, and
/// each request fails with the reason of its own document.
#[sqlx::test]
async fn document_bombs_over_http_leave_health_answering(pool: PgPool) {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = dir.path().join("horme.toml");
    std::fs::write(
        &config,
        format!(
            "[http]\nbind = \"127.0.0.1:{port}\"\napi_tokens = [\"{TOKEN}\"]\n\n\
             [company]\nname = \"Horme Test Supplies Pte Ltd\"\n\n\
             [workers]\ncount = 2\npoll_interval_ms = 200\n\n[log]\nfilter = \"info,sqlx=warn\"\n"
        ),
    )
    .expect("config");
    let _serve =
        common::bot_process::BotProcess::start(&common::database_url(&pool), &config, dir.path().join("serve.log"));
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let up = common::eventually(Duration::from_secs(30), || async {
        TcpStream::connect(addr).await.ok().map(|_| ())
    })
    .await;
    assert!(up.is_some(), "horme serve listens");

    let bombs: Vec<(&str, Vec<u8>)> = vec![
        ("paths.pdf", bombs::pdf_path_bomb(120)),
        ("big.docx", bombs::docx_xml_bomb(60)),
        ("repeat.ods", bombs::ods_repeat_bomb(1_048_576, 16_384)),
    ];
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for (name, bytes) in &bombs {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
        let res = http
            .post(format!("http://{addr}/api/rfps"))
            .bearer_auth(TOKEN)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        assert_eq!(res.status(), 202, "{name}");
        let body: serde_json::Value = res.json().await.expect("json");
        ids.push(uuid::Uuid::parse_str(body["id"].as_str().expect("id")).expect("uuid"));
    }

    let until = Instant::now() + Duration::from_secs(180);
    let mut probes = 0;
    let mut worst = Duration::ZERO;
    let reasons = loop {
        let (res, took) = request(addr, &get("/healthz", "")).await;
        assert!(res.starts_with("HTTP/1.1 200"), "probe {probes}: {res:?}");
        assert!(took < Duration::from_millis(100), "probe {probes} took {took:?}");
        worst = worst.max(took);
        probes += 1;
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("select status, failure_reason from rfps where id = any($1) order by created_at")
                .bind(&ids)
                .fetch_all(&pool)
                .await
                .expect("rfps");
        if rows.len() == ids.len() && rows.iter().all(|(s, _)| s == "failed" || s == "done") {
            break rows;
        }
        assert!(
            Instant::now() < until,
            "the bombs were not all answered in 180 s: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    eprintln!("{probes} /healthz probes while the bombs were read, the slowest {worst:?}");
    for ((name, _), (status, reason)) in bombs.iter().zip(&reasons) {
        assert_eq!(status, "failed", "{name}: {reason:?}");
        let reason = reason.as_deref().unwrap_or("");
        assert!(reason.contains(name), "{name}: the reason names the document: {reason}");
        assert!(!reason.contains("no line items found"), "{name}: {reason}");
    }
}
