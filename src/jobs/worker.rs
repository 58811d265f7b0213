//! Workers: claim jobs, run them with a heartbeat on the lease, wake on `NOTIFY` with a
//! polling fallback, and shut down gracefully (finish in-flight jobs within a grace period,
//! release what is left).
//!
//! Recovery is quick: leases are short and renewed by the heartbeat; a job whose outcome
//! cannot be recorded (database away) is given back as soon as the database answers again;
//! and a process starting on a host takes back at once the jobs its dead predecessor there
//! still held (`locked_by` is `host:pid:instance:worker`; a pid that is gone, or our own pid
//! with another instance id, as in a restarted container, is a predecessor).

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::queue::{self, JOBS_CHANNEL, Job};
use super::steps;
use crate::startup::App;

/// This process among others that had its pid before (a restarted container has the same).
static INSTANCE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| Uuid::new_v4().simple().to_string()[..8].to_string());

/// Runs `count` workers until `shutdown` is cancelled.
pub async fn run_pool(app: App, count: usize, shutdown: CancellationToken) {
    let wake = Arc::new(Notify::new());
    let listener = tokio::spawn(listen(app.clone(), wake.clone(), shutdown.clone()));
    let host = hostname();
    match take_back(&app.pool, &host).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(jobs = n, "took back jobs a previous process on this host left running"),
        Err(e) => tracing::warn!(error = %e, "cannot look for jobs a previous process left running"),
    }
    let mut handles = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("{host}:{}:{}:w{i}", std::process::id(), *INSTANCE);
        handles.push(tokio::spawn(worker(app.clone(), name, wake.clone(), shutdown.clone())));
    }
    for h in handles {
        let _ = h.await;
    }
    listener.abort();
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "horme".into())
}

/// Ends the leases of running jobs whose process on this host is gone, so that they are
/// claimed now rather than when the lease runs out. Returns how many.
async fn take_back(pool: &sqlx::PgPool, host: &str) -> Result<usize, sqlx::Error> {
    let prefix = format!("{host}:");
    let held = sqlx::query!(
        "select id, locked_by as \"locked_by!\" from jobs where status = 'running' and starts_with(locked_by, $1)",
        prefix
    )
    .fetch_all(pool)
    .await?;
    let me = std::process::id();
    let dead: Vec<i64> = held
        .into_iter()
        .filter(|j| {
            let pid = j.locked_by[prefix.len()..]
                .split(':')
                .next()
                .and_then(|p| p.parse::<u32>().ok());
            pid.is_some_and(|pid| pid == me || !is_horme(pid))
        })
        .map(|j| j.id)
        .collect();
    if dead.is_empty() {
        return Ok(0);
    }
    let n = sqlx::query!(
        "update jobs set locked_until = now() - interval '1 second' where status = 'running' and id = any($1)",
        &dead
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n as usize)
}

/// Whether a process with this pid runs (a horme process: pids are reused).
fn is_horme(pid: u32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains("horme"))
        .unwrap_or(false)
}

/// Forwards `NOTIFY horme_jobs` to the workers; reconnects on failure.
async fn listen(app: App, wake: Arc<Notify>, shutdown: CancellationToken) {
    loop {
        match PgListener::connect_with(&app.pool).await {
            Ok(mut l) => {
                if let Err(e) = l.listen(JOBS_CHANNEL).await {
                    tracing::warn!(error = %e, "cannot LISTEN; polling only");
                } else {
                    loop {
                        tokio::select! {
                            _ = shutdown.cancelled() => return,
                            n = l.recv() => match n {
                                Ok(_) => wake.notify_waiters(),
                                Err(e) => { tracing::warn!(error = %e, "job listener lost its connection"); break; }
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot open the job listener; polling only"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}

async fn worker(app: App, name: String, wake: Arc<Notify>, shutdown: CancellationToken) {
    let w = &app.settings.workers;
    let lease = Duration::from_secs(w.lease_seconds);
    let poll = Duration::from_millis(w.poll_interval_ms);
    let grace = Duration::from_secs(w.shutdown_grace_seconds);
    tracing::info!(worker = %name, "worker started");
    while !shutdown.is_cancelled() {
        // Register interest before claiming so that a NOTIFY between the two is not lost.
        let notified = wake.notified();
        match queue::claim(&app.pool, &name, lease, None).await {
            Ok(Some(job)) => run_one(&app, &job, lease, grace, &shutdown).await,
            Ok(None) => {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = notified => {}
                    _ = tokio::time::sleep(poll) => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim jobs");
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(poll) => {}
                }
            }
        }
    }
    tracing::info!(worker = %name, "worker stopped");
}

/// Runs one job, extending its lease while it runs; at shutdown it gets `grace` to finish,
/// then it is cancelled (its transaction rolls back) and released for another worker.
async fn run_one(app: &App, job: &Job, lease: Duration, grace: Duration, shutdown: &CancellationToken) {
    let work = steps::run(app, job);
    tokio::pin!(work);
    let mut beat = tokio::time::interval(lease / 3);
    beat.tick().await;
    let deadline = async {
        shutdown.cancelled().await;
        tokio::time::sleep(grace).await;
    };
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            r = &mut work => {
                if let Err(e) = r {
                    tracing::error!(job = job.id, error = %e, "cannot record the job's outcome; giving it back to run again");
                    give_back(app, job, shutdown).await;
                }
                return;
            }
            _ = beat.tick() => {
                match queue::heartbeat(&app.pool, job, lease).await {
                    Ok(true) => {}
                    Ok(false) => { tracing::warn!(job = job.id, "lease lost while running"); }
                    Err(e) => tracing::warn!(job = job.id, error = %e, "heartbeat failed"),
                }
            }
            _ = &mut deadline => {
                tracing::warn!(job = job.id, "shutdown grace period over: releasing the job");
                if let Err(e) = queue::release(&app.pool, job).await {
                    tracing::warn!(job = job.id, error = %e, "cannot release; its lease will expire");
                }
                return;
            }
        }
    }
}

/// Gives a job whose outcome could not be recorded back to the queue, retrying until the
/// database answers (or the lease is lost, or we shut down): it runs again within seconds
/// of the database's return instead of when its lease runs out.
async fn give_back(app: &App, job: &Job, shutdown: &CancellationToken) {
    let mut pause = Duration::from_millis(250);
    loop {
        match queue::release(&app.pool, job).await {
            Ok(()) => return,
            Err(e) => tracing::warn!(job = job.id, error = %e, "cannot give the job back yet"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(pause) => {}
        }
        pause = (pause * 2).min(Duration::from_secs(2));
    }
}

/// Runs the jobs of one request in this process until the request is done or failed (the
/// one-shot CLI and tests). Jobs another process claimed are waited for.
pub async fn drain_rfp(app: &App, rfp: Uuid, timeout: Duration) -> Result<String, sqlx::Error> {
    let name = format!("{}:{}:{}:oneshot", hostname(), std::process::id(), *INSTANCE);
    let lease = Duration::from_secs(app.settings.workers.lease_seconds);
    let started = std::time::Instant::now();
    loop {
        if let Some(job) = queue::claim(&app.pool, &name, lease, Some(rfp)).await? {
            let work = steps::run(app, &job);
            tokio::pin!(work);
            let mut beat = tokio::time::interval(lease / 3);
            beat.tick().await;
            loop {
                tokio::select! {
                    r = &mut work => { r?; break; }
                    _ = beat.tick() => {
                        if let Err(e) = queue::heartbeat(&app.pool, &job, lease).await {
                            tracing::warn!(job = job.id, error = %e, "heartbeat failed");
                        }
                    }
                }
            }
            continue;
        }
        let status = sqlx::query_scalar!("select status from rfps where id = $1", rfp)
            .fetch_one(&app.pool)
            .await?;
        if status == "done" || status == "failed" || started.elapsed() > timeout {
            return Ok(status);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
