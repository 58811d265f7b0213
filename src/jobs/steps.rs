//! The pipeline as jobs: `extract → match → price → render`, each a job of its own with the
//! request's status persisted (`received → extracting → matching → pricing → rendering →
//! done | failed(reason)`). A step reads, computes without holding a transaction, then in
//! one transaction checks its lease, writes its results, advances the status, enqueues the
//! next step and completes itself: a crash anywhere resumes at the step that did not commit.

use std::time::Instant;

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::queue::{self, Backoff, Failure, Job, NewJob};
use crate::startup::App;

pub const EXTRACT: &str = "rfp.extract";
pub const MATCH: &str = "rfp.match";
pub const PRICE: &str = "rfp.price";
pub const RENDER: &str = "rfp.render";

/// The reason of a job whose process stopped twice while running it.
pub const STOPPED_TWICE: &str = "the process handling it stopped twice";

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The request cannot be processed as it is (no items, unreadable file): the request
    /// fails with this reason and is not retried.
    #[error("{0}")]
    Permanent(String),
    /// Something outside the request failed (database, LLM, network): retried with backoff.
    #[error(transparent)]
    Transient(#[from] anyhow::Error),
    /// Another worker took over this job (our lease expired): nothing was written.
    #[error("the job's lease was lost to another worker")]
    LeaseLost,
}

impl From<sqlx::Error> for StepError {
    fn from(e: sqlx::Error) -> Self {
        Self::Transient(anyhow::Error::new(e).context("database"))
    }
}

/// Runs one claimed job to its end: completed, failed permanently, or scheduled again.
#[tracing::instrument(skip_all, fields(job = job.id, kind = %job.kind, rfp = ?job.rfp_id, attempt = job.attempts))]
pub async fn run(app: &App, job: &Job) -> Result<(), sqlx::Error> {
    let started = Instant::now();
    if job.takeovers >= 2 {
        // Twice a process stopped while running it: most likely it is what stops them.
        tracing::error!(
            takeovers = job.takeovers,
            "job dead-lettered: its process stopped twice"
        );
        return give_up(app, job, STOPPED_TWICE).await;
    }
    if job.attempts > job.max_attempts {
        let reason = format!(
            "gave up: the job's worker stopped during its last allowed attempt ({} of {})",
            job.max_attempts, job.max_attempts
        );
        return give_up(app, job, &reason).await;
    }
    if crate::mail::jobs::owns(&job.kind) {
        return crate::mail::jobs::run(app, job).await;
    }
    let result = match job.kind.as_str() {
        EXTRACT => super::extract::run(app, job).await,
        MATCH => super::match_lines::run(app, job).await,
        PRICE => super::price::run(app, job).await,
        RENDER => super::render::run(app, job).await,
        crate::quotations::events::EVENT_JOB => super::events::run(app, job).await,
        crate::outbox::delivered::SENT => crate::outbox::delivered::run(app, job).await,
        super::maintenance::MAINTENANCE => super::maintenance::run(app, job).await,
        crate::slack::jobs::EVENT | crate::slack::jobs::INTERACTION => crate::slack::jobs::run(app, job).await,
        crate::telegram::webhook::UPDATE => crate::telegram::webhook::run(app, job).await,
        other => Err(StepError::Permanent(format!("unknown job kind {other:?}"))),
    };
    metrics::histogram!("horme_step_duration_seconds", "step" => job.kind.clone())
        .record(started.elapsed().as_secs_f64());
    match result {
        Ok(()) => {
            tracing::info!(ms = started.elapsed().as_millis() as u64, "step done");
            Ok(())
        }
        Err(StepError::LeaseLost) => {
            tracing::warn!("lease lost: another worker owns this job now");
            Ok(())
        }
        Err(StepError::Permanent(reason)) => {
            tracing::warn!(%reason, "request failed");
            fail_request(app, job, &reason).await
        }
        Err(StepError::Transient(e)) => {
            let error = format!("{e:#}");
            let backoff = Backoff {
                base: std::time::Duration::from_secs(app.settings.workers.backoff_base_seconds),
                max: std::time::Duration::from_secs(app.settings.workers.backoff_max_seconds),
            };
            match queue::fail(&app.pool, job, &error, true, &backoff).await? {
                Failure::Retry(after) => {
                    tracing::warn!(%error, retry_in_s = after.as_secs_f64(), "step failed, will retry");
                    Ok(())
                }
                Failure::Dead => {
                    tracing::error!(%error, "step failed for the last time");
                    mark_failed(
                        app,
                        job.rfp_id,
                        &format!("gave up after {} attempts: {error}", job.attempts),
                    )
                    .await
                }
                Failure::LeaseLost => Ok(()),
            }
        }
    }
}

/// A permanent failure: the request fails with the reason, the job is done.
async fn fail_request(app: &App, job: &Job, reason: &str) -> Result<(), sqlx::Error> {
    let mut tx = app.pool.begin().await?;
    if !queue::hold_lease(&mut tx, job).await? {
        return Ok(());
    }
    if let Some(rfp) = job.rfp_id {
        set_failed(&mut tx, app, rfp, reason).await?;
    }
    queue::complete(&mut tx, job).await?;
    tx.commit().await
}

async fn give_up(app: &App, job: &Job, reason: &str) -> Result<(), sqlx::Error> {
    let backoff = Backoff {
        base: std::time::Duration::ZERO,
        max: std::time::Duration::ZERO,
    };
    if queue::fail(&app.pool, job, reason, false, &backoff).await? == Failure::Dead {
        mark_failed(app, job.rfp_id, reason).await?;
    }
    Ok(())
}

async fn mark_failed(app: &App, rfp: Option<Uuid>, reason: &str) -> Result<(), sqlx::Error> {
    if let Some(rfp) = rfp {
        let mut tx = app.pool.begin().await?;
        set_failed(&mut tx, app, rfp, reason).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Completes a job whose work is done and written outside a transaction of its own, as long
/// as it still holds its lease.
pub async fn complete_held(app: &App, job: &Job) -> Result<(), StepError> {
    let mut tx = app.pool.begin().await?;
    if !queue::hold_lease(&mut tx, job).await? {
        return Err(StepError::LeaseLost);
    }
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives up a request whose runner stops (the one-shot CLI on an error or a signal): the
/// request fails with `reason` and its unfinished jobs are dead, so that no other process
/// picks up what the CLI was in the middle of.
pub async fn abandon(app: &App, rfp: Uuid, reason: &str) -> Result<(), sqlx::Error> {
    let mut tx = app.pool.begin().await?;
    sqlx::query!(
        r#"update jobs set status = 'dead', finished_at = now(), locked_until = null, lease_token = null,
                  last_error = $2
           where rfp_id = $1 and status in ('queued', 'running')"#,
        rfp,
        reason
    )
    .execute(&mut *tx)
    .await?;
    set_failed(&mut tx, app, rfp, reason).await?;
    tx.commit().await
}

/// Fails the request (unless it is done) and lets its channel answer the customer.
async fn set_failed(conn: &mut PgConnection, app: &App, rfp: Uuid, reason: &str) -> Result<(), sqlx::Error> {
    let reason = &*crate::text_hygiene::clean(reason);
    let changed = sqlx::query!(
        "update rfps set status = 'failed', failure_reason = $2 where id = $1 and status <> 'done' and status <> 'failed'",
        rfp,
        reason
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 1 {
        crate::mail::jobs::on_rfp_failed(conn, rfp, app.settings.workers.max_attempts).await?;
        crate::telegram::notify::on_rfp_failed(conn, app, rfp, reason).await?;
        crate::slack::notify::on_rfp_failed(conn, app, rfp, reason).await?;
        crate::discord::notify::on_rfp_failed(conn, app, rfp, reason).await?;
        metrics::counter!("horme_rfps_failed_total").increment(1);
    }
    Ok(())
}

/// Starts a step: checks the request is at the expected stage and marks it in progress.
/// Returns false when the step already ran (a duplicate or late job): nothing to do.
pub(super) async fn begin(app: &App, job: &Job, expected: &[&str], now: &str) -> Result<Option<Uuid>, StepError> {
    let rfp = job
        .rfp_id
        .ok_or_else(|| StepError::Permanent("job without a request".into()))?;
    let updated = sqlx::query_scalar!(
        "update rfps set status = $2 where id = $1 and status = any($3) returning id",
        rfp,
        now,
        &expected.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    )
    .fetch_optional(&app.pool)
    .await?;
    Ok(updated)
}

/// Inside the step's final transaction: check the lease, then advance the request and
/// enqueue the next step (if any), then complete this job.
pub(super) async fn finish(
    conn: &mut PgConnection,
    app: &App,
    job: &Job,
    rfp: Uuid,
    status: &str,
    next: Option<&str>,
) -> Result<(), StepError> {
    sqlx::query!("update rfps set status = $2 where id = $1", rfp, status)
        .execute(&mut *conn)
        .await?;
    if let Some(kind) = next {
        queue::enqueue(
            &mut *conn,
            NewJob {
                kind,
                payload: json!({}),
                rfp_id: Some(rfp),
                dedupe_key: Some(format!("{kind}:{rfp}")),
                priority: 0,
                max_attempts: app.settings.workers.max_attempts,
            },
        )
        .await?;
    }
    queue::complete(conn, job).await?;
    Ok(())
}

/// Opens the step's final transaction, refusing if the lease was lost meanwhile.
pub(super) async fn commit_tx<'a>(app: &'a App, job: &Job) -> Result<sqlx::Transaction<'a, sqlx::Postgres>, StepError> {
    let mut tx = app.pool.begin().await?;
    if !queue::hold_lease(&mut tx, job).await? {
        return Err(StepError::LeaseLost);
    }
    Ok(tx)
}

/// Completes a job that has no request (events, housekeeping) once its work is done.
pub(super) async fn complete(app: &App, job: &Job) -> Result<(), StepError> {
    let mut tx = commit_tx(app, job).await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}

/// A step whose request is no longer at its stage completes without doing anything.
pub(super) async fn skip(app: &App, job: &Job) -> Result<(), StepError> {
    let mut tx = commit_tx(app, job).await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    tracing::info!("step already done for this request: skipped");
    Ok(())
}
