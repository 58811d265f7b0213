//! Workers: claim jobs, run them with a heartbeat on the lease, wake on `NOTIFY` with a
//! polling fallback, and shut down gracefully (finish in-flight jobs within a grace period,
//! release what is left).

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::queue::{self, JOBS_CHANNEL, Job};
use super::steps;
use crate::startup::App;

/// Runs `count` workers until `shutdown` is cancelled.
pub async fn run_pool(app: App, count: usize, shutdown: CancellationToken) {
    let wake = Arc::new(Notify::new());
    let listener = tokio::spawn(listen(app.clone(), wake.clone(), shutdown.clone()));
    let host = hostname();
    let mut handles = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("{host}:{}:w{i}", std::process::id());
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
                    tracing::error!(job = job.id, error = %e, "cannot record the job's outcome; its lease will expire and it will run again");
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

/// Runs the jobs of one request in this process until the request is done or failed (the
/// one-shot CLI and tests). Jobs another process claimed are waited for.
pub async fn drain_rfp(app: &App, rfp: Uuid, timeout: Duration) -> Result<String, sqlx::Error> {
    let name = format!("{}:{}:oneshot", hostname(), std::process::id());
    let lease = Duration::from_secs(app.settings.workers.lease_seconds);
    let started = std::time::Instant::now();
    loop {
        if let Some(job) = queue::claim(&app.pool, &name, lease, Some(rfp)).await? {
            steps::run(app, &job).await?;
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
